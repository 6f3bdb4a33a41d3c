//! Teams, their effective-dated roles and their monthly time allocation. The CTO changes every
//! team; a department head reads and changes only their own department's, and another's
//! answers 403 like one that does not exist. Months the capitalization report has closed
//! cannot change: their cost and effort are an auditor's figures.

use super::super::capex::{in_effect, loaded_cost, shares_complete, RoleCost};
use super::super::repo::people::{self as repo, RoleRow, ShareRow, TeamRecord};
use super::super::view::{RoleLine, RoleSetView, RoleSetting, RolesInput, ShareForm, ShareMonth, ShareOption, SharesInput, TeamInput, TeamPage, TeamRow, TeamsView};
use super::{chosen_department, scope};
use crate::access::Role;
use crate::auth::User;
use crate::budget::model::Month;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{parse_id, refused, AppError, Problems};
use crate::platform::money::Currency;
use crate::platform::state::AppState;
use crate::platform::time::today;
use crate::platform::validate::required_text;
use sqlx::SqliteConnection;
use std::collections::HashMap;

pub const TEAM_NAME_MAX: usize = 80;
pub const ROLE_NAME_MAX: usize = 60;

/// Each team's role sets, oldest first: (first month, roles).
pub type RoleSets = HashMap<i64, Vec<(i64, Vec<RoleCost>)>>;

pub fn group_role_sets(rows: Vec<RoleRow>) -> RoleSets {
    let mut out: RoleSets = HashMap::new();
    for r in rows {
        let sets = out.entry(r.team_id).or_default();
        if sets.last().is_none_or(|(from, _)| *from != r.from_month) {
            sets.push((r.from_month, Vec::new()));
        }
        if let (Some(role), Some((_, roles))) = (r.role, sets.last_mut()) {
            roles.push(RoleCost { role, headcount: r.headcount, monthly_cost: r.monthly_cost });
        }
    }
    out
}

/// A team's (headcount, loaded cost) in a month; nothing before its first role set.
pub fn cost_in(sets: &RoleSets, team: i64, month: i64) -> (i64, i64) {
    sets.get(&team).and_then(|s| in_effect(s, month)).map_or((0, 0), |roles| (roles.iter().map(|r| r.headcount).sum(), loaded_cost(roles)))
}

/// "YYYY-MM" (a month input's value) or "YYYYMM".
pub fn parse_month(text: &str) -> Result<Month, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter a month such as 2026-03.".into());
    }
    let digits: String = t.chars().filter(|c| *c != '-').collect();
    match (digits.len(), digits.parse::<i64>()) {
        (6, Ok(code)) if (1..=12).contains(&(code % 100)) && (1970..=2200).contains(&(code / 100)) => Ok(Month::from_code(code)),
        _ => Err(format!("“{t}” is not a month such as 2026-03.")),
    }
}

/// What a change to a month the capitalization report has closed (through `closed`) is told.
pub fn closed_message(closed: i64) -> String {
    format!("Capitalization is closed through {}; months up to it cannot change.", Month::from_code(closed).label())
}

/// Refuses a month the capitalization report has closed.
pub async fn open_month(db: &mut SqliteConnection, month: Month) -> Result<Result<(), String>, AppError> {
    Ok(match repo::closed_through(db).await? {
        Some(c) if month.code() <= c => Err(closed_message(c)),
        _ => Ok(()),
    })
}

async fn visible_team(db: &mut SqliteConnection, user: &User, id: i64) -> Result<TeamRecord, AppError> {
    let dept = scope(user)?;
    match repo::team(db, id).await? {
        Some(t) if dept.is_none_or(|d| d == t.department_id) => Ok(t),
        _ => Err(user.hidden()),
    }
}

/// What a month's shares say in a few words: "60 % Payments migration, 40 % Keeping the lights on".
fn shares_text(shares: &[&ShareRow], names: &HashMap<String, String>) -> String {
    let mut parts: Vec<(i64, String)> = shares.iter().map(|s| (s.pct, names.get(&share_key(s)).cloned().unwrap_or_default())).collect();
    parts.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    parts.iter().map(|(p, n)| format!("{p} % {n}")).collect::<Vec<_>>().join(", ")
}

