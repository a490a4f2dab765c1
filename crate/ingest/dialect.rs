//! CSV dialect: delimiter, quote, header, line endings — and sniffing them from a sample.
//!
//! Sniffing (compare Python's `csv.Sniffer`, DuckDB's sniffer): each candidate delimiter
//! among `,` `;` tab `|` parses the sample's first records; the winner is the one whose
//! field count is the most consistent across records (ties: more fields, then the order
//! above). The quote is `"` unless only `'` opens fields. The header is assumed present
//! unless the first row looks like data: in a column whose other values are numbers or
//! dates, the first row also holds a number or date.

use super::value::{self, DateOrder, NumberFormat};
use serde::{Deserialize, Serialize};

/// Line terminators seen in the sample (csv-core accepts all three in any mix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    Crlf,
    /// `\r` alone (classic Mac OS)
    Cr,
    /// More than one kind.
    Mixed,
    /// No line terminator in the sample (one line).
    None,
}

/// The parsing dialect of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dialect {
    /// Field delimiter byte.
    pub delimiter: u8,
    /// Quote byte.
    pub quote: u8,
    /// True when the first record is a header.
    pub header: bool,
    /// Line terminators seen (informational; parsing accepts any).
    pub line_ending: LineEnding,
}

/// Candidate delimiters, in order of preference.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Parses up to `max` complete records of `text` with the given delimiter and quote.
/// A record cut by the end of the sample is dropped unless `whole` is true.
pub fn sample_records(text: &[u8], delimiter: u8, quote: u8, max: usize, whole: bool) -> Vec<Vec<String>> {
    let mut rdr =
        csv_core::ReaderBuilder::new().delimiter(delimiter).quote(quote).terminator(csv_core::Terminator::CRLF).build();
    super::decoder::disable_bom_stripping(&mut rdr);
    let mut out = vec![0u8; text.len() + 16];
    let mut ends = vec![0usize; 1024];
    let mut records = Vec::new();
    let mut input = text;
    let (mut nout, mut nend) = (0, 0);
    while records.len() < max {
        let (res, nin, o, e) = rdr.read_record(input, &mut out[nout..], &mut ends[nend..]);
        input = &input[nin..];
        nout += o;
        nend += e;
        match res {
            csv_core::ReadRecordResult::InputEmpty => {
                if !whole {
                    break;
                }
                // Signal end of input on the next call.
                let (res2, _, o2, e2) = rdr.read_record(&[], &mut out[nout..], &mut ends[nend..]);
                nout += o2;
                nend += e2;
                if matches!(res2, csv_core::ReadRecordResult::Record) {
                    records.push(split(&out[..nout], &ends[..nend]));
                }
                break;
            }
            csv_core::ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            csv_core::ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
            csv_core::ReadRecordResult::Record => {
                records.push(split(&out[..nout], &ends[..nend]));
                nout = 0;
                nend = 0;
            }
            csv_core::ReadRecordResult::End => break,
        }
    }
    records
}

fn split(out: &[u8], ends: &[usize]) -> Vec<String> {
    let mut start = 0;
    ends.iter()
        .map(|&e| {
            let s = String::from_utf8_lossy(&out[start..e]).into_owned();
            start = e;
            s
        })
        .collect()
}

/// Picks the delimiter whose field counts are most consistent over the sample.
pub fn sniff_delimiter(text: &[u8], quote: u8, whole: bool) -> u8 {
    let mut best = (b',', 0.0f64, 0usize);
    for &d in &DELIMITERS {
        let recs = sample_records(text, d, quote, 200, whole);
        if recs.is_empty() {
            continue;
        }
        let mut counts = std::collections::BTreeMap::<usize, usize>::new();
        for r in &recs {
            *counts.entry(r.len()).or_default() += 1;
        }
        let (&mode, &freq) = counts.iter().max_by_key(|(n, c)| (**c, **n)).unwrap_or((&1, &0));
        if mode < 2 {
            continue;
        }
        let consistency = freq as f64 / recs.len() as f64;
        if consistency > best.1 || (consistency == best.1 && mode > best.2) {
            best = (d, consistency, mode);
        }
    }
    best.0
}

