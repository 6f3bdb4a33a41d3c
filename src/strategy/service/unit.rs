//! Unit economics: each cost per unit's monthly values, worked out from spending and the KPI it
//! divides by, and written into its own KPI whenever either changes (and hourly, as months
//! complete); the page that lists them; the CTO's definitions.
//!
//! The values live in the KPI registry, so a cost per unit has a target, a status, a chart,
//! alerts and an investor flag like any KPI; the registry refuses them by hand because
//! `kpis.kept_by` says Strategy writes them.

use super::super::repo::SYSTEMS;
use super::super::unit::{per_unit, per_units_label, CostBasis, PER_UNITS};
use super::super::view::{UnitCostInput, UnitCostRow, UnitEconomicsView, UnitMonthRow};
use super::system_cost;
use crate::auth::User;
use crate::budget::model::Month;
use crate::kpi::figures::{self as kpi_figures, NewPoint};
use crate::kpi::form::KpiInput;
use crate::kpi::model::Kpi;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{AppError, Problems};
use crate::platform::money::Currency;
use crate::platform::state::AppState;
use crate::platform::time::{midnight, today};
use chrono::NaiveDate;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;
use std::time::Duration;

/// What `kpis.kept_by` says of a cost per unit.
pub const KEPT_BY: &str = "strategy";
/// Values go this many completed months back.
const HISTORY: usize = 24;
/// The months the page shows for each cost.
const SHOWN: usize = 12;

struct Definition {
    kpi: Kpi,
    basis: CostBasis,
    system: Option<(i64, String)>,
    per: Kpi,
    per_units: i64,
}

impl Definition {
    fn cost_label(&self) -> String {
        match &self.system {
            Some((_, name)) => format!("{}: {name}", self.basis.label()),
            None => self.basis.label().to_string(),
        }
    }

    /// "÷ Weekly active users (last value in the month)", and ", per 1,000" when scaled.
    fn per_label(&self) -> String {
        let scale = if self.per_units == 1 { String::new() } else { format!(", {}", per_units_label(self.per_units)) };
        format!("÷ {} ({} in the month){scale}", self.per.name, self.per.aggregation.label().to_lowercase())
    }
}

/// Every KPI, by id.
async fn all_kpis(db: &mut SqliteConnection) -> Result<HashMap<i64, Kpi>, AppError> {
    Ok(kpi_figures::visible_kpis(&mut *db, None, true).await?.into_iter().map(|r| r.into_kpi()).map(|k| (k.id, k)).collect())
}

/// The costs per unit, with their KPIs and denominators out of `kpis` (every KPI).
async fn definitions(db: &mut SqliteConnection, kpis: &HashMap<i64, Kpi>) -> Result<Vec<Definition>, AppError> {
    let rows: Vec<(i64, CostBasis, Option<i64>, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT u.kpi_id, u.cost, u.system_id, s.name, u.per_kpi_id, u.per_units FROM unit_costs u LEFT JOIN systems s ON s.id = u.system_id",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut found = Vec::with_capacity(rows.len());
    for (kpi, basis, system, system_name, per, per_units) in rows {
        let Some(per) = kpis.get(&per).cloned() else { continue };
        let Some(kpi) = kpis.get(&kpi).cloned() else { continue };
        found.push(Definition { kpi, basis, system: system.zip(system_name), per, per_units });
    }
    found.sort_by(|a, b| a.kpi.name.to_lowercase().cmp(&b.kpi.name.to_lowercase()));
    Ok(found)
}

/// The `n` completed months before `today`'s, oldest first.
fn completed(today: NaiveDate, n: usize) -> Vec<Month> {
    Month::of(today).prev().through(n)
}

/// What the basis cost in each of `months` (oldest first), in minor units.
async fn costs(db: &mut SqliteConnection, basis: CostBasis, system: Option<i64>, months: &[Month]) -> Result<Vec<i64>, AppError> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(Vec::new()) };
    let sql = match (basis, system) {
        (CostBasis::Technology, _) => "SELECT month, sum(amount_minor) FROM expenses WHERE month BETWEEN ?1 AND ?2 GROUP BY month",
        (CostBasis::Cloud, _) => "SELECT month, sum(effective_minor) FROM cloud_costs WHERE month BETWEEN ?1 AND ?2 GROUP BY month",
        (CostBasis::System, Some(system)) => {
            let parts = system_cost::by_month(db, system, months).await?;
            return Ok(parts.into_iter().map(crate::platform::money::sum).collect());
        }
        (CostBasis::System, None) => return Ok(vec![0; months.len()]),
    };
    let by_month: HashMap<i64, i64> = sqlx::query_as(sql).bind(first.code()).bind(last.code()).fetch_all(&mut *db).await?.into_iter().collect();
    // All spending is known from the month the ledger holds an expense of its own (entered or
    // imported): cloud imports may reach further back, and those months would look cheap.
    let known_from = match basis {
        CostBasis::Technology => sqlx::query_scalar::<_, Option<i64>>("SELECT min(month) FROM expenses WHERE origin IS NULL").fetch_one(&mut *db).await?.unwrap_or(i64::MAX),
        _ => i64::MIN,
    };
    Ok(months.iter().map(|m| if m.code() < known_from { 0 } else { by_month.get(&m.code()).copied().unwrap_or(0) }).collect())
}

