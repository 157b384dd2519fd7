//! One vendor call at a time: build (validated), sign with an explain, parse the answer, verify a
//! signature, look a code up. Each export is from_js → core → to_js.

use crate::convert::{from_js, json_of_text, optional, read, to_js, to_json, utf8};
use crate::errors::{throw, Thrown};
use edgewarm::sign::{self, SigningOutput};
use edgewarm::vendor::codes::{self, Cloud};
use edgewarm::vendor::EndpointOptions;
use edgewarm::{
    Credentials, Endpoint, HttpRequest, Limits, Operation, Service, SigningParams, OPERATION_NAMES,
};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const CALL_INPUT: &str = r#"
/** A call: the operation (`action` and the vendor's `params`) with where and how to build it. */
export type CallInput = Operation & CallOptions;
"#;

/// How to build a call, besides the operation itself; every field optional.
#[derive(Debug, Default, Deserialize, Tsify)]
#[serde(rename_all = "camelCase", default)]
pub struct CallOptions {
    /// `teo`, `cdn` or `esa`: picks the operation when services share an action name
    /// (`DescribePurgeTasks`); the tag names `CdnDescribePurgeTasks` / `EsaDescribePurgeTasks`
    /// need none.
    #[tsify(optional)]
    pub service: Option<Service>,
    /// Where to send; the service's default endpoint when absent.
    #[tsify(optional)]
    pub endpoint: Option<Endpoint>,
    /// Per-call caps (plans differ); the documented defaults when absent.
    #[tsify(optional)]
    pub limits: Option<Limits>,
    /// Skip validation (only to reproduce requests a cloud would refuse).
    #[tsify(optional)]
    pub skip_validation: Option<bool>,
}

/// What JS passes as a `CallInput`, read loosely so that a wrong action gets its own error:
/// the JSON read once into a value, then each member by the lean reader (the parameters by
/// their model's field table, moved out of the value, not copied). No serde_json text
/// deserialiser of a type is compiled into the wasm: their type errors would display serde's
/// `Unexpected`, and with it the standard library's float formatting.
pub(crate) struct CallInput;

/// The `CallInput` members, in the order they are read, then what [`prepare_call_json`] reads
/// besides (`credentials`, `signing`).
const CALL_MEMBERS: [&str; 8] = [
    "action",
    "params",
    "endpoint",
    "limits",
    "skipValidation",
    "service",
    "credentials",
    "signing",
];

/// A member of a `CallInput` (`null` or absent: `None`), read by the lean reader.
fn read_member<T: serde::de::DeserializeOwned>(
    member: Option<serde_json::Value>,
) -> Result<Option<T>, JsValue> {
    match member {
        Some(value) => read(value, "call"),
        None => Ok(None),
    }
}

impl CallInput {
    /// A `CallInput` JSON read, with its service and typed operation.
    fn read(input: &[u8]) -> Result<(Call, Service, Operation), JsValue> {
        Self::read_signing(input).map(|(call, service, op, _)| (call, service, op))
    }

    /// [`CallInput::read`], with the `credentials` and `signing` members left unread.
    fn read_signing(input: &[u8]) -> Result<(Call, Service, Operation, SigningMembers), JsValue> {
        let value = json_of_text(utf8(input, "call")?, "call")?;
        let serde_json::Value::Object(map) = value else {
            let e: edgewarm::value_de::Error = serde::de::Error::invalid_type(
                edgewarm::value_de::unexpected(&value),
                &"struct CallInput",
            );
            return Err(Thrown::argument("call", &e.to_string()).into_js());
        };
        let mut members: [Option<serde_json::Value>; 8] = Default::default();
        for (key, value) in map {
            if let Some(i) = CALL_MEMBERS.iter().position(|m| *m == key) {
                members[i] = Some(value);
            }
        }
        let [action, params, endpoint, limits, skip_validation, service, credentials, signing] =
            members;
        let action: String = read_member(action)?
            .ok_or_else(|| Thrown::argument("call", "missing field `action`").into_js())?;
        let call = Call {
            endpoint: read_member(endpoint)?,
            limits: match limits {
                Some(value) => crate::convert::limits(value, "call")?,
                None => None,
            },
            skip_validation: read_member(skip_validation)?,
        };
        let (service, op) = operation(&action, read_member(service)?, params)?;
        let signing = SigningMembers {
            credentials,
            signing,
        };
        Ok((call, service, op, signing))
    }
}

