//! Reading JSON documents held whole — plans (`{"deployments": [...]}`) and ledgers
//! (`{"entries": [...]}`, through [`read_document`]) — and the wording of JSON errors.
//!
//! List entries are first taken as borrowed raw text (`&RawValue`), whose place in the input gives
//! the record's line; each is then read into borrowed fields, so strings without escapes are
//! never copied, and one entry that is not an object, or holds a number too large, spoils itself
//! only. NDJSON plans are read line by line in [`super::ndjson`].

use serde::de::{DeserializeSeed, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use super::document::{self, not_a_mapping, DocSeed, Entries, Shape as DocShape};
use super::raw::{EntrySeed, Key, LineCounter, RawField, Shape};
use super::validate::{Out, Place, Records, Schema, TextBooleans, Validator};
use super::{PlanError, Record, RecordProblem};

pub(crate) fn read_json(
    text: &str,
    schema: &Schema<'_>,
    emit: &mut dyn FnMut(&Record),
) -> Result<(), PlanError> {
    let mut out = Out { validator: Validator::new(schema, TextBooleans::No), emit };
    read_document(&document::PLAN, text, &mut out)
}

/// Reads the JSON document `text` of the given shape, handing each entry of its list to `out`.
pub(crate) fn read_document<O: Records>(
    shape: &'static DocShape,
    text: &str,
    out: &mut O,
) -> Result<(), PlanError> {
    if document::is_blank(text) {
        return Err(document::empty(shape, shape.help));
    }
    // serde_json does not accept a byte-order mark; it sits on line 1, so lines are unchanged.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries = JsonEntries { shape, text: body, lines: LineCounter::new(body) };
    let mut de = serde_json::Deserializer::from_str(body);
    let top = DocSeed { shape, out, entries: &mut entries }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top))
        .map_err(|e| syntax_error(shape, &e))?;
    document::check(shape, top)
}

/// JSON list entries, with the line and column each starts on found from where its raw text sits.
struct JsonEntries<'t> {
    shape: &'static DocShape,
    text: &'t str,
    lines: LineCounter<'t>,
}

impl JsonEntries<'_> {
    /// Where `part` (a slice of the input) starts.
    fn place_of(&mut self, part: &str) -> Place {
        let Some(offset) = (part.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize) else {
            return Place::default();
        };
        let line = self.lines.line_at(offset);
        let line_start = self.text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1);
        let column = self.text.get(line_start..offset).map(|s| s.chars().count() + 1);
        Place { line, column }
    }
}

impl<O: Records> Entries<O> for JsonEntries<'_> {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error> {
        Ok(map.next_key::<Key<'de>>()?.map(|key| (key, None)))
    }

    fn read_list<'de, A: SeqAccess<'de>>(&mut self, out: &mut O, mut seq: A) -> Result<(), A::Error> {
        let mut fields: Vec<RawField<'de>> = Vec::new();
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            let raw = raw.get();
            let at = self.place_of(raw);
            let mut de = serde_json::Deserializer::from_str(raw);
            match (EntrySeed { out: &mut fields }).deserialize(&mut de) {
                Ok(Shape::Mapping) => out.record(at, &fields),
                Ok(Shape::Other(what)) => out.unreadable(at, None, not_a_mapping(self.shape, what)),
                Err(e) => out.unreadable(
                    at,
                    None,
                    document::unreadable(self.shape, &describe(&e, self.shape.record)),
                ),
            }
        }
        Ok(())
    }
}

/// serde_json's description of an error, without its position, in plain words.
/// `unit` names what was being read, for an error at its end: "the line ends ...".
pub(crate) fn describe(error: &serde_json::Error, unit: &str) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let core = full.strip_suffix(&suffix).unwrap_or(&full);
    if let Some(what) = core.strip_prefix("EOF while parsing ") {
        return match what {
            "a value" => format!("the {unit} ends where a value should be"),
            _ => format!("the {unit} ends in the middle of {what}"),
        };
    }
    match core {
        "expected ident" => "expected true, false or null".to_owned(),
        "trailing characters" => "unexpected text after the end".to_owned(),
        "recursion limit exceeded" => "values are nested too deeply".to_owned(),
        _ => core.to_owned(),
    }
}

fn syntax_error(shape: &DocShape, error: &serde_json::Error) -> PlanError {
    let document = shape.document;
    let what = describe(error, document);
    match (error.line(), error.column()) {
        (0, _) => document::error(format!("the {document} is not valid JSON: {what}"), None, None, None),
        (line, 0) => document::error(
            format!("the {document} is not valid JSON: {what} at line {line}"),
            Some(line),
            None,
            None,
        ),
        (line, column) => document::error(
            format!("the {document} is not valid JSON: {what} at line {line}, column {column}"),
            Some(line),
            Some(column),
            None,
        ),
    }
}

/// The problem of an NDJSON line (of a plan or a ledger) that cannot be read as JSON.
pub(crate) fn unreadable_line(shape: &DocShape, error: &serde_json::Error) -> RecordProblem {
    let what = describe(error, "line");
    let message = match error.column() {
        0 => format!("this line is not valid JSON: {what}"),
        column => format!("this line is not valid JSON: {what} at column {column}"),
    };
    RecordProblem {
        code: crate::diagnostic::codes::UNREADABLE_RECORD,
        field: None,
        message,
        help: Some(format!("write each {} as one JSON object on its own line", shape.record)),
    }
}
