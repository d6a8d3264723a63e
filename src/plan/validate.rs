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
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use chrono::{Datelike, NaiveDate};

use super::raw::{RawField, Scalar};
use super::{Deployment, InvalidRecord, Plan, Record, RecordProblem};
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

/// For keys that are already hashes (from a randomly seeded hasher): use them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// User text longer than this is cut short in messages.
const SHOWN_CHARS: usize = 60;

/// `text`, cut at a character boundary if it is long, ready to go between backticks.
pub(crate) fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", text.get(..cut).unwrap_or(""))),
        None => Cow::Borrowed(text),
    }
}

fn problem(field: Option<&str>, message: String, help: Option<String>) -> RecordProblem {
    RecordProblem { field: field.map(str::to_owned), message, help }
}

/// Checks raw records against a vocabulary and collects the results in input order.
pub(crate) struct Validator<'v> {
    vocab: &'v Vocabulary,
    names: FnvMap<&'v str, Slot>,
    /// Every name a record may use, for "did you mean": `id`, `date`, fields, flags.
    known: Vec<&'v str>,
    /// For each field, its values by name.
    values: Vec<FnvMap<&'v str, ValueId>>,
    /// CSV cells are text: there the words `true` and `false` are the booleans.
    text_booleans: bool,
    /// For each slot, the position of the last record that gave it (to find a field given twice).
    seen: Vec<usize>,
    ids: IdIndex,
    records: Vec<Record>,
    flag_buffer: Vec<FlagId>,
}

