//! The bodies of the report server functions: the guard first, then the rules, then the repo.

use super::build::{self, Period};
use super::repo;
use super::view::{Commentary, DepartmentReport, Draft, NewShareLink, Published, ReportList, Snapshot};
use crate::access::Action;
use crate::auth::guard::{authorize, require};
use crate::platform::audit::{self, Entry};
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{refused, AppError};
use crate::platform::time::today;

/// The periods a report may cover, and the last complete quarter as the default.
fn periods() -> (Vec<(String, String)>, String) {
    let list = crate::infra::service::sla::periods(today());
    let default = list.get(1).map(|p| p.0.clone()).unwrap_or_default();
    (list, default)
}

fn check_title(title: &str) -> Result<String, AppError> {
    crate::platform::validate::required_text(title, "title", repo::TITLE_MAX).map_err(|m| AppError::field("title", m))
}

fn check_commentary(commentary: &Commentary) -> Result<(), AppError> {
    let mut problems = crate::platform::error::Problems::default();
    for (key, text) in commentary {
        if !super::view::SECTIONS.iter().any(|s| s.0 == key) {
            return Err(AppError::BadRequest { message: format!("“{key}” is not a report section") });
        }
        if text.chars().count() > crate::platform::markdown::MAX_LEN {
            problems.add(key, format!("Keep this section under {} characters.", crate::platform::markdown::MAX_LEN));
        }
    }
    problems.finish()
}

pub async fn load_reports() -> Result<ReportList, AppError> {
    let user = require(Action::ListReports)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    let cto = user.role == crate::access::Role::Cto;
    let (periods, default_period) = periods();
    Ok(ReportList { reports: repo::list(&mut db, cto).await?, can_compose: cto, periods, default_period })
}

