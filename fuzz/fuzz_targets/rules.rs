//! Arbitrary bytes as one rule file: it loads or it gives located errors, never a panic; a small
//! rule set that loads is evaluated compiled and interpreted on every point of its space (the two
//! must agree, whatever the language constructs) and linted, and every error is rendered as the
//! CLI renders it.
#![no_main]

use chrono::NaiveDate;
use clausecheck::analysis::lint::{lint, LintOptions};
use clausecheck::diagnostic::{self, RenderOptions};
use clausecheck::source::{SourceFile, Sources};
use libfuzzer_sys::fuzz_target;

/// Rule files up to this size are compared and linted too (both are exact over the space, so they
/// may take a while on large ones).
const LINT_BELOW: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = Sources::new();
    sources.add(SourceFile::new("fuzz.terms", text.as_ref()));
    match clausecheck::load_rules(&sources) {
        Ok(rules) => {
            if data.len() < LINT_BELOW {
                clausecheck_fuzz::agree_on_space(&rules, 1 << 14);
                let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date");
                // A small node limit: a fuzz input must not spend seconds in lint.
                for finding in lint(&rules, LintOptions { today, max_nodes: 1 << 16 }) {
                    let _ =
                        diagnostic::render(&[finding.to_diagnostic()], &sources, RenderOptions::default());
                }
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a failure comes with an error");
            let shown = diagnostic::render(&diagnostic::cap(&errors), &sources, RenderOptions::default());
            assert!(!shown.contains('\u{1b}'), "no raw escape without colour");
        }
    }
});
