//! The ledger report for people: each payment term with its status, the term as written and in
//! words, its quote and place, a table of its periods (the findings under the row they concern,
//! the total last), the assumptions its figures rest on; then the entries no term applies to,
//! the entries in error, and the summary.

use std::fmt::Write as _;

use super::words::{self, Table};
use super::LedgerView;
use crate::ledger::{EntryRecord, Status, TermKind, TermReport};
use crate::report::{safe, Paint};

/// The whole report as text; colour only when `color`.
pub fn to_text(view: &LedgerView<'_>, color: bool) -> String {
    let p = Paint::new(color);
    let r = view.report;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "ledger {} · {} · as of {}",
        safe(view.name),
        count(r.summary.entries, "entry", "entries"),
        r.today
    );
    for tr in &r.terms {
        s.push('\n');
        term(&mut s, view, tr, p);
    }
    if !r.unmatched.is_empty() {
        let _ = writeln!(s, "\nentries no payment term applies to (counted in no figure):");
        for u in &r.unmatched {
            let e = &view.ledger.entries[u.entry];
            let _ = writeln!(s, "    {}  {}{}", safe(e.id()), place(view, e), safe(&u.reason));
        }
    }
    if !r.errors.is_empty() {
        let _ = writeln!(s, "\nentries in error (counted in no figure):");
        for bad in &r.errors {
            for problem in &bad.problems {
                let mut line = String::new();
                if let Some(l) = bad.line {
                    let _ = write!(line, "{}:{l}: ", view.name);
                }
                if let Some(field) = &problem.field {
                    let _ = write!(line, "{field}: ");
                }
                line.push_str(&problem.message);
                if let Some(help) = &problem.help {
                    let _ = write!(line, " ({help})");
                }
                let _ = writeln!(s, "{} {}  {}", p.yellow("!"), safe(&bad.id), safe(&line));
            }
        }
    }
    let m = &r.summary;
    let _ = writeln!(
        s,
        "\nsummary: {}: {} attributed, {} unmatched, {} · {}: {} satisfied, {} violated, {} not yet due, {} not checked",
        count(m.entries, "entry", "entries"),
        m.attributed,
        m.unmatched,
        count(m.errors, "error", "errors"),
        count(m.terms, "payment term", "payment terms"),
        m.satisfied,
        m.violated,
        m.not_yet_due,
        m.not_checked
    );
    s
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `file:line: ` where the entry has a line.
fn place(view: &LedgerView<'_>, e: &EntryRecord) -> String {
    e.line().map(|l| format!("{}:{l}: ", safe(view.name))).unwrap_or_default()
}

fn mark(p: Paint, status: Status) -> String {
    match status {
        Status::Satisfied => p.green("✓"),
        Status::Violated => p.red("✗"),
        Status::NotYetDue => p.yellow("…"),
        Status::NotChecked => p.dim("-"),
    }
}

fn status_word(p: Paint, status: Status) -> String {
    match status {
        Status::Satisfied => p.green(status.words()),
        Status::Violated => p.red(status.words()),
        Status::NotYetDue => p.yellow(status.words()),
        Status::NotChecked => p.dim(status.words()),
    }
}

fn term(s: &mut String, view: &LedgerView<'_>, tr: &TermReport, p: Paint) {
    let t = &tr.term;
    let a = view.rules.agreement(t.agreement);
    let c = a.clause(t.clause);
    let _ = writeln!(
        s,
        "{} {} › {} — {}  {}",
        mark(p, tr.status),
        a.id,
        p.bold(&c.id),
        c.title,
        status_word(p, tr.status)
    );
    let _ = writeln!(s, "    {}", words::written(view, tr));
    let _ = writeln!(s, "    {}", words::described(view, tr));
    let _ = writeln!(s, "    {}", p.dim(&format!("“{}”", c.quote)));
    if let Some(crate::model::Statement::Payment(pay)) = c.statements.get(t.statement) {
        let _ = writeln!(s, "    {}", p.dim(&view.sources.location(pay.span)));
    }
    for note in &t.notes {
        let _ = writeln!(s, "    note: {note}");
    }
    match &tr.not_checked {
        Some(why) => {
            let _ = writeln!(s, "    not checked: {why}");
        }
        None if tr.rows.is_empty() && !matches!(t.kind, TermKind::Commitment { .. }) => {
            let _ = writeln!(s, "    no entry falls under this term");
        }
        None => table(s, &words::table(view, tr), p),
    }
    let numbered = words::assumptions(view, tr);
    if !numbered.is_empty() {
        let _ = writeln!(s, "    assumptions:");
        for (n, assumption, figures) in numbered {
            let reaches: Vec<&str> = figures.iter().map(|f| f.words()).collect();
            let _ = writeln!(
                s,
                "      [{n}] {}: {} (reaches: {})",
                assumption.subject,
                assumption.why,
                reaches.join(", ")
            );
        }
    }
}

/// Draws a table: the first column and the status left-aligned, amounts right-aligned.
fn table(s: &mut String, t: &Table, p: Paint) {
    let columns = t.headers.len();
    let mut width = vec![0usize; columns];
    let all = std::iter::once(&t.headers).chain(t.rows.iter().map(|(cells, _)| cells)).chain([&t.total]);
    for cells in all {
        for (w, cell) in width.iter_mut().zip(cells) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String], header: bool| {
        let mut out = String::from("    ");
        for (i, (cell, w)) in cells.iter().zip(&width).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            let left = i == 0 || i + 1 == columns;
            if i > 0 {
                out.push_str("  ");
            }
            let shown = if i + 1 == columns && !header { status_cell(p, cell) } else { cell.clone() };
            if left {
                out.push_str(&shown);
                if i + 1 < columns {
                    out.push_str(&" ".repeat(pad));
                }
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&shown);
            }
        }
        out.push('\n');
        out
    };
    s.push_str(&p.dim(line(&t.headers, true).trim_end()));
    s.push('\n');
    for (cells, findings) in &t.rows {
        s.push_str(&line(cells, false));
        for f in findings {
            let _ = writeln!(s, "      {} {}", p.yellow("!"), safe(f));
        }
    }
    s.push_str(&line(&t.total, false));
    for f in &t.total_findings {
        let _ = writeln!(s, "      {} {}", p.yellow("!"), safe(f));
    }
}

fn status_cell(p: Paint, cell: &str) -> String {
    match cell {
        "violated" => p.red(cell),
        "not yet due" => p.yellow(cell),
        _ => cell.to_owned(),
    }
}
