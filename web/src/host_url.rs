//! The browser's WHATWG `URL` as the core's URL parser and resolver. The console's wasm is built
//! without the core's `url` feature, so the `url` crate and its IDNA / Unicode normalisation
//! tables stay out: the browser, which parses URLs and converts international host names
//! anyway, does it. Native builds (tests) keep the Rust parser; the Chromium test
//! `console_urls.test.mjs` checks the console's answers against the npm package's full module,
//! which parses with the `url` crate.
//!
//! Chromium's `URL` departs from the standard on host names in two ways that test found, and
//! [`check_host`] closes both: it keeps a space (or another character it escapes) in a host as
//! `%20` where the standard fails, and it passes `xn--` labels through without decoding them,
//! where the standard (UTS #46) fails on one that is not valid Punycode of a valid name. Each
//! `xn--` label is decoded here ([`punycode_decode`]) and given back to the browser, whose own
//! IDNA must encode it to the same label.

/// Hands the browser's `URL` to the core (idempotent: the first install stays). Native builds
/// parse with the `url` crate and install nothing.
pub fn install() {
    #[cfg(target_arch = "wasm32")]
    {
        edgewarm::urls::set_host_parser(browser::parse);
        edgewarm::sources::resolve::set_host_resolver(browser::resolve);
    }
}

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
    let mut unicode = Vec::new();
    for label in host.split('.') {
        match label.strip_prefix("xn--") {
            Some(code) => match punycode_decode(code) {
                Some(u) if !u.is_empty() && !u.is_ascii() => unicode.push(u),
                _ => return Err("invalid international domain name"),
            },
            None => unicode.push(label.to_string()),
        }
    }
    match encode(&unicode.join(".")) {
        Some(again) if again == host => Ok(()),
        _ => Err("invalid international domain name"),
    }
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

#[cfg(target_arch = "wasm32")]
mod browser {
    use edgewarm::urls::UrlParts;
    use wasm_bindgen::{JsCast, JsValue};

    /// The host's message for a thrown `TypeError` ("Invalid URL").
    fn message(e: JsValue) -> String {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "invalid URL".to_string())
    }

    /// The browser's ASCII form of a Unicode host name.
    fn encode(host: &str) -> Option<String> {
        web_sys::Url::new(&format!("http://{host}/"))
            .ok()
            .map(|u| u.hostname())
    }

    /// `new URL(raw)`, read as the core's [`UrlParts`].
    pub(super) fn parse(raw: &str) -> Result<UrlParts, String> {
        let url = web_sys::Url::new(raw).map_err(message)?;
        let host = url.hostname();
        super::check_host(&host, encode)?;
        let port = url.port();
        Ok(UrlParts {
            host,
            port: if port.is_empty() {
                None
            } else {
                Some(port.parse().map_err(|_| format!("port {port:?}"))?)
            },
            credentials: !url.username().is_empty() || !url.password().is_empty(),
        })
    }

    /// `new URL(input, base).href`.
    pub(super) fn resolve(input: &str, base: Option<&str>) -> Result<String, String> {
        let url = match base {
            Some(base) => web_sys::Url::new_with_base(input, base),
            None => web_sys::Url::new(input),
        }
        .map_err(message)?;
        super::check_host(&url.hostname(), encode)?;
        Ok(url.href())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
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

    /// One table for both builds: natively the `url` crate answers, in the wasm tests Node's
    /// `URL` through [`install`] (and Chromium's in `console_urls.test.mjs`).
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn both_builds_resolve_and_refuse_alike() {
        use edgewarm::sources::resolve::resolve;
        install();
        let base = Some("https://Example.COM/v/master.m3u8?t=1");
        for (input, want) in [
            ("seg-1.ts", "https://example.com/v/seg-1.ts"),
            ("../a/b.ts", "https://example.com/a/b.ts"),
            ("//cdn.example.net/x.ts", "https://cdn.example.net/x.ts"),
            ("?q=2", "https://example.com/v/master.m3u8?q=2"),
            ("a b.ts", "https://example.com/v/a%20b.ts"),
            (
                "https://例子.测试/路径",
                "https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84",
            ),
            ("HTTP://X.example:80/./a/../b", "http://x.example/b"),
        ] {
            assert_eq!(resolve(input, base).as_deref(), Ok(want), "{input}");
        }
        for bad in [
            "http://[::1/x",
            "https://xn--a.example/",
            "https://exa mple.com/",
        ] {
            assert!(resolve(bad, base).is_err(), "{bad}");
        }
        let parsed = edgewarm::urls::parse("https://BÜCHER.example:8443/x").expect("parses");
        assert_eq!(parsed.host, "xn--bcher-kva.example");
        assert_eq!(parsed.port, Some(8443));
    }
}
