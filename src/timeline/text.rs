//! The timeline as a compact Gantt chart for a terminal: one line per agreement and per clause,
//! a year scale, then the exact dates in words.
//!
//! Fits 100 columns: the labels take what the longest id needs (at most 28), the chart a whole
//! number of columns per year (a month, a quarter, ...), one column after it for the arrow of an
//! open end. Every glyph means something without colour; colour (only when the caller says so)
//! just helps the eye. Control characters from the rules or the plan are escaped, never printed.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::report::{safe, Paint};

use super::{words, AgreementLine, ClauseLine, End, Marker, Scale, Timeline, WindowKind};

/// The widest line.
const WIDTH: usize = 100;
/// The widest label column (longer ids are cut with `…`).
const MAX_LABEL: usize = 28;
/// Columns per year the chart may use: divisors of twelve, so columns are whole months.
const PER_YEAR: [usize; 6] = [12, 6, 4, 3, 2, 1];

/// Text options: colour or not.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub color: bool,
}

/// What one column of one row shows; later variants win over earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cell {
    Blank,
    Grid,
    /// In force, but no rule or payment of the clause reaches the day.
    Base,
    Payment,
    Permit,
    Require,
    Forbid,
    /// The agreement's own bar.
    Force,
    Assumed,
    Allowed,
    Violated,
}

impl Cell {
    fn glyph(self) -> &'static str {
        match self {
            Cell::Blank => " ",
            Cell::Grid => "·",
            Cell::Base => "─",
            Cell::Payment => "$",
            Cell::Permit | Cell::Force => "━",
            Cell::Require => "═",
            Cell::Forbid => "╳",
            Cell::Assumed => "╌",
            Cell::Allowed => "✓",
            Cell::Violated => "✗",
        }
    }

    /// A run of `n` of this cell, painted once.
    fn paint(self, n: usize, p: &Paint) -> String {
        let run = self.glyph().repeat(n);
        match self {
            Cell::Grid | Cell::Base => p.dim(&run),
            Cell::Assumed => p.yellow(&run),
            Cell::Allowed => p.green(&run),
            Cell::Violated => p.red(&run),
            _ => run,
        }
    }
}

/// The chart's geometry: where labels end and how days map to columns.
struct Layout {
    label: usize,
    scale: Scale,
    grid: Vec<usize>,
    /// One column, in words.
    unit: String,
}

impl Layout {
    fn new(t: &Timeline) -> Layout {
        let longest = t
            .agreements
            .iter()
            .map(|a| a.id.chars().count())
            .chain(t.agreements.iter().flat_map(|a| a.clauses.iter().map(|c| c.id.chars().count() + 2)))
            .chain(std::iter::once(UNBOUND.len()))
            .max()
            .unwrap_or(0);
        let label = longest.min(MAX_LABEL) + 2;
        let room = WIDTH - label - 1;
        let years = (t.to_year - t.from_year).max(0) as usize + 1;
        let (cols, unit) = match PER_YEAR.iter().find(|n| *n * years <= room) {
            Some(n) => (n * years, per_year_words(*n)),
            None => (room, format!("about {} years", years.div_ceil(room))),
        };
        let scale = Scale::new(t.from_year, t.to_year, cols as i64);
        let grid = scale.labelled_years(5).iter().map(|y| scale.year(*y) as usize).collect();
        Layout { label, scale, grid, unit }
    }

    fn cols(&self) -> usize {
        self.scale.width() as usize
    }

    fn row(&self) -> Vec<Cell> {
        let mut cells = vec![Cell::Blank; self.cols()];
        for g in &self.grid {
            if let Some(c) = cells.get_mut(*g) {
                *c = Cell::Grid;
            }
        }
        cells
    }

