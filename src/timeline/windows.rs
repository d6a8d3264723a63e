//! The date windows of a clause: on which days each of its rules and payments can apply.
//!
//! A rule's window is what the date tests joined by `and` at the top of its `when` decide: the
//! latest first day and the earliest last day among them. On no other day can the rule apply.
//! Date tests anywhere else (under `or` or `not`, in `unless`, in a requirement) narrow it in ways
//! one bar cannot show, so they are named beside the window, not drawn. A payment's window is its
//! own. A bound rests on an assumption when the date test (or payment) it comes from reads an
//! assumed parameter; a payment's window does not say which of its bounds a parameter gave, so
//! both are marked.
//!
//! Reading the model only: what a date test means was settled by `resolve` (each one is an
//! inclusive [`DateWindow`]); nothing here evaluates a condition.

use crate::model::{Agreement, Clause, Condition, DateWindow, ParamId, RuleKind, RuleSet, Statement};
use crate::report::texts::collapse;
use crate::source::Sources;

use super::{Assumed, Day, Window, WindowKind};

pub(super) fn of_clause(rules: &RuleSet, a: &Agreement, clause: &Clause, sources: &Sources) -> Vec<Window> {
    let mut out = Vec::new();
    // A clause with its own period (`effective`, `ends`) reaches no day outside it; one that starts
    // at an event with no date reaches none at all.
    if clause.effective.as_ref().is_some_and(|e| !e.is_known()) {
        return out;
    }
    let own_from = clause
        .effective
        .as_ref()
        .map(|e| Day { date: e.date, assumed: e.assumed.as_ref().map(Assumed::from) });
    let mut own_through =
        clause.ends.as_ref().map(|e| Day { date: e.date, assumed: e.assumed.as_ref().map(Assumed::from) });
    // A clause superseded on its own (`supersedes other.clause`) stops the day before the
    // earliest agreement that supersedes it takes effect.
    let replaced =
        clause.superseded_by.iter().map(|b| &rules.agreement(*b).effective).filter(|e| e.is_known());
    if let Some(by) = replaced.min_by_key(|e| e.date) {
        let last = by.date.pred_opt().unwrap_or(by.date);
        if own_through.as_ref().is_none_or(|t| last < t.date) {
            own_through = Some(Day { date: last, assumed: by.assumed.as_ref().map(Assumed::from) });
        }
    }
    let clip = |mut w: Window| {
        if let Some(f) = &own_from {
            if w.from.as_ref().is_none_or(|d| d.date < f.date) {
                w.from = Some(f.clone());
            }
        }
        if let Some(t) = &own_through {
            if w.through.as_ref().is_none_or(|d| d.date > t.date) {
                w.through = Some(t.clone());
            }
        }
        w
    };
    for s in &clause.statements {
        match s {
            Statement::Rule(r) => {
                let kind = match r.kind {
                    RuleKind::Permit => WindowKind::Permit,
                    RuleKind::Forbid => WindowKind::Forbid,
                    RuleKind::Require(_) => WindowKind::Require,
                };
                let mut drawn = Vec::new();
                if let Some(when) = &r.when {
                    conjuncts(when, &mut drawn);
                }
                let mut from: Option<Day> = None;
                let mut through: Option<Day> = None;
                for test in &drawn {
                    let Condition::Date { window, params, .. } = test else { continue };
                    let assumed = assumed(a, params);
                    if let Some(f) = window.from.filter(|f| from.as_ref().is_none_or(|d| *f > d.date)) {
                        from = Some(Day { date: f, assumed: assumed.clone() });
                    }
                    if let Some(t) = window.through.filter(|t| through.as_ref().is_none_or(|d| *t < d.date)) {
                        through = Some(Day { date: t, assumed });
                    }
                }
                let mut other_date_tests = Vec::new();
                for condition in r.conditions() {
                    condition.walk(&mut |c| {
                        if let Condition::Date { span, .. } = c {
                            if !drawn.iter().any(|d| std::ptr::eq(*d, c)) {
                                other_date_tests.push(collapse(sources.slice(*span)));
                            }
                        }
                    });
                }
                out.push(clip(Window {
                    kind,
                    from,
                    through,
                    text: collapse(sources.slice(r.span)),
                    other_date_tests,
                }));
            }
            Statement::Payment(p) => {
                let kind = if p.forbidden { WindowKind::ForbiddenPayment } else { WindowKind::Payment };
                let assumed = assumed(a, &p.window_params);
                let DateWindow { from, through } = p.window;
                out.push(clip(Window {
                    kind,
                    from: from.map(|date| Day { date, assumed: assumed.clone() }),
                    through: through.map(|date| Day { date, assumed }),
                    text: collapse(sources.slice(p.span)),
                    other_date_tests: Vec::new(),
                }));
            }
            Statement::Duty(_) | Statement::Information(_) => {}
        }
    }
    out
}

/// The date tests a condition is the `and` of, at its top (through nested `and`s): each must hold
/// for the condition to.
fn conjuncts<'a>(c: &'a Condition, out: &mut Vec<&'a Condition>) {
    match c {
        Condition::And(parts) => parts.iter().for_each(|p| conjuncts(p, out)),
        Condition::Date { .. } => out.push(c),
        Condition::Or(_)
        | Condition::Not(_)
        | Condition::Field { .. }
        | Condition::Flag { .. }
        | Condition::Launched { .. } => {}
    }
}

/// The first assumed parameter among those a bound was read from.
fn assumed(a: &Agreement, params: &[ParamId]) -> Option<Assumed> {
    params.iter().find_map(|p| a.params.get(p.0 as usize)?.assumed.as_ref()).map(Assumed::from)
}
