//! `lint`: findings beyond hard errors, computed exactly over the deployment space.
//!
//! Each agreement is examined over the points of [`Space`] that fall in its period of force and
//! bind its parties. Because the space is the whole partition, "no deployment can meet this rule" is
//! a proof, not a guess, and every conflict comes with a concrete deployment that shows it.

use chrono::NaiveDate;

use super::{boundaries, describe_point, Point, Space};
use crate::diagnostic::codes::{self, Code};
use crate::eval::{
    holds, in_force, rule_effect, Applies, DeploymentOutcome, Env, Evaluator, Launches, Status,
};
use crate::model::*;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A finding of a code the user denied (`lint --deny CODE`): it fails the run.
    Error,
    /// Probably a mistake in the rules; `--deny warnings` fails on these.
    Warning,
    /// Worth knowing, often by design (an assumption that decides verdicts, a value no rule names).
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable: `conflict`, `more-conflicts`, `dead-rule`, `never-in-force`, `shadowed`,
    /// `redundant`, `expired`, `unused-value`, `unused-flag`, `unused-param`, `assumption-decides`,
    /// `too-large`.
    pub code: &'static Code,
    pub level: Level,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
    /// A deployment that shows the finding, in words.
    pub example: Option<String>,
    /// Other places involved (the other rule of a conflict).
    pub related: Vec<(Span, String)>,
}

/// The most points an assumption check may visit.
pub const MAX_POINTS: u128 = 20_000_000;
/// The most work (points × rules looked at) one agreement's examination may take: a few seconds.
pub const MAX_WORK: u128 = 400_000_000;
/// The most conflicts reported for one permitting clause; past it, one `more-conflicts` note.
pub const MAX_CONFLICTS: usize = 16;

/// Options: "today" is an input, so results (and snapshots) do not depend on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintOptions {
    pub today: NaiveDate,
}

/// Every finding, agreements in rule order, then vocabulary findings.
pub fn lint(rules: &RuleSet, options: LintOptions) -> Vec<Finding> {
    let evaluator = Evaluator::new(rules);
    let bounds = boundaries(rules);
    let exams = examine(&evaluator, &bounds, options.today);
    let template = Space::new(rules, Vec::new());
    // Per agreement, per clause: whether some clause (of any agreement) is an exception to it.
    let mut excepted: Vec<Vec<bool>> =
        rules.agreements.iter().map(|a| vec![false; a.clauses.len()]).collect();
    for c in rules.agreements.iter().flat_map(|a| &a.clauses) {
        for t in &c.exception_to {
            excepted[t.agreement.index()][t.clause.index()] = true;
        }
    }
    let mut findings = Vec::new();
    for ((i, a), exam) in rules.agreements.iter().enumerate().zip(exams) {
        exam.report(rules, a, &excepted[i], options.today, &mut findings);
        expired(rules, a, options.today, &mut findings);
        unused_params(a, &mut findings);
        assumptions(&evaluator, &template, AgreementId(i as u32), a, &mut findings);
    }
    unused_vocabulary(rules, &mut findings);
    findings
}

