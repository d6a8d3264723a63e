//! Test cases analysts keep next to the rules: reading a case file, running a case, comparing.
//!
//! A case file (YAML) holds `cases:`, each with a `name`, a plan of its own (a `deployments:` list
//! exactly as in a plan file, so `launched(...)` sees only the case's deployments) and `expect:`,
//! what the checker must say about some of those deployments: the verdict and, optionally, the
//! clauses violated, the agreements in force and the status of named terms. The format is described
//! for analysts at the end of `docs/language.md`.
//!
//! [`read_cases`] reads a file; [`run_case`] checks one case's plan against a rule set and compares.
//! The plan goes through [`crate::plan::read_plan`], so a bad record gets the very message
//! `clausecheck check` gives, placed at its line in the case file.
//!
//! Expectation and result are compared as rendered lines (`verdict: allowed`,
//! `violated: [azure_first]`, `  azure_first: satisfied`), one canonical rendering for both sides:
//! equal lines is the only definition of "passed", and a failure is shown as a diff of those lines.
//!
//! Like the rest of the library, this module reads no files and prints nothing; the CLI finds the
//! files and lays out the results.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, value::MapAccessDeserializer, DeserializeSeed, IgnoredAny, IntoDeserializer};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::{DuplicateKeyPolicy, Options, Spanned};

use crate::diagnostic::codes::{self, Code};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::RuleSet;
use crate::plan::{self, PlanFormat, Record};
use crate::source::Sources;
use crate::suggest;

/// The name of the clause that stands for an agreement's `default deny` in reports.
const DEFAULT_TERM: &str = "default";
/// The key of a plan's list of deployments.
const DEPLOYMENTS: &str = "deployments";
const FILE_HELP: &str =
    "a case file is a mapping with a `cases` list; see \"Test cases\" in docs/language.md";
const FORMAT_HELP: &str = "the format of case files is under \"Test cases\" in docs/language.md";

/// The cases of one file, in the order written.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub cases: Vec<Case>,
}

/// One test case: a plan and what the checker must say about its deployments.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// 1-based line of the case in its file.
    pub line: Option<usize>,
    plan: CasePlan,
    /// In the order of the ids (the plan's order is restored when the case runs).
    expect: Vec<Expectation>,
    /// Problems found while reading, which keep the case from running.
    problems: Vec<Problem>,
}

/// A case's plan as JSON for `read_plan`, with the case-file line of each deployment.
#[derive(Debug, Clone)]
struct CasePlan {
    json: String,
    line: Option<usize>,
    record_lines: Vec<Option<usize>>,
}

#[derive(Debug, Clone)]
struct Expectation {
    id: String,
    line: Option<usize>,
    verdict: Verdict,
    agreements: Option<Vec<Named>>,
    violated: Option<Vec<Named>>,
    terms: Vec<(Named, TermStatus)>,
}

/// A clause or agreement name as written, with its line.
#[derive(Debug, Clone)]
struct Named {
    name: String,
    line: Option<usize>,
}

/// Something wrong with a case file or a case, placed by its line (and column, where known) in
/// the case file. Messages start lowercase, with no final period; advice is in `help`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// From the registry: `bad-case-file`, `bad-case`, or a plan record's own code.
    pub code: &'static Code,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn at(line: Option<usize>, message: String, help: Option<String>) -> Problem {
        Problem { code: codes::BAD_CASE, line, column: None, message, help }
    }

    fn file(message: String, help: Option<String>) -> Problem {
        Problem { code: codes::BAD_CASE_FILE, line: None, column: None, message, help }
    }

    /// The problem as a diagnostic located in the case file `file`.
    pub fn to_diagnostic(&self, file: &str) -> Diagnostic {
        let location = Location::File { file: file.to_owned(), line: self.line, column: self.column };
        Diagnostic::new(self.code, self.message.clone(), location).with_help_opt(self.help.clone())
    }
}

/// What running a case came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every expectation holds.
    Passed,
    /// At least one deployment got something else than expected: one entry per such deployment,
    /// in plan order.
    Failed(Vec<Difference>),
    /// The case cannot be run: its plan has bad records, it expects an id the plan lacks, names a
    /// clause the rules do not have, ... Every problem found, in file order.
    Error(Vec<Problem>),
}

