//! What the ledger reports for people say, made once for every format for people (text today): amounts with
//! their thousands grouped, each term in words, each finding in a sentence, and each term's
//! table of periods (headers, cells, the findings under a row, the total).

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::LedgerView;
use crate::ledger::{Figure, Finding, Part, Row, Status, TermKind, TermReport};
use crate::model::{Assumption, Statement, ValueId, ValueRef};

/// `1234567.5` as `1,234,567.50`: thousands grouped, a fraction given to at least two places.
pub fn amount(d: Decimal) -> String {
    let text = d.normalize().to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
        if fraction.len() < 2 {
            out.push('0');
        }
    }
    out
}

/// An amount with its currency, when the term has one.
pub fn money(d: Decimal, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{} {c}", amount(d)),
        None => amount(d),
    }
}

pub fn party(view: &LedgerView<'_>, v: ValueId) -> String {
    view.rules.party.map_or_else(String::new, |f| view.rules.vocabulary.value_name(f, v).to_owned())
}

/// The term as the rules write it, white space collapsed.
pub fn written(view: &LedgerView<'_>, tr: &TermReport) -> String {
    let t = &tr.term;
    let clause = view.rules.agreement(t.agreement).clause(t.clause);
    let Some(Statement::Payment(p)) = clause.statements.get(t.statement) else {
        return String::new();
    };
    let file = view.sources.get(p.span.file);
    let text = file.text.get(p.span.range()).unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `20% of openai's revenue, to microsoft · in force from 2026-04-27 through 2030-12-31 · in USD`.
pub fn described(view: &LedgerView<'_>, tr: &TermReport) -> String {
    let t = &tr.term;
    let (payer, payee) = (party(view, t.payer), party(view, t.payee));
    let cur = tr.currency.as_deref();
    let mut out = match &t.kind {
        TermKind::Share { percent } => format!("{}% of {payer}'s revenue, to {payee}", percent.normalize()),
        TermKind::FixedShare { amount } => {
            format!("{} a period out of {payer}'s revenue, to {payee}", money(*amount, cur))
        }
        TermKind::Commitment { total } => format!("{} from {payer} to {payee}", money(*total, cur)),
        TermKind::Forbid => format!("no payment from {payer} to {payee}"),
        TermKind::NotChecked { .. } => format!("a payment from {payer} to {payee}"),
    };
    if let Some(cap) = t.cap {
        let _ = write!(out, ", capped at {} in all", money(cap, cur));
    }
    let from = t.window.from.map_or(t.in_force.from, |f| f.max(t.in_force.from));
    let through = match (t.window.through, t.in_force.through) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let events = |list: &[crate::model::EventId]| {
        list.iter().map(|e| format!("`{}`", view.rules.event(*e).name)).collect::<Vec<_>>().join(" or ")
    };
    match through {
        _ if t.never_in_force() && !t.waits_for.is_empty() => {
            let _ = write!(
                out,
                " · in force on no day yet: it starts when {} happens, which has no date",
                events(&t.waits_for)
            );
        }
        _ if t.never_in_force() => out.push_str(" · never in force"),
        Some(through) => {
            let _ = write!(out, " · from {from} through {through}");
        }
        None => {
            let _ = write!(out, " · from {from}");
        }
    }
    if !t.ends_at.is_empty() && !t.never_in_force() {
        let _ = write!(out, ", or until {} happens", events(&t.ends_at));
    }
    if let TermKind::Commitment { .. } = t.kind {
        match t.deadline() {
            Some(d) => {
                let _ = write!(out, " · due by {d}");
            }
            None => out.push_str(" · no deadline"),
        }
    }
    if let Some(c) = cur {
        let _ = write!(out, " · in {c}");
    }
    out
}

/// The term's assumptions, numbered from 1, with the figures each reaches.
pub fn assumptions<'r>(
    view: &LedgerView<'r>,
    tr: &'r TermReport,
) -> Vec<(usize, &'r Assumption, &'r [Figure])> {
    tr.term
        .assumptions
        .iter()
        .filter_map(|(a, figures)| a.resolve(view.rules).map(|x| (x, figures.as_slice())))
        .enumerate()
        .map(|(i, (a, f))| (i + 1, a, f))
        .collect()
}

