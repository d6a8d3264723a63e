//! Stage two: syntax trees of every file in a rule set to one checked [`RuleSet`].
//!
//! The resolver binds every name to the vocabulary, reads every date strictly, and checks the
//! agreement history (supersession) and clause structure (exceptions). It never stops at the first
//! problem: every error in every file comes back together, so an analyst fixes them in one pass.
//! Nothing is evaluated with a rule set that has errors; [`RuleSet`] exists only when there are none.

mod conditions;
pub mod dates;
mod error;

use std::collections::HashMap;

use rust_decimal::Decimal;

pub use error::ResolveError;

use crate::diagnostic::Diagnostic;
use crate::model::{self, *};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast;

/// Resolves parsed files (in the order given, which should be stable: sorted by path) together.
pub fn resolve(files: &[ast::RuleFile]) -> Result<RuleSet, Vec<Diagnostic>> {
    resolve_in(files, &[])
}

/// The most clauses a rule set may hold. Far beyond any contract; it keeps every index of the
/// evaluator far inside its 32 bits.
pub const MAX_CLAUSES: usize = 1_000_000;

/// The most agreements a rule set may hold: every deployment is tested against each one's period
/// of force, so this bounds the work per deployment as [`MAX_CLAUSES`] bounds the rules.
pub const MAX_AGREEMENTS: usize = 100_000;

/// [`resolve`], with `empty_files` the spans of the files (their starts), to place the error of
/// a rule set that says nothing at all.
pub fn resolve_in(files: &[ast::RuleFile], file_starts: &[Span]) -> Result<RuleSet, Vec<Diagnostic>> {
    if files.iter().all(|f| f.items.is_empty()) {
        let span = file_starts.first().copied().unwrap_or_default();
        return Err(vec![ResolveError::EmptyRules.at(span)]);
    }
    let mut r = Resolver::default();
    r.vocabulary(files);
    let (fields, flags) = (r.vocab.fields.len(), r.vocab.flags.len());
    for (what, count) in [("the vocabulary's fields", fields), ("the vocabulary's flags", flags)] {
        if count > usize::from(u16::MAX) {
            let span = files.iter().flat_map(|f| &f.items).find_map(|i| match i {
                ast::Item::Vocabulary(v) => Some(v.span),
                ast::Item::Agreement(_) => None,
            });
            r.error(ResolveError::TooMany { what: what.into(), count }, span.unwrap_or_default());
        }
    }
    let agreements: Vec<&ast::Agreement> = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|i| match i {
            ast::Item::Agreement(a) => Some(a),
            ast::Item::Vocabulary(_) => None,
        })
        .collect();
    if r.vocab.fields.is_empty() && r.vocab.flags.is_empty() {
        if let Some(first) = agreements.first() {
            r.errors.push(ResolveError::NoVocabulary.at(first.id.span));
        }
    }
    if let Some(past) = agreements.get(MAX_AGREEMENTS) {
        r.error(ResolveError::RuleSetTooLarge { what: "agreements", limit: MAX_AGREEMENTS }, past.id.span);
        return Err(r.errors);
    }
    // Agreement ids first, so `supersedes` may name an agreement defined later or in another file.
    let mut ids: HashMap<&str, (AgreementId, Span)> = HashMap::new();
    for (i, a) in agreements.iter().enumerate() {
        if let Some((_, first)) = ids.get(a.id.text.as_str()) {
            r.duplicate("agreement", &a.id, *first);
        } else {
            ids.insert(&a.id.text, (AgreementId(i as u32), a.id.span));
        }
    }
    let mut clauses = 0usize;
    for a in &agreements {
        for item in &a.items {
            if let ast::AgreementItem::Clause(c) = item {
                clauses += 1;
                if clauses == MAX_CLAUSES + 1 {
                    r.error(ResolveError::RuleSetTooLarge { what: "clauses", limit: MAX_CLAUSES }, c.id.span);
                }
            }
        }
    }
    if clauses > MAX_CLAUSES {
        return Err(r.errors);
    }
    let mut out: Vec<Agreement> = agreements.iter().map(|a| r.agreement(a, &ids)).collect();
    r.supersession(&mut out);
    for (i, a) in out.iter_mut().enumerate() {
        fill_assumptions(AgreementId(i as u32), a);
    }
    if r.errors.is_empty() {
        let party = r.vocab.field("party");
        Ok(RuleSet { vocabulary: r.vocab, agreements: out, relations: r.relations, party })
    } else {
        Err(r.errors)
    }
}

