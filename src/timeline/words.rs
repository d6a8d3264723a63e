//! The timeline's dates in words, shared by the renderers: the text format's footer, the SVG's
//! headers, tooltips and its description for screen readers say a period the same way.

use super::{AgreementLine, Assumed, Day, End, Window};

/// `from 2019-07-22 (assumed) through 2026-04-26; superseded by msft_openai_2026 from 2026-04-27`.
pub fn period(a: &AgreementLine) -> String {
    if let Some(waits) = &a.waits_for {
        return format!("not in force: it starts {waits}");
    }
    let from = format!("from {}", day(&a.effective));
    let until: Vec<String> = a.open_until.iter().map(|e| format!("`{e}`")).collect();
    match &a.end {
        End::Open if !until.is_empty() => {
            format!("{from}, until {} happens (no date given)", until.join(" or "))
        }
        End::Open => format!("{from}, no end"),
        End::Ends { through } => format!("{from} through {}", day(through)),
        End::Superseded { by, from: by_from, .. } if a.never_in_force() => format!(
            "never in force: superseded by {by} from {by_from}, before its effective date {}",
            a.effective.date
        ),
        End::Superseded { through, by, from: by_from } => {
            format!("{from} through {through}; superseded by {by} from {by_from}")
        }
    }
}

/// `permit through 2032-12-31 (assumed)`: a window's own dates, before the period clips them.
pub fn window(w: &Window) -> String {
    let dates = match (&w.from, &w.through) {
        _ if w.is_empty() => "on no day".to_owned(),
        (Some(f), Some(t)) => format!("from {} through {}", day(f), day(t)),
        (Some(f), None) => format!("from {}", day(f)),
        (None, Some(t)) => format!("through {}", day(t)),
        (None, None) => "on every day in force".to_owned(),
    };
    format!("{} {dates}", w.kind.as_str())
}

/// `2019-07-22 (assumed)`.
fn day(d: &Day) -> String {
    let mark = if d.assumed.is_some() { " (assumed)" } else { "" };
    format!("{}{mark}", d.date)
}

/// `licence_end = 2032-12-31: through 2032 read as ...`.
pub fn assumption(a: &Assumed) -> String {
    format!("{}: {}", a.subject, a.why)
}
