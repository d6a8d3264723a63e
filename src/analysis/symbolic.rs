//! The meaning of a rule set as decision diagrams: for every clause, over every deployment at
//! once, when it is allowed, violated, satisfied or overridden; for every agreement, when it is
//! in force and when it violates; and the verdict.
//!
//! This is a third statement of the semantics of `docs/language.md`, next to the interpreter and
//! the compiled program, made for questions about *all* deployments ("can this rule ever
//! apply?", "is there a deployment both clauses decide?"). It builds on the same single
//! statements of the rules the interpreter uses ([`crate::eval::in_force`], the precedence of
//! [`crate::eval::clause`]), and `tests/symbolic.rs` proves it equal to the interpreter on every
//! point of the analysis space of every rule set in the repository.
//!
//! # The encoding
//!
//! A deployment is the assignment of a few boolean variables, in this order (the order of the
//! diagrams' variables):
//!
//! - **the date**, as the number of the interval it falls in between the rule set's cut dates
//!   ([`super::boundaries`], plus any the caller adds, such as lint's today), in binary. Every
//!   date test and every period of force is constant on an interval, so one day stands for each
//!   ([`Encoding::days`]: the first day of the interval, and for the one before every cut, the
//!   day before the first);
//! - **each field**, as the number of its *atom*, in binary: the field's values partitioned by
//!   the sets the rules name (conditions, classes, `parties`, the values of `launched(...)`), so
//!   values no rule tells apart share one atom, plus an atom for "left out" for an optional field;
//! - **each flag** some condition tests, one variable;
//! - **each `launched(...)` relation**: its [`LaunchState`] in two bits.
//!
//! Numbers past the last interval or atom mean nothing, and a deployment that is one of those a
//! relation looks for cannot have no launch or only a later one (it finds itself): [`Encoding`]'s
//! validity constraint excludes both, and every diagram the model builds is inside it.
//!
//! No I/O, no clock: "today" is a cut date the caller passes.

use chrono::NaiveDate;

use super::bdd::{Bdd, Manager, Result};
use crate::eval::clause::Overriders;
use crate::eval::in_force::binds;
use crate::eval::{clause_period, period, LaunchState, Status};
use crate::model::*;
use crate::plan::Deployment;

/// One field's atoms and variables.
#[derive(Debug, Clone)]
pub struct FieldCode {
    /// The values of each atom, in order: atoms with a value some rule names (by their least
    /// value), then the atom of the values no rule names, if any.
    pub atoms: Vec<Vec<ValueId>>,
    /// The number of the "left out" atom, for an optional field.
    pub absent: Option<usize>,
    /// The atom of each value of the field.
    of_value: Vec<u16>,
    /// The variables of the atom's number, most significant first.
    pub vars: Vec<u32>,
}

