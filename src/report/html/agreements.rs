//! The agreements of the rules and when each is in force: the `timeline` picture (the same SVG
//! as `clausecheck timeline --format svg`, drawn for the rules alone) as a `data:` image, and the
//! same facts in a table, for readers who cannot see the picture.
//!
//! An `<img>`, not inline SVG: the picture's own stylesheet would otherwise apply to the whole
//! page (its class names are `allowed`, `violated`, `title`...), and an image cannot run or fetch
//! anything. Its hover tooltips are lost; the assumptions it would show there are printed under
//! the chart, and the table below says each agreement's period in words.

use std::fmt::Write as _;

use super::csp::base64;
use super::escape::{escaped, text};
use crate::timeline::{svg, words, Timeline};

pub fn section(s: &mut String, t: &Timeline, seen: &[bool]) {
    s.push_str("<section aria-labelledby=\"agreements\">\n<h2 id=\"agreements\">Agreements in force</h2>\n");
    let alt = format!(
        "Timeline of the agreements from {} to {}; the table below gives each period in words",
        t.from_year, t.to_year
    );
    let _ = writeln!(
        s,
        "<p><img class=\"timeline\" alt=\"{}\" src=\"data:image/svg+xml;base64,{}\"></p>",
        escaped(&alt),
        base64(svg::render(t).as_bytes())
    );
    s.push_str("<table id=\"agreements-table\">\n<caption>Each agreement and its period of force</caption>\n<thead><tr><th scope=\"col\">agreement</th><th scope=\"col\">title</th><th scope=\"col\">in force</th><th scope=\"col\">supersedes</th><th scope=\"col\">binds a deployment of this run</th></tr></thead>\n<tbody>\n");
    for (i, a) in t.agreements.iter().enumerate() {
        s.push_str("<tr><th scope=\"row\">");
        text(s, &a.id);
        s.push_str("</th><td>");
        text(s, &a.title);
        s.push_str("</td><td>");
        text(s, &words::period(a));
        s.push_str("</td><td>");
        text(s, &a.supersedes.join(", "));
        let _ = writeln!(
            s,
            "</td><td>{}</td></tr>",
            if seen.get(i).copied().unwrap_or(false) { "yes" } else { "no" }
        );
    }
    s.push_str("</tbody>\n</table>\n</section>\n");
}
