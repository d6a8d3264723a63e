//! Stage three: a checked rule set and a deployment to a verdict, with every term's status.
//!
//! For each deployment: the agreements in force on its date that bind its party
//! ([`in_force`]); for each of their clauses a [`Status`] with a structured [`Reason`]
//! ([`clause`]: S4–S6); then exceptions (S7) and defaults (S8); then the verdict (S9). The rules of
//! precedence are written down in `docs/language.md`.
//!
//! There are two evaluators with one meaning. [`Evaluator`] is the reference: it reads the rule
//! set as written and builds every term, and the analyses use it. [`Program`] is compiled once
//! per run for the hot path of `check` — value sets as bitsets, periods of force precomputed, the
//! rules of a large agreement indexed by a field so a deployment visits only those that can apply,
//! no allocation per deployment — and is tested to agree with the reference on every point of the
//! analysis space and on generated rule sets.
//!
//! Evaluation is pure: no I/O, no output format, no clock. `launched(...)` is answered from a
//! [`PlanIndex`] built once per plan (earliest date per key), never by a scan of the plan.

pub mod clause;
mod conditions;
pub mod in_force;
mod index;
mod interpret;
pub mod program;

use crate::model::*;
use crate::plan::{Plan, Record};

pub use clause::{rule_effect, Applies, Effect};
pub use conditions::{holds, Env};
pub use in_force::{clause_in_force, clause_period, in_force, period, ClauseInForce, InForce, Period};
pub use index::{matches_itself, LaunchState, Launches, PlanIndex};
pub use interpret::Evaluator;
pub use program::{AgreementView, Outcome, Program};

/// What a clause came to for one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A permit matched.
    Allowed,
    /// A forbid matched, or a require applied and failed.
    Violated,
    /// A require applied and held.
    Satisfied,
    /// The clause matched, but a clause declared an exception to it matched too.
    Overridden,
    /// No rule of the clause applies (or it is an obligation or information clause).
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Allowed => "allowed",
            Status::Violated => "violated",
            Status::Satisfied => "satisfied",
            Status::Overridden => "overridden",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// Whether some rule of the clause applied to the deployment.
    pub fn matched(self) -> bool {
        !matches!(self, Status::NotApplicable)
    }
}

/// Why a clause got its status. `rule` is a statement index into [`Clause::statements`]. An
/// overridden term keeps the reason it matched for; [`Term::overridden_by`] names the exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// A permit's condition held.
    Permitted { rule: u32 },
    /// A forbid's condition held.
    Forbidden { rule: u32 },
    /// A require applied and its requirement held.
    RequirementHeld { rule: u32 },
    /// A require applied and its requirement failed.
    RequirementFailed { rule: u32 },
    /// A rule's `when` held, but so did its `unless`.
    Excepted { rule: u32 },
    /// No rule's `when` held.
    NoRuleApplies,
    /// The clause is not in force on the deployment's date (its own dates, or superseded).
    ClauseNotInForce,
    /// The clause has no permit, forbid or require: obligations and information only.
    NotAboutDeployments,
}

impl Reason {
    /// The statement index of the rule that decided, if a rule did.
    pub fn rule(self) -> Option<usize> {
        match self {
            Reason::Permitted { rule }
            | Reason::Forbidden { rule }
            | Reason::RequirementHeld { rule }
            | Reason::RequirementFailed { rule }
            | Reason::Excepted { rule } => Some(rule as usize),
            Reason::NoRuleApplies | Reason::ClauseNotInForce | Reason::NotAboutDeployments => None,
        }
    }
}

/// One clause's result for one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term {
    pub agreement: AgreementId,
    pub clause: ClauseRef,
    pub status: Status,
    pub reason: Reason,
    /// For an overridden term: the exception that overrode it, of this agreement or another.
    pub overridden_by: Option<ClauseKey>,
}

impl Term {
    /// A clause no rule of which applied on `date`: not about deployments, not in force on that
    /// date (S3a), or none of its rules' `when` held.
    pub fn not_applicable(rules: &RuleSet, key: ClauseKey, date: chrono::NaiveDate) -> Term {
        let clause = rules.clause(key);
        let reason = if !clause.governs_deployments() {
            Reason::NotAboutDeployments
        } else if !clause_in_force(rules, clause, date).yes() {
            Reason::ClauseNotInForce
        } else {
            Reason::NoRuleApplies
        };
        Term {
            agreement: key.agreement,
            clause: key.clause,
            status: Status::NotApplicable,
            reason,
            overridden_by: None,
        }
    }

    pub fn key(&self) -> ClauseKey {
        ClauseKey { agreement: self.agreement, clause: self.clause }
    }

    /// The assumed values this term rests on (S11): those of the rule that decided it, for a
    /// term a rule decided (overridden ones included); none for a term that does not apply.
    pub fn assumptions<'r>(&self, agreement: &'r Agreement) -> &'r [AssumptionRef] {
        if !self.status.matched() {
            return &[];
        }
        let rule = self.reason.rule().and_then(|i| agreement.clause(self.clause).rule(i));
        rule.map_or(&[], |r| r.assumptions.as_slice())
    }
}

/// One agreement's terms for one deployment, in rule-file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementOutcome {
    pub agreement: AgreementId,
    pub terms: Vec<Term>,
    /// `default deny` decided: no clause allowed or was satisfied by the deployment.
    pub denied_by_default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    #[default]
    Allowed,
    Violated,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Violated => "violated",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentOutcome {
    pub verdict: Verdict,
    /// The agreements in force on the deployment's date that bind its party, in rule-set order.
    pub agreements: Vec<AgreementOutcome>,
}

/// Evaluates every valid record of a plan with the reference evaluator; `None` stands for an
/// invalid record, so the result lines up with `plan.records`.
pub fn evaluate_plan(rules: &RuleSet, plan: &Plan) -> Vec<Option<DeploymentOutcome>> {
    let evaluator = Evaluator::new(rules);
    let index = PlanIndex::build(rules, plan.deployments());
    plan.records
        .iter()
        .map(|r| match r {
            Record::Valid(d) => Some(evaluator.evaluate(d, &index)),
            Record::Invalid(_) => None,
        })
        .collect()
}
