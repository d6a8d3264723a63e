//! `clausecheck ledger` end to end: the example ledger for the bundled agreement against figures
//! this file computes on its own (integer cents, its own reading of the YAML, its own statement
//! of the bundled terms), snapshots of every format, the same ledger in every input format,
//! broken entries located and counted once, and `--assume`.

mod common;
use common::bin::{clausecheck, code, relative, transcript};

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

const EXAMPLE: &str = "examples/ledgers/bundled-2024-2031.yaml";
const TODAY: &str = "2032-01-15";
const CAP: &str = "revshare_cap=12_000_000_000 USD";

fn example(extra: &[&str]) -> std::process::Output {
    let mut args = vec!["ledger", EXAMPLE, "--today", TODAY, "--color", "never"];
    args.extend_from_slice(extra);
    clausecheck(&args)
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is JSON ({e}): {}", transcript(out)))
}

// ---------------------------------------------------------------------------------------------
// The example ledger, figured independently.

#[derive(Debug, Deserialize)]
struct Doc {
    entries: Vec<RawEntry>,
}

#[derive(Debug, Deserialize)]
struct RawEntry {
    id: String,
    date: String,
    kind: String,
    payer: String,
    amount: String,
    period: String,
}

/// `1_000_000_000.55 USD` in cents, by hand: no decimal type of the program's.
fn cents(amount: &str) -> i128 {
    let number = amount.strip_suffix(" USD").expect("the example is in USD").replace('_', "");
    let (whole, fraction) = number.split_once('.').unwrap_or((&number, ""));
    assert!(fraction.len() <= 2, "the example has whole cents: {amount}");
    let fraction = format!("{fraction:0<2}");
    whole.parse::<i128>().unwrap() * 100 + fraction.parse::<i128>().unwrap()
}

/// A figure of the report (a decimal string) in cents.
fn report_cents(v: &Value) -> i128 {
    let s = v.as_str().unwrap_or_else(|| panic!("an amount is a string: {v}"));
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let negative = whole.starts_with('-');
    assert!(fraction.len() <= 2, "{s}");
    let magnitude = whole.trim_start_matches('-').parse::<i128>().unwrap() * 100
        + format!("{fraction:0<2}").parse::<i128>().unwrap();
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// What one period of one term should come to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Expected {
    revenue: i128,
    owed: i128,
    paid: i128,
    cap_used: Option<i128>,
}

/// The bundled terms, stated here on their own: OpenAI pays Microsoft 20% of its revenue; under
/// the original terms (revenue dated before 2026-04-27) uncapped, under the restructured terms
/// (dated 2026-04-27 through 2030-12-31) with the cumulative cap `cap`; Microsoft owes OpenAI 0%
/// before 2026-04-27 and may pay it nothing from then on. Returns, per term id, its periods.
fn expected(
    entries: &[RawEntry],
    cap: i128,
) -> (BTreeMap<&'static str, BTreeMap<String, Expected>>, Vec<String>) {
    let restructured = "2026-04-27";
    let mut terms: BTreeMap<&'static str, BTreeMap<String, Expected>> = BTreeMap::new();
    let mut unmatched = Vec::new();
    let mut where_period: BTreeMap<(String, String), &'static str> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == "revenue") {
        let term = match (e.payer.as_str(), e.date.as_str()) {
            ("openai", d) if d < restructured => "msft_openai_2019.openai_revshare",
            ("openai", d) if d <= "2030-12-31" => "msft_openai_2026.openai_revshare",
            ("microsoft", d) if d < restructured => "msft_openai_2019.msft_revshare",
            _ => {
                unmatched.push(e.id.clone());
                continue;
            }
        };
        terms.entry(term).or_default().entry(e.period.clone()).or_default().revenue += cents(&e.amount);
        where_period.insert((e.payer.clone(), e.period.clone()), term);
    }
    for (term, rows) in &mut terms {
        let percent = if term.ends_with("msft_revshare") { 0 } else { 20 };
        let capped = term.starts_with("msft_openai_2026");
        let mut used = 0i128;
        // Quarters and years of these parties sort by their text in calendar order.
        for row in rows.values_mut() {
            assert_eq!(row.revenue * percent % 100, 0, "the example's shares are whole cents");
            let share = row.revenue * percent / 100;
            row.owed = if capped { share.min((cap - used).max(0)) } else { share };
            if capped {
                used += row.owed;
                row.cap_used = Some(used);
            }
        }
    }
    for e in entries.iter().filter(|e| e.kind == "payment") {
        let term = if e.payer == "microsoft" && e.date.as_str() >= restructured {
            "msft_openai_2026.msft_revshare_ended"
        } else {
            where_period
                .get(&(e.payer.clone(), e.period.clone()))
                .copied()
                .expect("every payment has its revenue")
        };
        terms.entry(term).or_default().entry(e.period.clone()).or_default().paid += cents(&e.amount);
    }
    (terms, unmatched)
}

