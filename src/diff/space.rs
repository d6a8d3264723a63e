//! The joint finite space of two rule sets, matched by name.
//!
//! Each side's own partition comes from [`analysis::Space`](crate::analysis::Space) (the values
//! its conditions name, one stand-in for the rest, the flags it tests); the joint partition of a
//! field groups its values (by name, over both vocabularies) by the pair of classes they fall in
//! on the two sides, so one representative per group is exact. Dates are the intervals between
//! the union of both sides' [`boundaries`]; launch states are per relation, relations matched by
//! the names of their fields and values. This is the one place `diff` builds its space, so a
//! later, symbolic analysis can replace it without touching the rest of the module.

use chrono::NaiveDate;

use crate::analysis::{boundaries, Space};
use crate::eval::LaunchState;
use crate::model::*;
use crate::plan::Deployment;

/// The most points `diff` enumerates; beyond it the diff reports `too-large` instead of a table.
pub const MAX_POINTS: u64 = 2_000_000;

/// What a name is on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OnSide<T> {
    /// Declared, with this id (`None`: an optional field left out).
    Is(T),
    /// The side does not declare it (a plan record with it is an input error there).
    Undeclared,
}

/// One choice of a field in the joint space: every value name it stands for, and what the
/// representative is on each side.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The value names of this class, in vocabulary order; `None` alone: the field left out.
    pub names: Vec<Option<String>>,
    pub old: OnSide<Option<ValueId>>,
    pub new: OnSide<Option<ValueId>>,
}

#[derive(Debug, Clone)]
pub struct JointField {
    pub name: String,
    pub choices: Vec<Choice>,
    /// How many values the field has over both vocabularies, to tell a short negation.
    pub all_names: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct JointFlag {
    pub name: String,
    pub old: OnSide<FlagId>,
    pub new: OnSide<FlagId>,
}

/// A relation by names: `(field, None)` for "the same value", `(field, Some(value))` for a fixed one.
pub type RelationName = Vec<(String, Option<String>)>;

#[derive(Debug, Clone)]
pub struct JointRelation {
    pub name: RelationName,
    /// Its index on each side, if the side uses it.
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// The joint space: fields, flags, date intervals, relations.
#[derive(Debug, Clone)]
pub struct JointSpace {
    pub fields: Vec<JointField>,
    pub flags: Vec<JointFlag>,
    /// The first day of each date interval after the first; interval 0 is every day before
    /// `bounds[0]` (or every day, with no bounds).
    pub bounds: Vec<NaiveDate>,
    pub relations: Vec<JointRelation>,
    old_fields: Vec<String>,
    new_fields: Vec<String>,
    only: Vec<(String, &'static str)>,
}

/// One point: a choice index per field, a bit per flag, a date interval, a state per relation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JointPoint {
    pub fields: Vec<usize>,
    pub flags: Vec<bool>,
    pub date: usize,
    pub launches: Vec<usize>,
}

fn class(rules: &RuleSet, space: &Space, field: &str, value: &str) -> OnSide<Option<ValueId>> {
    let vocab = &rules.vocabulary;
    let Some(f) = vocab.field(field) else { return OnSide::Undeclared };
    let Some(v) = vocab.value(f, value) else { return OnSide::Undeclared };
    let choices = &space.fields[f.0 as usize];
    if choices.contains(&Some(v)) {
        OnSide::Is(Some(v))
    } else {
        // INVARIANT: `Space::new` pushes its stand-in for the values no rule names after the
        // named ones, so a value not among the choices is represented by the last `Some`.
        OnSide::Is(choices.iter().flatten().next_back().copied())
    }
}

fn absent(rules: &RuleSet, field: &str) -> OnSide<Option<ValueId>> {
    match rules.vocabulary.field(field) {
        Some(f) if rules.vocabulary.fields[f.0 as usize].optional => OnSide::Is(None),
        Some(_) => OnSide::Undeclared,
        // A field the side does not have at all: leaving it out is all the side can do.
        None => OnSide::Is(None),
    }
}

fn relation_name(rules: &RuleSet, rel: &Relation) -> RelationName {
    let vocab = &rules.vocabulary;
    rel.args
        .iter()
        .map(|(f, arg)| {
            let value = match arg {
                RelationArg::Same => None,
                RelationArg::Value(v) => Some(vocab.value_name(*f, *v).to_string()),
            };
            (vocab.field_name(*f).to_string(), value)
        })
        .collect()
}

impl JointSpace {
    pub fn new(old: &RuleSet, new: &RuleSet) -> JointSpace {
        let old_space = Space::new(old, Vec::new());
        let new_space = Space::new(new, Vec::new());
        let mut field_names: Vec<String> = old.vocabulary.fields.iter().map(|f| f.name.clone()).collect();
        for f in &new.vocabulary.fields {
            if !field_names.contains(&f.name) {
                field_names.push(f.name.clone());
            }
        }
        let mut only = Vec::new();
        let fields = field_names
            .iter()
            .map(|name| {
                let mut all_names: Vec<String> = Vec::new();
                for rules in [old, new] {
                    if let Some(f) = rules.vocabulary.field(name) {
                        for v in &rules.vocabulary.fields[f.0 as usize].values {
                            if !all_names.contains(v) {
                                all_names.push(v.clone());
                            }
                        }
                    }
                }
                let mut choices: Vec<Choice> = Vec::new();
                for v in &all_names {
                    let o = class(old, &old_space, name, v);
                    let n = class(new, &new_space, name, v);
                    if o == OnSide::Undeclared {
                        only.push((format!("{name} {v}"), "new"));
                    }
                    if n == OnSide::Undeclared {
                        only.push((format!("{name} {v}"), "old"));
                    }
                    match choices.iter_mut().find(|c| c.old == o && c.new == n) {
                        Some(c) => c.names.push(Some(v.clone())),
                        None => choices.push(Choice { names: vec![Some(v.clone())], old: o, new: n }),
                    }
                }
                let (o, n) = (absent(old, name), absent(new, name));
                if o != OnSide::Undeclared || n != OnSide::Undeclared {
                    choices.push(Choice { names: vec![None], old: o, new: n });
                }
                JointField { name: name.clone(), choices, all_names }
            })
            .collect();
        let mut flag_names: Vec<String> = Vec::new();
        for (rules, space) in [(old, &old_space), (new, &new_space)] {
            for f in &space.flags {
                let name = rules.vocabulary.flag_name(*f).to_string();
                if !flag_names.contains(&name) {
                    flag_names.push(name);
                }
            }
        }
        for (rules, other, side) in [(old, new, "old"), (new, old, "new")] {
            for f in &rules.vocabulary.flags {
                if other.vocabulary.flag(&f.name).is_none() {
                    only.push((format!("flag {}", f.name), side));
                }
            }
        }
        let on =
            |rules: &RuleSet, name: &str| rules.vocabulary.flag(name).map_or(OnSide::Undeclared, OnSide::Is);
        let flags = flag_names
            .into_iter()
            .map(|name| JointFlag { old: on(old, &name), new: on(new, &name), name })
            .collect();
        let mut bounds = boundaries(old);
        bounds.extend(boundaries(new));
        bounds.sort_unstable();
        bounds.dedup();
        let mut relations: Vec<JointRelation> = Vec::new();
        for (side, rules) in [(0, old), (1, new)] {
            for (i, rel) in rules.relations.iter().enumerate() {
                let name = relation_name(rules, rel);
                let at = match relations.iter().position(|r| r.name == name) {
                    Some(at) => at,
                    None => {
                        relations.push(JointRelation { name, old: None, new: None });
                        relations.len() - 1
                    }
                };
                if side == 0 {
                    relations[at].old = Some(i);
                } else {
                    relations[at].new = Some(i);
                }
            }
        }
        only.sort();
        only.dedup();
        JointSpace {
            fields,
            flags,
            bounds,
            relations,
            old_fields: old.vocabulary.fields.iter().map(|f| f.name.clone()).collect(),
            new_fields: new.vocabulary.fields.iter().map(|f| f.name.clone()).collect(),
            only,
        }
    }

