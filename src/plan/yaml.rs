//! Reading a YAML plan: `deployments:` followed by a list of mappings.
//!
//! The document is streamed through serde-saphyr: each list entry is read with its line (via
//! [`Spanned`]) and handed straight to the validator, so no tree of the whole plan is built.
//! Booleans are strict (YAML 1.2: only `true`/`false`), so `azure_declined: NO` is an error rather
//! than a silent `false`. Duplicate keys inside a record are passed through to the validator, which
//! reports them as a problem of that record instead of failing the whole document.

use serde::de::{DeserializeSeed, MapAccess, SeqAccess};
use serde_saphyr::{Budget, DuplicateKeyPolicy, MessageFormatter, Options, Spanned};

use super::document::{self, not_a_mapping, DocSeed, Entries};
use super::raw::{Key, OwnedEntry, Shape};
use super::validate::{Out, Place, Schema, TextBooleans, Validator};
use super::{PlanError, Record};

pub(crate) fn read(text: &str, schema: &Schema<'_>, emit: &mut dyn FnMut(&Record)) -> Result<(), PlanError> {
    if document::is_blank(text) {
        return Err(document::empty("a plan is a mapping with a `deployments` list"));
    }
    let mut out = Out { validator: Validator::new(schema, TextBooleans::No), emit };
    let top = serde_saphyr::with_deserializer_from_str_with_options(text, options(text), |de| {
        DocSeed { out: &mut out, entries: &mut YamlEntries }.deserialize(de)
    })
    .map_err(|e| syntax_error(&e))?;
    document::check(top)
}

fn options(text: &str) -> Options {
    // The default budget suits configuration files; a plan may hold a million records. Scale the
    // event and node limits with the input, which still bounds what aliases can expand to.
    let mut budget = Budget::default();
    let scaled = text.len().saturating_mul(2);
    budget.max_events = budget.max_events.max(scaled);
    budget.max_nodes = budget.max_nodes.max(scaled);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(scaled);
    let mut options = Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    // `1e400` or `.nan` in one record must not make the whole plan unreadable: keep them as text,
    // so the record gets its own error.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::AsString;
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    options
}

fn line_of<T>(spanned: &Spanned<T>) -> Option<usize> {
    usize::try_from(spanned.referenced.line()).ok().filter(|&l| l > 0)
}

fn place_of<T>(spanned: &Spanned<T>) -> Place {
    let column = usize::try_from(spanned.referenced.column()).ok().filter(|&c| c > 0);
    Place { line: line_of(spanned), column }
}

fn syntax_error(error: &serde_saphyr::Error) -> PlanError {
    let (message, line, column) = describe_error(error);
    let message = match (line, column) {
        (Some(l), Some(c)) => format!("the plan is not valid YAML: {message} at line {l}, column {c}"),
        (Some(l), None) => format!("the plan is not valid YAML: {message} at line {l}"),
        _ => format!("the plan is not valid YAML: {message}"),
    };
    document::plan_error(message, line, column, None)
}

/// serde-saphyr's message in this crate's style (lowercase start, no final period, no control
/// characters) and its 1-based line and column, where known.
pub(crate) fn describe_error(error: &serde_saphyr::Error) -> (String, Option<usize>, Option<usize>) {
    let text = serde_saphyr::UserMessageFormatter.format_message(error);
    let mut message: String = text.chars().filter(|c| !c.is_control()).collect();
    if let Some(first) = message.chars().next() {
        if first.is_uppercase() && !message.chars().nth(1).is_some_and(char::is_uppercase) {
            message = first.to_lowercase().chain(message.chars().skip(1)).collect();
        }
    }
    let message = message.trim_end_matches('.').to_owned();
    let location = error.location();
    let line = location.and_then(|l| usize::try_from(l.line()).ok()).filter(|&l| l > 0);
    let column = location.and_then(|l| usize::try_from(l.column()).ok()).filter(|&c| c > 0);
    (message, line, column)
}

/// YAML entries: keys and list entries carry their lines through [`Spanned`].
struct YamlEntries;

impl Entries for YamlEntries {
    fn next_key<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
    ) -> Result<Option<(Key<'de>, Option<usize>)>, A::Error> {
        Ok(map.next_key::<Spanned<Key<'de>>>()?.map(|key| {
            let line = line_of(&key);
            (key.value, line)
        }))
    }

    fn read_list<'de, A: SeqAccess<'de>>(
        &mut self,
        out: &mut Out<'_, '_, '_>,
        mut seq: A,
    ) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Spanned<OwnedEntry<'de>>>()? {
            let at = place_of(&entry);
            match entry.value.shape {
                Shape::Mapping => out.check(at, &entry.value.fields),
                Shape::Other(what) => out.unreadable(at, None, not_a_mapping(what)),
            }
        }
        Ok(())
    }
}
