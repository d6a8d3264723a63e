//! `lint`: findings beyond hard errors, computed exactly over every deployment at once.
//!
//! The rule set is turned into decision diagrams ([`super::symbolic`]): for every clause, the
//! deployments it allows, violates, satisfies or is overridden for, and for every agreement those
//! it is in force for and violates, over the whole space of deployments the rules tell apart.
//! Each check is then a question about sets ("is this one empty?", "is this one inside that
//! one?"), answered exactly, never by sampling, across agreements as well as within one; and
//! every finding about a deployment comes with one ([`super::example`]), named by what matters.
//!
//! `rules.rs` holds the checks of an agreement's rules (dead, never in force, expired, shadowed,
//! redundant, conflicts), `deadlock.rs` the requirements no plan can meet without breaking
//! another agreement, `assumptions.rs` the assumed dates that decide verdicts. When the diagrams
//! would outgrow [`LintOptions::max_nodes`], what could not be examined is a `too-large` warning.

mod assumptions;
mod deadlock;
mod rules;

pub use rules::MAX_CONFLICTS;

use chrono::NaiveDate;

use super::bdd::DEFAULT_BUDGET;
use super::symbolic::Symbolic;
use super::Space;
use crate::diagnostic::codes::{self, Code};
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
    /// Stable, from the registry: `conflict`, `deadlock`, `dead-rule`, `never-in-force`,
    /// `shadowed`, `redundant`, `expired`, `unused-value`, `unused-flag`, `unused-param`,
    /// `assumption-decides`, `too-large`.
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

/// Options: "today" is an input, so results (and snapshots) do not depend on the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LintOptions {
    pub today: NaiveDate,
    /// The most decision-diagram nodes the analysis may build ([`DEFAULT_MAX_NODES`]).
    pub max_nodes: usize,
}

/// The default limit on decision-diagram nodes: 4,194,304 (with their tables, at most about
/// 180 MB).
pub const DEFAULT_MAX_NODES: usize = DEFAULT_BUDGET;

impl LintOptions {
    /// The options for `today`, with the default limit.
    pub fn new(today: NaiveDate) -> LintOptions {
        LintOptions { today, max_nodes: DEFAULT_MAX_NODES }
    }
}

/// Every finding, agreements in rule order, then vocabulary findings.
pub fn lint(rules: &RuleSet, options: LintOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut symbolic = Symbolic::new(rules, &[options.today], options.max_nodes);
    for (i, a) in rules.agreements.iter().enumerate() {
        let id = AgreementId(i as u32);
        if let Ok(sym) = symbolic.as_mut() {
            // Each check of an agreement needs only the model and its own diagrams.
            let examined = rules::agreement(sym, id, options.today, &mut findings).and_then(|()| {
                sym.compact();
                deadlock::deadlocks(sym, id, &mut findings)
            });
            sym.compact();
            if examined.is_err() {
                // The manager is full: nothing after this can be examined with it either.
                symbolic = Err(super::bdd::TooLarge { limit: options.max_nodes });
                findings.push(too_large(a, options.max_nodes));
            }
        } else if a.clauses.iter().any(|c| c.governs_deployments()) {
            findings.push(too_large(a, options.max_nodes));
        }
        expired(rules, a, options.today, &mut findings);
        unused_params(a, &mut findings);
        assumptions::assumptions(rules, id, a, options.max_nodes, &mut findings);
    }
    unused_vocabulary(rules, &mut findings);
    findings
}

/// What could not be examined within the limit: never skipped in silence, and a warning, so
/// `--deny warnings` fails on it.
fn too_large(a: &Agreement, limit: usize) -> Finding {
    Finding {
        code: codes::TOO_LARGE,
        level: Level::Warning,
        message: format!(
            "agreement `{}` was not examined for conflicts, deadlocks, dead and redundant rules: the analysis \
             needs more than {} decision-diagram nodes",
            a.id,
            thousands(limit)
        ),
        span: a.span,
        help: Some(
            "lint never samples; raise the limit with `--max-nodes`, or split the agreement or its vocabulary"
                .into(),
        ),
        example: None,
        related: Vec::new(),
    }
}

/// `4,194,304`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    // A clause's own end or supersession, while its agreement runs on: a note, as the rules say
    // the term is over (its rules are then not reported as no longer applying).
    let agreement_runs = crate::eval::period(rules, a).through.is_none_or(|t| t >= today);
    for c in a.clauses.iter().filter(|_| agreement_runs) {
        if let Some(end) = c.ends.as_ref().filter(|e| e.date < today) {
            let help = "the rest of the agreement stays in force; kept for deployments dated before then";
            push(end.span, format!("clause `{}`", c.id), end.date, Level::Note, help);
        } else if let Some(by) = c
            .superseded_by
            .iter()
            .map(|b| rules.agreement(*b))
            .filter(|b| b.effective.date <= today)
            .min_by_key(|b| b.effective.date)
        {
            let last = by.effective.date.pred_opt().unwrap_or(by.effective.date);
            let help = format!("superseded by `{}`; kept for deployments dated before then", by.id);
            push(c.span, format!("clause `{}`", c.id), last, Level::Note, &help);
        }
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
