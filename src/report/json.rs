//! The JSON report (the contract in PRODUCT.md, pretty-printed) and NDJSON lines, written record
//! by record.
//!
//! Whatever does not depend on the deployment is made once, when the format is set up: each
//! clause's term as it reads when it does not apply (most terms of most deployments), the start
//! and end of every other term (agreement, clause, title; quote, place), each rule's assumptions,
//! each fact. Per deployment only its own parts are written: its id, its verdict, the reasons of
//! the terms that matched. The layout is `serde_json`'s, byte for byte ([`super::jsonw`]).

use std::io::{self, Write};

use serde::Serialize;

use super::jsonw::{self, Json};
use super::texts::RuleTexts;
use super::{prose, End, Needs, Render, Sink, Start};
use crate::check::{Checked, Filter, PlanInfo, Summary, Violation};
use crate::eval::{Status, Term};
use crate::model::*;
use crate::plan::{InvalidRecord, PlanError};

/// Depth of a deployment object in the pretty report (`{ "deployments": [ {` ).
const DEPLOYMENT_DEPTH: usize = 2;

pub(super) struct JsonRender<'r> {
    texts: &'r RuleTexts<'r>,
    filter: Filter,
    pretty: bool,
    agreement_names: Vec<Vec<u8>>,
    /// Per agreement, per clause.
    clauses: Vec<Vec<ClauseJson>>,
    /// Per agreement: the term of its `default deny`, without its closing brace.
    default_terms: Vec<Vec<u8>>,
    /// Per field, per value (then "left out"): the fact object; per flag likewise.
    field_facts: Vec<Vec<Vec<u8>>>,
    flag_facts: Vec<Vec<u8>>,
}

struct ClauseJson {
    /// The whole term when the clause does not apply.
    not_applicable: Vec<u8>,
    /// `{ "agreement", "clause", "title"`: the start of any other term.
    head: Vec<u8>,
    /// `"quote", "source"`.
    tail: Vec<u8>,
    /// Per statement index: the rule's assumptions as a JSON array.
    assumptions: Vec<Vec<u8>>,
}

