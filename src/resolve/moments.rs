//! Dates that are computed rather than written as a day: the start and end of agreements and
//! clauses, and the bounds of windows, from events and durations.
//!
//! The calendar, as `docs/language.md` states it:
//!
//! - A duration lands on the same day of the month, or the last day of the month when there is
//!   none: 2024-02-29 plus one year is 2025-02-28, 2026-01-31 plus one month is 2026-02-28.
//! - A duration reaches a moment, and ends at it: `ends 7 years after effective` from 2025-03-01
//!   ends as 2032-03-01 begins, so 2032-02-29 is the last day in force; `within 90 days after B`
//!   is the 90 days from B on, B included.
//! - `ends DAY` and `through B` include their day; `until E` ends as E begins (the day before is
//!   the last day in force).
//! - An event with no date has not happened: `until E` does not end, `from E` and `effective E`
//!   do not begin, `whichever is first` is the other end, `whichever is last` does not end.
//!
//! Everything here ends in days, so evaluation never sees an event or a duration.

use chrono::NaiveDate;

use super::dates::{self, DaySpan};
use super::{Expect, ResolveError, Resolver};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

/// The days a bound stands for, or nothing for an event that has not happened.
#[derive(Debug, Clone, Copy)]
enum Reach {
    Days(DaySpan),
    Never,
}

/// The last day of an end: a day, or none (it does not end, as far as the run knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Last {
    Day(NaiveDate),
    Open,
}

impl Last {
    fn day(self) -> Option<NaiveDate> {
        match self {
            Last::Day(d) => Some(d),
            Last::Open => None,
        }
    }
}

/// A window of days with what its bounds were read from.
pub(super) struct Resolved {
    pub window: DateWindow,
    pub params: Vec<ParamId>,
    pub events: Vec<EventId>,
}

/// The end of an agreement or clause: its last day (if it has one) and the events without a date
/// that would end it.
pub(super) struct Ending {
    pub ends: Option<Dated>,
    pub open_until: Vec<EventId>,
}

impl Resolver {
    /// `effective 2026-04-27` or `effective merger_approved`.
    pub(super) fn start(&mut self, d: &ast::StartDecl, what: &str) -> Option<Dated> {
        let (date, computed, events) = match &d.at {
            ast::Start::Day(lit) => (self.day(lit)?, None, Vec::new()),
            ast::Start::Event(name) => {
                let (id, date) = self.known_event(name)?;
                let words = match date {
                    Some(day) => format!("when `{}` happened ({day})", name.text),
                    None => format!("when `{}` happens, which it has not", name.text),
                };
                (date.unwrap_or(NaiveDate::MAX), Some(words), vec![id])
            }
        };
        let written = match &d.at {
            ast::Start::Day(lit) => lit.text.clone(),
            ast::Start::Event(name) => name.text.clone(),
        };
        Some(Dated {
            date,
            assumed: assumption(d.assumed.as_ref(), format!("{what} {written}")),
            span: d.span,
            computed,
            events,
        })
    }

    /// `ends ...` or `until ...`, with `effective` the start its durations count from.
    pub(super) fn ending(
        &mut self,
        d: &ast::EndDecl,
        what: &str,
        effective: Option<&Dated>,
    ) -> Option<Ending> {
        let mut events = Vec::new();
        let first = self.end_point(&d.first, effective, &mut events);
        let second = d.either.as_ref().map(|(e, which)| (self.end_point(e, effective, &mut events), *which));
        let (last, words) = first?;
        let (last, words) = match second {
            None => (last, words),
            Some((second, which)) => {
                let (other, other_words) = second?;
                let pick = match which {
                    ast::Which::First => last.min(other),
                    ast::Which::Last => last.max(other),
                };
                let which = match which {
                    ast::Which::First => "first",
                    ast::Which::Last => "last",
                };
                (
                    pick,
                    Some(format!(
                        "{} or {}, whichever is {which}",
                        words_or_day(words, last),
                        words_or_day(other_words, other)
                    )),
                )
            }
        };
        let unknown: Vec<EventId> =
            events.iter().copied().filter(|e| self.events[e.0 as usize].date.is_none()).collect();
        let written = match &d.first {
            ast::End::Day(lit) => format!("ends {}", lit.text),
            ast::End::Until(name) => format!("until {}", name.text),
            ast::End::After(..) => "ends".to_string(),
        };
        let assumed =
            assumption(d.assumed.as_ref(), format!("{what} {}", written.trim_start_matches("ends ")));
        Some(match last {
            Last::Day(date) => Ending {
                ends: Some(Dated { date, assumed, span: d.span, computed: words, events }),
                open_until: Vec::new(),
            },
            Last::Open => Ending { ends: None, open_until: unknown },
        })
    }

