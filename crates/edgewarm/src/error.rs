//! Errors of the core, in two families: [`Error`] for what went wrong on our side of the wire
//! (bad input caught by validation, a response we cannot read) and [`ApiError`] for what a vendor
//! answered. Both are plain data (serde) so every shell — wasm, CLI, console — can show them and
//! decide what to do (retry, back off, ask the user) from the [`ErrorClass`] alone.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of failure a vendor error code stands for; drives retries and back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum ErrorClass {
    /// Credentials, signature, clock skew, permissions.
    Auth,
    /// Request-rate limits: slow down and retry.
    Throttled,
    /// Per-call or daily quota exhausted: defer until the quota resets.
    Quota,
    /// The request itself is wrong: fix the input, do not retry.
    Invalid,
    /// A named resource (zone, site, domain, job, task) does not exist.
    NotFound,
    /// The resource is busy or in a state that forbids the operation.
    Conflict,
    /// The vendor failed: usually worth a retry.
    Server,
}

impl ErrorClass {
    /// The stable kebab-case name (`"not-found"`, …) used in JSON and by the shells.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Auth => "auth",
            ErrorClass::Throttled => "throttled",
            ErrorClass::Quota => "quota",
            ErrorClass::Invalid => "invalid",
            ErrorClass::NotFound => "not-found",
            ErrorClass::Conflict => "conflict",
            ErrorClass::Server => "server",
        }
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answered by a vendor API (or by the sandbox, or by [`crate::sign`]'s verifiers),
/// classified so that callers can act on it without knowing every code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[error("{code}: {message}")]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The vendor's own code, e.g. `AuthFailure.SignatureExpire` or `Throttling.User`.
    pub code: String,
    /// The vendor's message, as sent.
    pub message: String,
    /// The vendor's request id, when the answer carried one.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub request_id: Option<String>,
    /// HTTP status of the answer (Tencent answers business errors with 200).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub http_status: Option<u16>,
    /// What kind of failure this is.
    pub class: ErrorClass,
    /// Whether sending the same request again (re-signed) may succeed.
    pub retryable: bool,
}

impl ApiError {
    /// The cloud the code comes from, as far as the code tables tell: Alibaba when only its
    /// table documents the code, else Tencent (the cloud whose messages come in Chinese).
    pub fn cloud(&self) -> crate::vendor::Cloud {
        use crate::vendor::{codes, Cloud};
        if codes::lookup(Cloud::Alibaba, &self.code).is_some()
            && codes::lookup(Cloud::Tencent, &self.code).is_none()
        {
            Cloud::Alibaba
        } else {
            Cloud::Tencent
        }
    }

    /// The message for people who read English: a vendor message in Chinese gets the code's
    /// English line in front and keeps the vendor's text after it
    /// ([`crate::vendor::codes::english_message`]); an English message is returned as is.
    pub fn english_message(&self) -> String {
        crate::vendor::codes::english_message(self.cloud(), &self.code, &self.message)
    }

    /// What to do next, naming the parameter for the generic parameter codes: the field the
    /// message names, else the call's `fields` (vendor spelling; may be empty)
    /// ([`crate::vendor::codes::hint_for`]). `None` for a code no table documents.
    pub fn hint(&self, fields: &[&str]) -> Option<String> {
        crate::vendor::codes::hint_for(self.cloud(), &self.code, &self.message, fields)
    }
}

/// The rule a [`ValidationError`] names; stable identifiers for UIs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A required field is missing or empty.
    Required,
    /// A list has no element.
    NonEmpty,
    /// More elements than one call accepts.
    MaxItems,
    /// A number outside its documented range.
    Range,
    /// A string longer than allowed (bytes).
    MaxLength,
    /// Not one of the documented values.
    OneOf,
    /// A URL without `http://` or `https://`.
    UrlScheme,
    /// A URL without a host, or with a host that cannot be used.
    UrlHost,
    /// A URL that does not parse.
    UrlSyntax,
    /// A wildcard host where the vendor refuses one.
    Wildcard,
    /// A time that does not parse in the vendor's format.
    TimeFormat,
    /// End before start.
    TimeOrder,
    /// A time window longer than the vendor allows.
    TimeWindow,
    /// Two fields that must (not) go together.
    Combination,
    /// A value with characters the vendor refuses (control characters, …).
    Characters,
    /// A field the vendor deprecated: edgewarm never sends it.
    Deprecated,
}

/// One input problem: the field (a JSON-pointer-like path such as `Targets[3]`), the rule it
/// breaks and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// Path of the offending field, vendor spelling: `Urls[2]`, `Headers[0].Name`, `PageSize`.
    pub field: String,
    /// The rule broken.
    pub rule: Rule,
    /// Human explanation, naming the limit.
    pub message: String,
}

impl ValidationError {
    /// Builds one error.
    #[cold]
    pub fn new(field: impl Into<String>, rule: Rule, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            rule,
            message: message.into(),
        }
    }
}

/// Every problem found in one set of parameters (validation never stops at the first one, so a
/// UI can mark all bad lines at once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[error("{} invalid field(s); first: {}", .errors.len(), .errors.first().map(|e| e.to_string()).unwrap_or_default())]
pub struct ValidationErrors {
    /// The problems, in field order.
    pub errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// `Ok(())` when `errors` is empty.
    pub fn into_result(errors: Vec<ValidationError>) -> Result<(), ValidationErrors> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors { errors })
        }
    }
}

