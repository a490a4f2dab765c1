//! Deterministic synthetic datasets: the web app's "Try sample data" table
//! ([`loan_applications`]) and a large benchmark table ([`bench_table`]).
//!
//! Everything here is synthetic. No row describes a real person, and the ZIP
//! codes follow an arithmetic pattern (any match with a real ZIP area is a
//! coincidence).
//!
//! # Determinism
//!
//! Output is byte-for-byte identical for the same arguments on every
//! platform, natively and on `wasm32-unknown-unknown`:
//!
//! * Randomness comes from a private xoshiro256** generator seeded by
//!   SplitMix64. **It is for synthetic sample data only and must never be
//!   used for differential-privacy noise** (it is predictable by design).
//! * Floats use only `+ - * /`, which IEEE 754 rounds the same way
//!   everywhere. `f64::exp/ln/powf` are avoided because std uses the
//!   platform libm natively and a libm port on wasm32, which may differ in
//!   the last bit. Normal variates are Irwin–Hall sums of 12 uniforms minus 6;
//!   `exp` is a module-local range-reduced Taylor polynomial (relative error
//!   below 1e-14).
//! * Every number is printed from an integer (cents, tenths, ...), never via
//!   float formatting.
//! * Row *i* does not depend on how many rows follow it, so a longer table
//!   with the same seed starts with the shorter one.
//!
//! # Loan applications ([`loan_applications`])
//!
//! The sample is `loan_applications(SAMPLE_ROWS, SAMPLE_SEED)`: 50,000 rows,
//! seed 20261123, offered as [`SAMPLE_FILE_NAME`]. It is UTF-8, comma
//! separated, with LF line ends and a header row. A field is quoted (RFC 4180,
//! `"` written as `""`) only if it contains a comma, a quote or a line break.
//! Only `notes` ever needs quoting.
//!
//! Each row first draws hidden "true" values. The recorded columns are then
//! derived from them, with the missing values and errors below added.
//! `U(a, b)` is uniform. `z` is approximately standard normal. `σ` is the
//! logistic function.
//!
//! | column | content |
//! |---|---|
//! | `application_id` | `A0000001`, `A0000002`, …: counts original rows, so it is unique except in the injected duplicates |
//! | `application_date` | ISO `YYYY-MM-DD`, uniform over 2024-01-01..=2025-12-31 |
//! | `sex` | `Female` 49.5 %, `Male` 49.5 %, `Non-binary` 1 %; 1 % empty |
//! | `race` | `White` 58 %, `Black` 13 %, `Hispanic` 18 %, `Asian` 6 %, `Native American` 1 %, `Two or More Races` 4 %; 2 % recorded as `NA` |
//! | `age` | `round(41 + 12.5 z)` clamped to 18..=85; 3 % empty |
//! | `income` | `55000 · exp(0.6 z + 0.008 (min(age, 65) − 41))` clamped to 5,000..=2,000,000, 2 decimals (log-normal, median ≈ 55,000); empty 3 %, but 12 % for `Hispanic` |
//! | `zip_code` | 5 digits, may start with a leading zero (`06512`). Each race group has 24 codes of its own, `base + 37 k`, with base White 44100, Black 06500, Hispanic 33100, Asian 98100, Native American 57500, Two or More Races 02100. A row takes a code from its own group's set with probability 85 % and otherwise a code from any of the 144 |
//! | `employment_years` | `mean(U, U) · min(age − 18, 45)`, 1 decimal, 0.0..=45.0 |
//! | `loan_amount` | integer, `income · U(0.15, 0.60)` rounded to 250, at least 1,000 |
//! | `debt_to_income` | 3 decimals, `0.050 + (U{0..275} + U{0..275}) / 1000`, so 0.050..=0.600; injected outliers below |
//! | `credit_history_len` | integer years, `round(mean(U, U) · (age − 18))` |
//! | `model_score` | `σ(L + 0.35 z − 0.6·[Black] − 0.3·[Female])`, 4 decimals in [0, 1] |
//! | `decision` | `approved` exactly when `model_score >= 0.5000`, otherwise `denied` |
//! | `repaid` | `1` with probability `σ(1.4 + 1.2 L)`, otherwise `0`. This does not depend on race or sex |
//! | `collections_after_default` | 2 decimals: `0.00` if repaid, else `loan_amount · U{0.15..0.95}`. 0.5 % of rows are flipped |
//! | `notes` | 25 % empty, 55 % one phrase, 20 % two phrases joined by `"; "`. The 14 phrases include commas (`self-employed, 1099 income`) and quotes (`applicant said "urgent"`) |
//!
//! `L` is the legitimate creditworthiness, computed from the true values:
//!
//! ```text
//! L = 0.35 + 0.9 z_income − 6 (dti − 0.325) + 0.05 (credit_history_len − 10)
//!          + 0.03 (employment_years − 6) − 0.8 (loan_amount / income − 0.375)
//! ```
//!
//! Here `z_income` is the normal draw behind `income`. The score, the outcome
//! and the injected effects all use the *true* race, sex, income and
//! debt-to-income. This holds even when the recorded value is missing, `NA`
//! or an outlier.
//!
//! ## Injected effects (what an audit of the sample should find)
//!
//! The "measured" column gives the values in the default sample (50,000 rows,
//! seed 20261123). The unit tests recompute them and assert the bounds in
//! brackets.
//!
//! | effect | parameters | measured |
//! |---|---|---|
//! | Exact duplicate rows | each row (after the first) is, with probability 1 %, a byte-for-byte copy of an earlier row chosen uniformly, `application_id` included | 0.99 % (493 rows) (test: 0.5–1.5 %) |
//! | Model bias against `Black` | logit −0.6 | approval Black 44.8 % vs White 62.9 %, ratio 0.71 (test: ratio < 0.8) |
//! | Model bias against women | logit −0.3 | approval women 56.2 % vs men 64.6 %, ratio 0.87 |
//! | Unequal error rates | `repaid` has no race term, so the bias appears as unequal TPR and FPR | TPR White 0.714 vs Black 0.522; FPR White 0.237 vs Black 0.120 (test: TPR gap > 0.1). Repaid rate White 82.1 % vs Black 81.5 % (test: gap < 0.03) |
//! | Differential missingness of `income` | empty 12 % for `Hispanic`, 3 % otherwise | Hispanic 12.4 % vs others 2.8 % (4.4×) (test: ≥ 3×) |
//! | Proxy variable `zip_code` → race | 85 % of rows use their group's own codes | 88 % of rows share their ZIP's majority race (test: > 0.75) |
//! | Outliers in `debt_to_income` | 0.2 % of rows show 45.000, 99.000, 120.500 or 999.000 instead of the true value | 104 rows (0.21 %), max 999 (test: max > 40) |
//! | Target leakage `collections_after_default` | zero iff repaid, except 0.5 % flips | "`repaid` = (value is 0)" is right for 99.46 % of rows (test: ≥ 98 %) |
//! | Missing values | `sex` 1 % empty, `race` 2 % `NA`, `age` 3 % empty, `income` as above | |
//!
//! # Benchmark table ([`bench_table`])
//!
//! A 15-column CSV of mixed types, written in a streaming way until a byte
//! target is reached. It is meant to load parsers and profilers, not to carry
//! any finding. Columns, in order:
//!
//! | column | type | content |
//! |---|---|---|
//! | `row_id` | identifier | `R0000000000`, … unique |
//! | `event_date` | date | ISO, uniform over 2024-01-01..=2025-12-31 |
//! | `channel` | categorical, 2 values | `online` / `branch` |
//! | `region` | categorical, 12 values | `north`, `south`, … |
//! | `product` | categorical, 500 values | `P000`..`P499`, skewed towards low codes |
//! | `segment` | categorical with `NA` | `A`..`E`, 5 % `NA` |
//! | `age` | integer | 18..=90 |
//! | `visits` | integer, missing | 0..=999, 1.2 % empty |
//! | `delta` | integer | −50000..=50000 |
//! | `amount` | float | 0.00..=99999.99 |
//! | `rate` | float, missing | 0.0000..=1.0000, 2 % empty |
//! | `latency_ms` | float, heavy tail | 0.1..=500.0; 0.05 % huge (1e9..≈5.6e10) |
//! | `temperature` | float | −30.0..=45.0 |
//! | `active` | boolean | `true` / `false` |
//! | `comment` | free text | 2–6 words. 3 % contain a comma, 0.5 % a `"quoted"` word and 0.025 % an embedded line break. Those fields are quoted |
//!
//! Rows average about 112 bytes. Generation runs at roughly 700–900 MB/s (1.2–1.5 s per GiB on a shared 2-vCPU VM)
//! natively in release mode (into `io::sink()`).

