//! The registry of codes: every kind of finding the tool reports, with its default severity, a
//! one-line description and a help text.
//!
//! Producers name their findings by these constants, never by a string literal, so a code is
//! spelt once. SARIF's `rules[]`, `lint --deny CODE` / `--allow CODE`, the spool's record codec
//! and the docs' table of codes (`docs/language.md` §7, generated from here and checked by
//! `tests/codes.rs`) all read [`ALL`].

use std::fmt;

use super::Severity;

/// Where findings of a code come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    /// A rule file that does not follow the grammar.
    Syntax,
    /// A rule set that parses but is wrong (names, dates, structure).
    Rules,
    /// A plan, or one record of it.
    Plan,
    /// `clausecheck lint`: findings beyond errors.
    Lint,
    /// `clausecheck test`: the analysts' case files.
    Cases,
    /// `--waivers FILE`.
    Waivers,
    /// `--baseline FILE`.
    Baseline,
    /// `--events FILE`, or a plan's `events`.
    Events,
    /// `clausecheck ledger`: a ledger, or one entry of it.
    Ledger,
    /// A run of `check` as a whole.
    Run,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Syntax => "syntax",
            Area::Rules => "rules",
            Area::Plan => "plan",
            Area::Lint => "lint",
            Area::Cases => "test cases",
            Area::Waivers => "waivers",
            Area::Baseline => "baseline",
            Area::Events => "events",
            Area::Ledger => "ledger",
            Area::Run => "run",
        }
    }
}

/// One kind of finding. Codes are stable: scripts, docs and SARIF rule ids rely on them.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    /// `unknown-name`: lowercase words joined by `-`.
    pub name: &'static str,
    pub area: Area,
    /// The severity a finding of this code has unless its producer says otherwise.
    pub severity: Severity,
    /// One line: what triggers it.
    pub summary: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

macro_rules! codes {
    ($($konst:ident = $name:literal, $area:ident, $severity:ident, $summary:literal, $help:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $konst: &Code = &Code {
                name: $name,
                area: Area::$area,
                severity: Severity::$severity,
                summary: $summary,
                help: $help,
            };
        )*
        /// Every code, in the order of the docs' table.
        pub const ALL: &[&Code] = &[$($konst),*];
    };
}

