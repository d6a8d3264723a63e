//! `lint` output as JSON: one object per finding, in the order found, then the findings about
//! other inputs (waivers that expire soon), placed in their files.

use serde::Serialize;

use crate::analysis::lint::{Finding, Level};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::Sources;

#[derive(Serialize)]
struct LintReport<'a> {
    /// Findings of codes denied with `--deny CODE`.
    errors: usize,
    warnings: usize,
    notes: usize,
    findings: Vec<FindingReport<'a>>,
}

#[derive(Serialize)]
struct FindingReport<'a> {
    code: &'a str,
    level: &'a str,
    message: &'a str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    example: Option<&'a str>,
    /// Other places involved, such as the other clause of a conflict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Place<'a>>,
}

#[derive(Serialize)]
struct Place<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    label: &'a str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The findings of the rules, then `others` (findings about other inputs, such as waivers).
pub fn lint_to_json(findings: &[Finding], others: &[Diagnostic], sources: &Sources) -> String {
    let places: Vec<_> = others.iter().map(|d| d.file_line_column(sources)).collect();
    let mut rows: Vec<FindingReport<'_>> = findings
        .iter()
        .map(|f| {
            let file = sources.get(f.span.file);
            let (line, column) = file.line_col(f.span.start as usize);
            FindingReport {
                code: f.code.name,
                level: match f.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Note => "note",
                },
                message: &f.message,
                file: &file.name,
                line: Some(line),
                column: Some(column),
                help: f.help.as_deref(),
                example: f.example.as_deref(),
                related: f
                    .related
                    .iter()
                    .map(|(span, label)| {
                        let file = sources.get(span.file);
                        let (line, column) = file.line_col(span.start as usize);
                        Place { file: &file.name, line, column, label }
                    })
                    .collect(),
            }
        })
        .collect();
    rows.extend(others.iter().zip(&places).map(|(d, (file, line, column))| FindingReport {
        code: d.code.name,
        level: level(d.severity),
        message: &d.message,
        file: file.as_deref().unwrap_or(""),
        line: *line,
        column: *column,
        help: d.help.as_deref(),
        example: None,
        related: Vec::new(),
    }));
    let count = |l: &str| rows.iter().filter(|r| r.level == l).count();
    let report = LintReport {
        errors: count("error"),
        warnings: count("warning"),
        notes: count("note"),
        findings: rows,
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
