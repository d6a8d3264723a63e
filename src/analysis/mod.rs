//! Exact analyses over the finite space of deployments a rule set can tell apart.
//!
//! A rule set only distinguishes finitely many deployments: the values its conditions name (plus
//! one stand-in for all the values they do not), the flags they test, the date intervals between
//! the dates they mention, and for each `launched(...)` relation where the plan's earliest match
//! falls ([`LaunchState`]). [`Space`] enumerates that partition, so `lint`, `explain` and the expiry
//! warnings of `check` answer exactly — never by sampling — and can always show a concrete example.
//!
//! Like `eval`, this module does no I/O and keeps no clock: "today" is an argument.

pub mod explain;
pub mod lint;
mod space;

use chrono::NaiveDate;

use crate::eval::{DeploymentOutcome, Evaluator, Launches, Verdict};
use crate::model::*;
use crate::plan::Deployment;

pub use space::{describe_point, relation_words, Point, Space};

/// Every date on which some date test, or some agreement's being in force, can change its answer:
/// the first day of each window and the day after its last. Sorted, without repeats.
pub fn boundaries(rules: &RuleSet) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for a in &rules.agreements {
        out.push(a.effective.date);
        if let Some(end) = &a.ends {
            out.extend(end.date.succ_opt());
        }
        for c in &a.clauses {
            for s in &c.statements {
                if let Statement::Rule(r) = s {
                    for cond in r.conditions() {
                        window_bounds(cond, &mut out);
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn window_bounds(c: &Condition, out: &mut Vec<NaiveDate>) {
    match c {
        Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| window_bounds(p, out)),
        Condition::Not(inner) => window_bounds(inner, out),
        Condition::Date { window, .. } => {
            out.extend(window.from);
            out.extend(window.through.and_then(|t| t.succ_opt()));
        }
        Condition::Field { .. } | Condition::Flag { .. } | Condition::Launched { .. } => {}
    }
}

/// The next date after a deployment's own on which its verdict would differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub date: NaiveDate,
    pub outcome: DeploymentOutcome,
}

/// When the same deployment, dated later, would first get another verdict; `None` if never.
///
/// Only boundary dates can change anything, so only they are tried: the rule set's own, plus, for a
/// real plan, the days on which the earliest matching deployment of each relation is reached.
///
/// The deployment is moved, not copied: its own record in the plan does not count as another
/// launch once it is dated later. With `until`, dates after it are not tried.
pub fn next_change(
    evaluator: &Evaluator<'_>,
    d: &Deployment,
    launches: Launches<'_>,
    until: Option<NaiveDate>,
) -> Option<Change> {
    let rules = evaluator.rules();
    let now = evaluator.evaluate_with(d, launches).verdict;
    let mut dates = boundaries(rules);
    let moved = match launches {
        Launches::Plan(index) => Launches::Moved { index, from: d.date },
        other => other,
    };
    if let Launches::Plan(index) = launches {
        for (i, rel) in rules.relations.iter().enumerate() {
            if let Some(first) = index.earliest(RelationId(i as u32), rel, d) {
                dates.push(first);
                dates.extend(first.succ_opt());
            }
        }
        dates.sort_unstable();
        dates.dedup();
    }
    let mut later = d.clone();
    for date in dates.into_iter().filter(|b| *b > d.date && until.is_none_or(|u| *b <= u)) {
        later.date = date;
        let outcome = evaluator.evaluate_with(&later, moved);
        if outcome.verdict != now {
            return Some(Change { date, outcome });
        }
    }
    None
}

/// The clauses (agreement id, clause id) that a violated outcome names, in rule order; `default`
/// stands for an agreement's `default deny`.
pub fn violated_by<'r>(rules: &'r RuleSet, outcome: &DeploymentOutcome) -> Vec<(&'r str, &'r str)> {
    let mut out = Vec::new();
    for a in &outcome.agreements {
        let agreement = &rules.agreements[a.agreement.0 as usize];
        for t in &a.terms {
            if t.status == crate::eval::Status::Violated {
                out.push((agreement.id.as_str(), agreement.clauses[t.clause.0 as usize].id.as_str()));
            }
        }
        if a.denied_by_default {
            out.push((agreement.id.as_str(), "default"));
        }
    }
    out
}

/// A deployment allowed on its date that becomes violated `days` days later, with that change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    pub change: Change,
    pub days: i64,
}

/// The expiry warning for `d`, if it is allowed and turns violated within `days` days of its date.
pub fn expiry(
    evaluator: &Evaluator<'_>,
    d: &Deployment,
    launches: Launches<'_>,
    days: u32,
) -> Option<Expiry> {
    let until = d.date.checked_add_days(chrono::Days::new(u64::from(days)));
    let change = next_change(evaluator, d, launches, until)?;
    let gap = (change.date - d.date).num_days();
    (change.outcome.verdict == Verdict::Violated && gap <= i64::from(days))
        .then_some(Expiry { change, days: gap })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::LaunchState;
    use crate::source::{SourceFile, Sources};

    fn rules(text: &str) -> RuleSet {
        let mut sources = Sources::new();
        sources.add(SourceFile::new("t.terms", text));
        crate::load_rules(&sources).expect("valid rules")
    }

    const RULES: &str = r#"
        vocabulary { party a, b
                     optional cloud x, y, z
                     flag f, g }
        agreement d "D" { effective 2020-01-01 ends 2029-12-31 default allow
          clause c "C" { quote "q" forbid when cloud = x and date between 2024 and 2025-06 unless f
                         require launched(cloud) before date } }"#;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn boundaries_are_the_first_day_and_the_day_after_each_window() {
        let b = boundaries(&rules(RULES));
        let want: Vec<NaiveDate> = ["2020-01-01", "2024-01-01", "2025-07-01", "2030-01-01"].map(day).to_vec();
        assert_eq!(b, want);
    }

    #[test]
    fn the_space_has_named_values_a_stand_in_and_absence() {
        let r = rules(RULES);
        let space = Space::new(&r, vec![day("2024-02-01")]);
        let cloud = r.vocabulary.field("cloud").unwrap();
        // `x` is named; `y` stands in for y and z; the field is optional.
        assert_eq!(space.fields[cloud.0 as usize], vec![Some(ValueId(0)), Some(ValueId(1)), None]);
        assert_eq!(space.flags, vec![FlagId(0)], "only the tested flag");
        // `launched(cloud)` always finds the deployment itself: only "earlier" and "same day" remain.
        assert_eq!(space.points().count(), 3 * 2 * 2);
        // party: no rule names one, so one stand-in; cloud: 3; flag f: 2; one relation: 4 states.
        assert_eq!(space.size(), 3 * 2 * 4);
    }

    #[test]
    fn launch_states_answer_each_qualifier() {
        use LaunchedWhen::*;
        let table: Vec<[bool; 3]> = LaunchState::ALL
            .iter()
            .map(|s| [s.satisfies(Anytime), s.satisfies(OnOrBefore), s.satisfies(Before)])
            .collect();
        assert_eq!(
            table,
            [[false, false, false], [true, true, true], [true, true, false], [true, false, false]]
        );
    }
}
