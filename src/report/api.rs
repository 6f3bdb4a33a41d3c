//! Report server functions. The CTO composes and publishes; investors read published versions;
//! a share token opens one report without a session; department heads read their own
//! department's budget report.

use super::view::{Commentary, DepartmentReport, Draft, NewShareLink, Published, ReportList, Snapshot};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "reports/list")]
pub async fn load_reports() -> Result<ReportList, AppError> {
    super::service::load_reports().await
}

#[server(endpoint = "reports/create")]
pub async fn create_report(title: String, period: String) -> Result<i64, AppError> {
    super::service::create_report(title, period).await
}

#[server(endpoint = "reports/draft")]
pub async fn load_draft(id: i64) -> Result<Draft, AppError> {
    super::service::load_draft(id).await
}

/// Saves the draft as the form holds it.
#[server(endpoint = "reports/save")]
pub async fn save_draft(id: i64, title: String, period: String, commentary: Commentary) -> Result<(), AppError> {
    super::service::save_draft(id, title, period, commentary).await
}

/// The report as the form describes it, from live data, without saving anything.
#[server(endpoint = "reports/preview")]
pub async fn preview_report(title: String, period: String, commentary: Commentary) -> Result<Snapshot, AppError> {
    super::service::preview_report(title, period, commentary).await
}

/// Saves the form and freezes it as the next version, in one transaction.
#[server(endpoint = "reports/publish")]
pub async fn publish_report(id: i64, title: String, period: String, commentary: Commentary, note: String) -> Result<i64, AppError> {
    super::service::publish_report(id, title, period, commentary, note).await
}

#[server(endpoint = "reports/delete")]
pub async fn delete_report(id: i64) -> Result<(), AppError> {
    super::service::delete_report(id).await
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
    super::service::create_share_link(report_id, label, expires).await
}

#[server(endpoint = "reports/links/revoke")]
pub async fn revoke_share_link(id: i64) -> Result<(), AppError> {
    super::service::revoke_share_link(id).await
}

/// A department's budget for a period: its head sees only their own; the CTO any.
#[server(endpoint = "reports/department")]
pub async fn load_department_report(period: String, department: String) -> Result<DepartmentReport, AppError> {
    super::service::load_department_report(period, department).await
}