struct MonthFigure {
    month: Month,
    cost: i64,
    units: Option<f64>,
    value: Option<f64>,
}

async fn figures(db: &mut SqliteConnection, d: &Definition, months: &[Month]) -> Result<Vec<MonthFigure>, AppError> {
    let costs = costs(db, d.basis, d.system.as_ref().map(|s| s.0), months).await?;
    let mut out = Vec::with_capacity(months.len());
    for (month, cost) in months.iter().zip(costs) {
        let units = kpi_figures::window_value(db, &d.per, midnight(month.first_day()), midnight(month.next().first_day())).await?;
        out.push(MonthFigure { month: *month, cost, units, value: per_unit(cost, units, d.per_units) });
    }
    Ok(out)
}

/// One point a month that has a value, on the month's last day, its note showing the sum.
fn points(d: &Definition, figs: &[MonthFigure], cur: Currency) -> Vec<NewPoint> {
    figs.iter()
        .filter_map(|f| {
            let value = f.value?;
            let units = d.per.unit.format(f.units?, cur);
            let per = match d.per_units {
                1 => String::new(),
                n => format!(" × {}", crate::platform::money::group_thousands(n as u64)),
            };
            let note = format!("{}: {} of {}{per} / {units} {}", f.month.label(), cur.format(f.cost), d.basis.noun(), d.per.name);
            Some(NewPoint { ts: midnight(f.month.last_day()), value, note: Some(note) })
        })
        .collect()
}

/// Writes the values of every cost per unit (or only `only`) again; the KPIs that changed.
pub(crate) async fn refresh_in(db: &mut SqliteConnection, today: NaiveDate, cur: Currency, only: Option<i64>) -> Result<Vec<i64>, AppError> {
    let months = completed(today, HISTORY);
    let mut changed = Vec::new();
    let kpis = all_kpis(db).await?;
    for d in definitions(db, &kpis).await?.into_iter().filter(|d| only.is_none_or(|id| id == d.kpi.id)) {
        let figs = figures(db, &d, &months).await?;
        if kpi_figures::replace_kept(db, d.kpi.id, &points(&d, &figs, cur)).await? {
            changed.push(d.kpi.id);
        }
    }
    Ok(changed)
}

