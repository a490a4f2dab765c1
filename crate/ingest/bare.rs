//! The benchmark baseline: csv-core record parsing with nothing else (no decoding, no
//! typing, no analyses). `scripts/bench` compares the profile's throughput with this.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder, Terminator};

/// Counts records and fields of a byte stream.
pub struct BareParser {
    rdr: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// Records seen.
    pub records: u64,
    /// Fields seen.
    pub fields: u64,
}

impl BareParser {
    /// A parser for `delimiter` and `quote`.
    pub fn new(delimiter: u8, quote: u8) -> Self {
        let rdr = ReaderBuilder::new().delimiter(delimiter).quote(quote).terminator(Terminator::CRLF).build();
        BareParser { rdr, out: vec![0; 1 << 16], ends: vec![0; 1024], nout: 0, nend: 0, records: 0, fields: 0 }
    }

    /// Feeds bytes; an empty slice means end of input.
    pub fn feed(&mut self, mut input: &[u8]) {
        let eof = input.is_empty();
        loop {
            let (res, nin, nout, nend) =
                self.rdr.read_record(input, &mut self.out[self.nout..], &mut self.ends[self.nend..]);
            input = &input[nin..];
            self.nout += nout;
            self.nend += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if input.is_empty() && !eof {
                        return;
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    self.records += 1;
                    self.fields += self.nend as u64;
                    self.nout = 0;
                    self.nend = 0;
                    if input.is_empty() && !eof {
                        return;
                    }
                }
                ReadRecordResult::End => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_records_across_chunks() {
        let data = b"a,b\n1,\"x\ny\"\n3,4";
        let mut p = BareParser::new(b',', b'"');
        for c in data.chunks(1) {
            p.feed(c);
        }
        p.feed(&[]);
        assert_eq!((p.records, p.fields), (3, 6));
    }
}
