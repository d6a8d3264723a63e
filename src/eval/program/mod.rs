//! The compiled form of a rule set: what `check` runs for every deployment.
//!
//! [`Program::new`] turns a [`RuleSet`] into flat data made for the hot path:
//!
//! - conditions become an arena of [`Node`]s; a field test's values become a bitset, so a test is
//!   one shift and mask, never a search or a string comparison;
//! - each agreement's period of force ([`super::period`]) and its parties (a bitset) are
//!   precomputed, so "is it in force?" is two date comparisons and a bit test;
//! - the rules of a large agreement are indexed by the field most of them test ([`index`]): a
//!   deployment visits only the rules whose `when` can hold for its value of that field;
//! - results go into a reused [`Outcome`] buffer holding only the clauses that matched (the rest
//!   are not applicable by construction), so checking a deployment allocates nothing.
//!
//! The model stays the source of truth: the program is tested to give the same outcome as the
//! reference [`super::Evaluator`] on every point of the analysis space of every fixture rule set
//! and on generated rule sets (`tests/differential.rs`).

mod compile;
mod index;
mod outcome;
mod run;

use chrono::NaiveDate;

use crate::model::*;

pub use outcome::{AgreementView, Outcome};

/// One node of a compiled condition.
#[derive(Debug, Clone, Copy)]
enum Node {
    /// All of `kids[start..start + len]`.
    And {
        start: u32,
        len: u32,
    },
    /// Any of `kids[start..start + len]`.
    Or {
        start: u32,
        len: u32,
    },
    Not(u32),
    /// The field's value is in the set `bits[offset..offset + words]` (an absent value is in no set),
    /// negated for `!=` and `not in`.
    Field {
        field: u32,
        offset: u32,
        words: u32,
        negated: bool,
    },
    Flag(FlagId),
    /// The date is in `from..=through`.
    Date {
        from: NaiveDate,
        through: NaiveDate,
    },
    Launched {
        relation: RelationId,
        when: LaunchedWhen,
    },
}

/// One permit, forbid or require, compiled.
#[derive(Debug, Clone, Copy)]
struct RuleCode {
    clause: u32,
    /// The days its clause is in force on its own terms ([`crate::eval::clause_period`]).
    from: NaiveDate,
    through: NaiveDate,
    /// Statement index within the clause, as the reason reports it.
    stmt: u32,
    when: Option<u32>,
    unless: Option<u32>,
    kind: Kind,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Permit,
    Forbid,
    Require(u32),
}

#[derive(Debug)]
struct AgreementCode {
    id: AgreementId,
    from: NaiveDate,
    through: NaiveDate,
    /// Party values bound, as a bitset; `None` binds every deployment.
    parties: Option<(u32, u32)>,
    default_deny: bool,
    /// Every rule of the agreement, in clause and statement order.
    rules: Vec<RuleCode>,
    index: Option<index::RuleIndex>,
}

/// A rule set compiled for checking deployments. Built once per run; shared by every thread.
#[derive(Debug)]
pub struct Program<'r> {
    rules: &'r RuleSet,
    agreements: Vec<AgreementCode>,
    /// Exceptions across the rule set; empty when it declares none.
    overriders: crate::eval::clause::Overriders,
    nodes: Vec<Node>,
    kids: Vec<u32>,
    bits: Vec<u64>,
}

impl<'r> Program<'r> {
    pub fn new(rules: &'r RuleSet) -> Program<'r> {
        compile::compile(rules)
    }

    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }
}
