//! `clausecheck diff`: a rule set against itself is empty; the bundled 2019 → 2026 change gives
//! exactly its regions (snapshot); every region's example really changes verdict and random
//! deployments outside every region do not (property test); `--plan` names exactly the
//! deployments whose verdict `check` gives differently on the two rule sets.

mod common;
use common::bin::{clausecheck, code, stdout, transcript};

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use clausecheck::diff::{self, isolate, JointSpace, Region, Side, SideVerdict};
use clausecheck::eval::{Evaluator, LaunchState, Launches, Verdict};
use clausecheck::model::RuleSet;
use clausecheck::plan::Deployment;
use clausecheck::source::Sources;
use proptest::prelude::*;

const WORKED: &str = "examples/worked-examples.yaml";

fn run(args: &[&str]) -> (i32, String) {
    let out = clausecheck(args);
    (code(&out), stdout(&out))
}

#[test]
fn a_rule_set_against_itself_changes_nothing() {
    let (c, out) = run(&["diff", "rules", "rules"]);
    assert_eq!(c, 0, "{out}");
    assert_eq!(out, "no deployment changes verdict\n");
    let (c, out) =
        run(&["diff", "--from", "msft_openai_2026", "--to", "msft_openai_2026", "--format", "json"]);
    assert_eq!(c, 0, "{out}");
    assert!(out.contains("\"regions\": []"), "{out}");
    assert!(out.contains("\"clauses\": []"), "{out}");
}

#[test]
fn bundled_2019_to_2026_text() {
    let out = clausecheck(&["diff", "--from", "msft_openai_2019", "--to", "msft_openai_2026"]);
    insta::assert_snapshot!(transcript(&out));
}

#[test]
fn bundled_2019_to_2026_markdown_and_json() {
    let (c, md) =
        run(&["diff", "--from", "msft_openai_2019", "--to", "msft_openai_2026", "--format", "markdown"]);
    assert_eq!(c, 1);
    insta::assert_snapshot!("bundled_markdown", md);
    let (c, json) =
        run(&["diff", "--from", "msft_openai_2019", "--to", "msft_openai_2026", "--format", "json"]);
    assert_eq!(c, 1);
    insta::assert_snapshot!("bundled_json", json);
}

#[test]
fn bad_input_is_exit_2() {
    assert_eq!(code(&clausecheck(&["diff", "--from", "nope", "--to", "msft_openai_2026"])), 2);
    assert_eq!(code(&clausecheck(&["diff", "rules"])), 2);
    assert_eq!(code(&clausecheck(&["diff", "rules", "no/such/rules"])), 2);
    assert_eq!(code(&clausecheck(&["diff", "--from-git", "no-such-revision-xyz"])), 2);
}

/// The rules with the licence ending after 2030 instead of 2032, and Azure-first without its
/// exception for a declined Azure.
fn modified_rules(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in ["vocabulary.terms", "msft_openai_2019.terms", "msft_openai_2026.terms"] {
        let text = std::fs::read_to_string(Path::new("rules").join(f)).unwrap();
        let text = text
            .replace("date through 2032", "date through 2030")
            .replace("date after 2032", "date after 2030")
            .replace("      unless azure_declined\n", "");
        std::fs::write(dir.join(f), text).unwrap();
    }
}

