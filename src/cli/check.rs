//! `clausecheck check`: load the rules, read each plan, evaluate, report, choose the exit status.

use std::io::Write as _;
use std::path::PathBuf;

use clausecheck::plan::{self, PlanError, PlanFormat};
use clausecheck::report::{self, Report, TextOptions};

use super::{io, ColorChoice, Format, Status};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Deployment plans: .yaml/.yml, .json, .ndjson/.jsonl or .csv files, or `-` for standard input.
    #[arg(required = true, value_name = "PLAN")]
    plans: Vec<String>,

    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// How to write the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The format of the plans, overriding their names' extensions (required for `-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    input_format: Option<InputFormat>,

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
}

/// What `--deny` can turn into a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum InputFormat {
    Yaml,
    Json,
    Ndjson,
    Csv,
}

impl From<InputFormat> for PlanFormat {
    fn from(f: InputFormat) -> PlanFormat {
        match f {
            InputFormat::Yaml => PlanFormat::Yaml,
            InputFormat::Json => PlanFormat::Json,
            InputFormat::Ndjson => PlanFormat::Ndjson,
            InputFormat::Csv => PlanFormat::Csv,
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

    let (sources, rules) = match io::load_rule_set(args.rules.clone(), err_color) {
        Ok(loaded) => loaded,
        Err(failure) => {
            if let (Format::Json, Some((sources, diagnostics))) = (args.format, &failure.diagnostics) {
                let report = report::failed(report::rule_errors(diagnostics, sources));
                let _ = emit(&args, &report, false);
            }
            return Status::Error;
        }
    };

    // Read every plan first: the reports borrow from them.
    // A plan that cannot be read is an error of that plan: the others are still checked and reported.
    let from_stdin = args.plans.iter().filter(|p| *p == "-").count();
    if from_stdin > 1 {
        return fail("standard input can be read only once: name `-` once");
    }
    if args.input_format.is_none() && from_stdin > 0 {
        return fail("reading a plan from standard input needs `--input-format yaml|json|ndjson|csv`");
    }
    let mut plans = Vec::new();
    for name in &args.plans {
        let plan_name = if name == "-" { "<stdin>" } else { name.as_str() };
        let unreadable = |message: String, help: Option<&str>| PlanError {
            message,
            line: None,
            column: None,
            help: help.map(str::to_string),
        };
        let Some(format) = args.input_format.map(PlanFormat::from).or_else(|| PlanFormat::from_path(name))
        else {
            let message = format!("cannot tell the format of plan `{name}` from its name");
            let help = "name it .yaml, .yml, .json, .ndjson, .jsonl or .csv, or pass `--input-format`";
            plans.push((plan_name, Err(unreadable(message, Some(help)))));
            continue;
        };
        match io::read_plan_text(name) {
            Ok(text) => plans.push((plan_name, plan::read_plan(&text, format, &rules.vocabulary))),
            Err(message) => plans.push((plan_name, Err(unreadable(message, None)))),
        }
    }
    let options = clausecheck::CheckOptions { warn_within: args.warn_within };
    let reports = plans
        .iter()
        .map(|(name, plan)| match plan {
            Ok(plan) => clausecheck::check_with(&rules, &sources, name, plan, options),
            Err(e) => report::failed(vec![report::plan_error(name, e)]),
        })
        .collect();
    let report = report::merge(reports);

    // Errors on standard error too, unless the text report is already showing them there.
    let errors_in_view = args.format == Format::Text && to_terminal;
    if !errors_in_view {
        for e in &report.errors {
            eprintln!("error: {}", error_text(e));
        }
    }
    if let Err(e) = emit(&args, &report, to_terminal) {
        return fail(&e);
    }
    match report.verdict {
        "allowed" if args.deny == Some(Deny::Warnings) && report.summary.warnings > 0 => Status::Violated,
        "allowed" => Status::Allowed,
        "violated" => Status::Violated,
        _ => Status::Error,
    }
}

fn emit(args: &CheckArgs, report: &Report, to_terminal: bool) -> Result<(), String> {
    let write = |out: &mut dyn std::io::Write| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        match args.format {
            Format::Json => report::write_json(report, &mut out)?,
            Format::Text => {
                let text =
                    report::to_text(report, TextOptions { color: io::use_color(args.color, to_terminal) });
                out.write_all(text.as_bytes())?;
            }
        }
        out.flush()
    };
    match &args.output {
        Some(path) => std::fs::File::create(path)
            .and_then(|mut file| write(&mut file))
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => {
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = write(&mut std::io::stdout().lock());
            Ok(())
        }
    }
}

fn error_text(e: &report::ErrorReport) -> String {
    let mut s = String::new();
    if let Some(f) = &e.file {
        s.push_str(f);
        if let Some(l) = e.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
    }
    if let Some(r) = &e.record {
        s.push_str(&format!("record `{r}`"));
        if let Some(p) = e.position {
            if !r.starts_with('#') {
                s.push_str(&format!(" (#{p})"));
            }
        }
        s.push_str(": ");
    }
    if let Some(field) = &e.field {
        s.push_str(&format!("{field}: "));
    }
    s.push_str(&e.message);
    if let Some(h) = &e.help {
        s.push_str(&format!("; {h}"));
    }
    s
}
