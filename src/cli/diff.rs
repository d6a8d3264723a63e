//! `clausecheck diff`: what a change to the rules changes.
//!
//! Computing the diff is `clausecheck::diff`; writing it is `report::diff`. This file finds the
//! two sides — two paths, a git revision of the rule folder (read here with `git ls-tree` and
//! `git show`, never by the library), or two agreements of one rule set — and maps the result to
//! the exit status: 0 no verdict changes, 1 some do, 2 the input is wrong or the space is too
//! large to answer exactly.

use std::path::{Path, PathBuf};
use std::process::Command;

use clausecheck::diagnostic::{self, RenderOptions};
use clausecheck::diff::{self, Side};
use clausecheck::model::RuleSet;
use clausecheck::plan::PlanFormat;
use clausecheck::report::diff as words;
use clausecheck::source::{SourceFile, Sources};

use super::{io, ColorChoice, Status};

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old and new rules: two rule files or folders.
    #[arg(value_name = "PATH", num_args = 0..=2)]
    paths: Vec<PathBuf>,

    /// Compare the rule folder as it was at git revision REV (old) with the folder now (new).
    #[arg(long, value_name = "REV", conflicts_with_all = ["from", "to"])]
    from_git: Option<String>,

    /// The rules for `--from-git` and `--from/--to` [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// Compare two agreements of one rule set: this one (old), as if it were the only agreement,
    /// in force on every date...
    #[arg(long, value_name = "AGREEMENT", requires = "to")]
    from: Option<String>,

    /// ...with this one (new), likewise.
    #[arg(long, value_name = "AGREEMENT", requires = "from")]
    to: Option<String>,

    /// Show the deployments of this plan whose verdict would change, with both reasons, instead
    /// of the table of regions.
    #[arg(long, value_name = "PLAN")]
    plan: Option<String>,

    /// How to write the diff.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,

    /// When to use colour in error messages.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    /// For a pull-request comment.
    Markdown,
}

fn fail(message: &str) -> Status {
    eprintln!("error: {}", clausecheck::report::safe(message));
    Status::Error
}

/// Resolves rule sources, printing their errors.
fn resolve(sources: &Sources, color: bool) -> Option<RuleSet> {
    match clausecheck::load_rules(sources) {
        Ok(r) => Some(r),
        Err(diagnostics) => {
            let options = RenderOptions { color, ..RenderOptions::default() };
            eprint!("{}", diagnostic::render(&diagnostic::cap(&diagnostics), sources, options));
            eprintln!("error: the rules have {} error(s); nothing was compared", diagnostics.len());
            None
        }
    }
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git").args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("git {}: the output is not UTF-8", args.join(" ")))
}

/// The `.terms` files of `path` as they were at `rev`, sorted by path, named `REV:path`.
fn sources_at(rev: &str, path: &Path) -> Result<Sources, String> {
    let shown = path.to_string_lossy();
    let list = git(&["ls-tree", "-r", "--name-only", rev, "--", &shown])?;
    let mut files: Vec<&str> = list.lines().filter(|f| f.ends_with(".terms")).collect();
    files.sort_unstable();
    if files.is_empty() {
        return Err(format!("there are no `.terms` files under `{shown}` at revision `{rev}`"));
    }
    let mut sources = Sources::new();
    for f in files {
        let text = git(&["show", &format!("{rev}:./{f}")])?;
        sources.add(SourceFile::new(format!("{rev}:{f}"), text));
    }
    Ok(sources)
}

pub fn run(args: DiffArgs) -> Status {
    let color = io::use_color(args.color, io::stderr_is_terminal());
    let read = |path: &Path| io::read_rules(path);
    let by_clause_id = args.from.is_some();
    let loaded: Result<(Sources, Sources), String> = match (&args.from_git, args.paths.as_slice(), &args.from)
    {
        (Some(rev), [], _) => {
            io::rules_path(args.rules.clone()).and_then(|p| Ok((sources_at(rev, &p)?, read(&p)?)))
        }
        (None, [old, new], None) => read(old).and_then(|o| Ok((o, read(new)?))),
        (None, [], Some(_)) => {
            io::rules_path(args.rules.clone()).and_then(|p| read(&p).map(|s| (s.clone(), s)))
        }
        _ => Err("give two rule paths (OLD NEW), `--from-git REV`, or `--from A --to B`".into()),
    };
    let (old_sources, new_sources) = match loaded {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let Some(old_rules) = resolve(&old_sources, color) else { return Status::Error };
    let Some(new_rules) = (if by_clause_id { Some(old_rules.clone()) } else { resolve(&new_sources, color) })
    else {
        return Status::Error;
    };
    let (old_rules, new_rules) = match (&args.from, &args.to) {
        (Some(from), Some(to)) => match (diff::isolate(&old_rules, from), diff::isolate(&new_rules, to)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => return fail(&e.to_string()),
        },
        _ => (old_rules, new_rules),
    };
    let old = Side { rules: &old_rules, sources: &old_sources };
    let new = Side { rules: &new_rules, sources: &new_sources };
    if let Some(name) = &args.plan {
        let Some(format) = PlanFormat::from_path(name) else {
            return fail(&format!("cannot tell the format of plan `{name}` from its name"));
        };
        let text = match io::read_plan_text(name) {
            Ok(t) => t,
            Err(e) => return fail(&e),
        };
        let changes = match diff::diff_plan(old, new, &text, format) {
            Ok(c) => c,
            Err(e) => return fail(&format!("plan `{name}`: {}", e.message)),
        };
        print!(
            "{}",
            match args.format {
                DiffFormat::Text => words::plan_diff_to_text(&changes),
                DiffFormat::Json => words::plan_diff_to_json(&changes),
                DiffFormat::Markdown => words::plan_diff_to_markdown(&changes),
            }
        );
        return if changes.changes.is_empty() { Status::Success } else { Status::Findings };
    }
    let d = diff::diff(old, new, args.from.as_deref().zip(args.to.as_deref()));
    print!(
        "{}",
        match args.format {
            DiffFormat::Text => words::diff_to_text(&d),
            DiffFormat::Json => words::diff_to_json(&d),
            DiffFormat::Markdown => words::diff_to_markdown(&d),
        }
    );
    if d.too_large.is_some() {
        eprintln!("error: the rules are too large for an exact diff; no table was given");
        Status::Error
    } else if d.verdicts_change() {
        Status::Findings
    } else {
        Status::Success
    }
}
