//! Running the program on one deployment.

use super::outcome::Entry;
use super::{AgreementCode, Kind, Node, Outcome, Program, RuleCode};
use crate::eval::clause::{apply_exceptions, decide, Applies, ClauseAcc, Shape};
use crate::eval::{LaunchState, Launches, Status, Term, Verdict};
use crate::plan::Deployment;

/// The deployment being checked and where `launched(...)` is answered from.
struct Cx<'a, 'o> {
    d: &'a Deployment,
    launches: Launches<'a>,
    cache: &'o mut [u8],
}

impl Program<'_> {
    /// Checks one deployment, leaving the result in `out` (cleared first).
    pub fn check(&self, d: &Deployment, launches: Launches<'_>, out: &mut Outcome) {
        out.clear(self.rules.relations.len());
        out.date = d.date;
        let party = self.rules.party.and_then(|p| d.value(p));
        let mut terms = std::mem::take(&mut out.terms);
        let mut cache = std::mem::take(&mut out.launches);
        for a in &self.agreements {
            if d.date < a.from || d.date > a.through {
                continue;
            }
            if let Some((offset, words)) = a.parties {
                if !party.is_some_and(|p| self.bit(offset, words, p.0 as usize)) {
                    continue;
                }
            }
            let mut cx = Cx { d, launches, cache: &mut cache };
            let start = terms.len();
            self.agreement(a, &mut cx, &mut terms);
            out.agreements.push(Entry {
                agreement: a.id,
                start: start as u32,
                end: terms.len() as u32,
                denied_by_default: a.default_deny,
            });
        }
        // Exceptions may cross agreements: applied once every agreement's terms are in (S7).
        apply_exceptions(&self.overriders, &mut terms);
        let mut violated = false;
        for e in &mut out.agreements {
            let decided = &terms[e.start as usize..e.end as usize];
            e.denied_by_default = e.denied_by_default
                && !decided.iter().any(|t| matches!(t.status, Status::Allowed | Status::Satisfied));
            violated |= e.denied_by_default || decided.iter().any(|t| t.status == Status::Violated);
        }
        out.terms = terms;
        out.launches = cache;
        out.verdict = if violated { Verdict::Violated } else { Verdict::Allowed };
    }

    /// The verdict alone, using `scratch` as the working buffer.
    pub fn verdict(&self, d: &Deployment, launches: Launches<'_>, scratch: &mut Outcome) -> Verdict {
        self.check(d, launches, scratch);
        scratch.verdict
    }

    /// The terms of the clauses that matched, in clause order, with exceptions applied (S4–S7).
    fn agreement(&self, a: &AgreementCode, cx: &mut Cx<'_, '_>, terms: &mut Vec<Term>) {
        match &a.index {
            Some(index) => {
                let list = cx.d.value(index.field).map_or(index.by_value.len() - 1, |v| v.0 as usize);
                let rules = index.by_value.get(list).map_or(&[][..], Vec::as_slice);
                self.rules_of(a, rules.iter().map(|r| &a.rules[*r as usize]), cx, terms);
            }
            None => self.rules_of(a, a.rules.iter(), cx, terms),
        }
    }

    /// Runs rules given in clause and statement order, pushing a term for each clause touched.
    fn rules_of<'c>(
        &self,
        a: &AgreementCode,
        rules: impl Iterator<Item = &'c RuleCode>,
        cx: &mut Cx<'_, '_>,
        terms: &mut Vec<Term>,
    ) {
        let mut current: Option<u32> = None;
        let mut acc = ClauseAcc::default();
        let date = cx.d.date;
        for rule in rules {
            // A clause not in force on its own terms has no rule that applies (S3a).
            if date < rule.from || date > rule.through {
                continue;
            }
            if current != Some(rule.clause) {
                if let Some(clause) = current {
                    flush(a.id, clause, acc, terms);
                }
                current = Some(rule.clause);
                acc = ClauseAcc::default();
            }
            acc.add(rule.stmt, self.applies(rule, cx));
        }
        if let Some(clause) = current {
            flush(a.id, clause, acc, terms);
        }
    }

    fn applies(&self, rule: &RuleCode, cx: &mut Cx<'_, '_>) -> Applies {
        let shape = match rule.kind {
            Kind::Permit => Shape::Permit,
            Kind::Forbid => Shape::Forbid,
            Kind::Require(n) => Shape::Require(n),
        };
        decide(rule.when, rule.unless, shape, |n| self.holds(n, cx))
    }

    fn bit(&self, offset: u32, words: u32, v: usize) -> bool {
        v / 64 < words as usize && (self.bits[offset as usize + v / 64] >> (v % 64)) & 1 == 1
    }

    fn holds(&self, n: u32, cx: &mut Cx<'_, '_>) -> bool {
        match self.nodes[n as usize] {
            Node::And { start, len } => (start..start + len).all(|k| self.holds(self.kids[k as usize], cx)),
            Node::Or { start, len } => (start..start + len).any(|k| self.holds(self.kids[k as usize], cx)),
            Node::Not(inner) => !self.holds(inner, cx),
            Node::Field { field, offset, words, negated } => {
                let inside = match cx.d.values.get(field as usize) {
                    Some(Some(v)) => self.bit(offset, words, v.0 as usize),
                    _ => false,
                };
                inside != negated
            }
            Node::Flag(flag) => cx.d.has_flag(flag),
            Node::Date { from, through } => from <= cx.d.date && cx.d.date <= through,
            Node::Launched { relation, when } => {
                let slot = relation.0 as usize;
                let state = match cx.cache.get(slot).copied().unwrap_or(0) {
                    0 => {
                        let rel = &self.rules.relations[slot];
                        let state = cx.launches.state(relation, rel, cx.d);
                        if let Some(c) = cx.cache.get_mut(slot) {
                            *c = state as u8 + 1;
                        }
                        state
                    }
                    known => LaunchState::ALL[usize::from(known - 1).min(3)],
                };
                state.satisfies(when)
            }
        }
    }
}

fn flush(agreement: crate::model::AgreementId, clause: u32, acc: ClauseAcc, terms: &mut Vec<Term>) {
    if acc.touched() {
        let (status, reason) = acc.finish();
        let clause = crate::model::ClauseRef(clause);
        terms.push(Term { agreement, clause, status, reason, overridden_by: None });
    }
}
