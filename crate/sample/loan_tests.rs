//! Tests of [`loan_applications`]: pinned bytes, structure and the injected effects.

use super::loan::RACES;
use super::tests::*;
use super::*;
use std::collections::{HashMap, HashSet};

#[test]
fn loan_is_deterministic_and_pinned() {
    let a = loan_applications(2_000, SAMPLE_SEED);
    let b = loan_applications(2_000, SAMPLE_SEED);
    assert_eq!(a, b);
    assert_ne!(a, loan_applications(2_000, SAMPLE_SEED + 1));
    // A prefix property: more rows extend the same table.
    let c = loan_applications(2_500, SAMPLE_SEED);
    assert!(c.starts_with(&a));
    assert_eq!(fnv1a64(&a), PINNED_FNV, "sample data changed: {:#018x}", fnv1a64(&a));
}

/// FNV-1a 64 of `loan_applications(2_000, SAMPLE_SEED)`. Changing the
/// generator changes the web app's sample: update deliberately.
const PINNED_FNV: u64 = 0x08ba_319a_c5a4_322b;

#[test]
fn loan_small_sizes() {
    let header = loan_applications(0, 1);
    assert_eq!(parse_csv(&header).len(), 1);
    let one = parse_csv(&loan_applications(1, 1));
    assert_eq!(one.len(), 2);
    assert_eq!(one[1][0].0, "A0000001");
}

#[test]
fn loan_structure() {
    let data = loan_applications(20_000, 7);
    let recs = parse_csv(&data);
    assert_eq!(recs.len(), 20_001);
    let header: Vec<&str> = recs[0].iter().map(|f| f.0.as_str()).collect();
    assert_eq!(header, LOAN_COLUMNS);
    let mut quoted_notes = 0;
    let mut escaped_quotes = 0;
    let mut empty_notes = 0;
    for r in &recs[1..] {
        assert_eq!(r.len(), 16, "{r:?}");
        for (text, quoted) in r {
            assert_eq!(*quoted, needs_quotes(text), "quoting of {text:?}");
        }
        let f = |i: usize| r[i].0.as_str();
        assert!(f(0).starts_with('A') && f(0).len() == 8);
        let date = f(1);
        assert!(date.len() == 10 && ("2024-01-01"..="2025-12-31").contains(&date));
        assert!(["", "Female", "Male", "Non-binary"].contains(&f(2)));
        assert!(f(3) == "NA" || RACES.iter().any(|r| r.0 == f(3)));
        if !f(4).is_empty() {
            let age: u64 = f(4).parse().unwrap();
            assert!((18..=85).contains(&age));
        }
        if !f(5).is_empty() {
            let inc: f64 = f(5).parse().unwrap();
            assert!((5_000.0..=2_000_000.0).contains(&inc));
            assert_eq!(f(5).split('.').nth(1).map(str::len), Some(2));
        }
        assert!(f(6).len() == 5 && f(6).bytes().all(|b| b.is_ascii_digit()));
        let emp: f64 = f(7).parse().unwrap();
        assert!((0.0..=45.0).contains(&emp));
        let loan: u64 = f(8).parse().unwrap();
        assert!(loan >= 1_000);
        let _dti: f64 = f(9).parse().unwrap();
        let _hist: u64 = f(10).parse().unwrap();
        let score: f64 = f(11).parse().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert_eq!(f(12), if score >= 0.5 { "approved" } else { "denied" });
        assert!(f(13) == "0" || f(13) == "1");
        let _coll: f64 = f(14).parse().unwrap();
        if r[15].1 {
            quoted_notes += 1;
        }
        if f(15).contains('"') {
            escaped_quotes += 1;
        }
        if f(15).is_empty() {
            empty_notes += 1;
        }
    }
    assert!(quoted_notes > 1_000 && escaped_quotes > 100 && empty_notes > 1_000);
}

