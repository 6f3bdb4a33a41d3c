//! Walks the access table: every server function and every page, for an anonymous caller and
//! each role, against a fresh database. The expected statuses are written out here, apart from
//! the table in `src/access.rs`, so a wrong rule there fails a test, and the `match`es are
//! exhaustive, so a new action or page without an expectation does not compile.

use crate::common;

use common::{spawn_app, TestApp};
use northstar::access::{Action, Page, Role, Route};
use reqwest::Client;
use std::collections::BTreeSet;

const CALLERS: [Option<Role>; 4] = [None, Some(Role::Cto), Some(Role::DepartmentHead), Some(Role::Investor)];

/// Statuses for [anonymous, CTO, department head, investor].
fn expected(action: Action) -> [u16; 4] {
    const CTO_ONLY: [u16; 4] = [401, 200, 403, 403];
    const STAFF: [u16; 4] = [401, 200, 200, 403];
    match action {
        Action::Login | Action::CurrentUser => [200, 200, 200, 200],
        Action::Logout | Action::ChangeOwnPassword => [401, 200, 200, 200],
        Action::ListDepartments => STAFF,
        Action::ListUsers
        | Action::CreateUser
        | Action::UpdateUser
        | Action::SetUserActive
        | Action::ResetPassword
        | Action::CreateDepartment
        | Action::RenameDepartment
        | Action::DeleteDepartment
        | Action::AuditLog
        | Action::ListApiTokens
        | Action::CreateApiToken
        | Action::RevokeApiToken => CTO_ONLY,
        Action::KpiOverview | Action::ListKpis | Action::KpiDetail | Action::ListMeasurements | Action::DoraSummary => STAFF,
        // Recorded against an Engineering KPI, which the Engineering head may record.
        Action::AddMeasurement | Action::DeleteMeasurement | Action::CommitImport | Action::ImportProgress | Action::CancelImport => STAFF,
        Action::KpiForEdit | Action::SaveKpi | Action::DeleteKpi | Action::SetTarget => CTO_ONLY,
        Action::BudgetOverview | Action::ListExpenses | Action::BudgetPlan | Action::ListContracts => STAFF,
        // Recorded in Engineering, the department head's own department.
        Action::SaveExpense | Action::DeleteExpense => STAFF,
        Action::SetBudget
        | Action::SaveContract
        | Action::DeleteContract
        | Action::BudgetSettings
        | Action::SaveBudgetSettings
        | Action::SaveCategory
        | Action::DeleteCategory => CTO_ONLY,
        Action::InfraBoard | Action::SystemDetail | Action::ListIncidents | Action::IncidentDetail | Action::SlaReport => STAFF,
        // On an incident of an Engineering system, which the Engineering head may annotate.
        Action::AddIncidentNote => STAFF,
        Action::SystemEditor
        | Action::SaveSystem
        | Action::DeleteSystem
        | Action::SetManualStatus
        | Action::SaveCheck
        | Action::DeleteCheck
        | Action::RunCheck
        | Action::SaveMaintenance
        | Action::DeleteMaintenance
        | Action::OpenIncident
        | Action::UpdateIncident => CTO_ONLY,
        Action::ListReports | Action::ReadReport => [401, 200, 403, 200],
        Action::CreateReport
        | Action::ComposeReport
        | Action::SaveReportDraft
        | Action::PreviewReport
        | Action::PublishReport
        | Action::DeleteReport
        | Action::CreateShareLink
        | Action::RevokeShareLink => CTO_ONLY,
        // The token is the credential, whoever holds it.
        Action::OpenSharedReport => [200, 200, 200, 200],
        // The department head asks for their own department's.
        Action::DepartmentReport => STAFF,
        // An Engineering alert, which the Engineering head may take.
        Action::ListAlerts | Action::AlertsHere | Action::FiringAlerts | Action::AcknowledgeAlert | Action::MuteAlert => STAFF,
        // A department head's own channels; the samples make one the caller owns.
        Action::ListAlertChannels | Action::SaveAlertChannel | Action::DeleteAlertChannel | Action::TestAlertChannel => STAFF,
        Action::AlertRules | Action::SaveAlertRule => CTO_ONLY,
        // On an Engineering initiative, which the Engineering head may change.
        Action::StrategyMap
        | Action::StrategyDigest
        | Action::InitiativeDetail
        | Action::InitiativeEditor
        | Action::SaveInitiative
        | Action::DeleteInitiative
        | Action::SaveMilestone
        | Action::DeleteMilestone => STAFF,
        Action::ObjectiveEditor | Action::SaveObjective | Action::DeleteObjective => CTO_ONLY,
        // The head's own department's mix (no department asked for).
        Action::Allocation => STAFF,
        Action::SaveInvestmentCategories | Action::DeleteInvestmentCategory => CTO_ONLY,
        // On an Engineering team, which the Engineering head may change.
        Action::Teams | Action::TeamDetail | Action::SaveTeam | Action::DeleteTeam | Action::SaveTeamRoles | Action::SaveTimeAllocation => STAFF,
        Action::Capitalization | Action::CloseCapitalization => CTO_ONLY,
        Action::CloudCosts | Action::SaveCloudRule | Action::DeleteCloudRule | Action::MapCloudLine => CTO_ONLY,
        Action::UnitEconomics | Action::SaveUnitCost | Action::DeleteUnitCost => CTO_ONLY,
        // The head reads the radar and their own department's proposal, and proposes.
        Action::Radar | Action::RadarEntry | Action::RadarEntryEditor | Action::SaveRadarEntry | Action::RadarEdition => STAFF,
        Action::DeleteRadarEntry | Action::DecideRadarEntry | Action::PublishRadarEdition | Action::SaveRadarSettings => CTO_ONLY,
        // Each caller reads and comments on an item of their own, and files one.
        Action::Feedback | Action::FeedbackItem | Action::FeedbackEditor | Action::FeedbackNotices | Action::SaveFeedback | Action::CommentFeedback => [401, 200, 200, 200],
        // Staff ask about a KPI, an investor about the report.
        Action::FeedbackAbout => [401, 200, 200, 200],
        // On another's item: investors read only their own.
        Action::VoteFeedback => STAFF,
        Action::AnswerFeedback => CTO_ONLY,
        Action::KeepFeedbackKpis => CTO_ONLY,
        Action::Surveys | Action::SurveyDetail | Action::SaveSurvey | Action::SendSurvey => CTO_ONLY,
        // A round that asks every role, the caller included.
        Action::SurveysWaiting | Action::AnswerSurvey => [401, 200, 200, 200],
        // The head's own department's systems' findings.
        Action::Vulnerabilities => STAFF,
        Action::SaveDeadlines | Action::KeepSecurityKpis => CTO_ONLY,
        // The fixtures' Engineering control, the head's own.
        Action::Controls | Action::Control => STAFF,
        Action::SaveControl | Action::AdoptControls | Action::RetireControl => CTO_ONLY,
        // Backing up comes before the restore test in the table, so the test has a backup.
        Action::AdminSecurity | Action::BackUpNow | Action::TestRestore | Action::RecordAccessReview | Action::SharePosture => CTO_ONLY,
        // The fixtures' Engineering system, the head's own.
        Action::Privacy | Action::PrivacyRecord | Action::SavePrivacyRecord | Action::ConfirmPrivacyRecord | Action::RecordRestoreDrill | Action::Posture => STAFF,
    }
}

