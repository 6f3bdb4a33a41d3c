//! Expenses: the filtered, paged list with its total and export, the form and the import.

use super::expense_form::ExpenseForm;
use super::import::{ExpenseImport, State as ImportState};
use super::{choice_pairs, BudgetTabs};
use crate::budget::api::{list_expenses, DeleteExpense, ExpenseQuery, SaveExpense};
use crate::budget::model::Kind;
use crate::budget::view::{ExpensePage, ExpenseRow};
use crate::access::Page;
use crate::platform::encode::query_string;
use crate::platform::query::{query, with_query};
use crate::ui::{error_of, notice_of, successes, ConfirmButton, FilterSelect, FormError, LoadError, Notice};
use leptos::prelude::*;
use crate::ui::Title;

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveExpense>,
    delete: ServerAction<DeleteExpense>,
    imported: RwSignal<u32>,
    import: RwSignal<ImportState>,
    editing: RwSignal<Option<ExpenseRow>>,
    deleted: Signal<bool>,
    delete_error: Signal<Option<crate::platform::error::AppError>>,
    /// Set by a save: the list reloads and redraws the form, and focus goes back to its first
    /// field instead of falling to the page body.
    refocus: RwSignal<bool>,
}

#[component]
pub(super) fn ExpensesPage() -> impl IntoView {
    crate::ui::NoticeClock::provide();
    let keys = ["year", "department", "category", "kind", "vendor", "month", "q", "page"].map(query);
    // Actions live above the reloading list, so their messages survive its refresh.
    let delete = ServerAction::new();
    let actions = Actions {
        save: ServerAction::new(),
        delete,
        imported: RwSignal::new(0),
        import: RwSignal::new(ImportState::Idle),
        editing: RwSignal::new(None),
        deleted: Signal::derive(notice_of(delete)),
        delete_error: error_of(delete),
        refocus: RwSignal::new(false),
    };
    Effect::new(move || {
        if matches!(actions.save.value().get(), Some(Ok(_))) {
            actions.editing.set(None);
            actions.refocus.set(true);
        }
    });
    let (saved, deleted) = (successes(actions.save), successes(actions.delete));
    let data = Resource::new(
        move || {
            let q = ExpenseQuery {
                year: keys[0].get(),
                department: keys[1].get(),
                category: keys[2].get(),
                kind: keys[3].get(),
                vendor: keys[4].get(),
                month: keys[5].get(),
                q: keys[6].get(),
                page: keys[7].get(),
            };
            (q, saved.get(), deleted.get(), actions.imported.get())
        },
        |(q, ..)| list_expenses(q),
    );
    view! {
        <Title text="Expenses" />
        <Transition fallback=|| view! { <h1>"Expenses"</h1><p class="loading">"Loading expenses…"</p> }>
            {move || Suspend::new(async move {
                let q = ExpenseQuery {
                    year: keys[0].get_untracked(),
                    department: keys[1].get_untracked(),
                    category: keys[2].get_untracked(),
                    kind: keys[3].get_untracked(),
                    vendor: keys[4].get_untracked(),
                    month: keys[5].get_untracked(),
                    q: keys[6].get_untracked(),
                    page: String::new(),
                };
                match data.await {
                    Ok(p) => view! { <Expenses p q actions /> }.into_any(),
                    Err(e) => view! { <h1>"Expenses"</h1><LoadError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Expenses(p: ExpensePage, q: ExpenseQuery, actions: Actions) -> impl IntoView {
    let Actions { save, delete, imported, import, editing, deleted, delete_error, refocus } = actions;
    if refocus.get_untracked() {
        refocus.set(false);
        crate::ui::focus_soon("x-spent_on");
    }
    let scope = query_string(&[("year", &p.fiscal_year.to_string()), ("department", &q.department)]);
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "CapEx and OpEx".to_string()))
        .chain(Kind::choices())
        .collect();
    let page_link = {
        let q = q.clone();
        let year = p.fiscal_year;
        move |page: i64| {
            let (year, page) = (year.to_string(), page.to_string());
            let pairs = [("year", year.as_str()), ("department", &q.department), ("category", &q.category), ("kind", &q.kind), ("vendor", &q.vendor), ("month", &q.month), ("q", &q.q), ("page", &page)];
            with_query(Page::BudgetExpenses.path(), &pairs)
        }
    };
    let is_cto = p.own_department.is_none();
    let form_options = p.options.clone();
    let (own, year, first_day, last_day) = (p.own_department.clone(), p.fiscal_year, p.first_day.clone(), p.last_day.clone());
    view! {
        <div class="page-head">
            <div>
                <h1>"Expenses"</h1>
                <p class="meta">{p.fiscal_label.clone()}{own.clone().map(|o| format!(" · {}", o.label))}</p>
            </div>
            <div class="page-actions">
                <a class="button secondary" href=format!("/api/budgets/expenses/export.csv?{}", p.export_query) download>"Export CSV"</a>
            </div>
        </div>
        <BudgetTabs query=scope />

        <section class="card" aria-labelledby="add-expense-title">
            <h2 id="add-expense-title">"Add expenses"</h2>
            <div class="two-col">
                {move || {
                    let e = editing.get();
                    view! {
                        <ExpenseForm save options=form_options.clone() own_department=own.clone() year first_day=first_day.clone() last_day=last_day.clone()
                            editing=e on_cancel=Callback::new(move |_| editing.set(None)) />
                    }
                }}
                <ExpenseImport year=p.fiscal_year own_department=p.own_department.clone().map(|o| o.label) changed=imported state=import />
            </div>
        </section>

        <section class="card" aria-labelledby="list-title">
            <h2 id="list-title">"Recorded expenses"</h2>
            <form method="GET" action="" class="filters" aria-label="Filter expenses">
                <input type="hidden" name="year" value=p.fiscal_year.to_string() />
                {is_cto.then(|| view! { <FilterSelect label="Department" id="f-department" name="department" options=choice_pairs(&p.options.departments, Some("All departments")) selected=q.department.clone() /> })}
                <FilterSelect label="Category" id="f-category" name="category" options=choice_pairs(&p.options.categories, Some("All categories")) selected=q.category.clone() />
                <FilterSelect label="Kind" id="f-kind" name="kind" options=kinds selected=q.kind.clone() />
                <FilterSelect label="Month" id="f-month" name="month" options=choice_pairs(&p.options.months, Some("Whole year")) selected=q.month.clone() />
                <div class="field">
                    <label for="f-vendor">"Vendor"</label>
                    <input id="f-vendor" name="vendor" list="vendor-filter" value=q.vendor.clone() />
                    <datalist id="vendor-filter">{p.options.vendors.iter().map(|v| view! { <option value=v.clone()></option> }).collect_view()}</datalist>
                </div>
                <div class="field">
                    <label for="f-q">"Description or invoice"</label>
                    <input id="f-q" name="q" type="search" value=q.q.clone() />
                </div>
                <button type="submit" class="button secondary">"Filter"</button>
            </form>
            <p class="result-count" role="status">{format!("{}, {} in total", crate::ui::plural(p.matched.max(0) as u64, "expense", "expenses"), p.matched_total)}</p>
            <FormError error=delete_error />
            <Notice when=move || deleted.get() text=crate::ui::said_text() />
            {if p.rows.is_empty() {
                view! { <p class="empty">"No expense matches."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="stack expenses">
                            <thead><tr>
                                <th scope="col">"Date"</th><th scope="col">"Department"</th><th scope="col">"Category"</th><th scope="col">"Kind"</th>
                                <th scope="col">"Vendor"</th><th scope="col">"Description"</th><th scope="col">"Invoice"</th><th scope="col" class="num">"Amount"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                {p.rows.into_iter().map(|r| {
                                    let (id, row) = (r.id, r.clone());
                                    // Named as the person would find it in the list: who, how much, when.
                                    let who = if r.vendor.is_empty() { r.description.clone() } else { r.vendor.clone() };
                                    let named = format!("of {} on {} ({who})", r.amount, r.spent_on);
                                    view! {
                                        <tr>
                                            <th scope="row">{r.spent_on}</th>
                                            <td data-label="Department">{r.department}</td>
                                            <td data-label="Category">{r.category}</td>
                                            <td data-label="Kind">{r.kind}</td>
                                            <td data-label="Vendor">{r.vendor}</td>
                                            <td data-label="Description">{r.description}</td>
                                            <td data-label="Invoice">{r.invoice_ref}</td>
                                            <td class="num" data-label="Amount">{r.amount}</td>
                                            <td class="actions">
                                                <button type="button" class="button small secondary" on:click=move |_| { save.value().set(None); editing.set(Some(row.clone())); crate::ui::focus_soon("x-spent_on"); }>"Correct"</button>
                                                <ConfirmButton label="Delete" what=format!("the expense {named}") question=format!("Delete the expense {named}?") confirm="Delete it"
                                                    done=format!("Deleted the expense {named}. The totals no longer include it.")
                                                    on_confirm=move |()| { delete.dispatch(DeleteExpense { id }); } />
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <crate::ui::Pager page=p.page pages=p.pages link=page_link />
        </section>
    }
}
