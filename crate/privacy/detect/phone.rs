//! Telephone numbers, from a value's [`Shape`].
//!
//! *Shape* (counted as matched): 7–15 digits and no letters, written either
//! internationally (`+` or `00`, then E.164 digits) or nationally with separators — at least
//! 9 digits, grouped in 2–8-digit groups, starting with the trunk prefix `0`, a `1`, an
//! area code in parentheses, or at least 10 digits. A bare run of digits is a phone number
//! only when the column name says so (a 10-digit number could be anything).
//!
//! *Validation* (counted as validated):
//! - international: the country code exists in the E.164 plan (1-digit 1 and 7, the
//!   assigned 2-digit codes, 3-digit codes in the 3-digit zones) and the total is 8–15
//!   digits; for the listed countries the national number's length and leading digits:
//!   +1 (NANP: 10 digits, area and exchange 2–9), +44 (9–10, not 0; a `(0)` after the
//!   code is dropped), +49 (6–13, not 0), +33 and +31 (9, not 0), +91 (10, not 0), +55
//!   (10–11, area code 11–99);
//! - national forms: US/NANP `212-555-0100`, `(212) 555-0100`, `1-212-555-0100`; UK
//!   `020 7946 0958`, `07700 900123`, `0121 496 0000`; DE `030 1234567`, `(030) 12345678`,
//!   `0151/12345678` (trunk 0, a 3–6-digit area group, 9–13 digits); FR `01 23 45 67 89`;
//!   NL `020-1234567`, `06-12345678`; IN `98765 43210`; BR `(11) 91234-5678`; and, with a
//!   phone-like column name, the same numbers without separators.
//!
//! Not recognised: vanity numbers with letters, extensions (`x123`), short service
//! numbers, national forms of other countries without `+`.

use super::shape::Shape;

/// 2-digit country codes assigned in the E.164 plan.
const CC2: [u8; 44] = [
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62,
    63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];
/// 2-digit prefixes of the 3-digit country-code zones.
const CC3_ZONES: [u8; 23] =
    [21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 80, 85, 87, 88, 96, 97, 99];

#[inline]
fn d(b: u8) -> u8 {
    b - b'0'
}

/// Length of the country code at the start of `digits`, if the plan has one there.
fn country_code_len(digits: &[u8]) -> Option<usize> {
    let first = d(*digits.first()?);
    if first == 1 || first == 7 {
        return Some(1);
    }
    let two = first * 10 + d(*digits.get(1)?);
    if CC2.contains(&two) {
        Some(2)
    } else if CC3_ZONES.contains(&two) {
        Some(3)
    } else {
        None
    }
}

/// True when an international number (country code and national number, digits only)
/// follows the E.164 plan and, for the listed countries, their national rules.
fn international_valid(digits: &[u8]) -> bool {
    let Some(cc_len) = country_code_len(digits) else { return false };
    if !(8..=15).contains(&digits.len()) || digits.len() <= cc_len {
        return false;
    }
    let (cc, n) = digits.split_at(cc_len);
    let first_ok = n[0] != b'0';
    match cc {
        b"1" => nanp(n),
        b"44" => first_ok && (9..=10).contains(&n.len()),
        b"49" => first_ok && (6..=13).contains(&n.len()),
        b"33" | b"31" => first_ok && n.len() == 9,
        b"91" => first_ok && n.len() == 10,
        b"55" => n.len() >= 10 && n.len() <= 11 && n[0] != b'0' && n[1] != b'0',
        _ => true,
    }
}

/// A North American number of 10 digits: area code and exchange start with 2–9.
fn nanp(n: &[u8]) -> bool {
    n.len() == 10 && n[0] >= b'2' && n[3] >= b'2'
}

