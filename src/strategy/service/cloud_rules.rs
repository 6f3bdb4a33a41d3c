//! The cloud cost page and the CTO's mapping rules: adding, changing and removing a rule, or
//! making one from a line no rule matches yet. Each change maps every line again.

use super::super::focus::tag_pairs;
use super::super::mapping::MatchOn;
use super::super::repo::cloud::{self as repo, RuleRecord};
use super::super::repo::{CATEGORIES, SYSTEMS};
use super::super::view::{CloudImportRow, CloudMonthRow, CloudOwnerRow, CloudRuleInput, CloudRuleRow, CloudView, MapLineInput, UnmatchedLine};
use super::cloud::{matcher, period, remap};
use crate::auth::User;
use crate::budget::model::Month;
use crate::budget::view::Choice;
use crate::platform::audit::Entry;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::{parse_id, AppError, Problems};
use crate::platform::money::{self, Currency};
use crate::platform::state::AppState;
use crate::platform::time::{date_of, today};
use crate::platform::validate::required_text;
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Unmatched lines the page lists, largest first.
const UNMATCHED_SHOWN: i64 = 50;
const VALUE_MAX: usize = 200;
const PRIORITY_MAX: i64 = 1_000_000;

fn choices(list: &[(i64, String)]) -> Vec<Choice> {
    crate::budget::service::choices(list)
}

pub async fn page(st: &AppState) -> Result<CloudView, AppError> {
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let departments = crate::budget::service::departments(&mut db, None).await?;
    let systems = crate::platform::db::choices(&mut db, SYSTEMS).await?;
    let investments = crate::platform::db::choices(&mut db, CATEGORIES).await?;
    let name = |list: &[(i64, String)], id: Option<i64>| id.and_then(|id| list.iter().find(|x| x.0 == id)).map(|x| x.1.clone()).unwrap_or_default();
    let all_months = repo::months(&mut db).await?;
    let shown = &all_months[all_months.len().saturating_sub(13)..];
    let months: Vec<CloudMonthRow> = shown
        .iter()
        .map(|(m, billed, effective, unmatched)| CloudMonthRow {
            month: Month::from_code(*m).label(),
            billed: cur.format(*billed),
            effective: cur.format(*effective),
            mapped: cur.format(effective - unmatched),
            unmatched: cur.format(*unmatched),
        })
        .collect();
    let owners = match shown.first() {
        Some((from, ..)) => owners(&mut db, *from, cur).await?,
        None => Vec::new(),
    };
    let matched: HashMap<i64, i64> = repo::matched_by_rule(&mut db).await?.into_iter().collect();
    let rules = repo::rules(&mut db)
        .await?
        .into_iter()
        .map(|r| CloudRuleRow {
            id: r.id,
            priority: r.priority,
            matcher: matcher(&r).map(|m| m.describe()).unwrap_or_default(),
            match_on: r.match_on.clone(),
            tag_key: r.tag_key.clone(),
            value: r.match_value.clone(),
            department_id: r.department_id,
            department: name(&departments, Some(r.department_id)),
            system_id: r.system_id.map(|s| s.to_string()).unwrap_or_default(),
            system: name(&systems, r.system_id),
            investment_id: r.investment_category_id.map(|s| s.to_string()).unwrap_or_default(),
            investment: name(&investments, r.investment_category_id),
            matched: cur.format(matched.get(&r.id).copied().unwrap_or(0)),
        })
        .collect();
    let unmatched_rows = repo::unmatched(&mut db, UNMATCHED_SHOWN).await?;
    let unmatched_total = money::sum(all_months.iter().map(|m| m.3));
    Ok(CloudView {
        months,
        owners,
        imports: imports(&mut db, cur).await?,
        rules,
        unmatched: unmatched_rows.into_iter().map(|u| unmatched_line(u, cur)).collect(),
        unmatched_total: cur.format(unmatched_total),
        departments: choices(&departments),
        systems: choices(&systems),
        investments: choices(&investments),
        next_priority: repo::next_priority(&mut db).await?,
    })
}

