//! The plan index behind `launched(...)`: for each relation, the earliest date of each key.
//!
//! `launched(product, azure) on or before date` asks whether some deployment with this product on
//! azure is dated on or before this one — true exactly when the earliest such date is. So one pass
//! over the plan per relation answers every later question in O(1): no deployment ever scans the plan.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;

use crate::model::*;
use crate::plan::Deployment;

/// Up to eight 16-bit field values packed into one key; `u16::MAX` stands for "no value".
type Key = u128;

const NONE: u16 = u16::MAX;

/// The keys are packed field values, not user text, and the maps hold one entry per key: a fast
/// multiply-mix is enough, where the default hasher's flooding resistance buys nothing.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_u128(&mut self, n: u128) {
        let mixed = (n as u64) ^ ((n >> 64) as u64).rotate_left(32);
        self.0 = (mixed ^ (mixed >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        self.0 ^= self.0 >> 32;
    }
}

type KeyMap = HashMap<Key, Entry, BuildHasherDefault<KeyHasher>>;

/// For one key: the earliest date, how many deployments share it, and the next later date.
type Entry = (NaiveDate, u32, Option<NaiveDate>);

#[derive(Debug, Default)]
pub struct PlanIndex {
    earliest: Vec<KeyMap>,
}

impl PlanIndex {
    /// An empty index for the relations of `rules`.
    pub fn new(rules: &RuleSet) -> PlanIndex {
        PlanIndex { earliest: (0..rules.relations.len()).map(|_| KeyMap::default()).collect() }
    }

    /// Indexes the valid deployments of a plan for every relation the rule set uses.
    pub fn build<'a>(rules: &RuleSet, deployments: impl Iterator<Item = &'a Deployment>) -> PlanIndex {
        let mut index = PlanIndex::new(rules);
        if !index.earliest.is_empty() {
            deployments.for_each(|d| index.add(rules, d));
        }
        index
    }

    /// Adds one valid deployment of the plan.
    pub fn add(&mut self, rules: &RuleSet, d: &Deployment) {
        for (rel, map) in rules.relations.iter().zip(&mut self.earliest) {
            let key = pack(rel.args.iter().map(|(f, _)| d.value(*f)));
            let entry = map.entry(key).or_insert((d.date, 0, None));
            *entry = combine(*entry, (d.date, 1, None));
        }
    }

    /// Adds the deployments another index of the same rule set was built from (another part of
    /// the same plan): the result is the index of both parts together.
    pub fn merge(&mut self, other: PlanIndex) {
        for (map, theirs) in self.earliest.iter_mut().zip(other.earliest) {
            for (key, entry) in theirs {
                let merged = match map.get(&key) {
                    Some(mine) => combine(*mine, entry),
                    None => entry,
                };
                map.insert(key, merged);
            }
        }
    }

    /// The earliest date of a deployment matching `rel` as seen from `d`.
    pub fn earliest(&self, id: RelationId, rel: &Relation, d: &Deployment) -> Option<NaiveDate> {
        self.entry(id, rel, d).map(|(first, _, _)| first)
    }

    /// The same, leaving out one deployment of the plan that matches, dated `own`: the earliest of
    /// the others.
    pub fn earliest_without(
        &self,
        id: RelationId,
        rel: &Relation,
        d: &Deployment,
        own: NaiveDate,
    ) -> Option<NaiveDate> {
        match self.entry(id, rel, d)? {
            (first, 1, second) if first == own => second,
            (first, _, _) => Some(first),
        }
    }

    fn entry(&self, id: RelationId, rel: &Relation, d: &Deployment) -> Option<Entry> {
        let key = pack(rel.args.iter().map(|(f, arg)| match arg {
            RelationArg::Same => d.value(*f),
            RelationArg::Value(v) => Some(*v),
        }));
        self.earliest.get(id.0 as usize)?.get(&key).copied()
    }
}

/// Where the earliest deployment matching a relation falls, relative to the deployment checked.
/// These four cases are all `launched(...)` can tell apart, which is what lets the analyses treat
/// a plan as a finite choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LaunchState {
    Never,
    Earlier,
    SameDay,
    Later,
}

impl LaunchState {
    pub const ALL: [LaunchState; 4] =
        [LaunchState::Never, LaunchState::Earlier, LaunchState::SameDay, LaunchState::Later];

    /// Whether `launched(...)` with this qualifier holds.
    pub fn satisfies(self, when: LaunchedWhen) -> bool {
        match (self, when) {
            (LaunchState::Never, _) => false,
            (_, LaunchedWhen::Anytime) => true,
            (LaunchState::Earlier | LaunchState::SameDay, LaunchedWhen::OnOrBefore) => true,
            (LaunchState::Earlier, LaunchedWhen::Before) => true,
            _ => false,
        }
    }
}

/// Two summaries of the same key put together: the earliest date, how many share it, the next.
/// A count of 0 stands for "nothing yet".
fn combine(a: Entry, b: Entry) -> Entry {
    if a.1 == 0 {
        return b;
    }
    let first = a.0.min(b.0);
    let count = if a.0 == first { a.1 } else { 0 } + if b.0 == first { b.1 } else { 0 };
    let second = [Some(a.0), a.2, Some(b.0), b.2].into_iter().flatten().filter(|d| *d > first).min();
    (first, count, second)
}

/// What `launched(...)` is answered from: a real plan, or (for analysis) a chosen state per relation.
#[derive(Debug, Clone, Copy)]
pub enum Launches<'a> {
    Plan(&'a PlanIndex),
    /// The plan, with the deployment being checked moved from its own date `from` in the plan to
    /// the date it is checked on (to ask what would happen were it dated later).
    Moved {
        index: &'a PlanIndex,
        from: NaiveDate,
    },
    Assumed(&'a [LaunchState]),
}

/// Whether `d` itself is one of the deployments `rel` looks for.
pub fn matches_itself(rel: &Relation, d: &Deployment) -> bool {
    rel.args.iter().all(|(f, arg)| match arg {
        RelationArg::Same => true,
        RelationArg::Value(v) => d.value(*f) == Some(*v),
    })
}

impl Launches<'_> {
    pub fn state(&self, id: RelationId, rel: &Relation, d: &Deployment) -> LaunchState {
        match *self {
            Launches::Plan(index) => match index.earliest(id, rel, d) {
                None => LaunchState::Never,
                Some(first) if first < d.date => LaunchState::Earlier,
                Some(first) if first == d.date => LaunchState::SameDay,
                Some(_) => LaunchState::Later,
            },
            Launches::Moved { index, from } => {
                let others = index.earliest_without(id, rel, d, from);
                let own = matches_itself(rel, d).then_some(d.date);
                let first = match (others, own) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                match first {
                    None => LaunchState::Never,
                    Some(f) if f < d.date => LaunchState::Earlier,
                    Some(f) if f == d.date => LaunchState::SameDay,
                    Some(_) => LaunchState::Later,
                }
            }
            Launches::Assumed(states) => states.get(id.0 as usize).copied().unwrap_or(LaunchState::Never),
        }
    }
}

// INVARIANT: the resolver limits a relation to eight fields, so the shifts stay inside 128 bits.
fn pack(values: impl Iterator<Item = Option<ValueId>>) -> Key {
    values.take(8).fold(0, |key, v| (key << 16) | Key::from(v.map_or(NONE, |v| v.0)))
}
