//! Property tests of everything that reads outside input: the two CSV readers, money, times and
//! the ingest API's JSON. Each runs 10,000 generated inputs, mixing well-formed pieces with
//! hostile ones, and holds the readers to two promises: no input makes them panic, and every
//! refusal says where (a line and column, or an item and field) and what.

use crate::budget::expenses::{parse_file, Rules};
use crate::budget::model::FiscalCalendar;
use crate::kpi::csv as kpi_csv;
use crate::kpi::model::parse_timestamp;
use crate::kpi::units::Unit;
use crate::platform::money::{Currency, CURRENCIES, MAX_MINOR};
use crate::kpi::routes::items as ingest;
use chrono::NaiveDate;
use proptest::prelude::*;

const NOW: i64 = 1_777_636_800;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() }
}

/// Cell text: plausible values, edge numbers, formulas, quotes, separators and any Unicode.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2026-05-01T12:00:00Z".to_string()),
        Just("2026-05-01".to_string()),
        Just("1777636800".to_string()),
        Just("-1".to_string()),
        Just("9223372036854775807".to_string()),
        Just("0001-01-01T00:00:00Z".to_string()),
        Just("NaN".to_string()),
        Just("1e400".to_string()),
        Just("12.5".to_string()),
        Just("$1,234.50".to_string()),
        Just("=cmd()".to_string()),
        Just("Engineering".to_string()),
        Just("Cloud".to_string()),
        Just("opex".to_string()),
        "[0-9.,$€ -]{0,24}",
        "[0-9]{1,20}",
        ".{0,40}",
        "\\PC{0,20}",
    ]
}

/// A CSV text: a header from known and unknown column names, then rows of cells, with quoting
/// that may be right or broken.
fn csv_text(columns: &'static [&'static str]) -> impl Strategy<Value = String> {
    let names = prop::collection::vec(prop_oneof![prop::sample::select(columns).prop_map(str::to_string), "[a-z]{0,8}"], 0..6);
    let rows = prop::collection::vec(prop::collection::vec(cell(), 0..8), 0..12);
    (names, rows, any::<bool>(), any::<bool>()).prop_map(|(names, rows, quote, crlf)| {
        let end = if crlf { "\r\n" } else { "\n" };
        let field = |c: &String| if quote { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() };
        let mut out = names.join(",") + end;
        for row in rows {
            out += &row.iter().map(field).collect::<Vec<_>>().join(",");
            out += end;
        }
        out
    })
}

fn bytes_or_text(text: impl Strategy<Value = String>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![4 => text.prop_map(String::into_bytes), 1 => prop::collection::vec(any::<u8>(), 0..400)]
}

