//! One test per semantic rule of docs/language.md, named after its section.

mod common;
use common::*;

/// An agreement wrapper: `effective 2020-01-01`, binds alpha and beta, `default allow`.
fn agreement(clauses: &str) -> String {
    format!("agreement deal \"Deal\" {{\n parties alpha, beta\n effective 2020-01-01\n default allow\n{clauses}\n}}")
}

const D: &str = "party: alpha, product: app, cloud: aws, date: 2026-06-01";

#[test]
fn permit_matches_gives_allowed() {
    let r = check(
        &agreement(r#"clause p "P" { quote "q" permit when cloud = aws }"#),
        &[&format!("{{id: a, {D}}}")],
    );
    assert_eq!(status(&r, "a", "p"), "allowed");
    assert_eq!(verdict(&r, "a"), "allowed");
}

#[test]
fn forbid_beats_permit_in_another_clause() {
    let rules = agreement(
        r#"clause p "P" { quote "q" permit when party = alpha }
           clause f "F" { quote "q" forbid when cloud = aws }"#,
    );
    let r = check(&rules, &[&format!("{{id: a, {D}}}")]);
    assert_eq!(terms(&r, "a"), [("p".into(), "allowed".into()), ("f".into(), "violated".into())]);
    assert_eq!(verdict(&r, "a"), "violated");
}

#[test]
fn require_is_satisfied_or_violated() {
    let rules = agreement(r#"clause r "R" { quote "q" require channel = market when cloud = aws }"#);
    let r = check(
        &rules,
        &[&format!("{{id: ok, channel: market, {D}}}"), &format!("{{id: bad, channel: direct, {D}}}")],
    );
    assert_eq!(status(&r, "ok", "r"), "satisfied");
    assert_eq!(status(&r, "bad", "r"), "violated");
    assert!(common::deployment(&r, "bad").terms[0]
        .reason
        .contains("which does not hold (channel is direct)"));
}

#[test]
fn unless_makes_a_rule_not_apply() {
    let rules = agreement(r#"clause f "F" { quote "q" forbid when cloud = aws unless waived }"#);
    let r = check(&rules, &[&format!("{{id: w, waived: true, {D}}}"), &format!("{{id: n, {D}}}")]);
    assert_eq!(status(&r, "w", "f"), "not_applicable");
    assert!(common::deployment(&r, "w").terms[0].reason.contains("unless waived"));
    assert_eq!(status(&r, "n", "f"), "violated");
}

#[test]
fn a_matched_exception_overrides_the_clause_it_names() {
    let rules = agreement(
        r#"clause f "F" { quote "q" forbid when cloud = aws }
           clause e "E" { quote "q" exception to f  permit when product = app }"#,
    );
    let r = check(
        &rules,
        &[&format!("{{id: a, {D}}}"), "{id: b, party: alpha, product: db, cloud: aws, date: 2026-06-01}"],
    );
    assert_eq!(terms(&r, "a"), [("f".into(), "overridden".into()), ("e".into(), "allowed".into())]);
    assert_eq!(verdict(&r, "a"), "allowed");
    assert_eq!(status(&r, "b", "f"), "violated", "the exception does not match db");
}

#[test]
fn an_overridden_exception_overrides_nothing() {
    let rules = agreement(
        r#"clause f "F" { quote "q" forbid when cloud = aws }
           clause e "E" { quote "q" exception to f  permit when product = app }
           clause g "G" { quote "q" exception to e  forbid when party = alpha }"#,
    );
    let r = check(&rules, &[&format!("{{id: a, {D}}}")]);
    assert_eq!(
        terms(&r, "a"),
        [("f".into(), "violated".into()), ("e".into(), "overridden".into()), ("g".into(), "violated".into())]
    );
}

#[test]
fn default_deny_violates_what_no_clause_allows() {
    let rules = r#"agreement strict "Strict" {
        parties alpha, beta
        effective 2020-01-01
        default deny
        clause p "P" { quote "q" permit when cloud = azure }
    }"#;
    let r = check(
        rules,
        &[
            &format!("{{id: aws, {D}}}"),
            "{id: az, party: alpha, product: app, cloud: azure, date: 2026-06-01}",
        ],
    );
    assert_eq!(
        terms(&r, "aws"),
        [("p".into(), "not_applicable".into()), ("default".into(), "violated".into())]
    );
    assert_eq!(verdict(&r, "aws"), "violated");
    assert_eq!(verdict(&r, "az"), "allowed");
}

#[test]
fn default_allow_allows_what_no_clause_speaks_to() {
    let r = check(
        &agreement(r#"clause p "P" { quote "q" forbid when cloud = gcp }"#),
        &[&format!("{{id: a, {D}}}")],
    );
    assert_eq!(status(&r, "a", "p"), "not_applicable");
    assert_eq!(verdict(&r, "a"), "allowed");
}

#[test]
fn within_a_clause_violated_beats_satisfied_beats_allowed() {
    let rules = agreement(
        r#"clause c "C" { quote "q"
             permit when cloud = aws
             require product = app
             forbid when party = alpha and date after 2030 }"#,
    );
    let r = check(
        &rules,
        &[
            &format!("{{id: now, {D}}}"),
            "{id: later, party: alpha, product: app, cloud: aws, date: 2031-01-01}",
        ],
    );
    assert_eq!(status(&r, "now", "c"), "satisfied");
    assert_eq!(status(&r, "later", "c"), "violated");
}

#[test]
fn agreements_in_force_follow_effective_ends_and_supersedes() {
    let rules = r#"
    agreement old "Old" { parties alpha effective 2020-01-01 default allow
      clause o "O" { quote "q" forbid when cloud = aws } }
    agreement new "New" { parties alpha effective 2026-01-01 ends 2027-12-31 supersedes old default allow
      clause n "N" { quote "q" permit when cloud = aws } }"#;
    let r = check(
        rules,
        &[
            "{id: before-old, party: alpha, product: app, cloud: aws, date: 2019-12-31}",
            "{id: old-only, party: alpha, product: app, cloud: aws, date: 2025-12-31}",
            "{id: new-first-day, party: alpha, product: app, cloud: aws, date: 2026-01-01}",
            "{id: new-last-day, party: alpha, product: app, cloud: aws, date: 2027-12-31}",
            "{id: after-new, party: alpha, product: app, cloud: aws, date: 2028-01-01}",
        ],
    );
    let agreements = |id| common::deployment(&r, id).agreements.clone();
    assert!(agreements("before-old").is_empty());
    assert_eq!(agreements("old-only"), ["old"]);
    assert_eq!(agreements("new-first-day"), ["new"]);
    assert_eq!(agreements("new-last-day"), ["new"]);
    assert!(agreements("after-new").is_empty(), "a superseded agreement does not come back");
}

#[test]
fn agreements_bind_only_their_parties() {
    let rules = r#"agreement deal "Deal" { parties alpha effective 2020-01-01 default allow
      clause f "F" { quote "q" forbid when cloud = aws } }"#;
    let r = check(
        rules,
        &[&format!("{{id: a, {D}}}"), "{id: b, party: beta, product: app, cloud: aws, date: 2026-06-01}"],
    );
    assert_eq!(verdict(&r, "a"), "violated");
    assert!(common::deployment(&r, "b").agreements.is_empty());
    assert_eq!(verdict(&r, "b"), "allowed");
}

#[test]
fn a_year_or_month_stands_for_its_whole_span() {
    let rules = agreement(
        r#"clause through "T" { quote "q" forbid when date through 2026 }
           clause after "A" { quote "q" forbid when date after 2026 }
           clause before "B" { quote "q" forbid when date before 2026 }
           clause from "F" { quote "q" forbid when date from 2026-06 }
           clause between "W" { quote "q" forbid when date between 2026-02 and 2026-03 }"#,
    );
    let at = |date: &str| format!("{{id: '{date}', party: alpha, product: app, cloud: aws, date: {date}}}");
    let dates = [
        "2025-12-31",
        "2026-01-01",
        "2026-02-01",
        "2026-03-31",
        "2026-05-31",
        "2026-06-01",
        "2026-12-31",
        "2027-01-01",
    ];
    let plan: Vec<String> = dates.iter().map(|d| at(d)).collect();
    let r = check(&rules, &plan.iter().map(String::as_str).collect::<Vec<_>>());
    let hits = |clause: &str| -> Vec<&str> {
        dates.iter().copied().filter(|d| status(&r, d, clause) == "violated").collect()
    };
    assert_eq!(hits("through"), &dates[..7]);
    assert_eq!(hits("after"), ["2027-01-01"]);
    assert_eq!(hits("before"), ["2025-12-31"]);
    assert_eq!(hits("from"), ["2026-06-01", "2026-12-31", "2027-01-01"]);
    assert_eq!(hits("between"), ["2026-02-01", "2026-03-31"]);
}

#[test]
fn an_optional_field_left_out_is_in_no_set() {
    let rules = agreement(
        r#"clause eq "Eq" { quote "q" forbid when channel = market }
           clause ne "Ne" { quote "q" forbid when channel != market }
           clause notin "NotIn" { quote "q" forbid when channel not in {direct} }"#,
    );
    let r = check(&rules, &[&format!("{{id: a, {D}}}")]);
    assert_eq!(
        terms(&r, "a"),
        [
            ("eq".into(), "not_applicable".into()),
            ("ne".into(), "violated".into()),
            ("notin".into(), "violated".into())
        ]
    );
}

#[test]
fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
    let rules = agreement(
        r#"clause c1 "C1" { quote "q" forbid when not cloud = aws and product = app }
           clause c2 "C2" { quote "q" forbid when cloud = gcp or cloud = aws and product = db }
           clause c3 "C3" { quote "q" forbid when (cloud = gcp or cloud = aws) and product = app }"#,
    );
    let r = check(&rules, &[&format!("{{id: a, {D}}}")]);
    // c1: (not aws) and app = false; c2: gcp or (aws and db) = false; c3: (gcp or aws) and app = true.
    assert_eq!(
        terms(&r, "a"),
        [
            ("c1".into(), "not_applicable".into()),
            ("c2".into(), "not_applicable".into()),
            ("c3".into(), "violated".into())
        ]
    );
}

