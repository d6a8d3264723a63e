//! Throughput of the pipeline on generated plans: reading (YAML, JSON, NDJSON, CSV), evaluation
//! alone, and the whole check with the JSON report. `cargo bench` runs it; compare ratios within
//! one run, since these machines are noisy.

use std::hint::black_box;

use clausecheck::plan::{read_plan, PlanFormat};
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

/// `n` deployments cycling through parties, products, clouds and dates, as NDJSON lines.
fn ndjson(n: usize) -> String {
    let parties = ["openai", "openai", "openai", "microsoft"];
    let products = ["chatgpt", "api", "models", "frontier", "stateful_runtime"];
    let clouds = ["azure", "aws", "gcp", "oracle"];
    let mut out = String::with_capacity(n * 110);
    for i in 0..n {
        let year = 2019 + (i % 16);
        let month = 1 + (i / 7) % 12;
        let day = 1 + (i / 3) % 28;
        out.push_str(&format!(
            "{{\"id\":\"d{i}\",\"party\":\"{}\",\"product\":\"{}\",\"cloud\":\"{}\",\"date\":\"{year}-{month:02}-{day:02}\"}}\n",
            parties[i % 4],
            products[(i / 4) % 5],
            clouds[(i / 20) % 4],
        ));
    }
    out
}

fn convert(ndjson: &str, format: PlanFormat) -> String {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        ndjson.lines().map(|l| serde_json::from_str(l).expect("generated JSON")).collect();
    match format {
        PlanFormat::Ndjson => ndjson.to_string(),
        PlanFormat::Json => serde_json::json!({ "deployments": rows }).to_string(),
        PlanFormat::Yaml => {
            let mut out = String::from("deployments:\n");
            for r in &rows {
                let fields: Vec<String> =
                    r.iter().map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or(""))).collect();
                out.push_str(&format!("  - {{{}}}\n", fields.join(", ")));
            }
            out
        }
        PlanFormat::Csv => {
            let mut out = String::from("id,party,product,cloud,date\n");
            for r in &rows {
                let v = |k: &str| r[k].as_str().unwrap_or("").to_string();
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    v("id"),
                    v("party"),
                    v("product"),
                    v("cloud"),
                    v("date")
                ));
            }
            out
        }
    }
}

fn benches(c: &mut Criterion) {
    let sources = bundled();
    let rules = clausecheck::load_rules(&sources).expect("bundled rules load");
    let n = 100_000;
    let lines = ndjson(n);

    let mut read = c.benchmark_group("read_plan");
    read.throughput(Throughput::Elements(n as u64)).sample_size(10);
    for (name, format) in [
        ("ndjson", PlanFormat::Ndjson),
        ("json", PlanFormat::Json),
        ("csv", PlanFormat::Csv),
        ("yaml", PlanFormat::Yaml),
    ] {
        let text = convert(&lines, format);
        read.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| read_plan(black_box(text), format, &rules.vocabulary).expect("plan reads"))
        });
    }
    read.finish();

    let plan = read_plan(&lines, PlanFormat::Ndjson, &rules.vocabulary).expect("plan reads");
    let mut eval = c.benchmark_group("evaluate");
    eval.throughput(Throughput::Elements(n as u64)).sample_size(10);
    eval.bench_function("evaluate_plan", |b| {
        b.iter(|| clausecheck::eval::evaluate_plan(&rules, black_box(&plan)))
    });
    eval.bench_function("check_and_json_report", |b| {
        b.iter(|| {
            clausecheck::report::to_json(&clausecheck::check(
                &rules,
                &sources,
                "plan.ndjson",
                black_box(&plan),
            ))
        })
    });
    eval.finish();

    c.bench_function("load_bundled_rules", |b| b.iter(|| clausecheck::load_rules(black_box(&sources))));
}

criterion_group!(check, benches);
criterion_main!(check);
