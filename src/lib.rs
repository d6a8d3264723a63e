//! clausecheck checks deployment plans against commercial agreements written as rules.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! &str --syntax--> ast::RuleFile --resolve--> model::RuleSet ─┐
//! &str --plan----> plan::Plan ────────────────────────────────┴─eval─> outcomes --report--> text | json
//! ```
//!
//! The library reads no files and keeps no clock: callers hand it texts. A whole run:
//!
//! ```
//! use clausecheck::{plan::PlanFormat, source::{SourceFile, Sources}};
//!
//! let mut sources = Sources::new();
//! sources.add(SourceFile::new("deal.terms", r#"
//!     vocabulary { party acme
//!                  cloud azure, aws }
//!     agreement deal "Azure only" {
//!       parties acme
//!       effective 2026-01-01
//!       default allow
//!       clause azure_only "Acme deploys on Azure" {
//!         quote "Acme shall deploy exclusively on Azure"
//!         forbid when cloud != azure
//!       }
//!     }"#));
//! let rules = clausecheck::load_rules(&sources).expect("the rules are valid");
//! let plan = clausecheck::plan::read_plan(
//!     "deployments:\n  - {id: web, party: acme, cloud: aws, date: 2026-06-01}\n",
//!     PlanFormat::Yaml,
//!     &rules.vocabulary,
//! ).expect("the plan is readable");
//! let report = clausecheck::check(&rules, &sources, "plan.yaml", &plan);
//! assert_eq!(report.verdict, "violated");
//! assert_eq!(report.deployments[0].terms[0].clause, "azure_only");
//! ```

pub mod analysis;
pub mod diagnostic;
pub mod eval;
pub mod format;
pub mod generate;
pub mod model;
pub mod plan;
pub mod report;
pub mod resolve;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod testing;

use diagnostic::Diagnostic;
use model::RuleSet;
use source::Sources;

/// Parses and resolves every file of a rule set. All errors come back together: the syntax errors of
/// every broken file (one per top-level item or clause), or (when every file parses) every resolve
/// error. Nothing is evaluated with them.
pub fn load_rules(sources: &Sources) -> Result<RuleSet, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (id, file) in sources.iter() {
        match syntax::parse_all(id, &file.text) {
            Ok(ast) => files.push(ast),
            Err(found) => errors.extend(found.iter().map(|e| e.to_diagnostic())),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    resolve::resolve(&files)
}

/// Options of a check beyond the rules and the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckOptions {
    /// Warn about allowed deployments that become violated within this many days of their date.
    pub warn_within: Option<u32>,
}

/// Evaluates a plan against a rule set and builds its report.
pub fn check<'a>(
    rules: &'a RuleSet,
    sources: &Sources,
    plan_name: &str,
    plan: &'a plan::Plan,
) -> report::Report<'a> {
    check_with(rules, sources, plan_name, plan, CheckOptions::default())
}

/// [`check`] with options.
pub fn check_with<'a>(
    rules: &'a RuleSet,
    sources: &Sources,
    plan_name: &str,
    plan: &'a plan::Plan,
    options: CheckOptions,
) -> report::Report<'a> {
    let outcomes = eval::evaluate_plan(rules, plan);
    let expiries: Vec<Option<analysis::Expiry>> = match options.warn_within {
        None => Vec::new(),
        Some(days) => {
            let evaluator = eval::Evaluator::new(rules);
            let index = eval::PlanIndex::build(rules, plan.deployments());
            let launches = eval::Launches::Plan(&index);
            plan.records
                .iter()
                .zip(&outcomes)
                .map(|(r, o)| match (r, o) {
                    (plan::Record::Valid(d), Some(o)) if o.verdict == eval::Verdict::Allowed => {
                        analysis::expiry(&evaluator, d, launches, days)
                    }
                    _ => None,
                })
                .collect()
        }
    };
    report::build(rules, sources, plan_name, plan, &outcomes, &expiries)
}
