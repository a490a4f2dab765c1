//! The shape of a short value: its ASCII letters and digits split into groups by
//! separators (`12 34-5`, `(030) 1234567`, `GB82 WEST …`). Every identifier detector
//! reads a [`Shape`]: the compact characters (upper-cased), the group lengths and the
//! separator before each group. Built on the stack, no allocation.

/// Most letters and digits a shape holds (an IBAN has at most 34, a phone number with
/// its `00` prefix 17).
pub const MAX_ALNUM: usize = 40;
/// Most groups a shape holds.
pub const MAX_GROUPS: usize = 12;

/// A value as groups of ASCII letters and digits.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    buf: [u8; MAX_ALNUM],
    len: u8,
    groups: [u8; MAX_GROUPS],
    seps: [u8; MAX_GROUPS],
    ngroups: u8,
    /// 1 + the index of the group in parentheses, 0 for none.
    paren: u8,
    /// The value starts with `+`.
    pub plus: bool,
    /// Digits in the value.
    pub digits: u8,
    /// ASCII letters in the value.
    pub letters: u8,
}

/// A separator character between groups.
#[inline]
fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'/' | b':' | b'(' | b')' | b'+')
}

impl Shape {
    /// The shape of `s` (surrounding ASCII white space ignored), or `None` when `s` holds
    /// another character, a run of more than three separators, unbalanced parentheses
    /// around anything but one group, or more than [`MAX_ALNUM`] letters and digits.
    pub fn of(s: &[u8]) -> Option<Shape> {
        let s = s.trim_ascii();
        let mut sh = Shape {
            buf: [0; MAX_ALNUM],
            len: 0,
            groups: [0; MAX_GROUPS],
            seps: [0; MAX_GROUPS],
            ngroups: 0,
            paren: 0,
            plus: false,
            digits: 0,
            letters: 0,
        };
        let mut i = 0;
        if s.first() == Some(&b'+') {
            sh.plus = true;
            i = 1;
        }
        // Parentheses: 0 none, 1 opened (group pending), 2 inside the group, 3 closed.
        let (mut run_len, mut run_code, mut paren) = (0usize, 0u8, 0u8);
        let mut cur = 0u8;
        while i < s.len() {
            let b = s[i];
            i += 1;
            if b.is_ascii_alphanumeric() {
                if cur == 0 {
                    // A new group begins after the pending separator run.
                    if sh.ngroups as usize >= MAX_GROUPS {
                        return None;
                    }
                    if paren == 1 {
                        sh.paren = sh.ngroups + 1;
                        paren = 2;
                    }
                    sh.seps[sh.ngroups as usize] = if sh.ngroups == 0 { 0 } else { run_code.max(b' ') };
                    sh.ngroups += 1;
                    (run_len, run_code) = (0, 0);
                }
                if sh.len as usize >= MAX_ALNUM {
                    return None;
                }
                sh.buf[sh.len as usize] = b.to_ascii_uppercase();
                sh.len += 1;
                cur += 1;
                if b.is_ascii_digit() {
                    sh.digits += 1;
                } else {
                    sh.letters += 1;
                }
                sh.groups[sh.ngroups as usize - 1] = cur;
            } else if is_sep(b) {
                cur = 0;
                run_len += 1;
                if run_len > 3 {
                    return None;
                }
                match b {
                    b'(' if paren == 0 => paren = 1,
                    b')' if paren == 2 && sh.paren == sh.ngroups && run_len == 1 => paren = 3,
                    b'(' | b')' => return None,
                    b' ' => {}
                    _ if run_code == 0 => run_code = b,
                    _ => return None, // two non-space separators between groups
                }
            } else {
                return None;
            }
        }
        // A value ends with a group, or with the parenthesis closing its last group.
        let ends_ok = run_len == 0 || (run_len == 1 && paren == 3 && sh.paren == sh.ngroups);
        if sh.ngroups == 0 || !ends_ok || paren == 1 || paren == 2 {
            return None;
        }
        Some(sh)
    }

