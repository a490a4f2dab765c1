//! Messy inputs: every file of `tests/data/messy/` (see `EXPECTED.md` there) and a few
//! generated ones (10,000 columns, a 5 MB field, random garbage) give exactly the expected
//! report or error, and the same report whatever the execution strategy: one pass, 1-byte
//! chunks, 3 byte ranges, and one range per byte (STYLE §12).

use privaudit::engine::drive::{run_bytes, CHUNK_BYTES};
use privaudit::engine::split::{plan_n, RangePlan};
use privaudit::error::Error;
use privaudit::ingest::sniff::SAMPLE_BYTES;
use privaudit::ingest::value::ColumnType;
use privaudit::quality::checks::Status;
use privaudit::report::{model::ColumnReport, model::Finding, InputMeta, Report};
use privaudit::spec::{resolve, RawColumn, RawSpec, ValidSpec};
use privaudit::{audit_bytes, spec::Role};
use std::path::PathBuf;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// Every committed corpus file (everything but the generator and the docs).
const CORPUS: &[&str] = &[
    "all_missing.csv",
    "binary.png",
    "blank_lines.csv",
    "bom_utf8.csv",
    "cr_only.csv",
    "crlf.csv",
    "dates.csv",
    "duplicate_headers.csv",
    "empty.csv",
    "empty.gz",
    "empty_header.csv",
    "empty_member.csv.gz",
    "footer_beyond.parquet",
    "formulas.csv",
    "header_only.csv",
    "jsonl_one_bad_line.jsonl",
    "latin1.csv",
    "numbers.csv",
    "pipe.csv",
    "quoted.csv",
    "ragged.csv",
    "random_bytes.xlsx",
    "reader_panic.parquet",
    "row_group_beyond.parquet",
    "semicolon_decimal_comma.csv",
    "tab.tsv",
    "truncated.csv.gz",
    "truncated.parquet",
    "truncated.xlsx",
    "utf16be_bom.csv",
    "utf16le_bom.csv",
    "utf16le_no_bom.csv",
    "utf8_one_bad_byte.csv",
    "windows1252.csv",
    "xss_header.csv",
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/messy")
}

fn data(name: &str) -> Vec<u8> {
    let path = dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; rebuild the corpus with `cd tests/data/messy && python3 generate.py`", path.display())
    })
}

fn spec(toml: &str) -> RawSpec {
    RawSpec::from_toml(toml).unwrap_or_else(|e| panic!("bad test spec: {e}"))
}

fn audit_with(raw: &RawSpec, bytes: &[u8]) -> Result<Report, Error> {
    audit_bytes(raw, bytes, InputMeta::default(), 1)
}

/// The corpus tests read decoded values back from the top values, including those of
/// name-like and free-text columns, which the report hides by default (the personal_data
/// flag, and personal-data detection, which hides direct identifiers whatever
/// `show_sensitive_values` says): both are switched off here.
fn shown() -> RawSpec {
    spec("[profile]\nshow_sensitive_values = true\n[privacy]\ndetect = false\n")
}

fn audit(name: &str) -> Report {
    audit_with(&shown(), &data(name)).unwrap_or_else(|e| panic!("{name}: {} error: {e}", e.kind_name()))
}

/// Person names in the decoding tests are personal data: the default report hides them.
/// These tests check that the default report shows none of them, then read the decoded
/// names with hiding and detection off ([`shown`]).
fn detection_off() -> RawSpec {
    shown()
}

fn audit_names_shown(name: &str) -> Report {
    let hidden =
        audit_with(&RawSpec::default(), &data(name)).unwrap_or_else(|e| panic!("{name}: {} error: {e}", e.kind_name()));
    assert_eq!(top(col(&hidden, "name")), [], "{name}: person names must be hidden by default");
    audit(name)
}

fn audit_err(name: &str) -> Error {
    match audit_with(&RawSpec::default(), &data(name)) {
        Ok(r) => panic!("{name}: expected an error, got a report with {} rows", r.input.rows),
        Err(e) => e,
    }
}

fn col<'a>(r: &'a Report, name: &str) -> &'a ColumnReport {
    r.columns.iter().find(|c| c.name == name).unwrap_or_else(|| {
        let names: Vec<_> = r.columns.iter().map(|c| c.name.as_str()).collect();
        panic!("no column `{name}` in {names:?}")
    })
}

fn names(r: &Report) -> Vec<&str> {
    r.columns.iter().map(|c| c.name.as_str()).collect()
}

fn finding<'a>(r: &'a Report, id: &str) -> &'a Finding {
    r.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no finding `{id}`"))
}

/// (count, first rows) of a finding.
fn rows_of(r: &Report, id: &str) -> (u64, Vec<u64>) {
    let f = finding(r, id);
    (f.count, f.first.iter().map(|p| p.row.expect("finding without a row")).collect())
}

fn no_findings(r: &Report) {
    for f in &r.findings {
        assert_eq!(f.count, 0, "unexpected finding {}: {:?}", f.id, f.first);
    }
}

fn mean(c: &ColumnReport) -> f64 {
    c.stats.numeric.as_ref().and_then(|m| m.mean).unwrap_or_else(|| panic!("`{}` has no mean", c.name))
}

fn top(c: &ColumnReport) -> Vec<(&str, u64)> {
    c.stats.top_values.as_ref().map_or_else(Vec::new, |t| t.iter().map(|v| (v.value.as_str(), v.count)).collect())
}

fn temporal(c: &ColumnReport) -> (&str, &str) {
    let t = c.stats.temporal.as_ref().unwrap_or_else(|| panic!("`{}` has no date range", c.name));
    (t.min.as_str(), t.max.as_str())
}

fn has_notice(r: &Report, needle: &str) -> bool {
    r.notices.iter().any(|n| n.contains(needle))
}

fn check_status(r: &Report, id: &str, column: Option<&str>) -> Status {
    r.checks
        .iter()
        .find(|c| c.id == id && c.column.as_deref() == column)
        .unwrap_or_else(|| panic!("no check {id} {column:?}"))
        .status
}

