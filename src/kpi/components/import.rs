//! CSV import: pick a file, see it validated with every error by line and column, then
//! import it all at once, with progress for both the upload and the storing.

use crate::access::Route;
use crate::kpi::api::{poll_import, CancelImport, CommitImport};
use crate::kpi::view::{ImportPreview, ImportProgress};
use crate::ui::{error_of, Flash, FormError};
use leptos::prelude::*;

// Only the browser uploads; the server renders the idle state.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum Upload {
    Idle,
    Sending(f64),
    Checked(ImportPreview),
    Failed(String),
}

/// While an import is being stored, asks the server every 300 ms how far it has got.
fn poll_while_committing(commit: ServerAction<CommitImport>, upload: RwSignal<Upload>, progress: RwSignal<Option<ImportProgress>>) {
    let poller = StoredValue::new(None::<IntervalHandle>);
    Effect::watch(
        move || commit.pending().get(),
        move |pending, _, _| {
            if let Some(handle) = poller.get_value() {
                handle.clear();
                poller.set_value(None);
            }
            let Upload::Checked(preview) = upload.get_untracked() else { return };
            let (true, Some(token)) = (*pending, preview.token) else { return };
            let poll = move || {
                let token = token.clone();
                leptos::task::spawn_local(async move {
                    if let Ok(p) = poll_import(token).await {
                        progress.set(Some(p));
                    }
                });
            };
            poller.set_value(set_interval_with_handle(poll, std::time::Duration::from_millis(300)).ok());
        },
        false,
    );
}

/// An island: once the file is stored, the page reloads with the new data.
#[component]
pub(super) fn CsvImport(key: String) -> impl IntoView {
    let (commit, cancel) = (ServerAction::<CommitImport>::new(), ServerAction::<CancelImport>::new());
    let (state, progress) = (RwSignal::new(Upload::Idle), RwSignal::new(None::<ImportProgress>));
    poll_while_committing(commit, state, progress);
    Effect::new(move || {
        if let Some(Ok(n)) = commit.value().get() {
            Flash::reload(format!("Imported {}.", crate::ui::plural(n, "row", "rows")));
        }
    });
    let commit_error = error_of(commit);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let upload_url = Route::KpiImportUpload.href(&[&key]);
    let send = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(file) = input_ref.get().and_then(|i| i.files()).and_then(|f| f.get(0)) {
            commit.value().set(None);
            progress.set(None);
            state.set(Upload::Sending(0.0));
            send_file(&upload_url, file, state);
        } else {
            state.set(Upload::Failed("Choose a CSV file first.".into()));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&upload_url, input_ref);
    };
    let key_for_commit = key.clone();
    view! {
        <div class="csv-import">
            <h3>"Import a CSV file"</h3>
            <p class="hint">"Columns: " <code>"timestamp,value"</code> " and optionally " <code>"note"</code> ", with a header line. UTF-8. A timestamp already stored is replaced; the whole file is imported or none of it. Up to 64 MiB."</p>
            <div class="field">
                <label for="csv-file">"CSV file"</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" node_ref=input_ref on:change=move |_| state.set(Upload::Idle) />
            </div>
            <button type="button" class="button secondary" on:click=send disabled=move || matches!(state.get(), Upload::Sending(_))>"Check file"</button>
            {move || match state.get() {
                Upload::Idle => ().into_any(),
                Upload::Sending(f) => view! { <crate::ui::upload::UploadProgress fraction=f /> }.into_any(),
                Upload::Failed(message) => view! { <p class="alert alert-error" role="alert">{message}</p> }.into_any(),
                Upload::Checked(p) => view! { <PreviewView p key=key_for_commit.clone() commit cancel progress state /> }.into_any(),
            }}
            <FormError error=commit_error />
        </div>
    }
}