codes! {
    SYNTAX = "syntax", Syntax, Error,
        "a rule file does not follow the grammar",
        "the message says what was found and what could come there; see docs/language.md §9";

    UNKNOWN_NAME = "unknown-name", Rules, Error,
        "a field, value, flag, party, agreement, clause or parameter that is not declared (or a field used as a flag)",
        "declare it in the vocabulary or the agreement, or correct the spelling (a suggestion is given when one is close)";
    DUPLICATE = "duplicate", Rules, Error,
        "two agreements, clauses, parameters, fields, flags or values with one name",
        "give each one its own name";
    BAD_DATE = "bad-date", Rules, Error,
        "a date of the wrong shape or that does not exist, in a rule file, a plan record or a waiver",
        "write dates as YYYY-MM-DD, like 2032-12-31, and check the day exists";
    INVERTED_WINDOW = "inverted-window", Rules, Error,
        "a window whose start is after its end, or `ends` before `effective`",
        "put the earlier date first";
    BAD_PERCENT = "bad-percent", Rules, Error,
        "a percentage over 100",
        "a share is at most 100%";
    BAD_NUMBER = "bad-number", Rules, Error,
        "a number too large to hold exactly",
        "write the amount with fewer digits";
    SUPERSEDES_CYCLE = "supersedes-cycle", Rules, Error,
        "an agreement that supersedes itself, directly or through others",
        "an agreement can only replace agreements that came before it";
    EXCEPTION_CYCLE = "exception-cycle", Rules, Error,
        "a clause that is an exception to itself, directly or through others",
        "make one clause the exception and the other the rule";
    MISSING = "missing", Rules, Error,
        "an agreement without `effective` or `default`, or a clause without `quote`",
        "add what the message names";
    REPEATED = "repeated", Rules, Error,
        "`effective`, `ends`, `default`, `quote` or `severity` given twice, or a field named twice in one `launched(...)`",
        "keep one";
    EMPTY_CLAUSE = "empty-clause", Rules, Error,
        "a clause with no permit, forbid, require, oblige or information",
        "say what the clause requires, or remove it";
    AMBIGUOUS_VALUE = "ambiguous-value", Rules, Error,
        "a bare value in `launched(...)` that two fields declare",
        "name the field, like `channel = direct`";
    WRONG_KIND = "wrong-kind", Rules, Error,
        "a parameter or literal of the wrong kind (money where a date is needed, ...)",
        "use a value of the kind the place needs";
    SELF_PAYMENT = "self-payment", Rules, Error,
        "a payment term, or a ledger entry, whose payer is its payee",
        "name two different parties";
    RESERVED_NAME = "reserved-name", Rules, Error,
        "a vocabulary field or flag called `id` or `date`",
        "choose another name";
    TOO_MANY_FIELDS = "too-many-fields", Rules, Error,
        "`launched(...)` naming more than eight fields",
        "name at most eight fields";
    TOO_MANY = "too-many", Rules, Error,
        "a field with more than 65,535 values, or a rule set with more than a million clauses or 100,000 agreements",
        "split the field or the rule set";
    NO_VOCABULARY = "no-vocabulary", Rules, Error,
        "agreements but no `vocabulary` block anywhere in the rule set",
        "add a `vocabulary { ... }` block declaring the fields and their values";
    EMPTY_RULES = "empty-rules", Rules, Error,
        "every rule file is empty or holds only comments",
        "write a `vocabulary { ... }` and an `agreement`; see docs/language.md";
    NO_RULES = "no-rules", Rules, Error,
        "no rule files were found, or one could not be read",
        "name them with `--rules PATH`, or run from a folder with `rules/`";
    MORE_ERRORS = "more-errors", Rules, Note,
        "a file has more errors than are shown",
        "fix the first ones and check again";

    UNKNOWN_FIELD = "unknown-field", Plan, Error,
        "a plan record (or ledger entry) names a field the vocabulary (or the ledger) does not have",
        "correct the field's name (a suggestion is given when one is close)";
    REPEATED_FIELD = "repeated-field", Plan, Error,
        "a plan record or ledger entry gives one field twice",
        "keep one";
    MISSING_FIELD = "missing-field", Plan, Error,
        "a plan record or ledger entry leaves out a required field (party, product, cloud, date, ...)",
        "add the field";
    WRONG_TYPE = "wrong-type", Plan, Error,
        "a plan record's or ledger entry's value is not text (a list, a mapping, a number)",
        "write the value as text";
    UNKNOWN_VALUE = "unknown-value", Plan, Error,
        "a plan record's or ledger entry's value is not declared for its field (or not a kind of entry)",
        "correct the value (a suggestion is given when one is close)";
    BAD_FLAG = "bad-flag", Plan, Error,
        "a flag that is not `true` or `false`",
        "write true or false";
    BAD_ID = "bad-id", Plan, Error,
        "a record id that is empty, not text, or too long",
        "give the record a short text id";
    DUPLICATE_ID = "duplicate-id", Plan, Error,
        "two records of one plan (or entries of one ledger) with one id",
        "give each record its own id";
    UNREADABLE_RECORD = "unreadable-record", Plan, Error,
        "a record or entry that cannot be read (an NDJSON line that is not JSON, a broken CSV row)",
        "fix the record's syntax";
    NOT_A_RECORD = "not-a-record", Plan, Error,
        "an entry of `deployments` that is not a mapping",
        "write each deployment as a mapping of fields";
    WRONG_CELL_COUNT = "wrong-cell-count", Plan, Error,
        "a CSV row with more or fewer cells than the header",
        "give every row one cell per column";
    RECORD_TOO_LARGE = "record-too-large", Plan, Error,
        "an NDJSON line or CSV row longer than a record may be (1 MiB)",
        "split the line, one deployment a line (or a row), or close the quote left open";
    UNREADABLE_PLAN = "unreadable-plan", Plan, Error,
        "a plan that cannot be read at all (missing, not UTF-8, not YAML or JSON, empty)",
        "fix the file; the other plans are still checked";

    CONFLICT = "conflict", Lint, Warning,
        "a deployment some clause permits that another clause in force violates",
        "decide which clause wins: an exception, a narrower condition, or a date";
    DEADLOCK = "deadlock", Lint, Warning,
        "a `require` looking across the plan that no plan can meet without breaking another agreement in force at the same time",
        "narrow one of the clauses or the agreements' dates or parties, or declare an exception";
    MORE_CONFLICTS = "more-conflicts", Lint, Note,
        "a clause that conflicts with more clauses than the 16 reported for it",
        "resolve the conflicts shown and run lint again";
    DEAD_RULE = "dead-rule", Lint, Warning,
        "a rule that no deployment can meet (a note when only an event with no date stands in its way)",
        "check its conditions and dates, or give the event's date with `--events`";
    NEVER_IN_FORCE = "never-in-force", Lint, Warning,
        "an agreement or clause whose dates leave it no day (a note when it waits for an event with no date)",
        "check its dates, or give the event's date with `--events`";
    SHADOWED = "shadowed", Lint, Warning,
        "a rule that never decides anything, because another rule of its clause always does",
        "remove it or narrow the other rule";
    REDUNDANT = "redundant", Lint, Warning,
        "a rule that adds nothing to another rule of the same kind",
        "remove one of them";
    EXPIRED = "expired", Lint, Warning,
        "a term whose dates are all before today",
        "if the term is over, say so in the rules";
    UNUSED_VALUE = "unused-value", Lint, Note,
        "a vocabulary value no rule names",
        "fine when it matters only through `!=`; otherwise remove it";
    UNUSED_FLAG = "unused-flag", Lint, Note,
        "a flag no rule reads",
        "remove it, or use it";
    UNUSED_PARAM = "unused-param", Lint, Warning,
        "a parameter no clause uses",
        "remove it, or use it";
    ASSUMPTION_DECIDES = "assumption-decides", Lint, Note,
        "a value marked `assumed` that decides some verdict",
        "confirm the assumption with the source";
    TOO_LARGE = "too-large", Lint, Warning,
        "an agreement lint could not examine within its limit of decision-diagram nodes (`--max-nodes`, 4,194,304 by default)",
        "raise `--max-nodes`, or split the agreement or its vocabulary";
    WAIVER_EXPIRING = "waiver-expiring", Lint, Warning,
        "a waiver that expires within `--warn-within` days of today, or has expired",
        "renew the waiver with its approver, or fix what it waives";

    BAD_CASE_FILE = "bad-case-file", Cases, Error,
        "a case file that cannot be read (not YAML, not the shape of a case file, no cases)",
        "see \"Test cases\" in docs/language.md";
    BAD_CASE = "bad-case", Cases, Error,
        "a case that cannot be run (an id its plan lacks, an unknown clause, a contradictory expectation)",
        "see \"Test cases\" in docs/language.md";

    BAD_WAIVERS = "bad-waivers", Waivers, Error,
        "a waivers file that cannot be read, or an entry of the wrong shape",
        "see \"Waivers\" in the README";
    WAIVER_UNKNOWN_CLAUSE = "waiver-unknown-clause", Waivers, Error,
        "a waiver names an `agreement.clause` the rules do not have",
        "name the clause as `agreement.clause` (a suggestion is given when one is close)";
    WAIVER_MISSING = "waiver-missing", Waivers, Error,
        "a waiver without its clause, deployments, approver, reason, ticket or link, or expiry",
        "every waiver says which clause, which deployments, who approved it, why, where it was decided and until when";
    WAIVER_BAD_CONDITION = "waiver-bad-condition", Waivers, Error,
        "a waiver's `when` is not a condition of the clause language over the vocabulary",
        "write it as in a rule: `cloud = aws and product = api`";
    WAIVER_UNUSED = "waiver-unused", Waivers, Warning,
        "a waiver that matches no violation of the run",
        "remove it if what it waived is fixed; check its clause and deployments otherwise";
    WAIVER_EXPIRED = "waiver-expired", Waivers, Warning,
        "a violation a waiver would cover, but the waiver has expired",
        "renew the waiver with its approver, or fix the deployment";

    BAD_BASELINE = "bad-baseline", Baseline, Error,
        "a baseline that is not a JSON report of `clausecheck check`",
        "make it with `clausecheck check --output-format json=FILE`";
    BASELINE_FIXED = "baseline-fixed", Baseline, Note,
        "a violation of the baseline that the run no longer finds",
        "make a new baseline when the fix is merged";

    BAD_AMOUNT = "bad-amount", Ledger, Error,
        "a ledger entry's amount without a currency, with a lower-case or unknown code, negative, with commas, or a JSON number",
        "write the amount and its currency code, like `400000 USD`";
    BAD_PERIOD = "bad-period", Ledger, Error,
        "a ledger entry's period that is not a year, a quarter or a month",
        "write a period as `2026`, `2026-Q2` or `2026-04`";
    DATE_OUTSIDE_PERIOD = "date-outside-period", Ledger, Error,
        "revenue dated outside its own period",
        "date revenue on a day within its period";
    OVERLAPPING_PERIOD = "overlapping-period", Ledger, Error,
        "a period that overlaps a different period of the same two parties, which would count days twice",
        "use one kind of period for the two parties, or periods that do not overlap";
    UNKNOWN_CLAUSE = "unknown-clause", Ledger, Error,
        "a ledger entry's `clause` names no clause with a payment term",
        "correct the clause's name (a suggestion is given when one is close)";
    NO_SUCH_TERM = "no-such-term", Ledger, Error,
        "a ledger entry's `clause` has no payment term between its two parties",
        "name the clause whose payment term this entry is about, or check the payer and payee";
    CURRENCY_MISMATCH = "currency-mismatch", Ledger, Error,
        "a ledger entry's currency is not that of the term it falls under",
        "record the amount in the term's currency";
    UNREADABLE_LEDGER = "unreadable-ledger", Ledger, Error,
        "a ledger that cannot be read at all (a syntax error, no `entries` list, a CSV without a header, an empty file)",
        "fix the file; see docs/ledger.md";

    BAD_EVENTS = "bad-events", Events, Error,
        "an events file (or a plan's `events`) that is not a mapping of declared events to days or `unknown`",
        "write one event a line: `merger_approved: 2027-03-01`, or `unknown` for no date yet";

    BECOMES_VIOLATED = "becomes-violated", Run, Warning,
        "an allowed deployment that becomes violated within `--warn-within` days of its date",
        "plan for the change, or renew the term";
}

