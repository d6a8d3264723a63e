//! Tests of reading plans in every format: the readers, the shared validator and the messages.

use super::*;
use crate::model::{Field, Flag, Vocabulary};
use crate::source::Span;

fn vocab() -> Vocabulary {
    let field = |name: &str, values: &[&str], optional: bool| Field {
        name: name.to_owned(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        optional,
        span: Span::default(),
    };
    Vocabulary {
        fields: vec![
            field("party", &["microsoft", "openai", "amazon"], false),
            field("cloud", &["azure", "aws", "gcp", "oracle"], false),
            field("product", &["chatgpt", "api", "models", "frontier", "stateful_runtime"], false),
            field("channel", &["direct", "bedrock", "foundry", "vertex"], true),
        ],
        flags: vec![Flag { name: "azure_declined".to_owned(), span: Span::default() }],
        classes: Vec::new(),
    }
}

const PARTY: FieldId = FieldId(0);
const CLOUD: FieldId = FieldId(1);
const PRODUCT: FieldId = FieldId(2);
const CHANNEL: FieldId = FieldId(3);
const AZURE_DECLINED: FlagId = FlagId(0);

fn read(format: PlanFormat, text: &str) -> Plan {
    match read_plan(text, format, &vocab()) {
        Ok(plan) => plan,
        Err(e) => panic!("expected a plan, got {e:?}"),
    }
}

fn read_err(format: PlanFormat, text: &str) -> PlanError {
    match read_plan(text, format, &vocab()) {
        Ok(plan) => panic!("expected an error, got {plan:?}"),
        Err(e) => e,
    }
}

fn valid(plan: &Plan, position: usize) -> &Deployment {
    match plan.records.get(position - 1) {
        Some(Record::Valid(d)) => d,
        other => panic!("record #{position} is not valid: {other:?}"),
    }
}

fn invalid(plan: &Plan, position: usize) -> &InvalidRecord {
    match plan.records.get(position - 1) {
        Some(Record::Invalid(r)) => r,
        other => panic!("record #{position} is not invalid: {other:?}"),
    }
}

/// The only problem of an invalid record.
fn only_problem(plan: &Plan, position: usize) -> &RecordProblem {
    let record = invalid(plan, position);
    assert_eq!(record.problems.len(), 1, "{:?}", record.problems);
    &record.problems[0]
}

fn messages(record: &InvalidRecord) -> Vec<&str> {
    record.problems.iter().map(|p| p.message.as_str()).collect()
}

/// Every record appears once, numbered 1..=n in order.
fn assert_positions(plan: &Plan, n: usize) {
    let positions: Vec<usize> = plan
        .records
        .iter()
        .map(|r| match r {
            Record::Valid(d) => d.position,
            Record::Invalid(r) => r.position,
        })
        .collect();
    assert_eq!(positions, (1..=n).collect::<Vec<_>>());
}

fn lines(plan: &Plan) -> Vec<Option<usize>> {
    plan.records
        .iter()
        .map(|r| match r {
            Record::Valid(d) => d.line,
            Record::Invalid(r) => r.line,
        })
        .collect()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// One record in each format, from the same (field, raw text) pairs. `None` leaves a CSV cell empty.
fn one_record_each_format(fields: &[(&str, &str)]) -> Vec<(PlanFormat, Plan)> {
    let yaml_body: String = fields
        .iter()
        .enumerate()
        .map(|(i, (k, v))| format!("{}{k}: {v}\n", if i == 0 { "  - " } else { "    " }))
        .collect();
    let yaml = format!("deployments:\n{yaml_body}");
    let json_obj = format!(
        "{{{}}}",
        fields.iter().map(|(k, v)| format!("\"{k}\": \"{v}\"")).collect::<Vec<_>>().join(", ")
    );
    let json = format!("{{\"deployments\": [{json_obj}]}}");
    let header: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    let row: Vec<&str> = fields.iter().map(|(_, v)| *v).collect();
    let csv = format!("{}\n{}\n", header.join(","), row.join(","));
    vec![
        (PlanFormat::Yaml, read(PlanFormat::Yaml, &yaml)),
        (PlanFormat::Json, read(PlanFormat::Json, &json)),
        (PlanFormat::Ndjson, read(PlanFormat::Ndjson, &json_obj)),
        (PlanFormat::Csv, read(PlanFormat::Csv, &csv)),
    ]
}

// ---- happy paths, one per format, with line numbers ----

#[test]
fn yaml_reads_deployments_with_their_lines() {
    let plan = read(
        PlanFormat::Yaml,
        "# a plan\ndeployments:\n  - id: frontier-bedrock\n    party: openai\n    cloud: aws\n    product: frontier\n    channel: bedrock\n    date: 2030-01-31\n    azure_declined: true\n\n  - party: microsoft\n    cloud: azure\n    product: models\n    date: 2026-04-27\n",
    );
    assert_positions(&plan, 2);
    assert_eq!(lines(&plan), [Some(3), Some(11)]);
    let first = valid(&plan, 1);
    assert_eq!(first.id, "frontier-bedrock");
    assert_eq!(first.value(PARTY), Some(ValueId(1)));
    assert_eq!(first.value(CLOUD), Some(ValueId(1)));
    assert_eq!(first.value(PRODUCT), Some(ValueId(3)));
    assert_eq!(first.value(CHANNEL), Some(ValueId(1)));
    assert_eq!(first.values.len(), 4);
    assert_eq!(first.flags, [AZURE_DECLINED]);
    assert_eq!(first.date, date("2030-01-31"));
    let second = valid(&plan, 2);
    assert_eq!(second.id, "#2");
    assert_eq!(second.value(CHANNEL), None);
    assert!(!second.has_flag(AZURE_DECLINED));
    assert_eq!(second.date, date("2026-04-27"));
}

#[test]
fn json_reads_deployments_with_the_line_each_object_starts_on() {
    let text = r#"{
  "deployments": [
    {
      "id": "a",
      "party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01"
    },
    {"id": "b\nc", "party": "amazon", "cloud": "aws", "product": "models",
     "date": "2030-01-02", "azure_declined": false, "channel": null},

    {"id": 42, "party": "microsoft", "cloud": "gcp", "product": "chatgpt", "date": "2030-01-03"}
  ]
}"#;
    let plan = read(PlanFormat::Json, text);
    assert_positions(&plan, 3);
    assert_eq!(lines(&plan), [Some(3), Some(7), Some(10)]);
    assert_eq!(valid(&plan, 1).value(CLOUD), Some(ValueId(0)));
    assert_eq!(valid(&plan, 2).id, "b\nc");
    assert_eq!(valid(&plan, 2).value(CHANNEL), None);
    assert!(valid(&plan, 2).flags.is_empty());
    assert_eq!(valid(&plan, 3).id, "42");
}

#[test]
fn ndjson_skips_blank_lines_but_keeps_line_numbers() {
    let text = "{\"party\": \"openai\", \"cloud\": \"azure\", \"product\": \"api\", \"date\": \"2030-01-01\"}\r\n\r\n   \n{\"id\": \"x\", \"party\": \"amazon\", \"cloud\": \"aws\", \"product\": \"models\", \"date\": \"2030-01-02\", \"azure_declined\": true}\n";
    let plan = read(PlanFormat::Ndjson, text);
    assert_positions(&plan, 2);
    assert_eq!(lines(&plan), [Some(1), Some(4)]);
    assert_eq!(valid(&plan, 1).id, "#1");
    assert_eq!(valid(&plan, 2).id, "x");
    assert_eq!(valid(&plan, 2).flags, [AZURE_DECLINED]);
}

#[test]
fn csv_reads_rows_with_their_lines_and_empty_cells_as_absent() {
    let text = "id,party,cloud,product,channel,date,azure_declined\r\na,openai,aws,frontier,bedrock,2030-01-31,true\r\n\r\n b , microsoft , azure , api ,, 2030-02-01 ,\r\n\"c\nd\",amazon,gcp,models,vertex,2030-02-02,false\r\n";
    let plan = read(PlanFormat::Csv, text);
    assert_positions(&plan, 3);
    assert_eq!(lines(&plan), [Some(2), Some(4), Some(5)]);
    let a = valid(&plan, 1);
    assert_eq!(a.value(CHANNEL), Some(ValueId(1)));
    assert_eq!(a.flags, [AZURE_DECLINED]);
    let b = valid(&plan, 2);
    assert_eq!(b.id, "b");
    assert_eq!(b.value(CHANNEL), None);
    assert!(b.flags.is_empty());
    assert_eq!(b.date, date("2030-02-01"));
    assert_eq!(valid(&plan, 3).id, "c\nd");
    assert!(valid(&plan, 3).flags.is_empty());
}

#[test]
fn an_empty_list_is_an_empty_plan() {
    assert!(read(PlanFormat::Yaml, "deployments: []\n").records.is_empty());
    assert!(read(PlanFormat::Yaml, "deployments:\n").records.is_empty());
    assert!(read(PlanFormat::Json, "{\"deployments\": []}").records.is_empty());
    assert!(read(PlanFormat::Csv, "id,party,cloud,product,date\n").records.is_empty());
}

// ---- values ----

#[test]
fn a_misspelt_cloud_gets_a_suggestion_in_every_format() {
    for (format, plan) in one_record_each_format(&[
        ("id", "x"),
        ("party", "openai"),
        ("cloud", "azrue"),
        ("product", "api"),
        ("date", "2030-01-01"),
    ]) {
        let p = only_problem(&plan, 1);
        assert_eq!(p.field.as_deref(), Some("cloud"), "{format:?}");
        assert_eq!(p.message, "unknown cloud `azrue`", "{format:?}");
        assert_eq!(p.help.as_deref(), Some("did you mean `azure`?"), "{format:?}");
        assert_eq!(invalid(&plan, 1).id, "x");
    }
}

#[test]
fn a_value_with_no_close_match_lists_the_allowed_values() {
    let plan = read(
        PlanFormat::Ndjson,
        r#"{"party": "openai", "cloud": "ibm", "product": "api", "date": "2030-01-01"}"#,
    );
    let p = only_problem(&plan, 1);
    assert_eq!(p.message, "unknown cloud `ibm`");
    assert_eq!(p.help.as_deref(), Some("expected one of azure, aws, gcp, oracle"));
}

#[test]
fn a_value_of_the_wrong_kind_is_described() {
    let plan = read(
        PlanFormat::Json,
        r#"{"deployments": [{"party": "openai", "cloud": ["azure"], "product": 5, "date": "2030-01-01"}]}"#,
    );
    assert_eq!(messages(invalid(&plan, 1)), ["expected a single cloud, found a list", "unknown product `5`"]);
}

#[test]
fn an_unknown_optional_value_is_still_an_error() {
    let plan = read(
        PlanFormat::Yaml,
        "deployments:\n  - {party: openai, cloud: aws, product: api, channel: bedrok, date: 2030-01-01}\n",
    );
    let p = only_problem(&plan, 1);
    assert_eq!(p.message, "unknown channel `bedrok`");
    assert_eq!(p.help.as_deref(), Some("did you mean `bedrock`?"));
}

// ---- dates ----

#[test]
fn an_impossible_date_is_rejected_with_the_length_of_the_month() {
    for (format, plan) in one_record_each_format(&[
        ("party", "openai"),
        ("cloud", "azure"),
        ("product", "api"),
        ("date", "2030-02-30"),
    ]) {
        let p = only_problem(&plan, 1);
        assert_eq!(p.field.as_deref(), Some("date"), "{format:?}");
        assert_eq!(p.message, "`2030-02-30` is not a date that exists", "{format:?}");
        assert_eq!(p.help.as_deref(), Some("2030-02 has 28 days"), "{format:?}");
    }
}

#[test]
fn impossible_months_and_days_get_their_own_help() {
    assert_eq!(
        validate::parse_date("2030-13-01"),
        Err((
            "`2030-13-01` is not a date that exists".to_owned(),
            Some("months run from 01 to 12".to_owned())
        ))
    );
    assert_eq!(validate::parse_date("2030-01-00").map_err(|e| e.1), Err(Some("days start at 01".to_owned())));
    assert_eq!(
        validate::parse_date("2028-02-30").map_err(|e| e.1),
        Err(Some("2028-02 has 29 days".to_owned()))
    );
    assert_eq!(validate::parse_date("2028-02-29"), Ok(date("2028-02-29")));
}

#[test]
fn a_date_not_written_as_yyyy_mm_dd_is_rejected_before_chrono_sees_it() {
    let plan = read(PlanFormat::Csv, "party,cloud,product,date\nopenai,azure,api,2030-2-3\n");
    let p = only_problem(&plan, 1);
    assert_eq!(p.field.as_deref(), Some("date"));
    assert_eq!(p.message, "`2030-2-3` is not a date: write it as YYYY-MM-DD, like 2030-02-03");
    for (text, like) in [
        ("2030/12/1", "2030-12-01"),
        ("+12030-02-03", "2030-02-03"),
        ("20300203", "2030-02-03"),
        ("3 Feb 2030", "2030-02-03"),
        ("2030-02-03T00:00:00", "2030-02-03"),
        ("２０３０-02-03", "2030-02-03"),
    ] {
        let (message, _) = validate::parse_date(text).unwrap_err();
        assert_eq!(message, format!("`{text}` is not a date: write it as YYYY-MM-DD, like {like}"));
    }
}

#[test]
fn a_date_given_as_a_number_or_list_is_an_error() {
    let plan = read(
        PlanFormat::Json,
        r#"{"deployments": [
            {"party": "openai", "cloud": "azure", "product": "api", "date": 20300203},
            {"party": "openai", "cloud": "azure", "product": "api", "date": [2030, 2, 3]}]}"#,
    );
    assert_eq!(
        only_problem(&plan, 1).message,
        "`20300203` is not a date: write it as YYYY-MM-DD, like 2030-02-03"
    );
    assert_eq!(only_problem(&plan, 2).message, "expected a date, found a list");
}

