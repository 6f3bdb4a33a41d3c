//! One report as a document: the same markup on screen, in the preview, behind a share link
//! and on paper. Everything in it comes from the snapshot; charts and commentary are HTML the
//! server made (charts by plotters, commentary by the filtered Markdown renderer).

use crate::report::view::{BudgetLine, BudgetSection, Snapshot, SECTIONS};
use leptos::prelude::*;

/// `stamp` names the version ("Version 2 · published 2026-10-03 09:12") or says it is a preview.
#[component]
pub fn ReportDocument(snapshot: Snapshot, #[prop(into)] stamp: String) -> impl IntoView {
    let s = snapshot;
    let comment = |key: &str| {
        s.commentary_for(key).map(|html| {
            let html = html.to_string();
            let label = SECTIONS.iter().find(|x| x.0 == key).map(|x| x.1).unwrap_or_default();
            view! { <div class="commentary" aria-label=format!("Commentary: {label}") inner_html=html></div> }
        })
    };
    let narrative = |key: &'static str, heading: &'static str| {
        s.commentary_for(key).map(|html| {
            let html = html.to_string();
            view! {
                <section class="report-section narrative" aria-labelledby=format!("rs-{key}")>
                    <h2 id=format!("rs-{key}")>{heading}</h2>
                    <div class="commentary" inner_html=html></div>
                </section>
            }
        })
    };
    let kpi_rows = s.kpis.clone();
    let charts = s.kpis.iter().map(|k| (k.name.clone(), k.chart_svg.clone())).collect::<Vec<_>>();
    let infra = s.infrastructure.clone();
    view! {
        <article class="report-doc">
            <style>{page_header(&s.title, &format!("{} · {}", s.period_label, stamp))}</style>
            <header class="report-head">
                <p class="eyebrow">{format!("Technology report · {}", s.period_label)}</p>
                <h1>{s.title.clone()}</h1>
                <p class="meta">
                    <span>{format!("{} to {}", s.from, s.to)}</span>
                    <span>{stamp.clone()}</span>
                    <span>{format!("Figures as of {}", s.generated_at)}</span>
                </p>
            </header>
            {narrative("strategy", "Strategy")}
            <super::strategy::StrategySection digest=s.strategy.clone() period=s.period_label.clone() />
            {s.radar.clone().map(|picture| view! {
                <section class="report-section" aria-labelledby="rs-radar">
                    <h2 id="rs-radar">"Technology radar"</h2>
                    <p class="meta">{format!("As of {}: the technologies we adopt, try, assess and hold.", s.generated_at)}</p>
                    <crate::radar::components::RadarFigure picture />
                    <crate::radar::components::RingLegend />
                </section>
            })}

            <section class="report-section" aria-labelledby="rs-kpis">
                <h2 id="rs-kpis">"Key indicators"</h2>
                {if kpi_rows.is_empty() {
                    view! { <p class="empty">"No indicators are marked for investors."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table class="report-table">
                                <caption class="visually-hidden">{format!("Key indicators, {}", s.period_label)}</caption>
                                <thead><tr>
                                    <th scope="col">"Indicator"</th><th scope="col" class="num">"Value"</th><th scope="col" class="num">"Target"</th>
                                    <th scope="col">"Status"</th><th scope="col" class="num">"Previous period"</th>
                                </tr></thead>
                                <tbody>
                                    {kpi_rows.into_iter().map(|k| view! {
                                        <tr>
                                            <th scope="row">{k.name}</th>
                                            <td class="num">{k.value}</td>
                                            <td class="num">{k.target.unwrap_or_else(|| "—".into())}</td>
                                            <td><span class=format!("status status-{}", k.status)><span class="status-dot" aria-hidden="true"></span>{k.status_label}</span></td>
                                            <td class="num">{k.previous.unwrap_or_else(|| "—".into())}{trend_word(&k.trend)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <div class="report-charts">
                            {charts.into_iter().map(|(name, svg)| view! {
                                <figure class="report-chart">
                                    <div class="chart-svg" inner_html=svg></div>
                                    <figcaption>{name}</figcaption>
                                </figure>
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
                {comment("kpis")}
            </section>

            <section class="report-section" aria-labelledby="rs-budget">
                <h2 id="rs-budget">"IT budget"</h2>
                <BudgetTables budget=s.budget.clone() period=s.period_label.clone() />
                {comment("budget")}
            </section>

            <section class="report-section" aria-labelledby="rs-infra">
                <h2 id="rs-infra">"Infrastructure"</h2>
                <p class="summary-line">{format!(
                    "{} of {} systems with data met their SLO; {} incidents; mean time to recovery {}.",
                    infra.met, infra.met + infra.missed, infra.incidents, infra.mttr
                )}</p>
                {(!infra.systems.is_empty()).then(|| view! {
                    <div class="table-wrap">
                        <table class="report-table">
                            <caption class="visually-hidden">"Availability against SLO per system"</caption>
                            <thead><tr>
                                <th scope="col">"System"</th><th scope="col" class="num">"Tier"</th><th scope="col" class="num">"SLO"</th>
                                <th scope="col" class="num">"Availability"</th><th scope="col">"Result"</th><th scope="col" class="num">"Incidents"</th><th scope="col" class="num">"MTTR"</th>
                            </tr></thead>
                            <tbody>
                                {infra.systems.into_iter().map(|x| view! {
                                    <tr>
                                        <th scope="row">{x.name}</th>
                                        <td class="num">{x.tier}</td>
                                        <td class="num">{x.slo}</td>
                                        <td class="num">{x.uptime}</td>
                                        <td>{match x.meets_slo { Some(true) => "Met", Some(false) => "Missed", None => "No data" }}</td>
                                        <td class="num">{x.incidents}</td>
                                        <td class="num">{x.mttr}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
                {comment("infrastructure")}
            </section>

            <section class="report-section" aria-labelledby="rs-delivery">
                <h2 id="rs-delivery">"Delivery (DORA)"</h2>
                <div class="table-wrap">
                    <table class="report-table">
                        <caption class="visually-hidden">"DORA metrics and their performance bands"</caption>
                        <thead><tr><th scope="col">"Metric"</th><th scope="col" class="num">"Value"</th><th scope="col">"Band"</th></tr></thead>
                        <tbody>
                            {s.delivery.clone().into_iter().map(|d| {
                                let class = format!("band band-{}", d.band.to_lowercase().replace(' ', "-"));
                                view! {
                                <tr>
                                    <th scope="row">{d.metric}</th>
                                    <td class="num">{d.value}</td>
                                    <td><span class=class>{d.band}</span></td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                </div>
                {comment("delivery")}
            </section>
            {s.security.clone().map(|section| view! { <crate::assurance::components::PostureReportSection section /> })}
            {narrative("risks", "Risks")}
            {narrative("next_quarter", "Next quarter")}
            <footer class="report-foot">{format!("{} · {} · {}", s.title, s.period_label, stamp)}</footer>
        </article>
    }
}

/// The running header of every printed page, in the page's top margin. Chromium (131 and
/// later) draws `@page` margin boxes; the text is written as CSS escapes so nothing in a title
/// can end the string or the style element.
pub fn page_header(left: &str, right: &str) -> String {
    let css = |text: &str| {
        text.chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == ' ' { c.to_string() } else { format!("\\{:x} ", c as u32) })
            .collect::<String>()
    };
    format!(
        "@page {{ @top-left {{ content: \"{}\"; font: 8pt system-ui, sans-serif; color: #444; }} @top-right {{ content: \"{}\"; font: 8pt system-ui, sans-serif; color: #444; }} }}",
        css(left),
        css(right)
    )
}

fn trend_word(trend: &str) -> &'static str {
    match trend {
        "better" => " · better now",
        "worse" => " · worse now",
        "unchanged" => " · unchanged",
        _ => "",
    }
}

/// Budget against actual by category and by CapEx/OpEx; shared with the department report.
#[component]
pub fn BudgetTables(budget: BudgetSection, #[prop(into)] period: String) -> impl IntoView {
    if budget.total.is_none() {
        return view! { <p class="empty">"No budget and no spending recorded for this period."</p> }.into_any();
    }
    let table = move |caption: String, first: &'static str, rows: Vec<BudgetLine>, total: Option<BudgetLine>| {
        view! {
            <div class="table-wrap">
                <table class="report-table">
                    <caption class="visually-hidden">{caption}</caption>
                    <thead><tr>
                        <th scope="col">{first}</th><th scope="col" class="num">"Budget"</th><th scope="col" class="num">"Actual"</th>
                        <th scope="col" class="num">"Variance"</th><th scope="col" class="num">"Used"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| budget_row(r, false)).collect_view()}
                        {total.map(|t| budget_row(t, true))}
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        {(!budget.has_plan).then(|| view! { <p class="note">"No budget is set for this period; only spending is shown."</p> })}
        {table(format!("Budget against actual by category, {period}"), "Category", budget.by_category, budget.total.clone())}
        {table(format!("Capital and operating spending, {period}"), "Kind", budget.by_kind, None)}
    }
    .into_any()
}

fn budget_row(r: BudgetLine, total: bool) -> impl IntoView {
    view! {
        <tr class:total=total class=format!("budget-{}", r.state)>
            <th scope="row">{r.name}</th>
            <td class="num">{r.budget}</td>
            <td class="num">{r.actual}</td>
            <td class="num variance">{r.variance}</td>
            <td class="num">{r.used}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_headers_cannot_break_out_of_their_string() {
        let css = super::page_header("Q3 \"</style><script>x", "Version 2");
        let inner = css.split("content: \"").nth(1).unwrap().split('"').next().unwrap();
        assert!(!inner.contains('<') && !inner.contains('>'), "{css}");
        assert!(inner.starts_with("Q3 \\22 \\3c "), "{inner}");
        assert!(css.contains("content: \"Version 2\""));
    }
}
