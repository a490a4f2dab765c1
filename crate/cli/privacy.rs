//! The privacy-risk options of `audit`: quasi-identifiers and sensitive attributes (into
//! the spec's `[privacy]`), and the files written after the report — the generalised
//! table, the PIA draft and the datasheet draft. Every number comes from the library.

use privaudit::error::{Error, Result};
use privaudit::report::Report;
use privaudit::spec::{RawSpec, ValidSpec};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Re-identification risk options (flags win over the spec's `[privacy]`).
#[derive(clap::Args)]
pub struct PrivacyArgs {
    /// Re-identification risk over these quasi-identifier columns (comma-separated):
    /// class sizes, k, sample uniques, prosecutor risk, what-if generalisations.
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    quasi_identifiers: Vec<String>,
    /// Sensitive attributes (comma-separated): l-diversity and t-closeness within classes.
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    sensitive: Vec<String>,
    /// Size of the population the file was drawn from: estimates population uniques.
    #[arg(long, value_name = "N")]
    population: Option<u64>,
    /// τ: a record is at risk when 1 / its class size is above τ (default 0.2).
    #[arg(long, value_name = "TAU")]
    risk_threshold: Option<f64>,
}

impl PrivacyArgs {
    /// Puts the flags into `[privacy]`.
    pub fn apply(&self, raw: &mut RawSpec) {
        let p = &mut raw.privacy;
        if !self.quasi_identifiers.is_empty() {
            p.quasi_identifiers = self.quasi_identifiers.clone();
        }
        if !self.sensitive.is_empty() {
            p.sensitive = self.sensitive.clone();
        }
        p.population = self.population.or(p.population);
        p.risk_threshold = self.risk_threshold.or(p.risk_threshold);
    }
}

/// Files `audit` writes from the finished report.
#[derive(clap::Args)]
pub struct PrivacyOutputs {
    /// Write the generalised table as CSV (two more reads of the file): quasi-identifiers
    /// at --levels, rows in classes below --suppress-below with every quasi-identifier `*`,
    /// written: the quasi-identifiers, the sensitive attributes and --keep-columns.
    #[arg(long, value_name = "PATH")]
    generalised_out: Option<PathBuf>,
    /// Other columns to write into the generalised table (comma-separated); by default it
    /// holds only the quasi-identifiers and the sensitive attributes.
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    keep_columns: Vec<String>,
    /// Ladder levels for --generalised-out, e.g. `age=2,zip=1` (unlisted: 0, exact).
    #[arg(long, value_delimiter = ',', value_name = "COLUMN=LEVEL")]
    levels: Vec<String>,
    /// Suppress rows in classes smaller than this (default: the k_anonymity minimum, 5;
    /// 0 suppresses nothing).
    #[arg(long, value_name = "K")]
    suppress_below: Option<u64>,
    /// Write a privacy impact assessment draft (Markdown; HTML when PATH ends in .html).
    #[arg(long, value_name = "PATH")]
    pia_out: Option<PathBuf>,
    /// Write a datasheet draft (Gebru et al.; Markdown, or HTML when PATH ends in .html).
    #[arg(long, value_name = "PATH")]
    datasheet_out: Option<PathBuf>,
    /// A released DP summary (`privaudit dp --json`) whose parameters the PIA draft lists.
    #[arg(long, value_name = "PATH")]
    dp_summary: Option<PathBuf>,
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::kind_only(privaudit::error::ErrorKind::Io(format!("{}: {e}", path.display())))
}

fn write_draft(path: &Path, d: &privaudit::report::draft::Draft) -> Result<()> {
    let html = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    std::fs::write(path, if html { d.html() } else { d.markdown() }).map_err(|e| io_err(path, e))
}

impl PrivacyOutputs {
    /// Writes the requested files; `quiet` when the report went to standard output.
    pub fn write(&self, data: &Path, spec: &Arc<ValidSpec>, r: &Report, quiet: bool) -> Result<()> {
        if self.generalised_out.is_none()
            && (!self.levels.is_empty() || self.suppress_below.is_some() || !self.keep_columns.is_empty())
        {
            return Err(Error::spec("--levels", "goes with --generalised-out PATH"));
        }
        if self.pia_out.is_none() && self.dp_summary.is_some() {
            return Err(Error::spec("--dp-summary", "goes with --pia-out PATH"));
        }
        if let Some(p) = &self.pia_out {
            let dp = match &self.dp_summary {
                Some(s) => Some(privaudit::report::pia::dp_params_from_json(
                    &std::fs::read_to_string(s).map_err(|e| io_err(s, e))?,
                )?),
                None => None,
            };
            write_draft(p, &privaudit::report::pia::pia(r, dp.as_ref()))?;
        }
        if let Some(p) = &self.datasheet_out {
            write_draft(p, &privaudit::report::datasheet::datasheet(r))?;
        }
        let Some(out) = &self.generalised_out else { return Ok(()) };
        let pairs = self
            .levels
            .iter()
            .map(|s| {
                let (name, level) = s
                    .split_once('=')
                    .ok_or_else(|| Error::spec("--levels", format!("expected COLUMN=LEVEL, got `{s}`")))?;
                let level = level
                    .trim()
                    .parse()
                    .map_err(|_| Error::spec("--levels", format!("`{level}` is not a level (0, 1, 2…)")))?;
                Ok((name.trim().to_string(), level))
            })
            .collect::<Result<Vec<_>>>()?;
        let levels = privaudit::privacy::risk::export::levels_from(spec, &pairs, "--levels")?;
        let k = self.suppress_below.unwrap_or_else(|| privaudit::privacy::risk::gates::target_k(&spec.resolved.checks));
        let file = std::fs::File::create(out).map_err(|e| io_err(out, e))?;
        let mut w = std::io::BufWriter::new(file);
        let open = || std::fs::File::open(data).map_err(|e| io_err(data, e));
        let keep = privaudit::privacy::risk::export::keep_checked(spec, r, &self.keep_columns, "--keep-columns")?;
        let (rows, suppressed) =
            privaudit::privacy::risk::export::write_generalised(spec, levels, k, &keep, open, &mut w)?;
        w.flush().map_err(|e| io_err(out, e))?;
        if !quiet {
            eprintln!(
                "generalised table: {rows} rows written to {} ({suppressed} in classes below {k} suppressed)",
                out.display()
            );
        }
        Ok(())
    }
}
