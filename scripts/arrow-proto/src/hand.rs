//! The hand-rolled layout: codes from a (hash, index) table and a text arena, typed
//! vectors, status bytes.

use super::*;

/// Text value → code, stable over the input.
#[derive(Default)]
pub struct Dict {
    table: HashTable<(u64, u32)>,
    text: String,
    ends: Vec<u32>,
}

#[inline]
fn hash(s: &[u8]) -> u64 {
    // FxHash-style, as privaudit's `Mix`.
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = 0u64;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let mut w = [0u8; 8];
    let rest = chunks.remainder();
    w[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(w) ^ (rest.len() as u64) << 56).wrapping_mul(K);
    h ^ (h >> 29)
}

impl Dict {
    fn text_at(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The code of `s` (new values get the next code).
    #[inline]
    pub fn code(&mut self, s: &str) -> u32 {
        let h = hash(s.as_bytes());
        if let Some(&(_, i)) = self.table.find(h, |e| e.0 == h && self.text_at(e.1) == s) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        self.table.insert_unique(h, (h, i), |e| e.0);
        i
    }
}

#[derive(Default)]
struct TextCol {
    dict: Dict,
    codes: Vec<u32>,
    status: Vec<u8>,
}

#[derive(Default)]
struct NumCol<T> {
    values: Vec<T>,
    status: Vec<u8>,
}

impl TextCol {
    fn fill(&mut self, recs: &Records, rows: std::ops::Range<usize>, c: usize) {
        self.codes.clear();
        self.status.clear();
        for r in rows {
            let s = recs.field(r, c);
            if missing(s) {
                self.codes.push(0);
                self.status.push(MISSING);
            } else {
                self.codes.push(self.dict.code(s));
                self.status.push(PRESENT);
            }
        }
    }
}

impl<T: std::str::FromStr + Default + Copy> NumCol<T> {
    fn fill(&mut self, recs: &Records, rows: std::ops::Range<usize>, c: usize) {
        self.values.clear();
        self.status.clear();
        for r in rows {
            let s = recs.field(r, c);
            let (v, st) = if missing(s) {
                (T::default(), MISSING)
            } else {
                match s.parse::<T>() {
                    Ok(v) => (v, PRESENT),
                    Err(_) => (T::default(), INVALID),
                }
            };
            self.values.push(v);
            self.status.push(st);
        }
    }
}

/// Builds every batch and runs the hot loop; returns (build, loop, text columns) seconds.
pub fn run(recs: &Records, t: &mut Totals, now: &dyn Fn() -> f64) -> (f64, f64, f64) {
    let mut text: [TextCol; 4] = Default::default();
    text[3].dict.code("approved"); // code 0
    let approved = 0;
    let (mut age, mut label) = (NumCol::<i64>::default(), NumCol::<i64>::default());
    let (mut income, mut score) = (NumCol::<f64>::default(), NumCol::<f64>::default());
    let (mut build, mut hot_s, mut text_s) = (0.0, 0.0, 0.0);
    let n = recs.len();
    let mut start = 0;
    while start < n {
        let rows = start..(start + BATCH).min(n);
        let t0 = now();
        for (col, c) in text.iter_mut().zip([SEX, RACE, zip_column(), DECISION]) {
            col.fill(recs, rows.clone(), c);
        }
        let tm = now();
        age.fill(recs, rows.clone(), AGE);
        label.fill(recs, rows.clone(), REPAID);
        income.fill(recs, rows.clone(), INCOME);
        score.fill(recs, rows.clone(), SCORE);
        let t1 = now();
        let (s, rc) = (&text[0], &text[1]);
        hot(
            t,
            &s.codes,
            &rc.codes,
            |r| s.status[r] == PRESENT && rc.status[r] == PRESENT,
            &label.values,
            &label.status,
            &text[3].codes,
            approved,
            &income.values,
            &income.status,
            &score.values,
            &score.status,
        );
        let t2 = now();
        build += t1 - t0;
        text_s += tm - t0;
        hot_s += t2 - t1;
        std::hint::black_box(&age.values);
        start = rows.end;
    }
    (build, hot_s, text_s)
}
