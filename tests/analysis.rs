//! `lint`, `explain` and `check --warn-within` through the real binary, snapshot-tested.

mod common;
use common::bin::{clausecheck, code, stdout};

use std::process::Output;

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

const PLANTED: &str = "tests/fixtures/lint/planted.terms";

#[test]
fn lint_finds_the_planted_conflict_dead_rules_and_expired_window() {
    let out = clausecheck(&["lint", "--rules", PLANTED, "--today", "2026-11-27", "--format", "json"]);
    assert_eq!(code(&out), 0, "findings do not fail without --deny");
    let report = json(&out);
    let findings = report["findings"].as_array().unwrap();
    let with =
        |code: &str| -> Vec<&serde_json::Value> { findings.iter().filter(|f| f["code"] == code).collect() };
    let conflict = with("conflict");
    assert!(
        conflict.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("`cloud_ok` permits deployments that clause `no_db` forbids")
            && f["example"] == "any party · db · aws · 2020-01-01"),
        "{conflict:?}"
    );
    let dead: Vec<&str> = with("dead-rule").iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(
        dead,
        ["a rule of clause `never` can never apply", "a rule of clause `too_early` can never apply"]
    );
    let expired: Vec<&str> = with("expired").iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(
        expired,
        ["the forbid of clause `old_window` no longer applies: no deployment from today (2026-11-27) on meets it"]
    );
    assert_eq!(with("unused-param").len(), 1);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn lint_text_shows_each_finding_in_place() {
    let out = clausecheck(&["lint", "--rules", PLANTED, "--today", "2026-11-27", "--color", "never"]);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn lint_deny_warnings_fails_on_warnings_only() {
    let out = clausecheck(&["lint", "--rules", PLANTED, "--today", "2026-11-27", "--deny", "warnings"]);
    assert_eq!(code(&out), 1);
    let clean = clausecheck(&[
        "lint",
        "--rules",
        "tests/fixtures/lint/clean.terms",
        "--deny",
        "warnings",
        "--today",
        "2026-11-27",
    ]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(stdout(&clean).ends_with("lint: 0 warnings, 0 notes\n"), "{}", stdout(&clean));
}

#[test]
fn expired_terms_depend_on_today() {
    let expired = |today: &str| -> usize {
        let r = json(&clausecheck(&["lint", "--rules", PLANTED, "--today", today, "--format", "json"]));
        r["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "expired").count()
    };
    assert_eq!(expired("2024-06-01"), 0, "the window of `old_window` is still open in 2024");
    assert_eq!(expired("2025-01-01"), 1, "and closed from 2025");
}

#[test]
fn lint_on_the_bundled_rules_reports_what_is_really_there() {
    let out = clausecheck(&["lint", "--today", "2026-11-27", "--format", "json"]);
    let report = json(&out);
    let codes: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        [
            "expired",
            "assumption-decides",
            "redundant",
            "conflict",
            "conflict",
            "unused-value",
            "unused-value",
            "unused-value",
            "unused-value"
        ]
    );
    let text = clausecheck(&["lint", "--today", "2026-11-27", "--color", "never"]);
    insta::assert_snapshot!(stdout(&text));
}

#[test]
fn explain_a_licence_deployment_in_2031_changes_on_2033_01_01() {
    let args = ["explain", "party=microsoft", "product=models", "cloud=azure", "date=2031-06-01"];
    let text = clausecheck(&args);
    assert_eq!(code(&text), 0);
    let t = stdout(&text);
    assert!(t.contains("next change: allowed through 2032-12-31; violated from 2033-01-01 by msft_openai_2026.nonexclusive_licence"), "{t}");
    insta::assert_snapshot!("explain_licence_2031_text", t);
    let j = clausecheck(&[&args[..], &["--format", "json"]].concat());
    let data = json(&j);
    assert_eq!(data["next_change"]["date"], "2033-01-01");
    assert_eq!(data["next_change"]["violated_by"][0], "msft_openai_2026.nonexclusive_licence");
    insta::assert_snapshot!("explain_licence_2031_json", stdout(&j));
}

#[test]
fn explain_an_original_terms_aws_deployment_changes_when_the_new_terms_take_effect() {
    let args = ["explain", "--plan", "tests/fixtures/explain/api-plan.yaml", "--id", "api-aws"];
    let text = clausecheck(&args);
    assert_eq!(code(&text), 1, "violated on its date");
    let t = stdout(&text);
    assert!(t.contains("next change: violated through 2026-04-26; allowed from 2026-04-27"), "{t}");
    insta::assert_snapshot!("explain_api_aws_2025_text", t);
    let j = clausecheck(&[&args[..], &["--format", "json"]].concat());
    let data = json(&j);
    assert_eq!(data["next_change"]["date"], "2026-04-27");
    assert_eq!(data["next_change"]["verdict"], "allowed");
    insta::assert_snapshot!("explain_api_aws_2025_json", stdout(&j));
}

#[test]
fn explain_reports_bad_facts_like_a_plan_record() {
    let out = clausecheck(&["explain", "party=openai", "product=api", "cloud=azrue", "date=2026-06-01"]);
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown cloud `azrue`") && err.contains("did you mean `azure`?"), "{err}");
    assert_eq!(code(&clausecheck(&["explain"])), 2);
    assert_eq!(
        code(&clausecheck(&["explain", "--plan", "tests/fixtures/explain/api-plan.yaml", "--id", "nope"])),
        2
    );
}

#[test]
fn warn_within_flags_a_licence_about_to_expire() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        "deployments:\n  - {id: late, party: microsoft, product: models, cloud: azure, date: 2032-12-01}\n  \
         - {id: early, party: microsoft, product: models, cloud: azure, date: 2032-01-01}\n",
    )
    .unwrap();
    let plan = plan.to_str().unwrap();
    let out = clausecheck(&["check", "--warn-within", "60", "--format", "json", plan]);
    assert_eq!(code(&out), 0, "warnings alone do not fail");
    let report = json(&out);
    assert_eq!(report["summary"]["warnings"], 1);
    assert_eq!(report["deployments"][0]["warning"]["violated_from"], "2033-01-01");
    assert_eq!(report["deployments"][0]["warning"]["days"], 31);
    assert!(report["deployments"][1].get("warning").is_none());
    assert_eq!(code(&clausecheck(&["check", "--warn-within", "60", "--deny", "warnings", plan])), 1);
    assert_eq!(
        code(&clausecheck(&["check", "--warn-within", "30", "--deny", "warnings", plan])),
        0,
        "31 days is beyond 30"
    );
    let text = clausecheck(&["check", "--warn-within", "60", "--color", "never", plan]);
    assert!(stdout(&text).contains(
        "warning: becomes violated on 2033-01-01 (31 days later) by msft_openai_2026.nonexclusive_licence"
    ));
}

