//! The one validator every format shares: raw records in, checked [`Record`]s out.
//!
//! Each format reader hands over (field name, scalar) pairs; this module alone decides what a valid
//! deployment is, so YAML, JSON, NDJSON and CSV report the same problems in the same words. It
//! collects every problem of a record rather than stopping at the first, and it assigns positions
//! itself, so every record pushed comes out exactly once, in order.
//!
//! It must never panic on user input: no indexing that the input controls, no slicing of user text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{Datelike, NaiveDate};

use super::raw::{RawField, Scalar};
use super::{Deployment, InvalidRecord, Record, RecordProblem};
use crate::model::{FieldId, FlagId, ValueId, Vocabulary};
use crate::suggest;

/// What a field name of a record stands for.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Id,
    Date,
    Field(FieldId),
    Flag(FlagId),
}

/// FNV-1a, for the small fixed tables of names and values: much cheaper than the default hasher on
/// short keys, and those tables never grow with the input, so there is nothing to flood.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// The most problems described for one record; further unknown fields are counted.
pub const MAX_PROBLEMS: usize = 16;

/// Tables up to this long are searched in order rather than hashed.
const SHORT: usize = 16;

/// User text longer than this is cut short in messages.
const SHOWN_CHARS: usize = 60;

/// `text`, cut at a character boundary if it is long, ready to go between backticks.
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", text.get(..cut).unwrap_or(""))),
        None => Cow::Borrowed(text),
    }
}

fn problem(
    code: &'static crate::diagnostic::Code,
    field: Option<&str>,
    message: String,
    help: Option<String>,
) -> RecordProblem {
    RecordProblem { code, field: field.map(str::to_owned), message, help }
}

