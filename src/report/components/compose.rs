//! The CTO's composer: title, period and commentary per section; a live preview from current
//! data; publishing a frozen version (a correction needs a note); share links.

use crate::access::Page;
use super::ReportDocument;
use crate::report::api::{load_draft, CreateShareLink, DeleteReport, PreviewReport, PublishReport, RevokeShareLink, SaveDraft};
use crate::report::view::{Commentary, Draft, NewShareLink, SECTIONS};
use crate::ui::{error_of, notice_of, said, successes, ConfirmButton, Flash, FormError, LoadError, Notice, TextField};
use leptos::prelude::*;
use crate::ui::Title;

/// The CTO's page for one report, one island: publishing or sharing reloads the lists below.
#[component]
pub(super) fn Composer(id: i64) -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let id = Memo::new(move |_| id);
    let publish = ServerAction::<PublishReport>::new();
    let share = ServerAction::<CreateShareLink>::new();
    let revoke = ServerAction::<RevokeShareLink>::new();
    let (published, shared, revoked) = (successes(publish), successes(share), successes(revoke));
    // The form keeps its own state; only the lists below it reload after a change.
    let draft = Resource::new(move || id.get(), load_draft);
    let lists = Resource::new(move || (id.get(), published.get(), shared.get(), revoked.get()), |(id, ..)| load_draft(id));
    view! {
        <Title text="Compose report" />
        <Transition fallback=|| view! { <h1>"Report"</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match draft.await {
                    Ok(d) => view! { <Editor d publish /> }.into_any(),
                    Err(e) => view! { <h1>"Report"</h1><LoadError error=e /><p><a href="/reports">"All reports"</a></p> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                lists.await.ok().map(|d| view! { <Versions d=d.clone() /><Links d share revoke /> })
            })}
        </Transition>
    }
}

