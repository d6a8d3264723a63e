//! `clausecheck ledger`: a ledger of reported revenue and payments made, checked against the
//! payment terms of the rules (`oblige … pays`, `forbid … pays`).
//!
//! The pipeline, one file per step:
//!
//! ```text
//! ledger text ──read──▶ raw entries ──validate──▶ Ledger (entries, or errors naming entry and field)
//! model::RuleSet ──terms──▶ payment terms (shares, commitments, forbids), in rule order
//! Ledger + terms + today ──attribute──▶ which row each entry goes to ──figures──▶ LedgerReport
//! ```
//!
//! A [`LedgerReport`] is plain data: figures per payment term and period, statuses, findings,
//! unmatched entries and entry errors. `report::ledger` writes it as text, JSON or NDJSON. What
//! each figure means is written down in `docs/ledger.md`.
//!
//! Nothing here decides when an agreement is in force: that is [`crate::eval::in_force`], asked
//! for each entry's date. Like `eval`, this module does no I/O and keeps no clock: "today", which
//! decides what is not yet due, is an argument. Money is exact ([`money`]): a figure is right to
//! the last digit or it is not given.
//!
//! ```
//! use clausecheck::{ledger, plan::PlanFormat, source::{SourceFile, Sources}};
//!
//! let mut sources = Sources::new();
//! sources.add(SourceFile::new("deal.terms", r#"
//!     vocabulary { party acme, bank }
//!     agreement deal "Royalty" {
//!       parties acme, bank
//!       effective 2026-01-01
//!       default allow
//!       clause royalty "Acme pays the bank 10% of its revenue" {
//!         quote "Acme shall pay ten per cent of its revenue"
//!         oblige acme pays bank 10% of revenue
//!       }
//!     }"#));
//! let rules = clausecheck::load_rules(&sources).expect("the rules are valid");
//! let csv = "date,kind,payer,payee,amount,period\n\
//!            2026-03-31,revenue,acme,bank,1000 USD,2026-Q1\n\
//!            2026-04-15,payment,acme,bank,90 USD,2026-Q1\n";
//! let entries = ledger::read(csv, PlanFormat::Csv, &rules).expect("a readable ledger");
//! let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
//! let report = ledger::check(&rules, &entries, today);
//! let row = &report.terms[0].rows[0];
//! assert_eq!((row.owed.to_string(), row.paid.to_string()), ("100".into(), "90".into()));
//! assert_eq!(row.status, ledger::Status::Violated); // underpaid by 10 USD
//! ```

mod assume;
mod attribute;
mod figures;
pub mod money;
mod outcome;
pub mod period;
mod read;
mod terms;
mod validate;

use chrono::NaiveDate;

use crate::model::{AgreementId, ClauseRef, RuleSet, ValueId};
use crate::plan::{InvalidRecord, PlanError, PlanFormat};

pub use assume::assume;
pub use money::Money;
pub use outcome::*;
pub use period::Period;
pub use terms::{Figure, Term, TermKind};

/// The name of the list that holds the entries of a YAML or JSON ledger.
pub const ENTRIES: &str = "entries";

/// Reads a ledger in any format and checks every entry on its own: every entry of the input comes
/// out exactly once in [`Ledger::entries`], in input order, valid or not. A [`PlanError`] means
/// the document as a whole could not be read (a YAML or JSON syntax error, a top level that is not
/// a mapping with one `entries` list, a CSV without a header, an input with nothing in it).
///
/// Never panics, whatever the text.
pub fn read(text: &str, format: PlanFormat, rules: &RuleSet) -> Result<Ledger, PlanError> {
    read_bytes(text.as_bytes(), format, rules)
}

/// [`read`] for bytes, the reader the CLI and the fuzz target drive: a YAML or JSON ledger that
/// is not UTF-8 is a [`PlanError`] naming the line; an NDJSON line or CSV cell that is not is an
/// error of its entry. Never panics.
pub fn read_bytes(bytes: &[u8], format: PlanFormat, rules: &RuleSet) -> Result<Ledger, PlanError> {
    let mut validator = validate::Validator::new(rules);
    read::read(bytes, format, &mut validator)?;
    Ok(Ledger { entries: validator.finish() })
}

/// Checks a ledger against the payment terms of the rules: pure, deterministic, no clock.
pub fn check(rules: &RuleSet, ledger: &Ledger, today: NaiveDate) -> LedgerReport {
    let terms = terms::terms(rules);
    let attributed = attribute::attribute(rules, &terms, ledger);
    figures::report(terms, ledger, attributed, today)
}

/// Every entry of a ledger, valid or not, in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub entries: Vec<EntryRecord>,
}

impl Ledger {
    pub fn valid(&self) -> impl Iterator<Item = (usize, &Entry)> {
        self.entries.iter().enumerate().filter_map(|(i, e)| match e {
            EntryRecord::Valid(e) => Some((i, e)),
            EntryRecord::Invalid(_) => None,
        })
    }
}

/// One entry of a ledger, valid or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryRecord {
    Valid(Entry),
    /// An entry with every problem found in it (reusing the plan's record errors: the same shape
    /// in every report).
    Invalid(InvalidRecord),
}

impl EntryRecord {
    pub fn id(&self) -> &str {
        match self {
            EntryRecord::Valid(e) => &e.id,
            EntryRecord::Invalid(r) => &r.id,
        }
    }

    pub fn position(&self) -> usize {
        match self {
            EntryRecord::Valid(e) => e.position,
            EntryRecord::Invalid(r) => r.position,
        }
    }

    pub fn line(&self) -> Option<usize> {
        match self {
            EntryRecord::Valid(e) => e.line,
            EntryRecord::Invalid(r) => r.line,
        }
    }
}

/// A checked ledger entry: revenue reported, or a payment made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's `id`, or `#N` (its 1-based position) when it has none.
    pub id: String,
    pub position: usize,
    /// 1-based line (and column) where the entry starts, where the format has lines.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The day revenue is counted on (within its period) or the day a payment is made.
    pub date: NaiveDate,
    pub kind: Kind,
    /// For revenue: whose revenue it is (the party that owes a share of it); for a payment: who pays.
    pub payer: ValueId,
    /// For revenue: the party a share of it is owed to; for a payment: who is paid.
    pub payee: ValueId,
    pub money: Money,
    /// The period the revenue was earned in, or the period a payment pays for.
    pub period: Period,
    /// The clause the entry is for, when the ledger names one (`clause: azure_commitment`).
    pub clause: Option<ClauseName>,
    /// The ledger's own reference (an invoice number), carried into the report.
    pub reference: Option<String>,
}

/// What an entry's `clause` field names: the text as written and the clauses it matches (by id
/// in any agreement, or `agreement.clause`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseName {
    pub text: String,
    pub clauses: Vec<(AgreementId, ClauseRef)>,
}

impl ClauseName {
    pub fn names(&self, agreement: AgreementId, clause: ClauseRef) -> bool {
        self.clauses.contains(&(agreement, clause))
    }
}

/// Revenue reported, or a payment made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Revenue,
    Payment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Revenue => "revenue",
            Kind::Payment => "payment",
        }
    }
}
