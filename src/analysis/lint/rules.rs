//! The checks of one agreement's rules, over the symbolic model: never in force, dead, expired,
//! shadowed, redundant, and conflicts with any agreement in force at the same time.
//!
//! "A rule applies" means here: its agreement is in force and binds the deployment, its clause is
//! in force (S3a), and its `when` holds and its `unless` does not (S4).

use chrono::NaiveDate;

use super::{Finding, Level};
use crate::analysis::bdd::{Bdd, Result};
use crate::analysis::example::{describe, example};
use crate::analysis::symbolic::{Builder, Symbolic};
use crate::diagnostic::codes;
use crate::eval::clause::Overriders;
use crate::model::*;

/// A rule of the agreement, with where it applies.
struct RuleAt<'r> {
    clause: usize,
    rule: &'r Rule,
    applies: Bdd,
}

pub(super) fn agreement(
    sym: &mut Symbolic<'_>,
    id: AgreementId,
    today: NaiveDate,
    out: &mut Vec<Finding>,
) -> Result<()> {
    let rules = sym.rules;
    let a = rules.agreement(id);
    let period = crate::eval::period(rules, a);
    let (start, end) = (period.from, period.through);
    if period.is_empty() {
        out.push(Finding {
            code: codes::NEVER_IN_FORCE,
            level: Level::Warning,
            message: format!("agreement `{}` is never in force", a.id),
            span: a.span,
            help: Some("it is superseded or ends before it takes effect; check its dates".into()),
            example: None,
            related: Vec::new(),
        });
        return Ok(());
    }
    if !a.clauses.iter().any(Clause::governs_deployments) {
        return Ok(());
    }
    if !a.effective.is_known() {
        out.push(waits_for_event(rules, format!("agreement `{}`", a.id), &a.effective, a.effective.span));
        return Ok(());
    }
    let here = sym.model.in_force[id.index()];
    let mut all: Vec<RuleAt<'_>> = Vec::new();
    for (ci, c) in a.clauses.iter().enumerate() {
        if !c.governs_deployments() {
            continue;
        }
        let cm = &sym.model.clauses[id.index()][ci];
        let clause_here = sym.m.and(here, cm.in_force)?;
        if clause_here.is_false() && !here.is_false() {
            out.push(clause_never_in_force(rules, a, c, start, end));
            continue;
        }
        let models = cm.rules.clone();
        for rm in models {
            let applies = sym.m.and(clause_here, rm.applies)?;
            if let Some(rule) = c.rule(rm.statement) {
                all.push(RuleAt { clause: ci, rule, applies });
            }
        }
    }
    let n = all.len();
    let overriders = Overriders::new(rules);
    let key = |c: usize| ClauseKey { agreement: id, clause: ClauseRef(c as u32) };
    let before_today = sym.enc.date_between(&mut sym.m, None, today.pred_opt())?;
    let (conflicts, more) = conflicts(sym, id, &all)?;
    let mut reported_shadowed = vec![false; a.clauses.len()];
    for x in 0..n {
        let rx = &all[x];
        let clause = &a.clauses[rx.clause];
        if rx.applies.is_false() {
            out.push(dead_rule(sym, id, rx, start, end)?);
            continue;
        }
        let early = sym.m.intersects(rx.applies, before_today);
        let late = !sym.m.implies(rx.applies, before_today);
        // A clause whose own period ended is reported as such, with its agreement's terms.
        let clause_runs = crate::eval::clause_period(rules, clause).through.is_none_or(|t| t >= today);
        if early && !late && end.is_none_or(|e| e >= today) && clause_runs {
            out.push(Finding {
                code: codes::EXPIRED,
                level: Level::Warning,
                message: format!(
                    "the {} of clause `{}` no longer applies: no deployment from today ({today}) on meets it",
                    kind_word(rx.rule),
                    clause.id
                ),
                span: rx.rule.span,
                help: Some(
                    "if the term is over, say so in the rules (an `ends` date or a new agreement)".into(),
                ),
                example: None,
                related: Vec::new(),
            });
        }
        let is_permit = matches!(rx.rule.kind, RuleKind::Permit);
        if is_permit && !reported_shadowed[rx.clause] {
            // It decides somewhere: it applies, its clause ends up allowed, and nothing else
            // (of any agreement) makes the deployment violated.
            let allowed = sym.model.clauses[id.index()][rx.clause].allowed;
            let decides = sym.m.and(rx.applies, allowed)?;
            let decides_somewhere = !sym.m.implies(decides, sym.model.verdict);
            if !decides_somewhere && conflicts.iter().any(|c| c.clause == rx.clause) {
                reported_shadowed[rx.clause] = true;
                out.push(Finding {
                    code: codes::SHADOWED,
                    level: Level::Warning,
                    message: format!(
                        "the permit of clause `{}` never decides: wherever it applies, another clause is violated",
                        clause.id
                    ),
                    span: rx.rule.span,
                    help: Some("declare the permit `exception to` the clause that beats it, or remove it".into()),
                    example: None,
                    related: Vec::new(),
                });
                continue;
            }
        }
        // Redundant: another rule of the same kind in another clause applies wherever this one
        // does. Clauses with exceptions are left alone: there, separate clauses mean something.
        let involved = |c: usize| overriders.involves(key(c));
        if !involved(rx.clause) && !matches!(rx.rule.kind, RuleKind::Require(_)) {
            let mut wider = None;
            for (y, ry) in all.iter().enumerate() {
                if y == x || ry.clause == rx.clause || !same_kind(rx.rule, ry.rule) || involved(ry.clause) {
                    continue;
                }
                if sym.m.implies(rx.applies, ry.applies) && (!sym.m.implies(ry.applies, rx.applies) || y < x)
                {
                    wider = Some(y);
                    break;
                }
            }
            if let Some(y) = wider {
                let other = &a.clauses[all[y].clause];
                out.push(Finding {
                    code: codes::REDUNDANT,
                    level: Level::Warning,
                    message: format!(
                        "the {} of clause `{}` is redundant: `{}` already {} every deployment it does",
                        kind_word(rx.rule),
                        clause.id,
                        other.id,
                        if is_permit { "permits" } else { "forbids" }
                    ),
                    span: rx.rule.span,
                    help: Some(
                        "keep it if the contract states it separately; otherwise merge the clauses".into(),
                    ),
                    example: None,
                    related: vec![(all[y].rule.span, format!("`{}` covers it", other.id))],
                });
            }
        }
    }
    for (i, c) in conflicts.iter().enumerate() {
        if reported_shadowed[c.clause] {
            continue;
        }
        out.push(conflict_finding(sym, id, c)?);
        let last_of_clause = conflicts.get(i + 1).is_none_or(|n| n.clause != c.clause);
        if last_of_clause && more.contains(&c.clause) {
            out.push(more_conflicts(sym.rules.agreement(id), c.clause));
        }
    }
    Ok(())
}

