//! SARIF 2.1.0, as GitHub code scanning ingests it.
//!
//! One rule per clause that governs deployments (`agreement/clause`, and `agreement/default` for
//! a `default deny`), with the clause's title, the agreement's, the quoted source as help, and the
//! level its severity gives; then one rule per code of the registry a run can report (record
//! errors, waivers, the baseline). Each violated term is a result located in the plan file at the
//! deployment's line and column (a relative URI, as the plan was named); a plan read from
//! standard input has no file, so its results point at the clause in the rule file. No result is
//! without a location: what has no place is a notification of the invocation.
//!
//! `partialFingerprints` hash the plan, the deployment's id, the agreement and the clause, not
//! the line, so an alert keeps its identity when unrelated lines move. A waived violation carries
//! a `suppressions` entry with its approver and justification; with a baseline, each result says
//! whether it is `new` or `unchanged`.
//!
//! Written piece by piece like the JSON report: the rules first (they depend on the rule set
//! only), results as records come, notifications at the end.

use std::io::{self, Write};

use super::jsonw::Json;
use super::texts::RuleTexts;
use super::violations::{rows, Row};
use super::{End, Needs, Render, Sink, Start};
use crate::check::{Checked, Disposition, PlanInfo, RunVerdict};
use crate::diagnostic::codes::{self, Area, Code};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::model::{ClauseSeverity, RuleSet};
use crate::plan::{InvalidRecord, PlanError};
use crate::source::Sources;

/// Depth of a result object in the document (`{ "runs": [ { "results": [ {`).
const RESULT_DEPTH: usize = 4;
/// Separates the items of a rendered piece; JSON text never holds it.
const END_ITEM: u8 = 0x1e;
/// A rendered item's kind, its first byte.
const RESULT: u8 = b'R';
const NOTIFICATION: u8 = b'N';

/// The key of our fingerprints in `partialFingerprints`.
const FINGERPRINT: &str = "clausecheck/v1";

/// FNV-1a, 64 bits: stable across runs, builds and platforms (unlike the standard hasher).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator byte, so `ab`,`c` and `a`,`bc` differ.
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// A path as a URI reference: relative paths stay relative (to the repository root, where CI
/// runs), absolute ones become `file://` URIs; anything outside the unreserved characters is
/// percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    let absolute = path.starts_with('/');
    if absolute {
        out.push_str("file://");
    }
    let path = path.strip_prefix("./").unwrap_or(&path);
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The codes a run of `check` can report as results, in registry order.
fn run_codes() -> impl Iterator<Item = &'static Code> {
    codes::ALL.iter().copied().filter(|c| {
        matches!(c.area, Area::Plan | Area::Waivers | Area::Baseline | Area::Run) || c.name == "bad-date"
    })
}

/// Where a rule id sits in `rules[]`.
struct RuleIndex {
    /// Per agreement, per clause.
    clauses: Vec<Vec<Option<usize>>>,
    defaults: Vec<Option<usize>>,
    /// Per code of [`run_codes`], by name.
    codes: Vec<(&'static str, usize)>,
}

impl RuleIndex {
    fn new(rules: &RuleSet) -> RuleIndex {
        let mut next = 0;
        let mut clauses = Vec::new();
        let mut defaults = Vec::new();
        for a in &rules.agreements {
            clauses.push(
                a.clauses
                    .iter()
                    .map(|c| {
                        c.governs_deployments().then(|| {
                            next += 1;
                            next - 1
                        })
                    })
                    .collect(),
            );
            defaults.push(matches!(a.default, crate::model::Default::Deny).then(|| {
                next += 1;
                next - 1
            }));
        }
        let codes = run_codes()
            .map(|c| {
                next += 1;
                (c.name, next - 1)
            })
            .collect();
        RuleIndex { clauses, defaults, codes }
    }

