//! Native runner: `native FILE [REPEAT]` prints build and loop ns per row of each variant.
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a CSV file");
    let repeat: usize = args.next().map_or(5, |s| s.parse().expect("repeat"));
    let bytes = std::fs::read(path).expect("read");
    let recs = arrow_proto::Records::parse(&bytes);
    let n = recs.len() as f64;
    let t0 = std::time::Instant::now();
    let now = move || t0.elapsed().as_secs_f64();
    type Variant = (&'static str, fn(&arrow_proto::Records, &mut arrow_proto::Totals, &dyn Fn() -> f64) -> (f64, f64, f64));
    let mut variants: Vec<Variant> = vec![("hand", arrow_proto::hand::run)];
    #[cfg(feature = "arrow")]
    variants.push(("arrow", arrow_proto::arrow::run));
    if let Some(only) = args.next() {
        variants.retain(|v| v.0 == only);
    }
    let mut best: Vec<(f64, f64, f64, f64)> = vec![(f64::MAX, f64::MAX, f64::MAX, 0.0); variants.len()];
    for _ in 0..repeat {
        for (i, (_, run)) in variants.iter().enumerate() {
            let mut t = arrow_proto::Totals::default();
            let (b, h, x) = run(&recs, &mut t, &now);
            best[i] = (best[i].0.min(b), best[i].1.min(h), best[i].2.min(x), t.checksum());
        }
    }
    for ((name, _), (b, h, x, c)) in variants.iter().zip(best) {
        println!(
            "{name:6} rows {n} build {:6.1} ns/row (4 text columns {:5.1}, 4 number columns {:5.1})  loop {:5.2} ns/row  checksum {c}",
            b / n * 1e9,
            x / n * 1e9,
            (b - x) / n * 1e9,
            h / n * 1e9
        );
    }
}
