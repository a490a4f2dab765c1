//! Prototype for issue 14, item 3: the batch as Apache Arrow arrays against the hand-rolled
//! layout, on the same hot loop, natively and in wasm.
//!
//! Input: the sample loan table (`privaudit sample`). Records are split into fields first
//! (csv-core, not timed). Then, batch by batch (2,048 rows), each variant
//! 1. *builds* the batch from the fields: text columns (sex, race, zip_code, decision) as
//!    dictionary codes stable over the whole input, numbers (age, income, model_score,
//!    repaid) as typed values, and for every cell a status byte (present, missing,
//!    unparseable) that Arrow's validity bitmap cannot hold;
//! 2. runs the *hot loop*: per sex × race group, confusion counts of label (repaid = 1) ×
//!    prediction (decision = approved), the number of incomes and their sum, the sum of
//!    scores — a tight loop over `&[u32]` codes and `&[f64]` values.
//!
//! `hand`: codes from a hash table of (hash, index) entries and a text arena (as
//! `privaudit::ingest::dict`), `Vec<u32>` / `Vec<f64>` / `Vec<i64>` + `Vec<u8>` status.
//! `arrow` (feature `arrow`): `StringDictionaryBuilder<UInt32Type>` with
//! `finish_preserve_values` (keys stable across batches), `Float64Builder` / `Int64Builder`
//! with nulls for missing and unparseable cells, and the same status bytes; the loop reads
//! `keys().values()`, `values()` and the keys' null bitmap.

use hashbrown::HashTable;

/// Rows per batch, as privaudit's.
pub const BATCH: usize = 2048;

const SEX: usize = 2;
const RACE: usize = 3;
const AGE: usize = 4;
const INCOME: usize = 5;
const ZIP: usize = 6;
const SCORE: usize = 11;
const DECISION: usize = 12;
const REPAID: usize = 13;

/// The third text column: `zip_code`, or with the `wide` feature `income` read as text
/// (about one new value per row: a dictionary that keeps growing).
pub fn zip_column() -> usize {
    if cfg!(feature = "wide") {
        INCOME
    } else {
        ZIP
    }
}

/// Cell status.
pub const PRESENT: u8 = 0;
/// Missing (empty or NA).
pub const MISSING: u8 = 1;
/// Does not parse.
pub const INVALID: u8 = 2;

/// All records, split into fields (not timed).
pub struct Records {
    bytes: Vec<u8>,
    /// Per record: the end of each field in `bytes` (16 fields).
    ends: Vec<u32>,
    starts: Vec<u32>,
    nfields: usize,
}

impl Records {
    /// Splits `csv` (with a header) into records.
    pub fn parse(csv: &[u8]) -> Records {
        let mut rdr = csv_core::Reader::new();
        let mut out = vec![0u8; 1 << 16];
        let mut ends = vec![0usize; 64];
        let mut recs = Records { bytes: Vec::with_capacity(csv.len()), ends: Vec::new(), starts: Vec::new(), nfields: 0 };
        let mut input = csv;
        let mut header = true;
        loop {
            let (res, nin, nout, nend) = rdr.read_record(input, &mut out, &mut ends);
            input = &input[nin..];
            match res {
                csv_core::ReadRecordResult::Record => {
                    if header {
                        header = false;
                        recs.nfields = nend;
                        continue;
                    }
                    if nend != recs.nfields {
                        continue;
                    }
                    let base = recs.bytes.len() as u32;
                    recs.bytes.extend_from_slice(&out[..nout]);
                    let mut start = 0;
                    for &e in &ends[..nend] {
                        recs.starts.push(base + start as u32);
                        recs.ends.push(base + e as u32);
                        start = e;
                    }
                }
                csv_core::ReadRecordResult::End => break,
                csv_core::ReadRecordResult::InputEmpty if input.is_empty() => {}
                _ => {}
            }
        }
        recs
    }

    /// Records.
    pub fn len(&self) -> usize {
        self.starts.len() / self.nfields.max(1)
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    fn field(&self, r: usize, c: usize) -> &str {
        let i = r * self.nfields + c;
        let s = &self.bytes[self.starts[i] as usize..self.ends[i] as usize];
        std::str::from_utf8(s).unwrap_or("")
    }
}

#[inline]
fn missing(s: &str) -> bool {
    s.is_empty() || s == "NA"
}

/// The group of (sex, race) codes: a small dense index (codes are below 64 here).
#[inline]
fn group(sex: u32, race: u32) -> usize {
    ((sex as usize) & 63) * 64 + ((race as usize) & 63)
}

/// Totals of the hot loop, per group.
pub struct Totals {
    /// [tp, fp, tn, fn] per group.
    pub confusion: Vec<[u64; 4]>,
    /// Incomes counted per group.
    pub incomes: Vec<u64>,
    /// Income sums per group.
    pub income_sum: Vec<f64>,
    /// Score sums per group.
    pub score_sum: Vec<f64>,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            confusion: vec![[0; 4]; 64 * 64],
            incomes: vec![0; 64 * 64],
            income_sum: vec![0.0; 64 * 64],
            score_sum: vec![0.0; 64 * 64],
        }
    }
}

impl Totals {
    /// A number that depends on every total (to compare variants and keep the work).
    pub fn checksum(&self) -> f64 {
        let c: u64 = self.confusion.iter().enumerate().map(|(g, c)| (g as u64 + 1) * (c[0] + 3 * c[1] + 5 * c[2] + 7 * c[3])).sum();
        let i: u64 = self.incomes.iter().enumerate().map(|(g, &n)| (g as u64 + 1) * n).sum();
        c as f64 + i as f64 + self.income_sum.iter().sum::<f64>() + self.score_sum.iter().sum::<f64>()
    }
}

/// The hot loop over one batch's columns (the same for both layouts). `known` tells
/// whether row `r`'s sex and race are known; `positive_label` / `positive_prediction`
/// per code say which values are the positive class.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn hot(
    t: &mut Totals,
    sex: &[u32],
    race: &[u32],
    known: impl Fn(usize) -> bool,
    label: &[i64],
    label_ok: &[u8],
    decision: &[u32],
    approved: u32,
    income: &[f64],
    income_ok: &[u8],
    score: &[f64],
    score_ok: &[u8],
) {
    for r in 0..sex.len() {
        if !known(r) {
            continue;
        }
        let g = group(sex[r], race[r]);
        if label_ok[r] == PRESENT {
            let l = label[r] == 1;
            let p = decision[r] == approved;
            let cell = match (l, p) {
                (true, true) => 0,
                (false, true) => 1,
                (false, false) => 2,
                (true, false) => 3,
            };
            t.confusion[g][cell] += 1;
        }
        if income_ok[r] == PRESENT {
            t.incomes[g] += 1;
            t.income_sum[g] += income[r];
        }
        if score_ok[r] == PRESENT {
            t.score_sum[g] += score[r];
        }
    }
}

pub mod hand;

#[cfg(feature = "arrow")]
pub mod arrow;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
