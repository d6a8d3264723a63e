//! The timeline as a standalone SVG picture: no script, no external font or file, the same bytes
//! for the same timeline.
//!
//! Fixed layout: a title, a legend, a year axis with gridlines, then per agreement a header (id,
//! title, period in words), an "in force" bar and one row per clause, and at the foot the
//! assumptions in words (a picture in a README cannot show tooltips). Every bar, line and marker
//! carries a `<title>` tooltip with its dates and the rule as written. Coordinates are integers,
//! fonts generic (`sans-serif`, `monospace`), iteration in rule-set and plan order.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::report::safe;

use super::{
    words, AgreementLine, Assumed, ClauseLine, Edge, End, Marker, Scale, Timeline, Window, WindowKind,
};

const WIDTH: i64 = 1200;
const LEFT: i64 = 16;
const CHART_X: i64 = 270;
const CHART_W: i64 = 880;
/// Header lines of agreements, the "in force" row, and a clause row of one lane.
const LINE: i64 = 22;
/// Extra height for each further lane of a clause row.
const LANE: i64 = 14;
const GAP: i64 = 12;
/// Width of the hatched zone at an assumed date.
const ZONE: i64 = 14;
/// A rough width of one character at 11px (in halves of a pixel), for laying out the legend and
/// notes; no font is measured.
const HALF_CHAR: i64 = 11;
/// Deployments named in one marker's tooltip; the rest are counted.
const TIP_LINES: usize = 20;

const STYLE: &str = "text{font-family:sans-serif;font-size:12px;fill:#1f2328}\
.title{font-size:16px;font-weight:bold}.small{font-size:11px;fill:#57606a}\
.id{font-weight:bold}.clause{font-family:monospace}.kinds{font-size:10px;font-style:italic;fill:#57606a}\
.grid{stroke:#d8dee4;stroke-width:1}.force{fill:#4a5b6c}.base{fill:#e6eaee}\
.permit{fill:#6cc3a0}.forbid{fill:#ef8a6f}.require{fill:#7fb0dc}.payment{fill:#bfa6dd}\
.zone{fill:url(#hatch)}.succession{stroke:#8250df;stroke-width:1.5;stroke-dasharray:5 3}\
.end{stroke:#24292f;stroke-width:2}.assumed{stroke:#9a6700;stroke-width:1.5;stroke-dasharray:3 3}\
.allowed{fill:#1a7f37;stroke:#fff;stroke-width:1.5}.violated{fill:#cf222e;stroke:#fff;stroke-width:1.5}";

