//! What a person does with alerts, in plain forms: take one, and set a rule.

use crate::alert::model::{RuleKind, RuleSetting};
use crate::ui::{FormError, Posted, TextField};
use leptos::prelude::*;

/// Takes a firing alert, as a plain form: the page comes back saying so, with the bell one
/// lower, or with the reason it could not (someone was quicker).
#[component]
pub(super) fn AcknowledgeButton(id: i64, subject: String) -> impl IntoView {
    let error = Posted::to(crate::access::Action::AcknowledgeAlert.endpoint()).error_for("id", &id.to_string());
    view! {
        <form method="post" action=crate::access::Action::AcknowledgeAlert.endpoint() class="inline-form">
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button small">
                "Acknowledge"<span class="visually-hidden">{format!(" the alert on {subject}")}</span>
            </button>
        </form>
        <FormError error />
    }
}

/// One rule's settings, as a plain form: it posts to the server function, which answers with
/// a redirect back here, carrying the error if any (see `ui::posted_error`). No island: the
/// rules page costs the browser no code. Saving applies the rule at once.
#[component]
pub fn RuleForm(rule: RuleSetting) -> impl IntoView {
    let kind = rule.kind;
    let error = Signal::stored(crate::ui::posted_error(crate::access::Action::SaveAlertRule.endpoint()));
    let prefix = format!("{}-", kind.as_str());
    // Rules that judge a status by colour choose the colours; the others take a number.
    let by_status = matches!(kind, RuleKind::KpiStatus | RuleKind::SpendVariance);
    let kpi_levels = by_status.then(|| {
        let id = format!("{prefix}threshold");
        let what = if kind == RuleKind::KpiStatus { "Alert when a KPI is" } else { "Alert when spending to date is" };
        view! {
            <div class="field">
                <label for=id.clone()>{what}</label>
                <select id=id name="threshold">
                    <option value="1" selected=rule.threshold < 2>"Amber or red"</option>
                    <option value="2" selected=rule.threshold >= 2>"Red only"</option>
                </select>
            </div>
        }
    });
    let label = match kind {
        RuleKind::ContractNotice => "Days before the deadline",
        RuleKind::TlsExpiry => "Days before it expires",
        RuleKind::FindingDeadline => "Days before the deadline (0: once past it)",
        RuleKind::ControlOverdue => "Days before it is due (0: once past it)",
        RuleKind::BudgetForecast => "Percent over the budget",
        RuleKind::ErrorBudget => "Percent of the budget used",
        _ => "After (minutes)",
    };
    let number = (!by_status)
        .then(|| view! { <TextField label name="threshold" kind="number" value=rule.threshold.to_string() error id_prefix=prefix.clone() /> });
    let enabled_id = format!("{prefix}enabled");
    view! {
        <form method="post" action=crate::access::Action::SaveAlertRule.endpoint() novalidate class="rule-form" aria-label=kind.label()>
            <input type="hidden" name="kind" value=kind.as_str() />
            <FormError error />
            <div class="field checkbox">
                <input type="checkbox" id=enabled_id.clone() name="enabled" value="true" checked=rule.enabled />
                <label for=enabled_id>"On"</label>
            </div>
            {kpi_levels}
            {number}
            <TextField
                label="Hold (minutes)"
                name="hold_minutes"
                kind="number"
                value=rule.hold_minutes.to_string()
                error
                id_prefix=prefix.clone()
                hint="If it clears and returns within this time, the same alert reopens, and its end is told only once it has stayed away this long."
            />
            <TextField
                label="Repeat (minutes)"
                name="repeat_minutes"
                kind="number"
                value=rule.repeat_minutes.to_string()
                error
                id_prefix=prefix.clone()
                hint="While nobody has acknowledged it, the alert is sent again this often. 0: never."
            />
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <a class="button secondary" href=crate::access::Page::AlertRules.path()>"Cancel"</a>
            </div>
        </form>
    }
}
