//! The crate's layers (issue 14): every `crate::<module>` path in a source file under
//! `crate/` (outside comments and test code) names a top-level module listed *below* the
//! file's own module in [`LAYERS`], so no import circle can form between top-level modules;
//! and no source file (the crate, `parquet/src`, the page's `www/*.js`) is longer than
//! [`MAX_LINES`] lines. A new forbidden import, or a file
//! grown past the limit, fails this test.
//!
//! [`DEBT`] lists the imports that still go upwards, each with why; an entry that no longer
//! occurs fails the test too, so the list only shrinks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level modules from the bottom up: a module may use the modules of earlier layers
/// (and its own), never a later one. Modules in one layer do not use each other.
const LAYERS: &[&[&str]] = &[
    // Leaves: the version string, portable transcendental math, test helpers.
    &["version", "math", "testing"],
    // The crate's error type (and the DP error it wraps).
    &["error"],
    // Mergeable sketches over values (no batches, no engine), exact quantile ranks.
    &["sketch"],
    // Shared statistics every analysis may use: special functions, intervals, tests,
    // measures of association, exact rationals.
    &["stats"],
    // Decoding CSV into typed, dictionary-coded batches.
    &["ingest"],
    // The audit specification and its validation.
    &["spec"],
    // The contract every analysis implements; the deterministic sample generator.
    &["accumulator", "sample"],
    // The analyses.
    &["fairness"],
    &["dp"],
    &["quality"],
    &["drift", "privacy"],
    // The registry of analyses, runs, states and plans.
    &["engine"],
    // The report: model, finishing, renderings.
    &["report"],
    // What the page shows before a run: the decoder, detection and the report's numbers
    // over the file's first MiB.
    &["preview"],
    // The browser binding.
    &["wasm"],
];

/// Imports that still go upwards: (importing module, imported module, why). The test
/// fails on any other upward import and on an entry that no longer occurs.
const DEBT: &[(&str, &str, &str)] = &[
    (
        "engine",
        "report",
        "a finished plan builds its report (Plan::finish calls report::build, which finishes the \
         engine's analyses from a RunState) and reweighing reads the report's counts: a circle until \
         building the report moves above both",
    ),
    (
        "ingest",
        "spec",
        "the decoder types cells by the validated spec's columns and the sniffer writes a raw spec, \
         while the spec names ingest's column types and dialect: a circle until those types move \
         below both",
    ),
    (
        "privacy",
        "report",
        "personal-data verdicts are written into the report model and hide its values (report::model, \
         report::fmt)",
    ),
    (
        "quality",
        "report",
        "the dataset section, the train/test overlap and the disparity gates write report fields and \
         format numbers with report::fmt",
    ),
    ("spec", "fairness", "[bias] options are fairness::disparity::DisparityOptions"),
    ("spec", "quality", "[checks] are validated against the check registry in quality"),
    (
        "spec",
        "privacy",
        "[privacy] quasi-identifiers, ladders and what-ifs are validated into privacy::risk's RiskSpec, \
         and its gate ids come from privacy::risk::gates",
    ),
    (
        "ingest",
        "quality",
        "the sniffer picks the preview's example values per column while it reads the sample, hiding \
         them by quality's identifier and personal-data rules (quality::flags, quality::personal)",
    ),
];

/// Longest source file, in lines.
const MAX_LINES: usize = 400;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("crate")
}

/// The file's top-level module (`crate/dp/collect.rs` → `dp`, `crate/error.rs` → `error`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(root()).expect("under crate/");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().into_owned();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    name == "tests" || name == "test" || name.ends_with("_tests") || name == "testing"
}

/// `(line number, module)` for every `crate::<module>` outside comments, up to the file's
/// inline test module.
fn uses(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") && lines.get(i + 1).is_some_and(|n| n.trim_start().starts_with("mod ")) {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        let code = t.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let before = rest[..at].chars().last();
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
                out.push((i + 1, name.clone()));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_top_level_module_is_in_a_layer() {
    let mut dirs = BTreeSet::new();
    for entry in std::fs::read_dir(root()).expect("read crate/") {
        let p = entry.expect("entry").path();
        let name = p.file_stem().expect("name").to_string_lossy().into_owned();
        if name != "lib" && name != "cli" && (p.is_dir() || p.extension().is_some_and(|e| e == "rs")) {
            dirs.insert(name);
        }
    }
    let missing: Vec<&String> = dirs.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(missing.is_empty(), "top-level modules in no layer of tests/layers.rs: {missing:?}");
    let lib = std::fs::read_to_string(root().join("lib.rs")).expect("lib.rs");
    for m in &dirs {
        // Modules compiled only for a target or for tests (`wasm`, `testing`) cannot be
        // linked from the docs: their plain name will do.
        let gated = m == "wasm" || m == "testing";
        let named = lib.contains(&format!("[`{m}`]")) || (gated && lib.contains(&format!("`{m}`")));
        assert!(named, "crate/lib.rs's map does not name `{m}`");
    }
}

#[test]
fn imports_go_down_the_layers() {
    let mut files = Vec::new();
    sources(&root(), &mut files);
    let mut bad = Vec::new();
    let mut used_debt = BTreeSet::new();
    for f in &files {
        let m = module_of(f);
        if m == "lib" || m == "cli" || is_test_file(f) {
            continue;
        }
        let Some(own) = layer_of(&m) else { continue };
        let text = std::fs::read_to_string(f).expect("read source");
        for (line, target) in uses(&text) {
            let Some(layer) = layer_of(&target) else { continue }; // `crate::audit_bytes`, …
            if target == m || layer < own {
                continue;
            }
            if let Some(d) = DEBT.iter().find(|d| d.0 == m && d.1 == target) {
                used_debt.insert(*d);
                continue;
            }
            bad.push(format!(
                "{}:{line}: `{m}` uses `crate::{target}`",
                f.strip_prefix(root()).expect("under").display()
            ));
        }
    }
    assert!(bad.is_empty(), "imports against the layer order of tests/layers.rs:\n{}", bad.join("\n"));
    let stale: Vec<_> = DEBT.iter().filter(|d| !used_debt.contains(d)).collect();
    assert!(stale.is_empty(), "DEBT entries that no longer occur (remove them): {stale:?}");
}

#[test]
fn a_forbidden_import_is_found() {
    // The scanner itself: an upward path in code is seen, one in a comment or in the
    // inline test module is not.
    let text = "use crate::report::fmt;\n// crate::engine\nfn f() { crate::dp::x(); } // crate::wasm\n\
                #[cfg(test)]\nmod tests {\n    use crate::engine::run;\n}\n";
    let found: Vec<String> = uses(text).into_iter().map(|(l, m)| format!("{l}:{m}")).collect();
    assert_eq!(found, ["1:report", "3:dp"]);
    assert!(layer_of("report") > layer_of("quality"), "quality may not use report");
}

#[test]
fn no_source_file_is_over_the_limit() {
    // The crate, the Parquet reader's crate and the page's scripts.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root(), &mut files);
    sources(&manifest.join("parquet/src"), &mut files);
    let mut www: Vec<PathBuf> = std::fs::read_dir(manifest.join("www"))
        .expect("read www/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    www.sort();
    assert!(www.len() > 10, "the page's scripts were not found: {www:?}");
    files.extend(www);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).expect("read source").lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.strip_prefix(manifest).expect("under").display()))
        })
        .collect();
    assert!(long.is_empty(), "source files over {MAX_LINES} lines (split them): {long:?}");
}
