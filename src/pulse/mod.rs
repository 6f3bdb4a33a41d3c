//! Satisfaction pulses: short anonymous surveys the CTO sends to department heads and investors,
//! once or every month or quarter, with each department's score kept as a KPI (with its history,
//! target and status) and no result shown for fewer than five answers.

pub mod api;
pub mod components;
pub mod model;
pub mod view;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod service;