/// One deployment whose result differs from its expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub id: String,
    /// Line of the expectation in the case file.
    pub line: Option<usize>,
    /// The expectation and the result, line by line: `verdict`, then `agreements` and `violated`
    /// if expected, then `terms:` and each term expected, indented by two spaces.
    pub lines: Vec<Line>,
    /// What the checker said, for the reader of the failure: verdict, agreements in force,
    /// violated terms with their reasons.
    pub verdict: &'static str,
    pub agreements: Vec<String>,
    pub violations: Vec<Violation>,
}

/// One line of a [`Difference`], rendered the same way on both sides (`verdict: allowed`); the
/// expectation holds where the two are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub expected: String,
    pub actual: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub agreement: String,
    pub clause: String,
    pub reason: String,
}

/// Reads a case file. An error here means the file as a whole cannot be used (not YAML, not the
/// shape of a case file, no cases); a problem within one case is kept with the case and reported
/// when it runs, so the other cases of the file still run.
pub fn read_cases(text: &str) -> Result<CaseFile, Problem> {
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Problem::file("the case file is empty".into(), Some(FILE_HELP.into())));
    }
    let doc: FileDoc = serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(&e))?;
    if doc.cases.is_empty() {
        return Err(Problem::file("the case file has no cases".into(), Some(FILE_HELP.into())));
    }
    let mut seen: BTreeMap<String, Option<usize>> = BTreeMap::new();
    let mut cases = Vec::with_capacity(doc.cases.len());
    for spanned in doc.cases {
        let line = line_of(&spanned);
        let mut case = case(spanned.value, line);
        if case.name.trim().is_empty() {
            case.problems.insert(0, Problem::at(line, "this case has an empty `name`".into(), None));
        } else if let Some(first) = seen.get(&case.name) {
            let at = first.map(|l| format!(" (line {l})")).unwrap_or_default();
            case.problems.insert(
                0,
                Problem::at(
                    line,
                    format!("another case of this file is called `{}`{at}", case.name),
                    Some("give every case of a file its own name".into()),
                ),
            );
        } else {
            seen.insert(case.name.clone(), line);
        }
        cases.push(case);
    }
    Ok(CaseFile { cases })
}

impl Case {
    /// The dates the case's plan gives the rules' events (`plan: {events: {name: day|unknown}}`),
    /// in the order written. A case with events is checked against the rules resolved with those
    /// dates ([`crate::load_rules_dated`]); one without, against the rules as loaded.
    pub fn events(&self) -> Result<Vec<crate::events::GivenEvent>, Problem> {
        let value: Value = serde_json::from_str(&self.plan.json).unwrap_or(Value::Null);
        let Some(events) = value.get(crate::events::EVENTS_KEY) else { return Ok(Vec::new()) };
        let bad = |message: String| {
            Problem::at(
                self.plan.line,
                message,
                Some("a case's `events` maps each event to its day or to `unknown`: `merger_approved: 2027-03-01`".into()),
            )
        };
        let Value::Object(map) = events else {
            return Err(bad("the plan's `events` must be a mapping of event names to days".into()));
        };
        let mut out = Vec::with_capacity(map.len());
        for (name, day) in map {
            let date = match day.as_str() {
                Some("unknown") => None,
                Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(d) if text.len() == 10 => Some(d),
                    _ => return Err(bad(format!("`{text}` is not a day for event `{name}`"))),
                },
                None => return Err(bad(format!("the date of event `{name}` must be a day or `unknown`"))),
            };
            out.push(crate::events::GivenEvent { name: name.clone(), date, span: Default::default() });
        }
        Ok(out)
    }

    /// A problem of the case as a whole, placed at its plan (the rules could not be resolved with
    /// the case's events, say).
    pub fn problem(&self, message: String, help: Option<String>) -> Outcome {
        Outcome::Error(vec![Problem::at(self.plan.line.or(self.line), message, help)])
    }
}

