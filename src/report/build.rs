//! Reads the live data of a period into a snapshot: the same function serves the preview and
//! the publication, so what the CTO previews is what gets frozen.

use crate::platform::markdown;
pub use super::model::Period;
use super::view::{BudgetLine, BudgetSection, Commentary, DoraLine, InfraSection, KpiLine, Snapshot, SystemLine, SECTIONS};
use crate::budget::analysis::signed;
use crate::budget::model::{variance, FiscalCalendar, Kind, Month, Thresholds, VarianceStatus};
use crate::budget::service as budget_service;
use crate::charts::{Annotations, TargetStep, TrendChart};
use crate::platform::error::AppError;
use crate::infra::uptime::{human_duration, mean_times};
use crate::kpi::dora::{self, Band, DAY};
use crate::kpi::model::Kpi;
use crate::kpi::figures as kpi_figures;
use crate::kpi::figures::{date_to_ts, target_at, window_value};
use crate::kpi::status::{meets, rag, short_of_target, trend, Rag};
use crate::platform::money::Currency;
use sqlx::SqliteConnection;
use std::collections::BTreeMap;

pub async fn snapshot(db: &mut SqliteConnection, title: &str, period: &Period, commentary: &Commentary, currency: Currency, now: i64) -> Result<Snapshot, AppError> {
    // A period still running is read up to now.
    let to = period.to.min(now + 1);
    Ok(Snapshot {
        title: title.to_string(),
        period: period.value.clone(),
        period_label: period.label.clone(),
        from: period.first_day(),
        to: period.last_day(),
        generated_at: crate::platform::time::minute_utc(now),
        kpis: kpis(db, period.from, to, currency, now).await?,
        budget: budget(db, period, None, currency).await?.0,
        infrastructure: infrastructure(db, period).await?,
        delivery: delivery(db, period.from, to).await?,
        strategy: strategy(db, period, now, currency).await?,
        radar: crate::radar::service::investor_picture(db).await?,
        security: security(db, period, now).await?,
        commentary: SECTIONS.iter().map(|(key, _, _)| (key.to_string(), markdown::to_html(commentary.get(*key).map(String::as_str).unwrap_or_default()))).collect(),
    })
}

/// The strategy as investors may see it, judged as of the period's end (today for a period
/// still running).
async fn strategy(db: &mut SqliteConnection, period: &Period, now: i64, currency: Currency) -> Result<crate::strategy::view::StrategyDigest, AppError> {
    let today = crate::platform::time::date_of(now);
    let (Ok(from), Ok(to)) = (period.first_day().parse::<chrono::NaiveDate>(), period.last_day().parse::<chrono::NaiveDate>()) else { return Err(AppError::Internal) };
    crate::strategy::service::digest(db, &crate::strategy::service::Reader::Investors, (from, to.min(today)), currency).await
}

/// The security posture, if the CTO shares it, as of the period's end (today for a period
/// still running).
async fn security(db: &mut SqliteConnection, period: &Period, now: i64) -> Result<Option<crate::assurance::view::PostureSection>, AppError> {
    let today = crate::platform::time::date_of(now);
    let (Ok(from), Ok(to)) = (period.first_day().parse::<chrono::NaiveDate>(), period.last_day().parse::<chrono::NaiveDate>()) else { return Err(AppError::Internal) };
    crate::assurance::service::posture::investor_section(db, from, to.min(today)).await
}

/// The KPIs marked for investors: their value over the period, status against the target in
/// force at its end, the change from the period before, and a chart of the period.
async fn kpis(db: &mut SqliteConnection, from: i64, to: i64, currency: Currency, now: i64) -> Result<Vec<KpiLine>, AppError> {
    let rows = kpi_figures::visible_kpis(&mut *db, None, true).await?;
    let mut out = Vec::new();
    for kpi in rows.into_iter().map(|r| r.into_kpi()).filter(|k| k.investor_visible) {
        out.push(kpi_line(db, &kpi, from, to, currency, now).await?);
    }
    Ok(out)
}

