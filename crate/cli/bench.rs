//! `privaudit bench-parse` (hidden): the baselines `scripts/bench` compares the profile
//! with. Bare mode: csv-core only over N blind byte splits. Decode mode: the engine's own
//! decoding and cell typing ([`privaudit::engine::decode_only`]) with no analyses, over
//! the ranges a profile would use. Prints one JSON line.

use crate::{io_err, preview};
use privaudit::engine::{decode_only, drive, split};
use privaudit::error::{Error, Result};
use privaudit::spec::{RawSpec, ValidSpec};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

/// Runs the bare (`decode == false`) or the decode-only baseline on `workers` threads and
/// prints `{"mode", "bytes", "records", "seconds", "mb_per_s"}` (decode mode adds
/// `"rows"`, the data rows; its `records` counts the header too, like the bare parse).
pub fn bench_parse(path: &Path, workers: usize, decode: bool) -> Result<()> {
    let size = std::fs::metadata(path).map_err(|e| io_err(path, e))?.len();
    let (mode, records, rows, secs) = if decode {
        // Sniff and infer the spec like `profile` does (not timed: the bare parse has none).
        let preview = preview(path, &RawSpec::default())?;
        let spec = Arc::new(ValidSpec::try_from_resolved(&preview.spec)?);
        let plans = split::plan_for(&preview, size, workers);
        let t = std::time::Instant::now();
        let rows = decode_only::coordinate(plans, |p| {
            let mut f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
            decode_only::read_range(&spec, &mut f, p, drive::CHUNK_BYTES)
        })?;
        let secs = t.elapsed().as_secs_f64();
        ("decode", rows + u64::from(spec.dialect.header), Some(rows), secs)
    } else {
        let t = std::time::Instant::now();
        let records = bare(path, size, workers)?;
        ("bare", records, None, t.elapsed().as_secs_f64())
    };
    let rows = rows.map_or_else(String::new, |r| format!(", \"rows\": {r}"));
    println!(
        "{{\"mode\": \"{mode}\", \"bytes\": {size}, \"records\": {records}{rows}, \"seconds\": {secs:.3}, \"mb_per_s\": {:.1}}}",
        size as f64 / 1e6 / secs
    );
    Ok(())
}

/// csv-core only over `workers` blind splits of the file; returns the records seen (a
/// record cut by a split is counted in both halves).
fn bare(path: &Path, size: u64, workers: usize) -> Result<u64> {
    let records: Result<Vec<u64>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..workers as u64)
            .map(|k| {
                s.spawn(move || -> Result<u64> {
                    let (a, b) = (size * k / workers as u64, size * (k + 1) / workers as u64);
                    let mut f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
                    f.seek(SeekFrom::Start(a))?;
                    let mut p = privaudit::ingest::bare::BareParser::new(b',', b'"');
                    let mut buf = vec![0u8; drive::CHUNK_BYTES];
                    let mut left = b - a;
                    while left > 0 {
                        let want = left.min(buf.len() as u64) as usize;
                        let n = f.read(&mut buf[..want])?;
                        if n == 0 {
                            break;
                        }
                        p.feed(&buf[..n]);
                        left -= n as u64;
                    }
                    p.feed(&[]);
                    Ok(p.records)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::state("thread panicked")))).collect()
    });
    Ok(records?.iter().sum())
}
