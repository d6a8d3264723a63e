//! Expiry warnings (`check --warn-within DAYS`) on the compiled program.

use chrono::NaiveDate;

use crate::analysis::{next_change, Change, Judge};
use crate::eval::{Launches, Outcome, PlanIndex, Program, Verdict};
use crate::model::{AgreementId, ClauseRef, RuleSet};
use crate::plan::Deployment;

/// A deployment allowed on its date that becomes violated `days` days later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    pub change: Change,
    pub days: i64,
}

/// The program as a judge of imagined deployments, with its own working buffer.
struct ProgramJudge<'a, 'r> {
    program: &'a Program<'r>,
    scratch: std::cell::RefCell<&'a mut Outcome>,
}

impl Judge for ProgramJudge<'_, '_> {
    fn rules(&self) -> &RuleSet {
        self.program.rules()
    }

    fn verdict(&self, d: &Deployment, launches: Launches<'_>) -> Verdict {
        let mut scratch = self.scratch.borrow_mut();
        self.program.verdict(d, launches, &mut scratch)
    }

    fn violated_by(&self, d: &Deployment, launches: Launches<'_>) -> Vec<(AgreementId, Option<ClauseRef>)> {
        let mut scratch = self.scratch.borrow_mut();
        self.program.check(d, launches, &mut scratch);
        crate::analysis::violations(scratch.agreements())
    }
}

pub(super) fn expiry(
    program: &Program<'_>,
    boundaries: &[NaiveDate],
    d: &Deployment,
    index: &PlanIndex,
    days: u32,
    scratch: &mut Outcome,
) -> Option<Expiry> {
    let until = d.date.checked_add_days(chrono::Days::new(u64::from(days)));
    let judge = ProgramJudge { program, scratch: std::cell::RefCell::new(scratch) };
    let change = next_change(&judge, boundaries, d, Launches::Plan(index), until)?;
    let gap = (change.date - d.date).num_days();
    (change.verdict == Verdict::Violated && gap <= i64::from(days)).then_some(Expiry { change, days: gap })
}
