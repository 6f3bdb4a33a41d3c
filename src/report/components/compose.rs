//! The CTO's composer: title, period and commentary per section; a preview from current data;
//! publishing a frozen version (a correction needs a note); share links. The server's HTML with
//! plain forms: every button posts the one form, and the page comes back with what was typed.

use super::ReportDocument;
use crate::access::{Action, Page};
use crate::platform::query::here_without;
use crate::report::api::{load_draft, preview_report};
use crate::report::view::{Commentary, Draft, NewShareLink, SECTIONS};
use crate::ui::{AskFirst, FormError, LoadError, Posted, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

/// The form as it came back from whichever of its buttons was pressed, if any.
#[derive(Clone, Default)]
struct Sent {
    posted: Posted,
    /// Came back from "Preview" or "Publish" (which previews first): the preview is drawn.
    previewed: bool,
    /// Came back from "Publish": the question is asked under the preview.
    asks_publish: bool,
}

impl Sent {
    fn read() -> Self {
        let preview = Posted::to(Action::PreviewReport.endpoint());
        if preview.typed() {
            let accepted = !preview.came_back();
            let asks_publish = accepted && preview.value("ask", "") == "publish";
            return Self { posted: preview, previewed: accepted, asks_publish };
        }
        let posted = [Action::PublishReport, Action::SaveReportDraft].into_iter().map(|a| Posted::to(a.endpoint())).find(Posted::typed).unwrap_or_default();
        Self { posted, previewed: false, asks_publish: false }
    }

    fn commentary(&self, d: &Draft) -> Commentary {
        SECTIONS
            .iter()
            .map(|(key, _, _)| (key.to_string(), self.posted.value(&format!("commentary[{key}]"), d.commentary.get(*key).cloned().unwrap_or_default())))
            .filter(|(_, text)| !text.trim().is_empty())
            .collect()
    }
}

#[component]
pub(super) fn Composer(id: i64) -> impl IntoView {
    let draft = Resource::new(move || id, load_draft);
    view! {
        <Title text="Compose report" />
        <Suspense fallback=|| view! { <h1>"Report"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) => Either::Left(view! { <Compose d /> }),
                    Err(e) => Either::Right(view! { <h1>"Report"</h1><LoadError error=e /><p><a href="/reports">"All reports"</a></p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Compose(d: Draft) -> impl IntoView {
    let sent = Sent::read();
    let preview = sent.previewed.then(|| {
        let (title, period, commentary) = (sent.posted.value("title", ""), sent.posted.value("period", ""), sent.commentary(&d));
        view! { <Preview title period commentary /> }
    });
    view! {
        <Editor d=d.clone() sent />
        {preview}
        <Versions d=d.clone() />
        <Links d />
    }
}

#[component]
fn Editor(d: Draft, sent: Sent) -> impl IntoView {
    let id = d.id;
    let posted = sent.posted.clone();
    let error = posted.error();
    let latest = d.versions.first().map(|v| v.version);
    let title = posted.value("title", d.title.clone());
    let period = posted.value("period", d.period.clone());
    let note = posted.value("note", "");
    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    let invalid = move |name: &'static str| move || error.get().is_some_and(|e| e.for_field(name).is_some());
    let sections = SECTIONS
        .iter()
        .map(|(key, label, hint)| {
            let key: &'static str = key;
            let field = format!("commentary-{key}");
            let text = posted.value(&format!("commentary[{key}]"), d.commentary.get(key).cloned().unwrap_or_default());
            view! {
                <div class="field" class:invalid=invalid(key)>
                    <label for=field.clone()>{format!("Commentary: {label}")}</label>
                    <p class="hint">{*hint}</p>
                    <textarea id=field name=format!("commentary[{key}]") rows="4">{text}</textarea>
                    <p class="field-error" role="alert">{field_error(key)}</p>
                </div>
            }
        })
        .collect_view();
    let publish = if sent.asks_publish {
        let next = latest.map_or(1, |v| v + 1);
        let question = format!("Publish version {next} of \u{201c}{title}\u{201d}? It is frozen as it is now, as previewed below, and every investor can read it.");
        Either::Left(view! {
            <span class="confirm" role="group" aria-label=question.clone()>
                <span class="confirm-question">{question.clone()}</span>
                " "
                <button type="submit" class="button" formaction=Action::PublishReport.endpoint() autofocus>"Publish it"</button>
                " "
                <a class="button secondary" href=format!("{}#report-form", here_without(&["ask"]))>"Cancel"</a>
            </span>
        })
    } else {
        let label = if latest.is_some() { "Publish correction" } else { "Publish" };
        Either::Right(view! { <button type="submit" class="button" formaction=Action::PreviewReport.endpoint() name="ask" value="publish">{label}</button> })
    };
    view! {
        <div class="page-head no-print">
            <div>
                <p class="eyebrow"><a href="/reports">"Reports"</a></p>
                <h1>{d.title.clone()}</h1>
                <p class="meta">{match latest {
                    Some(v) => format!("Published as version {v}; publishing again makes a correction."),
                    None => "Draft: not published yet.".to_string(),
                }}</p>
            </div>
            <div class="page-actions">
                <crate::admin::components::HistoryLink object=format!("report:{id}") />
                {latest.map(|v| view! { <a class="button secondary" href=Page::ReportVersion.href(&[&id, &v])>{format!("View version {v}")}</a> })}
            </div>
        </div>
        <form id="report-form" class="card composer no-print" method="post" action=Action::SaveReportDraft.endpoint() novalidate>
            <input type="hidden" name="id" value=id />
            <FormError error />
            <div class="form-row">
                <div class="field" class:invalid=invalid("title")>
                    <label for="report-title">"Title"</label>
                    <input id="report-title" name="title" maxlength="160" value=title />
                    <p class="field-error" role="alert">{field_error("title")}</p>
                </div>
                <div class="field" class:invalid=invalid("period")>
                    <label for="report-period">"Period"</label>
                    <select id="report-period" name="period">
                        {d.periods.iter().map(|(value, label)| view! { <option value=value.clone() selected=*value == period>{label.clone()}</option> }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{field_error("period")}</p>
                </div>
            </div>
            <p class="hint">"Commentary is Markdown: **bold**, *italic*, lists, links (web and mail addresses only) and tables. HTML is shown as text."</p>
            {sections}
            <div class="field" class:invalid=invalid("note")>
                <label for="report-note">{if latest.is_some() { "What this correction changes (required)" } else { "Note (optional)" }}</label>
                <input id="report-note" name="note" maxlength="2000" value=note />
                <p class="field-error" role="alert">{field_error("note")}</p>
            </div>
            <div class="form-actions" id="composer-actions">
                <button type="submit" class="button secondary">"Save draft"</button>
                <button type="submit" class="button secondary" formaction=Action::PreviewReport.endpoint()>"Preview"</button>
                {publish}
            </div>
        </form>
        {latest.is_none().then(|| view! { <DeleteDraft id title=d.title.clone() /> })}
    }
}

/// A draft that was never published can go; a published report stays.
#[component]
fn DeleteDraft(id: i64, title: String) -> impl IntoView {
    let error = Posted::to(Action::DeleteReport.endpoint()).error();
    view! {
        <div class="form-actions no-print" id="delete-draft">
            <AskFirst label="Delete draft" what=String::new() question=format!("Delete the draft \u{201c}{title}\u{201d} and its commentary?") confirm="Delete it"
                key="delete-draft" action=Action::DeleteReport.endpoint() fields=vec![("id", id.to_string())] class="button danger" />
        </div>
        <FormError error />
    }
}

/// What the form describes, built from live data on the server; nothing is saved.
#[component]
fn Preview(title: String, period: String, commentary: Commentary) -> impl IntoView {
    let snapshot = Resource::new(|| (), move |_| preview_report(title.clone(), period.clone(), commentary.clone()));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Building preview…"</p> }>
            {move || Suspend::new(async move {
                snapshot.await.ok().map(|snapshot| view! {
                    <section class="preview" id="preview" aria-label="Preview">
                        <p class="alert alert-info no-print">"Preview from live data. Nothing is frozen until you publish."</p>
                        <ReportDocument snapshot stamp="Preview, not published" />
                    </section>
                })
            })}
        </Suspense>
    }
}

#[component]
fn Versions(d: Draft) -> impl IntoView {
    (!d.versions.is_empty()).then(|| {
        view! {
            <section class="card no-print" aria-labelledby="versions">
                <h2 id="versions">"Published versions"</h2>
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Published versions of this report"</caption>
                        <thead><tr><th scope="col">"Version"</th><th scope="col">"Published (UTC)"</th><th scope="col">"By"</th><th scope="col">"Note"</th></tr></thead>
                        <tbody>
                            {d.versions.into_iter().map(|v| view! {
                                <tr>
                                    <th scope="row"><a href=Page::ReportVersion.href(&[&d.id, &v.version])>{format!("Version {}", v.version)}</a></th>
                                    <td data-label="Published">{v.published_at}</td>
                                    <td data-label="By">{v.published_by}</td>
                                    <td data-label="Note">{v.note.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}

#[component]
fn Links(d: Draft) -> impl IntoView {
    let posted = Posted::to(Action::CreateShareLink.endpoint());
    let error = posted.error();
    let revoke_error = Posted::to(Action::RevokeShareLink.endpoint()).error();
    let new_link = posted.answer::<NewShareLink>().map(|link| view! { <NewLink link /> });
    let form = if d.versions.is_empty() {
        Either::Left(view! { <p class="note">"Publish the report to share it."</p> })
    } else {
        Either::Right(view! {
            <form method="post" action=Action::CreateShareLink.endpoint() class="form-row" novalidate>
                <input type="hidden" name="report_id" value=d.id />
                <TextField label="Who it is for" name="label" error maxlength=120 required=true id_prefix="link-" value=posted.value("label", "") />
                <TextField label="Last day it works" name="expires" kind="date" error value=posted.value("expires", d.default_expiry.clone()) required=true id_prefix="link-" />
                <button type="submit" class="button">"Create link"</button>
            </form>
            <FormError error />
        })
    };
    view! {
        <section class="card no-print" id="links" aria-labelledby="links-title">
            <h2 id="links-title">"Share links"</h2>
            <p class="meta">"A link opens the latest published version of this report, read-only, without signing in, until its last day or until you withdraw it."</p>
            {form}
            {new_link}
            <FormError error=revoke_error />
            {(!d.links.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Share links of this report"</caption>
                        <thead><tr><th scope="col">"For"</th><th scope="col">"Works until"</th><th scope="col">"State"</th><th scope="col" class="num">"Opened"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {d.links.into_iter().map(|l| {
                                let key = format!("link-{}", l.id);
                                let withdraw = (l.state == "active").then(|| view! {
                                    <AskFirst label="Withdraw" what=format!("the link for {}", l.label) question=format!("Withdraw the link for {}? It stops working at once.", l.label)
                                        confirm="Withdraw it" key=key.clone() action=Action::RevokeShareLink.endpoint() fields=vec![("id", l.id.to_string())] class="button secondary small" />
                                });
                                view! {
                                    <tr id=key>
                                        <th scope="row">{l.label}</th>
                                        <td data-label="Works until">{l.expires}</td>
                                        <td data-label="State"><span class=format!("link-state link-{}", l.state)>{l.state.clone()}</span></td>
                                        <td class="num" data-label="Opened">{l.uses}{l.last_used.map(|t| format!(" · last {t}"))}</td>
                                        <td class="actions">{withdraw}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// A link just made, shown whole once: it is kept nowhere it could be read again. "Copy link"
/// works through the shell's small script (`data-copy`); without it, the field is selectable.
#[component]
fn NewLink(link: NewShareLink) -> impl IntoView {
    view! {
        <div class="alert alert-ok new-link" role="status">
            <p>{format!("Link created. It works until the end of {} (UTC). Copy it now; it is not shown again.", link.last_day)}</p>
            <div class="copy-row">
                <label class="visually-hidden" for="new-share-url">"The new link"</label>
                <input id="new-share-url" class="share-url" readonly value=link.url.clone() />
                <button type="button" class="button small" data-copy="new-share-url">"Copy link"</button>
                <a href=link.url target="_blank" rel="noopener">"Open"</a>
            </div>
            <p class="hint" aria-live="polite" data-copied-for="new-share-url"></p>
        </div>
    }
}
