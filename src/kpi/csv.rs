//! Reading measurement files: `timestamp,value[,note]`, UTF-8, one header line.
//!
//! A file is read twice: once to validate it completely (every error, by line and column),
//! and once, after the person confirmed the preview, to store it. Both passes stream, so
//! memory stays flat whatever the file's size; only the timestamps are kept, to find
//! duplicates.

use super::model::{check_timestamp, parse_timestamp};
use super::repo::NewPoint;
use crate::platform::time::minute as format_ts;
use super::units::Unit;
use super::view::{ImportError, ImportPreview};
use crate::platform::money::Currency;
use std::io::Read;

pub const NOTE_MAX: usize = 500;
/// Errors listed in a preview; the rest are counted.
pub const ERRORS_SHOWN: usize = 100;
const SAMPLE_ROWS: usize = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct Columns {
    pub timestamp: usize,
    pub value: usize,
    pub note: Option<usize>,
    pub count: usize,
}

fn err(line: u64, column: &str, message: impl Into<String>) -> ImportError {
    ImportError { line, column: column.to_string(), message: message.into() }
}

/// Reads the header line. Column names are matched without regard to case or spaces.
pub fn header(fields: &[&[u8]]) -> Result<Columns, ImportError> {
    let names: Vec<String> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let text = String::from_utf8_lossy(f);
            let text = if i == 0 { text.trim_start_matches('\u{feff}').to_string() } else { text.into_owned() };
            text.trim().to_lowercase()
        })
        .collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let expected = "expected the columns timestamp,value and optionally note";
    let (Some(timestamp), Some(value)) = (find("timestamp"), find("value")) else {
        return Err(err(1, "header", format!("{expected}; found {}", names.join(","))));
    };
    if let Some(unknown) = names.iter().find(|n| !matches!(n.as_str(), "timestamp" | "value" | "note")) {
        return Err(err(1, "header", format!("unknown column “{unknown}”; {expected}")));
    }
    if names.len() != names.iter().collect::<std::collections::HashSet<_>>().len() {
        return Err(err(1, "header", format!("a column is named twice; {expected}")));
    }
    Ok(Columns { timestamp, value, note: find("note"), count: names.len() })
}

/// Reads one data line into a point, or every problem on it.
pub fn row(fields: &[&[u8]], line: u64, cols: &Columns, unit: Unit, currency: Currency, now: i64) -> Result<NewPoint, Vec<ImportError>> {
    if fields.len() != cols.count {
        return Err(vec![err(line, "line", format!("expected {} columns, found {}", cols.count, fields.len()))]);
    }
    let mut problems = Vec::new();
    let text = |i: usize, name: &str, problems: &mut Vec<ImportError>| match std::str::from_utf8(fields[i]) {
        Ok(s) => Some(s),
        Err(_) => {
            problems.push(err(line, name, "not UTF-8 text; save the file as UTF-8"));
            None
        }
    };
    let ts = text(cols.timestamp, "timestamp", &mut problems)
        .map(|s| parse_timestamp(s).and_then(|t| check_timestamp(t, now)))
        .and_then(|r| r.map_err(|m| problems.push(err(line, "timestamp", m))).ok());
    let value = text(cols.value, "value", &mut problems)
        .map(|s| unit.parse_value(s, currency))
        .and_then(|r| r.map_err(|m| problems.push(err(line, "value", m))).ok());
    let note = match cols.note {
        None => None,
        Some(i) => match text(i, "note", &mut problems).map(str::trim) {
            Some(n) if n.chars().count() > NOTE_MAX => {
                problems.push(err(line, "note", format!("a note has at most {NOTE_MAX} characters")));
                None
            }
            Some(n) if !n.is_empty() => Some(n.to_string()),
            _ => None,
        },
    };
    match (ts, value) {
        (Some(ts), Some(value)) if problems.is_empty() => Ok(NewPoint { ts, value, note }),
        _ => Err(problems),
    }
}

/// Walks every record of a file, calling `each` with the line number and the fields.
fn records(input: impl Read, mut each: impl FnMut(u64, &[&[u8]]) -> bool) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let fields: Vec<&[u8]> = record.iter().collect();
                // A line with one empty field is a blank line; skip it.
                if fields.len() == 1 && fields[0].iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                if !each(line, &fields) {
                    return Ok(());
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(err(line, "line", format!("the file is not valid CSV here: {e}")));
            }
        }
    }
}