/// The digits of an international number (after `+` or `00`), dropping a `(0)` trunk
/// prefix written after the country code.
fn international_digits(s: &Shape, buf: &mut [u8; 40]) -> usize {
    let c = s.compact();
    let skip = if s.plus { 0 } else { 2 };
    let mut n = 0;
    let mut pos = 0;
    for (g, &len) in s.groups().iter().enumerate() {
        let part = &c[pos..pos + len as usize];
        pos += len as usize;
        if Some(g) == s.paren_group() && part == b"0" && g > 0 {
            continue;
        }
        for &b in part {
            buf[n] = b;
            n += 1;
        }
    }
    buf.copy_within(skip..n, 0);
    n - skip
}

/// National numbers without separators (when the column name says "phone").
fn national_bare_valid(n: &[u8]) -> bool {
    let len = n.len();
    match n[0] {
        b'0' => {
            n.get(1).is_some_and(|&b| b != b'0')
                && match len {
                    10 => true,          // FR, NL, UK (9-digit area), DE
                    11 => true,          // UK, IN, DE
                    9 | 12 | 13 => true, // DE
                    _ => false,
                }
        }
        b'1' => len == 11 && nanp(&n[1..]),
        b'6'..=b'9' if len == 10 => true, // IN mobile (also NANP when the area is 6xx–9xx)
        _ => (len == 10 && nanp(n)) || ((len == 10 || len == 11) && brazil_area(n)),
    }
}

fn brazil_area(n: &[u8]) -> bool {
    n[0] != b'0' && n[1] != b'0'
}

/// National numbers with separators: one of the listed forms.
fn national_grouped_valid(s: &Shape) -> bool {
    let n = s.compact();
    let g = s.groups();
    let paren = s.paren_group();
    let seps_ok = |allowed: &[u8]| s.seps().iter().skip(1).all(|c| allowed.contains(c));
    let same = |allowed: &[u8]| {
        let seps = &s.seps()[1..];
        seps_ok(allowed) && seps.iter().all(|&c| c == seps[0])
    };
    let trunk = n[0] == b'0' && n[1] != b'0';
    // NANP: 212-555-0100, (212) 555-0100, 1-212-555-0100, 1 (212) 555-0100.
    if g == [3, 3, 4] && nanp(n) && (paren.is_none() && same(b"-. ") || paren == Some(0) && seps_ok(b"- ")) {
        return true;
    }
    if g == [1, 3, 3, 4] && n[0] == b'1' && nanp(&n[1..]) && (paren.is_none() && same(b"-. ") || paren == Some(1)) {
        return true;
    }
    if paren.is_none() && trunk {
        // UK: 020 7946 0958, 07700 900123, 0121 496 0000, 01632 96000.
        if n.len() == 11 && matches!(g, [5, 6] | [3, 4, 4] | [4, 3, 4] | [3, 8]) && seps_ok(b" -") {
            return true;
        }
        if n.len() == 10 && matches!(g, [5, 5] | [4, 6] | [3, 7] | [2, 8] | [4, 3, 3]) && seps_ok(b" -") {
            return true; // UK 10-digit, NL 020-1234567 / 06-12345678
        }
        // FR: 01 23 45 67 89.
        if n.len() == 10 && g == [2, 2, 2, 2, 2] && same(b" .-") {
            return true;
        }
    }
    // DE: 030 1234567, (030) 12345678, 0151/12345678, 089 123 456 78.
    let de_groups = g[1..].iter().all(|&x| (2..=9).contains(&x));
    let de = trunk && (9..=13).contains(&n.len()) && (3..=6).contains(&g[0]) && g.len() <= 4;
    if de && paren.is_none_or(|p| p == 0) && seps_ok(b" -/") && de_groups {
        return true;
    }
    // IN mobile: 98765 43210.
    if g == [5, 5] && paren.is_none() && (b'6'..=b'9').contains(&n[0]) && same(b" -") {
        return true;
    }
    // BR: (11) 91234-5678, (11) 1234-5678, 11 91234-5678.
    if matches!(g, [2, 4, 4] | [2, 5, 4]) && brazil_area(n) && (paren == Some(0) || paren.is_none() && seps_ok(b" -")) {
        return g[1] == 4 || n[2] == b'9';
    }
    false
}

