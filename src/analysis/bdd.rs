//! A small reduced ordered binary decision diagram (ROBDD) package, for the exact analyses.
//!
//! Why our own: the analyses need a few operations (and, or, not, exists, restrict, a
//! satisfying path, emptiness and inclusion tests) over a few hundred variables, and a hard
//! limit on memory. The crates that offer this pull in duplicate versions of common dependencies
//! for features we would not use; this is a few hundred lines with one job.
//!
//! The usual design: nodes live in one table and are shared (hash-consing), so two equal
//! functions are the same [`Bdd`] and equality is `==`; every operation is memoized in a lossy
//! computed table; variable `0` is at the top. No garbage is collected: a [`Manager`] lives for
//! one analysis, and its node budget ([`Manager::new`]) bounds its memory. When an operation would
//! need more nodes than the budget, it returns [`TooLarge`] instead, and the analysis says so.
//!
//! No `unsafe`, no recursion deeper than the number of variables.

/// A function of the variables, as a node of its [`Manager`]. `FALSE` and `TRUE` are the leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bdd(u32);

impl Bdd {
    pub const FALSE: Bdd = Bdd(0);
    pub const TRUE: Bdd = Bdd(1);

    pub fn is_false(self) -> bool {
        self == Bdd::FALSE
    }

    pub fn is_true(self) -> bool {
        self == Bdd::TRUE
    }

    fn index(self) -> usize {
        self.0 as usize
    }
}

/// The node budget was reached: the diagrams this analysis needs are larger than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The budget that was reached, in nodes.
    pub limit: usize,
}

/// What an operation returns: a node, or the news that the budget was reached.
pub type Result<T = Bdd> = std::result::Result<T, TooLarge>;

/// The variable of the leaves: below every real variable.
const LEAF: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    var: u32,
    lo: Bdd,
    hi: Bdd,
}

/// The operations the computed table remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
enum Op {
    Empty = 0,
    And,
    Or,
    Xor,
    Not,
    Exists,
    Restrict,
    Implies,
    Disjoint,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    op: Op,
    a: Bdd,
    b: Bdd,
    result: Bdd,
}

const EMPTY: Entry = Entry { op: Op::Empty, a: Bdd::FALSE, b: Bdd::FALSE, result: Bdd::FALSE };

/// The nodes of a family of functions, and the memo of the operations on them.
#[derive(Debug)]
pub struct Manager {
    nodes: Vec<Node>,
    /// Open addressing, linear probing: node indexes, `0` for an empty slot (the leaves are
    /// never stored here).
    unique: Vec<u32>,
    cache: Vec<Entry>,
    budget: usize,
}

/// The default node budget: 4,194,304 nodes. At the budget, the nodes take 48 MB, the table
/// that shares them 32 MB and the computed table at most 64 MB ([`MAX_CACHE`] entries).
pub const DEFAULT_BUDGET: usize = 1 << 22;

/// The most entries of the computed table.
const MAX_CACHE: usize = 1 << 22;

fn mix(a: u64, b: u64, c: u64) -> u64 {
    let mut h = a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.rotate_left(21);
    h = (h ^ c.rotate_left(42)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 31)
}

impl Manager {
    /// A manager that may hold up to `budget` nodes (the two leaves included).
    pub fn new(budget: usize) -> Manager {
        let leaf = |b: Bdd| Node { var: LEAF, lo: b, hi: b };
        Manager {
            nodes: vec![leaf(Bdd::FALSE), leaf(Bdd::TRUE)],
            unique: vec![0; 1 << 10],
            cache: vec![EMPTY; 1 << 12],
            budget: budget.max(2),
        }
    }

    /// How many nodes exist now (the leaves included).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether only the leaves exist.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 2
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// The top variable of `f` (`u32::MAX` for a leaf).
    pub fn var_of(&self, f: Bdd) -> u32 {
        self.nodes[f.index()].var
    }

