//! `clausecheck generate`: deterministic plans and rule sets for benchmarks and experiments.

use std::io::Write as _;
use std::path::PathBuf;

use clausecheck::generate::{self, PlanSpec, RulesSpec};

use super::{io, Status};

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// An NDJSON plan over the rules' vocabulary, to standard output.
    Plan {
        /// How many deployments.
        #[arg(long, default_value_t = 1000)]
        records: u64,
        /// The same seed gives the same plan.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Percent of deployments that take a value `launched(...)` looks for (like `cloud = azure`).
        #[arg(long, default_value_t = 1)]
        launch_percent: u32,
        /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
        #[arg(long, value_name = "PATH")]
        rules: Option<PathBuf>,
    },
    /// A valid rule set (one `.terms` file, vocabulary included), to standard output.
    Rules {
        #[arg(long, default_value_t = 1000)]
        clauses: usize,
        #[arg(long, default_value_t = 10)]
        agreements: usize,
        /// Fields besides `party`.
        #[arg(long, default_value_t = 4)]
        fields: usize,
        /// Values per field.
        #[arg(long, default_value_t = 8)]
        values: usize,
        #[arg(long, default_value_t = 2)]
        flags: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Give each field between `--values` and this many values.
        #[arg(long, value_name = "N", default_value_t = 0)]
        max_values: usize,
        /// Declare this many events, and use them in agreements, clauses and windows.
        #[arg(long, default_value_t = 0)]
        events: usize,
        /// Make the last two agreements a deadlock: "debut on c0 first" against "only on c1".
        #[arg(long)]
        plant_deadlock: bool,
    },
}

pub fn run(args: GenerateArgs) -> Status {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = match args.what {
        What::Plan { records, seed, launch_percent, rules } => {
            let Ok((_, rules)) = io::load_rule_set(rules, false) else { return Status::Error };
            let mut result = Ok(());
            generate::plan(&rules, PlanSpec { records, seed, launch_percent }, |line| {
                if result.is_ok() {
                    result = out.write_all(line.as_bytes()).and_then(|()| out.write_all(b"\n"));
                }
            });
            result
        }
        What::Rules {
            clauses,
            agreements,
            fields,
            values,
            flags,
            seed,
            max_values,
            events,
            plant_deadlock,
        } => {
            let spec = RulesSpec {
                agreements,
                clauses,
                fields,
                values,
                flags,
                seed,
                adversarial: false,
                max_values,
                events,
                plant_deadlock,
            };
            out.write_all(generate::rules(spec).as_bytes())
        }
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => Status::Success,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Status::Success,
        Err(e) => {
            eprintln!("error: cannot write: {e}");
            Status::Error
        }
    }
}
