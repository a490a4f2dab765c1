//! Data quality: the column profile and the gates (checks).

pub mod checks;
pub mod dataset;
pub mod disparity_gates;
pub mod profile;
pub mod quantiles;
