//! The CI formats end to end (markdown, JUnit, GitHub annotations; SARIF has `tests/sarif.rs`):
//! snapshots on every example plan and on a plan with waived and advisory violations, JUnit read
//! back as XML, the annotations' escaping and limits, the Markdown size limit; then severities,
//! waivers, baselines and several reports from one run.

mod common;
use common::bin::{clausecheck, code, relative, stdout, transcript};

use std::path::Path;
use std::process::Output;

const RULES: &str = "tests/fixtures/ci/rules";
const PLAN: &str = "tests/fixtures/ci/plan.yaml";
const WAIVERS: &str = "tests/fixtures/ci/waivers.yaml";

/// `check` of the CI fixture with its waivers, judged on `today`, in `format`.
fn ci(format: &str, today: &str, more: &[&str]) -> Output {
    let args = [
        "check",
        "--color",
        "never",
        "--format",
        format,
        "--rules",
        RULES,
        "--waivers",
        WAIVERS,
        "--today",
        today,
    ];
    clausecheck(&[&args[..], more, &[PLAN]].concat())
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn markdown_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--format", "markdown", &relative(path)]);
        insta::assert_snapshot!(transcript(&out));
    });
}

#[test]
fn junit_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--format", "junit", &relative(path)]);
        junit_counts_match_its_cases(&stdout(&out));
        insta::assert_snapshot!(transcript(&out));
    });
}

#[test]
fn github_annotations_of_every_example() {
    insta::glob!("../examples", "*.{yaml,json,ndjson,csv}", |path| {
        let out = clausecheck(&["check", "--format", "github", &relative(path)]);
        for line in stdout(&out).lines() {
            assert!(
                line.starts_with("::error ")
                    || line.starts_with("::warning ")
                    || line.starts_with("::notice ")
            );
        }
        insta::assert_snapshot!(transcript(&out));
    });
}

/// The waived and advisory case in every format: web-aws and db-gcp waived (by id, by a
/// condition), web-market advisory, db-aws violated, one waiver matching nothing.
#[test]
fn waived_and_advisory_in_every_format() {
    for format in ["text", "json", "ndjson", "markdown", "junit", "github"] {
        let out = ci(format, "2026-09-01", &[]);
        assert_eq!(code(&out), 1, "{format}: db-aws is violated and not waived");
        let text = stdout(&out);
        for who in ["Jane Doe", "Sam Roe"] {
            assert!(text.contains(who), "{format} names the approver {who}:\n{text}");
        }
        insta::assert_snapshot!(format!("waived_and_advisory_{format}"), transcript(&out));
    }
}

// ---------------------------------------------------------------------------------------------
// JUnit read back as XML

/// Each suite's `tests`, `failures` and `errors` are its cases, its cases with a `<failure>`
/// and with an `<error>`; the root's are the sums. Returns the root's counts.
fn junit_counts_match_its_cases(xml: &str) -> (usize, usize, usize) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node<'_, '_>, a: &str| -> usize { n.attribute(a).unwrap().parse().unwrap() };
    let mut sums = (0, 0, 0);
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        let with = |tag: &str| cases.iter().filter(|c| c.children().any(|n| n.has_tag_name(tag))).count();
        assert_eq!(attr(suite, "tests"), cases.len(), "tests of {:?}", suite.attribute("name"));
        assert_eq!(attr(suite, "failures"), with("failure"));
        assert_eq!(attr(suite, "errors"), with("error"));
        sums = (sums.0 + cases.len(), sums.1 + with("failure"), sums.2 + with("error"));
    }
    assert_eq!((attr(root, "tests"), attr(root, "failures"), attr(root, "errors")), sums);
    sums
}

