//! Server functions: one row each, with the endpoint it is mounted at and who may call it.

use super::{Audience, CTO, EVERY_ROLE, READERS, STAFF};

macro_rules! action_table {
    ($($(#[$doc:meta])* $name:ident => $path:literal, $audience:expr;)+) => {
        /// Every server function, by the endpoint it is mounted at.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action { $($(#[$doc])* $name),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$name),+];

            /// The HTTP path; it must equal the `endpoint` of the function's `#[server]`
            /// attribute (a test compares this list with the functions actually registered).
            pub fn endpoint(self) -> &'static str {
                match self { $(Action::$name => $path),+ }
            }

            pub fn audience(self) -> Audience {
                match self { $(Action::$name => $audience),+ }
            }
        }
    };
}

action_table! {
    Login => "/api/auth/login", Audience::Anyone;
    /// Anonymous callers get `None`: the shell uses it to decide what to draw.
    CurrentUser => "/api/auth/me", Audience::Anyone;
    Logout => "/api/auth/logout", Audience::SignedIn;
    ChangeOwnPassword => "/api/auth/change_password", Audience::SignedIn;

    ListUsers => "/api/admin/users", CTO;
    CreateUser => "/api/admin/users/create", CTO;
    UpdateUser => "/api/admin/users/update", CTO;
    SetUserActive => "/api/admin/users/set_active", CTO;
    ResetPassword => "/api/admin/users/reset_password", CTO;
    /// Department heads get only their own department.
    ListDepartments => "/api/departments", STAFF;
    CreateDepartment => "/api/admin/departments/create", CTO;
    RenameDepartment => "/api/admin/departments/rename", CTO;
    DeleteDepartment => "/api/admin/departments/delete", CTO;
    AuditLog => "/api/admin/audit", CTO;
    ListApiTokens => "/api/admin/tokens", CTO;
    CreateApiToken => "/api/admin/tokens/create", CTO;
    RevokeApiToken => "/api/admin/tokens/revoke", CTO;

    /// KPIs: department heads see company-wide KPIs and their own department's.
    KpiOverview => "/api/kpis/overview", STAFF;
    ListKpis => "/api/kpis/list", STAFF;
    KpiDetail => "/api/kpis/detail", STAFF;
    ListMeasurements => "/api/kpis/measurements", STAFF;
    DoraSummary => "/api/kpis/dora", STAFF;
    /// Recording is further limited to the caller's own department's KPIs.
    AddMeasurement => "/api/kpis/measurements/add", STAFF;
    DeleteMeasurement => "/api/kpis/measurements/delete", STAFF;
    CommitImport => "/api/kpis/import/commit", STAFF;
    ImportProgress => "/api/kpis/import/progress", STAFF;
    CancelImport => "/api/kpis/import/cancel", STAFF;
    KpiForEdit => "/api/kpis/for_edit", CTO;
    SaveKpi => "/api/kpis/save", CTO;
    DeleteKpi => "/api/kpis/delete", CTO;
    SetTarget => "/api/kpis/targets/set", CTO;

    /// Budgets: department heads see and record only their own department's; any other
    /// department, by argument or id, is refused with 403.
    BudgetOverview => "/api/budgets/overview", STAFF;
    ListExpenses => "/api/budgets/expenses", STAFF;
    SaveExpense => "/api/budgets/expenses/save", STAFF;
    DeleteExpense => "/api/budgets/expenses/delete", STAFF;
    BudgetPlan => "/api/budgets/plan", STAFF;
    SetBudget => "/api/budgets/plan/set", CTO;
    ListContracts => "/api/budgets/vendors", STAFF;
    SaveContract => "/api/budgets/contracts/save", CTO;
    DeleteContract => "/api/budgets/contracts/delete", CTO;
    BudgetSettings => "/api/budgets/settings", CTO;
    SaveBudgetSettings => "/api/budgets/settings/save", CTO;
    SaveCategory => "/api/budgets/categories/save", CTO;
    DeleteCategory => "/api/budgets/categories/delete", CTO;

    /// Infrastructure: staff see every system's status; the CTO changes things. Incident
    /// notes are further limited to systems the caller's department owns.
    InfraBoard => "/api/infra/board", STAFF;
    SystemDetail => "/api/infra/system", STAFF;
    SystemEditor => "/api/infra/system/editor", CTO;
    SaveSystem => "/api/infra/systems/save", CTO;
    DeleteSystem => "/api/infra/systems/delete", CTO;
    SetManualStatus => "/api/infra/systems/status", CTO;
    SaveCheck => "/api/infra/checks/save", CTO;
    DeleteCheck => "/api/infra/checks/delete", CTO;
    RunCheck => "/api/infra/checks/run", CTO;
    SaveMaintenance => "/api/infra/maintenance/save", CTO;
    DeleteMaintenance => "/api/infra/maintenance/delete", CTO;
    ListIncidents => "/api/infra/incidents", STAFF;
    IncidentDetail => "/api/infra/incident", STAFF;
    OpenIncident => "/api/infra/incidents/open", CTO;
    UpdateIncident => "/api/infra/incidents/update", CTO;
    AddIncidentNote => "/api/infra/incidents/note", STAFF;
    SlaReport => "/api/infra/sla", STAFF;

    /// Investors get published reports only; the CTO drafts too.
    ListReports => "/api/reports/list", READERS;
    CreateReport => "/api/reports/create", CTO;
    ComposeReport => "/api/reports/draft", CTO;
    SaveReportDraft => "/api/reports/save", CTO;
    PreviewReport => "/api/reports/preview", CTO;
    PublishReport => "/api/reports/publish", CTO;
    DeleteReport => "/api/reports/delete", CTO;
    ReadReport => "/api/reports/published", READERS;
    /// The share token is the credential; no session is needed.
    OpenSharedReport => "/api/share/open", Audience::Anyone;
    CreateShareLink => "/api/reports/links/create", CTO;
    RevokeShareLink => "/api/reports/links/revoke", CTO;
    /// Department heads only for their own department.
    DepartmentReport => "/api/reports/department", STAFF;

    /// Alerts: department heads see and acknowledge their own department's only.
    ListAlerts => "/api/alerts/list", STAFF;
    AlertsHere => "/api/alerts/here", STAFF;
    FiringAlerts => "/api/alerts/firing", STAFF;
    AcknowledgeAlert => "/api/alerts/acknowledge", STAFF;
    MuteAlert => "/api/alerts/mute", STAFF;
    AlertRules => "/api/alerts/rules", CTO;
    SaveAlertRule => "/api/alerts/rules/save", CTO;
    /// Notification channels: staff their own (a head's receive their department's alerts
    /// only), the CTO every one.
    ListAlertChannels => "/api/alerts/channels", STAFF;
    SaveAlertChannel => "/api/alerts/channels/save", STAFF;
    DeleteAlertChannel => "/api/alerts/channels/delete", STAFF;
    TestAlertChannel => "/api/alerts/channels/test", STAFF;

    /// Strategy: staff read every objective; a department head sees and changes only their own
    /// department's initiatives and milestones.
    StrategyMap => "/api/strategy/map", STAFF;
    ObjectiveEditor => "/api/strategy/objective/editor", CTO;
    SaveObjective => "/api/strategy/objectives/save", CTO;
    DeleteObjective => "/api/strategy/objectives/delete", CTO;
    InitiativeDetail => "/api/strategy/initiative", STAFF;
    InitiativeEditor => "/api/strategy/initiative/editor", STAFF;
    SaveInitiative => "/api/strategy/initiatives/save", STAFF;
    DeleteInitiative => "/api/strategy/initiatives/delete", STAFF;
    SaveMilestone => "/api/strategy/milestones/save", STAFF;
    DeleteMilestone => "/api/strategy/milestones/delete", STAFF;
    /// Investment allocation: staff read it (a head their own department's); the categories
    /// and the target mix are the CTO's.
    Allocation => "/api/strategy/allocation", STAFF;
    SaveInvestmentCategories => "/api/strategy/categories/save", CTO;
    DeleteInvestmentCategory => "/api/strategy/categories/delete", CTO;
    /// Teams and their time: staff (a head their own department's teams); the capitalization
    /// report and closing its months are the CTO's.
    Teams => "/api/strategy/teams", STAFF;
    TeamDetail => "/api/strategy/team", STAFF;
    SaveTeam => "/api/strategy/teams/save", STAFF;
    DeleteTeam => "/api/strategy/teams/delete", STAFF;
    SaveTeamRoles => "/api/strategy/teams/roles", STAFF;
    SaveTimeAllocation => "/api/strategy/teams/time", STAFF;
    Capitalization => "/api/strategy/capitalization", CTO;
    CloseCapitalization => "/api/strategy/capitalization/close", CTO;
    /// Cloud cost and its mapping rules: the CTO's, company-wide.
    CloudCosts => "/api/strategy/cloud", CTO;
    SaveCloudRule => "/api/strategy/cloud/rules/save", CTO;
    DeleteCloudRule => "/api/strategy/cloud/rules/delete", CTO;
    MapCloudLine => "/api/strategy/cloud/map", CTO;
    /// Unit economics: the CTO's; the costs per unit themselves are KPIs, read like any other.
    UnitEconomics => "/api/strategy/unit-economics", CTO;
    SaveUnitCost => "/api/strategy/unit-economics/save", CTO;
    DeleteUnitCost => "/api/strategy/unit-economics/delete", CTO;
    /// The cockpit's strategy panel: the reader's scope, by the strategy pages' rules.
    StrategyDigest => "/api/strategy/digest", STAFF;

    /// The technology radar: staff read it and propose entries (a head sees their own
    /// department's proposals only); the CTO decides, names quadrants and publishes editions.
    Radar => "/api/radar", STAFF;
    RadarEntry => "/api/radar/entry", STAFF;
    RadarEntryEditor => "/api/radar/entry/editor", STAFF;
    SaveRadarEntry => "/api/radar/entries/save", STAFF;
    DeleteRadarEntry => "/api/radar/entries/delete", CTO;
    DecideRadarEntry => "/api/radar/entries/decide", CTO;
    PublishRadarEdition => "/api/radar/editions/publish", CTO;
    RadarEdition => "/api/radar/edition", STAFF;
    SaveRadarSettings => "/api/radar/settings/save", CTO;

    /// Stakeholder feedback: everyone signed in files items and reads what is theirs to read
    /// (a head their department's and the company's, an investor their own); staff vote; the
    /// CTO answers.
    Feedback => "/api/feedback", EVERY_ROLE;
    FeedbackItem => "/api/feedback/item", EVERY_ROLE;
    FeedbackEditor => "/api/feedback/editor", EVERY_ROLE;
    FeedbackAbout => "/api/feedback/about", EVERY_ROLE;
    FeedbackNotices => "/api/feedback/notices", EVERY_ROLE;
    SaveFeedback => "/api/feedback/save", EVERY_ROLE;
    VoteFeedback => "/api/feedback/vote", STAFF;
    CommentFeedback => "/api/feedback/comment", EVERY_ROLE;
    AnswerFeedback => "/api/feedback/answer", CTO;
    KeepFeedbackKpis => "/api/feedback/kpis", CTO;
    /// Satisfaction surveys: the CTO sends them and reads results (none under five answers);
    /// whoever a survey asks answers it.
    Surveys => "/api/surveys", CTO;
    SurveyDetail => "/api/surveys/detail", CTO;
    SaveSurvey => "/api/surveys/save", CTO;
    SendSurvey => "/api/surveys/send", CTO;
    SurveysWaiting => "/api/surveys/waiting", EVERY_ROLE;
    AnswerSurvey => "/api/surveys/answer", EVERY_ROLE;

    /// Security: staff read the findings of the systems in their scope (a head their own
    /// department's); the CTO sets the remediation deadlines and keeps the KPIs.
    Vulnerabilities => "/api/security/vulnerabilities", STAFF;
    SaveDeadlines => "/api/security/deadlines/save", CTO;
    KeepSecurityKpis => "/api/security/kpis", CTO;
    /// Controls: staff read those in their scope (a head their own department's) and record
    /// their evidence (a route, `Route::RecordEvidence`); the CTO keeps the register.
    Controls => "/api/security/controls", STAFF;
    Control => "/api/security/control", STAFF;
    SaveControl => "/api/security/controls/save", CTO;
    AdoptControls => "/api/security/controls/adopt", CTO;
    RetireControl => "/api/security/controls/retire", CTO;
    /// Admin's security section: Northstar's own backups, restore tests and access reviews.
    AdminSecurity => "/api/security/admin", CTO;
    BackUpNow => "/api/security/backups/now", CTO;
    TestRestore => "/api/security/restore-test", CTO;
    RecordAccessReview => "/api/security/access-review", CTO;
    /// The record of processing: staff read and keep the records of the systems in their
    /// scope (a head their own department's).
    Privacy => "/api/security/privacy", STAFF;
    PrivacyRecord => "/api/security/privacy/record", STAFF;
    SavePrivacyRecord => "/api/security/privacy/save", STAFF;
    ConfirmPrivacyRecord => "/api/security/privacy/confirm", STAFF;
    /// A restore drill on a system's page: the CTO any system, a head their department's.
    RecordRestoreDrill => "/api/security/restore-tests/record", STAFF;
    /// The security posture, in the reader's scope (it keeps each closed month's figures the
    /// first time it is read; that is no change of anyone's).
    Posture => "/api/security/posture", STAFF;
    /// Whether investor reports show the posture.
    SharePosture => "/api/security/posture/share", CTO;
}

