//! A control's page and its evidence: recorded by the CTO or the head of the control's
//! department, each with its result, a note and what shows it (a file, kept with its SHA-256
//! and size, or a link). A file is served back only as a download.

use super::super::model::Outcome;
use super::super::view::{ControlPage, EvidenceFile, EvidenceLine, EVIDENCE_PAGE};
use super::controls::{editor, Row, ROWS};
use super::scope;
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::begin_write;
use crate::platform::error::{AppError, Problems};
use crate::platform::validate::web_link;
use crate::platform::state::AppState;
use crate::platform::time::minute_utc;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

/// An evidence file's limit: screenshots, exports and signed PDFs fit; a database dump does not
/// belong in evidence.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The control `id` as `user` may see it: the CTO any, a head their department's. Another
/// department's and a missing one answer alike (403 to a head), so ids cannot be probed.
pub(super) async fn visible_control(db: &mut SqliteConnection, user: &User, id: i64) -> Result<Row, AppError> {
    let dept = scope(user)?;
    let row = sqlx::query_as::<_, Row>(&format!("{ROWS} AND c.id = ?2")).bind(None::<i64>).bind(id).fetch_optional(db).await?;
    match row {
        Some(r) if dept.is_none() || r.department_id == dept => Ok(r),
        _ => Err(user.hidden()),
    }
}

pub async fn control_page(db: &mut SqliteConnection, user: &User, id: i64, page: &str, today: NaiveDate) -> Result<ControlPage, AppError> {
    let r = visible_control(&mut *db, user, id).await?;
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM control_evidence WHERE control_id = ?1").bind(id).fetch_one(&mut *db).await?;
    let (page, pages, offset) = crate::platform::query::page_of(page, count, EVIDENCE_PAGE);
    let systems = sqlx::query_as::<_, (i64, String)>("SELECT s.id, s.name FROM control_systems x JOIN systems s ON s.id = x.system_id WHERE x.control_id = ?1 ORDER BY s.name COLLATE NOCASE")
        .bind(id)
        .fetch_all(&mut *db)
        .await?;
    let evidence = sqlx::query_as::<_, (i64, String, Outcome, String, Option<String>, Option<String>, Option<i64>, Option<String>, String, i64)>(
        "SELECT id, performed_on, result, note, link, file_name, file_size, file_sha256, by_label, at FROM control_evidence
         WHERE control_id = ?1 ORDER BY performed_on DESC, id DESC LIMIT ?2 OFFSET ?3",
    )
    .bind(id)
    .bind(EVIDENCE_PAGE)
    .bind(offset)
    .fetch_all(&mut *db)
    .await?
    .into_iter()
    .map(|(id, performed_on, outcome, note, link, name, size, sha256, by, at)| EvidenceLine {
        id,
        performed_on,
        outcome,
        note,
        link,
        file: name.zip(sha256).map(|(name, sha256)| EvidenceFile { name, size: crate::ui::bytes(size.unwrap_or(0).max(0) as u64), sha256 }),
        by,
        at: minute_utc(at),
    })
    .collect();
    let split = |s: &Option<String>| s.as_deref().unwrap_or_default().split(", ").filter(|x| !x.is_empty()).map(str::to_string).collect();
    let cto = user.role == Role::Cto;
    Ok(ControlPage {
        line: r.line(today),
        requires: r.requires.clone(),
        source: r.evidence.label().to_string(),
        adopted_on: r.adopted_on.clone(),
        retired_on: r.retired_on.clone(),
        iso27001: split(&r.iso27001),
        soc2: split(&r.soc2),
        systems,
        evidence,
        evidence_count: count,
        page,
        pages,
        can_record: r.retired_on.is_none(),
        today: today.to_string(),
        editor: if cto { Some(editor(&mut *db, Some(id), today).await?) } else { None },
    })
}

/// An uploaded file, read whole within [`MAX_FILE_BYTES`].
pub struct Upload {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The evidence form, as posted.
#[derive(Default)]
pub struct EvidenceForm {
    pub performed_on: String,
    pub outcome: String,
    pub note: String,
    pub link: String,
    pub file: Option<Upload>,
}

/// A file name as a download may carry it: its last part, without control characters.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() { "evidence".into() } else { clean }
}

/// What a recorded piece of evidence is, for the page and the API.
#[derive(Debug, serde::Serialize)]
pub struct Recorded {
    pub id: i64,
    pub control: String,
    pub outcome: Outcome,
    pub performed_on: String,
    pub sha256: Option<String>,
    pub size: Option<usize>,
}

