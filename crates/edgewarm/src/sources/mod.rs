//! URL sources: where the URLs of a job come from. Text and CSV lists, sitemaps (with indexes
//! and gzip) and M3U8 playlists. Sans-IO like the rest of the core: a sitemap index or a master
//! playlist names more documents to fetch, and the shell fetches them and feeds them back.

mod detect;
pub mod list;
pub mod m3u8;
pub mod resolve;
pub mod sitemap;

pub use detect::{detect, SourceKind, SNIFF_BYTES};

use crate::error::Rule;
use serde::{Deserialize, Serialize};

/// A line (or entry) that was not taken, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Rejected {
    /// 1-based line number in the input (0 when the format has no lines, e.g. one-line XML).
    pub line: usize,
    /// The offending text (truncated to 200 characters).
    pub text: String,
    /// The rule it breaks.
    pub rule: Rule,
    /// A sentence for people.
    pub message: String,
}

/// URLs taken from a source, in input order and without duplicates, plus the rejected lines.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Extracted {
    /// The URLs taken, absolute, in input order, each once.
    pub urls: Vec<String>,
    /// Every line or entry not taken, with its line number and the rule it breaks.
    pub rejected: Vec<Rejected>,
    /// How many duplicates were dropped.
    pub duplicates: usize,
}
