//! Resolving rules and conditions: names to vocabulary ids, date tests to inclusive windows,
//! `launched(...)` to shared relations.

use chrono::NaiveDate;

use super::{dates, Expect, ResolveError, Resolver};
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
                let (window, params) = self.window(window, params, *span)?;
                Some(Condition::Date { window, params, span: *span })
            }
            ast::Condition::Launched { args, when, span } => self.launched(args, *when, *span),
        }
    }

    fn field_test(&mut self, field: &ast::Name, test: &ast::FieldTest, span: Span) -> Option<Condition> {
        let Some(id) = self.vocab.field(&field.text) else {
            let known: Vec<String> = self.vocab.fields.iter().map(|f| f.name.clone()).collect();
            self.unknown("field", field, known.iter().map(String::as_str));
            return None;
        };
        let (names, negated): (&[ast::Name], bool) = match test {
            ast::FieldTest::Eq(v) => (std::slice::from_ref(v), false),
            ast::FieldTest::Ne(v) => (std::slice::from_ref(v), true),
            ast::FieldTest::In(vs) => (vs, false),
            ast::FieldTest::NotIn(vs) => (vs, true),
        };
        let mut values = Vec::new();
        let mut ok = true;
        for n in names {
            match self.vocab.value(id, &n.text) {
                Some(v) => values.push(v),
                None => {
                    ok = false;
                    let known = self.vocab.fields[id.0 as usize].values.clone();
                    self.unknown(field.text.clone(), n, known.iter().map(String::as_str));
                }
            }
        }
        values.sort_unstable();
        values.dedup();
        ok.then_some(Condition::Field { field: id, values, negated, span })
    }

    /// An inclusive window, and the parameters its bounds came from.
    pub(super) fn window(
        &mut self,
        w: &ast::Window,
        params: &[Param],
        span: Span,
    ) -> Option<(DateWindow, Vec<ParamId>)> {
        let mut used = Vec::new();
        let mut bound = |r: &mut Resolver, b: &ast::Bound| r.bound(b, params, &mut used);
        let window = match w {
            ast::Window::Before(b) => {
                DateWindow { from: None, through: Some(day_before(bound(self, b)?.first)) }
            }
            ast::Window::After(b) => {
                DateWindow { from: Some(day_after(bound(self, b)?.last)), through: None }
            }
            ast::Window::From(b) => DateWindow { from: Some(bound(self, b)?.first), through: None },
            ast::Window::Through(b) => DateWindow { from: None, through: Some(bound(self, b)?.last) },
            ast::Window::Between(a, b) | ast::Window::FromThrough(a, b) => {
                let (a, b) = (bound(self, a), bound(self, b));
                let (a, b) = (a?, b?);
                if a.first > b.last {
                    self.error(
                        ResolveError::InvertedWindow { start: a.first.to_string(), end: b.last.to_string() },
                        span,
                    );
                    return None;
                }
                DateWindow { from: Some(a.first), through: Some(b.last) }
            }
        };
        Some((window, used))
    }

    fn bound(&mut self, b: &ast::Bound, params: &[Param], used: &mut Vec<ParamId>) -> Option<dates::DaySpan> {
        match b {
            ast::Bound::Date(lit) => match dates::parse_span(&lit.text) {
                Ok(span) => Some(span),
                Err(problem) => {
                    self.error(ResolveError::BadDate { text: lit.text.clone(), problem }, lit.span);
                    None
                }
            },
            ast::Bound::Param(name) => {
                let value = self.value(&ast::Value::Param(name.clone()), params, Expect::Date)?;
                let ValueRef::Param(id) = value else { return None };
                let Quantity::Date(day) = params[id.0 as usize].value else {
                    return None;
                };
                used.push(id);
                Some(dates::DaySpan { first: day, last: day })
            }
        }
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

// INVARIANT: dates come from four-digit years, far inside chrono's range, so a neighbouring day exists.
fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

fn day_after(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}
