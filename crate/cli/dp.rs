//! `privaudit dp` (release a DP summary, with the ledger), `privaudit ledger` (show it, set a
//! file's cap) and `privaudit verify` (check a summary): file handling and messages only;
//! the release, the ledger's arithmetic and the checks are the library's.

use crate::{execute, io_err, read_spec, Common};
use privaudit::dp::budget::BudgetLedger;
use privaudit::error::{Error, Result};
use privaudit::spec::DpMeasure;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `privaudit dp`'s ledger options.
#[derive(clap::Args)]
pub(crate) struct LedgerArgs {
    /// The DP ledger (privaudit.dp-ledger/1 JSON, created if missing): before noise is
    /// drawn the release is checked against this file's cap (refused with the numbers if
    /// over), then recorded. The page exports and imports the same file, so every release
    /// of the same data is counted wherever it was made. The data file is identified by
    /// its SHA-256 only.
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,
    /// Set this data file's total budget in the ledger (ε for measure pure, ρ for zcdp).
    #[arg(long, value_name = "AMOUNT", requires = "ledger")]
    pub budget_cap: Option<f64>,
    /// Also store the data file's name beside its SHA-256 in the ledger (off: the hash only).
    #[arg(long, requires = "ledger")]
    pub ledger_file_name: bool,
}

/// `privaudit ledger`: shows a ledger; with --data and --budget-cap, sets a file's cap.
#[derive(clap::Args)]
pub(crate) struct LedgerCommand {
    /// The DP ledger (privaudit.dp-ledger/1 JSON).
    ledger: PathBuf,
    /// A data file: show (or cap) only its budget, found by its SHA-256.
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,
    /// Set the data file's total budget (with --data; created if missing).
    #[arg(long, value_name = "AMOUNT", requires = "data")]
    budget_cap: Option<f64>,
    /// The cap is a ρ (zCDP) budget, not ε.
    #[arg(long, requires = "budget_cap")]
    rho: bool,
}

fn read_ledger(path: &Path) -> Result<BudgetLedger> {
    match std::fs::read_to_string(path) {
        Ok(text) => BudgetLedger::from_json(&text)
            .map_err(|e| Error::kind_only(privaudit::error::ErrorKind::Io(format!("{}: {e}", path.display())))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BudgetLedger::default()),
        Err(e) => Err(io_err(path, e)),
    }
}

/// Writes the ledger next to its place and renames it over (never a half-written ledger).
fn write_ledger(path: &Path, ledger: &BudgetLedger) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, ledger.to_json()).map_err(|e| io_err(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_err(path, e))
}

fn cap(what: &str, x: f64) -> Result<privaudit::dp::Rational> {
    privaudit::spec::decimal_rational(what, x)
}

