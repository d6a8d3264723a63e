//! Arbitrary bytes as a payment ledger, in the format the first byte picks, checked against the
//! bundled rules: read or refused with a reason, never a panic; every entry comes out exactly
//! once, in input order, and the summary adds up.
#![no_main]

use chrono::NaiveDate;
use clausecheck::ledger::{self, EntryRecord};
use clausecheck::plan::PlanFormat;
use libfuzzer_sys::fuzz_target;

const FORMATS: [PlanFormat; 4] = [PlanFormat::Yaml, PlanFormat::Json, PlanFormat::Ndjson, PlanFormat::Csv];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let format = FORMATS[usize::from(pick) % FORMATS.len()];
    let b = clausecheck_fuzz::bundled();
    let Ok(read) = ledger::read_bytes(bytes, format, &b.rules) else { return };
    let positions: Vec<usize> = read.entries.iter().map(EntryRecord::position).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "entries in input order: {positions:?}");
    let today = NaiveDate::from_ymd_opt(2032, 1, 15).expect("a date");
    let report = ledger::check(&b.rules, &read, today);
    let s = &report.summary;
    assert_eq!(s.entries, read.entries.len(), "every entry counted: {s:?}");
    assert_eq!(s.attributed + s.unmatched + s.errors, s.entries, "the summary adds up: {s:?}");
    assert_eq!(s.satisfied + s.violated + s.not_yet_due + s.not_checked, s.terms, "terms add up: {s:?}");
});