/// The `credentials` and `signing` members of a [`prepare_call_json`] input, read only once the
/// call is built (a call with bad parameters and bad credentials reports its parameters first,
/// as `buildRequest` then `signRequest` would).
struct SigningMembers {
    credentials: Option<serde_json::Value>,
    signing: Option<serde_json::Value>,
}

impl SigningMembers {
    /// The key pair and the signing params, each a `SignInput` member's error when missing or
    /// malformed. ACS3 (`esa`) signs a nonce: when the caller gave none, `host_nonce()` gives a
    /// fresh one (TC3 signs none, so none is asked for).
    fn read(
        self,
        service: Service,
        host_nonce: &js_sys::Function,
    ) -> Result<(Credentials, SigningParams), JsValue> {
        let member = |value: Option<serde_json::Value>, name: &str| match value {
            Some(value) => Ok(value),
            None => Err(Thrown::argument("input", &format!("missing field `{name}`")).into_js()),
        };
        let credentials = read(member(self.credentials, "credentials")?, "input")?;
        let mut signing = member(self.signing, "signing")?;
        if let (Service::Esa, serde_json::Value::Object(map)) = (service, &mut signing) {
            if !map.contains_key("nonce") {
                let nonce = host_nonce.call0(&JsValue::UNDEFINED)?;
                map.insert("nonce".into(), nonce.as_string().unwrap_or_default().into());
            }
        }
        Ok((credentials, read(signing, "input")?))
    }
}

/// A read [`CallInput`]: its endpoint, limits and validation switch.
struct Call {
    endpoint: Option<Endpoint>,
    limits: Option<Limits>,
    skip_validation: Option<bool>,
}

impl Call {
    /// Validates `op` against the call's limits unless the call skips validation.
    fn check(&self, op: &Operation) -> Result<(), JsValue> {
        if self.skip_validation == Some(true) {
            return Ok(());
        }
        match &self.limits {
            Some(limits) => op.validate(limits),
            None => op.validate(&Limits::default()),
        }
        .map_err(throw)
    }

    /// The call's endpoint (taken out of it), or the service's default.
    fn endpoint_for(&mut self, service: Service) -> Endpoint {
        self.endpoint
            .take()
            .unwrap_or_else(|| Endpoint::default_for(service))
    }
}

/// The service and the typed operation of a call (`None` or `null` parameters for none).
fn operation(
    action: &str,
    service: Option<Service>,
    params: Option<serde_json::Value>,
) -> Result<(Service, Operation), JsValue> {
    let (service, action) = Operation::resolve(action, service).ok_or_else(|| {
        Thrown::argument(
            "action",
            &format!("unknown action {action:?}; see operations()"),
        )
        .into_js()
    })?;
    let op = Operation::from_json_value(service, action, params).map_err(throw)?;
    Ok((service, op))
}

/// Every supported `{service, action, name}`: `name` is the operation's `action` tag in a
/// `CallInput`, the vendor action unless services share it (`CdnDescribePurgeTasks`).
#[wasm_bindgen(js_name = operations, unchecked_return_type = "{ service: Service; action: string; name: string }[]")]
pub fn operations() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Row {
        service: Service,
        action: &'static str,
        name: &'static str,
    }
    let rows: Vec<Row> = OPERATION_NAMES
        .iter()
        .map(|(name, service, action)| Row {
            service: *service,
            action,
            name,
        })
        .collect();
    to_js(&rows)
}

