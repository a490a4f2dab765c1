use super::*;
use crate::ingest::value::NumberFormat;

fn vc(v: &str, n: u64) -> ValueCount {
    ValueCount { value: v.into(), count: n }
}

#[test]
fn padding_is_unicode_white_space_at_either_end() {
    for s in [" a", "a ", "\ta", "a\n", "\u{a0}x", "x\u{3000}", "\u{2003}", " "] {
        assert!(padded(s), "{s:?}");
    }
    for s in ["", "a", "a b", "é", "日本", "\u{200b}x", "x\u{1c}"] {
        assert!(!padded(s), "{s:?}");
    }
}

#[test]
fn padding_tells_the_leading_from_the_trailing_end() {
    for (s, want) in [
        ("", (false, false)),
        ("a", (false, false)),
        ("a b", (false, false)),
        (" a", (true, false)),
        ("\u{a0}x", (true, false)),
        ("\u{3000}日本", (true, false)),
        ("a\t", (false, true)),
        ("é\u{2003}", (false, true)),
        (" 7 ", (true, true)),
        ("\u{a0}x\n", (true, true)),
        (" ", (true, true)),
        ("\u{2003}", (true, true)),
        ("\u{200b}x\u{1c}", (false, false)),
    ] {
        assert_eq!(padding(s), want, "{s:?}");
        assert_eq!(padded(s), want.0 || want.1, "{s:?}");
    }
}

/// The three white-space counts of a string column over every combination of ends, in one
/// batch and merged from 1, 3 and 7 parts in both orders: the same integers, equal to the
/// counts made from the definition (a value with both ends counts once in each).
#[test]
fn whitespace_counts_merge_exactly_in_any_split() {
    use crate::accumulator::Accumulator;
    let raw = crate::ingest::sniff::resolve(&crate::spec::RawSpec::default(), b"s\nab\n", true).expect("preview").spec;
    let spec = ValidSpec::try_from_resolved(&raw).expect("spec");
    assert!(spec.columns[0].ty.is_string());
    const ENDS: [&str; 7] = ["", " ", "\t", "\u{a0}", "\u{3000}", "x", "é"];
    let values: Vec<String> =
        (0..5).flat_map(|i| ENDS.iter().flat_map(move |a| ENDS.iter().map(move |z| format!("{a}v{i}{z}")))).collect();
    let ws = |c: Option<char>| c.is_some_and(char::is_whitespace);
    let lead = values.iter().filter(|v| ws(v.chars().next())).count() as u64;
    let trail = values.iter().filter(|v| ws(v.chars().next_back())).count() as u64;
    let either = values.iter().filter(|v| ws(v.chars().next()) || ws(v.chars().next_back())).count() as u64;
    assert!(either < lead + trail, "some values have both ends");
    let counts = |rows: &[String]| {
        let rows: Vec<[&str; 1]> = rows.iter().map(|v| [v.as_str()]).collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        let mut acc = TextAcc::new(&spec);
        acc.update(&Batch::from_rows(&spec, &rows));
        acc
    };
    let want = vec![TextCounts::Strings { padded: either, leading: lead, trailing: trail, numeric: 0 }];
    assert_eq!(counts(&values).finish(), want);
    for parts in [1usize, 3, 7] {
        let chunks: Vec<TextAcc> = values.chunks(values.len().div_ceil(parts)).map(counts).collect();
        for order in [false, true] {
            let mut it: Vec<TextAcc> = chunks.clone();
            if order {
                it.reverse();
            }
            let mut acc = TextAcc::new(&spec);
            for c in it {
                acc.merge(c).expect("merge");
            }
            assert_eq!(acc.finish(), want, "{parts} parts, reversed: {order}");
        }
    }
}

#[test]
fn numeric_looking_needs_a_finite_number() {
    let dot = NumberFormat::default();
    for s in ["1", "-2.5", " 3 ", "+4", ".5", "1e3", "007"] {
        assert!(numeric_looking(s, dot), "{s:?}");
    }
    for s in ["", "a1", "1a", "inf", "-inf", "nan", "1,5", "1 000", "e5", "-", "."] {
        assert!(!numeric_looking(s, dot), "{s:?}");
    }
    let comma = NumberFormat { decimal: b',', thousands: Some(b'.') };
    assert!(numeric_looking("1.234,5", comma));
    assert!(numeric_looking(",5", comma));
}

#[test]
fn case_groups_are_exact_and_ordered() {
    let values = [vc("Male", 5), vc("male", 3), vc(" MALE", 1), vc("Female", 4), vc("female", 4), vc("x", 9)];
    let g = case_groups(&values);
    assert_eq!((g.groups, g.rows), (2, 17));
    // Largest group first; spellings by count then value.
    assert_eq!(g.examples[0], vec![vc("Male", 5), vc("male", 3), vc(" MALE", 1)]);
    assert_eq!(g.examples[1], vec![vc("Female", 4), vc("female", 4)]);
    let none = case_groups(&[vc("a", 1), vc("b", 2)]);
    assert_eq!((none.groups, none.rows, none.examples.len()), (0, 0, 0));
    // Unicode lower-casing, not only ASCII.
    assert_eq!(case_groups(&[vc("ÉTÉ", 1), vc("été", 1)]).groups, 1);
}

