//! Radar pages: the radar with its proposals and editions, an entry with its history and the
//! CTO's decision form, the entry editor, and a published edition. All are the server's HTML
//! with plain forms; the picture is SVG drawn on the server, with a table of the same entries.

mod edition;
mod entry;
mod entry_form;
mod radar;

pub use edition::RadarEditionPage;
pub use entry::RadarEntryPage;
pub use entry_form::{RadarEntryEditPage, RadarEntryNewPage};
pub use radar::RadarPage;

use crate::access::Page;
use crate::radar::view::RadarPicture;
use leptos::prelude::*;

/// The picture and, beside it, the table of the same entries by number. `links` makes each
/// name a link to its page (not in an investor report, whose readers cannot open it).
#[component]
pub fn RadarFigure(picture: RadarPicture, #[prop(optional)] links: bool) -> impl IntoView {
    if picture.blips.is_empty() {
        return view! { <p class="empty">"No entries on the radar yet."</p> }.into_any();
    }
    let legend = match &picture.compared_with {
        Some(edition) => format!("A ringed entry is new or moved since the edition {edition}; a plain one is where it was then."),
        None => "No edition to compare with yet, so no entry is ringed as new or moved.".to_string(),
    };
    let quadrants = picture.quadrants.clone();
    let unchanged = if picture.compared_with.is_some() { "Unchanged" } else { "—" };
    view! {
        <figure class="chart-figure radar-figure">
            <div class="chart-box radar-box" inner_html=picture.svg.clone()></div>
            <figcaption class="hint">{legend}</figcaption>
        </figure>
        <div class="table-wrap">
            <table class="stack radar-table">
                <caption class="visually-hidden">"The radar's entries by number"</caption>
                <thead><tr>
                    <th scope="col" class="num">"No."</th><th scope="col">"Entry"</th><th scope="col">"Quadrant"</th>
                    <th scope="col">"Ring"</th><th scope="col">"Since the last edition"</th>
                </tr></thead>
                <tbody>
                    {picture.blips.into_iter().map(|b| {
                        let name = if links {
                            view! { <a href=Page::RadarEntry.href(&[&b.id])>{b.name.clone()}</a> }.into_any()
                        } else {
                            view! { <span>{b.name.clone()}</span> }.into_any()
                        };
                        view! {
                            <tr>
                                <td data-label="No." class="num">{b.number}</td>
                                <th scope="row">{name}{(!b.description.is_empty()).then(|| view! { <span class="meta">{b.description.clone()}</span> })}</th>
                                <td data-label="Quadrant">{quadrants.get(b.quadrant).cloned().unwrap_or_default()}</td>
                                <td data-label="Ring"><span class=format!("ring ring-{}", b.ring.as_str())>{b.ring.label()}</span></td>
                                <td data-label="Since the last edition">{b.change.map(|c| c.label()).unwrap_or_else(|| unchanged.into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The radar's entries that name this initiative or system, as a definition in its facts.
#[component]
pub fn OnTheRadar(entries: Vec<crate::radar::view::Mention>) -> impl IntoView {
    (!entries.is_empty()).then(|| {
        view! {
            <dt>"On the technology radar"</dt>
            <dd>{entries.into_iter().map(|m| view! { <span class="dep"><a href=Page::RadarEntry.href(&[&m.id])>{m.name}</a>" "<span class="muted">{m.standing}</span></span> }).collect_view()}</dd>
        }
    })
}

/// What each ring asks of teams, under the picture.
#[component]
pub fn RingLegend() -> impl IntoView {
    view! {
        <dl class="facts ring-legend">
            {crate::radar::model::Ring::ALL.iter().map(|r| view! { <dt>{r.label()}</dt><dd>{r.meaning()}</dd> }).collect_view()}
        </dl>
    }
}
