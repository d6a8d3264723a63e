//! Indexing an agreement's rules by a field, so a deployment visits only rules that can apply.
//!
//! A rule whose `when` requires `product in {api, models}` cannot apply to a deployment of
//! `chatgpt`; checking it anyway is what made a 1,000-clause rule set cost 100× the bundled one.
//! For each field, every rule's `when` gives a *guard*: the values of that field for which the
//! `when` can hold (an over-approximation: exact for field tests, the union over `or`, the
//! intersection over `and`, everything when unknown). The field whose guards are tightest becomes
//! the index: for each of its values (and for "left out"), the rules that value admits, in rule order.
//! Skipping a rule whose guard excludes the value is exact: its `when` is false, so it contributes
//! nothing, not even an `unless` (S4).

use super::RuleCode;
use crate::model::*;

/// Agreements with fewer rules are checked rule by rule: an index would not pay for itself.
const MIN_RULES: usize = 8;

#[derive(Debug)]
pub(super) struct RuleIndex {
    pub field: FieldId,
    /// For each value of the field, then one more for a record that leaves it out: the rules
    /// (indexes into the agreement's rule list) whose `when` can hold, in rule order.
    pub by_value: Vec<Vec<u32>>,
}

/// The values of one field a condition can hold for; `admits_none` for a record without it.
#[derive(Clone)]
struct Guard {
    values: Vec<bool>,
    admits_none: bool,
}

impl Guard {
    fn all(width: usize) -> Guard {
        Guard { values: vec![true; width], admits_none: true }
    }

    fn count(&self) -> usize {
        self.values.iter().filter(|v| **v).count() + usize::from(self.admits_none)
    }
}

pub(super) fn build(rules: &RuleSet, a: &Agreement, code: &[RuleCode]) -> Option<RuleIndex> {
    if code.len() < MIN_RULES {
        return None;
    }
    let whens: Vec<Option<&Condition>> =
        a.clauses.iter().flat_map(|c| c.rules().map(|(_, r)| r.when.as_ref())).collect();
    debug_assert_eq!(whens.len(), code.len());
    // The field whose candidate lists are shortest on average: total / lists, compared as fractions.
    let mut best: Option<(usize, usize, FieldId, Vec<Guard>)> = None;
    for (f, field) in rules.vocabulary.fields.iter().enumerate() {
        let id = FieldId(f as u16);
        let width = field.values.len();
        let guards: Vec<Guard> = whens
            .iter()
            .map(|w| w.and_then(|w| guard(w, id, width)).unwrap_or_else(|| Guard::all(width)))
            .collect();
        let total: usize = guards.iter().map(Guard::count).sum();
        let lists = width + 1;
        if best.as_ref().is_none_or(|(t, l, _, _)| total * l < t * lists) {
            best = Some((total, lists, id, guards));
        }
    }
    let (total, lists, field, guards) = best?;
    // Not worth it unless a deployment visits well under the whole list on average.
    if total * 4 > code.len() * lists * 3 {
        return None;
    }
    let mut by_value: Vec<Vec<u32>> = vec![Vec::new(); lists];
    for (r, g) in guards.iter().enumerate() {
        for (v, admitted) in g.values.iter().enumerate() {
            if *admitted {
                by_value[v].push(r as u32);
            }
        }
        if g.admits_none {
            by_value[lists - 1].push(r as u32);
        }
    }
    Some(RuleIndex { field, by_value })
}

/// The guard a condition puts on `field`, or `None` when it says nothing usable about it.
fn guard(c: &Condition, field: FieldId, width: usize) -> Option<Guard> {
    match c {
        Condition::Field { field: f, values, negated, .. } if *f == field => {
            let mut inside = vec![false; width];
            for v in values {
                if let Some(slot) = inside.get_mut(v.0 as usize) {
                    *slot = true;
                }
            }
            if *negated {
                inside.iter_mut().for_each(|b| *b = !*b);
            }
            // C1: a record without the field is in no set, so only a negated test admits it.
            Some(Guard { values: inside, admits_none: *negated })
        }
        Condition::Not(inner) => match inner.as_ref() {
            Condition::Field { field: f, values, negated, span } if *f == field => guard(
                &Condition::Field { field: *f, values: values.clone(), negated: !negated, span: *span },
                field,
                width,
            ),
            _ => None,
        },
        Condition::And(parts) => {
            let mut acc: Option<Guard> = None;
            for g in parts.iter().filter_map(|p| guard(p, field, width)) {
                acc = Some(match acc {
                    None => g,
                    Some(mut a) => {
                        a.values.iter_mut().zip(&g.values).for_each(|(x, y)| *x &= *y);
                        a.admits_none &= g.admits_none;
                        a
                    }
                });
            }
            acc
        }
        Condition::Or(parts) => {
            let mut acc = Guard { values: vec![false; width], admits_none: false };
            for p in parts {
                let g = guard(p, field, width)?;
                acc.values.iter_mut().zip(&g.values).for_each(|(x, y)| *x |= *y);
                acc.admits_none |= g.admits_none;
            }
            Some(acc)
        }
        Condition::Field { .. }
        | Condition::Flag { .. }
        | Condition::Date { .. }
        | Condition::Launched { .. } => None,
    }
}
