//! Cell hashes ([`cell_hash`]; see [`super`]), from a cell or straight from a column's
//! typed slices ([`stored_hash`], [`hash_column`]).

use super::{mix, number, BOOL, DATE, DATETIME, INT, MISSING};
use crate::ingest::batch::column::{self, status};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::NO_VALUE;
use crate::ingest::keys::CodeMemo;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Hash of a cell's typed value (see the module documentation).
#[inline(always)]
pub fn cell_hash(batch: &Batch, cell: Cell) -> u64 {
    let (s, v) = column::encode(cell);
    stored_hash(batch, s, v)
}

/// [`cell_hash`] of a cell as the batch stores it (status byte and payload,
/// [`crate::ingest::batch::column`]): read straight from a column's slices.
#[inline(always)]
pub fn stored_hash(batch: &Batch, s: u8, v: u64) -> u64 {
    match s & 7 {
        status::MISSING => MISSING,
        // Integers that a double holds exactly hash as that double, so 1 = 1.0.
        status::INT if (v as i64).unsigned_abs() <= 1 << 53 => number(v as i64 as f64),
        status::INT => mix(v ^ INT),
        status::FLOAT => number(f64::from_bits(v)),
        status::BOOL => mix(u64::from(v != 0) ^ BOOL),
        status::DATE => mix(v ^ DATE),
        status::DATETIME => mix(v ^ DATETIME),
        _ => match column::decode(s, v) {
            Cell::Text(span) | Cell::Invalid(span) => xxh3_64_with_seed(batch.text(span).as_bytes(), 5),
            _ => MISSING,
        },
    }
}

/// Appends the `n` cell hashes of column `c` of `batch` to `out` (a missing column or row
/// counts as 0) and returns them. Where an analysis made the column's value codes, each
/// value is hashed once (`memo`; a code is one value, so the same hash).
#[inline]
pub fn hash_column<'a>(
    batch: &Batch,
    c: usize,
    n: usize,
    out: &'a mut Vec<u64>,
    memo: &mut CodeMemo<u64>,
) -> &'a [u64] {
    let start = out.len();
    let col = batch.column(c).take(n);
    let cells = col.status().iter().zip(col.values());
    match batch.codes_if_made(c) {
        Some(codes) => {
            memo.sync(batch.dict_id(c));
            out.extend(cells.zip(codes).map(|((&s, &v), &k)| match k {
                NO_VALUE => stored_hash(batch, s, v),
                k => memo.get(k, || stored_hash(batch, s, v)),
            }));
        }
        None => out.extend(cells.map(|(&s, &v)| stored_hash(batch, s, v))),
    }
    out.resize(start + n, 0);
    &out[start..]
}
