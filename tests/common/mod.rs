//! Helpers shared by the integration tests: run rules and a plan through the library in one line.
#![allow(dead_code)]

use clausecheck::plan::{read_plan, PlanFormat};
use clausecheck::report::Report;
use clausecheck::source::{SourceFile, Sources};

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

/// Checks a YAML plan (a list of flow mappings, one per line) against `VOCAB` plus `rules`.
pub fn check(rules: &str, deployments: &[&str]) -> Report<'static> {
    let mut sources = Sources::new();
    sources.add(SourceFile::new("vocab.terms", VOCAB));
    sources.add(SourceFile::new("rules.terms", rules));
    check_sources(&sources, deployments)
}

/// The report borrows the rules and the plan; a test keeps both for its whole run (leaked: they are small).
pub fn check_sources(sources: &Sources, deployments: &[&str]) -> Report<'static> {
    let rules = match clausecheck::load_rules(sources) {
        Ok(r) => r,
        Err(d) => {
            panic!("rules do not load:\n{}", clausecheck::diagnostic::render(&d, sources, Default::default()))
        }
    };
    let yaml: String = std::iter::once("deployments:\n".to_string())
        .chain(deployments.iter().map(|d| format!("  - {d}\n")))
        .collect();
    let rules = Box::leak(Box::new(rules));
    let plan =
        Box::leak(Box::new(read_plan(&yaml, PlanFormat::Yaml, &rules.vocabulary).expect("plan reads")));
    clausecheck::check(rules, sources, "plan.yaml", plan)
}

/// `(clause, status)` for every term of deployment `id`.
pub fn terms(report: &Report<'_>, id: &str) -> Vec<(String, String)> {
    deployment(report, id).terms.iter().map(|t| (t.clause.to_string(), t.status.to_string())).collect()
}

pub fn status(report: &Report<'_>, id: &str, clause: &str) -> String {
    let d = deployment(report, id);
    d.terms
        .iter()
        .find(|t| t.clause == clause)
        .unwrap_or_else(|| panic!("no term {clause} for {id}: {:?}", d.terms))
        .status
        .to_string()
}

pub fn verdict(report: &Report<'_>, id: &str) -> String {
    deployment(report, id).verdict.to_string()
}

pub fn deployment<'a>(report: &'a Report<'a>, id: &str) -> &'a clausecheck::report::DeploymentReport<'a> {
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
