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
mod json;
pub mod jsonw;
pub mod ledger;
mod lint;
mod ndjson;
mod paint;
pub mod prose;
mod text;
pub mod texts;

use std::io;

use serde::Serialize;

use crate::check::{Checked, Filter, PlanInfo, RunVerdict, Summary};
use crate::plan::{InvalidRecord, PlanError};

pub use explain::{explain_to_json, explain_to_text};
pub use json::{failed_json, ErrorReport};
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
    /// The widest record id of the run, in characters (at most 32), to line up columns.
    pub id_width: usize,
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
    }
}
