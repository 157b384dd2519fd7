//! Signing behaviour beyond the published examples: precomputed payload hashes, STS headers,
//! the explain fields, secret hygiene and the verifier's codes for each failure.

use edgewarm::encoding::sha256_hex;
use edgewarm::sign::{self, acs3, tc3};
use edgewarm::vendor::{cdn, esa};
use edgewarm::{Call, Credentials, Endpoint, PayloadHash, Service, SigningParams, Site};

const SECRET: &str = "very-secret-key-123";

fn esa_request() -> edgewarm::HttpRequest {
    let op = esa::CreateScheduledPreloadJob {
        insert_way: Some("textBox".into()),
        name: Some("job".into()),
        site_id: Some(100000001),
        url_list: Some("https://www.example.com/a\nhttps://www.example.com/b".into()),
        oss_url: None,
    };
    op.build(&Endpoint::esa("cn-hangzhou").unwrap())
}

/// The ESA request above, signed at 1 700 000 000 with nonce "n", and the signer's explanation.
fn signed_esa(creds: &Credentials) -> (edgewarm::HttpRequest, sign::SigningOutput) {
    let mut req = esa_request();
    let out = sign::sign_request(
        &mut req,
        Service::Esa,
        creds,
        &SigningParams::new(1_700_000_000, "n"),
    )
    .unwrap();
    (req, out)
}

/// A Tencent CDN `DescribePushQuota` request signed at 1 700 000 000.
fn signed_quota(creds: &Credentials) -> edgewarm::HttpRequest {
    let mut t = cdn::DescribePushQuota {}.build(&Endpoint::tencent(Service::Cdn, Site::China));
    sign::sign_request(
        &mut t,
        Service::Cdn,
        creds,
        &SigningParams::new(1_700_000_000, ""),
    )
    .unwrap();
    t
}

#[test]
fn precomputed_payload_hash_signs_alike() {
    let creds = Credentials::new("LTAI", SECRET);
    let req = esa_request();
    let hashed = SigningParams::new(1_700_000_000, "n1");
    let pre = SigningParams {
        payload: PayloadHash::Precomputed(sha256_hex(&req.body)),
        ..hashed.clone()
    };
    let a = acs3::sign(&req, &creds, &hashed).unwrap();
    let b = acs3::sign(&req, &creds, &pre).unwrap();
    assert_eq!(a, b);
    let tc = cdn::PushUrlsCache {
        urls: Some(vec!["https://www.example.com/x".into()]),
        ..Default::default()
    }
    .build(&Endpoint::tencent(Service::Cdn, Site::China));
    let pre = SigningParams {
        payload: PayloadHash::Precomputed(sha256_hex(&tc.body)),
        ..hashed.clone()
    };
    assert_eq!(
        tc3::sign(&tc, "cdn", &creds, &hashed).unwrap(),
        tc3::sign(&tc, "cdn", &creds, &pre).unwrap()
    );
    let bad = SigningParams {
        payload: PayloadHash::Precomputed("XYZ".into()),
        ..hashed
    };
    assert!(matches!(
        acs3::sign(&req, &creds, &bad),
        Err(edgewarm::Error::Signing(_))
    ));
}

#[test]
fn sts_headers_and_checks() {
    let creds = Credentials::new("STS.id", SECRET).with_token("session-token");
    let (req, out) = signed_esa(&creds);
    assert!(out.signed_headers.contains("x-acs-security-token"));
    assert_eq!(req.header("x-acs-security-token"), Some("session-token"));
    assert_eq!(req.header("x-acs-accesskey-id"), Some("STS.id"));
    assert!(acs3::verify(&req, &creds, 1_700_000_000).is_ok());
    let permanent = Credentials::new("STS.id", SECRET);
    assert_eq!(
        acs3::verify(&req, &permanent, 1_700_000_000)
            .unwrap_err()
            .code,
        "InvalidSecurityToken.Malformed"
    );

    let tcreds = Credentials::new("AKIDsts", SECRET).with_token("tc-token");
    let mut t = signed_quota(&tcreds);
    assert_eq!(t.header("X-TC-Token"), Some("tc-token"));
    assert!(tc3::verify(&t, &tcreds, 1_700_000_000).is_ok());
    t.set_header("X-TC-Token", "other");
    assert_eq!(
        tc3::verify(&t, &tcreds, 1_700_000_000).unwrap_err().code,
        "AuthFailure.TokenFailure"
    );
}

