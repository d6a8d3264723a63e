//! What a ledger check comes to: plain data, in a fixed order, for `report::ledger` to write.
//!
//! Terms come in rule order, rows in period order, unmatched entries and errors in input order.
//! Entries are named by their index in [`super::Ledger::entries`]. Amounts are exact decimals in
//! the term's currency; a figure that does not apply (a cap where there is none) is `None`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Kind, Period, Term};
use crate::check::policy::RunVerdict;
use crate::plan::InvalidRecord;

/// The whole report.
#[derive(Debug, Clone)]
pub struct LedgerReport {
    /// The day that decides what is due (`--today`).
    pub today: NaiveDate,
    /// From `check::policy`: an entry in error decides, then a violated term.
    pub verdict: RunVerdict,
    pub summary: Summary,
    /// Every payment term of the rules, in rule order.
    pub terms: Vec<TermReport>,
    /// Valid entries no payment term applies to, in input order.
    pub unmatched: Vec<Unmatched>,
    /// Entries in error, in input order: broken entries, and entries whose currency is not their
    /// term's.
    pub errors: Vec<InvalidRecord>,
}

/// The counts. Every entry is counted once: `attributed + unmatched + errors == entries`; every
/// term once: `satisfied + violated + not_yet_due + not_checked == terms`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub entries: usize,
    pub attributed: usize,
    pub unmatched: usize,
    pub errors: usize,
    pub terms: usize,
    pub satisfied: usize,
    pub violated: usize,
    pub not_yet_due: usize,
    pub not_checked: usize,
}

/// What a term, or one period of it, comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Paid what was owed (a share), the commitment met, or nothing forbidden paid.
    Satisfied,
    /// Underpaid or overpaid once due, paid after the window, a forbidden payment, or a
    /// commitment not met by its deadline.
    Violated,
    /// Not owed in full yet on `today`: the period has not ended, or the deadline not passed.
    NotYetDue,
    /// No figure can be computed for the term (see [`TermReport::not_checked`]).
    NotChecked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Violated => "violated",
            Status::NotYetDue => "not_yet_due",
            Status::NotChecked => "not_checked",
        }
    }

    /// In words, for reports for people.
    pub fn words(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Violated => "violated",
            Status::NotYetDue => "not yet due",
            Status::NotChecked => "not checked",
        }
    }
}

/// One payment term and everything attributed to it.
#[derive(Debug, Clone)]
pub struct TermReport {
    pub term: Term,
    pub status: Status,
    /// The currency of every figure: the term's own, else its first entry's.
    pub currency: Option<String>,
    pub rows: Vec<Row>,
    pub totals: Totals,
    /// Why no figure is given, for a term with status `not_checked`.
    pub not_checked: Option<String>,
}

/// One period of one term. Which figures are given depends on the term's kind: revenue, owed
/// and difference for a share; spent to date and remaining for a commitment; paid for all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub period: Period,
    /// The revenue reported for the period (a share); `None` when none was reported.
    pub revenue: Option<Decimal>,
    /// The share of the revenue before the cap.
    pub uncapped: Decimal,
    /// What is owed for the period, after the cap.
    pub owed: Decimal,
    /// Every payment attributed to the period, after the window's end included.
    pub paid: Decimal,
    /// The part of `paid` paid after the term's window closed.
    pub late: Decimal,
    /// `paid - owed`: below zero is underpaid, above is overpaid.
    pub difference: Decimal,
    /// The cap used by the owed amounts up to and including this period, and what is left.
    pub cap_used: Option<Decimal>,
    pub cap_remaining: Option<Decimal>,
    /// A commitment: spent within the window up to and including this period, and what remains.
    pub spent_to_date: Option<Decimal>,
    pub remaining: Option<Decimal>,
    pub status: Status,
    pub findings: Vec<Finding>,
    /// The entries attributed to the period, in input order, each with the amount attributed
    /// here (a payment spread over several terms' rows gives each its part).
    pub parts: Vec<Part>,
}

/// An entry's part in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub entry: usize,
    pub kind: Kind,
    pub amount: Decimal,
    /// Paid after the term's window closed.
    pub late: bool,
}

/// Something a row or a term's totals say beyond the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Paid less than owed, once due.
    Underpaid { by: Decimal },
    /// Paid more than owed, once due.
    Overpaid { by: Decimal },
    /// Paid for a period no revenue was reported for.
    NoRevenue,
    /// The owed amounts reach the cap in this period: `uncapped` would be owed without it.
    CapReached { uncapped: Decimal, owed: Decimal, cap: Decimal },
    /// The cap was used up in an earlier period: `uncapped` would be owed without it.
    CapUsedUp { uncapped: Decimal, since: Period },
    /// Paid after the term's window closed on `window_end`.
    PaidAfterWindow { amount: Decimal, window_end: NaiveDate },
    /// A payment the term forbids.
    Forbidden { amount: Decimal },
    /// A commitment not met by its deadline.
    Shortfall { by: Decimal, deadline: NaiveDate },
}

impl Finding {
    /// The finding's stable name in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Finding::Underpaid { .. } => "underpaid",
            Finding::Overpaid { .. } => "overpaid",
            Finding::NoRevenue => "no_revenue",
            Finding::CapReached { .. } => "cap_reached",
            Finding::CapUsedUp { .. } => "cap_used_up",
            Finding::PaidAfterWindow { .. } => "paid_after_window",
            Finding::Forbidden { .. } => "forbidden",
            Finding::Shortfall { .. } => "shortfall",
        }
    }
}

/// A term's figures over all its periods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub revenue: Option<Decimal>,
    pub owed: Decimal,
    pub paid: Decimal,
    pub late: Decimal,
    pub difference: Decimal,
    pub cap_used: Option<Decimal>,
    pub cap_remaining: Option<Decimal>,
    /// A commitment: the total committed, spent within the window, what remains, and by when.
    pub committed: Option<Decimal>,
    pub spent: Option<Decimal>,
    pub remaining: Option<Decimal>,
    pub deadline: Option<NaiveDate>,
    pub findings: Vec<Finding>,
}

/// A valid entry no payment term applies to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub entry: usize,
    pub reason: String,
}
