//! Security server functions: staff read the findings and controls in their scope; the CTO
//! sets the remediation deadlines, keeps the KPIs and keeps the control register. Evidence is
//! recorded through a route (`routes`), since it carries a file.

use super::view::{AdminSecurity, ControlInput, DrillInput, ControlPage, ControlsPage, ControlsQuery, FindingsQuery, PosturePage, PrivacyPage, PrivacyQuery, RecordInput, RecordPage, Vulnerabilities};
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

#[server(endpoint = "security/controls")]
pub async fn load_controls(#[server(flatten)] query: ControlsQuery) -> Result<ControlsPage, AppError> {
    let user = crate::auth::guard::require(Action::Controls)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    super::service::controls::register(&mut db, &user, &query, crate::platform::time::today()).await.map_err(crate::platform::error::refused)
}

#[server(endpoint = "security/control")]
pub async fn load_control(id: String, page: Option<String>) -> Result<ControlPage, AppError> {
    let user = crate::auth::guard::require(Action::Control)?;
    let id = crate::platform::error::address_id(&id)?.ok_or(AppError::NotFound)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    super::service::evidence::control_page(&mut db, &user, id, page.as_deref().unwrap_or_default(), crate::platform::time::today()).await
}

#[server(endpoint = "security/controls/save")]
pub async fn save_control(#[server(flatten)] input: ControlInput) -> Result<i64, AppError> {
    let cto = crate::auth::guard::require(Action::SaveControl)?;
    let is_new = input.id.trim().is_empty();
    let id = super::service::controls::save(&crate::platform::state::AppState::current()?, &cto, input, crate::platform::time::today()).await?;
    crate::ui::Flash::to(&Page::Control.href(&[&id]), if is_new { "Added the control. Its owner records evidence here each time it is performed." } else { "Saved the control." });
    Ok(id)
}

/// Adds the starter controls the register lacks.
#[server(endpoint = "security/controls/adopt")]
pub async fn adopt_starter_controls() -> Result<usize, AppError> {
    let cto = crate::auth::guard::require(Action::AdoptControls)?;
    let added = super::service::controls::adopt_starters(&crate::platform::state::AppState::current()?, &cto, crate::platform::time::today()).await?;
    let said = match added {
        0 => "The register has every starter control already.".to_string(),
        n => format!("Adopted {}, owned by you and company-wide: give each an owner and a department, and its first evidence is due a period from today.", crate::ui::plural(n as u64, "starter control", "starter controls")),
    };
    crate::ui::Flash::back(Page::Controls.path(), said, &[], "", "");
    Ok(added)
}

/// Retires a control, or puts a retired one back in force.
#[server(endpoint = "security/controls/retire")]
pub async fn retire_control(id: i64, retired: bool) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::RetireControl)?;
    let name = super::service::controls::set_retired(&crate::platform::state::AppState::current()?, &cto, id, retired, crate::platform::time::today()).await?;
    let said = if retired { format!("Retired {name}. Its evidence is kept; it no longer counts or alerts.") } else { format!("{name} is in force again.") };
    crate::ui::Flash::back(&Page::Control.href(&[&id]), said, &[], "", "");
    Ok(())
}

/// Admin's security section: Northstar's backups, restore tests and access reviews.
#[server(endpoint = "security/admin")]
pub async fn load_admin_security() -> Result<AdminSecurity, AppError> {
    crate::auth::guard::require(Action::AdminSecurity)?;
    super::service::access_review::admin_section(&crate::platform::state::AppState::current()?).await
}

#[server(endpoint = "security/backups/now")]
pub async fn back_up_now() -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::BackUpNow)?;
    let (file, size) = super::service::backups::back_up_now(&crate::platform::state::AppState::current()?, &cto).await?;
    crate::ui::Flash::back(Page::Admin.path(), format!("Backed up to {} ({}).", file.display(), crate::ui::bytes(size)), &[], "backups-title", "");
    Ok(())
}

/// Restores the latest backup into a scratch file and checks it.
#[server(endpoint = "security/restore-test")]
pub async fn test_restore() -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::TestRestore)?;
    let test = super::service::backups::test_restore(&crate::platform::state::AppState::current()?, &cto).await?;
    let said = format!("{} in {}. {}", if test.ok { "Restore test passed" } else { "Restore test failed" }, test.took, test.detail);
    crate::ui::Flash::back(Page::Admin.path(), said, &[], "backups-title", "");
    Ok(())
}

