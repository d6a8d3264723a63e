//! The verdict policy: how each violated term counts, what a deployment counts as, what a run's
//! counts come to, and the exit status. The one place a verdict or an exit status is decided;
//! every format and every subcommand asks here.
//!
//! The language decides which terms are violated (`eval`). Here each violated term gets its
//! [`Disposition`]: waived (an active waiver covers it), advisory (its clause says `severity
//! advisory`), known (the baseline has it) or mandatory, in that order of precedence. A
//! deployment counts as the weightiest disposition among its violated terms ([`Decision`]):
//! violated (some mandatory term) before known, waived and advisory; allowed when none is
//! violated. Only violated deployments fail a run, and advisory ones with `--fail-on advisory`.

use chrono::NaiveDate;
use serde::Serialize;

use super::baseline::Baseline;
use super::PlanInfo;
use crate::eval::{Outcome, PlanIndex};
use crate::model::{AgreementId, ClauseRef, ClauseSeverity, RuleSet};
use crate::plan::Deployment;
use crate::waivers::Waivers;

/// Every record counted exactly once:
/// `allowed + violated + advisory + waived + known + errors == deployments`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Summary {
    pub deployments: usize,
    pub allowed: usize,
    /// Deployments with a mandatory violation that no waiver or baseline covers.
    pub violated: usize,
    pub errors: usize,
    /// Allowed deployments that become violated soon (`check --warn-within`); not part of the sum.
    pub warnings: usize,
    /// Deployments whose only violations are of advisory clauses.
    pub advisory: usize,
    /// Deployments whose violations are all waived (or advisory).
    pub waived: usize,
    /// Deployments whose violations are all in the baseline (or waived, or advisory).
    pub known: usize,
}

impl Summary {
    pub fn add(&mut self, other: &Summary) {
        self.deployments += other.deployments;
        self.allowed += other.allowed;
        self.violated += other.violated;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.advisory += other.advisory;
        self.waived += other.waived;
        self.known += other.known;
    }

    /// Counts one record: `None` for a record in error.
    pub fn tally(&mut self, decision: Option<Decision>, warned: bool) {
        self.deployments += 1;
        match decision {
            None => self.errors += 1,
            Some(Decision::Allowed) => self.allowed += 1,
            Some(Decision::Violated) => self.violated += 1,
            Some(Decision::Advisory) => self.advisory += 1,
            Some(Decision::Waived) => self.waived += 1,
            Some(Decision::Known) => self.known += 1,
        }
        self.warnings += usize::from(warned);
    }
}

/// How one violated term counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Fails the run.
    Mandatory,
    /// Its clause says `severity advisory`: fails the run only with `--fail-on advisory`.
    Advisory,
    /// An active waiver covers it.
    Waived,
    /// The baseline has it.
    Known,
}

impl Disposition {
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Mandatory => "mandatory",
            Disposition::Advisory => "advisory",
            Disposition::Waived => "waived",
            Disposition::Known => "known",
        }
    }
}

/// What a deployment counts as in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Allowed,
    Violated,
    Known,
    Waived,
    Advisory,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Violated => "violated",
            Decision::Known => "known",
            Decision::Waived => "waived",
            Decision::Advisory => "advisory",
        }
    }
}

/// One violated term of a deployment and how it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Violation {
    pub agreement: AgreementId,
    /// `None`: the agreement's `default deny`.
    pub clause: Option<ClauseRef>,
    pub severity: ClauseSeverity,
    pub disposition: Disposition,
    /// The waiver that waives it, by index ([`Disposition::Waived`]).
    pub waiver: Option<u32>,
    /// A waiver that would cover it but has expired.
    pub expired_waiver: Option<u32>,
    /// Its entry in the baseline, when the baseline has it (whatever its disposition).
    pub baseline: Option<u32>,
}

/// What decides dispositions, beyond the rules: waivers, a baseline, and what fails a run.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub waivers: Waivers,
    pub baseline: Option<Baseline>,
    /// `--fail-on advisory`.
    pub fail_on_advisory: bool,
    /// The day waivers' expiry is judged on (the CLI's `--today`; the library keeps no clock).
    pub today: NaiveDate,
}

