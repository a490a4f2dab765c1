//! The Arrow layout: dictionary arrays with keys stable across batches
//! (`finish_preserve_values`), primitive arrays with nulls, and the same status bytes
//! (Arrow's validity bitmap says "no value", not which kind of missing).

use super::*;
use arrow_array::builder::{Float64Builder, Int64Builder, StringDictionaryBuilder};
use arrow_array::types::UInt32Type;
use arrow_array::{Array, DictionaryArray, Float64Array, Int64Array};

fn text_col(b: &mut StringDictionaryBuilder<UInt32Type>, recs: &Records, rows: std::ops::Range<usize>, c: usize, status: &mut Vec<u8>) -> DictionaryArray<UInt32Type> {
    status.clear();
    for r in rows {
        let s = recs.field(r, c);
        if missing(s) {
            b.append_null();
            status.push(MISSING);
        } else {
            b.append_value(s);
            status.push(PRESENT);
        }
    }
    b.finish_preserve_values()
}

fn f64_col(b: &mut Float64Builder, recs: &Records, rows: std::ops::Range<usize>, c: usize, status: &mut Vec<u8>) -> Float64Array {
    status.clear();
    for r in rows {
        let s = recs.field(r, c);
        if missing(s) {
            b.append_null();
            status.push(MISSING);
        } else if let Ok(v) = s.parse::<f64>() {
            b.append_value(v);
            status.push(PRESENT);
        } else {
            b.append_null();
            status.push(INVALID);
        }
    }
    b.finish()
}

fn i64_col(b: &mut Int64Builder, recs: &Records, rows: std::ops::Range<usize>, c: usize, status: &mut Vec<u8>) -> Int64Array {
    status.clear();
    for r in rows {
        let s = recs.field(r, c);
        if missing(s) {
            b.append_null();
            status.push(MISSING);
        } else if let Ok(v) = s.parse::<i64>() {
            b.append_value(v);
            status.push(PRESENT);
        } else {
            b.append_null();
            status.push(INVALID);
        }
    }
    b.finish()
}

/// Builds every batch and runs the hot loop; returns (build, loop, text columns) seconds.
pub fn run(recs: &Records, t: &mut Totals, now: &dyn Fn() -> f64) -> (f64, f64, f64) {
    let mut text: Vec<StringDictionaryBuilder<UInt32Type>> = (0..4).map(|_| StringDictionaryBuilder::new()).collect();
    text[3].append_value("approved"); // key 0
    let _ = text[3].finish_preserve_values();
    let approved = 0u32;
    let (mut age_b, mut label_b) = (Int64Builder::with_capacity(BATCH), Int64Builder::with_capacity(BATCH));
    let (mut income_b, mut score_b) = (Float64Builder::with_capacity(BATCH), Float64Builder::with_capacity(BATCH));
    let mut st: Vec<Vec<u8>> = vec![Vec::new(); 8];
    let (mut build, mut hot_s, mut text_s) = (0.0, 0.0, 0.0);
    let n = recs.len();
    let mut start = 0;
    while start < n {
        let rows = start..(start + BATCH).min(n);
        let t0 = now();
        let sex = text_col(&mut text[0], recs, rows.clone(), SEX, &mut st[0]);
        let race = text_col(&mut text[1], recs, rows.clone(), RACE, &mut st[1]);
        let zip = text_col(&mut text[2], recs, rows.clone(), zip_column(), &mut st[2]);
        let decision = text_col(&mut text[3], recs, rows.clone(), DECISION, &mut st[3]);
        let tm = now();
        let age = i64_col(&mut age_b, recs, rows.clone(), AGE, &mut st[4]);
        let label = i64_col(&mut label_b, recs, rows.clone(), REPAID, &mut st[5]);
        let income = f64_col(&mut income_b, recs, rows.clone(), INCOME, &mut st[6]);
        let score = f64_col(&mut score_b, recs, rows.clone(), SCORE, &mut st[7]);
        let t1 = now();
        let (sk, rk) = (sex.keys(), race.keys());
        hot(
            t,
            sk.values(),
            rk.values(),
            |r| sk.is_valid(r) && rk.is_valid(r),
            label.values(),
            &st[5],
            decision.keys().values(),
            approved,
            income.values(),
            &st[6],
            score.values(),
            &st[7],
        );
        let t2 = now();
        build += t1 - t0;
        text_s += tm - t0;
        hot_s += t2 - t1;
        std::hint::black_box((&zip, &age));
        start = rows.end;
    }
    (build, hot_s, text_s)
}
