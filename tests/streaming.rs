//! The streaming check end to end: the same bytes whatever the number of threads, every record
//! once, the lean formats, standard input, and failures to write.

mod common;
use common::bin::{clausecheck, code, stdout};

use std::io::Write;
use std::process::{Command, Stdio};

/// A generated plan over the bundled vocabulary, as NDJSON, in a temporary folder.
fn generated(records: u64) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = clausecheck(&[
        "generate",
        "plan",
        "--records",
        &records.to_string(),
        "--seed",
        "11",
        "--launch-percent",
        "3",
    ]);
    assert_eq!(code(&out), 0);
    let path = dir.path().join("plan.ndjson");
    std::fs::write(&path, &out.stdout).unwrap();
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

#[test]
fn output_is_byte_identical_whatever_the_number_of_threads() {
    // Over four chunks of NDJSON, so the threads really share the reading and the checking.
    let (_dir, plan) = generated(40_000);
    for format in ["ndjson", "json", "text"] {
        let one = clausecheck(&["check", "--format", format, "--color", "never", "--jobs", "1", &plan]);
        let two = clausecheck(&["check", "--format", format, "--color", "never", "--jobs", "2", &plan]);
        let five = clausecheck(&["check", "--format", format, "--color", "never", "--jobs", "5", &plan]);
        assert_eq!(code(&one), 1, "the generated plan has violations");
        assert!(one.stdout.len() > 1_000_000, "{format}: a real report");
        assert!(
            one.stdout == two.stdout && one.stdout == five.stdout,
            "{format} differs between thread counts"
        );
    }
    // The CI formats, some of which keep what they write until the end.
    for format in ["markdown", "junit", "sarif", "github", "html"] {
        let one = clausecheck(&["check", "--format", format, "--jobs", "1", &plan]);
        let five = clausecheck(&["check", "--format", format, "--jobs", "5", &plan]);
        assert_eq!(code(&one), 1);
        assert!(one.stdout.len() > 1000, "{format}: a real report");
        assert!(one.stdout == five.stdout, "{format} differs between thread counts");
    }
}

#[test]
fn ndjson_is_a_line_per_record_then_a_summary_and_only_violated_keeps_violations() {
    let (_dir, plan) = generated(3000);
    let all = stdout(&clausecheck(&["check", "--format", "ndjson", &plan]));
    let lines: Vec<serde_json::Value> =
        all.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 3001);
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["summary"]["deployments"], 3000);
    let positions: Vec<u64> = lines[..3000].iter().map(|l| l["position"].as_u64().unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[1] == w[0] + 1), "in input order");
    let violated = lines[..3000].iter().filter(|l| l["verdict"] == "violated").count();
    assert_eq!(summary["summary"]["violated"], violated);
    for l in &lines[..3000] {
        // Lean: terms that did not apply are left out, except those an `unless` turned off.
        let lean = |t: &serde_json::Value| {
            t["status"] != "not_applicable" || t["reason"].as_str().unwrap().contains("the exception `unless")
        };
        assert!(l["terms"].as_array().unwrap().iter().all(lean), "lean terms: {l}");
        assert!(l["terms"].as_array().unwrap().iter().all(|t| t.get("quote").is_none()), "no quotes: {l}");
    }
    let only = stdout(&clausecheck(&["check", "--format", "ndjson", "--only", "violated", &plan]));
    assert_eq!(only.lines().count(), violated + 1);
    assert!(only.lines().take(violated).all(|l| l.contains("\"verdict\":\"violated\"")));
    assert_eq!(only.lines().last(), all.lines().last(), "the summary counts every record");
}

