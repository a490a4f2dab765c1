//! Typed column storage: one status byte and one 8-byte payload per cell (9 bytes a cell
//! instead of a 16-byte [`Cell`]), so that a numeric column's values are a flat `&[u64]`
//! read with its statuses.
//!
//! | status            | payload                                  |
//! |-------------------|------------------------------------------|
//! | [`status::INT`]      | the `i64`, as its two's-complement bits  |
//! | [`status::FLOAT`]    | the `f64`'s bits ([`f64::to_bits`])      |
//! | [`status::BOOL`]     | 0 or 1                                   |
//! | [`status::DATE`]     | days since 1970-01-01, as `i64` bits     |
//! | [`status::DATETIME`] | seconds since the epoch, as `i64` bits   |
//! | [`status::TEXT`]     | the span, `start << 32 \| len`           |
//! | [`status::INVALID`]  | the span, `start << 32 \| len`           |
//! | [`status::MISSING`]  | the missing code                         |

use super::{Cell, Span};

/// The status byte of each kind of cell (which [`Cell`] variant the payload holds), in
/// the order of [`Cell`]'s variants.
pub mod status {
    /// [`super::Cell::Missing`].
    pub const MISSING: u8 = 0;
    /// [`super::Cell::Int`].
    pub const INT: u8 = 1;
    /// [`super::Cell::Float`].
    pub const FLOAT: u8 = 2;
    /// [`super::Cell::Bool`].
    pub const BOOL: u8 = 3;
    /// [`super::Cell::Date`].
    pub const DATE: u8 = 4;
    /// [`super::Cell::Datetime`].
    pub const DATETIME: u8 = 5;
    /// [`super::Cell::Text`].
    pub const TEXT: u8 = 6;
    /// [`super::Cell::Invalid`].
    pub const INVALID: u8 = 7;
}

/// A cell as its status byte and payload.
#[inline(always)]
pub fn encode(cell: Cell) -> (u8, u64) {
    let span = |s: Span| u64::from(s.start) << 32 | u64::from(s.len);
    match cell {
        Cell::Int(v) => (status::INT, v as u64),
        Cell::Float(v) => (status::FLOAT, v.to_bits()),
        Cell::Bool(b) => (status::BOOL, u64::from(b)),
        Cell::Date(v) => (status::DATE, v as u64),
        Cell::Datetime(v) => (status::DATETIME, v as u64),
        Cell::Text(s) => (status::TEXT, span(s)),
        Cell::Invalid(s) => (status::INVALID, span(s)),
        Cell::Missing(code) => (status::MISSING, u64::from(code)),
    }
}

/// The cell a status byte and payload stand for ([`encode`] backwards). Only [`encode`]
/// writes statuses (a byte it never writes is read modulo 8).
#[inline(always)]
pub fn decode(status: u8, v: u64) -> Cell {
    let span = || Span { start: (v >> 32) as u32, len: v as u32 };
    match status & 7 {
        status::MISSING => Cell::Missing(v as u8),
        status::INT => Cell::Int(v as i64),
        status::FLOAT => Cell::Float(f64::from_bits(v)),
        status::BOOL => Cell::Bool(v != 0),
        status::DATE => Cell::Date(v as i64),
        status::DATETIME => Cell::Datetime(v as i64),
        status::TEXT => Cell::Text(span()),
        _ => Cell::Invalid(span()),
    }
}

/// The cells of one column of a batch, as written: statuses and payloads. The two
/// vectors always have the same length, at least `len` (the batch's rows): they are
/// allocated and zeroed for a whole batch up front and then overwritten in place, so a
/// push checks one length instead of growing two vectors; only [`ColumnBuf::push`] and
/// [`ColumnBuf::clear`] change them.
#[derive(Clone, Debug, Default)]
pub struct ColumnBuf {
    status: Vec<u8>,
    values: Vec<u64>,
    len: usize,
}

