//! Reading amounts exactly. Excel stores numbers as binary floats, so a cell
//! showing `8929.95` arrives as the nearest double; its shortest round-trip
//! decimal form is what the person typed, and that is what we keep, as a
//! `Decimal`. Amounts in 万元 become exact 元 by multiplying that decimal.

use rust_decimal::Decimal;
use std::str::FromStr;

use crate::text::to_half_width;

/// What a value cell holds once read.
#[derive(Debug, Clone, PartialEq)]
pub enum CellAmount {
    /// Blank, `—`, `-`, `/` and the like: no figure in the cell.
    Nothing,
    /// A figure, exactly as written (before any 万元 scaling).
    Number(Decimal),
    /// Text that is not a figure (`见附表`, `12.3.4`): a problem to report.
    NotANumber(String),
}

/// The decimal a person typed, recovered from the double Excel stored.
/// `None` for values no amount can have (NaN, infinities, beyond 28 digits).
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Most figures have at most two decimals: when some `c / 100` reads back
    // as this double, that (without trailing zeros) is the shortest form, as
    // no other number of at most two decimals lies within half a unit of
    // the last place below 1e13 (which is under 0.002).
    if value.abs() < 1e13 && !(value == 0.0 && value.is_sign_negative()) {
        let cents = (value * 100.0).round();
        if cents / 100.0 == value {
            let (mut mantissa, mut scale) = (cents as i64, 2);
            while scale > 0 && mantissa % 10 == 0 {
                mantissa /= 10;
                scale -= 1;
            }
            return Some(Decimal::new(mantissa, scale));
        }
    }
    shortest_decimal(value)
}

/// Rust prints the shortest representation that reads back to the same
/// double, without an exponent: `8929.95`, `0.1`, `89299500`. Excel keeps
/// 15 significant digits of what is typed and shows no more, so digits past
/// the 15th are the remainder of its own arithmetic (a formula's cached
/// `2705.8399999999997` is the 2705.84 it shows) and are dropped.
fn shortest_decimal(value: f64) -> Option<Decimal> {
    let text = format!("{value}");
    let printed = Decimal::from_str(&text).ok()?;
    let digits = text.trim_start_matches('-');
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    // Digits before the first significant one's place: `2705.84` 4, `0.003` −2.
    let whole_digits = if whole.trim_start_matches('0').is_empty() {
        let zeros = fraction.len() - fraction.trim_start_matches('0').len();
        -(zeros as i64)
    } else {
        whole.trim_start_matches('0').len() as i64
    };
    let places = (EXCEL_DIGITS - whole_digits).clamp(0, 28) as u32;
    let rounded =
        printed.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointNearestEven);
    Some(if rounded == printed {
        printed
    } else {
        rounded.normalize()
    })
}

/// The significant digits Excel keeps of a number.
const EXCEL_DIGITS: i64 = 15;

/// Parses a figure written as text: thousands separators, full-width digits,
/// `（25）` or `(25)` or `−25` for negatives, trailing `元`. `nothing` lists the
/// markers meaning "no figure" (already normalised by the caller's spec).
pub fn parse_text_amount(text: &str, nothing: &[String]) -> CellAmount {
    // A marker as it stands (the common case) needs no cleaning: cleaning
    // only drops blanks and commas and maps full-width forms, which a
    // normalised marker without a comma does not have.
    let trimmed = text.trim();
    if nothing.iter().any(|n| n == trimmed && !n.contains(',')) {
        return CellAmount::Nothing;
    }
    if let Some(amount) = parse_plain_ascii(trimmed, nothing) {
        return amount;
    }
    parse_general(text, nothing)
}

