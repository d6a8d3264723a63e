//! A term's reason in words: what the rule says, quoted from the rule file, and the facts of the
//! deployment it looked at. Written for a reviewer who has the report and not the rule files.

use crate::eval::{Reason, Term};
use crate::model::*;
use crate::plan::Deployment;
use crate::source::{Sources, Span};

pub(super) fn describe(
    rules: &RuleSet,
    sources: &Sources,
    agreement: &Agreement,
    clause: &Clause,
    term: &Term,
    d: &Deployment,
) -> String {
    let reason = &term.reason;
    let rule = |i: u32| clause.rule(i as usize);
    let quote = |span: Option<Span>| span.map(|s| collapse(sources.slice(s)));
    if let Some(by) = term.overridden_by {
        let inner = describe(rules, sources, agreement, clause, &Term { overridden_by: None, ..*term }, d);
        return format!("overridden by exception `{}`; it would have been {inner}", agreement.clause(by).id);
    }
    match reason {
        Reason::Permitted { rule: i } | Reason::Forbidden { rule: i } => {
            let verb = if matches!(reason, Reason::Permitted { .. }) { "permitted" } else { "forbidden" };
            let r = rule(*i);
            match r.and_then(|r| quote(r.when_span)) {
                Some(when) => {
                    format!("{verb} when `{when}`{}", facts(rules, r.and_then(|r| r.when.as_ref()), d))
                }
                None => format!("{verb} without condition"),
            }
        }
        Reason::RequirementHeld { rule: i } => {
            let r = rule(*i);
            let req = r.and_then(|r| quote(r.require_span)).unwrap_or_default();
            format!("requires `{req}`, which holds")
        }
        Reason::RequirementFailed { rule: i } => {
            let r = rule(*i);
            let req = r.and_then(|r| quote(r.require_span)).unwrap_or_default();
            let why = match r.map(|r| &r.kind) {
                Some(RuleKind::Require(c)) => missing(rules, c, d),
                _ => None,
            };
            match why {
                Some(why) => format!("requires `{req}`, but {why}"),
                None => format!(
                    "requires `{req}`, which does not hold{}",
                    facts(
                        rules,
                        r.and_then(|r| match &r.kind {
                            RuleKind::Require(c) => Some(c),
                            _ => None,
                        }),
                        d
                    )
                ),
            }
        }
        Reason::Excepted { rule: i } => {
            let unless = rule(*i).and_then(|r| quote(r.unless_span)).unwrap_or_default();
            format!("does not apply: the exception `unless {unless}` holds")
        }
        Reason::NoRuleApplies => DOES_NOT_APPLY.to_string(),
        Reason::NotAboutDeployments => not_about_deployments(clause),
    }
}

pub(super) const DOES_NOT_APPLY: &str = "does not apply to this deployment";

/// `a payment term and information, not checked against deployments`.
pub(super) fn not_about_deployments(clause: &Clause) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for s in &clause.statements {
        let kind = match s {
            Statement::Payment(_) => "a payment term",
            Statement::Duty(_) => "an obligation",
            Statement::Information(_) => "information",
            Statement::Rule(_) => "a rule",
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    format!("{}, not checked against deployments", kinds.join(" and "))
}

/// Whitespace collapsed, so a condition written over several lines reads as one.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// ` (party is openai, cloud is aws)`: the deployment's values for the fields a condition reads.
fn facts(rules: &RuleSet, c: Option<&Condition>, d: &Deployment) -> String {
    let Some(c) = c else { return String::new() };
    let mut seen: Vec<String> = Vec::new();
    collect_facts(rules, c, d, &mut seen);
    if seen.is_empty() {
        String::new()
    } else {
        format!(" ({})", seen.join(", "))
    }
}

fn collect_facts(rules: &RuleSet, c: &Condition, d: &Deployment, out: &mut Vec<String>) {
    let vocab = &rules.vocabulary;
    let fact = match c {
        Condition::And(parts) | Condition::Or(parts) => {
            parts.iter().for_each(|p| collect_facts(rules, p, d, out));
            return;
        }
        Condition::Not(inner) => return collect_facts(rules, inner, d, out),
        Condition::Field { field, .. } => match d.value(*field) {
            Some(v) => format!("{} is {}", vocab.field_name(*field), vocab.value_name(*field, v)),
            None => format!("{} is not given", vocab.field_name(*field)),
        },
        Condition::Flag { flag, .. } => {
            let set = if d.has_flag(*flag) { "is set" } else { "is not set" };
            format!("{} {set}", vocab.flag_name(*flag))
        }
        Condition::Date { .. } => format!("date is {}", d.date),
        Condition::Launched { .. } => return,
    };
    if !out.contains(&fact) {
        out.push(fact);
    }
}

/// For a failed `launched(...)` requirement: which deployment the plan lacks.
fn missing(rules: &RuleSet, c: &Condition, d: &Deployment) -> Option<String> {
    let Condition::Launched { relation, when, .. } = c else {
        return None;
    };
    let what = crate::analysis::relation_words(rules, &rules.relations[relation.0 as usize], d);
    let when = match when {
        LaunchedWhen::Anytime => String::new(),
        LaunchedWhen::OnOrBefore => format!(" dated on or before {}", d.date),
        LaunchedWhen::Before => format!(" dated before {}", d.date),
    };
    Some(format!("the plan has no deployment with {what}{when}"))
}
