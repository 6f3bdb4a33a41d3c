use super::*;
use crate::platform::money::Currency;

const SAMPLE: &str = include_str!("../../../tests/fixtures/focus/aws-sample.csv");

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn read(text: &str) -> Parsed {
    parse(text.as_bytes(), Currency::usd(), today())
}

/// A minimal file: the columns Northstar reads, and one row.
fn file(rows: &[&str]) -> String {
    let mut s = String::from("ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ProviderName,ServiceName,SubAccountId,SubAccountName,Tags\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

#[test]
fn a_real_shaped_export_sums_to_one_line_per_month_account_service_and_tags() {
    let p = read(SAMPLE);
    assert_eq!(p.errors, vec![], "{:?}", p.errors);
    assert_eq!(p.rows, 18);
    assert_eq!(p.lines.len(), 10, "five lines a month");
    let ec2 = p.lines.iter().find(|l| l.month == Month { year: 2026, month: 9 } && l.service == "Amazon Elastic Compute Cloud").unwrap();
    // Usage, a tiny transfer in scientific notation, usage covered by a savings plan, tax and a
    // credit: the same tags in another order are the same line.
    assert_eq!(ec2.rows, 5);
    assert_eq!(ec2.billed, 128_334, "1234.5678901234 + 0.0000123 + 0 + 98.77 − 50");
    assert_eq!(ec2.effective, 131_569, "1100.25 + 0.000015 + 166.67 + 98.77 − 50");
    assert_eq!(ec2.tags, r#"{"env":"prod","team":"payments"}"#);
    assert_eq!((ec2.provider.as_str(), ec2.account_id.as_str(), ec2.account_name.as_str()), ("AWS", "444455556666", "payments-prod"));
    let october: Vec<&CostLine> = p.lines.iter().filter(|l| l.month.month == 10).collect();
    assert_eq!(october.iter().map(|l| l.billed).sum::<i64>(), 264_758);
    assert_eq!(october.iter().map(|l| l.effective).sum::<i64>(), 251_326, "the savings plan's fee is amortized into the usage it covers");
    let purchase = october.iter().find(|l| l.service.starts_with("Savings Plans")).unwrap();
    assert_eq!((purchase.billed, purchase.effective, purchase.tags.as_str()), (16_667, 0, "{}"));
}

#[test]
fn a_file_that_is_not_focus_is_refused_at_its_header_naming_what_is_missing() {
    let p = read("date,amount,department\n2026-10-01,10,Engineering\n");
    assert_eq!(p.error_count, 1);
    assert_eq!(p.errors[0].line, 1);
    let m = &p.errors[0].message;
    assert!(m.contains("not a FOCUS cost export") && m.contains("BilledCost") && m.contains("ProviderName"), "{m}");
    assert!(read("").errors[0].message.contains("not a FOCUS"));
    let empty = read(&file(&[]));
    assert_eq!((empty.error_count, empty.errors[0].message.as_str()), (1, "The file has no cost rows."));
}

#[test]
fn focus_1_2_names_the_provider_service_provider() {
    let text = "ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceProviderName,ServiceName\n2026-10-01,1,1,USD,Microsoft,Virtual Machines\n";
    let p = read(text);
    assert_eq!(p.errors, vec![]);
    assert_eq!((p.lines[0].provider.as_str(), p.lines[0].account_id.as_str(), p.lines[0].tags.as_str()), ("Microsoft", "", "{}"));
}

#[test]
fn bad_rows_are_refused_by_line_and_column_and_nothing_is_kept() {
    let p = read(&file(&[
        "2026-10-01T00:00:00Z,1.00,1.00,USD,AWS,Amazon S3,1,a,{}",
        "2026-10-01T00:00:00Z,one,1.00,USD,AWS,Amazon S3,1,a,{}",
        "01/10/2026,1.00,,USD,AWS,Amazon S3,1,a,{}",
        "2026-10-01T00:00:00Z,1.00,1.00,EUR,AWS,,1,a,{}",
        "2026-10-01T00:00:00Z,1.00,1.00,USD,AWS,Amazon S3,1,a,[\"team\"]",
        "2027-01-05T00:00:00Z,1.00,1.00,USD,AWS,Amazon S3,1,a,{}",
        "2026-10-01T00:00:00Z,1e999,1.00,USD,AWS,Amazon S3,1,a,{}",
        "2026-10-01T00:00:00Z,2000000000000,1.00,USD,AWS,Amazon S3,1,a,{}",
    ]));
    let got: Vec<(u64, &str)> = p.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "BilledCost"),
            (4, "EffectiveCost"),
            (4, "ChargePeriodStart"),
            (5, "BillingCurrency"),
            (5, "ServiceName"),
            (6, "Tags"),
            (7, "ChargePeriodStart"),
            (8, "BilledCost"),
            (9, "BilledCost"),
        ]
    );
    assert!(p.errors[0].message.contains("“one” is not a number"));
    assert!(p.errors[2].message.contains("ISO 8601"));
    assert!(p.errors[3].message.contains("“EUR” is not USD"));
    assert!(p.errors[6].message.contains("in the future"));
    assert!(p.lines.is_empty(), "a file with errors gives no lines");
    assert_eq!(p.error_count, 9);
}