/// Whether `s` is shaped like a phone number and whether it validates. `bare_ok`: the
/// column name says "phone", so digits without separators count.
pub fn phone(s: &Shape, bare_ok: bool) -> (bool, bool) {
    if s.letters != 0 || s.digits < 7 {
        return (false, false);
    }
    let c = s.compact();
    let intl00 = !s.plus && c.starts_with(b"00") && c.get(2).is_some_and(|&b| b != b'0');
    if s.plus || intl00 {
        let mut buf = [0u8; 40];
        let n = international_digits(s, &mut buf);
        let digits = &buf[..n];
        let matched = (8..=15).contains(&n) && (!intl00 || !s.bare() || bare_ok);
        return (matched, matched && international_valid(digits));
    }
    if s.digits > 13 {
        return (false, false);
    }
    if s.bare() {
        if !bare_ok {
            return (false, false);
        }
        return (true, national_bare_valid(c));
    }
    let starts = c[0] == b'0' || c[0] == b'1' || s.paren_group().is_some() || s.digits >= 10;
    let groups_ok = s.groups().iter().all(|&g| (1..=9).contains(&g)) && s.groups().len() <= 6;
    let seps_ok = s.seps().iter().skip(1).all(|c| matches!(c, b' ' | b'-' | b'.' | b'/'));
    // Four dot-separated groups of at most three digits are an IPv4 address.
    let ipv4_like =
        s.groups().len() == 4 && s.groups().iter().all(|&g| g <= 3) && s.seps()[1..].iter().all(|&c| c == b'.');
    let matched = s.digits >= 9 && starts && groups_ok && seps_ok && !ipv4_like;
    (matched, matched && national_grouped_valid(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: &str, bare_ok: bool) -> (bool, bool) {
        Shape::of(v.as_bytes()).map_or((false, false), |s| phone(&s, bare_ok))
    }

    #[test]
    fn international_and_national_forms() {
        for v in [
            "+1 212-555-0100",
            "+12125550100",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+49 30 1234567",
            "+33 1 23 45 67 89",
            "+31 20 123 4567",
            "+91 98765 43210",
            "+55 11 91234 5678",
            "0044 20 7946 0958",
            "+358 40 1234567",
            "212-555-0100",
            "(212) 555-0100",
            "1-212-555-0100",
            "020 7946 0958",
            "07700 900123",
            "030 1234567",
            "(030) 12345678",
            "0151/12345678",
            "01 23 45 67 89",
            "020-1234567",
            "06-12345678",
            "98765 43210",
            "(11) 91234-5678",
        ] {
            assert_eq!(check(v, false), (true, true), "{v}");
        }
        assert_eq!(check("2125550100", true), (true, true));
        assert_eq!(check("07700900123", true), (true, true));
    }

    #[test]
    fn near_misses_and_decoys() {
        // Shaped like phones, failing the rules.
        assert_eq!(check("+1 112-555-0100", false), (true, false)); // area code 1xx
        assert_eq!(check("+28 1234 5678", false), (true, false)); // no country code 28
        assert_eq!(check("+33 0 23 45 67 89", false), (true, false)); // trunk 0 after +33
        assert_eq!(check("+44 20 7946 09", false), (true, false)); // too short for +44
                                                                   // Not phone-shaped.
        for v in
            ["2125550100", "2024-01-05", "12/31/2024", "1.2.3.4", "192.168.100.200", "10:30:00", "4111 1111 1111 1111"]
        {
            assert!(!check(v, false).0, "{v}");
        }
        assert_eq!(check("390.533.447-05", false), (true, false)); // a CPF: shaped, but no listed form
        assert_eq!(check("12345", true), (false, false));
    }
}
