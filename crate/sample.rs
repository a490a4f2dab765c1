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

#[cfg(test)]
use crate::math::Portable;
use std::io::{self, Write};

/// Number of data rows in the web app's "Try sample data" table.
pub const SAMPLE_ROWS: usize = 50_000;

/// Seed of the web app's "Try sample data" table.
pub const SAMPLE_SEED: u64 = 20_261_123;

/// File name under which the sample table is offered (download / report title).
pub const SAMPLE_FILE_NAME: &str = "sample-loan-applications.csv";

/// The suggested spec for [`loan_applications`]: column roles an auditor would set
/// (protected attributes, outcome, decision, score, identifier). Types are still detected.
pub fn sample_spec() -> crate::spec::RawSpec {
    use crate::spec::{RawColumn, RawSpec, Role};
    let col = |name: &str, role| RawColumn { name: name.into(), role: Some(role), ..Default::default() };
    RawSpec {
        columns: vec![
            col("application_id", Role::Identifier),
            col("sex", Role::Protected),
            col("race", Role::Protected),
            col("repaid", Role::Label),
            col("decision", Role::Prediction),
            col("model_score", Role::Score),
        ],
        // repaid = 1 is the positive class and favourable; decision = approved likewise.
        bias: Some(crate::spec::RawBias {
            positive_label: Some("1".into()),
            positive_prediction: Some("approved".into()),
            positive_is_favourable: Some(true),
            ..Default::default()
        }),
        dp: Some(sample_dp()),
        ..Default::default()
    }
}

/// The sample's DP summary: keys, groups and bounds come from the generator's code book
/// (public knowledge about the form), never from the generated data.
fn sample_dp() -> crate::spec::RawDp {
    use crate::spec::{RawDp, RawDpQuery};
    let keys = |k: &[&str]| Some(k.iter().map(|s| s.to_string()).collect());
    let q = |kind: &str, column: Option<&str>| RawDpQuery {
        kind: kind.into(),
        column: column.map(Into::into),
        ..Default::default()
    };
    RawDp {
        epsilon: Some(1.0),
        dataset: Some("Synthetic loan applications (privaudit sample)".into()),
        queries: vec![
            q("count", None),
            RawDpQuery { keys: keys(&["Female", "Male", "Non-binary"]), ..q("histogram", Some("sex")) },
            RawDpQuery { lower: Some(0.0), upper: Some(300_000.0), ..q("mean", Some("income")) },
            RawDpQuery { lower: Some(18.0), upper: Some(98.0), bins: Some(40), ..q("quantiles", Some("age")) },
            RawDpQuery {
                keys: keys(&RACES.map(|(r, _)| r)),
                protected: Some("race".into()),
                weight: Some(2),
                ..q("fairness", None)
            },
        ],
        ..Default::default()
    }
}

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

// ---------------------------------------------------------------------------
// Pseudo-random numbers
// ---------------------------------------------------------------------------

/// One SplitMix64 step (Steele, Lea & Flood 2014); used only to seed
/// [`SampleRng`].
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman & Vigna 2018), seeded with four SplitMix64 outputs.
///
/// # WARNING: FOR SYNTHETIC SAMPLE DATA ONLY
///
/// **This generator is predictable by design. It must NEVER be used to draw
/// differential-privacy noise, keys, salts, or anything else whose security
/// depends on unpredictability.** Anyone who knows (or guesses) the seed can
/// reproduce every output, and the internal state can be recovered from a
/// handful of outputs. It exists only so that the synthetic tables in this
/// module are byte-for-byte reproducible on every platform. It is
/// deliberately private to this module.
struct SampleRng {
    s: [u64; 4],
}

impl SampleRng {
    /// Seeds the state from `seed` through SplitMix64 (never all zero,
    /// because SplitMix64's output function is a bijection).
    fn new(seed: u64) -> Self {
        let mut sm = seed;
        let s = [splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm), splitmix64(&mut sm)];
        Self { s }
    }

    /// Next 64 uniformly distributed bits.
    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Integer in `0..n` (multiply-high; the bias of at most `n / 2^64` is
    /// irrelevant for sample data). Returns 0 when `n == 0`.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Float in `[0, 1)` with 53 random bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `true` with probability `per_million / 1_000_000`.
    fn chance(&mut self, per_million: u64) -> bool {
        self.below(1_000_000) < per_million
    }

    /// Approximately standard normal: Irwin–Hall sum of 12 uniforms minus 6
    /// (mean 0, variance 1, support [-6, 6]). Only `+` and `-`, so exact
    /// same bits everywhere.
    fn normal(&mut self) -> f64 {
        let mut sum = 0.0;
        for _ in 0..12 {
            sum += self.unit();
        }
        sum - 6.0
    }
}

// ---------------------------------------------------------------------------
// Platform-independent arithmetic
// ---------------------------------------------------------------------------

/// `e^x` from `+ - * /` only, so the result is bit-identical on every
/// platform (std's `exp` defers to the platform libm natively and to a libm
/// port on wasm32, which may differ in the last bit). Range reduction
/// `x = k ln2 + r` with `|r| <= ln2 / 2`, then a degree-14 Taylor polynomial
/// (truncation error < 1e-17 relative). Input is clamped to `[-700, 700]`.
fn exp_det(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let kf = x / std::f64::consts::LN_2;
    let k = if kf >= 0.0 { (kf + 0.5) as i64 } else { (kf - 0.5) as i64 };
    let r = x - k as f64 * std::f64::consts::LN_2;
    let mut sum = 1.0;
    let mut i = 14;
    while i >= 1 {
        sum = 1.0 + r * sum / f64::from(i);
        i -= 1;
    }
    // |k| <= 1010, so the biased exponent stays within 13..=2033 (normal).
    let two_k = f64::from_bits(((1023 + k) as u64) << 52);
    sum * two_k
}