/// The first and last day an agreement can be in force ([`crate::eval::period`]).
fn period(rules: &RuleSet, a: &Agreement) -> (NaiveDate, Option<NaiveDate>) {
    let p = crate::eval::period(rules, a);
    (p.from, p.through)
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

/// What a rule gives when it applies, in the terms lint reasons with ([`rule_effect`]).
fn effect(r: &Rule, env: &Env<'_>) -> Option<Effect> {
    match rule_effect(r, |c| holds(c, env)) {
        Applies::Yes(crate::eval::Effect::Permitted) => Some(Effect::Allow),
        Applies::Yes(crate::eval::Effect::RequirementHeld) => Some(Effect::Satisfied),
        Applies::Yes(crate::eval::Effect::Forbidden | crate::eval::Effect::RequirementFailed) => {
            Some(Effect::Deny)
        }
        Applies::No | Applies::Excepted => None,
    }
}

/// What lint learns of one agreement over the space, before it says anything.
enum Exam<'r> {
    /// Nothing to examine; a finding instead when there is something to say (never in force, too large).
    Skipped(Option<Finding>),
    Examined(Box<Examination<'r>>),
}

/// The examination of one agreement's rules, fed one point at a time by [`examine`].
struct Examination<'r> {
    id: AgreementId,
    start: NaiveDate,
    end: Option<NaiveDate>,
    /// The dates of the space that fall in the agreement's period.
    dates: Vec<NaiveDate>,
    all: Vec<RuleAt<'r>>,
    applies_ever: Vec<bool>,
    applies_before_today: Vec<bool>,
    applies_from_today: Vec<bool>,
    decides_somewhere: Vec<bool>,
    /// Conflicts keyed by (permitting clause, violated agreement, violated clause), first example
    /// kept, at most [`MAX_CONFLICTS`] per permitting clause.
    conflicts: Vec<(ConflictKey, Point)>,
    /// Per clause: the clauses it conflicts with so far, and whether it conflicts with more than
    /// [`MAX_CONFLICTS`] (once it does, no more are looked for).
    conflicts_of: Vec<Vec<(AgreementId, ClauseRef)>>,
    more_conflicts: Vec<bool>,
    /// subset[x * n + y]: wherever x applies, y applies too (same kind only).
    subset: Vec<bool>,
    effects: Vec<Option<Effect>>,
}

type ConflictKey = (usize, AgreementId, ClauseRef);

/// Examines every agreement over the space, walking the space once: each point is evaluated once
/// and every agreement in force there (and not too large to examine) looks at it. Walking it once
/// per agreement evaluated every agreement at every point of every other one: cubic in the number
/// of agreements (1,000 took minutes).
fn examine<'r>(evaluator: &Evaluator<'r>, bounds: &[NaiveDate], today: NaiveDate) -> Vec<Exam<'r>> {
    let rules = evaluator.rules();
    let total_rules: u128 =
        rules.agreements.iter().flat_map(|a| &a.clauses).map(|c| c.statements.len() as u128).sum();
    // The space's points per day: the same for every agreement, only the dates differ.
    let per_day = Space::new(rules, vec![today]).size();
    let mut exams: Vec<Exam<'r>> = rules
        .agreements
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Examination::start(rules, AgreementId(i as u32), a, bounds, today, per_day, total_rules)
        })
        .collect();
    let mut dates: Vec<NaiveDate> = exams
        .iter()
        .filter_map(|e| match e {
            Exam::Examined(x) => Some(x.dates.iter().copied()),
            Exam::Skipped(_) => None,
        })
        .flatten()
        .collect();
    dates.sort_unstable();
    dates.dedup();
    if dates.is_empty() {
        return exams;
    }
    let space = Space::new(rules, dates);
    let party = rules.vocabulary.field("party");
    // The examinations whose period holds the current date (points come dates outermost).
    let mut day = None;
    let mut in_period: Vec<usize> = Vec::new();
    let mut here: Vec<usize> = Vec::new();
    for point in space.points() {
        let d = &point.deployment;
        if day != Some(d.date) {
            day = Some(d.date);
            in_period = (0..exams.len())
                .filter(|&i| matches!(&exams[i], Exam::Examined(x) if x.dates.binary_search(&d.date).is_ok()))
                .collect();
        }
        let value = party.and_then(|p| d.value(p));
        here.clear();
        here.extend(in_period.iter().copied().filter(|&i| in_force::binds(&rules.agreements[i], value)));
        if here.is_empty() {
            continue;
        }
        let launches = Launches::Assumed(&point.launches);
        let env = Env { deployment: d, launches, rules };
        // The whole verdict, exceptions and every agreement in force included: a permit is beaten
        // only by a clause that really ends up violated.
        let outcome = evaluator.evaluate_with(d, launches);
        let violated: Vec<(AgreementId, ClauseRef)> = outcome
            .agreements
            .iter()
            .flat_map(|o| {
                o.terms.iter().filter(|t| t.status == Status::Violated).map(move |t| (o.agreement, t.clause))
            })
            .collect();
        for &i in &here {
            if let Exam::Examined(x) = &mut exams[i] {
                x.visit(&point, &env, &outcome, &violated, today);
            }
        }
    }
    exams
}

