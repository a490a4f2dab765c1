//! Personal-data detection per column, over every cell (issue 16, item 1).
//!
//! [`PiiAcc`] is one mergeable accumulator: per column, exact integer counts of the
//! non-missing cells, of the cells whose value is *shaped* like each [`Kind`] and of those
//! that also *validate* (checksum or rules), of identifiers embedded in free text, of
//! special-category vocabulary terms (and a bit mask of the distinct terms seen), and of
//! dates in a plausible birth range. Counts add and masks OR on merge, so every split and
//! merge order gives the same numbers. **No value is ever kept**: the state holds counts
//! only, and the report ([`report`]) is built from them.
//!
//! What runs on a column depends on its type and name ([`header`]), decided once:
//! - integer columns: the numeric detectors on integers of 9+ digits (fewer with a
//!   postal-code or BSN name) and every detector on unparseable cells;
//! - categorical and identifier columns: every detector on each value; categorical columns
//!   also special-category vocabularies and ICD-10 shapes;
//! - free-text columns: every detector on each value, and the embedded scan ([`text`]);
//! - date columns named like a date of birth: the dates; other dates, floats and booleans,
//!   and ignored columns: nothing.
//!
//! Definitions and decision rules: [`report`]; what each detector recognises: [`phone`],
//! [`national`], [`card`], [`iban`], [`net`], [`classify`], [`special`].

pub mod card;
pub mod checksum;
pub mod classify;
pub mod evidence;
pub mod header;
pub mod iban;
mod iban_table;
pub mod kinds;
pub mod memo;
pub mod national;
pub mod net;
pub mod phone;
pub mod protect;
pub mod report;
pub mod shape;
pub mod special;
pub mod suffixes;
pub mod text;

use crate::accumulator::Accumulator;
use crate::error::{Error, Result};
use crate::ingest::batch::{Batch, Cell};
use crate::ingest::value::ColumnType;
use crate::spec::{Role, ValidSpec};
use classify::{classify_int, classify_text_scan, Ctx, Hits};
use kinds::{Kind, N_KINDS};
use memo::{CellResult, Memo, Memos};
use serde::{Deserialize, Serialize};
use special::N_CATEGORIES;

pub use report::{PersonalDataReport, PiiColumn, Verdict};

/// Days from 1970-01-01 back to 1900-01-01.
pub const DAY_1900: i64 = -25_567;

/// What runs on one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Nothing (floats, booleans, dates not named like a birth date, ignored columns).
    Skip,
    /// Integers and their unparseable cells.
    Numbers,
    /// Identifier-like strings: whole-value detectors.
    Strings,
    /// Categorical strings: whole-value detectors and special-category vocabularies.
    Categories,
    /// Free text: whole-value detectors and the embedded scan.
    FreeText,
    /// Dates of a column named like a birth date.
    BirthDates,
}

/// A column's plan: its mode and the detector settings from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// What runs.
    pub mode: Mode,
    /// Kinds the name gives context to (bit per [`Kind`]).
    pub context: u32,
    /// Kinds not searched.
    pub disabled: u32,
}

impl Plan {
    /// The plan of column `c` of `spec`.
    pub fn of(c: &crate::spec::ColumnSpec) -> Plan {
        let h = header::hints(&c.name);
        let mode = match c.ty {
            _ if c.role == Role::Ignore => Mode::Skip,
            ColumnType::Integer => Mode::Numbers,
            ColumnType::Categorical => Mode::Categories,
            ColumnType::Identifier => Mode::Strings,
            ColumnType::Text => Mode::FreeText,
            ColumnType::Date | ColumnType::Datetime if h.context & Kind::BirthDate.bit() != 0 => Mode::BirthDates,
            _ => Mode::Skip,
        };
        Plan { mode, context: h.context, disabled: h.disabled }
    }
    fn ctx(&self) -> Ctx {
        Ctx { context: self.context, disabled: self.disabled }
    }
}

