//! The rules: for each kind, which conditions hold now in the part of the data it is asked to
//! look at. Each reads through the owning area's public functions, then hands its findings to
//! the engine in one write transaction.

use super::engine::{self, reconcile, Condition, Rule, Scope, Transition};
use super::model::{RuleKind, Severity};
use crate::access::Page;
use crate::infra::model::Status;
use crate::infra::service::watch;
use crate::kpi::status::{Rag, Window};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use crate::platform::money::Currency;
use crate::platform::time::minute_utc;
use sqlx::{SqliteConnection, SqlitePool};

/// What to look at: one thing that changed, or every thing of a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Kpi(Option<i64>),
    System(Option<i64>),
    Incident(Option<i64>),
    Contracts,
    /// A department's budget (all when `None`), for each of the two budget rules.
    BudgetForecast(Option<i64>),
    SpendVariance(Option<i64>),
    ErrorBudget(Option<i64>),
    Certificates,
    /// One system's findings (all systems' when `None`).
    Findings(Option<i64>),
    /// Every security control in force.
    Controls,
}

impl Look {
    pub fn rule(self) -> RuleKind {
        match self {
            Look::Kpi(_) => RuleKind::KpiStatus,
            Look::System(_) => RuleKind::SystemDown,
            Look::Incident(_) => RuleKind::IncidentUnacknowledged,
            Look::Contracts => RuleKind::ContractNotice,
            Look::BudgetForecast(_) => RuleKind::BudgetForecast,
            Look::SpendVariance(_) => RuleKind::SpendVariance,
            Look::ErrorBudget(_) => RuleKind::ErrorBudget,
            Look::Certificates => RuleKind::TlsExpiry,
            Look::Findings(_) => RuleKind::FindingDeadline,
            Look::Controls => RuleKind::ControlOverdue,
        }
    }

    /// Everything the rule of `kind` watches.
    pub fn every(kind: RuleKind) -> Look {
        match kind {
            RuleKind::KpiStatus => Look::Kpi(None),
            RuleKind::SystemDown => Look::System(None),
            RuleKind::IncidentUnacknowledged => Look::Incident(None),
            RuleKind::ContractNotice => Look::Contracts,
            RuleKind::BudgetForecast => Look::BudgetForecast(None),
            RuleKind::SpendVariance => Look::SpendVariance(None),
            RuleKind::ErrorBudget => Look::ErrorBudget(None),
            RuleKind::TlsExpiry => Look::Certificates,
            RuleKind::FindingDeadline => Look::Findings(None),
            RuleKind::ControlOverdue => Look::Controls,
        }
    }

    fn scope(self) -> Scope {
        let one = |kind, id: Option<i64>| id.map_or(Scope::All, |id| Scope::Subject(kind, id.to_string()));
        match self {
            Look::Kpi(id) => one("kpi", id),
            Look::System(id) | Look::ErrorBudget(id) | Look::Findings(id) => one("system", id),
            Look::Incident(id) => one("incident", id),
            Look::Contracts | Look::Certificates | Look::Controls => Scope::All,
            Look::BudgetForecast(d) | Look::SpendVariance(d) => d.map_or(Scope::All, Scope::Department),
        }
    }
}

/// Evaluates one rule over what `look` names and records the outcome.
pub async fn evaluate(pool: &SqlitePool, look: Look, now: i64, currency: Currency) -> Result<Vec<Transition>, AppError> {
    evaluate_all(pool, &[look], now, currency).await
}

/// Evaluates several rules and records their outcomes in one transaction. Rules over the same
/// data read it once: the two budget rules after an expense share one reading of the budget.
pub async fn evaluate_all(pool: &SqlitePool, looks: &[Look], now: i64, currency: Currency) -> Result<Vec<Transition>, AppError> {
    // Read outside the write lock: a KPI's figures can take milliseconds over a long series.
    let mut conn = pool.acquire().await?;
    let known: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM alerts").fetch_one(&mut *conn).await?;
    let mut budget = None;
    let mut found = Vec::with_capacity(looks.len());
    for &look in looks {
        let rule = engine::rule(&mut conn, look.rule()).await?;
        let conditions = if rule.enabled { conditions(&mut conn, &rule, look, now, currency, &mut budget).await? } else { Vec::new() };
        found.push((look, rule, conditions));
    }
    drop(conn);
    let mut tx = begin_write(pool).await?;
    let mut done = Vec::new();
    for (look, rule, conditions) in found {
        let changed = reconcile(&mut tx, &rule, &look.scope(), conditions, (now, known)).await?;
        // The notices go in with the change they tell of.
        crate::alert::notify::outbox::record(&mut tx, &rule, &changed, now).await?;
        done.extend(changed);
    }
    tx.commit().await?;
    Ok(done)
}

/// The budget as the budget rules read it, kept for the next rule of the same evaluation.
type BudgetReading = Option<(Option<i64>, crate::alert::budget_rules::Figures)>;

