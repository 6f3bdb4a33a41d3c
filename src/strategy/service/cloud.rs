//! Cloud cost: storing a checked FOCUS file, and mapping every stored line with the rules.
//! A file replaces the months it holds for each of its providers, so importing a month again
//! (a corrected export, the month's final bill) never counts it twice. Whenever lines or rules
//! change, every line is mapped again and the Cloud expenses are written again from the
//! mapped lines, in the same transaction: the budget never disagrees with this page.

use super::super::focus::{tag_pairs, CostLine, Parsed};
use super::super::mapping::{first_match, Attrs, MatchOn, Matcher};
use super::super::repo::cloud::{self as repo, LineKey, NewImport, RuleRecord};
use super::super::view::CloudImportReport;
use crate::budget::model::Month;
use crate::budget::service::KeptExpense;
use crate::platform::error::AppError;
use crate::platform::money::{self, Currency};
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::{BTreeSet, HashMap};

/// The budget category mapped cloud cost is booked under.
pub const CLOUD_CATEGORY: &str = "Cloud";
const ORIGIN: &str = "cloud";

pub(super) fn matcher(r: &RuleRecord) -> Option<Matcher> {
    Some(Matcher { on: MatchOn::parse(&r.match_on)?, key: r.tag_key.clone(), value: r.match_value.clone() })
}

/// The rules as stored, in priority order, deciding lines: a line's tags are read once per
/// distinct tags text, since a few texts repeat across thousands of lines.
struct Rules {
    rules: Vec<(Matcher, RuleRecord)>,
    tags: HashMap<String, Vec<(String, String)>>,
}

impl Rules {
    async fn load(db: &mut SqliteConnection) -> Result<Rules, AppError> {
        let rules = repo::rules(&mut *db).await?.into_iter().filter_map(|r| matcher(&r).map(|m| (m, r))).collect();
        Ok(Rules { rules, tags: HashMap::new() })
    }

    /// The id of the rule that decides a line, if any.
    fn decide(&mut self, provider: &str, account_id: &str, account_name: &str, service: &str, tags: &str) -> Option<i64> {
        if !self.tags.contains_key(tags) {
            self.tags.insert(tags.to_string(), tag_pairs(tags));
        }
        let tags = &self.tags[tags];
        first_match(&self.rules, &Attrs { provider, account_id, account_name, service, tags }).map(|r| r.id)
    }
}

/// "Sep – Oct 2026", "Oct 2026", "Dec 2025 – Jan 2026".
pub(super) fn period(first: Month, last: Month) -> String {
    match (first == last, first.year == last.year) {
        (true, _) => first.label(),
        (false, true) => format!("{} – {}", first.short(), last.label()),
        (false, false) => format!("{} – {}", first.label(), last.label()),
    }
}

/// The (provider, month) periods a file holds.
fn periods(lines: &[CostLine]) -> Vec<(String, i64)> {
    let set: BTreeSet<(String, i64)> = lines.iter().map(|l| (l.provider.clone(), l.month.code())).collect();
    set.into_iter().collect()
}

/// What a checked file would do: its totals, what the rules leave unmapped, what it replaces.
pub async fn report(db: &mut SqliteConnection, parsed: Parsed, cur: Currency) -> Result<CloudImportReport, AppError> {
    let mut r = CloudImportReport { rows: parsed.rows, errors: parsed.errors, error_count: parsed.error_count, ..Default::default() };
    if r.error_count > 0 {
        return Ok(r);
    }
    let lines = parsed.lines;
    let mut rules = Rules::load(&mut *db).await?;
    let unmatched: Vec<&CostLine> = lines.iter().filter(|l| rules.decide(&l.provider, &l.account_id, &l.account_name, &l.service, &l.tags).is_none()).collect();
    r.lines = lines.len() as u64;
    r.unmatched_lines = unmatched.len() as u64;
    r.unmatched = cur.format(money::sum(unmatched.iter().map(|l| l.effective)));
    r.billed = cur.format(money::sum(lines.iter().map(|l| l.billed)));
    r.effective = cur.format(money::sum(lines.iter().map(|l| l.effective)));
    if let (Some(first), Some(last)) = (lines.iter().map(|l| l.month).min(), lines.iter().map(|l| l.month).max()) {
        r.period = period(first, last);
    }
    let providers: BTreeSet<&str> = lines.iter().map(|l| l.provider.as_str()).collect();
    r.providers = providers.into_iter().map(str::to_string).collect();
    r.replaces = replaced(&mut *db, &lines).await?;
    Ok(r)
}

/// The periods already imported that `lines` would replace: "AWS, Oct 2026".
async fn replaced(db: &mut SqliteConnection, lines: &[CostLine]) -> Result<Vec<String>, AppError> {
    Ok(repo::imported_periods(&mut *db, &periods(lines)).await?.into_iter().map(|(p, m)| format!("{p}, {}", Month::from_code(m).label())).collect())
}