#[test]
fn junit_has_a_suite_per_plan_a_case_per_deployment_and_errors_as_errors() {
    let out = clausecheck(&[
        "check",
        "--format",
        "junit",
        "examples/worked-examples.yaml",
        "examples/broken-plan.yaml",
    ]);
    let xml = stdout(&out);
    let report = clausecheck(&[
        "check",
        "--format",
        "json",
        "examples/worked-examples.yaml",
        "examples/broken-plan.yaml",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let s = &json["summary"];
    let (tests, failures, errors) = junit_counts_match_its_cases(&xml);
    assert_eq!(tests as u64, s["deployments"].as_u64().unwrap());
    assert_eq!(failures as u64, s["violated"].as_u64().unwrap());
    assert_eq!(errors as u64, s["errors"].as_u64().unwrap());
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(suites[1].attribute("name"), Some("examples/broken-plan.yaml"));
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert!(failure.text().unwrap().contains('“'), "the quoted source is in the failure");
}

#[test]
fn junit_escapes_what_the_plan_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.ndjson");
    std::fs::write(
        &plan,
        "{\"id\":\"<a href=\\\"x\\\">&amp;</a>]]>\\u0001\",\"party\":\"acme\",\"product\":\"db\",\"cloud\":\"aws\",\"date\":\"2026-08-01\"}\n",
    )
    .unwrap();
    let out = clausecheck(&["check", "--format", "junit", "--rules", RULES, plan.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let xml = stdout(&out);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let case = doc.descendants().find(|n| n.has_tag_name("testcase")).unwrap();
    assert_eq!(case.attribute("name"), Some("<a href=\"x\">&amp;</a>]]>\\u{1}"));
    junit_counts_match_its_cases(&xml);
}

#[test]
fn junit_keeps_every_case_with_only_violated() {
    let out = ci("junit", "2026-09-01", &["--only", "violated"]);
    assert_eq!(junit_counts_match_its_cases(&stdout(&out)), (5, 1, 0));
}

// ---------------------------------------------------------------------------------------------
// GitHub annotations

/// A workflow command's value, unescaped as the runner does.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_escapes_commas_colons_percents_and_newlines() {
    let dir = tempfile::tempdir().unwrap();
    let name = "odd,name:1%.ndjson";
    let id = "a,b:c%d\ne\rf";
    let record =
        serde_json::json!({"id": id, "party": "acme", "product": "db", "cloud": "aws", "date": "2026-08-01"});
    std::fs::write(dir.path().join(name), format!("{record}\n")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["check", "--format", "github", "--rules"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES))
        .arg(name)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one annotation and the summary, each on one line:\n{text}");
    let error = lines[0];
    let (command, message) = error.split_once("::").map(|(_, rest)| rest.split_once("::").unwrap()).unwrap();
    let props: Vec<&str> = command.strip_prefix("error ").unwrap().split(',').collect();
    assert_eq!(props[0], "file=odd%2Cname%3A1%25.ndjson");
    assert_eq!(unescape(props[0].strip_prefix("file=").unwrap()), name);
    assert_eq!(props[1..3], ["line=1", "col=1"]);
    assert!(message.starts_with("a,b:c%25d%0Ae%0Df violates deal.azure_only"), "{message}");
    assert!(unescape(message).starts_with(&format!("{id} violates")));
    assert!(!text.contains('\r'));
}

#[test]
fn github_shows_ten_of_each_kind_most_important_first_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("many.ndjson");
    let mut lines = String::new();
    // 12 advisory violations first, then 15 mandatory ones, then 3 record errors.
    for i in 0..12 {
        lines.push_str(&format!("{{\"id\":\"m{i}\",\"party\":\"acme\",\"product\":\"web\",\"cloud\":\"azure\",\"channel\":\"market\",\"date\":\"2026-08-01\"}}\n"));
    }
    for i in 0..15 {
        lines.push_str(&format!("{{\"id\":\"v{i}\",\"party\":\"acme\",\"product\":\"db\",\"cloud\":\"aws\",\"date\":\"2026-08-01\"}}\n"));
    }
    for i in 0..3 {
        lines.push_str(&format!("{{\"id\":\"e{i}\",\"party\":\"acme\",\"product\":\"db\",\"cloud\":\"awz\",\"date\":\"2026-08-01\"}}\n"));
    }
    std::fs::write(&plan, lines).unwrap();
    let out = clausecheck(&["check", "--format", "github", "--rules", RULES, plan.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "record errors");
    let text = stdout(&out);
    let kind = |k: &str| text.lines().filter(|l| l.starts_with(&format!("::{k} "))).count();
    assert_eq!((kind("error"), kind("warning"), kind("notice")), (10, 10, 1));
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    assert!(
        errors.iter().all(|l| l.contains("::v")),
        "violations that fail the run come before record errors"
    );
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("::notice title=clausecheck::30 deployments"), "{summary}");
    assert!(summary.contains("8 more errors, 2 more warnings not shown"), "{summary}");
}

// ---------------------------------------------------------------------------------------------
// Markdown

#[test]
fn markdown_stays_under_githubs_summary_limit() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("large.ndjson");
    let mut lines = String::new();
    for i in 0..8000 {
        lines.push_str(&format!("{{\"id\":\"violating-deployment-number-{i:05}\",\"party\":\"acme\",\"product\":\"db\",\"cloud\":\"aws\",\"date\":\"2026-08-01\"}}\n"));
    }
    for i in 0..50 {
        lines.push_str(&format!("{{\"id\":\"advisory-{i}\",\"party\":\"acme\",\"product\":\"web\",\"cloud\":\"azure\",\"channel\":\"market\",\"date\":\"2026-08-01\"}}\n"));
    }
    std::fs::write(&plan, lines).unwrap();
    let out = clausecheck(&["check", "--format", "markdown", "--rules", RULES, plan.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.len() < 1 << 20, "{} bytes", text.len());
    assert!(text.len() > 900_000, "the budget is used, not wasted: {} bytes", text.len());
    assert!(text.starts_with("## ❌ clausecheck: 8000 of 8050 deployments violated\n"), "totals first");
    let shown = text.lines().filter(|l| l.starts_with("| violating-deployment-number-")).count();
    assert!(shown > 1000 && shown < 8000, "{shown} rows");
    assert!(text.contains(&format!("_{} more not shown", 8000 - shown)), "the cut is said");
    assert!(text.contains("_50 more not shown"), "the advisory table is out of room too");
}

#[test]
fn markdown_escapes_what_the_plan_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.ndjson");
    let id = "x|y <img src=z> [l](http://e) *b*\nz";
    let record =
        serde_json::json!({"id": id, "party": "acme", "product": "db", "cloud": "aws", "date": "2026-08-01"});
    std::fs::write(&plan, format!("{record}\n")).unwrap();
    let out = clausecheck(&["check", "--format", "markdown", "--rules", RULES, plan.to_str().unwrap()]);
    let text = stdout(&out);
    let row = text.lines().find(|l| l.starts_with("| x")).unwrap_or_else(|| panic!("{text}"));
    assert!(row.starts_with(r"| x\|y &lt;img src=z&gt; \[l\](http://e) \*b\* z ("), "{row}");
    assert_eq!(row.matches(" | ").count(), 3, "four cells: {row}");
}

