//! The typed syntax tree of a rule file: what was written, with a span on every node.
//!
//! Nothing here is checked beyond the grammar: names are unresolved text and dates are the digits
//! as written (so the resolver can say exactly what is wrong with `2030-2-3`). Comments are kept
//! beside the tree, in [`RuleFile::comments`], for the formatter. Equality ignores spans.

use crate::source::Span;

/// A name as written, with its place: `openai`, `azure_first`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

/// A quoted text with escapes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFile {
    pub items: Vec<Item>,
    pub comments: Vec<Comment>,
}

/// A `# ...` comment; `text` excludes the `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Vocabulary(Vocabulary),
    Event(EventDecl),
    Agreement(Agreement),
}

/// `event merger_approved "the regulator approves the merger"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDecl {
    pub name: Name,
    pub description: Text,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    pub entries: Vec<VocabEntry>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VocabEntry {
    Field {
        name: Name,
        values: Vec<Name>,
        optional: bool,
        span: Span,
    },
    Flags {
        names: Vec<Name>,
        span: Span,
    },
    /// `class api_products of product = api, models`.
    Class {
        name: Name,
        field: Name,
        values: Vec<Name>,
        span: Span,
    },
    /// `extend product grok_api`: values added to a field declared elsewhere.
    Extend {
        field: Name,
        values: Vec<Name>,
        span: Span,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub id: Name,
    pub title: Text,
    pub items: Vec<AgreementItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementItem {
    Parties(Vec<Name>, Span),
    Effective(StartDecl),
    Ends(EndDecl),
    /// Agreements (`old`) or single clauses of them (`old.clause`).
    Supersedes(Vec<QualifiedName>, Span),
    Default(DefaultDecision, Span),
    Param(Param),
    Clause(Clause),
}

/// `name` or `agreement.name`: a clause of this agreement or of another (or, in `supersedes`,
/// an agreement).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifiedName {
    pub agreement: Option<Name>,
    pub name: Name,
    pub span: Span,
}

/// `effective 2019-07-22 assumed "why"` or `effective merger_approved` (an event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartDecl {
    pub at: Start,
    pub assumed: Option<Text>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Day(DateLit),
    Event(Name),
}

/// `ends 2032-12-31`, `ends 7 years after effective`, `until merger_approved`, optionally
/// followed by `or ..., whichever is first|last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndDecl {
    pub first: End,
    pub either: Option<(End, Which)>,
    pub assumed: Option<Text>,
    pub span: Span,
}

/// One way an agreement or clause can end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// `ends 2032-12-31`: the last day in force.
    Day(DateLit),
    /// `ends 7 years after effective`: the moment it ends (the day before is the last in force).
    After(Duration, Base),
    /// `until merger_approved`: it ends when the event happens.
    Until(Name),
}

/// What a duration is counted from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The agreement's or clause's own `effective` date.
    Effective(Span),
    Event(Name),
}

/// `7 years`, `90 days`, `1 month`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duration {
    pub count: String,
    pub unit: Unit,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Months,
    Years,
}

/// `whichever is first` or `whichever is last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    First,
    Last,
}

/// Digits and dashes as written: `2032-12-31`, `2030-2-3`, `2030-06`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLit {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultDecision {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: Name,
    pub value: Quantity,
    pub assumed: Option<Text>,
    pub span: Span,
}

/// A number as written (digits, optional `_` separators and decimals) with its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quantity {
    Money { amount: String, currency: String, span: Span },
    Percent { amount: String, span: Span },
    Date(DateLit),
    Number { amount: String, span: Span },
}

