//! Expense CSV import: the file is checked whole and previewed (or every error listed by line
//! and column); confirming sends it again to be stored in one transaction, and the page loads
//! again with the new expenses in its list. The one island of the budget pages: a file's
//! upload, progress and preview need a script.

use crate::budget::view::ExpenseImportReport;
use leptos::prelude::*;

/// Where an import stands.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Debug, PartialEq)]
enum State {
    Idle,
    Sending { fraction: f64, storing: bool },
    Report(ExpenseImportReport),
    Failed(String),
}

#[component]
pub(super) fn ExpenseImport(year: i32, own_department: Option<String>) -> impl IntoView {
    let state = RwSignal::new(State::Idle);
    let input = NodeRef::<leptos::html::Input>::new();
    let send = move |commit: bool| {
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
                state.set(State::Failed("Choose a CSV file first.".into()));
                return;
            };
            let url = format!("/api/budgets/expenses/import?year={year}{}", if commit { "&commit=1" } else { "" });
            state.set(State::Sending { fraction: 0.0, storing: commit });
            crate::ui::upload::post_file(
                &url,
                &file,
                move |f| state.set(State::Sending { fraction: f, storing: commit }),
                move |status, body| {
                    let next = match (status, serde_json::from_str::<ExpenseImportReport>(&body)) {
                        (200 | 422, Ok(report)) if report.imported => {
                            // The page loads again and says so above the list, which shows them.
                            crate::ui::Flash::reload(format!("Imported {} totalling {}.", count(report.rows), report.total));
                            State::Sending { fraction: 1.0, storing: true }
                        }
                        (200 | 422, Ok(report)) => State::Report(report),
                        _ => State::Failed(crate::ui::upload::error_message(status, &body)),
                    };
                    state.set(next);
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (commit, input, year);
    };
    let columns = if own_department.is_some() { "date, amount, category, kind and optionally department (yours), vendor, description, invoice" } else { "date, amount, department, category, kind and optionally vendor, description, invoice" };
    view! {
        <div class="csv-import">
            <h3>"Import a CSV file"</h3>
            <p class="hint">{format!("A header line with the columns {columns}. Dates as YYYY-MM-DD within FY{year}; amounts like 1234.50; kind is capex or opex. The whole file is imported or none of it.")}</p>
            <div class="field">
                <label for="expense-file">"CSV file"</label>
                <input id="expense-file" type="file" accept=".csv,text/csv" node_ref=input on:change=move |_| state.set(State::Idle) />
            </div>
            <button type="button" class="button secondary" on:click=move |_| send(false) disabled=move || matches!(state.get(), State::Sending { .. })>"Check file"</button>
            {move || match state.get() {
                State::Idle => ().into_any(),
                State::Sending { fraction, storing } => view! { <crate::ui::upload::UploadProgress fraction storing /> }.into_any(),
                State::Failed(m) => view! { <p class="alert alert-error" role="alert">{m}</p> }.into_any(),
                State::Report(r) if r.error_count > 0 => view! { <crate::kpi::components::ImportErrors errors=r.errors count=r.error_count /> }.into_any(),
                State::Report(r) => {
                    let rows = count(r.rows);
                    view! {
                        <div class="import-preview">
                            <p role="status"><strong>{format!("{rows} totalling {} ready to import.", r.total)}</strong></p>
                            {(!r.new_vendors.is_empty()).then(|| view! { <p class="hint">{format!("New vendors to be added: {}.", r.new_vendors.join(", "))}</p> })}
                            <div class="table-wrap">
                                <table>
                                    <caption>"The first rows"</caption>
                                    <thead><tr><th scope="col">"Line"</th><th scope="col">"Date"</th><th scope="col" class="num">"Amount"</th><th scope="col">"Department"</th><th scope="col">"Category"</th><th scope="col">"Vendor"</th></tr></thead>
                                    <tbody>{r.sample.into_iter().map(|row| view! {
                                        <tr>{row.into_iter().enumerate().map(|(i, v)| view! { <td class:num=i == 0 || i == 2>{v}</td> }).collect_view()}</tr>
                                    }).collect_view()}</tbody>
                                </table>
                            </div>
                            <div class="form-actions">
                                <button type="button" class="button primary" on:click=move |_| send(true)>{format!("Import {rows}")}</button>
                                <button type="button" class="button secondary" on:click=move |_| state.set(State::Idle)>"Cancel"</button>
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </div>
    }
}

/// "1 expense", "12,000 expenses".
fn count(n: u64) -> String {
    crate::ui::plural(n, "expense", "expenses")
}
