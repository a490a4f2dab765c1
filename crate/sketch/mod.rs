//! Mergeable sketches. Each has a mutable accumulator and a frozen result, and merges
//! exactly (or, for estimates, order-independently).

pub mod distinct;
pub mod exact_sum;
pub mod fast_hash;
pub mod key_counts;
pub mod log_buckets;
pub mod moment_sums;
pub mod moments;
pub mod moments_batch;
pub mod power_sums;
pub mod quantile;
pub mod top_k;
mod wide;