/// Records one performance of the control `id` by `user`: checked whole, each mistake at its
/// field, and nothing stored unless all of it is right.
pub async fn record(st: &AppState, user: &User, id: i64, form: EvidenceForm, today: NaiveDate) -> Result<Recorded, AppError> {
    let mut db = st.pool.acquire().await?;
    let control = visible_control(&mut db, user, id).await?;
    drop(db);
    if control.retired_on.is_some() {
        return Err(AppError::field("outcome", "This control is retired; put it back in force to record evidence."));
    }
    let mut p = Problems::default();
    let adopted = NaiveDate::parse_from_str(&control.adopted_on, "%Y-%m-%d").unwrap_or(today);
    let performed_on = p.check(
        "performed_on",
        crate::platform::validate::parse_day(&form.performed_on, "day it was performed").and_then(|d| match d {
            d if d > today => Err("It cannot be performed after today.".into()),
            d if d < adopted.checked_sub_months(chrono::Months::new(12)).unwrap_or(NaiveDate::MIN) => {
                Err(format!("That is more than a year before the control was adopted ({adopted})."))
            }
            d => Ok(d),
        }),
    );
    let outcome = p.check("outcome", Outcome::parse(&form.outcome).ok_or_else(|| "Choose passed, failed or not applicable.".to_string()));
    let note = crate::platform::validate::optional_text(&mut p, "note", &form.note, 4000);
    match outcome {
        Some(Outcome::Failed) if note.is_empty() => p.add("note", "Say what failed and what is being done about it."),
        Some(Outcome::NotApplicable) if note.is_empty() => p.add("note", "Say why it does not apply."),
        _ => {}
    }
    let link = p.check("link", web_link(&form.link)).flatten();
    if let Some(f) = &form.file {
        if f.bytes.is_empty() {
            p.add("file", format!("{} is empty.", clean_name(&f.name)));
        } else if f.bytes.len() > MAX_FILE_BYTES {
            p.add("file", format!("{} is {}; evidence files are at most {}.", clean_name(&f.name), crate::ui::bytes(f.bytes.len() as u64), crate::ui::bytes(MAX_FILE_BYTES as u64)));
        }
    }
    if outcome == Some(Outcome::Passed) && link.is_none() && form.file.is_none() {
        p.add("file", "Attach what shows it passed: a file, or a link in the field below.");
    }
    p.finish()?;
    let (Some(performed_on), Some(outcome)) = (performed_on, outcome) else { return Err(AppError::field("outcome", "Check the form.")) };
    let mut tx = begin_write(&st.pool).await?;
    let evidence: i64 = sqlx::query_scalar(
        "INSERT INTO control_evidence (control_id, performed_on, result, note, link, by_label, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )
    .bind(id)
    .bind(performed_on.to_string())
    .bind(outcome)
    .bind(&note)
    .bind(&link)
    .bind(&user.name)
    .bind(crate::platform::db::now_unix())
    .fetch_one(&mut *tx)
    .await?;
    let sha256 = match &form.file {
        Some(f) => Some(attach(&mut tx, evidence, &f.name, &f.content_type, &f.bytes).await?),
        None => None,
    };
    let size = form.file.as_ref().map(|f| f.bytes.len());
    let name = format!("{} {}", control.code, control.title);
    let shown = form.file.as_ref().zip(sha256.as_ref()).map(|(f, sha)| format!("; file {} ({} bytes, SHA-256 {sha})", clean_name(&f.name), f.bytes.len())).unwrap_or_default();
    Entry::new(&user.actor(), "assurance", "record_evidence")
        .object("control", id, &name)
        .detail(format!("{} on {performed_on}{shown}", outcome.label()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(Changed::Controls);
    Ok(Recorded {
        id: evidence,
        control: name,
        outcome,
        performed_on: performed_on.to_string(),
        sha256,
        size,
    })
}

/// Stores `bytes` as the file of the evidence `evidence` (replacing any it had), under its
/// cleaned name, with its size and SHA-256; the SHA-256 in hexadecimal.
pub(crate) async fn attach(db: &mut SqliteConnection, evidence: i64, name: &str, content_type: &str, bytes: &[u8]) -> Result<String, AppError> {
    let sha256 = crate::platform::encode::hex(&Sha256::digest(bytes));
    let kind: String = content_type.chars().take(100).collect();
    sqlx::query("UPDATE control_evidence SET file_name = ?2, file_type = ?3, file_size = ?4, file_sha256 = ?5 WHERE id = ?1")
        .bind(evidence)
        .bind(clean_name(name))
        .bind(kind)
        .bind(bytes.len() as i64)
        .bind(&sha256)
        .execute(&mut *db)
        .await?;
    sqlx::query("INSERT INTO evidence_files (evidence_id, bytes) VALUES (?1, ?2) ON CONFLICT (evidence_id) DO UPDATE SET bytes = excluded.bytes")
        .bind(evidence)
        .bind(bytes)
        .execute(&mut *db)
        .await?;
    Ok(sha256)
}

/// An evidence file `user` may see: its name and bytes.
pub async fn file(db: &mut SqliteConnection, user: &User, evidence: i64) -> Result<(String, String, Vec<u8>), AppError> {
    let row: Option<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT control_id, file_name, file_sha256 FROM control_evidence WHERE id = ?1").bind(evidence).fetch_optional(&mut *db).await?;
    let Some((control, Some(name), Some(sha256))) = row else { return Err(user.hidden()) };
    visible_control(&mut *db, user, control).await?;
    let bytes: Vec<u8> = sqlx::query_scalar("SELECT bytes FROM evidence_files WHERE evidence_id = ?1").bind(evidence).fetch_one(&mut *db).await?;
    Ok((name, sha256, bytes))
}

/// A control past its due day, for the alert rule.
pub struct LateControl {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub department_id: Option<i64>,
    pub frequency: super::super::model::Frequency,
    pub due_on: NaiveDate,
}

/// Controls in force not performed by their due day, or due within `threshold` days.
pub async fn late_controls(db: &mut SqliteConnection, threshold: i64, today: NaiveDate) -> Result<Vec<LateControl>, AppError> {
    let rows = super::controls::rows(db, None).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let due = r.timeliness(today).due();
            let late = due < today || (threshold > 0 && (due - today).num_days() <= threshold);
            late.then(|| LateControl { id: r.id, code: r.code, title: r.title, department_id: r.department_id, frequency: r.frequency, due_on: due })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_keeps_only_its_last_part() {
        assert_eq!(clean_name("C:\\Users\\priya\\access review.pdf"), "access review.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\"b\r\nc.txt"), "abc.txt");
        assert_eq!(clean_name("..."), "evidence");
        assert_eq!(clean_name(""), "evidence");
        assert_eq!(clean_name(&"x".repeat(300)).len(), 200);
    }
}