    fn code(&self, name: &str) -> Option<usize> {
        self.codes.iter().find(|(n, _)| *n == name).map(|(_, i)| *i)
    }
}

/// `file:line:column` split (the file may hold colons).
fn split_place(place: &str) -> (&str, Option<usize>, Option<usize>) {
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next().and_then(|c| c.parse().ok());
    let line = parts.next().and_then(|l| l.parse().ok());
    match (parts.next(), line, column) {
        (Some(file), Some(l), Some(c)) => (file, Some(l), Some(c)),
        _ => (place, None, None),
    }
}

fn location(j: &mut Json<'_>, file: &str, line: Option<usize>, column: Option<usize>) {
    j.key("locations");
    j.open(b'[');
    j.element();
    j.open(b'{');
    j.key("physicalLocation");
    j.open(b'{');
    j.key("artifactLocation");
    j.open(b'{');
    let uri = uri(file);
    j.field_str("uri", &uri);
    if !uri.starts_with("file:") {
        j.field_str("uriBaseId", "%SRCROOT%");
    }
    j.close(b'}');
    j.key("region");
    j.open(b'{');
    j.field_num("startLine", line.unwrap_or(1).max(1) as u64);
    if let Some(c) = column.filter(|c| *c > 0) {
        j.field_num("startColumn", c as u64);
    }
    j.close(b'}');
    j.close(b'}');
    j.close(b'}');
    j.close(b']');
}

fn message(j: &mut Json<'_>, text: &str) {
    j.key("message");
    j.open(b'{');
    j.field_str("text", text);
    j.close(b'}');
}

pub(super) struct SarifRender<'r> {
    texts: &'r RuleTexts<'r>,
    index: RuleIndex,
}

impl<'r> SarifRender<'r> {
    pub(super) fn new(texts: &'r RuleTexts<'r>) -> SarifRender<'r> {
        SarifRender { texts, index: RuleIndex::new(texts.rules) }
    }

    fn rule_index(&self, row: &Row<'_>) -> Option<usize> {
        let a = row.violation.agreement.index();
        match row.violation.clause {
            Some(c) => self.index.clauses.get(a)?.get(c.index()).copied().flatten(),
            None => self.index.defaults.get(a).copied().flatten(),
        }
    }

    fn result(&self, c: &Checked<'_>, row: &Row<'_>, out: &mut Vec<u8>) {
        let d = c.deployment;
        out.push(RESULT);
        let mut j = Json::new(out, true, RESULT_DEPTH, true);
        j.element();
        j.open(b'{');
        j.field_str("ruleId", &row.rule_id());
        if let Some(i) = self.rule_index(row) {
            j.field_num("ruleIndex", i as u64);
        }
        let lvl = match row.disposition() {
            Disposition::Advisory if !c.policy.fail_on_advisory => "warning",
            _ if row.violation.severity == ClauseSeverity::Advisory && !c.policy.fail_on_advisory => {
                "warning"
            }
            _ => "error",
        };
        j.field_str("level", lvl);
        let mut text = format!("`{}` violates {} — {}: {}", d.id, row.name(), row.title, row.reason);
        if !row.quote.is_empty() {
            text.push_str(&format!(" — “{}”", row.quote));
        }
        if let Some(note) = row.note() {
            text.push_str(&format!(" ({note})"));
        }
        message(&mut j, &text);
        if c.plan.name.as_ref() == "<stdin>" {
            let (file, line, column) = split_place(row.source);
            location(&mut j, file, line, column);
        } else {
            location(&mut j, &c.plan.name, d.line, d.column);
        }
        j.key("partialFingerprints");
        j.open(b'{');
        j.field_str(FINGERPRINT, &fingerprint(&[&c.plan.name, &d.id, row.agreement, row.clause]));
        j.close(b'}');
        if c.policy.baseline.is_some() {
            j.field_str("baselineState", if row.violation.baseline.is_some() { "unchanged" } else { "new" });
        }
        if let (Disposition::Waived, Some(w)) = (row.disposition(), row.waiver) {
            j.key("suppressions");
            j.open(b'[');
            j.element();
            j.open(b'{');
            j.field_str("kind", "external");
            j.field_str("status", "accepted");
            j.field_str("justification", &format!("approved by {}: {}", w.approver, w.reason));
            j.key("properties");
            j.open(b'{');
            j.field_str("approver", &w.approver);
            j.field_str("reason", &w.reason);
            if let Some(t) = &w.ticket {
                j.field_str("ticket", t);
            }
            if let Some(l) = &w.link {
                j.field_str("link", l);
            }
            j.field_str("expires", &w.expires.to_string());
            j.field_str("waivers", &w.place(&c.policy.waivers.file));
            j.close(b'}');
            j.close(b'}');
            j.close(b']');
        }
        j.key("properties");
        j.open(b'{');
        j.field_str("deployment", &d.id);
        j.field_str("disposition", row.disposition().as_str());
        j.close(b'}');
        j.close(b'}');
        out.push(END_ITEM);
    }
}

