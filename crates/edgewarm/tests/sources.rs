//! URL sources on real-world shapes (BOM, CRLF, namespaces, CDATA, entities, gzip, relative
//! URIs, quoted CSV), the sans-IO M3U8 walk, a streamed 200 000-URL sitemap, and a
//! never-panics suite over every parser.

use edgewarm::error::Rule;
use edgewarm::sources::{list, m3u8, sitemap};
use proptest::prelude::*;
use std::collections::HashMap;
use std::io::Write;

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIX}{name}")).unwrap()
}

#[test]
fn text_list() {
    let x = list::parse_text(&String::from_utf8(fixture("urls.txt")).unwrap());
    assert_eq!(
        x.urls,
        vec![
            "https://www.example.com/a.js",
            "https://www.example.com/b.css",
            "https://www.example.com/%E4%B8%AD.png"
        ]
    );
    assert_eq!(x.duplicates, 1);
    let rejected: Vec<(usize, Rule)> = x.rejected.iter().map(|r| (r.line, r.rule)).collect();
    assert_eq!(rejected, vec![(5, Rule::UrlSyntax), (6, Rule::UrlScheme)]);
}

#[test]
fn csv_list() {
    let x = list::parse_csv(&String::from_utf8(fixture("urls.csv")).unwrap());
    assert_eq!(
        x.urls,
        vec![
            "https://www.example.com/1.js",
            "https://www.example.com/2.js?a=1,2"
        ]
    );
    assert_eq!(x.duplicates, 1);
    assert_eq!(x.rejected.len(), 1);
    assert_eq!(
        (x.rejected[0].line, x.rejected[0].rule),
        (4, Rule::Required)
    );
    let headerless = list::parse_csv("a,https://x.example.com/1\nb,c\n");
    assert_eq!(headerless.urls, vec!["https://x.example.com/1"]);
    assert_eq!(
        list::parse_auto("list.CSV", "url\nhttps://a.example.com/\n")
            .urls
            .len(),
        1
    );
}

#[test]
fn sitemap_with_namespaces_cdata_bom_crlf() {
    let s = sitemap::parse(&fixture("sitemap_ns_cdata_bom.xml")).unwrap();
    assert_eq!(
        s.urls,
        vec![
            "https://www.example.com/a?x=1&y=2",
            "https://www.example.com/b&c"
        ]
    );
    assert_eq!(s.duplicates, 1);
    assert_eq!(
        s.rejected.len(),
        1,
        "ftp loc rejected; image:loc ignored: {:?}",
        s.rejected
    );
    assert!(s.sitemaps.is_empty());
}

#[test]
fn sitemap_index_and_gzip() {
    let s = sitemap::parse(&fixture("sitemap_index.xml")).unwrap();
    assert_eq!(
        s.sitemaps,
        vec![
            "https://www.example.com/sitemap-1.xml.gz",
            "https://www.example.com/sitemap-2.xml"
        ]
    );
    assert_eq!(s.rejected.len(), 1);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&fixture("sitemap_ns_cdata_bom.xml")).unwrap();
    let z = sitemap::parse(&gz.finish().unwrap()).unwrap();
    assert_eq!(z.urls.len(), 2);
    assert_eq!(
        sitemap::parse(b"<html><body/></html>"),
        Err(sitemap::SitemapError::NotASitemap)
    );
    assert!(matches!(
        sitemap::parse(b"<urlset><url><loc>x</url>"),
        Err(sitemap::SitemapError::Xml { .. })
    ));
    assert!(matches!(
        sitemap::parse(&[0x1f, 0x8b, 1, 2, 3]),
        Err(sitemap::SitemapError::Gzip(_))
    ));
}

#[test]
fn big_sitemap_streams() {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
    );
    for i in 0..200_000 {
        xml.push_str(&format!(
            "<url><loc>https://www.example.com/p/{i}</loc></url>\n"
        ));
    }
    xml.push_str("</urlset>");
    let s = sitemap::parse_reader(std::io::BufReader::with_capacity(8192, xml.as_bytes())).unwrap();
    assert_eq!(s.urls.len(), 200_000);
}

/// A gzip member whose deflate stream (fixed Huffman: one literal zero, then `pairs` copies of
/// "258 bytes at distance 1") inflates to `1 + 258 * pairs` zero bytes from about 13 bits per
/// 258 bytes. Built by hand so that no test has to compress a gigabyte; `crc` is the trailer
/// to write (the real one for small streams, or `None` for zeros when it is never reached).
fn zero_bomb(pairs: u64, crc: Option<(u32, u32)>) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let (mut acc, mut nacc) = (0u64, 0u32);
    let mut put = |out: &mut Vec<u8>, bits: u64, n: u32| {
        acc |= bits << nacc;
        nacc += n;
        while nacc >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            nacc -= 8;
        }
    };
    // Huffman codes go most-significant bit first: reverse them into the LSB-first stream
    let code = |c: u64, n: u32| c.reverse_bits() >> (64 - n);
    put(&mut out, 0b011, 3); // BFINAL = 1, BTYPE = 01 (fixed codes)
    put(&mut out, code(0b0011_0000, 8), 8); // literal 0
    for _ in 0..pairs {
        put(&mut out, code(0b1100_0101, 8), 8); // length code 285 = 258
        put(&mut out, 0, 5); // distance code 0 = 1
    }
    put(&mut out, 0, 7); // end of block (256)
    put(&mut out, 0, 7); // flush the last byte
    let (crc, len) = crc.unwrap_or((0, 0));
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out
}

