//! Which upstream a proxied browser request may reach, and which headers pass. Both the native
//! proxy and the edge worker enforce exactly this module, so the rules live once: an exact host
//! allowlist (the vendor API hosts, nothing else unless a caller adds test stand-ins), path `/`
//! only, no credentials, ports, IPs or encoded tricks in the authority, no CR/LF anywhere,
//! hop-by-hop and cookie headers stripped, signed headers passed byte-exact.

use crate::limits::Limits;
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
    /// The vendor API hosts: teo and cdn (China and intl) and ESA's documented regions, public
    /// (`esa.<region>.aliyuncs.com`) and VPC (`esa-vpc.<region>.aliyuncs.com`; ESA 2024-09-10
    /// endpoint page).
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
                .flat_map(|r| [Endpoint::esa(r), Endpoint::esa_vpc(r)])
                .flatten()
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

/// Methods a browser may use cross-origin (`Access-Control-Allow-Methods`), for the native
/// proxy and the edge worker alike.
pub const CORS_ALLOW_METHODS: &str = "GET, POST, OPTIONS";

/// Request headers a browser may send cross-origin (`Access-Control-Allow-Headers`):
/// `Authorization` (a vendor signature, or the worker's bearer token on `/sign`), the body type,
/// and every protocol header the two signers add — TC3 (`X-TC-*`, with `X-TC-Token` for STS)
/// and ACS3 (`x-acs-*`, with `x-acs-accesskey-id` and `x-acs-security-token` for STS).
pub const CORS_ALLOW_HEADERS: &str = "authorization, content-type, accept, x-tc-action, \
x-tc-version, x-tc-timestamp, x-tc-region, x-tc-token, x-tc-language, x-tc-content-sha256, \
x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256, \
x-acs-security-token, x-acs-accesskey-id";

/// Response headers a browser script may read (`Access-Control-Expose-Headers`): request ids,
/// retry hints (vendor and the worker's own 429) and the worker's `WWW-Authenticate`.
pub const CORS_EXPOSE_HEADERS: &str =
    "x-acs-request-id, x-acs-retry-after, retry-after, date, www-authenticate";

/// How long a browser may cache a preflight answer (`Access-Control-Max-Age`), in seconds.
pub const CORS_MAX_AGE_SECS: u32 = 600;

/// The edge worker's secret that turns `/sign` on: every call carries it as a bearer token.
pub const SIGN_TOKEN_VAR: &str = "EDGEWARM_SIGN_TOKEN";

/// The edge worker's list of actions `/sign` may sign (comma-separated).
pub const SIGN_ACTIONS_VAR: &str = "EDGEWARM_SIGN_ACTIONS";

/// What `/sign` signs when [`SIGN_ACTIONS_VAR`] is unset: the prefetch family and reads only.
/// Purges, deletes, stops, resets and scheduled-job writes are signed only when listed.
pub const DEFAULT_SIGN_ACTIONS: [&str; 11] = [
    "CreatePrefetchTask",
    "DescribePrefetchTasks",
    "DescribeContentQuota",
    "PushUrlsCache",
    "DescribePushTasks",
    "DescribePushQuota",
    "PreloadCaches",
    "DescribePreloadTasks",
    "GetScheduledPreloadJob",
    "ListScheduledPreloadJobs",
    "ListScheduledPreloadExecutions",
];

