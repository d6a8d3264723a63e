//! From the model to the program: conditions to nodes, agreements to their precomputed period.

use chrono::NaiveDate;

use super::{index, AgreementCode, Kind, Node, Program, RuleCode};
use crate::eval::clause::Overriders;
use crate::eval::{clause_period, period};
use crate::model::*;

pub(super) fn compile(rules: &RuleSet) -> Program<'_> {
    let mut p = Program {
        rules,
        agreements: Vec::new(),
        overriders: Overriders::new(rules),
        nodes: Vec::new(),
        kids: Vec::new(),
        bits: Vec::new(),
    };
    for (i, a) in rules.agreements.iter().enumerate() {
        let period = period(rules, a);
        let parties = (!a.parties.is_empty()).then(|| {
            let width = rules.party.map_or(0, |f| rules.vocabulary.fields[f.0 as usize].values.len());
            p.bitset(&a.parties, width)
        });
        let mut code = Vec::new();
        for (c, clause) in a.clauses.iter().enumerate() {
            let own = clause_period(rules, clause);
            // An empty period has `through` before `from`: the clause never applies.
            let (from, through) = (own.from, own.through.unwrap_or(NaiveDate::MAX));
            for (stmt, rule) in clause.rules() {
                let when = rule.when.as_ref().map(|w| p.node(w));
                let unless = rule.unless.as_ref().map(|u| p.node(u));
                let kind = match &rule.kind {
                    RuleKind::Permit => Kind::Permit,
                    RuleKind::Forbid => Kind::Forbid,
                    RuleKind::Require(req) => Kind::Require(p.node(req)),
                };
                code.push(RuleCode {
                    clause: c as u32,
                    from,
                    through,
                    stmt: stmt as u32,
                    when,
                    unless,
                    kind,
                });
            }
        }
        let index = index::build(rules, a, &code);
        p.agreements.push(AgreementCode {
            id: AgreementId(i as u32),
            from: period.from,
            // An empty period (superseded before it starts) has `through` before `from`: never in force.
            through: period.through.unwrap_or(NaiveDate::MAX),
            parties,
            default_deny: a.default == Default::Deny,
            rules: code,
            index,
        });
    }
    p
}

impl Program<'_> {
    /// A bitset of `width` bits with `values` set, stored in `bits`; its offset and word count.
    fn bitset(&mut self, values: &[ValueId], width: usize) -> (u32, u32) {
        let words = width.div_ceil(64).max(1);
        let offset = self.bits.len();
        self.bits.resize(offset + words, 0);
        for v in values {
            let v = v.0 as usize;
            if v / 64 < words {
                self.bits[offset + v / 64] |= 1 << (v % 64);
            }
        }
        (offset as u32, words as u32)
    }

    fn node(&mut self, c: &Condition) -> u32 {
        let node = match c {
            Condition::And(parts) | Condition::Or(parts) => {
                let ids: Vec<u32> = parts.iter().map(|p| self.node(p)).collect();
                let start = self.kids.len() as u32;
                self.kids.extend(&ids);
                let len = ids.len() as u32;
                if matches!(c, Condition::And(_)) {
                    Node::And { start, len }
                } else {
                    Node::Or { start, len }
                }
            }
            Condition::Not(inner) => Node::Not(self.node(inner)),
            Condition::Field { field, values, negated, .. } => {
                let width = self.rules.vocabulary.fields[field.0 as usize].values.len();
                let (offset, words) = self.bitset(values, width);
                Node::Field { field: u32::from(field.0), offset, words, negated: *negated }
            }
            Condition::Flag { flag, .. } => Node::Flag(*flag),
            Condition::Date { window, .. } => Node::Date {
                from: window.from.unwrap_or(NaiveDate::MIN),
                through: window.through.unwrap_or(NaiveDate::MAX),
            },
            Condition::Launched { relation, when, .. } => Node::Launched { relation: *relation, when: *when },
        };
        self.nodes.push(node);
        self.nodes.len() as u32 - 1
    }
}
