//! Ready-made job specs, one per vendor, for tests, examples and benchmarks: the same zone, CDN
//! target and ESA site everywhere (the sandbox's ids), so that a test says which vendor and
//! which options it needs and not how a spec is spelled. Nothing here is used by the engine.

use super::{JobOptions, JobSpec, Target};
use crate::vendor::{Endpoint, Service, Site};

/// The EdgeOne zone id the fixtures use.
pub const ZONE_ID: &str = "zone-sandbox";

/// The ESA site id the fixtures use.
pub const SITE_ID: i64 = 100_000_001;

/// The ESA region the fixtures use.
pub const ESA_REGION: &str = "cn-hangzhou";

/// The target of `service` with no options: EdgeOne zone [`ZONE_ID`], CDN with the vendor's
/// defaults, ESA site [`SITE_ID`].
pub fn target(service: Service) -> Target {
    match service {
        Service::Teo => Target::Edgeone {
            zone_id: ZONE_ID.into(),
            mode: None,
            headers: Default::default(),
            prefetch_media_segments: None,
            cache_tag_domains: Vec::new(),
        },
        Service::Cdn => Target::Cdn {
            area: None,
            layer: None,
            user_agent: None,
            parse_m3u8: None,
            disable_range: None,
            headers: Default::default(),
        },
        Service::Esa => Target::Esa {
            site_id: SITE_ID,
            headers: Default::default(),
        },
    }
}

/// The endpoint of `service`: the China site for Tencent, [`ESA_REGION`] for ESA.
pub fn endpoint(service: Service) -> Endpoint {
    match service {
        Service::Esa => Endpoint {
            host: format!("esa.{ESA_REGION}.aliyuncs.com"),
            region: Some(ESA_REGION.into()),
            language: None,
        },
        tencent => Endpoint::tencent(tencent, Site::China),
    }
}

/// A spec for `service` keyed by `key_id`, with `options`.
pub fn spec_with(service: Service, key_id: &str, options: JobOptions) -> JobSpec {
    JobSpec {
        target: target(service),
        endpoint: endpoint(service),
        key_id: key_id.into(),
        options,
        kind: Default::default(),
    }
}

/// A spec for `service` keyed by `key_id`, with the default options.
pub fn spec(service: Service, key_id: &str) -> JobSpec {
    spec_with(service, key_id, JobOptions::default())
}
