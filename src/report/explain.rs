//! `explain` output: the trace as indented text, or the same data as JSON.

use std::fmt::Write as _;

use crate::analysis::explain::{Explanation, Step};

pub fn explain_to_json(e: &Explanation) -> String {
    // INVARIANT: an Explanation holds only strings, booleans and lists, which always serialize.
    let mut out = serde_json::to_string_pretty(e).unwrap_or_default();
    out.push('\n');
    out
}

pub fn explain_to_text(e: &Explanation) -> String {
    let mut out = String::new();
    // Each value with its field, as the deployment is written on the command line.
    let facts: Vec<String> = e.facts.iter().map(|f| format!("{}={}", f.field, f.value)).collect();
    let _ = writeln!(out, "deployment {}: {} · date={}", e.id, facts.join(" · "), e.date);
    let _ = writeln!(out, "verdict: {}", e.verdict);
    let _ = writeln!(out, "\nagreements:");
    for a in &e.agreements {
        let mark = if a.in_force { "✓" } else { "·" };
        let _ = writeln!(out, "  {mark} {}: {}", a.agreement, a.why);
    }
    for a in e.agreements.iter().filter(|a| a.in_force) {
        let _ = writeln!(out, "\nclauses of {}:", a.agreement);
        for c in &a.clauses {
            let _ = writeln!(out, "  {} — {}", c.clause, c.status);
            if let Some(note) = &c.note {
                let _ = writeln!(out, "      {note}");
            }
            for r in &c.rules {
                let applies = if r.applies { "applies" } else { "does not apply" };
                let _ = writeln!(out, "    {} ({applies})", r.kind);
                for (label, step) in [("when", &r.when), ("unless", &r.unless), ("requires", &r.requirement)]
                {
                    if let Some(s) = step {
                        write_step(&mut out, label, s, 6);
                    }
                }
            }
        }
        for line in &a.decision {
            let _ = writeln!(out, "  ⇒ {line}");
        }
    }
    let _ = writeln!(out, "\nassumptions relied on:");
    if e.assumptions.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for a in &e.assumptions {
        let _ = writeln!(out, "  {a}");
    }
    let _ = writeln!(out, "\nnext change: {}", e.next_change.summary);
    for c in &e.event_changes {
        let _ = writeln!(out, "  {}", c.summary);
    }
    out
}

fn write_step(out: &mut String, label: &str, s: &Step, indent: usize) {
    let truth = if s.holds { "true" } else { "false" };
    let pad = " ".repeat(indent);
    match &s.actual {
        Some(actual) => {
            let _ = writeln!(out, "{pad}{label} {}: {actual} → {truth}", s.test);
        }
        None => {
            let _ = writeln!(out, "{pad}{label} {} → {truth}", s.test);
        }
    }
    for p in &s.parts {
        write_step(out, "-", p, indent + 2);
    }
}