impl ColumnBuf {
    /// An empty column with room for `cap` cells.
    pub fn with_capacity(cap: usize) -> Self {
        ColumnBuf { status: vec![status::MISSING; cap], values: vec![0; cap], len: 0 }
    }
    /// Appends a cell.
    #[inline(always)]
    pub fn push(&mut self, cell: Cell) {
        let (s, v) = encode(cell);
        let n = self.len;
        match (self.status.get_mut(n), self.values.get_mut(n)) {
            (Some(ps), Some(pv)) => (*ps, *pv) = (s, v),
            // Past the room made up front (both vectors are `n` long): grow both.
            _ => {
                self.status.push(s);
                self.values.push(v);
            }
        }
        self.len = n + 1;
    }
    /// Number of cells.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }
    /// True when the column has no cells.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Empties the column, keeping its allocations.
    pub fn clear(&mut self) {
        self.len = 0;
    }
    /// The column as a borrowed view.
    #[inline]
    pub fn view(&self) -> Col<'_> {
        let n = self.len;
        Col { status: self.status.get(..n).unwrap_or_default(), values: self.values.get(..n).unwrap_or_default() }
    }
}

/// A borrowed column of a batch ([`crate::ingest::batch::Batch::column`]): the status
/// byte and the payload of each cell ([`status`]), read as [`Cell`]s or as raw slices.
#[derive(Clone, Copy, Debug, Default)]
pub struct Col<'a> {
    status: &'a [u8],
    values: &'a [u64],
}

impl<'a> Col<'a> {
    /// A view of statuses and payloads (cut to the shorter, which they never are).
    #[inline]
    pub fn new(status: &'a [u8], values: &'a [u64]) -> Self {
        let n = status.len().min(values.len());
        Col { status: &status[..n], values: &values[..n] }
    }
    /// Number of cells.
    #[inline]
    pub fn len(&self) -> usize {
        self.status.len()
    }
    /// True when the column has no cells.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }
    /// The cell of row `r`, if the column has one.
    #[inline]
    pub fn get(&self, r: usize) -> Option<Cell> {
        Some(decode(*self.status.get(r)?, *self.values.get(r)?))
    }
    /// The cells, in row order. A mapped zip of the two slices, so that the standard
    /// library's trusted-length paths apply (`Vec::extend` without a capacity check per
    /// cell, zips indexed in step); a `for` loop over the [`Col`] itself takes [`ColIter`].
    #[inline]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Cell> + DoubleEndedIterator + Clone + 'a {
        self.status.iter().zip(self.values).map(|(&s, &v)| decode(s, v))
    }
    /// The first `n` rows (all when `n` is past the end).
    #[inline]
    pub fn take(&self, n: usize) -> Col<'a> {
        let n = n.min(self.len());
        Col { status: &self.status[..n], values: &self.values[..n] }
    }
    /// The status byte of each cell ([`status`]).
    #[inline]
    pub fn status(&self) -> &'a [u8] {
        self.status
    }
    /// The payload of each cell ([`status`] says what it holds).
    #[inline]
    pub fn values(&self) -> &'a [u64] {
        self.values
    }
}

/// The cells of a [`Col`], decoded one by one.
#[derive(Clone, Debug)]
pub struct ColIter<'a>(std::iter::Zip<std::slice::Iter<'a, u8>, std::slice::Iter<'a, u64>>);

impl Iterator for ColIter<'_> {
    type Item = Cell;
    #[inline]
    fn next(&mut self) -> Option<Cell> {
        self.0.next().map(|(&s, &v)| decode(s, v))
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
    #[inline]
    fn fold<B, F: FnMut(B, Cell) -> B>(self, init: B, mut f: F) -> B {
        self.0.fold(init, |acc, (&s, &v)| f(acc, decode(s, v)))
    }
}

impl ExactSizeIterator for ColIter<'_> {}
impl std::iter::FusedIterator for ColIter<'_> {}
impl DoubleEndedIterator for ColIter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Cell> {
        self.0.next_back().map(|(&s, &v)| decode(s, v))
    }
}

impl<'a> IntoIterator for Col<'a> {
    type Item = Cell;
    type IntoIter = ColIter<'a>;
    #[inline]
    fn into_iter(self) -> ColIter<'a> {
        ColIter(self.status.iter().zip(self.values))
    }
}