impl<'v> Validator<'v> {
    pub(crate) fn new(vocab: &'v Vocabulary, text_booleans: bool) -> Validator<'v> {
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
        Validator {
            vocab,
            names,
            known,
            values,
            text_booleans,
            seen: vec![0; 2 + vocab.fields.len() + vocab.flags.len()],
            ids: IdIndex::default(),
            records: Vec::new(),
            flag_buffer: Vec::new(),
        }
    }

    /// Makes room for about `records` more records, when a reader can tell cheaply (one a line).
    pub(crate) fn reserve(&mut self, records: usize) {
        self.records.reserve(records);
        self.ids.by_hash.reserve(records);
    }

    /// The position the next record gets.
    pub(crate) fn next_position(&self) -> usize {
        self.records.len() + 1
    }

    pub(crate) fn finish(self) -> Plan {
        Plan { records: self.records }
    }

    fn slot_index(&self, slot: Slot) -> usize {
        match slot {
            Slot::Id => 0,
            Slot::Date => 1,
            Slot::Field(f) => 2 + f.0 as usize,
            Slot::Flag(g) => 2 + self.vocab.fields.len() + g.0 as usize,
        }
    }

    /// A record that could not be read as fields at all (an NDJSON line that is not JSON, a list
    /// entry that is not a mapping, a CSV row with the wrong number of cells).
    /// `id` is the record's id when it can still be made out (a CSV row with too few cells).
    pub(crate) fn push_unreadable(&mut self, line: Option<usize>, id: Option<&str>, problem: RecordProblem) {
        let position = self.next_position();
        let mut problems = vec![problem];
        let id = match id {
            Some(id) if !id.is_empty() => id.to_owned(),
            _ => format!("#{position}"),
        };
        if let Some(first) = self.ids.first_use(&id, position, &self.records) {
            problems.push(duplicate_id(&id, first));
        }
        self.records.push(Record::Invalid(InvalidRecord { id, position, line, problems }));
    }

    /// Checks one record's fields and records the result.
    pub(crate) fn push(&mut self, line: Option<usize>, fields: &[RawField<'_>]) {
        let position = self.next_position();
        let mut problems: Vec<RecordProblem> = Vec::new();
        let mut id: Option<String> = None;
        let mut date: Option<NaiveDate> = None;
        let mut values: Vec<Option<ValueId>> = vec![None; self.vocab.fields.len()];
        // The true flags gather in a reused buffer; the record gets an exact copy (none if empty).
        let mut flags = std::mem::take(&mut self.flag_buffer);
        flags.clear();

        for (name, value) in fields {
            let name: &str = name;
            let Some(&slot) = self.names.get(name) else {
                if !(name.is_empty() && *value == Scalar::Null) {
                    problems.push(self.unknown_field(name));
                }
                continue;
            };
            let index = self.slot_index(slot);
            match self.seen.get_mut(index) {
                Some(seen) if *seen == position => {
                    let message = format!("field `{}` is given twice", shown(name));
                    // A field given three times is still reported once.
                    if !problems.iter().any(|p| p.message == message) {
                        problems.push(problem(Some(name), message, Some("give each field once".to_owned())));
                    }
                    continue;
                }
                Some(seen) => *seen = position,
                None => {}
            }
            match slot {
                Slot::Id => match check_id(value) {
                    Ok(given) => id = given,
                    Err(p) => problems.push(p),
                },
                Slot::Date => match value {
                    Scalar::Null => {}
                    _ => match check_date(value) {
                        Ok(d) => date = Some(d),
                        Err(p) => problems.push(p),
                    },
                },
                Slot::Field(field) => match self.check_value(field, value) {
                    Ok(v) => {
                        if let Some(entry) = values.get_mut(field.0 as usize) {
                            *entry = v;
                        }
                    }
                    Err(p) => problems.push(p),
                },
                Slot::Flag(flag) => match self.check_flag(flag, value) {
                    Ok(true) => flags.push(flag),
                    Ok(false) => {}
                    Err(p) => problems.push(p),
                },
            }
        }

        // Missing required fields, unless the field was given with a bad value (already reported).
        for (field, value) in self.vocab.fields.iter().zip(&values) {
            if value.is_none() && !field.optional && !reported(&problems, &field.name) {
                problems.push(problem(
                    Some(&field.name),
                    format!("missing field `{}`", field.name),
                    Some(expected_one_of(&field.values)),
                ));
            }
        }
        if date.is_none() && !reported(&problems, "date") {
            problems.push(problem(
                Some("date"),
                "missing field `date`".to_owned(),
                Some("write the date as YYYY-MM-DD, like 2030-02-03".to_owned()),
            ));
        }

        let (id, explicit) = match id {
            Some(id) => (id, true),
            None => (format!("#{position}"), false),
        };
        if let Some(first) = self.ids.first_use(&id, position, &self.records) {
            problems.push(if explicit {
                duplicate_id(&id, first)
            } else {
                problem(
                    Some("id"),
                    format!("this record's default id `{id}` is already used by record #{first}"),
                    Some("give this record an `id`".to_owned()),
                )
            });
        }

        let record = match date {
            Some(date) if problems.is_empty() => {
                flags.sort_unstable();
                flags.dedup();
                Record::Valid(Deployment { id, position, line, values, flags: flags.to_vec(), date })
            }
            _ => Record::Invalid(InvalidRecord { id, position, line, problems }),
        };
        self.records.push(record);
        self.flag_buffer = flags;
    }

    fn unknown_field(&self, name: &str) -> RecordProblem {
        let help = suggest::help(name, self.known.iter().copied())
            .unwrap_or_else(|| format!("the fields are {}", self.known.join(", ")));
        let message = if name.is_empty() {
            "a field has no name".to_owned()
        } else {
            format!("unknown field `{}`", shown(name))
        };
        problem(Some(name), message, Some(help))
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
                    Some(name),
                    format!("expected a single {name}, found {what}"),
                    Some(expected_one_of(&def.values)),
                ))
            }
        };
        if let Some(v) = self.values.get(field.0 as usize).and_then(|m| m.get(text.as_ref())) {
            return Ok(Some(*v));
        }
        if text.is_empty() {
            return Err(problem(
                Some(name),
                format!("field `{name}` is empty"),
                Some(expected_one_of(&def.values)),
            ));
        }
        let help = suggest::help(&text, def.values.iter().map(String::as_str))
            .unwrap_or_else(|| expected_one_of(&def.values));
        Err(problem(Some(name), format!("unknown {name} `{}`", shown(&text)), Some(help)))
    }

    fn check_flag(&self, flag: FlagId, value: &Scalar<'_>) -> Result<bool, RecordProblem> {
        let name = self.vocab.flags.get(flag.0 as usize).map_or("", |f| f.name.as_str());
        let (found, help) = match value {
            Scalar::Bool(b) => return Ok(*b),
            Scalar::Null => return Ok(false),
            Scalar::Str(s) if self.text_booleans => match s.as_ref() {
                "true" => return Ok(true),
                "false" => return Ok(false),
                _ => {
                    (format!("`{}`", shown(s)), "write `true` or `false`, or leave the cell empty for false")
                }
            },
            Scalar::Str(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                (format!("the text `\"{}\"`", shown(s)), "write true or false without quotes")
            }
            Scalar::Str(s) => (
                format!("`{}`", shown(s)),
                "write true or false; words like yes, no, on and off are not booleans here",
            ),
            Scalar::Int(n) => (format!("`{n}`"), "write true or false"),
            Scalar::Other(what) => ((*what).to_owned(), "write true or false"),
        };
        Err(problem(Some(name), format!("expected true or false, found {found}"), Some(help.to_owned())))
    }
}

