//! Counterexamples: one deployment out of a diagram, named by what matters only.
//!
//! The example is the earliest (then the least, in the encoding's order) deployment the diagram
//! holds; then each field, flag and launch state in turn is let go ("any") when every value of it
//! still gives a deployment of the diagram, the ones let go before staying free. What remains
//! named is what the finding rests on.

use super::bdd::{Bdd, Manager, Result};
use super::symbolic::Encoding;
use crate::eval::LaunchState;
use crate::model::*;

/// A deployment of a diagram, with `None` for what may be anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The assignment found, every variable set (free ones included, at one of their values).
    pub at: Vec<bool>,
    /// The date interval (always named: it is shown as its first day).
    pub interval: usize,
    /// Per field, its atom, or `None` for any value.
    pub fields: Vec<Option<usize>>,
    /// Per tested flag, its value, or `None` for either.
    pub flags: Vec<(FlagId, Option<bool>)>,
    /// Per relation, its launch state, or `None` for any.
    pub launches: Vec<Option<LaunchState>>,
}

fn number(at: &[bool], vars: &[u32]) -> usize {
    vars.iter().fold(0, |n, v| n * 2 + usize::from(at[*v as usize]))
}

/// An example of `f`, or `None` when `f` is empty. A field, flag or launch state is let go only
/// when each of its values gives a deployment of `f`: a value that no deployment can have with
/// the rest of the example (a launch state it rules out) keeps it named.
pub fn example(m: &mut Manager, enc: &Encoding, f: Bdd) -> Result<Option<Example>> {
    if f.is_false() {
        return Ok(None);
    }
    let range = enc.in_range(m)?;
    let mut dated = f;
    let mut interval = 0;
    for i in 0..enc.days.len() {
        let day = enc.date_is(m, i)?;
        if m.intersects(f, day) {
            dated = m.and(f, day)?;
            interval = i;
            break;
        }
    }
    let Some(at) = m.pick_min(dated, enc.vars) else { return Ok(None) };
    // What can be let go, in order: each field, each flag, each relation.
    let mut items: Vec<Vec<u32>> = enc.fields.iter().map(|c| c.vars.clone()).collect();
    items.extend(enc.flags.iter().map(|(_, v)| vec![*v]));
    items.extend(enc.relations.iter().map(|r| r.to_vec()));
    let mut free = vec![false; enc.vars as usize];
    let mut let_go = vec![false; items.len()];
    for (i, vars) in items.iter().enumerate() {
        let fixed: Vec<Option<bool>> = (0..enc.vars)
            .map(|v| (!free[v as usize] && !vars.contains(&v)).then_some(at[v as usize]))
            .collect();
        if m.implies_given(range, dated, &fixed) {
            let_go[i] = true;
            for v in vars {
                free[*v as usize] = true;
            }
        }
    }
    let n = enc.fields.len();
    let fields =
        enc.fields.iter().enumerate().map(|(i, c)| (!let_go[i]).then(|| number(&at, &c.vars))).collect();
    let flags = enc
        .flags
        .iter()
        .enumerate()
        .map(|(i, (flag, v))| (*flag, (!let_go[n + i]).then_some(at[*v as usize])))
        .collect();
    let base = n + enc.flags.len();
    let launches = enc
        .relations
        .iter()
        .enumerate()
        .map(|(i, r)| (!let_go[base + i]).then(|| LaunchState::ALL[number(&at, r)]))
        .collect();
    Ok(Some(Example { at, interval, fields, flags, launches }))
}

/// The value an example gives a field: `Some(None)` for "left out", `None` for any.
pub fn value(enc: &Encoding, ex: &Example, field: FieldId) -> Option<Option<ValueId>> {
    let atom = ex.fields.get(field.0 as usize).copied().flatten()?;
    Some(enc.fields[field.0 as usize].representative(atom))
}

/// `any party · db · aws · 2020-01-01, without waived, with no deployment of the same product,
/// cloud azure in the plan`: an example in words. Fields in vocabulary order; a field that may be
/// anything is `any FIELD`, one left out `no FIELD`.
pub fn describe(rules: &RuleSet, enc: &Encoding, ex: &Example) -> String {
    let vocab = &rules.vocabulary;
    let mut parts: Vec<String> = vocab
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| match value(enc, ex, FieldId(i as u16)) {
            None => format!("any {}", f.name),
            Some(None) => format!("no {}", f.name),
            Some(Some(v)) => f.values[v.0 as usize].clone(),
        })
        .collect();
    parts.push(enc.days[ex.interval].to_string());
    let mut text = parts.join(" · ");
    for (flag, v) in &ex.flags {
        match v {
            Some(true) => text.push_str(&format!(", {}", vocab.flag_name(*flag))),
            Some(false) => text.push_str(&format!(", without {}", vocab.flag_name(*flag))),
            None => {}
        }
    }
    for (i, rel) in rules.relations.iter().enumerate() {
        let Some(Some(state)) = ex.launches.get(i) else { continue };
        let when = match state {
            LaunchState::Never => "no",
            LaunchState::Earlier => "an earlier",
            LaunchState::SameDay => "a same-day",
            LaunchState::Later => "only a later",
        };
        text.push_str(&format!(
            ", with {when} deployment of {} in the plan",
            relation_words(rules, enc, rel, ex)
        ));
    }
    text
}

/// The deployments a relation looks for, seen from an example: `product chatgpt, cloud azure`,
/// or `the same product, cloud azure` when the example's product may be anything.
pub fn relation_words(rules: &RuleSet, enc: &Encoding, rel: &Relation, ex: &Example) -> String {
    let vocab = &rules.vocabulary;
    rel.args
        .iter()
        .map(|(f, arg)| {
            let name = vocab.field_name(*f);
            match arg {
                RelationArg::Value(v) => format!("{name} {}", vocab.value_name(*f, *v)),
                RelationArg::Same => match value(enc, ex, *f) {
                    None => format!("the same {name}"),
                    Some(None) => format!("{name} (none)"),
                    Some(Some(v)) => format!("{name} {}", vocab.value_name(*f, v)),
                },
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