/// The note after a clause's [`MAX_CONFLICTS`] conflicts, when it has more.
fn more_conflicts(a: &Agreement, clause: usize) -> Finding {
    let permit = &a.clauses[clause];
    let permit_span = permit.statements.iter().find_map(|s| match s {
        Statement::Rule(r) if matches!(r.kind, RuleKind::Permit) => Some(r.span),
        _ => None,
    });
    Finding {
        code: codes::MORE_CONFLICTS,
        level: Level::Note,
        message: format!("clause `{}` conflicts with more clauses than the {MAX_CONFLICTS} above", permit.id),
        span: permit_span.unwrap_or(permit.span),
        help: Some(format!(
            "lint reports at most {MAX_CONFLICTS} conflicts a clause; resolve these and run it again"
        )),
        example: None,
        related: Vec::new(),
    }
}

/// A permit of clause `clause` that lets through deployments another clause violates, or that
/// another agreement's `default deny` denies (`other_clause` `None`).
struct Conflict {
    clause: usize,
    other: AgreementId,
    other_clause: Option<ClauseRef>,
    both: Bdd,
}

/// The most conflicts reported for one permitting clause; past it, one `more-conflicts` note. A
/// permit beaten by the forbids of hundreds of agreements is then not compared with each of them.
pub const MAX_CONFLICTS: usize = 16;

