//! Deadlocks across agreements: a `require` that looks across the plan (`launched(...)`) and
//! that no plan can meet without breaking another agreement in force at the same time, such as
//! "debut on cloud A first" against another agreement's "exclusively on cloud B" — whether the
//! other side is a `forbid`, a failed `require` or a `default deny` with permits.
//!
//! For a deployment `d` the requirement applies to, a plan meets it by holding deployments of
//! what the relation looks for (the *witnesses*: the same product, on cloud A). A witness is fine
//! when some deployment of that kind is violated by no other agreement in force on `d`'s date:
//! the question is whether the requirement can be met while both agreements are in force, so a
//! product that launched before the other agreement took effect does not count as a way out
//! (the finding says "as of that date"). Launch states are then limited to what fine witnesses
//! allow: an earlier or same-day launch needs a fine witness as of `d`'s date (or `d` itself, for
//! "same day", when it is one of those the relation looks for), only a later one a fine witness
//! on a later date. The requirement is deadlocked at `d` when, under every such launch state, it
//! applies and fails, while `d` itself breaks no other agreement (else the finding would be a
//! conflict, not this).
//!
//! Dates are compared by interval, a witness in `d`'s own interval counting as earlier: so a
//! deadlock found holds on every day of the interval, and none is reported on a guess. What this
//! leaves out: a deadlock only on the first day of an interval (a witness strictly earlier than
//! the day a term starts), and a witness that is fine only thanks to plan context of its own
//! (its launch states are left free).

use std::collections::HashMap;

use super::{Finding, Level};
use crate::analysis::bdd::{Bdd, Result};
use crate::analysis::example::{describe, example, relation_words, Example};
use crate::analysis::symbolic::Symbolic;
use crate::diagnostic::codes;
use crate::eval::LaunchState;
use crate::model::*;

/// A clause of another agreement (`Some`), or its `default deny` (`None`), and what it violates.
type Judge = ((AgreementId, Option<ClauseRef>), Bdd);

pub(super) fn deadlocks(sym: &mut Symbolic<'_>, id: AgreementId, out: &mut Vec<Finding>) -> Result<()> {
    let rules = sym.rules;
    let a = rules.agreement(id);
    if crate::eval::period(rules, a).is_empty() || !a.effective.is_known() {
        return Ok(());
    }
    let here = sym.model.in_force[id.index()];
    let mut memo = Memo::default();
    let launches = sym.m.cube(&sym.enc.all_launch_vars())?;
    for (ci, c) in a.clauses.iter().enumerate() {
        let models = sym.model.clauses[id.index()][ci].rules.clone();
        let clause_in_force = sym.model.clauses[id.index()][ci].in_force;
        for rm in models {
            let (Some(rule), Some(requirement)) = (c.rule(rm.statement), rm.requirement) else { continue };
            let Some(req) = rule.requirement() else { continue };
            let mut rels: Vec<(usize, LaunchedWhen)> = Vec::new();
            req.walk(&mut |c| {
                if let Condition::Launched { relation, when, .. } = c {
                    rels.push((relation.0 as usize, *when));
                }
            });
            if rels.is_empty() {
                continue;
            }
            let place = sym.m.and(here, clause_in_force)?;
            let applies = sym.m.and(place, rm.applies)?;
            if applies.is_false() {
                continue;
            }
            let x = Require { applies: rm.applies, requirement, place, rels: &rels, launches };
            // The other agreements in force at the same time, and what each clause and default
            // of theirs violates.
            let together: Vec<usize> = (0..rules.agreements.len())
                .filter(|b| *b != id.index() && !sym.m.disjoint(applies, sym.model.in_force[*b]))
                .collect();
            let mut judges: Vec<Judge> = Vec::new();
            for &b in &together {
                let bid = AgreementId(b as u32);
                for (y, cm) in sym.model.clauses[b].iter().enumerate() {
                    if !cm.violated.is_false() {
                        judges.push(((bid, Some(ClauseRef(y as u32))), cm.violated));
                    }
                }
                if !sym.model.denied[b].is_false() {
                    judges.push(((bid, None), sym.model.denied[b]));
                }
            }
            // One clause of another agreement against this one: the pair. Then, for what no
            // single clause blocks, each other agreement as a whole; then all of them together.
            let mut found = false;
            for judge in &judges {
                if let Some(ex) = stuck(sym, &x, judge.1, &mut memo)? {
                    out.push(finding(sym, c, rule, &rels, &ex, std::slice::from_ref(judge))?);
                    found = true;
                }
            }
            if !found {
                for &b in &together {
                    let mine: Vec<Judge> =
                        judges.iter().filter(|((o, _), _)| o.index() == b).cloned().collect();
                    if mine.len() < 2 {
                        continue;
                    }
                    if let Some(ex) = stuck(sym, &x, sym.model.violates[b], &mut memo)? {
                        out.push(finding(sym, c, rule, &rels, &ex, &mine)?);
                        found = true;
                    }
                }
            }
            if !found && together.len() > 1 {
                let all = sym.m.or_all(together.iter().map(|b| sym.model.violates[*b]))?;
                if let Some(ex) = stuck(sym, &x, all, &mut memo)? {
                    out.push(finding(sym, c, rule, &rels, &ex, &judges)?);
                }
            }
        }
    }
    Ok(())
}