/// Statuses for GET of each page, for [anonymous, CTO, department head, investor].
fn expected_page(page: Page) -> [u16; 4] {
    match page {
        Page::Login => [200, 303, 303, 303],
        // An investor's "/" is their home, Reports.
        Page::Overview => [303, 200, 200, 303],
        Page::Kpis | Page::KpiDora | Page::KpiDetail | Page::Budgets | Page::Infrastructure => [303, 200, 200, 403],
        Page::BudgetExpenses | Page::BudgetPlan | Page::BudgetVendors => [303, 200, 200, 403],
        Page::BudgetSettings => [303, 200, 403, 403],
        Page::InfraSystem | Page::InfraIncidents | Page::InfraIncident | Page::InfraSla => [303, 200, 200, 403],
        Page::InfraSystemNew | Page::InfraSystemEdit => [303, 200, 403, 403],
        Page::KpiNew | Page::KpiEdit => [303, 200, 403, 403],
        Page::Reports => [303, 200, 200, 200],
        Page::ReportDetail | Page::ReportVersion => [303, 200, 403, 200],
        Page::DepartmentReport => [303, 200, 200, 403],
        Page::SharedReport => [200, 200, 200, 200],
        Page::Alerts | Page::AlertChannels => [303, 200, 200, 403],
        Page::AlertRules => [303, 200, 403, 403],
        Page::Admin | Page::AdminAudit => [303, 200, 403, 403],
        Page::Account => [303, 200, 200, 200],
        Page::Strategy | Page::Allocation | Page::Initiative | Page::InitiativeNew | Page::InitiativeEdit => [303, 200, 200, 403],
        Page::ObjectiveNew | Page::ObjectiveEdit => [303, 200, 403, 403],
        Page::Teams | Page::Team => [303, 200, 200, 403],
        Page::Capitalization | Page::CloudCost | Page::UnitEconomics => [303, 200, 403, 403],
        Page::Radar | Page::RadarEntry | Page::RadarEntryNew | Page::RadarEntryEdit | Page::RadarEdition => [303, 200, 200, 403],
        Page::Feedback | Page::FeedbackNew => [303, 200, 200, 200],
        // The investor's own item: a head may not read it.
        Page::FeedbackItem => [303, 200, 403, 200],
        Page::Surveys | Page::SurveyDetail => [303, 200, 403, 403],
        Page::SurveyAnswer => [303, 200, 200, 200],
        Page::Posture | Page::Vulnerabilities | Page::Controls | Page::Control | Page::Privacy | Page::PrivacyRecord => [303, 200, 200, 403],
    }
}

/// A concrete address for each page pattern.
fn page_path(page: Page) -> &'static str {
    match page {
        Page::KpiDetail => "/kpis/availability",
        Page::KpiEdit => "/kpis/availability/edit",
        // The fixtures' first system and incident.
        Page::InfraSystem => "/infrastructure/systems/1",
        Page::InfraSystemEdit => "/infrastructure/systems/1/edit",
        Page::InfraIncident => "/infrastructure/incidents/1",
        // The fixtures' published report and its share link.
        Page::ReportDetail => "/reports/1",
        Page::ReportVersion => "/reports/1/versions/1",
        Page::SharedReport => concat!("/share/", "fixture-share-token-0123456789abcdefghijklm"),
        // The fixtures' objective and Engineering initiative.
        Page::ObjectiveEdit => "/strategy/objectives/1/edit",
        Page::Initiative => "/strategy/initiatives/1",
        Page::InitiativeEdit => "/strategy/initiatives/1/edit",
        // The fixtures' Engineering team.
        Page::Team => "/strategy/teams/1",
        // The fixtures' Engineering proposal, which its head may still change, and edition.
        Page::RadarEntry => "/radar/entries/1",
        Page::RadarEntryEdit => "/radar/entries/1/edit",
        Page::RadarEdition => "/radar/editions/1",
        // The fixtures' investor's question about the report.
        Page::FeedbackItem => "/feedback/1",
        // The fixtures' survey.
        Page::SurveyDetail => "/surveys/1",
        // The fixtures' Engineering control.
        Page::Control => "/security/controls/1",
        // The fixtures' Engineering system's record of processing.
        Page::PrivacyRecord => "/security/privacy/1",
        other => other.pattern(),
    }
}

/// Statuses for each plain route, for [anonymous, CTO, department head, investor]. The ingest
/// API takes API tokens only: a session, even the CTO's, is not enough.
fn expected_route(route: Route) -> [u16; 4] {
    match route {
        Route::Health | Route::OpenApi => [200, 200, 200, 200],
        // By address or token, never by session; closed until configured.
        Route::Metrics => [403, 403, 403, 403],
        Route::KpiImportUpload | Route::KpiExport => [401, 200, 200, 403],
        Route::ExpenseImport | Route::ExpenseExport | Route::SlaExport | Route::TimeImport => [401, 200, 200, 403],
        Route::AuditExport | Route::CapitalizationExport | Route::CloudImport => [401, 200, 403, 403],
        Route::IngestMeasurements | Route::IngestDeployments | Route::IngestIncidents | Route::IngestFindings => [401, 401, 401, 401],
        Route::IngestBackups | Route::IngestRestoreTests | Route::IngestQuality => [401, 401, 401, 401],
        // The fixtures' Engineering system, the head's own.
        Route::FindingsImport => [401, 200, 200, 403],
        // The fixtures' Engineering control and its evidence file.
        Route::RecordEvidence => [401, 201, 201, 403],
        Route::EvidenceFile => [401, 200, 200, 403],
        // Admitted callers reach the printer, which these tests run without (503).
        Route::ReportPdf => [401, 503, 403, 503],
        Route::SharedReportPdf => [503, 503, 503, 503],
    }
}

