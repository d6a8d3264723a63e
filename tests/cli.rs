//! End-to-end tests of the real binary: reports for every example plan (text and JSON, snapshot
//! tested), rendered diagnostics for every broken rule set, exit codes and output options.

mod common;
use common::bin::{clausecheck, code, relative, transcript};

use std::path::Path;
use std::process::Command;

#[test]
fn text_report_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--color", "never", &relative(path)]);
        insta::assert_snapshot!(transcript(&out));
    });
}

#[test]
fn json_report_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--format", "json", &relative(path)]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
        let s = &report["summary"];
        let counted = ["allowed", "violated", "advisory", "waived", "known", "errors"]
            .iter()
            .map(|k| s[*k].as_u64().unwrap())
            .sum::<u64>();
        assert_eq!(counted, s["deployments"].as_u64().unwrap(), "every record counted exactly once");
        let expected_code = match report["verdict"].as_str().unwrap() {
            "allowed" => 0,
            "violated" => 1,
            _ => 2,
        };
        assert_eq!(code(&out), expected_code);
        insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    });
}

#[test]
fn ndjson_report_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--format", "ndjson", &relative(path)]);
        let text = String::from_utf8_lossy(&out.stdout);
        for line in text.lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("every line is JSON");
        }
        insta::assert_snapshot!(text);
    });
}

#[test]
fn every_broken_rule_set_is_reported_with_places_and_exit_2() {
    insta::glob!("fixtures/rules/err", "*", |path| {
        let out =
            clausecheck(&["check", "--color", "never", "--rules", &relative(path), "examples/allowed.json"]);
        assert_eq!(code(&out), 2);
        assert!(out.stdout.is_empty(), "nothing is evaluated with broken rules");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("nothing was checked"), "{stderr}");
        assert!(!stderr.contains("kw_") && !stderr.contains("Rule::"), "no grammar rule names: {stderr}");
        insta::assert_snapshot!(stderr);
    });
}

#[test]
fn every_valid_fixture_rule_set_loads() {
    insta::glob!("fixtures/rules/ok", "*.terms", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let mut sources = clausecheck::source::Sources::new();
        sources.add(clausecheck::source::SourceFile::new(relative(path), text));
        if let Err(d) = clausecheck::load_rules(&sources) {
            panic!("{}", clausecheck::diagnostic::render(&d, &sources, Default::default()));
        }
    });
}

#[test]
fn same_input_gives_byte_identical_output() {
    for format in ["text", "json"] {
        let a = clausecheck(&[
            "check",
            "--format",
            format,
            "examples/rollout-2026.yaml",
            "examples/broken-plan.yaml",
        ]);
        let b = clausecheck(&[
            "check",
            "--format",
            format,
            "examples/rollout-2026.yaml",
            "examples/broken-plan.yaml",
        ]);
        assert_eq!(a.stdout, b.stdout);
        assert_eq!(a.stderr, b.stderr);
    }
}

#[test]
fn exit_codes_follow_the_contract() {
    assert_eq!(code(&clausecheck(&["check", "examples/allowed.json"])), 0);
    assert_eq!(code(&clausecheck(&["check", "examples/worked-examples.yaml"])), 1);
    assert_eq!(code(&clausecheck(&["check", "examples/broken-plan.yaml"])), 2);
    assert_eq!(code(&clausecheck(&["check", "no-such-plan.yaml"])), 2);
    assert_eq!(code(&clausecheck(&["check", "--format", "xml", "examples/allowed.json"])), 2);
    assert_eq!(code(&clausecheck(&["check"])), 2);
    assert_eq!(code(&clausecheck(&["--help"])), 0);
}

#[test]
fn a_plan_of_unknown_format_or_from_stdin_without_a_format_is_a_usage_error() {
    let out = clausecheck(&["check", "README.md"]);
    assert_eq!(code(&out), 2);
    // With the text format the unreadable plan is named in the report (stdout), and standard
    // error counts it (issue 12: each error once).
    assert!(String::from_utf8_lossy(&out.stdout).contains("--input-format"), "{}", transcript(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 plan could not be read"),
        "{}",
        transcript(&out)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_clausecheck")).args(["check", "-"]).output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--input-format"));
}

#[test]
fn a_plan_can_come_from_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["check", "--format", "json", "--input-format", "ndjson", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let plan =
        "{\"id\":\"x\",\"party\":\"openai\",\"product\":\"api\",\"cloud\":\"aws\",\"date\":\"2025-06-01\"}\n";
    child.stdin.take().unwrap().write_all(plan.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["deployments"][0]["plan"], "<stdin>");
    assert_eq!(report["deployments"][0]["terms"][0]["clause"], "azure_exclusive");
}

