//! The mergeable state of a run, and its self-describing serialisation.
//!
//! Encoded state = `b"PRIVAUDIT-STATE"` · format version (u16 LE) · kind (u8) · spec
//! fingerprint (u64 LE) · postcard payload. [`RunState::decode`] checks each part before
//! anything is merged, so a state made with another version or another spec is refused
//! with a sentence, never merged into a wrong answer.
//!
//! States hold exact statistics of the data: they are confidential and must be treated
//! like the file itself.

use super::Analysis;
use crate::error::{Error, Result};
use crate::ingest::findings::{FindingsAcc, Loc};
use crate::spec::ValidSpec;
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 15] = b"PRIVAUDIT-STATE";
/// Format version of encoded states.
pub const FORMAT_VERSION: u16 = 5;
const KIND_RUN: u8 = 1;
const HEADER_LEN: usize = 15 + 2 + 1 + 8;

/// The part of the file one state covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Segment {
    /// First byte (a record start, or 0).
    pub start: u64,
    /// The first record start at or after the range end.
    pub next_start: u64,
    /// Records in the segment.
    pub rows: u64,
    /// The nominal end of the range that produced it (used to plan re-runs).
    pub end: u64,
}

/// Everything a run has accumulated. Merge in any order; finish once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    /// Which pass made it (1 = the main pass; later passes are planned by
    /// [`super::plan::Plan`]).
    pub pass: u32,
    /// Segments covered, sorted by start.
    pub segments: Vec<Segment>,
    /// Row-level findings.
    pub findings: FindingsAcc,
    /// The analyses.
    pub analyses: Vec<Analysis>,
}

impl RunState {
    /// An empty state for `spec`.
    pub fn new(spec: &ValidSpec) -> Self {
        RunState { pass: 1, segments: Vec::new(), findings: FindingsAcc::default(), analyses: Analysis::for_spec(spec) }
    }

    /// An empty state for a later pass.
    pub fn for_pass(pass: &super::plan::PassSpec) -> Self {
        RunState {
            pass: pass.pass,
            segments: Vec::new(),
            findings: FindingsAcc::default(),
            analyses: {
                let mut a = vec![Analysis::Quantiles(crate::sketch::quantile::RadixAcc::new(pass.probes.clone()))];
                if !pass.shapes.is_empty() {
                    a.push(Analysis::Shape(crate::quality::histogram_pass::ShapeAcc::new(pass.shapes.clone())));
                }
                if let Some(d) = &pass.deviations {
                    a.push(Analysis::Deviation(crate::quality::quantiles::DeviationAcc::new(d)));
                }
                if !pass.frequent.is_empty() {
                    a.push(Analysis::Frequent(crate::quality::frequent_pass::FrequentAcc::new(pass.frequent.clone())));
                }
                a
            },
        }
    }

    /// Data rows covered.
    pub fn rows(&self) -> u64 {
        self.segments.iter().map(|s| s.rows).sum()
    }

    /// Merges another state made with the same spec.
    pub fn merge(&mut self, other: RunState) -> Result<()> {
        if other.pass != self.pass {
            return Err(Error::state(format!(
                "a state of pass {} cannot merge with one of pass {}",
                other.pass, self.pass
            )));
        }
        if other.analyses.len() != self.analyses.len() {
            return Err(Error::state("the states hold different analyses"));
        }
        for s in &other.segments {
            if self.segments.iter().any(|t| s.start < t.next_start && t.start < s.next_start) {
                return Err(Error::state(format!(
                    "the state covering bytes {}..{} overlaps one already merged",
                    s.start, s.next_start
                )));
            }
        }
        self.segments.extend(other.segments);
        self.segments.sort();
        self.findings.merge(other.findings);
        for (a, b) in self.analyses.iter_mut().zip(other.analyses) {
            a.merge(b)?;
        }
        Ok(())
    }

    /// Serialises the state with its header.
    pub fn encode(&self, spec: &ValidSpec) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(HEADER_LEN + 1024);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(KIND_RUN);
        out.extend_from_slice(&spec.fingerprint.to_le_bytes());
        let payload =
            postcard::to_allocvec(self).map_err(|e| Error::state(format!("could not encode the state: {e}")))?;
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Reads a state, checking format version, kind and spec fingerprint first.
    pub fn decode(spec: &ValidSpec, bytes: &[u8]) -> Result<Self> {
        if bytes.len() < HEADER_LEN || &bytes[..15] != MAGIC {
            return Err(Error::state("these bytes are not a privaudit state"));
        }
        let version = u16::from_le_bytes([bytes[15], bytes[16]]);
        if version != FORMAT_VERSION {
            return Err(Error::state(format!(
                "the state has format version {version}, this privaudit reads version {FORMAT_VERSION}; use the same privaudit version everywhere"
            )));
        }
        if bytes[17] != KIND_RUN {
            return Err(Error::state(format!("the state is of kind {}, expected a run state", bytes[17])));
        }
        let mut fp = [0u8; 8];
        fp.copy_from_slice(&bytes[18..26]);
        if u64::from_le_bytes(fp) != spec.fingerprint {
            return Err(Error::state("the state was made with a different audit spec (or a different file preview)"));
        }
        postcard::from_bytes(&bytes[HEADER_LEN..]).map_err(|e| Error::state(format!("the state is damaged: {e}")))
    }

    /// The 1-based data row of a finding position, using the row counts of all segments.
    pub fn global_row(&self, loc: &Loc) -> u64 {
        let mut before = 0;
        for s in &self.segments {
            if loc.byte < s.next_start.max(s.start + 1) && loc.byte >= s.start {
                return before + loc.row_in_segment;
            }
            before += s.rows;
        }
        // UTF-16 files use decoded offsets in one segment.
        loc.row_in_segment
    }
}
