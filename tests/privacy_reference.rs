//! Re-identification measures against pycanon 1.3.6 and the formulas of
//! `shared/PRIVACY_RISK.md`, on COMPAS and a synthetic people table
//! (`tests/data/reference/risk.json`, made by `scripts/reference/risk.py`).
//!
//! Compared: k, classes and the largest class, distinct l and t-closeness (both distances)
//! with pycanon; entropy l with pycanon as `floor` (pycanon floors it) and with the formula
//! as a real number; recursive (c, l = 2), the class-size histogram, sample uniques, rows
//! below 5 and 10, ARX's average risk (classes / rows — pycanon's `average_rir` averages
//! over classes, a different number), records at risk, α-distinction and separation with
//! the formulas.

mod common;
use privaudit::report::InputMeta;
use privaudit::spec::RawSpec;
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/reference/risk.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!("{path} is missing; run scripts/reference/risk.py (see its header for the pinned environment)")
    });
    serde_json::from_str(&text).expect("risk.json")
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{what}: privaudit {a}, reference {b}");
}

#[test]
fn measures_match_pycanon_and_the_formulas() {
    let doc = fixture();
    let people = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/reference/risk_people.csv"))
        .expect("people csv");
    let compas =
        common::shared("fairness-data/compas/compas-scores-two-years.csv").map(|p| std::fs::read(p).expect("compas"));
    let mut checked = 0;
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let bytes = if name.starts_with("compas") {
            match &compas {
                Some(b) => b,
                None => continue,
            }
        } else {
            &people
        };
        let spec = RawSpec::from_toml(case["spec"].as_str().expect("spec")).expect("spec toml");
        let report = privaudit::audit_bytes(&spec, bytes, InputMeta::default(), 3).expect("audit");
        let risk = report.privacy.as_ref().and_then(|p| p.risk.as_ref()).expect("risk section");
        let (py, fx) = (&case["pycanon"], &case["formulas"]);
        let u = |v: &Value| v.as_u64().expect("integer");
        let f = |v: &Value| v.as_f64().expect("number");
        if let Some(levels) = case.get("what_if") {
            // pycanon ran on the table generalised by hand; privaudit regroups its counts.
            let want: Vec<u32> =
                levels.as_array().expect("levels").iter().map(|l| l.as_u64().expect("level") as u32).collect();
            let w = risk.what_ifs.iter().find(|w| w.levels == want).expect("the what-if");
            assert_eq!((w.k, w.classes), (u(&py["k"]), u(&py["n_ec"])), "{name}");
            assert_eq!(w.sample_uniques.rows, u(&fx["sample_uniques"]), "{name}");
            assert_eq!(w.records_at_risk.rows, u(&fx["records_at_risk"]), "{name}");
            close(w.average_risk, f(&fx["average_risk_arx"]), name);
            for s in &w.sensitive {
                let (p, x) = (&py["sensitive"][&s.column], &fx["sensitive"][&s.column]);
                assert_eq!(s.distinct_l, u(&p["l_diversity"]), "{name} {}", s.column);
                close(s.entropy_l, f(&x["entropy_l"]), &format!("{name} {} entropy l", s.column));
                close(s.t.expect("t"), f(&p["t_closeness"]), &format!("{name} {} t", s.column));
            }
            checked += 1;
            continue;
        }
        let c = risk.classes.as_ref().expect("classes");
        assert_eq!((c.k, c.classes, c.largest), (u(&py["k"]), u(&py["n_ec"]), u(&py["max_ec"])), "{name}");
        assert_eq!(u(&py["min_ec"]), c.k);
        assert_eq!(
            (c.sample_uniques.rows, c.below_5.rows, c.below_10.rows),
            (u(&fx["sample_uniques"]), u(&fx["below_5"]), u(&fx["below_10"])),
            "{name}"
        );
        // The histogram buckets hold exactly the classes of the sizes in their range.
        let hist: Vec<(u64, u64)> =
            fx["histogram"].as_object().expect("hist").iter().map(|(j, n)| (j.parse().expect("size"), u(n))).collect();
        for b in &c.histogram {
            let inside = hist.iter().filter(|(j, _)| *j >= b.min_size && b.max_size.is_none_or(|m| *j <= m));
            let (classes, rows) = inside.fold((0, 0), |(cl, r), (j, n)| (cl + n, r + j * n));
            assert_eq!((b.classes, b.rows), (classes, rows), "{name} bucket {}", b.min_size);
        }
        assert_eq!(c.histogram.iter().map(|b| b.classes).sum::<u64>(), c.classes);
        close(c.distinction, f(&fx["distinction"]), name);
        close(c.separation.expect("separation"), f(&fx["separation"]), name);
        let p = risk.prosecutor.as_ref().expect("prosecutor");
        close(p.highest, f(&py["max_rir"]), name);
        close(p.average, f(&fx["average_risk_arx"]), name);
        assert_eq!(p.records_at_risk.rows, u(&fx["records_at_risk"]), "{name}");
        if c.classes > 1 && c.k != c.largest {
            assert!(
                (p.average - f(&py["average_rir_over_classes"])).abs() > 1e-9,
                "{name}: pycanon's class mean differs from ARX's row mean"
            );
        }
        for s in &risk.sensitive_measures {
            let (pc, x) = (&py["sensitive"][&s.column], &fx["sensitive"][&s.column]);
            let d = s.measures.as_ref().expect("measures");
            assert_eq!(d.distinct_l, u(&pc["l_diversity"]), "{name} {}", s.column);
            // pycanon floors exp(H); at a whole number (two values half and half: exp(ln 2))
            // the last bit decides between l and l − 1 on either side.
            let (e, floored) = (d.entropy_l, u(&pc["entropy_l_floored"]) as f64);
            let at_whole = (e - e.round()).abs() < 1e-9 && floored == e.round() - 1.0;
            assert!(e.floor() == floored || at_whole, "{name} {}: entropy l {e}, pycanon {floored}", s.column);
            close(d.entropy_l, f(&x["entropy_l"]), &format!("{name} {} entropy l", s.column));
            match x["recursive_c"].as_f64() {
                Some(cs) => close(d.recursive_c.expect("c*"), cs, &format!("{name} {} c*", s.column)),
                None => assert_eq!(d.recursive_c, None, "{name} {}", s.column),
            }
            assert_eq!(d.distance, x["distance"].as_str().expect("distance"), "{name} {}", s.column);
            close(d.t.expect("t"), f(&pc["t_closeness"]), &format!("{name} {} t vs pycanon", s.column));
            close(d.t.expect("t"), f(&x["t"]), &format!("{name} {} t vs formula", s.column));
        }
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} cases ran");
}
