//! The vocabulary of infrastructure monitoring; the rules that read a check's form are in
//! `model/check.rs`.

use serde::{Deserialize, Serialize};

mod check;
pub use check::*;

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
