//! `clausecheck timeline`: snapshots of every format for the bundled rules and the fixtures with
//! supersession, ends and assumptions; the SVG well-formed, deterministic and with its tooltips;
//! a plan's deployments marked on the clauses that decided them; bad input is exit 2.

mod common;
use common::bin::{clausecheck, code, relative, stdout, transcript};

use std::path::Path;

const DATES: &str = "tests/fixtures/rules/ok/dates.terms";
const PAYMENTS: &str = "tests/fixtures/rules/ok/payments.terms";
const WORKED: &str = "examples/worked-examples.yaml";

fn timeline(args: &[&str]) -> String {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    let out = clausecheck(&all);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    stdout(&out)
}

/// The fixture rule sets that load, sorted by path.
fn fixtures() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("tests/fixtures/rules/ok")
        .expect("run from the crate root")
        .map(|e| relative(&e.expect("readable").path()))
        .filter(|p| p.ends_with(".terms"))
        .collect();
    out.sort();
    out
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_str(&timeline(&all)).expect("the timeline is JSON")
}

// ---------------------------------------------------------------------------------------------
// Snapshots

#[test]
fn bundled_timeline_as_text() {
    insta::assert_snapshot!(timeline(&["--color", "never"]));
}

#[test]
fn bundled_timeline_as_svg() {
    insta::assert_snapshot!(timeline(&["--format", "svg"]));
}

#[test]
fn bundled_timeline_as_json() {
    insta::assert_snapshot!(timeline(&["--format", "json"]));
}

#[test]
fn supersession_ends_and_assumed_dates_in_every_format() {
    insta::assert_snapshot!("dates_text", timeline(&["--rules", DATES, "--color", "never"]));
    insta::assert_snapshot!("dates_svg", timeline(&["--rules", DATES, "--format", "svg"]));
    insta::assert_snapshot!("dates_json", timeline(&["--rules", DATES, "--format", "json"]));
}

#[test]
fn payment_windows_in_every_format() {
    insta::assert_snapshot!("payments_text", timeline(&["--rules", PAYMENTS, "--color", "never"]));
    insta::assert_snapshot!("payments_svg", timeline(&["--rules", PAYMENTS, "--format", "svg"]));
    insta::assert_snapshot!("payments_json", timeline(&["--rules", PAYMENTS, "--format", "json"]));
}

#[test]
fn worked_examples_marked_as_text() {
    insta::assert_snapshot!(timeline(&["--plan", WORKED, "--color", "never"]));
}

// ---------------------------------------------------------------------------------------------
// The SVG

#[test]
fn the_svg_of_every_rule_set_is_well_formed_and_deterministic() {
    let mut sets = vec!["rules".to_owned()];
    sets.extend(fixtures());
    for rules in &sets {
        let first = timeline(&["--rules", rules, "--format", "svg"]);
        let second = timeline(&["--rules", rules, "--format", "svg"]);
        assert_eq!(first, second, "{rules}: two runs give the same bytes");
        if let Err(e) = well_formed(&first) {
            panic!("{rules}: the SVG is not well-formed XML: {e}\n{first}");
        }
        assert!(first.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{rules}");
        assert!(first.contains(" role=\"img\" aria-label=\""), "{rules}: accessible");
        assert!(!first.contains("<script"), "{rules}: no script");
    }
    let marked = timeline(&["--plan", WORKED, "--format", "svg"]);
    well_formed(&marked).expect("the SVG with markers is well-formed");
}

#[test]
fn an_assumed_date_is_hatched_with_its_assumption_as_tooltip() {
    let svg = timeline(&["--format", "svg"]);
    let tip = "<title>assumed effective 2019-07-22: the first investment, as reported; the source names no date</title>";
    assert!(svg.contains(&format!("<g>{tip}<rect ")), "a hatched zone carries the tooltip");
    assert!(svg.contains("class=\"zone\""));
    assert!(svg.contains("class=\"assumed\">"), "a dashed line at the assumed date");
    let dates = timeline(&["--rules", DATES, "--format", "svg"]);
    assert!(
        dates.contains("<title>assumed licence_end = 2032-12-31: through 2032 read as through the last day of 2032</title>"),
        "a window bound from an assumed parameter is hatched too"
    );
}

#[test]
fn the_readme_picture_is_what_the_command_draws() {
    let svg = timeline(&["--format", "svg"]);
    let committed = std::fs::read_to_string("docs/timeline.svg").expect("docs/timeline.svg is committed");
    assert!(
        committed == svg,
        "docs/timeline.svg is out of date: run `cargo run -- timeline --format svg --output docs/timeline.svg`"
    );
}

/// A small check of XML well-formedness, enough for what the renderer writes: every tag closed in
/// order, attributes quoted, no stray `<` or `&` in text or attributes, one root element.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        text(&rest[..i])?;
        rest = &rest[i + 1..];
        let end = rest.find('>').ok_or("a tag is not closed by `>`")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(top) if top == name => {}
                other => return Err(format!("`</{name}>` closes {other:?}")),
            }
            continue;
        }
        let empty = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
        let name = &tag[..name_end];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':') {
            return Err(format!("bad tag name `{name}`"));
        }
        attributes(&tag[name_end..])?;
        if open.is_empty() {
            roots += 1;
        }
        if !empty {
            open.push(name);
        }
    }
    text(rest)?;
    if !open.is_empty() {
        return Err(format!("unclosed: {open:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(())
}

fn attributes(mut s: &str) -> Result<(), String> {
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(());
        }
        let eq = s.find('=').ok_or_else(|| format!("attribute without a value: `{s}`"))?;
        let name = &s[..eq];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':') {
            return Err(format!("bad attribute name `{name}`"));
        }
        let value = s[eq + 1..].strip_prefix('"').ok_or_else(|| format!("`{name}` is not quoted"))?;
        let close = value.find('"').ok_or_else(|| format!("`{name}` is not closed"))?;
        text(&value[..close])?;
        s = &value[close + 1..];
    }
}

