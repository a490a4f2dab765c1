//! Shared test helpers (a strict CSV parser, FNV-1a) and tests of the PRNG,
//! arithmetic and formatting helpers.

use super::arith::{exp_det, sigmoid};
use super::bench::{Line, Tok, LINE_CAP};
use super::format::{push_date, push_field, push_fixed, push_padded, push_u64, DATE_SPAN_DAYS};
use super::rng::splitmix64;
use crate::math::Portable;

/// One parsed field: text and whether it was quoted.
pub(super) type Field = (String, bool);

/// Minimal strict RFC 4180 parser (LF records). Panics on malformed
/// input: stray quote, text after a closing quote, CR, unterminated
/// quote, missing final LF.
pub(super) fn parse_csv(data: &[u8]) -> Vec<Vec<Field>> {
    let mut records = Vec::new();
    let mut rec: Vec<Field> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut in_quotes = false;
    let mut was_quoted = false;
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if in_quotes {
            if b == b'"' {
                if data.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 2;
                    continue;
                }
                in_quotes = false;
            } else {
                field.push(b);
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                assert!(field.is_empty() && !was_quoted, "stray quote at byte {i}");
                in_quotes = true;
                was_quoted = true;
            }
            b',' | b'\n' => {
                let text = String::from_utf8(std::mem::take(&mut field)).expect("utf-8");
                rec.push((text, was_quoted));
                was_quoted = false;
                if b == b'\n' {
                    records.push(std::mem::take(&mut rec));
                }
            }
            b'\r' => panic!("CR at byte {i}"),
            _ => {
                assert!(!was_quoted, "text after closing quote at byte {i}");
                field.push(b);
            }
        }
        i += 1;
    }
    assert!(!in_quotes, "unterminated quote");
    assert!(field.is_empty() && rec.is_empty() && !was_quoted, "no final LF");
    records
}

pub(super) fn fnv1a64(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

pub(super) fn needs_quotes(s: &str) -> bool {
    s.contains([',', '"', '\n', '\r'])
}

/// Rate helper: `num / den` as f64.
pub(super) fn rate(num: usize, den: usize) -> f64 {
    num as f64 / den.max(1) as f64
}

#[test]
fn splitmix64_matches_reference() {
    let mut s = 0u64;
    assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
    assert_eq!(splitmix64(&mut s), 0x6e78_9e6a_a1b9_65f4);
    assert_eq!(splitmix64(&mut s), 0x06c4_5d18_8009_454f);
}

#[test]
fn exp_det_is_accurate() {
    for i in -400..=400 {
        let x = f64::from(i) / 20.0;
        let rel = (exp_det(x) - x.p_exp()).abs() / x.p_exp();
        assert!(rel < 1e-14, "exp_det({x}) off by {rel}");
    }
    assert_eq!(exp_det(0.0), 1.0);
    assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
}

#[test]
fn dates_span_2024_2025() {
    let mut b = Vec::new();
    push_date(&mut b, 0);
    push_date(&mut b, 59);
    push_date(&mut b, 60);
    push_date(&mut b, DATE_SPAN_DAYS - 1);
    assert_eq!(b, b"2024-01-012024-02-292024-03-012025-12-31");
}

#[test]
fn formatting_helpers() {
    let mut b = Vec::new();
    push_fixed::<2>(&mut b, 5);
    b.push(b' ');
    let mut arr = [0u8; LINE_CAP];
    let mut l = Line::new(&mut arr);
    l.uint(7, 3);
    l.put(b' ');
    l.fixed::<2>(100_005);
    l.put(b' ');
    l.tok(&Tok::new(b"abc"));
    l.put(b' ');
    l.uint(u64::MAX, 1);
    l.put(b' ');
    l.uint(0, 1);
    b.extend_from_slice(l.as_slice());
    b.push(b' ');
    push_padded(&mut b, 2139, 5);
    b.push(b' ');
    push_u64(&mut b, u64::MAX);
    b.push(b' ');
    push_field(&mut b, "say \"hi\", bye");
    assert_eq!(
        b,
        &b"0.05 007 1000.05 abc 18446744073709551615 0 02139 18446744073709551615 \"say \"\"hi\"\", bye\""[..]
    );
}