/// The public endpoint of `service` (`teo`, `cdn`, `esa`): the China site and `cn-hangzhou`
/// unless `options` say otherwise.
#[wasm_bindgen(js_name = endpoint, unchecked_return_type = "Endpoint")]
pub fn endpoint(
    #[wasm_bindgen(unchecked_param_type = "Service")] service: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EndpointOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let service: Service = from_js(service, "service")?;
    let options: EndpointOptions = optional(options, "options")?;
    to_js(&Endpoint::public(service, &options).map_err(throw)?)
}

/// The service (`teo`, `cdn`, `esa`) of an operation's name or vendor action; throws naming
/// `action` for one no service has.
#[wasm_bindgen(js_name = serviceOf, unchecked_return_type = "Service")]
pub fn service_of(action: &str) -> Result<JsValue, JsValue> {
    let service = Operation::service_of(action).ok_or_else(|| {
        Thrown::argument(
            "action",
            &format!("unknown action {action:?}; see operations()"),
        )
        .into_js()
    })?;
    to_js(&service)
}

/// Where a request goes: `transport` `{kind: 'vendor'}` (default) or `{kind: 'proxy', base}`.
/// Only the request's `host`, `path` and `query` are read.
#[derive(Debug, Deserialize)]
struct Route {
    host: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    query: String,
}

/// The `base` of a proxy transport, `None` for any other.
#[derive(Debug, Default, Deserialize)]
struct TransportArg {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    base: Option<String>,
}

fn proxy_base(transport: JsValue) -> Result<Option<String>, JsValue> {
    let t: TransportArg = optional(transport, "transport")?;
    match (t.kind.as_str(), t.base) {
        ("proxy", Some(base)) => Ok(Some(base)),
        ("proxy", None) => Err(Thrown::argument(
            "transport.base",
            "a proxy transport needs its base URL",
        )
        .into_js()),
        _ => Ok(None),
    }
}

/// The URL a request is sent to: the vendor's, or `<base>/api/<host><path>?<query>` through an
/// edgewarm proxy or edge worker.
#[wasm_bindgen(js_name = requestUrl)]
pub fn request_url(
    #[wasm_bindgen(unchecked_param_type = "HttpRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ kind: string; base?: string } | undefined")] transport: JsValue,
) -> Result<String, JsValue> {
    let r: Route = from_js(request, "request")?;
    let mut request = HttpRequest::new(edgewarm::request::Method::Get, r.host);
    request.path = r.path;
    request.query = r.query;
    Ok(request.request_url(proxy_base(transport)?.as_deref()))
}

/// The request as a curl command; a session token is written as its environment variable.
#[wasm_bindgen(js_name = toCurl)]
pub fn to_curl(
    #[wasm_bindgen(unchecked_param_type = "HttpRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ kind: string; base?: string } | undefined")] transport: JsValue,
) -> Result<String, JsValue> {
    let request: HttpRequest = from_js(request, "request")?;
    Ok(request.to_curl_via(proxy_base(transport)?.as_deref()))
}

/// Validates a call's parameters against the documented rules (or the caller's `limits`).
/// Throws a `ValidationError` naming every bad field; returns the service. Takes and returns
/// UTF-8 JSON (`CallInput` → `Service`): large URL lists cross the boundary fastest that way.
#[wasm_bindgen(js_name = validateJson)]
pub fn validate_json(input: &[u8]) -> Result<String, JsValue> {
    let (input, service, op) = CallInput::read(input)?;
    op.validate(&input.limits.unwrap_or_default())
        .map_err(throw)?;
    to_json(&service)
}

