//! Arbitrary bytes as an analyst's case file: read, or refused with a problem, never a panic; each
//! case read is run against the bundled rules.
#![no_main]

use clausecheck::testing::{read_cases, run_case};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(file) = read_cases(&text) {
        let b = clausecheck_fuzz::bundled();
        for case in file.cases.iter().take(16) {
            let _ = run_case(&b.rules, &b.sources, case);
        }
    }
});
