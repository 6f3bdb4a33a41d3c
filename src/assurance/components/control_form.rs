//! The CTO's control form: a new control on the register, an existing one on its page.

use crate::access::Action;
use crate::assurance::model::{Frequency, Source};
use crate::assurance::view::ControlEditor;
use crate::ui::{id_choices, CheckGrid, FormError, Posted, SelectField, TextArea, TextField};
use leptos::prelude::*;

#[component]
pub fn ControlForm(e: ControlEditor) -> impl IntoView {
    let posted = Posted::to(Action::SaveControl.endpoint());
    let error = posted.error();
    let v = |name: &str, value: &str| posted.value(name, value);
    let is_new = e.id.is_none();
    view! {
        <form method="post" action=Action::SaveControl.endpoint() novalidate class="editor">
            <input type="hidden" name="id" value=e.id.map(|i| i.to_string()).unwrap_or_default() />
            <FormError error />
            <div class="form-grid">
                <TextField label="Code" name="code" value=v("code", &e.code) error required=true maxlength=20 hint="Your reference, such as ACC-01." />
                <TextField label="Title" name="title" value=v("title", &e.title) error required=true maxlength=120 />
                <SelectField label="Owner" name="owner" options=id_choices(Some("Nobody named"), &e.owners) selected=v("owner", &e.owner) error hint="Who performs it and records the evidence." />
                <SelectField label="Department" name="department" options=id_choices(Some("Company-wide (the CTO’s)"), &e.department_choices) selected=v("department", &e.department) error hint="Its head sees the control and records its evidence." />
                <SelectField label="How often" name="frequency" options=Frequency::choices().collect() selected=v("frequency", &e.frequency) error />
                <SelectField label="Evidence from" name="evidence" options=Source::choices().collect() selected=v("evidence", &e.evidence) error />
                <TextField label="Adopted on" name="adopted_on" kind="date" value=v("adopted_on", &e.adopted_on) error hint="Its first evidence is due a period after this day." />
            </div>
            <TextArea label="What it requires" name="requires" value=v("requires", &e.requires) error rows=3 maxlength=2000 />
            <div class="form-grid">
                <TextField label="ISO/IEC 27001:2022 Annex A" name="iso27001" value=v("iso27001", &e.iso27001) error maxlength=400 hint="Control ids, such as A.5.15, A.8.2." />
                <TextField label="SOC 2 criteria" name="soc2" value=v("soc2", &e.soc2) error maxlength=400 hint="Criteria ids, such as CC6.1, CC6.2." />
            </div>
            <CheckGrid legend="Systems it covers" name="systems" choices=e.system_choices.clone() checked=e.systems.clone() posted=posted.clone() error empty="No systems in the inventory yet." />
            <div class="form-actions">
                <button type="submit" class="button primary">{if is_new { "Add the control" } else { "Save the control" }}</button>
            </div>
        </form>
    }
}
