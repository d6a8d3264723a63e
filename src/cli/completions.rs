//! `clausecheck completions SHELL` and `clausecheck man`: both generated from the clap definition
//! of the command line, so they can never disagree with `--help`.

use std::io::Write as _;

use clap::CommandFactory as _;
use clap_complete::Shell;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;

use super::Status;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

/// Writes the completion script of `args.shell` to standard output.
pub fn completions(args: CompletionsArgs) -> Status {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "clausecheck", &mut script);
    emit(&script)
}

/// Writes the manual page of `clausecheck` (roff, section 1) to standard output: the root command
/// as clap_mangen renders it (subcommands listed), then a section per subcommand with its usage,
/// options and examples, so the one page is the whole manual.
pub fn man() -> Status {
    match render_man() {
        Ok(page) => emit(&page),
        Err(e) => {
            eprintln!("error: cannot write the manual page: {e}");
            Status::Error
        }
    }
}

fn render_man() -> std::io::Result<Vec<u8>> {
    let mut root = super::Cli::command();
    root.build();
    let man = Man::new(root.clone());
    let mut page = Page::default();
    man.render_title(&mut page.0)?;
    man.render_name_section(&mut page.0)?;
    man.render_synopsis_section(&mut page.0)?;
    man.render_description_section(&mut page.0)?;
    man.render_options_section(&mut page.0)?;
    // Not clap_mangen's subcommand list: it refers to `clausecheck-check(1)` and such pages, which
    // are not generated; every subcommand is a section of this one page instead.
    subcommand_list(&root, &mut page)?;
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        subcommand_section(root.get_name(), sub, &mut page)?;
    }
    if root.get_after_long_help().is_some() || root.get_after_help().is_some() {
        man.render_extra_section(&mut page.0)?;
    }
    if root.get_version().is_some() {
        man.render_version_section(&mut page.0)?;
    }
    Ok(page.finish())
}

/// The page, written piece by piece. Every piece roff renders starts with the same preamble (how
/// to typeset an apostrophe); the finished page has it once, at the top.
#[derive(Default)]
struct Page(Vec<u8>);

impl Page {
    fn finish(self) -> Vec<u8> {
        let preamble = Roff::new().render();
        let text = String::from_utf8_lossy(&self.0).replace(&preamble, "");
        format!("{preamble}{text}").into_bytes()
    }
}

/// `.SH SUBCOMMANDS`: each subcommand, what it does, and the section below that describes it.
fn subcommand_list(root: &clap::Command, page: &mut Page) -> std::io::Result<()> {
    let mut roff = Roff::new();
    roff.control("SH", ["SUBCOMMANDS"]);
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        roff.control("TP", []);
        roff.text([bold(format!("{} {}", root.get_name(), sub.get_name()))]);
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        let section = format!("{} {}", root.get_name(), sub.get_name()).to_uppercase();
        roff.text([roman(format!("{about}. See {section} below."))]);
    }
    roff.to_writer(&mut page.0)
}

/// `.SH CLAUSECHECK CHECK`: what the subcommand does, its usage, its options, its examples.
fn subcommand_section(root: &str, sub: &clap::Command, page: &mut Page) -> std::io::Result<()> {
    let heading = format!("{root} {}", sub.get_name()).to_uppercase();
    let mut roff = Roff::new();
    roff.control("SH", [heading.as_str()]);
    if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
        for line in about.to_string().lines() {
            roff.text([roman(line)]);
        }
    }
    let usage = sub.clone().render_usage().to_string();
    roff.control("PP", []);
    roff.text([bold(usage.trim_start_matches("Usage: ").trim_end())]);
    roff.to_writer(&mut page.0)?;

    // The options as clap_mangen lays them out, all under one help heading so that they come as
    // one list after one `.SH OPTIONS` line, which is dropped: this section has its heading.
    let mut options = Vec::new();
    Man::new(sub.clone().mut_args(|a| a.help_heading("OPTIONS"))).render_options_section(&mut options)?;
    let options = String::from_utf8_lossy(&options).replace(&Roff::new().render(), "");
    page.0.extend_from_slice(options.strip_prefix(".SH OPTIONS\n").unwrap_or(&options).as_bytes());

    if let Some(after) = sub.get_after_long_help().or_else(|| sub.get_after_help()) {
        let mut roff = Roff::new();
        roff.control("PP", []);
        roff.control("nf", []);
        for line in after.to_string().lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
        roff.to_writer(&mut page.0)?;
    }
    Ok(())
}

fn emit(bytes: &[u8]) -> Status {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(bytes).and_then(|()| out.flush());
    Status::Success
}