#[test]
fn output_goes_to_the_named_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let out = clausecheck(&[
        "check",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
        "examples/allowed.json",
    ]);
    assert_eq!(code(&out), 0);
    assert!(out.stdout.is_empty());
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(report["verdict"], "allowed");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = clausecheck(&["check", "examples/worked-examples.yaml"]);
    assert!(!plain.stdout.contains(&0x1b), "not a terminal: no colour");
    let forced = clausecheck(&["check", "--color", "always", "examples/worked-examples.yaml"]);
    assert!(forced.stdout.contains(&0x1b));
    let out = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["check", "examples/worked-examples.yaml"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b), "NO_COLOR wins");
}

#[test]
fn rules_come_from_the_environment_when_there_is_no_rules_folder() {
    let dir = tempfile::tempdir().unwrap();
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/allowed.json");
    let run = |rules: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_clausecheck"));
        cmd.current_dir(dir.path()).args(["check", plan.to_str().unwrap()]).env_remove("CLAUSECHECK_RULES");
        if let Some(r) = rules {
            cmd.env("CLAUSECHECK_RULES", r);
        }
        cmd.output().unwrap()
    };
    let none = run(None);
    assert_eq!(code(&none), 2);
    assert!(String::from_utf8_lossy(&none.stderr).contains("CLAUSECHECK_RULES"));
    let from_env = run(Some(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")));
    assert_eq!(code(&from_env), 0, "{}", String::from_utf8_lossy(&from_env.stderr));
}

#[test]
fn json_errors_name_the_record_the_field_and_a_suggestion() {
    let out = clausecheck(&["check", "--format", "json", "examples/broken-plan.yaml"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["errors"].as_array().unwrap();
    let cloud = errors.iter().find(|e| e["field"] == "cloud").expect("the misspelt cloud is reported");
    assert_eq!(cloud["record"], "typo-cloud");
    assert!(cloud["help"].as_str().unwrap().contains("`azure`"));
    assert!(cloud["line"].as_u64().is_some());
}

#[test]
fn bad_records_are_reported_and_good_ones_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.ndjson");
    std::fs::write(
        &plan,
        [
            r#"{"id":"good-1","party":"openai","product":"api","cloud":"azure","date":"2026-05-01"}"#,
            r#"{"id":"typo","party":"openai","product":"api","cloud":"azrue","date":"2026-05-01"}"#,
            r#"{"id":"no-day","party":"openai","product":"api","cloud":"aws","date":"2026-02-30"}"#,
            r#"{"id":"no-product","party":"openai","cloud":"aws","date":"2026-05-01"}"#,
            r#"{"id":"broken","party":"openai","#,
            r#"{"id":"good-2","party":"openai","product":"api","cloud":"gcp","date":"2026-06-01"}"#,
            r#"{"id":"bad-verdict","party":"openai","product":"chatgpt","cloud":"gcp","date":"2026-06-01"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = clausecheck(&["check", "--format", "json", plan.to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["summary"],
        serde_json::json!({"deployments": 7, "allowed": 2, "violated": 1, "errors": 4, "warnings": 0,
                           "advisory": 0, "waived": 0, "known": 0})
    );
    let errors = report["errors"].as_array().unwrap();
    let by =
        |record: &str| errors.iter().find(|e| e["record"] == record).unwrap_or_else(|| panic!("{record}"));
    assert_eq!(by("typo")["field"], "cloud");
    assert_eq!(by("typo")["help"], "did you mean `azure`?");
    assert_eq!(by("no-day")["field"], "date");
    assert_eq!(by("no-product")["field"], "product");
    assert_eq!(by("#5")["line"], 5, "the unparsable line is named by its line");
    let checked: Vec<&str> =
        report["deployments"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(checked, ["good-1", "good-2", "bad-verdict"]);
}

#[test]
fn a_syntax_error_in_each_of_two_files_is_reported_in_one_run() {
    let out =
        clausecheck(&["check", "--rules", "tests/fixtures/rules/err/two-files", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("two-files/a.terms:"), "{stderr}");
    assert!(stderr.contains("two-files/b.terms:"), "{stderr}");
    assert!(stderr.contains("the rules have 2 errors"), "{stderr}");
}

#[test]
fn an_unknown_name_and_an_impossible_date_are_reported_in_one_run() {
    let out = clausecheck(&[
        "check",
        "--rules",
        "tests/fixtures/rules/err/several-errors.terms",
        "examples/allowed.json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown product `chatgtp`") && stderr.contains("did you mean `chatgpt`?"),
        "{stderr}"
    );
    assert!(stderr.contains("`2026-04-31` is not a valid date"), "{stderr}");
}

#[test]
fn broken_rules_in_json_mode_still_give_a_json_report() {
    let out = clausecheck(&[
        "check",
        "--format",
        "json",
        "--rules",
        "tests/fixtures/rules/err/several-errors.terms",
        "examples/allowed.json",
    ]);
    assert_eq!(code(&out), 2);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "error");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e["line"].is_u64() && e["column"].is_u64() && e["file"].is_string()));
}
