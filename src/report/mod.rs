//! Stage four: outcomes to a [`Report`], and a report to text or JSON.
//!
//! [`build`] gathers everything a reader needs — verdicts, each term's status with a reason in
//! words, the quoted source sentence and its place, the assumptions — into plain data, in input
//! order and rule order. The renderers only lay that data out, so text and JSON can never disagree.
//! Only this module knows serde's output side and JSON. No timestamps, no hash-map order: the same
//! input gives byte-identical output.

mod explain;
mod json;
mod lint;
mod paint;
mod reason;
mod text;

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;

use crate::analysis::Expiry;
use crate::diagnostic::{Diagnostic, Severity};
use crate::eval::{DeploymentOutcome, Reason, Status};
use crate::model::RuleSet;
use crate::plan::{Deployment, Plan, PlanError, Record};
use crate::source::Sources;

pub use explain::{explain_to_json, explain_to_text};
pub use json::{to_json, write_json};
pub use lint::lint_to_json;
pub use paint::Paint;
pub use text::{to_text, TextOptions};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Report<'a> {
    /// `allowed`, `violated`, or `error` when any record, the plan or the rules are wrong.
    pub verdict: &'static str,
    pub summary: Summary,
    pub deployments: Vec<DeploymentReport<'a>>,
    pub errors: Vec<ErrorReport>,
}

/// Every record is counted exactly once: `allowed + violated + errors == deployments`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Summary {
    pub deployments: usize,
    pub allowed: usize,
    pub violated: usize,
    pub errors: usize,
    /// Allowed deployments that become violated soon (`check --warn-within`); not part of the sum.
    pub warnings: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeploymentReport<'a> {
    pub id: Cow<'a, str>,
    /// The plan file the deployment comes from.
    pub plan: Arc<str>,
    /// Which plan of the run, for keeping input order when reports are merged.
    #[serde(skip)]
    pub plan_seq: usize,
    /// 1-based position in the plan.
    pub position: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub verdict: &'static str,
    pub date: String,
    /// The deployment's field values, then its true flags (value: the flag's name), in vocabulary order.
    pub facts: Vec<Fact<'a>>,
    pub agreements: Vec<&'a str>,
    pub terms: Vec<TermReport<'a>>,
    /// Set when the deployment is allowed on its date but becomes violated soon after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<WarningReport>,
}

/// An allowed deployment that becomes violated within the `--warn-within` horizon.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WarningReport {
    /// The first day it would be violated.
    pub violated_from: String,
    /// Days after the deployment's date.
    pub days: i64,
    /// `agreement.clause` of each clause violated from then.
    pub by: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fact<'a> {
    pub field: &'a str,
    pub value: &'a str,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TermReport<'a> {
    pub agreement: &'a str,
    /// The clause id, or `default` for an agreement's `default deny`.
    pub clause: &'a str,
    pub title: Cow<'a, str>,
    pub status: &'static str,
    pub reason: Arc<str>,
    pub quote: &'a str,
    /// `file:line:column` of the clause.
    pub source: Arc<str>,
    pub assumptions: Vec<AssumptionReport<'a>>,
    /// False for obligation, payment and information clauses, which no deployment can meet or break.
    #[serde(skip)]
    pub about_deployments: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AssumptionReport<'a> {
    pub assumed: &'a str,
    pub why: &'a str,
}

/// A record, plan or rule-file error.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorReport {
    #[serde(skip)]
    pub plan_seq: usize,
    /// The record's id or `#N`; absent for errors in the rules or the plan as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The stable code of a rule error (`syntax`, `unknown-name`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
}

