//! A findings file for a system: checked whole and previewed (what it would add, see again,
//! reopen and fix), or every problem listed where it is; importing sends it again to be
//! applied in one transaction. An island: an upload's progress and preview need a script.

use crate::assurance::view::{ImportReport, SystemChoice};
use crate::ui::upload::{Upload, UploadStatus};
use leptos::prelude::*;

#[component]
pub(super) fn FindingsImport(system: Option<i64>, systems: Vec<SystemChoice>) -> impl IntoView {
    let state = RwSignal::new(Upload::<ImportReport>::Idle);
    let input = NodeRef::<leptos::html::Input>::new();
    let target = RwSignal::new(system.or(systems.first().map(|s| s.id)).unwrap_or_default());
    let send = move |commit: bool| {
        #[cfg(feature = "hydrate")]
        crate::ui::upload::send_chosen(input, state, &crate::access::Route::FindingsImport.href(&[&target.get_untracked()]), commit, |r: &ImportReport| {
            r.imported.then(|| format!("Imported {} for {}: {}.", crate::ui::plural(r.findings, "finding", "findings"), r.system, counts(r)))
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (commit, input);
    };
    // On a system's page the list is empty: the file is for that system. Otherwise the reader
    // chooses among theirs, the filtered one first chosen.
    let only = (systems.len() == 1).then(|| systems[0].name.clone());
    view! {
        <div class="csv-import">
            <p class="hint">"A scanner’s SARIF 2.1.0 log (Trivy, Grype, Semgrep, CodeQL and others write it), or a CSV file with the columns title and severity (critical, high, medium, low or a CVSS score), and as you have them rule, location, source, id, first_seen, fixed_on and message. A file is the whole list for each scanner or source in it: a finding it no longer reports is marked fixed. The whole file is imported or none of it."</p>
            {only.map(|name| view! { <p class="meta">{format!("For {name}.")}</p> })}
            {(systems.len() > 1).then(|| view! {
                <div class="field">
                    <label for="findings-system">"System"</label>
                    <select id="findings-system" on:change=move |ev| { target.set(event_target_value(&ev).parse().unwrap_or_default()); state.set(Upload::Idle); }>
                        {systems.iter().map(|s| view! { <option value=s.id.to_string() selected=s.id == target.get_untracked()>{s.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field">
                <label for="findings-file">"Findings file"</label>
                <input id="findings-file" type="file" accept=".sarif,.json,.csv,application/json,text/csv" node_ref=input on:change=move |_| state.set(Upload::Idle) />
            </div>
            <button type="button" class="button secondary" on:click=move |_| send(false) disabled=move || matches!(state.get(), Upload::Sending { .. })>"Check file"</button>
            {move || match state.get() {
                Upload::Report(r) if !r.problems.is_empty() => view! { <Problems r /> }.into_any(),
                Upload::Report(r) => view! { <Preview r send /> }.into_any(),
                other => view! { <UploadStatus state=other /> }.into_any(),
            }}
        </div>
    }
}

/// "3 new, 10 seen again, 1 reopened, 2 fixed".
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn counts(r: &ImportReport) -> String {
    format!("{} new, {} seen again, {} reopened, {} fixed", r.new, r.seen, r.reopened, r.fixed)
}

#[component]
fn Problems(r: ImportReport) -> impl IntoView {
    view! {
        <div class="alert alert-error" role="alert">
            <p><strong>{format!("The file cannot be imported: {}.", crate::ui::plural(r.problems.len() as u64, "problem", "problems"))}</strong>" Nothing was stored. Fix these and check the file again."</p>
        </div>
        <div class="table-wrap scroll">
            <table class="import-errors">
                <thead><tr><th scope="col">"Where"</th><th scope="col">"Problem"</th></tr></thead>
                <tbody>{r.problems.into_iter().map(|p| view! { <tr><td>{p.at}</td><td>{p.message}</td></tr> }).collect_view()}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Preview(r: ImportReport, send: impl Fn(bool) + Copy + Send + Sync + 'static) -> impl IntoView {
    let count = crate::ui::plural(r.findings, "finding", "findings");
    view! {
        <div class="import-preview">
            <p role="status"><strong>{format!("{count} from {} ready to import for {}.", r.tools.join(", "), r.system)}</strong></p>
            <dl class="facts">
                <div><dt>"New"</dt><dd>{r.new.to_string()}</dd></div>
                <div><dt>"Seen again"</dt><dd>{r.seen.to_string()}</dd></div>
                <div><dt>"Reopened"</dt><dd>{r.reopened.to_string()}</dd></div>
                <div><dt>"Fixed"</dt><dd>{r.fixed.to_string()}</dd></div>
            </dl>
            <div class="form-actions">
                <button type="button" class="button primary" on:click=move |_| send(true)>{format!("Import {count}")}</button>
            </div>
        </div>
    }
}
