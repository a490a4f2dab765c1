//! The `privaudit` command line: a thin front end over the library. It parses arguments,
//! reads files (in parallel byte ranges), and writes reports; every number comes from the
//! library. Exit codes: 0 passed, 1 a gate check failed (`audit`) or a DP summary is
//! inconsistent (`verify`), 2 usage or input error.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod bench;
mod dp;
mod output;
mod privacy;
mod read;

pub(crate) use output::sha256_file;
use output::{attach_test, now_iso, progress_bar, reweigh, write_outputs};
pub(crate) use read::{io_err, preview, read_spec};

use clap::{Parser, Subcommand};
use privaudit::engine::{drive, split};
use privaudit::error::{Error, Result};
use privaudit::report::{InputMeta, Report};
use privaudit::spec::{RawSpec, ValidSpec};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "privaudit", version, about = "Audit a sensitive table on your own machine: data quality, bias, and a differentially private summary to share.", after_help = after_help())]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn after_help() -> String {
    format!(
        "Exit codes: 0 passed, 1 a gate check failed (audit) or a DP summary is inconsistent (verify), 2 usage or input error.\n\nChecks (configure under [checks.<id>] in the spec):\n{}",
        privaudit::quality::checks::help_text()
    )
}

#[derive(clap::Args)]
struct Common {
    /// The file to read: CSV/TSV, JSON Lines, either gzip-compressed, or a workbook
    /// (xlsx, xlsm, xls, ods) — detected from the content, not the name.
    data: PathBuf,
    /// Workbooks: the sheet to read, by name or 1-based position (default: the first
    /// visible sheet with cells).
    #[arg(long, value_name = "NAME|INDEX")]
    sheet: Option<String>,
    /// Audit spec (TOML). Unset settings are detected from the file.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Write the report as JSON to PATH (`-` for standard output).
    #[arg(long, value_name = "PATH")]
    json: Option<String>,
    /// Write the report as a self-contained HTML file.
    #[arg(long, value_name = "PATH")]
    html: Option<PathBuf>,
    /// Write the report's tables as formula-safe CSV files into this directory:
    /// columns.csv, checks.csv and, with a bias audit, bias_groups.csv.
    #[arg(long, value_name = "DIR")]
    csv: Option<PathBuf>,
    /// Parallel readers (default: available cores, at most 8).
    #[arg(long)]
    workers: Option<usize>,
    /// Skip the SHA-256 of the input.
    #[arg(long)]
    no_hash: bool,
    /// Bias audit: protected attributes (comma-separated column names).
    #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
    protected: Vec<String>,
    /// Bias audit: the outcome (label) column. Optional: without it the audit is
    /// selection-only (selection rates, impact ratios, four-fifths, differences).
    #[arg(long, value_name = "COLUMN")]
    label: Option<String>,
    /// Bias audit: the label value of the positive class (with --label).
    #[arg(long, value_name = "VALUE")]
    positive: Option<String>,
    /// Bias audit: the model's decision column.
    #[arg(long, value_name = "COLUMN")]
    prediction: Option<String>,
    /// Bias audit: the decision value of the positive class.
    #[arg(long, value_name = "VALUE")]
    positive_prediction: Option<String>,
    /// Bias audit: a score column, positive when score >= --threshold.
    #[arg(long, value_name = "COLUMN")]
    score: Option<String>,
    /// Bias audit: the score threshold.
    #[arg(long, value_name = "NUMBER")]
    threshold: Option<f64>,
    /// Bias audit: the positive class is the unfavourable outcome (e.g. "reoffends").
    #[arg(long)]
    positive_is_unfavourable: bool,
    /// Bias audit: a numeric column of row weights; adds a weighted audit (Σw rates) next
    /// to the row-count one (default: the column with role `weight`).
    #[arg(long, value_name = "COLUMN")]
    weight: Option<String>,
    #[command(flatten)]
    privacy: privacy::PrivacyArgs,
}

