//! Arbitrary bytes as a JSON plan, checked against the bundled rules: never a panic, every record
//! counted once, the reports well-formed.
#![no_main]

use clausecheck::plan::PlanFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clausecheck_fuzz::check_plan(data, PlanFormat::Json));
