//! The verdict policy: what a run's counts come to, and the exit status. The one place a verdict
//! or an exit status is decided; every format and every subcommand asks here.

use serde::Serialize;

/// Every record counted exactly once: `allowed + violated + errors == deployments`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Summary {
    pub deployments: usize,
    pub allowed: usize,
    pub violated: usize,
    pub errors: usize,
    /// Allowed deployments that become violated soon (`check --warn-within`); not part of the sum.
    pub warnings: usize,
}

impl Summary {
    pub fn add(&mut self, other: &Summary) {
        self.deployments += other.deployments;
        self.allowed += other.allowed;
        self.violated += other.violated;
        self.errors += other.errors;
        self.warnings += other.warnings;
    }
}

/// What a whole run comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunVerdict {
    Allowed,
    Violated,
    /// A record, a plan or the rules are wrong.
    Error,
}

impl RunVerdict {
    /// The verdict of counts, with `failed_plans` plans that could not be read at all.
    pub fn of(summary: &Summary, failed_plans: usize) -> RunVerdict {
        RunVerdict::from_counts(summary.errors + failed_plans, summary.violated)
    }

    /// The verdict of any run's counts: an input error decides, then a violation. `ledger` asks
    /// here with its broken entries and violated payment terms.
    pub fn from_counts(errors: usize, violated: usize) -> RunVerdict {
        if errors > 0 {
            RunVerdict::Error
        } else if violated > 0 {
            RunVerdict::Violated
        } else {
            RunVerdict::Allowed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RunVerdict::Allowed => "allowed",
            RunVerdict::Violated => "violated",
            RunVerdict::Error => "error",
        }
    }
}

/// How a run ends, for every subcommand: 0 clean, 1 findings, 2 the input or the command is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Findings = 1,
    Error = 2,
}

/// What `check` exits with: warnings fail the run only when denied.
pub fn exit(verdict: RunVerdict, summary: &Summary, deny_warnings: bool) -> Exit {
    match verdict {
        RunVerdict::Error => Exit::Error,
        RunVerdict::Violated => Exit::Findings,
        RunVerdict::Allowed if deny_warnings && summary.warnings > 0 => Exit::Findings,
        RunVerdict::Allowed => Exit::Success,
    }
}