/// Exact counts of one column (see the module docs); merged by adding (masks by OR).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Non-missing cells seen (valid and unparseable).
    pub present: u64,
    /// Cells shaped like each kind.
    pub matched: [u64; N_KINDS],
    /// Cells shaped like and validating as each kind.
    pub valid: [u64; N_KINDS],
    /// Cells validating as at least one directly identifying kind.
    pub any_direct: u64,
    /// Free text: cells with at least one embedded identifier of each kind.
    pub embedded_cells: [u64; N_KINDS],
    /// Free text: embedded identifiers of each kind.
    pub embedded: [u64; N_KINDS],
    /// Free text: cells with at least one embedded directly identifying value.
    pub embedded_any: u64,
    /// Cells whose value is a vocabulary term of each special category.
    pub vocab_cells: [u64; N_CATEGORIES],
    /// The distinct vocabulary terms seen, per category (bit = term index).
    pub vocab_terms: [u64; N_CATEGORIES],
    /// Values shaped like ICD-10 codes, and those with a dot.
    pub icd: [u64; 2],
    /// Birth-date columns: dates, and dates on or after 1900-01-01.
    pub dates: [u64; 2],
}

impl Counts {
    #[inline]
    fn add_hits(&mut self, h: Hits) {
        self.add_hits_n(h, 1);
    }

    /// Adds the hits of `n` cells with the same value.
    #[inline]
    fn add_hits_n(&mut self, h: Hits, n: u64) {
        if h.matched == 0 && h.valid == 0 {
            return;
        }
        for k in Kind::in_mask(h.matched) {
            self.matched[k.index()] += n;
        }
        for k in Kind::in_mask(h.valid) {
            self.valid[k.index()] += n;
        }
        self.any_direct += n * u64::from(h.valid & report::DIRECT_MASK != 0);
    }

    fn merge(&mut self, o: &Counts) {
        self.present += o.present;
        self.any_direct += o.any_direct;
        self.embedded_any += o.embedded_any;
        for i in 0..N_KINDS {
            self.matched[i] += o.matched[i];
            self.valid[i] += o.valid[i];
            self.embedded_cells[i] += o.embedded_cells[i];
            self.embedded[i] += o.embedded[i];
        }
        for i in 0..N_CATEGORIES {
            self.vocab_cells[i] += o.vocab_cells[i];
            self.vocab_terms[i] |= o.vocab_terms[i];
        }
        for i in 0..2 {
            self.icd[i] += o.icd[i];
            self.dates[i] += o.dates[i];
        }
    }

    fn apply(&mut self, r: &CellResult) {
        self.apply_n(r, 1);
    }

    /// Adds `cells` cells whose value gave `r` (the same counts as `cells` calls of
    /// [`Counts::apply`]).
    fn apply_n(&mut self, r: &CellResult, cells: u64) {
        self.present += cells;
        self.add_hits_n(r.hits, cells);
        if let Some((cat, term)) = r.vocab {
            self.vocab_cells[usize::from(cat)] += cells;
            self.vocab_terms[usize::from(cat)] |= 1 << term;
        }
        self.icd[0] += cells * u64::from(r.icd.0);
        self.icd[1] += cells * u64::from(r.icd.1);
        if !r.embeds {
            return;
        }
        let mut any = false;
        for (i, &n) in r.embedded.iter().enumerate().filter(|(_, &n)| n > 0) {
            self.embedded_cells[i] += cells;
            self.embedded[i] += cells * u64::from(n);
            any |= report::DIRECT_MASK & Kind::ALL[i].bit() != 0;
        }
        self.embedded_any += cells * u64::from(any);
    }

    fn string(&mut self, s: &str, plan: &Plan, ctx: &Ctx, memo: &mut Memo) {
        let r = if plan.mode == Mode::Categories {
            memo.get_or(s, || evaluate(s, plan, ctx))
        } else {
            evaluate(s, plan, ctx)
        };
        self.apply(&r);
    }
}

