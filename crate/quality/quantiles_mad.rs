//! The exact MAD of columns searched over extra passes: once the quantile search knows the
//! exact median `m`, the same radix selection ([`crate::sketch::quantile::RadixAcc`]) runs
//! over the keys of the deviations `|x − m|` (computed in floating point, as the in-memory
//! path computes them), pass after pass, until the order statistics at ranks
//! `⌊(n − 1)/2⌋` and `⌈(n − 1)/2⌉` are known; the MAD is their numpy "linear" midpoint.
//! Deviations are ≥ 0, so the first pass resolves their exponent; a further pass resolves
//! 12 mantissa bits or collects a bin of at most 4,096 values: typically two or three
//! passes, at most six. The robust-z count itself is made by the histogram pass
//! ([`crate::quality::histogram_pass`]), which waits for the MAD.

use super::{lerp, ranks, QuantileSearch, Target};
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::quantile::{value_of, Probe, RadixAcc, Tally};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The numpy "linear" median of sorted values (`None` without values).
pub(crate) fn median_of(sorted: &[f64]) -> Option<f64> {
    let (lo, hi, t) = ranks(sorted.len() as u64, 0.5);
    Some(lerp(*sorted.get(lo as usize)?, *sorted.get(hi as usize)?, t))
}

/// The search for the MAD of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MadSearch {
    median: f64,
    n: u64,
    targets: Vec<Target>,
}

impl MadSearch {
    fn new(median: f64, n: u64) -> Self {
        let (lo, hi, _) = ranks(n, 0.5);
        let mut wanted = vec![lo, hi];
        wanted.dedup();
        MadSearch { median, n, targets: wanted.into_iter().map(|r| Target::new(r, n)).collect() }
    }

    fn probes(&self, column: u32) -> impl Iterator<Item = Probe> + '_ {
        self.targets.iter().filter(|t| t.key.is_none()).map(move |t| t.probe(column))
    }

    /// The exact MAD, once both order statistics are known.
    pub fn mad(&self) -> Option<f64> {
        let (lo, hi, t) = ranks(self.n, 0.5);
        let at = |rank: u64| self.targets.iter().find(|g| g.rank == rank).and_then(|g| g.key).map(value_of);
        Some(lerp(at(lo)?, at(hi)?, t))
    }
}

/// What a deviation pass tallies: the medians of the columns and the radix probes over the
/// keys of `|x − m|`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviationSpec {
    /// `(column, exact median)`, sorted by column.
    pub medians: Vec<(u32, f64)>,
    /// Probes over the deviations' keys.
    pub probes: Vec<Probe>,
}

/// The accumulator of a deviation pass: a [`RadixAcc`] fed with `|x − m|`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviationAcc {
    medians: Vec<(u32, f64)>,
    radix: RadixAcc,
}

impl DeviationAcc {
    /// Empty tallies for `spec`.
    pub fn new(spec: &DeviationSpec) -> Self {
        DeviationAcc { medians: spec.medians.clone(), radix: RadixAcc::new(spec.probes.clone()) }
    }
}

impl crate::accumulator::Accumulator for DeviationAcc {
    type Output = Vec<(Probe, Tally)>;

    fn update(&mut self, batch: &Batch) {
        for &(column, m) in &self.medians {
            for cell in batch.column(column as usize) {
                let x = match *cell {
                    Cell::Int(v) => v as f64,
                    Cell::Float(v) if v.is_finite() => v,
                    _ => continue,
                };
                self.radix.add(column, (x - m).abs());
            }
        }
    }

    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        if other.medians != self.medians {
            return Err(crate::error::Error::state("deviation states use different medians"));
        }
        self.radix.merge(other.radix)
    }

    fn finish(self) -> Self::Output {
        self.radix.finish()
    }
}

impl QuantileSearch {
    /// Starts the MAD searches once every quantile is known (idempotent).
    fn mad_searches(&self) -> BTreeMap<u32, MadSearch> {
        self.pending
            .keys()
            .filter_map(|&c| {
                let n = self.columns.get(&c).map(|(n, _)| *n)?;
                let m = self.result(c)?.iter().find(|p| p.q == 0.5)?.value;
                Some((c, MadSearch::new(m, n)))
            })
            .collect()
    }

    /// The next deviation pass, once every quantile is known and while a MAD is unknown.
    pub fn deviation_pass(&self) -> Option<DeviationSpec> {
        if self.shape_pass_done || !self.probes().is_empty() {
            return None;
        }
        let started;
        let searches = match &self.mad {
            Some(s) => s,
            None => {
                started = self.mad_searches();
                &started
            }
        };
        let mut spec = DeviationSpec { medians: Vec::new(), probes: Vec::new() };
        for (&c, s) in searches {
            let before = spec.probes.len();
            spec.probes.extend(s.probes(c));
            if spec.probes.len() > before {
                spec.medians.push((c, s.median));
            }
        }
        spec.probes.sort();
        spec.probes.dedup();
        (!spec.probes.is_empty()).then_some(spec)
    }

