use super::*;

fn sh(v: &str) -> Shape {
    Shape::of(v.as_bytes()).unwrap_or_else(|| panic!("no shape: {v}"))
}

#[test]
fn emails_need_a_public_suffix() {
    for v in ["alice@example.com", "a.b+tag@mail.example.co.uk", "x_y@sub.domain.de", "o'brien@example.ie"] {
        assert_eq!(email(v.as_bytes()), (true, true), "{v}");
    }
    for v in
        ["user@localhost", "a@intranet", "x@co.uk", "a..b@example.com", ".a@example.com", "a@-x.com", "a@example.c0m"]
    {
        assert_eq!(email(v.as_bytes()), (true, false), "{v}");
    }
    for v in ["@example.com", "alice@", "alice example.com", "a@b@c.com", "a b@example.com"] {
        assert!(!email(v.as_bytes()).1, "{v}");
    }
    assert!(is_tld(b"COM") && is_tld(b"xn--p1ai") && !is_tld(b"localhost"));
}

#[test]
fn urls_and_file_names() {
    for v in [
        "https://example.com/a?b=1",
        "http://192.168.0.1:8080/x",
        "HTTP://WWW.EXAMPLE.ORG",
        "www.example.de/path",
        "example.com",
        "shop.example.co.uk/x",
        "http://[2001:db8::1]/",
    ] {
        assert_eq!(url(v.as_bytes()), (true, true), "{v}");
    }
    assert_eq!(url(b"https://intranet/x"), (true, false));
    for v in [
        "setup.py",
        "README.md",
        "run.sh",
        "data.csv",
        "3.14",
        "v1.2.3",
        "Makefile.in",
        "photo.jpg",
        "John.Smith",
        "a b.com",
    ] {
        assert_eq!(url(v.as_bytes()), (false, false), "{v}");
    }
}

#[test]
fn ip_and_mac() {
    assert_eq!(ipv4(&sh("192.168.0.1")), (true, true));
    assert_eq!(ipv4(&sh("1.2.3.4")), (true, true));
    assert_eq!(ipv4(&sh("256.1.1.1")), (true, false));
    assert_eq!(ipv4(&sh("01.2.3.4")), (true, false));
    assert_eq!(ipv4(&sh("1.2.3")), (false, false));
    assert_eq!(ipv4(&sh("1-2-3-4")), (false, false));
    for v in [
        "2001:db8::1",
        "::1",
        "fe80::1%eth0",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "::ffff:192.0.2.128",
        "[2001:db8::2]",
    ] {
        assert_eq!(ipv6(v.as_bytes()), (true, true), "{v}");
    }
    assert_eq!(ipv6(b"2001:db8::1::2"), (true, false));
    assert_eq!(ipv6(b"1:2:3:4:5:6:7"), (true, false));
    assert_eq!(ipv6(b"12345::1"), (true, false));
    assert_eq!(ipv6(b"10:30:45"), (false, false));
    assert!(mac(&sh("00:1A:2b:3C:4d:5E")));
    assert!(mac(&sh("00-1A-2B-3C-4D-5E")));
    assert!(mac(&sh("001a.2b3c.4d5e")));
    assert!(!mac(&sh("00:1A:2B:3C:4D")));
    assert!(!mac(&sh("00:1A-2B:3C:4D:5E")));
    assert!(!mac(&sh("0G:1A:2B:3C:4D:5E")));
}