/// The unsigned request of a call, after validation (unless `skipValidation`): `CallInput`
/// JSON in; out, `[head, body]`: the `HttpRequest` as JSON with an empty body, and the body
/// text apart (a large body crosses once, unescaped).
#[wasm_bindgen(js_name = buildRequestParts, unchecked_return_type = "[string, string]")]
pub fn build_request_parts(input: &[u8]) -> Result<js_sys::Array, JsValue> {
    let (request, _, _) = build_call(input)?;
    let (head, body) = head_and_body(request)?;
    Ok(js_sys::Array::of2(
        &JsValue::from_str(&head),
        &JsValue::from_str(&body),
    ))
}

/// A `CallInput` JSON read, validated (unless it skips validation) and built, unsigned, with
/// its service and the `credentials` and `signing` members left unread: what `buildRequest`
/// does, and the first half of [`build_and_sign`].
fn build_call(input: &[u8]) -> Result<(HttpRequest, Service, SigningMembers), JsValue> {
    let (mut call, service, op, members) = CallInput::read_signing(input)?;
    call.check(&op)?;
    Ok((op.build(&call.endpoint_for(service)), service, members))
}

/// A built request as JSON with an empty body, and the body text apart (a large body crosses
/// once, unescaped).
fn head_and_body(mut request: HttpRequest) -> Result<(String, String), JsValue> {
    let body = String::from_utf8(std::mem::take(&mut request.body))
        .map_err(|_| Thrown::internal("the request body is not UTF-8").into_js())?;
    Ok((to_json(&request)?, body))
}

/// A call built and signed in one crossing (`prepareCall` for calls without a long URL list):
/// a `CallInput` JSON with `credentials` and `signing` (its time filled in by the host; a
/// nonce asked of `host_nonce` when ACS3 signs and none is given) in; out, the `Signed` JSON
/// with the call's `service`. When the body is `hash_from` bytes or more (a host with a native
/// hash hashes such a body faster), the call is built but not signed: `[head, body, service]`
/// as [`build_request_parts`] gives them, for the host to sign as `signRequest` does.
#[wasm_bindgen(js_name = prepareCallJson, unchecked_return_type = "string | [string, string, Service]")]
pub fn prepare_call_json(
    input: &[u8],
    hash_from: u32,
    host_nonce: &js_sys::Function,
) -> Result<JsValue, JsValue> {
    let signing = Signing {
        hash_from: hash_from as usize,
        host_nonce,
        without_credentials: WithoutCredentials::Refuse,
    };
    Ok(match build_and_sign(input, signing, &|_| Ok(()))? {
        Prepared::Signed(json) => JsValue::from_str(&json),
        Prepared::Unsigned {
            head,
            body,
            service,
        } => js_sys::Array::of3(
            &JsValue::from_str(&head),
            &JsValue::from_str(&body),
            &to_js(&service)?,
        )
        .into(),
        // refused by `WithoutCredentials::Refuse`
        Prepared::NoCredentials => JsValue::UNDEFINED,
    })
}

/// How [`build_and_sign`] signs.
pub(crate) struct Signing<'a> {
    /// Bodies this long or longer are left to the host's hash: the call is built, not signed.
    pub hash_from: usize,
    /// Gives a fresh nonce when ACS3 signs and the caller gave none.
    pub host_nonce: &'a js_sys::Function,
    /// What a call without credentials gets once built.
    pub without_credentials: WithoutCredentials,
}

/// What a call without `credentials` gets once it is built (and found valid).
pub(crate) enum WithoutCredentials {
    /// `signRequest`'s error for the missing member.
    Refuse,
    /// [`Prepared::NoCredentials`]: the caller answers for it (the edge worker: 501).
    Answer,
}

/// What [`build_and_sign`] gives.
pub(crate) enum Prepared {
    /// `{service, request, explain}` JSON: `signRequest`'s answer with the call's service.
    Signed(String),
    /// Built, not signed (its body is for the host to hash).
    Unsigned {
        head: String,
        body: String,
        service: Service,
    },
    /// Built and valid, with no credentials to sign with.
    NoCredentials,
}

