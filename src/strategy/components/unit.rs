//! The unit economics page: each cost per unit with its status and the last twelve completed
//! months' arithmetic (cost, units, cost per unit), a form to change what it divides, and a
//! form to define a new one.

use super::StrategyTabs;
use crate::access::{Action, Page};
use crate::budget::components::choice_pairs as pairs;
use crate::budget::view::Choice;
use crate::kpi::components::StatusBadge;
use crate::strategy::api::load_unit_economics;
use crate::strategy::unit::{CostBasis, PER_UNITS};
use crate::strategy::view::{UnitCostRow, UnitEconomicsView};
use crate::ui::{AskFirst, FormError, LoadError, Posted, SelectField, TextField, Title};
use leptos::either::Either;
use leptos::prelude::*;

const TITLE: &str = "Unit economics";

#[component]
pub fn UnitEconomicsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_unit_economics());
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

#[derive(Clone)]
struct Choices {
    denominators: Vec<Choice>,
    systems: Vec<Choice>,
}

#[component]
fn Body(v: UnitEconomicsView) -> impl IntoView {
    let choices = Choices { denominators: v.denominators, systems: v.systems };
    let through = v.through;
    view! {
        <div class="page-head">
            <div>
                <h1>{TITLE}</h1>
                <p class="meta">"Technology cost per unit of the business — per customer, order or thousand API calls — for each completed month. Each is a KPI with its own target and status, and may appear in investor reports."</p>
            </div>
        </div>
        <StrategyTabs />
        {if v.costs.is_empty() {
            Either::Left(view! { <p class="empty card">"No cost per unit yet. Define one below: pick the cost and the KPI it is divided by."</p> })
        } else {
            Either::Right(v.costs.into_iter().map(|c| view! { <CostCard c choices=choices.clone() through=through.clone() /> }).collect_view())
        }}
        <section class="card" id="new-cost" aria-labelledby="new-cost-title">
            <h2 id="new-cost-title">"Define a cost per unit"</h2>
            <NewCostForm choices />
        </section>
    }
}

#[component]
fn CostCard(c: UnitCostRow, choices: Choices, through: String) -> impl IntoView {
    let id = format!("cost-{}", c.key);
    let title = format!("{id}-title");
    let labelled_by = title.clone();
    let kpi_href = Page::KpiDetail.href(&[&c.key]);
    let edit_href = Page::KpiEdit.href(&[&c.key]);
    let name = c.name.clone();
    view! {
        <section class="card unit-cost" id=id.clone() aria-labelledby=labelled_by>
            <div class="status-head">
                <h2 id=title><a href=kpi_href.clone()>{c.name.clone()}</a></h2>
                <div class="page-actions">
                    <a class="button secondary small" href=edit_href>"Name and targets"<span class="visually-hidden">{format!(" of {name}")}</span></a>
                    <AskFirst label="Delete" what=name.clone() question=format!("Delete {name} with its KPI and its history?")
                        confirm="Delete it" key=id.clone() action=Action::DeleteUnitCost.endpoint() fields=vec![("key", c.key.clone())] />
                </div>
            </div>
            <p class="meta">{format!("{} {}", c.cost, c.per)}{c.investor_visible.then_some(" · may appear in investor reports")}</p>
            <div class="status-body">
                <p class="kpi-value big">{c.value.clone().unwrap_or_else(|| "—".into())}</p>
                <StatusBadge rag=c.rag short=c.short.clone() />
                <span class="meta">{match &c.target {
                    Some(t) => format!("Target {t} · latest completed month, through {through}"),
                    None => format!("No target yet · latest completed month, through {through}"),
                }}</span>
            </div>
            <MonthTable c=c.clone() />
            <details class="unit-change">
                <summary>"Change what it divides"</summary>
                <DefinitionForm c choices />
            </details>
        </section>
    }
}

