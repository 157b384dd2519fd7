//! Property tests of canonicalisation: query and form encoding round trips, header-name case
//! and order independence, Unicode everywhere, and sign → verify agreement for both schemes.

use edgewarm::encoding::{canonical_pairs, form_decode, rfc3986};
use edgewarm::sign::{acs3, tc3};
use edgewarm::vendor::edgeone::CreatePrefetchTask;
use edgewarm::vendor::esa::CreateScheduledPreloadJob;
use edgewarm::{sign, Call, Credentials, Endpoint, Service, SigningParams, Site};
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[a-zA-Z0-9 +%&=~*'!()/?#\\-_.]*",
        proptest::collection::vec(any::<char>(), 0..40).prop_map(|v| v.into_iter().collect()),
    ]
}

// 1970 .. 9999-12-31
fn any_time() -> impl Strategy<Value = i64> {
    0i64..253_402_300_799
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rfc3986_round_trips_through_form_decoding(s in any_text()) {
        let encoded = rfc3986(&s);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
        let decoded = form_decode(&format!("k={encoded}")).unwrap();
        prop_assert_eq!(&decoded[0].1, &s);
    }

    #[test]
    fn canonical_query_is_order_and_plus_insensitive(
        pairs in proptest::collection::vec((any_text(), any_text()), 0..8)
    ) {
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let canonical = canonical_pairs(refs.iter().copied());
        // reversed order, spaces sent as '+': same canonical form
        let mut reversed: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v).replace("%20", "+")))
            .collect();
        reversed.reverse();
        prop_assert_eq!(acs3::canonical_query(&reversed.join("&")).unwrap(), canonical.clone());
        // and it decodes back to the same multiset
        let mut back = form_decode(&canonical).unwrap();
        let mut want = pairs.clone();
        back.sort();
        want.sort();
        prop_assert_eq!(back, want);
    }

    #[test]
    fn acs3_sign_verify_agree_for_any_job(
        name in any_text(),
        urls in any_text(),
        site in any::<i64>(),
        time in any_time(),
        nonce in "[0-9a-f]{32}",
        token in proptest::option::of("[A-Za-z0-9+/=]{1,40}"),
    ) {
        let op = CreateScheduledPreloadJob {
            insert_way: Some("textBox".into()),
            name: Some(name.clone()),
            oss_url: None,
            site_id: Some(site),
            url_list: Some(urls.clone()),
        };
        let mut req = op.build(&Endpoint::esa("cn-hangzhou").unwrap());
        let mut creds = Credentials::new("LTAIPROP", "prop-secret");
        if let Some(t) = token { creds = creds.with_token(t); }
        sign::sign_request(&mut req, Service::Esa, &creds, &SigningParams::new(time, nonce)).unwrap();
        prop_assert!(acs3::verify(&req, &creds, time).is_ok());
        // header names in any case and order
        let mut shuffled = req.clone();
        shuffled.headers.reverse();
        for (n, _) in shuffled.headers.iter_mut() { *n = n.to_ascii_uppercase(); }
        prop_assert!(acs3::verify(&shuffled, &creds, time + 60).is_ok());
        // the form body carries the values exactly
        let form = form_decode(std::str::from_utf8(&req.body).unwrap()).unwrap();
        prop_assert!(form.contains(&("Name".to_string(), name)));
        prop_assert!(form.contains(&("UrlList".to_string(), urls)));
        // any change of the body breaks the signature
        let mut tampered = req.clone();
        tampered.body.push(b'x');
        prop_assert!(acs3::verify(&tampered, &creds, time).is_err());
    }

    #[test]
    fn tc3_sign_verify_agree_for_any_targets(
        targets in proptest::collection::vec(any_text(), 0..5),
        zone in any_text(),
        time in any_time(),
        intl in any::<bool>(),
    ) {
        let op = CreatePrefetchTask { zone_id: Some(zone), targets: Some(targets.clone()), ..Default::default() };
        let site = if intl { Site::Intl } else { Site::China };
        let mut req = op.build(&Endpoint::tencent(Service::Teo, site));
        let creds = Credentials::new("AKIDPROP", "prop-secret");
        sign::sign_request(&mut req, Service::Teo, &creds, &SigningParams::new(time, "")).unwrap();
        prop_assert!(tc3::verify(&req, &creds, time + 299).is_ok());
        prop_assert_eq!(
            tc3::verify(&req, &creds, time + 301).unwrap_err().code,
            "AuthFailure.SignatureExpire"
        );
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        prop_assert_eq!(&body["Targets"], &serde_json::json!(targets));
        let mut upper = req.clone();
        for (n, _) in upper.headers.iter_mut() { *n = n.to_ascii_lowercase(); }
        upper.headers.reverse();
        prop_assert!(tc3::verify(&upper, &creds, time).is_ok());
    }

    #[test]
    fn tc3_header_values_are_normalised(value in "[ \t]*[a-zA-Z/;=-]{1,30}[ \t]*") {
        let (a, _) = tc3::canonical_request("POST", "/", "", &[("Content-Type", &value)], "h");
        let (b, _) = tc3::canonical_request("POST", "/", "", &[("content-type", value.trim())], "h");
        prop_assert_eq!(a, b);
    }
}

proptest! {
    /// The fast URL check and the full preparation always agree on what is valid (with the
    /// `url` feature's parser; the host parser is checked in tests/npm/call.test.mjs).
    #[cfg(feature = "url")]
    #[test]
    fn fast_url_check_agrees_with_full_preparation(
        scheme in prop::sample::select(vec!["http://", "https://", "HTTP://", "ftp://", ""]),
        host in "[a-zA-Z0-9.-]{0,20}|[a-z]{1,3}\\.(0[xX][0-9a-fA-F]{0,3}|[0-9]{1,3})\\.?|xn--[a-z0-9]{1,8}\\.com|[0-9]{1,3}(\\.[0-9]{1,3}){3}|[^/]{0,12}",
        port in prop::option::of("[0-9]{0,6}|x"),
        tail in "(/[a-zA-Z0-9._~%!$&'()*+,;=:@?#\\[\\] -]{0,20}){0,3}|[^ ]{0,10}",
        service in prop::sample::select(vec![Service::Teo, Service::Cdn, Service::Esa]),
    ) {
        let url = format!("{scheme}{host}{}{tail}", port.map(|p| format!(":{p}")).unwrap_or_default());
        let fast = edgewarm::urls::check(&url, service).is_ok();
        let full = edgewarm::urls::prepare(&url, service).is_ok();
        prop_assert_eq!(fast, full, "{}", url);
    }
}