#[component]
fn Editor(d: Draft, publish: ServerAction<PublishReport>) -> impl IntoView {
    let id = d.id;
    let title = RwSignal::new(d.title.clone());
    let period = RwSignal::new(d.period.clone());
    let texts: Vec<(&'static str, RwSignal<String>)> = SECTIONS.iter().map(|(key, _, _)| (*key, RwSignal::new(d.commentary.get(*key).cloned().unwrap_or_default()))).collect();
    let note = RwSignal::new(String::new());
    let save = ServerAction::<SaveDraft>::new();
    let preview = ServerAction::<PreviewReport>::new();
    let remove = ServerAction::<DeleteReport>::new();
    let errors = Signal::derive(move || {
        // The latest of the three actions speaks for the form.
        error_of(publish).get().or_else(|| error_of(preview).get()).or_else(|| error_of(save).get())
    });
    let commentary = {
        let texts = texts.clone();
        move || -> Commentary { texts.iter().filter(|(_, t)| !t.get_untracked().trim().is_empty()).map(|(k, t)| (k.to_string(), t.get_untracked())).collect() }
    };
    let (c1, c2, c3) = (commentary.clone(), commentary.clone(), commentary);
    let clear = move || {
        save.value().set(None);
        preview.value().set(None);
        publish.value().set(None);
    };
    let on_save = move |_| {
        clear();
        save.dispatch(SaveDraft { id, title: title.get_untracked(), period: period.get_untracked(), commentary: c1() });
    };
    let on_preview = move |_| {
        clear();
        preview.dispatch(PreviewReport { title: title.get_untracked(), period: period.get_untracked(), commentary: c2() });
    };
    let on_publish = move || {
        clear();
        publish.dispatch(PublishReport { id, title: title.get_untracked(), period: period.get_untracked(), commentary: c3(), note: note.get_untracked() });
    };
    // Follows publishing on this page, so the second press is labelled (and checked) as a correction.
    let latest = RwSignal::new(d.versions.first().map(|v| v.version));
    Effect::new(move || {
        if let Some(Ok(v)) = publish.value().get() {
            latest.set(Some(v));
            note.set(String::new());
        }
    });
    let published_before = move || latest.get().is_some();
    Effect::new(move || {
        if let Some(Ok(())) = remove.value().get() {
            Flash::go("/reports", said().get_untracked());
        }
    });
    let field_error = move |name: &'static str| move || errors.get().and_then(|e| e.for_field(name));
    view! {
        <div class="page-head no-print">
            <div>
                <p class="eyebrow"><a href="/reports">"Reports"</a></p>
                <h1>{move || title.get()}</h1>
                <p class="meta">{move || match latest.get() {
                    Some(v) => format!("Published as version {v}; publishing again makes a correction."),
                    None => "Draft: not published yet.".to_string(),
                }}</p>
            </div>
            <div class="page-actions">
                <crate::admin::components::HistoryLink object=format!("report:{id}") />
                {move || latest.get().map(|v| view! { <a class="button secondary" href=Page::ReportVersion.href(&[&id, &v])>{format!("View version {v}")}</a> })}
            </div>
        </div>
        <form class="card composer no-print" on:submit=|ev| ev.prevent_default()>
            <div class="form-row">
                <div class="field" class:invalid=move || field_error("title")().is_some()>
                    <label for="report-title">"Title"</label>
                    <input id="report-title" name="title" maxlength="160" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                    <p class="field-error" role="alert">{field_error("title")}</p>
                </div>
                <div class="field" class:invalid=move || field_error("period")().is_some()>
                    <label for="report-period">"Period"</label>
                    <select id="report-period" name="period" on:change=move |ev| period.set(event_target_value(&ev))>
                        {d.periods.iter().map(|(value, label)| {
                            let selected = *value == d.period;
                            view! { <option value=value.clone() selected=selected>{label.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{field_error("period")}</p>
                </div>
            </div>
            <p class="hint">"Commentary is Markdown: **bold**, *italic*, lists, links (web and mail addresses only) and tables. HTML is shown as text."</p>
            {texts.iter().map(|(key, text)| {
                let (key, text) = (*key, *text);
                let (_, label, hint) = SECTIONS.iter().find(|s| s.0 == key).copied().unwrap_or_default();
                let id = format!("commentary-{key}");
                view! {
                    <div class="field" class:invalid=move || field_error(key)().is_some()>
                        <label for=id.clone()>{format!("Commentary: {label}")}</label>
                        <p class="hint">{hint}</p>
                        <textarea id=id name=format!("commentary[{key}]") rows="4" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                        <p class="field-error" role="alert">{field_error(key)}</p>
                    </div>
                }
            }).collect_view()}
            <div class="field" class:invalid=move || field_error("note")().is_some()>
                <label for="report-note">{move || if published_before() { "What this correction changes (required)" } else { "Note (optional)" }}</label>
                <input id="report-note" name="note" maxlength="2000" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                <p class="field-error" role="alert">{field_error("note")}</p>
            </div>
            <FormError error=errors />
            <div class="form-actions">
                <button type="button" class="button secondary" on:click=on_save disabled=move || save.pending().get()>"Save draft"</button>
                <button type="button" class="button secondary" on:click=on_preview disabled=move || preview.pending().get()>
                    {move || if preview.pending().get() { "Building preview…" } else { "Preview" }}
                </button>
                {move || {
                    let on_publish = on_publish.clone();
                    let next = latest.get().map_or(1, |v| v + 1);
                    let question = format!("Publish version {next} of \u{201c}{}\u{201d}? It is frozen as it is now and every investor can read it.", title.get());
                    if published_before() {
                        view! { <ConfirmButton label="Publish correction" what=String::new() class="button" question confirm="Publish it" on_confirm=move |()| on_publish() /> }.into_any()
                    } else {
                        view! { <ConfirmButton label="Publish" what=String::new() class="button" question confirm="Publish it" on_confirm=move |()| on_publish() /> }.into_any()
                    }
                }}
                {move || (!published_before()).then(|| view! {
                    <ConfirmButton label="Delete draft" what=String::new() class="button danger"
                        question=format!("Delete the draft \u{201c}{}\u{201d} and its commentary?", title.get_untracked()) confirm="Delete it"
                        done=format!("Deleted the draft \u{201c}{}\u{201d}.", title.get_untracked()) on_confirm=move |()| { remove.dispatch(DeleteReport { id }); } />
                })}
            </div>
            <p class="status-line" role="status">
                {move || match (save.value().get(), publish.value().get()) {
                    (_, Some(Ok(v))) => format!("Published version {v}. It will not change, whatever happens to the data."),
                    (Some(Ok(())), _) => "Draft saved.".to_string(),
                    _ => String::new(),
                }}
            </p>
            {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> })}
        </form>
        {move || preview.value().get().and_then(|r| r.ok()).map(|snapshot| view! {
            <section class="preview" aria-label="Preview">
                <p class="alert alert-info no-print">"Preview from live data. Nothing is frozen until you publish."</p>
                <ReportDocument snapshot stamp="Preview, not published" />
            </section>
        })}
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
fn Links(d: Draft, share: ServerAction<CreateShareLink>, revoke: ServerAction<RevokeShareLink>) -> impl IntoView {
    let error = error_of(share);
    let share_form = crate::ui::cleared_after(share);
    let revoke_error = error_of(revoke);
    let withdrawn = notice_of(revoke);
    let default_expiry = d.default_expiry.clone();
    let can_share = !d.versions.is_empty();
    view! {
        <section class="card no-print" aria-labelledby="links">
            <h2 id="links">"Share links"</h2>
            <p class="meta">"A link opens the latest published version of this report, read-only, without signing in, until its last day or until you withdraw it."</p>
            {if can_share {
                view! {
                    <ActionForm action=share node_ref=share_form attr:class="form-row" attr:novalidate=true>
                        <input type="hidden" name="report_id" value=d.id />
                        <TextField label="Who it is for" name="label" error maxlength=120 required=true id_prefix="link-" />
                        <TextField label="Last day it works" name="expires" kind="date" error value=default_expiry.clone() required=true id_prefix="link-" />
                        <button type="submit" class="button">"Create link"</button>
                    </ActionForm>
                    <FormError error />
                    {move || share.value().get().and_then(|r| r.ok()).map(|link| view! { <NewLink link /> })}
                }.into_any()
            } else {
                view! { <p class="note">"Publish the report to share it."</p> }.into_any()
            }}
            <FormError error=revoke_error />
            <Notice when=withdrawn text=crate::ui::said_text() />
            {(!d.links.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Share links of this report"</caption>
                        <thead><tr><th scope="col">"For"</th><th scope="col">"Works until"</th><th scope="col">"State"</th><th scope="col" class="num">"Opened"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {d.links.into_iter().map(|l| {
                                let active = l.state == "active";
                                let id = l.id;
                                let label = l.label.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{l.label}</th>
                                        <td data-label="Works until">{l.expires}</td>
                                        <td data-label="State"><span class=format!("link-state link-{}", l.state)>{l.state.clone()}</span></td>
                                        <td class="num" data-label="Opened">{l.uses}{l.last_used.map(|t| format!(" · last {t}"))}</td>
                                        <td>{active.then(|| view! {
                                            <ConfirmButton label="Withdraw" what=format!("the link for {label}") class="button secondary small"
                                                question=format!("Withdraw the link for {label}? It stops working at once.") confirm="Withdraw it"
                                                done=format!("Withdrawn: the link for {label} no longer opens the report.") on_confirm=move |()| { revoke.dispatch(RevokeShareLink { id }); } />
                                        })}</td>
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

/// A link just made, shown whole with a copy button: it is never shown again.
#[component]
fn NewLink(link: NewShareLink) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let url = link.url.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let clipboard = window().navigator().clipboard();
                let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await;
                copied.set(Some(done.is_ok()));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &url;
    };
    view! {
        <div class="alert alert-ok new-link" role="status">
            <p>{format!("Link created. It works until the end of {} (UTC). Copy it now; it is not shown again.", link.last_day)}</p>
            <div class="copy-row">
                <label class="visually-hidden" for="new-share-url">"The new link"</label>
                <input id="new-share-url" class="share-url" readonly value=link.url.clone() on:focus=|ev| {
                    #[cfg(feature = "hydrate")]
                    {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    }
                    #[cfg(not(feature = "hydrate"))]
                    let _ = ev;
                } />
                <button type="button" class="button small" on:click=copy>"Copy link"</button>
                <a href=link.url.clone() target="_blank" rel="noopener">"Open"</a>
            </div>
            <p class="hint" aria-live="polite">{move || match copied.get() {
                Some(true) => "Copied to the clipboard.",
                Some(false) => "The browser refused the clipboard: select the link and copy it.",
                None => "",
            }}</p>
        </div>
    }
}
