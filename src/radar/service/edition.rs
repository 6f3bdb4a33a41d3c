//! The radar as a picture: drawn live against the latest edition, frozen into dated editions
//! (each compared with the one before), and the part of it investors may see in a report.

use super::super::model::{Change, EntryState};
use super::super::repo::{self, EditionRecord, EntryRecord};
use super::super::view::{Blip, EditionInput, EditionPage, RadarPicture};
use super::staff;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::validate::required_text;
use sqlx::SqliteConnection;

/// The entries on the radar drawn, numbered by quadrant, ring and name; each marked new or
/// moved against `against` (an edition), when there is one.
pub(crate) fn draw(quadrants: Vec<String>, entries: &[EntryRecord], against: Option<(&str, &RadarPicture)>, id: &str, title: &str) -> Result<RadarPicture, AppError> {
    let mut placed: Vec<&EntryRecord> = entries.iter().filter(|e| e.state == EntryState::Placed && e.ring.is_some()).collect();
    placed.sort_by_cached_key(|e| (e.quadrant, e.ring.map(|r| r.index()), e.name.to_lowercase()));
    let blips: Vec<Blip> = placed
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let ring = e.ring?;
            let change = against.and_then(|(_, before)| match before.blips.iter().find(|b| b.id == e.id) {
                None => Some(Change::New),
                Some(b) if b.ring != ring => Some(Change::Moved(b.ring)),
                Some(_) => None,
            });
            Some(Blip { number: i + 1, id: e.id, name: e.name.clone(), quadrant: (e.quadrant.clamp(0, 3)) as usize, ring, change, description: e.description.clone() })
        })
        .collect();
    let svg = super::super::picture::draw(id, title, &quadrants, &blips)?;
    Ok(RadarPicture { quadrants, blips, svg, compared_with: against.map(|(t, _)| t.to_string()) })
}

fn frozen(e: &EditionRecord) -> Result<RadarPicture, AppError> {
    serde_json::from_str(&e.snapshot).map_err(|err| {
        tracing::error!(error = %err, edition = e.id, "unreadable radar edition");
        AppError::Internal
    })
}

/// The last of `editions` (oldest first) as (title, picture): what a newer radar is compared with.
pub(crate) fn last_of(editions: &[EditionRecord]) -> Result<Option<(String, RadarPicture)>, AppError> {
    editions.last().map(|e| Ok((e.title.clone(), frozen(e)?))).transpose()
}

