//! The scheduler that runs every enabled check on its interval, and the one writer that
//! stores what they find.
//!
//! Each check gets a random phase within its interval when the monitor starts, so a thousand
//! checks every 30 s spread over the 30 s instead of firing together; after that each run is
//! due exactly one interval after the previous one was due, so the schedule does not drift
//! however long probes take. A new or changed check runs at once. Probes run as tasks,
//! at most `concurrency` at a time; results go through a channel to a single writer that
//! stores them in batches, one transaction per batch.

use super::model::{CheckKind, CheckSpec};
use super::probe::{Outcome, Prober};
use super::record::{self, CheckResult};
use crate::platform::error::AppError;
use crate::platform::metrics::Metrics;
use crate::platform::net::Outbound;
use crate::platform::db;
use rand::Rng;
use sqlx::SqlitePool;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Semaphore};
use tokio::time::Instant;

pub enum Command {
    /// Checks were added, changed or removed.
    Reload,
}

/// How punctual the scheduler has been, for the benchmark and the logs.
#[derive(Default)]
pub struct Stats {
    pub runs: AtomicU64,
    pub late_us_total: AtomicU64,
    pub late_us_max: AtomicU64,
    pub stored: AtomicU64,
}

impl Stats {
    fn late(&self, by: Duration) {
        let us = by.as_micros().min(u64::MAX as u128) as u64;
        self.runs.fetch_add(1, Ordering::Relaxed);
        self.late_us_total.fetch_add(us, Ordering::Relaxed);
        self.late_us_max.fetch_max(us, Ordering::Relaxed);
    }
}

pub struct Monitor {
    commands: mpsc::UnboundedSender<Command>,
    inbox: Mutex<Option<mpsc::UnboundedReceiver<Command>>>,
    pub prober: Arc<Prober>,
    pub stats: Arc<Stats>,
}

impl Monitor {
    pub fn new(outbound: Outbound, metrics: Arc<Metrics>) -> Monitor {
        let (commands, inbox) = mpsc::unbounded_channel();
        Monitor { commands, inbox: Mutex::new(Some(inbox)), prober: Arc::new(Prober::new(outbound, metrics)), stats: Arc::default() }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub concurrency: usize,
    /// How often every system's status is re-derived without a result, so maintenance windows
    /// open and close on time.
    pub sweep_every: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options { concurrency: 64, sweep_every: Duration::from_secs(30) }
    }
}

impl Monitor {
    /// Tells the scheduler to pick up changed checks. A stopped scheduler ignores it.
    pub fn reload(&self) {
        let _ = self.commands.send(Command::Reload);
    }

    /// Starts the scheduler; only the first call does anything.
    pub fn start(&self, pool: SqlitePool, options: Options) {
        let Some(inbox) = self.inbox.lock().expect("monitor lock").take() else { return };
        let (results, rx) = mpsc::channel(4096);
        tokio::spawn(writer(pool.clone(), rx, self.stats.clone()));
        tokio::spawn(schedule(pool, self.prober.clone(), inbox, results, options, self.stats.clone()));
    }
}

enum Msg {
    Result(CheckResult),
    Sweep,
}

struct Planned {
    spec: CheckSpec,
    interval: Duration,
    generation: u64,
}

type Queue = BinaryHeap<Reverse<(Instant, i64, u64)>>;

async fn schedule(pool: SqlitePool, prober: Arc<Prober>, mut inbox: mpsc::UnboundedReceiver<Command>, results: mpsc::Sender<Msg>, options: Options, stats: Arc<Stats>) {
    let mut planned: HashMap<i64, Planned> = HashMap::new();
    let mut queue: Queue = BinaryHeap::new();
    let mut generation = 0;
    if let Err(e) = reload(&pool, &mut planned, &mut queue, &mut generation, true).await {
        tracing::error!(error = %e, "could not load the checks; retrying on the next change");
    }
    let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut sweep = tokio::time::interval(options.sweep_every);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let next = queue.peek().map(|Reverse((t, _, _))| *t);
        let wait = async move {
            match next {
                Some(t) => tokio::time::sleep_until(t).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            command = inbox.recv() => match command {
                None => return,
                Some(Command::Reload) => {
                    if let Err(e) = reload(&pool, &mut planned, &mut queue, &mut generation, false).await {
                        tracing::error!(error = %e, "could not reload the checks");
                    }
                }
            },
            _ = sweep.tick() => {
                let _ = results.send(Msg::Sweep).await;
            }
            _ = wait => {
                let Some(Reverse((due, id, generation))) = queue.pop() else { continue };
                let Some(plan) = planned.get(&id).filter(|p| p.generation == generation) else { continue };
                let Ok(permit) = permits.clone().acquire_owned().await else { return };
                stats.late(Instant::now().saturating_duration_since(due));
                let (spec, prober, results) = (plan.spec.clone(), prober.clone(), results.clone());
                tokio::spawn(async move {
                    let at_ms = db::now_millis();
                    let outcome = prober.run(&spec).await;
                    drop(permit);
                    let _ = results.send(Msg::Result(CheckResult { check_id: id, at_ms, outcome })).await;
                });
                let mut next = due + plan.interval;
                let now = Instant::now();
                if next <= now {
                    // Fell behind by more than an interval (the machine slept, say): skip the
                    // missed runs rather than fire them all at once, keeping the phase.
                    let behind = (now - next).as_nanos() / plan.interval.as_nanos().max(1) + 1;
                    next += plan.interval * behind as u32;
                }
                queue.push(Reverse((next, id, generation)));
            }
        }
    }
}

