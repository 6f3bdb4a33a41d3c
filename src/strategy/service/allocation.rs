//! Investment allocation: the year's planned and actual money per investment category, month
//! and department against the target mix, and the CTO's category list with its targets.
//!
//! The CTO sees the company or any department; a department head only their own (another
//! answers 403 before anything is read). Planned money is the budget lines' current plans by
//! their category. Actual money is the expenses, each counted under its own category, else its
//! initiative's, else its budget line's (`repo::allocation::spending`). Initiative budgets are not added to
//! the plan: their money is already in the budget lines, and adding it would count it twice.

use super::super::mix::{floors_fit, judge, Mix, Target, TargetRule};
use super::super::repo::allocation::{self as repo, CategoryRecord};
use super::super::view::{UNASSIGNED, AllocationView, CategoriesInput, CategorySetting, MixCell, MixLine, MixRow};
use crate::access::Role;
use crate::auth::User;
use crate::budget::service::{choices, departments, year_list, year_scope, YearScope};
use crate::platform::audit::Entry;
use crate::platform::db::begin_write;
use crate::platform::error::{parse_id, refused, AppError, Problems};
use crate::platform::money::Currency;
use crate::platform::state::AppState;
use crate::platform::time::today;
use crate::platform::validate::required_text;
use std::collections::HashMap;

pub const CATEGORY_NAME_MAX: usize = 60;

pub(super) fn target_of(c: &CategoryRecord) -> Option<Target> {
    let rule = TargetRule::parse(c.target_rule.as_deref()?)?;
    Some(Target { rule, pct: u8::try_from(c.target_pct?).ok()? })
}

/// Planned and actual money of one fiscal year, per department, in category slots.
struct Money {
    planned: HashMap<i64, Mix>,
    actual: HashMap<i64, Mix>,
}

async fn money(db: &mut sqlx::SqliteConnection, scope: &YearScope, cats: &[CategoryRecord]) -> Result<Money, AppError> {
    let (cal, fy) = (scope.cal, scope.fiscal_year);
    let slot = |id: Option<i64>| id.and_then(|i| cats.iter().position(|c| c.id == i)).unwrap_or(cats.len());
    let lines = crate::budget::service::plan_lines(&mut *db, fy, scope.department).await?;
    let mut planned: HashMap<i64, Mix> = HashMap::new();
    for l in &lines {
        let mix = planned.entry(l.department_id).or_insert_with(|| Mix::new(cats.len()));
        for (m, amount) in l.months.iter().enumerate() {
            mix.add(slot(l.investment_id), m, *amount);
        }
    }
    let months = cal.months(fy);
    let mut actual: HashMap<i64, Mix> = HashMap::new();
    for (month, department, category, total) in repo::spending(&mut *db, fy, (months[0].code(), months[11].code()), scope.department).await? {
        let month = cal.index(crate::budget::model::Month::from_code(month));
        actual.entry(department).or_insert_with(|| Mix::new(cats.len())).add(slot(category), month, total);
    }
    Ok(Money { planned, actual })
}

fn merged<'a>(mixes: impl Iterator<Item = &'a Mix>, slots: usize) -> Mix {
    let mut all = Mix::new(slots);
    for m in mixes {
        all.merge(m);
    }
    all
}

fn share_text(v: Option<f64>) -> String {
    v.map(|s| format!("{s:.1} %")).unwrap_or_default()
}

/// Whole units: the month and department tables hold dozens of figures; the mix table above
/// them has the exact ones.
fn amount_or_dash(cur: Currency, v: i64) -> String {
    if v == 0 { "—".into() } else { cur.format_whole(v) }
}

/// One row per column: planned and actual money with their shares, against the target.
fn mix_rows(cats: &[CategoryRecord], slots: &[usize], columns: &[String], (plan, actual): (&Mix, &Mix), cur: Currency) -> Vec<MixRow> {
    slots
        .iter()
        .zip(columns)
        .map(|(s, name)| {
            let target = cats.get(*s).and_then(target_of);
            let (plan_share, actual_share) = (plan.share(*s), actual.share(*s));
            MixRow {
                id: cats.get(*s).map(|c| c.id),
                name: name.clone(),
                target: target.map(Target::describe).unwrap_or_default(),
                planned: cur.format(plan.slot_total(*s)),
                planned_share: share_text(plan_share),
                plan_status: target.zip(plan_share).map(|(t, v)| judge(t, v)),
                actual: cur.format(actual.slot_total(*s)),
                actual_share: share_text(actual_share),
                status: target.zip(actual_share).map(|(t, v)| judge(t, v)),
            }
        })
        .collect()
}