async fn kpi_line(db: &mut SqliteConnection, kpi: &Kpi, from: i64, to: i64, currency: Currency, now: i64) -> Result<KpiLine, AppError> {
    let span = to - from;
    let value = window_value(db, kpi, from, to).await?;
    let previous = window_value(db, kpi, from - span, from).await?;
    let targets = kpi_figures::targets(&mut *db, kpi.id).await?;
    let target = target_at(&targets, (to - 1).min(now));
    let fmt = |v: f64| kpi.unit.format(v, currency);
    let status = match (value, target) {
        (None, _) => Rag::NoData,
        (Some(_), None) => Rag::Unrated,
        (Some(v), Some(t)) => rag(v, t.amber, t.red, kpi.direction),
    };
    let points: Vec<(f64, f64)> = kpi_figures::bucket_means(&mut *db, kpi.id, DAY, from, to).await?.into_iter().map(|(t, v)| (t as f64, v)).collect();
    let steps: Vec<TargetStep> = targets.iter().map(|t| TargetStep { from: date_to_ts(&t.effective_from), target: t.target, amber: t.amber, red: t.red }).collect();
    let desc = match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!("{} per day over the period: from {} to {}, {} with data.", kpi.name, fmt(first.1), fmt(last.1), crate::ui::plural(points.len() as u64, "day", "days")),
        _ => format!("No measurements of {} in this period.", kpi.name),
    };
    let chart_svg = TrendChart {
        id: &format!("report-chart-{}", kpi.key),
        title: &format!("{}: daily values over the period", kpi.name),
        desc: &desc,
        points: &points,
        from,
        to,
        targets: &steps,
        annotations: &Annotations::default(),
        format_y: &fmt,
    }
    .render()
    .map_err(|e| {
        tracing::error!(error = %e, key = %kpi.key, "report chart failed");
        AppError::Internal
    })?;
    Ok(KpiLine {
        name: kpi.name.clone(),
        value: value.map(fmt).unwrap_or_else(|| "No data".into()),
        target: target.map(|t| {
            let word = if value.is_some_and(|v| meets(v, t.target, kpi.direction)) { "met" } else { "target" };
            format!("{} {word}", fmt(t.target))
        }),
        status: status.as_str().into(),
        status_label: match value.zip(target).and_then(|(v, t)| short_of_target(status, v, t.target, kpi.direction)) {
            Some(short) => format!("{} · {short}", status.label()),
            None => status.label().into(),
        },
        trend: value.map(|v| trend(v, previous, kpi.direction).as_str().to_string()).unwrap_or_default(),
        previous: previous.map(fmt),
        chart_svg,
    })
}

/// Budget against actual over the period's months, by category and by CapEx/OpEx; no vendor,
/// invoice or department detail. Also returns each month's (label, budget, actual).
pub async fn budget(db: &mut SqliteConnection, period: &Period, department: Option<i64>, cur: Currency) -> Result<(BudgetSection, Vec<(String, i64, i64)>), AppError> {
    let (cal, thresholds) = budget_service::settings(&mut *db).await?;
    let months = period.months();
    let (Some(first), Some(last)) = (months.first().copied(), months.last().copied()) else {
        return Ok((BudgetSection { currency: cur.code.into(), ..BudgetSection::default() }, Vec::new()));
    };
    let categories = budget_service::categories(&mut *db).await?;
    let order = |name: &str| categories.iter().position(|c| c.1 == name).unwrap_or(usize::MAX);
    let category_name = |id: i64| categories.iter().find(|c| c.0 == id).map(|c| c.1.clone()).unwrap_or_default();
    // (category position, category, kind) -> (budget, actual)
    let mut cells: BTreeMap<(usize, String, Kind), (i64, i64)> = BTreeMap::new();
    let mut by_month: Vec<(String, i64, i64)> = months.iter().map(|m| (m.label(), 0, 0)).collect();
    let years: Vec<i32> = {
        let mut y: Vec<i32> = months.iter().map(|m| fiscal_year(cal, *m)).collect();
        y.dedup();
        y
    };
    for fy in years {
        for line in budget_service::plan_lines(&mut *db, fy, department).await? {
            for (i, m) in months.iter().enumerate().filter(|(_, m)| fiscal_year(cal, **m) == fy) {
                let amount = line.months[cal.index(*m)];
                add(&mut cells.entry((order(&line.category), line.category.clone(), line.kind)).or_default().0, amount);
                add(&mut by_month[i].1, amount);
            }
        }
    }
    for a in budget_service::actuals(&mut *db, first, last, department).await? {
        let name = category_name(a.category_id);
        add(&mut cells.entry((order(&name), name, a.kind)).or_default().1, a.total);
        if let Some(i) = months.iter().position(|m| *m == a.month) {
            add(&mut by_month[i].2, a.total);
        }
    }
    let mut categories_sum: BTreeMap<(usize, String), (i64, i64)> = BTreeMap::new();
    let mut kinds: BTreeMap<Kind, (i64, i64)> = BTreeMap::new();
    for ((pos, name, kind), (b, a)) in &cells {
        let c = categories_sum.entry((*pos, name.clone())).or_default();
        add(&mut c.0, *b);
        add(&mut c.1, *a);
        let k = kinds.entry(*kind).or_default();
        add(&mut k.0, *b);
        add(&mut k.1, *a);
    }
    let total = (crate::platform::money::sum(cells.values().map(|c| c.0)), crate::platform::money::sum(cells.values().map(|c| c.1)));
    let line = |name: String, (b, a): (i64, i64)| budget_line(name, b, a, thresholds, cur);
    Ok((
        BudgetSection {
            currency: cur.code.into(),
            has_plan: total.0 != 0,
            by_category: categories_sum.into_iter().map(|((_, name), v)| line(name, v)).collect(),
            by_kind: kinds.into_iter().map(|(k, v)| line(k.label().to_string(), v)).collect(),
            total: (!cells.is_empty()).then(|| line("Total".into(), total)),
        },
        by_month,
    ))
}

