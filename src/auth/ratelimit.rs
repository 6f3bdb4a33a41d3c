//! Login throttling by failed attempts, per client address and per account.
//!
//! Counting failures rather than requests means a person who signs in and out all day is
//! never locked out, while guessing stops after a handful of tries. Off-the-shelf limiters
//! (governor, tower_governor) count every request and know nothing of accounts, hence this.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_client: usize,
    pub per_account: usize,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { per_client: 20, per_account: 5, window: Duration::from_secs(15 * 60) }
    }
}

pub struct LoginLimiter {
    limits: Limits,
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Client(String),
    Account(String),
}

/// Past this many tracked keys, stale entries are swept so memory stays bounded under a
/// spray of random emails.
const SWEEP_AT: usize = 10_000;

impl LoginLimiter {
    pub fn new(limits: Limits) -> Self {
        LoginLimiter { limits, failures: Mutex::new(HashMap::new()) }
    }

    /// `Err(seconds)` when either the client or the account has failed too often recently.
    pub fn check(&self, client: &str, account: &str, now: Instant) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let checks = [
            (Key::Client(client.to_string()), self.limits.per_client),
            (Key::Account(account.to_string()), self.limits.per_account),
        ];
        let mut wait = Duration::ZERO;
        for (key, max) in checks {
            if let Some(times) = map.get_mut(&key) {
                prune(times, now, self.limits.window);
                if times.len() >= max {
                    let oldest = times[times.len() - max];
                    wait = wait.max(self.limits.window.saturating_sub(now - oldest));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.as_secs().max(1))
        }
    }

    pub fn record_failure(&self, client: &str, account: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SWEEP_AT {
            let window = self.limits.window;
            map.retain(|_, times| {
                prune(times, now, window);
                !times.is_empty()
            });
        }
        for key in [Key::Client(client.to_string()), Key::Account(account.to_string())] {
            let times = map.entry(key).or_default();
            times.push_back(now);
            // Only the newest failures matter for the decision; keep no more than that.
            while times.len() > self.limits.per_client.max(self.limits.per_account) {
                times.pop_front();
            }
        }
    }

    /// A correct password clears the account's count; the client's count stays, so one
    /// valid account cannot be used to reset a client that is guessing at others.
    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&Key::Account(account.to_string()));
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|t| now.duration_since(*t) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> LoginLimiter {
        LoginLimiter::new(Limits { per_client: 4, per_account: 2, window: Duration::from_secs(60) })
    }

    #[test]
    fn an_account_locks_after_its_failures_and_unlocks_after_the_window() {
        let l = limiter();
        let t0 = Instant::now();
        assert!(l.check("ip", "a@x", t0).is_ok());
        l.record_failure("ip", "a@x", t0);
        assert!(l.check("ip", "a@x", t0).is_ok());
        l.record_failure("ip", "a@x", t0 + Duration::from_secs(10));
        assert_eq!(l.check("ip", "a@x", t0 + Duration::from_secs(20)), Err(40));
        // Another client is refused for this account too: the account is what is attacked.
        assert!(l.check("other-ip", "a@x", t0 + Duration::from_secs(20)).is_err());
        // The oldest failure ages out, so one more try is allowed.
        assert!(l.check("ip", "a@x", t0 + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn a_client_locks_after_failures_across_accounts() {
        let l = limiter();
        let t0 = Instant::now();
        for (i, account) in ["a", "b", "c", "d"].iter().enumerate() {
            assert!(l.check("ip", account, t0).is_ok(), "attempt {i}");
            l.record_failure("ip", account, t0);
        }
        assert!(l.check("ip", "e", t0).is_err());
        assert!(l.check("elsewhere", "e", t0).is_ok());
    }

    #[test]
    fn success_clears_the_account_but_not_the_client() {
        let l = limiter();
        let t0 = Instant::now();
        l.record_failure("ip", "a", t0);
        l.record_failure("ip", "a", t0);
        assert!(l.check("ip", "a", t0).is_err());
        l.record_success("a");
        assert!(l.check("ip2", "a", t0).is_ok());
        l.record_failure("ip", "b", t0);
        l.record_failure("ip", "c", t0);
        assert!(l.check("ip", "z", t0).is_err(), "the client's four failures still count");
    }

    #[test]
    fn many_distinct_keys_are_swept() {
        let l = LoginLimiter::new(Limits { per_client: 1000, per_account: 5, window: Duration::from_secs(1) });
        let t0 = Instant::now();
        for i in 0..SWEEP_AT {
            l.record_failure("ip", &format!("user{i}"), t0);
        }
        l.record_failure("ip", "late", t0 + Duration::from_secs(5));
        assert!(l.failures.lock().unwrap().len() <= 2);
    }
}
