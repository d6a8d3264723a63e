//! The figures: what each period of each term owes, what was paid, the cap, the commitment, and
//! the status each comes to on `today`. Pure; every sum exact.
//!
//! - **Owed** (a share), period by period in calendar order: the share of the period's reported
//!   revenue (`20%` of it, or a fixed amount but never more than the revenue), then the cap: the
//!   owed amounts of the term's periods add up to at most the cap, so a period owes what is left
//!   of it (`capped at X` is a cumulative total across the term's window).
//! - **Status** of a share's period: paid after the window, violated; the period not ended on
//!   `today`, not yet due; else satisfied when paid equals owed, violated when under- or overpaid.
//! - **A commitment**: spent is what was paid within its window; it is satisfied once spent
//!   reaches the total, violated when its deadline has passed first, else not yet due.
//! - **A forbid**: each period holding a forbidden payment is violated.
//!
//! A term is violated when any of its periods is, else not yet due when any is, else satisfied.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::attribute::{Attributed, Bucket};
use super::money;
use super::terms::{Term, TermKind};
use super::{
    Entry, EntryRecord, Finding, Kind, Ledger, LedgerReport, Period, Row, Status, Summary, TermReport,
    Totals, Unmatched,
};
use crate::check::policy::RunVerdict;
use crate::plan::InvalidRecord;

/// Too many digits to hold a figure exactly: the term is reported as not checked.
pub(super) struct Overflow;

const TOO_LARGE: &str = "its figures have more digits than can be held exactly";

/// What one period of a share owes.
pub(super) struct Owed {
    pub period: Period,
    pub revenue: Option<Decimal>,
    pub uncapped: Decimal,
    pub owed: Decimal,
    pub cap_used: Option<Decimal>,
}

/// What each period of a share owes, in period order, from its revenue alone. Empty for a term
/// that is not a share.
pub(super) fn owed(term: &Term, rows: &BTreeMap<Period, Bucket>) -> Result<Vec<Owed>, Overflow> {
    let exact = |d: Option<Decimal>| d.ok_or(Overflow);
    let mut out = Vec::new();
    let mut used = Decimal::ZERO;
    for (period, bucket) in rows {
        let revenue = bucket
            .has_revenue()
            .then(|| money::sum(bucket.parts.iter().filter(|p| p.kind == Kind::Revenue).map(|p| p.amount)));
        let revenue = match revenue {
            Some(r) => Some(exact(r)?),
            None => None,
        };
        let uncapped = match (&term.kind, revenue) {
            (_, None) => Decimal::ZERO,
            (TermKind::Share { percent }, Some(r)) => exact(money::percent_of(r, *percent))?,
            (TermKind::FixedShare { amount }, Some(r)) => (*amount).min(r),
            _ => return Ok(Vec::new()),
        };
        let owed = match term.cap {
            Some(cap) => uncapped.min(exact(money::sub(cap, used))?.max(Decimal::ZERO)),
            None => uncapped,
        };
        used = exact(money::add(used, owed))?;
        out.push(Owed { period: *period, revenue, uncapped, owed, cap_used: term.cap.map(|_| used) });
    }
    Ok(out)
}

