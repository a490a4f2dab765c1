//! Re-identification risk over quasi-identifiers, and what-if generalisation
//! (`shared/PRIVACY_RISK.md` §2–5, §8).
//!
//! One streaming, mergeable accumulator ([`acc::RiskAcc`]) counts, per distinct
//! quasi-identifier tuple, its rows and the counts of each sensitive value (the *level-0
//! map*); parts of a file merge by adding counts, so the report is the same for any split.
//! Everything else is computed from that map at the end:
//!
//! ```text
//! rows ─► RiskAcc (tuple → rows, sensitive counts) ─merge─► ClassTable (sorted)
//!            ├─► class sizes, k, uniques, histogram ─► prosecutor risk  (measures)
//!            ├─► population uniques: Pitman / Zayatz / Dankar          (population)
//!            ├─► l-diversity, t-closeness                               (diversity)
//!            └─► each what-if: tuples through the ladders, regrouped    (whatif, ladder)
//! ```
//!
//! Conventions: [`report::MISSING_CONVENTION`]; the memory cap `privacy.max_classes`
//! (see [`acc`]). Where pycanon differs (entropy l floored, recursive (c, l) sorted the
//! other way, risk averaged over classes, the shuffled-index bug) the modules say so and
//! the tests check the correct value.
//!
//! # Usage
//! ```
//! use privaudit::{audit_bytes, report::InputMeta, spec::RawSpec};
//! let mut spec = RawSpec::default();
//! spec.privacy.quasi_identifiers = vec!["age".into(), "zip".into()];
//! let csv = b"age,zip\n31,13053\n31,13053\n42,14850\n";
//! let r = audit_bytes(&spec, csv, InputMeta::default(), 1).unwrap();
//! let risk = r.privacy.unwrap().risk.unwrap();
//! assert_eq!((risk.classes.as_ref().unwrap().k, risk.prosecutor.unwrap().highest), (1, 1.0));
//! ```
//!
//! # Merge
//! ```
//! use privaudit::{audit_bytes, report::InputMeta, spec::RawSpec};
//! let mut spec = RawSpec::default();
//! spec.privacy.quasi_identifiers = vec!["sex".into()];
//! let csv = b"sex\nF\nM\nF\nF\n";
//! let one = audit_bytes(&spec, csv, InputMeta::default(), 1).unwrap();
//! let four = audit_bytes(&spec, csv, InputMeta::default(), 4).unwrap();
//! assert_eq!(one.privacy, four.privacy);
//! ```

pub mod acc;
pub mod diversity;
pub mod export;
pub mod gates;
pub mod key;
pub mod ladder;
pub mod measures;
pub mod population;
pub mod report;
pub mod spec;
pub mod suggest;
pub mod table;
pub mod whatif;

pub use acc::RiskAcc;
pub use report::RiskReport;
pub use spec::RiskSpec;