#[test]
fn launched_looks_across_the_plan_by_date() {
    let rules = agreement(
        r#"clause on "On" { quote "q" require launched(product, azure) on or before date when cloud = aws }
           clause strict "Strict" { quote "q" require launched(product, cloud = azure) before date when cloud = aws }
           clause any "Any" { quote "q" require launched(product, azure) when cloud = aws }"#,
    );
    let r = check(
        &rules,
        &[
            "{id: early-aws, party: alpha, product: app, cloud: aws, date: 2026-01-01}",
            "{id: azure, party: beta, product: app, cloud: azure, date: 2026-02-01}",
            "{id: same-day, party: alpha, product: app, cloud: aws, date: 2026-02-01}",
            "{id: later, party: alpha, product: app, cloud: aws, date: 2026-03-01}",
            "{id: other-product, party: alpha, product: db, cloud: aws, date: 2026-03-01}",
        ],
    );
    assert_eq!(
        terms(&r, "early-aws"),
        [
            ("on".into(), "violated".into()),
            ("strict".into(), "violated".into()),
            ("any".into(), "satisfied".into())
        ]
    );
    assert_eq!(
        terms(&r, "same-day"),
        [
            ("on".into(), "satisfied".into()),
            ("strict".into(), "violated".into()),
            ("any".into(), "satisfied".into())
        ]
    );
    assert_eq!(
        terms(&r, "later"),
        [
            ("on".into(), "satisfied".into()),
            ("strict".into(), "satisfied".into()),
            ("any".into(), "satisfied".into())
        ]
    );
    assert_eq!(status(&r, "other-product", "any"), "violated");
}

