//! Code actions and formatting: edits computed from the analysis, never from the client's copy
//! of the diagnostics.
//!
//! - "did you mean": an unknown name the resolver found a close declared name for is replaced by
//!   it (the suggestion is `suggest.rs`'s, carried in the diagnostic's help);
//! - a clause without `quote` gets one, `quote "..."`, to fill in with the sentence of the source;
//! - formatting is the `fmt` printer's output for the whole file, or nothing when it does not parse.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::workspace::{suggestion, Analysis};
use crate::source::{FileId, Span};
use crate::syntax::ast;

/// The code actions for the byte range `range` of `file`.
pub fn code_actions(a: &Analysis, file: FileId, range: std::ops::Range<usize>) -> Vec<CodeActionOrCommand> {
    let Some(uri) = a.uri(file) else { return Vec::new() };
    let overlaps =
        |s: Span| s.file == file && (s.start as usize) <= range.end && range.start <= s.end as usize;
    let mut out = Vec::new();
    for d in &a.diagnostics {
        let (Some(span), Some(name)) = (d.span(), suggestion(d)) else { continue };
        if !overlaps(span) {
            continue;
        }
        let lsp_diagnostic = a.to_lsp(d).map(|(_, l)| l);
        let title = format!("Replace `{}` with `{name}`", a.sources.slice(span));
        out.push(action(title, uri, a, span, name, lsp_diagnostic));
    }
    for clause in clauses(a, file) {
        let has_quote = clause.items.iter().any(|i| matches!(i, ast::ClauseItem::Quote(_)));
        if has_quote || !overlaps(clause.span) {
            continue;
        }
        if let Some((at, indent)) = after_open_brace(a.text(file), clause) {
            let d = a.diagnostics.iter().find(|d| {
                d.code == crate::diagnostic::codes::MISSING
                    && d.span().is_some_and(|s| s.same_place(&clause.id.span))
            });
            let lsp_diagnostic = d.and_then(|d| a.to_lsp(d)).map(|(_, l)| l);
            let text = format!("\n{indent}  quote \"...\"");
            let title = format!("Add a `quote` to clause `{}`", clause.id.text);
            out.push(action(title, uri, a, Span::new(file, at, at), text, lsp_diagnostic));
        }
    }
    out
}

fn action(
    title: String,
    uri: &Uri,
    a: &Analysis,
    span: Span,
    new_text: String,
    d: Option<Diagnostic>,
) -> CodeActionOrCommand {
    let range = a.line_index(span.file).map(|l| l.range(span)).unwrap_or_default();
    let changes = HashMap::from([(uri.clone(), vec![TextEdit { range, new_text }])]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: d.map(|d| vec![d]),
        edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

/// Every clause of the file's tree (of its good parts, for a broken file).
fn clauses(a: &Analysis, file: FileId) -> Vec<&ast::Clause> {
    let Some(tree) = a.trees.get(file.0 as usize) else { return Vec::new() };
    tree.items
        .iter()
        .filter_map(|i| match i {
            ast::Item::Agreement(ag) => Some(ag),
            _ => None,
        })
        .flat_map(|ag| &ag.items)
        .filter_map(|i| match i {
            ast::AgreementItem::Clause(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Just after the `{` that opens a clause, and the indentation of the clause's line.
fn after_open_brace(text: &str, c: &ast::Clause) -> Option<(usize, String)> {
    let from = c.title.span.end as usize;
    let brace = from + text.get(from..)?.find('{')?;
    let line_start = text[..c.id.span.start as usize].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    Some((brace + 1, indent))
}

/// The edit that formats the whole file with `fmt`'s printer; `None` when it does not parse or
/// is formatted already.
pub fn formatting(a: &Analysis, file: FileId) -> Option<Vec<TextEdit>> {
    let text = a.text(file);
    let formatted = crate::format::format(text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let range: Range = a.line_index(file)?.whole();
    Some(vec![TextEdit { range, new_text: formatted }])
}
