//! Answers into typed results or a classified [`ApiError`]. Tencent answers
//! `{"Response": {..., "RequestId"}}` with business errors under `Response.Error` (usually HTTP
//! 200); Alibaba answers the fields at the top level and errors as `{Code, Message, RequestId}`
//! with a 4xx/5xx status. Anything else is [`Error::MalformedResponse`] — never a panic.

use crate::error::{ApiError, Error};
use crate::vendor::codes::{self, Cloud};
use crate::vendor::{Call, Service};
use serde_json::{Map, Value};

#[cold]
fn malformed(service: Service, status: u16, reason: impl Into<String>) -> Error {
    Error::MalformedResponse {
        service: service.name().into(),
        status,
        reason: reason.into(),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A classified error for `code`.
pub fn api_error(
    cloud: Cloud,
    code: &str,
    message: &str,
    request_id: Option<String>,
    http_status: Option<u16>,
) -> ApiError {
    let (class, retryable) = codes::classify(cloud, code, http_status);
    ApiError {
        code: code.to_string(),
        message: message.to_string(),
        request_id,
        http_status,
        class,
        retryable,
    }
}

/// An error for an answer without a readable envelope but a telling status (429, 5xx).
fn status_error(cloud: Cloud, status: u16) -> Option<ApiError> {
    let code = match (cloud, status) {
        (Cloud::Tencent, 429) => "RequestLimitExceeded",
        (Cloud::Alibaba, 429) => "Throttling",
        (_, 503) => "ServiceUnavailable",
        (_, 500..=599) => "InternalError",
        _ => return None,
    };
    Some(api_error(
        cloud,
        code,
        &format!("HTTP {status} without an API error body"),
        None,
        Some(status),
    ))
}

/// The success object of an answer (Tencent: the inside of `Response`), or the error.
pub fn parse_envelope(
    service: Service,
    status: u16,
    body: &[u8],
) -> Result<Map<String, Value>, Error> {
    let cloud = service.cloud();
    // JSON text is read with serde_json's `str` reader only, here and for the typed output
    // ([`parse`]) and the parameters alike: one reader, one copy of each type's deserialiser
    let value: Value = match std::str::from_utf8(body)
        .map_err(|e| format!("invalid UTF-8: {e}"))
        .and_then(|text| serde_json::from_str(text).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            return Err(match status_error(cloud, status) {
                Some(api) => api.into(),
                None => malformed(service, status, format!("not JSON: {e}")),
            })
        }
    };
    let Value::Object(mut top) = value else {
        return Err(malformed(service, status, "the body is not a JSON object"));
    };
    match cloud {
        Cloud::Tencent => {
            let Some(Value::Object(mut inner)) = top.remove("Response") else {
                return Err(status_error(cloud, status)
                    .map(Error::from)
                    .unwrap_or_else(|| malformed(service, status, "no Response object")));
            };
            if let Some(err) = inner.get("Error") {
                let code = text(err.get("Code"))
                    .ok_or_else(|| malformed(service, status, "Response.Error without Code"))?;
                let message = text(err.get("Message")).unwrap_or_default();
                let rid = text(inner.get("RequestId"));
                return Err(api_error(cloud, &code, &message, rid, Some(status)).into());
            }
            if !(200..300).contains(&status) {
                return Err(status_error(cloud, status)
                    .map(Error::from)
                    .unwrap_or_else(|| {
                        malformed(service, status, "error status without Response.Error")
                    }));
            }
            inner.remove("Error");
            Ok(inner)
        }
        Cloud::Alibaba => {
            let is_error = !(200..300).contains(&status)
                || (top.contains_key("Code")
                    && top.contains_key("Message")
                    && !top.contains_key("Id"));
            if is_error {
                let Some(code) = text(top.get("Code")) else {
                    return Err(status_error(cloud, status).map(Error::from).unwrap_or_else(
                        || malformed(service, status, "error status without Code"),
                    ));
                };
                let message = text(top.get("Message")).unwrap_or_default();
                let rid = text(top.get("RequestId"));
                return Err(api_error(cloud, &code, &message, rid, Some(status)).into());
            }
            Ok(top)
        }
    }
}

/// Parses the answer of operation `C` into its typed output. The envelope is checked and
/// read once ([`parse_envelope`]); the output is then read from that JSON object, so that every
/// output type is read from a [`Value`] only, by its field table ([`crate::record`]: one small
/// reader per type keeps the call module small; no second parse of the body).
pub fn parse<C: Call>(status: u16, body: &[u8]) -> Result<C::Output, Error> {
    let object = parse_envelope(C::SERVICE, status, body)?;
    typed::<C::Output>(C::SERVICE, C::ACTION, status, object)
}

/// The typed output of `action` from the success object [`parse_envelope`] returned.
pub(crate) fn typed<T: crate::record::Record>(
    service: Service,
    action: &str,
    status: u16,
    object: Map<String, Value>,
) -> Result<T, Error> {
    T::from_value(Value::Object(object)).map_err(|e| bad_answer(service, action, status, e))
}

/// The error of an answer whose success object does not fit the output type (not generic: one
/// copy for every operation).
#[cold]
fn bad_answer(service: Service, action: &str, status: u16, e: crate::value_de::Error) -> Error {
    malformed(service, status, format!("{action} answer: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorClass;
    use crate::vendor::{cdn, edgeone, esa};

    #[test]
    fn tencent_success_and_error() {
        let ok = br#"{"Response": {"JobId": "20ga521cpwch", "FailedList": [], "RequestId": "r1"}}"#;
        let out = parse::<edgeone::CreatePrefetchTask>(200, ok).unwrap();
        assert_eq!(out.job_id, "20ga521cpwch");
        let err = br#"{"Response": {"Error": {"Code": "RequestLimitExceeded", "Message": "slow"}, "RequestId": "r2"}}"#;
        let Error::Api(api) = parse::<cdn::PushUrlsCache>(200, err).unwrap_err() else {
            panic!()
        };
        assert_eq!(api.class, ErrorClass::Throttled);
        assert!(api.retryable);
        assert_eq!(api.request_id.as_deref(), Some("r2"));
    }

    #[test]
    fn alibaba_success_and_error() {
        let ok = br#"{"RequestId": "r", "Jobs": [{"Id": "j", "SiteId": 1}], "TotalCount": "5"}"#;
        let out = parse::<esa::ListScheduledPreloadJobs>(200, ok).unwrap();
        assert_eq!(out.total_count, Some(5));
        let err = br#"{"Code": "Throttling.User", "Message": "flow control", "RequestId": "x"}"#;
        let Error::Api(api) = parse::<esa::PreloadCaches>(400, err).unwrap_err() else {
            panic!()
        };
        assert_eq!(api.class, ErrorClass::Throttled);
    }

    #[test]
    fn malformed_bodies_are_errors() {
        assert!(matches!(
            parse::<edgeone::CreatePrefetchTask>(200, b"<html>").unwrap_err(),
            Error::MalformedResponse { .. }
        ));
        assert!(matches!(
            parse::<esa::PreloadCaches>(502, b"bad gateway").unwrap_err(),
            Error::Api(ApiError {
                class: ErrorClass::Server,
                retryable: true,
                ..
            })
        ));
        assert!(parse::<edgeone::CreatePrefetchTask>(200, br#"{"Response": 3}"#).is_err());
    }
}
