//! Command-line flags, dispatch, and the mapping from outcomes to exit codes.
//!
//! Exit status is the product's contract: 0 every deployment allowed, 1 at least one violated,
//! 2 the rules, the plan or the command line are wrong. Nothing else in the crate exits.

mod check;
mod io;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "clausecheck",
    version,
    about = "Check deployment plans against the commercial agreements in force on their dates",
    long_about = "Check deployment plans against the commercial agreements in force on their dates.\n\n\
Agreements are written as rules in the clause language (see docs/language.md). Each deployment of a\n\
plan (party, product, cloud, channel, date) is checked against the agreements in force on its date.\n\n\
Exit status: 0 every deployment allowed, 1 at least one violated, 2 the rules, the plan or the\n\
command line are wrong."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check deployment plans against the rules.
    #[command(after_help = "Examples:\n  \
clausecheck check examples/rollout-2026.yaml\n  \
clausecheck check --rules rules/ --format json --output report.json plan.yaml\n  \
cat plan.ndjson | clausecheck check --input-format ndjson -")]
    Check(check::CheckArgs),
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: verdicts, violated terms with reasons and quotes, a summary.
    Text,
    /// The JSON report contract, for machines.
    Json,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; any other flag problem is a usage error.
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let status = match cli.command {
        Command::Check(args) => check::run(args),
    };
    ExitCode::from(status as u8)
}

/// The three outcomes a run can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Allowed = 0,
    Violated = 1,
    Error = 2,
}
