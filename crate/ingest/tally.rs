//! Per-batch counts of value codes ([`crate::ingest::dict`]): the column statistics that
//! count values (top values, distinct counts, personal-data detection of categorical
//! columns) add each distinct value of a batch once, with its count, instead of hashing its
//! text in every row.
//!
//! [`CodeTally::count`] walks one column's codes once (an array increment per row) and
//! lists every value code of the batch with its count and the first row that holds it (to
//! read the value's text once, when an analysis first meets it). Cells with no code of
//! their own — no value ([`NO_VALUE`]: missing or unparseable) or past the dictionary's cap
//! ([`UNCODED`]) — are counted apart, for the caller to read cell by cell.

use super::dict::{FIRST_CODE, NO_VALUE, UNCODED};

/// One value code of a batch: its count and its first row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeCount {
    /// The code (at least [`FIRST_CODE`]).
    pub code: u32,
    /// Rows of the batch with this code.
    pub n: u32,
    /// The first such row.
    pub first: u32,
}

/// A reusable tally of one column's codes (a cache: holds nothing between batches).
#[derive(Clone, Debug, Default)]
pub struct CodeTally {
    /// Index into `seen` + 1 by code (0: not seen in this batch).
    at: Vec<u32>,
    seen: Vec<CodeCount>,
    /// Rows whose code is [`NO_VALUE`] or [`UNCODED`].
    other: u32,
}

impl CodeTally {
    /// Counts `codes` (one batch of one column). Returns the value codes in order of first
    /// row, each with its count, and the number of rows with no code of their own
    /// ([`NO_VALUE`] or [`UNCODED`]: read those cells themselves).
    pub fn count(&mut self, codes: &[u32]) -> (&[CodeCount], u32) {
        self.tally(codes);
        (&self.seen, self.other)
    }

    /// [`CodeTally::count`], with the value codes handed over (the tally keeps its
    /// scratch array for the next column).
    pub fn count_owned(&mut self, codes: &[u32]) -> (Vec<CodeCount>, u32) {
        self.tally(codes);
        let seen = self.seen.clone();
        (seen, self.other)
    }

    fn tally(&mut self, codes: &[u32]) {
        for c in &self.seen {
            if let Some(a) = self.at.get_mut(c.code as usize) {
                *a = 0;
            }
        }
        self.seen.clear();
        self.other = 0;
        for (r, &code) in codes.iter().enumerate() {
            if code < FIRST_CODE {
                debug_assert!(code == NO_VALUE || code == UNCODED);
                self.other += 1;
                continue;
            }
            let i = code as usize;
            if i >= self.at.len() {
                self.at.resize(i + 1, 0);
            }
            match self.at[i] {
                0 => {
                    self.seen.push(CodeCount { code, n: 1, first: r as u32 });
                    self.at[i] = self.seen.len() as u32;
                }
                k => self.seen[k as usize - 1].n += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_code_once_in_order_of_first_row() {
        let mut t = CodeTally::default();
        let (seen, other) = t.count(&[5, 2, 5, 0, 1, 5, 9]);
        let got: Vec<(u32, u32, u32)> = seen.iter().map(|c| (c.code, c.n, c.first)).collect();
        assert_eq!(got, [(5, 3, 0), (2, 1, 1), (9, 1, 6)]);
        assert_eq!(other, 2);
        // The next batch starts from nothing.
        let (seen, other) = t.count(&[2, 2]);
        assert_eq!(seen, &[CodeCount { code: 2, n: 2, first: 0 }]);
        assert_eq!(other, 0);
    }
}
