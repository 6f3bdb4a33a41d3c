//! The cloud cost page: what the FOCUS imports hold month by month, the cost no rule maps yet
//! (each line with a form that makes a rule from it), where the mapped cost goes, the mapping
//! rules in the order they are tried, and the imports.

use super::StrategyTabs;
use crate::access::Action;
use crate::budget::components::choice_pairs as pairs;
use crate::budget::view::Choice;
use crate::strategy::api::load_cloud_costs;
use crate::strategy::mapping::MatchOn;
use crate::strategy::view::{CloudImportRow, CloudMonthRow, CloudOwnerRow, CloudRuleRow, CloudView, UnmatchedLine};
use crate::ui::{AskFirst, FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

const TITLE: &str = "Cloud cost";

use super::cloud_import;

#[component]
pub fn CloudCostPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_cloud_costs());
    view! {
        <Title text=TITLE />
        <Suspense fallback=|| view! { <h1>{TITLE}</h1><p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => Either::Left(view! { <Body v /> }),
                    Err(e) => Either::Right(view! { <h1>{TITLE}</h1><StrategyTabs /><LoadError error=e /> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Body(v: CloudView) -> impl IntoView {
    let has_unmatched = !v.unmatched.is_empty();
    let choices = Choices { departments: v.departments.clone(), systems: v.systems.clone(), investments: v.investments.clone() };
    view! {
        <div class="page-head">
            <div>
                <h1>{TITLE}</h1>
                <p class="meta">"FOCUS exports of the cloud providers, mapped by rules to departments, systems and investment categories. Mapped cost is each department’s Cloud actuals in the budget."</p>
            </div>
        </div>
        <StrategyTabs />
        {has_unmatched.then(|| view! {
            <p class="alert alert-warning">{format!("{} of cloud cost matches no rule, so it is in no department’s actuals yet. ", v.unmatched_total)}<a href="#unmatched">"Map it below."</a></p>
        })}
        <section class="card" aria-labelledby="cloud-months-title">
            <h2 id="cloud-months-title">"By month"</h2>
            <MonthTable months=v.months />
        </section>
        <section class="card" id="import" aria-labelledby="cloud-import-title">
            <h2 id="cloud-import-title">"Import a FOCUS file"</h2>
            {cloud_import()}
        </section>
        {has_unmatched.then(|| view! {
            <section class="card" id="unmatched" aria-labelledby="unmatched-title">
                <h2 id="unmatched-title">"Not mapped"</h2>
                <p class="hint">"Each line is cost no rule matches yet. Mapping one adds a rule from what you choose, so next month’s import is mapped too."</p>
                <UnmatchedTable lines=v.unmatched.clone() choices=choices.clone() />
            </section>
        })}
        <section class="card" aria-labelledby="owners-title">
            <h2 id="owners-title">"Where it goes"</h2>
            <OwnerTable rows=v.owners />
        </section>
        <section class="card" id="rules" aria-labelledby="rules-title">
            <h2 id="rules-title">"Mapping rules"</h2>
            <p class="hint">"Tried from the lowest priority number up; the first rule that matches a line decides its department, system and investment category. Values match without regard to case; a trailing * matches any ending."</p>
            <RuleTable rules=v.rules.clone() />
            <RuleForm rules=v.rules next=v.next_priority choices />
        </section>
        <section class="card" aria-labelledby="imports-title">
            <h2 id="imports-title">"Imports"</h2>
            <ImportTable imports=v.imports />
        </section>
    }
}

#[derive(Clone)]
struct Choices {
    departments: Vec<Choice>,
    systems: Vec<Choice>,
    investments: Vec<Choice>,
}

#[component]
fn MonthTable(months: Vec<CloudMonthRow>) -> impl IntoView {
    if months.is_empty() {
        return Either::Left(view! { <p class="empty">"No cloud cost yet. Import a FOCUS export below."</p> });
    }
    Either::Right(view! {
        <p class="hint">"Billed cost is what the invoice says; effective cost spreads prepaid commitments (savings plans, reservations) over the usage they cover, and is what Northstar books."</p>
        <div class="table-wrap">
            <table class="stack">
                <caption class="visually-hidden">"Cloud cost per month"</caption>
                <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Billed"</th><th scope="col" class="num">"Effective"</th><th scope="col" class="num">"Mapped"</th><th scope="col" class="num">"Not mapped"</th></tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row">{m.month}</th>
                            <td class="num" data-label="Billed">{m.billed}</td>
                            <td class="num" data-label="Effective">{m.effective}</td>
                            <td class="num" data-label="Mapped">{m.mapped}</td>
                            <td class="num" data-label="Not mapped">{m.unmatched}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

#[component]
fn UnmatchedTable(lines: Vec<UnmatchedLine>, choices: Choices) -> impl IntoView {
    let posted = Posted::to(Action::MapCloudLine.endpoint());
    view! {
        <div class="table-wrap">
            <table class="stack unmatched">
                <caption class="visually-hidden">"Cloud cost no rule maps, largest first"</caption>
                <thead><tr><th scope="col">"Line"</th><th scope="col" class="num">"Effective cost"</th><th scope="col">"Map it"</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let id = l.id.to_string();
                        let error = posted.error_for("line", &id);
                        let prefix = format!("map-{id}-");
                        let tags = l.tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr id=format!("line-{id}")>
                                <th scope="row">
                                    {format!("{} · {}", l.provider, l.service)}
                                    <span class="meta">{if l.account.is_empty() { "No account".to_string() } else { format!("Account {}", l.account) }}</span>
                                    <span class="meta">{if tags.is_empty() { "No tags".to_string() } else { format!("Tags: {tags}") }}</span>
                                    <span class="meta">{l.period.clone()}</span>
                                </th>
                                <td class="num" data-label="Effective cost">{l.effective.clone()}</td>
                                <td data-label="Map it">
                                    <form method="post" action=Action::MapCloudLine.endpoint() novalidate class="map-form">
                                        <input type="hidden" name="line" value=id.clone() />
                                        <FormError error />
                                        <SelectField label="Match by" name="by" options=pairs(&l.options, None) selected=posted.value("by", String::new()) error id_prefix=prefix.clone() />
                                        <SelectField label="Department" name="department" options=pairs(&choices.departments, Some("Choose…")) selected=String::new() error id_prefix=prefix.clone() />
                                        <SelectField label="System" name="system" options=pairs(&choices.systems, Some("No system")) selected=String::new() error id_prefix=prefix.clone() />
                                        <SelectField label="Investment category" name="investment" options=pairs(&choices.investments, Some("None")) selected=String::new() error id_prefix=prefix />
                                        <button type="submit" class="button primary small">"Map"</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OwnerTable(rows: Vec<CloudOwnerRow>) -> impl IntoView {
    if rows.is_empty() {
        return Either::Left(view! { <p class="empty">"No mapped cost yet."</p> });
    }
    Either::Right(view! {
        <div class="table-wrap">
            <table class="stack">
                <caption class="visually-hidden">"Mapped cloud cost of the months above by department, system and investment category"</caption>
                <thead><tr><th scope="col">"Department"</th><th scope="col">"System"</th><th scope="col">"Investment category"</th><th scope="col" class="num">"Effective cost"</th><th scope="col" class="num">"Share"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.department}</th>
                            <td data-label="System">{if r.system.is_empty() { "—".to_string() } else { r.system }}</td>
                            <td data-label="Investment category">{if r.investment.is_empty() { "Unassigned".to_string() } else { r.investment }}</td>
                            <td class="num" data-label="Effective cost">{r.effective}</td>
                            <td class="num" data-label="Share">{r.share}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

#[component]
fn RuleTable(rules: Vec<CloudRuleRow>) -> impl IntoView {
    if rules.is_empty() {
        return Either::Left(view! { <p class="empty">"No rules yet: every line is unmapped. Add one below, or map a line above."</p> });
    }
    Either::Right(view! {
        <div class="table-wrap">
            <table class="stack">
                <caption class="visually-hidden">"Mapping rules in the order they are tried"</caption>
                <thead><tr><th scope="col" class="num">"Priority"</th><th scope="col">"Matches"</th><th scope="col">"Department"</th><th scope="col">"System"</th><th scope="col">"Investment category"</th><th scope="col" class="num">"Maps"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {rules.into_iter().map(|r| view! {
                        <tr id=format!("rule-{}", r.id)>
                            <td class="num" data-label="Priority">{r.priority}</td>
                            <th scope="row">{r.matcher.clone()}</th>
                            <td data-label="Department">{r.department}</td>
                            <td data-label="System">{if r.system.is_empty() { "—".to_string() } else { r.system }}</td>
                            <td data-label="Investment category">{if r.investment.is_empty() { "—".to_string() } else { r.investment }}</td>
                            <td class="num" data-label="Maps">{r.matched}</td>
                            <td class="actions">
                                <a class="button secondary small" href=format!("?rule={}#rule-form", r.id)>"Edit"<span class="visually-hidden">{format!(" the rule {}", r.matcher)}</span></a>
                                <AskFirst label="Delete" what=format!("the rule {}", r.matcher) question=format!("Delete the rule {}? The cost it maps goes to the next rule that matches, or is unmapped.", r.matcher)
                                    confirm="Delete it" key=format!("rule-{}", r.id) action=Action::DeleteCloudRule.endpoint() fields=vec![("id", r.id.to_string())] />
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}

#[component]
fn RuleForm(rules: Vec<CloudRuleRow>, next: i64, choices: Choices) -> impl IntoView {
    let posted = Posted::to(Action::SaveCloudRule.endpoint());
    let error = posted.error();
    let editing = posted.record("rule");
    let rule = rules.into_iter().find(|r| r.id.to_string() == editing);
    let r = rule.clone().unwrap_or(CloudRuleRow { priority: next, match_on: "tag".into(), ..Default::default() });
    let kinds: Vec<(String, String)> = MatchOn::ALL.iter().map(|m| (m.code().to_string(), m.label().to_string())).collect();
    let cancel = rule.is_some().then(|| view! { <a class="button secondary" href=crate::platform::query::here_without(&["rule"])>"Cancel"</a> });
    view! {
        <form method="post" action=Action::SaveCloudRule.endpoint() novalidate id="rule-form" class="rule-form">
            <h3>{if rule.is_some() { format!("Edit the rule {}", r.matcher) } else { "Add a rule".to_string() }}</h3>
            <input type="hidden" name="id" value=if rule.is_some() { r.id.to_string() } else { String::new() } />
            <FormError error />
            <div class="form-grid">
                <TextField label="Priority" name="priority" value=posted.value("priority", r.priority.to_string()) error hint="Lower numbers are tried first." />
                <SelectField label="Matches" name="match_on" options=kinds selected=posted.value("match_on", r.match_on.clone()) error />
                <TextField label="Tag name" name="tag_key" value=posted.value("tag_key", r.tag_key.clone()) error maxlength=200 hint="For a tag rule only, such as team." />
                <TextField label="Value" name="value" value=posted.value("value", r.value.clone()) error required=true maxlength=200 hint="Such as payments, Amazon EC2 or an account id; a trailing * matches any ending." />
                <SelectField label="Department" name="department" options=pairs(&choices.departments, Some("Choose…")) selected=posted.value("department", if rule.is_some() { r.department_id.to_string() } else { String::new() }) error />
                <SelectField label="System" name="system" options=pairs(&choices.systems, Some("No system")) selected=posted.value("system", r.system_id.clone()) error />
                <SelectField label="Investment category" name="investment" options=pairs(&choices.investments, Some("None")) selected=posted.value("investment", r.investment_id.clone()) error />
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">{if rule.is_some() { "Save rule" } else { "Add rule" }}</button>
                {cancel}
            </div>
        </form>
    }
}

#[component]
fn ImportTable(imports: Vec<CloudImportRow>) -> impl IntoView {
    if imports.is_empty() {
        return Either::Left(view! { <p class="empty">"Nothing imported yet."</p> });
    }
    Either::Right(view! {
        <div class="table-wrap">
            <table class="stack">
                <caption class="visually-hidden">"FOCUS imports, latest first"</caption>
                <thead><tr><th scope="col">"File"</th><th scope="col">"Months"</th><th scope="col">"Providers"</th><th scope="col" class="num">"Rows"</th><th scope="col" class="num">"Effective cost"</th><th scope="col">"Imported"</th></tr></thead>
                <tbody>
                    {imports.into_iter().map(|i| view! {
                        <tr>
                            <th scope="row">{i.file}</th>
                            <td data-label="Months">{i.period}</td>
                            <td data-label="Providers">{i.providers}</td>
                            <td class="num" data-label="Rows">{i.rows}</td>
                            <td class="num" data-label="Effective cost">{i.effective}</td>
                            <td data-label="Imported">{if i.by.is_empty() { i.at } else { format!("{} by {}", i.at, i.by) }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    })
}
