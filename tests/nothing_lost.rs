//! "Nothing lost", as a property: a random plan with random corruption, in every plan format, is
//! checked against the bundled rules with every output format at once (JSON, NDJSON, text, HTML), and
//! in each of them every record appears exactly once — as a verdict or as an error — in input
//! order, and the summary adds up.

mod common;

use clausecheck::check::run::{run, PlanInput, Source};
use clausecheck::check::spool::Spool;
use clausecheck::check::{CheckOptions, Checker, PlanInfo};
use clausecheck::plan::PlanFormat;
use clausecheck::report::{self, Format, RuleTexts, Style};
use clausecheck::source::{SourceFile, Sources};
use proptest::prelude::*;
use serde_json::Value;

/// How a record is spoilt, if it is.
#[derive(Debug, Clone, Copy)]
enum Corruption {
    None,
    /// A value the vocabulary does not declare.
    UnknownValue,
    /// A required field left out.
    MissingField,
    /// A date that does not exist.
    BadDate,
    /// The id of an earlier record.
    DuplicateId,
    /// A field the vocabulary does not declare.
    UnknownField,
    /// A control character in the id.
    ControlInId,
    /// Something the reader of the format cannot read as a record: broken JSON on an NDJSON line,
    /// a row with an extra cell in CSV, a YAML tag, a JSON record that is a list.
    Unreadable,
    /// A byte that is not UTF-8 in a value (NDJSON and CSV, read a record at a time; in YAML and
    /// JSON, documents read whole, it is a value of the wrong type instead).
    NotUtf8,
    /// A list where a value belongs.
    WrongType,
    /// Two problems at once: an unknown value and an impossible date.
    TwoProblems,
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        6 => Just(Corruption::None),
        1 => Just(Corruption::UnknownValue),
        1 => Just(Corruption::MissingField),
        1 => Just(Corruption::BadDate),
        1 => Just(Corruption::DuplicateId),
        1 => Just(Corruption::UnknownField),
        1 => Just(Corruption::ControlInId),
        1 => Just(Corruption::Unreadable),
        1 => Just(Corruption::NotUtf8),
        1 => Just(Corruption::WrongType),
        1 => Just(Corruption::TwoProblems),
    ]
}

#[derive(Debug, Clone)]
struct Spec {
    party: usize,
    product: usize,
    cloud: usize,
    year: u32,
    month: u32,
    corruption: Corruption,
}

fn spec() -> impl Strategy<Value = Spec> {
    (0..2usize, 0..3usize, 0..3usize, 2018..2035u32, 1..13u32, corruption()).prop_map(
        |(party, product, cloud, year, month, corruption)| Spec {
            party,
            product,
            cloud,
            year,
            month,
            corruption,
        },
    )
}

const PARTIES: [&str; 2] = ["openai", "microsoft"];
const PRODUCTS: [&str; 3] = ["chatgpt", "api", "models"];
const CLOUDS: [&str; 3] = ["azure", "aws", "gcp"];
const FIELDS: [&str; 5] = ["id", "party", "product", "cloud", "date"];

/// The record a duplicate id at index `i` copies: the nearest earlier unspoilt one, two records
/// back at least (so no two neighbours share a label in the text report).
fn copied(specs: &[Spec], i: usize) -> Option<usize> {
    (0..i.saturating_sub(1)).rev().find(|&j| matches!(specs[j].corruption, Corruption::None))
}

/// The id of the record at index `i`.
fn id_of(specs: &[Spec], i: usize) -> String {
    match (specs[i].corruption, copied(specs, i)) {
        (Corruption::DuplicateId, Some(j)) => format!("r{j}"),
        (Corruption::ControlInId, _) => format!("r{i}\u{1b}[2J"),
        _ => format!("r{i}"),
    }
}