/// A report as JSON with the timing fields blanked (they are `None` here anyway).
fn normalized(mut r: Report) -> String {
    r.input.duration_ms = None;
    r.input.started_at = None;
    r.to_json()
}

/// An outcome that can be compared across strategies: the JSON, or the error's kind,
/// position and sentence.
fn outcome(r: Result<Report, Error>) -> Result<String, String> {
    r.map(normalized).map_err(|e| format!("{} at {:?}: {e}", e.kind_name(), e.position()))
}

/// Preview + validate + run with the given plans and chunk size + report, with the same
/// metadata `audit_bytes` fills in.
fn run_strategy(
    raw: &RawSpec,
    bytes: &[u8],
    plans: &dyn Fn(u64, bool) -> Vec<RangePlan>,
    chunk: usize,
) -> Result<Report, Error> {
    let sample = &bytes[..bytes.len().min(SAMPLE_BYTES)];
    let preview = resolve(raw, sample, sample.len() == bytes.len())?;
    let valid = Arc::new(ValidSpec::try_from_resolved(&preview.spec)?);
    let plan = run_bytes(&valid, bytes, plans(bytes.len() as u64, preview.splittable), chunk)?;
    let meta = InputMeta {
        file_size: bytes.len() as u64,
        notices: preview.notices,
        bom: preview.encoding.bom,
        line_ending: Some(preview.dialect.line_ending),
        ..InputMeta::default()
    };
    Ok(plan.finish(&valid, meta))
}

/// `n` ranges when the file can be split (UTF-16 cannot: it is always read in one range).
fn ranges(n: u64) -> impl Fn(u64, bool) -> Vec<RangePlan> {
    move |len, splittable| plan_n(len, if splittable { n } else { 1 })
}

/// Asserts that one pass, 1-byte chunks, 3 ranges of 1-byte chunks and (for small inputs)
/// one range per byte and 7 ranges of 2-byte chunks all give the report (or the error) of
/// `audit_bytes`, which is returned. Big inputs (`small_chunks == false`) are checked in 3
/// ranges of 4,093-byte chunks only, to keep debug builds fast.
fn assert_strategies_agree(what: &str, raw: &RawSpec, bytes: &[u8], small_chunks: bool) -> Result<Report, Error> {
    let audited = audit_with(raw, bytes);
    let reference = outcome(audited.clone());
    let mut strategies: Vec<(String, u64, usize)> = if small_chunks {
        vec![
            ("one pass".into(), 1, CHUNK_BYTES),
            ("1 range, 1-byte chunks".into(), 1, 1),
            ("3 ranges, 1-byte chunks".into(), 3, 1),
        ]
    } else {
        vec![("3 ranges, 4093-byte chunks".into(), 3, 4093)]
    };
    if bytes.len() <= 4096 {
        strategies.push(("one range per byte".into(), bytes.len() as u64, 1));
        strategies.push(("7 ranges, 2-byte chunks".into(), 7, 2));
    }
    for (name, n, chunk) in strategies {
        let got = outcome(run_strategy(raw, bytes, &ranges(n), chunk));
        if got != reference {
            let show = |o: &Result<String, String>| o.clone().unwrap_or_else(|e| e);
            let (g, r) = (show(&got), show(&reference));
            let at = g.chars().zip(r.chars()).position(|(a, b)| a != b).unwrap_or(g.len().min(r.len()));
            let excerpt = |s: &str| s.chars().skip(at.saturating_sub(300)).take(600).collect::<String>();
            panic!(
                "{what}: {name} differs from audit_bytes at char {at}:\n--- got ---\n{}\n--- expected ---\n{}",
                excerpt(&g),
                excerpt(&r)
            );
        }
    }
    audited
}

/// A tiny deterministic PRNG (xorshift64*), so the fuzz loop needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

// ---------------------------------------------------------------------------------------
// Every corpus file, every strategy
// ---------------------------------------------------------------------------------------

#[test]
fn corpus_listing_is_complete() {
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/data/messy")
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "generate.py" && n != "EXPECTED.md")
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, CORPUS, "add new corpus files to CORPUS (and to EXPECTED.md)");
    let total: u64 = std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().metadata().unwrap().len()).sum();
    assert!(total < 200_000, "the committed corpus must stay small; generate big inputs in the test");
}

#[test]
fn every_file_gives_the_same_report_with_every_strategy() {
    for name in CORPUS {
        let _ = assert_strategies_agree(name, &RawSpec::default(), &data(name), true);
    }
}

#[test]
fn specs_that_change_parsing_give_the_same_report_with_every_strategy() {
    let cases = [
        ("numbers.csv", "[input]\nthousands = \",\"\n"),
        ("numbers.csv", "[[columns]]\nname = \"amount\"\ntype = \"float\"\n"),
        ("utf8_one_bad_byte.csv", "[input]\nencoding = \"utf-8\"\n"),
        ("dates.csv", "[input]\ndate_order = \"dmy\"\n"),
        ("header_only.csv", "[input]\nheader = false\n"),
    ];
    for (name, toml) in cases {
        let _ = assert_strategies_agree(&format!("{name} with {toml:?}"), &spec(toml), &data(name), true);
    }
}

// ---------------------------------------------------------------------------------------
// Encodings, byte-order marks, line endings
// ---------------------------------------------------------------------------------------

#[test]
fn utf8_bom_is_skipped_and_reported() {
    let r = audit_names_shown("bom_utf8.csv");
    assert_eq!((r.input.rows, r.input.columns), (2, 2));
    assert_eq!(names(&r), ["name", "age"], "the BOM must not stick to the first name");
    assert_eq!(r.input.encoding, "utf-8 (with BOM)");
    assert_eq!(mean(col(&r, "age")), 35.0);
    assert_eq!(top(col(&r, "name")), [("Ann", 1), ("Bob", 1)]);
    no_findings(&r);
    assert!(r.passed);
}

