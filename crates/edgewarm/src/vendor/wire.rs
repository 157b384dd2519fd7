//! How typed parameters become wire bytes, once for each cloud: Tencent sends one compact JSON
//! body (model field order, nulls dropped, raw UTF-8); Alibaba RPC style sends scalars as text
//! and arrays / objects as one compact JSON string each, in the query or a form body, encoded
//! RFC 3986 and sorted — the very form the ACS3 canonical query signs.

use super::{Endpoint, Service};
use crate::encoding::canonical_pairs;
use crate::record::Params as FieldTable;
use crate::request::{HttpRequest, Method};
use serde_json::Value;

/// A scalar as Alibaba sends it; arrays and objects as compact JSON.
pub(crate) fn alibaba_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// The parameters serialised the way their cloud sends them.
enum Params {
    /// Tencent: the compact JSON body.
    Json(Vec<u8>),
    /// Alibaba: the members, nulls dropped, in model order.
    Members(serde_json::Map<String, Value>),
}

/// Builds the unsigned request of a Tencent operation: the model as one compact JSON body,
/// its members written by its field table (`record::Params`; unset fields left out, as the
/// derive's `skip_serializing_if` does) rather than by a serializer per model. The request
/// itself is assembled once for every model ([`assemble`]).
pub(crate) fn build_tencent(
    service: Service,
    action: &str,
    method: Method,
    params: &impl FieldTable,
    endpoint: &Endpoint,
) -> HttpRequest {
    let body = serde_json::to_vec(&params.to_params()).unwrap_or_else(|_| b"{}".to_vec());
    assemble(service, action, method, Params::Json(body), &[], endpoint)
}

/// Builds the unsigned request of an Alibaba operation: the members (unset fields left out, as
/// the SDKs omit them, also when nested), in the query or (`body_fields`) the form body.
pub(crate) fn build_alibaba(
    service: Service,
    action: &str,
    method: Method,
    params: &impl FieldTable,
    body_fields: &[&str],
    endpoint: &Endpoint,
) -> HttpRequest {
    let params = Params::Members(params.to_params());
    assemble(service, action, method, params, body_fields, endpoint)
}

fn assemble(
    service: Service,
    action: &str,
    method: Method,
    params: Params,
    body_fields: &[&str],
    endpoint: &Endpoint,
) -> HttpRequest {
    let mut req = HttpRequest::new(method, endpoint.host.clone());
    match params {
        Params::Json(body) => {
            req.headers
                .push(("Content-Type".into(), "application/json".into()));
            req.headers.push(("X-TC-Action".into(), action.into()));
            req.headers
                .push(("X-TC-Version".into(), service.version().into()));
            if let Some(region) = endpoint.region.as_deref().filter(|r| !r.is_empty()) {
                req.headers.push(("X-TC-Region".into(), region.into()));
            }
            if let Some(lang) = endpoint.language.as_deref().filter(|l| !l.is_empty()) {
                req.headers.push(("X-TC-Language".into(), lang.into()));
            }
            req.body = body;
        }
        Params::Members(map) => {
            req.headers.push(("x-acs-action".into(), action.into()));
            req.headers
                .push(("x-acs-version".into(), service.version().into()));
            let mut query = Vec::new();
            let mut form = Vec::new();
            for (k, v) in &map {
                let text = alibaba_text(v);
                if body_fields.contains(&k.as_str()) {
                    form.push((k.clone(), text));
                } else {
                    query.push((k.clone(), text));
                }
            }
            req.query = canonical_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            if !form.is_empty() {
                req.headers.push((
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
                req.body = canonical_pairs(form.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                    .into_bytes();
            }
        }
    }
    req
}
