//! Merge laws for every accumulator (STYLE §13), as property tests:
//! identity (merge with empty changes nothing), commutativity, associativity, and
//! update(a ++ b) == merge(update(a), update(b)). Exact accumulators must satisfy them
//! exactly; the comparison is on the finished (frozen) results and on the accumulators.

use privaudit::accumulator::Accumulator;
use privaudit::fairness::proxy::{ProxyAcc, ProxyValue};
use privaudit::fairness::proxy_stats::associations;
use privaudit::fairness::scores::ScoresAcc;
use privaudit::ingest::batch::Batch;
use privaudit::ingest::findings::{Loc, Sampled};
use privaudit::privacy::risk::RiskAcc;
use privaudit::quality::profile::ProfileAcc;
use privaudit::sketch::distinct::{hash_i64, DistinctAcc};
use privaudit::sketch::quantile::{Probe, RadixAcc};
use privaudit::sketch::top_k::TopValuesAcc;
use privaudit::spec::{resolve, RawSpec, ValidSpec};
use privaudit::spec::{ProxyKind, ProxySpec};
use proptest::prelude::*;

fn spec() -> ValidSpec {
    let head = b"n,x,cat,flag,day\n1,1.5,a,yes,2024-01-01\n";
    ValidSpec::try_from_resolved(&resolve(&RawSpec::default(), head, true).expect("preview").spec).expect("spec")
}

fn cell() -> impl Strategy<Value = [String; 5]> {
    (
        prop_oneof![Just("NA".to_string()), any::<i32>().prop_map(|v| v.to_string()), Just("x".to_string())],
        prop_oneof![
            Just("".to_string()),
            (-1e6f64..1e6).prop_map(|v| v.to_string()),
            Just("inf".to_string()),
            Just("-0".to_string()),
            Just("1e308".to_string())
        ],
        prop_oneof![
            Just("a".to_string()),
            Just("b".to_string()),
            "[a-e]{1,3}".prop_map(|s| s),
            Just("null".to_string())
        ],
        prop_oneof![Just("yes".to_string()), Just("no".to_string()), Just("?".to_string())],
        prop_oneof![Just("2024-02-29".to_string()), Just("1999-12-31".to_string()), Just("2024-13-01".to_string())],
    )
        .prop_map(|(a, b, c, d, e)| [a, b, c, d, e])
}

fn acc(spec: &ValidSpec, rows: &[[String; 5]]) -> ProfileAcc {
    let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let mut p = ProfileAcc::new(spec);
    p.update(&Batch::from_rows(spec, &slices));
    p
}

