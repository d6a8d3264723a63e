//! The differing points of the joint space, merged into regions.
//!
//! A region is a product: a set of choices per field, per flag and per relation, and a run of
//! adjacent date intervals, with one before-and-after result. Merging is greedy and
//! deterministic: repeatedly, for each dimension in turn, regions with the same results that
//! agree on every other dimension are joined on that one (dates only where adjacent). A union
//! of products that agree elsewhere is a product of exactly the points joined, so every point
//! of a region is a differing point with the region's results: the table stays exact.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::eval::{Evaluator, LaunchState};
use crate::model::RuleSet;

use super::space::{JointPoint, JointSpace, RelationName};
use super::verdict::{judge, SideResult, SideVerdict};

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The conditions that bound the region; a dimension left free is not mentioned.
    pub conditions: Vec<Cond>,
    pub before: SideResult,
    pub after: SideResult,
    /// One deployment of the region, to try with `explain` or `check`.
    pub example: Example,
    /// The region's coordinates in the joint space.
    pub cells: Cells,
}

/// A condition of a region, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    /// The field has one of these values (`None`: left out); `negated`: written as the values it
    /// does not have, when that is shorter.
    Field {
        field: String,
        values: Vec<Option<String>>,
        negated: bool,
    },
    Flag {
        flag: String,
        set: bool,
    },
    Dates {
        from: Option<NaiveDate>,
        through: Option<NaiveDate>,
    },
    /// `launched(...)` relation (by names) and where the plan's earliest match may fall.
    Launch {
        relation: Vec<(String, Option<String>)>,
        states: Vec<&'static str>,
    },
}

/// A concrete deployment, by names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub values: Vec<(String, Option<String>)>,
    pub flags: Vec<String>,
    pub date: NaiveDate,
    pub launches: Vec<(RelationName, &'static str)>,
    /// The joint point, for tests.
    pub point: JointPoint,
}

/// A region's coordinates: chosen indices per dimension.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cells {
    pub fields: Vec<BTreeSet<usize>>,
    pub flags: Vec<BTreeSet<bool>>,
    /// First and last date interval, inclusive.
    pub dates: (usize, usize),
    pub launches: Vec<BTreeSet<usize>>,
}

impl Cells {
    pub fn contains(&self, p: &JointPoint) -> bool {
        self.fields.iter().zip(&p.fields).all(|(s, c)| s.contains(c))
            && self.flags.iter().zip(&p.flags).all(|(s, c)| s.contains(c))
            && (self.dates.0..=self.dates.1).contains(&p.date)
            && self.launches.iter().zip(&p.launches).all(|(s, c)| s.contains(c))
    }

    fn of(p: &JointPoint) -> Cells {
        Cells {
            fields: p.fields.iter().map(|c| BTreeSet::from([*c])).collect(),
            flags: p.flags.iter().map(|c| BTreeSet::from([*c])).collect(),
            dates: (p.date, p.date),
            launches: p.launches.iter().map(|c| BTreeSet::from([*c])).collect(),
        }
    }

    fn dims(&self) -> usize {
        self.fields.len() + self.flags.len() + 1 + self.launches.len()
    }

    /// A copy with dimension `d` blanked, to group regions that agree elsewhere.
    fn without(&self, d: usize) -> Cells {
        let mut c = self.clone();
        let (nf, ng) = (c.fields.len(), c.flags.len());
        if d < nf {
            c.fields[d].clear();
        } else if d < nf + ng {
            c.flags[d - nf].clear();
        } else if d == nf + ng {
            c.dates = (0, 0);
        } else {
            c.launches[d - nf - ng - 1].clear();
        }
        c
    }
}

/// The deciding clauses of one side over a set of points: at every point, at some.
#[derive(Debug, Clone, Default)]
struct Deciders {
    all: BTreeSet<String>,
    some: BTreeSet<String>,
}

impl Deciders {
    fn of(r: &SideResult) -> Deciders {
        let set: BTreeSet<String> = r.clauses.iter().cloned().collect();
        Deciders { all: set.clone(), some: set }
    }

    fn join(&mut self, other: &Deciders) {
        self.all = self.all.intersection(&other.all).cloned().collect();
        self.some.extend(other.some.iter().cloned());
    }

    fn result(self, verdict: SideVerdict) -> SideResult {
        let in_part = self.some.difference(&self.all).cloned().collect();
        SideResult { verdict, clauses: self.all.into_iter().collect(), in_part }
    }
}

type Cell = (SideVerdict, SideVerdict, Cells, [Deciders; 2]);
type Member = (Cells, [Deciders; 2]);
type Group = (SideVerdict, SideVerdict, Cells);

/// Every differing point, merged into regions, ordered by their first point.
pub fn differing(joint: &JointSpace, old: &RuleSet, new: &RuleSet) -> Vec<Region> {
    let (eo, en) = (Evaluator::new(old), Evaluator::new(new));
    let mut cells: Vec<Cell> = Vec::new();
    for p in joint.points() {
        let before = judge(joint, &eo, &p, true);
        let after = judge(joint, &en, &p, false);
        if before.verdict != after.verdict {
            cells.push((
                before.verdict,
                after.verdict,
                Cells::of(&p),
                [Deciders::of(&before), Deciders::of(&after)],
            ));
        }
    }
    let merged = merge(cells);
    let mut regions: Vec<Region> = merged
        .into_iter()
        .map(|(b, a, cells, [db, da])| region(joint, db.result(b), da.result(a), cells))
        .collect();
    regions.sort_by(|a, b| a.example.point.cmp(&b.example.point));
    regions
}

