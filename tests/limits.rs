//! The limits of docs/language.md ("Limits"), each hit at its edge: the limit itself is
//! accepted, one past it gets the error the table names. Limits whose inputs are large (file and
//! document sizes, clause and agreement counts) are hit in tests/hardening.rs; each is named in
//! the table with its test.

mod common;
use common::bin::{clausecheck, code};

use clausecheck::diagnostic::{self, Diagnostic};
use clausecheck::source::{FileId, SourceFile, Sources};

const VOCAB: &str = "vocabulary {\n  party a, b\n  cloud azure, aws\n}\n";

/// The rule set's errors, or an empty list when it loads.
fn errors(text: &str) -> Vec<Diagnostic> {
    let mut sources = Sources::new();
    sources.add(SourceFile::new("limits.terms", text));
    clausecheck::load_rules(&sources).err().unwrap_or_default()
}

/// One clause whose rule is `permit when CONDITION`.
fn with_condition(condition: &str) -> String {
    format!(
        "{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n  \
         clause c \"C\" {{ quote \"q\" permit when {condition} }}\n}}\n"
    )
}

#[test]
fn nesting_64_parentheses_deep_is_read_65_is_an_error() {
    let nested = |n: usize| format!("{}cloud = azure{}", "(".repeat(n), ")".repeat(n));
    assert!(errors(&with_condition(&nested(64))).is_empty());
    let e = errors(&with_condition(&nested(65)));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "conditions nest too deeply: more than 64 parentheses are open here");
}

#[test]
fn sixty_four_nots_in_a_row_are_read_65_are_an_error() {
    let nots = |n: usize| format!("{}cloud = azure", "not ".repeat(n));
    assert!(errors(&with_condition(&nots(64))).is_empty());
    let e = errors(&with_condition(&nots(65)));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "more than 64 `not`s in a row");
}

#[test]
fn a_rule_has_1000_ands_and_ors_at_most() {
    // 1001 tests are 1000 joins; 1002 tests are one join too many.
    let tests = |n: usize| vec!["cloud = azure"; n].join(" or ");
    assert!(errors(&with_condition(&tests(1001))).is_empty());
    let e = errors(&with_condition(&tests(1002)));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "this rule joins its tests with more than 1000 `and`s and `or`s");
}

#[test]
fn launched_looks_at_eight_fields_at_most() {
    let fields: Vec<String> = (1..=9).map(|i| format!("f{i}")).collect();
    let vocab: String = fields.iter().map(|f| format!("  {f} x_{f}, y_{f}\n")).collect();
    let text = |n: usize| {
        format!(
            "vocabulary {{\n  party a\n{vocab}}}\nagreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n  \
             clause c \"C\" {{ quote \"q\" require launched({}) }}\n}}\n",
            fields[..n].join(", ")
        )
    };
    assert!(errors(&text(8)).is_empty());
    let e = errors(&text(9));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "`launched` can look at eight fields at most, not 9");
}

#[test]
fn a_duration_counts_to_100000_at_most() {
    let text = |n: u32| {
        format!(
            "{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  ends {n} days after effective\n  default allow\n  \
             clause c \"C\" {{ quote \"q\" permit when cloud = azure }}\n}}\n"
        )
    };
    assert!(errors(&text(100_000)).is_empty());
    let e = errors(&text(100_001));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "100001 days is beyond any date that can be used");
}

#[test]
fn a_field_holds_65535_values_at_most() {
    let text = |n: usize| {
        let values: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
        format!("vocabulary {{\n  party a\n  zone {}\n}}\n", values.join(", "))
    };
    // A vocabulary alone is a rule set that loads (with nothing to check).
    assert!(errors(&text(65_535)).is_empty());
    let e = errors(&text(65_536));
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "field `zone` has 65536 entries; at most 65535 are allowed");
}

#[test]
fn fifty_errors_a_file_are_shown_and_the_rest_counted() {
    let text = |n: usize| {
        let clauses: String = (0..n)
            .map(|i| format!("  clause c{i} \"C\" {{ quote \"q\" permit when cloud = nowhere{i} }}\n"))
            .collect();
        format!("{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n{clauses}}}\n")
    };
    let fifty = errors(&text(50));
    assert_eq!(fifty.len(), 50);
    assert_eq!(diagnostic::cap(&fifty).len(), 50, "all shown, no note");
    let shown = diagnostic::cap(&errors(&text(51)));
    assert_eq!(shown.len(), 51, "fifty, and a note");
    assert_eq!(shown[50].code.name, "more-errors");
    assert_eq!(shown[50].message, "and 1 more error in this file");
}

#[test]
fn an_events_document_holds_10000_entries_at_most() {
    let text = |n: usize| (0..n).map(|i| format!("e{i}: 2026-01-01\n")).collect::<String>();
    assert_eq!(clausecheck::events::read(FileId(0), &text(10_000)).unwrap().len(), 10_000);
    let e = clausecheck::events::read(FileId(0), &text(10_001)).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "an events document may hold at most 10000 entries");
}

