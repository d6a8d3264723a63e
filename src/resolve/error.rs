//! What the resolver finds wrong with a rule set that parses.
//!
//! Each variant says what triggers it. Messages follow one style: lowercase, no final period, the
//! user's words in backticks, no Rust type names. The place goes in the label, advice in help.

use crate::diagnostic::codes::{self, Code};
use crate::diagnostic::Diagnostic;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// `cloud = azrue` when `azrue` is no value of `cloud`; `when clowd = aws`; `unless declined`.
    #[error("unknown {kind} `{name}`")]
    UnknownName { kind: String, name: String, suggestion: Option<String>, known: Vec<String> },
    /// Two agreements called `msft_openai_2026`, two clauses `azure_first` in one agreement, a value
    /// listed twice in a field.
    #[error("{kind} `{name}` is defined twice")]
    Duplicate { kind: &'static str, name: String, first: Span },
    /// `effective 2030-02-30`, `date through 2030-2-3`, `effective 2032-06` (a month where a day is needed).
    #[error("`{text}` is not a valid date: {problem}")]
    BadDate { text: String, problem: String },
    /// `date between 2030 and 2026`, or an agreement that ends before it takes effect.
    #[error("this window ends before it starts: {start} is after {end}")]
    InvertedWindow { start: String, end: String },
    /// `param share = 120%`.
    #[error("`{text}` is more than 100%")]
    PercentOver100 { text: String },
    /// A number that cannot be held exactly, such as a 40-digit amount.
    #[error("`{text}` is not a number that can be used here")]
    BadNumber { text: String },
    /// `supersedes` chains that come back to where they started.
    #[error("agreement `{name}` supersedes itself through {chain}")]
    SupersedesCycle { name: String, chain: String },
    /// `exception to` chains that come back to where they started.
    #[error("clause `{name}` is an exception to itself through {chain}")]
    ExceptionCycle { name: String, chain: String },
    /// An agreement without `effective`, or a clause without `quote`.
    #[error("{owner} has no `{what}`")]
    Missing { owner: String, what: &'static str, help: &'static str },
    /// `effective` given twice in one agreement.
    #[error("`{what}` is given more than once")]
    Repeated { what: &'static str, first: Span },
    /// An event dated twice: in one events document, or by `--events` and the plan's `events`.
    #[error("event `{name}` is given a date more than once")]
    EventDatedTwice { name: String, first: Span },
    /// A clause with a quote but no permit, forbid, require, oblige or information.
    #[error("clause `{name}` says nothing: it has no rule, obligation or information")]
    EmptyClause { name: String },
    /// `launched(product, direct)` when `direct` is a value of two fields.
    #[error("`{name}` is a value of more than one field: {fields}")]
    AmbiguousValue { name: String, fields: String },
    /// `date through revshare_cap` where `revshare_cap` is money, or `capped at start_date`.
    #[error("{what} is {actual}, but {expected} is needed here")]
    WrongKind { what: String, actual: &'static str, expected: &'static str },
    /// `launched(product, product = api)`: one field named twice.
    #[error("`launched` names the field `{name}` twice")]
    RepeatedRelationField { name: String, first: Span },
    /// `when cloud` where `cloud` is a field, not a flag.
    #[error("`{name}` is a field, not a flag")]
    FieldUsedAsFlag { name: String, example: String },
    /// `oblige openai pays openai ...`.
    #[error("`{name}` cannot pay itself")]
    SelfPayment { name: String },
    /// A vocabulary field called `date` or `id`, which every deployment already has.
    #[error("`{name}` is a built-in field of every deployment and cannot be declared")]
    Reserved { name: String },
    /// `launched(...)` naming more than eight fields.
    #[error("`launched` can look at eight fields at most, not {count}")]
    TooManyFields { count: usize },
    /// A field with more than 65,535 values (or that many fields or flags): values are held as
    /// 16-bit numbers.
    #[error("{what} has {count} entries; at most 65535 are allowed")]
    TooMany { what: String, count: usize },
    /// More than [`super::MAX_CLAUSES`] clauses or [`super::MAX_AGREEMENTS`] agreements in one
    /// rule set; the place is the first one past the limit.
    #[error("the rule set has more than {limit} {what}")]
    RuleSetTooLarge { what: &'static str, limit: usize },
    /// Rules exist but no file declares a vocabulary.
    #[error("the rule set has no vocabulary")]
    NoVocabulary,
    /// Every file is empty, or holds only comments.
    #[error("the rules are empty: no file declares a vocabulary or an agreement")]
    EmptyRules,
    /// `when azure_declined = true`: a flag compared with a value.
    #[error("`{name}` is a flag, not a field")]
    FlagWithValue { name: String, bare: String },
    /// `product = api_products` where `api_products` is a class.
    #[error("`{name}` is a class of values, not a value")]
    ClassAsValue { name: String, example: String },
    /// `product in hardware` where `hardware` is a class of another field.
    #[error("`{name}` is a class of `{of}`, not of `{field}`")]
    ClassOfOtherField { name: String, of: String, field: String },
    /// `class api of product = ...` where `api` is a value of `product`.
    #[error("class `{name}` has the name of a value of `{field}`")]
    ClassNamedLikeValue { name: String, field: String, first: Span },
    /// `ends 7 years after effective` in an agreement with no `effective`.
    #[error("there is no `effective` date to count from")]
    NoStartToCount,
    /// `ends 9999999 years after effective`.
    #[error("{what} is beyond any date that can be used")]
    TooFar { what: String },
    /// `date within 90 days after 2026`: a year or month where the day counting starts is needed.
    #[error("`within` counts from a day, and `{text}` is not one")]
    WithinNeedsDay { text: String },
    /// `supersedes own.clause` naming a clause of the same agreement.
    #[error("an agreement cannot supersede its own clause `{name}`")]
    SupersedesOwnClause { name: String },
}

impl ResolveError {
    /// A stable code for each kind of error.
    pub fn code(&self) -> &'static Code {
        match self {
            ResolveError::UnknownName { .. } => codes::UNKNOWN_NAME,
            ResolveError::Duplicate { .. } => codes::DUPLICATE,
            ResolveError::BadDate { .. } => codes::BAD_DATE,
            ResolveError::InvertedWindow { .. } => codes::INVERTED_WINDOW,
            ResolveError::PercentOver100 { .. } => codes::BAD_PERCENT,
            ResolveError::BadNumber { .. } => codes::BAD_NUMBER,
            ResolveError::SupersedesCycle { .. } => codes::SUPERSEDES_CYCLE,
            ResolveError::ExceptionCycle { .. } => codes::EXCEPTION_CYCLE,
            ResolveError::Missing { .. } => codes::MISSING,
            ResolveError::Repeated { .. } | ResolveError::EventDatedTwice { .. } => codes::REPEATED,
            ResolveError::EmptyClause { .. } => codes::EMPTY_CLAUSE,
            ResolveError::AmbiguousValue { .. } => codes::AMBIGUOUS_VALUE,
            ResolveError::WrongKind { .. } => codes::WRONG_KIND,
            ResolveError::RepeatedRelationField { .. } => codes::REPEATED,
            ResolveError::FieldUsedAsFlag { .. } => codes::UNKNOWN_NAME,
            ResolveError::SelfPayment { .. } => codes::SELF_PAYMENT,
            ResolveError::Reserved { .. } => codes::RESERVED_NAME,
            ResolveError::TooManyFields { .. } => codes::TOO_MANY_FIELDS,
            ResolveError::TooMany { .. } | ResolveError::RuleSetTooLarge { .. } => codes::TOO_MANY,
            ResolveError::NoVocabulary => codes::NO_VOCABULARY,
            ResolveError::EmptyRules => codes::EMPTY_RULES,
            ResolveError::FlagWithValue { .. } => codes::UNKNOWN_NAME,
            ResolveError::ClassAsValue { .. } | ResolveError::ClassOfOtherField { .. } => codes::UNKNOWN_NAME,
            ResolveError::ClassNamedLikeValue { .. } => codes::DUPLICATE,
            ResolveError::NoStartToCount => codes::MISSING,
            ResolveError::TooFar { .. } => codes::BAD_DATE,
            ResolveError::WithinNeedsDay { .. } => codes::BAD_DATE,
            ResolveError::SupersedesOwnClause { .. } => codes::SUPERSEDES_CYCLE,
        }
    }

    /// The diagnostic for this error found at `span`.
    pub fn at(self, span: Span) -> Diagnostic {
        let (label, help, secondary): (&str, Option<String>, Option<(Span, &str)>) = match &self {
            ResolveError::UnknownName {
                suggestion, known, ..
            } => (
                "not declared",
                suggestion
                    .as_ref()
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| (!known.is_empty() && known.len() <= 12).then(|| format!("known: {}", known.join(", ")))),
                None,
            ),
            ResolveError::Duplicate { first, .. } => (
                "defined again here",
                Some("give each one its own name".into()),
                Some((*first, "first defined here")),
            ),
            // A wrong shape is explained by the message itself; a day that does not exist is not a
            // matter of shape, so the help points at the calendar instead.
            ResolveError::BadDate { problem, .. } if problem.contains("has") && problem.contains("days") => {
                ("no such day", Some("check the day and the month".into()), None)
            }
            // `effective 2026-02`: the source gives only the month (or year); say which day is meant.
            ResolveError::BadDate { text, problem } if problem.contains("single day") => {
                let (day, only) = if text.len() == 7 { (format!("{text}-01"), "month") } else { (format!("{text}-01-01"), "year") };
                (
                    "not a single day",
                    Some(format!(
                        "if the source gives only the {only}, write the day you take it to be and say so: `{day} assumed \"the source gives only the {only}\"`"
                    )),
                    None,
                )
            }
            ResolveError::BadDate { .. } => ("not a date", Some("write dates as YYYY-MM-DD, like 2032-12-31".into()), None),
            ResolveError::InvertedWindow { .. } => ("inverted window", Some("put the earlier date first".into()), None),
            ResolveError::PercentOver100 { .. } => ("over 100%", Some("a share is at most 100%".into()), None),
            ResolveError::BadNumber { .. } => ("this number", None, None),
            ResolveError::SupersedesCycle { .. } => (
                "part of a cycle",
                Some("an agreement can only replace agreements that came before it".into()),
                None,
            ),
            ResolveError::ExceptionCycle { .. } => (
                "part of a cycle",
                Some("make one clause the exception and the other the rule".into()),
                None,
            ),
            ResolveError::Missing { help, .. } => ("here", Some((*help).into()), None),
            ResolveError::Repeated { first, .. } => ("given again here", Some("keep one".into()), Some((*first, "first given here"))),
            ResolveError::EventDatedTwice { first, .. } => (
                "dated again here",
                Some("keep one date for each event: `--events` and a plan's `events` together may date it once".into()),
                Some((*first, "first dated here")),
            ),
            ResolveError::EmptyClause { .. } => (
                "this clause",
                Some("add `permit when ...`, `forbid when ...`, `require ...`, `oblige ...` or `information \"...\"`".into()),
                None,
            ),
            ResolveError::AmbiguousValue { name, .. } => (
                "ambiguous",
                Some(format!("name the field, like `field = {name}`")),
                None,
            ),
            ResolveError::WrongKind { .. } => ("used here", None, None),
            ResolveError::RepeatedRelationField { first, .. } => {
                ("named again here", Some("name each field once".into()), Some((*first, "first named here")))
            }
            ResolveError::FieldUsedAsFlag { example, .. } => {
                ("a field", Some(format!("compare a field with a value, like `{example}`")), None)
            }
            ResolveError::SelfPayment { .. } => ("payer and payee are the same", None, None),
            ResolveError::Reserved { .. } => ("reserved", Some("choose another name".into()), None),
            ResolveError::TooManyFields { .. } => ("too many fields", None, None),
            ResolveError::TooMany { .. } => ("too many", Some("split the field, or group its values".into()), None),
            ResolveError::RuleSetTooLarge { .. } => (
                "the first past the limit",
                Some("split the rule set, and check plans against each part on its own".into()),
                None,
            ),
            ResolveError::EmptyRules => (
                "nothing here",
                Some("write a `vocabulary { ... }` and an `agreement`; see docs/language.md, or run `clausecheck init`".into()),
                None,
            ),
            ResolveError::FlagWithValue { bare, .. } => {
                ("a flag", Some(format!("a flag is tested on its own: write it bare, `when {bare}`")), None)
            }
            ResolveError::ClassAsValue { example, .. } => ("a class", Some(format!("write `{example}`")), None),
            ResolveError::ClassOfOtherField { .. } => ("another field's class", None, None),
            ResolveError::ClassNamedLikeValue { first, .. } => (
                "the class",
                Some("give the class a name no value has".into()),
                Some((*first, "the value")),
            ),
            ResolveError::NoStartToCount => ("counted from here", Some("add `effective DATE`".into()), None),
            ResolveError::TooFar { .. } => ("too far", Some("durations may count up to 100000 days, months or years".into()), None),
            ResolveError::WithinNeedsDay { text } => (
                "not a day",
                Some(format!("name the day the time starts, like `{text}-01-01`", text = &text[..4.min(text.len())])),
                None,
            ),
            ResolveError::SupersedesOwnClause { .. } => (
                "its own clause",
                Some("remove the clause, or give it its own `ends`".into()),
                None,
            ),
            ResolveError::NoVocabulary => (
                "no vocabulary declared",
                Some("add a `vocabulary { ... }` block declaring the fields and their values".into()),
                None,
            ),
        };
        let mut d = Diagnostic::error(self.code(), self.to_string(), span, label).with_help_opt(help);
        if let Some((s, text)) = secondary {
            d = d.with_secondary(s, text);
        }
        d
    }
}