/// A `CallInput` JSON with `credentials` and `signing` read, validated, built and, once
/// `before_signing` accepts the request, signed: the errors, in their order, of `buildRequest`
/// then `signRequest`. (`dyn`: one copy of the whole path in the wasm for both callers.)
pub(crate) fn build_and_sign(
    input: &[u8],
    signing: Signing,
    before_signing: &dyn Fn(&HttpRequest) -> Result<(), JsValue>,
) -> Result<Prepared, JsValue> {
    let (mut request, service, members) = build_call(input)?;
    if request.body.len() >= signing.hash_from {
        let (head, body) = head_and_body(request)?;
        return Ok(Prepared::Unsigned {
            head,
            body,
            service,
        });
    }
    if matches!(signing.without_credentials, WithoutCredentials::Answer)
        && members
            .credentials
            .as_ref()
            .is_none_or(serde_json::Value::is_null)
    {
        return Ok(Prepared::NoCredentials);
    }
    before_signing(&request)?;
    let (credentials, params) = members.read(service, signing.host_nonce)?;
    let explain =
        sign::sign_request(&mut request, service, &credentials, &params).map_err(throw)?;
    Ok(Prepared::Signed(to_json(&SignedCall {
        service,
        request,
        explain,
    })?))
}

/// [`build_and_sign`]'s signed answer: `signRequest`'s with the call's service.
#[derive(Serialize)]
struct SignedCall {
    service: Service,
    request: HttpRequest,
    explain: SigningOutput,
}

/// The field of an action's parameters that a host may pass apart as one `\n`-joined text
/// ([`build_request_list`]): `Urls`, `Targets`; `undefined` for actions without a URL list.
#[wasm_bindgen(js_name = urlListField)]
pub fn url_list_field(action: &str, service: Option<String>) -> Option<String> {
    let service = service.as_deref().and_then(Service::parse);
    let (service, action) = Operation::resolve(action, service)?;
    let mut op = Operation::from_json_value(service, action, None).ok()?;
    op.url_list_mut().map(|(field, _)| field.to_string())
}

/// Lists up to this long keep their strings for the next list ([`SPARE_LIST`]).
const SPARE_LIST_MAX: usize = 10_000;

thread_local! {
    /// The strings of the last URL list, refilled by the next one (no allocation per URL).
    static SPARE_LIST: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The body of the last request [`build_request_list`] built, kept (unchanged) until it
    /// builds the next: a host with a native hash reads it in place to hash it, and
    /// [`sha256_kept_body`] hashes it without the body crossing back in (the full module only,
    /// `fast-read`: the call module stays as small as it was).
    #[cfg(feature = "fast-read")]
    static KEPT_BODY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// [`build_request_parts`] with the URL list apart: `input` is the `CallInput` JSON without
/// `params[field]`, `list` the list's `count` URLs joined by `\n` (UTF-8). The body is written
/// with the list spliced in (the core's `url_list`), so the URLs are never read or written as
/// JSON. `undefined` when the list does not split into `count` items (a URL with a `\n`) or
/// `field` is not the action's list: the caller then passes the list in `params`. Out:
/// `[head, body, at, length]`, where the body's UTF-8 bytes stay in the module's memory at
/// `at` until the next call of this function (`length` 0 when they could not be kept); the
/// call module (without `fast-read`) keeps nothing and answers `[head, body]`.
#[wasm_bindgen(js_name = buildRequestList, unchecked_return_type = "[string, string, number, number] | undefined")]
pub fn build_request_list(
    input: &[u8],
    field: &str,
    list: &[u8],
    count: u32,
) -> Result<JsValue, JsValue> {
    let (mut input, service, mut op) = CallInput::read(input)?;
    let spare = SPARE_LIST.with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)));
    let Some((items, escapes)) = edgewarm::url_list::split_lines_checked(
        utf8(list, "list")?,
        count as usize,
        spare.unwrap_or_default(),
    ) else {
        return Ok(JsValue::UNDEFINED);
    };
    match op.url_list_mut() {
        Some((name, slot)) if name == field && slot.is_none() => *slot = Some(items),
        _ => return Ok(JsValue::UNDEFINED),
    }
    input.check(&op)?;
    let (request, body) =
        edgewarm::url_list::build_text_split(&mut op, &input.endpoint_for(service), escapes);
    if let Some(items) = op.url_list_mut().and_then(|(_, slot)| slot.take()) {
        if items.len() <= SPARE_LIST_MAX {
            SPARE_LIST.with(|s| s.try_borrow_mut().map(|mut s| *s = items).ok());
        }
    }
    list_answer(&to_json(&request)?, body)
}