/// Character data: no `<`, every `&` an entity, no control character XML cannot hold.
fn text(s: &str) -> Result<(), String> {
    if s.contains('<') {
        return Err(format!("`<` in text: `{s}`"));
    }
    for (i, _) in s.match_indices('&') {
        let entity = &s[i..];
        let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"];
        if !known.iter().any(|k| entity.starts_with(k)) {
            return Err(format!("a bare `&` in `{s}`"));
        }
    }
    if let Some(c) = s.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return Err(format!("control character {c:?} in text"));
    }
    Ok(())
}

#[test]
fn the_xml_check_catches_what_it_should() {
    assert!(well_formed("<svg><g></g></svg>").is_ok());
    assert!(well_formed("<svg><g></svg>").is_err());
    assert!(well_formed("<svg a=b/>").is_err());
    assert!(well_formed("<svg>a & b</svg>").is_err());
    assert!(well_formed("<svg/><svg/>").is_err());
    assert!(well_formed("<svg><title>x &lt; y</title></svg>").is_ok());
}

// ---------------------------------------------------------------------------------------------
// What the timeline says

#[test]
fn periods_come_from_the_language_and_supersession_and_ends_are_named() {
    let t = json(&["--rules", DATES]);
    let v1 = &t["agreements"][0];
    assert_eq!(v1["id"], "licence_v1");
    assert_eq!(v1["effective"]["date"], "2019-07-22");
    assert_eq!(v1["effective"]["assumed"]["why"], "the first investment, as reported");
    assert_eq!(
        v1["end"],
        serde_json::json!({ "kind": "superseded", "through": "2026-04-26", "by": "licence_v2", "from": "2026-04-27" })
    );
    let v2 = &t["agreements"][1];
    assert_eq!(v2["end"]["kind"], "ends");
    assert_eq!(v2["end"]["through"]["date"], "2034-12-31");
    assert_eq!(v2["supersedes"], serde_json::json!(["licence_v1"]));
    // `date from 2027 and date through 2027-12`: one window, the two tests together.
    let no_aws =
        &v2["clauses"].as_array().unwrap().iter().find(|c| c["id"] == "no_aws_2027").unwrap()["windows"][0];
    assert_eq!(no_aws["from"]["date"], "2027-01-01");
    assert_eq!(no_aws["through"]["date"], "2027-12-31");
}

