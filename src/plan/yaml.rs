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
        return Err(document::empty(&document::PLAN, "a plan is a mapping with a `deployments` list"));
    }
    if let Some(line) = later_document(text) {
        return Err(document::error(
            "the plan holds more than one YAML document".to_owned(),
            Some(line),
            None,
            Some(
                "put every deployment in one `deployments` list of one document, with no `---` between them",
            ),
        ));
    }
    // The records are held until the document is known to be readable as a whole: if it is
    // not, it is read again entry by entry, and no record may be handed on twice.
    // A tag (`!!binary`, `!custom`) would be read quietly as something else: a plan that may
    // hold one (it has a `!` anywhere) is read entry by entry, where tags are seen and refused.
    if memchr::memchr(b'!', text.as_bytes()).is_some() {
        if let Some(done) = read_entries(text, schema, emit) {
            return done;
        }
    }
    let mut records: Vec<Record> = Vec::new();
    let mut keep = |r: &Record| records.push(r.clone());
    let mut out = Out { validator: Validator::new(schema, TextBooleans::No), emit: &mut keep };
    let whole = serde_saphyr::with_deserializer_from_str_with_options(text, options(text), |de| {
        DocSeed { shape: &document::PLAN, out: &mut out, entries: &mut YamlEntries }.deserialize(de)
    });
    match whole {
        Ok(top) => {
            document::check(&document::PLAN, top)?;
            records.iter().for_each(&mut *emit);
            Ok(())
        }
        Err(e) => match read_entries(text, schema, emit) {
            Some(done) => done,
            None => Err(syntax_error(&e)),
        },
    }
}

pub(crate) fn options(text: &str) -> Options {
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
    document::error(message, line, column, None)
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
    // serde-saphyr words its limits in Rust's debug notation: say them plainly.
    let message = match message.find("limits breached").or_else(|| message.find("recursion limit exceeded")) {
        Some(_) if message.contains("Depth") || message.contains("recursion") => {
            "values are nested too deeply (more than 64 levels)".to_owned()
        }
        Some(_) => "the document is too large, or its aliases expand too far".to_owned(),
        None => message,
    };
    let location = error.location();
    let line = location.and_then(|l| usize::try_from(l.line()).ok()).filter(|&l| l > 0);
    let column = location.and_then(|l| usize::try_from(l.column()).ok()).filter(|&c| c > 0);
    (message, line, column)
}

/// YAML entries: keys and list entries carry their lines through [`Spanned`].
struct YamlEntries;

impl<'o, 's, 'v> Entries<Out<'o, 's, 'v>> for YamlEntries {
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
        out: &mut Out<'o, 's, 'v>,
        mut seq: A,
    ) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Spanned<OwnedEntry<'de>>>()? {
            let at = place_of(&entry);
            match entry.value.shape {
                Shape::Mapping => out.check(at, &entry.value.fields),
                Shape::Other(what) => out.unreadable(at, None, not_a_mapping(&document::PLAN, what)),
            }
        }
        Ok(())
    }
}

/// The line of the first document after the first that holds something: a plan is read from
/// one document, and the deployments of a second would be lost without a word. Only a text with
/// a `---` at the start of a later line is parsed for this.
fn later_document(text: &str) -> Option<usize> {
    use granit_parser::{Event, Parser};
    memchr::memmem::find(text.as_bytes(), b"\n---")?;
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    let mut start_line = 0;
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                start_line = span.start.line();
            }
            Event::StreamStart | Event::DocumentEnd | Event::StreamEnd | Event::Comment(..) => {}
            // Something in a second document (skipping the first's contents would be as long).
            _ if documents > 1 => return Some(start_line),
            _ => {}
        }
    }
    None
}