// ---------------------------------------------------------------------------------------------
// Severities

#[test]
fn an_advisory_violation_fails_the_run_only_with_fail_on_advisory() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("advisory.yaml");
    std::fs::write(
        &plan,
        "deployments:\n  - {id: m, party: acme, product: web, cloud: azure, channel: market, date: 2026-07-01}\n",
    )
    .unwrap();
    let plan = plan.to_str().unwrap();
    let run = |more: &[&str]| {
        clausecheck(&[&["check", "--format", "json", "--rules", RULES][..], more, &[plan]].concat())
    };
    let default = run(&[]);
    assert_eq!(code(&default), 0);
    let json: serde_json::Value = serde_json::from_slice(&default.stdout).unwrap();
    assert_eq!(json["summary"]["advisory"], 1);
    assert_eq!(json["summary"]["violated"], 0);
    assert_eq!(json["deployments"][0]["outcome"], "advisory");
    assert_eq!(code(&run(&["--fail-on", "mandatory"])), 0);
    assert_eq!(code(&run(&["--fail-on", "advisory"])), 1);
}

// ---------------------------------------------------------------------------------------------
// Waivers

/// The CI plan without db-aws, the one violation no waiver covers.
fn waived_only_plan(dir: &Path) -> String {
    let plan = std::fs::read_to_string(PLAN).unwrap();
    let cut = plan.find("  - id: db-aws").unwrap();
    let path = dir.join("waived.yaml");
    std::fs::write(&path, &plan[..cut]).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn a_waived_violation_passes_the_run_and_fails_it_on_its_expiry_day() {
    let dir = tempfile::tempdir().unwrap();
    let plan = waived_only_plan(dir.path());
    let run = |today: &str, format: &str| {
        clausecheck(&[
            "check",
            "--color",
            "never",
            "--format",
            format,
            "--rules",
            RULES,
            "--waivers",
            WAIVERS,
            "--today",
            today,
            &plan,
        ])
    };
    // Every format passes and names the approver.
    for format in ["text", "json", "ndjson", "markdown", "junit", "sarif", "github", "html"] {
        let out = run("2026-12-30", format);
        assert_eq!(code(&out), 0, "{format}: {}", transcript(&out));
        assert!(stdout(&out).contains("Jane Doe") && stdout(&out).contains("Sam Roe"), "{format}");
    }
    let json: serde_json::Value = serde_json::from_slice(&run("2026-12-30", "json").stdout).unwrap();
    assert_eq!(json["summary"]["waived"], 2);
    let term = &json["deployments"][2]["terms"][0];
    assert_eq!((&term["status"], &term["disposition"]), (&"violated".into(), &"waived".into()));
    assert_eq!(term["waiver"]["approver"], "Sam Roe");
    // Sam Roe's waiver expires on 2026-12-31: on that day it no longer applies, and says so.
    let out = run("2026-12-31", "text");
    assert_eq!(code(&out), 1, "{}", transcript(&out));
    let text = stdout(&out);
    assert!(text.contains("db-gcp      violated"), "{text}");
    assert!(
        text.contains(
            "the waiver approved by Sam Roe (tests/fixtures/ci/waivers.yaml:10) expired on 2026-12-31"
        ),
        "{text}"
    );
    assert!(text.contains("web-aws     waived"), "Jane Doe's runs to 2027-01-01");
    // The day before, it still applies.
    assert_eq!(code(&run("2026-12-30", "text")), 0);
    let json: serde_json::Value = serde_json::from_slice(&run("2026-12-31", "json").stdout).unwrap();
    assert_eq!(json["deployments"][2]["terms"][0]["expired_waiver"]["approver"], "Sam Roe");
}

#[test]
fn an_expired_waiver_is_said_in_every_format_and_placed_in_the_waivers_file() {
    for format in ["text", "json", "ndjson", "markdown", "junit", "sarif", "github", "html"] {
        let out = ci(format, "2027-02-01", &[]);
        assert_eq!(code(&out), 1);
        let text = stdout(&out);
        let said = if format.ends_with("json") {
            let inactive = text.contains("\"active\":false") || text.contains("\"active\": false");
            text.contains("\"expired_waiver\"") && inactive
        } else {
            text.contains("expired on 2027-01-01")
        };
        assert!(said, "{format}:\n{text}");
    }
    let sarif: serde_json::Value = serde_json::from_slice(&ci("sarif", "2027-02-01", &[]).stdout).unwrap();
    let expired: Vec<u64> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "waiver-expired")
        .map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap())
        .collect();
    assert_eq!(expired, [3, 10]);
    let github = stdout(&ci("github", "2027-02-01", &[]));
    assert!(
        github.contains("::warning file=tests/fixtures/ci/waivers.yaml,line=3,title=waiver-expired::"),
        "{github}"
    );
}

