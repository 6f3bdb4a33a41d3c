//! The rules an expense must pass, from a form or a CSV line alike, and the CSV reader.

use super::model::{FiscalCalendar, Kind};
use super::repo::NewExpense;
use crate::kpi::view::ImportError;
use crate::platform::money::Currency;
use crate::platform::validate::required_text;
use chrono::NaiveDate;

pub const DESCRIPTION_MAX: usize = 500;
pub const INVOICE_MAX: usize = 100;
pub const VENDOR_MAX: usize = 120;
/// Errors listed in a report; the rest are counted.
pub const ERRORS_SHOWN: usize = 100;
const SAMPLE_ROWS: usize = 10;

/// What an expense is checked against.
pub struct Rules<'a> {
    pub cal: FiscalCalendar,
    pub fiscal_year: i32,
    pub today: NaiveDate,
    pub currency: Currency,
    pub departments: &'a [(i64, String)],
    pub categories: &'a [(i64, String)],
    /// A department head's department: the only one they may record for.
    pub own_department: Option<(i64, String)>,
    /// (id, title, department) of the initiatives an expense may be booked to: its own
    /// department's.
    pub initiatives: &'a [(i64, String, i64)],
    /// (id, name) of the investment categories.
    pub investments: &'a [(i64, String)],
}

/// An expense as typed: every field text. Departments and categories are ids from a form or
/// names from a file.
#[derive(Clone, Debug, Default)]
pub struct Raw<'a> {
    pub spent_on: &'a str,
    pub amount: &'a str,
    pub department: &'a str,
    pub category: &'a str,
    pub kind: &'a str,
    pub vendor: &'a str,
    pub description: &'a str,
    pub invoice_ref: &'a str,
    pub initiative: &'a str,
    pub investment: &'a str,
}

impl<'a> From<&'a crate::budget::view::ExpenseInput> for Raw<'a> {
    fn from(f: &'a crate::budget::view::ExpenseInput) -> Self {
        Raw {
            spent_on: &f.spent_on,
            amount: &f.amount,
            department: &f.department,
            category: &f.category,
            kind: &f.kind,
            vendor: &f.vendor,
            description: &f.description,
            invoice_ref: &f.invoice_ref,
            initiative: &f.initiative,
            investment: &f.investment,
        }
    }
}

fn find<'a>(list: &'a [(i64, String)], text: &str) -> Option<&'a (i64, String)> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(id) => list.iter().find(|(i, _)| *i == id),
        Err(_) => list.iter().find(|(_, n)| n.eq_ignore_ascii_case(t)),
    }
}

