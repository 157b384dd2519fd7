//! TC3-HMAC-SHA256, the Tencent Cloud API 3.0 signature (`teo`, `cdn`), signer and verifier.
//!
//! Rules (Tencent Cloud API 3.0 "Signature v3" page, TC3-HMAC-SHA256): canonical request `METHOD\n/\nQUERY\nHEADERS\nSIGNED\nHASH` with the signed
//! headers `name:lower(trim(value))` sorted; credential scope `<UTC date of the timestamp>/<service>/
//! tc3_request`; key chain `HMAC("TC3"+secret, date)` → service → `tc3_request`; Authorization
//! `TC3-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` (comma + space). edgewarm signs
//! `content-type;host`, as all three official SDKs do. `X-TC-Token` is not signed by anyone, so
//! the verifier checks it against the session token itself.

use super::{
    host_of, parse_authorization, payload_hash, signed_header_list, SigningOutput, SigningParams,
    Verified,
};
use crate::credentials::{CredentialStore, Credentials};
use crate::encoding::{ct_eq, hex_lower, hmac_sha256, is_hex64, sha256_hex};
use crate::error::{ApiError, Error, ErrorClass};
use crate::request::HttpRequest;

/// The algorithm name.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// Allowed distance between `X-TC-Timestamp` and the server clock, in seconds.
pub const WINDOW_SECS: i64 = 300;
/// The headers edgewarm signs.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// `YYYY-MM-DD`, the UTC date of a unix time; `None` outside the representable range.
pub fn utc_date(time: i64) -> Option<String> {
    let dt = time::OffsetDateTime::from_unix_timestamp(time).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        dt.year(),
        u8::from(dt.month()),
        dt.day()
    ))
}

/// The canonical request for the given signed `(name, value)` pairs.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    signed: &[(&str, &str)],
    payload_hash: &str,
) -> (String, String) {
    // TC3 lower-cases the values too
    super::canonical_request(method, path, query, signed, payload_hash, true)
}

/// `TC3-HMAC-SHA256\n<timestamp>\n<scope>\n<sha256(canonical)>`.
pub fn string_to_sign(timestamp: &str, scope: &str, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{timestamp}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    )
}

