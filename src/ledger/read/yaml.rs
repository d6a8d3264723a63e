//! YAML ledgers: `entries:` followed by a list of mappings.
//!
//! Read as plans are (`plan::yaml`): the document through serde-saphyr with strict booleans, each
//! entry with its line; a document that fails as a whole, or may hold a tag (a `!` anywhere), is
//! read again entry by entry from the YAML events, so a tag, a value nested too deep or a value of
//! the wrong type spoils its own entry only.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess};
use serde_saphyr::Spanned;

use super::document::{self, not_a_mapping, DocSeed, Entries, SHAPE_HELP};
use crate::ledger::validate::Validator;
use crate::ledger::ENTRIES;
use crate::plan::raw::{Key, OwnedEntry, Scalar, Shape};
use crate::plan::validate::{shown, Place};
use crate::plan::yaml::{dedent, describe_error, entry_spans, options};
use crate::plan::{PlanError, RecordProblem};

pub(super) fn read(text: &str, out: &mut Validator<'_>) -> Result<(), PlanError> {
    if document::is_blank(text) {
        return Err(document::empty(SHAPE_HELP));
    }
    if memchr::memchr(b'!', text.as_bytes()).is_some() && by_entry(text, out).is_some() {
        return Ok(());
    }
    out.reset();
    let whole = serde_saphyr::with_deserializer_from_str_with_options(text, options(text), |de| {
        DocSeed { shape: &document::LEDGER, out: &mut *out, entries: &mut YamlEntries }.deserialize(de)
    });
    match whole {
        Ok(top) => document::check(top),
        Err(e) => {
            out.reset();
            match by_entry(text, out) {
                Some(()) => Ok(()),
                None => Err(syntax_error(&e)),
            }
        }
    }
}

fn syntax_error(error: &serde_saphyr::Error) -> PlanError {
    let (message, line, column) = describe_error(error);
    let message = match (line, column) {
        (Some(l), Some(c)) => format!("the ledger is not valid YAML: {message} at line {l}, column {c}"),
        (Some(l), None) => format!("the ledger is not valid YAML: {message} at line {l}"),
        _ => format!("the ledger is not valid YAML: {message}"),
    };
    document::error(message, line, column, None)
}

fn place_of<T>(spanned: &Spanned<T>) -> Place {
    let line = usize::try_from(spanned.referenced.line()).ok().filter(|&l| l > 0);
    let column = usize::try_from(spanned.referenced.column()).ok().filter(|&c| c > 0);
    Place { line, column }
}

struct YamlEntries;

impl<'r> Entries<Validator<'r>> for YamlEntries {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error> {
        Ok(map.next_key::<Spanned<Key<'de>>>()?.map(|key| {
            let line = place_of(&key).line;
            (key.value, line)
        }))
    }

    fn read_list<'de, A: SeqAccess<'de>>(
        &mut self,
        out: &mut Validator<'r>,
        mut seq: A,
    ) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Spanned<OwnedEntry<'de>>>()? {
            let at = place_of(&entry);
            match entry.value.shape {
                Shape::Mapping => out.entry(at, &entry.value.fields),
                Shape::Other(what) => out.unreadable(at, None, not_a_mapping(what)),
            }
        }
        Ok(())
    }
}

/// Reads the entries of the `entries` list one by one; `None` when the document's structure
/// cannot be made out (then the document's own error stands).
fn by_entry(text: &str, out: &mut Validator<'_>) -> Option<()> {
    let spans = entry_spans(text, ENTRIES)?;
    out.reset();
    for e in spans {
        let at = Place { line: Some(e.line), column: Some(e.column + 1) };
        if let Some((field, tag)) = &e.tag {
            let problem = RecordProblem {
                code: crate::diagnostic::codes::UNREADABLE_RECORD,
                field: field.clone(),
                message: match field {
                    Some(f) => format!("the value of `{}` has the YAML tag `{}`", shown(f), shown(tag)),
                    None => format!("this entry has the YAML tag `{}`", shown(tag)),
                },
                help: Some("ledgers are read without YAML tags: write the value plainly".into()),
            };
            // The entry is still named by its id, when the rest of it can be read.
            let snippet = dedent(text.get(e.start..e.end).unwrap_or_default(), e.column);
            let read = serde_saphyr::from_str_with_options::<OwnedEntry<'_>>(&snippet, options(&snippet));
            let id = read.ok().and_then(|entry| {
                entry.fields.iter().find(|(name, _)| name == "id").and_then(|(_, value)| match value {
                    Scalar::Str(s) if !s.is_empty() => Some(s.to_string()),
                    _ => None,
                })
            });
            out.unreadable(at, id.as_deref(), problem);
            continue;
        }
        let snippet = dedent(text.get(e.start..e.end).unwrap_or_default(), e.column);
        match serde_saphyr::from_str_with_options::<OwnedEntry<'_>>(&snippet, options(&snippet)) {
            Ok(entry) => match entry.shape {
                Shape::Mapping => out.entry(at, &entry.fields),
                Shape::Other(what) => out.unreadable(at, None, not_a_mapping(what)),
            },
            Err(error) => out.unreadable(at, None, document::unreadable(&describe_error(&error).0)),
        }
    }
    Some(())
}
