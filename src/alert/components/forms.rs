//! What a person does with alerts: take one, and set a rule.

use crate::alert::api::{AcknowledgeAlert, SaveAlertRule};
use crate::alert::model::{RuleKind, RuleSetting};
use crate::ui::{error_of, FormError, Flash, TextField};
use leptos::prelude::*;

/// Takes a firing alert; the page reloads saying so, with the bell one lower.
#[component]
pub(super) fn AcknowledgeButton(id: i64, subject: String) -> impl IntoView {
    let ack = ServerAction::<AcknowledgeAlert>::new();
    let error = error_of(ack);
    let done = format!("Acknowledged the alert on {subject}. It stays open until its condition clears.");
    Effect::new(move || {
        if matches!(ack.value().get(), Some(Ok(_))) {
            Flash::reload(done.clone());
        }
    });
    view! {
        <ActionForm action=ack attr:class="inline-form">
            <input type="hidden" name="id" value=id />
            <button type="submit" class="button small" disabled=move || ack.pending().get()>
                "Acknowledge"<span class="visually-hidden">{format!(" the alert on {subject}")}</span>
            </button>
        </ActionForm>
        <FormError error />
    }
}

/// One rule's settings; saving applies it at once.
#[component]
pub(super) fn RuleForm(rule: RuleSetting) -> impl IntoView {
    let save = ServerAction::<SaveAlertRule>::new();
    let error = error_of(save);
    let kind = rule.kind;
    Effect::new(move || {
        if matches!(save.value().get(), Some(Ok(_))) {
            Flash::reload(format!("Saved the rule “{}”; open alerts are updated to match.", kind.label()));
        }
    });
    let prefix = format!("{}-", kind.as_str());
    let threshold = match kind {
        RuleKind::KpiStatus => {
            let id = format!("{prefix}threshold");
            view! {
                <div class="field">
                    <label for=id.clone()>"Alert when a KPI is"</label>
                    <select id=id name="threshold">
                        <option value="1" selected=rule.threshold < 2>"Amber or red"</option>
                        <option value="2" selected=rule.threshold >= 2>"Red only"</option>
                    </select>
                </div>
            }
            .into_any()
        }
        RuleKind::SystemDown | RuleKind::IncidentUnacknowledged => {
            view! { <TextField label="After (minutes)" name="threshold" kind="number" value=rule.threshold.to_string() error id_prefix=prefix.clone() /> }.into_any()
        }
        RuleKind::ContractNotice => {
            view! { <TextField label="Days before the deadline" name="threshold" kind="number" value=rule.threshold.to_string() error id_prefix=prefix.clone() /> }.into_any()
        }
    };
    let enabled_id = format!("{prefix}enabled");
    view! {
        <ActionForm action=save attr:novalidate=true attr:class="rule-form" attr:aria-label=kind.label()>
            <input type="hidden" name="kind" value=kind.as_str() />
            <FormError error />
            <div class="field checkbox">
                <input type="checkbox" id=enabled_id.clone() name="enabled" value="true" checked=rule.enabled />
                <label for=enabled_id>"On"</label>
            </div>
            {threshold}
            <TextField
                label="Hold (minutes)"
                name="hold_minutes"
                kind="number"
                value=rule.hold_minutes.to_string()
                error
                id_prefix=prefix
                hint="If it clears and returns within this time, the same alert reopens."
            />
            <button type="submit" class="button primary" disabled=move || save.pending().get()>"Save"</button>
        </ActionForm>
    }
}