/// The conflicts of the agreement's permits, by permitting clause, then the other agreement and
/// clause in rule order (a default after the clauses): at most [`MAX_CONFLICTS`] a clause, with
/// the clauses that have more.
fn conflicts(
    sym: &mut Symbolic<'_>,
    id: AgreementId,
    all: &[RuleAt<'_>],
) -> Result<(Vec<Conflict>, Vec<usize>)> {
    let rules = sym.rules;
    let mut out = Vec::new();
    let mut more = Vec::new();
    let clauses: Vec<usize> = {
        let mut cs: Vec<usize> =
            all.iter().filter(|r| matches!(r.rule.kind, RuleKind::Permit)).map(|r| r.clause).collect();
        cs.dedup();
        cs
    };
    for c in clauses {
        // Where a permit of the clause applies and the clause ends up allowed.
        let permits = sym.m.or_all(
            all.iter()
                .filter(|r| r.clause == c && matches!(r.rule.kind, RuleKind::Permit))
                .map(|r| r.applies),
        )?;
        let allowed = sym.model.clauses[id.index()][c].allowed;
        let decided = sym.m.and(permits, allowed)?;
        if sym.m.disjoint(decided, sym.model.verdict) {
            continue;
        }
        let first = out.len();
        'others: for (bi, b) in rules.agreements.iter().enumerate() {
            let other = AgreementId(bi as u32);
            if sym.m.disjoint(decided, sym.model.violates[bi]) {
                continue;
            }
            for y in 0..b.clauses.len() {
                if other == id && y == c {
                    continue; // a clause's own forbid beating its own permit is the clause's design
                }
                let violated = sym.model.clauses[bi][y].violated;
                if sym.m.intersects(decided, violated) {
                    if out.len() - first == MAX_CONFLICTS {
                        more.push(c);
                        break 'others;
                    }
                    let both = sym.m.and(decided, violated)?;
                    out.push(Conflict { clause: c, other, other_clause: Some(ClauseRef(y as u32)), both });
                }
            }
            if other != id && sym.m.intersects(decided, sym.model.denied[bi]) {
                if out.len() - first == MAX_CONFLICTS {
                    more.push(c);
                    break 'others;
                }
                let both = sym.m.and(decided, sym.model.denied[bi])?;
                out.push(Conflict { clause: c, other, other_clause: None, both });
            }
        }
    }
    Ok((out, more))
}

fn conflict_finding(sym: &mut Symbolic<'_>, id: AgreementId, c: &Conflict) -> Result<Finding> {
    let rules = sym.rules;
    let a = rules.agreement(id);
    let permit = &a.clauses[c.clause];
    let other_agreement = rules.agreement(c.other);
    let permit_span = permit.statements.iter().find_map(|s| match s {
        Statement::Rule(r) if matches!(r.kind, RuleKind::Permit) => Some(r.span),
        _ => None,
    });
    let shown = example(&mut sym.m, &sym.enc, c.both)?.map(|e| describe(rules, &sym.enc, &e));
    let Some(y) = c.other_clause else {
        return Ok(Finding {
            code: codes::CONFLICT,
            level: Level::Warning,
            message: format!(
                "clause `{}` permits deployments that agreement `{}` denies by default",
                permit.id, other_agreement.id
            ),
            span: permit_span.unwrap_or(permit.span),
            help: Some(format!(
                "no clause of `{}` allows them and its default is deny; both agreements are in force for this \
                 deployment, and a violation of either decides; if that is not meant, narrow one of the clauses \
                 or the agreements' dates or parties",
                other_agreement.id
            )),
            example: shown,
            related: vec![(other_agreement.span, format!("`{}` denies by default", other_agreement.id))],
        });
    };
    let other = other_agreement.clause(y);
    let place = if c.other == id { String::new() } else { format!(" of agreement `{}`", other_agreement.id) };
    let requires = other
        .statements
        .iter()
        .any(|s| matches!(s, Statement::Rule(r) if matches!(r.kind, RuleKind::Require(_))));
    let how = if requires {
        format!("fail the requirement of clause `{}`{place}", other.id)
    } else {
        format!("clause `{}`{place} forbids", other.id)
    };
    let other_span = other.statements.iter().find_map(|s| match s {
        Statement::Rule(r) if !matches!(r.kind, RuleKind::Permit) => Some(r.span),
        _ => None,
    });
    let help = if c.other == id {
        format!(
            "the {} wins, as no exception is declared between them; if `{}` should win, declare it `exception to {}`",
            if requires { "require" } else { "forbid" },
            permit.id,
            other.id
        )
    } else {
        "both agreements are in force for this deployment, and a violation of either decides; if that is \
         not meant, narrow one of the clauses or the agreements' dates or parties"
            .to_string()
    };
    Ok(Finding {
        code: codes::CONFLICT,
        level: Level::Warning,
        message: format!("clause `{}` permits deployments that {how}", permit.id),
        span: permit_span.unwrap_or(permit.span),
        help: Some(help),
        example: shown,
        related: other_span.map(|s| vec![(s, format!("`{}`", other.id))]).unwrap_or_default(),
    })
}

