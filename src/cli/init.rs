//! `clausecheck init [DIR]`: a working rule set for a new user to start from — a vocabulary, one
//! commented agreement with each kind of clause, test cases, an example plan and (with `--ci`) a
//! workflow. The files are the templates under `templates/init/`, written as they are; this module
//! only decides where they go and refuses to overwrite anything.

use std::path::{Path, PathBuf};

use super::{io, Status};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to write the rule set into (created if missing) [default: the current folder].
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,

    /// Also write a CI workflow that runs `clausecheck fmt --check`, `test` and `check`.
    #[arg(long, value_enum, value_name = "SYSTEM")]
    ci: Option<Ci>,
}

/// CI systems `init` writes a workflow for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Ci {
    /// `.github/workflows/clausecheck.yml`
    Github,
    /// `.gitlab-ci.yml`
    Gitlab,
}

/// The scaffold: where each template goes, relative to DIR.
const FILES: &[(&str, &str)] = &[
    ("rules/vocabulary.terms", include_str!("../../templates/init/rules/vocabulary.terms")),
    ("rules/acme_globex.terms", include_str!("../../templates/init/rules/acme_globex.terms")),
    ("rules/tests/cases.yaml", include_str!("../../templates/init/rules/tests/cases.yaml")),
    ("plan.yaml", include_str!("../../templates/init/plan.yaml")),
];

const GITHUB: (&str, &str) =
    (".github/workflows/clausecheck.yml", include_str!("../../templates/init/ci/github.yml"));
const GITLAB: (&str, &str) = (".gitlab-ci.yml", include_str!("../../templates/init/ci/gitlab.yml"));

pub fn run(args: InitArgs) -> Status {
    let mut files = FILES.to_vec();
    match args.ci {
        Some(Ci::Github) => files.push(GITHUB),
        Some(Ci::Gitlab) => files.push(GITLAB),
        None => {}
    }
    // Nothing is written unless every file can be: an existing file is never overwritten.
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| args.dir.join(name))
        .filter(|p| p.exists())
        .map(|p| io::display(&p))
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: not overwriting {}; nothing was written (choose another DIR, or move them away)",
            existing.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
        );
        return Status::Error;
    }
    for (name, text) in &files {
        if let Err(e) = write_new(&args.dir.join(name), text) {
            eprintln!("error: cannot write `{}`: {e}", io::display(&args.dir.join(name)));
            return Status::Error;
        }
        println!("created {}", io::display(&args.dir.join(name)));
    }
    let dir = io::display(&args.dir);
    let cd = if dir == "." { String::new() } else { format!("cd {dir} && ") };
    println!("next: {cd}clausecheck check plan.yaml && clausecheck test");
    Status::Success
}

/// Writes a file that must not exist yet (`create_new`: a file that appeared since the check is
/// still not overwritten), creating its folders.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text.as_bytes())
}
