//! What KPI pages receive from the server: already formatted, charts already drawn.

use super::dora::{Band, Metrics};
use super::model::{Category, Kpi, Target};
use super::status::{Rag, Trend, Window};
use super::units::Unit;
use crate::platform::named::named_enum;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiCard {
    pub key: String,
    pub name: String,
    pub category: Category,
    pub unit: Unit,
    pub department: Option<String>,
    pub computed: bool,
    pub rag: Rag,
    /// "below target" (or "above target") when green but short of the target.
    pub short: Option<String>,
    pub value: Option<String>,
    /// The value's date when it predates the window (rarely measured "last value" KPIs).
    pub as_of: Option<String>,
    pub previous: Option<String>,
    pub trend: Trend,
    pub target: Option<String>,
    pub sentence: String,
    /// A small SVG of the recent trend, drawn on the server.
    pub sparkline: Option<String>,
}

named_enum!(
    /// The time span a trend chart shows.
    ChartRange {
        Days30 = "30d" / "30 days",
        Days90 = "90d" / "90 days",
        Year = "1y" / "1 year",
        All = "all" / "All",
    }
);

impl ChartRange {
    /// The span in days, or `None` for everything.
    pub fn days(self) -> Option<i64> {
        match self {
            ChartRange::Days30 => Some(30),
            ChartRange::Days90 => Some(90),
            ChartRange::Year => Some(365),
            ChartRange::All => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartView {
    pub svg: String,
    pub range: ChartRange,
    /// "each measurement", "hourly means" or "daily means".
    pub resolution: String,
    /// The plotted points as (date, value) text, for the "show data" table.
    pub rows: Vec<(String, String)>,
    pub total_points: i64,
    pub deployments: usize,
    pub incidents: usize,
    pub notes: usize,
    /// Which events the chart marks, in words for its legend.
    pub events: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiPage {
    pub kpi: Kpi,
    pub card: KpiCard,
    pub chart: ChartView,
    /// Newest first, with the one in force marked.
    pub targets: Vec<(Target, bool)>,
    pub target_texts: Vec<(String, String, String)>,
    pub can_edit: bool,
    pub can_record: bool,
    pub window: Window,
    pub total_points: i64,
    pub first_at: Option<String>,
    pub last_at: Option<String>,
    /// The server's time as a `datetime-local` value (UTC), to prefill the entry form.
    pub now: String,
    pub measurements: MeasurementPage,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasurementRow {
    pub ts: i64,
    pub at: String,
    pub value: String,
    pub source: String,
    pub note: Option<String>,
    /// Judged against the target in force at `ts`.
    pub rag: Rag,
    pub short: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasurementPage {
    pub rows: Vec<MeasurementRow>,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
    pub can_delete: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoraRow {
    pub service: String,
    pub metrics: Metrics,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DoraView {
    pub window: Window,
    pub overall: Metrics,
    pub services: Vec<DoraRow>,
}

/// A band as text, for tables.
pub fn band_label(band: Option<Band>) -> &'static str {
    band.map(Band::label).unwrap_or("—")
}

/// The preview of a CSV file before it is imported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Present when the file is valid and waiting to be committed.
    pub token: Option<String>,
    pub rows: u64,
    /// Rows whose time already has a stored value, which the import will replace.
    pub replaces: u64,
    /// The first rows as (line, time, value, note).
    pub sample: Vec<(u64, String, String, String)>,
    pub errors: Vec<ImportError>,
    /// All errors, of which `errors` lists the first hundred.
    pub error_count: u64,
    pub first_at: Option<String>,
    pub last_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportError {
    pub line: u64,
    pub column: String,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
    pub finished: bool,
}
