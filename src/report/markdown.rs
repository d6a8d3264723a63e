//! The Markdown report, for a pull-request comment or `$GITHUB_STEP_SUMMARY`: the totals first,
//! then a table of the violations that fail the run (deployment, clause, reason, quoted source),
//! then record errors, then known, waived and advisory violations, each in a table of its own.
//!
//! GitHub takes at most 1 MiB of job summary, so the report stops adding rows before
//! [`LIMIT`] bytes and says how many were left out. Rows of the first table are written as they
//! come; the other tables are kept until the end, within the same budget. Anything an input wrote
//! is escaped, so an id or a reason cannot break a table, add a link or inject HTML.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::texts::RuleTexts;
use super::violations::{rows, Row};
use super::{End, Needs, Render, Sink, Start};
use crate::check::{Checked, Disposition, Filter, PlanInfo, RunVerdict, Summary};
use crate::plan::{InvalidRecord, PlanError};

/// The most bytes of rows the report holds; the whole report stays under GitHub's 1 MiB.
pub const LIMIT: usize = 1_000_000;

/// The tables, in the order written. A rendered row starts with its table's byte.
const FAILING: u8 = b'V';
const ERRORS: u8 = b'E';
const KNOWN: u8 = b'K';
const WAIVED: u8 = b'W';
const ADVISORY: u8 = b'A';

/// Text escaped for a table cell: no line breaks, no `|`, no Markdown or HTML from the input.
/// Backtick-quoted words (`cloud != azure`) stay code spans, where nothing is interpreted; an
/// odd backtick is shown as itself.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let balanced = text.matches('`').count().is_multiple_of(2);
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            // GitHub splits cells at `|` even inside a code span, unless it is escaped.
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.extend(c.escape_default()),
            c if in_code => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) struct MarkdownRender<'r> {
    texts: &'r RuleTexts<'r>,
    filter: Filter,
}

impl<'r> MarkdownRender<'r> {
    pub(super) fn new(texts: &'r RuleTexts<'r>, filter: Filter) -> MarkdownRender<'r> {
        MarkdownRender { texts, filter }
    }
}

/// `id` (plan:line).
fn deployment_cell(c: &Checked<'_>) -> String {
    let d = c.deployment;
    match d.line {
        Some(line) => format!("{} ({}:{line})", cell(&d.id), cell(&c.plan.name)),
        None => format!("{} ({})", cell(&d.id), cell(&c.plan.name)),
    }
}

fn source_cell(row: &Row<'_>) -> String {
    if row.quote.is_empty() {
        cell(row.source)
    } else {
        format!("“{}” ({})", cell(row.quote), cell(row.source))
    }
}

impl Render for MarkdownRender<'_> {
    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        if self.filter == Filter::Quiet || c.violations.is_empty() {
            return;
        }
        let who = deployment_cell(c);
        for row in rows(self.texts, c) {
            let clause = format!("{} — {}", cell(&row.name()), cell(&row.title));
            let mut reason = cell(&row.reason);
            if let Some(note) = row.note().filter(|_| row.disposition() != Disposition::Waived) {
                let _ = write!(reason, " (_{}_)", cell(&note));
            }
            let line = match row.disposition() {
                Disposition::Waived => {
                    let w = row.waiver;
                    let by = w.map(|w| cell(&w.approver)).unwrap_or_default();
                    let why = w.map(|w| cell(&w.reason)).unwrap_or_default();
                    let until = w.map(|w| w.expires.to_string()).unwrap_or_default();
                    let reference = w.map(|w| cell(&w.reference())).unwrap_or_default();
                    format!("| {who} | {clause} | {by} | {why} | {until} | {reference} |\n")
                }
                _ => format!("| {who} | {clause} | {reason} | {} |\n", source_cell(&row)),
            };
            let table = match row.disposition() {
                d if c.policy.term_fails(d) => FAILING,
                Disposition::Known => KNOWN,
                Disposition::Waived => WAIVED,
                _ => ADVISORY,
            };
            out.push(table);
            out.extend_from_slice(line.as_bytes());
        }
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        if self.filter == Filter::Quiet {
            return;
        }
        for d in record.diagnostics(&plan.name) {
            let field = match &d.location {
                crate::diagnostic::Location::Record { field: Some(f), .. } => cell(f),
                _ => String::new(),
            };
            let place = d.location.place();
            let help = d.help.as_deref().map(|h| format!(" ({})", cell(h))).unwrap_or_default();
            out.push(ERRORS);
            let _ = writeln!(
                out,
                "| {} ({}) | `{}` | {field} | {}{help} |",
                cell(&record.id),
                cell(&place),
                d.code,
                cell(&d.message)
            );
        }
    }
}

