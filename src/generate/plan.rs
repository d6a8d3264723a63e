//! Plans over a rule set's vocabulary, as NDJSON: one deployment a line.

use std::fmt::Write as _;

use super::Rng;
use crate::model::{RelationArg, RuleSet};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanSpec {
    pub records: u64,
    pub seed: u64,
    /// Percent of records that take a value a `launched(...)` relation looks for (such as
    /// `cloud = azure`); the other values of such a field share the rest evenly.
    pub launch_percent: u32,
}

impl Default for PlanSpec {
    fn default() -> PlanSpec {
        PlanSpec { records: 1000, seed: 1, launch_percent: 1 }
    }
}

/// Calls `line` with each record's NDJSON line (without its newline), in order. Dates run from
/// 2019 to 2034; optional fields are given half the time; each flag is true one time in twenty.
pub fn plan(rules: &RuleSet, spec: PlanSpec, mut line: impl FnMut(&str)) {
    let vocab = &rules.vocabulary;
    // For each field, the value a relation fixes, if any (`launched(product, azure)` fixes `cloud`).
    let fixed: Vec<Option<usize>> = (0..vocab.fields.len())
        .map(|f| {
            rules.relations.iter().flat_map(|r| &r.args).find_map(|(field, arg)| match arg {
                RelationArg::Value(v) if field.0 as usize == f => Some(v.0 as usize),
                _ => None,
            })
        })
        .collect();
    let mut rng = Rng::new(spec.seed);
    let mut buf = String::with_capacity(256);
    for n in 0..spec.records {
        buf.clear();
        let _ = write!(buf, "{{\"id\":\"d{n}\"");
        for (f, field) in vocab.fields.iter().enumerate() {
            if field.values.is_empty() || (field.optional && rng.chance(50)) {
                continue;
            }
            let v = match fixed[f] {
                Some(v) if rng.chance(spec.launch_percent) => v,
                Some(v) if field.values.len() > 1 => {
                    let other = rng.below(field.values.len() - 1);
                    if other >= v {
                        other + 1
                    } else {
                        other
                    }
                }
                _ => rng.below(field.values.len()),
            };
            let _ = write!(buf, ",\"{}\":\"{}\"", field.name, field.values[v]);
        }
        let (year, month, day) = (2019 + rng.below(16), 1 + rng.below(12), 1 + rng.below(28));
        let _ = write!(buf, ",\"date\":\"{year}-{month:02}-{day:02}\"");
        for flag in &vocab.flags {
            if rng.chance(5) {
                let _ = write!(buf, ",\"{}\":true", flag.name);
            }
        }
        buf.push('}');
        line(&buf);
    }
}
