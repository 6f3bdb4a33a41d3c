//! The integration tests, as one binary: each file here was its own test crate, and each of those
//! linked the whole server again (about 17 links of the same dependencies, gigabytes of `target/`,
//! enough to fill a CI machine's disk). One crate links once and runs all of them in parallel.

mod common;

mod access;

mod allocation;
mod admin;
mod alerts;
mod assurance;
mod controls;
mod posture;
mod privacy;
mod quality;
mod recovery;
mod api;
mod architecture;
mod assets;
mod attacks;
mod audit;
mod auth;
mod backups;
mod budgets;
mod cli;
mod cloud;
mod digest;
mod cockpit;
mod faults;
mod forms;
mod forms_kept;
mod infra;
mod kpis;
mod notify;
mod people;
mod process;
mod radar;
mod feedback;
mod feedback_news;
mod pulse;
mod readme;
mod reports;
mod staff;
mod unit_costs;
mod strategy;
