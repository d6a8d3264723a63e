//! Regression tests for the failures found by hostile inputs (issue 7), one per failure, named
//! after it. Large inputs are generated here, never committed.

mod common;
use common::bin::{clausecheck, code, stdout};

use std::path::Path;
use std::process::Command;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

const VOCAB: &str = "vocabulary {\n  party a\n  cloud azure, aws\n}\n";

#[test]
fn more_than_65536_clauses_still_check_against_the_right_clause() {
    let mut text = String::from(VOCAB);
    text.push_str("agreement big \"Big\" {\n  effective 2020-01-01\n  default allow\n");
    for i in 0..70_000 {
        let rule = if i == 69_999 { "forbid when cloud = aws" } else { "permit when cloud = azure" };
        text.push_str(&format!("  clause c{i} \"C\" {{ quote \"q\" {rule} }}\n"));
    }
    text.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "big.terms", &text);
    let plan =
        write(dir.path(), "plan.ndjson", r#"{"id":"x","party":"a","cloud":"aws","date":"2026-01-01"}"#);
    let out = clausecheck(&["check", "--rules", &rules, "--format", "ndjson", "--only", "violated", &plan]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains(r#""clause":"c69999","status":"violated""#), "{}", stdout(&out));
}

#[test]
fn a_join_of_100000_tests_with_value_sets_is_an_error_not_a_crash() {
    let joins = "cloud in {azure, aws} and ".repeat(100_000);
    let text = format!(
        "{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n  clause c \"C\" {{ quote \"q\" permit when {joins} cloud = aws }}\n}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "joins.terms", text);
    for args in [
        vec!["check", "--rules", &rules, "examples/allowed.json"],
        vec!["lint", "--rules", &rules],
        vec!["explain", "--rules", &rules, "party=a", "cloud=aws", "date=2026-01-01"],
    ] {
        let out = clausecheck(&args);
        assert_eq!(code(&out), 2, "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("joins its tests with more than 1000 `and`s and `or`s"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_error_past_column_65535_is_shown_without_a_panic() {
    let long = "a, ".repeat(30_000);
    let text = format!("vocabulary {{\n  party {long}b\n  cloud azure\n}}\nagreement x \"X\" {{ effective 2020-01-01 default allow clause c \"C\" {{ quote \"q\" permit when party = zzz }} }}\n");
    let text = text.replacen("b\n", "b c\n", 1);
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "wide.terms", text);
    let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("wide.terms:2:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.len() < 10_000, "the long line is cut: {} bytes", err.len());
}

#[test]
fn an_error_inside_a_10_mb_quote_is_shown_without_a_panic() {
    let quote = "x".repeat(10 << 20);
    let text = format!(
        "{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n  clause c \"C\" {{ quote \"{quote}\\q\" permit }}\n}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "quote.terms", text);
    let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("is not an escape"), "{}", &err[..err.len().min(2000)]);
    assert!(err.len() < 10_000, "{} bytes", err.len());
}

#[test]
fn a_file_with_100000_errors_is_reported_in_a_screenful() {
    let dir = tempfile::tempdir().unwrap();
    let mut names = format!("{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n");
    for i in 0..100_000 {
        names.push_str(&format!("  clause c{i} \"C\" {{ quote \"q\" permit when cloud = nowhere{i} }}\n"));
    }
    names.push_str("}\n");
    let mut syntax = String::from(VOCAB);
    syntax.push_str("agreement x \"X\" {\n  effective 2020-01-01\n  default allow\n");
    for i in 0..100_000 {
        syntax.push_str(&format!("  clause c{i} \"C\" {{ quote \"q\" permit whn cloud = aws }}\n"));
    }
    syntax.push_str("}\n");
    for (name, text, what) in
        [("names.terms", names, "unknown cloud"), ("syntax.terms", syntax, "unexpected `whn`")]
    {
        let rules = write(dir.path(), name, text);
        let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
        assert_eq!(code(&out), 2, "{name}");
        let err = stderr(&out);
        assert!(err.contains(what), "{name}: {}", &err[..err.len().min(2000)]);
        assert!(err.contains("more errors in this file"), "{name}");
        assert!(err.len() < 100_000, "{name}: {} bytes of errors", err.len());
        let json = clausecheck(&["check", "--rules", &rules, "--format", "json", "examples/allowed.json"]);
        let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("a JSON report");
        assert_eq!(report["verdict"], "error");
        assert!(report["errors"].as_array().unwrap().len() <= 1000);
    }
}

#[test]
fn control_characters_from_inputs_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "esc.terms",
        "vocabulary {\n  party a\n  cloud azure, aws\n}\nagreement x \"X \u{1b}[2J\" {\n  effective 2020-01-01\n  default allow\n  clause c \"Title \u{1b}[31m\" { quote \"Quote \u{1b}]0;pwned\u{7}\" forbid when cloud = aws }\n}\n",
    );
    // JSON writes the escape character as `\u001b`; the id and value read hold the character itself.
    let plan = write(
        dir.path(),
        "plan.ndjson",
        concat!(
            r#"{"id":"evil\u001b[0m","party":"a","cloud":"aws","date":"2026-01-01"}"#,
            "\n",
            r#"{"id":"bad\u001b[1m","party":"a","cloud":"gcp\u001b[7m","date":"2026-01-01"}"#,
            "\n"
        ),
    );
    let out = clausecheck(&["check", "--rules", &rules, "--color", "never", &plan]);
    assert_eq!(code(&out), 2);
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all}");
    assert!(all.contains("evil\\u{1b}[0m"), "{all}");
    assert!(all.contains("Quote \\u{1b}]0;pwned\\u{7}"), "{all}");
    // Broken rules: the source line drawn under an error shows the controls as pictures.
    let broken = write(
        dir.path(),
        "broken.terms",
        "vocabulary {\n  party a\n}\nagreement x \"\u{1b}[2J\" { effective 2020-01-01 defualt allow }\n",
    );
    let out = clausecheck(&["check", "--rules", &broken, "--color", "never", &plan]);
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains('\u{241b}'), "{err}");
}

#[test]
fn an_undecodable_line_or_cell_is_an_error_of_its_record_only() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"party":"openai","product":"api","cloud":"azure","date":"2024-01-01"}"#;
    let mut ndjson = Vec::new();
    for i in 0..20 {
        if i == 7 {
            ndjson.extend_from_slice(b"{\"party\":\"open\xffai\",\"product\":\"api\",\"cloud\":\"azure\",\"date\":\"2024-01-01\"}\n");
        } else {
            ndjson.extend_from_slice(good.as_bytes());
            ndjson.push(b'\n');
        }
    }
    let mut csv = b"party,product,cloud,date\n".to_vec();
    for i in 0..20 {
        if i == 7 {
            csv.extend_from_slice(b"openai,a\xffpi,azure,2024-01-01\n");
        } else {
            csv.extend_from_slice(b"openai,api,azure,2024-01-01\n");
        }
    }
    for (name, bytes) in [("plan.ndjson", ndjson), ("plan.csv", csv)] {
        let plan = write(dir.path(), name, bytes);
        let out = clausecheck(&["check", "--format", "json", &plan]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["summary"]["deployments"], 20, "{name}");
        assert_eq!(report["summary"]["allowed"], 19, "{name}");
        assert_eq!(report["errors"][0]["position"], 8, "{name}");
        assert!(report["errors"][0]["message"].as_str().unwrap().contains("UTF-8"), "{name}");
    }
}

