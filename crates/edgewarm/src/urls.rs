//! URL rules shared by every vendor: scheme and host checks, the wildcard rule of CDN push, and
//! each vendor's encoding rule for non-ASCII URLs. EdgeOne's `EncodeUrl` is deprecated in teo
//! 2022-09-01 (the SDK models mark it so; the intl CreatePrefetchTask page no longer lists it)
//! and Alibaba ESA asks the caller to encode first ("您提交的URL中若包含…需要您先对URL进行encode
//! 编码处理"), so for both edgewarm percent-encodes every target itself with [`encode`]. Tencent
//! CDN still documents `UrlEncode` (PushUrlsCache API page): there the raw URL is sent with it.
//! [`prepare`] returns what is sent and the encoded form from the same function, so a preview
//! shows exactly what the call carries.

use crate::error::Rule;
use crate::vendor::Service;
use serde::{Deserialize, Serialize};

/// A URL accepted for a vendor, with what to send and what will be warmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PreparedUrl {
    /// The URL as given.
    pub original: String,
    /// What to put in the call (EdgeOne and ESA: [`encode`]d; Tencent CDN: as given, with
    /// `UrlEncode`).
    pub send: String,
    /// The RFC 3986-encoded form the CDN will warm (preview): [`encode`]'s output, so for
    /// EdgeOne and ESA it is exactly `send`.
    pub encoded: String,
    /// Lower-case host (punycode for international names).
    pub host: String,
    /// Whether the URL had characters that need encoding (Tencent CDN: set `UrlEncode`).
    pub needs_encoding: bool,
}

/// Why a URL was refused: the rule and a sentence.
pub type UrlProblem = (Rule, String);

/// What the URL rules read of a URL parsed by the WHATWG URL standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// The host as WHATWG serialises it: lower case, international names in punycode, IPv6 in
    /// brackets; empty when there is none.
    pub host: String,
    /// The port, `None` when absent or the scheme's default.
    pub port: Option<u16>,
    /// Whether the URL carries a user name or a password.
    pub credentials: bool,
}

/// A WHATWG URL parser given by the embedder: the wasm builds, without the `url` feature (and so
/// without the `url` crate's IDNA tables), hand in the host's own `URL`.
pub type HostParser = fn(&str) -> Result<UrlParts, String>;

static HOST_PARSER: std::sync::OnceLock<HostParser> = std::sync::OnceLock::new();

/// Installs the URL parser of a build without the `url` feature (the first one stays; unused
/// with the feature).
pub fn set_host_parser(parser: HostParser) {
    let _ = HOST_PARSER.set(parser);
}

/// Parses `raw` with the `url` crate (WHATWG URL, IDNA included).
#[cfg(feature = "url")]
pub fn parse(raw: &str) -> Result<UrlParts, String> {
    let u = url::Url::parse(raw).map_err(|e| e.to_string())?;
    Ok(UrlParts {
        host: u.host_str().unwrap_or("").to_string(),
        port: u.port(),
        credentials: !u.username().is_empty() || u.password().is_some(),
    })
}

/// Parses `raw` with the parser the embedder installed ([`set_host_parser`]).
#[cfg(not(feature = "url"))]
pub fn parse(raw: &str) -> Result<UrlParts, String> {
    match HOST_PARSER.get() {
        Some(parser) => parser(raw),
        None => {
            Err("this build has no URL parser (neither the `url` feature nor a host parser)".into())
        }
    }
}

