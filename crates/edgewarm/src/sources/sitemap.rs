//! Sitemaps (sitemaps.org): `<urlset>` gives the URLs to warm, `<sitemapindex>` names more
//! sitemaps for the shell to fetch and feed back. Gzip is detected by its magic bytes; the XML
//! is read as a stream (constant memory besides the output); elements are matched by local
//! name, so any namespace prefix works; CDATA and entities are handled; `<image:loc>` and other
//! extensions are ignored.

use super::list::Collector;
use super::Rejected;
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read};

/// Largest decompressed sitemap read (the protocol allows 50 MB; 512 MiB leaves room).
pub const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// What a sitemap document gives.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Sitemap {
    /// Page URLs (`<urlset>`).
    pub urls: Vec<String>,
    /// Child sitemaps to fetch (`<sitemapindex>`).
    pub sitemaps: Vec<String>,
    /// Locs that are not usable URLs.
    pub rejected: Vec<Rejected>,
    /// Repeated locs dropped.
    pub duplicates: usize,
}

/// Why a sitemap could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SitemapError {
    /// Not well-formed XML.
    #[error("the sitemap is not well-formed XML at byte {position}: {message}")]
    Xml {
        /// Byte offset.
        position: u64,
        /// Parser's words.
        message: String,
    },
    /// The root is neither `urlset` nor `sitemapindex`.
    #[error("not a sitemap: the root element is neither <urlset> nor <sitemapindex>")]
    NotASitemap,
    /// Bad gzip data.
    #[error("the gzip data is damaged: {0}")]
    Gzip(String),
    /// Over [`MAX_BYTES`] once decompressed.
    #[error("the sitemap is larger than {MAX_BYTES} bytes")]
    TooLarge,
}

/// Parses a sitemap or sitemap index, gzipped or not.
pub fn parse(bytes: &[u8]) -> Result<Sitemap, SitemapError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| SitemapError::Gzip(e.to_string()))?;
        if out.len() as u64 > MAX_BYTES {
            return Err(SitemapError::TooLarge);
        }
        return parse_reader(strip_bom(&out));
    }
    parse_reader(strip_bom(bytes))
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b)
}

/// Parses from any buffered reader, streaming. (Locs carry no line numbers: `line` is 0.)
pub fn parse_reader<R: BufRead>(reader: R) -> Result<Sitemap, SitemapError> {
    let mut xml = quick_xml::Reader::from_reader(reader);
    xml.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut root: Option<Vec<u8>> = None;
    let mut loc: Option<String> = None;
    let mut urls = Collector::default();
    let mut sitemaps = Collector::default();
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| SitemapError::Xml {
                position: xml.error_position(),
                message: e.to_string(),
            })?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_vec();
                if root.is_none() {
                    if name != b"urlset" && name != b"sitemapindex" {
                        return Err(SitemapError::NotASitemap);
                    }
                    root = Some(name.clone());
                }
                if name == b"loc" {
                    loc = Some(String::new());
                }
                stack.push(name);
            }
            Event::Empty(e) if root.is_none() => {
                let name = e.local_name();
                if name.as_ref() != b"urlset" && name.as_ref() != b"sitemapindex" {
                    return Err(SitemapError::NotASitemap);
                }
                root = Some(name.as_ref().to_vec());
            }
            Event::Text(t) => {
                if let Some(l) = loc.as_mut() {
                    let text = t.unescape().map_err(|e| SitemapError::Xml {
                        position: xml.buffer_position(),
                        message: e.to_string(),
                    })?;
                    l.push_str(&text);
                }
            }
            Event::CData(c) => {
                if let Some(l) = loc.as_mut() {
                    l.push_str(&String::from_utf8_lossy(&c.into_inner()));
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if name == b"loc" {
                    let parent = stack.last().map(Vec::as_slice);
                    if let Some(text) = loc.take() {
                        let text = text.trim();
                        match parent {
                            Some(b"url") => urls.offer(0, text),
                            Some(b"sitemap") => sitemaps.offer(0, text),
                            _ => {}
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if root.is_none() {
        return Err(SitemapError::NotASitemap);
    }
    let u = urls.finish();
    let s = sitemaps.finish();
    let mut rejected = u.rejected;
    rejected.extend(s.rejected);
    Ok(Sitemap {
        urls: u.urls,
        sitemaps: s.urls,
        rejected,
        duplicates: u.duplicates + s.duplicates,
    })
}
