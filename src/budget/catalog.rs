//! Vendors and contracts, and the budget settings (fiscal calendar, thresholds, categories).

use super::service::{contract_rows, departments, options, scope};
use crate::platform::error::parse_id;
use crate::platform::time::today;
use super::repo;
use super::view::*;
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::{AppError, Problems};
use crate::platform::audit::{self, Entry};
use crate::platform::db::begin_write;
use crate::platform::validate::required_text;
use chrono::NaiveDate;

pub async fn vendors(user: &User) -> Result<VendorsView, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let dept = scope(user, None)?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, _) = repo::settings(&mut db).await?;
    let today = today();
    let fy = cal.year_of(today);
    let contracts = contract_rows(&mut db, dept, cur, today).await?;
    let renewals = contracts.iter().filter(|c| c.days_to_renewal.is_some_and(|d| d <= 90)).cloned().collect();
    let months = cal.months(fy);
    let spend = repo::vendor_spend(&mut db, months[0], months[11], dept, 1000).await?;
    let spent = crate::platform::money::sum(spend.iter().map(|s| s.1));
    Ok(VendorsView {
        contracts,
        renewals,
        spend: spend
            .into_iter()
            .map(|(name, amount)| VendorSpend {
                name,
                amount: cur.format(amount),
                share: if spent > 0 { format!("{:.1} %", amount as f64 * 100.0 / spent as f64) } else { "—".into() },
            })
            .collect(),
        fiscal_label: cal.describe(fy),
        options: options(&mut db, user, cal, fy, cur).await?,
        can_edit: user.role == Role::Cto,
    })
}

pub async fn save_contract(user: &User, f: ContractInput) -> Result<i64, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let cur = st.config.currency;
    let id = parse_id(&f.id, "contract")?;
    let mut tx = begin_write(&st.pool).await?;
    let mut p = Problems::default();
    let date = |text: &str, required: bool| -> Result<Option<NaiveDate>, String> {
        match text.trim() {
            "" if required => Err("Enter a date.".into()),
            "" => Ok(None),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| format!("“{t}” is not a date; use YYYY-MM-DD.")),
        }
    };
    let vendor = p.check("vendor", required_text(&f.vendor, "vendor", super::expenses::VENDOR_MAX));
    let name = p.check("name", required_text(&f.name, "contract name", 200));
    let owner = if f.owner.trim().is_empty() { Some(String::new()) } else { p.check("owner", required_text(&f.owner, "owner", 120)) };
    let depts = departments(&mut tx, None).await?;
    let department = match f.department.trim() {
        "" => Some(None),
        t => p.check("department", t.parse::<i64>().ok().filter(|id| depts.iter().any(|d| d.0 == *id)).map(Some).ok_or_else(|| "Choose a department.".to_string())),
    };
    let system = match f.system.trim() {
        "" => Some(None),
        t => {
            let found: Option<i64> = match t.parse::<i64>() {
                Ok(id) => sqlx::query_scalar("SELECT id FROM systems WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?,
                Err(_) => None,
            };
            p.check("system", found.map(Some).ok_or_else(|| "Choose one of the systems, or none.".to_string()))
        }
    };
    let value = p.check("annual_value", cur.parse(&f.annual_value).and_then(|v| if v < 0 { Err("The value cannot be negative.".into()) } else { Ok(v) }));
    let starts = p.check("starts_on", date(&f.starts_on, true)).flatten();
    let ends = p.check("ends_on", date(&f.ends_on, true)).flatten();
    let renews = p.check("renews_on", date(&f.renews_on, false));
    let notice = p.check(
        "notice_days",
        match f.notice_days.trim() {
            "" => Ok(0),
            t => t.parse::<i64>().ok().filter(|d| (0..=730).contains(d)).ok_or_else(|| "Enter whole days, 0 to 730.".to_string()),
        },
    );
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            p.add("ends_on", "The contract cannot end before it starts.");
        }
    }
    if let (Some(Some(r)), Some(s)) = (renews, starts) {
        if r < s {
            p.add("renews_on", "The renewal cannot come before the start.");
        }
    }
    p.finish()?;
    let (Some(vendor), Some(name), Some(owner), Some(department_id), Some(annual_value), Some(s), Some(e), Some(r), Some(notice_days)) =
        (vendor, name, owner, department, value, starts, ends, renews, notice)
    else {
        return Err(AppError::Internal);
    };
    let contract = repo::NewContract {
        vendor,
        name,
        owner,
        department_id,
        annual_value,
        starts_on: s.to_string(),
        ends_on: e.to_string(),
        renews_on: r.map(|d| d.to_string()),
        notice_days,
        auto_renew: f.auto_renew,
        system_id: system.flatten(),
    };
    let old = match id {
        Some(id) => audit::select(&mut tx, CONTRACT_AS_READ, id).await?,
        None => None,
    };
    let saved = repo::save_contract(&mut tx, id, &contract).await?;
    Entry::new(&user.actor(), "budgets", "save_contract")
        .object("contract", saved, format!("{} ({})", contract.name, contract.vendor))
        .diff(old.as_ref(), audit::select(&mut tx, CONTRACT_AS_READ, saved).await?.as_ref())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Contract);
    Ok(saved)
}