impl Rules<'_> {
    /// The expense, or each problem as (field, message).
    pub fn check(&self, raw: &Raw) -> Result<NewExpense, Vec<(&'static str, String)>> {
        let mut errors: Vec<(&'static str, String)> = Vec::new();
        let spent_on = match NaiveDate::parse_from_str(raw.spent_on.trim(), "%Y-%m-%d") {
            Err(_) if raw.spent_on.trim().is_empty() => Err("Enter the date of the expense.".to_string()),
            Err(_) => Err(format!("“{}” is not a date; use YYYY-MM-DD, such as 2026-03-31.", raw.spent_on.trim())),
            Ok(d) if d > self.today => Err(format!("{d} is in the future; record an expense once it is incurred.")),
            Ok(d) if self.cal.year_of(d) != self.fiscal_year => {
                Err(format!("{d} is outside {}; choose that year to record it there.", self.cal.describe(self.fiscal_year)))
            }
            Ok(d) => Ok(d),
        };
        let spent_on = spent_on.map_err(|m| errors.push(("spent_on", m))).ok();
        let amount = match self.currency.parse(raw.amount) {
            Ok(a) if a <= 0 => Err("Enter an amount above zero; record a refund by correcting the original expense.".to_string()),
            other => other,
        };
        let amount = amount.map_err(|m| errors.push(("amount", m))).ok();
        let department = match (&self.own_department, raw.department.trim()) {
            (Some(own), "") => Ok(own.0),
            (Some(own), text) => match find(self.departments, text) {
                // The same message for another department and an unknown one: nothing is revealed.
                Some((id, _)) if *id == own.0 => Ok(*id),
                _ => Err(format!("You record expenses for {} only.", own.1)),
            },
            (None, "") => Err("Choose a department.".to_string()),
            (None, text) => find(self.departments, text).map(|d| d.0).ok_or_else(|| format!("“{text}” is not a department.")),
        };
        let department = department.map_err(|m| errors.push(("department", m))).ok();
        let category = match raw.category.trim() {
            "" => Err("Choose a category.".to_string()),
            text => find(self.categories, text).map(|c| c.0).ok_or_else(|| {
                let names: Vec<&str> = self.categories.iter().map(|c| c.1.as_str()).collect();
                format!("“{text}” is not a category; use one of {}.", names.join(", "))
            }),
        };
        let category = category.map_err(|m| errors.push(("category", m))).ok();
        let kind = match raw.kind.trim() {
            "" => Err("Choose CapEx or OpEx.".to_string()),
            text => Kind::parse(text).ok_or_else(|| format!("“{text}” is neither capex nor opex.")),
        };
        let kind = kind.map_err(|m| errors.push(("kind", m))).ok();
        let optional = |text: &str, noun: &str, max: usize, field: &'static str, errors: &mut Vec<(&'static str, String)>| -> Option<String> {
            if text.trim().is_empty() {
                return Some(String::new());
            }
            required_text(text, noun, max).map_err(|m| errors.push((field, m))).ok()
        };
        let vendor = optional(raw.vendor, "vendor", VENDOR_MAX, "vendor", &mut errors);
        let description = optional(raw.description, "description", DESCRIPTION_MAX, "description", &mut errors);
        let invoice_ref = optional(raw.invoice_ref, "invoice reference", INVOICE_MAX, "invoice_ref", &mut errors);
        let initiative = self.initiative(raw.initiative, department).map_err(|m| errors.push(("initiative", m))).ok();
        let investment = match raw.investment.trim() {
            "" => Ok(None),
            text => find(self.investments, text).map(|c| Some(c.0)).ok_or_else(|| {
                let names: Vec<&str> = self.investments.iter().map(|c| c.1.as_str()).collect();
                format!("“{text}” is not an investment category; use one of {}, or leave it empty.", names.join(", "))
            }),
        };
        let investment = investment.map_err(|m| errors.push(("investment", m))).ok();
        if !errors.is_empty() {
            return Err(errors);
        }
        match (spent_on, amount, department, category, kind, vendor, description, invoice_ref) {
            (Some(spent_on), Some(amount), Some(department_id), Some(category_id), Some(kind), Some(vendor), Some(description), Some(invoice_ref)) => Ok(NewExpense {
                spent_on,
                amount,
                department_id,
                category_id,
                kind,
                vendor: (!vendor.is_empty()).then_some(vendor),
                description,
                invoice_ref,
                initiative_id: initiative.flatten(),
                investment_id: investment.flatten(),
            }),
            _ => Err(vec![("amount", "The expense could not be read.".into())]),
        }
    }

    /// The initiative named by id (a form) or title (a file), which must be the work of the
    /// expense's own department.
    fn initiative(&self, text: &str, department: Option<i64>) -> Result<Option<i64>, String> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let found = match t.parse::<i64>() {
            Ok(id) => self.initiatives.iter().find(|i| i.0 == id),
            Err(_) => self.initiatives.iter().find(|i| i.1.eq_ignore_ascii_case(t)),
        };
        match (found, department) {
            (Some(i), Some(d)) if i.2 == d => Ok(Some(i.0)),
            (Some(i), Some(_)) => Err(format!("“{}” is another department's work; book the expense to one of its own department's initiatives.", i.1)),
            (Some(i), None) => Ok(Some(i.0)),
            (None, _) => Err(format!("“{t}” is not an initiative.")),
        }
    }
}