/// The general path of [`parse_text_amount`]: any text, cleaned first.
fn parse_general(text: &str, nothing: &[String]) -> CellAmount {
    let cleaned: String = text
        .chars()
        .map(to_half_width)
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .collect();
    if cleaned.is_empty() || nothing.contains(&cleaned) {
        return CellAmount::Nothing;
    }
    let mut body = cleaned.as_str();
    for unit in ["万元", "元"] {
        if let Some(rest) = body.strip_suffix(unit) {
            body = rest;
            break;
        }
    }
    let (negative, body) =
        if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            (true, inner)
        } else if let Some(rest) = body
            .strip_prefix('-')
            .or_else(|| body.strip_prefix('−'))
            .or_else(|| body.strip_prefix('－'))
        {
            (true, rest)
        } else {
            (false, body.strip_prefix('+').unwrap_or(body))
        };
    let plain = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|c| *c == '.').count() <= 1
        && body.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return CellAmount::NotANumber(text.trim().to_string());
    }
    match Decimal::from_str(body) {
        Ok(value) if negative => CellAmount::Number(-value),
        Ok(value) => CellAmount::Number(value),
        Err(_) => CellAmount::NotANumber(text.trim().to_string()),
    }
}

/// [`parse_text_amount`] for the usual figure text, `1,234.50` or `-25`
/// (ASCII digits, commas, blanks, one point, a leading minus), without
/// allocating; `None` for anything else, which the general path reads.
fn parse_plain_ascii(text: &str, nothing: &[String]) -> Option<CellAmount> {
    const MAX: usize = 40;
    let bytes = text.as_bytes();
    if bytes.len() > MAX {
        return None;
    }
    // What the general path calls `cleaned` (blanks and commas dropped),
    // read in the same pass as the figure: a minus only first, digits, at
    // most one point with digits on both sides, at most 18 digits (so that
    // the mantissa fits an i64). Anything else is left to the general path.
    let mut cleaned = [0u8; MAX];
    let mut len = 0;
    let mut mantissa = 0i64;
    let mut digits = 0usize;
    let mut whole_digits: Option<usize> = None;
    let mut plain = true;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if digits <= 18 {
                    mantissa = mantissa * 10 + i64::from(b - b'0');
                }
            }
            b'.' => {
                plain &= whole_digits.is_none() && digits > 0;
                whole_digits = Some(digits);
            }
            b'-' => plain &= len == 0,
            b',' | b'\t'..=b'\r' | b' ' => continue,
            _ => return None,
        }
        cleaned[len] = b;
        len += 1;
    }
    let cleaned = &cleaned[..len];
    if cleaned.is_empty() || nothing.iter().any(|n| n.as_bytes() == cleaned) {
        return Some(CellAmount::Nothing);
    }
    let fraction = whole_digits.map_or(0, |w| digits - w);
    if !plain || digits == 0 || digits > 18 || (whole_digits.is_some() && fraction == 0) {
        return None;
    }
    let value = Decimal::new(mantissa, fraction as u32);
    Some(CellAmount::Number(if cleaned[0] == b'-' {
        -value
    } else {
        value
    }))
}

