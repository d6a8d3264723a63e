//! The JUnit XML report, for CI systems that show test results (GitLab's `artifacts:reports:junit`,
//! Jenkins, Azure Pipelines): one `<testsuite>` per plan, one `<testcase>` per deployment, a
//! `<failure>` per violated term that fails the run (with the reason and the quoted source),
//! record errors as `<error>`. Violations that do not fail the run (waived, known, advisory) are
//! told in the test case's `<system-out>`. Every deployment is a test case: `--only` and
//! `--quiet` do not thin this report, whose counts must match its cases.
//!
//! The counts of each suite come first in XML, so the sink asks for the totals of each plan
//! before the first record ([`Needs::summary_first`]). Every text is escaped for XML 1.0; the
//! characters XML cannot hold at all are written as `\u{..}`.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::texts::RuleTexts;
use super::violations::rows;
use super::{End, Needs, Render, Sink, Start};
use crate::check::{Checked, PlanInfo, Summary};
use crate::plan::{InvalidRecord, PlanError};

/// `text` escaped for XML: as element content, or (with `attribute`) inside double quotes.
pub fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            // Not allowed in XML 1.0 at all, not even as a reference.
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) struct JunitRender<'r> {
    texts: &'r RuleTexts<'r>,
}

impl<'r> JunitRender<'r> {
    pub(super) fn new(texts: &'r RuleTexts<'r>) -> JunitRender<'r> {
        JunitRender { texts }
    }
}

fn testcase_open(out: &mut String, name: &str, plan: &str, line: Option<usize>) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
        escape(name, true),
        escape(plan, true),
        escape(plan, true)
    );
    if let Some(line) = line {
        let _ = write!(out, " line=\"{line}\"");
    }
    out.push('>');
}

impl Render for JunitRender<'_> {
    fn deployment(&self, c: &Checked<'_>, out: &mut Vec<u8>) {
        // INVARIANT: every deployment is a test case, whatever `--only` or `--quiet` say, so the
        // counts of each suite (made before the first case) match its cases.
        let d = c.deployment;
        let mut s = String::new();
        testcase_open(&mut s, &d.id, &c.plan.name, d.line);
        let mut system_out = String::new();
        for row in rows(self.texts, c) {
            let mut body = row.reason.clone();
            if !row.quote.is_empty() {
                let _ = write!(body, "\n“{}”", row.quote);
            }
            let _ = write!(body, "\n{}", row.source);
            if let Some(note) = row.note() {
                let _ = write!(body, "\n{note}");
            }
            if c.policy.term_fails(row.disposition()) {
                let _ = write!(
                    s,
                    "\n      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    escape(&row.name(), true),
                    escape(&format!("{} — {}: {}", row.name(), row.title, row.reason), true),
                    escape(&body, false)
                );
            } else {
                let _ = writeln!(
                    system_out,
                    "{} {} — {}: {}",
                    row.disposition().as_str(),
                    row.name(),
                    row.title,
                    body.replace('\n', "\n    ")
                );
            }
        }
        if !system_out.is_empty() {
            let _ = write!(s, "\n      <system-out>{}</system-out>", escape(&system_out, false));
        }
        if s.ends_with('>') && !s.ends_with("</failure>") && !s.ends_with("</system-out>") {
            // No failure and nothing to tell: an empty, passing case.
            s.pop();
            s.push_str("/>\n");
        } else {
            s.push_str("\n    </testcase>\n");
        }
        out.extend_from_slice(s.as_bytes());
    }

    fn record_error(&self, plan: &PlanInfo, record: &InvalidRecord, out: &mut Vec<u8>) {
        let mut s = String::new();
        testcase_open(&mut s, &record.id, &plan.name, record.line);
        for d in record.diagnostics(&plan.name) {
            let line = d.one_line(&crate::source::Sources::new());
            let _ = write!(
                s,
                "\n      <error type=\"{}\" message=\"{}\">{}</error>",
                d.code,
                escape(&d.message, true),
                escape(&line, false)
            );
        }
        s.push_str("\n    </testcase>\n");
        out.extend_from_slice(s.as_bytes());
    }
}

pub(super) struct JunitSink<'w> {
    out: Box<dyn Write + Send + 'w>,
    plans: Vec<Summary>,
    policy_fails_advisory: bool,
}

impl<'w> JunitSink<'w> {
    pub(super) fn new(out: Box<dyn Write + Send + 'w>) -> JunitSink<'w> {
        JunitSink { out, plans: Vec::new(), policy_fails_advisory: false }
    }
}

/// Failing test cases of these counts.
fn failures(s: &Summary, policy_fails_advisory: bool) -> usize {
    s.violated + if policy_fails_advisory { s.advisory } else { 0 }
}

fn counts(tests: usize, failures: usize, errors: usize) -> String {
    format!("tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\"")
}

impl Sink for JunitSink<'_> {
    fn needs(&self) -> Needs {
        Needs { summary_first: true, errors_apart: false }
    }

