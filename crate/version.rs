//! privaudit's version: a leaf module every part of the crate may use (the report, the DP
//! summary and its verifier, the ledger), so that none of them imports another for it.

/// privaudit's version (`Cargo.toml`'s).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