fn example_entries() -> Vec<RawEntry> {
    let text = std::fs::read_to_string(EXAMPLE).unwrap();
    serde_saphyr::from_str::<Doc>(&text).expect("the example is YAML of entries").entries
}

fn term<'a>(report: &'a Value, id: &str) -> &'a Value {
    let (agreement, clause) = id.split_once('.').unwrap();
    report["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["agreement"] == agreement && t["clause"] == clause)
        .unwrap_or_else(|| panic!("no term {id}"))
}

/// Every entry of a JSON ledger report is in exactly one of: a term's periods (possibly several
/// terms), the unmatched list, the errors; and the summary counts each once.
fn assert_every_entry_counted_once(report: &Value) {
    let s = &report["summary"];
    let n = s["entries"].as_u64().unwrap() as usize;
    let (attributed, unmatched, errors) =
        (s["attributed"].as_u64().unwrap(), s["unmatched"].as_u64().unwrap(), s["errors"].as_u64().unwrap());
    assert_eq!((attributed + unmatched + errors) as usize, n, "every entry counted once: {s}");
    let mut seen: BTreeMap<u64, &str> = BTreeMap::new();
    let mut in_terms = std::collections::BTreeSet::new();
    for t in report["terms"].as_array().unwrap() {
        for p in t["periods"].as_array().unwrap() {
            for e in p["entries"].as_array().unwrap() {
                in_terms.insert(e["position"].as_u64().unwrap());
            }
        }
    }
    for position in &in_terms {
        seen.insert(*position, "a term");
    }
    for u in report["unmatched"].as_array().unwrap() {
        let position = u["position"].as_u64().unwrap();
        assert!(seen.insert(position, "unmatched").is_none(), "entry #{position} is unmatched and elsewhere");
    }
    let mut error_positions = std::collections::BTreeSet::new();
    for e in report["errors"].as_array().unwrap() {
        error_positions.insert(e["position"].as_u64().unwrap());
    }
    for position in error_positions {
        assert!(seen.insert(position, "in error").is_none(), "entry #{position} is in error and elsewhere");
    }
    let all: Vec<u64> = seen.keys().copied().collect();
    assert_eq!(all, (1..=n as u64).collect::<Vec<_>>(), "every entry appears somewhere: {seen:?}");
    assert_eq!(in_terms.len() as u64, attributed, "the attributed count is the entries in terms");
}

