//! The control register: read in the reader's scope (the CTO every control, a head their own
//! department's), where each control stands from its frequency and last evidence, and the
//! CTO's changes: a control's form, adopting the starter set, retiring one.

use super::super::model::{timeliness, Frequency, Outcome, Source, Standing, Timeliness};
use super::super::starter::{self, is_iso27001_annex_a, is_soc2_criterion};
use super::super::view::{ControlEditor, ControlInput, ControlLine, ControlsPage, ControlsQuery, FrameworkLine, StandingCounts};
use super::scope;
use crate::access::Role;
use crate::auth::User;
use crate::platform::audit::Entry;
use crate::platform::changes::Changed;
use crate::platform::db::{begin_write, chosen};
use crate::platform::error::{refused, AppError, Problems};
use crate::platform::state::AppState;
use crate::platform::validate::{optional_text, parse_day, required_text};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

const OWNERS: &str = "SELECT id, name FROM users WHERE active = 1 AND role IN ('cto', 'department_head') ORDER BY name COLLATE NOCASE";
const DEPARTMENTS: &str = "SELECT id, name FROM departments ORDER BY name COLLATE NOCASE";
const SYSTEMS: &str = "SELECT id, name FROM systems ORDER BY name COLLATE NOCASE";

/// The frameworks a control maps to: the key stored, and the name shown.
pub const FRAMEWORKS: [(&str, &str); 2] = [("iso27001", "ISO/IEC 27001:2022 Annex A"), ("soc2", "SOC 2 Trust Services Criteria")];

/// A control as stored, with its latest evidence.
#[derive(sqlx::FromRow)]
pub(super) struct Row {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub requires: String,
    pub owner: Option<String>,
    pub owner_id: Option<i64>,
    pub department: Option<String>,
    pub department_id: Option<i64>,
    pub frequency: Frequency,
    pub evidence: Source,
    pub adopted_on: String,
    pub retired_on: Option<String>,
    pub last_on: Option<String>,
    pub last_result: Option<Outcome>,
    pub iso27001: Option<String>,
    pub soc2: Option<String>,
}

/// Every column of [`Row`]; `?1` is the department to keep (`NULL` for all).
pub(super) const ROWS: &str = r#"
    SELECT c.id, c.code, c.title, c.requires, u.name AS owner, c.owner_id, d.name AS department, c.department_id,
           c.frequency, c.evidence, c.adopted_on, c.retired_on,
           l.performed_on AS last_on, l.result AS last_result,
           (SELECT group_concat(ref, ', ') FROM (SELECT ref FROM control_mappings WHERE control_id = c.id AND framework = 'iso27001' ORDER BY ref)) AS iso27001,
           (SELECT group_concat(ref, ', ') FROM (SELECT ref FROM control_mappings WHERE control_id = c.id AND framework = 'soc2' ORDER BY ref)) AS soc2
    FROM controls c
    LEFT JOIN users u ON u.id = c.owner_id
    LEFT JOIN departments d ON d.id = c.department_id
    LEFT JOIN control_evidence l ON l.id = (SELECT e.id FROM control_evidence e WHERE e.control_id = c.id ORDER BY e.performed_on DESC, e.id DESC LIMIT 1)
    WHERE (?1 IS NULL OR c.department_id = ?1)"#;

impl Row {
    pub fn timeliness(&self, today: NaiveDate) -> Timeliness {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let adopted = day(&self.adopted_on).unwrap_or(today);
        timeliness(self.frequency, self.last_on.as_deref().and_then(day), adopted, today)
    }

    pub fn line(&self, today: NaiveDate) -> ControlLine {
        let t = self.timeliness(today);
        let mapped = [self.iso27001.as_deref(), self.soc2.as_deref()].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
        ControlLine {
            id: self.id,
            code: self.code.clone(),
            title: self.title.clone(),
            owner: self.owner.clone(),
            department: self.department.clone(),
            frequency: self.frequency,
            standing: Standing::of(t, self.last_result),
            last_on: self.last_on.clone(),
            due_on: t.due().to_string(),
            mapped,
            automatic: self.evidence != Source::Manual,
        }
    }

