//! One side of a drift comparison: the same accumulator reads the reference file and the
//! current file, each in its own run, and [`super::compare()`] puts the two results side by
//! side.
//!
//! Per column it keeps the exact distribution of the valid values:
//! - numbers, dates and datetimes (days / seconds since 1970): a map from the value's
//!   order-preserving key to its count, exact up to [`VALUES_CAP`] distinct values. Above,
//!   keys are binned by clearing low mantissa bits (12, then 8, 4, 0 bits kept,
//!   [`crate::fairness::scores::LEVELS`]): each value becomes the lower end of its bin
//!   (relative error < 2^−bits). The level is the smallest whose bins fit the *union* of the
//!   data (a merge takes the larger level, re-bins and re-checks), so it never depends on
//!   the split. Exact sums (for the reference std) are kept beside the map;
//! - booleans and categories: exact counts per value up to
//!   [`crate::sketch::top_k::COUNT_CAP`] (10,000) categories; a column with more is not
//!   compared (it is identifier-like), which again depends only on the union.
//!
//! Whether a column is identifier-like is not decided here: the finished side carries the
//! profile flag's test on the same run's profile counts ([`SideColumn::identifier_like`]).
//!
//! Missing and unparseable cells and ±infinity are not values (Evidently drops NA and ±inf).
//! Identifier and free-text columns, and columns whose role is `ignore` or `identifier`,
//! are not accumulated.
//!
//! # Merge
//! Counts add; every part is a function of the multiset of values, so any split and any
//! merge order give the same result.

use crate::accumulator::Accumulator;
use crate::fairness::scores::{kept_bits, truncate, LEVELS};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::dict::{NO_VALUE, UNCODED};
use crate::ingest::keys::{CodeMemo, Transient};
use crate::ingest::value::ColumnType;
use crate::quality::flags::identifier_like;
use crate::sketch::distinct::Distinct;
use crate::sketch::fast_hash::MixMap;
use crate::sketch::moments::MomentsAcc;
use crate::sketch::quantile::{key, value_of};
use crate::sketch::top_k::TopValuesAcc;
use crate::spec::{Role, ValidSpec};
use serde::{Deserialize, Serialize};

/// Most distinct numeric values per column kept exactly (beyond, values are binned).
pub const VALUES_CAP: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Kind {
    Numbers { map: MixMap<u64, u64>, level: usize, moments: MomentsAcc },
    Categories(TopValuesAcc),
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct ColumnSide {
    valid: u64,
    not_values: u64,
    kind: Kind,
    /// Categories: each code's value hash, and this batch's rows per code (a cache).
    #[serde(skip)]
    codes: Transient<(CodeMemo<u64>, Vec<Tally>)>,
}

/// A value code, its rows in a batch, and its first row there.
type Tally = (u32, u64, usize);

/// Mutable per-column distributions of one file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftSideAcc {
    columns: Vec<ColumnSide>,
}

fn add(map: &mut MixMap<u64, u64>, k: u64, c: u64) {
    *map.entry(k).or_insert(0) += c;
}

fn fit(map: &mut MixMap<u64, u64>, level: &mut usize) {
    while map.len() > VALUES_CAP && *level + 1 < LEVELS.len() {
        *level += 1;
        let old = std::mem::take(map);
        for (k, c) in old {
            add(map, truncate(k, *level), c);
        }
    }
}

impl DriftSideAcc {
    /// Empty distributions for the columns of `spec`.
    pub fn new(spec: &ValidSpec) -> Self {
        let columns = spec
            .columns
            .iter()
            .map(|c| {
                let kind = if matches!(c.role, Role::Ignore | Role::Identifier) {
                    Kind::Skipped
                } else {
                    match c.ty {
                        ColumnType::Integer | ColumnType::Float | ColumnType::Date | ColumnType::Datetime => {
                            Kind::Numbers { map: MixMap::default(), level: 0, moments: MomentsAcc::new() }
                        }
                        ColumnType::Boolean | ColumnType::Categorical => Kind::Categories(TopValuesAcc::default()),
                        ColumnType::Text | ColumnType::Identifier => Kind::Skipped,
                    }
                };
                ColumnSide { valid: 0, not_values: 0, kind, codes: Transient::default() }
            })
            .collect();
        DriftSideAcc { columns }
    }
}

/// The text a category column counts a cell as (booleans as `true` / `false`).
fn category_text<'b>(batch: &'b Batch, cell: &Cell) -> &'b str {
    match *cell {
        Cell::Text(span) => batch.text(span),
        Cell::Bool(b) => {
            if b {
                "true"
            } else {
                "false"
            }
        }
        _ => "",
    }
}

