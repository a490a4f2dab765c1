//! Parquet (issue 17): the table of tests/data/inputs/table.csv written by pyarrow (every
//! codec, dictionary and plain encodings, data pages v1 and v2, several row groups), polars
//! (zstd) and DuckDB gives the same answers as the CSV; one range, row groups as several
//! ranges and serialised states merged in shuffled orders give the same report; types of
//! every kind are read as documented; broken files give a sentence, never a panic.

mod common;

use common::formats::{answers_with_findings, audit, bias_spec, column, first_difference, fixture};
use privaudit::audit_bytes;
use privaudit::engine::state::RunState;
use privaudit::engine::{drive, plan::Plan, split};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::{resolve, RawSpec, ValidSpec};
use serde_json::Value as Json;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

fn err(bytes: &[u8]) -> String {
    audit_bytes(&RawSpec::default(), bytes, InputMeta::default(), 1).expect_err("an error").to_string()
}

/// What must not depend on the format: every statistic, check, bias figure, finding. The
/// one documented difference: a Parquet null is named so where the CSV's empty field is
/// the token "" (the counts are the same).
fn answers(r: &Report) -> Json {
    let s = answers_with_findings(r).to_string().replace(NULL_LABEL, "token \\\"\\\" (empty field)");
    serde_json::from_str(&s).unwrap()
}

const NULL_LABEL: &str = "null (a typed source's empty value: JSON null, Parquet null)";

const TABLES: [&str; 9] = [
    "table_pyarrow_snappy.parquet",
    "table_pyarrow_gzip.parquet",
    "table_pyarrow_zstd.parquet",
    "table_pyarrow_lz4.parquet",
    "table_pyarrow_brotli.parquet",
    "table_pyarrow_none.parquet",
    "table_pyarrow_plain.parquet",
    "table_polars.parquet",
    "table_duckdb.parquet",
];

#[test]
fn the_same_table_gives_the_same_answers_as_csv_from_every_writer_and_codec() {
    let reference = answers(&audit(&bias_spec(), &fixture("table.csv")));
    for file in TABLES {
        let r = audit(&bias_spec(), &fixture(file));
        assert_eq!(r.input.spec.input.format.as_deref(), Some("parquet"), "{file}");
        let got = answers(&r);
        assert!(got == reference, "{file} differs from the CSV: {}", first_difference(&got, &reference));
    }
}

fn spec_of(raw: &RawSpec, bytes: &[u8]) -> (Arc<ValidSpec>, Vec<u64>, InputMeta) {
    let p = resolve(raw, bytes, true).expect("preview");
    let meta = InputMeta { notices: p.notices.clone(), file_size: bytes.len() as u64, ..Default::default() };
    (Arc::new(ValidSpec::try_from_resolved(&p.spec).expect("valid")), p.cuts, meta)
}

/// Every range of `plans` run alone, its state serialised; merged in a shuffled order.
fn shuffled(spec: &Arc<ValidSpec>, bytes: &[u8], plans: &[split::RangePlan], seed: usize) -> RunState {
    let never = AtomicBool::new(false);
    let mut states: Vec<Vec<u8>> = plans
        .iter()
        .map(|&p| {
            let st = drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, None, 1 << 12, &|_| {}, &never)
                .expect("range");
            st.encode(spec).expect("encode")
        })
        .collect();
    let k = seed % states.len();
    states.rotate_left(k);
    if seed % 2 == 1 {
        states.reverse();
    }
    let mut it = states.into_iter();
    let mut acc = RunState::decode(spec, &it.next().expect("a state")).expect("decode");
    for b in it {
        acc.merge(RunState::decode(spec, &b).expect("decode")).expect("merge");
    }
    acc
}

fn report_of(spec: &Arc<ValidSpec>, bytes: &[u8], main: RunState, meta: &InputMeta) -> String {
    let never = AtomicBool::new(false);
    let plan = drive::finish_passes(Plan::new(spec, main).expect("plan"), |p, pass| {
        drive::run_range(spec, &mut std::io::Cursor::new(bytes), p, Some(pass), 1 << 12, &|_| {}, &never)
    })
    .expect("later passes");
    plan.finish(spec, meta.clone()).to_json()
}