fn merged(mut a: ProfileAcc, b: ProfileAcc) -> ProfileAcc {
    a.merge(b).expect("merge");
    a
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn profile_merge_laws(a in prop::collection::vec(cell(), 0..40), b in prop::collection::vec(cell(), 0..40), c in prop::collection::vec(cell(), 0..40)) {
        let s = spec();
        let (pa, pb, pc) = (acc(&s, &a), acc(&s, &b), acc(&s, &c));
        // identity
        prop_assert_eq!(merged(pa.clone(), ProfileAcc::new(&s)).finish(), pa.clone().finish());
        prop_assert_eq!(merged(ProfileAcc::new(&s), pa.clone()).finish(), pa.clone().finish());
        // commutativity
        prop_assert_eq!(merged(pa.clone(), pb.clone()).finish(), merged(pb.clone(), pa.clone()).finish());
        // associativity
        prop_assert_eq!(
            merged(merged(pa.clone(), pb.clone()), pc.clone()).finish(),
            merged(pa.clone(), merged(pb.clone(), pc.clone())).finish()
        );
        // concatenation
        let ab: Vec<_> = a.iter().chain(&b).cloned().collect();
        prop_assert_eq!(acc(&s, &ab).finish(), merged(pa, pb).finish());
    }

    #[test]
    fn distinct_merge_laws(a in prop::collection::vec(0i64..30_000, 0..12_000), b in prop::collection::vec(0i64..30_000, 0..12_000)) {
        let build = |v: &[i64]| { let mut d = DistinctAcc::default(); v.iter().for_each(|&x| d.insert(hash_i64(x))); d };
        let (da, db) = (build(&a), build(&b));
        let mut ab = da.clone(); ab.merge(db.clone());
        let mut ba = db.clone(); ba.merge(da.clone());
        prop_assert_eq!(&ab, &ba);
        let all: Vec<i64> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(&build(&all), &ab);
        let mut id = da.clone(); id.merge(DistinctAcc::default());
        prop_assert_eq!(id, da);
    }

    #[test]
    fn top_values_merge_laws(a in prop::collection::vec("[a-d]{1,2}", 0..200), b in prop::collection::vec("[a-d]{1,2}", 0..200)) {
        let build = |v: &[String]| { let mut t = TopValuesAcc::default(); v.iter().for_each(|x| t.add(x)); t };
        let (ta, tb) = (build(&a), build(&b));
        let mut ab = ta.clone(); ab.merge(tb.clone());
        let mut ba = tb.clone(); ba.merge(ta.clone());
        prop_assert_eq!(&ab, &ba);
        let all: Vec<String> = a.iter().chain(&b).cloned().collect();
        prop_assert_eq!(build(&all).top(5), ab.top(5));
    }

    #[test]
    fn quantile_tally_merge_laws(a in prop::collection::vec(-1e6f64..1e6, 0..300), b in prop::collection::vec(-1e6f64..1e6, 0..300), cap in 1u64..500) {
        // A first-pass probe (histogram + keys up to `cap`) and a refinement probe.
        let probes = vec![
            Probe { column: 0, len: 0, prefix: 0, collect: true, cap, sketch: true },
            Probe { column: 0, len: 12, prefix: 0x810, collect: false, cap: 0, sketch: false },
        ];
        let build = |v: &[f64]| { let mut r = RadixAcc::new(probes.clone()); v.iter().for_each(|&x| r.add(0, x)); r };
        let norm = |r: RadixAcc| {
            r.finish().into_iter().map(|(p, mut t)| { if let Some(k) = t.keys.as_mut() { k.sort_unstable(); } (p, t) }).collect::<Vec<_>>()
        };
        let (ra, rb) = (build(&a), build(&b));
        let mut ab = ra.clone(); ab.merge(rb.clone()).expect("merge");
        let mut ba = rb.clone(); ba.merge(ra.clone()).expect("merge");
        prop_assert_eq!(norm(ab.clone()), norm(ba));
        let all: Vec<f64> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(norm(build(&all)), norm(ab));
        let mut id = ra.clone(); id.merge(RadixAcc::new(probes.clone())).expect("merge");
        prop_assert_eq!(norm(id), norm(ra));
    }

    #[test]
    fn score_merge_laws(
        a in prop::collection::vec((prop_oneof![(-2.0f64..2.0), Just(0.0), Just(-0.0), Just(0.5)], 0usize..4, prop::option::of(any::<bool>())), 0..120),
        b in prop::collection::vec((-2.0f64..2.0, 0usize..4, prop::option::of(any::<bool>())), 0..120),
        c in prop::collection::vec((0.0f64..1.0, 0usize..4, prop::option::of(any::<bool>())), 0..120),
        cap in prop_oneof![Just(usize::MAX), 1usize..200],
    ) {
        // A small cap makes some states binned: the level must still depend only on the union.
        let build = |v: &[(f64, usize, Option<bool>)]| {
            let mut s = ScoresAcc::with_cap(2, cap);
            for &(x, g, y) in v {
                let group = if g == 3 { None } else { Some(format!("g{g}")) };
                s.add_group(0, std::slice::from_ref(&group), x, y);
                s.add_group(1, &[group, Some((g % 2).to_string())], x, y);
                s.add_overall(x, y);
            }
            s
        };
        let merged = |mut x: ScoresAcc, y: ScoresAcc| { x.merge(y); x };
        let (sa, sb, sc) = (build(&a), build(&b), build(&c));
        let empty = ScoresAcc::with_cap(2, cap);
        prop_assert_eq!(merged(sa.clone(), empty.clone()).finish(), sa.finish());
        prop_assert_eq!(merged(empty, sa.clone()).finish(), sa.finish());
        prop_assert_eq!(merged(sa.clone(), sb.clone()).finish(), merged(sb.clone(), sa.clone()).finish());
        prop_assert_eq!(
            merged(merged(sa.clone(), sb.clone()), sc.clone()).finish(),
            merged(sa.clone(), merged(sb.clone(), sc.clone())).finish()
        );
        let ab: Vec<_> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(build(&ab).finish(), merged(sa, sb).finish());
    }

    #[test]
    fn proxy_merge_laws(
        a in prop::collection::vec((prop::option::of(0usize..3), prop::option::of(0usize..60), prop::option::of(-1e6f64..1e6)), 0..150),
        b in prop::collection::vec((prop::option::of(0usize..3), prop::option::of(0usize..60), prop::option::of(prop_oneof![-1e6f64..1e6, Just(f64::INFINITY)])), 0..150),
        c in prop::collection::vec((prop::option::of(0usize..3), prop::option::of(0usize..60), prop::option::of(0.0f64..1.0)), 0..150),
    ) {
        // Two pairs: a categorical column with up to 60 levels (pooled past 50) and a numeric one.
        let spec = ProxySpec {
            threshold: 0.3,
            columns: vec![(1, ProxyKind::Categorical), (2, ProxyKind::Numeric)],
            skipped: Vec::new(),
        };
        type Row = (Option<usize>, Option<usize>, Option<f64>);
        let build = |v: &[Row]| {
            let mut s = ProxyAcc::new(&[vec![0]], &spec);
            for &(g, l, x) in v {
                let g = g.map(|g| format!("g{g}"));
                s.add(0, g.as_deref(), l.map_or(ProxyValue::Missing, |l| ProxyValue::Level(format!("v{l:02}"))));
                s.add(1, g.as_deref(), x.map_or(ProxyValue::Missing, ProxyValue::Number));
            }
            s
        };
        let name = |i: usize| format!("c{i}");
        let fin = |s: &ProxyAcc| serde_json::to_string(&associations(s, &name, 0.3)).unwrap();
        let merged = |mut x: ProxyAcc, y: ProxyAcc| { x.merge(y); x };
        let (sa, sb, sc) = (build(&a), build(&b), build(&c));
        let empty = ProxyAcc::new(&[vec![0]], &spec);
        prop_assert_eq!(fin(&merged(sa.clone(), empty.clone())), fin(&sa));
        prop_assert_eq!(fin(&merged(empty, sa.clone())), fin(&sa));
        prop_assert_eq!(fin(&merged(sa.clone(), sb.clone())), fin(&merged(sb.clone(), sa.clone())));
        prop_assert_eq!(
            fin(&merged(merged(sa.clone(), sb.clone()), sc.clone())),
            fin(&merged(sa.clone(), merged(sb.clone(), sc.clone())))
        );
        let ab: Vec<Row> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(fin(&build(&ab)), fin(&merged(sa, sb)));
    }

    #[test]
    fn risk_merge_laws(a in prop::collection::vec(cell(), 0..40), b in prop::collection::vec(cell(), 0..40), c in prop::collection::vec(cell(), 0..40), cap in 1u64..40) {
        // Quasi-identifiers cat, flag; sensitive n, day; a cap small enough to be crossed.
        let mut raw = RawSpec::default();
        raw.privacy.quasi_identifiers = vec!["cat".into(), "flag".into()];
        raw.privacy.sensitive = vec!["n".into(), "day".into()];
        raw.privacy.max_classes = Some(cap);
        let head = b"n,x,cat,flag,day\n1,1.5,a,yes,2024-01-01\n";
        let s = ValidSpec::try_from_resolved(&resolve(&raw, head, true).expect("preview").spec).expect("spec");
        let r = s.risk.clone().expect("risk spec");
        let build = |rows: &[[String; 5]]| {
            let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let mut acc = RiskAcc::new(&r);
            acc.update(&Batch::from_rows(&s, &slices));
            acc
        };
        let merged = |mut x: RiskAcc, y: RiskAcc| { x.merge(y).expect("merge"); x };
        let (ra, rb, rc) = (build(&a), build(&b), build(&c));
        let empty = RiskAcc::new(&r);
        prop_assert_eq!(merged(ra.clone(), empty.clone()).finish(), ra.clone().finish());
        prop_assert_eq!(merged(empty, ra.clone()).finish(), ra.clone().finish());
        prop_assert_eq!(merged(ra.clone(), rb.clone()).finish(), merged(rb.clone(), ra.clone()).finish());
        prop_assert_eq!(
            merged(merged(ra.clone(), rb.clone()), rc.clone()).finish(),
            merged(ra.clone(), merged(rb.clone(), rc.clone())).finish()
        );
        let ab: Vec<_> = a.iter().chain(&b).cloned().collect();
        prop_assert_eq!(build(&ab).finish(), merged(ra, rb).finish());
    }

    #[test]
    fn findings_merge_keeps_the_earliest(a in prop::collection::vec(0u64..1000, 0..30), b in prop::collection::vec(1000u64..2000, 0..30)) {
        let build = |v: &[u64]| { let mut s = Sampled::default(); let mut v = v.to_vec(); v.sort(); v.iter().for_each(|&x| s.add(Loc { byte: x, column: None, row_in_segment: x })); s };
        let (sa, sb) = (build(&a), build(&b));
        let mut ab = sa.clone(); ab.merge(sb.clone());
        let mut ba = sb; ba.merge(sa);
        prop_assert_eq!(&ab, &ba);
        let all: Vec<u64> = a.iter().chain(&b).copied().collect();
        prop_assert_eq!(build(&all), ab);
    }
}