    /// Values and flags only one side declares, with the side that declares them.
    pub fn only_in(&self) -> Vec<(String, &'static str)> {
        self.only.clone()
    }

    /// An upper bound on the number of points.
    pub fn size(&self) -> u128 {
        self.fields
            .iter()
            .map(|f| f.choices.len().max(1) as u128)
            .chain(std::iter::repeat_n(2, self.flags.len()))
            .chain(std::iter::once(self.bounds.len() as u128 + 1))
            .chain(std::iter::repeat_n(4, self.relations.len()))
            .fold(1u128, |n, f| n.saturating_mul(f))
    }

    /// How many date intervals there are.
    pub fn intervals(&self) -> usize {
        self.bounds.len() + 1
    }

    /// The first and last day of a date interval (`None`: unbounded on that side).
    pub fn interval(&self, i: usize) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let from = i.checked_sub(1).map(|j| self.bounds[j]);
        let through = self.bounds.get(i).and_then(|b| b.pred_opt());
        (from, through)
    }

    /// The representative day of an interval: its first, or the day before the first bound.
    pub fn day(&self, i: usize) -> NaiveDate {
        match i.checked_sub(1) {
            Some(j) => self.bounds[j],
            None => self
                .bounds
                .first()
                .and_then(|b| b.pred_opt())
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()),
        }
    }

    /// The interval a day falls in.
    pub fn interval_of(&self, day: NaiveDate) -> usize {
        self.bounds.partition_point(|b| *b <= day)
    }

