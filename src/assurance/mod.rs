//! Quality and data protection: the rules findings and controls are judged by, the starter
//! controls and their mapping to frameworks, and what is read from scanners. The control
//! register, evidence, findings, the record of processing and the posture build on these.

pub mod model;
#[cfg(feature = "ssr")]
pub mod sarif;
#[cfg(feature = "ssr")]
pub mod starter;
