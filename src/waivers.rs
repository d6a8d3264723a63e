//! Waivers: approved exceptions to a clause for some deployments, until a date.
//!
//! A waivers file (YAML) holds `waivers:`, each naming a clause (`agreement.clause`, or
//! `agreement.default` for an agreement's `default deny`), the deployments it covers (by id, or
//! by a condition in the clause language, read with the grammar's condition rule and resolved
//! against the vocabulary), who approved it, why, the ticket or link where that was decided, and
//! the day it expires. A waived violation is reported as waived and does not fail a run; on and
//! after its expiry day (decided by the caller's "today", never a clock) it no longer applies.
//!
//! Reading checks every entry and reports every problem at once, each placed at its line in the
//! file, like any other input. Like the rest of the library, this module reads no files.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_saphyr::{DuplicateKeyPolicy, Options, Spanned};

use crate::diagnostic::codes::{self, Code};
use crate::diagnostic::{Diagnostic, Location};
use crate::eval::{holds, Env, Launches, PlanIndex};
use crate::model::{AgreementId, ClauseRef, Condition, RuleSet};
use crate::plan::Deployment;
use crate::source::FileId;

/// The name that stands for an agreement's `default deny` in `agreement.default`.
pub const DEFAULT_CLAUSE: &str = "default";

/// The waivers of a run, in the order written.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    /// The file's name, as the user gave it.
    pub file: String,
    pub list: Vec<Waiver>,
}

/// One approved exception.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// `agreement.clause` as written.
    pub target: String,
    pub agreement: AgreementId,
    /// `None`: the agreement's `default deny`.
    pub clause: Option<ClauseRef>,
    pub deployments: Covers,
    pub approver: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub link: Option<String>,
    /// The first day the waiver no longer applies.
    pub expires: NaiveDate,
    /// 1-based line of the entry in its file.
    pub line: Option<usize>,
}

/// Which deployments a waiver covers.
#[derive(Debug, Clone)]
pub enum Covers {
    Ids(Vec<String>),
    When { text: String, condition: Condition },
}

impl Waiver {
    /// Whether the waiver still applies on `today`.
    pub fn active(&self, today: NaiveDate) -> bool {
        today < self.expires
    }

    /// Whether the waiver names this deployment (of the plan indexed by `index`).
    pub fn covers(&self, rules: &RuleSet, d: &Deployment, index: &PlanIndex) -> bool {
        match &self.deployments {
            Covers::Ids(ids) => ids.contains(&d.id),
            Covers::When { condition, .. } => {
                holds(condition, &Env { deployment: d, launches: Launches::Plan(index), rules })
            }
        }
    }

    /// `TICKET-1 https://...`: where the waiver was decided.
    pub fn reference(&self) -> String {
        match (&self.ticket, &self.link) {
            (Some(t), Some(l)) => format!("{t} {l}"),
            (Some(t), None) => t.clone(),
            (None, Some(l)) => l.clone(),
            (None, None) => String::new(),
        }
    }

    /// `waived by Jane Doe until 2027-01-01: reason (TICKET-1)`, in one line.
    pub fn words(&self) -> String {
        let reference = self.reference();
        let reference = if reference.is_empty() { String::new() } else { format!(" ({reference})") };
        format!("waived by {} until {}: {}{reference}", self.approver, self.expires, self.reason)
    }

    /// `the waiver of `a.c` approved by X expired on D and no longer covers N violations`.
    pub fn expired_words(&self, violations: usize) -> String {
        let what =
            if violations == 1 { "1 violation".to_owned() } else { format!("{violations} violations") };
        format!(
            "the waiver of `{}` approved by {} expired on {} and no longer covers {what}",
            self.target, self.approver, self.expires
        )
    }