#[derive(Default)]
struct Resolver {
    vocab: Vocabulary,
    relations: Vec<Relation>,
    errors: Vec<Diagnostic>,
    /// Parameters of the current agreement whose own value is wrong (already reported), so their
    /// uses are not reported again as unknown.
    broken_params: Vec<String>,
}

impl Resolver {
    fn error(&mut self, e: ResolveError, span: Span) {
        self.errors.push(e.at(span));
    }

    fn duplicate(&mut self, kind: &'static str, name: &ast::Name, first: Span) {
        self.error(ResolveError::Duplicate { kind, name: name.text.clone(), first }, name.span);
    }

    fn unknown<'a>(
        &mut self,
        kind: impl Into<String>,
        name: &ast::Name,
        known: impl IntoIterator<Item = &'a str> + Clone,
    ) {
        self.error(
            ResolveError::UnknownName {
                kind: kind.into(),
                name: name.text.clone(),
                suggestion: suggest::did_you_mean(&name.text, known.clone()).map(str::to_string),
                known: known.into_iter().map(str::to_string).collect(),
            },
            name.span,
        );
    }

    fn vocabulary(&mut self, files: &[ast::RuleFile]) {
        let mut seen: HashMap<String, Span> = HashMap::new();
        let entries = files.iter().flat_map(|f| &f.items).flat_map(|i| match i {
            ast::Item::Vocabulary(v) => v.entries.as_slice(),
            ast::Item::Agreement(_) => &[],
        });
        for entry in entries {
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
                    let mut field_values: Vec<String> = Vec::new();
                    let mut value_spans: HashMap<&str, Span> = HashMap::new();
                    for v in values {
                        if let Some(first) = value_spans.get(v.text.as_str()) {
                            self.duplicate("value", v, *first);
                        } else {
                            value_spans.insert(&v.text, v.span);
                            field_values.push(v.text.clone());
                        }
                    }
                    if field_values.len() > usize::from(u16::MAX) {
                        let (what, count) = (format!("field `{}`", name.text), field_values.len());
                        self.error(ResolveError::TooMany { what, count }, name.span);
                        continue;
                    }
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
            }
        }
    }

    /// A value of the `party` field, as in `parties` and payment terms.
    fn party(&mut self, name: &ast::Name) -> Option<ValueId> {
        let Some(field) = self.vocab.field("party") else {
            self.error(
                ResolveError::UnknownName {
                    kind: "field".into(),
                    name: "party".into(),
                    suggestion: None,
                    known: Vec::new(),
                },
                name.span,
            );
            return None;
        };
        let found = self.vocab.value(field, &name.text);
        if found.is_none() {
            let known = self.vocab.fields[field.0 as usize].values.clone();
            self.unknown("party", name, known.iter().map(String::as_str));
        }
        found
    }

    fn agreement(&mut self, a: &ast::Agreement, ids: &HashMap<&str, (AgreementId, Span)>) -> Agreement {
        let mut parties = Vec::new();
        let mut effective: Option<(Dated, Span)> = None;
        let mut ends: Option<(Dated, Span)> = None;
        let mut default: Option<(model::Default, Span)> = None;
        let mut supersedes = Vec::new();
        let mut params: Vec<Param> = Vec::new();
        let mut clause_asts: Vec<&ast::Clause> = Vec::new();
        let owner = format!("agreement `{}`", a.id.text);
        let has_effective = a.items.iter().any(|i| matches!(i, ast::AgreementItem::Effective(_)));
        self.broken_params.clear();

        for item in &a.items {
            match item {
                ast::AgreementItem::Parties(names, _) => {
                    parties.extend(names.iter().filter_map(|n| self.party(n)))
                }
                ast::AgreementItem::Effective(d) => {
                    if let Some(dated) = self.dated(d, "effective") {
                        self.once(&mut effective, dated, d.span, "effective");
                    }
                }
                ast::AgreementItem::Ends(d) => {
                    if let Some(dated) = self.dated(d, "ends") {
                        self.once(&mut ends, dated, d.span, "ends");
                    }
                }
                ast::AgreementItem::Default(decision, span) => {
                    let value = match decision {
                        ast::DefaultDecision::Allow => model::Default::Allow,
                        ast::DefaultDecision::Deny => model::Default::Deny,
                    };
                    self.once(&mut default, value, *span, "default");
                }
                ast::AgreementItem::Supersedes(names, _) => {
                    for n in names {
                        match ids.get(n.text.as_str()) {
                            Some(_) if n.text == a.id.text => self.error(
                                ResolveError::SupersedesCycle {
                                    name: n.text.clone(),
                                    chain: "itself".into(),
                                },
                                n.span,
                            ),
                            Some((id, _)) => supersedes.push(*id),
                            None => {
                                let known: Vec<&str> = sorted_keys(ids);
                                self.unknown("agreement", n, known);
                            }
                        }
                    }
                }
                ast::AgreementItem::Param(p) => {
                    if let Some(first) = params.iter().find(|q| q.name == p.name.text) {
                        let first = first.span;
                        self.duplicate("parameter", &p.name, first);
                    } else if let Some(value) = self.quantity(&p.value) {
                        params.push(Param {
                            name: p.name.text.clone(),
                            assumed: p.assumed.as_ref().map(|why| Assumption {
                                subject: format!("{} = {}", p.name.text, quantity_text(&p.value)),
                                why: why.value.clone(),
                            }),
                            value,
                            span: p.name.span,
                        });
                    } else {
                        self.broken_params.push(p.name.text.clone());
                    }
                }
                ast::AgreementItem::Clause(c) => clause_asts.push(c),
            }
        }
        if !has_effective {
            self.error(
                ResolveError::Missing {
                    owner: owner.clone(),
                    what: "effective",
                    help: "add the date it takes effect, like `effective 2026-04-27`",
                },
                a.id.span,
            );
        }
        if default.is_none() {
            self.error(
                ResolveError::Missing {
                    owner,
                    what: "default",
                    help: "say what happens when no clause applies: `default allow` or `default deny`",
                },
                a.id.span,
            );
        }
        if let (Some((start, _)), Some((end, span))) = (&effective, &ends) {
            if end.date < start.date {
                self.error(
                    ResolveError::InvertedWindow { start: start.date.to_string(), end: end.date.to_string() },
                    *span,
                );
            }
        }
        let clauses = self.clauses(&clause_asts, &params);
        let placeholder = Dated { date: chrono::NaiveDate::MIN, assumed: None, span: a.id.span };
        Agreement {
            id: a.id.text.clone(),
            title: a.title.value.clone(),
            parties,
            effective: effective.map_or(placeholder, |(d, _)| d),
            ends: ends.map(|(d, _)| d),
            supersedes,
            superseded_by: Vec::new(),
            default: default.map_or(model::Default::Allow, |(d, _)| d),
            params,
            clauses,
            span: a.id.span,
        }
    }

    /// Stores a setting that may be given once, reporting a repeat.
    fn once<T>(&mut self, slot: &mut Option<(T, Span)>, value: T, span: Span, what: &'static str) {
        match slot {
            Some((_, first)) => {
                let first = *first;
                self.error(ResolveError::Repeated { what, first }, span);
            }
            None => *slot = Some((value, span)),
        }
    }

    fn dated(&mut self, d: &ast::DateDecl, what: &str) -> Option<Dated> {
        let date = self.day(&d.date)?;
        Some(Dated {
            date,
            assumed: d
                .assumed
                .as_ref()
                .map(|why| Assumption { subject: format!("{what} {}", d.date.text), why: why.value.clone() }),
            span: d.span,
        })
    }

    fn day(&mut self, lit: &ast::DateLit) -> Option<chrono::NaiveDate> {
        match dates::parse_day(&lit.text) {
            Ok(d) => Some(d),
            Err(problem) => {
                self.error(ResolveError::BadDate { text: lit.text.clone(), problem }, lit.span);
                None
            }
        }
    }

    fn quantity(&mut self, q: &ast::Quantity) -> Option<Quantity> {
        match q {
            ast::Quantity::Money { amount, currency, span } => {
                Some(Quantity::Money { amount: self.decimal(amount, *span)?, currency: currency.clone() })
            }
            ast::Quantity::Percent { amount, span } => {
                let value = self.decimal(amount, *span)?;
                if value > Decimal::ONE_HUNDRED {
                    self.error(ResolveError::PercentOver100 { text: format!("{amount}%") }, *span);
                    return None;
                }
                Some(Quantity::Percent(value))
            }
            ast::Quantity::Date(lit) => self.day(lit).map(Quantity::Date),
            ast::Quantity::Number { amount, span } => self.decimal(amount, *span).map(Quantity::Number),
        }
    }

    fn decimal(&mut self, text: &str, span: Span) -> Option<Decimal> {
        // Exactly: a number with more digits than can be held is an error, never silently rounded.
        match Decimal::from_str_exact(&text.replace('_', "")) {
            Ok(d) => Some(d),
            Err(_) => {
                self.error(ResolveError::BadNumber { text: text.to_string() }, span);
                None
            }
        }
    }

    fn clauses(&mut self, asts: &[&ast::Clause], params: &[Param]) -> Vec<Clause> {
        let mut ids: HashMap<&str, (ClauseRef, Span)> = HashMap::new();
        for (i, c) in asts.iter().enumerate() {
            if let Some((_, first)) = ids.get(c.id.text.as_str()) {
                self.duplicate("clause", &c.id, *first);
            } else {
                ids.insert(&c.id.text, (ClauseRef(i as u32), c.id.span));
            }
        }
        let clauses: Vec<Clause> = asts.iter().map(|c| self.clause(c, &ids, params)).collect();
        self.exception_cycles(&clauses);
        clauses
    }

    fn clause(
        &mut self,
        c: &ast::Clause,
        ids: &HashMap<&str, (ClauseRef, Span)>,
        params: &[Param],
    ) -> Clause {
        let mut quote: Option<(String, Span)> = None;
        let mut exception_to = Vec::new();
        let mut statements = Vec::new();
        for item in &c.items {
            match item {
                ast::ClauseItem::Quote(t) => self.once(&mut quote, t.value.clone(), t.span, "quote"),
                ast::ClauseItem::ExceptionTo(names, _) => {
                    for n in names {
                        match ids.get(n.text.as_str()) {
                            Some(_) if n.text == c.id.text => self.error(
                                ResolveError::ExceptionCycle { name: n.text.clone(), chain: "itself".into() },
                                n.span,
                            ),
                            Some((id, _)) => exception_to.push(*id),
                            None => {
                                let known = sorted_keys(ids);
                                self.unknown("clause", n, known);
                            }
                        }
                    }
                }
                ast::ClauseItem::Rule(rule) => {
                    if let Some(r) = self.rule(rule, params) {
                        statements.push(Statement::Rule(r));
                    }
                }
                ast::ClauseItem::Payment(p) => {
                    if let Some(p) = self.payment(p, params) {
                        statements.push(Statement::Payment(p));
                    }
                }
                ast::ClauseItem::Duty { party, text, span } => {
                    if let Some(party) = self.party(party) {
                        statements.push(Statement::Duty(Duty {
                            party,
                            text: text.value.clone(),
                            span: *span,
                        }));
                    }
                }
                ast::ClauseItem::Information(t) => statements
                    .push(Statement::Information(Information { text: t.value.clone(), span: t.span })),
            }
        }
        if quote.is_none() {
            self.error(
                ResolveError::Missing {
                    owner: format!("clause `{}`", c.id.text),
                    what: "quote",
                    help: "quote the sentence of the source this clause encodes: `quote \"...\"`",
                },
                c.id.span,
            );
        }
        let says_something = c
            .items
            .iter()
            .any(|i| !matches!(i, ast::ClauseItem::Quote(_) | ast::ClauseItem::ExceptionTo(..)));
        if !says_something {
            self.error(ResolveError::EmptyClause { name: c.id.text.clone() }, c.id.span);
        }
        Clause {
            id: c.id.text.clone(),
            title: c.title.value.clone(),
            quote: quote.map(|(q, _)| q).unwrap_or_default(),
            exception_to,
            statements,
            span: c.id.span,
        }
    }

    fn payment(&mut self, p: &ast::Payment, params: &[Param]) -> Option<Payment> {
        let payer = self.party(&p.payer);
        let payee = self.party(&p.payee);
        if payer.is_some() && payer == payee {
            self.error(ResolveError::SelfPayment { name: p.payer.text.clone() }, p.payee.span);
        }
        let share = p.share.as_ref().map(|v| self.value(v, params, Expect::Share));
        let cap = p.cap.as_ref().map(|v| self.value(v, params, Expect::Money));
        let (window, window_params) = match &p.window {
            Some(w) => self.window(w, params, p.span)?,
            None => (DateWindow::default(), Vec::new()),
        };
        Some(Payment {
            forbidden: p.forbidden,
            payer: payer?,
            payee: payee?,
            share: share.flatten(),
            window,
            window_params,
            cap: cap.flatten(),
            span: p.span,
        })
    }

    fn value(&mut self, v: &ast::Value, params: &[Param], expect: Expect) -> Option<ValueRef> {
        let (quantity, name) = match v {
            ast::Value::Quantity(q) => (self.quantity(q)?, None),
            ast::Value::Param(n) => {
                let Some(i) = params.iter().position(|p| p.name == n.text) else {
                    if !self.broken_params.contains(&n.text) {
                        self.unknown("parameter", n, params.iter().map(|p| p.name.as_str()));
                    }
                    return None;
                };
                (params[i].value.clone(), Some((n, ParamId(i as u32))))
            }
        };
        let fits = match expect {
            Expect::Share => matches!(quantity, Quantity::Percent(_) | Quantity::Money { .. }),
            Expect::Money => matches!(quantity, Quantity::Money { .. }),
            Expect::Date => matches!(quantity, Quantity::Date(_)),
        };
        if !fits {
            let span = name.map_or_else(|| v_span(v), |(n, _)| n.span);
            self.error(
                ResolveError::WrongKind {
                    what: match name {
                        Some((n, _)) => format!("parameter `{}`", n.text),
                        None => format!("`{}`", self_text(v)),
                    },
                    actual: quantity_kind(&quantity),
                    expected: expect.words(),
                },
                span,
            );
            return None;
        }
        Some(match name {
            Some((_, id)) => ValueRef::Param(id),
            None => ValueRef::Literal(quantity),
        })
    }

    /// Fills `superseded_by` and reports supersession cycles.
    fn supersession(&mut self, agreements: &mut [Agreement]) {
        for i in 0..agreements.len() {
            for old in agreements[i].supersedes.clone() {
                agreements[old.0 as usize].superseded_by.push(AgreementId(i as u32));
            }
        }
        let edges: Vec<Vec<usize>> =
            agreements.iter().map(|a| a.supersedes.iter().map(|s| s.0 as usize).collect()).collect();
        for start in find_cycles(&edges) {
            let a = &agreements[start[0]];
            let chain = cycle_words(&start, |i| &agreements[i].id);
            self.error(ResolveError::SupersedesCycle { name: a.id.clone(), chain }, a.span);
        }
    }

    fn exception_cycles(&mut self, clauses: &[Clause]) {
        let edges: Vec<Vec<usize>> =
            clauses.iter().map(|c| c.exception_to.iter().map(|e| e.0 as usize).collect()).collect();
        for cycle in find_cycles(&edges) {
            let chain = cycle_words(&cycle, |i| &clauses[i].id);
            let c = &clauses[cycle[0]];
            self.error(ResolveError::ExceptionCycle { name: c.id.clone(), chain }, c.span);
        }
    }
}