fn check_example_against(report: &Value, cap: i128) {
    let entries = example_entries();
    let (terms, unmatched) = expected(&entries, cap);
    for (id, rows) in &terms {
        let t = term(report, id);
        let periods = t["periods"].as_array().unwrap();
        let got: Vec<&str> = periods.iter().map(|p| p["period"].as_str().unwrap()).collect();
        let want: Vec<&str> = rows.keys().map(String::as_str).collect();
        assert_eq!(got, want, "{id}: the periods");
        let mut term_violated = false;
        for (p, (period, want)) in periods.iter().zip(rows) {
            let forbid = id.ends_with("msft_revshare_ended");
            let status = p["status"].as_str().unwrap();
            if forbid {
                assert_eq!(report_cents(&p["paid"]), want.paid, "{id} {period}: paid");
                assert_eq!(status, "violated", "{id} {period}: a forbidden payment");
                assert_eq!(p["findings"][0]["finding"], "forbidden");
                term_violated = true;
                continue;
            }
            assert_eq!(report_cents(&p["revenue"]), want.revenue, "{id} {period}: revenue");
            assert_eq!(report_cents(&p["owed"]), want.owed, "{id} {period}: owed");
            assert_eq!(report_cents(&p["paid"]), want.paid, "{id} {period}: paid");
            assert_eq!(report_cents(&p["difference"]), want.paid - want.owed, "{id} {period}: difference");
            if let Some(used) = want.cap_used {
                assert_eq!(report_cents(&p["cap_used"]), used, "{id} {period}: cap used");
                assert_eq!(report_cents(&p["cap_remaining"]), (cap - used).max(0), "{id} {period}: cap left");
            }
            let want_status = if want.paid == want.owed { "satisfied" } else { "violated" };
            term_violated |= want_status == "violated";
            assert_eq!(status, want_status, "{id} {period}: status");
            let findings: Vec<&str> =
                p["findings"].as_array().unwrap().iter().map(|f| f["finding"].as_str().unwrap()).collect();
            if want.paid < want.owed {
                assert!(findings.contains(&"underpaid"), "{id} {period}: {findings:?}");
            }
            if want.paid > want.owed {
                assert!(findings.contains(&"overpaid"), "{id} {period}: {findings:?}");
            }
        }
        let want_term = if term_violated { "violated" } else { "satisfied" };
        assert_eq!(t["status"], want_term, "{id}: the term's status");
        let owed: i128 = rows.values().map(|r| r.owed).sum();
        let paid: i128 = rows.values().map(|r| r.paid).sum();
        assert_eq!(report_cents(&t["totals"]["paid"]), paid, "{id}: total paid");
        if t["kind"] == "share" {
            assert_eq!(report_cents(&t["totals"]["owed"]), owed, "{id}: total owed");
        }
    }
    let got_unmatched: Vec<&str> =
        report["unmatched"].as_array().unwrap().iter().map(|u| u["entry"].as_str().unwrap()).collect();
    assert_eq!(got_unmatched, unmatched, "entries no term covers");
    assert_every_entry_counted_once(report);
}