/// Every cost per unit worked out again in one transaction; the KPIs whose values changed.
pub async fn refresh(pool: &SqlitePool, today: NaiveDate, cur: Currency) -> Result<Vec<i64>, AppError> {
    // Most news arrives where nothing is defined: no write lock for that.
    let defined: i64 = sqlx::query_scalar("SELECT count(*) FROM unit_costs").fetch_one(pool).await?;
    if defined == 0 {
        return Ok(Vec::new());
    }
    let mut tx = begin_write(pool).await?;
    let changed = refresh_in(&mut tx, today, cur, None).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Keeps the values current: after news of spending, contracts, people time or a denominator's
/// data, once the news settles, and hourly for the month that completes.
pub fn start(st: AppState) {
    let mut watcher = st.changes.watch();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                news = watcher.next() => match news {
                    None => break,
                    Some(Ok(changed)) if !concerns(&st, &changed).await => continue,
                    // An import or a rule change sends a burst; one pass after it is enough.
                    Some(_) => {
                        let settle = tokio::time::Instant::now() + Duration::from_secs(2);
                        while let Ok(Some(_)) = tokio::time::timeout_at(settle.min(tokio::time::Instant::now() + Duration::from_millis(250)), watcher.next()).await {}
                    }
                },
            }
            match refresh(&st.pool, today(), st.config.currency).await {
                // Told after the commit, so alert rules and caches see the new values; the
                // worker hears its own news and lets it pass (no cost per unit divides by one).
                Ok(changed) => changed.into_iter().for_each(|id| st.changes.tell(Changed::Kpi(id))),
                Err(e) => tracing::warn!(error = %e, "could not work out the costs per unit"),
            }
        }
    });
}

async fn concerns(st: &AppState, changed: &Changed) -> bool {
    match changed {
        Changed::Budget(_) | Changed::Contract | Changed::People => true,
        Changed::Kpi(id) => sqlx::query_scalar::<_, i64>("SELECT count(*) FROM unit_costs WHERE per_kpi_id = ?1").bind(id).fetch_one(&st.pool).await.is_ok_and(|n| n > 0),
        Changed::System(_) | Changed::Incident(_) | Changed::Notice | Changed::Findings(_) | Changed::Controls => false,
    }
}

pub async fn page(st: &AppState) -> Result<UnitEconomicsView, AppError> {
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let months = completed(today(), SHOWN);
    let now = now_unix();
    let mut costs = Vec::new();
    let kpis = all_kpis(&mut db).await?;
    for d in definitions(&mut db, &kpis).await? {
        let figs = figures(&mut db, &d, &months).await?;
        let card = kpi_figures::card(&mut db, &d.kpi, crate::kpi::status::Window::Days30, now, cur, false).await?;
        let shown = |v: Option<f64>, unit: crate::kpi::units::Unit| v.map(|v| unit.format(v, cur)).unwrap_or_else(|| "—".into());
        costs.push(UnitCostRow {
            key: d.kpi.key.clone(),
            name: d.kpi.name.clone(),
            cost: d.cost_label(),
            per: d.per_label(),
            units: d.per.name.clone(),
            value: card.value,
            rag: card.rag,
            short: card.short,
            target: card.target,
            investor_visible: d.kpi.investor_visible,
            months: figs
                .iter()
                .rev()
                .map(|f| UnitMonthRow { month: f.month.label(), cost: cur.format(f.cost), units: shown(f.units, d.per.unit), per_unit: shown(f.value, d.kpi.unit) })
                .collect(),
            basis: d.basis.as_str().into(),
            system: d.system.as_ref().map(|s| s.0.to_string()).unwrap_or_default(),
            per_kpi: d.per.id.to_string(),
            per_units: d.per_units.to_string(),
        });
    }
    let mut denominators: Vec<(i64, String)> = kpis.into_values().filter(|k| k.kept_by.is_none()).map(|k| (k.id, k.name)).collect();
    denominators.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()));
    let systems = crate::platform::db::choices(&mut db, SYSTEMS).await?;
    Ok(UnitEconomicsView {
        costs,
        denominators: crate::budget::service::choices(&denominators),
        systems: crate::budget::service::choices(&systems),
        through: months.last().map(|m| m.label()).unwrap_or_default(),
    })
}

/// A KPI key from a name: "Cloud cost per customer" → `cloud-cost-per-customer`.
fn key_from(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    let key: String = key.trim_end_matches('-').chars().take(crate::kpi::model::KEY_MAX).collect();
    key.trim_end_matches('-').to_string()
}