/// What is worked out once per judge and relation.
#[derive(Default)]
struct Memo {
    /// The launch states fine witnesses allow.
    feasible: HashMap<(Bdd, usize), Bdd>,
    /// The dates and shared values at which the judge violates every witness.
    blocked: HashMap<(Bdd, usize), Bdd>,
}

/// A `require` that looks across the plan, symbolically.
struct Require<'a> {
    /// Its `when` and not its `unless`.
    applies: Bdd,
    requirement: Bdd,
    /// Its agreement and clause in force.
    place: Bdd,
    rels: &'a [(usize, LaunchedWhen)],
    /// The launch-state variables, as a cube.
    launches: Bdd,
}

/// An example deployment at which the requirement cannot be met with witnesses that `judge`
/// (the violations of the other agreements looked at) leaves fine, while the deployment itself
/// is fine with them.
fn stuck(sym: &mut Symbolic<'_>, x: &Require<'_>, judge: Bdd, memo: &mut Memo) -> Result<Option<Example>> {
    let mut distinct: Vec<usize> = x.rels.iter().map(|(r, _)| *r).collect();
    distinct.sort_unstable();
    distinct.dedup();
    // A quick necessary condition first: somewhere the rule applies, the judge violates every
    // witness of some relation and not the deployment itself.
    let mut blocked = Bdd::FALSE;
    for &r in &distinct {
        let b = match memo.blocked.get(&(judge, r)) {
            Some(b) => *b,
            None => {
                let fine = fine_witnesses(sym, r, judge)?;
                let b = sym.m.not(fine)?;
                memo.blocked.insert((judge, r), b);
                b
            }
        };
        blocked = sym.m.or(blocked, b)?;
    }
    let applies = sym.m.and(x.place, x.applies)?;
    let applies = sym.m.and_not(applies, judge)?;
    if sym.m.disjoint(applies, blocked) {
        return Ok(None);
    }
    let mut ctx = sym.model.valid;
    for &r in &distinct {
        let f = match memo.feasible.get(&(judge, r)) {
            Some(f) => *f,
            None => {
                let f = feasible_states(sym, r, judge)?;
                memo.feasible.insert((judge, r), f);
                f
            }
        };
        ctx = sym.m.and(ctx, f)?;
    }
    // Some launch state that fine witnesses allow, under which the rule does not apply or its
    // requirement holds.
    let unmet = sym.m.and_not(x.applies, x.requirement)?;
    let met = sym.m.and_not(ctx, unmet)?;
    let meetable = sym.m.exists(met, x.launches)?;
    let fine = sym.m.and_not(ctx, judge)?;
    let fine_itself = sym.m.exists(fine, x.launches)?;
    let place = sym.m.exists(x.place, x.launches)?;
    let stuck = sym.m.and_not(place, meetable)?;
    let stuck = sym.m.and(stuck, fine_itself)?;
    example(&mut sym.m, &sym.enc, stuck)
}

/// The launch states of relation `r` that witnesses `judge` does not violate allow, as a function of the deployment being checked (its date and the fields the relation
/// takes the same value of).
fn feasible_states(sym: &mut Symbolic<'_>, r: usize, judge: Bdd) -> Result {
    let rel = &sym.rules.relations[r];
    // A function of the date: a fine witness as of the deployment's date.
    let fine = fine_witnesses(sym, r, judge)?;
    // For "only a later launch": a fine witness as of some later date, interval by interval.
    let days = sym.enc.days.len();
    let mut later_fine = Bdd::FALSE;
    let mut from = Bdd::FALSE;
    for t in (0..days).rev() {
        let day = date_literals(sym, t)?;
        let on = sym.m.restrict(fine, day)?;
        from = sym.m.or(from, on)?;
        let at = sym.enc.date_is(&mut sym.m, t)?;
        let here = sym.m.and(at, from)?;
        later_fine = sym.m.or(later_fine, here)?;
    }
    let itself = sym.enc.matches_itself(&mut sym.m, rel)?;
    let state = |sym: &mut Symbolic<'_>, s: LaunchState| sym.enc.launch_where(&mut sym.m, r, |x| x == s);
    let never = state(sym, LaunchState::Never)?;
    let earlier = state(sym, LaunchState::Earlier)?;
    let same_day = state(sym, LaunchState::SameDay)?;
    let later = state(sym, LaunchState::Later)?;
    let e = sym.m.and(earlier, fine)?;
    let same = sym.m.or(fine, itself)?;
    let s = sym.m.and(same_day, same)?;
    let l = sym.m.and(later, later_fine)?;
    sym.m.or_all([never, e, s, l])
}