#[test]
fn a_yaml_tag_or_deep_value_is_an_error_of_its_record_only() {
    let dir = tempfile::tempdir().unwrap();
    let row = |id: &str, extra: &str| {
        format!("  - {{id: {id}, party: openai, product: api, cloud: azure, date: 2024-01-01{extra}}}\n")
    };
    let deep = format!(", note: {}{}", "[".repeat(80), "]".repeat(80));
    let plan = format!(
        "deployments:\n{}{}{}{}{}",
        row("a", ""),
        row("!!timestamp 2024-01-01", ""),
        row("!!binary aGVsbG8=", ""),
        row("d", &deep),
        row("e", "")
    );
    let plan = write(dir.path(), "plan.yaml", plan);
    let out = clausecheck(&["check", "--format", "json", &plan]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["deployments"], 5);
    assert_eq!(report["summary"]["allowed"], 2);
    let errors = report["errors"].as_array().unwrap();
    assert!(errors[0]["message"].as_str().unwrap().contains("`!!timestamp`"), "{errors:?}");
    assert!(
        errors[1]["message"].as_str().unwrap().contains("`!!binary`"),
        "a binary tag is never read as an id: {errors:?}"
    );
    assert!(errors[2]["message"].as_str().unwrap().contains("nested too deeply"), "{errors:?}");
}

