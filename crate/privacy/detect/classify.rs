//! One value → the kinds it matches and the kinds it validates as. Cheap first: one pass
//! over the bytes counts `@`, `:`, `.`, digits and letters, and only the detectors those
//! counts allow run (a word without digits, `@`, `.` or `:` costs that pass and nothing
//! else); no allocation.
//!
//! **Bare numbers.** A run of digits without separators is what most numeric columns hold,
//! and about one random number in ten passes a mod-10 or mod-11 check. So a bare number
//! counts as *matched* only when it also validates, unless the column name gives the kind
//! context — "shaped like X but failing its check" is reported only for values written as X
//! is written (`1234 5678 9012 3456`, `GB82 …`) or in a column named for X. Nine bare
//! digits are a US SSN, eight a BSN, and a bare digit run a phone number only with context.

use super::card::payment_card;
use super::iban::iban;
use super::kinds::Kind;
use super::national as id;
use super::net;
use super::phone::phone;
use super::shape::Shape;

/// The kinds a value matched (shape) and validated, as bit masks of [`Kind::bit`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    /// Shape matched.
    pub matched: u32,
    /// Shape matched and validated.
    pub valid: u32,
}

/// A column's detector settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ctx {
    /// Kinds the column name gives context to.
    pub context: u32,
    /// Kinds not searched.
    pub disabled: u32,
}

impl Ctx {
    #[inline]
    fn has(&self, k: Kind) -> bool {
        self.context & k.bit() != 0
    }
    #[inline]
    fn on(&self, k: Kind) -> bool {
        self.disabled & k.bit() == 0 && (!k.needs_header() || self.has(k))
    }
    /// The smallest integer worth classifying in an integer column.
    pub fn min_int(&self) -> i64 {
        if self.has(Kind::PostalCode) {
            100
        } else if self.has(Kind::NlBsn) {
            10_000_000
        } else {
            100_000_000
        }
    }
}

impl Hits {
    #[inline]
    fn add(&mut self, ctx: &Ctx, bare: bool, k: Kind, (m, v): (bool, bool)) {
        if !ctx.on(k) {
            return;
        }
        let m = if bare && !ctx.has(k) { v } else { m };
        if m {
            self.matched |= k.bit();
        }
        if v {
            self.valid |= k.bit();
        }
    }
}

/// The numeric and national-identifier detectors on a shape.
fn shaped(sh: &Shape, ctx: &Ctx, h: &mut Hits) {
    let bare = sh.bare() && sh.digits_only();
    let d = sh.digits;
    if (13..=19).contains(&d) {
        h.add(ctx, bare, Kind::PaymentCard, payment_card(sh));
    }
    if d >= 7 {
        h.add(ctx, bare, Kind::Phone, phone(sh, ctx.has(Kind::Phone)));
    }
    if sh.letters >= 2 && sh.compact().len() >= 15 {
        h.add(ctx, bare, Kind::Iban, iban(sh));
    }
    match d {
        9 => h.add(ctx, bare, Kind::UsSsn, id::us_ssn(sh, ctx.has(Kind::UsSsn))),
        6 if sh.letters == 3 => h.add(ctx, bare, Kind::UkNino, id::uk_nino(sh)),
        _ => {}
    }
    if d == 10 {
        h.add(ctx, bare, Kind::UkNhs, id::uk_nhs(sh));
    }
    if d == 9 || (d == 8 && ctx.has(Kind::NlBsn)) {
        h.add(ctx, bare, Kind::NlBsn, id::nl_bsn(sh));
    }
    if d == 10 || d == 12 {
        h.add(ctx, bare, Kind::SePersonnummer, id::se_personnummer(sh));
    }
    if d == 12 {
        h.add(ctx, bare, Kind::InAadhaar, id::in_aadhaar(sh));
    }
    if d == 11 {
        h.add(ctx, bare, Kind::BrCpf, id::br_cpf(sh));
        h.add(ctx, bare, Kind::DeSteuerId, id::de_steuer_id(sh));
    }
    if d == 8 && sh.letters == 1 {
        h.add(ctx, bare, Kind::EsDni, id::es_dni(sh));
    }
    if d == 7 && sh.letters == 2 {
        h.add(ctx, bare, Kind::EsNie, id::es_nie(sh));
    }
    if d >= 13 && sh.compact().len() == 15 {
        h.add(ctx, bare, Kind::FrNir, id::fr_nir(sh));
    }
    if ctx.on(Kind::PostalCode) {
        let p = postal(sh);
        h.add(ctx, false, Kind::PostalCode, (p, p));
    }
}

/// Postal-code shapes (only in columns named like one): digits 3–6 (`02139`, `75008`,
/// `110001`; integers lose leading zeros), US ZIP+4 `12345-6789`, BR `12345-678`, SE/CZ
/// `113 51`, NL `1234 AB`, UK `SW1A 1AA`, CA `K1A 0B1`.
pub fn postal(sh: &Shape) -> bool {
    let c = sh.compact();
    if sh.plus || sh.paren_group().is_some() {
        return false;
    }
    if sh.letters == 0 {
        return (sh.bare() && (3..=6).contains(&c.len()))
            || sh.grouped(&[5, 4], b"-")
            || sh.grouped(&[5, 3], b"-")
            || sh.grouped(&[3, 2], b" ");
    }
    let nl = c.len() == 6
        && c[..4].iter().all(u8::is_ascii_digit)
        && c[4..].iter().all(u8::is_ascii_uppercase)
        && (sh.bare() || sh.grouped(&[4, 2], b" "));
    let uk_in = |x: &[u8]| x.len() == 3 && x[0].is_ascii_digit() && x[1..].iter().all(u8::is_ascii_uppercase);
    let uk_out = |x: &[u8]| (2..=4).contains(&x.len()) && x[0].is_ascii_uppercase() && x.iter().any(u8::is_ascii_digit);
    let uk = sh.groups().len() == 2 && sh.grouped(sh.groups(), b" ") && {
        let k = sh.groups()[0] as usize;
        uk_out(&c[..k]) && uk_in(&c[k..])
    };
    let ca = c.len() == 6
        && c.iter().enumerate().all(|(i, b)| if i % 2 == 0 { b.is_ascii_uppercase() } else { b.is_ascii_digit() })
        && (sh.bare() || sh.grouped(&[3, 3], b" "));
    nl || uk || ca
}

