//! The bodies of the budget server functions: scope checks, then store and analysis.

use super::analysis::{worst_first, Year};
use super::api::ExpenseQuery;
use super::expenses::{Raw, Rules};
use super::model::{spread_evenly, FiscalCalendar, Kind, Month, MONTH_NAMES};
use super::store::{self, ExpenseFilter};
use super::view::*;
use crate::access::Role;
use crate::auth::guard;
use crate::auth::User;
use crate::error::{AppError, Problems};
use crate::kpi::service::refused;
use crate::money::Currency;
use crate::server::db::{begin_write, now_unix};
use crate::validate::required_text;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

pub const PAGE_SIZE: i64 = 50;

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

/// Reads an id from a query or form; anything else is refused as malformed.
fn parse_id(text: &str, what: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" | "all" => Ok(None),
        t => t.parse().map(Some).map_err(|_| AppError::BadRequest { message: format!("{t:?} is not a {what} id") }),
    }
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn year_or_current(text: &str, cal: FiscalCalendar) -> Result<i32, AppError> {
    match text.trim() {
        "" => Ok(cal.year_of(today())),
        t => match t.trim_start_matches("FY").parse::<i32>() {
            Ok(y) if (1970..=2200).contains(&y) => Ok(y),
            _ => Err(AppError::field("year", format!("{t:?} is not a fiscal year."))),
        },
    }
}

async fn departments(db: &mut SqliteConnection, only: Option<i64>) -> Result<Vec<(i64, String)>, AppError> {
    Ok(crate::admin::service::departments(&mut *db, only).await?.into_iter().map(|d| (d.id, d.name)).collect())
}

fn choices(list: &[(i64, String)]) -> Vec<Choice> {
    list.iter().map(|(id, name)| Choice { value: id.to_string(), label: name.clone() }).collect()
}

/// Years to offer: those with data, the current one and the next (for planning ahead).
async fn year_list(db: &mut SqliteConnection, cal: FiscalCalendar, shown: i32) -> Result<Vec<i32>, AppError> {
    let mut years = store::years(&mut *db, cal).await?;
    let current = cal.year_of(today());
    years.extend([current, current + 1, shown]);
    years.sort_unstable();
    years.dedup();
    Ok(years)
}

async fn options(db: &mut SqliteConnection, user: &User, cal: FiscalCalendar, fy: i32, currency: Currency) -> Result<BudgetOptions, AppError> {
    let own = scope(user, None)?;
    let categories: Vec<(i64, String)> = store::categories(&mut *db).await?.into_iter().map(|(id, name, _)| (id, name)).collect();
    Ok(BudgetOptions {
        departments: choices(&departments(&mut *db, own).await?),
        categories: choices(&categories),
        vendors: store::vendor_names(&mut *db, own).await?,
        years: year_list(&mut *db, cal, fy).await?,
        months: cal
            .months(fy)
            .iter()
            .map(|m| Choice { value: format!("{:04}-{:02}", m.year, m.month), label: m.label() })
            .collect(),
        currency: currency.code.to_string(),
        minor_digits: currency.minor_digits,
    })
}

pub async fn overview(user: &User, year: &str, department: &str) -> Result<BudgetOverview, AppError> {
    let st = guard::state()?;
    let dept = scope(user, parse_id(department, "department")?)?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, t) = store::settings(&mut db).await?;
    let fy = year_or_current(year, cal)?;
    let today = today();
    let all_departments = departments(&mut db, None).await?;
    let categories = store::categories(&mut db).await?;
    let lines = store::plan_lines(&mut db, fy, dept).await?;
    let months = cal.months(fy);
    let actuals = store::actuals(&mut db, months[0], months[11], dept).await?;
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

    let spent: i64 = total_cell.actual.iter().sum();
    let top = store::vendor_spend(&mut db, months[0], months[11], dept, 10).await?;
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
    let rows = store::contracts(&mut *db, dept).await?;
    Ok(rows
        .into_iter()
        .map(|(id, vendor, name, owner, department_id, department, value, starts_on, ends_on, renews_on, notice_days, auto_renew)| {
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
            }
        })
        .collect())
}