#[test]
fn a_waiver_that_matches_nothing_is_a_warning_that_fails_only_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    let plan = waived_only_plan(dir.path());
    let mut args = vec![
        "check",
        "--color",
        "never",
        "--rules",
        RULES,
        "--waivers",
        WAIVERS,
        "--today",
        "2026-09-01",
        &plan,
    ];
    let out = clausecheck(&args);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("warning: tests/fixtures/ci/waivers.yaml:17: the waiver of `deal.no_market`")
    );
    args.extend(["--deny", "warnings"]);
    assert_eq!(code(&clausecheck(&args)), 1);
}

#[test]
fn broken_waivers_are_located_errors_with_suggestions_and_exit_2() {
    let out = clausecheck(&[
        "check",
        "--color",
        "never",
        "--format",
        "json",
        "--rules",
        RULES,
        "--waivers",
        "tests/fixtures/ci/bad-waivers.yaml",
        PLAN,
    ]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("tests/fixtures/ci/bad-waivers.yaml:3:13: unknown clause `deal.azure_onyl`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `deal.azure_only`?"), "{stderr}");
    // The JSON report says why nothing was checked, each error in its place.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["verdict"], "error");
    let first = &json["errors"][0];
    assert_eq!(
        (&first["code"], &first["line"], &first["column"]),
        (&"waiver-unknown-clause".into(), &3.into(), &13.into())
    );
    insta::assert_snapshot!(transcript(&out));
}