/// What a valid record looks like, from the vocabulary: built once per rule set and shared by
/// every reader and thread, so looking a name up never allocates.
pub struct Schema<'v> {
    vocab: &'v Vocabulary,
    names: FnvMap<&'v str, Slot>,
    /// The same names by length, looked through when there are few (faster than hashing).
    name_list: Vec<Vec<(&'v str, Slot)>>,
    /// Every name a record may use, for "did you mean": `id`, `date`, fields, flags.
    known: Vec<&'v str>,
    /// For each field, its values by name.
    values: Vec<FnvMap<&'v str, ValueId>>,
    /// For each field with few values, its values by length.
    value_list: Vec<Vec<Vec<(&'v str, ValueId)>>>,
}

impl<'v> Schema<'v> {
    pub fn new(vocab: &'v Vocabulary) -> Schema<'v> {
        let mut names = FnvMap::default();
        let mut known = Vec::with_capacity(vocab.fields.len() + vocab.flags.len() + 2);
        known.push("id");
        known.push("date");
        for (i, field) in vocab.fields.iter().enumerate() {
            names.entry(field.name.as_str()).or_insert(Slot::Field(FieldId(i as u16)));
            known.push(field.name.as_str());
        }
        for (i, flag) in vocab.flags.iter().enumerate() {
            names.entry(flag.name.as_str()).or_insert(Slot::Flag(FlagId(i as u16)));
            known.push(flag.name.as_str());
        }
        // The built-in names win over a vocabulary entry of the same name.
        names.insert("id", Slot::Id);
        names.insert("date", Slot::Date);
        let values = vocab
            .fields
            .iter()
            .map(|field| {
                let mut by_name = FnvMap::default();
                for (i, value) in field.values.iter().enumerate() {
                    by_name.entry(value.as_str()).or_insert(ValueId(i as u16));
                }
                by_name
            })
            .collect();
        let mut name_list: Vec<Vec<(&str, Slot)>> = Vec::new();
        if names.len() <= SHORT {
            let mut sorted: Vec<(&str, Slot)> = names.iter().map(|(k, v)| (*k, *v)).collect();
            sorted.sort_unstable_by_key(|(k, _)| *k);
            for (name, slot) in sorted {
                if name_list.len() <= name.len() {
                    name_list.resize(name.len() + 1, Vec::new());
                }
                name_list[name.len()].push((name, slot));
            }
        }
        let value_list = vocab
            .fields
            .iter()
            .map(|f| {
                let mut by_len: Vec<Vec<(&str, ValueId)>> = Vec::new();
                if f.values.len() <= SHORT {
                    for (i, v) in f.values.iter().enumerate() {
                        if by_len.len() <= v.len() {
                            by_len.resize(v.len() + 1, Vec::new());
                        }
                        by_len[v.len()].push((v.as_str(), ValueId(i as u16)));
                    }
                }
                by_len
            })
            .collect();
        Schema { vocab, names, name_list, value_list, known, values }
    }

    fn slot(&self, name: &str) -> Option<Slot> {
        if self.name_list.is_empty() {
            return self.names.get(name).copied();
        }
        self.name_list.get(name.len())?.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    fn value(&self, field: FieldId, text: &str) -> Option<ValueId> {
        let by_len = self.value_list.get(field.0 as usize)?;
        if by_len.is_empty() {
            return self.values.get(field.0 as usize)?.get(text).copied();
        }
        by_len.get(text.len())?.iter().find(|(v, _)| *v == text).map(|(_, id)| *id)
    }

    pub fn vocabulary(&self) -> &'v Vocabulary {
        self.vocab
    }

    /// Whether `name` is a field a record may give (`id`, `date`, a field or a flag).
    pub fn knows(&self, name: &str) -> bool {
        self.slot(name).is_some()
    }
}

/// Checks the raw records of one reader, one after another, and numbers them from 1.
///
/// A record's id is left empty when the record gives none: its default, `#N`, depends on its
/// position in the whole plan, which a reader of one chunk does not know ([`super::place`] fills it).
/// Duplicate ids are not looked for here either: that needs every earlier record of the plan
/// ([`super::ids`]).
pub(crate) struct Validator<'s, 'v> {
    schema: &'s Schema<'v>,
    /// Where values are all text (CSV cells, `FIELD=VALUE` pairs), the words `true` and `false`
    /// are the booleans.
    text_booleans: TextBooleans,
    /// For each slot, the position of the last record that gave it (to find a field given twice).
    seen: Vec<usize>,
    position: usize,
    /// The record being made, reused from one record to the next: checking allocates nothing
    /// for a valid record whose id fits the buffer already there.
    record: Record,
}

impl<'s, 'v> Validator<'s, 'v> {
    pub(crate) fn new(schema: &'s Schema<'v>, text_booleans: TextBooleans) -> Validator<'s, 'v> {
        let vocab = schema.vocab;
        Validator {
            schema,
            text_booleans,
            seen: vec![0; 2 + vocab.fields.len() + vocab.flags.len()],
            position: 0,
            record: Record::Valid(Deployment::empty()),
        }
    }

    /// Numbers the next record 1 again (a reader of chunks, for each chunk).
    pub(crate) fn restart(&mut self) {
        self.position = 0;
        self.seen.fill(0);
    }

    fn slot_index(&self, slot: Slot) -> usize {
        match slot {
            Slot::Id => 0,
            Slot::Date => 1,
            Slot::Field(f) => 2 + f.0 as usize,
            Slot::Flag(g) => 2 + self.schema.vocab.fields.len() + g.0 as usize,
        }
    }

    /// A record that could not be read as fields at all (an NDJSON line that is not JSON, a list
    /// entry that is not a mapping, a CSV row with the wrong number of cells).
    /// `id` is the record's id when it can still be made out (a CSV row with too few cells).
    pub(crate) fn unreadable(&mut self, at: Place, id: Option<&str>, problem: RecordProblem) -> &Record {
        self.position += 1;
        let id = id.map(str::to_owned).unwrap_or_default();
        self.record = Record::Invalid(InvalidRecord {
            id,
            position: self.position,
            line: at.line,
            column: at.column,
            problems: vec![problem],
        });
        &self.record
    }

    /// Checks one record's fields.
    pub(crate) fn check(&mut self, at: Place, fields: &[RawField<'_>]) -> &Record {
        self.position += 1;
        let position = self.position;
        let schema = self.schema;
        let vocab = schema.vocab;
        let mut problems: Vec<RecordProblem> = Vec::new();
        // The buffer of the last valid record, emptied; a fresh one after an invalid record.
        let mut d = match std::mem::replace(&mut self.record, Record::Valid(Deployment::empty())) {
            Record::Valid(d) => d,
            Record::Invalid(_) => Deployment::empty(),
        };
        d.id.clear();
        d.values.clear();
        d.values.resize(vocab.fields.len(), None);
        d.flags.clear();
        let mut date: Option<NaiveDate> = None;

        // Beyond a screenful of problems a record's others are counted, not described: a CSV
        // header of a million misspelt columns must not cost a million suggestions a row.
        let mut more = 0usize;
        for (name, value) in fields {
            let name: &str = name;
            let Some(slot) = schema.slot(name) else {
                if !(name.is_empty() && *value == Scalar::Null) {
                    if problems.len() < MAX_PROBLEMS {
                        problems.push(schema.unknown_field(name));
                    } else {
                        more += 1;
                    }
                }
                continue;
            };
            let index = self.slot_index(slot);
            match self.seen.get_mut(index) {
                Some(seen) if *seen == position => {
                    let message = format!("field `{}` is given twice", shown(name));
                    // A field given three times is still reported once.
                    if !problems.iter().any(|p| p.message == message) {
                        problems.push(problem(
                            crate::diagnostic::codes::REPEATED_FIELD,
                            Some(name),
                            message,
                            Some("give each field once".to_owned()),
                        ));
                    }
                    continue;
                }
                Some(seen) => *seen = position,
                None => {}
            }
            match slot {
                Slot::Id => match check_id(value, &mut d.id) {
                    Ok(()) => {}
                    Err(p) => problems.push(p),
                },
                Slot::Date => match value {
                    Scalar::Null => {}
                    _ => match check_date(value) {
                        Ok(day) => date = Some(day),
                        Err(p) => problems.push(p),
                    },
                },
                Slot::Field(field) => match schema.check_value(field, value) {
                    Ok(v) => {
                        if let Some(entry) = d.values.get_mut(field.0 as usize) {
                            *entry = v;
                        }
                    }
                    Err(p) => problems.push(p),
                },
                Slot::Flag(flag) => match schema.check_flag(flag, value, self.text_booleans) {
                    Ok(true) => d.flags.push(flag),
                    Ok(false) => {}
                    Err(p) => problems.push(p),
                },
            }
        }

        // Missing required fields, unless the field was given with a bad value (already reported).
        for (field, value) in vocab.fields.iter().zip(&d.values) {
            if value.is_none() && !field.optional && !reported(&problems, &field.name) {
                problems.push(problem(
                    crate::diagnostic::codes::MISSING_FIELD,
                    Some(&field.name),
                    format!("missing field `{}`", field.name),
                    Some(expected_one_of(&field.values)),
                ));
            }
        }
        if date.is_none() && !reported(&problems, "date") {
            problems.push(problem(
                crate::diagnostic::codes::MISSING_FIELD,
                Some("date"),
                "missing field `date`".to_owned(),
                Some("write the date as YYYY-MM-DD, like 2030-02-03".to_owned()),
            ));
        }
        if more > 0 {
            problems.push(problem(
                crate::diagnostic::codes::UNKNOWN_FIELD,
                None,
                format!("and {more} more unknown {}", if more == 1 { "field" } else { "fields" }),
                Some(format!("the fields are {}", schema.known.join(", "))),
            ));
        }

        d.position = position;
        d.line = at.line;
        d.column = at.column;
        self.record = match date {
            Some(date) if problems.is_empty() => {
                d.flags.sort_unstable();
                d.flags.dedup();
                d.date = date;
                Record::Valid(d)
            }
            _ => Record::Invalid(InvalidRecord {
                id: d.id,
                position,
                line: at.line,
                column: at.column,
                problems,
            }),
        };
        &self.record
    }
}

/// A validator and where its records go: what the document readers hand records to.
pub(crate) struct Out<'a, 's, 'v> {
    pub validator: Validator<'s, 'v>,
    pub emit: &'a mut dyn FnMut(&Record),
}

impl Out<'_, '_, '_> {
    pub(crate) fn check(&mut self, at: Place, fields: &[RawField<'_>]) {
        (self.emit)(self.validator.check(at, fields));
    }

    pub(crate) fn unreadable(&mut self, at: Place, id: Option<&str>, problem: RecordProblem) {
        (self.emit)(self.validator.unreadable(at, id, problem));
    }
}

/// Where a reader hands each record it reads, in input order: a plan's [`Out`], a ledger's
/// validator. A reader written against it reads plans and ledgers alike.
pub(crate) trait Records {
    /// A record read into fields, for the validator to check.
    fn record(&mut self, at: Place, fields: &[RawField<'_>]);
    /// A record that could not be read, with its problem (and its id, where it could be found).
    fn unreadable(&mut self, at: Place, id: Option<&str>, problem: RecordProblem);
}

impl Records for Out<'_, '_, '_> {
    fn record(&mut self, at: Place, fields: &[RawField<'_>]) {
        self.check(at, fields);
    }

    fn unreadable(&mut self, at: Place, id: Option<&str>, problem: RecordProblem) {
        Out::unreadable(self, at, id, problem);
    }
}

/// Whether text values stand for booleans, and how to advise when one does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextBooleans {
    No,
    /// CSV cells: `true`, `false` or an empty cell.
    Csv,
    /// `FIELD=VALUE` pairs on a command line.
    Pairs,
}

/// Where a record starts in its file, where the format can tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Place {
    pub(crate) fn line(line: Option<usize>) -> Place {
        Place { line, column: line.map(|_| 1) }
    }
}

impl Schema<'_> {
    fn unknown_field(&self, name: &str) -> RecordProblem {
        let help = suggest::help(name, self.known.iter().copied())
            .unwrap_or_else(|| format!("the fields are {}", self.known.join(", ")));
        let message = if name.is_empty() {
            "a field has no name".to_owned()
        } else {
            format!("unknown field `{}`", shown(name))
        };
        problem(crate::diagnostic::codes::UNKNOWN_FIELD, Some(name), message, Some(help))
    }

    fn check_value(&self, field: FieldId, value: &Scalar<'_>) -> Result<Option<ValueId>, RecordProblem> {
        let Some(def) = self.vocab.fields.get(field.0 as usize) else {
            return Ok(None);
        };
        let name = def.name.as_str();
        let text: Cow<'_, str> = match value {
            Scalar::Null => return Ok(None),
            Scalar::Str(s) => Cow::Borrowed(s.as_ref()),
            Scalar::Int(n) => Cow::Owned(n.to_string()),
            Scalar::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Scalar::Other(what) => {
                return Err(problem(
                    crate::diagnostic::codes::WRONG_TYPE,
                    Some(name),
                    format!("expected a single {name}, found {what}"),
                    Some(expected_one_of(&def.values)),
                ))
            }
        };
        if let Some(v) = self.value(field, text.as_ref()) {
            return Ok(Some(v));
        }
        if text.is_empty() {
            return Err(problem(
                crate::diagnostic::codes::UNKNOWN_VALUE,
                Some(name),
                format!("field `{name}` is empty"),
                Some(expected_one_of(&def.values)),
            ));
        }
        let help = suggest::help(&text, def.values.iter().map(String::as_str))
            .unwrap_or_else(|| expected_one_of(&def.values));
        Err(problem(
            crate::diagnostic::codes::UNKNOWN_VALUE,
            Some(name),
            format!("unknown {name} `{}`", shown(&text)),
            Some(help),
        ))
    }

    fn check_flag(
        &self,
        flag: FlagId,
        value: &Scalar<'_>,
        text: TextBooleans,
    ) -> Result<bool, RecordProblem> {
        let name = self.vocab.flags.get(flag.0 as usize).map_or("", |f| f.name.as_str());
        let (found, help) = match value {
            Scalar::Bool(b) => return Ok(*b),
            Scalar::Null => return Ok(false),
            Scalar::Str(s) if text != TextBooleans::No => match (s.as_ref(), text) {
                ("true", _) => return Ok(true),
                ("false", _) => return Ok(false),
                (_, TextBooleans::Csv) => (
                    format!("`{}`", shown(s)),
                    "write `true` or `false`, or leave the cell empty for false".to_owned(),
                ),
                _ => (format!("`{}`", shown(s)), format!("write `{name}=true` or `{name}=false`")),
            },
            Scalar::Str(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                (format!("the text `\"{}\"`", shown(s)), "write true or false without quotes".to_owned())
            }
            Scalar::Str(s) => (
                format!("`{}`", shown(s)),
                "write true or false; words like yes, no, on and off are not booleans here".to_owned(),
            ),
            Scalar::Int(n) => (format!("`{n}`"), "write true or false".to_owned()),
            Scalar::Other(what) => ((*what).to_owned(), "write true or false".to_owned()),
        };
        Err(problem(
            crate::diagnostic::codes::BAD_FLAG,
            Some(name),
            format!("expected true or false, found {found}"),
            Some(help),
        ))
    }
}

