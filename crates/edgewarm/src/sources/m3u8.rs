//! HLS playlists (RFC 8216) expanded to what a CDN must warm: a master playlist names variant
//! and rendition playlists, a media playlist names segments, keys and init sections. Every URI
//! is resolved against the playlist's own URL. [`Expander`] walks master → media → segments
//! without doing I/O: it says which playlist to fetch next and is fed the text.

use super::resolve::{is_http, resolve};
use super::Rejected;
use crate::error::Rule;
use serde::{Deserialize, Serialize};
use std::collections::{HashSet, VecDeque};

/// What one playlist names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Playlist {
    /// The media segment URLs, absolute, in playlist order (what gets warmed).
    pub segments: Vec<String>,
    /// Variant and rendition playlists (to fetch and expand).
    pub playlists: Vec<String>,
    /// Keys, init sections, parts and preload hints.
    pub resources: Vec<String>,
    /// URIs that did not resolve.
    pub rejected: Vec<Rejected>,
}

/// Why a playlist could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum M3u8Error {
    /// Empty or not text.
    #[error("the playlist is empty or not text")]
    Empty,
    /// The playlist's own URL is not an absolute http(s) URL.
    #[error("the playlist URL {0:?} is not an absolute http(s) URL")]
    BadBase(String),
}

/// `KEY=VALUE` attributes of a tag, quoted values may hold commas.
fn attribute(list: &str, key: &str) -> Option<String> {
    let mut rest = list;
    while !rest.is_empty() {
        let eq = rest.find('=')?;
        let k = rest[..eq].trim();
        let after = &rest[eq + 1..];
        let (value, tail) = if let Some(stripped) = after.strip_prefix('"') {
            let end = stripped.find('"').unwrap_or(stripped.len());
            let tail = stripped.get(end + 1..).unwrap_or("");
            (&stripped[..end], tail)
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if k.eq_ignore_ascii_case(key) {
            return Some(value.to_string());
        }
        rest = tail.trim_start_matches(',');
    }
    None
}

fn push_unique(list: &mut Vec<String>, seen: &mut HashSet<String>, url: String) {
    if seen.insert(url.clone()) {
        list.push(url);
    }
}

/// Parses one playlist fetched from `playlist_url`.
pub fn parse(text: &str, playlist_url: &str) -> Result<Playlist, M3u8Error> {
    let base = resolve(playlist_url, None)
        .ok()
        .filter(|b| is_http(b))
        .ok_or_else(|| M3u8Error::BadBase(playlist_url.into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() || text.contains('\0') {
        return Err(M3u8Error::Empty);
    }
    let mut p = Playlist::default();
    let mut seen = HashSet::new();
    let mut next_is_variant = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let resolve = |uri: &str, p: &mut Playlist| -> Option<String> {
            match resolve(uri, Some(&base)) {
                Ok(u) if is_http(&u) => Some(u),
                Ok(_) => None,
                Err(e) => {
                    p.rejected.push(Rejected {
                        line: i + 1,
                        text: uri.chars().take(200).collect(),
                        rule: Rule::UrlSyntax,
                        message: format!("the URI does not resolve: {e}"),
                    });
                    None
                }
            }
        };
        if let Some(tag) = line.strip_prefix('#') {
            let (name, attrs) = tag.split_once(':').unwrap_or((tag, ""));
            match name {
                "EXT-X-STREAM-INF" => next_is_variant = true,
                "EXT-X-MEDIA" | "EXT-X-I-FRAME-STREAM-INF" => {
                    if let Some(u) = attribute(attrs, "URI").and_then(|u| resolve(&u, &mut p)) {
                        push_unique(&mut p.playlists, &mut seen, u);
                    }
                }
                "EXT-X-KEY" | "EXT-X-SESSION-KEY" | "EXT-X-MAP" | "EXT-X-PART"
                | "EXT-X-PRELOAD-HINT" => {
                    if let Some(u) = attribute(attrs, "URI").and_then(|u| resolve(&u, &mut p)) {
                        push_unique(&mut p.resources, &mut seen, u);
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some(u) = resolve(line, &mut p) {
            if next_is_variant {
                push_unique(&mut p.playlists, &mut seen, u);
            } else {
                push_unique(&mut p.segments, &mut seen, u);
            }
        }
        next_is_variant = false;
    }
    Ok(p)
}

/// Walks a playlist tree breadth-first: the shell fetches what [`Expander::next_fetch`] names
/// and hands the text to [`Expander::feed`]. Vendors follow at most 3 levels; so does
/// `max_depth = 3` (the root is level 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Expander {
    queue: VecDeque<(String, usize)>,
    seen: HashSet<String>,
    found: Vec<String>,
    found_set: HashSet<String>,
    max_depth: usize,
    in_flight: Vec<(String, usize)>,
    /// Playlists not fetched because they were deeper than `max_depth`.
    pub skipped: Vec<String>,
    /// Playlists that failed, with why.
    pub errors: Vec<(String, String)>,
}

impl Expander {
    /// A walk from `root_url`.
    pub fn new(root_url: &str, max_depth: usize) -> Result<Expander, M3u8Error> {
        let root = resolve(root_url, None)
            .ok()
            .filter(|b| is_http(b))
            .ok_or_else(|| M3u8Error::BadBase(root_url.into()))?;
        let mut e = Expander {
            queue: VecDeque::new(),
            seen: HashSet::new(),
            found: Vec::new(),
            found_set: HashSet::new(),
            max_depth,
            in_flight: Vec::new(),
            skipped: Vec::new(),
            errors: Vec::new(),
        };
        e.seen.insert(root.clone());
        e.queue.push_back((root, 0));
        Ok(e)
    }

    fn add(&mut self, url: String) {
        if self.found_set.insert(url.clone()) {
            self.found.push(url);
        }
    }

    /// The next playlist to fetch.
    pub fn next_fetch(&mut self) -> Option<String> {
        let (url, depth) = self.queue.pop_front()?;
        self.in_flight.push((url.clone(), depth));
        Some(url)
    }

    /// The text of a fetched playlist.
    pub fn feed(&mut self, url: &str, text: &str) {
        let depth = match self.in_flight.iter().position(|(u, _)| u == url) {
            Some(i) => self.in_flight.swap_remove(i).1,
            None => 0,
        };
        self.add(url.to_string());
        match parse(text, url) {
            Ok(p) => {
                for s in p.segments.into_iter().chain(p.resources) {
                    self.add(s);
                }
                for child in p.playlists {
                    if !self.seen.insert(child.clone()) {
                        continue;
                    }
                    if depth + 1 > self.max_depth {
                        self.add(child.clone());
                        self.skipped.push(child);
                    } else {
                        self.queue.push_back((child, depth + 1));
                    }
                }
            }
            Err(e) => self.errors.push((url.to_string(), e.to_string())),
        }
    }

    /// A playlist could not be fetched.
    pub fn fetch_failed(&mut self, url: &str, reason: &str) {
        self.in_flight.retain(|(u, _)| u != url);
        self.errors.push((url.to_string(), reason.to_string()));
    }

    /// Every playlist fetched plus every segment and resource, deduplicated, in order found.
    pub fn urls(&self) -> Vec<String> {
        self.found.clone()
    }

    /// Nothing left to fetch.
    pub fn is_done(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty()
    }
}
