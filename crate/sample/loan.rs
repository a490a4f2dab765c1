//! The loan-application generator behind the "Try sample data" table; the
//! columns and injected effects are described in the [`crate::sample`] docs.

use super::arith::{exp_det, round_u64, sigmoid};
use super::format::{push_date, push_field, push_fixed, push_header, push_padded, push_u64, DATE_SPAN_DAYS};
use super::rng::SampleRng;
use super::LOAN_COLUMNS;

// ---------------------------------------------------------------------------
// Loan applications
// ---------------------------------------------------------------------------

/// Race groups and their shares in per mille (sum 1000).
pub(super) const RACES: [(&str, u64); 6] = [
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
