//! The alerts page, the rules page and the bell: the server's HTML, every form a plain post.

mod channels;
mod forms;
mod list;

pub use channels::AlertChannelsPage;
use forms::AcknowledgeButton;
pub use list::{AlertRulesPage, AlertsPage, Bell, PageAlerts, SeverityBadge};
