//! Shared statistics every analysis may use (issue 14's layers): special functions,
//! confidence intervals, significance tests, measures of association and exact rationals.
//! A leaf above `math`, `error` and `sketch`: it imports no analysis, engine or report.

pub mod association;
pub mod interval;
pub mod rational;
pub mod significance;
pub mod special;
