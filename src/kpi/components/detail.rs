//! One KPI: its status, trend chart, measurements, targets and, for those allowed, ways to add data.

use crate::access::{Page, Route};
use super::measurements::MeasurementTable;
use crate::platform::query::{query, with_query};
use super::{StatusBadge, TrendText, WindowPicker};
use crate::kpi::api::{kpi_detail, parse_window};
use crate::kpi::view::{ChartRange, ChartView, KpiPage};
use crate::ui::LoadError;
use leptos::prelude::*;
use crate::ui::Title;

/// The page is the server's HTML. What a person acts on (entering a measurement, importing a
/// file, deleting a row) is a small island each, and a change reloads the page, so the status,
/// chart and tables are drawn by the server alone and none of their code goes to the browser.
/// `below` draws what other areas show under a KPI (its feedback), given the KPI's id: the app
/// composes the page, so the KPI area needs none of them.
#[component]
pub fn KpiDetailPage(below: fn(i64) -> AnyView) -> impl IntoView {
    let key = crate::platform::query::param("key");
    let window = parse_window(&query("window").get_untracked());
    let range = ChartRange::parse(&query("range").get_untracked()).unwrap_or(ChartRange::Days90);
    let before = query("before").get_untracked().parse::<i64>().ok();
    let page = Resource::new(|| (), move |_| kpi_detail(key.clone(), window.as_str().to_string(), range.as_str().to_string(), before));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(e) => view! {
                        <Title text="KPI" />
                        <h1>"KPI"</h1>
                        <LoadError error=e />
                        <p><a href="/kpis">"Back to the KPI list"</a></p>
                    }.into_any(),
                    Ok(p) => view! { <Detail p below /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(p: KpiPage, below: fn(i64) -> AnyView) -> impl IntoView {
    let kpi = p.kpi.clone();
    let base = Page::KpiDetail.href(&[&kpi.key]);
    let range = p.chart.range;
    let window = p.window;
    let scope = kpi.department_name.clone().unwrap_or_else(|| "Company-wide".into());
    view! {
        <Title text=kpi.name.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/kpis">"KPIs"</a>" / "<span aria-current="page">{kpi.name.clone()}</span></nav>
        <div class="page-head">
            <div>
                <h1>{kpi.name.clone()}</h1>
                <p class="meta">
                    <span class="tag">{kpi.category.label()}</span>
                    <span class="tag">{scope}</span>
                    {(!kpi.owner.is_empty()).then(|| view! { <span>"Owner: " {kpi.owner.clone()}</span> })}
                    <span>{format!("{} · {} · period value: {}", kpi.unit.label(), kpi.direction.label().to_lowercase(), kpi.aggregation.label().to_lowercase())}</span>
                    {kpi.investor_visible.then(|| view! { <span class="tag">"In investor reports"</span> })}
                </p>
            </div>
            <div class="page-actions">
                <a class="button secondary" href=Route::KpiExport.href(&[&kpi.key]) download>"Export CSV"</a>
                {p.can_edit.then(|| view! { <crate::admin::components::HistoryLink object=format!("kpi:{}", kpi.key) /> })}
                {p.can_edit.then(|| view! { <a href=Page::KpiEdit.href(&[&kpi.key]) class="button primary">"Edit KPI"</a> })}
            </div>
        </div>
        {(!kpi.description.is_empty() || !kpi.formula.is_empty()).then(|| view! {
            <div class="prose kpi-about">
                {(!kpi.description.is_empty()).then(|| view! { <p>{kpi.description.clone()}</p> })}
                {(!kpi.formula.is_empty()).then(|| view! { <p><strong>"Formula: "</strong>{kpi.formula.clone()}</p> })}
            </div>
        })}

        <section class="card status-panel" aria-labelledby="status-title">
            <div class="status-head">
                <h2 id="status-title">"Status"</h2>
                <WindowPicker current=window base=base.clone() keep=vec![("range", range.as_str().to_string())] />
            </div>
            <div class="status-body">
                <p class="kpi-value big">{p.card.value.clone().unwrap_or_else(|| "—".into())}</p>
                <StatusBadge rag=p.card.rag short=p.card.short.clone() />
                {p.card.value.is_some().then(|| view! { <TrendText trend=p.card.trend window /> })}
            </div>
            <p class="kpi-sentence">{p.card.sentence.clone()}</p>
            {p.card.previous.clone().map(|prev| view! { <p class="hint">{format!("Previous {}: {prev}", window.label())}</p> })}
            {kpi.computed.map(|c| view! {
                <p class="hint">{format!("{} is computed from deployment and incident events (see ", c.label())}<a href="/kpis/dora">"DORA metrics"</a>"); its daily values below are derived, not entered."</p>
            })}
            {kpi.kept_by.as_deref().map(|by| kept_hint(by, p.can_edit))}
        </section>

        <ChartSection chart=p.chart.clone() base=base.clone() window />

        {p.can_record.then(|| view! {
            <section class="card" aria-labelledby="add-title">
                <h2 id="add-title">"Add data"</h2>
                <div class="two-col">
                    <super::measurements::AddMeasurementForm key=kpi.key.clone() unit=kpi.unit now=p.now.clone() />
                    {super::csv_import(kpi.key.clone())}
                </div>
            </section>
        })}

        <MeasurementTable key=kpi.key.clone() page=p.measurements total=p.total_points first=p.first_at.clone() last=p.last_at.clone() />

        <section class="card" aria-labelledby="targets-title">
            <h2 id="targets-title">"Target history"</h2>
            {if p.targets.is_empty() {
                view! { <p class="empty">"No target has been set, so this KPI has no red, amber or green status."</p> }.into_any()
            } else {
                let dir = match kpi.direction { crate::kpi::model::Direction::Higher => "at least", crate::kpi::model::Direction::Lower => "at most" };
                view! {
                    <p class="hint">{format!("Each target applies from its date on; past measurements are judged against the target then in force. Green is {dir} the amber threshold's value.")}</p>
                    <div class="table-wrap">
                        <table class="stack">
                            <thead><tr><th scope="col">"From"</th><th scope="col">"Target"</th><th scope="col">"Amber at"</th><th scope="col">"Red at"</th><th scope="col">"Note"</th><th scope="col">"Set by"</th></tr></thead>
                            <tbody>
                                {p.targets.iter().zip(p.target_texts.iter()).map(|((t, current), (tv, av, rv))| view! {
                                    <tr class:current=*current>
                                        <th scope="row">{if t.effective_from == "1970-01-01" { "The beginning".to_string() } else { t.effective_from.clone() }}{current.then_some(" (in force)")}</th>
                                        <td data-label="Target">{tv.clone()}</td>
                                        <td data-label="Amber at">{av.clone()}</td>
                                        <td data-label="Red at">{rv.clone()}</td>
                                        <td data-label="Note">{t.note.clone()}</td>
                                        <td data-label="Set by">{t.set_by.clone().unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {below(kpi.id)}
    }
}

/// Who writes a kept KPI's values, and where to see how; the notes below each value say what it
/// was made of.
fn kept_hint(kept_by: &str, cto: bool) -> AnyView {
    let (what, page, path) = match kept_by {
        "pulse" => ("A survey's score: Northstar writes a value for each round with at least five answers, from the answers", "Satisfaction surveys", Page::Surveys.path()),
        "feedback" => ("A feedback response time: Northstar writes each month's median from the items answered or closed that month", "Feedback", Page::Feedback.path()),
        "assurance" => ("A security figure: Northstar writes it from the vulnerability findings at every import, held to the remediation deadlines", "Vulnerabilities", Page::Vulnerabilities.path()),
        _ => ("A cost per unit: Northstar computes its value for each completed month from spending and the KPI it divides by", "Unit economics", Page::UnitEconomics.path()),
    };
    view! {
        <p class="hint">{what}{cto.then(|| view! { " (see "<a href=path>{page}</a>")" })}"; nobody records it by hand."</p>
    }
    .into_any()
}

#[component]
fn ChartSection(chart: ChartView, base: String, window: crate::kpi::status::Window) -> impl IntoView {
    let rows = chart.rows.len();
    view! {
        <section class="card chart-panel" aria-labelledby="trend-title">
            <div class="status-head">
                <h2 id="trend-title">"Trend"</h2>
                <nav class="segmented" aria-label="Chart range">
                    <span class="segmented-label">"Range"</span>
                    {ChartRange::ALL.iter().copied().map(|r| {
                        let href = with_query(&base, &[("window", window.as_str()), ("range", r.as_str())]);
                        view! { <a href=href aria-current=(r == chart.range).then_some("true")>{r.label()}</a> }
                    }).collect_view()}
                </nav>
            </div>
            <figure class="chart-figure">
                <div class="chart-box" inner_html=chart.svg.clone()></div>
                <figcaption>
                    <ul class="legend">
                        <li><span class="swatch line"></span>"Value (" {chart.resolution.clone()} ")"</li>
                        <li><span class="swatch target"></span>"Target"</li>
                        <li><span class="swatch amber"></span>"Amber threshold"</li>
                        <li><span class="swatch red"></span>"Red threshold"</li>
                        {(chart.deployments > 0).then(|| view! { <li><span class="swatch deploy"></span>{format!("Deployments ({})", chart.deployments)}</li> })}
                        {(chart.incidents > 0).then(|| view! { <li><span class="swatch incident"></span>{format!("Incidents ({})", chart.incidents)}</li> })}
                        {(chart.notes > 0).then(|| view! { <li><span class="swatch note"></span>{format!("Notes ({})", chart.notes)}</li> })}
                    </ul>
                    <p class="hint chart-events">{format!("Events marked: {}.", chart.events)}</p>
                </figcaption>
            </figure>
            <details class="chart-data">
                <summary>{format!("Show data ({} plotted, newest first)", crate::ui::plural(rows as u64, "point", "points"))}</summary>
                <div class="table-wrap scroll">
                    <table>
                        <caption class="visually-hidden">"The values plotted in the chart"</caption>
                        <thead><tr><th scope="col">"Time (UTC)"</th><th scope="col" class="num">"Value"</th></tr></thead>
                        <tbody>
                            {chart.rows.into_iter().map(|(t, v)| view! { <tr><td>{t}</td><td class="num">{v}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}
