//! What a notification says, in each channel's format, and the webhook signature.

use super::model::{Event, Format};
use crate::alert::model::{RuleKind, Severity};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

/// One notification's content, as the alert stood when it changed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Notice {
    pub id: i64,
    pub alert_id: Option<i64>,
    pub event: Event,
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub summary: String,
    /// The page's path; made absolute with the server's address when sent.
    pub link: String,
}

impl Notice {
    fn rule_label(&self) -> &str {
        RuleKind::parse(&self.rule).map_or(self.rule.as_str(), |k| k.label())
    }

    /// "Critical · System down or degraded: Okta". A test says so; feedback has no severity.
    pub fn headline(&self) -> String {
        let what = match self.event {
            Event::Feedback => return format!("Feedback · {}", self.title),
            Event::Fired | Event::Resolved => "",
            Event::Escalated => "Worse: ",
            Event::Repeat => "Still firing: ",
            Event::Test => "Test: ",
        };
        let severity = if self.event == Event::Resolved { "Resolved" } else { self.severity.label() };
        format!("{what}{severity} · {}: {}", self.rule_label(), self.title)
    }
}

/// The body POSTed to a webhook channel.
pub fn webhook_body(format: Format, n: &Notice, base: &str) -> String {
    let link = format!("{base}{}", n.link);
    let body = match format {
        Format::Slack => json!({ "text": format!("{} {}\n{}\n<{}|Open in Northstar>", slack_icon(n), slack_escape(&n.headline()), slack_escape(&n.summary), link) }),
        Format::Teams => teams_card(n, &link),
        Format::Generic | Format::Email if n.event == Event::Feedback => json!({
            "event": n.event.as_str(),
            "delivery": n.id,
            "feedback": { "item": n.title, "notice": n.summary, "link": link },
            "text": n.headline(),
        }),
        Format::Generic | Format::Email => json!({
            "event": n.event.as_str(),
            "delivery": n.id,
            "alert": {
                "id": n.alert_id,
                "rule": n.rule,
                "rule_label": n.rule_label(),
                "severity": n.severity.as_str(),
                "subject": n.title,
                "summary": n.summary,
                "link": link,
            },
            "text": n.headline(),
        }),
    };
    body.to_string()
}

fn slack_icon(n: &Notice) -> &'static str {
    match (n.event, n.severity) {
        (Event::Resolved, _) => ":large_green_circle:",
        (Event::Test, _) => ":information_source:",
        (Event::Feedback, _) => ":speech_balloon:",
        (_, Severity::Critical) => ":red_circle:",
        (_, Severity::Warning) => ":large_orange_circle:",
    }
}

/// Slack reads `&`, `<` and `>` as markup; everything else is text.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An Adaptive Card, the message shape Teams' workflow webhooks take.
fn teams_card(n: &Notice, link: &str) -> Value {
    let color = match (n.event, n.severity) {
        (Event::Resolved, _) => "Good",
        (Event::Test | Event::Feedback, _) => "Accent",
        (_, Severity::Critical) => "Attention",
        (_, Severity::Warning) => "Warning",
    };
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    { "type": "TextBlock", "text": n.headline(), "weight": "Bolder", "size": "Medium", "color": color, "wrap": true },
                    { "type": "TextBlock", "text": n.summary, "wrap": true }
                ],
                "actions": [{ "type": "Action.OpenUrl", "title": "Open in Northstar", "url": link }]
            }
        }]
    })
}

/// An e-mail's subject and plain-text body.
pub fn email(n: &Notice, base: &str) -> (String, String) {
    // Plain ASCII where we choose the characters: a subject stays readable in every client,
    // with no encoded words.
    let subject = format!("[Northstar] {}", n.headline().replace(" · ", " - "));
    let text = format!(
        "{}\n\n{}\n\nOpen it in Northstar: {base}{}\n\nYou receive this because of a notification channel in Northstar; change it at {base}{}.\n",
        n.headline(),
        n.summary,
        n.link,
        crate::access::Page::AlertChannels.path()
    );
    (subject, text)
}

