//! `lint`: findings beyond hard errors, computed exactly over the deployment space.
//!
//! Each agreement is examined over the points of [`Space`] that fall in its period of force and
//! bind its parties. Because the space is the whole partition, "no deployment can meet this rule" is
//! a proof, not a guess, and every conflict comes with a concrete deployment that shows it.

use chrono::NaiveDate;

use super::{boundaries, describe_point, Point, Space};
use crate::eval::{holds, Env, Evaluator, Launches};
use crate::model::*;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Probably a mistake in the rules; `--deny warnings` fails on these.
    Warning,
    /// Worth knowing, often by design (an assumption that decides verdicts, a value no rule names).
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable: `conflict`, `dead-rule`, `never-in-force`, `shadowed`, `redundant`, `expired`,
    /// `unused-value`, `unused-flag`, `unused-param`, `assumption-decides`, `too-large`.
    pub code: &'static str,
    pub level: Level,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// A deployment that shows the finding, in words.
    pub example: Option<String>,
    /// Other places involved (the other rule of a conflict).
    pub related: Vec<(Span, String)>,
}

/// The most points one agreement's examination may visit (a few seconds of work).
const MAX_POINTS: u128 = 20_000_000;

/// Options: "today" is an input, so results (and snapshots) do not depend on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintOptions {
    pub today: NaiveDate,
}

/// Every finding, agreements in rule order, then vocabulary findings.
pub fn lint(rules: &RuleSet, options: LintOptions) -> Vec<Finding> {
    let evaluator = Evaluator::new(rules);
    let bounds = boundaries(rules);
    let mut findings = Vec::new();
    for (i, a) in rules.agreements.iter().enumerate() {
        agreement(&evaluator, AgreementId(i as u32), a, &bounds, &mut findings);
        expired(a, options.today, &mut findings);
        unused_params(a, &mut findings);
        assumptions(&evaluator, a, &mut findings);
    }
    unused_vocabulary(rules, &mut findings);
    findings
}

/// The last day an agreement can be in force, if it is bounded.
fn period(rules: &RuleSet, a: &Agreement) -> (NaiveDate, Option<NaiveDate>) {
    let superseded = a
        .superseded_by
        .iter()
        .map(|b| rules.agreements[b.0 as usize].effective.date)
        .min()
        .and_then(|d| d.pred_opt());
    let end = match (a.ends.as_ref().map(|e| e.date), superseded) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    (a.effective.date, end)
}

/// A rule of an agreement, by clause and statement.
struct RuleAt<'r> {
    clause: usize,
    rule: &'r Rule,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
    Satisfied,
}

fn effect(r: &Rule, env: &Env<'_>) -> Option<Effect> {
    if !r.when.as_ref().is_none_or(|w| holds(w, env)) || r.unless.as_ref().is_some_and(|u| holds(u, env)) {
        return None;
    }
    Some(match &r.kind {
        RuleKind::Permit => Effect::Allow,
        RuleKind::Forbid => Effect::Deny,
        RuleKind::Require(c) if holds(c, env) => Effect::Satisfied,
        RuleKind::Require(_) => Effect::Deny,
    })
}

/// Whether clause `a` and clause `b` are related by a declared exception, either way.
fn excepted(a: &Agreement, x: usize, y: usize) -> bool {
    let to = |from: usize, to: usize| a.clauses[from].exception_to.iter().any(|c| c.0 as usize == to);
    to(x, y) || to(y, x)
}