/// Stores a clean file in the caller's transaction: the periods it holds are replaced, then
/// every line is mapped again. Answers the import's id.
pub(crate) async fn store(db: &mut SqliteConnection, parsed: &Parsed, file_name: &str, by: Option<i64>, today: NaiveDate, cur: Currency) -> Result<i64, AppError> {
    let lines = &parsed.lines;
    let (Some(first), Some(last)) = (lines.iter().map(|l| l.month).min(), lines.iter().map(|l| l.month).max()) else {
        return Err(AppError::field("file", "The file has no cost rows."));
    };
    repo::delete_periods(&mut *db, &periods(lines)).await?;
    let providers: BTreeSet<&str> = lines.iter().map(|l| l.provider.as_str()).collect();
    let import = NewImport {
        file_name,
        rows: parsed.rows,
        billed: money::sum(lines.iter().map(|l| l.billed)),
        effective: money::sum(lines.iter().map(|l| l.effective)),
        first_month: first.code(),
        last_month: last.code(),
        providers: providers.into_iter().collect::<Vec<_>>().join(", "),
        by,
        at: crate::platform::db::now_unix(),
    };
    let id = repo::insert_import(&mut *db, &import, lines).await?;
    remap(&mut *db, today, cur).await?;
    Ok(id)
}

/// Maps every stored line with the rules as they are, then writes the Cloud expenses again.
pub(crate) async fn remap(db: &mut SqliteConnection, today: NaiveDate, cur: Currency) -> Result<(), AppError> {
    let mut rules = Rules::load(&mut *db).await?;
    let keys: Vec<LineKey> = repo::line_keys(&mut *db).await?;
    // Every line is written, not only those whose rule changed: an edited rule keeps its id
    // but may name another department.
    let mut moves: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
    for k in &keys {
        let rule = rules.decide(&k.provider, &k.account_id, &k.account_name, &k.service, &k.tags);
        moves.entry(rule).or_default().push(k.id);
    }
    let by_id: HashMap<i64, &RuleRecord> = rules.rules.iter().map(|(_, r)| (r.id, r)).collect();
    for (rule, ids) in moves {
        repo::set_mapping(&mut *db, &ids, rule.and_then(|r| by_id.get(&r).copied())).await?;
    }
    let rows: Vec<KeptExpense> = repo::mapped_months(&mut *db)
        .await?
        .into_iter()
        .map(|(month, department_id, provider, investment_id, amount)| KeptExpense {
            month: Month::from_code(month),
            department_id,
            description: format!("{provider} cost, {} (FOCUS import)", Month::from_code(month).label()),
            vendor: Some(provider),
            amount,
            investment_id,
        })
        .collect();
    crate::budget::service::replace_kept_expenses(&mut *db, (ORIGIN, crate::budget::service::KeptSpan::All), (CLOUD_CATEGORY, "file"), &rows, today, cur).await
}

/// The largest FOCUS file taken: a month of a large estate's hourly export, gzip undone.
pub const MAX_FOCUS_BYTES: u64 = 4 << 30;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ImportParams {
    /// The file's name, for the list of imports.
    #[serde(default)]
    pub name: String,
    /// Absent: only check the file. "1": check it and, when it is clean, store it.
    #[serde(default)]
    pub commit: String,
}

/// `POST /api/strategy/cloud/import?name=…[&commit=1]`: the body is the CSV file. Answers the
/// report, with 422 when the file has errors.
pub async fn import(
    axum::extract::State(st): axum::extract::State<crate::platform::state::AppState>,
    axum::extract::Query(params): axum::extract::Query<ImportParams>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    let res = run_import(&st, &params, req).await;
    st.metrics.answer_import("focus_csv", params.commit == "1", started, res, |r| r.error_count > 0)
}

async fn run_import(st: &crate::platform::state::AppState, params: &ImportParams, req: axum::extract::Request) -> Result<CloudImportReport, AppError> {
    let user = crate::auth::guard::route_caller(crate::access::Route::CloudImport, req.extensions().get::<crate::auth::Caller>())?;
    let file_name = crate::platform::validate::required_text(&params.name, "file name", 200).unwrap_or_else(|_| "FOCUS export".into());
    // Beside the database, not in /tmp: that is often memory (tmpfs), and the file may be GBs.
    let spool = tempfile::NamedTempFile::new_in(st.config.data_dir()).map_err(|e| {
        tracing::error!(error = %e, "cannot create a file for an upload");
        AppError::Internal
    })?;
    crate::platform::spool::to_file(req.into_body(), spool.path(), MAX_FOCUS_BYTES).await?;
    let (cur, today) = (st.config.currency, crate::platform::time::today());
    let path = spool.path().to_path_buf();
    let parsed = tokio::task::spawn_blocking(move || std::fs::File::open(path).map(|f| super::super::focus::parse(std::io::BufReader::with_capacity(1 << 20, f), cur, today)))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|_| AppError::Internal)?;
    drop(spool);
    if parsed.error_count > 0 || params.commit != "1" {
        let mut db = st.pool.acquire().await?;
        return report(&mut db, parsed, cur).await;
    }
    let mut tx = crate::platform::db::begin_write(&st.pool).await?;
    let replaces = replaced(&mut tx, &parsed.lines).await?;
    let id = store(&mut tx, &parsed, &file_name, Some(user.id), today, cur).await?;
    let mut r = report(&mut tx, Parsed { rows: parsed.rows, lines: parsed.lines, ..Default::default() }, cur).await?;
    r.replaces = replaces;
    crate::platform::audit::Entry::new(&user.actor(), "strategy", "import_cloud_cost")
        .object("cloud_import", id, file_name.clone())
        .detail(format!(
            "{} rows, {} ({}), {} effective cost, {} not mapped; replaced: {}",
            r.rows,
            r.period,
            r.providers.join(", "),
            r.effective,
            r.unmatched,
            if r.replaces.is_empty() { "nothing".to_string() } else { r.replaces.join("; ") }
        ))
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    st.changes.tell(crate::platform::changes::Changed::Budget(None));
    r.imported = true;
    Ok(r)
}
