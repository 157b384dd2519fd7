//! A call's URL list carried apart from its other parameters. A prefetch call is mostly its URL
//! list (500 URLs make a 31 KB body); reading that list through JSON and writing it back out
//! through serde costs more than the rest of the call. A host may therefore hand the list over
//! as one text, the URLs joined by `\n` ([`split_lines`]), and the body is written with the
//! list spliced in as text ([`build`]): byte for byte what [`Operation::build`] writes
//! (`serde_json`), which the tests check on generated operations.

use crate::operation::Operation;
use crate::request::HttpRequest;
use crate::urls::{common_prefix, le_word};
use crate::vendor::Endpoint;

impl Operation {
    /// The URL list of the operations that carry a large one, with its vendor field name
    /// (`Urls`, `Targets`); `None` for the others. Only JSON-bodied (Tencent) operations are
    /// listed: [`build`] splices into a JSON body.
    pub fn url_list_mut(&mut self) -> Option<(&'static str, &mut Option<Vec<String>>)> {
        match self {
            Operation::PushUrlsCache(p) => Some(("Urls", &mut p.urls)),
            Operation::PurgeUrlsCache(p) => Some(("Urls", &mut p.urls)),
            Operation::CreatePrefetchTask(p) => Some(("Targets", &mut p.targets)),
            Operation::CreatePurgeTask(p) => Some(("Targets", &mut p.targets)),
            _ => None,
        }
    }
}

/// The `count` items of `joined` (items joined by `\n`), or `None` when it holds another number
/// of them: an item with a `\n` of its own (never a valid URL) makes the count differ, so such
/// a list is never split wrongly; the caller then passes it the ordinary way. The strings of
/// `reuse` (a previous list) are filled first, so a host that splits list after list need not
/// allocate one string per URL each time.
pub fn split_lines(joined: &str, count: usize, reuse: Vec<String>) -> Option<Vec<String>> {
    split_lines_checked(joined, count, reuse).map(|(items, _)| items)
}

/// Whether the items of a list [`split_lines_checked`] split need no escape in JSON: read in
/// the same pass that found the newlines, so [`build_text_split`] writes them unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escapes(bool);

/// [`split_lines`], also telling whether any item holds a byte `serde_json` escapes (a `"`, a
/// `\` or a control character): every byte is looked at once, in the words read to find the
/// newlines, or as one shared with the item before (whose bytes were).
pub fn split_lines_checked(
    joined: &str,
    count: usize,
    reuse: Vec<String>,
) -> Option<(Vec<String>, Escapes)> {
    if count == 0 {
        return None;
    }
    let mut items = reuse;
    items.truncate(count);
    items.reserve_exact(count - items.len());
    let mut filled = 0;
    let bytes = joined.as_bytes();
    let mut start = 0;
    // the bytes an item shares with the one before hold no `\n`, and were read for escapes:
    // the search starts after them
    let mut shared = 0;
    let mut escapes = false;
    loop {
        let (newline, special) = scan_item(bytes, start + shared);
        escapes |= special;
        let Some(nl) = newline else { break };
        if filled + 1 == count {
            return None;
        }
        // `\n` is ASCII: both ends are character boundaries
        put(&mut items, filled, joined.get(start..nl)?);
        shared = common_prefix(&bytes[start..nl], &bytes[nl + 1..]);
        filled += 1;
        start = nl + 1;
    }
    put(&mut items, filled, joined.get(start..)?);
    (filled + 1 == count).then_some((items, Escapes(escapes)))
}

