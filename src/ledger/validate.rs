//! The one validator of ledger entries: raw fields in (from any format), checked [`EntryRecord`]s
//! out, every problem of an entry named with its field and, where one is close, a "did you mean".
//!
//! Each entry is checked on its own ([`Validator::entry`]); then, once every entry is in,
//! [`Validator::finish`] names the entries without an id by their position and checks what needs
//! the earlier entries: a duplicate id, and a period that overlaps a different period of the same
//! two parties (which would count the same days twice). Every entry pushed comes out exactly once,
//! in order. Never panics on user input.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::money::{self, Money};
use super::period::{self, Period};
use super::{ClauseName, Entry, EntryRecord, Kind};
use crate::model::{AgreementId, ClauseRef, RuleSet, Statement, ValueId};
use crate::plan::raw::{RawField, Scalar};
use crate::plan::validate::{parse_date, shown, Place, MAX_PROBLEMS};
use crate::plan::{InvalidRecord, RecordProblem};
use crate::suggest;

/// Every field an entry may have, in the order the documentation lists them.
pub const FIELDS: [&str; 9] =
    ["id", "date", "kind", "payer", "payee", "amount", "period", "clause", "reference"];

const KINDS: [&str; 2] = ["revenue", "payment"];

const DATE_HELP: &str = "write the date as YYYY-MM-DD, like 2027-03-31";

fn problem(
    code: &'static crate::diagnostic::Code,
    field: &str,
    message: String,
    help: Option<String>,
) -> RecordProblem {
    RecordProblem { code, field: Some(field.to_owned()), message, help }
}

/// Checks raw entries against the rules' parties and clauses.
pub(super) struct Validator<'r> {
    rules: &'r RuleSet,
    parties: Vec<&'r str>,
    /// Every name an entry's `clause` may give, with the clauses it stands for: each clause id
    /// that has a payment term, and each `agreement.clause` of those.
    clause_names: Vec<(String, Vec<(AgreementId, ClauseRef)>)>,
    entries: Vec<EntryRecord>,
}

impl crate::plan::validate::Records for Validator<'_> {
    fn record(&mut self, at: Place, fields: &[RawField<'_>]) {
        self.entry(at, fields);
    }

    fn unreadable(&mut self, at: Place, id: Option<&str>, problem: RecordProblem) {
        Validator::unreadable(self, at, id, problem);
    }
}

