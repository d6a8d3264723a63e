//! The outer shape of a YAML or JSON ledger, `{ entries: [...] }`, and its document-level errors.
//!
//! The YAML and JSON readers stream the list's entries to the validator while filling a [`Top`];
//! [`check`] then decides whether the document as a whole was readable, in the same words for
//! both formats. The plan reader has the same shape for `deployments` (`plan::document`); this one
//! is kept apart so that neither's words or limits change with the other.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::super::validate::Validator;
use super::super::ENTRIES;
use crate::plan::raw::{self, Key};
use crate::plan::validate::shown;
use crate::plan::{PlanError, RecordProblem};
use crate::suggest;

pub(super) const SHAPE_HELP: &str = "a ledger is a mapping with an `entries` list";

/// What the top level of a document turned out to be.
pub(super) enum Top {
    Empty,
    Other(&'static str),
    Mapping(TopMap),
}

#[derive(Default)]
pub(super) struct TopMap {
    entries: usize,
    entries_line: Option<usize>,
    not_a_list: Option<&'static str>,
    unknown: Option<(String, Option<usize>)>,
}

pub(super) fn error(
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&str>,
) -> PlanError {
    PlanError { message, line, column, help: help.map(str::to_owned) }
}

pub(super) fn empty(help: &str) -> PlanError {
    error("the ledger is empty".to_owned(), None, None, Some(help))
}

pub(super) fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// Checks the outer shape once the document has been read.
pub(super) fn check(top: Top) -> Result<(), PlanError> {
    let map = match top {
        Top::Empty => return Err(empty(SHAPE_HELP)),
        Top::Other(what) => {
            return Err(error(
                format!("expected a mapping with an `entries` list, found {what}"),
                None,
                None,
                Some(SHAPE_HELP),
            ))
        }
        Top::Mapping(map) => map,
    };
    if let Some((key, line)) = map.unknown {
        let help = suggest::help(&key, [ENTRIES])
            .unwrap_or_else(|| "the only key a ledger has is `entries`".to_owned());
        return Err(error(format!("unknown key `{}` in the ledger", shown(&key)), line, None, Some(&help)));
    }
    if map.entries > 1 {
        return Err(error(
            "the ledger has more than one `entries` list".to_owned(),
            map.entries_line,
            None,
            Some("put every entry in one `entries` list"),
        ));
    }
    if map.entries == 0 {
        return Err(error("the ledger has no `entries` list".to_owned(), None, None, Some(SHAPE_HELP)));
    }
    if let Some(what) = map.not_a_list {
        return Err(error(
            format!("expected `entries` to be a list, found {what}"),
            map.entries_line,
            None,
            Some(SHAPE_HELP),
        ));
    }
    Ok(())
}

/// How one format reads keys (with their lines, where it can tell) and the list's entries.
pub(super) trait Entries {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error>;

    fn read_list<'de, A: SeqAccess<'de>>(&mut self, out: &mut Validator<'_>, seq: A) -> Result<(), A::Error>;
}

/// The whole document: a mapping whose `entries` list is streamed to the validator.
pub(super) struct DocSeed<'a, 'r, E> {
    pub out: &'a mut Validator<'r>,
    pub entries: &'a mut E,
}

impl<'de, E: Entries> DeserializeSeed<'de> for DocSeed<'_, '_, E> {
    type Value = Top;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Entries> Visitor<'de> for DocSeed<'_, '_, E> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping with an `entries` list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = TopMap::default();
        while let Some((Key(key), line)) = self.entries.next_key(&mut map)? {
            if key == ENTRIES {
                top.entries += 1;
                if top.entries == 1 {
                    top.entries_line = line;
                    top.not_a_list =
                        map.next_value_seed(ListSeed { out: &mut *self.out, entries: &mut *self.entries })?;
                    continue;
                }
            } else if top.unknown.is_none() {
                top.unknown = Some((key.into_owned(), line));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(Top::Mapping(top))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        raw::drain_seq(seq)?;
        Ok(Top::Other(raw::LIST))
    }
    fn visit_unit<Er>(self) -> Result<Top, Er> {
        Ok(Top::Empty)
    }
    fn visit_none<Er>(self) -> Result<Top, Er> {
        Ok(Top::Empty)
    }
    fn visit_bool<Er>(self, _: bool) -> Result<Top, Er> {
        Ok(Top::Other(raw::BOOLEAN))
    }
    fn visit_i64<Er>(self, _: i64) -> Result<Top, Er> {
        Ok(Top::Other(raw::NUMBER))
    }
    fn visit_u64<Er>(self, _: u64) -> Result<Top, Er> {
        Ok(Top::Other(raw::NUMBER))
    }
    fn visit_f64<Er>(self, _: f64) -> Result<Top, Er> {
        Ok(Top::Other(raw::NUMBER))
    }
    fn visit_str<Er>(self, _: &str) -> Result<Top, Er> {
        Ok(Top::Other(raw::TEXT))
    }
}

/// The `entries` value: `Some(description)` when it is not a list; an empty value counts as an
/// empty list.
struct ListSeed<'a, 'r, E> {
    out: &'a mut Validator<'r>,
    entries: &'a mut E,
}

impl<'de, E: Entries> DeserializeSeed<'de> for ListSeed<'_, '_, E> {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Entries> Visitor<'de> for ListSeed<'_, '_, E> {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.entries.read_list(self.out, seq)?;
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        raw::drain_map(map)?;
        Ok(Some(raw::MAPPING))
    }
    fn visit_unit<Er>(self) -> Result<Self::Value, Er> {
        Ok(None)
    }
    fn visit_none<Er>(self) -> Result<Self::Value, Er> {
        Ok(None)
    }
    fn visit_bool<Er>(self, _: bool) -> Result<Self::Value, Er> {
        Ok(Some(raw::BOOLEAN))
    }
    fn visit_i64<Er>(self, _: i64) -> Result<Self::Value, Er> {
        Ok(Some(raw::NUMBER))
    }
    fn visit_u64<Er>(self, _: u64) -> Result<Self::Value, Er> {
        Ok(Some(raw::NUMBER))
    }
    fn visit_f64<Er>(self, _: f64) -> Result<Self::Value, Er> {
        Ok(Some(raw::NUMBER))
    }
    fn visit_str<Er>(self, _: &str) -> Result<Self::Value, Er> {
        Ok(Some(raw::TEXT))
    }
}

/// The problem of a list entry (or NDJSON line) that is not a mapping of fields.
pub(super) fn not_a_mapping(what: &str) -> RecordProblem {
    let found = if what == raw::EMPTY { "nothing" } else { what };
    RecordProblem {
        code: crate::diagnostic::codes::NOT_A_RECORD,
        field: None,
        message: format!("expected an entry with named fields, found {found}"),
        help: Some("an entry is a mapping of field names to values".to_owned()),
    }
}

/// The problem of an entry that cannot be read (a value nested too deep, a number too large).
pub(super) fn unreadable(what: &str) -> RecordProblem {
    RecordProblem {
        code: crate::diagnostic::codes::UNREADABLE_RECORD,
        field: None,
        message: format!("this entry cannot be read: {what}"),
        help: Some(
            "write each field as a plain value: no tags (`!!...`), no nested lists or mappings".into(),
        ),
    }
}
