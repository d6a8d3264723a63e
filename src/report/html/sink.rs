//! The ordered half of the HTML report: the summary is written at once (the run gives the totals
//! first); every other section is held until the end, because the page groups violations by
//! clause while records arrive in input order.
//!
//! What is held is bounded. Violations, record errors, waived, known and advisory rows and
//! warnings are held whole up to [`HELD_BYTES`] together, and counted past it ("N more not
//! shown"). The deployments table lists the first [`LISTED_ROWS`] records (at most
//! [`LISTED_BYTES`]); every later one is only counted, by verdict and by field value.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::escape::{escaped, prose, text};
use super::page;
use super::render::{self, pieces, VERDICTS};
use crate::check::{Filter, PlanInfo, Summary};
use crate::plan::PlanError;
use crate::report::texts::RuleTexts;
use crate::report::{End, Needs, Sink, Start};
use crate::timeline::Timeline;

/// The records the deployments table lists; the rest are counted by field value.
pub const LISTED_ROWS: usize = 10_000;
/// The most bytes of rows the deployments table holds.
pub const LISTED_BYTES: usize = 16 << 20;
/// The most bytes of violation, error, waiver and warning rows held for the page.
pub const HELD_BYTES: usize = 64 << 20;
/// A clause group with more rows than this starts closed (its rows are still in the page).
const OPEN_GROUP: usize = 50;

#[derive(Default)]
struct Held {
    rows: Vec<u8>,
    shown: usize,
    left_out: usize,
}

/// The tables held apart from the clause groups, in page order.
const TABLES: [u8; 5] = [render::ERROR, render::KNOWN, render::WAIVED, render::ADVISORY, render::WARNING];

pub(in crate::report) struct HtmlSink<'r, 'w> {
    texts: &'r RuleTexts<'r>,
    timeline: Option<&'r Timeline>,
    filter: Filter,
    out: Box<dyn Write + Send + 'w>,
    held: usize,
    groups: BTreeMap<u32, Held>,
    tables: [Held; 5],
    listed: Held,
    listed_bytes: usize,
    last_listed: bool,
    /// For records not listed: per field, per value (index 0: left out), per verdict.
    unlisted: Vec<Vec<[usize; 6]>>,
    unlisted_total: [usize; 6],
    /// Each plan's name and totals, in plan order; `None` for one that could not be read.
    plans: Vec<(String, Option<Summary>)>,
    plan_totals: Vec<Summary>,
}

impl<'r, 'w> HtmlSink<'r, 'w> {
    pub(in crate::report) fn new(
        texts: &'r RuleTexts<'r>,
        timeline: Option<&'r Timeline>,
        filter: Filter,
        out: Box<dyn Write + Send + 'w>,
    ) -> HtmlSink<'r, 'w> {
        HtmlSink {
            texts,
            timeline,
            filter,
            out,
            held: 0,
            groups: BTreeMap::new(),
            tables: Default::default(),
            listed: Held::default(),
            listed_bytes: 0,
            last_listed: false,
            unlisted: Vec::new(),
            unlisted_total: [0; 6],
            plans: Vec::new(),
            plan_totals: Vec::new(),
        }
    }

    fn hold(&mut self, kind: u8, slot: u32, row: &[u8]) {
        let fits = self.held + row.len() <= HELD_BYTES;
        let held = if kind == render::FAILING {
            self.groups.entry(slot).or_default()
        } else {
            match TABLES.iter().position(|&k| k == kind) {
                Some(i) => &mut self.tables[i],
                None => return,
            }
        };
        if fits {
            held.rows.extend_from_slice(row);
            held.shown += 1;
            self.held += row.len();
        } else {
            held.left_out += 1;
        }
    }

    fn count_unlisted(&mut self, slot: u32, values: &[u8]) {
        let verdict = (slot as usize).min(5);
        self.unlisted_total[verdict] += 1;
        let fields = &self.texts.rules.vocabulary.fields;
        if self.unlisted.is_empty() {
            self.unlisted = fields.iter().map(|f| vec![[0; 6]; f.values.len() + 1]).collect();
        }
        for (f, v) in values.chunks_exact(4).enumerate() {
            let v = u32::from_le_bytes([v[0], v[1], v[2], v[3]]) as usize;
            if let Some(cell) = self.unlisted.get_mut(f).and_then(|vs| vs.get_mut(v)) {
                cell[verdict] += 1;
            }
        }
    }

