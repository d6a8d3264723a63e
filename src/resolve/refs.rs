//! Names of agreements and clauses across the rule set: `exception to clause`,
//! `exception to other.clause`, `supersedes agreement` and `supersedes agreement.clause`.
//!
//! Every agreement and clause id is known before any agreement is resolved, so a reference may
//! point forward or into another file. A clause named without its agreement is looked up in the
//! agreement that names it; when it is not there but another agreement has it, the error says
//! which (`did you mean other.clause?`). A typo in either part gets its own "did you mean".

use std::collections::HashMap;

use super::{ResolveError, Resolver};
use crate::model::*;
use crate::source::Span;
use crate::suggest;
use crate::syntax::ast;

/// The ids of every agreement and of every clause, by agreement.
pub(super) struct Names<'a> {
    pub agreements: HashMap<&'a str, (AgreementId, Span)>,
    /// For each agreement, its clause ids (the first clause of a repeated id) in writing order.
    pub clauses: Vec<Vec<&'a str>>,
    pub by_clause: Vec<HashMap<&'a str, ClauseRef>>,
    pub ids: Vec<&'a str>,
}

impl<'a> Names<'a> {
    pub fn new(agreements: &[&'a ast::Agreement]) -> Names<'a> {
        let mut names = Names {
            agreements: HashMap::new(),
            clauses: Vec::new(),
            by_clause: Vec::new(),
            ids: agreements.iter().map(|a| a.id.text.as_str()).collect(),
        };
        for (i, a) in agreements.iter().enumerate() {
            names.agreements.entry(&a.id.text).or_insert((AgreementId(i as u32), a.id.span));
            let mut by = HashMap::new();
            let mut list = Vec::new();
            for (c, clause) in a.items.iter().filter_map(clause_of).enumerate() {
                by.entry(clause.id.text.as_str()).or_insert(ClauseRef(c as u32));
                list.push(clause.id.text.as_str());
            }
            names.clauses.push(list);
            names.by_clause.push(by);
        }
        names
    }

    fn sorted_agreements(&self) -> Vec<&'a str> {
        let mut keys: Vec<&str> = self.agreements.keys().copied().collect();
        keys.sort_unstable();
        keys
    }
}

fn clause_of(item: &ast::AgreementItem) -> Option<&ast::Clause> {
    match item {
        ast::AgreementItem::Clause(c) => Some(c),
        _ => None,
    }
}

impl Resolver {
    /// The agreement `name` names, or an "unknown agreement" error.
    pub(super) fn agreement_ref(&mut self, name: &ast::Name, names: &Names<'_>) -> Option<AgreementId> {
        let found = names.agreements.get(name.text.as_str()).map(|(id, _)| *id);
        if found.is_none() {
            self.unknown("agreement", name, names.sorted_agreements());
        }
        found
    }

    /// The clause `r` names, seen from agreement `own`.
    pub(super) fn clause_ref(
        &mut self,
        r: &ast::QualifiedName,
        own: AgreementId,
        names: &Names<'_>,
    ) -> Option<ClauseKey> {
        let agreement = match &r.agreement {
            Some(a) => self.agreement_ref(a, names)?,
            None => own,
        };
        if let Some(c) = names.by_clause[agreement.index()].get(r.name.text.as_str()) {
            return Some(ClauseKey { agreement, clause: *c });
        }
        let known = names.clauses[agreement.index()].clone();
        let mut suggestion =
            suggest::did_you_mean(&r.name.text, known.iter().copied()).map(|s| match &r.agreement {
                Some(a) => format!("{}.{s}", a.text),
                None => s.to_string(),
            });
        if r.agreement.is_none() {
            // Written without its agreement: the clause may be another agreement's.
            let elsewhere = (0..names.ids.len())
                .filter(|&i| i != own.index() && names.by_clause[i].contains_key(r.name.text.as_str()))
                .map(|i| format!("{}.{}", names.ids[i], r.name.text))
                .next();
            suggestion = elsewhere.or(suggestion);
        }
        let name = match &r.agreement {
            Some(a) => format!("{}.{}", a.text, r.name.text),
            None => r.name.text.clone(),
        };
        self.error(
            ResolveError::UnknownName {
                kind: "clause".to_string(),
                name,
                suggestion,
                known: known.iter().map(|s| s.to_string()).collect(),
            },
            r.name.span,
        );
        None
    }
}