    fn maps_to(&self, framework: &str) -> bool {
        match framework {
            "iso27001" => self.iso27001.as_deref().is_some_and(|s| !s.is_empty()),
            "soc2" => self.soc2.as_deref().is_some_and(|s| !s.is_empty()),
            _ => true,
        }
    }
}

/// The controls in `user`'s scope that are in force (not retired).
pub(super) async fn rows(db: &mut SqliteConnection, dept: Option<i64>) -> Result<Vec<Row>, AppError> {
    Ok(sqlx::query_as::<_, Row>(&format!("{ROWS} AND c.retired_on IS NULL ORDER BY c.code COLLATE NOCASE")).bind(dept).fetch_all(db).await?)
}

/// How many controls stand each way, given their standings.
pub(super) fn count(standings: impl Iterator<Item = Standing>) -> StandingCounts {
    let mut counts = vec![0; Standing::ALL.len()];
    for standing in standings {
        if let Some(i) = Standing::ALL.iter().position(|s| *s == standing) {
            counts[i] += 1;
        }
    }
    StandingCounts(counts)
}

/// Each framework's ids covered by `rows` and where the controls mapped to it stand; `lines`
/// are the rows' lines, in the same order.
pub(super) fn frameworks(rows: &[&Row], lines: &[ControlLine]) -> Vec<FrameworkLine> {
    FRAMEWORKS
        .iter()
        .map(|(key, name)| {
            let mapped = rows.iter().zip(lines).filter(|(r, _)| r.maps_to(key)).map(|(_, l)| l);
            let ids: std::collections::HashSet<&str> =
                rows.iter().filter_map(|r| if *key == "iso27001" { r.iso27001.as_deref() } else { r.soc2.as_deref() }).flat_map(|s| s.split(", ")).filter(|s| !s.is_empty()).collect();
            FrameworkLine { key: key.to_string(), name: name.to_string(), ids: ids.len() as i64, counts: count(mapped.map(|l| l.standing)) }
        })
        .collect()
}

pub async fn register(db: &mut SqliteConnection, user: &User, q: &ControlsQuery, today: NaiveDate) -> Result<ControlsPage, AppError> {
    let dept = scope(user)?;
    let mut p = Problems::default();
    let framework = q.framework.trim();
    if !framework.is_empty() && !FRAMEWORKS.iter().any(|(k, _)| *k == framework) {
        p.add("framework", format!("“{framework}” is not a framework; choose iso27001 or soc2."));
    }
    let standing = match q.standing.trim() {
        "" => None,
        s => p.check("standing", Standing::parse(s).ok_or_else(|| format!("“{s}” is not a standing."))),
    };
    let department = match q.department.trim() {
        "" => None,
        "none" => Some(None),
        d => p.check("department", d.parse::<i64>().map(Some).map_err(|_| format!("“{d}” is not a department."))),
    };
    p.finish()?;
    let all = rows(&mut *db, dept).await?;
    let kept: Vec<&Row> = all.iter().filter(|r| r.maps_to(framework) && department.is_none_or(|d| r.department_id == d)).collect();
    let lines: Vec<ControlLine> = kept.iter().map(|r| r.line(today)).collect();
    let frameworks = frameworks(&kept, &lines);
    let counts = count(lines.iter().map(|l| l.standing));
    let mut controls: Vec<ControlLine> = lines.into_iter().filter(|l| standing.is_none_or(|s| l.standing == s)).collect();
    // The register leads with what needs doing: worst standing, then the nearest due day.
    controls.sort_by(|a, b| a.standing.cmp(&b.standing).then_with(|| a.due_on.cmp(&b.due_on)).then_with(|| a.code.cmp(&b.code)));
    let retired: i64 = sqlx::query_scalar("SELECT count(*) FROM controls WHERE retired_on IS NOT NULL AND (?1 IS NULL OR department_id = ?1)").bind(dept).fetch_one(&mut *db).await?;
    let departments = sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM departments WHERE ?1 IS NULL OR id = ?1 ORDER BY name COLLATE NOCASE").bind(dept).fetch_all(&mut *db).await?;
    let cto = user.role == Role::Cto;
    let editor = if cto { Some(editor(&mut *db, None, today).await?) } else { None };
    let starter_missing = if cto { missing_starters(&mut *db).await?.len() } else { 0 };
    let scope = match (user.role, &user.department_name) {
        (Role::DepartmentHead, Some(d)) => format!("The controls {d} performs. The CTO keeps the register and the company-wide controls."),
        _ => String::new(),
    };
    Ok(ControlsPage { controls, counts, frameworks, departments, retired, scope, editor, starter_missing })
}

