//! `clausecheck timeline`: which agreements and clauses are in force over time, as plain data.
//!
//! A [`Timeline`] is a view of a rule set, not a run: one entry per agreement (its period of force,
//! how it ends, what supersedes it) and one per clause (the date windows its rules and payments
//! reach), with the assumptions behind each date, and optionally where a plan's deployments fall
//! (markers on the clauses that decided them). [`svg`] and [`text`] draw it; [`to_json`] writes it.
//!
//! Nothing here decides a rule of the language. An agreement's period comes from
//! [`eval::period`] and why it stops from [`eval::in_force`]; a deployment's verdict from the
//! compiled [`eval::Program`] that `check` runs (`markers`). What this module adds is only where
//! those answers fall on a calendar. Like `eval`, it does no I/O and keeps no clock: the years
//! shown come from the rules (or the caller), never from today.
//!
//! Code map: `windows` reads the date windows out of rules and payments; `markers` places a plan's
//! deployments; `axis` maps days to columns and `words` says dates, for both renderers.

mod axis;
mod markers;
pub mod svg;
pub mod text;
mod windows;
pub mod words;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::eval::{self, InForce};
use crate::model::{Agreement, Assumption, RuleSet, Statement};
use crate::plan::Plan;
use crate::source::Sources;

pub use axis::Scale;

/// Everything the picture shows, in rule-set order (agreements as written, clauses as written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    /// The first year drawn (from 1 January).
    pub from_year: i32,
    /// The last year drawn (through 31 December).
    pub to_year: i32,
    pub agreements: Vec<AgreementLine>,
    /// Deployments of the plan that no agreement in force binds: they have no clause to sit on.
    pub unbound: Vec<Marker>,
}

/// One agreement: when it is in force and what happens at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreementLine {
    pub id: String,
    pub title: String,
    /// `file:line:column` of the agreement.
    pub source: String,
    /// The values of `party` it binds; empty: every deployment.
    pub parties: Vec<String>,
    /// Its first day in force.
    pub effective: Day,
    /// How its period of force ends.
    pub end: End,
    /// The agreements it replaces from its effective day on.
    pub supersedes: Vec<String>,
    /// Every agreement that replaces it, earliest first.
    pub superseded_by: Vec<Successor>,
    /// Set when it starts at an event that has no date in this run: it is not in force at all
    /// (`when \`merger_approved\` happens, which it has not`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waits_for: Option<String>,
    /// Events with no date in this run at which it would end: it runs on until they happen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub open_until: Vec<String>,
    /// Deployments the agreement's default decided (no clause of it did).
    pub markers: Vec<Marker>,
    pub clauses: Vec<ClauseLine>,
}

impl AgreementLine {
    /// The last day in force; `None` while it has no end.
    pub fn through(&self) -> Option<NaiveDate> {
        self.end.through()
    }

    /// Superseded before it took effect: never in force at all.
    pub fn never_in_force(&self) -> bool {
        self.waits_for.is_some() || self.through().is_some_and(|t| t < self.effective.date)
    }

    /// Whether a day is within its period of force.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.effective.date <= date && self.through().is_none_or(|t| date <= t)
    }

    /// The part of a window within the period of force: its first and last day (`None`: no last
    /// day), or nothing when they do not meet.
    pub fn clip(&self, w: &Window) -> Option<(NaiveDate, Option<NaiveDate>)> {
        let from = w.from.as_ref().map_or(self.effective.date, |f| f.date.max(self.effective.date));
        let through = match (w.through.as_ref().map(|t| t.date), self.through()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let meets = !w.is_empty() && !self.never_in_force() && through.is_none_or(|t| from <= t);
        meets.then_some((from, through))
    }

    /// The assumed bounds of a window that fall strictly inside the period of force: a bound at
    /// the period's own edge is drawn as the agreement's date, not the window's.
    pub fn assumed_bounds<'w>(&self, w: &'w Window) -> Vec<(Edge, NaiveDate, &'w Assumed)> {
        let mut out = Vec::new();
        if let Some((f, assumed)) = w.from.as_ref().and_then(|f| Some((f.date, f.assumed.as_ref()?))) {
            if f > self.effective.date && self.covers(f) {
                out.push((Edge::Start, f, assumed));
            }
        }
        if let Some((t, assumed)) = w.through.as_ref().and_then(|t| Some((t.date, t.assumed.as_ref()?))) {
            if self.covers(t) && self.through().is_none_or(|end| t < end) {
                out.push((Edge::End, t, assumed));
            }
        }
        out
    }
}