/// The parts of the form both a new cost and a changed one have: basis, system, denominator.
async fn definition_fields(db: &mut SqliteConnection, kpis: &HashMap<i64, Kpi>, p: &mut Problems, input: &UnitCostInput, itself: Option<i64>) -> Result<(Option<CostBasis>, Option<i64>, Option<Kpi>, Option<i64>), AppError> {
    let basis = p.check("basis", CostBasis::parse(&input.basis).ok_or_else(|| "Choose the cost: all technology spending, cloud cost or one system's cost.".to_string()));
    let system = match basis {
        Some(CostBasis::System) => match input.system.trim().parse::<i64>() {
            Ok(id) if crate::platform::db::is_choice(&mut *db, SYSTEMS, id).await? => Some(id),
            _ => {
                p.add("system", "Choose the system whose cost this is.");
                None
            }
        },
        _ => None,
    };
    let per = input.per.trim().parse::<i64>().ok().and_then(|id| kpis.get(&id)).filter(|k| k.kept_by.is_none() && Some(k.id) != itself).cloned();
    if per.is_none() {
        p.add("per", "Choose the KPI to divide by: a business figure such as customers, orders or API calls.");
    }
    let per_units = p.check(
        "per_units",
        input.per_units.trim().parse::<i64>().ok().filter(|n| PER_UNITS.iter().any(|(k, _)| k == n)).ok_or_else(|| "Choose per unit, per 1,000 or per 1,000,000.".to_string()),
    );
    Ok((basis, system, per, per_units))
}

/// Defines a new cost per unit, or changes what one divides; its key and what to say.
pub async fn save(st: &AppState, cto: &User, input: UnitCostInput) -> Result<(String, String), AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let (kpi_id, key, said) = save_in(&mut tx, cto, &input, today(), st.config.currency).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Kpi(kpi_id));
    Ok((key, said))
}

/// [`save`] in the caller's transaction, with its values worked out through `today`: the
/// KPI's id and key, and what to say.
pub(crate) async fn save_in(tx: &mut SqliteConnection, cto: &User, input: &UnitCostInput, today: NaiveDate, cur: Currency) -> Result<(i64, String, String), AppError> {
    let existing = match input.kpi.trim() {
        "" => None,
        key => {
            let kpi = kpi_figures::visible(&mut *tx, cto, key).await?;
            let kept: Option<(CostBasis, String, i64)> = sqlx::query_as(
                "SELECT u.cost, p.name, u.per_units FROM unit_costs u JOIN kpis p ON p.id = u.per_kpi_id WHERE u.kpi_id = ?1",
            )
            .bind(kpi.id)
            .fetch_optional(&mut *tx)
            .await?;
            Some((kpi, kept.ok_or(AppError::NotFound)?))
        }
    };
    let mut p = Problems::default();
    let kpis = all_kpis(&mut *tx).await?;
    let (basis, system, per, per_units) = definition_fields(&mut *tx, &kpis, &mut p, input, existing.as_ref().map(|e| e.0.id)).await?;
    let (Some(basis), Some(per), Some(per_units)) = (basis, per, per_units) else {
        if existing.is_none() {
            new_kpi(&kpis, &mut p, input, None, cur)?;
        }
        return Err(p.finish().err().unwrap_or(AppError::Internal));
    };
    let (kpi_id, key, name, verb) = match &existing {
        Some((kpi, _)) => {
            p.finish()?;
            (kpi.id, kpi.key.clone(), kpi.name.clone(), "change_unit_cost")
        }
        None => {
            let valid = new_kpi(&kpis, &mut p, input, Some((basis, &per, per_units)), cur)?;
            p.finish()?;
            let valid = valid.ok_or(AppError::Internal)?;
            let id = crate::kpi::service::write(&mut *tx, cto, "", &valid, Some(KEPT_BY)).await?;
            (id, valid.key, valid.name, "define_unit_cost")
        }
    };
    sqlx::query(
        "INSERT INTO unit_costs (kpi_id, cost, system_id, per_kpi_id, per_units) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kpi_id) DO UPDATE SET cost = excluded.cost, system_id = excluded.system_id, per_kpi_id = excluded.per_kpi_id, per_units = excluded.per_units",
    )
    .bind(kpi_id)
    .bind(basis)
    .bind(system)
    .bind(per.id)
    .bind(per_units)
    .execute(&mut *tx)
    .await?;
    refresh_in(&mut *tx, today, cur, Some(kpi_id)).await?;
    let defined = |b: CostBasis, per: &str, n: i64| format!("{} / {per}, {}", b.label(), per_units_label(n));
    let before = existing.as_ref().map(|(_, (b, per, n))| defined(*b, per, *n));
    Entry::new(&cto.actor(), "strategy", verb)
        .object("kpi", &key, &name)
        .change("cost per unit", before, Some(defined(basis, &per.name, per_units)))
        .record(&mut *tx)
        .await?;
    let said = match existing {
        Some(_) => format!("Saved how {name} is worked out; its values are computed again."),
        None => format!("Added {name}; its values for the completed months are on its KPI page."),
    };
    Ok((kpi_id, key, said))
}