impl Policy {
    /// The violated terms of a checked deployment, in report order (agreements in rule-set
    /// order; each one's violated clauses in clause order, then its `default deny`), each with its
    /// disposition, into `out`; and what the deployment counts as.
    pub fn judge(
        &self,
        rules: &RuleSet,
        plan: &PlanInfo,
        d: &Deployment,
        outcome: &Outcome,
        index: &PlanIndex,
        out: &mut Vec<Violation>,
    ) -> Decision {
        out.clear();
        for view in outcome.agreements() {
            let a = rules.agreement(view.agreement);
            for t in view.violated() {
                let severity = a.clause(t.clause).severity;
                out.push(self.violation(rules, plan, d, index, view.agreement, Some(t.clause), severity));
            }
            if view.denied_by_default {
                out.push(self.violation(
                    rules,
                    plan,
                    d,
                    index,
                    view.agreement,
                    None,
                    ClauseSeverity::Mandatory,
                ));
            }
        }
        decision(out, self.fail_on_advisory)
    }

    #[allow(clippy::too_many_arguments)]
    fn violation(
        &self,
        rules: &RuleSet,
        plan: &PlanInfo,
        d: &Deployment,
        index: &PlanIndex,
        agreement: AgreementId,
        clause: Option<ClauseRef>,
        severity: ClauseSeverity,
    ) -> Violation {
        let mut waiver = None;
        let mut expired_waiver = None;
        for (i, w) in self.waivers.list.iter().enumerate() {
            if w.agreement != agreement || w.clause != clause || !w.covers(rules, d, index) {
                continue;
            }
            if w.active(self.today) {
                waiver = Some(i as u32);
                break;
            }
            expired_waiver.get_or_insert(i as u32);
        }
        let baseline = self.baseline.as_ref().and_then(|b| {
            let a = rules.agreement(agreement);
            let c = clause.map_or(crate::waivers::DEFAULT_CLAUSE, |c| a.clause(c).id.as_str());
            b.find(&plan.name, &d.id, &a.id, c)
        });
        let disposition = if waiver.is_some() {
            Disposition::Waived
        } else if severity == ClauseSeverity::Advisory {
            Disposition::Advisory
        } else if baseline.is_some() {
            Disposition::Known
        } else {
            Disposition::Mandatory
        };
        Violation { agreement, clause, severity, disposition, waiver, expired_waiver, baseline }
    }

    /// The verdict of counts, with `failed_plans` plans that could not be read at all.
    pub fn verdict(&self, summary: &Summary, failed_plans: usize) -> RunVerdict {
        let failing = summary.violated + if self.fail_on_advisory { summary.advisory } else { 0 };
        RunVerdict::from_counts(summary.errors + failed_plans, failing)
    }

    /// Whether a deployment counted as `decision` fails the run.
    pub fn fails(&self, decision: Decision) -> bool {
        decision == Decision::Violated || (self.fail_on_advisory && decision == Decision::Advisory)
    }

    /// Whether a violated term of this disposition fails the run.
    pub fn term_fails(&self, disposition: Disposition) -> bool {
        disposition == Disposition::Mandatory
            || (self.fail_on_advisory && disposition == Disposition::Advisory)
    }
}

/// What a deployment with these violated terms counts as. With `--fail-on advisory`
/// (`advisory_fails`) an advisory term weighs more than a known or waived one, since it fails
/// the run and they do not.
pub fn decision(violations: &[Violation], advisory_fails: bool) -> Decision {
    let has = |d: Disposition| violations.iter().any(|v| v.disposition == d);
    if violations.is_empty() {
        Decision::Allowed
    } else if has(Disposition::Mandatory) {
        Decision::Violated
    } else if advisory_fails && has(Disposition::Advisory) {
        Decision::Advisory
    } else if has(Disposition::Known) {
        Decision::Known
    } else if has(Disposition::Waived) {
        Decision::Waived
    } else {
        Decision::Advisory
    }
}

/// What a whole run comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunVerdict {
    Allowed,
    Violated,
    /// A record, a plan or the rules are wrong.
    Error,
}

impl RunVerdict {
    /// The verdict of counts under the default policy (no waivers, advisory never fails).
    pub fn of(summary: &Summary, failed_plans: usize) -> RunVerdict {
        Policy::default().verdict(summary, failed_plans)
    }

    /// The verdict of any run's counts: an input error decides, then a violation. `ledger` asks
    /// here with its broken entries and violated payment terms; `check` through
    /// [`Policy::verdict`].
    pub fn from_counts(errors: usize, violated: usize) -> RunVerdict {
        if errors > 0 {
            RunVerdict::Error
        } else if violated > 0 {
            RunVerdict::Violated
        } else {
            RunVerdict::Allowed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RunVerdict::Allowed => "allowed",
            RunVerdict::Violated => "violated",
            RunVerdict::Error => "error",
        }
    }
}

/// How a run ends, for every subcommand: 0 clean, 1 findings, 2 the input or the command is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Findings = 1,
    Error = 2,
}