/// Logistic function built on [`exp_det`].
fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + exp_det(-x))
}

/// Rounds a finite non-negative float to the nearest integer (half up);
/// negative input gives 0.
fn round_u64(x: f64) -> u64 {
    if x <= 0.0 {
        0
    } else {
        (x + 0.5) as u64
    }
}

// ---------------------------------------------------------------------------
// Formatting (integers only: no float formatting anywhere)
// ---------------------------------------------------------------------------

/// Appends `v` in decimal, left-padded with zeros to at least `width`
/// digits (at most 20).
fn push_padded(buf: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while v > 0 {
        i -= 1;
        if let Some(slot) = tmp.get_mut(i) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
    }
    let start = i.min(tmp.len().saturating_sub(width.max(1)));
    buf.extend_from_slice(tmp.get(start..).unwrap_or(b"0"));
}

/// Appends `v` in decimal.
fn push_u64(buf: &mut Vec<u8>, v: u64) {
    push_padded(buf, v, 1);
}

/// Appends `v / 10^D` with exactly `D >= 1` fractional digits, e.g.
/// `push_fixed::<2>(buf, 12345)` writes `123.45`.
fn push_fixed<const D: u32>(buf: &mut Vec<u8>, v: u64) {
    let p = 10u64.pow(D);
    push_u64(buf, v / p);
    buf.push(b'.');
    push_padded(buf, v % p, D as usize);
}

/// Appends `s` as one CSV field, quoted (RFC 4180, `"` doubled) only if it
/// contains a comma, a quote, CR or LF.
fn push_field(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        buf.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                buf.push(b'"');
            }
            buf.push(b);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(s.as_bytes());
    }
}

/// Appends the header line for `columns`.
fn push_header(buf: &mut Vec<u8>, columns: &[&str]) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_field(buf, c);
    }
    buf.push(b'\n');
}

/// Days from 1970-01-01 to 2024-01-01.
const DAY_2024_01_01: i64 = 19_723;
/// Number of days in 2024-01-01..=2025-12-31.
const DATE_SPAN_DAYS: u64 = 731;

/// Appends the ISO date `offset` days after 2024-01-01.
fn push_date(buf: &mut Vec<u8>, offset: u64) {
    let (y, m, d) = crate::ingest::value::civil_from_days(DAY_2024_01_01 + offset as i64);
    push_padded(buf, y.unsigned_abs(), 4);
    buf.push(b'-');
    push_padded(buf, u64::from(m), 2);
    buf.push(b'-');
    push_padded(buf, u64::from(d), 2);
}

// ---------------------------------------------------------------------------
// Loan applications
// ---------------------------------------------------------------------------

/// Race groups and their shares in per mille (sum 1000).
const RACES: [(&str, u64); 6] = [
    ("White", 580),
    ("Black", 130),
    ("Hispanic", 180),
    ("Asian", 60),
    ("Native American", 10),
    ("Two or More Races", 40),
];
/// Index in [`RACES`] of the group whose `model_score` is lowered.
const BIASED_RACE: usize = 1;
/// Index in [`RACES`] of the group whose `income` is missing more often.
const MISSING_INCOME_RACE: usize = 2;
/// Logit penalty applied to [`BIASED_RACE`].
const RACE_BIAS_LOGIT: f64 = 0.6;
/// Logit penalty applied to women.
const SEX_BIAS_LOGIT: f64 = 0.3;

/// Lowest ZIP code of each race group's own ZIP set.
const ZIP_BASE: [u64; 6] = [44_100, 6_500, 33_100, 98_100, 57_500, 2_100];
/// ZIP codes per group.
const ZIPS_PER_GROUP: u64 = 24;
/// Distance between consecutive ZIP codes of a group.
const ZIP_STEP: u64 = 37;
/// Probability (ppm) that a row's ZIP comes from its own group's set.
const OWN_ZIP_PPM: u64 = 850_000;

/// Missingness / error rates in parts per million.
const DUPLICATE_PPM: u64 = 10_000;
const SEX_MISSING_PPM: u64 = 10_000;
const RACE_NA_PPM: u64 = 20_000;
const AGE_MISSING_PPM: u64 = 30_000;
const INCOME_MISSING_PPM: u64 = 30_000;
const INCOME_MISSING_AFFECTED_PPM: u64 = 120_000;
const DTI_OUTLIER_PPM: u64 = 2_000;
const LEAK_FLIP_PPM: u64 = 5_000;

/// Values (in thousandths) written for `debt_to_income` outliers.
const DTI_OUTLIERS_MILLI: [u64; 4] = [45_000, 99_000, 120_500, 999_000];

/// Vocabulary of the `notes` column.
const NOTE_PHRASES: [&str; 14] = [
    "verified income",
    "first-time applicant",
    "co-signer on file",
    "self-employed, 1099 income",
    "called twice, no answer",
    "applicant said \"urgent\"",
    "refinance of existing loan",
    "documents pending",
    "\"VIP\" referral, expedite",
    "manual review",
    "relocating for work",
    "pay stub missing, follow up",
    "existing customer",
    "address mismatch",
];

/// Generates the synthetic loan-application table as CSV bytes: header plus
/// exactly `rows` data rows, byte-for-byte identical for the same
/// `(rows, seed)` on every platform. See the module documentation for the
/// columns and the injected effects. The web app's sample is
/// `loan_applications(SAMPLE_ROWS, SAMPLE_SEED)`.
pub fn loan_applications(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = SampleRng::new(seed);
    let mut out = Vec::with_capacity(rows.saturating_mul(160).min(1 << 28) + 512);
    push_header(&mut out, &LOAN_COLUMNS);
    // (start, end) of every data row, for exact duplicates.
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(rows.min(1 << 24));
    let mut next_id: u64 = 1;
    let mut scratch = String::new();
    for _ in 0..rows {
        let start = out.len();
        let duplicate = rng.chance(DUPLICATE_PPM);
        let earlier = if duplicate && !spans.is_empty() {
            let j = rng.below(spans.len() as u64) as usize;
            spans.get(j).copied()
        } else {
            None
        };
        match earlier {
            Some((s, e)) => out.extend_from_within(s..e),
            None => {
                push_loan_row(&mut out, &mut rng, next_id, &mut scratch);
                next_id += 1;
            }
        }
        spans.push((start, out.len()));
    }
    out
}

