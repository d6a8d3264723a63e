//! Stage two: syntax trees of every file in a rule set to one checked [`RuleSet`].
//!
//! The resolver binds every name to the vocabulary, reads every date strictly, and checks the
//! agreement history (supersession) and clause structure (exceptions). It never stops at the first
//! problem: every error in every file comes back together, so an analyst fixes them in one pass.
//! Nothing is evaluated with a rule set that has errors; [`RuleSet`] exists only when there are none.

mod conditions;
pub mod dates;
mod error;
mod events;
mod graph;
mod moments;
mod refs;
mod vocabulary;

use std::collections::HashMap;

use rust_decimal::Decimal;

pub use error::ResolveError;

use crate::diagnostic::Diagnostic;
use crate::events::GivenEvent;
use crate::model::{self, *};
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast;

/// Resolves parsed files (in the order given, which should be stable: sorted by path) together.
pub fn resolve(files: &[ast::RuleFile]) -> Result<RuleSet, Vec<Diagnostic>> {
    resolve_with(files, &[], &[])
}

/// Resolves a condition standing alone (a waiver's `when`) against a checked rule set's
/// vocabulary. It may use `launched(...)` only as some rule of the set does, since a plan's
/// index answers only those; it has no parameters to name.
pub fn resolve_condition(rules: &RuleSet, c: &ast::Condition) -> Result<Condition, Vec<Diagnostic>> {
    let mut r = Resolver {
        vocab: rules.vocabulary.clone(),
        relations: rules.relations.clone(),
        events: rules.events.clone(),
        ..Resolver::default()
    };
    let resolved = r.condition(c, &[]);
    if r.relations.len() > rules.relations.len() {
        let mut span = c.span();
        c.walk_launched(&mut |s| span = s);
        r.errors.push(
            Diagnostic::error(
                crate::diagnostic::codes::WAIVER_BAD_CONDITION,
                "this `launched(...)` is not one the rules use",
                span,
                "not in the rules",
            )
            .with_help("a waiver's condition can use `launched(...)` only as some rule does; name the deployments by id instead"),
        );
    }
    match resolved {
        Some(c) if r.errors.is_empty() => Ok(c),
        _ => Err(r.errors),
    }
}

/// The most clauses a rule set may hold. Far beyond any contract; it keeps every index of the
/// evaluator far inside its 32 bits.
pub const MAX_CLAUSES: usize = 1_000_000;

/// The most agreements a rule set may hold: every deployment is tested against each one's period
/// of force, so this bounds the work per deployment as [`MAX_CLAUSES`] bounds the rules.
pub const MAX_AGREEMENTS: usize = 100_000;

/// [`resolve`], with `file_starts` the spans of the files (their starts), to place the error of
/// a rule set that says nothing at all.
pub fn resolve_in(files: &[ast::RuleFile], file_starts: &[Span]) -> Result<RuleSet, Vec<Diagnostic>> {
    resolve_with(files, file_starts, &[])
}

