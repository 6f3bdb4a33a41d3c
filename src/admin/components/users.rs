//! Accounts: list, create, edit role and department, deactivate, reset password. A row's
//! "Edit" or "Reset password" opens its form under it (`?edit=` or `?reset=` in the address).

use crate::access::{Action, Role};
use crate::admin::api::{list_departments, list_users};
use crate::admin::model::Department;
use crate::auth::use_user;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::platform::query::here_without;
use crate::ui::{AskFirst, FormError, LoadError, Posted, ReloadWith, TextField};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn UsersSection() -> impl IntoView {
    let data = Resource::new(|| (), |_| async { Ok::<_, AppError>((list_users().await?, list_departments().await.unwrap_or_default())) });
    let me_id = use_user().map(|u| u.id).unwrap_or_default();
    let row_error = Posted::to(Action::SetUserActive.endpoint()).error();
    view! {
        <section class="card" aria-labelledby="users-title">
            <h2 id="users-title">"Accounts"</h2>
            <FormError error=row_error />
            <Suspense fallback=|| view! { <p class="loading">"Loading accounts…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => Either::Left(view! { <LoadError error=e /> }),
                        Ok((users, depts)) => Either::Right(view! { <Accounts users depts=depts.clone() me_id /><CreateUserForm depts /> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Accounts(users: Vec<User>, depts: Vec<Department>, me_id: i64) -> impl IntoView {
    let update = Posted::to(Action::UpdateUser.endpoint());
    let reset = Posted::to(Action::ResetPassword.endpoint());
    // The row whose form is open: the one sent back refused, else the one the address opened.
    let (editing, resetting) = (update.record("edit"), reset.record("reset"));
    view! {
        <div class="table-wrap">
            <table class="users stack">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Department"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let id = u.id.to_string();
                        let form = if editing == id {
                            Some(Either::Left(view! { <EditUserForm user=u.clone() depts=depts.clone() posted=update.clone() /> }))
                        } else if resetting == id {
                            Some(Either::Right(view! { <ResetForm user=u.clone() posted=reset.clone() /> }))
                        } else {
                            None
                        };
                        view! {
                            <UserRow user=u me_id />
                            {form.map(|form| view! { <tr class="row-form"><td colspan="6">{form}</td></tr> })}
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRow(user: User, me_id: i64) -> impl IntoView {
    let id = user.id;
    let key = format!("user-{id}");
    let active = user.active;
    let toggle = (id != me_id).then(|| {
        if active {
            Either::Left(view! {
                <AskFirst label="Deactivate" what=user.name.clone()
                    question=format!("Deactivate {}? They are signed out at once and cannot sign in until reactivated.", user.name)
                    confirm="Deactivate" key=key.clone() action=Action::SetUserActive.endpoint() fields=vec![("id", id.to_string()), ("active", "false".to_string())] />
            })
        } else {
            Either::Right(view! {
                <form method="post" action=Action::SetUserActive.endpoint() class="inline-form">
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="active" value="true" />
                    <button type="submit" class="button small">"Reactivate"<span class="visually-hidden">" " {user.name.clone()}</span></button>
                </form>
            })
        }
    });
    view! {
        <tr id=key.clone() class:inactive=!active>
            <th scope="row">{user.name.clone()}</th>
            <td data-label="Email">{user.email.clone()}</td>
            <td data-label="Role">{user.role.label()}</td>
            <td data-label="Department">{user.department_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="Status">{if active { "Active" } else { "Deactivated" }}</td>
            <td class="actions">
                <ReloadWith label="Edit" what=user.name.clone() name="edit" value=id.to_string() anchor=key.clone() class="button small" />
                <ReloadWith label="Reset password" what=format!("for {}", user.name) name="reset" value=id.to_string() anchor=key.clone() class="button small" />
                {toggle}
            </td>
        </tr>
    }
}

#[component]
fn EditUserForm(user: User, depts: Vec<Department>, posted: Posted) -> impl IntoView {
    let error = posted.error();
    let prefix = format!("edit-{}-", user.id);
    let role = Role::parse(&posted.value("role", user.role.as_str())).unwrap_or(user.role);
    let department = posted.value("department", user.department_id.map(|d| d.to_string()).unwrap_or_default()).parse().ok();
    view! {
        <form method="post" action=Action::UpdateUser.endpoint() class="inline-form" novalidate>
            <input type="hidden" name="id" value=user.id />
            <FormError error />
            <TextField label="Name" name="name" value=posted.value("name", user.name.clone()) error id_prefix=prefix.clone() required=true maxlength=100 />
            <RoleAndDepartment role department depts error id_prefix=prefix />
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <a class="button secondary" href=format!("{}#user-{}", here_without(&["edit"]), user.id)>"Cancel"</a>
            </div>
        </form>
    }
}

#[component]
fn ResetForm(user: User, posted: Posted) -> impl IntoView {
    let error = posted.error();
    view! {
        <form method="post" action=Action::ResetPassword.endpoint() class="inline-form" novalidate>
            <input type="hidden" name="id" value=user.id />
            <FormError error />
            <TextField
                label="New password"
                name="password"
                kind="password"
                error
                id_prefix=format!("reset-{}-", user.id)
                autocomplete="new-password"
                required=true
                hint="At least 12 characters. Tell the person in person; they can change it under Account."
            />
            <div class="form-actions">
                <button type="submit" class="button primary">"Set password for " {user.name.clone()}</button>
                <a class="button secondary" href=format!("{}#user-{}", here_without(&["reset"]), user.id)>"Cancel"</a>
            </div>
        </form>
    }
}

/// The role select, and the department select that only department heads need: the stylesheet
/// hides it for other roles (`.role-and-department:has(...)`), and the form always submits it.
#[component]
fn RoleAndDepartment(
    role: Role,
    department: Option<i64>,
    depts: Vec<Department>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] id_prefix: String,
) -> impl IntoView {
    let role_id = format!("{id_prefix}role");
    let dept_id = format!("{id_prefix}department");
    let dept_error = move || error.get().and_then(|e| e.for_field("department"));
    let role_error = move || error.get().and_then(|e| e.for_field("role"));
    view! {
        <div class="role-and-department">
            <div class="field">
                <label for=role_id.clone()>"Role"</label>
                <select id=role_id name="role">
                    {Role::ALL.iter().copied().map(|r| view! {
                        <option value=r.as_str() selected=r == role>{r.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" role="alert">{role_error}</p>
            </div>
            <div class="field department-field" class:invalid=move || dept_error().is_some()>
                <label for=dept_id.clone()>"Department"</label>
                <select id=dept_id name="department">
                    <option value="" selected=department.is_none()>"Choose a department"</option>
                    {depts.into_iter().map(|d| view! {
                        <option value=d.id.to_string() selected=department == Some(d.id)>{d.name}</option>
                    }).collect_view()}
                </select>
                <p class="field-error" role="alert">{dept_error}</p>
            </div>
        </div>
    }
}

#[component]
fn CreateUserForm(depts: Vec<Department>) -> impl IntoView {
    let posted = Posted::to(Action::CreateUser.endpoint());
    let error = posted.error();
    let role = Role::parse(&posted.value("role", Role::DepartmentHead.as_str())).unwrap_or(Role::DepartmentHead);
    let department = posted.value("department", "").parse().ok();
    view! {
        <details class="create" open=posted.came_back()>
            <summary class="button primary">"Add an account"</summary>
            <form method="post" action=Action::CreateUser.endpoint() class="stacked-form" novalidate>
                <FormError error />
                <TextField label="Email" name="email" kind="email" error id_prefix="new-" required=true maxlength=254 autocomplete="off" value=posted.value("email", "") />
                <TextField label="Name" name="name" error id_prefix="new-" required=true maxlength=100 autocomplete="off" value=posted.value("name", "") />
                <RoleAndDepartment role department depts error id_prefix="new-" />
                <TextField
                    label="Initial password"
                    name="password"
                    kind="password"
                    error
                    id_prefix="new-"
                    required=true
                    autocomplete="new-password"
                    hint="At least 12 characters. The person can change it under Account."
                />
                <button type="submit" class="button primary">"Create account"</button>
            </form>
        </details>
    }
}
