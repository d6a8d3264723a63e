//! The `clausecheck` command. Only this binary touches files, the terminal and exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