/// The actions `/sign` may sign, from the configured list (`None` or blank: the default).
/// A name that is not one of edgewarm's operations is a configuration error: signing stays off
/// (500 `sign_actions_invalid`, naming them) rather than silently signing less or more than
/// the owner meant.
pub fn sign_actions(configured: Option<&str>) -> Result<Vec<String>, Refusal> {
    let names: Vec<&str> = configured
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Ok(DEFAULT_SIGN_ACTIONS.iter().map(|s| s.to_string()).collect());
    }
    let unknown: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| !crate::OPERATIONS.iter().any(|(_, a)| a == n))
        .collect();
    if !unknown.is_empty() {
        return Err(Refusal::new(
            500,
            "sign_actions_invalid",
            format!(
                "{SIGN_ACTIONS_VAR} names actions edgewarm does not have: {}; signing is off until it lists only edgewarm's operations",
                unknown.join(", ")
            ),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    Ok(out)
}

/// Refuses (403 `action_not_allowed`) an action that is not in the signing allowlist.
pub fn check_sign_action(action: &str, allowed: &[String]) -> Result<(), Refusal> {
    if allowed.iter().any(|a| a == action) {
        return Ok(());
    }
    Err(Refusal::new(
        403,
        "action_not_allowed",
        format!("this worker does not sign {action:?}: add it to {SIGN_ACTIONS_VAR} to allow it"),
    ))
}

/// Checks `Authorization: Bearer <token>` against the configured token. Both sides are hashed
/// (SHA-256) and the digests compared in constant time, so neither the content nor the length
/// of the token leaks through timing. Missing, malformed or wrong: 401 `unauthorized`. An empty
/// configured token refuses everything.
pub fn check_bearer(authorization: Option<&str>, token: &str) -> Result<(), Refusal> {
    let presented = authorization
        .map(str::trim)
        .and_then(|a| a.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    let ok = match presented {
        Some(p) if !token.is_empty() => crate::encoding::ct_eq(
            &crate::encoding::sha256_hex(p.as_bytes()),
            &crate::encoding::sha256_hex(token.as_bytes()),
        ),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let message = match presented {
        None => "POST /sign needs Authorization: Bearer <the worker's EDGEWARM_SIGN_TOKEN>",
        Some(_) => "the bearer token is not this worker's EDGEWARM_SIGN_TOKEN",
    };
    Err(Refusal::new(401, "unauthorized", message))
}

/// The limits a signing call is validated with: the documented defaults, lowered where the
/// caller asks. A caller may lower a cap, never raise it: a value above the default is refused
/// (400 `limits_above_default`, naming the field).
pub fn sign_limits(caller: Option<&Limits>) -> Result<Limits, Refusal> {
    let default = Limits::default();
    let Some(caller) = caller else {
        return Ok(default);
    };
    let above = caller.above(&default);
    if !above.is_empty() {
        let mut message = String::from("a signing call may lower a cap, never raise it: ");
        for (i, (field, a, d)) in above.iter().enumerate() {
            if i > 0 {
                message.push_str(", ");
            }
            message.push_str(&format!("limits.{field} ({a} > default {d})"));
        }
        return Err(Refusal::new(400, "limits_above_default", message));
    }
    Ok(caller.clone())
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
    fn sign_actions_default_listed_and_unknown() {
        let d = sign_actions(None).unwrap();
        assert_eq!(d.len(), DEFAULT_SIGN_ACTIONS.len());
        assert_eq!(sign_actions(Some("  ")).unwrap(), d);
        for a in &d {
            assert!(crate::OPERATIONS.iter().any(|(_, o)| o == a), "{a}");
        }
        assert!(!d
            .iter()
            .any(|a| a.contains("Purge") || a.contains("Delete")));
        assert_eq!(
            sign_actions(Some("PurgeCaches, PurgeCaches,CreatePurgeTask")).unwrap(),
            vec!["PurgeCaches".to_string(), "CreatePurgeTask".to_string()]
        );
        let r = sign_actions(Some("PushUrlsCache,DeleteZone,purgecaches")).unwrap_err();
        assert_eq!((r.status, r.code.as_str()), (500, "sign_actions_invalid"));
        assert!(
            r.message.contains("DeleteZone, purgecaches") && r.message.contains(SIGN_ACTIONS_VAR)
        );
        let r = check_sign_action("PurgeCaches", &d).unwrap_err();
        assert_eq!((r.status, r.code.as_str()), (403, "action_not_allowed"));
        assert!(r.message.contains("PurgeCaches") && r.message.contains(SIGN_ACTIONS_VAR));
        assert!(check_sign_action("PushUrlsCache", &d).is_ok());
    }

    #[test]
    fn bearer_tokens() {
        let t = "s3cret-token";
        assert!(check_bearer(Some("Bearer s3cret-token"), t).is_ok());
        assert!(check_bearer(Some("bearer  s3cret-token "), t).is_ok());
        for bad in [
            None,
            Some(""),
            Some("s3cret-token"),
            Some("Basic s3cret-token"),
            Some("Bearer s3cret-tokeN"),
            Some("Bearer s3cret-token-longer"),
            Some("Bearer s3"),
        ] {
            let r = check_bearer(bad, t).unwrap_err();
            assert_eq!(
                (r.status, r.code.as_str()),
                (401, "unauthorized"),
                "{bad:?}"
            );
        }
        assert!(check_bearer(Some("Bearer "), "").is_err());
        assert!(check_bearer(Some("Bearer x"), "").is_err());
    }

    #[test]
    fn sign_limits_lower_only() {
        assert_eq!(sign_limits(None).unwrap(), Limits::default());
        let lower = Limits {
            cdn_push_batch: 10,
            ..Limits::default()
        };
        assert_eq!(sign_limits(Some(&lower)).unwrap(), lower);
        let higher = Limits {
            cdn_push_batch: 10_000,
            describe_max_limit: 5000,
            ..Limits::default()
        };
        let r = sign_limits(Some(&higher)).unwrap_err();
        assert_eq!((r.status, r.code.as_str()), (400, "limits_above_default"));
        assert!(
            r.message.contains("limits.cdnPushBatch")
                && r.message.contains("limits.describeMaxLimit")
        );
    }

    #[test]
    fn cors_lists_cover_both_signers() {
        for h in [
            "authorization",
            "x-tc-token",
            "x-acs-security-token",
            "x-acs-accesskey-id",
            "x-acs-signature-nonce",
        ] {
            assert!(CORS_ALLOW_HEADERS.split(", ").any(|x| x == h), "{h}");
        }
        assert!(CORS_EXPOSE_HEADERS.contains("retry-after"));
        assert!(!CORS_ALLOW_HEADERS.contains('\n'));
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
