//! Stage three: a checked rule set and a checked plan to a verdict on every deployment.
//!
//! For each deployment: the agreements in force on its date and binding its party; for each of
//! their clauses a [`Status`] with a structured [`Reason`]; then exceptions and precedence; then
//! the verdict. The rules of precedence are written down in `docs/language.md`.
//!
//! Evaluation is pure: no I/O, no output format, no clock. It keeps `launched(...)` cheap with a
//! [`PlanIndex`] built once per plan (one hash map per relation, earliest date per key), so a plan of
//! n deployments costs O(n) lookups, never a scan of the plan per deployment.

mod conditions;
mod index;

use crate::model::*;
use crate::plan::{Deployment, Plan, Record};

pub use conditions::{date_params, holds, Env};
pub use index::{matches_itself, LaunchState, Launches, PlanIndex};

/// What a clause came to for one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// Why a clause got its status; statement indexes point into [`Clause::statements`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A permit's condition held.
    Permitted { rule: usize },
    /// A forbid's condition held.
    Forbidden { rule: usize },
    /// A require applied and its requirement held.
    RequirementHeld { rule: usize },
    /// A require applied and its requirement failed.
    RequirementFailed { rule: usize },
    /// The clause matched (for the inner reason) but an exception to it matched too.
    Overridden { by: ClauseRef, matched: Box<Reason> },
    /// A rule's `when` held, but so did its `unless`.
    Excepted { rule: usize },
    /// No rule's `when` held.
    NoRuleApplies,
    /// The clause has no permit, forbid or require: obligations and information only.
    NotAboutDeployments,
}

/// A value the source does not state, on which a term rests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssumptionRef {
    Effective(AgreementId),
    Ends(AgreementId),
    Param(AgreementId, ParamId),
}

