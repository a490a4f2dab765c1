//! Online identifiers: e-mail addresses, URLs, IPv4/IPv6 and MAC addresses.
//!
//! - **E-mail** (matched): one `@` with something on both sides and no white space.
//!   Validated: a local part of 1–64 RFC 5322 `atext` characters and dots (no leading,
//!   trailing or double dot) and a domain of 2+ labels (letters, digits, inner hyphens; at
//!   most 63 characters each, 253 in all) that ends in a public suffix from the shipped
//!   list ([`super::suffixes`]) with at least one label before it: `user@localhost`,
//!   `a@intranet` and `x@co.uk` fail.
//! - **URL**: `scheme://host…` for http(s), ftp(s), sftp, ws(s), or `www.host…` (matched),
//!   validated when the host ends in a known top-level domain (or is an IP literal); a bare
//!   `host.tld/path` counts (matched and validated) only when its top-level domain is a
//!   country code or a classic generic one (com, org, net, edu, gov, mil, int, info, biz)
//!   and is not one that is also a common file extension (py, sh, md, rs, pl, pm, ps, ml,
//!   so, ai, mk, tf, cc, sc, st, in, am, mo, cl, ly): `setup.py`, `README.md`, `run.sh` are not URLs.
//! - **IPv4** (matched): four dot-separated groups of 1–3 digits; validated when each is
//!   0–255 without a leading zero. A column named like a version (`version`, `release`,
//!   `build`, …) is not searched for IPv4 addresses (`1.2.3.4` is a version there).
//! - **IPv6** (matched): hex groups and colons with `::` or at least five colons;
//!   validated when it parses (eight groups, or fewer with one `::`, an IPv4 tail counting
//!   as two; optional brackets and `%zone`).
//! - **MAC**: six two-digit hex groups separated by `:` or `-`, or three four-digit
//!   groups separated by `.` (format only).

use super::shape::Shape;
use super::suffixes::{SECOND_LEVEL, TLDS};
use std::sync::OnceLock;

/// Lower-cases an ASCII label into `buf` (labels over 63 bytes are never suffixes).
fn lower<'a>(label: &[u8], buf: &'a mut [u8; 64]) -> Option<&'a [u8]> {
    let out = buf.get_mut(..label.len())?;
    for (o, &b) in out.iter_mut().zip(label) {
        *o = b.to_ascii_lowercase();
    }
    Some(out)
}

/// A shipped list as a sorted vector, split once.
fn sorted(cell: &'static OnceLock<Vec<&'static str>>, text: &'static str) -> &'static [&'static str] {
    cell.get_or_init(|| {
        let mut v: Vec<&str> = text.split_ascii_whitespace().collect();
        v.sort_unstable();
        v
    })
}

fn tlds() -> &'static [&'static str] {
    static T: OnceLock<Vec<&'static str>> = OnceLock::new();
    sorted(&T, TLDS)
}

fn second_level() -> &'static [&'static str] {
    static T: OnceLock<Vec<&'static str>> = OnceLock::new();
    sorted(&T, SECOND_LEVEL)
}

fn in_sorted(list: &[&str], key: &[u8]) -> bool {
    list.binary_search_by(|s| s.as_bytes().cmp(key)).is_ok()
}

/// True when `label` is a top-level domain of the shipped list.
pub fn is_tld(label: &[u8]) -> bool {
    let mut buf = [0u8; 64];
    lower(label, &mut buf).is_some_and(|l| in_sorted(tlds(), l))
}

/// True when a domain (labels already checked) ends in a public suffix with a label before it.
fn registrable(domain: &[u8]) -> bool {
    let mut labels = domain.rsplit(|&b| b == b'.');
    let (Some(tld), Some(second)) = (labels.next(), labels.next()) else { return false };
    if !is_tld(tld) {
        return false;
    }
    let mut buf = [0u8; 128];
    let n = second.len() + 1 + tld.len();
    if n <= buf.len() {
        buf[..second.len()].copy_from_slice(second);
        buf[second.len()] = b'.';
        buf[second.len() + 1..n].copy_from_slice(tld);
        buf[..n].make_ascii_lowercase();
        if in_sorted(second_level(), &buf[..n]) {
            return labels.next().is_some();
        }
    }
    true
}

/// True for a domain of 2+ valid labels, at most 253 bytes, whose last label is alphabetic
/// (or punycode).
fn domain_ok(d: &[u8]) -> bool {
    if d.len() > 253 || d.is_empty() {
        return false;
    }
    let mut n = 0;
    for label in d.split(|&b| b == b'.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
            && label[0] != b'-'
            && label[label.len() - 1] != b'-';
        if !ok {
            return false;
        }
        n += 1;
    }
    let last = d.rsplit(|&b| b == b'.').next().unwrap_or(&[]);
    n >= 2 && (last.iter().all(u8::is_ascii_alphabetic) || last.starts_with(b"xn--"))
}

fn atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&b)
}

/// E-mail address: (matched, validated). `s` is trimmed.
pub fn email(s: &[u8]) -> (bool, bool) {
    let Some(at) = s.iter().position(|&b| b == b'@') else { return (false, false) };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || domain.is_empty() || domain.contains(&b'@') || s.iter().any(u8::is_ascii_whitespace) {
        return (false, false);
    }
    let local_ok = local.len() <= 64
        && local.iter().all(|&b| atext(b) || b == b'.')
        && local[0] != b'.'
        && local[local.len() - 1] != b'.'
        && !local.windows(2).any(|w| w == b"..");
    (true, local_ok && domain_ok(domain) && registrable(domain))
}