#[test]
fn invalid_records_do_not_count_for_launched() {
    let rules = agreement(
        r#"clause on "On" { quote "q" require launched(product, azure) on or before date when cloud = aws }"#,
    );
    let r = check(
        &rules,
        &[
            "{id: bad-azure, party: alpha, product: app, cloud: azure, date: 2026-02-30}",
            &format!("{{id: a, {D}}}"),
        ],
    );
    assert_eq!(r.summary.errors, 1);
    assert_eq!(status(&r, "a", "on"), "violated");
}

#[test]
fn obligations_and_information_are_not_applicable_to_deployments() {
    let rules = agreement(
        r#"param cap = 10 USD
           clause pay "Pay" { quote "q" oblige alpha pays beta 20% of revenue through 2030 capped at cap }
           clause stop "Stop" { quote "q" forbid beta pays alpha from 2026-01-01 }
           clause duty "Duty" { quote "q" oblige alpha to "keep investing" }
           clause info "Info" { quote "q" information "a fact" }"#,
    );
    let r = check(&rules, &[&format!("{{id: a, {D}}}")]);
    assert!(terms(&r, "a").iter().all(|(_, s)| s == "not_applicable"), "{:?}", terms(&r, "a"));
    let reasons: Vec<&str> = common::deployment(&r, "a").terms.iter().map(|t| &*t.reason).collect();
    assert_eq!(
        reasons,
        [
            "a payment term, not checked against deployments",
            "a payment term, not checked against deployments",
            "an obligation, not checked against deployments",
            "information, not checked against deployments"
        ]
    );
}