#[test]
fn the_example_ledger_gives_the_figures_computed_independently() {
    let out = example(&["--format", "json", "--assume", CAP]);
    assert_eq!(code(&out), 1, "a term is violated: {}", transcript(&out));
    let report = json_of(&out);
    check_example_against(&report, 12_000_000_000 * 100);

    // The three cases the example is for, named where they are.
    let old = term(&report, "msft_openai_2019.openai_revshare");
    let q3 = old["periods"].as_array().unwrap().iter().find(|p| p["period"] == "2025-Q3").unwrap();
    assert_eq!(q3["findings"][0]["finding"], "underpaid");
    assert_eq!(report_cents(&q3["findings"][0]["amount"]), 15_000_000 * 100);
    let forbidden = term(&report, "msft_openai_2026.msft_revshare_ended");
    assert_eq!(forbidden["status"], "violated");
    assert_eq!(forbidden["periods"][0]["entries"][0]["entry"], "msft-pay-2026q2");
    let new = term(&report, "msft_openai_2026.openai_revshare");
    let reached: Vec<&str> = new["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["findings"].as_array().unwrap().iter().any(|f| f["finding"] == "cap_reached"))
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(reached, ["2029-Q3"], "the cap is reached once, in 2029-Q3");
    assert_eq!(new["status"], "satisfied");
    assert_eq!(report_cents(&new["totals"]["cap_remaining"]), 0);
    // The cap is an assumption, and every figure it reaches says so.
    let cap = new["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["assumed"].as_str().unwrap().starts_with("revshare_cap"))
        .unwrap();
    assert!(cap["why"].as_str().unwrap().contains("--assume"), "{cap}");
    let figures: Vec<&str> = cap["figures"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(figures, ["owed", "difference", "cap_used", "cap_remaining"]);
    assert_eq!(report["verdict"], "violated");
    let s = &report["summary"];
    assert_eq!((s["satisfied"].as_u64(), s["violated"].as_u64()), (Some(2), Some(2)), "{s}");
}

#[test]
fn with_the_bundled_cap_of_zero_the_cap_is_reached_at_once() {
    // The rules assume 0 USD: from 2026-04-27 nothing is owed, so OpenAI's payments are overpaid.
    let out = example(&["--format", "json"]);
    assert_eq!(code(&out), 1);
    let report = json_of(&out);
    check_example_against(&report, 0);
    let new = term(&report, "msft_openai_2026.openai_revshare");
    assert_eq!(new["periods"][0]["period"], "2026-Q2");
    assert_eq!(new["periods"][0]["findings"][0]["finding"], "cap_reached");
    assert_eq!(new["status"], "violated");
    let cap = &new["assumptions"][0];
    assert_eq!(cap["assumed"], "revshare_cap = 0 USD");
}

// ---------------------------------------------------------------------------------------------
// Snapshots, reviewed by eye.

#[test]
fn example_ledger_text() {
    let out = example(&["--assume", CAP]);
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn example_ledger_json() {
    let out = example(&["--format", "json", "--assume", CAP]);
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn example_ledger_ndjson() {
    let out = example(&["--format", "ndjson", "--assume", CAP]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("every line is JSON")).collect();
    assert_eq!(lines.last().unwrap()["type"], "summary");
    assert_eq!(lines.iter().filter(|l| l["type"] == "term").count(), 4);
    insta::assert_snapshot!(text);
}

#[test]
fn example_ledger_text_with_the_bundled_cap() {
    let out = example(&[]);
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn the_report_is_deterministic() {
    for format in ["text", "json", "ndjson"] {
        let a = example(&["--format", format, "--assume", CAP]);
        let b = example(&["--format", format, "--assume", CAP]);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
}

// ---------------------------------------------------------------------------------------------
// Input formats.

#[test]
fn the_same_ledger_in_every_format_gives_the_same_figures() {
    let mut reports = Vec::new();
    for ext in ["yaml", "json", "ndjson", "csv"] {
        let path = format!("tests/fixtures/ledger/formats/ledger.{ext}");
        let out = clausecheck(&[
            "ledger",
            "--rules",
            "tests/fixtures/ledger/rules",
            &path,
            "--today",
            "2028-06-30",
            "--format",
            "json",
        ]);
        let mut report = json_of(&out);
        assert_eq!(code(&out), 1, "{path}: {}", transcript(&out));
        assert_every_entry_counted_once(&report);
        // The name and the lines differ between formats; nothing else may.
        report["ledger"] = Value::Null;
        for u in report["unmatched"].as_array_mut().unwrap() {
            u["line"] = Value::Null;
        }
        reports.push((path, report));
    }
    let (first_path, first) = &reports[0];
    for (path, report) in &reports[1..] {
        assert_eq!(report, first, "{path} differs from {first_path}");
    }
    insta::assert_snapshot!(
        "formats_text",
        transcript(&clausecheck(&[
            "ledger",
            "--rules",
            "tests/fixtures/ledger/rules",
            "tests/fixtures/ledger/formats/ledger.csv",
            "--today",
            "2028-06-30",
            "--color",
            "never",
        ]))
    );
}

// ---------------------------------------------------------------------------------------------
// Broken ledgers.

#[test]
fn every_broken_ledger_is_located_counted_once_and_exits_2() {
    insta::glob!("fixtures/ledger/err", "*.*", |path| {
        let path = relative(path);
        let args = ["ledger", "--rules", "tests/fixtures/ledger/rules", &path, "--today", "2028-06-30"];
        let text = clausecheck(&[&args[..], &["--color", "never"]].concat());
        assert_eq!(code(&text), 2, "{}", transcript(&text));
        let json = clausecheck(&[&args[..], &["--format", "json"]].concat());
        assert_eq!(code(&json), 2);
        let report = json_of(&json);
        assert_eq!(report["verdict"], "error");
        if report["summary"]["entries"].as_u64().unwrap() > 0 {
            assert_every_entry_counted_once(&report);
            for e in report["errors"].as_array().unwrap() {
                assert!(e["record"].is_string() && e["position"].is_u64(), "an error names its entry: {e}");
                assert!(e["line"].is_u64(), "an error names its line: {e}");
            }
        }
        insta::assert_snapshot!(transcript(&text));
    });
}

#[test]
fn a_misspelt_party_kind_or_field_gets_a_suggestion() {
    let out = clausecheck(&[
        "ledger",
        "--rules",
        "tests/fixtures/ledger/rules",
        "tests/fixtures/ledger/err/entries.yaml",
        "--format",
        "json",
        "--today",
        "2028-06-30",
    ]);
    let report = json_of(&out);
    let helps: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or("").to_owned(), e["help"].as_str().unwrap_or("").to_owned()))
        .collect();
    for (field, suggestion) in [("payer", "`acme`"), ("kind", "`payment`"), ("perod", "`period`")] {
        assert!(
            helps.iter().any(|(f, h)| f == field && h.contains("did you mean") && h.contains(suggestion)),
            "{field}: {helps:?}"
        );
    }
}

#[test]
fn an_unreadable_ledger_is_an_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"entries\": [\n  {\"id\": \"a\",\n").unwrap();
    let out = clausecheck(&["ledger", "--rules", "tests/fixtures/ledger/rules", path.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.json:3`: the ledger is not valid JSON"), "{stderr}");
    let out = clausecheck(&[
        "ledger",
        "--rules",
        "tests/fixtures/ledger/rules",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let report = json_of(&out);
    assert_eq!(report["verdict"], "error");
    assert_eq!(report["errors"][0]["line"], 3);
    let out = clausecheck(&["ledger", "--rules", "tests/fixtures/ledger/rules", "no-such-ledger.csv"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no such file"));
    let out = clausecheck(&["ledger", "--rules", "tests/fixtures/ledger/rules", "ledger.txt"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot tell the format"));
}

// ---------------------------------------------------------------------------------------------
// `--assume`.

#[test]
fn assume_replaces_only_assumed_values_of_the_right_kind() {
    let cases = [
        ("revshare_cap=12_000_000_000 EUR", "never converted"),
        ("revshare_cap=12%", "not an amount"),
        ("revshare_cao=1 USD", "did you mean `revshare_cap`"),
        ("msft_openai_2026.revshare_cao=1 USD", "did you mean `msft_openai_2026.revshare_cap`"),
        ("openai_revshare_rate=10%", "is in several agreements"),
        ("revshare_cap", "names no value"),
        ("msft_openai_2026.openai_revshare_rate=120%", "at most 100%"),
    ];
    for (spec, message) in cases {
        let out = example(&["--assume", spec]);
        assert_eq!(code(&out), 2, "{spec}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{spec}: {stderr}");
        assert!(out.stdout.is_empty(), "{spec}: nothing is reported with a wrong --assume");
    }
    // A value the source states is not an assumption, and stays as written.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("stated.terms");
    std::fs::write(
        &rules,
        "vocabulary { party a, b }\nagreement x \"X\" {\n  parties a, b\n  effective 2026-01-01\n  default allow\n  param rate = 5%\n  clause c \"C\" {\n    quote \"q\"\n    oblige a pays b rate of revenue\n  }\n}\n",
    )
    .unwrap();
    let ledger = dir.path().join("l.csv");
    std::fs::write(&ledger, "date,kind,payer,payee,amount,period\n").unwrap();
    let out = clausecheck(&[
        "ledger",
        "--rules",
        rules.to_str().unwrap(),
        ledger.to_str().unwrap(),
        "--assume",
        "rate=6%",
    ]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("stated by the source, not assumed"));
}

// ---------------------------------------------------------------------------------------------
// The rules of the figures, one at a time, through the library.

mod rules_of_the_figures {
    use clausecheck::ledger::{self, Finding, LedgerReport, Status};
    use clausecheck::plan::PlanFormat;
    use clausecheck::source::{SourceFile, Sources};

    const HEAD: &str = "vocabulary { party acme, bank }\nagreement deal \"Deal\" {\n  parties acme, bank\n  effective 2026-01-01\n  default allow\n";

    fn run(terms: &str, csv_rows: &str, today: &str) -> LedgerReport {
        let mut sources = Sources::new();
        sources.add(SourceFile::new("deal.terms", format!("{HEAD}{terms}}}\n")));
        let rules = clausecheck::load_rules(&sources).expect("the rules load");
        let csv = format!("date,kind,payer,payee,amount,period\n{csv_rows}");
        let entries = ledger::read(&csv, PlanFormat::Csv, &rules).expect("the ledger reads");
        ledger::check(&rules, &entries, today.parse().unwrap())
    }

    fn clause(body: &str) -> String {
        format!("  clause c \"C\" {{\n    quote \"q\"\n    {body}\n  }}\n")
    }

    #[test]
    fn a_period_not_over_on_today_is_not_yet_due() {
        let terms = clause("oblige acme pays bank 10% of revenue");
        let rows = "2026-03-31,revenue,acme,bank,1000 USD,2026-Q1\n";
        let early = run(&terms, rows, "2026-03-31");
        assert_eq!(early.terms[0].rows[0].status, Status::NotYetDue);
        assert_eq!(early.terms[0].status, Status::NotYetDue);
        assert_eq!(early.verdict.as_str(), "allowed", "nothing is violated yet");
        let late = run(&terms, rows, "2026-04-01");
        assert_eq!(late.terms[0].rows[0].status, Status::Violated, "once the period is over, 100 is owed");
        assert_eq!(late.terms[0].rows[0].findings, [Finding::Underpaid { by: 100.into() }]);
    }

    #[test]
    fn a_commitment_is_met_missed_or_not_yet_due_and_paid_late_after_its_window() {
        let terms = clause("oblige acme pays bank 1_000 USD through 2026");
        let rows = "2026-05-01,payment,acme,bank,600 USD,2026-Q2\n";
        let open = run(&terms, rows, "2026-12-31");
        assert_eq!(open.terms[0].status, Status::NotYetDue);
        assert_eq!(open.terms[0].totals.remaining, Some(400.into()));
        let missed = run(&terms, rows, "2027-01-01");
        assert_eq!(missed.terms[0].status, Status::Violated);
        assert_eq!(
            missed.terms[0].totals.findings,
            [Finding::Shortfall { by: 400.into(), deadline: "2026-12-31".parse().unwrap() }]
        );
        let late =
            run(&terms, &format!("{rows}2027-01-10,payment,acme,bank,400 USD,2027-Q1\n"), "2027-02-01");
        let t = &late.terms[0];
        assert_eq!(t.totals.spent, Some(600.into()), "a payment after the deadline does not count");
        assert_eq!(t.rows[1].status, Status::Violated);
        assert!(matches!(t.rows[1].findings[0], Finding::PaidAfterWindow { .. }), "{:?}", t.rows[1]);
        let met = run(&terms, &format!("{rows}2026-12-01,payment,acme,bank,400 USD,2026-Q4\n"), "2027-02-01");
        assert_eq!(met.terms[0].status, Status::Satisfied);
    }

    #[test]
    fn a_term_with_amounts_in_two_currencies_is_not_checked_and_never_converted() {
        let terms = format!(
            "  param cap = 100 EUR assumed \"x\"\n{}",
            clause("oblige acme pays bank 20 USD of revenue capped at cap")
        );
        let report = run(&terms, "2026-03-31,revenue,acme,bank,1000 USD,2026-Q1\n", "2027-01-01");
        assert_eq!(report.terms[0].status, Status::NotChecked);
        assert!(report.terms[0].not_checked.as_deref().unwrap().contains("different currencies (USD, EUR)"));
    }

    #[test]
    fn sums_too_large_to_hold_exactly_are_not_given() {
        let terms = clause("oblige acme pays bank 10% of revenue");
        // Each fits in an exact decimal; their sum, 10^29, does not.
        let big = "50_000_000_000_000_000_000_000_000_000 USD";
        let rows = format!(
            "2026-01-30,revenue,acme,bank,{big},2026-01\n2026-01-31,revenue,acme,bank,{big},2026-01\n"
        );
        let report = run(&terms, &rows, "2027-01-01");
        assert_eq!(report.terms[0].status, Status::NotChecked);
        assert!(
            report.terms[0].not_checked.as_deref().unwrap().contains("more digits"),
            "{:?}",
            report.terms[0]
        );
    }

    #[test]
    fn two_shares_between_the_same_parties_each_take_their_part_of_a_payment() {
        let terms = format!(
            "{}  clause d \"D\" {{\n    quote \"q\"\n    oblige acme pays bank 5% of revenue\n  }}\n",
            clause("oblige acme pays bank 10% of revenue")
        );
        let rows =
            "2026-03-31,revenue,acme,bank,1000 USD,2026-Q1\n2026-04-10,payment,acme,bank,160 USD,2026-Q1\n";
        let report = run(&terms, rows, "2027-01-01");
        // In rule order, each up to what it is owed, the last taking the excess: 100, then 60.
        assert_eq!(report.terms[0].rows[0].paid, 100.into());
        assert_eq!(report.terms[1].rows[0].paid, 60.into());
        assert_eq!(report.terms[1].rows[0].findings, [Finding::Overpaid { by: 10.into() }]);
        assert_eq!(report.summary.attributed, 2, "each entry counted once, whatever it is split into");
    }
}

#[test]
fn standard_input_output_files_and_an_output_over_the_ledger() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let rules = ["--rules", "tests/fixtures/ledger/rules", "--today", "2028-06-30"];
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["ledger", "-", "--input-format", "csv"])
        .args(rules)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let csv = std::fs::read("tests/fixtures/ledger/formats/ledger.csv").unwrap();
    child.stdin.take().unwrap().write_all(&csv).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ledger <stdin> · 14 entries"));
    let out = clausecheck(&["ledger", "-", "--rules", "tests/fixtures/ledger/rules"]);
    assert_eq!(code(&out), 2, "standard input needs --input-format");

    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("ledger.csv");
    std::fs::write(&copy, &csv).unwrap();
    let report = dir.path().join("report.json");
    let (copy, report) = (copy.to_str().unwrap(), report.to_str().unwrap());
    let out = clausecheck(&[&["ledger", copy, "--format", "json", "-o", report][..], &rules].concat());
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(written["summary"]["entries"], 14);
    let out = clausecheck(&[&["ledger", copy, "-o", copy][..], &rules].concat());
    assert_eq!(code(&out), 2);
    assert_eq!(std::fs::read(copy).unwrap(), csv, "the ledger is not overwritten");
}

#[test]
fn terms_that_start_or_end_at_an_event_follow_its_date_and_name_it_when_it_has_none() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "ledger",
            "--rules",
            "tests/fixtures/ledger/events/deal.terms",
            "tests/fixtures/ledger/events/ledger.csv",
            "--today",
            "2028-01-15",
        ];
        args.extend_from_slice(extra);
        clausecheck(&args)
    };
    // No date for the closing: the royalty runs on, the commitment has not started.
    let undated = json_of(&run(&["--format", "json"]));
    let spend = term(&undated, "deal.spend");
    assert_eq!(spend["status"], "not_yet_due", "a commitment that has not started is not missed");
    assert_eq!(spend["window"], Value::Null);
    assert_eq!(spend["waits_for"][0], "deal_closes");
    assert!(spend["assumptions"][0]["assumed"].as_str().unwrap().contains("deal_closes"), "{spend}");
    assert_eq!(term(&undated, "deal.royalty")["ends_at"][0], "deal_closes");
    assert_eq!(undated["summary"]["unmatched"], 0);
    // Closed on 2026-07-01: the royalty covers 2026-Q1 only, the commitment is short at 2027's end.
    let dated = json_of(&run(&["--format", "json", "--events", "tests/fixtures/ledger/events/events.yaml"]));
    let royalty = term(&dated, "deal.royalty");
    assert_eq!(royalty["window"]["through"], "2026-06-30");
    assert_eq!(royalty["status"], "satisfied");
    let spend = term(&dated, "deal.spend");
    assert_eq!(
        (spend["window"]["from"].as_str(), spend["status"].as_str()),
        (Some("2026-07-01"), Some("violated"))
    );
    assert_eq!(report_cents(&spend["totals"]["remaining"]), 500 * 100);
    assert_eq!(dated["unmatched"][0]["entry"], "r2", "revenue after the closing falls under no share");
    insta::assert_snapshot!("events_undated", transcript(&run(&["--color", "never"])));
    insta::assert_snapshot!(
        "events_dated",
        transcript(&run(&["--color", "never", "--events", "tests/fixtures/ledger/events/events.yaml"]))
    );
}

// ---------------------------------------------------------------------------------------------
// Bytes that are not UTF-8 spoil their own entry only (issue 7: nothing lost).

mod not_utf8 {
    use clausecheck::ledger::{self, EntryRecord};
    use clausecheck::plan::PlanFormat;
    use clausecheck::source::{SourceFile, Sources};

    fn rules() -> clausecheck::model::RuleSet {
        let mut sources = Sources::new();
        sources.add(SourceFile::new(
            "deal.terms",
            "vocabulary { party acme, bank }\nagreement deal \"Deal\" {\n  parties acme, bank\n  effective 2026-01-01\n  default allow\n}\n",
        ));
        clausecheck::load_rules(&sources).expect("the rules load")
    }

    /// (id, valid) for each entry, in input order.
    fn entries(bytes: &[u8], format: PlanFormat) -> Vec<(String, bool)> {
        let read = ledger::read_bytes(bytes, format, &rules()).expect("the ledger reads");
        read.entries.iter().map(|e| (e.id().to_owned(), matches!(e, EntryRecord::Valid(_)))).collect()
    }

    #[test]
    fn an_ndjson_line_that_is_not_utf8_is_an_error_of_its_entry_only() {
        let ok = |id: &str| {
            format!(
                "{{\"id\":\"{id}\",\"date\":\"2026-03-31\",\"kind\":\"revenue\",\"payer\":\"acme\",\"payee\":\"bank\",\"amount\":\"10 USD\",\"period\":\"2026-Q1\"}}\n"
            )
        };
        let mut bytes = ok("a").into_bytes();
        bytes.extend_from_slice(b"{\"id\":\"b\",\"kind\":\"r\xe9venue\"}\n");
        bytes.extend_from_slice(ok("c").as_bytes());
        assert_eq!(
            entries(&bytes, PlanFormat::Ndjson),
            [("a".to_owned(), true), ("#2".to_owned(), false), ("c".to_owned(), true)]
        );
    }

    #[test]
    fn a_csv_cell_that_is_not_utf8_is_an_error_of_its_row_only() {
        let bytes = b"id,date,kind,payer,payee,amount,period\n\
            a,2026-03-31,revenue,acme,bank,10 USD,2026-Q1\n\
            b,2026-03-31,r\xe9venue,acme,bank,10 USD,2026-Q1\n\
            c,2026-03-31,revenue,acme,bank,10 USD,2026-Q1\n";
        assert_eq!(
            entries(bytes, PlanFormat::Csv),
            [("a".to_owned(), true), ("b".to_owned(), false), ("c".to_owned(), true)]
        );
    }

    #[test]
    fn a_yaml_ledger_that_is_not_utf8_is_refused_with_its_line() {
        let error =
            ledger::read_bytes(b"entries:\n  - { id: \xe9 }\n", PlanFormat::Yaml, &rules()).unwrap_err();
        assert_eq!(error.message, "the ledger is not UTF-8 text (line 2)");
    }
}