/// Checks one URL for `service` and computes its encoded form.
pub fn prepare(raw: &str, service: Service) -> Result<PreparedUrl, UrlProblem> {
    if raw.is_empty() {
        return Err((Rule::Required, "the URL is empty".into()));
    }
    if raw.chars().any(|c| c.is_control()) {
        return Err((
            Rule::Characters,
            "the URL contains control characters (tab, CR, LF, …)".into(),
        ));
    }
    if raw.trim() != raw {
        return Err((
            Rule::Characters,
            "the URL has leading or trailing white space".into(),
        ));
    }
    let lower = raw.get(..8).unwrap_or(raw).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err((
            Rule::UrlScheme,
            "the URL must start with http:// or https://".into(),
        ));
    }
    let auth = authority(raw);
    if auth.is_empty() || auth.starts_with(':') {
        return Err((Rule::UrlHost, "the URL has no host".into()));
    }
    let wildcard = auth.contains('*');
    if wildcard {
        let message = match service {
            Service::Cdn => {
                "Tencent CDN does not prefetch wildcard hosts (CdnPushWildcardNotAllowed)"
            }
            _ => "a wildcard host cannot be prefetched; list the real host names",
        };
        return Err((Rule::Wildcard, message.into()));
    }
    let parsed =
        parse(raw).map_err(|e| (Rule::UrlSyntax, format!("the URL does not parse: {e}")))?;
    let host = parsed.host;
    if host.is_empty() {
        return Err((Rule::UrlHost, "the URL has no host".into()));
    }
    if parsed.credentials {
        return Err((
            Rule::UrlHost,
            "the URL must not carry user:password@".into(),
        ));
    }
    let needs_encoding = needs_encoding(raw);
    let encoded = encode(raw, &host, parsed.port);
    let send = match service {
        Service::Esa | Service::Teo => encoded.clone(),
        Service::Cdn => raw.to_string(),
    };
    Ok(PreparedUrl {
        original: raw.to_string(),
        send,
        encoded,
        host,
        needs_encoding,
    })
}

/// Whether `byte` is left as it is by [`encode`]: RFC 3986 unreserved (`A-Z a-z 0-9 - . _ ~`)
/// and reserved (`: / ? # [ ] @ ! $ & ' ( ) * + , ; =`) characters, and `%`.
fn kept(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&byte)
}

/// Whether `s[i]` starts a valid `%XX` escape.
fn is_escape(s: &[u8], i: usize) -> bool {
    s.get(i) == Some(&b'%')
        && s.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
        && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
}

/// Whether a URL has what [`encode`] must escape: a non-ASCII byte, a space or another
/// character RFC 3986 allows nowhere (`"`, `<`, `>`, `\`, `^`, the backtick, `{`, `|`, `}`,
/// controls), or a `%` that starts no `%XX` escape.
pub fn needs_encoding(raw: &str) -> bool {
    let b = raw.as_bytes();
    (0..b.len()).any(|i| !kept(b[i]) || (b[i] == b'%' && !is_escape(b, i)))
}