/// The report of a checked plan. `outcomes` lines up with `plan.records` (see `eval::evaluate_plan`).
pub fn build<'a>(
    rules: &'a RuleSet,
    sources: &Sources,
    plan_name: &str,
    plan: &'a Plan,
    outcomes: &[Option<DeploymentOutcome>],
    expiries: &[Option<Expiry>],
) -> Report<'a> {
    let clauses = ClauseTexts::new(rules, sources);
    let plan_arc: Arc<str> = Arc::from(plan_name);
    let mut summary = Summary::default();
    let mut deployments = Vec::new();
    let mut errors = Vec::new();
    for (i, (record, outcome)) in plan.records.iter().zip(outcomes).enumerate() {
        summary.deployments += 1;
        match (record, outcome) {
            (Record::Valid(d), Some(outcome)) => {
                let mut report = deployment(rules, sources, &clauses, &plan_arc, d, outcome);
                if let Some(Some(e)) = expiries.get(i) {
                    summary.warnings += 1;
                    report.warning = Some(WarningReport {
                        violated_from: e.change.date.to_string(),
                        days: e.days,
                        by: crate::analysis::violated_by(rules, &e.change.outcome)
                            .into_iter()
                            .map(|(a, c)| format!("{a}.{c}"))
                            .collect(),
                    });
                }
                match outcome.verdict {
                    crate::eval::Verdict::Allowed => summary.allowed += 1,
                    crate::eval::Verdict::Violated => summary.violated += 1,
                }
                deployments.push(report);
            }
            (Record::Invalid(bad), _) => {
                summary.errors += 1;
                errors.extend(bad.problems.iter().map(|p| ErrorReport {
                    plan_seq: 0,
                    record: Some(bad.id.clone()),
                    position: Some(bad.position),
                    file: Some(plan_name.to_string()),
                    line: bad.line,
                    column: None,
                    field: p.field.clone(),
                    message: p.message.clone(),
                    help: p.help.clone(),
                    code: None,
                }));
            }
            // INVARIANT: evaluate_plan gives an outcome for every valid record; count it as an error
            // rather than lose it if a caller passes mismatched slices.
            (Record::Valid(d), None) => {
                summary.errors += 1;
                errors.push(ErrorReport {
                    plan_seq: 0,
                    record: Some(d.id.clone()),
                    position: Some(d.position),
                    file: Some(plan_name.to_string()),
                    line: d.line,
                    column: None,
                    field: None,
                    message: "this record was not evaluated".into(),
                    help: None,
                    code: None,
                });
            }
        }
    }
    Report { verdict: verdict(&summary), summary, deployments, errors }
}

/// One report for several plans checked in one run: their entries in order, their counts added.
pub fn merge(reports: Vec<Report<'_>>) -> Report<'_> {
    let mut summary = Summary::default();
    let mut deployments = Vec::new();
    let mut errors = Vec::new();
    for (seq, r) in reports.into_iter().enumerate() {
        summary.deployments += r.summary.deployments;
        summary.allowed += r.summary.allowed;
        summary.violated += r.summary.violated;
        summary.errors += r.summary.errors;
        summary.warnings += r.summary.warnings;
        deployments.extend(r.deployments.into_iter().map(|d| DeploymentReport { plan_seq: seq, ..d }));
        errors.extend(r.errors.into_iter().map(|e| ErrorReport { plan_seq: seq, ..e }));
    }
    let any_failed = errors.iter().any(|e| e.position.is_none());
    Report { verdict: if any_failed { "error" } else { verdict(&summary) }, summary, deployments, errors }
}

fn verdict(summary: &Summary) -> &'static str {
    if summary.errors > 0 {
        "error"
    } else if summary.violated > 0 {
        "violated"
    } else {
        "allowed"
    }
}

/// The report when nothing could be evaluated: broken rules, or a plan that cannot be read.
pub fn failed(errors: Vec<ErrorReport>) -> Report<'static> {
    Report { verdict: "error", summary: Summary::default(), deployments: Vec::new(), errors }
}

/// Rule-file diagnostics as report errors.
pub fn rule_errors(diagnostics: &[Diagnostic], sources: &Sources) -> Vec<ErrorReport> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let file = sources.get(d.primary.span.file);
            let (line, column) = file.line_col(d.primary.span.start as usize);
            ErrorReport {
                plan_seq: 0,
                record: None,
                position: None,
                file: Some(file.name.clone()),
                line: Some(line),
                column: Some(column),
                field: None,
                message: d.message.clone(),
                help: d.help.clone(),
                code: Some(d.code),
            }
        })
        .collect()
}

