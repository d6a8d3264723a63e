//! The vocabulary of a rule set: fields and their values, flags, classes of values, and values
//! that one file adds to a field another declares (`extend`).
//!
//! Vocabulary blocks of every file are read together, in file order. Fields and flags come first,
//! then every `extend` (so a file may extend a field declared in a file sorted after it), then
//! classes, which may name any value, extended ones included. A value declared twice, whether in
//! the field or by an `extend`, is an error that names both places.

use std::collections::HashMap;

use super::{ResolveError, Resolver};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    pub(super) fn vocabulary(&mut self, files: &[ast::RuleFile]) {
        let entries: Vec<&ast::VocabEntry> = files
            .iter()
            .flat_map(|f| &f.items)
            .flat_map(|i| match i {
                ast::Item::Vocabulary(v) => v.entries.as_slice(),
                ast::Item::Event(_) | ast::Item::Agreement(_) => &[],
            })
            .collect();
        let mut seen: HashMap<String, Span> = HashMap::new();
        // Where each value of each field was declared, to name both places of a repeat.
        let mut value_spans: Vec<HashMap<String, Span>> = Vec::new();
        for entry in &entries {
            match entry {
                ast::VocabEntry::Field { name, values, optional, span } => {
                    if matches!(name.text.as_str(), "date" | "id") {
                        self.error(ResolveError::Reserved { name: name.text.clone() }, name.span);
                        continue;
                    }
                    if let Some(first) = seen.get(&name.text) {
                        self.duplicate("field", name, *first);
                        continue;
                    }
                    seen.insert(name.text.clone(), name.span);
                    let mut spans = HashMap::new();
                    let mut field_values = Vec::new();
                    self.add_values(values, &mut field_values, &mut spans);
                    value_spans.push(spans);
                    self.vocab.fields.push(Field {
                        name: name.text.clone(),
                        values: field_values,
                        optional: *optional,
                        span: *span,
                    });
                }
                ast::VocabEntry::Flags { names, .. } => {
                    for n in names {
                        if matches!(n.text.as_str(), "date" | "id") {
                            self.error(ResolveError::Reserved { name: n.text.clone() }, n.span);
                        } else if let Some(first) = seen.get(&n.text) {
                            self.duplicate("flag", n, *first);
                        } else {
                            seen.insert(n.text.clone(), n.span);
                            self.vocab.flags.push(Flag { name: n.text.clone(), span: n.span });
                        }
                    }
                }
                ast::VocabEntry::Class { .. } | ast::VocabEntry::Extend { .. } => {}
            }
        }
        for entry in &entries {
            if let ast::VocabEntry::Extend { field, values, .. } = entry {
                let Some(id) = self.known_field(field) else { continue };
                let mut field_values = std::mem::take(&mut self.vocab.fields[id.0 as usize].values);
                self.add_values(values, &mut field_values, &mut value_spans[id.0 as usize]);
                self.vocab.fields[id.0 as usize].values = field_values;
            }
        }
        for field in &mut self.vocab.fields {
            if field.values.len() > usize::from(u16::MAX) {
                let (what, count) = (format!("field `{}`", field.name), field.values.len());
                self.errors.push(ResolveError::TooMany { what, count }.at(field.span));
                // Keep ids in range for the rest of the resolver; the rule set is rejected anyway.
                field.values.truncate(usize::from(u16::MAX));
            }
        }
        let mut classes: HashMap<String, Span> = HashMap::new();
        for entry in &entries {
            if let ast::VocabEntry::Class { name, field, values, span } = entry {
                if let Some(first) = classes.get(&name.text).or_else(|| seen.get(&name.text)) {
                    self.duplicate("class", name, *first);
                    continue;
                }
                classes.insert(name.text.clone(), name.span);
                let Some(id) = self.known_field(field) else { continue };
                if let Some(first) = value_spans[id.0 as usize].get(&name.text) {
                    self.error(
                        ResolveError::ClassNamedLikeValue {
                            name: name.text.clone(),
                            field: field.text.clone(),
                            first: *first,
                        },
                        name.span,
                    );
                    continue;
                }
                let mut members = Vec::new();
                for v in values {
                    match self.vocab.value(id, &v.text) {
                        Some(value) if members.contains(&value) => {
                            let first = values.iter().find(|w| w.text == v.text).map_or(v.span, |w| w.span);
                            self.duplicate("value", v, first);
                        }
                        Some(value) => members.push(value),
                        None => {
                            let known = self.vocab.fields[id.0 as usize].values.clone();
                            self.unknown(field.text.clone(), v, known.iter().map(String::as_str));
                        }
                    }
                }
                members.sort_unstable();
                self.vocab.classes.push(Class {
                    name: name.text.clone(),
                    field: id,
                    values: members,
                    span: *span,
                });
            }
        }
    }

    /// Appends `names` to a field's values, reporting any that is there already.
    fn add_values(
        &mut self,
        names: &[ast::Name],
        values: &mut Vec<String>,
        spans: &mut HashMap<String, Span>,
    ) {
        for v in names {
            if let Some(first) = spans.get(&v.text) {
                self.duplicate("value", v, *first);
            } else {
                spans.insert(v.text.clone(), v.span);
                values.push(v.text.clone());
            }
        }
    }

    /// The field `name` names, or an "unknown field" error.
    pub(super) fn known_field(&mut self, name: &ast::Name) -> Option<FieldId> {
        let found = self.vocab.field(&name.text);
        if found.is_none() {
            let known: Vec<String> = self.vocab.fields.iter().map(|f| f.name.clone()).collect();
            self.unknown("field", name, known.iter().map(String::as_str));
        }
        found
    }
}
