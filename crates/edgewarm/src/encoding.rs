//! The byte-level encodings both signing schemes and all builders share: RFC 3986
//! percent-encoding (the one canonical form edgewarm sends and signs), form decoding (`+` is a
//! space, as the vendors' servers read it), and hex SHA-256 / HMAC-SHA256.

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped.
pub const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// RFC 3986 percent-encoding over UTF-8, upper-case hex, space as `%20`.
pub fn rfc3986(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

/// Decodes one form component: `+` is a space, `%XX` are bytes; `None` if the bytes are not
/// UTF-8. A `%` not followed by two hex digits stays literal (as the servers read it).
pub fn form_decode_component(s: &str) -> Option<String> {
    let replaced = s.replace('+', " ");
    percent_decode(replaced.as_bytes())
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// Splits a raw query or form body into decoded `(name, value)` pairs: empty segments are
/// skipped and `k` alone means `k=`. `None` when a component is not UTF-8 after decoding.
pub fn form_decode(s: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for part in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        pairs.push((form_decode_component(k)?, form_decode_component(v)?));
    }
    Some(pairs)
}

/// Sorts name/value pairs (stable): a binary insertion sort, for the few pairs a query, a form
/// or a signature's headers have. The standard library's sort (driftsort) weighs ~4 KB of wasm
/// per element type; this one is a few hundred bytes, and the core sorts only these pairs.
pub(crate) fn sort_pairs(pairs: &mut [(String, String)]) {
    for k in 1..pairs.len() {
        let at = pairs[..k].partition_point(|p| *p <= pairs[k]);
        pairs[at..=k].rotate_right(1);
    }
}

/// `name=value&…` with both sides RFC 3986-encoded, pairs sorted by encoded name then value:
/// the ACS3 canonical query, and the wire form edgewarm sends for queries and form bodies.
pub fn canonical_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    sort_pairs(&mut encoded);
    let mut out = String::new();
    for (i, (k, v)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex_lower(&Sha256::digest(data))
}

/// Lower-case hex of `bytes`, two table digits a byte (the `hex` crate's encoder builds its
/// string from a character iterator, several times slower on a signer's digests).
pub fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Raw HMAC-SHA256.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0; 32],
    };
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

/// Constant-time comparison of two ASCII strings (signatures).
pub fn ct_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `true` for 64 lower-case hex digits.
pub fn is_hex64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_sort_as_the_standard_sort() {
        let words = ["b", "a", "", "ab", "a", "B", "é", "b"];
        for n in 0..=words.len() {
            for shift in 0..words.len() {
                let mut pairs: Vec<(String, String)> = (0..n)
                    .map(|i| {
                        let k = words[(i + shift) % words.len()];
                        let v = words[(i * 3 + shift) % words.len()];
                        (k.to_string(), v.to_string())
                    })
                    .collect();
                let mut expected = pairs.clone();
                expected.sort();
                sort_pairs(&mut pairs);
                assert_eq!(pairs, expected);
            }
        }
    }

    #[test]
    fn hex_lower_is_hex_encode() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(hex_lower(&bytes), hex::encode(&bytes));
        assert_eq!(hex_lower(&[]), "");
    }

    #[test]
    fn rfc3986_keeps_unreserved_only() {
        assert_eq!(rfc3986("aZ09-_.~"), "aZ09-_.~");
        assert_eq!(rfc3986("a b*+/'!()"), "a%20b%2A%2B%2F%27%21%28%29");
        assert_eq!(rfc3986("中"), "%E4%B8%AD");
    }

    #[test]
    fn form_decode_reads_plus_as_space() {
        let pairs = form_decode("a=1+2&b=%2B&&c&d=%E4%B8%AD").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), "+".into()),
                ("c".into(), "".into()),
                ("d".into(), "中".into())
            ]
        );
        assert!(form_decode("a=%FF").is_none());
    }

    #[test]
    fn canonical_pairs_sort_after_encoding() {
        assert_eq!(
            canonical_pairs([("b", "x y"), ("a", "2"), ("a", "1")]),
            "a=1&a=2&b=x%20y"
        );
    }

    #[test]
    fn sha256_of_empty() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// FIPS 180-2 (NIST) vectors: one block, two blocks, many blocks; whichever sha2 backend the
    /// features pick (the call module's compact one included).
    #[test]
    fn sha256_nist_vectors() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            sha256_hex(&[b'a'; 1_000_000]),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }
}