const SCHEMES: [&[u8]; 7] = [b"http://", b"https://", b"ftp://", b"ftps://", b"sftp://", b"ws://", b"wss://"];
const CLASSIC: [&[u8]; 9] = [b"com", b"org", b"net", b"edu", b"gov", b"mil", b"int", b"info", b"biz"];
const FILE_EXTENSIONS: [&[u8]; 20] = [
    b"py", b"sh", b"md", b"rs", b"pl", b"pm", b"ps", b"ml", b"so", b"ai", b"mk", b"tf", b"cc", b"sc", b"st", b"in",
    b"am", b"mo", b"cl", b"ly",
];

fn starts_with_ci(s: &[u8], p: &[u8]) -> bool {
    s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p)
}

/// The host of `rest` (up to `/`, `?`, `#` or `:port`; userinfo not supported).
fn host(rest: &[u8]) -> &[u8] {
    if rest.first() == Some(&b'[') {
        return rest.iter().position(|&b| b == b']').map_or(rest, |i| &rest[..=i]);
    }
    let end = rest.iter().position(|&b| matches!(b, b'/' | b'?' | b'#' | b':')).unwrap_or(rest.len());
    &rest[..end]
}

fn host_valid(h: &[u8]) -> bool {
    if let Some(inner) = h.strip_prefix(b"[").and_then(|x| x.strip_suffix(b"]")) {
        return ipv6(inner).1;
    }
    if let Some(sh) = Shape::of(h) {
        if ipv4(&sh).1 {
            return true;
        }
    }
    domain_ok(h) && h.rsplit(|&b| b == b'.').next().is_some_and(is_tld)
}

/// URL: (matched, validated). `s` is trimmed.
pub fn url(s: &[u8]) -> (bool, bool) {
    if s.iter().any(u8::is_ascii_whitespace) {
        return (false, false);
    }
    if let Some(p) = SCHEMES.iter().find(|p| starts_with_ci(s, p)) {
        return (true, host_valid(host(&s[p.len()..])));
    }
    if starts_with_ci(s, b"www.") {
        return (true, host_valid(host(s)));
    }
    let h = host(s);
    if !domain_ok(h) {
        return (false, false);
    }
    let mut buf = [0u8; 64];
    let Some(tld) = h.rsplit(|&b| b == b'.').next().and_then(|t| lower(t, &mut buf)) else { return (false, false) };
    let known = (tld.len() == 2 && in_sorted(tlds(), tld)) || CLASSIC.contains(&tld);
    let ok = known && !FILE_EXTENSIONS.contains(&tld);
    (ok, ok)
}

/// IPv4 from a shape: (matched, validated).
pub fn ipv4(s: &Shape) -> (bool, bool) {
    let g = s.groups();
    if !s.digits_only() || g.len() != 4 || s.paren_group().is_some() || !s.seps()[1..].iter().all(|&c| c == b'.') {
        return (false, false);
    }
    if !g.iter().all(|&x| x <= 3) {
        return (false, false);
    }
    let c = s.compact();
    let mut pos = 0;
    let mut ok = true;
    for &len in g {
        let part = &c[pos..pos + len as usize];
        pos += len as usize;
        let v = part.iter().fold(0u32, |v, &b| v * 10 + u32::from(b - b'0'));
        ok &= v <= 255 && !(part.len() > 1 && part[0] == b'0');
    }
    (true, ok)
}

/// IPv6: (matched, validated). `s` is trimmed.
pub fn ipv6(s: &[u8]) -> (bool, bool) {
    let s = s.strip_prefix(b"[").and_then(|x| x.strip_suffix(b"]")).unwrap_or(s);
    let s = s.iter().position(|&b| b == b'%').map_or(s, |i| &s[..i]);
    let colons = s.iter().filter(|&&b| b == b':').count();
    let double = s.windows(2).filter(|w| w == b"::").count();
    let chars_ok = s.iter().all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    if !chars_ok || !(double >= 1 || colons >= 5) || s.len() < 2 {
        return (false, false);
    }
    if double > 1 || s.windows(3).any(|w| w == b":::") {
        return (true, false);
    }
    let mut groups = 0usize;
    let parts: [&[u8]; 2] = match s.windows(2).position(|w| w == b"::") {
        Some(i) => [&s[..i], &s[i + 2..]],
        None => [s, &[]],
    };
    for (k, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let pieces: usize = part.split(|&b| b == b':').count();
        for (j, g) in part.split(|&b| b == b':').enumerate() {
            let last = k == 1 || double == 0;
            if last && j + 1 == pieces && g.contains(&b'.') {
                match Shape::of(g) {
                    Some(sh) if ipv4(&sh).1 => groups += 2,
                    _ => return (true, false),
                }
            } else if g.is_empty() || g.len() > 4 || !g.iter().all(u8::is_ascii_hexdigit) {
                return (true, false);
            } else {
                groups += 1;
            }
        }
    }
    (true, if double == 1 { groups <= 7 } else { groups == 8 })
}

/// MAC address from a shape: format only, so matched = validated.
pub fn mac(s: &Shape) -> bool {
    let hex = s.compact().iter().all(|&b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
    hex && !s.plus && (s.grouped(&[2; 6], b":-") || s.grouped(&[4; 3], b"."))
}

#[cfg(test)]
#[path = "net_tests.rs"]
mod tests;
