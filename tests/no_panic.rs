//! No input reaches a panic: every prefix of the bundled rules and example plans, and thousands of
//! deterministic single-character mutations of them, either load or give errors.

mod common;
use common::bundled_texts;

use clausecheck::plan::{read_plan, PlanFormat};
use clausecheck::source::{SourceFile, Sources};

/// A tiny deterministic generator, so a failure reproduces exactly.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

const ALPHABET: &[char] = &[
    '"', '{', '}', '(', ')', ',', '=', '!', '#', '-', '%', '\n', ' ', 'a', '0', '9', '\\', ':', '[', 'é', '’',
];

/// Every prefix (at character boundaries) and `n` mutations: delete, insert or replace a character.
fn variants(text: &str, n: usize, seed: u64) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<String> = (0..=chars.len()).step_by(7).map(|i| chars[..i].iter().collect()).collect();
    let mut rng = Lcg(seed);
    for _ in 0..n {
        let mut c = chars.clone();
        let at = rng.next(c.len());
        match rng.next(3) {
            0 if !c.is_empty() => {
                c.remove(at);
            }
            1 => c.insert(at, ALPHABET[rng.next(ALPHABET.len())]),
            _ if !c.is_empty() => c[at] = ALPHABET[rng.next(ALPHABET.len())],
            _ => {}
        }
        out.push(c.into_iter().collect());
    }
    out
}

#[test]
fn mutated_rule_files_never_panic() {
    let files = bundled_texts();
    for (i, (name, text)) in files.iter().enumerate() {
        for variant in variants(text, 700, i as u64 + 1) {
            let mut sources = Sources::new();
            for (j, (other, other_text)) in files.iter().enumerate() {
                let t = if i == j { variant.clone() } else { other_text.clone() };
                sources.add(SourceFile::new(other.clone(), t));
            }
            if let Err(diagnostics) = clausecheck::load_rules(&sources) {
                assert!(!diagnostics.is_empty(), "{name}: an error result carries errors");
                let rendered = clausecheck::diagnostic::render(&diagnostics, &sources, Default::default());
                assert!(rendered.contains(name.as_str()) || rendered.contains(".terms"), "{rendered}");
            }
        }
    }
}

#[test]
fn mutated_plans_never_panic_and_every_record_is_counted() {
    let mut sources = Sources::new();
    for (name, text) in bundled_texts() {
        sources.add(SourceFile::new(name, text));
    }
    let rules = clausecheck::load_rules(&sources).unwrap();
    let plans = [
        ("examples/rollout-2026.yaml", PlanFormat::Yaml),
        ("examples/allowed.json", PlanFormat::Json),
        ("examples/inventory.ndjson", PlanFormat::Ndjson),
        ("examples/inventory.csv", PlanFormat::Csv),
    ];
    for (k, (path, format)) in plans.into_iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        for variant in variants(&text, 300, 100 + k as u64) {
            if let Ok(plan) = read_plan(&variant, format, &rules.vocabulary) {
                let mut out = Vec::new();
                let finished = clausecheck::check_texts(
                    &rules,
                    &sources,
                    &[(path, &variant, format)],
                    clausecheck::report::Format::Json,
                    Default::default(),
                    &mut out,
                )
                .expect("written to memory");
                let s = finished.summary;
                assert_eq!(s.allowed + s.violated + s.errors, s.deployments, "{path}: {variant}");
                assert_eq!(s.deployments, plan.records.len());
                let json: serde_json::Value = serde_json::from_slice(&out).expect("the report is JSON");
                assert_eq!(json["summary"]["deployments"].as_u64(), Some(s.deployments as u64));
            }
        }
    }
}

