//! The record of processing: each system in the reader's scope with the personal data it holds
//! (or that it holds none), kept by the CTO and by each head for their department's systems.
//! Saving a system's record is its review; so is confirming it unchanged.

use super::super::privacy::{review, review_due, DataCategory, DataSubject, LegalBasis, Review};
use super::super::view::{Dpia, PrivacyCounts, PrivacyLine, PrivacyPage, PrivacyQuery, ProcessorContract, RecordEditor, RecordInput, RecordPage};
use super::{scope, visible_system};
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, chosen};
use crate::platform::error::{AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::validate::{parse_day, required_text, web_link};
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::HashMap;

const VENDORS: &str = "SELECT id, name FROM vendors ORDER BY name COLLATE NOCASE";

/// A system with its record, if it has one; `?1` is the department to keep (`NULL` for all).
#[derive(sqlx::FromRow)]
struct Row {
    system_id: i64,
    system: String,
    department: Option<String>,
    personal_data: Option<bool>,
    purpose: Option<String>,
    legal_basis: Option<LegalBasis>,
    retention: Option<String>,
    hosting: Option<String>,
    transfer: Option<bool>,
    safeguard: Option<String>,
    dpia_required: Option<bool>,
    dpia_link: Option<String>,
    dpia_on: Option<String>,
    reviewed_on: Option<String>,
    reviewed_by: Option<String>,
    categories: Option<String>,
    subjects: Option<String>,
}

const ROWS: &str = r#"
    SELECT s.id AS system_id, s.name AS system, d.name AS department,
           r.personal_data, r.purpose, r.legal_basis, r.retention, r.hosting, r.transfer, r.safeguard,
           r.dpia_required, r.dpia_link, r.dpia_on, r.reviewed_on, r.reviewed_by,
           (SELECT group_concat(category) FROM processing_categories c WHERE c.system_id = s.id) AS categories,
           (SELECT group_concat(subject) FROM processing_subjects c WHERE c.system_id = s.id) AS subjects
    FROM systems s
    LEFT JOIN departments d ON d.id = s.department_id
    LEFT JOIN processing_records r ON r.system_id = s.id
    WHERE (?1 IS NULL OR s.department_id = ?1)"#;

/// The listed keys of a `group_concat`, in the enum's own order.
fn listed<T: Copy + PartialEq>(text: &Option<String>, all: &[T], parse: fn(&str) -> Option<T>) -> Vec<T> {
    let keys: Vec<T> = text.as_deref().unwrap_or_default().split(',').filter_map(parse).collect();
    all.iter().copied().filter(|v| keys.contains(v)).collect()
}

impl Row {
    fn line(self, processors: Vec<(i64, String)>, today: NaiveDate) -> PrivacyLine {
        let reviewed = self.reviewed_on.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let categories = listed(&self.categories, DataCategory::ALL, DataCategory::parse);
        let subjects = listed(&self.subjects, DataSubject::ALL, DataSubject::parse);
        let personal = self.personal_data == Some(true);
        let sensitive = categories.iter().any(|c| c.special()) || subjects.contains(&DataSubject::Children);
        let dpia = match (personal, self.dpia_required == Some(true), self.dpia_link) {
            (false, _, _) => Dpia::NotRequired,
            (true, true, Some(link)) => Dpia::Done { link, on: self.dpia_on },
            (true, true, None) => Dpia::Missing,
            (true, false, _) if sensitive => Dpia::Advised,
            (true, false, _) => Dpia::NotRequired,
        };
        PrivacyLine {
            system_id: self.system_id,
            system: self.system,
            department: self.department,
            review: review(reviewed, today),
            personal_data: self.personal_data,
            categories,
            subjects,
            purpose: self.purpose.unwrap_or_default(),
            legal_basis: self.legal_basis,
            retention: self.retention.unwrap_or_default(),
            hosting: self.hosting.unwrap_or_default(),
            transfer: (self.transfer == Some(true)).then(|| self.safeguard.unwrap_or_default()),
            processors,
            dpia,
            reviewed_on: self.reviewed_on,
            reviewed_by: self.reviewed_by,
            review_due: reviewed.map(|d| review_due(d).to_string()),
        }
    }
}

/// The systems in scope (one, or all of a department, or every one) with their records.
pub(super) async fn lines(db: &mut SqliteConnection, dept: Option<i64>, system: Option<i64>, today: NaiveDate) -> Result<Vec<PrivacyLine>, AppError> {
    let rows = sqlx::query_as::<_, Row>(&format!("{ROWS} AND (?2 IS NULL OR s.id = ?2) ORDER BY s.name COLLATE NOCASE")).bind(dept).bind(system).fetch_all(&mut *db).await?;
    let mut processors: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    let pairs: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT p.system_id, v.id, v.name FROM processing_processors p JOIN vendors v ON v.id = p.vendor_id JOIN systems s ON s.id = p.system_id
         WHERE (?1 IS NULL OR s.department_id = ?1) AND (?2 IS NULL OR s.id = ?2) ORDER BY v.name COLLATE NOCASE",
    )
    .bind(dept)
    .bind(system)
    .fetch_all(&mut *db)
    .await?;
    for (s, v, name) in pairs {
        processors.entry(s).or_default().push((v, name));
    }
    Ok(rows.into_iter().map(|r| { let p = processors.remove(&r.system_id).unwrap_or_default(); r.line(p, today) }).collect())
}

