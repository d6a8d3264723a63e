//! Criterion benchmarks of each stage: loading rule sets (the bundled one, generated ones of
//! 1,000 and 10,000 clauses), checking one deployment against each with the compiled program
//! and with the reference interpreter, reading plans in each format, and the whole check with
//! the JSON report. `cargo bench` runs them; compare ratios within one run, since these machines
//! are noisy. End-to-end figures of the CLI come from `benches/run.sh`.

use std::hint::black_box;

use clausecheck::eval::{Evaluator, Launches, Outcome, PlanIndex, Program};
use clausecheck::generate::{self, PlanSpec, RulesSpec};
use clausecheck::model::RuleSet;
use clausecheck::plan::{read_plan, PlanFormat, Record};
use clausecheck::source::{SourceFile, Sources};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn bundled() -> Sources {
    let mut paths: Vec<_> = std::fs::read_dir("rules")
        .expect("run from the crate root")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "terms"))
        .collect();
    paths.sort();
    let mut sources = Sources::new();
    for p in paths {
        sources.add(SourceFile::new(p.display().to_string(), std::fs::read_to_string(&p).expect("readable")));
    }
    sources
}

fn generated(clauses: usize) -> Sources {
    let spec = RulesSpec {
        agreements: (clauses / 100).max(1),
        clauses,
        fields: 4,
        values: 8,
        flags: 2,
        seed: 1,
        adversarial: false,
        ..RulesSpec::default()
    };
    let mut sources = Sources::new();
    sources.add(SourceFile::new("generated.terms", generate::rules(spec)));
    sources
}

fn plan_text(rules: &RuleSet, n: u64) -> String {
    let mut out = String::new();
    generate::plan(rules, PlanSpec { records: n, seed: 3, launch_percent: 1 }, |l| {
        out.push_str(l);
        out.push('\n');
    });
    out
}

fn convert(ndjson: &str, format: PlanFormat) -> String {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        ndjson.lines().map(|l| serde_json::from_str(l).expect("generated JSON")).collect();
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match format {
        PlanFormat::Ndjson => ndjson.to_string(),
        PlanFormat::Json => serde_json::json!({ "deployments": rows }).to_string(),
        PlanFormat::Yaml => {
            let mut out = String::from("deployments:\n");
            for r in &rows {
                let fields: Vec<String> = r.iter().map(|(k, v)| format!("{k}: {}", text(v))).collect();
                out.push_str(&format!("  - {{{}}}\n", fields.join(", ")));
            }
            out
        }
        PlanFormat::Csv => {
            let columns = ["id", "party", "product", "cloud", "channel", "date", "azure_declined"];
            let mut out = columns.join(",") + "\n";
            for r in &rows {
                let cells: Vec<String> =
                    columns.iter().map(|c| r.get(*c).map(text).unwrap_or_default()).collect();
                out.push_str(&cells.join(","));
                out.push('\n');
            }
            out
        }
    }
}

fn loading(c: &mut Criterion) {
    let mut group = c.benchmark_group("load rules");
    for (name, sources) in
        [("bundled", bundled()), ("1000 clauses", generated(1000)), ("10000 clauses", generated(10_000))]
    {
        group.bench_function(name, |b| {
            b.iter(|| clausecheck::load_rules(black_box(&sources)).expect("valid"))
        });
    }
    group.finish();
}

fn one_deployment(c: &mut Criterion) {
    let mut group = c.benchmark_group("check one deployment");
    for (name, sources) in
        [("bundled", bundled()), ("1000 clauses", generated(1000)), ("10000 clauses", generated(10_000))]
    {
        let rules = clausecheck::load_rules(&sources).expect("valid");
        let plan = read_plan(&plan_text(&rules, 512), PlanFormat::Ndjson, &rules.vocabulary).expect("reads");
        let index = PlanIndex::build(&rules, plan.deployments());
        let deployments: Vec<_> = plan.deployments().cloned().collect();
        let program = Program::new(&rules);
        let interpreter = Evaluator::new(&rules);
        let mut outcome = Outcome::default();
        let mut i = 0;
        group.bench_function(BenchmarkId::new("compiled", name), |b| {
            b.iter(|| {
                i = (i + 1) % deployments.len();
                program.check(black_box(&deployments[i]), Launches::Plan(&index), &mut outcome);
                outcome.verdict()
            })
        });
        group.bench_function(BenchmarkId::new("interpreted", name), |b| {
            b.iter(|| {
                i = (i + 1) % deployments.len();
                interpreter.evaluate(black_box(&deployments[i]), &index).verdict
            })
        });
    }
    group.finish();
}

fn reading(c: &mut Criterion) {
    let sources = bundled();
    let rules = clausecheck::load_rules(&sources).expect("bundled rules");
    let n = 100_000u64;
    let ndjson = plan_text(&rules, n);
    let mut group = c.benchmark_group("read plan");
    group.throughput(Throughput::Elements(n));
    group.sample_size(10);
    for format in [PlanFormat::Ndjson, PlanFormat::Json, PlanFormat::Csv, PlanFormat::Yaml] {
        let text = convert(&ndjson, format);
        group.bench_with_input(BenchmarkId::from_parameter(format!("{format:?}")), &text, |b, text| {
            b.iter(|| read_plan(black_box(text), format, &rules.vocabulary).expect("readable"))
        });
    }
    group.finish();
}

fn whole_check(c: &mut Criterion) {
    let sources = bundled();
    let rules = clausecheck::load_rules(&sources).expect("bundled rules");
    let n = 100_000u64;
    let text = plan_text(&rules, n);
    let plan = read_plan(&text, PlanFormat::Ndjson, &rules.vocabulary).expect("readable");
    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(n));
    group.sample_size(10);
    group.bench_function("evaluate (compiled)", |b| {
        let program = Program::new(&rules);
        let index = PlanIndex::build(&rules, plan.deployments());
        let mut outcome = Outcome::default();
        b.iter(|| {
            let mut violated = 0;
            for r in &plan.records {
                if let Record::Valid(d) = r {
                    program.check(d, Launches::Plan(&index), &mut outcome);
                    violated += usize::from(outcome.verdict() == clausecheck::eval::Verdict::Violated);
                }
            }
            violated
        })
    });
    for (name, format) in [
        ("json report", clausecheck::report::Format::Json),
        ("ndjson report", clausecheck::report::Format::Ndjson),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sink = std::io::sink();
                clausecheck::check_texts(
                    &rules,
                    &sources,
                    &[("plan.ndjson", &text, PlanFormat::Ndjson)],
                    format,
                    Default::default(),
                    &mut sink,
                )
                .expect("written")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, loading, one_deployment, reading, whole_check);
criterion_main!(benches);
