//! What changed, told to whoever watches: an area says "this KPI's measurements changed" after
//! its transaction commits, and the alert rules that watch KPIs look at that KPI again. The
//! platform carries the news without knowing either side.
//!
//! A broadcast channel: sending never waits and costs a save next to nothing, and a watcher
//! that falls behind learns that it missed news ([`Missed`]) and looks at everything instead.

use tokio::sync::broadcast;

/// One changed thing, by the id its area uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    /// A KPI's measurements, targets or definition.
    Kpi(i64),
    /// A system's status, checks or maintenance.
    System(i64),
    /// An incident was opened, acknowledged or closed.
    Incident(i64),
    /// A vendor contract was saved or removed.
    Contract,
    /// Spending or the plan of one department (`None`: any, such as an import or the
    /// budget settings).
    Budget(Option<i64>),
    /// People cost or where it goes: a team's roles or time allocation, or the systems an
    /// initiative touches.
    People,
    /// A notice was written for someone (an answer or a comment on their feedback).
    Notice,
    /// A system's vulnerability findings (`None`: every system's, as when the deadlines
    /// change).
    Findings(Option<i64>),
    /// A security control or its evidence.
    Controls,
}

#[derive(Clone)]
pub struct Changes(broadcast::Sender<Changed>);

/// The watcher fell behind and some news was dropped.
#[derive(Debug)]
pub struct Missed;

pub struct Watcher(broadcast::Receiver<Changed>);

impl Changes {
    pub fn new() -> Changes {
        Changes(broadcast::channel(1024).0)
    }

    /// Says that something changed. Nobody watching is fine: the scheduled pass catches up.
    pub fn tell(&self, what: Changed) {
        let _ = self.0.send(what);
    }

    pub fn watch(&self) -> Watcher {
        Watcher(self.0.subscribe())
    }
}

impl Default for Changes {
    fn default() -> Self {
        Changes::new()
    }
}

impl Watcher {
    /// The next change; `None` once the app is shutting down.
    pub async fn next(&mut self) -> Option<Result<Changed, Missed>> {
        match self.0.recv().await {
            Ok(c) => Some(Ok(c)),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Err(Missed)),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}
