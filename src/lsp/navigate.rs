//! Go to definition, find references and rename, all read off the name index.
//!
//! Rename is offered for clauses and values (the names analysts reword); every definition and
//! use of the symbol in the folder is edited. The new name must be a name of the language: that
//! is checked by the parser itself (a name alone parses as a flag test), not by another list of
//! keywords.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{Location, Range, TextEdit, Uri, WorkspaceEdit};

use super::index::{Kind, Symbol};
use super::workspace::Analysis;
use crate::source::{FileId, Span};
use crate::syntax::{self, ast};

/// Where the name at the cursor is defined.
pub fn definition(a: &Analysis, file: FileId, offset: usize) -> Vec<Location> {
    let Some((symbol, _)) = a.index.at(file, offset) else { return Vec::new() };
    a.index.definitions_of(symbol).filter_map(|d| a.location(d.name)).collect()
}

/// Every place the name at the cursor is used, with its definitions if asked.
pub fn references(a: &Analysis, file: FileId, offset: usize, with_definition: bool) -> Vec<Location> {
    let Some((symbol, _)) = a.index.at(file, offset) else { return Vec::new() };
    spans(a, symbol, with_definition).into_iter().filter_map(|s| a.location(s)).collect()
}

/// The spans naming a symbol, in file order.
fn spans(a: &Analysis, symbol: &Symbol, with_definition: bool) -> Vec<Span> {
    let defs = a.index.definitions_of(symbol).map(|d| d.name).filter(|_| with_definition);
    let mut out: Vec<Span> = defs.chain(a.index.uses_of(symbol).map(|u| u.span)).collect();
    out.sort_by_key(|s| (s.file, s.start));
    out.dedup_by(|x, y| x.same_place(y));
    out
}

/// The name at the cursor, if it can be renamed: a clause or a value that is defined.
pub fn prepare_rename(a: &Analysis, file: FileId, offset: usize) -> Option<(Range, String)> {
    let (symbol, span) = a.index.at(file, offset)?;
    if !matches!(symbol.kind, Kind::Clause | Kind::Value) || a.index.definitions_of(symbol).next().is_none() {
        return None;
    }
    Some((a.line_index(file)?.range(span), symbol.name.clone()))
}

/// The edits that rename the clause or value at the cursor to `new_name` everywhere in the folder.
pub fn rename(a: &Analysis, file: FileId, offset: usize, new_name: &str) -> Result<WorkspaceEdit, String> {
    let Some((symbol, _)) = a.index.at(file, offset) else {
        return Err("there is no name here to rename".into());
    };
    if !matches!(symbol.kind, Kind::Clause | Kind::Value) {
        return Err(format!(
            "only clauses and values can be renamed, and `{}` is a {}",
            symbol.name,
            symbol.kind.as_str()
        ));
    }
    if !is_name(new_name) {
        return Err(format!(
            "`{new_name}` is not a name: a letter, then letters, digits or `_`, and no keyword"
        ));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for span in spans(a, symbol, true) {
        let (Some(uri), Some(lines)) = (a.uri(span.file), a.line_index(span.file)) else { continue };
        changes
            .entry(uri.clone())
            .or_default()
            .push(TextEdit { range: lines.range(span), new_text: new_name.to_string() });
    }
    Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

/// Whether `text` is a name of the language, as the grammar says (a lone name is a flag test).
pub fn is_name(text: &str) -> bool {
    matches!(syntax::parse_condition(FileId(0), text), Ok(ast::Condition::Flag(n)) if n.text == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_the_grammar_says() {
        assert!(is_name("azure_first2"));
        assert!(!is_name("quote"));
        assert!(!is_name("2x"));
        assert!(!is_name("a b"));
        assert!(!is_name(""));
        assert!(!is_name("é"));
    }
}
