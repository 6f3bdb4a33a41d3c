//! Report server functions. The CTO composes and publishes; investors read published versions;
//! a share token opens one report without a session; department heads read their own
//! department's budget report.

use super::view::{Commentary, DepartmentReport, Draft, NewShareLink, Published, ReportList, Snapshot};
#[cfg(feature = "ssr")]
use crate::access::Page;
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "reports/list")]
pub async fn load_reports() -> Result<ReportList, AppError> {
    super::service::load_reports().await
}

#[server(endpoint = "reports/create")]
pub async fn create_report(title: String, period: String) -> Result<i64, AppError> {
    let id = super::service::create_report(title.clone(), period).await?;
    crate::ui::Flash::to(&Page::ReportDetail.href(&[&id]), format!("Created the draft “{}”. Write the commentary, preview it, then publish.", title.trim()));
    Ok(id)
}

#[server(endpoint = "reports/draft")]
pub async fn load_draft(id: i64) -> Result<Draft, AppError> {
    super::service::load_draft(id).await
}

/// Saves the draft as the form holds it.
#[server(endpoint = "reports/save")]
pub async fn save_draft(id: i64, title: String, period: String, commentary: Commentary) -> Result<(), AppError> {
    super::service::save_draft(id, title, period, commentary).await?;
    crate::ui::Flash::back(&Page::ReportDetail.href(&[&id]), "Draft saved.", &["ask"], "", "");
    Ok(())
}

/// The report as the form describes it, from live data, without saving anything. A plain form
/// goes back to its page as typed, which draws the preview (and, with `ask=publish`, asks
/// whether to publish exactly that).
#[server(endpoint = "reports/preview")]
pub async fn preview_report(title: String, period: String, commentary: Commentary) -> Result<Snapshot, AppError> {
    let snapshot = super::service::preview_report(title, period, commentary).await?;
    crate::platform::posted::keep_fields();
    // Back at the form's buttons: the question (when publishing) and the preview below them.
    crate::ui::Flash::back(Page::Reports.path(), "", &["ask"], "composer-actions", "");
    Ok(snapshot)
}

/// Saves the form and freezes it as the next version, in one transaction.
#[server(endpoint = "reports/publish")]
pub async fn publish_report(id: i64, title: String, period: String, commentary: Commentary, note: String) -> Result<i64, AppError> {
    let version = super::service::publish_report(id, title, period, commentary, note).await?;
    let said = format!("Published version {version}. It will not change, whatever happens to the data.");
    crate::ui::Flash::back(&Page::ReportDetail.href(&[&id]), said, &["ask"], "", "");
    Ok(version)
}

#[server(endpoint = "reports/delete")]
pub async fn delete_report(id: i64) -> Result<(), AppError> {
    let title = super::service::delete_report(id).await?;
    crate::ui::Flash::to(Page::Reports.path(), format!("Deleted the draft “{title}” and its commentary."));
    Ok(())
}

/// A published version (the latest when `version` is None). A report that does not exist and
/// one not published yet are the same 404.
#[server(endpoint = "reports/published")]
pub async fn load_published(id: i64, version: Option<i64>) -> Result<Published, AppError> {
    super::service::load_published(id, version).await
}

/// What a share link opens: its report's latest published version, with no session.
#[server(endpoint = "share/open")]
pub async fn open_shared(token: String) -> Result<Published, AppError> {
    super::service::open_shared(token).await
}

/// A new share link; the token is returned once and only its hash is kept.
#[server(endpoint = "reports/links/create")]
pub async fn create_share_link(report_id: i64, label: String, expires: String) -> Result<NewShareLink, AppError> {
    let link = super::service::create_share_link(report_id, label, expires).await?;
    // Shown once, on the page the form goes back to; never kept in a cookie or the address.
    crate::platform::posted::keep_answer(serde_json::to_string(&link).map_err(|_| AppError::Internal)?);
    crate::ui::Flash::back(&Page::ReportDetail.href(&[&report_id]), "", &["ask"], "links", "");
    Ok(link)
}

#[server(endpoint = "reports/links/revoke")]
pub async fn revoke_share_link(id: i64) -> Result<(), AppError> {
    let (report_id, label) = super::service::revoke_share_link(id).await?;
    let said = format!("Withdrawn: the link for {label} no longer opens the report.");
    crate::ui::Flash::back(&Page::ReportDetail.href(&[&report_id]), said, &["ask"], "", "");
    Ok(())
}

/// A department's budget for a period: its head sees only their own; the CTO any.
#[server(endpoint = "reports/department")]
pub async fn load_department_report(period: String, department: String) -> Result<DepartmentReport, AppError> {
    super::service::load_department_report(period, department).await
}
