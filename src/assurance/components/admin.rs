//! Admin's security section (the CTO's): Northstar's own backups with *Back up now*, the
//! restore test of the latest one, and the access review of the accounts above it. Each is the
//! evidence of the controls that ask for it.

use crate::access::{Action, Page};
use crate::assurance::api::load_admin_security;
use crate::assurance::view::{AdminSecurity, BackupLine, RestoreLine};
use crate::ui::{FormError, LoadError, Posted};
use leptos::prelude::*;

#[component]
pub fn AdminSecuritySection() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_admin_security());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading backups…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <Sections s /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Sections(s: AdminSecurity) -> impl IntoView {
    let backup_error = Posted::to(Action::BackUpNow.endpoint()).error();
    let restore_error = Posted::to(Action::TestRestore.endpoint()).error();
    let review_error = Posted::to(Action::RecordAccessReview.endpoint()).error();
    let controls = s.review_controls.clone();
    view! {
        <section class="card" aria-labelledby="backups-title">
            <h2 id="backups-title">"Backups and restore tests"</h2>
            <p class="hint">"Northstar’s own database: schedule "<code>"northstar backup FILE"</code>" daily (each run is recorded here), or back up now. A restore test restores the latest backup into a scratch file beside the database, brings it to this release’s schema, checks its integrity and counts what it holds; the live database is not touched. Both are the evidence of the backup controls."</p>
            <BackupTable rows=s.backups.backups.clone() />
            <RestoreTable rows=s.backups.tests.clone() />
            <div class="form-actions">
                <form method="post" action=Action::BackUpNow.endpoint() class="inline-form">
                    <button type="submit" class="button secondary">"Back up now"</button>
                </form>
                <form method="post" action=Action::TestRestore.endpoint() class="inline-form">
                    <button type="submit" class="button secondary">"Test restoring the latest backup"</button>
                </form>
            </div>
            <FormError error=backup_error />
            <FormError error=restore_error />
        </section>
        <section class="card" aria-labelledby="review-title">
            <h2 id="review-title">"Access review"</h2>
            <p>"Look through the accounts above: who has access, with which role and department, and deactivate whoever should no longer have it. Then record the review: the list as it stands is kept as a file with its SHA-256, on the access-review controls and in the audit trail."</p>
            <p class="meta">{s.last_review.clone().map(|l| format!("Last review: {l}.")).unwrap_or_else(|| "No review recorded yet.".into())}</p>
            {(!controls.is_empty()).then(|| view! {
                <p class="meta">"It is the evidence of: "
                    {controls.into_iter().enumerate().map(|(n, (id, name))| view! { {(n > 0).then_some(", ")}<a href=Page::Control.href(&[&id])>{name}</a> }).collect_view()}
                </p>
            })}
            <form method="post" action=Action::RecordAccessReview.endpoint() class="inline-form">
                <button type="submit" class="button primary">"Record the access review"</button>
            </form>
            <FormError error=review_error />
        </section>
    }
}

#[component]
pub(super) fn BackupTable(rows: Vec<BackupLine>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No backup recorded yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack runs">
                <caption>"Latest backups"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Result"</th><th scope="col">"Size"</th><th scope="col">"Took"</th><th scope="col">"Where"</th><th scope="col">"By"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|b| view! {
                        <tr>
                            <th scope="row">{b.at.clone()}</th>
                            <td data-label="Result"><Outcome ok=b.ok failed=b.detail.clone() /></td>
                            <td data-label="Size">{b.size.clone().unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Took">{b.took.clone()}</td>
                            <td data-label="Where"><code>{b.location.clone()}</code></td>
                            <td data-label="By">{b.by.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn RestoreTable(rows: Vec<RestoreLine>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No restore test yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack runs">
                <caption>"Latest restore tests"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Result"</th><th scope="col">"Took"</th><th scope="col">"What it found"</th><th scope="col">"By"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|t| view! {
                        <tr>
                            <th scope="row">{t.at.clone()}</th>
                            <td data-label="Result"><Outcome ok=t.ok failed=String::new() /></td>
                            <td data-label="Took">{t.took.clone()}</td>
                            <td data-label="What it found">{t.detail.clone()}</td>
                            <td data-label="By">{t.by.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Outcome(ok: bool, failed: String) -> impl IntoView {
    match (ok, failed.is_empty()) {
        (true, _) => super::status_tag("green", "Passed".to_string()),
        (false, true) => super::status_tag("red", "Failed".to_string()),
        (false, false) => super::status_tag("red", format!("Failed: {failed}")),
    }
}
