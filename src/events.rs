//! The dates of events, given with a run: an events file (`--events FILE`) or a plan document's
//! `events` key. Each entry is `name: YYYY-MM-DD` (the day it happened, or will) or
//! `name: unknown` (no date yet: taken as not having happened).
//!
//! The names are checked against the rules' `event` declarations by the resolver, which places
//! an unknown name at its entry, so this reader only reads: a mapping of plain scalars, read from
//! the YAML events (JSON is read the same way) so every entry keeps its place in the file. Tags,
//! anchors and aliases, nested values and a second document are errors: an events file is a list
//! of dates, and anything cleverer is more likely a mistake than a wish.

use chrono::NaiveDate;
use granit_parser::{Event, Parser, Span as YamlSpan};

use crate::diagnostic::codes::{self, Code};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// One event's date as given for a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenEvent {
    pub name: String,
    /// `None` for `unknown`.
    pub date: Option<NaiveDate>,
    /// Where the entry is written, for errors about it.
    pub span: Span,
}

/// The most entries an events document may hold: far more than any rule set declares events.
pub const MAX_EVENTS: usize = 10_000;

const SHAPE_HELP: &str =
    "an events file maps each event to its day or to `unknown`, one per line: `merger_approved: 2027-03-01`";
const CODE: &Code = codes::BAD_EVENTS;

/// Reads a whole events document (`--events FILE`): a mapping at the top. An empty document
/// gives no events.
pub fn read(file: FileId, text: &str) -> Result<Vec<GivenEvent>, Vec<Diagnostic>> {
    let mut r = Reader::new(file, text);
    r.document(None)
}

/// Reads the `events` key of a plan document (YAML or JSON), if it has one. Everything else in
/// the document is left to the plan reader, which reports its own errors: a document this
/// reader cannot walk gives no events here.
pub fn read_from_plan(file: FileId, text: &str) -> Result<Vec<GivenEvent>, Vec<Diagnostic>> {
    if memchr::memmem::find(text.as_bytes(), b"events").is_none() {
        return Ok(Vec::new());
    }
    let mut r = Reader::new(file, text);
    match r.document(Some(EVENTS_KEY)) {
        Ok(events) => Ok(events),
        // A document the YAML parser rejects is the plan reader's to report.
        Err(_) if r.syntax_failed => Ok(Vec::new()),
        Err(errors) => Err(errors),
    }
}

/// The key of a plan document that holds its events.
pub const EVENTS_KEY: &str = "events";

struct Reader<'t> {
    file: FileId,
    text: &'t str,
    parser: Parser<'t, granit_parser::StrInput<'t>>,
    errors: Vec<Diagnostic>,
    syntax_failed: bool,
}

