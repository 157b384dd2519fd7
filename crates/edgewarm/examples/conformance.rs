//! Conformance adapter between the SDK-captured vectors (the conformance vectors beside the
//! checkout) and the core.
//!
//! `build`: reads vector inputs (JSON lines) and prints, per line, the request the core builds
//! and signs for the same logical call, time and nonce — without the validation step, because
//! the vectors carry inputs the clouds would refuse on purpose. `verify`: reads captured (and
//! tampered) requests and prints the core verifier's verdict with the vendor's error code.
//!
//! `cargo xtask conformance` runs both modes under the checkers, which start this adapter as
//! `cargo run -q --release -p edgewarm --example conformance -- build` (or `verify`).

use base64::Engine;
use edgewarm::sign::{self, acs3, tc3};
use edgewarm::{
    Credentials, Endpoint, HttpRequest, Method, Operation, Service, SigningParams, Site,
};
use serde_json::{json, Value};
use std::io::{BufRead, Write};

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn credentials(v: &Value) -> Credentials {
    let c = v.get("credentials").cloned().unwrap_or(Value::Null);
    Credentials::new(text(&c, "secret_id"), text(&c, "secret_key")).with_token(text(&c, "token"))
}

/// The endpoint the way a caller would configure it: service + site (Tencent) or region (ESA);
/// a caller-pinned host otherwise, as the SDK drivers pinned theirs.
fn endpoint(service: Service, v: &Value) -> Endpoint {
    let host = text(v, "host");
    let region = v.get("region").and_then(Value::as_str);
    let derived = match service {
        Service::Esa => region.and_then(Endpoint::esa),
        s => {
            let site = if host.contains(".intl.") {
                Site::Intl
            } else {
                Site::China
            };
            let mut e = Endpoint::tencent(s, site);
            e.region = region.map(str::to_string);
            let lang = v.pointer("/client/language").and_then(Value::as_str);
            e.language = lang.map(str::to_string);
            Some(e)
        }
    };
    match derived {
        Some(e) if e.host == host => e,
        Some(mut e) => {
            e.host = host;
            e
        }
        None => Endpoint::custom(host),
    }
}

fn build(v: &Value) -> Result<Value, String> {
    let service = Service::parse(&text(v, "service")).ok_or("unknown service")?;
    let params = v.get("params").cloned().unwrap_or(Value::Null);
    let op =
        Operation::from_parts(service, &text(v, "action"), params).map_err(|e| e.to_string())?;
    let mut req = op.build(&endpoint(service, v));
    let time = match v.get("timestamp") {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f.trunc() as i64)),
        _ => None,
    }
    .ok_or("no timestamp")?;
    let params = SigningParams::new(time, text(v, "nonce"));
    let out = sign::sign_request(&mut req, service, &credentials(v), &params)
        .map_err(|e| e.to_string())?;
    let mut headers = vec![json!(["Host", req.host])];
    headers.extend(req.headers.iter().map(|(n, val)| json!([n, val])));
    Ok(json!({
        "method": req.method.as_str(),
        "path": req.path,
        "query": req.query,
        "headers": headers,
        "body": req.body_text(),
        "debug": {"canonical_request": out.canonical_request, "string_to_sign": out.string_to_sign},
    }))
}

fn captured_request(r: &Value) -> Result<HttpRequest, String> {
    let method = match text(r, "method").as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => return Err(format!("unsupported method {other:?}")),
    };
    let mut req = HttpRequest::new(method, text(r, "host"));
    req.path = text(r, "path");
    req.query = text(r, "query");
    req.headers = r
        .get("headers")
        .and_then(Value::as_array)
        .map(|hs| {
            hs.iter()
                .filter_map(|h| {
                    Some((
                        h.get(0)?.as_str()?.to_string(),
                        h.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    req.body = match r.get("body_b64").and_then(Value::as_str) {
        Some(b) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .map_err(|e| e.to_string())?,
        None => text(r, "body").into_bytes(),
    };
    Ok(req)
}

fn verify(v: &Value) -> Value {
    let id = v.get("id").cloned().unwrap_or(Value::Null);
    let req = match captured_request(v.get("request").unwrap_or(&Value::Null)) {
        Ok(r) => r,
        Err(e) => {
            return json!({"id": id, "ok": false, "code": "UnsupportedProtocol", "message": e})
        }
    };
    let now = v.get("now").and_then(Value::as_i64).unwrap_or(0);
    let creds = credentials(v);
    let verdict = match text(v, "vendor").as_str() {
        "tencent" => tc3::verify(&req, &creds, now),
        "alibaba" => acs3::verify(&req, &creds, now),
        _ => sign::verify_request(&req, &creds, now),
    };
    match verdict {
        Ok(_) => json!({"id": id, "ok": true}),
        Err(e) => json!({"id": id, "ok": false, "code": e.code, "message": e.message}),
    }
}

/// Escapes the characters a line reader may split on (NEL, U+2028, U+2029); serde_json leaves
/// them raw, which is valid JSON, but the checkers read lines with Python's `splitlines`.
fn one_line(json: &str) -> String {
    json.replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn main() -> std::process::ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode != "build" && mode != "verify" {
        eprintln!("usage: conformance build|verify  (JSON lines on stdin)");
        return std::process::ExitCode::from(2);
    }
    let stdin = std::io::stdin();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let out = match serde_json::from_str::<Value>(&line) {
            Err(e) => json!({"error": format!("not JSON: {e}")}),
            Ok(v) if mode == "verify" => verify(&v),
            Ok(v) => {
                let id = v.get("id").cloned().unwrap_or(Value::Null);
                match build(&v) {
                    Ok(mut r) => {
                        r["id"] = id;
                        r
                    }
                    Err(e) => json!({"id": id, "error": e}),
                }
            }
        };
        if writeln!(stdout, "{}", one_line(&out.to_string())).is_err() {
            break;
        }
    }
    let _ = stdout.flush();
    std::process::ExitCode::SUCCESS
}