#[test]
fn a_second_bom_is_content_whatever_the_chunking() {
    // Two exported files concatenated: the second BOM starts a record. csv-core would strip
    // a BOM at the start of its first input (only when it holds all 3 bytes), so a range
    // starting there, or a double BOM read in one chunk, used to differ from 1-byte chunks.
    let csv = b"\xEF\xBB\xBFname,age\nAnn,30\n\xEF\xBB\xBFname,age\nBob,40\n";
    let r = assert_strategies_agree("concatenated files", &RawSpec::default(), csv, true).unwrap();
    assert_eq!(r.input.rows, 3);
    assert_eq!(top(col(&r, "name")), [], "person names are hidden by default");
    let r = assert_strategies_agree("concatenated files", &detection_off(), csv, true).unwrap();
    assert_eq!(top(col(&r, "name")), [("Ann", 1), ("Bob", 1), ("\u{FEFF}name", 1)]);
    let csv = b"\xEF\xBB\xBF\xEF\xBB\xBF\"a\nx\n";
    let r = assert_strategies_agree("double BOM", &RawSpec::default(), csv, true).unwrap();
    assert_eq!((names(&r), r.input.rows), (vec!["\u{FEFF}\"a"], 1), "the quote after a BOM is a literal");
    // A BOM does not hide NUL bytes.
    assert_eq!(audit_with(&RawSpec::default(), b"\xEF\xBB\xBFa,b\n1,\x002\n").unwrap_err().kind_name(), "binary");
}

#[test]
fn crlf_and_cr_only_line_endings() {
    let r = audit("crlf.csv");
    assert_eq!((r.input.rows, r.input.columns), (3, 2));
    assert_eq!(serde_json::to_value(r.input.dialect.line_ending).unwrap(), "crlf");
    assert_eq!(col(&r, "score").ty, ColumnType::Float);
    assert_eq!(mean(col(&r, "score")), 2.5);
    assert_eq!(top(col(&r, "k")), [], "integer columns have no top values");
    no_findings(&r);

    let r = audit("cr_only.csv");
    assert_eq!((r.input.rows, r.input.columns), (3, 2));
    assert_eq!(serde_json::to_value(r.input.dialect.line_ending).unwrap(), "cr");
    assert_eq!(mean(col(&r, "a")), 2.0);
    assert_eq!(top(col(&r, "b")), [("x", 1), ("y", 1), ("z", 1)], "no `\\r` may stay in the values");
    no_findings(&r);
}

#[test]
fn latin1_file_is_read_as_windows_1252_with_a_notice() {
    let r = audit_names_shown("latin1.csv");
    assert_eq!((r.input.rows, r.input.columns), (2, 2));
    assert_eq!(r.input.encoding, "windows-1252");
    assert!(has_notice(&r, "not valid UTF-8 (first invalid byte at offset 13)"), "{:?}", r.notices);
    assert_eq!(top(col(&r, "name")), [("François", 1), ("José", 1)]);
    assert_eq!(top(col(&r, "city")), [("München", 1), ("Orléans", 1)]);
    no_findings(&r);
}

#[test]
fn windows_1252_euro_and_curly_quotes() {
    let r = audit("windows1252.csv");
    assert_eq!(r.input.encoding, "windows-1252");
    assert_eq!(top(col(&r, "note")), [("“curly”", 1), ("€ 5", 1)]);
    no_findings(&r);
}

#[test]
fn one_bad_byte_in_a_small_utf8_file() {
    // The sample is the whole file and is not valid UTF-8, so by convention the whole
    // file is read as Windows-1252 (with a notice), even though the other cells are UTF-8.
    let r = audit("utf8_one_bad_byte.csv");
    assert_eq!(r.input.rows, 3);
    assert_eq!(r.input.encoding, "windows-1252");
    assert!(has_notice(&r, "first invalid byte at offset 29"), "{:?}", r.notices);
    assert_eq!(top(col(&r, "city"))[0], ("Café", 1));

    // Forced to UTF-8, only the bad field falls back, and it is a finding at its place.
    let r = audit_with(&spec("[input]\nencoding = \"utf-8\"\n"), &data("utf8_one_bad_byte.csv")).unwrap();
    assert_eq!(r.input.encoding, "utf-8");
    assert_eq!(top(col(&r, "city")), [("Café", 1), ("Köln", 1), ("Zürich", 1)]);
    assert_eq!(rows_of(&r, "undecodable_fields"), (1, vec![2]));
    let f = &finding(&r, "undecodable_fields").first[0];
    assert_eq!((f.column.as_deref(), f.byte), (Some("city"), Some(22)), "the byte is the record start");
    assert_eq!(finding(&r, "ragged_rows").count, 0);
}

#[test]
fn a_character_split_across_typed_fields_is_undecodable() {
    // The record's field bytes "x\xC3" "\xA95" join into valid UTF-8 ("xé5"), but neither
    // field is valid text: both are undecodable, whatever the strategy.
    let mut csv = b"a,n,b,d\n".to_vec();
    for i in 0..50 {
        csv.extend_from_slice(format!("r{i},{i},true,2024-01-{:02}\n", i % 28 + 1).as_bytes());
    }
    csv.extend_from_slice(b"x\xC3,\xA95,7,2024-02-30\n7,8\xC3,\xA9true,2024-01-01\n");
    let raw = spec("[input]\nencoding = \"utf-8\"\n");
    let r = assert_strategies_agree("split character", &raw, &csv, true).unwrap();
    assert_eq!(r.input.rows, 52);
    assert_eq!(finding(&r, "undecodable_fields").count, 4);
}

#[test]
fn a_bad_byte_after_the_sample_is_a_finding_not_a_fallback() {
    let mut csv = b"name,city\n".to_vec();
    let mut rows = 0u64;
    while csv.len() <= SAMPLE_BYTES + 10 {
        csv.extend_from_slice("Ann,Zürich\n".as_bytes());
        rows += 1;
    }
    let bad_at = csv.len() as u64;
    csv.extend_from_slice(b"Bob,Caf\xe9\nCy,K\xc3\xb6ln\n");
    let r = assert_strategies_agree("bad byte after the sample", &RawSpec::default(), &csv, false).unwrap();
    assert_eq!(r.input.encoding, "utf-8");
    assert_eq!(r.input.rows, rows + 2);
    let f = finding(&r, "undecodable_fields");
    assert_eq!(f.count, 1);
    assert_eq!(
        (f.first[0].row, f.first[0].column.as_deref(), f.first[0].byte),
        (Some(rows + 1), Some("city"), Some(bad_at))
    );
    assert_eq!(top(col(&r, "city")), [("Zürich", rows), ("Café", 1), ("Köln", 1)]);
}

