//! The four DORA metrics, computed from deployment and incident events, and the performance
//! bands of the 2023 Accelerate State of DevOps Report (see README, "DORA bands").

use super::status::median;
use serde::{Deserialize, Serialize};

pub const HOUR: i64 = 3600;
pub const DAY: i64 = 24 * HOUR;

/// A deployment with the lead times (commit to production) of the changes it shipped.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    pub deployed_at: i64,
    pub succeeded: bool,
    /// True when an incident names this deployment as its cause.
    pub caused_incident: bool,
    pub change_lead_times: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    pub started_at: i64,
    pub resolved_at: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Band {
    Elite,
    High,
    Medium,
    Low,
}

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::Elite => "Elite",
            Band::High => "High",
            Band::Medium => "Medium",
            Band::Low => "Low",
        }
    }
}

/// The metrics over one window, with the band of each where there was data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub deployments: u32,
    pub failed_deployments: u32,
    pub incidents_resolved: u32,
    /// Deployments per day over the whole window.
    pub deploys_per_day: f64,
    pub lead_time_hours: Option<f64>,
    /// Percent of deployments that failed or caused an incident.
    pub change_failure_rate: Option<f64>,
    pub time_to_restore_hours: Option<f64>,
    pub bands: Bands,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bands {
    pub deployment_frequency: Option<Band>,
    pub lead_time: Option<Band>,
    pub change_failure_rate: Option<Band>,
    pub time_to_restore: Option<Band>,
}

/// Computes the metrics for events inside [from, to). Incidents count towards time to restore
/// when they were resolved inside the window.
pub fn compute(deployments: &[Deployment], incidents: &[Incident], from: i64, to: i64) -> Metrics {
    let in_window: Vec<&Deployment> = deployments.iter().filter(|d| d.deployed_at >= from && d.deployed_at < to).collect();
    let days = ((to - from) as f64 / DAY as f64).max(1.0 / 24.0);
    let count = in_window.len() as u32;
    let failed = in_window.iter().filter(|d| !d.succeeded || d.caused_incident).count() as u32;
    let lead_times: Vec<f64> = in_window.iter().flat_map(|d| d.change_lead_times.iter().map(|s| *s as f64)).collect();
    let restores: Vec<f64> = incidents
        .iter()
        .filter_map(|i| i.resolved_at.filter(|r| *r >= from && *r < to).map(|r| (r - i.started_at) as f64))
        .collect();
    let deploys_per_day = count as f64 / days;
    let lead_time_hours = (!lead_times.is_empty()).then(|| median(lead_times) / HOUR as f64);
    let change_failure_rate = (count > 0).then(|| failed as f64 * 100.0 / count as f64);
    let time_to_restore_hours = (!restores.is_empty()).then(|| median(restores.clone()) / HOUR as f64);
    Metrics {
        deployments: count,
        failed_deployments: failed,
        incidents_resolved: restores.len() as u32,
        deploys_per_day,
        lead_time_hours,
        change_failure_rate,
        time_to_restore_hours,
        bands: Bands {
            deployment_frequency: (count > 0).then(|| deployment_frequency_band(deploys_per_day)),
            lead_time: lead_time_hours.map(lead_time_band),
            change_failure_rate: change_failure_rate.map(change_failure_band),
            time_to_restore: time_to_restore_hours.map(restore_band),
        },
    }
}

/// Elite deploys on demand (daily or more), high between daily and weekly, medium between
/// weekly and monthly, low less than monthly.
pub fn deployment_frequency_band(per_day: f64) -> Band {
    if per_day >= 1.0 {
        Band::Elite
    } else if per_day >= 1.0 / 7.0 {
        Band::High
    } else if per_day >= 1.0 / 30.0 {
        Band::Medium
    } else {
        Band::Low
    }
}

/// Elite under a day, high under a week, medium under a month, low beyond.
pub fn lead_time_band(hours: f64) -> Band {
    if hours < 24.0 {
        Band::Elite
    } else if hours < 24.0 * 7.0 {
        Band::High
    } else if hours < 24.0 * 30.0 {
        Band::Medium
    } else {
        Band::Low
    }
}

