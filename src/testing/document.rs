//! Reading case files: the YAML shape of a case file, with the lines of its parts.

use super::*;

// ---------------------------------------------------------------------------------------------
// Reading

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileDoc {
    pub(super) cases: Vec<Spanned<CaseDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseDoc {
    name: String,
    plan: Spanned<PlanDoc>,
    expect: Entries<ExpectDoc>,
}

/// A mapping read in the order written, each key with its line.
#[derive(Debug)]
struct Entries<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A list of names, `[a, b.c]`, or a single name written bare.
#[derive(Debug)]
struct Names(Vec<Named>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of names, like `[azure_first]`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                // The line is the expectation's (see `check_names`).
                Ok(Names(vec![Named { name: v.to_owned(), line: None }]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<Spanned<String>>()? {
                    names.push(named(name));
                }
                Ok(Names(names))
            }
        }
        d.deserialize_any(NamesVisitor)
    }
}

/// `id: allowed`, or `id: { verdict: ..., violated: [...], agreements: [...], terms: {...} }`.
#[derive(Debug)]
enum ExpectDoc {
    Verdict(Verdict),
    Full(ExpectMap),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectMap {
    verdict: Verdict,
    #[serde(default)]
    violated: Option<Names>,
    #[serde(default)]
    agreements: Option<Names>,
    #[serde(default)]
    terms: Option<Entries<TermStatus>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Verdict {
    Allowed,
    Violated,
}

impl Verdict {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Violated => "violated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum TermStatus {
    Allowed,
    Violated,
    Satisfied,
    Overridden,
    NotApplicable,
}

impl TermStatus {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            TermStatus::Allowed => "allowed",
            TermStatus::Violated => "violated",
            TermStatus::Satisfied => "satisfied",
            TermStatus::Overridden => "overridden",
            TermStatus::NotApplicable => "not_applicable",
        }
    }
}

pub(super) fn options() -> Options {
    let mut options = Options::default();
    // As for plan files: `azure_declined: NO` is an error of the record, not a silent `false`.
    options.strict_booleans = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options
}

pub(super) fn line_of<T>(spanned: &Spanned<T>) -> Option<usize> {
    usize::try_from(spanned.referenced.line()).ok().filter(|&l| l > 0)
}

fn named(spanned: Spanned<String>) -> Named {
    Named { line: line_of(&spanned), name: spanned.value }
}

pub(super) fn case(doc: CaseDoc, line: Option<usize>) -> Case {
    let mut problems = Vec::new();
    let plan_line = line_of(&doc.plan);
    let PlanDoc { value, record_lines } = doc.plan.value;
    if doc.expect.0.is_empty() {
        problems.push(Problem::at(
            line,
            "this case expects nothing".into(),
            Some("name at least one deployment under `expect`, like `my-deployment: allowed`".into()),
        ));
    }
    let mut expect: Vec<Expectation> = Vec::with_capacity(doc.expect.0.len());
    for (key, value) in doc.expect.0 {
        let e_line = line_of(&key);
        let id = key.value;
        if let Some(first) = expect.iter().find(|e| e.id == id) {
            let at = first.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            problems.push(Problem::at(e_line, format!("`{id}` is expected twice{at}"), None));
            continue;
        }
        let e = match value {
            ExpectDoc::Verdict(verdict) => {
                Expectation { id, line: e_line, verdict, agreements: None, violated: None, terms: Vec::new() }
            }
            ExpectDoc::Full(map) => Expectation {
                id,
                line: e_line,
                verdict: map.verdict,
                agreements: map.agreements.map(|v| v.0),
                violated: map.violated.map(|v| v.0),
                terms: map
                    .terms
                    .map(|t| t.0)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (named(k), v))
                    .collect(),
            },
        };
        match (&e.verdict, &e.violated) {
            (Verdict::Allowed, Some(v)) if !v.is_empty() => problems.push(Problem::at(
                e.line,
                format!("`{}` is expected allowed but with violated clauses", e.id),
                Some("a deployment is violated as soon as one clause is violated: expect `violated`".into()),
            )),
            (Verdict::Violated, Some(v)) if v.is_empty() => problems.push(Problem::at(
                e.line,
                format!("`{}` is expected violated but with no violated clause", e.id),
                Some(
                    "list the clauses expected violated, or leave `violated` out to check the verdict only"
                        .into(),
                ),
            )),
            _ => {}
        }
        expect.push(e);
    }
    Case {
        name: doc.name,
        line,
        // Display of a JSON value cannot fail; `read_plan` reads it back.
        plan: CasePlan { json: value.to_string(), line: plan_line, record_lines },
        expect,
        problems,
    }
}

/// A serde-saphyr error in the words of this crate: lowercase, no final period, with its place.
pub(super) fn yaml_error(error: &serde_saphyr::Error) -> Problem {
    let (message, line, column) = crate::plan::yaml::describe_error(error);
    let help = misspelt(&message).unwrap_or_else(|| FORMAT_HELP.into());
    Problem {
        code: crate::diagnostic::codes::BAD_CASE_FILE,
        line,
        column,
        message: format!("cannot read the case file: {}", analyst_words(&message)),
        help: Some(help),
    }
}