/// The control form: empty with today's adoption for a new control, else the control's values.
pub(super) async fn editor(db: &mut SqliteConnection, id: Option<i64>, today: NaiveDate) -> Result<ControlEditor, AppError> {
    let mut e = ControlEditor {
        frequency: Frequency::Quarterly.as_str().into(),
        evidence: Source::Manual.as_str().into(),
        adopted_on: today.to_string(),
        owners: crate::platform::db::choices(&mut *db, OWNERS).await?,
        department_choices: crate::platform::db::choices(&mut *db, DEPARTMENTS).await?,
        system_choices: crate::platform::db::choices(&mut *db, SYSTEMS).await?,
        ..Default::default()
    };
    if let Some(id) = id {
        let r = sqlx::query_as::<_, Row>(&format!("{ROWS} AND c.id = ?2")).bind(None::<i64>).bind(id).fetch_optional(&mut *db).await?.ok_or(AppError::NotFound)?;
        e.id = Some(id);
        e.code = r.code;
        e.title = r.title;
        e.requires = r.requires;
        e.owner = r.owner_id.map(|o| o.to_string()).unwrap_or_default();
        e.department = r.department_id.map(|o| o.to_string()).unwrap_or_default();
        e.frequency = r.frequency.as_str().into();
        e.evidence = r.evidence.as_str().into();
        e.adopted_on = r.adopted_on;
        e.iso27001 = r.iso27001.unwrap_or_default();
        e.soc2 = r.soc2.unwrap_or_default();
        e.systems = sqlx::query_scalar("SELECT system_id FROM control_systems WHERE control_id = ?1").bind(id).fetch_all(&mut *db).await?;
    }
    Ok(e)
}