/// Reads a YAML plan whose document as a whole failed, entry by entry: the YAML event parser
/// finds where each entry of the `deployments` list lies, and each is read on its own, so a
/// tag, a value nested too deep or a value of the wrong type spoils its own record only. `None`
/// when the document's structure cannot be made out (a syntax error: then the document's error
/// stands). A top-level key other than `deployments` and `events` fails the document, as it does
/// when the document is read whole.
pub(crate) fn read_entries(
    text: &str,
    schema: &Schema<'_>,
    emit: &mut dyn FnMut(&Record),
) -> Option<Result<(), PlanError>> {
    let (entries, unknown) = spans(text, DEPLOYMENTS_KEY, &[crate::events::EVENTS_KEY])?;
    if let Some((key, line)) = unknown {
        let mut top = document::TopMap { lists: 1, ..Default::default() };
        top.unknown_key(&key, Some(line));
        return Some(document::check(&document::PLAN, document::Top::Mapping(top)));
    }
    let mut validator = Validator::new(schema, TextBooleans::No);
    for e in entries {
        let at = Place { line: Some(e.line), column: Some(e.column + 1) };
        if let Some((field, tag)) = &e.tag {
            let problem = super::RecordProblem {
                code: crate::diagnostic::codes::UNREADABLE_RECORD,
                field: field.clone(),
                message: match field {
                    Some(f) => format!(
                        "the value of `{}` has the YAML tag `{}`",
                        super::validate::shown(f),
                        super::validate::shown(tag)
                    ),
                    None => format!("this deployment has the YAML tag `{}`", super::validate::shown(tag)),
                },
                help: Some("plans are read without YAML tags: write the value plainly".into()),
            };
            emit(validator.unreadable(at, None, problem));
            continue;
        }
        let snippet = dedent(&text[e.start..e.end], e.column);
        let read = serde_saphyr::from_str_with_options::<OwnedEntry<'_>>(&snippet, options(&snippet));
        match read {
            Ok(entry) => match entry.shape {
                Shape::Mapping => emit(validator.check(at, &entry.fields)),
                Shape::Other(what) => {
                    emit(validator.unreadable(at, None, not_a_mapping(&document::PLAN, what)))
                }
            },
            Err(error) => {
                let (message, _, _) = describe_error(&error);
                // Read on its own, an entry cannot see the anchors of the rest of the document.
                let unknown_anchor = matches!(error, serde_saphyr::Error::UnknownAnchor { .. });
                let message = match e.alias.as_ref().filter(|_| unknown_anchor) {
                    Some(alias) => format!(
                        "this deployment cannot be read on its own: it uses the YAML alias `{}` ({message})",
                        super::validate::shown(alias)
                    ),
                    None => format!("this deployment cannot be read: {message}"),
                };
                let problem = super::RecordProblem {
                    code: crate::diagnostic::codes::UNREADABLE_RECORD,
                    field: None,
                    message,
                    help: Some(
                        "write each field as a plain value: no tags (`!!...`), no nested lists or mappings"
                            .into(),
                    ),
                };
                emit(validator.unreadable(at, None, problem));
            }
        }
    }
    Some(Ok(()))
}

/// A key of the document and its line.
type KeyAt = (String, usize);

/// Where one entry of the `deployments` list lies: bytes, 1-based line, 0-based column; the
/// first YAML tag inside it, with the field it is on; and the first alias it uses, as written.
pub(crate) struct EntrySpan {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) tag: Option<(Option<String>, String)>,
    pub(crate) alias: Option<String>,
}

/// The entries of the document's top-level list named `list_key`, from the YAML events.
pub(crate) fn entry_spans(text: &str, list_key: &str) -> Option<Vec<EntrySpan>> {
    spans(text, list_key, &[]).map(|(entries, _)| entries)
}

