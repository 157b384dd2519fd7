//! The three products edgewarm speaks to: their services, endpoints and typed operations. Each
//! operation is a serde struct with the vendor's own field names that implements [`Call`]:
//! `validate` (explicit, before signing), `build` (→ unsigned [`HttpRequest`]) and a typed
//! `Output` parsed by [`crate::response`].

pub mod cdn;

pub mod codes;
pub mod edgeone;
mod endpoint_options;
pub mod esa;
/// ESA purge tracking, also reachable as `esa::purge_tracking`.
pub use esa::purge_tracking as esa_purge_tracking;
mod wire;

pub use codes::Cloud;
pub use endpoint_options::{EndpointOptions, DEFAULT_ESA_REGION};

use crate::error::ValidationErrors;
use crate::limits::Limits;
use crate::request::{HttpRequest, Method};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One vendor product API, named by its API product code (`teo`, `cdn`, `esa`): the code that
/// signatures, hosts and operations use. Users see the vendor name instead (`edgeone`, `cdn`,
/// `esa`): the job target's `vendor` tag, the CLI's `--vendor`, the package's `vendor` option,
/// the journal and the docs. Where a user or an old journal writes `teo` as a vendor, it is read
/// as `edgeone` and written back as `edgeone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Service {
    /// Tencent Cloud EdgeOne, `teo` 2022-09-01.
    Teo,
    /// Tencent Cloud CDN, `cdn` 2018-06-06.
    Cdn,
    /// Alibaba Cloud ESA, `esa` 2024-09-10.
    Esa,
}

impl Service {
    /// The three services, in the order the shells list them.
    pub const ALL: [Service; 3] = [Service::Teo, Service::Cdn, Service::Esa];

    /// `teo`, `cdn` or `esa` (also the TC3 credential-scope service).
    pub fn name(self) -> &'static str {
        match self {
            Service::Teo => "teo",
            Service::Cdn => "cdn",
            Service::Esa => "esa",
        }
    }

    /// The API version edgewarm speaks (`X-TC-Version` / `x-acs-version`).
    pub fn version(self) -> &'static str {
        match self {
            Service::Teo => "2022-09-01",
            Service::Cdn => "2018-06-06",
            Service::Esa => "2024-09-10",
        }
    }

    /// The cloud, hence the signature scheme (TC3 or ACS3).
    pub const fn cloud(self) -> Cloud {
        match self {
            Service::Teo | Service::Cdn => Cloud::Tencent,
            Service::Esa => Cloud::Alibaba,
        }
    }

    /// Parses `teo` / `edgeone`, `cdn`, `esa`.
    pub fn parse(s: &str) -> Option<Service> {
        match s.to_ascii_lowercase().as_str() {
            "teo" | "edgeone" => Some(Service::Teo),
            "cdn" => Some(Service::Cdn),
            "esa" => Some(Service::Esa),
            _ => None,
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Tencent's two sites: same API and signature, different host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Site {
    /// `<service>.tencentcloudapi.com`
    #[default]
    China,
    /// `<service>.intl.tencentcloudapi.com`
    Intl,
}

/// The documented ESA regions (public endpoints `esa.<region>.aliyuncs.com`).
pub const ESA_REGIONS: [&str; 2] = ["cn-hangzhou", "ap-southeast-1"];

/// Where a call goes and the per-endpoint headers: host, Tencent `X-TC-Region` and
/// `X-TC-Language`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// API host the request is addressed and signed for.
    pub host: String,
    /// Tencent: `X-TC-Region` (optional for teo and cdn). Alibaba: the region of the host.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub region: Option<String>,
    /// Tencent: `X-TC-Language` (`zh-CN` or `en-US`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub language: Option<String>,
}

impl Endpoint {
    /// The public endpoint of a Tencent service on a site: `teo.tencentcloudapi.com`,
    /// `cdn.intl.tencentcloudapi.com`, … For ESA use [`Endpoint::esa`].
    pub fn tencent(service: Service, site: Site) -> Endpoint {
        let host = match site {
            Site::China => format!("{}.tencentcloudapi.com", service.name()),
            Site::Intl => format!("{}.intl.tencentcloudapi.com", service.name()),
        };
        Endpoint {
            host,
            region: None,
            language: None,
        }
    }

    /// The regional ESA endpoint `esa.<region>.aliyuncs.com`; `None` for a region name that is
    /// not a DNS label (documented regions: [`ESA_REGIONS`]).
    pub fn esa(region: &str) -> Option<Endpoint> {
        let ok = !region.is_empty()
            && region.len() <= 63
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| Endpoint {
            host: format!("esa.{region}.aliyuncs.com"),
            region: Some(region.to_string()),
            language: None,
        })
    }

    /// The regional ESA VPC endpoint `esa-vpc.<region>.aliyuncs.com` (ESA 2024-09-10 endpoint
    /// page, "VPC endpoint" column); `None` for a region name that is not a DNS label.
    pub fn esa_vpc(region: &str) -> Option<Endpoint> {
        Endpoint::esa(region).map(|e| Endpoint {
            host: format!("esa-vpc.{region}.aliyuncs.com"),
            ..e
        })
    }

    /// The default endpoint of a service (China site; ESA `cn-hangzhou`).
    pub fn default_for(service: Service) -> Endpoint {
        match service {
            Service::Esa => Endpoint {
                host: "esa.cn-hangzhou.aliyuncs.com".into(),
                region: Some("cn-hangzhou".into()),
                language: None,
            },
            s => Endpoint::tencent(s, Site::China),
        }
    }

    /// Any host (a sandbox, a test double); region and language unset.
    pub fn custom(host: impl Into<String>) -> Endpoint {
        Endpoint {
            host: host.into(),
            region: None,
            language: None,
        }
    }

    /// Sets `X-TC-Region` / the region.
    pub fn with_region(mut self, region: impl Into<String>) -> Endpoint {
        self.region = Some(region.into());
        self
    }

    /// Sets `X-TC-Language`.
    pub fn with_language(mut self, language: impl Into<String>) -> Endpoint {
        self.language = Some(language.into());
        self
    }
}

/// A typed vendor operation.
pub trait Call: Serialize + DeserializeOwned + crate::record::Params {
    /// The service it belongs to.
    const SERVICE: Service;
    /// The action name (`X-TC-Action` / `x-acs-action`).
    const ACTION: &'static str;
    /// HTTP method.
    const METHOD: Method;
    /// The typed success answer.
    type Output: Serialize + DeserializeOwned + crate::record::Record;

    /// Checks every documented rule; all problems at once. Every high-level path runs this
    /// before signing. Building does not require it (builders handle any value as the SDKs do).
    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors>;

    /// The unsigned request for `endpoint`.
    fn build(&self, endpoint: &Endpoint) -> HttpRequest {
        // the cloud is known at compile time: each model is serialised for its own cloud's
        // wire form only (one serializer instantiated per model, not both)
        if const { matches!(Self::SERVICE.cloud(), Cloud::Tencent) } {
            return wire::build_tencent(Self::SERVICE, Self::ACTION, Self::METHOD, self, endpoint);
        }
        wire::build_alibaba(
            Self::SERVICE,
            Self::ACTION,
            Self::METHOD,
            self,
            Self::body_fields(),
            endpoint,
        )
    }

    /// ESA: the parameters that go in the form body (all others go in the query).
    fn body_fields() -> &'static [&'static str] {
        &[]
    }
}
