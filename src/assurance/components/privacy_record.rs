//! A system's page in the record of processing: what it holds and why, its processors with
//! their contracts, and the form that records it (saving is the review). A plain form: the
//! personal-data fields hide by CSS alone when "No" is chosen.

use super::privacy::{DpiaTag, ReviewTag};
use super::SecurityTabs;
use crate::access::{Action, Page};
use crate::assurance::api::load_privacy_record;
use crate::assurance::privacy::{DataCategory, DataSubject, LegalBasis};
use crate::assurance::view::{PrivacyLine, ProcessorContract, RecordEditor, RecordPage};
use crate::ui::{CheckGrid, FormError, LoadError, Posted, SelectField, TextArea, TextField, Title};
use leptos::prelude::*;

#[component]
pub fn PrivacyRecordPage() -> impl IntoView {
    let id = crate::platform::query::param("id");
    let data = Resource::new(move || id.clone(), load_privacy_record);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the record…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(r) => view! { <Title text=format!("{}: personal data", r.line.system) /><Body r /> }.into_any(),
                    Err(e) => view! { <Title text="Personal data" /><h1>"Personal data"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Body(r: RecordPage) -> impl IntoView {
    let l = r.line.clone();
    let recorded = l.personal_data.is_some();
    let next = l.review_due.clone().map(|d| format!(" · next review by {d}")).unwrap_or_default();
    let meta = format!("{}{next}", l.department.clone().unwrap_or_else(|| "No department".into()));
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Privacy.path()>"Personal data"</a>" / "<span aria-current="page">{l.system.clone()}</span>
        </nav>
        <div class="page-head">
            <div>
                <h1>{l.system.clone()}</h1>
                <p class="meta">{meta}" · "<a href=Page::InfraSystem.href(&[&l.system_id])>"The system’s page"</a></p>
            </div>
            <ReviewTag review=l.review />
        </div>
        <SecurityTabs />
        {recorded.then(|| view! { <Facts l=l.clone() contracts=r.contracts.clone() uncontracted=r.uncontracted.clone() /> })}
        <section class="card" id="edit" aria-labelledby="edit-title">
            <h2 id="edit-title">{if recorded { "Review the record" } else { "Record its personal data" }}</h2>
            <p class="hint">"Saving the record is its review: it is dated today, in your name, and next due in a year."</p>
            {recorded.then(|| view! { <Confirm id=l.system_id /> })}
            <RecordForm e=r.editor.clone() />
        </section>
    }
}

#[component]
fn Facts(l: PrivacyLine, contracts: Vec<ProcessorContract>, uncontracted: Vec<String>) -> impl IntoView {
    let personal = l.personal_data == Some(true);
    let subjects = l.subjects.iter().map(|s| s.label()).collect::<Vec<_>>().join(", ");
    let reviewed = format!("{} by {}", l.reviewed_on.clone().unwrap_or_default(), l.reviewed_by.clone().unwrap_or_default());
    view! {
        <section class="card" aria-labelledby="facts-title">
            <h2 id="facts-title">"What it holds"</h2>
            <dl class="facts">
                <div><dt>"Personal data"</dt><dd>{l.held()}</dd></div>
                {personal.then(|| view! {
                    <div><dt>"Whose"</dt><dd>{subjects.clone()}</dd></div>
                    <div><dt>"Purpose"</dt><dd>{l.purpose.clone()}</dd></div>
                    <div><dt>"Legal basis"</dt><dd>{l.legal_basis.map(|b| b.label()).unwrap_or("—")}</dd></div>
                    <div><dt>"Kept for"</dt><dd>{l.retention.clone()}</dd></div>
                    <div><dt>"Hosted"</dt><dd>{l.hosting.clone()}</dd></div>
                    <div><dt>"Outside the EEA and UK"</dt><dd>{l.transfer.clone().map(|s| format!("Yes, under {s}")).unwrap_or_else(|| "No".into())}</dd></div>
                    <div><dt>"Impact assessment"</dt><dd><DpiaTag dpia=l.dpia.clone() /></dd></div>
                })}
                <div><dt>"Last reviewed"</dt><dd>{reviewed}</dd></div>
            </dl>
            {personal.then(|| view! { <Processors names=l.processors.clone() contracts uncontracted /> })}
        </section>
    }
}

#[component]
fn Processors(names: Vec<(i64, String)>, contracts: Vec<ProcessorContract>, uncontracted: Vec<String>) -> impl IntoView {
    if names.is_empty() {
        return view! { <p class="hint">"No processors: no vendor handles this data for the company."</p> }.into_any();
    }
    view! {
        <h3>"Processors"</h3>
        {(!contracts.is_empty()).then(|| view! {
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Processor"</th><th scope="col">"Contract"</th><th scope="col">"Ends"</th></tr></thead>
                    <tbody>
                        {contracts.into_iter().map(|c| view! {
                            <tr><th scope="row">{c.vendor}</th><td data-label="Contract"><a href=Page::BudgetVendors.path()>{c.contract}</a></td><td data-label="Ends">{c.ends_on}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {(!uncontracted.is_empty()).then(|| view! {
            <p class="alert alert-warn">{format!("No current contract on file with {}: a processor needs a data processing agreement (Art. 28).", uncontracted.join(", "))}</p>
        })}
    }
    .into_any()
}

#[component]
fn Confirm(id: i64) -> impl IntoView {
    let error = Posted::to(Action::ConfirmPrivacyRecord.endpoint()).error();
    view! {
        <form method="post" action=Action::ConfirmPrivacyRecord.endpoint() class="inline-form">
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="button secondary">"Confirm unchanged"</button>
            <FormError error />
        </form>
    }
}

#[component]
fn RecordForm(e: RecordEditor) -> impl IntoView {
    let posted = Posted::to(Action::SavePrivacyRecord.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let holds = v("personal_data", &e.personal_data);
    let categories: Vec<(String, String)> = DataCategory::choices().collect();
    let subjects: Vec<(String, String)> = DataSubject::choices().collect();
    let bases: Vec<(String, String)> = std::iter::once((String::new(), "Choose…".to_string())).chain(LegalBasis::choices()).collect();
    let holds_message = move || error.get().and_then(|e| e.for_field("personal_data"));
    view! {
        <form method="post" action=Action::SavePrivacyRecord.endpoint() novalidate class="editor privacy-form">
            <input type="hidden" name="system_id" value=e.system_id.to_string() />
            <FormError error />
            <fieldset class="field-group" class:invalid=move || holds_message().is_some()>
                <legend>"Does it hold personal data?"</legend>
                <div class="radio-row">
                    <label><input type="radio" id="personal-yes" name="personal_data" value="yes" checked=holds == "yes" />" Yes"</label>
                    <label><input type="radio" id="personal-no" name="personal_data" value="no" checked=holds == "no" />" No: nothing that identifies a person"</label>
                </div>
                <p class="field-error" role="alert">{holds_message}</p>
            </fieldset>
            <div class="personal-only">
                <CheckGrid legend="Kinds of personal data" name="categories" choices=categories checked=e.categories.clone() posted=posted.clone() error empty="" />
                <CheckGrid legend="Whose" name="subjects" choices=subjects checked=e.subjects.clone() posted=posted.clone() error empty="" />
                <TextArea label="Purpose: why it is kept" name="purpose" value=v("purpose", &e.purpose) error rows=2 maxlength=500 />
                <div class="form-grid">
                    <SelectField label="Legal basis" name="legal_basis" options=bases selected=v("legal_basis", &e.legal_basis) error hint="Art. 6(1)." />
                    <TextField label="Kept for" name="retention" value=v("retention", &e.retention) error maxlength=200 hint="Such as “2 years after the account closes”." />
                    <TextField label="Hosted" name="hosting" value=v("hosting", &e.hosting) error maxlength=200 hint="Provider and region, such as “AWS eu-west-1 (Ireland)”." />
                </div>
                <div class="form-grid">
                    <div class="field checkbox">
                        <input type="checkbox" id="transfer" name="transfer" value="on" checked=posted.checked("transfer", e.transfer) />
                        <label for="transfer">"Sent outside the EEA and the UK"</label>
                    </div>
                    <TextField label="Safeguard for the transfer" name="safeguard" value=v("safeguard", &e.safeguard) error maxlength=200 hint="Adequacy decision, standard contractual clauses…" />
                </div>
                <CheckGrid legend="Processors (vendors that handle it for the company)" name="processors" choices=e.vendor_choices.clone() checked=e.processors.clone() posted=posted.clone() error empty="No vendors yet: add them under Budgets, Vendors and contracts." />
                <div class="form-grid">
                    <div class="field checkbox">
                        <input type="checkbox" id="dpia_required" name="dpia_required" value="on" checked=posted.checked("dpia_required", e.dpia_required) />
                        <label for="dpia_required">"Needs a data protection impact assessment (Art. 35)"</label>
                    </div>
                    <TextField label="The assessment" name="dpia_link" kind="url" value=v("dpia_link", &e.dpia_link) error maxlength=2000 hint="A link to the document." />
                    <TextField label="Assessed on" name="dpia_on" kind="date" value=v("dpia_on", &e.dpia_on) error />
                </div>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">"Save the record"</button>
            </div>
        </form>
    }
}