#[test]
fn gzip_bomb_is_refused_at_the_cap_with_bounded_memory() {
    use std::io::Read;
    // the hand-made stream is real gzip: a small one inflates to the zeros it claims
    let small_len = 1 + 258 * 10;
    let mut crc = flate2::Crc::new();
    crc.update(&vec![0u8; small_len]);
    let small = zero_bomb(10, Some((crc.sum(), small_len as u32)));
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&small[..])
        .read_to_end(&mut inflated)
        .unwrap();
    assert_eq!(inflated, vec![0u8; small_len]);

    // about 1 GiB of zeros from under 7 MB: refused at the default 50 MiB cap, naming it
    let bomb = zero_bomb((1u64 << 30) / 258, None);
    assert!(bomb.len() < 7 << 20, "{}", bomb.len());
    let err = sitemap::parse(&bomb).unwrap_err();
    assert_eq!(
        err,
        sitemap::SitemapError::TooLarge {
            limit: sitemap::DEFAULT_MAX_BYTES
        }
    );
    assert!(err.to_string().contains("52428800 bytes"), "{err}");
    // and at a lower cap given by the caller
    let err = sitemap::parse_capped(&bomb, 1 << 20).unwrap_err();
    assert_eq!(err, sitemap::SitemapError::TooLarge { limit: 1 << 20 });

    // a real sitemap padded past a small cap, gzipped or plain, is refused too
    let mut xml = String::from("<urlset>");
    for i in 0..2000 {
        xml.push_str(&format!(
            "<url><loc>https://www.example.com/{i}</loc></url>"
        ));
    }
    xml.push_str("</urlset>");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(xml.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let cap = xml.len() as u64 - 1;
    assert_eq!(
        sitemap::parse_capped(&gz, cap),
        Err(sitemap::SitemapError::TooLarge { limit: cap })
    );
    assert_eq!(
        sitemap::parse_capped(xml.as_bytes(), cap),
        Err(sitemap::SitemapError::TooLarge { limit: cap })
    );
    // exactly at the cap is fine
    assert_eq!(
        sitemap::parse_capped(&gz, cap + 1).unwrap().urls.len(),
        2000
    );
    assert_eq!(
        sitemap::parse_capped(xml.as_bytes(), cap + 1)
            .unwrap()
            .urls
            .len(),
        2000
    );
}

#[test]
fn index_children_count_against_the_document_cap_before_they_are_fetched() {
    let limits = sitemap::SitemapLimits {
        max_sitemaps: 10,
        ..Default::default()
    };
    assert_eq!(limits.admit_children(1, 9), Ok(9));
    let err = limits.admit_children(3, 12).unwrap_err();
    assert_eq!(
        err,
        sitemap::SitemapError::TooManySitemaps {
            listed: 12,
            left: 7,
            limit: 10
        }
    );
    assert!(err.to_string().contains("maxSitemaps"), "{err}");
    assert_eq!(
        limits.admit_children(11, 1),
        Err(sitemap::SitemapError::TooManySitemaps {
            listed: 1,
            left: 0,
            limit: 10
        })
    );
    let d = sitemap::SitemapLimits::default();
    assert_eq!((d.max_bytes, d.max_sitemaps), (50 << 20, 1000));
}

#[test]
fn m3u8_master_and_media() {
    let base = "https://cdn.example.com/video/master.m3u8";
    let p = m3u8::parse(&String::from_utf8(fixture("master.m3u8")).unwrap(), base).unwrap();
    assert_eq!(
        p.playlists,
        vec![
            "https://cdn.example.com/video/audio/en.m3u8",
            "https://cdn.example.com/video/low/index.m3u8",
            "https://cdn.example.com/video/mid/index.m3u8",
            "https://cdn2.example.com/hi/index.m3u8?token=abc",
            "https://cdn.example.com/video/low/iframe.m3u8",
        ]
    );
    assert!(p.segments.is_empty());
    let m = m3u8::parse(
        &String::from_utf8(fixture("media.m3u8")).unwrap(),
        "https://cdn.example.com/video/low/index.m3u8",
    )
    .unwrap();
    assert_eq!(
        m.segments,
        vec![
            "https://cdn.example.com/video/low/seg-0.ts?v=1",
            "https://cdn.example.com/video/low/seg-1.ts?v=1"
        ]
    );
    assert_eq!(
        m.resources,
        vec![
            "https://cdn.example.com/video/low/key.bin",
            "https://cdn.example.com/video/low/init.mp4"
        ]
    );
    assert!(m3u8::parse("#EXTM3U\n", "not a url").is_err());
    assert_eq!(m3u8::parse("   ", base), Err(m3u8::M3u8Error::Empty));
}