impl FieldCode {
    /// How many atoms, "left out" included.
    pub fn len(&self) -> usize {
        self.atoms.len() + usize::from(self.absent.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The atom of a value, or of its absence.
    pub fn atom(&self, value: Option<ValueId>) -> usize {
        match value {
            Some(v) => self.of_value.get(v.0 as usize).map_or(0, |a| *a as usize),
            None => self.absent.unwrap_or(0),
        }
    }

    /// The value that stands for an atom (`None` for "left out").
    pub fn representative(&self, atom: usize) -> Option<ValueId> {
        self.atoms.get(atom).and_then(|a| a.first().copied())
    }
}

/// The variables of the deployment space and what their values mean.
#[derive(Debug, Clone)]
pub struct Encoding {
    /// The day standing for each date interval, ascending.
    pub days: Vec<NaiveDate>,
    /// The cut dates: interval `i + 1` starts on `cuts[i]`.
    cuts: Vec<NaiveDate>,
    pub date_vars: Vec<u32>,
    pub fields: Vec<FieldCode>,
    /// The flags some condition tests, with their variables.
    pub flags: Vec<(FlagId, u32)>,
    /// The two variables of each relation's launch state.
    pub relations: Vec<[u32; 2]>,
    /// How many variables in all.
    pub vars: u32,
}

/// The bits of `n` in `width` bits, most significant first.
fn bits(n: usize, width: usize) -> impl Iterator<Item = bool> {
    (0..width).rev().map(move |i| (n >> i) & 1 == 1)
}

fn width(n: usize) -> usize {
    (usize::BITS - n.saturating_sub(1).leading_zeros()) as usize
}

/// The number of a launch state in its two bits.
fn state_code(s: LaunchState) -> usize {
    LaunchState::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

impl Encoding {
    /// The encoding of `rules`' deployments, with the rule set's boundaries and `extra` as cut
    /// dates.
    pub fn new(rules: &RuleSet, extra: &[NaiveDate]) -> Encoding {
        let mut cuts = super::boundaries(rules);
        cuts.extend(extra.iter().filter(|d| **d != NaiveDate::MAX && **d != NaiveDate::MIN));
        cuts.sort_unstable();
        cuts.dedup();
        let mut days = Vec::with_capacity(cuts.len() + 1);
        match cuts.first() {
            Some(first) => days.push(first.pred_opt().unwrap_or(*first)),
            None => days.push(extra.first().copied().unwrap_or(NaiveDate::MIN)),
        }
        days.extend(cuts.iter().copied());
        Encoding::with_days(rules, days, cuts)
    }

    /// The encoding of `rules`' deployments on one day only: the date is no variable.
    pub fn on_day(rules: &RuleSet, day: NaiveDate) -> Encoding {
        Encoding::with_days(rules, vec![day], Vec::new())
    }

    fn with_days(rules: &RuleSet, days: Vec<NaiveDate>, cuts: Vec<NaiveDate>) -> Encoding {
        let mut next = 0u32;
        let mut take = |n: usize| -> Vec<u32> {
            let vars = (next..next + n as u32).collect();
            next += n as u32;
            vars
        };
        let date_vars = take(width(days.len()));
        let (sets, tested) = mentioned(rules);
        let fields = rules
            .vocabulary
            .fields
            .iter()
            .zip(sets)
            .map(|(field, sets)| {
                let (atoms, of_value) = partition(field.values.len(), &sets);
                let absent = field.optional.then_some(atoms.len());
                let n = atoms.len() + usize::from(field.optional);
                FieldCode { atoms, absent, of_value, vars: take(width(n)) }
            })
            .collect();
        let flags = tested.into_iter().map(|f| (f, take(1)[0])).collect();
        let relations = rules.relations.iter().map(|_| take(2)).map(|v| [v[0], v[1]]).collect();
        Encoding { days, cuts, date_vars, fields, flags, relations, vars: next }
    }

    /// The interval a date falls in.
    pub fn interval(&self, date: NaiveDate) -> usize {
        self.cuts.partition_point(|c| *c <= date)
    }

    /// The variables of one deployment and its launch states.
    pub fn assignment(&self, d: &Deployment, launches: &[LaunchState]) -> Vec<bool> {
        let mut out = vec![false; self.vars as usize];
        let mut set = |vars: &[u32], n: usize| {
            for (v, b) in vars.iter().zip(bits(n, vars.len())) {
                out[*v as usize] = b;
            }
        };
        set(&self.date_vars, self.interval(d.date).min(self.days.len() - 1));
        for (i, f) in self.fields.iter().enumerate() {
            set(&f.vars, f.atom(d.values.get(i).copied().flatten()));
        }
        for (flag, v) in &self.flags {
            set(&[*v], usize::from(d.has_flag(*flag)));
        }
        for (i, vars) in self.relations.iter().enumerate() {
            set(vars, state_code(launches.get(i).copied().unwrap_or(LaunchState::Never)));
        }
        out
    }

    /// The date interval is one of `set` (by interval number).
    pub fn date_in(&self, m: &mut Manager, set: &[bool]) -> Result {
        m.number_in(&self.date_vars, set)
    }

    /// The date's interval is `i`.
    pub fn date_is(&self, m: &mut Manager, i: usize) -> Result {
        let set: Vec<bool> = (0..self.days.len()).map(|j| j == i).collect();
        self.date_in(m, &set)
    }

    /// The days from `from` through `through` (inclusive; `None`: unbounded): a run of
    /// intervals, since every bound the rules use is a cut date.
    pub fn date_between(
        &self,
        m: &mut Manager,
        from: Option<NaiveDate>,
        through: Option<NaiveDate>,
    ) -> Result {
        let lo = self.days.partition_point(|d| from.is_some_and(|f| *d < f));
        let hi = self.days.partition_point(|d| through.is_none_or(|t| *d <= t));
        m.number_between(&self.date_vars, lo, hi)
    }

    /// `field in values` (`not in` when `negated`); a left-out value is in no set.
    pub fn field_in(&self, m: &mut Manager, field: FieldId, values: &[ValueId], negated: bool) -> Result {
        let code = &self.fields[field.0 as usize];
        let mut set: Vec<bool> =
            code.atoms.iter().map(|atom| atom.iter().all(|v| values.contains(v)) != negated).collect();
        if code.absent.is_some() {
            set.push(negated);
        }
        m.number_in(&code.vars, &set)
    }

    /// The field's atom is `atom`.
    pub fn field_is(&self, m: &mut Manager, field: usize, atom: usize) -> Result {
        let code = &self.fields[field];
        let set: Vec<bool> = (0..code.len()).map(|a| a == atom).collect();
        m.number_in(&code.vars, &set)
    }

    /// A flag some condition tests is true (`FALSE` for a flag no condition tests).
    pub fn flag(&self, m: &mut Manager, flag: FlagId) -> Result {
        match self.flags.iter().find(|(f, _)| *f == flag) {
            Some((_, v)) => m.var(*v),
            None => Ok(Bdd::FALSE),
        }
    }

    /// The relation's launch state is one of those `test` accepts.
    pub fn launch_where(
        &self,
        m: &mut Manager,
        relation: usize,
        test: impl Fn(LaunchState) -> bool,
    ) -> Result {
        let set: Vec<bool> = LaunchState::ALL.iter().map(|s| test(*s)).collect();
        m.number_in(&self.relations[relation], &set)
    }

    /// The deployment is itself one of those relation `r` looks for.
    pub fn matches_itself(&self, m: &mut Manager, rel: &Relation) -> Result {
        let mut f = Bdd::TRUE;
        for (field, arg) in &rel.args {
            if let RelationArg::Value(v) = arg {
                let is = self.field_in(m, *field, &[*v], false)?;
                f = m.and(f, is)?;
            }
        }
        Ok(f)
    }

    /// The date's interval and every field's atom are numbers that mean something.
    pub fn in_range(&self, m: &mut Manager) -> Result {
        let mut f = self.date_in(m, &vec![true; self.days.len()])?;
        for code in &self.fields {
            let any = m.number_in(&code.vars, &vec![true; code.len()])?;
            f = m.and(f, any)?;
        }
        Ok(f)
    }

    /// Every assignment that is a deployment: dates and atoms in range, launch states possible.
    pub fn valid(&self, m: &mut Manager, rules: &RuleSet) -> Result {
        let mut f = self.in_range(m)?;
        for (i, rel) in rules.relations.iter().enumerate() {
            let itself = self.matches_itself(m, rel)?;
            let found =
                self.launch_where(m, i, |s| matches!(s, LaunchState::Earlier | LaunchState::SameDay))?;
            let not_itself = m.not(itself)?;
            let possible = m.or(not_itself, found)?;
            f = m.and(f, possible)?;
        }
        Ok(f)
    }

    /// The variables of the date.
    pub fn all_launch_vars(&self) -> Vec<u32> {
        self.relations.iter().flatten().copied().collect()
    }
}

/// For each field, the sets of values the rules name; and the flags the conditions test.
fn mentioned(rules: &RuleSet) -> (Vec<Vec<Vec<ValueId>>>, Vec<FlagId>) {
    let mut sets: Vec<Vec<Vec<ValueId>>> = vec![Vec::new(); rules.vocabulary.fields.len()];
    let mut flags = Vec::new();
    for a in &rules.agreements {
        if let (Some(p), false) = (rules.party, a.parties.is_empty()) {
            sets[p.0 as usize].push(a.parties.clone());
        }
        for (_, r) in a.clauses.iter().flat_map(|c| c.rules()) {
            for cond in r.conditions() {
                cond.walk(&mut |c| match c {
                    Condition::Field { field, values, .. } => sets[field.0 as usize].push(values.clone()),
                    Condition::Flag { flag, .. } => flags.push(*flag),
                    _ => {}
                });
            }
        }
    }
    for rel in &rules.relations {
        for (f, arg) in &rel.args {
            if let RelationArg::Value(v) = arg {
                sets[f.0 as usize].push(vec![*v]);
            }
        }
    }
    flags.sort_unstable();
    flags.dedup();
    (sets, flags)
}

/// The values `0..n` partitioned by membership of every set: the atoms, in order (named ones
/// by least value, then the unnamed), and each value's atom.
fn partition(n: usize, sets: &[Vec<ValueId>]) -> (Vec<Vec<ValueId>>, Vec<u16>) {
    let mut signature: Vec<Vec<u64>> = vec![vec![0u64; sets.len().div_ceil(64)]; n];
    for (s, set) in sets.iter().enumerate() {
        for v in set {
            if let Some(sig) = signature.get_mut(v.0 as usize) {
                sig[s / 64] |= 1 << (s % 64);
            }
        }
    }
    let mut atoms: Vec<(Vec<u64>, Vec<ValueId>)> = Vec::new();
    for (v, sig) in signature.into_iter().enumerate() {
        match atoms.iter_mut().find(|(s, _)| *s == sig) {
            Some((_, values)) => values.push(ValueId(v as u16)),
            None => atoms.push((sig, vec![ValueId(v as u16)])),
        }
    }
    // Already by least value; the unnamed atom (no membership at all) goes last.
    if let Some(i) = atoms.iter().position(|(s, _)| s.iter().all(|w| *w == 0)) {
        let unnamed = atoms.remove(i);
        atoms.push(unnamed);
    }
    let mut of_value = vec![0u16; n];
    for (i, (_, values)) in atoms.iter().enumerate() {
        for v in values {
            of_value[v.0 as usize] = i as u16;
        }
    }
    (atoms.into_iter().map(|(_, v)| v).collect(), of_value)
}

/// One rule, symbolically: when it applies (its `when` and not its `unless`; periods aside), and
/// for a `require`, its requirement.
#[derive(Debug, Clone)]
pub struct RuleModel {
    /// The rule's statement index in its clause.
    pub statement: usize,
    pub applies: Bdd,
    pub requirement: Option<Bdd>,
}

/// One clause, symbolically. The final statuses are those after exceptions, on the deployments
/// for which its agreement is in force; together with "not applicable" they partition those.
#[derive(Debug, Clone)]
pub struct ClauseModel {
    /// The clause's own period (S3a), as dates.
    pub in_force: Bdd,
    pub rules: Vec<RuleModel>,
    /// Some rule applies, the clause being in force: matched before exceptions (S7).
    pub matched: Bdd,
    /// Some exception to it is matched and not itself overridden.
    pub overridden_by_exception: Bdd,
    pub allowed: Bdd,
    pub violated: Bdd,
    pub satisfied: Bdd,
    pub overridden: Bdd,
}

/// A whole rule set, symbolically.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every deployment (the encoding's validity constraint).
    pub valid: Bdd,
    /// Per agreement: in force on the date and binding the party (S1–S3), on valid deployments.
    pub in_force: Vec<Bdd>,
    pub clauses: Vec<Vec<ClauseModel>>,
    /// Per agreement: its `default deny` decides (S8).
    pub denied: Vec<Bdd>,
    /// Per agreement: it makes the deployment violated (a clause violated, or its default).
    pub violates: Vec<Bdd>,
    /// The deployment is violated (S9).
    pub verdict: Bdd,
}

impl Model {
    /// Every diagram the model holds: what to keep when its manager is compacted.
    pub fn roots_mut(&mut self) -> Vec<&mut Bdd> {
        let mut out: Vec<&mut Bdd> = vec![&mut self.valid, &mut self.verdict];
        out.extend(self.in_force.iter_mut());
        out.extend(self.denied.iter_mut());
        out.extend(self.violates.iter_mut());
        for c in self.clauses.iter_mut().flatten() {
            out.extend([
                &mut c.in_force,
                &mut c.matched,
                &mut c.overridden_by_exception,
                &mut c.allowed,
                &mut c.violated,
                &mut c.satisfied,
                &mut c.overridden,
            ]);
            for r in &mut c.rules {
                out.push(&mut r.applies);
                out.extend(r.requirement.as_mut());
            }
        }
        out
    }

    pub fn clause(&self, key: ClauseKey) -> &ClauseModel {
        &self.clauses[key.agreement.index()][key.clause.index()]
    }

    /// The final status of a clause for one assignment (its agreement in force); `None` when
    /// the model gives it more than one, which would be a bug: the statuses partition the space.
    pub fn status(&self, m: &Manager, key: ClauseKey, at: &[bool]) -> Option<Status> {
        let c = self.clause(key);
        let holding: Vec<Status> = [
            (c.violated, Status::Violated),
            (c.satisfied, Status::Satisfied),
            (c.allowed, Status::Allowed),
            (c.overridden, Status::Overridden),
        ]
        .into_iter()
        .filter(|(f, _)| m.eval(*f, at))
        .map(|(_, s)| s)
        .collect();
        match holding[..] {
            [] => Some(Status::NotApplicable),
            [one] => Some(one),
            _ => None,
        }
    }
}

/// Builds the diagrams of conditions over one encoding.
pub struct Builder<'e> {
    pub enc: &'e Encoding,
    /// When set, a date test that reads an event without a date is a fresh variable (numbered
    /// from here on) instead of the window it resolved to: "for some date of the event".
    pub free_events: Option<u32>,
}

impl Builder<'_> {
    pub fn condition(&mut self, m: &mut Manager, rules: &RuleSet, c: &Condition) -> Result {
        match c {
            Condition::And(parts) => {
                let mut f = Bdd::TRUE;
                for p in parts {
                    let g = self.condition(m, rules, p)?;
                    f = m.and(f, g)?;
                }
                Ok(f)
            }
            Condition::Or(parts) => {
                let mut f = Bdd::FALSE;
                for p in parts {
                    let g = self.condition(m, rules, p)?;
                    f = m.or(f, g)?;
                }
                Ok(f)
            }
            Condition::Not(inner) => {
                let f = self.condition(m, rules, inner)?;
                m.not(f)
            }
            Condition::Field { field, values, negated, .. } => self.enc.field_in(m, *field, values, *negated),
            Condition::Flag { flag, .. } => self.enc.flag(m, *flag),
            Condition::Date { window, events, .. } => {
                if let Some(next) = self.free_events.as_mut() {
                    if events.iter().any(|e| rules.event(*e).date.is_none()) {
                        let v = *next;
                        *next += 1;
                        return m.var(v);
                    }
                }
                self.enc.date_between(m, window.from, window.through)
            }
            Condition::Launched { relation, when, .. } => {
                self.enc.launch_where(m, relation.0 as usize, |s| s.satisfies(*when))
            }
        }
    }