/// Appends one freshly generated loan row (with trailing LF).
fn push_loan_row(out: &mut Vec<u8>, rng: &mut SampleRng, id: u64, scratch: &mut String) {
    // --- latent (true) values ------------------------------------------
    let race = {
        let mut r = rng.below(1000);
        let mut idx = 0;
        for (i, &(_, share)) in RACES.iter().enumerate() {
            if r < share {
                idx = i;
                break;
            }
            r -= share;
        }
        idx
    };
    let sex_draw = rng.below(1000);
    let (sex, female) = if sex_draw < 495 {
        ("Female", true)
    } else if sex_draw < 990 {
        ("Male", false)
    } else {
        ("Non-binary", false)
    };
    let date_offset = rng.below(DATE_SPAN_DAYS);
    let age = round_u64(41.0 + 12.5 * rng.normal()).clamp(18, 85);
    let z_income = rng.normal();
    let age_f = age.min(65) as f64;
    let income = (55_000.0 * exp_det(0.6 * z_income + 0.008 * (age_f - 41.0))).clamp(5_000.0, 2_000_000.0);
    let income_cents = round_u64(income * 100.0);
    let zip_group = if rng.chance(OWN_ZIP_PPM) { race } else { rng.below(RACES.len() as u64) as usize };
    let zip = ZIP_BASE.get(zip_group).copied().unwrap_or(0) + rng.below(ZIPS_PER_GROUP) * ZIP_STEP;
    let adult_years = (age - 18) as f64;
    let emp_tenths = round_u64((rng.unit() + rng.unit()) * 0.5 * adult_years.min(45.0) * 10.0);
    let credit_len = round_u64((rng.unit() + rng.unit()) * 0.5 * adult_years);
    let loan_fraction = 0.15 + 0.45 * rng.unit();
    let loan_amount = (round_u64(income * loan_fraction / 250.0) * 250).max(1_000);
    let dti_milli = 50 + rng.below(276) + rng.below(276);

    // --- creditworthiness, model score, outcome --------------------------
    let dti = dti_milli as f64 / 1000.0;
    let emp_years = emp_tenths as f64 / 10.0;
    let legit =
        0.35 + 0.9 * z_income - 6.0 * (dti - 0.325) + 0.05 * (credit_len as f64 - 10.0) + 0.03 * (emp_years - 6.0)
            - 0.8 * (loan_amount as f64 / income - 0.375);
    let mut logit = legit + 0.35 * rng.normal();
    if race == BIASED_RACE {
        logit -= RACE_BIAS_LOGIT;
    }
    if female {
        logit -= SEX_BIAS_LOGIT;
    }
    let score = round_u64(sigmoid(logit) * 10_000.0).min(10_000);
    let approved = score >= 5_000;
    let repaid = rng.unit() < sigmoid(1.4 + 1.2 * legit);
    let leak_flip = rng.chance(LEAK_FLIP_PPM);
    let collections_cents = loan_amount * (15 + rng.below(81));
    let collections_cents = if repaid != leak_flip { 0 } else { collections_cents };

    // --- recorded (observed) values --------------------------------------
    let sex_missing = rng.chance(SEX_MISSING_PPM);
    let race_na = rng.chance(RACE_NA_PPM);
    let age_missing = rng.chance(AGE_MISSING_PPM);
    let income_missing =
        rng.chance(if race == MISSING_INCOME_RACE { INCOME_MISSING_AFFECTED_PPM } else { INCOME_MISSING_PPM });
    let dti_shown = if rng.chance(DTI_OUTLIER_PPM) {
        DTI_OUTLIERS_MILLI.get(rng.below(DTI_OUTLIERS_MILLI.len() as u64) as usize).copied().unwrap_or(999_000)
    } else {
        dti_milli
    };
    scratch.clear();
    let note_draw = rng.below(100);
    let phrases = if note_draw < 25 {
        0
    } else if note_draw < 80 {
        1
    } else {
        2
    };
    for p in 0..phrases {
        if p > 0 {
            scratch.push_str("; ");
        }
        let idx = rng.below(NOTE_PHRASES.len() as u64) as usize;
        scratch.push_str(NOTE_PHRASES.get(idx).copied().unwrap_or(""));
    }

    // --- write -----------------------------------------------------------
    out.push(b'A');
    push_padded(out, id, 7);
    out.push(b',');
    push_date(out, date_offset);
    out.push(b',');
    if !sex_missing {
        out.extend_from_slice(sex.as_bytes());
    }
    out.push(b',');
    if race_na {
        out.extend_from_slice(b"NA");
    } else {
        push_field(out, RACES.get(race).map_or("", |r| r.0));
    }
    out.push(b',');
    if !age_missing {
        push_u64(out, age);
    }
    out.push(b',');
    if !income_missing {
        push_fixed::<2>(out, income_cents);
    }
    out.push(b',');
    push_padded(out, zip, 5);
    out.push(b',');
    push_fixed::<1>(out, emp_tenths);
    out.push(b',');
    push_u64(out, loan_amount);
    out.push(b',');
    push_fixed::<3>(out, dti_shown);
    out.push(b',');
    push_u64(out, credit_len);
    out.push(b',');
    push_fixed::<4>(out, score);
    out.push(b',');
    out.extend_from_slice(if approved { b"approved" } else { b"denied" });
    out.push(b',');
    out.push(if repaid { b'1' } else { b'0' });
    out.push(b',');
    push_fixed::<2>(out, collections_cents);
    out.push(b',');
    push_field(out, scratch);
    out.push(b'\n');
}

