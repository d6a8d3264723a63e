//! GitHub Actions workflow commands: each finding an annotation on the line of the plan it is
//! about (`::error file=…,line=…,col=…,title=…::…`).
//!
//! The runner shows at most 10 errors and 10 warnings (and 10 notices) of a step, so the sink
//! keeps only the first few of each kind, most important first — violations that fail the run,
//! then record errors; then advisory, known and other warnings; then waived violations as
//! notices — and ends with one notice that gives the totals and counts the rest.
//!
//! Values are escaped as the runner requires: in a message `%`, CR and LF; in a property also `:`
//! and `,`. Control characters are escaped too, so an input cannot start a command of its own.

use std::io::{self, Write};

use super::texts::RuleTexts;
use super::violations::rows;
use super::{End, Needs, Render, Sink, Start};
use crate::check::{Checked, Disposition, PlanInfo};
use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::plan::{InvalidRecord, PlanError};
use crate::source::Sources;

/// Annotations of each kind the runner shows for one step.
pub const SHOWN: usize = 10;

/// Kinds of annotation, in order of importance; a rendered line starts with its kind.
const FAILING: u8 = b'0';
const RECORD_ERROR: u8 = b'1';
const ADVISORY: u8 = b'2';
const KNOWN: u8 = b'3';
const WARNING: u8 = b'4';
const WAIVED: u8 = b'5';
const KINDS: usize = 6;

fn escape_into(out: &mut String, text: &str, property: bool) {
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
}

/// A message (the data after `::`), escaped.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, false);
    out
}

/// A property value (`file=`, `title=`), escaped.
pub fn escape_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, true);
    out
}

/// `::error file=…,line=…,col=…,title=…::message`.
pub fn command(
    kind: &str,
    file: Option<&str>,
    line: Option<usize>,
    column: Option<usize>,
    title: &str,
    message: &str,
) -> String {
    let mut props = Vec::new();
    if let Some(f) = file {
        props.push(format!("file={}", escape_property(f)));
        if let Some(l) = line {
            props.push(format!("line={l}"));
            if let Some(c) = column {
                props.push(format!("col={c}"));
            }
        }
    }
    props.push(format!("title={}", escape_property(title)));
    format!("::{kind} {}::{}", props.join(","), escape_data(message))
}

pub(super) struct GithubRender<'r> {
    texts: &'r RuleTexts<'r>,
}

impl<'r> GithubRender<'r> {
    pub(super) fn new(texts: &'r RuleTexts<'r>) -> GithubRender<'r> {
        GithubRender { texts }
    }
}

fn file_of(plan: &PlanInfo) -> Option<&str> {
    (plan.name.as_ref() != "<stdin>").then_some(&plan.name)
}

fn push(out: &mut Vec<u8>, kind: u8, line: &str) {
    out.push(kind);
    out.extend_from_slice(line.as_bytes());
    out.push(b'\n');
}

impl Render for GithubRender<'_> {
    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        let d = c.deployment;
        let file = file_of(c.plan);
        for row in rows(self.texts, c) {
            let (kind, word) = match row.disposition() {
                x if c.policy.term_fails(x) => (FAILING, "error"),
                Disposition::Waived => (WAIVED, "notice"),
                Disposition::Known => (KNOWN, "warning"),
                _ => (ADVISORY, "warning"),
            };
            let mut message = format!("{} violates {}: {}", d.id, row.name(), row.reason);
            if !row.quote.is_empty() {
                message.push_str(&format!("\n“{}”", row.quote));
            }
            message.push_str(&format!("\n{}", row.source));
            if let Some(note) = row.note() {
                message.push_str(&format!("\n{note}"));
            }
            let title = format!("{} — {}", row.name(), row.title);
            push(out, kind, &command(word, file, d.line, d.column, &title, &message));
        }
        if let Some(e) = c.expiry {
            let by = crate::analysis::violation_names(self.texts.rules, &e.change.by).join(", ");
            let message =
                format!("{} becomes violated on {} ({} days later) by {by}", d.id, e.change.date, e.days);
            push(
                out,
                WARNING,
                &command("warning", file, d.line, d.column, codes::BECOMES_VIOLATED.name, &message),
            );
        }
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        for d in record.diagnostics(&plan.name) {
            let message = format!("record {}: {}", record.id, d.one_line(&Sources::new()));
            push(
                out,
                RECORD_ERROR,
                &command("error", file_of(plan), record.line, record.column, d.code.name, &message),
            );
        }
    }
}

pub(super) struct GithubSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    kept: Vec<Vec<String>>,
    counts: [usize; KINDS],
}