impl<'r> JsonRender<'r> {
    pub(super) fn new(texts: &'r RuleTexts<'r>, filter: Filter, pretty: bool) -> JsonRender<'r> {
        let rules = texts.rules;
        let term_depth = if pretty { DEPLOYMENT_DEPTH + 2 } else { 0 };
        let piece = |f: &mut dyn FnMut(&mut Json<'_>)| {
            let mut out = Vec::new();
            f(&mut Json::new(&mut out, pretty, term_depth, true));
            out
        };
        let mut clauses = Vec::new();
        let mut default_terms = Vec::new();
        for (ai, a) in rules.agreements.iter().enumerate() {
            let at = &texts.agreements[ai];
            let mut per = Vec::new();
            for (ci, c) in a.clauses.iter().enumerate() {
                let ct = &at.clauses[ci];
                // NDJSON lines are for pipelines: a term names its clause and place; the title
                // and the quoted sentence are in the rule set and in every report for people.
                let head = piece(&mut |j| {
                    j.open(b'{');
                    j.field_str("agreement", &a.id);
                    j.field_str("clause", &c.id);
                    if pretty {
                        j.field_str("title", &c.title);
                    }
                });
                let mut tail = Vec::new();
                let mut j = Json::new(&mut tail, pretty, term_depth + 1, false);
                if pretty {
                    j.field_str("quote", &c.quote);
                }
                j.field_str("source", &ct.source);
                let na_reason =
                    if c.governs_deployments() { prose::DOES_NOT_APPLY } else { ct.not_about.as_str() };
                let not_applicable = piece(&mut |j| {
                    j.open(b'{');
                    j.field_str("agreement", &a.id);
                    j.field_str("clause", &c.id);
                    j.field_str("title", &c.title);
                    j.field_str("status", Status::NotApplicable.as_str());
                    j.field_str("reason", na_reason);
                    j.field_str("quote", &c.quote);
                    j.field_str("source", &ct.source);
                    j.key("assumptions");
                    j.open(b'[');
                    j.close(b']');
                    j.close(b'}');
                });
                let assumptions = c
                    .statements
                    .iter()
                    .map(|s| {
                        let list = match s {
                            Statement::Rule(r) => r.assumptions.as_slice(),
                            _ => &[],
                        };
                        let mut out = Vec::new();
                        let mut j = Json::new(&mut out, pretty, term_depth + 1, true);
                        j.open(b'[');
                        for a in list.iter().filter_map(|a| a.resolve(rules)) {
                            j.element();
                            j.open(b'{');
                            j.field_str("assumed", &a.subject);
                            j.field_str("why", &a.why);
                            j.close(b'}');
                        }
                        j.close(b']');
                        out
                    })
                    .collect();
                per.push(ClauseJson { not_applicable, head, tail, assumptions });
            }
            clauses.push(per);
            default_terms.push(piece(&mut |j| {
                j.open(b'{');
                j.field_str("agreement", &a.id);
                j.field_str("clause", "default");
                if pretty {
                    j.field_str("title", &format!("{} denies what no clause allows", a.id));
                }
                j.field_str("status", Status::Violated.as_str());
                j.field_str(
                    "reason",
                    &format!("no clause of `{}` allows this deployment, and its default is deny", a.id),
                );
                if pretty {
                    j.field_str("quote", "");
                }
                j.field_str("source", &at.source);
                j.key("assumptions");
                j.open(b'[');
                j.close(b']');
                // Left open: the disposition follows ([`JsonRender::disposition`]).
            }));
        }
        let fact = |field: &str, value: &str| {
            let mut out = Vec::new();
            let mut j = Json::new(&mut out, pretty, term_depth, true);
            j.open(b'{');
            j.field_str("field", field);
            j.field_str("value", value);
            j.close(b'}');
            out
        };
        let vocab = &rules.vocabulary;
        let field_facts =
            vocab.fields.iter().map(|f| f.values.iter().map(|v| fact(&f.name, v)).collect()).collect();
        let flag_facts = vocab.flags.iter().map(|g| fact(&g.name, &g.name)).collect();
        let agreement_names = rules
            .agreements
            .iter()
            .map(|a| {
                let mut out = Vec::new();
                jsonw::string(&mut out, &a.id);
                out
            })
            .collect();
        JsonRender { texts, filter, pretty, agreement_names, clauses, default_terms, field_facts, flag_facts }
    }

    /// How a violated term counts: `"disposition"`, and the waiver that waives it or expired.
    fn disposition(&self, j: &mut Json<'_>, v: Option<&Violation>, c: &Checked<'_>) {
        let Some(v) = v else { return };
        j.field_str("disposition", v.disposition.as_str());
        let waiver = |j: &mut Json<'_>, key: &str, i: Option<u32>| {
            let Some(w) = i.and_then(|i| c.policy.waivers.list.get(i as usize)) else { return };
            j.key(key);
            j.open(b'{');
            j.field_str("clause", &w.target);
            j.field_str("approver", &w.approver);
            j.field_str("reason", &w.reason);
            if let Some(t) = &w.ticket {
                j.field_str("ticket", t);
            }
            if let Some(l) = &w.link {
                j.field_str("link", l);
            }
            j.key("expires");
            j.raw(b"\"");
            jsonw::date(j.out, w.expires);
            j.raw(b"\"");
            j.field_str("file", &c.policy.waivers.file);
            if let Some(line) = w.line {
                j.field_num("line", line as u64);
            }
            j.close(b'}');
        };
        waiver(j, "waiver", v.waiver);
        waiver(j, "expired_waiver", v.expired_waiver);
    }

    fn term(
        &self,
        j: &mut Json<'_>,
        a: AgreementId,
        term: &Term,
        c: &Checked<'_>,
        violation: Option<&Violation>,
        reason: &mut String,
    ) {
        let cj = &self.clauses[a.index()][term.clause.index()];
        let plain = term.status == Status::NotApplicable
            && term.overridden_by.is_none()
            && term.reason.rule().is_none();
        if plain && !self.pretty {
            // NDJSON lists the terms that decided something; the others did not apply.
            return;
        }
        j.element();
        // A clause out of its own period says which period: its reason depends on the date.
        if plain && term.reason != crate::eval::Reason::ClauseNotInForce {
            j.raw(&cj.not_applicable);
            return;
        }
        j.raw_open(&cj.head);
        j.field_str("status", term.status.as_str());
        reason.clear();
        prose::reason(self.texts, a, term, c.deployment, reason);
        j.field_str("reason", reason);
        j.raw(&cj.tail);
        j.key("assumptions");
        let rule = term.reason.rule().filter(|_| term.status.matched());
        match rule.and_then(|i| cj.assumptions.get(i)) {
            Some(list) => j.raw(list),
            None => j.raw(b"[]"),
        }
        self.disposition(j, violation, c);
        j.close(b'}');
    }
}

