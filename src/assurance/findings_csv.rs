//! A list of findings as CSV, for what no scanner writes as SARIF: a penetration test's
//! report, a register kept in a spreadsheet. Columns by name, in any order, others ignored:
//! `title` and `severity` (critical, high, medium, low, or a CVSS score) are required;
//! `rule`, `location`, `source` (the tool or firm; "CSV" when absent), `id` (the source's own
//! id for the finding), `first_seen` and `fixed_on` (YYYY-MM-DD) and `message` are not.
//!
//! A file is the whole list for each source it names, as a scan is for its scanner: matched by
//! the source's id, or by rule and location, and what it no longer lists is fixed. Every error
//! is told at its line and column; nothing is kept from a file with one.

use super::model::Severity;
use super::sarif::{Problem, Scan, ScanFinding};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Errors told; a file with more has the first ones to fix.
const MAX_PROBLEMS: usize = 100;
const COLUMNS: [&str; 9] = ["title", "severity", "rule", "location", "source", "id", "first_seen", "fixed_on", "message"];

pub fn parse(bytes: &[u8], today: NaiveDate) -> Result<Scan, Vec<Problem>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let header = reader.headers().map_err(|e| vec![Problem { at: "line 1".into(), message: format!("The header cannot be read: {e}.") }])?.clone();
    let at: HashMap<&str, usize> = COLUMNS.iter().filter_map(|c| Some((*c, header.iter().position(|h| h.eq_ignore_ascii_case(c) || h.eq_ignore_ascii_case(&c.replace('_', " ")))?))).collect();
    let missing: Vec<&str> = ["title", "severity"].into_iter().filter(|c| !at.contains_key(c)).collect();
    if !missing.is_empty() {
        return Err(vec![Problem { at: "line 1".into(), message: format!("The header needs the column{} {}.", if missing.len() > 1 { "s" } else { "" }, missing.join(" and ")) }]);
    }
    let mut problems = Vec::new();
    let mut findings = Vec::new();
    let mut tools: Vec<String> = Vec::new();
    let mut lines_of: HashMap<(String, String), u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(Problem { at: format!("line {line}"), message: format!("This line cannot be read: {e}.") });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: &str| at.get(c).and_then(|i| record.get(*i)).unwrap_or("").to_string();
        let mut wrong = |column: &str, message: String| problems.push(Problem { at: format!("line {line}, {column}"), message });
        let title = get("title");
        if title.is_empty() {
            wrong("title", "Give the finding a title.".into());
        }
        let severity = severity(&get("severity"));
        if severity.is_none() {
            wrong("severity", format!("“{}” is not a severity: write critical, high, medium or low, or a CVSS score from 0.1 to 10.", get("severity")));
        }
        let first_seen = date(&get("first_seen"), today).map_err(|m| wrong("first_seen", m)).ok().flatten();
        let fixed_on = date(&get("fixed_on"), today).map_err(|m| wrong("fixed_on", m)).ok().flatten();
        if let (Some(seen), Some(fixed)) = (first_seen, fixed_on) {
            if fixed < seen {
                wrong("fixed_on", format!("It was fixed on {fixed}, before it was first seen on {seen}."));
            }
        }
        let source = Some(get("source")).filter(|s| !s.is_empty()).unwrap_or_else(|| "CSV".into());
        let rule = Some(get("rule")).filter(|s| !s.is_empty()).unwrap_or_else(|| title.clone());
        let location = get("location");
        let key = match get("id") {
            id if !id.is_empty() => format!("id\u{1f}{id}"),
            _ => format!("{rule}\u{1f}{location}"),
        };
        if let Some(first) = lines_of.insert((source.clone(), key.clone()), line) {
            wrong("id", format!("Line {first} already lists this finding (the same source and id, or rule and location)."));
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let Some(severity) = severity else { continue };
        if !tools.contains(&source) {
            tools.push(source.clone());
        }
        findings.push(ScanFinding {
            tool: clip(&source, 100),
            rule: clip(&rule, 200),
            title: clip(&title, 200),
            severity,
            location: clip(&location, 500),
            key,
            message: clip(&get("message"), 2000),
            help: None,
            first_seen: first_seen.map(crate::platform::time::midnight),
            fixed_at: fixed_on.map(crate::platform::time::midnight),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if findings.is_empty() {
        return Err(vec![Problem { at: "the file".into(), message: "The file lists no findings. To say a source found nothing, import its empty scan as SARIF.".into() }]);
    }
    Ok(Scan { tools: tools.into_iter().map(|t| clip(&t, 100)).collect(), findings })
}

fn severity(text: &str) -> Option<Severity> {
    Severity::parse(&text.to_ascii_lowercase()).or_else(|| text.parse::<f64>().ok().and_then(Severity::from_cvss))
}

fn date(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    // A date, or a scanner's timestamp (RFC 3339), of which the UTC day counts.
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&chrono::Utc).date_naive()))
        .ok_or_else(|| format!("“{text}” is not a date; write it as YYYY-MM-DD."))?;
    if day > today {
        return Err(format!("{day} is after today."));
    }
    Ok(Some(day))
}

fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn a_register_reads_by_column_name_with_cvss_and_dates() {
        let file = "Severity,Title,Location,First seen,fixed_on,Source,id,Owner\n\
                    9.8,SQL injection in search,/search,2026-10-01,,PenTest Co,PT-1,Priya\n\
                    low,Verbose errors,/api,2026-09-01,2026-09-20,PenTest Co,PT-2,Priya\n\
                    High,Outdated TLS,lb-1:443,2026-11-02T23:30:00-02:00,,,,\n";
        let scan = parse(file.as_bytes(), today()).unwrap();
        assert_eq!(scan.tools, ["PenTest Co", "CSV"]);
        let f = &scan.findings;
        assert_eq!((f[0].severity, f[0].rule.as_str(), f[0].key.as_str()), (Severity::Critical, "SQL injection in search", "id\u{1f}PT-1"));
        assert_eq!(f[0].first_seen, Some(crate::platform::time::midnight(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())));
        assert_eq!((f[1].severity, f[1].fixed_at.is_some()), (Severity::Low, true));
        assert_eq!((f[2].tool.as_str(), f[2].key.as_str()), ("CSV", "Outdated TLS\u{1f}lb-1:443"));
        assert_eq!(f[2].first_seen, Some(crate::platform::time::midnight(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap())), "the UTC day of a timestamp");
    }

    #[test]
    fn every_wrong_cell_is_told_at_its_line_and_column() {
        let file = "title,severity,first_seen,fixed_on\n\
                    ,high,,\n\
                    XSS,urgent,2026-13-01,\n\
                    CSRF,medium,2026-11-10,2026-11-01\n\
                    Later,low,2026-12-25,\n\
                    XSS twice,high,,\n\
                    XSS twice,high,,\n";
        let problems = parse(file.as_bytes(), today()).unwrap_err();
        let at: Vec<&str> = problems.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(at, ["line 2, title", "line 3, severity", "line 3, first_seen", "line 4, fixed_on", "line 5, first_seen", "line 7, id"]);
        assert!(problems[1].message.contains("“urgent” is not a severity"));
        assert!(problems[5].message.contains("Line 6 already lists"));
    }

    #[test]
    fn a_header_without_the_required_columns_or_a_file_without_rows_is_refused() {
        let problems = parse(b"name,level\nx,high\n", today()).unwrap_err();
        assert_eq!(problems[0].message, "The header needs the columns title and severity.");
        let problems = parse(b"title,severity\n", today()).unwrap_err();
        assert!(problems[0].message.contains("lists no findings"));
    }
}
