//! Hover: what a name at the cursor stands for, from its declaration as written.
//!
//! A clause shows its title, quote and place; a value its field and the classes holding it; a
//! parameter its value and assumption; an agreement its period of force (its `effective` and
//! `ends` as written, and the days `eval::period` gives it when the rules resolve) and what it
//! supersedes or is superseded by. The rest comes from the syntax tree and the name index, so a
//! file with errors still gets hovers in its good parts.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::index::{Kind, Symbol};
use super::workspace::{Analysis, Declaration};
use crate::source::FileId;
use crate::syntax::ast;

/// The hover at byte `offset` of `file`, if a name is there.
pub fn hover(a: &Analysis, file: FileId, offset: usize) -> Option<Hover> {
    let (symbol, span) = a.index.at(file, offset)?;
    let text = describe(a, symbol)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
        range: a.line_index(file).map(|l| l.range(span)),
    })
}

/// The words shown for a symbol, in Markdown.
pub fn describe(a: &Analysis, symbol: &Symbol) -> Option<String> {
    let def = a.index.definitions_of(symbol).next()?;
    let place = a.sources.location(def.name);
    let slice = |s: crate::source::Span| a.sources.slice(s).to_string();
    let out = match (symbol.kind, a.declaration(def)) {
        (Kind::Clause, Some(Declaration::Clause(agreement, c))) => {
            let quote = c.items.iter().find_map(|i| match i {
                ast::ClauseItem::Quote(t) => Some(t.value.clone()),
                _ => None,
            });
            let quote = match quote {
                Some(q) => format!("> {q}"),
                None => "*no `quote`*".to_string(),
            };
            format!(
                "**clause `{}.{}`**: {}\n\n{quote}\n\n{place}",
                agreement.id.text, c.id.text, c.title.value
            )
        }
        (Kind::Agreement, Some(Declaration::Agreement(ag))) => {
            let mut lines = vec![format!("**agreement `{}`**: {}", ag.id.text, ag.title.value)];
            let mut period = Vec::new();
            let mut supersedes = Vec::new();
            for i in &ag.items {
                match i {
                    ast::AgreementItem::Effective(s) => period.push(slice(s.span)),
                    ast::AgreementItem::Ends(e) => period.push(slice(e.span)),
                    ast::AgreementItem::Supersedes(refs, _) => {
                        supersedes.extend(refs.iter().map(|q| slice(q.span)))
                    }
                    _ => {}
                }
            }
            lines.push(if period.is_empty() {
                "in force: *no `effective` date*".to_string()
            } else {
                format!("in force: `{}`", period.join("`, `"))
            });
            if let Some(days) = days_in_force(a, &ag.id.text) {
                lines.push(days);
            }
            if !supersedes.is_empty() {
                lines.push(format!("supersedes: `{}`", supersedes.join("`, `")));
            }
            let by = superseded_by(a, &ag.id.text);
            if !by.is_empty() {
                lines.push(format!("superseded by: `{}`", by.join("`, `")));
            }
            lines.push(place);
            lines.join("\n\n")
        }
        (Kind::Param, Some(Declaration::Param(ag, p))) => {
            let assumed = match &p.assumed {
                Some(t) => format!("assumed: {}", t.value),
                None => "stated in the source (not assumed)".to_string(),
            };
            format!(
                "**parameter `{}`** of `{}` = `{}`\n\n{assumed}\n\n{place}",
                p.name.text,
                ag.id.text,
                slice(p.value.span())
            )
        }
        (Kind::Value, _) => {
            let classes = a.index.classes_holding(&symbol.scope, &symbol.name);
            let classes = if classes.is_empty() {
                "in no class".to_string()
            } else {
                format!("in the classes `{}`", classes.join("`, `"))
            };
            format!("**value `{}`** of the field `{}`\n\n{classes}\n\n{place}", symbol.name, symbol.scope)
        }
        (Kind::Field, Some(Declaration::Vocabulary(ast::VocabEntry::Field { optional, .. }))) => {
            let optional = if *optional { "optional " } else { "" };
            // The declared values and any added by `extend`.
            let values: Vec<&str> =
                a.index.names(Kind::Value, Some(&symbol.name)).iter().map(|s| s.name.as_str()).collect();
            format!("**{optional}field `{}`**: `{}`\n\n{place}", symbol.name, values.join("`, `"))
        }
        (Kind::Class, Some(Declaration::Vocabulary(ast::VocabEntry::Class { field, values, .. }))) => {
            let values: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
            format!(
                "**class `{}`** of the field `{}`: `{}`\n\n{place}",
                symbol.name,
                field.text,
                values.join("`, `")
            )
        }
        (Kind::Event, Some(Declaration::Event(e))) => {
            format!(
                "**event `{}`**: {}\n\nits date comes with the run (`--events`)\n\n{place}",
                e.name.text, e.description.value
            )
        }
        (Kind::Flag, _) => {
            format!("**flag `{}`**: true or false for each deployment\n\n{place}", symbol.name)
        }
        _ => format!("**{} `{}`**\n\n{place}", symbol.kind.as_str(), symbol.name),
    };
    Some(out)
}

/// The days an agreement is in force, as `eval::period` decides them (its `ends`, or the day
/// before an agreement superseding it takes effect), when the rules resolve.
fn days_in_force(a: &Analysis, id: &str) -> Option<String> {
    let rules = a.rules.as_ref()?;
    let agreement = rules.agreements.iter().find(|g| g.id == id)?;
    let period = crate::eval::period(rules, agreement);
    if period.is_empty() {
        return Some("days in force: none".to_string());
    }
    if period.from == chrono::NaiveDate::MAX {
        return Some("days in force: none until its event is dated".to_string());
    }
    Some(match period.through {
        Some(t) => format!("days in force: {} through {t}", period.from),
        None => format!("days in force: from {}, with no end", period.from),
    })
}

/// The agreements that supersede `id` as a whole.
fn superseded_by(a: &Analysis, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tree in &a.trees {
        for item in &tree.items {
            let ast::Item::Agreement(other) = item else { continue };
            let names_it = other.items.iter().any(|i| match i {
                ast::AgreementItem::Supersedes(refs, _) => {
                    refs.iter().any(|q| q.agreement.is_none() && q.name.text == id)
                }
                _ => false,
            });
            if names_it {
                out.push(other.id.text.clone());
            }
        }
    }
    out
}