impl Render for JsonRender<'_> {
    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        if !self.filter.shows(c.verdict) {
            return;
        }
        let rules = self.texts.rules;
        let d = c.deployment;
        let mut j = Json::new(out, self.pretty, if self.pretty { DEPLOYMENT_DEPTH } else { 0 }, true);
        if self.pretty {
            j.element();
        }
        j.open(b'{');
        if !self.pretty {
            j.field_str("type", "deployment");
        }
        j.field_str("id", &d.id);
        j.field_str("plan", &c.plan.name);
        j.field_num("position", d.position as u64);
        if let Some(line) = d.line {
            j.field_num("line", line as u64);
        }
        j.field_str("verdict", c.verdict.as_str());
        j.field_str("outcome", c.decision.as_str());
        j.key("date");
        j.raw(b"\"");
        jsonw::date(j.out, d.date);
        j.raw(b"\"");
        j.key("facts");
        j.open(b'[');
        for (f, v) in d.values.iter().enumerate() {
            if let Some(v) = v {
                if let Some(fact) = self.field_facts.get(f).and_then(|vs| vs.get(v.0 as usize)) {
                    j.element();
                    j.raw(fact);
                }
            }
        }
        for g in &d.flags {
            if let Some(fact) = self.flag_facts.get(g.0 as usize) {
                j.element();
                j.raw(fact);
            }
        }
        j.close(b']');
        j.key("agreements");
        j.open(b'[');
        for a in c.outcome.agreements() {
            j.element();
            j.raw(&self.agreement_names[a.agreement.index()]);
        }
        j.close(b']');
        j.key("terms");
        j.open(b'[');
        let mut reason = String::new();
        // The policy judged the violated terms in this order (`Policy::judge`).
        let mut violations = c.violations.iter();
        for view in c.outcome.agreements() {
            for term in view.terms(rules) {
                let v = if term.status == Status::Violated { violations.next() } else { None };
                self.term(&mut j, view.agreement, &term, c, v, &mut reason);
            }
            if view.denied_by_default {
                j.element();
                j.raw_open(&self.default_terms[view.agreement.index()]);
                self.disposition(&mut j, violations.next(), c);
                j.close(b'}');
            }
        }
        j.close(b']');
        if let Some(e) = c.expiry {
            j.key("warning");
            j.open(b'{');
            j.key("violated_from");
            j.raw(b"\"");
            jsonw::date(j.out, e.change.date);
            j.raw(b"\"");
            j.key("days");
            j.int(e.days);
            if let Some(event) = &e.event {
                j.field_str("when_event", event);
            }
            j.key("by");
            j.open(b'[');
            for name in crate::analysis::violation_names(rules, &e.change.by) {
                j.element();
                j.str(&name);
            }
            j.close(b']');
            j.close(b'}');
        }
        j.close(b'}');
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        if !self.filter.shows_errors() {
            return;
        }
        for (i, p) in record.problems.iter().enumerate() {
            let e = ErrorReport {
                record: Some(&record.id),
                position: Some(record.position),
                file: Some(&plan.name),
                line: record.line,
                column: record.column,
                field: p.field.as_deref(),
                message: &p.message,
                help: p.help.as_deref(),
                code: Some(p.code.name),
            };
            if self.pretty {
                write_error(out, &e, true, i == 0);
            } else {
                if i > 0 {
                    out.push(b'\n');
                }
                write_error(out, &e, false, true);
            }
        }
    }
}

/// A record, plan or rule-file error as the JSON report lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorReport<'a> {
    /// The record's id or `#N`; absent for errors in the rules or the plan as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// The stable code of the error (`syntax`, `unknown-value`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'a str>,
}

impl<'a> ErrorReport<'a> {
    /// A plan that cannot be read at all.
    pub fn plan(plan: &'a PlanInfo, e: &'a PlanError) -> ErrorReport<'a> {
        ErrorReport {
            record: None,
            position: None,
            file: Some(&plan.name),
            line: e.line,
            column: e.column,
            field: None,
            message: &e.message,
            help: e.help.as_deref(),
            code: Some(crate::diagnostic::codes::UNREADABLE_PLAN.name),
        }
    }
}

