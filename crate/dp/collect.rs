//! The streaming side of the DP summary: exact tables behind every `[dp]` query
//! ([`DpAcc`]), with contribution bounding, merged across workers, and handed to the
//! release step only as [`Exact`] — a wrapper that cannot be serialised, printed or read
//! outside `dp`.
//!
//! # What a row contributes
//! - `count`: 1; `histogram`: 1 to the cell of its value (a declared key, `(other)`, or
//!   `(missing)`); `sum`/`mean`: its value clamped to the public bounds, in fixed-point
//!   units (missing values contribute nothing, and are not counted by the mean);
//!   `quantiles`: 1 to the public bin of its clamped value; `categories`: its value, once
//!   per person; `fairness`: 1 to the cell group × label × prediction (rows whose label or
//!   prediction is missing contribute nothing; groups are the declared ones, `(other)` and
//!   `(unknown)`).
//!
//! # Contribution bounding
//! Without a person column every row is one person. With one, each person keeps at most
//! `max_rows_per_person` rows, chosen **uniformly at random**: every row draws a 64-bit
//! priority from the CSPRNG and a person keeps the rows with the smallest priorities.
//! Keeping the k smallest of a union is the same whichever way the union is split, so the
//! choice merges across workers. Rows without a person ID belong to one `(missing)`
//! person. The priorities are secret and never leave the process.
//!
//! # Merge
//! Tables add cell by cell; per-person rows merge by keeping the k smallest priorities.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::dp::DpError;
use crate::fairness::groups::{cell_text, is_positive, predicted_positive};
use crate::ingest::batch::{Batch, Cell};
use crate::sketch::fast_hash::MixMap;
use crate::spec::{DpQuery, DpSpec};

/// Most distinct values a `categories` query may count before the release is refused.
pub const MAX_CATEGORIES: usize = 1_000_000;

/// Exact statistics on their way to a DP release. Deliberately neither `Debug`,
/// `Display` nor `Serialize`: the only way out is [`crate::dp::release()`], which adds noise.
pub struct Exact<T>(T);

impl<T> Exact<T> {
    pub(crate) fn into_inner(self) -> T {
        self.0
    }
}

/// The exact table of one query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Table {
    /// A row count.
    Count(u64),
    /// Counts per cell (histogram keys, quantile bins, fairness cells).
    Cells(Vec<u64>),
    /// A fixed-point sum and the number of values in it.
    Sum {
        /// Σ clamped values, in units of 10^-decimals.
        units: i128,
        /// Number of values.
        count: u64,
    },
    /// Distinct persons per value.
    Categories(BTreeMap<String, u64>),
}

/// What one row gives one query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Contribution {
    One,
    Cell(Option<u32>),
    Units(Option<i64>),
    Category(Option<String>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Kept {
    priority: u64,
    row: Vec<Contribution>,
}

/// Random priorities, 512 at a time (not part of the state).
#[derive(Clone, Debug, Default)]
struct Priorities {
    buf: Vec<u64>,
}

/// Unused random numbers are not state: two accumulators are equal whatever is left here.
impl PartialEq for Priorities {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Priorities {
    fn next(&mut self) -> Result<u64, DpError> {
        if self.buf.is_empty() {
            let mut bytes = [0u8; 4096];
            crate::dp::rng::fill_bytes(&mut bytes)?;
            self.buf = bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default())).collect();
        }
        Ok(self.buf.pop().unwrap_or_default())
    }
}

/// The exact tables of a DP summary, accumulated over batches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DpAcc {
    spec: DpSpec,
    tables: Vec<Table>,
    /// Kept rows per person (only with a person column).
    persons: MixMap<Option<String>, Vec<Kept>>,
    /// A `categories` query saw more than [`MAX_CATEGORIES`] values.
    too_many_categories: bool,
    /// The CSPRNG failed: the release must fail.
    entropy_failed: Option<String>,
    #[serde(skip)]
    priorities: Priorities,
}

fn empty_table(q: &DpQuery) -> Table {
    match q {
        DpQuery::Count => Table::Count(0),
        DpQuery::Histogram { keys, .. } => Table::Cells(vec![0; keys.len() + 2]),
        DpQuery::Quantiles { bins, .. } => Table::Cells(vec![0; *bins as usize]),
        DpQuery::Fairness { groups, .. } => Table::Cells(vec![0; 4 * (groups.len() + 2)]),
        DpQuery::Sum { .. } => Table::Sum { units: 0, count: 0 },
        DpQuery::Categories { .. } => Table::Categories(BTreeMap::new()),
    }
}