#[test]
fn broken_or_missing_rules_always_give_a_json_report_in_json_mode() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary");
    std::fs::create_dir(&binary).unwrap();
    std::fs::write(binary.join("x.terms"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let latin1 = dir.path().join("latin1");
    std::fs::create_dir(&latin1).unwrap();
    std::fs::write(latin1.join("x.terms"), b"vocabulary { party caf\xe9 }\n").unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let dangling = dir.path().join("dangling");
    std::fs::create_dir(&dangling).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("nowhere.terms"), dangling.join("gone.terms")).unwrap();
    let named = dir.path().join("folder.terms");
    std::fs::create_dir(&named).unwrap();
    let missing = dir.path().join("missing");
    for rules in [&binary, &latin1, &empty, &dangling, &named, &missing] {
        let out = clausecheck(&[
            "check",
            "--rules",
            &rules.to_string_lossy(),
            "--format",
            "json",
            "examples/allowed.json",
        ]);
        assert_eq!(code(&out), 2, "{rules:?}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{rules:?}: stdout is not JSON: {}", stdout(&out)));
        assert_eq!(report["verdict"], "error", "{rules:?}");
        assert!(!report["errors"].as_array().unwrap().is_empty(), "{rules:?}");
    }
}

#[test]
fn an_empty_or_comment_only_rule_file_is_an_error_of_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("empty.terms", ""),
        ("comments.terms", "# nothing\n# here\n"),
        ("cr.terms", "# a comment\rvocabulary {\r  party a\r}\r"),
    ] {
        let rules = write(dir.path(), name, text);
        let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
        assert_eq!(code(&out), 2, "{name}");
        let err = stderr(&out);
        if name == "cr.terms" {
            // Lone-CR line ends: the comment ends at its line, and the vocabulary is read, so
            // the plan's parties are checked against it.
            assert!(stdout(&out).contains("unknown party `openai`"), "{name}: {}", stdout(&out));
            assert!(!err.contains("the rules are empty"), "{name}: {err}");
        } else {
            assert!(err.contains("the rules are empty"), "{name}: {err}");
            assert!(!err.contains("unknown field"), "the plan is not blamed: {err}");
        }
    }
}

#[test]
fn a_csv_header_of_a_million_unknown_columns_is_reported_briefly() {
    // One problem per column per row: 27 MB in, 551 MB of errors. A header of a million
    // columns (9 MB) is now longer than a row may be (1 MiB): the plan is refused in a line.
    let dir = tempfile::tempdir().unwrap();
    let wide = |columns: usize| {
        let header: Vec<String> = (0..columns).map(|i| format!("x{i}")).collect();
        let mut text = format!("party,product,cloud,date,{}\n", header.join(","));
        let cells = vec![""; columns].join(",");
        for _ in 0..3 {
            text.push_str(&format!("openai,api,azure,2024-01-01,{cells}\n"));
        }
        let plan = write(dir.path(), &format!("wide{columns}.csv"), text);
        let out = clausecheck(&["check", "--format", "json", &plan]);
        assert!(out.stdout.len() < 200_000, "{} bytes of report", out.stdout.len());
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let report = wide(1_000_000);
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("the row is longer than 1048576 bytes"), "{report}");
    // 100,000 columns fit in a row: each row's problems are capped, the rest counted.
    let report = wide(100_000);
    assert_eq!(report["summary"]["errors"], 3);
    assert!(report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["message"].as_str().unwrap().contains("more unknown fields")));
}