    fn node(&self, f: Bdd) -> Node {
        self.nodes[f.index()]
    }

    /// The node `if var then hi else lo`, shared if it exists. `var` must be above the top
    /// variables of `lo` and `hi`.
    fn mk(&mut self, var: u32, lo: Bdd, hi: Bdd) -> Result {
        if lo == hi {
            return Ok(lo);
        }
        debug_assert!(var < self.var_of(lo) && var < self.var_of(hi), "variable order");
        let mask = self.unique.len() - 1;
        let mut slot = mix(u64::from(var), u64::from(lo.0), u64::from(hi.0)) as usize & mask;
        loop {
            let at = self.unique[slot];
            if at == 0 {
                break;
            }
            let n = self.nodes[at as usize];
            if n.var == var && n.lo == lo && n.hi == hi {
                return Ok(Bdd(at));
            }
            slot = (slot + 1) & mask;
        }
        if self.nodes.len() >= self.budget {
            return Err(TooLarge { limit: self.budget });
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(Node { var, lo, hi });
        self.unique[slot] = id;
        if self.nodes.len() * 2 > self.unique.len() {
            self.grow();
        }
        Ok(Bdd(id))
    }

    fn grow(&mut self) {
        let size = self.unique.len() * 2;
        let mut unique = vec![0u32; size];
        let mask = size - 1;
        for (i, n) in self.nodes.iter().enumerate().skip(2) {
            let mut slot = mix(u64::from(n.var), u64::from(n.lo.0), u64::from(n.hi.0)) as usize & mask;
            while unique[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            unique[slot] = i as u32;
        }
        self.unique = unique;
        // The computed table grows with the nodes, up to 4,194,304 entries (64 MB).
        if self.cache.len() < self.nodes.len() && self.cache.len() * 4 <= MAX_CACHE {
            self.cache = vec![EMPTY; self.cache.len() * 4];
        }
    }

    fn cached(&self, op: Op, a: Bdd, b: Bdd) -> Option<Bdd> {
        let e = self.cache[self.slot(op, a, b)];
        (e.op == op && e.a == a && e.b == b).then_some(e.result)
    }

    fn remember(&mut self, op: Op, a: Bdd, b: Bdd, result: Bdd) {
        let slot = self.slot(op, a, b);
        self.cache[slot] = Entry { op, a, b, result };
    }

    fn slot(&self, op: Op, a: Bdd, b: Bdd) -> usize {
        mix(op as u64, u64::from(a.0), u64::from(b.0)) as usize & (self.cache.len() - 1)
    }

    /// Keeps only the nodes reachable from `roots`, renumbered, and updates `roots` to the new
    /// numbers; every other [`Bdd`] of this manager means nothing afterwards, and the computed
    /// table is emptied. What lets one manager serve a long analysis within its budget: the
    /// caller keeps what it will ask about again and lets the rest go.
    pub fn compact(&mut self, roots: &mut [&mut Bdd]) {
        let n = self.nodes.len();
        let mut live = vec![false; n];
        live[0] = true;
        live[1] = true;
        let mut stack: Vec<Bdd> = roots.iter().map(|r| **r).collect();
        while let Some(f) = stack.pop() {
            if live[f.index()] {
                continue;
            }
            live[f.index()] = true;
            let node = self.nodes[f.index()];
            stack.push(node.lo);
            stack.push(node.hi);
        }
        // INVARIANT: a node's children are older than it (`mk` makes a node of existing ones),
        // so renumbering in index order renumbers children first.
        let mut new_of = vec![0u32; n];
        new_of[1] = 1;
        let mut nodes = Vec::with_capacity(live.iter().filter(|l| **l).count());
        nodes.extend_from_slice(&self.nodes[..2]);
        for (i, node) in self.nodes.iter().enumerate().skip(2) {
            if live[i] {
                new_of[i] = nodes.len() as u32;
                let (lo, hi) = (Bdd(new_of[node.lo.index()]), Bdd(new_of[node.hi.index()]));
                nodes.push(Node { var: node.var, lo, hi });
            }
        }
        self.nodes = nodes;
        let mut size = 1 << 10;
        while self.nodes.len() * 2 > size {
            size *= 2;
        }
        self.unique = vec![0; size / 2];
        self.grow();
        self.cache.iter_mut().for_each(|e| *e = EMPTY);
        for r in roots.iter_mut() {
            **r = Bdd(new_of[r.index()]);
        }
    }

    /// The function "variable `v` is true".
    pub fn var(&mut self, v: u32) -> Result {
        self.mk(v, Bdd::FALSE, Bdd::TRUE)
    }

    /// The two cofactors of `f` with respect to variable `v` (both `f` when `f` does not
    /// start with `v`).
    fn cofactors(&self, f: Bdd, v: u32) -> (Bdd, Bdd) {
        let n = self.node(f);
        if n.var == v {
            (n.lo, n.hi)
        } else {
            (f, f)
        }
    }

    pub fn not(&mut self, f: Bdd) -> Result {
        if f == Bdd::FALSE {
            return Ok(Bdd::TRUE);
        }
        if f == Bdd::TRUE {
            return Ok(Bdd::FALSE);
        }
        if let Some(r) = self.cached(Op::Not, f, f) {
            return Ok(r);
        }
        let n = self.node(f);
        let lo = self.not(n.lo)?;
        let hi = self.not(n.hi)?;
        let r = self.mk(n.var, lo, hi)?;
        self.remember(Op::Not, f, f, r);
        Ok(r)
    }

    pub fn and(&mut self, a: Bdd, b: Bdd) -> Result {
        self.apply(Op::And, a, b)
    }

    pub fn or(&mut self, a: Bdd, b: Bdd) -> Result {
        self.apply(Op::Or, a, b)
    }

    pub fn xor(&mut self, a: Bdd, b: Bdd) -> Result {
        self.apply(Op::Xor, a, b)
    }

    /// `a and not b`.
    pub fn and_not(&mut self, a: Bdd, b: Bdd) -> Result {
        let nb = self.not(b)?;
        self.and(a, nb)
    }

    /// The conjunction of all of `fs` (`TRUE` for none).
    pub fn and_all(&mut self, fs: impl IntoIterator<Item = Bdd>) -> Result {
        let mut acc = Bdd::TRUE;
        for f in fs {
            acc = self.and(acc, f)?;
            if acc.is_false() {
                break;
            }
        }
        Ok(acc)
    }

    /// The disjunction of all of `fs` (`FALSE` for none), combined as a balanced tree so that
    /// long lists do not build long intermediate results.
    pub fn or_all(&mut self, fs: impl IntoIterator<Item = Bdd>) -> Result {
        let mut level: Vec<Bdd> = fs.into_iter().filter(|f| !f.is_false()).collect();
        if level.contains(&Bdd::TRUE) {
            return Ok(Bdd::TRUE);
        }
        while level.len() > 1 {
            let mut next = Vec::with_capacity(level.len().div_ceil(2));
            for pair in level.chunks(2) {
                next.push(if pair.len() == 2 { self.or(pair[0], pair[1])? } else { pair[0] });
            }
            level = next;
        }
        Ok(level.first().copied().unwrap_or(Bdd::FALSE))
    }

    /// `if c then t else e`.
    pub fn ite(&mut self, c: Bdd, t: Bdd, e: Bdd) -> Result {
        let ct = self.and(c, t)?;
        let ce = self.and_not(e, c)?;
        self.or(ct, ce)
    }

    fn apply(&mut self, op: Op, a: Bdd, b: Bdd) -> Result {
        match op {
            Op::And => {
                if a.is_false() || b.is_false() {
                    return Ok(Bdd::FALSE);
                }
                if a.is_true() || a == b {
                    return Ok(b);
                }
                if b.is_true() {
                    return Ok(a);
                }
            }
            Op::Or => {
                if a.is_true() || b.is_true() {
                    return Ok(Bdd::TRUE);
                }
                if a.is_false() || a == b {
                    return Ok(b);
                }
                if b.is_false() {
                    return Ok(a);
                }
            }
            Op::Xor => {
                if a == b {
                    return Ok(Bdd::FALSE);
                }
                if a.is_false() {
                    return Ok(b);
                }
                if b.is_false() {
                    return Ok(a);
                }
                if a.is_true() {
                    return self.not(b);
                }
                if b.is_true() {
                    return self.not(a);
                }
            }
            _ => unreachable!("apply is for the binary connectives"),
        }
        // All three are commutative: one order in the memo.
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        if let Some(r) = self.cached(op, a, b) {
            return Ok(r);
        }
        let v = self.var_of(a).min(self.var_of(b));
        let (a0, a1) = self.cofactors(a, v);
        let (b0, b1) = self.cofactors(b, v);
        let lo = self.apply(op, a0, b0)?;
        let hi = self.apply(op, a1, b1)?;
        let r = self.mk(v, lo, hi)?;
        self.remember(op, a, b, r);
        Ok(r)
    }

    /// The conjunction of the variables `vars` (in any order), to name a set of variables.
    pub fn cube(&mut self, vars: &[u32]) -> Result {
        let mut sorted = vars.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut f = Bdd::TRUE;
        for v in sorted.into_iter().rev() {
            f = self.mk(v, Bdd::FALSE, f)?;
        }
        Ok(f)
    }

    /// The conjunction of literals: each `(v, value)` says variable `v` is `value`. A cube to
    /// [`Manager::restrict`] with.
    pub fn literals(&mut self, assignment: &[(u32, bool)]) -> Result {
        let mut sorted = assignment.to_vec();
        sorted.sort_unstable();
        sorted.dedup_by_key(|(v, _)| *v);
        let mut f = Bdd::TRUE;
        for (v, value) in sorted.into_iter().rev() {
            f = if value { self.mk(v, Bdd::FALSE, f)? } else { self.mk(v, f, Bdd::FALSE)? };
        }
        Ok(f)
    }

    /// `exists vars . f`, with `vars` given as a [`Manager::cube`].
    pub fn exists(&mut self, f: Bdd, vars: Bdd) -> Result {
        let mut vars = vars;
        loop {
            if f.is_false() || f.is_true() || vars.is_true() {
                return Ok(f);
            }
            // Variables above `f`'s top do not occur in it.
            if self.var_of(vars) < self.var_of(f) {
                vars = self.node(vars).hi;
            } else {
                break;
            }
        }
        if let Some(r) = self.cached(Op::Exists, f, vars) {
            return Ok(r);
        }
        let n = self.node(f);
        let r = if self.var_of(vars) == n.var {
            let rest = self.node(vars).hi;
            let lo = self.exists(n.lo, rest)?;
            if lo.is_true() {
                lo
            } else {
                let hi = self.exists(n.hi, rest)?;
                self.or(lo, hi)?
            }
        } else {
            let lo = self.exists(n.lo, vars)?;
            let hi = self.exists(n.hi, vars)?;
            self.mk(n.var, lo, hi)?
        };
        self.remember(Op::Exists, f, vars, r);
        Ok(r)
    }

    /// `forall vars . f`.
    pub fn forall(&mut self, f: Bdd, vars: Bdd) -> Result {
        let nf = self.not(f)?;
        let e = self.exists(nf, vars)?;
        self.not(e)
    }

    /// `f` with the variables of the [`Manager::literals`] cube `values` set to their values.
    pub fn restrict(&mut self, f: Bdd, values: Bdd) -> Result {
        let mut values = values;
        loop {
            if f.is_false() || f.is_true() || values.is_true() {
                return Ok(f);
            }
            if self.var_of(values) < self.var_of(f) {
                values = self.literal_rest(values);
            } else {
                break;
            }
        }
        if let Some(r) = self.cached(Op::Restrict, f, values) {
            return Ok(r);
        }
        let n = self.node(f);
        let r = if self.var_of(values) == n.var {
            let lit = self.node(values);
            let (branch, rest) = if lit.lo.is_false() { (n.hi, lit.hi) } else { (n.lo, lit.lo) };
            self.restrict(branch, rest)?
        } else {
            let lo = self.restrict(n.lo, values)?;
            let hi = self.restrict(n.hi, values)?;
            self.mk(n.var, lo, hi)?
        };
        self.remember(Op::Restrict, f, values, r);
        Ok(r)
    }

    /// The rest of a literal cube after its top literal.
    fn literal_rest(&self, values: Bdd) -> Bdd {
        let n = self.node(values);
        if n.lo.is_false() {
            n.hi
        } else {
            n.lo
        }
    }

    /// Whether `a` implies `b` (every assignment that satisfies `a` satisfies `b`), without
    /// building any node.
    pub fn implies(&mut self, a: Bdd, b: Bdd) -> bool {
        if a.is_false() || b.is_true() || a == b {
            return true;
        }
        if a.is_true() || b.is_false() {
            return false;
        }
        if let Some(r) = self.cached(Op::Implies, a, b) {
            return r.is_true();
        }
        let v = self.var_of(a).min(self.var_of(b));
        let (a0, a1) = self.cofactors(a, v);
        let (b0, b1) = self.cofactors(b, v);
        let r = self.implies(a0, b0) && self.implies(a1, b1);
        self.remember(Op::Implies, a, b, if r { Bdd::TRUE } else { Bdd::FALSE });
        r
    }

    /// Whether `a` implies `b` once the variables `values` gives a value are set to it (`None`:
    /// the variable stays free), without building any node.
    pub fn implies_given(&self, a: Bdd, b: Bdd, values: &[Option<bool>]) -> bool {
        fn go(
            m: &Manager,
            a: Bdd,
            b: Bdd,
            values: &[Option<bool>],
            memo: &mut std::collections::HashMap<(Bdd, Bdd), bool>,
        ) -> bool {
            if a.is_false() || b.is_true() || a == b {
                return true;
            }
            if a.is_true() && b.is_false() {
                return false;
            }
            if let Some(r) = memo.get(&(a, b)) {
                return *r;
            }
            let v = m.var_of(a).min(m.var_of(b));
            let (a0, a1) = m.cofactors(a, v);
            let (b0, b1) = m.cofactors(b, v);
            let r = match values.get(v as usize).copied().flatten() {
                Some(false) => go(m, a0, b0, values, memo),
                Some(true) => go(m, a1, b1, values, memo),
                None => go(m, a0, b0, values, memo) && go(m, a1, b1, values, memo),
            };
            memo.insert((a, b), r);
            r
        }
        go(self, a, b, values, &mut std::collections::HashMap::new())
    }

    /// Whether no assignment satisfies both `a` and `b`, without building any node.
    pub fn disjoint(&mut self, a: Bdd, b: Bdd) -> bool {
        if a.is_false() || b.is_false() {
            return true;
        }
        if a.is_true() || b.is_true() || a == b {
            return false;
        }
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        if let Some(r) = self.cached(Op::Disjoint, a, b) {
            return r.is_true();
        }
        let v = self.var_of(a).min(self.var_of(b));
        let (a0, a1) = self.cofactors(a, v);
        let (b0, b1) = self.cofactors(b, v);
        let r = self.disjoint(a0, b0) && self.disjoint(a1, b1);
        self.remember(Op::Disjoint, a, b, if r { Bdd::TRUE } else { Bdd::FALSE });
        r
    }

    /// Whether some assignment satisfies both.
    pub fn intersects(&mut self, a: Bdd, b: Bdd) -> bool {
        !self.disjoint(a, b)
    }

    /// The least satisfying assignment of `f` in the order of the variables (variable 0 the
    /// most significant, `false` before `true`): one path to the `TRUE` leaf, every variable the
    /// path does not test set to false. `None` when `f` is `FALSE`.
    pub fn pick_min(&self, f: Bdd, vars: u32) -> Option<Vec<bool>> {
        if f.is_false() {
            return None;
        }
        let mut out = vec![false; vars as usize];
        let mut at = f;
        while !at.is_true() {
            let n = self.node(at);
            // A reduced diagram has no dead node: any child but FALSE leads to TRUE.
            if n.lo.is_false() {
                if let Some(slot) = out.get_mut(n.var as usize) {
                    *slot = true;
                }
                at = n.hi;
            } else {
                at = n.lo;
            }
        }
        Some(out)
    }

    /// The value of `f` for one assignment of every variable (missing ones are false).
    pub fn eval(&self, f: Bdd, assignment: &[bool]) -> bool {
        let mut at = f;
        loop {
            if at.is_false() {
                return false;
            }
            if at.is_true() {
                return true;
            }
            let n = self.node(at);
            at = if assignment.get(n.var as usize).copied().unwrap_or(false) { n.hi } else { n.lo };
        }
    }

    /// The function that is true exactly for the values of the binary number `vars` (most
    /// significant first) in `set`: `set[i]` for the number `i`; numbers past the end are false.
    pub fn number_in(&mut self, vars: &[u32], set: &[bool]) -> Result {
        self.number_in_from(vars, set, 0, 0)
    }

    fn number_in_from(&mut self, vars: &[u32], set: &[bool], level: usize, prefix: usize) -> Result {
        let width = vars.len() - level;
        let low = prefix << width;
        if low >= set.len() {
            return Ok(Bdd::FALSE);
        }
        let high = (low + (1 << width)).min(set.len());
        let slice = &set[low..high];
        if slice.iter().all(|b| !b) {
            return Ok(Bdd::FALSE);
        }
        if high - low == 1 << width && slice.iter().all(|b| *b) {
            return Ok(Bdd::TRUE);
        }
        let lo = self.number_in_from(vars, set, level + 1, prefix * 2)?;
        let hi = self.number_in_from(vars, set, level + 1, prefix * 2 + 1)?;
        self.mk(vars[level], lo, hi)
    }

    /// The function that is true exactly when the binary number `vars` (most significant first)
    /// is at least `k`: as many nodes as bits, whatever `k`.
    pub fn number_at_least(&mut self, vars: &[u32], k: usize) -> Result {
        if k == 0 {
            return Ok(Bdd::TRUE);
        }
        if vars.len() < usize::BITS as usize && k >> vars.len() != 0 {
            return Ok(Bdd::FALSE);
        }
        let mut f = Bdd::TRUE;
        for (level, v) in vars.iter().enumerate().rev() {
            let bit = (k >> (vars.len() - 1 - level)) & 1 == 1;
            f = if bit { self.mk(*v, Bdd::FALSE, f)? } else { self.mk(*v, f, Bdd::TRUE)? };
        }
        Ok(f)
    }

    /// The binary number `vars` is in `lo..hi`.
    pub fn number_between(&mut self, vars: &[u32], lo: usize, hi: usize) -> Result {
        if hi <= lo {
            return Ok(Bdd::FALSE);
        }
        let from = self.number_at_least(vars, lo)?;
        let past = self.number_at_least(vars, hi)?;
        self.and_not(from, past)
    }

    /// How many assignments of `vars` variables satisfy `f` (saturating), for tests and figures.
    pub fn count(&self, f: Bdd, vars: u32) -> u128 {
        fn go(m: &Manager, f: Bdd, vars: u32, memo: &mut std::collections::HashMap<Bdd, u128>) -> u128 {
            // Assignments of the variables from `f`'s top variable down.
            if f.is_false() {
                return 0;
            }
            if f.is_true() {
                return 1;
            }
            if let Some(c) = memo.get(&f) {
                return *c;
            }
            let n = m.node(f);
            let below = |g: Bdd| if g.is_false() || g.is_true() { vars } else { m.var_of(g) };
            let lo = go(m, n.lo, vars, memo).saturating_mul(1u128 << (below(n.lo) - n.var - 1).min(127));
            let hi = go(m, n.hi, vars, memo).saturating_mul(1u128 << (below(n.hi) - n.var - 1).min(127));
            let c = lo.saturating_add(hi);
            memo.insert(f, c);
            c
        }
        let mut memo = std::collections::HashMap::new();
        let top = if f.is_false() || f.is_true() { vars } else { self.var_of(f) };
        go(self, f, vars, &mut memo).saturating_mul(1u128 << top.min(127))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every assignment of `n` variables.
    fn all(n: u32) -> impl Iterator<Item = Vec<bool>> {
        (0..1u32 << n).map(move |bits| (0..n).map(|i| bits >> (n - 1 - i) & 1 == 1).collect())
    }

    #[test]
    fn equal_functions_are_the_same_node() {
        let mut m = Manager::new(1000);
        let (x, y) = (m.var(0).unwrap(), m.var(1).unwrap());
        let a = m.and(x, y).unwrap();
        let nx = m.not(x).unwrap();
        let ny = m.not(y).unwrap();
        let o = m.or(nx, ny).unwrap();
        let b = m.not(o).unwrap();
        assert_eq!(a, b, "de Morgan gives the same node");
        let t = m.or(x, nx).unwrap();
        assert!(t.is_true());
    }

    #[test]
    fn operations_agree_with_truth_tables() {
        let mut m = Manager::new(10_000);
        let v: Vec<Bdd> = (0..4).map(|i| m.var(i).unwrap()).collect();
        let x01 = m.xor(v[0], v[1]).unwrap();
        let a23 = m.and(v[2], v[3]).unwrap();
        let f = m.or(x01, a23).unwrap();
        let cube = m.cube(&[1, 3]).unwrap();
        let e = m.exists(f, cube).unwrap();
        let fa = m.forall(f, cube).unwrap();
        let lits = m.literals(&[(0, true), (2, false)]).unwrap();
        let r = m.restrict(f, lits).unwrap();
        for a in all(4) {
            let want = (a[0] ^ a[1]) || (a[2] && a[3]);
            assert_eq!(m.eval(f, &a), want, "{a:?}");
            let with = |x1: bool, x3: bool| {
                let mut b = a.clone();
                b[1] = x1;
                b[3] = x3;
                (b[0] ^ b[1]) || (b[2] && b[3])
            };
            let any = [false, true].iter().any(|&p| [false, true].iter().any(|&q| with(p, q)));
            let every = [false, true].iter().all(|&p| [false, true].iter().all(|&q| with(p, q)));
            assert_eq!(m.eval(e, &a), any, "exists {a:?}");
            assert_eq!(m.eval(fa, &a), every, "forall {a:?}");
            let mut b = a.clone();
            b[0] = true;
            b[2] = false;
            assert_eq!(m.eval(r, &a), m.eval(f, &b), "restrict {a:?}");
        }
    }

    #[test]
    fn inclusion_and_disjointness_are_decided_without_building() {
        let mut m = Manager::new(1000);
        let (x, y) = (m.var(0).unwrap(), m.var(1).unwrap());
        let xy = m.and(x, y).unwrap();
        let nx = m.not(x).unwrap();
        let before = m.len();
        assert!(m.implies(xy, x));
        assert!(!m.implies(x, xy));
        assert!(m.disjoint(xy, nx));
        assert!(m.intersects(x, y));
        assert_eq!(m.len(), before);
    }

    #[test]
    fn inclusion_can_be_asked_with_some_variables_set() {
        let mut m = Manager::new(1000);
        let (x, y, z) = (m.var(0).unwrap(), m.var(1).unwrap(), m.var(2).unwrap());
        let xy = m.and(x, y).unwrap();
        let f = m.or(xy, z).unwrap();
        let before = m.len();
        // With x and y true, f holds whatever z is; with x false it does not.
        assert!(m.implies_given(Bdd::TRUE, f, &[Some(true), Some(true), None]));
        assert!(!m.implies_given(Bdd::TRUE, f, &[Some(false), None, None]));
        assert!(m.implies_given(z, f, &[Some(false), None, None]));
        assert!(!m.implies_given(y, f, &[Some(false), None, None]));
        assert_eq!(m.len(), before);
    }

    #[test]
    fn compacting_keeps_what_is_kept_and_drops_the_rest() {
        let mut m = Manager::new(10_000);
        let v: Vec<Bdd> = (0..6).map(|i| m.var(i).unwrap()).collect();
        let mut keep = m.xor(v[0], v[3]).unwrap();
        let mut also = m.and(v[1], v[5]).unwrap();
        let mut garbage = Bdd::TRUE;
        for i in 0..5 {
            let x = m.xor(v[i], v[i + 1]).unwrap();
            garbage = m.and(garbage, x).unwrap();
        }
        let before: Vec<(bool, bool)> = all(6).map(|a| (m.eval(keep, &a), m.eval(also, &a))).collect();
        let size = m.len();
        m.compact(&mut [&mut keep, &mut also]);
        assert!(m.len() < size, "{} then {}", size, m.len());
        let after: Vec<(bool, bool)> = all(6).map(|a| (m.eval(keep, &a), m.eval(also, &a))).collect();
        assert_eq!(before, after);
        // Still hash-consed: building the same function again gives the same node.
        let x0 = m.var(0).unwrap();
        let x3 = m.var(3).unwrap();
        assert_eq!(m.xor(x0, x3).unwrap(), keep);
    }

    #[test]
    fn the_least_path_is_the_least_assignment() {
        let mut m = Manager::new(1000);
        let set = [false, false, true, false, true, true];
        let f = m.number_in(&[0, 1, 2], &set).unwrap();
        for a in all(3) {
            let n = a.iter().fold(0usize, |n, b| n * 2 + usize::from(*b));
            assert_eq!(m.eval(f, &a), set.get(n).copied().unwrap_or(false), "{n}");
        }
        assert_eq!(m.pick_min(f, 3), Some(vec![false, true, false]), "2 is the least member");
        assert_eq!(m.pick_min(Bdd::FALSE, 3), None);
        assert_eq!(m.count(f, 3), 3);
    }

    #[test]
    fn ranges_of_numbers_agree_with_their_truth_tables() {
        let mut m = Manager::new(10_000);
        for lo in 0..10 {
            for hi in 0..10 {
                let f = m.number_between(&[0, 1, 2], lo, hi).unwrap();
                let set: Vec<bool> = (0..8).map(|n| lo <= n && n < hi).collect();
                assert_eq!(f, m.number_in(&[0, 1, 2], &set).unwrap(), "{lo}..{hi}");
            }
        }
    }

    #[test]
    fn the_budget_is_a_result_not_a_crash() {
        // x0 = x8 and x1 = x9 and ...: exponential in this variable order.
        let mut m = Manager::new(200);
        let mut f = Bdd::TRUE;
        let mut hit = None;
        for i in 0..8 {
            let step = (|| {
                let a = m.var(i)?;
                let b = m.var(i + 8)?;
                let x = m.xor(a, b)?;
                let eq = m.not(x)?;
                m.and(f, eq)
            })();
            match step {
                Ok(g) => f = g,
                Err(e) => {
                    hit = Some(e);
                    break;
                }
            }
        }
        assert_eq!(hit, Some(TooLarge { limit: 200 }));
        assert!(m.len() <= 200);
    }
}
