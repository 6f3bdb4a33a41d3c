//! The technology radar: technologies, tools, platforms and practices placed in four quadrants
//! and four rings (adopt, trial, assess, hold), each move a dated decision with its reasoning
//! and evidence, tied to the systems, vendors and initiatives it concerns; proposals from
//! department heads for the CTO to decide; and dated editions, frozen when published, that
//! investors may see the marked part of in a report.

pub mod api;
pub mod components;
pub mod model;
pub mod view;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod layout;
#[cfg(feature = "ssr")]
pub mod picture;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