#[test]
fn every_period_is_the_one_eval_computes() {
    use clausecheck::source::{SourceFile, Sources};
    let mut sets: Vec<Sources> = vec![common::bundled()];
    for path in fixtures() {
        let mut sources = Sources::new();
        let text = std::fs::read_to_string(&path).unwrap();
        sources.add(SourceFile::new(path, text));
        sets.push(sources);
    }
    for sources in &sets {
        let rules = clausecheck::load_rules(sources).expect("the rules load");
        let t = clausecheck::timeline::build(&rules, sources, None, Default::default());
        for (a, line) in rules.agreements.iter().zip(&t.agreements) {
            let period = clausecheck::eval::period(&rules, a);
            assert_eq!((line.effective.date, line.through()), (period.from, period.through), "{}", a.id);
            assert_eq!(line.clauses.len(), a.clauses.len(), "every clause has a row");
        }
    }
}

#[test]
fn the_bundled_licence_is_permitted_through_2032_and_forbidden_after() {
    let t = json(&[]);
    let restructured = &t["agreements"][1];
    let licence = &restructured["clauses"][0];
    assert_eq!(licence["id"], "nonexclusive_licence");
    let windows: Vec<(&str, &serde_json::Value, &serde_json::Value)> = licence["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["kind"].as_str().unwrap(), &w["from"], &w["through"]))
        .collect();
    assert_eq!(
        windows,
        [
            (
                "permit",
                &serde_json::Value::Null,
                &serde_json::json!({ "date": "2032-12-31", "assumed": null })
            ),
            (
                "forbid",
                &serde_json::json!({ "date": "2033-01-01", "assumed": null }),
                &serde_json::Value::Null
            ),
        ]
    );
    let primary =
        restructured["clauses"].as_array().unwrap().iter().find(|c| c["id"] == "primary_cloud").unwrap();
    assert_eq!(primary["holds"], serde_json::json!(["obligation", "information"]), "listed, not dropped");
    assert_eq!(restructured["end"]["kind"], "open");
}

#[test]
fn plan_markers_sit_on_the_clauses_that_decided_them() {
    let t = json(&["--plan", WORKED]);
    let marks = |agreement: usize, clause: &str| -> Vec<(String, String)> {
        let a = &t["agreements"][agreement];
        let row = if clause == "default" {
            &a["markers"]
        } else {
            &a["clauses"].as_array().unwrap().iter().find(|c| c["id"] == clause).unwrap()["markers"]
        };
        row.as_array()
            .unwrap()
            .iter()
            .map(|m| (m["deployment"].as_str().unwrap().to_owned(), m["status"].as_str().unwrap().to_owned()))
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    };
    assert_eq!(
        marks(0, "default"),
        pairs(&[("api-azure-2024", "allowed")]),
        "no clause applied: the default allowed it"
    );
    assert_eq!(marks(0, "azure_exclusive"), pairs(&[("api-aws-2025", "violated")]));
    assert_eq!(
        marks(1, "azure_first"),
        pairs(&[("frontier-bedrock", "satisfied"), ("chatgpt-gcp", "violated")]),
        "a requirement marks what it satisfied and what it violated"
    );
    assert_eq!(
        marks(1, "nonexclusive_licence"),
        pairs(&[("models-azure-2031", "allowed"), ("models-azure-2033", "violated")])
    );
    assert_eq!(
        marks(1, "any_cloud"),
        pairs(&[
            ("frontier-azure-debut", "allowed"),
            ("frontier-bedrock", "allowed"),
            ("declined-bedrock", "allowed")
        ]),
        "a violated deployment is not marked on the clauses that allowed it"
    );
    assert!(marks(1, "bedrock_integration").contains(&("frontier-bedrock".into(), "allowed".into())));
    assert_eq!(t["unbound"], serde_json::json!([]));

    let svg = timeline(&["--plan", WORKED, "--format", "svg"]);
    assert!(svg.contains("chatgpt-gcp (openai · chatgpt · gcp · 2026-06-01): violated</title><polygon "));
    assert!(svg.contains("class=\"violated\""), "violations drawn in their own colour and shape");
    assert!(svg.contains("api-azure-2024 (openai · api · azure · 2024-03-01): allowed</title></circle>"));
}

#[test]
fn a_deployment_no_agreement_binds_is_kept_apart() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("amazon.yaml");
    std::fs::write(
        &plan,
        "deployments:\n  - {id: aws-only, party: amazon, product: api, cloud: aws, date: 2027-01-01}\n",
    )
    .unwrap();
    let t = json(&["--plan", plan.to_str().unwrap()]);
    assert_eq!(t["unbound"][0]["deployment"], "aws-only");
    let text = timeline(&["--plan", plan.to_str().unwrap(), "--color", "never"]);
    assert!(text.lines().any(|l| l.starts_with("no agreement") && l.contains('✓')), "{text}");
}