// ---- missing, unknown and repeated fields ----

#[test]
fn every_problem_of_a_record_is_reported() {
    let plan =
        read(PlanFormat::Yaml, "deployments:\n  - cloud: azrue\n    product: api\n    date: 2030-01-01\n");
    let record = invalid(&plan, 1);
    assert_eq!(messages(record), ["unknown cloud `azrue`", "missing field `party`"]);
    assert_eq!(record.problems[1].field.as_deref(), Some("party"));
    assert_eq!(record.problems[1].help.as_deref(), Some("expected one of microsoft, openai, amazon"));
}

#[test]
fn missing_required_fields_are_each_reported_but_optional_ones_are_not() {
    let plan = read(PlanFormat::Ndjson, r#"{"id": "empty", "channel": "direct"}"#);
    let record = invalid(&plan, 1);
    assert_eq!(record.id, "empty");
    assert_eq!(
        messages(record),
        ["missing field `party`", "missing field `cloud`", "missing field `product`", "missing field `date`"]
    );
}

#[test]
fn null_counts_as_absent() {
    let plan = read(
        PlanFormat::Yaml,
        "deployments:\n  - {party: openai, cloud: aws, product: api, date: 2030-01-01, channel: ~, azure_declined: null, id: null}\n  - {party: , cloud: aws, product: api, date: 2030-01-01}\n",
    );
    let d = valid(&plan, 1);
    assert_eq!((d.id.as_str(), d.value(CHANNEL), d.flags.len()), ("#1", None, 0));
    assert_eq!(only_problem(&plan, 2).message, "missing field `party`");
}

#[test]
fn an_unknown_field_suggests_the_closest_known_name() {
    let plan = read(
        PlanFormat::Json,
        r#"{"deployments": [{"party": "openai", "clodu": "azure", "product": "api", "date": "2030-01-01", "azure_decline": true, "Date": "x"}]}"#,
    );
    let record = invalid(&plan, 1);
    let unknown: Vec<(&str, &str, Option<&str>)> = record
        .problems
        .iter()
        .map(|p| (p.field.as_deref().unwrap_or(""), p.message.as_str(), p.help.as_deref()))
        .collect();
    assert_eq!(
        unknown,
        [
            ("clodu", "unknown field `clodu`", Some("did you mean `cloud`?")),
            ("azure_decline", "unknown field `azure_decline`", Some("did you mean `azure_declined`?")),
            ("Date", "unknown field `Date`", Some("did you mean `date`?")),
            ("cloud", "missing field `cloud`", Some("expected one of azure, aws, gcp, oracle")),
        ]
    );
}

#[test]
fn an_unknown_field_with_no_close_name_lists_the_fields() {
    let plan = read(
        PlanFormat::Ndjson,
        r#"{"party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01", "region": "eu"}"#,
    );
    let p = only_problem(&plan, 1);
    assert_eq!(p.message, "unknown field `region`");
    assert_eq!(
        p.help.as_deref(),
        Some("the fields are id, date, party, cloud, product, channel, azure_declined")
    );
}

#[test]
fn a_field_given_twice_is_a_problem_in_every_format() {
    let json = r#"{"deployments": [{"party": "openai", "cloud": "azure", "cloud": "aws", "product": "api", "date": "2030-01-01"}]}"#;
    let yaml = "deployments:\n  - party: openai\n    cloud: azure\n    cloud: aws\n    product: api\n    date: 2030-01-01\n";
    let csv = "party,cloud,cloud,product,date\nopenai,azure,,api,2030-01-01\n";
    for (format, text) in [(PlanFormat::Json, json), (PlanFormat::Yaml, yaml), (PlanFormat::Csv, csv)] {
        let plan = read(format, text);
        let p = only_problem(&plan, 1);
        assert_eq!(p.field.as_deref(), Some("cloud"), "{format:?}");
        assert_eq!(p.message, "field `cloud` is given twice", "{format:?}");
    }
}

// ---- ids ----

#[test]
fn a_repeated_id_makes_the_later_record_invalid() {
    let plan = read(
        PlanFormat::Ndjson,
        concat!(
            r#"{"id": "a", "party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01"}"#,
            "\n",
            r#"{"id": "b", "party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01"}"#,
            "\n",
            r#"{"id": "b", "party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01"}"#,
            "\n",
        ),
    );
    valid(&plan, 1);
    valid(&plan, 2);
    let p = only_problem(&plan, 3);
    assert_eq!(invalid(&plan, 3).id, "b");
    assert_eq!(p.field.as_deref(), Some("id"));
    assert_eq!(p.message, "id `b` is already used by record #2");
}

#[test]
fn an_integer_id_is_its_decimal_text_and_clashes_with_the_same_text() {
    let plan = read(
        PlanFormat::Yaml,
        "deployments:\n  - {id: 7, party: openai, cloud: aws, product: api, date: 2030-01-01}\n  - {id: '7', party: openai, cloud: aws, product: api, date: 2030-01-01}\n",
    );
    assert_eq!(valid(&plan, 1).id, "7");
    assert_eq!(only_problem(&plan, 2).message, "id `7` is already used by record #1");
}

#[test]
fn a_default_id_that_clashes_with_a_given_one_is_reported() {
    let plan = read(
        PlanFormat::Csv,
        "id,party,cloud,product,date\n#2,openai,aws,api,2030-01-01\n,openai,aws,api,2030-01-01\n",
    );
    valid(&plan, 1);
    let record = invalid(&plan, 2);
    assert_eq!(record.id, "#2");
    assert_eq!(messages(record), ["this record's default id `#2` is already used by record #1"]);
    assert_eq!(record.problems[0].help.as_deref(), Some("give this record an `id`"));
}

#[test]
fn a_bad_id_is_a_problem() {
    let plan = read(
        PlanFormat::Json,
        r#"{"deployments": [
            {"id": "", "party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01"},
            {"id": true, "party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01"}]}"#,
    );
    assert_eq!(only_problem(&plan, 1).message, "the id is empty");
    assert_eq!(only_problem(&plan, 2).message, "expected text for the id, found `true`");
    assert_eq!(invalid(&plan, 2).id, "#2");
}

