//! `clausecheck timeline`: a picture of which agreements and clauses are in force over time.
//!
//! Building and drawing the timeline is `clausecheck::timeline`; this file reads the rules and the
//! plan, picks the format and writes the result: exit 0 when it is written, 2 when the rules, the
//! plan or the flags are wrong or the output cannot be written.

use std::io::Write as _;
use std::path::PathBuf;

use clausecheck::plan::{self, PlanFormat, Record};
use clausecheck::timeline::{self, Years};

use super::{io, ColorChoice, Status};

#[derive(Debug, clap::Args)]
pub struct TimelineArgs {
    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// How to draw the timeline.
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    format: TimelineFormat,

    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// A plan whose deployments are marked on the clauses that decided them (.yaml, .yml, .json,
    /// .ndjson, .jsonl or .csv).
    #[arg(long, value_name = "PLAN")]
    plan: Option<String>,

    /// The first year shown [default: the first year any agreement starts].
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1..=9999))]
    from: Option<i32>,

    /// The last year shown [default: the last year anything changes, one more if something has no end].
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1..=9999))]
    to: Option<i32>,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Timeline formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TimelineFormat {
    /// A compact Gantt chart for the terminal (colour only on a terminal).
    Text,
    /// A standalone SVG picture, with tooltips.
    Svg,
    /// The timeline as data.
    Json,
}

pub fn run(args: TimelineArgs) -> Status {
    let fail = |message: &str| {
        eprintln!("error: {message}");
        Status::Error
    };
    if let (Some(from), Some(to)) = (args.from, args.to) {
        if from > to {
            return fail(&format!(
                "`--from {from}` is after `--to {to}`: the timeline would end before it starts"
            ));
        }
    }
    let Ok((sources, rules)) =
        io::load_rule_set(args.rules.clone(), io::use_color(args.color, io::stderr_is_terminal()))
    else {
        return Status::Error;
    };
    let plan = match &args.plan {
        None => None,
        Some(name) => match read_plan(name, &rules.vocabulary) {
            Ok(plan) => Some(plan),
            Err(message) => return fail(&message),
        },
    };
    let years = Years { from: args.from, to: args.to };
    let built = timeline::build(&rules, &sources, plan.as_ref(), years);
    let to_terminal = args.output.is_none() && io::stdout_is_terminal();
    let text = match args.format {
        TimelineFormat::Text => {
            let color = io::use_color(args.color, to_terminal);
            timeline::text::render(&built, timeline::text::Options { color })
        }
        TimelineFormat::Svg => timeline::svg::render(&built),
        TimelineFormat::Json => timeline::to_json(&built),
    };
    match write(&args.output, text.as_bytes()) {
        Ok(()) => Status::Success,
        Err(Some(message)) => fail(&message),
        Err(None) => Status::Error,
    }
}

/// Reads the plan whole and refuses it if any record is in error: a marker must stand for a
/// deployment `check` would check.
fn read_plan(name: &str, vocab: &clausecheck::model::Vocabulary) -> Result<plan::Plan, String> {
    let Some(format) = PlanFormat::from_path(name) else {
        return Err(format!(
            "cannot tell the format of plan `{name}` from its name (name it .yaml, .yml, .json, .ndjson, .jsonl or .csv)"
        ));
    };
    let text = io::read_plan_text(name)?;
    let plan = plan::read_plan(&text, format, vocab).map_err(|e| {
        let at = e.line.map(|l| format!(":{l}")).unwrap_or_default();
        let help = e.help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default();
        format!("plan `{name}{at}`: {}{help}", e.message)
    })?;
    let mut problems = Vec::new();
    for record in &plan.records {
        if let Record::Invalid(bad) = record {
            let at = bad.line.map(|l| format!(":{l}")).unwrap_or_default();
            for p in &bad.problems {
                let field = p.field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default();
                let help = p.help.as_deref().map(|h| format!(" ({h})")).unwrap_or_default();
                problems.push(format!("{name}{at}: record `{}`: {field}{}{help}", bad.id, p.message));
            }
        }
    }
    if problems.is_empty() {
        return Ok(plan);
    }
    for p in &problems {
        eprintln!("error: {p}");
    }
    let n = plan.records.iter().filter(|r| matches!(r, Record::Invalid(_))).count();
    Err(format!("plan `{name}` has {n} record{} in error; nothing was drawn", if n == 1 { "" } else { "s" }))
}

/// Writes the result; `Err(None)` when standard output was closed (`| head`): the reader chose
/// to stop, which needs no message.
fn write(output: &Option<PathBuf>, bytes: &[u8]) -> Result<(), Option<String>> {
    match output {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| Some(format!("cannot write `{}`: {e}", io::display(path)))),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(None),
                Err(e) => Err(Some(format!("cannot write the timeline: {e}"))),
                Ok(()) => Ok(()),
            }
        }
    }
}
