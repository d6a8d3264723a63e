//! The ledger report (`clausecheck ledger`): a [`LedgerReport`] written as text, JSON or NDJSON.
//!
//! The figures are decided in `ledger`; nothing here adds, compares or rounds an amount. Words
//! for people are made in [`words`], once for every format that shows them. Amounts are written
//! exactly: grouped in thousands for people, plain decimal strings in JSON, so no reader parses
//! them as floating point. Anything an input wrote (an id, a reference, a file name) goes through
//! [`super::safe`] in text. Terms in rule order, periods in calendar order, entries and errors in
//! input order: the same input gives the same bytes.

mod json;
mod text;
pub mod words;

use crate::ledger::{Ledger, LedgerReport};
use crate::model::RuleSet;
use crate::source::Sources;

pub use json::{failed_json, to_json, to_ndjson};
pub use text::to_text;

/// Everything a ledger report is made from.
#[derive(Clone, Copy)]
pub struct LedgerView<'r> {
    pub rules: &'r RuleSet,
    pub sources: &'r Sources,
    pub ledger: &'r Ledger,
    pub report: &'r LedgerReport,
    /// The ledger's name as given on the command line, for `file:line` places.
    pub name: &'r str,
}
