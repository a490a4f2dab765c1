//! National identifiers, from a value's [`Shape`]. Each detector returns (matched,
//! validated): *matched* when the value is written as the identifier is written (its
//! length and grouping), *validated* when it also passes the identifier's rules and check
//! digits. The accepted writings are the compact form and the grouping python-stdnum's
//! `format()` gives (and the common ones listed per function).
//!
//! **US SSN policy** (PRIVACY_RISK §8.11: Presidio and python-stdnum disagree): we follow
//! python-stdnum's structure rules — area 000, 666 and 900–999 (never issued as SSNs; 9xx
//! are ITINs) rejected, group 00 and serial 0000 rejected, the three numbers stdnum lists
//! as invalid (078-05-1120, 219-09-9999, 457-55-5462) rejected — and, unlike Presidio, we
//! accept placeholder-looking numbers such as 123-45-6789: a column full of them is still
//! a column of SSN-shaped values the user should look at. Only `ddd-dd-dddd` (dashes or
//! spaces) counts without context; nine bare digits count as an SSN only in a column named
//! like one (`ssn`, `social security`), since any 9-digit number passes the rules.

use super::checksum::{iso7064_mod11_10, luhn, modulo, verhoeff, weighted};
use super::shape::Shape;

type Hit = (bool, bool);
const MISS: Hit = (false, false);

#[inline]
fn num(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0'))
}

/// US Social Security number (see the module's policy).
pub fn us_ssn(s: &Shape, header: bool) -> Hit {
    if !s.digits_only() || s.digits != 9 {
        return MISS;
    }
    let matched = s.grouped(&[3, 2, 4], b"- ") || (header && s.bare());
    if !matched {
        return MISS;
    }
    let c = s.compact();
    let (area, group, serial) = (&c[..3], &c[3..5], &c[5..]);
    let bad = area == b"000"
        || area == b"666"
        || area[0] == b'9'
        || group == b"00"
        || serial == b"0000"
        || matches!(c, b"078051120" | b"457555462" | b"219099999");
    (true, !bad)
}