/// One record as (field, value as written) pairs, the value already in the format's syntax
/// except for CSV, plus whatever the corruption adds.
fn cells(specs: &[Spec], i: usize, format: PlanFormat) -> Vec<(String, Vec<u8>)> {
    let s = &specs[i];
    let quoted = !matches!(format, PlanFormat::Csv);
    let text = |v: &str| -> Vec<u8> {
        if quoted {
            serde_json::to_string(v).unwrap().into_bytes()
        } else {
            v.as_bytes().to_vec()
        }
    };
    let id = id_of(specs, i);
    let mut out = vec![
        ("id".to_owned(), text(&id)),
        ("party".to_owned(), text(PARTIES[s.party])),
        ("product".to_owned(), text(PRODUCTS[s.product])),
        ("cloud".to_owned(), text(CLOUDS[s.cloud])),
        ("date".to_owned(), text(&format!("{}-{:02}-01", s.year, s.month))),
    ];
    match s.corruption {
        Corruption::UnknownValue => out[3].1 = text("azrue"),
        Corruption::MissingField => out[2].1 = if quoted { b"null".to_vec() } else { Vec::new() },
        Corruption::BadDate => out[4].1 = text(&format!("{}-02-30", s.year)),
        Corruption::TwoProblems => {
            out[3].1 = text("azrue");
            out[4].1 = text(&format!("{}-02-30", s.year));
        }
        Corruption::UnknownField if quoted => out.push(("colour".to_owned(), text("blue"))),
        Corruption::UnknownField => out[2].1 = text("teapot"),
        Corruption::NotUtf8 if matches!(format, PlanFormat::Ndjson | PlanFormat::Csv) => {
            out[3].1 = if quoted { b"\"az\xffure\"".to_vec() } else { b"az\xffure".to_vec() }
        }
        Corruption::NotUtf8 | Corruption::WrongType if quoted => out[1].1 = b"[1, 2]".to_vec(),
        Corruption::WrongType => out[1].1 = text("open ai"),
        _ => {}
    }
    out
}

/// The plan in `format`, one record a line.
fn write(specs: &[Spec], format: PlanFormat) -> Vec<u8> {
    let mut out = Vec::new();
    let object = |cells: &[(String, Vec<u8>)], out: &mut Vec<u8>, yaml: bool| {
        out.push(b'{');
        for (k, (name, value)) in cells.iter().enumerate() {
            if k > 0 {
                out.extend_from_slice(b", ");
            }
            if yaml {
                out.extend_from_slice(name.as_bytes());
            } else {
                out.extend_from_slice(serde_json::to_string(name).unwrap().as_bytes());
            }
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
        }
        out.push(b'}');
    };
    match format {
        PlanFormat::Csv => out.extend_from_slice(FIELDS.join(",").as_bytes()),
        PlanFormat::Yaml => out.extend_from_slice(b"deployments:"),
        PlanFormat::Json => out.extend_from_slice(b"{\"deployments\": ["),
        PlanFormat::Ndjson => {}
    }
    for (i, s) in specs.iter().enumerate() {
        let cells = cells(specs, i, format);
        let unreadable = matches!(s.corruption, Corruption::Unreadable);
        match format {
            PlanFormat::Ndjson => {
                if i > 0 {
                    out.push(b'\n');
                }
                object(&cells, &mut out, false);
                if unreadable {
                    out.truncate(out.len() - 3); // a line broken off in the middle
                }
            }
            PlanFormat::Csv => {
                out.push(b'\n');
                let row: Vec<&[u8]> = cells.iter().map(|(_, v)| v.as_slice()).collect();
                out.extend_from_slice(&row.join(&b","[..]));
                if unreadable {
                    out.extend_from_slice(b",extra");
                }
            }
            PlanFormat::Yaml => {
                out.extend_from_slice(b"\n  - ");
                if unreadable {
                    out.extend_from_slice(b"!!map ");
                }
                object(&cells, &mut out, true);
            }
            PlanFormat::Json => {
                out.extend_from_slice(if i > 0 { b",\n  " } else { b"\n  " });
                if unreadable {
                    out.extend_from_slice(b"[");
                }
                object(&cells, &mut out, false);
                if unreadable {
                    out.extend_from_slice(b"]");
                }
            }
        }
    }
    match format {
        PlanFormat::Json => out.extend_from_slice(b"\n]}\n"),
        _ => out.push(b'\n'),
    }
    out
}

struct Bundled {
    sources: Sources,
    rules: clausecheck::model::RuleSet,
}