    /// One way to end, its last day and how that was reached (`None`: written as that day).
    fn end_point(
        &mut self,
        e: &ast::End,
        effective: Option<&Dated>,
        events: &mut Vec<EventId>,
    ) -> Option<(Last, Option<String>)> {
        match e {
            ast::End::Day(lit) => Some((Last::Day(self.day(lit)?), None)),
            ast::End::Until(name) => {
                let (id, date) = self.known_event(name)?;
                events.push(id);
                Some(match date {
                    Some(day) => (
                        Last::Day(dates::day_before(day)),
                        Some(format!("the day before `{}` happened ({day})", name.text)),
                    ),
                    None => (Last::Open, Some(format!("when `{}` happens, which it has not", name.text))),
                })
            }
            ast::End::After(duration, base) => {
                let (from, base_words) = match base {
                    ast::Base::Effective(span) => {
                        let Some(effective) = effective else {
                            self.error(ResolveError::NoStartToCount, *span);
                            return None;
                        };
                        events.extend(&effective.events);
                        (effective.is_known().then_some(effective.date), "effective".to_string())
                    }
                    ast::Base::Event(name) => {
                        let (id, date) = self.known_event(name)?;
                        events.push(id);
                        (date, format!("`{}`", name.text))
                    }
                };
                let count = self.count(duration)?;
                let Some(from) = from else {
                    return Some((
                        Last::Open,
                        Some(format!("{} after {base_words}, which has not happened", words(duration))),
                    ));
                };
                let Some(moment) = dates::add(from, count, unit(duration.unit)) else {
                    self.error(ResolveError::TooFar { what: words(duration) }, duration.span);
                    return None;
                };
                Some((
                    Last::Day(dates::day_before(moment)),
                    Some(format!("the day before {moment}, {} after {base_words} ({from})", words(duration))),
                ))
            }
        }
    }

    fn count(&mut self, d: &ast::Duration) -> Option<u32> {
        match d.count.replace('_', "").parse::<u32>() {
            Ok(n) if n <= MAX_COUNT => Some(n),
            _ => {
                self.error(ResolveError::TooFar { what: words(d) }, d.span);
                None
            }
        }
    }

    /// An inclusive window, and the parameters and events its bounds came from. A window whose
    /// start is an event that has not happened holds no day ([`DateWindow::NEVER`]).
    pub(super) fn window(&mut self, w: &ast::Window, params: &[Param], span: Span) -> Option<Resolved> {
        let mut out = Resolved { window: DateWindow::default(), params: Vec::new(), events: Vec::new() };
        let from = |r: Reach, f: fn(DaySpan) -> NaiveDate| match r {
            Reach::Days(d) => Some(f(d)),
            Reach::Never => None,
        };
        out.window = match w {
            ast::Window::Before(b) => match self.bound(b, params, &mut out)? {
                Reach::Days(d) => DateWindow { from: None, through: Some(dates::day_before(d.first)) },
                Reach::Never => DateWindow::default(),
            },
            ast::Window::After(b) => {
                match from(self.bound(b, params, &mut out)?, |d| dates::day_after(d.last)) {
                    Some(day) => DateWindow { from: Some(day), through: None },
                    None => DateWindow::NEVER,
                }
            }
            ast::Window::From(b) => match from(self.bound(b, params, &mut out)?, |d| d.first) {
                Some(day) => DateWindow { from: Some(day), through: None },
                None => DateWindow::NEVER,
            },
            ast::Window::To(end) => {
                DateWindow { from: None, through: self.window_end(end, params, &mut out)?.day() }
            }
            ast::Window::FromTo(a, end) => {
                let start = self.bound(a, params, &mut out);
                let last = self.window_end(end, params, &mut out);
                match from(start?, |d| d.first) {
                    Some(first) => self.ordered(first, last?, &out, span)?,
                    None => DateWindow::NEVER,
                }
            }
            ast::Window::Between(a, b) => {
                let (start, end) = (self.bound(a, params, &mut out), self.bound(b, params, &mut out));
                let last = match end? {
                    Reach::Days(d) => Last::Day(d.last),
                    Reach::Never => Last::Open,
                };
                match from(start?, |d| d.first) {
                    Some(first) => self.ordered(first, last, &out, span)?,
                    None => DateWindow::NEVER,
                }
            }
            ast::Window::Within(duration, b) => {
                if let ast::Bound::Date(lit) = b {
                    if lit.text.len() != 10 {
                        self.error(ResolveError::WithinNeedsDay { text: lit.text.clone() }, lit.span);
                        return None;
                    }
                }
                let start = self.bound(b, params, &mut out);
                let count = self.count(duration)?;
                match from(start?, |d| d.first) {
                    Some(first) => match dates::add(first, count, unit(duration.unit)) {
                        Some(moment) => {
                            DateWindow { from: Some(first), through: Some(dates::day_before(moment)) }
                        }
                        None => {
                            self.error(ResolveError::TooFar { what: words(duration) }, duration.span);
                            return None;
                        }
                    },
                    None => DateWindow::NEVER,
                }
            }
        };
        Some(out)
    }