/// Not a stacking table: four short columns fit a phone, and twelve stacked months ran for
/// screens.
#[component]
fn MonthTable(c: UnitCostRow) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="unit-months">
                <caption class="visually-hidden">{format!("{}: the last twelve completed months, newest first", c.name)}</caption>
                <thead><tr><th scope="col">"Month"</th><th scope="col" class="num">"Cost"</th><th scope="col" class="num">{c.units.clone()}</th><th scope="col" class="num">"Per unit"</th></tr></thead>
                <tbody>
                    {c.months.into_iter().map(|m| view! {
                        <tr>
                            <th scope="row">{m.month}</th>
                            <td class="num">{m.cost}</td>
                            <td class="num">{m.units}</td>
                            <td class="num">{m.per_unit}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn per_units_choices() -> Vec<(String, String)> {
    PER_UNITS.iter().map(|(n, label)| (n.to_string(), label.to_string())).collect()
}

/// Cost, system and denominator: the fields a new cost and a changed one share.
#[component]
fn DefinitionFields(posted: Posted, basis: String, system: String, per: String, per_units: String, choices: Choices, prefix: String) -> impl IntoView {
    let error = posted.error();
    view! {
        <SelectField label="Cost" name="basis" options=CostBasis::choices().collect() selected=posted.value("basis", basis) error id_prefix=prefix.clone() />
        <SelectField label="System" name="system" options=pairs(&choices.systems, Some("Only for one system's cost")) selected=posted.value("system", system) error id_prefix=prefix.clone()
            hint="Its cloud cost, the contracts that pay for it and the people time on initiatives that touch it." />
        <SelectField label="Divided by" name="per" options=pairs(&choices.denominators, Some("Choose a KPI…")) selected=posted.value("per", per) error id_prefix=prefix.clone()
            hint="A business figure: customers, orders, API calls. Its value over each month is used, as the KPI sums it up." />
        <SelectField label="Per" name="per_units" options=per_units_choices() selected=posted.value("per_units", per_units) error id_prefix=prefix />
    }
}

#[component]
fn DefinitionForm(c: UnitCostRow, choices: Choices) -> impl IntoView {
    let posted = Posted::to(Action::SaveUnitCost.endpoint());
    // Only the card whose form was sent shows what came back.
    let mine = posted.value("kpi", String::new()) == c.key;
    let posted = if mine { posted } else { Posted::default() };
    let error = posted.error();
    let prefix = format!("{}-", c.key);
    view! {
        <form method="post" action=Action::SaveUnitCost.endpoint() novalidate class="unit-form">
            <input type="hidden" name="kpi" value=c.key.clone() />
            <FormError error />
            <div class="form-grid">
                <DefinitionFields posted basis=c.basis system=c.system per=c.per_kpi per_units=c.per_units choices prefix />
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">"Save and compute again"</button>
            </div>
        </form>
    }
}

#[component]
fn NewCostForm(choices: Choices) -> impl IntoView {
    let posted = Posted::to(Action::SaveUnitCost.endpoint());
    let mine = posted.value("kpi", String::new()).is_empty();
    let posted = if mine { posted } else { Posted::default() };
    let error = posted.error();
    view! {
        <form method="post" action=Action::SaveUnitCost.endpoint() novalidate class="unit-form">
            <input type="hidden" name="kpi" value="" />
            <FormError error />
            <div class="form-grid">
                <TextField label="Name" name="name" value=posted.value("name", String::new()) error required=true maxlength=120
                    hint="Such as Cloud cost per customer; the KPI's key is made from it." />
                <DefinitionFields posted=posted.clone() basis="cloud".into() system=String::new() per=String::new() per_units="1".into() choices prefix="new-".into() />
            </div>
            <fieldset class="thresholds">
                <legend>"Target (optional)"</legend>
                <p class="hint">"Lower is better. Green while no worse than the amber threshold; red from the red threshold on. Leave all three empty to set a target later on the KPI's page."</p>
                <div class="form-grid three">
                    <TextField label="Target" name="target" value=posted.value("target", String::new()) error />
                    <TextField label="Amber threshold" name="amber" value=posted.value("amber", String::new()) error />
                    <TextField label="Red threshold" name="red" value=posted.value("red", String::new()) error />
                </div>
            </fieldset>
            <div class="field checkbox">
                <input type="checkbox" id="unit-investor-visible" name="investor_visible" value="on" checked=posted.checked("investor_visible", false) />
                <label for="unit-investor-visible">"May appear in investor reports"</label>
            </div>
            <div class="form-actions">
                <button type="submit" class="button primary">"Add cost per unit"</button>
            </div>
        </form>
    }
}
