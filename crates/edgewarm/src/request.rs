//! The one request shape every part of edgewarm exchanges: what the builders produce, what the
//! signers sign, what the shells send and what the verifier and the proxy inspect. It carries the
//! exact wire form (raw query, header order and casing, body bytes) so that nothing between the
//! signer and the socket has to re-encode anything.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// HTTP method of a vendor call (both clouds use only these two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// An HTTP request in wire form: `https://{host}{path}?{query}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct HttpRequest {
    /// GET or POST.
    pub method: Method,
    /// Host name the request is addressed and signed for (also sent as the `Host` header).
    pub host: String,
    /// Path, `/` for every vendor call.
    pub path: String,
    /// The raw query string as sent, without `?` (already percent-encoded).
    pub query: String,
    /// Headers in sending order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body bytes (UTF-8 text for every request edgewarm builds).
    #[serde(serialize_with = "body_to_text", deserialize_with = "body_from_text")]
    #[cfg_attr(feature = "ts", tsify(type = "string"))]
    pub body: Vec<u8>,
}

fn body_to_text<S: Serializer>(body: &[u8], s: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(body) {
        Ok(text) => s.serialize_str(text),
        Err(_) => Err(serde::ser::Error::custom("request body is not UTF-8 text")),
    }
}

fn body_from_text<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    Ok(String::deserialize(d)?.into_bytes())
}

