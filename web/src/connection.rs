//! Connections: how the console reaches and signs for each vendor. Keys live in memory (in the
//! store) unless the user opts in to "remember in this tab" (sessionStorage); a sandbox
//! connection is preconfigured; the edge-worker mode holds no key at all.

use edgewarm::{Cloud, Credentials};
use serde::{Deserialize, Serialize};

/// How calls are signed and where they go.
#[derive(Clone, PartialEq)]
pub enum Connection {
    /// The built-in sandbox cloud behind the proxy, with its well-known keys.
    Sandbox,
    /// The user's keys, through the proxy that served the console.
    Keys {
        /// SecretId / AccessKey ID (shown).
        id: String,
        /// SecretKey / AccessKey secret (never shown back, logged or put in a URL).
        secret: String,
        /// STS token, if any.
        token: Option<String>,
    },
    /// Signed by the edge worker at `base`: no key in the browser, only the worker's bearer
    /// token (its `EDGEWARM_SIGN_TOKEN`), kept like keys.
    EdgeWorker {
        /// The worker's URL.
        base: String,
        /// Bearer token for `/sign` (never shown back, logged or put in a URL).
        token: String,
    },
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Connection::Sandbox => f.write_str("Sandbox"),
            Connection::Keys { id, .. } => write!(f, "Keys({id}, ** redacted **)"),
            Connection::EdgeWorker { base, .. } => {
                write!(f, "EdgeWorker({base}, ** token redacted **)")
            }
        }
    }
}

/// The sandbox's well-known keys (README; like LocalStack's test/test).
pub const SANDBOX_TENCENT: (&str, &str) = (
    "AKIDSANDBOX0000000000000000000000000",
    "sandbox-tencent-secret",
);
/// The sandbox's well-known Alibaba keys.
pub const SANDBOX_ALIBABA: (&str, &str) = ("LTAISANDBOX0000000000000", "sandbox-alibaba-secret");

impl Connection {
    /// Credentials for `cloud`: the sandbox's, the user's, or a placeholder the worker replaces.
    pub fn credentials(&self, cloud: Cloud) -> Credentials {
        match self {
            Connection::Sandbox => {
                let (id, secret) = match cloud {
                    Cloud::Tencent => SANDBOX_TENCENT,
                    Cloud::Alibaba => SANDBOX_ALIBABA,
                };
                Credentials::new(id, secret)
            }
            Connection::Keys { id, secret, token } => Credentials::new(id.clone(), secret.clone())
                .with_token(token.clone().unwrap_or_default()),
            Connection::EdgeWorker { .. } => {
                Credentials::new("edge-worker", "signed-by-the-worker")
            }
        }
    }

    /// A short label for headings (never the secret).
    pub fn label(&self) -> String {
        match self {
            Connection::Sandbox => "Sandbox cloud".into(),
            Connection::Keys { id, .. } => {
                let shown: String = id.chars().take(8).collect();
                format!("Keys {shown}…")
            }
            Connection::EdgeWorker { base, .. } => format!("Edge worker {base}"),
        }
    }

    /// Whether this connection has what it needs to sign.
    pub fn is_ready(&self) -> bool {
        match self {
            Connection::Sandbox => true,
            Connection::Keys { id, secret, .. } => !id.trim().is_empty() && !secret.is_empty(),
            Connection::EdgeWorker { base, token } => {
                (base.starts_with("http://") || base.starts_with("https://"))
                    && !token.trim().is_empty()
            }
        }
    }
}

/// What "remember in this tab" stores: the pair and token, in sessionStorage only. Its `Debug`
/// hides the secret and token, and both are wiped from memory when it is dropped.
#[derive(Serialize, Deserialize, PartialEq)]
pub struct Remembered {
    /// The SecretId / AccessKeyId.
    pub id: String,
    /// Secret (sessionStorage only, by the user's explicit choice).
    pub secret: String,
    /// The session token of temporary (STS) keys, if any.
    pub token: Option<String>,
}

impl std::fmt::Debug for Remembered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered")
            .field("id", &self.id)
            .field("secret", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

impl Remembered {
    /// The remembered keys as a connection (moves them out; what is left is wiped on drop).
    pub fn into_connection(mut self) -> Connection {
        Connection::Keys {
            id: std::mem::take(&mut self.id),
            secret: std::mem::take(&mut self.secret),
            token: self.token.take(),
        }
    }
}

impl Drop for Remembered {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.secret.zeroize();
        if let Some(t) = self.token.as_mut() {
            t.zeroize();
        }
    }
}

impl Drop for Connection {
    /// Wipes the user's secret and token from memory when a connection value goes away.
    fn drop(&mut self) {
        use zeroize::Zeroize;
        if let Connection::Keys { secret, token, .. } = self {
            secret.zeroize();
            if let Some(t) = token.as_mut() {
                t.zeroize();
            }
        }
        if let Connection::EdgeWorker { token, .. } = self {
            token.zeroize();
        }
    }
}

/// What "remember in this tab" stores for an edge-worker connection: its URL and bearer token,
/// in sessionStorage only. `Debug` hides the token; it is wiped from memory on drop.
#[derive(Serialize, Deserialize, PartialEq)]
pub struct RememberedWorker {
    /// The worker's URL.
    pub base: String,
    /// Its bearer token.
    pub token: String,
}

impl std::fmt::Debug for RememberedWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RememberedWorker")
            .field("base", &self.base)
            .field("token", &"** redacted **")
            .finish()
    }
}

impl RememberedWorker {
    /// The remembered worker as a connection (moves the token out; the rest is wiped on drop).
    pub fn into_connection(mut self) -> Connection {
        Connection::EdgeWorker {
            base: std::mem::take(&mut self.base),
            token: std::mem::take(&mut self.token),
        }
    }
}

impl Drop for RememberedWorker {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.token.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn remembered_keys_never_show_in_debug_and_still_round_trip() {
        let keys = Remembered {
            id: "AKIDSHOWN".into(),
            secret: "remembered-secret".into(),
            token: Some("remembered-token".into()),
        };
        let shown = format!("{keys:?} {keys:#?}");
        assert!(shown.contains("AKIDSHOWN"), "{shown}");
        assert!(!shown.contains("remembered-secret") && !shown.contains("remembered-token"));
        let text = serde_json::to_string(&keys).unwrap();
        let back: Remembered = serde_json::from_str(&text).unwrap();
        assert_eq!(back, keys);
        let c = back.into_connection();
        let shown = format!("{c:?}");
        assert!(!shown.contains("remembered-secret") && !shown.contains("remembered-token"));
        assert!(c.is_ready());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn worker_token_never_shows_and_is_required() {
        let w = RememberedWorker {
            base: "https://edge.example".into(),
            token: "worker-bearer-token".into(),
        };
        assert!(!format!("{w:?}").contains("worker-bearer-token"));
        let back: RememberedWorker =
            serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
        let c = back.into_connection();
        assert!(!format!("{c:?} {}", c.label()).contains("worker-bearer-token"));
        assert!(c.is_ready());
        let no_token = Connection::EdgeWorker {
            base: "https://edge.example".into(),
            token: " ".into(),
        };
        assert!(!no_token.is_ready());
    }
}
