//! Truth of a condition for one deployment: the reference semantics (C1–C4). `explain` walks the
//! same data; the compiled program is checked against this.

use super::index::Launches;
use crate::model::*;
use crate::plan::Deployment;

/// What a condition is evaluated against.
pub struct Env<'a> {
    pub deployment: &'a Deployment,
    pub launches: Launches<'a>,
    pub rules: &'a RuleSet,
}

/// Whether `c` holds for the deployment in `env`.
pub fn holds(c: &Condition, env: &Env<'_>) -> bool {
    let d = env.deployment;
    match c {
        Condition::And(parts) => parts.iter().all(|p| holds(p, env)),
        Condition::Or(parts) => parts.iter().any(|p| holds(p, env)),
        Condition::Not(inner) => !holds(inner, env),
        // C1: a record that leaves an optional field out has no value, and no value is in no set.
        Condition::Field { field, values, negated, .. } => {
            let inside = d.value(*field).is_some_and(|v| values.contains(&v));
            inside != *negated
        }
        Condition::Flag { flag, .. } => d.has_flag(*flag),
        Condition::Date { window, .. } => window.contains(d.date),
        Condition::Launched { relation, when, .. } => {
            let rel = &env.rules.relations[relation.0 as usize];
            env.launches.state(*relation, rel, d).satisfies(*when)
        }
    }
}
