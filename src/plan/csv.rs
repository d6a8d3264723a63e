//! Reading a CSV plan, streamed: a header row of field names, then one deployment a row.
//!
//! Rows are read one at a time from any reader, so memory does not grow with the plan. Cells are
//! trimmed; an empty cell is an absent field. Every cell is text, so flags are written `true` or
//! `false`. A row with the wrong number of cells, or a cell that is not UTF-8, is a problem of that
//! row only, and so is a row longer than [`MAX_ROW`]: it is read no further than that, skipped to
//! the end of its line, and reading starts again on the next line. Lines are counted by
//! [`LineTrack`] as the bytes go by, since the CSV reader's own count starts before the blank
//! lines it skips and misses lone `\r` line ends.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read};

use ::csv::{ByteRecord, ReaderBuilder};

use super::document;
use super::raw::{RawField, Scalar};
use super::validate::{self, Out, Place, Schema, TextBooleans, Validator};
use super::{PlanError, Record, RecordProblem};

/// The longest row read, in bytes (as an NDJSON line: [`super::ndjson::MAX_RECORD`]): a
/// deployment is a few hundred bytes. A longer row is an error of its own, and no more than
/// about this much of it is ever held (a quote left open would otherwise read the rest of the
/// plan into one cell).
pub const MAX_ROW: usize = 1 << 20;

/// What the CSV reader may have read ahead of the row it is on, beyond [`MAX_ROW`], before a
/// row is known to be too long: its buffer is 8 KiB.
const READ_AHEAD: u64 = 64 << 10;

/// The I/O error [`LineTrack`] gives when a row runs past [`MAX_ROW`].
#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the row is longer than {MAX_ROW} bytes")
    }
}

impl std::error::Error for RowTooLong {}

fn row_too_long(e: &::csv::Error) -> bool {
    matches!(e.kind(), ::csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|e| e.is::<RowTooLong>()))
}

fn too_long_problem() -> RecordProblem {
    RecordProblem {
        code: crate::diagnostic::codes::RECORD_TOO_LARGE,
        field: None,
        message: format!("this row is longer than {MAX_ROW} bytes"),
        help: Some("a deployment is one row of a few cells; is a closing `\"` missing?".into()),
    }
}

const HEADER_HELP: &str =
    "a CSV plan starts with a header row of field names, like `id,party,product,cloud,date`";