/// Which end of a bar a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

impl Timeline {
    /// Every marker, wherever it sits.
    pub fn markers(&self) -> impl Iterator<Item = &Marker> {
        let rows = self
            .agreements
            .iter()
            .flat_map(|a| a.markers.iter().chain(a.clauses.iter().flat_map(|c| c.markers.iter())));
        self.unbound.iter().chain(rows)
    }

    /// Every distinct assumption behind a date drawn, with its agreement, in the order drawn.
    pub fn assumptions(&self) -> Vec<(&str, &Assumed)> {
        let mut out: Vec<(&str, &Assumed)> = Vec::new();
        for a in &self.agreements {
            let bounds = a.clauses.iter().flat_map(|c| c.windows.iter()).flat_map(|w| [&w.from, &w.through]);
            let found = [a.effective.assumed.as_ref(), a.end.assumed()]
                .into_iter()
                .chain(bounds.map(|d| d.as_ref().and_then(|d| d.assumed.as_ref())))
                .flatten();
            for assumed in found {
                if !out.iter().any(|(id, x)| *id == a.id && *x == assumed) {
                    out.push((&a.id, assumed));
                }
            }
        }
        out
    }
}

/// A date, and the assumption it rests on when the source does not state it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    #[serde(serialize_with = "day")]
    pub date: NaiveDate,
    pub assumed: Option<Assumed>,
}

/// What is assumed and why, as the rules say it (`assumed "..."`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assumed {
    /// `effective 2019-07-22`, `param licence_end = 2032-12-31`.
    pub subject: String,
    pub why: String,
}

impl Assumed {
    fn from(a: &Assumption) -> Assumed {
        Assumed { subject: a.subject.clone(), why: a.why.clone() }
    }

    /// `effective 2019-07-22: the first investment, as reported`.
    pub fn words(&self) -> String {
        format!("assumed {}: {}", self.subject, self.why)
    }
}

/// How a period of force ends. An end that waits on an event (`until EVENT`, not in the language
/// yet) would be one more variant here, drawn open like [`End::Open`] with its event named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum End {
    /// No end: in force from its effective date on.
    Open,
    /// Its own `ends` date, the last day in force.
    Ends { through: Day },
    /// The day before the first agreement that supersedes it takes effect.
    Superseded {
        #[serde(serialize_with = "day")]
        through: NaiveDate,
        by: String,
        #[serde(serialize_with = "day")]
        from: NaiveDate,
    },
}

impl End {
    /// The last day in force; `None` for an open end.
    pub fn through(&self) -> Option<NaiveDate> {
        match self {
            End::Open => None,
            End::Ends { through } => Some(through.date),
            End::Superseded { through, .. } => Some(*through),
        }
    }

    /// The assumption the last day rests on, if it is an assumed `ends`.
    pub fn assumed(&self) -> Option<&Assumed> {
        match self {
            End::Ends { through } => through.assumed.as_ref(),
            End::Open | End::Superseded { .. } => None,
        }
    }
}

/// An agreement that replaces another, from its own effective day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Successor {
    pub agreement: String,
    #[serde(serialize_with = "day")]
    pub from: NaiveDate,
}

