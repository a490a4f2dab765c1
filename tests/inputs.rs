//! Inputs other than plain CSV (issue 17): JSON Lines and gzip, detected by content.
//! The same table written as CSV and as each format gives the same report (columns,
//! bias, checks); every execution strategy gives the same report for each format; broken
//! inputs give a sentence or a finding, never a panic.

mod common;

use common::formats::{answers, audit, bias_spec, first_difference};
use common::{one_pass, random_chunks, ranges, report, serialised_shuffled, spec_for};
use flate2::{write::GzEncoder, Compression};
use privaudit::audit_bytes;
use privaudit::report::InputMeta;
use privaudit::spec::RawSpec;
use std::io::Write;

/// A deterministic table: (name, values); `None` is missing.
pub fn table(rows: usize) -> Vec<(&'static str, Vec<Option<String>>)> {
    let mut cols: Vec<(&'static str, Vec<Option<String>>)> =
        ["id", "age", "income", "sex", "group", "approved", "score", "applied", "stamp", "note", "address.city"]
            .iter()
            .map(|n| (*n, Vec::with_capacity(rows)))
            .collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for r in 0..rows {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = |k: u64| (x >> (k * 8)) % 1000;
        let row = [
            Some(format!("r{r:05}")),
            (v(0) % 17 != 0).then(|| (18 + v(1) % 60).to_string()),
            Some(format!("{}.{:02}", 20_000 + v(2) * 97, v(3) % 100)),
            Some(if v(4) % 2 == 0 { "F" } else { "M" }.to_string()),
            Some(["A", "B", "C"][(v(5) % 3) as usize].to_string()),
            Some(if v(6) % 5 < 2 + (v(4) % 2) { "yes" } else { "no" }.to_string()),
            Some(format!("0.{:03}", v(7))),
            (v(1) % 23 != 0).then(|| format!("2024-{:02}-{:02}", 1 + v(2) % 12, 1 + v(3) % 28)),
            Some(format!("2024-03-{:02}T{:02}:{:02}:00", 1 + v(0) % 28, v(1) % 24, v(2) % 60)),
            Some(["quiet, dry", "said \"hi\"", "Zoë née Ünal", "plain"][(v(6) % 4) as usize].to_string()),
            Some(["Oslo", "Rome", "Lima"][(v(3) % 3) as usize].to_string()),
        ];
        for (c, cell) in cols.iter_mut().zip(row) {
            c.1.push(cell);
        }
    }
    cols
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn to_csv(t: &[(&str, Vec<Option<String>>)]) -> Vec<u8> {
    let mut out: Vec<String> = vec![t.iter().map(|c| csv_field(c.0)).collect::<Vec<_>>().join(",")];
    for r in 0..t[0].1.len() {
        out.push(t.iter().map(|c| c.1[r].as_deref().map_or(String::new(), csv_field)).collect::<Vec<_>>().join(","));
    }
    (out.join("\n") + "\n").into_bytes()
}

/// JSON Lines: numbers as JSON numbers, `address.city` as a nested object; missing values
/// as `null` (`nulls`) or as the empty string.
pub fn to_jsonl(t: &[(&str, Vec<Option<String>>)], nulls: bool) -> Vec<u8> {
    let numeric = |name: &str| matches!(name, "age" | "income" | "score");
    let mut out = String::new();
    for r in 0..t[0].1.len() {
        let mut fields = Vec::new();
        for (name, vals) in t {
            let v = match (&vals[r], nulls) {
                (None, true) => "null".to_string(),
                (None, false) => "\"\"".to_string(),
                (Some(s), _) if numeric(name) => s.clone(),
                (Some(s), _) => serde_json::to_string(s).unwrap(),
            };
            match name.split_once('.') {
                Some((outer, inner)) => fields.push(format!("\"{outer}\": {{\"{inner}\": {v}}}")),
                None => fields.push(format!("\"{name}\": {v}")),
            }
        }
        out.push_str(&format!("{{{}}}\n", fields.join(", ")));
    }
    out.into_bytes()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn the_same_table_gives_the_same_answers_as_csv_jsonl_and_gzip() {
    let t = table(3000);
    let csv = to_csv(&t);
    let reference = answers(&audit(&bias_spec(), &csv));
    let jsonl = to_jsonl(&t, false);
    for (what, bytes, format) in [
        ("JSON Lines", jsonl.clone(), "jsonl"),
        ("gzip CSV", gzip(&csv), "csv"),
        ("gzip JSON Lines", gzip(&jsonl), "jsonl"),
    ] {
        let r = audit(&bias_spec(), &bytes);
        assert_eq!(r.input.spec.input.format.as_deref().unwrap_or("csv"), format, "{what}");
        let got = answers(&r);
        assert!(got == reference, "{what} differs from the CSV: {}", first_difference(&got, &reference));
    }
}

#[test]
fn json_nulls_are_missing_values_named_null() {
    let t = table(500);
    let csv = audit(&bias_spec(), &to_csv(&t));
    let nulls = audit(&bias_spec(), &to_jsonl(&t, true));
    for (a, b) in csv.columns.iter().zip(&nulls.columns) {
        assert_eq!((&a.name, a.stats.missing, a.stats.valid), (&b.name, b.stats.missing, b.stats.valid));
        if a.stats.missing > 0 {
            // The only difference: how the missing cells are named.
            assert_eq!(a.stats.missing_by_token[0].what, "token \"\" (empty field)");
            assert!(b.stats.missing_by_token[0].what.starts_with("null"), "{:?}", b.stats.missing_by_token);
        }
    }
    assert_eq!(serde_json::to_value(&csv.bias).unwrap(), serde_json::to_value(&nulls.bias).unwrap());
}

#[test]
fn every_strategy_gives_the_same_report_for_jsonl_and_gzip() {
    let t = table(400);
    let jsonl = to_jsonl(&t, true);
    let mut bad = jsonl.clone();
    // A malformed line and blank lines in the middle, a CRLF line and no final newline.
    let cut = bad.iter().enumerate().filter(|(_, &b)| b == b'\n').nth(99).unwrap().0 + 1;
    bad.splice(cut..cut, b"{\"id\": \"broken\", \n\n  \n{\"id\": \"crlf\", \"age\": 40}\r\n".iter().copied());
    bad.pop();
    for (what, bytes) in [("jsonl", jsonl.clone()), ("jsonl with bad lines", bad), ("gzip jsonl", gzip(&jsonl))] {
        let (spec, meta) = spec_for(&bytes, &bias_spec());
        let want = report(&spec, one_pass(&spec, &bytes), &meta, &bytes).to_json();
        let strategies = [
            ("chunks", random_chunks(&spec, &bytes, 97, 7)),
            ("1-byte chunks", random_chunks(&spec, &bytes, 1, 3)),
            ("3 ranges", ranges(&spec, &bytes, 3, 1 << 10)),
            ("7 ranges", ranges(&spec, &bytes, 7, 13)),
            ("serialised, shuffled", serialised_shuffled(&spec, &bytes, 5, 11)),
        ];
        for (name, st) in strategies {
            let got = report(&spec, st, &meta, &bytes).to_json();
            assert!(got == want, "{what}: {name} differs");
        }
    }
}

#[test]
fn malformed_lines_are_findings_with_their_line_numbers() {
    let text = "{\"a\": 1, \"b\": \"x\"}\n\n{\"a\": 2, \"b\": \"y\"}\n{\"a\": 3, \"b\": \n[1, 2]\n{\"a\": \"four\", \"b\": \"z\", \"c\": 9}\n{\"a\": 5}\n";
    let integer_a = RawSpec::from_toml("[[columns]]\nname = \"a\"\ntype = \"integer\"\n").unwrap();
    let r = audit(&integer_a, text.as_bytes());
    assert_eq!(r.input.rows, 4, "blank and malformed lines are not rows");
    let f = |id: &str| r.findings.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("no finding {id}"));
    let rows = |id: &str| f(id).first.iter().map(|p| p.row.unwrap()).collect::<Vec<_>>();
    assert_eq!((f("malformed_lines").count, rows("malformed_lines")), (2, vec![4, 5]), "line numbers");
    assert_eq!(rows("unparseable_cells"), [6], "`four` in an integer column");
    assert_eq!(f("unparseable_cells").first[0].column.as_deref(), Some("a"));
    let a = &r.columns[0];
    assert_eq!((a.stats.valid, a.stats.unparseable), (3, 1));
    assert!(r.notices.iter().any(|n| n.contains("line 4 of the sample is not one JSON object")), "{:?}", r.notices);
    // A field first seen after the preview's sample is not a column: a ragged line.
    let preview = privaudit::spec::resolve(&RawSpec::default(), &text.as_bytes()[..40], false).unwrap();
    assert_eq!(preview.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    let spec = std::sync::Arc::new(privaudit::spec::ValidSpec::try_from_resolved(&preview.spec).unwrap());
    let r2 = report(&spec, one_pass(&spec, text.as_bytes()), &InputMeta::default(), text.as_bytes());
    let ragged = r2.findings.iter().find(|f| f.id == "ragged_rows").unwrap();
    assert_eq!((ragged.count, ragged.first[0].row), (1, Some(6)), "{ragged:?}");
    // CSV reports keep their findings (the three row-level ones and the two quote findings of
    // issue 15); JSON Lines adds its own.
    let csv_ids: Vec<String> = audit(&RawSpec::default(), b"a\n1\n").findings.iter().map(|f| f.id.clone()).collect();
    assert_eq!(csv_ids.len(), 5, "{csv_ids:?}");
    assert!(!csv_ids.iter().any(|id| id == "malformed_lines"), "{csv_ids:?}");
}

#[test]
fn broken_inputs_give_a_sentence() {
    let err = |bytes: &[u8]| {
        audit_bytes(&RawSpec::default(), bytes, InputMeta::default(), 1).expect_err("an error").to_string()
    };
    let csv = to_csv(&table(200));
    let gz = gzip(&csv);
    let e = err(&gz[..gz.len() / 2]);
    assert!(e.contains("a truncated gzip file"), "{e}");
    assert!(err(&gzip(b"")).contains("the file is empty"));
    assert!(err(b"").contains("the file is empty"));
    let mut noise = vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3];
    noise.extend((0..500u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let e = err(&noise);
    assert!(e.contains("damaged gzip file"), "{e}");
    let e = err(&gzip(b"\x89PNG\r\n\x1a\n\0\0\0"));
    assert!(e.contains("gzip-compressed, and inside is a PNG image"), "{e}");
    // A file that looks like JSON Lines but has no readable object.
    let e = err(b"{\"a\" 1}\n{\"b\" 2}\n");
    assert!(e.contains("line 1 is not one JSON object (expected `:` after the field name)"), "{e}");
    // The spec's format must agree with the content.
    let mut raw = RawSpec::default();
    raw.input.format = Some("jsonl".into());
    let e = audit_bytes(&raw, &csv, InputMeta::default(), 1).unwrap_err().to_string();
    assert!(e.contains("is `jsonl` but the file's content is CSV"), "{e}");
}

#[test]
fn gzip_is_read_in_one_range_and_names_no_byte_offsets() {
    let t = table(300);
    let mut csv = to_csv(&t);
    csv.extend_from_slice(b"r99999,notanumber,1,F,A,yes,0.5,2024-01-01,2024-01-01T00:00:00,x,Oslo\n");
    let r = audit(&RawSpec::default(), &gzip(&csv));
    let f = r.findings.iter().find(|f| f.id == "unparseable_cells").unwrap();
    assert_eq!((f.count, f.first[0].row, f.first[0].byte), (1, Some(301), None), "{f:?}");
    assert!(r.notices.iter().any(|n| n.contains("gzip-compressed CSV")), "{:?}", r.notices);
    // Two gzip members one after the other (`cat a.gz b.gz`) are one file.
    let (head, tail) = csv.split_at(csv.len() / 2);
    let head_end = head.iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let mut two = gzip(&csv[..head_end]);
    two.extend(gzip(&[&head[head_end..], tail].concat()));
    assert_eq!(answers(&audit(&RawSpec::default(), &two)), answers(&r));
}