    /// Columns from `from` through `through` (open: to the end), on the axis.
    fn span(&self, from: NaiveDate, through: Option<NaiveDate>) -> std::ops::Range<usize> {
        let start = self.scale.at(from) as usize;
        let end = through.map_or(self.cols(), |t| self.scale.after(t) as usize);
        // A day always shows as one column at least, even when the columns are wider than days.
        let end = if end <= start && self.scale.shows(from) { start + 1 } else { end };
        start.min(self.cols())..end.min(self.cols())
    }
}

fn per_year_words(n: usize) -> String {
    match n {
        12 => "a month".into(),
        6 => "two months".into(),
        4 => "a quarter".into(),
        3 => "four months".into(),
        2 => "half a year".into(),
        _ => "a year".into(),
    }
}

const UNBOUND: &str = "no agreement";

/// Renders the timeline as text lines.
pub fn render(t: &Timeline, options: Options) -> String {
    let p = Paint::new(options.color);
    let layout = Layout::new(t);
    let mut out = String::new();
    let clauses: usize = t.agreements.iter().map(|a| a.clauses.len()).sum();
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "In force {}–{}: {} agreement{}, {} clause{}",
            t.from_year,
            t.to_year,
            t.agreements.len(),
            plural(t.agreements.len()),
            clauses,
            plural(clauses)
        ))
    );
    out.push_str(&scale_line(&layout));
    for a in &t.agreements {
        out.push('\n');
        agreement_rows(a, &layout, &p, &mut out);
    }
    if !t.unbound.is_empty() {
        out.push('\n');
        let mut cells = layout.row();
        put_markers(&t.unbound, &layout, &mut cells);
        let label = p.dim(UNBOUND);
        row(
            &mut out,
            &layout,
            &p,
            Row { label: &label, label_width: UNBOUND.len(), cells: &cells, open: false, note: None },
        );
    }
    out.push('\n');
    legend(t, &layout, &mut out);
    words(t, &mut out);
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The year labels, each at its year's column while there is room for it.
fn scale_line(layout: &Layout) -> String {
    let mut line = " ".repeat(layout.label);
    let mut at = 0;
    for year in layout.scale.labelled_years(5) {
        let col = layout.scale.year(year) as usize;
        let label = year.to_string();
        if col < at || col + label.len() > layout.cols() + 1 {
            continue;
        }
        line.push_str(&" ".repeat(col - at));
        line.push_str(&label);
        at = col + label.len();
    }
    line.push('\n');
    line
}

fn agreement_rows(a: &AgreementLine, layout: &Layout, p: &Paint, out: &mut String) {
    let open = matches!(a.end, End::Open) && a.waits_for.is_none();
    let mut header = layout.row();
    if !a.never_in_force() {
        fill(&mut header, layout.span(a.effective.date, a.through()), Cell::Force);
    }
    assumed_bounds(a, layout, &mut header);
    put_markers(&a.markers, layout, &mut header);
    // After the bar; for an agreement never in force, from the day it would have started.
    let at = match header.iter().rposition(|c| !matches!(c, Cell::Blank | Cell::Grid)) {
        Some(last) => last + 1,
        None if a.waits_for.is_some() => 0,
        None => layout.scale.column(a.effective.date),
    };
    let note = note(a).map(|n| (at, format!(" {n}")));
    let label = cut(&a.id, MAX_LABEL);
    let (width, label) = (label.chars().count(), p.bold(&label));
    row(out, layout, p, Row { label: &label, label_width: width, cells: &header, open, note });
    for c in &a.clauses {
        let cells = clause_cells(a, c, layout);
        let label = format!("  {}", cut(&c.id, MAX_LABEL - 2));
        let width = label.chars().count();
        let open = open && !a.never_in_force();
        row(out, layout, p, Row { label: &label, label_width: width, cells: &cells, open, note: None });
    }
}