/// ` [1][2]`: the numbers of the assumptions a figure rests on.
pub fn marks(numbered: &[(usize, &Assumption, &[Figure])], figure: Figure) -> String {
    let mut out = String::new();
    for (n, _, figures) in numbered {
        if figures.contains(&figure) {
            let _ = write!(out, "[{n}]");
        }
    }
    if out.is_empty() {
        out
    } else {
        format!(" {out}")
    }
}

/// The number of the assumption behind the term's cap, if the cap is an assumed parameter.
fn cap_mark(view: &LedgerView<'_>, tr: &TermReport) -> String {
    let t = &tr.term;
    let clause = view.rules.agreement(t.agreement).clause(t.clause);
    let Some(Statement::Payment(p)) = clause.statements.get(t.statement) else {
        return String::new();
    };
    let Some(ValueRef::Param(param)) = &p.cap else {
        return String::new();
    };
    let at = crate::model::AssumptionRef::Param(t.agreement, *param);
    let numbered = tr.term.assumptions.iter().filter(|(a, _)| a.resolve(view.rules).is_some());
    numbered
        .enumerate()
        .find(|(_, (a, _))| *a == at)
        .map_or_else(String::new, |(i, _)| format!(" [{}]", i + 1))
}

/// The payments of a row (those paid late, with `late`), as `id 1,000 on 2027-03-15`.
fn payments(view: &LedgerView<'_>, row: &Row, late: Option<bool>) -> String {
    let listed: Vec<String> = row
        .parts
        .iter()
        .filter(|p| p.kind == crate::ledger::Kind::Payment && late.is_none_or(|l| p.late == l))
        .map(|p: &Part| {
            let e = &view.ledger.entries[p.entry];
            let date = match e {
                crate::ledger::EntryRecord::Valid(e) => e.date.to_string(),
                crate::ledger::EntryRecord::Invalid(_) => String::new(),
            };
            format!("{} {} on {date}", e.id(), amount(p.amount))
        })
        .collect();
    listed.join(", ")
}

/// One finding in a sentence.
pub fn finding(view: &LedgerView<'_>, tr: &TermReport, row: Option<&Row>, f: &Finding) -> String {
    let cur = tr.currency.as_deref();
    let m = |d: Decimal| money(d, cur);
    let share = match &tr.term.kind {
        TermKind::Share { percent } => format!("{}% of the revenue", percent.normalize()),
        TermKind::FixedShare { amount: a } => format!("{} out of the revenue", m(*a)),
        _ => String::new(),
    };
    match f {
        Finding::Underpaid { by } => match row {
            Some(r) => format!("underpaid by {}: owed {}, paid {}", m(*by), amount(r.owed), amount(r.paid)),
            None => format!("underpaid by {}", m(*by)),
        },
        Finding::Overpaid { by } => match row {
            Some(r) => format!("overpaid by {}: owed {}, paid {}", m(*by), amount(r.owed), amount(r.paid)),
            None => format!("overpaid by {}", m(*by)),
        },
        Finding::NoRevenue => match row {
            Some(r) => format!("no revenue is reported for {}, so nothing is owed for it", r.period),
            None => "no revenue is reported for the period".to_owned(),
        },
        Finding::CapReached { uncapped, owed, cap } => format!(
            "cap reached: {share} is {}, and the cap of {}{} in all leaves {} of it",
            m(*uncapped),
            m(*cap),
            cap_mark(view, tr),
            amount(*owed)
        ),
        Finding::CapUsedUp { uncapped, since } => {
            format!("cap used up in {since}: {share} would be {}, nothing is owed", m(*uncapped))
        }
        Finding::PaidAfterWindow { amount: a, window_end } => {
            let who = row.map(|r| payments(view, r, Some(true))).unwrap_or_default();
            format!("paid after the window, which closed on {window_end}: {} ({who})", m(*a))
        }
        Finding::Forbidden { amount: a } => {
            let who = row.map(|r| payments(view, r, None)).unwrap_or_default();
            format!("forbidden payment: {} ({who})", m(*a))
        }
        Finding::Shortfall { by, deadline } => format!("short by {} at the deadline, {deadline}", m(*by)),
    }
}