fn duplicate_id(id: &str, first: usize) -> RecordProblem {
    problem(
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

/// The id a record gives, `None` for no id (absent or empty value).
fn check_id(value: &Scalar<'_>) -> Result<Option<String>, RecordProblem> {
    match value {
        Scalar::Null => Ok(None),
        Scalar::Str(s) if s.is_empty() => Err(problem(
            Some("id"),
            "the id is empty".to_owned(),
            Some("leave `id` out to name the record by its position".to_owned()),
        )),
        Scalar::Str(s) => Ok(Some(s.clone().into_owned())),
        Scalar::Int(n) => Ok(Some(n.to_string())),
        Scalar::Bool(b) => Err(problem(
            Some("id"),
            format!("expected text for the id, found `{b}`"),
            Some("put the id in quotes".to_owned()),
        )),
        Scalar::Other(what) => {
            Err(problem(Some("id"), format!("expected text for the id, found {what}"), None))
        }
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
                Some("date"),
                format!("expected a date, found {what}"),
                Some("write the date as YYYY-MM-DD, like 2030-02-03".to_owned()),
            ))
        }
    };
    parse_date(&text).map_err(|(message, help)| problem(Some("date"), message, help))
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

/// Which record first used each id, without a separate allocation per id: ids are looked up by
/// hash, and compared against the id stored in the earlier record. Hash collisions between
/// different ids fall back to a small map keyed by the id itself.
#[derive(Default)]
struct IdIndex {
    hasher: RandomState,
    by_hash: HashMap<u64, usize, BuildHasherDefault<Prehashed>>,
    collided: HashMap<String, usize>,
}

impl IdIndex {
    /// The position of the record that already uses `id`, or `None` after noting that `position`
    /// uses it now.
    fn first_use(&mut self, id: &str, position: usize, records: &[Record]) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        match self.by_hash.get(&hash) {
            None => {
                self.by_hash.insert(hash, position);
                None
            }
            Some(&earlier) => {
                let earlier_id = earlier.checked_sub(1).and_then(|i| records.get(i)).map(record_id);
                if earlier_id == Some(id) {
                    return Some(earlier);
                }
                if let Some(&first) = self.collided.get(id) {
                    return Some(first);
                }
                self.collided.insert(id.to_owned(), position);
                None
            }
        }
    }
}

fn record_id(record: &Record) -> &str {
    match record {
        Record::Valid(d) => &d.id,
        Record::Invalid(r) => &r.id,
    }
}
