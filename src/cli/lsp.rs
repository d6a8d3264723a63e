//! `clausecheck lsp`: the language server on standard input and output. This file gives it the
//! disk (a folder's rule files) and the clock (today, for lint); the server is `clausecheck::lsp`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clausecheck::lsp::server::{self, Disk, Options};

use super::Status;

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Accepted for editors that pass it; standard input and output are the only transport.
    #[arg(long)]
    stdio: bool,

    /// The date lint takes as today (expired terms), as YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = super::lint::parse_date)]
    today: Option<chrono::NaiveDate>,

    /// How long after the last edit diagnostics are published, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 200)]
    debounce_ms: u64,
}

/// The rule files of a folder, read as `check` reads them (UTF-8, at most 64 MiB each).
struct Folder;

impl Disk for Folder {
    fn rule_files(&self, dir: &Path) -> Vec<(PathBuf, String)> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "terms"))
            .collect();
        paths.sort();
        paths.into_iter().filter_map(|p| super::io::read_rule_file(&p).ok().map(|text| (p, text))).collect()
    }
}

pub fn run(args: LspArgs) -> Status {
    let _ = args.stdio;
    let options = Options {
        today: args.today.unwrap_or_else(super::lint::today),
        debounce: Duration::from_millis(args.debounce_ms),
    };
    match server::serve_stdio(Arc::new(Folder), options) {
        Ok(()) => Status::Success,
        Err(e) => {
            eprintln!("error: the language server could not start: {e}");
            Status::Error
        }
    }
}
