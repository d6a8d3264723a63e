//! Deployment plans: reading YAML, JSON, NDJSON and CSV into checked [`Deployment`]s.
//!
//! A plan is read in two steps. First each format's reader turns text into raw records (field name →
//! scalar, with the record's position and line). Then one shared validator checks every raw record
//! against the vocabulary and produces either a [`Deployment`] or an [`InvalidRecord`] listing every
//! problem, with "did you mean" suggestions. A bad record never stops the others: every record of
//! the input comes out exactly once, in input order. Only a document that cannot be read at all (a
//! YAML or JSON syntax error, which leaves no way to tell the records apart; a CSV without a header)
//! is a [`PlanError`]. An NDJSON line that is not JSON is a problem of that record only.
//!
//! Code map: `yaml`, `json` (JSON and NDJSON) and `csv` read text into raw records (`raw`);
//! `document` checks the outer `{deployments: [...]}` shape; `validate` turns raw records into
//! [`Record`]s and owns every record-level message.
//!
//! This module does no file I/O: it reads from `&str`, so it serves the CLI, tests and a browser alike.

use chrono::NaiveDate;

use crate::model::{FieldId, FlagId, ValueId, Vocabulary};

pub(crate) mod csv;
pub(crate) mod document;
pub mod ids;
pub(crate) mod json;
pub mod ndjson;
pub(crate) mod raw;
mod scan;
pub mod spool;
pub(crate) mod validate;
pub(crate) mod yaml;

#[cfg(test)]
mod tests;

pub use validate::Schema;
use validate::{Place, TextBooleans, Validator};

/// Reads a plan in the given format and checks every record against the vocabulary, holding the
/// whole plan in memory: for case files, `explain` and tests. `check` streams instead
/// ([`read_records`], [`ndjson`], [`spool`]).
///
/// Every record of the input comes out exactly once in [`Plan::records`], in input order, valid or
/// not; a record whose id an earlier record already uses is invalid. A [`PlanError`] means the
/// document as a whole could not be read: a YAML or JSON syntax error, a top level that is not a
/// mapping with one `deployments` list (or has other keys), a CSV without a header row, or an
/// input with nothing in it.
pub fn read_plan(text: &str, format: PlanFormat, vocab: &Vocabulary) -> Result<Plan, PlanError> {
    let schema = Schema::new(vocab);
    let mut records = Vec::new();
    let mut ids = ids::Exact::default();
    read_records(text, format, &schema, &mut |record| {
        let mut record = record.clone();
        place(&mut record, 0);
        ids.check(&mut record);
        records.push(record);
    })?;
    Ok(Plan { records })
}

/// Reads every record of a plan document and hands each to `emit`, in input order. Positions count
/// from 1; a record without an id has an empty one until [`place`] names it. Duplicate ids are not
/// looked for (see [`ids`]).
pub fn read_records(
    text: &str,
    format: PlanFormat,
    schema: &Schema<'_>,
    emit: &mut dyn FnMut(&Record),
) -> Result<(), PlanError> {
    match format {
        PlanFormat::Yaml => yaml::read(text, schema, emit),
        PlanFormat::Json => json::read_json(text, schema, emit),
        PlanFormat::Ndjson => {
            if document::is_blank(text) {
                return Err(document::empty(&document::PLAN, ndjson::HELP));
            }
            let mut parser = ndjson::Parser::new(schema);
            parser.lines(text.as_bytes(), 1, true, emit);
            Ok(())
        }
        PlanFormat::Csv => csv::read(text.as_bytes(), schema, emit),
    }
}

/// Reads a CSV plan from any reader, one row at a time: memory does not grow with the plan.
pub fn read_csv(
    input: impl std::io::Read,
    schema: &Schema<'_>,
    emit: &mut dyn FnMut(&Record),
) -> Result<(), PlanError> {
    csv::read(input, schema, emit)
}

/// Gives a record its place in the whole plan: `offset` records came before the reader (or chunk)
/// that read it. A record without an id of its own is named by its position, `#N`.
pub fn place(record: &mut Record, offset: usize) {
    let (id, position) = match record {
        Record::Valid(d) => (&mut d.id, &mut d.position),
        Record::Invalid(r) => (&mut r.id, &mut r.position),
    };
    *position += offset;
    if id.is_empty() {
        *id = format!("#{position}");
    }
}

/// One deployment given as `field=value` pairs, as on a command line: checked exactly like a plan
/// record (values are text; `true` and `false` are booleans for flags; a field given twice is a
/// problem). Its id is `#1` unless the pairs give one.
pub fn read_pairs(pairs: &[(&str, &str)], vocab: &Vocabulary) -> Record {
    let schema = Schema::new(vocab);
    let mut validator = Validator::new(&schema, TextBooleans::Pairs);
    let fields: Vec<raw::RawField<'_>> = pairs
        .iter()
        .map(|(field, value)| {
            (std::borrow::Cow::Borrowed(*field), raw::Scalar::Str(std::borrow::Cow::Borrowed(*value)))
        })
        .collect();
    let mut record = validator.check(Place::default(), &fields).clone();
    place(&mut record, 0);
    record
}

