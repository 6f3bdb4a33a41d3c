//! KPI pages and the pieces they share: status badges, cards, period pickers.

mod detail;
mod dora;
mod editor;
mod import;
mod list;
mod measurements;

pub use detail::KpiDetailPage;
pub use dora::DoraPage;
pub use editor::{KpiEditPage, KpiNewPage};
use import::CsvImport;

// The one island of a KPI's page, the CSV import: its upload and storing report progress.
// Everything else on the KPI pages is the server's HTML with plain forms.
crate::ui::area_islands! { kpis:
    csv_import(key: String) => CsvImport, _island_csv_import, load_csv_import;
}
pub use import::ImportErrors;
pub use list::KpisPage;

use crate::access::Page;
use super::status::{Rag, Trend, Window};
use super::view::KpiCard;
use crate::platform::query::with_query;
use leptos::prelude::*;

/// Red, amber, green in words and colour, so status never depends on colour alone.
#[component]
pub fn StatusBadge(rag: Rag, #[prop(default = None)] short: Option<String>) -> impl IntoView {
    let is_short = short.is_some();
    view! {
        <span class=format!("status status-{}", rag.as_str()) class:short=is_short>
            <span class="status-dot" aria-hidden="true"></span>
            {rag.label()}
            {short.map(|s| view! { <span class="status-short">{format!(" · {s}")}</span> })}
        </span>
    }
}

#[component]
pub fn TrendText(trend: Trend, window: Window) -> impl IntoView {
    let (arrow, text) = match trend {
        Trend::Better => ("▲", format!("better than the previous {}", window.label())),
        Trend::Worse => ("▼", format!("worse than the previous {}", window.label())),
        Trend::Unchanged => ("▶", format!("unchanged from the previous {}", window.label())),
        Trend::Unknown => ("", "no earlier period to compare".to_string()),
    };
    view! {
        <span class=format!("trend trend-{}", trend.as_str())>
            <span aria-hidden="true">{arrow}</span>
            " "
            {text}
        </span>
    }
}

/// Links that switch the status window, keeping the reader on the same page.
#[component]
pub fn WindowPicker(current: Window, #[prop(into)] base: String, #[prop(optional)] keep: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <nav class="segmented" aria-label="Status period">
            <span class="segmented-label">"Period"</span>
            {Window::ALL
                .iter()
                .copied()
                .map(|w| {
                    let mut pairs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    pairs.push(("window", w.as_str()));
                    let href = with_query(&base, &pairs);
                    view! {
                        <a href=href aria-current=(w == current).then_some("true")>
                            {w.label()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

#[component]
pub fn KpiCardView(card: KpiCard, window: Window) -> impl IntoView {
    let href = Page::KpiDetail.href(&[&card.key]);
    view! {
        <article class=format!("kpi-card rag-{}", card.rag.as_str()) aria-labelledby=format!("card-{}", card.key)>
            <header class="kpi-card-head">
                <h3 id=format!("card-{}", card.key)><a href=href>{card.name.clone()}</a></h3>
                <StatusBadge rag=card.rag short=card.short.clone() />
            </header>
            <p class="kpi-value">
                {card.value.clone().unwrap_or_else(|| "—".into())}
                {card.target.clone().map(|t| view! { <span class="kpi-target">" target " {t}</span> })}
            </p>
            {card.as_of.clone().map(|d| view! { <p class="hint">"Measured " {d}</p> })}
            {card.sparkline.clone().map(|svg| view! { <div class="sparkline-box" inner_html=svg></div> })}
            <p class="kpi-sentence">{card.sentence.clone()}</p>
            <footer class="kpi-card-foot">
                {card.value.is_some().then(|| view! { <TrendText trend=card.trend window /> })}
                <span class="tag">{card.department.clone().unwrap_or_else(|| "Company-wide".into())}</span>
                {card.computed.then(|| view! { <span class="tag">"From events"</span> })}
            </footer>
        </article>
    }
}

/// Counts by status, as a one-line summary above a set of cards.
#[component]
pub fn StatusSummary(cards: Vec<KpiCard>) -> impl IntoView {
    let count = |r: Rag| cards.iter().filter(|c| c.rag == r).count();
    let parts: Vec<(Rag, usize)> = Rag::ALL.iter().copied().map(|r| (r, count(r))).filter(|(_, n)| *n > 0).collect();
    view! {
        <ul class="status-summary" aria-label="KPIs by status">
            {parts.into_iter().map(|(r, n)| view! { <li><StatusBadge rag=r />" " <strong>{n}</strong></li> }).collect_view()}
        </ul>
    }
}