/// Headers whose values are credentials in their own right: a curl rendering names their
/// environment variable instead of the value.
const CURL_SECRET_HEADERS: [(&str, &str); 2] = [
    ("x-tc-token", "$TENCENTCLOUD_SESSION_TOKEN"),
    ("x-acs-security-token", "$ALIBABA_CLOUD_SECURITY_TOKEN"),
];

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl HttpRequest {
    /// The request as a curl command sent to `url` (the vendor URL, or a proxy's). The secret
    /// key is never in a request; a session token is written as its environment variable.
    pub fn to_curl(&self, url: &str) -> String {
        // the words written one after the other (no `join` of a list of strings)
        let mut curl = format!("curl -sS -X {} {}", self.method.as_str(), shell_quote(url));
        for (name, value) in &self.headers {
            curl.push_str(" -H ");
            match CURL_SECRET_HEADERS
                .iter()
                .find(|(n, _)| name.eq_ignore_ascii_case(n))
            {
                Some((_, env)) => curl.push_str(&format!("\"{name}: {env}\"")),
                None => curl.push_str(&shell_quote(&format!("{name}: {value}"))),
            }
        }
        if !self.body.is_empty() {
            curl.push_str(" --data-binary ");
            curl.push_str(&shell_quote(&self.body_text()));
        }
        curl
    }

    /// A copy fit to show (dry runs, logs, `--json` output): every session-token header
    /// (`X-TC-Token`, `x-acs-security-token`) holds its environment variable's name instead of
    /// the token. The secret key is never in a request, so nothing else needs hiding; a copy
    /// whose token header is redacted no longer verifies when the token is signed.
    pub fn redacted(&self) -> HttpRequest {
        let mut out = self.clone();
        for (name, value) in &mut out.headers {
            if let Some((_, env)) = CURL_SECRET_HEADERS
                .iter()
                .find(|(n, _)| name.eq_ignore_ascii_case(n))
            {
                *value = (*env).to_string();
            }
        }
        out
    }

    /// Where the request is sent: the vendor's `https://host/path?query`, or through the
    /// edgewarm proxy or its edge worker at `proxy_base` (`<base>/api/<host><path>?<query>`,
    /// trailing slashes of the base ignored).
    pub fn request_url(&self, proxy_base: Option<&str>) -> String {
        match proxy_base {
            Some(base) => format!("{}{}", base.trim_end_matches('/'), self.proxy_path()),
            None => self.url(),
        }
    }

    /// The request as a curl command to [`HttpRequest::request_url`], with the redaction rules
    /// of [`HttpRequest::redacted`] (a session token is written as its environment variable).
    pub fn to_curl_via(&self, proxy_base: Option<&str>) -> String {
        self.to_curl(&self.request_url(proxy_base))
    }

    /// `/api/<host><path>?<query>`: where the edgewarm proxy (or its edge worker) takes it.
    pub fn proxy_path(&self) -> String {
        if self.query.is_empty() {
            format!("/api/{}{}", self.host, self.path)
        } else {
            format!("/api/{}{}?{}", self.host, self.path, self.query)
        }
    }

    /// A request with no query, headers or body.
    pub fn new(method: Method, host: impl Into<String>) -> Self {
        HttpRequest {
            method,
            host: host.into(),
            path: "/".to_string(),
            query: String::new(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// All values of a header, matched case-insensitively, in order.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of a header that must appear once: `None` when absent or repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name));
        let first = values.next()?;
        match values.next() {
            Some(_) => None,
            None => Some(first.1.as_str()),
        }
    }

    /// Sets a header, replacing every earlier value of the same name (case-insensitive).
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        if let Some(pos) = self
            .headers
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            self.headers[pos] = (name.to_string(), value);
            let mut i = pos + 1;
            while i < self.headers.len() {
                if self.headers[i].0.eq_ignore_ascii_case(name) {
                    self.headers.remove(i);
                } else {
                    i += 1;
                }
            }
        } else {
            self.headers.push((name.to_string(), value));
        }
    }

    /// Removes every value of a header.
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// `https://host/path?query`: the address to send the request to.
    pub fn url(&self) -> String {
        if self.query.is_empty() {
            format!("https://{}{}", self.host, self.path)
        } else {
            format!("https://{}{}?{}", self.host, self.path, self.query)
        }
    }

    /// The body as text (lossy for the rare non-UTF-8 body handed to a verifier).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> HttpRequest {
        let mut r = HttpRequest::new(Method::Post, "cdn.tencentcloudapi.com");
        r.query = "a=1".into();
        r.set_header("X-TC-Action", "PushUrlsCache");
        r.set_header("X-TC-Token", "live-session-token");
        r.body = br#"{"Urls":["https://x.com/it's"]}"#.to_vec();
        r
    }

    #[test]
    fn curl_is_its_words_joined_by_spaces() {
        let mut r = HttpRequest::new(Method::Post, "h.example".to_string());
        r.headers.push(("A".into(), "1".into()));
        r.headers.push(("X-TC-Token".into(), "secret".into()));
        r.body = b"b".to_vec();
        assert_eq!(
            r.to_curl("https://h.example/p"),
            "curl -sS -X POST 'https://h.example/p' -H 'A: 1' -H \"X-TC-Token: $TENCENTCLOUD_SESSION_TOKEN\" --data-binary 'b'"
        );
        let bare = HttpRequest::new(Method::Get, "h".to_string());
        assert_eq!(bare.to_curl("u"), "curl -sS -X GET 'u'");
    }

    #[test]
    fn the_url_goes_to_the_vendor_or_through_the_proxy() {
        let r = request();
        assert_eq!(r.request_url(None), "https://cdn.tencentcloudapi.com/?a=1");
        assert_eq!(
            r.request_url(Some("http://127.0.0.1:8787//")),
            "http://127.0.0.1:8787/api/cdn.tencentcloudapi.com/?a=1"
        );
    }

    #[test]
    fn curl_names_the_token_variable_and_quotes_the_body() {
        let curl = request().to_curl_via(Some("https://proxy.example"));
        assert!(curl.starts_with(
            "curl -sS -X POST 'https://proxy.example/api/cdn.tencentcloudapi.com/?a=1'"
        ));
        assert!(curl.contains("\"X-TC-Token: $TENCENTCLOUD_SESSION_TOKEN\""));
        assert!(
            !curl.contains("live-session-token"),
            "the token is never printed"
        );
        assert!(curl.contains(r#"--data-binary '{"Urls":["https://x.com/it'\''s"]}'"#));
        assert!(curl.contains("'X-TC-Action: PushUrlsCache'"));
    }
}
