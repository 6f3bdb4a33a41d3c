//! FOCUS file import: the file is checked whole and previewed (its months, providers, totals,
//! what the rules leave unmapped and which imported months it replaces), or every error listed
//! by line and column; confirming sends it again to be stored in one transaction. The one
//! island of the strategy pages: an upload's progress and preview need a script.

use crate::strategy::view::CloudImportReport;
use crate::ui::upload::{Upload, UploadStatus};
use leptos::prelude::*;

#[component]
pub(super) fn CloudImport() -> impl IntoView {
    let state = RwSignal::new(Upload::<CloudImportReport>::Idle);
    let input = NodeRef::<leptos::html::Input>::new();
    let send = move |commit: bool| {
        #[cfg(feature = "hydrate")]
        {
            let name = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)).map(|f| f.name()).unwrap_or_default();
            let url = format!("{}?name={}", crate::access::Route::CloudImport.path(), crate::platform::encode::component(&name));
            crate::ui::upload::send_chosen(input, state, &url, commit, |r: &CloudImportReport| {
                r.imported.then(|| format!("Imported {} ({}): {} effective cost.", rows(r.rows), r.period, r.effective))
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (commit, input);
    };
    view! {
        <div class="csv-import">
            <p class="hint">"A cost export in FOCUS 1.0 or later, as CSV (AWS Data Exports, Azure Cost Management, Google Cloud and others offer it). Costs must be in the currency Northstar keeps money in. Importing months already imported for a provider replaces them. The whole file is imported or none of it."</p>
            <div class="field">
                <label for="focus-file">"FOCUS file"</label>
                <input id="focus-file" type="file" accept=".csv,text/csv" node_ref=input on:change=move |_| state.set(Upload::Idle) />
            </div>
            <button type="button" class="button secondary" on:click=move |_| send(false) disabled=move || matches!(state.get(), Upload::Sending { .. })>"Check file"</button>
            {move || match state.get() {
                Upload::Report(r) if r.error_count > 0 => view! { <crate::kpi::components::ImportErrors errors=r.errors count=r.error_count /> }.into_any(),
                Upload::Report(r) => view! { <Preview r send /> }.into_any(),
                other => view! { <UploadStatus state=other /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Preview(r: CloudImportReport, send: impl Fn(bool) + Copy + Send + Sync + 'static) -> impl IntoView {
    let count = rows(r.rows);
    view! {
        <div class="import-preview">
            <p role="status"><strong>{format!("{count} ready to import: {}, {}.", r.period, r.providers.join(", "))}</strong></p>
            <dl class="facts">
                <div><dt>"Billed cost"</dt><dd>{r.billed.clone()}</dd></div>
                <div><dt>"Effective cost"</dt><dd>{r.effective.clone()}</dd></div>
                <div><dt>"Not mapped by the rules"</dt><dd>{format!("{} in {}", r.unmatched, crate::ui::plural(r.unmatched_lines, "line", "lines"))}</dd></div>
            </dl>
            {(!r.replaces.is_empty()).then(|| view! { <p class="hint">{format!("Replaces what was imported for {}.", r.replaces.join("; "))}</p> })}
            <div class="form-actions">
                <button type="button" class="button primary" on:click=move |_| send(true)>{format!("Import {count}")}</button>
            </div>
        </div>
    }
}

/// "1 row", "12,000 rows".
fn rows(n: u64) -> String {
    crate::ui::plural(n, "row", "rows")
}
