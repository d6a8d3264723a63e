//! `explain`: why one deployment got its verdict, step by step, and when it would change.
//!
//! The trace re-walks the same condition data `eval` uses — each test with the deployment's actual
//! value and its truth — and then asks [`super::next_change`] for the next date the verdict flips.
//! Everything is worded here (words are not a format); `report::explain` lays it out as text or JSON.

use serde::Serialize;

use super::{boundaries, next_change, violation_names};
use crate::eval::{holds, in_force, Env, Evaluator, InForce, LaunchState, Launches, Reason, Verdict};
use crate::model::*;
use crate::plan::Deployment;
use crate::source::Sources;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Explanation {
    pub id: String,
    pub date: String,
    pub facts: Vec<Fact>,
    pub verdict: &'static str,
    /// Every agreement of the rule set: in force or not, and why.
    pub agreements: Vec<AgreementTrace>,
    /// Assumed values the verdict rests on (`subject: why`).
    pub assumptions: Vec<String>,
    /// The next date on which the verdict would change, in words, or that it never does.
    pub next_change: NextChange,
    /// Events not yet happened whose happening would change the verdict (filled by the caller,
    /// which can load the rules again with other dates: [`add_event_changes`]).
    pub event_changes: Vec<EventChange>,
}

/// A field and its value (a true flag: its name and `true`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fact {
    pub field: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NextChange {
    /// `None`: no later date changes the verdict.
    pub date: Option<String>,
    pub verdict: Option<&'static str>,
    /// The clauses violated from that date (for a change to violated), as `agreement.clause`.
    pub violated_by: Vec<String>,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AgreementTrace {
    pub agreement: String,
    pub in_force: bool,
    pub why: String,
    pub clauses: Vec<ClauseTrace>,
    /// How the agreement's precedence rules and default decided.
    pub decision: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClauseTrace {
    pub clause: String,
    pub status: &'static str,
    pub rules: Vec<RuleTrace>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RuleTrace {
    /// `permit`, `forbid` or `require`.
    pub kind: &'static str,
    pub when: Option<Step>,
    pub unless: Option<Step>,
    pub requirement: Option<Step>,
    pub applies: bool,
}

/// One condition: what is written, what the deployment has, and whether it holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Step {
    pub test: String,
    pub actual: Option<String>,
    pub holds: bool,
    pub parts: Vec<Step>,
}

/// Explains `d` (a deployment of the plan behind `launches`).
pub fn explain(
    evaluator: &Evaluator<'_>,
    sources: &Sources,
    d: &Deployment,
    launches: Launches<'_>,
) -> Explanation {
    let rules = evaluator.rules();
    let outcome = evaluator.evaluate_with(d, launches);
    let env = Env { deployment: d, launches, rules };
    let mut agreements = Vec::new();
    let mut assumptions: Vec<String> = Vec::new();
    for (i, a) in rules.agreements.iter().enumerate() {
        let id = AgreementId(i as u32);
        let applied = outcome.agreements.iter().find(|o| o.agreement == id);
        let why = in_force_why(evaluator, a, d);
        let Some(applied) = applied else {
            agreements.push(AgreementTrace {
                agreement: a.id.clone(),
                in_force: false,
                why,
                clauses: Vec::new(),
                decision: Vec::new(),
            });
            continue;
        };
        let mut clauses = Vec::new();
        for t in &applied.terms {
            let c = &a.clauses[t.clause.0 as usize];
            let rules_trace = c
                .statements
                .iter()
                .filter_map(|s| match s {
                    Statement::Rule(r) => Some(rule_trace(r, &env, sources)),
                    _ => None,
                })
                .collect();
            let note = match (t.overridden_by, &t.reason) {
                (Some(by), _) => Some(format!(
                    "overridden by exception `{}`",
                    rules.clause_name_from(applied.agreement, by)
                )),
                (None, Reason::NotAboutDeployments) => {
                    Some("an obligation or information: not checked against deployments".into())
                }
                (None, Reason::Excepted { .. }) => Some("its `unless` holds, so it does not apply".into()),
                (None, Reason::ClauseNotInForce) => Some(clause_period_words(rules, c, d)),
                _ => None,
            };
            clauses.push(ClauseTrace {
                clause: c.id.clone(),
                status: t.status.as_str(),
                rules: rules_trace,
                note,
            });
            for r in t.assumptions(a) {
                if let Some(s) = r.resolve(rules) {
                    let line = format!("{}: {}", s.subject, s.why);
                    if !assumptions.contains(&line) {
                        assumptions.push(line);
                    }
                }
            }
        }
        agreements.push(AgreementTrace {
            agreement: a.id.clone(),
            in_force: true,
            why,
            clauses,
            decision: decision(rules, a, applied),
        });
    }
    let next = next_change(evaluator, &boundaries(rules), d, launches, None);
    let verdict = outcome.verdict;
    let next_change = match next {
        None => NextChange {
            date: None,
            verdict: None,
            violated_by: Vec::new(),
            summary: format!("{} on every later date: no later date changes this verdict", verdict.as_str()),
        },
        Some(change) => {
            let last = change.date.pred_opt().unwrap_or(change.date);
            let by = violation_names(rules, &change.by);
            let then = match change.verdict {
                Verdict::Violated => format!("violated from {} by {}", change.date, by.join(", ")),
                Verdict::Allowed => format!("allowed from {}", change.date),
            };
            NextChange {
                date: Some(change.date.to_string()),
                verdict: Some(change.verdict.as_str()),
                violated_by: by,
                summary: format!("{} through {last}; {then}", verdict.as_str()),
            }
        }
    };
    let vocab = &rules.vocabulary;
    let mut facts: Vec<Fact> = vocab
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            d.values
                .get(i)
                .copied()
                .flatten()
                .map(|v| Fact { field: f.name.clone(), value: f.values[v.0 as usize].clone() })
        })
        .collect();
    facts.extend(
        d.flags.iter().map(|f| Fact { field: vocab.flag_name(*f).to_string(), value: "true".to_string() }),
    );
    Explanation {
        id: d.id.clone(),
        date: d.date.to_string(),
        facts,
        verdict: verdict.as_str(),
        agreements,
        assumptions,
        next_change,
        event_changes: Vec::new(),
    }
}