/// One system's record (its line, recorded or not), whoever may see it.
pub(super) async fn line(db: &mut SqliteConnection, system: i64, today: NaiveDate) -> Result<PrivacyLine, AppError> {
    lines(db, None, Some(system), today).await?.pop().ok_or(AppError::NotFound)
}

pub(crate) fn count(lines: &[PrivacyLine]) -> PrivacyCounts {
    let n = |f: &dyn Fn(&PrivacyLine) -> bool| lines.iter().filter(|l| f(l)).count() as i64;
    PrivacyCounts {
        systems: lines.len() as i64,
        not_recorded: n(&|l| l.review == Review::NotRecorded),
        personal: n(&|l| l.personal_data == Some(true)),
        special: n(&|l| l.categories.iter().any(|c| c.special())),
        overdue: n(&|l| l.review == Review::Overdue),
        due: n(&|l| l.review == Review::Due),
        transfers: n(&|l| l.transfer.is_some()),
        dpia_open: n(&|l| matches!(l.dpia, Dpia::Missing | Dpia::Advised)),
    }
}

/// The record of processing in `user`'s scope, worst review first.
pub async fn register(db: &mut SqliteConnection, user: &User, q: &PrivacyQuery, today: NaiveDate) -> Result<PrivacyPage, AppError> {
    let dept = scope(user)?;
    let wanted = match q.review.trim() {
        "" => None,
        s => Some(Review::parse(s).ok_or_else(|| AppError::field("review", format!("“{s}” is not a review standing.")))?),
    };
    let all = lines(&mut *db, dept, None, today).await?;
    let counts = count(&all);
    let mut lines: Vec<PrivacyLine> = all.into_iter().filter(|l| wanted.is_none_or(|w| l.review == w)).collect();
    lines.sort_by(|a, b| a.review.cmp(&b.review).then_with(|| a.reviewed_on.cmp(&b.reviewed_on)));
    let scope = match (user.role, &user.department_name) {
        (Role::DepartmentHead, Some(d)) => format!("{d}’s systems. The CTO keeps the record for the rest of the company."),
        _ => String::new(),
    };
    Ok(PrivacyPage { lines, counts, scope })
}

/// A system's page in the record: refused as its system is (403 to a head for another
/// department's or a missing one, 404 to the CTO).
pub async fn record_page(db: &mut SqliteConnection, user: &User, system: i64, today: NaiveDate) -> Result<RecordPage, AppError> {
    visible_system(&mut *db, user, system).await?;
    let line = line(&mut *db, system, today).await?;
    let vendor_ids: Vec<i64> = line.processors.iter().map(|(id, _)| *id).collect();
    // A head sees their department's contracts and the company-wide ones, as on the budget pages.
    let dept = scope(user)?;
    let mut contracts = Vec::new();
    let mut contracted = Vec::new();
    for (vendor_id, vendor) in &line.processors {
        let found: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, ends_on FROM contracts WHERE vendor_id = ?1 AND ends_on >= ?2 AND (?3 IS NULL OR department_id IS NULL OR department_id = ?3) ORDER BY ends_on",
        )
        .bind(vendor_id)
        .bind(today.to_string())
        .bind(dept)
        .fetch_all(&mut *db)
        .await?;
        if !found.is_empty() {
            contracted.push(*vendor_id);
        }
        contracts.extend(found.into_iter().map(|(contract, ends_on)| ProcessorContract { vendor: vendor.clone(), contract, ends_on }));
    }
    let uncontracted = line.processors.iter().filter(|(id, _)| !contracted.contains(id)).map(|(_, n)| n.clone()).collect();
    let editor = editor(&mut *db, &line, vendor_ids).await?;
    Ok(RecordPage { line, contracts, uncontracted, editor })
}

