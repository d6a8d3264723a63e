//! The time axis: which years it shows, and days to positions along it, shared by the SVG
//! (pixels) and the text (columns).
//!
//! Whole years get equal room and 1 January of each year falls exactly on its year's mark, so
//! gridlines, year labels and bars line up in both renderers; a day's place within its year is
//! proportional to its day of the year. Integer arithmetic only, so the same dates give the same
//! positions on every machine.

use chrono::{Datelike, NaiveDate};

use super::{AgreementLine, Marker, Years};

/// A time axis from 1 January of `from_year` through 31 December of `to_year`, `width` units wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    from_year: i32,
    years: i64,
    width: i64,
}

/// Steps between year labels, tried in order until labels have room.
const STEPS: [i32; 13] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

impl Scale {
    pub fn new(from_year: i32, to_year: i32, width: i64) -> Scale {
        let years = i64::from(to_year.max(from_year) - from_year) + 1;
        Scale { from_year, years, width: width.max(1) }
    }

    pub fn width(&self) -> i64 {
        self.width
    }

    pub fn from_year(&self) -> i32 {
        self.from_year
    }

    pub fn to_year(&self) -> i32 {
        self.from_year + (self.years - 1) as i32
    }

    /// Where a day starts, clamped to the axis: 0 for a day before it, `width` for one after.
    pub fn at(&self, d: NaiveDate) -> i64 {
        let year = i64::from(d.year() - self.from_year);
        if year < 0 {
            return 0;
        }
        if year >= self.years {
            return self.width;
        }
        let in_year = i64::from(if d.leap_year() { 366 } else { 365 });
        let into = i64::from(d.ordinal0());
        self.width * (year * in_year + into) / (self.years * in_year)
    }

    /// Where a day ends: the start of the next.
    pub fn after(&self, d: NaiveDate) -> i64 {
        d.succ_opt().map_or(self.width, |n| self.at(n))
    }

    /// The column (of `width` columns) a day falls in.
    pub fn column(&self, d: NaiveDate) -> usize {
        self.at(d).clamp(0, self.width - 1) as usize
    }

    /// Where 1 January of a year falls.
    pub fn year(&self, year: i32) -> i64 {
        let k = i64::from(year - self.from_year).clamp(0, self.years);
        self.width * k / self.years
    }

    /// Whether a day is on the axis.
    pub fn shows(&self, d: NaiveDate) -> bool {
        d.year() >= self.from_year && i64::from(d.year() - self.from_year) < self.years
    }

    /// The years to label, at least `gap` units apart: every year, every second, fifth, tenth...
    pub fn labelled_years(&self, gap: i64) -> Vec<i32> {
        let step = STEPS
            .iter()
            .copied()
            .find(|s| i64::from(*s) * self.width >= gap * self.years)
            .unwrap_or(STEPS[STEPS.len() - 1]);
        (self.from_year..=self.to_year()).filter(|y| (y - self.from_year) % step == 0).collect()
    }
}

/// The years shown: from the first year anything starts in, through the year after the last
/// year anything changes in (so what ends last is seen to end, and what runs on has room).
/// A bound the caller gives wins; the other follows it if it would come before it.
pub(super) fn years(agreements: &[AgreementLine], unbound: &[Marker], years: Years) -> (i32, i32) {
    let mut dates: Vec<NaiveDate> = unbound.iter().map(|m| m.date).collect();
    for a in agreements.iter().filter(|a| !a.never_in_force()) {
        dates.push(a.effective.date);
        dates.extend(a.through());
        dates.extend(a.markers.iter().map(|m| m.date));
        for c in &a.clauses {
            let bounds = c.windows.iter().flat_map(|w| [&w.from, &w.through]).flatten();
            dates.extend(bounds.map(|d| d.date).filter(|d| a.covers(*d)));
            dates.extend(c.markers.iter().map(|m| m.date));
        }
    }
    // A start at an event with no date is no day to show.
    dates.retain(|d| *d != NaiveDate::MAX && *d != NaiveDate::MIN);
    let first = dates.iter().min().map_or(2000, |d| d.year());
    let last = dates.iter().max().map_or(first, |d| d.year()) + 1;
    match (years.from, years.to) {
        (Some(f), Some(t)) => (f, t.max(f)),
        (Some(f), None) => (f, last.max(f)),
        (None, Some(t)) => (first.min(t), t),
        (None, None) => (first, last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn years_start_on_their_marks_and_days_fall_between() {
        let s = Scale::new(2019, 2034, 64);
        assert_eq!(s.at(day("2019-01-01")), 0);
        assert_eq!(s.at(day("2020-01-01")), 4, "a leap year does not push 1 January off its mark");
        assert_eq!(s.at(day("2033-01-01")), 56);
        assert_eq!(s.after(day("2034-12-31")), 64);
        assert_eq!(s.column(day("2034-12-31")), 63);
        assert_eq!(s.column(day("2026-04-27")), 29, "late April is in the second quarter");
        assert_eq!(s.at(day("2010-06-01")), 0);
        assert_eq!(s.at(day("2040-06-01")), 64);
    }

    #[test]
    fn labels_thin_out_when_years_are_narrow() {
        assert_eq!(Scale::new(2019, 2022, 400).labelled_years(40), vec![2019, 2020, 2021, 2022]);
        assert_eq!(Scale::new(2000, 2009, 30).labelled_years(6), vec![2000, 2002, 2004, 2006, 2008]);
        assert_eq!(Scale::new(1, 9999, 900).labelled_years(40).len(), 20);
    }
}
