//! Text from the inputs made safe for HTML. Ids, field values, quotes, reasons, file names and
//! waiver texts all come from files a user (or an attacker) wrote, so every one of them goes
//! through [`text`] before it reaches the page, in element content and in attribute values alike
//! (attributes are always double-quoted). Nothing an input says can open a tag, close an
//! attribute, start an entity or hide itself: control characters, bidirectional overrides and
//! invisible separators are shown as Rust-style escapes (`\u{1b}`, `\n`), so a reviewer sees
//! that they are there.

use std::fmt::Write as _;

/// Appends `text` to `out`, escaped for HTML element content or a double-quoted attribute.
pub fn text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if hidden(c) => {
                let _ = write!(out, "{}", c.escape_default());
            }
            c => out.push(c),
        }
    }
}

/// `text` escaped, as a new string.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    text(&mut out, s);
    out
}

/// A reason or message in words: escaped like [`text`], with each balanced backtick-quoted part
/// (`` `cloud != azure` ``, how prose quotes the rules) as a `<code>` element.
pub fn prose(out: &mut String, s: &str) {
    if !s.matches('`').count().is_multiple_of(2) {
        return text(out, s);
    }
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            text(out, part);
            out.push_str("</code>");
        } else {
            text(out, part);
        }
    }
}

/// `s` as [`prose`], as a new string.
pub fn prosed(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    prose(&mut out, s);
    out
}

/// Characters a reader could not see or that reorder what follows: shown escaped instead.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_hidden_characters_are_escaped() {
        assert_eq!(escaped("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(escaped("\"><img onerror='x'>"), "&quot;&gt;&lt;img onerror=&#39;x&#39;&gt;");
        assert_eq!(escaped("a&amp;b"), "a&amp;amp;b");
        assert_eq!(escaped("line\nbreak\u{1b}[31m"), "line\\nbreak\\u{1b}[31m");
        assert_eq!(escaped("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escaped("Äpfel – “quoted”"), "Äpfel – “quoted”");
    }

    #[test]
    fn backticks_become_code_only_when_balanced() {
        let mut s = String::new();
        prose(&mut s, "forbidden when `cloud != <x>` (cloud is aws)");
        assert_eq!(s, "forbidden when <code>cloud != &lt;x&gt;</code> (cloud is aws)");
        let mut s = String::new();
        prose(&mut s, "an odd ` backtick");
        assert_eq!(s, "an odd ` backtick");
    }
}
