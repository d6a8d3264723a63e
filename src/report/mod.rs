//! Stage five: checked records to reports, one record at a time.
//!
//! A format is two halves. Its [`Render`] turns one checked deployment or record error into bytes;
//! it is pure and shared, so the run calls it on every thread at once. Its [`Sink`] receives those
//! bytes in input order and writes them, with whatever a format puts around them (a JSON
//! document's opening and closing, the summary); a format that needs the totals first or its
//! errors apart says so in [`Needs`], and the run provides them from its spool, so no sink holds
//! more than it must.
//!
//! Reports carry statuses and structured reasons up to here; words are made only by formats that
//! show them, from [`texts`] (made once per run) and [`prose`]. Only this module knows serde's
//! output side and JSON. No timestamps, no hash-map order: the same input gives the same bytes.

pub mod diff;
mod explain;
mod github;
pub mod html;
mod json;
pub mod jsonw;
pub mod junit;
pub mod ledger;
mod lint;
mod markdown;
mod ndjson;
mod paint;
pub mod prose;
mod sarif;
mod text;
pub mod texts;
pub mod violations;

use std::io;

use serde::Serialize;

use crate::check::policy::Usage;
use crate::check::{Checked, Filter, PlanInfo, Policy, RunVerdict, Summary};
use crate::plan::{InvalidRecord, PlanError};

pub use explain::{explain_to_json, explain_to_text};
pub use json::{failed_json, with_error_reports, ErrorReport};
pub use lint::lint_to_json;
pub use paint::Paint;
pub use text::{safe, safe_lines};
pub use texts::RuleTexts;

/// Turns checked records into a format's bytes. Pure: called on many threads at once.
pub trait Render: Send + Sync {
    /// Told what the run knows before the first record is rendered (the width of ids).
    fn prepare(&mut self, _start: &Start<'_>) {}
    fn deployment(&self, item: &Checked<'_>, out: &mut Vec<u8>);
    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>);
}

/// What a format needs from the run beyond the records in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// The totals before the first record (JSON, JUnit, markdown).
    pub summary_first: bool,
    /// Record errors after every deployment, in their own list (JSON), rather than among them.
    pub errors_apart: bool,
}

/// What is known when a report begins.
#[derive(Debug, Clone, Copy)]
pub struct Start<'a> {
    /// With [`Needs::summary_first`]: the totals and the verdict.
    pub summary: Option<(&'a Summary, RunVerdict)>,
    /// With [`Needs::summary_first`]: the totals of each plan, in plan order.
    pub plans: &'a [Summary],
    /// The widest record id of the run, in characters (at most 32), to line up columns.
    pub id_width: usize,
    /// What the run judges by: waivers, baseline, what fails.
    pub policy: &'a Policy,
    /// Plans that could not be read at all.
    pub failed_plans: usize,
}

/// What is known when a report ends.
#[derive(Debug, Clone, Copy)]
pub struct End<'a> {
    pub summary: &'a Summary,
    pub verdict: RunVerdict,
    /// Plans that could not be read at all.
    pub failed_plans: usize,
    /// For each agreement, whether it was in force for some deployment.
    pub agreements_seen: &'a [bool],
    pub policy: &'a Policy,
    /// What the run made of the waivers and the baseline.
    pub usage: &'a Usage,
}

/// Writes one format's report as the pieces arrive, in input order.
pub trait Sink: Send {
    fn needs(&self) -> Needs {
        Needs::default()
    }
    fn begin(&mut self, start: &Start<'_>) -> io::Result<()>;
    /// A plan that could not be read at all: before the first deployment, or (with
    /// [`Needs::errors_apart`]) among the record errors, in plan order.
    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()>;
    /// A plan's records are about to come (every plan that was read, in plan order).
    fn plan_begin(&mut self, _plan: &PlanInfo) -> io::Result<()> {
        Ok(())
    }
    /// A plan's records have all come.
    fn plan_end(&mut self, _plan: &PlanInfo) -> io::Result<()> {
        Ok(())
    }
    /// A rendered deployment (never empty).
    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// A rendered record error (never empty).
    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()>;
    fn finish(&mut self, end: &End<'_>) -> io::Result<()>;
}

/// The report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Json,
    Ndjson,
    /// A pull-request comment or `$GITHUB_STEP_SUMMARY`: totals, then tables, under 1 MiB.
    Markdown,
    /// JUnit XML: a test suite per plan, a test case per deployment.
    Junit,
    /// SARIF 2.1.0, as GitHub code scanning reads it.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One self-contained HTML page for people: summary, violations by clause, filters.
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Html => "html",
        }
    }
}

/// How a report is to look, beyond its format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// ANSI colour (text only).
    pub color: bool,
    pub filter: Filter,
}

/// One format's two halves, writing to `out`.
pub struct Output<'r> {
    pub render: Box<dyn Render + 'r>,
    pub sink: Box<dyn Sink + 'r>,
}

/// The render and sink of `format`, writing to `out`.
pub fn output<'r>(
    format: Format,
    texts: &'r RuleTexts<'r>,
    style: Style,
    out: Box<dyn io::Write + Send + 'r>,
) -> Output<'r> {
    match format {
        Format::Text => Output {
            render: Box::new(text::TextRender::new(texts, style)),
            sink: Box::new(text::TextSink::new(texts, style, out)),
        },
        Format::Json => Output {
            render: Box::new(json::JsonRender::new(texts, style.filter, true)),
            sink: Box::new(json::JsonSink::new(out, style.filter)),
        },
        Format::Ndjson => Output {
            render: Box::new(json::JsonRender::new(texts, style.filter, false)),
            sink: Box::new(ndjson::NdjsonSink::new(out)),
        },
        Format::Markdown => Output {
            render: Box::new(markdown::MarkdownRender::new(texts, style.filter)),
            sink: Box::new(markdown::MarkdownSink::new(texts, style.filter, out)),
        },
        Format::Junit => Output {
            render: Box::new(junit::JunitRender::new(texts)),
            sink: Box::new(junit::JunitSink::new(out)),
        },
        Format::Sarif => Output {
            render: Box::new(sarif::SarifRender::new(texts)),
            sink: Box::new(sarif::SarifSink::new(texts, out)),
        },
        Format::Github => Output {
            render: Box::new(github::GithubRender::new(texts)),
            sink: Box::new(github::GithubSink::new(out)),
        },
        // Without the timeline picture: the CLI, which has the sources, calls `html::output`.
        Format::Html => html::output(texts, style, None, out),
    }
}

/// A report of a run that checked nothing, because the rules (or another input read before the
/// run: waivers, a baseline) are wrong, in `format`: the diagnostics as the format shows
/// findings. Text is `None`: the diagnostics went to standard error.
pub fn failed(
    format: Format,
    diagnostics: &[crate::diagnostic::Diagnostic],
    sources: &crate::source::Sources,
) -> Option<Vec<u8>> {
    match format {
        Format::Text => None,
        Format::Json | Format::Ndjson => Some(json::failed_from(diagnostics, sources)),
        Format::Markdown => Some(markdown::failed(diagnostics, sources)),
        Format::Junit => Some(junit::failed(diagnostics, sources)),
        Format::Sarif => Some(sarif::diagnostics(diagnostics, sources, "check")),
        Format::Github => Some(github::failed(diagnostics, sources)),
        Format::Html => Some(html::failed(diagnostics, sources)),
    }
}

pub use github::diagnostics as diagnostics_to_github;
pub use sarif::diagnostics as diagnostics_to_sarif;
