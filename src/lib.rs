//! clausecheck checks deployment plans against commercial agreements written as rules.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! &str --syntax--> ast::RuleFile --resolve--> model::RuleSet ─┐
//! &str --plan----> plan::Plan ────────────────────────────────┴─eval─> outcomes --report--> text | json
//! ```
//!
//! The library reads no files and keeps no clock: callers hand it texts (or readers). A whole run:
//!
//! ```
//! use clausecheck::{plan::PlanFormat, report::Format, source::{SourceFile, Sources}};
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
//! let plan = "deployments:\n  - {id: web, party: acme, cloud: aws, date: 2026-06-01}\n";
//! let mut out = Vec::new();
//! let finished = clausecheck::check_texts(
//!     &rules, &sources, &[("plan.yaml", plan, PlanFormat::Yaml)], Format::Json, Default::default(), &mut out,
//! ).expect("writing to memory works");
//! assert_eq!(finished.verdict.as_str(), "violated");
//! let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(report["deployments"][0]["terms"][0]["clause"], "azure_only");
//! ```

// pest's code is generated for `alloc` paths: its `std` feature, which probes the stack on every
// rule call, is off (the syntax limits keep nesting far below the stack the CLI gives).
extern crate alloc;

pub mod analysis;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod events;
pub mod format;
pub mod generate;
pub mod ledger;
pub mod lsp;
pub mod model;
pub mod plan;
pub mod report;
pub mod resolve;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod testing;
pub mod timeline;
pub mod waivers;

use diagnostic::Diagnostic;
use model::RuleSet;
use source::Sources;

/// Parses and resolves every file of a rule set. All errors come back together: the syntax errors of
/// every broken file (one per top-level item or clause), or (when every file parses) every resolve
/// error. Nothing is evaluated with them.
pub fn load_rules(sources: &Sources) -> Result<RuleSet, Vec<Diagnostic>> {
    load_rules_with(sources, &[])
}

/// A source that dates the rules' events rather than holding rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventsInput {
    /// An events file (`--events`): a mapping of event names to days.
    File(source::FileId),
    /// A plan document whose `events` key (if any) dates events.
    Plan(source::FileId),
}

impl EventsInput {
    fn file(self) -> source::FileId {
        match self {
            EventsInput::File(f) | EventsInput::Plan(f) => f,
        }
    }
}

/// [`load_rules`], where the sources named in `events` are not rules but give the dates of
/// the rules' events. Errors in them are reported with the rules' errors; nothing is resolved
/// with a broken events file (a date silently missing would change verdicts).
pub fn load_rules_with(sources: &Sources, events: &[EventsInput]) -> Result<RuleSet, Vec<Diagnostic>> {
    load_rules_dated(sources, events, &[])
}

/// [`load_rules_with`], with some events' dates replaced: `explain` asks what a verdict would be
/// had an event happened.
pub fn load_rules_dated(
    sources: &Sources,
    events: &[EventsInput],
    replaced: &[events::GivenEvent],
) -> Result<RuleSet, Vec<Diagnostic>> {
    let is_events = |id: source::FileId| events.iter().any(|e| e.file() == id);
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (id, file) in sources.iter().filter(|(id, _)| !is_events(*id)) {
        match syntax::parse_all(id, &file.text) {
            Ok(ast) => files.push(ast),
            Err(found) => errors.extend(found.iter().map(|e| e.to_diagnostic())),
        }
    }
    let mut given = Vec::new();
    for input in events {
        let text = &sources.get(input.file()).text;
        let read = match input {
            EventsInput::File(f) => events::read(*f, text),
            EventsInput::Plan(f) => events::read_from_plan(*f, text),
        };
        match read {
            Ok(found) => given.extend(found),
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    given.retain(|g| !replaced.iter().any(|r| r.name == g.name));
    given.extend(replaced.iter().cloned());
    let starts: Vec<source::Span> =
        sources.iter().filter(|(id, _)| !is_events(*id)).map(|(id, _)| source::Span::new(id, 0, 0)).collect();
    resolve::resolve_with(&files, &starts, &given)
}

/// Checks plans held in memory and writes one report: the whole pipeline in one call, for tests,
/// case files and embedding. `plans` are (name, text, format). The CLI runs the same passes over
/// files and standard input, with a spool on disk.
pub fn check_texts(
    rules: &RuleSet,
    sources: &Sources,
    plans: &[(&str, &str, plan::PlanFormat)],
    format: report::Format,
    options: check::CheckOptions,
    out: &mut (dyn std::io::Write + Send),
) -> std::io::Result<check::run::Finished> {
    let checker = check::Checker::new(rules, options);
    let texts = report::RuleTexts::new(rules, sources);
    let mut outputs = [report::output(format, &texts, report::Style::default(), Box::new(out))];
    let inputs = plans
        .iter()
        .enumerate()
        .map(|(seq, (name, text, format))| check::run::PlanInput {
            info: check::PlanInfo { name: std::sync::Arc::from(*name), seq },
            source: Ok(check::run::Source { format: *format, input: Box::new(text.as_bytes()) }),
        })
        .collect();
    let mut spool = check::spool::Spool::in_memory();
    check::run::run(&checker, inputs, &mut spool, &mut outputs, options.jobs, &mut |_| {})
}
