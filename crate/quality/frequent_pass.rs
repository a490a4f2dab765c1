//! The planned pass of frequent values for string columns with more than
//! [`COUNT_CAP`] distinct values (`profile.quantile_passes` on). The main pass keeps a
//! Misra–Gries summary of such a column ([`crate::sketch::top_k`]); its candidates are a
//! superset of the values with more than `n / (COUNT_CAP + 1)` of the column's `n` valid
//! values, whatever the order of the rows and of the merges. This pass counts every
//! candidate exactly, and the report lists exactly the values above that share, so the
//! result does not depend on how the file was split.

use crate::ingest::batch::{Batch, Cell};
use crate::sketch::distinct::hash_str;
use crate::sketch::fast_hash::MixMap;
use crate::sketch::top_k::{ValueCount, COUNT_CAP};
use serde::{Deserialize, Serialize};

/// What the pass counts for one column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrequentProbe {
    /// Column index.
    pub column: u32,
    /// Valid values of the column in the main pass (`n`).
    pub valid: u64,
    /// Hashes ([`hash_str`]) of the candidates, sorted.
    pub hashes: Vec<u64>,
}

/// The values of one column holding more than `n / (COUNT_CAP + 1)` of its `n` valid
/// values, with exact counts, most frequent first (ties by value).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrequentValues {
    /// Column index.
    pub column: u32,
    /// The values and their exact counts.
    pub values: Vec<ValueCount>,
}

/// True when `count` of `valid` values is above the share every summary keeps.
pub fn above_threshold(count: u64, valid: u64) -> bool {
    u128::from(count) * (COUNT_CAP as u128 + 1) > u128::from(valid)
}

/// The accumulator of the pass.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrequentAcc {
    probes: Vec<FrequentProbe>,
    counts: Vec<MixMap<u64, (String, u64)>>,
}

impl FrequentAcc {
    /// Zero counts for `probes`.
    pub fn new(probes: Vec<FrequentProbe>) -> Self {
        let counts = probes.iter().map(|p| p.hashes.iter().map(|&h| (h, (String::new(), 0))).collect()).collect();
        FrequentAcc { probes, counts }
    }
}

impl crate::accumulator::Accumulator for FrequentAcc {
    type Output = Vec<FrequentValues>;

    fn update(&mut self, batch: &Batch) {
        for (p, counts) in self.probes.iter().zip(self.counts.iter_mut()) {
            for cell in batch.column(p.column as usize) {
                let Cell::Text(span) = *cell else { continue };
                let s = batch.text(span);
                if let Some(c) = counts.get_mut(&hash_str(s)) {
                    if c.1 == 0 {
                        c.0 = s.to_owned();
                    }
                    c.1 += 1;
                }
            }
        }
    }

    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        if other.probes != self.probes {
            return Err(crate::error::Error::state("frequent-value states count different columns"));
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            for (h, (v, c)) in b {
                if let Some(x) = a.get_mut(&h) {
                    if x.1 == 0 {
                        x.0 = v;
                    }
                    x.1 += c;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Self::Output {
        self.probes
            .into_iter()
            .zip(self.counts)
            .map(|(p, counts)| {
                let mut values: Vec<ValueCount> = counts
                    .into_values()
                    .filter(|(_, c)| above_threshold(*c, p.valid))
                    .map(|(value, count)| ValueCount { value, count })
                    .collect();
                values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                FrequentValues { column: p.column, values }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accumulator::Accumulator;

    #[test]
    fn threshold_is_strict() {
        assert!(!above_threshold(1, 10_001));
        assert!(above_threshold(2, 10_001));
        assert!(above_threshold(1, 10_000));
        assert!(!above_threshold(0, 0));
    }

    fn batch(values: &[&str]) -> Batch {
        let mut b = Batch::new(1);
        for v in values {
            let span = b.push_text(v);
            b.push(0, Cell::Text(span));
            b.end_row();
        }
        b.push(0, Cell::Missing(0));
        b.end_row();
        b
    }

    #[test]
    fn counts_candidates_only_and_merges_by_adding() {
        let rows = ["x", "y", "x", "z", "x", "y"];
        let probe = FrequentProbe { column: 0, valid: 6, hashes: vec![hash_str("x"), hash_str("y")] };
        let mut whole = FrequentAcc::new(vec![probe.clone()]);
        whole.update(&batch(&rows));
        let (mut a, mut b) = (FrequentAcc::new(vec![probe.clone()]), FrequentAcc::new(vec![probe]));
        a.update(&batch(&rows[..3]));
        b.update(&batch(&rows[3..]));
        b.merge(a).expect("merge");
        let got = whole.finish();
        assert_eq!(got, b.finish());
        let v: Vec<(&str, u64)> = got[0].values.iter().map(|v| (v.value.as_str(), v.count)).collect();
        assert_eq!(v, [("x", 3), ("y", 2)], "z is not a candidate");
        let other = FrequentAcc::new(vec![FrequentProbe { column: 0, valid: 6, hashes: vec![1] }]);
        assert!(FrequentAcc::new(Vec::new()).merge(other).is_err());
    }
}
