//! python-stdnum 2.2's own example numbers (PRIVACY_RISK §6.1) and near misses; the
//! generated numbers are checked in `tests/privacy_detect.rs`.

use super::*;

fn sh(v: &str) -> Shape {
    Shape::of(v.as_bytes()).unwrap_or_else(|| panic!("no shape: {v}"))
}

#[test]
fn stdnum_examples_validate() {
    assert_eq!(us_ssn(&sh("536-90-4399"), false), (true, true));
    assert_eq!(uk_nino(&sh("AB 12 34 56 C")), (true, true));
    assert_eq!(uk_nhs(&sh("943 476 5919")), (true, true));
    assert_eq!(nl_bsn(&sh("111222333")), (true, true));
    assert_eq!(nl_bsn(&sh("1112.22.333")), (true, true));
    assert_eq!(se_personnummer(&sh("811218-9876")), (true, true));
    assert_eq!(se_personnummer(&sh("19811218-9876")), (true, true));
    assert_eq!(se_personnummer(&sh("8112189876")), (true, true));
    assert_eq!(in_aadhaar(&sh("234123412346")), (true, true));
    assert_eq!(in_aadhaar(&sh("2341 2341 2346")), (true, true));
    assert_eq!(br_cpf(&sh("390.533.447-05")), (true, true));
    assert_eq!(es_dni(&sh("12345678Z")), (true, true));
    assert_eq!(es_nie(&sh("X1234567L")), (true, true));
    assert_eq!(fr_nir(&sh("295109912611193")), (true, true));
    assert_eq!(fr_nir(&sh("2 95 10 99 126 111 93")), (true, true));
    assert_eq!(de_steuer_id(&sh("36574261809")), (true, true));
    assert_eq!(de_steuer_id(&sh("36 574 261 809")), (true, true));
}

#[test]
fn near_misses_are_shaped_but_fail() {
    assert_eq!(nl_bsn(&sh("111222334")), (true, false));
    assert_eq!(uk_nhs(&sh("943 476 5918")), (true, false));
    assert_eq!(se_personnummer(&sh("811218-9875")), (true, false));
    assert_eq!(se_personnummer(&sh("811318-9876")), (true, false)); // month 13
    assert_eq!(in_aadhaar(&sh("234123412347")), (true, false));
    assert_eq!(in_aadhaar(&sh("123412341234")), (true, false)); // first digit 1
    assert_eq!(br_cpf(&sh("390.533.447-06")), (true, false));
    assert_eq!(br_cpf(&sh("000.000.000-00")), (true, false));
    assert_eq!(es_dni(&sh("12345678A")), (true, false));
    assert_eq!(es_nie(&sh("X1234567A")), (true, false));
    assert_eq!(fr_nir(&sh("295109912611194")), (true, false));
    assert_eq!(de_steuer_id(&sh("36574261808")), (true, false));
    assert_eq!(de_steuer_id(&sh("12345678903")), (true, false)); // no repeated digit
    assert_eq!(uk_nino(&sh("DA123456C")), (true, false));
    assert_eq!(uk_nino(&sh("AB123456E")), (true, false));
    assert_eq!(uk_nino(&sh("GB123456A")), (true, false));
}

#[test]
fn ssn_policy_both_ways_round() {
    // python-stdnum rejects area 9xx (Presidio accepts): we follow stdnum.
    assert_eq!(us_ssn(&sh("900-12-3456"), false), (true, false));
    // python-stdnum accepts 123-45-6789 (Presidio rejects it as a sample): we accept it.
    assert_eq!(us_ssn(&sh("123-45-6789"), false), (true, true));
    for bad in ["078-05-1120", "219-09-9999", "457-55-5462", "000-12-3456", "666-12-3456", "123-00-4567", "123-45-0000"]
    {
        assert_eq!(us_ssn(&sh(bad), false), (true, false), "{bad}");
    }
    // Nine bare digits are an SSN only in a column named like one.
    assert_eq!(us_ssn(&sh("536904399"), false), (false, false));
    assert_eq!(us_ssn(&sh("536904399"), true), (true, true));
    assert_eq!(us_ssn(&sh("536 90 4399"), false), (true, true));
}

#[test]
fn corsica_and_writings() {
    // 2A → 19 before the mod: key computed on 1 85 05 19 …
    let d = b"1850519006084";
    let key = 97 - modulo(d, 97);
    let v = format!("185052A006084{key:02}");
    assert_eq!(fr_nir(&sh(&v)), (true, true), "{v}");
    assert_eq!(fr_nir(&sh(&v.replace("2A", "2B"))), (true, false));
    // Other groupings are not the identifier's writing.
    assert_eq!(uk_nhs(&sh("94 347 65919")), (false, false));
    assert_eq!(in_aadhaar(&sh("234-123-412-346")), (false, false));
}