impl<'r> Validator<'r> {
    pub(super) fn new(rules: &'r RuleSet) -> Validator<'r> {
        let parties = match rules.party {
            Some(f) => rules.vocabulary.fields[f.0 as usize].values.iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        let mut clause_names: Vec<(String, Vec<(AgreementId, ClauseRef)>)> = Vec::new();
        for (ai, a) in rules.agreements.iter().enumerate() {
            for (ci, c) in a.clauses.iter().enumerate() {
                if !c.statements.iter().any(|s| matches!(s, Statement::Payment(_))) {
                    continue;
                }
                let at = (AgreementId(ai as u32), ClauseRef(ci as u32));
                match clause_names.iter_mut().find(|(n, _)| *n == c.id) {
                    Some((_, list)) => list.push(at),
                    None => clause_names.push((c.id.clone(), vec![at])),
                }
                clause_names.push((format!("{}.{}", a.id, c.id), vec![at]));
            }
        }
        Validator { rules, parties, clause_names, entries: Vec::new() }
    }

    /// Forgets the entries read so far: a reader that starts the document again (YAML read
    /// entry by entry after the whole failed) must not hand any entry on twice.
    pub(super) fn reset(&mut self) {
        self.entries.clear();
    }

    /// Whether `name` is a field an entry may give (for telling a CSV header from data).
    pub(super) fn knows(&self, name: &str) -> bool {
        FIELDS.contains(&name)
    }

    /// An entry that could not be read as fields at all; `id` when it can still be made out.
    pub(super) fn unreadable(&mut self, at: Place, id: Option<&str>, problem: RecordProblem) {
        let position = self.entries.len() + 1;
        self.entries.push(EntryRecord::Invalid(InvalidRecord {
            id: id.unwrap_or_default().to_owned(),
            position,
            line: at.line,
            column: at.column,
            problems: vec![problem],
        }));
    }

    /// Checks one entry's fields.
    pub(super) fn entry(&mut self, at: Place, fields: &[RawField<'_>]) {
        let position = self.entries.len() + 1;
        let mut problems: Vec<RecordProblem> = Vec::new();
        let mut given: Vec<&str> = Vec::new();
        let mut more_unknown = 0usize;
        let mut f = Fields::default();
        for (name, value) in fields {
            let name: &str = name;
            let Some(&field) = FIELDS.iter().find(|f| **f == name) else {
                if name.is_empty() && *value == Scalar::Null {
                    continue;
                }
                if problems.len() < MAX_PROBLEMS {
                    let help = suggest::help(name, FIELDS)
                        .unwrap_or_else(|| format!("the fields are {}", FIELDS.join(", ")));
                    let message = if name.is_empty() {
                        "a field has no name".to_owned()
                    } else {
                        format!("unknown field `{}`", shown(name))
                    };
                    problems.push(problem(
                        crate::diagnostic::codes::UNKNOWN_FIELD,
                        name,
                        message,
                        Some(help),
                    ));
                } else {
                    more_unknown += 1;
                }
                continue;
            };
            if given.contains(&field) {
                let message = format!("field `{field}` is given twice");
                if !problems.iter().any(|p| p.message == message) {
                    problems.push(problem(
                        crate::diagnostic::codes::REPEATED_FIELD,
                        field,
                        message,
                        Some("give each field once".into()),
                    ));
                }
                continue;
            }
            given.push(field);
            if *value == Scalar::Null {
                continue;
            }
            let checked = match field {
                "id" => text(field, value, crate::diagnostic::codes::BAD_ID).map(|t| f.id = Some(t)),
                "date" => date(value).map(|d| f.date = Some(d)),
                "kind" => kind(value).map(|k| f.kind = Some(k)),
                "payer" => self.party(field, value).map(|p| f.payer = Some(p)),
                "payee" => self.party(field, value).map(|p| f.payee = Some(p)),
                "amount" => amount(value).map(|m| f.money = Some(m)),
                "period" => period(value).map(|p| f.period = Some(p)),
                "clause" => self.clause(value).map(|c| f.clause = Some(c)),
                _ => text(field, value, crate::diagnostic::codes::WRONG_TYPE).map(|t| f.reference = Some(t)),
            };
            if let Err(p) = checked {
                problems.push(p);
            }
        }
        if more_unknown > 0 {
            problems.push(RecordProblem {
                code: crate::diagnostic::codes::UNKNOWN_FIELD,
                field: None,
                message: format!(
                    "and {more_unknown} more unknown field{}",
                    if more_unknown == 1 { "" } else { "s" }
                ),
                help: Some(format!("the fields are {}", FIELDS.join(", "))),
            });
        }
        let missing = |field: &str, help: String| {
            problem(
                crate::diagnostic::codes::MISSING_FIELD,
                field,
                format!("missing field `{field}`"),
                Some(help),
            )
        };
        // A field given with a bad value is reported as such, not as missing too.
        let reported = |problems: &[RecordProblem], field: &str| {
            problems.iter().any(|p| p.field.as_deref() == Some(field))
        };
        let party_help = || self.expected_party();
        for (field, absent, help) in [
            ("date", f.date.is_none(), DATE_HELP.to_owned()),
            (
                "kind",
                f.kind.is_none(),
                "write `revenue` (revenue reported) or `payment` (a payment made)".to_owned(),
            ),
            ("payer", f.payer.is_none(), party_help()),
            ("payee", f.payee.is_none(), party_help()),
            ("amount", f.money.is_none(), "write the amount and its currency, like `1250000 USD`".to_owned()),
            ("period", f.period.is_none(), "write the period it is for: 2027, 2027-Q1 or 2027-03".to_owned()),
        ] {
            if absent && !reported(&problems, field) {
                problems.push(missing(field, help));
            }
        }
        let id = match f {
            Fields {
                id,
                date: Some(date),
                kind: Some(kind),
                payer: Some(payer),
                payee: Some(payee),
                money: Some(money),
                period: Some(period),
                clause,
                reference,
            } if problems.is_empty() => {
                let entry = Entry {
                    id: id.unwrap_or_default(),
                    position,
                    line: at.line,
                    column: at.column,
                    date,
                    kind,
                    payer,
                    payee,
                    money,
                    period,
                    clause,
                    reference,
                };
                problems.extend(self.together(&entry));
                if problems.is_empty() {
                    self.entries.push(EntryRecord::Valid(entry));
                    return;
                }
                Some(entry.id)
            }
            Fields { id, .. } => id,
        };
        self.entries.push(EntryRecord::Invalid(InvalidRecord {
            id: id.unwrap_or_default(),
            position,
            line: at.line,
            column: at.column,
            problems,
        }));
    }

    /// What the fields of a well-formed entry must be together.
    fn together(&self, e: &Entry) -> Vec<RecordProblem> {
        let mut out = Vec::new();
        let party = |v: ValueId| self.parties.get(v.0 as usize).copied().unwrap_or("");
        if e.payer == e.payee {
            out.push(problem(
                crate::diagnostic::codes::SELF_PAYMENT,
                "payee",
                format!("the payer and the payee are both `{}`", party(e.payer)),
                Some("an entry is between two parties: whose revenue, or who pays, and to whom".into()),
            ));
        }
        if e.kind == Kind::Revenue && !e.period.contains(e.date) {
            out.push(problem(
                crate::diagnostic::codes::DATE_OUTSIDE_PERIOD,
                "date",
                format!("revenue for {} is dated {}, outside its period", e.period, e.date),
                Some(format!(
                    "date revenue on the day it is counted, within its period: {} to {}",
                    e.period.first, e.period.last
                )),
            ));
        }
        if let Some(name) = &e.clause {
            let fits = name.clauses.iter().any(|&(a, c)| {
                self.rules.agreement(a).clause(c).statements.iter().any(|s| match s {
                    Statement::Payment(p) => {
                        p.payer == e.payer
                            && p.payee == e.payee
                            && (e.kind == Kind::Payment || (!p.forbidden && p.share.is_some()))
                    }
                    _ => false,
                })
            });
            if !fits && e.payer != e.payee {
                let what = match e.kind {
                    Kind::Revenue => "revenue share",
                    Kind::Payment => "payment term",
                };
                out.push(problem(
                    crate::diagnostic::codes::NO_SUCH_TERM,
                    "clause",
                    format!(
                        "clause `{}` has no {what} from {} to {}",
                        shown(&name.text),
                        party(e.payer),
                        party(e.payee)
                    ),
                    Some("name a clause whose payment term is between the entry's payer and payee, or leave `clause` out".into()),
                ));
            }
        }
        out
    }

    fn expected_party(&self) -> String {
        if self.parties.is_empty() {
            "the rules declare no `party` field, so no entry can name a party".to_owned()
        } else {
            format!("expected one of {}", self.parties.join(", "))
        }
    }

    fn party(&self, field: &str, value: &Scalar<'_>) -> Result<ValueId, RecordProblem> {
        let text = scalar_text(value).ok_or_else(|| {
            problem(
                crate::diagnostic::codes::WRONG_TYPE,
                field,
                format!("expected a single party, found {}", describe(value)),
                Some(self.expected_party()),
            )
        })?;
        if let Some(i) = self.parties.iter().position(|p| *p == text) {
            return Ok(ValueId(i as u16));
        }
        let help =
            suggest::help(&text, self.parties.iter().copied()).unwrap_or_else(|| self.expected_party());
        let message = if text.is_empty() {
            format!("field `{field}` is empty")
        } else {
            format!("unknown party `{}`", shown(&text))
        };
        Err(problem(crate::diagnostic::codes::UNKNOWN_VALUE, field, message, Some(help)))
    }

    fn clause(&self, value: &Scalar<'_>) -> Result<ClauseName, RecordProblem> {
        let text = scalar_text(value).ok_or_else(|| {
            problem(
                crate::diagnostic::codes::WRONG_TYPE,
                "clause",
                format!("expected the name of a clause, found {}", describe(value)),
                None,
            )
        })?;
        if let Some((_, clauses)) = self.clause_names.iter().find(|(n, _)| *n == text) {
            return Ok(ClauseName { text: text.into_owned(), clauses: clauses.clone() });
        }
        let help = suggest::help(&text, self.clause_names.iter().map(|(n, _)| n.as_str())).or_else(|| {
            let plain: Vec<&str> =
                self.clause_names.iter().map(|(n, _)| n.as_str()).filter(|n| !n.contains('.')).collect();
            (!plain.is_empty()).then(|| format!("the clauses with payment terms are {}", plain.join(", ")))
        });
        Err(problem(
            crate::diagnostic::codes::UNKNOWN_CLAUSE,
            "clause",
            format!("no clause with a payment term is called `{}`", shown(&text)),
            help,
        ))
    }

    /// Names entries without an id, and finds duplicate ids and overlapping periods: what needs
    /// the entries before. The entries come back in input order, each exactly once.
    pub(super) fn finish(mut self) -> Vec<EntryRecord> {
        let mut ids: HashMap<String, usize> = HashMap::new();
        // Per (payer, payee): each distinct period used so far, with the first entry that used it.
        let mut periods: HashMap<(ValueId, ValueId), Vec<(Period, usize)>> = HashMap::new();
        for i in 0..self.entries.len() {
            let record = &mut self.entries[i];
            let position = record.position();
            let id = match record {
                EntryRecord::Valid(e) => &mut e.id,
                EntryRecord::Invalid(r) => &mut r.id,
            };
            let defaulted = id.is_empty();
            if defaulted {
                *id = format!("#{position}");
            }
            let id = id.clone();
            let mut found = Vec::new();
            match ids.get(&id) {
                Some(&first) => found.push(problem(
                    crate::diagnostic::codes::DUPLICATE_ID,
                    "id",
                    if defaulted {
                        format!("this entry's default id `{id}` is already used by entry #{first}")
                    } else {
                        format!("id `{}` is already used by entry #{first}", shown(&id))
                    },
                    Some(
                        if defaulted { "give this entry an `id`" } else { "give each entry its own id" }
                            .into(),
                    ),
                )),
                None => {
                    ids.insert(id, position);
                }
            }
            if let EntryRecord::Valid(e) = &self.entries[i] {
                let used = periods.entry((e.payer, e.payee)).or_default();
                let clash = used.iter().find(|(p, _)| *p != e.period && p.overlaps(&e.period));
                match clash {
                    Some((p, first)) => found.push(problem(
                        crate::diagnostic::codes::OVERLAPPING_PERIOD,
                        "period",
                        format!(
                            "period {} overlaps period {p} of entry #{first} between the same parties",
                            e.period
                        ),
                        Some("use one length of period for the same two parties, years, quarters or months, so no day is counted twice".into()),
                    )),
                    None if found.is_empty() && !used.iter().any(|(p, _)| *p == e.period) => {
                        used.push((e.period, position));
                    }
                    None => {}
                }
            }
            if !found.is_empty() {
                let record = std::mem::replace(
                    &mut self.entries[i],
                    EntryRecord::Invalid(InvalidRecord {
                        id: String::new(),
                        position,
                        line: None,
                        column: None,
                        problems: Vec::new(),
                    }),
                );
                self.entries[i] = EntryRecord::Invalid(match record {
                    EntryRecord::Valid(e) => {
                        InvalidRecord { id: e.id, position, line: e.line, column: e.column, problems: found }
                    }
                    EntryRecord::Invalid(mut r) => {
                        r.problems.extend(found);
                        r
                    }
                });
            }
        }
        self.entries
    }
}

/// The fields of one entry as they are read.
#[derive(Default)]
struct Fields {
    id: Option<String>,
    date: Option<NaiveDate>,
    kind: Option<Kind>,
    payer: Option<ValueId>,
    payee: Option<ValueId>,
    money: Option<Money>,
    period: Option<Period>,
    clause: Option<ClauseName>,
    reference: Option<String>,
}

/// A value as text, if it is a single value (text, a whole number, a boolean word).
fn scalar_text<'a>(value: &'a Scalar<'_>) -> Option<Cow<'a, str>> {
    match value {
        Scalar::Str(s) => Some(Cow::Borrowed(s.as_ref())),
        Scalar::Int(n) => Some(Cow::Owned(n.to_string())),
        Scalar::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Scalar::Null | Scalar::Other(_) => None,
    }
}

fn describe(value: &Scalar<'_>) -> &'static str {
    use crate::plan::raw;
    match value {
        Scalar::Str(_) => raw::TEXT,
        Scalar::Int(_) => raw::NUMBER,
        Scalar::Bool(_) => raw::BOOLEAN,
        Scalar::Null => raw::EMPTY,
        Scalar::Other(what) => what,
    }
}

fn text(
    field: &str,
    value: &Scalar<'_>,
    code: &'static crate::diagnostic::Code,
) -> Result<String, RecordProblem> {
    match value {
        Scalar::Str(s) if s.is_empty() => Err(problem(
            code,
            field,
            format!("field `{field}` is empty"),
            Some(format!("leave `{field}` out rather than empty")),
        )),
        Scalar::Str(s) => Ok(s.to_string()),
        Scalar::Int(n) => Ok(n.to_string()),
        _ => Err(problem(
            code,
            field,
            format!("expected text for `{field}`, found {}", describe(value)),
            Some(format!("put the {field} in quotes")),
        )),
    }
}

fn date(value: &Scalar<'_>) -> Result<NaiveDate, RecordProblem> {
    let Some(text) = scalar_text(value) else {
        return Err(problem(
            crate::diagnostic::codes::BAD_DATE,
            "date",
            format!("expected a date, found {}", describe(value)),
            Some(DATE_HELP.into()),
        ));
    };
    parse_date(&text)
        .map_err(|(message, help)| problem(crate::diagnostic::codes::BAD_DATE, "date", message, help))
}

fn kind(value: &Scalar<'_>) -> Result<Kind, RecordProblem> {
    let text = scalar_text(value).unwrap_or(Cow::Borrowed(""));
    match text.as_ref() {
        "revenue" => Ok(Kind::Revenue),
        "payment" => Ok(Kind::Payment),
        other => {
            let help = suggest::help(other, KINDS)
                .unwrap_or_else(|| "write `revenue` (revenue reported) or `payment` (a payment made)".into());
            let message = match value {
                Scalar::Str(_) | Scalar::Int(_) | Scalar::Bool(_) => {
                    format!("unknown kind `{}`", shown(other))
                }
                _ => format!("expected a kind, found {}", describe(value)),
            };
            Err(problem(crate::diagnostic::codes::UNKNOWN_VALUE, "kind", message, Some(help)))
        }
    }
}

fn amount(value: &Scalar<'_>) -> Result<Money, RecordProblem> {
    let bad = |message: String, help: Option<String>| {
        problem(crate::diagnostic::codes::BAD_AMOUNT, "amount", message, help)
    };
    match value {
        Scalar::Str(s) => money::parse(s).map_err(|e| bad(e.message, e.help)),
        Scalar::Int(n) => Err(bad(
            format!("the amount `{n}` has no currency"),
            Some(format!("write the amount with its currency, like `{n} USD`")),
        )),
        Scalar::Other(what) if *what == crate::plan::raw::DECIMAL => Err(bad(
            "expected an amount with its currency, found a decimal number".into(),
            Some("write the amount as text with its currency, like `1250000.50 USD`".into()),
        )),
        _ => Err(bad(
            format!("expected an amount with its currency, found {}", describe(value)),
            Some("write the amount and its currency, like `1250000 USD`".into()),
        )),
    }
}

fn period(value: &Scalar<'_>) -> Result<Period, RecordProblem> {
    let Some(text) = scalar_text(value) else {
        return Err(problem(
            crate::diagnostic::codes::BAD_PERIOD,
            "period",
            format!("expected a period, found {}", describe(value)),
            Some("write a year, a quarter or a month: 2027, 2027-Q1 or 2027-03".into()),
        ));
    };
    period::parse(&text)
        .map_err(|e| problem(crate::diagnostic::codes::BAD_PERIOD, "period", e.message, e.help))
}
