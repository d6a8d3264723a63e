//! JSON ledgers (`{"entries": [...]}`), held whole and read by the plan's JSON document reader
//! ([`crate::plan::json::read_document`]), and NDJSON ledgers, one entry object a line: a line
//! that is not UTF-8 or not JSON is an error of its entry.

use serde::de::DeserializeSeed;

use super::document::{self, not_a_mapping};
use crate::ledger::validate::Validator;
use crate::plan::json::unreadable_line;
use crate::plan::raw::{EntrySeed, RawField, Shape};
use crate::plan::validate::Place;
use crate::plan::{PlanError, RecordProblem};

pub(super) fn read(text: &str, out: &mut Validator<'_>) -> Result<(), PlanError> {
    crate::plan::json::read_document(&document::LEDGER, text, out)
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
            Err(e) => out.unreadable(at, None, unreadable_line(&document::LEDGER, &e)),
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
