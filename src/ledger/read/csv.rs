//! CSV ledgers: a header row of field names, then one entry a row.
//!
//! As plans are read (`plan::csv`): cells are trimmed, an empty cell is a field left out, blank
//! lines are skipped, lines are counted as the bytes go by (`\n`, `\r\n` or a lone `\r`). A row
//! with the wrong number of cells, a quote left open, or a cell that is not UTF-8 is a problem of
//! that row only.

use std::borrow::Cow;

use ::csv::{ByteRecord, ReaderBuilder};

use super::document;
use crate::ledger::validate::{Validator, FIELDS};
use crate::plan::csv::{plain_error, read_header, wrong_cell_count, LineTrack};
use crate::plan::raw::{RawField, Scalar};
use crate::plan::validate::{shown, Place};
use crate::plan::{PlanError, RecordProblem};

const HEADER_HELP: &str =
    "a CSV ledger starts with a header row of field names, like `date,kind,payer,payee,amount,period`";

/// Reads the rows of `bytes`: a cell that is not UTF-8 spoils its own row only.
pub(super) fn read(bytes: &[u8], out: &mut Validator<'_>) -> Result<(), PlanError> {
    let mut reader =
        ReaderBuilder::new().has_headers(false).flexible(true).from_reader(LineTrack::new(bytes));
    let mut header = ByteRecord::new();
    let header_read = read_header(&mut reader, &mut header);
    let header_line = header.position().and_then(|p| reader.get_mut().line_of(p.byte()));
    match header_read {
        Ok(true) => {}
        Ok(false) => return Err(document::empty(HEADER_HELP)),
        Err(e) => {
            return Err(document::error(
                format!("the header row cannot be read: {}", plain_error(&e)),
                header_line,
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
                header_line,
                None,
                Some("save the ledger as UTF-8"),
            ));
        };
        let name = if i == 0 { name.trim_start_matches('\u{feff}') } else { name };
        names.push(name.trim_ascii().to_owned());
    }
    if !names.iter().any(|n| out.knows(n)) {
        let first = names.iter().find(|n| !n.is_empty()).map_or("", String::as_str);
        return Err(document::error(
            format!("the first row is not a header: `{}` is not a field name", shown(first)),
            header_line,
            None,
            Some(&format!("{HEADER_HELP}; the fields are {}", FIELDS.join(", "))),
        ));
    }
    let id_column = names.iter().position(|n| n == "id");
    let mut row = ByteRecord::new();
    let mut last_byte = None;
    loop {
        let read = reader.read_byte_record(&mut row);
        let line = row.position().and_then(|p| reader.get_mut().line_of(p.byte()));
        let at = Place::line(line);
        match read {
            Ok(false) => break,
            Ok(true) => {
                if row.len() <= 1 && row.iter().all(|cell| cell.trim_ascii().is_empty()) {
                    continue;
                }
                let id = id_column
                    .and_then(|i| row.get(i))
                    .and_then(|c| std::str::from_utf8(c).ok())
                    .map(str::trim_ascii)
                    .filter(|id| !id.is_empty() && !id.contains('\n'));
                if row.len() != names.len() {
                    let problem = match row.iter().find(|cell| cell.contains(&b'\n')) {
                        Some(cell) => {
                            let spanned = cell.trim_ascii_end().iter().filter(|b| **b == b'\n').count() + 1;
                            RecordProblem {
                                code: crate::diagnostic::codes::UNREADABLE_RECORD,
                                field: None,
                                message: if spanned > 1 {
                                    format!("a quoted cell runs over {spanned} lines")
                                } else {
                                    "a quoted cell is not closed".to_owned()
                                },
                                help: Some(if spanned > 1 {
                                    "is a closing `\"` missing? the rows after it were read into that cell"
                                        .into()
                                } else {
                                    "is a closing `\"` missing?".into()
                                }),
                            }
                        }
                        None => wrong_cell_count(row.len(), names.len()),
                    };
                    out.unreadable(at, id, problem);
                    continue;
                }
                if let Some(bad) = row.iter().position(|cell| std::str::from_utf8(cell).is_err()) {
                    let name = names.get(bad).map_or("", String::as_str);
                    out.unreadable(
                        at,
                        id,
                        RecordProblem {
                            code: crate::diagnostic::codes::UNREADABLE_RECORD,
                            field: Some(name.to_owned()),
                            message: format!("the cell of `{}` is not UTF-8 text", shown(name)),
                            help: Some("save the ledger as UTF-8".into()),
                        },
                    );
                    continue;
                }
                let fields: Vec<RawField<'_>> = names
                    .iter()
                    .zip(row.iter())
                    .map(|(name, cell)| {
                        let cell = std::str::from_utf8(cell).unwrap_or("").trim_ascii();
                        let value = if cell.is_empty() {
                            Scalar::Null
                        } else {
                            Scalar::Str(Cow::Owned(cell.to_owned()))
                        };
                        (Cow::Borrowed(name.as_str()), value)
                    })
                    .collect();
                out.entry(at, &fields);
            }
            Err(e) => {
                let byte = reader.position().byte();
                if last_byte == Some(byte) {
                    // INVARIANT: the reader always moves on after an error; stop rather than loop.
                    break;
                }
                last_byte = Some(byte);
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
