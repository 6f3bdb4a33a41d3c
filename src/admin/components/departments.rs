//! Departments: list with their heads, create, rename, delete when empty.

use super::{changes, reload_after};
use crate::admin::api::{list_departments, CreateDepartment, DeleteDepartment, RenameDepartment};
use crate::admin::model::Department;
use crate::ui::{cleared_after, error_of, notice_of, ConfirmButton, FormError, LoadError, Notice, TextField};
use leptos::prelude::*;

#[component]
pub fn DepartmentsSection() -> impl IntoView {
    let changed = changes();
    let departments = Resource::new(move || changed.get(), |_| list_departments());
    let create = ServerAction::<CreateDepartment>::new();
    let rename = ServerAction::<RenameDepartment>::new();
    let delete = ServerAction::<DeleteDepartment>::new();
    reload_after(create);
    reload_after(rename);
    reload_after(delete);
    let renaming = RwSignal::new(None::<i64>);
    Effect::watch(
        move || rename.version().get(),
        move |_, _, _| {
            if matches!(rename.value().get_untracked(), Some(Ok(_))) {
                renaming.set(None);
            }
        },
        false,
    );
    let create_error = error_of(create);
    let delete_error = error_of(delete);
    let deleted = notice_of(delete);
    let form = cleared_after(create);

    view! {
        <section class="card" aria-labelledby="departments-title">
            <h2 id="departments-title">"Departments"</h2>
            <FormError error=delete_error />
            <Notice when=deleted text=crate::ui::said_text() />
            <Transition fallback=|| view! { <p class="loading">"Loading departments…"</p> }>
                {move || Suspend::new(async move {
                    match departments.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No departments yet. Add the first below."</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="stack">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Department"</th>
                                            <th scope="col">"Head"</th>
                                            <th scope="col" class="num">"Accounts"</th>
                                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|d| view! { <DepartmentRow d renaming rename delete /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=create node_ref=form attr:class="inline-form" attr:novalidate=true>
                <FormError error=create_error />
                <TextField label="New department" name="name" error=create_error id_prefix="new-dept-" required=true maxlength=80 />
                <button type="submit" class="button primary">"Add department"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DepartmentRow(
    d: Department,
    renaming: RwSignal<Option<i64>>,
    rename: ServerAction<RenameDepartment>,
    delete: ServerAction<DeleteDepartment>,
) -> impl IntoView {
    let id = d.id;
    let heads = if d.heads.is_empty() { "No head yet".to_string() } else { d.heads.join(", ") };
    let current_name = d.name.clone();
    view! {
        <tr>
            <th scope="row">{d.name.clone()}</th>
            <td data-label="Head">{heads}</td>
            <td class="num" data-label="Accounts">{d.members}</td>
            <td class="actions">
                <button type="button" class="button small" on:click=move |_| renaming.set(Some(id))>
                    "Rename"<span class="visually-hidden">" " {d.name.clone()}</span>
                </button>
                <ConfirmButton label="Delete" what=d.name.clone() question=format!("Delete the department {}?", d.name) confirm="Delete it"
                    done=format!("Deleted the department {}.", d.name) on_confirm=move |()| { delete.dispatch(DeleteDepartment { id }); } />
            </td>
        </tr>
        <Show when=move || renaming.get() == Some(id)>
            <tr class="row-form">
                <td colspan="4">
                    <RenameForm id name=current_name.clone() rename renaming />
                </td>
            </tr>
        </Show>
    }
}

#[component]
fn RenameForm(id: i64, name: String, rename: ServerAction<RenameDepartment>, renaming: RwSignal<Option<i64>>) -> impl IntoView {
    let error = error_of(rename);
    view! {
        <ActionForm action=rename attr:class="inline-form" attr:novalidate=true>
            <input type="hidden" name="id" value=id />
            <TextField label="New name" name="name" value=name error id_prefix=format!("rename-{id}-") required=true maxlength=80 />
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <button type="button" class="button secondary" on:click=move |_| renaming.set(None)>"Cancel"</button>
            </div>
        </ActionForm>
    }
}