/// UK National Insurance number: `AB123456C` or `AB 12 34 56 C`. Format only (no check
/// digit): first letter not D F I Q U V, second not D F I O Q U V, prefixes BG GB KN NK NT
/// TN ZZ not issued, suffix A–D.
pub fn uk_nino(s: &Shape) -> Hit {
    let c = s.compact();
    let shaped = c.len() == 9
        && c[..2].iter().all(u8::is_ascii_uppercase)
        && c[2..8].iter().all(u8::is_ascii_digit)
        && c[8].is_ascii_uppercase()
        && (s.bare() || s.grouped(&[2, 2, 2, 2, 1], b" "));
    if !shaped || s.plus {
        return MISS;
    }
    let ok = !b"DFIQUV".contains(&c[0])
        && !b"DFIOQUV".contains(&c[1])
        && !matches!(&c[..2], b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ")
        && (b'A'..=b'D').contains(&c[8]);
    (true, ok)
}

/// UK NHS number: 10 digits (`943 476 5919`); Σ (10 − i)·dᵢ over all ten digits ≡ 0 (mod 11).
pub fn uk_nhs(s: &Shape) -> Hit {
    if !s.digits_only() || s.digits != 10 || !(s.bare() || s.grouped(&[3, 3, 4], b" -")) {
        return MISS;
    }
    (true, weighted(s.compact(), &[10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0)
}

/// Dutch BSN: 8 or 9 digits (left-padded to 9), `1112.22.333`; 11-proof
/// Σ_{i=1}^{8} (10 − i)·dᵢ − d₉ ≡ 0 (mod 11), not all zero.
pub fn nl_bsn(s: &Shape) -> Hit {
    if !s.digits_only() || !(s.digits == 9 || s.digits == 8) || !(s.bare() || s.grouped(&[4, 2, 3], b".")) {
        return MISS;
    }
    let mut d = [b'0'; 9];
    d[9 - s.compact().len()..].copy_from_slice(s.compact());
    let sum = weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) + 11 * 9 - u32::from(d[8] - b'0');
    (true, sum % 11 == 0 && d.iter().any(|&b| b != b'0'))
}

fn days_in_month(month: u32, leap: bool) -> u32 {
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Swedish personnummer: `YYMMDD-NNNC` (`+` from age 100), `YYYYMMDD-NNNC`, or the same
/// digits without the sign; the birth date must exist (the day may be +60, a co-ordination
/// number — python-stdnum rejects those, Presidio accepts them), Luhn over the last ten
/// digits. With two-digit years the century is unknown, so 29 February is accepted in
/// every year divisible by 4.
pub fn se_personnummer(s: &Shape) -> Hit {
    if s.letters != 0 || s.plus {
        return MISS;
    }
    let c = s.compact();
    let signed = |g: &[u8]| s.grouped(g, b"-+");
    let long = c.len() == 12 && (s.bare() || signed(&[8, 4]));
    let short = c.len() == 10 && (s.bare() || signed(&[6, 4]));
    if !long && !short {
        return MISS;
    }
    let (leap, date) = if long {
        let y = num(&c[..4]);
        (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0), &c[4..8])
    } else {
        (num(&c[..2]) % 4 == 0, &c[2..6])
    };
    let (month, mut day) = (num(&date[..2]), num(&date[2..]));
    if day > 60 {
        day -= 60;
    }
    let date_ok = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(month, leap);
    (true, date_ok && luhn(&c[c.len() - 10..]))
}

/// Indian Aadhaar: 12 digits (`2341 2341 2346`), first 2–9, not a palindrome, Verhoeff.
pub fn in_aadhaar(s: &Shape) -> Hit {
    if !s.digits_only() || s.digits != 12 || !(s.bare() || s.grouped(&[4, 4, 4], b" -")) {
        return MISS;
    }
    let c = s.compact();
    let palindrome = c.iter().eq(c.iter().rev());
    (true, c[0] >= b'2' && !palindrome && verhoeff(c))
}

/// Brazilian CPF: 11 digits (`390.533.447-05`); d₁ = (11 − Σ_{i=1}^{9}(11 − i)xᵢ mod 11)
/// mod 11 mod 10, d₂ likewise with weights 11…3 and 2·d₁; not all zero.
pub fn br_cpf(s: &Shape) -> Hit {
    if !s.digits_only() || s.digits != 11 {
        return MISS;
    }
    let formatted = s.groups() == [3, 3, 3, 2]
        && s.paren_group().is_none()
        && (s.seps()[1..] == [b'.', b'.', b'-'] || s.seps()[1..].iter().all(|&c| c == b' '));
    if !(s.bare() || formatted || s.grouped(&[9, 2], b"-")) {
        return MISS;
    }
    let c = s.compact();
    let s1 = weighted(&c[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let d1 = (11 - s1 % 11) % 11 % 10;
    let s2 = weighted(&c[..9], &[11, 10, 9, 8, 7, 6, 5, 4, 3]) + 2 * d1;
    let d2 = (11 - s2 % 11) % 11 % 10;
    let ok = u32::from(c[9] - b'0') == d1 && u32::from(c[10] - b'0') == d2 && c.iter().any(|&b| b != b'0');
    (true, ok)
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spanish DNI: 8 digits and a letter (`12345678Z`, `12345678-Z`); letter = table[n mod 23].
pub fn es_dni(s: &Shape) -> Hit {
    let c = s.compact();
    if s.plus || c.len() != 9 || s.letters != 1 || !c[..8].iter().all(u8::is_ascii_digit) {
        return MISS;
    }
    if !(s.bare() || s.grouped(&[8, 1], b"- ")) {
        return MISS;
    }
    (true, DNI_LETTERS[modulo(&c[..8], 23) as usize] == c[8])
}

/// Spanish NIE: X, Y or Z, 7 digits and a letter (`X1234567L`); X/Y/Z read as 0/1/2, then
/// the DNI letter.
pub fn es_nie(s: &Shape) -> Hit {
    let c = s.compact();
    if s.plus || c.len() != 9 || s.letters != 2 || !matches!(c[0], b'X' | b'Y' | b'Z') {
        return MISS;
    }
    if !c[1..8].iter().all(u8::is_ascii_digit) || !c[8].is_ascii_uppercase() {
        return MISS;
    }
    if !(s.bare() || s.grouped(&[1, 7, 1], b"- ") || s.grouped(&[8, 1], b"-")) {
        return MISS;
    }
    let mut d = [0u8; 8];
    d[0] = b'0' + (c[0] - b'X');
    d[1..].copy_from_slice(&c[1..8]);
    (true, DNI_LETTERS[modulo(&d, 23) as usize] == c[8])
}

/// French NIR: 15 characters, digits except the department (`2A`, `2B` in Corsica),
/// written compact, `2 95 10 99 126 111 93` or `2951099126111 93`; key = 97 − (first 13
/// digits mod 97), with 2A read as 19 and 2B as 18.
pub fn fr_nir(s: &Shape) -> Hit {
    let c = s.compact();
    if s.plus || c.len() != 15 {
        return MISS;
    }
    let corsica = matches!(&c[5..7], b"2A" | b"2B");
    let digits_ok =
        c[..5].iter().chain(&c[7..]).all(u8::is_ascii_digit) && (corsica || c[5..7].iter().all(u8::is_ascii_digit));
    let written = s.bare() || s.grouped(&[1, 2, 2, 2, 3, 3, 2], b" .") || s.grouped(&[13, 2], b" ");
    if !digits_ok || !written {
        return MISS;
    }
    let mut d = [0u8; 13];
    d.copy_from_slice(&c[..13]);
    match &c[5..7] {
        b"2A" => d[5..7].copy_from_slice(b"19"),
        b"2B" => d[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    let key = 97 - modulo(&d, 97);
    (true, u64::from(num(&c[13..])) == key)
}

/// German tax ID (Steuer-ID): 11 digits (`36 574 261 809`), first not 0; among the first
/// ten digits exactly one digit occurs twice or three times and the others at most once;
/// check digit ISO 7064 MOD 11,10.
pub fn de_steuer_id(s: &Shape) -> Hit {
    if !s.digits_only() || s.digits != 11 || !(s.bare() || s.grouped(&[2, 3, 3, 3], b" /.")) {
        return MISS;
    }
    let c = s.compact();
    let mut counts = [0u8; 10];
    for &b in &c[..10] {
        counts[usize::from(b - b'0')] += 1;
    }
    let repeated = counts.iter().filter(|&&n| n > 1).count();
    let most = counts.iter().copied().max().unwrap_or(0);
    let rule = repeated == 1 && (most == 2 || most == 3);
    (true, c[0] != b'0' && rule && iso7064_mod11_10(c))
}

#[cfg(test)]
#[path = "national_tests.rs"]
mod tests;
