//! `[dataset]`: options of the dataset-level checks ([`crate::quality::dataset`]). The
//! leakage threshold is the `target_leakage` check's (`[checks.target_leakage]`).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Default cap of distinct row hashes (and distinct feature hashes) kept exactly.
pub const DEFAULT_MAX_DISTINCT_ROWS: u64 = 250_000;

/// `[dataset]` in a spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawDataset {
    /// Compute the dataset section (duplicates, label balance, conflicts, leakage).
    pub enabled: bool,
    /// Distinct rows (and distinct feature combinations) counted exactly; beyond, duplicate
    /// rows are estimated with HyperLogLog and conflicting labels are not computed.
    pub max_distinct_rows: u64,
}

impl Default for RawDataset {
    fn default() -> Self {
        RawDataset { enabled: true, max_distinct_rows: DEFAULT_MAX_DISTINCT_ROWS }
    }
}

/// Checks `[dataset]`, naming the field at fault.
pub fn validate(d: &RawDataset) -> Result<()> {
    if d.max_distinct_rows < 1 || d.max_distinct_rows > 50_000_000 {
        return Err(Error::spec(
            "dataset.max_distinct_rows",
            format!("must be between 1 and 50,000,000, got {}", d.max_distinct_rows),
        ));
    }
    Ok(())
}