pub(super) fn report(
    terms: Vec<Term>,
    ledger: &Ledger,
    attributed: Attributed,
    today: NaiveDate,
) -> LedgerReport {
    let Attributed { rows, currency, unmatched, errors: late_errors } = attributed;
    let mut reports = Vec::with_capacity(terms.len());
    for ((term, rows), currency) in terms.into_iter().zip(rows).zip(currency) {
        let figured = match &term.kind {
            TermKind::NotChecked { why } => Err(why.clone()),
            TermKind::Share { .. } | TermKind::FixedShare { .. } => {
                share(&term, &rows, today).map_err(str::to_owned)
            }
            TermKind::Commitment { total } => commitment(&term, *total, &rows, today).map_err(str::to_owned),
            TermKind::Forbid => forbid(&rows).map_err(str::to_owned),
        };
        let report = match figured {
            Ok((rows, totals, status)) => {
                TermReport { term, status, currency, rows, totals, not_checked: None }
            }
            Err(why) => TermReport {
                term,
                status: Status::NotChecked,
                currency,
                rows: Vec::new(),
                totals: Totals::default(),
                not_checked: Some(why),
            },
        };
        reports.push(report);
    }

    let mut errors: Vec<InvalidRecord> = ledger
        .entries
        .iter()
        .filter_map(|r| match r {
            EntryRecord::Invalid(bad) => Some(bad.clone()),
            EntryRecord::Valid(_) => None,
        })
        .collect();
    for (i, problem) in late_errors {
        if let Some(EntryRecord::Valid(e)) = ledger.entries.get(i) {
            errors.push(invalid(e, problem));
        }
    }
    errors.sort_by_key(|r| r.position);
    let unmatched: Vec<Unmatched> =
        unmatched.into_iter().map(|(entry, reason)| Unmatched { entry, reason }).collect();
    let count = |s: Status| reports.iter().filter(|r| r.status == s).count();
    let summary = Summary {
        entries: ledger.entries.len(),
        attributed: ledger.entries.len().saturating_sub(errors.len() + unmatched.len()),
        unmatched: unmatched.len(),
        errors: errors.len(),
        terms: reports.len(),
        satisfied: count(Status::Satisfied),
        violated: count(Status::Violated),
        not_yet_due: count(Status::NotYetDue),
        not_checked: count(Status::NotChecked),
    };
    LedgerReport {
        today,
        verdict: RunVerdict::from_counts(summary.errors, summary.violated),
        summary,
        terms: reports,
        unmatched,
        errors,
    }
}

fn invalid(e: &Entry, problem: crate::plan::RecordProblem) -> InvalidRecord {
    InvalidRecord {
        id: e.id.clone(),
        position: e.position,
        line: e.line,
        column: e.column,
        problems: vec![problem],
    }
}

/// The strongest of statuses: violated, then not yet due, then satisfied.
fn worst(statuses: impl Iterator<Item = Status>) -> Status {
    let rank = |s: Status| match s {
        Status::Violated => 3,
        Status::NotChecked => 2,
        Status::NotYetDue => 1,
        Status::Satisfied => 0,
    };
    statuses.max_by_key(|s| rank(*s)).unwrap_or(Status::Satisfied)
}

fn exact(d: Option<Decimal>) -> Result<Decimal, &'static str> {
    d.ok_or(TOO_LARGE)
}

fn sum<'a>(parts: impl Iterator<Item = &'a super::Part>) -> Result<Decimal, &'static str> {
    exact(money::sum(parts.map(|p| p.amount)))
}

fn empty_row(period: Period, bucket: &Bucket) -> Row {
    Row {
        period,
        revenue: None,
        uncapped: Decimal::ZERO,
        owed: Decimal::ZERO,
        paid: Decimal::ZERO,
        late: Decimal::ZERO,
        difference: Decimal::ZERO,
        cap_used: None,
        cap_remaining: None,
        spent_to_date: None,
        remaining: None,
        status: Status::Satisfied,
        findings: Vec::new(),
        parts: bucket.parts.clone(),
    }
}

/// A term's rows, totals and status.
type Figured = Result<(Vec<Row>, Totals, Status), &'static str>;