// ---- flags ----

#[test]
fn yaml_words_like_no_are_not_booleans() {
    let plan = read(
        PlanFormat::Yaml,
        "deployments:\n  - {party: openai, cloud: aws, product: api, date: 2030-01-01, azure_declined: NO}\n  - {party: openai, cloud: aws, product: api, date: 2030-01-01, azure_declined: yes}\n  - {party: openai, cloud: aws, product: api, date: 2030-01-01, azure_declined: True}\n",
    );
    let p = only_problem(&plan, 1);
    assert_eq!(p.field.as_deref(), Some("azure_declined"));
    assert_eq!(p.message, "expected true or false, found `NO`");
    assert_eq!(only_problem(&plan, 2).message, "expected true or false, found `yes`");
    assert_eq!(valid(&plan, 3).flags, [AZURE_DECLINED]);
}

#[test]
fn a_quoted_boolean_in_json_is_not_a_boolean() {
    let plan = read(
        PlanFormat::Ndjson,
        r#"{"party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01", "azure_declined": "true"}"#,
    );
    let p = only_problem(&plan, 1);
    assert_eq!(p.message, "expected true or false, found the text `\"true\"`");
    assert_eq!(p.help.as_deref(), Some("write true or false without quotes"));
}

#[test]
fn csv_flags_are_the_words_true_and_false_only() {
    let plan = read(
        PlanFormat::Csv,
        "party,cloud,product,date,azure_declined\nopenai,aws,api,2030-01-01,yes\nopenai,aws,api,2030-01-01,TRUE\nopenai,aws,api,2030-01-01,1\nopenai,aws,api,2030-01-01,false\n",
    );
    assert_eq!(only_problem(&plan, 1).message, "expected true or false, found `yes`");
    assert_eq!(only_problem(&plan, 2).message, "expected true or false, found `TRUE`");
    assert_eq!(only_problem(&plan, 3).message, "expected true or false, found `1`");
    assert!(valid(&plan, 4).flags.is_empty());
}