#[test]
fn a_long_supersedes_cycle_is_named_in_a_short_message() {
    let mut text = String::from(VOCAB);
    let n = 10_000;
    for i in 0..n {
        text.push_str(&format!(
            "agreement a{i} \"A\" {{ effective 2020-01-01 default allow supersedes a{} clause c \"C\" {{ quote \"q\" permit }} }}\n",
            (i + 1) % n
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "cycle.terms", text);
    let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    let line = err.lines().find(|l| l.contains("supersedes itself")).expect("the cycle is reported");
    assert!(line.len() < 300, "{line}");
    assert!(line.contains("more)"), "{line}");
}

#[test]
fn forty_million_blank_lines_are_an_empty_plan_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "blank.ndjson", vec![b'\n'; 40_000_000]);
    let out = clausecheck(&["check", "--format", "json", &plan]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"][0]["message"], "the plan is empty");
}

#[test]
fn a_yaml_plan_over_the_document_limit_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(300 << 20).unwrap();
    drop(file);
    let out = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["check", "--format", "json", &path.to_string_lossy()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("larger than 256 MiB"), "{report}");
}

#[test]
fn a_control_character_quoted_by_a_syntax_error_is_escaped() {
    // Found by the `rules` fuzzer: the message ``unexpected `…` `` quoted an escape character raw.
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "esc.terms", "vocabulary {\n  party a\n  cloud az\u{1b}[2Jure\n}\n");
    let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains("unexpected `\\u{1b}`"), "{err}");
}

#[test]
fn a_rule_file_over_64_mib_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.terms");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(65 << 20).unwrap();
    drop(file);
    let rules = path.to_string_lossy().into_owned();
    for args in [
        vec!["check", "--rules", &rules, "examples/allowed.json"],
        vec!["lint", "--rules", &rules],
        vec!["fmt", "--check", &rules],
    ] {
        let out = clausecheck(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("huge.terms` is larger than 64 MiB"), "{args:?}: {err}");
    }
}