impl<'t> Reader<'t> {
    fn new(file: FileId, text: &'t str) -> Reader<'t> {
        let mut options = granit_parser::Options::default();
        options.set_emit_comments(false);
        let parser = Parser::new_from_str_with_options(text, options);
        Reader { file, text, parser, errors: Vec::new(), syntax_failed: false }
    }

    fn span(&self, s: &YamlSpan) -> Span {
        let start = s.start.byte_offset().unwrap_or(0).min(self.text.len());
        let end = s.end.byte_offset().unwrap_or(start).clamp(start, self.text.len());
        Span::new(self.file, start, end)
    }

    fn next(&mut self) -> Option<(Event<'t>, YamlSpan)> {
        match self.parser.next_event() {
            Some(Ok(pair)) => Some(pair),
            Some(Err(e)) => {
                let at = e.marker().byte_offset().unwrap_or(self.text.len()).min(self.text.len());
                self.syntax_failed = true;
                self.errors.push(
                    Diagnostic::error(
                        CODE,
                        format!("the events file is not valid YAML: {}", e.info()),
                        Span::new(self.file, at, at),
                        "here",
                    )
                    .with_help(SHAPE_HELP),
                );
                None
            }
            None => None,
        }
    }

    fn fail(&mut self, message: impl Into<String>, span: Span, label: &str) -> Vec<Diagnostic> {
        self.errors.push(Diagnostic::error(CODE, message, span, label).with_help(SHAPE_HELP));
        std::mem::take(&mut self.errors)
    }

    /// The top-level mapping, or (with `key`) the mapping under that top-level key.
    fn document(&mut self, key: Option<&str>) -> Result<Vec<GivenEvent>, Vec<Diagnostic>> {
        let (event, span) = loop {
            let Some((event, span)) = self.next() else { return Err(std::mem::take(&mut self.errors)) };
            match event {
                Event::StreamStart | Event::DocumentStart(..) => {}
                other => break (other, span),
            }
        };
        let out = match event {
            Event::StreamEnd => return Ok(Vec::new()),
            Event::MappingStart(_, _, None) => match key {
                None => self.entries()?,
                Some(key) => self.under_key(key)?,
            },
            _ if key.is_some() => return Ok(Vec::new()),
            _ => {
                let at = self.span(&span);
                return Err(self.fail(
                    "an events file must be a mapping of event names to days",
                    at,
                    "not a mapping",
                ));
            }
        };
        if key.is_none() {
            // Nothing may follow the one document.
            loop {
                match self.next() {
                    Some((Event::DocumentEnd, _)) => {}
                    Some((Event::StreamEnd, _)) | None => break,
                    Some((_, span)) => {
                        let at = self.span(&span);
                        return Err(self.fail(
                            "an events file holds one document; this is a second one",
                            at,
                            "a second document",
                        ));
                    }
                }
            }
        }
        if self.errors.is_empty() {
            Ok(out)
        } else {
            Err(std::mem::take(&mut self.errors))
        }
    }

    /// Skips the top-level entries until `key`, then reads its mapping. No such key: no events.
    fn under_key(&mut self, key: &str) -> Result<Vec<GivenEvent>, Vec<Diagnostic>> {
        loop {
            let Some((event, span)) = self.next() else { return Ok(Vec::new()) };
            match event {
                Event::MappingEnd => return Ok(Vec::new()),
                Event::Scalar(ref k, ..) if k == key => {
                    let Some((value, vspan)) = self.next() else { return Ok(Vec::new()) };
                    return match value {
                        Event::MappingStart(_, _, None) => self.entries(),
                        _ => {
                            let at = self.span(&vspan);
                            Err(self.fail(
                                "a plan's `events` must be a mapping of event names to days",
                                at,
                                "not a mapping",
                            ))
                        }
                    };
                }
                Event::Scalar(..) => {
                    if self.skip().is_none() {
                        return Ok(Vec::new());
                    }
                }
                _ => {
                    let _ = span;
                    return Ok(Vec::new());
                }
            }
        }
    }

    /// Skips one whole node.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            let (event, _) = self.next()?;
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                Event::MappingEnd | Event::SequenceEnd => depth = depth.checked_sub(1)?,
                _ => {}
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// The entries of a mapping whose start was just read, up to its end.
    fn entries(&mut self) -> Result<Vec<GivenEvent>, Vec<Diagnostic>> {
        let mut out = Vec::new();
        loop {
            let Some((event, span)) = self.next() else { return Err(std::mem::take(&mut self.errors)) };
            let name = match event {
                Event::MappingEnd => return Ok(out),
                Event::Scalar(text, _, 0, None) => text.into_owned(),
                _ => {
                    let at = self.span(&span);
                    return Err(self.fail("an event's name must be a plain name", at, "not a name"));
                }
            };
            let name_span = self.span(&span);
            let Some((value, vspan)) = self.next() else { return Err(std::mem::take(&mut self.errors)) };
            let value_span = self.span(&vspan);
            let text = match value {
                Event::Scalar(text, _, 0, None) => text.into_owned(),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    return Err(self.fail(
                        format!("the date of `{name}` must be a day or `unknown`, not a list or mapping"),
                        value_span,
                        "not a day",
                    ));
                }
                _ => {
                    return Err(self.fail(
                        format!("the date of `{name}` must be written out: no tags, anchors or aliases"),
                        value_span,
                        "not a day",
                    ));
                }
            };
            let date = match text.trim() {
                "unknown" => None,
                day => match parse_day(day) {
                    Some(d) => Some(d),
                    None => {
                        self.errors.push(
                            Diagnostic::error(
                                CODE,
                                format!("`{}` is not a day for `{name}`", crate::report::safe(day)),
                                value_span,
                                "not a day",
                            )
                            .with_help(
                                "write the day as YYYY-MM-DD (`2027-03-01`), or `unknown` if it has no date yet",
                            ),
                        );
                        continue;
                    }
                },
            };
            if out.len() >= MAX_EVENTS {
                return Err(self.fail(
                    format!("an events document may hold at most {MAX_EVENTS} entries"),
                    name_span,
                    "one too many",
                ));
            }
            out.push(GivenEvent { name, date, span: name_span });
        }
    }
}