    /// When a rule applies (S4): its `when` holds and its `unless` does not.
    pub fn applies(&mut self, m: &mut Manager, rules: &RuleSet, r: &Rule) -> Result {
        let when = match &r.when {
            Some(c) => self.condition(m, rules, c)?,
            None => Bdd::TRUE,
        };
        match &r.unless {
            Some(c) => {
                let unless = self.condition(m, rules, c)?;
                m.and_not(when, unless)
            }
            None => Ok(when),
        }
    }
}

/// The model of `rules` over `enc` (which may be the encoding of another rule set with the same
/// vocabulary and conditions, such as the same rules with a date moved).
pub fn model(m: &mut Manager, enc: &Encoding, rules: &RuleSet) -> Result<Model> {
    let valid = enc.valid(m, rules)?;
    let mut b = Builder { enc, free_events: None };
    let mut in_force_of = Vec::with_capacity(rules.agreements.len());
    for a in &rules.agreements {
        // S1, S2: the period `in_force` checks a date against.
        let p = period(rules, a);
        let dates = enc.date_between(m, Some(p.from), p.through)?;
        let bound = match (a.parties.is_empty(), rules.party) {
            (true, _) => Bdd::TRUE,
            (false, Some(p)) => enc.field_in(m, p, &a.parties, false)?,
            (false, None) => {
                if binds(a, None) {
                    Bdd::TRUE
                } else {
                    Bdd::FALSE
                }
            }
        };
        let f = m.and(dates, bound)?;
        in_force_of.push(m.and(f, valid)?);
    }
    // Before exceptions: what each clause's rules give it (S3a, S4–S6).
    struct Raw {
        in_force: Bdd,
        rules: Vec<RuleModel>,
        matched: Bdd,
        violated: Bdd,
        satisfied: Bdd,
        allowed: Bdd,
    }
    let mut raw: Vec<Vec<Raw>> = Vec::with_capacity(rules.agreements.len());
    for a in &rules.agreements {
        let mut clauses = Vec::with_capacity(a.clauses.len());
        for c in &a.clauses {
            // S3a: the clause's own period, as `clause_in_force` checks it.
            let p = clause_period(rules, c);
            let in_force = enc.date_between(m, Some(p.from), p.through)?;
            let (mut applies_any, mut violated, mut held, mut permitted) =
                (Bdd::FALSE, Bdd::FALSE, Bdd::FALSE, Bdd::FALSE);
            let mut models = Vec::new();
            for (i, r) in c.rules() {
                let applies = b.applies(m, rules, r)?;
                let requirement = match r.requirement() {
                    Some(req) => Some(b.condition(m, rules, req)?),
                    None => None,
                };
                applies_any = m.or(applies_any, applies)?;
                match (&r.kind, requirement) {
                    (RuleKind::Permit, _) => permitted = m.or(permitted, applies)?,
                    (RuleKind::Forbid, _) => violated = m.or(violated, applies)?,
                    (RuleKind::Require(_), Some(req)) => {
                        let ok = m.and(applies, req)?;
                        let failed = m.and_not(applies, req)?;
                        held = m.or(held, ok)?;
                        violated = m.or(violated, failed)?;
                    }
                    (RuleKind::Require(_), None) => {}
                }
                models.push(RuleModel { statement: i, applies, requirement });
            }
            // S6: violated beats satisfied beats allowed.
            let violated = m.and(violated, in_force)?;
            let satisfied = m.and(held, in_force)?;
            let satisfied = m.and_not(satisfied, violated)?;
            let allowed = m.and(permitted, in_force)?;
            let allowed = m.and_not(allowed, violated)?;
            let allowed = m.and_not(allowed, satisfied)?;
            let matched = m.and(applies_any, in_force)?;
            clauses.push(Raw { in_force, rules: models, matched, violated, satisfied, allowed });
        }
        raw.push(clauses);
    }
    // S7: exceptions, across agreements in force.
    let overriders = Overriders::new(rules);
    let mut over: Vec<Vec<Option<Bdd>>> = raw.iter().map(|cs| vec![None; cs.len()]).collect();
    fn overridden(
        m: &mut Manager,
        key: ClauseKey,
        overriders: &Overriders,
        raw: &[Vec<Raw>],
        in_force: &[Bdd],
        memo: &mut Vec<Vec<Option<Bdd>>>,
    ) -> Result {
        if let Some(known) = memo[key.agreement.index()][key.clause.index()] {
            return Ok(known);
        }
        // INVARIANT: the resolver rejects exception cycles; a cycle would only read FALSE here.
        memo[key.agreement.index()][key.clause.index()] = Some(Bdd::FALSE);
        let mut f = Bdd::FALSE;
        for e in overriders.of(key).collect::<Vec<_>>() {
            let e_over = overridden(m, e, overriders, raw, in_force, memo)?;
            let counts =
                m.and(in_force[e.agreement.index()], raw[e.agreement.index()][e.clause.index()].matched)?;
            let counts = m.and_not(counts, e_over)?;
            f = m.or(f, counts)?;
        }
        memo[key.agreement.index()][key.clause.index()] = Some(f);
        Ok(f)
    }
    let mut clauses_out = Vec::with_capacity(raw.len());
    let mut denied = Vec::with_capacity(raw.len());
    let mut violates = Vec::with_capacity(raw.len());
    for (ai, cs) in raw.iter().enumerate() {
        let here = in_force_of[ai];
        let mut out = Vec::with_capacity(cs.len());
        let (mut allows, mut any_violated) = (Bdd::FALSE, Bdd::FALSE);
        for (ci, r) in cs.iter().enumerate() {
            let key = ClauseKey { agreement: AgreementId(ai as u32), clause: ClauseRef(ci as u32) };
            let ov = overridden(m, key, &overriders, &raw, &in_force_of, &mut over)?;
            let keep = m.and_not(here, ov)?;
            let violated = m.and(r.violated, keep)?;
            let satisfied = m.and(r.satisfied, keep)?;
            let allowed = m.and(r.allowed, keep)?;
            let matched_here = m.and(r.matched, here)?;
            let overridden = m.and(matched_here, ov)?;
            allows = m.or(allows, allowed)?;
            allows = m.or(allows, satisfied)?;
            any_violated = m.or(any_violated, violated)?;
            out.push(ClauseModel {
                in_force: r.in_force,
                rules: r.rules.clone(),
                matched: r.matched,
                overridden_by_exception: ov,
                allowed,
                violated,
                satisfied,
                overridden,
            });
        }
        // S8: default deny decides when no clause allows or is satisfied.
        let d =
            if rules.agreements[ai].default == Default::Deny { m.and_not(here, allows)? } else { Bdd::FALSE };
        violates.push(m.or(any_violated, d)?);
        denied.push(d);
        clauses_out.push(out);
    }
    let verdict = m.or_all(violates.iter().copied())?;
    Ok(Model { valid, in_force: in_force_of, clauses: clauses_out, denied, violates, verdict })
}

