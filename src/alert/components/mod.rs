//! The alerts page, the rules page and the bell. All are the server's HTML but the Acknowledge
//! button, an island of the `alerts` module; a rule's form posts without any script.

mod channels;
mod forms;
mod list;

pub use channels::AlertChannelsPage;
use forms::AcknowledgeButton;
pub use list::{AlertRulesPage, AlertsPage, Bell, PageAlerts, SeverityBadge};

crate::ui::area_islands! { alerts:
    acknowledge_button(id: i64, subject: String) => AcknowledgeButton, _island_acknowledge_button, load_acknowledge_button;
}
