//! The browser API (`privaudit::wasm`), run in headless Chromium by wasm-bindgen-test:
//! the same flow as `www/pool.js` (preview → plan → sessions over ranges → check → merge →
//! finish → render), on the same inputs as `tests/golden.rs`, must give the same report
//! JSON as the native engine, byte for byte. Errors must cross as `{kind, message, …}`.
//!
//! Run: `scripts/test` (or `WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test
//! --target wasm32-unknown-unknown --no-default-features --test wasm`).
#![cfg(target_arch = "wasm32")]

use privaudit::wasm::{check_states, plan_ranges, preview, render_html, sample_csv, Session, Sha256};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn field(v: &serde_json::Value, k: &str) -> serde_json::Value {
    v.get(k).cloned().unwrap_or(serde_json::Value::Null)
}

/// The pool's protocol, with `chunk`-byte feeds and `workers` ranges.
/// Feeds a session its range in `chunk`-byte pieces, as the worker does; returns its state.
fn feed_range(s: &mut Session, bytes: &[u8], start: usize, chunk: usize) -> Vec<u8> {
    let mut i = start;
    let mut done = false;
    while i < bytes.len() && !done {
        let j = (i + chunk).min(bytes.len());
        done = s.feed(&bytes[i..j]).unwrap();
        i = j;
    }
    if !done {
        s.finish_input().unwrap();
    }
    s.state().unwrap()
}

fn browser_flow(name: &str, bytes: &[u8], workers: u32, chunk: usize) -> String {
    browser_flow_with(name, bytes, "{}", workers, chunk)
}

