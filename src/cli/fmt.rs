//! `clausecheck fmt`: rewrite rule files in the canonical layout, or (`--check`) show what would change.

use std::path::{Path, PathBuf};

use clausecheck::diagnostic::{self, RenderOptions};
use clausecheck::source::{SourceFile, Sources};

use super::{io, ColorChoice, Status};

/// Only the layout changes: indentation, the alignment of keywords, line breaks in long conditions and
/// lists, blank lines (at most one in a row). The order of everything, every comment and every quoted
/// text stay exactly as written, and the rules mean exactly what they meant before.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Change nothing: print a diff of what formatting would change; exit 1 if any file would change,
    /// 0 if none would.
    #[arg(long)]
    check: bool,

    /// Rule files, or folders whose .terms files (subfolders included) are formatted [default: ./rules,
    /// else $CLAUSECHECK_RULES].
    /// A file that is not valid rule syntax is reported and left as it is (exit 2).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

pub fn run(args: FmtArgs) -> Status {
    // The same default as every other command: ./rules, else $CLAUSECHECK_RULES.
    let paths = if args.paths.is_empty() {
        match io::default_rules_path("name the files or folders to format: `clausecheck fmt PATH...`") {
            Ok(path) => vec![path],
            Err(message) => {
                eprintln!("error: {message}");
                return Status::Error;
            }
        }
    } else {
        args.paths
    };
    let mut files = Vec::new();
    for path in &paths {
        if let Err(message) = rule_files(path, &mut files) {
            eprintln!("error: {message}");
            return Status::Error;
        }
    }
    files.dedup();

    let color = io::use_color(ColorChoice::Auto, io::stderr_is_terminal());
    let mut failed = 0;
    let mut changed = Vec::new();
    for path in &files {
        let name = io::display(path);
        let text = match io::read_rule_file(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {}", clausecheck::report::safe(&e));
                failed += 1;
                continue;
            }
        };
        let formatted = match clausecheck::format::format(&text) {
            Ok(formatted) => formatted,
            Err(e) => {
                let mut sources = Sources::new();
                let id = sources.add(SourceFile::new(name.clone(), text));
                let mut d = e.to_diagnostic();
                if let clausecheck::diagnostic::Location::Rules { primary, .. } = &mut d.location {
                    primary.span.file = id;
                }
                eprint!(
                    "{}",
                    diagnostic::render(&[d], &sources, RenderOptions { color, ..Default::default() })
                );
                failed += 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if args.check {
            out!("{}", clausecheck::report::safe_lines(&unified_diff(&name, &text, &formatted)));
        } else if let Err(e) = std::fs::write(path, &formatted) {
            eprintln!("error: cannot write rule file `{name}`: {e}");
            failed += 1;
            continue;
        }
        changed.push(name);
    }

    let n = changed.len();
    let files_word = |n: usize| if n == 1 { "file" } else { "files" };
    if args.check && n > 0 {
        let them = if n == 1 { "it" } else { "them" };
        eprintln!("{n} {} not formatted; run `clausecheck fmt` to format {them}", files_word(n));
    } else if !args.check && n > 0 {
        eprintln!("formatted {n} {}", files_word(n));
    } else if !args.check && failed == 0 {
        eprintln!("nothing changed: {} {} already formatted", files.len(), files_word(files.len()));
    }
    if failed > 0 {
        let (it, was) = if failed == 1 { ("it", "was") } else { ("they", "were") };
        eprintln!(
            "error: {failed} rule {} could not be formatted; {it} {was} left as {it} {was}",
            files_word(failed)
        );
        return Status::Error;
    }
    if args.check && n > 0 {
        Status::Findings
    } else {
        Status::Success
    }
}

/// The file named, or every `.terms` file of a folder and its subfolders, sorted by path.
fn rule_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if !path.is_dir() {
        if !path.exists() {
            return Err(format!("there is no file or folder `{}`", io::display(path)));
        }
        out.push(path.to_path_buf());
        return Ok(());
    }
    let found = io::files_under(path, &["terms"])?;
    if found.is_empty() {
        return Err(format!("the folder `{}` holds no `.terms` files", io::display(path)));
    }
    out.extend(found);
    Ok(())
}

/// A unified diff of one file, `--- a/PATH` / `+++ b/PATH`, three lines of context.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{}", name.trim_start_matches('/')),
            &format!("b/{}", name.trim_start_matches('/')),
        )
        .to_string()
}