pub(crate) fn duplicate_id(id: &str, first: usize) -> RecordProblem {
    problem(
        crate::diagnostic::codes::DUPLICATE_ID,
        Some("id"),
        format!("id `{}` is already used by record #{first}", shown(id)),
        Some("give each deployment its own id".to_owned()),
    )
}

fn reported(problems: &[RecordProblem], field: &str) -> bool {
    problems.iter().any(|p| p.field.as_deref() == Some(field))
}

/// `expected one of azure, aws, gcp, oracle`
fn expected_one_of(values: &[String]) -> String {
    format!("expected one of {}", values.join(", "))
}

/// The id a record gives, written into `id` (left empty for no id: absent or null).
fn check_id(value: &Scalar<'_>, id: &mut String) -> Result<(), RecordProblem> {
    use std::fmt::Write as _;
    match value {
        Scalar::Null => Ok(()),
        Scalar::Str(s) if s.is_empty() => Err(problem(
            crate::diagnostic::codes::BAD_ID,
            Some("id"),
            "the id is empty".to_owned(),
            Some("leave `id` out to name the record by its position".to_owned()),
        )),
        Scalar::Str(s) => {
            id.push_str(s);
            Ok(())
        }
        Scalar::Int(n) => {
            let _ = write!(id, "{n}");
            Ok(())
        }
        Scalar::Bool(b) => Err(problem(
            crate::diagnostic::codes::BAD_ID,
            Some("id"),
            format!("expected text for the id, found `{b}`"),
            Some("put the id in quotes".to_owned()),
        )),
        Scalar::Other(what) => Err(problem(
            crate::diagnostic::codes::BAD_ID,
            Some("id"),
            format!("expected text for the id, found {what}"),
            None,
        )),
    }
}

