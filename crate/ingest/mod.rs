//! Ingest: from bytes to typed batches.
//!
//! ```text
//! sample (first 1 MiB) ─► encoding::detect ─► dialect::sniff_* ─► infer ─► sniff::resolve (spec)
//! bytes of a range ─► decoder::Decoder::feed ─► csv-core ─► batch::Batch ─► accumulators
//!                                            └─► findings (ragged rows, unparseable, undecodable)
//! ```
//! Other formats (JSON Lines, gzip, workbooks) are [`source::Source`]s producing the same
//! batches and findings. Nothing here does IO: front ends push bytes in.

pub mod bare;
pub mod batch;
pub mod decoder;
pub mod dialect;
pub mod dict;
pub mod encoding;
pub mod examples;
pub mod fastpath;
pub mod findings;
pub mod infer;
pub mod keys;
pub mod sniff;
pub mod source;
pub mod tally;
pub mod typing;
pub mod value;