    /// Every point, in a fixed order (dates outermost). A launch state no real plan can give the
    /// point (see [`JointSpace::possible`]) is answered as a possible one ([`JointSpace::on_side`]),
    /// so it never splits a region.
    pub fn points(&self) -> impl Iterator<Item = JointPoint> + '_ {
        let mut radices = vec![self.intervals()];
        // A field without a choice has no point at all.
        radices.extend(self.fields.iter().map(|f| f.choices.len()));
        radices.extend(std::iter::repeat_n(2, self.flags.len()));
        radices.extend(std::iter::repeat_n(4, self.relations.len()));
        let mut count = crate::analysis::Count::new(radices);
        std::iter::from_fn(move || count.next().map(|digits| self.point(digits)))
    }

    fn point(&self, digits: &[usize]) -> JointPoint {
        let n = self.fields.len();
        let m = self.flags.len();
        JointPoint {
            date: digits[0],
            fields: digits[1..1 + n].to_vec(),
            flags: digits[1 + n..1 + n + m].iter().map(|d| *d == 1).collect(),
            launches: digits[1 + n + m..].to_vec(),
        }
    }

    /// The representative value name of a field at a point.
    fn name_at(&self, p: &JointPoint, field: &str) -> Option<&str> {
        let i = self.fields.iter().position(|f| f.name == field)?;
        self.fields[i].choices[p.fields[i]].names[0].as_deref()
    }

    /// Whether the point's deployment is itself one of those relation `r` looks for: then it
    /// counts as its own launch, and "never" and "only later" cannot happen.
    pub fn matches_itself(&self, p: &JointPoint, r: usize) -> bool {
        self.relations[r].name.iter().all(|(f, v)| v.is_none() || v.as_deref() == self.name_at(p, f))
    }

    /// Whether a real plan can give the point its launch states.
    pub fn possible(&self, p: &JointPoint) -> bool {
        (0..self.relations.len()).all(|r| {
            !self.matches_itself(p, r)
                || matches!(LaunchState::ALL[p.launches[r]], LaunchState::Earlier | LaunchState::SameDay)
        })
    }

    /// The launch state a point's relation `r` really has: an impossible "never" is taken as
    /// "earlier", an impossible "only later" as "same day".
    pub fn state(&self, p: &JointPoint, r: usize) -> LaunchState {
        let s = LaunchState::ALL[p.launches[r]];
        match s {
            LaunchState::Never if self.matches_itself(p, r) => LaunchState::Earlier,
            LaunchState::Later if self.matches_itself(p, r) => LaunchState::SameDay,
            s => s,
        }
    }

    /// The point's deployment and launch states on one side (`old` or not), or `None` when the
    /// side does not declare one of its values or flags.
    pub fn on_side(&self, p: &JointPoint, old: bool) -> Option<(Deployment, Vec<LaunchState>)> {
        let names = if old { &self.old_fields } else { &self.new_fields };
        let mut values = vec![None; names.len()];
        for (f, &c) in self.fields.iter().zip(&p.fields) {
            let choice = &f.choices[c];
            let on = if old { choice.old } else { choice.new };
            let OnSide::Is(v) = on else { return None };
            if let Some(i) = names.iter().position(|n| *n == f.name) {
                values[i] = v;
            }
        }
        let mut flags = Vec::new();
        for (f, &set) in self.flags.iter().zip(&p.flags) {
            if set {
                match if old { f.old } else { f.new } {
                    OnSide::Is(id) => flags.push(id),
                    OnSide::Undeclared => return None,
                }
            }
        }
        flags.sort_unstable();
        let count = self.relations.iter().filter_map(|r| if old { r.old } else { r.new }).count();
        let mut launches = vec![LaunchState::Never; count];
        for (j, r) in self.relations.iter().enumerate() {
            if let Some(i) = if old { r.old } else { r.new } {
                launches[i] = self.state(p, j);
            }
        }
        let deployment = Deployment {
            id: "example".into(),
            position: 0,
            line: None,
            column: None,
            values,
            flags,
            date: self.day(p.date),
        };
        Some((deployment, launches))
    }

    /// The point a deployment given by names falls in (for tests and plans): `None` when a
    /// value is not in the joint vocabulary.
    pub fn locate(
        &self,
        values: &[(String, Option<String>)],
        flags: &[String],
        date: NaiveDate,
        launches: &[usize],
    ) -> Option<JointPoint> {
        let mut fields = Vec::new();
        for f in &self.fields {
            let value = values.iter().find(|(n, _)| *n == f.name).and_then(|(_, v)| v.clone());
            fields.push(f.choices.iter().position(|c| c.names.contains(&value))?);
        }
        Some(JointPoint {
            fields,
            flags: self.flags.iter().map(|f| flags.contains(&f.name)).collect(),
            date: self.interval_of(date),
            launches: launches.to_vec(),
        })
    }
}
