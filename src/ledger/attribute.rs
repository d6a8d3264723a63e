//! Which term and period each entry goes to: the ledger's rules of attribution, written once.
//!
//! 1. **Revenue**, in input order: a revenue entry dated D goes to the row of its period under
//!    every revenue share from its payer to its payee in force on D (agreement in force, D in the
//!    term's window). None: the entry is unmatched.
//! 2. **Owed** amounts follow from the revenue alone (`figures::owed`), before any payment.
//! 3. **Payments**, in date order (input order on one day), each to the first of:
//!    - (a) a `forbid` between the two in force on D: the payment is forbidden, and goes nowhere
//!      else;
//!    - (b) the rows of its period that revenue shares between the two hold revenue in: they are
//!      paid in rule order, each up to what it is still owed, the last taking any excess;
//!    - (c) commitments between the two in force on D, filled the same way;
//!    - (d) revenue shares between the two in force on D (no revenue reported for the period:
//!      the payment is more than the nothing owed);
//!    - (e) revenue shares and commitments whose agreement is in force on D but whose window
//!      closed before D: paid after the window.
//!
//!    None: the entry is unmatched.
//!
//! An entry's `clause` limits 1 and 3b–e to that clause's terms; it cannot lift a `forbid`. An
//! entry whose currency is not that of a term it goes to is an error, and goes nowhere: amounts
//! are never converted. A term without amounts of its own takes the currency of its first entry.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::figures;
use super::money;
use super::terms::{Term, TermKind};
use super::{Entry, Kind, Ledger, Part, Period};
use crate::model::{RuleSet, ValueId};
use crate::plan::RecordProblem;

/// The entries attributed to one row.
#[derive(Debug, Clone, Default)]
pub(super) struct Bucket {
    pub parts: Vec<Part>,
}

impl Bucket {
    pub(super) fn has_revenue(&self) -> bool {
        self.parts.iter().any(|p| p.kind == Kind::Revenue)
    }
}

/// Where every valid entry went.
#[derive(Debug, Default)]
pub(super) struct Attributed {
    /// Per term: its rows by period.
    pub rows: Vec<BTreeMap<Period, Bucket>>,
    /// Per term: the currency its figures are in, once known.
    pub currency: Vec<Option<String>>,
    /// Valid entries no term applies to, with the reason, in input order.
    pub unmatched: Vec<(usize, String)>,
    /// Valid entries that cannot be attributed (a currency mismatch), in input order.
    pub errors: Vec<(usize, RecordProblem)>,
}

/// Which terms a step of the payment rules chose, and whether the payment is late for them.
struct Targets {
    terms: Vec<usize>,
    late: bool,
}

