//! # edgewarm — the sans-IO core
//!
//! Builds, validates, signs, verifies and parses the cache prefetch ("preheat", "preload") calls
//! of **Tencent Cloud EdgeOne** (`teo` 2022-09-01), **Tencent Cloud CDN** (`cdn` 2018-06-06) and
//! **Alibaba Cloud ESA** (`esa` 2024-09-10). It never does I/O and never reads the clock or a
//! random source: the time and the nonce are parameters, so the same code runs natively, in a
//! browser, in Node and in an edge worker, and every output is reproducible.
//!
//! The flow of one call: typed parameters → [`Call::validate`] → [`Call::build`] (an unsigned
//! [`HttpRequest`]) → [`sign::sign_request`] (TC3 or ACS3) → *the shell sends it* →
//! [`response::parse`] (typed output or a classified [`ApiError`]).
//!
//! ## EdgeOne
//!
//! ```
//! use edgewarm::{sign, Call, Credentials, Endpoint, Limits, Service, Site, SigningParams};
//! use edgewarm::vendor::edgeone::CreatePrefetchTask;
//!
//! let op = CreatePrefetchTask {
//!     zone_id: Some("zone-2noz78a6ig3s".into()),
//!     targets: Some(vec!["https://www.example.com/app.js".into()]),
//!     ..Default::default()
//! };
//! op.validate(&Limits::default()).expect("valid");
//! let mut req = op.build(&Endpoint::tencent(Service::Teo, Site::China));
//! let creds = Credentials::new("AKIDEXAMPLE", "secret");
//! let out = sign::sign_request(&mut req, Service::Teo, &creds, &SigningParams::new(1_700_000_000, "")).unwrap();
//! assert!(out.authorization().starts_with("TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/teo/tc3_request"));
//! assert!(sign::tc3::verify(&req, &creds, 1_700_000_010).is_ok());
//! ```
//!
//! ## Tencent CDN
//!
//! ```
//! use edgewarm::{response, Call, Endpoint, Limits, Rule, Service, Site};
//! use edgewarm::vendor::cdn::PushUrlsCache;
//!
//! let op = PushUrlsCache { urls: Some(vec!["https://*.example.com/a.js".into()]), ..Default::default() };
//! let err = op.validate(&Limits::default()).unwrap_err();
//! assert_eq!(err.errors[0].field, "Urls[0]");
//! assert_eq!(err.errors[0].rule, Rule::Wildcard);
//!
//! let answer = br#"{"Response": {"TaskId": "15475444535871929928456", "RequestId": "r"}}"#;
//! let out = response::parse::<PushUrlsCache>(200, answer).unwrap();
//! assert_eq!(out.task_id, "15475444535871929928456");
//! ```
//!
//! ## Alibaba ESA
//!
//! ```
//! use edgewarm::{sign, Call, Credentials, Endpoint, Service, SigningParams};
//! use edgewarm::vendor::esa::PreloadCaches;
//!
//! let op = PreloadCaches {
//!     site_id: Some(123456789),
//!     content: Some(vec!["https://www.example.com/a.txt".into()]),
//!     headers: None,
//! };
//! let mut req = op.build(&Endpoint::esa("cn-hangzhou").unwrap());
//! assert_eq!(req.query, "Content=%5B%22https%3A%2F%2Fwww.example.com%2Fa.txt%22%5D&SiteId=123456789");
//! let creds = Credentials::new("LTAIEXAMPLE", "secret");
//! let params = SigningParams::new(1_704_067_200, "0123456789abcdef0123456789abcdef");
//! let out = sign::sign_request(&mut req, Service::Esa, &creds, &params).unwrap();
//! assert!(out.string_to_sign.starts_with("ACS3-HMAC-SHA256\n"));
//! assert!(sign::acs3::verify(&req, &creds, 1_704_067_200).is_ok());
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod credentials;
pub mod encoding;
pub mod error;
pub mod export;
pub mod headers;
pub mod host_name;
#[cfg(feature = "jobs")]
pub mod job;
pub mod limits;
pub mod operation;
pub mod proxy_policy;
pub mod rebuild;
pub mod record;
pub mod request;
pub mod response;
pub mod sign;
#[cfg(feature = "sources")]
pub mod sources;
pub mod status;
pub mod task_rows;
pub mod times;
pub mod url_list;
pub mod urls;
mod validate;
pub mod value_de;
pub mod value_ser;
pub mod vendor;

pub use credentials::{CredentialStore, Credentials};
pub use error::{ApiError, Error, ErrorClass, Rule, ValidationError, ValidationErrors};
pub use headers::Headers;
pub use limits::Limits;
pub use operation::{Operation, Output, OPERATIONS, OPERATION_NAMES};
pub use request::{HttpRequest, Method};
pub use sign::{PayloadHash, SigningOutput, SigningParams, Verified};
pub use vendor::{Call, Cloud, Endpoint, Service, Site};
