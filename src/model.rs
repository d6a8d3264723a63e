//! The resolved rule set: what `resolve` produces and `eval` consumes.
//!
//! Everything here is checked: every name is bound to the vocabulary, every date exists, every window
//! is the right way round. Conditions are kept as plain data (never closures) so that later analyses —
//! the linter, the semantic diff, `explain` — can inspect them as well as evaluate them.
//!
//! Values of enumerated fields are interned as small integers ([`ValueId`]) per field, so evaluation
//! compares integers, not strings. Spans are kept so that every later finding can point at the rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::source::Span;

/// Index of an enumerated field in [`Vocabulary::fields`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldId(pub u16);

/// Index of a value within its field's [`Field::values`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ValueId(pub u16);

/// Index of a boolean flag in [`Vocabulary::flags`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlagId(pub u16);

/// The fields a deployment has, their allowed values, the named classes of values, and the
/// boolean flags.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub fields: Vec<Field>,
    pub flags: Vec<Flag>,
    pub classes: Vec<Class>,
}

/// A named group of one field's values, such as `api_products` of `product`: a property of the
/// values, declared once, so a condition `product in api_products` is a set of values like any
/// other and no deployment can be "in the class" without having one of its values.
#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    pub field: FieldId,
    pub values: Vec<ValueId>,
    pub span: Span,
}

/// One enumerated field, such as `cloud` with values `azure, aws, gcp, oracle`.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub values: Vec<String>,
    /// A plan record may leave an optional field out; a required one must be given.
    pub optional: bool,
    pub span: Span,
}

/// A boolean fact a deployment may carry, such as `azure_declined` (absent means false).
#[derive(Debug, Clone)]
pub struct Flag {
    pub name: String,
    pub span: Span,
}

impl Vocabulary {
    pub fn field(&self, name: &str) -> Option<FieldId> {
        self.fields.iter().position(|f| f.name == name).map(|i| FieldId(i as u16))
    }

    pub fn flag(&self, name: &str) -> Option<FlagId> {
        self.flags.iter().position(|f| f.name == name).map(|i| FlagId(i as u16))
    }

    pub fn value(&self, field: FieldId, name: &str) -> Option<ValueId> {
        self.fields[field.0 as usize].values.iter().position(|v| v == name).map(|i| ValueId(i as u16))
    }

    pub fn field_name(&self, field: FieldId) -> &str {
        &self.fields[field.0 as usize].name
    }

    pub fn value_name(&self, field: FieldId, value: ValueId) -> &str {
        &self.fields[field.0 as usize].values[value.0 as usize]
    }

    pub fn flag_name(&self, flag: FlagId) -> &str {
        &self.flags[flag.0 as usize].name
    }

    /// The class of this name, if one is declared.
    pub fn class(&self, name: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.name == name)
    }
}

/// A whole, checked rule set: the vocabulary and the agreements, in source order.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub vocabulary: Vocabulary,
    pub agreements: Vec<Agreement>,
    /// Every distinct `launched(...)` relation the clauses use, so a plan can index each once.
    pub relations: Vec<Relation>,
    /// The field called `party`, which `parties`, payments and duties name values of: looked up
    /// once here, so no later stage searches the vocabulary for it.
    pub party: Option<FieldId>,
    /// The events the rules declare, with the dates this run gives them.
    pub events: Vec<Event>,
}

impl RuleSet {
    pub fn agreement(&self, id: AgreementId) -> &Agreement {
        &self.agreements[id.index()]
    }

    pub fn clause(&self, key: ClauseKey) -> &Clause {
        self.agreement(key.agreement).clause(key.clause)
    }

    /// `agreement.clause`, as analysts write a clause of any agreement.
    pub fn clause_name(&self, key: ClauseKey) -> String {
        format!("{}.{}", self.agreement(key.agreement).id, self.clause(key).id)
    }

    /// A clause's name as seen from agreement `from`: its id alone within that agreement,
    /// `agreement.clause` from another.
    pub fn clause_name_from(&self, from: AgreementId, key: ClauseKey) -> String {
        if key.agreement == from {
            self.clause(key).id.clone()
        } else {
            self.clause_name(key)
        }
    }

    pub fn event(&self, id: EventId) -> &Event {
        &self.events[id.0 as usize]
    }

    /// Whether any clause is an exception to another.
    pub fn has_exceptions(&self) -> bool {
        self.agreements.iter().flat_map(|a| &a.clauses).any(|c| !c.exception_to.is_empty())
    }

    /// Whether any clause looks across the plan with `launched(...)`: then a plan must be read
    /// whole (its relation index built) before any deployment can be checked.
    pub fn uses_launched(&self) -> bool {
        !self.relations.is_empty()
    }
}

/// Index into [`RuleSet::events`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub u32);

