//! Telling people of alerts outside the app: channels (webhooks in three formats, e-mail), the
//! deliveries the outbox writes with each alert change, and the dispatcher that sends them.

pub mod api;
pub mod model;

#[cfg(feature = "ssr")]
pub mod channels;
#[cfg(feature = "ssr")]
pub mod dispatch;
#[cfg(feature = "ssr")]
pub mod message;
#[cfg(feature = "ssr")]
pub mod outbox;