/// Why an agreement is, or is not, in force for the deployment: [`in_force`]'s answer in words.
fn in_force_why(evaluator: &Evaluator<'_>, a: &Agreement, d: &Deployment) -> String {
    let rules = evaluator.rules();
    let names = |vs: &[ValueId]| -> String {
        rules.party.map_or(String::new(), |p| {
            vs.iter().map(|v| rules.vocabulary.value_name(p, *v)).collect::<Vec<_>>().join(", ")
        })
    };
    let effective = &a.effective;
    match in_force(rules, a, d.date, rules.party.and_then(|p| d.value(p))) {
        InForce::NotYet { effective } => {
            return format!("takes effect {effective}{}, after {}", assumed(&a.effective), d.date)
        }
        InForce::Ended { ends } => return format!("ended {ends}{}", a.ends.as_ref().map_or("", assumed)),
        InForce::Superseded { by } => return format!("superseded by `{}` from {}", by.id, by.effective.date),
        InForce::NotBound => return format!("binds only {}", names(&a.parties)),
        InForce::Yes => {}
    }
    let mut why = format!("in force: effective {}", dated_words(effective));
    why.push_str(assumed(effective));
    if let Some(end) = &a.ends {
        why.push_str(&format!(", ends {}{}", dated_words(end), assumed(end)));
    }
    for e in &a.open_until {
        why.push_str(&format!(", until `{}` happens", rules.event(*e).name));
    }
    if !a.supersedes.is_empty() {
        let old: Vec<&str> = a.supersedes.iter().map(|s| rules.agreement(*s).id.as_str()).collect();
        why.push_str(&format!(", supersedes {}", old.join(", ")));
    }
    if !a.parties.is_empty() {
        why.push_str(&format!(", binds {}", names(&a.parties)));
    }
    why
}

