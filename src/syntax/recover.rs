//! Finding more than the first syntax error of a file.
//!
//! pest stops at the first place it cannot read. To report more in one run, the file is cut into
//! the pieces an analyst writes one at a time — each top-level `vocabulary`, `event` or `agreement` (a line
//! that starts with one of those words), and each `clause` of the agreement that holds the first
//! error — and every piece other than the one with that error is parsed again on its own. A piece
//! that fails adds its own first error. Quoted texts never cross lines, so a line that starts with
//! one of these words always starts a piece.
//!
//! The same pieces give an editor the good parts of a broken file ([`good_items`]): each piece is
//! parsed again, and while it fails, the clause holding its error (or, outside any clause, the
//! line) is blanked out — every byte but line ends turned into a space, so every span still
//! points at the same place of the whole file — and the piece is tried again. What parses is
//! kept: an agreement with one broken clause keeps its other clauses.

use pest::Parser as _;

use super::ast::Item;
use super::parser::{self, ClauseParser, Rule};
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

/// How many times one piece is blanked and tried again before it is given up.
const MAX_TRIES: usize = 64;

/// The items of the pieces of `text` that parse, once their broken clauses or lines are blanked
/// out, in the order of the file, with spans placed in the whole file.
pub(super) fn good_items(file: FileId, text: &str) -> Vec<Item> {
    let items = starts(text, &["vocabulary", "agreement", "event"], true);
    let mut out = Vec::new();
    for (start, end) in pieces(&items, text.len()) {
        if let Some(piece) = text.get(start..end) {
            out.extend(salvage(file, piece, start));
        }
    }
    out
}

/// The items of one piece starting at `base`: parsed as it is, else with what holds each error
/// blanked out, until it parses or nothing more can be blanked.
fn salvage(file: FileId, piece: &str, base: usize) -> Vec<Item> {
    let mut bytes = piece.as_bytes().to_vec();
    for _ in 0..MAX_TRIES {
        let Ok(current) = std::str::from_utf8(&bytes) else { return Vec::new() };
        let error = match parser::parse_file_at(file, current, base) {
            Ok(items) => return items,
            Err(e) => e,
        };
        let at = match error.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        };
        let Some(range) = culprit(current, at) else { return Vec::new() };
        let mut changed = false;
        for b in &mut bytes[range] {
            if !matches!(*b, b'\n' | b'\r' | b' ') {
                *b = b' ';
                changed = true;
            }
        }
        if !changed {
            return Vec::new();
        }
    }
    Vec::new()
}

/// What to blank out of `piece` for an error pest reported at `at`: the clause holding it (the
/// one before, when the error is at the start of a clause: that one was not closed), else the
/// line holding the next thing written.
fn culprit(piece: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let bytes = piece.as_bytes();
    let mut at = at.min(piece.len());
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    let clauses = starts(piece, &["clause"], false);
    // The last clause ends before the `}` that closes the agreement.
    let close = piece.rfind('}');
    let clause_end = |i: usize| match clauses.get(i + 1) {
        Some(next) => *next,
        None => close.filter(|c| *c > clauses[i]).unwrap_or(piece.len()),
    };
    if let Some(i) = clauses.iter().rposition(|c| *c <= at) {
        let i = if clauses[i] == at && i > 0 { i - 1 } else { i };
        return Some(clauses[i]..clause_end(i));
    }
    if at >= piece.len() {
        return None;
    }
    let line_start = piece[..at].rfind('\n').map_or(0, |n| n + 1);
    let line_end = piece[at..].find(['\n', '\r']).map_or(piece.len(), |n| at + n);
    Some(line_start..line_end)
}