/// `[head, body]` of [`build_request_list`] in the call module.
#[cfg(not(feature = "fast-read"))]
fn list_answer(head: &str, body: String) -> Result<JsValue, JsValue> {
    Ok(js_sys::Array::of2(&JsValue::from_str(head), &JsValue::from_str(&body)).into())
}

/// `[head, body, at, length]` of [`build_request_list`], the body kept in [`KEPT_BODY`].
#[cfg(feature = "fast-read")]
fn list_answer(head: &str, body: String) -> Result<JsValue, JsValue> {
    let text = JsValue::from_str(&body);
    // the address of the body's bytes, which moving the `String` into the cell keeps
    let at = body.as_ptr() as usize as f64;
    let length = body.len() as f64;
    let kept = KEPT_BODY.with(|k| k.try_borrow_mut().map(|mut k| *k = body).is_ok());
    let (at, length) = if kept { (at, length) } else { (0.0, 0.0) };
    Ok(js_sys::Array::of4(
        &JsValue::from_str(head),
        &text,
        &JsValue::from_f64(at),
        &JsValue::from_f64(length),
    )
    .into())
}

/// Lower-case hex SHA-256 of the body [`build_request_list`] built last (the one kept), for
/// the host that checked it is the body it signs: its bytes are not copied in again.
#[cfg(feature = "fast-read")]
#[wasm_bindgen(js_name = sha256KeptBody)]
pub fn sha256_kept_body() -> Option<String> {
    KEPT_BODY.with(|k| {
        k.try_borrow()
            .ok()
            .map(|body| edgewarm::encoding::sha256_hex(body.as_bytes()))
    })
}

/// What [`sign_request`] needs besides the request.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct SignInput {
    /// The unsigned request (from `buildRequest`).
    pub request: HttpRequest,
    /// `teo`, `cdn` or `esa`: picks TC3 or ACS3 and the credential scope.
    pub service: Service,
    /// The key pair (used here only, never returned).
    pub credentials: Credentials,
    /// Time (unix seconds), nonce and payload hash.
    pub signing: SigningParams,
}

/// The signed request and every intermediate of the signature.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Signed {
    /// The request with its signing headers.
    pub request: HttpRequest,
    /// Canonical request, string to sign, signature, signed headers, headers added.
    pub explain: SigningOutput,
}

/// Signs a request: TC3-HMAC-SHA256 for `teo`/`cdn`, ACS3-HMAC-SHA256 for `esa`. `SignInput`
/// JSON in, `Signed` JSON out. With a precomputed payload hash the body is not needed (the JS
/// layer leaves it out and puts it back, so a large body never crosses twice).
#[wasm_bindgen(js_name = signRequestJson)]
pub fn sign_request_json(input: &[u8]) -> Result<String, JsValue> {
    let SignInput {
        mut request,
        service,
        credentials,
        signing,
    } = read_sign_input(utf8(input, "input")?)?;
    let explain =
        sign::sign_request(&mut request, service, &credentials, &signing).map_err(throw)?;
    to_json(&Signed { request, explain })
}

