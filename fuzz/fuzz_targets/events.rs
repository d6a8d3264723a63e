//! Arbitrary bytes as the dates of events, read as an events file (`--events`) and as a plan
//! document's `events` key, for rules that declare events: they load or give located errors,
//! never a panic; rules dated by them evaluate alike compiled and interpreted.
#![no_main]

use clausecheck::diagnostic::{self, RenderOptions};
use clausecheck::source::{SourceFile, Sources};
use clausecheck::EventsInput;
use libfuzzer_sys::fuzz_target;

const RULES: &str = include_str!("../../tests/fixtures/rules/ok/events.terms");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for as_plan in [false, true] {
        let mut sources = Sources::new();
        sources.add(SourceFile::new("events.terms", RULES));
        let id = sources.add(SourceFile::new("events.yaml", text.as_ref()));
        let input = if as_plan { EventsInput::Plan(id) } else { EventsInput::File(id) };
        match clausecheck::load_rules_with(&sources, &[input]) {
            Ok(rules) => clausecheck_fuzz::agree_on_space(&rules, 1 << 12),
            Err(errors) => {
                assert!(!errors.is_empty(), "a failure comes with an error");
                let shown = diagnostic::render(&diagnostic::cap(&errors), &sources, RenderOptions::default());
                assert!(!shown.contains('\u{1b}'), "no raw escape without colour");
            }
        }
    }
});