impl AssumptionRef {
    pub fn resolve(self, rules: &RuleSet) -> Option<&Assumption> {
        match self {
            AssumptionRef::Effective(a) => rules.agreements[a.0 as usize].effective.assumed.as_ref(),
            AssumptionRef::Ends(a) => rules.agreements[a.0 as usize].ends.as_ref()?.assumed.as_ref(),
            AssumptionRef::Param(a, p) => {
                rules.agreements[a.0 as usize].params[p.0 as usize].assumed.as_ref()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub clause: ClauseRef,
    pub status: Status,
    pub reason: Reason,
    /// Assumed values this status rests on; empty for clauses that do not apply.
    pub assumptions: Vec<AssumptionRef>,
}

/// One agreement's terms for one deployment, in rule-file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementOutcome {
    pub agreement: AgreementId,
    pub terms: Vec<Term>,
    /// `default deny` decided: no clause allowed or was satisfied by the deployment.
    pub denied_by_default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
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

/// Prepared once per rule set: what evaluation needs that does not depend on the plan.
#[derive(Debug)]
pub struct Evaluator<'r> {
    rules: &'r RuleSet,
    party: Option<FieldId>,
    /// For each agreement and clause, the clauses declared exceptions to it.
    overriders: Vec<Vec<Vec<ClauseRef>>>,
}

impl<'r> Evaluator<'r> {
    pub fn new(rules: &'r RuleSet) -> Evaluator<'r> {
        let overriders = rules
            .agreements
            .iter()
            .map(|a| {
                let mut by: Vec<Vec<ClauseRef>> = vec![Vec::new(); a.clauses.len()];
                for (i, c) in a.clauses.iter().enumerate() {
                    for target in &c.exception_to {
                        by[target.0 as usize].push(ClauseRef(i as u16));
                    }
                }
                by
            })
            .collect();
        Evaluator { rules, party: rules.vocabulary.field("party"), overriders }
    }

    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Whether an agreement is in force on the deployment's date and binds its party.
    pub fn in_force(&self, agreement: &Agreement, d: &Deployment) -> bool {
        let date = d.date;
        let started = agreement.effective.date <= date;
        let not_ended = agreement.ends.as_ref().is_none_or(|e| date <= e.date);
        let not_superseded =
            agreement.superseded_by.iter().all(|b| date < self.rules.agreements[b.0 as usize].effective.date);
        let binds = agreement.parties.is_empty()
            || self.party.and_then(|p| d.value(p)).is_some_and(|party| agreement.parties.contains(&party));
        started && not_ended && not_superseded && binds
    }

    /// Evaluates one deployment of a plan whose index is `index`.
    pub fn evaluate(&self, d: &Deployment, index: &PlanIndex) -> DeploymentOutcome {
        self.evaluate_with(d, Launches::Plan(index))
    }

    /// Evaluates one deployment, answering `launched(...)` from `launches`.
    pub fn evaluate_with(&self, d: &Deployment, index: Launches<'_>) -> DeploymentOutcome {
        let agreements: Vec<AgreementOutcome> = self
            .rules
            .agreements
            .iter()
            .enumerate()
            .filter(|(_, a)| self.in_force(a, d))
            .map(|(i, a)| self.agreement(AgreementId(i as u32), a, d, index))
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
        index: Launches<'_>,
    ) -> AgreementOutcome {
        let mut terms: Vec<Term> =
            (0..a.clauses.len()).map(|c| self.clause(id, a, ClauseRef(c as u16), d, index)).collect();
        self.apply_exceptions(id, &mut terms);
        let decided = terms.iter().any(|t| matches!(t.status, Status::Allowed | Status::Satisfied));
        AgreementOutcome { agreement: id, denied_by_default: a.default == Default::Deny && !decided, terms }
    }

    fn clause(
        &self,
        id: AgreementId,
        a: &Agreement,
        clause: ClauseRef,
        d: &Deployment,
        index: Launches<'_>,
    ) -> Term {
        let c = &a.clauses[clause.0 as usize];
        if !c.governs_deployments() {
            return Term {
                clause,
                status: Status::NotApplicable,
                reason: Reason::NotAboutDeployments,
                assumptions: Vec::new(),
            };
        }
        let env = conditions::Env { deployment: d, launches: index, rules: self.rules };
        // Strongest first: a violation decides, then a satisfied requirement, then a permit.
        let mut best: Option<(Status, Reason, &Rule)> = None;
        let mut excepted: Option<usize> = None;
        for (i, stmt) in c.statements.iter().enumerate() {
            let Statement::Rule(rule) = stmt else { continue };
            if !rule.when.as_ref().is_none_or(|w| holds(w, &env)) {
                continue;
            }
            if rule.unless.as_ref().is_some_and(|u| holds(u, &env)) {
                excepted.get_or_insert(i);
                continue;
            }
            let (status, reason) = match &rule.kind {
                RuleKind::Permit => (Status::Allowed, Reason::Permitted { rule: i }),
                RuleKind::Forbid => (Status::Violated, Reason::Forbidden { rule: i }),
                RuleKind::Require(req) if holds(req, &env) => {
                    (Status::Satisfied, Reason::RequirementHeld { rule: i })
                }
                RuleKind::Require(_) => (Status::Violated, Reason::RequirementFailed { rule: i }),
            };
            if best.as_ref().is_none_or(|(s, _, _)| rank(status) > rank(*s)) {
                best = Some((status, reason, rule));
            }
        }
        match best {
            Some((status, reason, rule)) => {
                Term { clause, status, reason, assumptions: assumptions(id, a, rule) }
            }
            None => Term {
                clause,
                status: Status::NotApplicable,
                reason: excepted.map_or(Reason::NoRuleApplies, |rule| Reason::Excepted { rule }),
                assumptions: Vec::new(),
            },
        }
    }

    /// A clause that matched is overridden when an exception to it matched and was not itself
    /// overridden. Exceptions form no cycles (the resolver rejects them), so this terminates.
    fn apply_exceptions(&self, id: AgreementId, terms: &mut [Term]) {
        let overriders = &self.overriders[id.0 as usize];
        if overriders.iter().all(Vec::is_empty) {
            return;
        }
        let mut memo: Vec<Option<Option<ClauseRef>>> = vec![None; terms.len()];
        fn overridden_by(
            c: usize,
            terms: &[Term],
            overriders: &[Vec<ClauseRef>],
            memo: &mut Vec<Option<Option<ClauseRef>>>,
        ) -> Option<ClauseRef> {
            if let Some(known) = memo[c] {
                return known;
            }
            let found = overriders[c].iter().copied().find(|e| {
                terms[e.0 as usize].status.matched()
                    && overridden_by(e.0 as usize, terms, overriders, memo).is_none()
            });
            memo[c] = Some(found);
            found
        }
        let winners: Vec<Option<ClauseRef>> = (0..terms.len())
            .map(|c| {
                if terms[c].status.matched() {
                    overridden_by(c, terms, overriders, &mut memo)
                } else {
                    None
                }
            })
            .collect();
        for (term, by) in terms.iter_mut().zip(winners) {
            if let Some(by) = by {
                term.status = Status::Overridden;
                let matched = std::mem::replace(&mut term.reason, Reason::NoRuleApplies);
                term.reason = Reason::Overridden { by, matched: Box::new(matched) };
            }
        }
    }
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Violated => 3,
        Status::Satisfied => 2,
        Status::Allowed => 1,
        Status::Overridden | Status::NotApplicable => 0,
    }
}

/// The assumed values a term decided by `rule` rests on: the agreement's assumed dates (it is in
/// force because of them) and the assumed parameters the rule's conditions read.
fn assumptions(id: AgreementId, a: &Agreement, rule: &Rule) -> Vec<AssumptionRef> {
    let mut out = Vec::new();
    if a.effective.assumed.is_some() {
        out.push(AssumptionRef::Effective(id));
    }
    if a.ends.as_ref().is_some_and(|e| e.assumed.is_some()) {
        out.push(AssumptionRef::Ends(id));
    }
    let mut params = Vec::new();
    for c in rule.conditions() {
        conditions::date_params(c, &mut params);
    }
    params.sort_unstable();
    params.dedup();
    out.extend(
        params
            .into_iter()
            .filter(|p| a.params[p.0 as usize].assumed.is_some())
            .map(|p| AssumptionRef::Param(id, p)),
    );
    out
}

/// Evaluates every valid record of a plan; `None` stands for an invalid record, so the result
/// lines up with `plan.records`.
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