#[test]
fn lint_finds_a_shadowed_permit_and_a_redundant_forbid() {
    let out = clausecheck(&[
        "lint",
        "--rules",
        "tests/fixtures/lint/shadowed.terms",
        "--today",
        "2026-11-27",
        "--format",
        "json",
    ]);
    let report = json(&out);
    let found: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("shadowed", "the permit of clause `db_on_aws` never decides: wherever it applies, another clause is violated"),
            ("redundant", "the forbid of clause `no_db_on_aws` is redundant: `no_aws` already forbids every deployment it does"),
        ]
    );
}

#[test]
fn warn_within_text_output() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        "deployments:\n  - {id: late, party: microsoft, product: models, cloud: azure, date: 2032-12-01}\n",
    )
    .unwrap();
    let out = clausecheck(&["check", "--warn-within", "60", "--color", "never", plan.to_str().unwrap()]);
    insta::assert_snapshot!(stdout(&out));
}

/// Lint findings `(code, message)` for a rule text written to a temporary file.
fn lint_text(rules: &str, today: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.terms");
    std::fs::write(&file, rules).unwrap();
    let out = clausecheck(&["lint", "--rules", file.to_str().unwrap(), "--today", today, "--format", "json"]);
    json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
        .collect()
}

const VOCAB: &str = "vocabulary {\n  party alpha, beta\n  product app, db\n  cloud azure, aws\n}\n";

#[test]
fn a_forbid_that_an_exception_always_overrides_beats_no_permit() {
    let rules = format!(
        "{VOCAB}agreement deal \"Deal\" {{\n  effective 2020-01-01\n  default allow\n\
         clause x \"X\" {{ quote \"x\" permit when cloud = aws }}\n\
         clause y \"Y\" {{ quote \"y\" forbid when cloud = aws }}\n\
         clause z \"Z\" {{ quote \"z\" exception to y permit when cloud = aws }}\n\
         clause d \"D\" {{ quote \"d\" forbid when cloud = azure and not launched(cloud = azure) }}\n}}\n"
    );
    let found = lint_text(&rules, "2024-01-01");
    assert!(!found.iter().any(|(code, _)| code == "shadowed" || code == "conflict"), "{found:?}");
    assert!(
        found.contains(&("dead-rule".into(), "a rule of clause `d` can never apply".into())),
        "an azure deployment always finds itself: {found:?}"
    );
}

