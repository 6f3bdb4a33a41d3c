//! Changing the strategy: objectives (the CTO's), initiatives and their milestones (the CTO's,
//! and a department head's own department's). Every form is checked whole, each mistake at its
//! field, before anything is written; every change leaves a record in the audit trail.

use super::super::capex::Stage;
use super::super::model::{parse_day, parse_span, InitiativeStatus};
use super::super::repo::{self, NewInitiative, NewObjective, CATEGORIES, OBJECTIVES, OWNERS, SYSTEMS};
use super::super::view::{InitiativeEditor, InitiativeInput, MilestoneInput, ObjectiveEditor, ObjectiveInput, OBJECTIVE_KPI_ROWS};
use super::{chosen_department, scope, visible_initiative};
use crate::auth::User;
use crate::platform::audit::{self, Entry};
use crate::platform::db::{begin_write, chosen, now_unix};
use crate::platform::error::{parse_id, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::time::today;
use crate::platform::validate::{optional_text, required_text};

const OBJECTIVE_AS_READ: &str = "SELECT o.title, o.description, u.name AS owner, o.starts_on, o.ends_on, o.investor_visible,
       (SELECT group_concat(k.name || ' → ' || x.target, '; ') FROM objective_kpis x JOIN kpis k ON k.id = x.kpi_id WHERE x.objective_id = o.id) AS kpis
     FROM objectives o LEFT JOIN users u ON u.id = o.owner_id WHERE o.id = ?1";

const INITIATIVE_AS_READ: &str = "SELECT i.title, i.description, o.title AS objective, u.name AS owner, d.name AS department, i.starts_on, i.target_on,
       i.status, c.name AS category, i.budget_minor, i.capitalize_from, i.in_service_on,
       (SELECT group_concat(s.name, ', ') FROM initiative_systems x JOIN systems s ON s.id = x.system_id WHERE x.initiative_id = i.id) AS systems
     FROM initiatives i JOIN departments d ON d.id = i.department_id JOIN investment_categories c ON c.id = i.category_id
     LEFT JOIN objectives o ON o.id = i.objective_id LEFT JOIN users u ON u.id = i.owner_id WHERE i.id = ?1";

pub async fn objective_editor(st: &AppState, id: Option<i64>) -> Result<ObjectiveEditor, AppError> {
    let mut db = st.pool.acquire().await?;
    let kpis: Vec<crate::kpi::model::Kpi> = crate::kpi::figures::visible_kpis(&mut *db, None, true).await?.into_iter().map(|r| r.into_kpi()).collect();
    let mut e = ObjectiveEditor {
        kpi_choices: kpis.iter().map(|k| (k.key.clone(), format!("{} · {}", k.name, k.unit.label()))).collect(),
        owners: crate::platform::db::choices(&mut db, OWNERS).await?,
        ..Default::default()
    };
    if let Some(id) = id {
        let o = repo::objective(&mut db, id).await?;
        let cur = st.config.currency;
        e.id = Some(id);
        e.title = o.title;
        e.description = o.description;
        e.owner = o.owner_id.map(|i| i.to_string()).unwrap_or_default();
        e.starts = o.starts_on;
        e.ends = o.ends_on;
        e.investor_visible = o.investor_visible;
        e.kpis = repo::objective_kpis(&mut db, Some(id))
            .await?
            .into_iter()
            .filter_map(|(_, kpi, target)| kpis.iter().find(|k| k.id == kpi).map(|k| (k.key.clone(), k.unit.plain(target, cur))))
            .collect();
    }
    Ok(e)
}

pub async fn save_objective(st: &AppState, cto: &User, input: ObjectiveInput) -> Result<i64, AppError> {
    let id = parse_id(&input.id, "objective")?;
    let cur = st.config.currency;
    let mut p = Problems::default();
    let title = p.check("title", required_text(&input.title, "title", 200));
    let description = optional_text(&mut p, "description", &input.description, 4000);
    let span = parse_span(&mut p, ("starts", &input.starts), ("ends", &input.ends), true);
    let mut tx = begin_write(&st.pool).await?;
    let owner = chosen(&mut tx, &mut p, "owner", &input.owner, OWNERS, "an owner").await?;
    let mut kpis: Vec<(i64, f64)> = Vec::new();
    if input.kpi.iter().skip(OBJECTIVE_KPI_ROWS).any(|k| !k.trim().is_empty()) {
        p.add(&format!("kpi[{OBJECTIVE_KPI_ROWS}]"), format!("An objective is measured by at most {OBJECTIVE_KPI_ROWS} KPIs."));
    }
    for i in 0..input.kpi.len().max(input.kpi_target.len()).min(OBJECTIVE_KPI_ROWS) {
        let key = input.kpi.get(i).map(|k| k.trim()).unwrap_or_default();
        let target = input.kpi_target.get(i).map(|t| t.trim()).unwrap_or_default();
        let (kpi_field, target_field) = (format!("kpi[{i}]"), format!("kpi_target[{i}]"));
        if key.is_empty() {
            if !target.is_empty() {
                p.add(&kpi_field, "Choose the KPI this target is for.");
            }
            continue;
        }
        let Some(kpi) = crate::kpi::figures::visible(&mut tx, cto, key).await.ok() else {
            p.add(&kpi_field, "Choose a KPI from the list.");
            continue;
        };
        if kpis.iter().any(|(k, _)| *k == kpi.id) {
            p.add(&kpi_field, format!("{} is listed twice.", kpi.name));
            continue;
        }
        if target.is_empty() {
            p.add(&target_field, format!("Enter the value {} must reach by the period's end.", kpi.name));
            continue;
        }
        if let Some(t) = p.check(&target_field, kpi.unit.parse_value(target, cur)) {
            kpis.push((kpi.id, t));
        }
    }
    if let Some(title) = &title {
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM objectives WHERE title = ?1 COLLATE NOCASE AND id IS NOT ?2").bind(title).bind(id).fetch_optional(&mut *tx).await?;
        if clash.is_some() {
            p.add("title", "Another objective already has this title.");
        }
    }
    p.finish()?;
    let (Some(title), Some((starts, ends))) = (title, span) else { return Err(AppError::Internal) };
    let before = match id {
        Some(id) => audit::select(&mut tx, OBJECTIVE_AS_READ, id).await?,
        None => None,
    };
    if id.is_some() && before.is_none() {
        return Err(AppError::NotFound);
    }
    let o = NewObjective { title: &title, description: &description, owner, starts: starts.to_string(), ends: ends.to_string(), investor_visible: input.investor_visible };
    let saved = repo::save_objective(&mut tx, id, &o, now_unix()).await?;
    repo::set_objective_kpis(&mut tx, saved, &kpis).await?;
    Entry::new(&cto.actor(), "strategy", if before.is_some() { "update_objective" } else { "create_objective" })
        .object("objective", saved, &title)
        .diff(before.as_ref(), audit::select(&mut tx, OBJECTIVE_AS_READ, saved).await?.as_ref())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Deletes an objective; its initiatives stay, serving none. Answers its title.
pub async fn delete_objective(st: &AppState, cto: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let before = audit::select(&mut tx, OBJECTIVE_AS_READ, id).await?;
    let title: String = sqlx::query_scalar("DELETE FROM objectives WHERE id = ?1 RETURNING title").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    Entry::new(&cto.actor(), "strategy", "delete_objective").object("objective", id, &title).diff(before.as_ref(), None).record(&mut tx).await?;
    tx.commit().await?;
    Ok(title)
}

pub async fn initiative_editor(st: &AppState, user: &User, id: Option<i64>) -> Result<InitiativeEditor, AppError> {
    let dept = scope(user)?;
    let mut db = st.pool.acquire().await?;
    let departments = crate::budget::service::departments(&mut db, dept).await?;
    let mut e = InitiativeEditor {
        objective_choices: crate::platform::db::choices(&mut db, OBJECTIVES).await?,
        owners: crate::platform::db::choices(&mut db, OWNERS).await?,
        departments,
        categories: crate::platform::db::choices(&mut db, CATEGORIES).await?,
        system_choices: crate::platform::db::choices(&mut db, SYSTEMS).await?,
        status: InitiativeStatus::Proposed.as_str().into(),
        department: dept.map(|d| d.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    if let Some(id) = id {
        let i = visible_initiative(&mut db, user, id).await?;
        e.id = Some(id);
        e.title = i.title;
        e.description = i.description;
        e.objective = i.objective_id.map(|o| o.to_string()).unwrap_or_default();
        e.owner = i.owner_id.map(|o| o.to_string()).unwrap_or_default();
        e.department = i.department_id.to_string();
        e.starts = i.starts_on;
        e.target = i.target_on;
        e.status = i.status.as_str().into();
        e.category = i.category_id.to_string();
        e.budget = if i.budget_minor > 0 { st.config.currency.plain(i.budget_minor) } else { String::new() };
        e.capitalize_from = i.capitalize_from.unwrap_or_default();
        e.in_service_on = i.in_service_on.unwrap_or_default();
        e.systems = repo::initiative_systems(&mut db, id).await?.into_iter().map(|s| s.0).collect();
    }
    Ok(e)
}

pub async fn save_initiative(st: &AppState, user: &User, input: InitiativeInput) -> Result<i64, AppError> {
    scope(user)?;
    let id = parse_id(&input.id, "initiative")?;
    let mut p = Problems::default();
    let title = p.check("title", required_text(&input.title, "title", 200));
    let description = optional_text(&mut p, "description", &input.description, 4000);
    let span = parse_span(&mut p, ("starts", &input.starts), ("target", &input.target), false);
    let status = p.check("status", InitiativeStatus::parse(&input.status).ok_or_else(|| "Choose a status from the list.".to_string()));
    let budget = match input.budget.trim() {
        "" => Some(0),
        text => p.check("budget", st.config.currency.parse(text).and_then(|m| if m < 0 { Err("Enter a budget of zero or more.".into()) } else { Ok(m) })),
    };
    let stage = development_stage(&mut p, &input, span.map(|s| s.0));
    let mut tx = begin_write(&st.pool).await?;
    if let Some(id) = id {
        // A head may change only their own department's, and may not move it to another.
        visible_initiative(&mut tx, user, id).await?;
    }
    let department = chosen_department(&mut tx, user, &mut p, &input.department, "Choose the department doing this work.").await?;
    let objective = chosen(&mut tx, &mut p, "objective", &input.objective, OBJECTIVES, "an objective").await?;
    let owner = chosen(&mut tx, &mut p, "owner", &input.owner, OWNERS, "an owner").await?;
    let category = match chosen(&mut tx, &mut p, "category", &input.category, CATEGORIES, "an investment category").await? {
        None if input.category.trim().is_empty() => {
            p.add("category", "Choose the investment category this work falls in.");
            None
        }
        c => c,
    };
    let mut systems = Vec::new();
    for s in &input.systems {
        if let Some(s) = chosen(&mut tx, &mut p, "systems", s, SYSTEMS, "systems").await? {
            systems.push(s);
        }
    }
    if let Some(title) = &title {
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM initiatives WHERE title = ?1 COLLATE NOCASE AND id IS NOT ?2").bind(title).bind(id).fetch_optional(&mut *tx).await?;
        if clash.is_some() {
            p.add("title", "Another initiative already has this title.");
        }
    }
    p.finish()?;
    let (Some(title), Some((starts, target)), Some(status), Some(budget_minor), Some(department), Some(category), Some(stage)) = (title, span, status, budget, department, category, stage) else {
        return Err(AppError::Internal);
    };
    let before = match id {
        Some(id) => audit::select(&mut tx, INITIATIVE_AS_READ, id).await?,
        None => None,
    };
    let new = NewInitiative { objective, title: &title, description: &description, owner, department, starts: starts.to_string(), target: target.to_string(), status, category, budget_minor, stage };
    let saved = repo::save_initiative(&mut tx, id, &new, now_unix()).await?;
    repo::set_initiative_systems(&mut tx, saved, &systems).await?;
    Entry::new(&user.actor(), "strategy", if before.is_some() { "update_initiative" } else { "create_initiative" })
        .object("initiative", saved, &title)
        .diff(before.as_ref(), audit::select(&mut tx, INITIATIVE_AS_READ, saved).await?.as_ref())
        .record(&mut tx)
        .await?;
    // Its category decides where its teams' time counts in the Staff actuals.
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "category").await?;
    tx.commit().await?;
    // Its systems decide which systems its teams' time is cost of.
    super::people_cost::tell(st, booked);
    Ok(saved)
}

/// The development stage's two dates, each optional, checked at their fields: the stage
/// starts no earlier than the work, and goes into service after it starts.
fn development_stage(p: &mut Problems, input: &InitiativeInput, starts: Option<chrono::NaiveDate>) -> Option<Option<Stage>> {
    let day = |p: &mut Problems, field: &str, text: &str, what: &str| match text.trim() {
        "" => Some(None),
        t => p.check(field, parse_day(t, what)).map(Some),
    };
    let from = day(p, "capitalize_from", &input.capitalize_from, "date the development stage began")?;
    let until = day(p, "in_service_on", &input.in_service_on, "date it went into service")?;
    match (from, until) {
        (None, None) => Some(None),
        (None, Some(_)) => {
            p.add("capitalize_from", "Enter the date the development stage began, or clear the date it went into service.");
            None
        }
        (Some(f), _) if starts.is_some_and(|s| f < s) => {
            p.add("capitalize_from", "The development stage cannot begin before the initiative starts.");
            None
        }
        (Some(f), Some(u)) if u < f => {
            p.add("in_service_on", "It cannot go into service before its development stage began.");
            None
        }
        (Some(from), until) => Some(Some(Stage { from, until })),
    }
}

/// Deletes an initiative with its milestones; its expenses stay, booked to none. Answers its
/// title.
pub async fn delete_initiative(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    visible_initiative(&mut tx, user, id).await?;
    let before = audit::select(&mut tx, INITIATIVE_AS_READ, id).await?;
    let title: String = sqlx::query_scalar("DELETE FROM initiatives WHERE id = ?1 RETURNING title").bind(id).fetch_one(&mut *tx).await?;
    Entry::new(&user.actor(), "strategy", "delete_initiative").object("initiative", id, &title).diff(before.as_ref(), None).record(&mut tx).await?;
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "id").await?;
    tx.commit().await?;
    super::people_cost::tell(st, booked);
    Ok(title)
}

/// Adds or changes a milestone; answers its initiative's id. A milestone is reached on a day
/// that has come.
pub async fn save_milestone(st: &AppState, user: &User, input: MilestoneInput) -> Result<i64, AppError> {
    let id = parse_id(&input.id, "milestone")?;
    let initiative = parse_id(&input.initiative, "initiative")?.ok_or_else(|| AppError::BadRequest { message: "Name the initiative the milestone belongs to.".into() })?;
    let today = crate::platform::time::today();
    let mut p = Problems::default();
    let title = p.check("title", required_text(&input.title, "title", 200));
    let due = p.check("due", parse_day(&input.due, "due date"));
    let done = match input.done.trim() {
        "" => None,
        text => p.check("done", parse_day(text, "date it was reached").and_then(|d| if d > today { Err("A milestone cannot be reached in the future.".into()) } else { Ok(d) })),
    };
    let mut tx = begin_write(&st.pool).await?;
    let initiative = visible_initiative(&mut tx, user, initiative).await?;
    if let Some(title) = &title {
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM milestones WHERE initiative_id = ?1 AND title = ?2 AND id IS NOT ?3").bind(initiative.id).bind(title).bind(id).fetch_optional(&mut *tx).await?;
        if clash.is_some() {
            p.add("title", "This initiative already has a milestone with this title.");
        }
    }
    p.finish()?;
    let (Some(title), Some(due)) = (title, due) else { return Err(AppError::Internal) };
    let before = match id {
        Some(id) => Some(repo::milestone(&mut tx, id).await?.filter(|m| m.initiative_id == initiative.id).ok_or(AppError::NotFound)?),
        None => None,
    };
    repo::save_milestone(&mut tx, initiative.id, id, &title, &due.to_string(), done.map(|d| d.to_string()).as_deref()).await?.ok_or(AppError::NotFound)?;
    Entry::new(&user.actor(), "strategy", if before.is_some() { "update_milestone" } else { "add_milestone" })
        .object("initiative", initiative.id, &initiative.title)
        .change("milestone", before.as_ref().map(|m| m.title.clone()), Some(title))
        .change("due", before.as_ref().map(|m| m.due_on.clone()), Some(due.to_string()))
        .change("reached", before.and_then(|m| m.done_on), done.map(|d| d.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(initiative.id)
}

/// Deletes a milestone; answers its initiative's id and the milestone's title.
pub async fn delete_milestone(st: &AppState, user: &User, id: i64) -> Result<(i64, String), AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let m = repo::milestone(&mut tx, id).await?.ok_or_else(|| user.hidden())?;
    let initiative = visible_initiative(&mut tx, user, m.initiative_id).await?;
    sqlx::query("DELETE FROM milestones WHERE id = ?1").bind(id).execute(&mut *tx).await?;
    Entry::new(&user.actor(), "strategy", "delete_milestone")
        .object("initiative", initiative.id, &initiative.title)
        .change("milestone", Some(m.title.clone()), None)
        .change("due", Some(m.due_on), None)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok((initiative.id, m.title))
}