impl<'r> Examination<'r> {
    /// The examination of `a`, or why there is none.
    fn start(
        rules: &'r RuleSet,
        id: AgreementId,
        a: &'r Agreement,
        bounds: &[NaiveDate],
        today: NaiveDate,
        per_day: u128,
        total_rules: u128,
    ) -> Exam<'r> {
        let (start, end) = period(rules, a);
        if end.is_some_and(|e| e < start) {
            return Exam::Skipped(Some(Finding {
                code: codes::NEVER_IN_FORCE,
                level: Level::Warning,
                message: format!("agreement `{}` is never in force", a.id),
                span: a.span,
                help: Some("it is superseded or ends before it takes effect; check its dates".into()),
                example: None,
                related: Vec::new(),
            }));
        }
        let in_period = |d: NaiveDate| start <= d && end.is_none_or(|e| d <= e);
        let mut dates: Vec<NaiveDate> =
            [start, today].into_iter().chain(bounds.iter().copied()).filter(|d| in_period(*d)).collect();
        dates.sort_unstable();
        dates.dedup();
        let all: Vec<RuleAt<'r>> = a
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
            return Exam::Skipped(None);
        }
        let n = all.len();
        let size = per_day.saturating_mul(dates.len() as u128);
        let work = size.saturating_mul(total_rules + (n * n) as u128);
        if work > MAX_WORK {
            return Exam::Skipped(Some(Finding {
                code: codes::TOO_LARGE,
                level: Level::Note,
                message: format!(
                    "agreement `{}` was not examined for conflicts, dead and redundant rules: its {size} kinds of \
                     deployment are too many to examine exactly",
                    a.id,
                ),
                span: a.span,
                help: Some(
                    "lint never samples; split the agreement or its vocabulary to have it examined".into(),
                ),
                example: None,
                related: Vec::new(),
            }));
        }
        Exam::Examined(Box::new(Examination {
            id,
            start,
            end,
            dates,
            all,
            applies_ever: vec![false; n],
            applies_before_today: vec![false; n],
            applies_from_today: vec![false; n],
            decides_somewhere: vec![false; n],
            conflicts: Vec::new(),
            conflicts_of: vec![Vec::new(); a.clauses.len()],
            more_conflicts: vec![false; a.clauses.len()],
            subset: vec![true; n * n],
            effects: vec![None; n],
        }))
    }

    /// One point of the space in the agreement's period that it binds, with the whole outcome there.
    fn visit(
        &mut self,
        point: &Point,
        env: &Env<'_>,
        outcome: &DeploymentOutcome,
        violated: &[(AgreementId, ClauseRef)],
        today: NaiveDate,
    ) {
        let n = self.all.len();
        let id = self.id;
        for (k, r) in self.all.iter().enumerate() {
            self.effects[k] = effect(r.rule, env);
        }
        // INVARIANT: an outcome lists its agreements in rule-set order, and their terms in clause order.
        let own = outcome
            .agreements
            .binary_search_by_key(&id, |o| o.agreement)
            .ok()
            .map(|i| &outcome.agreements[i]);
        let status_of = |clause: usize| {
            own.and_then(|o| match o.terms.get(clause) {
                Some(t) if t.clause.0 as usize == clause => Some(t),
                _ => o.terms.iter().find(|t| t.clause.0 as usize == clause),
            })
            .map(|t| t.status)
        };
        for x in 0..n {
            let Some(ex) = self.effects[x] else { continue };
            self.applies_ever[x] = true;
            if point.deployment.date < today {
                self.applies_before_today[x] = true;
            } else {
                self.applies_from_today[x] = true;
            }
            for y in 0..n {
                if self.effects[y].is_none() && same_kind(self.all[x].rule, self.all[y].rule) {
                    self.subset[x * n + y] = false;
                }
            }
            let clause = self.all[x].clause;
            if ex != Effect::Allow || status_of(clause) != Some(Status::Allowed) {
                continue;
            }
            // The clause is allowed, so its own forbid (which would be the clause's design, not a
            // conflict) is not among the violated: any violated clause beats the permit.
            if violated.is_empty() {
                self.decides_somewhere[x] = true;
                continue;
            }
            if self.more_conflicts[clause] {
                continue;
            }
            // At most MAX_CONFLICTS + 1 are ever known, so each visit costs that, not the number
            // violated: with every agreement in force, that number times every point was cubic.
            let known = &mut self.conflicts_of[clause];
            for &(b, y) in violated {
                if known.contains(&(b, y)) {
                    continue;
                }
                if known.len() == MAX_CONFLICTS {
                    self.more_conflicts[clause] = true;
                    break;
                }
                known.push((b, y));
                self.conflicts.push(((clause, b, y), point.clone()));
            }
        }
    }
}

