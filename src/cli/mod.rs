//! Command-line flags, dispatch, and the mapping from outcomes to exit codes.
//!
//! Exit status is the product's contract: 0 every deployment allowed, 1 at least one violated,
//! 2 the rules, the plan or the command line are wrong. Nothing else in the crate exits.

/// `print!` that does not panic when the reader has gone (`clausecheck lint | head`): a closed
/// pipe ends the run quietly with exit 2, as `check` does (the output was not all delivered); any
/// other failed write is an error (exit 2) with its message.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($t)*) {
            $crate::cli::write_failed(e);
        }
    }};
}

/// `println!`, as [`out!`].
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($t)*) {
            $crate::cli::write_failed(e);
        }
    }};
}

/// What a failed write to standard output ends in: quietly for a closed pipe, else an error.
pub(crate) fn write_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(2);
    }
    eprintln!("error: cannot write the output: {e}");
    std::process::exit(2);
}

mod check;
mod completions;
mod diff;
mod explain;
mod fmt;
mod generate;
mod init;
mod io;
mod ledger;
mod lint;
mod lsp;
mod progress;
mod test;
mod timeline;

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
    /// Explain one deployment's verdict step by step, and when it would change.
    #[command(after_help = "Examples:\n  \
clausecheck explain party=openai product=frontier cloud=aws channel=bedrock date=2026-06-01\n  \
clausecheck explain --plan examples/rollout-2026.yaml --id api-oracle-early --format json")]
    Explain(explain::ExplainArgs),
    /// Start a rule set: a vocabulary, an example agreement, test cases, a plan (and a CI workflow).
    #[command(after_help = "Examples:\n  \
clausecheck init demo && cd demo && clausecheck check plan.yaml\n  \
clausecheck init --ci github")]
    Init(init::InitArgs),
    /// Find conflicts, dead and redundant rules, expired terms and unused names in the rules.
    #[command(after_help = "Examples:\n  \
clausecheck lint\n  \
clausecheck lint --deny warnings --today 2026-11-27 --format json")]
    Lint(lint::LintArgs),
    /// Format rule files in the one canonical layout, keeping comments and quotes exactly.
    #[command(after_help = "Examples:\n  \
clausecheck fmt                 # format every .terms file under rules/\n  \
clausecheck fmt --check rules/  # exit 1 and show a diff if anything would change")]
    Fmt(fmt::FmtArgs),
    /// Run the test cases kept next to the rules (rules/tests/*.yaml).
    #[command(after_help = "Examples:\n  \
clausecheck test                # run rules/tests/*.yaml against rules/\n  \
clausecheck test my-cases.yaml --rules rules/")]
    Test(test::TestArgs),
    /// Draw which agreements and clauses are in force over time (text, SVG or JSON).
    #[command(after_help = "Examples:\n  \
clausecheck timeline\n  \
clausecheck timeline --format svg --output timeline.svg\n  \
clausecheck timeline --plan examples/worked-examples.yaml --from 2024 --to 2034")]
    Timeline(timeline::TimelineArgs),
    /// Show what a change to the rules changes: the deployments whose verdict differs.
    #[command(after_help = "Examples:\n  \
clausecheck diff old-rules/ rules/\n  \
clausecheck diff --from-git main --format markdown\n  \
clausecheck diff --from msft_openai_2019 --to msft_openai_2026\n  \
clausecheck diff --from-git main --plan examples/worked-examples.yaml\n\n\
Exit status: 0 no verdict changes, 1 some do, 2 the rules, the plan or the command line are wrong,\n\
or the rules tell apart too many kinds of deployment for an exact answer (too-large).")]
    Diff(diff::DiffArgs),
    /// Check a ledger of reported revenue and payments against the payment terms of the rules.
    #[command(after_help = "Examples:\n  \
clausecheck ledger examples/ledgers/bundled-2024-2031.yaml --today 2032-01-15\n  \
clausecheck ledger payments.csv --assume revshare_cap=\"12_000_000_000 USD\" --format json\n\n\
Exit status: 0 every payment term satisfied or not yet due, 1 a term violated (underpaid, overpaid,\n\
paid after its window, a forbidden payment, a commitment missed), 2 the rules, the ledger or an\n\
entry is wrong.")]
    Ledger(ledger::LedgerArgs),
    /// Serve the Language Server Protocol on standard input and output, for editors.
    #[command(after_help = "Example (an editor starts it; see the README's Editors section):\n  \
clausecheck lsp")]
    Lsp(lsp::LspArgs),
    /// Generate plans and rule sets for benchmarks (deterministic: the same seed, the same bytes).
    #[command(after_help = "Examples:\n  \
clausecheck generate plan --records 1000000 --seed 7 > plan.ndjson\n  \
clausecheck generate rules --clauses 10000 > big.terms")]
    Generate(generate::GenerateArgs),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  clausecheck completions bash > /etc/bash_completion.d/clausecheck")]
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff) to standard output.
    #[command(after_help = "Example:\n  clausecheck man > clausecheck.1 && man ./clausecheck.1")]
    Man,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people (colour only on a terminal).
    Text,
    /// For machines: the same content as JSON, keys in a fixed order.
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
        Command::Explain(args) => explain::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Init(args) => init::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Test(args) => test::run(args),
        Command::Timeline(args) => timeline::run(args),
        Command::Ledger(args) => ledger::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man => completions::man(),
    };
    ExitCode::from(status as u8)
}

/// How every subcommand ends: 0 clean, 1 findings (violations, failures, changes, warnings
/// denied), 2 the input or the command is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success = 0,
    Findings = 1,
    Error = 2,
}
