//! `clausecheck test`: run the analysts' test cases (`rules/tests/*.yaml`) against the rules and
//! report like `cargo test`: one line per case, then a section per failure with a diff of expected
//! and actual, then `N passed, M failed`.
//!
//! Reading and comparing cases is `clausecheck::testing`; this file finds the case files, lays out
//! the results and chooses the exit status: 0 every case passed, 1 a case failed, 2 the rules, a
//! case file or a case (a bad plan record, an id the plan lacks, an unknown clause) are wrong.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clausecheck::report::junit::{CaseOutcome, CaseResult};
use clausecheck::report::Paint;
use clausecheck::testing::{self, Case, Difference, Outcome, Problem};

use super::{io, ColorChoice, Status};

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Case files, or folders of them (every .yaml/.yml inside, subfolders included, in path order)
    /// [default: the `tests` folder beside the rules: rules/tests/].
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// When to use colour in the results.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// How to write the results: for people, or JUnit XML for a CI system's test report.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    format: TestFormat,
}

/// The formats of `test`'s results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// Like `cargo test`: a line per case, then a section per failure.
    Text,
    /// JUnit XML: a test suite per case file, a test case per case.
    Junit,
}

pub fn run(args: TestArgs) -> Status {
    let err_color = io::use_color(args.color, io::stderr_is_terminal());
    let paint = Paint::new(io::use_color(args.color, io::stdout_is_terminal()));

    let paths = if args.paths.is_empty() {
        match io::rules_path(args.rules.clone()) {
            Ok(rules) => vec![default_cases(&rules)],
            Err(message) => {
                eprintln!("error: {message}");
                return Status::Error;
            }
        }
    } else {
        args.paths.clone()
    };
    let Ok((sources, rules)) = io::load_rule_set(args.rules.clone(), err_color) else {
        return Status::Error;
    };
    let files = match case_files(&paths, args.paths.is_empty()) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::Error;
        }
    };

    // Read every file first, so the count of cases comes before the first result.
    let junit = args.format == TestFormat::Junit;
    let mut broken = 0;
    let mut unreadable: Vec<(String, String)> = Vec::new();
    let mut readable: Vec<(String, Vec<Case>)> = Vec::new();
    for path in &files {
        let name = io::display(path);
        let read = std::fs::read_to_string(path)
            .map_err(|e| Problem {
                code: clausecheck::diagnostic::codes::BAD_CASE_FILE,
                line: None,
                column: None,
                message: format!("cannot read: {e}"),
                help: None,
            })
            .and_then(|text| testing::read_cases(&text));
        match read {
            Ok(file) => readable.push((name, file.cases)),
            Err(problem) => {
                broken += 1;
                let text = problem_text(&name, &problem);
                eprintln!("error: {}", clausecheck::report::safe_lines(&text));
                unreadable.push((name, text));
            }
        }
    }

    // With no file readable there is nothing to run: only the errors are said, not "running 0
    // cases from 0 files" ahead of them.
    if readable.is_empty() && broken > 0 {
        eprintln!("{}", not_read(broken));
        return Status::Error;
    }

    // Results go out as each case runs; a closed pipe (`| head`) is not an error worth reporting.
    let mut stdout = std::io::stdout().lock();
    let total: usize = readable.iter().map(|(_, cases)| cases.len()).sum();
    let files = plural(readable.len(), "file", "files");
    if !junit {
        let _ = writeln!(stdout, "running {} from {files}", plural(total, "case", "cases"));
    }
    let plain = Paint::new(false);
    let mut results: Vec<(String, Vec<CaseResult>)> = Vec::new();
    let (mut passed, mut failed, mut errors) = (0, 0, 0);
    let mut sections = String::new();
    let mut failures = Vec::new();
    for (file, cases) in &readable {
        let mut file_results = Vec::new();
        for case in cases {
            // Names and reasons come from case and rule files: shown with their controls escaped.
            let title = clausecheck::report::safe(&format!("{file} › {}", case.name)).into_owned();
            let outcome = match case.events() {
                Ok(events) if events.is_empty() => testing::run_case(&rules, &sources, case),
                // The case dates events of its own: the rules are resolved again with them.
                Ok(events) => match clausecheck::load_rules_dated(&sources, &[], &events) {
                    Ok(dated) => testing::run_case(&dated, &sources, case),
                    Err(diagnostics) => {
                        let words: Vec<String> = diagnostics.iter().map(|d| d.message.clone()).collect();
                        let help = diagnostics.iter().find_map(|d| d.help.clone());
                        case.problem(format!("the case's events: {}", words.join("; ")), help)
                    }
                },
                Err(problem) => Outcome::Error(vec![problem]),
            };
            let word = match &outcome {
                Outcome::Passed => {
                    passed += 1;
                    paint.green("ok")
                }
                Outcome::Failed(differences) => {
                    failed += 1;
                    failure(&mut sections, &paint, &title, file, differences);
                    paint.red("FAILED")
                }
                Outcome::Error(problems) => {
                    errors += 1;
                    error(&mut sections, &paint, &title, file, problems);
                    paint.red("ERROR")
                }
            };
            if junit {
                let mut body = String::new();
                let outcome = match &outcome {
                    Outcome::Passed => CaseOutcome::Passed,
                    Outcome::Failed(differences) => {
                        failure(&mut body, &plain, &title, file, differences);
                        CaseOutcome::Failed(body)
                    }
                    Outcome::Error(problems) => {
                        error(&mut body, &plain, &title, file, problems);
                        CaseOutcome::Error(body)
                    }
                };
                file_results.push(CaseResult { name: case.name.clone(), line: case.line, outcome });
            } else {
                let _ = writeln!(stdout, "test {title} ... {word}");
            }
            if outcome != Outcome::Passed {
                failures.push(title);
            }
        }
        results.push((file.clone(), file_results));
    }
    if junit {
        let _ = stdout.write_all(&clausecheck::report::junit::test_cases(&results, &unreadable));
        let _ = stdout.flush();
        sections.clear();
        failures.clear();
    }
    let mut end = String::new();
    if junit {
        // The XML is the whole report.
    } else if !failures.is_empty() {
        let _ = write!(end, "\nfailures:\n{sections}\nfailures:\n");
        for title in &failures {
            let _ = writeln!(end, "    {title}");
        }
    }
    if !junit {
        let _ = writeln!(end, "\n{passed} passed, {} failed", failed + errors);
    }
    let _ = stdout.write_all(end.as_bytes()).and_then(|()| stdout.flush());
    drop(stdout);

    if broken > 0 {
        eprintln!("{}", not_read(broken));
    }
    if errors > 0 {
        eprintln!("error: {} could not be run (see ERROR above)", plural(errors, "case", "cases"));
    }
    if broken > 0 || errors > 0 {
        Status::Error
    } else if failed > 0 {
        Status::Findings
    } else {
        Status::Success
    }
}

