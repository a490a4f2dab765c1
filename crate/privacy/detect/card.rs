//! Payment card numbers (ISO/IEC 7812 primary account numbers), from a value's [`Shape`].
//!
//! *Matched*: 13–19 digits written bare or in the groupings printed on cards (4-4-4-4,
//! 4-4-4-4-3, 4-6-5 for American Express, 4-6-4 for Diners), spaces or dashes.
//! *Validated*: the issuer identification number is in a listed range and the length is
//! one that issuer uses, and the Luhn check passes. Ranges (issuer → prefixes, lengths):
//! Visa 4 (13, 16, 19); Mastercard 51–55 and 2221–2720 (16); American Express 34, 37 (15);
//! Discover 6011, 644–649, 65 (16–19); UnionPay 62 (16–19); JCB 3528–3589 (16–19); Diners
//! Club 300–305, 36, 38–39 (14–19); Maestro 50, 56–58, 6 (12–19, counted from 13). About
//! one random digit string in ten passes Luhn, so a column is judged on its share of
//! validated values (see [`super::report`]).

use super::checksum::luhn;
use super::shape::Shape;

fn prefix(c: &[u8], n: usize) -> u32 {
    c[..n].iter().fold(0, |v, &b| v * 10 + u32::from(b - b'0'))
}

/// True when the number's prefix is a listed issuer range that uses its length.
fn issuer_ok(c: &[u8]) -> bool {
    let len = c.len();
    let (p1, p2, p3, p4) = (prefix(c, 1), prefix(c, 2), prefix(c, 3), prefix(c, 4));
    match p1 {
        4 => matches!(len, 13 | 16 | 19),
        2 => (2221..=2720).contains(&p4) && len == 16,
        5 => ((51..=55).contains(&p2) && len == 16) || matches!(p2, 50 | 56..=58),
        3 => {
            (matches!(p2, 34 | 37) && len == 15)
                || ((3528..=3589).contains(&p4) && len >= 16)
                || (((300..=305).contains(&p3) || matches!(p2, 36 | 38 | 39)) && len >= 14)
        }
        // Discover (6011, 644–649, 65) and UnionPay (62) use 16–19 digits, Maestro every
        // other 6 prefix 12–19: with 13–19 digits any 6 prefix is some issuer's.
        6 => true,
        _ => false,
    }
}

/// Whether `s` is shaped like a card number and whether it validates.
pub fn payment_card(s: &Shape) -> (bool, bool) {
    if !s.digits_only() || !(13..=19).contains(&s.digits) {
        return (false, false);
    }
    let g = s.groups();
    let grouped = s.bare()
        || (g.len() >= 4 && g[..g.len() - 1].iter().all(|&x| x == 4) && (1..=4).contains(&g[g.len() - 1]))
        || g == [4, 6, 5]
        || g == [4, 6, 4];
    let seps = s.seps();
    let seps_ok = s.paren_group().is_none() && seps[1..].iter().all(|&c| (c == b' ' || c == b'-') && c == seps[1]);
    if !grouped || (!s.bare() && !seps_ok) {
        return (false, false);
    }
    let c = s.compact();
    (true, issuer_ok(c) && luhn(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: &str) -> (bool, bool) {
        Shape::of(v.as_bytes()).map_or((false, false), |s| payment_card(&s))
    }

    #[test]
    fn issuers_groupings_and_luhn() {
        for v in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5500000000000004",
            "378282246310005",
            "3782 822463 10005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "2221000000000009",
        ] {
            assert_eq!(check(v), (true, true), "{v}");
        }
        // A 16-digit order number failing Luhn, one digit changed, two digits swapped.
        assert_eq!(check("1234567890123456"), (true, false));
        assert_eq!(check("4111111111111112"), (true, false));
        assert_eq!(check("4111111111111121"), (true, false));
        // Luhn-valid but no issuer uses the prefix / the length.
        assert_eq!(check("9111111111111111"), (true, false));
        assert_eq!(check("37828224631000"), (true, false)); // American Express has 15 digits
                                                            // Not card-shaped.
        assert_eq!(check("4111 111111111111 1"), (false, false));
        assert_eq!(check("411111111111"), (false, false));
        assert_eq!(check("4111 1111-1111 1111"), (false, false));
    }
}
