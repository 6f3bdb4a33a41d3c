//! Stakeholder feedback: requests, problems and praise from everyone signed in, about a KPI, a
//! system, a budget, a report or technology in general, shown on the page of what it is about;
//! the CTO's public answers as items move from new to done or declined, planned items tied to
//! the initiative or radar entry that answers them; votes, comments, and notices to authors.

pub mod api;
pub mod components;
pub mod model;
pub mod view;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