#[server(endpoint = "security/access-review")]
pub async fn record_access_review() -> Result<usize, AppError> {
    let cto = crate::auth::guard::require(Action::RecordAccessReview)?;
    let n = super::service::access_review::record(&crate::platform::state::AppState::current()?, &cto).await?;
    let said = format!("Recorded the access review of {}, with the list as reviewed, on each access-review control.", crate::ui::plural(n as u64, "account", "accounts"));
    crate::ui::Flash::back(Page::Admin.path(), said, &[], "review-title", "");
    Ok(n)
}

/// The security posture in the reader's scope.
#[server(endpoint = "security/posture")]
pub async fn load_posture() -> Result<PosturePage, AppError> {
    let user = crate::auth::guard::require(Action::Posture)?;
    let st = crate::platform::state::AppState::current()?;
    super::service::posture::page(&st.pool, &user, crate::platform::db::now_unix()).await.map_err(crate::platform::error::refused)
}

/// Shows the posture in investor reports (`shared` = "yes"), or keeps it out.
#[server(endpoint = "security/posture/share")]
pub async fn share_posture(shared: String) -> Result<(), AppError> {
    let cto = crate::auth::guard::require(Action::SharePosture)?;
    let on = match shared.as_str() {
        "yes" => true,
        "no" => false,
        other => return Err(AppError::field("shared", format!("“{other}” is neither yes nor no."))),
    };
    super::service::posture::share(&crate::platform::state::AppState::current()?.pool, &cto, on).await?;
    let said = if on { "Investor reports now show the security posture; versions already published keep what they showed." } else { "Investor reports no longer show the security posture; versions already published keep what they showed." };
    crate::ui::Flash::back(Page::Posture.path(), said, &[], "share-title", "");
    Ok(())
}

/// The record of processing in the reader's scope.
#[server(endpoint = "security/privacy")]
pub async fn load_privacy(#[server(flatten)] query: PrivacyQuery) -> Result<PrivacyPage, AppError> {
    let user = crate::auth::guard::require(Action::Privacy)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    super::service::privacy::register(&mut db, &user, &query, crate::platform::time::today()).await.map_err(crate::platform::error::refused)
}

#[server(endpoint = "security/privacy/record")]
pub async fn load_privacy_record(id: String) -> Result<RecordPage, AppError> {
    let user = crate::auth::guard::require(Action::PrivacyRecord)?;
    let id = crate::platform::error::address_id(&id)?.ok_or(AppError::NotFound)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    super::service::privacy::record_page(&mut db, &user, id, crate::platform::time::today()).await
}

/// Saves a system's record of processing; saving is its review.
#[server(endpoint = "security/privacy/save")]
pub async fn save_privacy_record(#[server(flatten)] input: RecordInput) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::SavePrivacyRecord)?;
    let name = super::service::privacy::save(&crate::platform::state::AppState::current()?, &user, &input, crate::platform::time::today()).await?;
    crate::ui::Flash::back(&Page::PrivacyRecord.href(&[&input.system_id.trim()]), format!("Saved {name}’s record, reviewed today by you."), &[], "", "");
    Ok(())
}

/// Confirms a system's record unchanged: reviewed today.
#[server(endpoint = "security/privacy/confirm")]
pub async fn confirm_privacy_record(id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::ConfirmPrivacyRecord)?;
    let name = super::service::privacy::confirm(&crate::platform::state::AppState::current()?, &user, id, crate::platform::time::today()).await?;
    crate::ui::Flash::back(&Page::PrivacyRecord.href(&[&id]), format!("Confirmed {name}’s record unchanged: reviewed today, next due in a year."), &[], "", "");
    Ok(())
}

/// A restore drill performed on a system, recorded from its page.
#[server(endpoint = "security/restore-tests/record")]
pub async fn record_restore_drill(#[server(flatten)] input: DrillInput) -> Result<(), AppError> {
    let user = crate::auth::guard::require(Action::RecordRestoreDrill)?;
    let name = super::service::recovery::record_drill(&crate::platform::state::AppState::current()?, &user, &input, crate::platform::db::now_unix()).await?;
    crate::ui::Flash::back(&Page::InfraSystem.href(&[&input.system_id.trim()]), format!("Recorded the restore test of {name}."), &[], "protection-title", "");
    Ok(())
}
