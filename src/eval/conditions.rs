//! Truth of a condition for one deployment. Kept apart so `explain` can walk the same data.

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

/// The parameters a condition's date tests read, in the order met.
pub fn date_params(c: &Condition, out: &mut Vec<ParamId>) {
    match c {
        Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| date_params(p, out)),
        Condition::Not(inner) => date_params(inner, out),
        Condition::Date { params, .. } => out.extend(params),
        Condition::Field { .. } | Condition::Flag { .. } | Condition::Launched { .. } => {}
    }
}