/// [`resolve_in`], with the dates this run gives the rules' events (`--events`): an event not
/// given is taken as not having happened.
pub fn resolve_with(
    files: &[ast::RuleFile],
    file_starts: &[Span],
    events: &[GivenEvent],
) -> Result<RuleSet, Vec<Diagnostic>> {
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
                _ => None,
            });
            r.error(ResolveError::TooMany { what: what.into(), count }, span.unwrap_or_default());
        }
    }
    r.events(files, events);
    let agreements: Vec<&ast::Agreement> = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|i| match i {
            ast::Item::Agreement(a) => Some(a),
            _ => None,
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
    // Every agreement and clause id first, so a reference may name one defined later or in
    // another file.
    let names = refs::Names::new(&agreements);
    for a in &agreements {
        if let Some((_, first)) =
            names.agreements.get(a.id.text.as_str()).filter(|(_, s)| !s.same_place(&a.id.span))
        {
            r.duplicate("agreement", &a.id, *first);
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
    let mut out: Vec<Agreement> =
        agreements.iter().enumerate().map(|(i, a)| r.agreement(AgreementId(i as u32), a, &names)).collect();
    r.supersession(&mut out);
    r.exception_cycles(&out);
    for i in 0..out.len() {
        fill_assumptions(AgreementId(i as u32), &mut out, &r.events);
    }
    if r.errors.is_empty() {
        inherit_exception_assumptions(&mut out);
    }
    if r.errors.is_empty() {
        let party = r.vocab.field("party");
        Ok(RuleSet { vocabulary: r.vocab, agreements: out, relations: r.relations, party, events: r.events })
    } else {
        Err(r.errors)
    }
}

#[derive(Default)]
struct Resolver {
    vocab: Vocabulary,
    relations: Vec<Relation>,
    events: Vec<Event>,
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

    fn agreement(&mut self, id: AgreementId, a: &ast::Agreement, names: &refs::Names<'_>) -> Agreement {
        let mut parties = Vec::new();
        let mut effective: Option<(Dated, Span)> = None;
        let mut ending: Option<(moments::Ending, Span)> = None;
        let mut end_decl: Option<&ast::EndDecl> = None;
        let mut default: Option<(model::Default, Span)> = None;
        let mut supersedes = Vec::new();
        let mut supersedes_clauses = Vec::new();
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
                    if let Some(dated) = self.start(d, "effective") {
                        self.once(&mut effective, dated, d.span, "effective");
                    }
                }
                ast::AgreementItem::Ends(d) => match &end_decl {
                    Some(first) => {
                        let first = first.span;
                        self.error(ResolveError::Repeated { what: "ends", first }, d.span);
                    }
                    None => end_decl = Some(d),
                },
                ast::AgreementItem::Default(decision, span) => {
                    let value = match decision {
                        ast::DefaultDecision::Allow => model::Default::Allow,
                        ast::DefaultDecision::Deny => model::Default::Deny,
                    };
                    self.once(&mut default, value, *span, "default");
                }
                ast::AgreementItem::Supersedes(refs, _) => {
                    for r in refs {
                        if r.agreement.is_some() {
                            if r.agreement.as_ref().is_some_and(|o| o.text == a.id.text) {
                                self.error(
                                    ResolveError::SupersedesOwnClause { name: r.name.text.clone() },
                                    r.span,
                                );
                            } else if let Some(key) = self.clause_ref(r, id, names) {
                                supersedes_clauses.push(key);
                            }
                            continue;
                        }
                        if r.name.text == a.id.text {
                            let (name, chain) = (r.name.text.clone(), "itself".into());
                            self.error(ResolveError::SupersedesCycle { name, chain }, r.name.span);
                        } else if let Some(old) = self.agreement_ref(&r.name, names) {
                            supersedes.push(old);
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
        if let Some(d) = end_decl {
            if let Some(e) = self.ending(d, "ends", effective.as_ref().map(|(d, _)| d)) {
                ending = Some((e, d.span));
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
        self.in_order(effective.as_ref().map(|(d, _)| d), ending.as_ref().map(|(e, s)| (e, *s)));
        let (ends, open_until) = match ending {
            Some((e, _)) => (e.ends, e.open_until),
            None => (None, Vec::new()),
        };
        let effective = effective.map(|(d, _)| d);
        let clauses = self.clauses(id, &clause_asts, &params, effective.as_ref(), names);
        Agreement {
            id: a.id.text.clone(),
            title: a.title.value.clone(),
            parties,
            effective: effective.unwrap_or_else(|| Dated::day(chrono::NaiveDate::MIN, a.id.span)),
            ends,
            open_until,
            supersedes,
            superseded_by: Vec::new(),
            supersedes_clauses,
            default: default.map_or(model::Default::Allow, |(d, _)| d),
            params,
            clauses,
            span: a.id.span,
        }
    }

    /// An end written before its start is an error; one that events put there is what happened.
    fn in_order(&mut self, start: Option<&Dated>, end: Option<(&moments::Ending, Span)>) {
        let (Some(start), Some((moments::Ending { ends: Some(end), .. }, span))) = (start, end) else {
            return;
        };
        if end.date < start.date && start.is_known() && start.events.is_empty() && end.events.is_empty() {
            self.error(
                ResolveError::InvertedWindow { start: start.date.to_string(), end: end.date.to_string() },
                span,
            );
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

    pub(super) fn day(&mut self, lit: &ast::DateLit) -> Option<chrono::NaiveDate> {
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

    fn clauses(
        &mut self,
        own: AgreementId,
        asts: &[&ast::Clause],
        params: &[Param],
        effective: Option<&Dated>,
        names: &refs::Names<'_>,
    ) -> Vec<Clause> {
        let mut ids: HashMap<&str, Span> = HashMap::new();
        for c in asts {
            if let Some(first) = ids.get(c.id.text.as_str()) {
                self.duplicate("clause", &c.id, *first);
            } else {
                ids.insert(&c.id.text, c.id.span);
            }
        }
        asts.iter().map(|c| self.clause(own, c, params, effective, names)).collect()
    }

    fn clause(
        &mut self,
        own: AgreementId,
        c: &ast::Clause,
        params: &[Param],
        agreement_effective: Option<&Dated>,
        names: &refs::Names<'_>,
    ) -> Clause {
        let mut quote: Option<(String, Span)> = None;
        let mut severity: Option<(ClauseSeverity, Span)> = None;
        let mut exception_to = Vec::new();
        let mut statements = Vec::new();
        let mut effective: Option<(Dated, Span)> = None;
        let mut end_decl: Option<&ast::EndDecl> = None;
        for item in &c.items {
            match item {
                ast::ClauseItem::Quote(t) => self.once(&mut quote, t.value.clone(), t.span, "quote"),
                ast::ClauseItem::ExceptionTo(refs, _) => {
                    for r in refs {
                        if let Some(key) = self.clause_ref(r, own, names) {
                            if key.agreement == own
                                && names.clauses[own.index()][key.clause.index()] == c.id.text
                            {
                                let (name, chain) = (r.name.text.clone(), "itself".into());
                                self.error(ResolveError::ExceptionCycle { name, chain }, r.span);
                            } else {
                                exception_to.push(key);
                            }
                        }
                    }
                }
                ast::ClauseItem::Effective(d) => {
                    if let Some(dated) = self.start(d, "effective") {
                        self.once(&mut effective, dated, d.span, "effective");
                    }
                }
                ast::ClauseItem::Ends(d) => match &end_decl {
                    Some(first) => {
                        let first = first.span;
                        self.error(ResolveError::Repeated { what: "ends", first }, d.span);
                    }
                    None => end_decl = Some(d),
                },
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
                ast::ClauseItem::Severity(s, span) => {
                    let s = match s {
                        ast::ClauseSeverity::Mandatory => ClauseSeverity::Mandatory,
                        ast::ClauseSeverity::Advisory => ClauseSeverity::Advisory,
                    };
                    self.once(&mut severity, s, *span, "severity")
                }
            }
        }
        // A clause's durations count from its own start, or its agreement's.
        let start = effective.as_ref().map(|(d, _)| d).or(agreement_effective);
        let ending = end_decl.and_then(|d| self.ending(d, "ends", start).map(|e| (e, d.span)));
        self.in_order(start, ending.as_ref().map(|(e, s)| (e, *s)));
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
        let says_something = c.items.iter().any(|i| {
            matches!(
                i,
                ast::ClauseItem::Rule(_)
                    | ast::ClauseItem::Payment(_)
                    | ast::ClauseItem::Duty { .. }
                    | ast::ClauseItem::Information(_)
            )
        });
        if !says_something {
            self.error(ResolveError::EmptyClause { name: c.id.text.clone() }, c.id.span);
        }
        let (ends, open_until) = match ending {
            Some((e, _)) => (e.ends, e.open_until),
            None => (None, Vec::new()),
        };
        Clause {
            id: c.id.text.clone(),
            title: c.title.value.clone(),
            quote: quote.map(|(q, _)| q).unwrap_or_default(),
            exception_to,
            effective: effective.map(|(d, _)| d),
            ends,
            open_until,
            superseded_by: Vec::new(),
            statements,
            severity: severity.map(|(s, _)| s).unwrap_or_default(),
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
        let total = p.total.as_ref().map(|v| self.value(v, params, Expect::Money));
        let cap = p.cap.as_ref().map(|v| self.value(v, params, Expect::Money));
        let (window, window_params, window_events) = match &p.window {
            Some(w) => {
                let w = self.window(w, params, p.span)?;
                (w.window, w.params, w.events)
            }
            None => (DateWindow::default(), Vec::new(), Vec::new()),
        };
        Some(Payment {
            forbidden: p.forbidden,
            payer: payer?,
            payee: payee?,
            share: share.flatten(),
            total: total.flatten(),
            window,
            window_params,
            window_events,
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

    /// Fills `superseded_by` (of agreements and of clauses) and reports supersession cycles: an
    /// agreement that replaces another, or one of its clauses, comes after it.
    fn supersession(&mut self, agreements: &mut [Agreement]) {
        for i in 0..agreements.len() {
            for old in agreements[i].supersedes.clone() {
                agreements[old.index()].superseded_by.push(AgreementId(i as u32));
            }
            for key in agreements[i].supersedes_clauses.clone() {
                let by = &mut agreements[key.agreement.index()].clauses[key.clause.index()].superseded_by;
                if !by.contains(&AgreementId(i as u32)) {
                    by.push(AgreementId(i as u32));
                }
            }
        }
        let edges: Vec<Vec<usize>> = agreements
            .iter()
            .map(|a| {
                let mut to: Vec<usize> = a.supersedes.iter().map(|s| s.index()).collect();
                to.extend(a.supersedes_clauses.iter().map(|k| k.agreement.index()));
                to.sort_unstable();
                to.dedup();
                to
            })
            .collect();
        for start in graph::find_cycles(&edges) {
            let a = &agreements[start[0]];
            let chain = graph::cycle_words(&start, |i| &agreements[i].id);
            self.error(ResolveError::SupersedesCycle { name: a.id.clone(), chain }, a.span);
        }
    }

    /// Exceptions form a graph over every clause of the rule set; a cycle in it is an error.
    fn exception_cycles(&mut self, agreements: &[Agreement]) {
        let mut base = Vec::with_capacity(agreements.len());
        let mut keys = Vec::new();
        for (a, agreement) in agreements.iter().enumerate() {
            base.push(keys.len());
            keys.extend(
                (0..agreement.clauses.len())
                    .map(|c| ClauseKey { agreement: AgreementId(a as u32), clause: ClauseRef(c as u32) }),
            );
        }
        let flat = |k: &ClauseKey| base[k.agreement.index()] + k.clause.index();
        let clause = |i: usize| &agreements[keys[i].agreement.index()].clauses[keys[i].clause.index()];
        let edges: Vec<Vec<usize>> =
            (0..keys.len()).map(|i| clause(i).exception_to.iter().map(flat).collect()).collect();
        let name = |i: usize| {
            let k = keys[i];
            let c = clause(i);
            if agreements
                .iter()
                .all(|a| a.clauses.iter().all(|o| o.exception_to.iter().all(|e| e.agreement == k.agreement)))
            {
                c.id.clone()
            } else {
                format!("{}.{}", agreements[k.agreement.index()].id, c.id)
            }
        };
        for cycle in graph::find_cycles(&edges) {
            let names: Vec<String> = cycle.iter().map(|&i| name(i)).collect();
            let chain = graph::cycle_words(&(0..cycle.len()).collect::<Vec<_>>(), |i| &names[i]);
            let c = clause(cycle[0]);
            self.error(ResolveError::ExceptionCycle { name: names[0].clone(), chain }, c.span);
        }
    }
}

/// The assumptions each rule of an agreement rests on (S11), in this order: the agreement's
/// assumed `effective` and `ends`, the events without a date its dates wait on, the clause's own
/// assumed dates and events, then the assumed parameters and the events without a date its date
/// tests read, in declaration order.
fn fill_assumptions(id: AgreementId, agreements: &mut [Agreement], events: &[Event]) {
    let unknown = |e: &EventId| events[e.0 as usize].date.is_none();
    let a = &agreements[id.index()];
    let mut dates = Vec::new();
    if a.effective.assumed.is_some() {
        dates.push(AssumptionRef::Effective(id));
    }
    if a.ends.as_ref().is_some_and(|e| e.assumed.is_some()) {
        dates.push(AssumptionRef::Ends(id));
    }
    let mut waits: Vec<EventId> = a.effective.events.iter().copied().filter(unknown).collect();
    waits.extend(a.ends.iter().flat_map(|e| e.events.iter().copied().filter(unknown)));
    waits.extend(&a.open_until);
    let assumed: Vec<bool> = agreements[id.index()].params.iter().map(|p| p.assumed.is_some()).collect();
    let a = &mut agreements[id.index()];
    for (c, clause) in a.clauses.iter_mut().enumerate() {
        let key = ClauseKey { agreement: id, clause: ClauseRef(c as u32) };
        let mut own = dates.clone();
        let mut own_events = waits.clone();
        if clause.effective.as_ref().is_some_and(|e| e.assumed.is_some()) {
            own.push(AssumptionRef::ClauseEffective(key));
        }
        if clause.ends.as_ref().is_some_and(|e| e.assumed.is_some()) {
            own.push(AssumptionRef::ClauseEnds(key));
        }
        own_events.extend(clause.effective.iter().flat_map(|e| e.events.iter().copied().filter(unknown)));
        own_events.extend(clause.ends.iter().flat_map(|e| e.events.iter().copied().filter(unknown)));
        own_events.extend(&clause.open_until);
        for s in &mut clause.statements {
            let Statement::Rule(rule) = s else { continue };
            let mut params = Vec::new();
            let mut read = own_events.clone();
            for c in rule.conditions() {
                c.date_params(&mut params);
                c.date_events(&mut read);
            }
            params.sort_unstable();
            params.dedup();
            let mut seen = Vec::new();
            read.retain(|e| {
                unknown(e) && !seen.contains(e) && {
                    seen.push(*e);
                    true
                }
            });
            rule.assumptions = own.clone();
            rule.assumptions.extend(
                params
                    .into_iter()
                    .filter(|p| assumed.get(p.0 as usize).copied().unwrap_or(false))
                    .map(|p| AssumptionRef::Param(id, p)),
            );
            rule.assumptions.extend(read.into_iter().map(AssumptionRef::Event));
        }
    }
}

/// A clause an exception can override rests on what that exception rests on too: the
/// exception may not have applied only because of an assumed date or an event with no date
/// (`permit ... until merger_approved` before the merger is dated), and then the overridden
/// clause's verdict would change with it. One level: the exception's own rules' assumptions are
/// added to every rule of each clause it names.
fn inherit_exception_assumptions(agreements: &mut [Agreement]) {
    let mut extra: Vec<(ClauseKey, Vec<AssumptionRef>)> = Vec::new();
    for a in agreements.iter() {
        for c in &a.clauses {
            if c.exception_to.is_empty() {
                continue;
            }
            let mut from: Vec<AssumptionRef> = Vec::new();
            for s in &c.statements {
                if let Statement::Rule(rule) = s {
                    for x in &rule.assumptions {
                        if !from.contains(x) {
                            from.push(*x);
                        }
                    }
                }
            }
            if !from.is_empty() {
                extra.extend(c.exception_to.iter().map(|k| (*k, from.clone())));
            }
        }
    }
    for (key, from) in extra {
        let Some(clause) =
            agreements.get_mut(key.agreement.index()).and_then(|a| a.clauses.get_mut(key.clause.index()))
        else {
            continue;
        };
        for s in &mut clause.statements {
            if let Statement::Rule(rule) = s {
                for x in &from {
                    if !rule.assumptions.contains(x) {
                        rule.assumptions.push(*x);
                    }
                }
            }
        }
    }
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