/// Something that may happen on a date the rules do not fix: `merger_approved`. Its date is an
/// input of the run (`--events`, or a plan document's `events`); without one it is taken as not
/// having happened, and every verdict that rests on that says so ([`Event::assumed`]).
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub description: String,
    /// The day it happened (or will), when known.
    pub date: Option<NaiveDate>,
    /// For an event with no date: the assumption that it has not happened.
    pub assumed: Option<Assumption>,
    pub span: Span,
}

/// Index into [`RuleSet::agreements`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AgreementId(pub u32);

impl AgreementId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: String,
    pub title: String,
    /// Values of the `party` field that the agreement binds. Empty: it binds every deployment.
    pub parties: Vec<ValueId>,
    /// The first day in force. An agreement that takes effect when an event happens whose date
    /// is not known has `NaiveDate::MAX` here: it is not in force on any date.
    pub effective: Dated,
    /// The last day in force; `None` when it has no end, or ends at an event not known yet
    /// (then named in `open_until`).
    pub ends: Option<Dated>,
    /// Events without a date that would end the agreement when they happen.
    pub open_until: Vec<EventId>,
    /// Agreements this one replaces from its effective date on.
    pub supersedes: Vec<AgreementId>,
    /// The agreements that replace this one (the reverse of `supersedes`), filled by `resolve`.
    pub superseded_by: Vec<AgreementId>,
    /// Single clauses of other agreements this one replaces from its effective date on, while
    /// the rest of those agreements stays in force.
    pub supersedes_clauses: Vec<ClauseKey>,
    pub default: Default,
    pub params: Vec<Param>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

/// A date with the assumption, if any, it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    pub date: NaiveDate,
    pub assumed: Option<Assumption>,
    pub span: Span,
    /// How the date was reached when it is not written as a day, for `explain`: `7 years after
    /// effective (2025-03-01)`, `when merger_approved happens (2027-05-02)`.
    pub computed: Option<String>,
    /// The events the date was taken from, known or not.
    pub events: Vec<EventId>,
}

impl Dated {
    /// A day as written.
    pub fn day(date: NaiveDate, span: Span) -> Dated {
        Dated { date, assumed: None, span, computed: None, events: Vec::new() }
    }

    /// Whether the date is known: false for a start at an event that has not happened.
    pub fn is_known(&self) -> bool {
        self.date != NaiveDate::MAX
    }
}

/// Why a value the source does not state was chosen. Shown with every verdict that rests on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// What is assumed, for example `param revshare_cap = 0 USD` or `effective 2019-07-22`.
    pub subject: String,
    pub why: String,
}

/// What an agreement decides for a deployment no clause speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Default {
    Allow,
    Deny,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub value: Quantity,
    pub assumed: Option<Assumption>,
    pub span: Span,
}

/// Index of a parameter within its agreement's [`Agreement::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId(pub u32);

/// A value with a unit: exact decimals, never floating point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    Money { amount: Decimal, currency: String },
    Percent(Decimal),
    Date(NaiveDate),
    Number(Decimal),
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub id: String,
    pub title: String,
    pub quote: String,
    /// Clauses this clause is an exception to, of its own agreement or others: when it applies
    /// (and their agreements are in force), they are overridden.
    pub exception_to: Vec<ClauseKey>,
    /// The clause's own first day in force, when it starts later than its agreement.
    pub effective: Option<Dated>,
    /// The clause's own last day in force, when it ends before its agreement.
    pub ends: Option<Dated>,
    /// Events without a date that would end the clause when they happen.
    pub open_until: Vec<EventId>,
    /// Agreements that replace this clause from their effective date on (filled by `resolve`
    /// from their `supersedes agreement.clause`).
    pub superseded_by: Vec<AgreementId>,
    pub statements: Vec<Statement>,
    /// `severity advisory`: its violations are reported and counted apart and fail a run only
    /// when asked (`check --fail-on advisory`).
    pub severity: ClauseSeverity,
    pub span: Span,
}

/// How much a clause's violation weighs; `Mandatory` unless the clause says `severity advisory`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseSeverity {
    #[default]
    Mandatory,
    Advisory,
}

impl ClauseSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseSeverity::Mandatory => "mandatory",
            ClauseSeverity::Advisory => "advisory",
        }
    }
}

/// Index of a clause within its agreement. 32 bits: an agreement may hold more clauses than a
/// 16-bit index could count, and an index that wrapped would check a deployment against the wrong
/// clause (the resolver limits clauses per rule set far below this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClauseRef(pub u32);