fn filter_from(q: &ExpenseQuery, cal: FiscalCalendar, fy: i32, dept: Option<i64>) -> Result<ExpenseFilter, AppError> {
    let (first, last) = cal.range(fy);
    let (mut from, mut to) = (first, last);
    if !q.month.trim().is_empty() {
        let start = NaiveDate::parse_from_str(&format!("{}-01", q.month.trim()), "%Y-%m-%d")
            .map_err(|_| AppError::field("month", format!("{:?} is not a month; use YYYY-MM.", q.month.trim())))?;
        from = start.max(first);
        to = Month::of(start).next().first_day().pred_opt().unwrap_or(start).min(last);
    }
    let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Ok(ExpenseFilter {
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        department: dept,
        category: parse_id(&q.category, "category")?,
        kind: Kind::parse(&q.kind),
        vendor: text(&q.vendor),
        text: text(&q.q),
    })
}

/// Resolves a query into the fiscal year and the filter the caller may run.
pub async fn expense_filter(db: &mut SqliteConnection, user: &User, q: &ExpenseQuery) -> Result<(FiscalCalendar, i32, ExpenseFilter), AppError> {
    let dept = scope(user, parse_id(&q.department, "department")?)?;
    let (cal, _) = store::settings(&mut *db).await?;
    let fy = year_or_current(&q.year, cal)?;
    Ok((cal, fy, filter_from(q, cal, fy, dept)?))
}

pub async fn expenses(user: &User, q: &ExpenseQuery) -> Result<ExpensePage, AppError> {
    let st = guard::state()?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, fy, filter) = expense_filter(&mut db, user, q).await?;
    let (matched, sum) = store::count_expenses(&mut db, &filter).await?;
    let pages = ((matched + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = q.page.trim().parse::<i64>().unwrap_or(1).clamp(1, pages);
    let rows = store::list_expenses(&mut db, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let (first, last) = cal.range(fy);
    let own = match user.role {
        Role::Cto => None,
        _ => departments(&mut db, user.department_id).await?.into_iter().next().map(|(id, name)| Choice { value: id.to_string(), label: name }),
    };
    let pairs = [
        ("year", fy.to_string()),
        ("department", q.department.clone()),
        ("category", q.category.clone()),
        ("kind", q.kind.clone()),
        ("vendor", q.vendor.clone()),
        ("month", q.month.clone()),
        ("q", q.q.clone()),
    ];
    let export_query = pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v.trim())))
        .collect::<Vec<_>>()
        .join("&");
    Ok(ExpensePage {
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        first_day: first.to_string(),
        last_day: last.min(today()).max(first).to_string(),
        rows: rows
            .into_iter()
            .map(|(id, spent_on, amount, department_id, department, category_id, category, kind, vendor, description, invoice_ref, source)| ExpenseRow {
                id,
                spent_on,
                amount: cur.format(amount),
                amount_input: cur.plain(amount),
                department_id,
                department,
                category_id,
                category,
                kind: Kind::parse(&kind).map(Kind::label).unwrap_or_default().to_string(),
                vendor,
                description,
                invoice_ref,
                source,
            })
            .collect(),
        matched,
        matched_total: cur.format(sum),
        page,
        pages,
        options: options(&mut db, user, cal, fy, cur).await?,
        own_department: own,
        export_query,
    })
}

/// The rules for the caller's records in one fiscal year, with the lists they resolve against.
pub struct RuleLists {
    pub cal: FiscalCalendar,
    pub fiscal_year: i32,
    pub departments: Vec<(i64, String)>,
    pub categories: Vec<(i64, String)>,
    pub own: Option<(i64, String)>,
}

impl RuleLists {
    pub async fn load(db: &mut SqliteConnection, user: &User, year: &str) -> Result<RuleLists, AppError> {
        let (cal, _) = store::settings(&mut *db).await?;
        let fiscal_year = year_or_current(year, cal)?;
        let departments = departments(&mut *db, None).await?;
        let own = match user.role {
            Role::Cto => None,
            _ => Some(departments.iter().find(|d| Some(d.0) == user.department_id).cloned().ok_or(AppError::Forbidden)?),
        };
        let categories = store::categories(&mut *db).await?.into_iter().map(|(id, name, _)| (id, name)).collect();
        Ok(RuleLists { cal, fiscal_year, departments, categories, own })
    }

