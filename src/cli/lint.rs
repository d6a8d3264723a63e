//! `clausecheck lint`: findings beyond hard errors, each with a code, a place, words and help.

use std::path::PathBuf;

use clausecheck::analysis::lint::{lint, Level, LintOptions, DEFAULT_MAX_NODES};
use clausecheck::diagnostic::codes::{self, Area, Code};
use clausecheck::diagnostic::{self, Diagnostic, Location, RenderOptions, Severity};
use clausecheck::report;

use super::{io, ColorChoice, Status};

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// A rule file or a folder of them [default: ./rules, else $CLAUSECHECK_RULES].
    #[arg(long, value_name = "PATH")]
    rules: Option<PathBuf>,

    /// Exit 1 on these findings: `warnings` (every warning; notes never fail), or a code
    /// (`conflict`, `dead-rule`, ...), whose findings then count as errors. Repeatable.
    #[arg(long, value_name = "WHAT", value_parser = parse_deny)]
    deny: Vec<Deny>,

    /// Leave out the findings of this code, e.g. `--allow unused-value`. Repeatable.
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    allow: Vec<&'static Code>,

    /// The date that counts as today for expired terms and waivers, as YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,

    /// The dates of the rules' events: a YAML file of `name: YYYY-MM-DD` or `name: unknown`.
    /// An event given no date is taken as not having happened.
    #[arg(long, value_name = "FILE")]
    events: Option<PathBuf>,

    /// The most decision-diagram nodes the analysis may hold at once; past it, what was not
    /// examined is a `too-large` warning.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NODES)]
    max_nodes: usize,

    /// A waivers file (YAML) to check against the rules; the waivers that expire within
    /// `--warn-within` days of today, or have expired, are listed as `waiver-expiring`.
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,

    /// With `--waivers`: how many days ahead an expiry is worth a warning.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    warn_within: u32,

    /// How to write the findings.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    format: LintFormat,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// The formats of `lint`'s findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// For people: each finding drawn in place (colour only on a terminal).
    Text,
    /// For machines: one object per finding, keys in a fixed order.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning, each finding located in its rule file.
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
}

/// What `lint --deny` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deny {
    /// Every warning.
    Warnings,
    /// The findings of one code.
    Code(&'static Code),
}

/// The codes `lint` can report.
fn lint_codes() -> impl Iterator<Item = &'static Code> {
    codes::ALL.iter().copied().filter(|c| c.area == Area::Lint)
}

fn parse_code(s: &str) -> Result<&'static Code, String> {
    if let Some(code) = lint_codes().find(|c| c.name == s) {
        return Ok(code);
    }
    let names: Vec<&str> = lint_codes().map(|c| c.name).collect();
    let suggestion =
        clausecheck::suggest::help(s, names.iter().copied()).map(|h| format!(" ({h})")).unwrap_or_default();
    Err(format!("`{s}` is not a code of lint's findings{suggestion}; the codes are {}", names.join(", ")))
}

fn parse_deny(s: &str) -> Result<Deny, String> {
    if s == "warnings" {
        return Ok(Deny::Warnings);
    }
    parse_code(s).map(Deny::Code).map_err(|e| format!("{e}, or `warnings`"))
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
    let err_color = io::use_color(args.color, io::stderr_is_terminal());
    let events = io::Events { file: args.events.clone(), plans: Vec::new() };
    let (sources, rules) = match io::load_rule_set_with(args.rules.clone(), &events, err_color) {
        Ok(loaded) => (loaded.sources, loaded.rules),
        Err(failure) => {
            // A pipeline reading the findings gets a report of why there are none.
            let (sources, diagnostics) = failure.into_diagnostics();
            match args.format {
                LintFormat::Text => {}
                LintFormat::Json => out!("{}", report::lint_to_json(&[], &diagnostics, &sources)),
                LintFormat::Sarif => {
                    out!(
                        "{}",
                        String::from_utf8_lossy(&report::diagnostics_to_sarif(
                            &diagnostics,
                            &sources,
                            "lint"
                        ))
                    )
                }
                LintFormat::Github => {
                    out!(
                        "{}",
                        String::from_utf8_lossy(&report::diagnostics_to_github(&diagnostics, &sources))
                    )
                }
            }
            return Status::Error;
        }
    };
    let today = args.today.unwrap_or_else(today);
    let mut findings = lint(&rules, LintOptions { today, max_nodes: args.max_nodes });
    // Findings about other inputs than the rules, placed in their files.
    let mut others: Vec<Diagnostic> = Vec::new();
    if let Some(path) = &args.waivers {
        let name = io::display(path);
        let read = io::read_text_at_most(path, io::MAX_WAIVERS_FILE, "the waivers file").map_err(|message| {
            vec![Diagnostic::new(
                codes::BAD_WAIVERS,
                message,
                Location::File { file: name.clone(), line: None, column: None },
            )]
        });
        match read.and_then(|text| clausecheck::waivers::read(&name, &text, &rules)) {
            Ok(waivers) => others = clausecheck::waivers::expiring(&waivers, today, args.warn_within),
            Err(errors) => {
                let options = RenderOptions { color: err_color, ..RenderOptions::default() };
                eprint!("{}", diagnostic::render(&errors, &sources, options));
                let n = errors.len();
                eprintln!(
                    "error: {n} error{} in the waivers; nothing was linted",
                    if n == 1 { "" } else { "s" }
                );
                return Status::Error;
            }
        }
    }
    findings.retain(|f| !args.allow.contains(&f.code));
    others.retain(|d| !args.allow.contains(&d.code));
    let denied = |code: &Code| args.deny.iter().any(|d| matches!(d, Deny::Code(c) if *c == code));
    for f in &mut findings {
        if denied(f.code) {
            f.level = Level::Error;
        }
    }
    for d in &mut others {
        if denied(d.code) {
            d.severity = Severity::Error;
        }
    }
    let mut diagnostics: Vec<Diagnostic> = findings.iter().map(|f| f.to_diagnostic()).collect();
    diagnostics.extend(others.iter().cloned());
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, notes) = (count(Severity::Error), count(Severity::Warning), count(Severity::Note));
    match args.format {
        LintFormat::Json => out!("{}", report::lint_to_json(&findings, &others, &sources)),
        LintFormat::Sarif => {
            out!("{}", String::from_utf8_lossy(&report::diagnostics_to_sarif(&diagnostics, &sources, "lint")))
        }
        LintFormat::Github => {
            out!("{}", String::from_utf8_lossy(&report::diagnostics_to_github(&diagnostics, &sources)))
        }
        LintFormat::Text => {
            out!(
                "{}",
                diagnostic::render(
                    &diagnostics,
                    &sources,
                    RenderOptions { color, ..RenderOptions::default() }
                )
            );
            let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            let denied =
                if errors > 0 { format!("{} (denied), ", plural(errors, "error")) } else { String::new() };
            outln!("lint: {denied}{}, {}", plural(warnings, "warning"), plural(notes, "note"));
        }
    }
    let deny_warnings = args.deny.contains(&Deny::Warnings);
    if errors > 0 || (deny_warnings && warnings > 0) {
        Status::Findings
    } else {
        Status::Success
    }
}
