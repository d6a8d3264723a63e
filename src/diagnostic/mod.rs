//! Diagnostics: the one shape every finding takes on its way to the user.
//!
//! Each stage has its own error type (`syntax::SyntaxError`, `resolve::ResolveError`, a plan's
//! `RecordProblem`, lint's `Finding`, a case file's `Problem`, a waiver's problem) that knows
//! what went wrong; each converts, at its edge, into a [`Diagnostic`] that knows where (a
//! [`Location`]), which kind ([`codes`]: one registry of every code) and how to advise.
//! Rendering happens only here, through miette — with our own mapping from byte spans to
//! miette's source spans, not pest's `miette-error` feature (which mislabels lines).

pub mod codes;

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};

use crate::report::{safe, safe_lines};
use crate::source::{SourceFile, Sources, Span};

pub use codes::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing; never a failure.
    Note,
}

/// A labelled place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A place in a rule file, with other places that explain it (the first definition of a
    /// duplicate), in any file of the rule set.
    Rules { primary: Label, secondary: Vec<Label> },
    /// A record of a plan: its file, id or `#N`, position, and line and column where the format
    /// has lines.
    Record {
        file: String,
        record: String,
        position: usize,
        line: Option<usize>,
        column: Option<usize>,
        field: Option<String>,
    },
    /// A place in another file: a plan as a whole, a waivers, baseline or case file.
    File { file: String, line: Option<usize>, column: Option<usize> },
    /// Nowhere in particular (no rules found, a run's totals).
    None,
}

impl Location {
    /// `file:line:column`, as far as it is known; empty for [`Location::None`] and rule spans
    /// (which need the sources: [`Sources::location`]).
    pub fn place(&self) -> String {
        let (file, line, column) = match self {
            Location::Record { file, line, column, .. } | Location::File { file, line, column } => {
                (file, line, column)
            }
            Location::Rules { .. } | Location::None => return String::new(),
        };
        match (line, column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.clone(),
        }
    }
}

/// One finding, ready to render: severity, code, message, help and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, for scripts and docs, from the registry: `syntax`, `unknown-name`, ...
    pub code: &'static Code,
    /// Lowercase, no final period, user input in backticks.
    pub message: String,
    pub help: Option<String>,
    pub location: Location,
}

impl Diagnostic {
    /// A finding of `code` at `location`, with the code's default severity.
    pub fn new(code: &'static Code, message: impl Into<String>, location: Location) -> Diagnostic {
        Diagnostic { severity: code.severity, code, message: message.into(), help: None, location }
    }

    /// An error at a place in a rule file, labelled.
    pub fn error(
        code: &'static Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            location: Location::Rules { primary: Label { span, text: label.into() }, secondary: Vec::new() },
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Adds a place that explains this one (for rule-file diagnostics; ignored elsewhere).
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        if let Location::Rules { secondary, .. } = &mut self.location {
            secondary.push(Label { span, text: text.into() });
        }
        self
    }

    /// The place in a rule file, for rule-file diagnostics.
    pub fn span(&self) -> Option<Span> {
        match &self.location {
            Location::Rules { primary, .. } => Some(primary.span),
            _ => None,
        }
    }

    /// `file`, `line` and `column` of the finding, rule spans looked up in `sources`.
    pub fn file_line_column(&self, sources: &Sources) -> (Option<String>, Option<usize>, Option<usize>) {
        match &self.location {
            Location::Rules { primary, .. } => {
                let file = sources.get(primary.span.file);
                let (line, column) = file.line_col(primary.span.start as usize);
                (Some(file.name.clone()), Some(line), Some(column))
            }
            Location::Record { file, line, column, .. } | Location::File { file, line, column } => {
                (Some(file.clone()), *line, *column)
            }
            Location::None => (None, None, None),
        }
    }

    /// `file:line:column: message (help)` on one line, for logs; control characters are the
    /// caller's to escape.
    pub fn one_line(&self, sources: &Sources) -> String {
        let place = match &self.location {
            Location::Rules { primary, .. } => sources.location(primary.span),
            other => other.place(),
        };
        let mut s = if place.is_empty() { String::new() } else { format!("{place}: ") };
        if let Location::Record { field: Some(field), .. } = &self.location {
            s.push_str(field);
            s.push_str(": ");
        }
        s.push_str(&self.message);
        if let Some(help) = &self.help {
            s.push_str(" (");
            s.push_str(help);
            s.push(')');
        }
        s
    }
}

/// The most rule errors a JSON report lists (all of them are counted).
pub const MAX_JSON_ERRORS: usize = 1000;

/// The most diagnostics shown for one file; the rest are counted in one line.
pub const MAX_PER_FILE: usize = 50;