#[test]
fn mutated_waiver_files_and_baselines_never_panic() {
    let mut sources = Sources::new();
    let rules_text = std::fs::read_to_string("tests/fixtures/ci/rules/deal.terms").unwrap();
    sources.add(SourceFile::new("deal.terms", rules_text));
    let rules = clausecheck::load_rules(&sources).unwrap();
    for (k, path) in
        ["tests/fixtures/ci/waivers.yaml", "tests/fixtures/ci/bad-waivers.yaml"].iter().enumerate()
    {
        let text = std::fs::read_to_string(path).unwrap();
        for variant in variants(&text, 400, 200 + k as u64) {
            match clausecheck::waivers::read("w.yaml", &variant, &rules) {
                Ok(w) => assert!(w.list.iter().all(|w| !w.approver.is_empty() && !w.reason.is_empty())),
                Err(errors) => {
                    assert!(!errors.is_empty(), "an error result carries errors");
                    for e in &errors {
                        let placed = matches!(&e.location, clausecheck::diagnostic::Location::File { file, .. } if file == "w.yaml");
                        assert!(placed, "every problem is placed in the waivers file: {e:?}");
                    }
                    let _ = clausecheck::diagnostic::render(&errors, &sources, Default::default());
                }
            }
        }
    }
    // A baseline is a JSON report: any text gives a baseline or one located error.
    let report = std::fs::read_to_string("tests/snapshots/ci__waived_and_advisory_json.snap").unwrap();
    let report = &report[report.find("{\n").unwrap()..report.rfind("}\n").unwrap() + 2];
    let baseline =
        clausecheck::check::baseline::Baseline::read("b.json", report).expect("a report is a baseline");
    assert_eq!(baseline.entries.len(), 4);
    for variant in variants(report, 400, 300) {
        if let Err(e) = clausecheck::check::baseline::Baseline::read("b.json", &variant) {
            assert!(matches!(e.location, clausecheck::diagnostic::Location::File { .. }));
        }
    }
}

#[test]
fn mutated_ledgers_never_panic_and_every_entry_is_counted() {
    let load = |dir: &str| {
        let mut sources = Sources::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "terms") {
                sources.add(SourceFile::new(
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
        let rules = clausecheck::load_rules(&sources).unwrap();
        (sources, rules)
    };
    let deal = load("tests/fixtures/ledger/rules");
    let ledgers = [
        ("tests/fixtures/ledger/formats/ledger.json", PlanFormat::Json, &deal),
        ("tests/fixtures/ledger/formats/ledger.ndjson", PlanFormat::Ndjson, &deal),
        ("tests/fixtures/ledger/formats/ledger.csv", PlanFormat::Csv, &deal),
        ("tests/fixtures/ledger/formats/ledger.yaml", PlanFormat::Yaml, &deal),
    ];
    let today = chrono::NaiveDate::from_ymd_opt(2028, 6, 30).unwrap();
    for (k, (path, format, (sources, rules))) in ledgers.into_iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap();
        for variant in variants(&text, 150, 200 + k as u64) {
            let Ok(ledger) = clausecheck::ledger::read(&variant, format, rules) else { continue };
            let report = clausecheck::ledger::check(rules, &ledger, today);
            let s = report.summary;
            assert_eq!(s.entries, ledger.entries.len(), "{path}: {variant}");
            assert_eq!(s.attributed + s.unmatched + s.errors, s.entries, "{path}: {variant}");
            assert_eq!(
                s.satisfied + s.violated + s.not_yet_due + s.not_checked,
                s.terms,
                "{path}: {variant}"
            );
            let view = clausecheck::report::ledger::LedgerView {
                rules,
                sources,
                ledger: &ledger,
                report: &report,
                name: path,
            };
            let json: serde_json::Value = serde_json::from_str(&clausecheck::report::ledger::to_json(&view))
                .expect("the report is JSON");
            assert_eq!(json["summary"]["entries"].as_u64(), Some(s.entries as u64));
            let _ = clausecheck::report::ledger::to_text(&view, false);
            for line in clausecheck::report::ledger::to_ndjson(&view).lines() {
                serde_json::from_str::<serde_json::Value>(line).expect("every line is JSON");
            }
        }
        // Bytes that are not UTF-8: a YAML or JSON ledger is refused naming the line; in NDJSON
        // and CSV they spoil their own entry, and every entry is still counted. Never a panic.
        let whole = clausecheck::ledger::read(&text, format, rules).expect("the fixture reads");
        let mut bytes = text.into_bytes();
        let middle = bytes.len() / 2;
        bytes.insert(middle, 0xff);
        let read = clausecheck::ledger::read_bytes(&bytes, format, rules);
        match format {
            PlanFormat::Json | PlanFormat::Yaml => assert!(read.is_err(), "{path}"),
            PlanFormat::Ndjson | PlanFormat::Csv => {
                let read = read.expect("the other entries are read");
                assert_eq!(read.entries.len(), whole.entries.len(), "{path}");
                let invalid = |l: &clausecheck::ledger::Ledger| {
                    l.entries
                        .iter()
                        .filter(|e| matches!(e, clausecheck::ledger::EntryRecord::Invalid(_)))
                        .count()
                };
                assert_eq!(invalid(&read), invalid(&whole) + 1, "{path}: one entry spoilt");
            }
        }
    }
}
