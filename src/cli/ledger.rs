//! `clausecheck ledger`: check a ledger of reported revenue and payments against the payment
//! terms of the rules.
//!
//! Reading, checking and the figures are `clausecheck::ledger`; the report is
//! `clausecheck::report::ledger`. This file reads the rules and the ledger (a file or standard
//! input, at most [`MAX_DOCUMENT`] bytes), applies `--assume`, reads the clock for `--today`'s
//! default, writes the report and picks the exit status: 0 every payment term satisfied or not
//! yet due, 1 a term violated, 2 the rules, the ledger, an entry or the flags are wrong.

use std::io::{Read, Write as _};
use std::path::PathBuf;

use clausecheck::check::policy::{self, RunVerdict};
use clausecheck::check::run::MAX_DOCUMENT;
use clausecheck::ledger;
use clausecheck::plan::{PlanError, PlanFormat};
use clausecheck::report::{self, ErrorReport};

use super::io::InputFormat;
use super::{io, ColorChoice, Status};

#[derive(Debug, clap::Args)]
pub struct LedgerArgs {
    /// The ledger: a .yaml/.yml, .json, .ndjson/.jsonl or .csv file, or `-` for standard input.
    #[arg(value_name = "LEDGER")]
    ledger: String,

    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// How to write the report.
    #[arg(long, value_enum, default_value_t = LedgerFormat::Text)]
    format: LedgerFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The ledger's format, overriding its name's extension (required for `-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,

    /// The dates of the rules' events: a YAML file of `name: YYYY-MM-DD` or `name: unknown`. An
    /// event given no date is taken as not having happened, and the figures that rest on it say so.
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,

    /// The day that decides what is due, as YYYY-MM-DD: a period not over by then is not yet due
    /// [default: today].
    #[arg(long, value_name = "DATE", value_parser = super::lint::parse_date)]
    today: Option<chrono::NaiveDate>,

    /// Another value for an assumed parameter, for this run only: `NAME=VALUE` or
    /// `AGREEMENT.NAME=VALUE`, like `revshare_cap="12_000_000_000 USD"`. Only values the rules
    /// mark `assumed` can be replaced; the report still names them as assumptions.
    #[arg(long, value_name = "NAME=VALUE")]
    assume: Vec<String>,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// The formats of the ledger report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LedgerFormat {
    /// For people (colour only on a terminal).
    Text,
    /// The whole report as one JSON document, keys in a fixed order, amounts as exact strings.
    Json,
    /// One JSON object a line: each payment term, each entry unmatched or in error, the summary.
    Ndjson,
}

pub fn run(args: LedgerArgs) -> Status {
    let machine = args.format != LedgerFormat::Text;
    let fail = |message: &str| {
        eprintln!("error: {}", report::safe(message));
        Status::Error
    };
    let name = if args.ledger == "-" { "<stdin>" } else { args.ledger.as_str() };
    let Some(format) =
        args.input_format.map(PlanFormat::from).or_else(|| PlanFormat::from_path(&args.ledger))
    else {
        return fail(&if args.ledger == "-" {
            "reading a ledger from standard input needs `--input-format yaml|json|ndjson|csv`".to_owned()
        } else {
            format!(
                "cannot tell the format of ledger `{name}` from its name (name it .yaml, .yml, .json, .ndjson, .jsonl or .csv, or pass `--input-format`)"
            )
        });
    };
    if let Some(out) = &args.output {
        let same = |a: &std::path::Path, b: &std::path::Path| match (
            std::fs::canonicalize(a),
            std::fs::canonicalize(b),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if args.ledger != "-" && same(std::path::Path::new(&args.ledger), out) {
            return fail(&format!(
                "`--output {}` would overwrite the ledger: name another file",
                io::display(out)
            ));
        }
    }
    let events = io::Events { file: args.events.clone(), plans: Vec::new() };
    let color = io::use_color(args.color, io::stderr_is_terminal());
    let (sources, mut rules) = match io::load_rule_set_with(args.rules.clone(), &events, color) {
        Ok(loaded) => (loaded.sources, loaded.rules),
        Err(failure) => {
            if machine {
                let (sources, diagnostics) = failure.into_diagnostics();
                report::with_error_reports(&diagnostics, &sources, |errors| write_failed(&args, errors));
            }
            return Status::Error;
        }
    };
    for spec in &args.assume {
        if let Err(message) = ledger::assume(&mut rules, spec) {
            return fail(&message);
        }
    }
    let read = read_bytes(&args.ledger).and_then(|bytes| ledger::read_bytes(&bytes, format, &rules));
    let entries = match read {
        Ok(entries) => entries,
        Err(e) => {
            let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
            let help = e.help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default();
            eprintln!("error: {}", report::safe(&format!("ledger `{name}{at}`: {}{help}", e.message)));
            if machine {
                let failed = ErrorReport {
                    record: None,
                    position: None,
                    file: Some(name),
                    line: e.line,
                    column: e.column,
                    field: None,
                    message: &e.message,
                    help: e.help.as_deref(),
                    code: Some(clausecheck::diagnostic::codes::UNREADABLE_LEDGER.name),
                };
                write_failed(&args, &[failed]);
            }
            return Status::Error;
        }
    };
    let today = args.today.unwrap_or_else(super::lint::today);
    let checked = ledger::check(&rules, &entries, today);
    let view = report::ledger::LedgerView {
        rules: &rules,
        sources: &sources,
        ledger: &entries,
        report: &checked,
        name,
    };
    let to_terminal = args.output.is_none() && io::stdout_is_terminal();
    let text = match args.format {
        LedgerFormat::Text => report::ledger::to_text(&view, io::use_color(args.color, to_terminal)),
        LedgerFormat::Json => report::ledger::to_json(&view),
        LedgerFormat::Ndjson => report::ledger::to_ndjson(&view),
    };
    match write(&args.output, text.as_bytes()) {
        Ok(()) => {}
        Err(Some(message)) => return fail(&message),
        Err(None) => return Status::Error,
    }
    let s = checked.summary;
    if s.errors > 0 {
        let n = s.errors;
        eprintln!(
            "error: {n} {} in error (listed in the report; counted in no figure)",
            if n == 1 { "entry is" } else { "entries are" }
        );
    }
    // The exit status comes from the one verdict policy, as `check`'s does.
    match policy::exit(RunVerdict::from_counts(s.errors, s.violated), 0, false) {
        policy::Exit::Success => Status::Success,
        policy::Exit::Findings => Status::Findings,
        policy::Exit::Error => Status::Error,
    }
}

/// The ledger's bytes, from its file or standard input, at most [`MAX_DOCUMENT`].
fn read_bytes(name: &str) -> Result<Vec<u8>, PlanError> {
    let error = |message: String| PlanError { message, line: None, column: None, help: None };
    let mut bytes = Vec::new();
    let read = if name == "-" {
        std::io::stdin().lock().take(MAX_DOCUMENT + 1).read_to_end(&mut bytes)
    } else {
        let path = std::path::Path::new(name);
        if path.is_dir() {
            return Err(error("it is a folder, not a file".to_owned()));
        }
        match std::fs::File::open(path) {
            Ok(file) => file.take(MAX_DOCUMENT + 1).read_to_end(&mut bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(error("there is no such file".to_owned()))
            }
            Err(e) => Err(e),
        }
    };
    read.map_err(|e| error(format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        return Err(error(format!(
            "the ledger is larger than {} MiB, the most a ledger may be",
            MAX_DOCUMENT >> 20
        )));
    }
    Ok(bytes)
}

/// A machine-readable report that says only what went wrong, for a pipeline reading the output.
fn write_failed(args: &LedgerArgs, errors: &[ErrorReport<'_>]) {
    let json = report::ledger::failed_json(errors);
    if let Err(Some(message)) = write(&args.output, json.as_bytes()) {
        eprintln!("error: {message}");
    }
}

/// Writes the report; `Err(None)` when standard output was closed (`| head`): the reader chose
/// to stop, which needs no message.
fn write(output: &Option<PathBuf>, bytes: &[u8]) -> Result<(), Option<String>> {
    match output {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| Some(format!("cannot write `{}`: {e}", io::display(path)))),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(None),
                Err(e) => Err(Some(format!("cannot write the report: {e}"))),
                Ok(()) => Ok(()),
            }
        }
    }
}