/// Malformed waiver files, each a located error (never a panic): the reader on its own.
#[test]
fn malformed_waiver_files_are_errors_in_place() {
    let rules = {
        let mut sources = clausecheck::source::Sources::new();
        let text = std::fs::read_to_string(Path::new(RULES).join("deal.terms")).unwrap();
        sources.add(clausecheck::source::SourceFile::new("deal.terms", text));
        clausecheck::load_rules(&sources).unwrap()
    };
    let entry = "  - clause: deal.azure_only\n    deployments: [a]\n    approver: J\n    reason: r\n    ticket: T-1\n    expires: 2027-01-01\n";
    let cases: &[(&str, String)] = &[
        ("empty", String::new()),
        ("not yaml", "waivers: [".into()),
        ("not a mapping", "- a\n- b\n".into()),
        ("waivers not a list", "waivers: 3\n".into()),
        ("unknown key", format!("waivers:\n{entry}    expiry: 2027-01-01\n")),
        ("misspelt top key", "waiver: []\n".into()),
        ("both ids and a condition", format!("waivers:\n{entry}    when: cloud = aws\n")),
        ("empty deployments", entry.replace("[a]", "[]").replace("  - ", "waivers:\n  - ")),
        ("no clause", "waivers:\n  - deployments: [a]\n    approver: J\n    reason: r\n    ticket: T\n    expires: 2027-01-01\n".into()),
        ("a clause with no agreement", entry.replace("deal.azure_only", "azure_only").replace("  - ", "waivers:\n  - ")),
        ("the default of an agreement", entry.replace("deal.azure_only", "deal.default").replace("  - ", "waivers:\n  - ")),
        ("no ticket or link", entry.replace("    ticket: T-1\n", "").replace("  - ", "waivers:\n  - ")),
        ("a date of the wrong shape", entry.replace("2027-01-01", "2027-1-1").replace("  - ", "waivers:\n  - ")),
        ("a date as a number", entry.replace("2027-01-01", "20270101").replace("  - ", "waivers:\n  - ")),
        ("blank approver", entry.replace("approver: J", "approver: \"  \"").replace("  - ", "waivers:\n  - ")),
        ("a condition of an unknown field", entry.replace("deployments: [a]", "when: region = eu").replace("  - ", "waivers:\n  - ")),
        ("a multi-line condition", entry.replace("deployments: [a]", "when: |\n      cloud = aws and\n      product = dbb").replace("  - ", "waivers:\n  - ")),
        ("a launched the rules do not use", entry.replace("deployments: [a]", "when: \"launched(product, azure) on or before date\"").replace("  - ", "waivers:\n  - ")),
        ("duplicate keys", format!("waivers:\n{entry}    approver: K\n")),
    ];
    let mut shown = String::new();
    for (name, text) in cases {
        shown.push_str(&format!("## {name}\n"));
        match clausecheck::waivers::read("w.yaml", text, &rules) {
            Ok(w) => shown.push_str(&format!("ok: {} waiver(s)\n", w.list.len())),
            Err(errors) => {
                assert!(!errors.is_empty());
                for e in errors {
                    assert!(
                        matches!(e.location, clausecheck::diagnostic::Location::File { .. }),
                        "{name}: placed in the file"
                    );
                    shown.push_str(&format!(
                        "{} [{}]\n",
                        e.one_line(&clausecheck::source::Sources::new()),
                        e.code
                    ));
                }
            }
        }
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn lint_lists_waivers_that_expire_soon() {
    let lint = |today: &str, more: &[&str]| {
        let args = [
            "lint",
            "--color",
            "never",
            "--format",
            "json",
            "--rules",
            RULES,
            "--waivers",
            WAIVERS,
            "--today",
            today,
        ];
        clausecheck(&[&args[..], more].concat())
    };
    let expiring = |out: &Output| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "waiver-expiring")
            .map(|f| {
                format!("{}:{} {}", f["file"].as_str().unwrap(), f["line"], f["message"].as_str().unwrap())
            })
            .collect()
    };
    assert!(expiring(&lint("2026-09-01", &[])).is_empty(), "none within 30 days");
    let soon = lint("2026-12-10", &[]);
    assert_eq!(code(&soon), 0, "warnings do not fail lint unless denied");
    assert_eq!(
        expiring(&soon),
        [
            "tests/fixtures/ci/waivers.yaml:3 the waiver of `deal.azure_only` approved by Jane Doe expires on 2027-01-01 (in 22 days)",
            "tests/fixtures/ci/waivers.yaml:10 the waiver of `deal.azure_only` approved by Sam Roe expires on 2026-12-31 (in 21 days)",
        ]
    );
    assert_eq!(expiring(&lint("2026-12-10", &["--warn-within", "21"])).len(), 1);
    assert_eq!(expiring(&lint("2027-07-01", &["--warn-within", "0"])).len(), 3, "expired ones too");
    assert_eq!(code(&lint("2026-12-10", &["--deny", "waiver-expiring"])), 1);
    assert_eq!(code(&lint("2026-12-10", &["--deny", "waiver-expiring", "--allow", "waiver-expiring"])), 0);
}

