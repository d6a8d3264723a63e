//! Byte offsets to LSP positions and back, written once.
//!
//! Spans are byte ranges; the LSP counts a line's characters in UTF-16 code units (a `é` is one,
//! an emoji two), and ends lines at `\n`, `\r\n` or a lone `\r`. Every conversion the server makes
//! goes through [`LineIndex`]. It never panics: a position past the end of a line clamps to the
//! line's end, a line past the end of the text to the text's end, and an offset inside a
//! character or past the end to the character's start or the text's end.

use tower_lsp_server::ls_types::{Position, Range};

use crate::source::Span;

/// Where each line of one text starts, for converting positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    text: std::sync::Arc<str>,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: impl Into<std::sync::Arc<str>>) -> LineIndex {
        let text: std::sync::Arc<str> = text.into();
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 2;
                    continue;
                }
                b'\n' | b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte range of line `line`, without its line ending.
    fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// The LSP position of a byte offset.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (start, end) = self.line_range(line);
        let character: usize = self.text[start..offset.min(end)].chars().map(char::len_utf16).sum();
        Position { line: line as u32, character: character as u32 }
    }

    /// The byte offset of an LSP position (clamped to the text).
    pub fn offset(&self, position: Position) -> usize {
        let Some(&line_start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let (start, end) = self.line_range(position.line as usize);
        debug_assert_eq!(start, line_start);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The LSP range of a byte span.
    pub fn range(&self, span: Span) -> Range {
        Range { start: self.position(span.start as usize), end: self.position(span.end as usize) }
    }

    /// The byte range of an LSP range, start before end.
    pub fn byte_range(&self, range: Range) -> std::ops::Range<usize> {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        a.min(b)..a.max(b)
    }

    /// A range covering the whole text.
    pub fn whole(&self) -> Range {
        Range { start: Position::new(0, 0), end: self.position(self.text.len()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn ascii_round_trips() {
        let ix = LineIndex::new("ab\ncd\n");
        assert_eq!(ix.position(0), pos(0, 0));
        assert_eq!(ix.position(4), pos(1, 1));
        assert_eq!(ix.offset(pos(1, 1)), 4);
        assert_eq!(ix.position(6), pos(2, 0));
    }

    #[test]
    fn non_ascii_counts_utf16_units() {
        // `é` is 2 bytes and 1 unit; `😀` is 4 bytes and 2 units.
        let text = "quote \"é😀x\"\nz";
        let ix = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(x, 7 + 2 + 4);
        assert_eq!(ix.position(x), pos(0, 10));
        assert_eq!(ix.offset(pos(0, 10)), x);
        let emoji = text.find('😀').unwrap();
        assert_eq!(ix.position(emoji), pos(0, 8));
        // A position in the middle of the emoji's surrogate pair goes to its end, never inside.
        assert_eq!(ix.offset(pos(0, 9)), x);
        // An offset inside a character goes to its start.
        assert_eq!(ix.position(emoji + 1), pos(0, 8));
        assert_eq!(ix.position(text.len()), pos(1, 1));
    }

    #[test]
    fn line_endings_of_every_kind() {
        let ix = LineIndex::new("a\r\nb\rc\nd");
        assert_eq!(ix.position(3), pos(1, 0));
        assert_eq!(ix.position(5), pos(2, 0));
        assert_eq!(ix.position(7), pos(3, 0));
        // The end of line 0 is before `\r\n`, whatever character is asked for.
        assert_eq!(ix.offset(pos(0, 99)), 1);
        assert_eq!(ix.position(2), pos(0, 1));
    }

    #[test]
    fn out_of_range_clamps() {
        let ix = LineIndex::new("é\n");
        assert_eq!(ix.offset(pos(7, 3)), 3);
        assert_eq!(ix.position(999), pos(1, 0));
        assert_eq!(ix.offset(pos(0, u32::MAX)), 2);
        let empty = LineIndex::new("");
        assert_eq!(empty.position(5), pos(0, 0));
        assert_eq!(empty.offset(pos(0, 5)), 0);
        let r = ix.byte_range(Range { start: pos(0, 1), end: pos(0, 0) });
        assert_eq!(r, 0..2);
    }
}
