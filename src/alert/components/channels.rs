//! The notifications page: the reader's channels (every channel, for the CTO), each with its
//! delivery log, a test button and its form. Plain forms only: the page costs no script.

use crate::access::{Action, Page};
use crate::alert::model::RuleKind;
use crate::alert::notify::api::alert_channels;
use crate::alert::notify::model::{ChannelRow, Channels, DeliveryRow, DeliveryState, Format};
use crate::platform::error::AppError;
use crate::platform::query::{query, with_query};
use crate::ui::{FormError, LoadError, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn AlertChannelsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| alert_channels());
    // The channel whose form is open (`new` for a new one); it stays open after an error.
    let editing = query("channel").get_untracked();
    view! {
        <Title text="Notifications" />
        <div class="page-head">
            <div>
                <h1>"Notifications"</h1>
                <p class="meta">"Where alerts go besides this app: webhooks (JSON, Slack, Microsoft Teams) and e-mail. A channel receives what its owner may see: the CTO's any alert, a department head's their own department's only."</p>
            </div>
            <div class="page-actions">
                <a class="button primary" href=with_query(Page::AlertChannels.path(), &[("channel", "new")]) + "#channel-form">"Add a channel"</a>
                <a class="button secondary" href=Page::Alerts.path()>"Alerts"</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading your channels…"</p> }>
            {move || {
                let editing = editing.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(channels) => view! { <ChannelList channels editing /> }.into_any(),
                        Err(e) => view! { <LoadError error=e /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn ChannelList(channels: Channels, editing: String) -> impl IntoView {
    // A failed test or delete comes back to the page; it is said once, above the channels.
    let failed = Signal::stored(crate::ui::posted_error(Action::TestAlertChannel.endpoint()).or_else(|| crate::ui::posted_error(Action::DeleteAlertChannel.endpoint())));
    let new_form = (editing == "new").then(|| view! { <ChannelForm channel=None channels=channels.clone() /> });
    let email_off = (!channels.email_ready).then(|| view! {
        <p class="alert alert-info">"E-mail is off on this server. The administrator turns it on with NORTHSTAR_SMTP_URL and NORTHSTAR_SMTP_FROM; until then e-mail channels wait and show why."</p>
    });
    let empty = channels.rows.is_empty().then(|| view! { <p class="empty">"No channel yet. Alerts show in the app only."</p> });
    let rows = channels.rows.clone();
    view! {
        {email_off}
        <FormError error=failed />
        {new_form}
        {empty}
        {rows.into_iter().map(|c| {
            let open = editing == c.id.to_string();
            view! { <ChannelCard c open channels=channels.clone() /> }
        }).collect_view()}
    }
}

#[component]
fn ChannelCard(c: ChannelRow, open: bool, channels: Channels) -> impl IntoView {
    let title = format!("channel-{}", c.id);
    let change = with_query(Page::AlertChannels.path(), &[("channel", &c.id.to_string())]) + "#channel-form";
    let owner = (!c.mine).then(|| format!(" · set up by {}", c.owner));
    let signed = (c.format == Format::Generic || c.signed).then_some(if c.signed { " · signed" } else { " · not signed" });
    let state = if c.enabled { "" } else { " · switched off" };
    let name = c.name.clone();
    let form = open.then(|| view! { <ChannelForm channel=Some(c.clone()) channels /> });
    let labelled = title.clone();
    view! {
        <section class="card channel" aria-labelledby=labelled>
            <h2 id=title>{c.name.clone()}</h2>
            <p class="meta">{c.format.label()}" · "<code>{c.target.clone()}</code>{signed}{owner}{state}</p>
            <p>{c.receives.clone()}"."</p>
            <div class="form-actions">
                <form method="post" action=Action::TestAlertChannel.endpoint() class="inline-form">
                    <input type="hidden" name="id" value=c.id />
                    <button type="submit" class="button secondary">"Send a test"<span class="visually-hidden">{format!(" to {name}")}</span></button>
                </form>
                <a class="button secondary" href=change>"Change"<span class="visually-hidden">{format!(" {}", c.name)}</span></a>
                <form method="post" action=Action::DeleteAlertChannel.endpoint() class="inline-form">
                    <input type="hidden" name="id" value=c.id />
                    <button type="submit" class="button danger">"Delete"<span class="visually-hidden">{format!(" {}", c.name)}</span></button>
                </form>
            </div>
            {form}
            <DeliveryLog rows=c.deliveries name=c.name />
        </section>
    }
}

#[component]
fn DeliveryLog(rows: Vec<DeliveryRow>, name: String) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(view! { <p class="meta">"Nothing sent yet."</p> });
    }
    let label = format!("Deliveries to {name}");
    let region = label.clone();
    Either::Right(view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=region>
            <table class="stack deliveries">
                <caption class="visually-hidden">{label}</caption>
                <thead><tr>
                    <th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"About"</th>
                    <th scope="col">"Result"</th><th scope="col" class="num">"Attempts"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|d| {
                        let class = match d.state {
                            DeliveryState::Sent => "status status-green",
                            DeliveryState::Failed => "status status-red",
                            DeliveryState::Pending | DeliveryState::Sending => "status status-amber",
                        };
                        view! {
                            <tr>
                                <td class="nowrap" data-label="When">{d.at}</td>
                                <td data-label="What">{d.event.label()}</td>
                                <td data-label="About">{d.title}</td>
                                <td data-label="Result"><span class=class><span class="status-dot" aria-hidden="true"></span>{d.state.label()}</span>" "<span class="meta">{d.outcome}</span></td>
                                <td class="num" data-label="Attempts">{d.attempts}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

/// A channel's settings, new or existing, as a plain form posting to the save function.
#[component]
fn ChannelForm(channel: Option<ChannelRow>, channels: Channels) -> impl IntoView {
    let error: Signal<Option<AppError>> = Signal::stored(crate::ui::posted_error(Action::SaveAlertChannel.endpoint()));
    let c = channel.clone();
    let format = c.as_ref().map_or(Format::Slack, |c| c.format);
    let chosen: Vec<String> = c.as_ref().map(|c| c.rules.clone()).unwrap_or_default();
    let is_cto = crate::auth::use_user().is_some_and(|u| u.role == crate::access::Role::Cto);
    let department = c.as_ref().and_then(|c| c.department_id);
    let existing = c.is_some();
    // The CTO may change a head's channel; the news it carries stays its owner's.
    let feedback_label = match &c {
        Some(c) if !c.mine => format!("News of {}’s feedback", c.owner),
        _ => "News of my feedback".to_string(),
    };
    let heading = match &c {
        Some(c) => format!("Change “{}”", c.name),
        None => "A new channel".to_string(),
    };
    let field_error = move |name: &'static str| move || error.get().and_then(|e| e.for_field(name));
    let formats = Format::ALL
        .iter()
        .map(|f| view! { <option value=f.as_str() selected=*f == format>{f.label()}</option> })
        .collect_view();
    let rule_boxes = RuleKind::ALL
        .iter()
        .map(|k| {
            let id = format!("channel-rule-{}", k.as_str());
            view! {
                <div class="field checkbox">
                    <input type="checkbox" id=id.clone() name=format!("rules[{}]", k.as_str()) value="on" checked=chosen.iter().any(|r| r == k.as_str()) />
                    <label for=id>{k.label()}</label>
                </div>
            }
        })
        .collect_view();
    let departments = is_cto.then(|| {
        let options = channels
            .departments
            .iter()
            .map(|(id, name)| view! { <option value=*id selected=department == Some(*id)>{name.clone()}</option> })
            .collect_view();
        view! {
            <div class="field">
                <label for="channel-department">"Department"</label>
                <select id="channel-department" name="department">
                    <option value="">"Every department, and company-wide alerts"</option>
                    {options}
                </select>
                <p class="field-error" role="alert">{field_error("department")}</p>
            </div>
        }
    });
    let target_hint = if existing {
        "Leave empty to keep where it goes now. A webhook: the URL its service gave you. E-mail: the address."
    } else {
        "A webhook: the URL its service gave you. E-mail: the address; a department head's own only."
    };
    let own = channels.own_email.clone();
    let labelled = heading.clone();
    view! {
        <form method="post" action=Action::SaveAlertChannel.endpoint() novalidate class="channel-form" id="channel-form" aria-label=labelled>
            <h3>{heading}</h3>
            <input type="hidden" name="id" value=c.as_ref().map(|c| c.id.to_string()).unwrap_or_default() />
            <FormError error />
            <TextField label="Name" name="name" value=c.as_ref().map(|c| c.name.clone()).unwrap_or_default() error id_prefix="channel-" maxlength=80 />
            <div class="field" class:invalid=move || field_error("format")().is_some()>
                <label for="channel-format">"Kind"</label>
                <select id="channel-format" name="format">{formats}</select>
                <p class="field-error" role="alert">{field_error("format")}</p>
            </div>
            <TextField label="URL or e-mail address" name="target" error id_prefix="channel-" hint=target_hint autocomplete="off" />
            {(!is_cto).then(|| view! { <p class="meta">{format!("Your address, the one an e-mail channel of yours may use: {own}")}</p> })}
            <TextField
                label="Signing secret"
                name="secret"
                kind="password"
                error
                id_prefix="channel-"
                autocomplete="new-password"
                hint="JSON webhooks are signed: the header X-Northstar-Signature carries t=<time>,v1=<HMAC-SHA256 of “<time>.<body>”>. Leave empty to keep the secret set."
            />
            <fieldset class="field">
                <legend>"Which alerts (none ticked: every rule)"</legend>
                {rule_boxes}
                <p class="field-error" role="alert">{field_error("rules")}</p>
            </fieldset>
            {departments}
            <div class="field checkbox">
                <input type="checkbox" id="channel-critical" name="critical_only" value="true" checked=c.as_ref().is_some_and(|c| c.critical_only) />
                <label for="channel-critical">"Critical alerts only"</label>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="channel-feedback" name="feedback" value="true" checked=c.as_ref().is_none_or(|c| c.feedback) aria-describedby="channel-feedback-hint" />
                <label for="channel-feedback">{feedback_label}</label>
                <p class="hint" id="channel-feedback-hint">"When the CTO answers or moves an item you filed, or someone comments on it: what the Feedback page tells you."</p>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id="channel-enabled" name="enabled" value="true" checked=c.as_ref().is_none_or(|c| c.enabled) />
                <label for="channel-enabled">"On"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">"Save"</button>
                <a class="button secondary" href=Page::AlertChannels.path()>"Cancel"</a>
            </div>
        </form>
    }
}
