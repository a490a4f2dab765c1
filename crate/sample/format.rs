//! CSV output helpers of the generators: integers, fixed-point numbers, quoted
//! fields, headers and ISO dates, written from integers only (no float formatting).

// ---------------------------------------------------------------------------
// Formatting (integers only: no float formatting anywhere)
// ---------------------------------------------------------------------------

/// Appends `v` in decimal, left-padded with zeros to at least `width`
/// digits (at most 20).
pub(super) fn push_padded(buf: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while v > 0 {
        i -= 1;
        if let Some(slot) = tmp.get_mut(i) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
    }
    let start = i.min(tmp.len().saturating_sub(width.max(1)));
    buf.extend_from_slice(tmp.get(start..).unwrap_or(b"0"));
}

/// Appends `v` in decimal.
pub(super) fn push_u64(buf: &mut Vec<u8>, v: u64) {
    push_padded(buf, v, 1);
}

/// Appends `v / 10^D` with exactly `D >= 1` fractional digits, e.g.
/// `push_fixed::<2>(buf, 12345)` writes `123.45`.
pub(super) fn push_fixed<const D: u32>(buf: &mut Vec<u8>, v: u64) {
    let p = 10u64.pow(D);
    push_u64(buf, v / p);
    buf.push(b'.');
    push_padded(buf, v % p, D as usize);
}

/// Appends `s` as one CSV field, quoted (RFC 4180, `"` doubled) only if it
/// contains a comma, a quote, CR or LF.
pub(super) fn push_field(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// Appends the header line for `columns`.
pub(super) fn push_header(buf: &mut Vec<u8>, columns: &[&str]) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_field(buf, c);
    }
    buf.push(b'\n');
}

/// Days from 1970-01-01 to 2024-01-01.
pub(super) const DAY_2024_01_01: i64 = 19_723;
/// Number of days in 2024-01-01..=2025-12-31.
pub(super) const DATE_SPAN_DAYS: u64 = 731;

/// Appends the ISO date `offset` days after 2024-01-01.
pub(super) fn push_date(buf: &mut Vec<u8>, offset: u64) {
    let (y, m, d) = crate::ingest::value::civil_from_days(DAY_2024_01_01 + offset as i64);
    push_padded(buf, y.unsigned_abs(), 4);
    buf.push(b'-');
    push_padded(buf, u64::from(m), 2);
    buf.push(b'-');
    push_padded(buf, u64::from(d), 2);
}
