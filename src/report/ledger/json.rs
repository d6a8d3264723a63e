//! The ledger report as JSON (one document) and NDJSON (a line per payment term, per entry no
//! term applies to, per entry in error, then the summary).
//!
//! Amounts are decimal strings (`"250000.1"`), exact, never JSON numbers: a reader that parses
//! numbers as floating point would round them. A figure that does not apply to a term's kind (a
//! cap where there is none, revenue for a commitment) is left out rather than given as zero.
//! Keys come in a fixed order; the layout is serde_json's.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::words;
use super::LedgerView;
use crate::check::policy::RunVerdict;
use crate::ledger::{EntryRecord, Finding, Part, Row, TermKind, TermReport, Totals};
use crate::report::ErrorReport;

/// The whole report, pretty-printed, ending with a line end.
pub fn to_json(view: &LedgerView<'_>) -> String {
    let doc = Document {
        verdict: verdict(view.report.verdict),
        today: view.report.today,
        ledger: view.name,
        summary: summary(view),
        terms: view.report.terms.iter().map(|tr| term(view, tr)).collect(),
        unmatched: unmatched(view),
        errors: errors(view),
    };
    // INVARIANT: the document is strings, numbers and lists; serializing it cannot fail.
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// One JSON object a line: `{"type":"term",…}` for each term, `"unmatched"` and `"error"` for
/// entries, and `"summary"` last.
pub fn to_ndjson(view: &LedgerView<'_>) -> String {
    let mut out = String::new();
    for tr in &view.report.terms {
        line(&mut out, &Typed { kind: "term", ledger: view.name, body: term(view, tr) });
    }
    for u in unmatched(view) {
        line(&mut out, &Typed { kind: "unmatched", ledger: view.name, body: u });
    }
    for e in errors(view) {
        line(&mut out, &Typed { kind: "error", ledger: view.name, body: e });
    }
    let end = End { verdict: verdict(view.report.verdict), today: view.report.today, summary: summary(view) };
    line(&mut out, &Typed { kind: "summary", ledger: view.name, body: end });
    out
}

/// Appends one compact JSON line.
fn line<T: Serialize>(out: &mut String, value: &T) {
    // INVARIANT: as in `to_json`, serializing cannot fail.
    out.push_str(&serde_json::to_string(value).unwrap_or_default());
    out.push('\n');
}

#[derive(Serialize)]
struct Typed<'a, T> {
    #[serde(rename = "type")]
    kind: &'static str,
    ledger: &'a str,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct Document<'a> {
    verdict: &'static str,
    #[serde(serialize_with = "day")]
    today: NaiveDate,
    ledger: &'a str,
    summary: SummaryJson,
    terms: Vec<TermJson<'a>>,
    unmatched: Vec<UnmatchedJson<'a>>,
    errors: Vec<ErrorReport<'a>>,
}

#[derive(Serialize)]
struct End {
    verdict: &'static str,
    #[serde(serialize_with = "day")]
    today: NaiveDate,
    summary: SummaryJson,
}

#[derive(Serialize)]
struct SummaryJson {
    entries: usize,
    attributed: usize,
    unmatched: usize,
    errors: usize,
    terms: usize,
    satisfied: usize,
    violated: usize,
    not_yet_due: usize,
    not_checked: usize,
}

fn summary(view: &LedgerView<'_>) -> SummaryJson {
    let s = view.report.summary;
    SummaryJson {
        entries: s.entries,
        attributed: s.attributed,
        unmatched: s.unmatched,
        errors: s.errors,
        terms: s.terms,
        satisfied: s.satisfied,
        violated: s.violated,
        not_yet_due: s.not_yet_due,
        not_checked: s.not_checked,
    }
}

#[derive(Serialize)]
struct TermJson<'a> {
    agreement: &'a str,
    clause: &'a str,
    title: &'a str,
    /// `share`, `commitment`, `forbid` or `not_checked`.
    kind: &'static str,
    payer: String,
    payee: String,
    /// The statement as the rules write it.
    term: String,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    percent: Option<Decimal>,
    /// A fixed amount owed out of each period's revenue.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    amount: Option<Decimal>,
    /// A commitment's total.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    total: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    cap: Option<Decimal>,
    currency: Option<&'a str>,
    /// The term's window within its clause's period; `null` when it is in force on no day.
    window: Option<Window>,
    in_force: Window,
    /// Events with no date its start waits on, and that would end it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    waits_for: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ends_at: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_day")]
    deadline: Option<NaiveDate>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_checked: Option<&'a str>,
    quote: &'a str,
    source: String,
    assumptions: Vec<AssumptionJson<'a>>,
    notes: &'a [String],
    periods: Vec<PeriodJson<'a>>,
    totals: TotalsJson,
}