#[test]
fn a_term_names_the_assumptions_it_rests_on() {
    let rules = r#"agreement deal "Deal" {
        parties alpha
        effective 2020-01-01 assumed "reported start"
        default allow
        param licence_end = 2030-12-31 assumed "end not disclosed"
        param unused = 5% assumed "not read by any rule"
        clause l "Licence" { quote "q" forbid when date after licence_end }
        clause k "Other" { quote "q" forbid when cloud = gcp }
    }"#;
    let r = check(rules, &["{id: late, party: alpha, product: app, cloud: aws, date: 2031-01-01}"]);
    let d = common::deployment(&r, "late");
    let assumed: Vec<&str> = d.terms[0].assumptions.iter().map(|a| a.assumed.as_str()).collect();
    assert_eq!(assumed, ["effective 2020-01-01", "licence_end = 2030-12-31"]);
    assert!(d.terms[1].assumptions.is_empty(), "a clause that does not apply rests on nothing");
}

// ---------------------------------------------------------------------------------------------
// The second edition: classes, extend, durations, events, clause periods, amendments.

/// Two agreements (and whatever else is given) over `VOCAB`, checked with one events file.
fn check_with_events(rules: &str, events: &str, deployments: &[&str]) -> Report {
    let mut sources = clausecheck::source::Sources::new();
    sources.add(clausecheck::source::SourceFile::new("vocab.terms", VOCAB));
    sources.add(clausecheck::source::SourceFile::new("rules.terms", rules));
    let file = sources.add(clausecheck::source::SourceFile::new("events.yaml", events));
    let loaded = clausecheck::load_rules_with(&sources, &[clausecheck::EventsInput::File(file)])
        .unwrap_or_else(|d| panic!("{}", clausecheck::diagnostic::render(&d, &sources, Default::default())));
    let yaml: String = std::iter::once("deployments:\n".to_string())
        .chain(deployments.iter().map(|d| format!("  - {d}\n")))
        .collect();
    let mut out = Vec::new();
    clausecheck::check_texts(
        &loaded,
        &sources,
        &[("plan.yaml", &yaml, clausecheck::plan::PlanFormat::Yaml)],
        clausecheck::report::Format::Json,
        Default::default(),
        &mut out,
    )
    .expect("the report is written");
    serde_json::from_slice(&out).expect("JSON")
}

#[test]
fn a_class_stands_for_its_values_in_a_set() {
    let rules = format!(
        "vocabulary {{\n  class apps of product = app\n}}\n{}",
        agreement(
            r#"clause f "F" { quote "q" forbid when product in apps and cloud != azure }
                     clause g "G" { quote "q" forbid when product not in {apps} and cloud = gcp }"#
        )
    );
    let r = check(
        &rules,
        &[
            &format!("{{id: app-aws, {D}}}"),
            "{id: db-gcp, party: alpha, product: db, cloud: gcp, date: 2026-06-01}",
        ],
    );
    assert_eq!(status(&r, "app-aws", "f"), "violated");
    assert_eq!(status(&r, "db-gcp", "f"), "not_applicable");
    assert_eq!(status(&r, "db-gcp", "g"), "violated");
}

