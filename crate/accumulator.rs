//! The contract every analysis implements: a leaf module (it names only the batch it reads
//! and the crate's error type), so analyses implement it without importing the engine,
//! and the engine's registry of analyses ([`crate::engine::Analysis`]) sits above them.

use crate::error::Result;
use crate::ingest::batch::Batch;
use serde::{de::DeserializeOwned, Serialize};

/// One analysis over one pass. Same code in one worker, N workers, or the CLI.
pub trait Accumulator: Serialize + DeserializeOwned + Sized {
    /// The frozen summary.
    type Output;
    /// Adds a batch of rows. Never fails: bad cells are findings.
    fn update(&mut self, batch: &Batch);
    /// Merges another accumulator of the same configuration. Errs only on a mismatch.
    fn merge(&mut self, other: Self) -> Result<()>;
    /// Freezes the result.
    fn finish(self) -> Self::Output;
}
