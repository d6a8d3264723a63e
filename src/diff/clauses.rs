//! Clauses added, removed, or changed in wording or quote.

use crate::model::{Clause, RuleSet};
use crate::report::texts::collapse;

use super::Side;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClauseChangeKind {
    Added,
    Removed,
    /// The quote is the same; the rest of the clause reads differently (layout aside).
    Wording,
    /// The quoted source sentence changed (and perhaps the wording too).
    Quote,
}

impl ClauseChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseChangeKind::Added => "added",
            ClauseChangeKind::Removed => "removed",
            ClauseChangeKind::Wording => "wording",
            ClauseChangeKind::Quote => "quote",
        }
    }
}

/// One clause's change. `old` and `new` name it on each side (`agreement.clause`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseChange {
    pub kind: ClauseChangeKind,
    pub old: Option<String>,
    pub new: Option<String>,
    pub title: String,
}

fn all<'r>(rules: &'r RuleSet, only: Option<&str>) -> Vec<(String, &'r Clause)> {
    rules
        .agreements
        .iter()
        .filter(|a| only.is_none_or(|o| a.id == o))
        .flat_map(|a| a.clauses.iter().map(move |c| (format!("{}.{}", a.id, c.id), c)))
        .collect()
}

fn key(name: &str, by_clause_id: bool) -> &str {
    if by_clause_id {
        name.rsplit('.').next().unwrap_or(name)
    } else {
        name
    }
}

/// Every clause change, old clauses in rule order first (removed or changed), then added ones.
/// With `agreements` (old, new), only the clauses of those two, matched by clause id alone.
pub fn changes(old: Side<'_>, new: Side<'_>, agreements: Option<(&str, &str)>) -> Vec<ClauseChange> {
    let by_clause_id = agreements.is_some();
    let (olds, news) = (all(old.rules, agreements.map(|a| a.0)), all(new.rules, agreements.map(|a| a.1)));
    let text = |side: Side<'_>, c: &Clause| {
        // The clause as written, layout aside, its quote left out (compared on its own).
        let file = &side.sources.get(c.span.file).text;
        collapse(&body(file, c.span.end as usize)).replace(&collapse(&c.quote), "")
    };
    let mut out = Vec::new();
    for (name, c) in &olds {
        match news.iter().find(|(n, _)| key(n, by_clause_id) == key(name, by_clause_id)) {
            None => out.push(ClauseChange {
                kind: ClauseChangeKind::Removed,
                old: Some(name.clone()),
                new: None,
                title: c.title.clone(),
            }),
            Some((n, d)) => {
                let kind = if c.quote != d.quote {
                    Some(ClauseChangeKind::Quote)
                } else if text(old, c) != text(new, d) {
                    Some(ClauseChangeKind::Wording)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    out.push(ClauseChange {
                        kind,
                        old: Some(name.clone()),
                        new: Some(n.clone()),
                        title: d.title.clone(),
                    });
                }
            }
        }
    }
    for (name, c) in &news {
        if !olds.iter().any(|(n, _)| key(n, by_clause_id) == key(name, by_clause_id)) {
            out.push(ClauseChange {
                kind: ClauseChangeKind::Added,
                old: None,
                new: Some(name.clone()),
                title: c.title.clone(),
            });
        }
    }
    out
}

/// The text of a clause's body: from its id (ending at `from`) through its closing brace,
/// comments left out, strings skipped over whole.
fn body(file: &str, from: usize) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut chars = file.get(from..).unwrap_or("").chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                for s in chars.by_ref() {
                    out.push(s);
                    if s == '"' {
                        break;
                    }
                }
                continue;
            }
            '#' => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
                out.push(' ');
                continue;
            }
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(c);
                    break;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}