/// The diagnostics worth showing: at most [`MAX_PER_FILE`] of each file, in order, each file's
/// remainder counted in one note at its first place. A file with a hundred thousand broken lines
/// is reported in a screenful, and its first errors are what needs fixing first.
pub fn cap(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut shown: Vec<Diagnostic> = Vec::new();
    let mut per_file: Vec<(crate::source::FileId, usize, Span)> = Vec::new();
    for d in diagnostics {
        let Some(span) = d.span() else {
            shown.push(d.clone());
            continue;
        };
        let file = span.file;
        let i = match per_file.iter().position(|(f, _, _)| *f == file) {
            Some(i) => i,
            None => {
                per_file.push((file, 0, span));
                per_file.len() - 1
            }
        };
        per_file[i].1 += 1;
        if per_file[i].1 <= MAX_PER_FILE {
            shown.push(d.clone());
        }
    }
    for (_, n, span) in per_file {
        if n > MAX_PER_FILE {
            let more = n - MAX_PER_FILE;
            shown.push(Diagnostic {
                severity: Severity::Note,
                code: codes::MORE_ERRORS,
                message: format!(
                    "and {more} more {} in this file",
                    if more == 1 { "error" } else { "errors" }
                ),
                help: Some(format!("the first {MAX_PER_FILE} are shown; fix them and check again")),
                location: Location::Rules {
                    primary: Label { span: Span { end: span.start, ..span }, text: String::new() },
                    secondary: Vec::new(),
                },
            });
        }
    }
    shown
}

/// How to draw diagnostics: with colour and Unicode on a terminal, plain for logs and snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions { color: false, width: 100 }
    }
}

/// Renders diagnostics the way miette draws them: `file:line:col`, the source line, a caret, the
/// label, then help. Output depends only on the inputs, so it can be snapshot-tested.
///
/// miette is handed a small window of each file around the places a diagnostic names, never the
/// whole file: rendering thousands of diagnostics of a large file costs the windows, not the
/// file each time. A line longer than [`LONG_LINE`] characters is cut to a stretch around the
/// caret (miette cannot draw a caret past column 65,535), and control characters in the source
/// are drawn as the visible symbols of Unicode's Control Pictures, so a rule file cannot send
/// escape sequences to the reader's terminal; messages, labels and help, which may quote the
/// input (``unexpected `…` ``), have their control characters escaped (a help's own line breaks
/// are kept).
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, options: RenderOptions) -> String {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        // A blank line between findings, so each code line reads as the start of the next.
        if i > 0 {
            out.push('\n');
        }
        let adapter = Adapter::new(d, sources);
        // INVARIANT: writing to a String cannot fail, and the adapter's spans lie inside its window.
        let _ = handler.render_report(&mut out, &adapter);
    }
    out
}

/// Lines longer than this (in characters) are shown cut, around the place.
pub const LONG_LINE: usize = 240;

/// Labels further from the primary place than this many lines are drawn after it, as notes with
/// windows (and headers) of their own, so a diagnostic always opens at its own place.
const NEAR_LINES: usize = 3;

/// miette's view of one diagnostic: the labels near the primary one in one window, the others
/// (in other files, or far away) as related reports with windows of their own.
#[derive(Debug)]
struct Adapter {
    severity: Severity,
    code: &'static str,
    message: String,
    help: Option<String>,
    source: Option<Window>,
    labels: Vec<LabeledSpan>,
    related: Vec<Adapter>,
}

impl Adapter {
    fn new(d: &Diagnostic, sources: &Sources) -> Adapter {
        let Location::Rules { primary, secondary } = &d.location else {
            // Not in a rule file: the place leads the message, with no source window.
            let place = d.location.place();
            let mut message = if place.is_empty() { String::new() } else { format!("{place}: ") };
            if let Location::Record { field: Some(field), .. } = &d.location {
                message.push_str(field);
                message.push_str(": ");
            }
            message.push_str(&d.message);
            return Adapter {
                severity: d.severity,
                code: d.code.name,
                message: safe(&message).into_owned(),
                help: d.help.as_deref().map(|h| safe_lines(h).into_owned()),
                source: None,
                labels: Vec::new(),
                related: Vec::new(),
            };
        };
        let file = sources.get(primary.span.file);
        let line_of = |span: Span| file.line_col(span.start as usize).0;
        let primary_line = line_of(primary.span);
        let (near, far): (Vec<&Label>, Vec<&Label>) = secondary.iter().partition(|s| {
            s.span.file == primary.span.file && line_of(s.span).abs_diff(primary_line) <= NEAR_LINES
        });
        let mut spans: Vec<&Label> = vec![primary];
        spans.extend(near.iter().copied());
        let source = Window::around(file, spans.iter().map(|l| l.span));
        let labels = spans.iter().enumerate().map(|(i, l)| labeled(&source, l, i == 0)).collect();
        let related = far
            .into_iter()
            .map(|s| {
                let file = sources.get(s.span.file);
                let source = Window::around(file, std::iter::once(s.span));
                Adapter {
                    severity: Severity::Note,
                    code: "",
                    message: safe(&s.text).into_owned(),
                    help: None,
                    labels: vec![labeled(&source, s, true)],
                    source: Some(source),
                    related: Vec::new(),
                }
            })
            .collect();
        Adapter {
            severity: d.severity,
            code: d.code.name,
            message: safe(&d.message).into_owned(),
            help: d.help.as_deref().map(|h| safe_lines(h).into_owned()),
            source: Some(source),
            labels,
            related,
        }
    }
}

