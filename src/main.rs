//! The `clausecheck` command. Only this binary touches files, the terminal and exit codes.

mod cli;

/// Stack for the command's thread: the parser and the tree walks are recursive, and the syntax
/// limits (`syntax::limits`) keep their depth far below what this holds.
const STACK: usize = 64 * 1024 * 1024;

fn main() -> std::process::ExitCode {
    match std::thread::Builder::new().stack_size(STACK).spawn(cli::run).map(|t| t.join()) {
        Ok(Ok(code)) => code,
        // The thread could not start, or ended without an exit code: report it as an internal error.
        _ => {
            eprintln!("error: clausecheck could not run (internal error)");
            std::process::ExitCode::from(2)
        }
    }
}
