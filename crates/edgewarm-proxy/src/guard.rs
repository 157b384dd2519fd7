//! What the proxy checks and adds before and after routing: the `Host` check that stops DNS
//! rebinding (a page on `evil.example` resolving to 127.0.0.1 sends `Host: evil.example`), and the
//! security headers of the console's pages and of the JSON answers.

use axum::body::Body;
use axum::http::{HeaderValue, Response};
use edgewarm::proxy_policy::Refusal;

/// Loopback names the proxy always answers to (with its listen port).
pub const LOOPBACK_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Host names the proxy answers to, each with its port; port `0` means any port (an in-process
/// proxy whose bound port the configuration does not know).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHosts(pub Vec<(String, u16)>);

/// Splits `host[:port]` (`[v6]:port` too); `None` when it is not of that shape.
pub fn split_host_port(s: &str) -> Option<(String, Option<u16>)> {
    let s = s.trim();
    let (name, rest) = if let Some(v6) = s.strip_prefix('[') {
        let end = v6.find(']')?;
        (&s[..end + 2], &v6[end + 1..])
    } else {
        match s.find(':') {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, ""),
        }
    };
    if name.is_empty() || name.contains(['/', '@', ' ', '\\']) {
        return None;
    }
    let port = match rest.strip_prefix(':') {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None if rest.is_empty() => None,
        None => return None,
    };
    Some((name.to_ascii_lowercase(), port))
}

/// Whether `name` (as [`split_host_port`] returns it) is a wildcard bind address.
pub fn is_unspecified(name: &str) -> bool {
    matches!(name, "0.0.0.0" | "[::]" | "[0:0:0:0:0:0:0:0]" | "")
}

impl AllowedHosts {
    /// Accepts `Host` when it names an allowed name and port; refuses with `421 misdirected_host`.
    pub fn check(&self, host: Option<&str>) -> Result<(), Refusal> {
        let shown = |h: &str| h.chars().take(100).collect::<String>();
        let parsed = host.and_then(split_host_port);
        let ok = parsed.as_ref().is_some_and(|(name, port)| {
            let port = port.unwrap_or(80);
            self.0
                .iter()
                .any(|(n, p)| n == name && (*p == 0 || *p == port))
        });
        if ok {
            return Ok(());
        }
        let names = self
            .0
            .iter()
            .map(|(n, p)| {
                if *p == 0 {
                    n.clone()
                } else {
                    format!("{n}:{p}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        Err(Refusal {
            status: 421,
            code: "misdirected_host".into(),
            message: match host {
                Some(h) => format!(
                    "Host {:?} is not one this proxy answers to ({names}); a page reached through \
                     another name is refused (DNS rebinding). Start the proxy with --allow-host \
                     NAME to add a name",
                    shown(h)
                ),
                None => format!("the request has no Host header; this proxy answers to {names}"),
            },
        })
    }
}

/// The console's Content-Security-Policy: its own files, its wasm, `data:` images (the favicon),
/// and fetches to itself and the configured edge-worker origins; never framed.
pub fn console_csp(connect_origins: &[String]) -> String {
    let mut connect = String::from("'self'");
    for o in connect_origins {
        connect.push(' ');
        connect.push_str(o);
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src {connect}; frame-ancestors 'none'; base-uri 'none'; \
         form-action 'self'; object-src 'none'"
    )
}

/// Checks a `--connect-origin` value: `http(s)://host[:port]`, nothing after (it goes into the
/// CSP verbatim, so no spaces, `;` or `,`).
pub fn parse_origin(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("--connect-origin {s:?} must start with https:// or http://"))?;
    let ok = !rest.is_empty()
        && split_host_port(rest).is_some()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !ok {
        return Err(format!(
            "--connect-origin {s:?} must be an origin: scheme://host[:port], no path, query or \
             spaces"
        ));
    }
    Ok(s.to_ascii_lowercase())
}

/// Adds the console's security headers (its pages and files).
pub fn console_headers(resp: &mut Response<Body>, csp: &HeaderValue) {
    let h = resp.headers_mut();
    h.insert("content-security-policy", csp.clone());
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
}

/// Adds the headers of a JSON answer (`/api`, refusals): not sniffed, never run as a page.
pub fn api_headers(resp: &mut Response<Body>) {
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("sandbox"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_matched_by_name_and_port() {
        let a = AllowedHosts(vec![("localhost".into(), 8787), ("[::1]".into(), 8787)]);
        assert!(a.check(Some("localhost:8787")).is_ok());
        assert!(a.check(Some("LOCALHOST:8787")).is_ok());
        assert!(a.check(Some("[::1]:8787")).is_ok());
        for bad in [
            "localhost:8788",
            "localhost",
            "evil.example:8787",
            "localhost.:8787",
            "localhost:8787@evil",
            "[::1]x:8787",
            "localhost:87870",
            "",
        ] {
            let r = a.check(Some(bad)).unwrap_err();
            assert_eq!(
                (r.status, r.code.as_str()),
                (421, "misdirected_host"),
                "{bad}"
            );
        }
        assert!(a.check(None).is_err());
        let any = AllowedHosts(vec![("127.0.0.1".into(), 0)]);
        assert!(any.check(Some("127.0.0.1:1234")).is_ok());
    }

    #[test]
    fn origins_are_checked() {
        assert_eq!(
            parse_origin("https://W.example.workers.dev").unwrap(),
            "https://w.example.workers.dev"
        );
        assert!(parse_origin("http://127.0.0.1:8788").is_ok());
        for bad in [
            "w.example",
            "https://",
            "https://a.example/path",
            "https://a.example; script-src *",
            "https://a.example,b",
            "javascript:alert(1)",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