/// Framework ids typed as a list ("A.5.15, A.8.2" or one per line), each checked against the
/// framework's own numbering.
fn framework_ids(p: &mut Problems, field: &str, text: &str, valid: fn(&str) -> bool, name: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in text.split([',', ';', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
        if !valid(id) {
            p.add(field, format!("“{id}” is not {name}."));
            return Vec::new();
        }
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

/// A control's fields, checked whole.
struct Checked {
    code: String,
    title: String,
    requires: String,
    owner: Option<i64>,
    department: Option<i64>,
    frequency: Frequency,
    evidence: Source,
    adopted_on: NaiveDate,
    iso27001: Vec<String>,
    soc2: Vec<String>,
    systems: Vec<i64>,
}

async fn check(db: &mut SqliteConnection, input: &ControlInput, id: Option<i64>, today: NaiveDate) -> Result<Checked, AppError> {
    let mut p = Problems::default();
    let code = p.check("code", required_text(&input.code, "code", 20).and_then(|c| {
        if c.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '.' | '_')) { Ok(c) } else { Err("Use letters, digits, dots and dashes, such as ACC-01.".into()) }
    }));
    if let Some(code) = &code {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM controls WHERE code = ?1 COLLATE NOCASE AND id IS NOT ?2").bind(code).bind(id).fetch_optional(&mut *db).await?;
        if taken.is_some() {
            p.add("code", format!("Another control has the code {code}."));
        }
    }
    let title = p.check("title", required_text(&input.title, "title", 120));
    let requires = optional_text(&mut p, "requires", &input.requires, 2000);
    let owner = chosen(&mut *db, &mut p, "owner", &input.owner, OWNERS, "person on staff").await?;
    let department = chosen(&mut *db, &mut p, "department", &input.department, DEPARTMENTS, "department").await?;
    let frequency = p.check("frequency", Frequency::parse(&input.frequency).ok_or_else(|| "Choose how often it is performed.".to_string()));
    let evidence = match input.evidence.trim() {
        "" => Some(Source::Manual),
        s => p.check("evidence", Source::parse(s).ok_or_else(|| "Choose where its evidence comes from.".to_string())),
    };
    let adopted_on = match input.adopted_on.trim() {
        "" => Some(today),
        s => p.check("adopted_on", parse_day(s, "day it was adopted").and_then(|d| if d > today { Err("It cannot be adopted after today.".into()) } else { Ok(d) })),
    };
    let iso27001 = framework_ids(&mut p, "iso27001", &input.iso27001, is_iso27001_annex_a, "an ISO/IEC 27001:2022 Annex A control (A.5.1 to A.8.34)");
    let soc2 = framework_ids(&mut p, "soc2", &input.soc2, is_soc2_criterion, "a SOC 2 criterion (such as CC6.1 or A1.2)");
    let mut systems = Vec::new();
    for s in &input.systems {
        if let Some(id) = chosen(&mut *db, &mut p, "systems", s, SYSTEMS, "system").await? {
            systems.push(id);
        }
    }
    p.finish()?;
    // Each of these is `None` only with a problem told above.
    let (Some(code), Some(title), Some(frequency), Some(evidence), Some(adopted_on)) = (code, title, frequency, evidence, adopted_on) else {
        return Err(AppError::field("code", "Check the form."));
    };
    Ok(Checked { code, title, requires, owner, department, frequency, evidence, adopted_on, iso27001, soc2, systems })
}

/// Adds or changes a control (the CTO's); its id.
pub async fn save(st: &AppState, cto: &User, input: ControlInput, today: NaiveDate) -> Result<i64, AppError> {
    let id = crate::platform::error::parse_id(&input.id, "control")?;
    let mut tx = begin_write(&st.pool).await?;
    if let Some(id) = id {
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM controls WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?;
        known.ok_or_else(|| refused(AppError::NotFound))?;
    }
    let c = check(&mut tx, &input, id, today).await?;
    let id = write(&mut tx, id, &c).await?;
    let action = if input.id.trim().is_empty() { "add_control" } else { "edit_control" };
    Entry::new(&cto.actor(), "assurance", action).object("control", id, format!("{} {}", c.code, c.title)).detail(describe(&c)).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Controls);
    Ok(id)
}

fn describe(c: &Checked) -> String {
    let mapped = [c.iso27001.join(", "), c.soc2.join(", ")].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("; ");
    format!("{}, adopted {}, maps to {}", c.frequency.label().to_lowercase(), c.adopted_on, if mapped.is_empty() { "nothing".into() } else { mapped })
}