impl ColumnSide {
    fn update(&mut self, c: usize, batch: &Batch) {
        let cells = batch.column(c);
        match &mut self.kind {
            Kind::Skipped => {}
            Kind::Categories(t) => {
                // Rows tallied per value code; each value's text hashed once.
                let (memo, tally) = &mut self.codes.0;
                memo.sync(batch.dict_id(c));
                tally.clear();
                let mut slot: crate::sketch::fast_hash::MixMap<u32, usize> = Default::default();
                for (r, (&code, cell)) in batch.codes(c).iter().zip(cells).enumerate() {
                    if code == NO_VALUE {
                        self.not_values += 1;
                        continue;
                    }
                    self.valid += 1;
                    if code == UNCODED {
                        t.add(category_text(batch, cell));
                        continue;
                    }
                    let i = *slot.entry(code).or_insert_with(|| {
                        tally.push((code, 0, r));
                        tally.len() - 1
                    });
                    tally[i].1 += 1;
                }
                for &(code, n, r) in tally.iter() {
                    let text = cells.get(r).map_or("", |cell| category_text(batch, cell));
                    let h = memo.get(code, || crate::sketch::distinct::hash_str(text));
                    t.add_hashed(h, text);
                    t.add_count(h, n - 1);
                }
            }
            Kind::Numbers { .. } => {
                let mut finite = Vec::with_capacity(cells.len());
                for cell in cells {
                    let x = match *cell {
                        Cell::Missing(_) | Cell::Invalid(_) => {
                            self.not_values += 1;
                            continue;
                        }
                        Cell::Bool(_) | Cell::Text(_) => {
                            self.valid += 1; // not in a numeric column's cells; counted as before
                            continue;
                        }
                        Cell::Int(v) | Cell::Date(v) | Cell::Datetime(v) => v as f64,
                        Cell::Float(v) => v,
                    };
                    if x.is_finite() {
                        finite.push(x);
                    } else {
                        self.not_values += 1;
                    }
                }
                self.numbers(&finite);
            }
        }
    }

    /// Adds finite numbers: moments in one batched update, counts by key.
    fn numbers(&mut self, xs: &[f64]) {
        self.valid += xs.len() as u64;
        if let Kind::Numbers { map, level, moments } = &mut self.kind {
            moments.update_slice(xs);
            for &x in xs {
                add(map, truncate(key(x), *level), 1);
                if map.len() > VALUES_CAP {
                    fit(map, level);
                }
            }
        }
    }

    fn merge(&mut self, other: ColumnSide) {
        self.valid += other.valid;
        self.not_values += other.not_values;
        match (&mut self.kind, other.kind) {
            (Kind::Numbers { map, level, moments }, Kind::Numbers { map: m2, level: l2, moments: mo2 }) => {
                moments.merge(&mo2);
                let target = (*level).max(l2);
                if target > *level {
                    *level = target;
                    let old = std::mem::take(map);
                    old.into_iter().for_each(|(k, c)| add(map, truncate(k, target), c));
                }
                for (k, c) in m2 {
                    add(map, truncate(k, target), c);
                }
                fit(map, level);
            }
            (Kind::Categories(a), Kind::Categories(b)) => a.merge(b),
            // Same spec fingerprint means same column kinds.
            _ => {}
        }
    }

    fn finish(self) -> SideValues {
        match self.kind {
            Kind::Numbers { map, level, moments } => {
                let mut keys: Vec<(u64, u64)> = map.into_iter().collect();
                keys.sort_unstable();
                let m = moments.finish();
                // Population std (ddof = 0) from the exact sample variance.
                let std = match (m.variance, m.count) {
                    (Some(v), n) if n > 0 => Some((v * (n - 1) as f64 / n as f64).sqrt()),
                    (None, 1) => Some(0.0),
                    _ => None,
                };
                SideValues::Numbers {
                    values: keys.into_iter().map(|(k, c)| (value_of(k), c)).collect(),
                    bits: (level > 0).then(|| kept_bits(level)),
                    std,
                }
            }
            Kind::Categories(t) => SideValues::Categories(t.top(usize::MAX).map(|v| {
                let mut v: Vec<(String, u64)> = v.into_iter().map(|c| (c.value, c.count)).collect();
                v.sort();
                v
            })),
            Kind::Skipped => SideValues::Skipped,
        }
    }
}

