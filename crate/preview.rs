//! What the page shows before a run, beyond the resolved spec: the structural problems
//! visible in the file's first bytes (ragged rows, quoted fields that span lines, a quote
//! never closed), an estimate of the row count, and the key under which the page keeps the
//! settings of files with the same header.
//!
//! The structure is checked by the run's own decoder ([`crate::ingest::decoder::Decoder`]) over the
//! preview's sample, the file's first MiB ([`crate::ingest::sniff::SAMPLE_BYTES`]), so the preview
//! flags exactly what the run will report for those rows. With `[privacy] detect` (the
//! default) the same pass runs the personal-data detector ([`crate::privacy::detect`]) over
//! those rows, and the example values follow the report's rule: none for a column judged a
//! direct identifier, and no listed value that validates as one elsewhere.
//!
//! **The row estimate.** The sample is fed in blocks of [`BLOCK`] bytes; after each, the
//! rows completed and the byte where the last complete one ends are noted. With r_i rows in
//! b_i bytes per block (k blocks, from the first data row), the rate is R = Σr/Σb rows per
//! byte and the estimate N = R × (file size − header bytes). Its 95 % interval is
//! N ± 1.96 (file size − header bytes) √(s² / (k b̄²)) with s² = Σ(r_i − R b_i)²/(k − 1), the
//! ratio estimator's variance over the blocks (Cochran 1977, §6.4): right when the rest of
//! the file has rows like its first MiB, which a sorted file may not. When the sample is the
//! whole file, the count is exact.

use crate::accumulator::Accumulator;
use crate::error::Result;
use crate::ingest::decoder::Decoder;
use crate::ingest::findings::FindingsAcc;
use crate::ingest::sniff::{resolve, Preview, PreviewColumn, SAMPLE_BYTES};
use crate::privacy::detect::{report::PersonalDataReport, PiiAcc, PiiCounts};
use crate::report::fmt;
use crate::spec::{RawSpec, ValidSpec};
use serde::Serialize;
use std::sync::Arc;

/// Bytes per block of the row estimate.
pub const BLOCK: usize = 64 * 1024;

/// Structural problems in the file's first bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Structure {
    /// Bytes checked (the sample).
    pub bytes: u64,
    /// Whether they are the whole file.
    pub whole: bool,
    /// Data rows complete within them.
    pub rows: u64,
    /// Rows whose field count differs from the header's: how many, and the first rows.
    pub ragged_rows: (u64, Vec<u64>),
    /// Rows with a quoted field spanning line breaks: how many, and the first (row, lines).
    pub quoted_line_breaks: (u64, Vec<(u64, u64)>),
    /// The row whose quote is never closed (whole file only): (row, lines).
    pub unterminated_quote: Option<(u64, u64)>,
    /// A row whose quote is still open where the sample ends, already spanning lines:
    /// (row, lines so far).
    pub open_at_end: Option<(u64, u64)>,
    /// The problems in sentences (empty: none seen).
    pub warnings: Vec<String>,
}

/// The estimated (or, for a file read whole, exact) number of data rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RowEstimate {
    /// The estimate (None without a complete row in the sample).
    pub rows: Option<u64>,
    /// True when the sample was the whole file: `rows` is the count.
    pub exact: bool,
    /// The 95 % interval (None when exact or with fewer than two blocks).
    pub interval: Option<(u64, u64)>,
    /// In words, labelled as an estimate.
    pub text: String,
}

/// The preview the page shows: the resolved preview, the structure of the first bytes, the
/// row estimate, and the key of the header for the page's stored settings.
#[derive(Clone, Debug, Serialize)]
pub struct PagePreview {
    /// Dialect, encoding, columns (with examples and suggested roles), notices, the spec.
    #[serde(flatten)]
    pub preview: Preview,
    /// Structural problems in the first bytes.
    pub structure: Structure,
    /// The row estimate.
    pub estimate: RowEstimate,
    /// SHA-256 (hex) of the column names: the page keeps settings under it (never data).
    pub header_key: String,
}