/// Adds money without overflow (see `money::sum`).
fn add(total: &mut i64, amount: i64) {
    *total = total.saturating_add(amount);
}

fn fiscal_year(cal: FiscalCalendar, m: Month) -> i32 {
    cal.year_of(m.first_day())
}

pub fn budget_line(name: String, budget: i64, actual: i64, t: Thresholds, cur: Currency) -> BudgetLine {
    let v = variance(budget, actual, t);
    BudgetLine {
        name,
        budget: cur.format(budget),
        actual: cur.format(actual),
        variance: signed(cur, actual - budget),
        used: if budget > 0 { format!("{:.0} %", actual as f64 * 100.0 / budget as f64) } else { "—".into() },
        state: if budget == 0 && actual == 0 {
            "none".into()
        } else {
            match v.status {
                VarianceStatus::Green => "within",
                VarianceStatus::Amber => "slightly-over",
                VarianceStatus::Red => "over",
            }
            .into()
        },
    }
}

async fn infrastructure(db: &mut SqliteConnection, period: &Period) -> Result<InfraSection, AppError> {
    let sla = crate::infra::service::sla::report(db, &period.value).await?;
    let incidents = crate::infra::service::sla::incidents_by_system(db, period.from, period.to).await?;
    let all: Vec<_> = incidents.into_values().flatten().collect();
    let systems: Vec<SystemLine> = sla
        .rows
        .into_iter()
        .map(|r| SystemLine { name: r.system, tier: r.tier, slo: r.slo, uptime: r.uptime, meets_slo: r.meets_slo, incidents: r.incidents, mttr: r.mttr })
        .collect();
    Ok(InfraSection {
        met: systems.iter().filter(|s| s.meets_slo == Some(true)).count(),
        missed: systems.iter().filter(|s| s.meets_slo == Some(false)).count(),
        incidents: all.len(),
        mttr: mean_times(&all).1.map(human_duration).unwrap_or_else(|| "—".into()),
        systems,
    })
}

async fn delivery(db: &mut SqliteConnection, from: i64, to: i64) -> Result<Vec<DoraLine>, AppError> {
    let deps: Vec<_> = crate::kpi::events::deployments(&mut *db, from, to, None).await?.into_iter().map(|(_, d)| d).collect();
    let incs: Vec<_> = crate::kpi::events::incidents(&mut *db, from, to, None).await?.into_iter().map(|(_, i)| i).collect();
    let m = dora::compute(&deps, &incs, from, to);
    let band = |b: Option<Band>| b.map(|b| b.label().to_string()).unwrap_or_else(|| "No data".into());
    let hours = |h: Option<f64>| h.map(|h| if h < 48.0 { format!("{h:.1} h") } else { format!("{:.1} days", h / 24.0) }).unwrap_or_else(|| "—".into());
    Ok(vec![
        DoraLine { metric: "Deployment frequency".into(), value: format!("{:.2} per day ({} deployments)", m.deploys_per_day, m.deployments), band: band(m.bands.deployment_frequency) },
        DoraLine { metric: "Lead time for changes".into(), value: hours(m.lead_time_hours), band: band(m.bands.lead_time) },
        DoraLine { metric: "Change failure rate".into(), value: m.change_failure_rate.map(|p| format!("{p:.1} %")).unwrap_or_else(|| "—".into()), band: band(m.bands.change_failure_rate) },
        DoraLine { metric: "Time to restore service".into(), value: hours(m.time_to_restore_hours), band: band(m.bands.time_to_restore) },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_lines_sign_and_judge_the_variance() {
        let t = Thresholds { amber_pct: 5, red_pct: 10 };
        let cur = Currency::usd();
        let over = budget_line("Cloud".into(), 100_000, 120_000, t, cur);
        assert_eq!((over.variance.as_str(), over.used.as_str(), over.state.as_str()), ("+$200.00", "120 %", "over"));
        let under = budget_line("Cloud".into(), 100_000, 50_000, t, cur);
        assert_eq!((under.variance.as_str(), under.state.as_str()), ("-$500.00", "within"));
        assert_eq!(budget_line("None".into(), 0, 0, t, cur).state, "none");
    }
}
