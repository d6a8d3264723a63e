//! The outer shape of a YAML or JSON document that holds one list of records — a plan's
//! `{ deployments: [...] }`, a ledger's `{ entries: [...] }` — and its document-level errors.
//!
//! The YAML and JSON readers of both fill a [`Top`] while they stream the list's records to their
//! validator; [`check`] then decides whether the document as a whole was readable. One piece for
//! both documents and both formats, so they fail the same way; a [`Shape`] holds the words that
//! differ.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::raw::{self, Key};
use super::validate::shown;
use super::{PlanError, RecordProblem};
use crate::suggest;

pub(crate) const DEPLOYMENTS: &str = "deployments";

/// What a document is called and what it holds, in the words of its errors.
pub(crate) struct Shape {
    /// `plan`, `ledger`.
    pub document: &'static str,
    /// The key of the list: `deployments`, `entries`.
    pub list: &'static str,
    /// `a `deployments` list`.
    pub a_list: &'static str,
    /// One record: `deployment`, `entry`; and with its article.
    pub record: &'static str,
    pub a_record: &'static str,
    /// Keys beside the list that others read (a plan's `events`), skipped here.
    pub others: &'static [&'static str],
    /// The help for a document of the wrong shape, and for an unknown key.
    pub help: &'static str,
    pub keys_help: &'static str,
    /// The help for a record that cannot be read, where there is one.
    pub unreadable_help: Option<&'static str>,
}

/// A plan: `{ deployments: [...], events: {...} }`.
pub(crate) const PLAN: Shape = Shape {
    document: "plan",
    list: DEPLOYMENTS,
    a_list: "a `deployments` list",
    record: "deployment",
    a_record: "a deployment",
    others: &[crate::events::EVENTS_KEY],
    help: "a plan is a mapping with a `deployments` list",
    keys_help: "a plan has a `deployments` list and, if the rules declare events, their `events`",
    unreadable_help: None,
};

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
    /// How many times the list's key appeared.
    pub lists: usize,
    /// The line of the (first) list key, where known.
    pub list_line: Option<usize>,
    /// Set when the list key held something other than a list.
    pub not_a_list: Option<&'static str>,
    /// The first key the document does not have, with its line where known.
    pub unknown: Option<(String, Option<usize>)>,
}

impl TopMap {
    /// Notes a key the document does not have (only the first one is reported).
    pub(crate) fn unknown_key(&mut self, key: &str, line: Option<usize>) {
        if self.unknown.is_none() {
            self.unknown = Some((key.to_owned(), line));
        }
    }
}

pub(crate) fn error(
    message: String,
    line: Option<usize>,
    column: Option<usize>,
    help: Option<&str>,
) -> PlanError {
    PlanError { message, line, column, help: help.map(str::to_owned) }
}

/// The error for an input with nothing in it.
pub(crate) fn empty(shape: &Shape, help: &str) -> PlanError {
    error(format!("the {} is empty", shape.document), None, None, Some(help))
}

/// Whether `text` has nothing but whitespace (and a byte-order mark).
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim().is_empty()
}

/// Checks the outer shape once the document has been read.
pub(crate) fn check(shape: &Shape, top: Top) -> Result<(), PlanError> {
    let (document, list) = (shape.document, shape.list);
    let map = match top {
        Top::Empty => return Err(empty(shape, shape.help)),
        Top::Other(what) => {
            return Err(error(
                format!("expected a mapping with {}, found {what}", shape.a_list),
                None,
                None,
                Some(shape.help),
            ))
        }
        Top::Mapping(map) => map,
    };
    if let Some((key, line)) = map.unknown {
        let known = std::iter::once(list).chain(shape.others.iter().copied());
        let help = suggest::help(&key, known).unwrap_or_else(|| shape.keys_help.to_owned());
        return Err(error(
            format!("unknown key `{}` in the {document}", shown(&key)),
            line,
            None,
            Some(&help),
        ));
    }
    if map.lists > 1 {
        return Err(error(
            format!("the {document} has more than one `{list}` list"),
            map.list_line,
            None,
            Some(&format!("put every {} in one `{list}` list", shape.record)),
        ));
    }
    if map.lists == 0 {
        return Err(error(format!("the {document} has no `{list}` list"), None, None, Some(shape.help)));
    }
    if let Some(what) = map.not_a_list {
        return Err(error(
            format!("expected `{list}` to be a list, found {what}"),
            map.list_line,
            None,
            Some(shape.help),
        ));
    }
    Ok(())
}

/// How one format reads the parts of a document that differ: keys (with their lines, where the
/// format can tell) and the entries of the list, which it hands to `O`, the validator.
pub(crate) trait Entries<O> {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error>;

    /// Reads every entry of the list and hands each to the validator, in order.
    fn read_list<'de, A: SeqAccess<'de>>(&mut self, out: &mut O, seq: A) -> Result<(), A::Error>;
}

/// The whole document: a mapping whose list is streamed to the validator `out`.
pub(crate) struct DocSeed<'a, O, E> {
    pub shape: &'static Shape,
    pub out: &'a mut O,
    pub entries: &'a mut E,
}

impl<'de, O, E: Entries<O>> DeserializeSeed<'de> for DocSeed<'_, O, E> {
    type Value = Top;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, O, E: Entries<O>> Visitor<'de> for DocSeed<'_, O, E> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a mapping with {}", self.shape.a_list)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = TopMap::default();
        while let Some((Key(key), line)) = self.entries.next_key(&mut map)? {
            if key == self.shape.list {
                top.lists += 1;
                if top.lists == 1 {
                    top.list_line = line;
                    let list =
                        ListSeed { shape: self.shape, out: &mut *self.out, entries: &mut *self.entries };
                    top.not_a_list = map.next_value_seed(list)?;
                    continue;
                }
            } else if !self.shape.others.contains(&key.as_ref()) {
                // A plan's `events` dates the rules' events; the rule loader reads it (crate::events).
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

/// The list's value. It is `Some(description)` when it is not a list; an empty value
/// (`deployments:` with nothing after it, or `null`) counts as an empty list.
struct ListSeed<'a, O, E> {
    shape: &'static Shape,
    out: &'a mut O,
    entries: &'a mut E,
}

impl<'de, O, E: Entries<O>> DeserializeSeed<'de> for ListSeed<'_, O, E> {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, O, E: Entries<O>> Visitor<'de> for ListSeed<'_, O, E> {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of {}", self.shape.list)
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
pub(crate) fn not_a_mapping(shape: &Shape, what: &str) -> RecordProblem {
    let found = if what == raw::EMPTY { "nothing" } else { what };
    RecordProblem {
        code: crate::diagnostic::codes::NOT_A_RECORD,
        field: None,
        message: format!("expected {} with named fields, found {found}", shape.a_record),
        help: Some(format!("{} is a mapping of field names to values", shape.a_record)),
    }
}

/// The problem of a record that is there but cannot be read (a value nested too deep, a number
/// too large), `what` saying why.
pub(crate) fn unreadable(shape: &Shape, what: &str) -> RecordProblem {
    RecordProblem {
        code: crate::diagnostic::codes::UNREADABLE_RECORD,
        field: None,
        message: format!("this {} cannot be read: {what}", shape.record),
        help: shape.unreadable_help.map(str::to_owned),
    }
}
