//! Which upstream a proxied browser request may reach, and which headers pass. Both the native
//! proxy and the edge worker enforce exactly this module, so the rules live once: an exact host
//! allowlist (the vendor API hosts, nothing else unless a caller adds test stand-ins), path `/`
//! only, no credentials, ports, IPs or encoded tricks in the authority, no CR/LF anywhere,
//! hop-by-hop and cookie headers stripped, signed headers passed byte-exact.

use crate::vendor::{Endpoint, Service, Site, ESA_REGIONS};
use serde::{Deserialize, Serialize};

/// The proxy's URL prefix: `/api/<host>/<path>?<query>`.
pub const PREFIX: &str = "/api/";

/// Largest request body the proxy forwards (8 MiB).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A refusal: HTTP status, stable code, human message. Serialises as the proxy's JSON error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Refusal {
    /// HTTP status to answer with.
    pub status: u16,
    /// Stable machine code, e.g. `host_not_allowed`.
    pub code: String,
    /// Sentence for people.
    pub message: String,
}

impl Refusal {
    fn new(status: u16, code: &str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// `{"error": {"code": …, "message": …}}`
    pub fn to_json(&self) -> String {
        serde_json::json!({"error": {"code": self.code, "message": self.message, "status": self.status}})
            .to_string()
    }
}

/// Scheme of an allowed upstream (vendors: https; test stand-ins on loopback: http).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// TLS, certificates verified.
    Https,
    /// Plain HTTP: only for explicitly added test stand-ins.
    Http,
}

/// One allowed upstream host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct AllowedHost {
    /// Exact host (lower case), as it appears after `/api/`.
    pub name: String,
    /// Where it really connects (`host[:port]`); the vendor host itself unless a stand-in.
    pub connect: String,
    /// Scheme to connect with.
    pub scheme: Scheme,
}

/// Where an allowed request goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Upstream {
    /// The vendor host (what the request was signed for; sent as `Host`).
    pub host: String,
    /// `scheme://connect/path?query` to send to.
    pub url: String,
    /// Path (always `/`).
    pub path: String,
    /// Raw query (without `?`).
    pub query: String,
}

/// The allowlist and header rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Policy {
    hosts: Vec<AllowedHost>,
}

/// Request headers a vendor call needs; everything else is dropped.
const FORWARDED_REQUEST_HEADERS: [&str; 4] =
    ["authorization", "content-type", "accept", "accept-language"];

/// Response headers passed back to the browser.
const FORWARDED_RESPONSE_HEADERS: [&str; 5] = [
    "content-type",
    "x-acs-request-id",
    "x-acs-retry-after",
    "retry-after",
    "date",
];

fn refuse_chars(s: &str, what: &str) -> Result<(), Refusal> {
    if s.chars().any(|c| c.is_control() || c == ' ') {
        return Err(Refusal::new(
            400,
            "bad_characters",
            format!("{what} contains control characters or spaces"),
        ));
    }
    Ok(())
}

impl Policy {
    /// The vendor API hosts: teo and cdn (China and intl) and ESA's documented regions.
    pub fn vendors() -> Policy {
        let mut hosts = Vec::new();
        for service in [Service::Teo, Service::Cdn] {
            for site in [Site::China, Site::Intl] {
                hosts.push(Endpoint::tencent(service, site).host);
            }
        }
        hosts.extend(
            ESA_REGIONS
                .iter()
                .filter_map(|r| Endpoint::esa(r))
                .map(|e| e.host),
        );
        Policy {
            hosts: hosts
                .into_iter()
                .map(|h| AllowedHost {
                    connect: h.clone(),
                    name: h,
                    scheme: Scheme::Https,
                })
                .collect(),
        }
    }

    /// Adds a stand-in: requests for `name` connect to `connect` (e.g. a loopback test server).
    pub fn with_stand_in(mut self, name: &str, connect: &str, scheme: Scheme) -> Policy {
        self.hosts.retain(|h| h.name != name);
        self.hosts.push(AllowedHost {
            name: name.to_ascii_lowercase(),
            connect: connect.into(),
            scheme,
        });
        self
    }

    /// Points every vendor host at one address (the sandbox on the proxy's own listener).
    pub fn all_to(mut self, connect: &str, scheme: Scheme) -> Policy {
        for h in &mut self.hosts {
            h.connect = connect.to_string();
            h.scheme = scheme;
        }
        self
    }

