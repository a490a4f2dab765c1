//! The streaming benchmark-table generator ([`bench_table`]): a 15-column mixed-type
//! CSV for loading parsers and profilers.

use super::format::{push_date, push_header, DATE_SPAN_DAYS};
use super::rng::SampleRng;
use super::{BenchStats, BENCH_COLUMNS};
use std::io::{self, Write};

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
pub(super) const BENCH_FLUSH_AT: usize = 1 << 17;

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
pub(super) struct Tok {
    bytes: [u8; 16],
    len: usize,
}

impl Tok {
    /// The empty token.
    const EMPTY: Tok = Tok { bytes: [0; 16], len: 0 };

    /// Token holding (the first 16 bytes of) `s`.
    pub(super) fn new(s: &[u8]) -> Self {
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
pub(super) struct Line<'a> {
    bytes: &'a mut [u8; LINE_CAP],
    len: usize,
}

/// Capacity of a [`Line`].
pub(super) const LINE_CAP: usize = 512;

impl<'a> Line<'a> {
    pub(super) fn new(bytes: &'a mut [u8; LINE_CAP]) -> Self {
        Self { bytes, len: 0 }
    }

    pub(super) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    #[inline(always)]
    pub(super) fn put(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    #[inline(always)]
    pub(super) fn tok(&mut self, t: &Tok) {
        if let Some(dst) = self.bytes.get_mut(self.len..self.len + 16) {
            dst.copy_from_slice(&t.bytes);
            self.len += t.len;
        }
    }

    /// `v` in decimal, zero-padded to at least `width` (<= 20) digits,
    /// written right to left straight into the buffer.
    #[inline(always)]
    pub(super) fn uint(&mut self, mut v: u64, width: usize) {
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
    pub(super) fn fixed<const D: u32>(&mut self, v: u64) {
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