/// The finished distribution of one column on one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SideValues {
    /// Numbers (or dates as days, datetimes as seconds since 1970).
    Numbers {
        /// Distinct values (or bin lower ends) ascending, with counts.
        values: Vec<(f64, u64)>,
        /// Mantissa bits kept when the values are binned; `None` when exact.
        bits: Option<u32>,
        /// Population standard deviation (ddof = 0) of the exact values.
        std: Option<f64>,
    },
    /// Category counts sorted by value; `None` above 10,000 categories.
    Categories(Option<Vec<(String, u64)>>),
    /// Not accumulated (identifier, free text, ignored).
    Skipped,
}

/// One column of a finished side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SideColumn {
    /// Column name.
    pub name: String,
    /// Column type.
    pub ty: ColumnType,
    /// Column role.
    pub role: Role,
    /// Valid values (NA, unparseable and ±inf excluded).
    pub valid: u64,
    /// Missing, unparseable or infinite cells.
    pub not_values: u64,
    /// The distribution.
    pub values: SideValues,
    /// Set when this file's profile flags the column identifier-like (the test of
    /// [`crate::quality::flags::identifier_like`] on the profile's valid and distinct
    /// counts, which no split changes): the evidence. [`super::compare()`] reads the
    /// reference file's and leaves the column out of the dataset share.
    pub identifier_like: Option<String>,
}

/// The finished distributions of one file, named so that two files can be compared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftSide {
    /// Data rows.
    pub rows: u64,
    /// Columns in file order.
    pub columns: Vec<SideColumn>,
}

/// Header of an encoded [`DriftSide`]: magic and format version.
const SIDE_MAGIC: &[u8; 15] = b"PRIVAUDIT-DRIFT";
const SIDE_VERSION: u16 = 2;

impl DriftSide {
    /// Serialises the side (confidential: exact distributions of the file) so that a
    /// front end can keep the reference file's side while it reads the current file.
    pub fn encode(&self) -> crate::error::Result<Vec<u8>> {
        let mut out = SIDE_MAGIC.to_vec();
        out.extend_from_slice(&SIDE_VERSION.to_le_bytes());
        let payload = postcard::to_allocvec(self)
            .map_err(|e| crate::error::Error::state(format!("could not encode the drift data: {e}")))?;
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Reads a side written by [`DriftSide::encode`], checking its header first.
    pub fn decode(bytes: &[u8]) -> crate::error::Result<Self> {
        let head = SIDE_MAGIC.len() + 2;
        if bytes.len() < head || &bytes[..SIDE_MAGIC.len()] != SIDE_MAGIC {
            return Err(crate::error::Error::state("these bytes are not a privaudit drift reference"));
        }
        let version = u16::from_le_bytes([bytes[SIDE_MAGIC.len()], bytes[SIDE_MAGIC.len() + 1]]);
        if version != SIDE_VERSION {
            return Err(crate::error::Error::state(format!(
                "the drift reference has format version {version}, this privaudit reads version {SIDE_VERSION}; read both files with the same privaudit"
            )));
        }
        postcard::from_bytes(&bytes[head..])
            .map_err(|e| crate::error::Error::state(format!("the drift reference is damaged: {e}")))
    }
}

impl DriftSideAcc {
    /// Freezes the result with the column names, types and roles of `spec`, and the
    /// identifier-like test on `valid_distinct` (per column: valid values and distinct count
    /// from the same run's profile, [`crate::quality::profile::ProfileAcc::valid_distinct`];
    /// a column without one is not identifier-like).
    pub fn finish_named(self, spec: &ValidSpec, rows: u64, valid_distinct: &[(u64, Distinct)]) -> DriftSide {
        let columns = self
            .columns
            .into_iter()
            .zip(&spec.columns)
            .enumerate()
            .map(|(i, (c, s))| SideColumn {
                name: s.name.clone(),
                ty: s.ty,
                role: s.role,
                valid: c.valid,
                not_values: c.not_values,
                values: c.finish(),
                identifier_like: valid_distinct.get(i).and_then(|(v, d)| identifier_like(s.ty, *v, d)),
            })
            .collect();
        DriftSide { rows, columns }
    }
}

impl Accumulator for DriftSideAcc {
    type Output = Vec<SideValues>;

    fn update(&mut self, batch: &Batch) {
        for (c, col) in self.columns.iter_mut().enumerate() {
            col.update(c, batch);
        }
    }

    fn merge(&mut self, other: Self) -> crate::error::Result<()> {
        if other.columns.len() != self.columns.len() {
            return Err(crate::error::Error::state("drift states have different column counts"));
        }
        for (a, b) in self.columns.iter_mut().zip(other.columns) {
            a.merge(b);
        }
        Ok(())
    }

    fn finish(self) -> Vec<SideValues> {
        self.columns.into_iter().map(ColumnSide::finish).collect()
    }
}