fn number(cell: &Cell) -> Option<f64> {
    match *cell {
        Cell::Int(v) => Some(v as f64),
        Cell::Float(v) if !v.is_nan() => Some(v),
        _ => None,
    }
}

/// The public bin of `x` among `bins` equal-width bins over [lower, upper] (clamped).
pub fn bin_of(x: f64, lower: f64, upper: f64, bins: u32) -> u32 {
    let t = ((x - lower) / (upper - lower) * f64::from(bins)).floor();
    if t.is_nan() || t < 0.0 {
        0
    } else {
        (t as u64).min(u64::from(bins - 1)) as u32
    }
}

fn contribution(q: &DpQuery, batch: &Batch, r: usize) -> Contribution {
    let cell = |c: usize| batch.column(c).get(r);
    match q {
        DpQuery::Count => Contribution::One,
        DpQuery::Histogram { column, keys } => {
            let n = keys.len() as u32;
            let idx = match cell(*column).and_then(|c| cell_text(batch, c)) {
                None => n + 1,
                Some(t) => keys.iter().position(|k| *k == t).map_or(n, |i| i as u32),
            };
            Contribution::Cell(Some(idx))
        }
        DpQuery::Sum { column, lower_units, upper_units, decimals, .. } => {
            let unit = 10f64.powi(*decimals as i32);
            Contribution::Units(cell(*column).and_then(number).map(|x| {
                let u = (x * unit).round();
                // Clamp in the integer domain: the sensitivity is exactly max(|L|, |U|).
                if u.is_nan() {
                    *lower_units
                } else {
                    (u.clamp(*lower_units as f64, *upper_units as f64) as i64).clamp(*lower_units, *upper_units)
                }
            }))
        }
        DpQuery::Quantiles { column, lower, upper, bins, .. } => {
            Contribution::Cell(cell(*column).and_then(number).map(|x| bin_of(x, *lower, *upper, *bins)))
        }
        DpQuery::Categories { column } => Contribution::Category(cell(*column).and_then(|c| cell_text(batch, c))),
        DpQuery::Fairness { protected, groups, label, positive_label, prediction, .. } => {
            let y = cell(*label).and_then(|c| is_positive(batch, c, positive_label));
            let p = predicted_positive(batch, r, prediction);
            Contribution::Cell(y.zip(p).map(|(y, p)| {
                let n = groups.len() as u32;
                let g = match cell(*protected).and_then(|c| cell_text(batch, c)) {
                    None => n + 1,
                    Some(t) => groups.iter().position(|k| *k == t).map_or(n, |i| i as u32),
                };
                4 * g + 2 * u32::from(y) + u32::from(p)
            }))
        }
    }
}

impl DpAcc {
    /// Empty tables for a validated `[dp]` section.
    pub fn new(spec: &DpSpec) -> Self {
        DpAcc {
            spec: spec.clone(),
            tables: spec.queries.iter().map(|(q, _)| empty_table(q)).collect(),
            persons: MixMap::default(),
            too_many_categories: false,
            entropy_failed: None,
            priorities: Priorities::default(),
        }
    }