impl Exam<'_> {
    /// The findings of an agreement's examination: dead, expired, shadowed and redundant rules, then
    /// conflicts.
    fn report(
        self,
        rules: &RuleSet,
        a: &Agreement,
        excepted: &[bool],
        today: NaiveDate,
        out: &mut Vec<Finding>,
    ) {
        let x = match self {
            Exam::Skipped(finding) => {
                out.extend(finding);
                return;
            }
            Exam::Examined(x) => *x,
        };
        let Examination {
            start,
            end,
            all,
            applies_ever,
            applies_before_today,
            applies_from_today,
            decides_somewhere,
            mut conflicts,
            conflicts_of,
            more_conflicts,
            subset,
            id,
            ..
        } = x;
        let n = all.len();
        let mut reported_shadowed = vec![false; a.clauses.len()];
        for x in 0..n {
            let rx = &all[x];
            let clause = &a.clauses[rx.clause];
            if !applies_ever[x] {
                out.push(Finding {
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
                });
                continue;
            }
            if applies_before_today[x] && !applies_from_today[x] && end.is_none_or(|e| e >= today) {
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
            // A permit allowed somewhere but beaten wherever so: shadowed.
            if is_permit
                && !decides_somewhere[x]
                && !reported_shadowed[rx.clause]
                && !conflicts_of[rx.clause].is_empty()
            {
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
            // Redundant: another rule of the same kind in another clause applies wherever this one does.
            let involved = |c: usize| !a.clauses[c].exception_to.is_empty() || excepted[c];
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
                            "keep it if the contract states it separately; otherwise merge the clauses"
                                .into(),
                        ),
                        example: None,
                        related: vec![(all[y].rule.span, format!("`{}` covers it", other.id))],
                    });
                }
            }
        }
        // One finding per pair of clauses, in rule order of the permitting clause.
        conflicts.sort_by_key(|((c, b, y), _)| (*c, *b, *y));
        let mut conflicts = conflicts.into_iter().peekable();
        while let Some(((c, b, y), point)) = conflicts.next() {
            if reported_shadowed[c] {
                continue;
            }
            let last_of_clause = conflicts.peek().is_none_or(|((next, _, _), _)| *next != c);
            let permit = &a.clauses[c];
            let other_agreement = &rules.agreements[b.0 as usize];
            let other = &other_agreement.clauses[y.0 as usize];
            let place =
                if b == id { String::new() } else { format!(" of agreement `{}`", other_agreement.id) };
            let requires = other
                .statements
                .iter()
                .any(|s| matches!(s, Statement::Rule(r) if matches!(r.kind, RuleKind::Require(_))));
            let how = if requires {
                format!("fail the requirement of clause `{}`{place}", other.id)
            } else {
                format!("clause `{}`{place} forbids", other.id)
            };
            let permit_span = permit.statements.iter().find_map(|s| match s {
                Statement::Rule(r) if matches!(r.kind, RuleKind::Permit) => Some(r.span),
                _ => None,
            });
            let other_span = other.statements.iter().find_map(|s| match s {
                Statement::Rule(r) if !matches!(r.kind, RuleKind::Permit) => Some(r.span),
                _ => None,
            });
            let help = if b == id {
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
            out.push(Finding {
                code: codes::CONFLICT,
                level: Level::Warning,
                message: format!("clause `{}` permits deployments that {how}", permit.id),
                span: permit_span.unwrap_or(permit.span),
                help: Some(help),
                example: Some(describe_point(rules, &point)),
                related: other_span.map(|s| vec![(s, format!("`{}`", other.id))]).unwrap_or_default(),
            });
            if last_of_clause && more_conflicts[c] {
                out.push(Finding {
                    code: codes::MORE_CONFLICTS,
                    level: Level::Note,
                    message: format!(
                        "clause `{}` conflicts with more clauses than the {MAX_CONFLICTS} above",
                        permit.id
                    ),
                    span: permit_span.unwrap_or(permit.span),
                    help: Some(format!(
                        "lint reports at most {MAX_CONFLICTS} conflicts a clause; resolve these and run it again"
                    )),
                    example: None,
                    related: Vec::new(),
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

/// Terms over before today that no rule shows: the agreement's own end or supersession, and
/// payment windows. (Rules that no longer apply are found with the rest, over the space.)
fn expired(rules: &RuleSet, a: &Agreement, today: NaiveDate, out: &mut Vec<Finding>) {
    let mut push = |span: Span, what: String, last: NaiveDate, level: Level, help: &str| {
        out.push(Finding {
            code: codes::EXPIRED,
            level,
            message: format!("{what} ended on {last}, before today ({today})"),
            span,
            help: Some(help.into()),
            example: None,
            related: Vec::new(),
        })
    };
    if let Some(end) = a.ends.as_ref().filter(|e| e.date < today) {
        push(
            end.span,
            format!("agreement `{}`", a.id),
            end.date,
            Level::Warning,
            "remove it, or keep it for history",
        );
    } else if let Some(by) = a
        .superseded_by
        .iter()
        .map(|b| &rules.agreements[b.0 as usize])
        .filter(|b| b.effective.date <= today)
        .min_by_key(|b| b.effective.date)
    {
        let last = by.effective.date.pred_opt().unwrap_or(by.effective.date);
        let help = format!("superseded by `{}`; kept for deployments dated before then", by.id);
        push(a.span, format!("agreement `{}`", a.id), last, Level::Note, &help);
    }
    for c in &a.clauses {
        for s in &c.statements {
            if let Statement::Payment(p) = s {
                if let Some(last) = p.window.through.filter(|t| *t < today) {
                    let what = format!("the payment term of clause `{}`", c.id);
                    push(p.span, what, last, Level::Warning, "if the term is over, say so in the rules");
                }
            }
        }
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
                    mark(&p.total);
                    mark(&p.cap);
                    date_params.extend(&p.window_params);
                }
                Statement::Rule(r) => {
                    for cond in r.conditions() {
                        cond.date_params(&mut date_params);
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
                code: codes::UNUSED_PARAM,
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
/// An assumed value decides verdicts when moving it by one day changes some deployment's verdict.
/// The rule set is copied with the value moved, and both are evaluated over the whole space on the
/// day in question: only that assumption differs between them, so the finding is its own.
///
/// `template` is the rule set's space with no dates: the same for every agreement.
fn assumptions(
    evaluator: &Evaluator<'_>,
    template: &Space,
    id: AgreementId,
    a: &Agreement,
    out: &mut Vec<Finding>,
) {
    let rules = evaluator.rules();
    let index = id.0 as usize;
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
            shift_param_bounds(&mut moved.agreements[index], ParamId(p as u32));
            for on in [*day, day.succ_opt().unwrap_or(*day)] {
                candidates.push((on, moved.clone(), param.span, why));
            }
        }
    }
    let mut reported: Vec<&str> = Vec::new();
    let mut space = template.clone();
    for (day, moved, span, why) in &candidates {
        if reported.contains(&why.subject.as_str()) {
            continue;
        }
        space.dates = vec![*day];
        if space.size() > MAX_POINTS {
            reported.push(&why.subject);
            out.push(Finding {
                code: codes::TOO_LARGE,
                level: Level::Note,
                message: format!(
                    "the assumed `{}` was not checked for deciding verdicts: its {} kinds of deployment are \
                     too many to examine exactly",
                    why.subject,
                    space.size()
                ),
                span: *span,
                help: Some("lint never samples; split the vocabulary to have it examined".into()),
                example: None,
                related: Vec::new(),
            });
            continue;
        }
        let other = Evaluator::new(moved);
        let example = space.points().find_map(|p| {
            let launches = Launches::Assumed(&p.launches);
            let as_written = evaluator.evaluate_with(&p.deployment, launches).verdict;
            let if_moved = other.evaluate_with(&p.deployment, launches).verdict;
            (as_written != if_moved).then(|| {
                format!(
                    "{}: {} as written, {} with the assumed date one day off",
                    describe_point(rules, &p),
                    as_written.as_str(),
                    if_moved.as_str()
                )
            })
        });
        if let Some(example) = example {
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
    }
}

/// Moves, by one day later, every date bound that a condition of the agreement took from `param`.
fn shift_param_bounds(a: &mut Agreement, param: ParamId) {
    fn shift(c: &mut Condition, param: ParamId, value: NaiveDate) {
        match c {
            Condition::And(parts) | Condition::Or(parts) => {
                parts.iter_mut().for_each(|p| shift(p, param, value))
            }
            Condition::Not(inner) => shift(inner, param, value),
            Condition::Date { window, params, .. } if params.contains(&param) => {
                // A bound taken from the parameter is the parameter's day, or the day next to it
                // (`before`, `after`): each moves with it.
                let near = |d: NaiveDate| (d - value).num_days().abs() <= 1;
                for bound in [&mut window.from, &mut window.through].into_iter().flatten() {
                    if near(*bound) {
                        *bound = bound.succ_opt().unwrap_or(*bound);
                    }
                }
            }
            Condition::Date { .. }
            | Condition::Field { .. }
            | Condition::Flag { .. }
            | Condition::Launched { .. } => {}
        }
    }
    let Some(Quantity::Date(value)) = a.params.get(param.0 as usize).map(|p| p.value.clone()) else { return };
    for c in &mut a.clauses {
        for s in &mut c.statements {
            if let Statement::Rule(r) = s {
                for cond in [r.when.as_mut(), r.unless.as_mut()].into_iter().flatten() {
                    shift(cond, param, value);
                }
                if let RuleKind::Require(cond) = &mut r.kind {
                    shift(cond, param, value);
                }
            }
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
                code: codes::UNUSED_VALUE,
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
                code: codes::UNUSED_FLAG,
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
        use crate::diagnostic::{Diagnostic, Label, Location, Severity};
        let help = match (&self.help, &self.example) {
            (Some(h), Some(e)) => Some(format!("{h}\nfor example: {e}")),
            (h, e) => h.clone().or_else(|| e.as_ref().map(|e| format!("for example: {e}"))),
        };
        Diagnostic {
            severity: match self.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Note => Severity::Note,
            },
            code: self.code,
            message: self.message.clone(),
            help,
            location: Location::Rules {
                primary: Label { span: self.span, text: String::new() },
                secondary: self
                    .related
                    .iter()
                    .map(|(span, text)| Label { span: *span, text: text.clone() })
                    .collect(),
            },
        }
    }
}
