//! Events: declared by the rules, dated by the run.
//!
//! `event merger_approved "..."` declares something that may happen. Its date is not part of the
//! rules: it comes with each run (`--events`, or a plan document's `events`), so the same rules
//! can be checked before and after it happens. An event given no date is taken as not having
//! happened; every date computed from it says so, and every verdict resting on one of those dates
//! lists the assumption. Dates are bound here, once: evaluation only ever sees days.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{ResolveError, Resolver};
use crate::events::GivenEvent;
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    pub(super) fn events(&mut self, files: &[ast::RuleFile], given: &[GivenEvent]) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for decl in files.iter().flat_map(|f| &f.items).filter_map(|i| match i {
            ast::Item::Event(e) => Some(e),
            _ => None,
        }) {
            if let Some(first) = seen.get(decl.name.text.as_str()) {
                self.duplicate("event", &decl.name, *first);
                continue;
            }
            seen.insert(&decl.name.text, decl.name.span);
            self.events.push(Event {
                name: decl.name.text.clone(),
                description: decl.description.value.clone(),
                date: None,
                assumed: None,
                span: decl.name.span,
            });
        }
        let mut dated: HashMap<&str, Span> = HashMap::new();
        for g in given {
            let Some(i) = self.events.iter().position(|e| e.name == g.name) else {
                let known: Vec<String> = self.events.iter().map(|e| e.name.clone()).collect();
                let name = ast::Name { text: g.name.clone(), span: g.span };
                self.unknown("event", &name, known.iter().map(String::as_str));
                continue;
            };
            if let Some(first) = dated.get(g.name.as_str()) {
                self.error(ResolveError::EventDatedTwice { name: g.name.clone(), first: *first }, g.span);
                continue;
            }
            dated.insert(&g.name, g.span);
            self.events[i].date = g.date;
        }
        for e in &mut self.events {
            if e.date.is_none() {
                e.assumed = Some(Assumption {
                    subject: format!("`{}` has not happened", e.name),
                    why: "no date is given for it (give one with --events)".into(),
                });
            }
        }
    }

    /// The event `name` names, if it is one.
    pub(super) fn event(&self, name: &str) -> Option<(EventId, Option<NaiveDate>)> {
        self.events.iter().position(|e| e.name == name).map(|i| (EventId(i as u32), self.events[i].date))
    }

    /// The event `name` names, or an "unknown event" error.
    pub(super) fn known_event(&mut self, name: &ast::Name) -> Option<(EventId, Option<NaiveDate>)> {
        let found = self.event(&name.text);
        if found.is_none() {
            let known: Vec<String> = self.events.iter().map(|e| e.name.clone()).collect();
            self.unknown("event", name, known.iter().map(String::as_str));
        }
        found
    }
}
