//! Comments, collected beside the syntax tree so a formatter can put them back where they were.
//!
//! The grammar skips comments (they are implicit whitespace), so this scanner finds them again with
//! the same two rules the grammar uses: a comment runs from `#` to the end of the line, and a `#`
//! inside a double-quoted text (where `\"` escapes a quote) is not a comment.

use super::ast::Comment;
use crate::source::{FileId, Span};

pub(super) fn scan(file: FileId, text: &str) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut in_string = false;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') | (true, '\n') | (true, '\r') => in_string = false,
            (false, '"') => in_string = true,
            (false, '#') => {
                let end = text[i..].find(['\n', '\r']).map_or(text.len(), |n| i + n);
                comments.push(Comment {
                    text: text[i + 1..end].trim_end_matches('\r').to_string(),
                    span: Span::new(file, i, end),
                });
                while chars.next().is_some_and(|(j, _)| j + 1 < end) {}
            }
            _ => {}
        }
    }
    comments
}

/// The length of `text` without the whitespace and comments at its end.
///
/// pest lets a rule's span run on over the spaces and comments after it when the rule ends in an
/// optional or repeated part that matched nothing; spans are cut back with this so that they cover
/// exactly what was written. A span never starts inside a quoted text, and quoted texts never
/// cross a line, so scanning each line from its start finds its comment correctly.
pub(super) fn trimmed_len(text: &str) -> usize {
    let mut end = text.len();
    loop {
        let trimmed = text[..end].trim_end();
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        match comment_start(&trimmed[line_start..]) {
            Some(hash) => end = line_start + hash,
            None => return trimmed.len(),
        }
    }
}

/// Where a comment starts in one line, if it has one.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => in_string = false,
            (false, '"') => in_string = true,
            (false, '#') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_but_not_hashes_in_quotes() {
        let text = "# head\nquote \"a # b \\\" # c\" # tail\n#last";
        let found: Vec<_> = scan(FileId(0), text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, [" head", " tail", "last"]);
    }

    #[test]
    fn trailing_space_and_comments_are_cut_from_spans() {
        assert_eq!(trimmed_len("a = b  \n  "), 5);
        assert_eq!(trimmed_len("a = b # note\n  # more\n  "), 5);
        assert_eq!(trimmed_len("quote \"x # y\"  "), 13);
        assert_eq!(trimmed_len("x"), 1);
    }
}
