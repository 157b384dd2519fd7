//! The endpoint a shell asks for by site and region, with the defaults filled in by one rule:
//! Tencent services on the China site unless `intl`, ESA in `cn-hangzhou` unless a region is
//! named, `X-TC-Region` / `X-TC-Language` only when given. The CLI flags, the Action and Vite
//! options and the console's connection form all come here.

use super::{Endpoint, Service, Site};
use crate::error::{Rule, ValidationError, ValidationErrors};
use serde::{Deserialize, Serialize};

/// The ESA region used when none is named (the first documented region, [`super::ESA_REGIONS`]).
pub const DEFAULT_ESA_REGION: &str = "cn-hangzhou";

/// What a caller may say about an endpoint; everything optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct EndpointOptions {
    /// Tencent: `china` (default) or `intl`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site: Option<Site>,
    /// Tencent: `X-TC-Region`; ESA: the region of the host (`cn-hangzhou` by default).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub region: Option<String>,
    /// Tencent: `X-TC-Language`.
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub language: Option<String>,
}

impl Endpoint {
    /// The public endpoint of `service` as `options` ask, defaults filled in; an ESA region
    /// that is not a region name is refused (field `region`). An empty region reads as unset.
    pub fn public(
        service: Service,
        options: &EndpointOptions,
    ) -> Result<Endpoint, ValidationErrors> {
        let region = options.region.as_deref().filter(|r| !r.is_empty());
        let mut e = match service {
            Service::Esa => {
                let region = region.unwrap_or(DEFAULT_ESA_REGION);
                Endpoint::esa(region).ok_or_else(|| ValidationErrors {
                    errors: vec![ValidationError::new(
                        "region",
                        Rule::Characters,
                        format!("{region:?} is not a region name"),
                    )],
                })?
            }
            s => {
                let mut e = Endpoint::tencent(s, options.site.unwrap_or_default());
                e.region = region.map(String::from);
                e
            }
        };
        if let Some(language) = &options.language {
            e.language = Some(language.clone());
        }
        Ok(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_china_site_and_hangzhou() {
        let none = EndpointOptions::default();
        assert_eq!(
            Endpoint::public(Service::Teo, &none).unwrap().host,
            "teo.tencentcloudapi.com"
        );
        let esa = Endpoint::public(Service::Esa, &none).unwrap();
        assert_eq!(esa.host, "esa.cn-hangzhou.aliyuncs.com");
        assert_eq!(esa.region.as_deref(), Some("cn-hangzhou"));
    }

    #[test]
    fn site_region_and_language_are_kept() {
        let o = EndpointOptions {
            site: Some(Site::Intl),
            region: Some("ap-singapore".into()),
            language: Some("en-US".into()),
        };
        let e = Endpoint::public(Service::Cdn, &o).unwrap();
        assert_eq!(e.host, "cdn.intl.tencentcloudapi.com");
        assert_eq!(e.region.as_deref(), Some("ap-singapore"));
        assert_eq!(e.language.as_deref(), Some("en-US"));
        let empty = EndpointOptions {
            region: Some(String::new()),
            ..EndpointOptions::default()
        };
        assert_eq!(Endpoint::public(Service::Cdn, &empty).unwrap().region, None);
    }

    #[test]
    fn a_bad_esa_region_names_the_field() {
        let o = EndpointOptions {
            region: Some("not a region".into()),
            ..EndpointOptions::default()
        };
        let e = Endpoint::public(Service::Esa, &o).unwrap_err();
        assert_eq!(e.errors[0].field, "region");
    }
}
