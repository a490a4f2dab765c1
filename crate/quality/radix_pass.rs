//! The first pass and the probes of exact quantiles as an analysis: the engine's
//! [`Accumulator`] over [`RadixAcc`] (the radix selection itself is a sketch, which reads
//! values, not batches).

use crate::accumulator::Accumulator;
use crate::error::Result;
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::quantile::{Probe, RadixAcc, Tally};

/// The finite numbers among a column's cells.
#[inline]
fn finite(cells: &[Cell]) -> impl Iterator<Item = f64> + '_ {
    cells.iter().filter_map(|cell| match *cell {
        Cell::Int(v) => Some(v as f64),
        Cell::Float(v) if v.is_finite() => Some(v),
        _ => None,
    })
}

impl Accumulator for RadixAcc {
    type Output = Vec<(Probe, Tally)>;

    fn update(&mut self, batch: &Batch) {
        self.add_columns(|c| finite(batch.column(c as usize)));
    }

    fn merge(&mut self, other: Self) -> Result<()> {
        RadixAcc::merge(self, other)
    }

    fn finish(self) -> Self::Output {
        RadixAcc::finish(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sketch::quantile::key;

    #[test]
    fn batch_update_equals_value_by_value() {
        let probes = vec![
            Probe { column: 0, len: 0, prefix: 0, collect: true, cap: 40, sketch: true },
            Probe { column: 1, len: 0, prefix: 0, collect: true, cap: 1000, sketch: false },
            Probe { column: 1, len: 12, prefix: key(3.5) >> 52, collect: false, cap: 0, sketch: false },
            Probe { column: 1, len: 12, prefix: key(3.5) >> 52, collect: true, cap: 1000, sketch: false },
        ];
        let mut batch = Batch::new(2);
        let (mut one, mut many) = (RadixAcc::new(probes.clone()), RadixAcc::new(probes));
        for i in 0..100i64 {
            let x = (i * 37 % 101) as f64 / 8.0 - 3.0;
            let cells = [
                if i % 7 == 0 { Cell::Missing(1) } else { Cell::Int(i * 1_000_003 - 50_000_000) },
                if i % 11 == 0 { Cell::Float(f64::INFINITY) } else { Cell::Float(x) },
            ];
            for (c, cell) in cells.into_iter().enumerate() {
                batch.push(c, cell);
                match cell {
                    Cell::Int(v) => many.add(c as u32, v as f64),
                    Cell::Float(v) if v.is_finite() => many.add(c as u32, v),
                    _ => {}
                }
            }
            batch.end_row();
        }
        Accumulator::update(&mut one, &batch);
        assert_eq!(one, many);
        assert!(one.tallies()[0].keys.is_none() && one.tallies()[1].keys.as_ref().is_some_and(|k| k.len() == 90));
    }
}