#[derive(Default)]
struct Table {
    rows: Vec<u8>,
    shown: usize,
    left_out: usize,
}

pub(super) struct MarkdownSink<'r, 'w> {
    texts: &'r RuleTexts<'r>,
    /// With `--quiet`, the totals alone.
    quiet: bool,
    out: Box<dyn Write + Send + 'w>,
    /// Bytes of rows taken so far, written or kept.
    used: usize,
    failing: Table,
    kept: [Table; 4],
}

impl<'r, 'w> MarkdownSink<'r, 'w> {
    pub(super) fn new(
        texts: &'r RuleTexts<'r>,
        filter: Filter,
        out: Box<dyn Write + Send + 'w>,
    ) -> MarkdownSink<'r, 'w> {
        let quiet = filter == Filter::Quiet;
        MarkdownSink { texts, quiet, out, used: 0, failing: Table::default(), kept: Default::default() }
    }

    fn take(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut rest = bytes;
        while let Some((&table, tail)) = rest.split_first() {
            let end = tail.iter().position(|&b| b == b'\n').map_or(tail.len(), |i| i + 1);
            let (row, next) = tail.split_at(end);
            rest = next;
            let fits = self.used + row.len() <= LIMIT;
            if table == FAILING {
                if fits {
                    if self.failing.shown == 0 {
                        self.out.write_all(
                            b"\n### Violations\n\n| deployment | clause | reason | source |\n| --- | --- | --- | --- |\n",
                        )?;
                    }
                    self.out.write_all(row)?;
                    self.failing.shown += 1;
                    self.used += row.len();
                } else {
                    self.failing.left_out += 1;
                }
                continue;
            }
            let slot = match table {
                ERRORS => 0,
                KNOWN => 1,
                WAIVED => 2,
                _ => 3,
            };
            let t = &mut self.kept[slot];
            if fits {
                t.rows.extend_from_slice(row);
                t.shown += 1;
                self.used += row.len();
            } else {
                t.left_out += 1;
            }
        }
        Ok(())
    }
}

fn more(n: usize) -> String {
    format!("\n_{n} more not shown: the report stops before GitHub's 1 MiB limit; see the full report with `--format text` or `--format json`._\n")
}

fn totals(s: &Summary) -> String {
    format!(
        "| deployments | allowed | violated | advisory | waived | known | errors |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n| {} | {} | {} | {} | {} | {} | {} |\n",
        s.deployments, s.allowed, s.violated, s.advisory, s.waived, s.known, s.errors
    )
}

impl Sink for MarkdownSink<'_, '_> {
    fn needs(&self) -> Needs {
        Needs { summary_first: true, errors_apart: false }
    }