/// Renders the timeline as an SVG document.
pub fn render(t: &Timeline) -> String {
    let scale = Scale::new(t.from_year, t.to_year, CHART_W);
    let clauses: usize = t.agreements.iter().map(|a| a.clauses.len()).sum();
    let heading = format!("Agreements and clauses in force, {}–{}", t.from_year, t.to_year);
    let mut body = String::new();
    let _ = writeln!(body, r#"<text x="{LEFT}" y="28" class="title">{}</text>"#, esc(&heading));
    let sub = format!(
        "{} agreement{}, {} clause{}. Hover a bar, line or marker for its dates, rule and assumptions.",
        t.agreements.len(),
        plural(t.agreements.len()),
        clauses,
        plural(clauses)
    );
    let _ = writeln!(body, r#"<text x="{LEFT}" y="46" class="small">{}</text>"#, esc(&sub));
    let mut y = legend(&mut body, t, 58);

    let axis = y + 16;
    let top = axis + 8;
    let mut rows = String::new();
    y = top;
    for a in &t.agreements {
        y = agreement(&mut rows, a, &scale, y) + GAP;
    }
    if !t.unbound.is_empty() {
        let _ =
            writeln!(rows, r#"<text x="{LEFT}" y="{}" class="small">no agreement in force</text>"#, y + 15);
        markers(&mut rows, &t.unbound, &scale, y + LINE / 2);
        y += LINE + GAP;
    }
    let bottom = y - GAP;
    let years = scale.labelled_years(40);
    let every = (scale.year(t.from_year + 1) - scale.year(t.from_year)) >= 6;
    for year in t.from_year..=t.to_year + 1 {
        let labelled = years.contains(&year);
        // Every year's line while years are wide enough, the labelled ones otherwise, and always
        // the right edge.
        if !labelled && !every && year <= t.to_year {
            continue;
        }
        let x = CHART_X + scale.year(year);
        let y1 = if labelled { axis + 4 } else { top };
        let _ = writeln!(body, r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{bottom}" class="grid"/>"#);
        if labelled && year <= t.to_year {
            let _ = writeln!(body, r#"<text x="{}" y="{axis}" class="small">{year}</text>"#, x + 3);
        }
    }
    body.push_str(&rows);
    y = footnotes(&mut body, t, bottom + 24);

    let height = y + 8;
    let label = summary(t);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{}">"#,
        esc(&label)
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&heading));
    let _ = writeln!(out, "<desc>{}</desc>", esc(&label));
    out.push_str("<defs>\n");
    out.push_str(r##"<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff3c4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9a6700" stroke-width="2.5"/></pattern>"##);
    out.push('\n');
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str("</defs>\n");
    let _ = writeln!(out, r##"<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>"##);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What a screen reader says: every agreement and its period.
fn summary(t: &Timeline) -> String {
    let mut s = format!("Timeline of agreements in force from {} to {}.", t.from_year, t.to_year);
    for a in &t.agreements {
        let _ = write!(
            s,
            " {}: {}, {} clause{}.",
            a.id,
            words::period(a),
            a.clauses.len(),
            plural(a.clauses.len())
        );
    }
    s
}

/// The legend, wrapped over as many lines as it needs; returns the y below it.
fn legend(out: &mut String, t: &Timeline, top: i64) -> i64 {
    let allowed = t.markers().any(|m| !m.status.violated());
    let violated = t.markers().any(|m| m.status.violated());
    let mut items: Vec<(&str, &str)> = vec![
        ("force", "agreement in force"),
        ("permit", "permitted"),
        ("forbid", "forbidden"),
        ("require", "required"),
        ("payment", "payment"),
        ("base", "in force, not reached by a rule"),
        ("zone", "rests on an assumed date"),
        ("arrow", "no end"),
        ("end", "ends"),
        ("succession", "superseded"),
    ];
    if allowed {
        items.push(("allowed", "deployment allowed by it"));
    }
    if violated {
        items.push(("violated", "deployment violated by it"));
    }
    let (mut x, mut y) = (LEFT, top);
    for (kind, words) in items {
        let w = 22 + words.chars().count() as i64 * HALF_CHAR / 2 + 18;
        if x + w > WIDTH - LEFT {
            x = LEFT;
            y += 18;
        }
        match kind {
            "arrow" => {
                let _ = writeln!(
                    out,
                    r#"<polygon points="{x},{y} {},{} {x},{}" class="force"/>"#,
                    x + 9,
                    y + 5,
                    y + 10
                );
            }
            "end" | "succession" => {
                let _ = writeln!(
                    out,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" class="{kind}"/>"#,
                    x + 7,
                    y - 2,
                    x + 7,
                    y + 12
                );
            }
            "allowed" => {
                let _ = writeln!(out, r#"<circle cx="{}" cy="{}" r="5" class="allowed"/>"#, x + 7, y + 5);
            }
            "violated" => out.push_str(&diamond(x + 7, y + 5)),
            _ => {
                let _ = writeln!(out, r#"<rect x="{x}" y="{y}" width="16" height="10" class="{kind}"/>"#);
            }
        }
        let _ = writeln!(out, r#"<text x="{}" y="{}" class="small">{}</text>"#, x + 22, y + 9, esc(words));
        x += w;
    }
    y + 18
}

/// One agreement's block: header, "in force" bar, clause rows, and the lines across them.
/// Returns the y below it.
fn agreement(out: &mut String, a: &AgreementLine, scale: &Scale, top: i64) -> i64 {
    let title = cut(&a.title, 70);
    let mut extra = String::new();
    if !a.supersedes.is_empty() {
        let _ = write!(extra, " · supersedes {}", a.supersedes.join(", "));
    }
    if !a.parties.is_empty() {
        let _ = write!(extra, " · parties {}", a.parties.join(", "));
    }
    let _ = writeln!(
        out,
        r#"<text x="{LEFT}" y="{}"><tspan class="id">{}</tspan><tspan dx="10">{}</tspan><tspan dx="10" class="small">{}{}</tspan></text>"#,
        top + 15,
        esc(&a.id),
        esc(&title),
        esc(&words::period(a)),
        esc(&extra)
    );
    let shown = !a.never_in_force();
    let period = (a.effective.date, a.through());
    let (x0, x1) = bar(scale, period.0, period.1);
    let open = matches!(a.end, End::Open);
    let mut y = top + LINE;
    // (top, height) of every bar of the block, for the hatched zones of assumed dates.
    let mut bars = Vec::new();
    let _ = writeln!(out, r#"<text x="{}" y="{}" class="small">in force</text>"#, LEFT + 12, y + 15);
    if shown && x1 > x0 {
        let tip = format!("{}: {}", a.id, words::period(a));
        let _ = writeln!(
            out,
            r#"<rect x="{x0}" y="{}" width="{}" height="12" class="force"><title>{}</title></rect>"#,
            y + 5,
            x1 - x0,
            esc(&tip)
        );
        bars.push((y + 5, 12));
        if open {
            arrow(out, x1, y + 5, 12, "force");
        }
        if let Some(note) = note(a) {
            if x1 + 6 + note.chars().count() as i64 * HALF_CHAR / 2 <= CHART_X + CHART_W + 40 {
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" class="small">{}</text>"#,
                    x1 + 6,
                    y + 15,
                    esc(&note)
                );
            }
        }
    }
    markers(out, &a.markers, scale, y + LINE / 2);
    y += LINE;
    for c in &a.clauses {
        y = clause(out, a, c, scale, y, &mut bars);
    }
    let bottom = y;

    if shown {
        if let Some(assumed) = &a.effective.assumed {
            zones(out, &bars, x0, (x0 + ZONE).min(x1), assumed);
            if scale.shows(a.effective.date) {
                line(out, x0, top + LINE, bottom, "assumed", &assumed.words());
            }
        }
        if let End::Ends { through } = &a.end {
            // A solid line where it ends; dashed, over a hatched zone, when the end is assumed.
            let (class, tip) = match &through.assumed {
                Some(assumed) => (
                    "assumed",
                    format!("{} ends: last day in force {}; {}", a.id, through.date, assumed.words()),
                ),
                None => ("end", format!("{} ends: last day in force {}", a.id, through.date)),
            };
            if let Some(assumed) = &through.assumed {
                zones(out, &bars, (x1 - ZONE).max(x0), x1, assumed);
            }
            if scale.shows(through.date) {
                line(out, x1, top + LINE, bottom, class, &tip);
            }
        }
    }
    for s in &a.superseded_by {
        if scale.shows(s.from) {
            let tip = format!("{} is superseded by {} from {}", a.id, s.agreement, s.from);
            line(out, CHART_X + scale.at(s.from), top + LINE, bottom, "succession", &tip);
        }
    }
    bottom
}

/// What is written after an ended agreement's bar.
fn note(a: &AgreementLine) -> Option<String> {
    match &a.end {
        End::Superseded { by, from, .. } => Some(format!("superseded by {by} from {from}")),
        End::Ends { through } => Some(format!("ends {}", through.date)),
        End::Open => None,
    }
}

/// One drawn window: its bar and its lane.
struct Segment<'w> {
    window: &'w Window,
    x0: i64,
    x1: i64,
    from: NaiveDate,
    through: Option<NaiveDate>,
    lane: i64,
}

fn clause(
    out: &mut String,
    a: &AgreementLine,
    c: &ClauseLine,
    scale: &Scale,
    top: i64,
    bars: &mut Vec<(i64, i64)>,
) -> i64 {
    let period = (a.effective.date, a.through());
    let shown = !a.never_in_force();
    let mut segments: Vec<Segment<'_>> = Vec::new();
    for w in &c.windows {
        let Some((from, through)) = a.clip(w) else { continue };
        let (x0, x1) = bar(scale, from, through);
        if x1 <= CHART_X || x0 >= CHART_X + CHART_W {
            continue;
        }
        // A window of a day is still two pixels wide.
        segments.push(Segment { window: w, x0, x1: x1.max(x0 + 2), from, through, lane: 0 });
    }
    // Lanes in date order (stable: windows starting together keep their written order), each
    // window in the first lane free where it starts.
    segments.sort_by_key(|s| s.x0);
    let mut lanes: Vec<i64> = Vec::new();
    for s in &mut segments {
        let lane = match lanes.iter().position(|end| *end <= s.x0) {
            Some(l) => l,
            None => {
                lanes.push(0);
                lanes.len() - 1
            }
        };
        lanes[lane] = s.x1;
        s.lane = lane as i64;
    }
    let height = LINE.max(8 + LANE * lanes.len() as i64);
    let tip = format!("{} — {}: “{}” ({})", c.id, c.title, c.quote, c.source);
    let _ = writeln!(
        out,
        r#"<g><title>{}</title><text x="{}" y="{}" class="clause">{}</text></g>"#,
        esc(&tip),
        LEFT + 12,
        top + height / 2 + 4,
        esc(&cut(&c.id, 32))
    );
    let (x0, x1) = bar(scale, period.0, period.1);
    if shown && x1 > x0 {
        let kinds: Vec<&str> = c.holds.iter().map(|h| h.as_str()).collect();
        let about = if c.about_deployments() {
            format!("in force {}; holds {}", range_words(period.0, period.1), kinds.join(", "))
        } else {
            format!("{}: not checked against deployments", kinds.join(", "))
        };
        let _ = writeln!(
            out,
            r#"<rect x="{x0}" y="{}" width="{}" height="{}" class="base"><title>{}</title></rect>"#,
            top + 3,
            x1 - x0,
            height - 6,
            esc(&format!("{}: {about}", c.id))
        );
        bars.push((top + 3, height - 6));
        if matches!(a.end, End::Open) {
            arrow(out, x1, top + 3, height - 6, "base");
        }
        let words = format!("{} (not checked against deployments)", kinds.join(", "));
        if !c.about_deployments() && segments.is_empty() && 12 + words.chars().count() as i64 * 6 <= x1 - x0 {
            let _ = writeln!(
                out,
                r#"<text x="{}" y="{}" class="kinds">{}</text>"#,
                x0 + 6,
                top + height / 2 + 4,
                esc(&words)
            );
        }
    }
    for s in &segments {
        let y = top + 6 + s.lane * LANE;
        let class = match s.window.kind {
            WindowKind::Permit => "permit",
            WindowKind::Forbid | WindowKind::ForbiddenPayment => "forbid",
            WindowKind::Require => "require",
            WindowKind::Payment => "payment",
        };
        let mut tip =
            format!("{} {}: {}", s.window.kind.as_str(), range_words(s.from, s.through), s.window.text);
        if !s.window.other_date_tests.is_empty() {
            let _ = write!(tip, " (also tests {})", s.window.other_date_tests.join("; "));
        }
        // A pixel of white before the next window, so two windows end to end stay two.
        let width = if s.x1 - s.x0 > 3 { s.x1 - s.x0 - 1 } else { s.x1 - s.x0 };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{y}" width="{width}" height="10" class="{class}"><title>{}</title></rect>"#,
            s.x0,
            esc(&tip)
        );
        for (edge, _, assumed) in a.assumed_bounds(s.window) {
            let (z0, z1) = match edge {
                Edge::Start => (s.x0, (s.x0 + ZONE).min(s.x1)),
                Edge::End => ((s.x1 - ZONE).max(s.x0), s.x1),
            };
            zones(out, &[(y, 10)], z0, z1, assumed);
        }
    }
    markers(out, &c.markers, scale, top + height / 2);
    top + height
}

/// The x range of a period on the chart (open: to the right edge).
fn bar(scale: &Scale, from: NaiveDate, through: Option<NaiveDate>) -> (i64, i64) {
    let x0 = CHART_X + scale.at(from);
    let x1 = CHART_X + through.map_or(CHART_W, |t| scale.after(t));
    (x0, x1.max(x0))
}

fn range_words(from: NaiveDate, through: Option<NaiveDate>) -> String {
    match through {
        Some(t) => format!("from {from} through {t}"),
        None => format!("from {from}, no end"),
    }
}

fn arrow(out: &mut String, x: i64, y: i64, h: i64, class: &str) {
    let _ =
        writeln!(out, r#"<polygon points="{x},{y} {},{} {x},{}" class="{class}"/>"#, x + 9, y + h / 2, y + h);
}

fn line(out: &mut String, x: i64, y1: i64, y2: i64, class: &str, tip: &str) {
    let _ = writeln!(
        out,
        r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" class="{class}"><title>{}</title></line>"#,
        esc(tip)
    );
}

/// Hatched zones from `x0` to `x1` over each bar, with the assumption as their tooltip.
fn zones(out: &mut String, bars: &[(i64, i64)], x0: i64, x1: i64, assumed: &Assumed) {
    if x1 <= x0 {
        return;
    }
    let _ = write!(out, "<g><title>{}</title>", esc(&assumed.words()));
    for (y, h) in bars {
        let _ = write!(out, r#"<rect x="{x0}" y="{y}" width="{}" height="{h}" class="zone"/>"#, x1 - x0);
    }
    out.push_str("</g>\n");
}

/// Deployments on a row: one shape per day and outcome, green circles under red diamonds, with
/// the deployments of the shape in its tooltip (the first [`TIP_LINES`] of them).
fn markers(out: &mut String, markers: &[Marker], scale: &Scale, cy: i64) {
    for violated in [false, true] {
        let mut groups: BTreeMap<i64, Vec<&Marker>> = BTreeMap::new();
        for m in markers.iter().filter(|m| m.status.violated() == violated && scale.shows(m.date)) {
            groups.entry(CHART_X + scale.at(m.date)).or_default().push(m);
        }
        for (x, ms) in groups {
            // One deployment a line: each escaped on its own, so the line breaks stay.
            let mut tip: Vec<String> = ms
                .iter()
                .take(TIP_LINES)
                .map(|m| esc(&format!("{} ({} · {}): {}", m.deployment, m.facts, m.date, m.status.as_str())))
                .collect();
            if ms.len() > TIP_LINES {
                tip.push(format!("… and {} more", ms.len() - TIP_LINES));
            }
            let tip = tip.join("\n");
            if violated {
                let _ = writeln!(out, "<g><title>{tip}</title>{}</g>", diamond(x, cy).trim_end());
            } else {
                let _ = writeln!(
                    out,
                    r#"<circle cx="{x}" cy="{cy}" r="5" class="allowed"><title>{tip}</title></circle>"#
                );
            }
        }
    }
}

fn diamond(x: i64, y: i64) -> String {
    format!(
        "<polygon points=\"{x},{} {},{y} {x},{} {},{y}\" class=\"violated\"/>\n",
        y - 6,
        x + 6,
        y + 6,
        x - 6
    )
}

/// The assumptions behind the hatched dates, in words; returns the y below them.
fn footnotes(out: &mut String, t: &Timeline, top: i64) -> i64 {
    let found = t.assumptions();
    if found.is_empty() {
        return top - 12;
    }
    let _ = writeln!(out, r#"<text x="{LEFT}" y="{top}" class="id">Assumed dates (hatched)</text>"#);
    let mut y = top;
    for (agreement, a) in found {
        y += 17;
        let words = format!("{agreement}: {}", words::assumption(a));
        let shown = cut(&words, 165);
        // The whole text as a tooltip when the line had to be cut.
        let tip = if shown == words { String::new() } else { format!("<title>{}</title>", esc(&words)) };
        let _ = writeln!(out, r#"<text x="{LEFT}" y="{y}" class="small">{tip}{}</text>"#, esc(&shown));
    }
    y
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// Text for XML: control characters escaped as words (XML cannot hold most of them), then the
/// five characters XML gives meaning to.
fn esc(text: &str) -> String {
    let text = safe(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