    pub fn rules(&self, currency: Currency) -> Rules<'_> {
        Rules {
            cal: self.cal,
            fiscal_year: self.fiscal_year,
            today: today(),
            currency,
            departments: &self.departments,
            categories: &self.categories,
            own_department: self.own.clone(),
        }
    }
}

/// A department head may touch only their own department's expenses; for them a missing id
/// and another department's id are the same 403.
async fn check_expense_access(db: &mut SqliteConnection, user: &User, id: i64) -> Result<(), AppError> {
    match (store::expense_department(&mut *db, id).await?, user.role) {
        (Some(_), Role::Cto) => Ok(()),
        (None, Role::Cto) => Err(AppError::NotFound),
        (Some(d), _) if Some(d) == user.department_id => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn save_expense(user: &User, id: &str, year: &str, raw: &Raw<'_>) -> Result<i64, AppError> {
    let st = guard::state()?;
    let id = parse_id(id, "expense")?;
    // A department head naming another department, by id, is refused outright, as for any
    // other argument; the form always sends their own.
    if let Ok(asked) = raw.department.trim().parse::<i64>() {
        scope(user, Some(asked))?;
    }
    let mut tx = begin_write(&st.pool).await?;
    if let Some(id) = id {
        check_expense_access(&mut tx, user, id).await?;
    }
    let lists = RuleLists::load(&mut tx, user, year).await?;
    let expense = lists.rules(st.config.currency).check(raw).map_err(|errors| {
        let mut p = Problems::default();
        for (field, message) in errors {
            p.add(field, message);
        }
        p.finish().err().unwrap_or(AppError::Internal)
    })?;
    let now = now_unix();
    let saved = match id {
        Some(id) => {
            store::update_expense(&mut tx, id, &expense, user.id, now).await?;
            id
        }
        None => store::insert_expense(&mut tx, &expense, "manual", user.id, now).await?,
    };
    tx.commit().await?;
    Ok(saved)
}

pub async fn delete_expense(user: &User, id: i64) -> Result<(), AppError> {
    let st = guard::state()?;
    let mut tx = begin_write(&st.pool).await?;
    check_expense_access(&mut tx, user, id).await?;
    store::delete_expense(&mut tx, id).await?;
    crate::auth::queries::audit(&mut *tx, Some(user.id), "delete_expense", &id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn plan(user: &User, year: &str, department: &str) -> Result<PlanView, AppError> {
    let st = guard::state()?;
    let dept = scope(user, parse_id(department, "department")?)?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, _) = store::settings(&mut db).await?;
    let fy = year_or_current(year, cal)?;
    let lines = store::plan_lines(&mut db, fy, dept).await?;
    let history = store::revisions(&mut db, fy, dept).await?;
    let (mut original, mut current) = (0i64, 0i64);
    let lines = lines
        .into_iter()
        .map(|l| {
            original += l.original;
            current += l.months.iter().sum::<i64>();
            PlanLine {
                department_id: l.department_id,
                department: l.department,
                category_id: l.category_id,
                category: l.category,
                kind: l.kind.label().to_string(),
                original: cur.format(l.original),
                current: cur.format(l.months.iter().sum()),
                months: l.months.iter().map(|v| cur.format_short(*v)).collect(),
                months_input: l.months.iter().map(|v| cur.plain(*v)).collect(),
                revisions: history
                    .iter()
                    .filter(|r| r.0 == l.line_id)
                    .map(|(_, at, by, reason, total)| Revision {
                        at: crate::kpi::service::format_ts(*at),
                        by: by.clone().unwrap_or_else(|| "a removed account".into()),
                        reason: reason.clone(),
                        total: cur.format(*total),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(PlanView {
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        month_labels: cal.months(fy).iter().map(|m| m.short()).collect(),
        department: dept,
        lines,
        original_total: cur.format(original),
        current_total: cur.format(current),
        options: options(&mut db, user, cal, fy, cur).await?,
        can_edit: user.role == Role::Cto,
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn set_budget(user: &User, year: &str, department: &str, category: &str, kind: &str, mode: &str, annual: &str, months: &[String], reason: &str) -> Result<(), AppError> {
    let st = guard::state()?;
    let cur = st.config.currency;
    let mut tx = begin_write(&st.pool).await?;
    let (cal, _) = store::settings(&mut tx).await?;
    let mut p = Problems::default();
    let fy = match year_or_current(year, cal) {
        Ok(y) => Some(y),
        Err(e) => {
            p.add("year", e.to_string());
            None
        }
    };
    let depts = departments(&mut tx, None).await?;
    let dept = p.check("department", department.trim().parse::<i64>().ok().filter(|id| depts.iter().any(|d| d.0 == *id)).ok_or_else(|| "Choose a department.".to_string()));
    let cats = store::categories(&mut tx).await?;
    let cat = p.check("category", category.trim().parse::<i64>().ok().filter(|id| cats.iter().any(|c| c.0 == *id)).ok_or_else(|| "Choose a category.".to_string()));
    let kind = p.check("kind", Kind::parse(kind).ok_or_else(|| "Choose CapEx or OpEx.".to_string()));
    let amount = |text: &str| -> Result<i64, String> {
        let v = if text.trim().is_empty() { Ok(0) } else { cur.parse(text) }?;
        if v < 0 { Err("A budget cannot be negative.".into()) } else { Ok(v) }
    };
    let plan: Option<[i64; 12]> = match mode {
        "monthly" => {
            let mut out = [0i64; 12];
            let mut ok = true;
            for i in 0..12 {
                match amount(months.get(i).map(String::as_str).unwrap_or("")) {
                    Ok(v) => out[i] = v,
                    Err(m) => {
                        p.add(&format!("month{i}"), format!("{}: {m}", MONTH_NAMES[(cal.start_month as usize - 1 + i) % 12]));
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        }
        _ => p.check("annual", if annual.trim().is_empty() { Err("Enter the annual amount.".to_string()) } else { amount(annual) }).map(spread_evenly),
    };
    let reason = p.check("reason", required_text(reason, "reason for the change", 500));
    p.finish()?;
    let (Some(fy), Some(dept), Some(cat), Some(kind), Some(plan), Some(reason)) = (fy, dept, cat, kind, plan, reason) else {
        return Err(AppError::Internal);
    };
    if plan.iter().try_fold(0i64, |a, v| a.checked_add(*v)).is_none_or(|total| total > crate::money::MAX_MINOR) {
        return Err(AppError::field("annual", "That budget is too large."));
    }
    store::set_plan(&mut tx, fy, dept, cat, kind, &plan, &reason, user.id, now_unix()).await?;
    crate::auth::queries::audit(&mut *tx, Some(user.id), "set_budget", &format!("FY{fy} department {dept} category {cat} {}", kind.as_str())).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn vendors(user: &User) -> Result<VendorsView, AppError> {
    let st = guard::state()?;
    let dept = scope(user, None)?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, _) = store::settings(&mut db).await?;
    let today = today();
    let fy = cal.year_of(today);
    let contracts = contract_rows(&mut db, dept, cur, today).await?;
    let renewals = contracts.iter().filter(|c| c.days_to_renewal.is_some_and(|d| d <= 90)).cloned().collect();
    let months = cal.months(fy);
    let spend = store::vendor_spend(&mut db, months[0], months[11], dept, 1000).await?;
    let spent: i64 = spend.iter().map(|s| s.1).sum();
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

pub struct ContractForm {
    pub id: String,
    pub vendor: String,
    pub name: String,
    pub owner: String,
    pub department: String,
    pub annual_value: String,
    pub starts_on: String,
    pub ends_on: String,
    pub renews_on: String,
    pub notice_days: String,
    pub auto_renew: bool,
}

pub async fn save_contract(user: &User, f: ContractForm) -> Result<i64, AppError> {
    let st = guard::state()?;
    let cur = st.config.currency;
    let id = parse_id(&f.id, "contract")?;
    let mut tx = begin_write(&st.pool).await?;
    let mut p = Problems::default();
    let date = |text: &str, required: bool| -> Result<Option<NaiveDate>, String> {
        match text.trim() {
            "" if required => Err("Enter a date.".into()),
            "" => Ok(None),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| format!("{t:?} is not a date; use YYYY-MM-DD.")),
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
    let contract = store::NewContract {
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
    };
    let saved = store::save_contract(&mut tx, id, &contract).await?;
    crate::auth::queries::audit(&mut *tx, Some(user.id), "save_contract", &contract.name).await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn delete_contract(id: i64) -> Result<(), AppError> {
    let st = guard::state()?;
    let mut tx = begin_write(&st.pool).await?;
    if !store::delete_contract(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn settings() -> Result<SettingsView, AppError> {
    let st = guard::state()?;
    let mut db = st.pool.acquire().await?;
    let (cal, t) = store::settings(&mut db).await?;
    Ok(SettingsView {
        start_month: cal.start_month,
        amber_pct: t.amber_pct,
        red_pct: t.red_pct,
        categories: store::categories(&mut db).await?.into_iter().map(|(id, name, in_use)| CategoryRow { id, name, in_use }).collect(),
        start_locked: store::any_budget(&mut db).await?,
    })
}

pub async fn save_settings(user: &User, start_month: &str, amber: &str, red: &str) -> Result<(), AppError> {
    let st = guard::state()?;
    let mut tx = begin_write(&st.pool).await?;
    let (cal, _) = store::settings(&mut tx).await?;
    let mut p = Problems::default();
    let month = p.check("start_month", start_month.trim().parse::<u32>().ok().filter(|m| (1..=12).contains(m)).ok_or_else(|| "Choose a month.".to_string()));
    let pct = |t: &str| t.trim().parse::<u32>().ok().filter(|v| *v <= 1000).ok_or_else(|| format!("{:?} is not a whole percentage from 0 to 1000.", t.trim()));
    let amber = p.check("amber_pct", pct(amber));
    let red = p.check("red_pct", pct(red));
    if let (Some(a), Some(r)) = (amber, red) {
        if r < a {
            p.add("red_pct", "The red threshold must be at least the amber one.");
        }
    }
    if let Some(m) = month {
        if m != cal.start_month && store::any_budget(&mut tx).await? {
            p.add("start_month", "Budgets exist: moving the start of the fiscal year would shift every planned month. It can change only before the first budget.");
        }
    }
    p.finish()?;
    let (Some(month), Some(amber), Some(red)) = (month, amber, red) else { return Err(AppError::Internal) };
    store::set_setting(&mut tx, "fiscal_year_start_month", month).await?;
    store::set_setting(&mut tx, "variance_amber_pct", amber).await?;
    store::set_setting(&mut tx, "variance_red_pct", red).await?;
    crate::auth::queries::audit(&mut *tx, Some(user.id), "budget_settings", &format!("start month {month}, amber {amber} %, red {red} %")).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn save_category(id: &str, name: &str) -> Result<(), AppError> {
    let st = guard::state()?;
    let id = parse_id(id, "category")?;
    let name = required_text(name, "category name", 60).map_err(|m| AppError::field("name", m))?;
    let mut tx = begin_write(&st.pool).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM budget_categories WHERE name = ?1").bind(&name).fetch_optional(&mut *tx).await?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(AppError::field("name", format!("There is already a category called {name}.")));
    }
    let done = match id {
        Some(id) => sqlx::query("UPDATE budget_categories SET name = ?2 WHERE id = ?1").bind(id).bind(&name).execute(&mut *tx).await?.rows_affected(),
        None => sqlx::query("INSERT INTO budget_categories (name, position) VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM budget_categories))")
            .bind(&name)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
    };
    if done == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn delete_category(id: i64) -> Result<(), AppError> {
    let st = guard::state()?;
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
    if sqlx::query("DELETE FROM budget_categories WHERE id = ?1").bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