fn share_key(s: &ShareRow) -> String {
    match (s.initiative_id, s.category_id) {
        (Some(i), _) => format!("i{i}"),
        (_, Some(c)) => format!("c{c}"),
        _ => String::new(),
    }
}

/// Names of every initiative (`i<id>`) and category (`c<id>`) a share can point at.
async fn share_names(db: &mut SqliteConnection) -> Result<HashMap<String, String>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT 'i' || id, title FROM initiatives UNION ALL SELECT 'c' || id, name FROM investment_categories").fetch_all(db).await?;
    Ok(rows.into_iter().collect())
}

pub async fn teams(st: &AppState, user: &User) -> Result<TeamsView, AppError> {
    let dept = scope(user)?;
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let month = Month::of(today());
    let teams = repo::teams(&mut db, dept).await?;
    let sets = group_role_sets(repo::role_sets(&mut db, None).await?);
    let shares = repo::shares(&mut db, None, (month.code(), month.code())).await?;
    let names = share_names(&mut db).await?;
    let (mut headcount, mut costs) = (0, Vec::new());
    let rows: Vec<TeamRow> = teams
        .into_iter()
        .map(|t| {
            let roles = sets.get(&t.id).and_then(|s| in_effect(s, month.code())).cloned().unwrap_or_default();
            let mine: Vec<&ShareRow> = shares.iter().filter(|s| s.team_id == t.id).collect();
            let (people, cost) = (roles.iter().map(|r| r.headcount).sum(), loaded_cost(&roles));
            headcount += people;
            costs.push(cost);
            TeamRow {
                id: t.id,
                name: t.name,
                department: t.department,
                headcount: people,
                roles: roles.iter().map(|r| format!("{} × {}", r.headcount, r.role)).collect::<Vec<_>>().join(", "),
                monthly_cost: cur.format(cost),
                allocation: shares_text(&mine, &names),
            }
        })
        .collect();
    let departments = crate::budget::service::departments(&mut db, dept).await?;
    let own_department = dept.and_then(|d| departments.iter().find(|x| x.0 == d)).map(|x| x.1.clone());
    Ok(TeamsView { teams: rows, departments, month: month.label(), headcount, monthly_cost: cur.format(crate::platform::money::sum(costs)), can_capitalize: user.role == Role::Cto, own_department })
}

fn role_set_view(from: i64, roles: &[RoleCost], cur: Currency) -> RoleSetView {
    RoleSetView {
        from: Month::from_code(from).label(),
        roles: roles
            .iter()
            .map(|r| RoleLine { role: r.role.clone(), headcount: r.headcount, cost: cur.format(r.monthly_cost), subtotal: cur.format(r.headcount.saturating_mul(r.monthly_cost)) })
            .collect(),
        headcount: roles.iter().map(|r| r.headcount).sum(),
        total: cur.format(loaded_cost(roles)),
    }
}

