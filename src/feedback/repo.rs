//! Feedback's SQL: items as the lists show them, in the reader's scope; one item with what
//! decides who reads it; the choices of the forms.

use super::model::{About, Kind, Owned, State};
use super::view::{ItemRow, Subject};
use crate::access::{Page, Role};
use crate::auth::User;
use crate::platform::error::AppError;
use sqlx::SqliteConnection;

/// An item as stored, with what its subject is called.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ItemRecord {
    pub id: i64,
    pub kind: Kind,
    pub about: About,
    pub title: String,
    pub body: String,
    pub state: State,
    pub answer: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub private: bool,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub initiative_id: Option<i64>,
    pub radar_entry_id: Option<i64>,
    pub kpi_key: Option<String>,
    pub kpi_name: Option<String>,
    pub kpi_department: Option<i64>,
    pub system_id: Option<i64>,
    pub system_name: Option<String>,
    pub category_name: Option<String>,
    pub report_id: Option<i64>,
    pub report_title: Option<String>,
    pub votes: i64,
    pub comments: i64,
}

const ITEM: &str = "SELECT f.id, f.kind, f.about, f.title, f.body, f.state, f.answer, f.author_id, u.name AS author_name,
       f.department_id, d.name AS department_name, f.private, f.created_at, f.answered_at, f.closed_at, f.initiative_id, f.radar_entry_id,
       k.key AS kpi_key, k.name AS kpi_name, k.department_id AS kpi_department, f.system_id, s.name AS system_name,
       c.name AS category_name, f.report_id, r.title AS report_title,
       (SELECT count(*) FROM feedback_votes v WHERE v.item_id = f.id) AS votes,
       (SELECT count(*) FROM feedback_comments m WHERE m.item_id = f.id) AS comments
     FROM feedback_items f LEFT JOIN users u ON u.id = f.author_id LEFT JOIN departments d ON d.id = f.department_id
     LEFT JOIN kpis k ON k.id = f.kpi_id LEFT JOIN systems s ON s.id = f.system_id
     LEFT JOIN budget_categories c ON c.id = f.category_id LEFT JOIN reports r ON r.id = f.report_id";

/// The reader's scope, as `model::may_read` says it: ?1 the reader, ?2 their department, ?3 their role.
const SCOPE: &str = "(?3 = 'cto' OR f.author_id = ?1 OR (?3 = 'department_head' AND f.private = 0 AND (f.department_id IS NULL OR f.department_id = ?2)))";

impl ItemRecord {
    pub fn owned(&self) -> Owned {
        Owned { author_id: self.author_id, department_id: self.department_id, private: self.private }
    }

    /// What it is about, linked when the reader may open that page.
    pub fn subject(&self, reader: &User) -> Subject {
        let named = |what: &str, name: &Option<String>| format!("{what}: {}", name.as_deref().unwrap_or("(deleted)"));
        match self.about {
            About::Technology => Subject { label: "Technology in general".into(), link: None },
            About::Kpi => Subject {
                label: named("KPI", &self.kpi_name),
                link: self
                    .kpi_key
                    .as_ref()
                    .filter(|_| reader.role == Role::Cto || (reader.role == Role::DepartmentHead && (self.kpi_department.is_none() || self.kpi_department == reader.department_id)))
                    .map(|k| Page::KpiDetail.href(&[k])),
            },
            About::System => Subject {
                label: named("System", &self.system_name),
                link: self.system_id.filter(|_| reader.role != Role::Investor && self.system_name.is_some()).map(|id| Page::InfraSystem.href(&[&id])),
            },
            About::Budget => Subject {
                label: named("Budget", &self.category_name),
                link: (reader.role != Role::Investor).then(|| Page::Budgets.path().to_string()),
            },
            About::Report => Subject {
                label: named("Report", &self.report_title),
                link: self.report_id.filter(|_| reader.role != Role::DepartmentHead && self.report_title.is_some()).map(|id| Page::ReportDetail.href(&[&id])),
            },
        }
    }

    pub fn row(&self, reader: &User, now: i64) -> ItemRow {
        let author = if self.author_id == Some(reader.id) {
            "You".to_string()
        } else {
            let name = self.author_name.clone().unwrap_or_else(|| "A former user".into());
            match &self.department_name {
                Some(d) => format!("{name}, {d}"),
                None => name,
            }
        };
        ItemRow {
            id: self.id,
            kind: self.kind,
            title: self.title.clone(),
            subject: self.subject(reader),
            state: self.state,
            votes: self.votes,
            comments: self.comments,
            author,
            created_on: crate::platform::time::date_of(self.created_at).to_string(),
            age_days: (now - self.created_at).max(0) / crate::platform::time::DAY,
        }
    }
}

