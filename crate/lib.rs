//! # privaudit
//!
//! Audits a sensitive table — data quality now; bias, drift and a differentially private
//! summary in later milestones — entirely on the user's machine. One engine runs in the
//! browser (wasm, in Web Workers), in a single offline HTML file whose CSP forbids every
//! network connection, and in a native CLI that gates CI pipelines.
//!
//! ## Map
//! - [`spec`]: the audit specification (TOML/JSON) and its two-stage validation;
//! - [`ingest`]: encoding, dialect sniffing, type inference, the push CSV decoder, typed
//!   batches and row-level findings;
//! - [`engine`]: the [`engine::Accumulator`] contract, runs over byte ranges, the state
//!   codec, range planning and the check/re-run loop;
//! - [`sketch`]: mergeable sketches (exact sums and moments, distinct counts, top values);
//! - [`quality`]: the column profile and the gate checks;
//! - [`report`]: the report model and its JSON / HTML / JUnit renderings;
//! - [`fairness`]: the statistics of the bias audit — per-group metrics with Wilson
//!   intervals, every disparity convention (fairlearn, AIF360/Aequitas, LL144), Newcombe
//!   and Katz intervals, Fisher/z tests with Holm, LL144 summary, reweighing (the
//!   streaming group counts and the report section are a later milestone);
//! - [`dp`]: differential privacy — exact discrete Laplace and Gaussian samplers, accuracy,
//!   accounting, the DP summary, the ledger of a dataset's releases, and the validator's
//!   check of a summary;
//! - [`privacy`]: personal-data detection per column (identifiers with their check digits,
//!   special categories) for privacy impact assessments;
//! - [`sample`]: deterministic synthetic datasets (the web app's sample, benchmarks);
//! - [`version`]: privaudit's version (a leaf every module may use);
//! - `wasm` (wasm32 only): the thin browser binding. The CLI lives in `crate/cli/`.
//!
//! ## End to end
//! ```
//! use privaudit::{audit_bytes, report::InputMeta, spec::RawSpec};
//! let csv = b"age,sex\n31,F\n42,M\nNA,F\n";
//! let report = audit_bytes(&RawSpec::default(), csv, InputMeta::default(), 1).unwrap();
//! assert_eq!(report.input.rows, 3);
//! let age = &report.columns[0];
//! assert_eq!((age.stats.missing, age.stats.numeric.as_ref().unwrap().mean), (1, Some(36.5)));
//! assert!(report.to_html().contains("<table>"));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// No panicking shortcuts outside tests: every failure on user input is an error value.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod dp;
pub mod drift;
pub mod engine;
pub mod error;
pub mod fairness;
pub mod ingest;
pub mod math;
pub mod privacy;
pub mod quality;
pub mod report;
pub mod sample;
pub mod sketch;
pub mod spec;
pub mod version;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

use std::sync::Arc;

/// Audits a whole file held in memory: preview, validate, run on `workers` ranges, report.
/// `meta.file_size` and `meta.notices` are filled in from the bytes and the preview.
pub fn audit_bytes(
    raw: &spec::RawSpec,
    bytes: &[u8],
    mut meta: report::InputMeta,
    workers: usize,
) -> error::Result<report::Report> {
    let head = if ingest::source::detect::needs_whole_file(bytes) { bytes.len() } else { ingest::sniff::SAMPLE_BYTES };
    let sample = &bytes[..bytes.len().min(head)];
    let preview = spec::resolve(raw, sample, sample.len() == bytes.len())?;
    let valid = Arc::new(spec::ValidSpec::try_from_resolved(&preview.spec)?);
    let plans = engine::split::plan_ranges(bytes.len() as u64, workers, preview.splittable);
    let plan = engine::drive::run_bytes(&valid, bytes, plans, engine::drive::CHUNK_BYTES)?;
    meta.file_size = bytes.len() as u64;
    meta.notices.splice(0..0, preview.notices);
    meta.bom = preview.encoding.bom;
    meta.line_ending = Some(preview.dialect.line_ending);
    Ok(plan.finish(&valid, meta))
}
