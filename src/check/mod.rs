//! Stage four: a run — plans read once, every record checked once, results handed to the report
//! sinks as they are decided.
//!
//! A [`Checker`] is built once per run (the compiled [`Program`], the dates on which verdicts can
//! change). [`run::run`] drives the passes over the plans: each plan is read once into a spool
//! (memory or a temporary file the caller provides), duplicate ids are found and the
//! `launched(...)` index built from the spool, verdicts are counted for formats that put the
//! totals first, then every record is checked and rendered, on as many threads as asked, and
//! written in input order. Memory does not grow with the number of records, except for the
//! relation index (one entry per key) and, during one pass, 2.3 bytes per record to find
//! duplicate ids.
//!
//! [`policy`] decides a deployment's verdict and the run's, and from them the exit status: the
//! one place that does.

pub mod baseline;
mod expiry;
mod pipeline;
pub mod policy;
pub mod run;
pub mod spool;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::eval::{Launches, Outcome, PlanIndex, Program, Verdict};
use crate::model::*;
use crate::plan::Deployment;

pub use expiry::{EventVariants, Expiry};
pub use policy::{Decision, Disposition, Policy, RunVerdict, Summary, Violation};

/// A plan of the run, as reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanInfo {
    /// As the user named it (`<stdin>` for standard input).
    pub name: Arc<str>,
    /// Which plan of the run, from 0.
    pub seq: usize,
}

/// What reports show of one checked deployment.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    pub plan: &'a PlanInfo,
    pub deployment: &'a Deployment,
    pub outcome: &'a Outcome,
    /// What the language says: violated when some term is.
    pub verdict: Verdict,
    /// What the policy counts it as (waivers, severities, the baseline).
    pub decision: Decision,
    /// Its violated terms, each with its disposition, in report order ([`Policy::judge`]).
    pub violations: &'a [Violation],
    /// The policy the run judged by (the waivers that `violations` name).
    pub policy: &'a Policy,
    /// Allowed now, violated within the `--warn-within` horizon.
    pub expiry: Option<&'a Expiry>,
}

/// Which records a report lists (the summary always counts every one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    /// Only violated deployments and record errors.
    OnlyViolated,
    /// None: the summary alone.
    Quiet,
}

impl Filter {
    pub fn shows(self, verdict: Verdict) -> bool {
        match self {
            Filter::All => true,
            Filter::OnlyViolated => verdict == Verdict::Violated,
            Filter::Quiet => false,
        }
    }

    pub fn shows_errors(self) -> bool {
        self != Filter::Quiet
    }
}

/// Options of a run beyond the rules and the plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CheckOptions {
    /// Warn about allowed deployments that become violated within this many days of their date.
    pub warn_within: Option<u32>,
    /// Threads to check on; 0 or 1: the calling thread alone.
    pub jobs: usize,
}

/// Made once per run: everything checking a deployment needs that does not depend on it.
pub struct Checker<'r> {
    pub program: Program<'r>,
    /// Every date on which a verdict can change, for expiry warnings.
    boundaries: Vec<NaiveDate>,
    warn_within: Option<u32>,
    pub policy: Policy,
    /// With `--warn-within`: the rules with each undated event dated, to name the event that
    /// would change a verdict.
    events: Option<EventVariants>,
}

/// Per-thread working memory of a checker.
#[derive(Debug, Default)]
pub struct Scratch {
    pub outcome: Outcome,
    other: Outcome,
    expiry: Option<Expiry>,
    pub violations: Vec<Violation>,
}

impl<'r> Checker<'r> {
    pub fn new(rules: &'r RuleSet, options: CheckOptions) -> Checker<'r> {
        let boundaries =
            if options.warn_within.is_some() { crate::analysis::boundaries(rules) } else { Vec::new() };
        Checker {
            program: Program::new(rules),
            boundaries,
            warn_within: options.warn_within,
            policy: Policy::default(),
            events: None,
        }
    }

    /// The same checker, judging by `policy` (waivers, baseline, `--fail-on`).
    pub fn with_policy(mut self, policy: Policy) -> Checker<'r> {
        self.policy = policy;
        self
    }

    /// Also warns (with `--warn-within`) about allowed deployments that an event with no date
    /// would violate had it happened by their date.
    pub fn with_events(mut self, variants: EventVariants) -> Checker<'r> {
        if !variants.events.is_empty() {
            self.events = Some(variants);
        }
        self
    }

    pub fn rules(&self) -> &'r RuleSet {
        self.program.rules()
    }

    /// Checks one deployment of the plan indexed by `index`: the outcome is left in
    /// `scratch.outcome`, and an expiry warning (when asked for) in what is returned.
    pub fn check<'s>(
        &self,
        d: &Deployment,
        index: &PlanIndex,
        scratch: &'s mut Scratch,
    ) -> (Verdict, Option<&'s Expiry>) {
        self.program.check(d, Launches::Plan(index), &mut scratch.outcome);
        let verdict = scratch.outcome.verdict();
        scratch.expiry = match self.warn_within {
            Some(days) if verdict == Verdict::Allowed => {
                expiry::expiry(&self.program, &self.boundaries, d, index, days, &mut scratch.other)
                    .or_else(|| self.events.as_ref().and_then(|v| v.first_violating(d, index)))
            }
            _ => None,
        };
        (verdict, scratch.expiry.as_ref())
    }

    /// After [`Checker::check`]: the violated terms' dispositions, left in `scratch.violations`,
    /// and what the deployment counts as.
    pub fn judge(
        &self,
        plan: &PlanInfo,
        d: &Deployment,
        index: &PlanIndex,
        scratch: &mut Scratch,
    ) -> Decision {
        self.policy.judge(self.rules(), plan, d, &scratch.outcome, index, &mut scratch.violations)
    }
}