#[test]
fn conflicts_between_agreements_in_force_together_are_found() {
    let rules = format!(
        "{VOCAB}agreement one \"One\" {{\n  effective 2020-01-01\n  default allow\n\
         clause p \"P\" {{ quote \"p\" permit when product = app }}\n}}\n\
         agreement two \"Two\" {{\n  effective 2020-01-01\n  default allow\n\
         clause f \"F\" {{ quote \"f\" forbid when product = app and cloud = aws }}\n}}\n"
    );
    let found = lint_text(&rules, "2024-01-01");
    assert!(
        found.contains(&(
            "conflict".into(),
            "clause `p` permits deployments that clause `f` of agreement `two` forbids".into()
        )),
        "{found:?}"
    );
}

#[test]
fn an_assumption_decides_only_what_moving_it_changes() {
    let rules = "vocabulary {\n  party alpha, beta\n  cloud azure, aws\n}\n\
         agreement one \"One\" {\n  parties alpha\n  effective 2020-01-01 assumed \"reported\"\n  default allow\n\
         clause late \"Late\" { quote \"l\" forbid when cloud = aws and date after 2030 }\n}\n\
         agreement two \"Two\" {\n  parties beta\n  effective 2020-01-01\n  default allow\n\
         clause h \"H\" { quote \"h\" forbid when cloud = aws }\n}\n";
    let found = lint_text(rules, "2024-01-01");
    assert!(
        !found.iter().any(|(code, _)| code == "assumption-decides"),
        "agreement `two` causes that change: {found:?}"
    );
}

#[test]
fn a_deployment_moved_later_is_not_its_own_earlier_launch() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.terms");
    std::fs::write(
        &rules,
        "vocabulary {\n  party alpha\n  product app, db\n}\nagreement deal \"Deal\" {\n  effective 2020-01-01\n  default allow\n  \
         clause once \"Once\" {\n    quote \"a product launches once\"\n    forbid when launched(product) before date\n  }\n}\n",
    )
    .unwrap();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(&plan, "deployments:\n  - {id: x, party: alpha, product: app, date: 2021-01-01}\n")
        .unwrap();
    let (rules, plan) = (rules.to_str().unwrap(), plan.to_str().unwrap());
    let out = clausecheck(&["check", "--rules", rules, "--warn-within", "5", "--deny", "warnings", plan]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let explained = clausecheck(&["explain", "--rules", rules, "--plan", plan, "--id", "x"]);
    assert!(stdout(&explained).contains("no later date changes this verdict"), "{}", stdout(&explained));
}

/// 64 relations and a 70-value field: about 10^40 kinds of deployment, which enumeration gave up
/// on; the decision diagrams examine them exactly.
fn many_relations() -> String {
    let zones: Vec<String> = (0..70).map(|i| format!("v{i}")).collect();
    let requires: String =
        (0..64).map(|i| format!("    require launched(zone = v{i}) when party = a\n")).collect();
    format!(
        "vocabulary {{\n  party a, b\n  zone {}\n}}\nagreement d \"D\" {{\n  effective 2020-01-01\n  default allow\n  \
         clause c \"C\" {{\n    quote \"q\"\n{requires}  }}\n  clause never \"N\" {{\n    quote \"n\"\n    \
         forbid when zone = v1 and zone = v2\n  }}\n}}\n",
        zones.join(", ")
    )
}

#[test]
fn a_space_too_large_to_enumerate_is_examined_exactly() {
    let found = lint_text(&many_relations(), "2024-01-01");
    assert!(!found.iter().any(|(code, _)| code == "too-large"), "{found:?}");
    assert!(
        found.contains(&("dead-rule".into(), "a rule of clause `never` can never apply".into())),
        "{found:?}"
    );
}

