//! Reading ledgers: YAML and JSON (`{entries: [...]}`), NDJSON (one entry a line) and CSV (a
//! header row, then one entry a row) into raw entries for the one validator.
//!
//! The readers are the plan readers' shape, with the plan's building blocks (`plan::raw`'s
//! scalars and entry visitors, the YAML entry finder, the CSV line tracker): a value of the wrong
//! type, a tag, an unreadable NDJSON line or a CSV row of the wrong length spoils its own entry
//! only. A ledger is a document, read whole: the CLI bounds its size as `check` bounds a YAML or
//! JSON plan ([`crate::check::run::MAX_DOCUMENT`]).

mod csv;
mod document;
mod json;
mod yaml;

use super::validate::Validator;
use crate::plan::{PlanError, PlanFormat};

/// Reads every entry of `bytes` into the validator, in input order. A YAML or JSON ledger is one
/// document and must be UTF-8 throughout; in NDJSON and CSV a line or cell that is not spoils
/// its own entry only, as in a plan.
pub(super) fn read(bytes: &[u8], format: PlanFormat, out: &mut Validator<'_>) -> Result<(), PlanError> {
    match format {
        PlanFormat::Yaml => yaml::read(utf8(bytes)?, out),
        PlanFormat::Json => json::read(utf8(bytes)?, out),
        PlanFormat::Ndjson => json::read_lines(bytes, out),
        PlanFormat::Csv => csv::read(bytes, out),
    }
}

/// The text of a ledger's bytes, or the error of a ledger that is not UTF-8 (with its line).
fn utf8(bytes: &[u8]) -> Result<&str, PlanError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = 1 + valid.iter().filter(|b| **b == b'\n').count();
        document::error(
            format!("the ledger is not UTF-8 text (line {line})"),
            Some(line),
            None,
            Some("save the ledger as UTF-8"),
        )
    })
}