/// A state from elsewhere whose (class, value) pairs name a class or a value it does not
/// hold is refused with a message, never indexed out of range.
#[test]
fn risk_merge_refuses_a_damaged_state() {
    let mut raw = RawSpec::default();
    raw.privacy.quasi_identifiers = vec!["cat".into()];
    raw.privacy.sensitive = vec!["n".into()];
    let head = b"n,x,cat,flag,day\n1,1.5,a,yes,2024-01-01\n";
    let s = ValidSpec::try_from_resolved(&resolve(&raw, head, true).expect("preview").spec).expect("spec");
    let r = s.risk.clone().expect("risk spec");
    let build = || {
        let mut acc = RiskAcc::new(&r);
        let rows: [&[&str]; 2] = [&["1", "1.5", "a", "yes", "2024-01-01"], &["2", "1.5", "b", "no", "2024-01-02"]];
        acc.update(&Batch::from_rows(&s, &rows));
        acc
    };
    let sound = build();
    build().merge(sound.clone()).expect("a sound state merges");
    let mut bad_class = sound.clone();
    // The pairs are still pending (keys) or already counted (key, rows): damage both.
    bad_class.pending[0].iter_mut().for_each(|k| *k |= 7 << 32);
    bad_class.sensitive_counts[0].iter_mut().for_each(|(k, _)| *k |= 7 << 32);
    assert!(!bad_class.pending[0].is_empty() || !bad_class.sensitive_counts[0].is_empty());
    let err = build().merge(bad_class).expect_err("a pair naming class 7 of 2");
    assert!(err.to_string().contains("damaged"), "{err}");
    let mut bad_value = sound;
    bad_value.dictionaries[0].values.clear();
    assert!(build().merge(bad_value).is_err(), "pairs naming values of an empty dictionary");
}