async fn reload(pool: &SqlitePool, planned: &mut HashMap<i64, Planned>, queue: &mut Queue, generation: &mut u64, starting: bool) -> Result<(), AppError> {
    let checks = enabled_checks(pool, None).await?;
    let now = Instant::now();
    let keep: std::collections::HashSet<i64> = checks.iter().map(|(id, _)| *id).collect();
    planned.retain(|id, _| keep.contains(id));
    let mut rng = rand::thread_rng();
    for (id, spec) in checks {
        if planned.get(&id).is_some_and(|p| p.spec == spec) {
            continue;
        }
        *generation += 1;
        let interval = Duration::from_secs(spec.interval_secs.max(1) as u64);
        let first = if starting { now + Duration::from_millis(rng.gen_range(0..interval.as_millis().max(1) as u64)) } else { now };
        planned.insert(id, Planned { spec, interval, generation: *generation });
        queue.push(Reverse((first, id, *generation)));
    }
    // Entries of removed or changed checks stay queued until due, then are skipped; rebuild
    // when they would outnumber the live ones.
    if queue.len() > planned.len() * 2 + 16 {
        queue.retain(|Reverse((_, id, g))| planned.get(id).is_some_and(|p| p.generation == *g));
    }
    Ok(())
}

/// Every enabled check's settings, or one check's.
pub async fn enabled_checks(pool: &SqlitePool, only: Option<i64>) -> Result<Vec<(i64, CheckSpec)>, AppError> {
    type Row = (i64, String, String, String, i64, i64, String, bool, i64, i64, i64, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        r#"SELECT id, kind, target, method, expect_min, expect_max, keyword, follow_redirects, timeout_ms, interval_secs,
                  failure_threshold, degraded_ms FROM checks WHERE enabled = 1 AND (?1 IS NULL OR id = ?1)"#,
    )
    .bind(only)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, target, method, lo, hi, keyword, follow, timeout_ms, interval_secs, failure_threshold, degraded_ms)| {
            Some((
                id,
                CheckSpec {
                    kind: CheckKind::parse(&kind)?,
                    target,
                    method,
                    expect_min: lo as u16,
                    expect_max: hi as u16,
                    keyword,
                    follow_redirects: follow,
                    timeout_ms,
                    interval_secs,
                    failure_threshold,
                    degraded_ms,
                    enabled: true,
                },
            ))
        })
        .collect())
}

/// Stores results in batches: whatever arrives within 200 ms of the first goes in one
/// transaction, so a thousand checks cost a few commits a second rather than a thousand.
async fn writer(pool: SqlitePool, mut rx: mpsc::Receiver<Msg>, stats: Arc<Stats>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let deadline = Instant::now() + Duration::from_millis(200);
        while batch.len() < 500 {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(m)) => batch.push(m),
                _ => break,
            }
        }
        match apply(&pool, &batch).await {
            Ok(n) => {
                stats.stored.fetch_add(n, Ordering::Relaxed);
            }
            Err(e) => tracing::warn!(error = %e, results = batch.len(), "could not store check results"),
        }
    }
}

async fn apply(pool: &SqlitePool, batch: &[Msg]) -> Result<u64, AppError> {
    let mut tx = db::begin_write(pool).await?;
    let mut stored = 0;
    for m in batch {
        match m {
            Msg::Result(r) => {
                record::record(&mut tx, r).await?;
                stored += 1;
            }
            Msg::Sweep => record::sweep(&mut tx, db::now_unix()).await?,
        }
    }
    tx.commit().await?;
    Ok(stored)
}

/// Runs one check now, outside the schedule, and stores its result like any other.
pub async fn run_now(pool: &SqlitePool, prober: &Prober, check_id: i64, spec: &CheckSpec) -> Result<Outcome, AppError> {
    let at_ms = db::now_millis();
    let outcome = prober.run(spec).await;
    let mut tx = db::begin_write(pool).await?;
    record::record(&mut tx, &CheckResult { check_id, at_ms, outcome: outcome.clone() }).await?;
    tx.commit().await?;
    Ok(outcome)
}