/// One error object; in the pretty report, as an element of the `errors` list (with the
/// separator before it unless it is the `first` of its piece).
fn write_error(out: &mut Vec<u8>, e: &ErrorReport<'_>, pretty: bool, first: bool) {
    let mut j = Json::new(out, pretty, if pretty { 2 } else { 0 }, first);
    if pretty {
        j.element();
    }
    j.open(b'{');
    if !pretty {
        j.field_str("type", "error");
    }
    let opt_str = |j: &mut Json<'_>, k: &str, v: Option<&str>| {
        if let Some(v) = v {
            j.field_str(k, v);
        }
    };
    let opt_num = |j: &mut Json<'_>, k: &str, v: Option<usize>| {
        if let Some(v) = v {
            j.field_num(k, v as u64);
        }
    };
    opt_str(&mut j, "record", e.record);
    opt_num(&mut j, "position", e.position);
    opt_str(&mut j, "file", e.file);
    opt_num(&mut j, "line", e.line);
    opt_num(&mut j, "column", e.column);
    opt_str(&mut j, "field", e.field);
    j.field_str("message", e.message);
    opt_str(&mut j, "help", e.help);
    opt_str(&mut j, "code", e.code);
    j.close(b'}');
}

fn write_summary(j: &mut Json<'_>, s: &Summary) {
    j.open(b'{');
    j.field_num("deployments", s.deployments as u64);
    j.field_num("allowed", s.allowed as u64);
    j.field_num("violated", s.violated as u64);
    j.field_num("errors", s.errors as u64);
    j.field_num("warnings", s.warnings as u64);
    j.field_num("advisory", s.advisory as u64);
    j.field_num("waived", s.waived as u64);
    j.field_num("known", s.known as u64);
    j.close(b'}');
}

/// `"waivers"` and `"baseline"`, when the run had them: which waiver matched what, and which
/// baseline entries are fixed.
fn write_usage(j: &mut Json<'_>, end: &End<'_>) {
    let policy = end.policy;
    if !policy.waivers.list.is_empty() {
        j.key("waivers");
        j.open(b'[');
        for (i, w) in policy.waivers.list.iter().enumerate() {
            j.element();
            j.open(b'{');
            j.field_str("clause", &w.target);
            j.field_str("approver", &w.approver);
            j.field_str("file", &policy.waivers.file);
            if let Some(line) = w.line {
                j.field_num("line", line as u64);
            }
            j.key("expires");
            j.raw(b"\"");
            jsonw::date(j.out, w.expires);
            j.raw(b"\"");
            j.key("active");
            j.raw(if w.active(policy.today) { b"true" } else { b"false" });
            j.field_num("waived", end.usage.waived.get(i).copied().unwrap_or(0) as u64);
            j.field_num("expired_matches", end.usage.expired.get(i).copied().unwrap_or(0) as u64);
            j.close(b'}');
        }
        j.close(b']');
    }
    if let Some(b) = &policy.baseline {
        j.key("baseline");
        j.open(b'{');
        j.field_str("file", &b.file);
        j.field_num("known", end.summary.known as u64);
        j.key("fixed");
        j.open(b'[');
        for i in end.usage.fixed() {
            let e = &b.entries[i];
            j.element();
            j.open(b'{');
            j.field_str("plan", &e.plan);
            j.field_str("id", &e.id);
            j.field_str("agreement", &e.agreement);
            j.field_str("clause", &e.clause);
            j.close(b'}');
        }
        j.close(b']');
        j.close(b'}');
    }
}

/// The pretty JSON document around the pieces: verdict and summary first (from the run's
/// counting pass), then the deployments, then the errors.
pub(super) struct JsonSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    buf: Vec<u8>,
    filter: Filter,
    deployments: usize,
    errors: usize,
    in_errors: bool,
}

impl<'w> JsonSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>, filter: Filter) -> JsonSink<'w> {
        JsonSink { out, buf: Vec::new(), filter, deployments: 0, errors: 0, in_errors: false }
    }

    fn open_errors(&mut self) -> io::Result<()> {
        if !self.in_errors {
            self.in_errors = true;
            let close: &[u8] =
                if self.deployments > 0 { b"\n  ],\n  \"errors\": [" } else { b"],\n  \"errors\": [" };
            self.out.write_all(close)?;
        }
        Ok(())
    }

    fn error_piece(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.open_errors()?;
        if self.errors > 0 {
            self.out.write_all(b",")?;
        }
        self.errors += 1;
        self.out.write_all(bytes)
    }
}