impl<'w> GithubSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>) -> GithubSink<'w> {
        GithubSink { out, kept: vec![Vec::new(); KINDS], counts: [0; KINDS] }
    }

    fn take(&mut self, bytes: &[u8]) {
        for line in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let kind = usize::from(line[0].wrapping_sub(b'0')).min(KINDS - 1);
            self.counts[kind] += 1;
            if self.kept[kind].len() < SHOWN {
                self.kept[kind].push(String::from_utf8_lossy(&line[1..]).into_owned());
            }
        }
    }
}

impl Sink for GithubSink<'_> {
    fn needs(&self) -> Needs {
        Needs::default()
    }

    fn begin(&mut self, _start: &Start<'_>) -> io::Result<()> {
        Ok(())
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        let d = error.to_diagnostic(&plan.name);
        let line = command(
            "error",
            file_of(plan),
            error.line,
            error.column,
            d.code.name,
            &d.one_line(&Sources::new()),
        );
        let mut piece = vec![RECORD_ERROR];
        piece.extend_from_slice(line.as_bytes());
        self.take(&piece);
        Ok(())
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes);
        Ok(())
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes);
        Ok(())
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        let policy = end.policy;
        let mut piece = Vec::new();
        for i in end.usage.unused_waivers() {
            let w = &policy.waivers.list[i];
            let message =
                format!("the waiver of {} approved by {} matches no violation", w.target, w.approver);
            push(
                &mut piece,
                WARNING,
                &command(
                    "warning",
                    Some(&policy.waivers.file),
                    w.line,
                    None,
                    codes::WAIVER_UNUSED.name,
                    &message,
                ),
            );
        }
        for (i, n) in end.usage.expired_waivers() {
            let w = &policy.waivers.list[i];
            let message = w.expired_words(n);
            let title = codes::WAIVER_EXPIRED.name;
            push(
                &mut piece,
                WARNING,
                &command("warning", Some(&policy.waivers.file), w.line, None, title, &message),
            );
        }
        self.take(&piece);
        let mut out = String::new();
        let mut left = [0usize; 3];
        // Errors, warnings, notices: the kinds of each, most important first.
        let groups: [(&[usize], usize); 3] = [(&[0, 1], SHOWN), (&[2, 3, 4], SHOWN), (&[5], SHOWN - 1)];
        for (g, (kinds, cap)) in groups.iter().enumerate() {
            let mut shown = 0;
            for &k in *kinds {
                for line in &self.kept[k] {
                    if shown < *cap {
                        out.push_str(line);
                        out.push('\n');
                        shown += 1;
                    }
                }
                left[g] += self.counts[k];
            }
            left[g] -= shown;
        }
        let s = end.summary;
        let mut summary = format!(
            "{} {}: {} allowed, {} violated, {} advisory, {} waived, {} known, {} {}",
            s.deployments,
            if s.deployments == 1 { "deployment" } else { "deployments" },
            s.allowed,
            s.violated,
            s.advisory,
            s.waived,
            s.known,
            s.errors,
            if s.errors == 1 { "error" } else { "errors" }
        );
        if end.failed_plans > 0 {
            let plans = if end.failed_plans == 1 { "plan" } else { "plans" };
            summary.push_str(&format!("; {} {plans} could not be read", end.failed_plans));
        }
        let words = [("error", "errors"), ("warning", "warnings"), ("notice", "notices")];
        let rest: Vec<String> = left
            .iter()
            .zip(words)
            .filter(|(n, _)| **n > 0)
            .map(|(n, (one, many))| format!("{n} more {}", if *n == 1 { one } else { many }))
            .collect();
        if !rest.is_empty() {
            summary.push_str(&format!(
                "; {} not shown as annotations (GitHub shows 10 of each kind per step; see the full report)",
                rest.join(", ")
            ));
        }
        out.push_str(&command("notice", None, None, None, "clausecheck", &summary));
        out.push('\n');
        self.out.write_all(out.as_bytes())?;
        self.out.flush()
    }
}

/// Annotations for findings outside a run (`lint`, or the errors of inputs that stopped a run),
/// at most [`SHOWN`] of each kind, then a notice counting them.
pub fn diagnostics(found: &[Diagnostic], sources: &Sources) -> Vec<u8> {
    let mut out = String::new();
    let mut counts = [0usize; 3];
    for d in found {
        let k = match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        counts[k] += 1;
        if counts[k] > if k == 2 { SHOWN - 1 } else { SHOWN } {
            continue;
        }
        let (file, line, column) = d.file_line_column(sources);
        let kind = ["error", "warning", "notice"][k];
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&command(kind, file.as_deref(), line, column, d.code.name, &message));
        out.push('\n');
    }
    let summary = format!("{} errors, {} warnings, {} notes", counts[0], counts[1], counts[2]);
    out.push_str(&command("notice", None, None, None, "clausecheck", &summary));
    out.push('\n');
    out.into_bytes()
}

/// The annotations of a run that checked nothing: the inputs are wrong.
pub(super) fn failed(found: &[Diagnostic], sources: &Sources) -> Vec<u8> {
    diagnostics(found, sources)
}