#[test]
fn loan_injected_effects() {
    let data = loan_applications(SAMPLE_ROWS, SAMPLE_SEED);
    let recs = parse_csv(&data);
    assert_eq!(recs.len(), SAMPLE_ROWS + 1);
    let rows: Vec<Vec<&str>> = recs[1..].iter().map(|r| r.iter().map(|f| f.0.as_str()).collect()).collect();

    // Exact duplicates (all columns), and ids unique otherwise.
    let mut seen = HashSet::new();
    let mut ids = HashSet::new();
    let mut dups = 0;
    for r in &rows {
        if !seen.insert(r.clone()) {
            dups += 1;
        } else {
            assert!(ids.insert(r[0]), "id reused by a non-duplicate row");
        }
    }
    let dup_rate = rate(dups, rows.len());

    // Per-race stats (by recorded race; NA excluded).
    #[derive(Default)]
    struct G {
        n: usize,
        approved: usize,
        income_missing: usize,
        repaid: usize,
        tp: usize,
        defaulted: usize,
        fp: usize,
    }
    let mut groups: HashMap<&str, G> = HashMap::new();
    let mut sex_groups: HashMap<&str, G> = HashMap::new();
    let mut leak_correct = 0;
    let mut max_dti = 0.0f64;
    let mut leading_zero_zips = 0;
    for r in &rows {
        let approved = r[12] == "approved";
        let repaid = r[13] == "1";
        for (map, key) in [(&mut groups, r[3]), (&mut sex_groups, r[2])] {
            let g = map.entry(key).or_default();
            g.n += 1;
            g.approved += usize::from(approved);
            g.income_missing += usize::from(r[5].is_empty());
            if repaid {
                g.repaid += 1;
                g.tp += usize::from(approved);
            } else {
                g.defaulted += 1;
                g.fp += usize::from(approved);
            }
        }
        let coll: f64 = r[14].parse().unwrap();
        if (coll == 0.0) == repaid {
            leak_correct += 1;
        }
        max_dti = max_dti.max(r[9].parse().unwrap());
        if r[6].starts_with('0') {
            leading_zero_zips += 1;
        }
    }
    let white = &groups["White"];
    let black = &groups["Black"];
    let hisp = &groups["Hispanic"];
    let approval_ratio = rate(black.approved, black.n) / rate(white.approved, white.n);
    let (mut other_missing, mut other_n) = (0, 0);
    for (k, g) in &groups {
        if *k != "Hispanic" && *k != "NA" {
            other_missing += g.income_missing;
            other_n += g.n;
        }
    }
    let miss_h = rate(hisp.income_missing, hisp.n);
    let miss_o = rate(other_missing, other_n);
    let leak_acc = rate(leak_correct, rows.len());
    let tpr = |g: &G| rate(g.tp, g.repaid);
    let fpr = |g: &G| rate(g.fp, g.defaulted);
    let female = &sex_groups["Female"];
    let male = &sex_groups["Male"];
    eprintln!(
        "dup {dup_rate:.4}; approval W {:.4} B {:.4} ratio {approval_ratio:.3}; \
         F {:.4} M {:.4} ratio {:.3}; income missing H {miss_h:.4} others {miss_o:.4}; \
         TPR W {:.3} B {:.3}; FPR W {:.3} B {:.3}; repaid W {:.3} B {:.3}; \
         leak acc {leak_acc:.4}; max dti {max_dti}; zips with leading 0: {leading_zero_zips}",
        rate(white.approved, white.n),
        rate(black.approved, black.n),
        rate(female.approved, female.n),
        rate(male.approved, male.n),
        rate(female.approved, female.n) / rate(male.approved, male.n),
        tpr(white),
        tpr(black),
        fpr(white),
        fpr(black),
        rate(white.repaid, white.n),
        rate(black.repaid, black.n),
    );
    assert!((0.005..=0.015).contains(&dup_rate), "dup rate {dup_rate}");
    assert!(approval_ratio < 0.8, "approval ratio {approval_ratio}");
    assert!(miss_h >= 3.0 * miss_o, "income missing {miss_h} vs {miss_o}");
    assert!(leak_acc >= 0.98, "leak accuracy {leak_acc}");
    assert!(max_dti > 40.0, "max dti {max_dti}");
    assert!(leading_zero_zips > 1_000);
    assert!(tpr(white) - tpr(black) > 0.1, "TPR gap too small");
    // Outcome itself is not (much) race dependent: the gap is the model's.
    assert!((rate(white.repaid, white.n) - rate(black.repaid, black.n)).abs() < 0.03);
}

#[test]
fn zip_is_a_race_proxy() {
    let data = loan_applications(SAMPLE_ROWS, SAMPLE_SEED);
    let recs = parse_csv(&data);
    let mut by_zip: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for r in &recs[1..] {
        if r[3].0 != "NA" {
            *by_zip.entry(r[6].0.clone()).or_default().entry(r[3].0.clone()).or_default() += 1;
        }
    }
    // Share of rows whose race is their ZIP's majority race.
    let (mut majority, mut total) = (0, 0);
    for counts in by_zip.values() {
        majority += counts.values().max().copied().unwrap_or(0);
        total += counts.values().sum::<usize>();
    }
    let purity = rate(majority, total);
    eprintln!("zip purity {purity:.3}, distinct zips {}", by_zip.len());
    assert!(purity > 0.75, "zip purity {purity}");
}
