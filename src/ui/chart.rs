//! A chart drawn on the server, shown with its data as a table anyone can open instead.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A chart with the table a reader can use instead of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartData {
    pub svg: String,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A server-drawn chart with its data as a table a screen reader (or anyone) can open.
#[component]
pub fn ChartBlock(
    chart: ChartData,
    #[prop(into)] heading: String,
    /// (swatch class, label) pairs.
    #[prop(optional)]
    legend: Vec<(&'static str, String)>,
) -> impl IntoView {
    let ChartData { svg, caption, columns, rows } = chart;
    view! {
        <figure class="chart-block">
            <figcaption class="chart-heading">{heading.clone()}</figcaption>
            <div class="chart-box" inner_html=svg></div>
            <ul class="legend">
                {legend.into_iter().map(|(class, label)| view! { <li><span class=format!("swatch {class}")></span>{label}</li> }).collect_view()}
            </ul>
            <details class="chart-data">
                <summary>"Show data"</summary>
                <div class="table-wrap">
                    <table>
                        <caption class="visually-hidden">{caption}</caption>
                        <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>{r.into_iter().enumerate().map(|(i, v)| if i == 0 { view! { <th scope="row">{v}</th> }.into_any() } else { view! { <td class="num">{v}</td> }.into_any() }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