#[test]
fn row_groups_as_ranges_and_shuffled_merges_give_the_same_report() {
    for file in ["table_pyarrow_zstd.parquet", "table_pyarrow_plain.parquet", "types.parquet"] {
        let bytes = fixture(file);
        let raw = if file.starts_with("table") { bias_spec() } else { RawSpec::default() };
        let (spec, cuts, meta) = spec_of(&raw, &bytes);
        assert!(cuts.len() >= 3, "{file}: several row groups ({cuts:?})");
        let one = split::plan_cuts(&cuts, 1);
        let never = AtomicBool::new(false);
        let run = |plans: Vec<split::RangePlan>| {
            drive::coordinate(plans, |p| {
                drive::run_range(&spec, &mut std::io::Cursor::new(&bytes[..]), p, None, 1 << 12, &|_| {}, &never)
            })
            .expect("coordinate")
        };
        let want = report_of(&spec, &bytes, run(one), &meta);
        for n in [2, 3, cuts.len() - 1] {
            let plans = split::plan_cuts(&cuts, n);
            assert_eq!(plans.len(), n.min(cuts.len() - 1));
            let got = report_of(&spec, &bytes, run(plans.clone()), &meta);
            assert!(got == want, "{file}: {n} ranges differ");
            for seed in 0..3 {
                let got = report_of(&spec, &bytes, shuffled(&spec, &bytes, &plans, seed), &meta);
                assert!(got == want, "{file}: {n} ranges, serialised and merged in order {seed} differ");
            }
        }
    }
}

#[test]
fn every_type_is_read_as_documented_and_nested_columns_are_named() {
    let r = audit(&RawSpec::default(), &fixture("types.parquet"));
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert!(!names.iter().any(|n| ["tags", "address", "attrs"].contains(n)), "{names:?}");
    let notice = |s: &str| assert!(r.notices.iter().any(|n| n.contains(s)), "no notice {s:?} in {:?}", r.notices);
    notice("nested or unsupported columns are skipped: `tags` (a list), `address` (a struct), `attrs` (a map)");
    notice("column `ts_us_local` holds local date-times");
    let ty = |c: &str| column(&r, c)["type"].as_str().map(str::to_string);
    for (c, t) in [
        ("i8", "integer"),
        ("i16", "integer"),
        ("i32", "integer"),
        ("u32", "integer"),
        ("f32", "float"),
        ("dec_small", "float"),
        ("dec_mid", "float"),
        ("dec_big", "float"),
        ("day", "date"),
        ("ts_ms_utc", "datetime"),
        ("ts_us_local", "datetime"),
        ("ts_ns_utc", "datetime"),
        ("flag", "boolean"),
    ] {
        assert_eq!(ty(c).as_deref(), Some(t), "{c}: {}", column(&r, c));
    }
    let sum = |c: &str| column(&r, c)["numeric"]["sum"].as_f64();
    assert_eq!(sum("i8"), Some(-1.0), "-128 - 1 + 0 + 1 + 127 (one null)");
    assert_eq!(sum("u32"), Some(4_000_000_000.0 + 4_294_967_295.0 + 6.0), "unsigned 32-bit values above i32");
    assert_eq!(sum("dec_small"), Some(1.5 - 0.05 + 12.0 + 3.25 + 0.0 + 99.99), "decimals from their exact text");
    assert_eq!(column(&r, "i8")["missing"].as_u64(), Some(1), "a null is missing");
    // UINT64 beyond i64::MAX: its digits, typed like a CSV field's, do not fit an integer
    // column: an unparseable cell at its row (declared a float, it is read as a float).
    assert_eq!(ty("u64").as_deref(), Some("integer"));
    let bad = r.findings.iter().find(|f| f.id == "unparseable_cells").expect("a finding");
    assert_eq!((bad.count, bad.first[0].row, bad.first[0].column.as_deref()), (1, Some(5), Some("u64")));
    let raw = RawSpec::from_toml("[[columns]]\nname = \"u64\"\ntype = \"float\"\n").unwrap();
    let floats = audit(&raw, &fixture("types.parquet"));
    assert_eq!(column(&floats, "u64")["numeric"]["max"].as_f64(), Some(9_223_372_036_854_775_813.0));
    // Strings are typed like CSV fields: `NA` is a missing token, as in a CSV file.
    assert_eq!(column(&r, "note")["missing"].as_u64(), Some(3), "{}", column(&r, "note"));
    // Every timestamp unit gives the same date-times.
    let range = |c: &str| (column(&r, c)["temporal"]["min"].clone(), column(&r, c)["temporal"]["max"].clone());
    assert_eq!(range("ts_ms_utc"), range("ts_ns_utc"));
    assert_eq!(range("ts_ms_utc"), range("ts_us_local"));
    let legacy = audit(&RawSpec::default(), &fixture("types_int96.parquet"));
    assert_eq!(column(&legacy, "when")["type"].as_str(), Some("datetime"));
    assert_eq!(column(&legacy, "when")["temporal"], column(&r, "ts_ms_utc")["temporal"], "INT96 is the same instant");
    assert!(legacy.notices.iter().any(|n| n.contains("legacy INT96 timestamp")), "{:?}", legacy.notices);
}

