//! Recently computed cards and charts, so a dashboard opened by many people (or reloaded)
//! is not recomputed each time. Entries are keyed by the KPI's data version, which every
//! write to its measurements, targets or definition bumps, and by the minute, because status
//! windows slide with the clock.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Past this many entries the cache starts afresh: simpler than LRU bookkeeping, and a full
/// cache means the minute has moved on for most entries anyway.
const MAX_ENTRIES: usize = 2048;

pub struct Cache<K, V> {
    map: Mutex<HashMap<K, V>>,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub fn new() -> Self {
        Cache { map: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn put(&self, key: K, value: V) {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, value);
    }
}

impl<K: Eq + Hash, V: Clone> Default for Cache<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

/// (KPI id, data version, window or range, with sparkline, minute)
pub type CardKey = (i64, i64, super::status::Window, bool, i64);
pub type ChartKey = (i64, i64, super::view::ChartRange, i64);

#[derive(Default)]
pub struct KpiCaches {
    pub cards: Cache<CardKey, super::view::KpiCard>,
    pub charts: Cache<ChartKey, super::view::ChartView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_returned_and_the_cache_bounds_itself() {
        let c: Cache<u32, u32> = Cache::new();
        c.put(1, 10);
        assert_eq!(c.get(&1), Some(10));
        assert_eq!(c.get(&2), None);
        for i in 0..(MAX_ENTRIES as u32 + 10) {
            c.put(i, i);
        }
        assert!(c.map.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
