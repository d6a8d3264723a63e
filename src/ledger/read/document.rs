//! The outer shape of a YAML or JSON ledger, `{ entries: [...] }`: the plan's document reader
//! (`plan::document`), which streams the list to a validator and words the document's errors, in
//! a ledger's words. Only the words differ, so a ledger and a plan fail the same way.

use crate::ledger::ENTRIES;
use crate::plan::document::{self as shared, Shape, Top};
use crate::plan::{PlanError, RecordProblem};

pub(super) use shared::{error, is_blank, DocSeed, Entries};

/// A ledger: `{ entries: [...] }`, and nothing beside.
pub(super) const LEDGER: Shape = Shape {
    document: "ledger",
    list: ENTRIES,
    a_list: "an `entries` list",
    record: "entry",
    a_record: "an entry",
    others: &[],
    help: "a ledger is a mapping with an `entries` list",
    keys_help: "the only key a ledger has is `entries`",
    unreadable_help: Some(
        "write each field as a plain value: no tags (`!!...`), no nested lists or mappings",
    ),
};

pub(super) const SHAPE_HELP: &str = LEDGER.help;

pub(super) fn empty(help: &str) -> PlanError {
    shared::empty(&LEDGER, help)
}

/// Checks the outer shape once the document has been read.
pub(super) fn check(top: Top) -> Result<(), PlanError> {
    shared::check(&LEDGER, top)
}

/// The problem of a list entry (or NDJSON line) that is not a mapping of fields.
pub(super) fn not_a_mapping(what: &str) -> RecordProblem {
    shared::not_a_mapping(&LEDGER, what)
}

/// The problem of an entry that cannot be read (a value nested too deep, a number too large).
pub(super) fn unreadable(what: &str) -> RecordProblem {
    shared::unreadable(&LEDGER, what)
}
