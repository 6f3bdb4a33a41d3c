//! The status board: every system at a glance with its 90-day bar, open incidents and
//! maintenance coming up. The server's HTML, reloaded every 30 seconds.

use crate::access::Page;
use super::{InfraTabs, SystemStatus};
use crate::infra::api::load_status_board;
use crate::infra::bar::{DayBar, DayMark};
use crate::infra::view::{IncidentRow, MaintenanceRow, StatusBoard, SystemTile};
use crate::ui::LoadError;
use leptos::prelude::*;
use crate::ui::Title;

#[component]
pub fn InfrastructurePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_status_board());
    view! {
        <Title text="Infrastructure" />
        <crate::ui::AutoRefresh seconds=30 />
        <Transition fallback=|| view! { <h1>"Infrastructure"</h1><p class="loading">"Loading the status board…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! { <Board b /> }.into_any(),
                    Err(e) => view! { <h1>"Infrastructure"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(b: StatusBoard) -> impl IntoView {
    let empty = b.systems.is_empty();
    view! {
        <div class="page-head">
            <div>
                <h1>"Infrastructure"</h1>
                <p class="meta">{format!("{} systems · as of {} · checks run from this server's network", b.systems.len(), b.as_of)}</p>
            </div>
            {b.can_edit.then(|| view! { <div class="page-actions"><a class="button primary" href="/infrastructure/systems/new">"Add a system"</a></div> })}
        </div>
        <InfraTabs />
        <ul class="status-summary" aria-label="Systems by status">
            {b.counts.iter().filter(|(_, n)| *n > 0).map(|(s, n)| view! { <li><SystemStatus status=*s /><span>{format!(" {n}")}</span></li> }).collect_view()}
        </ul>
        {(!b.open_incidents.is_empty()).then(|| view! { <OpenIncidents rows=b.open_incidents.clone() /> })}
        {if empty {
            view! {
                <p class="empty">
                    "No systems yet. "
                    {b.can_edit.then(|| view! { <a href="/infrastructure/systems/new">"Add the first system"</a>" and give it an HTTP or TCP check." })}
                </p>
            }.into_any()
        } else {
            view! {
                <section class="card" aria-labelledby="systems-title">
                    <h2 id="systems-title">"Systems"</h2>
                    <p class="hint">"Each bar shows the last 90 days, one cell per day, oldest on the left: green without downtime, amber with some, red below the SLO, blue for maintenance, grey without data. Hover a cell for its figures."</p>
                    <ul class="system-list" inner_html=tiles_html(&b.systems)></ul>
                </section>
            }.into_any()
        }}
        {(!b.maintenance.is_empty()).then(|| view! { <Upcoming rows=b.maintenance.clone() /> })}
    }
}

#[component]
fn OpenIncidents(rows: Vec<IncidentRow>) -> impl IntoView {
    view! {
        <section class="card incident-alert" aria-labelledby="open-title">
            <h2 id="open-title">{format!("Open incidents ({})", rows.len())}</h2>
            <ul class="plain-list">
                {rows.into_iter().map(|i| view! {
                    <li>
                        <a href=Page::InfraIncident.href(&[&i.id])>{i.title.clone()}</a>
                        <span class="muted">{format!(" · {} · {} · since {} ({}){}", i.system, i.severity.label(), i.started, i.duration, if i.acknowledged.is_some() { ", acknowledged" } else { ", not acknowledged" })}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Upcoming(rows: Vec<MaintenanceRow>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="maint-title">
            <h2 id="maint-title">"Maintenance in progress and planned"</h2>
            <ul class="plain-list">
                {rows.into_iter().map(|m| view! {
                    <li>
                        <a href=Page::InfraSystem.href(&[&m.system_id])>{m.system.clone()}</a>
                        <span class="muted">{format!(" · {}: {} to {}{}", m.state, m.starts, m.ends, if m.note.is_empty() { String::new() } else { format!(" · {}", m.note) })}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The systems as one piece of markup. A board of 200 systems is thousands of elements and is
/// only read, so it is written as a string (every text escaped) rather than as view nodes,
/// which on the server cost about a tenth of a millisecond per system.
fn tiles_html(systems: &[SystemTile]) -> String {
    let mut out = String::with_capacity(systems.len() * 1500);
    for s in systems {
        let judged = match s.meets_slo {
            Some(true) => "uptime ok",
            Some(false) => "uptime missed",
            None => "uptime",
        };
        out.push_str(&format!(
            concat!(
                r#"<li class="system-row sys-row-{status}"><div class="system-name"><a href="/infrastructure/systems/{id}">{name}</a>"#,
                r#"<span class="muted">{kind} · tier {tier} · {department}</span></div>"#,
                r#"<div class="system-state"><span class="status sys-{status}"><span class="status-dot" aria-hidden="true"></span>{label}</span>"#,
                r#"<span class="muted">{latency}</span></div><div class="system-bar">{bar}</div>"#,
                r#"<div class="system-uptime"><span class="{judged}">{uptime}</span><span class="muted">SLO {slo}</span></div></li>"#
            ),
            status = s.status.as_str(),
            id = s.id,
            name = crate::platform::encode::html(&s.name),
            kind = crate::platform::encode::html(&s.kind),
            tier = s.tier,
            department = crate::platform::encode::html(&s.department),
            label = s.status.label(),
            latency = s.latency_ms.map(super::ms).unwrap_or_default(),
            bar = cached_bar(&s.bar, &format!("{} over 90 days: {} up", s.name, s.uptime)),
            judged = judged,
            uptime = crate::platform::encode::html(&s.uptime),
            slo = crate::platform::encode::html(&s.slo),
        ));
    }
    out
}

/// The bar's markup, remembered on the server: a system's bar changes only with its history,
/// and the board is viewed far more often, every 30 seconds by each open page.
fn cached_bar(bar: &DayBar, label: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        use crate::platform::cache::Cache;
        use std::sync::LazyLock;
        // Bars of days gone by are never asked for again; the cache starts over rather than grow.
        static BARS: LazyLock<Cache<(DayBar, String), String>> = LazyLock::new(|| Cache::new(5_000));
        let key = (bar.clone(), label.to_string());
        if let Some(svg) = BARS.get(&key) {
            return svg;
        }
        let svg = bar_svg(bar, label);
        BARS.put(key, svg.clone());
        svg
    }
    #[cfg(not(feature = "ssr"))]
    bar_svg(bar, label)
}

/// A status-page bar: one cell per day, oldest on the left. Each kind of day is one path, so a
/// board of 200 systems with thousands of cells stays small; hovering a day with downtime,
/// slowness or maintenance lists every such day with its figures (the system's page has them
/// day by day), and the whole has a label for screen readers.
fn bar_svg(bar: &DayBar, label: &str) -> String {
    const CELL: usize = 4;
    let cells = bar.titled();
    let width = cells.last().map(|(at, c, _)| (at + c.1 as usize) * CELL).unwrap_or(CELL);
    let mut svg = format!(r#"<svg class="day-bar" viewBox="0 0 {width} 20" preserveAspectRatio="none" role="img" aria-label="{}">"#, crate::platform::encode::html(label));
    for &mark in DayMark::ALL {
        let of_kind: Vec<_> = cells.iter().filter(|(_, c, _)| c.0 == mark).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut d = String::new();
        for (at, c, _) in &of_kind {
            let w = c.1 as usize * CELL - 1;
            d.push_str(&format!("M{} 0h{w}v20h-{w}z", at * CELL));
        }
        // The titles hold only dates, figures and fixed words: nothing to escape.
        let title = match mark {
            DayMark::Ok => "No downtime".to_string(),
            DayMark::NoData => "No data".to_string(),
            _ => of_kind.iter().map(|(_, _, t)| t.as_str()).collect::<Vec<_>>().join("; "),
        };
        svg.push_str(&format!(r#"<path class="d-{}" d="{d}"><title>{title}</title></path>"#, mark.as_str()));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::model::Status;

    #[test]
    fn names_are_escaped_in_the_board() {
        let tile = SystemTile {
            id: 7,
            name: "<script>alert('x')</script> & \"co\"".into(),
            kind: "Service".into(),
            tier: 1,
            department: "Ops".into(),
            status: Status::Down,
            since: String::new(),
            latency_ms: Some(0),
            uptime: "99.00 %".into(),
            slo: "99.9 %".into(),
            meets_slo: Some(false),
            bar: DayBar::default(),
        };
        let html = tiles_html(&[tile]);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;co&quot;"));
        assert!(html.contains(r#"href="/infrastructure/systems/7""#) && html.contains("under 1 ms") && html.contains("uptime missed"));
    }
}