#[test]
fn the_node_limit_is_a_warning_that_fails_deny_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rules.terms");
    std::fs::write(&file, many_relations()).unwrap();
    let rules = file.to_str().unwrap();
    let args = ["lint", "--rules", rules, "--today", "2024-01-01", "--max-nodes", "300"];
    let out = clausecheck(&[&args[..], &["--format", "json"]].concat());
    let report = json(&out);
    let too_large: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "too-large").collect();
    assert_eq!(too_large.len(), 1, "{report}");
    assert_eq!(too_large[0]["level"], "warning");
    assert_eq!(
        too_large[0]["message"],
        "agreement `d` was not examined for conflicts, deadlocks, dead and redundant rules: the analysis needs \
         more than 300 decision-diagram nodes"
    );
    assert_eq!(code(&clausecheck(&[&args[..], &["--deny", "warnings"]].concat())), 1);
    let enough = clausecheck(&["lint", "--rules", rules, "--today", "2024-01-01", "--deny", "warnings"]);
    assert_eq!(code(&enough), 1, "the dead rule is a warning too");
    assert!(!stdout(&enough).contains("too-large"), "{}", stdout(&enough));
}

#[test]
fn a_field_with_more_values_than_ids_can_hold_is_an_error() {
    let values: Vec<String> = (0..70_000).map(|i| format!("v{i}")).collect();
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("huge.terms");
    std::fs::write(&rules, format!("vocabulary {{\n  party a\n  zone {}\n}}\n", values.join(", "))).unwrap();
    let out = clausecheck(&["check", "--rules", rules.to_str().unwrap(), "examples/allowed.json"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("field `zone` has 70000 entries; at most 65535 are allowed"));
}

const DEADLOCK: &str = "tests/fixtures/lint/deadlock.terms";

#[test]
fn lint_finds_a_deadlock_between_agreements_whether_written_as_a_forbid_or_a_default_deny() {
    let out = clausecheck(&["lint", "--rules", DEADLOCK, "--today", "2026-11-27", "--format", "json"]);
    let report = json(&out);
    let deadlocks: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "deadlock").collect();
    let seen: Vec<(&str, &str, &str)> = deadlocks
        .iter()
        .map(|f| {
            (
                f["message"].as_str().unwrap(),
                f["example"].as_str().unwrap(),
                f["related"][0]["label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "the requirement of clause `debut_first` cannot be met without breaking another agreement: \
                 `stratus_deal.stratus_only`",
                "helix · any product · stratus · any region · 2026-01-01",
                "`stratus_deal.stratus_only` breaks what it needs"
            ),
            (
                "the requirement of clause `debut_first` cannot be met without breaking another agreement: \
                 `cirrus_deal.default`",
                // Sensors may debut on Nimbus (`cirrus_sensor`): only the assistant is stuck.
                "helix · assistant · cirrus · any region · 2027-01-01",
                "`cirrus_deal` denies it by default"
            ),
        ]
    );
    assert!(deadlocks.iter().all(|f| f["level"] == "warning" && f["line"] == 22), "{deadlocks:?}");
    assert_eq!(
        code(&clausecheck(&["lint", "--rules", DEADLOCK, "--today", "2026-11-27", "--deny", "warnings"])),
        1
    );
    let text = clausecheck(&["lint", "--rules", DEADLOCK, "--today", "2026-11-27", "--color", "never"]);
    insta::assert_snapshot!(stdout(&text));
}

const HOSTING: &str = "vocabulary {\n  party helix, orbit\n  product app, db\n  cloud nimbus, stratus, cirrus\n  \
                       region north, south\n}\n\
                       agreement launch \"Launch\" {\n  effective 2025-01-01\n  default allow\n  \
                       clause debut \"Debut\" {\n    quote \"d\"\n    \
                       require launched(product, party, cloud = nimbus) on or before date when cloud != nimbus\n  }\n}\n";

#[test]
fn a_deadlock_that_two_agreements_make_only_together_is_found() {
    let rules = format!(
        "{HOSTING}agreement north \"North\" {{\n  effective 2025-01-01\n  default allow\n  \
         clause n \"N\" {{ quote \"n\" forbid when region = north and cloud != stratus }}\n}}\n\
         agreement south \"South\" {{\n  effective 2025-01-01\n  default allow\n  \
         clause s \"S\" {{ quote \"s\" forbid when region = south and cloud != cirrus }}\n}}\n"
    );
    let found = lint_text(&rules, "2026-01-01");
    let deadlocks: Vec<&str> =
        found.iter().filter(|(c, _)| c == "deadlock").map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        deadlocks,
        ["the requirement of clause `debut` cannot be met without breaking another agreement: `north.n`, `south.s`"]
    );
}