/// A plan that cannot be read as a report error.
pub fn plan_error(plan_name: &str, e: &PlanError) -> ErrorReport {
    ErrorReport {
        plan_seq: 0,
        record: None,
        position: None,
        file: Some(plan_name.to_string()),
        line: e.line,
        column: e.column,
        field: None,
        message: e.message.clone(),
        help: e.help.clone(),
        code: None,
    }
}

/// What every report of a clause repeats, worked out once per build: its place, and the reason of an
/// obligation or information clause (which does not depend on the deployment).
struct ClauseTexts {
    source: Vec<Vec<Arc<str>>>,
    not_about: Vec<Vec<Arc<str>>>,
    does_not_apply: Arc<str>,
}

impl ClauseTexts {
    fn new(rules: &RuleSet, sources: &Sources) -> ClauseTexts {
        let per_clause = |f: &dyn Fn(&crate::model::Clause) -> String| -> Vec<Vec<Arc<str>>> {
            rules.agreements.iter().map(|a| a.clauses.iter().map(|c| Arc::from(f(c))).collect()).collect()
        };
        ClauseTexts {
            source: per_clause(&|c| sources.location(c.span)),
            not_about: per_clause(&reason::not_about_deployments),
            does_not_apply: Arc::from(reason::DOES_NOT_APPLY),
        }
    }
}

fn deployment<'a>(
    rules: &'a RuleSet,
    sources: &Sources,
    texts: &ClauseTexts,
    plan: &Arc<str>,
    d: &'a Deployment,
    outcome: &DeploymentOutcome,
) -> DeploymentReport<'a> {
    let vocab = &rules.vocabulary;
    let mut facts: Vec<Fact<'a>> = vocab
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let v = d.values.get(i).copied().flatten()?;
            Some(Fact { field: &f.name, value: &f.values[v.0 as usize] })
        })
        .collect();
    facts.extend(d.flags.iter().map(|f| Fact { field: vocab.flag_name(*f), value: vocab.flag_name(*f) }));
    let mut terms = Vec::new();
    for a in &outcome.agreements {
        let index = a.agreement.0 as usize;
        let agreement = &rules.agreements[index];
        for t in &a.terms {
            let clause = &agreement.clauses[t.clause.0 as usize];
            let reason = match &t.reason {
                Reason::NotAboutDeployments => texts.not_about[index][t.clause.0 as usize].clone(),
                Reason::NoRuleApplies if t.overridden_by.is_none() => texts.does_not_apply.clone(),
                _ => Arc::from(reason::describe(rules, sources, agreement, clause, t, d)),
            };
            terms.push(TermReport {
                agreement: &agreement.id,
                clause: &clause.id,
                title: Cow::Borrowed(&clause.title),
                status: t.status.as_str(),
                reason,
                quote: &clause.quote,
                source: texts.source[index][t.clause.0 as usize].clone(),
                about_deployments: clause.governs_deployments(),
                assumptions: t
                    .assumptions(agreement)
                    .iter()
                    .filter_map(|r| r.resolve(rules))
                    .map(|a| AssumptionReport { assumed: &a.subject, why: &a.why })
                    .collect(),
            });
        }
        if a.denied_by_default {
            terms.push(TermReport {
                agreement: &agreement.id,
                clause: "default",
                title: Cow::Owned(format!("{} denies what no clause allows", agreement.id)),
                status: Status::Violated.as_str(),
                reason: Arc::from(format!(
                    "no clause of `{}` allows this deployment, and its default is deny",
                    agreement.id
                )),
                quote: "",
                source: Arc::from(sources.location(agreement.span)),
                about_deployments: true,
                assumptions: Vec::new(),
            });
        }
    }
    DeploymentReport {
        id: Cow::Borrowed(&d.id),
        plan: plan.clone(),
        plan_seq: 0,
        position: d.position,
        line: d.line,
        verdict: outcome.verdict.as_str(),
        date: d.date.to_string(),
        facts,
        agreements: outcome
            .agreements
            .iter()
            .map(|a| rules.agreements[a.agreement.0 as usize].id.as_str())
            .collect(),
        terms,
        warning: None,
    }
}
