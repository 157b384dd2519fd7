//! Sitemaps (sitemaps.org): `<urlset>` gives the URLs to warm, `<sitemapindex>` names more
//! sitemaps for the shell to fetch and feed back. Gzip is detected by its magic bytes and
//! inflated as a stream into the XML reader, never whole: a document is refused as soon as it
//! passes its decompressed cap (a gzip bomb costs at most the cap, not its inflated size). The
//! XML is read as a stream (constant memory besides the output); elements are matched by local
//! name, so any namespace prefix works; CDATA and entities are handled; `<image:loc>` and other
//! extensions are ignored.

use super::list::Collector;
use super::Rejected;
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read};

/// Default cap on one sitemap's decompressed size: the protocol's own limit ("no larger than
/// 50MB (52,428,800 bytes)", sitemaps.org, *Sitemaps XML format*).
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;

/// Default cap on how many sitemap documents one source may name in all (the root and every
/// child of its indexes). The protocol allows 50,000 children per index (sitemaps.org, *Using
/// Sitemap index files*); 1,000 documents of up to 50 MB is already 50 GB, so the default is
/// lower (assumed). Children are counted against it before they are fetched.
pub const DEFAULT_MAX_SITEMAPS: usize = 1000;

/// Bounds on reading sitemaps. Every cap is a parameter: the core does no I/O, the shells pass
/// these to the parser and enforce the byte caps on their fetches too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", default)]
pub struct SitemapLimits {
    /// Largest decompressed document, in bytes ([`DEFAULT_MAX_BYTES`]).
    pub max_bytes: u64,
    /// Most documents per source, counting index children before they are fetched
    /// ([`DEFAULT_MAX_SITEMAPS`]).
    pub max_sitemaps: usize,
}

impl Default for SitemapLimits {
    fn default() -> Self {
        SitemapLimits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_sitemaps: DEFAULT_MAX_SITEMAPS,
        }
    }
}

impl SitemapLimits {
    /// How many of `listed` children of an index may still be fetched when `used` documents
    /// of this source were already read or queued; `Err` names the cap when some do not fit
    /// (the shell fetches the first `fit` and reports the error).
    pub fn admit_children(&self, used: usize, listed: usize) -> Result<usize, SitemapError> {
        let left = self.max_sitemaps.saturating_sub(used);
        if listed <= left {
            Ok(listed)
        } else {
            Err(SitemapError::TooManySitemaps {
                listed,
                left,
                limit: self.max_sitemaps,
            })
        }
    }
}

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
        /// Where in the (decompressed) document the parser stopped, in bytes.
        position: u64,
        /// What the XML parser said.
        message: String,
    },
    /// The root is neither `urlset` nor `sitemapindex`.
    #[error("not a sitemap: the root element is neither <urlset> nor <sitemapindex>")]
    NotASitemap,
    /// Bad gzip data.
    #[error("the gzip data is damaged: {0}")]
    Gzip(String),
    /// Over the decompressed cap ([`SitemapLimits::max_bytes`]).
    #[error(
        "the sitemap is larger than the cap of {limit} bytes once decompressed (maxBytes; a gzip bomb or not a sitemap)"
    )]
    TooLarge {
        /// The cap, in bytes.
        limit: u64,
    },
    /// A sitemap index names more children than the document cap leaves room for.
    #[error(
        "the sitemap index lists {listed} child sitemaps but only {left} more fit under the cap of {limit} sitemaps per source (maxSitemaps); the rest are not fetched"
    )]
    TooManySitemaps {
        /// Children listed by the index.
        listed: usize,
        /// How many could still be fetched.
        left: usize,
        /// The most sitemaps one source may fetch (`maxSitemaps`).
        limit: usize,
    },
}

/// Parses a sitemap or sitemap index, gzipped or not, with the default caps.
pub fn parse(bytes: &[u8]) -> Result<Sitemap, SitemapError> {
    parse_capped(bytes, DEFAULT_MAX_BYTES)
}

/// Parses a sitemap or sitemap index, gzipped or not, refusing it once more than `max_bytes`
/// have been read after decompression. Memory stays bounded by the cap whatever the gzip
/// stream inflates to.
pub fn parse_capped(bytes: &[u8], max_bytes: u64) -> Result<Sitemap, SitemapError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        if bytes.len() as u64 > max_bytes {
            return Err(SitemapError::TooLarge { limit: max_bytes });
        }
        return parse_reader(strip_bom(bytes));
    }
    let failure = RefCell::new(None);
    let capped = Capped {
        inner: flate2::read::GzDecoder::new(bytes),
        left: max_bytes,
        limit: max_bytes,
        failure: &failure,
    };
    let mut reader = BufReader::with_capacity(64 * 1024, capped);
    let head = reader
        .fill_buf()
        .map(|b| b.starts_with(&[0xEF, 0xBB, 0xBF]));
    if let Ok(true) = head {
        reader.consume(3);
    }
    let parsed = parse_reader(reader);
    match failure.into_inner() {
        Some(e) => Err(e),
        None => parsed,
    }
}

/// A reader that fails once more than `limit` bytes came through, and records why it failed
/// (the cap, or damaged gzip) for the caller, since the XML reader reports only "I/O error".
struct Capped<'a, R> {
    inner: R,
    left: u64,
    limit: u64,
    failure: &'a RefCell<Option<SitemapError>>,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = match self.inner.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) => {
                *self.failure.borrow_mut() = Some(SitemapError::Gzip(e.to_string()));
                return Err(e);
            }
        };
        if n as u64 > self.left {
            *self.failure.borrow_mut() = Some(SitemapError::TooLarge { limit: self.limit });
            return Err(std::io::Error::other("over the sitemap cap"));
        }
        self.left -= n as u64;
        Ok(n)
    }
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
