//! The compiled program against the reference interpreter, as `tests/differential.rs` compares
//! them, on a rule set generated from a seed (adversarial shape, sizes from the input) and
//! deployments and launch states read from the rest of the input.
#![no_main]

use chrono::{Days, NaiveDate};
use clausecheck::analysis::boundaries;
use clausecheck::eval::{Evaluator, LaunchState, Launches, Outcome, PlanIndex, Program};
use clausecheck::generate::{self, RulesSpec};
use clausecheck::model::{FlagId, RuleSet, ValueId};
use clausecheck::plan::Deployment;
use clausecheck::source::{SourceFile, Sources};
use libfuzzer_sys::fuzz_target;

/// The input, read a byte at a time; zeros once it runs out.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |acc, _| acc << 8 | u64::from(self.byte()))
    }
}

/// One date in every interval the rule set tells apart, the days either side, and one before them all.
fn dates(rules: &RuleSet) -> Vec<NaiveDate> {
    let mut out = vec![NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date")];
    for b in boundaries(rules) {
        out.push(b);
        out.extend(b.pred_opt());
        out.extend(b.checked_add_days(Days::new(1)));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn deployment(input: &mut Input<'_>, rules: &RuleSet, dates: &[NaiveDate], position: usize) -> Deployment {
    let values = rules
        .vocabulary
        .fields
        .iter()
        .map(|f| {
            let n = f.values.len();
            let pick = input.below(n + usize::from(f.optional));
            (pick < n).then(|| ValueId(pick as u16))
        })
        .collect();
    let flags = (0..rules.vocabulary.flags.len())
        .filter(|i| input.byte() & (1 << (i % 8)) != 0)
        .map(|i| FlagId(i as u16))
        .collect();
    Deployment {
        id: format!("d{position}"),
        position,
        line: None,
        column: None,
        values,
        flags,
        date: dates[input.below(dates.len())],
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let seed = input.u64();
    let spec = RulesSpec {
        agreements: 1 + input.below(4),
        clauses: 1 + input.below(24),
        fields: 1 + input.below(4),
        values: 2 + input.below(3),
        flags: input.below(3),
        seed,
        adversarial: true,
        max_values: 0,
        // Events with no date (the fuzzer gives none): their windows stay empty in both.
        events: input.below(3),
        plant_deadlock: false,
    };
    let text = generate::rules(spec);
    let mut sources = Sources::new();
    sources.add(SourceFile::new("gen.terms", text.as_str()));
    let rules = clausecheck::load_rules(&sources)
        .unwrap_or_else(|_| panic!("generated rules load: {spec:?}\n{text}"));
    let dates = dates(&rules);
    let reference = Evaluator::new(&rules);
    let program = Program::new(&rules);
    let mut outcome = Outcome::default();
    let mut plan = Vec::new();
    while !input.0.is_empty() && plan.len() < 64 {
        let d = deployment(&mut input, &rules, &dates, plan.len() + 1);
        let states: Vec<LaunchState> =
            (0..rules.relations.len()).map(|_| LaunchState::ALL[input.below(4)]).collect();
        let launches = Launches::Assumed(&states);
        program.check(&d, launches, &mut outcome);
        assert_eq!(
            outcome.to_deployment_outcome(&rules),
            reference.evaluate_with(&d, launches),
            "{spec:?}, {d:?}, {states:?}"
        );
        plan.push(d);
    }
    // The same deployments as a plan: `launched(...)` answered from its index.
    let index = PlanIndex::build(&rules, plan.iter());
    for d in &plan {
        program.check(d, Launches::Plan(&index), &mut outcome);
        assert_eq!(outcome.to_deployment_outcome(&rules), reference.evaluate(d, &index), "{spec:?}, {d:?}");
    }
});
