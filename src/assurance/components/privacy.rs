//! The record of processing: how it stands (systems not recorded, reviews overdue or due,
//! special-category data, transfers, open DPIAs), then each system, worst review first.

use super::SecurityTabs;
use crate::access::Page;
use crate::assurance::api::load_privacy;
use crate::assurance::privacy::Review;
use crate::assurance::view::{Dpia, PrivacyCounts, PrivacyLine, PrivacyPage, PrivacyQuery};
use crate::platform::query::{query, with_query};
use crate::ui::{FilterSelect, LoadError, Title};
use leptos::prelude::*;

#[component]
pub fn PrivacyRegisterPage() -> impl IntoView {
    let review = query("review");
    let data = Resource::new(move || PrivacyQuery { review: review.get() }, load_privacy);
    view! {
        <Title text="Personal data" />
        <div class="page-head">
            <div>
                <h1>"Personal data"</h1>
                <p class="meta">"The record of processing (GDPR Art. 30): which systems hold whose personal data, why, on what basis, for how long, where and with which processors. Each record is reviewed once a year."</p>
            </div>
        </div>
        <SecurityTabs />
        <Transition fallback=|| view! { <p class="loading">"Loading the record…"</p> }>
            {move || Suspend::new(async move {
                let wanted = review.get_untracked();
                match data.await {
                    Ok(p) => view! { <Body p wanted /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Body(p: PrivacyPage, wanted: String) -> impl IntoView {
    let reviews: Vec<(String, String)> = std::iter::once((String::new(), "Any review".to_string())).chain(Review::choices()).collect();
    let shown = p.lines.len();
    view! {
        {(!p.scope.is_empty()).then(|| view! { <p class="hint">{p.scope.clone()}</p> })}
        <Summary c=p.counts.clone() />
        <section class="card" id="record" aria-labelledby="record-title">
            <h2 id="record-title">"Systems"</h2>
            <form method="GET" action="" class="filters" aria-label="Filter systems">
                <FilterSelect label="Review" id="f-review" name="review" options=reviews selected=wanted />
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <p class="result-count">{crate::ui::plural(shown as u64, "system", "systems")}</p>
            <Records rows=p.lines.clone() />
        </section>
    }
}

#[component]
fn Summary(c: PrivacyCounts) -> impl IntoView {
    if c.systems == 0 {
        return view! { <p class="empty">"No systems in the inventory yet: add them under Infrastructure, then record the personal data each holds."</p> }.into_any();
    }
    let filter = |r: Review| with_query(Page::Privacy.path(), &[("review", r.as_str())]);
    let standing = [(Review::NotRecorded, c.not_recorded), (Review::Overdue, c.overdue), (Review::Due, c.due)];
    view! {
        <section class="card" aria-labelledby="standing-title">
            <h2 id="standing-title">"Where the record stands"</h2>
            <ul class="status-summary" aria-label="Systems by review">
                {standing.into_iter().map(|(r, n)| view! {
                    <li><a href=filter(r) aria-label=format!("{n} {}", r.label().to_lowercase())><ReviewTag review=r />" "<strong>{n.to_string()}</strong></a></li>
                }).collect_view()}
            </ul>
            <dl class="facts">
                <div><dt>"Hold personal data"</dt><dd>{format!("{} of {}", c.personal, crate::ui::plural(c.systems as u64, "system", "systems"))}</dd></div>
                <div><dt>"Special categories"</dt><dd>{c.special.to_string()}</dd></div>
                <div><dt>"Sent outside the EEA and UK"</dt><dd>{c.transfers.to_string()}</dd></div>
                <div><dt>"DPIAs to do or consider"</dt><dd class:late={c.dpia_open > 0}>{c.dpia_open.to_string()}</dd></div>
            </dl>
        </section>
    }
    .into_any()
}

#[component]
fn Records(rows: Vec<PrivacyLine>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No system matches."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack privacy">
                <thead><tr>
                    <th scope="col">"System"</th><th scope="col">"Review"</th><th scope="col">"Personal data"</th><th scope="col">"Legal basis"</th>
                    <th scope="col">"Hosted"</th><th scope="col">"Processors"</th><th scope="col">"DPIA"</th><th scope="col">"Last reviewed"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|l| {
                        let held = l.held();
                        let processors = if l.processors.is_empty() { "—".to_string() } else { l.processors.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ") };
                        let hosted = match (&l.transfer, l.hosting.is_empty()) {
                            (_, true) => "—".to_string(),
                            (Some(_), false) => format!("{} · outside the EEA", l.hosting),
                            (None, false) => l.hosting.clone(),
                        };
                        let reviewed = l.reviewed_on.clone().map(|d| format!("{d} by {}", l.reviewed_by.clone().unwrap_or_default())).unwrap_or_else(|| "Never".into());
                        view! {
                            <tr class:late=matches!(l.review, Review::Overdue | Review::NotRecorded)>
                                <th scope="row"><a href=Page::PrivacyRecord.href(&[&l.system_id])>{l.system.clone()}</a>
                                    <span class="meta">{l.department.clone().map(|d| format!(" · {d}")).unwrap_or_default()}</span></th>
                                <td data-label="Review"><ReviewTag review=l.review /></td>
                                <td data-label="Personal data">{held}</td>
                                <td data-label="Legal basis">{l.legal_basis.map(|b| b.label()).unwrap_or("—")}</td>
                                <td data-label="Hosted">{hosted}</td>
                                <td data-label="Processors">{processors}</td>
                                <td data-label="DPIA"><DpiaTag dpia=l.dpia.clone() /></td>
                                <td data-label="Last reviewed">{reviewed}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A record's review in words, colour and shape.
#[component]
pub fn ReviewTag(review: Review) -> impl IntoView {
    let tone = match review {
        Review::NotRecorded | Review::Overdue => "red",
        Review::Due => "amber",
        Review::Current => "green",
    };
    super::status_tag(tone, review.label())
}

/// A system's DPIA: done (linked), missing, worth considering, or not needed.
#[component]
pub fn DpiaTag(dpia: Dpia) -> impl IntoView {
    match dpia {
        Dpia::NotRequired => view! { <span class="meta">"Not required"</span> }.into_any(),
        Dpia::Advised => super::status_tag("amber", "Consider one").into_any(),
        Dpia::Missing => super::status_tag("red", "Required, no document").into_any(),
        Dpia::Done { link, on } => view! {
            <a href=link rel="noopener noreferrer" target="_blank">{on.map(|d| format!("Done {d}")).unwrap_or_else(|| "Done".into())}</a>
        }
        .into_any(),
    }
}