async fn owners(db: &mut SqliteConnection, from: i64, cur: Currency) -> Result<Vec<CloudOwnerRow>, AppError> {
    let rows = repo::owners(&mut *db, from).await?;
    let total = money::sum(rows.iter().map(|r| r.3)).max(1);
    Ok(rows
        .into_iter()
        .map(|(department, system, investment, amount)| CloudOwnerRow {
            department,
            system: system.unwrap_or_default(),
            investment: investment.unwrap_or_default(),
            effective: cur.format(amount),
            share: format!("{:.1} %", amount as f64 * 100.0 / total as f64),
        })
        .collect())
}

async fn imports(db: &mut SqliteConnection, cur: Currency) -> Result<Vec<CloudImportRow>, AppError> {
    Ok(repo::imports(&mut *db)
        .await?
        .into_iter()
        .map(|i| CloudImportRow {
            id: i.id,
            file: i.file_name,
            period: period(Month::from_code(i.first_month), Month::from_code(i.last_month)),
            providers: i.providers,
            rows: money::group_thousands(i.rows.max(0) as u64),
            effective: cur.format(i.effective_minor),
            by: i.by.unwrap_or_default(),
            at: date_of(i.imported_at).to_string(),
        })
        .collect())
}

type UnmatchedRow = (i64, String, String, String, String, String, i64, i64, i64);

fn unmatched_line((id, provider, account_id, account_name, service, tags, first, last, effective): UnmatchedRow, cur: Currency) -> UnmatchedLine {
    let tags = tag_pairs(&tags);
    let account = match (account_id.as_str(), account_name.as_str()) {
        ("", "") => String::new(),
        (id, "") => id.to_string(),
        ("", name) => name.to_string(),
        (id, name) => format!("{id} ({name})"),
    };
    let mut options: Vec<Choice> = tags.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| Choice { value: format!("tag:{k}"), label: format!("Tag {k} = {v}") }).collect();
    if !account.is_empty() {
        options.push(Choice { value: "account".into(), label: format!("Account {account}") });
    }
    options.push(Choice { value: "service".into(), label: format!("Service {service}") });
    options.push(Choice { value: "provider".into(), label: format!("Provider {provider}") });
    UnmatchedLine { id, provider, account, service, tags, period: period(Month::from_code(first), Month::from_code(last)), effective: cur.format(effective), options }
}

/// The department, system and investment category a rule's form names, checked at each field.
async fn target(db: &mut SqliteConnection, p: &mut Problems, department: &str, system: &str, investment: &str) -> Result<(i64, Option<i64>, Option<i64>), AppError> {
    let department = match department.trim().parse::<i64>() {
        Ok(d) if crate::budget::service::departments(&mut *db, Some(d)).await?.len() == 1 => d,
        _ => {
            p.add("department", "Choose the department this cost belongs to.");
            0
        }
    };
    let mut optional = async |field: &str, text: &str, sql: &str, noun: &str| -> Result<Option<i64>, AppError> {
        Ok(match text.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(id) if crate::platform::db::is_choice(&mut *db, sql, id).await? => Some(id),
                _ => {
                    p.add(field, format!("Choose one of the {noun}, or none."));
                    None
                }
            },
        })
    };
    let system = optional("system", system, SYSTEMS, "systems").await?;
    let investment = optional("investment", investment, CATEGORIES, "investment categories").await?;
    Ok((department, system, investment))
}

fn rule_label(r: &RuleRecord) -> String {
    matcher(r).map(|m| m.describe()).unwrap_or_default()
}

