//! Stage one: rule-file text to a typed syntax tree.
//!
//! Step one, pest reads the text with `grammar/clauses.pest`; step two, `parser` turns pest's pairs
//! into [`ast`] nodes, each with a span. Only this module knows pest: its `Rule` type never leaves
//! it, and its errors leave as [`SyntaxError`]s worded for analysts.
//!
//! pest stops at a file's first syntax error; `recover` re-reads the file's other pieces, so one
//! run reports the first error of each item and clause ([`parse_all`]), and an editor gets the
//! pieces that parse as well as the errors ([`parse_partial`]).

pub mod ast;
mod comments;
mod expected;
mod limits;
mod parser;
mod recover;

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// A place where the text does not follow the grammar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// `unexpected `frm``, or `the file ends too soon`.
    pub message: String,
    /// What could have come there, in words: `a date like 2032-12-31`.
    pub expected: Vec<String>,
    pub help: Option<String>,
    pub span: Span,
    /// The text ended where more was expected; the span is the last thing written.
    pub at_end: bool,
}

impl SyntaxError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let label = match self.expected.as_slice() {
            [] => "not understood here".to_string(),
            list if self.at_end => format!("the file ends after this, but {} should follow", join_or(list)),
            list => format!("expected {}", join_or(list)),
        };
        Diagnostic::error(crate::diagnostic::codes::SYNTAX, &self.message, self.span, label)
            .with_help_opt(self.help.clone())
    }
}

/// Parses one rule file, or gives every syntax error it can find: the first of the file, and the
/// first of each other top-level item and of each other clause of the item that holds it.
pub fn parse_all(file: FileId, text: &str) -> Result<ast::RuleFile, Vec<SyntaxError>> {
    limits::check(file, text).map_err(|e| vec![e])?;
    parse(file, text).map_err(|first| with_detail(|| recover::all_errors(file, text, first)))
}

/// Parses one rule file the way an editor needs it: never failing, the tree holds every piece
/// that parses (a broken clause left out, its agreement and other clauses kept), beside every
/// syntax error [`parse_all`] reports. A file over the nesting limits gives an empty tree (it is
/// not parsed at all).
pub fn parse_partial(file: FileId, text: &str) -> (ast::RuleFile, Vec<SyntaxError>) {
    if let Err(e) = limits::check(file, text) {
        return (ast::RuleFile { items: Vec::new(), comments: Vec::new() }, vec![e]);
    }
    let comments = comments::scan(file, text);
    match parser::parse_file(file, text) {
        Ok(items) => (ast::RuleFile { items, comments }, Vec::new()),
        Err(_) => {
            let errors = parse_all(file, text).err().unwrap_or_default();
            (ast::RuleFile { items: recover::good_items(file, text), comments }, errors)
        }
    }
}

/// The keywords the grammar allows at byte `offset` of `text` (for an editor's completion), from
/// what pest tries there; empty where no keyword can come. Sorted, each once.
pub fn keywords_at(text: &str, offset: usize) -> Vec<String> {
    if limits::check(FileId(0), text).is_err() {
        return Vec::new();
    }
    with_detail(|| recover::words_at(text, offset))
}

/// Runs `f` with pest's record of what it tried, which words an error's "expected" list; it
/// costs a third of a parse, so it is on only while an error is being explained.
///
/// pest's switch is one for the whole process, so it is counted: it goes off when the last of the
/// threads explaining an error is done, not while another is still explaining one (which would
/// then word its error without what was expected). The count and the switch change together,
/// under one lock; a panic in `f` still counts down.
fn with_detail<T>(f: impl FnOnce() -> T) -> T {
    static EXPLAINING: std::sync::Mutex<usize> = std::sync::Mutex::new(0);
    struct On;
    impl Drop for On {
        fn drop(&mut self) {
            let mut n = EXPLAINING.lock().unwrap_or_else(|e| e.into_inner());
            *n -= 1;
            if *n == 0 {
                pest::set_error_detail(false);
            }
        }
    }
    {
        let mut n = EXPLAINING.lock().unwrap_or_else(|e| e.into_inner());
        if *n == 0 {
            pest::set_error_detail(true);
        }
        *n += 1;
    }
    let _on = On;
    f()
}

/// Parses a condition of the clause language standing alone, as a waiver's `when` holds one
/// (`cloud = aws and product = api`). `file` is the id its spans will carry.
pub fn parse_condition(file: FileId, text: &str) -> Result<ast::Condition, SyntaxError> {
    limits::check(file, text)?;
    match parser::parse_condition(file, text) {
        Ok(c) => Ok(c),
        Err(quick) => Err(with_detail(|| match parser::parse_condition(file, text) {
            Err(e) => syntax_error(file, text, &e),
            Ok(_) => syntax_error(file, text, &quick),
        })),
    }
}

/// Parses one rule file, stopping at the first syntax error. `file` is the id its spans will carry.
pub fn parse(file: FileId, text: &str) -> Result<ast::RuleFile, SyntaxError> {
    limits::check(file, text)?;
    match parser::parse_file(file, text) {
        Ok(items) => Ok(ast::RuleFile { items, comments: comments::scan(file, text) }),
        // Once more, with the detail needed to say what was expected.
        Err(quick) => Err(with_detail(|| match parser::parse_file(file, text) {
            Err(e) => syntax_error(file, text, &e),
            Ok(_) => syntax_error(file, text, &quick),
        })),
    }
}

