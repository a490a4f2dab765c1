//! `[privacy]`: the privacy-risk section of a spec ([`crate::privacy`]). Only personal-data
//! detection for now.

use serde::{Deserialize, Serialize};

/// `[privacy]` in a spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawPrivacy {
    /// Detect personal data in every column (default true; see
    /// [`crate::privacy::detect`]).
    pub detect: bool,
}

impl Default for RawPrivacy {
    fn default() -> Self {
        RawPrivacy { detect: true }
    }
}
