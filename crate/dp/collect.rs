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

//!
//! # Columns
//! A batch is read query by query (`collect/columns.rs`): positions among the declared keys and
//! groups by value code, label and prediction once per distinct value. Without a person
//! column the tables are added to column-wise (categories tallied per value per batch);
//! with one, each row's contributions are assembled for contribution bounding.

mod columns;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::dp::DpError;
use crate::ingest::batch::cell_text;
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::{NO_VALUE, UNCODED};
use crate::ingest::keys::Transient;
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
    /// Per-value caches of each query.
    #[serde(skip)]
    memo: Transient<Vec<columns::QueryMemo>>,
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
            memo: Transient::default(),
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
                (Table::Categories(m), Contribution::Category(s)) => {
                    add_category(m, s.clone(), 1, too_many);
                }
                _ => {}
            }
        }
    }

    /// Adds a batch.
    pub fn update(&mut self, batch: &Batch) {
        let memos = &mut self.memo.0;
        memos.resize_with(self.spec.queries.len(), Default::default);
        let cols: Vec<columns::Column> =
            self.spec.queries.iter().zip(memos.iter_mut()).map(|((q, _), m)| columns::column(q, batch, m)).collect();
        let Some(pc) = self.spec.person_column else {
            self.add_columns(batch, &cols);
            return;
        };
        let k = self.spec.max_rows_per_person as usize;
        for r in 0..batch.rows() {
            let row: Vec<Contribution> = cols.iter().map(|c| c.row(batch, r)).collect();
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

    /// Adds a batch's contributions column-wise (every row is one person).
    fn add_columns(&mut self, batch: &Batch, cols: &[columns::Column]) {
        for (t, c) in self.tables.iter_mut().zip(cols) {
            match (t, c) {
                (Table::Count(n), columns::Column::One) => *n += batch.rows() as u64,
                (Table::Cells(v), columns::Column::Cells(idx)) => {
                    for &i in idx.iter().flatten() {
                        if let Some(x) = v.get_mut(i as usize) {
                            *x += 1;
                        }
                    }
                }
                (Table::Sum { units, count }, columns::Column::Units(us)) => {
                    for &u in us.iter().flatten() {
                        *units += i128::from(u);
                        *count += 1;
                    }
                }
                (Table::Categories(m), columns::Column::Codes(c)) => {
                    // Equal values tallied per batch, their text made once.
                    let mut tally: MixMap<u32, (u64, usize)> = MixMap::default();
                    let cells = batch.column(*c);
                    for (r, &code) in batch.codes(*c).iter().enumerate() {
                        match code {
                            NO_VALUE => {}
                            UNCODED => {
                                let text = cells.get(r).and_then(|cell| cell_text(batch, cell));
                                add_category(m, text, 1, &mut self.too_many_categories);
                            }
                            _ => tally.entry(code).or_insert((0, r)).0 += 1,
                        }
                    }
                    let mut tally: Vec<(u32, (u64, usize))> = tally.into_iter().collect();
                    tally.sort_unstable();
                    for (_, (n, r)) in tally {
                        let text = cells.get(r).and_then(|cell| cell_text(batch, cell));
                        add_category(m, text, n, &mut self.too_many_categories);
                    }
                }
                _ => {}
            }
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

/// Adds `n` persons with value `s` to a `categories` table (nothing for no value; a new
/// value past [`MAX_CATEGORIES`] is refused and marks the table).
fn add_category(m: &mut BTreeMap<String, u64>, s: Option<String>, n: u64, too_many: &mut bool) {
    let Some(s) = s else { return };
    if let Some(c) = m.get_mut(&s) {
        *c += n;
    } else if m.len() < MAX_CATEGORIES {
        m.insert(s, n);
    } else {
        *too_many = true;
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

impl crate::accumulator::Accumulator for DpAcc {
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