#[test]
fn a_requirement_another_agreement_lets_through_is_no_deadlock() {
    let exclusive = "agreement only \"Only Stratus\" {\n  effective 2025-01-01\n  default allow\n  \
                     clause stratus \"S\" { quote \"s\" forbid when cloud != stratus }\n";
    // The exclusive deal itself allows the debut...
    let carve_out = format!(
        "{HOSTING}{exclusive}  clause debuts \"D\" {{ quote \"d\" exception to stratus permit when cloud = nimbus }}\n}}\n"
    );
    let found = lint_text(&carve_out, "2026-01-01");
    assert!(!found.iter().any(|(c, _)| c == "deadlock"), "{found:?}");
    // ...or the launch deal declares an exception to it, across agreements.
    let amended = format!("{HOSTING}{exclusive}}}\n").replace(
        "  clause debut \"Debut\" {",
        "  clause debut_ok \"OK\" { quote \"o\" exception to only.stratus permit when cloud = nimbus }\n  \
         clause debut \"Debut\" {",
    );
    let found = lint_text(&amended, "2026-01-01");
    assert!(!found.iter().any(|(c, _)| c == "deadlock"), "{found:?}");
    // Without either, it is one.
    let found = lint_text(&format!("{HOSTING}{exclusive}}}\n"), "2026-01-01");
    assert!(found.iter().any(|(c, _)| c == "deadlock"), "{found:?}");
}

#[test]
fn a_permit_against_another_agreements_default_deny_is_a_conflict() {
    let rules = format!(
        "{VOCAB}agreement one \"One\" {{\n  effective 2020-01-01\n  default allow\n\
         clause p \"P\" {{ quote \"p\" permit when cloud = aws }}\n}}\n\
         agreement two \"Two\" {{\n  effective 2022-01-01\n  default deny\n\
         clause azure \"A\" {{ quote \"a\" permit when cloud = azure }}\n}}\n"
    );
    let found = lint_text(&rules, "2024-01-01");
    assert!(
        found.contains(&(
            "conflict".into(),
            "clause `p` permits deployments that agreement `two` denies by default".into()
        )),
        "{found:?}"
    );
}

#[test]
fn a_rule_waiting_for_an_event_without_a_date_is_a_note_until_the_event_is_dated() {
    let rules = "tests/fixtures/rules/ok/events.terms";
    let found = |events: Option<&str>| -> Vec<(String, String, String)> {
        let mut args = vec!["lint", "--rules", rules, "--today", "2026-11-27", "--format", "json"];
        args.extend(events.map(|e| ["--events", e]).into_iter().flatten());
        json(&clausecheck(&args))["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap().to_string();
                (s("code"), s("level"), s("message"))
            })
            .collect()
    };
    let undated = found(None);
    let note = |code: &str, message: &str| (code.to_string(), "note".to_string(), message.to_string());
    assert_eq!(
        undated,
        [
            note(
                "never-in-force",
                "agreement `after_merger` is not in force until `merger_approved` happens"
            ),
            note(
                "dead-rule",
                "a rule of clause `stratus_after_milestone` cannot apply until `milestone_verified` happens"
            ),
            note(
                "dead-rule",
                "a rule of clause `stratus_from_milestone` cannot apply until `milestone_verified` happens"
            ),
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.yaml");
    std::fs::write(&events, "merger_approved: 2027-03-01\nmilestone_verified: 2026-06-01\n").unwrap();
    let dated = found(events.to_str());
    assert!(!dated.iter().any(|(code, _, _)| code == "dead-rule" || code == "never-in-force"), "{dated:?}");
}

#[test]
fn clauses_with_their_own_periods_are_linted_by_them() {
    let rules = format!(
        "{VOCAB}agreement deal \"Deal\" {{\n  effective 2020-01-01\n  ends 2030-12-31\n  default allow\n\
         clause late \"Late\" {{ quote \"l\" effective 2031-01-01 forbid when cloud = aws }}\n\
         clause over \"Over\" {{ quote \"o\" ends 2022-12-31 forbid when cloud = azure }}\n}}\n"
    );
    let found = lint_text(&rules, "2024-01-01");
    assert_eq!(
        found,
        [
            ("never-in-force".to_string(), "clause `late` is never in force".to_string()),
            (
                "expired".to_string(),
                "clause `over` ended on 2022-12-31, before today (2024-01-01)".to_string()
            ),
            ("unused-value".to_string(), "no rule names these values of `party`: alpha, beta".to_string()),
            ("unused-value".to_string(), "no rule names these values of `product`: app, db".to_string()),
        ]
    );
}
