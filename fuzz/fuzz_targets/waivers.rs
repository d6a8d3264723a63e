//! Arbitrary bytes as a waivers file for the bundled rules, and as a baseline (a JSON report):
//! read, or refused with located problems that render without a panic or a raw escape.
#![no_main]

use clausecheck::check::baseline::Baseline;
use clausecheck::diagnostic::{self, RenderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let b = clausecheck_fuzz::bundled();
    if let Err(problems) = clausecheck::waivers::read("waivers.yaml", &text, &b.rules) {
        assert!(!problems.is_empty(), "a failure comes with a problem");
        let shown = diagnostic::render(&diagnostic::cap(&problems), &b.sources, RenderOptions::default());
        assert!(!shown.contains('\u{1b}'), "no raw escape without colour");
    }
    if let Err(problem) = Baseline::read("baseline.json", &text) {
        let shown = diagnostic::render(&[*problem], &b.sources, RenderOptions::default());
        assert!(!shown.contains('\u{1b}'), "no raw escape without colour");
    }
});
