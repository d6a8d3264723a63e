//! The formatter: a rule file in the one canonical layout, with its comments and quotes kept exactly.
//!
//! [`format`] parses the text, then prints the syntax tree again (it never edits the text with
//! patterns). Only layout changes: the result parses to the same tree (spans aside), holds the same
//! comments in the same order, and formatting it again changes nothing.
//!
//! # The canonical layout
//!
//! - Two spaces of indentation per block; `{` ends the line that opens a block, `}` stands alone.
//! - Everything stays in the order written. Blank lines between items are kept, at most one in a
//!   row, as the author wrote them; none right after a `{` or right before a `}`.
//! - Vocabulary: the first word of each declaration (the field name, `optional` or `flag`) is padded
//!   to one column, at least as wide as `optional`, so that the values of the block line up. A list
//!   too long for the line continues after a comma, under its first value.
//! - Agreement: the setting keywords (`parties`, `effective`, `ends`, `supersedes`, `default`) are
//!   padded to one column. `param NAME = VALUE` is written with single spaces.
//! - Clause: the statement keywords `quote`, `permit`, `forbid`, `require` and `oblige` are padded to
//!   one column, at least as wide as `permit`, so quotes line up from clause to clause;
//!   `exception to` and `information` are followed by one space.
//! - A `permit` or `forbid` rule stays on one line when it fits in 100 columns; otherwise its
//!   conditions break before `and`/`or`, two spaces in, and `unless` goes on a line of its own.
//!   The `when` and `unless` of a `require` always go on lines of their own, two spaces in, with
//!   their keywords padded to one column.
//! - A condition that does not fit breaks before each `and` (or `or`) of its outer level, each part
//!   on its own line two spaces in from where the condition's statement starts; a part still too
//!   long breaks the same way, two spaces further in. Parentheses stay exactly where they were. A set
//!   `field in {a, b, ...}` still too long wraps after a comma, its values lined up under the first.
//! - Quoted texts (quotes, titles, `assumed` reasons, information, duties) are written exactly as in
//!   the source, escapes included; they are never split, so a line holding one may pass 100 columns.
//! - A comment on a line of its own stays on a line of its own, before what followed it, at that
//!   thing's indentation. A comment after code stays at the end of the line of what it followed,
//!   two spaces after it. A comment written where no line can end (inside a test such as
//!   `cloud = azure`) moves to its own line before the line holding that test.
//! - Lines end with `\n`, the file with exactly one.

mod condition;
mod layout;
mod printer;

use crate::source::FileId;
use crate::syntax::{self, ast::RuleFile, SyntaxError};

/// The longest a line may be before the formatter breaks it, where it can.
pub const MAX_WIDTH: usize = 100;

/// Formats one rule file. Fails only when the text does not parse; the error is the parser's
/// (its spans carry `FileId(0)`).
///
/// ```
/// let messy = "vocabulary{party a,b\n flag    waived}";
/// let tidy = clausecheck::format::format(messy).unwrap();
/// assert_eq!(tidy, "vocabulary {\n  party    a, b\n  flag     waived\n}\n");
/// assert_eq!(clausecheck::format::format(&tidy).unwrap(), tidy);
/// ```
pub fn format(text: &str) -> Result<String, SyntaxError> {
    let file = syntax::parse(FileId(0), text)?;
    let formatted = print(&file, text);
    // The printer must keep the meaning and every comment (the property tests in tests/format.rs
    // check `print` for that). Should it ever fail to, the text is left as it is rather than changed:
    // a formatter must never damage a rule file, and no input may make it panic.
    if !same_content(&file, &formatted) {
        return Ok(text.to_string());
    }
    Ok(formatted)
}

/// Prints a parsed file in the canonical layout. `text` must be the text `file` was parsed from:
/// quoted texts and comments are copied from it. Unlike [`format`], this does not check its result.
pub fn print(file: &RuleFile, text: &str) -> String {
    layout::print(file, text)
}

/// Whether `text` parses to the same items as `file` and holds the same comments in the same order.
fn same_content(file: &RuleFile, text: &str) -> bool {
    match syntax::parse(FileId(0), text) {
        Ok(again) => {
            again.items == file.items
                && again.comments.len() == file.comments.len()
                && again.comments.iter().zip(&file.comments).all(|(a, b)| a.text == b.text)
        }
        Err(_) => false,
    }
}