#[component]
fn PreviewView(
    p: ImportPreview,
    key: String,
    commit: ServerAction<CommitImport>,
    cancel: ServerAction<CancelImport>,
    progress: RwSignal<Option<ImportProgress>>,
    state: RwSignal<Upload>,
) -> impl IntoView {
    // The documented rule (a time already stored is replaced) is said with its count, before it happens.
    let replacing = match p.replaces {
        0 => " None replaces a stored value.".to_string(),
        n => format!(" {} will replace values already stored at the same time.", crate::ui::plural(n, "row", "rows")),
    };
    let range = match (&p.first_at, &p.last_at) {
        (Some(a), Some(b)) => format!(", from {a} to {b}"),
        _ => String::new(),
    };
    if p.error_count > 0 {
        return view! { <ImportErrors errors=p.errors count=p.error_count /> }.into_any();
    }
    let token = p.token.clone().unwrap_or_default();
    let token_cancel = token.clone();
    let done = move || commit.value().get().and_then(|r| r.ok());
    view! {
        <div class="import-preview">
            <p role="status"><strong>{format!("{} ready to import{range}.", crate::ui::plural(p.rows, "row", "rows"))}</strong>{replacing}</p>
            <div class="table-wrap">
                <table>
                    <caption>"The first rows"</caption>
                    <thead><tr><th scope="col">"Line"</th><th scope="col">"Time (UTC)"</th><th scope="col" class="num">"Value"</th><th scope="col">"Note"</th></tr></thead>
                    <tbody>
                        {p.sample.into_iter().map(|(line, at, value, note)| view! { <tr><td class="num">{line}</td><td>{at}</td><td class="num">{value}</td><td>{note}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || match done() {
                Some(n) => view! { <p class="alert alert-ok" role="status">{format!("Imported {}.", crate::ui::plural(n, "row", "rows"))}</p> }.into_any(),
                None => {
                    let (key, token, token_cancel) = (key.clone(), token.clone(), token_cancel.clone());
                    view! {
                        <div class="form-actions">
                            <button type="button" class="button primary" disabled=move || commit.pending().get()
                                on:click=move |_| { commit.dispatch(CommitImport { key: key.clone(), token: token.clone() }); }>
                                {format!("Import {}", crate::ui::plural(p.rows, "row", "rows"))}
                            </button>
                            <button type="button" class="button secondary" disabled=move || commit.pending().get()
                                on:click=move |_| { cancel.dispatch(CancelImport { token: token_cancel.clone() }); state.set(Upload::Idle); }>
                                "Cancel"
                            </button>
                        </div>
                        <Show when=move || commit.pending().get()>
                            <div class="progress-row" role="status">
                                {move || {
                                    let p = progress.get().unwrap_or(ImportProgress { done: 0, total: 0, finished: false });
                                    let pct = if p.total > 0 { p.done as f64 * 100.0 / p.total as f64 } else { 0.0 };
                                    view! {
                                        <progress max="100" value=format!("{pct:.0}")></progress>
                                        <span>{format!("Storing… {} of {} rows", crate::platform::money::group_thousands(p.done), crate::platform::money::group_thousands(p.total))}</span>
                                    }
                                }}
                            </div>
                        </Show>
                    }.into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// Sends the file and turns the answer into a preview or a message.
#[cfg(feature = "hydrate")]
fn send_file(url: &str, file: web_sys::File, state: RwSignal<Upload>) {
    use crate::ui::upload::{error_message, post_file};
    post_file(
        url,
        &file,
        move |f| state.set(Upload::Sending(f)),
        move |status, body| {
            let outcome = match (status, serde_json::from_str::<ImportPreview>(&body)) {
                (200 | 422, Ok(preview)) => Upload::Checked(preview),
                _ => Upload::Failed(error_message(status, &body)),
            };
            state.set(outcome);
        },
    );
}

/// Why a file was refused: each problem by line and column (the first hundred), nothing stored.
/// Every import of the app (measurements, expenses, cloud cost) says it this way.
#[component]
pub fn ImportErrors(errors: Vec<crate::kpi::view::ImportError>, count: u64) -> impl IntoView {
    let more = count.saturating_sub(errors.len() as u64);
    view! {
        <div class="alert alert-error" role="alert">
            <p><strong>{format!("The file cannot be imported: {}.", crate::ui::plural(count, "problem", "problems"))}</strong>" Nothing was stored. Fix these lines and check the file again."</p>
        </div>
        <div class="table-wrap scroll">
            <table class="import-errors">
                <thead><tr><th scope="col">"Line"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                <tbody>
                    {errors.into_iter().map(|e| view! { <tr><td class="num">{e.line}</td><td>{e.column}</td><td>{e.message}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="hint">{format!("…and {more} more.")}</p> })}
    }
}