/// One clause: listed for every clause, whatever it holds, over its agreement's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseLine {
    pub id: String,
    pub title: String,
    pub quote: String,
    /// `file:line:column` of the clause.
    pub source: String,
    /// What its statements are, each kind once, in the order first written.
    pub holds: Vec<Holds>,
    /// The dates each rule and payment reaches, in statement order.
    pub windows: Vec<Window>,
    /// Deployments this clause decided: violated, allowed or satisfied by it.
    pub markers: Vec<Marker>,
}

impl ClauseLine {
    /// Holds only payments, duties or information: never checked against deployments.
    pub fn about_deployments(&self) -> bool {
        self.holds.iter().any(|h| matches!(h, Holds::Permit | Holds::Forbid | Holds::Require))
    }
}

/// A kind of statement a clause holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holds {
    Permit,
    Forbid,
    Require,
    Payment,
    Obligation,
    Information,
}

impl Holds {
    pub fn as_str(self) -> &'static str {
        match self {
            Holds::Permit => "permit",
            Holds::Forbid => "forbid",
            Holds::Require => "require",
            Holds::Payment => "payment",
            Holds::Obligation => "obligation",
            Holds::Information => "information",
        }
    }
}

/// The days one rule or payment can apply on, as far as its dates decide, before the agreement's
/// period is taken into account (renderers clip it to that period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    pub kind: WindowKind,
    /// First day; `None`: from whenever the agreement is in force.
    pub from: Option<Day>,
    /// Last day; `None`: for as long as the agreement is in force.
    pub through: Option<Day>,
    /// The statement as written, white space collapsed.
    pub text: String,
    /// Date tests of the rule the window does not draw (inside `or` or `not`, in `unless` or a
    /// requirement), as written: they narrow when it applies in ways one bar cannot show.
    pub other_date_tests: Vec<String>,
}

impl Window {
    /// Whether the window leaves no day at all.
    pub fn is_empty(&self) -> bool {
        matches!((&self.from, &self.through), (Some(f), Some(t)) if t.date < f.date)
    }
}

/// What a window is a window of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowKind {
    Permit,
    Forbid,
    Require,
    Payment,
    ForbiddenPayment,
}

impl WindowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WindowKind::Permit => "permit",
            WindowKind::Forbid => "forbid",
            WindowKind::Require => "require",
            WindowKind::Payment => "payment",
            WindowKind::ForbiddenPayment => "forbidden payment",
        }
    }
}

/// One deployment of a plan, on the row of a clause (or agreement) that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    pub deployment: String,
    /// 1-based position in the plan.
    pub position: usize,
    #[serde(serialize_with = "day")]
    pub date: NaiveDate,
    /// Its values and flags: `openai · api · aws`.
    pub facts: String,
    pub status: Mark,
}

/// What the row's clause (or default) said about the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Allowed,
    Satisfied,
    Violated,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Allowed => "allowed",
            Mark::Satisfied => "satisfied",
            Mark::Violated => "violated",
        }
    }

    pub fn violated(self) -> bool {
        self == Mark::Violated
    }
}

/// The years to draw. Either bound left out is worked out from the rules and the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Years {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// Builds the timeline of a rule set, with the deployments of `plan` placed on it when given.
pub fn build(rules: &RuleSet, sources: &Sources, plan: Option<&Plan>, years: Years) -> Timeline {
    let mut placed = plan.map_or_else(|| markers::Placed::empty(rules), |p| markers::place(rules, p));
    let agreements: Vec<AgreementLine> = rules
        .agreements
        .iter()
        .enumerate()
        .map(|(i, a)| agreement(rules, sources, a, &mut placed.by_agreement[i]))
        .collect();
    let (from_year, to_year) = axis::years(&agreements, &placed.unbound, years);
    Timeline { from_year, to_year, agreements, unbound: placed.unbound }
}

