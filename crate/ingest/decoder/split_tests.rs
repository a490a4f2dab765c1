//! The splitter against csv-core: record by record over generated inputs (the same bytes
//! consumed, the same fields and ends, the same terminator; complete lines without quotes
//! must be taken, and lines with quotes are compared wherever the splitter takes them), and whole decoders with and without it over random chunks and ranges
//! (the same rows, findings, coverage and errors).

use super::split_record;
use crate::ingest::batch::{cell_text, Batch};
use crate::ingest::decoder::{disable_bom_stripping, Coverage, Decoder};
use crate::ingest::findings::FindingsAcc;
use crate::spec::{RawSpec, ValidSpec};
use csv_core::{ReadRecordResult, ReaderBuilder, Terminator};
use proptest::prelude::*;
use std::sync::Arc;

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// A field: pieces of ASCII, multi-byte UTF-8, other delimiters and (rarely) a quote.
fn field() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        12 => proptest::sample::select(
            &["a", "Zq", "7", "1.5", "-3", " ", "NA", "2024-01-02", "é", "€", "日本", "😀", ",", ";", "\t", "|", "'"][..]
        ),
        1 => Just("\""),
    ];
    let plain = proptest::collection::vec(piece, 0..5).prop_map(|p| p.concat());
    // A quoted field: delimiters, doubled quotes, now and then a line break or a lone quote.
    let inner = prop_oneof![
        10 => proptest::sample::select(&["a", " ", ",", ";", "\t", "|", "é", "日本", "\"\""][..]),
        1 => proptest::sample::select(&["\n", "\r", "\r\n", "\"", "\"x"][..]),
    ];
    let quoted = proptest::collection::vec(inner, 0..5).prop_map(|p| format!("\"{}\"", p.concat()));
    prop_oneof![3 => plain, 1 => quoted]
}

/// A record: its fields, its terminator (0 LF, 1 CR, 2 CRLF) and blank lines after it.
fn record() -> impl Strategy<Value = (Vec<String>, u8, u8)> {
    (proptest::collection::vec(field(), 1..6), 0u8..3, prop_oneof![6 => Just(0u8), 1 => 1u8..3])
}

const TERMS: [&[u8]; 3] = [b"\n", b"\r", b"\r\n"];

/// The bytes of `records` joined with `delim`; the last terminator is dropped when `open`.
fn csv(header: bool, records: &[(Vec<String>, u8, u8)], delim: u8, open: bool) -> Vec<u8> {
    let mut s = Vec::new();
    if header {
        s.extend_from_slice(&[b"a", &[delim][..], b"b", &[delim][..], b"c\n"].concat());
    }
    for (i, (fields, term, blank)) in records.iter().enumerate() {
        s.extend_from_slice(fields.join(std::str::from_utf8(&[delim]).unwrap_or(",")).as_bytes());
        if open && i + 1 == records.len() {
            break;
        }
        for _ in 0..=*blank {
            s.extend_from_slice(TERMS[*term as usize]);
        }
    }
    s
}

/// What one record read gives: bytes consumed, field bytes, ends, terminator.
type Read = (usize, Vec<u8>, Vec<usize>, u8);

