//! The finite space of deployments a rule set can tell apart, point by point.

use chrono::NaiveDate;

use crate::eval::{matches_itself, LaunchState};
use crate::model::*;
use crate::plan::Deployment;

/// One representative deployment of the partition, with a state for each relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub deployment: Deployment,
    pub launches: Vec<LaunchState>,
}

/// The choices that matter, per dimension.
#[derive(Debug, Clone)]
pub struct Space {
    /// For each vocabulary field, the values worth trying (`None`: left out, for optional fields).
    pub fields: Vec<Vec<Option<ValueId>>>,
    /// The flags some condition tests; the others stay false.
    pub flags: Vec<FlagId>,
    /// One date in each interval between boundaries, and one before them all.
    pub dates: Vec<NaiveDate>,
    pub relations: usize,
    /// The relations themselves, to leave out launch states no plan can produce.
    rels: Vec<Relation>,
}

impl Space {
    /// The space of `rules`, with dates restricted to `from..=through` when given.
    pub fn new(rules: &RuleSet, dates: Vec<NaiveDate>) -> Space {
        let vocab = &rules.vocabulary;
        let mut mentioned: Vec<Vec<ValueId>> = vec![Vec::new(); vocab.fields.len()];
        let mut flags = Vec::new();
        let party = vocab.field("party");
        for a in &rules.agreements {
            if let Some(p) = party {
                mentioned[p.0 as usize].extend(&a.parties);
            }
            for c in &a.clauses {
                for s in &c.statements {
                    if let Statement::Rule(r) = s {
                        for cond in r.conditions() {
                            collect(cond, &mut mentioned, &mut flags);
                        }
                    }
                }
            }
        }
        for rel in &rules.relations {
            for (f, arg) in &rel.args {
                if let RelationArg::Value(v) = arg {
                    mentioned[f.0 as usize].push(*v);
                }
            }
        }
        let fields = vocab
            .fields
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let named = &mut mentioned[i];
                named.sort_unstable();
                named.dedup();
                let mut choices: Vec<Option<ValueId>> = named.iter().map(|v| Some(*v)).collect();
                // One stand-in for every value no rule names: they all behave alike.
                if let Some(other) =
                    (0..field.values.len()).map(|v| ValueId(v as u16)).find(|v| !named.contains(v))
                {
                    choices.push(Some(other));
                }
                if field.optional {
                    choices.push(None);
                }
                choices
            })
            .collect();
        flags.sort_unstable();
        flags.dedup();
        Space { fields, flags, dates, relations: rules.relations.len(), rels: rules.relations.clone() }
    }

    /// An upper bound on how many points [`Space::points`] yields (it leaves out the impossible
    /// ones); at most `u128::MAX`, as the count saturates rather than wrap.
    pub fn size(&self) -> u128 {
        let factors = self
            .fields
            .iter()
            .map(|c| c.len().max(1) as u128)
            .chain(std::iter::repeat_n(2, self.flags.len()))
            .chain(std::iter::once(self.dates.len() as u128))
            .chain(std::iter::repeat_n(4, self.relations));
        factors.fold(1u128, |n, f| n.saturating_mul(f))
    }

    /// Every point that a real plan can produce, in a fixed order (dates outermost, so the earliest
    /// example comes first). A deployment that is itself one of those a relation looks for counts
    /// as its own launch, so for it "no matching deployment" and "only later ones" cannot happen.
    pub fn points(&self) -> impl Iterator<Item = Point> + '_ {
        self.all_points().filter(|p| self.possible(p))
    }

    fn possible(&self, p: &Point) -> bool {
        self.rels.iter().zip(&p.launches).all(|(rel, state)| {
            !matches_itself(rel, &p.deployment)
                || matches!(state, LaunchState::Earlier | LaunchState::SameDay)
        })
    }

    fn all_points(&self) -> impl Iterator<Item = Point> + '_ {
        let mut radices: Vec<usize> = vec![self.dates.len()];
        radices.extend(self.fields.iter().map(|c| c.len().max(1)));
        radices.extend(std::iter::repeat_n(2, self.flags.len()));
        radices.extend(std::iter::repeat_n(4, self.relations));
        let mut count = Count::new(radices);
        std::iter::from_fn(move || count.next().map(|digits| self.point(digits)))
    }

    fn point(&self, digits: &[usize]) -> Point {
        let date = self.dates[digits[0]];
        let values =
            self.fields.iter().enumerate().map(|(i, c)| c.get(digits[1 + i]).copied().flatten()).collect();
        let base = 1 + self.fields.len();
        let flags =
            self.flags.iter().enumerate().filter(|(i, _)| digits[base + i] == 1).map(|(_, f)| *f).collect();
        let base = base + self.flags.len();
        let launches = (0..self.relations).map(|i| LaunchState::ALL[digits[base + i]]).collect();
        Point {
            deployment: Deployment {
                id: "example".into(),
                position: 0,
                line: None,
                column: None,
                values,
                flags,
                date,
            },
            launches,
        }
    }
}

fn collect(c: &Condition, values: &mut [Vec<ValueId>], flags: &mut Vec<FlagId>) {
    match c {
        Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| collect(p, values, flags)),
        Condition::Not(inner) => collect(inner, values, flags),
        Condition::Field { field, values: vs, .. } => values[field.0 as usize].extend(vs),
        Condition::Flag { flag, .. } => flags.push(*flag),
        Condition::Date { .. } | Condition::Launched { .. } => {}
    }
}

/// Counting in mixed radix, the last digit fastest: every combination of one choice a dimension,
/// in a fixed order. Both enumerations of a space (here and `diff::space`) walk it so.
pub(crate) struct Count {
    radices: Vec<usize>,
    digits: Vec<usize>,
    /// Whether a combination was handed out yet (the first is all zeros).
    started: bool,
    /// False once counted past the last, or from the start when a dimension has no choice.
    more: bool,
}

impl Count {
    pub(crate) fn new(radices: Vec<usize>) -> Count {
        let more = !radices.contains(&0);
        Count { digits: vec![0; radices.len()], radices, started: false, more }
    }

    /// The next combination, one digit a dimension.
    pub(crate) fn next(&mut self) -> Option<&[usize]> {
        if self.started && self.more {
            let mut i = self.digits.len();
            loop {
                let Some(prev) = i.checked_sub(1) else {
                    self.more = false; // every digit carried: past the last
                    break;
                };
                i = prev;
                self.digits[i] += 1;
                if self.digits[i] < self.radices[i] {
                    break;
                }
                self.digits[i] = 0;
            }
        }
        self.started = true;
        self.more.then_some(&self.digits[..])
    }
}

#[cfg(test)]
mod count_tests {
    use super::Count;

    fn all(radices: &[usize]) -> Vec<Vec<usize>> {
        let mut count = Count::new(radices.to_vec());
        std::iter::from_fn(|| count.next().map(<[usize]>::to_vec)).collect()
    }

    #[test]
    fn counts_every_combination_last_digit_fastest() {
        assert_eq!(all(&[2, 3]), [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
        assert_eq!(all(&[]), [Vec::<usize>::new()], "no dimension: one point");
        assert!(all(&[2, 0, 3]).is_empty(), "a dimension without a choice: no point");
    }
}