fn verdicts(rules: &str) -> BTreeMap<String, String> {
    let out = clausecheck(&["check", "--rules", rules, "--format", "json", WORKED]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    doc["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap().to_string(), d["verdict"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn plan_names_exactly_the_deployments_check_judges_differently() {
    let dir = tempfile::tempdir().unwrap();
    let modified = dir.path().join("rules");
    modified_rules(&modified);
    let m = modified.to_str().unwrap();
    let (before, after) = (verdicts("rules"), verdicts(m));
    let expected: Vec<&String> = before.keys().filter(|id| before[*id] != after[*id]).collect();
    assert!(!expected.is_empty(), "the modification changes something");
    let (c, json) = run(&["diff", "rules", m, "--plan", WORKED, "--format", "json"]);
    assert_eq!(c, 1, "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let named: Vec<String> =
        doc["changes"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(named.iter().collect::<Vec<_>>(), expected);
    for c in doc["changes"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert_eq!(c["before"]["verdict"], before[id].as_str());
        assert_eq!(c["after"]["verdict"], after[id].as_str());
        assert!(!c["before"]["reasons"].as_array().unwrap().is_empty() || before[id] == "allowed");
    }
    let (c, text) = run(&["diff", "rules", m, "--plan", WORKED]);
    assert_eq!(c, 1);
    insta::assert_snapshot!("plan_modified", text.replace(m, "MODIFIED"));
    // The same plan against unchanged rules: nothing changes.
    let (c, _) = run(&["diff", "rules", "rules", "--plan", WORKED]);
    assert_eq!(c, 0);
}

fn load(dir: &Path) -> (Sources, RuleSet) {
    let mut sources = Sources::new();
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "terms")) {
        sources.add(clausecheck::source::SourceFile::new(
            f.display().to_string(),
            std::fs::read_to_string(&f).unwrap(),
        ));
    }
    let rules = clausecheck::load_rules(&sources).expect("valid rules");
    (sources, rules)
}

/// A deployment given by names, on one side: `None` when the side does not declare a value.
fn deployment(
    rules: &RuleSet,
    values: &[(String, Option<String>)],
    flags: &[String],
    date: NaiveDate,
) -> Option<Deployment> {
    let vocab = &rules.vocabulary;
    let mut vs = vec![None; vocab.fields.len()];
    for (f, v) in values {
        match (vocab.field(f), v) {
            (Some(id), Some(v)) => vs[id.0 as usize] = Some(vocab.value(id, v)?),
            (Some(id), None) if !vocab.fields[id.0 as usize].optional => return None,
            _ => {}
        }
    }
    let mut fl: Vec<_> = flags.iter().map(|f| vocab.flag(f)).collect::<Option<Vec<_>>>()?;
    fl.sort_unstable();
    Some(Deployment { id: "p".into(), position: 1, line: None, column: None, values: vs, flags: fl, date })
}

fn verdict_of(
    rules: &RuleSet,
    joint: &JointSpace,
    point: &diff::space::JointPoint,
    values: &[(String, Option<String>)],
    flags: &[String],
    date: NaiveDate,
    old: bool,
) -> SideVerdict {
    let Some(d) = deployment(rules, values, flags, date) else { return SideVerdict::NotDeclared };
    let mut states = vec![LaunchState::Never; rules.relations.len()];
    for (j, r) in joint.relations.iter().enumerate() {
        if let Some(i) = if old { r.old } else { r.new } {
            states[i] = joint.state(point, j);
        }
    }
    match Evaluator::new(rules).evaluate_with(&d, Launches::Assumed(&states)).verdict {
        Verdict::Allowed => SideVerdict::Allowed,
        Verdict::Violated => SideVerdict::Violated,
    }
}

struct Pair {
    old: RuleSet,
    new: RuleSet,
    joint: JointSpace,
    regions: Vec<Region>,
}

fn pairs() -> Vec<Pair> {
    let (sources, bundled) = load(Path::new("rules"));
    let dir = tempfile::tempdir().unwrap();
    modified_rules(dir.path());
    let (msources, modified) = load(dir.path());
    let mut out = Vec::new();
    let from_to =
        (isolate(&bundled, "msft_openai_2019").unwrap(), isolate(&bundled, "msft_openai_2026").unwrap());
    for (old, new, os, ns) in
        [(from_to.0, from_to.1, &sources, &sources), (bundled.clone(), modified, &sources, &msources)]
    {
        let d = diff::diff(Side { rules: &old, sources: os }, Side { rules: &new, sources: ns }, None);
        assert!(d.too_large.is_none());
        let joint = JointSpace::new(&old, &new);
        out.push(Pair { old, new, joint, regions: d.regions });
    }
    out
}

#[test]
fn every_region_example_changes_verdict_as_reported() {
    for pair in pairs() {
        assert!(!pair.regions.is_empty());
        for r in &pair.regions {
            let e = &r.example;
            let before = verdict_of(&pair.old, &pair.joint, &e.point, &e.values, &e.flags, e.date, true);
            let after = verdict_of(&pair.new, &pair.joint, &e.point, &e.values, &e.flags, e.date, false);
            assert_eq!((before, after), (r.before.verdict, r.after.verdict), "{r:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// A random deployment (any values of the joint vocabulary, any day 2010–2040, any flags and
    /// launch states) changes verdict exactly when it lies in a region, and then as the region says.
    #[test]
    fn random_deployments_change_verdict_exactly_inside_the_regions(
        which in 0usize..2,
        picks in proptest::collection::vec(0usize..64, 8),
        days in 0i64..11_000,
        flag_bits in 0u32..16,
        states in proptest::collection::vec(0usize..4, 4),
    ) {
        let pairs = PAIRS.with(|p| p.clone());
        let pair = &pairs[which];
        let joint = &pair.joint;
        let values: Vec<(String, Option<String>)> = joint.fields.iter().enumerate().map(|(i, f)| {
            let mut names: Vec<Option<String>> = f.all_names.iter().cloned().map(Some).collect();
            names.push(None);
            (f.name.clone(), names[picks[i % picks.len()] % names.len()].clone())
        }).collect();
        let flags: Vec<String> = joint.flags.iter().enumerate().filter(|(i, _)| flag_bits & (1 << i) != 0).map(|(_, f)| f.name.clone()).collect();
        let date = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + chrono::Days::new(days as u64);
        let launches: Vec<usize> = (0..joint.relations.len()).map(|i| states[i % states.len()]).collect();
        let Some(point) = joint.locate(&values, &flags, date, &launches) else { return Ok(()) };
        let before = verdict_of(&pair.old, joint, &point, &values, &flags, date, true);
        let after = verdict_of(&pair.new, joint, &point, &values, &flags, date, false);
        let inside: Vec<&Region> = pair.regions.iter().filter(|r| r.cells.contains(&point)).collect();
        prop_assert!(inside.len() <= 1, "regions overlap at {point:?}");
        match inside.first() {
            Some(r) => prop_assert_eq!((before, after), (r.before.verdict, r.after.verdict)),
            None => prop_assert_eq!(before, after, "{:?} {:?} {}", values, flags, date),
        }
    }
}

thread_local! {
    static PAIRS: std::rc::Rc<Vec<Pair>> = std::rc::Rc::new(pairs());
}

#[test]
fn a_space_over_the_limit_is_too_large_and_exit_2_with_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.terms");
    let out = clausecheck(&["generate", "rules", "--clauses", "200"]);
    std::fs::write(&big, &out.stdout).unwrap();
    let b = big.to_str().unwrap();
    let out = clausecheck(&["diff", b, b]);
    assert_eq!(code(&out), 2, "{}", transcript(&out));
    let text = stdout(&out);
    assert!(text.starts_with("warning[too-large]:"), "{text}");
    assert!(!text.contains("change verdict"), "no partial table: {text}");
}

#[test]
fn from_git_head_compares_the_committed_rules_with_the_folder() {
    // In a checkout whose rules/ is committed unchanged, nothing changes.
    let status = std::process::Command::new("git").args(["diff", "--quiet", "HEAD", "--", "rules"]).status();
    if !status.is_ok_and(|s| s.success()) {
        return;
    }
    let out = clausecheck(&["diff", "--from-git", "HEAD"]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    assert_eq!(stdout(&out), "no deployment changes verdict\n");
}