async fn conditions(db: &mut SqliteConnection, rule: &Rule, look: Look, now: i64, currency: Currency, budget: &mut BudgetReading) -> Result<Vec<Condition>, AppError> {
    if let Look::BudgetForecast(d) | Look::SpendVariance(d) = look {
        if budget.as_ref().is_none_or(|(read, _)| *read != d) {
            *budget = Some((d, crate::alert::budget_rules::read(db, d, now).await?));
        }
        let figures = &budget.as_ref().expect("read above").1;
        return Ok(match look {
            Look::BudgetForecast(_) => super::budget_rules::forecasts(figures, rule, currency),
            _ => super::budget_rules::variances(figures, rule, currency),
        });
    }
    match look {
        Look::Kpi(only) => kpis(db, rule, only, now, currency).await,
        Look::System(only) => systems(db, rule, only, now).await,
        Look::Incident(only) => incidents(db, rule, only, now).await,
        Look::Contracts => contracts(db, rule, now, currency).await,
        Look::ErrorBudget(only) => error_budgets(db, rule, only, now).await,
        Look::Certificates => certificates(db, rule, now).await,
        Look::Findings(only) => findings(db, rule, only, now).await,
        Look::Controls => controls(db, rule, now).await,
        Look::BudgetForecast(_) | Look::SpendVariance(_) => unreachable!("answered above"),
    }
}

/// KPIs off target over the Overview's window (30 days), judged as their cards are.
async fn kpis(db: &mut SqliteConnection, rule: &Rule, only: Option<i64>, now: i64, currency: Currency) -> Result<Vec<Condition>, AppError> {
    let mut found = Vec::new();
    for row in crate::kpi::figures::visible_kpis(&mut *db, None, true).await? {
        let kpi = row.into_kpi();
        if only.is_some_and(|id| id != kpi.id) {
            continue;
        }
        let card = crate::kpi::figures::card(&mut *db, &kpi, Window::Days30, now, currency, false).await?;
        let severity = match card.rag {
            Rag::Red => Severity::Critical,
            Rag::Amber if rule.threshold < 2 => Severity::Warning,
            _ => continue,
        };
        found.push(Condition {
            subject_kind: "kpi",
            subject_id: kpi.id.to_string(),
            subject_label: kpi.name.clone(),
            department_id: kpi.department_id,
            severity,
            summary: card.sentence.clone(),
            link: Page::KpiDetail.href(&[&kpi.key]),
        });
    }
    Ok(found)
}

async fn systems(db: &mut SqliteConnection, rule: &Rule, only: Option<i64>, now: i64) -> Result<Vec<Condition>, AppError> {
    Ok(watch::troubled(db, only)
        .await?
        .into_iter()
        .filter(|s| now - s.since >= rule.threshold * 60)
        .map(|s| Condition {
            subject_kind: "system",
            subject_id: s.id.to_string(),
            subject_label: s.name.clone(),
            department_id: s.department_id,
            severity: if s.status == Status::Down { Severity::Critical } else { Severity::Warning },
            summary: format!("{} is {} since {}.", s.name, s.status.label().to_lowercase(), minute_utc(s.since)),
            link: Page::InfraSystem.href(&[&s.id]),
        })
        .collect())
}

async fn incidents(db: &mut SqliteConnection, rule: &Rule, only: Option<i64>, now: i64) -> Result<Vec<Condition>, AppError> {
    Ok(watch::unacknowledged(db, only)
        .await?
        .into_iter()
        .filter(|i| now - i.started_at >= rule.threshold * 60)
        .map(|i| {
            let on = i.system.as_deref().map(|s| format!(" on {s}")).unwrap_or_default();
            Condition {
                subject_kind: "incident",
                subject_id: i.id.to_string(),
                subject_label: i.title.clone(),
                department_id: i.department_id,
                severity: if matches!(i.severity.as_str(), "sev1" | "sev2") { Severity::Critical } else { Severity::Warning },
                summary: format!("{} ({}){on}, open since {}, has not been acknowledged.", i.title, i.severity.to_uppercase(), minute_utc(i.started_at)),
                link: Page::InfraIncident.href(&[&i.id]),
            }
        })
        .collect())
}

/// Systems past the rule's share of this month's error budget; critical once the SLO is missed.
async fn error_budgets(db: &mut SqliteConnection, rule: &Rule, only: Option<i64>, now: i64) -> Result<Vec<Condition>, AppError> {
    let human = |secs: f64| crate::infra::uptime::human_duration(secs);
    Ok(watch::error_budgets(db, only, now)
        .await?
        .into_iter()
        .filter(|b| b.used_pct > rule.threshold as f64)
        .map(|b| Condition {
            subject_kind: "system",
            subject_id: b.id.to_string(),
            subject_label: b.name.clone(),
            department_id: b.department_id,
            severity: if b.used_pct > 100.0 { Severity::Critical } else { Severity::Warning },
            // Rounded to whole percents, so the alert is rewritten when the share moves a
            // point, not at every second of downtime.
            summary: format!(
                "{} has used {:.0} % of this month's error budget: {} down of the {} its {} % SLO allows this month.",
                b.name,
                b.used_pct.floor(),
                human(b.downtime_secs as f64),
                human(b.allowed_secs),
                b.slo
            ),
            link: Page::InfraSystem.href(&[&b.id]),
        })
        .collect())
}