/// Where some witness of relation `r` is fine with `judge`: a function of the date (the witness
/// judged as of it) and the fields the witness shares with the deployment; anything else about
/// the witness may be whatever makes it fine.
fn fine_witnesses(sym: &mut Symbolic<'_>, r: usize, judge: Bdd) -> Result {
    let rel = &sym.rules.relations[r];
    let witness = witnesses(sym, rel)?;
    let fine = sym.m.and_not(witness, judge)?;
    let keep: Vec<u32> = sym
        .enc
        .date_vars
        .iter()
        .copied()
        .chain(
            rel.args
                .iter()
                .filter(|(_, arg)| *arg == RelationArg::Same)
                .flat_map(|(f, _)| sym.enc.fields[f.0 as usize].vars.clone()),
        )
        .collect();
    let quantified: Vec<u32> = (0..sym.enc.vars).filter(|v| !keep.contains(v)).collect();
    let cube = sym.m.cube(&quantified)?;
    sym.m.exists(fine, cube)
}

/// The deployments a relation looks for, leaving the fields it takes the same value of as they
/// are: the fixed values it names.
fn witnesses(sym: &mut Symbolic<'_>, rel: &Relation) -> Result {
    let mut f = sym.model.valid;
    for (field, arg) in &rel.args {
        if let RelationArg::Value(v) = arg {
            let is = sym.enc.field_in(&mut sym.m, *field, &[*v], false)?;
            f = sym.m.and(f, is)?;
        }
    }
    Ok(f)
}

/// The date's variables set to interval `t`, as a cube to restrict with.
fn date_literals(sym: &mut Symbolic<'_>, t: usize) -> Result {
    let width = sym.enc.date_vars.len();
    let lits: Vec<(u32, bool)> =
        sym.enc.date_vars.iter().enumerate().map(|(i, v)| (*v, (t >> (width - 1 - i)) & 1 == 1)).collect();
    sym.m.literals(&lits)
}

fn finding(
    sym: &mut Symbolic<'_>,
    clause: &Clause,
    rule: &Rule,
    rels: &[(usize, LaunchedWhen)],
    ex: &Example,
    judges: &[Judge],
) -> Result<Finding> {
    let rules = sym.rules;
    // Who breaks the witnesses the example needs: every clause (or default) of another agreement
    // that violates some of them.
    let mut blockers: Vec<(AgreementId, Option<ClauseRef>)> = Vec::new();
    let mut needed = String::new();
    for &(r, when) in rels {
        let rel = &rules.relations[r];
        let mut region = witnesses(sym, rel)?;
        for (f, arg) in &rel.args {
            if *arg == RelationArg::Same {
                let vars = &sym.enc.fields[f.0 as usize].vars;
                let atom = vars.iter().fold(0usize, |n, v| n * 2 + usize::from(ex.at[*v as usize]));
                let is = sym.enc.field_is(&mut sym.m, f.0 as usize, atom)?;
                region = sym.m.and(region, is)?;
            }
        }
        // As of the example's date: the witnesses the other agreements judge then.
        let dates = sym.enc.date_is(&mut sym.m, ex.interval)?;
        region = sym.m.and(region, dates)?;
        let before = blockers.len();
        // Every judge that violates some witness...
        let mut found: Vec<Judge> =
            judges.iter().filter(|(_, f)| sym.m.intersects(region, *f)).cloned().collect();
        // ...then only those the others do not already cover, in rule order.
        let mut i = 0;
        while i < found.len() {
            let rest =
                sym.m.or_all(found.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, (_, f))| *f))?;
            if found.len() > 1 && sym.m.implies(region, rest) {
                found.remove(i);
            } else {
                i += 1;
            }
        }
        for (key, _) in found {
            if !blockers.contains(&key) {
                blockers.push(key);
            }
        }
        if needed.is_empty() && blockers.len() > before {
            let when = match when {
                LaunchedWhen::Anytime => "",
                LaunchedWhen::OnOrBefore => " dated on or before it",
                LaunchedWhen::Before => " dated before it",
            };
            needed = format!("a deployment of {}{when}", relation_words(rules, &sym.enc, rel, ex));
        }
    }
    blockers.sort_unstable();
    let names = crate::analysis::violation_names(rules, &blockers);
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let related = blockers
        .iter()
        .map(|(b, y)| {
            let agreement = rules.agreement(*b);
            match y {
                Some(y) => {
                    let other = agreement.clause(*y);
                    let span = other
                        .rules()
                        .find(|(_, r)| !matches!(r.kind, RuleKind::Permit))
                        .map_or(other.span, |(_, r)| r.span);
                    (span, format!("`{}.{}` breaks what it needs", agreement.id, other.id))
                }
                None => (agreement.span, format!("`{}` denies it by default", agreement.id)),
            }
        })
        .collect();
    let needed = if needed.is_empty() { "the deployments it looks for".to_string() } else { needed };
    Ok(Finding {
        code: codes::DEADLOCK,
        level: Level::Warning,
        message: format!(
            "the requirement of clause `{}` cannot be met without breaking another agreement: {}",
            clause.id,
            names.join(", ")
        ),
        span: rule.span,
        help: Some(format!(
            "a deployment it applies to needs {needed}, and as of its date every such deployment is violated \
             by {}; narrow one of the clauses or the agreements' dates or parties, or declare an exception \
             between them",
            names.join(" or ")
        )),
        example: Some(describe(rules, &sym.enc, ex)),
        related,
    })
}