/// `YYYY-MM-DD`, exactly.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<(String, Option<String>)> {
        read(FileId(0), text)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .into_iter()
            .map(|g| (g.name, g.date.map(|d| d.to_string())))
            .collect()
    }

    fn err(text: &str) -> String {
        read(FileId(0), text)
            .expect_err("should fail")
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn reads_days_and_unknown_in_order() {
        let got = ok("# dates\nmerger_approved: 2027-03-01\nmilestone_verified: unknown\n");
        assert_eq!(
            got,
            [("merger_approved".into(), Some("2027-03-01".into())), ("milestone_verified".into(), None)]
        );
        assert_eq!(ok(r#"{"a": "2026-01-31"}"#), [("a".into(), Some("2026-01-31".into()))]);
        assert!(ok("").is_empty());
        assert!(ok("# nothing yet\n").is_empty());
    }

    #[test]
    fn places_each_entry() {
        let text = "a: 2026-01-01\nbee: unknown\n";
        let got = read(FileId(0), text).unwrap();
        assert_eq!(&text[got[1].span.range()], "bee");
    }

    #[test]
    fn bad_entries_are_errors_in_words() {
        assert!(err("a: 2026-02\n").contains("`2026-02` is not a day for `a`"), "{}", err("a: 2026-02\n"));
        assert!(err("a: 2026-02-30\n").contains("not a day"));
        assert!(err("- a\n").contains("must be a mapping"));
        assert!(err("a: [1]\n").contains("not a list or mapping"));
        assert!(err("a: !!str 2026-01-01\n").contains("no tags"));
        assert!(err("a: &x 2026-01-01\nb: *x\n").contains("no tags, anchors or aliases"));
        assert!(err("a: 2026-01-01\n---\nb: 2026-01-02\n").contains("second one"));
        assert!(err("a: \"2026\n").contains("not valid YAML"), "{}", err("a: \"2026\n"));
        // Every bad day is reported, not only the first.
        assert_eq!(read(FileId(0), "a: x\nb: y\n").unwrap_err().len(), 2);
    }

    #[test]
    fn a_plan_document_may_carry_events() {
        let plan = "deployments:\n  - id: x\nevents:\n  merger_approved: 2027-03-01\n";
        let got = read_from_plan(FileId(0), plan).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, "merger_approved");
        assert!(read_from_plan(FileId(0), "deployments: []\n").unwrap().is_empty());
        assert!(read_from_plan(FileId(0), "{\"deployments\": [], \"events\": {\"e\": \"unknown\"}}")
            .unwrap()[0]
            .date
            .is_none());
        // A plan the YAML parser rejects is left to the plan reader.
        assert!(read_from_plan(FileId(0), "deployments: \"x\nevents: {}\n").unwrap().is_empty());
        assert!(read_from_plan(FileId(0), "events: 3\n").is_err());
    }
}
