//! `lint` output as JSON: one object per finding, in the order found.

use serde::Serialize;

use crate::analysis::lint::{Finding, Level};
use crate::source::Sources;

#[derive(Serialize)]
struct LintReport<'a> {
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
    line: usize,
    column: usize,
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

pub fn lint_to_json(findings: &[Finding], sources: &Sources) -> String {
    let rows = findings
        .iter()
        .map(|f| {
            let file = sources.get(f.span.file);
            let (line, column) = file.line_col(f.span.start as usize);
            FindingReport {
                code: f.code.name,
                level: match f.level {
                    Level::Warning => "warning",
                    Level::Note => "note",
                },
                message: &f.message,
                file: &file.name,
                line,
                column,
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
    let report = LintReport {
        warnings: findings.iter().filter(|f| f.level == Level::Warning).count(),
        notes: findings.iter().filter(|f| f.level == Level::Note).count(),
        findings: rows,
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
