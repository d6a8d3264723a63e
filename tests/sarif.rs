//! SARIF as GitHub code scanning ingests it: every report `check` and `lint` write validates
//! against the SARIF 2.1.0 JSON schema in `tests/sarif/`, no result lacks a location, rules and
//! results agree, fingerprints do not move with unrelated lines, and waived results carry their
//! approver as a suppression.

mod common;
use common::bin::{clausecheck, code, relative};

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

fn schema() -> &'static (boon::Schemas, boon::SchemaIndex) {
    static SCHEMA: OnceLock<(boon::Schemas, boon::SchemaIndex)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/sarif/sarif-schema-2.1.0.json"
        ))
        .expect("the schema is in tests/sarif/");
        let json: Value = serde_json::from_str(&text).expect("the schema is JSON");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.set_default_draft(boon::Draft::V7);
        compiler.add_resource("sarif-schema-2.1.0.json", json).expect("the schema loads");
        let index = compiler.compile("sarif-schema-2.1.0.json", &mut schemas).expect("the schema compiles");
        (schemas, index)
    })
}

/// The document, after checking it against the schema and GitHub's own demands.
fn valid(bytes: &[u8]) -> Value {
    let doc: Value = serde_json::from_slice(bytes).expect("SARIF is JSON");
    let (schemas, index) = schema();
    if let Err(e) = schemas.validate(&doc, *index) {
        panic!("not valid SARIF 2.1.0: {e:#}\n{}", String::from_utf8_lossy(bytes));
    }
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules[]");
    for r in run["results"].as_array().expect("results[]") {
        // One result without a location makes GitHub reject the whole upload.
        let location = &r["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap_or_default();
        assert!(!uri.is_empty(), "a result without a location: {r}");
        assert!(
            !uri.starts_with('/') && !uri.contains("://"),
            "relative URIs from the working directory: {uri}"
        );
        assert!(location["region"]["startLine"].as_u64().is_some_and(|l| l >= 1), "{r}");
        let id = r["ruleId"].as_str().expect("ruleId");
        if let Some(i) = r["ruleIndex"].as_u64() {
            assert_eq!(rules[i as usize]["id"], id, "ruleIndex points at the result's rule");
        }
        assert!(rules.iter().any(|rule| rule["id"] == id), "rule `{id}` is declared");
        assert!(r["partialFingerprints"].as_object().is_some_and(|f| !f.is_empty()), "{r}");
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "rule ids are unique");
    doc
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sarif_of_every_example_is_valid_and_snapshot() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--format", "sarif", &relative(path)]);
        let doc = valid(&out.stdout);
        let failing = results(&doc).iter().filter(|r| r["level"] == "error").count();
        // A run fails exactly when some result is an error.
        assert_eq!(code(&out) != 0, failing > 0, "exit {} with {failing} error results", code(&out));
        // The rules (about 60 of them, the same in each report) are snapshot once, below.
        insta::assert_json_snapshot!(results(&doc));
    });
}

#[test]
fn sarif_rules_are_one_per_clause_then_the_codes_a_run_reports() {
    let out = clausecheck(&["check", "--format", "sarif", "examples/allowed.json"]);
    let doc = valid(&out.stdout);
    let rules = &doc["runs"][0]["tool"]["driver"]["rules"];
    let azure = rules.as_array().unwrap().iter().find(|r| r["id"] == "msft_openai_2026/azure_first").unwrap();
    assert!(azure["help"]["markdown"].as_str().unwrap().contains("> "), "the quoted source, as a quote");
    assert_eq!(azure["defaultConfiguration"]["level"], "error");
    insta::assert_json_snapshot!(rules);
}

