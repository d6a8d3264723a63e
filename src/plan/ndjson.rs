//! NDJSON plans, streamed: one deployment object a line, any number of lines, bounded memory.
//!
//! [`Chunker`] reads any [`Read`] into [`Chunk`]s of whole lines, about a mebibyte each, so
//! chunks can be parsed on several threads while the next is read. A line ends at `\n`, `\r\n` or
//! a lone `\r` (so a file with old Mac line ends is not one long record), and no more than
//! [`MAX_RECORD`] bytes of one line are ever held: a longer line is skipped to its end and becomes
//! an error of that record alone. [`Parser`] turns the lines of a chunk into
//! records: a line that is not UTF-8, not JSON, or not an object is an error of that record only.

use std::io::{self, Read};

use serde::de::DeserializeSeed;

use super::document::{self, not_a_mapping};
use super::json::unreadable_line;
use super::raw::{EntrySeed, RawField, Shape};
use super::validate::{Place, Schema, TextBooleans, Validator};
use super::{Record, RecordProblem};

pub const HELP: &str = "write one deployment object a line";

/// The longest line (one record) read, in bytes: a deployment is a few hundred bytes; a line a
/// thousand times that is not a deployment, and is reported as an error of its record.
pub const MAX_RECORD: usize = 1 << 20;

/// About how many bytes of lines a chunk holds.
const CHUNK: usize = 1 << 20;

/// Whole lines of a plan (ended by `\n`, `\r\n` or a lone `\r`), numbered from `first_line`.
#[derive(Debug, Default)]
pub struct Chunk {
    pub data: Vec<u8>,
    pub first_line: usize,
    /// Whether the chunk starts the file (where a byte-order mark may stand).
    pub at_start: bool,
    /// A line longer than [`MAX_RECORD`], dropped: its number. Such a chunk holds nothing else.
    pub overlong: Option<usize>,
    /// Bytes of input the chunk stands for (for progress).
    pub input_bytes: u64,
}

/// Cuts an input into chunks of whole lines, reading a block at a time.
pub struct Chunker<R> {
    input: R,
    /// Bytes read after the last whole line handed out.
    carry: Vec<u8>,
    line: usize,
    at_start: bool,
    eof: bool,
}

impl<R: Read> Chunker<R> {
    pub fn new(input: R) -> Chunker<R> {
        Chunker { input, carry: Vec::new(), line: 1, at_start: true, eof: false }
    }

    /// Reads until `data` holds at least `want` bytes or the input ends.
    fn fill(&mut self, data: &mut Vec<u8>, want: usize) -> io::Result<u64> {
        let mut read = 0u64;
        while data.len() < want && !self.eof {
            let need = (want - data.len()) as u64;
            // `read_to_end` through `take` reads into the spare capacity without zeroing it first.
            match (&mut self.input).take(need).read_to_end(data) {
                Ok(0) => self.eof = true,
                Ok(n) => read += n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(read)
    }

    /// The next chunk, or `None` at the end of the input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        let mut data = std::mem::take(&mut self.carry);
        data.reserve(CHUNK);
        let mut input_bytes = self.fill(&mut data, CHUNK)?;
        if data.is_empty() {
            return Ok(None);
        }
        let at_start = std::mem::replace(&mut self.at_start, false);
        let first_line = self.line;
        let cut = loop {
            if let Some(cut) = last_line_end(&data, self.eof) {
                break cut;
            }
            if self.eof {
                break data.len();
            }
            if data.len() > MAX_RECORD {
                // One line longer than any record: drop it to its end, keeping no more than a block.
                loop {
                    data.clear();
                    input_bytes += self.fill(&mut data, CHUNK)?;
                    if let Some(end) = first_line_end(&data, self.eof) {
                        self.carry = data.split_off(end);
                        break;
                    }
                    if self.eof {
                        break;
                    }
                }
                self.line += 1;
                return Ok(Some(Chunk {
                    data: Vec::new(),
                    first_line,
                    at_start,
                    overlong: Some(first_line),
                    input_bytes,
                }));
            }
            let want = data.len() + CHUNK;
            input_bytes += self.fill(&mut data, want)?;
        };
        self.carry = data.split_off(cut);
        self.line += count_lines(&data);
        Ok(Some(Chunk { data, first_line, at_start, overlong: None, input_bytes }))
    }
}

/// Just after the last line end of `data`; a `\r` at the very end counts only at the end of the
/// input (a `\n` may follow it).
fn last_line_end(data: &[u8], eof: bool) -> Option<usize> {
    let i = memchr::memrchr2(b'\n', b'\r', data)?;
    if data[i] == b'\r' && i + 1 == data.len() && !eof {
        return memchr::memrchr2(b'\n', b'\r', &data[..i]).map(|j| j + 1);
    }
    Some(i + 1)
}

/// Just after the first line end of `data`, taking `\r\n` as one.
fn first_line_end(data: &[u8], eof: bool) -> Option<usize> {
    let i = memchr::memchr2(b'\n', b'\r', data)?;
    match (data[i], data.get(i + 1)) {
        (b'\r', Some(b'\n')) => Some(i + 2),
        (b'\r', None) if !eof => None,
        _ => Some(i + 1),
    }
}

/// How many lines `data` (whole lines) holds: its line ends, `\r\n` counted once, and a last
/// line without an end.
fn count_lines(data: &[u8]) -> usize {
    let mut n = memchr::memchr_iter(b'\n', data).count();
    if memchr::memchr(b'\r', data).is_some() {
        n += memchr::memchr_iter(b'\r', data).filter(|&i| data.get(i + 1) != Some(&b'\n')).count();
    }
    if data.last().is_some_and(|b| *b != b'\n' && *b != b'\r') {
        n += 1;
    }
    n
}

/// Turns lines into records. One per thread; the schema is shared.
pub struct Parser<'s, 'v> {
    validator: Validator<'s, 'v>,
}

impl<'s, 'v> Parser<'s, 'v> {
    pub fn new(schema: &'s Schema<'v>) -> Parser<'s, 'v> {
        Parser { validator: Validator::new(schema, TextBooleans::No) }
    }

