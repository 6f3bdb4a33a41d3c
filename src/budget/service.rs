//! The bodies of the budget server functions: scope checks, then store and analysis. This
//! file holds the shared checks and the overview; `ledger` the expenses, `planning` the budget
//! lines, `catalog` contracts and settings.

use crate::platform::error::parse_id;
use crate::platform::time::today;
use chrono::NaiveDate;
use super::analysis::{worst_first, Year};
use super::model::{FiscalCalendar, Thresholds};
use super::repo;
use super::view::*;
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::error::refused;
use crate::platform::money::Currency;
use sqlx::SqliteConnection;

/// What other areas read of plans and spending as stored (the investor report's budget section).
pub use super::repo::{actuals, categories, plan_lines, settings};
/// The expenses other areas keep from their own source (the cloud cost imports).
pub(crate) use super::kept::{replace as replace_kept_expenses, KeptExpense, Span as KeptSpan};

/// The department a request may cover: the CTO any (none: the whole company), a department
/// head only their own. Another department is refused with 403 whether or not it exists.
pub fn scope(user: &User, asked: Option<i64>) -> Result<Option<i64>, AppError> {
    match (user.role, user.department_id, asked) {
        (Role::Cto, _, asked) => Ok(asked),
        (Role::DepartmentHead, Some(own), None) => Ok(Some(own)),
        (Role::DepartmentHead, Some(own), Some(a)) if a == own => Ok(Some(own)),
        _ => Err(refused(AppError::Forbidden)),
    }
}

pub(super) fn year_or_current(text: &str, cal: FiscalCalendar) -> Result<i32, AppError> {
    match text.trim() {
        "" => Ok(cal.year_of(today())),
        t => match t.trim_start_matches("FY").parse::<i32>() {
            Ok(y) if (1970..=2200).contains(&y) => Ok(y),
            _ => Err(AppError::field("year", format!("“{t}” is not a fiscal year."))),
        },
    }
}