/// The one client-side encoding of a target URL (RFC 3986 over UTF-8, upper-case hex): every
/// byte after the host that is neither unreserved nor reserved (non-ASCII, space, `"`, `<`,
/// `>`, `\`, `^`, the backtick, `{`, `|`, `}`) becomes `%XX`; reserved characters and existing `%XX` escapes stay as they are; a
/// `%` that starts no escape becomes `%25`. The scheme is lower-cased, the host is given in its
/// ASCII (punycode) form with the port, if any, and the fragment is dropped (CDNs never see it).
/// Paths are not normalised (`/a/../b` stays). `raw` must have passed [`prepare`]'s checks.
pub fn encode(raw: &str, ascii_host: &str, port: Option<u16>) -> String {
    let (scheme, rest) = raw.split_once("://").unwrap_or(("https", raw));
    let tail = &rest[authority(raw).len().min(rest.len())..];
    let tail = tail.split_once('#').map_or(tail, |(t, _)| t);
    let mut out = String::with_capacity(raw.len() + 16);
    out.push_str(&scheme.to_ascii_lowercase());
    out.push_str("://");
    out.push_str(ascii_host);
    if let Some(p) = port {
        out.push(':');
        out.push_str(&p.to_string());
    }
    let bytes = tail.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if kept(b) && (b != b'%' || is_escape(bytes, i)) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks one URL for `service` without computing its forms: what validation needs. Plain
/// ASCII URLs with an ordinary host (the vast majority) are decided without a full parse; any
/// other URL takes [`prepare`]'s path, so both always agree.
pub fn check(raw: &str, service: Service) -> Result<(), UrlProblem> {
    if is_plain(raw) {
        return Ok(());
    }
    prepare(raw, service).map(|_| ())
}

/// [`check`] of every URL of a list: `fail` gets the index and the problem of each one refused.
/// A URL that shares with the plain URL before it everything up to and including the `/ ? #`
/// where that one's tail starts has the same scheme, host and port ([`plain_head`] reads no
/// further), so only its bytes after the shared prefix are read: one site's URLs share long
/// prefixes. Each URL gets [`check`]'s answer (the tests compare the two on generated lists).
pub fn check_list(values: &[String], service: Service, mut fail: impl FnMut(usize, UrlProblem)) {
    // the previous URL, when plain, and where its tail starts
    let mut prev: Option<(&[u8], usize)> = None;
    for (i, url) in values.iter().enumerate() {
        let bytes = url.as_bytes();
        if let Some((before, tail)) = prev {
            let shared = common_prefix(before, bytes);
            if shared > tail && plain_tail(&bytes[shared..]) {
                prev = Some((bytes, tail));
                continue;
            }
        }
        match plain_head(url) {
            Some(tail) if plain_tail(&bytes[tail..]) => prev = Some((bytes, tail)),
            _ => {
                prev = None;
                if let Err(problem) = prepare(url, service) {
                    fail(i, problem);
                }
            }
        }
    }
}

/// How many leading bytes `a` and `b` share, compared eight at a time: the first differing
/// word gives the differing byte by its lowest set bit (words read little-endian), so no byte
/// loop runs before the last, partial word. Plain index loops over whole words: at opt-level
/// "z" (the call module) iterator adapters and 8-byte slice copies stay calls, and this runs
/// once for every URL of a list.
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (wa, wb) = (a.as_chunks::<8>().0, b.as_chunks::<8>().0);
    let mut k = 0;
    while k < wa.len() && k < wb.len() {
        let diff = le_word(&wa[k]) ^ le_word(&wb[k]);
        if diff != 0 {
            // `trailing_zeros` < 64: the index stays within the word
            return k * 8 + (diff.trailing_zeros() / 8) as usize;
        }
        k += 1;
    }
    let mut i = k * 8;
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Eight bytes as one word, little-endian: a load, inlined even at opt-level "z".
#[inline(always)]
pub(crate) fn le_word(chunk: &[u8; 8]) -> u64 {
    u64::from_le_bytes(*chunk)
}

/// The bytes [`is_plain`] allows after the host: ASCII letters and digits, RFC 3986 unreserved
/// `- . _ ~` and reserved `: / ? # [ ] @ ! $ & ' ( ) * + , ; =`.
const PLAIN_TAIL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let other = b"-._~:/?#[]@!$&'()*+,;=";
    let mut i = 0;
    while i < other.len() {
        table[other[i] as usize] = true;
        i += 1;
    }
    table
};

/// `http(s)://host[:port][/…]` with a DNS host (letters, digits, `-`, dots; not ending in a
/// number, no punycode label), a port ≤ 65535, and only unreserved, reserved or `%` bytes after it:
/// a URL `url::Url::parse` accepts unchanged in meaning.
fn is_plain(raw: &str) -> bool {
    plain_head(raw).is_some_and(|tail| plain_tail(&raw.as_bytes()[tail..]))
}

