//! The vocabulary of infrastructure monitoring, and the rules that read a check's form.

use crate::platform::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Unknown,
    Operational,
    Degraded,
    Down,
    Maintenance,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Operational, Status::Degraded, Status::Down, Status::Maintenance, Status::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Operational => "operational",
            Status::Degraded => "degraded",
            Status::Down => "down",
            Status::Maintenance => "maintenance",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Unknown => "No data",
            Status::Operational => "Operational",
            Status::Degraded => "Degraded",
            Status::Down => "Down",
            Status::Maintenance => "Maintenance",
        }
    }
}

/// A check's own state: pending until it first succeeds or fails enough times in a row.
pub fn check_state(s: &str) -> Status {
    match s {
        "up" => Status::Operational,
        "degraded" => Status::Degraded,
        "down" => Status::Down,
        _ => Status::Unknown,
    }
}

/// A system's status from its enabled checks' states: down when every check that has an
/// answer is down, degraded when some are down or slow, operational when all are fine.
/// Without checks, the status a person set; inside a maintenance window, maintenance.
pub fn derive_status(checks: &[Status], manual: Option<Status>, in_maintenance: bool) -> Status {
    if in_maintenance {
        return Status::Maintenance;
    }
    if checks.is_empty() {
        return manual.unwrap_or(Status::Unknown);
    }
    let known: Vec<Status> = checks.iter().copied().filter(|s| *s != Status::Unknown).collect();
    if known.is_empty() {
        Status::Unknown
    } else if known.iter().all(|s| *s == Status::Down) {
        Status::Down
    } else if known.iter().any(|s| matches!(s, Status::Down | Status::Degraded)) {
        Status::Degraded
    } else {
        Status::Operational
    }
}

pub const SYSTEM_KINDS: [(&str, &str); 7] = [
    ("service", "Service"),
    ("database", "Database"),
    ("network", "Network"),
    ("saas", "SaaS"),
    ("storage", "Storage"),
    ("queue", "Queue"),
    ("other", "Other"),
];

pub fn kind_label(kind: &str) -> &'static str {
    SYSTEM_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, l)| *l).unwrap_or("Other")
}

pub const SEVERITIES: [(&str, &str); 4] = [("sev1", "SEV1: critical"), ("sev2", "SEV2: major"), ("sev3", "SEV3: minor"), ("sev4", "SEV4: low")];

/// What the monitor opens when a system of this tier goes down.
pub fn severity_for_tier(tier: i64) -> &'static str {
    match tier {
        1 => "sev1",
        2 => "sev2",
        _ => "sev3",
    }
}

pub const MIN_INTERVAL_SECS: i64 = 10;
pub const DEFAULT_INTERVAL_SECS: i64 = 60;
pub const MAX_TIMEOUT_MS: i64 = 60_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckKind {
    Http,
    Tcp,
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Http => "http",
            CheckKind::Tcp => "tcp",
        }
    }
    pub fn parse(s: &str) -> Option<CheckKind> {
        match s {
            "http" => Some(CheckKind::Http),
            "tcp" => Some(CheckKind::Tcp),
            _ => None,
        }
    }
}

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
        let mut errors = Vec::new();
        let mut bad = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });
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
        if !errors.is_empty() {
            return Err(AppError::fields(errors));
        }
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

