//! URL resolution for the sources: an M3U8 playlist names its segments and child playlists
//! relative to its own URL, so the sources need a WHATWG `new URL(input, base)`. Natively (the
//! `url` feature) it is the `url` crate's; the wasm builds, without that feature (the npm
//! package's full module and the console, whose hosts already parse URLs and convert
//! international host names), keep the crate's IDNA tables out and ask the host through a
//! resolver they install with [`set_host_resolver`]. The two must agree: the console's
//! `host_url` test runs one table natively and in wasm, and its Chromium test compares the
//! browser's answers with the npm package's (Node's `URL`).
//!
//! Checking a single URL (host present, parses at all) goes through [`crate::urls::parse`], which
//! switches the same way.

/// `new URL(input, base).href` given by the embedder; `base` is `None` for an absolute `input`.
/// The error is the host's message.
pub type HostResolver = fn(input: &str, base: Option<&str>) -> Result<String, String>;

static HOST_RESOLVER: std::sync::OnceLock<HostResolver> = std::sync::OnceLock::new();

/// Installs the resolver of a build without the `url` feature (the first one stays). With the
/// feature, the `url` crate resolves and an installed resolver is not used; the setter exists in
/// both builds so an embedder compiles whichever features the workspace unifies.
pub fn set_host_resolver(resolver: HostResolver) {
    let _ = HOST_RESOLVER.set(resolver);
}

/// The serialised (WHATWG `href`) form of `input` resolved against `base`, or of `input` alone
/// when `base` is `None`.
#[cfg(feature = "url")]
pub fn resolve(input: &str, base: Option<&str>) -> Result<String, String> {
    let parsed = match base {
        Some(base) => url::Url::parse(base).and_then(|b| b.join(input)),
        None => url::Url::parse(input),
    };
    parsed.map(String::from).map_err(|e| e.to_string())
}

/// The serialised (WHATWG `href`) form of `input` resolved against `base`, by the resolver the
/// embedder installed ([`set_host_resolver`]).
#[cfg(not(feature = "url"))]
pub fn resolve(input: &str, base: Option<&str>) -> Result<String, String> {
    match HOST_RESOLVER.get() {
        Some(resolver) => resolver(input, base),
        None => Err(
            "this build has no URL resolver (neither the `url` feature nor a host resolver)".into(),
        ),
    }
}

/// Whether a serialised URL is http(s) (serialised schemes are lower case).
pub(crate) fn is_http(href: &str) -> bool {
    href.starts_with("http://") || href.starts_with("https://")
}

#[cfg(all(test, feature = "url"))]
mod tests {
    use super::*;

    /// The cases the console's Chromium test resolves in the browser too (`console_urls` in
    /// tests/npm): relative forms, dot segments, queries, international names, bad input.
    #[test]
    fn resolves_like_whatwg() {
        let base = "https://Example.COM/v/master.m3u8?t=1";
        let cases = [
            ("seg-1.ts", "https://example.com/v/seg-1.ts"),
            ("../a/b.ts", "https://example.com/a/b.ts"),
            ("/root.ts", "https://example.com/root.ts"),
            ("//cdn.example.net/x.ts", "https://cdn.example.net/x.ts"),
            ("?q=2", "https://example.com/v/master.m3u8?q=2"),
            ("a b.ts", "https://example.com/v/a%20b.ts"),
            (
                "https://例子.测试/路径",
                "https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84",
            ),
            ("HTTP://X.example:80/./a/../b", "http://x.example/b"),
        ];
        for (input, want) in cases {
            assert_eq!(resolve(input, Some(base)).as_deref(), Ok(want), "{input}");
        }
        assert!(resolve("http://[::1/x", Some(base)).is_err());
        assert!(resolve("x.ts", Some("not a url")).is_err());
        assert_eq!(
            resolve("https://a.example", None).as_deref(),
            Ok("https://a.example/")
        );
        assert!(is_http("https://a/") && is_http("http://a/") && !is_http("ftp://a/"));
    }
}