#[test]
fn utf16_with_bom_is_transcoded() {
    for (name, label) in [("utf16le_bom.csv", "utf-16le (with BOM)"), ("utf16be_bom.csv", "utf-16be (with BOM)")] {
        let r = audit_names_shown(name);
        assert_eq!((r.input.rows, r.input.columns), (2, 2), "{name}");
        assert_eq!(r.input.encoding, label);
        assert!(has_notice(&r, "transcoded to UTF-8"), "{name}: {:?}", r.notices);
        assert_eq!(names(&r), ["name", "age"]);
        assert_eq!(top(col(&r, "name")), [("Zoë", 1), ("Åsa", 1)]);
        assert_eq!(mean(col(&r, "age")), 30.0);
        no_findings(&r);
    }
}

#[test]
fn utf16_lone_surrogate_is_a_finding() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "name,age\nZoë,31\n".encode_utf16().chain([0xD800]).chain("x,29\n".encode_utf16()) {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let r = assert_strategies_agree("UTF-16 lone surrogate", &RawSpec::default(), &bytes, true).unwrap();
    assert_eq!(top(col(&r, "name")), [], "person names are hidden by default");
    let r = assert_strategies_agree("UTF-16 lone surrogate", &detection_off(), &bytes, true).unwrap();
    assert_eq!(r.input.rows, 2);
    let f = finding(&r, "undecodable_fields");
    assert_eq!(f.count, 1);
    assert_eq!((f.first[0].row, f.first[0].byte), (Some(2), None), "UTF-16 positions have rows, not bytes");
    assert_eq!(top(col(&r, "name")), [("Zoë", 1), ("\u{FFFD}x", 1)]);
}

#[test]
fn utf16_without_bom_is_refused_with_a_reason() {
    let e = audit_err("utf16le_no_bom.csv");
    assert_eq!(e.kind_name(), "unsupported_encoding");
    assert_eq!(e.position().byte, Some(1));
    let s = e.to_string();
    assert!(s.contains("UTF-16 without a byte-order mark") && s.contains("save the file as UTF-8"), "{s}");
}

// ---------------------------------------------------------------------------------------
// Dialects and quoting
// ---------------------------------------------------------------------------------------

#[test]
fn semicolon_with_decimal_commas() {
    let r = audit("semicolon_decimal_comma.csv");
    assert_eq!(r.input.dialect.delimiter, ";");
    assert_eq!((r.input.rows, r.input.columns), (3, 3));
    assert_eq!(r.input.spec.input.decimal.as_deref(), Some(","));
    assert!(has_notice(&r, "decimal comma"), "{:?}", r.notices);
    let price = col(&r, "price");
    assert_eq!(price.ty, ColumnType::Float);
    assert_eq!(mean(price), 1.5);
    assert_eq!(price.stats.numeric.as_ref().unwrap().max, Some(2.25));
    assert_eq!(mean(col(&r, "qty")), 4.0);
    no_findings(&r);

    // An explicit `.` wins over the sniffed decimal comma: the prices are no longer numbers.
    let r = audit_with(&spec("[input]\ndecimal = \".\"\n"), &data("semicolon_decimal_comma.csv")).unwrap();
    assert_eq!(col(&r, "price").ty, ColumnType::Categorical);
    assert!(!has_notice(&r, "decimal comma"));
}

#[test]
fn tab_and_pipe_delimiters() {
    let r = audit("tab.tsv");
    assert_eq!(r.input.dialect.delimiter, "tab");
    assert_eq!((r.input.rows, r.input.columns), (3, 3));
    assert_eq!(mean(col(&r, "pop")), 13_333_000.0 / 3.0);
    assert_eq!(top(col(&r, "note")), [("cold, dark", 1), ("warm", 1)]);
    assert_eq!(col(&r, "note").stats.missing, 1);
    no_findings(&r);

    let r = audit("pipe.csv");
    assert_eq!(r.input.dialect.delimiter, "|");
    assert_eq!((r.input.rows, r.input.columns), (2, 3));
    assert_eq!(top(col(&r, "b")), [("x, y", 1), ("z", 1)]);
    assert_eq!(mean(col(&r, "c")), 3.0);
    no_findings(&r);
}

#[test]
fn quoted_newlines_delimiters_and_escaped_quotes() {
    let r = audit("quoted.csv");
    assert_eq!((r.input.rows, r.input.columns), (4, 3), "the fake record inside quotes is not a row");
    let comment = col(&r, "comment");
    assert_eq!(top(comment), [("hello, world", 1), ("line one\n5,fake,99\nline two", 1), ("she said \"hi\"", 1)]);
    assert_eq!(comment.stats.missing, 1, "\"\" is an empty field, hence missing");
    assert_eq!(mean(col(&r, "n")), 25.0);
    assert_eq!(col(&r, "n").stats.numeric.as_ref().unwrap().max, Some(40.0), "99 from the fake record must not count");
    // The multi-line field is a finding (row 2 spans 3 lines), not an error, and the
    // lines add up: 7 (wc -l) = 1 header + 4 rows + 2 lines inside the quoted field.
    assert_eq!(rows_of(&r, "quoted_line_breaks"), (1, vec![2]));
    assert_eq!(finding(&r, "quoted_line_breaks").lines, [3]);
    assert_eq!(r.input.lines.as_ref().map(|l| (l.lines, l.in_quoted_fields)), Some((7, 2)));
    let quotes = ["quoted_line_breaks"];
    assert!(r.findings.iter().filter(|f| !quotes.contains(&f.id.as_str())).all(|f| f.count == 0), "{:?}", r.findings);
}

// ---------------------------------------------------------------------------------------
// Shape problems
// ---------------------------------------------------------------------------------------

