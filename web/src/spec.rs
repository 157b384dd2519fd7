//! From the forms to the core's types: the endpoint, the job target and the job spec. Every
//! problem is a notice naming the field.

use crate::store::{Form, Notice};
use edgewarm::job::{JobKind, JobOptions, JobSpec, PurgeType, Target};
use edgewarm::{Endpoint, Service, Site};

/// Headers typed as `Name: value` lines.
pub fn headers(text: &str) -> Result<Vec<(String, String)>, Notice> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(Notice::local(
                "edgewarm.Headers",
                format!("Headers line {}: write it as 'Name: value'", i + 1),
            ));
        };
        out.push((name.trim().to_string(), value.trim().to_string()));
    }
    Ok(out)
}

/// The endpoint of `service` for the forms.
pub fn endpoint(state: &Form, service: Service) -> Result<Endpoint, Notice> {
    match service {
        Service::Esa => Endpoint::esa(state.target.region.trim()).ok_or_else(|| {
            Notice::local(
                "edgewarm.Region",
                format!("Region {:?} is not a region name", state.target.region),
            )
        }),
        s => Ok(Endpoint::tencent(
            s,
            if state.target.intl {
                Site::Intl
            } else {
                Site::China
            },
        )),
    }
}

/// The job spec for the current vendor and forms.
pub fn job_spec(state: &Form) -> Result<JobSpec, Notice> {
    let t = &state.target;
    let service = state.vendor;
    let target = match service {
        Service::Teo => {
            if t.zone_id.trim().is_empty() {
                return Err(Notice::local(
                    "edgewarm.ZoneId",
                    "ZoneId is required for EdgeOne",
                ));
            }
            Target::Edgeone {
                zone_id: t.zone_id.trim().to_string(),
                mode: None,
                headers: headers(&t.headers)?.into(),
                prefetch_media_segments: None,
                cache_tag_domains: Vec::new(),
            }
        }
        Service::Cdn => {
            let h = headers(&t.headers)?;
            if h.len() > 20 {
                return Err(Notice::local(
                    "edgewarm.Headers",
                    format!("Headers: {} given, Tencent CDN takes at most 20", h.len()),
                ));
            }
            Target::Cdn {
                area: Some(t.area.clone()).filter(|a| !a.is_empty()),
                layer: Some(t.layer.clone()).filter(|a| !a.is_empty()),
                user_agent: Some(t.user_agent.clone()).filter(|a| !a.is_empty()),
                parse_m3u8: t.parse_m3u8.then_some(true),
                disable_range: t.disable_range.then_some(true),
                headers: h.into(),
            }
        }
        Service::Esa => {
            let site_id = t.site_id.trim().parse::<i64>().map_err(|_| {
                Notice::local(
                    "edgewarm.SiteId",
                    format!("SiteId must be a number (got {:?})", t.site_id),
                )
            })?;
            Target::Esa {
                site_id,
                headers: headers(&t.headers)?.into_iter().collect(),
            }
        }
    };
    let rate = t
        .rate
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r > 0.0)
        .ok_or_else(|| {
            Notice::local(
                "edgewarm.Rate",
                format!(
                    "Rate must be a number of requests per second above 0 (got {:?})",
                    t.rate
                ),
            )
        })?;
    if let Some(purge) = t.kind.purge_type() {
        if purge.vendor_name(service).is_none() {
            return Err(Notice::local(
                "edgewarm.Kind",
                format!(
                    "What to do: {} cannot purge {} (it purges URLs or directories)",
                    crate::components::resume_banner::vendor_label(service),
                    purge_words(purge)
                ),
            ));
        }
    }
    let connection = state.connection(service);
    if !connection.is_ready() {
        return Err(Notice::local(
            "edgewarm.Connection",
            "the connection needs a key id and a secret (or pick the sandbox)",
        ));
    }
    Ok(JobSpec {
        target,
        endpoint: endpoint(state, service)?,
        key_id: connection.credentials(service.cloud()).id.clone(),
        options: JobOptions {
            rate_per_sec: rate,
            poll_interval_ms: 1_000,
            ..JobOptions::default()
        },
        kind: t.kind,
    })
}

/// What a purge of `purge` names, in words (`URLs`, `directories`, `hosts`, `cache tags`).
pub fn purge_words(purge: PurgeType) -> &'static str {
    match purge {
        PurgeType::Url => "URLs",
        PurgeType::Path => "directories",
        PurgeType::Host => "hosts",
        PurgeType::Tag => "cache tags",
    }
}

/// The primary action's verb for `kind`: `Warm`, `Refresh` or `Purge`.
pub fn verb(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Prefetch => "Warm",
        JobKind::Refresh => "Refresh",
        JobKind::Purge { .. } => "Purge",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn forms_become_specs_or_name_the_bad_field() {
        let mut s = Form::default();
        let spec = job_spec(&s).expect("the defaults are a valid sandbox EdgeOne job");
        assert_eq!(spec.endpoint.host, "teo.tencentcloudapi.com");
        s.vendor = Service::Esa;
        s.target.site_id = "abc".into();
        assert_eq!(job_spec(&s).unwrap_err().code, "edgewarm.SiteId");
        s.target.site_id = "100000001".into();
        s.target.rate = "0".into();
        assert_eq!(job_spec(&s).unwrap_err().code, "edgewarm.Rate");
        s.vendor = Service::Cdn;
        s.target.rate = "20".into();
        s.target.headers = "X-A: 1\nbroken".into();
        assert_eq!(job_spec(&s).unwrap_err().code, "edgewarm.Headers");
        s.target.headers = String::new();
        s.target.kind = JobKind::Refresh;
        assert_eq!(job_spec(&s).expect("a CDN refresh").kind, JobKind::Refresh);
        s.target.kind = JobKind::Purge {
            purge_type: PurgeType::Host,
        };
        let e = job_spec(&s).unwrap_err();
        assert_eq!(e.code, "edgewarm.Kind");
        assert!(e.text.contains("hosts"), "{}", e.text);
    }
}
