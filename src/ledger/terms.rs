//! The payment terms of a rule set as the ledger checks them: every `oblige … pays` and
//! `forbid … pays` statement, in rule order, with its amounts read (parameters looked up), its
//! currency, and the assumptions each of its figures rests on.
//!
//! Which days a term is in force on is never decided here: [`Term::in_force_on`] asks
//! [`eval::in_force`] for the agreement and [`eval::clause_in_force`] for the clause (S3a), and
//! adds only the term's own window. An agreement, clause or window that starts at an event with
//! no date is in force on no day (the resolver gives it `NaiveDate::MAX`); the event is then an
//! assumption of the term's figures, as it is of a deployment's verdict.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::eval::{self, Period as InForcePeriod};
use crate::model::*;

/// One payment term.
#[derive(Debug, Clone)]
pub struct Term {
    pub agreement: AgreementId,
    pub clause: ClauseRef,
    /// Its statement index in the clause.
    pub statement: usize,
    pub payer: ValueId,
    pub payee: ValueId,
    pub kind: TermKind,
    /// The term's own window (`through 2030`) within its clause's own period (S3a); unbounded
    /// where neither names a bound; [`DateWindow::is_empty`] when it starts at an event with no
    /// date.
    pub window: DateWindow,
    /// The days its agreement can be in force (`eval::period`): for words and deadlines.
    pub in_force: InForcePeriod,
    /// Events with no date that the term's start waits on (so it is in force on no day), and
    /// that would end it, in declaration order.
    pub waits_for: Vec<EventId>,
    pub ends_at: Vec<EventId>,
    pub cap: Option<Decimal>,
    /// The currency of its amounts, when it names any; otherwise the first entry's sets it.
    pub currency: Option<String>,
    /// The assumed values its figures rest on, each with the figures it reaches, in the order
    /// of S11: the agreement's dates and undated events, the clause's, the window's events, then
    /// parameters in declaration order.
    pub assumptions: Vec<(AssumptionRef, Vec<Figure>)>,
    /// What is written in the term but not read by the ledger, in words.
    pub notes: Vec<String>,
}

/// What a term asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// `oblige X pays Y 20% of revenue`: that share of each period's reported revenue.
    Share { percent: Decimal },
    /// `oblige X pays Y 250_000 EUR of revenue`: that amount out of each period's reported
    /// revenue (never more than the revenue itself).
    FixedShare { amount: Decimal },
    /// `oblige X pays Y 250_000_000_000 USD through 2032`: a total to pay within the window.
    Commitment { total: Decimal },
    /// `forbid X pays Y from 2026-04-27`: no payment from X to Y within the window.
    Forbid,
    /// A term no figure can be computed for (no amount, or amounts in two currencies): listed,
    /// and no entry is attributed to it.
    NotChecked { why: String },
}

impl TermKind {
    pub fn is_share(&self) -> bool {
        matches!(self, TermKind::Share { .. } | TermKind::FixedShare { .. })
    }
}

/// A figure of the report, for saying which of them an assumption reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Figure {
    /// Which entries fall under the term at all (its agreement's dates, its window).
    Entries,
    Owed,
    Difference,
    CapUsed,
    CapRemaining,
    Committed,
    Remaining,
}

impl Figure {
    pub fn as_str(self) -> &'static str {
        match self {
            Figure::Entries => "entries",
            Figure::Owed => "owed",
            Figure::Difference => "difference",
            Figure::CapUsed => "cap_used",
            Figure::CapRemaining => "cap_remaining",
            Figure::Committed => "committed",
            Figure::Remaining => "remaining",
        }
    }

    /// In words, for reports for people.
    pub fn words(self) -> &'static str {
        match self {
            Figure::Entries => "which entries fall under it",
            Figure::Owed => "owed",
            Figure::Difference => "difference",
            Figure::CapUsed => "cap used",
            Figure::CapRemaining => "cap left",
            Figure::Committed => "committed",
            Figure::Remaining => "remaining",
        }
    }
}

/// Every payment term of the rules, in rule order.
pub fn terms(rules: &RuleSet) -> Vec<Term> {
    let mut out = Vec::new();
    for (ai, a) in rules.agreements.iter().enumerate() {
        let id = AgreementId(ai as u32);
        for (ci, c) in a.clauses.iter().enumerate() {
            for (si, s) in c.statements.iter().enumerate() {
                if let Statement::Payment(p) = s {
                    out.push(term(rules, id, a, ClauseRef(ci as u32), si, p));
                }
            }
        }
    }
    out
}

