//! One rule folder as the editor sees it: its files (open buffers over what is on disk), parsed
//! with the good pieces kept, indexed, and checked the way the CLI checks them.
//!
//! An [`Analysis`] is made from texts alone (the server reads the folder; nothing here touches
//! files), so every request is answered from one consistent snapshot. Diagnostics are the CLI's:
//! the syntax errors of every file, or (when every file parses) the resolver's errors, or (when
//! the rules resolve) lint's findings; the same codes, messages and help.

use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::index::{Definition, NameIndex};
use super::position::LineIndex;
use crate::analysis::lint::{lint, LintOptions};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::RuleSet;
use crate::source::{FileId, SourceFile, Sources, Span};
use crate::syntax::{self, ast};

/// The most decision-diagram nodes lint builds for an editor, so a keystroke never waits on a
/// huge analysis: past it, lint says `too-large` as the CLI would with `--max-nodes`.
pub const LINT_MAX_NODES: usize = 1 << 20;

/// A rule file's address and text.
#[derive(Debug, Clone)]
pub struct Document {
    pub uri: Uri,
    /// The name diagnostics and hovers give the file (its path, for a file on disk).
    pub name: String,
    pub text: Arc<str>,
}

/// A rule folder, parsed, indexed and resolved.
#[derive(Debug)]
pub struct Analysis {
    /// In the order of their names (the CLI's order: sorted by path); a file's index is its [`FileId`].
    pub documents: Vec<Document>,
    pub sources: Sources,
    pub trees: Vec<ast::RuleFile>,
    pub lines: Vec<LineIndex>,
    pub index: NameIndex,
    /// The syntax errors of every file, else the resolver's errors.
    pub diagnostics: Vec<Diagnostic>,
    /// The checked rules, when there is no error.
    pub rules: Option<RuleSet>,
}

/// A declaration found by its definition.
#[derive(Debug, Clone, Copy)]
pub enum Declaration<'a> {
    Agreement(&'a ast::Agreement),
    Clause(&'a ast::Agreement, &'a ast::Clause),
    Param(&'a ast::Agreement, &'a ast::Param),
    Event(&'a ast::EventDecl),
    Vocabulary(&'a ast::VocabEntry),
}

impl Analysis {
    /// Parses, indexes and resolves the documents of one folder (each URI once; the first kept).
    pub fn new(mut documents: Vec<Document>) -> Analysis {
        documents.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.uri.as_str().cmp(b.uri.as_str())));
        documents.dedup_by(|a, b| a.uri == b.uri);
        let mut sources = Sources::new();
        let mut trees = Vec::new();
        let mut lines = Vec::new();
        let mut diagnostics = Vec::new();
        for d in &documents {
            let id = sources.add(SourceFile::new(d.name.clone(), d.text.clone()));
            let (tree, errors) = syntax::parse_partial(id, &d.text);
            diagnostics.extend(errors.iter().map(|e| e.to_diagnostic()));
            trees.push(tree);
            lines.push(LineIndex::new(d.text.clone()));
        }
        let index = NameIndex::build(&trees.iter().collect::<Vec<_>>());
        let mut rules = None;
        if diagnostics.is_empty() && !documents.is_empty() {
            let starts: Vec<Span> = (0..documents.len()).map(|i| Span::new(FileId(i as u32), 0, 0)).collect();
            match crate::resolve::resolve_with(&trees, &starts, &[]) {
                Ok(r) => rules = Some(r),
                Err(found) => diagnostics = found,
            }
        }
        Analysis { documents, sources, trees, lines, index, diagnostics, rules }
    }

    pub fn file_of(&self, uri: &Uri) -> Option<FileId> {
        self.documents.iter().position(|d| &d.uri == uri).map(|i| FileId(i as u32))
    }

    pub fn text(&self, file: FileId) -> &str {
        self.documents.get(file.0 as usize).map_or("", |d| &d.text)
    }

    pub fn line_index(&self, file: FileId) -> Option<&LineIndex> {
        self.lines.get(file.0 as usize)
    }

    pub fn uri(&self, file: FileId) -> Option<&Uri> {
        self.documents.get(file.0 as usize).map(|d| &d.uri)
    }

    /// The LSP location of a span.
    pub fn location(&self, span: Span) -> Option<lsp::Location> {
        Some(lsp::Location {
            uri: self.uri(span.file)?.clone(),
            range: self.line_index(span.file)?.range(span),
        })
    }

    /// lint's findings, when the rules resolve; "today" is the caller's.
    pub fn lint(&self, today: chrono::NaiveDate) -> Vec<Diagnostic> {
        match &self.rules {
            Some(rules) => lint(rules, LintOptions { today, max_nodes: LINT_MAX_NODES })
                .iter()
                .map(|f| f.to_diagnostic())
                .collect(),
            None => Vec::new(),
        }
    }

    /// The declaration a definition names.
    pub fn declaration(&self, def: &Definition) -> Option<Declaration<'_>> {
        let tree = self.trees.get(def.name.file.0 as usize)?;
        let here = |s: &Span| s.same_place(&def.name);
        for item in &tree.items {
            match item {
                ast::Item::Event(e) if here(&e.name.span) => return Some(Declaration::Event(e)),
                ast::Item::Agreement(a) => {
                    if here(&a.id.span) {
                        return Some(Declaration::Agreement(a));
                    }
                    for i in &a.items {
                        match i {
                            ast::AgreementItem::Clause(c) if here(&c.id.span) => {
                                return Some(Declaration::Clause(a, c))
                            }
                            ast::AgreementItem::Param(p) if here(&p.name.span) => {
                                return Some(Declaration::Param(a, p))
                            }
                            _ => {}
                        }
                    }
                }
                ast::Item::Vocabulary(v) => {
                    if let Some(e) = v.entries.iter().find(|e| entry_span(e).same_place(&def.item)) {
                        return Some(Declaration::Vocabulary(e));
                    }
                }
                ast::Item::Event(_) => {}
            }
        }
        None
    }

    /// The diagnostics of every document, as the LSP publishes them: each document once, in
    /// order, those without findings with an empty list (which clears what was shown before).
    pub fn publishable(&self, extra: &[Diagnostic]) -> Vec<(Uri, Vec<lsp::Diagnostic>)> {
        let mut out: Vec<(Uri, Vec<lsp::Diagnostic>)> =
            self.documents.iter().map(|d| (d.uri.clone(), Vec::new())).collect();
        for d in self.diagnostics.iter().chain(extra) {
            if let Some((file, converted)) = self.to_lsp(d) {
                if let Some((_, list)) = out.get_mut(file.0 as usize) {
                    list.push(converted);
                }
            }
        }
        out
    }

    /// One diagnostic in LSP terms, with the file it belongs to; `None` for one that is not in a
    /// rule file. A "did you mean" suggestion is carried in `data` for the quick fix.
    pub fn to_lsp(&self, d: &Diagnostic) -> Option<(FileId, lsp::Diagnostic)> {
        let Location::Rules { primary, secondary } = &d.location else { return None };
        let lines = self.line_index(primary.span.file)?;
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let related: Vec<lsp::DiagnosticRelatedInformation> = secondary
            .iter()
            .filter_map(|l| {
                Some(lsp::DiagnosticRelatedInformation {
                    location: self.location(l.span)?,
                    message: l.text.clone(),
                })
            })
            .collect();
        let data = suggestion(d).map(|s| serde_json::json!({ "replace": s }));
        Some((
            primary.span.file,
            lsp::Diagnostic {
                range: lines.range(primary.span),
                severity: Some(match d.severity {
                    Severity::Error => lsp::DiagnosticSeverity::ERROR,
                    Severity::Warning => lsp::DiagnosticSeverity::WARNING,
                    Severity::Note => lsp::DiagnosticSeverity::INFORMATION,
                }),
                code: Some(lsp::NumberOrString::String(d.code.name.to_string())),
                source: Some("clausecheck".to_string()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                data,
                ..lsp::Diagnostic::default()
            },
        ))
    }
}

