//! The one in-memory cache: a bounded map that starts afresh when full.
//!
//! Simpler than LRU bookkeeping, and right for what Northstar caches: entries keyed by a data
//! version and the minute, where a full cache means most entries are stale anyway. A panic
//! while the lock was held cannot leave a half-written entry (inserts are single calls), so a
//! poisoned lock is taken over rather than turned into a failure for every later request.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

pub struct Cache<K, V> {
    map: Mutex<HashMap<K, V>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Cache { map: Mutex::new(HashMap::new()), capacity }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.lock().get(key).cloned()
    }

    pub fn put(&self, key: K, value: V) {
        let mut map = self.lock();
        if map.len() >= self.capacity {
            map.clear();
        }
        map.insert(key, value);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, V>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_returned_and_the_cache_bounds_itself() {
        let c: Cache<u32, u32> = Cache::new(3);
        c.put(1, 10);
        assert_eq!(c.get(&1), Some(10));
        assert_eq!(c.get(&2), None);
        c.put(2, 20);
        c.put(3, 30);
        c.put(4, 40);
        assert_eq!(c.get(&1), None, "a full cache starts afresh");
        assert_eq!(c.get(&4), Some(40));
    }

    #[test]
    fn a_panic_under_the_lock_does_not_break_the_cache() {
        let c: std::sync::Arc<Cache<u32, u32>> = std::sync::Arc::new(Cache::new(8));
        let held = c.clone();
        let _ = std::thread::spawn(move || {
            let _guard = held.lock();
            panic!("while holding the lock");
        })
        .join();
        c.put(1, 10);
        assert_eq!(c.get(&1), Some(10));
    }
}