#[test]
fn a_declared_type_that_disagrees_is_a_finding_with_the_files_row_number() {
    // `applied` is a DATE column: declared an integer, every date is an unparseable cell,
    // at the row's number in the file (row groups of 100 rows: row 250 is in the third).
    let raw = RawSpec::from_toml("[[columns]]\nname = \"sex\"\ntype = \"integer\"\n").unwrap();
    let r = audit(&raw, &fixture("table_pyarrow_zstd.parquet"));
    let csv = audit(&raw, &fixture("table.csv"));
    let f = |r: &Report| r.findings.iter().find(|f| f.id == "unparseable_cells").cloned().expect("a finding");
    let (got, want) = (f(&r), f(&csv));
    assert_eq!(got.count, 400);
    assert_eq!(serde_json::to_value(&got.first).unwrap()[0]["row"], 1);
    assert_eq!(
        got.first.iter().map(|p| p.row).collect::<Vec<_>>(),
        want.first.iter().map(|p| p.row).collect::<Vec<_>>()
    );
    assert_eq!(got.first[0].byte, None, "a Parquet file has no byte offsets to show");
}

#[test]
fn a_parquet_file_is_detected_by_content_whatever_its_name() {
    // The CLI and the page never look at the name; the content starts with `PAR1`.
    let bytes = fixture("table_polars.parquet");
    let p = resolve(&RawSpec::default(), &bytes, true).expect("preview");
    assert_eq!(p.format, "parquet");
    let mut raw = RawSpec::default();
    raw.input.format = Some("csv".into());
    let e = audit_bytes(&raw, &bytes, InputMeta::default(), 1).expect_err("disagrees").to_string();
    assert!(e.contains("is `csv` but the file's content is Parquet file"), "{e}");
}