/// `"` unless fields open with `'` and never with `"`.
pub fn sniff_quote(text: &[u8]) -> u8 {
    let opens = |q: u8| {
        text.windows(2).filter(|w| w[1] == q && matches!(w[0], b',' | b';' | b'\t' | b'|' | b'\n' | b'\r')).count()
            + usize::from(text.first() == Some(&q))
    };
    if opens(b'"') == 0 && opens(b'\'') > 0 {
        b'\''
    } else {
        b'"'
    }
}

/// Which line terminators appear in the sample.
pub fn sniff_line_ending(text: &[u8]) -> LineEnding {
    let (mut crlf, mut lf, mut cr) = (0, 0, 0);
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\r' if text.get(i + 1) == Some(&b'\n') => {
                crlf += 1;
                i += 1;
            }
            b'\r' => cr += 1,
            b'\n' => lf += 1,
            _ => {}
        }
        i += 1;
    }
    match (crlf > 0, lf > 0, cr > 0) {
        (false, false, false) => LineEnding::None,
        (true, false, false) => LineEnding::Crlf,
        (false, true, false) => LineEnding::Lf,
        (false, false, true) => LineEnding::Cr,
        _ => LineEnding::Mixed,
    }
}

fn looks_typed(s: &str) -> bool {
    let f = NumberFormat::default();
    value::parse_float(s, f).is_some_and(|x| !x.is_nan())
        || value::parse_date(s, DateOrder::Ymd).is_some()
        || value::parse_datetime(s).is_some()
}

/// True unless the first record looks like data (see module docs).
pub fn sniff_header(records: &[Vec<String>]) -> bool {
    let Some((first, rest)) = records.split_first() else { return true };
    if rest.is_empty() {
        return true;
    }
    let mut votes: i64 = 0;
    for (c, head) in first.iter().enumerate() {
        let vals: Vec<&str> =
            rest.iter().filter_map(|r| r.get(c)).map(String::as_str).filter(|v| !v.trim().is_empty()).collect();
        if vals.is_empty() || !vals.iter().all(|v| looks_typed(v)) {
            continue;
        }
        votes += if looks_typed(head) { -1 } else { 1 };
    }
    votes >= 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n4,5,6\n", b'"', true), b',');
        assert_eq!(sniff_delimiter(b"a;b\n1,5;2,5\n3,0;4\n", b'"', true), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n", b'"', true), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n\"x,y\"|2|3\n", b'"', true), b'|');
        assert_eq!(sniff_delimiter(b"onlyone\n1\n2\n", b'"', true), b',');
    }

    #[test]
    fn sniffs_header_and_quote_and_endings() {
        let recs = sample_records(b"age,name\n31,ann\n42,bob\n", b',', b'"', 10, true);
        assert!(sniff_header(&recs));
        let recs = sample_records(b"31,ann\n42,bob\n50,cy\n", b',', b'"', 10, true);
        assert!(!sniff_header(&recs));
        assert_eq!(sniff_quote(b"a,'b,c'\n"), b'\'');
        assert_eq!(sniff_quote(b"a,\"b\"\n"), b'"');
        assert_eq!(sniff_line_ending(b"a\r\nb\r\n"), LineEnding::Crlf);
        assert_eq!(sniff_line_ending(b"a\rb\r"), LineEnding::Cr);
        assert_eq!(sniff_line_ending(b"a\nb\r\n"), LineEnding::Mixed);
    }

    #[test]
    fn partial_last_record_is_dropped_from_a_cut_sample() {
        let recs = sample_records(b"a,b\n1,2\n3,\"cut", b',', b'"', 10, false);
        assert_eq!(recs.len(), 2);
        let recs = sample_records(b"a,b\n1,2\n3,4", b',', b'"', 10, true);
        assert_eq!(recs.len(), 3);
    }
}