/// A figure in the source unit converted to 元 at 分 precision. The second
/// value says whether precision beyond 分 was lost (only float noise or a
/// value typed with more than two decimals in 元 does that).
pub fn to_yuan(value: Decimal, scale: Decimal) -> (Decimal, bool) {
    let exact = value * scale;
    if exact.scale() <= 2 {
        // Nothing below 分: rounding would give `exact` back.
        return (exact, false);
    }
    let rounded =
        exact.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    (rounded, rounded != exact.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    fn nothing() -> Vec<String> {
        ["—", "-", "/", "——"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn floats_keep_the_typed_decimal() {
        assert_eq!(decimal_from_f64(8929.95), Some(dec("8929.95")));
        // Excel's arithmetic, not anyone's typing, puts digits past the 15th.
        assert_eq!(decimal_from_f64(0.1 + 0.2), Some(dec("0.3")));
        assert_eq!(decimal_from_f64(2705.8399999999997), Some(dec("2705.84")));
        assert_eq!(
            decimal_from_f64(1234.5678901234),
            Some(dec("1234.5678901234"))
        );
        assert_eq!(
            decimal_from_f64(0.123456789012345),
            Some(dec("0.123456789012345"))
        );
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn two_decimal_shortcut_matches_the_printed_form() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.05,
            1e12 + 0.01,
            9_999_999_999_999.99,
            1e13,
        ];
        // A simple LCG: cents, tenths and arbitrary doubles of every size.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let cents = (x >> 20) as i64 % 10_000_000_000_000 - 5_000_000_000_000;
            values.push(cents as f64 / 100.0);
            values.push((cents / 1000) as f64 / 10.0);
            values.push(f64::from_bits(x) % 1e14);
            values.push((x >> 11) as f64 / (1u64 << 53) as f64 * 1000.0);
        }
        for v in values.into_iter().filter(|v| v.is_finite()) {
            let (fast, slow) = (decimal_from_f64(v), shortest_decimal(v));
            assert_eq!(fast, slow, "{v}");
            if let (Some(f), Some(s)) = (fast, slow) {
                assert_eq!((f.mantissa(), f.scale()), (s.mantissa(), s.scale()), "{v}");
            }
        }
    }

    #[test]
    fn text_shortcuts_match_the_general_path() {
        let mut n = nothing();
        n.push("0".into());
        let parts = [
            "",
            "0",
            "7",
            "12",
            "1,234",
            ".",
            "-",
            "--",
            " ",
            ",",
            "00",
            "5.",
            ".5",
            "1.2.3",
            "9,999,999.99",
            "123456789012345678",
            "1234567890123456789",
            "x",
            "—",
            "０",
            "(",
            ")",
            "元",
        ];
        let mut texts = Vec::new();
        for a in parts {
            for b in parts {
                texts.push(format!("{a}{b}"));
                texts.push(format!(" {a} {b} "));
                texts.push(format!("-{a}.{b}"));
            }
        }
        for t in &texts {
            for markers in [&nothing(), &n] {
                let (fast, general) = (parse_text_amount(t, markers), parse_general(t, markers));
                assert_eq!(fast, general, "{t:?}");
                if let (CellAmount::Number(f), CellAmount::Number(g)) = (&fast, &general) {
                    assert_eq!(
                        (f.mantissa(), f.scale(), f.is_sign_negative()),
                        (g.mantissa(), g.scale(), g.is_sign_negative()),
                        "{t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn wan_yuan_is_exact_in_yuan() {
        assert_eq!(
            to_yuan(dec("8929.95"), dec("10000")),
            (dec("89299500"), false)
        );
        assert_eq!(to_yuan(dec("0.068"), dec("10000")), (dec("680"), false));
        let (noise, lost) = to_yuan(dec("0.30000000000000004"), dec("1"));
        assert_eq!((noise, lost), (dec("0.30"), true));
    }

    #[test]
    fn text_figures() {
        let n = nothing();
        assert_eq!(
            parse_text_amount("1,234.56", &n),
            CellAmount::Number(dec("1234.56"))
        );
        assert_eq!(
            parse_text_amount("１２３４．５", &n),
            CellAmount::Number(dec("1234.5"))
        );
        assert_eq!(
            parse_text_amount("（25）", &n),
            CellAmount::Number(dec("-25"))
        );
        assert_eq!(
            parse_text_amount("(25.5)", &n),
            CellAmount::Number(dec("-25.5"))
        );
        assert_eq!(parse_text_amount("－3", &n), CellAmount::Number(dec("-3")));
        assert_eq!(parse_text_amount(" 0 ", &n), CellAmount::Number(dec("0")));
        assert_eq!(parse_text_amount("—", &n), CellAmount::Nothing);
        assert_eq!(parse_text_amount("", &n), CellAmount::Nothing);
        assert_eq!(parse_text_amount("12元", &n), CellAmount::Number(dec("12")));
        assert_eq!(
            parse_text_amount("见附表", &n),
            CellAmount::NotANumber("见附表".into())
        );
        assert_eq!(
            parse_text_amount("1.2.3", &n),
            CellAmount::NotANumber("1.2.3".into())
        );
    }
}
