//! Reading rule folders and plans from disk or standard input, and deciding on colour.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clausecheck::diagnostic::{self, Diagnostic, RenderOptions};
use clausecheck::model::RuleSet;
use clausecheck::source::{SourceFile, Sources};

use super::ColorChoice;

/// Where the rules are: `--rules`, else `rules/` here, else `$CLAUSECHECK_RULES`.
pub fn rules_path(flag: Option<PathBuf>) -> Result<PathBuf, String> {
    match flag {
        Some(p) => Ok(p),
        None => default_rules_path("name them with `--rules PATH`"),
    }
}

/// `rules/` here, else `$CLAUSECHECK_RULES`; with neither, an error ending with `advice`, which
/// says how this command is given its rules (`fmt` takes paths, the others `--rules`).
pub fn default_rules_path(advice: &str) -> Result<PathBuf, String> {
    let here = PathBuf::from("rules");
    if here.is_dir() {
        return Ok(here);
    }
    match std::env::var_os("CLAUSECHECK_RULES") {
        Some(p) if !p.is_empty() => Ok(PathBuf::from(p)),
        _ => Err(format!(
            "no rules to check against: there is no `rules/` folder here and CLAUSECHECK_RULES is not set \
             ({advice})"
        )),
    }
}

/// Rules that could not be loaded; the problem has already been printed to standard error.
pub struct LoadFailure {
    /// The rule files and their errors, when the files were read but do not resolve.
    pub diagnostics: Option<(Sources, Vec<Diagnostic>)>,
    /// What went wrong before any rule file could be read (no rules found, a file unreadable).
    pub message: Option<String>,
}

impl LoadFailure {
    /// What went wrong, as diagnostics, for a report that says why nothing was checked.
    pub fn into_diagnostics(self) -> (Sources, Vec<Diagnostic>) {
        match (self.diagnostics, self.message) {
            (Some(found), _) => found,
            (None, message) => (
                Sources::new(),
                vec![Diagnostic::new(
                    clausecheck::diagnostic::codes::NO_RULES,
                    message.unwrap_or_default(),
                    clausecheck::diagnostic::Location::None,
                )],
            ),
        }
    }
}

/// Finds, reads, parses and resolves the rule set, printing every problem to standard error.
pub fn load_rule_set(flag: Option<PathBuf>, color: bool) -> Result<(Sources, RuleSet), LoadFailure> {
    load_rule_set_with(flag, &Events::default(), color).map(|l| (l.sources, l.rules))
}

/// A rule set as loaded, with the sources of its events (to load it again with other dates).
pub struct Loaded {
    pub sources: Sources,
    pub rules: RuleSet,
    pub events: Vec<clausecheck::EventsInput>,
}

/// Where a run's event dates come from: `--events FILE` and the plan documents that may carry
/// an `events` key.
#[derive(Debug, Default)]
pub struct Events {
    pub file: Option<PathBuf>,
    /// YAML and JSON plan files (not standard input, which is read once, by the check).
    pub plans: Vec<PathBuf>,
}

/// [`load_rule_set`], with the events dated by `events`.
pub fn load_rule_set_with(
    flag: Option<PathBuf>,
    events: &Events,
    color: bool,
) -> Result<Loaded, LoadFailure> {
    let read = rules_path(flag).and_then(|path| read_rules(&path)).and_then(|mut sources| {
        let mut inputs = Vec::new();
        if let Some(path) = &events.file {
            let cannot = |e: std::io::Error| match e.kind() {
                std::io::ErrorKind::NotFound => format!("there is no events file `{}`", display(path)),
                _ => format!("cannot read events file `{}`: {e}", display(path)),
            };
            let bytes = read_at_most(path, MAX_EVENTS_FILE).map_err(cannot)?.ok_or_else(|| {
                format!("events file `{}` is larger than {} MiB", display(path), MAX_EVENTS_FILE >> 20)
            })?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("events file `{}` is not UTF-8 text", display(path)))?;
            inputs.push(clausecheck::EventsInput::File(sources.add(SourceFile::new(display(path), text))));
        }
        for path in &events.plans {
            // A plan that cannot be read here is reported by the check, in its place: one that
            // is not UTF-8, or larger than a YAML or JSON plan may be (it is not read past that).
            // Only a plan that names `events` somewhere is kept in memory for this.
            let read = read_at_most(path, clausecheck::check::run::MAX_DOCUMENT)
                .ok()
                .flatten()
                .and_then(|bytes| String::from_utf8(bytes).ok());
            if let Some(text) = read.filter(|t| t.contains(clausecheck::events::EVENTS_KEY)) {
                inputs
                    .push(clausecheck::EventsInput::Plan(sources.add(SourceFile::new(display(path), text))));
            }
        }
        Ok((sources, inputs))
    });
    let (sources, inputs) = match read {
        Ok(sources) => sources,
        Err(message) => {
            eprintln!("error: {}", clausecheck::report::safe(&message));
            return Err(LoadFailure { diagnostics: None, message: Some(message) });
        }
    };
    match clausecheck::load_rules_with(&sources, &inputs) {
        Ok(rules) => Ok(Loaded { sources, rules, events: inputs }),
        Err(diagnostics) => {
            let options = RenderOptions { color, ..RenderOptions::default() };
            eprint!("{}", diagnostic::render(&diagnostic::cap(&diagnostics), &sources, options));
            let n = diagnostics.len();
            eprintln!(
                "error: the rules have {n} error{}; nothing was checked",
                if n == 1 { "" } else { "s" }
            );
            Err(LoadFailure { diagnostics: Some((sources, diagnostics)), message: None })
        }
    }
}

