//! Data quality: the column profile, string and date checks, column flags, and the gates
//! (checks).

pub mod checks;
pub mod disparity_gates;
pub mod flags;
pub mod profile;
pub mod quantiles;
pub mod text;
