//! Identifiers embedded in free text (columns of type `text`), found by scanning the bytes
//! once:
//! - **e-mail**: around each `@`, the longest run of address characters on both sides,
//!   validated as a whole value is ([`super::net::email`]);
//! - **numbers**: a run that starts at a word boundary with a digit, `+` or `(` and
//!   continues over digits and the separators `space - . / ( )` (at most 40 bytes, trailing
//!   separators dropped), then read as a [`Shape`] and checked as a payment card (bare or
//!   grouped), a phone number in an international or listed national form (never bare),
//!   an IPv4 address, and the national identifiers in their written forms only (a bare
//!   9–12-digit number in prose is not taken for an SSN, NHS number or CPF);
//! - **IBAN**: two capital letters and two digits at a word boundary, then as many letters,
//!   digits and single spaces as the country's IBAN length needs.
//!
//! Not found in text: names (that needs a language model), postal codes, dates of birth,
//! URLs and identifiers written without their usual separators.

use super::card::payment_card;
use super::iban::{country_length, iban};
use super::kinds::{Kind, N_KINDS};
use super::national as id;
use super::net;
use super::phone::phone;
use super::shape::Shape;

/// Per kind, the identifiers found in one value.
pub type Found = [u16; N_KINDS];

fn local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-.".contains(&b)
}

fn domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

fn bump(found: &mut Found, k: Kind) {
    found[k.index()] = found[k.index()].saturating_add(1);
}

/// Checks a run of digits and separators.
fn number_run(run: &[u8], found: &mut Found) {
    let Some(sh) = Shape::of(run) else { return };
    if sh.letters != 0 || sh.digits < 7 {
        if sh.letters == 0 && net::ipv4(&sh).1 {
            bump(found, Kind::Ipv4);
        }
        return;
    }
    let written = !sh.bare();
    let checks: [(Kind, (bool, bool)); 9] = [
        (Kind::PaymentCard, payment_card(&sh)),
        (Kind::Phone, if written || sh.plus { phone(&sh, false) } else { (false, false) }),
        (Kind::UsSsn, id::us_ssn(&sh, false)),
        (Kind::UkNhs, if written { id::uk_nhs(&sh) } else { (false, false) }),
        (Kind::BrCpf, if written { id::br_cpf(&sh) } else { (false, false) }),
        (Kind::InAadhaar, if written { id::in_aadhaar(&sh) } else { (false, false) }),
        (Kind::SePersonnummer, if written { id::se_personnummer(&sh) } else { (false, false) }),
        (Kind::FrNir, if written { id::fr_nir(&sh) } else { (false, false) }),
        (Kind::DeSteuerId, if written { id::de_steuer_id(&sh) } else { (false, false) }),
    ];
    for (k, (_, valid)) in checks {
        if valid {
            bump(found, k);
        }
    }
}

/// The IBAN starting at `s[i]` (two capitals and two digits already seen); returns the
/// bytes consumed.
fn iban_at(s: &[u8], i: usize, found: &mut Found) -> usize {
    let Some(want) = country_length(&s[i..i + 2]) else { return 4 };
    let (mut j, mut n) = (i, 0usize);
    while j < s.len() && n < want {
        match s[j] {
            b if b.is_ascii_alphanumeric() => n += 1,
            b' ' if j + 1 < s.len() && s[j + 1].is_ascii_alphanumeric() && s[j - 1] != b' ' => {}
            _ => break,
        }
        j += 1;
    }
    let boundary = j >= s.len() || !s[j].is_ascii_alphanumeric();
    if n == want && boundary {
        if let Some(sh) = Shape::of(&s[i..j]) {
            if iban(&sh).1 {
                bump(found, Kind::Iban);
            }
        }
    }
    (j - i).max(4)
}

/// Scans one text value; adds to `found` per kind (saturating).
pub fn scan(s: &[u8], found: &mut Found) {
    let mut i = 0;
    while i < s.len() {
        let b = s[i];
        let boundary = i == 0 || !s[i - 1].is_ascii_alphanumeric();
        if b == b'@' {
            let mut a = i;
            while a > 0 && local_char(s[a - 1]) {
                a -= 1;
            }
            let mut z = i + 1;
            while z < s.len() && domain_char(s[z]) {
                z += 1;
            }
            let mut end = z;
            while end > i + 1 && matches!(s[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let mut start = a;
            while start < i && s[start] == b'.' {
                start += 1;
            }
            if net::email(&s[start..end]).1 {
                bump(found, Kind::Email);
            }
            i = z.max(i + 1);
        } else if boundary
            && (b.is_ascii_digit() || ((b == b'+' || b == b'(') && s.get(i + 1).is_some_and(u8::is_ascii_digit)))
        {
            let mut z = i;
            while z < s.len()
                && z - i < 40
                && (s[z].is_ascii_digit() || matches!(s[z], b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'+'))
            {
                z += 1;
            }
            let next_is_word = z < s.len() && s[z].is_ascii_alphanumeric();
            let mut end = z;
            while end > i && matches!(s[end - 1], b' ' | b'-' | b'.' | b'/' | b'(' | b'+') {
                end -= 1;
            }
            // A run glued to a word (`12abc`) is part of a token, not a number.
            if !(next_is_word && end == z) {
                number_run(&s[i..end], found);
            }
            i = z.max(i + 1);
        } else if boundary
            && b.is_ascii_uppercase()
            && s.get(i + 1).is_some_and(u8::is_ascii_uppercase)
            && s.get(i + 2).is_some_and(u8::is_ascii_digit)
            && s.get(i + 3).is_some_and(u8::is_ascii_digit)
        {
            i += iban_at(s, i, found);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<(Kind, u16)> {
        let mut f = [0u16; N_KINDS];
        scan(s.as_bytes(), &mut f);
        Kind::ALL.iter().filter(|k| f[k.index()] > 0).map(|k| (*k, f[k.index()])).collect()
    }

    #[test]
    fn embedded_identifiers() {
        assert_eq!(found("mail alice@example.com or bob@example.org."), vec![(Kind::Email, 2)]);
        assert_eq!(found("call +44 20 7946 0958 today"), vec![(Kind::Phone, 1)]);
        assert_eq!(found("call (212) 555-0100, thanks"), vec![(Kind::Phone, 1)]);
        assert_eq!(found("pay to GB82 WEST 1234 5698 7654 32 please"), vec![(Kind::Iban, 1)]);
        assert_eq!(found("card 4111 1111 1111 1111 exp 12/27"), vec![(Kind::PaymentCard, 1)]);
        assert_eq!(found("SSN 536-90-4399."), vec![(Kind::UsSsn, 1)]);
        assert_eq!(found("from 10.0.0.1"), vec![(Kind::Ipv4, 1)]);
    }

    #[test]
    fn prose_decoys() {
        for s in [
            "order 1234567890123456 shipped",
            "called twice, no answer",
            "self-employed, 1099 income",
            "on 2024-01-05 at 10:30",
            "ref GB82 WEST 1234 5698 7654 33",
            "user@localhost said hi",
            "version 3.2.1 released",
            "id 536904399",
            "abc123@",
        ] {
            assert_eq!(found(s), vec![], "{s}");
        }
    }
}
