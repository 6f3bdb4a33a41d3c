//! Demo budget: this fiscal year's plan for the demo departments, expenses up to today with
//! real-looking vendors, one revision, a few contracts, and two overruns so variance shows.

use crate::platform::noise::Noise;
use crate::budget::model::{spread_evenly, Kind, Month};
use crate::budget::repo::{self, NewExpense};
use crate::platform::error::AppError;
use crate::platform::db::begin_write;
use chrono::{Datelike, NaiveDate};
use sqlx::SqlitePool;

/// Minor units per whole unit of the demo's currency.
const SCALE: i64 = 100;

/// One budget line of a demo department and how its spending behaves.
struct Line {
    department: &'static str,
    category: &'static str,
    kind: Kind,
    /// Planned per month, in whole currency units.
    monthly: i64,
    /// Actual spending as a share of plan; the overruns are above 1.
    pace: f64,
    /// Extra growth per month, for spending that creeps up (cloud).
    drift: f64,
    /// Who sends its invoices; none for the lines whose actuals another area keeps.
    vendors: &'static [&'static str],
    /// Invoices per month.
    invoices: u32,
    /// The investment category its money counts under; the demo leaves one line unassigned.
    investment: Option<&'static str>,
}

const LINES: &[Line] = &[
    Line { department: "Engineering", category: "Cloud", kind: Kind::Opex, monthly: 62_000, pace: 1.0, drift: 0.022, vendors: &[], invoices: 0, investment: Some("Keeping the lights on") },
    Line { department: "Engineering", category: "Software and SaaS", kind: Kind::Opex, monthly: 24_000, pace: 0.97, drift: 0.0, vendors: &["GitHub", "Atlassian", "Datadog", "Slack", "Figma"], invoices: 5, investment: Some("Keeping the lights on") },
    Line { department: "Engineering", category: "Hardware", kind: Kind::Capex, monthly: 9_000, pace: 0.9, drift: 0.0, vendors: &["Apple", "Dell"], invoices: 1, investment: Some("Keeping the lights on") },
    Line { department: "Engineering", category: "Staff", kind: Kind::Opex, monthly: 410_000, pace: 0.99, drift: 0.0, vendors: &[], invoices: 1, investment: Some("New capabilities") },
    Line { department: "Engineering", category: "Contractors", kind: Kind::Opex, monthly: 38_000, pace: 1.07, drift: 0.0, vendors: &["Toptal", "Thoughtworks"], invoices: 2, investment: Some("New capabilities") },
    Line { department: "Engineering", category: "Training", kind: Kind::Opex, monthly: 4_500, pace: 0.7, drift: 0.0, vendors: &["O'Reilly Media", "Pluralsight"], invoices: 1, investment: None },
    Line { department: "Operations", category: "Cloud", kind: Kind::Opex, monthly: 18_000, pace: 0.95, drift: 0.0, vendors: &[], invoices: 0, investment: Some("Keeping the lights on") },
    Line { department: "Operations", category: "Telecom", kind: Kind::Opex, monthly: 7_500, pace: 1.0, drift: 0.0, vendors: &["Vodafone Business", "Twilio"], invoices: 2, investment: Some("Keeping the lights on") },
    Line { department: "Operations", category: "Hardware", kind: Kind::Capex, monthly: 6_000, pace: 0.85, drift: 0.0, vendors: &["Cisco", "Dell"], invoices: 1, investment: Some("Keeping the lights on") },
    Line { department: "Operations", category: "Staff", kind: Kind::Opex, monthly: 155_000, pace: 1.0, drift: 0.0, vendors: &[], invoices: 1, investment: Some("Improvement of existing products") },
    Line { department: "Operations", category: "Security", kind: Kind::Opex, monthly: 11_000, pace: 1.0, drift: 0.0, vendors: &["CrowdStrike", "Okta"], invoices: 2, investment: Some("Security and compliance") },
    // Planned low, then an incident-response retainer: the red line of the demo.
    Line { department: "Operations", category: "Contractors", kind: Kind::Opex, monthly: 5_000, pace: 1.9, drift: 0.0, vendors: &["Mandiant"], invoices: 1, investment: Some("Security and compliance") },
];

/// (vendor, contract, department, annual value, start and renewal in days from today, auto-renew).
/// Each term ends on its renewal date.
const CONTRACTS: &[(&str, &str, Option<&str>, i64, i64, i64, bool)] = &[
    ("Amazon Web Services", "Enterprise discount program", Some("Engineering"), 700_000, -600, 130, false),
    ("Datadog", "Observability, annual", Some("Engineering"), 96_000, -310, 55, true),
    ("GitHub", "Enterprise Cloud seats", Some("Engineering"), 60_000, -340, 25, true),
    ("Atlassian", "Jira and Confluence", None, 42_000, -200, 165, true),
    ("Okta", "Workforce identity", Some("Operations"), 48_000, -280, 85, false),
    ("Vodafone Business", "Mobile fleet", Some("Operations"), 54_000, -700, 395, true),
    ("CrowdStrike", "Falcon endpoint protection", Some("Operations"), 66_000, -120, 245, false),
];