fn quantity<'a>(a: &'a Agreement, v: &'a ValueRef) -> (&'a Quantity, Option<ParamId>) {
    match v {
        ValueRef::Literal(q) => (q, None),
        ValueRef::Param(p) => (&a.params[p.0 as usize].value, Some(*p)),
    }
}

fn term(
    rules: &RuleSet,
    id: AgreementId,
    a: &Agreement,
    clause: ClauseRef,
    statement: usize,
    p: &Payment,
) -> Term {
    let mut currencies: Vec<String> = Vec::new();
    let mut money = |q: &Quantity| match q {
        Quantity::Money { amount, currency } => {
            if !currencies.contains(currency) {
                currencies.push(currency.clone());
            }
            Some(*amount)
        }
        _ => None,
    };
    let share = p.share.as_ref().map(|v| quantity(a, v));
    let total = p.total.as_ref().map(|v| quantity(a, v));
    let cap = p.cap.as_ref().map(|v| quantity(a, v));
    let mut notes = Vec::new();
    let mut params: Vec<(ParamId, &[Figure])> =
        p.window_params.iter().map(|&w| (w, &[Figure::Entries][..])).collect();
    let capped: &[Figure] = &[Figure::Owed, Figure::Difference, Figure::CapUsed, Figure::CapRemaining];
    let uncapped: &[Figure] = &[Figure::Owed, Figure::Difference];
    let kind = if p.forbidden {
        if share.is_some() || total.is_some() || cap.is_some() {
            notes.push("its amounts are not read: every payment it covers is forbidden".to_owned());
        }
        TermKind::Forbid
    } else if let Some((q, param)) = share {
        params.extend(param.map(|w| (w, if cap.is_some() { capped } else { uncapped })));
        match q {
            Quantity::Percent(percent) => TermKind::Share { percent: *percent },
            other => match money(other) {
                Some(amount) => TermKind::FixedShare { amount },
                None => TermKind::NotChecked { why: "its share is neither a percentage nor money".into() },
            },
        }
    } else if let Some((q, param)) = total {
        params.extend(param.map(|w| (w, &[Figure::Committed, Figure::Remaining][..])));
        if cap.is_some() {
            notes.push("its cap is not read: the total is what is committed".to_owned());
        }
        match money(q) {
            Some(total) => TermKind::Commitment { total },
            None => TermKind::NotChecked { why: "its total is not an amount of money".into() },
        }
    } else {
        TermKind::NotChecked {
            why: "it names no amount to pay: neither a share of revenue nor a total".into(),
        }
    };
    let cap_amount = match (&kind, cap) {
        (TermKind::Share { .. } | TermKind::FixedShare { .. }, Some((q, param))) => {
            params.extend(param.map(|w| (w, capped)));
            money(q)
        }
        _ => None,
    };
    let kind = if currencies.len() > 1 {
        TermKind::NotChecked {
            why: format!(
                "its amounts are in different currencies ({}), which are never converted",
                currencies.join(", ")
            ),
        }
    } else {
        kind
    };
    let currency = currencies.first().cloned();

    // Which entries fall under the term rests on every assumed date and undated event that
    // decides when it is in force.
    let unknown = |e: &EventId| rules.event(*e).date.is_none();
    let key = ClauseKey { agreement: id, clause };
    let c = a.clause(clause);
    let mut dates: Vec<AssumptionRef> = Vec::new();
    if a.effective.assumed.is_some() {
        dates.push(AssumptionRef::Effective(id));
    }
    if a.ends.as_ref().is_some_and(|e| e.assumed.is_some()) {
        dates.push(AssumptionRef::Ends(id));
    }
    for &b in a.superseded_by.iter().chain(&c.superseded_by) {
        if rules.agreement(b).effective.assumed.is_some() && !dates.contains(&AssumptionRef::Effective(b)) {
            dates.push(AssumptionRef::Effective(b));
        }
    }
    if c.effective.as_ref().is_some_and(|e| e.assumed.is_some()) {
        dates.push(AssumptionRef::ClauseEffective(key));
    }
    if c.ends.as_ref().is_some_and(|e| e.assumed.is_some()) {
        dates.push(AssumptionRef::ClauseEnds(key));
    }
    let mut waits_for: Vec<EventId> = Vec::new();
    let mut ends_at: Vec<EventId> = Vec::new();
    let starts = a.effective.events.iter().chain(c.effective.iter().flat_map(|e| &e.events));
    for e in starts.chain(&p.window_events).copied().filter(unknown) {
        if !waits_for.contains(&e) {
            waits_for.push(e);
        }
    }
    let ends = a.ends.iter().flat_map(|e| &e.events).chain(c.ends.iter().flat_map(|e| &e.events));
    for e in
        ends.copied().filter(unknown).chain(a.open_until.iter().copied()).chain(c.open_until.iter().copied())
    {
        if !ends_at.contains(&e) && !waits_for.contains(&e) {
            ends_at.push(e);
        }
    }
    let mut assumptions: Vec<(AssumptionRef, Vec<Figure>)> =
        dates.into_iter().map(|d| (d, vec![Figure::Entries])).collect();
    for &e in waits_for.iter().chain(&ends_at) {
        assumptions.push((AssumptionRef::Event(e), vec![Figure::Entries]));
    }
    params.sort_by_key(|(w, _)| *w);
    for (w, figures) in params {
        if a.params[w.0 as usize].assumed.is_none() {
            continue;
        }
        let at = AssumptionRef::Param(id, w);
        match assumptions.iter_mut().find(|(x, _)| *x == at) {
            Some((_, list)) => {
                for f in figures {
                    if !list.contains(f) {
                        list.push(*f);
                    }
                }
                list.sort();
            }
            None => assumptions.push((at, figures.to_vec())),
        }
    }
    Term {
        agreement: id,
        clause,
        statement,
        payer: p.payer,
        payee: p.payee,
        kind,
        window: within(p.window, eval::clause_period(rules, c)),
        in_force: eval::period(rules, a),
        waits_for,
        ends_at,
        cap: cap_amount,
        currency,
        assumptions,
        notes,
    }
}

