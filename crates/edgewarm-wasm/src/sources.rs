//! URL sources for JS: lists (text, CSV), sitemaps, M3U8 playlists (the `sources` feature; the
//! per-vendor URL checks are in `urls.rs`, part of the call module). Fetching the documents a
//! sitemap index or a master playlist names is the JS layer's job; these functions only read
//! what they are given.

use crate::convert::{optional, to_js};
use crate::errors::Thrown;
use edgewarm::sources::{list, m3u8, sitemap};
use wasm_bindgen::prelude::*;

/// URLs from a text or CSV list (`name` picks the format by extension, text otherwise), each
/// rejected line with its number and rule.
#[wasm_bindgen(js_name = parseList, unchecked_return_type = "Extracted")]
pub fn parse_list(name: &str, text: &str) -> Result<JsValue, JsValue> {
    to_js(&list::parse_auto(name, text))
}

/// A sitemap or sitemap index (plain or gzip bytes): page URLs, child sitemaps to fetch next,
/// rejected locs. `limits.maxBytes` caps the decompressed size (default 50 MiB): a larger
/// document, or a gzip bomb, throws `BadSource` naming the cap after inflating at most that much.
#[wasm_bindgen(js_name = parseSitemap, unchecked_return_type = "Sitemap")]
pub fn parse_sitemap(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "Partial<SitemapLimits> | undefined")] limits: JsValue,
) -> Result<JsValue, JsValue> {
    let limits = sitemap_limits(limits)?;
    let map = sitemap::parse_capped(bytes, limits.max_bytes)
        .map_err(|e| Thrown::source(e.to_string()).into_js())?;
    to_js(&map)
}

fn sitemap_limits(limits: JsValue) -> Result<sitemap::SitemapLimits, JsValue> {
    optional(limits, "limits")
}

/// The sitemap caps in effect: the defaults with `limits` laid over them.
#[wasm_bindgen(js_name = sitemapLimits, unchecked_return_type = "SitemapLimits")]
pub fn sitemap_limits_js(
    #[wasm_bindgen(unchecked_param_type = "Partial<SitemapLimits> | undefined")] limits: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&sitemap_limits(limits)?)
}

/// How many of the `listed` children of a sitemap index may be fetched when `used` documents
/// of the source were already read or queued: `{admit, error?}`, the error naming the cap when
/// some do not fit. Children are counted before any is fetched.
#[wasm_bindgen(js_name = admitSitemapChildren, unchecked_return_type = "{ admit: number; error?: string }")]
pub fn admit_sitemap_children(
    used: u32,
    listed: u32,
    #[wasm_bindgen(unchecked_param_type = "Partial<SitemapLimits> | undefined")] limits: JsValue,
) -> Result<JsValue, JsValue> {
    let limits = sitemap_limits(limits)?;
    let out = match limits.admit_children(used as usize, listed as usize) {
        Ok(n) => serde_json::json!({ "admit": n }),
        Err(e) => {
            let left = match e {
                sitemap::SitemapError::TooManySitemaps { left, .. } => left,
                _ => 0,
            };
            serde_json::json!({ "admit": left, "error": e.to_string() })
        }
    };
    to_js(&out)
}

/// Which reader a source needs (`list`, `sitemap`, `m3u8`) from its name, its content type and
/// its first bytes.
#[wasm_bindgen(js_name = detectSource, unchecked_return_type = "SourceKind")]
pub fn detect_source(
    name: Option<String>,
    content_type: Option<String>,
    bytes: &[u8],
) -> Result<JsValue, JsValue> {
    let head = &bytes[..bytes.len().min(edgewarm::sources::SNIFF_BYTES)];
    to_js(&edgewarm::sources::detect(
        name.as_deref(),
        content_type.as_deref(),
        head,
    ))
}

/// One M3U8 playlist read against its own URL: segments, sub-playlists to fetch, resources.
#[wasm_bindgen(js_name = parsePlaylist, unchecked_return_type = "Playlist")]
pub fn parse_playlist(text: &str, url: &str) -> Result<JsValue, JsValue> {
    let list = m3u8::parse(text, url).map_err(|e| Thrown::source(e.to_string()).into_js())?;
    to_js(&list)
}

/// Walks an M3U8 tree (master → media → segments): JS fetches what `nextFetch` names and
/// hands the text to `feed`; the core resolves, dedupes and bounds the depth.
#[wasm_bindgen(js_name = PlaylistExpander)]
pub struct JsExpander {
    inner: m3u8::Expander,
}

#[wasm_bindgen(js_class = PlaylistExpander)]
impl JsExpander {
    /// A walk from `rootUrl`, at most `maxDepth` levels below it (vendors follow 3).
    #[wasm_bindgen(constructor)]
    pub fn new(root_url: &str, max_depth: u32) -> Result<JsExpander, JsValue> {
        let inner = m3u8::Expander::new(root_url, max_depth as usize)
            .map_err(|e| Thrown::source(e.to_string()).into_js())?;
        Ok(JsExpander { inner })
    }

    /// The next playlist URL to fetch, or `undefined`.
    #[wasm_bindgen(js_name = nextFetch)]
    pub fn next_fetch(&mut self) -> Option<String> {
        self.inner.next_fetch()
    }

    /// The text of a fetched playlist.
    pub fn feed(&mut self, url: &str, text: &str) {
        self.inner.feed(url, text);
    }

    /// A playlist could not be fetched.
    #[wasm_bindgen(js_name = fetchFailed)]
    pub fn fetch_failed(&mut self, url: &str, reason: &str) {
        self.inner.fetch_failed(url, reason);
    }

    /// Playlists, segments and resources found, deduplicated, in order.
    pub fn urls(&self) -> Vec<String> {
        self.inner.urls()
    }

    /// Playlists that failed, as `[url, reason]`.
    #[wasm_bindgen(unchecked_return_type = "[string, string][]")]
    pub fn errors(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.errors)
    }

    /// Nothing left to fetch.
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }
}