pub(super) fn attribute(rules: &RuleSet, terms: &[Term], ledger: &Ledger) -> Attributed {
    let mut out = Attributed {
        rows: vec![BTreeMap::new(); terms.len()],
        currency: terms.iter().map(|t| t.currency.clone()).collect(),
        ..Attributed::default()
    };
    // Which entry set each term's currency, when its rules name none.
    let mut currency_from: Vec<Option<usize>> = vec![None; terms.len()];
    let between = |e: &Entry, t: &Term| t.payer == e.payer && t.payee == e.payee;
    let named = |e: &Entry, t: &Term| e.clause.as_ref().is_none_or(|c| c.names(t.agreement, t.clause));
    let party = |v: ValueId| rules.party.map_or("", |f| rules.vocabulary.value_name(f, v));

    for (i, e) in ledger.valid().filter(|(_, e)| e.kind == Kind::Revenue) {
        let shares: Vec<usize> = (0..terms.len())
            .filter(|&t| {
                let term = &terms[t];
                term.kind.is_share() && between(e, term) && named(e, term) && term.in_force_on(rules, e.date)
            })
            .collect();
        if shares.is_empty() {
            let of = e.clause.as_ref().map(|c| format!(" of clause `{}`", c.text)).unwrap_or_default();
            out.unmatched.push((
                i,
                format!(
                    "no revenue share{of} from {} to {} is in force on {}",
                    party(e.payer),
                    party(e.payee),
                    e.date
                ),
            ));
            continue;
        }
        if let Some(p) = mismatch(&out.currency, &currency_from, &shares, terms, rules, ledger, e) {
            out.errors.push((i, p));
            continue;
        }
        for &t in &shares {
            settle(&mut out.currency, &mut currency_from, t, i, e);
            let part = Part { entry: i, kind: Kind::Revenue, amount: e.money.amount, late: false };
            out.rows[t].entry(e.period).or_default().parts.push(part);
        }
    }

    // What each share's rows owe, from the revenue alone; a term whose figures cannot be held
    // exactly owes nothing here (the report says it is not checked).
    let owed: Vec<BTreeMap<Period, Decimal>> = terms
        .iter()
        .zip(&out.rows)
        .map(|(t, rows)| {
            figures::owed(t, rows)
                .map(|list| list.into_iter().map(|r| (r.period, r.owed)).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut paid: Vec<BTreeMap<Period, Decimal>> = vec![BTreeMap::new(); terms.len()];
    let mut spent: Vec<Decimal> = vec![Decimal::ZERO; terms.len()];

    let mut payments: Vec<(usize, &Entry)> =
        ledger.valid().filter(|(_, e)| e.kind == Kind::Payment).collect();
    payments.sort_by_key(|(i, e)| (e.date, *i));
    for (i, e) in payments {
        let pick = |keep: &dyn Fn(&Term) -> bool| -> Vec<usize> {
            (0..terms.len()).filter(|&t| between(e, &terms[t]) && keep(&terms[t])).collect()
        };
        let forbid = pick(&|t| t.kind == TermKind::Forbid && t.in_force_on(rules, e.date));
        let steps = [
            Targets { terms: forbid.into_iter().take(1).collect(), late: false },
            Targets {
                terms: pick(&|t| t.kind.is_share() && t.checked() && named(e, t))
                    .into_iter()
                    .filter(|&t| out.rows[t].get(&e.period).is_some_and(Bucket::has_revenue))
                    .collect(),
                late: false,
            },
            Targets {
                terms: pick(&|t| {
                    matches!(t.kind, TermKind::Commitment { .. })
                        && named(e, t)
                        && t.in_force_on(rules, e.date)
                }),
                late: false,
            },
            Targets {
                terms: pick(&|t| t.kind.is_share() && named(e, t) && t.in_force_on(rules, e.date)),
                late: false,
            },
            Targets {
                terms: pick(&|t| {
                    (t.kind.is_share() || matches!(t.kind, TermKind::Commitment { .. }))
                        && named(e, t)
                        && t.agreement_in_force(rules, e.date)
                        && t.window_closed_before(e.date)
                }),
                late: true,
            },
        ];
        let Some(chosen) = steps.into_iter().find(|s| !s.terms.is_empty()) else {
            let of = e.clause.as_ref().map(|c| format!(" of clause `{}`", c.text)).unwrap_or_default();
            out.unmatched.push((
                i,
                format!(
                    "no payment term{of} from {} to {} is in force on {}, and no revenue between them is reported for {}",
                    party(e.payer),
                    party(e.payee),
                    e.date,
                    e.period
                ),
            ));
            continue;
        };
        if let Some(p) = mismatch(&out.currency, &currency_from, &chosen.terms, terms, rules, ledger, e) {
            out.errors.push((i, p));
            continue;
        }
        // What each chosen term can still take before the next one is paid.
        let room: Vec<Decimal> = chosen
            .terms
            .iter()
            .map(|&t| {
                let left = match &terms[t].kind {
                    _ if chosen.late => Some(Decimal::ZERO),
                    TermKind::Commitment { total } => money::sub(*total, spent[t]),
                    TermKind::Share { .. } | TermKind::FixedShare { .. } => {
                        let owes = owed[t].get(&e.period).copied().unwrap_or_default();
                        money::sub(owes, paid[t].get(&e.period).copied().unwrap_or_default())
                    }
                    TermKind::Forbid | TermKind::NotChecked { .. } => Some(Decimal::ZERO),
                };
                left.unwrap_or_default().max(Decimal::ZERO)
            })
            .collect();
        for (&t, amount) in chosen.terms.iter().zip(fill(e.money.amount, &room)) {
            let Some(amount) = amount else { continue };
            settle(&mut out.currency, &mut currency_from, t, i, e);
            if !chosen.late {
                if let TermKind::Commitment { .. } = terms[t].kind {
                    spent[t] = money::add(spent[t], amount).unwrap_or(Decimal::MAX);
                } else {
                    let so_far = paid[t].entry(e.period).or_default();
                    *so_far = money::add(*so_far, amount).unwrap_or(Decimal::MAX);
                }
            }
            let part = Part { entry: i, kind: Kind::Payment, amount, late: chosen.late };
            out.rows[t].entry(e.period).or_default().parts.push(part);
        }
    }
    out.unmatched.sort_by_key(|(i, _)| *i);
    out.errors.sort_by_key(|(i, _)| *i);
    out
}

/// Spreads `amount` over targets in order, each up to its room, the last taking what is left.
/// `None` for a target that gets nothing; the first gets a payment of nothing.
fn fill(amount: Decimal, room: &[Decimal]) -> Vec<Option<Decimal>> {
    let mut left = amount;
    let mut out = Vec::with_capacity(room.len());
    for (k, r) in room.iter().enumerate() {
        let take = if k + 1 == room.len() { left } else { left.min(*r) };
        left = money::sub(left, take).unwrap_or_default();
        out.push((take > Decimal::ZERO).then_some(take));
    }
    if out.iter().all(Option::is_none) {
        if let Some(first) = out.first_mut() {
            *first = Some(amount);
        }
    }
    out
}

/// The currency problem of an entry going to these terms, if any.
fn mismatch(
    currency: &[Option<String>],
    from: &[Option<usize>],
    targets: &[usize],
    terms: &[Term],
    rules: &RuleSet,
    ledger: &Ledger,
    e: &Entry,
) -> Option<RecordProblem> {
    let (t, theirs) = targets
        .iter()
        .find_map(|&t| currency[t].as_deref().filter(|c| *c != e.money.currency).map(|c| (t, c)))?;
    let term = &terms[t];
    let a = rules.agreement(term.agreement);
    let name = format!("{}.{}", a.id, a.clause(term.clause).id);
    let why = match from[t] {
        Some(first) => format!("the currency of its first entry, `{}`", ledger.entries[first].id()),
        None => "the currency of its amounts".to_owned(),
    };
    Some(RecordProblem {
        code: crate::diagnostic::codes::CURRENCY_MISMATCH,
        field: Some("amount".into()),
        message: format!(
            "the amount is in {}, but the term `{name}` counts in {theirs}, {why}",
            e.money.currency
        ),
        help: Some(
            "amounts are never converted: write the entry in the currency of the term it falls under".into(),
        ),
    })
}

/// Gives a term without a currency the currency of entry `i`.
fn settle(currency: &mut [Option<String>], from: &mut [Option<usize>], t: usize, i: usize, e: &Entry) {
    if currency[t].is_none() {
        currency[t] = Some(e.money.currency.clone());
        from[t] = Some(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn fill_pays_in_order_and_the_last_takes_the_excess() {
        assert_eq!(fill(d(100), &[d(60), d(30)]), [Some(d(60)), Some(d(40))]);
        assert_eq!(fill(d(50), &[d(60), d(30)]), [Some(d(50)), None]);
        assert_eq!(fill(d(10), &[d(0), d(0)]), [None, Some(d(10))]);
        assert_eq!(fill(d(0), &[d(5), d(5)]), [Some(d(0)), None]);
        assert_eq!(fill(d(7), &[d(0)]), [Some(d(7))]);
    }
}