/// ` (assumed)` after a date the rules mark `assumed`, as every date `explain` shows is marked.
fn assumed(dated: &Dated) -> &'static str {
    if dated.assumed.is_some() {
        " (assumed)"
    } else {
        ""
    }
}

/// Why a clause with its own `effective`/`ends` is not in force on the deployment's day.
fn clause_period_words(rules: &RuleSet, c: &Clause, d: &Deployment) -> String {
    let mut parts = Vec::new();
    if let Some(e) = &c.effective {
        parts.push(format!("effective {}{}", dated_words(e), assumed(e)));
    }
    if let Some(e) = &c.ends {
        parts.push(format!("ends {}{}", dated_words(e), assumed(e)));
    }
    for e in &c.open_until {
        parts.push(format!("until `{}` happens", rules.event(*e).name));
    }
    for by in &c.superseded_by {
        let by = rules.agreement(*by);
        parts.push(format!("superseded by `{}` from {}", by.id, dated_words(&by.effective)));
    }
    format!("this clause is not in force on {}: {}", d.date, parts.join(", "))
}

/// A date as `explain` shows it: the day, and how it was computed when it was not written as one
/// (`2031-02-28 (7 years after effective (2024-02-29))`).
fn dated_words(d: &Dated) -> String {
    match (&d.computed, d.is_known()) {
        (Some(words), true) => format!("{} ({words})", d.date),
        (Some(words), false) => words.clone(),
        (None, _) => d.date.to_string(),
    }
}

/// What a verdict would be had an event with no date yet (or a later one) happened on the
/// deployment's day: `explain` names the event as the thing that would change it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EventChange {
    pub event: String,
    pub verdict: &'static str,
    pub summary: String,
}

/// The events that have not happened by `d`'s date (no date given, or a later one): those whose
/// happening could change its verdict.
pub fn pending_events<'r>(rules: &'r RuleSet, d: &Deployment) -> impl Iterator<Item = &'r Event> + 'r {
    let day = d.date;
    rules.events.iter().filter(move |e| e.date.is_none_or(|when| when > day))
}

/// Adds to `e` the events whose happening (on the deployment's day) changes its verdict: `alternatives`
/// holds, for each pending event, the explanation under rules where it has happened that day.
pub fn add_event_changes(e: &mut Explanation, alternatives: Vec<(String, Explanation)>) {
    for (event, alt) in alternatives {
        if alt.verdict != e.verdict {
            let summary =
                format!("changes to {} when `{event}` happens (had it happened by {})", alt.verdict, e.date);
            e.event_changes.push(EventChange { event, verdict: alt.verdict, summary });
        }
    }
}

fn decision(rules: &RuleSet, a: &Agreement, applied: &crate::eval::AgreementOutcome) -> Vec<String> {
    use crate::eval::Status;
    let named = |status: Status| -> Vec<&str> {
        applied
            .terms
            .iter()
            .filter(|t| t.status == status)
            .map(|t| a.clauses[t.clause.0 as usize].id.as_str())
            .collect()
    };
    let mut out = Vec::new();
    let (violated, allowed, satisfied, overridden) = (
        named(Status::Violated),
        named(Status::Allowed),
        named(Status::Satisfied),
        named(Status::Overridden),
    );
    if !overridden.is_empty() {
        out.push(format!("exceptions override {}", overridden.join(", ")));
    }
    if !violated.is_empty() {
        let beats = if allowed.is_empty() {
            String::new()
        } else {
            format!(", which beats the permit of {}", allowed.join(", "))
        };
        out.push(format!("violated by {}{beats}", violated.join(", ")));
    } else if applied.denied_by_default {
        out.push("no clause allows it and the default is deny: violated".into());
    } else if allowed.is_empty() && satisfied.is_empty() {
        let default = match a.default {
            Default::Allow => "allow",
            Default::Deny => "deny",
        };
        out.push(format!("no clause applies; the default is {default}"));
    } else {
        let mut parts = Vec::new();
        if !allowed.is_empty() {
            parts.push(format!("allowed by {}", allowed.join(", ")));
        }
        if !satisfied.is_empty() {
            parts.push(format!("{} satisfied", satisfied.join(", ")));
        }
        out.push(parts.join("; "));
    }
    let _ = rules;
    out
}

