//! Reading rule folders and plans from disk or standard input, and deciding on colour.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clausecheck::source::{SourceFile, Sources};

use super::ColorChoice;

/// Where the rules are: `--rules`, else `rules/` here, else `$CLAUSECHECK_RULES`.
pub fn rules_path(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(p) = flag {
        return Ok(p);
    }
    let here = PathBuf::from("rules");
    if here.is_dir() {
        return Ok(here);
    }
    match std::env::var_os("CLAUSECHECK_RULES") {
        Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
        _ => Err(
            "no rules to check against: there is no `rules/` folder here and CLAUSECHECK_RULES is not set \
             (name them with `--rules PATH`)"
                .into(),
        ),
    }
}

/// Every `.terms` file of a folder (and its subfolders), sorted by path, or the one file named.
pub fn read_rules(path: &Path) -> Result<Sources, String> {
    let mut files = Vec::new();
    if path.is_dir() {
        collect(path, &mut files)
            .map_err(|e| format!("cannot read rules folder `{}`: {e}", path.display()))?;
        files.sort();
        if files.is_empty() {
            return Err(format!("the rules folder `{}` holds no `.terms` files", path.display()));
        }
    } else {
        files.push(path.to_path_buf());
    }
    let mut sources = Sources::new();
    for f in files {
        let text = std::fs::read_to_string(&f)
            .map_err(|e| format!("cannot read rule file `{}`: {e}", f.display()))?;
        sources.add(SourceFile::new(display(&f), text));
    }
    Ok(sources)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "terms") {
            out.push(path);
        }
    }
    Ok(())
}

/// A path as users wrote it, with `/` separators on every platform so reports are identical.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The text of a plan file, or of standard input for `-`.
pub fn read_plan_text(name: &str) -> Result<String, String> {
    if name == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the plan from standard input: {e}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(name).map_err(|e| format!("cannot read plan `{name}`: {e}"))
}

/// Whether to colour a stream: `--color`, then NO_COLOR / CLICOLOR_FORCE, then whether it is a terminal.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
            if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE") {
                true
            } else {
                is_terminal && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
