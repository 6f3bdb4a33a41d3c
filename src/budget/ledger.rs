//! Expenses: the list and its filter, and recording, correcting and deleting them.

use crate::platform::changes::Changed;
use super::api::ExpenseQuery;
use super::expenses::{Raw, Rules};
use super::model::{FiscalCalendar, Kind, Month};
use super::service::{departments, options, scope, year_or_current, year_scope, YearScope};
use crate::platform::encode::query_string;
use crate::platform::error::parse_id;
use crate::platform::time::today;
use super::repo::{self, ExpenseFilter};
use super::view::*;
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::{AppError, Problems};
use crate::platform::money::Currency;
use crate::platform::audit::{self, Entry};
use crate::platform::db::{begin_write, now_unix};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

pub const PAGE_SIZE: i64 = 50;

fn filter_from(q: &ExpenseQuery, cal: FiscalCalendar, fy: i32, dept: Option<i64>) -> Result<ExpenseFilter, AppError> {
    let (first, last) = cal.range(fy);
    let (mut from, mut to) = (first, last);
    if !q.month.trim().is_empty() {
        let start = NaiveDate::parse_from_str(&format!("{}-01", q.month.trim()), "%Y-%m-%d")
            .map_err(|_| AppError::field("month", format!("“{}” is not a month; use YYYY-MM.", q.month.trim())))?;
        from = start.max(first);
        to = Month::of(start).last_day().min(last);
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
    let YearScope { department, cal, fiscal_year, .. } = year_scope(&mut *db, user, &q.year, &q.department).await?;
    Ok((cal, fiscal_year, filter_from(q, cal, fiscal_year, department)?))
}

pub async fn expenses(user: &User, q: &ExpenseQuery) -> Result<ExpensePage, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, fy, filter) = expense_filter(&mut db, user, q).await?;
    let (matched, sum) = repo::count_expenses(&mut db, &filter).await?;
    let (page, pages, offset) = crate::platform::query::page_of(&q.page, matched, PAGE_SIZE);
    let rows = repo::list_expenses(&mut db, &filter, PAGE_SIZE, offset).await?;
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
    let trimmed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.trim())).collect();
    let export_query = query_string(&trimmed);
    Ok(ExpensePage {
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        first_day: first.to_string(),
        last_day: last.min(today()).max(first).to_string(),
        rows: rows
            .into_iter()
            .map(|(id, spent_on, amount, department_id, department, category_id, category, kind, vendor, description, invoice_ref, source, initiative_id, initiative, investment_id, investment)| ExpenseRow {
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
                initiative_id,
                initiative,
                investment_id,
                investment,
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
    pub initiatives: Vec<(i64, String, i64)>,
    pub investments: Vec<(i64, String)>,
}

impl RuleLists {
    pub async fn load(db: &mut SqliteConnection, user: &User, year: &str) -> Result<RuleLists, AppError> {
        let (cal, _) = repo::settings(&mut *db).await?;
        let fiscal_year = year_or_current(year, cal)?;
        let departments = departments(&mut *db, None).await?;
        let own = match user.role {
            Role::Cto => None,
            _ => Some(departments.iter().find(|d| Some(d.0) == user.department_id).cloned().ok_or(AppError::Forbidden)?),
        };
        let categories = repo::categories(&mut *db).await?.into_iter().map(|(id, name, _)| (id, name)).collect();
        let initiatives = repo::initiatives(&mut *db, own.as_ref().map(|o| o.0)).await?;
        let investments = repo::investment_categories(&mut *db).await?;
        Ok(RuleLists { cal, fiscal_year, departments, categories, own, initiatives, investments })
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
            initiatives: &self.initiatives,
            investments: &self.investments,
        }
    }
}

/// A department head may touch only their own department's expenses; for them a missing id
/// and another department's id are the same 403.
async fn check_expense_access(db: &mut SqliteConnection, user: &User, id: i64) -> Result<(), AppError> {
    let found = repo::expense_department(&mut *db, id).await?;
    match (&found, user.role) {
        (Some(_), Role::Cto) => {}
        (None, Role::Cto) => return Err(AppError::NotFound),
        (Some((d, _)), _) if Some(*d) == user.department_id => {}
        _ => return Err(AppError::Forbidden),
    }
    match found.and_then(|(_, origin)| origin) {
        // Written again from their source whenever it changes: an edit here would be lost, or
        // make the budget disagree with the page that source is kept on.
        Some(origin) => Err(AppError::Conflict {
            message: super::view::kept_source(&origin).map_or("This expense is kept by another part of Northstar.", |k| k.2).into(),
        }),
        None => Ok(()),
    }
}

pub async fn save_expense(user: &User, input: &ExpenseInput) -> Result<i64, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let id = parse_id(&input.id, "expense")?;
    let year = input.year.as_str();
    let raw = &Raw::from(input);
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
    let (before, moved_from): (i64, Option<i64>) = match id {
        Some(id) => sqlx::query_as("SELECT amount_minor, department_id FROM expenses WHERE id = ?1").bind(id).fetch_one(&mut *tx).await?,
        None => (0, None),
    };
    ensure_room(&mut tx, i128::from(expense.amount) - i128::from(before), "amount", st.config.currency).await?;
    let now = now_unix();
    let old = match id {
        Some(id) => audit::select(&mut tx, EXPENSE_AS_READ, id).await?,
        None => None,
    };
    let saved = match id {
        Some(id) => {
            repo::update_expense(&mut tx, id, &expense, user.id, now).await?;
            id
        }
        None => repo::insert_expense(&mut tx, &expense, "manual", user.id, now).await?,
    };
    let new = audit::select(&mut tx, EXPENSE_AS_READ, saved).await?;
    Entry::new(&user.actor(), "budgets", if id.is_some() { "correct_expense" } else { "record_expense" })
        .object("expense", saved, expense_label(new.as_ref(), st.config.currency))
        .diff(old.as_ref(), new.as_ref())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(Changed::Budget(Some(expense.department_id)));
    if let Some(from) = moved_from.filter(|d| *d != expense.department_id) {
        st.changes.tell(Changed::Budget(Some(from)));
    }
    Ok(saved)
}

/// Deletes an expense; answers how a person would name it ("of $12.00 on … (Hetzner)").
pub async fn delete_expense(user: &User, id: i64) -> Result<String, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    check_expense_access(&mut tx, user, id).await?;
    let old = audit::select(&mut tx, EXPENSE_AS_READ, id).await?;
    let department: i64 = sqlx::query_scalar("SELECT department_id FROM expenses WHERE id = ?1").bind(id).fetch_one(&mut *tx).await?;
    repo::delete_expense(&mut tx, id).await?;
    Entry::new(&user.actor(), "budgets", "delete_expense")
        .object("expense", id, expense_label(old.as_ref(), st.config.currency))
        .diff(old.as_ref(), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(Changed::Budget(Some(department)));
    let get = |k: &str| audit::value(old.as_ref(), k);
    let amount = get("amount_minor").parse::<i64>().map(|m| st.config.currency.format(m)).unwrap_or_default();
    Ok(super::view::expense_named(&amount, &get("spent_on"), &get("vendor"), &get("description")))
}

/// An expense as the trail shows it: references by name, not id.
const EXPENSE_AS_READ: &str = "SELECT e.spent_on, e.amount_minor, d.name AS department, c.name AS category, e.kind, v.name AS vendor, e.description, e.invoice_ref,
            i.title AS initiative, ic.name AS investment
     FROM expenses e JOIN departments d ON d.id = e.department_id JOIN budget_categories c ON c.id = e.category_id
     LEFT JOIN vendors v ON v.id = e.vendor_id LEFT JOIN initiatives i ON i.id = e.initiative_id
     LEFT JOIN investment_categories ic ON ic.id = e.investment_category_id WHERE e.id = ?1";

fn expense_label(e: Option<&audit::Fields>, currency: crate::platform::money::Currency) -> String {
    let get = |k: &str| audit::value(e, k);
    let amount = get("amount_minor").parse::<i64>().map(|m| currency.format(m)).unwrap_or_default();
    format!("{} {amount}, {}", get("spent_on"), get("department"))
}

/// Refuses a write that would take all recorded spending past `money::MAX_TOTAL`: `adding`
/// is the change in minor units (an import's total, an expense's new amount less its old).
pub async fn ensure_room(db: &mut SqliteConnection, adding: i128, field: &str, cur: crate::platform::money::Currency) -> Result<(), AppError> {
    let recorded: i64 = sqlx::query_scalar("SELECT coalesce(sum(total_minor), 0) FROM expense_months").fetch_one(&mut *db).await?;
    if i128::from(recorded) + adding > i128::from(crate::platform::money::MAX_TOTAL) {
        return Err(AppError::field(
            field,
            format!(
                "This would take all recorded spending past {}, the most Northstar keeps; check the amounts.",
                cur.format(crate::platform::money::MAX_TOTAL)
            ),
        ));
    }
    Ok(())
}