async fn editor(db: &mut SqliteConnection, l: &PrivacyLine, processors: Vec<i64>) -> Result<RecordEditor, AppError> {
    let (dpia_required, dpia_link, dpia_on) = match &l.dpia {
        Dpia::Done { link, on } => (true, link.clone(), on.clone().unwrap_or_default()),
        Dpia::Missing => (true, String::new(), String::new()),
        _ => (false, String::new(), String::new()),
    };
    Ok(RecordEditor {
        system_id: l.system_id,
        personal_data: match l.personal_data {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        categories: l.categories.iter().map(|c| c.as_str().to_string()).collect(),
        subjects: l.subjects.iter().map(|c| c.as_str().to_string()).collect(),
        purpose: l.purpose.clone(),
        legal_basis: l.legal_basis.map(|b| b.as_str().to_string()).unwrap_or_default(),
        retention: l.retention.clone(),
        hosting: l.hosting.clone(),
        transfer: l.transfer.is_some(),
        safeguard: l.transfer.clone().unwrap_or_default(),
        dpia_required,
        dpia_link,
        dpia_on,
        processors,
        vendor_choices: crate::platform::db::choices(&mut *db, VENDORS).await?,
    })
}

/// What a record holds when it holds personal data.
struct Personal {
    categories: Vec<DataCategory>,
    subjects: Vec<DataSubject>,
    purpose: String,
    legal_basis: LegalBasis,
    retention: String,
    hosting: String,
    safeguard: Option<String>,
    dpia_required: bool,
    dpia_link: Option<String>,
    dpia_on: Option<NaiveDate>,
    processors: Vec<i64>,
}

fn ticked(s: &str) -> bool {
    matches!(s.trim(), "on" | "true" | "yes" | "1")
}

/// Kinds ticked in a check grid, each one of the list.
fn kinds<T: Copy + PartialEq>(p: &mut Problems, field: &str, posted: &[String], parse: fn(&str) -> Option<T>, what: &str) -> Vec<T> {
    let mut out = Vec::new();
    for s in posted.iter().filter(|s| !s.trim().is_empty()) {
        match parse(s) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => {
                p.add(field, format!("“{}” is not one of the {what} listed.", s.trim()));
                return Vec::new();
            }
        }
    }
    if out.is_empty() {
        p.add(field, format!("Tick the {what} it holds."));
    }
    out
}

/// The form's fields for a record with personal data, checked whole; `None` with the problems
/// told in `p`.
async fn check_personal(db: &mut SqliteConnection, p: &mut Problems, input: &RecordInput, today: NaiveDate) -> Result<Option<Personal>, AppError> {
    let categories = kinds(p, "categories", &input.categories, DataCategory::parse, "kinds of personal data");
    let subjects = kinds(p, "subjects", &input.subjects, DataSubject::parse, "kinds of people");
    let purpose = p.check("purpose", required_text(&input.purpose, "purpose", 500));
    let legal_basis = p.check("legal_basis", LegalBasis::parse(&input.legal_basis).ok_or_else(|| "Choose the legal basis (Art. 6(1)).".to_string()));
    let retention = p.check("retention", required_text(&input.retention, "retention period", 200));
    let hosting = p.check("hosting", required_text(&input.hosting, "hosting location", 200));
    let safeguard = if ticked(&input.transfer) {
        p.check("safeguard", required_text(&input.safeguard, "safeguard, such as an adequacy decision or standard contractual clauses", 200)).map(Some)
    } else {
        Some(None)
    };
    let dpia_required = ticked(&input.dpia_required);
    let dpia_link = p.check("dpia_link", web_link(&input.dpia_link)).flatten();
    let dpia_on = match input.dpia_on.trim() {
        "" => None,
        s => p.check("dpia_on", parse_day(s, "day of the assessment").and_then(|d| if d > today { Err("The assessment cannot be dated after today.".into()) } else { Ok(d) })),
    };
    if dpia_on.is_some() && dpia_link.is_none() {
        p.add("dpia_link", "Link the assessment you dated.");
    }
    let mut processors = Vec::new();
    for v in &input.processors {
        if let Some(id) = chosen(&mut *db, p, "processors", v, VENDORS, "a vendor").await? {
            processors.push(id);
        }
    }
    let (Some(purpose), Some(legal_basis), Some(retention), Some(hosting), Some(safeguard)) = (purpose, legal_basis, retention, hosting, safeguard) else {
        return Ok(None);
    };
    Ok(Some(Personal { categories, subjects, purpose, legal_basis, retention, hosting, safeguard, dpia_required, dpia_link, dpia_on, processors }))
}

