//! What the run judged by, when it was given any: each waiver with what it did (waived, expired,
//! matched nothing), and the baseline's entries that are fixed.

use std::fmt::Write as _;

use super::escape::text;
use crate::report::End;

/// The waivers section, when the run had waivers.
pub fn waivers(s: &mut String, end: &End<'_>) {
    let w = &end.policy.waivers;
    if w.list.is_empty() {
        return;
    }
    s.push_str("<section aria-labelledby=\"waivers\">\n<h2 id=\"waivers\">Waivers</h2>\n<table id=\"waivers-table\">\n<caption>Each waiver and what it did in this run</caption>\n<thead><tr><th scope=\"col\">waiver</th><th scope=\"col\">clause</th><th scope=\"col\">approved by</th><th scope=\"col\">reason</th><th scope=\"col\">expires</th><th scope=\"col\">ticket</th><th scope=\"col\">in this run</th></tr></thead>\n<tbody>\n");
    for (i, waiver) in w.list.iter().enumerate() {
        s.push_str("<tr><th scope=\"row\">");
        text(s, &waiver.place(&w.file));
        s.push_str("</th><td><code>");
        text(s, &waiver.target);
        s.push_str("</code></td>");
        for cell in [&waiver.approver, &waiver.reason, &waiver.expires.to_string(), &waiver.reference()] {
            s.push_str("<td>");
            text(s, cell);
            s.push_str("</td>");
        }
        let waived = end.usage.waived.get(i).copied().unwrap_or(0);
        let expired = end.usage.expired.get(i).copied().unwrap_or(0);
        s.push_str("<td>");
        if waived > 0 {
            let _ = write!(s, "<span class=\"b waived\">waived</span> {waived}");
        } else if expired > 0 {
            let _ = write!(
                s,
                "<span class=\"b violated\">expired</span> no longer covers {expired} (they fail the run again)"
            );
        } else {
            s.push_str("<span class=\"b advisory\">matches nothing</span> a warning (fails with <code>--deny warnings</code>)");
        }
        s.push_str("</td></tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}

/// The baseline section, when the run had one: its size and the entries now fixed, within
/// `budget` bytes.
pub fn baseline(s: &mut String, end: &End<'_>, budget: usize) {
    let Some(b) = &end.policy.baseline else { return };
    s.push_str("<section aria-labelledby=\"baseline\">\n<h2 id=\"baseline\">Baseline</h2>\n<p>");
    let _ = write!(s, "{} entries in <code>", b.entries.len());
    text(s, &b.file);
    s.push_str("</code>: a violation it has is known and does not fail the run.</p>\n");
    let fixed: Vec<usize> = end.usage.fixed().collect();
    if fixed.is_empty() {
        s.push_str("<p>None of its violations is fixed.</p>\n</section>\n");
        return;
    }
    s.push_str("<table id=\"fixed-table\">\n<caption>Fixed since the baseline</caption>\n<thead><tr><th scope=\"col\">deployment</th><th scope=\"col\">plan</th><th scope=\"col\">clause</th></tr></thead>\n<tbody>\n");
    let start = s.len();
    let mut left = 0usize;
    for i in fixed {
        let e = &b.entries[i];
        if s.len() - start > budget {
            left += 1;
            continue;
        }
        s.push_str("<tr><th scope=\"row\">");
        text(s, &e.id);
        s.push_str("</th><td>");
        text(s, &e.plan);
        s.push_str("</td><td>");
        text(s, &e.agreement);
        s.push('.');
        text(s, &e.clause);
        s.push_str("</td></tr>\n");
    }
    s.push_str("</tbody>\n</table>\n");
    if left > 0 {
        let _ = writeln!(s, "<p class=\"muted\">{left} more not shown; see <code>--format json</code>.</p>");
    }
    s.push_str("</section>\n");
}