pub async fn team_page(st: &AppState, user: &User, id: i64, year: &str, month: &str) -> Result<TeamPage, AppError> {
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let team = visible_team(&mut db, user, id).await?;
    let (cal, fy) = crate::budget::service::fiscal_year(&mut db, year).await?;
    let sets = group_role_sets(repo::role_sets(&mut db, Some(id)).await?);
    let mine = sets.get(&id).cloned().unwrap_or_default();
    let now = Month::of(today()).code();
    let closed = repo::closed_through(&mut db).await?;
    let from = closed.map_or(Month::of(today()), |c| Month::from_code(c).next().max(Month::of(today())));
    let roles = in_effect(&mine, now).or(mine.last().map(|s| &s.1)).cloned().unwrap_or_default();
    let months = cal.months(fy);
    let shares = repo::shares(&mut db, Some(id), (months[0].code(), months[11].code())).await?;
    let names = share_names(&mut db).await?;
    // Columns: whatever the year's shares point at, initiatives first.
    let mut keys: Vec<String> = shares.iter().map(share_key).collect();
    keys.sort_by_key(|k| (!k.starts_with('i'), names.get(k).cloned().unwrap_or_default()));
    keys.dedup();
    let month_rows = months
        .iter()
        .map(|m| {
            let of: Vec<&ShareRow> = shares.iter().filter(|s| s.month == m.code()).collect();
            ShareMonth {
                code: m.code(),
                label: m.label(),
                cells: keys.iter().map(|k| of.iter().find(|s| share_key(s) == *k).map(|s| format!("{} %", s.pct)).unwrap_or_default()).collect(),
                loaded_cost: cur.format(cost_in(&sets, id, m.code()).1),
                allocated: !of.is_empty(),
                closed: closed.is_some_and(|c| m.code() <= c),
            }
        })
        .collect();
    let edit = match month.trim() {
        "" => None,
        text => {
            let m = parse_month(text).map_err(|e| AppError::field("month", e))?;
            let current = repo::shares(&mut db, Some(id), (m.code(), m.code())).await?;
            Some(share_form(&mut db, &team, m, &current).await?)
        }
    };
    Ok(TeamPage {
        id,
        name: team.name,
        department_id: team.department_id,
        department: team.department,
        departments: crate::budget::service::departments(&mut db, scope(user)?).await?,
        history: mine.iter().rev().map(|(from, roles)| role_set_view(*from, roles, cur)).collect(),
        roles: roles.iter().map(|r| RoleSetting { role: r.role.clone(), headcount: r.headcount.to_string(), cost: cur.plain(r.monthly_cost) }).collect(),
        from: from.iso(),
        closed_note: closed.map(|c| format!("Capitalization is closed through {}; those months cannot change.", Month::from_code(c).label())).unwrap_or_default(),
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        years: crate::budget::service::year_list(&mut db, cal, fy).await?,
        columns: keys.iter().map(|k| names.get(k).cloned().unwrap_or_default()).collect(),
        months: month_rows,
        edit,
    })
}

/// The month's form: every initiative of the team's department that runs some time in the
/// month (or already has a share of it), then every category for work outside initiatives.
async fn share_form(db: &mut SqliteConnection, team: &TeamRecord, month: Month, current: &[ShareRow]) -> Result<ShareForm, AppError> {
    let first = month.first_day().to_string();
    let last = month.last_day().to_string();
    let initiatives: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, title, capitalize_from, in_service_on FROM initiatives
         WHERE department_id = ?1 AND ((starts_on <= ?3 AND target_on >= ?2 AND status NOT IN ('stopped', 'proposed'))
               OR id IN (SELECT initiative_id FROM time_allocations WHERE team_id = ?4 AND month = ?5))
         ORDER BY title",
    )
    .bind(team.department_id)
    .bind(&first)
    .bind(&last)
    .bind(team.id)
    .bind(month.code())
    .fetch_all(&mut *db)
    .await?;
    let categories: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM investment_categories ORDER BY position, name").fetch_all(&mut *db).await?;
    let pct_of = |key: &str| current.iter().find(|s| share_key(s) == key).map(|s| s.pct.to_string()).unwrap_or_default();
    let stage_covers = |from: &Option<String>, until: &Option<String>| from.as_deref().is_some_and(|f| f <= last.as_str()) && until.as_deref().is_none_or(|u| u >= first.as_str());
    let options = initiatives
        .iter()
        .map(|(id, title, from, until)| {
            let key = format!("i{id}");
            ShareOption { pct: pct_of(&key), key, label: title.clone(), initiative: true, capitalizable: stage_covers(from, until) }
        })
        .chain(categories.iter().map(|(id, name)| {
            let key = format!("c{id}");
            ShareOption { pct: pct_of(&key), key, label: name.clone(), initiative: false, capitalizable: false }
        }))
        .collect();
    Ok(ShareForm { month: month.code(), label: month.label(), options })
}