fn bundled() -> &'static Bundled {
    static RULES: std::sync::OnceLock<Bundled> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut sources = Sources::new();
        for (name, text) in common::bundled_texts() {
            sources.add(SourceFile::new(name, text));
        }
        let rules = clausecheck::load_rules(&sources).expect("the bundled rules load");
        Bundled { sources, rules }
    })
}

/// The JSON, NDJSON, text and HTML reports of one check of `bytes`, and the run's summary.
fn check(
    bytes: &[u8],
    format: PlanFormat,
) -> (Value, Vec<Value>, String, String, clausecheck::check::Summary) {
    let b = bundled();
    let checker = Checker::new(&b.rules, CheckOptions::default());
    let texts = RuleTexts::new(&b.rules, &b.sources);
    let (mut json, mut ndjson, mut text, mut html) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let finished = {
        let mut outputs = [
            report::output(Format::Json, &texts, Style::default(), Box::new(&mut json)),
            report::output(Format::Ndjson, &texts, Style::default(), Box::new(&mut ndjson)),
            report::output(Format::Text, &texts, Style::default(), Box::new(&mut text)),
            report::output(Format::Html, &texts, Style::default(), Box::new(&mut html)),
        ];
        let inputs = vec![PlanInput {
            info: PlanInfo { name: "plan".into(), seq: 0 },
            source: Ok(Source { format, input: Box::new(bytes) }),
        }];
        let mut spool = Spool::in_memory();
        run(&checker, inputs, &mut spool, &mut outputs, 2, &mut |_| {}).expect("writing to memory works")
    };
    assert_eq!(finished.failed_plans, 0, "the plan as a whole is readable");
    let json = serde_json::from_slice(&json).expect("the JSON report parses");
    let ndjson = ndjson
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("each NDJSON line is JSON"))
        .collect();
    let html = String::from_utf8(html).expect("the HTML report is UTF-8");
    (json, ndjson, String::from_utf8(text).expect("the text report is UTF-8"), html, finished.summary)
}

/// Whether the record at index `i` must be an error: spoilt, or its id is an earlier one's.
fn spoilt(specs: &[Spec], i: usize) -> bool {
    match specs[i].corruption {
        Corruption::None | Corruption::ControlInId => false,
        Corruption::DuplicateId => copied(specs, i).is_some(),
        _ => true,
    }
}

/// The property, and that the records in error are exactly the spoilt ones.
fn nothing_lost_of(specs: &[Spec], format: PlanFormat) {
    let bytes = write(specs, format);
    let errors = nothing_lost(&bytes, format, specs.len());
    let want: Vec<u64> = (0..specs.len()).filter(|&i| spoilt(specs, i)).map(|i| i as u64 + 1).collect();
    assert_eq!(errors, want, "{format:?}: the records in error\n{}", String::from_utf8_lossy(&bytes));
}

