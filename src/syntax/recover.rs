//! Finding more than the first syntax error of a file.
//!
//! pest stops at the first place it cannot read. To report more in one run, the file is cut into
//! the pieces an analyst writes one at a time — each top-level `vocabulary`, `event` or `agreement` (a line
//! that starts with one of those words), and each `clause` of the agreement that holds the first
//! error — and every piece other than the one with that error is parsed again on its own. A piece
//! that fails adds its own first error. Quoted texts never cross lines, so a line that starts with
//! one of these words always starts a piece.

use pest::Parser as _;

use super::parser::{ClauseParser, Rule};
use super::{syntax_error, SyntaxError};
use crate::source::{FileId, Span};

/// Every syntax error found in `text`, given the first one pest reported for the whole file.
pub(super) fn all_errors(file: FileId, text: &str, first: SyntaxError) -> Vec<SyntaxError> {
    let at = first.span.start as usize;
    let mut errors = vec![first];
    let items = starts(text, &["vocabulary", "agreement", "event"], true);
    for (start, end) in pieces(&items, text.len()) {
        if (start..end).contains(&at) || (end == text.len() && at == end) {
            // The piece with the first error: look at its other clauses.
            let clauses: Vec<usize> =
                starts(&text[start..end], &["clause"], false).iter().map(|c| start + c).collect();
            for (c_start, c_end) in pieces(&clauses, end) {
                if !(c_start..c_end).contains(&at) {
                    push(&mut errors, again(file, text, c_start, c_end, Rule::clause));
                }
            }
        } else {
            push(&mut errors, again(file, text, start, end, Rule::file));
        }
    }
    errors.sort_by_key(|e| e.span.start);
    errors
}

fn push(errors: &mut Vec<SyntaxError>, found: Option<SyntaxError>) {
    if let Some(e) = found {
        if !errors.iter().any(|x| x.span.start == e.span.start) {
            errors.push(e);
        }
    }
}

/// The piece `start..end` parsed on its own as `rule`; its first error placed in the whole file.
fn again(file: FileId, text: &str, start: usize, end: usize, rule: Rule) -> Option<SyntaxError> {
    let piece = text.get(start..end)?;
    let error = ClauseParser::parse(rule, piece).err()?;
    let mut e = syntax_error(file, piece, &error);
    // A clause cut off by the next one may "end too soon" only because of the cut.
    if e.at_end && rule == Rule::clause {
        return None;
    }
    e.span = Span::new(file, start + e.span.start as usize, start + e.span.end as usize);
    Some(e)
}

/// Byte offsets of the lines whose first word is one of `words` (at the line's start when `column0`).
fn starts(text: &str, words: &[&str], column0: bool) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        let first = trimmed.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("");
        if (!column0 || indent == 0) && words.contains(&first) {
            out.push(offset + indent);
        }
        offset += line.len();
    }
    out
}

/// Consecutive ranges between the starts, the last one running to `end`.
fn pieces(starts: &[usize], end: usize) -> Vec<(usize, usize)> {
    starts.iter().enumerate().map(|(i, s)| (*s, starts.get(i + 1).copied().unwrap_or(end))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match crate::syntax::parse_all(FileId(0), text) {
            Ok(_) => Vec::new(),
            Err(found) => found.into_iter().map(|e| e.message).collect(),
        }
    }

    #[test]
    fn each_item_and_clause_adds_its_first_error() {
        let text = "vocabulary {\n  party a\n}\nagreement x \"X\" {\n  effective 2026-01-01\n  default allow\n  \
                    clause c1 \"C\" {\n    quoet \"q\"\n  }\n  clause c2 \"C\" {\n    quote \"q\"\n    permit whn party = a\n  }\n}\n\
                    agreement y \"Y\" {\n  defualt allow\n}\n";
        assert_eq!(errors(text), ["unexpected `quoet`", "unexpected `whn`", "unexpected `defualt`"]);
    }

    #[test]
    fn an_event_declaration_is_a_piece_of_its_own() {
        // The first error is in `x`; the broken event after it is found only as a piece of its own.
        let text =
            "vocabulary {\n  party a\n}\nagreement x \"X\" {\n  defualt allow\n}\nevent e \"E\" extra\n\
                    agreement y \"Y\" {\n  defualt allow\n}\n";
        let found = errors(text);
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn a_file_with_one_error_gets_one() {
        assert_eq!(errors("vocabulary {\n  party a\n}\nagreemnt x \"X\" {\n}\n"), ["unexpected `agreemnt`"]);
        assert!(errors("vocabulary {\n  party a\n}\n").is_empty());
    }
}