    fn take(&mut self, bytes: &[u8]) {
        for (kind, slot, body) in pieces(bytes) {
            match kind {
                render::LISTED => {
                    let fits =
                        self.listed.shown < LISTED_ROWS && self.listed_bytes + body.len() <= LISTED_BYTES;
                    self.last_listed = fits;
                    if fits {
                        self.listed.rows.extend_from_slice(body);
                        self.listed.shown += 1;
                        self.listed_bytes += body.len();
                    } else {
                        self.listed.left_out += 1;
                    }
                }
                render::VALUES => {
                    if !self.last_listed {
                        self.count_unlisted(slot, body);
                    }
                }
                _ => self.hold(kind, slot, body),
            }
        }
    }
}

fn more(out: &mut String, n: usize) {
    if n > 0 {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{n} more not shown: the page holds at most {} MiB of rows; see the full report with <code>--format json</code>.</p>",
            HELD_BYTES >> 20
        );
    }
}

fn table_head(out: &mut String, id: &str, caption: &str, columns: &[&str]) {
    let _ = write!(out, "<table id=\"{id}-table\">\n<caption>{caption}</caption>\n<thead><tr>");
    for c in columns {
        let _ = write!(out, "<th scope=\"col\">{c}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
}

impl Sink for HtmlSink<'_, '_> {
    fn needs(&self) -> Needs {
        Needs { summary_first: true, errors_apart: false }
    }

    fn begin(&mut self, start: &Start<'_>) -> io::Result<()> {
        let (summary, verdict) =
            start.summary.map_or((Summary::default(), crate::check::RunVerdict::Error), |(s, v)| (*s, v));
        self.plan_totals = start.plans.to_vec();
        let mut s = page::head(&page::title(&summary, verdict, start.policy));
        s.push_str(&page::summary(&summary, verdict, start.policy, start.failed_plans));
        if self.filter != Filter::Quiet {
            s.push_str(&page::filters(self.texts));
        }
        self.out.write_all(s.as_bytes())
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        self.plans.push((plan.name.to_string(), None));
        if self.filter == Filter::Quiet {
            return Ok(());
        }
        let d = error.to_diagnostic(&plan.name);
        let mut s =
            String::from("<tr data-v=\"error\" data-a=\"\" data-c=\"\" data-f=\"\"><th scope=\"row\">");
        text(&mut s, &plan.name);
        s.push_str("</th><td>");
        text(&mut s, &d.location.place());
        let _ = write!(s, "</td><td><code>{}</code></td><td></td><td>the plan could not be read: ", d.code);
        prose(&mut s, &d.message);
        if let Some(help) = &d.help {
            s.push_str(" (");
            prose(&mut s, help);
            s.push(')');
        }
        s.push_str("</td></tr>\n");
        self.hold(render::ERROR, 0, s.as_bytes());
        Ok(())
    }

    fn plan_begin(&mut self, plan: &PlanInfo) -> io::Result<()> {
        let totals = self.plan_totals.get(plan.seq).copied().unwrap_or_default();
        self.plans.push((plan.name.to_string(), Some(totals)));
        Ok(())
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes);
        Ok(())
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.take(bytes);
        Ok(())
    }

    fn finish(&mut self, end: &End<'_>) -> io::Result<()> {
        let mut s = String::new();
        if self.filter != Filter::Quiet {
            self.violations(&mut s);
            self.errors_and_others(&mut s);
            super::policy::waivers(&mut s, end);
            super::policy::baseline(&mut s, end, HELD_BYTES.saturating_sub(self.held));
            self.plans_table(&mut s);
            if let Some(t) = self.timeline {
                super::agreements::section(&mut s, t, end.agreements_seen);
            }
            self.deployments(&mut s);
        }
        s.push_str(&page::foot());
        self.out.write_all(s.as_bytes())?;
        self.out.flush()
    }
}

impl HtmlSink<'_, '_> {
    fn violations(&mut self, s: &mut String) {
        let rules = self.texts.rules;
        s.push_str("<section aria-labelledby=\"violations\">\n<h2 id=\"violations\">Violations that fail the run</h2>\n");
        if self.groups.is_empty() {
            s.push_str("<p>None.</p>\n</section>\n");
            return;
        }
        let rows: usize = self.groups.values().map(|g| g.shown + g.left_out).sum();
        let _ = writeln!(
            s,
            "<p>{rows} violated {} the run, grouped by agreement and clause, each with its reason and the contract's own sentence. Groups of more than {OPEN_GROUP} deployments start closed.</p>",
            if rows == 1 { "term fails" } else { "terms fail" }
        );
        let offsets = render::group_offsets(self.texts);
        let mut current: Option<usize> = None;
        for (&slot, g) in &self.groups {
            // The agreement whose group range holds `slot` (offsets are increasing).
            let ai = offsets.partition_point(|&o| o <= slot).saturating_sub(1);
            let Some(a) = rules.agreements.get(ai) else { continue };
            let at = &self.texts.agreements[ai];
            if current != Some(ai) {
                if current.is_some() {
                    s.push_str("</section>\n");
                }
                current = Some(ai);
                let _ =
                    write!(s, "<section class=\"agreement\" aria-labelledby=\"a-{ai}\">\n<h3 id=\"a-{ai}\">");
                text(s, &a.id);
                s.push_str(" — ");
                text(s, &a.title);
                s.push_str("</h3>\n");
            }
            let ci = (slot - offsets[ai]) as usize;
            let n = g.shown + g.left_out;
            let open = if n <= OPEN_GROUP { " open" } else { "" };
            let _ = write!(s, "<details class=\"clause\" id=\"g-{slot}\" data-group{open}>\n<summary><h4>");
            let (name, title, quote, source) = match a.clauses.get(ci) {
                Some(c) => (c.id.as_str(), c.title.clone(), c.quote.as_str(), at.clauses[ci].source.as_str()),
                None => (
                    crate::waivers::DEFAULT_CLAUSE,
                    format!("{} denies what no clause allows", a.id),
                    "",
                    at.source.as_str(),
                ),
            };
            text(s, &a.id);
            s.push('.');
            text(s, name);
            s.push_str(" — ");
            text(s, &title);
            let _ = writeln!(
                s,
                "</h4> <span class=\"count\">{n}</span> {}</summary>",
                if n == 1 { "deployment" } else { "deployments" }
            );
            if !quote.is_empty() {
                s.push_str("<blockquote>“");
                text(s, quote);
                s.push_str("”</blockquote>\n");
            }
            s.push_str("<p class=\"muted\">");
            text(s, source);
            if let Some(c) = a.clauses.get(ci) {
                if c.severity == crate::model::ClauseSeverity::Advisory {
                    s.push_str(" · severity advisory (fails the run with <code>--fail-on advisory</code>)");
                }
                let mut seen: Vec<(&str, &str)> = Vec::new();
                for st in &c.statements {
                    if let crate::model::Statement::Rule(r) = st {
                        for a in r.assumptions.iter().filter_map(|a| a.resolve(rules)) {
                            if !seen.contains(&(a.subject.as_str(), a.why.as_str())) {
                                seen.push((&a.subject, &a.why));
                            }
                        }
                    }
                }
                for (subject, why) in seen {
                    s.push_str("<br><span class=\"assume\">assumed: ");
                    prose(s, subject);
                    s.push_str("</span> — ");
                    prose(s, why);
                }
            }
            s.push_str("</p>\n<table>\n<caption>Deployments violating ");
            text(s, &a.id);
            s.push('.');
            text(s, name);
            s.push_str("</caption>\n<thead><tr><th scope=\"col\">deployment</th><th scope=\"col\">line</th><th scope=\"col\">reason</th></tr></thead>\n<tbody>\n");
            s.push_str(&String::from_utf8_lossy(&g.rows));
            s.push_str("</tbody>\n</table>\n");
            more(s, g.left_out);
            s.push_str("</details>\n");
        }
        s.push_str("</section>\n</section>\n");
    }

    fn errors_and_others(&mut self, s: &mut String) {
        let sections: [(&str, &str, &str, &[&str]); 5] = [
            (
                "errors",
                "Errors in the plans",
                "Records and plans that could not be checked",
                &["record", "place", "code", "field", "problem"],
            ),
            (
                "known",
                "Known: in the baseline, not failing",
                "Violations the baseline has",
                &["deployment", "line", "clause", "reason"],
            ),
            (
                "waived",
                "Waived: not failing",
                "Violations an active waiver covers",
                &["deployment", "line", "clause", "approved by", "reason", "until", "ticket"],
            ),
            (
                "advisory",
                "Advisory: not failing",
                "Violations of advisory clauses",
                &["deployment", "line", "clause", "reason"],
            ),
            (
                "warnings",
                "Warnings: allowed now, violated soon",
                "Allowed deployments that become violated within the --warn-within horizon",
                &["deployment", "line", "violated from", "in days", "by"],
            ),
        ];
        for ((id, heading, caption, columns), t) in sections.iter().zip(&self.tables) {
            if t.shown + t.left_out == 0 {
                continue;
            }
            let _ =
                writeln!(s, "<section aria-labelledby=\"{id}\" data-group>\n<h2 id=\"{id}\">{heading}</h2>");
            table_head(s, id, caption, columns);
            s.push_str(&String::from_utf8_lossy(&t.rows));
            s.push_str("</tbody>\n</table>\n");
            more(s, t.left_out);
            s.push_str("</section>\n");
        }
    }

    fn plans_table(&self, s: &mut String) {
        if self.plans.len() < 2 {
            return;
        }
        s.push_str("<section aria-labelledby=\"plans\">\n<h2 id=\"plans\">Plans</h2>\n");
        table_head(
            s,
            "plans",
            "Deployments by verdict in each plan",
            &["plan", "deployments", "allowed", "violated", "advisory", "waived", "known", "errors"],
        );
        for (name, totals) in &self.plans {
            s.push_str("<tr><th scope=\"row\">");
            text(s, name);
            s.push_str("</th>");
            match totals {
                Some(t) => {
                    for n in [t.deployments, t.allowed, t.violated, t.advisory, t.waived, t.known, t.errors] {
                        let _ = write!(s, "<td class=\"n\">{n}</td>");
                    }
                }
                None => s.push_str("<td colspan=\"7\">could not be read (see <a href=\"#errors\">Errors in the plans</a>)</td>"),
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody>\n</table>\n</section>\n");
    }

    fn deployments(&self, s: &mut String) {
        let vocab = &self.texts.rules.vocabulary;
        s.push_str("<section aria-labelledby=\"deployments\">\n<h2 id=\"deployments\">Deployments</h2>\n");
        let listed = self.listed.shown;
        let unlisted = self.listed.left_out;
        let which = if self.filter == Filter::OnlyViolated {
            "violated deployments and records in error"
        } else {
            "records"
        };
        if unlisted == 0 {
            let _ = writeln!(
                s,
                "<p>Every one of the {listed} {which}, in input order; with the script, 100 a page.</p>"
            );
        } else {
            let _ = writeln!(
                s,
                "<p>The first {listed} {which} in input order (the page lists at most {LISTED_ROWS}); with the script, 100 a page. The other {unlisted} are counted by field value below; every violation of theirs that fails the run is listed under <a href=\"#violations\">Violations</a>. See every deployment with <code>--format json</code>.</p>"
            );
        }
        s.push_str("<div id=\"pager\" class=\"pager\" hidden><button type=\"button\" id=\"prev\">Previous page</button><button type=\"button\" id=\"next\">Next page</button></div>\n");
        let mut columns: Vec<String> =
            ["deployment", "line", "verdict", "date"].iter().map(|c| (*c).to_owned()).collect();
        columns.extend(vocab.fields.iter().map(|f| escaped(&f.name)));
        columns.extend(["flags", "agreements in force", "violated clauses"].iter().map(|c| (*c).to_owned()));
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let _ = write!(
            s,
            "<table id=\"deployments-table\">\n<caption>Deployments, in input order</caption>\n<thead><tr>"
        );
        for c in columns {
            let _ = write!(s, "<th scope=\"col\">{c}</th>");
        }
        s.push_str("</tr></thead>\n<tbody id=\"deployment-rows\">\n");
        s.push_str(&String::from_utf8_lossy(&self.listed.rows));
        s.push_str("</tbody>\n</table>\n");
        if unlisted > 0 {
            self.unlisted_table(s);
        }
        s.push_str("</section>\n");
    }

    fn unlisted_table(&self, s: &mut String) {
        let shown: Vec<usize> = (0..6).filter(|&v| self.unlisted_total[v] > 0).collect();
        s.push_str("<table id=\"unlisted-table\">\n<caption>Records not listed, by field value and verdict</caption>\n<thead><tr><th scope=\"col\">field</th><th scope=\"col\">value</th>");
        for &v in &shown {
            let _ = write!(s, "<th scope=\"col\" class=\"n\">{}</th>", VERDICTS[v]);
        }
        s.push_str(
            "</tr></thead>\n<tbody>\n<tr><th scope=\"row\" colspan=\"2\">every record not listed</th>",
        );
        for &v in &shown {
            let _ = write!(s, "<td class=\"n\">{}</td>", self.unlisted_total[v]);
        }
        s.push_str("</tr>\n");
        for (f, field) in self.texts.rules.vocabulary.fields.iter().enumerate() {
            let Some(values) = self.unlisted.get(f) else { continue };
            for (i, cell) in values.iter().enumerate() {
                if cell.iter().all(|&n| n == 0) {
                    continue;
                }
                s.push_str("<tr><th scope=\"row\">");
                text(s, &field.name);
                s.push_str("</th><td>");
                match i.checked_sub(1).and_then(|v| field.values.get(v)) {
                    Some(v) => text(s, v),
                    None => s.push_str("<span class=\"muted\">not given</span>"),
                }
                s.push_str("</td>");
                for &v in &shown {
                    let _ = write!(s, "<td class=\"n\">{}</td>", cell[v]);
                }
                s.push_str("</tr>\n");
            }
        }
        s.push_str("</tbody>\n</table>\n");
    }
}