fn syntax_error(file: FileId, text: &str, e: &pest::error::Error<parser::Rule>) -> SyntaxError {
    let pest_pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
    .min(text.len());
    // Point at the next token, not at the spaces before it.
    let pos = text[pest_pos..].find(|c: char| c != ' ' && c != '\t').map_or(text.len(), |n| pest_pos + n);
    let mut expected: Vec<String> = Vec::new();
    let push = |expected: &mut Vec<String>, s: String| {
        if !expected.contains(&s) {
            expected.push(s);
        }
    };
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &e.variant {
        for rule in positives {
            if let Some(words) = expected::describe(*rule) {
                push(&mut expected, words.to_string());
            }
        }
    }
    if let Some(attempts) = e.parse_attempts() {
        if attempts.max_position == pest_pos {
            for token in attempts.expected_tokens() {
                let token = token.to_string();
                // A lone `"` says no more than "a text in double quotes", which is listed already.
                if token == "\"" && expected.iter().any(|e| e.contains("double quotes")) {
                    continue;
                }
                if let Some(words) = expected::describe_token(&token) {
                    push(&mut expected, words);
                }
            }
        }
    }
    let rest_of_line = text[pos..].split(['\n', '\r']).next().unwrap_or("");
    if let Some((at, escape)) = bad_escape(rest_of_line) {
        return SyntaxError {
            message: format!("`\\{escape}` is not an escape a quoted text can hold"),
            expected: vec!["`\\\"` or `\\\\`".into()],
            help: Some(
                "inside quotes, only `\\\"` (a quote mark) and `\\\\` (a backslash) are escapes".into(),
            ),
            span: Span::new(file, pos + at, pos + at + 1 + escape.len_utf8()),
            at_end: false,
        };
    }
    if rest_of_line.starts_with('"') && !rest_of_line[1..].replace("\\\"", "").contains('"') {
        return SyntaxError {
            message: "this quoted text is not closed".into(),
            expected: vec!["a closing `\"` on the same line".into()],
            help: Some(
                "a quoted text ends on the line it starts; write `\\\"` for a quote mark inside it".into(),
            ),
            span: Span::new(file, pos, pos + 1),
            at_end: false,
        };
    }
    match found_at(text, pos) {
        // At the end of the file, point at the last thing written: that is what was left open.
        None => {
            let last = text.trim_end().char_indices().last().map_or(0, |(i, _)| i);
            SyntaxError {
                message: "the file ends too soon".into(),
                expected,
                help: Some("check that every `{` has its `}`".into()),
                span: Span::new(file, last, (last + 1).min(text.len())),
                at_end: true,
            }
        }
        // `clause b` (or `agreement b`) where the previous one's `}` was due: the open one is at
        // fault, so it is the one pointed at.
        Some(token @ ("clause" | "agreement")) if expected.iter().any(|e| e == "`}`") => {
            match unclosed(text, pos, token) {
                Some((name, at)) => SyntaxError {
                    message: format!("{token} `{name}` is not closed"),
                    expected: vec!["`}`".into()],
                    help: Some(format!(
                        "add the `}}` that ends {token} `{name}` before the next `{token}` (line {})",
                        text[..pos].matches('\n').count() + 1
                    )),
                    span: Span::new(file, at, at + name.len()),
                    at_end: false,
                },
                None => SyntaxError {
                    message: format!("unexpected `{token}`"),
                    expected,
                    help: None,
                    span: Span::new(file, pos, pos + token.len()),
                    at_end: false,
                },
            }
        }
        Some(token) => SyntaxError {
            message: format!("unexpected `{token}`"),
            expected,
            help: None,
            span: Span::new(file, pos, pos + token.len()),
            at_end: false,
        },
    }
}

/// The name and place of the last `word NAME` that starts a line before `pos`: the clause (or
/// agreement) left open when the next one begins.
fn unclosed(text: &str, pos: usize, word: &str) -> Option<(String, usize)> {
    let before = &text[..pos];
    let mut line_start = before.len();
    loop {
        let start = before[..line_start.saturating_sub(1)].rfind('\n').map_or(0, |i| i + 1);
        let line = &before[start..line_start];
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(word).filter(|r| r.starts_with([' ', '\t'])) {
            let rest_trimmed = rest.trim_start();
            let name: String =
                rest_trimmed.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
            if name.is_empty() {
                return None;
            }
            let at = start + (line.len() - trimmed.len()) + word.len() + (rest.len() - rest_trimmed.len());
            return Some((name, at));
        }
        if start == 0 {
            return None;
        }
        line_start = start;
    }
}

/// Where a backslash stands, and the character after it, that a quoted text starting this line
/// may not hold, if any.
fn bad_escape(line: &str) -> Option<(usize, char)> {
    let mut chars = line.strip_prefix('"')?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next() {
                Some((_, '"' | '\\')) | None => {}
                Some((_, other)) => return Some((i + 1, other)),
            },
            _ => {}
        }
    }
    None
}

/// The word or character at `pos`, or `None` at the end of the text.
fn found_at(text: &str, pos: usize) -> Option<&str> {
    let rest = text.get(pos..)?;
    let first = rest.chars().next()?;
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let len = if is_word(first) {
        rest.find(|c: char| !is_word(c)).unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    let token = &rest[..len];
    Some(match token {
        "\n" | "\r" => "end of line",
        t => t,
    })
}

/// `a, b or c`.
pub(crate) fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