fn merge(mut cells: Vec<Cell>) -> Vec<Cell> {
    let Some(dims) = cells.first().map(|c| c.2.dims()) else { return cells };
    loop {
        let before = cells.len();
        for d in 0..dims {
            let mut groups: BTreeMap<Group, Vec<Member>> = BTreeMap::new();
            for (b, a, c, deciders) in cells.drain(..) {
                groups.entry((b, a, c.without(d))).or_default().push((c, deciders));
            }
            for ((b, a, _), members) in groups {
                for (c, deciders) in join(members, d) {
                    cells.push((b, a, c, deciders));
                }
            }
        }
        if cells.len() == before {
            return cells;
        }
    }
}

/// Joins regions that agree on every dimension but `d`.
fn join(mut members: Vec<Member>, d: usize) -> Vec<Member> {
    let (nf, ng) = (members[0].0.fields.len(), members[0].0.flags.len());
    let both = |into: &mut [Deciders; 2], from: &[Deciders; 2]| {
        into[0].join(&from[0]);
        into[1].join(&from[1]);
    };
    if d == nf + ng {
        members.sort_by_key(|c| c.0.dates);
        let mut out: Vec<Member> = Vec::new();
        for (c, deciders) in members {
            match out.last_mut() {
                Some(last) if last.0.dates.1 + 1 == c.dates.0 => {
                    last.0.dates.1 = c.dates.1;
                    both(&mut last.1, &deciders);
                }
                _ => out.push((c, deciders)),
            }
        }
        return out;
    }
    let mut first = members[0].clone();
    for (c, deciders) in &members[1..] {
        if d < nf {
            first.0.fields[d].extend(&c.fields[d]);
        } else if d < nf + ng {
            first.0.flags[d - nf].extend(&c.flags[d - nf]);
        } else {
            let i = d - nf - ng - 1;
            first.0.launches[i].extend(&c.launches[i]);
        }
        both(&mut first.1, deciders);
    }
    vec![first]
}

fn state_name(s: usize) -> &'static str {
    match LaunchState::ALL[s] {
        LaunchState::Never => "never",
        LaunchState::Earlier => "earlier",
        LaunchState::SameDay => "same_day",
        LaunchState::Later => "only_later",
    }
}

fn region(joint: &JointSpace, before: SideResult, after: SideResult, cells: Cells) -> Region {
    let mut conditions = Vec::new();
    for (f, set) in joint.fields.iter().zip(&cells.fields) {
        if set.len() == f.choices.len() {
            continue;
        }
        let values: Vec<Option<String>> = set.iter().flat_map(|c| f.choices[*c].names.clone()).collect();
        let others: Vec<Option<String>> = (0..f.choices.len())
            .filter(|c| !set.contains(c))
            .flat_map(|c| f.choices[c].names.clone())
            .collect();
        let negated = others.len() < values.len() && !others.contains(&None);
        let values = if negated { others } else { values };
        conditions.push(Cond::Field { field: f.name.clone(), values, negated });
    }
    for (f, set) in joint.flags.iter().zip(&cells.flags) {
        if set.len() == 1 {
            conditions.push(Cond::Flag { flag: f.name.clone(), set: set.contains(&true) });
        }
    }
    if cells.dates != (0, joint.intervals() - 1) {
        let (from, _) = joint.interval(cells.dates.0);
        let (_, through) = joint.interval(cells.dates.1);
        conditions.push(Cond::Dates { from, through });
    }
    for (r, set) in joint.relations.iter().zip(&cells.launches) {
        if set.len() < 4 {
            conditions.push(Cond::Launch {
                relation: r.name.clone(),
                states: set.iter().map(|s| state_name(*s)).collect(),
            });
        }
    }
    let point = JointPoint {
        fields: cells.fields.iter().map(|s| *s.first().unwrap_or(&0)).collect(),
        flags: cells.flags.iter().map(|s| *s.first().unwrap_or(&false)).collect(),
        date: cells.dates.0,
        launches: cells.launches.iter().map(|s| *s.first().unwrap_or(&0)).collect(),
    };
    let example = Example {
        values: joint
            .fields
            .iter()
            .zip(&point.fields)
            .map(|(f, c)| (f.name.clone(), f.choices[*c].names[0].clone()))
            .collect(),
        flags: joint
            .flags
            .iter()
            .zip(&point.flags)
            .filter(|(_, s)| **s)
            .map(|(f, _)| f.name.clone())
            .collect(),
        date: joint.day(point.date),
        launches: joint
            .relations
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.clone(), state_name(joint.state(&point, i) as usize)))
            .collect(),
        point,
    };
    Region { conditions, before, after, example, cells }
}
