//! One agreement of a rule set as if it were the only one, in force on every date.
//!
//! For `diff --from A --to B`: every other agreement is taken out of force; the chosen one keeps
//! its parties, clauses, their own periods, conditions and exceptions among its own clauses,
//! but loses its `effective` and `ends` dates and every supersession, so the two agreements'
//! clauses are compared over all dates rather than over the days each happened to be in force.

use chrono::NaiveDate;

use crate::model::RuleSet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("there is no agreement `{name}` in the rules")]
pub struct IsolateError {
    pub name: String,
}

pub fn isolate(rules: &RuleSet, agreement: &str) -> Result<RuleSet, IsolateError> {
    let at = rules
        .agreements
        .iter()
        .position(|a| a.id == agreement)
        .ok_or_else(|| IsolateError { name: agreement.to_string() })?;
    let mut out = rules.clone();
    for (i, a) in out.agreements.iter_mut().enumerate() {
        if i == at {
            a.effective.date = NaiveDate::MIN;
            a.effective.assumed = None;
            a.ends = None;
            a.open_until.clear();
            a.supersedes.clear();
            a.superseded_by.clear();
            a.supersedes_clauses.clear();
            for c in &mut a.clauses {
                c.superseded_by.clear();
            }
        } else {
            // Not in force on any date (as for an agreement starting at an event not dated).
            a.effective.date = NaiveDate::MAX;
            a.ends = None;
            a.superseded_by.clear();
        }
    }
    Ok(out)
}