pub(crate) fn read(
    input: impl Read,
    schema: &Schema<'_>,
    emit: &mut dyn FnMut(&Record),
) -> Result<(), PlanError> {
    let builder = {
        let mut b = ReaderBuilder::new();
        b.has_headers(false).flexible(true);
        b
    };
    let mut reader = builder.from_reader(LineTrack::limited(input));
    // Where the current reader started in the input: after a row too long, reading starts again
    // with a new reader (a quote left open is closed), whose offsets count from there.
    let mut base = 0u64;
    let mut header = ByteRecord::new();
    let header_read = read_header(&mut reader, &mut header);
    let header_line = header.position().map(|p| reader.get_mut().line_of(p.byte()));
    match header_read {
        Ok(true) => {}
        Ok(false) => return Err(document::empty(&document::PLAN, HEADER_HELP)),
        Err(e) => {
            return Err(document::error(
                format!("the header row cannot be read: {}", plain_error(&e)),
                header_line.flatten(),
                None,
                Some(HEADER_HELP),
            ))
        }
    }
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let Ok(name) = std::str::from_utf8(cell) else {
            return Err(document::error(
                format!("the header row is not UTF-8 text: its cell {} is not valid", i + 1),
                header_line.flatten(),
                None,
                Some("save the plan as UTF-8"),
            ));
        };
        let name = if i == 0 { name.trim_start_matches('\u{feff}') } else { name };
        names.push(name.trim_ascii().to_owned());
    }
    if names.iter().all(|n| n.is_empty()) {
        return Err(document::error(
            "the header row has no field names".to_owned(),
            header_line.flatten(),
            None,
            Some(HEADER_HELP),
        ));
    }
    // A file whose first row is already data has no header: say so once, not on every row.
    if !names.iter().any(|n| schema.knows(n)) {
        let first = names.iter().find(|n| !n.is_empty()).map_or("", String::as_str);
        return Err(document::error(
            format!("the first row is not a header: `{}` is not a field name", validate::shown(first)),
            header_line.flatten(),
            None,
            Some(HEADER_HELP),
        ));
    }
    let id_column = names.iter().position(|n| n == "id");
    let mut out = Out { validator: Validator::new(schema, TextBooleans::Csv), emit };
    let mut row = ByteRecord::new();
    let mut fields: Vec<RawField<'_>> = Vec::with_capacity(names.len());
    let mut last_byte = None;
    reader.get_mut().row_start = Some(base + reader.position().byte());
    loop {
        let read = reader.read_byte_record(&mut row);
        let line = row.position().and_then(|p| reader.get_mut().line_of(base + p.byte()));
        let at = Place::line(line);
        if matches!(&read, Err(e) if row_too_long(e)) {
            let track = reader.get_mut();
            let line = track.row_start.and_then(|start| track.line_of(start));
            out.unreadable(Place::line(line), None, too_long_problem());
            let mut track = reader.into_inner();
            if let Err(io) = track.skip_line() {
                return Err(document::error(
                    format!("the plan could not be read to its end: {io}"),
                    line,
                    None,
                    None,
                ));
            }
            base = track.offset;
            track.row_start = Some(base);
            reader = builder.from_reader(track);
            continue;
        }
        reader.get_mut().row_start = Some(base + reader.position().byte());
        match read {
            Ok(false) => break,
            Ok(true) => {
                if row.as_slice().len() > MAX_ROW {
                    out.unreadable(at, None, too_long_problem());
                    continue;
                }
                // A blank (or all-space) line is not a record.
                if row.len() <= 1 && row.iter().all(|cell| cell.trim_ascii().is_empty()) {
                    continue;
                }
                let id = id_column
                    .and_then(|i| row.get(i))
                    .and_then(|c| std::str::from_utf8(c).ok())
                    .map(str::trim_ascii);
                // A row of the wrong length with a cell that runs over lines is a quote left open,
                // which swallowed the rows after it: say so, rather than count cells.
                if row.len() != names.len() {
                    if let Some(cell) = row.iter().find(|cell| cell.contains(&b'\n')) {
                        let id = id.filter(|id| !id.contains('\n'));
                        let lines_spanned = cell.trim_ascii_end().iter().filter(|b| **b == b'\n').count() + 1;
                        out.unreadable(
                            at,
                            id,
                            RecordProblem {
                                code: crate::diagnostic::codes::UNREADABLE_RECORD,
                                field: None,
                                message: format!("a quoted cell runs over {lines_spanned} lines"),
                                help: Some(
                                    "is a closing `\"` missing? the rows after it were read into that cell"
                                        .into(),
                                ),
                            },
                        );
                    } else {
                        out.unreadable(at, id, wrong_cell_count(row.len(), names.len()));
                    }
                    continue;
                }
                if let Some(bad) = row.iter().position(|cell| std::str::from_utf8(cell).is_err()) {
                    out.unreadable(
                        at,
                        id,
                        RecordProblem {
                            code: crate::diagnostic::codes::UNREADABLE_RECORD,
                            field: Some(names[bad].clone()),
                            message: format!(
                                "the cell of `{}` is not UTF-8 text",
                                validate::shown(&names[bad])
                            ),
                            help: Some("save the plan as UTF-8".into()),
                        },
                    );
                    continue;
                }
                fields.clear();
                fields.extend(names.iter().zip(row.iter()).map(|(name, cell)| {
                    // Checked above: every cell is UTF-8.
                    let cell = std::str::from_utf8(cell).unwrap_or("").trim_ascii();
                    let value = if cell.is_empty() { Scalar::Null } else { Scalar::Str(Cow::Borrowed(cell)) };
                    (Cow::Borrowed(name.as_str()), value)
                }));
                out.check(at, &fields);
                fields = recycle(fields);
            }
            Err(e) => {
                let byte = base + reader.position().byte();
                if last_byte == Some(byte) {
                    // INVARIANT: the reader always moves on after an error; stop rather than loop.
                    break;
                }
                last_byte = Some(byte);
                if let ::csv::ErrorKind::Io(io) = e.kind() {
                    return Err(document::error(
                        format!("the plan could not be read to its end: {io}"),
                        line,
                        None,
                        None,
                    ));
                }
                let line = e.position().and_then(|p| reader.get_mut().line_of(base + p.byte()));
                out.unreadable(
                    Place::line(line),
                    None,
                    RecordProblem {
                        code: crate::diagnostic::codes::UNREADABLE_RECORD,
                        field: None,
                        message: format!("this row cannot be read: {}", plain_error(&e)),
                        help: None,
                    },
                );
            }
        }
    }
    Ok(())
}

/// Empties a row buffer and hands back its allocation for borrows of another row: the in-place
/// `collect` keeps the allocation, since the element type's size is unchanged.
#[allow(clippy::unnecessary_filter_map)] // `filter_map` is how the lifetime changes; nothing is kept.
fn recycle<'b>(buffer: Vec<RawField<'_>>) -> Vec<RawField<'b>> {
    buffer.into_iter().filter_map(|_| None).collect()
}

/// Reads the header row of a plan or a ledger into `header`: blank lines (and a lone byte-order
/// mark) before it are not a header. `Ok(false)` when the input ends first.
pub(crate) fn read_header<R: io::Read>(
    reader: &mut ::csv::Reader<R>,
    header: &mut ByteRecord,
) -> ::csv::Result<bool> {
    loop {
        let read = reader.read_byte_record(header);
        let blank = header.len() <= 1
            && header
                .iter()
                .all(|c| c.strip_prefix("\u{feff}".as_bytes()).unwrap_or(c).trim_ascii().is_empty());
        if !matches!(read, Ok(true)) || !blank {
            return read;
        }
    }
}

