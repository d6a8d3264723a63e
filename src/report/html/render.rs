//! The per-record half of the HTML report: one checked deployment or record error into tagged
//! pieces of HTML (table rows), which the sink sorts into the page's sections. Pure, and called
//! on every thread at once; whatever does not depend on the record (group numbers, each rule's
//! assumptions in words) is made once in [`HtmlRender::new`].
//!
//! A piece is `[kind][slot: u32 LE][length: u32 LE][bytes]`. Kinds are the constants below; the
//! slot is a violation's clause group, or a deployment's verdict ([`verdict_slot`]).

use std::fmt::Write as _;

use super::escape::{escaped, prose, prosed, text};
use crate::check::{Checked, Decision, Disposition, Filter, PlanInfo};
use crate::model::Statement;
use crate::plan::InvalidRecord;
use crate::report::texts::RuleTexts;
use crate::report::violations::rows;
use crate::report::{Render, Start};

/// A violation that fails the run; the slot is its clause group.
pub const FAILING: u8 = b'G';
pub const ERROR: u8 = b'E';
pub const KNOWN: u8 = b'K';
pub const WAIVED: u8 = b'W';
pub const ADVISORY: u8 = b'A';
/// An allowed deployment that becomes violated soon (`--warn-within`).
pub const WARNING: u8 = b'X';
/// A row of the deployments table; the slot is its verdict.
pub const LISTED: u8 = b'D';
/// The deployment's value of each field (value + 1, 0 for none), u32 LE each; the slot is its
/// verdict. Counted by the sink for the deployments it does not list.
pub const VALUES: u8 = b'F';

/// The verdicts a deployment can have on the page, in the order the summary counts them.
pub const VERDICTS: [&str; 6] = ["allowed", "violated", "advisory", "waived", "known", "error"];

pub fn verdict_slot(d: Option<Decision>) -> u32 {
    match d {
        Some(Decision::Allowed) => 0,
        Some(Decision::Violated) => 1,
        Some(Decision::Advisory) => 2,
        Some(Decision::Waived) => 3,
        Some(Decision::Known) => 4,
        None => 5,
    }
}

pub fn push_piece(out: &mut Vec<u8>, kind: u8, slot: u32, bytes: &[u8]) {
    out.push(kind);
    out.extend_from_slice(&slot.to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Splits a rendered record back into its pieces: `(kind, slot, bytes)`. A malformed tail (which
/// only a bug could make) ends the iteration.
pub fn pieces(mut bytes: &[u8]) -> impl Iterator<Item = (u8, u32, &[u8])> {
    std::iter::from_fn(move || {
        if bytes.len() < 9 {
            return None;
        }
        let kind = bytes[0];
        let slot = u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
        let len = u32::from_le_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]) as usize;
        let body = bytes.get(9..9 + len)?;
        bytes = &bytes[9 + len..];
        Some((kind, slot, body))
    })
}

/// The clause groups: agreement `a`'s clause `c` is group `offsets[a] + c`, its `default deny`
/// is `offsets[a] + clauses`.
pub fn group_offsets(texts: &RuleTexts<'_>) -> Vec<u32> {
    let mut next = 0u32;
    texts
        .rules
        .agreements
        .iter()
        .map(|a| {
            let at = next;
            next = next.saturating_add(a.clauses.len() as u32 + 1);
            at
        })
        .collect()
}

pub(in crate::report) struct HtmlRender<'r> {
    texts: &'r RuleTexts<'r>,
    filter: Filter,
    offsets: Vec<u32>,
    /// Per agreement, per clause, per statement: the subjects of the rule's assumptions, escaped.
    assumptions: Vec<Vec<Vec<String>>>,
    /// Several plans: rows name their plan as well as their line.
    several_plans: bool,
}