/// Walks `input` record by record as the decoder does (terminators between records
/// skipped), reading each with csv-core and, where it applies, with the splitter; checks
/// they agree and that the splitter applies exactly to complete lines without a quote.
/// Returns how many records the splitter took.
fn compare_with_csv_core(input: &[u8], delim: u8) -> usize {
    let quote = b'"';
    let mut rdr = ReaderBuilder::new().delimiter(delim).quote(quote).terminator(Terminator::CRLF).build();
    disable_bom_stripping(&mut rdr);
    let (mut out, mut ends) = (vec![0u8; 1 << 16], vec![0usize; 1 << 10]);
    let (mut fast_out, mut fast_ends) = (vec![0u8; 4], vec![0usize; 1]);
    let (mut pos, mut taken) = (0, 0);
    loop {
        pos += input[pos..].iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
        if pos == input.len() {
            return taken;
        }
        let rest = &input[pos..];
        let fast: Option<Read> = split_record(rest, delim, quote, 1 << 20, &mut fast_out, &mut fast_ends)
            .map(|(n, nout, nend)| (n, fast_out[..nout].to_vec(), fast_ends[..nend].to_vec(), rest[n - 1]));
        let (res, nin, nout, nend) = rdr.read_record(rest, &mut out, &mut ends);
        let line_end = rest.iter().position(|&b| b == b'\n' || b == b'\r');
        let quoted = rest[..line_end.unwrap_or(rest.len())].contains(&quote);
        // Complete lines without quotes are always taken; lines with quotes when every quote
        // belongs to a simply quoted field (and then, below, exactly as csv-core reads them).
        assert!(fast.is_none() || line_end.is_some(), "no line end, yet split: {:?}", String::from_utf8_lossy(rest));
        if line_end.is_some() && !quoted {
            assert!(fast.is_some(), "splitter not taken on {:?}", String::from_utf8_lossy(rest));
        }
        if res == ReadRecordResult::InputEmpty {
            assert!(fast.is_none(), "no terminator, yet split");
            return taken; // the last record, ended by the end of the input
        }
        assert_eq!(res, ReadRecordResult::Record);
        let core: Read = (nin, out[..nout].to_vec(), ends[..nend].to_vec(), rest[nin - 1]);
        if let Some(fast) = fast {
            assert_eq!(fast, core, "record at byte {pos} of {:?}", String::from_utf8_lossy(input));
            taken += 1;
        }
        pos += nin;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn splits_like_csv_core(
        records in proptest::collection::vec(record(), 1..12),
        d in 0usize..4,
        open: bool,
    ) {
        let delim = DELIMITERS[d];
        compare_with_csv_core(&csv(false, &records, delim, open), delim);
    }
}

#[test]
fn splits_the_simple_cases_and_leaves_the_rest() {
    // (input, records the splitter takes): CRLF leaves its LF to the skip; quotes anywhere
    // in a line, even mid-field where csv-core copies them, go to csv-core.
    for (input, n) in [
        (&b"a,b\r\nc,,d\n\ne\rf"[..], 3),
        (b",\n,,\r\n", 2),
        (b"x,\"y\nz\",w\nplain\n", 1),
        (b"ab\"c,d\ne,f\n", 1),
        // Simply quoted fields are split too: delimiters and doubled quotes inside, empty.
        (b"1,\"a,b\",2\n\"x\"\"y\"\r\n\"\",\"\"\"\"\n", 3),
        // Not: text after the closing quote, a quote opening mid-field, an open quote.
        (b"\"a\"b,c\nd,e\"f\"\n\"g\n", 0),
        (b"\xc3\xa9,\xe2\x82\xac\n", 1),
        (b"no terminator", 0),
    ] {
        assert_eq!(compare_with_csv_core(input, b','), n, "{:?}", String::from_utf8_lossy(input));
    }
}

/// Everything a decoder over `[start, end)` produced, fed in `chunk`-byte pieces.
fn decode(spec: &Arc<ValidSpec>, input: &[u8], range: (u64, u64, bool), chunk: usize, plain: bool) -> String {
    let (start, end, exact) = range;
    let mut d = Decoder::new(spec.clone(), start, end, exact);
    d.plain &= plain;
    let mut f = FindingsAcc::default();
    let mut rows = Vec::new();
    let mut sink = |b: &Batch| {
        for r in 0..b.rows() {
            let cells: Vec<String> =
                (0..b.width()).map(|c| format!("{:?}={:?}", b.column(c)[r], cell_text(b, &b.column(c)[r]))).collect();
            rows.push(format!("{:?} {}", b.origin(), cells.join(" ")));
        }
    };
    let mut at = start as usize;
    let result = loop {
        if at >= input.len() {
            break d.finish_input(&mut f, &mut sink).map(|_| ());
        }
        let next = (at + chunk).min(input.len());
        match d.feed(&input[at..next], &mut f, &mut sink) {
            Ok(true) => break Ok(()),
            Ok(false) => at = next,
            Err(e) => break Err(e),
        }
    };
    let cov: Option<Coverage> = d.coverage();
    format!("{result:?}\n{cov:?}\n{f:?}\n{}", rows.join("\n"))
}

fn spec_for(input: &[u8], delim: u8, max_field_bytes: u64) -> Arc<ValidSpec> {
    let mut raw = RawSpec::default();
    raw.input.delimiter = Some(char::from(delim).to_string());
    raw.input.quote = Some("\"".into());
    raw.input.header = Some(true);
    raw.input.encoding = Some("utf-8".into());
    raw.input.max_field_bytes = Some(max_field_bytes);
    let resolved = crate::ingest::sniff::resolve(&raw, input, true).expect("preview").spec;
    Arc::new(ValidSpec::try_from_resolved(&resolved).expect("spec"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decodes_like_csv_core_alone(
        records in proptest::collection::vec(record(), 0..12),
        d in 0usize..4,
        open: bool,
        chunk in 1usize..40,
        cut in 0.0f64..1.0,
    ) {
        let delim = DELIMITERS[d];
        let input = csv(true, &records, delim, open);
        let spec = spec_for(&input, delim, 1 << 20);
        let len = input.len() as u64;
        let k = (cut * len as f64) as u64;
        for range in [(0, len, true), (0, k, true), (k, len, false)] {
            for chunk in [chunk, 1 << 16] {
                prop_assert_eq!(decode(&spec, &input, range, chunk, true), decode(&spec, &input, range, chunk, false));
            }
        }
    }
}

#[test]
fn long_lines_and_long_fields_are_left_to_csv_core() {
    // A line longer than the field limit is csv-core's (with small fields: read; with a
    // field over the limit: the same error, row and column); a BOM, a quote left open.
    let many = format!("a,b,c\n{}\n1,2,3\n", vec!["xy"; 700].join(","));
    let long = format!("a,b,c\n1,{},3\n4,5,6\n", "z".repeat(1500));
    let other = "\u{feff}a,b,c\r\n1,2,3\r\n\r\n4,\"5\n6\",7\r\n8,9,\"open\n10\n";
    for input in [many.as_str(), long.as_str(), other] {
        let spec = spec_for(input.as_bytes(), b',', 1024);
        let b = input.as_bytes();
        let len = b.len() as u64;
        for range in [(0, len, true), (0, 9, true), (9, len, false)] {
            for chunk in [1, 7, 1 << 16] {
                assert_eq!(decode(&spec, b, range, chunk, true), decode(&spec, b, range, chunk, false), "{input:?}");
            }
        }
    }
}
