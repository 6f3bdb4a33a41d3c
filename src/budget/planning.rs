//! Budget lines: the plan of a fiscal year with its revisions, and setting a line.

use super::model::{spread_evenly, Kind, MONTH_NAMES};
use super::service::{departments, options, year_or_current, year_scope, YearScope};
use super::repo;
use super::view::*;
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::{AppError, Problems};
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::validate::required_text;

pub async fn plan(user: &User, year: &str, department: &str) -> Result<PlanView, AppError> {
    let st = crate::platform::state::AppState::current()?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let YearScope { department: dept, cal, fiscal_year: fy, .. } = year_scope(&mut db, user, year, department).await?;
    let lines = repo::plan_lines(&mut db, fy, dept).await?;
    let investments = repo::investment_categories(&mut db).await?;
    let history = repo::revisions(&mut db, fy, dept).await?;
    let (mut original, mut current) = (0i64, 0i64);
    let lines = lines
        .into_iter()
        .map(|l| {
            original = original.saturating_add(l.original);
            current = current.saturating_add(crate::platform::money::sum(l.months.iter().copied()));
            PlanLine {
                department_id: l.department_id,
                department: l.department,
                category_id: l.category_id,
                category: l.category,
                kind: l.kind.label().to_string(),
                investment_id: l.investment_id,
                investment: l.investment_id.and_then(|i| investments.iter().find(|c| c.0 == i)).map(|c| c.1.clone()).unwrap_or_default(),
                original: cur.format(l.original),
                current: cur.format(crate::platform::money::sum(l.months.iter().copied())),
                months: l.months.iter().map(|v| cur.format_short(*v)).collect(),
                months_input: l.months.iter().map(|v| cur.plain(*v)).collect(),
                revisions: history
                    .iter()
                    .filter(|r| r.0 == l.line_id)
                    .map(|(_, at, by, reason, total)| Revision {
                        at: crate::platform::time::minute(*at),
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

pub async fn set_budget(user: &User, input: &BudgetLineInput) -> Result<(), AppError> {
    let BudgetLineInput { year, department, category, kind, investment, mode, annual, months, reason } = input;
    let st = crate::platform::state::AppState::current()?;
    let cur = st.config.currency;
    let mut tx = begin_write(&st.pool).await?;
    let (cal, _) = repo::settings(&mut tx).await?;
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
    let cats = repo::categories(&mut tx).await?;
    let cat = p.check("category", category.trim().parse::<i64>().ok().filter(|id| cats.iter().any(|c| c.0 == *id)).ok_or_else(|| "Choose a category.".to_string()));
    let kind = p.check("kind", Kind::parse(kind).ok_or_else(|| "Choose CapEx or OpEx.".to_string()));
    let investments = repo::investment_categories(&mut tx).await?;
    let investment = p.check("investment", match investment.trim() {
        "" => Ok(None),
        t => t.parse::<i64>().ok().filter(|id| investments.iter().any(|c| c.0 == *id)).map(Some).ok_or_else(|| "Choose an investment category, or none.".to_string()),
    });
    let amount = |text: &str| -> Result<i64, String> {
        let v = if text.trim().is_empty() { Ok(0) } else { cur.parse(text) }?;
        if v < 0 { Err("A budget cannot be negative.".into()) } else { Ok(v) }
    };
    let plan: Option<[i64; 12]> = match mode.as_str() {
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
    let (Some(fy), Some(dept), Some(cat), Some(kind), Some(investment), Some(plan), Some(reason)) = (fy, dept, cat, kind, investment, plan, reason) else {
        return Err(AppError::Internal);
    };
    if plan.iter().try_fold(0i64, |a, v| a.checked_add(*v)).is_none_or(|total| total > crate::platform::money::MAX_MINOR) {
        return Err(AppError::field("annual", "That budget is too large."));
    }
    let before: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT r.total_minor, r.months, l.investment_category_id FROM budget_revisions r JOIN budget_lines l ON l.id = r.line_id
         WHERE l.fiscal_year = ?1 AND l.department_id = ?2 AND l.category_id = ?3 AND l.kind = ?4 ORDER BY r.id DESC LIMIT 1",
    )
    .bind(fy)
    .bind(dept)
    .bind(cat)
    .bind(kind)
    .fetch_optional(&mut *tx)
    .await?;
    repo::set_plan(&mut tx, fy, dept, cat, kind, investment, &plan, &reason, user.id, now_unix()).await?;
    let name_of = |list: &[(i64, String)], id: i64| list.iter().find(|d| d.0 == id).map(|d| d.1.clone()).unwrap_or_default();
    let cat_name = cats.iter().find(|c| c.0 == cat).map(|c| c.1.clone()).unwrap_or_default();
    let readable = |m: &str| m.split(',').map(|v| v.parse::<i64>().map(|v| cur.plain(v)).unwrap_or_default()).collect::<Vec<_>>().join(", ");
    let investment_name = |id: Option<i64>| id.and_then(|i| investments.iter().find(|c| c.0 == i)).map(|c| c.1.clone());
    let old_investment = before.as_ref().map(|b| investment_name(b.2));
    let (old_total, old_months) = before.map_or((None, None), |(t, m, _)| (Some(t.to_string()), Some(readable(&m))));
    Entry::new(&user.actor(), "budgets", "set_budget")
        .object("budget_line", format!("{fy}/{dept}/{cat}/{}", kind.as_str()), format!("FY{fy} {} {cat_name} {}", name_of(&depts, dept), kind.label()))
        .change("total_minor", old_total, Some(crate::platform::money::sum(plan.iter().copied()).to_string()))
        .change("months", old_months, Some(plan.iter().map(|m| cur.plain(*m)).collect::<Vec<_>>().join(", ")))
        .change("investment_category", old_investment.flatten(), investment_name(investment))
        .detail(reason.clone())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Budget(Some(dept)));
    Ok(())
}
