//! `clausecheck check`: load the rules, open each plan, run the passes, choose the exit status.
//!
//! Plans are opened here and read once, as streams; the run keeps its spool in memory until it
//! passes 16 MiB, then in an unnamed temporary file (the library opens no files). A plan given as
//! `-` is standard input; it is read once like any other, so `launched(...)` needs no second read.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clausecheck::check::baseline::Baseline;
use clausecheck::check::run::{self, PlanInput, Source};
use clausecheck::check::spool::Spool;
use clausecheck::check::{policy, CheckOptions, Checker, Filter, PlanInfo, Policy};
use clausecheck::diagnostic::{self, codes, Diagnostic, Location, RenderOptions};
use clausecheck::plan::{PlanError, PlanFormat};
use clausecheck::report::{self, RuleTexts, Style};
use clausecheck::source::Sources;

use super::io::InputFormat;
use super::{io, progress, ColorChoice, Status};

/// Plans larger than this in all are checked on every core unless `--jobs` says otherwise.
const PARALLEL_FROM: u64 = 4 << 20;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Deployment plans: .yaml/.yml, .json, .ndjson/.jsonl or .csv files, or `-` for standard input.
    #[arg(required = true, value_name = "PLAN")]
    plans: Vec<String>,

    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// How to write the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Also write the report in FORMAT to FILE, from the same run (repeatable): for example
    /// `--output-format sarif=clausecheck.sarif --output-format markdown=$GITHUB_STEP_SUMMARY`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output)]
    output_format: Vec<(ReportFormat, PathBuf)>,

    /// Waivers (YAML): approved exceptions to clauses for some deployments, until a date. A waived
    /// violation is reported as waived and does not fail the run; an expired one fails it again.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,

    /// The day waivers' expiry is judged on, as YYYY-MM-DD [default: today, in UTC].
    #[arg(long, value_name = "DATE", value_parser = super::lint::parse_date)]
    today: Option<chrono::NaiveDate>,

    /// A JSON report of an earlier run (`--format json`): fail only on violations it does not
    /// have; report the others as known, and list its violations that are now fixed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// What fails the run: violations of mandatory clauses (the default), or also of advisory
    /// clauses (`severity advisory`). Either way the exit status is 1 when the run fails.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Mandatory)]
    fail_on: FailOn,

    /// The format of the plans, overriding their names' extensions (required for `-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,

    /// The dates of the rules' events: a YAML file of `name: YYYY-MM-DD` or `name: unknown`.
    /// An event given no date (here or in a plan's `events`) is taken as not having happened.
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Warn about allowed deployments that become violated within DAYS of their date (an expiring
    /// licence, a closing window). Warnings do not change the exit status unless `--deny warnings`.
    #[arg(long, value_name = "DAYS")]
    warn_within: Option<u32>,

    /// Treat warnings as failures: exit 1 when there are any.
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Option<Deny>,

    /// List only these in the report (the summary still counts every record).
    #[arg(long, value_enum, value_name = "WHAT")]
    only: Option<Only>,

    /// Report the summary alone; the exit status says the rest.
    #[arg(long, short)]
    quiet: bool,

    /// Threads to check on [default: every core for plans over 4 MiB, else one].
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
}

/// What `--fail-on` fails the run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Violations of mandatory clauses (waived and known ones do not count).
    Mandatory,
    /// Violations of advisory clauses too.
    Advisory,
}

fn parse_output(s: &str) -> Result<(ReportFormat, PathBuf), String> {
    use clap::ValueEnum;
    let (format, file) = s.split_once('=').ok_or_else(|| format!("`{s}` is not FORMAT=FILE"))?;
    let format = ReportFormat::from_str(format, true).map_err(|_| {
        let names: Vec<String> = ReportFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        format!("`{format}` is not a format: use one of {}", names.join(", "))
    })?;
    if file.is_empty() {
        return Err(format!("`{s}` names no file after `=`"));
    }
    Ok((format, PathBuf::from(file)))
}

/// What `--deny` can turn into a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

/// What `--only` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Violated deployments and record errors.
    Violated,
}