fn bind_scope<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments<'q>>,
    reader: &User,
) -> sqlx::query::QueryAs<'q, sqlx::Sqlite, O, sqlx::sqlite::SqliteArguments<'q>> {
    q.bind(reader.id).bind(reader.department_id).bind(reader.role.as_str())
}

/// The items the reader may see, newest first; `filter` narrows them further in SQL (it may
/// use ?4).
pub async fn items(db: &mut SqliteConnection, reader: &User, filter: &str, arg: Option<i64>) -> Result<Vec<ItemRecord>, AppError> {
    let sql = format!("{ITEM} WHERE {SCOPE} AND ({filter}) ORDER BY f.created_at DESC, f.id DESC");
    Ok(bind_scope(sqlx::query_as::<_, ItemRecord>(&sql), reader).bind(arg).fetch_all(&mut *db).await?)
}

pub async fn item(db: &mut SqliteConnection, id: i64) -> Result<ItemRecord, AppError> {
    sqlx::query_as::<_, ItemRecord>(&format!("{ITEM} WHERE f.id = ?1")).bind(id).fetch_optional(&mut *db).await?.ok_or(AppError::NotFound)
}

/// The column that names what an item is about; none for technology in general.
pub fn target_column(about: About) -> Option<&'static str> {
    match about {
        About::Kpi => Some("kpi_id"),
        About::System => Some("system_id"),
        About::Budget => Some("category_id"),
        About::Report => Some("report_id"),
        About::Technology => None,
    }
}

/// A new item as filed: by the form, or by the demo with its own time.
pub struct NewItem<'a> {
    pub kind: Kind,
    pub about: About,
    pub target: Option<i64>,
    pub title: &'a str,
    pub body: &'a str,
    pub author: i64,
    pub department: Option<i64>,
    pub private: bool,
    pub at: i64,
}

pub async fn insert_item(db: &mut SqliteConnection, n: &NewItem<'_>) -> Result<i64, AppError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO feedback_items (kind, about, title, body, author_id, department_id, private, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
    )
    .bind(n.kind.as_str())
    .bind(n.about.as_str())
    .bind(n.title)
    .bind(n.body)
    .bind(n.author)
    .bind(n.department)
    .bind(n.private)
    .bind(n.at)
    .fetch_one(&mut *db)
    .await?;
    if let (Some(column), Some(target)) = (target_column(n.about), n.target) {
        sqlx::query(&format!("UPDATE feedback_items SET {column} = ?2 WHERE id = ?1")).bind(id).bind(target).execute(&mut *db).await?;
    }
    Ok(id)
}

/// A notice for `user` about an item; `read_at` for one already read (the demo's older ones).
pub async fn notify(db: &mut SqliteConnection, user: i64, item: i64, text: &str, at: i64, read_at: Option<i64>) -> Result<(), AppError> {
    let link = Page::FeedbackItem.href(&[&item]);
    sqlx::query("INSERT INTO notices (user_id, item_id, text, link, created_at, read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(user)
        .bind(item)
        .bind(text)
        .bind(link)
        .bind(at)
        .bind(read_at)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// The KPIs a reader may give feedback about, as a choices query: a head's department's and
/// the company-wide ones; the CTO every one.
pub fn kpi_choices(reader: &User) -> String {
    match (reader.role, reader.department_id) {
        (Role::Cto, _) => "SELECT id, name FROM kpis ORDER BY name COLLATE NOCASE".into(),
        (_, Some(d)) => format!("SELECT id, name FROM kpis WHERE department_id IS NULL OR department_id = {d} ORDER BY name COLLATE NOCASE"),
        (_, None) => "SELECT id, name FROM kpis WHERE department_id IS NULL ORDER BY name COLLATE NOCASE".into(),
    }
}

pub const SYSTEMS: &str = "SELECT id, name FROM systems ORDER BY name COLLATE NOCASE";
pub const CATEGORIES: &str = "SELECT id, name FROM budget_categories ORDER BY position, name";
/// Reports an investor may open: those with a published version. The CTO: every report.
pub const PUBLISHED_REPORTS: &str = "SELECT id, title FROM reports r WHERE EXISTS (SELECT 1 FROM report_versions v WHERE v.report_id = r.id) ORDER BY id DESC";
pub const ALL_REPORTS: &str = "SELECT id, title FROM reports ORDER BY id DESC";
pub const INITIATIVES: &str = "SELECT id, title FROM initiatives ORDER BY title COLLATE NOCASE";
pub const RADAR_ENTRIES: &str = "SELECT id, name FROM radar_entries WHERE state IN ('proposed', 'placed') ORDER BY name COLLATE NOCASE";
