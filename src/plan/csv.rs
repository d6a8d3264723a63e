//! Reading a CSV plan: a header row of field names, then one deployment a row.
//!
//! Cells are trimmed; an empty cell is an absent field. Every cell is text, so flags are written
//! `true` or `false`. A row with the wrong number of cells is a problem of that row only.

use std::borrow::Cow;

use ::csv::{ReaderBuilder, StringRecord};

use super::document;
use super::raw::{self, LineCounter, RawField, Scalar};
use super::validate::{self, Validator};
use super::{Plan, PlanError, RecordProblem};
use crate::model::Vocabulary;

const HEADER_HELP: &str =
    "a CSV plan starts with a header row of field names, like `id,party,product,cloud,date`";

pub(crate) fn read(text: &str, vocab: &Vocabulary) -> Result<Plan, PlanError> {
    if document::is_blank(text) {
        return Err(document::empty(HEADER_HELP));
    }
    let mut reader = ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());

    // The reader's own line numbers count from before the blank lines it skips, and miss `\r\n`;
    // lines are counted here from the byte where each record starts instead.
    let mut lines = LineCounter::new(text, true);
    let mut line_of = |position: Option<&::csv::Position>| {
        position.and_then(|p| usize::try_from(p.byte()).ok()).and_then(|b| lines.line_after_breaks(b))
    };
    let mut header = StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(document::empty(HEADER_HELP)),
        Err(e) => {
            return Err(document::plan_error(
                format!("the header row cannot be read: {}", plain_error(&e)),
                line_of(e.position()),
                None,
                Some(HEADER_HELP),
            ))
        }
    }
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            if i == 0 {
                name.trim_start_matches('\u{feff}').trim_ascii().to_owned()
            } else {
                name.trim_ascii().to_owned()
            }
        })
        .collect();
    if names.iter().all(String::is_empty) {
        return Err(document::plan_error(
            "the header row has no field names".to_owned(),
            line_of(header.position()),
            None,
            Some(HEADER_HELP),
        ));
    }

    // A file whose first row is already data has no header: say so once, not on every row.
    let known = |n: &str| n == "id" || n == "date" || vocab.field(n).is_some() || vocab.flag(n).is_some();
    if !names.iter().any(|n| known(n)) {
        let first = names.iter().find(|n| !n.is_empty()).map_or("", String::as_str);
        return Err(document::plan_error(
            format!("the first row is not a header: `{}` is not a field name", validate::shown(first)),
            line_of(header.position()),
            None,
            Some(HEADER_HELP),
        ));
    }
    let id_column = names.iter().position(|n| n == "id");
    let mut validator = Validator::new(vocab, true);
    validator.reserve(raw::count_lines(text).saturating_sub(1));
    let mut row = StringRecord::new();
    // One buffer for every row: it is emptied and handed back each time, keeping its allocation.
    let mut spare: Vec<RawField<'static>> = Vec::with_capacity(names.len());
    let mut last_byte = None;
    loop {
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = line_of(row.position());
                // A blank (or all-space) line is not a record.
                if row.len() <= 1 && row.iter().all(|cell| cell.trim_ascii().is_empty()) {
                    continue;
                }
                // A row of the wrong length with a cell that runs over lines is a quote left open,
                // which swallowed the rows after it: say so, rather than count cells.
                let open_quote = row.len() != names.len();
                if let Some(cell) = row.iter().find(|cell| open_quote && cell.contains('\n')) {
                    let id = id_column
                        .and_then(|i| row.get(i))
                        .map(str::trim_ascii)
                        .filter(|id| !id.contains('\n'));
                    let lines_spanned = cell.trim_end_matches(['\n', '\r']).matches('\n').count() + 1;
                    validator.push_unreadable(
                        line,
                        id,
                        RecordProblem {
                            field: None,
                            message: format!("a quoted cell runs over {lines_spanned} lines"),
                            help: Some(
                                "is a closing `\"` missing? the rows after it were read into that cell"
                                    .into(),
                            ),
                        },
                    );
                    continue;
                }
                if row.len() != names.len() {
                    let id = id_column.and_then(|i| row.get(i)).map(str::trim_ascii);
                    validator.push_unreadable(line, id, wrong_cell_count(row.len(), names.len()));
                    continue;
                }
                let mut fields: Vec<RawField<'_>> = recycle(spare);
                fields.extend(names.iter().zip(row.iter()).map(|(name, cell)| {
                    // Cells are trimmed here rather than by the reader, which would rebuild each row.
                    let cell = cell.trim_ascii();
                    let value = if cell.is_empty() { Scalar::Null } else { Scalar::Str(Cow::Borrowed(cell)) };
                    (Cow::Borrowed(name.as_str()), value)
                }));
                validator.push(line, &fields);
                spare = recycle(fields);
            }
            Err(e) => {
                let byte = reader.position().byte();
                if last_byte == Some(byte) {
                    // INVARIANT: the reader always moves on after an error; stop rather than loop.
                    break;
                }
                last_byte = Some(byte);
                let line = line_of(e.position());
                validator.push_unreadable(
                    line,
                    None,
                    RecordProblem {
                        field: None,
                        message: format!("this row cannot be read: {}", plain_error(&e)),
                        help: None,
                    },
                );
            }
        }
    }
    Ok(validator.finish())
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
