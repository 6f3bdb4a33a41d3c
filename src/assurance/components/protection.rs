//! A system's data protection card, on its page: the personal data it holds (with its record's
//! review), its latest backups and restore tests, and the form a restore drill is recorded with.

use super::admin::{BackupTable, RestoreTable};
use super::privacy::ReviewTag;
use crate::access::{Action, Page};
use crate::assurance::view::SystemProtection;
use crate::ui::{FormError, Posted, SelectField, TextArea, TextField};
use leptos::prelude::*;

#[component]
pub fn SystemProtectionCard(p: SystemProtection, system: i64) -> impl IntoView {
    let restore = match (&p.restored_on, p.restore_due) {
        (None, true) => "No restore test has passed yet: it keeps data, so one is due each quarter.".to_string(),
        (None, false) => "No backups or restore tests recorded: it keeps no data of its own.".to_string(),
        (Some(d), true) => format!("The last passed restore test was on {d}, more than a quarter ago: one is due."),
        (Some(d), false) => format!("Last passed restore test: {d}."),
    };
    view! {
        <section class="card" id="protection" aria-labelledby="protection-title">
            <h2 id="protection-title">"Data protection"</h2>
            <dl class="facts">
                <div><dt>"Personal data"</dt><dd>{p.held.clone()}" "<ReviewTag review=p.review />" "<a href=Page::PrivacyRecord.href(&[&system])>"Its record"</a></dd></div>
            </dl>
            <p class:late=p.restore_due>{restore}</p>
            <BackupTable rows=p.backups.backups.clone() />
            <RestoreTable rows=p.backups.tests.clone() />
            <p class="hint">"Backup and restore jobs report their runs to "<code>{format!("/api/v1/systems/{system}/backups")}</code>" and "<code>{format!("/api/v1/systems/{system}/restore-tests")}</code>" with an API token."</p>
            <details class="create" open=Posted::to(Action::RecordRestoreDrill.endpoint()).came_back()>
                <summary class="button secondary">"Record a restore test"</summary>
                <Drill system today=p.today.clone() />
            </details>
        </section>
    }
}

#[component]
fn Drill(system: i64, today: String) -> impl IntoView {
    let posted = Posted::to(Action::RecordRestoreDrill.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let outcomes = vec![(String::new(), "Choose…".to_string()), ("passed".into(), "Passed: restored and checked".into()), ("failed".into(), "Failed".into())];
    view! {
        <form method="post" action=Action::RecordRestoreDrill.endpoint() novalidate class="editor">
            <input type="hidden" name="system_id" value=system.to_string() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Performed on" name="performed_on" kind="date" value=v("performed_on", &today) error required=true id_prefix="drill-" />
                <SelectField label="Result" name="outcome" options=outcomes selected=v("outcome", "") error id_prefix="drill-" />
                <TextField label="Minutes it took" name="minutes" kind="number" value=v("minutes", "") error required=true id_prefix="drill-" />
            </div>
            <TextArea label="What was restored, where, and what was checked" name="detail" value=v("detail", "") error rows=2 maxlength=2000 />
            <div class="form-actions">
                <button type="submit" class="button primary">"Record the restore test"</button>
            </div>
        </form>
    }
}
