//! Exact analyses over the finite space of deployments a rule set can tell apart.
//!
//! A rule set only distinguishes finitely many deployments: the values its conditions name (plus
//! one stand-in for all the values they do not), the flags they test, the date intervals between
//! the dates they mention, and for each `launched(...)` relation where the plan's earliest match
//! falls ([`LaunchState`]). [`Space`] enumerates that partition point by point (for tests and for
//! what compares evaluators); [`symbolic`] represents the same space as decision diagrams
//! ([`bdd`]), so that `lint` answers questions about all of it at once, exactly, at sizes no
//! enumeration reaches, and still shows a concrete example ([`example`]). `explain` and the
//! expiry warnings of `check` need only the boundary dates ([`next_change`]).
//!
//! Like `eval`, this module does no I/O and keeps no clock: "today" is an argument.

pub mod bdd;
pub mod example;
pub mod explain;
pub mod lint;
mod space;
pub mod symbolic;

pub(crate) use space::Count;

use chrono::NaiveDate;

use crate::eval::{AgreementView, Evaluator, Launches, Status, Verdict};
use crate::model::*;
use crate::plan::Deployment;

pub use space::{Point, Space};

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
            out.extend(c.effective.as_ref().map(|e| e.date));
            out.extend(c.ends.as_ref().and_then(|e| e.date.succ_opt()));
            for s in &c.statements {
                if let Statement::Rule(r) = s {
                    for cond in r.conditions() {
                        window_bounds(cond, &mut out);
                    }
                }
            }
        }
    }
    // A start at an event that has not happened is no day at all.
    out.retain(|d| *d != NaiveDate::MAX && *d != NaiveDate::MIN);
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
    pub verdict: Verdict,
    /// For a change to violated: the clauses violated from then on (`None`: the agreement's
    /// `default deny`), in rule order.
    pub by: Vec<(AgreementId, Option<ClauseRef>)>,
}

/// Something that decides verdicts for deployments that may not be in any plan: the reference
/// [`Evaluator`] (for `explain` and `lint`) or the compiled program (for `check`).
pub trait Judge {
    fn rules(&self) -> &RuleSet;
    fn verdict(&self, d: &Deployment, launches: Launches<'_>) -> Verdict;
    /// The clauses a violated deployment violates, as in [`Change::by`].
    fn violated_by(&self, d: &Deployment, launches: Launches<'_>) -> Vec<(AgreementId, Option<ClauseRef>)>;
}

impl Judge for Evaluator<'_> {
    fn rules(&self) -> &RuleSet {
        Evaluator::rules(self)
    }

    fn verdict(&self, d: &Deployment, launches: Launches<'_>) -> Verdict {
        self.evaluate_with(d, launches).verdict
    }

    fn violated_by(&self, d: &Deployment, launches: Launches<'_>) -> Vec<(AgreementId, Option<ClauseRef>)> {
        let outcome = self.evaluate_with(d, launches);
        let mut out = Vec::new();
        for a in &outcome.agreements {
            out.extend(
                a.terms
                    .iter()
                    .filter(|t| t.status == Status::Violated)
                    .map(|t| (a.agreement, Some(t.clause))),
            );
            if a.denied_by_default {
                out.push((a.agreement, None));
            }
        }
        out
    }
}

/// The violations of a compiled outcome's agreements, as in [`Change::by`].
pub fn violations<'o>(
    agreements: impl Iterator<Item = AgreementView<'o>>,
) -> Vec<(AgreementId, Option<ClauseRef>)> {
    let mut out = Vec::new();
    for a in agreements {
        out.extend(a.violated().map(|t| (a.agreement, Some(t.clause))));
        if a.denied_by_default {
            out.push((a.agreement, None));
        }
    }
    out
}

/// `agreement.clause` for each violation, `agreement.default` for a `default deny`.
pub fn violation_names(rules: &RuleSet, by: &[(AgreementId, Option<ClauseRef>)]) -> Vec<String> {
    by.iter()
        .map(|(a, c)| {
            let agreement = rules.agreement(*a);
            match c {
                Some(c) => format!("{}.{}", agreement.id, agreement.clause(*c).id),
                None => format!("{}.default", agreement.id),
            }
        })
        .collect()
}

/// When the same deployment, dated later, would first get another verdict; `None` if never.
///
/// Only boundary dates can change anything, so only they are tried: the rule set's own
/// (`boundaries`, from [`boundaries`]), plus, for a real plan, the days on which the earliest
/// matching deployment of each relation is reached.
///
/// The deployment is moved, not copied: its own record in the plan does not count as another
/// launch once it is dated later. With `until`, dates after it are not tried.
pub fn next_change(
    judge: &dyn Judge,
    boundaries: &[NaiveDate],
    d: &Deployment,
    launches: Launches<'_>,
    until: Option<NaiveDate>,
) -> Option<Change> {
    let rules = judge.rules();
    let now = judge.verdict(d, launches);
    let in_range = |b: &NaiveDate| *b > d.date && until.is_none_or(|u| *b <= u);
    let start = boundaries.partition_point(|b| *b <= d.date);
    let mut dates: Vec<NaiveDate> = boundaries[start..].iter().copied().take_while(|b| in_range(b)).collect();
    let moved = match launches {
        Launches::Plan(index) => Launches::Moved { index, from: d.date },
        other => other,
    };
    if let Launches::Plan(index) = launches {
        for (i, rel) in rules.relations.iter().enumerate() {
            if let Some(first) = index.earliest(RelationId(i as u32), rel, d) {
                dates.extend([Some(first), first.succ_opt()].into_iter().flatten().filter(|b| in_range(b)));
            }
        }
        dates.sort_unstable();
        dates.dedup();
    }
    let mut later = d.clone();
    for date in dates {
        later.date = date;
        let verdict = judge.verdict(&later, moved);
        if verdict != now {
            let by = if verdict == Verdict::Violated { judge.violated_by(&later, moved) } else { Vec::new() };
            return Some(Change { date, verdict, by });
        }
    }
    None
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
