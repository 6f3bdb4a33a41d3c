//! The alerts page, the rules page and the bell. Lists are the server's HTML; what a person
//! acts on (acknowledging, a rule's form) is an island of the `alerts` module.

mod forms;
mod list;

use crate::alert::model::RuleSetting;
use forms::{AcknowledgeButton, RuleForm};
pub use list::{AlertRulesPage, AlertsPage, Bell, PageAlerts, SeverityBadge};

crate::ui::area_islands! { alerts:
    acknowledge_button(id: i64, subject: String) => AcknowledgeButton, _island_acknowledge_button, load_acknowledge_button;
    rule_form(rule: RuleSetting) => RuleForm, _island_rule_form, load_rule_form;
}
