//! The period a ledger entry is for: a year (`2027`), a quarter (`2027-Q1`) or a month (`2027-03`).
//!
//! Read strictly, like every date in clausecheck: four-digit years, a capital `Q` and a digit 1–4
//! for a quarter, two-digit months. A period is a span of days; periods sort by their first day,
//! then their last, so rows come out in calendar order whatever the mix of lengths.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A year, a quarter or a month, with the days it spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub length: Length,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Length {
    Year,
    Quarter,
    Month,
}

impl Period {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    /// Whether two periods share a day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// Whether the period is over on `today`: its last day has passed.
    pub fn ended(&self, today: NaiveDate) -> bool {
        self.last < today
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let year = self.first.year();
        match self.length {
            Length::Year => write!(f, "{year:04}"),
            Length::Quarter => write!(f, "{year:04}-Q{}", self.first.month0() / 3 + 1),
            Length::Month => write!(f, "{year:04}-{:02}", self.first.month()),
        }
    }
}

/// What is wrong with a period as written: the message and, where it helps, advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError {
    pub message: String,
    pub help: Option<String>,
}

const SHAPES: &str = "write a period as a year, a quarter or a month: 2027, 2027-Q1 or 2027-03";

/// Reads `YYYY`, `YYYY-Qn` or `YYYY-MM`.
pub fn parse(text: &str) -> Result<Period, PeriodError> {
    let shown = crate::plan::validate::shown(text);
    let bad = |message: String, help: &str| PeriodError { message, help: Some(help.to_owned()) };
    let bytes = text.as_bytes();
    let digits = |b: &[u8]| b.iter().all(u8::is_ascii_digit);
    let Some(year_digits) = bytes.get(..4).filter(|y| digits(y)) else {
        return Err(bad(format!("`{shown}` is not a period"), SHAPES));
    };
    // INVARIANT: four ASCII digits, so at most 9999.
    let year = year_digits.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let span = |first: Option<NaiveDate>, last: Option<NaiveDate>, length| match (first, last) {
        (Some(first), Some(last)) => Ok(Period { first, last, length }),
        _ => Err(bad(format!("`{shown}` is not a period"), SHAPES)),
    };
    match &bytes[4..] {
        [] => span(day(1, 1), day(12, 31), Length::Year),
        [b'-', q @ (b'Q' | b'q'), n] if n.is_ascii_digit() => {
            let n = u32::from(n - b'0');
            if *q == b'q' {
                return Err(bad(
                    format!("`{shown}` is not a period"),
                    &format!("write the quarter with a capital Q, like {year:04}-Q{n}"),
                ));
            }
            if !(1..=4).contains(&n) {
                return Err(bad(format!("there is no quarter {n}"), "quarters run from Q1 to Q4"));
            }
            let first = day(3 * n - 2, 1);
            let last = if n == 4 { day(12, 31) } else { day(3 * n + 1, 1).and_then(|d| d.pred_opt()) };
            span(first, last, Length::Quarter)
        }
        [b'-', m1, m2] if digits(&[*m1, *m2]) => {
            let m = u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0');
            if !(1..=12).contains(&m) {
                return Err(bad(format!("there is no month {m:02}"), "months run from 01 to 12"));
            }
            let next = if m == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { day(m + 1, 1) };
            span(day(m, 1), next.and_then(|d| d.pred_opt()), Length::Month)
        }
        [b'-', m1, m2, b'-', ..] if digits(&[*m1, *m2]) => Err(bad(
            format!("`{shown}` is a day, but a period is a year, a quarter or a month"),
            &format!("for the whole month, write {year:04}-{}{}", *m1 as char, *m2 as char),
        )),
        _ => Err(bad(format!("`{shown}` is not a period"), SHAPES)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_years_quarters_and_months_with_their_days() {
        let p = parse("2027").unwrap();
        assert_eq!((p.first, p.last, p.to_string()), (day(2027, 1, 1), day(2027, 12, 31), "2027".into()));
        let q = parse("2027-Q1").unwrap();
        assert_eq!((q.first, q.last), (day(2027, 1, 1), day(2027, 3, 31)));
        assert_eq!(parse("2027-Q4").unwrap().last, day(2027, 12, 31));
        assert_eq!(parse("2028-Q3").unwrap().to_string(), "2028-Q3");
        let m = parse("2028-02").unwrap();
        assert_eq!((m.first, m.last, m.to_string()), (day(2028, 2, 1), day(2028, 2, 29), "2028-02".into()));
        assert_eq!(parse("2027-12").unwrap().last, day(2027, 12, 31));
    }

    #[test]
    fn refuses_every_other_shape_with_advice() {
        for text in
            ["", "27", "2027-1", "2027Q1", "Q1 2027", "2027-Q", "2027-Q12", "+2027", "2027 ", "２０２７"]
        {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains("not a period"), "{text}: {e:?}");
        }
        assert_eq!(parse("2027-Q5").unwrap_err().message, "there is no quarter 5");
        assert_eq!(parse("2027-13").unwrap_err().message, "there is no month 13");
        assert!(parse("2027-q2").unwrap_err().help.unwrap().contains("2027-Q2"));
        assert!(parse("2027-03-31").unwrap_err().help.unwrap().contains("2027-03"));
    }

    #[test]
    fn sorts_in_calendar_order_and_knows_overlaps() {
        let mut ps: Vec<Period> =
            ["2028", "2027-Q2", "2027-03", "2027"].iter().map(|t| parse(t).unwrap()).collect();
        ps.sort();
        let names: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
        assert_eq!(names, ["2027", "2027-03", "2027-Q2", "2028"]);
        assert!(ps[0].overlaps(&ps[1]));
        assert!(!ps[1].overlaps(&ps[2]));
        assert!(ps[2].ended(day(2027, 7, 1)) && !ps[2].ended(day(2027, 6, 30)));
    }
}