fn agreement(
    evaluator: &Evaluator<'_>,
    id: AgreementId,
    a: &Agreement,
    bounds: &[NaiveDate],
    out: &mut Vec<Finding>,
) {
    let rules = evaluator.rules();
    let (start, end) = period(rules, a);
    if end.is_some_and(|e| e < start) {
        out.push(Finding {
            code: "never-in-force",
            level: Level::Warning,
            message: format!("agreement `{}` is never in force", a.id),
            span: a.span,
            help: Some("it is superseded or ends before it takes effect; check its dates".into()),
            example: None,
            related: Vec::new(),
        });
        return;
    }
    let _ = id;
    let in_period = |d: NaiveDate| start <= d && end.is_none_or(|e| d <= e);
    let mut dates: Vec<NaiveDate> =
        std::iter::once(start).chain(bounds.iter().copied().filter(|b| in_period(*b))).collect();
    dates.sort_unstable();
    dates.dedup();
    let all: Vec<RuleAt<'_>> = a
        .clauses
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| {
            c.statements.iter().filter_map(move |s| match s {
                Statement::Rule(r) => Some(RuleAt { clause: ci, rule: r }),
                _ => None,
            })
        })
        .collect();
    if all.is_empty() {
        return;
    }
    let n = all.len();
    let mut applies_ever = vec![false; n];
    let mut beaten_always = vec![true; n];
    let mut conflict: Vec<Option<Point>> = vec![None; n * n];
    // subset[x * n + y]: wherever x applies, y applies too (same kind only).
    let mut subset = vec![true; n * n];
    let space = Space::new(rules, dates);
    if space.size() > MAX_POINTS {
        out.push(Finding {
            code: "too-large",
            level: Level::Note,
            message: format!(
                "agreement `{}` was not examined for conflicts and dead rules: {} kinds of deployment is too many",
                a.id,
                space.size()
            ),
            span: a.span,
            help: Some(format!("lint examines up to {MAX_POINTS} kinds of deployment exactly; it never samples")),
            example: None,
            related: Vec::new(),
        });
        return;
    }
    let party = rules.vocabulary.field("party");
    let mut effects: Vec<Option<Effect>> = vec![None; n];
    for point in space.points() {
        let d = &point.deployment;
        let binds =
            a.parties.is_empty() || party.and_then(|p| d.value(p)).is_some_and(|v| a.parties.contains(&v));
        if !binds {
            continue;
        }
        let env = Env { deployment: d, launches: Launches::Assumed(&point.launches), rules };
        for (k, r) in all.iter().enumerate() {
            effects[k] = effect(r.rule, &env);
        }
        for x in 0..n {
            let Some(ex) = effects[x] else { continue };
            applies_ever[x] = true;
            let mut beaten = false;
            for y in 0..n {
                if effects[y].is_none() && same_kind(all[x].rule, all[y].rule) {
                    subset[x * n + y] = false;
                }
                if ex == Effect::Allow
                    && effects[y] == Some(Effect::Deny)
                    && !excepted(a, all[x].clause, all[y].clause)
                {
                    beaten = true;
                    if conflict[x * n + y].is_none() {
                        conflict[x * n + y] = Some(point.clone());
                    }
                }
            }
            if !beaten {
                beaten_always[x] = false;
            }
        }
    }
    for x in 0..n {
        let rx = &all[x];
        let clause = &a.clauses[rx.clause];
        if !applies_ever[x] {
            out.push(Finding {
                code: "dead-rule",
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
            });
            continue;
        }
        let is_permit = matches!(rx.rule.kind, RuleKind::Permit);
        if is_permit && beaten_always[x] {
            out.push(Finding {
                code: "shadowed",
                level: Level::Warning,
                message: format!(
                    "the permit of clause `{}` never decides: a forbid or failed require always beats it",
                    clause.id
                ),
                span: rx.rule.span,
                help: Some("declare the permit `exception to` the clause that beats it, or remove it".into()),
                example: None,
                related: Vec::new(),
            });
            continue;
        }
        // Redundant: another rule of the same kind in another clause applies wherever this one does.
        let involved = |c: usize| {
            !a.clauses[c].exception_to.is_empty()
                || a.clauses.iter().any(|o| o.exception_to.iter().any(|t| t.0 as usize == c))
        };
        if !involved(rx.clause) && !matches!(rx.rule.kind, RuleKind::Require(_)) {
            let wider = (0..n).find(|&y| {
                y != x
                    && all[y].clause != rx.clause
                    && same_kind(rx.rule, all[y].rule)
                    && !involved(all[y].clause)
                    && subset[x * n + y]
                    && (!subset[y * n + x] || y < x)
            });
            if let Some(y) = wider {
                let other = &a.clauses[all[y].clause];
                out.push(Finding {
                    code: "redundant",
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
        for y in 0..n {
            if let Some(point) = &conflict[x * n + y] {
                let other = &a.clauses[all[y].clause];
                let how = match all[y].rule.kind {
                    RuleKind::Require(_) => format!("fail the requirement of clause `{}`", other.id),
                    _ => format!("clause `{}` forbids", other.id),
                };
                out.push(Finding {
                    code: "conflict",
                    level: Level::Warning,
                    message: format!("clause `{}` permits deployments that {how}", clause.id),
                    span: rx.rule.span,
                    help: Some(format!(
                        "the {} wins, as no exception is declared between them; if `{}` should win, declare it \
                         `exception to {}`",
                        kind_word(all[y].rule),
                        clause.id,
                        other.id
                    )),
                    example: Some(describe_point(rules, point)),
                    related: vec![(all[y].rule.span, format!("`{}`", other.id))],
                });
            }
        }
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

/// Windows that closed before today: date tests, payment terms, the agreement's own end.
fn expired(a: &Agreement, today: NaiveDate, out: &mut Vec<Finding>) {
    let mut push = |span: Span, what: String, last: NaiveDate| {
        out.push(Finding {
            code: "expired",
            level: Level::Warning,
            message: format!("{what} ended on {last}, before today ({today})"),
            span,
            help: Some("if the term is over, say so in the rules (an `ends` date or a new agreement)".into()),
            example: None,
            related: Vec::new(),
        })
    };
    if let Some(end) = a.ends.as_ref().filter(|e| e.date < today) {
        push(end.span, format!("agreement `{}`", a.id), end.date);
    }
    for c in &a.clauses {
        for s in &c.statements {
            match s {
                Statement::Rule(r) => {
                    let mut windows = Vec::new();
                    for cond in r.conditions() {
                        date_windows(cond, &mut windows);
                    }
                    for (window, span) in windows {
                        // Only a window that closes: `date after X` never ends.
                        if let Some(last) = window.through.filter(|t| *t < today) {
                            push(span, format!("a date window of clause `{}`", c.id), last);
                        }
                    }
                }
                Statement::Payment(p) => {
                    if let Some(last) = p.window.through.filter(|t| *t < today) {
                        push(p.span, format!("the payment term of clause `{}`", c.id), last);
                    }
                }
                Statement::Duty(_) | Statement::Information(_) => {}
            }
        }
    }
}

fn date_windows(c: &Condition, out: &mut Vec<(DateWindow, Span)>) {
    match c {
        Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| date_windows(p, out)),
        // Under `not`, a closed window opens the future rather than ending it.
        Condition::Not(_) => {}
        Condition::Date { window, span, .. } => out.push((*window, *span)),
        Condition::Field { .. } | Condition::Flag { .. } | Condition::Launched { .. } => {}
    }
}

fn unused_params(a: &Agreement, out: &mut Vec<Finding>) {
    let mut used = vec![false; a.params.len()];
    let mut mark = |v: &Option<ValueRef>| {
        if let Some(ValueRef::Param(p)) = v {
            used[p.0 as usize] = true;
        }
    };
    let mut date_params = Vec::new();
    for c in &a.clauses {
        for s in &c.statements {
            match s {
                Statement::Payment(p) => {
                    mark(&p.share);
                    mark(&p.cap);
                }
                Statement::Rule(r) => {
                    for cond in r.conditions() {
                        crate::eval::date_params(cond, &mut date_params);
                    }
                }
                Statement::Duty(_) | Statement::Information(_) => {}
            }
        }
    }
    for p in date_params {
        used[p.0 as usize] = true;
    }
    for (p, used) in a.params.iter().zip(used) {
        if !used {
            out.push(Finding {
                code: "unused-param",
                level: Level::Warning,
                message: format!("parameter `{}` is never used", p.name),
                span: p.span,
                help: Some("use it in a rule or payment term, or remove it".into()),
                example: None,
                related: Vec::new(),
            });
        }
    }
}

/// Assumed dates whose exact value changes some deployment's verdict: comparing the day before a
/// boundary the assumption sets with the day itself, over the whole space.
fn assumptions(evaluator: &Evaluator<'_>, a: &Agreement, out: &mut Vec<Finding>) {
    let rules = evaluator.rules();
    let mut candidates: Vec<(NaiveDate, Span, &Assumption)> = Vec::new();
    if let Some(why) = &a.effective.assumed {
        candidates.push((a.effective.date, a.effective.span, why));
    }
    if let Some(end) = &a.ends {
        if let Some(why) = &end.assumed {
            candidates.extend(end.date.succ_opt().map(|d| (d, end.span, why)));
        }
    }
    for p in &a.params {
        if let (Quantity::Date(day), Some(why)) = (&p.value, &p.assumed) {
            candidates.push((*day, p.span, why));
            candidates.extend(day.succ_opt().map(|d| (d, p.span, why)));
        }
    }
    let mut reported: Vec<String> = Vec::new();
    for (day, span, why) in candidates {
        if reported.contains(&why.subject) {
            continue;
        }
        let Some(before) = day.pred_opt() else { continue };
        let space = Space::new(rules, vec![before]);
        if space.size() > MAX_POINTS {
            continue;
        }
        let example = space.points().find_map(|p| {
            let earlier = evaluator.evaluate_with(&p.deployment, Launches::Assumed(&p.launches)).verdict;
            let mut on = p.clone();
            on.deployment.date = day;
            let later = evaluator.evaluate_with(&on.deployment, Launches::Assumed(&on.launches)).verdict;
            (earlier != later).then(|| {
                format!(
                    "{}: {} on {before}, {} on {day}",
                    describe_point(rules, &p),
                    earlier.as_str(),
                    later.as_str()
                )
            })
        });
        if let Some(example) = example {
            reported.push(why.subject.clone());
            out.push(Finding {
                code: "assumption-decides",
                level: Level::Note,
                message: format!("the assumed `{}` decides verdicts", why.subject),
                span,
                help: Some(format!("assumed because {}; confirm it against the source", why.why)),
                example: Some(example),
                related: Vec::new(),
            });
        }
    }
}

fn unused_vocabulary(rules: &RuleSet, out: &mut Vec<Finding>) {
    let vocab = &rules.vocabulary;
    let party = vocab.field("party");
    let party_named = |v: ValueId| {
        rules.agreements.iter().any(|a| {
            a.parties.contains(&v)
                || a.clauses.iter().flat_map(|c| &c.statements).any(|s| match s {
                    Statement::Payment(p) => p.payer == v || p.payee == v,
                    Statement::Duty(d) => d.party == v,
                    _ => false,
                })
        })
    };
    for (f, field) in vocab.fields.iter().enumerate() {
        let id = FieldId(f as u16);
        let unused: Vec<&str> = (0..field.values.len())
            .map(|v| ValueId(v as u16))
            .filter(|v| !(value_named(rules, id, *v) || (Some(id) == party && party_named(*v))))
            .map(|v| field.values[v.0 as usize].as_str())
            .collect();
        if !unused.is_empty() {
            out.push(Finding {
                code: "unused-value",
                level: Level::Note,
                message: format!("no rule names these values of `{}`: {}", field.name, unused.join(", ")),
                span: field.span,
                help: Some(
                    "fine if rules speak of them only through `!=` or `not in`; a typo otherwise".into(),
                ),
                example: None,
                related: Vec::new(),
            });
        }
    }
    let tested = Space::new(rules, Vec::new()).flags;
    for (i, flag) in vocab.flags.iter().enumerate() {
        if !tested.contains(&FlagId(i as u16)) {
            out.push(Finding {
                code: "unused-flag",
                level: Level::Note,
                message: format!("no rule tests the flag `{}`", flag.name),
                span: flag.span,
                help: Some("remove it, or use it in a `when` or `unless`".into()),
                example: None,
                related: Vec::new(),
            });
        }
    }
}

/// Whether any condition or relation of the rule set names this value.
fn value_named(rules: &RuleSet, field: FieldId, value: ValueId) -> bool {
    fn in_condition(c: &Condition, field: FieldId, value: ValueId) -> bool {
        match c {
            Condition::And(parts) | Condition::Or(parts) => {
                parts.iter().any(|p| in_condition(p, field, value))
            }
            Condition::Not(inner) => in_condition(inner, field, value),
            Condition::Field { field: f, values, .. } => *f == field && values.contains(&value),
            Condition::Flag { .. } | Condition::Date { .. } | Condition::Launched { .. } => false,
        }
    }
    let in_relations = rules
        .relations
        .iter()
        .any(|r| r.args.iter().any(|(f, arg)| *f == field && *arg == RelationArg::Value(value)));
    in_relations
        || rules.agreements.iter().flat_map(|a| &a.clauses).flat_map(|c| &c.statements).any(|s| match s {
            Statement::Rule(r) => r.conditions().any(|c| in_condition(c, field, value)),
            _ => false,
        })
}

impl Finding {
    /// The finding as a diagnostic, its example (if any) in the help.
    pub fn to_diagnostic(&self) -> crate::diagnostic::Diagnostic {
        use crate::diagnostic::{Diagnostic, Label, Severity};
        let help = match (&self.help, &self.example) {
            (Some(h), Some(e)) => Some(format!("{h}\nfor example: {e}")),
            (h, e) => h.clone().or_else(|| e.as_ref().map(|e| format!("for example: {e}"))),
        };
        Diagnostic {
            severity: match self.level {
                Level::Warning => Severity::Warning,
                Level::Note => Severity::Note,
            },
            code: self.code,
            message: self.message.clone(),
            help,
            primary: Label { span: self.span, text: String::new() },
            secondary: self
                .related
                .iter()
                .map(|(span, text)| Label { span: *span, text: text.clone() })
                .collect(),
        }
    }
}