    /// The shape of a non-negative integer's decimal digits (one group).
    pub fn of_u64(mut v: u64) -> Shape {
        let mut digits = [0u8; 20];
        let mut n = 0;
        loop {
            digits[19 - n] = b'0' + (v % 10) as u8;
            n += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        let mut sh = Shape {
            buf: [0; MAX_ALNUM],
            len: n as u8,
            groups: [0; MAX_GROUPS],
            seps: [0; MAX_GROUPS],
            ngroups: 1,
            paren: 0,
            plus: false,
            digits: n as u8,
            letters: 0,
        };
        sh.buf[..n].copy_from_slice(&digits[20 - n..]);
        sh.groups[0] = n as u8;
        sh
    }

    /// The letters and digits, upper-cased.
    #[inline]
    pub fn compact(&self) -> &[u8] {
        &self.buf[..self.len as usize]
    }
    /// The group lengths.
    #[inline]
    pub fn groups(&self) -> &[u8] {
        &self.groups[..self.ngroups as usize]
    }
    /// The separator before each group (`0` before the first; `' '`, `-`, `.`, `/`, `:`, `+`;
    /// `' '` also for a run of spaces and parentheses, the non-space character otherwise).
    #[inline]
    pub fn seps(&self) -> &[u8] {
        &self.seps[..self.ngroups as usize]
    }
    /// The index of the group in parentheses.
    #[inline]
    pub fn paren_group(&self) -> Option<usize> {
        (self.paren > 0).then(|| self.paren as usize - 1)
    }
    /// True when the value is digits only (no letters, no `+`).
    #[inline]
    pub fn digits_only(&self) -> bool {
        self.letters == 0 && !self.plus
    }
    /// True when the groups are exactly `g` and every separator is one of `allowed` and
    /// all of them are the same character; no parentheses.
    pub fn grouped(&self, g: &[u8], allowed: &[u8]) -> bool {
        if self.groups() != g || self.paren != 0 {
            return false;
        }
        let seps = &self.seps()[1.min(self.seps().len())..];
        seps.iter().all(|s| allowed.contains(s) && *s == seps[0])
    }
    /// True for a single group (no separators).
    #[inline]
    pub fn bare(&self) -> bool {
        self.ngroups == 1 && self.paren == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_separators() {
        let s = Shape::of(b" 536-90-4399 ").unwrap();
        assert_eq!((s.compact(), s.groups(), s.seps()), (&b"536904399"[..], &[3u8, 2, 4][..], &[0u8, b'-', b'-'][..]));
        assert!(s.grouped(&[3, 2, 4], b"- "));
        assert!(!s.grouped(&[3, 2, 4], b" "));
        let s = Shape::of(b"(212) 555-0100").unwrap();
        assert_eq!((s.groups(), s.paren_group(), s.seps()), (&[3u8, 3, 4][..], Some(0), &[0u8, b' ', b'-'][..]));
        let s = Shape::of(b"+44 (0)20 7946 0958").unwrap();
        assert!(s.plus);
        assert_eq!((s.groups(), s.paren_group()), (&[2u8, 1, 2, 4, 4][..], Some(1)));
        let s = Shape::of(b"gb82 west 1234").unwrap();
        assert_eq!((s.compact(), s.letters, s.digits), (&b"GB82WEST1234"[..], 6, 6));
        assert_eq!(Shape::of_u64(4_111_111_111_111_111).compact(), b"4111111111111111");
        assert_eq!(Shape::of_u64(0).compact(), b"0");
        for bad in [&b"a@b"[..], b"1--2--3", b"12 -/ 3", b"(12", b"12)", b"1-2-", b"", b"(1)(2)", b"1 ,2"] {
            assert!(Shape::of(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
        assert!(Shape::of(&[b'1'; 41]).is_none());
    }
}