#[test]
fn flags_come_out_sorted() {
    let mut v = vocab();
    for name in ["beta", "gamma"] {
        v.flags.push(Flag { name: name.to_owned(), span: Span::default() });
    }
    let plan = read_plan(
        r#"{"party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01", "gamma": true, "beta": false, "azure_declined": true}"#,
        PlanFormat::Ndjson,
        &v,
    )
    .unwrap();
    assert_eq!(valid(&plan, 1).flags, [FlagId(0), FlagId(2)]);
}

// ---- unreadable records ----

#[test]
fn an_ndjson_line_that_is_not_json_is_a_problem_of_that_record_only() {
    let text = concat!(
        r#"{"id": "a", "party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01"}"#,
        "\n\n",
        r#"{"id": "b", "party": "openai" "cloud": "azure"}"#,
        "\n",
        r#"{"id": "c", "party": "openai", "cloud": "azure", "product": "api", "date": "2030-01-01"}"#,
        "\n",
        "[1, 2]\n",
        "{\"id\": \"d\"\n",
        "{} {}\n",
    );
    let plan = read(PlanFormat::Ndjson, text);
    assert_positions(&plan, 6);
    assert_eq!(lines(&plan), [Some(1), Some(3), Some(4), Some(5), Some(6), Some(7)]);
    valid(&plan, 1);
    valid(&plan, 3);
    let p = only_problem(&plan, 2);
    assert_eq!(p.field, None);
    assert_eq!(p.message, "this line is not valid JSON: expected `,` or `}` at column 31");
    assert_eq!(invalid(&plan, 2).id, "#2");
    assert_eq!(only_problem(&plan, 4).message, "expected a deployment with named fields, found a list");
    assert_eq!(
        only_problem(&plan, 5).message,
        "this line is not valid JSON: the line ends in the middle of an object at column 10"
    );
    assert_eq!(
        only_problem(&plan, 6).message,
        "this line is not valid JSON: unexpected text after the end at column 4"
    );
}

#[test]
fn a_list_entry_that_is_not_a_mapping_is_a_problem_of_that_record_only() {
    let plan = read(
        PlanFormat::Yaml,
        "deployments:\n  - just text\n  -\n  - [a, b]\n  - {party: openai, cloud: aws, product: api, date: 2030-01-01}\n",
    );
    assert_positions(&plan, 4);
    assert_eq!(only_problem(&plan, 1).message, "expected a deployment with named fields, found text");
    assert_eq!(only_problem(&plan, 1).field, None);
    assert_eq!(only_problem(&plan, 2).message, "expected a deployment with named fields, found nothing");
    assert_eq!(only_problem(&plan, 3).message, "expected a deployment with named fields, found a list");
    valid(&plan, 4);

    let plan = read(
        PlanFormat::Json,
        r#"{"deployments": [7, null, {"party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01"}]}"#,
    );
    assert_positions(&plan, 3);
    assert_eq!(only_problem(&plan, 1).message, "expected a deployment with named fields, found a number");
    valid(&plan, 3);
}