#[test]
fn years_can_be_chosen() {
    let t = json(&["--from", "2024", "--to", "2030"]);
    assert_eq!((t["from_year"].as_i64(), t["to_year"].as_i64()), (Some(2024), Some(2030)));
    let only_from = json(&["--from", "2040"]);
    assert_eq!((only_from["from_year"].as_i64(), only_from["to_year"].as_i64()), (Some(2040), Some(2040)));
    let text = timeline(&["--from", "2024", "--to", "2030", "--color", "never"]);
    assert!(text.starts_with("In force 2024–2030"), "{text}");
}

#[test]
fn text_fits_100_columns() {
    let mut cases = vec![vec!["--color", "never"], vec!["--plan", WORKED, "--color", "never"]];
    let fixtures = fixtures();
    for f in &fixtures {
        cases.push(vec!["--rules", f.as_str(), "--color", "never"]);
    }
    cases.push(vec!["--from", "1900", "--to", "2100", "--color", "never"]);
    for args in cases {
        let text = timeline(&args);
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{args:?}: {} columns: {line}", line.chars().count());
        }
        assert!(!text.contains('\u{1b}'), "no colour unless asked for");
    }
}

#[test]
fn colour_only_when_asked() {
    let text = timeline(&["--plan", WORKED, "--color", "always"]);
    assert!(text.contains("\u{1b}[1m\u{1b}[31m✗"), "violations in red");
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn bad_input_is_exit_2_with_a_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["--plan", "examples/broken-plan.yaml"], "records in error; nothing was drawn"),
        (&["--plan", "no-such-plan.yaml"], "there is no plan file `no-such-plan.yaml`"),
        (&["--plan", "README.md"], "cannot tell the format of plan `README.md`"),
        (&["--from", "2030", "--to", "2020"], "`--from 2030` is after `--to 2020`"),
        (&["--rules", "tests/fixtures/rules/err/unknown-value.terms"], "nothing was checked"),
        (
            &["--output", "no-such-folder/timeline.svg", "--format", "svg"],
            "cannot write `no-such-folder/timeline.svg`",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["timeline"];
        all.extend_from_slice(args);
        let out = clausecheck(&all);
        assert_eq!(code(&out), 2, "{args:?}: {}", transcript(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains(message), "{args:?}: {}", transcript(&out));
        assert!(out.stdout.is_empty(), "{args:?}: nothing drawn");
    }
    let out = clausecheck(&["timeline", "--from", "0"]);
    assert_eq!(code(&out), 2, "a year out of range is a usage error");
}

#[test]
fn output_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.svg");
    let out = clausecheck(&["timeline", "--format", "svg", "--output", path.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", transcript(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(Path::new(&path)).unwrap();
    assert_eq!(written, timeline(&["--format", "svg"]));
}

#[test]
fn date_tests_a_bar_cannot_show_are_named_beside_the_window() {
    use clausecheck::source::{SourceFile, Sources};
    let rules = r#"
agreement deal "Deal" {
  effective 2026-01-01
  default   allow
  clause c "C" {
    quote  "q"
    permit when cloud = aws or date after 2030
    forbid when date from 2027 and product = db unless date after 2029
  }
}"#;
    let mut sources = Sources::new();
    sources.add(SourceFile::new("vocab.terms", common::VOCAB));
    sources.add(SourceFile::new("rules.terms", rules));
    let loaded = clausecheck::load_rules(&sources).expect("the rules load");
    let t = clausecheck::timeline::build(&loaded, &sources, None, Default::default());
    let windows = &t.agreements[0].clauses[0].windows;
    assert_eq!((windows[0].from.as_ref(), windows[0].through.as_ref()), (None, None), "an `or` is not drawn");
    assert_eq!(windows[0].other_date_tests, ["date after 2030"]);
    assert_eq!(windows[1].from.as_ref().map(|d| d.date.to_string()), Some("2027-01-01".into()));
    assert_eq!(windows[1].other_date_tests, ["date after 2029"], "nor an `unless`");
}
