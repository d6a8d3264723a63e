//! What the fuzz targets share: the bundled rules, embedded, and one plan checked every way the
//! CLI can check it, with the invariants every run must keep asserted on the way.

use std::sync::OnceLock;

use clausecheck::check::run::{run, Finished, PlanInput, Source};
use clausecheck::check::spool::Spool;
use clausecheck::check::{CheckOptions, Checker, PlanInfo};
use clausecheck::model::RuleSet;
use clausecheck::plan::PlanFormat;
use clausecheck::report::{self, Format, RuleTexts, Style};
use clausecheck::source::{SourceFile, Sources};

const BUNDLED: [(&str, &str); 3] = [
    ("rules/msft_openai_2019.terms", include_str!("../../rules/msft_openai_2019.terms")),
    ("rules/msft_openai_2026.terms", include_str!("../../rules/msft_openai_2026.terms")),
    ("rules/vocabulary.terms", include_str!("../../rules/vocabulary.terms")),
];

pub struct Bundled {
    pub sources: Sources,
    pub rules: RuleSet,
}

/// The bundled rule set, loaded once per process.
pub fn bundled() -> &'static Bundled {
    static BUNDLED_RULES: OnceLock<Bundled> = OnceLock::new();
    BUNDLED_RULES.get_or_init(|| {
        let mut sources = Sources::new();
        for (name, text) in BUNDLED {
            sources.add(SourceFile::new(name, text));
        }
        let rules = clausecheck::load_rules(&sources).expect("the bundled rules load");
        Bundled { sources, rules }
    })
}

/// Whether the summary counts every record exactly once.
fn adds_up(f: &Finished) -> bool {
    let s = f.summary;
    s.allowed + s.violated + s.errors == s.deployments
}

/// Checks `bytes` as a plan in `format` against the bundled rules: as text through
/// `check_texts` (the JSON report), and, for the formats read a record at a time, as raw bytes
/// through the streaming run (the NDJSON and text reports at once).
pub fn check_plan(bytes: &[u8], format: PlanFormat) {
    let b = bundled();
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    let finished = clausecheck::check_texts(
        &b.rules,
        &b.sources,
        &[("plan", &text, format)],
        Format::Json,
        CheckOptions::default(),
        &mut out,
    )
    .expect("writing to memory works");
    assert!(adds_up(&finished), "the summary does not add up: {:?}", finished.summary);
    let report: serde_json::Value = serde_json::from_slice(&out).expect("the JSON report parses");
    let s = &finished.summary;
    assert_eq!(report["summary"]["deployments"], s.deployments, "{report}");
    assert_eq!(report["summary"]["errors"], s.errors, "{report}");
    let shown = report["deployments"].as_array().expect("a list of deployments").len();
    assert_eq!(shown, s.allowed + s.violated, "every checked deployment is listed once");
    let errors = report["errors"].as_array().expect("a list of errors");
    // A record's errors are listed together, one entry per problem, records in input order.
    let mut positions: Vec<u64> = errors.iter().filter_map(|e| e["position"].as_u64()).collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]), "errors in input order: {report}");
    positions.dedup();
    assert_eq!(positions.len(), s.errors, "every record in error is listed: {report}");

    if matches!(format, PlanFormat::Ndjson | PlanFormat::Csv) {
        stream(bytes, format, finished);
    }
}

/// The streaming path over raw bytes, as the CLI reads a file: NDJSON and text reports at once.
fn stream(bytes: &[u8], format: PlanFormat, lossy: Finished) {
    let b = bundled();
    let checker = Checker::new(&b.rules, CheckOptions::default());
    let texts = RuleTexts::new(&b.rules, &b.sources);
    let mut ndjson = Vec::new();
    let mut text = Vec::new();
    let (failed_plans, refused_whole) = {
        let mut outputs = [
            report::output(Format::Ndjson, &texts, Style::default(), Box::new(&mut ndjson)),
            report::output(Format::Text, &texts, Style::default(), Box::new(&mut text)),
        ];
        let inputs = vec![PlanInput {
            info: PlanInfo { name: "plan".into(), seq: 0 },
            source: Ok(Source { format, input: Box::new(bytes) }),
        }];
        let mut spool = Spool::in_memory();
        let finished =
            run(&checker, inputs, &mut spool, &mut outputs, 1, &mut |_| {}).expect("writing to memory works");
        assert!(adds_up(&finished), "the streamed summary does not add up: {:?}", finished.summary);
        let refused_whole = if std::str::from_utf8(bytes).is_ok() {
            assert_eq!(finished.summary, lossy.summary, "text and bytes are checked alike");
            false
        } else if format == PlanFormat::Csv
            && finished.failed_plans == 1
            && finished.summary.deployments == 0
            && lossy.summary.deployments != 0
        {
            // A CSV header that is not UTF-8 names no column: the plan is refused as a whole
            // (checked below, from what the report says), where the text read lossily has rows.
            // (A header refused either way, say one that is no header at all, is the branch below.)
            true
        } else {
            assert_eq!(finished.summary.deployments, lossy.summary.deployments, "as many records");
            false
        };
        (finished.failed_plans, refused_whole)
    };
    let text = String::from_utf8(text).expect("the text report is UTF-8");
    assert!(!text.contains('\u{1b}'), "no raw escape without colour");
    // A line per deployment, a line per problem of a record in error (its lines together), a
    // line per plan that could not be read, then the summary: every record once, in input order.
    let mut records: Vec<u64> = Vec::new();
    let mut plan_errors = 0;
    let mut last = serde_json::Value::Null;
    for line in ndjson.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
        last = serde_json::from_slice(line).expect("each NDJSON line is JSON");
        if refused_whole && last["type"] == "error" {
            let message = last["message"].as_str().unwrap_or_default();
            assert!(message.starts_with("the header row is not UTF-8"), "a plan refused whole: {last}");
        }
        match last["position"].as_u64() {
            Some(p) if records.last() == Some(&p) && last["type"] == "error" => {}
            Some(p) => records.push(p),
            None if last["type"] == "error" => plan_errors += 1,
            None => {}
        }
    }
    assert_eq!(last["type"], "summary", "the last NDJSON line is the summary");
    let deployments = last["summary"]["deployments"].as_u64().expect("a count");
    assert_eq!(records, (1..=deployments).collect::<Vec<_>>(), "every record once, in input order");
    assert_eq!(plan_errors, failed_plans, "a line per plan that could not be read");
}

/// Compares the compiled program with the reference interpreter on every point of the rule
/// set's analysis space (one date in each interval it tells apart, the day before each boundary,
/// and one before them all), as `tests/differential.rs` does for the repository's rule sets.
/// Skipped when the space has more than `limit` points.
pub fn agree_on_space(rules: &RuleSet, limit: u128) {
    use clausecheck::analysis::{boundaries, Space};
    use clausecheck::eval::{Evaluator, Launches, Outcome, Program};
    let mut dates = vec![chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date")];
    for b in boundaries(rules) {
        dates.push(b);
        dates.extend(b.pred_opt());
    }
    dates.sort_unstable();
    dates.dedup();
    let space = Space::new(rules, dates);
    if space.size() > limit {
        return;
    }
    let reference = Evaluator::new(rules);
    let program = Program::new(rules);
    let mut outcome = Outcome::default();
    for p in space.points() {
        let launches = Launches::Assumed(&p.launches);
        program.check(&p.deployment, launches, &mut outcome);
        assert_eq!(
            outcome.to_deployment_outcome(rules),
            reference.evaluate_with(&p.deployment, launches),
            "the program differs from the interpreter on {p:?}"
        );
    }
}