/// The words of the grammar (keywords) that could come at byte `at` of `text`, as pest sees it:
/// the text of the top-level piece holding `at`, up to `at`, is parsed with a character no rule
/// accepts put at `at`, and the words among the tokens pest tried there are what may follow.
/// An error before `at` is blanked out as [`good_items`] does, so a broken clause above does
/// not hide what may follow. Sorted, each once.
pub(super) fn words_at(text: &str, at: usize) -> Vec<String> {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let items = starts(text, &["vocabulary", "agreement", "event"], true);
    let start = items.iter().rev().find(|s| **s < at).copied().unwrap_or(0);
    let mut bytes = text.as_bytes()[start..at].to_vec();
    let end = bytes.len();
    // No rule of the grammar accepts a NUL.
    bytes.push(0);
    for _ in 0..MAX_TRIES {
        let Ok(current) = std::str::from_utf8(&bytes) else { return Vec::new() };
        let Err(error) = ClauseParser::parse(Rule::file, current) else { return Vec::new() };
        let Some(attempts) = error.parse_attempts() else { return Vec::new() };
        if attempts.max_position >= end {
            let mut words: Vec<String> = attempts
                .expected_tokens()
                .into_iter()
                .map(|t| t.to_string())
                .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .collect();
            words.sort();
            words.dedup();
            return words;
        }
        let Some(range) = culprit(&current[..end], attempts.max_position) else { return Vec::new() };
        let mut changed = false;
        for b in &mut bytes[range] {
            if !matches!(*b, b'\n' | b'\r' | b' ') {
                *b = b' ';
                changed = true;
            }
        }
        if !changed {
            return Vec::new();
        }
    }
    Vec::new()
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

    fn kept(text: &str) -> (Vec<String>, usize) {
        let (tree, errors) = crate::syntax::parse_partial(FileId(0), text);
        let mut names = Vec::new();
        for item in &tree.items {
            match item {
                Item::Vocabulary(_) => names.push("vocabulary".to_string()),
                Item::Event(e) => names.push(e.name.text.clone()),
                Item::Agreement(a) => {
                    names.push(a.id.text.clone());
                    for i in &a.items {
                        if let crate::syntax::ast::AgreementItem::Clause(c) = i {
                            names.push(format!("{}.{}", a.id.text, c.id.text));
                        }
                    }
                }
            }
        }
        (names, errors.len())
    }

    #[test]
    fn a_broken_clause_is_left_out_and_the_rest_kept_in_place() {
        let text = "vocabulary {\n  party a\n}\nagreement x \"X\" {\n  effective 2026-01-01\n  \
                    clause c1 \"C\" {\n    quoet \"q\"\n  }\n  clause c2 \"C\" {\n    quote \"q\"\n    permit\n  }\n}\n";
        let (names, errors) = kept(text);
        assert_eq!(names, ["vocabulary", "x", "x.c2"]);
        assert_eq!(errors, 1);
        // Spans are places in the whole file.
        let (tree, _) = crate::syntax::parse_partial(FileId(0), text);
        let Item::Agreement(a) = &tree.items[1] else { panic!("an agreement") };
        assert_eq!(&text[a.id.span.range()], "x");
        let crate::syntax::ast::AgreementItem::Clause(c2) = a.items.last().unwrap() else {
            panic!("a clause")
        };
        assert_eq!(&text[c2.id.span.range()], "c2");
    }

    #[test]
    fn an_unclosed_clause_loses_only_itself() {
        let text =
            "agreement x \"X\" {\n  clause c1 \"C\" {\n    permit\n  clause c2 \"C\" {\n    permit\n  }\n}\n\
                    agreement y \"Y\" {\n  defualt allow\n  clause d \"D\" {\n    permit\n  }\n}\n";
        let (names, errors) = kept(text);
        assert_eq!(names, ["x", "x.c2", "y", "y.d"]);
        assert_eq!(errors, 2);
    }

    fn words(text: &str) -> Vec<String> {
        super::super::with_detail(|| words_at(text, text.len()))
    }

    #[test]
    fn the_words_that_may_follow_come_from_the_grammar() {
        let clause = "agreement x \"X\" {\n  clause c \"C\" {\n    ";
        let found = words(clause);
        for w in ["quote", "permit", "forbid", "require", "oblige", "exception", "information", "severity"] {
            assert!(found.iter().any(|f| f == w), "{w} in {found:?}");
        }
        assert!(!found.iter().any(|f| f == "parties"), "{found:?}");
        let agreement = words("vocabulary {\n  party a\n}\nagreement x \"X\" {\n  ");
        for w in ["parties", "effective", "ends", "supersedes", "default", "param", "clause"] {
            assert!(agreement.iter().any(|f| f == w), "{w} in {agreement:?}");
        }
        assert_eq!(words(""), ["agreement", "event", "vocabulary"]);
        let after_name = words("agreement x \"X\" {\n  clause c \"C\" {\n    permit when cloud = azure ");
        assert!(
            after_name.iter().any(|f| f == "and") && after_name.iter().any(|f| f == "unless"),
            "{after_name:?}"
        );
        // A broken clause above the cursor does not hide what may follow.
        let broken =
            words("agreement x \"X\" {\n  clause b \"B\" {\n    quoet \"q\"\n  }\n  clause c \"C\" {\n    ");
        assert!(broken.iter().any(|f| f == "permit"), "{broken:?}");
    }

    #[test]
    fn a_file_that_parses_is_whole_and_garbage_keeps_nothing() {
        assert_eq!(kept("vocabulary {\n  party a\n}\n"), (vec!["vocabulary".to_string()], 0));
        assert_eq!(kept("}}} \"\n{{ é😀").0, Vec::<String>::new());
        assert_eq!(kept("agreement").0, Vec::<String>::new());
    }
}