#[test]
fn extend_adds_values_to_a_field_declared_elsewhere() {
    let rules = format!(
        "vocabulary {{\n  extend product cache\n}}\n{}",
        agreement(r#"clause f "F" { quote "q" forbid when product = cache }"#)
    );
    let r = check(&rules, &["{id: c, party: alpha, product: cache, cloud: aws, date: 2026-06-01}"]);
    assert_eq!(status(&r, "c", "f"), "violated");
}

#[test]
fn a_duration_lands_on_the_months_last_day_and_ends_at_its_moment() {
    // 2024-02-29 + 1 year is 2025-02-28, the first day no longer in force.
    let rules = r#"agreement leap "L" { effective 2024-02-29 ends 1 year after effective default allow
        clause f "F" { quote "q" forbid when cloud = aws } }"#;
    let r = check(
        rules,
        &[
            "{id: last, party: alpha, product: app, cloud: aws, date: 2025-02-27}",
            "{id: gone, party: alpha, product: app, cloud: aws, date: 2025-02-28}",
        ],
    );
    assert_eq!(verdict(&r, "last"), "violated");
    assert_eq!(verdict(&r, "gone"), "allowed", "the agreement is no longer in force");
    assert!(deployment(&r, "gone").terms.is_empty());
}

#[test]
fn within_n_days_after_a_day_counts_that_day_as_the_first() {
    let rules = agreement(r#"clause p "P" { quote "q" forbid when date within 3 days after 2026-06-01 }"#);
    let at = |d: &str| format!("{{id: '{d}', party: alpha, product: app, cloud: aws, date: {d}}}");
    let r = check(&rules, &[&at("2026-05-31"), &at("2026-06-01"), &at("2026-06-03"), &at("2026-06-04")]);
    let got: Vec<String> =
        ["2026-05-31", "2026-06-01", "2026-06-03", "2026-06-04"].iter().map(|d| verdict(&r, d)).collect();
    assert_eq!(got, ["allowed", "violated", "violated", "allowed"]);
}

#[test]
fn whichever_is_first_and_last_pick_the_earlier_and_the_later_end() {
    let rules = agreement(
        r#"clause a "A" { quote "q" forbid when cloud = aws and date through 2026-06-30 or until 2026-06-10, whichever is first }
           clause b "B" { quote "q" forbid when cloud = gcp and date through 2026-06-30 or until 2026-06-10, whichever is last }"#,
    );
    let r = check(
        &rules,
        &[
            "{id: a9, party: alpha, product: app, cloud: aws, date: 2026-06-09}",
            "{id: a10, party: alpha, product: app, cloud: aws, date: 2026-06-10}",
            "{id: b30, party: alpha, product: app, cloud: gcp, date: 2026-06-30}",
            "{id: b31, party: alpha, product: app, cloud: gcp, date: 2026-07-01}",
        ],
    );
    assert_eq!(
        ["a9", "a10", "b30", "b31"].map(|d| verdict(&r, d)),
        ["violated", "allowed", "violated", "allowed"]
    );
}

const EVENT_RULES: &str = r#"event go "it goes"
agreement before "Before" { parties alpha, beta effective 2020-01-01 until go default allow
  clause f "F" { quote "q" forbid when cloud = aws } }
agreement after "After" { parties alpha, beta effective go default allow
  clause g "G" { quote "q" forbid when cloud = gcp } }"#;

#[test]
fn an_event_with_no_date_has_not_happened_and_is_an_assumption() {
    let r = check(
        EVENT_RULES,
        &[
            "{id: aws, party: alpha, product: app, cloud: aws, date: 2030-01-01}",
            "{id: gcp, party: alpha, product: app, cloud: gcp, date: 2030-01-01}",
        ],
    );
    assert_eq!(verdict(&r, "aws"), "violated", "`until go` runs on");
    assert_eq!(verdict(&r, "gcp"), "allowed", "`effective go` has not begun");
    let aws = deployment(&r, "aws");
    assert!(aws.terms[0].assumptions.iter().any(|a| a.assumed.contains("`go` has not happened")), "{aws:?}");
}

#[test]
fn until_an_event_ends_as_its_day_begins_and_effective_starts_on_it() {
    let r = check_with_events(
        EVENT_RULES,
        "go: 2026-06-01\n",
        &[
            "{id: aws-31, party: alpha, product: app, cloud: aws, date: 2026-05-31}",
            "{id: aws-01, party: alpha, product: app, cloud: aws, date: 2026-06-01}",
            "{id: gcp-31, party: alpha, product: app, cloud: gcp, date: 2026-05-31}",
            "{id: gcp-01, party: alpha, product: app, cloud: gcp, date: 2026-06-01}",
        ],
    );
    assert_eq!(
        ["aws-31", "aws-01", "gcp-31", "gcp-01"].map(|d| verdict(&r, d)),
        ["violated", "allowed", "allowed", "violated"]
    );
}

#[test]
fn a_clause_outside_its_own_period_does_not_apply() {
    let rules = agreement(
        r#"clause f "F" { quote "q" effective 2026-01-01 ends 2026-12-31 forbid when cloud = aws }"#,
    );
    let at = |d: &str| format!("{{id: '{d}', party: alpha, product: app, cloud: aws, date: {d}}}");
    let r = check(&rules, &[&at("2025-12-31"), &at("2026-01-01"), &at("2026-12-31"), &at("2027-01-01")]);
    assert_eq!(
        ["2025-12-31", "2026-01-01", "2026-12-31", "2027-01-01"].map(|d| status(&r, d, "f")),
        ["not_applicable", "violated", "violated", "not_applicable"]
    );
    assert!(
        deployment(&r, "2025-12-31").terms[0].reason.contains("not in force"),
        "{:?}",
        deployment(&r, "2025-12-31").terms[0]
    );
}

#[test]
fn superseding_one_clause_leaves_the_rest_of_its_agreement_in_force() {
    let rules = r#"agreement old "Old" { parties alpha effective 2020-01-01 default allow
        clause f "F" { quote "q" forbid when cloud = aws }
        clause g "G" { quote "q" forbid when cloud = gcp } }
      agreement new "New" { parties alpha effective 2026-06-01 supersedes old.f default allow }"#;
    let r = check(
        rules,
        &[
            "{id: aws, party: alpha, product: app, cloud: aws, date: 2026-06-01}",
            "{id: gcp, party: alpha, product: app, cloud: gcp, date: 2026-06-01}",
            "{id: aws-before, party: alpha, product: app, cloud: aws, date: 2026-05-31}",
        ],
    );
    assert_eq!(verdict(&r, "aws"), "allowed");
    assert_eq!(verdict(&r, "gcp"), "violated", "old.g is still in force");
    assert_eq!(verdict(&r, "aws-before"), "violated");
}

#[test]
fn an_exception_in_another_agreement_overrides_only_while_it_is_in_force() {
    let rules = r#"agreement old "Old" { parties alpha effective 2020-01-01 default allow
        clause f "F" { quote "q" forbid when cloud = aws } }
      agreement new "New" { parties alpha effective 2026-06-01 default allow
        clause e "E" { quote "q" exception to old.f permit when product = app } }"#;
    let r = check(
        rules,
        &[
            "{id: before, party: alpha, product: app, cloud: aws, date: 2026-05-31}",
            "{id: on, party: alpha, product: app, cloud: aws, date: 2026-06-01}",
            "{id: db, party: alpha, product: db, cloud: aws, date: 2026-06-01}",
        ],
    );
    assert_eq!(status(&r, "before", "f"), "violated");
    assert_eq!(status(&r, "on", "f"), "overridden");
    assert_eq!(status(&r, "on", "e"), "allowed");
    assert_eq!(verdict(&r, "on"), "allowed");
    assert_eq!(verdict(&r, "db"), "violated", "the exception does not apply to db");
}
