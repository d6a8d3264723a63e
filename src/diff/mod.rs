//! What a change to the rules changes: the exact regions of deployments whose verdict differs
//! between two rule sets (or two agreements of one), the clauses added, removed and reworded, and
//! the deployments of a real plan whose verdict would change.
//!
//! Exact, never sampled: both sides are evaluated by the reference [`Evaluator`] on every point of
//! the joint finite space ([`space`]), whose dimensions are matched by name, so two rule sets with
//! different vocabularies can be compared. The differing points are then merged into as few
//! product-shaped regions as a greedy, deterministic merge finds ([`regions`]).
//!
//! Like `analysis`, this module does no I/O and knows no output format: the CLI reads the files
//! (or a git revision), `report::diff` writes the table.

pub mod clauses;
pub mod isolate;
pub mod plan;
pub mod regions;
pub mod space;
mod verdict;

use crate::model::RuleSet;
use crate::source::Sources;

pub use clauses::{ClauseChange, ClauseChangeKind};
pub use isolate::{isolate, IsolateError};
pub use plan::{diff_plan, PlanChange, PlanDiff};
pub use regions::{Cond, Example, Region};
pub use space::{JointSpace, MAX_POINTS};
pub use verdict::{SideResult, SideVerdict};

/// One side of a diff: a checked rule set and the sources it was read from (for wording).
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub rules: &'a RuleSet,
    pub sources: &'a Sources,
}

/// What differs between two sides.
#[derive(Debug, Clone)]
pub struct Diff {
    /// The regions of deployments whose verdict differs, in a fixed order.
    pub regions: Vec<Region>,
    /// Clauses added, removed, or changed in wording or quote, by `agreement.clause` id.
    pub clauses: Vec<ClauseChange>,
    /// Values and flags only one side declares, as `field value` or `flag name`, with the side.
    pub only_in: Vec<(String, &'static str)>,
    /// When the joint space has more points than [`MAX_POINTS`]: its size, and no regions.
    pub too_large: Option<u128>,
}

impl Diff {
    /// Whether some region's verdict changes. With `too_large` there are no regions: the CLI
    /// checks that first (exit 2).
    pub fn verdicts_change(&self) -> bool {
        !self.regions.is_empty()
    }
}

/// The whole diff of `old` against `new`. With `agreements` (old, new) — two agreements of one
/// rule set, each [`isolate`]d — only their clauses are compared, by clause id alone; otherwise
/// every clause, by `agreement.clause`.
pub fn diff(old: Side<'_>, new: Side<'_>, agreements: Option<(&str, &str)>) -> Diff {
    let joint = JointSpace::new(old.rules, new.rules);
    let only_in = joint.only_in();
    let clauses = clauses::changes(old, new, agreements);
    let size = joint.size();
    if size > MAX_POINTS as u128 {
        return Diff { regions: Vec::new(), clauses, only_in, too_large: Some(size) };
    }
    let regions = regions::differing(&joint, old.rules, new.rules);
    Diff { regions, clauses, only_in, too_large: None }
}