impl Action {
    /// Whether a successful call leaves a record in the audit trail: every change, every
    /// sign-in and sign-out, and every visit through a share link. `tests/it/access.rs` calls each
    /// action and checks the trail grew, or did not, accordingly.
    pub fn audited(self) -> bool {
        use Action::*;
        match self {
            Login | Logout | ChangeOwnPassword => true,
            CreateUser | UpdateUser | SetUserActive | ResetPassword | CreateDepartment | RenameDepartment | DeleteDepartment => true,
            CreateApiToken | RevokeApiToken => true,
            AddMeasurement | DeleteMeasurement | CommitImport | SaveKpi | DeleteKpi | SetTarget => true,
            SaveExpense | DeleteExpense | SetBudget | SaveContract | DeleteContract | SaveBudgetSettings | SaveCategory | DeleteCategory => true,
            SaveSystem | DeleteSystem | SetManualStatus | SaveCheck | DeleteCheck | RunCheck | SaveMaintenance | DeleteMaintenance => true,
            OpenIncident | UpdateIncident | AddIncidentNote => true,
            CreateReport | SaveReportDraft | PublishReport | DeleteReport | OpenSharedReport | CreateShareLink | RevokeShareLink => true,
            AcknowledgeAlert | MuteAlert | SaveAlertRule | SaveAlertChannel | DeleteAlertChannel | TestAlertChannel => true,
            SaveObjective | DeleteObjective | SaveInitiative | DeleteInitiative | SaveMilestone | DeleteMilestone => true,
            SaveInvestmentCategories | DeleteInvestmentCategory => true,
            SaveTeam | DeleteTeam | SaveTeamRoles | SaveTimeAllocation | CloseCapitalization => true,
            SaveCloudRule | DeleteCloudRule | MapCloudLine | SaveUnitCost | DeleteUnitCost => true,
            SaveRadarEntry | DeleteRadarEntry | DecideRadarEntry | PublishRadarEdition | SaveRadarSettings => true,
            SaveFeedback | VoteFeedback | CommentFeedback | AnswerFeedback | KeepFeedbackKpis => true,
            SaveSurvey | SendSurvey => true,
            SaveDeadlines | KeepSecurityKpis | SaveControl | AdoptControls | RetireControl => true,
            BackUpNow | TestRestore | RecordAccessReview | SavePrivacyRecord | ConfirmPrivacyRecord | RecordRestoreDrill | SharePosture => true,
            // Anonymous: an entry would say who answered, and when.
            AnswerSurvey => false,
            // Reads, a preview that stores nothing, and an upload's progress or cancellation
            // (the staged file was never stored).
            CurrentUser | ListUsers | ListDepartments | AuditLog | ListApiTokens => false,
            KpiOverview | ListKpis | KpiDetail | ListMeasurements | DoraSummary | ImportProgress | CancelImport | KpiForEdit => false,
            BudgetOverview | ListExpenses | BudgetPlan | ListContracts | BudgetSettings => false,
            InfraBoard | SystemDetail | SystemEditor | ListIncidents | IncidentDetail | SlaReport => false,
            ListReports | ComposeReport | PreviewReport | ReadReport | DepartmentReport => false,
            ListAlerts | AlertsHere | FiringAlerts | AlertRules | ListAlertChannels => false,
            StrategyMap | ObjectiveEditor | InitiativeDetail | InitiativeEditor | Allocation => false,
            Teams | TeamDetail | Capitalization | CloudCosts | UnitEconomics | StrategyDigest => false,
            Radar | RadarEntry | RadarEntryEditor | RadarEdition => false,
            // Opening an item marks the reader's notices about it read: their own, not the trail's.
            Feedback | FeedbackItem | FeedbackEditor | FeedbackAbout | FeedbackNotices => false,
            Surveys | SurveyDetail | SurveysWaiting => false,
            Vulnerabilities | Controls | Control | AdminSecurity | Privacy | PrivacyRecord | Posture => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_callers_reach_only_public_rules() {
        for action in Action::ALL {
            let public = matches!(action.audience(), Audience::Anyone);
            assert_eq!(action.audience().admits(None), public, "{action:?}");
        }
    }

    #[test]
    fn endpoints_are_unique_and_under_api() {
        let mut seen = std::collections::HashSet::new();
        for action in Action::ALL {
            assert!(seen.insert(action.endpoint()), "duplicate endpoint {}", action.endpoint());
            assert!(action.endpoint().starts_with("/api/") && !action.endpoint().starts_with("/api/v1/"));
        }
    }
}
