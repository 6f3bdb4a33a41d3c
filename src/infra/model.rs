//! The vocabulary of infrastructure monitoring; the rules that read a check's form are in
//! `model/check.rs`.

use super::view::SystemInput;
use crate::platform::error::{AppError, Problems};
use crate::platform::named::named_enum;

mod check;
pub use check::*;

named_enum!(
    /// A system's status, and a check's own state in the same words.
    Status {
        Operational = "operational" / "Operational",
        Degraded = "degraded" / "Degraded",
        Down = "down" / "Down",
        Maintenance = "maintenance" / "Maintenance",
        Unknown = "unknown" / "No data",
    }
);

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

named_enum!(
    /// Who opened an incident of the inventory's own, and so who caused the status change
    /// behind it. Incidents reported over the token API have neither.
    Opener {
        Monitor = "monitor" / "Monitor",
        Person = "person" / "By hand",
    }
);

named_enum!(SystemKind {
    Service = "service" / "Service",
    Database = "database" / "Database",
    Network = "network" / "Network",
    Saas = "saas" / "SaaS",
    Storage = "storage" / "Storage",
    Queue = "queue" / "Queue",
    Other = "other" / "Other",
});

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

/// A system's settings as checked: what the form sent, every field valid.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidSystem {
    pub key: String,
    pub name: String,
    pub kind: SystemKind,
    pub department: Option<i64>,
    pub tier: i64,
    pub slo: f64,
    pub description: String,
    /// One URL per line.
    pub links: String,
    /// Sorted, without repeats.
    pub depends_on: Vec<i64>,
}

/// Checks the system form (`id` is the system being changed, if any), naming every field
/// that is wrong. The key is checked only for a new system: an existing one keeps its own.
pub fn check_system(input: &SystemInput, id: Option<i64>) -> Result<ValidSystem, AppError> {
    let mut problems = Problems::default();
    let mut bad = |field: &str, message: String| problems.add(field, message);
    let key = match crate::kpi::model::parse_key(&input.key) {
        Ok(k) => k,
        Err(m) if id.is_none() => {
            bad("key", m);
            String::new()
        }
        Err(_) => String::new(),
    };
    let name = input.name.trim().to_string();
    if name.is_empty() {
        bad("name", "Enter the system's name.".into());
    } else if name.chars().count() > 120 {
        bad("name", "Keep the name under 120 characters.".into());
    }
    let kind = SystemKind::parse(&input.kind).unwrap_or_else(|| {
        bad("kind", "Choose what kind of system this is.".into());
        SystemKind::Other
    });
    let tier = match input.tier.trim().parse::<i64>() {
        Ok(t @ 1..=3) => t,
        _ => {
            bad("tier", "Choose tier 1, 2 or 3.".into());
            0
        }
    };
    let slo = parse_slo(&input.slo).unwrap_or_else(|m| {
        bad("slo", m);
        0.0
    });
    if input.description.chars().count() > 2000 {
        bad("description", "Keep the description under 2,000 characters.".into());
    }
    let links: Vec<&str> = input.links.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if let Some((line, m)) = links.iter().enumerate().find_map(|(i, l)| check_url(l).err().map(|m| (i + 1, m))) {
        bad("links", format!("Line {line}: {m}"));
    }
    let department = match input.department.trim() {
        "" | "all" => None,
        d => d.parse().map(Some).unwrap_or_else(|_| {
            bad("department", "Choose a department from the list.".into());
            None
        }),
    };
    let mut depends_on = Vec::new();
    for d in &input.depends_on {
        match d.trim().parse::<i64>() {
            Ok(d) if Some(d) == id => bad("depends_on", "A system cannot depend on itself.".into()),
            Ok(d) => depends_on.push(d),
            Err(_) => bad("depends_on", format!("“{d}” is not a system id.")),
        }
    }
    problems.finish()?;
    depends_on.sort_unstable();
    depends_on.dedup();
    let description = input.description.trim().to_string();
    Ok(ValidSystem { key, name, kind, department, tier, slo, description, links: links.join("\n"), depends_on })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system() -> SystemInput {
        SystemInput {
            key: "api".into(),
            name: "Public API".into(),
            kind: "service".into(),
            tier: "1".into(),
            slo: "99.9".into(),
            links: "https://status.example.com\n\n".into(),
            depends_on: vec!["4".into(), "2".into(), "4".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_system_form_is_checked_whole_without_a_database() {
        let ok = check_system(&system(), None).unwrap();
        assert_eq!((ok.tier, ok.slo, ok.department), (1, 99.9, None));
        assert_eq!(ok.links, "https://status.example.com");
        assert_eq!(ok.depends_on, [2, 4], "sorted, without repeats");
        let wrong = SystemInput { key: "Not a key!".into(), name: " ".into(), kind: "toaster".into(), tier: "7".into(), slo: "100".into(), links: "ftp://x".into(), department: "x".into(), depends_on: vec!["9".into(), "y".into()], ..system() };
        let err = check_system(&wrong, Some(9)).unwrap_err();
        let fields: Vec<&str> = match &err {
            AppError::Invalid { fields, .. } => fields.iter().map(|f| f.field.as_str()).collect(),
            e => panic!("{e:?}"),
        };
        // An existing system keeps its key, so only a new one's key is checked.
        assert_eq!(fields, ["name", "kind", "tier", "slo", "links", "department", "depends_on", "depends_on"]);
        assert!(err.for_field("depends_on").unwrap().contains("cannot depend on itself"));
        assert!(check_system(&SystemInput { key: "Not a key!".into(), ..system() }, None).unwrap_err().for_field("key").is_some());
    }

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
