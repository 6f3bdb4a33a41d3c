//! Time allocation import: a file of teams' monthly shares, checked whole and previewed (the
//! teams, the months, how many entered months it replaces) or every error listed by line and
//! column; confirming sends it again to be stored in one transaction.

use crate::strategy::view::TimeImportReport;
use crate::ui::upload::{Upload, UploadStatus};
use leptos::prelude::*;

#[component]
pub(super) fn TimeImport(own_department: Option<String>) -> impl IntoView {
    let state = RwSignal::new(Upload::<TimeImportReport>::Idle);
    let input = NodeRef::<leptos::html::Input>::new();
    let send = move |commit: bool| {
        #[cfg(feature = "hydrate")]
        crate::ui::upload::send_chosen(input, state, crate::access::Route::TimeImport.path(), commit, |r: &TimeImportReport| {
            r.imported.then(|| format!("Imported the time allocation of {} ({}).", crate::ui::plural(r.months, "team month", "team months"), r.period))
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (commit, input);
    };
    let whose = match own_department {
        Some(d) => format!("team (a team of {d})"),
        None => "team".to_string(),
    };
    view! {
        <div class="csv-import">
            <p class="hint">{format!("A header line with the columns {whose}, month (YYYY-MM), work and percent; one line per share. Work is an investment category, or an initiative of the team’s department running that month. Each team’s month in the file replaces what was entered for it, and its lines must add up to 100. The whole file is imported or none of it.")}</p>
            <div class="field">
                <label for="time-file">"CSV file"</label>
                <input id="time-file" type="file" accept=".csv,text/csv" node_ref=input on:change=move |_| state.set(Upload::Idle) />
            </div>
            <button type="button" class="button secondary" on:click=move |_| send(false) disabled=move || matches!(state.get(), Upload::Sending { .. })>"Check file"</button>
            {move || match state.get() {
                Upload::Report(r) if r.error_count > 0 => view! { <crate::kpi::components::ImportErrors errors=r.errors count=r.error_count /> }.into_any(),
                Upload::Report(r) => view! { <Preview r send cancel=move || state.set(Upload::Idle) /> }.into_any(),
                other => view! { <UploadStatus state=other /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Preview(r: TimeImportReport, send: impl Fn(bool) + Copy + Send + Sync + 'static, cancel: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let months = crate::ui::plural(r.months, "team month", "team months");
    let replaces = match r.replaces {
        0 => "None of them has shares yet.".to_string(),
        n if n == r.months => "Each of them replaces the shares entered for it.".to_string(),
        n => format!("{n} of them replace the shares entered for them."),
    };
    view! {
        <div class="import-preview">
            <p role="status"><strong>{format!("{} for {months} ready to import: {}, {}.", crate::ui::plural(r.lines, "share", "shares"), r.teams.join(", "), r.period)}</strong></p>
            <p class="hint">{replaces}</p>
            <div class="table-wrap">
                <table>
                    <caption>"The first lines"</caption>
                    <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Team"</th><th scope="col">"Month"</th><th scope="col">"Work"</th><th scope="col" class="num">"Percent"</th></tr></thead>
                    <tbody>{r.sample.into_iter().map(|row| view! {
                        <tr>{row.into_iter().enumerate().map(|(i, v)| view! { <td class:num=i == 0 || i == 4>{v}</td> }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
            <div class="form-actions">
                <button type="button" class="button primary" on:click=move |_| send(true)>{format!("Import {months}")}</button>
                <button type="button" class="button secondary" on:click=move |_| cancel()>"Cancel"</button>
            </div>
        </div>
    }
}
