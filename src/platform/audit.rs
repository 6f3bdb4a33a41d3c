//! The audit trail's write side: who changed what, written in the same transaction as the
//! change, so a change without its record (or a record without its change) cannot exist.
//! Reading and showing the trail is Admin's (`admin::audit`).

use serde::{Deserialize, Serialize};
use sqlx::{Column, Row, SqliteConnection, TypeInfo, ValueRef};
use std::collections::BTreeMap;

super::named::named_enum!(ActorKind {
    User = "user" / "Person",
    Token = "token" / "API token",
    Link = "link" / "Share link",
    Anonymous = "anonymous" / "Not signed in",
    System = "system" / "Northstar",
    CommandLine = "cli" / "Command line",
});

/// Who made a change, with the name as it is now: the trail keeps it when the account is
/// renamed later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    pub id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn user(id: i64, name: &str) -> Actor {
        Actor { kind: ActorKind::User, id: Some(id), label: name.to_string() }
    }
    pub fn token(id: i64, name: &str) -> Actor {
        Actor { kind: ActorKind::Token, id: Some(id), label: format!("token “{name}”") }
    }
    pub fn link(id: i64, label: &str) -> Actor {
        Actor { kind: ActorKind::Link, id: Some(id), label: format!("share link “{label}”") }
    }
    /// Someone not signed in, named by what they typed and where from.
    pub fn anonymous(claimed: &str, client: &str) -> Actor {
        Actor { kind: ActorKind::Anonymous, id: None, label: format!("{claimed} from {client}") }
    }
    pub fn system() -> Actor {
        Actor { kind: ActorKind::System, id: None, label: "Northstar".into() }
    }
    pub fn command_line() -> Actor {
        Actor { kind: ActorKind::CommandLine, id: None, label: "command line".into() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// What a secret column shows in the trail: that it changed, never its value or hash.
const SECRET: &str = "(secret)";

/// One record of the trail, built up and then written with [`Entry::record`].
#[must_use = "an audit entry is written only by `record`"]
#[derive(Clone, Debug)]
pub struct Entry {
    actor: Actor,
    area: &'static str,
    action: &'static str,
    object: (&'static str, String, String),
    changes: Vec<Change>,
    detail: String,
    at: Option<i64>,
}

impl Entry {
    /// `area` is the part of the app (`kpis`, `budgets`...), `action` what happened
    /// (`save_expense`), as the Admin filters list them.
    pub fn new(actor: &Actor, area: &'static str, action: &'static str) -> Entry {
        Entry { actor: actor.clone(), area, action, object: ("", String::new(), String::new()), changes: Vec::new(), detail: String::new(), at: None }
    }

    /// The record it concerns: its kind (`expense`), its id as its page addresses it (a
    /// number or a key) and a name a person recognises.
    pub fn object(mut self, kind: &'static str, id: impl ToString, label: impl Into<String>) -> Entry {
        self.object = (kind, id.to_string(), label.into());
        self
    }

    /// A field's value before and after; an unchanged field is left out.
    pub fn change(mut self, field: &str, before: Option<String>, after: Option<String>) -> Entry {
        if before != after {
            self.changes.push(Change { field: field.to_string(), before, after });
        }
        self
    }

    /// A secret that was set or replaced: the trail says so and shows no value.
    pub fn secret(mut self, field: &str) -> Entry {
        self.changes.push(Change { field: field.to_string(), before: None, after: Some(SECRET.into()) });
        self
    }

    /// Every column that differs between two readings of a row (see [`row`]): none before
    /// means created, none after means deleted. Money columns keep their minor units and
    /// `_minor` name; the trail's reader shows them in the configured currency.
    pub fn diff(mut self, before: Option<&Fields>, after: Option<&Fields>) -> Entry {
        let empty = Fields::new();
        let (b, a) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
        let mut names: Vec<&String> = b.keys().chain(a.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            if IGNORED.contains(&name.as_str()) {
                continue;
            }
            let (old, new) = (b.get(name).cloned().flatten(), a.get(name).cloned().flatten());
            if old == new {
                continue;
            }
            self.changes.push(hide_secret(name, old, new));
        }
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = detail.into();
        self
    }

    /// Back-dates the record: only demo data, which tells a week of history, does this.
    pub fn at(mut self, unix_millis: i64) -> Entry {
        self.at = Some(unix_millis);
        self
    }

    pub async fn record(self, db: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let at = self.at.unwrap_or_else(super::db::now_millis);
        let changes = serde_json::to_string(&self.changes).expect("changes serialize");
        sqlx::query(
            "INSERT INTO audit_events (at, actor_kind, actor_id, actor, area, action, object_kind, object_id, object_label, changes, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .bind(at)
        .bind(self.actor.kind)
        .bind(self.actor.id)
        .bind(&self.actor.label)
        .bind(self.area)
        .bind(self.action)
        .bind(self.object.0)
        .bind(&self.object.1)
        .bind(&self.object.2)
        .bind(changes)
        .bind(&self.detail)
        .execute(db)
        .await?;
        Ok(())
    }
}

/// A row read for the trail: each column's value as text, `None` for NULL.
pub type Fields = BTreeMap<String, Option<String>>;

/// One field of a reading as text, empty when the row or the value is missing: for labels.
pub fn value(fields: Option<&Fields>, name: &str) -> String {
    fields.and_then(|f| f.get(name).cloned().flatten()).unwrap_or_default()
}

/// Columns that are bookkeeping, not content: when the row changed is the record's own time.
const IGNORED: &[&str] = &["id", "created_at", "updated_at", "data_version"];

/// Reads one row by id as text fields, to diff before and after a change. `table` is a name
/// from our code, never from a request.
pub async fn row(db: &mut SqliteConnection, table: &'static str, id: i64) -> Result<Option<Fields>, sqlx::Error> {
    debug_assert!(table.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{table}");
    let found = sqlx::query(&format!("SELECT * FROM {table} WHERE id = ?1")).bind(id).fetch_optional(db).await?;
    Ok(found.map(|r| fields(&r)))
}

/// Like [`row`], through a query of ours that takes the id as `?1`: for records whose
/// references a person should read by name (an expense's department, not its id).
pub async fn select(db: &mut SqliteConnection, sql: &'static str, id: i64) -> Result<Option<Fields>, sqlx::Error> {
    let found = sqlx::query(sql).bind(id).fetch_optional(db).await?;
    Ok(found.map(|r| fields(&r)))
}

fn fields(r: &sqlx::sqlite::SqliteRow) -> Fields {
    r.columns()
        .iter()
        .map(|c| {
            let raw = r.try_get_raw(c.ordinal()).ok();
            let value = match raw.filter(|v| !v.is_null()).map(|v| v.type_info().name().to_string()) {
                None => None,
                Some(t) if t == "INTEGER" => r.try_get::<i64, _>(c.ordinal()).ok().map(|v| v.to_string()),
                Some(t) if t == "REAL" => r.try_get::<f64, _>(c.ordinal()).ok().map(|v| v.to_string()),
                Some(t) if t == "BLOB" => Some(SECRET.to_string()),
                Some(_) => r.try_get::<String, _>(c.ordinal()).ok(),
            };
            (c.name().to_string(), value)
        })
        .collect()
}

/// Secrets (`*_hash`, passwords, blobs) never show a value, only that they changed.
fn hide_secret(name: &str, before: Option<String>, after: Option<String>) -> Change {
    if name.ends_with("_hash") || name.contains("password") || name.contains("secret") {
        return Change { field: name.trim_end_matches("_hash").to_string(), before: None, after: Some(SECRET.into()) };
    }
    Change { field: name.to_string(), before, after }
}

/// A field as a person reads it: money columns (`*_minor`) as amounts in `currency`.
pub fn readable(change: &Change, currency: crate::platform::money::Currency) -> (String, Option<String>, Option<String>) {
    match change.field.strip_suffix("_minor") {
        Some(field) => {
            let money = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok()).map(|m| currency.plain(m));
            (field.to_string(), money(&change.before), money(&change.after))
        }
        None => (change.field.clone(), change.before.clone(), change.after.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool() -> sqlx::SqlitePool {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        crate::platform::db::migrate(&pool).await.unwrap();
        pool
    }

    #[tokio::test]
    async fn the_trail_refuses_updates_and_deletes() {
        let pool = pool().await;
        let mut conn = pool.acquire().await.unwrap();
        Entry::new(&Actor::system(), "admin", "test").record(&mut conn).await.unwrap();
        let update = sqlx::query("UPDATE audit_events SET actor = 'someone else'").execute(&mut *conn).await.unwrap_err();
        assert!(update.to_string().contains("cannot be changed"), "{update}");
        let delete = sqlx::query("DELETE FROM audit_events").execute(&mut *conn).await.unwrap_err();
        assert!(delete.to_string().contains("cannot be deleted"), "{delete}");
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events").fetch_one(&mut *conn).await.unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_diff_names_changed_fields_shows_money_as_money_and_hides_secrets() {
        let before: Fields = [("id", Some("7")), ("amount_minor", Some("123450")), ("vendor", Some("Acme")), ("note", None), ("password_hash", Some("x"))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect();
        let mut after = before.clone();
        after.insert("amount_minor".into(), Some("99".into()));
        after.insert("note".into(), Some("corrected".into()));
        after.insert("password_hash".into(), Some("y".into()));
        let entry = Entry::new(&Actor::system(), "budgets", "save_expense").diff(Some(&before), Some(&after));
        let usd = crate::platform::money::Currency::usd();
        let got: Vec<(String, Option<String>, Option<String>)> = entry.changes.iter().map(|c| readable(c, usd)).collect();
        assert_eq!(
            got,
            vec![
                ("amount".into(), Some("1234.50".into()), Some("0.99".into())),
                ("note".into(), None, Some("corrected".into())),
                ("password".into(), None, Some(SECRET.into())),
            ]
        );
    }

    #[test]
    fn a_created_row_lists_its_values_and_a_deleted_one_what_it_held() {
        let row: Fields = [("id", Some("1")), ("name", Some("Cloud")), ("archived", None)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect();
        let created = Entry::new(&Actor::system(), "budgets", "save_category").diff(None, Some(&row));
        assert_eq!(created.changes, vec![Change { field: "name".into(), before: None, after: Some("Cloud".into()) }]);
        let deleted = Entry::new(&Actor::system(), "budgets", "delete_category").diff(Some(&row), None);
        assert_eq!(deleted.changes, vec![Change { field: "name".into(), before: Some("Cloud".into()), after: None }]);
    }

    #[tokio::test]
    async fn a_row_reads_each_column_as_text() {
        let pool = pool().await;
        let mut conn = pool.acquire().await.unwrap();
        let id: i64 = sqlx::query_scalar("INSERT INTO departments (name) VALUES ('Finance') RETURNING id").fetch_one(&mut *conn).await.unwrap();
        let fields = row(&mut conn, "departments", id).await.unwrap().unwrap();
        assert_eq!(fields.get("name"), Some(&Some("Finance".to_string())));
        assert!(row(&mut conn, "departments", id + 100).await.unwrap().is_none());
    }
}
