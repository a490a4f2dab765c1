//! Fast paths for the common spellings of numbers and dates. Each returns `None` when the
//! input is not in its narrow form, and the caller then takes the general parser; when it
//! returns a value, that value is bit-identical to the general parser's.

/// Powers of ten that are exact in `f64` (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Splits an optional leading sign.
#[inline]
fn sign(b: &[u8]) -> (bool, &[u8]) {
    match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    }
}

/// Reads decimal digits from the start of `b` into `m`; returns how many there were.
#[inline]
fn digits(b: &[u8], m: &mut u64) -> usize {
    let mut n = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *m = *m * 10 + u64::from(d);
        n += 1;
    }
    n
}

/// A plain whole number `[+-]digits` of 1 to 18 digits (so it cannot overflow): the same
/// value as [`super::value::parse_int`].
#[inline]
pub fn plain_int(b: &[u8]) -> Option<i64> {
    let (neg, rest) = sign(b);
    let mut m = 0;
    if rest.is_empty() || rest.len() > 18 || digits(rest, &mut m) != rest.len() {
        return None;
    }
    let v = m as i64;
    Some(if neg { -v } else { v })
}

/// A plain decimal `[+-]digits[.digits]` (at least one digit, at most 19 bytes after the
/// sign, so the digits, read as an integer `m`, fit a `u64`) with `m` below 2^53.
///
/// Then `m` and `10^k` (k ≤ 18 digits after the point) are both exact doubles and one IEEE
/// division rounds the exact quotient correctly (Clinger's fast path), exactly as
/// `str::parse::<f64>` (which is correctly rounded) does.
#[inline]
pub fn plain_decimal(b: &[u8]) -> Option<f64> {
    let (neg, rest) = sign(b);
    if rest.len() > 19 {
        return None;
    }
    let mut m = 0;
    let whole = digits(rest, &mut m);
    let (frac, used) = match rest.get(whole) {
        None => (0, whole),
        Some(b'.') => {
            let k = digits(&rest[whole + 1..], &mut m);
            (k, whole + 1 + k)
        }
        Some(_) => return None,
    };
    if used != rest.len() || whole + frac == 0 || m >= 1 << 53 {
        return None;
    }
    let v = m as f64 / *POW10.get(frac)?;
    Some(if neg { -v } else { v })
}

/// `YYYY-MM-DD` exactly (ten bytes, digits and two hyphens): the year, month and day, not
/// yet checked for range.
#[inline]
pub fn iso_date(b: &[u8]) -> Option<(u32, u32, u32)> {
    let b: &[u8; 10] = b.try_into().ok()?;
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let v = [b[0], b[1], b[2], b[3], b[5], b[6], b[8], b[9]].map(|c| u32::from(c.wrapping_sub(b'0')));
    if v.iter().any(|&d| d > 9) {
        return None;
    }
    Some((v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5], v[6] * 10 + v[7]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_match_the_general_parser() {
        let cases = [
            "0",
            "-0",
            "+0",
            "-0.0",
            "1.",
            ".5",
            "-.5",
            "12345.67",
            "0.1",
            "0.3",
            "99999.99",
            "9007199254740991",
            "9007199254740992",
            "0.0000000000000000000001",
            "1.00000000000000000000001",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567890",
            "-30.0",
            "0.8706",
            "007.50",
        ];
        for s in cases {
            let want: f64 = s.parse().unwrap();
            if let Some(got) = plain_decimal(s.as_bytes()) {
                assert_eq!(got.to_bits(), want.to_bits(), "{s}");
            }
        }
        for s in ["", "-", ".", "+.", "1e5", "1.2.3", "inf", "nan", "1,5", " 1"] {
            assert_eq!(plain_decimal(s.as_bytes()), None, "{s:?}");
        }
        // A cheap pseudo-random sweep of short decimals.
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let x = next();
            let s = format!("{}.{:0w$}", x % 10_000_000, (x >> 32) % 10_000_000, w = (x >> 60) as usize % 8 + 1);
            let want: f64 = s.parse().unwrap();
            assert_eq!(plain_decimal(s.as_bytes()).map(f64::to_bits), Some(want.to_bits()), "{s}");
        }
    }

    #[test]
    fn plain_ints_match_the_general_parser() {
        let f = crate::ingest::value::NumberFormat::default();
        for s in ["0", "-0", "+7", "123456789012345678", "-999999999999999999", "007", "1234567890123456789"] {
            if let Some(v) = plain_int(s.as_bytes()) {
                assert_eq!(Some(v), crate::ingest::value::parse_int(s, f), "{s}");
            }
        }
        for s in ["", "-", "+", "1.5", "1,000", " 1", "12a"] {
            assert_eq!(plain_int(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date(b"2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(iso_date(b"2024/02/29"), None);
        assert_eq!(iso_date(b"2024-2-29"), None);
        assert_eq!(iso_date(b"2024-02-2x"), None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use crate::ingest::value::{date_parts, parse_bool, parse_bool_by_list};
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn iso_dates_match_the_general_split(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9/a-]{8,11}") {
                if let Some((y, m, d)) = super::iso_date(s.as_bytes()) {
                    let (p, len, sep) = date_parts(&s).unwrap_or_else(|| panic!("{s}"));
                    prop_assert_eq!((p, len, sep), ([y, m, d], [4, 2, 2], b'-'));
                }
            }

            #[test]
            fn bools_match_the_word_list(s in "[ ]?[tTrRuUeEfFaAlLsSyYnNoO01xé]{0,6}[ ]?") {
                prop_assert_eq!(parse_bool(&s), parse_bool_by_list(&s));
            }
        }

        #[test]
        fn bool_words() {
            for w in ["true", "TRUE", "t", "Yes", "y", "1", " false ", "F", "no", "N", "0", "", "tru", "nope", "ｔ"] {
                assert_eq!(parse_bool(w), parse_bool_by_list(w), "{w:?}");
            }
        }
    }
}
