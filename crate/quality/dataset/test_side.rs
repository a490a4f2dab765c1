//! The test file's side of a train/test overlap, carried between two runs of a front end
//! (the browser reads the test file first, then the training file): the test run's
//! resolved spec, its dataset state and its row count, encoded with a header like the run
//! states (`PRIVAUDIT-TESTS`, format version). Confidential: row hashes of the test file.

use super::DatasetAcc;
use crate::error::{Error, Result};
use crate::report::Report;
use crate::spec::{RawSpec, ValidSpec};
use serde::{Deserialize, Serialize};

const MAGIC: &[u8; 15] = b"PRIVAUDIT-TESTS";
const VERSION: u16 = 2;

/// A finished test-file run, as [`super::attach_overlap`] needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestSide {
    /// The test run's resolved spec as JSON (its columns are compared with the training
    /// file's; JSON because the spec skips default fields, which postcard cannot).
    pub spec_json: String,
    /// Its dataset state.
    pub acc: DatasetAcc,
    /// Its data rows.
    pub rows: u64,
    /// Its file name, for the report.
    pub file_name: String,
}

impl TestSide {
    /// Serialises the side with its header.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&VERSION.to_le_bytes());
        let payload = postcard::to_allocvec(self)
            .map_err(|e| Error::state(format!("could not encode the test file's data: {e}")))?;
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Reads a side written by [`TestSide::encode`], checking its header first.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let head = MAGIC.len() + 2;
        if bytes.len() < head || &bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::state("these bytes are not a privaudit test-file state"));
        }
        let version = u16::from_le_bytes([bytes[MAGIC.len()], bytes[MAGIC.len() + 1]]);
        if version != VERSION {
            return Err(Error::state(format!(
                "the test-file state has format version {version}, this privaudit reads version {VERSION}; read both files with the same privaudit"
            )));
        }
        postcard::from_bytes(&bytes[head..]).map_err(|e| Error::state(format!("the test-file state is damaged: {e}")))
    }

    /// Attaches the overlap of this test file with the training run (`train_spec`, `train`)
    /// to the training file's `report`.
    pub fn attach(&self, report: &mut Report, train_spec: &ValidSpec, train: &DatasetAcc) -> Result<()> {
        let test_spec = ValidSpec::try_from_resolved(&RawSpec::from_json(&self.spec_json)?)?;
        super::attach_overlap(report, (train_spec, train), (&test_spec, &self.acc), self.rows, &self.file_name)
    }
}
