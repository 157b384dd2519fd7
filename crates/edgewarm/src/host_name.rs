//! Host names as a WHATWG `URL` of the host serialised them, checked where the standard is
//! stricter than some hosts. Builds without the `url` crate (every wasm: the npm package's, the console's) parse
//! URLs with the runtime's `URL`; Chromium's departs from the standard on host names in two ways
//! (`tests/npm/console_urls.test.mjs` and the bundle test in `tests/npm/browser.test.mjs` found
//! and pin them): it keeps a space (or another character it escapes) in a host as `%20` where the
//! standard fails, and it passes `xn--` labels through without decoding them, where the standard
//! (UTS #46) fails on one that is not valid Punycode of a valid name. [`check_host`] closes both,
//! for every embedder that installs a host parser: each `xn--` label is decoded here
//! ([`punycode_decode`]) and handed back to the host's own IDNA, which must encode it to the
//! same label.

use crate::urls::UrlParts;

/// Checks a host name as the browser serialised it (ASCII, lower case) where the standard is
/// stricter than Chromium: no `%` (a forbidden domain code point; Chromium leaves escaped
/// spaces there), and every `xn--` label valid Punycode whose Unicode form `encode` (the
/// browser's IDNA) turns back into the same label. IPv6 literals pass as they are.
pub fn check_host(host: &str, encode: impl Fn(&str) -> Option<String>) -> Result<(), &'static str> {
    if host.starts_with('[') || host.is_empty() {
        return Ok(());
    }
    if host.contains('%') || !host.is_ascii() {
        return Err("the host name has characters a host name cannot have");
    }
    if !host.split('.').any(|l| l.starts_with("xn--")) {
        return Ok(());
    }
    // the labels decoded, joined by dots as they come (no `join` of a list of strings)
    let mut unicode = String::new();
    for (i, label) in host.split('.').enumerate() {
        if i > 0 {
            unicode.push('.');
        }
        match label.strip_prefix("xn--") {
            Some(code) => match punycode_decode(code) {
                Some(u) if !u.is_empty() && !u.is_ascii() => unicode.push_str(&u),
                _ => return Err("invalid international domain name"),
            },
            None => unicode.push_str(label),
        }
    }
    match encode(&unicode) {
        Some(again) if again == host => Ok(()),
        _ => Err("invalid international domain name"),
    }
}

/// The core's [`UrlParts`] from a host `URL`'s getters (`hostname`, `port`, whether
/// `username` or `password` is set), the host checked by [`check_host`] with the host's own
/// IDNA (`encode`): what every embedder's host parser returns.
pub fn parts_from_whatwg(
    host: String,
    port: &str,
    credentials: bool,
    encode: impl Fn(&str) -> Option<String>,
) -> Result<UrlParts, String> {
    check_host(&host, encode)?;
    Ok(UrlParts {
        host,
        port: if port.is_empty() {
            None
        } else {
            Some(port.parse().map_err(|_| format!("port {port:?}"))?)
        },
        credentials,
    })
}

/// RFC 3492 Punycode decoding of one label (without its `xn--`); `None` when it is not valid
/// Punycode (bad digit, overflow, a code point out of range).
pub fn punycode_decode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta /= if first { DAMP } else { 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + SKEW)
    }
    let (basic, encoded) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut out: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (128u32, 0u32, 72u32);
    let mut digits = encoded.bytes().peekable();
    while digits.peek().is_some() {
        let (old_i, mut w, mut k) = (i, 1u32, BASE);
        loop {
            let digit = match digits.next()? {
                b @ b'a'..=b'z' => u32::from(b - b'a'),
                b @ b'A'..=b'Z' => u32::from(b - b'A'),
                b @ b'0'..=b'9' => u32::from(b - b'0') + 26,
                _ => return None,
            };
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                TMIN
            } else if k >= bias + TMAX {
                TMAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = out.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        out.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_decodes_rfc_3492_samples_and_refuses_garbage() {
        assert_eq!(punycode_decode("fsqu00a").as_deref(), Some("例子"));
        assert_eq!(punycode_decode("0zwm56d").as_deref(), Some("测试"));
        assert_eq!(punycode_decode("fa-hia").as_deref(), Some("faß"));
        assert_eq!(punycode_decode("bcher-kva").as_deref(), Some("bücher"));
        assert_eq!(punycode_decode("ls8h").as_deref(), Some("💩"));
        assert_eq!(punycode_decode("abc-").as_deref(), Some("abc"));
        assert_eq!(punycode_decode("a").as_deref(), Some("\u{80}"));
        assert_eq!(punycode_decode("a!"), None);
        assert_eq!(punycode_decode("99999999999"), None);
        assert_eq!(punycode_decode("ü-a"), None);
    }

    #[test]
    fn hosts_chromium_lets_through_are_refused() {
        // an IDNA that encodes the two labels of the tests, as the browser does
        let encode = |u: &str| {
            Some(
                u.replace("例子", "xn--fsqu00a")
                    .replace("测试", "xn--0zwm56d"),
            )
        };
        assert_eq!(check_host("xn--fsqu00a.xn--0zwm56d", encode), Ok(()));
        assert_eq!(check_host("www.example.com", encode), Ok(()));
        assert_eq!(check_host("[::1]", encode), Ok(()));
        for bad in [
            "exa%20mple.com",
            "xn--a.example",
            "xn--.example",
            "xn--abc-.example",
            "xn--a!.example",
            // decodes, but the browser's IDNA does not give the same label back
            "xn--ls8h.la",
        ] {
            assert!(check_host(bad, encode).is_err(), "{bad}");
        }
    }

    #[test]
    fn parts_from_a_host_url_getters() {
        let same = |u: &str| Some(u.to_string());
        let parts = parts_from_whatwg("example.com".into(), "8443", true, same);
        assert_eq!(
            parts,
            Ok(UrlParts {
                host: "example.com".into(),
                port: Some(8443),
                credentials: true
            })
        );
        let default_port = parts_from_whatwg("example.com".into(), "", false, same);
        assert_eq!(default_port.map(|p| p.port), Ok(None));
        assert!(parts_from_whatwg("example.com".into(), "99999", false, same).is_err());
        assert!(parts_from_whatwg("exa%20mple.com".into(), "", false, same).is_err());
    }
}
