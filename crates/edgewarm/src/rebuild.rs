//! A request built elsewhere (the console's job engine, a script) read back into the typed
//! [`Operation`] it claims to be. A signer that holds someone else's keys (the edge worker's
//! `/sign`) must never sign caller bytes as they are: it parses them back with this module,
//! validates the operation and rebuilds the request with the core, and signs that.
//!
//! Tencent: the action from `X-TC-Action`, the JSON body as the parameters, `X-TC-Region` and
//! `X-TC-Language` as the endpoint's. ESA: the action from `x-acs-action`, the parameters from the
//! query and the form body, where scalars travel as text and arrays, maps and objects as one
//! compact JSON string each — the inverse of the builders' wire form. Everything else in the
//! request (signature headers, method, parameter placement, encoding) is the core's again.

use crate::encoding::form_decode;
use crate::error::Error;
use crate::operation::{Operation, OPERATIONS};
use crate::request::HttpRequest;
use crate::vendor::{Cloud, Endpoint};

impl Operation {
    /// The operation a request carries (see the module doc); the request's headers other than
    /// the action, region and language are ignored.
    pub fn from_http_request(request: &HttpRequest) -> Result<Operation, Error> {
        operation_from_request(request).map(|(op, _)| op)
    }
}

#[cold]
fn params_error(action: &str, reason: impl Into<String>) -> Error {
    Error::Params {
        action: action.to_string(),
        reason: reason.into(),
    }
}

/// The one value of a header, or an error when it is repeated.
fn single<'a>(request: &'a HttpRequest, name: &str) -> Result<Option<&'a str>, Error> {
    match request.header_values(name).count() {
        0 => Ok(None),
        1 => Ok(request.header(name)),
        _ => Err(params_error(
            "(none)",
            format!("request.headers: {name} appears more than once"),
        )),
    }
}

/// The operation and the endpoint (host, Tencent region and language) a request carries.
pub fn operation_from_request(request: &HttpRequest) -> Result<(Operation, Endpoint), Error> {
    let tc = single(request, "X-TC-Action")?;
    let acs = single(request, "x-acs-action")?;
    let (action, cloud) = match (tc, acs) {
        (Some(a), None) => (a, Cloud::Tencent),
        (None, Some(a)) => (a, Cloud::Alibaba),
        _ => {
            return Err(params_error(
                "(none)",
                "request.headers: exactly one X-TC-Action (Tencent) or x-acs-action (ESA) header names the operation",
            ))
        }
    };
    // an action two services share (EdgeOne's and CDN's DescribePurgeTasks): the service the
    // host names (`cdn.…`), else the one of the TC3 credential scope (`…/cdn/tc3_request`)
    let named = |s: &crate::vendor::Service| {
        let label = request.host.split('.').next().unwrap_or("");
        let scope = single(request, "Authorization")
            .ok()
            .flatten()
            .is_some_and(|a| a.contains(&format!("/{}/tc3_request", s.name())));
        label.eq_ignore_ascii_case(s.name()) || scope
    };
    let candidates = || {
        OPERATIONS
            .iter()
            .filter(|(s, a)| *a == action && s.cloud() == cloud)
    };
    let service = candidates()
        .find(|(s, _)| named(s))
        .or_else(|| candidates().next())
        .map(|(s, _)| *s)
        .ok_or_else(|| Error::UnknownAction {
            service: match cloud {
                Cloud::Tencent => "teo/cdn".to_string(),
                Cloud::Alibaba => "esa".to_string(),
            },
            action: action.to_string(),
        })?;
    match cloud {
        Cloud::Tencent => {
            let body = std::str::from_utf8(&request.body)
                .map_err(|_| params_error(action, "request.body: not UTF-8 JSON"))?;
            let op = Operation::from_json(service, action, body)?;
            let endpoint = Endpoint {
                host: request.host.clone(),
                region: single(request, "X-TC-Region")?.map(String::from),
                language: single(request, "X-TC-Language")?.map(String::from),
            };
            Ok((op, endpoint))
        }
        Cloud::Alibaba => {
            let mut pairs = form_decode(&request.query)
                .ok_or_else(|| params_error(action, "request.query: not UTF-8 after decoding"))?;
            if !request.body.is_empty() {
                let body = std::str::from_utf8(&request.body)
                    .map_err(|_| params_error(action, "request.body: not a UTF-8 form"))?;
                pairs.extend(form_decode(body).ok_or_else(|| {
                    params_error(action, "request.body: not UTF-8 after decoding")
                })?);
            }
            // each parameter once, as its text: the model's field table reads its fields
            // from it (as it reads the JSON parameters: one reader per model)
            let mut form = serde_json::Map::new();
            for (name, text) in pairs {
                if form.contains_key(&name) {
                    return Err(params_error(action, format!("duplicate field `{name}`")));
                }
                form.insert(name, serde_json::Value::String(text));
            }
            // the Alibaba cloud's one service is ESA
            let op = Operation::from_esa_form(action, form)?;
            Ok((op, Endpoint::custom(request.host.clone())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::Service;

    #[test]
    fn esa_text_becomes_the_fields_types() {
        let op = Operation::from_parts(
            Service::Esa,
            "PurgeCaches",
            serde_json::json!({"SiteId": 9_007_199_254_740_993i64, "Type": "file", "Force": true,
                "Content": {"Files": ["https://a.com/x?y=1&z=2"]}}),
        )
        .unwrap();
        let req = op.build(&Endpoint::default_for(Service::Esa));
        let (back, endpoint) = operation_from_request(&req).unwrap();
        assert_eq!(back, op);
        assert_eq!(endpoint.host, "esa.cn-hangzhou.aliyuncs.com");
    }

    #[test]
    fn bad_requests_name_what_is_wrong() {
        let op = Operation::from_parts(
            Service::Esa,
            "GetScheduledPreloadJob",
            serde_json::json!({"Id": "1"}),
        )
        .unwrap();
        let good = op.build(&Endpoint::default_for(Service::Esa));
        let mut dup = good.clone();
        dup.query = "Id=1&Id=2".into();
        assert!(operation_from_request(&dup)
            .unwrap_err()
            .to_string()
            .contains("duplicate field"));
        let mut none = good.clone();
        none.remove_header("x-acs-action");
        assert!(operation_from_request(&none)
            .unwrap_err()
            .to_string()
            .contains("X-TC-Action"));
        let mut both = good.clone();
        both.headers
            .push(("X-TC-Action".into(), "PushUrlsCache".into()));
        assert!(operation_from_request(&both).is_err());
        let mut foreign = good.clone();
        foreign.set_header("x-acs-action", "DeleteSite");
        assert!(matches!(
            operation_from_request(&foreign),
            Err(Error::UnknownAction { .. })
        ));
        // a Tencent action under the Alibaba header is not an ESA operation
        let mut crossed = good.clone();
        crossed.set_header("x-acs-action", "PushUrlsCache");
        assert!(operation_from_request(&crossed).is_err());
        let mut not_a_number = good;
        not_a_number.set_header("x-acs-action", "ListScheduledPreloadJobs");
        not_a_number.query = "SiteId=abc".into();
        assert!(operation_from_request(&not_a_number)
            .unwrap_err()
            .to_string()
            .contains("\"abc\" is not a number"));
    }
}