/// Runs one case: reads its plan against the rules' vocabulary, checks it, compares.
pub fn run_case(rules: &RuleSet, sources: &Sources, case: &Case) -> Outcome {
    let mut problems = case.problems.clone();
    for e in &case.expect {
        check_names(rules, e, &mut problems);
    }
    let plan = match plan::read_plan(&case.plan.json, PlanFormat::Json, &rules.vocabulary) {
        Ok(plan) => plan,
        Err(e) => {
            problems.push(Problem {
                code: codes::UNREADABLE_PLAN,
                ..Problem::at(case.plan.line, e.message, e.help)
            });
            return Outcome::Error(sorted(problems));
        }
    };
    let record_line =
        |position: usize| case.plan.record_lines.get(position.wrapping_sub(1)).copied().flatten();
    let mut ids: Vec<&str> = Vec::with_capacity(plan.records.len());
    for record in &plan.records {
        match record {
            Record::Valid(d) => ids.push(&d.id),
            Record::Invalid(bad) => {
                ids.push(&bad.id);
                for p in &bad.problems {
                    let field = p.field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default();
                    problems.push(Problem {
                        code: p.code,
                        ..Problem::at(
                            record_line(bad.position).or(case.plan.line),
                            format!("{}: {field}{}", record_name(&bad.id, bad.position), p.message),
                            p.help.clone(),
                        )
                    });
                }
            }
        }
    }
    for e in &case.expect {
        if !ids.contains(&e.id.as_str()) {
            problems.push(Problem::at(
                e.line,
                format!("expects deployment `{}`, which the plan of this case does not have", e.id),
                suggest::help(&e.id, ids.iter().copied()),
            ));
        }
    }
    if !problems.is_empty() {
        return Outcome::Error(sorted(problems));
    }

    let actual = actual(rules, sources, &plan);
    let mut expect: Vec<&Expectation> = case.expect.iter().collect();
    expect.sort_by_key(|e| ids.iter().position(|id| *id == e.id));
    let mut differences = Vec::new();
    for e in expect {
        let Some(d) = actual.iter().find(|d| d.id == e.id) else {
            // INVARIANT: every id was found above among the records, and every record is valid.
            problems.push(Problem::at(e.line, format!("deployment `{}` was not checked", e.id), None));
            continue;
        };
        match compare(e, d) {
            Ok(None) => {}
            Ok(Some(difference)) => differences.push(difference),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        Outcome::Error(sorted(problems))
    } else if differences.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(differences)
    }
}

/// `record `x` (#2)`, or `record #2` when it has no id of its own.
fn record_name(id: &str, position: usize) -> String {
    if id.starts_with('#') {
        format!("record {id}")
    } else {
        format!("record `{id}` (#{position})")
    }
}

fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    // Stable: problems on one line keep the order they were found in.
    problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    problems
}

// ---------------------------------------------------------------------------------------------
// Comparing

/// What the checker said about one deployment of a case, in the words expectations use.
struct Actual {
    id: String,
    verdict: &'static str,
    agreements: Vec<String>,
    terms: Vec<ActualTerm>,
}

struct ActualTerm {
    agreement: String,
    /// The clause id, or `default` for an agreement's `default deny`.
    clause: String,
    status: &'static str,
    reason: String,
}

/// Checks every valid deployment of a case's plan with the program `check` runs.
fn actual(rules: &RuleSet, sources: &Sources, plan: &plan::Plan) -> Vec<Actual> {
    use crate::eval::{Launches, Outcome, PlanIndex, Program};
    let program = Program::new(rules);
    let texts = crate::report::RuleTexts::new(rules, sources);
    let index = PlanIndex::build(rules, plan.deployments());
    let mut outcome = Outcome::default();
    plan.deployments()
        .map(|d| {
            program.check(d, Launches::Plan(&index), &mut outcome);
            let mut terms = Vec::new();
            for view in outcome.agreements() {
                let a = rules.agreement(view.agreement);
                for t in view.terms(rules) {
                    let mut reason = String::new();
                    crate::report::prose::reason(&texts, view.agreement, &t, d, &mut reason);
                    terms.push(ActualTerm {
                        agreement: a.id.clone(),
                        clause: a.clause(t.clause).id.clone(),
                        status: t.status.as_str(),
                        reason,
                    });
                }
                if view.denied_by_default {
                    terms.push(ActualTerm {
                        agreement: a.id.clone(),
                        clause: DEFAULT_TERM.into(),
                        status: "violated",
                        reason: format!(
                            "no clause of `{}` allows this deployment, and its default is deny",
                            a.id
                        ),
                    });
                }
            }
            Actual {
                id: d.id.clone(),
                verdict: outcome.verdict().as_str(),
                agreements: outcome.agreements().map(|v| rules.agreement(v.agreement).id.clone()).collect(),
                terms,
            }
        })
        .collect()
}