#[test]
fn expander_walks_master_to_segments_with_depth_limit_and_failures() {
    let master = String::from_utf8(fixture("master.m3u8")).unwrap();
    let media = String::from_utf8(fixture("media.m3u8")).unwrap();
    let mut docs: HashMap<String, String> = HashMap::new();
    docs.insert("https://cdn.example.com/video/master.m3u8".into(), master);
    docs.insert(
        "https://cdn.example.com/video/low/index.m3u8".into(),
        media.clone(),
    );
    docs.insert(
        "https://cdn.example.com/video/mid/index.m3u8".into(),
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\ndeeper.m3u8\n".into(),
    );
    docs.insert("https://cdn.example.com/video/audio/en.m3u8".into(), media);
    let mut e = m3u8::Expander::new("https://cdn.example.com/video/master.m3u8", 1).unwrap();
    let mut fetches = 0;
    while let Some(url) = e.next_fetch() {
        fetches += 1;
        match docs.get(&url) {
            Some(text) => e.feed(&url, text),
            None => e.fetch_failed(&url, "404"),
        }
    }
    assert!(e.is_done());
    assert_eq!(fetches, 6, "master + 5 children, each once");
    let urls = e.urls();
    assert!(urls.contains(&"https://cdn.example.com/video/low/seg-1.ts?v=1".to_string()));
    assert!(urls.contains(&"https://cdn.example.com/video/audio/seg-0.ts?v=1".to_string()));
    assert!(urls.contains(&"https://cdn.example.com/video/low/init.mp4".to_string()));
    assert_eq!(
        e.skipped,
        vec!["https://cdn.example.com/video/mid/deeper.m3u8"],
        "depth limit"
    );
    assert_eq!(
        e.errors.len(),
        2,
        "hi and iframe playlists failed: {:?}",
        e.errors
    );
    let unique: std::collections::HashSet<_> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in ".{0,300}") {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        let _ = list::parse_text(&lossy);
        let _ = list::parse_csv(&lossy);
        let _ = list::parse_text(&text);
        let _ = list::parse_csv(&text);
        let _ = sitemap::parse(&bytes);
        let _ = sitemap::parse(text.as_bytes());
        let _ = sitemap::parse(format!("<urlset><url><loc>{text}</loc></url></urlset>").as_bytes());
        let _ = m3u8::parse(&text, "https://a.example.com/x/y.m3u8");
        let _ = m3u8::parse(&format!("#EXT-X-KEY:{text}\n#EXT-X-MEDIA:URI=\"{text}\n{text}"), "https://a.example.com/");
        if let Ok(mut e) = m3u8::Expander::new("https://a.example.com/m.m3u8", 3) {
            if let Some(u) = e.next_fetch() {
                e.feed(&u, &text);
                e.feed(&text, &lossy);
            }
            let _ = e.urls();
        }
    }
}

#[test]
fn credentials_debug_never_shows_the_secret_or_token() {
    let c =
        edgewarm::Credentials::new("AKIDvisible", "the-secret-value").with_token("sts-token-value");
    let shown = format!("{c:?} {c:#?}");
    assert!(shown.contains("AKIDvisible"), "{shown}");
    assert!(!shown.contains("the-secret-value"), "{shown}");
    assert!(!shown.contains("sts-token-value"), "{shown}");
}

#[test]
fn redacted_requests_show_token_variables_not_tokens() {
    let mut req = edgewarm::HttpRequest::new(edgewarm::Method::Post, "cdn.tencentcloudapi.com");
    req.headers.push(("X-TC-Token".into(), "sts-value".into()));
    req.headers
        .push(("x-acs-security-token".into(), "ali-sts".into()));
    req.headers
        .push(("Authorization".into(), "TC3-HMAC-SHA256 x".into()));
    let r = req.redacted();
    assert_eq!(r.header("X-TC-Token"), Some("$TENCENTCLOUD_SESSION_TOKEN"));
    assert_eq!(
        r.header("x-acs-security-token"),
        Some("$ALIBABA_CLOUD_SECURITY_TOKEN")
    );
    assert_eq!(r.header("authorization"), Some("TC3-HMAC-SHA256 x"));
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains("sts-value") && !json.contains("ali-sts"),
        "{json}"
    );
}