impl<'a> IntoIterator for &Col<'a> {
    type Item = Cell;
    type IntoIter = ColIter<'a>;
    #[inline]
    fn into_iter(self) -> ColIter<'a> {
        ColIter(self.status.iter().zip(self.values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<Cell> {
        let span = |start, len| Span { start, len };
        vec![
            Cell::Missing(0),
            Cell::Missing(1),
            Cell::Missing(7),
            Cell::Missing(255),
            Cell::Int(0),
            Cell::Int(-1),
            Cell::Int(i64::MIN),
            Cell::Int(i64::MAX),
            Cell::Float(0.0),
            Cell::Float(-0.0),
            Cell::Float(f64::INFINITY),
            Cell::Float(f64::NEG_INFINITY),
            Cell::Float(f64::MIN_POSITIVE / 4.0), // subnormal
            Cell::Float(-f64::from_bits(1)),      // the smallest subnormal, negative
            Cell::Float(f64::MAX),
            Cell::Float(-2.5),
            Cell::Bool(true),
            Cell::Bool(false),
            Cell::Date(-719_162),
            Cell::Date(i64::MAX),
            Cell::Datetime(-1),
            Cell::Datetime(1_700_000_000),
            Cell::Text(span(0, 0)),
            Cell::Text(span(3, 5)),
            Cell::Text(span(u32::MAX, u32::MAX)),
            Cell::Invalid(span(0, 1)),
            Cell::Invalid(span(u32::MAX - 1, 7)),
        ]
    }

    /// Equal as stored: floats by their bits (so -0.0 is not 0.0).
    fn same(a: Cell, b: Cell) -> bool {
        match (a, b) {
            (Cell::Float(x), Cell::Float(y)) => x.to_bits() == y.to_bits(),
            _ => a == b,
        }
    }

    #[test]
    fn every_cell_roundtrips_through_push_get_and_iter() {
        let cells = every_kind();
        let mut col = ColumnBuf::with_capacity(2);
        for &c in &cells {
            col.push(c);
        }
        let view = col.view();
        assert_eq!(view.len(), cells.len());
        for (r, &c) in cells.iter().enumerate() {
            let got = view.get(r).unwrap();
            assert!(same(got, c), "row {r}: {got:?} != {c:?}");
        }
        assert!(view.get(cells.len()).is_none());
        let iterated: Vec<Cell> = view.iter().collect();
        assert_eq!(view.iter().len(), cells.len());
        assert!(iterated.iter().zip(&cells).all(|(&a, &b)| same(a, b)));
        let folded = view.iter().fold(Vec::new(), |mut v, c| {
            v.push(c);
            v
        });
        assert!(folded.iter().zip(&cells).all(|(&a, &b)| same(a, b)) && folded.len() == cells.len());
        let back: Vec<Cell> = view.iter().rev().collect();
        assert!(back.iter().rev().zip(&cells).all(|(&a, &b)| same(a, b)));
        // The raw slices: a float's payload is its bits, an integer's its two's complement.
        assert_eq!(view.status()[9], status::FLOAT);
        assert_eq!(view.values()[9], (-0.0f64).to_bits());
        assert_eq!(view.values()[5], u64::MAX);
        assert_eq!(view.status()[2], status::MISSING);
        assert_eq!(view.values()[2], 7);
    }

    #[test]
    fn statuses_and_payloads_stay_in_step() {
        let cells = every_kind();
        let mut col = ColumnBuf::default();
        // A mixed sequence, pushed in a scrambled order: every push adds exactly one
        // status and one payload, and row r reads back the r-th push.
        let order: Vec<usize> = (0..cells.len() * 3).map(|i| (i * 7 + 3) % cells.len()).collect();
        for (n, &i) in order.iter().enumerate() {
            col.push(cells[i]);
            assert_eq!((col.len(), col.view().status().len(), col.view().values().len()), (n + 1, n + 1, n + 1));
            assert!(same(col.view().get(n).unwrap(), cells[i]));
        }
        let view = col.view();
        for (r, &i) in order.iter().enumerate() {
            assert!(same(view.get(r).unwrap(), cells[i]), "row {r}");
        }
        assert_eq!(view.take(4).len(), 4);
        assert_eq!(view.take(usize::MAX).len(), order.len());
        let cap = (col.status.capacity(), col.values.capacity());
        col.clear();
        assert!(col.is_empty() && col.view().is_empty() && col.view().iter().next().is_none());
        assert_eq!((col.status.capacity(), col.values.capacity()), cap, "clear keeps allocations");
        // Refilled after a clear, in the room made before: the old cells are not read.
        col.push(Cell::Int(-4));
        col.push(Cell::Missing(3));
        assert_eq!(col.view().iter().collect::<Vec<_>>(), [Cell::Int(-4), Cell::Missing(3)]);
        assert_eq!(col.view().values().len(), 2);
        // Mismatched slices are cut to the shorter.
        assert_eq!(Col::new(&[status::INT, status::INT], &[1]).len(), 1);
    }
}
