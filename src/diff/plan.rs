//! `diff --plan`: the deployments of a real plan whose verdict would change, with both reasons.
//!
//! The plan is read with each side's vocabulary and checked by the reference evaluator on each
//! side (its `launched(...)` answered from its own index, as `check` would); a record valid on one
//! side only changes from or to "not declared". Reasons are `report::prose`'s words.

use crate::eval::{evaluate_plan, DeploymentOutcome, Status, Verdict};
use crate::model::ClauseKey;
use crate::plan::{read_plan, PlanError, PlanFormat, Record};
use crate::report::{prose, RuleTexts};

use super::verdict::{SideResult, SideVerdict};
use super::Side;

/// One deployment whose verdict changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    pub id: String,
    pub position: usize,
    pub line: Option<usize>,
    pub before: SideResult,
    pub after: SideResult,
    /// `clause: reason` for each clause deciding each side.
    pub before_reasons: Vec<String>,
    pub after_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDiff {
    /// How many records the plan has.
    pub records: usize,
    /// Records invalid on both sides (not compared).
    pub invalid: usize,
    pub changes: Vec<PlanChange>,
}

fn side(side: Side<'_>, record: &Record, outcome: Option<&DeploymentOutcome>) -> (SideResult, Vec<String>) {
    let (Record::Valid(d), Some(outcome)) = (record, outcome) else {
        return (
            SideResult { verdict: SideVerdict::NotDeclared, clauses: Vec::new(), in_part: Vec::new() },
            Vec::new(),
        );
    };
    let texts = RuleTexts::new(side.rules, side.sources);
    let wanted = |s: Status| match outcome.verdict {
        Verdict::Violated => s == Status::Violated,
        Verdict::Allowed => matches!(s, Status::Allowed | Status::Satisfied),
    };
    let mut clauses = Vec::new();
    let mut reasons = Vec::new();
    for a in &outcome.agreements {
        for t in a.terms.iter().filter(|t| wanted(t.status)) {
            let name = side.rules.clause_name(ClauseKey { agreement: t.agreement, clause: t.clause });
            let mut why = String::new();
            prose::reason(&texts, a.agreement, t, d, &mut why);
            reasons.push(format!("{name}: {why}"));
            clauses.push(name);
        }
        if outcome.verdict == Verdict::Violated && a.denied_by_default {
            let name = format!("{}.default", side.rules.agreement(a.agreement).id);
            reasons.push(format!("{name}: no clause allowed it and the agreement's default is deny"));
            clauses.push(name);
        }
    }
    let verdict = match outcome.verdict {
        Verdict::Allowed => SideVerdict::Allowed,
        Verdict::Violated => SideVerdict::Violated,
    };
    (SideResult { verdict, clauses, in_part: Vec::new() }, reasons)
}

/// The plan's deployments whose verdict differs between `old` and `new`, in input order.
pub fn diff_plan(
    old: Side<'_>,
    new: Side<'_>,
    text: &str,
    format: PlanFormat,
) -> Result<PlanDiff, PlanError> {
    let before = read_plan(text, format, &old.rules.vocabulary)?;
    let after = read_plan(text, format, &new.rules.vocabulary)?;
    let (ob, oa) = (evaluate_plan(old.rules, &before), evaluate_plan(new.rules, &after));
    let mut changes = Vec::new();
    let mut invalid = 0;
    for (i, (rb, ra)) in before.records.iter().zip(&after.records).enumerate() {
        if matches!((rb, ra), (Record::Invalid(_), Record::Invalid(_))) {
            invalid += 1;
            continue;
        }
        let (b, br) = side(old, rb, ob[i].as_ref());
        let (a, ar) = side(new, ra, oa[i].as_ref());
        if b.verdict != a.verdict {
            let line = match rb {
                Record::Valid(d) => d.line,
                Record::Invalid(r) => r.line,
            };
            changes.push(PlanChange {
                id: rb.id().to_string(),
                position: rb.position(),
                line,
                before: b,
                after: a,
                before_reasons: br,
                after_reasons: ar,
            });
        }
    }
    Ok(PlanDiff { records: before.records.len(), invalid, changes })
}