/// The formats of `check`'s report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// For people (colour only on a terminal).
    Text,
    /// The whole report as one JSON document, keys in a fixed order.
    Json,
    /// One JSON object a line, each deployment as it is decided, then a summary line.
    Ndjson,
    /// Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY: totals, then tables (under 1 MiB).
    Markdown,
    /// JUnit XML: a test suite per plan, a test case per deployment (GitLab, Jenkins).
    Junit,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    /// One self-contained HTML page for people: summary, violations by clause, filters.
    Html,
}

impl From<ReportFormat> for report::Format {
    fn from(f: ReportFormat) -> report::Format {
        match f {
            ReportFormat::Text => report::Format::Text,
            ReportFormat::Json => report::Format::Json,
            ReportFormat::Ndjson => report::Format::Ndjson,
            ReportFormat::Markdown => report::Format::Markdown,
            ReportFormat::Junit => report::Format::Junit,
            ReportFormat::Sarif => report::Format::Sarif,
            ReportFormat::Github => report::Format::Github,
            ReportFormat::Html => report::Format::Html,
        }
    }
}

pub fn run(args: CheckArgs) -> Status {
    let to_terminal = args.output.is_none() && io::stdout_is_terminal();
    let err_color = io::use_color(args.color, io::stderr_is_terminal());
    let fail = |message: &str| {
        eprintln!("error: {message}");
        Status::Error
    };
    let from_stdin = args.plans.iter().filter(|p| *p == "-").count();
    if from_stdin > 1 {
        return fail("standard input can be read only once: name `-` once");
    }
    if args.input_format.is_none() && from_stdin > 0 {
        return fail("reading a plan from standard input needs `--input-format yaml|json|ndjson|csv`");
    }
    // Every report of the run: the main one (`--format`, `--output`), then each `--output-format`.
    let mut reports: Vec<(ReportFormat, Option<PathBuf>)> = vec![(args.format, args.output.clone())];
    reports.extend(args.output_format.iter().map(|(f, p)| (*f, Some(p.clone()))));
    for (i, (_, out)) in reports.iter().enumerate() {
        let Some(out) = out else { continue };
        if let Some(plan) = args.plans.iter().find(|p| *p != "-" && same_file(Path::new(p), out)) {
            return fail(&format!(
                "`{}` would overwrite the plan `{plan}`: name another file",
                io::display(out)
            ));
        }
        if reports[..i].iter().any(|(_, o)| o.as_ref() == Some(out)) {
            return fail(&format!(
                "two reports would be written to `{}`: name another file",
                io::display(out)
            ));
        }
    }

    let events = io::Events {
        file: args.events.clone(),
        plans: args
            .plans
            .iter()
            .filter(|p| *p != "-")
            .filter(|p| {
                let format = args.input_format.map(PlanFormat::from).or_else(|| PlanFormat::from_path(p));
                matches!(format, Some(PlanFormat::Yaml | PlanFormat::Json))
            })
            .map(PathBuf::from)
            .collect(),
    };
    let (sources, rules, event_inputs) = match io::load_rule_set_with(args.rules.clone(), &events, err_color)
    {
        Ok(loaded) => (loaded.sources, loaded.rules, loaded.events),
        Err(failure) => {
            // A pipeline reading a report always gets one, saying what went wrong.
            let (sources, diagnostics) = failure.into_diagnostics();
            write_failed(&reports, &diagnostics, &sources);
            return Status::Error;
        }
    };
    let today = args.today.unwrap_or_else(super::lint::today);
    let mut policy =
        Policy { fail_on_advisory: args.fail_on == FailOn::Advisory, today, ..Policy::default() };
    let mut input_errors: Vec<Diagnostic> = Vec::new();
    if let Some(path) = &args.waivers {
        let name = io::display(path);
        match io::read_text_at_most(path, io::MAX_WAIVERS_FILE, "the waivers file") {
            Ok(text) => match clausecheck::waivers::read(&name, &text, &rules) {
                Ok(w) => policy.waivers = w,
                Err(found) => input_errors.extend(found),
            },
            Err(message) => input_errors.push(Diagnostic::new(
                codes::BAD_WAIVERS,
                message,
                Location::File { file: name, line: None, column: None },
            )),
        }
    }
    if let Some(path) = &args.baseline {
        let name = io::display(path);
        // A baseline is a JSON report: as large as a JSON plan may be.
        match io::read_text_at_most(path, clausecheck::check::run::MAX_DOCUMENT, "the baseline") {
            Ok(text) => match Baseline::read(&name, &text) {
                Ok(b) => policy.baseline = Some(b),
                Err(d) => input_errors.push(*d),
            },
            Err(message) => input_errors.push(Diagnostic::new(
                codes::BAD_BASELINE,
                message,
                Location::File { file: name, line: None, column: None },
            )),
        }
    }
    if !input_errors.is_empty() {
        let options = RenderOptions { color: err_color, ..RenderOptions::default() };
        eprint!("{}", diagnostic::render(&input_errors, &sources, options));
        let n = input_errors.len();
        eprintln!(
            "error: {n} error{} in the waivers or the baseline; nothing was checked",
            if n == 1 { "" } else { "s" }
        );
        write_failed(&reports, &input_errors, &sources);
        return Status::Error;
    }

    let mut total_bytes = 0u64;
    let mut failures: Vec<(String, PlanError)> = Vec::new();
    let inputs: Vec<PlanInput<'_>> = args
        .plans
        .iter()
        .enumerate()
        .map(|(seq, name)| {
            let display = if name == "-" { "<stdin>" } else { name.as_str() };
            let info = PlanInfo { name: Arc::from(display), seq };
            let source = open(name, args.input_format.map(PlanFormat::from), &mut total_bytes);
            if let Err(e) = &source {
                failures.push((display.to_owned(), e.clone()));
            }
            PlanInput { info, source }
        })
        .collect();
    let jobs = match args.jobs {
        Some(n) => usize::from(n),
        None if total_bytes > PARALLEL_FROM || from_stdin > 0 => {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
        None => 1,
    };

    let filter = match (args.quiet, args.only) {
        (true, _) => Filter::Quiet,
        (false, Some(Only::Violated)) => Filter::OnlyViolated,
        (false, None) => Filter::All,
    };
    let options = CheckOptions { warn_within: args.warn_within, jobs };
    let mut checker = Checker::new(&rules, options).with_policy(policy);
    if args.warn_within.is_some() {
        // Each event with no date, dated on a deployment's day, is the rule set loaded again.
        let (sources, inputs) = (sources.clone(), event_inputs);
        let load = move |event: &str, day: chrono::NaiveDate| {
            let dated = clausecheck::events::GivenEvent {
                name: event.to_owned(),
                date: Some(day),
                span: clausecheck::source::Span::default(),
            };
            clausecheck::load_rules_dated(&sources, &inputs, &[dated]).ok()
        };
        checker = checker.with_events(clausecheck::check::EventVariants::new(&rules, Box::new(load)));
    }
    let texts = RuleTexts::new(&rules, &sources);
    // The HTML page shows when each agreement is in force: the timeline of the rules alone.
    let timeline = reports.iter().any(|(f, _)| *f == ReportFormat::Html).then(|| {
        clausecheck::timeline::build(&rules, &sources, None, clausecheck::timeline::Years::default())
    });
    let mut outputs = Vec::with_capacity(reports.len());
    for (i, (format, path)) in reports.iter().enumerate() {
        // Colour only for the main report, on a terminal.
        let color = i == 0 && io::use_color(args.color, to_terminal);
        let style = Style { color, filter };
        let out: Box<dyn Write + Send> = match path {
            None => Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())),
            Some(path) => match std::fs::File::create(path) {
                Ok(file) => Box::new(std::io::BufWriter::with_capacity(1 << 16, file)),
                Err(e) => return fail(&format!("cannot write `{}`: {e}", io::display(path))),
            },
        };
        outputs.push(match format {
            ReportFormat::Html => report::html::output(&texts, style, timeline.as_ref(), out),
            f => report::output((*f).into(), &texts, style, out),
        });
    }
    let mut spool = Spool::spilling(16 << 20, || Ok(Box::new(tempfile::tempfile()?)));
    let mut bar = progress::Bar::new(args.quiet, total_bytes);
    let finished = run::run(&checker, inputs, &mut spool, &mut outputs, jobs, &mut |p| bar.update(p));
    bar.finish();
    let finished = match finished {
        Ok(f) => f,
        // A closed pipe (`| head`) needs no message: the reader chose to stop.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Status::Error,
        Err(e) => {
            let place =
                args.output.as_deref().map_or("the report".to_string(), |p| format!("`{}`", io::display(p)));
            return fail(&format!("cannot write {place}: {e}"));
        }
    };
    let s = &finished.summary;
    // Where errors go is decided by the format alone, never by whether stdout is a terminal: the
    // text report lists every plan and record error in place, so standard error only counts them
    // (a log of both streams shows each error once); a machine report lists them for programs,
    // so standard error also names each plan that cannot be read, for the people reading the log.
    if args.format != ReportFormat::Text {
        for (name, e) in &failures {
            let help = e.help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default();
            eprintln!("error: {}", report::safe(&format!("{name}: {}{help}", e.message)));
        }
    }
    if s.errors > 0 || finished.failed_plans > 0 {
        let mut parts = Vec::new();
        if s.errors > 0 {
            parts.push(plural(s.errors, "record is", "records are") + " in error");
        }
        if finished.failed_plans > 0 {
            parts.push(plural(finished.failed_plans, "plan", "plans") + " could not be read");
        }
        eprintln!("error: {} (listed in the report)", parts.join(" and "));
    }
    match policy::exit(finished.verdict, finished.warnings(), args.deny == Some(Deny::Warnings)) {
        policy::Exit::Success => Status::Success,
        policy::Exit::Findings => Status::Findings,
        policy::Exit::Error => Status::Error,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Opens a plan for reading, or says why it cannot be.
fn open(name: &str, forced: Option<PlanFormat>, total: &mut u64) -> Result<Source<'static>, PlanError> {
    let error = |message: String, help: Option<&str>| PlanError {
        message,
        line: None,
        column: None,
        help: help.map(str::to_owned),
    };
    if name.is_empty() {
        return Err(error(
            "the name of a plan is empty".to_owned(),
            Some("name a plan file, or `-` for standard input"),
        ));
    }
    // Before the format: a folder's name seldom says one, and the message would be beside the point.
    let path = Path::new(name);
    if name != "-" && path.is_dir() {
        return Err(error(
            format!("plan `{name}` is a folder, not a file"),
            Some("name the plan files in it"),
        ));
    }
    let Some(format) = forced.or_else(|| PlanFormat::from_path(name)) else {
        return Err(error(
            format!("cannot tell the format of plan `{name}` from its name"),
            Some("name it .yaml, .yml, .json, .ndjson, .jsonl or .csv, or pass `--input-format`"),
        ));
    };
    if name == "-" {
        return Ok(Source { format, input: Box::new(BufReader::with_capacity(1 << 20, std::io::stdin())) });
    }
    match std::fs::File::open(path) {
        Ok(file) => {
            *total += file.metadata().map_or(0, |m| m.len());
            let input: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(1 << 20, file));
            Ok(Source { format, input })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(error(format!("there is no plan file `{name}`"), None))
        }
        Err(e) => Err(error(format!("cannot read plan `{name}`: {e}"), None)),
    }
}

/// Whether two paths name the same file (an output that does not exist yet is no input).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Every report of a run that checked nothing, each in its format, saying why.
fn write_failed(reports: &[(ReportFormat, Option<PathBuf>)], diagnostics: &[Diagnostic], sources: &Sources) {
    for (format, path) in reports {
        if let Some(bytes) = report::failed((*format).into(), diagnostics, sources) {
            if let Err(e) = write_all(path, &bytes) {
                eprintln!("error: {e}");
            }
        }
    }
}

fn write_all(output: &Option<PathBuf>, bytes: &[u8]) -> Result<(), String> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", io::display(path)))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write the report: {e}"))
                }
                _ => Ok(()),
            }
        }
    }
}
