//! Lines out, comments back in.
//!
//! The layout code builds one output line at a time ([`Printer::begin`], [`Printer::push`],
//! [`Printer::finish`]) and tells the printer, for each line, where in the source its last token
//! ends. Output lines come in source order, so that is all the printer needs to put every comment
//! back: a comment that starts before the end of a line's last token goes on its own line before
//! it, and a comment that follows a line's last token on the same source line (with nothing but
//! spaces and the line's closing `,`, `{` or `)` between) goes at the end of that line.

use crate::syntax::ast::Comment;

/// Characters that may stand between a line's last token and the comment that follows it: the
/// punctuation a line can end with, which the layout writes without a source position.
const CLOSERS: [char; 5] = [' ', '\t', ',', '{', ')'];

pub(super) struct Printer<'a> {
    src: &'a str,
    comments: &'a [Comment],
    /// The first comment not yet written.
    next: usize,
    out: String,
    line: Option<Line>,
    /// The last line written opened a block: no blank line may follow it.
    after_open: bool,
    /// The last line written was blank.
    after_blank: bool,
}

struct Line {
    indent: usize,
    text: String,
    /// Where the line's first token starts in the source, to see whether a blank line preceded it.
    start: usize,
    /// Where its last token ends.
    end: usize,
    /// Whether a blank line written before it in the source is kept (between items only).
    blank_ok: bool,
}

impl<'a> Printer<'a> {
    pub(super) fn new(src: &'a str, comments: &'a [Comment]) -> Printer<'a> {
        Printer {
            src,
            comments,
            next: 0,
            out: String::with_capacity(src.len() + src.len() / 8),
            line: None,
            after_open: false,
            after_blank: false,
        }
    }

    pub(super) fn src(&self) -> &'a str {
        self.src
    }

    /// Starts a line at `indent`; its first token starts at `start` in the source.
    pub(super) fn begin(&mut self, indent: usize, start: usize, blank_ok: bool) {
        debug_assert!(self.line.is_none(), "a line is already open");
        self.line = Some(Line { indent, text: String::new(), start, end: start, blank_ok });
    }

    /// Appends text that has no place of its own in the source (keywords, padding, punctuation).
    pub(super) fn push(&mut self, text: &str) {
        if let Some(line) = &mut self.line {
            line.text.push_str(text);
        }
    }

    /// Appends a token that ends at `end` in the source.
    pub(super) fn push_at(&mut self, text: &str, end: usize) {
        if let Some(line) = &mut self.line {
            line.text.push_str(text);
            line.end = line.end.max(end);
        }
    }

    /// The column the next character of the open line would take (0-based), in characters.
    pub(super) fn col(&self) -> usize {
        self.line.as_ref().map_or(0, |l| l.indent + l.text.chars().count())
    }

    /// Writes the open line: first the comments that came before its last token, then the line,
    /// then the comment that followed it on its source line, if any.
    pub(super) fn finish(&mut self) {
        let Some(line) = self.line.take() else { return };
        self.comments_before(line.end, line.indent, line.blank_ok);
        if line.blank_ok && self.blank_before(line.start) {
            self.blank();
        }
        push_indent(&mut self.out, line.indent);
        self.out.push_str(line.text.trim_end());
        if let Some(c) = self.comments.get(self.next) {
            let start = c.span.start as usize;
            let between = self.src.get(line.end..start).unwrap_or("x");
            if start >= line.end && between.chars().all(|ch| CLOSERS.contains(&ch)) {
                self.out.push_str("  #");
                self.out.push_str(&c.text);
                self.next += 1;
            }
        }
        self.out.push('\n');
        self.after_open = line.text.ends_with('{');
        self.after_blank = false;
    }

    /// Writes every comment not yet written that starts before `pos`, each on its own line at
    /// `indent`, keeping a blank line before one where the source has it (when `blank_ok`).
    pub(super) fn comments_before(&mut self, pos: usize, indent: usize, blank_ok: bool) {
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start as usize >= pos {
                break;
            }
            if blank_ok && self.blank_before(c.span.start as usize) {
                self.blank();
            }
            push_indent(&mut self.out, indent);
            self.out.push('#');
            self.out.push_str(&c.text);
            self.out.push('\n');
            self.after_open = false;
            self.after_blank = false;
            self.next += 1;
        }
    }

    /// The whole output; comments left over are written at the end, unindented.
    pub(super) fn into_string(mut self) -> String {
        self.finish();
        self.comments_before(usize::MAX, 0, true);
        self.out
    }

    /// Whether the source has a blank line right before `pos` (only spaces and line breaks between
    /// `pos` and the previous token or comment, two line breaks at least).
    fn blank_before(&self, pos: usize) -> bool {
        let before = self.src.get(..pos).unwrap_or("");
        let gap = &before[before.trim_end_matches([' ', '\t', '\r', '\n']).len()..];
        gap.matches('\n').count() >= 2
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.after_open && !self.after_blank {
            self.out.push('\n');
            self.after_blank = true;
        }
    }

    /// Whether a comment starts in `from..to` of the source.
    pub(super) fn comment_between(&self, from: usize, to: usize) -> bool {
        let i = self.comments.partition_point(|c| (c.span.start as usize) < from);
        self.comments.get(i).is_some_and(|c| (c.span.start as usize) < to)
    }

    /// Where the keyword `kw` that comes before `pos` (spaces and comments apart) starts; `pos` if
    /// it is not found. For items whose syntax node starts after their keyword (`quote "..."`).
    pub(super) fn keyword_before(&self, pos: usize, kw: &str) -> usize {
        let mut p = pos.min(self.src.len());
        loop {
            p = self.src[..p].trim_end_matches([' ', '\t', '\r', '\n']).len();
            let i = self.comments.partition_point(|c| (c.span.start as usize) < p);
            // The comment starting last before `p`: does `p` fall inside it?
            match i.checked_sub(1).map(|i| &self.comments[i]) {
                Some(c) if p <= c.span.end as usize => p = c.span.start as usize,
                _ => break,
            }
        }
        if self.src[..p].ends_with(kw) {
            p - kw.len()
        } else {
            pos
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}
