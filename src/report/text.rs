//! The text report, for people: one line per deployment, the violated terms spelt out beneath it
//! (clause, title, reason, quoted source, place, assumptions), and a closing summary.

use std::fmt::Write as _;

use super::{DeploymentReport, ErrorReport, Paint, Report, TermReport};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// ANSI colour; the CLI decides (terminal, `NO_COLOR`, `--color`).
    pub color: bool,
}

pub fn to_text(report: &Report, options: TextOptions) -> String {
    let p = Paint::new(options.color);
    let mut out = String::new();
    let width = report
        .deployments
        .iter()
        .map(|d| d.id.chars().count())
        .chain(report.errors.iter().filter_map(|e| e.record.as_ref()).map(|r| r.chars().count()))
        .max()
        .unwrap_or(0)
        .min(32);

    // Deployments and bad records interleaved in input order; plan- and rule-level errors first.
    for e in report.errors.iter().filter(|e| e.position.is_none()) {
        let _ = writeln!(out, "{} {}", p.red("error:"), error_line(e));
    }
    let mut errors = report.errors.iter().filter(|e| e.position.is_some()).peekable();
    for d in &report.deployments {
        while let Some(e) = errors.next_if(|e| (e.plan_seq, e.position) < (d.plan_seq, Some(d.position))) {
            record_error(&mut out, &p, e, width);
        }
        deployment(&mut out, &p, d, width);
    }
    for e in errors {
        record_error(&mut out, &p, e, width);
    }
    not_checked(&mut out, &p, report);

    let s = &report.summary;
    if !out.is_empty() {
        out.push('\n');
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let warnings = if s.warnings > 0 {
        format!(" ({})", plural(s.warnings, "warning", "warnings"))
    } else {
        String::new()
    };
    let unreadable = report.errors.iter().filter(|e| e.position.is_none()).count();
    let unreadable = if unreadable > 0 {
        format!("; {} could not be read", plural(unreadable, "plan", "plans"))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} {}: {} allowed, {} violated, {}{warnings}{unreadable}",
        p.bold("summary:"),
        plural(s.deployments, "deployment", "deployments"),
        s.allowed,
        s.violated,
        plural(s.errors, "error", "errors"),
    );
    out
}

fn deployment(out: &mut String, p: &Paint, d: &DeploymentReport, width: usize) {
    let violated = d.verdict == "violated";
    let (mark, verdict) =
        if violated { (p.red("✗"), p.red("violated")) } else { (p.green("✓"), p.green("allowed ")) };
    let facts: Vec<&str> = d.facts.iter().map(|f| f.value).collect();
    let _ = writeln!(out, "{mark} {:<width$}  {verdict}  {} · {}", d.id, facts.join(" · "), d.date,);
    if let Some(w) = &d.warning {
        let _ = writeln!(
            out,
            "    {} becomes violated on {} ({} later) by {}",
            p.yellow("warning:"),
            w.violated_from,
            if w.days == 1 { "1 day".to_string() } else { format!("{} days", w.days) },
            w.by.join(", ")
        );
    }
    if d.agreements.is_empty() {
        let _ = writeln!(out, "    {}", p.dim("no agreement in force binds this deployment"));
        return;
    }
    for agreement in &d.agreements {
        let terms: Vec<_> = d.terms.iter().filter(|t| &t.agreement == agreement).collect();
        let named = |status: &str| -> Vec<&str> {
            terms.iter().filter(|t| t.status == status).map(|t| t.clause).collect()
        };
        let mut because = Vec::new();
        for (status, words) in
            [("allowed", "allowed by"), ("satisfied", "satisfies"), ("overridden", "overrides")]
        {
            let clauses = named(status);
            if !clauses.is_empty() {
                because.push(format!("{words} {}", clauses.join(", ")));
            }
        }
        if because.is_empty() && named("violated").is_empty() {
            because.push("no clause applies (default allow)".into());
        }
        let line = if because.is_empty() {
            format!("under {agreement}")
        } else {
            format!("under {agreement}: {}", because.join("; "))
        };
        let _ = writeln!(out, "    {}", p.dim(&line));
        for t in terms.iter().filter(|t| t.status == "violated") {
            let _ = writeln!(out, "    {} {} — {}", p.red("violated"), p.bold(t.clause), t.title);
            let _ = writeln!(out, "             {}", t.reason);
            if !t.quote.is_empty() {
                let _ = writeln!(out, "             “{}”", t.quote);
            }
            let _ = writeln!(out, "             {}", p.dim(&t.source));
            for a in &t.assumptions {
                let _ = writeln!(out, "             {} {}: {}", p.yellow("assumes"), a.assumed, a.why);
            }
        }
    }
}

/// Obligation, payment and information clauses of the agreements met, listed once: no deployment
/// can meet or break them, but the report must not drop them silently.
fn not_checked(out: &mut String, p: &Paint, report: &Report) {
    let mut seen: Vec<&TermReport<'_>> = Vec::new();
    for t in report.deployments.iter().flat_map(|d| &d.terms).filter(|t| !t.about_deployments) {
        if !seen.iter().any(|s| s.agreement == t.agreement && s.clause == t.clause) {
            seen.push(t);
        }
    }
    if seen.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        p.bold("not checked against deployments (obligations, payments, information):")
    );
    for t in seen {
        let what = t.reason.trim_end_matches(", not checked against deployments");
        let _ = writeln!(out, "    {} › {} — {} ({what})", t.agreement, t.clause, t.title);
    }
}

/// A plan's own text (an id) made safe to print: control characters are escaped, not obeyed.
fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        std::borrow::Cow::Owned(text.escape_debug().to_string())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn record_error(out: &mut String, p: &Paint, e: &ErrorReport, width: usize) {
    let id = safe(e.record.as_deref().unwrap_or(""));
    let _ = writeln!(out, "{} {:<width$}  {}  {}", p.yellow("!"), id, p.yellow("error   "), error_line(e));
}

fn error_line(e: &ErrorReport) -> String {
    let mut s = String::new();
    match (&e.file, e.line, e.column) {
        (Some(f), Some(l), Some(c)) => s.push_str(&format!("{f}:{l}:{c}: ")),
        (Some(f), Some(l), None) => s.push_str(&format!("{f}:{l}: ")),
        (Some(f), None, _) if e.record.is_none() => s.push_str(&format!("{f}: ")),
        _ => {}
    }
    if let Some(field) = &e.field {
        s.push_str(&format!("{field}: "));
    }
    s.push_str(&e.message);
    if let Some(help) = &e.help {
        s.push_str(&format!(" ({help})"));
    }
    s
}
