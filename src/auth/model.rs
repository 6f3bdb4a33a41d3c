//! Accounts as the browser sees them, and the rules their fields must follow.

use crate::access::Role;
use serde::{Deserialize, Serialize};

/// A signed-in person. Never carries the password hash: that type lives only on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub active: bool,
}

#[cfg(feature = "ssr")]
impl User {
    /// This user as the author of a change in the audit trail.
    pub fn actor(&self) -> crate::platform::audit::Actor {
        crate::platform::audit::Actor::user(self.id, &self.name)
    }

    /// What a record this user may not see, or that does not exist, answers: 404 to the CTO,
    /// who sees everything, and to anyone else the same 403 either way, so ids cannot be probed.
    pub fn hidden(&self) -> crate::platform::error::AppError {
        use crate::platform::error::{refused, AppError};
        refused(if self.role == crate::access::Role::Cto { AppError::NotFound } else { AppError::Forbidden })
    }
}

/// The author of a change made by a user, or by the command line when there is none.
#[cfg(feature = "ssr")]
pub fn actor_of(user: Option<&User>) -> crate::platform::audit::Actor {
    user.map(User::actor).unwrap_or_else(crate::platform::audit::Actor::command_line)
}

/// Where to go after signing in: a path on this site, never another host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub user: User,
    pub redirect_to: String,
}

pub const EMAIL_MAX: usize = 254;
pub const NAME_MAX: usize = 100;
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;
/// Sign-in accepts anything up to this length, so that older, shorter passwords keep working,
/// but refuses to spend a hash on megabytes of input.
pub const LOGIN_PASSWORD_MAX: usize = 1024;

/// Normalises an email address: trimmed and lower-cased, so one person has one account.
pub fn parse_email(input: &str) -> Result<String, String> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err("Enter an email address.".into());
    }
    if email.chars().count() > EMAIL_MAX {
        return Err(format!("An email address has at most {EMAIL_MAX} characters."));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("An email address needs an @, as in name@example.com.".into());
    };
    if local.is_empty() || domain.is_empty() || domain.contains('@') {
        return Err("Enter an email address in the form name@example.com.".into());
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("An email address cannot contain spaces.".into());
    }
    Ok(email)
}

pub fn parse_name(input: &str) -> Result<String, String> {
    crate::platform::validate::required_text(input, "name", NAME_MAX)
}

/// A new password: long rather than complicated, as current NIST guidance (SP 800-63B) advises.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(format!("Use at least {PASSWORD_MIN} characters."));
    }
    if len > PASSWORD_MAX {
        return Err(format!("Use at most {PASSWORD_MAX} characters."));
    }
    if password.trim().is_empty() {
        return Err("A password cannot be only spaces.".into());
    }
    Ok(())
}

/// Only same-site paths are followed after sign-in; anything else (another host, `//evil`,
/// `javascript:`) falls back to the role's home page.
pub fn safe_next(next: Option<&str>, role: Role) -> String {
    match next {
        Some(p) if is_same_site_path(p) => p.to_string(),
        _ => role.home().path().to_string(),
    }
}

/// A path on this site and nothing that a browser could read as another host: one leading
/// slash and printable ASCII only (browsers drop tabs and newlines inside URLs, and treat a
/// backslash as a slash, which turns `/\t/evil.example` into `//evil.example`). The path part
/// must stay so after percent-decoding, however often it was encoded, in case anything on the
/// way decodes it again; the query may decode to anything (a search for `a b`).
pub fn is_same_site_path(path: &str) -> bool {
    const MAX: usize = 2048;
    if path.len() > MAX || !is_plain_path(path) {
        return false;
    }
    let mut text = path.split(['?', '#']).next().unwrap_or_default().to_string();
    for _ in 0..4 {
        match percent_decode(&text) {
            Some(decoded) if decoded == text => return true,
            Some(decoded) if is_plain_path(&decoded) => text = decoded,
            // Decodes to a control character, a backslash, a second slash or bytes that are
            // not UTF-8: not a path a page of ours would have.
            _ => return false,
        }
    }
    false
}

fn is_plain_path(p: &str) -> bool {
    let b = p.as_bytes();
    b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/' | b'\\')) && b.iter().all(|c| (0x21..=0x7e).contains(c) && *c != b'\\')
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push(h * 16 + l);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        let ok = [("  Alex@Example.COM ", "alex@example.com"), ("a@b", "a@b")];
        for (input, want) in ok {
            assert_eq!(parse_email(input).as_deref(), Ok(want), "{input:?}");
        }
        let bad = ["", "   ", "alex", "@example.com", "alex@", "a@b@c", "a b@c.d"];
        for input in bad {
            assert!(parse_email(input).is_err(), "{input:?} should be refused");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(parse_email(&long).unwrap_err().contains("254"));
    }

    #[test]
    fn names() {
        assert_eq!(parse_name("  Ada Lovelace ").as_deref(), Ok("Ada Lovelace"));
        assert!(parse_name("").is_err());
        assert!(parse_name(&"x".repeat(101)).is_err());
        assert!(parse_name("a\u{7}b").is_err());
    }

    #[test]
    fn passwords() {
        assert!(check_new_password("correct horse battery").is_ok());
        assert!(check_new_password("short").unwrap_err().contains("12"));
        assert!(check_new_password(&"x".repeat(129)).unwrap_err().contains("128"));
        assert!(check_new_password("             ").is_err());
        // Length counts characters, not bytes.
        assert!(check_new_password("ééééééééééé").is_err());
        assert!(check_new_password("éééééééééééé").is_ok());
    }

    #[test]
    fn next_paths() {
        let kept = ["/kpis", "/kpis?range=90d&q=a%20b%26c", "/reports/3", "/budgets#top", "/kpis/p95-latency?range=1y", "/a%2Fb"];
        for next in kept {
            assert_eq!(safe_next(Some(next), Role::Cto), next, "{next:?}");
        }
        let hostile = [
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/\r\n/evil.example",
            "/%0d%0a/evil.example",
            "/\n/evil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%5c%5cevil.example",
            "/%255C%255Cevil.example",
            "/%25252F/evil.example",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            " /kpis",
            "\t//evil.example",
            "/ /evil.example",
            "/\u{3000}/evil.example",
            "/\u{FF0F}/evil.example",
            "/%E3%80%80/evil.example",
            "/%ff",
            "",
        ];
        assert!(hostile.len() >= 15);
        for next in hostile {
            assert_eq!(safe_next(Some(next), Role::Cto), "/", "{next:?} must not be followed");
        }
        assert_eq!(safe_next(None, Role::Investor), "/reports");
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(3000))), Role::Cto), "/");
    }
}