    fn begin(&mut self, start: &Start<'_>) -> io::Result<()> {
        let (summary, verdict) =
            start.summary.map_or((Summary::default(), RunVerdict::Error), |(s, v)| (*s, v));
        let title = match verdict {
            RunVerdict::Allowed if summary.deployments == summary.allowed => {
                "✅ clausecheck: every deployment is allowed".to_owned()
            }
            RunVerdict::Allowed => "✅ clausecheck: nothing fails the run".to_owned(),
            RunVerdict::Violated => {
                let failing =
                    summary.violated + if start.policy.fail_on_advisory { summary.advisory } else { 0 };
                format!(
                    "❌ clausecheck: {failing} of {} {} violated",
                    summary.deployments,
                    if summary.deployments == 1 { "deployment" } else { "deployments" }
                )
            }
            RunVerdict::Error => "⚠️ clausecheck: some input is wrong".to_owned(),
        };
        let text = format!("## {title}\n\n{}", totals(&summary));
        self.out.write_all(text.as_bytes())
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let d = error.to_diagnostic(&plan.name);
        let help = d.help.as_deref().map(|h| format!(" ({})", cell(h))).unwrap_or_default();
        let row =
            format!("E| {} | `{}` |  | {}{help} |\n", cell(&d.location.place()), d.code, cell(&d.message));
        self.take(row.as_bytes())
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes)
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes)
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        let mut s = String::new();
        if self.failing.left_out > 0 {
            s.push_str(&more(self.failing.left_out));
        }
        let heads = [
            "### Errors in the plans\n\n| record | code | field | problem |\n| --- | --- | --- | --- |\n",
            "### Known (in the baseline, not failing)\n\n| deployment | clause | reason | source |\n| --- | --- | --- | --- |\n",
            "### Waived\n\n| deployment | clause | approved by | reason | until | ticket |\n| --- | --- | --- | --- | --- | --- |\n",
            "### Advisory (not failing)\n\n| deployment | clause | reason | source |\n| --- | --- | --- | --- |\n",
        ];
        for (t, head) in self.kept.iter().zip(heads) {
            if t.shown + t.left_out == 0 {
                continue;
            }
            s.push('\n');
            s.push_str(head);
            s.push_str(&String::from_utf8_lossy(&t.rows));
            if t.left_out > 0 {
                s.push_str(&more(t.left_out));
            }
        }
        let policy = end.policy;
        let unused: Vec<usize> = if self.quiet { Vec::new() } else { end.usage.unused_waivers().collect() };
        if !unused.is_empty() {
            s.push_str("\n### Waivers that match nothing\n\n");
            for i in unused {
                let w = &policy.waivers.list[i];
                let _ = writeln!(
                    s,
                    "- ⚠️ {}: {} approved by {}",
                    cell(&w.place(&policy.waivers.file)),
                    cell(&format!("`{}`", w.target.replace('`', ""))),
                    cell(&w.approver)
                );
            }
        }
        let expired: Vec<(usize, usize)> =
            if self.quiet { Vec::new() } else { end.usage.expired_waivers().collect() };
        if !expired.is_empty() {
            s.push_str("\n### Expired waivers\n\n");
            for (i, n) in expired {
                let w = &policy.waivers.list[i];
                let _ = writeln!(
                    s,
                    "- ⚠️ {}: {}",
                    cell(&w.place(&policy.waivers.file)),
                    cell(&w.expired_words(n))
                );
            }
        }
        if let Some(b) = policy.baseline.as_ref().filter(|_| !self.quiet) {
            let fixed: Vec<usize> = end.usage.fixed().collect();
            if !fixed.is_empty() {
                let _ = write!(s, "\n### Fixed since the baseline\n\n");
                let mut budget = LIMIT.saturating_sub(self.used);
                let mut left = 0;
                for i in fixed {
                    let e = &b.entries[i];
                    let line = format!(
                        "- ✅ {} ({}): {}.{}\n",
                        cell(&e.id),
                        cell(&e.plan),
                        cell(&e.agreement),
                        cell(&e.clause)
                    );
                    if line.len() > budget {
                        left += 1;
                        continue;
                    }
                    budget -= line.len();
                    s.push_str(&line);
                }
                if left > 0 {
                    s.push_str(&more(left));
                }
            }
        }
        if end.failed_plans > 0 {
            let _ = writeln!(
                s,
                "\n{} could not be read (listed under errors).",
                if end.failed_plans == 1 {
                    "1 plan".to_owned()
                } else {
                    format!("{} plans", end.failed_plans)
                }
            );
        }
        let _ = self.texts;
        self.out.write_all(s.as_bytes())?;
        self.out.flush()
    }
}

/// The Markdown report of a run that checked nothing: the inputs are wrong.
pub(super) fn failed(
    diagnostics: &[crate::diagnostic::Diagnostic],
    sources: &crate::source::Sources,
) -> Vec<u8> {
    let errors = diagnostics.iter().filter(|d| d.severity == crate::diagnostic::Severity::Error).count();
    let mut s = format!(
        "## ⚠️ clausecheck: nothing was checked\n\nThe inputs have {errors} {}.\n\n| place | code | problem |\n| --- | --- | --- |\n",
        if errors == 1 { "error" } else { "errors" }
    );
    for d in diagnostics.iter().take(crate::diagnostic::MAX_JSON_ERRORS) {
        let (file, line, column) = d.file_line_column(sources);
        let place = match (file, line, column) {
            (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}"),
            (Some(f), Some(l), None) => format!("{f}:{l}"),
            (Some(f), _, _) => f,
            _ => String::new(),
        };
        let help = d.help.as_deref().map(|h| format!(" ({})", cell(h))).unwrap_or_default();
        let _ = writeln!(s, "| {} | `{}` | {}{help} |", cell(&place), d.code, cell(&d.message));
    }
    s.into_bytes()
}
