//! Plain text and CSV URL lists, with a reason for every line that is not taken: one URL per
//! line (comments with `#`, blank lines skipped), or a CSV whose `url` column (or first
//! URL-looking field) is taken. Duplicates are dropped, keeping the first.

use super::{Extracted, Rejected};
use crate::error::Rule;
use std::collections::HashSet;

/// Why `text` is not a URL we can warm, if it is not.
pub(crate) fn check_url(text: &str) -> Result<(), (Rule, String)> {
    if text.chars().any(|c| c.is_control()) {
        return Err((
            Rule::Characters,
            "the URL contains control characters".into(),
        ));
    }
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        let rule = if text.contains("://") {
            Rule::UrlScheme
        } else {
            Rule::UrlSyntax
        };
        return Err((rule, "not an http:// or https:// URL".into()));
    }
    match crate::urls::parse(text) {
        Ok(u) if !u.host.is_empty() => Ok(()),
        Ok(_) => Err((Rule::UrlHost, "the URL has no host".into())),
        Err(e) => Err((Rule::UrlSyntax, format!("the URL does not parse: {e}"))),
    }
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

/// Collects URLs with dedupe and rejections.
#[derive(Default)]
pub(crate) struct Collector {
    out: Extracted,
    seen: HashSet<String>,
}

impl Collector {
    /// Offers one candidate found on `line`.
    pub(crate) fn offer(&mut self, line: usize, text: &str) {
        match check_url(text) {
            Ok(()) => {
                if self.seen.insert(text.to_string()) {
                    self.out.urls.push(text.to_string());
                } else {
                    self.out.duplicates += 1;
                }
            }
            Err((rule, message)) => self.reject(line, text, rule, message),
        }
    }

    /// Records a rejected line.
    pub(crate) fn reject(&mut self, line: usize, text: &str, rule: Rule, message: String) {
        self.out.rejected.push(Rejected {
            line,
            text: clip(text),
            rule,
            message,
        });
    }

    /// The URLs and rejections gathered so far.
    pub(crate) fn finish(self) -> Extracted {
        self.out
    }
}

/// One URL per line: BOM stripped, CRLF or LF, trimmed, blank and `#` lines skipped.
pub fn parse_text(input: &str) -> Extracted {
    let mut c = Collector::default();
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    for (i, line) in input.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        c.offer(i + 1, t);
    }
    c.finish()
}

/// Splits CSV text into rows of fields (RFC 4180: quotes, `""`, commas and newlines in quotes),
/// each row with its 1-based starting line.
fn csv_rows(input: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = input.chars().peekable();
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push((start, std::mem::take(&mut row)));
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push((start, row));
    }
    rows
}

/// A CSV: the `url` / `link` / `loc` column when the header names one, else the first field of
/// each row that starts with `http://` or `https://`.
pub fn parse_csv(input: &str) -> Extracted {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let rows = csv_rows(input);
    let mut c = Collector::default();
    let header_col = rows.first().and_then(|(_, r)| {
        r.iter().position(|f| {
            matches!(
                f.trim().to_ascii_lowercase().as_str(),
                "url" | "link" | "loc"
            )
        })
    });
    let skip = usize::from(header_col.is_some());
    for (line, row) in rows.iter().skip(skip) {
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let cell = match header_col {
            Some(col) => row.get(col).map(|f| f.trim()).filter(|f| !f.is_empty()),
            None => row.iter().map(|f| f.trim()).find(|f| {
                let l = f.get(..8).unwrap_or(f).to_ascii_lowercase();
                l.starts_with("http://") || l.starts_with("https://")
            }),
        };
        match cell {
            Some(url) => c.offer(*line, url),
            None => c.reject(
                *line,
                &row.join(","),
                Rule::Required,
                "no URL in this row".into(),
            ),
        }
    }
    c.finish()
}

/// `.csv` files as CSV, anything else as one URL per line.
pub fn parse_auto(name: &str, input: &str) -> Extracted {
    if name.to_ascii_lowercase().ends_with(".csv") {
        parse_csv(input)
    } else {
        parse_text(input)
    }
}