/// Hex signature of `string_to_sign` with the derived key for `date` and `service`.
pub fn signature(secret: &str, date: &str, service: &str, string_to_sign: &str) -> String {
    let k_date = hmac_sha256(format!("TC3{secret}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    hex_lower(&hmac_sha256(&k_signing, string_to_sign.as_bytes()))
}

/// Signs `request` (which must already carry `Content-Type`) for `service` (`teo`, `cdn`).
/// Returns the headers to set: `X-TC-Timestamp`, `X-TC-Token` (STS only) and `Authorization`.
pub fn sign(
    request: &HttpRequest,
    service: &str,
    credentials: &Credentials,
    params: &SigningParams,
) -> Result<SigningOutput, Error> {
    let date = utc_date(params.time)
        .ok_or_else(|| Error::Signing(format!("time {} is out of range", params.time)))?;
    let content_type = request
        .header("content-type")
        .ok_or_else(|| Error::Signing("TC3 needs exactly one Content-Type header".into()))?;
    let hash = payload_hash(request, &params.payload)?;
    let host = host_of(request);
    let (canonical, signed) = canonical_request(
        request.method.as_str(),
        &request.path,
        &request.query,
        &[("content-type", content_type), ("host", host)],
        &hash,
    );
    let timestamp = params.time.to_string();
    let scope = format!("{date}/{service}/tc3_request");
    let sts = string_to_sign(&timestamp, &scope, &canonical);
    let sig = signature(credentials.secret(), &date, service, &sts);
    let mut headers = vec![("X-TC-Timestamp".to_string(), timestamp)];
    if let Some(token) = credentials.session_token() {
        headers.push(("X-TC-Token".to_string(), token.to_string()));
    }
    headers.push((
        "Authorization".to_string(),
        format!(
            "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed}, Signature={sig}",
            credentials.id
        ),
    ));
    Ok(SigningOutput {
        headers,
        canonical_request: canonical,
        string_to_sign: sts,
        signature: sig,
        signed_headers: signed,
    })
}

fn reject(code: &str, message: impl Into<String>) -> ApiError {
    let retryable = code == "AuthFailure.SignatureExpire";
    let class = match code {
        "MissingParameter" | "InvalidParameterValue" => ErrorClass::Invalid,
        _ => ErrorClass::Auth,
    };
    ApiError {
        code: code.to_string(),
        message: message.into(),
        request_id: None,
        http_status: Some(200),
        class,
        retryable,
    }
}

/// Verifies a TC3-signed request as the Tencent gateway would, answering with its error codes:
/// `AuthFailure.InvalidAuthorization` (missing or malformed Authorization, `content-type` or
/// `host` not signed), `AuthFailure.SecretIdNotFound`, `AuthFailure.SignatureExpire` (more than
/// 5 minutes from `now`), `AuthFailure.TokenFailure`, `AuthFailure.SignatureFailure` (signature,
/// scope date or service), `MissingParameter` / `InvalidParameterValue` (`X-TC-Timestamp`).
/// The scope's service must be the first label of the Host.
pub fn verify(
    request: &HttpRequest,
    store: &(impl CredentialStore + ?Sized),
    now: i64,
) -> Result<Verified, ApiError> {
    let mut auths = request.header_values("authorization");
    let auth = auths.next().ok_or_else(|| {
        reject(
            "AuthFailure.InvalidAuthorization",
            "Authorization header missing",
        )
    })?;
    if auths.next().is_some() {
        return Err(reject(
            "AuthFailure.InvalidAuthorization",
            "more than one Authorization header",
        ));
    }
    let [credential, signed, sig] = parse_authorization(auth, ALGORITHM).ok_or_else(|| {
        reject(
            "AuthFailure.InvalidAuthorization",
            "Authorization is not 'TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'",
        )
    })?;
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 4 || parts[3] != "tc3_request" || parts.iter().any(|p| p.is_empty()) {
        return Err(reject(
            "AuthFailure.InvalidAuthorization",
            "Credential is not <SecretId>/<date>/<service>/tc3_request",
        ));
    }
    let (key_id, scope_date, scope_service) = (parts[0], parts[1], parts[2]);
    let creds = store
        .find(key_id)
        .ok_or_else(|| reject("AuthFailure.SecretIdNotFound", "The SecretId is not found"))?;
    let names = signed_header_list(signed).ok_or_else(|| {
        reject(
            "AuthFailure.InvalidAuthorization",
            "SignedHeaders must be lower-case, sorted, unique",
        )
    })?;
    if !names.contains(&"content-type") || !names.contains(&"host") {
        return Err(reject(
            "AuthFailure.InvalidAuthorization",
            "SignedHeaders must include content-type and host",
        ));
    }
    let ts_text = request
        .header("x-tc-timestamp")
        .ok_or_else(|| reject("MissingParameter", "X-TC-Timestamp is missing"))?
        .trim();
    let ts: i64 = match ts_text.len() {
        1..=12 if ts_text.bytes().all(|b| b.is_ascii_digit()) => ts_text.parse().unwrap_or(-1),
        _ => -1,
    };
    if ts < 0 {
        return Err(reject(
            "InvalidParameterValue",
            "X-TC-Timestamp is not a unix time in seconds",
        ));
    }
    if utc_date(ts).as_deref() != Some(scope_date) {
        return Err(reject(
            "AuthFailure.SignatureFailure",
            "the credential scope date is not the UTC date of X-TC-Timestamp",
        ));
    }
    let host = host_of(request).to_ascii_lowercase();
    let want_service = host.split('.').next().unwrap_or("");
    if scope_service != want_service {
        return Err(reject(
            "AuthFailure.SignatureFailure",
            format!("the credential scope service {scope_service:?} is not {want_service:?}"),
        ));
    }
    if (now - ts).abs() > WINDOW_SECS {
        return Err(reject(
            "AuthFailure.SignatureExpire",
            format!(
                "Signature expired. Timestamp and server time cannot differ by more than five \
                 minutes; server time {now}"
            ),
        ));
    }
    let tokens: Vec<&str> = request.header_values("x-tc-token").collect();
    match creds.session_token() {
        Some(want) if tokens.len() != 1 || tokens[0].trim() != want => {
            return Err(reject(
                "AuthFailure.TokenFailure",
                "X-TC-Token is missing or invalid",
            ));
        }
        None if !tokens.is_empty() => {
            return Err(reject(
                "AuthFailure.TokenFailure",
                "X-TC-Token sent with a permanent key",
            ));
        }
        _ => {}
    }
    let pairs = super::signed_values(request, &names)
        .map_err(|m| reject("AuthFailure.InvalidAuthorization", m))?;
    let hash = sha256_hex(&request.body);
    let (canonical, _) = canonical_request(
        request.method.as_str(),
        &request.path,
        &request.query,
        &pairs,
        &hash,
    );
    let scope = format!("{scope_date}/{scope_service}/tc3_request");
    let sts = string_to_sign(ts_text, &scope, &canonical);
    let want = signature(creds.secret(), scope_date, scope_service, &sts);
    if !is_hex64(sig) || !ct_eq(sig, &want) {
        return Err(reject(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        ));
    }
    Ok(Verified {
        key_id: key_id.to_string(),
        time: ts,
        canonical_request: canonical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    /// The signature of the documentation's example (date 2019-02-25, service `cvm`).
    fn doc_signature(secret: &str, sts: &str) -> String {
        signature(secret, "2019-02-25", "cvm", sts)
    }

    fn doc_canonical(extra: &[(&str, &str)]) -> (String, String) {
        let mut signed = vec![
            ("content-type", "application/json; charset=utf-8"),
            ("host", "cvm.tencentcloudapi.com"),
        ];
        signed.extend_from_slice(extra);
        canonical_request("POST", "/", "", &signed, &sha256_hex(BODY.as_bytes()))
    }

    #[test]
    fn spec_6_1_vector_a() {
        assert_eq!(
            sha256_hex(BODY.as_bytes()),
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let (canonical, signed) = doc_canonical(&[]);
        assert_eq!(signed, "content-type;host");
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(utc_date(1551113065).unwrap(), "2019-02-25");
        let sts = string_to_sign("1551113065", "2019-02-25/cvm/tc3_request", &canonical);
        assert_eq!(
            doc_signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &sts),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    #[test]
    fn spec_6_1_vector_b() {
        let (canonical, _) = doc_canonical(&[]);
        let sts = string_to_sign("1551113065", "2019-02-25/cvm/tc3_request", &canonical);
        assert_eq!(
            doc_signature("Gu5t9xGARNpq86cd98joQYCN3*******", &sts),
            "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
    }

    #[test]
    fn spec_6_1_vector_c_signs_lowercased_action() {
        let (canonical, signed) = doc_canonical(&[("X-TC-Action", "DescribeInstances")]);
        assert_eq!(signed, "content-type;host;x-tc-action");
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84"
        );
        let sts = string_to_sign("1551113065", "2019-02-25/cvm/tc3_request", &canonical);
        assert_eq!(
            doc_signature("Gu5t9xGARNpq86cd98joQYCN3*******", &sts),
            "be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3"
        );
        assert_eq!(
            doc_signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &sts),
            "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26"
        );
    }

    #[test]
    fn spec_6_3_teo_create_prefetch_task() {
        let body = r#"{"ZoneId":"zone-2o0l8ixxxxxx","Targets":["https://www.example.com/a.txt"]}"#;
        let mut req = HttpRequest::new(crate::request::Method::Post, "teo.tencentcloudapi.com");
        req.headers.push((
            "Content-Type".into(),
            "application/json; charset=utf-8".into(),
        ));
        req.body = body.as_bytes().to_vec();
        let creds = Credentials::new("AKIDTEST", "TESTSECRETKEY");
        let out = sign(&req, "teo", &creds, &SigningParams::new(1_700_000_000, "")).unwrap();
        assert_eq!(
            sha256_hex(out.canonical_request.as_bytes()),
            "fa47f92b7d4e5df8c91279b35f61734385e3e456871f2f4f8ec450a4b17263a4"
        );
        assert_eq!(
            out.signature,
            "49c7f8534e76bd3a894a262a47fc05d623565e5208e3f3bdbe3f63f3af0060a7"
        );
        out.apply_to(&mut req);
        assert!(verify(&req, &creds, 1_700_000_100).is_ok());
        assert_eq!(
            verify(&req, &creds, 1_700_000_301).unwrap_err().code,
            "AuthFailure.SignatureExpire"
        );
    }

    #[test]
    fn utc_date_is_utc_not_local() {
        assert_eq!(utc_date(1704067199).unwrap(), "2023-12-31");
        assert_eq!(utc_date(1718469000).unwrap(), "2024-06-15");
        assert!(utc_date(i64::MAX).is_none());
    }
}
