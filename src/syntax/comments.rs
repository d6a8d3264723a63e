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
            (true, '"') | (true, '\n') => in_string = false,
            (false, '"') => in_string = true,
            (false, '#') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_but_not_hashes_in_quotes() {
        let text = "# head\nquote \"a # b \\\" # c\" # tail\n#last";
        let found: Vec<_> = scan(FileId(0), text).into_iter().map(|c| c.text).collect();
        assert_eq!(found, [" head", " tail", "last"]);
    }
}
