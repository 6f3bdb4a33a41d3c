//! Alerts as both sides see them: the kinds of rule, an alert's state, the list page's
//! filters and rows, and a rule's settings.

use crate::platform::named::named_enum;
use serde::{Deserialize, Serialize};

named_enum!(
    /// The kinds of rule. Each has one number, its threshold, in the unit [`RuleKind::unit`]
    /// names.
    RuleKind {
        KpiStatus = "kpi_status" / "KPI off target",
        SystemDown = "system_down" / "System down or degraded",
        IncidentUnacknowledged = "incident_unacknowledged" / "Incident not acknowledged",
        ContractNotice = "contract_notice" / "Contract notice deadline",
        BudgetForecast = "budget_forecast" / "Budget forecast over plan",
        SpendVariance = "spend_variance" / "Spending over plan to date",
        ErrorBudget = "error_budget" / "Error budget used",
        TlsExpiry = "tls_expiry" / "TLS certificate expiring",
        FindingDeadline = "finding_deadline" / "Vulnerability past its deadline",
        ControlOverdue = "control_overdue" / "Security control overdue",
    }
);

impl RuleKind {
    /// What the threshold means, as the rules form labels it.
    pub fn unit(self) -> &'static str {
        match self {
            RuleKind::KpiStatus | RuleKind::SpendVariance => "alert from",
            RuleKind::SystemDown => "minutes",
            RuleKind::IncidentUnacknowledged => "minutes",
            RuleKind::ContractNotice | RuleKind::TlsExpiry | RuleKind::FindingDeadline | RuleKind::ControlOverdue => "days before",
            RuleKind::BudgetForecast => "% over",
            RuleKind::ErrorBudget => "% used",
        }
    }

    pub fn describe(self, threshold: i64) -> String {
        match self {
            RuleKind::KpiStatus if threshold >= 2 => "A KPI turns red.".into(),
            RuleKind::KpiStatus => "A KPI turns amber or red.".into(),
            RuleKind::SystemDown => format!("A system is down or degraded for more than {threshold} min (not in maintenance)."),
            RuleKind::IncidentUnacknowledged => format!("An incident stays unacknowledged for more than {threshold} min."),
            RuleKind::ContractNotice => format!("A contract's notice deadline is within {threshold} days."),
            RuleKind::BudgetForecast => format!("A budget line's or a department's year-end forecast (at the run rate, or actual plus plan) is more than {threshold} % over its budget."),
            RuleKind::TlsExpiry => format!("The TLS certificate of a checked HTTPS system expires within {threshold} days."),
            RuleKind::FindingDeadline if threshold == 0 => "A system has a vulnerability finding open past its remediation deadline (Security → Vulnerabilities).".into(),
            RuleKind::FindingDeadline => format!("A system has a vulnerability finding open past its remediation deadline, or due within {threshold} days."),
            RuleKind::ControlOverdue if threshold == 0 => "A security control was not performed by its due day (Security → Controls).".into(),
            RuleKind::ControlOverdue => format!("A security control was not performed by its due day, or is due within {threshold} days."),
            RuleKind::ErrorBudget => format!("A system has used more than {threshold} % of this month's error budget (the downtime its SLO allows in the month)."),
            RuleKind::SpendVariance if threshold >= 2 => "Spending to date is red against the plan to date (the budget settings' thresholds).".into(),
            RuleKind::SpendVariance => "Spending to date is amber or red against the plan to date (the budget settings' thresholds).".into(),
        }
    }

    /// The largest threshold a person may set: a year of minutes or days, or "red only".
    pub fn max_threshold(self) -> i64 {
        match self {
            RuleKind::KpiStatus | RuleKind::SpendVariance => 2,
            RuleKind::BudgetForecast | RuleKind::ErrorBudget => 1000,
            RuleKind::SystemDown | RuleKind::IncidentUnacknowledged => 525_600,
            RuleKind::ContractNotice | RuleKind::TlsExpiry | RuleKind::FindingDeadline | RuleKind::ControlOverdue => 365,
        }
    }
}

named_enum!(
    #[derive(PartialOrd, Ord)]
    Severity {
        Critical = "critical" / "Critical",
        Warning = "warning" / "Warning",
    }
);

named_enum!(
    /// Where an alert is in its life: firing until someone takes it, acknowledged until the
    /// condition clears, then resolved.
    AlertState {
        Firing = "firing" / "Firing",
        Acknowledged = "acknowledged" / "Acknowledged",
        Resolved = "resolved" / "Resolved",
    }
);

/// The alerts page's filters, as its query string carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertsQuery {
    /// `open` (firing or acknowledged, the default), `firing`, `acknowledged`, `resolved`, `all`.
    pub state: String,
    pub rule: String,
    /// `kind:id` (`system:3`): one thing's alerts.
    pub subject: String,
    /// A page's path: the alerts about what that page shows.
    pub at: String,
    pub page: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRow {
    pub id: i64,
    pub rule: RuleKind,
    pub severity: Severity,
    pub state: AlertState,
    pub subject: String,
    pub summary: String,
    pub link: String,
    /// "2026-11-30 14:05 UTC".
    pub started: String,
    /// "3 h 12 min" open, or how long it lasted.
    pub age: String,
    /// "by Alex Chen at 2026-11-30 14:20 UTC".
    pub acknowledged: Option<String>,
    pub resolved: Option<String>,
    pub flaps: i64,
    pub can_acknowledge: bool,
    /// "until 2026-11-30 18:00 UTC by Alex Chen" while muted.
    pub muted: Option<String>,
    pub can_mute: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertList {
    pub rows: Vec<AlertRow>,
    pub matched: i64,
    pub page: i64,
    pub pages: i64,
    /// Open alerts the reader has not acknowledged, by severity: (critical, warning).
    pub firing: (i64, i64),
}

/// One rule as the rules page shows and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSetting {
    pub kind: RuleKind,
    pub enabled: bool,
    pub threshold: i64,
    pub hold_minutes: i64,
    pub repeat_minutes: i64,
    pub open: i64,
}
