//! The compiled program gives exactly what the reference interpreter gives: on every point of the
//! analysis space of every rule set in the repository, and on generated rule sets and plans.

mod common;

use chrono::NaiveDate;
use clausecheck::analysis::{boundaries, Space};
use clausecheck::eval::{Evaluator, LaunchState, Launches, Outcome, PlanIndex, Program};
use clausecheck::generate::{self, PlanSpec, Rng, RulesSpec};
use clausecheck::model::RuleSet;
use clausecheck::plan::{read_plan, PlanFormat, Record};
use clausecheck::source::{SourceFile, Sources};
use proptest::prelude::*;

fn load(files: &[(String, String)]) -> Option<RuleSet> {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(SourceFile::new(name.clone(), text.clone()));
    }
    clausecheck::load_rules(&sources).ok()
}

/// One date in every interval the rule set tells apart, and one before them all.
fn dates(rules: &RuleSet) -> Vec<NaiveDate> {
    let mut out = vec![NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()];
    for b in boundaries(rules) {
        out.push(b);
        out.extend(b.pred_opt());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Compares the two evaluators on every point of the space; the number of points compared.
fn agree_on_space(name: &str, rules: &RuleSet, limit: u128) -> usize {
    let space = Space::new(rules, dates(rules));
    if space.size() > limit {
        return 0;
    }
    let reference = Evaluator::new(rules);
    let program = Program::new(rules);
    let mut outcome = Outcome::default();
    let mut n = 0;
    for p in space.points() {
        let launches = Launches::Assumed(&p.launches);
        let want = reference.evaluate_with(&p.deployment, launches);
        program.check(&p.deployment, launches, &mut outcome);
        let got = outcome.to_deployment_outcome(rules);
        assert_eq!(got, want, "{name}: the program differs from the interpreter on {:?}", p);
        n += 1;
    }
    n
}

fn rule_sets_of_the_repository() -> Vec<(String, RuleSet)> {
    let mut sets = vec![("rules/".to_string(), load(&common::bundled_texts()).expect("bundled rules load"))];
    for dir in ["tests/fixtures/rules/ok", "tests/fixtures/lint", "examples"] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "terms")) {
            let text = std::fs::read_to_string(&path).expect("readable");
            let name = path.display().to_string();
            if let Some(rules) = load(&[(name.clone(), text)]) {
                sets.push((name, rules));
            }
        }
    }
    sets
}

#[test]
fn compiled_equals_interpreted_on_every_point_of_every_rule_set_of_the_repository() {
    let sets = rule_sets_of_the_repository();
    assert!(sets.len() >= 8, "the fixtures are found: {}", sets.len());
    let mut compared = 0;
    for (name, rules) in &sets {
        compared += agree_on_space(name, rules, 5_000_000);
    }
    assert!(compared > 5_000, "points compared: {compared}");
}

#[test]
fn compiled_equals_interpreted_on_large_generated_rule_sets_with_indexed_agreements() {
    for seed in 0..6 {
        let spec = RulesSpec {
            agreements: 3,
            clauses: 90,
            fields: 3,
            values: 5,
            flags: 1,
            seed,
            adversarial: seed % 2 == 0,
            ..RulesSpec::default()
        };
        let rules = load(&[("gen.terms".into(), generate::rules(spec))]).expect("generated rules load");
        plan_agrees(&rules, seed, 3000);
    }
}

/// Compares the evaluators on a generated plan, with `launched(...)` answered from its index.
fn plan_agrees(rules: &RuleSet, seed: u64, records: u64) {
    let mut text = String::new();
    generate::plan(rules, PlanSpec { records, seed, launch_percent: 20 }, |l| {
        text.push_str(l);
        text.push('\n');
    });
    let plan = read_plan(&text, PlanFormat::Ndjson, &rules.vocabulary).expect("the plan reads");
    let index = PlanIndex::build(rules, plan.deployments());
    let reference = Evaluator::new(rules);
    let program = Program::new(rules);
    let mut outcome = Outcome::default();
    for r in &plan.records {
        let Record::Valid(d) = r else { panic!("generated records are valid: {r:?}") };
        let want = reference.evaluate(d, &index);
        program.check(d, Launches::Plan(&index), &mut outcome);
        assert_eq!(outcome.to_deployment_outcome(rules), want, "seed {seed}, deployment {}", d.id);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn compiled_equals_interpreted_on_generated_rule_sets(seed in any::<u64>()) {
        let mut rng = Rng::new(seed);
        let spec = RulesSpec {
            agreements: 1 + rng.below(4),
            clauses: 1 + rng.below(24),
            fields: 1 + rng.below(4),
            values: 2 + rng.below(3),
            flags: rng.below(3),
            seed,
            adversarial: true,
            ..RulesSpec::default()
        };
        let text = generate::rules(spec);
        let rules = load(&[("gen.terms".into(), text.clone())]);
        prop_assert!(rules.is_some(), "generated rules load:\n{text}");
        let rules = rules.unwrap();
        agree_on_space("generated", &rules, 400_000);
        plan_agrees(&rules, seed, 200);
        // Every launch state on a sample of points, whatever the space's size.
        let reference = Evaluator::new(&rules);
        let program = Program::new(&rules);
        let mut outcome = Outcome::default();
        let space = Space::new(&rules, dates(&rules));
        for p in space.points().step_by(7).take(2000) {
            let states: Vec<LaunchState> = (0..rules.relations.len()).map(|_| *rng.pick(&LaunchState::ALL)).collect();
            let launches = Launches::Assumed(&states);
            program.check(&p.deployment, launches, &mut outcome);
            prop_assert_eq!(outcome.to_deployment_outcome(&rules), reference.evaluate_with(&p.deployment, launches));
        }
    }
}
