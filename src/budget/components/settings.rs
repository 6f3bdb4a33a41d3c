//! Budget settings (CTO): the fiscal calendar, variance thresholds and the category list.
//! Plain forms: each change loads the page again, saying what changed.

use super::BudgetTabs;
use crate::access::Action;
use crate::budget::api::budget_settings;
use crate::budget::model::MONTH_NAMES;
use crate::budget::view::SettingsView;
use crate::ui::{posted_error, AskFirst, FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn BudgetSettingsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| budget_settings());
    view! {
        <Title text="Budget settings" />
        <div class="page-head"><h1>"Budget settings"</h1></div>
        <BudgetTabs query="" />
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => Either::Left(view! { <Settings s /> }),
                    Err(e) => Either::Right(view! { <LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Settings(s: SettingsView) -> impl IntoView {
    let posted = Posted::to(Action::SaveBudgetSettings.endpoint());
    let error = posted.error();
    // Adding and renaming post to one function; the id says which form came back.
    let category = Posted::to(Action::SaveCategory.endpoint());
    let came_back_for = category.came_back().then(|| category.value("id", ""));
    let (add_error, rename_error) = match came_back_for.as_deref() {
        Some("") => (category.error(), Signal::stored(None)),
        Some(_) => (Signal::stored(None), category.error()),
        None => (Signal::stored(None), Signal::stored(None)),
    };
    let new_name = if came_back_for.as_deref() == Some("") { category.value("name", "") } else { String::new() };
    let delete_error = Signal::stored(posted_error(Action::DeleteCategory.endpoint()));
    let months: Vec<(String, String)> = MONTH_NAMES.iter().enumerate().map(|(i, m)| ((i + 1).to_string(), m.to_string())).collect();
    let start_hint = if s.start_locked { "Fixed now that budgets exist: moving it would shift every planned month." } else { "A fiscal year is named after the calendar year it ends in." };
    let categories = s
        .categories
        .into_iter()
        .map(|c| {
            let key = format!("category-{}", c.id);
            let id = format!("cat-{}", c.id);
            // A refused rename shows what was typed, in its own row.
            let name = if came_back_for.as_deref() == Some(c.id.to_string().as_str()) { category.value("name", "") } else { c.name.clone() };
            let remove = (!c.in_use).then(|| view! {
                <AskFirst label="Remove" what=format!("the category {}", c.name) question=format!("Remove the category {}?", c.name) confirm="Remove it"
                    key=key.clone() action=Action::DeleteCategory.endpoint() fields=vec![("id", c.id.to_string())] />
            });
            view! {
                <li id=key>
                    <form method="post" action=Action::SaveCategory.endpoint() class="inline-form" novalidate>
                        <input type="hidden" name="id" value=c.id.to_string() />
                        <label class="visually-hidden" for=id.clone()>{format!("Name of {}", c.name)}</label>
                        <input id=id name="name" value=name maxlength=60 />
                        <button type="submit" class="button small secondary">"Rename"<span class="visually-hidden">{format!(" {}", c.name)}</span></button>
                    </form>
                    {remove}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="calendar-title">
            <h2 id="calendar-title">"Fiscal year and thresholds"</h2>
            <form method="post" action=Action::SaveBudgetSettings.endpoint() novalidate aria-labelledby="calendar-title">
                <FormError error />
                <div class="form-grid">
                    <SelectField label="The fiscal year starts in" name="start_month" options=months selected=posted.value("start_month", s.start_month.to_string()) error hint=start_hint />
                    <TextField label="Amber above (% over plan)" name="amber_pct" error value=posted.value("amber_pct", s.amber_pct.to_string()) hint="Spending this far over the plan to date turns amber." />
                    <TextField label="Red above (% over plan)" name="red_pct" error value=posted.value("red_pct", s.red_pct.to_string()) hint="And this far, red." />
                </div>
                <div class="form-actions"><button type="submit" class="button primary">"Save settings"</button></div>
            </form>
        </section>
        <section class="card" aria-labelledby="categories-title">
            <h2 id="categories-title">"Categories"</h2>
            <p class="hint">"A category in use can be renamed but not removed."</p>
            <FormError error=delete_error />
            // A rename's error has no field of its own on screen, so it is said whole.
            {move || rename_error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> })}
            <ul class="category-list">{categories}</ul>
            <form method="post" action=Action::SaveCategory.endpoint() class="inline-form" novalidate>
                <input type="hidden" name="id" value="" />
                <TextField label="New category" name="name" id_prefix="new-cat-" error=add_error value=new_name maxlength=60 />
                <button type="submit" class="button secondary">"Add category"</button>
            </form>
        </section>
    }
}
