//! ESA's PurgeCaches: what a purge names (files, directories, cache tags, hosts, cache keys)
//! and the per-type caps. Tracking purges (DescribePurgeTasks, GetPurgeQuota) is in
//! [`super::purge_tracking`].

use super::super::{Call, Service};
use super::{check_domains, check_site, TaskIdOutput};
use crate::error::{Rule, ValidationErrors};
use crate::limits::Limits;
use crate::request::Method;
use crate::validate::Checks;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// A cache key of PurgeCaches `cachekey` purges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CacheKey {
    /// The URL of the cached object.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub url: Option<String>,
    /// Headers that are part of the cache key.
    #[cfg_attr(feature = "ts", tsify(optional, type = "Record<string, string>"))]
    pub headers: Option<IndexMap<String, String>>,
}
crate::record::param_record!(CacheKey {
    url: "Url",
    headers: "Headers"
});

/// What PurgeCaches purges (one JSON string parameter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct PurgeContent {
    /// The cache keys to purge, for a `cachekey` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub cache_keys: Option<Vec<CacheKey>>,
    /// The cache tags to purge, for a `cachetag` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub cache_tags: Option<Vec<String>>,
    /// The directories (URL prefixes) to purge, for a `directory` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub directories: Option<Vec<String>>,
    /// The URLs to purge, for a `file` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub files: Option<Vec<String>>,
    /// The host names to purge, for a `hostname` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub hostnames: Option<Vec<String>>,
    /// The URLs to purge whatever their query, for an `ignoreParams` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub ignore_params: Option<Vec<String>>,
    /// `true` to purge everything of the site, for a `purgeall` purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub purge_all: Option<bool>,
}
crate::record::param_record!(PurgeContent {
    cache_keys: "CacheKeys",
    cache_tags: "CacheTags",
    directories: "Directories",
    files: "Files",
    hostnames: "Hostnames",
    ignore_params: "IgnoreParams",
    purge_all: "PurgeAll"
});

/// PurgeCaches: purge cached content (all in the query of a POST without body). Per call
/// (PurgeCaches API page): `file` up to 1 000 URLs, `directory` and `ignoreParams` up to 100,
/// `cachetag` up to 30, `hostname` up to 10 (`cachekey`: none stated, 100 assumed); the URLs of
/// `file`, `directory` and `ignoreParams` may span at most 10 domains (see [`Limits`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct PurgeCaches {
    /// The ESA site (`SiteId`) whose cache is purged.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// `file`, `cachekey`, `cachetag`, `directory`, `ignoreParams`, `hostname`, `purgeall`.
    #[serde(rename = "Type")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub kind: Option<String>,
    /// What to purge.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub content: Option<PurgeContent>,
    /// Purge even unchanged content (directory, tag, ignoreParams, hostname, all).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub force: Option<bool>,
    /// Also purge Edge Routine cache.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub edge_compute_purge: Option<bool>,
}
crate::record::param_record!(PurgeCaches {
    site_id: "SiteId",
    kind: "Type",
    content: "Content",
    force: "Force",
    edge_compute_purge: "EdgeComputePurge"
});

impl Call for PurgeCaches {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "PurgeCaches";
    const METHOD: Method = Method::Post;
    type Output = TaskIdOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        let types = [
            "file",
            "cachekey",
            "cachetag",
            "directory",
            "ignoreParams",
            "hostname",
            "purgeall",
        ];
        if c.required("Type", &self.kind) {
            c.one_of("Type", &self.kind, &types);
        }
        let content = self.content.clone().unwrap_or_default();
        let l = limits;
        let domains = "one PurgeCaches call of file, directory or ignoreParams URLs may span";
        match self.kind.as_deref() {
            Some("file") => {
                let listed = c.list("Content.Files", &content.files, l.esa_purge_files);
                if listed {
                    let files = content.files.as_deref().unwrap_or_default();
                    c.urls("Content.Files", files, Service::Esa);
                    check_domains(&mut c, "Content.Files", files, l.esa_purge_domains, domains);
                }
            }
            Some("directory") => {
                let f = "Content.Directories";
                if c.list(f, &content.directories, l.esa_purge_directories) {
                    let dirs = content.directories.as_deref().unwrap_or_default();
                    check_domains(&mut c, f, dirs, l.esa_purge_domains, domains);
                }
            }
            Some("ignoreParams") => {
                let f = "Content.IgnoreParams";
                if c.list(f, &content.ignore_params, l.esa_purge_ignore_params) {
                    let urls = content.ignore_params.as_deref().unwrap_or_default();
                    check_domains(&mut c, f, urls, l.esa_purge_domains, domains);
                }
            }
            Some("cachetag") => {
                c.list(
                    "Content.CacheTags",
                    &content.cache_tags,
                    l.esa_purge_cache_tags,
                );
            }
            Some("hostname") => {
                c.list(
                    "Content.Hostnames",
                    &content.hostnames,
                    l.esa_purge_hostnames,
                );
            }
            Some("cachekey") => {
                c.list(
                    "Content.CacheKeys",
                    &content.cache_keys,
                    l.esa_purge_cache_keys,
                );
            }
            Some("purgeall") if content.purge_all != Some(true) => {
                c.fail(
                    "Content.PurgeAll",
                    Rule::Combination,
                    "purgeall needs Content.PurgeAll = true",
                );
            }
            _ => {}
        }
        c.finish()
    }
}