#[test]
fn quiet_reports_the_summary_alone() {
    let out = clausecheck(&["check", "--quiet", "--color", "never", "examples/worked-examples.yaml"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "summary: 8 deployments: 5 allowed, 3 violated, 0 errors\n");
    let out = clausecheck(&["check", "--quiet", "--format", "json", "examples/worked-examples.yaml"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["violated"], 3);
    assert_eq!(json["deployments"], serde_json::json!([]));
}

#[test]
fn a_plan_on_standard_input_is_read_once_and_launched_still_sees_the_whole_plan() {
    // The Azure debut comes after the deployment that needs it: a single forward read would
    // miss it.
    let plan = concat!(
        r#"{"id":"bedrock","party":"openai","product":"frontier","cloud":"aws","channel":"bedrock","date":"2026-06-01"}"#,
        "\n",
        r#"{"id":"debut","party":"openai","product":"frontier","cloud":"azure","date":"2026-05-01"}"#,
        "\n"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["check", "--format", "ndjson", "--input-format", "ndjson", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(plan.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let first: serde_json::Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "bedrock");
    assert!(first["terms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["clause"] == "azure_first" && t["status"] == "satisfied"));
}

#[test]
fn duplicate_ids_are_found_in_a_large_plan_and_do_not_count_as_launches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ndjson");
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!(
            r#"{{"id":"m{i}","party":"microsoft","product":"models","cloud":"azure","date":"2027-01-01"}}"#
        ));
        text.push('\n');
    }
    // A duplicate id on an Azure deployment: it is an error, so it is no debut for chatgpt.
    text.push_str(r#"{"id":"m5","party":"openai","product":"chatgpt","cloud":"azure","date":"2026-05-01"}"#);
    text.push('\n');
    text.push_str(r#"{"id":"gcp","party":"openai","product":"chatgpt","cloud":"gcp","date":"2026-06-01"}"#);
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    let out = clausecheck(&["check", "--format", "json", &path.to_string_lossy()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["errors"][0]["record"], "m5");
    assert_eq!(json["errors"][0]["message"], "id `m5` is already used by record #6");
    let gcp = json["deployments"].as_array().unwrap().iter().find(|d| d["id"] == "gcp").unwrap();
    assert_eq!(gcp["verdict"], "violated");
}

#[test]
fn the_report_never_overwrites_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::copy("examples/worked-examples.yaml", &plan).unwrap();
    let before = std::fs::read(&plan).unwrap();
    let out = clausecheck(&["check", "--output", &plan.to_string_lossy(), &plan.to_string_lossy()]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("would overwrite the plan"));
    assert_eq!(std::fs::read(&plan).unwrap(), before);
}

#[test]
fn a_failed_write_is_an_error_with_a_message() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for format in ["text", "json", "ndjson"] {
        let out = clausecheck(&[
            "check",
            "--format",
            format,
            "--output",
            "/dev/full",
            "examples/worked-examples.yaml",
        ]);
        assert_eq!(code(&out), 2, "{format}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"), "{format}");
        let full = std::fs::File::create("/dev/full").unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
            .args(["check", "--format", format, "examples/worked-examples.yaml"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(code(&out), 2, "{format} to a full standard output");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"), "{format}");
    }
}

#[test]
fn an_over_long_line_and_a_non_utf8_line_are_errors_of_their_records_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.ndjson");
    let good = r#"{"party":"microsoft","product":"models","cloud":"azure","date":"2027-01-01"}"#;
    let mut bytes = Vec::new();
    bytes.extend_from_slice(good.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(b"{\"id\":\"");
    bytes.extend(std::iter::repeat_n(b'x', 3 << 20));
    bytes.extend_from_slice(b"\"}\n");
    bytes.extend_from_slice(b"{\"id\":\"caf\xe9\",\"party\":\"openai\"}\r");
    bytes.extend_from_slice(good.as_bytes());
    bytes.push(b'\r');
    std::fs::write(&path, bytes).unwrap();
    let out = clausecheck(&["check", "--format", "json", &path.to_string_lossy()]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["deployments"], 4, "a lone CR ends a line too");
    assert_eq!(json["summary"]["allowed"], 2);
    let errors = json["errors"].as_array().unwrap();
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(errors[0]["code"], "record-too-large");
    assert_eq!(errors[1]["line"], 3);
    assert!(errors[1]["message"].as_str().unwrap().contains("not UTF-8"));
}
