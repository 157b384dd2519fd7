//! Request signing for both clouds, modelled on aws-sigv4: time and nonce are inputs, and
//! signing returns *instructions* (the headers to add) together with the canonical request, the
//! string to sign and the signature, so a console can explain every step. Each scheme's module
//! also holds its verifier, which shares the canonicalisation with the signer.

pub mod acs3;
pub mod tc3;

use crate::credentials::Credentials;
use crate::error::Error;
use crate::request::HttpRequest;
use serde::{Deserialize, Serialize};

/// The payload to hash: the request's own body, or a hash the host computed (a JS host can hash
/// large bodies with its native SHA-256), as aws-sigv4's `SignableBody::Precomputed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", tag = "kind", content = "sha256")]
pub enum PayloadHash {
    /// Hash `request.body`.
    #[default]
    FromBody,
    /// Lower-case hex SHA-256 of the body, computed by the caller.
    Precomputed(String),
}

/// `{kind, sha256}` as the derive for `tag = "kind", content = "sha256"` reads it, by hand:
/// the derived reader buffers the members (serde's `Content`), a few KB of wasm per input
/// format.
impl<'de> Deserialize<'de> for PayloadHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        #[derive(Deserialize)]
        struct Tagged {
            kind: String,
            #[serde(default)]
            sha256: Option<String>,
        }
        let Tagged { kind, sha256 } = Tagged::deserialize(d)?;
        match (kind.as_str(), sha256) {
            ("fromBody", None) => Ok(PayloadHash::FromBody),
            ("fromBody", Some(_)) => Err(D::Error::custom(
                "payload kind fromBody takes no sha256 (the body is hashed)",
            )),
            ("precomputed", Some(hash)) => Ok(PayloadHash::Precomputed(hash)),
            ("precomputed", None) => Err(D::Error::missing_field("sha256")),
            (other, _) => Err(D::Error::unknown_variant(
                other,
                &["fromBody", "precomputed"],
            )),
        }
    }
}

/// Everything besides the request and the key that a signature depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SigningParams {
    /// Unix time in seconds (Tencent `X-TC-Timestamp`, Alibaba `x-acs-date`).
    pub time: i64,
    /// Alibaba `x-acs-signature-nonce` (unique per request); ignored by TC3.
    #[serde(default)]
    pub nonce: String,
    /// Which payload hash to use.
    #[serde(default)]
    pub payload: PayloadHash,
}

impl SigningParams {
    /// Params for `time` and `nonce`, hashing the body.
    pub fn new(time: i64, nonce: impl Into<String>) -> Self {
        SigningParams {
            time,
            nonce: nonce.into(),
            payload: PayloadHash::FromBody,
        }
    }
}

/// The result of signing: headers to set, plus every intermediate for "explain" views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SigningOutput {
    /// Headers to set on the request (Authorization last), in sending order.
    pub headers: Vec<(String, String)>,
    /// The canonical request that was hashed.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// Lower-case hex signature.
    pub signature: String,
    /// `;`-joined signed header names.
    pub signed_headers: String,
}

impl SigningOutput {
    /// Applies the instructions: sets each header on `request`.
    pub fn apply_to(&self, request: &mut HttpRequest) {
        for (name, value) in &self.headers {
            request.set_header(name, value.clone());
        }
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// What a successful verification learned about the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// The key id that signed.
    pub key_id: String,
    /// Request time (unix seconds) taken from the signed request.
    pub time: i64,
    /// The canonical request the verifier rebuilt.
    pub canonical_request: String,
}

/// The Host a request is signed for: its `Host` header when it has exactly one, else `host`.
/// The canonical request both signers hash, `METHOD\nPATH\nQUERY\nHEADERS\nSIGNED\nHASH`, and
/// the signed-header list. The headers: names lower-cased, values trimmed (and ASCII
/// lower-cased when `lower_values`: TC3 does, ACS3 does not), sorted, one `name:value\n` each;
/// the names joined with `;`.
pub(crate) fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    signed: &[(&str, &str)],
    payload_hash: &str,
    lower_values: bool,
) -> (String, String) {
    let mut items: Vec<(String, String)> = signed
        .iter()
        .map(|(n, v)| {
            let v = v.trim();
            // ASCII only: the values signed lower-cased (TC3's `content-type` and `host`) are
            // ASCII on the wire (a host is sent in its punycode form), and Unicode case tables
            // would weigh more than the whole signer in the call module's wasm
            let v = if lower_values {
                v.to_ascii_lowercase()
            } else {
                v.to_string()
            };
            (n.to_ascii_lowercase(), v)
        })
        .collect();
    crate::encoding::sort_pairs(&mut items);
    let mut headers = String::new();
    for (n, v) in &items {
        headers.push_str(n);
        headers.push(':');
        headers.push_str(v);
        headers.push('\n');
    }
    let names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    let names = names.join(";");
    (
        format!("{method}\n{path}\n{query}\n{headers}\n{names}\n{payload_hash}"),
        names,
    )
}

