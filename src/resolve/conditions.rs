//! Resolving rules and conditions: names to vocabulary ids, date tests to inclusive windows,
//! `launched(...)` to shared relations.

use super::{ResolveError, Resolver};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    pub(super) fn rule(&mut self, r: &ast::Rule, params: &[Param]) -> Option<Rule> {
        let kind = match &r.kind {
            ast::RuleKind::Permit => Some(RuleKind::Permit),
            ast::RuleKind::Forbid => Some(RuleKind::Forbid),
            ast::RuleKind::Require(c) => self.condition(c, params).map(RuleKind::Require),
        };
        let when = r.when.as_ref().map(|c| self.condition(c, params));
        let unless = r.unless.as_ref().map(|c| self.condition(c, params));
        Some(Rule {
            kind: kind?,
            when: when.map_or(Some(None), |c| c.map(Some))?,
            unless: unless.map_or(Some(None), |c| c.map(Some))?,
            when_span: r.when.as_ref().map(ast::Condition::span),
            unless_span: r.unless.as_ref().map(ast::Condition::span),
            require_span: match &r.kind {
                ast::RuleKind::Require(c) => Some(c.span()),
                _ => None,
            },
            // Filled once the agreement is whole (its dates may come after its clauses).
            assumptions: Vec::new(),
            span: r.span,
        })
    }

    /// Resolves a condition, reporting every problem in it; `None` when there was any.
    pub(super) fn condition(&mut self, c: &ast::Condition, params: &[Param]) -> Option<Condition> {
        match c {
            ast::Condition::And(..) | ast::Condition::Or(..) => {
                let and = matches!(c, ast::Condition::And(..));
                // `a and b and c` parses as a chain nested to the left: its operands are gathered
                // in one walk, so a long chain costs its length, not its length squared.
                let mut operands = Vec::new();
                chain(c, and, &mut operands);
                let mut parts = Vec::with_capacity(operands.len());
                let mut ok = true;
                for operand in operands {
                    match self.condition(operand, params) {
                        Some(Condition::And(inner)) if and => parts.extend(inner),
                        Some(Condition::Or(inner)) if !and => parts.extend(inner),
                        Some(p) => parts.push(p),
                        None => ok = false,
                    }
                }
                ok.then_some(if and { Condition::And(parts) } else { Condition::Or(parts) })
            }
            ast::Condition::Not(inner, _) => Some(Condition::Not(Box::new(self.condition(inner, params)?))),
            ast::Condition::Group(inner, _) => self.condition(inner, params),
            ast::Condition::Flag(name) => match self.vocab.flag(&name.text) {
                Some(flag) => Some(Condition::Flag { flag, span: name.span }),
                None => {
                    if let Some(field) = self.vocab.field(&name.text) {
                        let value =
                            self.vocab.fields[field.0 as usize].values.first().map_or("...", String::as_str);
                        let example = format!("{} = {value}", name.text);
                        self.error(
                            ResolveError::FieldUsedAsFlag { name: name.text.clone(), example },
                            name.span,
                        );
                    } else {
                        let known: Vec<String> = self.vocab.flags.iter().map(|f| f.name.clone()).collect();
                        self.unknown("flag", name, known.iter().map(String::as_str));
                    }
                    None
                }
            },
            ast::Condition::Field { field, test, span } => self.field_test(field, test, *span),
            ast::Condition::Date(window, span) => {
                let w = self.window(window, params, *span)?;
                Some(Condition::Date { window: w.window, params: w.params, events: w.events, span: *span })
            }
            ast::Condition::Launched { args, when, span } => self.launched(args, *when, *span),
        }
    }

    fn field_test(&mut self, field: &ast::Name, test: &ast::FieldTest, span: Span) -> Option<Condition> {
        let Some(id) = self.vocab.field(&field.text) else {
            if self.vocab.flag(&field.text).is_some() {
                let value = match test {
                    ast::FieldTest::Eq(v) | ast::FieldTest::Ne(v) => v.text.as_str(),
                    ast::FieldTest::In(_) | ast::FieldTest::NotIn(_) => "",
                };
                let negated = matches!(test, ast::FieldTest::Ne(_) | ast::FieldTest::NotIn(_));
                let bare = if (value == "false") != negated {
                    format!("not {}", field.text)
                } else {
                    field.text.clone()
                };
                self.error(ResolveError::FlagWithValue { name: field.text.clone(), bare }, field.span);
                return None;
            }
            let known: Vec<String> = self.vocab.fields.iter().map(|f| f.name.clone()).collect();
            self.unknown("field", field, known.iter().map(String::as_str));
            return None;
        };
        let (names, negated, single): (&[ast::Name], bool, bool) = match test {
            ast::FieldTest::Eq(v) => (std::slice::from_ref(v), false, true),
            ast::FieldTest::Ne(v) => (std::slice::from_ref(v), true, true),
            ast::FieldTest::In(set) => (&set.names, false, false),
            ast::FieldTest::NotIn(set) => (&set.names, true, false),
        };
        let mut values = Vec::new();
        let mut ok = true;
        for n in names {
            if let Some(v) = self.vocab.value(id, &n.text) {
                values.push(v);
                continue;
            }
            match self.vocab.class(&n.text).map(|c| (c.field, c.values.clone())) {
                Some((f, members)) if f == id && !single => values.extend(members),
                Some((f, _)) if f == id => {
                    ok = false;
                    let word = if negated { "not in" } else { "in" };
                    let example = format!("{} {word} {}", field.text, n.text);
                    self.error(ResolveError::ClassAsValue { name: n.text.clone(), example }, n.span);
                }
                Some((f, _)) => {
                    ok = false;
                    let of = self.vocab.field_name(f).to_string();
                    self.error(
                        ResolveError::ClassOfOtherField {
                            name: n.text.clone(),
                            of,
                            field: field.text.clone(),
                        },
                        n.span,
                    );
                }
                None => {
                    ok = false;
                    let known: Vec<String> = self.vocab.fields[id.0 as usize]
                        .values
                        .iter()
                        .cloned()
                        .chain(self.vocab.classes.iter().filter(|c| c.field == id).map(|c| c.name.clone()))
                        .collect();
                    self.unknown(field.text.clone(), n, known.iter().map(String::as_str));
                }
            }
        }
        values.sort_unstable();
        values.dedup();
        ok.then_some(Condition::Field { field: id, values, negated, span })
    }

    fn launched(
        &mut self,
        args: &[ast::RelationArg],
        when: ast::LaunchedWhen,
        span: Span,
    ) -> Option<Condition> {
        let mut resolved: Vec<(FieldId, RelationArg)> = Vec::new();
        let mut ok = true;
        for arg in args {
            match self.relation_arg(arg) {
                Some((field, value)) => {
                    if let Some(prev) = resolved.iter().position(|(f, _)| *f == field) {
                        ok = false;
                        self.error(
                            ResolveError::RepeatedRelationField {
                                name: self.vocab.field_name(field).to_string(),
                                first: args[prev].span,
                            },
                            arg.span,
                        );
                    }
                    resolved.push((field, value));
                }
                None => ok = false,
            }
        }
        if resolved.len() > 8 {
            ok = false;
            self.error(ResolveError::TooManyFields { count: resolved.len() }, span);
        }
        if !ok {
            return None;
        }
        resolved.sort_by_key(|(f, _)| *f);
        let relation = Relation { args: resolved };
        let id = match self.relations.iter().position(|r| *r == relation) {
            Some(i) => RelationId(i as u32),
            None => {
                self.relations.push(relation);
                RelationId(self.relations.len() as u32 - 1)
            }
        };
        Some(Condition::Launched {
            relation: id,
            when: match when {
                ast::LaunchedWhen::Anytime => LaunchedWhen::Anytime,
                ast::LaunchedWhen::OnOrBefore => LaunchedWhen::OnOrBefore,
                ast::LaunchedWhen::Before => LaunchedWhen::Before,
            },
            span,
        })
    }

    /// `product` (same value), `azure` (the one field that has it), or `cloud = azure`.
    fn relation_arg(&mut self, arg: &ast::RelationArg) -> Option<(FieldId, RelationArg)> {
        if let Some(value) = &arg.value {
            let Some(field) = self.vocab.field(&arg.name.text) else {
                let known: Vec<String> = self.vocab.fields.iter().map(|f| f.name.clone()).collect();
                self.unknown("field", &arg.name, known.iter().map(String::as_str));
                return None;
            };
            return match self.vocab.value(field, &value.text) {
                Some(v) => Some((field, RelationArg::Value(v))),
                None => {
                    let known = self.vocab.fields[field.0 as usize].values.clone();
                    self.unknown(arg.name.text.clone(), value, known.iter().map(String::as_str));
                    None
                }
            };
        }
        let name = &arg.name.text;
        if let Some(field) = self.vocab.field(name) {
            return Some((field, RelationArg::Same));
        }
        let owners: Vec<(FieldId, ValueId)> = (0..self.vocab.fields.len())
            .filter_map(|i| {
                let f = FieldId(i as u16);
                self.vocab.value(f, name).map(|v| (f, v))
            })
            .collect();
        match owners.as_slice() {
            [(field, value)] => Some((*field, RelationArg::Value(*value))),
            [] => {
                let known: Vec<String> = self
                    .vocab
                    .fields
                    .iter()
                    .flat_map(|f| std::iter::once(f.name.clone()).chain(f.values.iter().cloned()))
                    .collect();
                self.unknown("field or value", &arg.name, known.iter().map(String::as_str));
                None
            }
            many => {
                let fields = many
                    .iter()
                    .map(|(f, _)| format!("`{}`", self.vocab.field_name(*f)))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(ResolveError::AmbiguousValue { name: name.clone(), fields }, arg.name.span);
                None
            }
        }
    }
}

/// The operands of a chain of `and`s (or of `or`s) in writing order, parentheses included (a
/// group is one operand, flattened only after it is resolved). The left spine is walked without
/// recursion.
fn chain<'a>(c: &'a ast::Condition, and: bool, out: &mut Vec<&'a ast::Condition>) {
    let same = |c: &ast::Condition| {
        if and {
            matches!(c, ast::Condition::And(..))
        } else {
            matches!(c, ast::Condition::Or(..))
        }
    };
    let mut rights = Vec::new();
    let mut cur = c;
    loop {
        match cur {
            ast::Condition::And(l, r, _) | ast::Condition::Or(l, r, _) if same(cur) => {
                rights.push(&**r);
                cur = l;
            }
            _ => break,
        }
    }
    out.push(cur);
    while let Some(r) = rights.pop() {
        if same(r) {
            chain(r, and, out);
        } else {
            out.push(r);
        }
    }
}
