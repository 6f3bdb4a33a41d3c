//! Budget settings (CTO): the fiscal calendar, variance thresholds and the category list.

use super::BudgetTabs;
use crate::budget::api::{budget_settings, DeleteCategory, SaveBudgetSettings, SaveCategory};
use crate::budget::model::MONTH_NAMES;
use crate::budget::view::SettingsView;
use crate::ui::{cleared_after, error_of, notice_of, successes, ConfirmButton, FormError, Notice, LoadError, SelectField, TextField};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub(super) fn BudgetSettingsPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let save = ServerAction::<SaveBudgetSettings>::new();
    let save_category = ServerAction::<SaveCategory>::new();
    let rename_category = ServerAction::<SaveCategory>::new();
    let delete_category = ServerAction::<DeleteCategory>::new();
    let (saved, added, renamed, removed) = (successes(save), successes(save_category), successes(rename_category), successes(delete_category));
    let data = Resource::new(
        move || (saved.get(), added.get(), renamed.get(), removed.get()),
        |_| budget_settings(),
    );
    view! {
        <Title text="Budget settings" />
        <div class="page-head"><h1>"Budget settings"</h1></div>
        <BudgetTabs query="" />
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <Settings s save save_category rename_category delete_category /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Settings(
    s: SettingsView,
    save: ServerAction<SaveBudgetSettings>,
    save_category: ServerAction<SaveCategory>,
    rename_category: ServerAction<SaveCategory>,
    delete_category: ServerAction<DeleteCategory>,
) -> impl IntoView {
    let error = error_of(save);
    let saved = notice_of(save);
    let cat_error = error_of(save_category);
    let delete_error = error_of(delete_category);
    let removed = notice_of(delete_category);
    // Rename errors belong to no visible field of their own, so they are shown whole.
    let rename_error = move || error_of(rename_category).get().map(|e| e.to_string());
    let add_form = cleared_after(save_category);
    let months: Vec<(String, String)> = MONTH_NAMES.iter().enumerate().map(|(i, m)| ((i + 1).to_string(), m.to_string())).collect();
    view! {
        <section class="card" aria-labelledby="calendar-title">
            <h2 id="calendar-title">"Fiscal year and thresholds"</h2>
            <ActionForm action=save attr:novalidate=true>
                <FormError error />
                <div class="form-grid">
                    <SelectField label="The fiscal year starts in" name="start_month" options=months selected=s.start_month.to_string() error
                        hint=if s.start_locked { "Fixed now that budgets exist: moving it would shift every planned month." } else { "A fiscal year is named after the calendar year it ends in." } />
                    <TextField label="Amber above (% over plan)" name="amber_pct" error value=s.amber_pct.to_string() hint="Spending this far over the plan to date turns amber." />
                    <TextField label="Red above (% over plan)" name="red_pct" error value=s.red_pct.to_string() hint="And this far, red." />
                </div>
                <div class="form-actions"><button type="submit" class="button primary">"Save settings"</button></div>
                <Show when=move || saved()><p class="alert alert-ok" role="status">"Settings saved."</p></Show>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="categories-title">
            <h2 id="categories-title">"Categories"</h2>
            <p class="hint">"A category in use can be renamed but not removed."</p>
            <FormError error=delete_error />
            <Notice when=removed text=crate::ui::said_text() />
            <Show when=move || rename_error().is_some()><p class="alert alert-error" role="alert">{rename_error}</p></Show>
            <ul class="category-list">
                {s.categories.into_iter().map(|c| {
                    let id = c.id;
                    view! {
                        <li>
                            <ActionForm action=rename_category attr:class="inline-form" attr:novalidate=true>
                                <input type="hidden" name="id" value=c.id.to_string() />
                                <label class="visually-hidden" for=format!("cat-{}", c.id)>{format!("Name of {}", c.name)}</label>
                                <input id=format!("cat-{}", c.id) name="name" value=c.name.clone() maxlength=60 />
                                <button type="submit" class="button small secondary">"Rename"</button>
                                {(!c.in_use).then(|| view! {
                                    <ConfirmButton label="Remove" what=format!("the category {}", c.name) question=format!("Remove the category {}?", c.name) confirm="Remove it"
                                        done=format!("Removed the category {}.", c.name) on_confirm=move |()| { delete_category.dispatch(DeleteCategory { id }); } />
                                })}
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionForm action=save_category node_ref=add_form attr:class="inline-form" attr:novalidate=true>
                <input type="hidden" name="id" value="" />
                <TextField label="New category" name="name" id_prefix="new-cat-" error=cat_error maxlength=60 />
                <button type="submit" class="button secondary">"Add category"</button>
            </ActionForm>
        </section>
    }
}