impl Render for SarifRender<'_> {
    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        for row in rows(self.texts, c) {
            self.result(c, &row, out);
        }
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        for d in record.diagnostics(&plan.name) {
            let stdin = plan.name.as_ref() == "<stdin>";
            // The place is the result's location; the words say which record and field.
            let mut text = format!("record `{}`", record.id);
            if let Location::Record { field: Some(field), .. } = &d.location {
                text.push_str(&format!(", field `{field}`"));
            }
            text.push_str(&format!(": {}", d.message));
            if let Some(help) = &d.help {
                text.push_str(&format!(" ({help})"));
            }
            item(
                out,
                &d,
                &text,
                self.index.code(d.code.name),
                (!stdin).then_some(&plan.name[..]),
                &[&plan.name, &record.id, d.code.name],
            );
        }
    }
}

/// A finding as a result at `file` (its line and column from the diagnostic), or as a
/// notification when it has no file.
fn item(
    out: &mut Vec<u8>,
    d: &Diagnostic,
    text: &str,
    rule: Option<usize>,
    file: Option<&str>,
    key: &[&str],
) {
    let (line, column) = match &d.location {
        Location::Record { line, column, .. } | Location::File { line, column, .. } => (*line, *column),
        _ => (None, None),
    };
    match file {
        Some(file) => {
            out.push(RESULT);
            let mut j = Json::new(out, true, RESULT_DEPTH, true);
            j.element();
            j.open(b'{');
            j.field_str("ruleId", d.code.name);
            if let Some(i) = rule {
                j.field_num("ruleIndex", i as u64);
            }
            j.field_str("level", level(d.severity));
            message(&mut j, text);
            location(&mut j, file, line, column);
            j.key("partialFingerprints");
            j.open(b'{');
            j.field_str(FINGERPRINT, &fingerprint(key));
            j.close(b'}');
            j.close(b'}');
        }
        None => notification(out, d, text),
    }
    out.push(END_ITEM);
}

fn notification(out: &mut Vec<u8>, d: &Diagnostic, text: &str) {
    out.push(NOTIFICATION);
    let mut j = Json::new(out, true, RESULT_DEPTH + 2, true);
    j.element();
    j.open(b'{');
    j.field_str("level", level(d.severity));
    message(&mut j, text);
    j.key("descriptor");
    j.open(b'{');
    j.field_str("id", d.code.name);
    j.close(b'}');
    j.close(b'}');
}

fn write_rule(
    j: &mut Json<'_>,
    id: &str,
    short: &str,
    full: &str,
    help_text: &str,
    help_md: &str,
    lvl: &str,
) {
    j.element();
    j.open(b'{');
    j.field_str("id", id);
    j.key("shortDescription");
    j.open(b'{');
    j.field_str("text", short);
    j.close(b'}');
    j.key("fullDescription");
    j.open(b'{');
    j.field_str("text", full);
    j.close(b'}');
    j.key("help");
    j.open(b'{');
    j.field_str("text", help_text);
    j.field_str("markdown", help_md);
    j.close(b'}');
    j.key("defaultConfiguration");
    j.open(b'{');
    j.field_str("level", lvl);
    j.close(b'}');
    j.close(b'}');
}

fn code_rule(j: &mut Json<'_>, c: &Code) {
    let help_md = format!("{}.\n\n{}.", c.summary, c.help);
    write_rule(j, c.name, c.summary, c.summary, c.help, &help_md, level(c.severity));
}

