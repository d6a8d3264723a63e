//! The outer shape of a YAML or JSON plan, `{ deployments: [...] }`, and its document-level errors.
//!
//! The YAML and JSON readers fill a [`Top`] while they stream the records to the validator; the
//! checks here then decide whether the document as a whole was readable. They share the wording so
//! both formats fail the same way.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::raw::{self, Key};
use super::validate::Out;
use super::{PlanError, RecordProblem};
use crate::suggest;

pub(crate) const DEPLOYMENTS: &str = "deployments";
const SHAPE_HELP: &str = "a plan is a mapping with a `deployments` list";

/// What the top level of a document turned out to be.
pub(crate) enum Top {
    /// Nothing at all (an empty YAML document, or one of only comments).
    Empty,
    /// A value that is not a mapping, described in words.
    Other(&'static str),
    Mapping(TopMap),
}

/// What a top-level mapping held.
#[derive(Default)]
pub(crate) struct TopMap {
    /// How many times the `deployments` key appeared.
    pub deployments: usize,
    /// The line of the (first) `deployments` key, where known.
    pub deployments_line: Option<usize>,
    /// Set when `deployments` held something other than a list.
    pub not_a_list: Option<&'static str>,
    /// The first key other than `deployments`, with its line where known.
    pub unknown: Option<(String, Option<usize>)>,
}

impl TopMap {
    /// Notes a key other than `deployments` (only the first one is reported).
    pub(crate) fn unknown_key(&mut self, key: &str, line: Option<usize>) {
        if self.unknown.is_none() {
            self.unknown = Some((key.to_owned(), line));
        }
    }
}

pub(crate) fn plan_error(
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&str>,
) -> PlanError {
    PlanError { message, line, column, help: help.map(str::to_owned) }
}

/// The error for an input with nothing in it.
pub(crate) fn empty(help: &str) -> PlanError {
    plan_error("the plan is empty".to_owned(), None, None, Some(help))
}

/// Whether `text` has nothing but whitespace (and a byte-order mark).
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// Checks the outer shape once the document has been read.
pub(crate) fn check(top: Top) -> Result<(), PlanError> {
    let map = match top {
        Top::Empty => return Err(empty(SHAPE_HELP)),
        Top::Other(what) => {
            return Err(plan_error(
                format!("expected a mapping with a `deployments` list, found {what}"),
                None,
                None,
                Some(SHAPE_HELP),
            ))
        }
        Top::Mapping(map) => map,
    };
    if let Some((key, line)) = map.unknown {
        let help = suggest::help(&key, [DEPLOYMENTS, crate::events::EVENTS_KEY]).unwrap_or_else(|| {
            "a plan has a `deployments` list and, if the rules declare events, their `events`".to_owned()
        });
        return Err(plan_error(
            format!("unknown key `{}` in the plan", super::validate::shown(&key)),
            line,
            None,
            Some(&help),
        ));
    }
    if map.deployments > 1 {
        return Err(plan_error(
            "the plan has more than one `deployments` list".to_owned(),
            map.deployments_line,
            None,
            Some("put every deployment in one `deployments` list"),
        ));
    }
    if map.deployments == 0 {
        return Err(plan_error(
            "the plan has no `deployments` list".to_owned(),
            None,
            None,
            Some(SHAPE_HELP),
        ));
    }
    if let Some(what) = map.not_a_list {
        return Err(plan_error(
            format!("expected `deployments` to be a list, found {what}"),
            map.deployments_line,
            None,
            Some(SHAPE_HELP),
        ));
    }
    Ok(())
}

/// How one format reads the parts of a document that differ: keys (with their lines, where the
/// format can tell) and the entries of the `deployments` list.
pub(crate) trait Entries {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error>;

    /// Reads every entry of the list and hands each to the validator, in order.
    fn read_list<'de, A: SeqAccess<'de>>(
        &mut self,
        out: &mut Out<'_, '_, '_>,
        seq: A,
    ) -> Result<(), A::Error>;
}

/// The whole document: a mapping whose `deployments` list is streamed to the validator.
pub(crate) struct DocSeed<'a, 'o, 's, 'v, E> {
    pub out: &'a mut Out<'o, 's, 'v>,
    pub entries: &'a mut E,
}

impl<'de, E: Entries> DeserializeSeed<'de> for DocSeed<'_, '_, '_, '_, E> {
    type Value = Top;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Entries> Visitor<'de> for DocSeed<'_, '_, '_, '_, E> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping with a `deployments` list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = TopMap::default();
        while let Some((Key(key), line)) = self.entries.next_key(&mut map)? {
            if key == DEPLOYMENTS {
                top.deployments += 1;
                if top.deployments == 1 {
                    top.deployments_line = line;
                    top.not_a_list =
                        map.next_value_seed(ListSeed { out: &mut *self.out, entries: &mut *self.entries })?;
                    continue;
                }
            } else if key != crate::events::EVENTS_KEY {
                // `events` dates the rules' events; the rule loader reads it (crate::events).
                top.unknown_key(&key, line);
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

/// The `deployments` value. It is `Some(description)` when it is not a list; an empty value
/// (`deployments:` with nothing after it, or `null`) counts as an empty list.
struct ListSeed<'a, 'o, 's, 'v, E> {
    out: &'a mut Out<'o, 's, 'v>,
    entries: &'a mut E,
}

impl<'de, E: Entries> DeserializeSeed<'de> for ListSeed<'_, '_, '_, '_, E> {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Entries> Visitor<'de> for ListSeed<'_, '_, '_, '_, E> {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of deployments")
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
pub(crate) fn not_a_mapping(what: &str) -> RecordProblem {
    let found = if what == raw::EMPTY { "nothing" } else { what };
    RecordProblem {
        code: crate::diagnostic::codes::NOT_A_RECORD,
        field: None,
        message: format!("expected a deployment with named fields, found {found}"),
        help: Some("a deployment is a mapping of field names to values".to_owned()),
    }
}
