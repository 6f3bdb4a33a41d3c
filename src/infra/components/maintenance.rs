//! A system's maintenance windows: time inside one counts against no SLO.

use crate::access::Action;
use crate::infra::view::SystemDetail;
use crate::ui::{posted_error, AskFirst, FormError, Posted, TextField};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn Maintenance(s: SystemDetail) -> impl IntoView {
    let posted = Posted::to(Action::SaveMaintenance.endpoint());
    let error = posted.error();
    let refused = Signal::stored(posted_error(Action::DeleteMaintenance.endpoint()));
    let can_edit = s.can_edit;
    let table = if s.maintenance.is_empty() {
        Either::Left(view! { <p class="empty">"No maintenance windows."</p> })
    } else {
        Either::Right(view! {
            <div class="table-wrap">
                <table>
                    <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"State"</th><th scope="col">"Note"</th>
                        {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}</tr></thead>
                    <tbody>
                        {s.maintenance.iter().cloned().map(|m| {
                            let key = format!("window-{}", m.id);
                            let named = format!("the maintenance window from {} to {}", m.starts, m.ends);
                            let delete = can_edit.then(|| view! {
                                <td class="actions"><AskFirst label="Delete" what=named.clone() question=format!("Delete {named}?") confirm="Delete it"
                                    key=key.clone() action=Action::DeleteMaintenance.endpoint() fields=vec![("id", m.id.to_string())] /></td>
                            });
                            view! { <tr id=key.clone()><td>{m.starts}</td><td>{m.ends}</td><td>{m.state}</td><td>{m.note}</td>{delete}</tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })
    };
    view! {
        <section class="card" aria-labelledby="windows-title">
            <h2 id="windows-title">"Maintenance windows"</h2>
            <FormError error=refused />
            {table}
            {can_edit.then(|| view! {
                <h3 id="window-form">"Plan a window"</h3>
                <form method="post" action=Action::SaveMaintenance.endpoint() novalidate aria-labelledby="window-form">
                    <input type="hidden" name="system_id" value=s.id.to_string() />
                    <FormError error />
                    <div class="form-grid">
                        <TextField label="Starts (UTC)" name="starts" kind="datetime-local" id_prefix="w-" error value=posted.value("starts", "") />
                        <TextField label="Ends (UTC)" name="ends" kind="datetime-local" id_prefix="w-" error value=posted.value("ends", "") />
                        <TextField label="Note" name="note" id_prefix="w-" error maxlength=300 value=posted.value("note", "") />
                    </div>
                    <div class="form-actions"><button type="submit" class="button primary">"Add window"</button></div>
                </form>
            })}
        </section>
    }
}