    /// The allowed host names.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts.iter().map(|h| h.name.as_str())
    }

    /// Decides where `/api/<host>/<path>?<query>` may go (the raw request target).
    pub fn route(&self, target: &str) -> Result<Upstream, Refusal> {
        refuse_chars(target, "the request target")?;
        let rest = target.strip_prefix(PREFIX).ok_or_else(|| {
            Refusal::new(404, "not_proxied", "only /api/<vendor host>/ is proxied")
        })?;
        let (before_query, query) = match rest.split_once('?') {
            Some((b, q)) => (b, q),
            None => (rest, ""),
        };
        if query.contains('#') || before_query.contains('#') {
            return Err(Refusal::new(400, "bad_target", "fragments are not proxied"));
        }
        let (host, path) = match before_query.find('/') {
            Some(i) => (&before_query[..i], &before_query[i..]),
            None => (before_query, "/"),
        };
        if host.is_empty() {
            return Err(Refusal::new(400, "bad_host", "no host after /api/"));
        }
        if host.contains(['%', '@', ':', '\\', '[', ']']) || !host.is_ascii() {
            return Err(Refusal::new(
                403,
                "host_not_allowed",
                format!("{host:?} is not an allowed vendor API host (no ports, users, encodings or IDNs)"),
            ));
        }
        let lower = host.to_ascii_lowercase();
        let allowed = self.hosts.iter().find(|h| h.name == lower).ok_or_else(|| {
            Refusal::new(
                403,
                "host_not_allowed",
                format!("{host:?} is not an allowed vendor API host"),
            )
        })?;
        if path != "/" {
            return Err(Refusal::new(
                400,
                "bad_path",
                "vendor APIs take path / only; other paths are not proxied",
            ));
        }
        let scheme = match allowed.scheme {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        let url = if query.is_empty() {
            format!("{scheme}://{}/", allowed.connect)
        } else {
            format!("{scheme}://{}/?{query}", allowed.connect)
        };
        Ok(Upstream {
            host: allowed.name.clone(),
            url,
            path: "/".into(),
            query: query.into(),
        })
    }

    /// The request headers to forward: vendor protocol headers (`X-TC-*`, `x-acs-*`),
    /// `Authorization`, `Content-Type`, `Accept`; names and values byte-exact. Refuses CR/LF in
    /// any header; drops cookies, hop-by-hop headers, `Host`, `Origin` and the rest.
    pub fn request_headers(
        &self,
        headers: &[(String, String)],
    ) -> Result<Vec<(String, String)>, Refusal> {
        let mut out = Vec::new();
        for (name, value) in headers {
            if name.contains(['\r', '\n']) || value.contains(['\r', '\n', '\0']) {
                return Err(Refusal::new(
                    400,
                    "bad_header",
                    format!("header {name:?} has CR, LF or NUL"),
                ));
            }
            let lower = name.to_ascii_lowercase();
            if FORWARDED_REQUEST_HEADERS.contains(&lower.as_str())
                || lower.starts_with("x-tc-")
                || lower.starts_with("x-acs-")
            {
                out.push((name.clone(), value.clone()));
            }
        }
        Ok(out)
    }

    /// The response headers to pass back (content type, request ids, retry hints).
    pub fn response_headers(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        headers
            .iter()
            .filter(|(n, _)| FORWARDED_RESPONSE_HEADERS.contains(&n.to_ascii_lowercase().as_str()))
            .cloned()
            .collect()
    }
}

/// Checks the browser's `Origin` against the console's own origins. No `Origin` (curl, the
/// CLI) is allowed; a foreign web page is not.
pub fn check_origin(origin: Option<&str>, allowed: &[String]) -> Result<(), Refusal> {
    match origin {
        None => Ok(()),
        Some(o) if allowed.iter().any(|a| a.eq_ignore_ascii_case(o)) => Ok(()),
        Some(o) => Err(Refusal::new(
            403,
            "origin_not_allowed",
            format!(
                "requests from origin {o:?} are refused; open the console from the proxy itself"
            ),
        )),
    }
}

/// Header names whose values must never be logged.
pub fn is_secret_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "authorization" | "x-tc-token" | "x-acs-security-token" | "cookie"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_only_vendor_hosts_with_path_slash() {
        let p = Policy::vendors();
        let u = p.route("/api/teo.tencentcloudapi.com/").unwrap();
        assert_eq!(u.url, "https://teo.tencentcloudapi.com/");
        let u = p
            .route("/api/esa.cn-hangzhou.aliyuncs.com/?SiteId=1&Content=%5B%5D")
            .unwrap();
        assert_eq!(
            u.url,
            "https://esa.cn-hangzhou.aliyuncs.com/?SiteId=1&Content=%5B%5D"
        );
        assert_eq!(u.host, "esa.cn-hangzhou.aliyuncs.com");
        for bad in [
            "/api/evil.com/",
            "/api/127.0.0.1/",
            "/api/169.254.169.254/",
            "/api/teo.tencentcloudapi.com:8443/",
            "/api/user@teo.tencentcloudapi.com/",
            "/api/teo.tencentcloudapi.com%2eevil.com/",
            "/api/teo.tencentcloudapi.com/../x",
            "/api/teo.tencentcloudapi.com//x",
            "/api/teo.tencentcloudapi.com/%2F",
            "/api/teo.tencentcloudapi.com/\r\nX: y",
            "/api/tеo.tencentcloudapi.com/",
            "/teo.tencentcloudapi.com/",
            "http://teo.tencentcloudapi.com/",
        ] {
            assert!(p.route(bad).is_err(), "{bad} routed");
        }
    }

    #[test]
    fn headers_are_filtered() {
        let p = Policy::vendors();
        let hs = vec![
            ("Authorization".to_string(), "TC3 x".to_string()),
            ("X-TC-Action".to_string(), "A".to_string()),
            ("Cookie".to_string(), "a=b".to_string()),
            ("Connection".to_string(), "close".to_string()),
            ("Host".to_string(), "localhost".to_string()),
        ];
        let out = p.request_headers(&hs).unwrap();
        assert_eq!(out.len(), 2);
        assert!(p
            .request_headers(&[("X-TC-A".into(), "a\r\nb".into())])
            .is_err());
    }

    #[test]
    fn origin_check() {
        let allowed = vec!["http://127.0.0.1:8787".to_string()];
        assert!(check_origin(None, &allowed).is_ok());
        assert!(check_origin(Some("http://127.0.0.1:8787"), &allowed).is_ok());
        assert_eq!(
            check_origin(Some("https://evil.example"), &allowed)
                .unwrap_err()
                .status,
            403
        );
    }
}