/// The document up to the first result: `$schema`, version, the tool and its rules.
fn head(out: &mut Vec<u8>, rules: &mut dyn FnMut(&mut Json<'_>)) {
    let mut j = Json::new(out, true, 0, true);
    j.open(b'{');
    j.field_str("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    j.field_str("version", "2.1.0");
    j.key("runs");
    j.open(b'[');
    j.element();
    j.open(b'{');
    j.key("tool");
    j.open(b'{');
    j.key("driver");
    j.open(b'{');
    j.field_str("name", "clausecheck");
    j.field_str("semanticVersion", env!("CARGO_PKG_VERSION"));
    j.field_str("version", env!("CARGO_PKG_VERSION"));
    j.key("rules");
    j.open(b'[');
    rules(&mut j);
    j.close(b']');
    j.close(b'}');
    j.close(b'}');
    j.key("results");
    j.raw(b"[");
}

/// After the last result: the invocation and its notifications.
fn tail(out: &mut Vec<u8>, results: usize, notifications: &[u8], successful: bool) {
    out.extend_from_slice(if results > 0 { b"\n      ],\n" } else { b"],\n" });
    out.extend_from_slice(b"      \"invocations\": [\n        {\n          \"executionSuccessful\": ");
    out.extend_from_slice(if successful { b"true" } else { b"false" });
    out.extend_from_slice(b",\n          \"toolExecutionNotifications\": [");
    if notifications.is_empty() {
        out.extend_from_slice(b"]\n");
    } else {
        out.extend_from_slice(notifications);
        out.extend_from_slice(b"\n          ]\n");
    }
    out.extend_from_slice(b"        }\n      ]\n    }\n  ]\n}\n");
}

pub(super) struct SarifSink<'r, 'w> {
    texts: &'r RuleTexts<'r>,
    out: Box<dyn Write + Send + 'w>,
    index: RuleIndex,
    results: usize,
    /// Notifications, joined, written at the end.
    notifications: Vec<u8>,
    buf: Vec<u8>,
}

impl<'r, 'w> SarifSink<'r, 'w> {
    pub(super) fn new(texts: &'r RuleTexts<'r>, out: Box<dyn Write + Send + 'w>) -> SarifSink<'r, 'w> {
        SarifSink {
            index: RuleIndex::new(texts.rules),
            texts,
            out,
            results: 0,
            notifications: Vec::new(),
            buf: Vec::new(),
        }
    }

    fn take(&mut self, bytes: &[u8]) -> io::Result<()> {
        for item in bytes.split(|b| *b == END_ITEM).filter(|i| !i.is_empty()) {
            let (kind, body) = item.split_at(1);
            if kind[0] == NOTIFICATION {
                if !self.notifications.is_empty() {
                    self.notifications.push(b',');
                }
                self.notifications.extend_from_slice(body);
            } else {
                if self.results > 0 {
                    self.out.write_all(b",")?;
                }
                self.results += 1;
                self.out.write_all(body)?;
            }
        }
        Ok(())
    }
}

impl Sink for SarifSink<'_, '_> {
    fn needs(&self) -> Needs {
        Needs::default()
    }

    fn begin(&mut self, _start: &Start<'_>) -> io::Result<()> {
        let texts = self.texts;
        let rules = texts.rules;
        self.buf.clear();
        head(&mut self.buf, &mut |j| {
            for (ai, a) in rules.agreements.iter().enumerate() {
                let at = &texts.agreements[ai];
                for (ci, c) in a.clauses.iter().enumerate().filter(|(_, c)| c.governs_deployments()) {
                    let source = &at.clauses[ci].source;
                    let lvl = if c.severity == ClauseSeverity::Advisory { "warning" } else { "error" };
                    let full =
                        format!("{} — {} ({}, {} clause)", a.title, c.title, a.id, c.severity.as_str());
                    let text = format!("“{}” — {source}", c.quote);
                    let md = format!(
                        "**{}** ({}), in *{}*:\n\n> {}\n\nSource: `{source}`. Severity: {}.",
                        c.title,
                        c.id,
                        a.title,
                        c.quote,
                        c.severity.as_str()
                    );
                    write_rule(j, &format!("{}/{}", a.id, c.id), &c.title, &full, &text, &md, lvl);
                }
                if matches!(a.default, crate::model::Default::Deny) {
                    let short = format!("{} denies what no clause allows", a.id);
                    let full =
                        format!("{} — `default deny`: a deployment no clause allows is violated", a.title);
                    let text = format!("default deny — {}", at.source);
                    let md = format!("*{}* has `default deny`: a deployment no clause allows is violated.\n\nSource: `{}`.", a.title, at.source);
                    write_rule(j, &format!("{}/default", a.id), &short, &full, &text, &md, "error");
                }
            }
            for c in run_codes() {
                code_rule(j, c);
            }
        });
        let _ = &self.index;
        self.out.write_all(&self.buf)
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        let d = error.to_diagnostic(&plan.name);
        let mut piece = Vec::new();
        let stdin = plan.name.as_ref() == "<stdin>";
        let text = d.one_line(&Sources::new());
        item(
            &mut piece,
            &d,
            &text,
            self.index.code(d.code.name),
            (!stdin).then_some(&plan.name[..]),
            &[&plan.name, d.code.name],
        );
        self.take(&piece)
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes)
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes)
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        let policy = end.policy;
        let mut piece = Vec::new();
        for i in end.usage.unused_waivers() {
            let w = &policy.waivers.list[i];
            let location = Location::File { file: policy.waivers.file.clone(), line: w.line, column: None };
            let text =
                format!("the waiver of `{}` approved by {} matches no violation", w.target, w.approver);
            let d = Diagnostic::new(codes::WAIVER_UNUSED, text.clone(), location);
            item(
                &mut piece,
                &d,
                &text,
                self.index.code(d.code.name),
                Some(&policy.waivers.file),
                &[&policy.waivers.file, &w.target, &w.approver],
            );
        }
        for (i, n) in end.usage.expired_waivers() {
            let w = &policy.waivers.list[i];
            let location = Location::File { file: policy.waivers.file.clone(), line: w.line, column: None };
            let text = w.expired_words(n);
            let d = Diagnostic::new(codes::WAIVER_EXPIRED, text.clone(), location);
            item(
                &mut piece,
                &d,
                &text,
                self.index.code(d.code.name),
                Some(&policy.waivers.file),
                &[&policy.waivers.file, &w.target, &w.approver, &w.expires.to_string()],
            );
        }
        if let Some(b) = &policy.baseline {
            for i in end.usage.fixed() {
                let e = &b.entries[i];
                let text = format!(
                    "fixed since the baseline: `{}` ({}) no longer violates {}.{}",
                    e.id, e.plan, e.agreement, e.clause
                );
                let d = Diagnostic::new(codes::BASELINE_FIXED, text.clone(), Location::None);
                notification(&mut piece, &d, &text);
                piece.push(END_ITEM);
            }
        }
        self.take(&piece)?;
        self.buf.clear();
        tail(&mut self.buf, self.results, &self.notifications, end.verdict != RunVerdict::Error);
        self.out.write_all(&self.buf)?;
        self.out.flush()
    }
}