#[test]
fn a_csv_row_with_the_wrong_number_of_cells_is_a_problem_of_that_row() {
    let plan = read(
        PlanFormat::Csv,
        "id,party,cloud,product,date\na,openai,aws,api\nb,openai,aws,api,2030-01-01\nc,openai,aws,api,2030-01-01,extra\n",
    );
    assert_positions(&plan, 3);
    let p = only_problem(&plan, 1);
    assert_eq!(p.field, None);
    assert_eq!(p.message, "this row has 4 cells but the header has 5 columns");
    assert_eq!(invalid(&plan, 1).id, "a");
    assert_eq!(invalid(&plan, 1).line, Some(2));
    valid(&plan, 2);
    assert_eq!(only_problem(&plan, 3).message, "this row has 6 cells but the header has 5 columns");
}

#[test]
fn an_unknown_csv_column_is_reported_on_every_row() {
    let plan = read(
        PlanFormat::Csv,
        "party,cloud,product,date,clud\nopenai,aws,api,2030-01-01,\nopenai,aws,api,2030-01-01,x\n",
    );
    for position in [1, 2] {
        let p = only_problem(&plan, position);
        assert_eq!(p.message, "unknown field `clud`");
        assert_eq!(p.help.as_deref(), Some("did you mean `cloud`?"));
    }
}

// ---- positions ----

#[test]
fn every_record_is_counted_exactly_once_in_every_format() {
    let good = r#"{"party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01"}"#;
    let bad = r#"{"party": "openia", "cloud": "aws", "date": "2030-02-30", "x": 1}"#;
    let json = format!("{{\"deployments\": [{good}, {bad}, 3, {good}, {bad}]}}");
    let ndjson = format!("{good}\n{bad}\nnope\n{good}\n{bad}\n");
    let yaml = format!("deployments:\n  - {good}\n  - {bad}\n  - 3\n  - {good}\n  - {bad}\n");
    let csv = "party,cloud,product,date\nopenai,aws,api,2030-01-01\nopenia,aws,,2030-02-30\nx\nopenai,aws,api,2030-01-01\nopenia,aws,,2030-02-30\n";
    for (format, text) in [
        (PlanFormat::Json, json.as_str()),
        (PlanFormat::Ndjson, ndjson.as_str()),
        (PlanFormat::Yaml, yaml.as_str()),
        (PlanFormat::Csv, csv),
    ] {
        let plan = read(format, text);
        assert_positions(&plan, 5);
        assert_eq!(plan.deployments().count(), 2, "{format:?}");
        let ids: Vec<&str> = plan
            .records
            .iter()
            .map(|r| match r {
                Record::Valid(d) => d.id.as_str(),
                Record::Invalid(r) => r.id.as_str(),
            })
            .collect();
        assert_eq!(ids, ["#1", "#2", "#3", "#4", "#5"], "{format:?}");
        assert_eq!(
            invalid(&plan, 2).problems.len(),
            if format == PlanFormat::Csv { 3 } else { 4 },
            "{format:?}"
        );
    }
}

// ---- document-level errors ----

#[test]
fn an_empty_input_is_an_error_in_every_format() {
    for format in [PlanFormat::Yaml, PlanFormat::Json, PlanFormat::Ndjson, PlanFormat::Csv] {
        for text in ["", "  \n\n", "\u{feff}"] {
            assert_eq!(read_err(format, text).message, "the plan is empty", "{format:?}");
        }
    }
    let e = read_err(PlanFormat::Yaml, "# only a comment\n");
    assert_eq!(e.message, "the plan is empty");
    assert_eq!(e.help.as_deref(), Some("a plan is a mapping with a `deployments` list"));
}

#[test]
fn a_yaml_syntax_error_names_its_line_and_column() {
    let e = read_err(PlanFormat::Yaml, "deployments:\n  - id: a\n   party: x\n");
    assert!(e.message.starts_with("the plan is not valid YAML: "), "{e:?}");
    assert!(e.message.ends_with("at line 3, column 4"), "{e:?}");
    assert_eq!((e.line, e.column), (Some(3), Some(4)));
}

#[test]
fn a_json_syntax_error_names_its_line_and_column() {
    let e = read_err(PlanFormat::Json, "{\"deployments\": [\n  {\"id\": tru}\n]}");
    assert_eq!(e.message, "the plan is not valid JSON: expected true, false or null at line 2, column 13");
    assert_eq!((e.line, e.column), (Some(2), Some(13)));
    let e = read_err(PlanFormat::Json, "{\"deployments\": [\n");
    assert_eq!(e.message, "the plan is not valid JSON: the plan ends in the middle of a list at line 2");
    let e = read_err(PlanFormat::Json, "{\"deployments\": []} []");
    assert_eq!(e.message, "the plan is not valid JSON: unexpected text after the end at line 1, column 21");
}

#[test]
fn a_misspelt_top_level_key_gets_a_suggestion() {
    for (format, text) in
        [(PlanFormat::Yaml, "deploymnets:\n  - {}\n"), (PlanFormat::Json, "{\"deploymnets\": []}")]
    {
        let e = read_err(format, text);
        assert_eq!(e.message, "unknown key `deploymnets` in the plan", "{format:?}");
        assert_eq!(e.help.as_deref(), Some("did you mean `deployments`?"));
    }
    let e = read_err(PlanFormat::Yaml, "deployments: []\nversion: 2\n");
    assert_eq!(e.message, "unknown key `version` in the plan");
    assert_eq!(e.line, Some(2));
    assert_eq!(
        e.help.as_deref(),
        Some("a plan has a `deployments` list and, if the rules declare events, their `events`")
    );
}

#[test]
fn a_document_without_a_deployments_list_is_an_error() {
    let e = read_err(PlanFormat::Json, "{}");
    assert_eq!(e.message, "the plan has no `deployments` list");
    assert_eq!(e.help.as_deref(), Some("a plan is a mapping with a `deployments` list"));
    assert_eq!(
        read_err(PlanFormat::Yaml, "- id: a\n").message,
        "expected a mapping with a `deployments` list, found a list"
    );
    assert_eq!(
        read_err(PlanFormat::Json, "\"plan\"").message,
        "expected a mapping with a `deployments` list, found text"
    );
    let e = read_err(PlanFormat::Yaml, "\ndeployments:\n  id: a\n");
    assert_eq!(e.message, "expected `deployments` to be a list, found a mapping");
    assert_eq!(e.line, Some(2));
    assert_eq!(
        read_err(PlanFormat::Json, "{\"deployments\": 3}").message,
        "expected `deployments` to be a list, found a number"
    );
    assert_eq!(
        read_err(PlanFormat::Json, "{\"deployments\": [], \"deployments\": []}").message,
        "the plan has more than one `deployments` list"
    );
}