/// Asserts the property for one plan; `n` is how many records it holds. The positions of the
/// records in error.
fn nothing_lost(bytes: &[u8], format: PlanFormat, n: usize) -> Vec<u64> {
    let (json, ndjson, text, html, summary) = check(bytes, format);
    // The summary adds up, and counts every record.
    assert_eq!(summary.deployments, n, "{format:?}: every record counted");
    assert_eq!(summary.allowed + summary.violated + summary.errors, n, "{format:?}: {summary:?}");

    // JSON: each position once, as a deployment or as the errors of a record, in input order.
    let mut entries: Vec<(u64, String, bool)> = Vec::new(); // (position, label, is an error)
    for d in json["deployments"].as_array().unwrap() {
        entries.push((d["position"].as_u64().unwrap(), d["id"].as_str().unwrap().to_owned(), false));
    }
    let deployments = entries.len();
    let mut problems = std::collections::BTreeMap::<u64, (String, usize)>::new();
    let mut last = 0;
    for e in json["errors"].as_array().unwrap() {
        let position = e["position"].as_u64().expect("a record's error has its position");
        assert!(position >= last, "{format:?}: errors in input order");
        last = position;
        problems.entry(position).or_insert_with(|| (e["record"].as_str().unwrap().to_owned(), 0)).1 += 1;
    }
    assert!(entries.windows(2).all(|w| w[0].0 < w[1].0), "{format:?}: deployments in input order");
    assert_eq!(deployments, summary.allowed + summary.violated);
    assert_eq!(problems.len(), summary.errors, "{format:?}: the errors of each record in error");
    entries.extend(problems.iter().map(|(p, (label, _))| (*p, label.clone(), true)));
    entries.sort();
    let positions: Vec<u64> = entries.iter().map(|e| e.0).collect();
    assert_eq!(positions, (1..=n as u64).collect::<Vec<_>>(), "{format:?}: each record exactly once");
    assert_eq!(json["summary"]["deployments"], n);

    // NDJSON: a line a deployment, a line a problem of a record in error, in input order, then
    // the summary.
    let (summary_line, records) = ndjson.split_last().expect("a summary line");
    assert_eq!(summary_line["type"], "summary");
    assert_eq!(summary_line["summary"]["deployments"], n);
    let lines: Vec<(u64, bool)> =
        records.iter().map(|r| (r["position"].as_u64().unwrap(), r["type"] == "error")).collect();
    let mut want: Vec<(u64, bool)> = Vec::new();
    for (position, _, error) in &entries {
        let times = if *error { problems[position].1 } else { 1 };
        want.extend(std::iter::repeat_n((*position, *error), times));
    }
    assert_eq!(lines, want, "{format:?}: NDJSON, a line a deployment or a problem");

    // Text: a line per deployment, a line per problem of a record in error, in input order.
    let shown: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with('✓') || l.starts_with('✗') || l.starts_with('!'))
        .map(|l| l.split_whitespace().nth(1).unwrap_or_default().to_owned())
        .collect();
    let mut want = Vec::new();
    for (position, label, error) in &entries {
        let label = clausecheck::report::safe(label).into_owned();
        let times = if *error { problems[position].1 } else { 1 };
        want.extend(std::iter::repeat_n(label, times));
    }
    assert_eq!(shown, want, "{format:?}: the text report");
    let tally = format!(
        "summary: {n} deployment{}: {} allowed, {} violated, {} error",
        if n == 1 { "" } else { "s" },
        summary.allowed,
        summary.violated,
        summary.errors
    );
    assert!(text.contains(&tally), "{format:?}: {tally}\n{text}");

    // HTML: the deployments table has a row a record (under its limit), in input order, its id
    // escaped.
    let table = &html[html.find("<tbody id=\"deployment-rows\">").expect("a deployments table")..];
    let table = &table[..table.find("</tbody>").unwrap()];
    let shown: Vec<&str> =
        table.split("<th scope=\"row\">").skip(1).map(|cell| &cell[..cell.find("</th>").unwrap()]).collect();
    let want: Vec<String> =
        entries.iter().map(|(_, label, _)| clausecheck::report::html::escape::escaped(label)).collect();
    assert_eq!(shown, want, "{format:?}: the HTML report's deployments");
    problems.into_keys().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_record_appears_once_in_order_in_every_report(
        specs in prop::collection::vec(spec(), 1..40),
    ) {
        for format in [PlanFormat::Ndjson, PlanFormat::Csv, PlanFormat::Yaml, PlanFormat::Json] {
            nothing_lost_of(&specs, format);
        }
    }
}

#[test]
fn the_property_sees_a_lost_record() {
    // The property's own check: the plan it writes has as many records as it was given, and a
    // count that is one off fails it.
    let specs: Vec<Spec> = (0..5)
        .map(|i| Spec {
            party: 0,
            product: 0,
            cloud: i % 3,
            year: 2026,
            month: 1,
            corruption: Corruption::None,
        })
        .collect();
    for format in [PlanFormat::Ndjson, PlanFormat::Csv, PlanFormat::Yaml, PlanFormat::Json] {
        nothing_lost_of(&specs, format);
        let bytes = write(&specs, format);
        let off_by_one = std::panic::catch_unwind(|| nothing_lost(&bytes, format, 6));
        assert!(off_by_one.is_err(), "{format:?}");
    }
}
