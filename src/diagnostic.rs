//! Diagnostics: the one shape every stage's errors take on their way to the user.
//!
//! Each stage has its own error type (`syntax::SyntaxError`, `resolve::ResolveError`) that knows
//! what went wrong; each converts into a [`Diagnostic`] that knows where (a [`Span`]) and how to
//! advise. Rendering happens only here, at the edge, through miette — with our own mapping from
//! byte spans to miette's source spans, not pest's `miette-error` feature (which mislabels lines).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::source::{Sources, Span};

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

/// One finding, ready to render: message, code, help, a primary place and any others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, for scripts and docs: `syntax`, `unknown-name`, `duplicate-id`, ...
    pub code: &'static str,
    /// Lowercase, no final period, user input in backticks.
    pub message: String,
    pub help: Option<String>,
    pub primary: Label,
    /// Other places that explain this one (the first definition of a duplicate), in any file.
    pub secondary: Vec<Label>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            primary: Label { span, text: label.into() },
            secondary: Vec::new(),
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

    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label { span, text: text.into() });
        self
    }
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
        // INVARIANT: writing to a String cannot fail, and the adapter's spans lie inside its source.
        let _ = handler.render_report(&mut out, &adapter);
    }
    out
}

/// miette's view of one diagnostic: the primary file as its source, other files as related reports.
#[derive(Debug)]
struct Adapter {
    severity: Severity,
    code: &'static str,
    message: String,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<Adapter>,
}

impl Adapter {
    fn new(d: &Diagnostic, sources: &Sources) -> Adapter {
        let file = d.primary.span.file;
        let mut labels = vec![labeled(&d.primary, sources, true)];
        let mut related = Vec::new();
        for s in &d.secondary {
            if s.span.file == file {
                labels.push(labeled(s, sources, false));
            } else {
                related.push(Adapter {
                    severity: Severity::Note,
                    code: "",
                    message: s.text.clone(),
                    help: None,
                    source: named(sources, s.span),
                    labels: vec![labeled(s, sources, true)],
                    related: Vec::new(),
                });
            }
        }
        Adapter {
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
            help: d.help.clone(),
            source: named(sources, d.primary.span),
            labels,
            related,
        }
    }
}

fn named(sources: &Sources, span: Span) -> NamedSource<String> {
    let file = sources.get(span.file);
    NamedSource::new(file.name.clone(), file.text.to_string())
}

fn labeled(label: &Label, sources: &Sources, primary: bool) -> LabeledSpan {
    let text = &sources.get(label.span.file).text;
    // Clamp to the text and to character boundaries so miette never sees a broken span.
    let mut start = (label.span.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (label.span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let span = SourceSpan::new(start.into(), end - start);
    let text = (!label.text.is_empty()).then(|| label.text.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
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
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}
