//! Events given with a run, end to end: `--events FILE`, a plan document's `events`, their errors,
//! and the example rule set of examples/amendment/ (events, classes, extend, durations,
//! cross-agreement exceptions and clause supersession) with its plan and expected verdicts.

mod common;
use common::bin::{clausecheck, code, stdout, transcript};

const RULES: &str = "examples/amendment";
const PLAN: &str = "examples/amendment/plan.yaml";

fn write(name: &str, text: &str) -> tempfile::TempPath {
    let file = tempfile::Builder::new().suffix(name).tempfile().expect("temp file");
    std::fs::write(file.path(), text).expect("write");
    file.into_temp_path()
}

fn verdicts(json: &serde_json::Value) -> Vec<(String, String)> {
    json["deployments"]
        .as_array()
        .expect("deployments")
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_owned(), d["verdict"].as_str().unwrap().to_owned()))
        .collect()
}

fn verdict_of(args: &[&str], id: &str) -> String {
    let out = clausecheck(args);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    verdicts(&json).into_iter().find(|(d, _)| d == id).map(|(_, v)| v).expect("the deployment")
}

#[test]
fn the_amendment_example_gives_its_expected_verdicts() {
    let out = clausecheck(&["check", "--color", "never", "--rules", RULES, PLAN]);
    assert_eq!(code(&out), 1, "some deployments are violated, none is an error");
    insta::assert_snapshot!("amendment_text", transcript(&out));
    let out = clausecheck(&["check", "--format", "json", "--rules", RULES, PLAN]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    // The edges, written out independently of the report: the day before and the day of each
    // date that matters.
    let want = [
        ("api-stratus-0531", "violated"),
        ("api-stratus-0601", "allowed"),
        ("embeddings-stratus-0228", "allowed"),
        ("embeddings-stratus-0301", "violated"),
        ("assistant-stratus", "violated"),
        ("vision-cirrus-day90", "allowed"),
        ("vision-cirrus-day91", "violated"),
        ("box-market-0531", "violated"),
        ("box-market-0601", "allowed"),
        ("assistant-stratus-2031-02-28", "violated"),
        ("assistant-stratus-2031-03-01", "allowed"),
        ("orbit-nimbus-2029-08-31", "violated"),
        ("orbit-nimbus-2029-09-01", "allowed"),
        ("orbit-sensor", "violated"),
    ];
    let got = verdicts(&json);
    for (id, verdict) in want {
        let found = got.iter().find(|(d, _)| d == id).unwrap_or_else(|| panic!("{id} is reported"));
        assert_eq!(found.1, verdict, "{id}");
    }
}

#[test]
fn the_amendment_examples_cases_pass() {
    let out = clausecheck(&["test", "--color", "never", "--rules", RULES, "examples/amendment/tests/"]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    assert!(stdout(&out).contains("8 passed, 0 failed"), "{}", stdout(&out));
}

#[test]
fn an_events_file_dates_events_and_changes_verdicts() {
    let stratus = ["--rules", RULES, "--format", "json"];
    let plan = write(
        ".yaml",
        "deployments:\n  - { id: nimbus, party: helix, product: api, cloud: nimbus, date: 2026-06-01 }\n  \
         - { id: s, party: helix, product: api, cloud: stratus, date: 2027-06-01 }\n",
    );
    let plan = plan.to_str().unwrap();
    // No date: the merger has not happened, so Stratus is still allowed.
    assert_eq!(verdict_of(&[&["check"], &stratus[..], &[plan]].concat(), "s"), "allowed");
    let events = write(".yaml", "merger_approved: 2027-03-01\nmilestone_verified: unknown\n");
    let events = events.to_str().unwrap();
    assert_eq!(
        verdict_of(&[&["check", "--events", events], &stratus[..], &[plan]].concat(), "s"),
        "violated"
    );
    // The merger dated after the deployment leaves it allowed.
    let later = write(".yaml", "merger_approved: 2027-06-02\n");
    let later = later.to_str().unwrap();
    assert_eq!(verdict_of(&[&["check", "--events", later], &stratus[..], &[plan]].concat(), "s"), "allowed");
}

#[test]
fn an_undated_event_is_listed_as_an_assumption() {
    let out = clausecheck(&["check", "--color", "never", "--rules", RULES, PLAN]);
    let text = stdout(&out);
    assert!(text.contains("assumes `milestone_verified` has not happened"), "{text}");
    assert!(!text.contains("assumes `merger_approved`"), "the plan dates the merger: {text}");
}

#[test]
fn bad_events_are_located_errors_and_nothing_is_checked() {
    let events = write(".yaml", "merger_aproved: 2027-03-01\nmilestone_verified: 2027-02\n");
    let out = clausecheck(&[
        "check",
        "--color",
        "never",
        "--rules",
        RULES,
        "--events",
        events.to_str().unwrap(),
        PLAN,
    ]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty(), "nothing is checked");
    let stderr = String::from_utf8_lossy(&out.stderr).replace(events.to_str().unwrap(), "EVENTS");
    assert!(stderr.contains("`2027-02` is not a day for `milestone_verified`"), "{stderr}");
    insta::assert_snapshot!("bad_events", stderr);
    let out = clausecheck(&["check", "--rules", RULES, "--events", "no-such-events.yaml", PLAN]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no events file `no-such-events.yaml`"));
}

#[test]
fn an_unknown_event_in_the_file_gets_a_did_you_mean() {
    // Every day valid, one name misspelt: the resolver places it in the events file.
    let events = write(".yaml", "merger_aproved: 2027-03-01\n");
    let out = clausecheck(&[
        "check",
        "--color",
        "never",
        "--rules",
        RULES,
        "--events",
        events.to_str().unwrap(),
        PLAN,
    ]);
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown event `merger_aproved`"), "{stderr}");
    assert!(stderr.contains("did you mean `merger_approved`?"), "{stderr}");
}

#[test]
fn explain_names_the_event_that_would_change_a_verdict() {
    let out = clausecheck(&[
        "explain",
        "--rules",
        RULES,
        "party=helix",
        "product=vision",
        "cloud=cirrus",
        "date=2027-02-01",
    ]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(text.contains("changes to allowed when `merger_approved` happens"), "{text}");
    assert!(text.contains("no day: `merger_approved` has not happened"), "{text}");
    // Dated, the merger opened the window: allowed, and nothing pending changes it back.
    let events = write(".yaml", "merger_approved: 2027-01-15\n");
    let out = clausecheck(&[
        "explain",
        "--rules",
        RULES,
        "--events",
        events.to_str().unwrap(),
        "party=helix",
        "product=vision",
        "cloud=cirrus",
        "date=2027-02-01",
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn explain_shows_computed_dates() {
    let out = clausecheck(&[
        "explain",
        "--rules",
        RULES,
        "party=helix",
        "product=assistant",
        "cloud=nimbus",
        "date=2030-01-01",
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("ends 2031-02-28 (the day before 2031-03-01, 7 years after effective (2024-03-01))"),
        "{text}"
    );
}

#[test]
fn warn_within_names_the_event_that_would_violate_an_allowed_deployment() {
    let plan = write(
        ".yaml",
        "deployments:\n  - { id: nimbus, party: helix, product: api, cloud: nimbus, date: 2026-06-01 }\n  \
         - { id: s, party: helix, product: api, cloud: stratus, date: 2027-06-01 }\n",
    );
    let plan = plan.to_str().unwrap();
    let out = clausecheck(&["check", "--color", "never", "--rules", RULES, "--warn-within", "30", plan]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "warnings do not fail without --deny warnings: {text}");
    assert!(
        text.contains("warning: becomes violated when `merger_approved` happens (it has no date yet) by partnership_2024.nimbus_exclusive"),
        "{text}"
    );
    assert_eq!(text.matches("warning:").count(), 1, "the Nimbus deployment rests on no event: {text}");
    let out = clausecheck(&["check", "--rules", RULES, "--warn-within", "30", "--deny", "warnings", plan]);
    assert_eq!(code(&out), 1, "--deny warnings fails on it");
    // Dated (after the deployment), the merger is a date like any other: no event warning, and
    // the date change is beyond 30 days.
    let events = write(".yaml", "merger_approved: 2027-12-01\nmilestone_verified: 2030-01-01\n");
    let out = clausecheck(&[
        "check",
        "--color",
        "never",
        "--rules",
        RULES,
        "--warn-within",
        "30",
        "--events",
        events.to_str().unwrap(),
        plan,
    ]);
    assert!(!stdout(&out).contains("warning:"), "{}", stdout(&out));
}
