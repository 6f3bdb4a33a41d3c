//! Reading the radar: the page with its picture, and one entry with its history.

use super::super::model::{decision_words, EntryState};
use super::super::repo::{self, EntryRecord};
use super::super::view::{EditionRow, EntryPage, EntryRow, MoveRow, RadarView};
use super::{may_see, staff, visible_entry};
use crate::access::Role;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::state::AppState;

fn row(e: &EntryRecord, quadrants: &[String]) -> EntryRow {
    EntryRow {
        id: e.id,
        name: e.name.clone(),
        quadrant: quadrants.get(e.quadrant as usize).cloned().unwrap_or_default(),
        state: e.state,
        ring: e.ring,
        proposed_ring: e.proposed_ring,
        proposed_by: e.proposed_by.clone(),
        since: e.since.clone(),
    }
}

pub async fn radar(st: &AppState, user: &User) -> Result<RadarView, AppError> {
    staff(user)?;
    let mut db = st.pool.acquire().await?;
    let quadrants = repo::quadrants(&mut db).await?;
    let entries: Vec<EntryRecord> = repo::entries(&mut db).await?.into_iter().filter(|e| may_see(user, e)).collect();
    let editions = repo::editions(&mut db).await?;
    let latest = super::edition::last_of(&editions)?;
    let picture = super::edition::draw(quadrants.clone(), &entries, latest.as_ref().map(|(t, p)| (t.as_str(), p)), "radar", "Technology radar")?;
    let mut off: Vec<EntryRow> = entries.iter().filter(|e| matches!(e.state, EntryState::Declined | EntryState::Retired)).map(|e| row(e, &quadrants)).collect();
    off.sort_by(|a, b| b.since.cmp(&a.since));
    Ok(RadarView {
        picture,
        proposals: entries.iter().filter(|e| e.state == EntryState::Proposed).map(|e| row(e, &quadrants)).collect(),
        off,
        editions: editions
            .iter()
            .rev()
            .map(|e| EditionRow {
                id: e.id,
                title: e.title.clone(),
                published_on: e.published_on.clone(),
                entries: usize::try_from(e.entries).unwrap_or_default(),
            })
            .collect(),
        decides: user.role == Role::Cto,
        investors_see_radar: super::investors_see_radar(&mut db).await?,
        today: crate::platform::time::today().to_string(),
    })
}

pub async fn entry_page(st: &AppState, user: &User, id: i64) -> Result<EntryPage, AppError> {
    let mut db = st.pool.acquire().await?;
    let e = visible_entry(&mut db, user, id).await?;
    let quadrants = repo::quadrants(&mut db).await?;
    let cur = st.config.currency;
    let history = repo::moves(&mut db, id)
        .await?
        .into_iter()
        .map(|m| MoveRow {
            words: decision_words(m.from_ring, m.to_ring),
            decided_on: m.decided_on,
            reason: m.reason,
            evidence_html: crate::platform::markdown::to_html(&m.evidence),
            cost: m.cost_minor.map(|c| cur.format(c)),
            by: m.decided_by_name,
        })
        .collect();
    let cto = user.role == Role::Cto;
    Ok(EntryPage {
        id,
        name: e.name.clone(),
        quadrant: quadrants.get(e.quadrant as usize).cloned().unwrap_or_default(),
        state: e.state,
        ring: e.ring,
        proposed_ring: e.proposed_ring,
        proposal: e.proposal.clone(),
        proposed_by: e.proposed_by.clone(),
        description: e.description.clone(),
        owner: e.owner.clone(),
        initiative: e.initiative_id.zip(e.initiative.clone()),
        systems: repo::systems(&mut db, id).await?,
        vendors: repo::vendors(&mut db, id).await?.into_iter().map(|v| v.1).collect(),
        investor_visible: e.investor_visible,
        history,
        can_edit: super::edit::may_edit(user, &e),
        decides: cto,
        today: crate::platform::time::today().to_string(),
    })
}
