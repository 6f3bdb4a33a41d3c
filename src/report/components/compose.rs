//! The CTO's composer: title, period and commentary per section; a live preview from current
//! data; publishing a frozen version (a correction needs a note); share links.

use super::ReportDocument;
use crate::report::api::{load_draft, CreateShareLink, DeleteReport, PreviewReport, PublishReport, RevokeShareLink, SaveDraft};
use crate::report::model::{Commentary, Draft, SECTIONS};
use crate::ui::{error_of, successes, FormError, LoadError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn Composer(id: Memo<i64>) -> impl IntoView {
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
    let on_publish = move |_| {
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
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(())) = remove.value().get() {
            navigate("/reports", Default::default());
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
                {move || latest.get().map(|v| view! { <a class="button secondary" href=format!("/reports/{id}/versions/{v}")>{format!("View version {v}")}</a> })}
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
                <button type="button" class="button" on:click=on_publish disabled=move || publish.pending().get()>
                    {move || if published_before() { "Publish correction" } else { "Publish" }}
                </button>
                {move || (!published_before()).then(|| view! {
                    <button type="button" class="button danger" on:click=move |_| { remove.dispatch(DeleteReport { id }); }>"Delete draft"</button>
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
                                    <th scope="row"><a href=format!("/reports/{}/versions/{}", d.id, v.version)>{format!("Version {}", v.version)}</a></th>
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
    let default_expiry = d.default_expiry.clone();
    let can_share = !d.versions.is_empty();
    view! {
        <section class="card no-print" aria-labelledby="links">
            <h2 id="links">"Share links"</h2>
            <p class="meta">"A link opens the latest published version of this report, read-only, without signing in, until its last day or until you withdraw it."</p>
            {if can_share {
                view! {
                    <ActionForm action=share attr:class="form-row">
                        <input type="hidden" name="report_id" value=d.id />
                        <TextField label="Who it is for" name="label" error maxlength=120 required=true id_prefix="link-" />
                        <TextField label="Last day it works" name="expires" kind="date" error value=default_expiry.clone() required=true id_prefix="link-" />
                        <button type="submit" class="button">"Create link"</button>
                    </ActionForm>
                    <FormError error />
                    {move || share.value().get().and_then(|r| r.ok()).map(|token| {
                        let path = format!("/share/{token}");
                        view! {
                            <div class="alert alert-ok new-link" role="status">
                                <p>"Copy this link now; it is not shown again."</p>
                                <code class="share-url" data-path=path.clone()>{path.clone()}</code>
                                <a href=path.clone() target="_blank" rel="noopener">" Open"</a>
                            </div>
                        }
                    })}
                }.into_any()
            } else {
                view! { <p class="note">"Publish the report to share it."</p> }.into_any()
            }}
            {(!d.links.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="stack">
                        <caption class="visually-hidden">"Share links of this report"</caption>
                        <thead><tr><th scope="col">"For"</th><th scope="col">"Works until"</th><th scope="col">"State"</th><th scope="col" class="num">"Opened"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {d.links.into_iter().map(|l| {
                                let active = l.state == "active";
                                let id = l.id;
                                view! {
                                    <tr>
                                        <th scope="row">{l.label}</th>
                                        <td data-label="Works until">{l.expires}</td>
                                        <td data-label="State"><span class=format!("link-state link-{}", l.state)>{l.state.clone()}</span></td>
                                        <td class="num" data-label="Opened">{l.uses}{l.last_used.map(|t| format!(" · last {t}"))}</td>
                                        <td>{active.then(|| view! {
                                            <button type="button" class="button secondary small" on:click=move |_| { revoke.dispatch(RevokeShareLink { id }); }>"Withdraw"</button>
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