    fn add(tables: &mut [Table], row: &[Contribution], too_many: &mut bool) {
        for (t, c) in tables.iter_mut().zip(row) {
            match (t, c) {
                (Table::Count(n), Contribution::One) => *n += 1,
                (Table::Cells(v), Contribution::Cell(Some(i))) => {
                    if let Some(x) = v.get_mut(*i as usize) {
                        *x += 1;
                    }
                }
                (Table::Sum { units, count }, Contribution::Units(Some(u))) => {
                    *units += i128::from(*u);
                    *count += 1;
                }
                (Table::Categories(m), Contribution::Category(Some(s))) => {
                    if let Some(n) = m.get_mut(s) {
                        *n += 1;
                    } else if m.len() < MAX_CATEGORIES {
                        m.insert(s.clone(), 1);
                    } else {
                        *too_many = true;
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds a batch.
    pub fn update(&mut self, batch: &Batch) {
        let k = self.spec.max_rows_per_person as usize;
        for r in 0..batch.rows() {
            let row: Vec<Contribution> = self.spec.queries.iter().map(|(q, _)| contribution(q, batch, r)).collect();
            let Some(pc) = self.spec.person_column else {
                Self::add(&mut self.tables, &row, &mut self.too_many_categories);
                continue;
            };
            let priority = match self.priorities.next() {
                Ok(p) => p,
                Err(e) => {
                    self.entropy_failed = Some(e.to_string());
                    return;
                }
            };
            let person = batch.column(pc).get(r).and_then(|c| cell_text(batch, c));
            keep_smallest(self.persons.entry(person).or_default(), Kept { priority, row }, k);
        }
    }

    /// Merges tables made with the same spec.
    pub fn merge(&mut self, other: DpAcc) -> crate::error::Result<()> {
        if self.spec != other.spec {
            return Err(crate::error::Error::state("the DP states were made with different [dp] sections"));
        }
        let k = self.spec.max_rows_per_person as usize;
        self.too_many_categories |= other.too_many_categories;
        self.entropy_failed = self.entropy_failed.take().or(other.entropy_failed);
        for (a, b) in self.tables.iter_mut().zip(other.tables) {
            match (a, b) {
                (Table::Count(x), Table::Count(y)) => *x += y,
                (Table::Cells(x), Table::Cells(y)) => x.iter_mut().zip(y).for_each(|(a, b)| *a += b),
                (Table::Sum { units, count }, Table::Sum { units: u, count: c }) => {
                    *units += u;
                    *count += c;
                }
                (Table::Categories(x), Table::Categories(y)) => {
                    for (key, n) in y {
                        *x.entry(key).or_insert(0) += n;
                    }
                    if x.len() > MAX_CATEGORIES {
                        self.too_many_categories = true;
                    }
                }
                _ => return Err(crate::error::Error::state("the DP states hold different tables")),
            }
        }
        for (person, rows) in other.persons {
            let mine = self.persons.entry(person).or_default();
            for kept in rows {
                keep_smallest(mine, kept, k);
            }
        }
        Ok(())
    }

    /// The exact tables (each person's kept rows folded in), for [`crate::dp::release()`].
    ///
    /// # Errors
    /// When the CSPRNG failed during the run, or a `categories` query saw more than
    /// [`MAX_CATEGORIES`] distinct values.
    pub fn finish(mut self) -> Result<Exact<Vec<Table>>, crate::error::Error> {
        if let Some(detail) = self.entropy_failed {
            return Err(DpError::Entropy { detail }.into());
        }
        for (_, rows) in std::mem::take(&mut self.persons) {
            // Categories count distinct persons: a person's repeated value counts once.
            let mut seen: Vec<Vec<&str>> = vec![Vec::new(); self.tables.len()];
            for kept in &rows {
                let mut row = kept.row.clone();
                for (i, c) in row.iter_mut().enumerate() {
                    if let Contribution::Category(Some(s)) = c {
                        if seen[i].contains(&s.as_str()) {
                            *c = Contribution::Category(None);
                        }
                    }
                }
                for (i, c) in kept.row.iter().enumerate() {
                    if let Contribution::Category(Some(s)) = c {
                        seen[i].push(s);
                    }
                }
                Self::add(&mut self.tables, &row, &mut self.too_many_categories);
            }
        }
        if self.too_many_categories {
            return Err(crate::error::Error::spec(
                "dp.queries",
                format!("a `categories` column has more than {MAX_CATEGORIES} distinct values; declare its keys and use a histogram"),
            ));
        }
        Ok(Exact(self.tables))
    }
}

fn keep_smallest(rows: &mut Vec<Kept>, kept: Kept, k: usize) {
    rows.push(kept);
    if rows.len() > k {
        if let Some(worst) = (0..rows.len()).max_by_key(|&i| rows[i].priority) {
            rows.swap_remove(worst);
        }
    }
}

impl crate::engine::Accumulator for DpAcc {
    type Output = Result<Exact<Vec<Table>>, crate::error::Error>;
    fn update(&mut self, batch: &Batch) {
        DpAcc::update(self, batch);
    }
    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        DpAcc::merge(self, other)
    }
    fn finish(self) -> Self::Output {
        DpAcc::finish(self)
    }
}