/// The assumptions each rule of an agreement rests on (S11): the agreement's assumed `effective`
/// and `ends`, then the assumed parameters its date tests read, in declaration order.
fn fill_assumptions(id: AgreementId, a: &mut Agreement) {
    let mut dates = Vec::new();
    if a.effective.assumed.is_some() {
        dates.push(AssumptionRef::Effective(id));
    }
    if a.ends.as_ref().is_some_and(|e| e.assumed.is_some()) {
        dates.push(AssumptionRef::Ends(id));
    }
    let assumed: Vec<bool> = a.params.iter().map(|p| p.assumed.is_some()).collect();
    for clause in &mut a.clauses {
        for s in &mut clause.statements {
            let Statement::Rule(rule) = s else { continue };
            let mut params = Vec::new();
            for c in rule.conditions() {
                c.date_params(&mut params);
            }
            params.sort_unstable();
            params.dedup();
            rule.assumptions = dates.clone();
            rule.assumptions.extend(
                params
                    .into_iter()
                    .filter(|p| assumed.get(p.0 as usize).copied().unwrap_or(false))
                    .map(|p| AssumptionRef::Param(id, p)),
            );
        }
    }
}

/// `` `a` → `b` → `a` ``; a long cycle shows its first and last few steps and how many between.
fn cycle_words<'a>(cycle: &[usize], name: impl Fn(usize) -> &'a str) -> String {
    let steps: Vec<usize> = cycle.iter().copied().chain(cycle.first().copied()).collect();
    let word = |i: &usize| format!("`{}`", name(*i));
    if steps.len() <= 8 {
        return steps.iter().map(word).collect::<Vec<_>>().join(" → ");
    }
    let head: Vec<String> = steps[..4].iter().map(word).collect();
    let tail: Vec<String> = steps[steps.len() - 3..].iter().map(word).collect();
    format!("{} → … ({} more) → {}", head.join(" → "), steps.len() - 7, tail.join(" → "))
}