#[test]
fn ragged_rows_are_padded_truncated_and_reported() {
    let r = audit("ragged.csv");
    assert_eq!((r.input.rows, r.input.columns), (4, 3));
    assert_eq!(rows_of(&r, "ragged_rows"), (2, vec![2, 3]));
    let f = finding(&r, "ragged_rows");
    assert_eq!((f.first[0].byte, f.first[1].byte), (Some(12), Some(16)));
    assert_eq!(f.first[0].column, None);
    let c = col(&r, "c");
    assert_eq!(c.stats.missing, 1, "the short row's third field is missing");
    assert_eq!(mean(c), 23.0 / 3.0, "the long row's fourth field (9) is ignored");
    assert_eq!(mean(col(&r, "a")), 21.0 / 4.0);
    assert_eq!(check_status(&r, "ragged_rows", None), Status::Fail);
    assert!(!r.passed);
}

#[test]
fn empty_and_blank_files_are_refused() {
    for name in ["empty.csv", "blank_lines.csv"] {
        let e = audit_err(name);
        assert_eq!(e.kind_name(), "empty_input", "{name}");
        assert!(e.to_string().contains("the file is empty"), "{e}");
    }
    for bytes in [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xEF\xBB\xBF\r\n\r\n"] {
        assert_eq!(audit_with(&RawSpec::default(), bytes).unwrap_err().kind_name(), "empty_input", "{bytes:?}");
    }
}

#[test]
fn header_only_gives_an_empty_report_that_fails_min_rows() {
    let r = audit("header_only.csv");
    assert_eq!((r.input.rows, r.input.columns), (0, 3));
    assert_eq!(names(&r), ["a", "b", "c"]);
    assert!(has_notice(&r, "header but no data rows"), "{:?}", r.notices);
    assert_eq!(check_status(&r, "min_rows", None), Status::Fail);
    assert!(!r.passed);
    for c in &r.columns {
        assert_eq!((c.stats.rows, c.stats.valid, c.stats.missing), (0, 0, 0));
        assert_eq!(check_status(&r, "missing_share", Some(&c.name)), Status::Pass, "0/0 is not a failure");
    }
    no_findings(&r);
    assert!(r.to_html().contains("<table>"));
}

#[test]
fn duplicate_and_empty_header_names() {
    let r = audit("duplicate_headers.csv");
    assert_eq!(names(&r), ["x", "y", "x.1", "x.1.1"]);
    assert!(has_notice(&r, "column 3 is called `x.1`"), "{:?}", r.notices);
    assert!(has_notice(&r, "column 4 is called `x.1.1`"), "{:?}", r.notices);
    assert_eq!(mean(col(&r, "x.1")), 5.0);
    assert_eq!(mean(col(&r, "x.1.1")), 6.0);

    let r = audit("empty_header.csv");
    assert_eq!(names(&r), ["Unnamed: 0", "b", "Unnamed: 2"]);
    assert!(has_notice(&r, "column 1 has an empty header; it is called `Unnamed: 0`"), "{:?}", r.notices);
    assert!(has_notice(&r, "column 3 has an empty header; it is called `Unnamed: 2`"), "{:?}", r.notices);
    assert_eq!(mean(col(&r, "Unnamed: 2")), 4.5);
    no_findings(&r);
}

#[test]
fn binary_files_are_named_by_what_they_look_like() {
    let e = audit_err("binary.png");
    assert_eq!(e.kind_name(), "format", "a PNG is neither a table nor UTF-16: {e}");
    assert!(e.to_string().contains("a PNG image, not a table"), "{e}");
    // A zip that is not a workbook (its member list cannot even be read).
    let zip = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa0\x8f\x0e\x9e[Content_Types].xml";
    let e = audit_with(&RawSpec::default(), zip).unwrap_err();
    assert_eq!(e.kind_name(), "format", "{e}");
    assert!(e.to_string().contains("damaged zip archive"), "{e}");
    // A binary with no known signature is still refused for its NUL bytes.
    let e = audit_with(&RawSpec::default(), b"\x01\x02\x00\x00\x03junk").unwrap_err();
    assert_eq!(e.kind_name(), "binary", "{e}");
}

#[test]
fn other_formats_broken_or_empty_give_a_sentence() {
    let cases = [
        ("empty.gz", "empty_input", "the file is empty"),
        ("empty_member.csv.gz", "empty_input", "the file is empty"),
        ("truncated.csv.gz", "format", "the file is a truncated gzip file: it ends after 300 bytes"),
        ("random_bytes.xlsx", "format", "the file is a damaged zip archive"),
        ("truncated.parquet", "format", "the file is a damaged Parquet file: it does not end with `PAR1`"),
        (
            "footer_beyond.parquet",
            "format",
            "the file is a damaged Parquet file: its footer length (1000000 bytes) is beyond",
        ),
        (
            "row_group_beyond.parquet",
            "format",
            "the file is a damaged Parquet file: row group 2 extends beyond the data",
        ),
        ("truncated.xlsx", "format", "the file is a damaged zip archive (its list of members cannot be read)"),
        (
            "reader_panic.parquet",
            "format",
            "the file is a damaged Parquet file: the Parquet reader failed on it (assertion failed: size <= src.len())",
        ),
    ];
    for (name, kind, words) in cases {
        let e = audit_err(name);
        assert_eq!(e.kind_name(), kind, "{name}: {e}");
        assert!(e.to_string().starts_with(words), "{name}: {e}");
    }
}

