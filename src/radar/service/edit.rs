//! Changing the radar: entries (added by the CTO, proposed by anyone on staff), the CTO's
//! decisions that move them, and the quadrants' names. Every form is checked whole, each
//! mistake at its field, before anything is written; every change leaves an audit record.

use super::super::model::{decision_words, EntryState, Ring};
use super::super::repo::{self, Decision, EntryRecord, NewEntry, INITIATIVES, OWNERS, SYSTEMS, VENDORS};
use super::super::view::{DecisionInput, EntryEditor, EntryInput, SettingsInput};
use super::{staff, visible_entry};
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::{self, Entry};
use crate::platform::db::{begin_write, chosen, now_unix};
use crate::platform::error::{parse_id, refused, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::validate::{optional_text, parse_day, required_text};

const ENTRY_AS_READ: &str = "SELECT e.name, q.name AS quadrant, e.state, e.ring, e.proposed_ring, e.proposal, e.description, u.name AS owner, i.title AS initiative,
       e.investor_visible,
       (SELECT group_concat(s.name, ', ') FROM radar_entry_systems x JOIN systems s ON s.id = x.system_id WHERE x.entry_id = e.id) AS systems,
       (SELECT group_concat(v.name, ', ') FROM radar_entry_vendors x JOIN vendors v ON v.id = x.vendor_id WHERE x.entry_id = e.id) AS vendors
     FROM radar_entries e JOIN radar_quadrants q ON q.position = e.quadrant LEFT JOIN users u ON u.id = e.owner_id
     LEFT JOIN initiatives i ON i.id = e.initiative_id WHERE e.id = ?1";

/// The CTO changes any entry; whoever proposed one from a department (its head) may change it
/// until it is decided.
pub(super) fn may_edit(user: &User, e: &EntryRecord) -> bool {
    match user.role {
        Role::Cto => true,
        Role::DepartmentHead => e.state == EntryState::Proposed && e.department_id.is_some() && e.department_id == user.department_id,
        Role::Investor => false,
    }
}

pub async fn entry_editor(st: &AppState, user: &User, id: Option<i64>) -> Result<EntryEditor, AppError> {
    staff(user)?;
    let mut db = st.pool.acquire().await?;
    let quadrants = repo::quadrants(&mut db).await?;
    let mut e = EntryEditor {
        quadrants: quadrants.into_iter().enumerate().map(|(i, n)| (i as i64, n)).collect(),
        owners: crate::platform::db::choices(&mut db, OWNERS).await?,
        initiatives: crate::platform::db::choices(&mut db, INITIATIVES).await?,
        system_choices: crate::platform::db::choices(&mut db, SYSTEMS).await?,
        vendor_choices: crate::platform::db::choices(&mut db, VENDORS).await?,
        proposing: user.role != Role::Cto,
        ring: Ring::Assess.as_str().into(),
        ..Default::default()
    };
    if let Some(id) = id {
        let r = visible_entry(&mut db, user, id).await?;
        if !may_edit(user, &r) {
            return Err(refused(AppError::Forbidden));
        }
        e.id = Some(id);
        e.proposing = r.state == EntryState::Proposed;
        e.name = r.name;
        e.quadrant = r.quadrant.to_string();
        e.ring = r.proposed_ring.or(r.ring).map(|x| x.as_str().to_string()).unwrap_or_default();
        e.description = r.description;
        e.proposal = r.proposal;
        e.owner = r.owner_id.map(|o| o.to_string()).unwrap_or_default();
        e.initiative = r.initiative_id.map(|o| o.to_string()).unwrap_or_default();
        e.investor_visible = r.investor_visible;
        e.systems = repo::systems(&mut db, id).await?.into_iter().map(|s| s.0).collect();
        e.vendors = repo::vendors(&mut db, id).await?.into_iter().map(|s| s.0).collect();
    }
    Ok(e)
}

/// Adds or changes an entry. A new one from the CTO is placed in its ring at once, with the
/// form's reason as its first decision; from a head it is a proposal for the CTO to decide.
pub async fn save_entry(st: &AppState, user: &User, input: EntryInput) -> Result<i64, AppError> {
    staff(user)?;
    let id = parse_id(&input.id, "radar entry")?;
    let mut p = Problems::default();
    let name = p.check("name", required_text(&input.name, "name", 80));
    let description = optional_text(&mut p, "description", &input.description, 2000);
    let proposal = optional_text(&mut p, "proposal", &input.proposal, 4000);
    let quadrant = match input.quadrant.trim().parse::<i64>() {
        Ok(q) if (0..4).contains(&q) => Some(q),
        _ => {
            p.add("quadrant", "Choose the quadrant it belongs in.");
            None
        }
    };
    let mut tx = begin_write(&st.pool).await?;
    let existing = match id {
        Some(id) => {
            let e = visible_entry(&mut tx, user, id).await?;
            if !may_edit(user, &e) {
                return Err(refused(AppError::Forbidden));
            }
            Some(e)
        }
        None => None,
    };
    let proposing = existing.as_ref().map_or(user.role != Role::Cto, |e| e.state == EntryState::Proposed);
    // Where an entry stands is changed by a decision; the form sets it only for a new entry or
    // a proposal.
    let ring = if existing.is_none() || proposing {
        p.check("ring", Ring::parse(&input.ring).ok_or_else(|| "Choose a ring.".to_string()))
    } else {
        None
    };
    if (existing.is_none() || proposing) && proposal.is_empty() {
        p.add("proposal", if user.role == Role::Cto && existing.is_none() { "Say why it goes in this ring: the first entry of its history." } else { "Say why the company should look at it, with any evidence." });
    }
    let owner = chosen(&mut tx, &mut p, "owner", &input.owner, OWNERS, "an owner").await?;
    let initiative = chosen(&mut tx, &mut p, "initiative", &input.initiative, INITIATIVES, "an initiative").await?;
    let mut systems = Vec::new();
    for s in &input.systems {
        systems.extend(chosen(&mut tx, &mut p, "systems", s, SYSTEMS, "systems").await?);
    }
    let mut vendors = Vec::new();
    for v in &input.vendors {
        vendors.extend(chosen(&mut tx, &mut p, "vendors", v, VENDORS, "vendors").await?);
    }
    if let Some(name) = &name {
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM radar_entries WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2").bind(name).bind(id).fetch_optional(&mut *tx).await?;
        if clash.is_some() {
            p.add("name", "The radar already has an entry with this name.");
        }
    }
    p.finish()?;
    let (Some(name), Some(quadrant)) = (name, quadrant) else { return Err(AppError::Internal) };
    // Only the CTO says what investors may see.
    let investor_visible = if user.role == Role::Cto { input.investor_visible } else { existing.as_ref().is_some_and(|e| e.investor_visible) };
    let new = NewEntry { name: &name, quadrant, description: &description, owner, initiative, investor_visible };
    let now = now_unix();
    let (saved, before) = match &existing {
        Some(e) => {
            let before = audit::select(&mut tx, ENTRY_AS_READ, e.id).await?;
            repo::update_entry(&mut tx, e.id, &new, ring.filter(|_| proposing).map(|r| (r, proposal.as_str())), now).await?;
            (e.id, before)
        }
        None => {
            let ring = ring.ok_or(AppError::Internal)?;
            let department = if user.role == Role::Cto { None } else { user.department_id };
            let saved = repo::insert_entry(&mut tx, &new, !proposing, ring, if proposing { &proposal } else { "" }, (user.id, department), now).await?;
            if !proposing {
                let today = crate::platform::time::today().to_string();
                let d = Decision { entry: saved, from: None, to: Some(ring), on: &today, reason: &proposal, evidence: "", cost_minor: None };
                repo::decide(&mut tx, &d, (user.id, &user.name), EntryState::Placed, now).await?;
            }
            (saved, None)
        }
    };
    repo::set_links(&mut tx, saved, &systems, &vendors).await?;
    let action = match (&existing, proposing) {
        (Some(_), _) => "update_entry",
        (None, true) => "propose_entry",
        (None, false) => "create_entry",
    };
    Entry::new(&user.actor(), "radar", action).object("radar_entry", saved, &name).diff(before.as_ref(), audit::select(&mut tx, ENTRY_AS_READ, saved).await?.as_ref()).record(&mut tx).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Deletes an entry with its history; editions published with it keep it as they were.
pub async fn delete_entry(st: &AppState, cto: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let before = audit::select(&mut tx, ENTRY_AS_READ, id).await?;
    let name: String = sqlx::query_scalar("DELETE FROM radar_entries WHERE id = ?1 RETURNING name").bind(id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    Entry::new(&cto.actor(), "radar", "delete_entry").object("radar_entry", id, &name).diff(before.as_ref(), None).record(&mut tx).await?;
    tx.commit().await?;
    Ok(name)
}

/// The CTO's decision on an entry: a proposal placed in a ring or declined, an entry moved to
/// another ring or taken off the radar, or one that left it placed again. Answers the entry's
/// name and the decision in words.
pub async fn decide(st: &AppState, cto: &User, input: DecisionInput) -> Result<(i64, String), AppError> {
    let id = parse_id(&input.entry, "radar entry")?.ok_or_else(|| AppError::BadRequest { message: "Say which entry this decision is about.".into() })?;
    let mut p = Problems::default();
    let to = match input.ring.trim() {
        "" => None,
        t => p.check("ring", Ring::parse(t).ok_or_else(|| "Choose a ring, or none to take it off the radar.".to_string())),
    };
    let on = p.check("decided_on", parse_day(&input.decided_on, "date of the decision"));
    if on.is_some_and(|d| d > crate::platform::time::today()) {
        p.add("decided_on", "A decision is recorded when it is taken: choose today or a day before.");
    }
    let reason = p.check("reason", required_text(&input.reason, "reason", 2000));
    let evidence = optional_text(&mut p, "evidence", &input.evidence, crate::platform::markdown::MAX_LEN);
    let cost = match input.cost.trim() {
        "" => None,
        t => p.check("cost", st.config.currency.parse(t).and_then(|m| if m < 0 { Err("Enter a cost of zero or more.".into()) } else { Ok(m) })),
    };
    let mut tx = begin_write(&st.pool).await?;
    let e = visible_entry(&mut tx, cto, id).await?;
    if input.ring.trim().is_empty() || to.is_some() {
        match (e.state, to) {
            (EntryState::Placed, Some(r)) if Some(r) == e.ring => p.add("ring", format!("{} is already in {}.", e.name, r.label())),
            (EntryState::Declined | EntryState::Retired, None) => p.add("ring", format!("{} is not on the radar: choose the ring to place it in.", e.name)),
            _ => {}
        }
    }
    p.finish()?;
    let (Some(on), Some(reason)) = (on, reason) else { return Err(AppError::Internal) };
    let from = if e.state == EntryState::Placed { e.ring } else { None };
    let state = match (e.state, to) {
        (_, Some(_)) => EntryState::Placed,
        (EntryState::Proposed, None) => EntryState::Declined,
        (_, None) => EntryState::Retired,
    };
    let on = on.to_string();
    let d = Decision { entry: id, from, to, on: &on, reason: &reason, evidence: &evidence, cost_minor: cost };
    repo::decide(&mut tx, &d, (cto.id, &cto.name), state, now_unix()).await?;
    let words = if state == EntryState::Declined { "Proposal declined".to_string() } else { decision_words(from, to) };
    Entry::new(&cto.actor(), "radar", "decide_entry")
        .object("radar_entry", id, &e.name)
        .change("ring", from.map(|r| r.label().to_string()), to.map(|r| r.label().to_string()))
        .detail(format!("{words} on {on}: {reason}"))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok((id, format!("{}: {}.", e.name, words.to_lowercase())))
}

/// Names the four quadrants at once, and says whether investor reports show the radar.
pub async fn save_settings(st: &AppState, cto: &User, input: SettingsInput) -> Result<(), AppError> {
    let mut p = Problems::default();
    let mut names: Vec<String> = Vec::new();
    for i in 0..4 {
        let field = format!("name[{i}]");
        if let Some(n) = p.check(&field, required_text(input.name.get(i).map(String::as_str).unwrap_or_default(), "name", 60)) {
            if names.iter().any(|x| x.eq_ignore_ascii_case(&n)) {
                p.add(&field, "Two quadrants cannot share a name.");
            }
            names.push(n);
        }
    }
    p.finish()?;
    let mut tx = begin_write(&st.pool).await?;
    let before = repo::quadrants(&mut tx).await?;
    // Through temporary names, since a swap would otherwise clash on the unique names.
    for i in 0..4 {
        repo::rename_quadrant(&mut tx, i, &format!("\u{1}{i}")).await?;
    }
    let mut entry = Entry::new(&cto.actor(), "radar", "save_settings").object("radar", "settings", "Radar settings");
    for (i, name) in names.iter().enumerate() {
        repo::rename_quadrant(&mut tx, i as i64, name).await?;
        if before.get(i) != Some(name) {
            entry = entry.change(&format!("quadrant {}", i + 1), before.get(i).cloned(), Some(name.clone()));
        }
    }
    let shown = super::investors_see_radar(&mut tx).await?;
    if shown != input.investors_see_radar {
        crate::platform::db::set_flag(&mut tx, super::INVESTORS_SEE_RADAR, input.investors_see_radar).await?;
        entry = entry.change("investor reports show the radar", Some(shown.to_string()), Some(input.investors_see_radar.to_string()));
    }
    entry.record(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
