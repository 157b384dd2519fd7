//! How a URL list becomes a job's entries, within a small multiple of the list's own size: every
//! URL is checked and encoded for the vendor once, kept once (the first of duplicates wins, in
//! input order), and the only copy of the list is the entries themselves. Duplicates are found
//! by sorting 8 bytes per URL (a 32-bit hash and an index), not through a set of every URL
//! alongside the list; the text form ([`Job::from_text`]) is read line by line from one string,
//! so a list crosses the wasm boundary once, as one piece.

use super::{Fate, Job, JobSpec, PurgeType, UrlEntry};
use crate::urls;

impl Job {
    /// [`Job::new`] over a text of one URL a line (LF or CRLF): surrounding white space is
    /// trimmed and blank lines skipped.
    pub fn from_text(spec: JobSpec, text: &str, seed: u64, now_ms: i64) -> Job {
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let capacity = lines.clone().count();
        let entries = entries(&spec, lines.map(str::to_owned), capacity);
        Job::planned(spec, entries, seed, now_ms)
    }
}

/// Every URL of `urls` checked for `spec`'s vendor, duplicates dropped; `capacity` is how many
/// are expected.
pub(super) fn entries(
    spec: &JobSpec,
    urls: impl Iterator<Item = String>,
    capacity: usize,
) -> Vec<UrlEntry> {
    let service = spec.target.service();
    let spec_problem = spec.check().err().and_then(|e| e.errors.into_iter().next());
    // host names and cache tags are no URLs: the vendor checks them
    let raw = matches!(
        spec.kind.purge_type(),
        Some(PurgeType::Host | PurgeType::Tag)
    );
    let mut entries = Vec::with_capacity(capacity);
    for mut url in urls {
        if url.capacity() > url.len() + url.len() / 4 {
            url.shrink_to_fit();
        }
        let (send, encode, fate) = if let Some(p) = &spec_problem {
            (
                String::new(),
                false,
                Fate::invalid(p.rule, format!("{}: {}", p.field, p.message)),
            )
        } else if raw {
            (String::new(), false, Fate::Pending)
        } else {
            match urls::prepare(&url, service) {
                Ok(p) => {
                    let send = if p.send == url { String::new() } else { p.send };
                    (send, p.needs_encoding, Fate::Pending)
                }
                Err((rule, message)) => (String::new(), false, Fate::invalid(rule, message)),
            }
        };
        entries.push(UrlEntry {
            url,
            send,
            encode,
            fate,
        });
    }
    dedupe(&mut entries, hash);
    entries
}

/// FNV-1a: a cheap, fixed hash (no random seed in the core), only to group equal URLs.
fn hash(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5, |h: u32, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Drops every entry whose URL an earlier entry has, keeping the order; `hash` only groups.
fn dedupe(entries: &mut Vec<UrlEntry>, hash: fn(&str) -> u32) {
    let mut keys: Vec<(u32, u32)> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (hash(&e.url), i as u32))
        .collect();
    let url = |i: u32| entries[i as usize].url.as_str();
    // equal hashes, then equal URLs, side by side, each group in input order
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| url(a.1).cmp(url(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let mut repeats: Vec<u32> = keys
        .windows(2)
        .filter(|w| w[0].0 == w[1].0 && url(w[0].1) == url(w[1].1))
        .map(|w| w[1].1)
        .collect();
    drop(keys);
    if repeats.is_empty() {
        return;
    }
    repeats.sort_unstable();
    let mut repeats = repeats.into_iter().peekable();
    let mut i = 0u32;
    entries.retain(|_| {
        let repeat = repeats.next_if_eq(&i).is_some();
        i += 1;
        !repeat
    });
}

#[cfg(test)]
mod tests {
    use super::super::{fixtures, Job};
    use crate::vendor::Service;

    #[test]
    fn text_and_lines_give_the_same_job_as_a_list() {
        let spec = fixtures::spec(Service::Esa, "LTAIBENCH");
        let list = [
            "https://a.example.com/x",
            "https://a.example.com/café",
            "https://a.example.com/x",
            "ftp://nope",
            "https://b.example.com/y?q=1",
            "https://a.example.com/café",
        ];
        let owned: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        let from_list = Job::new(spec.clone(), owned.clone(), 7, 1_000);
        let text = format!(
            "  {}\r\n\n{}\n",
            list[..3].join("\r\n"),
            list[3..].join("\n")
        );
        let from_text = Job::from_text(spec.clone(), &text, 7, 1_000);
        let from_lines = Job::from_lines(spec, owned, 7, 1_000);
        assert_eq!(from_text, from_list);
        assert_eq!(from_lines, from_list);
        let kept: Vec<&str> = from_list.urls().iter().map(|u| u.url.as_str()).collect();
        assert_eq!(
            kept,
            [
                "https://a.example.com/x",
                "https://a.example.com/café",
                "ftp://nope",
                "https://b.example.com/y?q=1"
            ]
        );
        assert_eq!(
            from_list.urls()[1].send_url(),
            "https://a.example.com/caf%C3%A9"
        );
        assert!(from_list.urls()[2].fate.is_final());
    }

    #[test]
    fn hash_collisions_are_told_apart_by_the_url() {
        // a hash of 3 values: equal hashes must not drop different URLs
        let mut entries: Vec<_> = (0..2000)
            .map(|i| super::UrlEntry {
                url: format!("u{}", i % 1500),
                send: String::new(),
                encode: false,
                fate: super::Fate::Pending,
            })
            .collect();
        super::dedupe(&mut entries, |s| s.len() as u32 % 3);
        let kept: Vec<String> = entries.into_iter().map(|e| e.url).collect();
        let want: Vec<String> = (0..1500).map(|i| format!("u{i}")).collect();
        assert_eq!(kept, want);
    }
}