fn compare(e: &Expectation, d: &Actual) -> Result<Option<Difference>, Problem> {
    let mut lines = vec![Line {
        expected: format!("verdict: {}", e.verdict.as_str()),
        actual: format!("verdict: {}", d.verdict),
    }];

    if let Some(agreements) = &e.agreements {
        lines.push(Line {
            expected: format!("agreements: {}", list(agreements.iter().map(|a| a.name.clone()))),
            actual: format!("agreements: {}", list(d.agreements.iter().map(|a| a.to_string()))),
        });
    }

    if let Some(names) = &e.violated {
        // Each violated term is spelt as the expectation that names it, else by its bare clause id
        // (qualified when another term of the deployment has the same clause id), so equal lines
        // mean equal sets.
        let spelt = d.terms.iter().filter(|t| t.status == "violated").map(|t| {
            match names.iter().find(|n| matches(&n.name, &t.agreement, &t.clause)) {
                Some(n) => n.name.clone(),
                None if d.terms.iter().filter(|u| u.clause == t.clause).count() > 1 => {
                    format!("{}.{}", t.agreement, t.clause)
                }
                None => t.clause.to_string(),
            }
        });
        lines.push(Line {
            expected: format!("violated: {}", list(names.iter().map(|n| n.name.clone()))),
            actual: format!("violated: {}", list(spelt)),
        });
    }

    if !e.terms.is_empty() {
        lines.push(Line { expected: "terms:".into(), actual: "terms:".into() });
        for (name, status) in &e.terms {
            let found: Vec<_> =
                d.terms.iter().filter(|t| matches(&name.name, &t.agreement, &t.clause)).collect();
            let got = match found.as_slice() {
                [] => "not in force",
                [one] => one.status,
                [first, second, ..] => {
                    return Err(Problem::at(
                        name.line.or(e.line),
                        format!(
                            "clause `{}` is in two agreements in force for `{}`: `{}` and `{}`",
                            name.name, e.id, first.agreement, second.agreement
                        ),
                        Some(format!("name one of them, like `{}.{}`", first.agreement, name.name)),
                    ))
                }
            };
            lines.push(Line {
                expected: format!("  {}: {}", name.name, status.as_str()),
                actual: format!("  {}: {got}", name.name),
            });
        }
    }

    if lines.iter().all(|l| l.expected == l.actual) {
        return Ok(None);
    }
    Ok(Some(Difference {
        id: e.id.clone(),
        line: e.line,
        lines,
        verdict: d.verdict,
        agreements: d.agreements.iter().map(|a| a.to_string()).collect(),
        violations: d
            .terms
            .iter()
            .filter(|t| t.status == "violated")
            .map(|t| Violation {
                agreement: t.agreement.to_string(),
                clause: t.clause.to_string(),
                reason: t.reason.to_string(),
            })
            .collect(),
    }))
}

/// Whether a name as written (`clause` or `agreement.clause`) names this term.
fn matches(name: &str, agreement: &str, clause: &str) -> bool {
    match name.split_once('.') {
        Some((a, c)) => a == agreement && c == clause,
        None => name == clause,
    }
}

/// `[a, b]`: sorted, each once.
fn list(items: impl Iterator<Item = String>) -> String {
    let set: BTreeSet<String> = items.collect();
    format!("[{}]", set.into_iter().collect::<Vec<_>>().join(", "))
}

/// Every agreement and clause an expectation names must exist in the rules.
fn check_names(rules: &RuleSet, e: &Expectation, problems: &mut Vec<Problem>) {
    let agreement_ids = || rules.agreements.iter().map(|a| a.id.as_str());
    for a in e.agreements.iter().flatten() {
        if !agreement_ids().any(|id| id == a.name) {
            problems.push(Problem::at(
                a.line.or(e.line),
                format!("unknown agreement `{}`", a.name),
                suggest::help(&a.name, agreement_ids()),
            ));
        }
    }
    let names = e.violated.iter().flatten().chain(e.terms.iter().map(|(n, _)| n));
    for n in names {
        match n.name.split_once('.') {
            Some((a, c)) => match rules.agreements.iter().find(|x| x.id == a) {
                None => problems.push(Problem::at(
                    n.line.or(e.line),
                    format!("unknown agreement `{a}` in `{}`", n.name),
                    suggest::help(a, agreement_ids()),
                )),
                Some(agreement) => {
                    if c != DEFAULT_TERM && !agreement.clauses.iter().any(|x| x.id == c) {
                        let elsewhere = rules.agreements.iter().find(|x| x.clauses.iter().any(|y| y.id == c));
                        let help = match elsewhere {
                            Some(other) => Some(format!("`{c}` is a clause of `{}`", other.id)),
                            None => suggest::help(c, agreement.clauses.iter().map(|x| x.id.as_str())),
                        };
                        problems.push(Problem::at(
                            n.line.or(e.line),
                            format!("agreement `{a}` has no clause `{c}`"),
                            help,
                        ));
                    }
                }
            },
            None => {
                let clause_ids =
                    || rules.agreements.iter().flat_map(|a| a.clauses.iter().map(|c| c.id.as_str()));
                if n.name != DEFAULT_TERM && !clause_ids().any(|id| id == n.name) {
                    problems.push(Problem::at(
                        n.line.or(e.line),
                        format!("unknown clause `{}`", n.name),
                        suggest::help(&n.name, clause_ids()),
                    ));
                }
            }
        }
    }
}

