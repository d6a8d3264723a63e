//! Completion: the grammar's keywords where it allows them, and names where the text before the
//! cursor asks for one.
//!
//! Keywords come from the grammar itself ([`crate::syntax::keywords_at`]: the words pest tries at
//! the cursor), so they are exactly the ones that may come there. Names come from the name index,
//! chosen by a heuristic on the line before the cursor:
//!
//! - `FIELD =`, `FIELD !=`, `FIELD in {…` and `FIELD not in {…`: the values and classes of FIELD
//!   (after `FIELD in` without a brace, its classes);
//! - a line starting `exception to`: clause ids (this agreement's bare, others' as `agreement.clause`);
//! - a line starting `supersedes`: the other agreements' ids, and their clauses qualified;
//! - a line starting `parties`, or after `oblige`/`pays`: the values of `party`;
//! - after `when`, `unless`, `require`, `and`, `or`, `not` or `(`: fields and flags.
//!
//! "This agreement" is the last `agreement NAME` line above the cursor, which a broken file
//! still has.

use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::index::Kind;
use super::workspace::Analysis;
use crate::source::FileId;

/// The completions at byte `offset` of `file`, names first, then keywords; each label once.
pub fn completion(a: &Analysis, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let text = a.text(file);
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let word_start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .last()
        .map_or(offset, |(i, _)| i);
    let line_start = text[..word_start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..word_start];
    let agreement = current_agreement(&text[..line_start]);
    let mut items: Vec<CompletionItem> = Vec::new();
    for (label, kind, detail) in names(a, before, agreement.as_deref()) {
        push(&mut items, label, kind, detail);
    }
    for word in crate::syntax::keywords_at(text, word_start) {
        push(&mut items, word, CompletionItemKind::KEYWORD, "keyword".to_string());
    }
    if let Some(lines) = a.line_index(file) {
        let range = lines.range(crate::source::Span::new(file, word_start, offset));
        for item in &mut items {
            item.text_edit = Some(CompletionTextEdit::Edit(TextEdit { range, new_text: item.label.clone() }));
        }
    }
    items
}

fn push(items: &mut Vec<CompletionItem>, label: String, kind: CompletionItemKind, detail: String) {
    if !items.iter().any(|i| i.label == label) {
        items.push(CompletionItem {
            label,
            kind: Some(kind),
            detail: Some(detail),
            ..CompletionItem::default()
        });
    }
}

/// The names the text before the cursor (on its line) asks for.
fn names(a: &Analysis, before: &str, agreement: Option<&str>) -> Vec<(String, CompletionItemKind, String)> {
    let trimmed = before.trim_start();
    let first = trimmed.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("");
    let words: Vec<&str> =
        before.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
    let last = words.last().copied().unwrap_or("");
    let mut out = Vec::new();
    if trimmed.starts_with("exception") && words.get(1) == Some(&"to") {
        for s in a.index.names(Kind::Clause, None) {
            let label = if Some(s.scope.as_str()) == agreement {
                s.name.clone()
            } else {
                format!("{}.{}", s.scope, s.name)
            };
            out.push((label, CompletionItemKind::REFERENCE, format!("clause of `{}`", s.scope)));
        }
        return out;
    }
    if first == "supersedes" {
        for s in a.index.names(Kind::Agreement, None) {
            if Some(s.name.as_str()) != agreement {
                out.push((s.name.clone(), CompletionItemKind::MODULE, "agreement".to_string()));
            }
        }
        for s in a.index.names(Kind::Clause, None) {
            if Some(s.scope.as_str()) != agreement {
                out.push((
                    format!("{}.{}", s.scope, s.name),
                    CompletionItemKind::REFERENCE,
                    "clause".to_string(),
                ));
            }
        }
        return out;
    }
    if let Some((field, with_values)) = value_context(before) {
        if with_values {
            for s in a.index.names(Kind::Value, Some(field)) {
                out.push((s.name.clone(), CompletionItemKind::ENUM_MEMBER, format!("value of `{field}`")));
            }
        }
        for s in a.index.names(Kind::Class, None) {
            if a.index.class_field(&s.name) == Some(field) {
                out.push((s.name.clone(), CompletionItemKind::CLASS, format!("class of `{field}`")));
            }
        }
        return out;
    }
    if first == "parties" || matches!(last, "oblige" | "pays") {
        for s in a.index.names(Kind::Value, Some("party")) {
            out.push((s.name.clone(), CompletionItemKind::ENUM_MEMBER, "value of `party`".to_string()));
        }
        return out;
    }
    if matches!(last, "when" | "unless" | "require" | "and" | "or" | "not")
        || before.trim_end().ends_with('(')
    {
        for s in a.index.names(Kind::Field, None) {
            out.push((s.name.clone(), CompletionItemKind::FIELD, "field".to_string()));
        }
        for s in a.index.names(Kind::Flag, None) {
            out.push((s.name.clone(), CompletionItemKind::VARIABLE, "flag".to_string()));
        }
    }
    out
}

/// The field whose value the cursor is at, and whether single values (not only classes) fit:
/// `FIELD =`, `FIELD !=`, inside `FIELD in {…` (values), or just after `FIELD in` (classes).
fn value_context(before: &str) -> Option<(&str, bool)> {
    fn field_before(s: &str) -> Option<&str> {
        let s = s.trim_end();
        let start = s.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let word = &s[start..];
        (!word.is_empty() && word.starts_with(|c: char| c.is_ascii_alphabetic())).then_some(word)
    }
    fn strip_in(s: &str) -> Option<&str> {
        let s = s.trim_end().strip_suffix("in")?;
        if !s.ends_with([' ', '\t']) {
            return None;
        }
        let s = s.trim_end();
        Some(s.strip_suffix("not").filter(|r| r.ends_with([' ', '\t'])).unwrap_or(s))
    }
    let t = before.trim_end();
    if let Some(rest) = t.strip_suffix("!=").or_else(|| t.strip_suffix('=')) {
        return field_before(rest).map(|f| (f, true));
    }
    if let Some(open) = before.rfind('{') {
        if !before[open..].contains('}') {
            if let Some(f) = strip_in(&before[..open]).and_then(field_before) {
                return Some((f, true));
            }
        }
    }
    strip_in(before).and_then(field_before).map(|f| (f, false))
}

/// The id of the last `agreement NAME` line in `text`.
fn current_agreement(text: &str) -> Option<String> {
    text.lines().rev().find_map(|line| {
        let rest = line.strip_prefix("agreement")?;
        let rest = rest.strip_prefix([' ', '\t'])?.trim_start();
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        (!name.is_empty()).then_some(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_of_a_value_context() {
        assert_eq!(value_context("    permit when cloud = "), Some(("cloud", true)));
        assert_eq!(value_context("    permit when cloud != "), Some(("cloud", true)));
        assert_eq!(value_context("  forbid when product in {frontier, "), Some(("product", true)));
        assert_eq!(value_context("  forbid when product not in {"), Some(("product", true)));
        assert_eq!(value_context("  forbid when product in "), Some(("product", false)));
        assert_eq!(value_context("  forbid when product in {a} and "), None);
        assert_eq!(value_context("  param x = "), Some(("x", true)));
        assert_eq!(value_context("  permit when "), None);
        assert_eq!(value_context("= "), None);
    }

    #[test]
    fn the_agreement_above() {
        assert_eq!(current_agreement("vocabulary {\n}\nagreement x \"X\" {\n  clause c"), Some("x".into()));
        assert_eq!(current_agreement("  agreement"), None);
    }
}
