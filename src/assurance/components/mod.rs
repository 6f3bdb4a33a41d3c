//! The security pages: vulnerabilities with their remediation SLA, the findings section of a
//! system's page (with its data protection and quality cards), the control register with each control's evidence, and the record of
//! processing. Plain forms throughout; the findings import is the one island (an upload's
//! progress needs a script).

mod admin;
mod control;
mod control_form;
mod controls;
mod import;
mod posture;
mod privacy;
mod privacy_record;
mod protection;
mod quality;
mod vulnerabilities;

pub use admin::AdminSecuritySection;
pub use control::ControlDetailPage;
pub use controls::{ControlsRegisterPage, StandingTag};
pub use posture::{PosturePage, PostureReportSection};
pub use privacy::{PrivacyRegisterPage, ReviewTag};
pub use privacy_record::PrivacyRecordPage;
pub use protection::SystemProtectionCard;
pub use quality::SystemQualityCard;
pub use vulnerabilities::{SeverityTag, VulnerabilitiesPage};

use crate::access::Page;
use crate::assurance::model::Severity;
use crate::assurance::view::{FindingLine, SystemChoice, SystemFindings};
use import::FindingsImport;
use leptos::prelude::*;

crate::ui::area_islands! { security:
    findings_import(system: Option<i64>, systems: Vec<SystemChoice>) => FindingsImport, _island_findings_import, load_findings_import;
}

/// A status in words, colour and shape (`tone`: red, amber, green or unrated), so it never
/// depends on colour alone.
fn status_tag(tone: &'static str, label: impl Into<String>) -> impl IntoView {
    view! { <span class=format!("status status-{tone}")><span class="status-dot" aria-hidden="true"></span>{label.into()}</span> }
}

/// The security section's tabs.
#[component]
pub fn SecurityTabs() -> impl IntoView {
    let section = Page::for_path(&crate::platform::query::path());
    let tabs = [(Page::Posture, "Posture"), (Page::Vulnerabilities, "Vulnerabilities"), (Page::Controls, "Controls"), (Page::Privacy, "Personal data")];
    view! {
        <nav class="tabs" aria-label="Security sections">
            {tabs
                .into_iter()
                .map(|(p, label)| {
                    let here = section == Some(p) || (p == Page::Controls && section == Some(Page::Control)) || (p == Page::Privacy && section == Some(Page::PrivacyRecord));
                    let current = here.then_some("page");
                    view! { <a href=p.path() aria-current=current>{label}</a> }
                })
                .collect_view()}
        </nav>
    }
}

/// Findings, most urgent first as the server orders them; each opens to its message, where it
/// is and the rule's help.
#[component]
pub fn FindingTable(rows: Vec<FindingLine>, empty: &'static str, with_system: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="stack findings">
                <thead><tr>
                    <th scope="col">"Severity"</th><th scope="col">"Finding"</th>
                    {with_system.then(|| view! { <th scope="col">"System"</th> })}
                    <th scope="col">"Source"</th><th scope="col">"First seen"</th><th scope="col">"Deadline"</th><th scope="col">"Standing"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|f| view! {
                        <tr class:late=f.breached>
                            <td data-label="Severity"><SeverityTag severity=f.severity /></td>
                            <th scope="row">
                                <details>
                                    <summary>{f.title.clone()}</summary>
                                    <dl class="facts">
                                        <div><dt>"Rule"</dt><dd>{f.rule.clone()}</dd></div>
                                        {(!f.location.is_empty()).then(|| view! { <div><dt>"Where"</dt><dd><code>{f.location.clone()}</code></dd></div> })}
                                        {(!f.message.is_empty()).then(|| view! { <div><dt>"Message"</dt><dd>{f.message.clone()}</dd></div> })}
                                        {f.help.clone().map(|h| view! { <div><dt>"Help"</dt><dd><a href=h.clone() rel="noopener noreferrer" target="_blank">{h.clone()}</a></dd></div> })}
                                    </dl>
                                </details>
                            </th>
                            {with_system.then(|| view! { <td data-label="System"><a href=Page::InfraSystem.href(&[&f.system_id])>{f.system.clone()}</a></td> })}
                            <td data-label="Source">{f.tool.clone()}</td>
                            <td data-label="First seen">{f.first_seen.clone()}</td>
                            <td data-label="Deadline">{f.due.clone()}</td>
                            <td data-label="Standing">{f.standing.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A system's findings on its page: open by severity, the most urgent, the last import, and
/// the import itself for those who may.
#[component]
pub fn SystemFindingsCard(f: SystemFindings, system: i64) -> impl IntoView {
    let total: i64 = f.open.iter().sum();
    let all = format!("{}?system={system}", Page::Vulnerabilities.path());
    let summary = if total == 0 {
        "No open findings.".to_string()
    } else {
        let parts: Vec<String> = Severity::ALL.iter().zip(f.open).filter(|(_, n)| *n > 0).map(|(s, n)| format!("{n} {}", s.label().to_lowercase())).collect();
        format!("{} open: {}{}.", crate::ui::plural(total as u64, "finding", "findings"), parts.join(", "), if f.breached > 0 { format!("; {} past the deadline", f.breached) } else { String::new() })
    };
    view! {
        <section class="card" id="findings" aria-labelledby="findings-title">
            <div class="section-head">
                <h2 id="findings-title">"Vulnerabilities"</h2>
                <a href=all>"All findings"</a>
            </div>
            <p>{summary}</p>
            {(!f.worst.is_empty()).then(|| view! { <FindingTable rows=f.worst.clone() empty="" with_system=false /> })}
            <p class="meta">{f.last_import.clone().map(|l| format!("Last import: {l}.")).unwrap_or_else(|| "Nothing imported yet.".into())}</p>
            {f.can_import.then(|| view! {
                <details class="import-details">
                    <summary>"Import findings"</summary>
                    {findings_import(Some(system), Vec::new())}
                </details>
            })}
        </section>
    }
}
