//! Reading a CSV plan, streamed: a header row of field names, then one deployment a row.
//!
//! Rows are read one at a time from any reader, so memory does not grow with the plan. Cells are
//! trimmed; an empty cell is an absent field. Every cell is text, so flags are written `true` or
//! `false`. A row with the wrong number of cells, or a cell that is not UTF-8, is a problem of that
//! row only. Lines are counted by [`LineTrack`] as the bytes go by, since the CSV reader's own
//! count starts before the blank lines it skips and misses lone `\r` line ends.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read};

use ::csv::{ByteRecord, ReaderBuilder};

use super::document;
use super::raw::{RawField, Scalar};
use super::validate::{self, Out, Place, Schema, TextBooleans, Validator};
use super::{PlanError, Record, RecordProblem};

const HEADER_HELP: &str =
    "a CSV plan starts with a header row of field names, like `id,party,product,cloud,date`";

pub(crate) fn read(
    input: impl Read,
    schema: &Schema<'_>,
    emit: &mut dyn FnMut(&Record),
) -> Result<(), PlanError> {
    let mut reader =
        ReaderBuilder::new().has_headers(false).flexible(true).from_reader(LineTrack::new(input));
    let mut header = ByteRecord::new();
    // Blank lines (and a lone byte-order mark) before the header are not a header.
    let header_read = loop {
        let read = reader.read_byte_record(&mut header);
        let blank = header.len() <= 1
            && header
                .iter()
                .all(|c| c.strip_prefix("\u{feff}".as_bytes()).unwrap_or(c).trim_ascii().is_empty());
        if !matches!(read, Ok(true)) || !blank {
            break read;
        }
    };
    let header_line = header.position().map(|p| reader.get_mut().line_of(p.byte()));
    match header_read {
        Ok(true) => {}
        Ok(false) => return Err(document::empty(HEADER_HELP)),
        Err(e) => {
            return Err(document::plan_error(
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
            return Err(document::plan_error(
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
        return Err(document::plan_error(
            "the header row has no field names".to_owned(),
            header_line.flatten(),
            None,
            Some(HEADER_HELP),
        ));
    }
    // A file whose first row is already data has no header: say so once, not on every row.
    if !names.iter().any(|n| schema.knows(n)) {
        let first = names.iter().find(|n| !n.is_empty()).map_or("", String::as_str);
        return Err(document::plan_error(
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
    loop {
        let read = reader.read_byte_record(&mut row);
        let line = row.position().and_then(|p| reader.get_mut().line_of(p.byte()));
        let at = Place::line(line);
        match read {
            Ok(false) => break,
            Ok(true) => {
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
                let byte = reader.position().byte();
                if last_byte == Some(byte) {
                    // INVARIANT: the reader always moves on after an error; stop rather than loop.
                    break;
                }
                last_byte = Some(byte);
                if let ::csv::ErrorKind::Io(io) = e.kind() {
                    return Err(document::plan_error(
                        format!("the plan could not be read to its end: {io}"),
                        line,
                        None,
                        None,
                    ));
                }
                let line = e.position().and_then(|p| reader.get_mut().line_of(p.byte()));
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

fn wrong_cell_count(cells: usize, columns: usize) -> RecordProblem {
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

fn plain_error(error: &::csv::Error) -> String {
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
}

impl<R> LineTrack<R> {
    pub(crate) fn new(inner: R) -> LineTrack<R> {
        LineTrack { inner, offset: 0, line: 1, at_line_start: true, prev_cr: false, starts: VecDeque::new() }
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

impl<R: Read> Read for LineTrack<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
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
        Ok(n)
    }
}