    /// Absorbs the tallies of a deviation pass.
    pub fn absorb_deviations(&mut self, mut tallies: Vec<(Probe, Tally)>) {
        for (_, t) in tallies.iter_mut() {
            if let Some(k) = t.keys.as_mut() {
                k.sort_unstable();
            }
        }
        let mut searches = match self.mad.take() {
            Some(s) => s,
            None => self.mad_searches(),
        };
        for (&c, s) in searches.iter_mut() {
            for t in s.targets.iter_mut().filter(|t| t.key.is_none()) {
                let want = t.probe(c);
                if let Some((_, tally)) = tallies.iter().find(|(p, _)| *p == want) {
                    t.resolve(tally);
                }
            }
        }
        self.mad = Some(searches);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accumulator::Accumulator;
    use crate::ingest::batch::Batch;
    use crate::quality::histogram_pass::ShapeAcc;
    use crate::quality::quantiles::Shape;

    /// Batches of one column holding `cells`, cut every `every` rows.
    fn batches(cells: &[Cell], every: usize) -> Vec<Batch> {
        cells
            .chunks(every)
            .map(|chunk| {
                let mut b = Batch::new(1);
                for &c in chunk {
                    b.push(0, c);
                    b.end_row();
                }
                b
            })
            .collect()
    }

    /// Runs every pass over `cells` with `cap` keys in memory; the shape and the passes made.
    fn run(cells: &[Cell], cap: u64) -> (Shape, u32) {
        let bs = batches(cells, 997);
        let tally = |mut acc: RadixAcc| {
            bs.iter().for_each(|b| acc.update(b));
            acc.finish()
        };
        let first = vec![Probe { column: 0, len: 0, prefix: 0, collect: true, cap, sketch: false }];
        let mut s = QuantileSearch::start(tally(RadixAcc::new(first)), true);
        let mut passes = 1;
        loop {
            let p = s.probes();
            if !p.is_empty() {
                s.absorb(tally(RadixAcc::new(p)));
            } else if let Some(d) = s.deviation_pass() {
                // Split in two parts and merged, as the workers do.
                let (mut a, mut b) = (DeviationAcc::new(&d), DeviationAcc::new(&d));
                bs.iter().enumerate().for_each(|(i, x)| if i % 2 == 0 { a.update(x) } else { b.update(x) });
                b.merge(a).unwrap();
                s.absorb_deviations(b.finish());
            } else {
                let shapes = s.shape_probes();
                if shapes.is_empty() {
                    break;
                }
                let mut acc = ShapeAcc::new(shapes);
                bs.iter().for_each(|b| acc.update(b));
                s.absorb_shapes(acc.finish());
            }
            passes += 1;
        }
        (s.shape(0).cloned().unwrap(), passes)
    }

    fn same(cells: &[Cell]) -> u32 {
        let (memory, one) = run(cells, u64::MAX);
        assert_eq!(one, 1);
        let (passes, made) = run(cells, 3);
        assert_eq!(passes, memory, "{cells:?}");
        made
    }

    #[test]
    fn planned_mad_equals_in_memory() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mixed: Vec<Cell> = (0..20_000)
            .map(|i| match i % 6 {
                0 => Cell::Float(42.0),
                1 => Cell::Int((next() % 200) as i64 - 100),
                2 => Cell::Float(-((next() % 100_000) as f64) * 1e-3),
                3 => Cell::Float(f64::INFINITY),
                4 => Cell::Missing(1),
                _ => Cell::Float((next() >> 11) as f64 / (1u64 << 53) as f64 * 1e6),
            })
            .collect();
        let made = same(&mixed);
        assert!(made >= 4, "{made}");
        // All equal, MAD = 0 (more than half equal), heavy ties, negative values, ±inf.
        same(&[Cell::Float(7.5); 50]);
        let mostly: Vec<Cell> = (0..101).map(|i| Cell::Int(if i % 3 == 0 { i } else { 5 })).collect();
        same(&mostly);
        let ties: Vec<Cell> = (0..5000).map(|i| Cell::Int(i % 4 - 2)).collect();
        same(&ties);
        let neg: Vec<Cell> = (0..333).map(|i| Cell::Float(-1e300 + f64::from(i) * 1e297)).collect();
        same(&neg);
        let wide = [-f64::MAX, -1.0, 0.0, 1.0, f64::MAX, f64::NEG_INFINITY, 2.0].map(Cell::Float);
        same(&wide);
        let (shape, _) = run(&mostly, 3);
        assert_eq!(shape.at_median, 67);
        assert!(shape.outliers.unwrap().robust_z.is_none());
    }
}