#[test]
fn sixteen_problems_a_record_are_described_and_the_rest_counted() {
    let dir = tempfile::tempdir().unwrap();
    let plan = |n: usize| {
        let unknown: String = (0..n).map(|i| format!(", \"x{i}\": 1")).collect();
        let path = dir.path().join(format!("p{n}.ndjson"));
        std::fs::write(
            &path,
            format!("{{\"id\": \"r\", \"party\": \"openai\", \"product\": \"chatgpt\", \"cloud\": \"azure\", \"date\": \"2026-07-01\"{unknown}}}\n"),
        )
        .unwrap();
        let out = clausecheck(&["check", "--format", "json", &path.to_string_lossy()]);
        assert_eq!(code(&out), 2);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let sixteen = plan(16);
    assert_eq!(sixteen.len(), 16);
    assert!(sixteen.iter().all(|m| m.starts_with("unknown field")), "{sixteen:?}");
    let seventeen = plan(17);
    assert_eq!(seventeen.len(), 17, "{seventeen:?}");
    assert!(seventeen[16].contains("1 more"), "{seventeen:?}");
}

#[test]
fn an_ndjson_line_or_csv_row_of_1_mib_is_read_a_longer_one_is_an_error_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let check = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = clausecheck(&["check", "--format", "json", &path.to_string_lossy()]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["summary"]["deployments"], 2, "{name}: {report}");
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let mib = 1 << 20;
    // A line of exactly 1 MiB (its `\n` aside): the padding is an unknown field's value.
    let line = |len: usize| {
        let head = r#"{"id": "big", "party": "openai", "product": "chatgpt", "cloud": "azure", "date": "2026-07-01", "pad": ""#;
        format!("{head}{}\"}}\n", "x".repeat(len - head.len() - 2))
    };
    let ok =
        r#"{"id": "ok", "party": "openai", "product": "chatgpt", "cloud": "azure", "date": "2026-07-01"}"#;
    assert_eq!(check("at.ndjson", format!("{ok}\n{}", line(mib))), ["unknown-field"]);
    assert_eq!(check("past.ndjson", format!("{ok}\n{}", line(mib + 1))), ["record-too-large"]);
    // A CSV row of 1 MiB of cells (its commas aside) is read; one byte more is not.
    let row = |cells: usize| {
        let head = "big,openai,chatgpt,,2026-07-01";
        let fixed = head.len() - 4; // the commas
        format!("big,openai,chatgpt,{},2026-07-01\n", "x".repeat(cells - fixed))
    };
    let header = "id,party,product,cloud,date\nok,openai,chatgpt,azure,2026-07-01\n";
    assert_eq!(check("at.csv", format!("{header}{}", row(mib))), ["unknown-value"]);
    assert_eq!(check("past.csv", format!("{header}{}", row(mib + 1))), ["record-too-large"]);
}

#[test]
fn lint_holds_4194304_decision_diagram_nodes_at_most() {
    use clausecheck::analysis::lint::{lint, LintOptions, DEFAULT_MAX_NODES};
    // Five fields of 29 named values each: 30 choices a field (a stand-in for the others), so
    // 30^5 = 24.3 million kinds of deployment on the assumed day, which enumeration gave up on;
    // the diagrams need a few hundred nodes. Below that many nodes, what is not examined is said.
    let text = |fields: usize| {
        let vocab: String = (0..fields)
            .map(|f| {
                format!("  f{f} {}\n", (0..30).map(|v| format!("v{f}_{v}")).collect::<Vec<_>>().join(", "))
            })
            .collect();
        let clauses: String = (0..fields)
            .map(|f| {
                let named: Vec<String> = (0..29).map(|v| format!("v{f}_{v}")).collect();
                format!(
                    "  clause c{f} \"C\" {{ quote \"q\" forbid when f{f} in {{{}}} }}\n",
                    named.join(", ")
                )
            })
            .collect();
        format!(
            "vocabulary {{\n  party a\n{vocab}}}\nagreement x \"X\" {{\n  effective 2020-01-01 assumed \"a guess\"\n  \
             default allow\n{clauses}}}\n"
        )
    };
    let findings = |max_nodes: usize| {
        let mut sources = Sources::new();
        sources.add(SourceFile::new("big.terms", text(5)));
        let rules = clausecheck::load_rules(&sources).expect("the rules load");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        lint(&rules, LintOptions { today, max_nodes })
    };
    assert_eq!(DEFAULT_MAX_NODES, 4_194_304);
    let all = findings(DEFAULT_MAX_NODES);
    assert!(!all.iter().any(|f| f.code.name == "too-large"), "{all:?}");
    assert!(all.iter().any(|f| f.code.name == "assumption-decides"), "{all:?}");
    let few = findings(40);
    let not_examined: Vec<&str> =
        few.iter().filter(|f| f.code.name == "too-large").map(|f| f.message.as_str()).collect();
    assert_eq!(
        not_examined,
        ["agreement `x` was not examined for conflicts, deadlocks, dead and redundant rules: the analysis \
             needs more than 40 decision-diagram nodes"],
        "{few:?}"
    );
    assert!(few
        .iter()
        .all(|f| f.code.name != "too-large" || f.level == clausecheck::analysis::lint::Level::Warning));
}