fn check_date(value: &Scalar<'_>) -> Result<NaiveDate, RecordProblem> {
    let text: Cow<'_, str> = match value {
        Scalar::Str(s) => Cow::Borrowed(s.as_ref()),
        Scalar::Int(n) => Cow::Owned(n.to_string()),
        Scalar::Bool(b) => Cow::Owned(b.to_string()),
        Scalar::Null => Cow::Borrowed(""),
        Scalar::Other(what) => {
            return Err(problem(
                crate::diagnostic::codes::BAD_DATE,
                Some("date"),
                format!("expected a date, found {what}"),
                Some("write the date as YYYY-MM-DD, like 2030-02-03".to_owned()),
            ))
        }
    };
    parse_date(&text)
        .map_err(|(message, help)| problem(crate::diagnostic::codes::BAD_DATE, Some("date"), message, help))
}

fn digit(b: u8) -> Option<u32> {
    b.is_ascii_digit().then(|| u32::from(b - b'0'))
}

/// A strict `YYYY-MM-DD` date. The shape is checked before chrono, which would accept `2030-2-3`.
/// The error is a message and optional help.
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, (String, Option<String>)> {
    let parts = match *text.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => (|| {
            let year = digit(y1)? * 1000 + digit(y2)? * 100 + digit(y3)? * 10 + digit(y4)?;
            let month = digit(m1)? * 10 + digit(m2)?;
            let day = digit(d1)? * 10 + digit(d2)?;
            Some((year, month, day))
        })(),
        _ => None,
    };
    let Some((year, month, day)) = parts else {
        let like = loose_date(text).map_or_else(|| "2030-02-03".to_owned(), |d| d.to_string());
        return Err((format!("`{}` is not a date: write it as YYYY-MM-DD, like {like}", shown(text)), None));
    };
    // INVARIANT: year <= 9999, so the cast cannot wrap.
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(|| {
        let help = if !(1..=12).contains(&month) {
            "months run from 01 to 12".to_owned()
        } else if day == 0 {
            "days start at 01".to_owned()
        } else {
            match days_in_month(year as i32, month) {
                Some(n) => format!("{year:04}-{month:02} has {n} days"),
                None => "check the day and month".to_owned(),
            }
        };
        (format!("`{text}` is not a date that exists"), Some(help))
    })
}

fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some(next.pred_opt()?.day())
}

/// What a sloppily written date (`2030-2-3`, `2030/02/03`) most likely means, if it is a real date.
fn loose_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().split(['-', '/', '.']);
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    if parts.next().is_some()
        || year.len() != 4
        || !(1..=2).contains(&month.len())
        || !(1..=2).contains(&day.len())
        || ![year, month, day].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}
