//! How core failures cross the boundary: one plain, serialisable shape that the JS layer turns
//! into `EdgewarmError` subclasses. Never a panic: every failure path ends here.

#[cfg(feature = "jobs")]
use edgewarm::job::JournalError;
use edgewarm::proxy_policy::Refusal;
use edgewarm::{ApiError, Error, ValidationError, ValidationErrors};
use serde::Serialize;
use wasm_bindgen::JsValue;

/// A failure as thrown to JS.
#[derive(Debug, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Thrown {
    /// `validation`, `api`, `unknown-action`, `params`, `malformed-response`, `signing`,
    /// `argument`, `journal`, `refusal`, `source`, `internal`.
    pub kind: &'static str,
    /// Stable code: the vendor's code for `api`, `edgewarm.<Kind>` otherwise.
    pub code: String,
    /// Sentence for people.
    pub message: String,
    /// Field named by the first problem, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Rule broken by the first problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Error class (`auth`, `throttled`, `quota`, `invalid`, `not-found`, `conflict`, `server`).
    pub class: &'static str,
    /// Whether the same call, re-signed, may succeed.
    pub retryable: bool,
    /// Every validation problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ValidationError>,
    /// Vendor request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// HTTP status (API errors, proxy refusals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// What to do next (documented codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Thrown {
    /// Converts to the thrown JS value.
    #[cold]
    pub fn into_js(self) -> JsValue {
        edgewarm::value_ser::to_value(&self)
            .map(crate::convert::js_of)
            .unwrap_or_else(|_| JsValue::from_str(&self.message))
    }

    /// A bad argument (`what` names it).
    pub fn argument(what: &str, reason: &str) -> Thrown {
        Thrown {
            kind: "argument",
            code: "edgewarm.InvalidArgument".into(),
            message: format!("{what}: {reason}"),
            field: Some(what.to_string()),
            class: "invalid",
            ..Thrown::default()
        }
    }

    /// Something that should not happen (a value that cannot be represented in JS).
    pub fn internal(reason: &str) -> Thrown {
        Thrown {
            kind: "internal",
            code: "edgewarm.Internal".into(),
            message: reason.to_string(),
            class: "server",
            ..Thrown::default()
        }
    }

    /// A source that could not be read.
    #[cfg(feature = "sources")]
    pub fn source(reason: String) -> Thrown {
        Thrown {
            kind: "source",
            code: "edgewarm.BadSource".into(),
            message: reason,
            class: "invalid",
            ..Thrown::default()
        }
    }
}

impl From<ValidationErrors> for Thrown {
    fn from(e: ValidationErrors) -> Thrown {
        let first = e.errors.first().cloned();
        Thrown {
            kind: "validation",
            code: "edgewarm.Validation".into(),
            message: e.to_string(),
            field: first.as_ref().map(|f| f.field.clone()),
            rule: first.and_then(|f| {
                edgewarm::value_ser::to_value(&f.rule)
                    .ok()?
                    .as_str()
                    .map(String::from)
            }),
            class: "invalid",
            errors: e.errors,
            ..Thrown::default()
        }
    }
}

impl From<ApiError> for Thrown {
    fn from(e: ApiError) -> Thrown {
        // the hint names the parameter when the message does (generic parameter codes)
        let hint = e
            .hint(&[])
            .or_else(|| edgewarm::vendor::codes::hint_any(&e.code).map(String::from));
        Thrown {
            kind: "api",
            message: e.message,
            code: e.code,
            class: e.class.as_str(),
            retryable: e.retryable,
            request_id: e.request_id,
            http_status: e.http_status,
            hint,
            ..Thrown::default()
        }
    }
}

impl From<Error> for Thrown {
    fn from(e: Error) -> Thrown {
        let base = Thrown {
            kind: e.kind(),
            code: e.code().to_string(),
            message: e.to_string(),
            class: e.class().as_str(),
            retryable: e.retryable(),
            ..Thrown::default()
        };
        match e {
            Error::Validation(v) => v.into(),
            Error::Api(a) => a.into(),
            Error::Params { action, .. } => Thrown {
                field: Some(action),
                ..base
            },
            Error::UnknownAction { .. } => Thrown {
                field: Some("action".into()),
                ..base
            },
            Error::MalformedResponse { status, .. } => Thrown {
                http_status: Some(status),
                ..base
            },
            Error::Signing(_) => base,
        }
    }
}

impl From<Refusal> for Thrown {
    fn from(r: Refusal) -> Thrown {
        Thrown {
            kind: "refusal",
            code: r.code,
            message: r.message,
            class: "invalid",
            http_status: Some(r.status),
            ..Thrown::default()
        }
    }
}

#[cfg(feature = "jobs")]
impl From<JournalError> for Thrown {
    fn from(e: JournalError) -> Thrown {
        let (code, field) = match &e {
            JournalError::Write(_) => ("edgewarm.JournalNotWritten", None),
            JournalError::Invalid { field, .. } => {
                ("edgewarm.BadJournal", Some(format!("journal.{field}")))
            }
            JournalError::Malformed(_) | JournalError::UnsupportedVersion { .. } => {
                ("edgewarm.BadJournal", Some("journal".into()))
            }
        };
        Thrown {
            kind: "journal",
            code: code.into(),
            message: e.to_string(),
            field,
            class: "invalid",
            ..Thrown::default()
        }
    }
}

/// `?`-friendly conversion of any core failure into the thrown value (`#[cold]`: an error
/// path, kept out of line; see the core's `Checks::fail`).
#[cold]
pub fn throw(e: impl Into<Thrown>) -> JsValue {
    e.into().into_js()
}