/// [`is_plain`]'s checks of everything before the tail (scheme, host, port): where the tail
/// starts (its `/ ? #`, or the end), `None` when they fail. They read no byte past that `/ ? #`.
fn plain_head(raw: &str) -> Option<usize> {
    let bytes = raw.as_bytes();
    let scheme = if bytes.starts_with(b"https://") {
        8
    } else if bytes.starts_with(b"http://") {
        7
    } else {
        return None;
    };
    let rest = &bytes[scheme..];
    // one pass over the authority: labels of [A-Za-z0-9-], then an optional :port
    let mut i = 0;
    let mut label_len = 0usize;
    let mut label_start = 0usize;
    let mut all_numeric = true;
    let mut label_numeric = true;
    let end_label = |start: usize, len: usize, numeric: bool, all: &mut bool| -> bool {
        let label = &rest[start..start + len];
        *all &= numeric;
        len > 0
            && len <= 63
            && label[0] != b'-'
            && label[len - 1] != b'-'
            && !(len >= 4 && label[..4].eq_ignore_ascii_case(b"xn--"))
    };
    while i < rest.len() {
        match rest[i] {
            b'a'..=b'z' | b'A'..=b'Z' | b'-' => label_numeric = false,
            b'0'..=b'9' => {}
            b'.' => {
                if !end_label(label_start, label_len, label_numeric, &mut all_numeric) {
                    return None;
                }
                label_start = i + 1;
                label_len = 0;
                label_numeric = true;
                i += 1;
                continue;
            }
            b'/' | b'?' | b'#' | b':' => break,
            _ => return None,
        }
        label_len += 1;
        i += 1;
    }
    if i > 253 || !end_label(label_start, label_len, label_numeric, &mut all_numeric) || all_numeric
    {
        return None;
    }
    // WHATWG's "ends in a number": such a host is parsed as IPv4 (and may fail) — not plain
    let last = &rest[label_start..label_start + label_len];
    let hex = last.len() >= 2 && last[0] == b'0' && (last[1] | 0x20) == b'x';
    if label_numeric || (hex && last[2..].iter().all(u8::is_ascii_hexdigit)) {
        return None;
    }
    if rest.get(i) == Some(&b':') {
        let start = i + 1;
        let mut port: u32 = 0;
        i = start;
        while i < rest.len() && rest[i].is_ascii_digit() {
            port = port * 10 + u32::from(rest[i] - b'0');
            if i - start >= 5 {
                return None;
            }
            i += 1;
        }
        if i == start || port > 65_535 {
            return None;
        }
        if i < rest.len() && !matches!(rest[i], b'/' | b'?' | b'#') {
            return None;
        }
    }
    Some(scheme + i)
}

/// Whether every byte of a URL's tail is one [`PLAIN_TAIL`] allows: eight at a time, without a
/// branch per byte (index loops: see [`common_prefix`]).
fn plain_tail(tail: &[u8]) -> bool {
    let (words, rest) = tail.as_chunks::<8>();
    for word in words {
        let mut ok = true;
        for &b in word {
            ok &= PLAIN_TAIL[usize::from(b)];
        }
        if !ok {
            return false;
        }
    }
    rest.iter().all(|&b| PLAIN_TAIL[usize::from(b)])
}

/// The lower-case host of a URL (punycode for international names), `None` when it has none
/// or does not parse. Plain URLs ([`check`]'s fast path) are read without a parser.
pub fn host(raw: &str) -> Option<String> {
    if is_plain(raw) {
        let auth = authority(raw);
        let name = auth.split_once(':').map_or(auth, |(h, _)| h);
        return Some(name.to_ascii_lowercase());
    }
    parse(raw).ok().map(|p| p.host).filter(|h| !h.is_empty())
}

/// The `host[:port]` part of an absolute URL (text between `://` and the next `/ ? #`).
fn authority(raw: &str) -> &str {
    let rest = raw.split_once("://").map(|(_, r)| r).unwrap_or("");
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    &rest[..end]
}