/// Certificates that expire within the rule's days; critical in the last three, or expired.
async fn certificates(db: &mut SqliteConnection, rule: &Rule, now: i64) -> Result<Vec<Condition>, AppError> {
    Ok(watch::certificates_expiring(db, now + rule.threshold * 86_400)
        .await?
        .into_iter()
        .map(|c| {
            let days = (c.expires_at - now).div_euclid(86_400);
            let when = match days {
                d if d < 0 => "has expired".to_string(),
                0 => "expires today".to_string(),
                d => format!("expires in {}", crate::ui::plural(d as u64, "day", "days")),
            };
            let host = url::Url::parse(&c.target).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_else(|| c.target.clone());
            Condition {
                subject_kind: "check",
                subject_id: c.check_id.to_string(),
                subject_label: format!("{} · {host}", c.system),
                department_id: c.department_id,
                severity: if days < 3 { Severity::Critical } else { Severity::Warning },
                summary: format!("The TLS certificate of {host} ({}) {when}, on {}.", c.system, minute_utc(c.expires_at)),
                link: Page::InfraSystem.href(&[&c.system_id]),
            }
        })
        .collect())
}

/// Systems with findings open past their deadline (critical when a critical or high one is),
/// or due within the threshold's days (a warning): one alert per system, not per finding.
async fn findings(db: &mut SqliteConnection, rule: &Rule, only: Option<i64>, now: i64) -> Result<Vec<Condition>, AppError> {
    Ok(crate::assurance::service::late_by_system(db, only, rule.threshold, now)
        .await?
        .into_iter()
        .map(|s| {
            let mut said = Vec::new();
            if s.breached > 0 {
                said.push(format!("{} past the remediation deadline ({})", crate::ui::plural(s.breached as u64, "finding", "findings"), s.breached_by_severity));
            }
            if s.due_soon > 0 {
                said.push(format!("{} due within {}", crate::ui::plural(s.due_soon as u64, "finding", "findings"), crate::ui::plural(rule.threshold as u64, "day", "days")));
            }
            Condition {
                subject_kind: "system",
                subject_id: s.system_id.to_string(),
                subject_label: s.system.clone(),
                department_id: s.department_id,
                severity: if s.severe { Severity::Critical } else { Severity::Warning },
                summary: format!("{}: {}.", s.system, said.join("; ")),
                link: format!("{}?system={}&state=breached", Page::Vulnerabilities.path(), s.system_id),
            }
        })
        .collect())
}

/// Controls past their due day, or due within `threshold` days; critical a month past it.
async fn controls(db: &mut SqliteConnection, rule: &Rule, now: i64) -> Result<Vec<Condition>, AppError> {
    let today = crate::platform::time::date_of(now);
    Ok(crate::assurance::service::late_controls(db, rule.threshold, today)
        .await?
        .into_iter()
        .map(|c| {
            let days = (today - c.due_on).num_days();
            let when = match days {
                d if d > 0 => format!("{} overdue (due {})", crate::ui::plural(d as u64, "day", "days"), c.due_on),
                0 => format!("due today ({})", c.due_on),
                _ => format!("due on {}", c.due_on),
            };
            Condition {
                subject_kind: "control",
                subject_id: c.id.to_string(),
                subject_label: format!("{} {}", c.code, c.title),
                department_id: c.department_id,
                severity: if days > 30 { Severity::Critical } else { Severity::Warning },
                summary: format!("{} {} ({}): {when}.", c.code, c.title, c.frequency.label().to_lowercase()),
                link: Page::Control.href(&[&c.id]),
            }
        })
        .collect())
}

/// Notice deadlines from today to `threshold` days ahead; critical in the last week.
async fn contracts(db: &mut SqliteConnection, rule: &Rule, now: i64, currency: Currency) -> Result<Vec<Condition>, AppError> {
    let today = crate::platform::time::date_of(now);
    let rows = crate::budget::service::contract_rows(db, None, currency, today).await?;
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            let by = chrono::NaiveDate::parse_from_str(c.notice_by.as_deref()?, "%Y-%m-%d").ok()?;
            let days = (by - today).num_days();
            (0..=rule.threshold).contains(&days).then(|| Condition {
                subject_kind: "contract",
                subject_id: c.id.to_string(),
                subject_label: format!("{} · {}", c.vendor, c.name),
                department_id: c.department_id,
                severity: if days <= 7 { Severity::Critical } else { Severity::Warning },
                summary: format!(
                    "Notice for {} ({}) is due by {by}, {}; it renews on {} at {} a year.",
                    c.name,
                    c.vendor,
                    if days == 0 { "today".to_string() } else { format!("in {}", crate::ui::plural(days as u64, "day", "days")) },
                    c.renews_on.as_deref().unwrap_or("?"),
                    c.annual_value
                ),
                link: Page::BudgetVendors.path().to_string(),
            })
        })
        .collect())
}
