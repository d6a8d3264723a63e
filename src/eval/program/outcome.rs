//! What the program says about one deployment, in a buffer reused from one deployment to the next.

use crate::eval::{AgreementOutcome, DeploymentOutcome, Status, Term, Verdict};
use crate::model::*;

/// The result of checking one deployment: the agreements in force and, for each, only the terms
/// of clauses that matched (or whose `unless` held); every other clause is not applicable.
/// Reuse one `Outcome` for many deployments: checking clears it and keeps its allocations.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub(super) verdict: Verdict,
    /// The date of the deployment checked, for the reasons of the terms that did not apply.
    pub(super) date: chrono::NaiveDate,
    pub(super) agreements: Vec<Entry>,
    pub(super) terms: Vec<Term>,
    /// `launched(...)` answers for the deployment being checked, per relation (0: not asked yet).
    pub(super) launches: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub agreement: AgreementId,
    pub start: u32,
    pub end: u32,
    pub denied_by_default: bool,
}

/// One agreement in force for the deployment.
#[derive(Debug, Clone, Copy)]
pub struct AgreementView<'o> {
    pub agreement: AgreementId,
    /// The deployment's date.
    pub date: chrono::NaiveDate,
    /// `default deny` decided: no clause allowed or was satisfied by the deployment.
    pub denied_by_default: bool,
    /// The terms of the clauses that matched, or whose `unless` held, in clause order.
    pub matched: &'o [Term],
}

impl<'o> AgreementView<'o> {
    /// Every clause's term in rule-file order: those that matched as decided, the others not
    /// applicable (S3a, S4, S10).
    pub fn terms<'r>(&self, rules: &'r RuleSet) -> impl Iterator<Item = Term> + use<'o, 'r> {
        let mut matched = self.matched.iter().peekable();
        let (agreement, date) = (self.agreement, self.date);
        (0..rules.agreement(agreement).clauses.len()).map(move |i| {
            let clause = ClauseRef(i as u32);
            match matched.next_if(|t| t.clause == clause) {
                Some(t) => *t,
                None => Term::not_applicable(rules, ClauseKey { agreement, clause }, date),
            }
        })
    }

    /// The terms that are violated, in clause order.
    pub fn violated(&self) -> impl Iterator<Item = &'o Term> {
        self.matched.iter().filter(|t| t.status == Status::Violated)
    }
}

impl Outcome {
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// The agreements in force, in rule-set order.
    pub fn agreements(&self) -> impl ExactSizeIterator<Item = AgreementView<'_>> + '_ {
        self.agreements.iter().map(|e| AgreementView {
            agreement: e.agreement,
            date: self.date,
            denied_by_default: e.denied_by_default,
            matched: &self.terms[e.start as usize..e.end as usize],
        })
    }

    pub(super) fn clear(&mut self, relations: usize) {
        self.verdict = Verdict::Allowed;
        self.agreements.clear();
        self.terms.clear();
        self.launches.clear();
        self.launches.resize(relations, 0);
    }

    /// The same result in the reference evaluator's shape, every term listed.
    pub fn to_deployment_outcome(&self, rules: &RuleSet) -> DeploymentOutcome {
        DeploymentOutcome {
            verdict: self.verdict,
            agreements: self
                .agreements()
                .map(|view| AgreementOutcome {
                    agreement: view.agreement,
                    terms: view.terms(rules).collect(),
                    denied_by_default: view.denied_by_default,
                })
                .collect(),
        }
    }
}