#[test]
fn verifier_codes() {
    let creds = Credentials::new("AKIDv", SECRET);
    let t = signed_quota(&creds);
    let other = Credentials::new("AKIDother", SECRET);
    assert_eq!(
        tc3::verify(&t, &other, 1_700_000_000).unwrap_err().code,
        "AuthFailure.SecretIdNotFound"
    );
    let mut no_auth = t.clone();
    no_auth.remove_header("Authorization");
    assert_eq!(
        tc3::verify(&no_auth, &creds, 1_700_000_000)
            .unwrap_err()
            .code,
        "AuthFailure.InvalidAuthorization"
    );
    assert_eq!(
        tc3::verify(&t, &creds, 1_699_999_600).unwrap_err().code,
        "AuthFailure.SignatureExpire"
    );
    let mut wrong_host = t.clone();
    wrong_host.host = "cdn.intl.tencentcloudapi.com".into();
    assert_eq!(
        tc3::verify(&wrong_host, &creds, 1_700_000_000)
            .unwrap_err()
            .code,
        "AuthFailure.SignatureFailure"
    );
    let wrong_key = Credentials::new("AKIDv", "another");
    assert_eq!(
        tc3::verify(&t, &wrong_key, 1_700_000_000).unwrap_err().code,
        "AuthFailure.SignatureFailure"
    );
    // the store may hold several keys
    let store = vec![other, creds.clone()];
    assert_eq!(
        sign::verify_request(&t, store.as_slice(), 1_700_000_000)
            .unwrap()
            .key_id,
        "AKIDv"
    );

    let (a, _) = signed_esa(&creds);
    assert_eq!(
        acs3::verify(&a, &Credentials::new("x", SECRET), 1_700_000_000)
            .unwrap_err()
            .code,
        "InvalidAccessKeyId.NotFound"
    );
    assert_eq!(
        acs3::verify(&a, &creds, 1_700_001_000).unwrap_err().code,
        "InvalidTimeStamp.Expired"
    );
    let mut bad_date = a.clone();
    bad_date.set_header("x-acs-date", "yesterday");
    assert_eq!(
        acs3::verify(&bad_date, &creds, 1_700_000_000)
            .unwrap_err()
            .code,
        "InvalidTimeStamp.Format"
    );
    let mut body = a.clone();
    body.body.push(b'&');
    assert_eq!(
        acs3::verify(&body, &creds, 1_700_000_000).unwrap_err().code,
        "SignatureDoesNotMatch"
    );
    assert!(sign::verify_request(&a, &creds, 1_700_000_000).is_ok());
}

#[test]
fn explain_fields_and_secret_hygiene() {
    let creds = Credentials::new("LTAI", SECRET).with_token("tok");
    let (req, out) = signed_esa(&creds);
    assert!(out.canonical_request.starts_with("POST\n/\n\n"));
    assert!(out
        .string_to_sign
        .ends_with(&sha256_hex(out.canonical_request.as_bytes())));
    let everything = format!(
        "{out:?}{req:?}{creds:?}{}",
        serde_json::to_string(&out).unwrap()
    );
    assert!(!everything.contains(SECRET), "secret leaked");
    assert!(
        !format!("{creds:?}").contains("tok\""),
        "token leaked in Debug"
    );
}

#[test]
fn header_order_is_free_but_each_signed_header_must_be_single() {
    let creds = Credentials::new("LTAI", SECRET);
    let (req, _) = signed_esa(&creds);
    let mut dup = req.clone();
    dup.headers
        .push(("x-acs-action".into(), "PreloadCaches".into()));
    assert_eq!(
        acs3::verify(&dup, &creds, 1_700_000_000).unwrap_err().code,
        "IncompleteSignature"
    );
}

#[test]
fn payload_hash_reads_as_kind_and_sha256() {
    let read = |json: &str| serde_json::from_str::<PayloadHash>(json).map_err(|e| e.to_string());
    let hash = "a".repeat(64);
    assert_eq!(read(r#"{"kind":"fromBody"}"#), Ok(PayloadHash::FromBody));
    assert_eq!(
        read(r#"{"kind":"fromBody","sha256":null}"#),
        Ok(PayloadHash::FromBody)
    );
    let want = Ok(PayloadHash::Precomputed(hash.clone()));
    assert_eq!(
        read(&format!(r#"{{"kind":"precomputed","sha256":"{hash}"}}"#)),
        want
    );
    assert_eq!(
        read(&format!(r#"{{"sha256":"{hash}","kind":"precomputed"}}"#)),
        want
    );
    // written as read
    let text = serde_json::to_string(&PayloadHash::Precomputed(hash.clone())).unwrap();
    assert_eq!(
        text,
        format!(r#"{{"kind":"precomputed","sha256":"{hash}"}}"#)
    );
    assert_eq!(
        serde_json::to_string(&PayloadHash::FromBody).unwrap(),
        r#"{"kind":"fromBody"}"#
    );
    for (bad, says) in [
        (r#"{"kind":"precomputed"}"#, "missing field `sha256`"),
        (r#"{"kind":"fromBody","sha256":"ab"}"#, "takes no sha256"),
        (r#"{"kind":"other"}"#, "unknown variant `other`"),
        (r#"{"sha256":"ab"}"#, "missing field `kind`"),
    ] {
        let err = read(bad).unwrap_err();
        assert!(err.contains(says), "{bad}: {err}");
    }
}