/// A month (`Some`) or a whole year (`None`) of one mix as a table line: each column's actual
/// money with its share of the line, and its plan.
fn mix_line(label: String, slots: &[usize], (plan, actual): (&Mix, &Mix), month: Option<usize>, cur: Currency) -> MixLine {
    let (actual_of, planned_of) = match month {
        Some(m) => (actual.month_total(m), plan.month_total(m)),
        None => (actual.total(), plan.total()),
    };
    let cells = slots
        .iter()
        .map(|s| {
            let (av, pv) = match month {
                Some(m) => (actual.at(*s, m), plan.at(*s, m)),
                None => (actual.slot_total(*s), plan.slot_total(*s)),
            };
            let share = if av == 0 { String::new() } else { share_text(crate::strategy::mix::percent(av, actual_of)) };
            MixCell { actual: amount_or_dash(cur, av), share, planned: if pv == 0 { String::new() } else { cur.format_whole(pv) } }
        })
        .collect();
    MixLine { label, cells, actual: amount_or_dash(cur, actual_of), planned: amount_or_dash(cur, planned_of) }
}

pub async fn allocation(st: &AppState, user: &User, year: &str, department: &str) -> Result<AllocationView, AppError> {
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let scope = year_scope(&mut db, user, year, department).await?;
    let (cal, fy) = (scope.cal, scope.fiscal_year);
    let cats = repo::categories(&mut db).await?;
    let Money { planned, actual } = money(&mut db, &scope, &cats).await?;
    let n = cats.len();
    let (plan_all, actual_all) = (merged(planned.values(), n), merged(actual.values(), n));
    let unassigned = plan_all.slot_total(n) != 0 || actual_all.slot_total(n) != 0;
    // Columns: the categories, then the unassigned money when there is any.
    let slots: Vec<usize> = (0..n).chain(unassigned.then_some(n)).collect();
    let columns: Vec<String> = slots.iter().map(|s| cats.get(*s).map_or(UNASSIGNED.to_string(), |c| c.name.clone())).collect();
    let mix = mix_rows(&cats, &slots, &columns, (&plan_all, &actual_all), cur);
    let line = |label: String, p: &Mix, a: &Mix, month: Option<usize>| mix_line(label, &slots, (p, a), month, cur);
    let fiscal_months = cal.months(fy);
    let months = fiscal_months.iter().enumerate().map(|(i, m)| line(m.label(), &plan_all, &actual_all, Some(i))).collect();
    let all_departments = departments(&mut db, None).await?;
    let departments_mix = match scope.department {
        Some(_) => Vec::new(),
        None => all_departments
            .iter()
            .filter(|(id, _)| planned.contains_key(id) || actual.contains_key(id))
            .map(|(id, name)| {
                let empty = Mix::new(n);
                line(name.clone(), planned.get(id).unwrap_or(&empty), actual.get(id).unwrap_or(&empty), None)
            })
            .collect(),
    };
    let chart = super::super::charts::mix_chart(&actual_all, &slots, &columns, &fiscal_months)?;
    let visible: Vec<(i64, String)> = match user.role {
        Role::Cto => all_departments.clone(),
        _ => all_departments.iter().filter(|d| Some(d.0) == user.department_id).cloned().collect(),
    };
    Ok(AllocationView {
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        years: year_list(&mut db, cal, fy).await?,
        department: scope.department,
        department_name: scope.department.and_then(|d| all_departments.iter().find(|x| x.0 == d)).map_or("All departments".into(), |d| d.1.clone()),
        departments: choices(&visible),
        as_of: today().to_string(),
        mix,
        planned_total: cur.format(plan_all.total()),
        actual_total: cur.format(actual_all.total()),
        columns,
        months,
        departments_mix,
        chart,
        settings: (user.role == Role::Cto).then(|| {
            cats.iter()
                .map(|c| CategorySetting {
                    id: c.id,
                    name: c.name.clone(),
                    rule: c.target_rule.clone().unwrap_or_default(),
                    pct: c.target_pct.map(|p| p.to_string()).unwrap_or_default(),
                    in_use: c.in_use,
                })
                .collect()
        }),
        investors_see_mix: super::digest::investors_see_mix(&mut db).await?,
    })
}

/// One row of the categories form, checked.
struct CategoryRow {
    id: Option<i64>,
    name: String,
    target: Option<Target>,
}

fn check_row(p: &mut Problems, i: usize, input: &CategoriesInput, known: &[CategoryRecord]) -> Result<Option<CategoryRow>, AppError> {
    let get = |v: &Vec<String>| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
    let (name, rule, pct) = (get(&input.name), get(&input.rule), get(&input.pct));
    let id = match parse_id(&get(&input.id), "category")? {
        Some(id) if !known.iter().any(|c| c.id == id) => return Err(AppError::NotFound),
        id => id,
    };
    if id.is_none() && name.is_empty() && rule.is_empty() && pct.is_empty() {
        return Ok(None);
    }
    let name = p.check(&format!("name[{i}]"), required_text(&name, "category's name", CATEGORY_NAME_MAX));
    let target = match (rule.as_str(), pct.as_str()) {
        ("", "") => Some(None),
        ("", _) => {
            p.add(&format!("rule[{i}]"), "Choose “at least” or “at most” for this target.");
            None
        }
        (r, text) => {
            let rule = p.check(&format!("rule[{i}]"), TargetRule::parse(r).ok_or_else(|| "Choose a target from the list.".to_string()));
            let pct = p.check(
                &format!("pct[{i}]"),
                match text.trim_end_matches('%').trim() {
                    "" => Err("Enter the target share in percent, such as 60.".to_string()),
                    t => t.parse::<u8>().ok().filter(|v| *v <= 100).ok_or_else(|| format!("“{text}” is not a whole percentage from 0 to 100.")),
                },
            );
            rule.zip(pct).map(|(rule, pct)| Some(Target { rule, pct }))
        }
    };
    Ok(name.zip(target).map(|(name, target)| CategoryRow { id, name, target }))
}