fn agreement(
    rules: &RuleSet,
    sources: &Sources,
    a: &Agreement,
    placed: &mut markers::AgreementMarkers,
) -> AgreementLine {
    let period = eval::period(rules, a);
    let mut superseded_by: Vec<Successor> = a
        .superseded_by
        .iter()
        .map(|b| {
            let b = rules.agreement(*b);
            Successor { agreement: b.id.clone(), from: b.effective.date }
        })
        .collect();
    // Stable: two successors taking effect on one day stay in rule-set order.
    superseded_by.sort_by_key(|s| s.from);
    let parties = match rules.party {
        Some(field) => a.parties.iter().map(|v| rules.vocabulary.value_name(field, *v).to_owned()).collect(),
        None => Vec::new(),
    };
    let clauses = a
        .clauses
        .iter()
        .enumerate()
        .map(|(c, clause)| ClauseLine {
            id: clause.id.clone(),
            title: clause.title.clone(),
            quote: clause.quote.clone(),
            source: sources.location(clause.span),
            holds: holds(clause),
            windows: windows::of_clause(rules, a, clause, sources),
            markers: std::mem::take(&mut placed.by_clause[c]),
        })
        .collect();
    AgreementLine {
        id: a.id.clone(),
        title: a.title.clone(),
        source: sources.location(a.span),
        parties,
        effective: Day { date: a.effective.date, assumed: a.effective.assumed.as_ref().map(Assumed::from) },
        end: end(rules, a, period),
        supersedes: a.supersedes.iter().map(|b| rules.agreement(*b).id.clone()).collect(),
        superseded_by,
        waits_for: a.effective.computed.clone().filter(|_| !a.effective.is_known()),
        open_until: a.open_until.iter().map(|e| rules.event(*e).name.clone()).collect(),
        markers: std::mem::take(&mut placed.by_default),
        clauses,
    }
}

/// Why the period stops where [`eval::period`] says it does, in the words of [`eval::in_force`]:
/// asked about the day after the last, it says ended or superseded.
fn end(rules: &RuleSet, a: &Agreement, period: eval::Period) -> End {
    let Some(through) = period.through else {
        return End::Open;
    };
    let after = through.succ_opt().map_or(period.from, |d| d.max(period.from));
    let ends = || Day {
        date: a.ends.as_ref().map_or(through, |e| e.date),
        assumed: a.ends.as_ref().and_then(|e| e.assumed.as_ref()).map(Assumed::from),
    };
    match eval::in_force(rules, a, after, None) {
        InForce::Superseded { by } => End::Superseded { through, by: by.id.clone(), from: by.effective.date },
        // INVARIANT: a period with a last day ends by `ends` or by supersession (eval::period).
        InForce::Ended { .. } | InForce::Yes | InForce::NotYet { .. } | InForce::NotBound => {
            End::Ends { through: ends() }
        }
    }
}

fn holds(clause: &crate::model::Clause) -> Vec<Holds> {
    let mut out = Vec::new();
    for s in &clause.statements {
        let kind = match s {
            Statement::Rule(r) => match r.kind {
                crate::model::RuleKind::Permit => Holds::Permit,
                crate::model::RuleKind::Forbid => Holds::Forbid,
                crate::model::RuleKind::Require(_) => Holds::Require,
            },
            Statement::Payment(_) => Holds::Payment,
            Statement::Duty(_) => Holds::Obligation,
            Statement::Information(_) => Holds::Information,
        };
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    out
}

/// The timeline as JSON: the [`Timeline`] fields, two-space indented, keys in declaration order.
pub fn to_json(timeline: &Timeline) -> String {
    // INVARIANT: a timeline is strings, numbers and lists; serializing it cannot fail.
    let mut out = serde_json::to_string_pretty(timeline).expect("a timeline serializes");
    out.push('\n');
    out
}

/// Dates as `YYYY-MM-DD`.
/// A day as `YYYY-MM-DD`; `null` for the start at an event with no date (no day at all).
fn day<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    if *d == NaiveDate::MAX {
        return s.serialize_none();
    }
    s.collect_str(&d.format("%Y-%m-%d"))
}
