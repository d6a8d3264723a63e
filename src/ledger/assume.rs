//! `--assume NAME=VALUE`: another value for an assumed parameter, for one run.
//!
//! Some figures rest on values the source does not state (the bundled revenue-share cap is not
//! disclosed, so the rules carry `0 USD assumed "the cap is not disclosed"`). Counsel asks "what
//! if the cap were X?"; editing the rules to answer it would change them for everyone. This
//! replaces the value in a loaded [`RuleSet`] instead, and only where the rules themselves mark
//! it `assumed`: a value the source states is the contract's, never replaced. The assumption
//! stays an assumption, and its reason says the value was set for this run, so every figure that
//! uses it still says so.

use rust_decimal::Decimal;

use super::money;
use crate::model::{Assumption, Quantity, RuleSet};
use crate::plan::validate::{parse_date, shown};
use crate::suggest;

/// Replaces the value of the assumed parameter `NAME` (or `AGREEMENT.NAME`) with `VALUE`, written
/// as the clause language writes it (`12_000_000_000 USD`, `15%`, `2030-12-31`). The value must be
/// of the parameter's kind, and money of its currency. The message says what is wrong otherwise.
pub fn assume(rules: &mut RuleSet, spec: &str) -> Result<(), String> {
    let Some((name, value)) = spec.split_once('=') else {
        return Err(format!(
            "`--assume {}` names no value: write `--assume NAME=VALUE`, like `--assume revshare_cap=\"12_000_000_000 USD\"`",
            shown(spec)
        ));
    };
    let (name, value) = (name.trim(), value.trim());
    let (agreement, param) = match name.split_once('.') {
        Some((a, p)) => (Some(a), p),
        None => (None, name),
    };
    let found: Vec<(usize, usize)> = rules
        .agreements
        .iter()
        .enumerate()
        .filter(|(_, a)| agreement.is_none_or(|id| a.id == id))
        .flat_map(|(ai, a)| {
            a.params.iter().enumerate().filter(|(_, p)| p.name == param).map(move |(pi, _)| (ai, pi))
        })
        .collect();
    let (ai, pi) = match found.as_slice() {
        [one] => *one,
        [] => {
            let names: Vec<String> = rules
                .agreements
                .iter()
                .flat_map(|a| a.params.iter().map(move |p| format!("{}.{}", a.id, p.name)))
                .collect();
            let mut bare: Vec<&str> =
                rules.agreements.iter().flat_map(|a| a.params.iter().map(|p| p.name.as_str())).collect();
            bare.sort_unstable();
            bare.dedup();
            let help = if agreement.is_some() {
                suggest::help(name, names.iter().map(String::as_str))
            } else {
                suggest::help(name, bare.iter().copied())
            }
            .unwrap_or_else(|| format!("the parameters are {}", names.join(", ")));
            return Err(format!("there is no parameter `{}` ({help})", shown(name)));
        }
        several => {
            let names: Vec<String> =
                several.iter().map(|&(ai, _)| format!("`{}.{param}`", rules.agreements[ai].id)).collect();
            return Err(format!(
                "parameter `{}` is in several agreements: name one, as {}",
                shown(param),
                names.join(" or ")
            ));
        }
    };
    let a = &rules.agreements[ai];
    let p = &a.params[pi];
    let full = format!("{}.{}", a.id, p.name);
    let Some(was) = &p.assumed else {
        return Err(format!(
            "parameter `{full}` is stated by the source, not assumed: only an assumed value can be replaced"
        ));
    };
    let quantity =
        read(value, &p.value).map_err(|why| format!("`--assume {full}={}`: {why}", shown(value)))?;
    let written = was.subject.split_once(" = ").map_or(was.subject.as_str(), |(_, v)| v);
    let assumed = Assumption {
        subject: format!("{} = {value}", p.name),
        why: format!("set with --assume for this run; the rules assume {written}: {}", was.why),
    };
    let p = &mut rules.agreements[ai].params[pi];
    p.value = quantity;
    p.assumed = Some(assumed);
    Ok(())
}

/// `value` read as a quantity of the same kind as `like`.
fn read(value: &str, like: &Quantity) -> Result<Quantity, String> {
    match like {
        Quantity::Money { currency, .. } => {
            let m = money::parse(value).map_err(|e| match e.help {
                Some(help) => format!("{} ({help})", e.message),
                None => e.message,
            })?;
            if m.currency != *currency {
                return Err(format!(
                    "the parameter is in {currency}, and amounts are never converted: write the value in {currency}"
                ));
            }
            Ok(Quantity::Money { amount: m.amount, currency: m.currency })
        }
        Quantity::Percent(_) => {
            let number =
                value.strip_suffix('%').ok_or("the parameter is a percentage: write it like `15%`")?;
            let percent =
                decimal(number.trim_end()).ok_or("the parameter is a percentage: write it like `15%`")?;
            if percent > Decimal::ONE_HUNDRED {
                return Err("a percentage is at most 100%".to_owned());
            }
            Ok(Quantity::Percent(percent))
        }
        Quantity::Date(_) => parse_date(value).map(Quantity::Date).map_err(|(message, help)| match help {
            Some(help) => format!("{message} ({help})"),
            None => message,
        }),
        Quantity::Number(_) => {
            decimal(value).map(Quantity::Number).ok_or_else(|| "the parameter is a number".to_owned())
        }
    }
}

/// A number as the language writes one: digits, `_` between them, an optional fraction.
fn decimal(text: &str) -> Option<Decimal> {
    let plain = text.replace('_', "");
    let ok = !text.starts_with('_')
        && !text.ends_with('_')
        && !text.contains("__")
        && plain
            .split_once('.')
            .map_or(!plain.is_empty() && plain.bytes().all(|b| b.is_ascii_digit()), |(w, f)| {
                !w.is_empty() && !f.is_empty() && w.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
            });
    ok.then(|| Decimal::from_str_exact(&plain).ok()).flatten()
}