/// Freezes the radar as it stands into a dated edition.
pub async fn publish_edition(st: &AppState, cto: &User, input: EditionInput) -> Result<i64, AppError> {
    let mut p = Problems::default();
    let title = p.check("title", required_text(&input.title, "title", 80));
    let on = p.check("published_on", crate::platform::validate::parse_day(&input.published_on, "date of the edition"));
    if on.is_some_and(|d| d > crate::platform::time::today()) {
        p.add("published_on", "An edition shows the radar as it is now: date it today or a day before.");
    }
    let mut tx = begin_write(&st.pool).await?;
    let editions = repo::editions(&mut tx).await?;
    if let Some(t) = &title {
        if editions.iter().any(|e| e.title.eq_ignore_ascii_case(t)) {
            p.add("title", "Another edition already has this title.");
        }
    }
    if let (Some(on), Some(last)) = (on, editions.last()) {
        if on.to_string() < last.published_on {
            p.add("published_on", format!("The last edition, {}, is dated {}; a new one cannot come before it.", last.title, last.published_on));
        }
    }
    let entries = repo::entries(&mut tx).await?;
    if !entries.iter().any(|e| e.state == EntryState::Placed) {
        p.add("title", "The radar has no entries yet: place one before publishing an edition.");
    }
    p.finish()?;
    let (Some(title), Some(on)) = (title, on) else { return Err(AppError::Internal) };
    let before = last_of(&editions)?;
    let picture = draw(repo::quadrants(&mut tx).await?, &entries, before.as_ref().map(|(t, p)| (t.as_str(), p)), "radar-edition", &format!("Technology radar, {title}"))?;
    let snapshot = serde_json::to_string(&picture).map_err(|_| AppError::Internal)?;
    let id = repo::insert_edition(&mut tx, &title, &on.to_string(), &snapshot, cto.id, now_unix()).await?;
    Entry::new(&cto.actor(), "radar", "publish_edition")
        .object("radar_edition", id, &title)
        .detail(format!("{} on the radar, dated {on}", crate::ui::plural(picture.blips.len() as u64, "entry", "entries")))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// What changed from one edition's picture to the next: new, moved, and left, by name.
pub fn changes(before: Option<&RadarPicture>, after: &RadarPicture) -> Vec<(String, String)> {
    let Some(before) = before else { return Vec::new() };
    let mut out: Vec<(String, String)> = after
        .blips
        .iter()
        .filter_map(|b| match before.blips.iter().find(|x| x.id == b.id) {
            None => Some((b.name.clone(), format!("New in {}", b.ring.label()))),
            Some(x) if x.ring != b.ring => Some((b.name.clone(), super::super::model::decision_words(Some(x.ring), Some(b.ring)))),
            Some(_) => None,
        })
        .collect();
    out.extend(before.blips.iter().filter(|x| !after.blips.iter().any(|b| b.id == x.id)).map(|x| (x.name.clone(), format!("Left the radar from {}", x.ring.label()))));
    out
}

pub async fn edition_page(st: &AppState, user: &User, id: i64) -> Result<EditionPage, AppError> {
    staff(user)?;
    let mut db = st.pool.acquire().await?;
    let all = repo::editions(&mut db).await?;
    let at = all.iter().position(|e| e.id == id).ok_or_else(|| crate::platform::error::refused(AppError::NotFound))?;
    let this = &all[at];
    let picture = frozen(this)?;
    let previous = at.checked_sub(1).map(|i| &all[i]);
    let before = previous.map(frozen).transpose()?;
    Ok(EditionPage {
        id,
        title: this.title.clone(),
        published_on: this.published_on.clone(),
        published_by: this.published_by.clone(),
        changes: changes(before.as_ref(), &picture),
        picture,
        previous: previous.map(|e| (e.id, e.title.clone())),
        next: all.get(at + 1).map(|e| (e.id, e.title.clone())),
    })
}

/// The radar as investors may see it in a report: only entries marked for them, compared with
/// the latest edition. `None` when the CTO keeps the radar out of reports, or marked none.
pub async fn investor_picture(db: &mut SqliteConnection) -> Result<Option<RadarPicture>, AppError> {
    if !super::investors_see_radar(&mut *db).await? {
        return Ok(None);
    }
    let visible: Vec<EntryRecord> = repo::entries(&mut *db).await?.into_iter().filter(|e| e.investor_visible).collect();
    if !visible.iter().any(|e| e.state == EntryState::Placed) {
        return Ok(None);
    }
    let before = last_of(&repo::editions(&mut *db).await?)?;
    let quadrants = repo::quadrants(&mut *db).await?;
    draw(quadrants, &visible, before.as_ref().map(|(t, p)| (t.as_str(), p)), "report-radar", "Technology radar").map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::radar::model::Ring;

    fn blip(id: i64, name: &str, ring: Ring) -> Blip {
        Blip { number: id as usize, id, name: name.into(), quadrant: 0, ring, change: None, description: String::new() }
    }

    #[test]
    fn an_edition_lists_what_is_new_moved_and_gone_since_the_one_before() {
        let before = RadarPicture { blips: vec![blip(1, "Rust", Ring::Trial), blip(2, "Kafka", Ring::Adopt), blip(3, "Perl", Ring::Hold)], ..Default::default() };
        let after = RadarPicture { blips: vec![blip(1, "Rust", Ring::Adopt), blip(2, "Kafka", Ring::Adopt), blip(4, "Wasm", Ring::Assess)], ..Default::default() };
        assert_eq!(
            changes(Some(&before), &after),
            [
                ("Rust".to_string(), "Moved from Trial to Adopt".to_string()),
                ("Wasm".to_string(), "New in Assess".to_string()),
                ("Perl".to_string(), "Left the radar from Hold".to_string()),
            ]
        );
        assert!(changes(None, &after).is_empty(), "the first edition has nothing to compare with");
    }
}