impl Common {
    /// Puts the input and bias flags into the spec (flags win).
    fn apply_flags(&self, raw: &mut RawSpec) {
        if self.sheet.is_some() {
            raw.input.sheet = self.sheet.clone();
        }
        let any = !self.protected.is_empty()
            || self.label.is_some()
            || self.positive.is_some()
            || self.prediction.is_some()
            || self.score.is_some()
            || self.weight.is_some();
        if !any {
            return;
        }
        let b = raw.bias.get_or_insert_with(Default::default);
        if !self.protected.is_empty() {
            b.protected = self.protected.clone();
        }
        let set = |slot: &mut Option<String>, v: &Option<String>| {
            if v.is_some() {
                *slot = v.clone();
            }
        };
        set(&mut b.label, &self.label);
        set(&mut b.positive_label, &self.positive);
        set(&mut b.prediction, &self.prediction);
        set(&mut b.positive_prediction, &self.positive_prediction);
        set(&mut b.weight, &self.weight);
        set(&mut b.score, &self.score);
        if self.threshold.is_some() {
            b.threshold = self.threshold;
        }
        if self.positive_is_unfavourable {
            b.positive_is_favourable = Some(false);
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Profile a file: report only, exit 0 unless the input is unusable.
    Profile(Common),
    /// Audit a file against the spec's gates: exit 1 when a fail-severity check fails.
    Audit {
        #[command(flatten)]
        common: Common,
        /// Write the checks as JUnit XML.
        #[arg(long, value_name = "PATH")]
        junit: Option<PathBuf>,
        /// Drift: compare DATA (the current file) with this reference file, read first with
        /// the same spec (Evidently's default tests, PSI; gate `dataset_drift`).
        #[arg(long, value_name = "PATH")]
        reference: Option<PathBuf>,
        /// Bias audit: write Kamiran–Calders reweighing weights per row (CSV `row,weight`,
        /// from a second read of the file; groups of all protected attributes together).
        #[arg(long, value_name = "PATH")]
        reweigh_out: Option<PathBuf>,
        /// Train/test overlap: DATA is the training file; count the rows of this test file
        /// that are also in DATA, and label conflicts across the two (read with DATA's
        /// column types and roles; gate `train_test_overlap`).
        #[arg(long, value_name = "PATH")]
        test: Option<PathBuf>,
        #[command(flatten)]
        outputs: Box<privacy::PrivacyOutputs>,
    },
    /// Release a differentially private summary of the spec's [dp] queries (JSON, HTML),
    /// safe to share: it holds no exact statistic of the file.
    Dp {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        ledger: dp::LedgerArgs,
    },
    /// Show a DP ledger (every data file's releases and budget); with --data, one file's
    /// budget, and with --budget-cap, set its cap.
    Ledger(dp::LedgerCommand),
    /// Check a DP summary you received (privaudit.dp-summary/1) for internal consistency:
    /// scales, accuracies, intervals, budget composition, integrality, schema. Exit 0
    /// consistent, 1 inconsistent (each failing claim is named with the expected value),
    /// 2 unreadable.
    Verify {
        /// The summary's JSON file (`-` for standard input).
        summary: PathBuf,
        /// Also write the verdict as JSON to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH")]
        json: Option<String>,
    },
    /// Print the resolved spec (TOML) for a file: detected dialect, columns, types.
    Spec {
        /// The CSV file.
        data: PathBuf,
        /// Start from this spec.
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Benchmark baseline: parse the file with csv-core only (no typing, no analyses) on
    /// N threads, and print bytes, records and MB/s. With --decode: the engine's decoding
    /// and cell typing with no analyses, over the ranges `profile` would read.
    #[command(hide = true)]
    BenchParse {
        /// The CSV file.
        data: PathBuf,
        /// Threads.
        #[arg(long, default_value_t = 1)]
        workers: usize,
        /// Decode and type every cell like a profile run, with no analyses (the spec is
        /// detected from the file like `profile` does).
        #[arg(long)]
        decode: bool,
    },
    /// Write the built-in synthetic sample dataset (loan applications) as CSV.
    Sample {
        /// Output path (`-` for standard output).
        #[arg(short, long, default_value = "-")]
        output: String,
        /// Rows.
        #[arg(long, default_value_t = privaudit::sample::SAMPLE_ROWS)]
        rows: usize,
        /// Write the 15-column benchmark table of about this many bytes instead.
        #[arg(long, value_name = "BYTES")]
        bench_bytes: Option<u64>,
        /// Also write the sample's suggested spec (column roles) as TOML to PATH.
        #[arg(long, value_name = "PATH")]
        spec_out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("privaudit: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Profile(c) => {
            report(&c, None, None, None)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { common, junit, reference, reweigh_out, test, outputs } => {
            let (r, spec) = report(&common, junit.as_deref(), reference.as_deref(), test.as_deref())?;
            if let Some(p) = reweigh_out {
                reweigh(&common, &spec, &r, &p)?;
            }
            outputs.write(&common.data, &spec, &r, common.json.as_deref() == Some("-"))?;
            Ok(if r.passed { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Dp { common, ledger } => {
            dp::dp_summary(&common, &ledger)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Ledger(a) => {
            dp::ledger_command(&a)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { summary, json } => dp::verify(&summary, json.as_deref()),
        Command::Spec { data, spec } => {
            let raw = read_spec(spec.as_deref())?;
            let preview = preview(&data, &raw)?;
            for n in &preview.notices {
                eprintln!("note: {n}");
            }
            print!("{}", preview.spec.to_toml()?);
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchParse { data, workers, decode } => {
            bench::bench_parse(&data, workers.max(1), decode)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sample { output, rows, bench_bytes, spec_out } => {
            if let Some(p) = spec_out {
                std::fs::write(&p, privaudit::sample::sample_spec().to_toml()?).map_err(|e| io_err(&p, e))?;
            }
            let mut out: Box<dyn Write> = if output == "-" {
                Box::new(std::io::stdout().lock())
            } else {
                Box::new(std::fs::File::create(&output).map_err(|e| io_err(&output, e))?)
            };
            let mut out = std::io::BufWriter::new(&mut out);
            match bench_bytes {
                Some(b) => {
                    privaudit::sample::bench_table(&mut out, b, privaudit::sample::SAMPLE_SEED)?;
                }
                None => out.write_all(&privaudit::sample::loan_applications(rows, privaudit::sample::SAMPLE_SEED))?,
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads the file with the spec (every pass), returning the validated spec, the plan of
/// the finished run, and the input metadata. `hash`: also compute the SHA-256.
pub(crate) fn execute(
    c: &Common,
    data: &Path,
    raw: &RawSpec,
    hash: bool,
) -> Result<(Arc<ValidSpec>, privaudit::engine::plan::Plan, InputMeta)> {
    let started = std::time::Instant::now();
    let started_at = now_iso();
    let preview = preview(data, raw)?;
    let spec = Arc::new(ValidSpec::try_from_resolved(&preview.spec)?);
    let size = std::fs::metadata(data).map_err(|e| io_err(data, e))?.len();
    let workers = c.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(8)));
    let plans = split::plan_for(&preview, size, workers);
    let done = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    let bar = progress_bar(size);
    let (state, sha) = std::thread::scope(|s| {
        let hasher = hash.then(|| s.spawn(|| sha256_file(data)));
        let state = drive::run_passes(&spec, plans, |p, pass| {
            let mut f = std::fs::File::open(data).map_err(|e| io_err(data, e))?;
            let pass_no = pass.map_or(1, |x| u64::from(x.pass));
            let progress = |n: u64| {
                let d = done.fetch_add(n, Ordering::Relaxed) + n;
                if let Some(b) = &bar {
                    b.set_position(d.saturating_sub((pass_no - 1) * size).min(size));
                    b.set_message(format!("pass {pass_no}"));
                }
            };
            drive::run_range(&spec, &mut f, p, pass, drive::CHUNK_BYTES, &progress, &cancel)
        });
        let sha = hasher.map(|h| h.join().unwrap_or_else(|_| Err(Error::state("hashing thread panicked")))).transpose();
        (state, sha)
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let meta = InputMeta {
        file_name: data.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        file_size: size,
        sha256: sha?,
        started_at: Some(started_at),
        duration_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
        notices: preview.notices.clone(),
        bom: preview.encoding.bom,
        line_ending: Some(preview.dialect.line_ending),
    };
    Ok((spec, state?, meta))
}

fn report(
    c: &Common,
    junit: Option<&Path>,
    reference: Option<&Path>,
    test: Option<&Path>,
) -> Result<(Report, Arc<ValidSpec>)> {
    let mut raw = read_spec(c.spec.as_deref())?;
    c.apply_flags(&mut raw);
    c.privacy.apply(&mut raw);
    let Some(reference) = reference else {
        let (spec, plan, meta) = execute(c, &c.data, &raw, !c.no_hash)?;
        let train = plan.dataset_side();
        let mut r = plan.finish(&spec, meta);
        attach_test(c, &raw, &spec, train, &mut r, test)?;
        write_outputs(&r, c, junit)?;
        return Ok((r, spec));
    };
    // Drift: the reference first; the current file is then read with the reference's
    // column types and roles, so that both sides are comparable column by column.
    raw.drift = true;
    let (ref_spec, ref_plan, _) = execute(c, reference, &raw, false)?;
    let ref_side =
        ref_plan.drift_side(&ref_spec).ok_or_else(|| Error::state("the reference run kept no drift data"))?;
    let mut cur_raw = raw.clone();
    cur_raw.columns = ref_spec.resolved.columns.clone();
    let (spec, plan, meta) = execute(c, &c.data, &cur_raw, !c.no_hash)?;
    let cur_side = plan.drift_side(&spec).ok_or_else(|| Error::state("the current run kept no drift data"))?;
    let train = plan.dataset_side();
    let mut r = plan.finish(&spec, meta);
    privaudit::report::drift::attach(&mut r, privaudit::drift::compare(&ref_side, &cur_side));
    attach_test(c, &cur_raw, &spec, train, &mut r, test)?;
    write_outputs(&r, c, junit)?;
    Ok((r, spec))
}
