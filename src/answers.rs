//! The one answers value shared by answers files, scenario files, session files
//! and JSON output, and the parsing of number answers as people type them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One answer, written the same way everywhere it is stored.
///
/// A number keeps the text the user typed (`"3×10^24"`), so a saved session
/// shows exactly what was entered and parsing can improve without rewriting it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// The id of the chosen option of a single choice or yes/no question.
    Choice(String),
    /// The ids of the ticked options of a multiple choice question.
    Choices(Vec<String>),
    /// A number as typed.
    Number(String),
    /// A short free text.
    Text(String),
    /// "Not sure": evaluates as unknown, never as a branch.
    NotSure,
}

/// Answers by question id. A `BTreeMap` keeps files and hashes deterministic.
pub type Answers = BTreeMap<String, Answer>;

/// Why a typed number was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("type a number")]
    Empty,
    #[error("`{}` is not a number; write it like 3e24, 3×10^24, 1.5B or 2T", crate::text::echo(.0))]
    Malformed(String),
    #[error("`{}` is not a finite number", crate::text::echo(.0))]
    NotFinite(String),
}

/// Parses a number as people type it: `3e24`, `3×10^24`, `3*10^24`,
/// `3 x 10^24`, `1.5B`, `2T`, `7M`, `12k`, `1,000`, `1_000`.
///
/// Powers of ten are rewritten to `e` notation and parsed by `str::parse`, so
/// that `1×10^23` is exactly the same float as `1e23` (a legal threshold);
/// computing `10f64.powi(23)` would not be.
pub fn parse_number(input: &str) -> Result<f64, NumberError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(NumberError::Empty);
    }
    let malformed = || NumberError::Malformed(trimmed.to_string());
    let mut text: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    // Magnitude suffixes.
    let suffix = match text.chars().last() {
        Some('k' | 'K') => Some(3),
        Some('M') => Some(6),
        Some('B' | 'G') => Some(9),
        Some('T') => Some(12),
        Some('P') => Some(15),
        _ => None,
    };
    let mut extra_exponent: i32 = 0;
    if let Some(exp) = suffix {
        text.pop();
        extra_exponent = exp;
    }
    // `a×10^b`, `a*10^b`, `ax10^b`, and a bare `10^b`.
    for sep in ["×10^", "*10^", "x10^", "X10^", "·10^"] {
        if let Some((mantissa, exponent)) = text.split_once(sep) {
            if mantissa.is_empty() || exponent.is_empty() {
                return Err(malformed());
            }
            text = format!("{mantissa}e{exponent}");
            break;
        }
    }
    if let Some(exponent) = text.strip_prefix("10^") {
        text = format!("1e{exponent}");
    }
    if text.contains('^') {
        return Err(malformed());
    }
    // `str::parse::<f64>` accepts "inf" and "NaN"; people never mean them.
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        || !text.chars().any(|c| c.is_ascii_digit())
    {
        return Err(malformed());
    }
    if extra_exponent != 0 {
        // Fold the suffix into the exponent so `2T` parses exactly like `2e12`.
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((m, e)) => (m.to_string(), e.parse::<i32>().map_err(|_| malformed())?),
            None => (text.clone(), 0),
        };
        // Saturating: `1e2147483647T` is too large (not finite), never an
        // overflow that wraps round to a tiny number.
        text = format!("{mantissa}e{}", exponent.saturating_add(extra_exponent));
    }
    let value: f64 = text.parse().map_err(|_| malformed())?;
    if !value.is_finite() {
        return Err(NumberError::NotFinite(trimmed.to_string()));
    }
    Ok(value)
}

/// Writes a number the way people read it, and so that [`parse_number`] reads
/// back exactly the same float: plain for everyday sizes (`10`, `0.5`),
/// `e` notation for large and tiny ones (`1e25`), as thresholds are written.
pub fn format_number(x: f64) -> String {
    if x == 0.0 || (1e-4..1e7).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_ways_people_write_large_numbers() {
        assert_eq!(parse_number("3e24"), Ok(3e24));
        assert_eq!(parse_number("3×10^24"), Ok(3e24));
        assert_eq!(parse_number("3*10^24"), Ok(3e24));
        assert_eq!(parse_number("3 x 10^24"), Ok(3e24));
        assert_eq!(parse_number("1.5B"), Ok(1.5e9));
        assert_eq!(parse_number("2T"), Ok(2e12));
        assert_eq!(parse_number("7M"), Ok(7e6));
        assert_eq!(parse_number("12k"), Ok(12e3));
        assert_eq!(parse_number("1,000"), Ok(1000.0));
        assert_eq!(parse_number("10^25"), Ok(1e25));
        assert_eq!(parse_number(" 42 "), Ok(42.0));
        assert_eq!(parse_number("-3"), Ok(-3.0));
    }

    #[test]
    fn powers_of_ten_are_exactly_the_threshold() {
        assert_eq!(parse_number("1×10^23").unwrap(), 1e23);
        assert_eq!(parse_number("1e23").unwrap(), 1e23);
        assert_eq!(parse_number("100B").unwrap(), 1e11);
        assert_eq!(parse_number("0.1T").unwrap(), 0.1e12);
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        assert_eq!(parse_number(""), Err(NumberError::Empty));
        assert!(matches!(
            parse_number("abc"),
            Err(NumberError::Malformed(_))
        ));
        assert!(matches!(
            parse_number("NaN"),
            Err(NumberError::Malformed(_))
        ));
        assert!(matches!(
            parse_number("inf"),
            Err(NumberError::Malformed(_))
        ));
        assert!(matches!(
            parse_number("1e999"),
            Err(NumberError::NotFinite(_))
        ));
        assert!(matches!(
            parse_number("×10^3"),
            Err(NumberError::Malformed(_))
        ));
        assert!(matches!(
            parse_number("2^10"),
            Err(NumberError::Malformed(_))
        ));
    }
}
