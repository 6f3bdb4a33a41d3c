//! What a report holds, shared by the server (which builds and freezes it) and the browser
//! (which shows it). A snapshot carries finished text and SVG, so a published report shows the
//! same figures forever, whatever happens to the data or to the formatting code afterwards.

use serde::{Deserialize, Serialize};

/// The sections the CTO may comment on, in the order a report shows them.
pub const SECTIONS: [(&str, &str, &str); 7] = [
    ("strategy", "Strategy", "Where technology is heading and why; shown first."),
    ("kpis", "Key indicators", "Shown under the KPI table."),
    ("budget", "IT budget", "Shown under the budget summary."),
    ("infrastructure", "Infrastructure", "Shown under availability and incidents."),
    ("delivery", "Delivery (DORA)", "Shown under the DORA bands."),
    ("risks", "Risks", "Shown near the end."),
    ("next_quarter", "Next quarter", "Shown last."),
];

/// Markdown per section key; missing keys are empty.
pub type Commentary = std::collections::BTreeMap<String, String>;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub title: String,
    /// "2026-Q3".
    pub period: String,
    /// "Q3 2026".
    pub period_label: String,
    /// The first and last day covered, "2026-07-01" and "2026-09-30".
    pub from: String,
    pub to: String,
    /// When the figures were read, UTC.
    pub generated_at: String,
    pub kpis: Vec<KpiLine>,
    pub budget: BudgetSection,
    pub infrastructure: InfraSection,
    pub delivery: Vec<DoraLine>,
    /// What the CTO marked for investors of the strategy: objectives with their initiatives'
    /// health, the investment mix, costs per unit. Empty in versions published before it was
    /// part of a report.
    #[serde(default)]
    pub strategy: crate::strategy::view::StrategyDigest,
    /// The technology radar's entries marked for investors, as it stood when the version was
    /// published; `None` when the CTO keeps the radar out of reports (and in older versions).
    #[serde(default)]
    pub radar: Option<crate::radar::view::RadarPicture>,
    /// The security posture at the period's end beside the period before's; `None` when the
    /// CTO keeps it out of reports (and in older versions).
    #[serde(default)]
    pub security: Option<crate::assurance::view::PostureSection>,
    /// Section key to sanitised HTML rendered from the Markdown.
    pub commentary: Vec<(String, String)>,
}

impl Snapshot {
    pub fn commentary_for(&self, key: &str) -> Option<&str> {
        self.commentary.iter().find(|(k, html)| k == key && !html.is_empty()).map(|(_, h)| h.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiLine {
    pub name: String,
    pub value: String,
    pub target: Option<String>,
    /// "green", "amber", "red", "unrated", "no-data".
    pub status: String,
    pub status_label: String,
    /// Against the previous period of the same length: "better", "worse", "steady", "".
    pub trend: String,
    pub previous: Option<String>,
    /// A vector chart of the period, with its own title and description.
    pub chart_svg: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetSection {
    pub currency: String,
    pub has_plan: bool,
    pub by_category: Vec<BudgetLine>,
    pub by_kind: Vec<BudgetLine>,
    pub total: Option<BudgetLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    pub name: String,
    pub budget: String,
    pub actual: String,
    /// Actual minus budget, signed: "+€1,200.00" is over.
    pub variance: String,
    pub used: String,
    /// "under", "on", "over", "none".
    pub state: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InfraSection {
    pub systems: Vec<SystemLine>,
    pub met: usize,
    pub missed: usize,
    pub incidents: usize,
    pub mttr: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemLine {
    pub name: String,
    pub tier: i64,
    pub slo: String,
    pub uptime: String,
    pub meets_slo: Option<bool>,
    pub incidents: usize,
    pub mttr: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoraLine {
    pub metric: String,
    pub value: String,
    /// "Elite", "High", "Medium", "Low" or "No data".
    pub band: String,
}

/// One report in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: i64,
    pub title: String,
    pub period_label: String,
    /// The latest published version, if any.
    pub version: Option<i64>,
    pub published_at: Option<String>,
    /// The draft has changes not yet published (CTO only).
    pub draft: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportList {
    pub reports: Vec<ReportRow>,
    pub can_compose: bool,
    /// (value, label) of the periods a new report may cover.
    pub periods: Vec<(String, String)>,
    pub default_period: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionRow {
    pub version: i64,
    pub published_at: String,
    pub published_by: String,
    pub note: Option<String>,
}

/// A share link just made: its one showing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewShareLink {
    /// The whole address, ready to paste into an e-mail.
    pub url: String,
    /// The last day it works, as entered: "2026-12-30".
    pub last_day: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShareLinkRow {
    pub id: i64,
    pub label: String,
    pub expires: String,
    /// "active", "expired" or "revoked".
    pub state: String,
    pub uses: i64,
    pub last_used: Option<String>,
}

/// The CTO's working view of one report: the draft and everything around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub commentary: Commentary,
    pub periods: Vec<(String, String)>,
    pub versions: Vec<VersionRow>,
    pub links: Vec<ShareLinkRow>,
    /// A month from today, offered as a new link's last day.
    pub default_expiry: String,
}

/// A published version as its readers see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub report_id: i64,
    pub version: i64,
    pub latest: i64,
    pub published_at: String,
    pub note: Option<String>,
    /// Earlier corrections, newest first: (version, published at, note).
    pub history: Vec<(i64, String, Option<String>)>,
    pub snapshot: Snapshot,
    /// The server can produce the PDF itself; otherwise the button prints from the browser.
    pub pdf: bool,
}

/// A department's budget for a period, for its head (or the CTO).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepartmentReport {
    pub department_id: i64,
    pub department: String,
    pub period: String,
    pub period_label: String,
    pub from: String,
    pub to: String,
    pub generated_at: String,
    pub budget: BudgetSection,
    /// Monthly budget and actual in the period: (month, budget, actual).
    pub months: Vec<(String, String, String)>,
    pub periods: Vec<(String, String)>,
    /// (id, name) the caller may choose from: every department for the CTO, one for a head.
    pub departments: Vec<(i64, String)>,
}
