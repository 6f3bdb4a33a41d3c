//! Expenses: the filtered, paged list with its total and export, the form and the import.

use super::expense_form::ExpenseForm;
use super::{choice_pairs, expense_import, BudgetTabs};
use crate::access::{Action, Page};
use crate::budget::api::{list_expenses, ExpenseQuery};
use crate::budget::model::Kind;
use crate::budget::view::ExpensePage;
use crate::platform::encode::query_string;
use crate::platform::query::{query, with_query};
use crate::ui::{posted_error, AskFirst, FilterSelect, FormError, LoadError, Posted, ReloadWith, Title};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn ExpensesPage() -> impl IntoView {
    let q = ExpenseQuery {
        year: query("year").get_untracked(),
        department: query("department").get_untracked(),
        category: query("category").get_untracked(),
        kind: query("kind").get_untracked(),
        vendor: query("vendor").get_untracked(),
        month: query("month").get_untracked(),
        q: query("q").get_untracked(),
        page: query("page").get_untracked(),
    };
    let data = Resource::new({
        let q = q.clone();
        move || q.clone()
    }, list_expenses);
    view! {
        <Title text="Expenses" />
        <Suspense fallback=|| view! { <h1>"Expenses"</h1><p class="loading">"Loading expenses…"</p> }>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(p) => Either::Left(view! { <Expenses p q /> }),
                        Err(e) => Either::Right(view! { <h1>"Expenses"</h1><LoadError error=e /> }),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Expenses(p: ExpensePage, q: ExpenseQuery) -> impl IntoView {
    let posted = Posted::to(Action::SaveExpense.endpoint());
    let delete_error = Signal::stored(posted_error(Action::DeleteExpense.endpoint()));
    // The expense in the form: the one sent back refused, else the one "Correct" opened.
    let edit = posted.record("edit");
    let editing = p.rows.iter().find(|r| r.id.to_string() == edit).cloned();
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
    let own = p.own_department.clone();
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
                <ExpenseForm options=p.options.clone() own_department=own.clone() year=p.fiscal_year first_day=p.first_day.clone() last_day=p.last_day.clone()
                    editing posted />
                {expense_import(p.fiscal_year, own.map(|o| o.label))}
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
            {if p.rows.is_empty() {
                Either::Left(view! { <p class="empty">"No expense matches."</p> })
            } else {
                Either::Right(view! {
                    <div class="table-wrap">
                        <table class="stack expenses">
                            <thead><tr>
                                <th scope="col">"Date"</th><th scope="col">"Department"</th><th scope="col">"Category"</th><th scope="col">"Kind"</th>
                                <th scope="col">"Vendor"</th><th scope="col">"Description"</th><th scope="col">"Invoice"</th><th scope="col" class="num">"Amount"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                {p.rows.into_iter().map(|r| {
                                    let role = crate::auth::use_user().map(|u| u.role);
                                    let id = r.id;
                                    let key = format!("expense-{id}");
                                    // Named as the person would find it in the list: who, how much, when.
                                    let named = r.named();
                                    view! {
                                        <tr id=key.clone()>
                                            <th scope="row">{r.spent_on}</th>
                                            <td data-label="Department">{r.department}</td>
                                            <td data-label="Category">{r.category}</td>
                                            <td data-label="Kind">{r.kind}</td>
                                            <td data-label="Vendor">{r.vendor}</td>
                                            <td data-label="Description">{r.description}{r.initiative_id.map(|iid| view! { <span class="meta">"For "<a href=crate::access::Page::Initiative.href(&[&iid])>{r.initiative.clone()}</a></span> })}{(!r.investment.is_empty()).then(|| view! { <span class="meta">{r.investment.clone()}</span> })}</td>
                                            <td data-label="Invoice">{r.invoice_ref}</td>
                                            <td class="num" data-label="Amount">{r.amount}</td>
                                            <td class="actions">
                                                {if let Some((label, page, _)) = crate::budget::view::kept_source(&r.source) {
                                                    // Kept from its source: corrected where that is kept.
                                                    leptos::either::Either::Left(match page.audience().admits(role) {
                                                        true => view! { <a class="meta" href=page.path()>{label}</a> }.into_any(),
                                                        false => view! { <span class="meta">{label}</span> }.into_any(),
                                                    })
                                                } else {
                                                    leptos::either::Either::Right(view! {
                                                        <ReloadWith label="Correct" what=format!("the expense {named}") name="edit" value=id.to_string() anchor="expense-form" />
                                                        <AskFirst label="Delete" what=format!("the expense {named}") question=format!("Delete the expense {named}?") confirm="Delete it"
                                                            key=key.clone() action=Action::DeleteExpense.endpoint() fields=vec![("id", id.to_string())] />
                                                    })
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })
            }}
            <crate::ui::Pager page=p.page pages=p.pages link=page_link />
        </section>
    }
}