/// Errors of the core's own operations.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The parameters break a documented rule (see [`ValidationErrors`]).
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// The vendor answered with an error.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// An action name that the service does not have (or edgewarm does not support).
    #[error("unknown action {action:?} for service {service}")]
    UnknownAction {
        /// Service asked for.
        service: String,
        /// Action asked for.
        action: String,
    },
    /// Parameters that do not fit the operation's types.
    #[error("parameters of {action} do not fit its model: {reason}")]
    Params {
        /// Action whose parameters were given.
        action: String,
        /// What did not fit (serde's words, with the field).
        reason: String,
    },
    /// A response body that is not the documented envelope.
    #[error("malformed {service} response (HTTP {status}): {reason}")]
    MalformedResponse {
        /// Service that answered.
        service: String,
        /// The HTTP status the answer came with.
        status: u16,
        /// What was wrong.
        reason: String,
    },
    /// A request the signer cannot sign (e.g. a header value that is not valid text).
    #[error("cannot sign: {0}")]
    Signing(String),
}

impl Error {
    /// A stable short code for shells: `validation`, `api`, `unknown-action`, `params`,
    /// `malformed-response`, `signing`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::Api(_) => "api",
            Error::UnknownAction { .. } => "unknown-action",
            Error::Params { .. } => "params",
            Error::MalformedResponse { .. } => "malformed-response",
            Error::Signing(_) => "signing",
        }
    }

    /// The stable code shells show and match on: the vendor's own code for an API error,
    /// `edgewarm.<Kind>` for the core's own failures.
    pub fn code(&self) -> &str {
        match self {
            Error::Validation(_) => "edgewarm.Validation",
            Error::Api(a) => &a.code,
            Error::UnknownAction { .. } => "edgewarm.UnknownAction",
            Error::Params { .. } => "edgewarm.Params",
            Error::MalformedResponse { .. } => "edgewarm.MalformedResponse",
            Error::Signing(_) => "edgewarm.Signing",
        }
    }

    /// What kind of failure it is: an API error's own class; a malformed answer is the
    /// server's fault; everything else is bad input.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Api(a) => a.class,
            Error::MalformedResponse { .. } => ErrorClass::Server,
            Error::Validation(_)
            | Error::UnknownAction { .. }
            | Error::Params { .. }
            | Error::Signing(_) => ErrorClass::Invalid,
        }
    }

    /// Whether the same call, re-signed, may succeed: an API error says so itself; a malformed
    /// answer may be a passing fault of the server; bad input never succeeds.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Api(a) => a.retryable,
            Error::MalformedResponse { .. } => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_stable_code_and_class() {
        let api = Error::Api(ApiError {
            code: "LimitExceeded".into(),
            message: "slow down".into(),
            class: ErrorClass::Throttled,
            retryable: true,
            request_id: None,
            http_status: Some(200),
        });
        assert_eq!(api.code(), "LimitExceeded", "the vendor's own code");
        assert_eq!(api.class(), ErrorClass::Throttled);
        assert!(api.retryable());
        let malformed = Error::MalformedResponse {
            service: "cdn".into(),
            status: 502,
            reason: "not JSON".into(),
        };
        assert_eq!(malformed.code(), "edgewarm.MalformedResponse");
        assert_eq!(malformed.class(), ErrorClass::Server);
        assert!(malformed.retryable());
        let params = Error::Params {
            action: "PushUrlsCache".into(),
            reason: "Urls: expected a sequence".into(),
        };
        assert_eq!(params.code(), "edgewarm.Params");
        assert_eq!(params.class(), ErrorClass::Invalid);
        assert!(!params.retryable());
        let validation = Error::Validation(ValidationErrors { errors: vec![] });
        assert_eq!(validation.code(), "edgewarm.Validation");
        assert_eq!(Error::Signing("x".into()).code(), "edgewarm.Signing");
        let unknown = Error::UnknownAction {
            service: "cdn".into(),
            action: "Nope".into(),
        };
        assert_eq!(unknown.code(), "edgewarm.UnknownAction");
        assert_eq!(unknown.class(), ErrorClass::Invalid);
    }

    #[test]
    fn api_errors_read_in_english_and_hint_at_the_field() {
        let cdn = ApiError {
            code: "ResourceNotFound.CdnHostNotExists".into(),
            message: "未查询到该域名，请确认域名是否正确".into(),
            request_id: None,
            http_status: Some(200),
            class: ErrorClass::NotFound,
            retryable: false,
        };
        assert_eq!(cdn.cloud(), crate::vendor::Cloud::Tencent);
        assert!(cdn.english_message().starts_with(
            "The domain was not found in this account's CDN. (Tencent Cloud said: 未查询到"
        ));
        let esa = ApiError {
            code: "InvalidParameter.RecordNotBelongToSite".into(),
            message: "The record a.example.net does not belong to the site.".into(),
            class: ErrorClass::NotFound,
            ..cdn.clone()
        };
        assert_eq!(esa.cloud(), crate::vendor::Cloud::Alibaba);
        assert_eq!(esa.english_message(), esa.message, "English stays as it is");
        let generic = ApiError {
            code: "InvalidParameter".into(),
            message: "Content holds 600 URLs; at most 500 per call.".into(),
            class: ErrorClass::Invalid,
            ..cdn
        };
        let hint = generic.hint(&["SiteId", "Content"]).expect("documented");
        assert!(hint.contains("The parameter is Content"), "{hint}");
    }
}
