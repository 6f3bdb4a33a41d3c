//! FOCUS cost exports (the FinOps Open Cost and Usage Specification, 1.0 to 1.2, as CSV):
//! read row by row from a reader, each row checked, and its cost summed into one line per
//! month, provider, account, service and tags — the attributes mapping rules look at. A file
//! of a million rows becomes a few thousand lines, and is never held in memory whole.
//!
//! Costs are decimals with as many places as the provider likes (0.0000012345 of a dollar is
//! common). They are summed exactly as fixed point with 12 places in i128 and rounded to the
//! minor unit only once per line, so a million tiny charges do not lose their fractions.

use crate::budget::model::Month;
use crate::kpi::view::ImportError;
use crate::platform::money::Currency;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

/// Places of the fixed point the costs are summed in.
const SCALE: u32 = 12;
/// A single charge above a trillion is a mistake in the file, and keeps sums far from overflow.
const MAX_CHARGE: i128 = 1_000_000_000_000 * 10_i128.pow(SCALE);
/// Distinct (month, provider, account, service, tags) in one file. Tags that name each
/// resource would make a line per resource; this bounds the memory of such a file.
pub const MAX_LINES: usize = 200_000;
const ERRORS_SHOWN: usize = 100;
/// Raw `Tags` texts remembered with their canonical form; most rows repeat a few.
const TAG_CACHE: usize = 50_000;

/// One line of the file's summed cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostLine {
    pub month: Month,
    pub provider: String,
    pub account_id: String,
    pub account_name: String,
    pub service: String,
    /// The tags as a JSON object with sorted keys and string values.
    pub tags: String,
    pub rows: u64,
    /// In minor units, rounded half away from zero.
    pub billed: i64,
    pub effective: i64,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: u64,
    pub lines: Vec<CostLine>,
    pub errors: Vec<ImportError>,
    pub error_count: u64,
}

/// The columns read, by their FOCUS names. `ServiceProviderName` (1.2) stands in for
/// `ProviderName` (1.0, 1.1) when a file has it.
struct Columns {
    billed: usize,
    effective: usize,
    currency: usize,
    start: usize,
    service: usize,
    provider: usize,
    account_id: Option<usize>,
    account_name: Option<usize>,
    tags: Option<usize>,
}

const REQUIRED: [&str; 5] = ["BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ServiceName"];

impl Columns {
    fn read(header: &csv::ByteRecord) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                let h = if i == 0 { h.trim_start_matches('\u{feff}').to_string() } else { h.to_string() };
                h.trim().to_ascii_lowercase()
            })
            .collect();
        let at = |name: &str| names.iter().position(|n| n == &name.to_ascii_lowercase());
        let provider = at("ServiceProviderName").or_else(|| at("ProviderName"));
        let mut missing: Vec<&str> = REQUIRED.iter().copied().filter(|n| at(n).is_none()).collect();
        if provider.is_none() {
            missing.push("ProviderName");
        }
        match (missing.is_empty(), REQUIRED.map(at), provider) {
            (true, [Some(billed), Some(effective), Some(currency), Some(start), Some(service)], Some(provider)) => Ok(Columns {
                billed,
                effective,
                currency,
                start,
                service,
                provider,
                account_id: at("SubAccountId"),
                account_name: at("SubAccountName"),
                tags: at("Tags"),
            }),
            _ => Err(format!(
                "This is not a FOCUS cost export: {} {} missing. Export the cost data in FOCUS 1.0 or later (AWS Data Exports, Azure Cost Management, Google Cloud Billing export all offer it).",
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" }
            )),
        }
    }
}

/// Strings seen in the file, each stored once.
#[derive(Default)]
struct Names {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(s.to_string(), id);
        self.names.push(s.to_string());
        id
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    month: i64,
    provider: u32,
    account_id: u32,
    account_name: u32,
    service: u32,
    tags: u32,
}

#[derive(Default)]
struct Sums {
    rows: u64,
    billed: i128,
    effective: i128,
}

struct Reading<'a> {
    currency: Currency,
    today: NaiveDate,
    names: Names,
    tags: Names,
    raw_tags: HashMap<String, u32>,
    sums: HashMap<Key, Sums>,
    out: &'a mut Parsed,
}

