//! Feedback's pages, the list of items on the page of what they are about, and the top bar's
//! notice of new answers.

mod item;
mod list;
mod new;

pub use item::FeedbackItemPage;
pub use list::FeedbackPage;
pub use new::FeedbackNewPage;

use crate::access::Page;
use crate::feedback::api::{feedback_about, feedback_notices};
use crate::feedback::model::State;
use crate::feedback::view::ItemRow;
use leptos::either::Either;
use leptos::prelude::*;

/// An item's state as a tag: "Planned".
#[component]
fn StateTag(state: State) -> impl IntoView {
    view! { <span class="tag feedback-state" data-state=state.as_str()>{state.label()}</span> }
}

/// Items as a table: what, about, state, votes, by, age.
#[component]
fn Items(rows: Vec<ItemRow>, #[prop(optional)] about: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="stack">
                <thead>
                    <tr>
                        <th scope="col">"Feedback"</th>
                        {about.then(|| view! { <th scope="col">"About"</th> })}
                        <th scope="col">"State"</th>
                        <th scope="col" class="num">"Votes"</th>
                        <th scope="col">"From"</th>
                        <th scope="col" class="num">"Age"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">
                                <a href=Page::FeedbackItem.href(&[&r.id])>{r.title.clone()}</a>
                                <span class="meta">" "{r.kind.label()}{(r.comments > 0).then(|| format!(" · {} comment{}", r.comments, if r.comments == 1 { "" } else { "s" }))}</span>
                            </th>
                            {about.then(|| view! {
                                <td data-label="About">{match r.subject.link.clone() {
                                    Some(link) => Either::Left(view! { <a href=link>{r.subject.label.clone()}</a> }),
                                    None => Either::Right(r.subject.label.clone()),
                                }}</td>
                            })}
                            <td data-label="State"><StateTag state=r.state /></td>
                            <td data-label="Votes" class="num">{r.votes}</td>
                            <td data-label="From">{r.author.clone()}</td>
                            <td data-label="Age" class="num feedback-age"><time datetime=r.created_on.clone() title=r.created_on.clone()>{age(r.age_days)}</time></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn age(days: i64) -> String {
    match days {
        0 => "today".into(),
        1 => "1 day".into(),
        d => format!("{d} days"),
    }
}

/// On a KPI's, system's, budget's or report's page: the feedback about it the reader may see,
/// and a link to give more. `about` is "kpi", "system", "budget" or "report".
#[component]
pub fn FeedbackAbout(about: &'static str, target: i64, #[prop(optional)] title: &'static str) -> impl IntoView {
    let data = Resource::new(move || target, move |t| feedback_about(about.to_string(), t));
    let heading = if title.is_empty() { "Feedback" } else { title };
    let id = match about {
        "kpi" => "feedback-kpi",
        "system" => "feedback-system",
        "budget" => "feedback-budget",
        _ => "feedback-report",
    };
    view! {
        <section class="card no-print" aria-labelledby=id>
            <Suspense fallback=move || view! { <h2>{heading}</h2><p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => Either::Left(view! {
                            <div class="section-head">
                                <h2 id=id>{heading}</h2>
                                <a class="button secondary small" href=list.new_link.clone()>"Give feedback"</a>
                            </div>
                            {if list.items.is_empty() {
                                Either::Left(view! { <p class="empty">"None yet."</p> })
                            } else {
                                Either::Right(view! { <Items rows=list.items /> })
                            }}
                        }),
                        Err(e) => Either::Right(view! { <h2 id=id>{heading}</h2><crate::ui::LoadError error=e /> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// In the top bar: how many answers and comments wait for the reader, when any do.
#[component]
pub fn Notices() -> impl IntoView {
    let count = Resource::new(|| (), |_| feedback_notices());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let n = count.await.unwrap_or(0);
                (n > 0).then(|| {
                    let words = if n == 1 { "1 new answer".to_string() } else { format!("{n} new answers") };
                    // An icon with a count, as the alerts' bell: the top bar has room for no more.
                    view! {
                        <a class="bell notices" href=format!("{}#notices", Page::Feedback.path()) aria-label=words.clone() title=words>
                            <svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                                <path d="M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-4.3 3.4A.4.4 0 0 1 4 20.1V17a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z" fill="currentColor" />
                            </svg>
                            <span class="bell-count" aria-hidden="true">{n}</span>
                        </a>
                    }
                })
            })}
        </Suspense>
    }
}