/// Sets `items[at]` to `item`, reusing that string's buffer when there is one.
fn put(items: &mut Vec<String>, at: usize, item: &str) {
    match items.get_mut(at) {
        Some(s) => {
            s.clear();
            s.push_str(item);
        }
        None => items.push(item.to_string()),
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether a byte of `x` is zero (exact as to whether one is; the classic bit trick).
fn has_zero(x: u64) -> bool {
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// Whether a byte of `x` is `b`.
fn has_byte(x: u64, b: u8) -> bool {
    has_zero(x ^ (ONES * u64::from(b)))
}

/// Whether a byte of `x` is below `n` (`n` ≤ 128; exact as to whether one is).
fn has_less(x: u64, n: u8) -> bool {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS != 0
}

/// The high bit of each byte of `x` that is zero, and maybe of bytes above one that is (the
/// lowest flagged byte is exactly the first zero byte).
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// As [`zero_bytes`], for the bytes of `x` that `serde_json` escapes: a `"`, a `\` or a
/// control character below U+0020 (a `\n` included).
fn escape_bytes(x: u64) -> u64 {
    (x.wrapping_sub(ONES * 0x20) & !x & HIGHS)
        | zero_bytes(x ^ (ONES * u64::from(b'"')))
        | zero_bytes(x ^ (ONES * u64::from(b'\\')))
}

/// From `from`: the index of the first `\n`, and whether a byte before it (before the end
/// when there is none) is one `serde_json` escapes. Eight bytes at a time; in the word with
/// the newline, only the flags below its own count (they are exact: a false flag only ever
/// sits above a true one).
fn scan_item(bytes: &[u8], from: usize) -> (Option<usize>, bool) {
    let Some(rest) = bytes.get(from..) else {
        return (None, false);
    };
    let mut special = false;
    let (words, remainder) = rest.as_chunks::<8>();
    let mut i = from;
    for chunk in words {
        let x = le_word(chunk);
        let newlines = zero_bytes(x ^ (ONES * u64::from(b'\n')));
        let escapes = escape_bytes(x);
        if newlines != 0 {
            // every bit below the first newline's flag: the flags of the bytes before it
            let below = (newlines & newlines.wrapping_neg()) - 1;
            return (
                Some(i + (newlines.trailing_zeros() / 8) as usize),
                special | (escapes & below != 0),
            );
        }
        special |= escapes != 0;
        i += 8;
    }
    for &b in remainder {
        if b == b'\n' {
            return (Some(i), special);
        }
        special |= b < 0x20 || b == b'"' || b == b'\\';
        i += 1;
    }
    (None, special)
}

/// The unsigned request of `op`, as [`Operation::build`] makes it, with the URL list written
/// straight into the JSON body: the other parameters are serialised with an empty list, and the
/// URLs are put between its brackets (each as `serde_json` writes a string). Operations
/// without a list, or whose empty list is not found in the body, are built the ordinary way.
/// `op` is left as it was.
pub fn build(op: &mut Operation, endpoint: &Endpoint) -> HttpRequest {
    match spliced(op, endpoint) {
        Some((mut request, text)) => {
            request.body = text.into_bytes();
            request
        }
        None => op.build(endpoint),
    }
}

/// As [`build`], with the body apart as text (left empty in the request): a host that hands
/// the body over as a string gets it without checking 31 KB of UTF-8 again.
pub fn build_text(op: &mut Operation, endpoint: &Endpoint) -> (HttpRequest, String) {
    if let Some(built) = spliced(op, endpoint) {
        return built;
    }
    let mut request = op.build(endpoint);
    let body = std::mem::take(&mut request.body);
    // every body edgewarm builds is UTF-8 (serde_json output, or RFC 3986-encoded pairs)
    let text = String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (request, text)
}

/// [`build_text`] for an operation whose list is the one [`split_lines_checked`] split, with
/// what it found: a list without escapes is written without reading its items again.
pub fn build_text_split(
    op: &mut Operation,
    endpoint: &Endpoint,
    escapes: Escapes,
) -> (HttpRequest, String) {
    if let Some(built) = spliced_with(op, endpoint, escapes.0) {
        return built;
    }
    build_text(op, endpoint)
}

/// The request with an empty body and the spliced body text; `None` for an operation without
/// a list, or when the empty list is not found (then `op` builds the ordinary way). `op` is
/// left as it was in every case.
fn spliced(op: &mut Operation, endpoint: &Endpoint) -> Option<(HttpRequest, String)> {
    spliced_with(op, endpoint, true)
}

/// [`spliced`]; the items are checked for escapes unless `escapes` is false (they hold none).
fn spliced_with(
    op: &mut Operation,
    endpoint: &Endpoint,
    escapes: bool,
) -> Option<(HttpRequest, String)> {
    let (field, slot) = op.url_list_mut()?;
    if slot.is_none() {
        return None;
    }
    let list = slot.replace(Vec::new()).unwrap_or_default();
    let mut request = op.build(endpoint);
    let body = std::mem::take(&mut request.body);
    let text = splice_point(&body, field).and_then(|at| {
        let head = std::str::from_utf8(&body[..at]).ok()?;
        let tail = std::str::from_utf8(&body[at..]).ok()?;
        let mut text = String::with_capacity(body.len() + text_len(&list));
        text.push_str(head);
        if escapes {
            write_items(&mut text, &list);
        } else {
            write_plain_items(&mut text, &list);
        }
        text.push_str(tail);
        Some(text)
    });
    // the same variant as above: its list is put back
    if let Some((_, slot)) = op.url_list_mut() {
        *slot = Some(list);
    }
    Some((request, text?))
}

/// The bytes the items take in the body, escapes aside (a capacity hint).
fn text_len(list: &[String]) -> usize {
    list.iter().map(|s| s.len() + 3).sum()
}

/// Whether `serde_json` writes `s` with an escape: a `"`, a `\` or a control character below
/// U+0020 (it escapes nothing else).
fn needs_escape(bytes: &[u8]) -> bool {
    let special = |x: u64| has_less(x, 0x20) | has_byte(x, b'"') | has_byte(x, b'\\');
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
    }
    // whole words, then the last eight bytes (overlapping the last word read: no byte loop)
    let mut found = false;
    for w in bytes.as_chunks::<8>().0 {
        found |= special(le_word(w));
    }
    // at least eight bytes (above): there is a last word
    found | bytes.last_chunk::<8>().is_some_and(|w| special(le_word(w)))
}

/// The items as `serde_json` writes a list of strings, brackets excluded: `"a","b"`.
fn write_items(out: &mut String, list: &[String]) {
    // the item before, when it needs no escape: the bytes shared with it need no check
    let mut plain_before: Option<&str> = None;
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let shared = plain_before.map_or(0, |b| common_prefix(b.as_bytes(), item.as_bytes()));
        let escape = needs_escape(&item.as_bytes()[shared..]);
        plain_before = (!escape).then_some(item.as_str());
        if escape {
            // serialising a string cannot fail
            if let Ok(json) = serde_json::to_string(item) {
                out.push_str(&json);
            }
        } else {
            out.push('"');
            out.push_str(item);
            out.push('"');
        }
    }
}

/// [`write_items`] for items that need no escape: each between quotes, as they are.
fn write_plain_items(out: &mut String, list: &[String]) {
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(",\"");
        } else {
            out.push('"');
        }
        out.push_str(item);
        out.push('"');
    }
}