fn share(term: &Term, rows: &BTreeMap<Period, Bucket>, today: NaiveDate) -> Figured {
    let owed = owed(term, rows).map_err(|_| TOO_LARGE)?;
    let mut out = Vec::with_capacity(owed.len());
    let mut reached: Option<Period> = None;
    let mut totals = Totals::default();
    for (o, bucket) in owed.into_iter().zip(rows.values()) {
        let payments = || bucket.parts.iter().filter(|p| p.kind == Kind::Payment);
        let paid = sum(payments())?;
        let late = sum(payments().filter(|p| p.late))?;
        let difference = exact(money::sub(paid, o.owed))?;
        let mut row = empty_row(o.period, bucket);
        row.revenue = o.revenue;
        row.uncapped = o.uncapped;
        row.owed = o.owed;
        row.paid = paid;
        row.late = late;
        row.difference = difference;
        if let (Some(cap), Some(used)) = (term.cap, o.cap_used) {
            row.cap_used = Some(used);
            row.cap_remaining = Some(exact(money::sub(cap, used))?.max(Decimal::ZERO));
            match reached {
                None if used >= cap && o.uncapped > Decimal::ZERO => {
                    reached = Some(o.period);
                    row.findings.push(Finding::CapReached { uncapped: o.uncapped, owed: o.owed, cap });
                }
                Some(since) if o.uncapped > o.owed => {
                    row.findings.push(Finding::CapUsedUp { uncapped: o.uncapped, since });
                }
                _ => {}
            }
        }
        if o.revenue.is_none() && paid > Decimal::ZERO && late == Decimal::ZERO {
            row.findings.push(Finding::NoRevenue);
        }
        row.status = if late > Decimal::ZERO {
            if let Some(window_end) = term.window.through {
                row.findings.push(Finding::PaidAfterWindow { amount: late, window_end });
            }
            Status::Violated
        } else if !o.period.ended(today) {
            Status::NotYetDue
        } else if difference == Decimal::ZERO {
            Status::Satisfied
        } else if difference < Decimal::ZERO {
            row.findings.push(Finding::Underpaid { by: -difference });
            Status::Violated
        } else {
            row.findings.push(Finding::Overpaid { by: difference });
            Status::Violated
        };
        totals.revenue = match (totals.revenue, o.revenue) {
            (Some(a), Some(b)) => Some(exact(money::add(a, b))?),
            (a, b) => a.or(b),
        };
        totals.owed = exact(money::add(totals.owed, o.owed))?;
        totals.paid = exact(money::add(totals.paid, paid))?;
        totals.late = exact(money::add(totals.late, late))?;
        totals.cap_used = row.cap_used;
        totals.cap_remaining = row.cap_remaining;
        out.push(row);
    }
    totals.difference = exact(money::sub(totals.paid, totals.owed))?;
    if let Some(cap) = term.cap {
        totals.cap_used.get_or_insert(Decimal::ZERO);
        totals.cap_remaining.get_or_insert(cap);
    }
    let status = worst(out.iter().map(|r| r.status));
    Ok((out, totals, status))
}

fn commitment(term: &Term, total: Decimal, rows: &BTreeMap<Period, Bucket>, today: NaiveDate) -> Figured {
    let deadline = term.deadline();
    // Spent: every payment within the window, whatever its period.
    let spent = sum(rows.values().flat_map(|b| b.parts.iter()).filter(|p| !p.late))?;
    let remaining = exact(money::sub(total, spent))?.max(Decimal::ZERO);
    let met = if spent >= total {
        Status::Satisfied
    } else if deadline.is_some_and(|d| d < today) {
        Status::Violated
    } else {
        Status::NotYetDue
    };
    let mut totals = Totals {
        committed: Some(total),
        spent: Some(spent),
        remaining: Some(remaining),
        deadline,
        ..Totals::default()
    };
    if let (Status::Violated, Some(deadline)) = (met, deadline) {
        totals.findings.push(Finding::Shortfall { by: remaining, deadline });
    }
    let mut to_date = Decimal::ZERO;
    let mut out = Vec::with_capacity(rows.len());
    for (period, bucket) in rows {
        let paid = sum(bucket.parts.iter())?;
        let late = sum(bucket.parts.iter().filter(|p| p.late))?;
        to_date = exact(money::add(to_date, exact(money::sub(paid, late))?))?;
        let mut row = empty_row(*period, bucket);
        row.paid = paid;
        row.late = late;
        row.spent_to_date = Some(to_date);
        row.remaining = Some(exact(money::sub(total, to_date))?.max(Decimal::ZERO));
        // A period's status is the commitment's, unless it was paid after the window.
        row.status = match (late > Decimal::ZERO, term.window.through) {
            (true, Some(window_end)) => {
                row.findings.push(Finding::PaidAfterWindow { amount: late, window_end });
                Status::Violated
            }
            (true, None) => Status::Violated,
            (false, _) => met,
        };
        totals.paid = exact(money::add(totals.paid, paid))?;
        totals.late = exact(money::add(totals.late, late))?;
        out.push(row);
    }
    let status = worst(out.iter().map(|r| r.status).chain([met]));
    Ok((out, totals, status))
}

fn forbid(rows: &BTreeMap<Period, Bucket>) -> Figured {
    let mut out = Vec::with_capacity(rows.len());
    let mut totals = Totals::default();
    for (period, bucket) in rows {
        let paid = sum(bucket.parts.iter())?;
        let mut row = empty_row(*period, bucket);
        row.paid = paid;
        row.status = Status::Violated;
        row.findings.push(Finding::Forbidden { amount: paid });
        totals.paid = exact(money::add(totals.paid, paid))?;
        out.push(row);
    }
    let status = if out.is_empty() { Status::Satisfied } else { Status::Violated };
    Ok((out, totals, status))
}