/// A person-name shape: 1–5 tokens (split at spaces and commas) of letters with inner
/// `-`, `'`, `’` or `.`, each at most 30 characters, one of at least two letters, no digits.
/// Case is not required: exports often lower-case or upper-case names.
pub fn name_shape(s: &str) -> bool {
    let mut tokens = 0;
    let mut long = false;
    for tok in s.split([' ', ',']).filter(|t| !t.is_empty()) {
        tokens += 1;
        let mut letters = 0;
        for (i, ch) in tok.chars().enumerate() {
            if ch.is_alphabetic() {
                letters += 1;
            } else if i == 0 || !matches!(ch, '-' | '\'' | '’' | '.') {
                return false;
            }
            if i >= 30 {
                return false;
            }
        }
        long |= letters >= 2;
    }
    (1..=5).contains(&tokens) && long
}

/// The kinds of one string value (trimmed of ASCII white space here).
pub fn classify_text(s: &str, ctx: &Ctx) -> Hits {
    classify_text_scan(s, ctx).0
}

/// Byte classes for the first pass: 1 `@`, 2 `:`, 3 `.`, 4 space, 5 `-`, 6 digit,
/// 7 ASCII letter, 0 anything else.
const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = match b {
            b'@' => 1,
            b':' => 2,
            b'.' => 3,
            b' ' => 4,
            b'-' => 5,
            b'0'..=b'9' => 6,
            b'a'..=b'z' | b'A'..=b'Z' => 7,
            _ => 0,
        };
        i += 1;
    }
    t
};

/// True when a value with letters can still be one of the identifiers that mix letters and
/// digits (IBAN, NINO: two letters first; DNI/NIE: a letter last; NIR: `2A`/`2B`).
fn letters_allowed(b: &[u8]) -> bool {
    let first_two = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic();
    let last = b.last().is_some_and(u8::is_ascii_alphabetic);
    let corsica = b.len() >= 15 && b.windows(2).any(|w| w == b"2A" || w == b"2B" || w == b"2a" || w == b"2b");
    first_two || last || corsica
}

/// [`classify_text`], and whether the value could embed an identifier (it holds a digit or
/// an `@`; the embedded scan finds nothing in a value without either).
pub fn classify_text_scan(s: &str, ctx: &Ctx) -> (Hits, bool) {
    let s = s.trim_ascii();
    let b = s.as_bytes();
    let mut h = Hits::default();
    // Longer values are free text: no single identifier is that long (e-mail ≤ 254).
    if b.is_empty() || b.len() > 254 {
        return (h, !b.is_empty());
    }
    // One branch-free pass: count the bytes of each class.
    let mut n = [0u32; 8];
    for &c in b {
        n[usize::from(BYTE_CLASS[usize::from(c)] & 7)] += 1;
    }
    let [_, at, colon, dot, space, dash, digits, alpha] = n;
    if at == 1 {
        h.add(ctx, false, Kind::Email, net::email(b));
    }
    let mac_like = colon == 5 || dash == 5 || (dot == 2 && b.len() == 14);
    let postal = ctx.on(Kind::PostalCode) && digits >= 1;
    let ids = digits >= 3 && (alpha == 0 || letters_allowed(b));
    if b.len() <= 64 && (ids || mac_like || postal) {
        if let Some(sh) = Shape::of(b) {
            shaped(&sh, ctx, &mut h);
            if dot == 3 {
                h.add(ctx, false, Kind::Ipv4, net::ipv4(&sh));
            }
            if mac_like && ctx.on(Kind::Mac) {
                let m = net::mac(&sh);
                h.add(ctx, false, Kind::Mac, (m, m));
            }
        }
    }
    if colon >= 2 && b.len() <= 64 && space == 0 {
        h.add(ctx, false, Kind::Ipv6, net::ipv6(b));
    }
    if (dot >= 1 || colon >= 1) && at == 0 && space == 0 && alpha >= 2 {
        h.add(ctx, false, Kind::Url, net::url(b));
    }
    if digits == 0 && ctx.on(Kind::PersonName) {
        let n = name_shape(s);
        h.add(ctx, false, Kind::PersonName, (n, n));
    }
    (h, digits > 0 || at > 0)
}

/// The kinds of an integer value (callers skip values below [`Ctx::min_int`]).
pub fn classify_int(v: i64, ctx: &Ctx) -> Hits {
    let mut h = Hits::default();
    if v >= 0 {
        shaped(&Shape::of_u64(v as u64), ctx, &mut h);
    }
    h
}

#[cfg(test)]
#[path = "classify_tests.rs"]
mod tests;