/// The text of a rule file at `span` (empty if the span is not in the file).
fn span_text(sources: &Sources, span: crate::source::Span) -> &str {
    let text: &str = &sources.get(span.file).text;
    text.get(span.start as usize..span.end as usize).unwrap_or("")
}

/// A SARIF document of findings outside a run (`lint`, or the errors of inputs that stopped a
/// run): one rule per code found, results in the files they are about (rule files, waivers),
/// placeless ones as notifications.
pub fn diagnostics(found: &[Diagnostic], sources: &Sources, _command: &str) -> Vec<u8> {
    let mut used: Vec<&'static Code> =
        codes::ALL.iter().copied().filter(|c| found.iter().any(|d| d.code == *c)).collect();
    used.dedup();
    let mut out = Vec::new();
    head(&mut out, &mut |j| {
        for c in &used {
            code_rule(j, c);
        }
    });
    let mut results = 0;
    let mut notifications = Vec::new();
    for d in found {
        let (file, _, _) = d.file_line_column(sources);
        let rule = used.iter().position(|c| *c == d.code);
        let mut piece = Vec::new();
        let (line, column) = match (&d.location, d.span()) {
            (_, Some(span)) => {
                let (l, c) = sources.get(span.file).line_col(span.start as usize);
                (Some(l), Some(c))
            }
            (Location::Record { line, column, .. } | Location::File { line, column, .. }, None) => {
                (*line, *column)
            }
            _ => (None, None),
        };
        let mut text = d.message.clone();
        if let Some(h) = &d.help {
            text.push_str(&format!(" (help: {h})"));
        }
        let placed = Diagnostic {
            location: match &file {
                Some(f) => Location::File { file: f.clone(), line, column },
                None => Location::None,
            },
            ..d.clone()
        };
        // Not the line, nor the message (which may name today's date): the text at each of its
        // places, so a finding keeps its identity when lines above it move.
        let mut key: Vec<&str> = vec![file.as_deref().unwrap_or(""), d.code.name];
        match &d.location {
            Location::Rules { primary, secondary } => {
                key.extend(std::iter::once(primary).chain(secondary).map(|l| span_text(sources, l.span)));
            }
            _ => key.push(&d.message),
        }
        item(&mut piece, &placed, &text, rule, file.as_deref(), &key);
        let (kind, body) = piece.split_at(1);
        let body = &body[..body.len() - 1];
        if kind[0] == NOTIFICATION {
            if !notifications.is_empty() {
                notifications.push(b',');
            }
            notifications.extend_from_slice(body);
        } else {
            if results > 0 {
                out.push(b',');
            }
            results += 1;
            out.extend_from_slice(body);
        }
    }
    let failed = found.iter().any(|d| d.severity == Severity::Error);
    tail(&mut out, results, &notifications, !failed);
    out
}
