//! The capitalization report: per month, quarter and initiative, the labour that may be
//! capitalized (a team's loaded cost × its share of effort on an initiative × the share of the
//! month the initiative spent in its development stage), and the rest of the people cost,
//! which is expensed. The CTO closes months; a closed month's lines are stored as they were
//! and read from there ever after, so an auditor's figure never changes.

use super::super::capex::{capitalizable, CapLine, Stage};
use super::super::repo::people as repo;
use super::super::view::{CapInitiative, CapLineView, CapMonth, CapTotals, CapitalizationView};
use super::people::{cost_in, group_role_sets, parse_month};
use crate::auth::User;
use crate::budget::model::{FiscalCalendar, Month};
use crate::platform::audit::Entry;
use crate::platform::csv::CsvWriter;
use crate::platform::db::{begin_write, now_unix};
use crate::platform::error::AppError;
use crate::platform::money::{self, Currency};
use crate::platform::state::AppState;
use crate::platform::time::{date_of, today};
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap};

/// One month's figures: every team's people cost, and the capitalizable lines.
#[derive(Clone, Debug, Default)]
struct MonthFigures {
    people: i64,
    lines: Vec<CapLine>,
    /// (closed by, closed at) for a closed month.
    closed: Option<(String, i64)>,
}

impl MonthFigures {
    fn capitalized(&self) -> i64 {
        money::sum(self.lines.iter().map(|l| l.capitalized))
    }
}

/// Computes months from the teams, their shares and the initiatives' stages as they are now.
async fn compute(db: &mut SqliteConnection, months: &[Month]) -> Result<BTreeMap<i64, MonthFigures>, AppError> {
    let mut out: BTreeMap<i64, MonthFigures> = months.iter().map(|m| (m.code(), MonthFigures::default())).collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return Ok(out) };
    let teams: HashMap<i64, String> = repo::teams(&mut *db, None).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let sets = group_role_sets(repo::role_sets(&mut *db, None).await?);
    let stages: HashMap<i64, (String, Stage)> = repo::capitalizable(&mut *db)
        .await?
        .into_iter()
        .filter_map(|(id, title, from, until)| {
            let from = from.parse().ok()?;
            Some((id, (title, Stage { from, until: until.and_then(|u| u.parse().ok()) })))
        })
        .collect();
    for m in months {
        if let Some(f) = out.get_mut(&m.code()) {
            f.people = money::sum(teams.keys().map(|t| cost_in(&sets, *t, m.code()).1));
        }
    }
    for s in repo::shares(&mut *db, None, (first.code(), last.code())).await? {
        let (Some(initiative), Some(f)) = (s.initiative_id, out.get_mut(&s.month)) else { continue };
        let Some((title, stage)) = stages.get(&initiative) else { continue };
        let month = Month::from_code(s.month);
        let days = stage.days_in(month);
        if days == 0 {
            continue;
        }
        let loaded = cost_in(&sets, s.team_id, s.month).1;
        let pct = u8::try_from(s.pct).unwrap_or(100);
        f.lines.push(CapLine {
            month: s.month,
            team_id: s.team_id,
            team: teams.get(&s.team_id).cloned().unwrap_or_default(),
            initiative_id: initiative,
            initiative: title.clone(),
            loaded_cost: loaded,
            pct,
            days,
            month_days: month.days(),
            capitalized: capitalizable(loaded, pct, days, month.days()),
        });
    }
    for f in out.values_mut() {
        f.lines.sort_by(|a, b| a.initiative.cmp(&b.initiative).then_with(|| a.team.cmp(&b.team)));
    }
    Ok(out)
}

/// The months of a fiscal year: closed ones as stored, open ones computed.
async fn year_figures(db: &mut SqliteConnection, cal: FiscalCalendar, fy: i32) -> Result<BTreeMap<i64, MonthFigures>, AppError> {
    let months = cal.months(fy);
    let closes = repo::closes(&mut *db, (months[0].code(), months[11].code())).await?;
    let open: Vec<Month> = months.iter().copied().filter(|m| !closes.iter().any(|c| c.month == m.code())).collect();
    let mut out = compute(&mut *db, &open).await?;
    for c in closes {
        let lines: Vec<CapLine> = serde_json::from_str(&c.lines).map_err(|_| AppError::Internal)?;
        out.insert(c.month, MonthFigures { people: c.people_cost_minor, lines, closed: Some((c.closed_by.unwrap_or_else(|| "a former user".into()), c.closed_at)) });
    }
    Ok(out)
}