async fn write(db: &mut SqliteConnection, id: Option<i64>, c: &Checked) -> Result<i64, AppError> {
    let sql = match id {
        Some(_) => "UPDATE controls SET code = ?1, title = ?2, requires = ?3, owner_id = ?4, department_id = ?5, frequency = ?6, evidence = ?7, adopted_on = ?8 WHERE id = ?9 RETURNING id",
        None => "INSERT INTO controls (code, title, requires, owner_id, department_id, frequency, evidence, adopted_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    };
    let id: i64 = sqlx::query_scalar(sql)
        .bind(&c.code)
        .bind(&c.title)
        .bind(&c.requires)
        .bind(c.owner)
        .bind(c.department)
        .bind(c.frequency)
        .bind(c.evidence)
        .bind(c.adopted_on.to_string())
        .bind(id)
        .fetch_one(&mut *db)
        .await?;
    sqlx::query("DELETE FROM control_mappings WHERE control_id = ?1").bind(id).execute(&mut *db).await?;
    for (framework, ids) in [("iso27001", &c.iso27001), ("soc2", &c.soc2)] {
        for r in ids {
            sqlx::query("INSERT INTO control_mappings (control_id, framework, ref) VALUES (?1, ?2, ?3)").bind(id).bind(framework).bind(r).execute(&mut *db).await?;
        }
    }
    sqlx::query("DELETE FROM control_systems WHERE control_id = ?1").bind(id).execute(&mut *db).await?;
    for s in &c.systems {
        sqlx::query("INSERT OR IGNORE INTO control_systems (control_id, system_id) VALUES (?1, ?2)").bind(id).bind(s).execute(&mut *db).await?;
    }
    Ok(id)
}

/// The starter controls whose code the register does not have yet.
async fn missing_starters(db: &mut SqliteConnection) -> Result<Vec<starter::StarterControl>, AppError> {
    let have: Vec<String> = sqlx::query_scalar("SELECT upper(code) FROM controls").fetch_all(db).await?;
    Ok(starter::controls().into_iter().filter(|c| !have.contains(&c.id.to_uppercase())).collect())
}

/// Adds the starter controls the register lacks, owned by the CTO and company-wide until the
/// CTO hands them to departments; how many were added.
pub async fn adopt_starters(st: &AppState, cto: &User, today: NaiveDate) -> Result<usize, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let added = insert_starters(&mut tx, cto.id, today).await?;
    if added > 0 {
        Entry::new(&cto.actor(), "assurance", "adopt_starter_controls").detail(format!("{added} controls")).record(&mut tx).await?;
    }
    tx.commit().await?;
    st.changes.tell(Changed::Controls);
    Ok(added)
}

/// Writes the starter controls the register lacks, owned by `owner`; how many.
pub(crate) async fn insert_starters(db: &mut SqliteConnection, owner: i64, adopted_on: NaiveDate) -> Result<usize, AppError> {
    let missing = missing_starters(&mut *db).await?;
    for s in &missing {
        let c = Checked {
            code: s.id.clone(),
            title: s.title.clone(),
            requires: s.requires.clone(),
            owner: Some(owner),
            department: None,
            frequency: s.frequency,
            evidence: s.evidence,
            adopted_on,
            iso27001: s.iso27001.clone(),
            soc2: s.soc2.clone(),
            systems: Vec::new(),
        };
        write(&mut *db, None, &c).await?;
    }
    Ok(missing.len())
}

/// Retires a control (or puts it back in force): its evidence stays; its code and title.
pub async fn set_retired(st: &AppState, cto: &User, id: i64, retired: bool, today: NaiveDate) -> Result<String, AppError> {
    let mut tx = begin_write(&st.pool).await?;
    let name: Option<String> = sqlx::query_scalar("SELECT code || ' ' || title FROM controls WHERE id = ?1").bind(id).fetch_optional(&mut *tx).await?;
    let name = name.ok_or_else(|| refused(AppError::NotFound))?;
    sqlx::query("UPDATE controls SET retired_on = ?2 WHERE id = ?1").bind(id).bind(retired.then(|| today.to_string())).execute(&mut *tx).await?;
    Entry::new(&cto.actor(), "assurance", if retired { "retire_control" } else { "reinstate_control" }).object("control", id, &name).record(&mut tx).await?;
    tx.commit().await?;
    st.changes.tell(Changed::Controls);
    Ok(name)
}