pub async fn save_team(st: &AppState, user: &User, input: TeamInput) -> Result<i64, AppError> {
    scope(user)?;
    let id = parse_id(&input.id, "team")?;
    let mut p = Problems::default();
    let name = p.check("name", required_text(&input.name, "team's name", TEAM_NAME_MAX));
    let mut tx = begin_write(&st.pool).await?;
    let before = match id {
        Some(id) => Some(visible_team(&mut tx, user, id).await?),
        None => None,
    };
    let department = chosen_department(&mut tx, user, &mut p, &input.department, "Choose the department the team belongs to.").await?;
    if let Some(name) = &name {
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM teams WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2").bind(name).bind(id).fetch_optional(&mut *tx).await?;
        if clash.is_some() {
            p.add("name", "Another team already has this name.");
        }
    }
    p.finish()?;
    let (Some(name), Some(department)) = (name, department) else { return Err(AppError::Internal) };
    let saved = repo::save_team(&mut tx, id, &name, department, now_unix()).await?;
    let after = repo::team(&mut tx, saved).await?;
    Entry::new(&user.actor(), "strategy", if before.is_some() { "update_team" } else { "create_team" })
        .object("team", saved, &name)
        .change("name", before.as_ref().map(|b| b.name.clone()), Some(name.clone()))
        .change("department", before.as_ref().map(|b| b.department.clone()), after.map(|a| a.department))
        .record(&mut tx)
        .await?;
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "department").await?;
    tx.commit().await?;
    super::people_cost::tell(st, booked);
    Ok(saved)
}

/// Deletes a team with its roles and time allocation; closed months keep their figures.
pub async fn delete_team(st: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let team = visible_team(&mut tx, user, id).await?;
    repo::delete_team(&mut tx, id).await?;
    Entry::new(&user.actor(), "strategy", "delete_team").object("team", id, &team.name).change("department", Some(team.department.clone()), None).record(&mut tx).await?;
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "id").await?;
    tx.commit().await?;
    super::people_cost::tell(st, booked);
    Ok(team.name)
}

fn roles_text(roles: &[(String, i64, i64)], cur: Currency) -> String {
    if roles.is_empty() {
        return "nobody".into();
    }
    roles.iter().map(|(r, h, c)| format!("{h} × {r} at {}", cur.format(*c))).collect::<Vec<_>>().join("; ")
}

/// Sets the team's roles from a month on. Answers the team's id.
pub async fn save_roles(st: &AppState, user: &User, input: RolesInput) -> Result<i64, AppError> {
    let cur = st.config.currency;
    let team_id = parse_id(&input.team, "team")?.ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let mut tx = begin_write(&st.pool).await?;
    let team = visible_team(&mut tx, user, team_id).await?;
    let from = p.check("from", parse_month(&input.from));
    if let Some(m) = from {
        p.check("from", open_month(&mut tx, m).await?);
    }
    let mut roles: Vec<(String, i64, i64)> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for i in 0..input.role.len() {
        let get = |v: &Vec<String>| v.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let (role, headcount, cost) = (get(&input.role), get(&input.headcount), get(&input.cost));
        if role.is_empty() && headcount.is_empty() && cost.is_empty() {
            continue;
        }
        let role = p.check(&format!("role[{i}]"), required_text(&role, "role", ROLE_NAME_MAX));
        if let Some(r) = &role {
            if seen.iter().any(|x| x.eq_ignore_ascii_case(r)) {
                p.add(&format!("role[{i}]"), format!("“{r}” is listed twice; put its whole headcount on one row."));
            }
            seen.push(r.clone());
        }
        let headcount = p.check(
            &format!("headcount[{i}]"),
            headcount.parse::<i64>().ok().filter(|h| (1..=10_000).contains(h)).ok_or_else(|| format!("Enter how many people hold this role, a whole number from 1 to 10,000; “{headcount}” is not.")),
        );
        let cost = p.check(
            &format!("cost[{i}]"),
            if cost.is_empty() { Err("Enter one person's loaded monthly cost: salary, taxes and benefits.".to_string()) } else { cur.parse(&cost).and_then(|c| if c < 0 { Err("Enter a cost of zero or more.".into()) } else { Ok(c) }) },
        );
        if let (Some(role), Some(h), Some(c)) = (role, headcount, cost) {
            roles.push((role, h, c));
        }
    }
    p.finish()?;
    let Some(from) = from else { return Err(AppError::Internal) };
    let before = group_role_sets(repo::role_sets(&mut tx, Some(team_id)).await?);
    let was = before.get(&team_id).and_then(|s| in_effect(s, from.code())).map(|r| r.iter().map(|x| (x.role.clone(), x.headcount, x.monthly_cost)).collect::<Vec<_>>());
    repo::replace_role_set(&mut tx, team_id, from.code(), &roles).await?;
    Entry::new(&user.actor(), "strategy", "save_team_roles")
        .object("team", team_id, &team.name)
        .change(&format!("roles from {}", from.label()), was.map(|w| roles_text(&w, cur)), Some(roles_text(&roles, cur)))
        .record(&mut tx)
        .await?;
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "cost[0]").await?;
    tx.commit().await?;
    super::people_cost::tell(st, booked);
    Ok(team_id)
}

