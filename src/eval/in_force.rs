//! When an agreement is in force for a deployment (S1–S3), when a clause of it is (S3a), and why
//! not when it is not.
//!
//! Written once: the interpreter asks [`in_force`] and [`clause_in_force`], the compiled program
//! precomputes each agreement's [`period`] and each clause's [`clause_period`], `lint` reasons
//! over the periods, and `explain` words the [`InForce`] and [`ClauseInForce`] answers. No other
//! module decides these rules of the language.

use chrono::NaiveDate;

use crate::model::{Agreement, Clause, RuleSet, ValueId};

/// The days an agreement can be in force, inclusive: from its `effective` date through its `ends`
/// date or the day before the first agreement that supersedes it takes effect, whichever is
/// earlier. Empty (`through` before `from`) for an agreement superseded before it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub through: Option<NaiveDate>,
}

impl Period {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.through.is_none_or(|t| date <= t)
    }

    pub fn is_empty(&self) -> bool {
        self.through.is_some_and(|t| t < self.from)
    }
}

pub fn period(rules: &RuleSet, a: &Agreement) -> Period {
    let superseded =
        a.superseded_by.iter().map(|b| rules.agreement(*b).effective.date).min().and_then(|d| d.pred_opt());
    let through = match (a.ends.as_ref().map(|e| e.date), superseded) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    Period { from: a.effective.date, through }
}

/// Whether an agreement binds a deployment of this party (S3): it names no parties, or this one.
pub fn binds(a: &Agreement, party: Option<ValueId>) -> bool {
    a.parties.is_empty() || party.is_some_and(|p| a.parties.contains(&p))
}

/// Whether an agreement is in force for a deployment, and if not, the first reason why not.
#[derive(Debug, Clone, Copy)]
pub enum InForce<'r> {
    Yes,
    /// Dated before the agreement's `effective` date.
    NotYet {
        effective: NaiveDate,
    },
    /// Dated after its `ends` date.
    Ended {
        ends: NaiveDate,
    },
    /// An agreement that supersedes it took effect on or before the date (the earliest such).
    Superseded {
        by: &'r Agreement,
    },
    /// It does not bind the deployment's party.
    NotBound,
}

impl InForce<'_> {
    pub fn yes(self) -> bool {
        matches!(self, InForce::Yes)
    }
}

pub fn in_force<'r>(
    rules: &'r RuleSet,
    a: &Agreement,
    date: NaiveDate,
    party: Option<ValueId>,
) -> InForce<'r> {
    if date < a.effective.date {
        return InForce::NotYet { effective: a.effective.date };
    }
    if let Some(end) = a.ends.as_ref().filter(|e| date > e.date) {
        return InForce::Ended { ends: end.date };
    }
    let by = a
        .superseded_by
        .iter()
        .map(|b| rules.agreement(*b))
        .filter(|b| b.effective.date <= date)
        .min_by_key(|b| b.effective.date);
    if let Some(by) = by {
        return InForce::Superseded { by };
    }
    if !binds(a, party) {
        return InForce::NotBound;
    }
    InForce::Yes
}

/// The days a clause can be in force on its own terms (S3a): from its own `effective` through its
/// own `ends`, or the day before the first agreement that supersedes the clause takes effect,
/// whichever is earlier. Its agreement's period bounds it further; this is the clause's part.
pub fn clause_period(rules: &RuleSet, c: &Clause) -> Period {
    let superseded =
        c.superseded_by.iter().map(|b| rules.agreement(*b).effective.date).min().and_then(|d| d.pred_opt());
    let through = match (c.ends.as_ref().map(|e| e.date), superseded) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    Period { from: c.effective.as_ref().map_or(NaiveDate::MIN, |e| e.date), through }
}

/// Whether a clause is in force on a date, its agreement being in force, and if not, why not.
#[derive(Debug, Clone, Copy)]
pub enum ClauseInForce<'r> {
    Yes,
    /// Dated before the clause's own `effective` date.
    NotYet {
        effective: NaiveDate,
    },
    /// Dated after its own end.
    Ended {
        ends: NaiveDate,
    },
    /// An agreement that supersedes the clause took effect on or before the date.
    Superseded {
        by: &'r Agreement,
    },
}

impl ClauseInForce<'_> {
    pub fn yes(self) -> bool {
        matches!(self, ClauseInForce::Yes)
    }
}

pub fn clause_in_force<'r>(rules: &'r RuleSet, c: &Clause, date: NaiveDate) -> ClauseInForce<'r> {
    if let Some(start) = c.effective.as_ref().filter(|e| date < e.date) {
        return ClauseInForce::NotYet { effective: start.date };
    }
    if let Some(end) = c.ends.as_ref().filter(|e| date > e.date) {
        return ClauseInForce::Ended { ends: end.date };
    }
    let by = c
        .superseded_by
        .iter()
        .map(|b| rules.agreement(*b))
        .filter(|b| b.effective.date <= date)
        .min_by_key(|b| b.effective.date);
    match by {
        Some(by) => ClauseInForce::Superseded { by },
        None => ClauseInForce::Yes,
    }
}