/// Records a system's personal data (or that it holds none), as reviewed today by `user`; the
/// system's name.
pub async fn save(st: &AppState, user: &User, input: &RecordInput, today: NaiveDate) -> Result<String, AppError> {
    let system = crate::platform::error::address_id(&input.system_id)?.ok_or(AppError::NotFound)?;
    let mut tx = begin_write(&st.pool).await?;
    let name = visible_system(&mut tx, user, system).await?;
    let mut p = Problems::default();
    let personal = match input.personal_data.trim() {
        "yes" => check_personal(&mut tx, &mut p, input, today).await?,
        "no" => None,
        _ => {
            p.add("personal_data", "Say whether it holds personal data.");
            None
        }
    };
    p.finish()?;
    write(&mut tx, system, personal.as_ref(), today, &user.name).await?;
    let detail = match &personal {
        None => "holds no personal data".to_string(),
        Some(r) => format!(
            "{}; {}; {}",
            r.categories.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
            r.legal_basis.label(),
            if r.dpia_required { "DPIA required" } else { "no DPIA required" }
        ),
    };
    Entry::new(&user.actor(), "assurance", "record_processing").object("system", system, &name).detail(detail).record(&mut tx).await?;
    tx.commit().await?;
    Ok(name)
}

async fn write(db: &mut SqliteConnection, system: i64, r: Option<&Personal>, today: NaiveDate, by: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO processing_records (system_id, personal_data, purpose, legal_basis, retention, hosting, transfer, safeguard, dpia_required, dpia_link, dpia_on, reviewed_on, reviewed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (system_id) DO UPDATE SET personal_data = ?2, purpose = ?3, legal_basis = ?4, retention = ?5, hosting = ?6, transfer = ?7,
             safeguard = ?8, dpia_required = ?9, dpia_link = ?10, dpia_on = ?11, reviewed_on = ?12, reviewed_by = ?13",
    )
    .bind(system)
    .bind(r.is_some())
    .bind(r.map(|r| r.purpose.as_str()).unwrap_or_default())
    .bind(r.map(|r| r.legal_basis))
    .bind(r.map(|r| r.retention.as_str()).unwrap_or_default())
    .bind(r.map(|r| r.hosting.as_str()).unwrap_or_default())
    .bind(r.is_some_and(|r| r.safeguard.is_some()))
    .bind(r.and_then(|r| r.safeguard.as_deref()).unwrap_or_default())
    .bind(r.is_some_and(|r| r.dpia_required))
    .bind(r.and_then(|r| r.dpia_link.as_deref()))
    .bind(r.and_then(|r| r.dpia_on).map(|d| d.to_string()))
    .bind(today.to_string())
    .bind(by)
    .execute(&mut *db)
    .await?;
    reviewed(&mut *db, system, today).await?;
    for table in ["processing_categories", "processing_subjects", "processing_processors"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE system_id = ?1")).bind(system).execute(&mut *db).await?;
    }
    let Some(r) = r else { return Ok(()) };
    for c in &r.categories {
        sqlx::query("INSERT INTO processing_categories (system_id, category) VALUES (?1, ?2)").bind(system).bind(c.as_str()).execute(&mut *db).await?;
    }
    for s in &r.subjects {
        sqlx::query("INSERT INTO processing_subjects (system_id, subject) VALUES (?1, ?2)").bind(system).bind(s.as_str()).execute(&mut *db).await?;
    }
    for v in &r.processors {
        sqlx::query("INSERT OR IGNORE INTO processing_processors (system_id, vendor_id) VALUES (?1, ?2)").bind(system).bind(v).execute(&mut *db).await?;
    }
    Ok(())
}

/// Keeps the day of a review, for the posture's trend (twice in a day is one review).
pub(crate) async fn reviewed(db: &mut SqliteConnection, system: i64, day: NaiveDate) -> Result<(), AppError> {
    sqlx::query("INSERT OR IGNORE INTO processing_reviews (system_id, reviewed_on) VALUES (?1, ?2)").bind(system).bind(day.to_string()).execute(db).await?;
    Ok(())
}

/// Confirms a system's record unchanged: reviewed today by `user`. The system's name.
pub async fn confirm(st: &AppState, user: &User, system: i64, today: NaiveDate) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let name = visible_system(&mut tx, user, system).await?;
    let done = sqlx::query("UPDATE processing_records SET reviewed_on = ?2, reviewed_by = ?3 WHERE system_id = ?1").bind(system).bind(today.to_string()).bind(&user.name).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::BadRequest { message: format!("{name} has no record to confirm yet: fill in its record below.") });
    }
    reviewed(&mut tx, system, today).await?;
    Entry::new(&user.actor(), "assurance", "review_processing").object("system", system, &name).detail("confirmed unchanged").record(&mut tx).await?;
    tx.commit().await?;
    Ok(name)
}