/// The pool's protocol, with `chunk`-byte feeds and `workers` ranges, from `start_spec`.
fn browser_flow_with(name: &str, bytes: &[u8], start_spec: &str, workers: u32, chunk: usize) -> String {
    let sample = &bytes[..bytes.len().min(1 << 20)];
    let p: serde_json::Value =
        serde_json::from_str(&preview(sample, name, bytes.len() as f64, start_spec).unwrap()).unwrap();
    let spec = field(&p, "spec").to_string();
    let size = bytes.len() as f64;
    let mut plans: Vec<serde_json::Value> = serde_json::from_str(&plan_ranges(&spec, size, workers).unwrap()).unwrap();
    let mut states: Vec<Vec<u8>> = Vec::new();
    loop {
        for plan in plans.drain(..) {
            let start = plan["start"].as_f64().unwrap();
            let mut s =
                Session::new(&spec, start, plan["end"].as_f64().unwrap(), plan["exact_start"].as_bool().unwrap())
                    .unwrap();
            states.push(feed_range(&mut s, bytes, start as usize, chunk));
        }
        let arr = js_sys::Array::new();
        for st in &states {
            arr.push(&js_sys::Uint8Array::from(&st[..]));
        }
        let c: serde_json::Value = serde_json::from_str(&check_states(&spec, arr, size).unwrap()).unwrap();
        let keep: Vec<usize> = c["keep"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        states = keep.into_iter().map(|k| std::mem::take(&mut states[k])).collect();
        plans = c["redo"].as_array().unwrap().clone();
        if c["ok"].as_bool().unwrap() {
            break;
        }
    }
    let mut merged = Session::from_state(&spec, &states[states.len() - 1]).unwrap();
    for st in &states[..states.len() - 1] {
        merged.merge(st).unwrap();
    }
    // Planned passes (exact quantiles of large columns), over exact ranges.
    let mut next: serde_json::Value = serde_json::from_str(&merged.plan().unwrap()).unwrap();
    while let Some(pass) = next["pass"].as_str().map(str::to_string) {
        let arr = js_sys::Array::new();
        for r in next["ranges"].as_array().unwrap() {
            let start = r["start"].as_f64().unwrap();
            let mut s = Session::for_pass(&spec, start, r["end"].as_f64().unwrap(), &pass).unwrap();
            arr.push(&js_sys::Uint8Array::from(&feed_range(&mut s, bytes, start as usize, chunk)[..]));
        }
        next = serde_json::from_str(&merged.absorb(arr).unwrap()).unwrap();
    }
    let meta = serde_json::json!({
        "file_name": name,
        "file_size": bytes.len(),
        "notices": field(&p, "notices"),
        "bom": p["encoding"]["bom"],
        "line_ending": p["dialect"]["line_ending"],
    });
    let report: serde_json::Value = serde_json::from_str(&merged.finish(&meta.to_string()).unwrap()).unwrap();
    serde_json::to_string_pretty(&report).unwrap()
}

fn golden_equal(name: &str, got: &str, want: &str) {
    // Compare as JSON values: key order of the pretty printer is the same, but be robust.
    let g: serde_json::Value = serde_json::from_str(got).unwrap();
    let w: serde_json::Value = serde_json::from_str(want).unwrap();
    assert!(g == w, "{name}: the browser API differs from the native golden report");
}

#[wasm_bindgen_test]
fn sample_matches_native_golden() {
    let bytes = privaudit::sample::loan_applications(3000, privaudit::sample::SAMPLE_SEED);
    let want = include_str!("data/golden/sample3000.report.json");
    for (workers, chunk) in [(1, 1 << 20), (3, 4096), (4, 777)] {
        golden_equal("sample3000", &browser_flow("sample3000", &bytes, workers, chunk), want);
    }
}

#[wasm_bindgen_test]
fn planned_passes_match_native_golden() {
    // A memory budget of 100 values per column: the exact quantile search plans further
    // passes (natively and here), and must land on the same numbers.
    let bytes = privaudit::sample::loan_applications(3000, privaudit::sample::SAMPLE_SEED);
    let want = include_str!("data/golden/sample3000_budget100.report.json");
    let spec = r#"{"profile":{"quantile_values_in_memory":100,"quantile_passes":true}}"#;
    golden_equal("budget100", &browser_flow_with("sample3000", &bytes, spec, 2, 4096), want);
}

#[wasm_bindgen_test]
fn frequent_values_pass_matches_native_golden() {
    // A text column over 10,000 distinct values: the main pass's Misra–Gries summaries
    // (one per worker, merged) name the candidates, a planned pass counts them exactly.
    let mut bytes = Vec::new();
    privaudit::sample::bench_table(&mut bytes, 3_000_000, 7).expect("generate");
    let want = include_str!("data/golden/bench3M_passes.report.json");
    let spec = r#"{"profile":{"quantile_passes":true,"show_sensitive_values":true}}"#;
    golden_equal("bench3M_passes", &browser_flow_with("bench3M", &bytes, spec, 2, 65_536), want);
}

#[wasm_bindgen_test]
fn messy_matches_native_golden() {
    let bytes = include_bytes!("data/golden/messy_mixed.csv");
    let want = include_str!("data/golden/messy_mixed.report.json");
    golden_equal("messy_mixed", &browser_flow("messy_mixed", bytes, 1, 1), want);
}

#[wasm_bindgen_test]
fn builtin_sample_is_the_documented_dataset() {
    let b = sample_csv();
    assert_eq!(b, privaudit::sample::loan_applications(privaudit::sample::SAMPLE_ROWS, privaudit::sample::SAMPLE_SEED));
    assert_eq!(b.iter().filter(|&&c| c == b'\n').count() >= privaudit::sample::SAMPLE_ROWS, true);
}

#[wasm_bindgen_test]
fn errors_cross_as_plain_objects() {
    let e: JsValue = preview(b"", "empty.csv", 0.0, "{}").unwrap_err();
    let kind = js_sys::Reflect::get(&e, &JsValue::from_str("kind")).unwrap().as_string().unwrap();
    let msg = js_sys::Reflect::get(&e, &JsValue::from_str("message")).unwrap().as_string().unwrap();
    assert_eq!(kind, "empty_input");
    assert!(msg.contains("the file is empty"));
    let e = Session::new("{\"input\":{}}", 0.0, 10.0, true).err().unwrap();
    let kind = js_sys::Reflect::get(&e, &JsValue::from_str("kind")).unwrap().as_string().unwrap();
    assert_eq!(kind, "spec");
}

#[wasm_bindgen_test]
fn xss_header_is_escaped_in_html() {
    let csv = b"<img src=x onerror=alert(1)>,b\n<script>alert(2)</script>,1\n";
    let html = render_html(&browser_flow("x.csv", csv, 1, 3)).unwrap();
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img") && !html.contains("<script"));
}

#[wasm_bindgen_test]
fn sha256_matches_known_vector() {
    let mut h = Sha256::new();
    h.update(b"ab");
    h.update(b"c");
    assert_eq!(h.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[wasm_bindgen_test]
fn dp_entropy_comes_from_the_browser_csprng() {
    // getrandom's wasm_js backend: crypto.getRandomValues. Two draws of 32 bytes differ.
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    privaudit::dp::rng::fill_bytes(&mut a).unwrap();
    privaudit::dp::rng::fill_bytes(&mut b).unwrap();
    assert_ne!(a, b);
    assert!(a.iter().any(|&x| x != 0));
}
