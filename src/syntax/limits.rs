//! Limits on how deeply conditions may nest, checked on the text before parsing.
//!
//! Parsing, resolving, evaluating and formatting all walk conditions recursively, so a condition
//! nested thousands deep (`((((...`, `not not not ...`, or a chain of thousands of `and`s, which
//! becomes a deep tree) would overflow the stack. No real agreement comes near these limits; a
//! file that passes them is safe to walk. The scan skips quoted texts and comments, as the grammar does.

use super::SyntaxError;
use crate::source::{FileId, Span};

/// Parentheses open at once.
pub const MAX_PARENS: usize = 64;
/// `not`s in a row.
pub const MAX_NOTS: usize = 64;
/// `and`s and `or`s in one statement (a `permit`, `forbid` or `require` with its `when` and `unless`).
pub const MAX_JOINS: usize = 1000;

/// Words that start a new statement or block, so the count of `and`/`or` starts again.
const STATEMENT_WORDS: [&str; 16] = [
    "permit",
    "forbid",
    "require",
    "oblige",
    "quote",
    "information",
    "exception",
    "clause",
    "agreement",
    "vocabulary",
    "param",
    "parties",
    "effective",
    "ends",
    "supersedes",
    "default",
];

pub(super) fn check(file: FileId, text: &str) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut joins = 0usize;
    // A `{` right after `in` opens a set of values, not a block: its braces do not end a rule.
    let mut after_in = false;
    let mut in_set = false;
    let mut chars = text.char_indices().peekable();
    let too_deep = |at: usize, len: usize, message: String, help: &str| SyntaxError {
        message,
        expected: vec!["a simpler condition".into()],
        help: Some(help.to_string()),
        span: Span::new(file, at, at + len),
        at_end: false,
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                // A quoted text runs to its closing quote or the end of the line; `\` escapes.
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '#' => while chars.next_if(|(_, c)| *c != '\n' && *c != '\r').is_some() {},
            '(' => {
                depth += 1;
                nots = 0;
                if depth > MAX_PARENS {
                    return Err(too_deep(
                        i,
                        1,
                        format!(
                            "conditions nest too deeply: more than {MAX_PARENS} parentheses are open here"
                        ),
                        "write the condition with fewer levels, or split it over several rules",
                    ));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            '{' if after_in => in_set = true,
            '}' if in_set => in_set = false,
            '{' | '}' => {
                joins = 0;
                nots = 0;
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some((j, d)) = chars.next_if(|(_, d)| d.is_alphanumeric() || *d == '_') {
                    end = j + d.len_utf8();
                }
                let word = &text[i..end];
                after_in = word == "in";
                if word == "not" {
                    nots += 1;
                    if nots > MAX_NOTS {
                        return Err(too_deep(
                            i,
                            3,
                            format!("more than {MAX_NOTS} `not`s in a row"),
                            "two `not`s cancel out: remove them in pairs",
                        ));
                    }
                    continue;
                }
                nots = 0;
                if word == "and" || word == "or" {
                    joins += 1;
                    if joins > MAX_JOINS {
                        return Err(too_deep(
                            i,
                            word.len(),
                            format!("this rule joins its tests with more than {MAX_JOINS} `and`s and `or`s"),
                            "use `in {...}` for many values of one field, or split the rule",
                        ));
                    }
                } else if STATEMENT_WORDS.contains(&word) {
                    joins = 0;
                }
            }
            c if c.is_whitespace() => {}
            _ => after_in = false,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> Option<String> {
        check(FileId(0), text).err().map(|e| e.message)
    }

    #[test]
    fn ordinary_rules_pass() {
        assert_eq!(message("permit when (a = b or (c = d and not e)) # ((((\nquote \"(((\""), None);
        let many: String = (0..MAX_JOINS).map(|_| "a = b and ").collect();
        assert_eq!(
            message(&format!("permit when {many} c = d forbid when {many} e")),
            None,
            "counts restart per rule"
        );
    }

    #[test]
    fn the_braces_of_a_value_set_do_not_restart_the_count() {
        let joins = "product in {a, b} or ".repeat(MAX_JOINS + 1);
        assert!(message(&format!("permit when {joins} c = d"))
            .unwrap()
            .contains("more than 1000 `and`s and `or`s"));
        let few = "product in {a, b} or ".repeat(10);
        assert_eq!(
            message(&format!("clause x \"X\" {{ permit when {few} c = d }} clause y \"Y\" {{ permit }}")),
            None
        );
    }

    #[test]
    fn nesting_beyond_the_limits_is_an_error() {
        let deep = "(".repeat(MAX_PARENS + 1);
        assert!(message(&format!("permit when {deep}")).unwrap().contains("nest too deeply"));
        let nots = "not ".repeat(MAX_NOTS + 1);
        assert!(message(&format!("permit when {nots} f")).unwrap().contains("`not`s in a row"));
        let joins = "a = b or ".repeat(MAX_JOINS + 1);
        assert!(message(&format!("permit when {joins} c = d"))
            .unwrap()
            .contains("more than 1000 `and`s and `or`s"));
    }
}