/// Fixtures the samples refer to: a company-wide KPI and an Engineering one.
async fn fixtures(app: &TestApp) {
    app.add_kpi("availability", None, "percent", "higher", "mean", Some((99.9, 99.9, 99.5))).await;
    app.add_kpi("eng-latency", Some("Engineering"), "ms", "lower", "last", Some((300.0, 300.0, 400.0))).await;
    let system = app.add_system("eng-app", Some("Engineering")).await;
    app.add_incident(system).await;
    app.add_system("vendor-saas", None).await;
    let report = app.add_published_report("Fixture report").await;
    app.add_share_link(report, common::SHARE_TOKEN, i64::MAX).await;
    let objective = app.add_objective("Fixture objective", &[("availability", 99.95)]).await;
    app.add_initiative("Fixture initiative", "Engineering", Some(objective), ("2026-01-01", "2026-12-31"), 100_000, &[("Design", "2026-02-01", None)]).await;
    new_team(app, "Fixture team").await;
    radar_fixtures(app).await;
    control_fixtures(app).await;
    new_feedback(app, common::email_of(Role::Investor), "report", Some(report)).await;
    new_survey(app, "Fixture survey", false).await;
}

/// A survey asking every role, with one round, open or closed; its id.
async fn new_survey(app: &TestApp, title: &str, open: bool) -> (i64, i64) {
    let id: i64 = sqlx::query_scalar("INSERT INTO pulses (title, question, scale, every, roles, created_at) VALUES (?1, 'How is it?', 'five', 'once', 'cto,department_head,investor', 0) RETURNING id")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let now = northstar::platform::db::now_unix();
    let (opens, closes) = if open { (now - 60, now + 86_400) } else { (now - 86_400 * 30, now - 86_400 * 16) };
    let round: i64 = sqlx::query_scalar("INSERT INTO pulse_rounds (pulse_id, opens_at, closes_at) VALUES (?1, ?2, ?3) RETURNING id").bind(id).bind(opens).bind(closes).fetch_one(&app.pool).await.unwrap();
    (id, round)
}

/// A feedback item by `author` about `about` (its id in `target`); its id.
async fn new_feedback(app: &TestApp, author: &str, about: &str, target: Option<i64>) -> String {
    let (author, department): (i64, Option<i64>) = sqlx::query_as("SELECT id, department_id FROM users WHERE email = ?1").bind(author).fetch_one(&app.pool).await.unwrap();
    let column = match about {
        "report" => "report_id",
        "kpi" => "kpi_id",
        _ => "system_id",
    };
    let id: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO feedback_items (kind, about, {column}, title, author_id, department_id, private, created_at, updated_at)
         SELECT 'request', ?1, ?2, 'Fixture feedback', id, ?3, role = 'investor', 0, 0 FROM users WHERE id = ?4 RETURNING id"
    ))
    .bind(about)
    .bind(target)
    .bind(department)
    .bind(author)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    id.to_string()
}

/// An item the caller of sample `tag` wrote (the CTO's for an anonymous caller).
async fn own_feedback(app: &TestApp, tag: &str) -> String {
    let role = CALLERS[tag.parse::<usize>().unwrap()].unwrap_or(Role::Cto);
    new_feedback(app, common::email_of(role), "system", Some(1)).await
}

/// An item the caller of sample `tag` may read but did not write: the CTO's for a head, the
/// head's for anyone else.
async fn others_feedback(app: &TestApp, tag: &str) -> String {
    let author = match CALLERS[tag.parse::<usize>().unwrap()] {
        Some(Role::DepartmentHead) => Role::Cto,
        _ => Role::DepartmentHead,
    };
    new_feedback(app, common::email_of(author), "system", Some(1)).await
}

/// An Engineering head's proposal (entry 1), an entry on the radar, and a published edition.
/// An Engineering control (id 1) with one piece of evidence carrying a file (id 1), and the
/// Engineering system's record of processing.
async fn control_fixtures(app: &TestApp) {
    sqlx::query("INSERT INTO processing_records (system_id, personal_data, reviewed_on, reviewed_by) VALUES (1, 0, ?1, 'fixture')").bind(common::today()).execute(&app.pool).await.unwrap();
    let eng = app.department_id("Engineering").await;
    sqlx::query("INSERT INTO controls (code, title, department_id, frequency, adopted_on) VALUES ('FIX-01', 'Fixture control', ?1, 'quarterly', ?2)")
        .bind(eng)
        .bind(common::today())
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO control_evidence (control_id, performed_on, result, file_name, file_size, file_sha256, by_label, at) VALUES (1, ?1, 'passed', 'fixture.txt', 2, 'ab', 'fixture', 0)")
        .bind(common::today())
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO evidence_files (evidence_id, bytes) VALUES (1, x'6f6b')").execute(&app.pool).await.unwrap();
}

async fn radar_fixtures(app: &TestApp) {
    let head = app.user_id(common::email_of(Role::DepartmentHead)).await;
    let eng = app.department_id("Engineering").await;
    sqlx::query("INSERT INTO radar_entries (name, quadrant, state, proposed_ring, proposal, proposed_by, department_id, created_at, updated_at) VALUES ('Fixture proposal', 0, 'proposed', 'assess', 'Why not', ?1, ?2, 0, 0)")
        .bind(head)
        .bind(eng)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO radar_entries (name, quadrant, state, ring, created_at, updated_at) VALUES ('Fixture placed', 1, 'placed', 'adopt', 0, 0)").execute(&app.pool).await.unwrap();
    sqlx::query("INSERT INTO radar_editions (title, published_on, snapshot, created_at) VALUES ('Fixture edition', '2026-01-01', '{\"quadrants\":[],\"blips\":[],\"svg\":\"\",\"compared_with\":null}', 0)")
        .execute(&app.pool)
        .await
        .unwrap();
}