impl ClauseRef {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A clause of any agreement of the rule set. Ordered by agreement, then clause: rule order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClauseKey {
    pub agreement: AgreementId,
    pub clause: ClauseRef,
}

impl Agreement {
    pub fn clause(&self, c: ClauseRef) -> &Clause {
        &self.clauses[c.index()]
    }
}

impl Clause {
    /// Whether any statement speaks to single deployments (permit, forbid, require).
    pub fn governs_deployments(&self) -> bool {
        self.statements.iter().any(|s| matches!(s, Statement::Rule(_)))
    }
}

#[derive(Debug, Clone)]
pub enum Statement {
    Rule(Rule),
    Payment(Payment),
    Duty(Duty),
    Information(Information),
}

/// A `permit`, `forbid` or `require` over single deployments.
#[derive(Debug, Clone)]
pub struct Rule {
    pub kind: RuleKind,
    /// The rule applies when this holds (`when ...`; absent means always)...
    pub when: Option<Condition>,
    /// ...and this does not (`unless ...`).
    pub unless: Option<Condition>,
    /// Where each condition is written (`when`, `unless`, the requirement), for quoting it back.
    pub when_span: Option<Span>,
    pub unless_span: Option<Span>,
    pub require_span: Option<Span>,
    /// The assumed values a term decided by this rule rests on (S11): the agreement's assumed
    /// dates and the assumed parameters its date tests read. Fixed by the rules, so computed once
    /// by the resolver rather than per deployment.
    pub assumptions: Vec<AssumptionRef>,
    pub span: Span,
}

/// A value the source does not state, on which a term rests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AssumptionRef {
    Effective(AgreementId),
    Ends(AgreementId),
    /// A clause's own `effective` or `ends`.
    ClauseEffective(ClauseKey),
    ClauseEnds(ClauseKey),
    Param(AgreementId, ParamId),
    /// An event without a date, taken as not having happened.
    Event(EventId),
}

impl AssumptionRef {
    pub fn resolve(self, rules: &RuleSet) -> Option<&Assumption> {
        match self {
            AssumptionRef::Effective(a) => rules.agreement(a).effective.assumed.as_ref(),
            AssumptionRef::Ends(a) => rules.agreement(a).ends.as_ref()?.assumed.as_ref(),
            AssumptionRef::ClauseEffective(c) => rules.clause(c).effective.as_ref()?.assumed.as_ref(),
            AssumptionRef::ClauseEnds(c) => rules.clause(c).ends.as_ref()?.assumed.as_ref(),
            AssumptionRef::Param(a, p) => rules.agreement(a).params[p.0 as usize].assumed.as_ref(),
            AssumptionRef::Event(e) => rules.event(e).assumed.as_ref(),
        }
    }
}

impl Rule {
    /// Every condition of the rule: `when`, `unless` and the requirement, those it has.
    pub fn conditions(&self) -> impl Iterator<Item = &Condition> {
        [self.when.as_ref(), self.unless.as_ref(), self.requirement()].into_iter().flatten()
    }

    /// [`Rule::conditions`], mutable.
    pub fn conditions_mut(&mut self) -> impl Iterator<Item = &mut Condition> {
        let requirement = match &mut self.kind {
            RuleKind::Require(c) => Some(c),
            RuleKind::Permit | RuleKind::Forbid => None,
        };
        [self.when.as_mut(), self.unless.as_mut(), requirement].into_iter().flatten()
    }

    /// The condition a `require` needs; `None` for a permit or forbid.
    pub fn requirement(&self) -> Option<&Condition> {
        match &self.kind {
            RuleKind::Require(c) => Some(c),
            RuleKind::Permit | RuleKind::Forbid => None,
        }
    }
}

impl Clause {
    /// The permit, forbid and require rules of the clause with their statement indexes.
    pub fn rules(&self) -> impl Iterator<Item = (usize, &Rule)> {
        self.statements.iter().enumerate().filter_map(|(i, s)| match s {
            Statement::Rule(r) => Some((i, r)),
            _ => None,
        })
    }

    /// The rule at statement index `i`, if that statement is a rule.
    pub fn rule(&self, i: usize) -> Option<&Rule> {
        match self.statements.get(i) {
            Some(Statement::Rule(r)) => Some(r),
            _ => None,
        }
    }
}

impl RuleSet {
    /// Every rule of every clause: (agreement, clause, statement index, rule), in rule order.
    pub fn all_rules(&self) -> impl Iterator<Item = (AgreementId, ClauseRef, usize, &Rule)> {
        self.agreements.iter().enumerate().flat_map(|(a, agreement)| {
            agreement.clauses.iter().enumerate().flat_map(move |(c, clause)| {
                clause.rules().map(move |(i, r)| (AgreementId(a as u32), ClauseRef(c as u32), i, r))
            })
        })
    }
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    Permit,
    Forbid,
    /// The condition that must hold whenever the rule applies.
    Require(Condition),
}

