//! Security server functions: staff read the findings in their scope; the CTO sets the
//! remediation deadlines and keeps the KPIs.

use super::view::{FindingsQuery, Vulnerabilities};
#[cfg(feature = "ssr")]
use crate::access::{Action, Page};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "security/vulnerabilities")]
pub async fn load_vulnerabilities(#[server(flatten)] query: FindingsQuery) -> Result<Vulnerabilities, AppError> {
    let user = crate::auth::guard::require(Action::Vulnerabilities)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    super::service::vulnerabilities(&mut db, &user, &query, crate::platform::db::now_unix()).await.map_err(crate::platform::error::refused)
}

#[server(endpoint = "security/deadlines/save")]
pub async fn save_deadlines(critical: String, high: String, medium: String, low: String) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::SaveDeadlines)?;
    let st = crate::platform::state::AppState::current()?;
    let d = super::service::save_deadlines(&st, &cto, [&critical, &high, &medium, &low]).await?;
    let said = format!("Saved the deadlines: critical {}, high {}, medium {} and low {} days from first seen.", d.critical, d.high, d.medium, d.low);
    crate::ui::Flash::back(Page::Vulnerabilities.path(), said, &[], "deadlines-title", "");
    Ok(())
}

/// Keeps open critical findings and fixes within the deadlines as KPIs.
#[server(endpoint = "security/kpis")]
pub async fn keep_security_kpis() -> Result<usize, AppError> {
    let cto = crate::auth::guard::require(Action::KeepSecurityKpis)?;
    let made = super::service::kpis::keep(&crate::platform::state::AppState::current()?, &cto).await?;
    let said = match made {
        0 => "The security KPIs are kept already.",
        _ => "Kept as KPIs, computed from the findings: open critical findings each day, and each month’s share of fixes made by the deadline.",
    };
    crate::ui::Flash::back(Page::Vulnerabilities.path(), said, &[], "sla-title", "");
    Ok(made)
}