/// `privaudit dp`: the DP summary of the spec's `[dp]` section; with `--ledger`, checked
/// against and recorded in the ledger.
pub(crate) fn dp_summary(c: &Common, l: &LedgerArgs) -> Result<()> {
    let path = c.spec.as_deref().ok_or_else(|| Error::spec("--spec", "give a spec with a [dp] section"))?;
    if l.ledger.is_some() && c.no_hash {
        return Err(Error::spec("--no-hash", "the ledger identifies the data file by its SHA-256; drop --no-hash"));
    }
    let mut ledger = l.ledger.as_deref().map(read_ledger).transpose()?;
    let mut raw = read_spec(Some(path))?;
    c.apply_flags(&mut raw);
    raw.mode = privaudit::spec::Mode::Dp;
    let include_sha = raw.dp.as_ref().and_then(|d| d.include_sha256).unwrap_or(false);
    let (spec, plan, meta) = execute(c, &c.data, &raw, (include_sha || ledger.is_some()) && !c.no_hash)?;
    // The ledger's check comes before any noise is drawn.
    if let (Some(ledger), Some(sha), Some(dp)) = (ledger.as_mut(), meta.sha256.as_deref(), spec.dp.as_ref()) {
        let public = privaudit::dp::query::plan(dp, &spec.columns)?;
        if let Some(x) = l.budget_cap {
            ledger.set_cap(sha, dp.measure, Some(cap("--budget-cap", x)?))?;
        }
        let (fits, sentence) = privaudit::report::ledger::release_sentence(ledger, sha, &public.total, public.delta);
        if !fits {
            return Err(Error::kind_only(privaudit::error::ErrorKind::Io(format!(
                "{}. Nothing was released; the ledger is unchanged.",
                sentence.trim_end_matches('.')
            ))));
        }
    }
    let release_meta = privaudit::dp::ReleaseMeta { sha256: meta.sha256.clone(), created_at: meta.started_at };
    let summary = plan.release(&spec, &release_meta)?;
    let json = summary.to_json();
    if let (Some(ledger), Some(sha), Some(file)) = (ledger.as_mut(), meta.sha256.as_deref(), l.ledger.as_deref()) {
        let name = l.ledger_file_name.then_some(meta.file_name.as_str());
        ledger.record(sha, name, &summary, &json)?;
        write_ledger(file, ledger)?;
        let status = ledger.status(sha, summary.privacy.measure);
        eprintln!("ledger {}: this file: {}", file.display(), privaudit::report::ledger::status_sentence(&status));
    }
    match c.json.as_deref() {
        Some("-") => println!("{json}"),
        Some(p) => std::fs::write(p, &json).map_err(|e| io_err(p, e))?,
        None => {}
    }
    if let Some(p) = &c.html {
        std::fs::write(p, privaudit::report::html_dp::render(&summary)).map_err(|e| io_err(p, e))?;
    }
    if c.json.is_none() && c.html.is_none() {
        eprintln!("privaudit: nothing written; add --json PATH (or -) and/or --html PATH");
    }
    if c.json.as_deref() != Some("-") {
        let delta = summary.privacy.delta;
        let delta = if delta == 0.0 { "0".to_string() } else { format!("{delta:.3e}") };
        eprintln!(
            "DP summary: {} releases; guarantee ε = {}, δ = {delta}",
            summary.releases.len(),
            summary.privacy.epsilon
        );
        for w in &summary.warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(())
}

/// `privaudit ledger`.
pub(crate) fn ledger_command(a: &LedgerCommand) -> Result<()> {
    let mut ledger = read_ledger(&a.ledger)?;
    let Some(data) = &a.data else {
        print!("{}", privaudit::report::ledger::ledger_text(&ledger));
        return Ok(());
    };
    let sha = crate::sha256_file(data)?;
    let measure = if a.rho { DpMeasure::Zcdp } else { DpMeasure::Pure };
    if let Some(x) = a.budget_cap {
        ledger.set_cap(&sha, measure, Some(cap("--budget-cap", x)?))?;
        write_ledger(&a.ledger, &ledger)?;
    }
    let status = ledger.status(&sha, ledger.dataset(&sha).map_or(measure, |d| d.measure));
    println!("{} (SHA-256 {sha}): {}", data.display(), privaudit::report::ledger::status_sentence(&status));
    Ok(())
}

/// `privaudit verify`: 0 consistent, 1 inconsistent, 2 unreadable (an `Err`).
pub(crate) fn verify(path: &Path, json: Option<&str>) -> Result<ExitCode> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| io_err(path, e))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| io_err(path, e))?
    };
    let unreadable = |e: privaudit::dp::verify::Unreadable| {
        Error::kind_only(privaudit::error::ErrorKind::Io(format!("{}: {e}", path.display())))
    };
    let verdict = privaudit::dp::verify::verify(&text).map_err(unreadable)?;
    if let Some(out) = json {
        let text = serde_json::to_string_pretty(&verdict).map_err(|e| Error::state(e.to_string()))?;
        if out == "-" {
            println!("{text}");
        } else {
            std::fs::write(out, text).map_err(|e| io_err(out, e))?;
        }
    }
    if json != Some("-") {
        print!("{}", privaudit::report::html_verify::verdict_text(&verdict, &path.display().to_string()));
    }
    Ok(if verdict.consistent { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