/// A term's periods as a table, for any format that draws one.
pub struct Table {
    pub headers: Vec<String>,
    /// Per row: its cells, and the findings to show under it.
    pub rows: Vec<(Vec<String>, Vec<String>)>,
    pub total: Vec<String>,
    /// The total's findings (a commitment's shortfall).
    pub total_findings: Vec<String>,
}

pub fn table(view: &LedgerView<'_>, tr: &TermReport) -> Table {
    let numbered = assumptions(view, tr);
    let h = |name: &str, figure: Option<Figure>| {
        format!("{name}{}", figure.map_or_else(String::new, |f| marks(&numbered, f)))
    };
    let opt = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), amount);
    let status = |s: Status| s.words().to_owned();
    let findings = |row: Option<&Row>, list: &[Finding]| {
        list.iter().map(|f| finding(view, tr, row, f)).collect::<Vec<_>>()
    };
    let t = &tr.totals;
    match &tr.term.kind {
        TermKind::Share { .. } | TermKind::FixedShare { .. } => {
            let capped = tr.term.cap.is_some();
            let mut headers = vec![
                "period".to_owned(),
                "revenue".to_owned(),
                h("owed", Some(Figure::Owed)),
                "paid".to_owned(),
                h("difference", Some(Figure::Difference)),
            ];
            if capped {
                headers.push(h("cap used", Some(Figure::CapUsed)));
                headers.push(h("cap left", Some(Figure::CapRemaining)));
            }
            headers.push("status".to_owned());
            let rows = tr
                .rows
                .iter()
                .map(|r| {
                    let mut cells = vec![
                        r.period.to_string(),
                        opt(r.revenue),
                        amount(r.owed),
                        amount(r.paid),
                        amount(r.difference),
                    ];
                    if capped {
                        cells.push(opt(r.cap_used));
                        cells.push(opt(r.cap_remaining));
                    }
                    cells.push(status(r.status));
                    (cells, findings(Some(r), &r.findings))
                })
                .collect();
            let mut total = vec![
                "total".to_owned(),
                opt(t.revenue),
                amount(t.owed),
                amount(t.paid),
                amount(t.difference),
            ];
            if capped {
                total.push(opt(t.cap_used));
                total.push(opt(t.cap_remaining));
            }
            total.push(status(tr.status));
            Table { headers, rows, total, total_findings: findings(None, &t.findings) }
        }
        TermKind::Commitment { .. } => {
            let headers = vec![
                "period".to_owned(),
                "paid".to_owned(),
                "spent to date".to_owned(),
                h("remaining", Some(Figure::Remaining)),
                "status".to_owned(),
            ];
            let rows = tr
                .rows
                .iter()
                .map(|r| {
                    let cells = vec![
                        r.period.to_string(),
                        amount(r.paid),
                        opt(r.spent_to_date),
                        opt(r.remaining),
                        status(r.status),
                    ];
                    (cells, findings(Some(r), &r.findings))
                })
                .collect();
            let total =
                vec!["total".to_owned(), amount(t.paid), opt(t.spent), opt(t.remaining), status(tr.status)];
            Table { headers, rows, total, total_findings: findings(None, &t.findings) }
        }
        TermKind::Forbid | TermKind::NotChecked { .. } => {
            let headers = vec!["period".to_owned(), "paid".to_owned(), "status".to_owned()];
            let rows = tr
                .rows
                .iter()
                .map(|r| {
                    (
                        vec![r.period.to_string(), amount(r.paid), status(r.status)],
                        findings(Some(r), &r.findings),
                    )
                })
                .collect();
            let total = vec!["total".to_owned(), amount(t.paid), status(tr.status)];
            Table { headers, rows, total, total_findings: Vec::new() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_and_fractions_given_to_cents() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        assert_eq!(amount(d("0")), "0");
        assert_eq!(amount(d("999")), "999");
        assert_eq!(amount(d("1000")), "1,000");
        assert_eq!(amount(d("250000000000")), "250,000,000,000");
        assert_eq!(amount(d("-50000000.00")), "-50,000,000");
        assert_eq!(amount(d("1234567.5")), "1,234,567.50");
        assert_eq!(amount(d("0.125")), "0.125");
    }
}