/// What is written after an ended agreement's bar, when there is room.
fn note(a: &AgreementLine) -> Option<String> {
    if a.waits_for.is_some() {
        return Some("not in force: it starts at an event with no date".into());
    }
    match &a.end {
        End::Superseded { by, .. } if a.never_in_force() => {
            Some(format!("never in force: superseded by {by}"))
        }
        End::Superseded { by, .. } => Some(format!("superseded by {by}")),
        End::Ends { .. } => Some("ends".into()),
        End::Open => None,
    }
}

fn clause_cells(a: &AgreementLine, c: &ClauseLine, layout: &Layout) -> Vec<Cell> {
    let mut cells = layout.row();
    if a.never_in_force() {
        return cells;
    }
    fill(&mut cells, layout.span(a.effective.date, a.through()), Cell::Base);
    for w in &c.windows {
        let Some((from, through)) = a.clip(w) else { continue };
        let cell = match w.kind {
            WindowKind::Permit => Cell::Permit,
            WindowKind::Require => Cell::Require,
            WindowKind::Forbid | WindowKind::ForbiddenPayment => Cell::Forbid,
            WindowKind::Payment => Cell::Payment,
        };
        fill(&mut cells, layout.span(from, through), cell);
    }
    assumed_bounds(a, layout, &mut cells);
    for w in &c.windows {
        for (_, day, _) in a.assumed_bounds(w) {
            if layout.scale.shows(day) {
                raise(&mut cells, layout.scale.column(day), Cell::Assumed);
            }
        }
    }
    put_markers(&c.markers, layout, &mut cells);
    cells
}

fn assumed_bounds(a: &AgreementLine, layout: &Layout, cells: &mut [Cell]) {
    if a.never_in_force() {
        return;
    }
    if a.effective.assumed.is_some() && layout.scale.shows(a.effective.date) {
        raise(cells, layout.scale.column(a.effective.date), Cell::Assumed);
    }
    if let (Some(t), Some(_)) = (a.through(), a.end.assumed()) {
        if layout.scale.shows(t) {
            raise(cells, layout.scale.column(t), Cell::Assumed);
        }
    }
}

fn put_markers(markers: &[Marker], layout: &Layout, cells: &mut [Cell]) {
    for m in markers.iter().filter(|m| layout.scale.shows(m.date)) {
        let cell = if m.status.violated() { Cell::Violated } else { Cell::Allowed };
        raise(cells, layout.scale.column(m.date), cell);
    }
}

fn fill(cells: &mut [Cell], span: std::ops::Range<usize>, cell: Cell) {
    for c in span {
        raise(cells, c, cell);
    }
}

fn raise(cells: &mut [Cell], at: usize, cell: Cell) {
    if let Some(c) = cells.get_mut(at) {
        *c = (*c).max(cell);
    }
}

/// One line: the label padded to the label column, the cells, then an arrow for an open end or a
/// note after the bar when it fits in the columns left.
/// `note` is written from its column on, when it fits before the end of the line.
struct Row<'a> {
    label: &'a str,
    label_width: usize,
    cells: &'a [Cell],
    open: bool,
    note: Option<(usize, String)>,
}

