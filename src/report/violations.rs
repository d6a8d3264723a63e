//! A checked deployment's violated terms as the CI formats list them: the clause, its title, the
//! reason in words, the quoted source, the place in the rules, and how the term counts (the
//! policy's disposition, with the waiver that waives it or has expired). Made here once, so
//! markdown, JUnit, SARIF and the annotations say the same thing.

use std::borrow::Cow;

use super::prose;
use super::texts::RuleTexts;
use crate::check::{Checked, Disposition, Violation};
use crate::source::Span;
use crate::waivers::Waiver;

/// One violated term, in words.
#[derive(Debug)]
pub struct Row<'a> {
    pub agreement: &'a str,
    /// `default` for an agreement's `default deny`.
    pub clause: &'a str,
    pub title: Cow<'a, str>,
    pub reason: String,
    /// Empty for a `default deny`.
    pub quote: &'a str,
    /// `file:line:column` of the clause (or agreement) in the rules.
    pub source: &'a str,
    /// The clause's (or agreement's) place in the rules.
    pub span: Span,
    pub violation: Violation,
    pub waiver: Option<&'a Waiver>,
    pub expired_waiver: Option<&'a Waiver>,
}

impl Row<'_> {
    /// `agreement.clause`.
    pub fn name(&self) -> String {
        format!("{}.{}", self.agreement, self.clause)
    }

    /// `agreement/clause`: the rule id of SARIF and the annotations.
    pub fn rule_id(&self) -> String {
        format!("{}/{}", self.agreement, self.clause)
    }

    pub fn disposition(&self) -> Disposition {
        self.violation.disposition
    }

    /// What a reader needs to know about how the term counts, beyond its reason: who waived it,
    /// that it is in the baseline, that its waiver has expired. `None` for a plain violation.
    pub fn note(&self) -> Option<String> {
        let expired = self.expired_waiver.map(|w| {
            format!("the waiver approved by {} expired on {} ({})", w.approver, w.expires, w.reason)
        });
        match self.violation.disposition {
            Disposition::Waived => self.waiver.map(Waiver::words),
            Disposition::Known => Some(match expired {
                Some(e) => format!("known: in the baseline; {e}"),
                None => "known: in the baseline".to_owned(),
            }),
            Disposition::Advisory => Some(match expired {
                Some(e) => format!("advisory clause; {e}"),
                None => "advisory clause".to_owned(),
            }),
            Disposition::Mandatory => expired,
        }
    }
}

/// The violated terms of `c`, in report order, with their dispositions.
pub fn rows<'a>(texts: &'a RuleTexts<'a>, c: &Checked<'a>) -> Vec<Row<'a>> {
    let rules = texts.rules;
    let mut out = Vec::with_capacity(c.violations.len());
    let mut violations = c.violations.iter();
    let waiver = |i: Option<u32>| i.and_then(|i| c.policy.waivers.list.get(i as usize));
    for view in c.outcome.agreements() {
        let a = rules.agreement(view.agreement);
        let at = &texts.agreements[view.agreement.index()];
        for t in view.violated() {
            // INVARIANT: the policy judged the same outcome, in the same order (`Policy::judge`).
            let Some(v) = violations.next() else { break };
            let clause = a.clause(t.clause);
            let mut reason = String::new();
            prose::reason(texts, view.agreement, t, c.deployment, &mut reason);
            out.push(Row {
                agreement: &a.id,
                clause: &clause.id,
                title: Cow::Borrowed(&clause.title),
                reason,
                quote: &clause.quote,
                source: &at.clauses[t.clause.index()].source,
                span: clause.span,
                violation: *v,
                waiver: waiver(v.waiver),
                expired_waiver: waiver(v.expired_waiver),
            });
        }
        if view.denied_by_default {
            let Some(v) = violations.next() else { break };
            out.push(Row {
                agreement: &a.id,
                clause: crate::waivers::DEFAULT_CLAUSE,
                title: Cow::Owned(format!("{} denies what no clause allows", a.id)),
                reason: format!("no clause of `{}` allows this deployment, and its default is deny", a.id),
                quote: "",
                source: &at.source,
                span: a.span,
                violation: *v,
                waiver: waiver(v.waiver),
                expired_waiver: waiver(v.expired_waiver),
            });
        }
    }
    out
}