/// A window within a clause's own period: the days both allow.
fn within(w: DateWindow, clause: InForcePeriod) -> DateWindow {
    let from = match w.from {
        Some(f) => Some(f.max(clause.from)),
        None => (clause.from > NaiveDate::MIN).then_some(clause.from),
    };
    let through = match (w.through, clause.through) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    DateWindow { from, through }
}

impl Term {
    /// Whether the term is in force on `date`: its agreement in force for the payer (S1–S3) and
    /// its clause in force (S3a), as `eval` decides them, and the date within the term's window.
    pub fn in_force_on(&self, rules: &RuleSet, date: NaiveDate) -> bool {
        let clause = rules.agreement(self.agreement).clause(self.clause);
        self.agreement_in_force(rules, date)
            && eval::clause_in_force(rules, clause, date).yes()
            && self.window.contains(date)
    }

    /// Whether the term is in force on no day at all: it starts at an event with no date, or
    /// its agreement is superseded before it starts.
    pub fn never_in_force(&self) -> bool {
        self.window.is_empty()
            || self.in_force.is_empty()
            || self.in_force.from == NaiveDate::MAX
            || self.window.from.is_some_and(|f| self.in_force.through.is_some_and(|t| t < f))
            || self.window.through.is_some_and(|t| t < self.in_force.from)
    }

    /// Whether the term's agreement is in force for the payer on `date`.
    pub fn agreement_in_force(&self, rules: &RuleSet, date: NaiveDate) -> bool {
        eval::in_force(rules, rules.agreement(self.agreement), date, Some(self.payer)).yes()
    }

    /// Whether the term's window closed before `date`.
    /// A window that never opened (it starts at an event with no date) has not closed either.
    pub fn window_closed_before(&self, date: NaiveDate) -> bool {
        !self.never_in_force() && self.window.through.is_some_and(|t| t < date)
    }

    /// The last day a payment counts toward a commitment: the end of its window or of its
    /// agreement's period of force, whichever is first; `None` while neither ends.
    pub fn deadline(&self) -> Option<NaiveDate> {
        if self.never_in_force() {
            return None;
        }
        match (self.window.through, self.in_force.through) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the term's figures are computed at all.
    pub fn checked(&self) -> bool {
        !matches!(self.kind, TermKind::NotChecked { .. })
    }
}
