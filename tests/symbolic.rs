//! The symbolic model `lint` reasons with gives exactly what the reference interpreter gives: the
//! verdict, which agreements are in force, every clause's status and every default, on every
//! point of the analysis space of every rule set in the repository (with its events undated and
//! dated), and of generated rule sets.

mod common;

use chrono::NaiveDate;
use clausecheck::analysis::bdd::DEFAULT_BUDGET;
use clausecheck::analysis::symbolic::{Symbolic, SymbolicOutcome};
use clausecheck::analysis::{boundaries, Space};
use clausecheck::eval::{Evaluator, LaunchState, Launches};
use clausecheck::events::GivenEvent;
use clausecheck::generate::{self, Rng, RulesSpec};
use clausecheck::model::RuleSet;
use clausecheck::source::{SourceFile, Sources, Span};
use proptest::prelude::*;

fn sources(files: &[(String, String)]) -> Sources {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(SourceFile::new(name.clone(), text.clone()));
    }
    sources
}

fn load(files: &[(String, String)]) -> Option<RuleSet> {
    clausecheck::load_rules(&sources(files)).ok()
}

/// The same rules with every event dated, a few years apart from 2025 on.
fn dated(files: &[(String, String)], rules: &RuleSet) -> Option<RuleSet> {
    let given: Vec<GivenEvent> = rules
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| GivenEvent {
            name: e.name.clone(),
            date: NaiveDate::from_ymd_opt(2025 + 2 * i as i32, 3, 1),
            span: Span::default(),
        })
        .collect();
    clausecheck::load_rules_dated(&sources(files), &[], &given).ok()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One date in every interval the rule set tells apart, the day before each boundary, and one
/// before them all.
fn dates(rules: &RuleSet, today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = vec![day("1990-01-01"), today, today.pred_opt().unwrap()];
    for b in boundaries(rules) {
        out.push(b);
        out.extend(b.pred_opt());
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What the interpreter says, in the shape of [`SymbolicOutcome`].
fn reference(evaluator: &Evaluator<'_>, p: &clausecheck::analysis::Point) -> SymbolicOutcome {
    let outcome = evaluator.evaluate_with(&p.deployment, Launches::Assumed(&p.launches));
    SymbolicOutcome {
        violated: outcome.verdict == clausecheck::eval::Verdict::Violated,
        agreements: outcome
            .agreements
            .iter()
            .map(|a| (a.agreement, a.terms.iter().map(|t| Some(t.status)).collect(), a.denied_by_default))
            .collect(),
    }
}

/// Compares the model with the interpreter on every point of the space; the points compared.
fn agree_on_space(name: &str, rules: &RuleSet, limit: u128) -> usize {
    let today = day("2026-11-27");
    let space = Space::new(rules, dates(rules, today));
    if space.size() > limit {
        return 0;
    }
    let sym = Symbolic::new(rules, &[today], DEFAULT_BUDGET).expect("the model fits the budget");
    let evaluator = Evaluator::new(rules);
    let mut n = 0;
    for p in space.points() {
        let want = reference(&evaluator, &p);
        let got = sym.outcome(&p.deployment, &p.launches);
        assert_eq!(got, want, "{name}: the model differs from the interpreter on {p:?}");
        n += 1;
    }
    n
}

fn rule_sets_of_the_repository() -> Vec<(String, Vec<(String, String)>)> {
    let mut sets = vec![("rules/".to_string(), common::bundled_texts())];
    let read = |path: &std::path::Path| {
        (path.display().to_string(), std::fs::read_to_string(path).expect("readable"))
    };
    for dir in ["tests/fixtures/rules/ok", "tests/fixtures/lint", "examples"] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.extension().is_some_and(|e| e == "terms") {
                sets.push((path.display().to_string(), vec![read(&path)]));
            } else if path.is_dir() {
                // A rule set in a folder: all its `.terms` files together.
                let mut files: Vec<_> = std::fs::read_dir(&path)
                    .expect("readable")
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "terms"))
                    .collect();
                files.sort();
                if !files.is_empty() {
                    sets.push((path.display().to_string(), files.iter().map(|p| read(p)).collect()));
                }
            }
        }
    }
    sets
}

#[test]
fn the_model_equals_the_interpreter_on_every_point_of_every_rule_set_of_the_repository() {
    let sets = rule_sets_of_the_repository();
    assert!(sets.len() >= 12, "the fixtures are found: {}", sets.len());
    assert!(sets.iter().any(|(name, files)| name.contains("amendment") && files.len() >= 3), "folders too");
    let (mut compared, mut with_events) = (0, 0);
    for (name, files) in &sets {
        let Some(rules) = load(files) else { continue };
        compared += agree_on_space(name, &rules, 5_000_000);
        if !rules.events.is_empty() {
            let rules = dated(files, &rules).expect("the events can be dated");
            with_events += agree_on_space(&format!("{name} (events dated)"), &rules, 5_000_000);
        }
    }
    assert!(compared > 5_000, "points compared: {compared}");
    assert!(with_events > 500, "points compared with dated events: {with_events}");
}

#[test]
fn the_model_equals_the_interpreter_on_large_generated_rule_sets() {
    for seed in 0..4 {
        let spec = RulesSpec {
            agreements: 3,
            clauses: 60,
            fields: 3,
            values: 4,
            flags: 1,
            seed,
            adversarial: true,
            ..RulesSpec::default()
        };
        let text = generate::rules(spec);
        let rules = load(&[("gen.terms".into(), text)]).expect("generated rules load");
        sample(&rules, seed, 3000);
    }
}

/// Compares on random points of the space, with random launch states, whatever its size.
fn sample(rules: &RuleSet, seed: u64, points: usize) {
    let today = day("2026-11-27");
    let sym = Symbolic::new(rules, &[today], DEFAULT_BUDGET).expect("the model fits the budget");
    let evaluator = Evaluator::new(rules);
    let space = Space::new(rules, dates(rules, today));
    let mut rng = Rng::new(seed);
    let Some(mut p) = space.points().next() else { return };
    for _ in 0..points {
        p.deployment.date = *rng.pick(&space.dates);
        p.deployment.values = space.fields.iter().map(|choices| *rng.pick(choices)).collect();
        p.deployment.flags = space.flags.iter().copied().filter(|_| rng.chance(50)).collect();
        p.launches = rules
            .relations
            .iter()
            .map(|rel| {
                // Only launch states a plan can produce: a deployment that matches finds itself.
                if clausecheck::eval::matches_itself(rel, &p.deployment) {
                    *rng.pick(&[LaunchState::Earlier, LaunchState::SameDay])
                } else {
                    *rng.pick(&LaunchState::ALL)
                }
            })
            .collect();
        let want = reference(&evaluator, &p);
        assert_eq!(sym.outcome(&p.deployment, &p.launches), want, "seed {seed}: {p:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_model_equals_the_interpreter_on_generated_rule_sets(seed in any::<u64>()) {
        let mut rng = Rng::new(seed);
        let spec = RulesSpec {
            agreements: 1 + rng.below(4),
            clauses: 1 + rng.below(24),
            fields: 1 + rng.below(4),
            values: 2 + rng.below(3),
            flags: rng.below(3),
            seed,
            adversarial: true,
            events: rng.below(3),
            ..RulesSpec::default()
        };
        let text = generate::rules(spec);
        let rules = load(&[("gen.terms".into(), text.clone())]);
        prop_assert!(rules.is_some(), "generated rules load:\n{text}");
        let rules = rules.unwrap();
        agree_on_space("generated", &rules, 40_000);
        sample(&rules, seed, 500);
    }
}
