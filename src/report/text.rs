//! The text report, for people: one line per deployment, the violated terms spelt out beneath it
//! (clause, title, reason, quoted source, place, assumptions), record errors in their place, and
//! a closing summary. Anything an input wrote (an id, a plan's name, a value in a message) has its
//! control characters shown escaped, so no input can move the cursor or recolour a line.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::paint::Tone;

use super::texts::RuleTexts;
use super::{prose, End, Paint, Render, Sink, Start, Style};
use crate::check::{Checked, PlanInfo};
use crate::eval::Status;
use crate::plan::{InvalidRecord, PlanError};

/// The widest an id column gets; longer ids push the rest of their line right.
pub const MAX_ID_WIDTH: usize = 32;

pub(super) struct TextRender<'r> {
    texts: &'r RuleTexts<'r>,
    style: Style,
    width: usize,
}

impl<'r> TextRender<'r> {
    pub(super) fn new(texts: &'r RuleTexts<'r>, style: Style) -> TextRender<'r> {
        TextRender { texts, style, width: 0 }
    }
}

/// Text from an input made safe to print: control characters are escaped, not obeyed.
pub fn safe(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// [`safe`] for text of several lines: line ends and tabs are kept, other controls escaped.
pub fn safe_lines(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if c.is_control() && c != '\n' && c != '\t' {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

impl Render for TextRender<'_> {
    fn prepare(&mut self, start: &Start<'_>) {
        self.width = start.id_width.min(MAX_ID_WIDTH);
    }

    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        if !self.style.filter.shows(c.verdict) {
            return;
        }
        // Written straight into `out`: a report of millions of lines is mostly this function.
        let p = Paint::new(self.style.color);
        let rules = self.texts.rules;
        let vocab = &rules.vocabulary;
        let d = c.deployment;
        use crate::check::{Decision, Disposition};
        let (mark, tone, word) = match c.decision {
            Decision::Allowed => ("✓", Tone::Green, "allowed "),
            Decision::Violated => ("✗", Tone::Red, "violated"),
            Decision::Advisory if c.policy.fails(Decision::Advisory) => ("✗", Tone::Red, "advisory"),
            Decision::Advisory => ("~", Tone::Yellow, "advisory"),
            Decision::Waived => ("~", Tone::Yellow, "waived  "),
            Decision::Known => ("~", Tone::Yellow, "known   "),
        };
        p.put(out, tone, mark);
        out.push(b' ');
        let id = safe(&d.id);
        out.extend_from_slice(id.as_bytes());
        let shown = id.chars().count();
        out.resize(out.len() + self.width.saturating_sub(shown), b' ');
        out.extend_from_slice(b"  ");
        p.put(out, tone, word);
        out.extend_from_slice(b"  ");
        for (f, v) in d.values.iter().enumerate() {
            if let Some(v) = v {
                out.extend_from_slice(vocab.value_name(crate::model::FieldId(f as u16), *v).as_bytes());
                out.extend_from_slice(" · ".as_bytes());
            }
        }
        for g in &d.flags {
            out.extend_from_slice(vocab.flag_name(*g).as_bytes());
            out.extend_from_slice(" · ".as_bytes());
        }
        super::jsonw::date(out, d.date);
        out.push(b'\n');
        if let Some(e) = c.expiry {
            let days = if e.days == 1 { "1 day".to_string() } else { format!("{} days", e.days) };
            let by = crate::analysis::violation_names(rules, &e.change.by).join(", ");
            out.extend_from_slice(b"    ");
            p.put(out, Tone::Yellow, "warning:");
            match &e.event {
                Some(event) => {
                    let _ = writeln!(
                        out,
                        " becomes violated when `{event}` happens (it has no date yet) by {by}"
                    );
                }
                None => {
                    let _ = writeln!(out, " becomes violated on {} ({days} later) by {by}", e.change.date);
                }
            }
        }
        if c.outcome.agreements().len() == 0 {
            out.extend_from_slice(b"    ");
            p.put(out, Tone::Dim, "no agreement in force binds this deployment");
            out.push(b'\n');
            return;
        }
        let mut line = String::new();
        let mut reason = String::new();
        // The policy judged the violated terms in this order (`Policy::judge`).
        let mut violations = c.violations.iter();
        let disposition_words =
            |v: Option<&crate::check::Violation>| -> (&'static str, Tone, Option<String>) {
                let Some(v) = v else { return ("violated", Tone::Red, None) };
                let waiver = |i: Option<u32>| i.and_then(|i| c.policy.waivers.list.get(i as usize));
                let expired = waiver(v.expired_waiver).map(|w| {
                    format!(
                        "the waiver approved by {} ({}) expired on {}",
                        w.approver,
                        w.place(&c.policy.waivers.file),
                        w.expires
                    )
                });
                match v.disposition {
                    Disposition::Mandatory => ("violated", Tone::Red, expired),
                    Disposition::Advisory => ("advisory", Tone::Yellow, expired),
                    Disposition::Waived => ("waived  ", Tone::Yellow, waiver(v.waiver).map(|w| w.words())),
                    Disposition::Known => ("known   ", Tone::Yellow, Some("in the baseline".to_owned())),
                }
            };
        for view in c.outcome.agreements() {
            let a = rules.agreement(view.agreement);
            line.clear();
            line.push_str("under ");
            line.push_str(&a.id);
            let mut first = true;
            for (status, words) in [(Status::Allowed, "allowed by"), (Status::Satisfied, "satisfies")] {
                let mut named = view
                    .matched
                    .iter()
                    .filter(|t| t.status == status)
                    .map(|t| a.clause(t.clause).id.as_str());
                if let Some(one) = named.next() {
                    line.push_str(if first { ": " } else { "; " });
                    first = false;
                    line.push_str(words);
                    line.push(' ');
                    line.push_str(one);
                    for other in named {
                        line.push_str(", ");
                        line.push_str(other);
                    }
                }
            }
            // An overridden clause names its exception, which may belong to another agreement.
            for t in view.matched.iter().filter(|t| t.status == Status::Overridden) {
                line.push_str(if first { ": " } else { "; " });
                first = false;
                line.push_str(&a.clause(t.clause).id);
                line.push_str(" overridden");
                if let Some(by) = t.overridden_by {
                    line.push_str(" by ");
                    line.push_str(&rules.clause_name_from(view.agreement, by));
                }
            }
            if first && view.violated().next().is_none() && !view.denied_by_default {
                line.push_str(": no clause applies (default allow)");
            }
            out.extend_from_slice(b"    ");
            p.put(out, Tone::Dim, &line);
            out.push(b'\n');
            let agreement_texts = &self.texts.agreements[view.agreement.index()];
            for t in view.violated() {
                let clause = a.clause(t.clause);
                reason.clear();
                prose::reason(self.texts, view.agreement, t, d, &mut reason);
                let (word, tone, note) = disposition_words(violations.next());
                out.extend_from_slice(b"    ");
                p.put(out, tone, word.trim_end());
                out.push(b' ');
                p.put(out, Tone::Bold, &clause.id);
                let _ = writeln!(out, " — {}", safe(&clause.title));
                if let Some(note) = note {
                    out.extend_from_slice(b"             ");
                    p.put(out, Tone::Yellow, &safe(&note));
                    out.push(b'\n');
                }
                let _ = writeln!(out, "             {}", safe(&reason));
                if !clause.quote.is_empty() {
                    let _ = writeln!(out, "             “{}”", safe(&clause.quote));
                }
                out.extend_from_slice(b"             ");
                p.put(out, Tone::Dim, &safe(&agreement_texts.clauses[t.clause.index()].source));
                out.push(b'\n');
                for assumed in t.assumptions(a).iter().filter_map(|x| x.resolve(rules)) {
                    out.extend_from_slice(b"             ");
                    p.put(out, Tone::Yellow, "assumes");
                    let _ = writeln!(out, " {}: {}", safe(&assumed.subject), safe(&assumed.why));
                }
            }
            if view.denied_by_default {
                let (word, tone, note) = disposition_words(violations.next());
                out.extend_from_slice(b"    ");
                p.put(out, tone, word.trim_end());
                out.push(b' ');
                p.put(out, Tone::Bold, "default");
                let _ = writeln!(out, " — {} denies what no clause allows", a.id);
                if let Some(note) = note {
                    out.extend_from_slice(b"             ");
                    p.put(out, Tone::Yellow, &safe(&note));
                    out.push(b'\n');
                }
                let _ = writeln!(
                    out,
                    "             no clause of `{}` allows this deployment, and its default is deny",
                    a.id
                );
                out.extend_from_slice(b"             ");
                p.put(out, Tone::Dim, &agreement_texts.source);
                out.push(b'\n');
            }
        }
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        if !self.style.filter.shows_errors() {
            return;
        }
        let p = Paint::new(self.style.color);
        let width = self.width;
        let mut s = String::new();
        for problem in &record.problems {
            let mut line = String::new();
            if let Some(l) = record.line {
                let _ = write!(line, "{}:{l}: ", plan.name);
            }
            if let Some(field) = &problem.field {
                let _ = write!(line, "{field}: ");
            }
            line.push_str(&problem.message);
            if let Some(help) = &problem.help {
                let _ = write!(line, " ({help})");
            }
            let _ = writeln!(
                s,
                "{} {:<width$}  {}  {}",
                p.yellow("!"),
                safe(&record.id),
                p.yellow("error   "),
                safe(&line)
            );
        }
        out.extend_from_slice(s.as_bytes());
    }
}

pub(super) struct TextSink<'r, 'w> {
    texts: &'r RuleTexts<'r>,
    style: Style,
    out: Box<dyn Write + Send + 'w>,
    wrote: bool,
}

impl<'r, 'w> TextSink<'r, 'w> {
    pub(super) fn new(
        texts: &'r RuleTexts<'r>,
        style: Style,
        out: Box<dyn Write + Send + 'w>,
    ) -> TextSink<'r, 'w> {
        TextSink { texts, style, out, wrote: false }
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.wrote = true;
        self.out.write_all(bytes)
    }
}

impl Sink for TextSink<'_, '_> {
    fn begin(&mut self, _: &Start<'_>) -> io::Result<()> {
        Ok(())
    }

    fn plan_failed(&mut self, plan: &PlanInfo, e: &PlanError) -> io::Result<()> {
        let p = Paint::new(self.style.color);
        let mut line = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}: ", plan.name),
            (Some(l), None) => format!("{}:{l}: ", plan.name),
            _ => format!("{}: ", plan.name),
        };
        line.push_str(&e.message);
        if let Some(help) = &e.help {
            let _ = write!(line, " ({help})");
        }
        let text = format!("{} {}\n", p.red("error:"), safe(&line));
        self.write(text.as_bytes())
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write(bytes)
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write(bytes)
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        let p = Paint::new(self.style.color);
        let rules = self.texts.rules;
        let mut s = String::new();
        // Obligation, payment and information clauses of the agreements met, listed once: no
        // deployment can meet or break them, but the report must not drop them silently.
        if self.style.filter != crate::check::Filter::Quiet {
            let mut listed = false;
            for (ai, a) in rules.agreements.iter().enumerate() {
                if !end.agreements_seen.get(ai).copied().unwrap_or(false) {
                    continue;
                }
                for (ci, c) in a.clauses.iter().enumerate().filter(|(_, c)| !c.governs_deployments()) {
                    if !listed {
                        let _ = writeln!(
                            s,
                            "\n{}",
                            p.bold("not checked against deployments (obligations, payments, information):")
                        );
                        listed = true;
                    }
                    let what = self.texts.agreements[ai].clauses[ci]
                        .not_about
                        .trim_end_matches(", not checked against deployments");
                    let _ = writeln!(s, "    {} › {} — {} ({what})", a.id, c.id, safe(&c.title));
                }
            }
        }
        let summary = end.summary;
        let policy = end.policy;
        if self.style.filter != crate::check::Filter::Quiet {
            let file = &policy.waivers.file;
            for i in end.usage.unused_waivers() {
                let w = &policy.waivers.list[i];
                let _ = writeln!(
                    s,
                    "\n{} {}: the waiver of `{}` approved by {} matches no violation (remove it if what it waived is fixed)",
                    p.yellow("warning:"),
                    safe(&w.place(file)),
                    safe(&w.target),
                    safe(&w.approver)
                );
            }
            for (i, n) in end.usage.expired_waivers() {
                let w = &policy.waivers.list[i];
                let _ = writeln!(
                    s,
                    "\n{} {}: {} (renew it with its approver, or fix the deployments)",
                    p.yellow("warning:"),
                    safe(&w.place(file)),
                    safe(&w.expired_words(n))
                );
            }
            if let Some(b) = &policy.baseline {
                let mut fixed = end.usage.fixed().peekable();
                if fixed.peek().is_some() {
                    let _ =
                        writeln!(s, "\n{}", p.bold(&format!("fixed since the baseline {}:", safe(&b.file))));
                    for i in fixed {
                        let e = &b.entries[i];
                        let _ = writeln!(
                            s,
                            "    {} {} › {}: {}.{}",
                            p.green("✓"),
                            safe(&e.plan),
                            safe(&e.id),
                            safe(&e.agreement),
                            safe(&e.clause)
                        );
                    }
                }
            }
        }
        if self.wrote || !s.is_empty() {
            s.push('\n');
        }
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let warnings = if summary.warnings > 0 {
            format!(" ({})", plural(summary.warnings, "warning", "warnings"))
        } else {
            String::new()
        };
        let unreadable = if end.failed_plans > 0 {
            format!("; {} could not be read", plural(end.failed_plans, "plan", "plans"))
        } else {
            String::new()
        };
        // Advisory, waived and known deployments are named only when there are some, so a run
        // without severities, waivers or a baseline reads as it always has.
        let mut apart = String::new();
        for (n, word) in
            [(summary.advisory, "advisory"), (summary.waived, "waived"), (summary.known, "known")]
        {
            if n > 0 {
                let _ = write!(apart, "{n} {word}, ");
            }
        }
        let _ = writeln!(
            s,
            "{} {}: {} allowed, {} violated, {apart}{}{warnings}{unreadable}",
            p.bold("summary:"),
            plural(summary.deployments, "deployment", "deployments"),
            summary.allowed,
            summary.violated,
            plural(summary.errors, "error", "errors"),
        );
        self.out.write_all(s.as_bytes())?;
        self.out.flush()
    }
}
