//! The audit trail page: every change, sign-in and share-link visit, filtered by person, area,
//! object and days, newest first. The filters are a plain GET form, so a filtered view is a
//! link (object pages link to their own history this way).

use crate::access::Page;
use crate::admin::api::audit_log;
use crate::admin::model::{AuditEntry, AuditPage, AuditQuery};
use crate::platform::query::{query, with_query};
use crate::ui::{FilterSelect, LoadError};
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let keys = ["who", "area", "object", "from", "to", "page"].map(query);
    let read = move |untracked: bool| {
        let v = |i: usize| if untracked { keys[i].get_untracked() } else { keys[i].get() };
        AuditQuery { who: v(0), area: v(1), object: v(2), from: v(3), to: v(4), page: v(5) }
    };
    let data = Resource::new(move || read(false), audit_log);
    view! {
        <Title text="Audit trail" />
        <Transition fallback=|| view! { <h1>"Audit trail"</h1><p class="loading">"Loading the trail…"</p> }>
            {move || Suspend::new(async move {
                let q = read(true);
                match data.await {
                    Ok(p) => view! { <Trail p q /> }.into_any(),
                    Err(e) => view! { <h1>"Audit trail"</h1><Filters q people=vec![] areas=vec![] /><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The link from a record's own page to its history in the trail, for the CTO's pages.
#[component]
pub fn HistoryLink(#[prop(into)] object: String) -> impl IntoView {
    view! { <a class="button secondary" href=with_query(Page::AdminAudit.path(), &[("object", &object)])>"History"</a> }
}

#[component]
fn Trail(p: AuditPage, q: AuditQuery) -> impl IntoView {
    let page_link = {
        let q = q.clone();
        move |page: i64| {
            let page = page.to_string();
            with_query(Page::AdminAudit.path(), &[("who", &q.who), ("area", &q.area), ("object", &q.object), ("from", &q.from), ("to", &q.to), ("page", &page)])
        }
    };
    let export = format!("{}?{}", crate::access::Route::AuditExport.path(), p.export_query);
    view! {
        <div class="page-head">
            <div>
                <h1>"Audit trail"</h1>
                <p class="meta">"Who changed what, when: every change, sign-in and share-link visit. Records cannot be edited or deleted."</p>
            </div>
            <div class="page-actions">
                <a class="button secondary" href=export download>"Export CSV"</a>
            </div>
        </div>
        <section class="card" aria-labelledby="trail-title">
            <h2 id="trail-title" class="visually-hidden">"Records"</h2>
            <Filters q=q.clone() people=p.people.clone() areas=p.areas.clone() />
            <p class="result-count" role="status">{crate::ui::plural(p.matched.max(0) as u64, "record", "records")}</p>
            {if p.entries.is_empty() {
                view! { <p class="empty">"No record matches these filters."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label="Audit records">
                        <table class="stack audit">
                            <thead><tr>
                                <th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th>
                                <th scope="col">"Object"</th><th scope="col">"Changes"</th>
                            </tr></thead>
                            <tbody>{p.entries.into_iter().map(|e| view! { <Row e /> }).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <crate::ui::Pager page=p.page pages=p.pages link=page_link />
        </section>
    }
}

#[component]
fn Filters(q: AuditQuery, people: Vec<String>, areas: Vec<String>) -> impl IntoView {
    let choices = |all: &str, list: Vec<String>| std::iter::once((String::new(), all.to_string())).chain(list.into_iter().map(|v| (v.clone(), v))).collect::<Vec<_>>();
    view! {
        <form method="GET" action="" class="filters" aria-label="Filter the trail">
            <FilterSelect label="Who" id="f-who" name="who" options=choices("Everyone", people) selected=q.who.clone() />
            <FilterSelect label="Area" id="f-area" name="area" options=choices("All areas", areas) selected=q.area.clone() />
            <div class="field">
                <label for="f-object">"Object"</label>
                <input id="f-object" name="object" value=q.object.clone() placeholder="kpi:availability" />
            </div>
            <div class="field">
                <label for="f-from">"From"</label>
                <input id="f-from" name="from" type="date" value=q.from.clone() />
            </div>
            <div class="field">
                <label for="f-to">"To"</label>
                <input id="f-to" name="to" type="date" value=q.to.clone() />
            </div>
            <button type="submit" class="button secondary">"Filter"</button>
        </form>
    }
}

#[component]
fn Row(e: AuditEntry) -> impl IntoView {
    let history = (!e.object.is_empty()).then(|| with_query(Page::AdminAudit.path(), &[("object", &e.object)]));
    let object = match history {
        Some(href) => view! { <a href=href title="This object's history">{e.object_label.clone()}</a> }.into_any(),
        None => view! { <span>{e.object_label.clone()}</span> }.into_any(),
    };
    view! {
        <tr>
            <td class="nowrap" data-label="When">{e.at}</td>
            <td data-label="Who">{e.actor}<span class="meta">{e.actor_kind}</span></td>
            <td data-label="What">{e.action.replace('_', " ")}<span class="meta">{e.area}</span></td>
            <td data-label="Object">{object}</td>
            <td data-label="Changes">
                {(!e.changes.is_empty()).then(|| view! {
                    <ul class="changes">
                        {e.changes.into_iter().map(|(field, before, after)| view! {
                            <li>
                                <span class="field-name">{field}</span>": "
                                <del>{before.unwrap_or_else(|| "–".into())}</del>" → "
                                <ins>{after.unwrap_or_else(|| "–".into())}</ins>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {(!e.detail.is_empty()).then(|| view! { <p class="meta">{e.detail}</p> })}
            </td>
        </tr>
    }
}
