//! JSON ledgers (`{"entries": [...]}`), held whole, and NDJSON ledgers, one entry object a line.
//!
//! List entries are taken as borrowed raw text first, whose place in the input gives the entry's
//! line and column; each is then read into fields, so one entry that is not an object, or holds
//! a number too large, spoils itself only. An NDJSON line that is not JSON is an error of its entry.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use super::document::{self, not_a_mapping, DocSeed, Entries, SHAPE_HELP};
use crate::ledger::validate::Validator;
use crate::plan::raw::{EntrySeed, Key, LineCounter, RawField, Shape};
use crate::plan::validate::Place;
use crate::plan::{PlanError, RecordProblem};

pub(super) fn read(text: &str, out: &mut Validator<'_>) -> Result<(), PlanError> {
    if document::is_blank(text) {
        return Err(document::empty(SHAPE_HELP));
    }
    // serde_json does not accept a byte-order mark; it sits on line 1, so lines are unchanged.
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries = JsonEntries { text: body, lines: LineCounter::new(body) };
    let mut de = serde_json::Deserializer::from_str(body);
    let top = DocSeed { shape: &document::LEDGER, out, entries: &mut entries }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top))
        .map_err(|e| syntax_error(&e))?;
    document::check(top)
}

/// Reads one entry a line of `bytes`: a line that is not UTF-8 (or not JSON) spoils its own
/// entry only.
pub(super) fn read_lines(bytes: &[u8], out: &mut Validator<'_>) -> Result<(), PlanError> {
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if body.trim_ascii().is_empty() {
        return Err(document::empty("write one entry object a line"));
    }
    let mut fields: Vec<RawField<'_>> = Vec::new();
    for (i, line) in lines(body).enumerate() {
        let at = Place::line(Some(i + 1));
        let Ok(line) = std::str::from_utf8(line) else {
            out.unreadable(at, None, not_utf8());
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(line);
        let read =
            (EntrySeed { out: &mut fields }).deserialize(&mut de).and_then(|shape| de.end().map(|()| shape));
        match read {
            Ok(Shape::Mapping) => out.entry(at, &fields),
            Ok(Shape::Other(what)) => out.unreadable(at, None, not_a_mapping(what)),
            Err(e) => out.unreadable(at, None, unreadable_line(&e)),
        }
    }
    Ok(())
}

/// The problem of an NDJSON line that is not UTF-8 text.
fn not_utf8() -> RecordProblem {
    RecordProblem {
        code: crate::diagnostic::codes::UNREADABLE_RECORD,
        field: None,
        message: "this line is not UTF-8 text".to_owned(),
        help: Some("save the ledger as UTF-8".to_owned()),
    }
}

/// The lines of a text, ended by `\n`, `\r\n` or a lone `\r`, without their ends.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let now = rest?;
        match now.iter().position(|b| matches!(b, b'\n' | b'\r')) {
            Some(i) => {
                let skip = if now[i..].starts_with(b"\r\n") { 2 } else { 1 };
                rest = Some(&now[i + skip..]).filter(|r| !r.is_empty());
                Some(&now[..i])
            }
            None => {
                rest = None;
                Some(now)
            }
        }
    })
}

/// JSON list entries, with the line and column each starts on.
struct JsonEntries<'t> {
    text: &'t str,
    lines: LineCounter<'t>,
}

impl JsonEntries<'_> {
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

impl<'r> Entries<Validator<'r>> for JsonEntries<'_> {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error> {
        Ok(map.next_key::<Key<'de>>()?.map(|key| (key, None)))
    }

    fn read_list<'de, A: SeqAccess<'de>>(
        &mut self,
        out: &mut Validator<'r>,
        mut seq: A,
    ) -> Result<(), A::Error> {
        let mut fields: Vec<RawField<'de>> = Vec::new();
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            let raw = raw.get();
            let at = self.place_of(raw);
            let mut de = serde_json::Deserializer::from_str(raw);
            match (EntrySeed { out: &mut fields }).deserialize(&mut de) {
                Ok(Shape::Mapping) => out.entry(at, &fields),
                Ok(Shape::Other(what)) => out.unreadable(at, None, not_a_mapping(what)),
                Err(e) => out.unreadable(at, None, document::unreadable(&describe(&e, "entry"))),
            }
        }
        Ok(())
    }
}

/// serde_json's description of an error, without its position, in plain words; `unit` names
/// what was being read, for an error at its end.
fn describe(error: &serde_json::Error, unit: &str) -> String {
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

fn syntax_error(error: &serde_json::Error) -> PlanError {
    let what = describe(error, "ledger");
    match (error.line(), error.column()) {
        (0, _) => document::error(format!("the ledger is not valid JSON: {what}"), None, None, None),
        (line, 0) => document::error(
            format!("the ledger is not valid JSON: {what} at line {line}"),
            Some(line),
            None,
            None,
        ),
        (line, column) => document::error(
            format!("the ledger is not valid JSON: {what} at line {line}, column {column}"),
            Some(line),
            Some(column),
            None,
        ),
    }
}

fn unreadable_line(error: &serde_json::Error) -> RecordProblem {
    let what = describe(error, "line");
    let message = match error.column() {
        0 => format!("this line is not valid JSON: {what}"),
        column => format!("this line is not valid JSON: {what} at column {column}"),
    };
    RecordProblem {
        code: crate::diagnostic::codes::UNREADABLE_RECORD,
        field: None,
        message,
        help: Some("write each entry as one JSON object on its own line".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_end_at_every_kind_of_line_end() {
        let lines = |text: &'static str| super::lines(text.as_bytes()).collect::<Vec<&[u8]>>();
        assert_eq!(lines("a\nb\r\nc\rd"), [b"a", b"b", b"c", b"d"]);
        assert_eq!(lines("a\n"), [b"a"]);
        assert_eq!(lines("\n\nx"), [&b""[..], b"", b"x"]);
    }
}
