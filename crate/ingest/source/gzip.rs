//! gzip: a streaming decompressor in front of the CSV or JSON Lines decoder. The
//! compressed bytes are pushed in; the decompressed bytes go on to the inner decoder in
//! pieces (at most 16 KiB of compressed input at a time, so a highly compressed file never
//! expands into memory at once). Members are read one after another (`cat a.gz b.gz`,
//! bgzip). A gzip stream cannot be entered in the middle, so the file is one range.

use super::detect::format_error;
use super::Source;
use crate::error::{thousands, Error, Result};
use crate::ingest::batch::Batch;
use crate::ingest::decoder::Coverage;
use crate::ingest::findings::FindingsAcc;
use flate2::write::MultiGzDecoder;
use std::io::Write;

const PIECE: usize = 16 << 10;

/// A gzip stream feeding an inner decoder.
pub struct Gunzip {
    gz: MultiGzDecoder<Vec<u8>>,
    inner: Box<Source>,
    raw_fed: u64,
}

impl Gunzip {
    /// Decompresses into `inner` (a decoder of the whole decompressed stream).
    pub fn new(inner: Source) -> Self {
        Gunzip { gz: MultiGzDecoder::new(Vec::with_capacity(PIECE * 4)), inner: Box::new(inner), raw_fed: 0 }
    }

    /// The inner decoder.
    pub fn inner_mut(&mut self) -> &mut Source {
        &mut self.inner
    }

    /// Compressed bytes fed so far.
    pub fn bytes_fed(&self) -> u64 {
        self.raw_fed
    }

    /// True once the inner decoder is complete.
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// The inner decoder's rows and lines, over the compressed bytes read.
    pub fn coverage(&self) -> Option<Coverage> {
        self.inner.coverage().map(|c| Coverage { start: 0, next_start: self.raw_fed, ..c })
    }

    /// Feeds compressed bytes.
    pub fn feed(&mut self, bytes: &[u8], f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<bool> {
        for piece in bytes.chunks(PIECE) {
            let mut p = piece;
            while !p.is_empty() {
                match self.gz.write(p) {
                    Ok(0) => return Err(damaged(self.raw_fed, "data after the end of the compressed stream")),
                    Ok(n) => {
                        p = &p[n..];
                        self.raw_fed += n as u64;
                    }
                    Err(e) => return Err(damaged(self.raw_fed, &e.to_string())),
                }
            }
            self.drain(f, sink)?;
            if self.inner.is_done() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Signals the end of the file: the stream must be complete.
    pub fn finish_input(&mut self, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        if let Err(e) = self.gz.try_finish() {
            let _ = e;
            return Err(format_error(&format!(
                "a truncated gzip file: it ends after {} bytes, before the end of its compressed data; copy or download it again",
                thousands(self.raw_fed)
            )));
        }
        self.drain(f, sink)?;
        self.inner.finish_input(f, sink)
    }

    fn drain(&mut self, f: &mut FindingsAcc, sink: &mut dyn FnMut(&Batch)) -> Result<()> {
        let out = std::mem::take(self.gz.get_mut());
        let r = if out.is_empty() { Ok(false) } else { self.inner.feed(&out, f, sink) };
        let mut out = out;
        out.clear();
        *self.gz.get_mut() = out;
        r.map(|_| ())
    }
}

fn damaged(at: u64, why: &str) -> Error {
    format_error(&format!(
        "a damaged gzip file (after {} compressed bytes: {why}); copy or download it again",
        thousands(at)
    ))
}

/// Decompresses the start of a gzip file for the preview: at most `limit` bytes. Returns
/// the bytes and whether they are the whole decompressed file (`whole`: `head` is the
/// whole compressed file).
pub fn head(head: &[u8], whole: bool, limit: usize) -> Result<(Vec<u8>, bool)> {
    let mut gz = MultiGzDecoder::new(Vec::new());
    let mut fed = 0u64;
    for piece in head.chunks(PIECE) {
        let mut p = piece;
        while !p.is_empty() {
            match gz.write(p) {
                Ok(0) => return Err(damaged(fed, "data after the end of the compressed stream")),
                Ok(n) => {
                    p = &p[n..];
                    fed += n as u64;
                }
                Err(e) => return Err(damaged(fed, &e.to_string())),
            }
        }
        if gz.get_ref().len() > limit {
            let mut out = std::mem::take(gz.get_mut());
            out.truncate(limit);
            return Ok((out, false));
        }
    }
    if whole {
        if gz.try_finish().is_err() {
            return Err(format_error(&format!(
                "a truncated gzip file: it ends after {} bytes, before the end of its compressed data; copy or download it again",
                thousands(fed)
            )));
        }
        let out = std::mem::take(gz.get_mut());
        let all = out.len() <= limit;
        let mut out = out;
        out.truncate(limit);
        return Ok((out, all));
    }
    Ok((std::mem::take(gz.get_mut()), false))
}
