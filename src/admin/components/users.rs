//! Accounts: list, create, edit role and department, deactivate, reset password.

use super::{changes, reload_after};
use crate::access::Role;
use crate::admin::api::{list_departments, list_users, CreateUser, ResetPassword, SetUserActive, UpdateUser};
use crate::admin::model::Department;
use crate::auth::use_user;
use crate::auth::User;
use crate::platform::error::AppError;
use crate::ui::{cleared_after, error_of, notice_of, succeeded, ConfirmButton, Notice, FormError, LoadError, TextField};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum RowMode {
    Edit(i64),
    Reset(i64),
}

#[component]
pub fn UsersSection() -> impl IntoView {
    let changed = changes();
    let users = Resource::new(move || changed.get(), |_| list_users());
    let departments = Resource::new(move || changed.get(), |_| list_departments());
    let me_id = use_user().map(|u| u.id).unwrap_or_default();
    let set_active = ServerAction::<SetUserActive>::new();
    let update = ServerAction::<UpdateUser>::new();
    let reset = ServerAction::<ResetPassword>::new();
    reload_after(set_active);
    reload_after(update);
    reload_after(reset);
    let mode = RwSignal::new(None::<RowMode>);
    let (updated, was_reset, reset_done) = (succeeded(update), succeeded(reset), notice_of(reset));
    // A row's form closes once its change went through.
    Effect::watch(
        move || (updated.get(), was_reset.get()),
        move |(a, b), _, _| {
            if *a || *b {
                mode.set(None);
            }
        },
        false,
    );
    let row_error = error_of(set_active);
    let (toggled, said) = (notice_of(set_active), RwSignal::new(String::new()));

    view! {
        <section class="card" aria-labelledby="users-title">
            <h2 id="users-title">"Accounts"</h2>
            <FormError error=row_error />
            <Notice when=reset_done text="Password reset. That person's sessions were signed out." />
            <Notice when=toggled text=move || said.get() />
            <Transition fallback=|| view! { <p class="loading">"Loading accounts…"</p> }>
                {move || Suspend::new(async move {
                    let depts = departments.await.unwrap_or_default();
                    match users.await {
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                        Ok(list) => view! {
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
                                        {list.into_iter().map(|u| view! {
                                            <UserRow user=u me_id mode set_active said update reset depts=depts.clone() />
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
            <CreateUserForm departments />
        </section>
    }
}

#[component]
fn UserRow(
    user: User,
    me_id: i64,
    mode: RwSignal<Option<RowMode>>,
    set_active: ServerAction<SetUserActive>,
    /// The confirmation of the latest (de)activation.
    said: RwSignal<String>,
    update: ServerAction<UpdateUser>,
    reset: ServerAction<ResetPassword>,
    depts: Vec<Department>,
) -> impl IntoView {
    let id = user.id;
    let active = user.active;
    let name = user.name.clone();
    let toggle = move || {
        let done = if active { format!("{name} is deactivated and signed out everywhere.") } else { format!("{name} can sign in again.") };
        said.set(done);
        set_active.dispatch(SetUserActive { id, active: !active });
    };
    let editing = move || mode.get() == Some(RowMode::Edit(id));
    let resetting = move || mode.get() == Some(RowMode::Reset(id));
    let (edit_user, reset_user) = (user.clone(), user.clone());
    view! {
        <tr class:inactive=!active>
            <th scope="row">{user.name.clone()}</th>
            <td data-label="Email">{user.email.clone()}</td>
            <td data-label="Role">{user.role.label()}</td>
            <td data-label="Department">{user.department_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label="Status">{if active { "Active" } else { "Deactivated" }}</td>
            <td class="actions">
                <button type="button" class="button small" on:click=move |_| mode.set(Some(RowMode::Edit(id)))>
                    "Edit"<span class="visually-hidden">" " {user.name.clone()}</span>
                </button>
                <button type="button" class="button small" on:click=move |_| mode.set(Some(RowMode::Reset(id)))>
                    "Reset password"<span class="visually-hidden">" for " {user.name.clone()}</span>
                </button>
                {(id != me_id && active).then(|| {
                    let toggle = toggle.clone();
                    view! {
                        <ConfirmButton label="Deactivate" what=user.name.clone()
                            question=format!("Deactivate {}? They are signed out at once and cannot sign in until reactivated.", user.name)
                            confirm="Deactivate" on_confirm=move |()| toggle() />
                    }
                })}
                {(id != me_id && !active).then(|| view! {
                    <button type="button" class="button small" on:click=move |_| toggle()>
                        "Reactivate"<span class="visually-hidden">" " {user.name.clone()}</span>
                    </button>
                })}
            </td>
        </tr>
        <Show when=editing>
            <tr class="row-form"><td colspan="6"><EditUserForm user=edit_user.clone() update depts=depts.clone() mode /></td></tr>
        </Show>
        <Show when=resetting>
            <tr class="row-form"><td colspan="6"><ResetForm user=reset_user.clone() reset mode /></td></tr>
        </Show>
    }
}

#[component]
fn EditUserForm(user: User, update: ServerAction<UpdateUser>, depts: Vec<Department>, mode: RwSignal<Option<RowMode>>) -> impl IntoView {
    let error = error_of(update);
    let prefix = format!("edit-{}-", user.id);
    view! {
        <ActionForm action=update attr:class="inline-form" attr:novalidate=true>
            <input type="hidden" name="id" value=user.id />
            <FormError error />
            <TextField label="Name" name="name" value=user.name.clone() error id_prefix=prefix.clone() required=true maxlength=100 />
            <RoleAndDepartment role=user.role department=user.department_id depts error id_prefix=prefix />
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <button type="button" class="button secondary" on:click=move |_| mode.set(None)>"Cancel"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn ResetForm(user: User, reset: ServerAction<ResetPassword>, mode: RwSignal<Option<RowMode>>) -> impl IntoView {
    let error = error_of(reset);
    view! {
        <ActionForm action=reset attr:class="inline-form" attr:novalidate=true>
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
                <button type="button" class="button secondary" on:click=move |_| mode.set(None)>"Cancel"</button>
            </div>
        </ActionForm>
    }
}

/// The role select, and the department select that only department heads need. The
/// department field is hidden, not removed, for other roles so the form always submits it.
#[component]
fn RoleAndDepartment(
    role: Role,
    department: Option<i64>,
    depts: Vec<Department>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] id_prefix: String,
) -> impl IntoView {
    let chosen = RwSignal::new(role);
    let role_id = format!("{id_prefix}role");
    let dept_id = format!("{id_prefix}department");
    let dept_error = move || error.get().and_then(|e| e.for_field("department"));
    let role_error = move || error.get().and_then(|e| e.for_field("role"));
    view! {
        <div class="field">
            <label for=role_id.clone()>"Role"</label>
            <select id=role_id name="role" on:change=move |ev| chosen.set(Role::parse(&event_target_value(&ev)).unwrap_or(role))>
                {Role::ALL.iter().copied().map(|r| view! {
                    <option value=r.as_str() selected=r == role>{r.label()}</option>
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{role_error}</p>
        </div>
        <div class="field" class:invalid=move || dept_error().is_some() hidden=move || chosen.get() != Role::DepartmentHead>
            <label for=dept_id.clone()>"Department"</label>
            <select id=dept_id name="department">
                <option value="" selected=department.is_none()>"Choose a department"</option>
                {depts.into_iter().map(|d| view! {
                    <option value=d.id.to_string() selected=department == Some(d.id)>{d.name}</option>
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{dept_error}</p>
        </div>
    }
}

#[component]
fn CreateUserForm(departments: Resource<Result<Vec<Department>, AppError>>) -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    reload_after(create);
    let error = error_of(create);
    let done = notice_of(create);
    let form = cleared_after(create);
    view! {
        <details class="create" open=move || error.get().is_some()>
            <summary class="button primary">"Add an account"</summary>
            <ActionForm action=create node_ref=form attr:class="stacked-form" attr:novalidate=true>
                <FormError error />
                <TextField label="Email" name="email" kind="email" error id_prefix="new-" required=true maxlength=254 autocomplete="off" />
                <TextField label="Name" name="name" error id_prefix="new-" required=true maxlength=100 autocomplete="off" />
                <Transition>
                    {move || Suspend::new(async move {
                        let depts = departments.await.unwrap_or_default();
                        view! { <RoleAndDepartment role=Role::DepartmentHead department=None depts error id_prefix="new-" /> }
                    })}
                </Transition>
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
                <button type="submit" class="button primary" disabled=move || create.pending().get()>"Create account"</button>
            </ActionForm>
        </details>
        <Show when=move || done()>
            <p class="alert alert-ok" role="status">
                {move || create.value().get().and_then(|r| r.ok()).map(|u| format!("Created {} ({}).", u.name, u.role.label()))}
            </p>
        </Show>
    }
}
