//! A baseline: the violations of an earlier run, read from its JSON report, so a run fails only
//! on violations that are new.
//!
//! An entry is one violated term of one deployment: the plan as named, the deployment's id, the
//! agreement and the clause (`default` for a `default deny`). A violation of the run found in the
//! baseline is *known*: reported, counted apart, not failing. Entries the run no longer finds are
//! *fixed*, and listed.

use std::collections::HashMap;

use serde::Deserialize;

use crate::diagnostic::{codes, Diagnostic, Location};

/// One violated term of an earlier run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    pub plan: String,
    pub id: String,
    pub agreement: String,
    pub clause: String,
}

/// The entries of a baseline, in the order of its report.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub file: String,
    pub entries: Vec<Entry>,
    index: HashMap<Entry, u32>,
}

#[derive(Deserialize)]
struct ReportDoc {
    deployments: Vec<DeploymentDoc>,
}

#[derive(Deserialize)]
struct DeploymentDoc {
    id: String,
    plan: String,
    terms: Vec<TermDoc>,
}

#[derive(Deserialize)]
struct TermDoc {
    agreement: String,
    clause: String,
    status: String,
}

impl Baseline {
    /// Reads the JSON report `text` (of `clausecheck check --format json`) named `file`.
    pub fn read(file: &str, text: &str) -> Result<Baseline, Box<Diagnostic>> {
        let doc: ReportDoc = serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line(), e.column());
            let location = Location::File {
                file: file.to_owned(),
                line: (line > 0).then_some(line),
                column: (column > 0).then_some(column),
            };
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            // serde_json's words in an analyst's.
            let message = match e.classify() {
                serde_json::error::Category::Syntax => "it is not JSON here".to_owned(),
                serde_json::error::Category::Eof => "the file ends too soon".to_owned(),
                _ => crate::testing::analyst_words(message),
            };
            Box::new(
                Diagnostic::new(
                    codes::BAD_BASELINE,
                    format!("the baseline is not a report of `check`: {message}"),
                    location,
                )
                .with_help(codes::BAD_BASELINE.help),
            )
        })?;
        let mut baseline = Baseline { file: file.to_owned(), ..Baseline::default() };
        for d in doc.deployments {
            for t in d.terms.into_iter().filter(|t| t.status == "violated") {
                let entry = Entry {
                    plan: d.plan.clone(),
                    id: d.id.clone(),
                    agreement: t.agreement,
                    clause: t.clause,
                };
                if !baseline.index.contains_key(&entry) {
                    baseline.index.insert(entry.clone(), baseline.entries.len() as u32);
                    baseline.entries.push(entry);
                }
            }
        }
        Ok(baseline)
    }

    /// The entry for this violated term, if the baseline has it.
    pub fn find(&self, plan: &str, id: &str, agreement: &str, clause: &str) -> Option<u32> {
        if self.entries.is_empty() {
            return None;
        }
        let key =
            Entry { plan: plan.into(), id: id.into(), agreement: agreement.into(), clause: clause.into() };
        self.index.get(&key).copied()
    }
}
