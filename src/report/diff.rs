//! The `diff` report: the table of regions whose verdict changes, the clause changes, and for
//! `diff --plan` the deployments that change; as text, JSON and markdown (for a PR comment).

use std::fmt::Write;

use serde_json::{json, Value};

use crate::diff::{ClauseChange, Cond, Diff, Example, PlanDiff, Region, SideResult, MAX_POINTS};

/// `launched(product, azure)`: a relation as the language writes it.
fn relation(r: &[(String, Option<String>)]) -> String {
    let args: Vec<&str> = r.iter().map(|(f, v)| v.as_deref().unwrap_or(f)).collect();
    format!("launched({})", args.join(", "))
}

fn state_words(s: &str) -> &str {
    match s {
        "same_day" => "same day",
        "only_later" => "only later",
        other => other,
    }
}

fn value(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("(none)")
}

/// A condition in words: `cloud not azure`, `not azure_declined`, `through 2032-12-31`.
pub fn cond_words(c: &Cond) -> String {
    match c {
        Cond::Field { field, values, negated } => {
            let vs: Vec<&str> = values.iter().map(value).collect();
            format!("{field} {}{}", if *negated { "not " } else { "" }, vs.join(", "))
        }
        Cond::Flag { flag, set } => format!("{}{flag}", if *set { "" } else { "not " }),
        Cond::Dates { from, through } => match (from, through) {
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("through {t}"),
            (None, None) => "any date".into(),
        },
        Cond::Launch { relation: r, states } => {
            let s: Vec<&str> = states.iter().map(|s| state_words(s)).collect();
            format!("{}: {}", relation(r), s.join(" or "))
        }
    }
}

fn region_words(r: &Region) -> String {
    if r.conditions.is_empty() {
        return "every deployment".into();
    }
    r.conditions.iter().map(cond_words).collect::<Vec<_>>().join(" · ")
}

fn side_words(s: &SideResult) -> String {
    let verdict = match s.verdict {
        crate::diff::SideVerdict::NotDeclared => "not declared",
        v => v.as_str(),
    };
    let mut parts = Vec::new();
    if !s.clauses.is_empty() {
        parts.push(s.clauses.join(", "));
    }
    if !s.in_part.is_empty() {
        parts.push(format!("in part {}", s.in_part.join(", ")));
    }
    if parts.is_empty() {
        match s.verdict {
            crate::diff::SideVerdict::Allowed => format!("{verdict} (no clause applies)"),
            _ => verdict.to_string(),
        }
    } else {
        format!("{verdict} ({})", parts.join("; "))
    }
}

fn example_words(e: &Example) -> String {
    let mut parts: Vec<String> =
        e.values.iter().filter_map(|(f, v)| v.as_ref().map(|v| format!("{f}={v}"))).collect();
    parts.push(format!("date={}", e.date));
    parts.extend(e.flags.iter().map(|f| format!("{f}=true")));
    let mut text = parts.join(" ");
    for (r, s) in &e.launches {
        let _ = write!(text, ", {} {}", relation(r), state_words(s));
    }
    text
}

fn clause_words(c: &ClauseChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (Some(o), _) => o.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => String::new(),
    }
}

fn too_large(size: u128) -> String {
    format!(
        "warning[too-large]: the rules tell apart {size} kinds of deployment, more than the {MAX_POINTS} \
         `diff` enumerates; no table of regions is given (a partial one would not be exact)"
    )
}

/// The report for people.
pub fn diff_to_text(d: &Diff) -> String {
    let mut out = String::new();
    if let Some(size) = d.too_large {
        let _ = writeln!(out, "{}", too_large(size));
    } else if d.regions.is_empty() {
        out.push_str("no deployment changes verdict\n");
    } else {
        let n = d.regions.len();
        let _ = writeln!(out, "{n} region{} of deployments change verdict:", if n == 1 { "" } else { "s" });
        for (i, r) in d.regions.iter().enumerate() {
            let _ = writeln!(out, "\n{}. {}", i + 1, region_words(r));
            let _ = writeln!(out, "   before: {}", side_words(&r.before));
            let _ = writeln!(out, "   after:  {}", side_words(&r.after));
            let _ = writeln!(out, "   e.g.    {}", example_words(&r.example));
        }
    }
    if !d.clauses.is_empty() {
        out.push_str("\nclauses:\n");
        for c in &d.clauses {
            let _ = writeln!(out, "  {:<8} {}  \"{}\"", c.kind.as_str(), clause_words(c), c.title);
        }
    }
    if !d.only_in.is_empty() {
        out.push_str("\nvocabulary:\n");
        for (what, side) in &d.only_in {
            let _ = writeln!(out, "  {what}: declared only {side}");
        }
    }
    crate::report::safe_lines(&out).into_owned()
}

fn side_json(s: &SideResult) -> Value {
    json!({ "verdict": s.verdict.as_str(), "clauses": s.clauses, "in_part": s.in_part })
}

fn cond_json(c: &Cond) -> Value {
    match c {
        Cond::Field { field, values, negated } => {
            json!({ "field": field, if *negated { "not_in" } else { "in" }: values })
        }
        Cond::Flag { flag, set } => json!({ "flag": flag, "set": set }),
        Cond::Dates { from, through } => {
            json!({ "dates": { "from": from.map(|d| d.to_string()), "through": through.map(|d| d.to_string()) } })
        }
        Cond::Launch { relation: r, states } => json!({ "launched": relation(r), "states": states }),
    }
}