#[derive(Serialize)]
struct Window {
    #[serde(serialize_with = "opt_day")]
    from: Option<NaiveDate>,
    #[serde(serialize_with = "opt_day")]
    through: Option<NaiveDate>,
}

#[derive(Serialize)]
struct AssumptionJson<'a> {
    assumed: &'a str,
    why: &'a str,
    /// The figures it reaches: `entries` (which entries fall under the term), `owed`, ...
    figures: Vec<&'static str>,
}

#[derive(Serialize)]
struct PeriodJson<'a> {
    period: String,
    #[serde(serialize_with = "day")]
    from: NaiveDate,
    #[serde(serialize_with = "day")]
    through: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    revenue: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    uncapped: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    owed: Option<Decimal>,
    #[serde(serialize_with = "amount")]
    paid: Decimal,
    #[serde(serialize_with = "amount")]
    paid_after_window: Decimal,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    difference: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    cap_used: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    cap_remaining: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    spent_to_date: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    remaining: Option<Decimal>,
    status: &'static str,
    findings: Vec<FindingJson>,
    entries: Vec<PartJson<'a>>,
}

#[derive(Serialize)]
struct TotalsJson {
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    revenue: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    owed: Option<Decimal>,
    #[serde(serialize_with = "amount")]
    paid: Decimal,
    #[serde(serialize_with = "amount")]
    paid_after_window: Decimal,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    difference: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    cap_used: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    cap_remaining: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    committed: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    spent: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    remaining: Option<Decimal>,
    findings: Vec<FindingJson>,
}

#[derive(Serialize)]
struct FindingJson {
    finding: &'static str,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_amount")]
    amount: Option<Decimal>,
    /// The sentence the text report gives.
    message: String,
}

#[derive(Serialize)]
struct PartJson<'a> {
    entry: &'a str,
    position: usize,
    kind: &'static str,
    #[serde(serialize_with = "amount")]
    amount: Decimal,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_day")]
    date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    paid_after_window: bool,
}

#[derive(Serialize)]
struct UnmatchedJson<'a> {
    entry: &'a str,
    position: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    reason: &'a str,
}

fn term<'a>(view: &LedgerView<'a>, tr: &'a TermReport) -> TermJson<'a> {
    let t = &tr.term;
    let a = view.rules.agreement(t.agreement);
    let c = a.clause(t.clause);
    let (kind, percent, fixed, total) = match &t.kind {
        TermKind::Share { percent } => ("share", Some(*percent), None, None),
        TermKind::FixedShare { amount } => ("share", None, Some(*amount), None),
        TermKind::Commitment { total } => ("commitment", None, None, Some(*total)),
        TermKind::Forbid => ("forbid", None, None, None),
        TermKind::NotChecked { .. } => ("not_checked", None, None, None),
    };
    let source = match c.statements.get(t.statement) {
        Some(crate::model::Statement::Payment(p)) => view.sources.location(p.span),
        _ => view.sources.location(c.span),
    };
    let assumptions = t
        .assumptions
        .iter()
        .filter_map(|(at, figures)| {
            at.resolve(view.rules).map(|x| AssumptionJson {
                assumed: &x.subject,
                why: &x.why,
                figures: figures.iter().map(|f| f.as_str()).collect(),
            })
        })
        .collect();
    let share = t.kind.is_share();
    let commitment = matches!(t.kind, TermKind::Commitment { .. });
    let periods = tr.rows.iter().map(|r| period(view, tr, r, share)).collect();
    TermJson {
        agreement: &a.id,
        clause: &c.id,
        title: &c.title,
        kind,
        payer: words::party(view, t.payer),
        payee: words::party(view, t.payee),
        term: words::written(view, tr),
        percent,
        amount: fixed,
        total,
        cap: t.cap,
        currency: tr.currency.as_deref(),
        window: (!t.never_in_force()).then_some(Window { from: t.window.from, through: t.window.through }),
        in_force: Window {
            from: (t.in_force.from != NaiveDate::MAX).then_some(t.in_force.from),
            through: t.in_force.through,
        },
        waits_for: t.waits_for.iter().map(|e| view.rules.event(*e).name.as_str()).collect(),
        ends_at: t.ends_at.iter().map(|e| view.rules.event(*e).name.as_str()).collect(),
        deadline: if commitment { t.deadline() } else { None },
        status: tr.status.as_str(),
        not_checked: tr.not_checked.as_deref(),
        quote: &c.quote,
        source,
        assumptions,
        notes: &t.notes,
        periods,
        totals: totals(view, tr, &tr.totals, share, commitment),
    }
}

