//! Which reader a source needs — a URL list, a sitemap or an M3U8 playlist — from its name, its
//! declared content type and its first bytes. One rule for every shell (the package, the CLI,
//! the console), so a file is read the same way wherever it is dropped.

use serde::{Deserialize, Serialize};

/// The kind of a URL source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A text or CSV list of URLs ([`super::list`]).
    List,
    /// A sitemap or sitemap index, plain or gzip ([`super::sitemap`]).
    Sitemap,
    /// An M3U8 playlist ([`super::m3u8`]).
    M3u8,
}

/// How many leading bytes [`detect`] looks at.
pub const SNIFF_BYTES: usize = 512;

/// The kind of a source: by the name's extension first (`.m3u8`/`.m3u`, `.xml`/`.gz`) (query and fragment ignored), then the
/// content type, then the first bytes (gzip magic, `#EXTM3U`, an XML declaration or a sitemap
/// root element, after a BOM and white space); a list otherwise.
pub fn detect(name: Option<&str>, content_type: Option<&str>, bytes: &[u8]) -> SourceKind {
    let name = name.unwrap_or("").to_ascii_lowercase();
    let name = name.split(['?', '#']).next().unwrap_or("");
    if name.ends_with(".m3u8") || name.ends_with(".m3u") {
        return SourceKind::M3u8;
    }
    if name.ends_with(".xml") || name.ends_with(".gz") {
        return SourceKind::Sitemap;
    }
    let media = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/vnd.apple.mpegurl"
        | "application/x-mpegurl"
        | "audio/mpegurl"
        | "audio/x-mpegurl" => return SourceKind::M3u8,
        "application/xml" | "text/xml" | "application/gzip" | "application/x-gzip" => {
            return SourceKind::Sitemap
        }
        _ => {}
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return SourceKind::Sitemap;
    }
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let head = head.strip_prefix(&[0xef, 0xbb, 0xbf][..]).unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    if head.starts_with(b"#EXTM3U") {
        SourceKind::M3u8
    } else if head.starts_with(b"<?xml")
        || head.starts_with(b"<urlset")
        || head.starts_with(b"<sitemapindex")
    {
        SourceKind::Sitemap
    } else {
        SourceKind::List
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_decides_first() {
        assert_eq!(detect(Some("Video.M3U8?x=1"), None, b""), SourceKind::M3u8);
        assert_eq!(
            detect(Some("sitemap.xml.gz"), None, b"#EXTM3U"),
            SourceKind::Sitemap
        );
        assert_eq!(
            detect(Some("stdin.txt"), None, b"<?xml version=\"1.0\"?>"),
            SourceKind::Sitemap,
            "a list's name does not hide a sitemap piped in"
        );
    }

    #[test]
    fn then_the_content_type() {
        let m3u8 = Some("application/vnd.apple.mpegURL; charset=utf-8");
        assert_eq!(
            detect(Some("https://x.com/live"), m3u8, b""),
            SourceKind::M3u8
        );
        assert_eq!(
            detect(None, Some("text/xml"), b"https://x.com/"),
            SourceKind::Sitemap
        );
    }

    #[test]
    fn then_the_first_bytes() {
        assert_eq!(detect(None, None, &[0x1f, 0x8b, 8]), SourceKind::Sitemap);
        assert_eq!(
            detect(Some("feed"), None, b"\xef\xbb\xbf \n#EXTM3U\n"),
            SourceKind::M3u8
        );
        assert_eq!(
            detect(None, Some("text/plain"), b"  <urlset>"),
            SourceKind::Sitemap
        );
        assert_eq!(detect(None, None, b"<sitemapindex>"), SourceKind::Sitemap);
        assert_eq!(
            detect(Some("stdin"), None, b"https://x.com/a\n"),
            SourceKind::List
        );
        assert_eq!(detect(None, None, b""), SourceKind::List);
    }
}
