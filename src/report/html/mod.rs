//! The HTML report: one self-contained page for reviewers and counsel, opened from a CI artifact
//! in a browser. Inline CSS, no fonts, nothing fetched (a Content-Security-Policy of `default-src
//! 'none'` makes the browser hold the page to that), and one small inline script that only
//! filters and pages rows; without it every row is shown and the filter form stays hidden.
//!
//! The page, in order: the summary (counts by verdict, the run's verdict, what the exit status
//! means, the waivers, baseline and `--fail-on` judged by); a filter form (text, verdict,
//! agreement, violated clause, each field's value); the violations that fail the run, grouped by
//! agreement and clause (title, quoted sentence, place, assumptions; a row per deployment with
//! its reason); record errors; known, waived and advisory violations; warnings; each waiver and
//! what it did; baseline entries fixed; the plans; the agreements in force (the `timeline`
//! picture and a table); and a table of deployments with their field values.
//!
//! **Size.** Violations are listed in full (up to 64 MiB of rows, then counted). The deployments
//! table lists the first 10,000 records ([`sink::LISTED_ROWS`]); the others are counted by field
//! value and verdict. A generated 100,000-deployment plan gives a 9.9 MB page (18,033 violations
//! listed) in about half a second, 32 MB peak memory.
//!
//! **Why these halves.** Records arrive in input order, and the page groups by clause, so the
//! [`render`] half writes each record's rows as tagged pieces on any thread and the [`sink`]
//! sorts them into sections, held until the end within those bounds. Input strings are escaped in
//! one place ([`escape`]), in content and attributes alike; control and bidirectional characters
//! are shown as escapes. No timestamp, no hash order: the same input gives the same bytes.
//!
//! **Colours** (WCAG 2 contrast ratios; AA asks 4.5:1 for text): text `#1f2328` on white 15.8:1;
//! muted `#57606a` on white 6.4:1 and on `#f6f8fa` 6.0:1; links `#0550ae` 7.6:1; badges with white
//! text: violated `#a40e26` 7.9:1, allowed `#116329` 7.4:1, waived `#57606a` 6.4:1, known
//! `#0550ae` 7.6:1, error `#6639ba` 7.3:1; advisory `#1f2328` on `#fff8c5` 14.7:1; assumptions
//! `#7d4e00` on `#fff8c5` 6.6:1; verdict banners `#1f2328` on `#ffebe9` 13.8:1, `#dafbe1` 14.2:1,
//! `#fff8c5` 14.7:1. Verdicts are words as well as colours.

mod agreements;
mod csp;
pub mod escape;
mod page;
mod policy;
mod render;
pub mod sink;

use std::io;

use super::texts::RuleTexts;
use super::{Output, Style};
use crate::timeline::Timeline;

pub use page::failed;
pub use sink::{HELD_BYTES, LISTED_ROWS};

/// The page's stylesheet, allowed by its hash.
const STYLE: &str = include_str!("style.css");
/// The filter script, allowed by its hash.
const SCRIPT: &str = include_str!("filter.js");

/// The HTML report's two halves, with the `timeline` of the rules drawn in when given.
pub fn output<'r>(
    texts: &'r RuleTexts<'r>,
    style: Style,
    timeline: Option<&'r Timeline>,
    out: Box<dyn io::Write + Send + 'r>,
) -> Output<'r> {
    Output {
        render: Box::new(render::HtmlRender::new(texts, style.filter)),
        sink: Box::new(sink::HtmlSink::new(texts, timeline, style.filter, out)),
    }
}