/// Sets a team's shares of one month; no share at all clears the month. Answers the team's id
/// and the month.
pub async fn save_shares(st: &AppState, user: &User, input: SharesInput) -> Result<(i64, Month), AppError> {
    let team_id = parse_id(&input.team, "team")?.ok_or(AppError::NotFound)?;
    let month = parse_month(&input.month).map_err(|e| AppError::field("month", e))?;
    let mut tx = begin_write(&st.pool).await?;
    let team = visible_team(&mut tx, user, team_id).await?;
    open_month(&mut tx, month).await?.map_err(|e| AppError::field("total", e))?;
    let current = repo::shares(&mut tx, Some(team_id), (month.code(), month.code())).await?;
    let form = share_form(&mut tx, &team, month, &current).await?;
    let mut p = Problems::default();
    let mut picked: Vec<(Option<i64>, Option<i64>, i64)> = Vec::new();
    for (i, key) in input.key.iter().enumerate() {
        let text = input.pct.get(i).map_or("", |s| s.trim()).trim_end_matches('%').trim();
        if text.is_empty() {
            continue;
        }
        let Some(option) = form.options.iter().find(|o| o.key == key.trim()) else {
            // Another department's initiative, or one that does not exist.
            return Err(refused(AppError::Forbidden));
        };
        let Some(pct) = p.check(&format!("pct[{i}]"), text.parse::<u8>().ok().filter(|v| *v <= 100).ok_or_else(|| format!("“{text}” is not a whole percentage from 0 to 100."))) else { continue };
        if pct == 0 {
            continue;
        }
        let id: i64 = option.key[1..].parse().map_err(|_| AppError::Internal)?;
        picked.push(if option.initiative { (Some(id), None, i64::from(pct)) } else { (None, Some(id), i64::from(pct)) });
    }
    let pcts: Vec<u8> = picked.iter().map(|x| x.2 as u8).collect();
    if !picked.is_empty() {
        if let Err(total) = shares_complete(&pcts) {
            p.add("total", format!("The shares add up to {total} %; a month's effort must add up to 100 %. Put the rest on the work it went to."));
        }
    }
    p.finish()?;
    let names = share_names(&mut tx).await?;
    let text = |rows: Vec<ShareRow>| {
        let refs: Vec<&ShareRow> = rows.iter().collect();
        if refs.is_empty() { None } else { Some(shares_text(&refs, &names)) }
    };
    let after: Vec<ShareRow> = picked.iter().map(|(i, c, pct)| ShareRow { team_id, month: month.code(), initiative_id: *i, category_id: *c, pct: *pct }).collect();
    repo::replace_shares(&mut tx, team_id, month.code(), &picked).await?;
    Entry::new(&user.actor(), "strategy", "save_time_allocation")
        .object("team", team_id, &team.name)
        .change(&format!("time in {}", month.label()), text(current), text(after))
        .record(&mut tx)
        .await?;
    let booked = super::people_cost::book(&mut tx, today(), st.config.currency, "total").await?;
    tx.commit().await?;
    super::people_cost::tell(st, booked);
    Ok((team_id, month))
}
