//! The report: model, assembly, and rendering to JSON, HTML and JUnit XML.

pub mod anchors;
pub mod bias;
pub mod build;
pub mod columns;
pub mod datasheet;
pub mod draft;
pub mod drift;
pub mod fmt;
pub mod glossary_bias;
pub mod html;
pub mod html_bias;
pub mod html_bias_chart;
pub mod html_bias_grid;
pub mod html_checks;
pub mod html_columns;
pub mod html_corr;
pub mod html_dataset;
pub mod html_dp;
pub mod html_drift;
pub mod html_histogram;
pub mod html_layout;
pub mod html_ll144;
pub mod html_numeric;
pub mod html_privacy;
pub mod html_proxies;
pub mod html_quality;
pub mod html_risk;
pub mod html_scores;
pub mod html_summary;
pub mod html_verify;
pub mod html_weights;
pub mod junit;
pub mod ledger;
pub mod lines;
pub mod model;
pub mod pia;
pub mod scores;
pub mod sentences;
pub mod tables;

pub use build::build;
pub use model::{InputMeta, Report};

impl Report {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
    /// Self-contained HTML.
    pub fn to_html(&self) -> String {
        html::render(self)
    }
    /// JUnit XML of the checks.
    pub fn to_junit(&self) -> String {
        junit::render(self)
    }
    /// The table `name` ([`tables::TABLES`]: the column profile, the checks, the bias
    /// audit's group metrics) as formula-safe CSV.
    pub fn to_csv(&self, name: &str) -> crate::error::Result<String> {
        tables::table(self, name)
    }
    /// Reads a report back from JSON.
    pub fn from_json(text: &str) -> crate::error::Result<Self> {
        serde_json::from_str(text).map_err(|e| crate::error::Error::spec("(report)", e.to_string()))
    }
}
