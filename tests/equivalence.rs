//! One suite, every execution strategy (STYLE §12): each fixture gives the *identical*
//! report (JSON, byte for byte) when processed
//! (a) in one pass, (b) in random-sized chunks including 1-byte chunks, (c) as k byte
//! ranges merged (with split points inside quoted multi-line fields, which forces the
//! check/re-run path), (d) as k ranges whose states are serialised, decoded and merged in
//! a shuffled order.

mod common;
use common::*;
use privaudit::spec::RawSpec;

fn assert_all_strategies(name: &str, bytes: &[u8]) {
    assert_all_strategies_with(name, bytes, &RawSpec::default())
}

fn assert_all_strategies_with(name: &str, bytes: &[u8], raw: &RawSpec) {
    let (spec, meta) = spec_for(bytes, raw);
    let reference = report(&spec, one_pass(&spec, bytes), &meta, bytes).to_json();
    let small = bytes.len() < 300_000;
    let mut runs: Vec<(String, privaudit::engine::state::RunState)> = vec![
        ("chunks≤64".into(), random_chunks(&spec, bytes, 64, 7)),
        ("chunks≤4096".into(), random_chunks(&spec, bytes, 4096, 11)),
    ];
    if small {
        runs.push(("1-byte chunks".into(), random_chunks(&spec, bytes, 1, 3)));
    }
    for k in [2u64, 3, 5, 8] {
        runs.push((format!("{k} ranges"), ranges(&spec, bytes, k, if small { 7 } else { 1 << 14 })));
        runs.push((format!("{k} ranges serialised+shuffled"), serialised_shuffled(&spec, bytes, k, k * 13)));
    }
    for (label, st) in runs {
        let got = report(&spec, st, &meta, bytes).to_json();
        assert!(got == reference, "{name}: strategy `{label}` differs from one pass");
    }
}

/// Quoted fields with delimiters, escaped quotes and newlines (LF and CRLF) in every row,
/// so that split points regularly fall inside a quoted field.
fn multiline_fixture() -> Vec<u8> {
    let mut s = String::from("id,note,amount,when,flag\r\n");
    let mut rng = Lcg(42);
    for i in 0..3000 {
        let lines = rng.below(4);
        let mut note = String::new();
        for l in 0..=lines {
            note.push_str(&format!("line {l}, \"q\" {}", rng.below(1000)));
            if l < lines {
                note.push_str(if l % 2 == 0 { "\n" } else { "\r\n" });
            }
        }
        let amount = match rng.below(20) {
            0 => "NA".to_string(),
            1 => "-0".to_string(),
            2 => "1e308".to_string(),
            _ => format!("{}.{}", rng.below(100_000), rng.below(100)),
        };
        let flag = if rng.below(2) == 0 { "yes" } else { "no" };
        s.push_str(&format!(
            "{i},\"{}\",{amount},2024-{:02}-{:02},{flag}\r\n",
            note.replace('"', "\"\""),
            1 + rng.below(12),
            1 + rng.below(28)
        ));
        if i % 500 == 250 {
            s.push_str("\r\n\n"); // blank lines are not rows
        }
    }
    s.into_bytes()
}

#[test]
fn multiline_quoted_fields() {
    assert_all_strategies("multiline", &multiline_fixture());
}

#[test]
fn sample_loan_applications() {
    assert_all_strategies("sample", &privaudit::sample::loan_applications(5_000, privaudit::sample::SAMPLE_SEED));
}

#[test]
fn sample_with_bias_and_scores() {
    // The sample spec audits `decision` with `model_score` as the score: confusion counts
    // and every score statistic must not depend on the split.
    let bytes = privaudit::sample::loan_applications(5_000, privaudit::sample::SAMPLE_SEED);
    assert_all_strategies_with("sample+bias", &bytes, &privaudit::sample::sample_spec());
}

#[test]
fn synthetic_scores_with_missing_values() {
    let raw = RawSpec::from_json(
        r#"{"bias": {"protected": ["group", "sex"], "label": "label", "positive_label": "1", "score": "score", "threshold": 0.5, "score_direction": ">"}}"#,
    )
    .expect("spec");
    assert_all_strategies_with("scores", include_bytes!("data/reference/scores_synthetic.csv"), &raw);
}

