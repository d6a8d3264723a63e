//! The name index: every definition and every use of a name in a rule set, with its span.
//!
//! The resolver binds names to build a [`crate::model::RuleSet`], and it exists only for a rule
//! set without errors; it keeps no spans of the uses. An editor needs the opposite: for a file
//! that is being written (broken, or naming what is not declared yet), where each name is
//! defined and where it is used. So this index is built from syntax trees alone, partial ones
//! included ([`crate::syntax::parse_partial`]), and never reports anything: a use of a name with
//! no definition is simply a use without a definition. It knows no LSP type and can serve any
//! tool that asks "what does this name refer to" (rename, a cross-reference listing).
//!
//! Binding follows the language's scopes (docs/language.md): fields, flags, classes, events and
//! agreements are global; a value belongs to its field (`cloud = azure`, `party` for parties and
//! payers); a clause or parameter to its agreement (`exception to c` is a clause of the same
//! agreement, `a.c` of agreement `a`); a name in a date bound is a parameter of the agreement,
//! else an event. Checking those bindings (unknown names, kinds, duplicates) stays the resolver's.

use std::collections::BTreeMap;

use crate::source::{FileId, Span};
use crate::syntax::ast::*;

/// What kind of thing a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Agreement,
    Clause,
    Param,
    Field,
    Value,
    Class,
    Flag,
    Event,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Agreement => "agreement",
            Kind::Clause => "clause",
            Kind::Param => "parameter",
            Kind::Field => "field",
            Kind::Value => "value",
            Kind::Class => "class",
            Kind::Flag => "flag",
            Kind::Event => "event",
        }
    }
}

/// A thing that can be named: its kind, the scope it lives in (the agreement of a clause or
/// parameter, the field of a value; empty for global names) and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Symbol {
    pub kind: Kind,
    pub scope: String,
    pub name: String,
}

impl Symbol {
    pub fn new(kind: Kind, scope: &str, name: &str) -> Symbol {
        Symbol { kind, scope: scope.to_string(), name: name.to_string() }
    }

    fn global(kind: Kind, name: &str) -> Symbol {
        Symbol::new(kind, "", name)
    }
}

/// Where a symbol is defined: the name's span and the span of the whole declaration.
#[derive(Debug, Clone)]
pub struct Definition {
    pub symbol: Symbol,
    pub name: Span,
    pub item: Span,
}

/// A place a symbol is named, other than its definition.
#[derive(Debug, Clone)]
pub struct Use {
    pub symbol: Symbol,
    pub span: Span,
}

/// Every definition and use of a rule set, in file order.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    pub definitions: Vec<Definition>,
    pub uses: Vec<Use>,
    /// The field each class groups values of.
    class_fields: BTreeMap<String, String>,
}