/// Removes repeated URLs, keeping the first occurrence's position.
pub fn dedupe(urls: impl IntoIterator<Item = String>) -> Vec<String> {
    // the JSON map every input already goes through, as the set of URLs seen: a hash set of
    // its own would compile a second hash table into the wasm
    let mut seen = serde_json::Map::new();
    urls.into_iter()
        .filter(|u| seen.insert(u.clone(), serde_json::Value::Null).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "url")]
    #[test]
    fn encodes_non_ascii_for_every_vendor() {
        let p = prepare("https://www.example.com/中文 目录/a.png?q=é", Service::Esa).unwrap();
        assert_eq!(
            p.encoded,
            "https://www.example.com/%E4%B8%AD%E6%96%87%20%E7%9B%AE%E5%BD%95/a.png?q=%C3%A9"
        );
        assert_eq!(p.send, p.encoded);
        assert!(p.needs_encoding);
        let t = prepare("https://www.example.com/中文", Service::Teo).unwrap();
        assert_eq!(t.send, "https://www.example.com/%E4%B8%AD%E6%96%87");
        assert_eq!(t.encoded, t.send, "the preview is what is sent");
        let c = prepare("https://www.example.com/中文", Service::Cdn).unwrap();
        assert_eq!(
            c.send, "https://www.example.com/中文",
            "CDN: raw, with UrlEncode"
        );
        assert!(c.needs_encoding);
    }

    #[cfg(feature = "url")]
    #[test]
    fn encode_keeps_reserved_and_escapes() {
        let p = prepare(
            "HTTPS://Www.Example.com:8080/a b/%E4%B8%AD/100%/x?q=a+b&c=d;e=(f)*'!$,@:[]~#frag",
            Service::Teo,
        )
        .unwrap();
        assert_eq!(
            p.send,
            "https://www.example.com:8080/a%20b/%E4%B8%AD/100%25/x?q=a+b&c=d;e=(f)*'!$,@:[]~"
        );
        let p = prepare("https://a.com/\"<>^`{|}/dots/../x", Service::Esa).unwrap();
        assert_eq!(p.send, "https://a.com/%22%3C%3E%5E%60%7B%7C%7D/dots/../x");
        assert!(!needs_encoding("https://a.com/a%20b?x=1&y=2"));
        assert!(needs_encoding("https://a.com/a b"));
        assert!(needs_encoding("https://a.com/100%"));
        let idn = prepare("https://例子.测试/路径", Service::Teo).unwrap();
        assert!(idn.send.starts_with("https://xn--"), "{}", idn.send);
        assert!(idn.send.ends_with("/%E8%B7%AF%E5%BE%84"), "{}", idn.send);
    }

    #[test]
    fn refuses_bad_urls_with_rule() {
        assert_eq!(
            prepare("ftp://a.com/x", Service::Teo).unwrap_err().0,
            Rule::UrlScheme
        );
        assert_eq!(
            prepare("www.a.com/x", Service::Teo).unwrap_err().0,
            Rule::UrlScheme
        );
        assert_eq!(
            prepare("https://*.a.com/x", Service::Cdn).unwrap_err().0,
            Rule::Wildcard
        );
        assert_eq!(
            prepare("https://a.com/x\n", Service::Cdn).unwrap_err().0,
            Rule::Characters
        );
        assert_eq!(prepare("", Service::Esa).unwrap_err().0, Rule::Required);
        assert_eq!(
            prepare("https:///x", Service::Esa).unwrap_err().0,
            Rule::UrlHost
        );
    }

    #[cfg(feature = "url")]
    #[test]
    fn idn_hosts_become_punycode() {
        let p = prepare("https://例子.测试/a", Service::Esa).unwrap();
        assert!(p.host.starts_with("xn--"), "{}", p.host);
    }

    /// The table of the fast path's tail is RFC 3986's unreserved and reserved characters:
    /// exactly what [`encode`] keeps, `%` aside (a `%` takes the full path).
    #[test]
    fn plain_tail_table_is_unreserved_and_reserved() {
        for b in 0..=255u8 {
            assert_eq!(PLAIN_TAIL[usize::from(b)], kept(b) && b != b'%', "{b}");
        }
        assert!(check("https://a.com/abcdefgh/ijklmnop?q=1&r=2#f", Service::Cdn).is_ok());
        assert!(is_plain("https://a.com/abcdefgh/ijklmnop"));
        assert!(!is_plain("https://a.com/abcdefgh/ijkl mnop"));
        assert!(!is_plain("https://a.com/abcdefgh/ijklmno\""));
    }

    #[test]
    fn common_prefix_counts_shared_bytes() {
        assert_eq!(common_prefix(b"", b"abc"), 0);
        assert_eq!(common_prefix(b"abcdefghij", b"abcdefghij"), 10);
        assert_eq!(common_prefix(b"abcdefghijk", b"abcdefghiXk"), 9);
        assert_eq!(common_prefix(b"abcdefgh", b"abcdefghij"), 8);
        assert_eq!(common_prefix(b"aXcdefgh", b"abcdefghij"), 1);
    }

    // with the `url` feature: without it, another test installs the host parser meanwhile
    #[cfg(feature = "url")]
    #[test]
    fn list_check_reads_shared_prefixes_once() {
        let urls: Vec<String> = [
            "https://a.com/x/1",
            "https://a.com/x/2 with space",
            "https://a.com/x/3",
            "https://a.com",
            "https://a.com:99999/x",
            "https://a.com:80/x",
            "https://a.com:80/x\n",
            "ftp://a.com/x",
            "https://a.com/x/4",
        ]
        .map(String::from)
        .to_vec();
        let mut refused = Vec::new();
        check_list(&urls, Service::Cdn, |i, (rule, _)| refused.push((i, rule)));
        let expected: Vec<(usize, Rule)> = urls
            .iter()
            .enumerate()
            .filter_map(|(i, u)| check(u, Service::Cdn).err().map(|(rule, _)| (i, rule)))
            .collect();
        assert_eq!(refused, expected);
        assert!(refused.iter().any(|(i, _)| *i == 7));
    }

    #[cfg(feature = "url")]
    proptest::proptest! {
        /// The list check refuses exactly the URLs [`check`] refuses, with the same rule, on
        /// lists whose URLs share prefixes of every length with each other.
        #[test]
        fn list_check_agrees_with_check(
            scheme in proptest::sample::select(vec!["http://", "https://", "HTTP://", "ftp://", ""]),
            host in "[a-zA-Z0-9.-]{0,12}|[a-z]{1,3}\\.[0-9]{1,3}|xn--[a-z0-9]{1,4}\\.com|[^/]{0,8}",
            port in proptest::option::of("[0-9]{0,6}|x"),
            tail in "(/[a-zA-Z0-9._~%!$&'()*+,;=:@?#\\[\\] \"<>-]{0,12}){0,3}",
            cuts in proptest::collection::vec(
                (0..48usize, "[a-z0-9/:.?#%@ \"-]{0,6}|[^ ]{0,3}"),
                1..10,
            ),
            service in proptest::sample::select(vec![Service::Teo, Service::Cdn, Service::Esa]),
        ) {
            let base = format!("{scheme}{host}{}{tail}", port.map(|p| format!(":{p}")).unwrap_or_default());
            let urls: Vec<String> = cuts
                .iter()
                .map(|(cut, more)| {
                    let mut at = (*cut).min(base.len());
                    while !base.is_char_boundary(at) {
                        at -= 1;
                    }
                    format!("{}{more}", &base[..at])
                })
                .collect();
            let mut refused = Vec::new();
            check_list(&urls, service, |i, problem| refused.push((i, problem)));
            let expected: Vec<(usize, UrlProblem)> = urls
                .iter()
                .enumerate()
                .filter_map(|(i, u)| check(u, service).err().map(|p| (i, p)))
                .collect();
            proptest::prop_assert_eq!(refused, expected, "{:?}", urls);
        }
    }

    proptest::proptest! {
        /// The word-at-a-time count equals a byte loop's, wherever the first difference sits.
        #[test]
        fn common_prefix_is_a_byte_count(
            a in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
            shared in 0usize..40,
            b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
        ) {
            let b: Vec<u8> = a.iter().take(shared).chain(&b).copied().collect();
            let expected = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            proptest::prop_assert_eq!(common_prefix(&a, &b), expected);
        }
    }

    #[test]
    fn dedupe_keeps_first() {
        let v = dedupe(["a".to_string(), "b".into(), "a".into()]);
        assert_eq!(v, vec!["a".to_string(), "b".into()]);
    }

    /// Without the `url` feature, plain URLs need no parser, others take the installed one,
    /// and with none installed they are refused by rule (never a panic).
    #[cfg(not(feature = "url"))]
    #[test]
    fn without_url_the_installed_parser_decides() {
        assert!(check("https://www.example.com/a.js", Service::Cdn).is_ok());
        let refused = prepare("https://例子.测试/", Service::Teo).unwrap_err();
        assert_eq!(refused.0, Rule::UrlSyntax);
        assert!(refused.1.contains("no URL parser"), "{}", refused.1);
        set_host_parser(|raw| {
            Ok(UrlParts {
                host: if raw.contains("例子") {
                    "xn--fsqu00a.xn--0zwm56d".into()
                } else {
                    "other".into()
                },
                port: None,
                credentials: raw.contains('@'),
            })
        });
        let p = prepare("https://例子.测试/路径", Service::Teo).unwrap();
        assert_eq!(p.host, "xn--fsqu00a.xn--0zwm56d");
        assert!(p.encoded.starts_with("https://xn--fsqu00a.xn--0zwm56d/"));
        assert_eq!(
            prepare("https://u:p@例子.测试/", Service::Teo)
                .unwrap_err()
                .0,
            Rule::UrlHost
        );
    }
}
