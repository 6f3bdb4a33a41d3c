//! Demo cloud cost: a FOCUS export of thirteen months of daily charges from AWS, Google Cloud
//! and Cloudflare, written as the providers write it and imported through the same check and
//! store as an upload; mapping rules for the teams' tags and the shared operations account;
//! and one sandbox account no rule maps, so the page has a line to map.

use super::super::focus;
use super::super::service::cloud::store;
use crate::budget::model::Month;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::noise::Noise;
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::fmt::Write;

/// One kind of charge: who bills it, where, for what, with which tags, and its share of its
/// department's monthly cloud cost.
struct Charge {
    provider: &'static str,
    account: (&'static str, &'static str),
    service: &'static str,
    category: &'static str,
    tags: &'static str,
    department: &'static str,
    share: f64,
}

const CHARGES: &[Charge] = &[
    Charge { provider: "AWS", account: ("444455556666", "payments-prod"), service: "Amazon Elastic Compute Cloud", category: "Compute", tags: r#"{"team":"payments","env":"prod"}"#, department: "Engineering", share: 0.30 },
    Charge { provider: "AWS", account: ("444455556666", "payments-prod"), service: "Amazon Relational Database Service", category: "Databases", tags: r#"{"team":"payments","env":"prod"}"#, department: "Engineering", share: 0.14 },
    Charge { provider: "AWS", account: ("555566667777", "web-prod"), service: "Amazon Elastic Compute Cloud", category: "Compute", tags: r#"{"team":"web","env":"prod"}"#, department: "Engineering", share: 0.12 },
    Charge { provider: "AWS", account: ("555566667777", "web-prod"), service: "Amazon CloudFront", category: "Networking", tags: r#"{"team":"web","env":"prod"}"#, department: "Engineering", share: 0.04 },
    Charge { provider: "AWS", account: ("555566667777", "web-prod"), service: "AWS Lambda", category: "Compute", tags: r#"{"team":"api","env":"prod"}"#, department: "Engineering", share: 0.08 },
    Charge { provider: "AWS", account: ("555566667777", "web-prod"), service: "Amazon API Gateway", category: "Networking", tags: r#"{"team":"api","env":"prod"}"#, department: "Engineering", share: 0.09 },
    Charge { provider: "Google Cloud", account: ("analytics-prod-31337", "analytics-prod"), service: "BigQuery", category: "Analytics", tags: r#"{"team":"data"}"#, department: "Engineering", share: 0.14 },
    Charge { provider: "Google Cloud", account: ("analytics-prod-31337", "analytics-prod"), service: "Cloud Storage", category: "Storage", tags: r#"{"team":"data"}"#, department: "Engineering", share: 0.06 },
    // A sandbox nobody has mapped yet: the page lists it to map.
    Charge { provider: "AWS", account: ("999900001111", "ml-sandbox"), service: "Amazon SageMaker", category: "AI and Machine Learning", tags: r#"{"team":"ml-experiments"}"#, department: "Engineering", share: 0.03 },
    Charge { provider: "AWS", account: ("777788889999", "ops-shared"), service: "Amazon Simple Storage Service", category: "Storage", tags: r#"{"team":"storage"}"#, department: "Operations", share: 0.35 },
    Charge { provider: "AWS", account: ("777788889999", "ops-shared"), service: "Amazon Elastic Compute Cloud", category: "Compute", tags: "{}", department: "Operations", share: 0.25 },
    Charge { provider: "AWS", account: ("777788889999", "ops-shared"), service: "AmazonCloudWatch", category: "Management and Governance", tags: "{}", department: "Operations", share: 0.15 },
    Charge { provider: "Cloudflare", account: ("cf-northstar", "northstar"), service: "Cloudflare CDN", category: "Networking", tags: "{}", department: "Operations", share: 0.25 },
];

/// Monthly cloud cost of each department a year ago, in whole units, and its growth a month:
/// Engineering's creeps up as the budget's reforecast says.
const MONTHLY: [(&str, f64, f64); 2] = [("Engineering", 58_000.0, 0.022), ("Operations", 17_100.0, 0.0)];

/// (priority, match on, tag, value, department, system key, investment category).
const RULES: &[(i64, &str, &str, &str, &str, Option<&str>, &str)] = &[
    (10, "tag", "team", "payments", "Engineering", Some("payments"), "Keeping the lights on"),
    (20, "tag", "team", "web", "Engineering", Some("web"), "Keeping the lights on"),
    (30, "tag", "team", "api", "Engineering", Some("api"), "Keeping the lights on"),
    (40, "tag", "team", "data", "Engineering", Some("data-pipeline"), "New capabilities"),
    (50, "tag", "team", "storage", "Operations", Some("object-storage"), "Keeping the lights on"),
    (60, "account", "", "777788889999", "Operations", None, "Keeping the lights on"),
    (70, "provider", "", "Cloudflare", "Operations", None, "Keeping the lights on"),
];

const HEADER: &str = "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ChargeDescription,ProviderName,PublisherName,InvoiceIssuerName,SubAccountId,SubAccountName,ServiceName,ServiceCategory,RegionId,BilledCost,EffectiveCost,ListCost,Tags";

/// The demo's FOCUS file: a row per charge and day, from twelve months ago through yesterday.
pub fn export(today: NaiveDate, currency: Currency) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    let mut noise = Noise(0xc10d_f0c5);
    let mut month = Month::of(today);
    for _ in 0..12 {
        month = month.prev();
    }
    for i in 0..13 {
        let (first, next) = (month.first_day(), month.next().first_day());
        for c in CHARGES {
            let Some((_, base, growth)) = MONTHLY.iter().find(|m| m.0 == c.department) else { continue };
            let monthly = base * (1.0 + growth).powi(i) * c.share;
            let mut day = first;
            while day < next && day < today {
                let cost = monthly / f64::from(month.days() as u32) * (1.0 + noise.gauss() * 0.05);
                let tags = c.tags.replace('"', "\"\"");
                let _ = writeln!(
                    out,
                    "111122223333,{code},{first}T00:00:00Z,{next}T00:00:00Z,{day}T00:00:00Z,{end}T00:00:00Z,Usage,{service} usage,{p},{p},{p},{acc},{name},{service},{cat},{region},{cost:.6},{cost:.6},{list:.6},\"{tags}\"",
                    code = currency.code,
                    end = day.succ_opt().unwrap_or(day),
                    service = c.service,
                    p = c.provider,
                    acc = c.account.0,
                    name = c.account.1,
                    cat = c.category,
                    region = if c.provider == "Google Cloud" { "europe-west3" } else { "eu-central-1" },
                    cost = cost.max(0.0),
                    list = cost.max(0.0) * 1.18,
                );
                day = day.succ_opt().unwrap_or(next);
            }
        }
        month = month.next();
    }
    out
}

/// Rules and the import, once: a database with either is left alone.
pub async fn seed(db: &mut SqliteConnection, today: NaiveDate, currency: Currency) -> Result<(), AppError> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cloud_rules) OR EXISTS (SELECT 1 FROM cloud_imports)").fetch_one(&mut *db).await?;
    if any {
        return Ok(());
    }
    for (priority, on, key, value, department, system, investment) in RULES {
        sqlx::query(
            "INSERT INTO cloud_rules (priority, match_on, tag_key, match_value, department_id, system_id, investment_category_id, created_at)
             SELECT ?1, ?2, ?3, ?4, d.id, (SELECT id FROM systems WHERE key = ?6), (SELECT id FROM investment_categories WHERE name = ?7), 0
             FROM departments d WHERE d.name = ?5",
        )
        .bind(priority)
        .bind(on)
        .bind(key)
        .bind(value)
        .bind(department)
        .bind(system)
        .bind(investment)
        .execute(&mut *db)
        .await?;
    }
    // The identity contract pays for single sign-on: it counts in that system's cost.
    sqlx::query("UPDATE contracts SET system_id = (SELECT id FROM systems WHERE key = 'sso') WHERE name = 'Workforce identity' AND system_id IS NULL").execute(&mut *db).await?;
    let parsed = focus::parse(export(today, currency).as_bytes(), currency, today);
    if parsed.error_count > 0 {
        tracing::error!(errors = ?parsed.errors, "the demo's FOCUS file does not pass its own check");
        return Err(AppError::Internal);
    }
    let cto: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE role = 'cto' ORDER BY id LIMIT 1").fetch_optional(&mut *db).await?;
    store(&mut *db, &parsed, "focus-export-demo.csv", cto, today, currency).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_export_passes_the_check_and_leaves_one_account_unmapped() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let parsed = focus::parse(export(today, Currency::usd()).as_bytes(), Currency::usd(), today);
        assert_eq!(parsed.errors, vec![]);
        assert_eq!(parsed.rows, CHARGES.len() as u64 * (365 + 1), "Dec 2025 to yesterday, 1 Dec 2026");
        for m in MONTHLY {
            let shares: f64 = CHARGES.iter().filter(|c| c.department == m.0).map(|c| c.share).sum();
            assert!((shares - 1.0).abs() < 1e-9, "{}: {shares}", m.0);
        }
        let rules: Vec<(crate::strategy::mapping::Matcher, &str)> = RULES
            .iter()
            .map(|r| (crate::strategy::mapping::Matcher { on: crate::strategy::mapping::MatchOn::parse(r.1).unwrap(), key: r.2.into(), value: r.3.into() }, r.4))
            .collect();
        let unmapped: Vec<&str> = parsed
            .lines
            .iter()
            .filter(|l| {
                let tags = focus::tag_pairs(&l.tags);
                let a = crate::strategy::mapping::Attrs { provider: &l.provider, account_id: &l.account_id, account_name: &l.account_name, service: &l.service, tags: &tags };
                crate::strategy::mapping::first_match(&rules, &a).is_none()
            })
            .map(|l| l.account_name.as_str())
            .collect();
        assert!(!unmapped.is_empty() && unmapped.iter().all(|a| *a == "ml-sandbox"), "{unmapped:?}");
    }
}