pub(crate) async fn departments(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<(i64, String)>, AppError> {
    Ok(crate::admin::service::departments(&mut *db, only).await?.into_iter().map(|d| (d.id, d.name)).collect())
}

pub(crate) fn choices(list: &[(i64, String)]) -> Vec<Choice> {
    list.iter().map(|(id, name)| Choice { value: id.to_string(), label: name.clone() }).collect()
}

/// Years to offer: those with data, the current one and the next (for planning ahead).
pub(crate) async fn year_list(db: &mut SqliteConnection, cal: FiscalCalendar, shown: i32) -> Result<Vec<i32>, AppError> {
    let mut years = repo::years(&mut *db, cal).await?;
    let current = cal.year_of(today());
    years.extend([current, current + 1, shown]);
    years.sort_unstable();
    years.dedup();
    Ok(years)
}

/// "Title · Department" for the CTO, who books for every department; the title alone for a head.
async fn initiative_choices(db: &mut SqliteConnection, own: Option<i64>, departments: &[(i64, String)]) -> Result<Vec<Choice>, AppError> {
    Ok(repo::initiatives(&mut *db, own)
        .await?
        .into_iter()
        .map(|(id, title, dept)| {
            let label = match (own, departments.iter().find(|d| d.0 == dept)) {
                (None, Some((_, name))) => format!("{title} · {name}"),
                _ => title,
            };
            Choice { value: id.to_string(), label }
        })
        .collect())
}

pub(super) async fn options(db: &mut SqliteConnection, user: &User, cal: FiscalCalendar, fy: i32, currency: Currency) -> Result<BudgetOptions, AppError> {
    let own = scope(user, None)?;
    let categories: Vec<(i64, String)> = repo::categories(&mut *db).await?.into_iter().map(|(id, name, _)| (id, name)).collect();
    let departments = departments(&mut *db, own).await?;
    Ok(BudgetOptions {
        departments: choices(&departments),
        categories: choices(&categories),
        vendors: repo::vendor_names(&mut *db, own).await?,
        initiatives: initiative_choices(&mut *db, own, &departments).await?,
        investments: choices(&repo::investment_categories(&mut *db).await?),
        systems: choices(&sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM systems ORDER BY name COLLATE NOCASE").fetch_all(&mut *db).await?),
        years: year_list(&mut *db, cal, fy).await?,
        months: cal
            .months(fy)
            .iter()
            .map(|m| Choice { value: m.iso(), label: m.label() })
            .collect(),
        currency: currency.code.to_string(),
        minor_digits: currency.minor_digits,
    })
}

/// What a view of one fiscal year starts from: the department the caller may see (checked
/// before any data is read), the budget settings and the year asked for.
pub(crate) struct YearScope {
    pub department: Option<i64>,
    pub cal: FiscalCalendar,
    pub thresholds: Thresholds,
    pub fiscal_year: i32,
}

/// The fiscal calendar and the fiscal year `year` names (the current one when empty).
pub(crate) async fn fiscal_year(db: &mut SqliteConnection, year: &str) -> Result<(FiscalCalendar, i32), AppError> {
    let (cal, _) = repo::settings(&mut *db).await?;
    Ok((cal, year_or_current(year, cal)?))
}

pub(crate) async fn year_scope(db: &mut SqliteConnection, user: &User, year: &str, department: &str) -> Result<YearScope, AppError> {
    let department = scope(user, parse_id(department, "department")?)?;
    let (cal, thresholds) = repo::settings(&mut *db).await?;
    Ok(YearScope { department, cal, thresholds, fiscal_year: year_or_current(year, cal)? })
}

pub async fn overview(user: &User, year: &str, department: &str) -> Result<BudgetOverview, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let YearScope { department: dept, cal, thresholds: t, fiscal_year: fy } = year_scope(&mut db, user, year, department).await?;
    let today = today();
    let all_departments = departments(&mut db, None).await?;
    let categories = repo::categories(&mut db).await?;
    let lines = repo::plan_lines(&mut db, fy, dept).await?;
    let months = cal.months(fy);
    let actuals = repo::actuals(&mut db, months[0], months[11], dept).await?;
    let name_of = |list: &[(i64, String)], id: i64| list.iter().find(|x| x.0 == id).map(|x| x.1.clone()).unwrap_or_default();
    let cat_list: Vec<(i64, String)> = categories.iter().map(|c| (c.0, c.1.clone())).collect();
    let names = |d: i64, c: i64| (name_of(&all_departments, d), name_of(&cat_list, c));
    let y = Year::new(cal, fy, today, lines, actuals, &names, categories.iter().map(|c| c.0).collect());

    let total_cell = y.total();
    let total = y.row("Total".into(), &total_cell, t, cur);
    let mut by_department: Vec<BvaRow> = y.by_department().iter().map(|(n, c)| y.row(n.clone(), c, t, cur)).collect();
    worst_first(&mut by_department);
    let mut by_category: Vec<BvaRow> = y.by_category().iter().map(|(n, c)| y.row(n.clone(), c, t, cur)).collect();
    worst_first(&mut by_category);
    let by_kind: Vec<BvaRow> = y.by_kind().iter().map(|(n, c)| y.row(n.clone(), c, t, cur)).collect();
    let by_month = y.months(&total_cell, t, cur);

    let spent: i64 = crate::platform::money::sum(total_cell.actual.iter().copied());
    let top = repo::vendor_spend(&mut db, months[0], months[11], dept, 10).await?;
    let top_vendors = top
        .into_iter()
        .map(|(name, amount)| VendorSpend {
            name,
            amount: cur.format(amount),
            share: if spent > 0 { format!("{:.1} %", amount as f64 * 100.0 / spent as f64) } else { "—".into() },
        })
        .collect();
    let renewals = contract_rows(&mut db, dept, cur, today).await?.into_iter().filter(|c| c.days_to_renewal.is_some_and(|d| d <= 90)).collect();
    let charts = super::charts::overview_charts(&y, &total_cell, dept.is_none(), t, cur)?;
    let department_name = dept.map(|d| name_of(&all_departments, d)).unwrap_or_else(|| "All departments".into());
    let visible_departments = match user.role {
        Role::Cto => all_departments.clone(),
        _ => all_departments.iter().filter(|d| Some(d.0) == user.department_id).cloned().collect(),
    };
    Ok(BudgetOverview {
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        years: year_list(&mut db, cal, fy).await?,
        department: dept,
        department_name,
        departments: choices(&visible_departments),
        as_of: today.format("%Y-%m-%d").to_string(),
        thresholds: format!("green up to {} % over the plan to date, amber up to {} %, red beyond", t.amber_pct, t.red_pct),
        burn_rate: y.burn_rate(&total_cell).map(|b| cur.format(b)),
        last_month: y.last_closed_month(&total_cell).map(|(m, v)| (m.label(), cur.format(v))),
        has_plan: total_cell.plan.iter().any(|v| *v != 0),
        has_actuals: spent > 0,
        total,
        by_department,
        by_category,
        by_kind,
        by_month,
        top_vendors,
        renewals,
        burn_up: charts.0,
        monthly: charts.1,
        comparison: charts.2,
        can_edit_budget: user.role == Role::Cto,
    })
}

pub async fn contract_rows(db: &mut SqliteConnection, dept: Option<i64>, cur: Currency, today: NaiveDate) -> Result<Vec<ContractRow>, AppError> {
    let rows = repo::contracts(&mut *db, dept).await?;
    Ok(rows
        .into_iter()
        .map(|(id, vendor, name, owner, department_id, department, value, starts_on, ends_on, renews_on, notice_days, auto_renew, system_id, system)| {
            let renewal = renews_on.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            ContractRow {
                id,
                vendor,
                name,
                owner,
                department: department.unwrap_or_else(|| "Company-wide".into()),
                department_id,
                annual_value: cur.format(value),
                annual_value_input: cur.plain(value),
                starts_on,
                ends_on,
                notice_by: renewal.map(|r| (r - chrono::Duration::days(notice_days)).format("%Y-%m-%d").to_string()),
                days_to_renewal: renewal.map(|r| (r - today).num_days()).filter(|d| *d >= 0),
                renews_on,
                notice_days,
                auto_renew,
                system_id,
                system: system.unwrap_or_default(),
            }
        })
        .collect())
}
