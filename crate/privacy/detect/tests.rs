//! The accumulator: counts per column and kind, and the merge laws (identity,
//! commutativity, associativity, update of a concatenation = merge of the updates).

use super::*;
use crate::accumulator::Accumulator;

pub(super) fn spec_of(csv: &str) -> ValidSpec {
    let raw =
        crate::ingest::sniff::resolve(&crate::spec::RawSpec::default(), csv.as_bytes(), true).expect("preview").spec;
    ValidSpec::try_from_resolved(&raw).expect("valid")
}

fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect()
}

pub(super) fn run(spec: &ValidSpec, rows: &[Vec<String>]) -> PiiAcc {
    let refs: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let mut acc = PiiAcc::new(spec);
    acc.update(&Batch::from_rows(spec, &slices));
    acc
}

const CSV: &str = "email,card,note,zip,version,amount\n\
alice@example.com,4111111111111111,write to bob@example.org,02139,1.2.3.4,10\n\
carol@example.co.uk,4111111111111112,no contact,10001,1.2.3.5,11\n\
NA,5500000000000004,call +44 20 7946 0958 now,94105,2.0.0.1,12\n\
dave@localhost,1234567890123456,all good here,60601,2.0.0.2,13\n";

#[test]
fn counts_per_column_and_kind() {
    let spec = spec_of(CSV);
    let c = run(&spec, &rows(CSV)).finish();
    let email = &c.counts[0];
    assert_eq!(email.present, 3);
    assert_eq!((email.matched[Kind::Email.index()], email.valid[Kind::Email.index()]), (3, 2));
    let card = &c.counts[1];
    assert_eq!(card.present, 4);
    assert_eq!(card.valid[Kind::PaymentCard.index()], 2);
    assert_eq!(
        card.matched[Kind::PaymentCard.index()],
        4,
        "the name `card` gives context: bare numbers count as shaped"
    );
    let note = &c.counts[2];
    assert_eq!(note.embedded_cells[Kind::Email.index()], 1);
    assert_eq!(note.embedded_cells[Kind::Phone.index()], 1);
    assert_eq!(note.embedded_any, 2);
    assert_eq!(c.counts[3].valid[Kind::PostalCode.index()], 4);
    assert_eq!(c.counts[4].valid[Kind::Ipv4.index()], 0, "versions are not IP addresses");
    assert_eq!(c.plans[5].mode, Mode::Numbers);
    assert_eq!(c.counts[5].any_direct, 0);
}

#[test]
fn merge_laws() {
    let spec = spec_of(CSV);
    let all = rows(CSV);
    let part = |r: std::ops::Range<usize>| run(&spec, &all[r]);
    let whole = run(&spec, &all);
    let (a, b, c) = (part(0..1), part(1..3), part(3..4));
    let merged = |x: &PiiAcc, y: &PiiAcc| {
        let mut m = x.clone();
        m.merge(y.clone()).expect("merge");
        m
    };
    let empty = PiiAcc::new(&spec);
    assert_eq!(merged(&empty, &a), a, "identity");
    assert_eq!(merged(&a, &b), merged(&b, &a), "commutativity");
    assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)), "associativity");
    assert_eq!(merged(&merged(&a, &b), &c), whole, "concatenation");
    let other = PiiAcc::new(&spec_of("x\n1\n"));
    assert!(merged(&a, &a).merge(other).is_err());
}

#[test]
fn state_holds_no_value() {
    let spec = spec_of(CSV);
    let acc = run(&spec, &rows(CSV));
    let bytes = postcard::to_allocvec(&acc).expect("encode");
    for planted in ["alice", "example", "4111111111111111", "7946", "bob@"] {
        assert!(!bytes.windows(planted.len()).any(|w| w == planted.as_bytes()), "{planted}");
    }
    let back: PiiAcc = postcard::from_bytes(&bytes).expect("decode");
    assert_eq!(back, acc);
}

#[test]
fn categories_by_value_code_count_as_cell_by_cell() {
    // Categorical columns (repeated values, one embedding an e-mail, one a vocabulary term,
    // missing cells), read in two batches of one buffer: by code (and with 1 code per
    // column, so most values are read cell by cell) the counts are those of cell by cell.
    let mut spec = spec_of("city,status,note\nParis,single,a\nLyon,married,b\n");
    for c in &mut spec.columns {
        c.ty = ColumnType::Categorical;
    }
    let rows: Vec<Vec<String>> = (0..300)
        .map(|i| {
            let note = ["write to bob@example.org", "Catholic", "NA", "ok", "call 0612345678"][i % 5];
            vec![["Paris", "Lyon", "", "Nice"][i % 4].to_string(), ["single", "NA"][i % 2].to_string(), note.into()]
        })
        .collect();
    let read = |cap: usize| {
        let mut acc = PiiAcc::new(&spec);
        let mut b = Batch::new(3);
        b.limit_codes(cap);
        for part in rows.chunks(170) {
            b.clear();
            let refs: Vec<Vec<&str>> = part.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            b.push_rows(&spec, &slices);
            acc.update(&b);
        }
        acc.finish().counts
    };
    let cell_by_cell = read(0);
    assert_eq!(read(1 << 16), cell_by_cell);
    assert_eq!(read(1), cell_by_cell);
    assert_eq!(cell_by_cell[0].present, 225);
    assert_eq!(cell_by_cell[2].embedded_cells[Kind::Email.index()], 60);
}
