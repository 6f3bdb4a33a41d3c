//! A system's maintenance windows: time inside one counts against no SLO.

use super::system::Actions;
use crate::infra::api::DeleteMaintenance;
use crate::infra::view::SystemDetail;
use crate::ui::{error_of, notice_of, ConfirmButton, FormError, Notice, TextField};
use leptos::prelude::*;

#[component]
pub fn Maintenance(s: SystemDetail, a: Actions) -> impl IntoView {
    let save = a.save_window;
    let error = error_of(save);
    let done = notice_of(save);
    let form = crate::ui::cleared_after(save);
    let delete_error = error_of(a.delete_window);
    let deleted = notice_of(a.delete_window);
    let can_edit = s.can_edit;
    view! {
        <section class="card" aria-labelledby="windows-title">
            <h2 id="windows-title">"Maintenance windows"</h2>
            {if s.maintenance.is_empty() {
                view! { <p class="empty">"No maintenance windows."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"State"</th><th scope="col">"Note"</th>
                                {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}</tr></thead>
                            <tbody>
                                {s.maintenance.iter().cloned().map(|m| {
                                    let id = m.id;
                                    let named = format!("the maintenance window from {} to {}", m.starts, m.ends);
                                    view! {
                                        <tr>
                                            <td>{m.starts}</td><td>{m.ends}</td><td>{m.state}</td><td>{m.note}</td>
                                            {can_edit.then(|| view! { <td class="actions"><ConfirmButton label="Delete" what=named.clone() question=format!("Delete {named}?") confirm="Delete it"
                                                done=format!("Deleted {named}.") on_confirm=move |()| { a.delete_window.dispatch(DeleteMaintenance { id }); } /></td> })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <FormError error=delete_error />
            <Notice when=deleted text=crate::ui::said_text() />
            {can_edit.then(|| view! {
                <h3>"Plan a window"</h3>
                <ActionForm action=save node_ref=form attr:novalidate=true>
                    <input type="hidden" name="system_id" value=s.id.to_string() />
                    <FormError error />
                    <div class="form-grid">
                        <TextField label="Starts (UTC)" name="starts" kind="datetime-local" id_prefix="w-" error />
                        <TextField label="Ends (UTC)" name="ends" kind="datetime-local" id_prefix="w-" error />
                        <TextField label="Note" name="note" id_prefix="w-" error maxlength=300 />
                    </div>
                    <div class="form-actions"><button type="submit" class="button primary" disabled=move || save.pending().get()>"Add window"</button></div>
                    <Show when=move || done()><p class="alert alert-ok" role="status">"Maintenance window added."</p></Show>
                </ActionForm>
            })}
        </section>
    }
}