/// What one string value contributes to its column (a pure function of the value and the
/// plan, so it can be remembered).
pub fn evaluate(s: &str, plan: &Plan, ctx: &Ctx) -> CellResult {
    let (hits, may_embed) = classify_text_scan(s, ctx);
    let mut r = CellResult { hits, ..CellResult::default() };
    if plan.mode == Mode::Categories {
        let v = s.trim_ascii().as_bytes();
        r.vocab = special::lookup(v).map(|t| (t.category.index() as u8, t.index));
        if v.len() <= 8 {
            r.icd = special::icd10(v);
        }
    }
    // Free text, and categorical values of several words, may embed identifiers (a value
    // that is one is not scanned again; a value without a digit or `@` embeds none).
    let words = plan.mode == Mode::FreeText || (plan.mode == Mode::Categories && s.as_bytes().contains(&b' '));
    if words && may_embed && hits.valid & report::DIRECT_MASK == 0 {
        text::scan(s.as_bytes(), &mut r.embedded);
        r.embeds = r.embedded.iter().any(|&n| n > 0);
    }
    r
}

/// Personal-data counts of every column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PiiAcc {
    plans: Vec<Plan>,
    counts: Vec<Counts>,
    #[serde(skip)]
    memos: Memos,
}

impl PiiAcc {
    /// Empty counts for the columns of `spec`.
    pub fn new(spec: &ValidSpec) -> Self {
        let plans: Vec<Plan> = spec.columns.iter().map(Plan::of).collect();
        PiiAcc { counts: vec![Counts::default(); plans.len()], plans, memos: Memos::default() }
    }
}

/// The finished counts: one plan and one [`Counts`] per column, in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct PiiCounts {
    /// Plans.
    pub plans: Vec<Plan>,
    /// Counts.
    pub counts: Vec<Counts>,
}

impl Accumulator for PiiAcc {
    type Output = PiiCounts;

    fn update(&mut self, batch: &Batch) {
        if self.memos.0.len() != self.plans.len() {
            self.memos.0 = vec![Memo::default(); self.plans.len()];
        }
        let columns = self.plans.iter().zip(self.counts.iter_mut()).zip(self.memos.0.iter_mut());
        for (c, ((plan, counts), memo)) in columns.enumerate() {
            let ctx = plan.ctx();
            match plan.mode {
                Mode::Skip => {}
                Mode::Numbers => {
                    let min = ctx.min_int();
                    for cell in batch.column(c) {
                        match *cell {
                            Cell::Int(v) => {
                                counts.present += 1;
                                if v >= min {
                                    counts.add_hits(classify_int(v, &ctx));
                                }
                            }
                            Cell::Invalid(span) => counts.string(batch.text(span), plan, &ctx, memo),
                            Cell::Missing(_) => {}
                            _ => counts.present += 1,
                        }
                    }
                }
                Mode::Categories => memo.categories(batch, c, plan, &ctx, counts),
                Mode::Strings | Mode::FreeText => {
                    for cell in batch.column(c) {
                        match *cell {
                            Cell::Text(span) | Cell::Invalid(span) => counts.string(batch.text(span), plan, &ctx, memo),
                            Cell::Missing(_) => {}
                            _ => counts.present += 1,
                        }
                    }
                }
                Mode::BirthDates => {
                    for cell in batch.column(c) {
                        let day = match *cell {
                            Cell::Date(d) => d,
                            Cell::Datetime(s) => s.div_euclid(86_400),
                            Cell::Missing(_) => continue,
                            _ => {
                                counts.present += 1;
                                continue;
                            }
                        };
                        counts.present += 1;
                        counts.dates[0] += 1;
                        counts.dates[1] += u64::from(day >= DAY_1900);
                    }
                }
            }
        }
    }

    fn merge(&mut self, other: Self) -> Result<()> {
        if other.plans != self.plans {
            return Err(Error::state("personal-data detection states were made for different columns"));
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            a.merge(b);
        }
        Ok(())
    }

    fn finish(self) -> PiiCounts {
        PiiCounts { plans: self.plans, counts: self.counts }
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
