//! ACS3-HMAC-SHA256, the Alibaba Cloud V3 signature (ESA 2024-09-10), signer and verifier.
//!
//! Rules (Alibaba Cloud "V3 request structure and signature" page, ACS3-HMAC-SHA256): canonical request `METHOD\n/\nCANONICAL_QUERY\nHEADERS\nSIGNED\nHASH`, where
//! the canonical query is the *decoded* query re-encoded RFC 3986 and sorted (so `+` and `%20`
//! on the wire sign alike), the signed headers are `host`, `content-type` when present and every
//! `x-acs-*` header, as `name:trim(value)` sorted; string to sign
//! `ACS3-HMAC-SHA256\n<sha256(canonical)>`; the HMAC key is the raw AccessKeySecret; Authorization
//! `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=…,Signature=…` (no spaces).

use super::{
    host_of, parse_authorization, payload_hash, signed_header_list, SigningOutput, SigningParams,
    Verified,
};
use crate::credentials::{CredentialStore, Credentials};
use crate::encoding::{
    canonical_pairs, ct_eq, form_decode, hex_lower, hmac_sha256, is_hex64, sha256_hex,
};
use crate::error::{ApiError, Error, ErrorClass};
use crate::request::HttpRequest;
pub use crate::times::{acs_date, parse_acs_date};

/// The algorithm name.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";
/// Allowed distance between `x-acs-date` and the server clock, in seconds.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Headers that must be signed.
pub const REQUIRED_SIGNED: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

/// The canonical query of a raw query: decoded (form rules) then re-encoded and sorted.
/// `None` when a component is not UTF-8.
pub fn canonical_query(raw: &str) -> Option<String> {
    let pairs = form_decode(raw)?;
    Some(canonical_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

/// The canonical request for the given signed `(name, value)` pairs.
pub fn canonical_request(
    method: &str,
    path: &str,
    canonical_query: &str,
    signed: &[(&str, &str)],
    payload_hash: &str,
) -> (String, String) {
    // ACS3 keeps the values' case; an empty path is `/`
    let path = if path.is_empty() { "/" } else { path };
    super::canonical_request(method, path, canonical_query, signed, payload_hash, false)
}

/// `ACS3-HMAC-SHA256\n<sha256(canonical)>`.
pub fn string_to_sign(canonical: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical.as_bytes()))
}

/// Hex HMAC-SHA256 of the string to sign with the raw secret.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    hex_lower(&hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()))
}

fn signs(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "host" || lower == "content-type" || lower.starts_with("x-acs-")
}