#[test]
fn decimals_are_read_exactly_and_rounded_once_per_line() {
    assert_eq!(parse_decimal("12.5"), Some(12_500_000_000_000));
    assert_eq!(parse_decimal("-0.000000000001"), Some(-1));
    assert_eq!(parse_decimal("1.5E-7"), Some(150_000));
    assert_eq!(parse_decimal("2e3"), Some(2_000_000_000_000_000));
    assert_eq!(parse_decimal("0.0000000000005"), Some(1), "half away from zero past the twelfth place");
    assert_eq!(parse_decimal(".5"), Some(500_000_000_000));
    for bad in ["", "-", ".", "1,5", "1.2.3", "e5", "1e", "0x10", "NaN", " 1"] {
        assert_eq!(parse_decimal(bad), None, "{bad:?}");
    }
    // A thousand charges of a tenth of a cent are a dollar, not nothing.
    let rows: Vec<String> = (0..1000).map(|_| "2026-10-01,0.001,0.001,USD,AWS,Amazon S3,1,a,".to_string()).collect();
    let p = read(&file(&rows.iter().map(String::as_str).collect::<Vec<_>>()));
    assert_eq!((p.lines.len(), p.lines[0].billed, p.lines[0].rows), (1, 100, 1000));
    assert_eq!(to_minor(5_000_000_000, 2), 1, "half a cent rounds up");
    assert_eq!(to_minor(-5_000_000_000, 2), -1);
    assert_eq!(to_minor(4_999_999_999, 2), 0);
    assert_eq!(to_minor(1_500_000_000_000, 0), 2, "yen have no minor unit");
}

#[test]
fn tags_are_one_line_whatever_their_order_and_their_values_are_read_as_text() {
    let p = read(&file(&[
        r#"2026-10-01,1,1,USD,AWS,Amazon S3,1,a,"{""b"":""2"",""a"":""1""}""#,
        r#"2026-10-01,1,1,USD,AWS,Amazon S3,1,a,"{""a"":""1"",""b"":""2""}""#,
        r#"2026-10-01,1,1,USD,AWS,Amazon S3,1,a,"{""n"":5,""k"":null}""#,
    ]));
    assert_eq!(p.errors, vec![]);
    assert_eq!(p.lines.len(), 2);
    assert_eq!(tag_pairs(&p.lines[0].tags), vec![("a".into(), "1".into()), ("b".into(), "2".into())]);
    assert_eq!(tag_pairs(&p.lines[1].tags), vec![("k".into(), "".into()), ("n".into(), "5".into())]);
}

#[test]
fn an_unclosed_quote_is_reported_at_its_line() {
    let p = read(&file(&["2026-10-01,1,1,USD,AWS,Amazon S3,1,a,{}", "2026-10-01,1,1,USD,AWS,\"Amazon S3,1,a,{}\n"]));
    assert_eq!(p.error_count, 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 3);
    assert!(p.errors[0].message.contains("has 6 fields where the header has 9"), "{}", p.errors[0].message);
    assert!(p.lines.is_empty());
}
