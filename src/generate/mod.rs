//! Deterministic generators of rule sets and plans, for benchmarks, fuzzing and property tests.
//!
//! The same seed always gives the same bytes, on every machine: the random numbers come from
//! [`Rng`] (SplitMix64), never from the system. `clausecheck generate` exposes both generators.

mod plan;
mod rng;
mod rules;

pub use plan::{plan, PlanSpec};
pub use rng::Rng;
pub use rules::{rules, RulesSpec};