#[test]
fn lint_deny_and_allow_take_codes_from_the_registry() {
    let lint = |more: &[&str]| {
        let args = [
            "lint",
            "--color",
            "never",
            "--format",
            "json",
            "--today",
            "2026-09-01",
            "--rules",
            "tests/fixtures/lint/planted.terms",
        ];
        clausecheck(&[&args[..], more].concat())
    };
    let codes = |out: &Output| -> Vec<(String, String)> {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut found: Vec<(String, String)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["code"].as_str().unwrap().to_owned(), f["level"].as_str().unwrap().to_owned()))
            .collect();
        found.dedup();
        found
    };
    let plain = lint(&[]);
    assert_eq!(code(&plain), 0);
    assert!(codes(&plain).contains(&("dead-rule".into(), "warning".into())));
    let denied = lint(&["--deny", "dead-rule"]);
    assert_eq!(code(&denied), 1);
    assert!(codes(&denied).contains(&("dead-rule".into(), "error".into())));
    assert!(codes(&denied).contains(&("conflict".into(), "warning".into())), "other codes keep their level");
    let allowed = lint(&["--allow", "dead-rule", "--allow", "conflict"]);
    assert!(!codes(&allowed).iter().any(|(c, _)| c == "dead-rule" || c == "conflict"));
    assert_eq!(code(&lint(&["--deny", "warnings"])), 1);
    let typo = lint(&["--deny", "dead-rul"]);
    assert_eq!(code(&typo), 2);
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `dead-rule`?"));
}

// ---------------------------------------------------------------------------------------------
// Baselines

#[test]
fn a_baseline_of_its_own_report_passes_and_a_new_violation_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::copy("examples/worked-examples.yaml", &plan).unwrap();
    let plan = plan.to_str().unwrap();
    let baseline = dir.path().join("baseline.json");
    let first = clausecheck(&["check", "--format", "json", "--output", baseline.to_str().unwrap(), plan]);
    assert_eq!(code(&first), 1, "the worked examples have violations");
    let with_baseline = |format: &str| {
        clausecheck(&[
            "check",
            "--color",
            "never",
            "--format",
            format,
            "--baseline",
            baseline.to_str().unwrap(),
            plan,
        ])
    };
    let again = with_baseline("json");
    assert_eq!(code(&again), 0, "{}", transcript(&again));
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(json["summary"]["violated"], 0);
    assert!(json["summary"]["known"].as_u64().unwrap() > 0);

    // One new violating deployment, appended.
    let mut text = std::fs::read_to_string(plan).unwrap();
    text.push_str("\n  - id: brand-new-violation\n    party: openai\n    product: api\n    cloud: aws\n    date: 2025-06-01\n");
    std::fs::write(plan, text).unwrap();
    let after = with_baseline("json");
    assert_eq!(code(&after), 1);
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    let violated: Vec<&str> = json["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["outcome"] == "violated")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(violated, ["brand-new-violation"]);
    let text = stdout(&with_baseline("text"));
    let marked: Vec<&str> = text.lines().filter(|l| l.starts_with('✗')).collect();
    assert_eq!(marked.len(), 1, "{text}");
    assert!(marked[0].starts_with("✗ brand-new-violation"), "{text}");
    let sarif: serde_json::Value = serde_json::from_slice(&with_baseline("sarif").stdout).unwrap();
    let new: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .collect();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["properties"]["deployment"], "brand-new-violation");
}