/// Lower-case hex SHA-256 of a body's UTF-8 bytes: the payload hash the core computes for
/// `{kind: 'fromBody'}`. The JS layer hashes a large body with it and signs with the digest, so
/// the body is copied into the module once instead of crossing as JSON both ways. Bytes, not a
/// string: the host's native `TextEncoder` encodes faster than the glue's per-character copy.
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex(body: &[u8]) -> String {
    edgewarm::encoding::sha256_hex(body)
}

/// A `SignInput` JSON read. With `fast-read` (the full module), serde_json's own reader goes
/// first (no `Value` in between: it signs faster); an input it refuses is read again by the
/// lean reader, so what is accepted, and each error's text, stay the lean reader's.
fn read_sign_input(text: &str) -> Result<SignInput, JsValue> {
    #[cfg(feature = "fast-read")]
    if let Ok(input) = serde_json::from_str::<SignInput>(text) {
        return Ok(input);
    }
    crate::convert::from_json_owned(text, "input")
}

/// [`sign_request_json`] with the body apart: `input` is the `SignInput` JSON with an empty
/// `request.body`, `body` the body's UTF-8 bytes (not read when `signing.payload` is
/// precomputed). The `Signed` JSON comes back with an empty `request.body`: a large body
/// crosses once, unescaped, and never comes back.
#[wasm_bindgen(js_name = signRequestParts)]
pub fn sign_request_parts(input: &[u8], body: &[u8]) -> Result<String, JsValue> {
    let SignInput {
        mut request,
        service,
        credentials,
        signing,
    } = read_sign_input(utf8(input, "input")?)?;
    if !body.is_empty() {
        utf8(body, "request.body")?;
        request.body = body.to_vec();
    }
    let explain =
        sign::sign_request(&mut request, service, &credentials, &signing).map_err(throw)?;
    request.body = Vec::new();
    to_json(&Signed { request, explain })
}

/// [`parse_response`] with the output as JSON text, for the host to `JSON.parse` (one string
/// across instead of a property set per member; the host turns each `null` into `undefined`,
/// as [`parse_response`] writes them). The full module only (`fast-read`).
#[cfg(feature = "fast-read")]
#[wasm_bindgen(js_name = parseResponseJson)]
pub fn parse_response_json(action: &str, status: u16, body: &str) -> Result<String, JsValue> {
    let (_, op) = operation(action, None, None)?;
    to_json(&op.parse_response(status, body.as_bytes()).map_err(throw)?)
}

/// Parses the answer (`status`, body text) to `action` into its typed output; throws an
/// `ApiError` (the vendor's code, class, retryable, hint) for an error answer.
#[wasm_bindgen(js_name = parseResponse, unchecked_return_type = "Output")]
pub fn parse_response(action: &str, status: u16, body: &str) -> Result<JsValue, JsValue> {
    // parameters do not matter for parsing: every operation's parameters default to empty
    let (_, op) = operation(action, None, None)?;
    to_js(&op.parse_response(status, body.as_bytes()).map_err(throw)?)
}

/// Verifies a signed request (either scheme) for `credentials` at `now` (unix seconds); throws
/// an `ApiError` with the vendor's own code on failure.
#[wasm_bindgen(js_name = verifyRequest, unchecked_return_type = "Verified")]
pub fn verify_request(
    #[wasm_bindgen(unchecked_param_type = "HttpRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Credentials")] credentials: JsValue,
    now: f64,
) -> Result<JsValue, JsValue> {
    let request: HttpRequest = from_js(request, "request")?;
    let credentials: Credentials = from_js(credentials, "credentials")?;
    let verified =
        sign::verify_request(&request, &credentials, now.trunc() as i64).map_err(throw)?;
    to_js(&verified)
}

/// What a documented vendor error code means.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CodeHelp {
    /// The vendor's error code, as documented (`LimitExceeded.DailyQuota`, …).
    pub code: String,
    /// `tencent` or `alibaba`.
    pub cloud: Cloud,
    /// What kind of failure it is (auth, throttled, quota, bad input, server, …).
    pub class: edgewarm::ErrorClass,
    /// Whether sending the same call again (re-signed) may succeed.
    pub retryable: bool,
    /// What it means and what to do next.
    pub hint: String,
}

