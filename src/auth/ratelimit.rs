//! Sign-in throttling by failed attempts: per account and client together, per client, and a
//! growing delay per account.
//!
//! * **Reserve, then verify.** An attempt takes its place as a failure *before* the password
//!   is checked and gives it back on success, so fifty parallel guesses cannot all slip past a
//!   check-then-record limiter: the sixth finds the five reservations and is refused without a
//!   hash being spent.
//! * **Account and client together** (5 failures in 15 minutes) lock out the guesser, not the
//!   owner: the owner's own browser is another pair.
//! * **Per client** (20 failures in 15 minutes, any accounts) stops one address spraying.
//! * **Per account**, across clients: from the fifth failure on, attempts on the account are
//!   spaced out, one second apart at first and doubling with each further failure up to a
//!   minute. Guessing from many addresses slows to a crawl, yet the owner, from a new client,
//!   gets in after a short wait instead of a fifteen-minute lockout (ASVS V2.2.1).
//!
//! Counting failures rather than requests means a person who signs in and out all day is
//! never held up. Off-the-shelf limiters (governor, tower_governor) count every request and
//! know nothing of accounts, hence this module.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Failures of one account from one client.
    pub per_pair: usize,
    /// Failures from one client, whatever the accounts.
    pub per_client: usize,
    pub window: Duration,
    /// The spacing of attempts on an account once it has `per_pair` failures.
    pub account_delay: Duration,
    pub account_delay_max: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_pair: 5,
            per_client: 20,
            window: Duration::from_secs(15 * 60),
            account_delay: Duration::from_secs(1),
            account_delay_max: Duration::from_secs(60),
        }
    }
}

/// A reserved attempt: a failure until [`LoginLimiter::succeeded`] says otherwise.
#[must_use]
pub struct Attempt {
    client: String,
    account: String,
    at: Instant,
}

#[derive(Default)]
struct Account {
    failures: VecDeque<Instant>,
    last_admitted: Option<Instant>,
}

#[derive(Default)]
struct Books {
    pairs: HashMap<(String, String), VecDeque<Instant>>,
    clients: HashMap<String, VecDeque<Instant>>,
    accounts: HashMap<String, Account>,
    /// Locked (account, client) pairs whose lockout the audit trail has already recorded.
    announced: HashSet<(String, String)>,
    /// The key count that triggers the next sweep; it doubles past what a sweep leaves, so a
    /// spray of fresh keys costs amortised constant time rather than a scan per attempt.
    sweep_at: usize,
}

pub struct LoginLimiter {
    limits: Limits,
    books: Mutex<Books>,
}

/// Past this many tracked keys, stale entries are swept so memory stays bounded under a
/// spray of random emails or addresses.
const SWEEP_AT: usize = 10_000;

impl LoginLimiter {
    pub fn new(limits: Limits) -> Self {
        LoginLimiter { limits, books: Mutex::new(Books::default()) }
    }

    /// Admits one attempt and books it as a failure, or says how many seconds to wait.
    pub fn reserve(&self, client: &str, account: &str, now: Instant) -> Result<Attempt, u64> {
        let l = self.limits;
        let mut books = self.books.lock().unwrap_or_else(|p| p.into_inner());
        if books.keys() >= books.sweep_at.max(SWEEP_AT) {
            books.sweep(now, l.window);
            books.sweep_at = books.keys() * 2;
        }
        let pair_key = (account.to_string(), client.to_string());
        let mut wait = Duration::ZERO;
        if let Some(times) = books.pairs.get_mut(&pair_key) {
            wait = wait.max(full_for(times, l.per_pair, now, l.window));
        }
        if let Some(times) = books.clients.get_mut(client) {
            wait = wait.max(full_for(times, l.per_client, now, l.window));
        }
        if let Some(acct) = books.accounts.get_mut(account) {
            prune(&mut acct.failures, now, l.window);
            if let (Some(spacing), Some(last)) = (self.spacing(acct.failures.len()), acct.last_admitted) {
                wait = wait.max(spacing.saturating_sub(now.saturating_duration_since(last)));
            }
        }
        if !wait.is_zero() {
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        books.announced.remove(&pair_key);
        books.pairs.entry(pair_key).or_default().push_back(now);
        books.clients.entry(client.to_string()).or_default().push_back(now);
        let acct = books.accounts.entry(account.to_string()).or_default();
        acct.failures.push_back(now);
        acct.last_admitted = Some(now);
        Ok(Attempt { client: client.to_string(), account: account.to_string(), at: now })
    }

    /// The right password: the reservation was no failure, the account's failures are
    /// forgiven, and this client's pair with it starts afresh. Other clients' pairs stay, so a
    /// guesser is not unlocked by the owner signing in.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut books = self.books.lock().unwrap_or_else(|p| p.into_inner());
        books.accounts.remove(&attempt.account);
        books.pairs.remove(&(attempt.account, attempt.client.clone()));
        if let Some(times) = books.clients.get_mut(&attempt.client) {
            if let Some(i) = times.iter().rposition(|t| *t == attempt.at) {
                times.remove(i);
            }
        }
    }

    /// Whether this refusal is the first of its lockout: the trail records a lockout once,
    /// not every refused try (a guesser would otherwise turn cheap refusals into writes).
    pub fn first_refusal(&self, client: &str, account: &str) -> bool {
        let mut books = self.books.lock().unwrap_or_else(|p| p.into_inner());
        books.announced.insert((account.to_string(), client.to_string()))
    }