/// What `check` exits with: `warnings` (expiry warnings and waivers that matched nothing) fail
/// the run only when denied.
pub fn exit(verdict: RunVerdict, warnings: usize, deny_warnings: bool) -> Exit {
    match verdict {
        RunVerdict::Error => Exit::Error,
        RunVerdict::Violated => Exit::Findings,
        RunVerdict::Allowed if deny_warnings && warnings > 0 => Exit::Findings,
        RunVerdict::Allowed => Exit::Success,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(disposition: Disposition) -> Violation {
        Violation {
            agreement: AgreementId(0),
            clause: None,
            severity: ClauseSeverity::Mandatory,
            disposition,
            waiver: None,
            expired_waiver: None,
            baseline: None,
        }
    }

    #[test]
    fn a_deployment_counts_as_its_weightiest_violation() {
        use Disposition::*;
        assert_eq!(decision(&[], false), Decision::Allowed);
        assert_eq!(decision(&[v(Advisory), v(Mandatory)], false), Decision::Violated);
        assert_eq!(decision(&[v(Advisory), v(Waived), v(Known)], false), Decision::Known);
        assert_eq!(decision(&[v(Advisory), v(Waived)], false), Decision::Waived);
        assert_eq!(decision(&[v(Advisory)], false), Decision::Advisory);
    }

    #[test]
    fn with_fail_on_advisory_an_advisory_term_outweighs_known_and_waived_ones() {
        use Disposition::*;
        assert_eq!(decision(&[v(Known), v(Advisory)], true), Decision::Advisory);
        assert_eq!(decision(&[v(Waived), v(Advisory)], true), Decision::Advisory);
        assert_eq!(decision(&[v(Advisory), v(Mandatory)], true), Decision::Violated);
        let strict = Policy { fail_on_advisory: true, ..Policy::default() };
        assert!(strict.fails(decision(&[v(Known), v(Advisory)], true)));
    }

    #[test]
    fn advisory_fails_only_when_asked() {
        let s = Summary { deployments: 1, advisory: 1, ..Summary::default() };
        assert_eq!(Policy::default().verdict(&s, 0), RunVerdict::Allowed);
        let strict = Policy { fail_on_advisory: true, ..Policy::default() };
        assert_eq!(strict.verdict(&s, 0), RunVerdict::Violated);
        assert_eq!(exit(RunVerdict::Allowed, 1, true), Exit::Findings);
        assert_eq!(exit(RunVerdict::Allowed, 1, false), Exit::Success);
    }
}

/// What a run made of the waivers and the baseline: how many violations each waiver waived (or
/// would have, had it not expired), and which baseline entries were found again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    pub waived: Vec<usize>,
    pub expired: Vec<usize>,
    pub baseline_seen: Vec<bool>,
}

/// One use of a waiver or a baseline entry, noted while checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Waived(u32),
    Expired(u32),
    Baseline(u32),
}

impl Usage {
    pub fn new(policy: &Policy) -> Usage {
        Usage {
            waived: vec![0; policy.waivers.list.len()],
            expired: vec![0; policy.waivers.list.len()],
            baseline_seen: vec![false; policy.baseline.as_ref().map_or(0, |b| b.entries.len())],
        }
    }

    /// The marks of one deployment's violations.
    pub fn marks(violations: &[Violation], out: &mut Vec<Mark>) {
        for v in violations {
            if let Some(w) = v.waiver {
                out.push(Mark::Waived(w));
            }
            if let Some(w) = v.expired_waiver {
                out.push(Mark::Expired(w));
            }
            if let Some(b) = v.baseline {
                out.push(Mark::Baseline(b));
            }
        }
    }

    pub fn add(&mut self, mark: Mark) {
        let slot = |v: &mut Vec<usize>, i: u32| {
            if let Some(n) = v.get_mut(i as usize) {
                *n += 1;
            }
        };
        match mark {
            Mark::Waived(i) => slot(&mut self.waived, i),
            Mark::Expired(i) => slot(&mut self.expired, i),
            Mark::Baseline(i) => {
                if let Some(seen) = self.baseline_seen.get_mut(i as usize) {
                    *seen = true;
                }
            }
        }
    }

    /// Waivers that matched no violation at all (a warning each).
    pub fn unused_waivers(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.waived.len()).filter(|&i| self.waived[i] == 0 && self.expired[i] == 0)
    }

    /// Waivers that have expired but would cover some violation of the run, each with how many.
    pub fn expired_waivers(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.expired.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (i, *n))
    }

    /// Baseline entries the run did not find again: fixed.
    pub fn fixed(&self) -> impl Iterator<Item = usize> + '_ {
        self.baseline_seen.iter().enumerate().filter(|(_, seen)| !**seen).map(|(i, _)| i)
    }
}