/// Adds or changes a rule; answers what to say.
pub async fn save_rule(st: &AppState, cto: &User, input: CloudRuleInput) -> Result<String, AppError> {
    let id = parse_id(&input.id, "rule")?;
    let mut tx = begin_write(&st.pool).await?;
    let old = match id {
        Some(id) => Some(repo::rule(&mut tx, id).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let mut p = Problems::default();
    let on = MatchOn::parse(&input.match_on);
    if on.is_none() {
        p.add("match_on", "Choose what the rule looks at: a tag, an account, a service or a provider.");
    }
    let tag_key = match on {
        Some(MatchOn::Tag) => p.check("tag_key", required_text(&input.tag_key, "tag name", VALUE_MAX)).unwrap_or_default(),
        _ => String::new(),
    };
    let value = p.check("value", required_text(&input.value, "value to match", VALUE_MAX)).unwrap_or_default();
    let priority = match input.priority.trim() {
        "" => Some(match &old {
            Some(o) => o.priority,
            None => repo::next_priority(&mut tx).await?,
        }),
        t => p.check(
            "priority",
            t.parse::<i64>().ok().filter(|n| (1..=PRIORITY_MAX).contains(n)).ok_or_else(|| format!("Enter a whole number from 1 to {PRIORITY_MAX}; lower numbers are tried first.")),
        ),
    };
    let (department_id, system_id, investment_category_id) = target(&mut tx, &mut p, &input.department, &input.system, &input.investment).await?;
    p.finish()?;
    let rule = RuleRecord {
        id: id.unwrap_or(0),
        priority: priority.unwrap_or(1),
        match_on: on.map(MatchOn::code).unwrap_or_default().to_string(),
        tag_key,
        match_value: value,
        department_id,
        system_id,
        investment_category_id,
    };
    let saved = repo::save_rule(&mut tx, id, &rule, now_unix()).await?;
    remap(&mut tx, today(), st.config.currency).await?;
    Entry::new(&cto.actor(), "strategy", if id.is_some() { "change_cloud_rule" } else { "add_cloud_rule" })
        .object("cloud_rule", saved, rule_label(&rule))
        .change("rule", old.as_ref().map(rule_label), Some(rule_label(&rule)))
        .change("department", old.as_ref().map(|o| o.department_id.to_string()), Some(rule.department_id.to_string()))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Budget(None));
    Ok(format!("Saved the rule {}; the cloud cost is mapped again.", rule_label(&rule)))
}

pub async fn delete_rule(st: &AppState, cto: &User, id: i64) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let rule = repo::rule(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    repo::delete_rule(&mut tx, id).await?;
    remap(&mut tx, today(), st.config.currency).await?;
    Entry::new(&cto.actor(), "strategy", "delete_cloud_rule").object("cloud_rule", id, rule_label(&rule)).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Budget(None));
    Ok(format!("Removed the rule {}; the cloud cost it mapped is mapped again by the others.", rule_label(&rule)))
}

/// A rule from an unmatched line: the line's tag, account, service or provider as `by` says.
pub async fn map_line(st: &AppState, cto: &User, input: MapLineInput) -> Result<String, AppError> {
    let line_id = input.line.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    let line = {
        let mut db = st.pool.acquire().await?;
        repo::line_key(&mut db, line_id).await?.ok_or(AppError::NotFound)?
    };
    let by = input.by.trim();
    let (match_on, tag_key, value) = match by.split_once(':') {
        Some(("tag", key)) => match tag_pairs(&line.tags).into_iter().find(|(k, v)| k == key && !v.is_empty()) {
            Some((k, v)) => ("tag", k, v),
            None => return Err(AppError::field("by", format!("The line has no tag “{key}”; choose one of its own."))),
        },
        _ => match by {
            "account" if !line.account_id.is_empty() => ("account", String::new(), line.account_id.clone()),
            "account" if !line.account_name.is_empty() => ("account", String::new(), line.account_name.clone()),
            "service" => ("service", String::new(), line.service.clone()),
            "provider" => ("provider", String::new(), line.provider.clone()),
            _ => return Err(AppError::field("by", "Choose what the rule matches: one of the line’s tags, its account, service or provider.")),
        },
    };
    let input = CloudRuleInput { id: String::new(), priority: String::new(), match_on: match_on.into(), tag_key, value, department: input.department, system: input.system, investment: input.investment };
    save_rule(st, cto, input).await
}