    /// `from first` to `last`: an error when written the wrong way round, but empty when events
    /// made it so (then it is what happened, not a mistake in the rules).
    fn ordered(&mut self, first: NaiveDate, last: Last, out: &Resolved, span: Span) -> Option<DateWindow> {
        if let Last::Day(l) = last {
            if first > l && out.events.is_empty() {
                self.error(
                    ResolveError::InvertedWindow { start: first.to_string(), end: l.to_string() },
                    span,
                );
                return None;
            }
        }
        Some(DateWindow { from: Some(first), through: last.day() })
    }

    /// The last day of `through B`, `until B`, or either of two.
    fn window_end(&mut self, e: &ast::WindowEnd, params: &[Param], out: &mut Resolved) -> Option<Last> {
        let first = self.end_bound(&e.first, params, out);
        let second = e.either.as_ref().map(|(b, which)| (self.end_bound(b, params, out), *which));
        let first = first?;
        Some(match second {
            None => first,
            Some((second, ast::Which::First)) => first.min(second?),
            Some((second, ast::Which::Last)) => first.max(second?),
        })
    }

    fn end_bound(&mut self, b: &ast::EndBound, params: &[Param], out: &mut Resolved) -> Option<Last> {
        Some(match b {
            ast::EndBound::Through(b) => match self.bound(b, params, out)? {
                Reach::Days(d) => Last::Day(d.last),
                Reach::Never => Last::Open,
            },
            ast::EndBound::Until(b) => match self.bound(b, params, out)? {
                Reach::Days(d) => Last::Day(dates::day_before(d.first)),
                Reach::Never => Last::Open,
            },
        })
    }

    /// A day, month or year as written, a date parameter of the agreement, or an event.
    fn bound(&mut self, b: &ast::Bound, params: &[Param], out: &mut Resolved) -> Option<Reach> {
        match b {
            ast::Bound::Date(lit) => match dates::parse_span(&lit.text) {
                Ok(span) => Some(Reach::Days(span)),
                Err(problem) => {
                    self.error(ResolveError::BadDate { text: lit.text.clone(), problem }, lit.span);
                    None
                }
            },
            ast::Bound::Name(name) => {
                if params.iter().any(|p| p.name == name.text) || self.broken_params.contains(&name.text) {
                    let value = self.value(&ast::Value::Param(name.clone()), params, Expect::Date)?;
                    let ValueRef::Param(id) = value else { return None };
                    let Quantity::Date(day) = params[id.0 as usize].value else {
                        return None;
                    };
                    out.params.push(id);
                    return Some(Reach::Days(DaySpan { first: day, last: day }));
                }
                if let Some((id, date)) = self.event(&name.text) {
                    out.events.push(id);
                    return Some(match date {
                        Some(day) => Reach::Days(DaySpan { first: day, last: day }),
                        None => Reach::Never,
                    });
                }
                let known: Vec<String> = params
                    .iter()
                    .map(|p| p.name.clone())
                    .chain(self.events.iter().map(|e| e.name.clone()))
                    .collect();
                self.unknown("date parameter or event", name, known.iter().map(String::as_str));
                None
            }
        }
    }
}

/// The largest count a duration may have: far beyond any contract, and far inside the calendar.
const MAX_COUNT: u32 = 100_000;

fn unit(u: ast::Unit) -> dates::Unit {
    match u {
        ast::Unit::Days => dates::Unit::Days,
        ast::Unit::Months => dates::Unit::Months,
        ast::Unit::Years => dates::Unit::Years,
    }
}

/// `7 years`, `1 day`.
fn words(d: &ast::Duration) -> String {
    let one = d.count.trim_start_matches('0') == "1";
    let unit = match d.unit {
        ast::Unit::Days => "day",
        ast::Unit::Months => "month",
        ast::Unit::Years => "year",
    };
    format!("{} {unit}{}", d.count, if one { "" } else { "s" })
}

fn words_or_day(words: Option<String>, last: Last) -> String {
    match (words, last) {
        (Some(w), _) => w,
        (None, Last::Day(d)) => d.to_string(),
        (None, Last::Open) => "no end".to_string(),
    }
}

fn assumption(why: Option<&ast::Text>, subject: String) -> Option<Assumption> {
    why.map(|why| Assumption { subject, why: why.value.clone() })
}