/// An SLO as a percent strictly between 0 and 100, at most three decimals.
pub fn parse_slo(text: &str) -> Result<f64, String> {
    let t = text.trim().trim_end_matches('%').trim();
    if t.is_empty() {
        return Ok(99.9);
    }
    let decimals = t.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
    match t.parse::<f64>() {
        Ok(v) if v > 0.0 && v < 100.0 && decimals <= 3 => Ok(v),
        Ok(_) if decimals > 3 => Err("Use at most three decimals, such as 99.995.".into()),
        Ok(_) => Err("The SLO is a percent above 0 and below 100, such as 99.9.".into()),
        Err(_) => Err(format!("“{t}” is not a percent, such as 99.9.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(target: &str) -> CheckForm {
        CheckForm { kind: "http".into(), target: target.into(), enabled: true, ..Default::default() }
    }

    #[test]
    fn a_plain_http_check_gets_the_defaults() {
        let s = http("http://127.0.0.1:3000/healthz").parse().unwrap();
        assert_eq!((s.expect_min, s.expect_max, s.interval_secs, s.timeout_ms, s.failure_threshold), (200, 299, 60, 5000, 3));
        assert_eq!(s.method, "GET");
    }

    #[test]
    fn bad_input_is_named_by_field() {
        let mut f = http("ftp://example.com");
        f.interval_secs = "5".into();
        f.timeout_ms = "0".into();
        f.expect = "299-200".into();
        let e = f.parse().unwrap_err();
        assert!(e.for_field("target").unwrap().contains("not an http"));
        assert_eq!(e.for_field("interval_secs").unwrap(), "Interval must be at least 10 seconds.");
        assert_eq!(e.for_field("timeout_ms").unwrap(), "Timeout must be at least 1 ms.");
        assert!(e.for_field("expect").unwrap().contains("backwards"));
        let mut f = http("http://example.com");
        f.timeout_ms = "-5".into();
        assert!(f.parse().unwrap_err().for_field("timeout_ms").is_some());
    }

    #[test]
    fn urls_and_ports() {
        assert!(check_url("https://status.example.com/x?y=1").is_ok());
        assert!(check_url("http://[::1]:8080/").is_ok());
        assert_eq!(check_url("http://example.com:70000/").unwrap_err(), "Port 70000 is out of range: use 1 to 65535.");
        assert!(check_url("http://user:pw@example.com/").is_err());
        assert!(check_url("http:///path").is_err());
        assert!(check_url("example.com").is_err());
        assert_eq!(split_host_port("db.internal:5432").unwrap(), ("db.internal".into(), 5432));
        assert_eq!(split_host_port("[::1]:22").unwrap(), ("::1".into(), 22));
        assert!(split_host_port("db.internal").unwrap_err().contains("no port"));
        assert!(split_host_port("db:0").unwrap_err().contains("out of range"));
        assert!(split_host_port("db:http").is_err());
    }

    #[test]
    fn status_ranges() {
        assert_eq!(parse_status_range("").unwrap(), (200, 299));
        assert_eq!(parse_status_range("3xx").unwrap(), (300, 399));
        assert_eq!(parse_status_range("204").unwrap(), (204, 204));
        assert_eq!(parse_status_range("200-399").unwrap(), (200, 399));
        assert!(parse_status_range("99").is_err());
        assert!(parse_status_range("abc").is_err());
    }

    #[test]
    fn slo_percentages() {
        assert_eq!(parse_slo("99.95").unwrap(), 99.95);
        assert_eq!(parse_slo("99.9 %").unwrap(), 99.9);
        assert!(parse_slo("100").is_err());
        assert!(parse_slo("0").is_err());
        assert!(parse_slo("99.99999").unwrap_err().contains("three decimals"));
        assert!(parse_slo("high").is_err());
    }

    #[test]
    fn system_status_from_its_checks() {
        use Status::*;
        assert_eq!(derive_status(&[Operational, Operational], None, false), Operational);
        assert_eq!(derive_status(&[Operational, Down], None, false), Degraded);
        assert_eq!(derive_status(&[Down, Down], None, false), Down);
        assert_eq!(derive_status(&[Down, Unknown], None, false), Down);
        assert_eq!(derive_status(&[Degraded], None, false), Degraded);
        assert_eq!(derive_status(&[Unknown], None, false), Unknown);
        assert_eq!(derive_status(&[Down], None, true), Maintenance);
        assert_eq!(derive_status(&[], Some(Degraded), false), Degraded);
        assert_eq!(derive_status(&[], None, false), Unknown);
    }

    #[test]
    fn head_requests_cannot_look_for_a_keyword() {
        let mut f = http("http://example.com");
        f.method = "HEAD".into();
        f.keyword = "ok".into();
        assert!(f.parse().unwrap_err().for_field("keyword").is_some());
    }
}
