//! What reports say about the rules, worked out once per run rather than once per deployment:
//! each clause's title, quote and place, each rule's conditions as written, the facts each
//! condition reads, and each value's words.
//!
//! Quotes and titles are borrowed from the rule set; places and condition texts are made once
//! here. Every format reads these, so a clause is described the same way in all of them.

use crate::eval::Term;
use crate::model::*;
use crate::source::Sources;

/// The texts of one run's rule set.
#[derive(Debug)]
pub struct RuleTexts<'r> {
    pub rules: &'r RuleSet,
    pub agreements: Vec<AgreementTexts>,
    /// `party is openai`, per field and value; the last entry of each field is `channel is not given`.
    pub facts: Vec<Vec<String>>,
}

#[derive(Debug)]
pub struct AgreementTexts {
    /// `file:line:column` of the agreement.
    pub source: String,
    pub clauses: Vec<ClauseTexts>,
}

#[derive(Debug)]
pub struct ClauseTexts {
    /// `file:line:column` of the clause.
    pub source: String,
    /// For a clause without rules: `a payment term and information, not checked against deployments`.
    pub not_about: String,
    /// By statement index; `None` for statements that are not rules.
    pub rules: Vec<Option<RuleTexts1>>,
}

/// One rule's conditions as written (whitespace collapsed), and the facts each reads.
#[derive(Debug, Default)]
pub struct RuleTexts1 {
    pub when: Option<String>,
    pub unless: Option<String>,
    pub requirement: Option<String>,
    pub when_facts: Vec<FactKey>,
    pub requirement_facts: Vec<FactKey>,
    /// The requirement is one `launched(...)` test: a failure names the deployment missing.
    pub requirement_launched: Option<(RelationId, LaunchedWhen)>,
}

/// A fact of the deployment a condition reads, for "(party is openai, cloud is aws)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKey {
    Field(FieldId),
    Flag(FlagId),
    Date,
}

impl<'r> RuleTexts<'r> {
    pub fn new(rules: &'r RuleSet, sources: &Sources) -> RuleTexts<'r> {
        let vocab = &rules.vocabulary;
        let facts = vocab
            .fields
            .iter()
            .map(|f| {
                let mut words: Vec<String> = f.values.iter().map(|v| format!("{} is {v}", f.name)).collect();
                words.push(format!("{} is not given", f.name));
                words
            })
            .collect();
        let agreements = rules
            .agreements
            .iter()
            .map(|a| AgreementTexts {
                source: sources.location(a.span),
                clauses: a
                    .clauses
                    .iter()
                    .map(|c| ClauseTexts {
                        source: sources.location(c.span),
                        not_about: not_about_deployments(c),
                        rules: c
                            .statements
                            .iter()
                            .map(|s| match s {
                                Statement::Rule(r) => Some(rule_texts(r, sources)),
                                _ => None,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        RuleTexts { rules, agreements, facts }
    }

    pub fn clause(&self, a: AgreementId, c: ClauseRef) -> &ClauseTexts {
        &self.agreements[a.index()].clauses[c.index()]
    }

    pub fn rule(&self, a: AgreementId, term: &Term) -> Option<&RuleTexts1> {
        let i = term.reason.rule()?;
        self.clause(a, term.clause).rules.get(i)?.as_ref()
    }

    /// `party is openai`, or `channel is not given` for `None`.
    pub fn fact(&self, field: FieldId, value: Option<ValueId>) -> &str {
        let words = &self.facts[field.0 as usize];
        let i = value.map_or(words.len() - 1, |v| v.0 as usize);
        words.get(i).map_or("", String::as_str)
    }
}

fn rule_texts(r: &Rule, sources: &Sources) -> RuleTexts1 {
    let text = |span: Option<crate::source::Span>| span.map(|s| collapse(sources.slice(s)));
    RuleTexts1 {
        when: text(r.when_span),
        unless: text(r.unless_span),
        requirement: text(r.require_span),
        when_facts: r.when.as_ref().map(fact_keys).unwrap_or_default(),
        requirement_facts: r.requirement().map(fact_keys).unwrap_or_default(),
        requirement_launched: match r.requirement() {
            Some(Condition::Launched { relation, when, .. }) => Some((*relation, *when)),
            _ => None,
        },
    }
}

/// The facts a condition reads, each once, in the order first met.
fn fact_keys(c: &Condition) -> Vec<FactKey> {
    let mut out = Vec::new();
    c.walk(&mut |c| {
        let key = match c {
            Condition::Field { field, .. } => FactKey::Field(*field),
            Condition::Flag { flag, .. } => FactKey::Flag(*flag),
            Condition::Date { .. } => FactKey::Date,
            Condition::And(_) | Condition::Or(_) | Condition::Not(_) | Condition::Launched { .. } => return,
        };
        if !out.contains(&key) {
            out.push(key);
        }
    });
    out
}

/// `a payment term and information, not checked against deployments`.
pub(crate) fn not_about_deployments(clause: &Clause) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for s in &clause.statements {
        let kind = match s {
            Statement::Payment(_) => "a payment term",
            Statement::Duty(_) => "an obligation",
            Statement::Information(_) => "information",
            Statement::Rule(_) => "a rule",
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    format!("{}, not checked against deployments", kinds.join(" and "))
}

/// Whitespace collapsed, so a condition written over several lines reads as one.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
