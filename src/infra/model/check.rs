//! A check as the CTO configures it: the form as typed, and the rules that make it a spec the
//! monitor can run (targets, status ranges, timeouts, intervals).

use crate::platform::error::{AppError, Problems};
use crate::platform::named::named_enum;
use serde::{Deserialize, Serialize};

pub const MIN_INTERVAL_SECS: i64 = 10;
pub const DEFAULT_INTERVAL_SECS: i64 = 60;
pub const MAX_TIMEOUT_MS: i64 = 60_000;

named_enum!(CheckKind {
    Http = "http" / "HTTP(S)",
    Tcp = "tcp" / "TCP",
});

/// A check as the CTO configured it, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckSpec {
    pub kind: CheckKind,
    pub target: String,
    pub method: String,
    pub expect_min: u16,
    pub expect_max: u16,
    pub keyword: String,
    pub follow_redirects: bool,
    pub timeout_ms: i64,
    pub interval_secs: i64,
    pub failure_threshold: i64,
    pub degraded_ms: Option<i64>,
    pub enabled: bool,
}

/// The check form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckForm {
    pub kind: String,
    pub target: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub expect: String,
    #[serde(default)]
    pub keyword: String,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub follow_redirects: bool,
    #[serde(default)]
    pub timeout_ms: String,
    #[serde(default)]
    pub interval_secs: String,
    #[serde(default)]
    pub failure_threshold: String,
    #[serde(default)]
    pub degraded_ms: String,
    #[serde(default, deserialize_with = "crate::platform::form::checkbox")]
    pub enabled: bool,
}

impl CheckForm {
    pub fn parse(&self) -> Result<CheckSpec, AppError> {
        let mut problems = Problems::default();
        let mut bad = |field: &str, message: String| problems.add(field, message);
        let kind = CheckKind::parse(self.kind.trim());
        if kind.is_none() {
            bad("kind", "Choose HTTP or TCP.".into());
        }
        let target = self.target.trim().to_string();
        match kind {
            Some(CheckKind::Http) => {
                if let Err(m) = check_url(&target) {
                    bad("target", m);
                }
            }
            Some(CheckKind::Tcp) => {
                if let Err(m) = split_host_port(&target) {
                    bad("target", m);
                }
            }
            None => {}
        }
        let method = match self.method.trim().to_ascii_uppercase().as_str() {
            "" | "GET" => "GET".to_string(),
            "HEAD" => "HEAD".to_string(),
            other => {
                bad("method", format!("“{other}” is not a method a check can use: GET or HEAD."));
                String::new()
            }
        };
        let (expect_min, expect_max) = match parse_status_range(&self.expect) {
            Ok(r) => r,
            Err(m) => {
                bad("expect", m);
                (0, 0)
            }
        };
        let keyword = self.keyword.trim().to_string();
        if keyword.len() > 200 {
            bad("keyword", "Keep the keyword under 200 characters.".into());
        }
        if method == "HEAD" && !keyword.is_empty() {
            bad("keyword", "A HEAD request has no body to search: use GET, or leave the keyword empty.".into());
        }
        let timeout_ms = whole(&self.timeout_ms, "timeout_ms", 5000, 1, MAX_TIMEOUT_MS, "Timeout", "ms", &mut bad);
        let interval_secs = whole(&self.interval_secs, "interval_secs", DEFAULT_INTERVAL_SECS, MIN_INTERVAL_SECS, 86_400, "Interval", "seconds", &mut bad);
        let failure_threshold = whole(&self.failure_threshold, "failure_threshold", 3, 1, 20, "Failures before down", "", &mut bad);
        let degraded_ms = match self.degraded_ms.trim() {
            "" => None,
            _ => Some(whole(&self.degraded_ms, "degraded_ms", 0, 1, MAX_TIMEOUT_MS, "Slow response threshold", "ms", &mut bad)),
        };
        // A probe still running when the next is due would pile up behind itself.
        if timeout_ms >= interval_secs * 1000 {
            bad("timeout_ms", "The timeout must be shorter than the interval.".into());
        }
        problems.finish()?;
        Ok(CheckSpec {
            kind: kind.expect("checked above"),
            target,
            method,
            expect_min,
            expect_max,
            keyword,
            follow_redirects: self.follow_redirects,
            timeout_ms,
            interval_secs,
            failure_threshold,
            degraded_ms,
            enabled: self.enabled,
        })
    }
}

#[allow(clippy::too_many_arguments)]
fn whole(text: &str, field: &str, default: i64, min: i64, max: i64, label: &str, unit: &str, bad: &mut impl FnMut(&str, String)) -> i64 {
    let t = text.trim();
    if t.is_empty() {
        return default;
    }
    let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
    match t.parse::<i64>() {
        Ok(v) if v < min => {
            bad(field, format!("{label} must be at least {min}{unit}."));
            default
        }
        Ok(v) if v > max => {
            bad(field, format!("{label} must be at most {max}{unit}."));
            default
        }
        Ok(v) => v,
        Err(_) => {
            bad(field, format!("{label} must be a whole number{unit}, not “{t}”."));
            default
        }
    }
}

/// Accepts "200-299", "200" or "2xx".
pub fn parse_status_range(text: &str) -> Result<(u16, u16), String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok((200, 299));
    }
    let code = |s: &str| -> Result<u16, String> {
        match s.trim().parse::<u16>() {
            Ok(c) if (100..=599).contains(&c) => Ok(c),
            _ => Err(format!("“{}” is not an HTTP status code (100 to 599).", s.trim())),
        }
    };
    if t.len() == 3 && t[1..].eq_ignore_ascii_case("xx") {
        let c = code(&format!("{}00", &t[..1]))?;
        return Ok((c, c + 99));
    }
    match t.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (code(a)?, code(b)?);
            if a > b {
                return Err(format!("The range {a}-{b} is backwards: write the lower code first."));
            }
            Ok((a, b))
        }
        None => code(t).map(|c| (c, c)),
    }
}

/// An http(s) URL with a host. The check only ever goes where this says.
pub fn check_url(text: &str) -> Result<(), String> {
    let rest = if let Some(r) = text.strip_prefix("http://") {
        r
    } else if let Some(r) = text.strip_prefix("https://") {
        r
    } else if text.is_empty() {
        return Err("Enter the URL to check, such as https://example.com/health.".into());
    } else {
        return Err(format!("“{text}” is not an http:// or https:// URL."));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("Put no user name or password in the URL.".into());
    }
    if authority.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("“{text}” has no valid host."));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    if host.is_empty() {
        return Err(format!("“{text}” has no host."));
    }
    if let Some(p) = port {
        parse_port(p)?;
    }
    Ok(())
}

fn parse_port(p: &str) -> Result<u16, String> {
    match p.parse::<u32>() {
        Ok(n) if (1..=65_535).contains(&n) => Ok(n as u16),
        Ok(n) => Err(format!("Port {n} is out of range: use 1 to 65535.")),
        Err(_) => Err(format!("“{p}” is not a port number.")),
    }
}

/// "host:port" for a TCP check; IPv6 addresses go in brackets.
pub fn split_host_port(text: &str) -> Result<(String, u16), String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter a host and port, such as db.internal:5432.".into());
    }
    let Some((host, port)) = t.rsplit_once(':') else {
        return Err(format!("“{t}” has no port: write host:port, such as db.internal:5432."));
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '/' || c == '@') {
        return Err(format!("“{t}” has no valid host."));
    }
    Ok((host.to_string(), parse_port(port)?))
}