#[test]
fn weighted_bias_audit() {
    // Exact Σw / Σw² per group (float weights, weight 0, missing and invalid weights).
    let raw = RawSpec::from_json(
        r#"{"bias": {"protected": ["group", "sex"], "label": "label", "positive_label": "1", "prediction": "decision", "positive_prediction": "1", "weight": "weight"}}"#,
    )
    .expect("spec");
    assert_all_strategies_with("weights", include_bytes!("data/reference/weights_synthetic.csv"), &raw);
}

#[test]
fn proxies_on_the_synthetic_table() {
    // Contingency counts pooled past 50 levels and exact per-group moments for η.
    let raw = RawSpec::from_json(
        r#"{"bias": {"protected": ["group"], "prediction": "decision", "positive_prediction": "approve"}}"#,
    )
    .expect("spec");
    assert_all_strategies_with("proxies", include_bytes!("data/reference/proxy_synthetic.csv"), &raw);
}

#[test]
fn compas_bias_audit_with_proxies() {
    let Some(p) = shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(p).expect("read compas");
    let raw = RawSpec::from_json(
        r#"{"bias": {"protected": ["race", "sex"], "label": "two_year_recid", "positive_label": "1", "score": "decile_score", "threshold": 5}}"#,
    )
    .expect("spec");
    assert_all_strategies_with("compas+bias", &bytes, &raw);
}

#[test]
fn correlations_groups_and_representativeness_on_the_sample() {
    // Spearman on a bottom-k sample (300 of 5,000 rows), Pearson/V/η from exact sums and
    // counts, missing counts per protected group, reference shares: none may depend on the split.
    let bytes = privaudit::sample::loan_applications(5_000, privaudit::sample::SAMPLE_SEED);
    let mut raw = privaudit::sample::sample_spec();
    raw.correlations.enabled = Some(true);
    raw.correlations.spearman_rows = 300;
    raw.representativeness.insert("sex".into(), [("Female".to_string(), 0.5), ("Male".to_string(), 0.45)].into());
    let (spec, _) = spec_for(&bytes, &raw);
    assert!(spec.correlations.is_some() && !spec.group_attributes().is_empty());
    assert_all_strategies_with("sample+correlations", &bytes, &raw);
}

#[test]
fn compas_correlations_and_groups() {
    let Some(p) = shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(p).expect("read compas");
    let raw = RawSpec::from_json(
        r#"{"correlations": {"enabled": true, "spearman_rows": 1000},
            "columns": [{"name": "race", "role": "protected"}, {"name": "sex", "role": "protected"}],
            "representativeness": {"race": {"African-American": 0.13, "Caucasian": 0.6}}}"#,
    )
    .expect("spec");
    assert_all_strategies_with("compas+correlations", &bytes, &raw);
}

#[test]
fn ragged_and_latin1_rows() {
    let mut b = b"name,score,city\n".to_vec();
    for i in 0..2000 {
        match i % 97 {
            0 => b.extend_from_slice(b"short row\n"),
            1 => b.extend_from_slice(b"a,1,b,extra,fields\n"),
            2 => b.extend_from_slice(b"Jos\xe9,12,M\xfcnchen\n"),
            3 => b.extend_from_slice(b"x,12;5,y\n"),
            _ => b.extend_from_slice(format!("n{i},{}.5,c{}\n", i % 50, i % 7).as_bytes()),
        }
    }
    assert_all_strategies("ragged", &b);
}

