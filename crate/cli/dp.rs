//! `privaudit dp` (release a DP summary) and `privaudit verify` (check one): file handling
//! and messages only; the release, the ledger and the checks are the library's.

use crate::{execute, io_err, read_spec, Common};
use privaudit::error::{Error, Result};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

/// `privaudit dp`: the DP summary of the spec's `[dp]` section.
pub(crate) fn dp_summary(c: &Common) -> Result<()> {
    let path = c.spec.as_deref().ok_or_else(|| Error::spec("--spec", "give a spec with a [dp] section"))?;
    let mut raw = read_spec(Some(path))?;
    c.apply_bias_flags(&mut raw);
    raw.mode = privaudit::spec::Mode::Dp;
    let include_sha = raw.dp.as_ref().and_then(|d| d.include_sha256).unwrap_or(false);
    let (spec, plan, meta) = execute(c, &c.data, &raw, include_sha && !c.no_hash)?;
    let release_meta = privaudit::dp::ReleaseMeta { sha256: meta.sha256, created_at: meta.started_at };
    let summary = plan.release(&spec, &release_meta)?;
    match c.json.as_deref() {
        Some("-") => println!("{}", summary.to_json()),
        Some(p) => std::fs::write(p, summary.to_json()).map_err(|e| io_err(p, e))?,
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
    }
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