#![forbid(unsafe_code)]

mod arith;
mod bench;
#[cfg(test)]
mod bench_tests;
mod format;
mod loan;
#[cfg(test)]
mod loan_tests;
mod rng;
mod spec;
#[cfg(test)]
mod tests;

pub use bench::bench_table;
pub use loan::loan_applications;
pub use spec::sample_spec;

/// Number of data rows in the web app's "Try sample data" table.
pub const SAMPLE_ROWS: usize = 50_000;

/// Seed of the web app's "Try sample data" table.
pub const SAMPLE_SEED: u64 = 20_261_123;

/// File name under which the sample table is offered (download / report title).
pub const SAMPLE_FILE_NAME: &str = "sample-loan-applications.csv";

/// Header of [`loan_applications`], in column order.
pub const LOAN_COLUMNS: [&str; 16] = [
    "application_id",
    "application_date",
    "sex",
    "race",
    "age",
    "income",
    "zip_code",
    "employment_years",
    "loan_amount",
    "debt_to_income",
    "credit_history_len",
    "model_score",
    "decision",
    "repaid",
    "collections_after_default",
    "notes",
];

/// Header of [`bench_table`], in column order.
pub const BENCH_COLUMNS: [&str; 15] = [
    "row_id",
    "event_date",
    "channel",
    "region",
    "product",
    "segment",
    "age",
    "visits",
    "delta",
    "amount",
    "rate",
    "latency_ms",
    "temperature",
    "active",
    "comment",
];

/// What [`bench_table`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BenchStats {
    /// Data rows written (the header is not counted).
    pub rows: u64,
    /// Bytes written, header included.
    pub bytes: u64,
}