    /// The spacing an account with `failures` recent failures imposes, if any.
    fn spacing(&self, failures: usize) -> Option<Duration> {
        let excess = failures.checked_sub(self.limits.per_pair)?;
        let factor = 1u32.checked_shl(excess.min(16) as u32).unwrap_or(u32::MAX);
        Some(self.limits.account_delay.saturating_mul(factor).min(self.limits.account_delay_max))
    }
}

impl Books {
    fn keys(&self) -> usize {
        self.pairs.len() + self.clients.len() + self.accounts.len() + self.announced.len()
    }

    fn sweep(&mut self, now: Instant, window: Duration) {
        self.pairs.retain(|_, t| {
            prune(t, now, window);
            !t.is_empty()
        });
        self.clients.retain(|_, t| {
            prune(t, now, window);
            !t.is_empty()
        });
        self.accounts.retain(|_, a| {
            prune(&mut a.failures, now, window);
            !a.failures.is_empty()
        });
        let pairs = &self.pairs;
        self.announced.retain(|k| pairs.contains_key(k));
    }
}

/// How long until `times` holds fewer than `max` entries inside the window.
fn full_for(times: &mut VecDeque<Instant>, max: usize, now: Instant, window: Duration) -> Duration {
    prune(times, now, window);
    if times.len() < max {
        return Duration::ZERO;
    }
    let oldest_that_counts = times[times.len() - max];
    window.saturating_sub(now.saturating_duration_since(oldest_that_counts))
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> LoginLimiter {
        LoginLimiter::new(Limits { per_pair: 2, per_client: 4, window: Duration::from_secs(60), ..Limits::default() })
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn a_pair_locks_after_its_failures_and_unlocks_after_the_window() {
        let l = limiter();
        let t0 = Instant::now();
        let _ = l.reserve("ip", "a@x", t0).unwrap();
        let _ = l.reserve("ip", "a@x", t0 + secs(10)).unwrap();
        assert_eq!(l.reserve("ip", "a@x", t0 + secs(20)).err(), Some(40));
        // The oldest failure ages out, so one more try is allowed.
        assert!(l.reserve("ip", "a@x", t0 + secs(61)).is_ok());
    }

    #[test]
    fn the_owner_from_another_client_waits_seconds_not_minutes() {
        let l = limiter();
        let t0 = Instant::now();
        let _ = l.reserve("attacker", "cto", t0).unwrap();
        let _ = l.reserve("attacker", "cto", t0).unwrap();
        // The account now spaces attempts a second apart.
        assert_eq!(l.reserve("owner", "cto", t0).err(), Some(1));
        let owner = l.reserve("owner", "cto", t0 + secs(1)).unwrap();
        l.succeeded(owner);
        assert!(l.reserve("owner", "cto", t0 + secs(1)).is_ok(), "success ends the spacing");
        assert!(l.reserve("attacker", "cto", t0 + secs(2)).is_err(), "the guesser stays locked out");
    }

    #[test]
    fn the_account_spacing_doubles_up_to_its_cap() {
        let l = LoginLimiter::new(Limits { per_pair: 1, per_client: 1000, window: secs(3600), account_delay: secs(1), account_delay_max: secs(8) });
        let mut t = Instant::now();
        let mut waits = Vec::new();
        for client in 0..7 {
            let client = format!("c{client}");
            match l.reserve(&client, "cto", t) {
                Ok(_) => waits.push(0),
                Err(w) => {
                    waits.push(w);
                    t += secs(w);
                    let _ = l.reserve(&client, "cto", t).unwrap();
                }
            }
        }
        assert_eq!(waits, vec![0, 1, 2, 4, 8, 8, 8]);
    }

    #[test]
    fn parallel_reservations_cannot_exceed_the_pair_limit() {
        let l = std::sync::Arc::new(LoginLimiter::new(Limits::default()));
        let t0 = Instant::now();
        let admitted: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..50).map(|_| s.spawn(|| l.reserve("ip", "cto", t0).is_ok() as usize)).collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(admitted, 5);
    }

    #[test]
    fn a_client_locks_after_failures_across_accounts() {
        let l = limiter();
        let t0 = Instant::now();
        for account in ["a", "b", "c", "d"] {
            let _ = l.reserve("ip", account, t0).unwrap();
        }
        assert!(l.reserve("ip", "e", t0).is_err());
        assert!(l.reserve("elsewhere", "e", t0).is_ok());
    }

    #[test]
    fn success_gives_back_the_reservation_but_not_the_clients_failures() {
        let l = limiter();
        let t0 = Instant::now();
        let _ = l.reserve("ip", "b", t0).unwrap();
        let _ = l.reserve("ip", "c", t0).unwrap();
        let _ = l.reserve("ip", "d", t0).unwrap();
        let ok = l.reserve("ip", "a", t0).unwrap();
        l.succeeded(ok);
        assert!(l.reserve("ip", "z", t0).is_ok(), "the success did not count against the client");
        assert!(l.reserve("ip", "y", t0).is_err(), "the three failures and one more do");
    }

    #[test]
    fn many_distinct_keys_are_swept() {
        let l = LoginLimiter::new(Limits { per_client: 100_000, window: secs(1), ..Limits::default() });
        let t0 = Instant::now();
        // Five waves of fresh keys, each after the last has aged out: what is kept stays
        // bounded instead of growing with every wave.
        for wave in 0..5u64 {
            for i in 0..SWEEP_AT {
                let _ = l.reserve(&format!("ip{wave}"), &format!("user{wave}-{i}"), t0 + secs(5 * wave));
            }
        }
        let keys = l.books.lock().unwrap().keys();
        assert!(keys < 3 * SWEEP_AT, "{keys} keys kept");
    }
}