/// The report for machines; keys in a fixed order.
pub fn diff_to_json(d: &Diff) -> String {
    let regions: Vec<Value> = d
        .regions
        .iter()
        .map(|r| {
            json!({
                "conditions": r.conditions.iter().map(cond_json).collect::<Vec<_>>(),
                "words": region_words(r),
                "before": side_json(&r.before),
                "after": side_json(&r.after),
                "example": {
                    "values": r.example.values.iter().map(|(f, v)| json!([f, v])).collect::<Vec<_>>(),
                    "flags": r.example.flags,
                    "date": r.example.date.to_string(),
                    "launches": r.example.launches.iter().map(|(rel, s)| json!([relation(rel), s])).collect::<Vec<_>>(),
                },
            })
        })
        .collect();
    let clauses: Vec<Value> = d
        .clauses
        .iter()
        .map(|c| json!({ "change": c.kind.as_str(), "old": c.old, "new": c.new, "title": c.title }))
        .collect();
    let only: Vec<Value> = d.only_in.iter().map(|(w, s)| json!({ "name": w, "declared_by": s })).collect();
    let doc = json!({
        "verdicts_change": d.verdicts_change(),
        "too_large": d.too_large.map(|s| s.to_string()),
        "regions": regions,
        "clauses": clauses,
        "only_declared_by_one_side": only,
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A pull-request comment.
pub fn diff_to_markdown(d: &Diff) -> String {
    let mut out = String::from("### clausecheck diff\n\n");
    if let Some(size) = d.too_large {
        let _ = writeln!(out, "> {}\n", too_large(size));
    } else if d.regions.is_empty() {
        out.push_str("No deployment changes verdict.\n");
    } else {
        out.push_str("| # | deployments | before | after | example |\n| --- | --- | --- | --- | --- |\n");
        for (i, r) in d.regions.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | `{}` |",
                i + 1,
                cell(&region_words(r)),
                cell(&side_words(&r.before)),
                cell(&side_words(&r.after)),
                cell(&example_words(&r.example)),
            );
        }
    }
    if !d.clauses.is_empty() {
        out.push_str("\n| clause | change | title |\n| --- | --- | --- |\n");
        for c in &d.clauses {
            let _ =
                writeln!(out, "| `{}` | {} | {} |", cell(&clause_words(c)), c.kind.as_str(), cell(&c.title));
        }
    }
    if !d.only_in.is_empty() {
        out.push('\n');
        for (what, side) in &d.only_in {
            let _ = writeln!(out, "- `{}` is declared only {side}", cell(what));
        }
    }
    out
}

/// `diff --plan` for people.
pub fn plan_diff_to_text(p: &PlanDiff) -> String {
    let mut out = String::new();
    let n = p.changes.len();
    let _ = writeln!(
        out,
        "{n} of {} deployment{} change verdict",
        p.records,
        if p.records == 1 { "" } else { "s" }
    );
    for c in &p.changes {
        let _ = writeln!(
            out,
            "\n{} (#{}): {} → {}",
            c.id,
            c.position,
            c.before.verdict.as_str(),
            c.after.verdict.as_str()
        );
        for (label, reasons) in [("before", &c.before_reasons), ("after", &c.after_reasons)] {
            if reasons.is_empty() {
                let _ = writeln!(
                    out,
                    "  {label}: {}",
                    side_words(if label == "before" { &c.before } else { &c.after })
                );
            }
            for r in reasons {
                let _ = writeln!(out, "  {label}: {r}");
            }
        }
    }
    if p.invalid > 0 {
        let _ = writeln!(out, "\n{} record(s) invalid on both sides were not compared", p.invalid);
    }
    crate::report::safe_lines(&out).into_owned()
}

/// `diff --plan` for machines.
pub fn plan_diff_to_json(p: &PlanDiff) -> String {
    let changes: Vec<Value> = p
        .changes
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "position": c.position, "line": c.line,
                "before": { "verdict": c.before.verdict.as_str(), "clauses": c.before.clauses, "reasons": c.before_reasons },
                "after": { "verdict": c.after.verdict.as_str(), "clauses": c.after.clauses, "reasons": c.after_reasons },
            })
        })
        .collect();
    let doc = json!({ "records": p.records, "invalid": p.invalid, "changes": changes });
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// `diff --plan` as a pull-request comment.
pub fn plan_diff_to_markdown(p: &PlanDiff) -> String {
    let mut out =
        format!("### clausecheck diff: {} of {} deployments change verdict\n\n", p.changes.len(), p.records);
    if !p.changes.is_empty() {
        out.push_str(
            "| deployment | before | after | why before | why after |\n| --- | --- | --- | --- | --- |\n",
        );
        for c in &p.changes {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                cell(&c.id),
                c.before.verdict.as_str(),
                c.after.verdict.as_str(),
                cell(&c.before_reasons.join("; ")),
                cell(&c.after_reasons.join("; ")),
            );
        }
    }
    out
}
