//! Server-side sessions in SQLite, with an idle and an absolute timeout.
//!
//! Written here rather than with tower-sessions because the rules need queries a generic
//! session store cannot answer: end every session of a user who is deactivated or changes
//! password, and enforce both a sliding and a hard expiry.

use super::repo;
use crate::auth::User;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::time::Duration;

pub const COOKIE: &str = "northstar_session";

/// Sessions are touched at most this often, so reading a page is not a write.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub idle: Duration,
    pub absolute: Duration,
    pub secure_cookie: bool,
}

/// The session rules the settings call for.
pub fn policy(config: &crate::platform::config::Config) -> Policy {
    Policy { idle: config.session_idle, absolute: config.session_absolute, secure_cookie: config.secure_cookies }
}

/// An opaque token: 256 random bits, base64url. The database keeps only its SHA-256.
pub struct Token(pub String);

/// 256 random bits from the operating system, base64url without padding (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a token: what the database keeps instead of the token itself.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub async fn create(pool: &SqlitePool, user_id: i64, client: &str, now: i64) -> Result<Token, sqlx::Error> {
    let token = random_token();
    sqlx::query(
        r#"INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client)
           VALUES (?1, ?2, ?3, ?3, ?4)"#,
    )
    .bind(digest(&token))
    .bind(user_id)
    .bind(now)
    .bind(client)
    .execute(pool)
    .await?;
    Ok(Token(token))
}

/// The active user behind a token, or `None` when the token is unknown, expired or belongs to
/// a deactivated account; expired sessions are deleted on sight.
pub async fn resolve(pool: &SqlitePool, token: &str, policy: Policy, now: i64) -> Result<Option<User>, sqlx::Error> {
    let hash = digest(token);
    let Some(repo::SessionRow { created_at, last_seen_at, user }) = repo::session_with_user(pool, &hash).await? else { return Ok(None) };
    let idle_limit = policy.idle.as_secs() as i64;
    let absolute_limit = policy.absolute.as_secs() as i64;
    if now - last_seen_at >= idle_limit || now - created_at >= absolute_limit {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?1").bind(&hash).execute(pool).await?;
        return Ok(None);
    }
    let user = user.into_user();
    if !user.active {
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1")
            .bind(&hash)
            .bind(now)
            .execute(pool)
            .await?;
    }
    Ok(Some(user))
}

pub async fn delete(pool: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?1").bind(digest(token)).execute(pool).await?;
    Ok(())
}

/// Ends every session of a user, optionally keeping the one in use.
pub async fn delete_for_user<'e, E>(db: E, user_id: i64, keep: Option<&str>) -> Result<(), sqlx::Error>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2")
        .bind(user_id)
        .bind(keep.map(digest))
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_expired(pool: &SqlitePool, policy: Policy, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= ?1 OR created_at <= ?2")
        .bind(now - policy.idle.as_secs() as i64)
        .bind(now - policy.absolute.as_secs() as i64)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

pub fn set_cookie(token: &Token, policy: Policy) -> String {
    format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        token.0,
        policy.absolute.as_secs(),
        if policy.secure_cookie { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(policy: Policy) -> String {
    format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if policy.secure_cookie { "; Secure" } else { "" }
    )
}

/// The session token from a `Cookie` header, if there is one.
pub fn token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    crate::platform::request::cookie_in(headers, COOKIE).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_and_strict() {
        let policy = Policy { idle: Duration::from_secs(1800), absolute: Duration::from_secs(43200), secure_cookie: true };
        let c = set_cookie(&Token("abc".into()), policy);
        assert_eq!(c, "northstar_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure");
        assert!(clear_cookie(policy).contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut h = http::HeaderMap::new();
        h.append(http::header::COOKIE, "theme=dark; northstar_session=tok123".parse().unwrap());
        assert_eq!(token_from_headers(&h).as_deref(), Some("tok123"));
        let mut empty = http::HeaderMap::new();
        empty.append(http::header::COOKIE, "northstar_session=".parse().unwrap());
        assert_eq!(token_from_headers(&empty), None);
    }
}
