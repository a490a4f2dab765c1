//! Data quality: the column profile, string and date checks, column flags, and the gates
//! (checks).

pub mod check_registry;
pub mod checks;
pub mod correlation;
pub mod correlation_stats;
#[cfg(test)]
mod correlation_tests;
pub mod dataset;
pub mod disparity_gates;
pub mod flags;
pub mod frequent_pass;
pub mod group_quality;
pub mod group_quality_report;
pub mod histogram;
pub mod histogram_pass;
pub mod personal;
pub mod profile;
pub mod quantiles;
pub mod radix_pass;
pub mod representativeness;
pub mod text;
