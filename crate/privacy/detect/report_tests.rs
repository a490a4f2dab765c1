use super::super::tests::{run, spec_of};
use super::*;
use crate::accumulator::Accumulator;

fn report_of(csv: &str) -> PersonalDataReport {
    let spec = spec_of(csv);
    let rows: Vec<Vec<String>> = csv.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect();
    build(&spec, &run(&spec, &rows).finish(), &|_| None)
}

fn col<'a>(r: &'a PersonalDataReport, name: &str) -> Option<&'a PiiColumn> {
    r.columns.iter().find(|c| c.column == name)
}

#[test]
fn verdicts() {
    let mut csv = String::from("contact,order_no,name,dob,race,age,comment,religion\n");
    let races = ["African-American", "Caucasian", "Hispanic", "Asian", "Other"];
    for i in 0..40u64 {
        let contact = if i % 2 == 0 { format!("p{i}@example.com") } else { format!("+44 20 7946 {:04}", 1000 + i) };
        // 16-digit order numbers: most fail Luhn.
        let order = 1_234_567_890_123_000 + i * 7;
        let comment = if i == 3 { "mail me at x@example.com" } else { "fine" };
        csv.push_str(&format!(
            "{contact},{order},person {},19{:02}-0{}-1{},{},{},{comment},{}\n",
            ["zorblatt", "quaxby", "wimbleton"][(i % 3) as usize],
            50 + i % 40,
            1 + i % 9,
            i % 10,
            races[(i % 5) as usize],
            20 + i,
            if i % 2 == 0 { "Christian" } else { "Muslim" }
        ));
    }
    let r = report_of(&csv);
    let contact = col(&r, "contact").expect("contact");
    assert_eq!(contact.verdict, Verdict::DirectIdentifier, "{contact:?}");
    assert_eq!(contact.identifying, 40);
    assert!(col(&r, "order_no").is_none_or(|c| c.verdict == Verdict::None), "{:?}", col(&r, "order_no"));
    assert_eq!(col(&r, "name").map(|c| c.verdict), Some(Verdict::DirectIdentifier));
    let dob = col(&r, "dob").expect("dob");
    assert_eq!((dob.verdict, dob.quasi_identifier), (Verdict::QuasiIdentifier, true));
    let race = col(&r, "race").expect("race");
    assert_eq!((race.verdict, race.quasi_identifier), (Verdict::SpecialCategory, true));
    assert_eq!(col(&r, "age").map(|c| c.verdict), Some(Verdict::QuasiIdentifier));
    assert_eq!(col(&r, "comment").map(|c| c.verdict), Some(Verdict::DirectIdentifier));
    let cats: Vec<(&str, Category)> = r.special_categories.iter().map(|s| (s.column.as_str(), s.category)).collect();
    assert!(cats.contains(&("race", Category::RacialOrEthnicOrigin)), "{cats:?}");
    assert!(cats.contains(&("religion", Category::ReligiousOrPhilosophicalBeliefs)), "{cats:?}");
    let religion = r.special_categories.iter().find(|s| s.column == "religion").expect("religion");
    assert!(
        religion.evidence.iter().any(|e| e.source == Source::Values)
            && religion.evidence.iter().any(|e| e.source == Source::Header)
    );
    let json = serde_json::to_string(&r).expect("json");
    for planted in ["example.com", "7946", "zorblatt", "quaxby", "Christian", "Caucasian"] {
        assert!(!json.contains(planted), "{planted} in {json}");
    }
}

#[test]
fn decoy_columns_are_not_judged() {
    let mut csv = String::from("order_no,code,version,file\n");
    for i in 0..50u64 {
        let order = 1_000_000_000_000_000 + i * 7_919;
        let code = format!("GB{:02} WEST 1234 5698 7654 {:02}", 10 + i % 80, i % 100);
        csv.push_str(&format!("{order},{code},{}.{}.{}.{},setup{}.py\n", i % 3, i % 7, i % 5, i % 9, i));
    }
    let r = report_of(&csv);
    for name in ["order_no", "code", "version", "file"] {
        assert!(col(&r, name).is_none_or(|c| c.verdict == Verdict::None), "{name}: {:?}", col(&r, name));
    }
    // IBAN-shaped codes failing MOD 97 are listed as not holding.
    let code = col(&r, "code").expect("code listed");
    assert!(code.kinds.iter().any(|k| k.kind == Kind::Iban && !k.holds && k.matched == 50));
}