/// The 2023 clusters' rates: elite 5 %, high 10 %, medium 15 %, low above.
pub fn change_failure_band(percent: f64) -> Band {
    if percent <= 5.0 {
        Band::Elite
    } else if percent <= 10.0 {
        Band::High
    } else if percent <= 15.0 {
        Band::Medium
    } else {
        Band::Low
    }
}

/// Elite under an hour, high under a day, medium under a week, low beyond.
pub fn restore_band(hours: f64) -> Band {
    if hours < 1.0 {
        Band::Elite
    } else if hours < 24.0 {
        Band::High
    } else if hours < 24.0 * 7.0 {
        Band::Medium
    } else {
        Band::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deploy(at: i64, ok: bool, leads: &[i64]) -> Deployment {
        Deployment { deployed_at: at, succeeded: ok, caused_incident: false, change_lead_times: leads.to_vec() }
    }

    #[test]
    fn metrics_over_a_window() {
        let deployments = vec![
            deploy(DAY, true, &[2 * HOUR, 4 * HOUR]),
            deploy(2 * DAY, false, &[10 * HOUR]),
            Deployment { caused_incident: true, ..deploy(3 * DAY, true, &[30 * HOUR]) },
            deploy(5 * DAY, true, &[]),
            deploy(20 * DAY, true, &[HOUR]), // outside the window
        ];
        let incidents = vec![
            Incident { started_at: 3 * DAY, resolved_at: Some(3 * DAY + 2 * HOUR) },
            Incident { started_at: 4 * DAY, resolved_at: Some(4 * DAY + 30 * 60) },
            Incident { started_at: 6 * DAY, resolved_at: None },
        ];
        let m = compute(&deployments, &incidents, 0, 10 * DAY);
        assert_eq!(m.deployments, 4);
        assert_eq!(m.failed_deployments, 2);
        assert!((m.deploys_per_day - 0.4).abs() < 1e-9);
        assert_eq!(m.lead_time_hours, Some(7.0), "median of 2, 4, 10, 30 hours");
        assert_eq!(m.change_failure_rate, Some(50.0));
        assert_eq!(m.time_to_restore_hours, Some(1.25), "median of 2 h and 0.5 h");
        assert_eq!(m.incidents_resolved, 2);
        assert_eq!(
            m.bands,
            Bands {
                deployment_frequency: Some(Band::High),
                lead_time: Some(Band::Elite),
                change_failure_rate: Some(Band::Low),
                time_to_restore: Some(Band::High),
            }
        );
    }

    #[test]
    fn an_empty_window_has_no_rates_or_bands() {
        let m = compute(&[], &[], 0, 30 * DAY);
        assert_eq!(m.deployments, 0);
        assert_eq!(m.deploys_per_day, 0.0);
        assert_eq!(m.change_failure_rate, None);
        assert_eq!(m.bands.deployment_frequency, None);
        assert_eq!(m.bands.time_to_restore, None);
    }

    #[test]
    fn band_boundaries() {
        let df = [(3.0, Band::Elite), (1.0, Band::Elite), (0.5, Band::High), (1.0 / 7.0, Band::High), (0.1, Band::Medium), (1.0 / 30.0, Band::Medium), (0.01, Band::Low)];
        for (v, b) in df {
            assert_eq!(deployment_frequency_band(v), b, "df {v}");
        }
        let lt = [(1.0, Band::Elite), (23.9, Band::Elite), (24.0, Band::High), (167.0, Band::High), (168.0, Band::Medium), (720.0, Band::Low)];
        for (v, b) in lt {
            assert_eq!(lead_time_band(v), b, "lead {v}");
        }
        let cfr = [(0.0, Band::Elite), (5.0, Band::Elite), (7.5, Band::High), (10.0, Band::High), (15.0, Band::Medium), (15.1, Band::Low), (64.0, Band::Low)];
        for (v, b) in cfr {
            assert_eq!(change_failure_band(v), b, "cfr {v}");
        }
        let ttr = [(0.5, Band::Elite), (1.0, Band::High), (23.0, Band::High), (24.0, Band::Medium), (200.0, Band::Low)];
        for (v, b) in ttr {
            assert_eq!(restore_band(v), b, "ttr {v}");
        }
    }
}
