//! `clausecheck lint`: findings beyond hard errors, each with a code, a place, words and help.

use std::path::PathBuf;

use clausecheck::analysis::lint::{lint, Level, LintOptions};
use clausecheck::diagnostic::{self, RenderOptions};
use clausecheck::report;

use super::check::Deny;
use super::{io, ColorChoice, Format, Status};

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// Exit 1 when there are warnings (notes never fail).
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Option<Deny>,

    /// The date that counts as today for expired terms, as YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,

    /// How to write the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

pub(super) fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    clausecheck::resolve::dates::parse_day(s).map_err(|e| format!("`{s}` is not a date: {e}"))
}

/// Today's date from the system clock, in UTC (the library never reads the clock).
pub(super) fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days)))
        .unwrap_or_default()
}

pub fn run(args: LintArgs) -> Status {
    let color = io::use_color(args.color, io::stdout_is_terminal());
    let Ok((sources, rules)) =
        io::load_rule_set(args.rules.clone(), io::use_color(args.color, io::stderr_is_terminal()))
    else {
        return Status::Error;
    };
    let findings = lint(&rules, LintOptions { today: args.today.unwrap_or_else(today) });
    let warnings = findings.iter().filter(|f| f.level == Level::Warning).count();
    let notes = findings.len() - warnings;
    match args.format {
        Format::Json => print!("{}", report::lint_to_json(&findings, &sources)),
        Format::Text => {
            let diagnostics: Vec<_> = findings.iter().map(|f| f.to_diagnostic()).collect();
            print!(
                "{}",
                diagnostic::render(
                    &diagnostics,
                    &sources,
                    RenderOptions { color, ..RenderOptions::default() }
                )
            );
            let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            println!("lint: {}, {}", plural(warnings, "warning"), plural(notes, "note"));
        }
    }
    if args.deny == Some(Deny::Warnings) && warnings > 0 {
        Status::Findings
    } else {
        Status::Success
    }
}
