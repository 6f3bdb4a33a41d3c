//! A system's quality card, on its page: the latest test run and coverage, escaped defects and
//! the change failure rate of its deployments, then the same week by week, and the reports as
//! received.

use crate::assurance::view::{QualityLine, SystemQuality};
use crate::ui::chart::ChartBlock;
use leptos::prelude::*;

#[component]
pub fn SystemQualityCard(q: SystemQuality, system: i64) -> impl IntoView {
    let none = |what: &str| format!("No {what} reported yet");
    let failure = match (&q.change_failure_rate, &q.change_failure_band) {
        (Some(rate), Some(band)) => format!("{rate} of {} (DORA: {band})", crate::ui::plural(q.deployments as u64, "deployment", "deployments")),
        _ => format!("No deployments of “{}” in the last 30 days", q.key),
    };
    let nothing = q.rates_chart.is_none() && q.latest.is_empty();
    view! {
        <section class="card" id="quality" aria-labelledby="quality-title">
            <h2 id="quality-title">"Quality"</h2>
            <dl class="facts">
                <div><dt>"Test pass rate"</dt><dd>{q.pass_rate.clone().map_or_else(|| none("test runs"), |p| format!("{p} ({})", q.tests.clone().unwrap_or_default()))}</dd></div>
                <div><dt>"Coverage"</dt><dd>{q.coverage.clone().map_or_else(|| none("coverage"), |c| match &q.coverage_change { Some(d) => format!("{c} ({d} in 26 weeks)"), None => c })}</dd></div>
                <div><dt>"Escaped defects, last 30 days"</dt><dd>{q.escaped.to_string()}</dd></div>
                <div><dt>"Change failure rate, last 30 days"</dt><dd>{failure}</dd></div>
            </dl>
            <div class="chart-grid">
            {q.rates_chart.clone().map(|chart| view! {
                <ChartBlock chart heading="Per week: test pass rate, coverage and change failure rate" legend=vec![("solid", "Test pass rate".to_string()), ("line-2", "Coverage".to_string()), ("line-3", "Change failure rate".to_string())] />
            })}
            {q.defects_chart.clone().map(|chart| view! {
                <ChartBlock chart heading="Per week: escaped defects and failed changes" legend=vec![("bar actual", "Escaped defects".to_string()), ("fill line-3", "Failed changes (failed or caused an incident)".to_string())] />
            })}
            </div>
            {(!q.latest.is_empty()).then(|| view! { <Latest rows=q.latest.clone() /> })}
            {nothing.then(|| view! { <p>"No quality reports yet."</p> })}
            <p class="hint">
                "A CI pipeline reports test runs, coverage and escaped defects to "<code>{format!("/api/v1/systems/{system}/quality")}</code>
                " with an API token; the change failure rate is DORA’s, from the deployments whose service is "<code>{q.key.clone()}</code>"."
            </p>
        </section>
    }
}

#[component]
fn Latest(rows: Vec<QualityLine>) -> impl IntoView {
    let dash = || "—".to_string();
    view! {
        <details class="chart-data">
            <summary>"Latest reports"</summary>
            <div class="table-wrap">
                <table class="stack">
                    <thead><tr>
                        <th scope="col">"When (UTC)"</th><th scope="col">"Source"</th><th scope="col">"Commit or build"</th>
                        <th scope="col" class="num">"Tests passed"</th><th scope="col" class="num">"Coverage"</th><th scope="col" class="num">"Escaped defects"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row" data-label="When (UTC)">{r.at}</th>
                                <td data-label="Source">{if r.source.is_empty() { dash() } else { r.source }}</td>
                                <td data-label="Commit or build">{if r.reference.is_empty() { dash() } else { r.reference }}</td>
                                <td class="num" data-label="Tests passed">{r.tests.unwrap_or_else(dash)}</td>
                                <td class="num" data-label="Coverage">{r.coverage.unwrap_or_else(dash)}</td>
                                <td class="num" data-label="Escaped defects">{r.escaped.map_or_else(dash, |n| n.to_string())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}