fn row(out: &mut String, layout: &Layout, p: &Paint, r: Row<'_>) {
    let Row { label, label_width, cells, open, note } = r;
    let mut line = String::from(label);
    line.push_str(&" ".repeat(layout.label.saturating_sub(label_width)));
    let note = note.filter(|(at, n)| at + n.chars().count() <= cells.len() + 1);
    let (before, after) = match &note {
        Some((at, n)) => (&cells[..*at], cells.get(at + n.chars().count()..).unwrap_or(&[])),
        None => (cells, &[][..]),
    };
    paint_runs(&mut line, before, p);
    if let Some((_, n)) = &note {
        line.push_str(&p.dim(n));
    }
    paint_runs(&mut line, after, p);
    if open {
        line.push('▶');
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// Cells as glyphs, a run of equal cells painted at once.
fn paint_runs(line: &mut String, cells: &[Cell], p: &Paint) {
    let mut i = 0;
    while let Some(cell) = cells.get(i) {
        let n = cells[i..].iter().take_while(|c| *c == cell).count();
        line.push_str(&cell.paint(n, p));
        i += n;
    }
}

fn cut(text: &str, max: usize) -> String {
    let text = safe(text);
    if text.chars().count() <= max {
        return text.into_owned();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

fn legend(t: &Timeline, layout: &Layout, out: &mut String) {
    let mut items = vec![
        "━ in force, permitted",
        "═ required",
        "╳ forbidden",
        "$ payment",
        "─ in force, no rule of the clause reaches the date",
        "╌ assumed date",
        "▶ no end",
    ];
    let allowed = t.markers().any(|m| !m.status.violated());
    let violated = t.markers().any(|m| m.status.violated());
    if allowed {
        items.push("✓ deployment allowed by it");
    }
    if violated {
        items.push("✗ deployment violated by it");
    }
    let unit = format!("one column: {}", layout.unit);
    let items: Vec<String> = items.into_iter().map(str::to_owned).chain(std::iter::once(unit)).collect();
    wrap(out, "", "", &items, "  ");
}

/// The exact dates, in words: periods of force, dated windows, assumptions.
fn words(t: &Timeline, out: &mut String) {
    let width = t.agreements.iter().map(|a| a.id.chars().count()).max().unwrap_or(0);
    if !t.agreements.is_empty() {
        out.push_str("\nin force:\n");
    }
    for a in &t.agreements {
        let label = format!("  {:width$}  ", safe(&a.id));
        wrap(out, &label, &" ".repeat(label.chars().count()), &[words::period(a)], "");
    }
    let dated: Vec<(&AgreementLine, &ClauseLine)> = t
        .agreements
        .iter()
        .flat_map(|a| a.clauses.iter().map(move |c| (a, c)))
        .filter(|(_, c)| c.windows.iter().any(|w| w.from.is_some() || w.through.is_some()))
        .collect();
    if !dated.is_empty() {
        out.push_str("\ndated windows:\n");
        let width = dated.iter().map(|(_, c)| c.id.chars().count()).max().unwrap_or(0);
        for (_, c) in dated {
            let label = format!("  {:width$}  ", safe(&c.id));
            let items: Vec<String> = c
                .windows
                .iter()
                .filter(|w| w.from.is_some() || w.through.is_some())
                .map(words::window)
                .collect();
            wrap(out, &label, &" ".repeat(label.chars().count()), &items, " · ");
        }
    }
    let assumed = t.assumptions();
    if !assumed.is_empty() {
        out.push_str("\nassumed dates:\n");
        for (agreement, a) in assumed {
            let item = words::assumption(a);
            let label = format!("  {:width$}  ", safe(agreement));
            wrap(out, &label, &" ".repeat(label.chars().count()), &[item], "");
        }
    }
}

/// Writes `items` joined by `sep` after `first`, breaking lines before an item that would pass
/// the width (and inside an item longer than a line, at spaces), continuing after `rest`.
fn wrap(out: &mut String, first: &str, rest: &str, items: &[String], sep: &str) {
    let mut line = first.to_owned();
    let mut fresh = true;
    for item in items {
        let item = safe(item);
        let joined = if fresh { item.to_string() } else { format!("{sep}{item}") };
        if !fresh && line.chars().count() + joined.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_owned();
            fresh = true;
        }
        let words = if fresh { item.to_string() } else { joined };
        for (i, word) in words.split(' ').enumerate() {
            let piece = if i == 0 { word.to_owned() } else { format!(" {word}") };
            if line.chars().count() + piece.chars().count() > WIDTH
                && line.chars().count() > rest.chars().count()
            {
                out.push_str(line.trim_end());
                out.push('\n');
                line = format!("{rest}{}", piece.trim_start());
            } else {
                line.push_str(&piece);
            }
        }
        fresh = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}
