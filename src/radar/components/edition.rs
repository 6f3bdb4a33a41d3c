//! A published edition of the radar, as it was frozen, with what changed since the one before.

use super::{RadarFigure, RingLegend};
use crate::access::Page;
use crate::platform::query::param_id;
use crate::radar::api::radar_edition;
use crate::radar::view::EditionPage as Data;
use crate::ui::{LoadError, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn RadarEditionPage() -> impl IntoView {
    let id = param_id("id");
    let data = Resource::new(move || id, radar_edition);
    view! {
        <Title text="Radar edition" />
        <Suspense fallback=|| view! { <h1>"Radar edition"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => Either::Left(view! { <Edition d /> }),
                    Err(e) => Either::Right(view! { <h1>"Radar edition"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Edition(d: Data) -> impl IntoView {
    let heading = format!("Technology radar, {}", d.title);
    let meta = match &d.published_by {
        Some(by) => format!("Published {} by {by}. Frozen as it was then.", d.published_on),
        None => format!("Published {}. Frozen as it was then.", d.published_on),
    };
    let step = |link: Option<(i64, String)>, word: &'static str| link.map(|(id, title)| view! { <a class="button secondary" href=Page::RadarEdition.href(&[&id])>{format!("{word}: {title}")}</a> });
    let changes = match &d.previous {
        None => Either::Left(view! { <p class="empty">"The first edition: nothing to compare it with."</p> }.into_any()),
        Some((_, previous)) if d.changes.is_empty() => Either::Left(view! { <p class="empty">{format!("Nothing moved since {previous}.")}</p> }.into_any()),
        Some(_) => Either::Right(view! {
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Entry"</th><th scope="col">"What changed"</th></tr></thead>
                    <tbody>{d.changes.iter().map(|(name, what)| view! { <tr><th scope="row">{name.clone()}</th><td data-label="What changed">{what.clone()}</td></tr> }).collect_view()}</tbody>
                </table>
            </div>
        }),
    };
    let since = d.previous.as_ref().map(|(_, t)| format!("Since {t}")).unwrap_or_else(|| "Changes".into());
    view! {
        <Title text=heading.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <a href=Page::Radar.path()>"Technology radar"</a>" / "<span aria-current="page">{d.title.clone()}</span>
        </nav>
        <div class="page-head printed">
            <div>
                <h1>{heading}</h1>
                <p class="meta">{meta}</p>
            </div>
            <div class="page-actions no-print">
                <button type="button" class="button secondary" data-print="">"Print"</button>
                {step(d.previous.clone(), "Previous")}{step(d.next.clone(), "Next")}
            </div>
        </div>
        <section class="card" aria-labelledby="changes-title">
            <h2 id="changes-title">{since}</h2>
            {changes}
        </section>
        <section class="card" aria-labelledby="picture-title">
            <h2 id="picture-title">"The radar"</h2>
            <RadarFigure picture=d.picture.clone() links=true />
            <RingLegend />
        </section>
    }
}