fn totals(label: String, people: i64, capitalized: i64, cur: Currency) -> CapTotals {
    CapTotals { label, people: cur.format(people), capitalized: cur.format(capitalized), expensed: cur.format(people.saturating_sub(capitalized)) }
}

fn stage_text(from: &str, until: Option<&str>) -> String {
    match until {
        Some(u) => format!("Development {from} to {u}"),
        None => format!("In development since {from}"),
    }
}

pub async fn capitalization(st: &AppState, year: &str) -> Result<CapitalizationView, AppError> {
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, fy) = crate::budget::service::fiscal_year(&mut db, year).await?;
    let figures = year_figures(&mut db, cal, fy).await?;
    let this_month = Month::of(today()).code();
    let months: Vec<CapMonth> = figures
        .iter()
        .map(|(code, f)| {
            let state = match &f.closed {
                Some((by, at)) => format!("Closed on {} by {by}", date_of(*at)),
                None if *code >= this_month => "Not over yet".into(),
                None => "Open".into(),
            };
            CapMonth { code: *code, label: Month::from_code(*code).label(), totals: totals(String::new(), f.people, f.capitalized(), cur), state, closed: f.closed.is_some() }
        })
        .collect();
    let quarter_of = |code: i64| cal.quarter(Month::from_code(code)) - 1;
    let mut q = [(0i64, 0i64); 4];
    for (code, f) in &figures {
        let i = quarter_of(*code);
        q[i] = (q[i].0.saturating_add(f.people), q[i].1.saturating_add(f.capitalized()));
    }
    let fiscal = cal.months(fy);
    let quarters = (0..4).map(|i| totals(format!("Q{} ({} – {})", i + 1, fiscal[i * 3].label(), fiscal[i * 3 + 2].label()), q[i].0, q[i].1, cur)).collect();
    let stages: HashMap<i64, String> = repo::capitalizable(&mut db).await?.into_iter().map(|(id, _, f, u)| (id, stage_text(&f, u.as_deref()))).collect();
    let mut by_initiative: BTreeMap<(String, i64), [i64; 4]> = BTreeMap::new();
    for l in figures.values().flat_map(|f| &f.lines) {
        let slot = &mut by_initiative.entry((l.initiative.clone(), l.initiative_id)).or_default()[quarter_of(l.month)];
        *slot = slot.saturating_add(l.capitalized);
    }
    let initiatives = by_initiative
        .into_iter()
        .map(|((title, id), qs)| CapInitiative {
            id,
            title,
            stage: stages.get(&id).cloned().unwrap_or_else(|| "No longer capitalizable".into()),
            quarters: qs.iter().map(|v| cur.format(*v)).collect(),
            total: cur.format(money::sum(qs)),
        })
        .collect();
    let lines = figures
        .values()
        .flat_map(|f| f.lines.iter().map(move |l| (l, f.closed.is_some())))
        .map(|(l, closed)| CapLineView {
            month: Month::from_code(l.month).label(),
            team: l.team.clone(),
            initiative: l.initiative.clone(),
            loaded_cost: cur.format(l.loaded_cost),
            pct: format!("{} %", l.pct),
            days: format!("{} of {}", l.days, l.month_days),
            capitalized: cur.format(l.capitalized),
            closed,
        })
        .collect();
    let (people, capitalized) = (money::sum(figures.values().map(|f| f.people)), money::sum(figures.values().map(MonthFigures::capitalized)));
    let closed_through = repo::closed_through(&mut db).await?.unwrap_or(0);
    let closable = fiscal.iter().filter(|m| m.code() < this_month && m.code() > closed_through).map(|m| (m.code(), m.label())).collect();
    Ok(CapitalizationView {
        fiscal_year: fy,
        fiscal_label: cal.describe(fy),
        years: crate::budget::service::year_list(&mut db, cal, fy).await?,
        months,
        quarters,
        total: totals(format!("FY{fy}"), people, capitalized, cur),
        initiatives,
        lines,
        closable,
    })
}