fn rule_trace(r: &Rule, env: &Env<'_>, sources: &Sources) -> RuleTrace {
    let when = r.when.as_ref().map(|c| step(c, env, sources));
    let unless = r.unless.as_ref().map(|c| step(c, env, sources));
    let applies = when.as_ref().is_none_or(|s| s.holds) && !unless.as_ref().is_some_and(|s| s.holds);
    let (kind, requirement) = match &r.kind {
        RuleKind::Permit => ("permit", None),
        RuleKind::Forbid => ("forbid", None),
        RuleKind::Require(c) => ("require", applies.then(|| step(c, env, sources))),
    };
    RuleTrace { kind, when, unless, requirement, applies }
}

fn step(c: &Condition, env: &Env<'_>, sources: &Sources) -> Step {
    let rules = env.rules;
    let vocab = &rules.vocabulary;
    let d = env.deployment;
    let holds_now = holds(c, env);
    let group = |label: &str, parts: &[Condition]| Step {
        test: label.to_string(),
        actual: None,
        holds: holds_now,
        parts: parts.iter().map(|p| step(p, env, sources)).collect(),
    };
    match c {
        Condition::And(parts) => group("all of", parts),
        Condition::Or(parts) => group("any of", parts),
        Condition::Not(inner) => group("not", std::slice::from_ref(inner)),
        Condition::Field { field, span, .. } => Step {
            test: collapse(sources.slice(*span)),
            actual: Some(match d.value(*field) {
                Some(v) => format!("{} is {}", vocab.field_name(*field), vocab.value_name(*field, v)),
                None => format!("{} is not given", vocab.field_name(*field)),
            }),
            holds: holds_now,
            parts: Vec::new(),
        },
        Condition::Flag { flag, span } => Step {
            test: collapse(sources.slice(*span)),
            actual: Some(format!(
                "{} is {}",
                vocab.flag_name(*flag),
                if d.has_flag(*flag) { "set" } else { "not set" }
            )),
            holds: holds_now,
            parts: Vec::new(),
        },
        Condition::Date { window, span, events, .. } => {
            let pending: Vec<String> = events
                .iter()
                .map(|e| rules.event(*e))
                .filter(|e| e.date.is_none())
                .map(|e| format!("`{}`", e.name))
                .collect();
            let range = match (window.from, window.through) {
                _ if window.is_empty() && pending.is_empty() => "no day".into(),
                _ if window.is_empty() => format!("no day: {} has not happened", pending.join(", ")),
                (Some(f), Some(t)) => format!("{f} to {t}"),
                (Some(f), None) => format!("from {f}"),
                (None, Some(t)) => format!("through {t}"),
                (None, None) => "any date".into(),
            };
            Step {
                test: format!("{} ({range})", collapse(sources.slice(*span))),
                actual: Some(format!("date is {}", d.date)),
                holds: holds_now,
                parts: Vec::new(),
            }
        }
        Condition::Launched { relation, span, .. } => {
            let rel = &rules.relations[relation.0 as usize];
            let actual = match env.launches {
                Launches::Plan(index) => match index.earliest(*relation, rel, d) {
                    Some(first) => format!("the earliest matching deployment in the plan is dated {first}"),
                    None => "the plan has no matching deployment".to_string(),
                },
                Launches::Moved { .. } | Launches::Assumed(_) => {
                    match env.launches.state(*relation, rel, d) {
                        LaunchState::Never => "no matching deployment".to_string(),
                        LaunchState::Earlier => "a matching deployment is dated earlier".to_string(),
                        LaunchState::SameDay => "a matching deployment is dated the same day".to_string(),
                        LaunchState::Later => "matching deployments are all dated later".to_string(),
                    }
                }
            };
            Step {
                test: collapse(sources.slice(*span)),
                actual: Some(actual),
                holds: holds_now,
                parts: Vec::new(),
            }
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
