//! Calendar dates and ISO 8601 date-times: parsing a cell into days or seconds since
//! the Unix epoch, and the proleptic Gregorian day-count conversions.

use super::{trim, DateOrder};

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date for a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 4 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter().try_fold(0u32, |a, &c| Some(a * 10 + u32::from(c - b'0')))
}

/// Splits a date into its three numeric parts and the separator.
pub fn date_parts(s: &str) -> Option<([u32; 3], [usize; 3], u8)> {
    let b = trim(s).as_bytes();
    let sep = *b.iter().find(|c| matches!(c, b'-' | b'/' | b'.'))?;
    let mut it = b.split(|&c| c == sep);
    let (p0, p1, p2) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some(([num(p0)?, num(p1)?, num(p2)?], [p0.len(), p1.len(), p2.len()], sep))
}

/// Parses a date with the given field order into days since 1970-01-01.
pub fn parse_date(s: &str, order: DateOrder) -> Option<i64> {
    let iso = if order == DateOrder::Ymd { crate::ingest::fastpath::iso_date(trim(s).as_bytes()) } else { None };
    let (y, m, d) = match (iso, order) {
        (Some(ymd), _) => ymd,
        (None, order) => ymd_parts(s, order)?,
    };
    ymd_days(y, m, d)
}

/// Days since 1970-01-01 of a year, month and day, if that date exists.
#[inline]
pub fn ymd_days(y: u32, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(i64::from(y), m) {
        return None;
    }
    Some(days_from_civil(i64::from(y), m, d))
}

/// Year, month and day of a date in any accepted spelling, in the given field order.
fn ymd_parts(s: &str, order: DateOrder) -> Option<(u32, u32, u32)> {
    let (p, len, _) = date_parts(s)?;
    Some(match order {
        DateOrder::Ymd if len[0] == 4 => (p[0], p[1], p[2]),
        DateOrder::Dmy if len[2] == 4 => (p[2], p[1], p[0]),
        DateOrder::Mdy if len[2] == 4 => (p[2], p[0], p[1]),
        _ => return None,
    })
}

/// Parses an ISO 8601 date-time into seconds since the Unix epoch (UTC).
pub fn parse_datetime(s: &str) -> Option<i64> {
    let t = trim(s);
    if t.len() < 16 || !t.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = t.split_at(10);
    let days = parse_date(date, DateOrder::Ymd)?;
    let rest = rest.strip_prefix(['T', ' '])?;
    let (clock, offset) = split_offset(rest)?;
    let mut parts = clock.split(':');
    let h = num(parts.next()?.as_bytes())?;
    let mi = num(parts.next()?.as_bytes())?;
    let sec = match parts.next() {
        Some(sf) => num(sf.split('.').next()?.as_bytes())?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + sec) - offset)
}

fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        return Some((c, 0));
    }
    let b = rest.as_bytes();
    if b.len() >= 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':' {
        let h = num(&b[b.len() - 5..b.len() - 3])?;
        let m = num(&b[b.len() - 2..])?;
        let sign = if b[b.len() - 6] == b'-' { -1 } else { 1 };
        return Some((&rest[..rest.len() - 6], sign * i64::from(h * 3600 + m * 60)));
    }
    Some((rest, 0))
}
