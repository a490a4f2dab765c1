//! Bias audit: per-group rates, disparities under every convention in use, intervals and
//! tests — pure functions of per-group confusion counts (no IO; the streaming accumulator
//! that produces the counts lives in the engine).
//!
//! # Definitions
//! Per group g with confusion counts TP, FP, TN, FN ([`counts::Confusion`]): count, share,
//! base rate, selection rate, TPR, FPR, TNR, FNR, PPV, NPV, FDR, FOR, accuracy and balanced
//! accuracy ([`metrics`]; the table there gives each numerator and denominator). JSON keys
//! are fairlearn's long names (`selection_rate`, `true_positive_rate`, …). Every rate carries
//! its numerator, denominator and Wilson 95 % interval ([`interval`]).
//!
//! Disparities ([`disparity`]) are reported under four labelled conventions: fairlearn
//! between groups (max − min, min / max) and to overall ([`between_groups`]); AIF360 /
//! Aequitas group vs reference, difference and ratio with Newcombe and Katz intervals, the
//! four-fifths band and a Fisher / z test on the metric's own sub-population with Holm's
//! adjustment ([`versus_reference`], [`significance`]), oriented by [`direction`]; NYC LL144
//! impact ratios of the favourable selection vs the most selected category ([`ll144`]). [`reweighing`] gives Kamiran–Calders weights. Without a
//! label column, [`selection`] gives the label-free part (selection rates, impact ratios,
//! four-fifths, between-group differences). [`proxy`] and [`proxy_stats`] measure how
//! strongly every other column is associated with each protected attribute and their
//! intersection (bias-corrected Cramér's V, correlation ratio η) and flag likely proxies.
//!
//! Score-based metrics ([`scores`]): per group AUC (Mann–Whitney, ties ½) with
//! Hanley–McNeil and DeLong intervals, calibration in 10 uniform bins with ECE and Brier
//! score, the score distribution, a threshold sweep, and LL144 scoring rates against the
//! full-sample median — from exact per-score counts, binned past 100,000 distinct scores.
//!
//! # Conventions chosen
//! * **0/0 is undefined** (`null` in JSON, "undefined" in the report), never 0 and never
//!   dropped silently. fairlearn returns **0** for TPR/FPR/TNR/FNR of a group with no
//!   row in the denominator (sklearn `confusion_matrix(normalize="true")`); AIF360 returns
//!   NaN; Aequitas NaN for rates and 10.0 for a ratio with a zero denominator. A group
//!   with an undefined rate is excluded from max / min with a note naming it, so it never
//!   makes a disparity look perfect or maximal.
//! * **The positive class and the favourable outcome are both explicit.** Counts are
//!   always for the class the user calls positive; whether it is favourable is an option
//!   copied into every result ([`counts::Confusion::flipped`] gives the other orientation).
//! * **Every rate has a harm direction** ([`direction`]): which way it harms a group
//!   depends on the orientation (a high selection rate harms when the positive prediction
//!   is unfavourable, a low one when it is favourable), and every group-vs-reference
//!   comparison names the disadvantaged party, the reference included, with the adverse
//!   ratio and its Katz interval. LL144 impact ratios count the favourable decision.
//! * **Unknown protected values** form groups with a [`counts::Level::Unknown`] level: their
//!   rows are counted and listed, never compared, never a reference or an extreme.
//! * **Counts are `u64`.** With a weight column, exact weighted counts
//!   ([`counts::WeightedConfusion`], Σw and Σw² per cell) give the [`weighted`] audit:
//!   Σw rates with Wilson intervals on Kish's effective sample size (Σw)²/Σw², and
//!   fairlearn, vs-reference and LL144 disparities of those rates; tests (p-values) are
//!   computed on row counts only.
//! * **Intervals**: Wilson score for a rate; MOVER-Wilson for balanced accuracy; Newcombe
//!   hybrid score (method 10) for a difference; Katz log for a ratio, with 0.5 added to every
//!   cell when the group's count is 0 (a zero reference rate leaves the ratio undefined). All
//!   at z = Φ⁻¹(0.975) = 1.959963984540054.
//! * **Tests**: Fisher exact when any expected cell is below 5, pooled two-proportion z
//!   otherwise (both always reported), Holm-adjusted across the groups of a breakdown.
//! * **Minimum group size** (default 30): smaller groups are marked `small`, listed and
//!   tested, never flagged. **LL144** has no pass mark; its optional 2 % exclusion keeps the
//!   excluded categories listed with n and rate.
//!
//! # Citations
//! * fairlearn `metrics/_base_metrics.py`, `_disaggregated_result.py`, `_fairness_metrics.py`;
//!   AIF360 `metrics/classification_metric.py`, `algorithms/preprocessing/reweighing.py`;
//!   Aequitas `src/aequitas/bias.py`, `fairness.py`.
//! * E. B. Wilson (1927), JASA 22:209–212; R. G. Newcombe (1998), Stat. Med. 17:873–890;
//!   D. Katz et al. (1978), Biometrics 34:469–474; G. Y. Zou & A. Donner (2008), Stat. Med.
//!   27:1693–1702; S. Holm (1979), Scand. J. Statist. 6:65–70; M. J. Wichura (1988), AS 241,
//!   Appl. Statist. 37:477–484; F. Kamiran & T. Calders (2012), KAIS 33:1–33.
//! * NYC DCWP rules 6 RCNY §5-300, §5-301 (Local Law 144 of 2021); UGESP 29 CFR §1607.4(D).
//!
//! # Usage
//! ```
//! use privaudit::fairness::{counts::{Confusion, GroupKey}, disparity::{audit_breakdown, DisparityOptions}};
//! let groups = vec![
//!     (GroupKey::known(&["a"]), Confusion::new(40, 10, 40, 10)),
//!     (GroupKey::known(&["b"]), Confusion::new(20, 5, 60, 15)),
//! ];
//! let audit = audit_breakdown(&groups, &DisparityOptions::default());
//! assert_eq!(audit.fairlearn.demographic_parity_difference, Some(0.25));
//! let sr = &audit.vs_reference[0];
//! assert_eq!(sr.comparisons[0].ratio, Some(0.5));
//! ```

pub mod between_groups;
pub mod counts;
pub mod direction;
pub mod disparity;
pub mod groups;
pub use crate::stats::interval;
pub mod ll144;
pub mod metrics;
pub mod proxy;
pub mod proxy_stats;
pub mod reweighing;
pub mod scores;
pub mod selection;
pub use crate::stats::significance;
pub mod thresholds;
pub mod versus_reference;
pub mod weighted;