mod document;

/// "Did you mean" for serde's ``unknown field `x`, expected one of ...``.
pub(crate) use document::{analyst_words, misspelt as misspelt_field};
use document::{case, line_of, options, yaml_error, FileDoc, TermStatus, Verdict};

#[cfg(test)]
mod tests {
    use super::document::misspelt;
    use super::*;

    #[test]
    fn a_plan_keeps_the_line_of_each_deployment() {
        let text = "cases:\n  - name: one\n    plan:\n      deployments:\n        - {id: a, party: x}\n\n        - id: b\n          party: y\n    expect:\n      a: allowed\n";
        let file = read_cases(text).expect("reads");
        let case = &file.cases[0];
        assert_eq!(case.plan.record_lines, vec![Some(5), Some(7)]);
        assert_eq!(case.plan.line, Some(4));
        assert_eq!(case.line, Some(2));
        assert_eq!(case.expect[0].line, Some(10));
        let json: Value = serde_json::from_str(&case.plan.json).expect("json");
        assert_eq!(json["deployments"][1]["party"], "y");
    }

    #[test]
    fn the_shorthand_and_the_mapping_say_the_same() {
        let text = "cases:\n  - name: one\n    plan: {deployments: []}\n    expect:\n      a: violated\n      b: {verdict: violated, violated: [x, y.z]}\n";
        let file = read_cases(text).expect("reads");
        let e = &file.cases[0].expect;
        assert_eq!(e[0].verdict, Verdict::Violated);
        assert!(e[0].violated.is_none());
        let names: Vec<_> = e[1].violated.iter().flatten().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["x", "y.z"]);
    }

    #[test]
    fn serde_words_become_the_case_files_words() {
        use super::document::analyst_words;
        let m = "unknown field `expct`, expected one of name, plan, expect";
        assert_eq!(analyst_words(m), "unknown key `expct`: the keys here are name, plan, expect");
        let m = "unknown variant `alowed`, expected `allowed` or `violated`";
        assert_eq!(analyst_words(m), "`alowed` is not a word this key takes: allowed, violated");
        assert_eq!(
            analyst_words("invalid type: integer `3`, expected a string"),
            "expected a string here, found integer `3`"
        );
        assert_eq!(analyst_words("missing field `name`"), "missing key `name`");
        assert_eq!(analyst_words("unclosed bracket '{'"), "unclosed bracket '{'");
    }

    #[test]
    fn a_misspelt_key_or_verdict_gets_a_suggestion() {
        let m = "unknown field `expct`, expected one of name, plan, expect";
        assert_eq!(misspelt(m).as_deref(), Some("did you mean `expect`?"));
        let m = "unknown variant `alowed`, expected `allowed` or `violated`";
        assert_eq!(misspelt(m).as_deref(), Some("did you mean `allowed`?"));
        let m = "unknown field `plans`, expected `cases`";
        assert_eq!(misspelt(m).as_deref(), None, "too far from `cases`");
        let m = "unknown variant `satisfed`, expected one of allowed, violated, satisfied";
        assert_eq!(misspelt(m).as_deref(), Some("did you mean `satisfied`?"));
    }

    #[test]
    fn names_match_bare_or_qualified() {
        assert!(matches("c", "a", "c"));
        assert!(matches("a.c", "a", "c"));
        assert!(!matches("b.c", "a", "c"));
        assert!(!matches("a", "a", "c"));
    }
}