/// The code called `name`.
pub fn find(name: &str) -> Option<&'static Code> {
    ALL.iter().copied().find(|c| c.name == name)
}

/// The position of a code in [`ALL`] (for compact encodings).
pub fn index(code: &Code) -> Option<usize> {
    ALL.iter().position(|c| c.name == code.name)
}

/// The docs' table of every code, as Markdown: `docs/language.md` holds it between
/// `<!-- codes:begin -->` and `<!-- codes:end -->`, and a test fails when they differ from this.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| code | from | severity | what triggers it | what to do |\n| --- | --- | --- | --- | --- |\n",
    );
    for c in ALL {
        let severity = match c.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        out.push_str(&format!(
            "| `{}` | {} | {severity} | {} | {} |\n",
            c.name,
            c.area.as_str(),
            c.summary.replace('|', "\\|"),
            c.help.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_well_formed() {
        for (i, c) in ALL.iter().enumerate() {
            assert!(c.name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'), "{}", c.name);
            assert!(ALL[..i].iter().all(|o| o.name != c.name), "{} twice", c.name);
            assert!(!c.summary.ends_with('.') && !c.help.ends_with('.'), "{}", c.name);
        }
        assert_eq!(find("unknown-name"), Some(UNKNOWN_NAME));
        assert_eq!(index(SYNTAX), Some(0));
    }
}
