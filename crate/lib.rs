//! # privaudit
//!
//! Audits a sensitive table — data quality, personal data, bias, drift and a differentially
//! private summary — entirely on the user's machine. One engine runs in the browser (wasm,
//! in Web Workers), in a single offline HTML file whose CSP forbids every network
//! connection, and in a native CLI that gates CI pipelines.
//!
//! ## Map, from the bottom layer up
//! A module uses only modules of the layers below it (enforced by `tests/layers.rs`,
//! which lists the few imports that still go upwards and why).
//! - [`version`]: privaudit's version; [`math`]: portable transcendental functions;
//!   `testing` (tests only): helpers shared by unit tests;
//! - [`error`]: the one error type (and [`error::dp::DpError`], the DP errors it wraps);
//! - [`sketch`]: mergeable sketches over values (exact sums and moments, distinct counts,
//!   top values, radix selection of exact quantiles);
//! - [`stats`]: shared statistics — special functions, Wilson/Newcombe/Katz intervals,
//!   Fisher/z tests with Holm, Cramér's V and η, exact rationals;
//! - [`ingest`]: encoding, dialect sniffing, type inference, the push CSV decoder, typed
//!   batches with per-range value dictionaries (codes, key ids) and row-level findings;
//! - [`spec`]: the audit specification (TOML/JSON) and its two-stage validation;
//! - [`accumulator`]: the [`accumulator::Accumulator`] contract every analysis implements;
//!   [`sample`]: deterministic synthetic datasets (the web app's sample, benchmarks);
//! - the analyses: [`fairness`] (the bias audit: streaming group counts by code, per-group
//!   metrics, disparities with their harm direction, proxies, scores, LL144, reweighing);
//!   [`dp`] (exact discrete Laplace and Gaussian samplers, accuracy, accounting, the DP
//!   summary, the ledger and the validator's check); [`quality`] (the column profile, the
//!   dataset checks and the gate checks); [`drift`] (two files compared column by column);
//!   [`privacy`] (personal-data detection per column, re-identification risk over
//!   quasi-identifiers with what-if generalisation, PIA and datasheet inputs);
//! - [`engine`]: the registry of analyses ([`engine::Analysis`]), runs over byte ranges,
//!   the state codec, range planning and the check/re-run loop;
//! - [`report`]: the report model and its JSON / HTML / JUnit / CSV renderings;
//! - [`preview`]: what the page shows before a run (the structure of the file's first MiB
//!   read by the run's decoder, the row estimate, examples, suggestions, the header key);
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

pub mod accumulator;
pub mod dp;
pub mod drift;
pub mod engine;
pub mod error;
pub mod fairness;
pub mod ingest;
pub mod math;
pub mod preview;
pub mod privacy;
pub mod quality;
pub mod report;
pub mod sample;
pub mod sketch;
pub mod spec;
pub mod stats;
#[cfg(test)]
pub(crate) mod testing;
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
    let plans = engine::split::plan_for(&preview, bytes.len() as u64, workers);
    let plan = engine::drive::run_bytes(&valid, bytes, plans, engine::drive::CHUNK_BYTES)?;
    meta.file_size = bytes.len() as u64;
    meta.notices.splice(0..0, preview.notices);
    meta.bom = preview.encoding.bom;
    meta.line_ending = Some(preview.dialect.line_ending);
    Ok(plan.finish(&valid, meta))
}