/// Resolves `raw` against the file's first bytes (`sample`, `whole` when that is the file)
/// and checks their structure; `file_size` for the row estimate.
pub fn page_preview(raw: &RawSpec, sample: &[u8], whole: bool, file_size: u64) -> Result<PagePreview> {
    let mut preview = resolve(raw, sample, whole)?;
    if crate::ingest::source::parquet::preview::is_preview_input(sample) {
        // Parquet: no text structure to check; the footer counts the rows exactly.
        let (meta, _) = crate::ingest::source::parquet::wire::Meta::read(sample)?;
        let structure = Structure { bytes: file_size, whole: true, rows: meta.rows, ..Structure::default() };
        let estimate = RowEstimate {
            rows: Some(meta.rows),
            exact: true,
            interval: None,
            text: format!("{} (from the Parquet file's footer)", plural(meta.rows, "data row", "data rows")),
        };
        let header_key = header_key(preview.columns.iter().map(|c| c.name.as_str()));
        return Ok(PagePreview { preview, structure, estimate, header_key });
    }
    let (structure, estimate, personal) = check(&preview.spec, sample, whole, file_size)?;
    if let Some((pd, counts)) = personal {
        hide_personal(&mut preview.columns, &pd, &counts);
    }
    let header_key = header_key(preview.columns.iter().map(|c| c.name.as_str()));
    Ok(PagePreview { preview, structure, estimate, header_key })
}

/// The report's rule for personal data, on the examples: none for a column judged a direct
/// identifier (whatever `show_sensitive_values` says), and no example that validates as a
/// directly identifying kind in another column.
fn hide_personal(columns: &mut [PreviewColumn], pd: &PersonalDataReport, counts: &PiiCounts) {
    for (c, plan) in columns.iter_mut().zip(&counts.plans) {
        if let Some(f) = pd.direct_identifiers().find(|f| f.column == c.name) {
            c.examples.clear();
            c.examples_hidden = Some(format!(
                "judged a direct identifier in the first rows ({}): values of such columns are never shown",
                f.reason
            ));
        } else {
            c.examples.retain(|v| !crate::privacy::detect::protect::personal(v.trim_end_matches('…'), plan));
        }
    }
}

