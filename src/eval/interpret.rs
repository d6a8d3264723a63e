//! The reference evaluator: the semantics of `docs/language.md` read straight off the rule set.
//!
//! It walks the model's conditions as written and builds every term of every agreement in force.
//! It is the definition the compiled [`super::Program`] is tested against, and what the analyses
//! (`lint`, `explain`, `diff`) use, since they ask about imagined deployments rather than plans.

use super::clause::{apply_exceptions, denied_by_default, rule_effect, ClauseAcc, Overriders};
use super::conditions::{holds, Env};
use super::in_force::{clause_in_force, in_force};
use super::{AgreementOutcome, DeploymentOutcome, Launches, PlanIndex, Reason, Status, Term, Verdict};
use crate::model::*;
use crate::plan::Deployment;

/// Prepared once per rule set: what evaluation needs that does not depend on the plan.
#[derive(Debug)]
pub struct Evaluator<'r> {
    rules: &'r RuleSet,
    /// Which clauses are exceptions to which, across agreements.
    overriders: Overriders,
}

impl<'r> Evaluator<'r> {
    pub fn new(rules: &'r RuleSet) -> Evaluator<'r> {
        Evaluator { rules, overriders: Overriders::new(rules) }
    }

    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Whether an agreement is in force on the deployment's date and binds its party.
    pub fn in_force(&self, agreement: &Agreement, d: &Deployment) -> bool {
        in_force(self.rules, agreement, d.date, self.rules.party.and_then(|p| d.value(p))).yes()
    }

    /// Evaluates one deployment of a plan whose index is `index`.
    pub fn evaluate(&self, d: &Deployment, index: &PlanIndex) -> DeploymentOutcome {
        self.evaluate_with(d, Launches::Plan(index))
    }

    /// Evaluates one deployment, answering `launched(...)` from `launches`: every clause of every
    /// agreement in force (S4–S6, S10), then exceptions across all of them (S7), then each
    /// agreement's default (S8) and the verdict (S9).
    pub fn evaluate_with(&self, d: &Deployment, launches: Launches<'_>) -> DeploymentOutcome {
        let env = Env { deployment: d, launches, rules: self.rules };
        let mut terms: Vec<Term> = Vec::new();
        let mut spans: Vec<(AgreementId, usize, usize)> = Vec::new();
        for (i, a) in self.rules.agreements.iter().enumerate() {
            if !self.in_force(a, d) {
                continue;
            }
            let id = AgreementId(i as u32);
            let start = terms.len();
            terms.extend(a.clauses.iter().enumerate().map(|(c, clause)| {
                let (status, reason) = clause_status(self.rules, clause, &env);
                Term { agreement: id, clause: ClauseRef(c as u32), status, reason, overridden_by: None }
            }));
            spans.push((id, start, terms.len()));
        }
        apply_exceptions(&self.overriders, &mut terms);
        let agreements: Vec<AgreementOutcome> = spans
            .into_iter()
            .map(|(id, start, end)| {
                let terms = terms[start..end].to_vec();
                AgreementOutcome {
                    agreement: id,
                    denied_by_default: denied_by_default(self.rules.agreement(id), &terms),
                    terms,
                }
            })
            .collect();
        let violated = agreements
            .iter()
            .any(|a| a.denied_by_default || a.terms.iter().any(|t| t.status == Status::Violated));
        DeploymentOutcome { verdict: if violated { Verdict::Violated } else { Verdict::Allowed }, agreements }
    }
}

/// A clause's status and reason before exceptions (S3a, S4–S6, S10).
fn clause_status(rules: &RuleSet, clause: &Clause, env: &Env<'_>) -> (Status, Reason) {
    if !clause.governs_deployments() {
        return (Status::NotApplicable, Reason::NotAboutDeployments);
    }
    if !clause_in_force(rules, clause, env.deployment.date).yes() {
        return (Status::NotApplicable, Reason::ClauseNotInForce);
    }
    let mut acc = ClauseAcc::default();
    for (i, rule) in clause.rules() {
        acc.add(i as u32, rule_effect(rule, |c| holds(c, env)));
    }
    acc.finish()
}
