//! Check-digit algorithms on ASCII digit strings (every input is already known to hold
//! only `0`–`9`, except [`mod97_alnum`], which also takes `A`–`Z`). Each is restated from
//! its standard, not copied from any library; `tests/privacy_detect.rs` checks them
//! against python-stdnum 2.2 on generated numbers and near misses.

/// Luhn (ISO/IEC 7812-1 annex B): from the right, double every second digit, subtract 9
/// from products over 9; valid when the sum is a multiple of 10. Catches every single-digit
/// error and most adjacent transpositions; about 1 random string in 10 passes.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &b) in digits.iter().rev().enumerate() {
        let d = u32::from(b - b'0');
        sum += if i % 2 == 1 {
            let p = 2 * d;
            if p > 9 {
                p - 9
            } else {
                p
            }
        } else {
            d
        };
    }
    !digits.is_empty() && sum % 10 == 0
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff (1969): the dihedral group D5 with a position permutation; valid when the
/// running check is 0. Catches every single-digit error and adjacent transposition.
pub fn verhoeff(digits: &[u8]) -> bool {
    let mut c = 0usize;
    for (i, &b) in digits.iter().rev().enumerate() {
        c = usize::from(VERHOEFF_D[c][usize::from(VERHOEFF_P[i % 8][usize::from(b - b'0')])]);
    }
    !digits.is_empty() && c == 0
}

/// ISO 7064 MOD 11,10 (hybrid system): p = 10; for each digit s = (p + d) mod 10 (0 → 10),
/// p = 2s mod 11; valid when the final s is 1.
pub fn iso7064_mod11_10(digits: &[u8]) -> bool {
    let mut check = 5u32;
    for &b in digits {
        let p = if check == 0 { 10 } else { check };
        check = ((p * 2) % 11 + u32::from(b - b'0')) % 10;
    }
    !digits.is_empty() && check == 1
}

/// The value of an uppercase alphanumeric character in ISO 7064 MOD 97-10 (`0`–`9` → 0–9,
/// `A`–`Z` → 10–35).
fn alnum_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

/// ISO 7064 MOD 97-10 over `parts` read one after the other (letters count as two digits,
/// `A` = 10 … `Z` = 35): the remainder mod 97, or `None` for another character.
pub fn mod97_alnum(parts: &[&[u8]]) -> Option<u32> {
    let mut r = 0u32;
    for &b in parts.iter().flat_map(|p| p.iter()) {
        let v = alnum_value(b)?;
        r = if v >= 10 { (r * 100 + v) % 97 } else { (r * 10 + v) % 97 };
    }
    Some(r)
}

/// The remainder of a decimal digit string mod `m`.
pub fn modulo(digits: &[u8], m: u64) -> u64 {
    digits.iter().fold(0u64, |r, &b| (r * 10 + u64::from(b - b'0')) % m)
}

/// Σ wᵢ·dᵢ over the digits with the given weights (pairs up to the shorter).
pub fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(&b, &w)| w * u32::from(b - b'0')).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert!(!luhn(b""));
        assert!(verhoeff(b"2363"));
        assert!(!verhoeff(b"2364"));
        assert!(verhoeff(b"234123412346"));
        // de.idnr example of python-stdnum.
        assert!(iso7064_mod11_10(b"36574261809"));
        assert!(!iso7064_mod11_10(b"36574261808"));
        // GB82 WEST 1234 5698 7654 32: BBAN + country + check digits ≡ 1 (mod 97).
        assert_eq!(mod97_alnum(&[b"WEST12345698765432", b"GB82"]), Some(1));
        assert_eq!(mod97_alnum(&[b"a"]), None);
        assert_eq!(modulo(b"1234567890123", 97), 1_234_567_890_123 % 97);
        assert_eq!(weighted(b"123", &[3, 2, 1]), 10);
    }

    #[test]
    fn luhn_and_verhoeff_catch_every_single_digit_error() {
        let base = b"4111111111111111";
        for i in 0..base.len() {
            for d in b'0'..=b'9' {
                let mut v = *base;
                if v[i] == d {
                    continue;
                }
                v[i] = d;
                assert!(!luhn(&v), "{}", String::from_utf8_lossy(&v));
            }
        }
        let base = b"234123412346";
        for i in 0..base.len() {
            for d in b'0'..=b'9' {
                let mut v = *base;
                if v[i] != d {
                    v[i] = d;
                    assert!(!verhoeff(&v));
                }
            }
            if i + 1 < base.len() && base[i] != base[i + 1] {
                let mut v = *base;
                v.swap(i, i + 1);
                assert!(!verhoeff(&v));
            }
        }
    }
}