/// Which column of the file holds which field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns {
    names: Vec<String>,
    index: [Option<usize>; 10],
}

const FIELDS: [(&str, &[&str]); 10] = [
    ("spent_on", &["date", "spent_on"]),
    ("amount", &["amount"]),
    ("department", &["department"]),
    ("category", &["category"]),
    ("kind", &["kind", "type", "capex_opex"]),
    ("vendor", &["vendor"]),
    ("description", &["description"]),
    ("invoice_ref", &["invoice", "invoice_ref"]),
    ("initiative", &["initiative"]),
    ("investment", &["investment", "investment_category"]),
];

impl Columns {
    pub fn read(header: &csv::StringRecord, needs_department: bool) -> Result<Columns, ImportError> {
        let names: Vec<String> = header.iter().enumerate().map(|(i, h)| {
            let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { h };
            h.trim().to_ascii_lowercase().replace(' ', "_")
        }).collect();
        let mut index = [None; 10];
        for (slot, (_, aliases)) in index.iter_mut().zip(FIELDS) {
            *slot = names.iter().position(|n| aliases.contains(&n.as_str()));
        }
        let mut missing: Vec<&str> = Vec::new();
        for (i, (field, aliases)) in FIELDS.iter().enumerate() {
            let required = matches!(*field, "spent_on" | "amount" | "category" | "kind") || (*field == "department" && needs_department);
            if required && index[i].is_none() {
                missing.push(aliases[0]);
            }
        }
        if !missing.is_empty() {
            return Err(ImportError {
                line: 1,
                column: missing.join(", "),
                message: format!(
                    "The header lacks {}. Expected columns: date, amount, department, category, kind, vendor, description, invoice, initiative, investment.",
                    missing.join(", ")
                ),
            });
        }
        Ok(Columns { names, index })
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, field: usize) -> &'r str {
        self.index[field].and_then(|i| record.get(i)).unwrap_or("")
    }

    fn column_of(&self, field: &str) -> String {
        FIELDS
            .iter()
            .position(|(f, _)| *f == field)
            .and_then(|i| self.index[i])
            .and_then(|i| self.names.get(i).cloned())
            .unwrap_or_else(|| field.to_string())
    }
}

/// A whole file read: every valid expense with its line, or every error (the first
/// `ERRORS_SHOWN`), never a mix. Memory grows with the rows kept, which an import of 100,000
/// expenses (about 20 MB) can afford; the caller stores them in one transaction.
pub struct Parsed {
    pub rows: Vec<NewExpense>,
    pub errors: Vec<ImportError>,
    pub error_count: u64,
    pub sample: Vec<Vec<String>>,
}