/// Written through the budget's repo, the same calls its services make.
pub async fn seed(pool: &SqlitePool, today: NaiveDate) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM budget_lines) OR EXISTS (SELECT 1 FROM expenses) OR EXISTS (SELECT 1 FROM contracts)")
        .fetch_one(&mut *tx)
        .await?;
    if any {
        return Ok(());
    }
    let (cal, _) = repo::settings(&mut tx).await?;
    let fy = cal.year_of(today);
    let months = cal.months(fy);
    let departments: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM departments").fetch_all(&mut *tx).await?;
    let categories: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM budget_categories").fetch_all(&mut *tx).await?;
    let investments = repo::investment_categories(&mut tx).await?;
    let cto: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE role = 'cto' ORDER BY id LIMIT 1").fetch_optional(&mut *tx).await?;
    let start = months[0].first_day().and_hms_opt(9, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0);
    let mut noise = Noise(0x5eed_b0d6_e7);
    let id_of = |list: &[(i64, String)], name: &str| list.iter().find(|x| x.1 == name).map(|x| x.0);
    let mut rows: Vec<(NewExpense, Option<i64>)> = Vec::new();
    for line in LINES {
        let (Some(dept), Some(cat)) = (id_of(&departments, line.department), id_of(&categories, line.category)) else { continue };
        let annual = line.monthly * 12 * SCALE;
        let investment = line.investment.and_then(|name| id_of(&investments, name));
        repo::set_plan(&mut tx, fy, dept, cat, line.kind, investment, &spread_evenly(annual), "Approved annual plan", cto.unwrap_or(0), start).await?;
        if line.category == "Cloud" && line.department == "Engineering" && months.len() > 6 && today >= months[6].first_day() {
            // A mid-year reforecast: more budget from month seven on, still short of the drift.
            let mut revised = spread_evenly(annual);
            for m in revised.iter_mut().skip(6) {
                *m = *m * 108 / 100;
            }
            let at = months[6].first_day().and_hms_opt(10, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(start);
            repo::set_plan(&mut tx, fy, dept, cat, line.kind, investment, &revised, "Q3 reforecast: EU region launch", cto.unwrap_or(0), at).await?;
        }
        // Cloud actuals come from the demo's FOCUS export and Staff actuals from its teams
        // (strategy), as a real company's would.
        if !matches!(line.category, "Cloud" | "Staff") {
            spend(line, (dept, cat), &months, today, &mut noise, &mut rows);
        }
    }
    for (expense, vendor_id) in rows.iter_mut() {
        if let Some(name) = &expense.vendor {
            *vendor_id = Some(repo::vendor_id(&mut tx, name).await?);
        }
    }
    for chunk in rows.chunks(500) {
        repo::insert_expenses(&mut tx, chunk, "demo", cto.unwrap_or(0), start).await?;
    }
    contracts(&mut tx, today, &departments).await?;
    tx.commit().await?;
    Ok(())
}

/// A line's invoices month by month up to today, at its pace and drift.
fn spend(line: &Line, (dept, cat): (i64, i64), months: &[Month], today: NaiveDate, noise: &mut Noise, rows: &mut Vec<(NewExpense, Option<i64>)>) {
    for (i, month) in months.iter().enumerate() {
        if month.first_day() > today {
            break;
        }
        let budget = line.monthly as f64 * line.pace * (1.0 + line.drift).powi(i as i32);
        let parts = line.invoices.max(1);
        for k in 0..parts {
            let amount = (budget / parts as f64 * (1.0 + noise.gauss() * 0.04)).max(1.0);
            let Some(day) = last_day_or_today(*month, today, 3 + k * 7 + (noise.next() * 4.0) as u32) else { continue };
            let Some(vendor) = line.vendors.get((k as usize) % line.vendors.len().max(1)) else { continue };
            let description = format!("{vendor}: {} {}", line.category.to_lowercase(), month.label());
            let expense = NewExpense {
                spent_on: day,
                amount: (amount * SCALE as f64).round() as i64,
                department_id: dept,
                category_id: cat,
                kind: line.kind,
                vendor: Some(vendor.to_string()),
                description,
                invoice_ref: format!("INV-{}-{:04}", month.code(), rows.len() + 1),
                initiative_id: None,
                investment_id: None,
            };
            rows.push((expense, None));
        }
    }
}

async fn contracts(tx: &mut sqlx::SqliteConnection, today: NaiveDate, departments: &[(i64, String)]) -> Result<(), AppError> {
    for (vendor, name, dept, value, start_days, renew_days, auto) in CONTRACTS {
        let department_id = dept.and_then(|d| departments.iter().find(|x| x.1 == d).map(|x| x.0));
        let starts = today + chrono::Duration::days(*start_days);
        let renews = today + chrono::Duration::days(*renew_days);
        let contract = repo::NewContract {
            vendor: vendor.to_string(),
            name: name.to_string(),
            owner: if department_id.is_some() { format!("Head of {}", dept.unwrap_or_default()) } else { "CTO".into() },
            department_id,
            annual_value: value * SCALE,
            starts_on: starts.to_string(),
            ends_on: renews.to_string(),
            renews_on: Some(renews.to_string()),
            notice_days: if *auto { 30 } else { 60 },
            auto_renew: *auto,
            // Systems come later in the demo; the strategy's demo links the one that pays for one.
            system_id: None,
        };
        repo::save_contract(tx, None, &contract).await?;
    }
    Ok(())
}

/// The given day of the month, moved back to the month's end or to today when past them.
fn last_day_or_today(month: Month, today: NaiveDate, day: u32) -> Option<NaiveDate> {
    let last = month.last_day();
    let d = NaiveDate::from_ymd_opt(month.year, month.month, day.clamp(1, last.day()))?;
    let d = d.min(today);
    (d >= month.first_day()).then_some(d)
}