#[test]
fn a_csv_header_with_no_names_is_an_error() {
    let e = read_err(PlanFormat::Csv, ",,\nopenai,aws,api\n");
    assert_eq!(e.message, "the header row has no field names");
    assert_eq!(e.line, Some(1));
}

// ---- robustness ----

#[test]
fn long_and_non_ascii_values_are_cut_at_a_character_boundary() {
    let long = "é".repeat(100);
    let plan = read(
        PlanFormat::Ndjson,
        &format!(r#"{{"party": "openai", "cloud": "{long}", "product": "api", "date": "2030-01-01"}}"#),
    );
    let p = only_problem(&plan, 1);
    assert_eq!(p.message, format!("unknown cloud `{}…`", "é".repeat(60)));
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let good = r#"{"party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01"}"#;
    valid(&read(PlanFormat::Ndjson, &format!("\u{feff}{good}")), 1);
    valid(&read(PlanFormat::Json, &format!("\u{feff}{{\"deployments\": [{good}]}}")), 1);
    valid(&read(PlanFormat::Csv, "\u{feff}party,cloud,product,date\nopenai,aws,api,2030-01-01\n"), 1);
}

#[test]
fn odd_inputs_never_panic() {
    let deep_json = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_entry = format!("{{\"deployments\": [{}{}]}}", "[".repeat(5000), "]".repeat(5000));
    let deep_yaml = format!("deployments:\n  - {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let aliases = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ndeployments: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    let inputs = [
        "\0",
        "\u{fffd}\u{fffd}",
        "é,ü\n\"unterminated",
        "{",
        "}",
        "deployments: [{id: [1, {a: b}], 1.5: x, ? [a]: b, true: x, ~: y}]",
        "deployments: !!binary aGVsbG8=",
        "deployments:\n  - !custom {a: b}\n",
        "---\ndeployments: []\n---\ndeployments: []\n",
        "{\"deployments\": [{\"id\": 1e999, \"party\": 18446744073709551616, \"date\": \"\u{0}\"}]}",
        "{\"deployments\": [{\"\\ud800\": 1}]}",
        "id,id,id\n1,2,3\n\"a\"b,c\n",
        "\"\n",
        &deep_json,
        &deep_entry,
        &deep_yaml,
        aliases,
    ];
    for format in [PlanFormat::Yaml, PlanFormat::Json, PlanFormat::Ndjson, PlanFormat::Csv] {
        for text in inputs {
            if let Ok(plan) = read_plan(text, format, &vocab()) {
                for (i, record) in plan.records.iter().enumerate() {
                    let position = match record {
                        Record::Valid(d) => d.position,
                        Record::Invalid(r) => {
                            assert!(!r.problems.is_empty());
                            r.position
                        }
                    };
                    assert_eq!(position, i + 1);
                }
            }
        }
    }
}

#[test]
fn messages_follow_the_house_style() {
    let texts = [
        (PlanFormat::Yaml, "deployments:\n  - {cloud: azrue, date: 2030-2-3, azure_declined: NO, x: 1}\n  - 5\n  - {id: 1, date: 2030-02-30}\n  - {id: 1}\n"),
        (PlanFormat::Ndjson, "nope\n{\"id\": [1]}\n"),
        (PlanFormat::Csv, "id,cloud\na\nb,azure\n"),
    ];
    for (format, text) in texts {
        for record in &read(format, text).records {
            if let Record::Invalid(r) = record {
                for p in &r.problems {
                    let first = p.message.chars().next().unwrap();
                    assert!(!first.is_uppercase(), "{:?}", p.message);
                    assert!(!p.message.ends_with('.'), "{:?}", p.message);
                    assert!(!p.message.contains('\n'), "{:?}", p.message);
                    for word in ["Scalar", "str", "String", "i64", "serde", "Option"] {
                        assert!(!p.message.split(' ').any(|w| w == word), "{:?}", p.message);
                    }
                }
            }
        }
    }
}

#[test]
fn a_field_given_three_times_is_reported_once() {
    let plan = read(PlanFormat::Csv, "id,id,id,party,cloud,product,date\na,b,c,openai,aws,api,2030-01-01\n");
    assert_eq!(messages(invalid(&plan, 1)), ["field `id` is given twice"]);
    assert_eq!(invalid(&plan, 1).id, "a");
}

#[test]
fn a_json_entry_with_an_unreadable_number_is_a_problem_of_that_entry() {
    let plan = read(
        PlanFormat::Json,
        r#"{"deployments": [{"id": 1e999}, {"party": "openai", "cloud": "aws", "product": "api", "date": "2030-01-01"}]}"#,
    );
    assert_eq!(only_problem(&plan, 1).message, "this deployment cannot be read: number out of range");
    valid(&plan, 2);
}

#[test]
fn yaml_aliases_and_merge_keys_are_followed() {
    let plan = read(
        PlanFormat::Yaml,
        "deployments:\n  - &x {party: openai, cloud: aws, product: api, date: 2030-01-01}\n  - {<<: *x, id: b, cloud: gcp}\n",
    );
    assert_eq!(valid(&plan, 2).id, "b");
    assert_eq!(valid(&plan, 2).value(CLOUD), Some(ValueId(2)));
    assert_eq!(lines(&plan), [Some(2), Some(3)]);
}
#[test]
fn csv_lines_are_right_with_old_mac_line_endings() {
    let plan = read(
        PlanFormat::Csv,
        "party,cloud,product,date\ropenai,aws,api,2030-01-01\r\ropenai,aws,api,2030-01-02\r",
    );
    assert_eq!(lines(&plan), [Some(2), Some(4)]);
}

#[test]
fn a_csv_without_a_header_row_is_an_error() {
    let e = read_err(PlanFormat::Csv, "\nopenai,aws,api,2030-01-01\nopenai,aws,api,2030-01-02\n");
    assert_eq!(e.message, "the first row is not a header: `openai` is not a field name");
    assert_eq!(e.line, Some(2));
    assert_eq!(
        e.help.as_deref(),
        Some("a CSV plan starts with a header row of field names, like `id,party,product,cloud,date`")
    );
}

#[test]
fn a_csv_quote_left_open_is_named_as_such() {
    let text = "id,party,product,cloud,date\n\
                a,openai,api,azure,2026-06-01\n\
                \"b,openai,api,azure,2026-06-01\n\
                c,openai,api,azure,2026-06-01\n";
    let plan = read(PlanFormat::Csv, text);
    assert_positions(&plan, 2);
    assert_eq!(valid(&plan, 1).id, "a");
    let problem = only_problem(&plan, 2);
    assert_eq!(problem.message, "a quoted cell runs over 2 lines");
    assert!(problem.help.as_deref().unwrap().contains("closing `\"` missing"));
    assert_eq!(invalid(&plan, 2).line, Some(3));
}

#[test]
fn yaml_non_finite_numbers_spoil_only_their_record() {
    let text = "deployments:\n  - {id: a, party: openai, product: api, cloud: azure, date: 2026-06-01}\n  \
                - {id: b, party: openai, product: api, cloud: azure, date: 1e400}\n";
    let plan = read(PlanFormat::Yaml, text);
    assert_positions(&plan, 2);
    assert_eq!(valid(&plan, 1).id, "a");
    assert_eq!(only_problem(&plan, 2).field.as_deref(), Some("date"));
}

#[test]
fn pairs_are_checked_like_a_record() {
    let vocab = vocab();
    match read_pairs(
        &[("party", "openai"), ("product", "api"), ("cloud", "aws"), ("date", "2026-06-01")],
        &vocab,
    ) {
        Record::Valid(d) => assert_eq!((d.id.as_str(), d.date), ("#1", date("2026-06-01"))),
        Record::Invalid(bad) => panic!("{bad:?}"),
    }
    let twice = read_pairs(
        &[
            ("party", "openai"),
            ("party", "amazon"),
            ("product", "api"),
            ("cloud", "aws"),
            ("date", "2026-06-01"),
        ],
        &vocab,
    );
    let Record::Invalid(bad) = twice else { panic!("a field given twice is a problem") };
    assert_eq!(bad.problems[0].field.as_deref(), Some("party"));
}

// ---- the fast NDJSON scanner agrees with serde_json ----

/// The fields serde_json reads from a line, or `None` when it cannot read it as a mapping.
fn serde_fields(line: &str) -> Option<Vec<(String, raw::Scalar<'static>)>> {
    use serde::de::DeserializeSeed;
    let mut fields = Vec::new();
    let mut de = serde_json::Deserializer::from_str(line);
    let shape =
        raw::EntrySeed { out: &mut fields }.deserialize(&mut de).and_then(|s| de.end().map(|()| s)).ok()?;
    (shape == raw::Shape::Mapping)
        .then(|| fields.into_iter().map(|(k, v)| (k.into_owned(), owned(v))).collect())
}

fn owned(v: raw::Scalar<'_>) -> raw::Scalar<'static> {
    match v {
        raw::Scalar::Str(s) => raw::Scalar::Str(std::borrow::Cow::Owned(s.into_owned())),
        raw::Scalar::Bool(b) => raw::Scalar::Bool(b),
        raw::Scalar::Int(n) => raw::Scalar::Int(n),
        raw::Scalar::Null => raw::Scalar::Null,
        raw::Scalar::Other(w) => raw::Scalar::Other(w),
    }
}

fn scanner_agrees(line: &str) {
    let mut fields = Vec::new();
    if scan::scan(line, &mut fields) {
        let got: Vec<(String, raw::Scalar<'static>)> =
            fields.into_iter().map(|(k, v)| (k.into_owned(), owned(v))).collect();
        assert_eq!(Some(got), serde_fields(line), "the scanner read {line:?} differently from serde_json");
    }
}

#[test]
fn the_scanner_agrees_with_serde_json_on_every_example_line() {
    for path in ["examples/inventory.ndjson", "examples/broken-plan.ndjson"] {
        let text = std::fs::read_to_string(path).expect("readable");
        for line in text.lines() {
            scanner_agrees(line);
        }
    }
    for line in [
        r#"{}"#,
        r#" { "a" : "b" , "c":true,"d":false,"e":null,"f":-12,"g":0 } "#,
        r#"{"a":"\u0041"}"#,
        r#"{"a":"x\"y"}"#,
        r#"{"a":01}"#,
        r#"{"a":1.5}"#,
        r#"{"a":1e3}"#,
        r#"{"a":-}"#,
        r#"{"a":18446744073709551616}"#,
        r#"{"a":-9223372036854775808}"#,
        r#"{"a":-9223372036854775809}"#,
        r#"{"a":[1]}"#,
        r#"{"a":{"b":1}}"#,
        r#"{"a":"é","ü":"ß"}"#,
        "{\"a\":\"tab\there\"}",
        r#"{"a":"b",}"#,
        r#"{"a" "b"}"#,
        r#"{"a":"b"} x"#,
        r#"{"a":"b""#,
        r#"{"a":tru}"#,
        r#"{"a":nulll}"#,
        r#"{"a":"b","a":"c"}"#,
        r#"["a"]"#,
        r#""a""#,
    ] {
        scanner_agrees(line);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

    #[test]
    fn the_scanner_agrees_with_serde_json(
        line in r#"[ \t]{0,2}\{([ ]?"[a-z_é\\"]{0,6}"[ ]?:[ ]?("[a-z0-9 \\"é-]{0,8}"|true|false|null|-?[0-9]{1,21}|[0-9]\.[0-9]|\[\]|\{\})[ ]?,?){0,5}\}[ \t]{0,2}x?"#,
    ) {
        scanner_agrees(&line);
    }

    #[test]
    fn the_scanner_agrees_with_serde_json_on_mutated_lines(
        cut in 0usize..120,
        byte in proptest::prelude::any::<u8>(),
    ) {
        let base = r#"{"id":"d7","party":"openai","product":"frontier","cloud":"aws","channel":"bedrock","date":"2026-06-01","azure_declined":true,"n":42}"#;
        let mut bytes = base.as_bytes().to_vec();
        let at = cut.min(bytes.len() - 1);
        bytes[at] = byte;
        if let Ok(line) = std::str::from_utf8(&bytes) {
            scanner_agrees(line);
        }
        scanner_agrees(&base[..at]);
    }
}

#[test]
fn a_key_beside_deployments_fails_the_plan_even_when_it_is_read_entry_by_entry() {
    // A tag sends the plan through the entry-by-entry reader, which skipped the other keys: the
    // same plan without the tag was refused. Before the list or after it, `events` aside.
    let record = "{id: a, party: openai, product: chatgpt, cloud: azure, date: 2026-07-01}";
    for text in [
        format!("version: 2\ndeployments:\n  - !!map {record}\n"),
        format!("deployments:\n  - !!map {record}\nversion: 2\n"),
    ] {
        let e = read_err(PlanFormat::Yaml, &text);
        assert_eq!(e.message, "unknown key `version` in the plan", "{text}");
        assert!(e.line.is_some(), "{text}");
    }
    let plan =
        read(PlanFormat::Yaml, &format!("events: {{}}\ndeployments:\n  - !!map {record}\n  - {record}\n"));
    assert_eq!(plan.records.len(), 2);
    assert!(matches!(plan.records[1], Record::Valid(_)));
}

#[test]
fn an_entry_that_cannot_be_read_on_its_own_names_the_alias_it_uses() {
    // The first entry's tag makes the plan read entry by entry; the second uses an anchor of the
    // first, which it cannot see on its own.
    let text = "deployments:\n  - !!map &r {id: a, party: openai, product: chatgpt, cloud: azure, date: 2026-07-01}\n  - *r\n  - {id: c, party: openai, product: chatgpt, cloud: azure, date: 2026-07-01}\n";
    let plan = read(PlanFormat::Yaml, text);
    assert_eq!(plan.records.len(), 3);
    assert!(
        only_problem(&plan, 2)
            .message
            .starts_with("this deployment cannot be read on its own: it uses the YAML alias `*r`"),
        "{:?}",
        only_problem(&plan, 2)
    );
    assert!(matches!(plan.records[2], Record::Valid(_)));
}

#[test]
fn a_second_yaml_document_fails_the_plan_rather_than_being_dropped() {
    // Only the first document was read: the second one's deployments were lost without a word.
    let record = |id: &str| {
        format!("  - {{id: {id}, party: openai, product: chatgpt, cloud: azure, date: 2026-07-01}}\n")
    };
    let text = format!("deployments:\n{}---\ndeployments:\n{}", record("a"), record("b"));
    let e = read_err(PlanFormat::Yaml, &text);
    assert_eq!(e.message, "the plan holds more than one YAML document");
    assert_eq!(e.line, Some(3));
    // A document start before the only document, an end marker after it, and `---` inside a
    // quoted value are not second documents.
    for text in [
        format!("---\ndeployments:\n{}...\n", record("a")),
        "deployments:\n  - {id: \"a\n---\", party: openai, product: chatgpt, cloud: azure, date: 2026-07-01}\n".to_string(),
    ] {
        assert_eq!(read(PlanFormat::Yaml, &text).records.len(), 1, "{text}");
    }
}

#[test]
fn a_value_nested_past_the_yaml_parsers_own_limit_spoils_its_record_only() {
    // Past 255 levels the event parser refused the document, and the whole plan was lost.
    let record =
        |id: &str| format!("{{id: {id}, party: openai, product: chatgpt, cloud: azure, date: 2026-07-01}}");
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let text = format!("deployments:\n  - {}\n  - {deep}\n  - {}\n", record("a"), record("c"));
    let plan = read(PlanFormat::Yaml, &text);
    assert_eq!(plan.records.len(), 3);
    assert!(only_problem(&plan, 2).message.contains("nested too deeply"), "{:?}", only_problem(&plan, 2));
    assert!(matches!(plan.records[2], Record::Valid(_)));
}

#[test]
fn a_csv_row_over_the_limit_is_an_error_of_its_own_and_reading_goes_on() {
    let header = "id,party,product,cloud,date\n";
    let row = |id: &str| format!("{id},openai,chatgpt,azure,2026-07-01\n");
    let long = format!("r2,openai,chatgpt,{},2026-07-01\n", "x".repeat(csv::MAX_ROW + 1));
    let plan = read(PlanFormat::Csv, &format!("{header}{}{long}{}", row("r1"), row("r3")));
    assert_eq!(plan.records.len(), 3);
    assert_eq!(only_problem(&plan, 2).message, format!("this row is longer than {} bytes", csv::MAX_ROW));
    assert_eq!(invalid(&plan, 2).line, Some(3));
    assert_eq!(valid(&plan, 3).line, Some(4));
    // Far past the read-ahead too, and at the limit exactly: read.
    let longer = format!("r2,openai,chatgpt,{},2026-07-01\n", "x".repeat(3 * csv::MAX_ROW));
    let plan = read(PlanFormat::Csv, &format!("{header}{}{longer}{}", row("r1"), row("r3")));
    assert_eq!(plan.records.len(), 3);
    assert!(matches!(plan.records[2], Record::Valid(_)));
    let cell = "x".repeat(csv::MAX_ROW - "r2,openai,chatgpt,,2026-07-01".len() + 4);
    let at_limit = read(PlanFormat::Csv, &format!("{header}r2,openai,chatgpt,{cell},2026-07-01\n"));
    assert!(
        only_problem(&at_limit, 1).message.starts_with("unknown cloud"),
        "{:?}",
        only_problem(&at_limit, 1)
    );
}

#[test]
fn a_csv_quote_left_open_swallows_no_more_than_the_row_limit() {
    // It read the rest of the plan into one cell: every row after it was lost.
    let header = "id,party,product,cloud,date\n";
    let rows: String = (3..60_000).map(|i| format!("r{i},openai,chatgpt,azure,2026-07-01\n")).collect();
    let text =
        format!("{header}r1,openai,chatgpt,azure,2026-07-01\nr2,openai,\"chatgpt,azure,2026-07-01\n{rows}");
    let plan = read(PlanFormat::Csv, &text);
    assert_eq!(only_problem(&plan, 2).code.name, "record-too-large");
    let swallowed = 60_000 - plan.records.len();
    assert!(swallowed < (csv::MAX_ROW + (64 << 10)) / 30 + 2, "{swallowed} rows swallowed");
    assert!(matches!(plan.records.last(), Some(Record::Valid(d)) if d.id == "r59999"));
}