pub fn parse_file(bytes: &[u8], rules: &Rules) -> Parsed {
    let mut out = Parsed { rows: Vec::new(), errors: Vec::new(), error_count: 0, sample: Vec::new() };
    let fail = |out: &mut Parsed, e: ImportError| {
        out.error_count += 1;
        if out.errors.len() < ERRORS_SHOWN {
            out.errors.push(e);
        }
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(bytes);
    let columns = match reader.headers() {
        Ok(h) if !h.is_empty() && !(h.len() == 1 && h[0].trim().is_empty()) => match Columns::read(h, rules.own_department.is_none()) {
            Ok(c) => c,
            Err(e) => {
                fail(&mut out, e);
                return out;
            }
        },
        Ok(_) => {
            fail(&mut out, ImportError { line: 1, column: String::new(), message: "The file is empty; it needs a header line and at least one expense.".into() });
            return out;
        }
        Err(e) => {
            fail(&mut out, ImportError { line: 1, column: String::new(), message: format!("The header cannot be read: {e}.") });
            return out;
        }
    };
    let mut record = csv::StringRecord::new();
    while let Some(read) = crate::platform::csv::next_row(&mut reader, &mut record) {
        let line = match read {
            Ok(line) => line,
            Err((line, message)) => {
                fail(&mut out, ImportError { line, column: String::new(), message });
                continue;
            }
        };
        let g = |i: usize| columns.get(&record, i);
        let raw = Raw { spent_on: g(0), amount: g(1), department: g(2), category: g(3), kind: g(4), vendor: g(5), description: g(6), invoice_ref: g(7), initiative: g(8), investment: g(9) };
        match rules.check(&raw) {
            Ok(e) => {
                if out.sample.len() < SAMPLE_ROWS {
                    let dept = rules.departments.iter().find(|d| d.0 == e.department_id).map(|d| d.1.clone()).unwrap_or_default();
                    let cat = rules.categories.iter().find(|c| c.0 == e.category_id).map(|c| c.1.clone()).unwrap_or_default();
                    out.sample.push(vec![line.to_string(), e.spent_on.to_string(), rules.currency.format(e.amount), dept, cat, e.vendor.clone().unwrap_or_default()]);
                }
                if out.error_count == 0 {
                    out.rows.push(e);
                }
            }
            Err(problems) => {
                for (field, message) in problems {
                    fail(&mut out, ImportError { line, column: columns.column_of(field), message });
                }
                out.rows = Vec::new();
            }
        }
    }
    if out.error_count == 0 && out.rows.is_empty() {
        fail(&mut out, ImportError { line: 2, column: String::new(), message: "The file has a header but no expenses.".into() });
    }
    if out.error_count > 0 {
        out.rows = Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static INVESTMENTS: std::sync::OnceLock<Vec<(i64, String)>> = std::sync::OnceLock::new();

    fn rules<'a>(departments: &'a [(i64, String)], categories: &'a [(i64, String)], own: Option<(i64, String)>) -> Rules<'a> {
        Rules {
            cal: FiscalCalendar::new(1),
            fiscal_year: 2026,
            today: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            currency: Currency::usd(),
            departments,
            categories,
            own_department: own,
            initiatives: &[],
            investments: INVESTMENTS.get_or_init(|| vec![(1, "New capabilities".into()), (3, "Keeping the lights on".into())]),
        }
    }

    fn lists() -> (Vec<(i64, String)>, Vec<(i64, String)>) {
        (vec![(1, "Engineering".into()), (2, "Operations".into())], vec![(7, "Cloud".into()), (8, "Staff".into())])
    }

    #[test]
    fn a_good_expense_is_read_by_names_or_ids() {
        let (d, c) = lists();
        let r = rules(&d, &c, None);
        let raw = Raw { spent_on: "2026-03-31", amount: "1,234.50", department: "engineering", category: "7", kind: "OpEx", vendor: " AWS ", ..Raw::default() };
        let e = r.check(&raw).unwrap();
        assert_eq!((e.amount, e.department_id, e.category_id, e.kind), (123_450, 1, 7, Kind::Opex));
        assert_eq!(e.vendor.as_deref(), Some("AWS"));
    }

    #[test]
    fn each_bad_field_gets_its_message() {
        let (d, c) = lists();
        let r = rules(&d, &c, None);
        let cases: [(Raw, &str, &str); 9] = [
            (Raw { amount: "-5", ..good() }, "amount", "above zero"),
            (Raw { amount: "abc", ..good() }, "amount", "not an amount"),
            (Raw { amount: "1.234", ..good() }, "amount", "at most 2 decimals"),
            (Raw { amount: "99999999999999999999", ..good() }, "amount", "too large"),
            (Raw { spent_on: "2025-12-31", ..good() }, "spent_on", "outside FY2026"),
            (Raw { spent_on: "2026-07-01", ..good() }, "spent_on", "in the future"),
            (Raw { spent_on: "31/03/2026", ..good() }, "spent_on", "YYYY-MM-DD"),
            (Raw { department: "Finance", ..good() }, "department", "not a department"),
            (Raw { category: "Travel", ..good() }, "category", "use one of Cloud, Staff"),
        ];
        for (raw, field, needle) in cases {
            let errors = r.check(&raw).unwrap_err();
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].0, field);
            assert!(errors[0].1.contains(needle), "{field}: {}", errors[0].1);
        }
        let errors = r.check(&Raw { kind: "capital", ..good() }).unwrap_err();
        assert_eq!(errors[0].0, "kind");
    }

    fn good() -> Raw<'static> {
        Raw { spent_on: "2026-03-31", amount: "10", department: "Engineering", category: "Cloud", kind: "opex", ..Raw::default() }
    }

    #[test]
    fn an_investment_category_is_optional_and_read_by_name_or_id() {
        let (d, c) = lists();
        let r = rules(&d, &c, None);
        assert_eq!(r.check(&good()).unwrap().investment_id, None);
        assert_eq!(r.check(&Raw { investment: "keeping the LIGHTS on", ..good() }).unwrap().investment_id, Some(3));
        assert_eq!(r.check(&Raw { investment: "1", ..good() }).unwrap().investment_id, Some(1));
        let errors = r.check(&Raw { investment: "Moonshots", ..good() }).unwrap_err();
        assert_eq!(errors[0].0, "investment");
        assert!(errors[0].1.contains("use one of New capabilities, Keeping the lights on"), "{}", errors[0].1);
        let file = "date,amount,department,category,kind,investment category\n2026-01-05,100,Engineering,Cloud,opex,Keeping the lights on\n";
        let p = parse_file(file.as_bytes(), &r);
        assert_eq!(p.rows[0].investment_id, Some(3), "{:?}", p.errors);
    }

    #[test]
    fn a_department_head_records_for_their_own_department_only() {
        let (d, c) = lists();
        let r = rules(&d, &c, Some((1, "Engineering".into())));
        assert_eq!(r.check(&Raw { department: "", ..good() }).unwrap().department_id, 1);
        for other in ["Operations", "2", "Nonexistent"] {
            let errors = r.check(&Raw { department: other, ..good() }).unwrap_err();
            assert_eq!(errors, vec![("department", "You record expenses for Engineering only.".to_string())], "{other}");
        }
    }

    #[test]
    fn files_are_all_or_nothing_with_errors_by_line_and_column() {
        let (d, c) = lists();
        let r = rules(&d, &c, None);
        let good_file = "date,amount,department,category,kind,vendor,description,invoice\n2026-01-05,100.00,Engineering,Cloud,opex,AWS,January bill,INV-1\n\n2026-02-05,\"1,200\",Operations,Staff,OPEX,,,\n";
        let p = parse_file(good_file.as_bytes(), &r);
        assert_eq!((p.rows.len(), p.error_count), (2, 0), "{:?}", p.errors);
        assert_eq!(p.sample[1][2], "$1,200.00");

        let bad_file = "Date,Amount,Department,Category,Kind\n2026-01-05,100,Engineering,Cloud,opex\n2026-01-06,-3,Engineering,Travel,opex\n";
        let p = parse_file(bad_file.as_bytes(), &r);
        assert!(p.rows.is_empty());
        assert_eq!(p.error_count, 2);
        assert_eq!((p.errors[0].line, p.errors[0].column.as_str()), (3, "amount"));
        assert_eq!((p.errors[1].line, p.errors[1].column.as_str()), (3, "category"));

        let p = parse_file(b"when,how much\n2026-01-01,3\n", &r);
        assert_eq!(p.errors[0].line, 1);
        assert!(p.errors[0].message.contains("lacks date, amount, department, category, kind"), "{}", p.errors[0].message);
        let p = parse_file(b"date,amount,department,category,kind\n", &r);
        assert!(p.errors[0].message.contains("no expenses"));
        let p = parse_file(b"", &r);
        assert!(p.errors[0].message.contains("empty"));
    }
}