fn placed(e: &crate::kpi::view::ImportError) -> bool {
    !e.message.trim().is_empty() && (e.line > 0 || !e.column.is_empty())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn measurement_files(input in bytes_or_text(csv_text(&["timestamp", "value", "note", "Timestamp", " VALUE "])), unit in prop::sample::select(Unit::ALL), currency in prop::sample::select(CURRENCIES)) {
        let preview = kpi_csv::validate(input.as_slice(), unit, currency, NOW);
        prop_assert!(preview.error_count >= preview.errors.len() as u64);
        for e in &preview.errors {
            prop_assert!(placed(e), "{e:?}");
        }
        // The storing pass agrees with the checking pass: a clean file yields every row.
        let mut stored = 0u64;
        let result = kpi_csv::points(input.as_slice(), unit, currency, NOW, 7, |chunk| {
            stored += chunk.len() as u64;
            true
        });
        if preview.error_count == 0 {
            prop_assert!(result.is_ok(), "{result:?}");
            prop_assert_eq!(stored, preview.rows);
        } else if let Err(e) = result {
            prop_assert!(placed(&e), "{e:?}");
        }
    }

    #[test]
    fn expense_files(input in bytes_or_text(csv_text(&["date", "amount", "department", "category", "kind", "vendor", "description", "invoice", "initiative", "investment"])), head_of in prop::option::of(Just(1i64))) {
        let departments = vec![(1, "Engineering".to_string()), (2, "Operations".to_string())];
        let categories = vec![(7, "Cloud".to_string())];
        let rules = Rules {
            cal: FiscalCalendar::new(1),
            fiscal_year: 2026,
            today: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            currency: Currency::usd(),
            departments: &departments,
            categories: &categories,
            own_department: head_of.map(|id| (id, "Engineering".to_string())),
            initiatives: &[(4, "Search rework".to_string(), 1)],
            investments: &[(2, "Technical debt".to_string())],
        };
        let parsed = parse_file(&input, &rules);
        prop_assert!(parsed.error_count >= parsed.errors.len() as u64);
        for e in &parsed.errors {
            prop_assert!(placed(e), "{e:?}");
        }
        if parsed.error_count > 0 {
            prop_assert!(parsed.rows.is_empty(), "nothing is kept from a file with errors");
        }
        for row in &parsed.rows {
            prop_assert!(row.amount > 0 && row.amount <= MAX_MINOR);
            if head_of.is_some() {
                prop_assert_eq!(row.department_id, 1);
            }
        }
    }

    #[test]
    fn money_text(input in prop_oneof![cell(), "[-+]?[$€]?[0-9,]{0,22}(\\.[0-9]{0,4})?( kr)?", ".*"], currency in prop::sample::select(CURRENCIES)) {
        match currency.parse(&input) {
            Ok(minor) => {
                prop_assert!(minor.abs() <= MAX_MINOR);
                prop_assert_eq!(currency.parse(&currency.plain(minor)), Ok(minor));
            }
            Err(message) => prop_assert!(!message.trim().is_empty()),
        }
    }

    #[test]
    fn money_round_trips(minor in -MAX_MINOR..=MAX_MINOR, currency in prop::sample::select(CURRENCIES)) {
        prop_assert_eq!(currency.parse(&currency.plain(minor)), Ok(minor));
        prop_assert_eq!(currency.parse(&currency.format(minor)), Ok(minor));
    }

    #[test]
    fn timestamp_text(input in prop_oneof![cell(), "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?)?(Z|[+-][0-9]{2}:[0-9]{2})?", ".*"]) {
        match parse_timestamp(&input) {
            Ok(ts) => {
                let checked = crate::platform::time::happened(ts, NOW);
                prop_assert!(checked.is_ok() || !checked.unwrap_err().is_empty());
            }
            Err(message) => prop_assert!(!message.trim().is_empty()),
        }
    }

    #[test]
    fn timestamps_round_trip(ts in 0i64..=4_102_444_800) {
        let text = chrono::DateTime::from_timestamp(ts, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        prop_assert_eq!(parse_timestamp(&text), Ok(ts));
        prop_assert_eq!(parse_timestamp(&ts.to_string()), Ok(ts));
    }

    #[test]
    fn ingest_bodies(body in prop_oneof![json_body().prop_map(|v| v.to_string().into_bytes()), prop::collection::vec(any::<u8>(), 0..300)], unit in prop::sample::select(Unit::ALL)) {
        let Ok(items) = crate::platform::api_items::parse_items(&body) else { return Ok(()) };
        let mut details = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let _ = ingest::point(i, item, unit, Currency::usd(), NOW, &mut details);
            let _ = ingest::deployment(i, item, NOW, &mut details);
            let _ = ingest::incident(i, item, NOW, &mut details);
        }
        for d in &details {
            prop_assert!(d.index < items.len() && !d.field.is_empty() && !d.message.trim().is_empty(), "{d:?}");
        }
    }
}

/// JSON shaped like the ingest API's items, with wrong types, huge numbers and unknown keys.
fn json_body() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{json, Value};
    let scalar = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        cell().prop_map(Value::String),
    ];
    let value = scalar.prop_recursive(2, 8, 4, |inner| prop::collection::vec(inner, 0..4).prop_map(Value::Array));
    let keys = prop::sample::select(&[
        "timestamp", "value", "note", "service", "deployed_at", "succeeded", "commit_times", "lead_time_seconds", "id", "title", "severity",
        "started_at", "resolved_at", "deployment_id", "deployment", "extra",
    ][..]);
    let item = prop::collection::btree_map(keys, value, 0..8).prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    prop_oneof![item.clone(), prop::collection::vec(item, 0..5).prop_map(Value::Array)]
}