#[derive(Clone, Copy)]
enum Expect {
    Share,
    Money,
    Date,
}

impl Expect {
    fn words(self) -> &'static str {
        match self {
            Expect::Share => "a percentage or an amount of money",
            Expect::Money => "an amount of money",
            Expect::Date => "a date",
        }
    }
}

fn quantity_kind(q: &Quantity) -> &'static str {
    match q {
        Quantity::Money { .. } => "an amount of money",
        Quantity::Percent(_) => "a percentage",
        Quantity::Date(_) => "a date",
        Quantity::Number(_) => "a plain number",
    }
}

fn quantity_text(q: &ast::Quantity) -> String {
    match q {
        ast::Quantity::Money { amount, currency, .. } => format!("{amount} {currency}"),
        ast::Quantity::Percent { amount, .. } => format!("{amount}%"),
        ast::Quantity::Date(d) => d.text.clone(),
        ast::Quantity::Number { amount, .. } => amount.clone(),
    }
}

/// A literal value as written, for messages.
fn self_text(v: &ast::Value) -> String {
    match v {
        ast::Value::Quantity(q) => quantity_text(q),
        ast::Value::Param(n) => n.text.clone(),
    }
}

fn v_span(v: &ast::Value) -> Span {
    match v {
        ast::Value::Quantity(q) => q.span(),
        ast::Value::Param(n) => n.span,
    }
}