fn not_read(broken: usize) -> String {
    format!(
        "error: {} could not be read; {} not run",
        plural(broken, "case file", "case files"),
        if broken == 1 { "its cases were" } else { "their cases were" }
    )
}

/// The `tests` folder beside the rules: inside the rules folder, or beside a single rule file.
fn default_cases(rules: &Path) -> PathBuf {
    if rules.is_dir() {
        rules.join("tests")
    } else {
        rules.parent().unwrap_or(Path::new("")).join("tests")
    }
}

/// Every case file named, folders expanded to their `.yaml`/`.yml` files in path order.
fn case_files(paths: &[PathBuf], defaulted: bool) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = io::files_under(path, &["yaml", "yml"])?;
            if found.is_empty() {
                return Err(format!("the folder `{}` holds no .yaml or .yml case files", io::display(path)));
            }
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else if defaulted {
            return Err(format!(
                "there is no `{}` folder of test cases (write cases there, see \"Test cases\" in \
                 docs/language.md, or name case files: `clausecheck test FILE...`)",
                io::display(path)
            ));
        } else {
            return Err(format!("cannot find `{}`: no such case file or folder", io::display(path)));
        }
    }
    Ok(files)
}

/// The section of a failed case: for each deployment that differs, its expectation line by line,
/// each differing line as a pair (`-` expected, `+` actual), then what the checker said and why.
fn failure(out: &mut String, p: &Paint, title: &str, file: &str, differences: &[Difference]) {
    let _ = writeln!(out, "\n{}", p.bold(&format!("---- {title} ----")));
    for (i, d) in differences.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let place = d.line.map(|l| format!(" ({file}:{l})")).unwrap_or_default();
        let safe = |t: &str| clausecheck::report::safe(t).into_owned();
        let _ = writeln!(out, "{}{place}: {} expected, {} actual", safe(&d.id), p.red("-"), p.green("+"));
        for line in &d.lines {
            if line.expected == line.actual {
                let _ = writeln!(out, "    {}", safe(&line.expected));
            } else {
                let _ = writeln!(out, "{}", p.red(&format!("  - {}", safe(&line.expected))));
                let _ = writeln!(out, "{}", p.green(&format!("  + {}", safe(&line.actual))));
            }
        }
        let under = match d.agreements.as_slice() {
            [] => "no agreement binds it on its date".to_string(),
            agreements => format!("under {}", agreements.join(", ")),
        };
        let none = if d.violations.is_empty() { ", no clause violated" } else { "" };
        let _ = writeln!(out, "  checked: {} {under}{none}", d.verdict);
        for v in &d.violations {
            let clause = if d.agreements.len() > 1 {
                format!("{}.{}", v.agreement, v.clause)
            } else {
                v.clause.clone()
            };
            let _ = writeln!(out, "    violated {clause} — {}", safe(&v.reason));
        }
    }
}

/// The section of a case that could not be run: every problem, placed in the case file.
fn error(out: &mut String, p: &Paint, title: &str, file: &str, problems: &[Problem]) {
    let _ = writeln!(out, "\n{}", p.bold(&format!("---- {title} ----")));
    for problem in problems {
        let _ = writeln!(
            out,
            "{} {}",
            p.red("error:"),
            clausecheck::report::safe_lines(&problem_text(file, problem))
        );
    }
}

/// `file:line:column: message`, then the help on a line of its own.
fn problem_text(file: &str, problem: &Problem) -> String {
    let mut s = file.to_string();
    if let Some(l) = problem.line {
        let _ = write!(s, ":{l}");
        if let Some(c) = problem.column {
            let _ = write!(s, ":{c}");
        }
    }
    let _ = write!(s, ": {}", problem.message);
    if let Some(h) = &problem.help {
        let _ = write!(s, "\n  help: {h}");
    }
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