/// The value of each signed header, in the order of `names` (`host` defaults to the request's
/// host). A signed header that is missing or appears more than once is an error naming it; each
/// verifier answers it with its vendor's code.
pub(crate) fn signed_values<'a>(
    request: &'a HttpRequest,
    names: &[&'a str],
) -> Result<Vec<(&'a str, &'a str)>, String> {
    let mut pairs = Vec::with_capacity(names.len());
    for &name in names {
        let mut values = request.header_values(name);
        let value = match (name, values.next()) {
            ("host", None) => request.host.as_str(),
            (_, Some(v)) => v,
            (_, None) => return Err(format!("signed header {name} is not in the request")),
        };
        if values.next().is_some() {
            return Err(format!("signed header {name} appears more than once"));
        }
        pairs.push((name, value));
    }
    Ok(pairs)
}

pub(crate) fn host_of(request: &HttpRequest) -> &str {
    request.header("host").unwrap_or(&request.host).trim()
}

/// Payload hash per [`PayloadHash`].
pub(crate) fn payload_hash(request: &HttpRequest, payload: &PayloadHash) -> Result<String, Error> {
    match payload {
        PayloadHash::FromBody => Ok(crate::encoding::sha256_hex(&request.body)),
        PayloadHash::Precomputed(h) if crate::encoding::is_hex64(h) => Ok(h.clone()),
        PayloadHash::Precomputed(h) => Err(Error::Signing(format!(
            "precomputed payload hash {h:?} is not 64 lower-case hex"
        ))),
    }
}

/// Signs `request` for `credentials` with the scheme of its cloud: TC3 for Tencent hosts
/// (service from the endpoint), ACS3 for Alibaba. Convenience over [`tc3::sign`] /
/// [`acs3::sign`] that also applies the headers.
pub fn sign_request(
    request: &mut HttpRequest,
    service: crate::vendor::Service,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<SigningOutput, Error> {
    let out = match service.cloud() {
        crate::vendor::Cloud::Tencent => tc3::sign(request, service.name(), credentials, params)?,
        crate::vendor::Cloud::Alibaba => acs3::sign(request, credentials, params)?,
    };
    out.apply_to(request);
    Ok(out)
}

/// Verifies a request of either cloud (the sandbox's entry point): TC3 when the Authorization
/// starts with `TC3-`, or the request carries `X-TC-*` headers; ACS3 otherwise.
pub fn verify_request(
    request: &HttpRequest,
    store: &(impl crate::credentials::CredentialStore + ?Sized),
    now: i64,
) -> Result<Verified, crate::error::ApiError> {
    let auth = request.header_values("authorization").next().unwrap_or("");
    let tencent = auth.starts_with("TC3-")
        || (!auth.starts_with("ACS3-")
            && request.headers.iter().any(|(n, _)| {
                n.as_bytes()
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case(b"x-tc-"))
            }));
    if tencent {
        tc3::verify(request, store, now)
    } else {
        acs3::verify(request, store, now)
    }
}

/// Splits `ALG k=v, k=v` into the three ACS3/TC3 fields; `None` when malformed.
pub(crate) fn parse_authorization<'a>(value: &'a str, algorithm: &str) -> Option<[&'a str; 3]> {
    let rest = value.strip_prefix(algorithm)?.strip_prefix(' ')?;
    let (mut cred, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        let slot = match k.trim() {
            "Credential" => &mut cred,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut sig,
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(v.trim());
    }
    Some([cred?, signed?, sig?])
}

/// SignedHeaders → names, `None` unless non-empty, lower-case, trimmed, sorted and unique.
pub(crate) fn signed_header_list(s: &str) -> Option<Vec<&str>> {
    if s.is_empty() {
        return None;
    }
    let names: Vec<&str> = s.split(';').collect();
    let well_formed = names
        .iter()
        .all(|n| !n.is_empty() && n.trim() == *n && !n.bytes().any(|b| b.is_ascii_uppercase()));
    if !well_formed || names.windows(2).any(|w| w[0] >= w[1]) {
        return None;
    }
    Some(names)
}
