//! Assumed dates whose exact value decides verdicts.
//!
//! An assumed value decides verdicts when moving it by one day changes some deployment's verdict.
//! The rule set is copied with the value moved, and both are modelled on the day in question, in
//! one manager over one encoding: only that assumption differs between them, so a deployment on
//! which the two verdicts differ is the assumption's doing, and is the example.

use chrono::NaiveDate;

use super::{Finding, Level};
use crate::analysis::bdd::{Bdd, Manager, Result};
use crate::analysis::example::{describe, example};
use crate::analysis::symbolic::{model, Encoding};
use crate::diagnostic::codes;
use crate::model::*;
use crate::source::Span;

pub(super) fn assumptions(
    rules: &RuleSet,
    id: AgreementId,
    a: &Agreement,
    budget: usize,
    out: &mut Vec<Finding>,
) {
    let index = id.index();
    // (the day to look at, the rule set with the value moved, where it is written, the assumption)
    let mut candidates: Vec<(NaiveDate, RuleSet, Span, &Assumption)> = Vec::new();
    if let (Some(why), Some(later)) = (&a.effective.assumed, a.effective.date.succ_opt()) {
        let mut moved = rules.clone();
        moved.agreements[index].effective.date = later;
        candidates.push((a.effective.date, moved, a.effective.span, why));
    }
    if let Some(end) = &a.ends {
        if let (Some(why), Some(earlier)) = (&end.assumed, end.date.pred_opt()) {
            let mut moved = rules.clone();
            if let Some(e) = moved.agreements[index].ends.as_mut() {
                e.date = earlier;
            }
            candidates.push((end.date, moved, end.span, why));
        }
    }
    for (p, param) in a.params.iter().enumerate() {
        if let (Quantity::Date(day), Some(why)) = (&param.value, &param.assumed) {
            let mut moved = rules.clone();
            if !shift_param_bounds(&mut moved.agreements[index], ParamId(p as u32)) {
                continue; // no condition reads it: moving it changes nothing
            }
            for on in [*day, day.succ_opt().unwrap_or(*day)] {
                candidates.push((on, moved.clone(), param.span, why));
            }
        }
    }
    let mut reported: Vec<&str> = Vec::new();
    for (day, moved, span, why) in &candidates {
        if reported.contains(&why.subject.as_str()) {
            continue;
        }
        match differs(rules, moved, *day, budget) {
            Ok(None) => {}
            Ok(Some(example)) => {
                reported.push(&why.subject);
                out.push(Finding {
                    code: codes::ASSUMPTION_DECIDES,
                    level: Level::Note,
                    message: format!("the assumed `{}` decides verdicts", why.subject),
                    span: *span,
                    help: Some(format!("assumed because {}; confirm it against the source", why.why)),
                    example: Some(example),
                    related: Vec::new(),
                });
            }
            Err(e) => {
                reported.push(&why.subject);
                out.push(Finding {
                    code: codes::TOO_LARGE,
                    level: Level::Warning,
                    message: format!(
                        "the assumed `{}` was not examined: the analysis needs more than {} decision-diagram nodes",
                        why.subject,
                        super::thousands(e.limit)
                    ),
                    span: *span,
                    help: Some("lint never samples; raise the limit with `--max-nodes`".into()),
                    example: None,
                    related: Vec::new(),
                });
            }
        }
    }
}

/// A deployment on `day` whose verdict differs between `rules` and `moved`, in words.
fn differs(rules: &RuleSet, moved: &RuleSet, day: NaiveDate, budget: usize) -> Result<Option<String>> {
    let enc = Encoding::on_day(rules, day);
    let mut m = Manager::new(budget);
    let written = model(&mut m, &enc, rules)?;
    let other = model(&mut m, &enc, moved)?;
    let diff = m.xor(written.verdict, other.verdict)?;
    let diff = m.and(diff, written.valid)?;
    let Some(first) = example(&mut m, &enc, diff)? else { return Ok(None) };
    // Name the example by what keeps both verdicts as they are at the one found.
    let violated = m.eval(written.verdict, &first.at);
    let side = if violated { written.verdict } else { m.not(written.verdict)? };
    let shown: Bdd = m.and(diff, side)?;
    let ex = example(&mut m, &enc, shown)?.unwrap_or(first);
    let word = |v: bool| if v { "violated" } else { "allowed" };
    Ok(Some(format!(
        "{}: {} as written, {} with the assumed date one day off",
        describe(rules, &enc, &ex),
        word(violated),
        word(!violated)
    )))
}

/// Moves, by one day later, every date bound that a condition of the agreement took from `param`.
/// Whether any did.
fn shift_param_bounds(a: &mut Agreement, param: ParamId) -> bool {
    let Some(Quantity::Date(value)) = a.params.get(param.0 as usize).map(|p| p.value.clone()) else {
        return false;
    };
    let mut moved = false;
    for c in &mut a.clauses {
        for s in &mut c.statements {
            if let Statement::Rule(r) = s {
                for cond in r.conditions_mut() {
                    cond.walk_mut(&mut |c| {
                        if let Condition::Date { window, params, .. } = c {
                            if params.contains(&param) {
                                // A bound taken from the parameter is the parameter's day, or the
                                // day next to it (`before`, `after`): each moves with it.
                                let near = |d: NaiveDate| (d - value).num_days().abs() <= 1;
                                for bound in [&mut window.from, &mut window.through].into_iter().flatten() {
                                    if near(*bound) {
                                        *bound = bound.succ_opt().unwrap_or(*bound);
                                        moved = true;
                                    }
                                }
                            }
                        }
                    });
                }
            }
        }
    }
    moved
}