/// Validates a whole file and describes it: row count, a sample, and every error.
pub fn validate(input: impl Read, unit: Unit, currency: Currency, now: i64) -> ImportPreview {
    validate_with_times(input, unit, currency, now).0
}

/// As [`validate`], also giving the file's timestamps in order, to count those already stored.
pub fn validate_with_times(mut input: impl Read, unit: Unit, currency: Currency, now: i64) -> (ImportPreview, Vec<i64>) {
    let mut preview = ImportPreview { token: None, rows: 0, replaces: 0, sample: Vec::new(), errors: Vec::new(), error_count: 0, first_at: None, last_at: None };
    let mut head = [0u8; 2];
    let n = input.read(&mut head).unwrap_or(0);
    if n == 2 && (head == [0xFF, 0xFE] || head == [0xFE, 0xFF]) {
        preview.errors.push(err(1, "file", "the file is UTF-16 text; save it as CSV UTF-8"));
        preview.error_count = 1;
        return (preview, Vec::new());
    }
    let input = std::io::Cursor::new(head[..n].to_vec()).chain(input);
    let mut columns: Option<Columns> = None;
    let mut stamps: Vec<(i64, u64)> = Vec::new();
    let note = |preview: &mut ImportPreview, e: ImportError| {
        preview.error_count += 1;
        if preview.errors.len() < ERRORS_SHOWN {
            preview.errors.push(e);
        }
    };
    let walked = records(input, |line, fields| {
        let Some(cols) = &columns else {
            match header(fields) {
                Ok(c) => columns = Some(c),
                Err(e) => {
                    note(&mut preview, e);
                    return false;
                }
            }
            return true;
        };
        match row(fields, line, cols, unit, currency, now) {
            Ok(p) => {
                preview.rows += 1;
                stamps.push((p.ts, line));
                if preview.sample.len() < SAMPLE_ROWS {
                    preview.sample.push((line, format_ts(p.ts), unit.format(p.value, currency), p.note.unwrap_or_default()));
                }
            }
            Err(problems) => problems.into_iter().for_each(|e| note(&mut preview, e)),
        }
        true
    });
    if let Err(e) = walked {
        note(&mut preview, e);
    }
    if columns.is_none() && preview.error_count == 0 {
        note(&mut preview, err(1, "file", "the file is empty; it needs a header line timestamp,value and data lines"));
    }
    stamps.sort_unstable();
    for pair in stamps.windows(2) {
        if pair[0].0 == pair[1].0 {
            let (first, again) = (pair[0].1.min(pair[1].1), pair[0].1.max(pair[1].1));
            note(&mut preview, err(again, "timestamp", format!("{} already appears on line {first}", format_ts(pair[0].0))));
        }
    }
    preview.errors.sort_by_key(|e| e.line);
    if preview.rows == 0 && preview.error_count == 0 {
        note(&mut preview, err(1, "file", "the file has a header but no data lines"));
    }
    preview.first_at = stamps.first().map(|s| format_ts(s.0));
    preview.last_at = stamps.last().map(|s| format_ts(s.0));
    (preview, stamps.into_iter().map(|s| s.0).collect())
}

