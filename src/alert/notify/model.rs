//! Channels and deliveries as both sides see them.

use crate::platform::named::named_enum;
use serde::{Deserialize, Serialize};

named_enum!(
    /// How a channel is spoken to: three webhook payloads, or e-mail.
    Format {
        Generic = "generic" / "Webhook (JSON)",
        Slack = "slack" / "Slack webhook",
        Teams = "teams" / "Microsoft Teams webhook",
        Email = "email" / "E-mail",
    }
);

impl Format {
    pub fn is_webhook(self) -> bool {
        self != Format::Email
    }
}

/// An attempt as the delivery log says it: "HTTP 200 in 45 ms", "SMTP 250 in 12 ms", or what
/// went wrong.
pub fn outcome_text(format: Format, status: Option<i64>, error: Option<&str>, ms: Option<i64>) -> String {
    let took = ms.map(|ms| format!(" in {ms} ms")).unwrap_or_default();
    let protocol = if format.is_webhook() { "HTTP" } else { "SMTP" };
    match (error, status) {
        (Some(e), _) => format!("{e}{}", ms.map(|ms| format!(" (after {ms} ms)")).unwrap_or_default()),
        (None, Some(s)) => format!("{protocol} {s}{took}"),
        (None, None) => "not tried yet".into(),
    }
}

named_enum!(
    /// What a delivery tells of: an alert's change, a test, or (not an alert) a notice to the
    /// channel's owner about their feedback.
    Event {
        Fired = "fired" / "Fired",
        Escalated = "escalated" / "Got worse",
        Repeat = "repeat" / "Still firing",
        Resolved = "resolved" / "Resolved",
        Test = "test" / "Test",
        Feedback = "feedback" / "Feedback",
    }
);

named_enum!(
    DeliveryState {
        Pending = "pending" / "Waiting to retry",
        Sending = "sending" / "Sending",
        Sent = "sent" / "Sent",
        Failed = "failed" / "Gave up",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    /// "2026-11-30 14:05 UTC".
    pub at: String,
    pub event: Event,
    pub title: String,
    pub state: DeliveryState,
    pub attempts: i64,
    /// "HTTP 200 in 45 ms", "250 in 12 ms", or the last error.
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRow {
    pub id: i64,
    pub name: String,
    pub format: Format,
    /// The address with any path and query hidden: a Slack or Teams webhook URL is itself a
    /// credential, so the page shows where it goes, not how to post there.
    pub target: String,
    pub owner: String,
    pub mine: bool,
    pub signed: bool,
    /// The rule kinds it receives (`as_str`); empty: every rule.
    pub rules: Vec<String>,
    pub department: Option<String>,
    pub department_id: Option<i64>,
    pub critical_only: bool,
    /// Also the notices about its owner's own feedback.
    pub feedback: bool,
    pub enabled: bool,
    /// What it receives, in words: "Every alert", "Engineering's KPI alerts, critical only".
    pub receives: String,
    pub deliveries: Vec<DeliveryRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channels {
    pub rows: Vec<ChannelRow>,
    /// Whether the server can send e-mail (`NORTHSTAR_SMTP_URL` is set).
    pub email_ready: bool,
    /// The reader's own address, the only one a department head may send to.
    pub own_email: String,
    /// Departments a CTO's channel may be limited to: (id, name).
    pub departments: Vec<(i64, String)>,
}
