//! Departments: list with their heads, create, rename, delete when empty. "Rename" opens the
//! row's form (`?rename=` in the address).

use crate::access::Action;
use crate::admin::api::list_departments;
use crate::admin::model::Department;
use crate::platform::query::here_without;
use crate::ui::{AskFirst, FormError, LoadError, Posted, ReloadWith, TextField};
use leptos::either::EitherOf3;
use leptos::prelude::*;

#[component]
pub fn DepartmentsSection() -> impl IntoView {
    let departments = Resource::new(|| (), |_| list_departments());
    let create = Posted::to(Action::CreateDepartment.endpoint());
    let create_error = create.error();
    let delete_error = Posted::to(Action::DeleteDepartment.endpoint()).error();
    view! {
        <section class="card" aria-labelledby="departments-title">
            <h2 id="departments-title">"Departments"</h2>
            <FormError error=delete_error />
            <Suspense fallback=|| view! { <p class="loading">"Loading departments…"</p> }>
                {move || Suspend::new(async move {
                    match departments.await {
                        Err(e) => EitherOf3::A(view! { <LoadError error=e /> }),
                        Ok(list) if list.is_empty() => EitherOf3::B(view! { <p class="empty">"No departments yet. Add the first below."</p> }),
                        Ok(list) => EitherOf3::C(view! { <Departments list /> }),
                    }
                })}
            </Suspense>
            <form method="post" action=Action::CreateDepartment.endpoint() class="inline-form" novalidate>
                <FormError error=create_error />
                <TextField label="New department" name="name" error=create_error id_prefix="new-dept-" required=true maxlength=80 value=create.value("name", "") />
                <button type="submit" class="button primary">"Add department"</button>
            </form>
        </section>
    }
}

#[component]
fn Departments(list: Vec<Department>) -> impl IntoView {
    let rename = Posted::to(Action::RenameDepartment.endpoint());
    let renaming = rename.record("rename");
    view! {
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
                    {list.into_iter().map(|d| {
                        let form = (renaming == d.id.to_string()).then(|| view! {
                            <tr class="row-form"><td colspan="4"><RenameForm id=d.id name=d.name.clone() posted=rename.clone() /></td></tr>
                        });
                        view! { <DepartmentRow d />{form} }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn DepartmentRow(d: Department) -> impl IntoView {
    let id = d.id;
    let key = format!("department-{id}");
    let heads = if d.heads.is_empty() { "No head yet".to_string() } else { d.heads.join(", ") };
    view! {
        <tr id=key.clone()>
            <th scope="row">{d.name.clone()}</th>
            <td data-label="Head">{heads}</td>
            <td class="num" data-label="Accounts">{d.members}</td>
            <td class="actions">
                <ReloadWith label="Rename" what=d.name.clone() name="rename" value=id.to_string() anchor=key.clone() class="button small" />
                <AskFirst label="Delete" what=d.name.clone() question=format!("Delete the department {}?", d.name) confirm="Delete it"
                    key=key.clone() action=Action::DeleteDepartment.endpoint() fields=vec![("id", id.to_string())] />
            </td>
        </tr>
    }
}

#[component]
fn RenameForm(id: i64, name: String, posted: Posted) -> impl IntoView {
    let error = posted.error();
    view! {
        <form method="post" action=Action::RenameDepartment.endpoint() class="inline-form" novalidate>
            <input type="hidden" name="id" value=id />
            <TextField label="New name" name="name" value=posted.value("name", name) error id_prefix=format!("rename-{id}-") required=true maxlength=80 />
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <a class="button secondary" href=format!("{}#department-{id}", here_without(&["rename"]))>"Cancel"</a>
            </div>
        </form>
    }
}
