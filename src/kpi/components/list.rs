//! The KPI list, with filters by category, status, department and text.

use super::{query, KpiCardView, WindowPicker};
use crate::kpi::api::{list_kpis, parse_window};
use crate::kpi::model::Category;
use crate::kpi::status::Rag;
use crate::ui::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};

#[component]
pub fn KpisPage() -> impl IntoView {
    let (window_q, category, status, scope, q) = (query("window"), query("category"), query("status"), query("scope"), query("q"));
    let window = Memo::new(move |_| parse_window(&window_q.get()));
    let list = Resource::new(
        move || (window.get(), category.get(), status.get(), scope.get(), q.get()),
        |(w, c, s, d, q)| list_kpis(w.as_str().to_string(), c, s, d, q),
    );
    let selected = move |current: String, value: &str| current == value;
    view! {
        <Title text="KPIs" />
        <div class="page-head">
            <h1>"KPIs"</h1>
            <div class="page-actions">
                <A href="/kpis/dora" attr:class="button secondary">"DORA metrics"</A>
                <Transition>
                    {move || Suspend::new(async move {
                        list.await.ok().filter(|l| l.can_create).map(|_| view! { <A href="/kpis/new" attr:class="button primary">"New KPI"</A> })
                    })}
                </Transition>
            </div>
        </div>
        {move || {
            let keep = vec![("category", category.get()), ("status", status.get()), ("scope", scope.get()), ("q", q.get())];
            view! { <WindowPicker current=window.get() base="/kpis" keep /> }
        }}
        <Form method="GET" action="" attr:class="filters" attr:aria-label="Filter KPIs">
            <input type="hidden" name="window" value=move || window.get().as_str() />
            <div class="field">
                <label for="f-category">"Category"</label>
                <select id="f-category" name="category">
                    <option value="" selected=move || category.get().is_empty()>"All categories"</option>
                    {Category::ALL.iter().map(|c| {
                        let v = c.as_str();
                        view! { <option value=v selected=move || selected(category.get(), v)>{c.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="" selected=move || status.get().is_empty()>"Any status"</option>
                    {Rag::ALL.into_iter().map(|r| {
                        let v = r.as_str();
                        view! { <option value=v selected=move || selected(status.get(), v)>{r.label()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-scope">"Department"</label>
                <select id="f-scope" name="scope">
                    <option value="" selected=move || scope.get().is_empty()>"All I can see"</option>
                    <option value="company" selected=move || selected(scope.get(), "company")>"Company-wide"</option>
                    <Transition>
                        {move || Suspend::new(async move {
                            list.await.map(|l| l.departments).unwrap_or_default().into_iter().map(|(id, name)| {
                                let v = id.to_string();
                                let is = v.clone();
                                view! { <option value=v selected=move || selected(scope.get(), &is)>{name}</option> }
                            }).collect_view()
                        })}
                    </Transition>
                </select>
            </div>
            <div class="field">
                <label for="f-q">"Search"</label>
                <input id="f-q" type="search" name="q" value=move || q.get() placeholder="Name or key" />
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary">"Apply"</button>
                <A href=move || format!("/kpis?window={}", window.get().as_str()) attr:class="button secondary">"Clear"</A>
            </div>
        </Form>
        <Transition fallback=|| view! { <p class="loading">"Loading KPIs…"</p> }>
            {move || Suspend::new(async move {
                let w = window.get_untracked();
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(l) if l.cards.is_empty() && l.total == 0 => view! {
                        <p class="empty">"There are no KPIs yet."{l.can_create.then(|| view! { " " <A href="/kpis/new">"Define the first one."</A> })}</p>
                    }.into_any(),
                    Ok(l) if l.cards.is_empty() => view! { <p class="empty">"No KPI matches these filters."</p> }.into_any(),
                    Ok(l) => view! {
                        <p class="result-count" role="status">{format!("{} of {} KPIs", l.cards.len(), l.total)}</p>
                        <div class="kpi-grid">
                            {l.cards.into_iter().map(|c| view! { <KpiCardView card=c window=w /> }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
