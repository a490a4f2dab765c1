//! IBANs (ISO 13616), from a value's [`Shape`].
//!
//! *Matched*: two letters, two digits and 11–30 more letters or digits (15–34 in all),
//! compact or in groups of four separated by spaces (`GB82 WEST 1234 5698 7654 32`).
//! *Validated*: the country is in the IBAN registry, the BBAN has the country's length
//! and structure (letters, digits or either, per position), and ISO 7064 MOD 97-10 over
//! BBAN + country + check digits is 1. python-stdnum's `iban.is_valid(…, check_country=False)`
//! is the reference; its optional national checks (Belgium, Spain, Montenegro, Norway) are
//! not repeated.

use super::checksum::mod97_alnum;
use super::iban_table::IBAN_BBAN;
use super::shape::Shape;

/// True when `bban` follows a registry structure such as `4!a6!n8!n`.
fn follows(bban: &[u8], structure: &str) -> bool {
    let mut pos = 0usize;
    let bytes = structure.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let mut n = 0usize;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            n = n * 10 + usize::from(bytes[i] - b'0');
            i += 1;
        }
        i += 1; // the `!` after the count
        let Some(&class) = bytes.get(i) else { return false };
        i += 1;
        let Some(chunk) = bban.get(pos..pos + n) else { return false };
        let ok = match class {
            b'n' => chunk.iter().all(u8::is_ascii_digit),
            b'a' => chunk.iter().all(u8::is_ascii_uppercase),
            _ => chunk.iter().all(u8::is_ascii_alphanumeric),
        };
        if !ok {
            return false;
        }
        pos += n;
    }
    pos == bban.len()
}

/// The IBAN length of a country (`GB` → 22), if the registry lists it.
pub fn country_length(cc: &[u8]) -> Option<usize> {
    let i = IBAN_BBAN.binary_search_by(|(k, _)| k.as_bytes().cmp(cc)).ok()?;
    let bban: usize =
        IBAN_BBAN[i].1.split('!').filter_map(|p| p.trim_start_matches(['a', 'n', 'c']).parse::<usize>().ok()).sum();
    Some(4 + bban)
}

/// Whether `s` is shaped like an IBAN and whether it validates.
pub fn iban(s: &Shape) -> (bool, bool) {
    let c = s.compact();
    if s.plus || !(15..=34).contains(&c.len()) || !c[..2].iter().all(u8::is_ascii_uppercase) {
        return (false, false);
    }
    if !c[2..4].iter().all(u8::is_ascii_digit) {
        return (false, false);
    }
    let g = s.groups();
    let fours = g.len() >= 4 && g[..g.len() - 1].iter().all(|&x| x == 4) && g[g.len() - 1] <= 4;
    if !(s.bare() || (fours && s.grouped(g, b" "))) {
        return (false, false);
    }
    let cc = &c[..2];
    let Ok(i) = IBAN_BBAN.binary_search_by(|(k, _)| k.as_bytes().cmp(cc)) else { return (true, false) };
    let structure = IBAN_BBAN[i].1;
    let ok = follows(&c[4..], structure) && mod97_alnum(&[&c[4..], &c[..4]]) == Some(1);
    (true, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: &str) -> (bool, bool) {
        Shape::of(v.as_bytes()).map_or((false, false), |s| iban(&s))
    }

    #[test]
    fn registry_lengths_structure_and_mod97() {
        assert_eq!(check("GB82 WEST 1234 5698 7654 32"), (true, true));
        assert_eq!(check("GB82WEST12345698765432"), (true, true));
        assert_eq!(check("gb82 west 1234 5698 7654 32"), (true, true));
        assert_eq!(check("DE89 3704 0044 0532 0130 00"), (true, true));
        // One digit changed, two swapped, wrong length for the country, unknown country.
        assert_eq!(check("GB82 WEST 1234 5698 7654 33"), (true, false));
        assert_eq!(check("GB82 WEST 1234 5698 7645 32"), (true, false));
        assert_eq!(check("GB82 WEST 1234 5698 7654 3"), (true, false));
        assert_eq!(check("QQ82 WEST 1234 5698 7654 32"), (true, false));
        // Digits where the GB structure wants letters (the checksum alone is not enough).
        assert!(follows(b"WEST12345698765432", "4!a6!n8!n"));
        assert!(!follows(b"1234123456987654", "4!a6!n8!n"));
        assert_eq!(check("GB82-WEST-1234"), (false, false));
        assert_eq!((country_length(b"GB"), country_length(b"DE"), country_length(b"QQ")), (Some(22), Some(22), None));
    }
}
