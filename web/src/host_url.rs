//! The browser's WHATWG `URL` as the core's URL parser and resolver. The console's wasm is built
//! without the core's `url` feature, so the `url` crate and its IDNA / Unicode normalisation
//! tables stay out: the browser, which parses URLs and converts international host names
//! anyway, does it (as the npm package's modules do with their host's). Native builds (tests) keep
//! the Rust parser; the Chromium test `console_urls.test.mjs` checks the console's answers
//! against the npm package's full module in Node, and tests/url_answers.json holds the Rust
//! parser and both runtimes to the same URL answers.
//!
//! Chromium's `URL` is looser than the standard on host names; every host it gives back goes
//! through the core's [`edgewarm::host_name::check_host`] (the call module's parser does the same).

/// Hands the browser's `URL` to the core (idempotent: the first install stays). Native builds
/// parse with the `url` crate and install nothing.
pub fn install() {
    #[cfg(target_arch = "wasm32")]
    {
        edgewarm::urls::set_host_parser(browser::parse);
        edgewarm::sources::resolve::set_host_resolver(browser::resolve);
    }
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
        edgewarm::host_name::parts_from_whatwg(
            url.hostname(),
            &url.port(),
            !url.username().is_empty() || !url.password().is_empty(),
            encode,
        )
    }

    /// `new URL(input, base).href`.
    pub(super) fn resolve(input: &str, base: Option<&str>) -> Result<String, String> {
        let url = match base {
            Some(base) => web_sys::Url::new_with_base(input, base),
            None => web_sys::Url::new(input),
        }
        .map_err(message)?;
        edgewarm::host_name::check_host(&url.hostname(), encode)?;
        Ok(url.href())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
