//! The KPI list, with filters by category, status, department and text.

use crate::access::Page;
use crate::platform::query::with_query;
use crate::platform::query::query;
use super::{KpiCardView, WindowPicker};
use crate::kpi::api::{list_kpis, parse_window, KpiList};
use crate::kpi::model::Category;
use crate::kpi::status::{Rag, Window};
use crate::ui::{FilterSelect, LoadError};
use leptos::prelude::*;
use crate::ui::Title;
use leptos_router::components::Form;

#[component]
pub fn KpisPage() -> impl IntoView {
    let (window_q, category, status, scope, q) = (query("window"), query("category"), query("status"), query("scope"), query("q"));
    let window = Memo::new(move |_| parse_window(&window_q.get()));
    let list = Resource::new(
        move || (window.get(), category.get(), status.get(), scope.get(), q.get()),
        |(w, c, s, d, q)| list_kpis(w.as_str().to_string(), c, s, d, q),
    );
    // One boundary for the whole page: the filters need the departments the list brings.
    view! {
        <Title text="KPIs" />
        <Transition fallback=|| view! { <h1>"KPIs"</h1><p class="loading">"Loading KPIs…"</p> }>
            {move || Suspend::new(async move {
                let filters = Filters {
                    window: window.get_untracked(),
                    category: category.get_untracked(),
                    status: status.get_untracked(),
                    scope: scope.get_untracked(),
                    q: q.get_untracked(),
                };
                match list.await {
                    Err(e) => view! { <h1>"KPIs"</h1><LoadError error=e /> }.into_any(),
                    Ok(l) => view! { <ListView l filters /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[derive(Clone)]
struct Filters {
    window: Window,
    category: String,
    status: String,
    scope: String,
    q: String,
}

#[component]
fn ListView(l: KpiList, filters: Filters) -> impl IntoView {
    let w = filters.window;
    let keep = vec![("category", filters.category.clone()), ("status", filters.status.clone()), ("scope", filters.scope.clone()), ("q", filters.q.clone())];
    let mut departments = vec![(String::new(), "All I can see".to_string()), ("company".to_string(), "Company-wide".to_string())];
    departments.extend(l.departments.iter().map(|(id, name)| (id.to_string(), name.clone())));
    let categories = std::iter::once((String::new(), "All categories".to_string()))
        .chain(Category::choices())
        .collect::<Vec<_>>();
    let statuses = std::iter::once((String::new(), "Any status".to_string()))
        .chain(Rag::choices())
        .collect::<Vec<_>>();
    let results = if l.cards.is_empty() && l.total == 0 {
        view! {
            <p class="empty">
                "There are no KPIs yet."
                {l.can_create.then(|| view! { <a href="/kpis/new">" Define the first one."</a> })}
            </p>
        }
        .into_any()
    } else if l.cards.is_empty() {
        view! { <p class="empty">"No KPI matches these filters."</p> }.into_any()
    } else {
        view! {
            <p class="result-count" role="status">{format!("{} of {} KPIs", l.cards.len(), l.total)}</p>
            <div class="kpi-grid">
                {l.cards.into_iter().map(|c| view! { <KpiCardView card=c window=w /> }).collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <h1>"KPIs"</h1>
            <div class="page-actions">
                <a href="/kpis/dora" class="button secondary">"DORA metrics"</a>
                {l.can_create.then(|| view! { <a href="/kpis/new" class="button primary">"New KPI"</a> })}
            </div>
        </div>
        <WindowPicker current=w base="/kpis" keep />
        <Form method="GET" action="" attr:class="filters" attr:aria-label="Filter KPIs">
            <input type="hidden" name="window" value=w.as_str() />
            <FilterSelect label="Category" id="f-category" name="category" options=categories selected=filters.category />
            <FilterSelect label="Status" id="f-status" name="status" options=statuses selected=filters.status />
            <FilterSelect label="Department" id="f-scope" name="scope" options=departments selected=filters.scope />
            <div class="field">
                <label for="f-q">"Search"</label>
                <input id="f-q" type="search" name="q" value=filters.q placeholder="Name or key" />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary">"Apply"</button>
                <a href=with_query(Page::Kpis.path(), &[("window", w.as_str())]) class="button secondary">"Clear"</a>
            </div>
        </Form>
        {results}
    }
}
