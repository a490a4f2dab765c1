use super::*;

fn ctx(header: &str) -> Ctx {
    let h = super::super::header::hints(header);
    Ctx { context: h.context, disabled: h.disabled }
}

fn valid(v: &str, header: &str) -> Vec<Kind> {
    Kind::in_mask(classify_text(v, &ctx(header)).valid).collect()
}

fn matched(v: &str, header: &str) -> Vec<Kind> {
    Kind::in_mask(classify_text(v, &ctx(header)).matched).collect()
}

#[test]
fn whole_values() {
    assert_eq!(valid("alice@example.com", "x"), [Kind::Email]);
    assert_eq!(valid(" GB82 WEST 1234 5698 7654 32 ", "x"), [Kind::Iban]);
    assert_eq!(valid("4111 1111 1111 1111", "x"), [Kind::PaymentCard]);
    assert_eq!(valid("536-90-4399", "x"), [Kind::UsSsn]);
    assert_eq!(valid("AB 12 34 56 C", "x"), [Kind::UkNino]);
    assert_eq!(valid("+44 20 7946 0958", "x"), [Kind::Phone]);
    assert_eq!(valid("192.168.1.20", "x"), [Kind::Ipv4]);
    assert_eq!(valid("2001:db8::1", "x"), [Kind::Ipv6]);
    assert_eq!(valid("00:1a:2b:3c:4d:5e", "x"), [Kind::Mac]);
    assert_eq!(valid("AA:BB:CC:DD:EE:FF", "x"), [Kind::Mac]);
    assert_eq!(valid("https://example.org/u/1", "x"), [Kind::Url]);
    assert_eq!(valid("12345678Z", "x"), [Kind::EsDni]);
    assert_eq!(valid("X1234567L", "x"), [Kind::EsNie]);
    assert_eq!(valid("390.533.447-05", "x"), [Kind::BrCpf]);
    assert_eq!(valid("2 95 10 99 126 111 93", "x"), [Kind::FrNir]);
}

#[test]
fn header_only_kinds() {
    assert_eq!(valid("miguel hernandez", "name"), [Kind::PersonName]);
    assert_eq!(valid("miguel hernandez", "notes"), []);
    assert_eq!(valid("SW1A 1AA", "postcode"), [Kind::PostalCode]);
    assert_eq!(valid("02139", "zip"), [Kind::PostalCode]);
    assert_eq!(valid("02139", "x"), []);
    assert_eq!(valid("1234 AB", "postcode"), [Kind::PostalCode]);
    assert_eq!(valid("K1A 0B1", "postal_code"), [Kind::PostalCode]);
    assert!(valid("2125550100", "phone").contains(&Kind::Phone));
    assert!(!valid("2125550100", "x").contains(&Kind::Phone));
}

#[test]
fn decoys_do_not_fire() {
    // A version in a column named `version` is not an IP address.
    assert_eq!(valid("1.2.3.4", "version"), []);
    assert_eq!(valid("1.2.3.4", "app_version"), []);
    assert_eq!(valid("setup.py", "file"), []);
    assert_eq!(valid("README.md", "file"), []);
    // Nine bare digits: not an SSN without context; a BSN when the 11-proof passes.
    assert!(!valid("536904399", "x").contains(&Kind::UsSsn));
    assert!(valid("536904399", "ssn").contains(&Kind::UsSsn));
    // A bare number failing its checks is not even counted as shaped (no context).
    assert_eq!(matched("1234567890123456", "order_no"), []);
    // Written like a card, it is shaped like one but fails Luhn.
    assert_eq!(matched("1234 5678 9012 3456", "order_no"), [Kind::PaymentCard]);
    assert_eq!(valid("1234 5678 9012 3456", "order_no"), []);
    // IBAN-shaped, failing MOD 97.
    assert_eq!(matched("GB82 WEST 1234 5698 7654 33", "x"), [Kind::Iban]);
    assert_eq!(valid("GB82 WEST 1234 5698 7654 33", "x"), []);
    for v in ["north", "Male", "2024-01-05", "12:30:00", "3.14", "n/a", "O'Brien & Sons"] {
        assert_eq!(valid(v, "x"), [], "{v}");
    }
}

#[test]
fn integers() {
    let c = ctx("x");
    assert_eq!(Kind::in_mask(classify_int(4_111_111_111_111_111, &c).valid).collect::<Vec<_>>(), [Kind::PaymentCard]);
    assert_eq!(classify_int(1_234_567_890_123_456, &c), Hits::default());
    assert_eq!(Kind::in_mask(classify_int(111_222_333, &c).valid).collect::<Vec<_>>(), [Kind::NlBsn]);
    assert_eq!(classify_int(-4_111_111_111_111_111, &c), Hits::default());
    let zip = ctx("zip");
    assert_eq!(zip.min_int(), 100);
    assert_eq!(Kind::in_mask(classify_int(2139, &zip).valid).collect::<Vec<_>>(), [Kind::PostalCode]);
    assert_eq!(c.min_int(), 100_000_000);
}

#[test]
fn name_shapes() {
    for v in ["Miguel Hernandez", "o'brien", "Jean-Luc Picard", "SMITH, JOHN", "J. R. R. Tolkien", "Zoë", "李 小龙"]
    {
        assert!(name_shape(v), "{v}");
    }
    for v in ["R2D2", "-x", "a", "a b c d e f", "john@x", "Mr 5"] {
        assert!(!name_shape(v), "{v}");
    }
}
