//! What a rule gives its clause, how a clause's rules combine, exceptions and defaults (S4–S8).
//!
//! These rules of the language are written once, here: the reference interpreter, the compiled
//! program and `lint` all build on them, so the three cannot drift apart. Nothing here knows how a
//! condition is decided; callers pass the answer in.

use super::{Reason, Status, Term};
use crate::model::{
    Agreement, AgreementId, ClauseKey, ClauseRef, Condition, Default, Rule, RuleKind, RuleSet,
};

/// What an applying rule gives its clause (S5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// A `permit`: allowed.
    Permitted,
    /// A `forbid`: violated.
    Forbidden,
    /// A `require` whose requirement held: satisfied.
    RequirementHeld,
    /// A `require` whose requirement failed: violated.
    RequirementFailed,
}

impl Effect {
    pub fn status(self) -> Status {
        match self {
            Effect::Permitted => Status::Allowed,
            Effect::Forbidden | Effect::RequirementFailed => Status::Violated,
            Effect::RequirementHeld => Status::Satisfied,
        }
    }

    pub fn reason(self, rule: u32) -> Reason {
        match self {
            Effect::Permitted => Reason::Permitted { rule },
            Effect::Forbidden => Reason::Forbidden { rule },
            Effect::RequirementHeld => Reason::RequirementHeld { rule },
            Effect::RequirementFailed => Reason::RequirementFailed { rule },
        }
    }
}

/// Whether a rule applies to a deployment (S4), and if it does, what it gives (S5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Applies {
    /// Its `when` does not hold.
    No,
    /// Its `when` holds, but so does its `unless`.
    Excepted,
    Yes(Effect),
}

/// The kind of a rule, over whatever stands for a condition (`&Condition` in the model, a node
/// in the compiled program).
#[derive(Debug, Clone, Copy)]
pub enum Shape<C> {
    Permit,
    Forbid,
    Require(C),
}

/// S4 and S5 for one rule, with `holds` deciding each condition it asks about. The `unless` is
/// only asked when the `when` holds, and the requirement only when the rule applies. Both
/// evaluators call this: it is the one statement of what a rule does.
pub fn decide<C: Copy>(
    when: Option<C>,
    unless: Option<C>,
    shape: Shape<C>,
    mut holds: impl FnMut(C) -> bool,
) -> Applies {
    if !when.is_none_or(&mut holds) {
        return Applies::No;
    }
    if unless.is_some_and(&mut holds) {
        return Applies::Excepted;
    }
    Applies::Yes(match shape {
        Shape::Permit => Effect::Permitted,
        Shape::Forbid => Effect::Forbidden,
        Shape::Require(c) if holds(c) => Effect::RequirementHeld,
        Shape::Require(_) => Effect::RequirementFailed,
    })
}

/// [`decide`] for a rule of the model.
pub fn rule_effect(rule: &Rule, holds: impl FnMut(&Condition) -> bool) -> Applies {
    let shape = match &rule.kind {
        RuleKind::Permit => Shape::Permit,
        RuleKind::Forbid => Shape::Forbid,
        RuleKind::Require(c) => Shape::Require(c),
    };
    decide(rule.when.as_ref(), rule.unless.as_ref(), shape, holds)
}

/// S6: the strongest status among the applying rules of a clause, `violated` > `satisfied` >
/// `allowed`; the first rule (in writing order) with that status gives the reason. A clause none
/// of whose rules applies is not applicable, and says so when an `unless` was the reason.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClauseAcc {
    best: Option<(Status, Reason)>,
    excepted: Option<u32>,
}

impl ClauseAcc {
    /// Adds what rule `rule` (its statement index in the clause) came to. Rules are added in
    /// writing order.
    pub fn add(&mut self, rule: u32, applies: Applies) {
        match applies {
            Applies::No => {}
            Applies::Excepted => {
                self.excepted.get_or_insert(rule);
            }
            Applies::Yes(effect) => {
                let status = effect.status();
                if self.best.is_none_or(|(s, _)| rank(status) > rank(s)) {
                    self.best = Some((status, effect.reason(rule)));
                }
            }
        }
    }

