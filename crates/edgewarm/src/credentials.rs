//! Credentials for both clouds. A secret key lives only here and inside the signers: it is never
//! serialised (no `Serialize`), never printed (`Debug` redacts it and the session token), never
//! put on a request, and wiped from memory when the value is dropped.

use serde::Deserialize;
use std::fmt;
use zeroize::Zeroize;

/// A key pair, optionally with an STS session token: Tencent SecretId / SecretKey / Token, or
/// Alibaba AccessKeyId / AccessKeySecret / SecurityToken.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// Tencent SecretId or Alibaba AccessKeyId (public: it appears in Authorization).
    #[serde(alias = "secret_id", alias = "accessKeyId")]
    pub id: String,
    /// Tencent SecretKey or Alibaba AccessKeySecret.
    #[serde(alias = "secret_key", alias = "accessKeySecret")]
    secret: String,
    /// STS session token (`X-TC-Token` / `x-acs-security-token`).
    #[serde(default, alias = "securityToken")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub token: Option<String>,
}

impl Credentials {
    /// Long-term key pair.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials {
            id: id.into(),
            secret: secret.into(),
            token: None,
        }
    }

    /// Temporary (STS) credentials; an empty token counts as none.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.token = if token.is_empty() { None } else { Some(token) };
        self
    }

    /// The secret, for the signers only.
    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }

    /// The session token when there is a non-empty one.
    pub fn session_token(&self) -> Option<&str> {
        self.token.as_deref().filter(|t| !t.is_empty())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("id", &self.id)
            .field("secret", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

impl Drop for Credentials {
    /// Overwrites the secret and the session token before their memory is freed.
    fn drop(&mut self) {
        self.secret.zeroize();
        if let Some(token) = self.token.as_mut() {
            token.zeroize();
        }
    }
}

/// Where a verifier finds the key for a key id (the sandbox holds several).
pub trait CredentialStore {
    /// The credentials whose id is `id`, if known.
    fn find(&self, id: &str) -> Option<&Credentials>;
}

impl CredentialStore for Credentials {
    fn find(&self, id: &str) -> Option<&Credentials> {
        (self.id == id).then_some(self)
    }
}

impl CredentialStore for [Credentials] {
    fn find(&self, id: &str) -> Option<&Credentials> {
        self.iter().find(|c| c.id == id)
    }
}

impl CredentialStore for Vec<Credentials> {
    fn find(&self, id: &str) -> Option<&Credentials> {
        self.as_slice().find(id)
    }
}
