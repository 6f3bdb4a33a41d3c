//! The time allocation file: one line per share of a team's month, as a timesheet or planning
//! tool exports it — `team,month,work,percent`, where work names an initiative of the team's
//! department running that month or an investment category (work outside initiatives). Each
//! team and month in the file replaces what was entered for it; its lines must add up to 100.
//! Read whole against what the caller may change; any error, at its line and column, and
//! nothing is kept.

use super::service::people::{closed_message, parse_month};
use crate::budget::model::Month;
use crate::kpi::view::ImportError;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Errors listed in a report; the rest are counted.
pub const ERRORS_SHOWN: usize = 100;
/// Lines of a file: a hundred teams' five shares over fifteen years.
pub const MAX_LINES: u64 = 100_000;
const SAMPLE_ROWS: usize = 10;

/// The teams, initiatives and categories a file may name, as the caller may change them.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// (id, name, department) of the teams in the caller's scope.
    pub teams: Vec<(i64, String, i64)>,
    pub initiatives: Vec<InitiativeSpan>,
    /// (id, name) of the investment categories.
    pub categories: Vec<(i64, String)>,
    /// The last month the capitalization report closed: months up to it cannot change.
    pub closed_through: Option<i64>,
    /// A department head's file may only name their department's teams.
    pub one_department: bool,
}

/// An initiative time can go to in the months its dates cover, unless it is only proposed.
#[derive(Clone, Debug)]
pub struct InitiativeSpan {
    pub id: i64,
    pub title: String,
    pub department_id: i64,
    pub starts: NaiveDate,
    pub target: NaiveDate,
    pub proposed: bool,
}

/// One checked share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Share {
    pub initiative_id: Option<i64>,
    pub category_id: Option<i64>,
    pub pct: i64,
}

#[derive(Debug, Default)]
pub struct Parsed {
    /// Every (team, month) of the file with its shares; empty when anything is wrong.
    pub months: BTreeMap<(i64, i64), Vec<Share>>,
    pub lines: u64,
    pub errors: Vec<ImportError>,
    pub error_count: u64,
    /// The first lines as read: line, team, month, work, percent.
    pub sample: Vec<Vec<String>>,
}

impl Parsed {
    fn fail(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.error_count += 1;
        if self.errors.len() < ERRORS_SHOWN {
            self.errors.push(ImportError { line, column: column.into(), message: message.into() });
        }
    }
}

const COLUMNS: [(&str, &[&str]); 4] = [("team", &["team"]), ("month", &["month"]), ("work", &["work", "initiative_or_category"]), ("percent", &["percent", "pct", "share", "percentage"])];

fn columns(header: &csv::StringRecord) -> Result<[usize; 4], ImportError> {
    let names: Vec<String> = header.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase().replace(' ', "_")).collect();
    let mut index = [0; 4];
    let mut missing = Vec::new();
    for (slot, (name, aliases)) in index.iter_mut().zip(COLUMNS) {
        match names.iter().position(|n| aliases.contains(&n.as_str())) {
            Some(i) => *slot = i,
            None => missing.push(name),
        }
    }
    if missing.is_empty() {
        return Ok(index);
    }
    Err(ImportError { line: 1, column: missing.join(", "), message: format!("The header lacks {}. Expected columns: team, month, work, percent.", missing.join(", ")) })
}

/// The lines of one team's month: where each came from, for the errors about their sum.
struct Group {
    first_line: u64,
    total: i64,
    shares: Vec<Share>,
}