/// Saves every category's name and target, and adds a new one when its row is filled in.
/// Answers what the page says afterwards.
pub async fn save_categories(st: &AppState, cto: &User, input: CategoriesInput) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let known = repo::categories(&mut tx).await?;
    let mut p = Problems::default();
    let mut rows: Vec<(usize, CategoryRow)> = Vec::new();
    for i in 0..input.name.len().max(input.id.len()) {
        let name = input.name.get(i).map_or("", |n| n.trim());
        if name.eq_ignore_ascii_case(UNASSIGNED) {
            p.add(&format!("name[{i}]"), format!("“{UNASSIGNED}” names the money without a category; choose another name."));
        } else if !name.is_empty() && input.name[..i].iter().any(|n| n.trim().eq_ignore_ascii_case(name)) {
            p.add(&format!("name[{i}]"), format!("“{name}” is listed twice; categories must not overlap."));
        }
        if let Some(row) = check_row(&mut p, i, &input, &known)? {
            rows.push((i, row));
        }
    }
    // A name the form does not list any more is free; one of a category it leaves out is not.
    let listed = |id: i64| input.id.iter().any(|x| x.trim() == id.to_string());
    for (i, row) in &rows {
        let taken = known.iter().any(|k| Some(k.id) != row.id && k.name.eq_ignore_ascii_case(&row.name) && !listed(k.id));
        if taken {
            p.add(&format!("name[{i}]"), format!("“{}” is already a category.", row.name));
        }
    }
    // A category the form left out keeps its target, which counts too.
    let omitted = known.iter().filter(|k| !rows.iter().any(|(_, r)| r.id == Some(k.id))).filter_map(target_of);
    let targets: Vec<Target> = rows.iter().filter_map(|(_, r)| r.target).chain(omitted).collect();
    if !floors_fit(&targets) {
        let first = rows.iter().find(|(_, r)| r.target.is_some_and(|t| t.rule == TargetRule::AtLeast)).map_or(0, |(i, _)| *i);
        let sum: u32 = targets.iter().filter(|t| t.rule == TargetRule::AtLeast).map(|t| u32::from(t.pct)).sum();
        p.add(&format!("pct[{first}]"), format!("The “at least” targets add up to {sum} %; no mix can meet them all."));
    }
    p.finish()?;
    let mut entry = Entry::new(&cto.actor(), "strategy", "save_investment_categories").object("investment_categories", "all", "Investment categories");
    // Names are unique: clear the listed ones first, so two categories may swap names.
    for (_, row) in &rows {
        if let Some(id) = row.id {
            repo::rename_aside(&mut tx, id).await?;
        }
    }
    let mut added = 0;
    for (position, (_, row)) in rows.iter().enumerate() {
        let before = row.id.and_then(|id| known.iter().find(|k| k.id == id));
        let target_text = |t: Option<Target>| t.map(Target::describe);
        let label = before.map_or_else(|| row.name.clone(), |b| b.name.clone());
        entry = entry
            .change(&format!("{label}: name"), before.map(|b| b.name.clone()), Some(row.name.clone()))
            .change(&format!("{label}: target"), before.and_then(target_of).map(Target::describe), target_text(row.target));
        added += usize::from(row.id.is_none());
        let target = row.target.map(|t| (t.rule.as_str(), i64::from(t.pct)));
        repo::save_category(&mut tx, row.id, &row.name, target, (position + 1) as i64).await?;
    }
    let shown = super::digest::investors_see_mix(&mut tx).await?;
    entry = entry.change("investors see the mix", Some(yes_no(shown)), Some(yes_no(input.investors_see_mix)));
    crate::platform::db::set_flag(&mut tx, super::digest::INVESTORS_SEE_MIX, input.investors_see_mix).await?;
    entry.record(&mut tx).await?;
    tx.commit().await?;
    Ok(if added > 0 { "Added the category and saved the targets.".into() } else { "Saved the categories and targets.".into() })
}

fn yes_no(v: bool) -> String {
    if v { "yes" } else { "no" }.into()
}

/// Removes a category no initiative, budget line or expense carries. Answers its name.
pub async fn delete_category(st: &AppState, cto: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let known = repo::categories(&mut tx).await?;
    let Some(c) = known.iter().find(|c| c.id == id) else { return Err(refused(AppError::NotFound)) };
    if c.in_use {
        return Err(AppError::conflict(format!("{} is in use by an initiative, a budget line or an expense; rename it instead.", c.name)));
    }
    repo::delete_category(&mut tx, id).await?;
    Entry::new(&cto.actor(), "strategy", "delete_investment_category")
        .object("investment_category", id, &c.name)
        .change("target", target_of(c).map(Target::describe), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(c.name.clone())
}