/// A contract as the trail shows it: its vendor and department by name.
const CONTRACT_AS_READ: &str = "SELECT v.name AS vendor, c.name, c.owner, d.name AS department, c.annual_value_minor, c.starts_on, c.ends_on, c.renews_on, c.notice_days, c.auto_renew,
            s.name AS system
     FROM contracts c JOIN vendors v ON v.id = c.vendor_id LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN systems s ON s.id = c.system_id WHERE c.id = ?1";

/// Deletes a contract; answers its name as the list shows it ("Vendor: contract").
pub async fn delete_contract(user: &User, id: i64) -> Result<String, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let old = audit::select(&mut tx, CONTRACT_AS_READ, id).await?;
    if !repo::delete_contract(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    let get = |k: &str| audit::value(old.as_ref(), k);
    Entry::new(&user.actor(), "budgets", "delete_contract")
        .object("contract", id, format!("{} ({})", get("name"), get("vendor")))
        .diff(old.as_ref(), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Contract);
    Ok(format!("{}: {}", get("vendor"), get("name")))
}

pub async fn settings() -> Result<SettingsView, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    let (cal, t) = repo::settings(&mut db).await?;
    Ok(SettingsView {
        start_month: cal.start_month,
        amber_pct: t.amber_pct,
        red_pct: t.red_pct,
        categories: repo::categories(&mut db).await?.into_iter().map(|(id, name, in_use)| CategoryRow { id, name, in_use }).collect(),
        start_locked: repo::any_budget(&mut db).await?,
    })
}

pub async fn save_settings(user: &User, start_month: &str, amber: &str, red: &str) -> Result<(), AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let (cal, thresholds) = repo::settings(&mut tx).await?;
    let mut p = Problems::default();
    let month = p.check("start_month", start_month.trim().parse::<u32>().ok().filter(|m| (1..=12).contains(m)).ok_or_else(|| "Choose a month.".to_string()));
    let pct = |t: &str| t.trim().parse::<u32>().ok().filter(|v| *v <= 1000).ok_or_else(|| format!("“{}” is not a whole percentage from 0 to 1000.", t.trim()));
    let amber = p.check("amber_pct", pct(amber));
    let red = p.check("red_pct", pct(red));
    if let (Some(a), Some(r)) = (amber, red) {
        if r < a {
            p.add("red_pct", "The red threshold must be at least the amber one.");
        }
    }
    if let Some(m) = month {
        if m != cal.start_month && repo::any_budget(&mut tx).await? {
            p.add("start_month", "Budgets exist: moving the start of the fiscal year would shift every planned month. It can change only before the first budget.");
        }
    }
    p.finish()?;
    let (Some(month), Some(amber), Some(red)) = (month, amber, red) else { return Err(AppError::Internal) };
    repo::set_setting(&mut tx, "fiscal_year_start_month", month).await?;
    repo::set_setting(&mut tx, "variance_amber_pct", amber).await?;
    repo::set_setting(&mut tx, "variance_red_pct", red).await?;
    Entry::new(&user.actor(), "budgets", "budget_settings")
        .object("settings", "budgets", "Budget settings")
        .change("fiscal year start month", Some(cal.start_month.to_string()), Some(month.to_string()))
        .change("amber variance %", Some(thresholds.amber_pct.to_string()), Some(amber.to_string()))
        .change("red variance %", Some(thresholds.red_pct.to_string()), Some(red.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Budget(None));
    Ok(())
}

/// Adds or renames a category; answers what changed, in words.
pub async fn save_category(user: &User, id: &str, name: &str) -> Result<String, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let id = parse_id(id, "category")?;
    let name = required_text(name, "category name", 60).map_err(|m| AppError::field("name", m))?;
    let mut tx = begin_write(&st.pool).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM budget_categories WHERE name = ?1").bind(&name).fetch_optional(&mut *tx).await?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(AppError::field("name", format!("There is already a category called {name}.")));
    }
    let old: Option<String> = match id {
        Some(id) => Some(sqlx::query_scalar("SELECT name FROM budget_categories WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let saved: i64 = match id {
        Some(id) => {
            sqlx::query("UPDATE budget_categories SET name = ?2 WHERE id = ?1").bind(id).bind(&name).execute(&mut *tx).await?;
            id
        }
        None => sqlx::query_scalar("INSERT INTO budget_categories (name, position) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM budget_categories)) RETURNING id")
            .bind(&name)
            .fetch_one(&mut *tx)
            .await?,
    };
    let said = match &old {
        Some(old) if *old != name => format!("Renamed the category {old} to {name}."),
        Some(_) => format!("The category {name} keeps its name."),
        None => format!("Added the category {name}."),
    };
    Entry::new(&user.actor(), "budgets", "save_category").object("category", saved, &name).change("name", old, Some(name.clone())).record(&mut tx).await?;
    tx.commit().await?;
    Ok(said)
}

/// Removes an unused category; answers its name.
pub async fn delete_category(user: &User, id: i64) -> Result<String, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let used: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM budget_lines WHERE category_id = ?1) OR EXISTS (SELECT 1 FROM expenses WHERE category_id = ?1)",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if used {
        return Err(AppError::conflict("This category has budgets or expenses; rename it instead."));
    }
    let name: String = sqlx::query_scalar("DELETE FROM budget_categories WHERE id = ?1 RETURNING name").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    Entry::new(&user.actor(), "budgets", "delete_category").object("category", id, &name).change("name", Some(name.clone()), None).record(&mut tx).await?;
    tx.commit().await?;
    Ok(name)
}