    fn begin(&mut self, start: &Start<'_>) -> io::Result<()> {
        let total = start.summary.map(|(s, _)| *s).unwrap_or_default();
        self.plans = start.plans.to_vec();
        self.policy_fails_advisory = start.policy.fail_on_advisory;
        let head = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"clausecheck\" {}>\n",
            counts(
                total.deployments + start.failed_plans,
                failures(&total, self.policy_fails_advisory),
                total.errors + start.failed_plans
            )
        );
        self.out.write_all(head.as_bytes())
    }

    fn plan_failed(&mut self, plan: &PlanInfo, error: &PlanError) -> io::Result<()> {
        let d = error.to_diagnostic(&plan.name);
        let mut s = format!("  <testsuite name=\"{}\" {}>\n", escape(&plan.name, true), counts(1, 0, 1));
        testcase_open(&mut s, &plan.name, &plan.name, error.line);
        let _ = write!(
            s,
            "\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n",
            d.code,
            escape(&d.message, true),
            escape(&d.one_line(&crate::source::Sources::new()), false)
        );
        self.out.write_all(s.as_bytes())
    }

    fn plan_begin(&mut self, plan: &PlanInfo) -> io::Result<()> {
        let s = self.plans.get(plan.seq).copied().unwrap_or_default();
        let head = format!(
            "  <testsuite name=\"{}\" {}>\n",
            escape(&plan.name, true),
            counts(s.deployments, failures(&s, self.policy_fails_advisory), s.errors)
        );
        self.out.write_all(head.as_bytes())
    }

    fn plan_end(&mut self, _plan: &PlanInfo) -> io::Result<()> {
        self.out.write_all(b"  </testsuite>\n")
    }

    fn deployment(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    fn record_error(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    fn finish(&mut self, _end: &End<'_>) -> io::Result<()> {
        self.out.write_all(b"</testsuites>\n")?;
        self.out.flush()
    }
}

/// The JUnit report of a run that checked nothing: one suite, `rules`, with a failing case per
/// error of the inputs.
pub(super) fn failed(
    diagnostics: &[crate::diagnostic::Diagnostic],
    sources: &crate::source::Sources,
) -> Vec<u8> {
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .take(crate::diagnostic::MAX_JSON_ERRORS)
        .collect();
    let n = errors.len();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"clausecheck\" {}>\n  <testsuite name=\"inputs\" {}>\n",
        counts(n, 0, n),
        counts(n, 0, n)
    );
    for d in errors {
        let (file, line, _) = d.file_line_column(sources);
        let file = file.unwrap_or_default();
        testcase_open(&mut s, &d.code.to_string(), &file, line);
        let _ = write!(
            s,
            "\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>\n",
            d.code,
            escape(&d.message, true),
            escape(&d.one_line(sources), false)
        );
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s.into_bytes()
}

/// How one of the analysts' test cases came out (`clausecheck test --format junit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseOutcome {
    Passed,
    /// The differences of expected and actual, in words.
    Failed(String),
    /// Why the case could not be run.
    Error(String),
}

/// One case of a case file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    pub name: String,
    pub line: Option<usize>,
    pub outcome: CaseOutcome,
}

/// The JUnit report of `clausecheck test`: a `<testsuite>` per case file, a `<testcase>` per
/// case; a case file that cannot be read is a suite of one case in error.
pub fn test_cases(files: &[(String, Vec<CaseResult>)], unreadable: &[(String, String)]) -> Vec<u8> {
    let count =
        |cases: &[CaseResult], f: fn(&CaseOutcome) -> bool| cases.iter().filter(|c| f(&c.outcome)).count();
    let failed = |o: &CaseOutcome| matches!(o, CaseOutcome::Failed(_));
    let errored = |o: &CaseOutcome| matches!(o, CaseOutcome::Error(_));
    let tests: usize = files.iter().map(|(_, c)| c.len()).sum::<usize>() + unreadable.len();
    let failures: usize = files.iter().map(|(_, c)| count(c, failed)).sum();
    let errors: usize = files.iter().map(|(_, c)| count(c, errored)).sum::<usize>() + unreadable.len();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"clausecheck test\" {}>\n",
        counts(tests, failures, errors)
    );
    for (file, cases) in files {
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" {}>",
            escape(file, true),
            counts(cases.len(), count(cases, failed), count(cases, errored))
        );
        for case in cases {
            testcase_open(&mut s, &case.name, file, case.line);
            let (tag, body) = match &case.outcome {
                CaseOutcome::Passed => {
                    s.pop();
                    s.push_str("/>\n");
                    continue;
                }
                CaseOutcome::Failed(body) => ("failure", body),
                CaseOutcome::Error(body) => ("error", body),
            };
            // The case's own heading (`---- file › name ----`) is the test case's name already.
            let body: Vec<&str> =
                body.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("---- ")).collect();
            let message = body.first().copied().unwrap_or("");
            let _ = write!(
                s,
                "\n      <{tag} message=\"{}\">{}</{tag}>\n    </testcase>\n",
                escape(message.trim(), true),
                escape(&body.join("\n"), false)
            );
        }
        s.push_str("  </testsuite>\n");
    }
    for (file, problem) in unreadable {
        let _ = writeln!(s, "  <testsuite name=\"{}\" {}>", escape(file, true), counts(1, 0, 1));
        testcase_open(&mut s, file, file, None);
        let _ = write!(
            s,
            "\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>\n  </testsuite>\n",
            crate::diagnostic::codes::BAD_CASE_FILE,
            escape(problem.lines().next().unwrap_or(""), true),
            escape(problem, false)
        );
    }
    s.push_str("</testsuites>\n");
    s.into_bytes()
}
