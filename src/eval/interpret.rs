//! The reference evaluator: the semantics of `docs/language.md` read straight off the rule set.
//!
//! It walks the model's conditions as written and builds every term of every agreement in force.
//! It is the definition the compiled [`super::Program`] is tested against, and what the analyses
//! (`lint`, `explain`, `diff`) use, since they ask about imagined deployments rather than plans.

use super::clause::{apply_exceptions, denied_by_default, overriders, rule_effect, ClauseAcc};
use super::conditions::{holds, Env};
use super::in_force::in_force;
use super::{AgreementOutcome, DeploymentOutcome, Launches, PlanIndex, Reason, Status, Term, Verdict};
use crate::model::*;
use crate::plan::Deployment;

/// Prepared once per rule set: what evaluation needs that does not depend on the plan.
#[derive(Debug)]
pub struct Evaluator<'r> {
    rules: &'r RuleSet,
    /// For each agreement and clause, the clauses declared exceptions to it.
    overriders: Vec<Vec<Vec<ClauseRef>>>,
}

impl<'r> Evaluator<'r> {
    pub fn new(rules: &'r RuleSet) -> Evaluator<'r> {
        Evaluator { rules, overriders: rules.agreements.iter().map(overriders).collect() }
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

    /// Evaluates one deployment, answering `launched(...)` from `launches`.
    pub fn evaluate_with(&self, d: &Deployment, launches: Launches<'_>) -> DeploymentOutcome {
        let agreements: Vec<AgreementOutcome> = self
            .rules
            .agreements
            .iter()
            .enumerate()
            .filter(|(_, a)| self.in_force(a, d))
            .map(|(i, a)| self.agreement(AgreementId(i as u32), a, d, launches))
            .collect();
        let violated = agreements
            .iter()
            .any(|a| a.denied_by_default || a.terms.iter().any(|t| t.status == Status::Violated));
        DeploymentOutcome { verdict: if violated { Verdict::Violated } else { Verdict::Allowed }, agreements }
    }

    fn agreement(
        &self,
        id: AgreementId,
        a: &Agreement,
        d: &Deployment,
        launches: Launches<'_>,
    ) -> AgreementOutcome {
        let env = Env { deployment: d, launches, rules: self.rules };
        let mut terms: Vec<Term> = a
            .clauses
            .iter()
            .enumerate()
            .map(|(c, clause)| {
                let (status, reason) = clause_status(clause, &env);
                Term { clause: ClauseRef(c as u32), status, reason, overridden_by: None }
            })
            .collect();
        apply_exceptions(&self.overriders[id.index()], &mut terms);
        AgreementOutcome { agreement: id, denied_by_default: denied_by_default(a, &terms), terms }
    }
}

/// A clause's status and reason before exceptions (S4–S6, S10).
fn clause_status(clause: &Clause, env: &Env<'_>) -> (Status, Reason) {
    if !clause.governs_deployments() {
        return (Status::NotApplicable, Reason::NotAboutDeployments);
    }
    let mut acc = ClauseAcc::default();
    for (i, rule) in clause.rules() {
        acc.add(i as u32, rule_effect(rule, |c| holds(c, env)));
    }
    acc.finish()
}