#[test]
fn a_rule_file_that_is_not_utf8_is_named_with_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "latin1.terms", b"vocabulary {\n  party caf\xe9\n}\n");
    let out = clausecheck(&["check", "--rules", &rules, "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("latin1.terms` is not UTF-8 text (line 2, column 12)"), "{}", stderr(&out));
}

#[test]
fn more_than_100000_agreements_is_an_error_at_the_first_past_the_limit() {
    let limit = clausecheck::resolve::MAX_AGREEMENTS;
    let mut text = String::from(VOCAB);
    for i in 0..=limit {
        text.push_str(&format!("agreement a{i} \"A\" {{ effective 2020-01-01 default allow }}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "many.terms", &text);
    let out = clausecheck(&["check", "--rules", &rules, "--color", "never", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("the rule set has more than 100000 agreements"), "{err}");
    assert!(
        err.contains(&format!("many.terms:{}:11", limit + 5)),
        "the place is the first past the limit: {err}"
    );
    assert!(err.contains("the rules have 1 error"), "{err}");
}

#[test]
fn more_than_a_million_clauses_is_an_error_that_names_the_limit() {
    // A million clauses parsed in a debug build take minutes: the tree is built by cloning one.
    use clausecheck::syntax::ast::{AgreementItem, Item};
    let text = format!(
        "{VOCAB}agreement x \"X\" {{\n  effective 2020-01-01\n  default allow\n  clause c \"C\" {{ quote \"q\" permit }}\n}}\n"
    );
    let mut file = clausecheck::syntax::parse(clausecheck::source::FileId(0), &text).unwrap();
    let Some(Item::Agreement(agreement)) = file.items.last_mut() else { panic!("an agreement") };
    let clause = agreement.items.pop().unwrap();
    assert!(matches!(clause, AgreementItem::Clause(_)));
    agreement.items.extend(std::iter::repeat_n(clause, clausecheck::resolve::MAX_CLAUSES + 1));
    let Err(errors) = clausecheck::resolve::resolve(&[file]) else { panic!("too many clauses") };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].message, "the rule set has more than 1000000 clauses");
    assert_eq!(errors[0].code.name, "too-many");
}

/// 1,000 agreements in force together, each with a permit that the forbids of the older ones beat.
fn thousand_agreements() -> String {
    let mut text = String::from("vocabulary {\n  party a, b\n  cloud azure, aws, gcp\n  flag f\n}\n");
    for i in 0..1000 {
        let (year, month) = (2000 + i / 12, i % 12 + 1);
        text.push_str(&format!(
            "agreement a{i} \"A\" {{\n  effective {year}-{month:02}-01\n  default allow\n  \
             clause p \"P\" {{ quote \"q\" permit when cloud = azure unless f }}\n  \
             clause c \"C\" {{ quote \"q\" forbid when cloud in {{azure, aws}} and date after {}-01-01 }}\n}}\n",
            year + 3
        ));
    }
    text
}

#[test]
fn lint_on_1000_agreements_takes_seconds_not_minutes() {
    // Each agreement's examination evaluated every agreement at every point: cubic (1,000 took
    // minutes in a release build); now the space is walked once, and a clause's conflicts stop at
    // MAX_CONFLICTS, so a permit beaten by hundreds of forbids is not re-compared at every point.
    use clausecheck::analysis::lint::{lint, LintOptions, MAX_CONFLICTS};
    let text = thousand_agreements();
    let mut sources = clausecheck::source::Sources::new();
    sources.add(clausecheck::source::SourceFile::new("many.terms", text.as_str()));
    let rules = clausecheck::load_rules(&sources).expect("the rules load");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let start = std::time::Instant::now();
    let findings = lint(&rules, LintOptions::new(today));
    let took = start.elapsed();
    // About 10 s in a debug build on an idle machine; the old walk took over 15 minutes there.
    assert!(took < std::time::Duration::from_secs(300), "lint took {took:?}");
    let count = |code: &str| findings.iter().filter(|f| f.code.name == code).count();
    // A late agreement's permit is beaten by the forbids of hundreds of older agreements: it gets
    // MAX_CONFLICTS conflicts and one note, not hundreds (or it is shadowed, beaten everywhere).
    let mut per_clause = std::collections::HashMap::new();
    for f in findings.iter().filter(|f| f.code.name == "conflict") {
        *per_clause.entry(f.span.start).or_insert(0) += 1;
    }
    assert_eq!(per_clause.values().max(), Some(&MAX_CONFLICTS), "{per_clause:?}");
    assert!(count("more-conflicts") > 0 && count("more-conflicts") <= per_clause.len());
    assert!(count("conflict") + count("shadowed") > 1000, "every agreement's permit is beaten somewhere");
}

#[test]
fn check_warn_within_on_1000_agreements_takes_seconds_not_minutes() {
    // Each deployment's next change is looked for on the boundary dates within the window only
    // (a year here: a few hundred of the rule set's 2,000), with the compiled program.
    let dir = tempfile::tempdir().unwrap();
    let rules = write(dir.path(), "many.terms", thousand_agreements());
    let plan: String = (0..200)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"party\":\"a\",\"cloud\":\"gcp\",\"date\":\"20{:02}-06-01\"}}\n",
                i % 90
            )
        })
        .collect();
    let plan = write(dir.path(), "plan.ndjson", plan);
    let start = std::time::Instant::now();
    let out = clausecheck(&["check", "--rules", &rules, "--warn-within", "365", "--format", "json", &plan]);
    let took = start.elapsed();
    // About 4 s in a debug build on an idle machine.
    assert!(took < std::time::Duration::from_secs(300), "check --warn-within took {took:?}");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["deployments"], 200, "{report}");
}

#[test]
fn a_plan_over_the_document_limit_is_not_read_whole_for_its_events() {
    // Looking for an `events` key, every YAML or JSON plan was read whole (2 GB at once for a
    // 2 GB plan) before the check refused it at 256 MiB; this one's events were even used.
    // Now no plan is read past the document limit, for its events or its deployments.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let mut text = String::from(r#"{"events": {"nope": "2026-01-01"}, "deployments": ["#);
    text.push_str(&" ".repeat(300 << 20));
    text.push_str("]}");
    std::fs::write(&path, text).unwrap();
    let out = clausecheck(&["check", "--format", "json", &path.to_string_lossy()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("larger than 256 MiB"), "{report}");
}

#[test]
fn an_events_file_over_16_mib_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(17 << 20).unwrap();
    drop(file);
    let events = path.to_string_lossy().into_owned();
    let out = clausecheck(&["check", "--events", &events, "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("events.yaml` is larger than 16 MiB"), "{}", stderr(&out));
}

#[test]
fn a_csv_row_of_100_mb_is_an_error_of_its_row_in_bounded_memory() {
    // A CSV row was read whole, however long: under a 250 MB address-space limit a 100 MB cell
    // aborted the run (exit 134). Now a row is read no further than 1 MiB.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.csv");
    let mut text = String::from("id,party,product,cloud,date\nr1,openai,chatgpt,azure,2026-07-01\n");
    text.push_str(&format!("r2,openai,chatgpt,{},2026-07-01\n", "x".repeat(100 << 20)));
    text.push_str("r3,openai,chatgpt,azure,2026-07-01\n");
    std::fs::write(&path, text).unwrap();
    let script = format!(
        "ulimit -v 250000 && exec '{}' check --format json '{}'",
        env!("CARGO_BIN_EXE_clausecheck"),
        path.display()
    );
    let out =
        Command::new("sh").args(["-c", &script]).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["deployments"], 3, "{report}");
    assert_eq!(report["summary"]["allowed"], 2, "{report}");
    assert_eq!(report["errors"][0]["line"], 3, "{report}");
    assert_eq!(report["errors"][0]["code"], "record-too-large", "{report}");
}

