//! The benchmark's decode-only run (`engine::decode_only`, `privaudit bench-parse
//! --decode`): it types every row a profile counts, whatever the ranges, and the CLI's
//! record count equals the bare csv-core parse's.

use privaudit::engine::decode_only::{coordinate, read_range};
use privaudit::engine::split::plan_n;
use privaudit::report::InputMeta;
use privaudit::spec::{resolve, RawSpec, ValidSpec};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

fn messy(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/messy").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Data rows of a decode-only run over `n` ranges read in `chunk`-byte chunks.
fn decode_rows(csv: &[u8], n: u64, chunk: usize) -> u64 {
    let preview = resolve(&RawSpec::default(), csv, true).expect("preview");
    let spec = Arc::new(ValidSpec::try_from_resolved(&preview.spec).expect("spec"));
    let n = if preview.splittable { n } else { 1 };
    coordinate(plan_n(csv.len() as u64, n), |p| read_range(&spec, &mut std::io::Cursor::new(csv), p, chunk))
        .expect("decode-only run")
}

#[test]
fn decode_only_counts_the_rows_a_profile_counts() {
    for name in [
        "quoted.csv",
        "crlf.csv",
        "cr_only.csv",
        "bom_utf8.csv",
        "ragged.csv",
        "semicolon_decimal_comma.csv",
        "utf16le_bom.csv",
        "windows1252.csv",
        "header_only.csv",
    ] {
        let csv = messy(name);
        let report = privaudit::audit_bytes(&RawSpec::default(), &csv, InputMeta::default(), 1).expect(name);
        for (n, chunk) in [(1, 1 << 20), (1, 1), (3, 7), (csv.len() as u64, 5)] {
            assert_eq!(decode_rows(&csv, n, chunk), report.input.rows, "{name}: {n} ranges, {chunk}-byte chunks");
        }
    }
}

fn privaudit(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_privaudit")).args(args).output().expect("run privaudit");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "privaudit {args:?}: {err}");
    String::from_utf8(o.stdout).expect("stdout is UTF-8")
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn bench_parse_decode_counts_the_records_of_the_bare_parse() {
    // 2 MB with quoted newlines, so that a split can fall inside a quoted field.
    let mut s = String::from("id,amount,comment,flag\n");
    let mut i = 0u64;
    while s.len() < 2_200_000 {
        i += 1;
        let comment = if i % 5 == 0 { format!("\"one\ntwo {i}\"") } else { format!("note {}", i % 97) };
        s.push_str(&format!(
            "{i},{}.{:02},{comment},{}\n",
            i * 7 % 1000,
            i % 100,
            if i % 3 == 0 { "yes" } else { "no" }
        ));
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("decode-only-cli");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join("t.csv");
    std::fs::write(&path, &s).expect("write the fixture");
    let file = path.to_str().expect("UTF-8 path");
    let bare = json(&privaudit(&["bench-parse", file, "--workers", "1"]));
    assert_eq!(bare["mode"], "bare");
    let report = json(&privaudit(&["profile", file, "--no-hash", "--json", "-"]));
    for workers in ["1", "2"] {
        let d = json(&privaudit(&["bench-parse", file, "--decode", "--workers", workers]));
        assert_eq!(d["mode"], "decode");
        assert_eq!(d["records"], bare["records"], "{workers} workers: {d}");
        assert_eq!(d["rows"], report["input"]["rows"], "{workers} workers: {d}");
        assert_eq!(d["rows"].as_u64(), Some(i));
    }
}