// ---------------------------------------------------------------------------
// Benchmark table
// ---------------------------------------------------------------------------

/// Values of the cardinality-12 `region` column.
const REGIONS: [&str; 12] = [
    "north", "south", "east", "west", "central", "coastal", "mountain", "plains", "metro", "rural", "island", "border",
];
/// Values of the `segment` column (besides `NA`).
const SEGMENTS: [&str; 5] = ["A", "B", "C", "D", "E"];
/// Words of the `comment` column.
const WORDS: [&str; 32] = [
    "order",
    "delayed",
    "customer",
    "happy",
    "refund",
    "requested",
    "item",
    "missing",
    "great",
    "service",
    "slow",
    "delivery",
    "box",
    "damaged",
    "will",
    "return",
    "thanks",
    "again",
    "price",
    "too",
    "high",
    "size",
    "fits",
    "well",
    "color",
    "faded",
    "support",
    "called",
    "twice",
    "quick",
    "reply",
    "ok",
];
/// Flush the row buffer once it holds at least this many bytes.
const BENCH_FLUSH_AT: usize = 1 << 17;

/// Powers of ten that fit in a `u64`.
const POW10: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// A token of at most 16 bytes, zero-padded so that it can be copied with
/// one fixed-size move instead of a variable-length `memcpy`.
#[derive(Clone, Copy)]
struct Tok {
    bytes: [u8; 16],
    len: usize,
}

impl Tok {
    /// The empty token.
    const EMPTY: Tok = Tok { bytes: [0; 16], len: 0 };

    /// Token holding (the first 16 bytes of) `s`.
    fn new(s: &[u8]) -> Self {
        let mut bytes = [0u8; 16];
        for (d, &b) in bytes.iter_mut().zip(s) {
            *d = b;
        }
        Self { bytes, len: s.len().min(16) }
    }

    /// Tokens for every entry of `table`.
    fn table(table: &[&str]) -> Vec<Tok> {
        table.iter().map(|s| Tok::new(s.as_bytes())).collect()
    }
}

/// Picks a token of `table` from 16 random bits.
#[inline(always)]
fn pick(table: &[Tok], bits16: u64) -> &Tok {
    let idx = ((bits16 & 0xFFFF) * table.len() as u64) >> 16;
    table.get(idx as usize).unwrap_or(&Tok::EMPTY)
}

/// Fixed-capacity row buffer for the benchmark hot loop: a row is
/// assembled here (cursor in a register, fixed-size copies) and appended to
/// the output in one copy. The longest possible benchmark row is < 256
/// bytes; writes that would not fit are dropped, never panic.
/// The buffer is borrowed (reused across rows, so it is not re-zeroed per
/// row) while the cursor lives in this short-lived local value.
struct Line<'a> {
    bytes: &'a mut [u8; LINE_CAP],
    len: usize,
}

/// Capacity of a [`Line`].
const LINE_CAP: usize = 512;

impl<'a> Line<'a> {
    fn new(bytes: &'a mut [u8; LINE_CAP]) -> Self {
        Self { bytes, len: 0 }
    }

    fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    #[inline(always)]
    fn put(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    #[inline(always)]
    fn tok(&mut self, t: &Tok) {
        if let Some(dst) = self.bytes.get_mut(self.len..self.len + 16) {
            dst.copy_from_slice(&t.bytes);
            self.len += t.len;
        }
    }

    /// `v` in decimal, zero-padded to at least `width` (<= 20) digits,
    /// written right to left straight into the buffer.
    #[inline(always)]
    fn uint(&mut self, mut v: u64, width: usize) {
        let mut count = 1;
        while count < 20 && v >= POW10[count] {
            count += 1;
        }
        let end = self.len + count.max(width).min(20);
        if let Some(dst) = self.bytes.get_mut(self.len..end) {
            for slot in dst.iter_mut().rev() {
                *slot = b'0' + (v % 10) as u8;
                v /= 10;
            }
            self.len = end;
        }
    }

    /// `v / 10^D` with exactly `D >= 1` fractional digits.
    #[inline(always)]
    fn fixed<const D: u32>(&mut self, v: u64) {
        let p = 10u64.pow(D);
        self.uint(v / p, 1);
        self.put(b'.');
        self.uint(v % p, D as usize);
    }
}

/// Lookup tables of the benchmark generator.
struct BenchTables {
    dates: Vec<Tok>,
    regions: Vec<Tok>,
    segments: Vec<Tok>,
    words: Vec<Tok>,
    quoted_words: Vec<Tok>,
}

impl BenchTables {
    fn new() -> Self {
        let mut dates = Vec::with_capacity(DATE_SPAN_DAYS as usize);
        let mut d = Vec::with_capacity(10);
        for offset in 0..DATE_SPAN_DAYS {
            d.clear();
            push_date(&mut d, offset);
            dates.push(Tok::new(&d));
        }
        let quoted_words = WORDS.iter().map(|w| Tok::new(format!("\"\"{w}\"\"").as_bytes())).collect();
        Self {
            dates,
            regions: Tok::table(&REGIONS),
            segments: Tok::table(&SEGMENTS),
            words: Tok::table(&WORDS),
            quoted_words,
        }
    }
}

/// Writes a synthetic 15-column benchmark CSV (comma, LF, header row) to
/// `out` until at least `target_bytes` bytes are written, stopping at the
/// first row boundary at or after `target_bytes` (the header alone counts, so
/// `target_bytes == 0` writes only the header).
///
/// Streaming: memory stays bounded (one ~128 KiB buffer) and every call to
/// `out.write_all` carries whole rows only. Output is deterministic for a
/// given `(target_bytes, seed)`; a larger target yields a longer table with
/// the same prefix. Columns are described in the module documentation.
///
/// # Errors
///
/// Returns the first error reported by `out`.
pub fn bench_table<W: Write>(out: &mut W, target_bytes: u64, seed: u64) -> io::Result<BenchStats> {
    let mut rng = SampleRng::new(seed);
    let tables = BenchTables::new();
    let mut buf: Vec<u8> = Vec::with_capacity(BENCH_FLUSH_AT + LINE_CAP);
    let mut scratch = [0u8; LINE_CAP];
    push_header(&mut buf, &BENCH_COLUMNS);
    let mut stats = BenchStats::default();
    while stats.bytes + (buf.len() as u64) < target_bytes {
        push_bench_row(&mut buf, &mut scratch, &mut rng, stats.rows, &tables);
        stats.rows += 1;
        if buf.len() >= BENCH_FLUSH_AT {
            out.write_all(&buf)?;
            stats.bytes += buf.len() as u64;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    stats.bytes += buf.len() as u64;
    out.flush()?;
    Ok(stats)
}

/// Appends one benchmark row (with trailing LF).
fn push_bench_row(out: &mut Vec<u8>, scratch: &mut [u8; LINE_CAP], rng: &mut SampleRng, row: u64, t: &BenchTables) {
    let r1 = rng.next_u64();
    let r2 = rng.next_u64();
    let r3 = rng.next_u64();
    let r4 = rng.next_u64();
    let r5 = rng.next_u64();
    let mut bits = rng.next_u64();
    let mut line = Line::new(scratch);
    let l = &mut line;

    // row_id: unique identifier
    l.put(b'R');
    l.uint(row, 10);
    l.put(b',');
    // event_date: 2024-01-01 ..= 2025-12-31
    l.tok(pick(&t.dates, r1));
    l.put(b',');
    // channel: cardinality 2
    l.tok(&Tok::new(if (r1 >> 16) & 1 == 0 { b"online" } else { b"branch" }));
    l.put(b',');
    // region: cardinality 12
    l.tok(pick(&t.regions, r1 >> 17));
    l.put(b',');
    // product: cardinality 500, skewed towards low codes
    let product = (((((r1 >> 33) & 0xFFFF) * ((r1 >> 48) & 0xFFFF)) >> 16) * 500) >> 16;
    l.put(b'P');
    l.uint(product, 3);
    l.put(b',');
    // segment: 5 % NA
    if r2 & 0xFFFF < 3_277 {
        l.tok(&Tok::new(b"NA"));
    } else {
        l.tok(pick(&t.segments, r2 >> 16));
    }
    l.put(b',');
    // age: integer 18..=90
    l.uint(18 + ((((r2 >> 32) & 0xFFFF) * 73) >> 16), 1);
    l.put(b',');
    // visits: integer 0..=999, 1 % missing
    if (r2 >> 48) & 0xFF >= 3 {
        l.uint((r3 & 0xFFFF) % 1_000, 1);
    }
    l.put(b',');
    // delta: signed integer -50000..=50000
    let delta = ((r3 >> 16) & 0xFF_FFFF) % 100_001;
    if delta < 50_000 {
        l.put(b'-');
        l.uint(50_000 - delta, 1);
    } else {
        l.uint(delta - 50_000, 1);
    }
    l.put(b',');
    // amount: 0.00..=99999.99
    l.fixed::<2>((r3 >> 40) % 10_000_000);
    l.put(b',');
    // rate: 0.0000..=1.0000, 2 % missing
    if r4 & 0xFFFF >= 1_311 {
        l.fixed::<4>((((r4 >> 16) & 0xFFFF) * 10_001) >> 16);
    }
    l.put(b',');
    // latency_ms: 0.1..=500.0, 0.05 % huge (1e9 ..= ~5.6e10)
    if (r4 >> 32) & 0xFFFF < 33 {
        l.fixed::<1>(10_000_000_000 + ((r4 >> 48) << 23));
    } else {
        l.fixed::<1>(1 + (((r4 >> 48) * 5_000) >> 16));
    }
    l.put(b',');
    // temperature: -30.0..=45.0
    let tenths = ((r5 & 0xFFFF) * 751) >> 16;
    if tenths < 300 {
        l.put(b'-');
        l.fixed::<1>(300 - tenths);
    } else {
        l.fixed::<1>(tenths - 300);
    }
    l.put(b',');
    // active: boolean
    l.tok(&Tok::new(if (r5 >> 16) & 1 == 0 { &b"true"[..] } else { &b"false"[..] }));
    l.put(b',');
    // comment: 2..=6 words; 3 % with a comma, 0.5 % with a quoted word,
    // 0.025 % with an embedded newline (all of these are quoted).
    let words = 2 + ((r5 >> 17) & 0x7) % 5;
    let flags = (r5 >> 20) & 0xFFFF;
    let comma = flags < 1_966;
    let quote = (1_966..2_294).contains(&flags);
    let newline = (2_294..2_310).contains(&flags);
    let quoted = comma || quote || newline;
    if quoted {
        l.put(b'"');
    }
    for w in 0..words {
        if w > 0 {
            l.put(if newline && w == 1 { b'\n' } else { b' ' });
        }
        let table = if quote && w == 0 { &t.quoted_words } else { &t.words };
        l.tok(table.get((bits & 31) as usize).unwrap_or(&Tok::EMPTY));
        bits >>= 5;
        if comma && w == 0 {
            l.put(b',');
        }
    }
    if quoted {
        l.put(b'"');
    }
    l.put(b'\n');
    out.extend_from_slice(line.as_slice());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// One parsed field: text and whether it was quoted.
    type Field = (String, bool);

    /// Minimal strict RFC 4180 parser (LF records). Panics on malformed
    /// input: stray quote, text after a closing quote, CR, unterminated
    /// quote, missing final LF.
    fn parse_csv(data: &[u8]) -> Vec<Vec<Field>> {
        let mut records = Vec::new();
        let mut rec: Vec<Field> = Vec::new();
        let mut field: Vec<u8> = Vec::new();
        let mut in_quotes = false;
        let mut was_quoted = false;
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if in_quotes {
                if b == b'"' {
                    if data.get(i + 1) == Some(&b'"') {
                        field.push(b'"');
                        i += 2;
                        continue;
                    }
                    in_quotes = false;
                } else {
                    field.push(b);
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => {
                    assert!(field.is_empty() && !was_quoted, "stray quote at byte {i}");
                    in_quotes = true;
                    was_quoted = true;
                }
                b',' | b'\n' => {
                    let text = String::from_utf8(std::mem::take(&mut field)).expect("utf-8");
                    rec.push((text, was_quoted));
                    was_quoted = false;
                    if b == b'\n' {
                        records.push(std::mem::take(&mut rec));
                    }
                }
                b'\r' => panic!("CR at byte {i}"),
                _ => {
                    assert!(!was_quoted, "text after closing quote at byte {i}");
                    field.push(b);
                }
            }
            i += 1;
        }
        assert!(!in_quotes, "unterminated quote");
        assert!(field.is_empty() && rec.is_empty() && !was_quoted, "no final LF");
        records
    }

    fn fnv1a64(data: &[u8]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in data {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    }

    fn needs_quotes(s: &str) -> bool {
        s.contains([',', '"', '\n', '\r'])
    }

    #[test]
    fn splitmix64_matches_reference() {
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
        assert_eq!(splitmix64(&mut s), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(splitmix64(&mut s), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn exp_det_is_accurate() {
        for i in -400..=400 {
            let x = f64::from(i) / 20.0;
            let rel = (exp_det(x) - x.p_exp()).abs() / x.p_exp();
            assert!(rel < 1e-14, "exp_det({x}) off by {rel}");
        }
        assert_eq!(exp_det(0.0), 1.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn dates_span_2024_2025() {
        let mut b = Vec::new();
        push_date(&mut b, 0);
        push_date(&mut b, 59);
        push_date(&mut b, 60);
        push_date(&mut b, DATE_SPAN_DAYS - 1);
        assert_eq!(b, b"2024-01-012024-02-292024-03-012025-12-31");
    }

    #[test]
    fn formatting_helpers() {
        let mut b = Vec::new();
        push_fixed::<2>(&mut b, 5);
        b.push(b' ');
        let mut arr = [0u8; LINE_CAP];
        let mut l = Line::new(&mut arr);
        l.uint(7, 3);
        l.put(b' ');
        l.fixed::<2>(100_005);
        l.put(b' ');
        l.tok(&Tok::new(b"abc"));
        l.put(b' ');
        l.uint(u64::MAX, 1);
        l.put(b' ');
        l.uint(0, 1);
        b.extend_from_slice(l.as_slice());
        b.push(b' ');
        push_padded(&mut b, 2139, 5);
        b.push(b' ');
        push_u64(&mut b, u64::MAX);
        b.push(b' ');
        push_field(&mut b, "say \"hi\", bye");
        assert_eq!(
            b,
            &b"0.05 007 1000.05 abc 18446744073709551615 0 02139 18446744073709551615 \"say \"\"hi\"\", bye\""[..]
        );
    }

    #[test]
    fn loan_is_deterministic_and_pinned() {
        let a = loan_applications(2_000, SAMPLE_SEED);
        let b = loan_applications(2_000, SAMPLE_SEED);
        assert_eq!(a, b);
        assert_ne!(a, loan_applications(2_000, SAMPLE_SEED + 1));
        // A prefix property: more rows extend the same table.
        let c = loan_applications(2_500, SAMPLE_SEED);
        assert!(c.starts_with(&a));
        assert_eq!(fnv1a64(&a), PINNED_FNV, "sample data changed: {:#018x}", fnv1a64(&a));
    }

    /// FNV-1a 64 of `loan_applications(2_000, SAMPLE_SEED)`. Changing the
    /// generator changes the web app's sample: update deliberately.
    const PINNED_FNV: u64 = 0x08ba_319a_c5a4_322b;

    #[test]
    fn loan_small_sizes() {
        let header = loan_applications(0, 1);
        assert_eq!(parse_csv(&header).len(), 1);
        let one = parse_csv(&loan_applications(1, 1));
        assert_eq!(one.len(), 2);
        assert_eq!(one[1][0].0, "A0000001");
    }

    #[test]
    fn loan_structure() {
        let data = loan_applications(20_000, 7);
        let recs = parse_csv(&data);
        assert_eq!(recs.len(), 20_001);
        let header: Vec<&str> = recs[0].iter().map(|f| f.0.as_str()).collect();
        assert_eq!(header, LOAN_COLUMNS);
        let mut quoted_notes = 0;
        let mut escaped_quotes = 0;
        let mut empty_notes = 0;
        for r in &recs[1..] {
            assert_eq!(r.len(), 16, "{r:?}");
            for (text, quoted) in r {
                assert_eq!(*quoted, needs_quotes(text), "quoting of {text:?}");
            }
            let f = |i: usize| r[i].0.as_str();
            assert!(f(0).starts_with('A') && f(0).len() == 8);
            let date = f(1);
            assert!(date.len() == 10 && ("2024-01-01"..="2025-12-31").contains(&date));
            assert!(["", "Female", "Male", "Non-binary"].contains(&f(2)));
            assert!(f(3) == "NA" || RACES.iter().any(|r| r.0 == f(3)));
            if !f(4).is_empty() {
                let age: u64 = f(4).parse().unwrap();
                assert!((18..=85).contains(&age));
            }
            if !f(5).is_empty() {
                let inc: f64 = f(5).parse().unwrap();
                assert!((5_000.0..=2_000_000.0).contains(&inc));
                assert_eq!(f(5).split('.').nth(1).map(str::len), Some(2));
            }
            assert!(f(6).len() == 5 && f(6).bytes().all(|b| b.is_ascii_digit()));
            let emp: f64 = f(7).parse().unwrap();
            assert!((0.0..=45.0).contains(&emp));
            let loan: u64 = f(8).parse().unwrap();
            assert!(loan >= 1_000);
            let _dti: f64 = f(9).parse().unwrap();
            let _hist: u64 = f(10).parse().unwrap();
            let score: f64 = f(11).parse().unwrap();
            assert!((0.0..=1.0).contains(&score));
            assert_eq!(f(12), if score >= 0.5 { "approved" } else { "denied" });
            assert!(f(13) == "0" || f(13) == "1");
            let _coll: f64 = f(14).parse().unwrap();
            if r[15].1 {
                quoted_notes += 1;
            }
            if f(15).contains('"') {
                escaped_quotes += 1;
            }
            if f(15).is_empty() {
                empty_notes += 1;
            }
        }
        assert!(quoted_notes > 1_000 && escaped_quotes > 100 && empty_notes > 1_000);
    }

    /// Rate helper: `num / den` as f64.
    fn rate(num: usize, den: usize) -> f64 {
        num as f64 / den.max(1) as f64
    }

    #[test]
    fn loan_injected_effects() {
        let data = loan_applications(SAMPLE_ROWS, SAMPLE_SEED);
        let recs = parse_csv(&data);
        assert_eq!(recs.len(), SAMPLE_ROWS + 1);
        let rows: Vec<Vec<&str>> = recs[1..].iter().map(|r| r.iter().map(|f| f.0.as_str()).collect()).collect();

        // Exact duplicates (all columns), and ids unique otherwise.
        let mut seen = HashSet::new();
        let mut ids = HashSet::new();
        let mut dups = 0;
        for r in &rows {
            if !seen.insert(r.clone()) {
                dups += 1;
            } else {
                assert!(ids.insert(r[0]), "id reused by a non-duplicate row");
            }
        }
        let dup_rate = rate(dups, rows.len());

        // Per-race stats (by recorded race; NA excluded).
        #[derive(Default)]
        struct G {
            n: usize,
            approved: usize,
            income_missing: usize,
            repaid: usize,
            tp: usize,
            defaulted: usize,
            fp: usize,
        }
        let mut groups: HashMap<&str, G> = HashMap::new();
        let mut sex_groups: HashMap<&str, G> = HashMap::new();
        let mut leak_correct = 0;
        let mut max_dti = 0.0f64;
        let mut leading_zero_zips = 0;
        for r in &rows {
            let approved = r[12] == "approved";
            let repaid = r[13] == "1";
            for (map, key) in [(&mut groups, r[3]), (&mut sex_groups, r[2])] {
                let g = map.entry(key).or_default();
                g.n += 1;
                g.approved += usize::from(approved);
                g.income_missing += usize::from(r[5].is_empty());
                if repaid {
                    g.repaid += 1;
                    g.tp += usize::from(approved);
                } else {
                    g.defaulted += 1;
                    g.fp += usize::from(approved);
                }
            }
            let coll: f64 = r[14].parse().unwrap();
            if (coll == 0.0) == repaid {
                leak_correct += 1;
            }
            max_dti = max_dti.max(r[9].parse().unwrap());
            if r[6].starts_with('0') {
                leading_zero_zips += 1;
            }
        }
        let white = &groups["White"];
        let black = &groups["Black"];
        let hisp = &groups["Hispanic"];
        let approval_ratio = rate(black.approved, black.n) / rate(white.approved, white.n);
        let (mut other_missing, mut other_n) = (0, 0);
        for (k, g) in &groups {
            if *k != "Hispanic" && *k != "NA" {
                other_missing += g.income_missing;
                other_n += g.n;
            }
        }
        let miss_h = rate(hisp.income_missing, hisp.n);
        let miss_o = rate(other_missing, other_n);
        let leak_acc = rate(leak_correct, rows.len());
        let tpr = |g: &G| rate(g.tp, g.repaid);
        let fpr = |g: &G| rate(g.fp, g.defaulted);
        let female = &sex_groups["Female"];
        let male = &sex_groups["Male"];
        eprintln!(
            "dup {dup_rate:.4}; approval W {:.4} B {:.4} ratio {approval_ratio:.3}; \
             F {:.4} M {:.4} ratio {:.3}; income missing H {miss_h:.4} others {miss_o:.4}; \
             TPR W {:.3} B {:.3}; FPR W {:.3} B {:.3}; repaid W {:.3} B {:.3}; \
             leak acc {leak_acc:.4}; max dti {max_dti}; zips with leading 0: {leading_zero_zips}",
            rate(white.approved, white.n),
            rate(black.approved, black.n),
            rate(female.approved, female.n),
            rate(male.approved, male.n),
            rate(female.approved, female.n) / rate(male.approved, male.n),
            tpr(white),
            tpr(black),
            fpr(white),
            fpr(black),
            rate(white.repaid, white.n),
            rate(black.repaid, black.n),
        );
        assert!((0.005..=0.015).contains(&dup_rate), "dup rate {dup_rate}");
        assert!(approval_ratio < 0.8, "approval ratio {approval_ratio}");
        assert!(miss_h >= 3.0 * miss_o, "income missing {miss_h} vs {miss_o}");
        assert!(leak_acc >= 0.98, "leak accuracy {leak_acc}");
        assert!(max_dti > 40.0, "max dti {max_dti}");
        assert!(leading_zero_zips > 1_000);
        assert!(tpr(white) - tpr(black) > 0.1, "TPR gap too small");
        // Outcome itself is not (much) race dependent: the gap is the model's.
        assert!((rate(white.repaid, white.n) - rate(black.repaid, black.n)).abs() < 0.03);
    }

    #[test]
    fn zip_is_a_race_proxy() {
        let data = loan_applications(SAMPLE_ROWS, SAMPLE_SEED);
        let recs = parse_csv(&data);
        let mut by_zip: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for r in &recs[1..] {
            if r[3].0 != "NA" {
                *by_zip.entry(r[6].0.clone()).or_default().entry(r[3].0.clone()).or_default() += 1;
            }
        }
        // Share of rows whose race is their ZIP's majority race.
        let (mut majority, mut total) = (0, 0);
        for counts in by_zip.values() {
            majority += counts.values().max().copied().unwrap_or(0);
            total += counts.values().sum::<usize>();
        }
        let purity = rate(majority, total);
        eprintln!("zip purity {purity:.3}, distinct zips {}", by_zip.len());
        assert!(purity > 0.75, "zip purity {purity}");
    }

    /// Writer recording that every write ends at a row boundary.
    struct RowChecker {
        data: Vec<u8>,
        writes: usize,
    }

    impl Write for RowChecker {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.write_all(buf)?;
            Ok(buf.len())
        }
        fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
            if !buf.is_empty() {
                assert_eq!(buf.last(), Some(&b'\n'), "partial row written");
                assert!(buf.len() <= BENCH_FLUSH_AT + 1024, "unbounded buffer");
            }
            self.writes += 1;
            self.data.extend_from_slice(buf);
            Ok(())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn bench_table_shape() {
        let target = 1_000_000;
        let mut w = RowChecker { data: Vec::new(), writes: 0 };
        let stats = bench_table(&mut w, target, 42).unwrap();
        let data = w.data;
        assert!(w.writes > 5);
        assert!(data.len() as u64 >= target);
        assert_eq!(stats.bytes, data.len() as u64);
        assert_eq!(data.last(), Some(&b'\n'));
        let recs = parse_csv(&data);
        assert_eq!(recs.len() as u64, stats.rows + 1);
        let header: Vec<&str> = recs[0].iter().map(|f| f.0.as_str()).collect();
        assert_eq!(header, BENCH_COLUMNS);
        // Stops at the first row boundary at or after the target.
        let last_len = {
            let body = &data[..data.len() - 1];
            // The last record may contain an embedded newline; re-encode it.
            let mut last = Vec::new();
            for (i, (text, _)) in recs[recs.len() - 1].iter().enumerate() {
                if i > 0 {
                    last.push(b',');
                }
                push_field(&mut last, text);
            }
            last.push(b'\n');
            assert!(body.ends_with(&last[..last.len() - 1]));
            last.len() as u64
        };
        assert!(stats.bytes - last_len < target);
        let mut ids = HashSet::new();
        for r in &recs[1..] {
            assert_eq!(r.len(), 15, "{r:?}");
            for (text, quoted) in r {
                assert_eq!(*quoted, needs_quotes(text), "quoting of {text:?}");
            }
            assert!(ids.insert(r[0].0.clone()), "duplicate id");
            assert!(r[13].0 == "true" || r[13].0 == "false");
        }
        // Same seed, same bytes; a prefix of a longer run.
        let mut again = Vec::new();
        let s2 = bench_table(&mut again, target, 42).unwrap();
        assert_eq!(s2, stats);
        assert_eq!(again, data);
        let mut other = Vec::new();
        bench_table(&mut other, target, 43).unwrap();
        assert_ne!(other, data);
    }

    #[test]
    fn bench_table_features() {
        let mut data = Vec::new();
        let stats = bench_table(&mut data, 4_000_000, 1).unwrap();
        let recs = parse_csv(&data);
        let n = stats.rows as usize;
        let count = |col: usize, f: &dyn Fn(&str) -> bool| recs[1..].iter().filter(|r| f(r[col].0.as_str())).count();
        let visits_missing = rate(count(7, &|s| s.is_empty()), n);
        let rate_missing = rate(count(10, &|s| s.is_empty()), n);
        let na = rate(count(5, &|s| s == "NA"), n);
        let huge = count(11, &|s| s.parse::<f64>().unwrap() > 1e8);
        let newlines = count(14, &|s| s.contains('\n'));
        let commas = count(14, &|s| s.contains(','));
        let quotes = count(14, &|s| s.contains('"'));
        let mut card = [HashSet::new(), HashSet::new(), HashSet::new()];
        for r in &recs[1..] {
            for (k, col) in [2, 3, 4].into_iter().enumerate() {
                card[k].insert(r[col].0.clone());
            }
            for col in [6, 8] {
                r[col].0.parse::<i64>().unwrap();
            }
            for col in [9, 12] {
                r[col].0.parse::<f64>().unwrap();
            }
        }
        eprintln!(
            "rows {n}; visits missing {visits_missing:.4}; rate missing {rate_missing:.4}; \
             NA {na:.4}; huge {huge}; newlines {newlines}; commas {commas}; quotes {quotes}; \
             cardinalities {} {} {}",
            card[0].len(),
            card[1].len(),
            card[2].len()
        );
        assert!((0.005..0.015).contains(&visits_missing));
        assert!((0.015..0.025).contains(&rate_missing));
        assert!((0.03..0.07).contains(&na));
        assert!(huge > 0 && newlines > 0 && commas > 0 && quotes > 0);
        assert_eq!(card[0].len(), 2);
        assert_eq!(card[1].len(), 12);
        assert!((450..=500).contains(&card[2].len()));
        let mut empty = Vec::new();
        let s0 = bench_table(&mut empty, 0, 1).unwrap();
        assert_eq!(s0.rows, 0);
        assert_eq!(parse_csv(&empty).len(), 1);
    }
}
