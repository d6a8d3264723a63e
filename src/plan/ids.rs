//! Duplicate record ids: every record's id must be unused by the records before it in its plan.
//!
//! Two ways, one answer. [`Exact`] keeps every id, for plans held in memory. [`Finder`] serves
//! plans of any size read twice in order (from the spool `check` writes): the first scan keeps a
//! 16-bit fingerprint per id in a table sized to the plan (2.3 bytes a record: 23 MB for ten
//! million), the slot adding some twenty more bits of the hash, and notes the fingerprints met
//! again; the second scan keeps the ids themselves, exactly, only for those suspects (a few
//! hundred in ten million). A record is a duplicate only if its very id was used before, so the answer
//! is exact whatever the fingerprints collide on; collisions only cost memory for the suspects.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// For sets of values that are hashes already: they are used as they are.
#[derive(Default)]
struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type HashSetOfHashes = HashSet<u64, BuildHasherDefault<AlreadyHashed>>;

use super::Record;

/// Every id seen so far, and the position that first used it.
#[derive(Debug, Default)]
pub struct Exact {
    first: HashMap<String, usize>,
}

impl Exact {
    /// Marks `record` a duplicate if an earlier record had its id; otherwise notes its id.
    pub fn check(&mut self, record: &mut Record) {
        match self.first.get(record.id()) {
            Some(&first) => record.mark_duplicate(first),
            None => {
                self.first.insert(record.id().to_owned(), record.position());
            }
        }
    }
}

/// A 64-bit hash of an id (FNV-1a, then a final mix so both halves are well spread).
pub fn hash(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in id.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Finds duplicate ids over two scans of a plan's ids, in order (see the module documentation).
#[derive(Debug)]
pub struct Finder {
    table: Vec<u16>,
    /// Hashes of ids whose fingerprint was met more than once.
    suspects: HashSetOfHashes,
    /// After the second scan: each suspect id and the position that first used it.
    exact: HashMap<String, usize>,
    scanned: bool,
}

impl Finder {
    /// A finder for a plan of `records` records.
    pub fn new(records: usize) -> Finder {
        let capacity = records + records / 7 + 1;
        Finder {
            table: vec![0; capacity],
            suspects: HashSetOfHashes::default(),
            exact: HashMap::new(),
            scanned: false,
        }
    }

    /// The first scan: each id in order.
    pub fn first_scan(&mut self, id: &str) {
        self.insert(hash(id));
    }

    /// The first scan, a batch of ids' hashes at a time: the table slots are all read first, so
    /// the memory loads (a cache miss each, in a large plan) overlap instead of waiting in turn.
    pub fn first_scan_hashes(&mut self, hashes: &[u64]) {
        let n = self.table.len() as u64;
        let mut warm = 0u16;
        for h in hashes {
            warm ^= self.table[(((h >> 32) * n) >> 32) as usize];
        }
        // Keeps the loads above from being optimised away; the value itself is of no use.
        std::hint::black_box(warm);
        for h in hashes {
            self.insert(*h);
        }
    }

    fn insert(&mut self, h: u64) {
        let fingerprint = (h as u16) | 1;
        let n = self.table.len();
        let mut slot = (((h >> 32) * n as u64) >> 32) as usize;
        loop {
            match self.table[slot] {
                0 => {
                    self.table[slot] = fingerprint;
                    return;
                }
                f if f == fingerprint => {
                    self.suspects.insert(h);
                    return;
                }
                _ => slot = if slot + 1 == n { 0 } else { slot + 1 },
            }
        }
    }

    /// Whether a second scan is needed: some fingerprint was met twice.
    pub fn needs_second_scan(&self) -> bool {
        !self.suspects.is_empty()
    }

    /// Ends the first scan and frees its table.
    pub fn end_first_scan(&mut self) {
        self.table = Vec::new();
    }

    /// The second scan: each id in order with its position, building the exact map of suspects.
    /// Says at once whether this record is a duplicate (the position that first used its id).
    pub fn second_scan(&mut self, id: &str, position: usize) -> Option<usize> {
        self.scanned = true;
        if !self.suspects.contains(&hash(id)) {
            return None;
        }
        match self.exact.get(id) {
            Some(&first) => Some(first),
            None => {
                self.exact.insert(id.to_owned(), position);
                None
            }
        }
    }

    /// After the scans: the position that first used this record's id, if that is not itself.
    pub fn first_use(&self, id: &str, position: usize) -> Option<usize> {
        if self.suspects.is_empty() {
            return None;
        }
        if !self.suspects.contains(&hash(id)) {
            return None;
        }
        self.exact.get(id).copied().filter(|&first| first != position)
    }

    /// Bytes held now, for the figures in the README.
    pub fn bytes(&self) -> usize {
        self.table.len() * 4
            + self.suspects.len() * 16
            + self.exact.keys().map(|k| k.len() + 40).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_finder_is_exact_whatever_the_fingerprints_do() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("d{}", i % 15_000)).collect();
        let mut f = Finder::new(ids.len());
        ids.iter().for_each(|id| f.first_scan(id));
        assert!(f.needs_second_scan());
        f.end_first_scan();
        ids.iter().enumerate().for_each(|(i, id)| {
            f.second_scan(id, i + 1);
        });
        for (i, id) in ids.iter().enumerate() {
            let want = (i >= 15_000).then(|| i - 15_000 + 1);
            assert_eq!(f.first_use(id, i + 1), want, "{id} at {}", i + 1);
        }
    }

    #[test]
    fn unique_ids_need_no_second_scan_with_any_luck() {
        let mut f = Finder::new(1000);
        (0..1000).for_each(|i| f.first_scan(&format!("x{i}")));
        assert!(!f.needs_second_scan());
        assert_eq!(f.first_use("x1", 2), None);
    }
}