/// Signs `request` (carrying `x-acs-action`, `x-acs-version` and, with a body, `content-type`).
/// Returns the headers to set: `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
/// with STS `x-acs-accesskey-id` and `x-acs-security-token`, then `Authorization`.
pub fn sign(
    request: &HttpRequest,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<SigningOutput, Error> {
    let date = acs_date(params.time)
        .ok_or_else(|| Error::Signing(format!("time {} is out of range", params.time)))?;
    if params.nonce.is_empty() {
        return Err(Error::Signing(
            "ACS3 needs a non-empty x-acs-signature-nonce".into(),
        ));
    }
    let hash = payload_hash(request, &params.payload)?;
    let query = canonical_query(&request.query)
        .ok_or_else(|| Error::Signing("the query is not UTF-8 percent-encoding".into()))?;
    let mut added: Vec<(String, String)> = vec![
        ("x-acs-date".into(), date),
        ("x-acs-signature-nonce".into(), params.nonce.clone()),
        ("x-acs-content-sha256".into(), hash.clone()),
    ];
    if let Some(token) = credentials.session_token() {
        added.push(("x-acs-accesskey-id".into(), credentials.id.clone()));
        added.push(("x-acs-security-token".into(), token.to_string()));
    }
    let mut signed: Vec<(&str, &str)> = vec![("host", host_of(request))];
    for (n, v) in &request.headers {
        let replaced = added.iter().any(|(a, _)| a.eq_ignore_ascii_case(n));
        if signs(n) && !n.eq_ignore_ascii_case("host") && !replaced {
            signed.push((n.as_str(), v.as_str()));
        }
    }
    signed.extend(added.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    // a handful of headers: compared pairwise (no hash set in the wasm for them)
    if signed
        .iter()
        .enumerate()
        .any(|(i, (n, _))| signed[..i].iter().any(|(m, _)| m.eq_ignore_ascii_case(n)))
    {
        return Err(Error::Signing(
            "a signed header appears more than once".into(),
        ));
    }
    let (canonical, names) = canonical_request(
        request.method.as_str(),
        &request.path,
        &query,
        &signed,
        &hash,
    );
    let sts = string_to_sign(&canonical);
    let sig = signature(credentials.secret(), &sts);
    added.push((
        "Authorization".into(),
        format!(
            "{ALGORITHM} Credential={},SignedHeaders={names},Signature={sig}",
            credentials.id
        ),
    ));
    Ok(SigningOutput {
        headers: added,
        canonical_request: canonical,
        string_to_sign: sts,
        signature: sig,
        signed_headers: names,
    })
}

fn reject(code: &str, status: u16, message: impl Into<String>) -> ApiError {
    let class = match code {
        "InvalidParameter" | "MissingParameter" => ErrorClass::Invalid,
        _ => ErrorClass::Auth,
    };
    ApiError {
        code: code.to_string(),
        message: message.into(),
        request_id: None,
        http_status: Some(status),
        class,
        retryable: code == "InvalidTimeStamp.Expired",
    }
}

/// Verifies an ACS3-signed request as the Alibaba gateway would, answering with its codes:
/// `IncompleteSignature` (missing or malformed Authorization, a required header unsigned or a
/// signed header absent), `InvalidAccessKeyId.NotFound`, `MissingParameter` /
/// `InvalidTimeStamp.Format` / `InvalidTimeStamp.Expired` (more than 15 minutes from `now`),
/// `MissingSecurityToken` / `InvalidSecurityToken.Malformed`, `SignatureDoesNotMatch`
/// (signature, or `x-acs-content-sha256` not the hash of the body).
pub fn verify(
    request: &HttpRequest,
    store: &(impl CredentialStore + ?Sized),
    now: i64,
) -> Result<Verified, ApiError> {
    let mut auths = request.header_values("authorization");
    let auth = auths
        .next()
        .ok_or_else(|| reject("IncompleteSignature", 400, "Authorization header missing"))?;
    if auths.next().is_some() {
        return Err(reject(
            "IncompleteSignature",
            400,
            "more than one Authorization header",
        ));
    }
    let [key_id, signed, sig] = parse_authorization(auth, ALGORITHM).ok_or_else(|| {
        reject(
            "IncompleteSignature",
            400,
            "Authorization is not 'ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...'",
        )
    })?;
    let creds = store.find(key_id).ok_or_else(|| {
        reject(
            "InvalidAccessKeyId.NotFound",
            404,
            "Specified access key is not found.",
        )
    })?;
    let names = signed_header_list(signed).ok_or_else(|| {
        reject(
            "IncompleteSignature",
            400,
            "SignedHeaders must be lower-case, sorted and unique",
        )
    })?;
    let token = creds.session_token();
    let missing: Vec<&str> = REQUIRED_SIGNED
        .iter()
        .copied()
        .chain(token.map(|_| "x-acs-security-token"))
        .filter(|n| !names.contains(n))
        .collect();
    if !missing.is_empty() {
        return Err(reject(
            "IncompleteSignature",
            400,
            format!("SignedHeaders must include {}", missing.join(";")),
        ));
    }
    let date = request
        .header("x-acs-date")
        .ok_or_else(|| reject("MissingParameter", 400, "x-acs-date is missing"))?;
    let time = parse_acs_date(date.trim()).ok_or_else(|| {
        reject(
            "InvalidTimeStamp.Format",
            400,
            "Specified time stamp or date value is not well formatted.",
        )
    })?;
    if (now - time).abs() > WINDOW_SECS {
        return Err(reject(
            "InvalidTimeStamp.Expired",
            400,
            "Specified time stamp or date value is expired.",
        ));
    }
    let tokens: Vec<&str> = request.header_values("x-acs-security-token").collect();
    match token {
        Some(_) if tokens.is_empty() => {
            return Err(reject(
                "MissingSecurityToken",
                400,
                "x-acs-security-token is missing",
            ))
        }
        Some(want) if tokens.len() != 1 || tokens[0].trim() != want => {
            return Err(reject(
                "InvalidSecurityToken.Malformed",
                400,
                "the security token is invalid",
            ))
        }
        None if !tokens.is_empty() => {
            return Err(reject(
                "InvalidSecurityToken.Malformed",
                400,
                "x-acs-security-token sent with a permanent key",
            ))
        }
        _ => {}
    }
    let ids: Vec<&str> = request.header_values("x-acs-accesskey-id").collect();
    if !ids.is_empty() && (ids.len() != 1 || ids[0].trim() != creds.id) {
        return Err(reject(
            "InvalidAccessKeyId.NotFound",
            404,
            "x-acs-accesskey-id does not match",
        ));
    }
    let body_hash = sha256_hex(&request.body);
    if let Some(h) = request.header("x-acs-content-sha256") {
        if h.trim() != body_hash {
            return Err(reject(
                "SignatureDoesNotMatch",
                400,
                "x-acs-content-sha256 is not the SHA-256 of the body",
            ));
        }
    }
    let query = canonical_query(&request.query).ok_or_else(|| {
        reject(
            "InvalidParameter",
            400,
            "the query is not UTF-8 percent-encoding",
        )
    })?;
    let pairs =
        super::signed_values(request, &names).map_err(|m| reject("IncompleteSignature", 400, m))?;
    let (canonical, _) = canonical_request(
        request.method.as_str(),
        &request.path,
        &query,
        &pairs,
        &body_hash,
    );
    let want = signature(creds.secret(), &string_to_sign(&canonical));
    if !is_hex64(sig) || !ct_eq(sig, &want) {
        return Err(reject(
            "SignatureDoesNotMatch",
            400,
            "Specified signature is not matched with our calculation.",
        ));
    }
    Ok(Verified {
        key_id: key_id.to_string(),
        time,
        canonical_request: canonical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn spec_6_2_official_example() {
        let query =
            "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai";
        let (canonical, names) = canonical_request(
            "POST",
            "/",
            &canonical_query(query).unwrap(),
            &[
                ("host", "ecs.cn-shanghai.aliyuncs.com"),
                ("x-acs-action", "RunInstances"),
                ("x-acs-content-sha256", EMPTY),
                ("x-acs-date", "2023-10-26T10:22:32Z"),
                ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
                ("x-acs-version", "2014-05-26"),
            ],
            EMPTY,
        );
        assert_eq!(
            names,
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        );
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            signature("YourAccessKeySecret", &string_to_sign(&canonical)),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn spec_6_3_esa_preload_caches() {
        let mut req = HttpRequest::new(Method::Post, "esa.cn-hangzhou.aliyuncs.com");
        req.query =
            "Content=%5B%22https%3A%2F%2Fwww.example.com%2Fa.txt%22%5D&SiteId=123456789".into();
        req.headers
            .push(("x-acs-action".into(), "PreloadCaches".into()));
        req.headers
            .push(("x-acs-version".into(), "2024-09-10".into()));
        let creds = Credentials::new("AKID", "TESTSECRET");
        let t = parse_acs_date("2024-01-01T00:00:00Z").unwrap();
        let out = sign(
            &req,
            &creds,
            &SigningParams::new(t, "0123456789abcdef0123456789abcdef"),
        )
        .unwrap();
        assert_eq!(
            sha256_hex(out.canonical_request.as_bytes()),
            "862346e535c078f54e4cfdb55ff138b143115d3283ad37f486f11be872fa1f7c"
        );
        assert_eq!(
            out.signature,
            "c21678503a372f2dd1436bf6be0fd74b1fb2ec823c192b36e7716f413a6e3a13"
        );
        out.apply_to(&mut req);
        assert!(verify(&req, &creds, t + 899).is_ok());
        assert_eq!(
            verify(&req, &creds, t + 901).unwrap_err().code,
            "InvalidTimeStamp.Expired"
        );
        req.query = req.query.replace("SiteId=123456789", "SiteId=123456780");
        assert_eq!(
            verify(&req, &creds, t).unwrap_err().code,
            "SignatureDoesNotMatch"
        );
    }

    #[test]
    fn acs_date_round_trips() {
        assert_eq!(acs_date(1709208000).unwrap(), "2024-02-29T12:00:00Z");
        assert_eq!(parse_acs_date("2024-02-29T12:00:00Z"), Some(1709208000));
        assert_eq!(parse_acs_date("2024-02-29T12:00:00.1Z"), None);
        assert_eq!(parse_acs_date("2024-02-30T12:00:00Z"), None);
    }
}