fn sorted_keys<'a, V>(map: &HashMap<&'a str, V>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = map.keys().copied().collect();
    keys.sort_unstable();
    keys
}

/// One cycle of each strongly connected component that has one, as the node list starting from
/// the component's smallest node: every node caught in a cycle is reported, each cycle once,
/// in linear time (Tarjan's algorithm, without recursion, so a ring of a million agreements is
/// fine). Not every elementary cycle: one per component is what an analyst needs to break it.
fn find_cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut components: Vec<Vec<usize>> = Vec::new();
    let mut next = 0usize;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&to) = edges[node].get(*edge) {
                *edge += 1;
                if index[to] == UNSEEN {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                let cyclic = component.len() > 1 || edges[node].contains(&node);
                if cyclic {
                    components.push(component);
                }
            }
        }
    }
    let mut cycles: Vec<Vec<usize>> = components.iter().map(|c| cycle_in(edges, c)).collect();
    cycles.sort();
    cycles
}

/// A shortest cycle through the smallest node of a strongly connected component (breadth first).
fn cycle_in(edges: &[Vec<usize>], component: &[usize]) -> Vec<usize> {
    let start = component.iter().copied().min().unwrap_or(0);
    let inside: std::collections::HashSet<usize> = component.iter().copied().collect();
    let mut parent: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &to in &edges[node] {
            if to == start {
                let mut path = vec![node];
                let mut at = node;
                while at != start {
                    at = parent[&at];
                    path.push(at);
                }
                path.reverse();
                return path;
            }
            if inside.contains(&to) && !parent.contains_key(&to) && to != start {
                parent.insert(to, node);
                queue.push_back(to);
            }
        }
    }
    vec![start]
}

#[cfg(test)]
mod tests {
    use super::find_cycles;

    #[test]
    fn cycles_are_found_once_each() {
        assert!(find_cycles(&[vec![1], vec![]]).is_empty());
        assert_eq!(find_cycles(&[vec![1], vec![0]]), vec![vec![0, 1]]);
        assert_eq!(find_cycles(&[vec![1], vec![2], vec![0]]), vec![vec![0, 1, 2]]);
        assert_eq!(find_cycles(&[vec![0]]), vec![vec![0]], "a node that names itself");
        // Two separate cycles, and a node leading into one that is not in it.
        assert_eq!(find_cycles(&[vec![1], vec![0], vec![3], vec![2], vec![0]]), vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn a_ring_of_a_million_is_found_in_linear_time() {
        let n = 1_000_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let cycles = find_cycles(&edges);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].len(), n);
    }
}
