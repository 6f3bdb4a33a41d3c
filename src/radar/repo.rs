//! The radar's SQL: entries with what they concern, their decisions, the quadrants' names and
//! the published editions.

use super::model::{EntryState, Ring};
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EntryRecord {
    pub id: i64,
    pub name: String,
    pub quadrant: i64,
    pub state: EntryState,
    pub ring: Option<Ring>,
    pub proposed_ring: Option<Ring>,
    pub proposal: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub initiative_id: Option<i64>,
    pub initiative: Option<String>,
    pub investor_visible: bool,
    pub proposed_by: Option<String>,
    pub department_id: Option<i64>,
    /// The last decision's date, or the day it was proposed.
    pub since: String,
}

const SELECT_ENTRY: &str = "SELECT e.id, e.name, e.quadrant, e.state, e.ring, e.proposed_ring, e.proposal, e.description, e.owner_id, o.name AS owner,
       e.initiative_id, i.title AS initiative, e.investor_visible, p.name AS proposed_by, e.department_id,
       coalesce((SELECT max(m.decided_on) FROM radar_moves m WHERE m.entry_id = e.id), date(e.created_at, 'unixepoch')) AS since
     FROM radar_entries e LEFT JOIN users o ON o.id = e.owner_id LEFT JOIN users p ON p.id = e.proposed_by
     LEFT JOIN initiatives i ON i.id = e.initiative_id";

pub async fn entries(db: &mut SqliteConnection) -> Result<Vec<EntryRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_ENTRY} ORDER BY e.quadrant, e.name COLLATE NOCASE")).fetch_all(db).await?)
}

pub async fn entry(db: &mut SqliteConnection, id: i64) -> Result<EntryRecord, AppError> {
    sqlx::query_as(&format!("{SELECT_ENTRY} WHERE e.id = ?1")).bind(id).fetch_optional(db).await?.ok_or(AppError::NotFound)
}

/// The four quadrants' names, in their positions.
pub async fn quadrants(db: &mut SqliteConnection) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT name FROM radar_quadrants ORDER BY position").fetch_all(db).await?)
}

pub async fn rename_quadrant(db: &mut SqliteConnection, position: i64, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE radar_quadrants SET name = ?2 WHERE position = ?1").bind(position).bind(name).execute(db).await?;
    Ok(())
}

pub struct NewEntry<'a> {
    pub name: &'a str,
    pub quadrant: i64,
    pub description: &'a str,
    pub owner: Option<i64>,
    pub initiative: Option<i64>,
    pub investor_visible: bool,
}

/// Adds an entry as a proposal (asking for `ring`) or placed in it, by `by` of `department`.
pub async fn insert_entry(db: &mut SqliteConnection, e: &NewEntry<'_>, placed: bool, ring: Ring, proposal: &str, by: (i64, Option<i64>), now: i64) -> Result<i64, AppError> {
    let (state, ring_now) = if placed { (EntryState::Placed, Some(ring)) } else { (EntryState::Proposed, None) };
    Ok(sqlx::query_scalar(
        "INSERT INTO radar_entries (name, quadrant, state, ring, proposed_ring, proposal, description, owner_id, initiative_id, investor_visible, proposed_by, department_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13) RETURNING id",
    )
    .bind(e.name)
    .bind(e.quadrant)
    .bind(state)
    .bind(ring_now)
    .bind((!placed).then_some(ring))
    .bind(proposal)
    .bind(e.description)
    .bind(e.owner)
    .bind(e.initiative)
    .bind(e.investor_visible)
    .bind(by.0)
    .bind(by.1)
    .bind(now)
    .fetch_one(db)
    .await?)
}

/// Changes what an entry is and concerns; where it stands changes only by a decision, except a
/// proposal's asked-for ring and case, which its proposer may still change.
pub async fn update_entry(db: &mut SqliteConnection, id: i64, e: &NewEntry<'_>, proposal: Option<(Ring, &str)>, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE radar_entries SET name = ?2, quadrant = ?3, description = ?4, owner_id = ?5, initiative_id = ?6, investor_visible = ?7, updated_at = ?8,
                proposed_ring = coalesce(?9, proposed_ring), proposal = coalesce(?10, proposal) WHERE id = ?1",
    )
    .bind(id)
    .bind(e.name)
    .bind(e.quadrant)
    .bind(e.description)
    .bind(e.owner)
    .bind(e.initiative)
    .bind(e.investor_visible)
    .bind(now)
    .bind(proposal.map(|p| p.0))
    .bind(proposal.map(|p| p.1))
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_links(db: &mut SqliteConnection, id: i64, systems: &[i64], vendors: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM radar_entry_systems WHERE entry_id = ?1").bind(id).execute(&mut *db).await?;
    sqlx::query("DELETE FROM radar_entry_vendors WHERE entry_id = ?1").bind(id).execute(&mut *db).await?;
    for s in systems {
        sqlx::query("INSERT OR IGNORE INTO radar_entry_systems (entry_id, system_id) VALUES (?1, ?2)").bind(id).bind(s).execute(&mut *db).await?;
    }
    for v in vendors {
        sqlx::query("INSERT OR IGNORE INTO radar_entry_vendors (entry_id, vendor_id) VALUES (?1, ?2)").bind(id).bind(v).execute(&mut *db).await?;
    }
    Ok(())
}