pub fn parse(bytes: &[u8], catalog: &Catalog) -> Parsed {
    let mut out = Parsed::default();
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(bytes);
    let index = match reader.headers() {
        Ok(h) if h.iter().any(|f| !f.trim().is_empty()) => match columns(h) {
            Ok(i) => i,
            Err(e) => {
                out.fail(e.line, &e.column, e.message);
                return out;
            }
        },
        Ok(_) => {
            out.fail(1, "", "The file is empty; it needs a header line (team, month, work, percent) and at least one share.");
            return out;
        }
        Err(e) => {
            out.fail(1, "", format!("The header cannot be read: {e}."));
            return out;
        }
    };
    let mut groups: BTreeMap<(i64, i64), Group> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    while let Some(read) = crate::platform::csv::next_row(&mut reader, &mut record) {
        let line = match read {
            Ok(line) => line,
            Err((line, message)) => {
                out.fail(line, "", message);
                continue;
            }
        };
        out.lines += 1;
        if out.lines > MAX_LINES {
            out.fail(line, "", format!("A file holds at most {MAX_LINES} shares; split it by year."));
            break;
        }
        let field = |i: usize| record.get(index[i]).unwrap_or("").trim();
        let (team, month, work, pct) = (field(0), field(1), field(2), field(3));
        if out.sample.len() < SAMPLE_ROWS {
            out.sample.push(vec![line.to_string(), team.into(), month.into(), work.into(), pct.into()]);
        }
        let Some(share) = check_line(&mut out, line, catalog, (team, month, work, pct)) else { continue };
        let (key, share) = share;
        let group = groups.entry(key).or_insert(Group { first_line: line, total: 0, shares: Vec::new() });
        if group.shares.iter().any(|s| s.initiative_id == share.initiative_id && s.category_id == share.category_id) {
            out.fail(line, "work", format!("“{work}” is already on another line for {team} in {}; put its whole share on one line.", Month::from_code(key.1).label()));
            continue;
        }
        group.total += share.pct;
        group.shares.push(share);
    }
    for ((team, month), g) in &groups {
        if g.total != 100 {
            let name = catalog.teams.iter().find(|t| t.0 == *team).map_or("", |t| t.1.as_str());
            out.fail(g.first_line, "percent", format!("The shares of {name} in {} add up to {} %; a month's effort must add up to 100 %.", Month::from_code(*month).label(), g.total));
        }
    }
    if out.error_count == 0 && groups.is_empty() {
        out.fail(2, "", "The file has a header but no shares.");
    }
    if out.error_count == 0 {
        out.months = groups.into_iter().map(|(k, g)| (k, g.shares)).collect();
    }
    out.errors.sort_by_key(|e| e.line);
    out
}

/// One line checked at each of its fields: its (team, month) and share, or its errors.
fn check_line(out: &mut Parsed, line: u64, catalog: &Catalog, (team, month, work, pct): (&str, &str, &str, &str)) -> Option<((i64, i64), Share)> {
    let team_ref = catalog.teams.iter().find(|t| t.1.eq_ignore_ascii_case(team));
    if team_ref.is_none() {
        let whose = if catalog.one_department { " in your department" } else { "" };
        out.fail(line, "team", if team.is_empty() { "Enter the team's name.".to_string() } else { format!("There is no team named “{team}”{whose}.") });
    }
    let month = match parse_month(month) {
        Ok(m) if catalog.closed_through.is_some_and(|c| m.code() <= c) => {
            out.fail(line, "month", closed_message(catalog.closed_through.unwrap_or_default()));
            None
        }
        Ok(m) => Some(m),
        Err(e) => {
            out.fail(line, "month", e);
            None
        }
    };
    let pct = match pct.trim_end_matches('%').trim().parse::<i64>() {
        Ok(p) if (1..=100).contains(&p) => Some(p),
        _ => {
            out.fail(line, "percent", format!("“{pct}” is not a whole percentage from 1 to 100."));
            None
        }
    };
    let (team_ref, month) = (team_ref?, month?);
    let share = match catalog.categories.iter().find(|c| c.1.eq_ignore_ascii_case(work)) {
        Some(c) => Share { initiative_id: None, category_id: Some(c.0), pct: pct? },
        None => {
            let running = catalog.initiatives.iter().find(|i| {
                i.title.eq_ignore_ascii_case(work) && i.department_id == team_ref.2 && !i.proposed && i.starts <= month.last_day() && i.target >= month.first_day()
            });
            let Some(i) = running else {
                out.fail(line, "work", if work.is_empty() {
                    "Enter an initiative or an investment category.".to_string()
                } else {
                    format!("“{work}” is neither an investment category nor an initiative of {}'s department running in {}.", team_ref.1, month.label())
                });
                return None;
            };
            Share { initiative_id: Some(i.id), category_id: None, pct: pct? }
        }
    };
    Some(((team_ref.0, month.code()), share))
}

#[cfg(test)]
mod tests;
