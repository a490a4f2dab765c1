//! The CLI's outputs and second reads: report files, the train/test overlap, reweighing
//! weights, the file's SHA-256, the progress bar and the timestamp.

use super::{execute, io_err, Common};
use privaudit::error::{Error, Result};
use privaudit::report::Report;
use privaudit::spec::{RawSpec, ValidSpec};
use sha2::Digest;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;

/// `audit --test`: reads the test file with the training file's columns and attaches the
/// overlap the core computes from both dataset states.
pub(crate) fn attach_test(
    c: &Common,
    raw: &RawSpec,
    spec: &ValidSpec,
    train: Option<(privaudit::quality::dataset::DatasetAcc, u64)>,
    r: &mut Report,
    test: Option<&Path>,
) -> Result<()> {
    let Some(test) = test else { return Ok(()) };
    let no_dataset = || Error::spec("--test", "the train/test overlap needs the dataset checks (dataset.enabled)");
    let (train, _) = train.ok_or_else(no_dataset)?;
    let mut test_raw = raw.clone();
    test_raw.columns = spec.resolved.columns.clone();
    test_raw.drift = false;
    let (test_spec, test_plan, _) = execute(c, test, &test_raw, false)?;
    let (test_acc, test_rows) = test_plan.dataset_side().ok_or_else(no_dataset)?;
    let name = test.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    privaudit::quality::dataset::attach_overlap(r, (spec, &train), (&test_spec, &test_acc), test_rows, &name)
}

/// `audit --reweigh-out`: per-row reweighing weights from the report's counts of the
/// breakdown over all protected attributes, in a second read of the file.
pub(crate) fn reweigh(c: &Common, spec: &Arc<ValidSpec>, r: &Report, out: &Path) -> Result<()> {
    use privaudit::engine::reweigh::{write_row_weights, RowWeigher};
    let weigher = RowWeigher::for_report(spec, r, "--reweigh-out")?;
    let input = std::fs::File::open(&c.data).map_err(|e| io_err(&c.data, e))?;
    let file = std::fs::File::create(out).map_err(|e| io_err(out, e))?;
    let mut w = std::io::BufWriter::new(file);
    let (rows, weighted) = write_row_weights(spec, &weigher, input, &mut w)?;
    w.flush().map_err(|e| io_err(out, e))?;
    if c.json.as_deref() != Some("-") {
        eprintln!(
            "reweighing weights: {rows} rows written to {} ({weighted} weighted, {} left out of the audit)",
            out.display(),
            rows - weighted
        );
    }
    Ok(())
}

pub(crate) fn write_outputs(r: &Report, c: &Common, junit: Option<&Path>) -> Result<()> {
    match c.json.as_deref() {
        Some("-") => println!("{}", r.to_json()),
        Some(p) => std::fs::write(p, r.to_json()).map_err(|e| io_err(p, e))?,
        None => {}
    }
    if let Some(p) = &c.html {
        std::fs::write(p, r.to_html()).map_err(|e| io_err(p, e))?;
    }
    if let Some(p) = junit {
        std::fs::write(p, r.to_junit()).map_err(|e| io_err(p, e))?;
    }
    if let Some(dir) = &c.csv {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        for name in privaudit::report::tables::TABLES {
            if name == "bias_groups" && r.bias.is_none() {
                continue;
            }
            let path = dir.join(format!("{name}.csv"));
            std::fs::write(&path, r.to_csv(name)?).map_err(|e| io_err(&path, e))?;
        }
    }
    if c.json.as_deref() != Some("-") {
        for line in privaudit::report::lines::console_summary(r) {
            eprintln!("{line}");
        }
    }
    Ok(())
}

pub(crate) fn sha256_file(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

pub(crate) fn progress_bar(size: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || size < (32 << 20) {
        return None;
    }
    let b = indicatif::ProgressBar::new(size);
    b.set_style(
        indicatif::ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(b)
}

pub(crate) fn now_iso() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
    let (y, m, d) = privaudit::ingest::value::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s / 60 % 60, s % 60)
}