/// The name a diagnostic suggests instead of what is written: the resolver's help is
/// "did you mean `x`?" (from `suggest::help`'s wording), for an unknown name.
pub fn suggestion(d: &Diagnostic) -> Option<String> {
    if d.code != crate::diagnostic::codes::UNKNOWN_NAME {
        return None;
    }
    let help = d.help.as_deref()?;
    let name = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
    Some(name.to_string())
}

fn entry_span(e: &ast::VocabEntry) -> Span {
    match e {
        ast::VocabEntry::Field { span, .. }
        | ast::VocabEntry::Flags { span, .. }
        | ast::VocabEntry::Class { span, .. }
        | ast::VocabEntry::Extend { span, .. } => *span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, text: &str) -> Document {
        Document { uri: format!("file:///r/{name}").parse().unwrap(), name: name.into(), text: text.into() }
    }

    const VOCAB: &str = "vocabulary {\n  party a, b\n  cloud azure, aws\n}\n";

    #[test]
    fn resolve_errors_and_did_you_mean_are_published_per_file() {
        let deal = "agreement x \"X\" {\n  parties a\n  effective 2026-01-01\n  default allow\n  clause c \"C\" {\n    quote \"é😀\"\n    forbid when cloud = azrue\n  }\n}\n";
        let a = Analysis::new(vec![doc("x.terms", deal), doc("v.terms", VOCAB)]);
        assert_eq!(a.documents[0].name, "v.terms");
        let published = a.publishable(&[]);
        assert_eq!(published.len(), 2);
        assert!(published[0].1.is_empty());
        let d = published[1].1.iter().find(|d| d.data.is_some()).expect("the unknown value");
        assert_eq!(d.code, Some(lsp::NumberOrString::String("unknown-name".into())));
        assert_eq!(d.range.start, lsp::Position::new(6, 24));
        assert_eq!(d.range.end, lsp::Position::new(6, 29));
        assert_eq!(d.data, Some(serde_json::json!({"replace": "azure"})));
        assert!(d.message.starts_with("unknown cloud `azrue`"), "{}", d.message);
    }

    #[test]
    fn syntax_errors_come_first_and_nothing_is_resolved_with_them() {
        let a = Analysis::new(vec![doc("v.terms", "vocabulary {\n  party a\n  flag\n}\n")]);
        assert!(a.rules.is_none());
        assert_eq!(a.diagnostics.len(), 1);
        assert_eq!(a.diagnostics[0].code.name, "syntax");
        assert!(Analysis::new(Vec::new()).publishable(&[]).is_empty());
    }
}