impl Sink for JsonSink<'_> {
    fn needs(&self) -> Needs {
        Needs { summary_first: true, errors_apart: true }
    }

    fn begin(&mut self, start: &Start<'_>) -> io::Result<()> {
        self.buf.clear();
        let mut j = Json::new(&mut self.buf, true, 0, true);
        j.open(b'{');
        let (summary, verdict) =
            start.summary.map_or((Summary::default(), "error"), |(s, v)| (*s, v.as_str()));
        j.field_str("verdict", verdict);
        j.key("summary");
        write_summary(&mut j, &summary);
        j.key("deployments");
        j.raw(b"[");
        self.out.write_all(&self.buf)
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        let mut piece = Vec::new();
        write_error(&mut piece, &ErrorReport::plan(plan, error), true, true);
        self.error_piece(&piece)
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.deployments > 0 {
            self.out.write_all(b",")?;
        }
        self.deployments += 1;
        self.out.write_all(bytes)
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.error_piece(bytes)
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        let _ = self.filter;
        self.open_errors()?;
        self.out.write_all(if self.errors > 0 { b"\n  ]" } else { b"]" })?;
        self.buf.clear();
        let mut j = Json::new(&mut self.buf, true, 1, false);
        write_usage(&mut j, end);
        self.out.write_all(&self.buf)?;
        self.out.write_all(b"\n}\n")?;
        self.out.flush()
    }
}

/// The JSON report of a run that checked nothing: the rules are broken, or missing.
pub fn failed_json(errors: &[ErrorReport<'_>]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Failed<'e, 'a> {
        verdict: &'static str,
        summary: Summary,
        deployments: [(); 0],
        errors: &'e [ErrorReport<'a>],
    }
    let mut out = serde_json::to_vec_pretty(&Failed {
        verdict: "error",
        summary: Summary::default(),
        deployments: [],
        errors,
    })
    .unwrap_or_default();
    out.push(b'\n');
    out
}

/// The JSON report of a run that checked nothing, from the diagnostics that say why (errors
/// only, at most [`crate::diagnostic::MAX_JSON_ERRORS`]).
pub(super) fn failed_from(
    diagnostics: &[crate::diagnostic::Diagnostic],
    sources: &crate::source::Sources,
) -> Vec<u8> {
    with_error_reports(diagnostics, sources, failed_json)
}

/// The errors among `diagnostics` (at most [`crate::diagnostic::MAX_JSON_ERRORS`]) as the
/// `errors` of a JSON report, handed to `f`: for reports of runs that checked nothing.
pub fn with_error_reports<R>(
    diagnostics: &[crate::diagnostic::Diagnostic],
    sources: &crate::source::Sources,
    f: impl FnOnce(&[ErrorReport<'_>]) -> R,
) -> R {
    use crate::diagnostic::{Location, Severity};
    let places: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .take(crate::diagnostic::MAX_JSON_ERRORS)
        .map(|d| (d, d.file_line_column(sources)))
        .collect();
    let errors: Vec<ErrorReport<'_>> = places
        .iter()
        .map(|(d, (file, line, column))| {
            let (record, position, field) = match &d.location {
                Location::Record { record, position, field, .. } => {
                    (Some(record.as_str()), Some(*position), field.as_deref())
                }
                _ => (None, None, None),
            };
            ErrorReport {
                record,
                position,
                file: file.as_deref(),
                line: *line,
                column: *column,
                field,
                message: &d.message,
                help: d.help.as_deref(),
                code: Some(d.code.name),
            }
        })
        .collect();
    f(&errors)
}

/// The NDJSON line of a plan that cannot be read at all.
pub(super) fn plan_failed_line(plan: &PlanInfo, error: &PlanError, out: &mut Vec<u8>) {
    write_error(out, &ErrorReport::plan(plan, error), false, true);
}

/// The NDJSON summary line.
pub(super) fn summary_line(end: &End<'_>, out: &mut Vec<u8>) {
    let mut j = Json::new(out, false, 0, true);
    j.open(b'{');
    j.field_str("type", "summary");
    j.field_str("verdict", end.verdict.as_str());
    j.key("summary");
    write_summary(&mut j, end.summary);
    write_usage(&mut j, end);
    j.close(b'}');
}