/// Runs the binary in `dir`, with the CI rules.
fn check_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_clausecheck"))
        .args(["check", "--color", "never", "--rules"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(RULES))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn baseline_entries_that_are_fixed_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(PLAN, dir.path().join("plan.yaml")).unwrap();
    let first = check_in(dir.path(), &["--format", "json", "--output", "baseline.json", "plan.yaml"]);
    assert_eq!(code(&first), 1);
    let same = check_in(dir.path(), &["--baseline", "baseline.json", "plan.yaml"]);
    assert_eq!(code(&same), 0, "every violation known: {}", transcript(&same));
    assert!(!stdout(&same).contains("fixed since"), "nothing is fixed yet");
    // db-aws moves to Azure: its violation is fixed.
    let text = std::fs::read_to_string(PLAN).unwrap();
    let moved = text.replace("cloud: aws\n    date: 2026-08-01", "cloud: azure\n    date: 2026-08-01");
    assert_ne!(moved, text);
    std::fs::write(dir.path().join("plan.yaml"), moved).unwrap();
    let out = check_in(dir.path(), &["--baseline", "baseline.json", "plan.yaml"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out)
            .contains("fixed since the baseline baseline.json:\n    ✓ plan.yaml › db-aws: deal.azure_only\n"),
        "{}",
        stdout(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(
        &check_in(dir.path(), &["--format", "json", "--baseline", "baseline.json", "plan.yaml"]).stdout,
    )
    .unwrap();
    assert_eq!(
        json["baseline"]["fixed"],
        serde_json::json!([{"plan": "plan.yaml", "id": "db-aws", "agreement": "deal", "clause": "azure_only"}])
    );
    assert_eq!(json["summary"]["known"], 2, "web-aws and db-gcp; web-market is advisory first");
    assert_eq!(json["summary"]["advisory"], 1);
}

#[test]
fn a_baseline_that_is_not_a_report_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, "{\"deployments\": [ {\"id\": 3} ]}").unwrap();
    let out = clausecheck(&[
        "check",
        "--color",
        "never",
        "--baseline",
        baseline.to_str().unwrap(),
        "examples/allowed.json",
    ]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("baseline.json:1:"), "{stderr}");
    assert!(stderr.contains("bad-baseline"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Several reports from one run; quiet

#[test]
fn several_reports_from_one_run_are_the_reports_of_separate_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = |f: &str| dir.path().join(f).to_str().unwrap().to_owned();
    let formats = ["json", "ndjson", "markdown", "junit", "sarif", "github", "html"];
    let mut args: Vec<String> =
        ["check", "--color", "never", "--rules", RULES, "--waivers", WAIVERS, "--today", "2026-09-01"]
            .map(String::from)
            .to_vec();
    for f in formats {
        args.push("--output-format".into());
        args.push(format!("{f}={}", file(f)));
    }
    args.push(PLAN.into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let together = clausecheck(&args);
    assert_eq!(code(&together), 1);
    assert_eq!(
        stdout(&together),
        stdout(&ci("text", "2026-09-01", &[])),
        "the main report is text on stdout"
    );
    for f in formats {
        let alone = ci(f, "2026-09-01", &[]);
        assert_eq!(std::fs::read(file(f)).unwrap(), alone.stdout, "{f}");
    }
}

#[test]
fn output_format_names_a_format_and_a_file() {
    for (bad, says) in
        [("sarif", "is not FORMAT=FILE"), ("sarff=x.sarif", "is not a format"), ("sarif=", "names no file")]
    {
        let out = clausecheck(&["check", "--output-format", bad, "examples/allowed.json"]);
        assert_eq!(code(&out), 2, "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{bad}");
    }
    let out =
        clausecheck(&["check", "--output-format", "json=examples/allowed.json", "examples/allowed.json"]);
    assert_eq!(code(&out), 2, "never overwrites a plan");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r").to_str().unwrap().to_owned();
    let out = clausecheck(&[
        "check",
        "--output",
        &f,
        "--output-format",
        &format!("sarif={f}"),
        "examples/allowed.json",
    ]);
    assert_eq!(code(&out), 2, "two reports to one file");
}

#[test]
fn quiet_keeps_the_exit_status_and_the_machine_reports_whole() {
    let out = ci("text", "2026-09-01", &["--quiet"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    assert!(stdout(&out).starts_with("summary: 5 deployments"));
    let sarif = ci("sarif", "2026-09-01", &["--quiet"]);
    assert_eq!(sarif.stdout, ci("sarif", "2026-09-01", &[]).stdout, "SARIF never drops results");
    let markdown = stdout(&ci("markdown", "2026-09-01", &["--quiet"]));
    assert!(
        markdown.starts_with("## ❌ clausecheck: 1 of 5 deployments violated") && !markdown.contains("### "),
        "{markdown}"
    );
}