    /// `file:line` of the waiver.
    pub fn place(&self, file: &str) -> String {
        match self.line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_owned(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    waivers: Vec<Spanned<WaiverDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverDoc {
    clause: Option<Spanned<String>>,
    deployments: Option<Spanned<Vec<String>>>,
    when: Option<Spanned<String>>,
    approver: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    ticket: Option<Spanned<String>>,
    link: Option<Spanned<String>>,
    expires: Option<Spanned<String>>,
}

fn line_col<T>(s: &Spanned<T>) -> (Option<usize>, Option<usize>) {
    let line = usize::try_from(s.referenced.line()).ok().filter(|&l| l > 0);
    let column = usize::try_from(s.referenced.column()).ok().filter(|&c| c > 0);
    (line, column)
}

/// Reads a waivers file named `file` against the rules: every problem of every entry at once.
pub fn read(file: &str, text: &str, rules: &RuleSet) -> Result<Waivers, Vec<Diagnostic>> {
    let at =
        |line: Option<usize>, column: Option<usize>| Location::File { file: file.to_owned(), line, column };
    let problem = |code: &'static Code, message: String, help: Option<String>, line, column| {
        Diagnostic::new(code, message, at(line, column)).with_help_opt(help)
    };
    const HELP: &str = "a waivers file is a mapping with a `waivers` list; see \"Waivers\" in the README";
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(vec![problem(
            codes::BAD_WAIVERS,
            "the waivers file is empty".into(),
            Some(HELP.into()),
            None,
            None,
        )]);
    }
    let mut options = Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    let doc: FileDoc = match serde_saphyr::from_str_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => {
            let (message, line, column) = crate::plan::yaml::describe_error(&e);
            let help = crate::testing::misspelt_field(&message).unwrap_or_else(|| HELP.into());
            return Err(vec![problem(
                codes::BAD_WAIVERS,
                format!("cannot read the waivers file: {}", crate::testing::analyst_words(&message)),
                Some(help),
                line,
                column,
            )]);
        }
    };
    let mut names: Vec<String> = Vec::new();
    for a in &rules.agreements {
        for c in &a.clauses {
            names.push(format!("{}.{}", a.id, c.id));
        }
        names.push(format!("{}.{DEFAULT_CLAUSE}", a.id));
    }
    let mut errors = Vec::new();
    let mut list = Vec::new();
    for entry in doc.waivers {
        let (line, column) = line_col(&entry);
        let w = entry.value;
        let missing = |what: &str, help: &str, errors: &mut Vec<Diagnostic>| {
            errors.push(problem(
                codes::WAIVER_MISSING,
                format!("this waiver has no `{what}`"),
                Some(help.into()),
                line,
                column,
            ))
        };
        let text_of = |s: &Option<Spanned<String>>| {
            s.as_ref().map(|s| s.value.trim().to_owned()).filter(|s| !s.is_empty())
        };
        let target = match &w.clause {
            None => {
                missing("clause", "name the waived clause as `clause: agreement.clause`", &mut errors);
                None
            }
            Some(c) => {
                let (l, col) = line_col(c);
                match find_clause(rules, &c.value) {
                    Some(found) => Some(found),
                    None => {
                        errors.push(problem(
                            codes::WAIVER_UNKNOWN_CLAUSE,
                            format!("unknown clause `{}`", c.value),
                            crate::suggest::help(&c.value, names.iter().map(String::as_str)).or_else(|| {
                                Some("name the clause as `agreement.clause`, as the report names it".into())
                            }),
                            l,
                            col,
                        ));
                        None
                    }
                }
            }
        };
        let covers = match (&w.deployments, &w.when) {
            (Some(_), Some(when)) => {
                let (l, col) = line_col(when);
                errors.push(problem(
                    codes::BAD_WAIVERS,
                    "this waiver gives both `deployments` and `when`".into(),
                    Some("name the deployments by id, or by a condition, not both".into()),
                    l,
                    col,
                ));
                None
            }
            (None, None) => {
                missing(
                    "deployments",
                    "name the deployments it covers: `deployments: [id, ...]` or `when: <condition>`",
                    &mut errors,
                );
                None
            }
            (Some(ids), None) if ids.value.is_empty() => {
                let (l, col) = line_col(ids);
                errors.push(problem(
                    codes::WAIVER_MISSING,
                    "this waiver's `deployments` is empty".into(),
                    Some("name at least one deployment by its id".into()),
                    l,
                    col,
                ));
                None
            }
            (Some(ids), None) => Some(Covers::Ids(ids.value.clone())),
            (None, Some(when)) => condition(rules, file, text, when, &mut errors),
        };
        let approver = text_of(&w.approver);
        if approver.is_none() {
            missing("approver", "say who approved the waiver: `approver: Jane Doe`", &mut errors);
        }
        let reason = text_of(&w.reason);
        if reason.is_none() {
            missing("reason", "say why the violation is accepted: `reason: ...`", &mut errors);
        }
        let (ticket, link) = (text_of(&w.ticket), text_of(&w.link));
        if ticket.is_none() && link.is_none() {
            missing(
                "ticket",
                "say where it was decided: `ticket: LEGAL-123` or `link: https://...`",
                &mut errors,
            );
        }
        let expires = match &w.expires {
            None => {
                missing("expires", "every waiver ends: `expires: 2027-01-01`", &mut errors);
                None
            }
            Some(e) => match crate::resolve::dates::parse_day(e.value.trim()) {
                Ok(day) => Some(day),
                Err(why) => {
                    let (l, col) = line_col(e);
                    errors.push(problem(
                        codes::BAD_DATE,
                        format!("`{}` is not a valid date: {why}", e.value),
                        Some("write dates as YYYY-MM-DD, like 2027-01-01".into()),
                        l,
                        col,
                    ));
                    None
                }
            },
        };
        if let (Some((agreement, clause)), Some(deployments), Some(approver), Some(reason), Some(expires)) =
            (target, covers, approver, reason, expires)
        {
            list.push(Waiver {
                target: w.clause.map(|c| c.value).unwrap_or_default(),
                agreement,
                clause,
                deployments,
                approver,
                reason,
                ticket,
                link,
                expires,
                line,
            });
        }
    }
    if errors.is_empty() {
        Ok(Waivers { file: file.to_owned(), list })
    } else {
        Err(errors)
    }
}

