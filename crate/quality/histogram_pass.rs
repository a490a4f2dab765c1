//! The planned pass of histograms and outlier counts for numeric columns whose values did
//! not fit in memory (`profile.quantile_passes` on): once the quantile search has found
//! the exact p25, p50 and p75 and the MAD search the exact MAD
//! ([`crate::quality::quantiles`]), one more pass counts each value's bin (edges from the
//! exact min and max of the first pass), the values outside the Tukey fences, the robust-z
//! outliers and the values equal to the median (near-constant check). Integer counts
//! only, so the result does not depend on how the file was split.

use super::histogram::{bin_of, robust_z_defined, robust_z_outlier, Histogram};
use crate::ingest::batch::{Batch, Cell};
use serde::{Deserialize, Serialize};

/// What the pass counts for one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapeProbe {
    /// Column index.
    pub column: u32,
    /// Histogram edges (at least two; none when the range max − min overflows).
    pub edges: Vec<f64>,
    /// Q1 − 1.5·IQR.
    pub low_fence: f64,
    /// Q3 + 1.5·IQR.
    pub high_fence: f64,
    /// The exact median.
    #[serde(default)]
    pub median: f64,
    /// The exact MAD (`None` when not known).
    #[serde(default)]
    pub mad: Option<f64>,
}

/// Counts of one probe.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShapeCounts {
    /// Per bin.
    pub bins: Vec<u64>,
    /// Outside the fences.
    pub outside: u64,
    /// Robust-z outliers (0 when the MAD is unknown or 0).
    #[serde(default)]
    pub robust: u64,
    /// Equal to the median.
    #[serde(default)]
    pub at_median: u64,
}

/// The accumulator of the pass.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShapeAcc {
    probes: Vec<ShapeProbe>,
    counts: Vec<ShapeCounts>,
}

impl ShapeAcc {
    /// Empty counts for `probes`.
    pub fn new(probes: Vec<ShapeProbe>) -> Self {
        let counts = probes
            .iter()
            .map(|p| ShapeCounts { bins: vec![0; p.edges.len().saturating_sub(1)], ..ShapeCounts::default() })
            .collect();
        ShapeAcc { probes, counts }
    }
}

impl crate::accumulator::Accumulator for ShapeAcc {
    type Output = Vec<(ShapeProbe, ShapeCounts)>;

    fn update(&mut self, batch: &Batch) {
        for (p, c) in self.probes.iter().zip(self.counts.iter_mut()) {
            let mad = p.mad.filter(|&m| robust_z_defined(m));
            let bins = !c.bins.is_empty();
            for cell in batch.column(p.column as usize) {
                let x = match *cell {
                    Cell::Int(v) => v as f64,
                    Cell::Float(v) if v.is_finite() => v,
                    _ => continue,
                };
                if bins {
                    c.bins[bin_of(&p.edges, x)] += 1;
                }
                c.outside += u64::from(x < p.low_fence || x > p.high_fence);
                c.at_median += u64::from(x == p.median);
                if let Some(mad) = mad {
                    c.robust += u64::from(robust_z_outlier(x, p.median, mad));
                }
            }
        }
    }

    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        if other.probes != self.probes {
            return Err(crate::error::Error::state("histogram states count different columns"));
        }
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            a.bins.iter_mut().zip(b.bins).for_each(|(x, y)| *x += y);
            a.outside += b.outside;
            a.robust += b.robust;
            a.at_median += b.at_median;
        }
        Ok(())
    }

    fn finish(self) -> Self::Output {
        self.probes.into_iter().zip(self.counts).collect()
    }
}

/// The histogram of a finished probe.
pub fn histogram_of(p: &ShapeProbe, c: &ShapeCounts) -> Histogram {
    Histogram { edges: p.edges.clone(), counts: c.bins.clone(), exact: true }
}