impl NameIndex {
    /// The index of the given trees (any of them partial), each tree's spans carrying its file.
    pub fn build(files: &[&RuleFile]) -> NameIndex {
        let mut ix = NameIndex::default();
        for file in files {
            for item in &file.items {
                match item {
                    Item::Vocabulary(v) => ix.vocabulary(v),
                    Item::Event(e) => ix.define(Symbol::global(Kind::Event, &e.name.text), &e.name, e.span),
                    Item::Agreement(a) => {
                        ix.define(Symbol::global(Kind::Agreement, &a.id.text), &a.id, a.span);
                        for i in &a.items {
                            match i {
                                AgreementItem::Param(p) => ix.define(
                                    Symbol::new(Kind::Param, &a.id.text, &p.name.text),
                                    &p.name,
                                    p.span,
                                ),
                                AgreementItem::Clause(c) => ix.define(
                                    Symbol::new(Kind::Clause, &a.id.text, &c.id.text),
                                    &c.id,
                                    c.span,
                                ),
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
        // Uses after every definition is known: a value's field is found by its name.
        for file in files {
            for item in &file.items {
                match item {
                    Item::Vocabulary(v) => ix.vocabulary_uses(v),
                    Item::Agreement(a) => ix.agreement(a),
                    Item::Event(_) => {}
                }
            }
        }
        ix
    }

    /// The definitions of a symbol (more than one when it is defined twice).
    pub fn definitions_of<'a>(&'a self, symbol: &'a Symbol) -> impl Iterator<Item = &'a Definition> + 'a {
        self.definitions.iter().filter(move |d| &d.symbol == symbol)
    }

    /// The places a symbol is used.
    pub fn uses_of<'a>(&'a self, symbol: &'a Symbol) -> impl Iterator<Item = &'a Use> + 'a {
        self.uses.iter().filter(move |u| &u.symbol == symbol)
    }

    /// The symbol named at byte `offset` of `file` (a definition or a use; the end of a name counts
    /// as on it, where an editor's cursor stands after typing it).
    pub fn at(&self, file: FileId, offset: usize) -> Option<(&Symbol, Span)> {
        let on = |s: &Span| s.file == file && (s.start as usize) <= offset && offset <= s.end as usize;
        let defs = self.definitions.iter().filter(|d| on(&d.name)).map(|d| (&d.symbol, d.name));
        let uses = self.uses.iter().filter(|u| on(&u.span)).map(|u| (&u.symbol, u.span));
        defs.chain(uses).min_by_key(|(_, s)| s.end - s.start)
    }

    /// The defined symbols of one kind (and scope, if given), each once, in order of definition.
    pub fn names(&self, kind: Kind, scope: Option<&str>) -> Vec<&Symbol> {
        let mut out: Vec<&Symbol> = Vec::new();
        for d in &self.definitions {
            if d.symbol.kind == kind && scope.is_none_or(|s| d.symbol.scope == s) && !out.contains(&&d.symbol)
            {
                out.push(&d.symbol);
            }
        }
        out
    }

    /// The field a class groups, if the class is declared.
    pub fn class_field(&self, class: &str) -> Option<&str> {
        self.class_fields.get(class).map(String::as_str)
    }

    /// The classes of `field` that hold `value`.
    pub fn classes_holding(&self, field: &str, value: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for u in &self.uses {
            if u.symbol == Symbol::new(Kind::Value, field, value) {
                if let Some(class) = self.definitions.iter().find(|d| {
                    d.symbol.kind == Kind::Class
                        && d.item.file == u.span.file
                        && d.item.range().contains(&(u.span.start as usize))
                }) {
                    if !out.contains(&class.symbol.name.as_str()) {
                        out.push(&class.symbol.name);
                    }
                }
            }
        }
        out
    }

    fn define(&mut self, symbol: Symbol, name: &Name, item: Span) {
        self.definitions.push(Definition { symbol, name: name.span, item });
    }

    fn use_(&mut self, symbol: Symbol, name: &Name) {
        self.uses.push(Use { symbol, span: name.span });
    }

    fn is_defined(&self, symbol: &Symbol) -> bool {
        self.definitions.iter().any(|d| &d.symbol == symbol)
    }

    fn vocabulary(&mut self, v: &Vocabulary) {
        for entry in &v.entries {
            match entry {
                VocabEntry::Field { name, values, span, .. } => {
                    self.define(Symbol::global(Kind::Field, &name.text), name, *span);
                    for value in values {
                        self.define(Symbol::new(Kind::Value, &name.text, &value.text), value, *span);
                    }
                }
                VocabEntry::Flags { names, span } => {
                    for n in names {
                        self.define(Symbol::global(Kind::Flag, &n.text), n, *span);
                    }
                }
                VocabEntry::Class { name, field, span, .. } => {
                    self.define(Symbol::global(Kind::Class, &name.text), name, *span);
                    self.class_fields.insert(name.text.clone(), field.text.clone());
                }
                VocabEntry::Extend { field, values, span } => {
                    for value in values {
                        self.define(Symbol::new(Kind::Value, &field.text, &value.text), value, *span);
                    }
                }
            }
        }
    }

    fn vocabulary_uses(&mut self, v: &Vocabulary) {
        for entry in &v.entries {
            match entry {
                VocabEntry::Class { field, values, .. } => {
                    self.use_(Symbol::global(Kind::Field, &field.text), field);
                    for value in values {
                        self.use_(Symbol::new(Kind::Value, &field.text, &value.text), value);
                    }
                }
                VocabEntry::Extend { field, .. } => {
                    self.use_(Symbol::global(Kind::Field, &field.text), field)
                }
                VocabEntry::Field { .. } | VocabEntry::Flags { .. } => {}
            }
        }
    }

    fn agreement(&mut self, a: &Agreement) {
        let scope = a.id.text.as_str();
        for item in &a.items {
            match item {
                AgreementItem::Parties(names, _) => {
                    for n in names {
                        self.use_(Symbol::new(Kind::Value, "party", &n.text), n);
                    }
                }
                AgreementItem::Effective(s) => self.start(s),
                AgreementItem::Ends(e) => self.end_decl(scope, e),
                AgreementItem::Supersedes(refs, _) => {
                    for q in refs {
                        match &q.agreement {
                            Some(other) => {
                                self.use_(Symbol::global(Kind::Agreement, &other.text), other);
                                self.use_(Symbol::new(Kind::Clause, &other.text, &q.name.text), &q.name);
                            }
                            None => self.use_(Symbol::global(Kind::Agreement, &q.name.text), &q.name),
                        }
                    }
                }
                AgreementItem::Default(..) | AgreementItem::Param(_) => {}
                AgreementItem::Clause(c) => self.clause(scope, c),
            }
        }
    }

    fn clause(&mut self, scope: &str, c: &Clause) {
        for item in &c.items {
            match item {
                ClauseItem::ExceptionTo(refs, _) => {
                    for q in refs {
                        match &q.agreement {
                            Some(other) => {
                                self.use_(Symbol::global(Kind::Agreement, &other.text), other);
                                self.use_(Symbol::new(Kind::Clause, &other.text, &q.name.text), &q.name);
                            }
                            None => self.use_(Symbol::new(Kind::Clause, scope, &q.name.text), &q.name),
                        }
                    }
                }
                ClauseItem::Effective(s) => self.start(s),
                ClauseItem::Ends(e) => self.end_decl(scope, e),
                ClauseItem::Rule(r) => {
                    if let RuleKind::Require(c) = &r.kind {
                        self.condition(scope, c);
                    }
                    for c in r.when.iter().chain(&r.unless) {
                        self.condition(scope, c);
                    }
                }
                ClauseItem::Payment(p) => {
                    self.use_(Symbol::new(Kind::Value, "party", &p.payer.text), &p.payer);
                    self.use_(Symbol::new(Kind::Value, "party", &p.payee.text), &p.payee);
                    for v in p.share.iter().chain(&p.total).chain(&p.cap) {
                        if let Value::Param(n) = v {
                            self.use_(Symbol::new(Kind::Param, scope, &n.text), n);
                        }
                    }
                    if let Some(w) = &p.window {
                        self.window(scope, w);
                    }
                }
                ClauseItem::Duty { party, .. } => {
                    self.use_(Symbol::new(Kind::Value, "party", &party.text), party)
                }
                ClauseItem::Quote(_) | ClauseItem::Information(_) | ClauseItem::Severity(..) => {}
            }
        }
    }

    fn start(&mut self, s: &StartDecl) {
        if let Start::Event(n) = &s.at {
            self.use_(Symbol::global(Kind::Event, &n.text), n);
        }
    }

    fn end_decl(&mut self, scope: &str, e: &EndDecl) {
        for end in std::iter::once(&e.first).chain(e.either.as_ref().map(|(end, _)| end)) {
            match end {
                End::Until(n) | End::After(_, Base::Event(n)) => self.bound_name(scope, n),
                End::Day(_) | End::After(_, Base::Effective(_)) => {}
            }
        }
    }

    fn window(&mut self, scope: &str, w: &Window) {
        fn end<'a>(e: &'a WindowEnd, bounds: &mut Vec<&'a Bound>) {
            for b in std::iter::once(&e.first).chain(e.either.as_ref().map(|(b, _)| b)) {
                match b {
                    EndBound::Through(b) | EndBound::Until(b) => bounds.push(b),
                }
            }
        }
        let mut bounds: Vec<&Bound> = Vec::new();
        match w {
            Window::Before(b) | Window::After(b) | Window::From(b) | Window::Within(_, b) => bounds.push(b),
            Window::To(e) => end(e, &mut bounds),
            Window::FromTo(b, e) => {
                bounds.push(b);
                end(e, &mut bounds);
            }
            Window::Between(a, b) => bounds.extend([a, b]),
        }
        for b in bounds {
            if let Bound::Name(n) = b {
                self.bound_name(scope, n);
            }
        }
    }

    /// A name where a date goes: a parameter of the agreement if it has one of that name, else an event.
    fn bound_name(&mut self, scope: &str, n: &Name) {
        let param = Symbol::new(Kind::Param, scope, &n.text);
        if self.is_defined(&param) {
            self.use_(param, n);
        } else {
            self.use_(Symbol::global(Kind::Event, &n.text), n);
        }
    }

    /// A value or class named where a value of `field` goes.
    fn value_of(&mut self, field: &str, n: &Name) {
        let class = Symbol::global(Kind::Class, &n.text);
        if self.class_fields.contains_key(&n.text)
            && !self.is_defined(&Symbol::new(Kind::Value, field, &n.text))
        {
            self.use_(class, n);
        } else {
            self.use_(Symbol::new(Kind::Value, field, &n.text), n);
        }
    }

    fn condition(&mut self, scope: &str, c: &Condition) {
        match c {
            Condition::And(a, b, _) | Condition::Or(a, b, _) => {
                self.condition(scope, a);
                self.condition(scope, b);
            }
            Condition::Not(c, _) | Condition::Group(c, _) => self.condition(scope, c),
            Condition::Field { field, test, .. } => {
                self.use_(Symbol::global(Kind::Field, &field.text), field);
                match test {
                    FieldTest::Eq(n) | FieldTest::Ne(n) => self.value_of(&field.text, n),
                    FieldTest::In(set) | FieldTest::NotIn(set) => {
                        for n in &set.names {
                            self.value_of(&field.text, n);
                        }
                    }
                }
            }
            Condition::Flag(n) => {
                let field = Symbol::global(Kind::Field, &n.text);
                let kind =
                    if !self.is_defined(&Symbol::global(Kind::Flag, &n.text)) && self.is_defined(&field) {
                        Kind::Field
                    } else {
                        Kind::Flag
                    };
                self.use_(Symbol::global(kind, &n.text), n);
            }
            Condition::Date(w, _) => self.window(scope, w),
            Condition::Launched { args, .. } => {
                for arg in args {
                    match &arg.value {
                        Some(value) => {
                            self.use_(Symbol::global(Kind::Field, &arg.name.text), &arg.name);
                            self.value_of(&arg.name.text, value);
                        }
                        None => {
                            let name = &arg.name.text;
                            let field_of_value = self
                                .definitions
                                .iter()
                                .find(|d| d.symbol.kind == Kind::Value && &d.symbol.name == name)
                                .map(|d| d.symbol.scope.clone());
                            match field_of_value {
                                Some(f) if !self.is_defined(&Symbol::global(Kind::Field, name)) => {
                                    self.use_(Symbol::new(Kind::Value, &f, name), &arg.name)
                                }
                                _ => self.use_(Symbol::global(Kind::Field, name), &arg.name),
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_partial;

    const VOCAB: &str =
        "vocabulary {\n  party a, b\n  cloud azure, aws\n  class big of cloud = azure\n  flag f\n}\n\
                         event e \"E\"\n";
    const DEAL: &str = "agreement x \"X\" {\n  parties a, b\n  effective e\n  param cap = 10 USD\n  \
                        clause c1 \"C\" {\n    quote \"q\"\n    forbid when cloud = aws and not f\n  }\n  \
                        clause c2 \"C\" {\n    quote \"q\"\n    exception to c1\n    permit when cloud in big\n    \
                        oblige a pays b 10 USD through e capped at cap\n  }\n}\n\
                        agreement y \"Y\" {\n  effective 2020-01-01\n  supersedes x.c1, x\n  clause d \"D\" {\n    \
                        quote \"q\"\n    require launched(cloud, azure) when cloud != azure\n  }\n}\n";

    fn index() -> NameIndex {
        let (v, _) = parse_partial(FileId(0), VOCAB);
        let (d, _) = parse_partial(FileId(1), DEAL);
        NameIndex::build(&[&v, &d])
    }

    fn uses(ix: &NameIndex, kind: Kind, scope: &str, name: &str) -> Vec<String> {
        let sym = Symbol::new(kind, scope, name);
        ix.uses_of(&sym)
            .map(|u| format!("{}:{}", u.span.file.0, DEAL.get(u.span.range()).unwrap_or("?")))
            .collect()
    }

    #[test]
    fn uses_are_bound_to_their_definitions() {
        let ix = index();
        assert_eq!(uses(&ix, Kind::Clause, "x", "c1"), ["1:c1", "1:c1"]);
        assert_eq!(uses(&ix, Kind::Agreement, "", "x"), ["1:x", "1:x"]);
        assert_eq!(uses(&ix, Kind::Value, "party", "a"), ["1:a", "1:a"]);
        assert_eq!(uses(&ix, Kind::Class, "", "big"), ["1:big"]);
        assert_eq!(uses(&ix, Kind::Flag, "", "f"), ["1:f"]);
        assert_eq!(uses(&ix, Kind::Param, "x", "cap"), ["1:cap"]);
        assert_eq!(uses(&ix, Kind::Event, "", "e"), ["1:e", "1:e"]);
        // `launched(cloud, azure)` names a field and a value of it; `!= azure` the same value.
        // and the class `big` holds it.
        assert_eq!(uses(&ix, Kind::Value, "cloud", "azure").len(), 3);
        assert_eq!(uses(&ix, Kind::Field, "", "cloud").len(), 5);
        assert_eq!(ix.classes_holding("cloud", "azure"), ["big"]);
        assert_eq!(ix.class_field("big"), Some("cloud"));
    }

    #[test]
    fn the_symbol_at_a_place() {
        let ix = index();
        let at = DEAL.find("exception to c1").unwrap() + "exception to c1".len();
        let (sym, span) = ix.at(FileId(1), at).unwrap();
        assert_eq!(sym, &Symbol::new(Kind::Clause, "x", "c1"));
        assert_eq!(&DEAL[span.range()], "c1");
        let def = ix.definitions_of(sym).next().unwrap();
        assert_eq!(&DEAL[def.name.range()], "c1");
        assert!(ix.at(FileId(1), DEAL.find("quote").unwrap()).is_none());
        assert!(ix.at(FileId(7), 0).is_none());
        let clauses: Vec<&str> = ix.names(Kind::Clause, Some("x")).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(clauses, ["c1", "c2"]);
    }

    #[test]
    fn a_broken_file_is_indexed_in_its_good_parts() {
        let broken = DEAL.replace("permit when cloud in big", "permit whn cloud in big");
        let (v, _) = parse_partial(FileId(0), VOCAB);
        let (d, errors) = parse_partial(FileId(1), &broken);
        assert_eq!(errors.len(), 1);
        let ix = NameIndex::build(&[&v, &d]);
        let names: Vec<&str> = ix.names(Kind::Clause, None).iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["c1", "d"]);
        assert!(ix.at(FileId(1), broken.find("c1").unwrap()).is_some());
    }
}