    /// The records of a chunk, in order, numbered from 1 within the chunk.
    pub fn chunk(&mut self, chunk: &Chunk, emit: &mut dyn FnMut(&Record)) {
        self.validator.restart();
        if let Some(number) = chunk.overlong {
            emit(self.validator.unreadable(Place::line(Some(number)), None, too_long()));
            return;
        }
        self.lines(&chunk.data, chunk.first_line, chunk.at_start, emit);
    }

    /// The records of whole lines (ended by `\n`, `\r\n` or `\r`), the first being line
    /// `first_line`; `at_start`: the first line starts the file.
    pub fn lines(&mut self, data: &[u8], first_line: usize, at_start: bool, emit: &mut dyn FnMut(&Record)) {
        let mut fields: Vec<RawField<'_>> = Vec::new();
        let mut rest = data;
        let mut line_number = first_line;
        while !rest.is_empty() {
            let (line, after) = split_line(rest);
            rest = after;
            let number = line_number;
            line_number += 1;
            let line = if number == first_line && at_start {
                line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line)
            } else {
                line
            };
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let at = Place::line(Some(number));
            // A chunk may hold a line a little past the limit (it is cut at a line end it has
            // read): the limit is the same wherever the line falls.
            if line.len() > MAX_RECORD {
                emit(self.validator.unreadable(at, None, too_long()));
                continue;
            }
            let text = match std::str::from_utf8(line) {
                Ok(text) => text,
                Err(e) => {
                    emit(self.validator.unreadable(at, None, not_utf8(e.valid_up_to() + 1)));
                    continue;
                }
            };
            if super::scan::scan(text, &mut fields) {
                emit(self.validator.check(at, &fields));
                fields.clear();
                continue;
            }
            let mut de = serde_json::Deserializer::from_str(text);
            let shape = EntrySeed { out: &mut fields }
                .deserialize(&mut de)
                .and_then(|shape| de.end().map(|()| shape));
            emit(match shape {
                Ok(Shape::Mapping) => self.validator.check(at, &fields),
                Ok(Shape::Other(what)) => {
                    self.validator.unreadable(at, None, not_a_mapping(&document::PLAN, what))
                }
                Err(e) => self.validator.unreadable(at, None, unreadable_line(&document::PLAN, &e)),
            });
            fields.clear();
        }
    }
}

fn too_long() -> RecordProblem {
    RecordProblem {
        code: crate::diagnostic::codes::RECORD_TOO_LARGE,
        field: None,
        message: format!("this line is longer than {MAX_RECORD} bytes"),
        help: Some(
            "a deployment is one JSON object on one line; is this a whole document on one line?".into(),
        ),
    }
}

/// A line ended by `\n`, `\r\n` or a lone `\r`.
fn split_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr2(b'\n', b'\r', bytes) {
        Some(i) if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') => (&bytes[..i], &bytes[i + 2..]),
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &[]),
    }
}

pub(crate) fn not_utf8(column: usize) -> RecordProblem {
    RecordProblem {
        code: crate::diagnostic::codes::UNREADABLE_RECORD,
        field: None,
        message: format!("this line is not UTF-8 text: the byte at column {column} is not valid"),
        help: Some("save the plan as UTF-8".into()),
    }
}
