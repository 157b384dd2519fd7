//! Results as CSV cells that are safe to open in a spreadsheet. A cell starting with `=`, `+`,
//! `-`, `@`, a tab or a carriage return is read as a formula by Excel, LibreOffice and Google
//! Sheets ("CSV injection", OWASP): such a cell gets a leading `'` so it stays text. Every CSV
//! edgewarm writes goes through [`csv_cell`], so the rule lives once.

/// Characters that make a spreadsheet read a cell as a formula when they come first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV cell: neutralised (a `'` before a leading formula character), then quoted (RFC 4180)
/// when it holds a comma, a quote or a line break.
pub fn csv_cell(s: &str) -> String {
    let text = if s.starts_with(FORMULA_STARTS) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One CSV line (with its `\n`) from cells.
pub fn csv_row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| csv_cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_quoting_still_applies() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "\"'\rx\"");
        assert_eq!(csv_cell("https://a.com/x,y"), "\"https://a.com/x,y\"");
        assert_eq!(csv_cell("a-b=c"), "a-b=c");
        assert_eq!(csv_cell(""), "");
        assert_eq!(csv_row(&["=1", "ok"]), "'=1,ok\n");
    }
}