/// [`entry_spans`], and the first top-level key that is neither `list_key` nor one of `known`,
/// with its line (`known` empty: no key is noted).
fn spans(text: &str, list_key: &str, known: &[&str]) -> Option<(Vec<EntrySpan>, Option<KeyAt>)> {
    use granit_parser::{Event, Parser};
    // The parser's own nesting limit (255) would fail the whole document on one deep entry: lift
    // it (it bounds a heap stack, not recursion; no entry nests deeper than its length), and let
    // the entry's own reading refuse it, past 64 levels.
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = text.len().max(options.flow_nesting_limit);
    options.block_nesting_limit = text.len().max(options.block_nesting_limit);
    let mut parser = Parser::new_from_str_with_options(text, options);
    // Comments are not nodes: a comment above the top-level key must not hide the entries.
    let mut next = move || loop {
        match parser.next_event() {
            Some(Ok((Event::Comment(..), _))) => continue,
            Some(Ok((event, span))) => return Some((event, span)),
            _ => return None,
        }
    };
    let byte = |m: &granit_parser::Marker| m.byte_offset();
    let mut unknown: Option<KeyAt> = None;
    let mut note = |key: &str, span: &granit_parser::Span| {
        if !known.is_empty() && !known.contains(&key) && unknown.is_none() {
            unknown = Some((key.to_owned(), span.start.line()));
        }
    };
    // The top level: a mapping; find its `deployments` key at depth 1.
    let mut depth = 0usize;
    let mut expecting_key = false;
    loop {
        let (event, span) = next()?;
        match event {
            Event::MappingStart(..) if depth == 0 => {
                depth = 1;
                expecting_key = true;
            }
            Event::Scalar(ref key, ..) if depth == 1 && expecting_key => {
                if key == list_key {
                    break;
                }
                note(key, &span);
                skip_node(&mut next)?;
            }
            Event::StreamStart | Event::DocumentStart(..) => {}
            _ => return None,
        }
    }
    match next()? {
        (Event::SequenceStart(..), _) => {}
        _ => return None,
    }
    let mut out = Vec::new();
    loop {
        let (event, span) = next()?;
        if matches!(event, Event::SequenceEnd) {
            // The keys after the list (a document that breaks off here has its records read).
            while let Some((Event::Scalar(key, ..), span)) = next() {
                note(&key, &span);
                if skip_node(&mut next).is_none() {
                    break;
                }
            }
            return Some((out, unknown));
        }
        let start = byte(&span.start)?;
        let (line, column) = (span.start.line(), span.start.col());
        let mut tag = tag_of(&event).map(|t| (None, t));
        let mut alias = None;
        if matches!(event, Event::Alias(..)) {
            alias = text.get(start..byte(&span.end)?).map(str::to_owned);
        }
        let end = match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let mapping = matches!(event, Event::MappingStart(..));
                // Inside the entry: note the first tag, and the key (at the entry's own level)
                // whose value carries it.
                let mut depth = 1usize;
                let mut key: Option<String> = None;
                let mut at_key = mapping;
                loop {
                    let (event, span) = next()?;
                    if tag.is_none() {
                        if let Some(t) = tag_of(&event) {
                            tag = Some((key.clone().filter(|_| depth == 1 && mapping), t));
                        }
                    }
                    if alias.is_none() && matches!(event, Event::Alias(..)) {
                        alias = text.get(byte(&span.start)?..byte(&span.end)?).map(str::to_owned);
                    }
                    match &event {
                        Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
                        Event::MappingEnd | Event::SequenceEnd => {
                            depth -= 1;
                            if depth == 0 {
                                break byte(&span.end)?;
                            }
                        }
                        Event::Scalar(text, ..) if depth == 1 && mapping => {
                            if at_key {
                                key = Some(text.to_string());
                            }
                            at_key = !at_key;
                        }
                        _ => {}
                    }
                    if depth == 1 && mapping && matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                        at_key = true;
                    }
                }
            }
            _ => byte(&span.end)?,
        };
        out.push(EntrySpan { start, end: end.max(start), line, column, tag, alias });
    }
}

/// The tag an event's node carries, as written (`!!binary`, `!custom`).
fn tag_of(event: &granit_parser::Event<'_>) -> Option<String> {
    use granit_parser::Event;
    match event {
        Event::Scalar(_, _, _, Some(tag))
        | Event::MappingStart(_, _, Some(tag))
        | Event::SequenceStart(_, _, Some(tag)) => Some(tag.original()),
        _ => None,
    }
}

/// Skips one whole node (its first event not yet read); the span of its last event.
fn skip_node<'t>(
    next: &mut impl FnMut() -> Option<(granit_parser::Event<'t>, granit_parser::Span)>,
) -> Option<granit_parser::Span> {
    use granit_parser::Event;
    let (event, span) = next()?;
    match event {
        Event::MappingStart(..) | Event::SequenceStart(..) => skip_rest(next),
        _ => Some(span),
    }
}

/// Skips to the end of a collection whose start was just read; the span of its end.
fn skip_rest<'t>(
    next: &mut impl FnMut() -> Option<(granit_parser::Event<'t>, granit_parser::Span)>,
) -> Option<granit_parser::Span> {
    use granit_parser::Event;
    let mut depth = 1usize;
    loop {
        let (event, span) = next()?;
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => {
                depth -= 1;
                if depth == 0 {
                    return Some(span);
                }
            }
            _ => {}
        }
    }
}

/// An entry's text as a document of its own: its later lines moved left by the entry's column.
pub(crate) fn dedent(snippet: &str, column: usize) -> String {
    let mut out = String::with_capacity(snippet.len());
    for (i, line) in snippet.split_inclusive('\n').enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[spaces.min(column)..]);
        }
    }
    out
}

const DEPLOYMENTS_KEY: &str = "deployments";
