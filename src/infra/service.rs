//! The bodies of the infrastructure server functions, one file per part of the area: the
//! status board and a system's page, systems and maintenance, checks, incidents, response
//! times, the SLA report. Each checks the caller's scope, then reads or writes through the repo.

pub mod board;
pub mod checks;
pub mod incidents;
pub mod latency;
pub mod sla;
pub mod systems;
pub mod watch;
