//! Recently computed cards and charts, so a dashboard opened by many people (or reloaded)
//! is not recomputed each time. Entries are keyed by the KPI's data version, which every
//! write to its measurements, targets or definition bumps, and by the minute, because status
//! windows slide with the clock.

use crate::platform::cache::Cache;

/// Cards and charts kept at most; past this the cache starts afresh.
const MAX_ENTRIES: usize = 2048;

/// (KPI id, data version, window or range, with sparkline, minute)
pub type CardKey = (i64, i64, super::status::Window, bool, i64);
pub type ChartKey = (i64, i64, super::view::ChartRange, i64);

pub struct KpiCaches {
    pub cards: Cache<CardKey, super::view::KpiCard>,
    pub charts: Cache<ChartKey, super::view::ChartView>,
}

impl Default for KpiCaches {
    fn default() -> Self {
        KpiCaches { cards: Cache::new(MAX_ENTRIES), charts: Cache::new(MAX_ENTRIES) }
    }
}