#[test]
fn compas_real_data() {
    let Some(p) = shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(p).expect("read compas");
    // With an as_of date, so that future dates are counted too.
    let raw = RawSpec::from_json(r#"{"profile": {"as_of": "2014-01-01"}}"#).expect("spec");
    assert_all_strategies_with("compas", &bytes, &raw);
}

#[test]
fn string_and_date_checks_and_flags() {
    // Whitespace, case variants, numeric-looking codes, future and unparseable dates, an
    // identifier-like and a high-cardinality column (hidden values).
    let raw = RawSpec::from_json(
        r#"{"profile": {"as_of": "2026-12-03"}, "columns": [{"name": "visit", "type": "date"},
            {"name": "visit_time", "type": "datetime"}, {"name": "product", "type": "categorical"}]}"#,
    )
    .expect("spec");
    assert_all_strategies_with("strings", include_bytes!("data/reference/strings_synthetic.csv"), &raw);
}

#[test]
fn more_distinct_days_than_kept() {
    // 10,000 distinct days in a scrambled order: each range lets go of different days.
    let (csv, as_of, _) = many_days();
    let raw = RawSpec::from_json(&format!(r#"{{"profile": {{"as_of": "{as_of}"}}}}"#)).expect("spec");
    assert_all_strategies_with("many days", csv.as_bytes(), &raw);
}

#[test]
fn utf16_is_read_in_one_range_and_agrees() {
    let text = "name,n\nÅsa,1\nBjörn,2\n\"multi\nline\",3\n";
    let mut b = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    let (spec, meta) = spec_for(&b, &RawSpec::default());
    let reference = report(&spec, one_pass(&spec, &b), &meta, &b);
    assert_eq!(reference.input.rows, 3);
    assert_eq!(reference.columns[1].stats.numeric.as_ref().and_then(|m| m.mean), Some(2.0));
    let chunked = report(&spec, random_chunks(&spec, &b, 1, 5), &meta, &b);
    assert_eq!(chunked.to_json(), reference.to_json());
}

#[test]
fn split_points_inside_quoted_newlines_are_detected_and_rerun() {
    // With 8 ranges over the multiline fixture, some guessed starts fall inside a quoted
    // field: the check must notice and re-run them (else the test above proves little).
    let bytes = multiline_fixture();
    let (spec, _) = spec_for(&bytes, &RawSpec::default());
    let runs = std::sync::atomic::AtomicUsize::new(0);
    let never = std::sync::atomic::AtomicBool::new(false);
    let mut reruns = 0;
    for k in 2..=16u64 {
        runs.store(0, std::sync::atomic::Ordering::SeqCst);
        privaudit::engine::drive::coordinate(privaudit::engine::split::plan_n(bytes.len() as u64, k), |p| {
            runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            privaudit::engine::drive::run_range(
                &spec,
                &mut std::io::Cursor::new(&bytes[..]),
                p,
                None,
                4096,
                &|_| {},
                &never,
            )
        })
        .expect("coordinate");
        reruns += runs.load(std::sync::atomic::Ordering::SeqCst) - k as usize;
    }
    assert!(reruns > 0, "no split point fell inside a quoted field; make the fixture harder");
}

#[test]
fn dataset_checks_exact_and_past_the_cap() {
    // Duplicate rows, duplicate columns, class balance, conflicting labels and leakage; the
    // cap of 100 distinct rows is crossed inside ranges and by merges alone.
    let bytes = include_bytes!("data/reference/dataset_synthetic.csv");
    for cap in [1_000_000, 100] {
        let raw = RawSpec::from_json(&format!(
            r#"{{"columns": [{{"name": "outcome", "role": "label"}}], "dataset": {{"max_distinct_rows": {cap}}}}}"#
        ))
        .expect("spec");
        let (spec, meta) = spec_for(bytes, &raw);
        let r = report(&spec, one_pass(&spec, bytes), &meta, bytes);
        let d = r.dataset.as_ref().expect("dataset section");
        assert_eq!(d.duplicate_rows.exact, cap > 100);
        assert!(d.label.as_ref().is_some_and(|l| l.conflicting_labels.is_some() == (cap > 100)));
        // The examples (global row numbers) are part of what every strategy must reproduce.
        assert_eq!(d.duplicate_rows.examples.len(), if cap > 100 { 5 } else { 0 });
        let conflicts = d.label.as_ref().and_then(|l| l.conflicting_labels.as_ref()).map_or(0, |c| c.examples.len());
        assert_eq!(conflicts, if cap > 100 { 3 } else { 0 });
        assert_all_strategies_with(&format!("dataset (cap {cap})"), bytes, &raw);
    }
}

/// Numeric columns whose skewness, kurtosis and p01 … p99 would change with the order of
/// floating-point additions: a large offset, mixed signs, huge and tiny magnitudes, ties.
#[test]
fn numeric_shape_and_quantiles_with_extreme_magnitudes() {
    let mut s = String::from("offset,mixed,ties\n");
    let mut rng = Lcg(2026);
    for i in 0..4000u64 {
        let offset = 1e12 + rng.below(1000) as f64 / 8.0;
        let mixed = match rng.below(6) {
            0 => format!("-{}e280", 1 + rng.below(9)),
            1 => format!("{}e-290", 1 + rng.below(9)),
            2 => "0".to_string(),
            3 => format!("-{}.{}", rng.below(100), rng.below(1000)),
            _ => format!("{}", rng.below(1_000_000)),
        };
        let ties = if i % 10 == 0 { "NA".to_string() } else { (rng.below(3) * 7).to_string() };
        s.push_str(&format!("{offset},{mixed},{ties}\n"));
    }
    let raw =
        RawSpec::from_json(r#"{"profile":{"quantile_values_in_memory":100,"quantile_passes":true}}"#).expect("spec");
    assert_all_strategies_with("numeric shape", s.as_bytes(), &raw);
    // The comparison covers histograms, IQR and robust-z outlier counts (the MAD search over
    // |x − m|) and the median's occurrences from the planned passes: equal to the values in memory.
    let (spec, meta) = spec_for(s.as_bytes(), &raw);
    let r = report(&spec, one_pass(&spec, s.as_bytes()), &meta, s.as_bytes());
    let memory = RawSpec::from_json(r#"{"profile":{"quantile_passes":true}}"#).expect("spec");
    let (mspec, mmeta) = spec_for(s.as_bytes(), &memory);
    let m = report(&mspec, one_pass(&mspec, s.as_bytes()), &mmeta, s.as_bytes());
    // 4,000 values: one quantile pass and one MAD pass collect their bins at once.
    assert_eq!((m.input.passes, r.input.passes), (1, 4), "main, quantile, MAD and histogram passes");
    for (c, mc) in r.columns.iter().zip(&m.columns) {
        let h = c.stats.histogram.as_ref().unwrap_or_else(|| panic!("{}: no histogram", c.name));
        assert_eq!(h.counts.iter().sum::<u64>(), c.stats.numeric.as_ref().map_or(0, |m| m.count), "{}", c.name);
        assert!(c.stats.outliers.as_ref().is_some_and(|o| o.robust_z.is_some()), "{}", c.name);
        assert_eq!((&c.stats.outliers, &c.stats.mode), (&mc.stats.outliers, &mc.stats.mode), "{}", c.name);
    }
    assert_eq!(
        r.columns[2].stats.histogram.as_ref().map(|h| h.counts.len()),
        Some(15),
        "ties: 0, 7, 14, one bin per integer"
    );
}

/// Columns larger than a MAD collection bin (4,096 values), so that the exact MAD search
/// over |x − m| needs several planned passes: heavy ties, negative values, ±inf, MAD = 0.
#[test]
fn robust_z_from_several_mad_passes() {
    let mut s = String::from("wide,tied,flat\n");
    let mut rng = Lcg(77);
    for i in 0..12_000u64 {
        let wide = match i % 97 {
            0 => "inf".to_string(),
            1 => "-inf".to_string(),
            _ => format!("-{}.{:03}", rng.below(5000), rng.below(1000)),
        };
        let tied = rng.below(4) as i64 - 2;
        let flat = if i % 5 == 0 { rng.below(100).to_string() } else { "3".to_string() };
        s.push_str(&format!("{wide},{tied},{flat}\n"));
    }
    let raw =
        RawSpec::from_json(r#"{"profile":{"quantile_values_in_memory":100,"quantile_passes":true}}"#).expect("spec");
    assert_all_strategies_with("MAD passes", s.as_bytes(), &raw);
    let (spec, meta) = spec_for(s.as_bytes(), &raw);
    let r = report(&spec, one_pass(&spec, s.as_bytes()), &meta, s.as_bytes());
    let memory = RawSpec::from_json(r#"{"profile":{"quantile_passes":true}}"#).expect("spec");
    let (mspec, mmeta) = spec_for(s.as_bytes(), &memory);
    let m = report(&mspec, one_pass(&mspec, s.as_bytes()), &mmeta, s.as_bytes());
    eprintln!("passes: {} in memory, {} planned", m.input.passes, r.input.passes);
    assert!(r.input.passes >= 5, "{}", r.input.passes);
    for (c, mc) in r.columns.iter().zip(&m.columns) {
        assert_eq!((&c.stats.outliers, &c.stats.mode), (&mc.stats.outliers, &mc.stats.mode), "{}", c.name);
    }
    let o = |i: usize| r.columns[i].stats.outliers.clone().expect("outliers");
    assert!(o(0).robust_z.is_some() && o(1).robust_z.is_some() && o(2).robust_z.is_none());
    let flat = r.columns[2].stats.mode.as_ref().expect("mode");
    assert!(flat.count.is_some_and(|c| c > 9_600), "{flat:?}");
}

/// Stray quotes that merge lines, blank lines (LF, CRLF, CR), a quote never closed near the
/// end: the quote findings and the line account are exact whatever the split (issue 15).
#[test]
fn stray_quotes_and_the_line_account() {
    let mut s = String::from("\nid,name,n\r\n");
    let mut rng = Lcg(15);
    for i in 0..4000u64 {
        let name = match i % 611 {
            7 => "\"stray".to_string(), // opens a field that the next stray quote closes
            300 => "closes\"".to_string(),
            _ => format!("n{}", rng.below(1000)),
        };
        let end = ["\n", "\r\n", "\r"][rng.below(3) as usize];
        s.push_str(&format!("{i},{name},{}{end}", rng.below(50)));
        if i % 257 == 5 {
            s.push_str(["\n", "\r\n\r\n", "\r"][rng.below(3) as usize]); // blank lines
        }
    }
    s.push_str("4000,\"never closed,1\nlast,line,2");
    let bytes = s.as_bytes();
    assert_all_strategies("stray quotes", bytes);
    let (spec, meta) = spec_for(bytes, &RawSpec::default());
    let r = report(&spec, one_pass(&spec, bytes), &meta, bytes);
    let lines = r.input.lines.clone().expect("line account");
    // Independently: line breaks (CRLF once) plus the last line, which has none.
    let breaks =
        bytes.iter().enumerate().filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || bytes[i - 1] != b'\r')));
    assert_eq!(lines.lines, breaks.count() as u64 + 1);
    assert_eq!(lines.lines, lines.header + lines.rows + lines.in_quoted_fields + lines.blank);
    let f = |id: &str| r.findings.iter().find(|f| f.id == id).expect(id).clone();
    assert!(f("quoted_line_breaks").count >= 6, "{:?}", f("quoted_line_breaks"));
    assert_eq!((f("unterminated_quote").count, f("unterminated_quote").lines.clone()), (1, vec![2]));
}

#[test]
fn privacy_risk_on_the_sample_and_past_the_cap() {
    // Re-identification risk (issue 16): the tuple map, the sensitive-value counts, the
    // population models and every what-if must not depend on the split.
    let bytes = privaudit::sample::loan_applications(5_000, privaudit::sample::SAMPLE_SEED);
    let raw = RawSpec::from_toml(
        "[privacy]\nquasi_identifiers = [\"age\", \"sex\", \"zip_code\", \"application_date\"]\nsensitive = [\"decision\", \"income\"]\npopulation = 80000\n[[privacy.what_if]]\nage = 3\nzip_code = 3\napplication_date = 2\n",
    )
    .expect("spec");
    assert_all_strategies_with("sample+risk", &bytes, &raw);
    // Parts below the cap whose union is above it.
    let capped = RawSpec::from_toml(
        "[privacy]\nquasi_identifiers = [\"age\", \"zip_code\"]\nsensitive = [\"race\"]\nmax_classes = 3000\n",
    )
    .expect("spec");
    assert_all_strategies_with("sample+risk over the cap", &bytes, &capped);
}

#[test]
fn compas_privacy_risk() {
    let Some(p) = shared("fairness-data/compas/compas-scores-two-years.csv") else { return };
    let bytes = std::fs::read(p).expect("read compas");
    let raw = RawSpec::from_toml(
        "[privacy]\nquasi_identifiers = [\"age\", \"sex\", \"race\", \"dob\"]\nsensitive = [\"c_charge_degree\", \"priors_count\"]\npopulation = 1000000\n",
    )
    .expect("spec");
    assert_all_strategies_with("compas+risk", &bytes, &raw);
}

/// Personal-data detection: every kind, embedded identifiers in quoted multi-line free
/// text, birth dates and special-category values; the counts, verdicts and hidden values
/// must not depend on the split or the merge order.
#[test]
fn personal_data_detection() {
    let mut s = String::from("email,phone,iban,card,ssn,name,dob,race,zip,notes,version,order_no\n");
    let mut rng = Lcg(16);
    let races = ["African-American", "Caucasian", "Hispanic", "Asian", "Other", "NA"];
    for i in 0..3000u64 {
        let email = match rng.below(10) {
            0 => "NA".to_string(),
            1 => format!("user{i}@localhost"),
            _ => format!("user{i}@example.co.uk"),
        };
        let phone =
            if i % 2 == 0 { format!("+44 20 7946 {:04}", rng.below(10_000)) } else { format!("(212) 555-{:04}", i) };
        let iban = if i % 3 == 0 {
            "GB82 WEST 1234 5698 7654 32".to_string()
        } else {
            format!("GB{:02} WEST 1234 5698 7654 32", rng.below(100))
        };
        let card = 4_000_000_000_000_000 + rng.below(1_000_000_000_000);
        let ssn = format!("{:03}-{:02}-{:04}", 100 + rng.below(800), 1 + rng.below(98), 1 + rng.below(9998));
        let name = ["ann lee", "Bo Chen", "CY O'NEIL", "dee-dee ramone"][(i % 4) as usize];
        let dob = format!("{}-{:02}-{:02}", 1930 + rng.below(80), 1 + rng.below(12), 1 + rng.below(28));
        let notes = match rng.below(6) {
            0 => format!("mail x{i}@example.org\nor call +33 1 23 45 67 {:02}", rng.below(100)),
            1 => "pay to DE89 3704 0044 0532 0130 00, \"thanks\"".to_string(),
            2 => format!("card 4111 1111 1111 1111\r\nref {}", rng.below(1_000_000)),
            _ => "nothing, to add".to_string(),
        };
        s.push_str(&format!(
            "{email},{phone},{iban},{card},{ssn},{name},{dob},{},{:05},\"{}\",{}.{}.{}.{},{}\n",
            races[(i % 6) as usize],
            rng.below(100_000),
            notes.replace('"', "\"\""),
            rng.below(4),
            rng.below(10),
            rng.below(10),
            rng.below(30),
            1_000_000_000_000_000 + rng.below(1_000_000_000_000_000)
        ));
    }
    let (spec, meta) = spec_for(s.as_bytes(), &RawSpec::default());
    let r = report(&spec, one_pass(&spec, s.as_bytes()), &meta, s.as_bytes());
    let pd = r.privacy.as_ref().and_then(|p| p.personal_data.as_ref()).expect("personal data");
    let direct: Vec<&str> = pd.direct_identifiers().map(|c| c.column.as_str()).collect();
    // `iban` (a third valid, the rest failing MOD 97) and `card` (random 16-digit numbers,
    // about one in ten passing Luhn) do not hold.
    assert_eq!(direct, ["email", "phone", "ssn", "name", "notes"], "{:#?}", pd.columns);
    assert_all_strategies("personal data", s.as_bytes());
}