impl Reading<'_> {
    fn error(&mut self, line: u64, column: &str, message: String) {
        self.out.error_count += 1;
        if self.out.errors.len() < ERRORS_SHOWN {
            self.out.errors.push(ImportError { line, column: column.to_string(), message });
        }
    }

    fn row(&mut self, cols: &Columns, rec: &csv::ByteRecord, line: u64) {
        let field = |i: usize| std::str::from_utf8(rec.get(i).unwrap_or_default()).map(str::trim);
        let text = |i: Option<usize>| i.map_or(Ok(""), field);
        let (Ok(billed), Ok(effective), Ok(currency), Ok(start), Ok(service), Ok(provider), Ok(account_id), Ok(account_name), Ok(tags)) = (
            field(cols.billed),
            field(cols.effective),
            field(cols.currency),
            field(cols.start),
            field(cols.service),
            field(cols.provider),
            text(cols.account_id),
            text(cols.account_name),
            text(cols.tags),
        ) else {
            return self.error(line, "", "The line is not UTF-8 text; export the file as UTF-8.".into());
        };
        let before = self.out.error_count;
        let billed = self.cost(billed, "BilledCost", line);
        let effective = self.cost(effective, "EffectiveCost", line);
        if !currency.eq_ignore_ascii_case(self.currency.code) {
            let message = match currency {
                "" => format!("BillingCurrency is empty; it must be {}.", self.currency.code),
                other => format!("“{other}” is not {}, the currency Northstar keeps money in; export the costs in {} or set NORTHSTAR_CURRENCY.", self.currency.code, self.currency.code),
            };
            self.error(line, "BillingCurrency", message);
        }
        let month = match charge_month(start) {
            Ok(d) if d > self.today => {
                self.error(line, "ChargePeriodStart", format!("{d} is in the future; a cost export holds charges already incurred."));
                None
            }
            Ok(d) => Some(Month::of(d)),
            Err(m) => {
                self.error(line, "ChargePeriodStart", m);
                None
            }
        };
        for (value, name) in [(service, "ServiceName"), (provider, "ProviderName")] {
            if value.is_empty() {
                self.error(line, name, format!("{name} is empty; every FOCUS row names it."));
            }
        }
        let tags = self.tags(tags, line);
        if self.out.error_count > before {
            return;
        }
        let (Some(billed), Some(effective), Some(month), Some(tags)) = (billed, effective, month, tags) else { return };
        let key = Key {
            month: month.code(),
            provider: self.names.id(provider),
            account_id: self.names.id(account_id),
            account_name: self.names.id(account_name),
            service: self.names.id(service),
            tags,
        };
        if !self.sums.contains_key(&key) && self.sums.len() >= MAX_LINES {
            return self.error(
                line,
                "Tags",
                format!("The file has more than {MAX_LINES} different combinations of month, provider, account, service and tags; export it with fewer tags (only the cost allocation tags) or split it by month."),
            );
        }
        let sums = self.sums.entry(key).or_default();
        sums.rows += 1;
        sums.billed += billed;
        sums.effective += effective;
    }

    fn cost(&mut self, text: &str, column: &str, line: u64) -> Option<i128> {
        match parse_decimal(text) {
            Some(v) if v.abs() <= MAX_CHARGE => Some(v),
            Some(_) => {
                self.error(line, column, format!("{text} is larger than a single charge can be."));
                None
            }
            None if text.is_empty() => {
                self.error(line, column, format!("{column} is empty; FOCUS requires a number, 0 for none."));
                None
            }
            None => {
                self.error(line, column, format!("“{text}” is not a number."));
                None
            }
        }
    }

    /// The id of the row's canonical tags, or None after reporting why they cannot be read.
    fn tags(&mut self, raw: &str, line: u64) -> Option<u32> {
        if let Some(id) = self.raw_tags.get(raw) {
            return Some(*id);
        }
        match canonical_tags(raw) {
            Ok(canonical) => {
                let id = self.tags.id(&canonical);
                if self.raw_tags.len() < TAG_CACHE {
                    self.raw_tags.insert(raw.to_string(), id);
                }
                Some(id)
            }
            Err(m) => {
                self.error(line, "Tags", m);
                None
            }
        }
    }
}