fn labeled(window: &Window, label: &Label, primary: bool) -> LabeledSpan {
    let (start, end) = window.map(label.span.start as usize, label.span.end as usize);
    let span = SourceSpan::new(start.into(), end - start);
    let text = (!label.text.is_empty()).then(|| safe(&label.text).into_owned());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// The part of a file a diagnostic shows: whole lines around its places, or, for a very long
/// line, a stretch of it around the place. Control characters are replaced by their pictures, so
/// offsets are mapped from the file into the window.
#[derive(Debug)]
struct Window {
    name: String,
    text: String,
    /// Byte range of the file the window shows.
    start: usize,
    end: usize,
    /// 0-based line and column (in characters) of the window's start in the file.
    line: usize,
    column: usize,
    /// File offset of each character replaced by a longer picture, and how many bytes longer.
    grown: Vec<(usize, usize)>,
}

impl Window {
    fn around(file: &SourceFile, spans: impl Iterator<Item = Span>) -> Window {
        let text: &str = &file.text;
        let clamp = |o: usize| {
            let mut o = o.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            o
        };
        let spans: Vec<(usize, usize)> = spans
            .map(|s| {
                let a = clamp(s.start as usize);
                (a, clamp(s.end as usize).max(a))
            })
            .collect();
        let first = spans.iter().map(|s| s.0).min().unwrap_or(0);
        let last = spans.iter().map(|s| s.1).max().unwrap_or(0);
        // Whole lines, with one line of context either side (miette shows one).
        let first_line = file.line_col(first).0;
        let last_line = file.line_col(last).0;
        let mut start = file.line_start(first_line.saturating_sub(2));
        let mut end = file.line_start(last_line + 1);
        let mut line = first_line.saturating_sub(2);
        let mut column = 0;
        let long = text[start..end]
            .split(['\n', '\r'])
            .any(|l| l.len() > LONG_LINE && l.chars().count() > LONG_LINE);
        if long {
            // Only a stretch of the primary place's line, around it.
            let (p_start, p_end) = spans.first().copied().unwrap_or((0, 0));
            let p_line = file.line_col(p_start).0 - 1;
            let l_start = file.line_start(p_line);
            let l_end = text[p_start..].find(['\n', '\r']).map_or(text.len(), |i| p_start + i);
            let reach = LONG_LINE / 2;
            start = p_start;
            for _ in 0..reach {
                if start <= l_start {
                    break;
                }
                start = clamp(start - 1);
            }
            end = p_end.min(l_end).max(p_start);
            let mut taken = text[p_start..end].chars().count();
            while end < l_end && taken < LONG_LINE {
                end += text[end..].chars().next().map_or(1, char::len_utf8);
                taken += 1;
            }
            line = p_line;
            column = text[l_start..start].chars().count();
        }
        let slice = &text[start..end];
        let bytes = slice.as_bytes();
        let mut shown = String::with_capacity(slice.len() + 16);
        let mut grown = Vec::new();
        for (i, c) in slice.char_indices() {
            let picture = match c {
                '\n' | '\t' => None,
                // A lone `\r` ends a line, as it does for line numbers.
                '\r' if bytes.get(i + 1) != Some(&b'\n') => Some('\n'),
                '\r' => None,
                c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32),
                '\u{7f}' => Some('\u{2421}'),
                c if c.is_control() => Some('\u{fffd}'),
                _ => None,
            };
            match picture {
                Some(p) => {
                    shown.push(p);
                    let more = p.len_utf8().saturating_sub(c.len_utf8());
                    if more > 0 {
                        grown.push((start + i, more));
                    }
                }
                None => shown.push(c),
            }
        }
        Window { name: file.name.clone(), text: shown, start, end, line, column, grown }
    }

    /// A file's byte range as a range of the window, clamped to it.
    fn map(&self, start: usize, end: usize) -> (usize, usize) {
        let one = |o: usize| {
            let o = o.clamp(self.start, self.end);
            let more: usize = self.grown.iter().take_while(|(at, _)| *at < o).map(|(_, n)| n).sum();
            (o - self.start + more).min(self.text.len())
        };
        let a = one(start);
        (a, one(end).max(a))
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let column = if inner.line() == 0 { inner.column() + self.column } else { inner.column() };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.line,
            column,
            inner.line_count(),
        )))
    }
}

impl fmt::Display for Adapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Adapter {}

impl miette::Diagnostic for Adapter {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}
