//! Report pages: the list, a published version, a share link's view and the department
//! budget report. The CTO's composer is in `compose`.

mod compose;
mod department;
mod document;
mod strategy;

pub use department::DepartmentReportPage;
pub use document::ReportDocument;
use compose::Composer;

use crate::access::{Action, Page, Role, Route};
use crate::auth::use_user;
use crate::platform::error::AppError;
use crate::report::api::{load_published, load_reports, open_shared};
use crate::report::view::{Published, ReportList};
use crate::ui::{FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

fn param_id(name: &'static str) -> Memo<i64> {
    let id = crate::platform::query::param_id(name);
    Memo::new(move |_| id)
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let role = use_user().map(|u| u.role);
    view! {
        <Title text="Reports" />
        {match role {
            Some(Role::DepartmentHead) => Either::Left(view! { <DepartmentHeadReports /> }),
            _ => Either::Right(view! { <ReportIndex /> }),
        }}
    }
}

#[component]
fn DepartmentHeadReports() -> impl IntoView {
    let department = use_user().and_then(|u| u.department_name).unwrap_or_default();
    view! {
        <h1>"Reports"</h1>
        <section class="card">
            <h2>{format!("{department} budget report")}</h2>
            <p>"Your department's budget against actual spending for any month or quarter, ready to print or save as PDF."</p>
            <p><a class="button" href="/reports/department">"Open the budget report"</a></p>
        </section>
    }
}

#[component]
fn ReportIndex() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_reports());
    view! {
        <Suspense fallback=|| view! { <h1>"Reports"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => Either::Left(view! { <Index list /> }),
                    Err(e) => Either::Right(view! { <h1>"Reports"</h1><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Index(list: ReportList) -> impl IntoView {
    let cto = list.can_compose;
    let posted = Posted::to(Action::CreateReport.endpoint());
    let error = posted.error();
    let new_report = cto.then(|| {
        let title = posted.value("title", "Technology update");
        let period = posted.value("period", list.default_period.clone());
        view! {
            <section class="card" aria-labelledby="new-report">
                <h2 id="new-report">"New report"</h2>
                <form method="post" action=Action::CreateReport.endpoint() class="form-row" novalidate>
                    <TextField label="Title" name="title" error value=title maxlength=160 required=true />
                    <SelectField label="Period" name="period" options=list.periods.clone() selected=period error />
                    <button type="submit" class="button">"Create draft"</button>
                </form>
                <FormError error />
            </section>
        }
    });
    view! {
        <div class="page-head">
            <div>
                <h1>"Reports"</h1>
                <p class="meta">{if cto { "Investor reports: compose from live data, preview, publish a frozen version, share." } else { "Reports published for investors." }}</p>
            </div>
            {cto.then(|| view! { <div class="page-actions"><a class="button secondary" href="/reports/department">"Department budget reports"</a></div> })}
        </div>
        {new_report}
        {if list.reports.is_empty() {
            Either::Left(view! { <p class="empty">{if cto { "No reports yet. Create one above." } else { "No reports have been published yet." }}</p> })
        } else {
            Either::Right(view! {
                <div class="table-wrap card">
                    <table class="stack">
                        <caption class="visually-hidden">"Reports"</caption>
                        <thead><tr><th scope="col">"Report"</th><th scope="col">"Period"</th><th scope="col">"Version"</th><th scope="col">"Published (UTC)"</th></tr></thead>
                        <tbody>
                            {list.reports.into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row"><a href=Page::ReportDetail.href(&[&r.id])>{r.title}</a></th>
                                    <td data-label="Period">{r.period_label}</td>
                                    <td data-label="Version">
                                        {r.version.map(|v| format!("Version {v}")).unwrap_or_else(|| "Draft, not published".into())}
                                        {(r.draft && r.version.is_some()).then(|| view! { <span class="muted">" · unpublished changes"</span> })}
                                    </td>
                                    <td data-label="Published">{r.published_at.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })
        }}
    }
}

/// `/reports/:id`: the CTO's composer; for an investor, the latest published version.
#[component]
pub fn ReportDetailPage() -> impl IntoView {
    let id = param_id("id");
    match use_user().map(|u| u.role) {
        Some(Role::Cto) => view! { <Composer id=id.get_untracked() /> }.into_any(),
        _ => view! { <PublishedPage id version=Memo::new(|_| None) /> }.into_any(),
    }
}

/// `/reports/:id/versions/:version`: one frozen version.
#[component]
pub fn ReportVersionPage() -> impl IntoView {
    let id = param_id("id");
    let version = param_id("version");
    view! { <PublishedPage id version=Memo::new(move |_| Some(version.get())) /> }
}

#[component]
fn PublishedPage(id: Memo<i64>, version: Memo<Option<i64>>) -> impl IntoView {
    let data = Resource::new(move || (id.get(), version.get()), |(id, v)| load_published(id, v));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <PublishedView p share=None /> }.into_any(),
                    Err(e) => view! { <Missing error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Missing(error: AppError) -> impl IntoView {
    let text = match &error {
        AppError::NotFound => "There is no published report at this address.".to_string(),
        e => e.to_string(),
    };
    view! {
        <Title text="Report not found" />
        <h1>"Report not available"</h1>
        <p class="alert alert-error" role="alert">{text}</p>
        <p><a href="/reports">"All reports"</a></p>
    }
}

/// A published version with its toolbar: history, print and PDF. `share` is the token when
/// read through a share link.
#[component]
fn PublishedView(p: Published, share: Option<String>) -> impl IntoView {
    let title = format!("{} · {}", p.snapshot.title, p.snapshot.period_label);
    let stamp = format!("Version {} · published {} UTC", p.version, p.published_at);
    let pdf_href = match &share {
        Some(token) => Route::SharedReportPdf.href(&[&token]),
        None => Route::ReportPdf.href(&[&p.report_id, &p.version]),
    };
    // `data-print`: the shell's one-line script makes these buttons print, with no island.
    let newer = (p.version < p.latest).then_some(p.latest);
    let linked = share.is_none();
    view! {
        <Title text=title />
        <div class="report-toolbar no-print">
            {linked.then(|| view! { <a href="/reports">"← All reports"</a> })}
            <div class="toolbar-actions">
                <button type="button" class="button secondary" data-print="">"Print"</button>
                {if p.pdf {
                    view! { <a class="button" href=pdf_href download="">"Download PDF"</a> }.into_any()
                } else {
                    view! { <button type="button" class="button" data-print="" title="This server has no PDF printer; choose Save as PDF in the print dialog.">"Save as PDF"</button> }.into_any()
                }}
            </div>
        </div>
        {newer.filter(|_| linked).map(|v| view! {
            <p class="alert alert-info no-print">
                "A corrected version of this report exists. "
                <a href=Page::ReportVersion.href(&[&p.report_id, &v])>{format!("Read version {v}")}</a>
            </p>
        })}
        {p.note.clone().map(|n| view! { <p class="alert alert-info correction"><strong>{format!("Correction (version {}): ", p.version)}</strong>{n}</p> })}
        <ReportDocument snapshot=p.snapshot.clone() stamp />
        {(linked && p.history.len() > 1).then(|| view! {
            <section class="card no-print" aria-labelledby="versions">
                <h2 id="versions">"Versions"</h2>
                <ul class="plain">
                    {p.history.iter().map(|(v, at, note)| view! {
                        <li>
                            <a href=Page::ReportVersion.href(&[&p.report_id, v]) aria-current=(*v == p.version).then_some("page")>{format!("Version {v}")}</a>
                            <span class="muted">{format!(" · {at} UTC")}</span>
                            {note.clone().map(|n| view! { <span>{format!(" · {n}")}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {linked.then(|| view! { <crate::feedback::components::FeedbackAbout about="report" target=p.report_id title="Questions and feedback" /> })}
    }
}

/// `/share/:token`: one report, without signing in. Every refusal looks the same apart from
/// expired and withdrawn links, which say so.
#[component]
pub fn SharedReportPage() -> impl IntoView {
    let token = crate::platform::query::param("token");
    let token = Memo::new(move |_| token.clone());
    let data = Resource::new(move || token.get(), open_shared);
    view! {
        <main id="main" class="page shared">
            <p class="brand-line no-print"><span class="brand-mark" aria-hidden="true">"✦"</span>" Northstar · shared report"</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => view! { <PublishedView p share=Some(token.get_untracked()) /> }.into_any(),
                        Err(e) => {
                            let text = match &e {
                                AppError::Gone { message } => message.clone(),
                                _ => "This link is not valid. Check that it was copied whole, or ask for a new one.".to_string(),
                            };
                            view! {
                                <Title text="Link not available" />
                                <h1>"This report is not available"</h1>
                                <p class="alert alert-error" role="alert">{text}</p>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </main>
    }
}
