//! Tests of [`bench_table`]: streaming shape and column features.

use super::bench::BENCH_FLUSH_AT;
use super::format::push_field;
use super::tests::*;
use super::*;
use std::collections::HashSet;
use std::io::{self, Write};

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