/// Reads a FOCUS CSV export. `today` refuses charges dated after it.
pub fn parse(input: impl Read, currency: Currency, today: NaiveDate) -> Parsed {
    let mut out = Parsed::default();
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let cols = match reader.byte_headers() {
        Ok(h) => Columns::read(h),
        Err(_) => Err("The file cannot be read as CSV.".to_string()),
    };
    let cols = match cols {
        Ok(c) => c,
        Err(m) => {
            out.error_count = 1;
            out.errors.push(ImportError { line: 1, column: String::new(), message: m });
            return out;
        }
    };
    let mut r = Reading { currency, today, names: Names::default(), tags: Names::default(), raw_tags: HashMap::new(), sums: HashMap::new(), out: &mut out };
    let mut rec = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                r.out.rows += 1;
                let line = rec.position().map_or(0, |p| p.line());
                r.row(&cols, &rec, line);
            }
            Err(e) => {
                let line = e.position().map_or(r.out.rows + 2, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("The line has {len} fields where the header has {expected_len}; a quote may be left open or a comma unquoted.")
                    }
                    _ => "The line cannot be read as CSV.".to_string(),
                };
                r.error(line, "", message);
                // A misread line can shift every line after it; the rest would only repeat it.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    let (names, tags, sums) = (r.names.names, r.tags.names, r.sums);
    if out.rows == 0 && out.error_count == 0 {
        out.error_count = 1;
        out.errors.push(ImportError { line: 2, column: String::new(), message: "The file has no cost rows.".into() });
    }
    if out.error_count > 0 {
        return out;
    }
    let digits = u32::from(currency.minor_digits);
    let mut lines: Vec<CostLine> = sums
        .into_iter()
        .map(|(k, s)| CostLine {
            month: Month::from_code(k.month),
            provider: names[k.provider as usize].clone(),
            account_id: names[k.account_id as usize].clone(),
            account_name: names[k.account_name as usize].clone(),
            service: names[k.service as usize].clone(),
            tags: tags[k.tags as usize].clone(),
            rows: s.rows,
            billed: to_minor(s.billed, digits),
            effective: to_minor(s.effective, digits),
        })
        .collect();
    lines.sort_by(|a, b| (a.month, &a.provider, &a.account_id, &a.service, &a.tags).cmp(&(b.month, &b.provider, &b.account_id, &b.service, &b.tags)));
    out.lines = lines;
    out
}

/// The day a charge period starts, from an ISO 8601 date or date and time.
fn charge_month(text: &str) -> Result<NaiveDate, String> {
    let date = text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let rest = text.get(10..).unwrap_or_default();
    match date {
        Some(d) if rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ') => Ok(d),
        _ if text.is_empty() => Err("ChargePeriodStart is empty; FOCUS requires the start of each charge.".into()),
        _ => Err(format!("“{text}” is not a date and time; FOCUS uses ISO 8601, such as 2026-10-01T00:00:00Z.")),
    }
}

/// A decimal such as `12.5`, `-0.000001234` or `1.5E-7` in units of 10^-12, rounded half away
/// from zero past the twelfth place. None when it is not a number or absurdly long.
pub fn parse_decimal(text: &str) -> Option<i128> {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok().filter(|e| e.abs() <= 30)?),
        None => (text, 0),
    };
    let (negative, digits) = match mantissa.as_bytes().first()? {
        b'-' => (true, &mantissa[1..]),
        b'+' => (false, &mantissa[1..]),
        _ => (false, mantissa),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && frac.is_empty() || !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) || whole.len() + frac.len() > 34 {
        return None;
    }
    let mut value: i128 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
        value = value * 10 + i128::from(b - b'0');
    }
    // value × 10^(exp − frac places), wanted in units of 10^-SCALE.
    let shift = exp - frac.len() as i32 + SCALE as i32;
    let value = if shift >= 0 {
        value.checked_mul(10_i128.checked_pow(shift as u32)?)?
    } else {
        let div = 10_i128.checked_pow((-shift) as u32).unwrap_or(i128::MAX);
        (value + div / 2) / div
    };
    Some(if negative { -value } else { value })
}

/// A fixed-point amount in the currency's minor units, half away from zero.
fn to_minor(v: i128, digits: u32) -> i64 {
    let div = 10_i128.pow(SCALE - digits);
    let half = div / 2;
    let m = if v >= 0 { (v + half) / div } else { (v - half) / div };
    m.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The tags as a JSON object with sorted keys and string values, so the same tags written in
/// another order are one line.
fn canonical_tags(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Ok("{}".into());
    }
    let parsed: serde_json::Value = serde_json::from_str(raw).map_err(|_| format!("“{}” is not a JSON object of tags, such as {{\"team\": \"payments\"}}.", shorten(raw)))?;
    let serde_json::Value::Object(map) = parsed else {
        return Err(format!("“{}” is not a JSON object of tags, such as {{\"team\": \"payments\"}}.", shorten(raw)));
    };
    let sorted: BTreeMap<String, String> = map
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, v)
        })
        .collect();
    Ok(serde_json::to_string(&sorted).unwrap_or_else(|_| "{}".into()))
}

fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The tags of a line as (key, value) pairs, sorted by key.
pub fn tag_pairs(canonical: &str) -> Vec<(String, String)> {
    serde_json::from_str::<BTreeMap<String, String>>(canonical).map(|m| m.into_iter().collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
