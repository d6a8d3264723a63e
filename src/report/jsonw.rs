//! A small JSON writer, for reports written record by record.
//!
//! It writes exactly what `serde_json`'s pretty printer writes (two spaces of indentation, `": "`
//! after keys, `[]` and `{}` when empty), or the compact form, so a report can be assembled from
//! pieces made once per run (a clause's title and quote, escaped) and pieces made per deployment,
//! without building a tree of values first.

/// Writes JSON into a byte buffer at a given depth.
pub struct Json<'o> {
    pub out: &'o mut Vec<u8>,
    pretty: bool,
    depth: usize,
    /// Whether the container being written has no element yet.
    first: bool,
}

impl<'o> Json<'o> {
    /// A writer that starts inside containers nested `depth` deep, before their first element
    /// (`first`) or after some.
    pub fn new(out: &'o mut Vec<u8>, pretty: bool, depth: usize, first: bool) -> Json<'o> {
        Json { out, pretty, depth, first }
    }

    fn newline(&mut self, depth: usize) {
        if self.pretty {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + 2 * depth, b' ');
        }
    }

    fn separator(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.newline(self.depth);
    }

    /// `{` or `[`.
    pub fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.first = true;
    }

    /// `}` or `]`, on its own line unless the container is empty.
    pub fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.first {
            self.newline(self.depth);
        }
        self.out.push(bracket);
        self.first = false;
    }

    /// `"key": ` (with the separator before it).
    pub fn key(&mut self, key: &str) {
        self.separator();
        string(self.out, key);
        self.out.extend_from_slice(if self.pretty { b": " } else { b":" });
    }

    /// The separator before an array element.
    pub fn element(&mut self) {
        self.separator();
    }

    pub fn str(&mut self, s: &str) {
        string(self.out, s);
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }

    /// A piece made earlier that opens a container and writes its first elements.
    pub fn raw_open(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
        self.depth += 1;
        self.first = false;
    }

    pub fn num(&mut self, n: u64) {
        let mut buf = itoa_buf(n);
        self.out.extend_from_slice(buf.as_bytes_mut());
    }

    pub fn int(&mut self, n: i64) {
        if n < 0 {
            self.out.push(b'-');
        }
        self.num(n.unsigned_abs());
    }

    /// `"key": "value"`.
    pub fn field_str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.str(value);
    }

    pub fn field_num(&mut self, key: &str, value: u64) {
        self.key(key);
        self.num(value);
    }

    /// Whether the writer makes pretty output.
    pub fn pretty(&self) -> bool {
        self.pretty
    }

    pub fn depth(&self) -> usize {
        self.depth
    }
}

/// Digits of a number, on the stack.
struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    fn as_bytes_mut(&mut self) -> &[u8] {
        &self.buf[self.start..]
    }
}

fn itoa_buf(mut n: u64) -> Digits {
    let mut d = Digits { buf: [0; 20], start: 20 };
    loop {
        d.start -= 1;
        d.buf[d.start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return d;
        }
    }
}

/// Writes `s` as a JSON string, escaped as `serde_json` escapes: quotes, backslashes and control
/// characters (the short forms where JSON has them, `\u00XX` otherwise).
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// `2026-06-01`, without going through `Display`.
pub fn date(out: &mut Vec<u8>, d: chrono::NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if (0..=9999).contains(&y) {
        let y = y as u32;
        out.extend_from_slice(&[
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
            b'-',
            b'0' + (m / 10) as u8,
            b'0' + (m % 10) as u8,
            b'-',
            b'0' + (day / 10) as u8,
            b'0' + (day % 10) as u8,
        ]);
    } else {
        out.extend_from_slice(d.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Sample<'a> {
        id: &'a str,
        n: u64,
        empty: Vec<u8>,
        list: Vec<&'a str>,
        nested: Vec<Inner<'a>>,
    }

    #[derive(serde::Serialize)]
    struct Inner<'a> {
        k: &'a str,
    }

    fn by_hand(pretty: bool, id: &str) -> String {
        let mut out = Vec::new();
        let mut j = Json::new(&mut out, pretty, 0, true);
        j.open(b'{');
        j.field_str("id", id);
        j.field_num("n", 42);
        j.key("empty");
        j.open(b'[');
        j.close(b']');
        j.key("list");
        j.open(b'[');
        for s in ["a", "b"] {
            j.element();
            j.str(s);
        }
        j.close(b']');
        j.key("nested");
        j.open(b'[');
        j.element();
        j.open(b'{');
        j.field_str("k", "v");
        j.close(b'}');
        j.close(b']');
        j.close(b'}');
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let id = "a\"b\\c\n\u{1b}[31m\u{7f}é\t";
        let sample =
            Sample { id, n: 42, empty: vec![], list: vec!["a", "b"], nested: vec![Inner { k: "v" }] };
        assert_eq!(by_hand(true, id), serde_json::to_string_pretty(&sample).unwrap());
        assert_eq!(by_hand(false, id), serde_json::to_string(&sample).unwrap());
    }

    #[test]
    fn dates_are_written_as_days() {
        let mut out = Vec::new();
        date(&mut out, chrono::NaiveDate::from_ymd_opt(2026, 4, 7).unwrap());
        assert_eq!(out, b"2026-04-07");
    }
}