/// The new KPI a cost per unit is kept in, from the form's name, targets and investor flag.
fn new_kpi(kpis: &HashMap<i64, Kpi>, p: &mut Problems, input: &UnitCostInput, def: Option<(CostBasis, &Kpi, i64)>, cur: Currency) -> Result<Option<crate::kpi::form::ValidKpi>, AppError> {
    let key = key_from(&input.name);
    if !input.name.trim().is_empty() && key.is_empty() {
        p.add("name", "Use some letters or digits in the name: the KPI's key is made from them.");
    } else if !key.is_empty() && kpis.values().any(|k| k.key == key) {
        p.add("name", format!("A KPI with the key {key} already exists; choose another name."));
    }
    let (description, formula) = match def {
        Some((basis, per, n)) => (
            format!("{} divided by {}, for each completed month. Computed by Northstar from spending; set under Strategy → Unit economics.", basis.label(), per.name),
            format!("{} in the month × {} / {} over the month ({})", basis.noun(), n, per.name, per.aggregation.label().to_lowercase()),
        ),
        None => Default::default(),
    };
    let form = KpiInput {
        key: if key.is_empty() { "cost-per-unit".into() } else { key },
        name: input.name.clone(),
        description,
        formula,
        category: "cost".into(),
        unit: "money".into(),
        direction: "lower".into(),
        aggregation: "last".into(),
        computed: String::new(),
        owner: String::new(),
        department: String::new(),
        investor_visible: input.investor_visible,
        target: input.target.clone(),
        amber: input.amber.clone(),
        red: input.red.clone(),
    };
    match form.parse(cur) {
        Ok(valid) => Ok(Some(valid)),
        Err(AppError::Invalid { fields, .. }) => {
            for f in fields {
                p.add(if f.field == "key" { "name" } else { &f.field }, f.message);
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Removes a cost per unit with its KPI and history.
pub async fn delete(st: &AppState, cto: &User, key: &str) -> Result<String, AppError> {
    let mut db = st.pool.acquire().await?;
    let kpi = kpi_figures::visible(&mut db, cto, key).await?;
    let defined: i64 = sqlx::query_scalar("SELECT count(*) FROM unit_costs WHERE kpi_id = ?1").bind(kpi.id).fetch_one(&mut *db).await?;
    if defined == 0 {
        return Err(AppError::NotFound);
    }
    drop(db);
    crate::kpi::service::delete(cto, key).await?;
    Ok(format!("Removed {} and its history.", kpi.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_names() {
        assert_eq!(key_from("Cloud cost per customer"), "cloud-cost-per-customer");
        assert_eq!(key_from("  Cost / 1,000 API calls!  "), "cost-1-000-api-calls");
        assert_eq!(key_from("Coût par client"), "co-t-par-client");
        assert_eq!(key_from("€ / ¥"), "");
        assert_eq!(key_from(&"a ".repeat(80)).len(), crate::kpi::model::KEY_MAX - 1);
    }

    #[test]
    fn completed_months_end_before_the_current_one() {
        let months = completed("2026-01-15".parse().unwrap(), 3);
        assert_eq!(months.iter().map(|m| m.code()).collect::<Vec<_>>(), [202510, 202511, 202512]);
    }
}