pub async fn systems(db: &mut SqliteConnection, id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as("SELECT s.id, s.name FROM radar_entry_systems x JOIN systems s ON s.id = x.system_id WHERE x.entry_id = ?1 ORDER BY s.name COLLATE NOCASE").bind(id).fetch_all(db).await?)
}

pub async fn vendors(db: &mut SqliteConnection, id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as("SELECT v.id, v.name FROM radar_entry_vendors x JOIN vendors v ON v.id = x.vendor_id WHERE x.entry_id = ?1 ORDER BY v.name COLLATE NOCASE").bind(id).fetch_all(db).await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MoveRecord {
    pub from_ring: Option<Ring>,
    pub to_ring: Option<Ring>,
    pub decided_on: String,
    pub reason: String,
    pub evidence: String,
    pub cost_minor: Option<i64>,
    pub decided_by_name: String,
}

/// An entry's decisions, newest first.
pub async fn moves(db: &mut SqliteConnection, id: i64) -> Result<Vec<MoveRecord>, AppError> {
    Ok(sqlx::query_as("SELECT from_ring, to_ring, decided_on, reason, evidence, cost_minor, decided_by_name FROM radar_moves WHERE entry_id = ?1 ORDER BY decided_on DESC, id DESC")
        .bind(id)
        .fetch_all(db)
        .await?)
}

pub struct Decision<'a> {
    pub entry: i64,
    pub from: Option<Ring>,
    pub to: Option<Ring>,
    pub on: &'a str,
    pub reason: &'a str,
    pub evidence: &'a str,
    pub cost_minor: Option<i64>,
}

/// Records a decision and puts the entry where it says.
pub async fn decide(db: &mut SqliteConnection, d: &Decision<'_>, by: (i64, &str), state: EntryState, now: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO radar_moves (entry_id, from_ring, to_ring, decided_on, reason, evidence, cost_minor, decided_by, decided_by_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(d.entry)
        .bind(d.from)
        .bind(d.to)
        .bind(d.on)
        .bind(d.reason)
        .bind(d.evidence)
        .bind(d.cost_minor)
        .bind(by.0)
        .bind(by.1)
        .bind(now)
        .execute(&mut *db)
        .await?;
    sqlx::query("UPDATE radar_entries SET state = ?2, ring = ?3, updated_at = ?4 WHERE id = ?1").bind(d.entry).bind(state).bind(d.to).bind(now).execute(db).await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EditionRecord {
    pub id: i64,
    pub title: String,
    pub published_on: String,
    pub snapshot: String,
    pub published_by: Option<String>,
    /// How many entries it holds, counted by SQLite without reading the picture into Rust.
    pub entries: i64,
}

const SELECT_EDITION: &str = "SELECT e.id, e.title, e.published_on, e.snapshot, u.name AS published_by, coalesce(json_array_length(e.snapshot, '$.blips'), 0) AS entries
     FROM radar_editions e LEFT JOIN users u ON u.id = e.published_by";

/// Every edition, oldest first.
pub async fn editions(db: &mut SqliteConnection) -> Result<Vec<EditionRecord>, AppError> {
    Ok(sqlx::query_as(&format!("{SELECT_EDITION} ORDER BY e.published_on, e.id")).fetch_all(db).await?)
}

pub async fn insert_edition(db: &mut SqliteConnection, title: &str, on: &str, snapshot: &str, by: i64, now: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO radar_editions (title, published_on, snapshot, published_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id")
        .bind(title)
        .bind(on)
        .bind(snapshot)
        .bind(by)
        .bind(now)
        .fetch_one(db)
        .await?)
}

/// (id, name, quadrant, ring) of the entries on the radar an initiative adopts.
pub async fn naming_initiative(db: &mut SqliteConnection, initiative: i64) -> Result<Vec<(i64, String, i64, Option<Ring>)>, AppError> {
    Ok(sqlx::query_as("SELECT id, name, quadrant, ring FROM radar_entries WHERE initiative_id = ?1 AND state = 'placed' ORDER BY name COLLATE NOCASE").bind(initiative).fetch_all(db).await?)
}

/// The same for the entries on the radar that concern a system.
pub async fn naming_system(db: &mut SqliteConnection, system: i64) -> Result<Vec<(i64, String, i64, Option<Ring>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.name, e.quadrant, e.ring FROM radar_entry_systems x JOIN radar_entries e ON e.id = x.entry_id WHERE x.system_id = ?1 AND e.state = 'placed' ORDER BY e.name COLLATE NOCASE",
    )
    .bind(system)
    .fetch_all(db)
    .await?)
}

pub const OWNERS: &str = "SELECT id, name FROM users WHERE active = 1 AND role IN ('cto', 'department_head') ORDER BY name COLLATE NOCASE";
pub const INITIATIVES: &str = "SELECT id, title FROM initiatives ORDER BY title COLLATE NOCASE";
pub const SYSTEMS: &str = "SELECT id, name FROM systems ORDER BY name COLLATE NOCASE";
pub const VENDORS: &str = "SELECT id, name FROM vendors ORDER BY name COLLATE NOCASE";