impl Quantity {
    pub fn span(&self) -> Span {
        match self {
            Quantity::Money { span, .. } | Quantity::Percent { span, .. } | Quantity::Number { span, .. } => {
                *span
            }
            Quantity::Date(d) => d.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub id: Name,
    pub title: Text,
    pub items: Vec<ClauseItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClauseItem {
    Quote(Text),
    ExceptionTo(Vec<QualifiedName>, Span),
    /// The clause's own start, within its agreement's period.
    Effective(StartDecl),
    /// The clause's own end.
    Ends(EndDecl),
    Rule(Rule),
    Payment(Payment),
    Duty {
        party: Name,
        text: Text,
        span: Span,
    },
    Information(Text),
    /// `severity mandatory` or `severity advisory`.
    Severity(ClauseSeverity, Span),
}

/// How much a clause's violation weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseSeverity {
    Mandatory,
    Advisory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub kind: RuleKind,
    pub when: Option<Condition>,
    pub unless: Option<Condition>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    Permit,
    Forbid,
    Require(Condition),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub forbidden: bool,
    pub payer: Name,
    pub payee: Name,
    /// `20% of revenue`: a share of the payer's reported revenue.
    pub share: Option<Value>,
    /// `250_000_000 USD`: a total to pay over the window (a commitment to spend).
    pub total: Option<Value>,
    pub window: Option<Window>,
    pub cap: Option<Value>,
    pub span: Span,
}

/// A literal quantity or the name of a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Quantity(Quantity),
    Param(Name),
}

/// A date or span of dates in a payment term or a date test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window {
    Before(Bound),
    After(Bound),
    From(Bound),
    /// `through B`, `until B`, or either of two, `whichever is first|last`.
    To(WindowEnd),
    FromTo(Bound, WindowEnd),
    Between(Bound, Bound),
    /// `within 90 days after B`.
    Within(Duration, Bound),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowEnd {
    pub first: EndBound,
    pub either: Option<(EndBound, Which)>,
}

/// `through B` (B's last day included) or `until B` (ends as B begins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndBound {
    Through(Bound),
    Until(Bound),
}

/// A day, month or year as written, or the name of a date parameter or an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Date(DateLit),
    Name(Name),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    And(Box<Condition>, Box<Condition>, Span),
    Or(Box<Condition>, Box<Condition>, Span),
    Not(Box<Condition>, Span),
    /// A parenthesised condition, kept so the formatter can write the parentheses back.
    Group(Box<Condition>, Span),
    Field {
        field: Name,
        test: FieldTest,
        span: Span,
    },
    Flag(Name),
    Date(Window, Span),
    Launched {
        args: Vec<RelationArg>,
        when: LaunchedWhen,
        span: Span,
    },
}

impl Condition {
    /// Calls `f` with the span of every `launched(...)` in the condition.
    pub fn walk_launched(&self, f: &mut dyn FnMut(Span)) {
        match self {
            Condition::And(a, b, _) | Condition::Or(a, b, _) => {
                a.walk_launched(f);
                b.walk_launched(f);
            }
            Condition::Not(c, _) | Condition::Group(c, _) => c.walk_launched(f),
            Condition::Launched { span, .. } => f(*span),
            Condition::Field { .. } | Condition::Flag(_) | Condition::Date(..) => {}
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Condition::And(_, _, s)
            | Condition::Or(_, _, s)
            | Condition::Not(_, s)
            | Condition::Group(_, s)
            | Condition::Field { span: s, .. }
            | Condition::Date(_, s)
            | Condition::Launched { span: s, .. } => *s,
            Condition::Flag(n) => n.span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldTest {
    Eq(Name),
    Ne(Name),
    In(Set),
    NotIn(Set),
}

/// `{azure, aws}`, or a class named on its own (`api_products`, `braces: false`). A set in braces
/// may name classes too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Set {
    pub names: Vec<Name>,
    pub braces: bool,
}

/// `product` (same value as the deployment checked), `azure` (a value) or `cloud = azure`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationArg {
    pub name: Name,
    pub value: Option<Name>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaunchedWhen {
    /// No date qualifier: anywhere in the plan.
    Anytime,
    OnOrBefore,
    Before,
}