/// SHA-256 (hex) of the column names, one per line after a version line.
pub fn header_key<'a>(names: impl Iterator<Item = &'a str>) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(b"privaudit-header/1\n");
    for n in names {
        h.update(n.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What the personal-data detector found in the sample, with its counts.
type Personal = Option<(PersonalDataReport, PiiCounts)>;

/// Runs the decoder over `sample` with the resolved input settings and columns of `spec`
/// (and, with `[privacy] detect`, the personal-data detector).
pub fn check(spec: &RawSpec, sample: &[u8], whole: bool, file_size: u64) -> Result<(Structure, RowEstimate, Personal)> {
    let only = RawSpec {
        input: spec.input.clone(),
        columns: spec.columns.clone(),
        privacy: spec.privacy.clone(),
        ..RawSpec::default()
    };
    let valid = Arc::new(ValidSpec::try_from_resolved(&only)?);
    let utf16 = valid.encoding.is_utf16();
    let width = valid.columns.len();
    let mut pii = spec.privacy.detect.then(|| PiiAcc::new(&valid));
    let mut dec = Decoder::new(Arc::clone(&valid), 0, u64::MAX, true);
    if pii.is_none() {
        dec.only_columns(&[]);
    }
    let mut f = FindingsAcc::default();
    let mut marks = Vec::new();
    let mut sink = |b: &crate::ingest::batch::Batch| {
        if let Some(p) = pii.as_mut() {
            p.update(b);
        }
    };
    for block in sample.chunks(BLOCK) {
        dec.feed(block, &mut f, &mut sink)?;
        marks.push(dec.rows_read());
    }
    if whole {
        dec.finish_input(&mut f, &mut sink)?;
    } else {
        dec.flush(&mut sink);
    }
    let personal = pii.map(|p| {
        let counts = p.finish();
        (crate::privacy::detect::report::build(&valid, &counts, &|_| None), counts)
    });
    let open_at_end = if whole { None } else { dec.open_quote().map(|(_, row, lines)| (row, lines)) };
    let (rows, first_row, _) = dec.rows_read();
    let spans = |s: &crate::ingest::findings::Spans| {
        s.first.iter().map(|x| (x.loc.row_in_segment, x.lines)).collect::<Vec<_>>()
    };
    let mut st = Structure {
        bytes: sample.len() as u64,
        whole,
        rows,
        ragged_rows: (f.ragged_rows.count, f.ragged_rows.first.iter().map(|l| l.row_in_segment).collect()),
        quoted_line_breaks: (f.quoted_line_breaks.count, spans(&f.quoted_line_breaks)),
        unterminated_quote: spans(&f.unterminated_quote).first().copied(),
        open_at_end,
        warnings: Vec::new(),
    };
    st.warnings = warnings(&st, width);
    let estimate = if whole {
        let text = format!("{} (the whole file was read)", plural(rows, "data row", "data rows"));
        RowEstimate { rows: Some(rows), exact: true, interval: None, text }
    } else {
        estimate(first_row, &marks, file_size, utf16)
    };
    Ok((st, estimate, personal))
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", fmt::count(n), if n == 1 { one } else { many })
}

fn rows_list(rows: &[u64], count: u64) -> String {
    let mut s = rows.iter().map(|&r| fmt::count(r)).collect::<Vec<_>>().join(", ");
    if count > rows.len() as u64 {
        s.push_str(", …");
    }
    s
}

/// The structural problems in sentences.
fn warnings(st: &Structure, width: usize) -> Vec<String> {
    let first = format!("{} {}", if st.whole { "the file's" } else { "the first" }, plural(st.rows, "row", "rows"));
    let mut out = Vec::new();
    let (n, rows) = &st.ragged_rows;
    if *n > 0 {
        out.push(format!(
            "{} of {first} {} a different number of fields than the header's {width} (row{} {}): check the delimiter and quote above; the run reports them (check ragged_rows)",
            fmt::count(*n),
            if *n == 1 { "has" } else { "have" },
            if *n == 1 { "" } else { "s" },
            rows_list(rows, *n)
        ));
    }
    if let Some((row, lines)) = st.unterminated_quote {
        out.push(format!(
            "row {}: a quote opens and is never closed, so the rest of the file ({}) would be read as this one row",
            fmt::count(row),
            plural(lines, "line", "lines")
        ));
    }
    if let Some((row, lines)) = st.open_at_end {
        out.push(format!(
            "row {}: a quote opens and is still open where the first MiB ends, {} later: if it is a stray quote, the rest of the file would merge into this row",
            fmt::count(row),
            plural(lines, "line", "lines")
        ));
    }
    let (n, spans) = &st.quoted_line_breaks;
    let closed: Vec<&(u64, u64)> = spans.iter().filter(|s| Some(**s) != st.unterminated_quote).collect();
    if !closed.is_empty() {
        let list: Vec<String> = closed
            .iter()
            .take(3)
            .map(|(r, l)| format!("row {} spans {}", fmt::count(*r), plural(*l, "line", "lines")))
            .collect();
        out.push(format!(
            "{} of {first} {} a quoted field that spans line breaks ({}{}): multi-line text, or lines merged by a stray quote",
            fmt::count(*n - u64::from(st.unterminated_quote.is_some())),
            if closed.len() == 1 && *n <= 1 { "has" } else { "have" },
            list.join("; "),
            if closed.len() > 3 || *n > spans.len() as u64 { "; …" } else { "" }
        ));
    }
    out
}

/// The row estimate from the block marks `(rows, first_row, complete_end)`.
fn estimate(first_row: Option<u64>, marks: &[(u64, Option<u64>, u64)], file_size: u64, utf16: bool) -> RowEstimate {
    let none = |why: &str| RowEstimate { text: format!("no row estimate: {why}"), ..RowEstimate::default() };
    let Some(start) = first_row else { return none("no complete row in the first MiB") };
    if utf16 {
        return none("the file is UTF-16 (the run counts its rows)");
    }
    // Blocks: rows and bytes completed between consecutive marks.
    let (mut prev_rows, mut prev_end) = (0u64, start);
    let mut blocks: Vec<(f64, f64)> = Vec::new();
    for &(rows, _, end) in marks {
        if end > prev_end {
            blocks.push(((rows - prev_rows) as f64, (end - prev_end) as f64));
            (prev_rows, prev_end) = (rows, end);
        }
    }
    let (r, b): (f64, f64) = blocks.iter().fold((0.0, 0.0), |(r, b), x| (r + x.0, b + x.1));
    if r == 0.0 || b == 0.0 {
        return none("no complete row in the first MiB");
    }
    let rate = r / b;
    let rest = file_size.saturating_sub(start) as f64;
    let n = rate * rest;
    let k = blocks.len() as f64;
    let interval = (blocks.len() >= 2).then(|| {
        let s2 = blocks.iter().map(|&(ri, bi)| (ri - rate * bi).powi(2)).sum::<f64>() / (k - 1.0);
        let mean_b = b / k;
        let half = 1.96 * rest * (s2 / (k * mean_b * mean_b)).sqrt();
        (round_down(n - half).max(r as u64), round_up(n + half))
    });
    let shown = round3(n);
    let range =
        interval.map_or(String::new(), |(lo, hi)| format!(" (95 % range {} – {})", fmt::count(lo), fmt::count(hi)));
    let text = format!(
        "about {}{range}: an estimate from the first {} of {} bytes, whose {} average {} bytes, if the rest of the file is like them; the run counts them exactly",
        plural(shown, "data row", "data rows"),
        if marks.len() * BLOCK >= SAMPLE_BYTES { "MiB".to_string() } else { format!("{} bytes", fmt::count(prev_end)) },
        fmt::count(file_size),
        plural(r as u64, "complete row", "complete rows"),
        fmt::number(b / r),
    );
    RowEstimate { rows: Some(shown), exact: false, interval, text }
}

/// Three significant digits, rounded to nearest / down / up.
fn round3(x: f64) -> u64 {
    scale3(x, f64::round)
}
fn round_down(x: f64) -> u64 {
    scale3(x, f64::floor)
}
fn round_up(x: f64) -> u64 {
    scale3(x, f64::ceil)
}
fn scale3(x: f64, f: fn(f64) -> f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    let mut unit = 1.0;
    while x / unit >= 1000.0 {
        unit *= 10.0;
    }
    (f(x / unit) * unit) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preview(csv: &[u8], size: u64) -> PagePreview {
        let n = csv.len().min(SAMPLE_BYTES);
        page_preview(&RawSpec::default(), &csv[..n], n as u64 == size, size).expect("preview")
    }

    #[test]
    fn a_small_file_is_counted_and_its_broken_quote_flagged() {
        let p = preview(b"a,b,c\n1,2,\"x\n3,4,y\n5,6,z\n", 25);
        assert_eq!((p.estimate.rows, p.estimate.exact), (Some(1), true));
        assert_eq!(p.estimate.text, "1 data row (the whole file was read)");
        assert_eq!(p.structure.unterminated_quote, Some((1, 3)));
        assert_eq!(
            p.structure.warnings,
            ["row 1: a quote opens and is never closed, so the rest of the file (3 lines) would be read as this one row"]
        );
        let ragged = preview(b"a,b,c\n1,2\n3,4,5\n6,7,8,9\n", 24);
        assert_eq!(ragged.structure.ragged_rows, (2, vec![1, 3]));
        let w = &ragged.structure.warnings;
        assert!(
            w[0].starts_with(
                "2 of the file's 3 rows have a different number of fields than the header's 3 (rows 1, 3)"
            ),
            "{w:?}"
        );
        assert_eq!(p.header_key, preview(b"a,b,c\n9,9,9\n", 12).header_key, "same header, same key");
        assert_ne!(p.header_key, preview(b"a,b,d\n9,9,9\n", 12).header_key);
    }

    #[test]
    fn personal_data_found_in_the_first_rows_is_never_an_example() {
        let csv = b"account,city,note\nGB82WEST12345698765432,Leeds,ok\nDE89370400440532013000,York,card 4111 1111 1111 1111\n";
        let p = preview(csv, csv.len() as u64);
        let col = |name: &str| p.preview.columns.iter().find(|c| c.name == name).expect(name).clone();
        assert!(col("account").examples.is_empty());
        assert!(col("account").examples_hidden.as_deref().is_some_and(|w| w.starts_with("judged a direct identifier")));
        assert_eq!(col("city").examples, ["Leeds", "York"]);
        let mut raw = RawSpec::default();
        raw.privacy.detect = false;
        let off = page_preview(&raw, csv, true, csv.len() as u64).expect("preview");
        assert_eq!(off.preview.columns[0].examples.len(), 2, "detection off: the sample's rule only");
    }

    #[test]
    fn a_large_file_gets_an_estimate_with_an_interval_and_an_open_quote_is_seen() {
        // 40,000 rows of 20–39 bytes: about 1.18 MB, so the preview sees part of it.
        let mut csv = String::from("id,text\n");
        for i in 0..40_000u64 {
            csv.push_str(&format!("{i},{}\n", "x".repeat(10 + (i * 7919 % 20) as usize)));
        }
        let size = csv.len() as u64;
        let p = preview(csv.as_bytes(), size);
        let (lo, hi) = p.estimate.interval.expect("an interval");
        assert!(!p.estimate.exact && lo <= 40_000 && 40_000 <= hi, "{:?}", p.estimate);
        assert!(hi - lo < 1_000, "{:?}", p.estimate);
        assert!(p.estimate.text.starts_with("about 40,000 data rows (95 % range"), "{}", p.estimate.text);
        assert!(p.structure.warnings.is_empty());
        // A stray quote early on: still open where the sample ends.
        let stray = csv.replacen("\n5,", "\n5,\"", 1);
        let p = preview(stray.as_bytes(), stray.len() as u64);
        let (row, lines) = p.structure.open_at_end.expect("open quote");
        assert!(row == 6 && lines > 30_000, "{row} {lines}");
        assert!(p.structure.warnings[0].starts_with("row 6: a quote opens and is still open where the first MiB ends"));
    }
}