/// Where the items of the empty list `"field":[]` go in a compact JSON object (the index of its
/// `]`), looking only at the object's own members (depth 1, outside strings): a key is the only
/// string followed by `:`, so a value or a nested member with the same text is never taken.
fn splice_point(body: &[u8], field: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'"' => {
                if depth == 1 {
                    let key = body.get(i + 1..i + 1 + field.len())?;
                    let after = body.get(i + 1 + field.len()..i + 5 + field.len());
                    if key == field.as_bytes() && after == Some(b"\":[]") {
                        return Some(i + 4 + field.len());
                    }
                }
                // skip the string
                i += 1;
                while i < body.len() && body[i] != b'"' {
                    i += if body[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::{cdn, edgeone, Service};
    use proptest::prelude::*;

    #[test]
    fn splits_exactly_count_items() {
        assert_eq!(
            split_lines("a\nb\n", 3, Vec::new()),
            Some(vec!["a".into(), "b".into(), "".into()])
        );
        assert_eq!(
            split_lines("a\nb", 1, Vec::new()),
            None,
            "an item with a newline"
        );
        assert_eq!(split_lines("a", 2, Vec::new()), None);
        assert_eq!(split_lines("", 0, Vec::new()), None);
        assert_eq!(split_lines("", 1, Vec::new()), Some(vec![String::new()]));
        let old = vec!["xxxxxxxx".to_string(), "y".into(), "z".into()];
        assert_eq!(
            split_lines("a\nbb", 2, old.clone()),
            Some(vec!["a".into(), "bb".into()])
        );
        assert_eq!(
            split_lines("a\nb\nc\nd", 4, old),
            Some(vec!["a".into(), "b".into(), "c".into(), "d".into()])
        );
    }

    #[test]
    fn word_tricks_match_bytewise() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut w = [b'a'; 8];
                w[pos] = b;
                let x = le_word(&w);
                assert_eq!(has_byte(x, b'\n'), b == b'\n', "{b}");
                assert_eq!(has_less(x, 0x20), b < 0x20, "{b}");
                let text: String = String::from_utf8_lossy(&w).into_owned();
                let expected = text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
                assert_eq!(needs_escape(text.as_bytes()), expected, "{text:?}");
            }
        }
        assert!(needs_escape(b"https://a.com/0123456789\""));
        assert!(!needs_escape(b"https://a.com/0123456789/abcdefgh"));
    }

    /// Items that share a prefix with the one before and differ by an escape after it, or
    /// part-way through a character.
    #[test]
    fn shared_prefixes_keep_their_escapes() {
        let list = [
            "https://a.com/x",
            "https://a.com/x\"y",
            "https://a.com/x",
            "https://a.com/x\n",
            "https://a.com/é",
            "https://a.com/è\\",
            "https://a.com/è\\",
            "",
            "\t",
            "https://a.com/x",
        ];
        let op = Operation::PushUrlsCache(cdn::PushUrlsCache {
            urls: Some(list.map(String::from).to_vec()),
            ..Default::default()
        });
        let endpoint = Endpoint::default_for(Service::Cdn);
        assert_eq!(build(&mut op.clone(), &endpoint), op.build(&endpoint));
        let joined = list.join("\n");
        assert_eq!(
            split_lines(&joined, list.len(), Vec::new()),
            None,
            "one item holds a newline"
        );
        let without: Vec<&str> = list.iter().copied().filter(|s| !s.contains('\n')).collect();
        let split = split_lines(&without.join("\n"), without.len(), Vec::new()).unwrap();
        assert_eq!(split, without);
    }

    #[test]
    fn finds_only_the_members_own_key() {
        let body = br#"{"Area":"\"Urls\":[]","Urls":[],"Headers":[{"Urls":[]}]}"#;
        let at = splice_point(body, "Urls").unwrap();
        assert_eq!(&body[..at], br#"{"Area":"\"Urls\":[]","Urls":["#);
        assert_eq!(splice_point(br#"{"H":[{"Urls":[]}]}"#, "Urls"), None);
        assert_eq!(splice_point(br#"{"X":"Urls","Urls":[]"#, "Urls"), Some(20));
        assert_eq!(splice_point(br#"{"Urls":"#, "Urls"), None);
    }

    fn text() -> impl Strategy<Value = String> {
        // URLs, and strings with everything serde_json escapes
        prop_oneof![
            "https://[a-z]{1,8}\\.com/[a-zA-Z0-9/._%-]{0,30}",
            "[\\x00-\\x7f]{0,12}",
            any::<String>(),
        ]
    }

    /// Items that share prefixes of every length with each other, an escaped byte in some.
    fn shared_items() -> impl Strategy<Value = Vec<String>> {
        (
            "https://a\\.com/[a-z\"\\\\/]{0,20}",
            proptest::collection::vec((0..32usize, "[a-z\"\\\\\t]{0,4}"), 1..8),
        )
            .prop_map(|(base, cuts)| {
                cuts.iter()
                    .map(|(cut, more)| format!("{}{more}", &base[..(*cut).min(base.len())]))
                    .collect()
            })
    }

    fn header() -> impl Strategy<Value = crate::headers::Header> {
        (proptest::option::of(text()), proptest::option::of(text()))
            .prop_map(|(name, value)| crate::headers::Header { name, value })
    }

    fn push() -> impl Strategy<Value = Operation> {
        (
            proptest::option::of(proptest::collection::vec(text(), 0..6)),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(proptest::collection::vec(header(), 0..3)),
            proptest::option::of(any::<bool>()),
        )
            .prop_map(|(urls, user_agent, area, headers, url_encode)| {
                Operation::PushUrlsCache(cdn::PushUrlsCache {
                    urls,
                    user_agent,
                    area,
                    headers,
                    url_encode,
                    ..Default::default()
                })
            })
    }

    fn prefetch() -> impl Strategy<Value = Operation> {
        (
            proptest::option::of(text()),
            proptest::option::of(proptest::collection::vec(text(), 0..6)),
            proptest::option::of(text()),
        )
            .prop_map(|(zone_id, targets, mode)| {
                Operation::CreatePrefetchTask(edgeone::CreatePrefetchTask {
                    zone_id,
                    targets,
                    mode,
                    ..Default::default()
                })
            })
    }

    fn purge() -> impl Strategy<Value = Operation> {
        (
            proptest::option::of(text()),
            proptest::option::of(proptest::collection::vec(text(), 0..6)),
        )
            .prop_map(|(kind, targets)| {
                Operation::CreatePurgeTask(edgeone::CreatePurgeTask {
                    kind,
                    targets,
                    ..Default::default()
                })
            })
    }

    proptest! {
        /// The spliced body is byte for byte serde_json's, the rest of the request too, and
        /// the operation is left unchanged.
        #[test]
        fn splice_is_serde(op in prop_oneof![push(), prefetch(), purge()]) {
            let endpoint = Endpoint::default_for(op.service());
            let expected = op.build(&endpoint);
            let mut same = op.clone();
            let spliced = build(&mut same, &endpoint);
            prop_assert_eq!(&same, &op);
            prop_assert_eq!(
                String::from_utf8_lossy(&spliced.body),
                String::from_utf8_lossy(&expected.body)
            );
            prop_assert_eq!(spliced, expected.clone());
            let (mut head, text) = build_text(&mut same, &endpoint);
            prop_assert_eq!(&same, &op);
            head.body = text.into_bytes();
            prop_assert_eq!(head, expected);
        }

        /// The word-at-a-time scan finds what a byte loop finds: the first newline, and
        /// whether a byte before it is one serde_json escapes.
        #[test]
        fn scan_item_is_a_byte_loop(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\n'), Just(b'"'), Just(b'\\'), Just(0u8), Just(0x1f), Just(0x20), Just(0x8a), Just(b'a'), any::<u8>()],
                0..40,
            ),
            from in 0usize..44,
        ) {
            let rest = bytes.get(from..).unwrap_or_default();
            let nl = rest.iter().position(|&b| b == b'\n');
            let before = &rest[..nl.unwrap_or(rest.len())];
            let special = before.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            prop_assert_eq!(scan_item(&bytes, from), (nl.map(|p| from + p), special));
        }

        /// The split list says it needs escapes exactly when an item does, and building with
        /// that answer gives serde_json's body.
        #[test]
        fn split_escapes_are_exact(items in prop_oneof![proptest::collection::vec(text(), 1..8), shared_items()]) {
            let joined = items.join("\n");
            if let Some((split, escapes)) = split_lines_checked(&joined, items.len(), Vec::new()) {
                let expected = split.iter().any(|s| s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
                prop_assert_eq!(escapes, Escapes(expected));
                let op = Operation::PushUrlsCache(cdn::PushUrlsCache { urls: Some(split), ..Default::default() });
                let endpoint = Endpoint::default_for(Service::Cdn);
                let (mut head, text) = build_text_split(&mut op.clone(), &endpoint, escapes);
                head.body = text.into_bytes();
                prop_assert_eq!(head, op.build(&endpoint));
            }
        }

        /// Joining by `\n` and splitting gives the items back, or `None` when one holds a `\n`.
        #[test]
        fn split_inverts_join(
            items in proptest::collection::vec(text(), 1..8),
            reuse in proptest::collection::vec(text(), 0..10),
        ) {
            let joined = items.join("\n");
            let split = split_lines(&joined, items.len(), reuse);
            if items.iter().any(|s| s.contains('\n')) {
                prop_assert_eq!(split, None);
            } else {
                prop_assert_eq!(split, Some(items));
            }
        }
    }

    #[test]
    fn operations_without_a_list_build_as_usual() {
        let mut op = Operation::from_json(Service::Cdn, "DescribePushQuota", "{}").unwrap();
        let endpoint = Endpoint::default_for(Service::Cdn);
        assert_eq!(build(&mut op, &endpoint), op.build(&endpoint));
        let mut esa = Operation::from_json(
            Service::Esa,
            "PreloadCaches",
            r#"{"Content":["https://a.com/"]}"#,
        )
        .unwrap();
        assert!(esa.url_list_mut().is_none());
        let endpoint = Endpoint::default_for(Service::Esa);
        assert_eq!(build(&mut esa, &endpoint), esa.build(&endpoint));
    }
}
