//! One side's verdict for one point of the joint space, with the clauses that decide it.

use crate::analysis::violation_names;
use crate::eval::{Evaluator, Launches, Status, Verdict};
use crate::model::ClauseKey;

use super::space::{JointPoint, JointSpace};

/// A side's verdict: as `check` would give it, or "not declared" when the deployment cannot be
/// written in that side's vocabulary (a value or flag only the other side declares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SideVerdict {
    Allowed,
    Violated,
    NotDeclared,
}

impl SideVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            SideVerdict::Allowed => "allowed",
            SideVerdict::Violated => "violated",
            SideVerdict::NotDeclared => "not_declared",
        }
    }
}

/// A verdict and the clauses deciding it: for a violation, the clauses violated (and
/// `agreement.default` for a `default deny`); for an allowed deployment, the clauses that
/// allowed it or whose requirement it satisfied (none: no clause applies, the default allows).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SideResult {
    pub verdict: SideVerdict,
    /// The clauses deciding every deployment of the region (for a plan: the one deployment).
    pub clauses: Vec<String>,
    /// For a region: clauses deciding some of its deployments but not all.
    pub in_part: Vec<String>,
}

/// The verdict of one side at a point.
pub fn judge(joint: &JointSpace, evaluator: &Evaluator<'_>, p: &JointPoint, old: bool) -> SideResult {
    let Some((d, launches)) = joint.on_side(p, old) else {
        return SideResult { verdict: SideVerdict::NotDeclared, clauses: Vec::new(), in_part: Vec::new() };
    };
    let rules = evaluator.rules();
    let outcome = evaluator.evaluate_with(&d, Launches::Assumed(&launches));
    match outcome.verdict {
        Verdict::Violated => {
            let mut by = Vec::new();
            for a in &outcome.agreements {
                by.extend(
                    a.terms
                        .iter()
                        .filter(|t| t.status == Status::Violated)
                        .map(|t| (a.agreement, Some(t.clause))),
                );
                if a.denied_by_default {
                    by.push((a.agreement, None));
                }
            }
            SideResult {
                verdict: SideVerdict::Violated,
                clauses: violation_names(rules, &by),
                in_part: Vec::new(),
            }
        }
        Verdict::Allowed => {
            let clauses = outcome
                .agreements
                .iter()
                .flat_map(|a| &a.terms)
                .filter(|t| matches!(t.status, Status::Allowed | Status::Satisfied))
                .map(|t| rules.clause_name(ClauseKey { agreement: t.agreement, clause: t.clause }))
                .collect();
            SideResult { verdict: SideVerdict::Allowed, clauses, in_part: Vec::new() }
        }
    }
}