#[test]
fn a_comment_above_the_list_does_not_let_a_tag_through() {
    // The YAML entry finder gave up at the parser's comment events, so a commented plan (every
    // example starts with one) was read as a whole document, where a tag slipped through as a
    // plain value. Found while building ledgers, which share the finder.
    let dir = tempfile::tempdir().unwrap();
    let plan = write(
        dir.path(),
        "plan.yaml",
        "# a plan\ndeployments:\n  - {id: a, party: openai, product: api, cloud: azure, date: 2024-01-01}\n  - {id: b, party: openai, product: api, cloud: !foo azure, date: 2024-01-01}\n  - {id: d, party: openai, product: api, cloud: azure, date: 2024-01-01}\n",
    );
    let out = clausecheck(&["check", "--format", "json", &plan]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["deployments"], 3, "{report}");
    assert_eq!(report["summary"]["allowed"], 2, "{report}");
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("`!foo`"), "{report}");
}

#[test]
fn a_waivers_file_over_16_mib_is_refused_and_not_read_past_it() {
    // Waivers were read whole, however large (a waivers file of 2 GB: 2 GB).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waivers.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(17 << 20).unwrap();
    drop(file);
    let waivers = path.to_string_lossy().into_owned();
    for args in
        [vec!["check", "--waivers", &waivers, "examples/allowed.json"], vec!["lint", "--waivers", &waivers]]
    {
        let out = clausecheck(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(
            stderr(&out).contains("the waivers file is larger than 16 MiB"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_baseline_over_256_mib_is_refused_and_not_read_past_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(257 << 20).unwrap();
    drop(file);
    let baseline = path.to_string_lossy().into_owned();
    let out = clausecheck(&["check", "--baseline", &baseline, "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("the baseline is larger than 256 MiB"), "{}", stderr(&out));
}

#[test]
fn explain_and_timeline_read_a_plan_whole_only_to_256_mib() {
    // `--plan` was read whole, however large (they hold the whole plan to index it).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ndjson");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(257 << 20).unwrap();
    drop(file);
    let plan = path.to_string_lossy().into_owned();
    for args in [vec!["explain", "--plan", &plan, "--id", "x"], vec!["timeline", "--plan", &plan]] {
        let out = clausecheck(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(stderr(&out).contains("huge.ndjson` is larger than 256 MiB"), "{args:?}: {}", stderr(&out));
    }
}