/// Every `.terms` file of a folder (and its subfolders), sorted by path, or the one file named.
pub fn read_rules(path: &Path) -> Result<Sources, String> {
    let files = if path.is_dir() {
        let files = files_under(path, &["terms"])?;
        if files.is_empty() {
            return Err(format!("the rules folder `{}` holds no `.terms` files", display(path)));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut sources = Sources::new();
    for f in files {
        let text = read_rule_file(&f)?;
        sources.add(SourceFile::new(display(&f), text));
    }
    Ok(sources)
}

/// The largest events file read (`--events`): an events document holds at most
/// [`clausecheck::events::MAX_EVENTS`] entries, a few hundred KB.
pub const MAX_EVENTS_FILE: u64 = 16 << 20;

/// The largest waivers file read: a waiver is a few lines, and a file of 16 MiB holds tens of
/// thousands of them.
pub const MAX_WAIVERS_FILE: u64 = 16 << 20;

/// The text of a file that is read whole (`what` names it in messages: "the waivers file"), at
/// most `limit` bytes (it is not read past that).
pub fn read_text_at_most(path: &Path, limit: u64, what: &str) -> Result<String, String> {
    let bytes = read_at_most(path, limit)
        .map_err(|e| format!("cannot read {what}: {e}"))?
        .ok_or_else(|| format!("{what} is larger than {} MiB", limit >> 20))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        format!("{what} is not UTF-8 text (line {line}, column {column})")
    })
}

/// The bytes of a file, or `None` if it holds more than `limit` (it is not read past that).
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// The largest rule file read: far beyond any contract (the bundled rules are 5 KB), and small
/// enough that parsing it and holding its spans stays within a machine's memory.
pub const MAX_RULE_FILE: u64 = 64 << 20;

/// The text of one rule file, at most [`MAX_RULE_FILE`] bytes (checked while reading, so a
/// device or a file that grows cannot get past it).
pub fn read_rule_file(path: &Path) -> Result<String, String> {
    let cannot = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => format!("there is no rule file or folder `{}`", display(path)),
        _ => format!("cannot read rule file `{}`: {e}", display(path)),
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_RULE_FILE {
        return Err(format!(
            "rule file `{}` is larger than {} MiB; a rule set that large is not supported (split it into several files)",
            display(path),
            MAX_RULE_FILE >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
        format!("rule file `{}` is not UTF-8 text (line {line}, column {column})", display(path))
    })
}

/// 1-based line and column (in characters) just after `valid`, which is UTF-8.
fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(valid);
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    (text.matches('\n').count() + 1, text[line_start..].chars().count() + 1)
}

/// Every file under a folder (and its subfolders) with one of these extensions, sorted by path.
pub fn files_under(dir: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            // Folders reached through a link are not entered: a link back up would never end.
            if entry.file_type()?.is_dir() {
                walk(&path, extensions, out)?;
            } else if path.is_dir() {
                continue;
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, extensions, &mut out).map_err(|e| format!("cannot read the folder `{}`: {e}", display(dir)))?;
    out.sort();
    Ok(out)
}

/// A path as users wrote it, with `/` separators on every platform so reports are identical.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The text of a plan file, or of standard input for `-`, read whole (by `explain --plan`,
/// `diff --plan` and `timeline --plan`): at most [`clausecheck::check::run::MAX_DOCUMENT`] bytes,
/// and not read past that (`check` streams NDJSON and CSV plans of any size).
pub fn read_plan_text(name: &str) -> Result<String, String> {
    let limit = clausecheck::check::run::MAX_DOCUMENT;
    let mut bytes = Vec::new();
    let read = if name == "-" {
        std::io::stdin().lock().take(limit + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(name).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| match e.kind() {
        _ if name == "-" => format!("cannot read the plan from standard input: {e}"),
        std::io::ErrorKind::NotFound => format!("there is no plan file `{name}`"),
        _ => format!("cannot read plan `{name}`: {e}"),
    })?;
    let shown = if name == "-" { "standard input".to_owned() } else { format!("plan `{name}`") };
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{shown} is larger than {} MiB, the most read whole here (`check` streams NDJSON and CSV plans of any size)",
            limit >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8 text"))
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

/// `--input-format` of `check` and `ledger`: the format of a plan or ledger whose name does not say
/// it (standard input, an unusual extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum InputFormat {
    Yaml,
    Json,
    Ndjson,
    Csv,
}

impl From<InputFormat> for clausecheck::plan::PlanFormat {
    fn from(f: InputFormat) -> clausecheck::plan::PlanFormat {
        use clausecheck::plan::PlanFormat;
        match f {
            InputFormat::Yaml => PlanFormat::Yaml,
            InputFormat::Json => PlanFormat::Json,
            InputFormat::Ndjson => PlanFormat::Ndjson,
            InputFormat::Csv => PlanFormat::Csv,
        }
    }
}