#[test]
fn jsonl_with_one_bad_line() {
    let r = audit("jsonl_one_bad_line.jsonl");
    assert_eq!((r.input.rows, r.input.columns), (4, 3), "the malformed and the blank line are not rows");
    assert_eq!(r.input.spec.input.format.as_deref(), Some("jsonl"));
    assert_eq!(rows_of(&r, "malformed_lines"), (1, vec![3]), "line numbers");
    assert_eq!(mean(col(&r, "score")), 9.5 / 3.0, "(1.5 + 3.5 + 4.5) / 3: the null is missing");
    let score = col(&r, "score");
    assert_eq!(score.stats.missing_by_token[0].what, "null (a typed source's empty value: JSON null, Parquet null)");
    assert!(has_notice(&r, "line 3 of the sample is not one JSON object"), "{:?}", r.notices);
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

#[test]
fn special_numbers() {
    let r = audit("numbers.csv");
    assert_eq!((r.input.rows, r.input.columns), (6, 3));
    let x = col(&r, "x");
    assert_eq!(x.ty, ColumnType::Float);
    assert_eq!((x.stats.valid, x.stats.missing, x.stats.unparseable), (5, 1, 0), "NaN is missing");
    let m = x.stats.numeric.as_ref().unwrap();
    assert_eq!(m.count, 3, "1e308, -0 and 2 are finite");
    assert_eq!((m.positive_infinities, m.negative_infinities, m.zeros, m.negatives), (1, 1, 1, 0));
    assert_eq!(m.mean, Some(1e308 / 3.0), "exact sum of 1e308 + 2 + -0, rounded once");
    assert_eq!(m.max, Some(1e308));
    assert_eq!(m.min.map(f64::to_bits), Some((-0.0f64).to_bits()), "-0 is kept as -0");
    assert_eq!(x.stats.distinct.value, 5, "1e308, -0, inf, -inf, 2");
    // `1,234.5` makes a 6-value column categorical (no room for 2 % bad values).
    assert_eq!(col(&r, "amount").ty, ColumnType::Categorical);
    assert_eq!(top(col(&r, "amount"))[0], ("1,234.5", 1));
    no_findings(&r);
}

#[test]
fn thousands_separator_is_unparseable_unless_the_spec_names_it() {
    let bytes = data("numbers.csv");
    let r = audit_with(&spec("[[columns]]\nname = \"amount\"\ntype = \"float\"\n"), &bytes).unwrap();
    let a = col(&r, "amount");
    assert_eq!((a.stats.valid, a.stats.unparseable), (5, 1));
    assert_eq!(mean(a), 30.0);
    assert_eq!(rows_of(&r, "unparseable_cells"), (1, vec![1]));
    assert_eq!(finding(&r, "unparseable_cells").first[0].column.as_deref(), Some("amount"));
    assert_eq!(check_status(&r, "unparseable_cells", Some("amount")), Status::Warn);
    assert!(r.passed, "unparseable cells only warn by default");

    let r = audit_with(&spec("[input]\nthousands = \",\"\n"), &bytes).unwrap();
    let a = col(&r, "amount");
    assert_eq!(a.ty, ColumnType::Float);
    assert_eq!((a.stats.valid, a.stats.unparseable), (6, 0));
    assert_eq!(mean(a), (1234.5 + 150.0) / 6.0);
    no_findings(&r);
}

#[test]
fn a_few_thousands_separators_in_a_long_numeric_column_are_findings() {
    let mut csv = String::from("id_,amount\n");
    for i in 0..99 {
        csv.push_str(&format!("r{i},{i}\n"));
    }
    csv.push_str("r99,\"1,234.5\"\n");
    let r = audit_with(&RawSpec::default(), csv.as_bytes()).unwrap();
    let a = col(&r, "amount");
    assert_eq!(a.ty, ColumnType::Integer);
    assert_eq!((a.stats.valid, a.stats.unparseable), (99, 1));
    assert_eq!(mean(a), 49.0);
    assert_eq!(rows_of(&r, "unparseable_cells"), (1, vec![100]));
}

#[test]
fn dates_in_several_forms() {
    let r = audit("dates.csv");
    assert_eq!((r.input.rows, r.input.columns), (3, 5));
    for c in &r.columns {
        assert_eq!(c.ty, ColumnType::Date, "{}", c.name);
        assert_eq!(c.stats.valid, 3, "{}", c.name);
    }
    let order = |n: &str| r.input.spec.columns.iter().find(|c| c.name == n).and_then(|c| c.date_order);
    let order = |n: &str| serde_json::to_value(order(n)).unwrap();
    assert_eq!(
        [order("iso"), order("dmy"), order("mdy"), order("ambiguous"), order("dotted")],
        ["ymd", "dmy", "mdy", "mdy", "dmy"]
    );
    for n in ["iso", "dmy", "mdy", "dotted"] {
        assert_eq!(temporal(col(&r, n)), ("2023-12-01", "2024-02-29"), "{n}");
    }
    assert_eq!(temporal(col(&r, "ambiguous")), ("2022-07-08", "2024-03-04"), "month first by default");
    let amb: Vec<_> = r.notices.iter().filter(|n| n.contains("day/month or month/day")).collect();
    assert_eq!(amb.len(), 1, "{:?}", r.notices);
    assert!(amb[0].contains("`ambiguous`") && amb[0].contains("03/04/2024"), "{amb:?}");
    no_findings(&r);

    let r = audit_with(&spec("[input]\ndate_order = \"dmy\"\n"), &data("dates.csv")).unwrap();
    assert_eq!(temporal(col(&r, "ambiguous")), ("2022-08-07", "2024-04-03"));
    assert_eq!(temporal(col(&r, "mdy")), ("2023-12-01", "2024-02-29"), "unambiguous columns keep their order");
    assert!(!has_notice(&r, "day/month or month/day"));

    // Future dates: only 2024-02-29 is after 2024-01-31, in every form.
    let r = audit_with(&spec("[profile]\nas_of = \"2024-01-31\"\n"), &data("dates.csv")).unwrap();
    for n in ["iso", "dmy", "mdy", "dotted"] {
        let d = col(&r, n).dates.as_ref().unwrap();
        assert_eq!((d.future, d.unparseable_share), (Some(1), 0.0), "{n}");
    }
    assert_eq!(col(&r, "ambiguous").dates.as_ref().unwrap().future, Some(1), "2024-03-04, month first");
}

#[test]
fn every_missing_token_and_an_all_missing_column() {
    let r = audit("all_missing.csv");
    assert_eq!((r.input.rows, r.input.columns), (9, 3));
    let e = col(&r, "empty");
    assert_eq!((e.stats.valid, e.stats.missing, e.stats.unparseable, e.stats.distinct.value), (0, 9, 0, 0));
    assert_eq!(e.ty, ColumnType::Categorical);
    assert!(has_notice(&r, "column `empty`: every value in the sample is missing"), "{:?}", r.notices);
    assert_eq!(check_status(&r, "missing_share", Some("empty")), Status::Warn);
    assert_eq!(check_status(&r, "missing_share", Some("score")), Status::Pass);
    assert_eq!(e.flags.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(), ["all_missing"]);
    assert_eq!(check_status(&r, "all_missing_column", Some("empty")), Status::Warn);
    assert_eq!(check_status(&r, "constant_column", Some("empty")), Status::Skipped);
    assert_eq!(check_status(&r, "all_missing_column", Some("score")), Status::Pass);
    assert!(r.passed, "missing_share and all_missing_column only warn by default");
    assert_eq!(mean(col(&r, "score")), 9.0);
    no_findings(&r);
}

#[test]
fn formula_like_cells_are_plain_text() {
    let r = audit("formulas.csv");
    let f = col(&r, "formula");
    assert_eq!(f.ty, ColumnType::Categorical);
    assert_eq!(f.stats.valid, 4);
    assert_eq!(top(f), [("+cmd", 1), ("-2+3", 1), ("=1+1", 1), ("@SUM(A1)", 1)]);
    no_findings(&r);
}

#[test]
fn markup_in_names_and_values_is_escaped_in_html() {
    let r = audit("xss_header.csv");
    assert_eq!(names(&r), ["<img src=x onerror=alert(1)>", "b"]);
    assert_eq!(col(&r, "<img src=x onerror=alert(1)>").role, Role::Feature);
    assert_eq!(top(col(&r, "b")), [("<script>alert(2)</script>", 1), ("x", 1)]);
    let html = r.to_html();
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;script&gt;alert(2)"));
    assert!(!html.contains("<img") && !html.contains("<script"), "raw markup in the HTML report");
    let junit = r.to_junit();
    assert!(!junit.contains("<img"));
}

// ---------------------------------------------------------------------------------------
// Generated inputs
// ---------------------------------------------------------------------------------------

#[test]
fn ten_thousand_columns() {
    // Mostly categorical: every 1,000th column is numeric. (All-numeric is much slower in
    // debug builds: the quantile tallies scan one probe per numeric column for each value.)
    const N: usize = 10_000;
    let header: Vec<String> = (0..N).map(|i| format!("c{i}")).collect();
    let mut csv = header.join(",") + "\n";
    for r in 0..3 {
        let row: Vec<String> = (0..N)
            .map(|i| if i % 1000 == 999 { ((i + r) % 10).to_string() } else { ["a", "b", "c"][(i + r) % 3].into() })
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let r = assert_strategies_agree("10,000 columns", &RawSpec::default(), csv.as_bytes(), false).unwrap();
    assert_eq!((r.input.rows, r.input.columns, r.columns.len()), (3, N, N));
    assert_eq!(r.columns[9_999].name, "c9999");
    assert_eq!(r.columns[9_999].ty, ColumnType::Integer);
    assert_eq!(mean(&r.columns[9_999]), (9.0 + 0.0 + 1.0) / 3.0);
    assert_eq!(mean(&r.columns[999]), (9.0 + 0.0 + 1.0) / 3.0);
    assert_eq!(top(&r.columns[0]), [("a", 1), ("b", 1), ("c", 1)]);
    assert_eq!(r.columns.iter().filter(|c| c.ty == ColumnType::Integer).count(), 10);
    no_findings(&r);
}

#[test]
fn wide_rows_reach_the_analyses_in_bounded_batches() {
    // A batch is column-major; with 10,000 columns a 2,048-row batch would hold 20 M cells
    // (320 MB, allocated up front in wasm). The decoder must flush batches by cell count.
    use privaudit::ingest::{batch::MAX_BATCH_CELLS, decoder::Decoder, findings::FindingsAcc};
    const N: usize = 10_000;
    let rows = MAX_BATCH_CELLS / N + 5;
    let mut csv = (0..N).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\n";
    csv.push_str(&(vec!["1"; N].join(",") + "\n").repeat(rows));
    // A resolved spec written out (the preview of 10,000 columns is slow in debug builds).
    let mut raw = spec("[input]\ndelimiter = \",\"\nquote = '\"'\nencoding = \"utf-8\"\n");
    raw.columns = (0..N)
        .map(|i| RawColumn { name: format!("c{i}"), ty: Some(ColumnType::Integer), ..RawColumn::default() })
        .collect();
    let valid = Arc::new(ValidSpec::try_from_resolved(&raw).unwrap());
    let mut dec = Decoder::new(valid, 0, u64::MAX, true);
    let mut findings = FindingsAcc::default();
    let (mut seen, mut biggest) = (0, 0);
    let mut sink = |b: &privaudit::ingest::batch::Batch| {
        seen += b.rows();
        biggest = biggest.max(b.rows() * b.width());
    };
    dec.feed(csv.as_bytes(), &mut findings, &mut sink).unwrap();
    dec.finish_input(&mut findings, &mut sink).unwrap();
    assert_eq!(seen, rows);
    assert!(biggest > 0 && biggest <= MAX_BATCH_CELLS, "a batch of {biggest} cells");
    let mut none = FindingsAcc::default();
    none.lines.header = 1;
    assert_eq!(findings, none, "no finding; one header line");
}

fn big_field_csv(field: usize) -> Vec<u8> {
    let mut csv = b"k,blob\n1,".to_vec();
    csv.resize(csv.len() + field, b'x');
    csv.extend_from_slice(b"\n2,short\n");
    csv
}

#[test]
fn a_5_mb_field_passes_under_the_default_limit() {
    let csv = big_field_csv(5_000_000);
    let r = assert_strategies_agree("5 MB field", &RawSpec::default(), &csv, false).unwrap();
    assert_eq!(r.input.rows, 2);
    let lengths = col(&r, "blob").stats.lengths.expect("lengths");
    assert_eq!((lengths.min, lengths.max), (5, 5_000_000));
    no_findings(&r);
}

#[test]
fn a_5_mb_field_over_a_1_mib_limit_is_an_error_naming_the_place() {
    let csv = big_field_csv(5_000_000);
    let raw = spec("[input]\nmax_field_bytes = 1048576\n");
    let e = assert_strategies_agree("5 MB field over the limit", &raw, &csv, false).unwrap_err();
    assert_eq!(e.kind_name(), "field_too_long");
    assert_eq!((e.position().row, e.position().column.as_deref(), e.position().byte), (Some(1), Some("blob"), Some(7)));
    let s = e.to_string();
    assert!(s.starts_with("row 1, column `blob`, byte 7: a single field is longer than 1,048,576 bytes"), "{s}");
    assert!(s.contains("input.max_field_bytes"), "{s}");
}

#[test]
fn a_long_field_in_a_later_range_is_reported_at_its_true_row() {
    let raw = spec("[input]\nmax_field_bytes = 1024\n");
    let mut csv = b"k,v\n".to_vec();
    for i in 1..=300 {
        csv.extend_from_slice(format!("{i},short\n").as_bytes());
    }
    let at = csv.len() as u64;
    csv.extend_from_slice(b"301,");
    csv.resize(csv.len() + 3000, b'y');
    csv.extend_from_slice(b"\n302,end\n");
    let e = audit_with(&raw, &csv).unwrap_err();
    assert_eq!((e.position().row, e.position().column.as_deref(), e.position().byte), (Some(301), Some("v"), Some(at)));
    for n in [2, 3, 5] {
        let e = run_strategy(&raw, &csv, &ranges(n), 1000).unwrap_err();
        assert_eq!(e.kind_name(), "field_too_long");
        assert_eq!(e.position().byte, Some(at), "{n} ranges");
        assert!(e.position().row.is_none() || e.position().row == Some(301), "{n} ranges: wrong row in `{e}`");
    }
}

#[test]
fn a_wrong_range_guess_inside_quotes_does_not_invent_an_error() {
    // A quoted field whose first line spans the middle of the file and whose second line
    // is `,"`. The second range guesses a record start after the quoted newline and opens a
    // quote there that never closes: a 4 KB "field" over the 3.5 KB limit. The file itself
    // has no field over the limit, and that guess is discarded by the chain check, so its
    // error must be discarded too.
    let raw = spec("[input]\nmax_field_bytes = 3500\n");
    let mut csv = b"k,v\n".to_vec();
    let mut i = 0;
    while csv.len() < 2000 {
        i += 1;
        csv.extend_from_slice(format!("{i},plain\n").as_bytes());
    }
    csv.extend_from_slice(format!("{},\"", i + 1).as_bytes());
    csv.resize(csv.len() + 3000, b'x');
    csv.extend_from_slice(b"\n,\"\n");
    while csv.len() < 9000 {
        i += 1;
        csv.extend_from_slice(format!("{},plain\n", i + 1).as_bytes());
    }
    let one = outcome(audit_with(&raw, &csv));
    assert!(one.is_ok(), "{one:?}");
    for n in 2..=4 {
        assert_eq!(outcome(run_strategy(&raw, &csv, &ranges(n), 4096)), one, "{n} ranges");
    }
}

#[test]
fn utf16_given_several_ranges_still_ends() {
    let bytes = data("utf16le_bom.csv");
    let reference = outcome(audit_with(&RawSpec::default(), &bytes));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(outcome(run_strategy(&RawSpec::default(), &bytes, &|len, _| plan_n(len, 3), 1)));
    });
    let got = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("3 ranges over UTF-16 did not end in 10 s");
    assert_eq!(got, reference);
}