    /// Whether some rule applied or was excepted: the clause has something to report.
    pub fn touched(&self) -> bool {
        self.best.is_some() || self.excepted.is_some()
    }

    pub fn finish(self) -> (Status, Reason) {
        match (self.best, self.excepted) {
            (Some(best), _) => best,
            (None, Some(rule)) => (Status::NotApplicable, Reason::Excepted { rule }),
            (None, None) => (Status::NotApplicable, Reason::NoRuleApplies),
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

/// Every `exception to` of the rule set, by the clause it is an exception to: which clauses can
/// override which, across agreements. Built once per rule set.
#[derive(Debug, Clone, Default)]
pub struct Overriders {
    /// (target, overrider), sorted: for each target, its exceptions in rule order.
    edges: Vec<(ClauseKey, ClauseKey)>,
}

impl Overriders {
    pub fn new(rules: &RuleSet) -> Overriders {
        let mut edges = Vec::new();
        for (a, agreement) in rules.agreements.iter().enumerate() {
            for (c, clause) in agreement.clauses.iter().enumerate() {
                let by = ClauseKey { agreement: AgreementId(a as u32), clause: ClauseRef(c as u32) };
                edges.extend(clause.exception_to.iter().map(|target| (*target, by)));
            }
        }
        edges.sort_unstable();
        edges.dedup();
        Overriders { edges }
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// The exceptions to `target`, in rule order.
    pub fn of(&self, target: ClauseKey) -> impl Iterator<Item = ClauseKey> + '_ {
        let start = self.edges.partition_point(|(t, _)| *t < target);
        self.edges[start..].iter().take_while(move |(t, _)| *t == target).map(|(_, by)| *by)
    }

    /// Whether `key` is an exception to a clause, or has one.
    pub fn involves(&self, key: ClauseKey) -> bool {
        self.edges.iter().any(|(t, by)| *t == key || *by == key)
    }
}

/// S7: a matched clause is overridden when an exception to it (of its own agreement or of another
/// agreement in force) matched and was not itself overridden. `terms` are the terms of every
/// agreement in force, sorted by agreement and clause: all of them, or only those that are not
/// plainly not-applicable (a clause missing from the slice did not match, or its agreement is not
/// in force). Statuses are read as they were before any overriding. The resolver rejects
/// exception cycles, so the walk ends; `memo` keeps it linear.
pub fn apply_exceptions(overriders: &Overriders, terms: &mut [Term]) {
    if overriders.is_empty() || terms.iter().all(|t| overriders.of(t.key()).next().is_none()) {
        return;
    }
    fn position(terms: &[Term], k: ClauseKey) -> Option<usize> {
        terms.binary_search_by_key(&k, Term::key).ok()
    }
    fn overridden_by(
        at: usize,
        terms: &[Term],
        overriders: &Overriders,
        memo: &mut [Option<Option<ClauseKey>>],
    ) -> Option<ClauseKey> {
        if let Some(known) = memo[at] {
            return known;
        }
        // Mark as "not overridden" while this clause's own exceptions are looked at: cycles are
        // rejected by the resolver, so this only guards against a broken rule set looping.
        memo[at] = Some(None);
        let found = overriders.of(terms[at].key()).find(|e| match position(terms, *e) {
            Some(i) => terms[i].status.matched() && overridden_by(i, terms, overriders, memo).is_none(),
            None => false,
        });
        memo[at] = Some(found);
        found
    }
    let mut memo: Vec<Option<Option<ClauseKey>>> = vec![None; terms.len()];
    let winners: Vec<Option<ClauseKey>> = (0..terms.len())
        .map(
            |i| if terms[i].status.matched() { overridden_by(i, terms, overriders, &mut memo) } else { None },
        )
        .collect();
    for (term, by) in terms.iter_mut().zip(winners) {
        if let Some(by) = by {
            term.status = Status::Overridden;
            term.overridden_by = Some(by);
        }
    }
}

/// S8: `default deny` decides when no clause of the agreement is allowed or satisfied.
pub fn denied_by_default(a: &Agreement, terms: &[Term]) -> bool {
    a.default == Default::Deny
        && !terms.iter().any(|t| matches!(t.status, Status::Allowed | Status::Satisfied))
}