/// A rule no deployment meets; a note when only an event without a date stands in its way.
fn dead_rule(
    sym: &mut Symbolic<'_>,
    id: AgreementId,
    rx: &RuleAt<'_>,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<Finding> {
    let rules = sym.rules;
    let a = rules.agreement(id);
    let clause = &a.clauses[rx.clause];
    let mut events = Vec::new();
    for c in rx.rule.conditions() {
        c.date_events(&mut events);
    }
    events.retain(|e| rules.event(*e).date.is_none());
    events.sort_unstable();
    events.dedup();
    if !events.is_empty() {
        // With each date test that reads such an event free to hold or not: does it apply then?
        let mut b = Builder { enc: &sym.enc, free_events: Some(sym.enc.vars) };
        let freed = b.applies(&mut sym.m, rules, rx.rule)?;
        let here =
            sym.m.and(sym.model.in_force[id.index()], sym.model.clauses[id.index()][rx.clause].in_force)?;
        if sym.m.intersects(freed, here) {
            let names: Vec<String> = events.iter().map(|e| format!("`{}`", rules.event(*e).name)).collect();
            return Ok(Finding {
                code: codes::DEAD_RULE,
                level: Level::Note,
                message: format!(
                    "a rule of clause `{}` cannot apply until {} happens",
                    clause.id,
                    names.join(" or ")
                ),
                span: rx.rule.span,
                help: Some(format!(
                    "no date is given for {}, so it is taken as not having happened; give its date with \
                     `--events FILE` to examine the rule",
                    names.join(" or ")
                )),
                example: None,
                related: Vec::new(),
            });
        }
    }
    Ok(Finding {
        code: codes::DEAD_RULE,
        level: Level::Warning,
        message: format!("a rule of clause `{}` can never apply", clause.id),
        span: rx.rule.span,
        help: Some(format!(
            "no deployment in force under `{}` ({}{}) meets its conditions; check for contradictions and \
             dates outside that period",
            a.id,
            start,
            end.map_or(" onwards".to_string(), |e| format!(" to {e}"))
        )),
        example: None,
        related: Vec::new(),
    })
}

/// A clause none of whose days falls in its agreement's period.
fn clause_never_in_force(
    rules: &RuleSet,
    a: &Agreement,
    c: &Clause,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Finding {
    if let Some(effective) = c.effective.as_ref().filter(|e| !e.is_known()) {
        return waits_for_event(rules, format!("clause `{}`", c.id), effective, effective.span);
    }
    Finding {
        code: codes::NEVER_IN_FORCE,
        level: Level::Warning,
        message: format!("clause `{}` is never in force", c.id),
        span: c.span,
        help: Some(format!(
            "its own dates (or a supersession) leave it no day within the period of `{}` ({}{}); check them",
            a.id,
            start,
            end.map_or(" onwards".to_string(), |e| format!(" to {e}"))
        )),
        example: None,
        related: Vec::new(),
    }
}

/// Something that takes effect at an event with no date: a note, since the date is an input.
fn waits_for_event(rules: &RuleSet, what: String, effective: &Dated, span: crate::source::Span) -> Finding {
    let names: Vec<String> = effective
        .events
        .iter()
        .filter(|e| rules.event(**e).date.is_none())
        .map(|e| format!("`{}`", rules.event(*e).name))
        .collect();
    let names = if names.is_empty() { "its event".to_string() } else { names.join(" or ") };
    Finding {
        code: codes::NEVER_IN_FORCE,
        level: Level::Note,
        message: format!("{what} is not in force until {names} happens"),
        span,
        help: Some(format!(
            "no date is given for {names}, so it is taken as not having happened and its rules were not \
             examined; give its date with `--events FILE` to examine them"
        )),
        example: None,
        related: Vec::new(),
    }
}

fn same_kind(x: &Rule, y: &Rule) -> bool {
    matches!((&x.kind, &y.kind), (RuleKind::Permit, RuleKind::Permit) | (RuleKind::Forbid, RuleKind::Forbid))
}

fn kind_word(r: &Rule) -> &'static str {
    match r.kind {
        RuleKind::Permit => "permit",
        RuleKind::Forbid => "forbid",
        RuleKind::Require(_) => "require",
    }
}