#[test]
fn only_the_first_groups_are_listed() {
    let values: Vec<ValueCount> = (0..30).flat_map(|i| [vc(&format!("v{i}"), 1), vc(&format!("V{i}"), 1)]).collect();
    let g = case_groups(&values);
    assert_eq!((g.groups, g.rows, g.examples.len()), (30, 60, CASE_GROUPS_SHOWN));
}

#[test]
fn as_of_is_a_plain_iso_date() {
    assert_eq!(parse_as_of("1970-01-02"), Some(1));
    assert_eq!(parse_as_of("2026-12-03"), Some(crate::ingest::value::days_from_civil(2026, 12, 3)));
    for bad in ["2026-13-01", "2026-02-30", "03/12/2026", "2026-12-3", "", "2026-12-03T00:00:00Z"] {
        assert_eq!(parse_as_of(bad), None, "{bad}");
    }
}

fn late(days: &[i64]) -> LateDays {
    let mut l = LateDays::default();
    days.iter().for_each(|&d| l.add(d, 1));
    l
}

#[test]
fn late_days_count_exactly_after_as_of() {
    let l = late(&[1, 5, 5, 9, 10, 10, 10]);
    assert_eq!(l.after(0), Some(7));
    assert_eq!(l.after(5), Some(4));
    assert_eq!(l.after(10), Some(0));
    let c = date_checks(&l, Some(("x", 9)), 1, 8);
    assert_eq!((c.future, c.unparseable_share, c.note), (Some(3), 0.125, None));
    let c = date_checks(&l, None, 0, 0);
    assert_eq!((c.future, c.unparseable_share), (None, 0.0));
    assert!(c.note.is_some_and(|n| n.contains("profile.as_of")));
}

#[test]
fn late_days_beyond_the_cap_merge_exactly_in_any_split() {
    // 3 × LATE_DAYS distinct days in a scrambled order, some repeated.
    let days: Vec<i64> = (0..(3 * LATE_DAYS as i64)).map(|i| (i * 7919) % (3 * LATE_DAYS as i64)).collect();
    let mut all = days.clone();
    all.extend(days.iter().filter(|d| *d % 3 == 0));
    let one = late(&all);
    let cut = 2 * LATE_DAYS as i64; // the (cap + 1)-th latest day is cut - 1
    assert_eq!(one.dropped, Some(cut - 1));
    for parts in [2usize, 3, 7] {
        let chunks: Vec<LateDays> = all.chunks(all.len().div_ceil(parts)).map(late).collect();
        let mut fwd = LateDays::default();
        chunks.iter().cloned().for_each(|c| fwd.merge(c));
        let mut back = LateDays::default();
        chunks.iter().rev().cloned().for_each(|c| back.merge(c));
        assert_eq!(fwd, one, "{parts} parts");
        assert_eq!(back, one, "{parts} parts, reversed");
    }
    let expect = all.iter().filter(|&&d| d > cut).count() as u64;
    assert_eq!(one.after(cut), Some(expect));
    assert_eq!(one.after(cut - 1), Some(expect + all.iter().filter(|&&d| d == cut).count() as u64));
    assert_eq!(one.after(cut - 2), None);
}

#[test]
fn batches_of_days_give_the_same_state_as_single_days() {
    // Dense (short span) and sparse (sorted) batches, across the cap.
    let days: Vec<i64> = (0..(3 * LATE_DAYS as i64)).map(|i| (i * 7919) % (3 * LATE_DAYS as i64)).collect();
    let mut all = days.clone();
    all.extend(days.iter().map(|d| d / 50));
    let one = late(&all);
    for size in [1usize, 7, 1000, 5000] {
        let mut b = LateDays::default();
        for chunk in all.chunks(size) {
            b.add_batch(&mut chunk.to_vec());
        }
        assert_eq!(b, one, "batches of {size}");
    }
    let mut dense = LateDays::default();
    dense.add_batch(&mut [5, 3, 5, 4, 3, 5]);
    assert_eq!(dense, late(&[3, 3, 4, 5, 5, 5]));
}

/// Counted from value codes (made by another analysis; all, few or none of the values
/// coded), the string checks are those of cell by cell.
#[test]
fn string_checks_by_value_code_count_as_cell_by_cell() {
    use crate::accumulator::Accumulator;
    let raw = crate::ingest::sniff::resolve(&crate::spec::RawSpec::default(), b"s\nab\n", true).expect("preview").spec;
    let spec = ValidSpec::try_from_resolved(&raw).expect("spec");
    let values = [" a", "a", "1.5", " 2 ", "NA", "b\t", "é", "", "x", " a", "1.5", "7"];
    let rows: Vec<[&str; 1]> = (0..200).map(|i| [values[i * 7 % values.len()]]).collect();
    let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
    let read = |cap: Option<usize>| {
        let mut acc = TextAcc::new(&spec);
        let mut b = Batch::new(1);
        if let Some(cap) = cap {
            b.limit_codes(cap);
        }
        for part in rows.chunks(70) {
            b.clear();
            b.push_rows(&spec, part);
            if cap.is_some() {
                b.codes(0);
            }
            acc.update(&b);
        }
        acc.finish()
    };
    let cell_by_cell = read(None);
    assert_eq!(cell_by_cell, vec![TextCounts::Strings { padded: 66, leading: 50, trailing: 32, numeric: 66 }]);
    for cap in [0, 3, 1 << 16] {
        assert_eq!(read(Some(cap)), cell_by_cell, "cap {cap}");
    }
}
