//! Where a plan's deployments go on the timeline: on the rows of the clauses that decided them.
//!
//! Each valid deployment is checked by the compiled [`Program`], exactly as `check` checks it
//! (the plan's own `launched(...)` index included); this module only reads the outcome. A violated
//! deployment is marked on every clause it violates, and on the agreement whose `default deny`
//! decided it; an allowed one on every clause that allowed or satisfied it, or, under an agreement
//! where no clause did, on that agreement (its default allowed it). A deployment no agreement
//! binds has no row: it is kept apart. Records in error are not marked (the CLI refuses them).

use crate::eval::{Launches, Outcome, PlanIndex, Program, Status, Verdict};
use crate::model::{FieldId, RuleSet};
use crate::plan::{Deployment, Plan};

use super::{Mark, Marker};

/// Markers by agreement (in rule-set order) and clause.
#[derive(Debug, Default)]
pub(super) struct Placed {
    pub by_agreement: Vec<AgreementMarkers>,
    pub unbound: Vec<Marker>,
}

#[derive(Debug, Default)]
pub(super) struct AgreementMarkers {
    /// Decided by the agreement's default.
    pub by_default: Vec<Marker>,
    /// By clause index.
    pub by_clause: Vec<Vec<Marker>>,
}

impl Placed {
    /// No markers: a row for every agreement and clause, all empty.
    pub(super) fn empty(rules: &RuleSet) -> Placed {
        Placed {
            by_agreement: rules
                .agreements
                .iter()
                .map(|a| AgreementMarkers {
                    by_default: Vec::new(),
                    by_clause: vec![Vec::new(); a.clauses.len()],
                })
                .collect(),
            unbound: Vec::new(),
        }
    }
}

/// Every valid deployment of the plan, in plan order, on the rows that decided it.
pub(super) fn place(rules: &RuleSet, plan: &Plan) -> Placed {
    let mut placed = Placed::empty(rules);
    let program = Program::new(rules);
    let index = PlanIndex::build(rules, plan.deployments());
    let mut outcome = Outcome::default();
    for d in plan.deployments() {
        program.check(d, Launches::Plan(&index), &mut outcome);
        let marker = |status: Mark| Marker {
            deployment: d.id.clone(),
            position: d.position,
            date: d.date,
            facts: facts(rules, d),
            status,
        };
        if outcome.agreements().len() == 0 {
            placed.unbound.push(marker(Mark::Allowed));
            continue;
        }
        let violated = outcome.verdict() == Verdict::Violated;
        for view in outcome.agreements() {
            let rows = &mut placed.by_agreement[view.agreement.index()];
            let mut decided = false;
            for term in view.matched {
                let mark = match term.status {
                    Status::Violated if violated => Mark::Violated,
                    Status::Allowed if !violated => Mark::Allowed,
                    Status::Satisfied if !violated => Mark::Satisfied,
                    _ => continue,
                };
                decided = true;
                rows.by_clause[term.clause.index()].push(marker(mark));
            }
            if violated && view.denied_by_default {
                rows.by_default.push(marker(Mark::Violated));
            } else if !violated && !decided {
                rows.by_default.push(marker(Mark::Allowed));
            }
        }
    }
    placed
}

/// `openai · api · aws · azure_declined`: the values given and the flags set, in vocabulary order.
fn facts(rules: &RuleSet, d: &Deployment) -> String {
    let vocab = &rules.vocabulary;
    let values =
        d.values.iter().enumerate().filter_map(|(f, v)| v.map(|v| vocab.value_name(FieldId(f as u16), v)));
    let flags = d.flags.iter().map(|f| vocab.flag_name(*f));
    values.chain(flags).collect::<Vec<_>>().join(" · ")
}