/// The `X-Northstar-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256>` over
/// `"<t>.<body>"`. The timestamp is signed with the body, so a receiver that refuses old
/// timestamps cannot be sent a recorded delivery again.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={timestamp},v1={}", crate::platform::encode::hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(event: Event) -> Notice {
        Notice {
            id: 7,
            alert_id: Some(3),
            event,
            rule: "system_down".into(),
            severity: Severity::Critical,
            title: "Okta <prod>".into(),
            summary: "Okta is down since 2026-11-30 14:05 UTC.".into(),
            link: "/infrastructure/systems/3".into(),
        }
    }

    #[test]
    fn each_format_carries_the_headline_and_an_absolute_link() {
        let n = notice(Event::Fired);
        let generic: Value = serde_json::from_str(&webhook_body(Format::Generic, &n, "https://ns.example")).unwrap();
        assert_eq!(generic["alert"]["link"], "https://ns.example/infrastructure/systems/3");
        assert_eq!(generic["event"], "fired");
        assert_eq!(generic["text"], "Critical · System down or degraded: Okta <prod>");
        let slack: Value = serde_json::from_str(&webhook_body(Format::Slack, &n, "https://ns.example")).unwrap();
        let text = slack["text"].as_str().unwrap();
        assert!(text.starts_with(":red_circle: Critical · System down or degraded: Okta &lt;prod&gt;"), "{text}");
        assert!(text.ends_with("<https://ns.example/infrastructure/systems/3|Open in Northstar>"), "{text}");
        let teams: Value = serde_json::from_str(&webhook_body(Format::Teams, &n, "https://ns.example")).unwrap();
        let card = &teams["attachments"][0]["content"];
        assert_eq!(card["body"][0]["color"], "Attention");
        assert_eq!(card["actions"][0]["url"], "https://ns.example/infrastructure/systems/3");
        assert_eq!(notice(Event::Resolved).headline(), "Resolved · System down or degraded: Okta <prod>");
        assert_eq!(notice(Event::Repeat).headline(), "Still firing: Critical · System down or degraded: Okta <prod>");
    }

    #[test]
    fn feedback_is_told_as_feedback_not_as_an_alert() {
        let n = Notice { rule: "feedback".into(), severity: Severity::Warning, title: "CI queues every morning".into(), summary: "Your problem “CI queues every morning” is planned".into(), link: "/feedback/4".into(), ..notice(Event::Feedback) };
        assert_eq!(n.headline(), "Feedback · CI queues every morning");
        let generic: Value = serde_json::from_str(&webhook_body(Format::Generic, &n, "https://ns.example")).unwrap();
        assert_eq!(generic["event"], "feedback");
        assert_eq!(generic["feedback"]["notice"], "Your problem “CI queues every morning” is planned");
        assert_eq!(generic["feedback"]["link"], "https://ns.example/feedback/4");
        assert!(generic.get("alert").is_none());
        let slack: Value = serde_json::from_str(&webhook_body(Format::Slack, &n, "https://ns.example")).unwrap();
        assert!(slack["text"].as_str().unwrap().starts_with(":speech_balloon: Feedback · CI queues every morning"));
        let (subject, text) = email(&n, "https://ns.example");
        assert_eq!(subject, "[Northstar] Feedback - CI queues every morning");
        assert!(text.contains("Your problem “CI queues every morning” is planned\n\nOpen it in Northstar: https://ns.example/feedback/4"), "{text}");
    }

    #[test]
    fn the_signature_covers_timestamp_and_body() {
        // The value from an independent HMAC-SHA256 implementation (Python's hmac module).
        assert_eq!(signature("topsecret", 1700000000, "{\"a\":1}"), "t=1700000000,v1=6a939b0c71853d606167625a15168ee9188c6a511c773ef4f42d307f3849e50f");
        assert_ne!(signature("topsecret", 1700000001, "{\"a\":1}"), signature("topsecret", 1700000000, "{\"a\":1}"));
    }
}