/// serde's wording in an analyst's: ``unknown field `expct`, expected one of name, plan, expect``
/// becomes ``unknown key `expct`: the keys here are name, plan, expect``, and ``unknown variant
/// `alowed`, expected ...`` becomes ``` `alowed` is not a word this key takes: allowed, violated```.
/// "field" and "variant" are Rust's words, not the case file's.
pub(crate) fn analyst_words(message: &str) -> String {
    let split = |rest: &str| -> Option<(String, String)> {
        let (input, expected) = rest.split_once("`, expected ")?;
        let expected =
            expected.strip_prefix("one of ").unwrap_or(expected).replace(" or ", ", ").replace('`', "");
        Some((input.to_string(), expected))
    };
    if let Some((input, expected)) = message.strip_prefix("unknown field `").and_then(split) {
        return format!("unknown key `{input}`: the keys here are {expected}");
    }
    if let Some((input, expected)) = message.strip_prefix("unknown variant `").and_then(split) {
        return format!("`{input}` is not a word this key takes: {expected}");
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!("expected {expected} here, found {found}");
        }
    }
    if message == "expected mapping start" {
        return "expected a mapping of keys to values here".to_owned();
    }
    message.replace("missing field `", "missing key `")
}

/// "Did you mean" for serde's ``unknown field `expct`, expected one of name, plan, expect`` (and
/// the same for a variant).
pub(crate) fn misspelt(message: &str) -> Option<String> {
    let rest =
        message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
    let (input, expected) = rest.split_once("`, expected ")?;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let candidates: Vec<&str> =
        expected.split(", ").flat_map(|c| c.split(" or ")).map(|c| c.trim_matches('`')).collect();
    suggest::help(input, candidates.iter().copied())
}

impl<'de> Deserialize<'de> for ExpectDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ExpectVisitor;
        impl<'de> Visitor<'de> for ExpectVisitor {
            type Value = ExpectDoc;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`allowed`, `violated`, or a mapping with `verdict` and optionally `violated`, `agreements`, `terms`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ExpectDoc, E> {
                Verdict::deserialize(v.into_deserializer()).map(ExpectDoc::Verdict)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ExpectDoc, A::Error> {
                ExpectMap::deserialize(MapAccessDeserializer::new(map)).map(ExpectDoc::Full)
            }
        }
        d.deserialize_any(ExpectVisitor)
    }
}

/// A case's plan, kept as a JSON value for `read_plan`, with the line of each deployment.
#[derive(Debug)]
struct PlanDoc {
    value: Value,
    record_lines: Vec<Option<usize>>,
}

impl<'de> Deserialize<'de> for PlanDoc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (value, record_lines) = Node::Top.deserialize(d)?;
        Ok(PlanDoc { value, record_lines })
    }
}

/// Where a value sits in a plan: the plan itself, its `deployments` list, or anything else.
/// Reads the value as JSON, and the lines of the list's entries. A value of the wrong shape is
/// kept as it is, for `read_plan` to name in its own words.
#[derive(Clone, Copy)]
enum Node {
    Top,
    Deployments,
    Other,
}

type WithLines = (Value, Vec<Option<usize>>);

impl<'de> DeserializeSeed<'de> for Node {
    type Value = WithLines;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<WithLines, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node {
    type Value = WithLines;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a plan: a mapping with a `deployments` list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WithLines, A::Error> {
        let mut object = serde_json::Map::new();
        let mut lines = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let node = match self {
                Node::Top if key == DEPLOYMENTS => Node::Deployments,
                _ => Node::Other,
            };
            let (value, value_lines) = map.next_value_seed(node)?;
            if lines.is_empty() {
                lines = value_lines;
            }
            object.insert(key, value);
        }
        Ok((Value::Object(object), lines))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<WithLines, A::Error> {
        let mut items = Vec::new();
        let mut lines = Vec::new();
        match self {
            Node::Deployments => {
                while let Some(entry) = seq.next_element::<Spanned<Value>>()? {
                    lines.push(line_of(&entry));
                    items.push(entry.value);
                }
            }
            Node::Top | Node::Other => {
                while let Some((value, _)) = seq.next_element_seed(Node::Other)? {
                    items.push(value);
                }
            }
        }
        Ok((Value::Array(items), lines))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<WithLines, E> {
        Ok((Value::Bool(v), Vec::new()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<WithLines, E> {
        Ok((Value::from(v), Vec::new()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<WithLines, E> {
        Ok((Value::from(v), Vec::new()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<WithLines, E> {
        Ok((Value::from(v), Vec::new()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<WithLines, E> {
        Ok((Value::String(v.to_owned()), Vec::new()))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<WithLines, E> {
        // Binary data cannot be a deployment value; an empty list makes `read_plan` say what it found.
        Ok((Value::Array(Vec::new()), Vec::new()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<WithLines, E> {
        Ok((Value::Null, Vec::new()))
    }
    fn visit_none<E: de::Error>(self) -> Result<WithLines, E> {
        Ok((Value::Null, Vec::new()))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<WithLines, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<WithLines, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<WithLines, A::Error> {
        // A tagged YAML value (`!tag x`): not a plan value; read past it and let `read_plan` complain.
        let (IgnoredAny, _) = data.variant::<IgnoredAny>()?;
        Ok((Value::Array(Vec::new()), Vec::new()))
    }
}