#[test]
fn sarif_of_waivers_and_advisory_clauses() {
    let out = clausecheck(&[
        "check",
        "--format",
        "sarif",
        "--rules",
        "tests/fixtures/ci/rules",
        "--waivers",
        "tests/fixtures/ci/waivers.yaml",
        "--today",
        "2026-09-01",
        "tests/fixtures/ci/plan.yaml",
    ]);
    assert_eq!(code(&out), 1, "db-aws is violated, unwaived");
    let doc = valid(&out.stdout);
    let by_id = |id: &str| {
        results(&doc).iter().find(|r| r["properties"]["deployment"] == id).unwrap_or_else(|| panic!("{id}"))
    };
    let waived = by_id("web-aws");
    let suppression = &waived["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["properties"]["approver"], "Jane Doe");
    assert!(suppression["justification"].as_str().unwrap().contains("moved to Azure"));
    assert!(by_id("db-aws")["suppressions"].is_null(), "an unwaived violation is not suppressed");
    assert_eq!(by_id("web-market")["level"], "warning", "advisory");
    let unused = results(&doc).iter().find(|r| r["ruleId"] == "waiver-unused").expect("the unused waiver");
    assert_eq!(
        unused["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/ci/waivers.yaml"
    );
    assert_eq!(unused["locations"][0]["physicalLocation"]["region"]["startLine"], 17);
    insta::assert_json_snapshot!(results(&doc));
}

#[test]
fn with_fail_on_advisory_an_advisory_result_is_an_error() {
    let out = clausecheck(&[
        "check",
        "--format",
        "sarif",
        "--fail-on",
        "advisory",
        "--rules",
        "tests/fixtures/ci/rules",
        "tests/fixtures/ci/plan.yaml",
    ]);
    let doc = valid(&out.stdout);
    let market = results(&doc).iter().find(|r| r["properties"]["deployment"] == "web-market").unwrap();
    assert_eq!(market["level"], "error");
}

/// `(deployment, rule) -> fingerprint` of a report.
fn fingerprints(doc: &Value) -> BTreeMap<(String, String), String> {
    results(doc)
        .iter()
        .filter(|r| r["properties"]["deployment"].is_string())
        .map(|r| {
            let key = (r["properties"]["deployment"].as_str().unwrap().to_owned(), r["ruleId"].to_string());
            (key, r["partialFingerprints"]["clausecheck/v1"].as_str().unwrap().to_owned())
        })
        .collect()
}

fn start_lines(doc: &Value) -> Vec<u64> {
    results(doc)
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap())
        .collect()
}

#[test]
fn fingerprints_do_not_move_with_unrelated_lines() {
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string("tests/fixtures/ci/plan.yaml").unwrap();
    // The same plan under the same name, with comments above and a new allowed deployment first.
    let moved = plan.replacen(
        "deployments:\n",
        "# a note\n# another note\ndeployments:\n  - id: new-azure\n    party: acme\n    product: db\n    cloud: azure\n    date: 2026-06-01\n\n",
        1,
    );
    let run = |text: &str| {
        let path = dir.path().join("plan.yaml");
        std::fs::write(&path, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_clausecheck"))
            .args(["check", "--format", "sarif", "--rules"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ci/rules"))
            .arg("plan.yaml")
            .current_dir(dir.path())
            .output()
            .unwrap();
        valid(&out.stdout)
    };
    let (before, after) = (run(&plan), run(&moved));
    assert_eq!(fingerprints(&before).len(), 4, "four violations");
    assert_eq!(fingerprints(&before), fingerprints(&after));
    let (b, a) = (start_lines(&before), start_lines(&after));
    assert!(b.iter().zip(&a).all(|(b, a)| *a == b + 8), "the lines did move: {b:?} {a:?}");
    // Two deployments violating the same clause have different fingerprints.
    let values: Vec<String> = fingerprints(&before).into_values().collect();
    let mut unique = values.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), values.len());
}

#[test]
fn a_plan_on_standard_input_is_located_at_the_clause_in_the_rules() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args([
            "check",
            "--format",
            "sarif",
            "--input-format",
            "yaml",
            "--rules",
            "tests/fixtures/ci/rules",
            "-",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let plan = std::fs::read("tests/fixtures/ci/plan.yaml").unwrap();
    child.stdin.take().unwrap().write_all(&plan).unwrap();
    let out = child.wait_with_output().unwrap();
    let doc = valid(&out.stdout);
    for r in results(&doc) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert_eq!(uri, "tests/fixtures/ci/rules/deal.terms", "{r}");
    }
    assert_eq!(results(&doc).len(), 4);
}

#[test]
fn record_errors_are_results_in_the_plan_and_an_unreadable_plan_too() {
    let out = clausecheck(&["check", "--format", "sarif", "examples/broken-plan.yaml", "no-such-plan.yaml"]);
    assert_eq!(code(&out), 2);
    let doc = valid(&out.stdout);
    let codes: Vec<&str> = results(&doc).iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert!(codes.contains(&"unknown-value") && codes.contains(&"unreadable-plan"), "{codes:?}");
    assert_eq!(doc["runs"][0]["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn broken_rules_give_a_sarif_report_located_in_the_rule_files() {
    insta::glob!("fixtures/rules/err", "*", |path| {
        let out =
            clausecheck(&["check", "--format", "sarif", "--rules", &relative(path), "examples/allowed.json"]);
        assert_eq!(code(&out), 2);
        let doc = valid(&out.stdout);
        assert!(!results(&doc).is_empty(), "each error is a result");
        for r in results(&doc) {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri.starts_with("tests/fixtures/rules/err/"), "{uri}");
        }
    });
}

#[test]
fn no_rules_at_all_is_a_notification_not_a_result() {
    let out =
        clausecheck(&["check", "--format", "sarif", "--rules", "no/such/rules", "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    let doc = valid(&out.stdout);
    assert!(results(&doc).is_empty(), "nothing to locate a result at");
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["descriptor"]["id"], "no-rules");
}

#[test]
fn lint_findings_are_located_in_the_rule_files() {
    let out = clausecheck(&[
        "lint",
        "--format",
        "sarif",
        "--today",
        "2026-09-01",
        "--rules",
        "tests/fixtures/lint/planted.terms",
    ]);
    let doc = valid(&out.stdout);
    assert!(!results(&doc).is_empty());
    for r in results(&doc) {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert_eq!(uri, "tests/fixtures/lint/planted.terms");
    }
    insta::assert_json_snapshot!(results(&doc));
}

#[test]
fn lint_of_broken_rules_is_still_a_sarif_report() {
    let out = clausecheck(&["lint", "--format", "sarif", "--rules", "tests/fixtures/lint"]);
    assert_eq!(code(&out), 2);
    let doc = valid(&out.stdout);
    assert!(results(&doc).iter().any(|r| r["ruleId"] == "duplicate"));
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let args = ["check", "--format", "sarif", "examples/worked-examples.yaml", "examples/inventory.csv"];
    let (a, b) = (clausecheck(&args), clausecheck(&[&args[..], &["--jobs", "3"]].concat()));
    assert_eq!(a.stdout, b.stdout);
}