impl<'r> HtmlRender<'r> {
    pub(in crate::report) fn new(texts: &'r RuleTexts<'r>, filter: Filter) -> HtmlRender<'r> {
        let rules = texts.rules;
        let assumptions = rules
            .agreements
            .iter()
            .map(|a| {
                a.clauses
                    .iter()
                    .map(|c| {
                        c.statements
                            .iter()
                            .map(|s| match s {
                                Statement::Rule(r) => {
                                    let subjects: Vec<String> = r
                                        .assumptions
                                        .iter()
                                        .filter_map(|a| a.resolve(rules))
                                        .map(|a| prosed(&a.subject))
                                        .collect();
                                    subjects.join(", ")
                                }
                                _ => String::new(),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        HtmlRender { texts, filter, offsets: group_offsets(texts), assumptions, several_plans: false }
    }

    /// `<td>` of where the record is: its line, and its plan when there are several.
    fn place(&self, out: &mut String, plan: &PlanInfo, line: Option<usize>) {
        out.push_str("<td>");
        if self.several_plans {
            text(out, &plan.name);
            if line.is_some() {
                out.push(':');
            }
        }
        if let Some(line) = line {
            let _ = write!(out, "{line}");
        }
        out.push_str("</td>");
    }

    /// `data-f="party=openai cloud=aws"`: the deployment's field values, for the filters.
    fn facts(&self, out: &mut String, c: &Checked<'_>) {
        let vocab = &self.texts.rules.vocabulary;
        out.push_str(" data-f=\"");
        let mut first = true;
        for (f, field) in vocab.fields.iter().enumerate() {
            let Some(v) = c.deployment.values.get(f).copied().flatten() else { continue };
            if !first {
                out.push(' ');
            }
            first = false;
            text(out, &field.name);
            out.push('=');
            text(out, field.values.get(v.0 as usize).map_or("", String::as_str));
        }
        out.push('"');
    }
}

fn badge(out: &mut String, verdict: &str) {
    let _ = write!(out, "<span class=\"b {verdict}\">{verdict}</span>");
}

impl Render for HtmlRender<'_> {
    fn prepare(&mut self, start: &Start<'_>) {
        self.several_plans = start.plans.len() > 1;
    }

    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        if self.filter == Filter::Quiet {
            return;
        }
        let rules = self.texts.rules;
        let d = c.deployment;
        let verdict = VERDICTS[verdict_slot(Some(c.decision)) as usize];
        let mut id = String::new();
        text(&mut id, &d.id);
        // The violated terms' assumptions, in the order `rows` gives them (`Policy::judge`).
        let mut rests_on: Vec<&str> = Vec::new();
        for view in c.outcome.agreements() {
            let per = &self.assumptions[view.agreement.index()];
            for t in view.violated() {
                let i = t.reason.rule();
                rests_on.push(i.and_then(|i| per[t.clause.index()].get(i)).map_or("", String::as_str));
            }
            if view.denied_by_default {
                rests_on.push("");
            }
        }
        let mut s = String::new();
        let mut clauses = String::new();
        let mut cells = String::new();
        for (n, row) in rows(self.texts, c).into_iter().enumerate() {
            let v = row.violation;
            let clause = v.clause.map_or(rules.agreement(v.agreement).clauses.len() as u32, |c| c.0);
            let group = self.offsets[v.agreement.index()].saturating_add(clause);
            let name = escaped(&row.name());
            let disposition = row.disposition();
            let failing = c.policy.term_fails(disposition);
            if !clauses.is_empty() {
                clauses.push(' ');
                cells.push(' ');
            }
            clauses.push_str(&name);
            if failing {
                let _ = write!(cells, "<a href=\"#g-{group}\">{name}</a>");
            } else {
                let _ = write!(cells, "{name} ({})", disposition.as_str());
            }
            s.clear();
            let _ = write!(s, "<tr data-v=\"{verdict}\" data-a=\"");
            text(&mut s, row.agreement);
            let _ = write!(s, "\" data-c=\"{name}\"");
            self.facts(&mut s, c);
            let _ = write!(s, "><th scope=\"row\">{id}</th>");
            self.place(&mut s, c.plan, d.line);
            if !failing {
                let _ = write!(s, "<td>{name} — ");
                text(&mut s, &row.title);
                s.push_str("</td>");
            }
            if disposition == Disposition::Waived && !failing {
                let w = row.waiver;
                for cell in [
                    w.map(|w| w.approver.as_str()),
                    w.map(|w| w.reason.as_str()),
                    Some(&*w.map(|w| w.expires.to_string()).unwrap_or_default()),
                    Some(&*w.map(|w| w.reference()).unwrap_or_default()),
                ] {
                    s.push_str("<td>");
                    text(&mut s, cell.unwrap_or(""));
                    s.push_str("</td>");
                }
            } else {
                s.push_str("<td>");
                prose(&mut s, &row.reason);
                if let Some(note) = row.note() {
                    s.push_str("<br><span class=\"muted\">");
                    text(&mut s, &note);
                    s.push_str("</span>");
                }
                match rests_on.get(n) {
                    Some(subjects) if !subjects.is_empty() => {
                        let _ =
                            write!(s, "<br><span class=\"assume\">rests on an assumption: {subjects}</span>");
                    }
                    _ => {}
                }
                s.push_str("</td>");
            }
            s.push_str("</tr>\n");
            let (kind, slot) = match disposition {
                _ if failing => (FAILING, group),
                Disposition::Known => (KNOWN, 0),
                Disposition::Waived => (WAIVED, 0),
                _ => (ADVISORY, 0),
            };
            push_piece(out, kind, slot, s.as_bytes());
        }
        let mut agreements = String::new();
        for (i, view) in c.outcome.agreements().enumerate() {
            if i > 0 {
                agreements.push(' ');
            }
            text(&mut agreements, &rules.agreement(view.agreement).id);
        }
        if let Some(e) = c.expiry {
            s.clear();
            let _ = write!(s, "<tr data-v=\"{verdict}\" data-a=\"{agreements}\" data-c=\"\"");
            self.facts(&mut s, c);
            let _ = write!(s, "><th scope=\"row\">{id}</th>");
            self.place(&mut s, c.plan, d.line);
            let _ = write!(s, "<td>{}</td><td class=\"n\">{}</td><td>", e.change.date, e.days);
            let names = crate::analysis::violation_names(rules, &e.change.by);
            text(&mut s, &names.join(", "));
            if let Some(event) = &e.event {
                s.push_str(" (when `");
                text(&mut s, event);
                s.push_str("` happens)");
            }
            s.push_str("</td></tr>\n");
            push_piece(out, WARNING, 0, s.as_bytes());
        }
        if !self.filter.shows(c.verdict) {
            return;
        }
        s.clear();
        let _ = write!(s, "<tr data-v=\"{verdict}\" data-a=\"{agreements}\" data-c=\"{clauses}\"");
        self.facts(&mut s, c);
        let _ = write!(s, "><th scope=\"row\">{id}</th>");
        self.place(&mut s, c.plan, d.line);
        s.push_str("<td>");
        badge(&mut s, verdict);
        if let Some(e) = c.expiry {
            let _ = write!(s, " <span class=\"muted\">violated from {}</span>", e.change.date);
        }
        let _ = write!(s, "</td><td>{}</td>", d.date);
        let vocab = &rules.vocabulary;
        for (f, field) in vocab.fields.iter().enumerate() {
            s.push_str("<td>");
            if let Some(v) = d.values.get(f).copied().flatten() {
                text(&mut s, field.values.get(v.0 as usize).map_or("", String::as_str));
            }
            s.push_str("</td>");
        }
        s.push_str("<td>");
        for (i, g) in d.flags.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            text(&mut s, vocab.flag_name(*g));
        }
        let _ = writeln!(s, "</td><td>{agreements}</td><td>{cells}</td></tr>");
        let slot = verdict_slot(Some(c.decision));
        push_piece(out, LISTED, slot, s.as_bytes());
        let mut values = Vec::with_capacity(4 * d.values.len());
        for v in &d.values {
            values.extend_from_slice(&v.map_or(0, |v| v.0 as u32 + 1).to_le_bytes());
        }
        push_piece(out, VALUES, slot, &values);
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        if !self.filter.shows_errors() {
            return;
        }
        let mut id = String::new();
        text(&mut id, &record.id);
        let mut messages = String::new();
        let mut s = String::new();
        for d in record.diagnostics(&plan.name) {
            let field = match &d.location {
                crate::diagnostic::Location::Record { field: Some(f), .. } => f.as_str(),
                _ => "",
            };
            s.clear();
            let _ = write!(
                s,
                "<tr data-v=\"error\" data-a=\"\" data-c=\"\" data-f=\"\"><th scope=\"row\">{id}</th><td>"
            );
            text(&mut s, &d.location.place());
            let _ = write!(s, "</td><td><code>{}</code></td><td>", d.code);
            text(&mut s, field);
            s.push_str("</td><td>");
            let start = s.len();
            prose(&mut s, &d.message);
            if let Some(help) = &d.help {
                s.push_str(" (");
                prose(&mut s, help);
                s.push(')');
            }
            if !messages.is_empty() {
                messages.push_str("; ");
            }
            messages.push_str(&s[start..]);
            s.push_str("</td></tr>\n");
            push_piece(out, ERROR, 0, s.as_bytes());
        }
        let columns = self.texts.rules.vocabulary.fields.len() + 4;
        s.clear();
        let _ =
            write!(s, "<tr data-v=\"error\" data-a=\"\" data-c=\"\" data-f=\"\"><th scope=\"row\">{id}</th>");
        self.place(&mut s, plan, record.line);
        s.push_str("<td>");
        badge(&mut s, "error");
        let _ = writeln!(s, "</td><td colspan=\"{columns}\">{messages}</td></tr>");
        push_piece(out, LISTED, verdict_slot(None), s.as_bytes());
        push_piece(out, VALUES, verdict_slot(None), &[]);
    }
}