/// A rule set with its encoding, manager and model: what the analyses ask their questions of.
pub struct Symbolic<'r> {
    pub rules: &'r RuleSet,
    pub enc: Encoding,
    pub m: Manager,
    pub model: Model,
}

impl<'r> Symbolic<'r> {
    /// The model of `rules`, with `extra` cut dates (such as today), within `budget` nodes.
    pub fn new(rules: &'r RuleSet, extra: &[NaiveDate], budget: usize) -> Result<Symbolic<'r>> {
        let enc = Encoding::new(rules, extra);
        let mut m = Manager::new(budget);
        let model = model(&mut m, &enc, rules)?;
        Ok(Symbolic { rules, enc, m, model })
    }

    /// Lets go of every diagram but the model's (see [`Manager::compact`]): between questions
    /// that share nothing but the model, so the budget bounds the largest question rather than
    /// all of them together.
    pub fn compact(&mut self) {
        let mut roots = self.model.roots_mut();
        self.m.compact(&mut roots);
    }

    /// What the model says of one deployment with these launch states: the verdict, and for each
    /// agreement in force its clauses' statuses and whether its default decided.
    pub fn outcome(&self, d: &Deployment, launches: &[LaunchState]) -> SymbolicOutcome {
        let at = self.enc.assignment(d, launches);
        let agreements = (0..self.rules.agreements.len())
            .filter(|a| self.m.eval(self.model.in_force[*a], &at))
            .map(|a| {
                let id = AgreementId(a as u32);
                let statuses = (0..self.rules.agreements[a].clauses.len())
                    .map(|c| {
                        self.model.status(
                            &self.m,
                            ClauseKey { agreement: id, clause: ClauseRef(c as u32) },
                            &at,
                        )
                    })
                    .collect();
                (id, statuses, self.m.eval(self.model.denied[a], &at))
            })
            .collect();
        SymbolicOutcome { violated: self.m.eval(self.model.verdict, &at), agreements }
    }
}

/// [`Symbolic::outcome`]: the verdict, and per agreement in force (agreement, clause statuses,
/// denied by default). A status is `None` where the model gives a clause two at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SymbolicOutcome {
    pub violated: bool,
    pub agreements: Vec<(AgreementId, Vec<Option<Status>>, bool)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_no_rule_tells_apart_share_an_atom() {
        let sets = vec![vec![ValueId(2)], vec![ValueId(2), ValueId(3)], vec![ValueId(0)]];
        let (atoms, of_value) = partition(6, &sets);
        let want: Vec<Vec<ValueId>> = vec![
            vec![ValueId(0)],
            vec![ValueId(2)],
            vec![ValueId(3)],
            vec![ValueId(1), ValueId(4), ValueId(5)],
        ];
        assert_eq!(atoms, want);
        assert_eq!(of_value, vec![0, 3, 1, 2, 3, 3]);
    }

    #[test]
    fn widths_are_the_bits_a_number_needs() {
        assert_eq!([0, 1, 2, 3, 4, 5, 8, 9].map(width), [0, 0, 1, 2, 2, 3, 3, 4]);
        assert_eq!(bits(5, 4).collect::<Vec<_>>(), [false, true, false, true]);
    }
}
