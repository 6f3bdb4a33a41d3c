//! Token storage: only SHA-256 hashes are kept; verification is one indexed lookup.

use super::{ApiToken, NewToken, PREFIX};
use crate::auth::session::{digest, random_token};
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::audit::Entry;
use crate::platform::db::begin_write;
use sqlx::SqlitePool;

pub async fn list(pool: &SqlitePool) -> Result<Vec<ApiToken>, AppError> {
    let rows: Vec<(i64, String, String, Option<String>, String, Option<String>, Option<String>)> = sqlx::query_as(
        r#"SELECT t.id, t.name, t.prefix, u.name, t.created_at, t.last_used_at, t.revoked_at
           FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by
           ORDER BY t.revoked_at IS NOT NULL, t.id DESC"#,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, prefix, created_by, created_at, last_used_at, revoked_at)| ApiToken {
            id,
            name,
            prefix,
            created_by,
            created_at,
            last_used_at,
            revoked_at,
        })
        .collect())
}

pub async fn create(pool: &SqlitePool, cto: &User, name: &str) -> Result<NewToken, AppError> {
    let name = crate::platform::validate::required_text(name, "name", 80).map_err(|m| AppError::field("name", m))?;
    let secret = format!("{PREFIX}{}", random_token());
    let mut tx = begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (name, token_hash, prefix, created_by) VALUES (?1, ?2, ?3, ?4) RETURNING id")
        .bind(&name)
        .bind(digest(&secret))
        .bind(&secret[..PREFIX.len() + 6])
        .bind(cto.id)
        .fetch_one(&mut *tx)
        .await?;
    Entry::new(&cto.actor(), "admin", "create_api_token")
        .object("api_token", id, &name)
        .change("prefix", None, Some(secret[..PREFIX.len() + 6].to_string()))
        .secret("token")
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(NewToken { name, secret })
}

/// Revokes a live token; its name, for the message.
pub async fn revoke(pool: &SqlitePool, cto: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(pool).await?;
    let name: Option<(String,)> = sqlx::query_as(
        "UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1 AND revoked_at IS NULL RETURNING name",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (name,) = name.ok_or(AppError::NotFound)?;
    Entry::new(&cto.actor(), "admin", "revoke_api_token").object("api_token", id, &name).change("revoked", Some("no".into()), Some("yes".into())).record(&mut tx).await?;
    tx.commit().await?;
    Ok(name)
}

/// The author of an API request, from its `Authorization: Bearer` header; else the 401 answer
/// saying what is wrong (no token, or one unknown or revoked).
pub async fn bearer(pool: &SqlitePool, headers: &axum::http::HeaderMap) -> Result<crate::platform::audit::Actor, axum::response::Response> {
    use crate::platform::api_error::{api_error, plain_error};
    use axum::http::{header, HeaderValue, StatusCode};
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let Some(presented) = presented.filter(|t| !t.is_empty()) else {
        let mut res = plain_error(StatusCode::UNAUTHORIZED, "Missing API token: send the header Authorization: Bearer <token>.");
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(res);
    };
    match verify(pool, presented).await {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => {
            let mut res = plain_error(StatusCode::UNAUTHORIZED, "The API token is not valid or has been revoked.");
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
            Err(res)
        }
        Err(e) => Err(api_error(e.into())),
    }
}

/// The live token presented, as the author of what it sends, or `None` for unknown and
/// revoked tokens alike.
pub async fn verify(pool: &SqlitePool, presented: &str) -> Result<Option<crate::platform::audit::Actor>, sqlx::Error> {
    let row: Option<(i64, String)> = sqlx::query_as("SELECT id, name FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS NULL")
        .bind(digest(presented))
        .fetch_optional(pool)
        .await?;
    if let Some((id, _)) = &row {
        let id = *id;
        // Minute precision is plenty for "last used", and spares a write per request.
        sqlx::query(
            r#"UPDATE api_tokens SET last_used_at = strftime('%Y-%m-%dT%H:%M:00Z', 'now')
               WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < strftime('%Y-%m-%dT%H:%M:00Z', 'now'))"#,
        )
        .bind(id)
        .execute(pool)
        .await?;
    }
    Ok(row.map(|(id, name)| crate::platform::audit::Actor::token(id, &name)))
}