/// The problem of a row (of a plan or a ledger) with more or fewer cells than the header.
pub(crate) fn wrong_cell_count(cells: usize, columns: usize) -> RecordProblem {
    let cells_word = if cells == 1 { "cell" } else { "cells" };
    let columns_word = if columns == 1 { "column" } else { "columns" };
    RecordProblem {
        code: crate::diagnostic::codes::WRONG_CELL_COUNT,
        field: None,
        message: format!("this row has {cells} {cells_word} but the header has {columns} {columns_word}"),
        help: Some(
            "give every row one cell for each column; leave a cell empty to leave the field out".to_owned(),
        ),
    }
}

/// The csv crate's error in plain words.
pub(crate) fn plain_error(error: &::csv::Error) -> String {
    match error.kind() {
        ::csv::ErrorKind::Utf8 { .. } => "it is not valid UTF-8 text".to_owned(),
        _ => error.to_string(),
    }
}

/// A reader that notes where each line starts as the bytes go by, so the line of any recent byte
/// offset can be found. Lines end at `\n`, `\r\n` or a lone `\r`, as the CSV reader's do. Only the
/// starts not yet asked about are kept: the CSV reader's read-ahead, a few kilobytes.
pub(crate) struct LineTrack<R> {
    inner: R,
    offset: u64,
    line: usize,
    at_line_start: bool,
    prev_cr: bool,
    /// (offset, line, whether the line is empty) of each line start not yet passed.
    starts: VecDeque<(u64, usize, bool)>,
    /// Where the row being read starts: reading past [`MAX_ROW`] (and the read-ahead) from it
    /// fails with [`RowTooLong`]. `None`: no limit.
    row_start: Option<u64>,
    /// Bytes read from `inner` but not yet handed on (the rest of a line end's block).
    pending: Vec<u8>,
}

impl<R> LineTrack<R> {
    /// A tracker that lets a row be as long as it is (for a text already in memory).
    pub(crate) fn new(inner: R) -> LineTrack<R> {
        LineTrack {
            inner,
            offset: 0,
            line: 1,
            at_line_start: true,
            prev_cr: false,
            starts: VecDeque::new(),
            row_start: None,
            pending: Vec::new(),
        }
    }

    /// A tracker that fails a read running [`MAX_ROW`] (and the read-ahead) past the start of
    /// the row being read, which the caller keeps in `row_start`.
    fn limited(inner: R) -> LineTrack<R> {
        LineTrack { row_start: Some(0), ..LineTrack::new(inner) }
    }

    /// The line of the first byte at or after `offset` that is not a line end: where a record
    /// starts, when the CSV reader reports the offset before the blank lines it skipped.
    pub(crate) fn line_of(&mut self, offset: u64) -> Option<usize> {
        while self.starts.front().is_some_and(|(o, _, _)| *o < offset) {
            self.starts.pop_front();
        }
        self.starts.iter().find(|(_, _, empty)| !empty).or(self.starts.front()).map(|(_, line, _)| *line)
    }
}

impl<R: Read> LineTrack<R> {
    /// Reads on to the end of the current line (its `\n` or `\r`), keeping nothing of it.
    fn skip_line(&mut self) -> io::Result<()> {
        let mut block = vec![0u8; 64 << 10];
        loop {
            let n = if self.pending.is_empty() {
                self.inner.read(&mut block)?
            } else {
                let n = self.pending.len().min(block.len());
                block[..n].copy_from_slice(&self.pending[..n]);
                self.pending.drain(..n);
                n
            };
            if n == 0 {
                return Ok(());
            }
            if let Some(end) = block[..n].iter().position(|&b| b == b'\n' || b == b'\r') {
                self.note(&block[..=end]);
                self.pending.splice(0..0, block[end + 1..n].iter().copied());
                return Ok(());
            }
            self.note(&block[..n]);
        }
    }
}

impl<R: Read> Read for LineTrack<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.row_start.is_some_and(|start| self.offset > start + MAX_ROW as u64 + READ_AHEAD) {
            return Err(io::Error::other(RowTooLong));
        }
        let n = if self.pending.is_empty() {
            self.inner.read(buf)?
        } else {
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            n
        };
        self.note(&buf[..n]);
        Ok(n)
    }
}

impl<R> LineTrack<R> {
    /// Notes the line starts in bytes being handed on.
    fn note(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' && self.prev_cr {
                // The `\n` of `\r\n`: the line ended at the `\r`.
                self.prev_cr = false;
                self.offset += 1;
                continue;
            }
            if self.at_line_start {
                self.starts.push_back((self.offset, self.line, b == b'\n' || b == b'\r'));
                self.at_line_start = false;
            }
            if b == b'\n' || b == b'\r' {
                self.line += 1;
                self.at_line_start = true;
            }
            self.prev_cr = b == b'\r';
            self.offset += 1;
        }
    }
}