/// A proposal nobody has decided yet, for the samples that act on one.
async fn new_proposal(app: &TestApp, name: &str) -> String {
    let id: i64 = sqlx::query_scalar("INSERT INTO radar_entries (name, quadrant, state, proposed_ring, proposal, created_at, updated_at) VALUES (?1, 2, 'proposed', 'trial', 'Why', 0, 0) RETURNING id")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

async fn kpi_id(app: &TestApp, key: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM kpis WHERE key = ?1").bind(key).fetch_one(&app.pool).await.unwrap()
}

/// An Engineering team: the department head's own.
async fn new_team(app: &TestApp, name: &str) -> String {
    let eng = app.department_id("Engineering").await;
    let id: i64 = sqlx::query_scalar("INSERT INTO teams (name, department_id, created_at) VALUES (?1, ?2, 0) RETURNING id").bind(name).bind(eng).fetch_one(&app.pool).await.unwrap();
    id.to_string()
}

const CSV: &str = "timestamp,value\n2026-01-01,250\n";

/// Valid arguments for each server function, so an allowed caller gets 200 and a refusal can
/// only come from the guard.
async fn sample(app: &TestApp, client: &Client, action: Action, tag: &str) -> Vec<(&'static str, String)> {
    let investor = app.user_id(common::email_of(Role::Investor)).await.to_string();
    let s = |v: &str| v.to_string();
    match action {
        Action::Login => vec![("email", s(common::email_of(Role::Cto))), ("password", s(common::PASSWORD))],
        Action::Logout | Action::CurrentUser | Action::ListUsers | Action::ListDepartments | Action::ListApiTokens => vec![],
        Action::AuditLog => ["query[who]", "query[area]", "query[object]", "query[from]", "query[to]", "query[page]"].map(|k| (k, String::new())).to_vec(),
        Action::ChangeOwnPassword => vec![
            ("current", s(common::PASSWORD)),
            ("new_password", s("a brand new passphrase")),
            ("confirm", s("a brand new passphrase")),
        ],
        Action::CreateUser => vec![
            ("email", format!("new-{tag}@example.com")),
            ("name", s("New Person")),
            ("role", s("investor")),
            ("department", s("")),
            ("password", s("a long enough password")),
        ],
        Action::UpdateUser => vec![("id", investor), ("name", s("Sam W.")), ("role", s("investor")), ("department", s(""))],
        Action::SetUserActive => vec![("id", investor), ("active", s("true"))],
        Action::ResetPassword => vec![("id", investor), ("password", s("another long password"))],
        Action::CreateDepartment => vec![("name", format!("Finance {tag}"))],
        Action::RenameDepartment => {
            vec![("id", new_department(app, &format!("Old {tag}")).await), ("name", format!("Renamed {tag}"))]
        }
        Action::DeleteDepartment => vec![("id", new_department(app, &format!("Empty {tag}")).await)],
        Action::CreateApiToken => vec![("name", format!("token {tag}"))],
        Action::RevokeApiToken => {
            let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (name, token_hash, prefix) VALUES (?1, randomblob(32), 'nst_x') RETURNING id")
                .bind(tag)
                .fetch_one(&app.pool)
                .await
                .unwrap();
            vec![("id", id.to_string())]
        }
        Action::KpiOverview | Action::DoraSummary => vec![("window", s("30d"))],
        Action::ListKpis => vec![("window", s("30d")), ("category", s("")), ("status", s("")), ("scope", s("")), ("q", s(""))],
        Action::KpiDetail => vec![("key", s("availability")), ("window", s("30d")), ("range", s("90d"))],
        Action::ListMeasurements => vec![("key", s("availability"))],
        Action::AddMeasurement => vec![("key", s("eng-latency")), ("timestamp", common::days_ago(1)), ("value", s("280")), ("note", s("")), ("replace", s("true"))],
        Action::DeleteMeasurement => {
            let ts: i64 = 1_700_000_000 + tag.parse::<i64>().unwrap_or(0);
            sqlx::query("INSERT INTO measurements (kpi_id, ts, value, source) SELECT id, ?1, 1, 'manual' FROM kpis WHERE key = 'eng-latency'")
                .bind(ts)
                .execute(&app.pool)
                .await
                .unwrap();
            vec![("key", s("eng-latency")), ("ts", ts.to_string())]
        }
        Action::CommitImport | Action::ImportProgress | Action::CancelImport => {
            let res = app.upload_csv(client, "eng-latency", CSV).await;
            let token = if res.status() == 200 { common::json(res).await["token"].as_str().unwrap().to_string() } else { s("none") };
            match action {
                Action::CommitImport => vec![("key", s("eng-latency")), ("token", token)],
                _ => vec![("token", token)],
            }
        }
        Action::KpiForEdit => vec![("key", s("availability"))],
        Action::SaveKpi => vec![
            ("original_key", s("")),
            ("key", format!("new-kpi-{tag}")),
            ("name", s("New KPI")),
            ("description", s("")),
            ("formula", s("")),
            ("category", s("delivery")),
            ("unit", s("count")),
            ("direction", s("higher")),
            ("aggregation", s("last")),
            ("computed", s("")),
            ("owner", s("")),
            ("department", s("")),
        ],
        Action::DeleteKpi => {
            app.add_kpi(&format!("doomed-{tag}"), None, "count", "higher", "last", None).await;
            vec![("key", format!("doomed-{tag}"))]
        }
        Action::SetTarget => vec![
            ("key", s("availability")),
            ("effective_from", s("2026-01-01")),
            ("target", s("99.95")),
            ("amber", s("99.9")),
            ("red", s("99.5")),
            ("note", s("")),
        ],
        Action::BudgetOverview | Action::BudgetPlan => vec![("year", s("")), ("department", s(""))],
        Action::ListExpenses => ["query[year]", "query[department]", "query[category]", "query[kind]", "query[vendor]", "query[month]", "query[q]", "query[page]"]
            .map(|k| (k, String::new()))
            .to_vec(),
        Action::SaveExpense => {
            let (dept, cat) = (app.department_id("Engineering").await, app.category_id("Cloud").await);
            common::expense_form("", &common::today(), "10.00", &dept.to_string(), &cat.to_string())
        }
        Action::DeleteExpense => vec![("id", app.add_expense("Engineering", "Cloud", &common::today(), 1000).await.to_string())],
        Action::SetBudget => vec![
            ("year", s("")),
            ("department", app.department_id("Engineering").await.to_string()),
            ("category", app.category_id("Cloud").await.to_string()),
            ("kind", s("opex")),
            ("mode", s("annual")),
            ("annual", s("12000")),
            ("reason", s("Approved plan")),
        ],
        Action::ListContracts | Action::BudgetSettings => vec![],
        Action::SaveContract => vec![
            ("id", s("")),
            ("vendor", format!("Acme {tag}")),
            ("name", s("Support")),
            ("owner", s("")),
            ("department", s("")),
            ("annual_value", s("1200")),
            ("starts_on", s("2026-01-01")),
            ("ends_on", s("2026-12-31")),
            ("renews_on", s("")),
            ("notice_days", s("")),
        ],
        Action::DeleteContract => vec![("id", app.add_contract(&format!("Doomed {tag}")).await.to_string())],
        Action::SaveBudgetSettings => vec![("start_month", s("1")), ("amber_pct", s("5")), ("red_pct", s("10"))],
        Action::SaveCategory => vec![("id", s("")), ("name", format!("Travel {tag}"))],
        Action::InfraBoard => vec![],
        Action::SystemDetail => vec![("id", s("1")), ("range", s(""))],
        Action::SystemEditor => vec![("id", s(""))],
        Action::SaveSystem => vec![
            ("id", s("")),
            ("key", format!("sys-{tag}")),
            ("name", format!("System {tag}")),
            ("kind", s("service")),
            ("tier", s("2")),
            ("department", s("")),
            ("slo", s("99.9")),
            ("description", s("")),
            ("links", s("")),
        ],
        Action::DeleteSystem => vec![("id", app.add_system(&format!("doomed-{tag}"), None).await.to_string())],
        Action::SetManualStatus => vec![("system_id", s("2")), ("status", s("degraded")), ("note", s("Vendor incident"))],
        Action::SaveCheck => vec![("system_id", s("1")), ("id", s("")), ("kind", s("tcp")), ("target", s("127.0.0.1:1")), ("interval_secs", s("3600"))],
        Action::DeleteCheck | Action::RunCheck => vec![("id", app.add_check(1, "127.0.0.1:1").await.to_string())],
        Action::SaveMaintenance => vec![("system_id", s("1")), ("starts", s("2026-01-01T00:00")), ("ends", s("2026-01-01T01:00")), ("note", s(""))],
        Action::DeleteMaintenance => {
            let id: i64 = sqlx::query_scalar("INSERT INTO maintenance_windows (system_id, starts_at, ends_at) VALUES (1, 0, 60) RETURNING id").fetch_one(&app.pool).await.unwrap();
            vec![("id", id.to_string())]
        }
        Action::ListIncidents => vec![("query[state]", s("")), ("query[system]", s("")), ("query[days]", s(""))],
        Action::IncidentDetail => vec![("id", s("1"))],
        Action::OpenIncident => vec![("system", s("1")), ("severity", s("sev3")), ("title", format!("Slow {tag}")), ("started", s("")), ("body", s(""))],
        Action::UpdateIncident => vec![("id", app.add_incident(1).await.to_string()), ("action", s("acknowledge"))],
        Action::AddIncidentNote => vec![("id", s("1")), ("body", s("Looking into it"))],
        Action::SlaReport => vec![("period", s(""))],
        Action::ListReports => vec![],
        Action::CreateReport => vec![("title", format!("Report {tag}")), ("period", s("2026-Q3"))],
        Action::ComposeReport | Action::ReadReport => vec![("id", s("1"))],
        Action::SaveReportDraft => vec![("id", app.add_draft_report(tag).await.to_string()), ("title", format!("Report {tag}")), ("period", s("2026-Q3")), ("commentary[strategy]", s("Grow."))],
        Action::PreviewReport => vec![("title", format!("Report {tag}")), ("period", s("2026-Q3")), ("commentary[strategy]", s("Grow."))],
        Action::PublishReport => vec![
            ("id", app.add_draft_report(tag).await.to_string()),
            ("title", format!("Report {tag}")),
            ("period", s("2026-Q3")),
            ("commentary[risks]", s("Few.")),
            ("note", s("")),
        ],
        Action::DeleteReport => vec![("id", app.add_draft_report(tag).await.to_string())],
        Action::OpenSharedReport => vec![("token", s(common::SHARE_TOKEN))],
        Action::CreateShareLink => vec![("report_id", s("1")), ("label", format!("Fund {tag}")), ("expires", common::days_ahead(10))],
        Action::RevokeShareLink => vec![("id", app.add_share_link(1, &format!("revocable-token-{tag:0>27}"), i64::MAX).await.to_string())],
        Action::DepartmentReport => vec![("period", s("")), ("department", s(""))],
        Action::ListAlerts => ["query[state]", "query[rule]", "query[subject]", "query[at]", "query[page]"].map(|k| (k, String::new())).to_vec(),
        Action::AlertsHere => vec![("at", s("/infrastructure"))],
        Action::FiringAlerts | Action::AlertRules => vec![],
        Action::AcknowledgeAlert => vec![("id", app.add_alert(&format!("sample-{tag}"), Some("Engineering")).await.to_string())],
        Action::MuteAlert => vec![("id", app.add_alert(&format!("muted-{tag}"), Some("Engineering")).await.to_string()), ("minutes", s("60"))],
        Action::ListAlertChannels => vec![],
        Action::SaveAlertChannel => vec![("id", s("")), ("name", format!("Ops {tag}")), ("format", s("slack")), ("target", s("http://127.0.0.1:9/hook"))],
        Action::DeleteAlertChannel => vec![("id", app.add_channel(channel_owner(tag), "slack", "http://127.0.0.1:9/hook").await.to_string())],
        Action::TestAlertChannel => {
            let receiver = common::receivers::WebhookReceiver::start().await;
            let id = app.add_channel(channel_owner(tag), "slack", &receiver.url("/hook")).await;
            // The receiver lives as long as the test; its task holds the port.
            std::mem::forget(receiver);
            vec![("id", id.to_string())]
        }
        Action::SaveAlertRule => vec![("kind", s("contract_notice")), ("enabled", s("true")), ("threshold", s("30")), ("hold_minutes", s("15")), ("repeat_minutes", s("240"))],
        Action::StrategyMap | Action::StrategyDigest => vec![],
        Action::ObjectiveEditor => vec![("id", s(""))],
        Action::SaveObjective => vec![
            ("id", s("")),
            ("title", format!("Objective {tag}")),
            ("description", s("")),
            ("owner", s("")),
            ("starts", s("2026-01-01")),
            ("ends", s("2026-12-31")),
            ("kpi[0]", s("availability")),
            ("kpi_target[0]", s("99.95")),
        ],
        Action::DeleteObjective => vec![("id", app.add_objective(&format!("Doomed objective {tag}"), &[]).await.to_string())],
        Action::InitiativeDetail => vec![("id", s("1"))],
        Action::InitiativeEditor => vec![("id", s("1"))],
        Action::SaveInitiative => vec![
            ("id", s("")),
            ("title", format!("Initiative {tag}")),
            ("description", s("")),
            ("objective", s("1")),
            ("owner", s("")),
            ("department", app.department_id("Engineering").await.to_string()),
            ("starts", s("2026-01-01")),
            ("target", s("2026-06-30")),
            ("status", s("approved")),
            ("category", s("1")),
            ("budget", s("5000")),
        ],
        Action::DeleteInitiative => vec![("id", app.add_initiative(&format!("Doomed initiative {tag}"), "Engineering", None, ("2026-01-01", "2026-02-01"), 0, &[]).await.to_string())],
        Action::SaveMilestone => vec![("initiative", s("1")), ("id", s("")), ("title", format!("Milestone {tag}")), ("due", s("2026-05-01")), ("done", s(""))],
        Action::DeleteMilestone => {
            let id: i64 = sqlx::query_scalar("INSERT INTO milestones (initiative_id, title, due_on) VALUES (1, ?1, '2026-03-01') RETURNING id")
                .bind(format!("Doomed {tag}"))
                .fetch_one(&app.pool)
                .await
                .unwrap();
            vec![("id", id.to_string())]
        }
        Action::Allocation => vec![("year", s("")), ("department", s(""))],
        Action::SaveInvestmentCategories => vec![("id[0]", s("")), ("name[0]", format!("Category {tag}")), ("rule[0]", s("at_most")), ("pct[0]", s("30"))],
        Action::DeleteInvestmentCategory => {
            let id: i64 = sqlx::query_scalar("INSERT INTO investment_categories (name) VALUES (?1) RETURNING id").bind(format!("Unused {tag}")).fetch_one(&app.pool).await.unwrap();
            vec![("id", id.to_string())]
        }
        Action::Teams => vec![],
        Action::TeamDetail => vec![("id", new_team(app, &format!("Team to read {tag}")).await), ("year", s("")), ("month", s(""))],
        Action::SaveTeam => vec![("id", s("")), ("name", format!("Team {tag}")), ("department", app.department_id("Engineering").await.to_string())],
        Action::DeleteTeam => vec![("id", new_team(app, &format!("Doomed team {tag}")).await)],
        Action::SaveTeamRoles => {
            let month = chrono::Utc::now().format("%Y-%m").to_string();
            vec![("team", new_team(app, &format!("Staffed team {tag}")).await), ("from", month), ("role[0]", s("Engineer")), ("headcount[0]", s("2")), ("cost[0]", s("9000"))]
        }
        Action::SaveTimeAllocation => {
            let month = chrono::Utc::now().format("%Y-%m").to_string();
            vec![("team", new_team(app, &format!("Busy team {tag}")).await), ("month", month), ("key[0]", s("c1")), ("pct[0]", s("100"))]
        }
        Action::Capitalization => vec![("year", s(""))],
        Action::CloseCapitalization => vec![("through", s("2020-01"))],
        Action::CloudCosts => vec![],
        Action::SaveCloudRule => vec![
            ("id", s("")),
            ("priority", s("")),
            ("match_on", s("service")),
            ("tag_key", s("")),
            ("value", format!("Service {tag}")),
            ("department", app.department_id("Engineering").await.to_string()),
            ("system", s("")),
            ("investment", s("")),
        ],
        Action::DeleteCloudRule => {
            let eng = app.department_id("Engineering").await;
            let id: i64 = sqlx::query_scalar("INSERT INTO cloud_rules (priority, match_on, match_value, department_id, created_at) VALUES (5, 'provider', ?1, ?2, 0) RETURNING id")
                .bind(format!("Doomed {tag}"))
                .bind(eng)
                .fetch_one(&app.pool)
                .await
                .unwrap();
            vec![("id", id.to_string())]
        }
        Action::MapCloudLine => {
            let import: i64 = sqlx::query_scalar("INSERT INTO cloud_imports (rows, billed_minor, effective_minor, first_month, last_month, providers, imported_at) VALUES (1, 100, 100, 202601, 202601, 'AWS', 0) RETURNING id")
                .fetch_one(&app.pool)
                .await
                .unwrap();
            let line: i64 = sqlx::query_scalar(
                "INSERT INTO cloud_costs (import_id, month, provider, account_id, account_name, service, tags, rows, billed_minor, effective_minor) VALUES (?1, 202601, 'AWS', '1', '', ?2, '{}', 1, 100, 100) RETURNING id",
            )
            .bind(import)
            .bind(format!("Unmapped service {tag}"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
            vec![("line", line.to_string()), ("by", s("service")), ("department", app.department_id("Engineering").await.to_string()), ("system", s("")), ("investment", s(""))]
        }
        Action::UnitEconomics => vec![],
        Action::SaveUnitCost => vec![
            ("kpi", s("")),
            ("name", format!("Cost per availability {tag}")),
            ("basis", s("technology")),
            ("system", s("")),
            ("per", kpi_id(app, "availability").await.to_string()),
            ("per_units", s("1")),
            ("target", s("")),
            ("amber", s("")),
            ("red", s("")),
        ],
        Action::DeleteUnitCost => {
            let key = format!("doomed-unit-{tag}");
            let id = app.add_kpi(&key, None, "money", "lower", "last", None).await;
            sqlx::query("UPDATE kpis SET kept_by = 'strategy' WHERE id = ?1").bind(id).execute(&app.pool).await.unwrap();
            sqlx::query("INSERT INTO unit_costs (kpi_id, cost, per_kpi_id) VALUES (?1, 'cloud', ?2)").bind(id).bind(kpi_id(app, "availability").await).execute(&app.pool).await.unwrap();
            vec![("key", key)]
        }
        Action::Radar => vec![],
        Action::RadarEntry | Action::RadarEdition => vec![("id", s("1"))],
        Action::RadarEntryEditor => vec![("id", s("1"))],
        Action::SaveRadarEntry => vec![
            ("id", s("")),
            ("name", format!("Entry {tag}")),
            ("quadrant", s("0")),
            ("ring", s("assess")),
            ("description", s("")),
            ("proposal", s("Worth a look")),
            ("owner", s("")),
            ("initiative", s("")),
        ],
        Action::DeleteRadarEntry => vec![("id", new_proposal(app, &format!("Doomed {tag}")).await)],
        Action::DecideRadarEntry => vec![
            ("entry", new_proposal(app, &format!("Decided {tag}")).await),
            ("ring", s("trial")),
            ("decided_on", common::today()),
            ("reason", s("A team will try it")),
        ],
        Action::PublishRadarEdition => vec![("title", format!("Edition {tag}")), ("published_on", common::today())],
        Action::SaveRadarSettings => vec![("name[0]", s("Languages and frameworks")), ("name[1]", s("Platforms")), ("name[2]", s("Tools")), ("name[3]", s("Techniques"))],
        Action::Surveys | Action::SurveysWaiting => vec![],
        Action::SurveyDetail => vec![("id", s("1"))],
        Action::SaveSurvey => vec![("title", format!("Survey {tag}")), ("question", s("How is it?")), ("scale", s("five")), ("every", s("once")), ("roles[0]", s("department_head"))],
        Action::SendSurvey => vec![("id", new_survey(app, &format!("Closed {tag}"), false).await.0.to_string())],
        Action::AnswerSurvey => vec![("round", new_survey(app, &format!("Open {tag}"), true).await.1.to_string()), ("score", s("4")), ("comment", s(""))],
        Action::Feedback => vec![("sort", s("votes"))],
        Action::FeedbackEditor | Action::FeedbackNotices => vec![],
        Action::FeedbackItem => vec![("id", own_feedback(app, tag).await)],
        Action::FeedbackAbout => match CALLERS[tag.parse::<usize>().unwrap()] {
            Some(Role::Investor) => vec![("about", s("report")), ("target", s("1"))],
            _ => vec![("about", s("kpi")), ("target", kpi_id(app, "availability").await.to_string())],
        },
        Action::SaveFeedback => vec![("kind", s("request")), ("subject", s("technology")), ("title", format!("Feedback {tag}")), ("body", s(""))],
        Action::VoteFeedback => vec![("id", others_feedback(app, tag).await)],
        Action::CommentFeedback => vec![("item", own_feedback(app, tag).await), ("body", s("More detail"))],
        Action::AnswerFeedback => vec![("item", own_feedback(app, tag).await), ("state", s("under_review")), ("answer", s("Looking at it")), ("initiative", s("")), ("radar_entry", s(""))],
        Action::KeepFeedbackKpis => vec![],
        Action::Vulnerabilities => vec![],
        Action::SaveDeadlines => vec![("critical", s("7")), ("high", s("30")), ("medium", s("90")), ("low", s("180"))],
        Action::KeepSecurityKpis => vec![],
        Action::Controls | Action::AdoptControls => vec![],
        Action::AdminSecurity | Action::BackUpNow | Action::TestRestore | Action::RecordAccessReview => vec![],
        Action::SharePosture => vec![("shared", s("yes"))],
        Action::Control => vec![("id", s("1"))],
        Action::SaveControl => vec![("id", s("")), ("code", format!("T-{tag}")), ("title", s("Sampled control")), ("frequency", s("yearly"))],
        Action::RetireControl => vec![("id", s("1")), ("retired", s("false"))],
        Action::Privacy | Action::Posture => vec![],
        Action::PrivacyRecord | Action::ConfirmPrivacyRecord => vec![("id", s("1"))],
        Action::SavePrivacyRecord => vec![("system_id", s("1")), ("personal_data", s("no"))],
        Action::RecordRestoreDrill => vec![("system_id", s("1")), ("performed_on", common::today()), ("outcome", s("passed")), ("minutes", s("40")), ("detail", s("Restored to staging"))],
        Action::DeleteCategory => {
            let id: i64 = sqlx::query_scalar("INSERT INTO budget_categories (name) VALUES (?1) RETURNING id").bind(format!("Unused {tag}")).fetch_one(&app.pool).await.unwrap();
            vec![("id", id.to_string())]
        }
    }
}

/// The caller whose sample a `tag` is: staff own the channel they act on; for anyone else,
/// who are refused before any channel is looked at, the CTO does.
fn channel_owner(tag: &str) -> &'static str {
    match CALLERS[tag.parse::<usize>().unwrap()] {
        Some(Role::DepartmentHead) => common::email_of(Role::DepartmentHead),
        _ => common::email_of(Role::Cto),
    }
}

async fn new_department(app: &TestApp, name: &str) -> String {
    let id: i64 = sqlx::query_scalar("INSERT INTO departments (name) VALUES (?1) RETURNING id")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

fn who(caller: Option<Role>) -> &'static str {
    caller.map(|r| r.as_str()).unwrap_or("anonymous")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_admits_exactly_its_roles() {
    let app = spawn_app().await;
    fixtures(&app).await;
    let mut failures = Vec::new();
    for &action in Action::ALL {
        for (i, caller) in CALLERS.into_iter().enumerate() {
            let client = app.client_as(caller).await;
            let form = sample(&app, &client, action, &format!("{i}")).await;
            let records_before = app.audit_count().await;
            let res = app.call(&client, action.endpoint(), &form).await;
            let got = res.status().as_u16();
            let want = expected(action)[i];
            if got != want {
                let body = res.text().await.unwrap_or_default();
                failures.push(format!("{action:?} as {}: got {got}, want {want}: {body}", who(caller)));
                continue;
            }
            // A change leaves its record; a read or a refusal leaves none.
            let added = app.audit_count().await - records_before;
            let should = got == 200 && action.audited();
            if should != (added > 0) {
                failures.push(format!("{action:?} as {}: {added} audit record(s) added, expected {}", who(caller), if should { "one or more" } else { "none" }));
            }
        }
    }
    assert!(failures.is_empty(), "access table violations:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_agrees_with_the_expectations() {
    for &action in Action::ALL {
        for (i, caller) in CALLERS.into_iter().enumerate() {
            let admitted = action.audience().admits(caller);
            assert_eq!(admitted, expected(action)[i] == 200, "{action:?} for {}", who(caller));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_registered_server_function_has_a_rule() {
    let registered: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p).collect();
    let ruled: BTreeSet<&str> = Action::ALL.iter().map(|a| a.endpoint()).collect();
    assert_eq!(ruled.len(), Action::ALL.len());
    let unruled: Vec<_> = registered.difference(&ruled).collect();
    let unregistered: Vec<_> = ruled.difference(&registered).collect();
    assert!(unruled.is_empty(), "server functions without an access rule: {unruled:?}");
    assert!(unregistered.is_empty(), "rules for endpoints that do not exist: {unregistered:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_admits_exactly_its_roles() {
    let app = spawn_app().await;
    fixtures(&app).await;
    let mut failures = Vec::new();
    for page in Page::ALL {
        for (i, caller) in CALLERS.into_iter().enumerate() {
            let client = app.client_as(caller).await;
            let res = client.get(app.url(page_path(page))).send().await.unwrap();
            let got = res.status().as_u16();
            let want = expected_page(page)[i];
            if got != want {
                failures.push(format!("{} as {}: got {got}, want {want}", page_path(page), who(caller)));
                continue;
            }
            if got == 303 {
                let location = res.headers()["location"].to_str().unwrap().to_string();
                let ok = match caller {
                    None => location.starts_with("/login"),
                    Some(role) => location == role.home().path(),
                };
                if !ok {
                    failures.push(format!("{} as {}: redirected to {location}", page_path(page), who(caller)));
                }
            }
        }
    }
    assert!(failures.is_empty(), "page access violations:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_admits_exactly_its_callers() {
    let app = spawn_app().await;
    fixtures(&app).await;
    let mut failures = Vec::new();
    for &route in Route::ALL {
        for (i, caller) in CALLERS.into_iter().enumerate() {
            let client = app.client_as(caller).await;
            let path = route.path().replace("{key}", "eng-latency").replace("{id}", "1").replace("{version}", "1").replace("{token}", common::SHARE_TOKEN);
            let body = match route {
                Route::ExpenseImport => format!("date,amount,department,category,kind\n{},10,Engineering,Cloud,opex\n", common::today()),
                // Checked only: without commit=1 nothing is stored.
                Route::CloudImport => format!("ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ProviderName,ServiceName\n{},1,1,USD,AWS,Amazon S3\n", common::today()),
                // The fixtures' Engineering team, the head's own; checked only.
                Route::TimeImport => format!("team,month,work,percent\nFixture team,{},Keeping the lights on,100\n", &common::today()[..7]),
                // Checked only: without commit=1 nothing is stored.
                Route::FindingsImport => "title,severity\nFixture finding,high\n".to_string(),
                _ => CSV.to_string(),
            };
            let req = match route.method() {
                "GET" => client.get(app.url(&path)),
                _ if route == Route::RecordEvidence => {
                    let form = format!("--b\r\nContent-Disposition: form-data; name=\"performed_on\"\r\n\r\n{}\r\n--b\r\nContent-Disposition: form-data; name=\"outcome\"\r\n\r\npassed\r\n--b\r\nContent-Disposition: form-data; name=\"link\"\r\n\r\nhttps://wiki.example.com/x\r\n--b--\r\n", common::today());
                    client.post(app.url(&path)).header("content-type", "multipart/form-data; boundary=b").body(form)
                }
                _ => client.post(app.url(&path)).header("content-type", "text/csv").body(body),
            };
            let got = req.send().await.unwrap().status().as_u16();
            let want = expected_route(route)[i];
            if got != want {
                failures.push(format!("{} {path} as {}: got {got}, want {want}", route.method(), who(caller)));
            }
        }
    }
    assert!(failures.is_empty(), "route access violations:\n{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_route_table_agrees_with_the_expectations() {
    for &route in Route::ALL {
        for (i, caller) in CALLERS.into_iter().enumerate() {
            let want_ok = ![401, 403].contains(&expected_route(route)[i]);
            assert_eq!(route.audience().admits(caller), want_ok, "{route:?} for {}", who(caller));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_visitors_are_sent_to_sign_in_and_back() {
    let app = spawn_app().await;
    let res = app.client().get(app.url("/admin?tab=users")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/login?next=/admin%3Ftab%3Dusers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_page_says_why_and_shows_nothing_of_the_page() {
    let app = spawn_app().await;
    let client = app.client_as(Some(Role::Investor)).await;
    let res = client.get(app.url("/admin")).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let body = res.text().await.unwrap();
    assert!(body.contains("You do not have access to Admin"), "{body}");
    assert!(!body.contains("cto@northstar.demo"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn navigation_shows_each_role_only_its_pages() {
    let app = spawn_app().await;
    for &role in Role::ALL {
        let client = app.client_as(Some(role)).await;
        let home = role.home().path();
        let html = client.get(app.url(home)).send().await.unwrap().text().await.unwrap();
        let nav_start = html.find("aria-label=\"Main\"").expect("main navigation");
        let nav = &html[nav_start..nav_start + html[nav_start..].find("</nav>").unwrap()];
        for page in Page::NAV {
            let shown = nav.contains(&format!("href=\"{}\"", page.path()));
            assert_eq!(shown, page.audience().admits(Some(role)), "{:?} link for {role:?}", page);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_sees_only_their_own_department() {
    let app = spawn_app().await;
    let client = app.client_as(Some(Role::DepartmentHead)).await;
    let res = app.call(&client, Action::ListDepartments.endpoint(), &[]).await;
    let list = common::json(res).await;
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Engineering"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_arguments_are_a_bad_request_not_a_server_error() {
    let app = spawn_app().await;
    let client = app.client_as(Some(Role::Cto)).await;
    let res = app.call(&client, Action::SetUserActive.endpoint(), &[("id", "abc".into()), ("active", "yes".into())]).await;
    assert_eq!(res.status(), 400);
    assert_eq!(common::json(res).await["kind"], "bad_request");
}
