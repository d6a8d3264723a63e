//! Helpers shared by the integration tests: run rules and a plan through the library in one line.
#![allow(dead_code)]

use clausecheck::plan::PlanFormat;
use clausecheck::source::{SourceFile, Sources};
use serde::Deserialize;

/// A small vocabulary most semantic tests share.
pub const VOCAB: &str = "
vocabulary {
  party    alpha, beta
  product  app, db
  cloud    azure, aws, gcp
  optional channel direct, market
  flag     waived
}
";

/// The JSON report, read back: what the tests look at is what users get.
#[derive(Debug, Deserialize)]
pub struct Report {
    pub verdict: String,
    pub summary: Summary,
    pub deployments: Vec<DeploymentReport>,
    pub errors: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct Summary {
    pub deployments: usize,
    pub allowed: usize,
    pub violated: usize,
    pub errors: usize,
}

#[derive(Debug, Deserialize)]
pub struct DeploymentReport {
    pub id: String,
    pub verdict: String,
    pub agreements: Vec<String>,
    pub terms: Vec<TermReport>,
}

#[derive(Debug, Deserialize)]
pub struct TermReport {
    pub agreement: String,
    pub clause: String,
    pub status: String,
    pub reason: String,
    pub assumptions: Vec<AssumptionReport>,
}

#[derive(Debug, Deserialize)]
pub struct AssumptionReport {
    pub assumed: String,
    pub why: String,
}

/// Checks a YAML plan (a list of flow mappings, one per line) against `VOCAB` plus `rules`.
pub fn check(rules: &str, deployments: &[&str]) -> Report {
    let mut sources = Sources::new();
    sources.add(SourceFile::new("vocab.terms", VOCAB));
    sources.add(SourceFile::new("rules.terms", rules));
    check_sources(&sources, deployments)
}

pub fn check_sources(sources: &Sources, deployments: &[&str]) -> Report {
    let rules = match clausecheck::load_rules(sources) {
        Ok(r) => r,
        Err(d) => {
            panic!("rules do not load:\n{}", clausecheck::diagnostic::render(&d, sources, Default::default()))
        }
    };
    let yaml: String = std::iter::once("deployments:\n".to_string())
        .chain(deployments.iter().map(|d| format!("  - {d}\n")))
        .collect();
    let mut out = Vec::new();
    clausecheck::check_texts(
        &rules,
        sources,
        &[("plan.yaml", &yaml, PlanFormat::Yaml)],
        clausecheck::report::Format::Json,
        Default::default(),
        &mut out,
    )
    .expect("the report is written");
    serde_json::from_slice(&out).expect("the report is JSON of the contract's shape")
}

/// `(clause, status)` for every term of deployment `id`.
pub fn terms(report: &Report, id: &str) -> Vec<(String, String)> {
    deployment(report, id).terms.iter().map(|t| (t.clause.clone(), t.status.clone())).collect()
}

pub fn status(report: &Report, id: &str, clause: &str) -> String {
    let d = deployment(report, id);
    d.terms
        .iter()
        .find(|t| t.clause == clause)
        .unwrap_or_else(|| panic!("no term {clause} for {id}: {:?}", d.terms))
        .status
        .clone()
}

pub fn verdict(report: &Report, id: &str) -> String {
    deployment(report, id).verdict.clone()
}

pub fn deployment<'a>(report: &'a Report, id: &str) -> &'a DeploymentReport {
    report.deployments.iter().find(|d| d.id == id).unwrap_or_else(|| panic!("no deployment {id}"))
}

/// The bundled rule files (`rules/*.terms`), sorted by path, as (name, text).
pub fn bundled_texts() -> Vec<(String, String)> {
    let mut paths: Vec<_> = std::fs::read_dir("rules")
        .expect("run from the crate root")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "terms"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).expect("readable")))
        .collect()
}

/// The bundled rule set as sources.
pub fn bundled() -> Sources {
    let mut sources = Sources::new();
    for (name, text) in bundled_texts() {
        sources.add(SourceFile::new(name, text));
    }
    sources
}

/// Errors of the rules, rendered without colour.
pub fn rule_errors(files: &[(&str, &str)]) -> String {
    let mut sources = Sources::new();
    for (name, text) in files {
        sources.add(SourceFile::new(*name, *text));
    }
    match clausecheck::load_rules(&sources) {
        Ok(_) => String::new(),
        Err(d) => clausecheck::diagnostic::render(&d, &sources, Default::default()),
    }
}

/// Running the real binary from the crate root, with the environment that changes its output removed.
pub mod bin {
    use std::path::Path;
    use std::process::{Command, Output};

    pub fn clausecheck(args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_clausecheck"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLAUSECHECK_RULES")
            .output()
            .expect("the binary runs")
    }

    pub fn code(out: &Output) -> i32 {
        out.status.code().unwrap_or(-1)
    }

    pub fn stdout(out: &Output) -> String {
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Exit status, standard output and standard error, as one text to snapshot.
    pub fn transcript(out: &Output) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            code(out),
            stdout(out),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    /// A path relative to the crate root with `/` separators, as the output prints it.
    pub fn relative(path: &Path) -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
    }
}
