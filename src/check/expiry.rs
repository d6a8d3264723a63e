//! Expiry warnings (`check --warn-within DAYS`) on the compiled program.

use chrono::NaiveDate;

use crate::analysis::{next_change, Change, Judge};
use crate::eval::{Launches, Outcome, PlanIndex, Program, Verdict};
use crate::model::{AgreementId, ClauseRef, RuleSet};
use crate::plan::Deployment;

/// A deployment allowed on its date that becomes violated `days` days later, or (with `event`)
/// that would be violated had an event with no date happened by its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiry {
    pub change: Change,
    pub days: i64,
    /// The event with no date whose happening would change the verdict: the change is then on
    /// the deployment's own date, `days` is 0.
    pub event: Option<String>,
}

/// The rule set again with one event dated: what `--warn-within` asks of each event with no date
/// ("would this allowed deployment be violated had the event happened by its date?"). Dates are
/// bound when rules are resolved, so each (event, day) is a rule set of its own, loaded by the
/// caller (who has the sources) and kept for the run.
pub struct EventVariants {
    /// The events with no date in this run, in rule-set order.
    pub events: Vec<String>,
    load: LoadDated,
    cache: std::sync::Mutex<std::collections::HashMap<(usize, NaiveDate), Variant>>,
}

/// Loads the rules with one event dated: `(event, day)`.
pub type LoadDated = Box<dyn Fn(&str, NaiveDate) -> Option<RuleSet> + Send + Sync>;
/// One (event, day)'s rule set, shared by the threads; `None` when it did not load.
type Variant = Option<std::sync::Arc<RuleSet>>;

impl EventVariants {
    /// `load(event, day)`: the rules resolved with `event` on `day` (`None` if they do not load).
    pub fn new(rules: &RuleSet, load: LoadDated) -> EventVariants {
        let events = rules.events.iter().filter(|e| e.date.is_none()).map(|e| e.name.clone()).collect();
        EventVariants { events, load, cache: Default::default() }
    }

    fn rules(&self, event: usize, day: NaiveDate) -> Variant {
        // A poisoned lock only means another thread panicked; the cache is still sound.
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .entry((event, day))
            .or_insert_with(|| (self.load)(&self.events[event], day).map(std::sync::Arc::new))
            .clone()
    }

    /// The first event (in rule-set order) whose happening by `d`'s date violates it.
    pub(super) fn first_violating(&self, d: &Deployment, index: &PlanIndex) -> Option<Expiry> {
        for (i, name) in self.events.iter().enumerate() {
            let Some(rules) = self.rules(i, d.date) else { continue };
            let evaluator = crate::eval::Evaluator::new(&rules);
            if Judge::verdict(&evaluator, d, Launches::Plan(index)) == Verdict::Violated {
                let by = evaluator.violated_by(d, Launches::Plan(index));
                let change = Change { date: d.date, verdict: Verdict::Violated, by };
                return Some(Expiry { change, days: 0, event: Some(name.clone()) });
            }
        }
        None
    }
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
    (change.verdict == Verdict::Violated && gap <= i64::from(days)).then_some(Expiry {
        change,
        days: gap,
        event: None,
    })
}