/// Streams the points of a validated file in chunks of `chunk`, stopping early if `each`
/// returns false. Lines that fail to parse now (the file changed?) end the walk with an error.
pub fn points(input: impl Read, unit: Unit, currency: Currency, now: i64, chunk: usize, mut each: impl FnMut(Vec<NewPoint>) -> bool) -> Result<(), ImportError> {
    let mut columns: Option<Columns> = None;
    let mut batch = Vec::with_capacity(chunk);
    let mut failure = None;
    records(input, |line, fields| {
        let Some(cols) = &columns else {
            match header(fields) {
                Ok(c) => columns = Some(c),
                Err(e) => {
                    failure = Some(e);
                    return false;
                }
            }
            return true;
        };
        match row(fields, line, cols, unit, currency, now) {
            Ok(p) => batch.push(p),
            Err(mut problems) => {
                failure = problems.pop();
                return false;
            }
        }
        if batch.len() == chunk {
            return each(std::mem::replace(&mut batch, Vec::with_capacity(chunk)));
        }
        true
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !batch.is_empty() {
        each(batch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::money::CURRENCIES;

    const NOW: i64 = 1_777_636_800; // 2026-05-01T12:00:00Z

    fn check(text: &str) -> ImportPreview {
        validate(text.as_bytes(), Unit::Hours, CURRENCIES[0], NOW)
    }

    fn errors(p: &ImportPreview) -> Vec<(u64, &str)> {
        p.errors.iter().map(|e| (e.line, e.column.as_str())).collect()
    }

    #[test]
    fn a_good_file_is_counted_and_sampled() {
        let p = check("\u{feff}Timestamp, Value ,note\n2026-04-01,18.5,after the release\n2026-04-02T00:00:00Z,17,\n\n2026-04-03,\"16.25\",\"quoted, with comma\"\n");
        assert_eq!(p.error_count, 0, "{:?}", p.errors);
        assert_eq!(p.rows, 3);
        assert_eq!(p.sample[0], (2, "2026-04-01 00:00".to_string(), "18.5 h".to_string(), "after the release".to_string()));
        assert_eq!(p.first_at.as_deref(), Some("2026-04-01 00:00"));
        assert_eq!(p.last_at.as_deref(), Some("2026-04-03 00:00"));
    }

    #[test]
    fn every_bad_field_is_named_by_line_and_column() {
        let p = check("timestamp,value\n2026-04-01,abc\n2026-02-30,1\n2026-04-02,NaN\n2026-04-03,1,extra\n2027-01-01,2\n2026-04-04,-3\n2026-04-05,4\n");
        assert_eq!(errors(&p), vec![(2, "value"), (3, "timestamp"), (4, "value"), (5, "line"), (6, "timestamp"), (7, "value")]);
        assert_eq!(p.rows, 1);
        assert!(p.errors[4].message.contains("future"), "{:?}", p.errors[4]);
    }

    #[test]
    fn duplicates_within_a_file_are_refused() {
        let p = check("timestamp,value\n2026-04-01,1\n2026-04-02,2\n2026-04-01T00:00:00Z,3\n");
        assert_eq!(errors(&p), vec![(4, "timestamp")]);
        assert!(p.errors[0].message.contains("already appears on line 2"));
    }

    #[test]
    fn wrong_headers_encodings_and_empty_files() {
        let bad_header = check("when,amount\n2026-04-01,1\n");
        assert_eq!(errors(&bad_header), vec![(1, "header")]);
        assert!(bad_header.errors[0].message.contains("found when,amount"));
        assert_eq!(errors(&check("timestamp,value,owner\n")), vec![(1, "header")]);
        assert_eq!(errors(&check("")), vec![(1, "file")]);
        assert_eq!(errors(&check("timestamp,value\n")), vec![(1, "file")]);
        let latin1 = b"timestamp,value,note\n2026-04-01,1,caf\xe9\n";
        let p = validate(&latin1[..], Unit::Hours, CURRENCIES[0], NOW);
        assert_eq!(errors(&p), vec![(2, "note")]);
        assert!(p.errors[0].message.contains("UTF-8"));
        let utf16 = [0xFF, 0xFE, b't', 0, b'i', 0];
        assert_eq!(errors(&validate(&utf16[..], Unit::Hours, CURRENCIES[0], NOW)), vec![(1, "file")]);
        // An unterminated quote swallows the following lines into one field, which then fails.
        let unterminated = check("timestamp,value\n2026-04-01,\"1\n2026-04-02,2\n");
        assert_eq!(errors(&unterminated), vec![(2, "value")]);
    }

    #[test]
    fn only_the_first_hundred_errors_are_listed() {
        let mut text = String::from("timestamp,value\n");
        for _ in 0..250 {
            text.push_str("2026-04-01,x\n");
        }
        let p = check(&text);
        assert_eq!(p.errors.len(), ERRORS_SHOWN);
        assert_eq!(p.error_count, 250);
    }

    #[test]
    fn points_stream_in_chunks() {
        let mut text = String::from("timestamp,value\n");
        for d in 1..=25 {
            text.push_str(&format!("2026-03-{d:02},{d}\n"));
        }
        let mut sizes = Vec::new();
        points(text.as_bytes(), Unit::Hours, CURRENCIES[0], NOW, 10, |c| {
            sizes.push(c.len());
            true
        })
        .unwrap();
        assert_eq!(sizes, [10, 10, 5]);
    }
}
