//! A fast scanner for the common shape of an NDJSON record.
//!
//! Nearly every line of an exported inventory is one flat JSON object whose keys and values are
//! plain strings, `true`, `false`, `null` or small integers, without escapes. This scanner reads
//! exactly that shape, and gives up (returns `false`) on anything else — an escape, a nested
//! value, a decimal number, a syntax error — so the line is read again by `serde_json`, which
//! then says precisely what is wrong. Whatever it accepts, `serde_json` would read to the same
//! fields: a property test (`plan::tests::the_scanner_agrees_with_serde_json`) checks that on
//! generated and mutated lines.

use std::borrow::Cow;

use super::raw::{RawField, Scalar};

/// Reads `line` into `out` (cleared first) if it has the common shape; `false` if not, in which
/// case `out` holds nothing of use.
pub(crate) fn scan<'a>(line: &'a str, out: &mut Vec<RawField<'a>>) -> bool {
    out.clear();
    let mut s = Scanner { text: line, b: line.as_bytes(), i: 0 };
    s.ws();
    if !s.eat(b'{') {
        return false;
    }
    s.ws();
    if !s.eat(b'}') {
        loop {
            let Some(key) = s.string() else { return false };
            s.ws();
            if !s.eat(b':') {
                return false;
            }
            s.ws();
            let Some(value) = s.value() else { return false };
            out.push((Cow::Borrowed(key), value));
            s.ws();
            if s.eat(b',') {
                s.ws();
                continue;
            }
            if s.eat(b'}') {
                break;
            }
            return false;
        }
    }
    s.ws();
    s.i == s.b.len()
}

struct Scanner<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// A string without escapes or control characters. The line is UTF-8 already, and a string
    /// starts and ends at a `"`, so its body is too.
    fn string(&mut self) -> Option<&'a str> {
        if !self.eat(b'"') {
            return None;
        }
        let start = self.i;
        let rest = self.b.get(start..)?;
        let len = rest.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        if rest[len] != b'"' {
            return None;
        }
        self.i = start + len + 1;
        self.text.get(start..start + len)
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<Scalar<'a>> {
        match *self.b.get(self.i)? {
            b'"' => self.string().map(|s| Scalar::Str(Cow::Borrowed(s))),
            b't' => self.literal(b"true").then_some(Scalar::Bool(true)),
            b'f' => self.literal(b"false").then_some(Scalar::Bool(false)),
            b'n' => self.literal(b"null").then_some(Scalar::Null),
            b'-' | b'0'..=b'9' => self.integer(),
            _ => None,
        }
    }

    /// An integer as JSON writes one (no leading zeros, no fraction, no exponent) that fits in
    /// 64 bits; anything else is left to `serde_json`.
    fn integer(&mut self) -> Option<Scalar<'a>> {
        let negative = self.eat(b'-');
        let digits = self.i;
        while let Some(b'0'..=b'9') = self.b.get(self.i) {
            self.i += 1;
        }
        let text = &self.text[digits..self.i];
        if text.is_empty() || (text.len() > 1 && text.starts_with('0')) || text.len() > 19 {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.b.get(self.i) {
            return None;
        }
        let n: u64 = text.parse().ok()?;
        let value = match negative {
            true if n > i64::MAX as u64 + 1 => return None,
            true => -i128::from(n),
            false => i128::from(n),
        };
        Some(Scalar::Int(value))
    }
}