/// One checked deployment, ready to evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// The record's `id`, or `#N` (its 1-based position) when it has none.
    pub id: String,
    /// 1-based position in the plan.
    pub position: usize,
    /// 1-based line where the record starts, where the format has lines.
    pub line: Option<usize>,
    /// 1-based column (in characters) where the record starts on its line.
    pub column: Option<usize>,
    /// The value of each vocabulary field, indexed by [`FieldId`]; `None` for an optional field left out.
    pub values: Vec<Option<ValueId>>,
    /// The flags that are true, sorted.
    pub flags: Vec<FlagId>,
    pub date: NaiveDate,
}

impl Deployment {
    pub fn value(&self, field: FieldId) -> Option<ValueId> {
        self.values.get(field.0 as usize).copied().flatten()
    }

    pub fn has_flag(&self, flag: FlagId) -> bool {
        self.flags.binary_search(&flag).is_ok()
    }
}

/// A record that could not be checked, with every problem found in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRecord {
    /// The record's `id` if it has a readable one, else `#N`.
    pub id: String,
    pub position: usize,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// At least one problem.
    pub problems: Vec<RecordProblem>,
}

/// One problem in one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    /// The stable code of the problem (`unknown-value`, `duplicate-id`, ...), from the registry.
    pub code: &'static crate::diagnostic::Code,
    /// The field at fault; `None` when the record as a whole is unreadable (an NDJSON line that is
    /// not JSON, a YAML entry that is not a mapping).
    pub field: Option<String>,
    /// Lowercase, no final period, user input in backticks: ``unknown cloud `azrue` ``.
    pub message: String,
    /// Advice, such as ``did you mean `azure`?``.
    pub help: Option<String>,
}

impl InvalidRecord {
    /// Each problem as a diagnostic located at the record in `plan`.
    pub fn diagnostics<'a>(
        &'a self,
        plan: &'a str,
    ) -> impl Iterator<Item = crate::diagnostic::Diagnostic> + 'a {
        self.problems.iter().map(move |p| {
            let location = crate::diagnostic::Location::Record {
                file: plan.to_owned(),
                record: self.id.clone(),
                position: self.position,
                line: self.line,
                column: self.column,
                field: p.field.clone(),
            };
            crate::diagnostic::Diagnostic::new(p.code, p.message.clone(), location)
                .with_help_opt(p.help.clone())
        })
    }
}

impl PlanError {
    /// The error as a diagnostic located in `plan`.
    pub fn to_diagnostic(&self, plan: &str) -> crate::diagnostic::Diagnostic {
        let location =
            crate::diagnostic::Location::File { file: plan.to_owned(), line: self.line, column: self.column };
        crate::diagnostic::Diagnostic::new(
            crate::diagnostic::codes::UNREADABLE_PLAN,
            self.message.clone(),
            location,
        )
        .with_help_opt(self.help.clone())
    }
}

/// Every record of a plan, valid or not, in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Valid(Deployment),
    Invalid(InvalidRecord),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub records: Vec<Record>,
}

impl Record {
    pub fn id(&self) -> &str {
        match self {
            Record::Valid(d) => &d.id,
            Record::Invalid(r) => &r.id,
        }
    }

    pub fn position(&self) -> usize {
        match self {
            Record::Valid(d) => d.position,
            Record::Invalid(r) => r.position,
        }
    }

    /// Makes the record an error because an earlier record (at `first`) has its id.
    pub fn mark_duplicate(&mut self, first: usize) {
        let problem = if self.id().starts_with('#') && self.id() == format!("#{}", self.position()) {
            RecordProblem {
                code: crate::diagnostic::codes::DUPLICATE_ID,
                field: Some("id".into()),
                message: format!(
                    "this record's default id `{}` is already used by record #{first}",
                    self.id()
                ),
                help: Some("give this record an `id`".to_owned()),
            }
        } else {
            validate::duplicate_id(self.id(), first)
        };
        match self {
            Record::Invalid(r) => r.problems.push(problem),
            Record::Valid(d) => {
                let d = std::mem::replace(d, Deployment::empty());
                *self = Record::Invalid(InvalidRecord {
                    id: d.id,
                    position: d.position,
                    line: d.line,
                    column: d.column,
                    problems: vec![problem],
                });
            }
        }
    }
}

impl Deployment {
    /// A deployment with nothing in it, to be filled (a buffer for decoding).
    pub fn empty() -> Deployment {
        Deployment {
            id: String::new(),
            position: 0,
            line: None,
            column: None,
            values: Vec::new(),
            flags: Vec::new(),
            date: NaiveDate::MIN,
        }
    }
}

impl Plan {
    pub fn deployments(&self) -> impl Iterator<Item = &Deployment> + Clone {
        self.records.iter().filter_map(|r| match r {
            Record::Valid(d) => Some(d),
            Record::Invalid(_) => None,
        })
    }
}

/// The input formats a plan may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    Yaml,
    Json,
    Ndjson,
    Csv,
}

impl PlanFormat {
    /// The format a file name's extension implies: `.yaml`/`.yml`, `.json`, `.ndjson`/`.jsonl`, `.csv`.
    pub fn from_path(path: &str) -> Option<PlanFormat> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(PlanFormat::Yaml),
            "json" => Some(PlanFormat::Json),
            "ndjson" | "jsonl" => Some(PlanFormat::Ndjson),
            "csv" => Some(PlanFormat::Csv),
            _ => None,
        }
    }
}

/// A plan document that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PlanError {
    pub message: String,
    /// 1-based line and column, where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<String>,
}
