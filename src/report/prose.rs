//! A term's reason in words: what the rule says, quoted from the rule file, and the facts of the
//! deployment it looked at. Written for a reviewer who has the report and not the rule files.
//! Every format that shows a reason gets it from here.

use std::fmt::Write as _;

use super::texts::{FactKey, RuleTexts};
use crate::eval::{ClauseInForce, Reason, Term};
use crate::model::*;
use crate::plan::Deployment;

pub const DOES_NOT_APPLY: &str = "does not apply to this deployment";

/// Appends the reason of `term` (a term of agreement `a` for deployment `d`) to `out`.
pub fn reason(texts: &RuleTexts<'_>, a: AgreementId, term: &Term, d: &Deployment, out: &mut String) {
    if let Some(by) = term.overridden_by {
        let _ = write!(
            out,
            "overridden by exception `{}`; it would have been ",
            texts.rules.clause_name_from(a, by)
        );
        return reason(texts, a, &Term { overridden_by: None, ..*term }, d, out);
    }
    let rule = texts.rule(a, term);
    match term.reason {
        Reason::Permitted { .. } | Reason::Forbidden { .. } => {
            let verb =
                if matches!(term.reason, Reason::Permitted { .. }) { "permitted" } else { "forbidden" };
            match rule.and_then(|r| r.when.as_deref()) {
                Some(when) => {
                    let _ = write!(out, "{verb} when `{when}`");
                    facts(texts, rule.map_or(&[][..], |r| &r.when_facts), d, out);
                }
                None => {
                    let _ = write!(out, "{verb} without condition");
                }
            }
        }
        Reason::RequirementHeld { .. } => {
            let req = rule.and_then(|r| r.requirement.as_deref()).unwrap_or_default();
            let _ = write!(out, "requires `{req}`, which holds");
        }
        Reason::RequirementFailed { .. } => {
            let req = rule.and_then(|r| r.requirement.as_deref()).unwrap_or_default();
            match rule.and_then(|r| r.requirement_launched) {
                Some((relation, when)) => {
                    let rel = &texts.rules.relations[relation.0 as usize];
                    let _ = write!(out, "requires `{req}`, but the plan has no deployment with ");
                    relation_words(texts.rules, rel, d, out);
                    match when {
                        LaunchedWhen::Anytime => {}
                        LaunchedWhen::OnOrBefore => {
                            let _ = write!(out, " dated on or before {}", d.date);
                        }
                        LaunchedWhen::Before => {
                            let _ = write!(out, " dated before {}", d.date);
                        }
                    }
                }
                None => {
                    let _ = write!(out, "requires `{req}`, which does not hold");
                    facts(texts, rule.map_or(&[][..], |r| &r.requirement_facts), d, out);
                }
            }
        }
        Reason::Excepted { .. } => {
            let unless = rule.and_then(|r| r.unless.as_deref()).unwrap_or_default();
            let _ = write!(out, "does not apply: the exception `unless {unless}` holds");
        }
        Reason::NoRuleApplies => out.push_str(DOES_NOT_APPLY),
        Reason::ClauseNotInForce => not_in_force(texts.rules, texts.rules.clause(term.key()), d.date, out),
        Reason::NotAboutDeployments => out.push_str(&texts.clause(a, term.clause).not_about),
    }
}

/// `not in force on 2027-01-01: superseded by `b` from 2026-04-27`: why a clause did not apply.
pub fn not_in_force(rules: &RuleSet, c: &Clause, date: chrono::NaiveDate, out: &mut String) {
    let _ = write!(out, "the clause is not in force on {date}: ");
    match crate::eval::clause_in_force(rules, c, date) {
        ClauseInForce::NotYet { effective } => match c.effective.as_ref().and_then(|e| e.computed.as_deref())
        {
            Some(how) if effective == chrono::NaiveDate::MAX => {
                let _ = write!(out, "it takes effect {how}");
            }
            _ => {
                let _ = write!(out, "it takes effect on {effective}");
            }
        },
        ClauseInForce::Ended { ends } => {
            let _ = write!(out, "it ended on {ends}");
        }
        ClauseInForce::Superseded { by } => {
            let _ = write!(out, "superseded by `{}` from {}", by.id, by.effective.date);
        }
        ClauseInForce::Yes => out.push_str("it is in force"),
    }
}

/// ` (party is openai, cloud is aws)`: the deployment's values for the facts a condition reads.
fn facts(texts: &RuleTexts<'_>, keys: &[FactKey], d: &Deployment, out: &mut String) {
    if keys.is_empty() {
        return;
    }
    out.push_str(" (");
    for (i, key) in keys.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match *key {
            FactKey::Field(f) => out.push_str(texts.fact(f, d.value(f))),
            FactKey::Flag(g) => {
                let set = if d.has_flag(g) { "is set" } else { "is not set" };
                let _ = write!(out, "{} {set}", texts.rules.vocabulary.flag_name(g));
            }
            FactKey::Date => {
                let _ = write!(out, "date is {}", d.date);
            }
        }
    }
    out.push(')');
}

/// `product chatgpt, cloud azure`: the deployment a `launched(...)` looks for, seen from `d`.
pub fn relation_words(rules: &RuleSet, rel: &Relation, d: &Deployment, out: &mut String) {
    let vocab = &rules.vocabulary;
    for (i, (f, arg)) in rel.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let value = match arg {
            RelationArg::Same => d.value(*f),
            RelationArg::Value(v) => Some(*v),
        };
        let _ =
            write!(out, "{} {}", vocab.field_name(*f), value.map_or("(none)", |v| vocab.value_name(*f, v)));
    }
}