#[test]
fn broken_parquet_files_give_a_sentence() {
    let good = fixture("table_pyarrow_zstd.parquet");
    let n = good.len();
    // Truncated: the footer is gone.
    let e = err(&good[..n / 2]);
    assert!(e.contains("a damaged Parquet file") && e.contains("does not end with `PAR1`"), "{e}");
    // A footer length beyond the file.
    let mut long = good.clone();
    long[n - 8..n - 4].copy_from_slice(&(n as u32 * 2).to_le_bytes());
    let e = err(&long);
    assert!(e.contains("footer length") && e.contains("beyond the file's size"), "{e}");
    // Row groups beyond the data: the middle of the file cut out, the footer kept.
    let footer_len = u32::from_le_bytes([good[n - 8], good[n - 7], good[n - 6], good[n - 5]]) as usize;
    let cut = [&good[..n / 3], &good[n - 8 - footer_len..]].concat();
    let e = err(&cut);
    assert!(e.contains("extends beyond the data") && e.contains("truncated or damaged"), "{e}");
    // A damaged footer.
    let mut bad = good.clone();
    for b in &mut bad[n - 8 - footer_len..n - 8] {
        *b = !*b;
    }
    let e = err(&bad);
    assert!(e.contains("a damaged Parquet file"), "{e}");
    // A damaged page inside a row group: the sentence names the column and row group.
    let mut page = good.clone();
    for b in &mut page[200..260] {
        *b ^= 0x5A;
    }
    let e = err(&page);
    assert!(e.contains("a damaged Parquet file") && e.contains("row group 1"), "{e}");
    // Random damage anywhere: a sentence or a report, never a panic.
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..300 {
        let mut b = good.clone();
        for _ in 0..4 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let at = (x % n as u64) as usize;
            b[at] ^= (x >> 32) as u8 | 1;
        }
        let _ = audit_bytes(&RawSpec::default(), &b, InputMeta::default(), 1);
    }
    // Only `PAR1` and NUL bytes; a zip of random bytes named .parquet.
    assert!(err(b"PAR1\0\0\0\0").contains("a damaged Parquet file"));
    let mut zip = b"PK\x03\x04".to_vec();
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        zip.push(x as u8);
    }
    assert!(err(&zip).contains("damaged zip archive"));
}

#[test]
fn the_page_preview_reads_the_footer_and_the_first_rows() {
    // What the page's worker builds with the Parquet module: the meta message, then the
    // first row group's first rows; the main module previews it with no Parquet code.
    let bytes = fixture("table_pyarrow_zstd.parquet");
    let input = privaudit::ingest::source::parquet::native::preview_input(&mut std::io::Cursor::new(&bytes[..]))
        .expect("preview input");
    assert!(input.len() < bytes.len(), "not the whole file");
    let p = privaudit::preview::page_preview(&RawSpec::default(), &input, true, bytes.len() as u64).expect("preview");
    assert_eq!((p.estimate.rows, p.estimate.exact), (Some(400), true));
    assert_eq!(p.preview.format, "parquet");
    assert_eq!(p.preview.columns.len(), 11);
    assert_eq!(p.preview.cuts.len(), 5, "4 row groups and the footer");
    let direct = resolve(&RawSpec::default(), &bytes, true).expect("preview");
    assert_eq!(p.preview.spec, direct.spec, "the same resolved spec as from the whole file");
}

#[test]
fn a_row_group_decoded_in_slices_of_any_size_gives_the_same_report() {
    // The readers decode a row group a slice of rows at a time (16,384 natively and in the
    // page); slices of 1, 7 and 33 rows, crossing pages and row groups, change nothing.
    let bytes = fixture("table_pyarrow_plain.parquet");
    let (spec, cuts, meta) = spec_of(&bias_spec(), &bytes);
    let n = bytes.len();
    let footer_len = u32::from_le_bytes([bytes[n - 8], bytes[n - 7], bytes[n - 6], bytes[n - 5]]) as usize;
    let rg = privaudit_parquet::RowGroups::new(&bytes[n - 8 - footer_len..n - 8], n as u64).expect("footer");
    let plan = split::plan_cuts(&cuts, 1)[0];
    let state = |slice: usize| {
        let mut run = privaudit::engine::run::Run::new(Arc::clone(&spec), plan);
        for i in 0..rg.len() {
            let (s, e) = rg.extent(i).expect("extent");
            let mut d = rg.open(i, bytes[s as usize..e as usize].to_vec().into(), s, None).expect("open");
            while let Some(msg) = d.next_slice(slice).expect("slice") {
                run.feed(&msg).expect("feed");
            }
        }
        run.finish_input().expect("finish");
        run.into_state().expect("state")
    };
    let want = report_of(&spec, &bytes, state(1 << 20), &meta);
    for slice in [1, 7, 33] {
        assert!(report_of(&spec, &bytes, state(slice), &meta) == want, "slices of {slice} rows differ");
    }
}