/// Closes every open month up to `through`, which must be over. Answers what the page says.
pub async fn close_months(st: &AppState, cto: &User, through: &str) -> Result<String, AppError> {
    let through = parse_month(through).map_err(|e| AppError::field("through", e))?;
    if through.code() >= Month::of(today()).code() {
        return Err(AppError::field("through", format!("{} is not over yet; a month can be closed once it has ended.", through.label())));
    }
    let mut tx = begin_write(&st.pool).await?;
    let closed = repo::closed_through(&mut tx).await?;
    if closed.is_some_and(|c| through.code() <= c) {
        return Err(AppError::conflict(format!("{} is already closed.", through.label())));
    }
    let cur = st.config.currency;
    let (count, people, capitalized) = freeze(&mut tx, through, Some(cto.id), (today(), cur)).await?;
    Entry::new(&cto.actor(), "strategy", "close_capitalization")
        .object("capitalization", through.code(), format!("Capitalization through {}", through.label()))
        .change("closed through", closed.map(|c| Month::from_code(c).label()), Some(through.label()))
        .change("capitalized", None, Some(cur.format(capitalized)))
        .change("people cost", None, Some(cur.format(people)))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(if count == 1 {
        format!("Closed {}: {} capitalized. Its figures are frozen.", through.label(), cur.format(capitalized))
    } else {
        format!("Closed {count} months through {}: {} capitalized. Their figures are frozen.", through.label(), cur.format(capitalized))
    })
}

/// Stores every open month through `through` as computed now. Answers (months closed, people
/// cost, capitalized). The caller checks that `through` is over and not closed yet.
pub(crate) async fn freeze(db: &mut SqliteConnection, through: Month, by: Option<i64>, (today, cur): (chrono::NaiveDate, crate::platform::money::Currency)) -> Result<(usize, i64, i64), AppError> {
    // The Staff actuals of a closed month stay as they are when it closes: bring them up to
    // date first.
    super::people_cost::book(&mut *db, today, cur, "through").await?;
    let closed = repo::closed_through(&mut *db).await?;
    // From the month after the last close, else from the first month anything was recorded.
    let first: Option<i64> = match closed {
        Some(c) => Some(Month::from_code(c).next().code()),
        None => sqlx::query_scalar("SELECT min(m) FROM (SELECT min(month) AS m FROM time_allocations UNION ALL SELECT min(from_month) FROM team_role_sets)").fetch_one(&mut *db).await?,
    };
    let mut months = Vec::new();
    let mut m = first.map_or(through, Month::from_code).min(through);
    while m <= through {
        months.push(m);
        m = m.next();
    }
    let figures = compute(&mut *db, &months).await?;
    let now = now_unix();
    let (mut people, mut capitalized) = (0i64, 0i64);
    for (code, f) in &figures {
        let lines = serde_json::to_string(&f.lines).map_err(|_| AppError::Internal)?;
        repo::insert_close(&mut *db, *code, &lines, (f.people, f.capitalized()), by, now).await?;
        people = people.saturating_add(f.people);
        capitalized = capitalized.saturating_add(f.capitalized());
    }
    Ok((figures.len(), people, capitalized))
}

/// Every line of a fiscal year's report, for the auditor: what was multiplied by what.
pub async fn capitalization_csv(st: &AppState, year: &str) -> Result<(i32, Vec<u8>), AppError> {
    let cur = st.config.currency;
    let mut db = st.pool.acquire().await?;
    let (cal, fy) = crate::budget::service::fiscal_year(&mut db, year).await?;
    let figures = year_figures(&mut db, cal, fy).await?;
    let mut out = CsvWriter::new();
    out.row(["month", "quarter", "team", "initiative", "loaded_cost", "effort_pct", "days_in_stage", "days_in_month", "capitalized", "status"]);
    for (code, f) in &figures {
        let m = Month::from_code(*code);
        let month = m.iso();
        let quarter = format!("FY{fy} Q{}", cal.quarter(m));
        let status = if f.closed.is_some() { "closed" } else { "open" };
        for l in &f.lines {
            out.row([&month, &quarter, &l.team, &l.initiative, &cur.plain(l.loaded_cost), &l.pct.to_string(), &l.days.to_string(), &l.month_days.to_string(), &cur.plain(l.capitalized), status]);
        }
    }
    Ok((fy, out.finish()))
}
