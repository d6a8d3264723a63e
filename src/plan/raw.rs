//! Raw records: what each format reader hands to the shared validator.
//!
//! A raw record is a list of (field name, scalar) pairs in the order written, before anything is
//! checked against the vocabulary. The serde visitors here are shared by the YAML, JSON and NDJSON
//! readers; they never fail on a value of the wrong type (that becomes a [`Scalar::Other`] for the
//! validator to report), so one bad record cannot stop a whole document.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// One value as written, before it is checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Str(Cow<'a, str>),
    Bool(bool),
    Int(i128),
    /// `null`, `~`, an empty YAML value, an empty CSV cell: the field counts as absent.
    Null,
    /// Anything else, described in words for messages: "a list", "a decimal number".
    Other(&'static str),
}

/// One field of a raw record: its name as written and its value.
pub(crate) type RawField<'a> = (Cow<'a, str>, Scalar<'a>);

/// What a list entry (or an NDJSON line) turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A mapping: its fields were pushed to the output buffer.
    Mapping,
    /// Not a mapping; described in words ("a list", "text").
    Other(&'static str),
}

pub(crate) const EMPTY: &str = "an empty value";
pub(crate) const LIST: &str = "a list";
pub(crate) const MAPPING: &str = "a mapping";
pub(crate) const DECIMAL: &str = "a decimal number";
pub(crate) const NUMBER: &str = "a number";
pub(crate) const TEXT: &str = "text";
pub(crate) const BOOLEAN: &str = "true or false";
pub(crate) const BINARY: &str = "binary data";

pub(crate) fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

pub(crate) fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

struct ScalarVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ScalarVisitor<'a> {
    type Value = Scalar<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(i128::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Int(i128::from(v)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(i128::try_from(v).map_or(Scalar::Other(NUMBER), Scalar::Int))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Other(DECIMAL))
    }
    fn visit_char<E>(self, v: char) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Borrowed(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(Cow::Owned(v)))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(Scalar::Other(BINARY))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(Scalar::Other(LIST))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(Scalar::Other(MAPPING))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(PhantomData))
    }
}

/// A mapping key as text. YAML allows keys that are numbers or booleans (`1: x`); they become their
/// text. A key that is itself a list or mapping becomes a description, reported as an unknown field.
pub(crate) struct Key<'a>(pub Cow<'a, str>);

struct KeyVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
    type Value = Key<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(if v { "true" } else { "false" })))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_char<E>(self, v: char) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v)))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed("(binary data)")))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed("null")))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed("null")))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(Key(Cow::Borrowed("(a list)")))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(Key(Cow::Borrowed("(a mapping)")))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor(PhantomData))
    }
}

/// Reads one deployment entry into a caller-owned buffer (cleared first), so a reader can reuse one
/// buffer for every record. Anything but a mapping is consumed and described, never an error.
pub(crate) struct EntrySeed<'b, 'a> {
    pub out: &'b mut Vec<RawField<'a>>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for EntrySeed<'_, 'a> {
    type Value = Shape;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        self.out.clear();
        d.deserialize_any(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for EntrySeed<'_, 'a> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a deployment")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        while let Some(Key(name)) = map.next_key::<Key<'a>>()? {
            let value = map.next_value::<Scalar<'a>>()?;
            self.out.push((name, value));
        }
        Ok(Shape::Mapping)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape, A::Error> {
        drain_seq(seq)?;
        Ok(Shape::Other(LIST))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other(BOOLEAN))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other(NUMBER))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other(NUMBER))
    }
    fn visit_i128<E>(self, _: i128) -> Result<Shape, E> {
        Ok(Shape::Other(NUMBER))
    }
    fn visit_u128<E>(self, _: u128) -> Result<Shape, E> {
        Ok(Shape::Other(NUMBER))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other(NUMBER))
    }
    fn visit_char<E>(self, _: char) -> Result<Shape, E> {
        Ok(Shape::Other(TEXT))
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other(TEXT))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Shape, E> {
        Ok(Shape::Other(BINARY))
    }
    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Other(EMPTY))
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Other(EMPTY))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(self)
    }
}

/// An entry that owns its field list, for formats whose wrappers need `Deserialize` rather than a
/// seed (YAML's `Spanned<T>`).
pub(crate) struct OwnedEntry<'a> {
    pub fields: Vec<RawField<'a>>,
    pub shape: Shape,
}

impl<'de: 'a, 'a> Deserialize<'de> for OwnedEntry<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = Vec::new();
        let shape = EntrySeed { out: &mut fields }.deserialize(d)?;
        Ok(OwnedEntry { fields, shape })
    }
}

/// Finds the line of byte offsets into a text, counting forward from the last offset asked about,
/// so reading a whole plan counts each newline once.
pub(crate) struct LineCounter<'t> {
    text: &'t str,
    cursor: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    pub(crate) fn new(text: &'t str) -> LineCounter<'t> {
        LineCounter { text, cursor: 0, line: 1 }
    }

    /// The 1-based line of byte `offset`; `None` if it is past the end.
    pub(crate) fn line_at(&mut self, offset: usize) -> Option<usize> {
        if offset > self.text.len() {
            return None;
        }
        if offset < self.cursor {
            self.cursor = 0;
            self.line = 1;
        }
        let between = self.text.as_bytes().get(self.cursor..offset)?;
        self.line += memchr::memchr_iter(b'\n', between).count();
        self.cursor = offset;
        Some(self.line)
    }
}