/// The meaning of a vendor error code, or `undefined` for a code edgewarm does not know.
#[wasm_bindgen(js_name = lookupCode, unchecked_return_type = "CodeHelp | undefined")]
pub fn lookup_code(code: &str) -> Result<JsValue, JsValue> {
    for cloud in [Cloud::Tencent, Cloud::Alibaba] {
        if let Some(info) = codes::lookup(cloud, code) {
            return to_js(&CodeHelp {
                code: info.code.to_string(),
                cloud,
                class: info.class,
                retryable: info.retryable,
                hint: info.hint.to_string(),
            });
        }
    }
    Ok(JsValue::UNDEFINED)
}

/// A vendor error for people who read English: the message (a Chinese one with the code's
/// English line in front, the vendor's text kept after it) and the hint, which names the
/// parameter for the generic parameter codes.
#[derive(Debug, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExplainedError {
    /// The message to show.
    pub message: String,
    /// What to do next, when the code is documented.
    #[tsify(optional)]
    pub hint: Option<String>,
}

/// Explains a vendor answer (`code`, `message`): English first, and a hint naming the field
/// (from the message, else from `fields`, the parameters the call carried).
#[wasm_bindgen(js_name = explainError, unchecked_return_type = "ExplainedError")]
pub fn explain_error(
    code: &str,
    message: &str,
    fields: Option<Vec<String>>,
) -> Result<JsValue, JsValue> {
    let fields = fields.unwrap_or_default();
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    let cloud = [Cloud::Tencent, Cloud::Alibaba]
        .into_iter()
        .find(|c| codes::hint(*c, code).is_some())
        .unwrap_or(Cloud::Tencent);
    to_js(&ExplainedError {
        message: codes::english_message(cloud, code, message),
        hint: codes::hint_for(cloud, code, message, &fields),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two readers of `read_sign_input` give the same `SignInput` for every input serde_json's
    /// own reader accepts (inputs it refuses go to the lean reader, so they cannot differ).
    #[test]
    fn sign_input_readers_agree() {
        let inputs = [
            r#"{"request":{"method":"POST","host":"cdn.tencentcloudapi.com","path":"/","query":"","headers":[["Content-Type","application/json"],["X-TC-Action","Push\u0055rlsCache"]],"body":""},"service":"cdn","credentials":{"id":"AKID","secret":"s\"e\\c\u00e9"},"signing":{"time":1700000000,"nonce":"","payload":{"kind":"precomputed","sha256":"0000000000000000000000000000000000000000000000000000000000000000"}}}"#,
            r#"{"signing":{"time":-5,"payload":{"kind":"fromBody"}},"credentials":{"secret_id":"AK","secret_key":"x","token":"t"},"service":"esa","request":{"method":"GET","host":"esa.cn-hangzhou.aliyuncs.com","path":"/a","query":"b=1","headers":[["Host","x"]],"body":"","extra":1}}"#,
            r#"{"request":{"method":"POST","host":"teo.tencentcloudapi.com","path":"/","query":"","headers":[],"body":"{}"},"service":"teo","credentials":{"accessKeyId":"a","accessKeySecret":"b","securityToken":null},"signing":{"time":0,"nonce":"n"},"more":[1,{"x":null}]}"#,
        ];
        for text in inputs {
            let fast: SignInput = serde_json::from_str(text).expect("fast reader");
            let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
            let lean: SignInput = edgewarm::value_de::from_value(value).expect("lean reader");
            assert_eq!(fast.request, lean.request, "{text}");
            assert_eq!(fast.service, lean.service, "{text}");
            assert!(fast.credentials == lean.credentials, "{text}");
            assert_eq!(fast.signing, lean.signing, "{text}");
        }
    }
}