/// `agreement.clause` (or `agreement.default`) in the rules.
fn find_clause(rules: &RuleSet, name: &str) -> Option<(AgreementId, Option<ClauseRef>)> {
    let (agreement, clause) = name.trim().split_once('.')?;
    let ai = rules.agreements.iter().position(|a| a.id == agreement)?;
    let a = &rules.agreements[ai];
    if clause == DEFAULT_CLAUSE {
        return Some((AgreementId(ai as u32), None));
    }
    let ci = a.clauses.iter().position(|c| c.id == clause)?;
    Some((AgreementId(ai as u32), Some(ClauseRef(ci as u32))))
}

/// A waiver's `when`: parsed with the grammar's condition rule, resolved against the vocabulary.
/// Problems are placed in the waivers file, at the condition's line and the column within it.
fn condition(
    rules: &RuleSet,
    file: &str,
    text: &str,
    when: &Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Covers> {
    let (line, column) = line_col(when);
    // A quoted scalar's text starts one column after its quote.
    let quoted = line
        .and_then(|l| text.lines().nth(l - 1))
        .and_then(|l| column.and_then(|c| l.chars().nth(c - 1)))
        .is_some_and(|c| c == '"' || c == '\'');
    let condition_text = when.value.as_str();
    let place = |offset: usize| {
        let before = &condition_text[..offset.min(condition_text.len())];
        let lines_before = before.matches('\n').count();
        let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count());
        let (l, c) = if lines_before == 0 {
            (line, column.map(|c| c + col + usize::from(quoted)))
        } else {
            (line.map(|l| l + lines_before), None)
        };
        Location::File { file: file.to_owned(), line: l, column: c }
    };
    let moved = |d: Diagnostic| {
        let offset = d.span().map_or(0, |s| s.start as usize);
        Diagnostic {
            code: if d.code == codes::SYNTAX { codes::WAIVER_BAD_CONDITION } else { d.code },
            location: place(offset),
            ..d
        }
    };
    let ast = match crate::syntax::parse_condition(FileId(u32::MAX), condition_text) {
        Ok(ast) => ast,
        Err(e) => {
            let d = e.to_diagnostic();
            let expected = match &d.location {
                Location::Rules { primary, .. } if !primary.text.is_empty() => Some(primary.text.clone()),
                _ => None,
            };
            let mut d = moved(d);
            // What could come there says more than advice about a whole file's braces.
            if let Some(expected) = expected {
                d.help = Some(expected.replace("the file ends", "the condition ends"));
            }
            d.message = format!(
                "this waiver's `when` is not a condition: {}",
                d.message.replace("the file ends", "the condition ends")
            );
            errors.push(d);
            return None;
        }
    };
    match crate::resolve::resolve_condition(rules, &ast) {
        Ok(condition) => {
            Some(Covers::When { text: crate::report::texts::collapse(condition_text), condition })
        }
        Err(found) => {
            errors.extend(found.into_iter().map(|d| {
                let mut d = moved(d);
                if d.code != codes::WAIVER_BAD_CONDITION {
                    d.message = format!("in this waiver's `when`: {}", d.message);
                    d.code = codes::WAIVER_BAD_CONDITION;
                }
                d
            }));
            None
        }
    }
}

/// Waivers that expire within `days` of `today`, or have expired, as lint findings placed in the
/// waivers file.
pub fn expiring(waivers: &Waivers, today: NaiveDate, days: u32) -> Vec<Diagnostic> {
    let horizon = today.checked_add_days(chrono::Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    waivers
        .list
        .iter()
        .filter(|w| w.expires <= horizon)
        .map(|w| {
            let message = if w.expires <= today {
                format!("the waiver of `{}` approved by {} expired on {}", w.target, w.approver, w.expires)
            } else {
                let left = (w.expires - today).num_days();
                let days = if left == 1 { "1 day".to_owned() } else { format!("{left} days") };
                format!(
                    "the waiver of `{}` approved by {} expires on {} (in {days})",
                    w.target, w.approver, w.expires
                )
            };
            let location = Location::File { file: waivers.file.clone(), line: w.line, column: None };
            Diagnostic::new(codes::WAIVER_EXPIRING, message, location)
                .with_help(format!("renew it with {} or fix what it waives", w.approver))
        })
        .collect()
}