/// A payment term: `oblige openai pays microsoft 20% of revenue through 2030 capped at revshare_cap`,
/// or, forbidden, `forbid microsoft pays openai from 2026-04-27`.
#[derive(Debug, Clone)]
pub struct Payment {
    pub forbidden: bool,
    pub payer: ValueId,
    pub payee: ValueId,
    /// `20% of revenue`: a share of the payer's reported revenue for each period.
    pub share: Option<ValueRef>,
    /// `250_000_000 USD`: a total to pay within the window, a commitment to spend (always money).
    pub total: Option<ValueRef>,
    pub window: DateWindow,
    /// Parameters the window's dates were taken from.
    pub window_params: Vec<ParamId>,
    /// Events the window's dates were taken from, known or not.
    pub window_events: Vec<EventId>,
    pub cap: Option<ValueRef>,
    pub span: Span,
}

/// A duty that is not about single deployments: `oblige openai to "invest in Azure"`.
#[derive(Debug, Clone)]
pub struct Duty {
    pub party: ValueId,
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Information {
    pub text: String,
    pub span: Span,
}

/// A literal value or a reference to a parameter of the same agreement.
#[derive(Debug, Clone)]
pub enum ValueRef {
    Literal(Quantity),
    Param(ParamId),
}

/// Inclusive bounds on a date; `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateWindow {
    pub from: Option<NaiveDate>,
    pub through: Option<NaiveDate>,
}

impl DateWindow {
    /// No day at all: a window that starts at an event not known to have happened.
    pub const NEVER: DateWindow = DateWindow { from: Some(NaiveDate::MAX), through: Some(NaiveDate::MIN) };

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.through.is_none_or(|t| date <= t)
    }

    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.through), (Some(f), Some(t)) if t < f)
    }
}

/// A condition over one deployment (and, through relations, its plan). Plain data by design.
#[derive(Debug, Clone)]
pub enum Condition {
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// `field = v`, `field != v`, `field in {..}`, `field not in {..}`. A record that leaves an
    /// optional field out has no value: it is in no set.
    Field {
        field: FieldId,
        values: Vec<ValueId>,
        negated: bool,
        span: Span,
    },
    /// A boolean flag; absent on a record means false.
    Flag {
        flag: FlagId,
        span: Span,
    },
    /// `date before/after/from/through/between/until/within ...`, resolved to an inclusive window.
    Date {
        window: DateWindow,
        /// Parameters the bounds were taken from.
        params: Vec<ParamId>,
        /// Events the bounds were taken from, known or not.
        events: Vec<EventId>,
        span: Span,
    },
    /// `launched(product, azure) on or before date`.
    Launched {
        relation: RelationId,
        when: LaunchedWhen,
        span: Span,
    },
}

impl Condition {
    /// Calls `f` on this condition and on every condition inside it, parents first, in the order
    /// written. The one walk over conditions that analyses share; nesting is bounded by the syntax
    /// limits, so the recursion is too.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Condition)) {
        f(self);
        match self {
            Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| p.walk(f)),
            Condition::Not(inner) => inner.walk(f),
            Condition::Field { .. }
            | Condition::Flag { .. }
            | Condition::Date { .. }
            | Condition::Launched { .. } => {}
        }
    }

    /// [`Condition::walk`], with each condition mutable.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Condition)) {
        f(self);
        match self {
            Condition::And(parts) | Condition::Or(parts) => parts.iter_mut().for_each(|p| p.walk_mut(f)),
            Condition::Not(inner) => inner.walk_mut(f),
            Condition::Field { .. }
            | Condition::Flag { .. }
            | Condition::Date { .. }
            | Condition::Launched { .. } => {}
        }
    }

    /// The assumed-or-not parameters the date tests of this condition read, in the order met.
    pub fn date_params(&self, out: &mut Vec<ParamId>) {
        self.walk(&mut |c| {
            if let Condition::Date { params, .. } = c {
                out.extend(params);
            }
        });
    }

    /// The events, known or not, the date tests of this condition read, in the order met.
    pub fn date_events(&self, out: &mut Vec<EventId>) {
        self.walk(&mut |c| {
            if let Condition::Date { events, .. } = c {
                out.extend(events);
            }
        });
    }
}

/// Which matching deployments count for `launched(...)`, relative to the date of the one checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaunchedWhen {
    /// Any date in the plan.
    Anytime,
    /// `on or before date`.
    OnOrBefore,
    /// `before date`.
    Before,
}

/// Index into [`RuleSet::relations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelationId(pub u32);

/// The deployments a `launched(...)` looks for: for each field, either the same value as the
/// deployment being checked or a fixed value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Relation {
    pub args: Vec<(FieldId, RelationArg)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationArg {
    Same,
    Value(ValueId),
}
