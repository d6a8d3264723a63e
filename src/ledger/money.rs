//! Money: an exact decimal amount and its currency, read as the clause language writes it
//! (`1_250_000.50 USD`), and the exact arithmetic the ledger's figures need.
//!
//! Never floating point, never rounded, never converted. Every operation here either gives the
//! exact result or `None` (too many digits to hold exactly); the caller turns `None` into an
//! error it can explain, so no figure is ever silently wrong.

use rust_decimal::Decimal;

/// An amount of one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    /// Three capital letters, such as `USD`.
    pub currency: String,
}

/// What is wrong with an amount as written: the message and, where it helps, advice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyError {
    pub message: String,
    pub help: Option<String>,
}

const LIKE: &str = "write the amount and its currency, like `1250000.50 USD` or `1_250_000 USD`";

/// Reads `NUMBER CURRENCY`: digits, optionally grouped with `_`, an optional decimal part, one or
/// more spaces, and a three-letter capital currency code. Amounts are never negative.
pub fn parse(text: &str) -> Result<Money, MoneyError> {
    let shown = crate::plan::validate::shown(text);
    let err = |message: String, help: Option<String>| MoneyError { message, help };
    let trimmed = text.trim();
    let (number, currency) = match trimmed.rsplit_once(' ') {
        Some((n, c)) => (n.trim_end(), c),
        None => (trimmed, ""),
    };
    if currency.is_empty() {
        if !number_text(number) {
            return Err(err(format!("`{shown}` is not an amount"), Some(LIKE.into())));
        }
        return Err(err(
            format!("the amount `{shown}` has no currency"),
            Some(format!("write the amount with its currency, like `{} USD`", number.trim())),
        ));
    }
    // `USD 1000`: the currency came first.
    if is_code(number) && number_text(currency) {
        return Err(err(
            format!("`{shown}` is not an amount"),
            Some(format!("write the number first, like `{currency} {number}`")),
        ));
    }
    if !is_code(currency) {
        let help = if currency.len() == 3 && currency.chars().all(|c| c.is_ascii_alphabetic()) {
            format!("write the currency in capital letters, like `{}`", currency.to_ascii_uppercase())
        } else {
            "a currency is a three-letter code in capital letters, like `USD` or `EUR`".to_owned()
        };
        return Err(err(
            format!("`{}` is not a currency", crate::plan::validate::shown(currency)),
            Some(help),
        ));
    }
    if let Some(rest) = number.strip_prefix('-') {
        if number_text(rest) {
            return Err(err(
                format!("the amount `{shown}` is negative"),
                Some("amounts are never negative: a revenue or a payment is written as it is".into()),
            ));
        }
    }
    if number.contains(',') && number_text(&number.replace(',', "")) {
        return Err(err(
            format!("`{shown}` is not an amount"),
            Some(format!("write the number without commas, like `{} {currency}`", number.replace(',', "_"))),
        ));
    }
    if !number_text(number) {
        return Err(err(format!("`{shown}` is not an amount"), Some(LIKE.into())));
    }
    match Decimal::from_str_exact(&number.replace('_', "")) {
        Ok(amount) => Ok(Money { amount: amount.normalize(), currency: currency.to_owned() }),
        Err(_) => Err(err(
            format!("the amount `{shown}` has more digits than can be held exactly"),
            Some("amounts are exact: at most 28 significant digits".into()),
        )),
    }
}

/// Three capital ASCII letters.
fn is_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// Digits, `_` only between digits, an optional `.` followed by digits: the language's numbers.
fn number_text(text: &str) -> bool {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let grouped = |s: &str| {
        !s.is_empty() && s.split('_').all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
    };
    grouped(whole) && fraction.is_none_or(grouped)
}

/// `a + b`, exactly.
pub fn add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale().max(b.scale());
    let sum = rescaled(a, scale)?.checked_add(rescaled(b, scale)?)?;
    exact(sum, scale)
}

/// `a - b`, exactly.
pub fn sub(a: Decimal, b: Decimal) -> Option<Decimal> {
    add(a, -b)
}

/// `percent`% of `amount`, exactly.
pub fn percent_of(amount: Decimal, percent: Decimal) -> Option<Decimal> {
    let (a, p) = (amount.normalize(), percent.normalize());
    exact(a.mantissa().checked_mul(p.mantissa())?, a.scale() + p.scale() + 2)
}

/// The sum of amounts, exactly.
pub fn sum(amounts: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    amounts.into_iter().try_fold(Decimal::ZERO, add)
}

fn rescaled(d: Decimal, scale: u32) -> Option<i128> {
    d.mantissa().checked_mul(10i128.checked_pow(scale.checked_sub(d.scale())?)?)
}

/// The decimal `mantissa × 10^-scale`, if it can be held without rounding.
fn exact(mut mantissa: i128, mut scale: u32) -> Option<Decimal> {
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn reads_amounts_as_the_language_writes_them() {
        let m = parse("1_250_000.50 USD").unwrap();
        assert_eq!((m.amount, m.currency.as_str()), (d("1250000.5"), "USD"));
        assert_eq!(parse("  0 EUR ").unwrap().amount, Decimal::ZERO);
        assert_eq!(parse("12.125  JPY").unwrap().amount, d("12.125"));
    }

    #[test]
    fn says_what_is_wrong_with_an_amount() {
        let cases = [
            ("1000", "has no currency", "`1000 USD`"),
            ("1000 usd", "is not a currency", "`USD`"),
            ("1000 US", "is not a currency", "three-letter"),
            ("USD 1000", "is not an amount", "`1000 USD`"),
            ("-5 USD", "is negative", "never negative"),
            ("1,000,000 USD", "is not an amount", "`1_000_000 USD`"),
            ("1.5e3 USD", "is not an amount", "like"),
            ("_1 USD", "is not an amount", "like"),
            ("1__0 USD", "is not an amount", "like"),
            ("1. USD", "is not an amount", "like"),
            ("$1000", "is not an amount", "like"),
            ("", "is not an amount", "like"),
            ("99999999999999999999999999999999 USD", "more digits", "28"),
        ];
        for (text, message, help) in cases {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains(message), "{text}: {e:?}");
            assert!(e.help.as_deref().unwrap_or("").contains(help), "{text}: {e:?}");
        }
    }

    #[test]
    fn arithmetic_is_exact_or_nothing() {
        assert_eq!(add(d("0.1"), d("0.2")), Some(d("0.3")));
        assert_eq!(sub(d("10"), d("12.5")), Some(d("-2.5")));
        assert_eq!(percent_of(d("1250000.50"), d("20")), Some(d("250000.1")));
        assert_eq!(percent_of(d("3"), d("12.5")), Some(d("0.375")));
        assert_eq!(percent_of(d("0.000000000000000000000001"), d("0.0001")), None, "beyond 28 decimals");
        assert_eq!(add(Decimal::MAX, Decimal::ONE), None);
        assert_eq!(add(Decimal::new(1, 28), d("1000000000000000000000000000")), None, "too many digits");
        assert_eq!(sum([d("1"), d("2.5"), d("3")]), Some(d("6.5")));
    }
}
