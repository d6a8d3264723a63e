//! Strict reading of dates: `YYYY-MM-DD` for a day, `YYYY-MM` for a month, `YYYY` for a year.
//!
//! chrono alone would accept `2030-2-3` and `+12030-02-03`, so the shape is checked first; chrono
//! then rejects days that do not exist (`2030-02-30`). A month or year stands for its whole span.

use chrono::{Datelike, NaiveDate};

/// The first and last day a date literal covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpan {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// Reads a day, month or year. The error is the problem in words.
pub fn parse_span(text: &str) -> Result<DaySpan, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let widths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    let all_digits = parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits || !matches!(widths.as_slice(), [4] | [4, 2] | [4, 2, 2]) {
        return Err("write a day as YYYY-MM-DD, a month as YYYY-MM or a year as YYYY".into());
    }
    let num = |i: usize| parts[i].parse::<u32>().unwrap_or(0);
    let year = num(0) as i32;
    match parts.len() {
        1 => Ok(DaySpan { first: ymd(year, 1, 1)?, last: ymd(year, 12, 31)? }),
        2 => {
            let first = ymd(year, num(1), 1).map_err(|_| format!("there is no month {}", parts[1]))?;
            let next = if num(1) == 12 { ymd(year + 1, 1, 1)? } else { ymd(year, num(1) + 1, 1)? };
            Ok(DaySpan { first, last: next.pred_opt().unwrap_or(next) })
        }
        _ => {
            let day = ymd(year, num(1), num(2))?;
            Ok(DaySpan { first: day, last: day })
        }
    }
}

/// Reads a single day; a month or a year is an error here.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let span = parse_span(text)?;
    if text.len() != 10 {
        return Err("a single day is needed here, like 2026-04-27".into());
    }
    Ok(span.first)
}

/// The unit of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Months,
    Years,
}

/// `count` units after `date`, landing on the same day of the month or the month's last day when
/// it has no such day (chrono clamps: 2024-02-29 plus one year is 2025-02-28). `None` past the
/// end of the calendar.
pub fn add(date: NaiveDate, count: u32, unit: Unit) -> Option<NaiveDate> {
    match unit {
        Unit::Days => date.checked_add_days(chrono::Days::new(u64::from(count))),
        Unit::Months => date.checked_add_months(chrono::Months::new(count)),
        Unit::Years => date.checked_add_months(chrono::Months::new(count.checked_mul(12)?)),
    }
}

// INVARIANT: dates come from four-digit years or a duration checked by `add`, far inside chrono's
// range, so a neighbouring day exists; at the very edge the day itself is kept.
pub fn day_before(d: NaiveDate) -> NaiveDate {
    d.pred_opt().unwrap_or(d)
}

pub fn day_after(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        if !(1..=12).contains(&month) {
            format!("there is no month {month:02}")
        } else {
            let days = days_in_month(year, month);
            format!("{} {year} has {days} days", month_name(month))
        }
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_year_stands_for_its_whole_span() {
        assert_eq!(parse_span("2032").unwrap(), DaySpan { first: d("2032-01-01"), last: d("2032-12-31") });
        assert_eq!(parse_span("2024-02").unwrap(), DaySpan { first: d("2024-02-01"), last: d("2024-02-29") });
        assert_eq!(parse_span("2030-12").unwrap().last, d("2030-12-31"));
    }

    #[test]
    fn durations_keep_the_day_of_the_month_or_take_its_last() {
        assert_eq!(add(d("2024-02-29"), 1, Unit::Years), Some(d("2025-02-28")));
        assert_eq!(add(d("2024-02-29"), 4, Unit::Years), Some(d("2028-02-29")));
        assert_eq!(add(d("2026-01-31"), 1, Unit::Months), Some(d("2026-02-28")));
        assert_eq!(add(d("2026-01-01"), 90, Unit::Days), Some(d("2026-04-01")));
        assert_eq!(add(d("2025-03-01"), 7, Unit::Years), Some(d("2032-03-01")));
        assert_eq!(add(d("2026-01-01"), u32::MAX, Unit::Years), None);
    }

    #[test]
    fn days_must_exist_and_have_the_strict_shape() {
        assert_eq!(parse_day("2026-04-27").unwrap(), d("2026-04-27"));
        assert_eq!(parse_day("2030-02-30").unwrap_err(), "February 2030 has 28 days");
        assert!(parse_day("2030-2-3").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_day("2030-13-01").unwrap_err().contains("no month 13"));
        assert!(parse_day("2030").unwrap_err().contains("single day"));
        assert!(parse_span("12030-01-01").is_err());
    }
}