fn period<'a>(view: &LedgerView<'a>, tr: &TermReport, r: &'a Row, share: bool) -> PeriodJson<'a> {
    let capped = share && tr.term.cap.is_some();
    PeriodJson {
        period: r.period.to_string(),
        from: r.period.first,
        through: r.period.last,
        revenue: if share { r.revenue } else { None },
        uncapped: (capped).then_some(r.uncapped),
        owed: share.then_some(r.owed),
        paid: r.paid,
        paid_after_window: r.late,
        difference: share.then_some(r.difference),
        cap_used: if capped { r.cap_used } else { None },
        cap_remaining: if capped { r.cap_remaining } else { None },
        spent_to_date: r.spent_to_date,
        remaining: r.remaining,
        status: r.status.as_str(),
        findings: r.findings.iter().map(|f| finding(view, tr, Some(r), f)).collect(),
        entries: r.parts.iter().map(|p| part(view, p)).collect(),
    }
}

fn totals(view: &LedgerView<'_>, tr: &TermReport, t: &Totals, share: bool, commitment: bool) -> TotalsJson {
    let capped = share && tr.term.cap.is_some();
    TotalsJson {
        revenue: if share { t.revenue } else { None },
        owed: share.then_some(t.owed),
        paid: t.paid,
        paid_after_window: t.late,
        difference: share.then_some(t.difference),
        cap_used: if capped { t.cap_used } else { None },
        cap_remaining: if capped { t.cap_remaining } else { None },
        committed: if commitment { t.committed } else { None },
        spent: if commitment { t.spent } else { None },
        remaining: if commitment { t.remaining } else { None },
        findings: t.findings.iter().map(|f| finding(view, tr, None, f)).collect(),
    }
}

fn finding(view: &LedgerView<'_>, tr: &TermReport, row: Option<&Row>, f: &Finding) -> FindingJson {
    let amount = match f {
        Finding::Underpaid { by } | Finding::Overpaid { by } | Finding::Shortfall { by, .. } => Some(*by),
        Finding::PaidAfterWindow { amount, .. } | Finding::Forbidden { amount } => Some(*amount),
        Finding::CapReached { owed, .. } => Some(*owed),
        Finding::CapUsedUp { uncapped, .. } => Some(*uncapped),
        Finding::NoRevenue => None,
    };
    FindingJson { finding: f.as_str(), amount, message: words::finding(view, tr, row, f) }
}

fn part<'a>(view: &LedgerView<'a>, p: &Part) -> PartJson<'a> {
    let e = &view.ledger.entries[p.entry];
    let (date, reference) = match e {
        EntryRecord::Valid(e) => (Some(e.date), e.reference.as_deref()),
        EntryRecord::Invalid(_) => (None, None),
    };
    PartJson {
        entry: e.id(),
        position: e.position(),
        kind: p.kind.as_str(),
        amount: p.amount,
        date,
        reference,
        paid_after_window: p.late,
    }
}

fn unmatched<'a>(view: &LedgerView<'a>) -> Vec<UnmatchedJson<'a>> {
    view.report
        .unmatched
        .iter()
        .map(|u| {
            let e = &view.ledger.entries[u.entry];
            UnmatchedJson { entry: e.id(), position: e.position(), line: e.line(), reason: &u.reason }
        })
        .collect()
}

fn errors<'a>(view: &LedgerView<'a>) -> Vec<ErrorReport<'a>> {
    view.report
        .errors
        .iter()
        .flat_map(|bad| {
            bad.problems.iter().map(move |p| ErrorReport {
                record: Some(&bad.id),
                position: Some(bad.position),
                file: Some(view.name),
                line: bad.line,
                column: bad.column,
                field: p.field.as_deref(),
                message: &p.message,
                help: p.help.as_deref(),
                code: Some(p.code.name),
            })
        })
        .collect()
}

/// The run's verdict in the ledger's words: `satisfied` (nothing violated), `violated`, `error`.
fn verdict(v: RunVerdict) -> &'static str {
    match v {
        RunVerdict::Allowed => "satisfied",
        RunVerdict::Violated => "violated",
        RunVerdict::Error => "error",
    }
}

fn day<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

fn opt_day<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => day(d, s),
        None => s.serialize_none(),
    }
}

fn amount<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.normalize())
}

fn opt_amount<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => amount(d, s),
        None => s.serialize_none(),
    }
}

/// The JSON report of a run that checked nothing (the rules or the ledger could not be read):
/// the same keys as [`to_json`], with only the errors filled in.
pub fn failed_json(errors: &[ErrorReport<'_>]) -> String {
    #[derive(Serialize)]
    struct Failed<'e, 'a> {
        verdict: &'static str,
        summary: SummaryJson,
        terms: [(); 0],
        unmatched: [(); 0],
        errors: &'e [ErrorReport<'a>],
    }
    let summary = SummaryJson {
        entries: 0,
        attributed: 0,
        unmatched: 0,
        errors: errors.len(),
        terms: 0,
        satisfied: 0,
        violated: 0,
        not_yet_due: 0,
        not_checked: 0,
    };
    let doc = Failed { verdict: "error", summary, terms: [], unmatched: [], errors };
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