#[test]
fn regressions_found_by_the_fuzz_loop() {
    // `parse_datetime` sliced a 16+ byte value at byte 10, inside a multi-byte character.
    assert_eq!(privaudit::ingest::value::parse_datetime("=ÿinfþ€€'0inf"), None);
    let r = audit_with(&RawSpec::default(), "when\n=ÿinfþ€€'0inf\n2024-01-31T10:00:00Z\n".as_bytes()).unwrap();
    assert_eq!(col(&r, "when").ty, ColumnType::Categorical);
}

#[test]
fn random_garbage_never_panics() {
    const ALPHABET: &[&[u8]] = &[
        b"\"",
        b",",
        b";",
        b"\t",
        b"|",
        b"\n",
        b"\r",
        b"\r\n",
        b"a",
        b"1",
        b"0",
        b".",
        b"-",
        b"e",
        b" ",
        b"NA",
        b"\xFF",
        b"\xFE",
        b"\xC3",
        b"\xA9",
        b"\xE2\x82\xAC",
        b"\xEF\xBB\xBF",
        b"\x80",
        b"'",
        b"2024-01-31",
        b"inf",
        b"=",
        b"<",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut err) = (0, 0);
    for i in 0..2_000 {
        let mut bytes = Vec::new();
        if rng.below(8) == 0 {
            bytes.extend_from_slice([&b"\xFF\xFE"[..], b"\xFE\xFF", b"\xEF\xBB\xBF"][rng.below(3)]);
        }
        for _ in 0..rng.below(120) {
            bytes.extend_from_slice(ALPHABET[rng.below(ALPHABET.len())]);
        }
        if rng.below(10) == 0 {
            let at = rng.below(bytes.len() + 1);
            bytes.insert(at, 0);
        }
        // Every case through `audit_bytes`; every 16th also in 3 ranges of 1-byte chunks,
        // which must agree (debug builds are slow, and csv-core builds a DFA per reader).
        let compare = i % 16 == 0;
        let run = std::panic::catch_unwind(|| {
            let reference = outcome(audit_with(&RawSpec::default(), &bytes));
            let split = compare.then(|| outcome(run_strategy(&RawSpec::default(), &bytes, &ranges(3), 1)));
            (reference, split)
        });
        let Ok((reference, split)) = run else { panic!("case {i} panicked on {bytes:?}") };
        if let Some(split) = split {
            assert_eq!(split, reference, "case {i}: 3 ranges of 1-byte chunks differ on {bytes:?}");
        }
        if reference.is_ok() {
            ok += 1;
        } else {
            err += 1;
        }
    }
    // The generator must exercise both paths.
    assert!(ok > 1_000 && err > 100, "ok {ok}, err {err}");
}
