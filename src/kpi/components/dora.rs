//! DORA metrics computed from deployment and incident events, overall and per service.

use crate::platform::query::query;
use super::{WindowPicker};
use crate::kpi::api::{dora_summary, parse_window};
use crate::kpi::dora::{Band, Metrics};
use crate::kpi::units::format_number;
use crate::kpi::view::band_label;
use crate::ui::LoadError;
use leptos::prelude::*;
use crate::ui::Title;

fn band_view(band: Option<Band>) -> impl IntoView {
    let class = band.map(|b| format!("band band-{}", b.label().to_lowercase())).unwrap_or_else(|| "band".into());
    view! { <span class=class>{band_label(band)}</span> }
}

fn hours(h: Option<f64>) -> String {
    match h {
        None => "—".into(),
        Some(h) if h < 1.0 => format!("{} min", format_number(h * 60.0)),
        Some(h) if h < 48.0 => format!("{} h", format_number(h)),
        Some(h) => format!("{} d", format_number(h / 24.0)),
    }
}

fn figures(m: &Metrics) -> [(&'static str, String, Option<Band>, String); 4] {
    [
        ("Deployment frequency", format!("{}/day", format_number(m.deploys_per_day)), m.bands.deployment_frequency, format!("{} deployments", m.deployments)),
        ("Lead time for changes", hours(m.lead_time_hours), m.bands.lead_time, "median, commit to production".into()),
        (
            "Change failure rate",
            m.change_failure_rate.map(|r| format!("{} %", format_number(r))).unwrap_or_else(|| "—".into()),
            m.bands.change_failure_rate,
            format!("{} of {} deployments failed or caused an incident", m.failed_deployments, m.deployments),
        ),
        ("Time to restore service", hours(m.time_to_restore_hours), m.bands.time_to_restore, format!("median of {} resolved incidents", m.incidents_resolved)),
    ]
}

#[component]
pub fn DoraPage() -> impl IntoView {
    let window_q = query("window");
    let window = Memo::new(move |_| parse_window(&window_q.get()));
    let data = Resource::new(move || window.get(), |w| dora_summary(w.as_str().to_string()));
    view! {
        <Title text="DORA metrics" />
        <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/kpis">"KPIs"</a>" / "<span aria-current="page">"DORA metrics"</span></nav>
        <div class="page-head">
            <h1>"DORA metrics"</h1>
            {move || view! { <WindowPicker current=window.get() base="/kpis/dora" /> }}
        </div>
        <p class="lead">"Computed from the deployment and incident events sent to the API, never typed in. Bands follow the 2023 Accelerate State of DevOps Report."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(v) => {
                        let overall = figures(&v.overall);
                        let empty = v.overall.deployments == 0 && v.overall.incidents_resolved == 0;
                        view! {
                            {empty.then(|| view! { <p class="empty">{format!("No deployments or resolved incidents in the last {}. Send events to /api/v1/events/deployments and /api/v1/events/incidents (see the README).", v.window.label())}</p> })}
                            <div class="dora-grid">
                                {overall.into_iter().map(|(name, value, band, note)| view! {
                                    <section class="card dora-tile" aria-label=name>
                                        <h2>{name}</h2>
                                        <p class="kpi-value">{value}</p>
                                        {band_view(band)}
                                        <p class="hint">{note}</p>
                                    </section>
                                }).collect_view()}
                            </div>
                            <section class="card" aria-labelledby="services-title">
                                <h2 id="services-title">"By service"</h2>
                                <div class="table-wrap">
                                    <table class="stack">
                                        <thead><tr>
                                            <th scope="col">"Service"</th>
                                            <th scope="col">"Deployments/day"</th>
                                            <th scope="col">"Lead time"</th>
                                            <th scope="col">"Change failure rate"</th>
                                            <th scope="col">"Time to restore"</th>
                                        </tr></thead>
                                        <tbody>
                                            {v.services.into_iter().map(|row| {
                                                let [df, lt, cfr, ttr] = figures(&row.metrics);
                                                view! {
                                                    <tr>
                                                        <th scope="row">{row.service}</th>
                                                        <td data-label="Deployments/day">{df.1}" "{band_view(df.2)}</td>
                                                        <td data-label="Lead time">{lt.1}" "{band_view(lt.2)}</td>
                                                        <td data-label="Change failure rate">{cfr.1}" "{band_view(cfr.2)}</td>
                                                        <td data-label="Time to restore">{ttr.1}" "{band_view(ttr.2)}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="bands-title">
            <h2 id="bands-title">"How the bands are drawn"</h2>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr><th scope="col">"Band"</th><th scope="col">"Deployment frequency"</th><th scope="col">"Lead time"</th><th scope="col">"Change failure rate"</th><th scope="col">"Time to restore"</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">"Elite"</th><td data-label="Deployment frequency">"daily or more (on demand)"</td><td data-label="Lead time">"under a day"</td><td data-label="Change failure rate">"5 % or less"</td><td data-label="Time to restore">"under an hour"</td></tr>
                        <tr><th scope="row">"High"</th><td data-label="Deployment frequency">"weekly to daily"</td><td data-label="Lead time">"a day to a week"</td><td data-label="Change failure rate">"up to 10 %"</td><td data-label="Time to restore">"under a day"</td></tr>
                        <tr><th scope="row">"Medium"</th><td data-label="Deployment frequency">"monthly to weekly"</td><td data-label="Lead time">"a week to a month"</td><td data-label="Change failure rate">"up to 15 %"</td><td data-label="Time to restore">"a day to a week"</td></tr>
                        <tr><th scope="row">"Low"</th><td data-label="Deployment frequency">"less than monthly"</td><td data-label="Lead time">"over a month"</td><td data-label="Change failure rate">"over 15 %"</td><td data-label="Time to restore">"over a week"</td></tr>
                    </tbody>
                </table>
            </div>
            <p class="hint">"Source: DORA, Accelerate State of DevOps Report 2023 (Google Cloud), software delivery performance clusters. Where the report's low and medium clusters overlap, the line is drawn at the boundary between their ranges."</p>
        </section>
    }
}