pub async fn create_report(title: String, period: String) -> Result<i64, AppError> {
    let user = require(Action::CreateReport)?;
    let mut problems = crate::platform::error::Problems::default();
    let title = check_title(&title).map_err(|e| problems.absorb(e)).ok();
    let period = Period::parse(&period, today()).map_err(|e| problems.absorb(e)).ok();
    problems.finish()?;
    let (Some(title), Some(period)) = (title, period) else { return Err(AppError::Internal) };
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let id = repo::create(&mut tx, user.id, &title, &period.value).await?;
    Entry::new(&user.actor(), "reports", "create_report")
        .object("report", id, &title)
        .change("title", None, Some(title.clone()))
        .change("period", None, Some(period.value.clone()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn load_draft(id: i64) -> Result<Draft, AppError> {
    require(Action::ComposeReport)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    let (title, period, commentary) = repo::draft(&mut db, id).await.map_err(refused)?;
    let mut offered = periods().0;
    // A report on an older period keeps it on offer, or the form would silently move it.
    if !offered.iter().any(|p| p.0 == period) {
        if let Ok(p) = Period::parse(&period, today()) {
            offered.insert(0, (p.value, p.label));
        }
    }
    Ok(Draft {
        id,
        title,
        period,
        commentary,
        periods: offered,
        versions: repo::versions(&mut db, id).await?,
        links: repo::links(&mut db, id, now_unix()).await?,
        default_expiry: (today() + chrono::Days::new(30)).to_string(),
    })
}

/// Saves the draft as the form holds it.
pub async fn save_draft(id: i64, title: String, period: String, commentary: Commentary) -> Result<(), AppError> {
    let user = require(Action::SaveReportDraft)?;
    let (title, period) = checked_form(&title, &period, &commentary)?;
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let before = audit::row(&mut tx, "reports", id).await?;
    repo::save_draft(&mut tx, id, &title, &period.value, &commentary).await?;
    Entry::new(&user.actor(), "reports", "save_report_draft")
        .object("report", id, &title)
        .diff(before.as_ref(), audit::row(&mut tx, "reports", id).await?.as_ref())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

fn checked_form(title: &str, period: &str, commentary: &Commentary) -> Result<(String, Period), AppError> {
    let mut problems = crate::platform::error::Problems::default();
    let title = check_title(title).map_err(|e| problems.absorb(e)).ok();
    let period = Period::parse(period, today()).map_err(|e| problems.absorb(e)).ok();
    match check_commentary(commentary) {
        // Only a hand-made request names a section that does not exist.
        Err(e @ AppError::BadRequest { .. }) => return Err(e),
        Err(e) => problems.absorb(e),
        Ok(()) => {}
    }
    problems.finish()?;
    match (title, period) {
        (Some(t), Some(p)) => Ok((t, p)),
        _ => Err(AppError::Internal),
    }
}

/// The report as the form describes it, from live data, without saving anything.
pub async fn preview_report(title: String, period: String, commentary: Commentary) -> Result<Snapshot, AppError> {
    require(Action::PreviewReport)?;
    let (title, period) = checked_form(&title, &period, &commentary)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    build::snapshot(&mut db, &title, &period, &commentary, st.config.currency, now_unix()).await
}

/// Saves the form and freezes it as the next version, in one transaction.
pub async fn publish_report(id: i64, title: String, period: String, commentary: Commentary, note: String) -> Result<i64, AppError> {
    let user = require(Action::PublishReport)?;
    let (title, period) = checked_form(&title, &period, &commentary)?;
    let note = match note.trim() {
        "" => None,
        n => Some(crate::platform::validate::required_text(n, "note", repo::NOTE_MAX).map_err(|m| AppError::field("note", m))?),
    };
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    repo::save_draft(&mut tx, id, &title, &period.value, &commentary).await?;
    let snapshot = build::snapshot(&mut tx, &title, &period, &commentary, st.config.currency, now_unix()).await?;
    let version = repo::publish(&mut tx, user.id, id, note.as_deref(), &snapshot).await?;
    Entry::new(&user.actor(), "reports", "publish_report")
        .object("report", id, &title)
        .change("version", None, Some(version.to_string()))
        .detail(note.clone().unwrap_or_default())
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(version)
}

/// Deletes a draft that was never published; its title, for the message.
pub async fn delete_report(id: i64) -> Result<String, AppError> {
    let user = require(Action::DeleteReport)?;
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let title = repo::delete(&mut tx, id).await?;
    Entry::new(&user.actor(), "reports", "delete_report").object("report", id, &title).change("title", Some(title.clone()), None).record(&mut tx).await?;
    tx.commit().await?;
    Ok(title)
}

async fn published_view(db: &mut sqlx::SqliteConnection, id: i64, version: Option<i64>) -> Result<Published, AppError> {
    let v = repo::published(db, id, version).await?;
    let history = repo::versions(db, id).await?;
    Ok(Published {
        report_id: id,
        version: v.version,
        latest: history.first().map(|h| h.version).unwrap_or(v.version),
        published_at: v.published_at,
        note: v.note,
        history: history.into_iter().map(|h| (h.version, h.published_at, h.note)).collect(),
        snapshot: v.snapshot,
        pdf: crate::platform::state::AppState::current()?.part::<std::sync::Arc<crate::report::pdf::Printer>>().available(),
    })
}

/// A published version (the latest when `version` is None). A report that does not exist and
/// one not published yet are the same 404.
pub async fn load_published(id: i64, version: Option<i64>) -> Result<Published, AppError> {
    require(Action::ReadReport)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    published_view(&mut db, id, version).await.map_err(refused)
}

/// What a share link opens: its report's latest published version, with no session.
pub async fn open_shared(token: String) -> Result<Published, AppError> {
    authorize(Action::OpenSharedReport)?;
    let st = crate::platform::state::AppState::current()?;
    // Chromium printing a PDF comes with a print grant for one version.
    if let Some((id, version)) = st.part::<std::sync::Arc<crate::report::pdf::Printer>>().grant(&token) {
        let mut db = st.pool.acquire().await?;
        return published_view(&mut db, id, Some(version)).await;
    }
    let opened = repo::open_link(&st.pool, &token, now_unix()).await?;
    let refusal = |e: AppError| {
        tracing::info!("share link refused: {e}");
        refused(e)
    };
    let report_id = match opened {
        Ok(id) => id,
        Err(repo::LinkRefusal::Unknown) => return Err(refusal(AppError::NotFound)),
        Err(repo::LinkRefusal::Expired) => return Err(refusal(AppError::Gone { message: "This link has expired. Ask the person who shared it for a new one.".into() })),
        Err(repo::LinkRefusal::Revoked) => return Err(refusal(AppError::Gone { message: "This link has been withdrawn. Ask the person who shared it for a new one.".into() })),
    };
    let mut db = st.pool.acquire().await?;
    let mut view = published_view(&mut db, report_id, None).await.map_err(refusal)?;
    // A link holder reads the current version only; the list of earlier ones stays with
    // signed-in readers.
    view.history.clear();
    Ok(view)
}

/// A new share link; the token is returned once and only its hash is kept.
pub async fn create_share_link(report_id: i64, label: String, expires: String) -> Result<NewShareLink, AppError> {
    let user = require(Action::CreateShareLink)?;
    let mut problems = crate::platform::error::Problems::default();
    let label = crate::platform::validate::required_text(&label, "recipient name", repo::LABEL_MAX).map_err(|m| problems.add("label", m)).ok();
    let today = today();
    let expires_at = match chrono::NaiveDate::parse_from_str(expires.trim(), "%Y-%m-%d") {
        Err(_) => {
            problems.add("expires", "Give the last day the link works, as a date.");
            None
        }
        Ok(d) if d < today => {
            problems.add("expires", "The last day must be today or later.");
            None
        }
        Ok(d) if (d - today).num_days() > repo::LINK_MAX_DAYS => {
            problems.add("expires", format!("A link may work for at most {} days.", repo::LINK_MAX_DAYS));
            None
        }
        // Works through the whole of its last day, UTC.
        Ok(d) => d.succ_opt().and_then(|n| n.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().timestamp()),
    };
    problems.finish()?;
    let (Some(label), Some(expires_at)) = (label, expires_at) else { return Err(AppError::Internal) };
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    if repo::latest_version(&mut tx, report_id).await?.is_none() {
        repo::draft(&mut tx, report_id).await?;
        return Err(AppError::conflict("Publish the report first: a link shows only published versions."));
    }
    let token = repo::create_link(&mut tx, user.id, report_id, &label, expires_at, now_unix()).await?;
    Entry::new(&user.actor(), "reports", "create_share_link")
        .object("report", report_id, &label)
        .change("link", None, Some(format!("{label}, last day {}", repo::last_day(expires_at))))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(NewShareLink { url: format!("{}/share/{token}", crate::platform::request::public_base()), last_day: repo::last_day(expires_at) })
}

/// Withdraws a link: (its report, whom it was for).
pub async fn revoke_share_link(id: i64) -> Result<(i64, String), AppError> {
    let user = require(Action::RevokeShareLink)?;
    let st = crate::platform::state::AppState::current()?;
    let mut tx = begin_write(&st.pool).await?;
    let (report_id, label) = repo::revoke_link(&mut tx, id, now_unix()).await?;
    Entry::new(&user.actor(), "reports", "revoke_share_link").object("report", report_id, &label).change("link", Some(label.clone()), None).record(&mut tx).await?;
    tx.commit().await?;
    Ok((report_id, label))
}

/// A department's budget for a period: its head sees only their own; the CTO any.
pub async fn load_department_report(period: String, department: String) -> Result<DepartmentReport, AppError> {
    let user = require(Action::DepartmentReport)?;
    let dept = crate::budget::service::scope(&user, crate::platform::error::parse_id(&department, "department")?)?;
    let st = crate::platform::state::AppState::current()?;
    let mut db = st.pool.acquire().await?;
    let all = crate::budget::service::departments(&mut db, None).await?;
    let choices: Vec<(i64, String)> = match dept {
        Some(_) if user.role != crate::access::Role::Cto => all.iter().filter(|d| Some(d.0) == dept).cloned().collect(),
        _ => all.clone(),
    };
    let Some((department_id, name)) = dept.map_or_else(|| all.first().cloned(), |d| all.iter().find(|x| x.0 == d).cloned()) else {
        return Err(refused(AppError::NotFound));
    };
    let (list, default) = periods();
    let period = Period::parse(if period.trim().is_empty() { &default } else { &period }, today())?;
    let cur = st.config.currency;
    let (budget, months) = build::budget(&mut db, &period, Some(department_id), cur).await?;
    Ok(DepartmentReport {
        department_id,
        department: name,
        period: period.value.clone(),
        period_label: period.label.clone(),
        from: period.first_day(),
        to: period.last_day(),
        generated_at: crate::platform::time::minute_utc(now_unix()),
        budget,
        months: months.into_iter().map(|(m, b, a)| (m, cur.format(b), cur.format(a))).collect(),
        periods: list,
        departments: choices,
    })
}
