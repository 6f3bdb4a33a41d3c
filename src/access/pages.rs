//! Pages: their URL patterns, navigation labels and who may open them.

use super::{Audience, CTO, EVERY_ROLE, READERS, STAFF};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Page {
    Login,
    Overview,
    Kpis,
    KpiDora,
    KpiNew,
    KpiDetail,
    KpiEdit,
    Budgets,
    BudgetExpenses,
    BudgetPlan,
    BudgetVendors,
    BudgetSettings,
    Infrastructure,
    InfraSystem,
    InfraSystemNew,
    InfraSystemEdit,
    InfraIncidents,
    InfraIncident,
    InfraSla,
    Strategy,
    Allocation,
    Teams,
    Team,
    Capitalization,
    CloudCost,
    UnitEconomics,
    ObjectiveNew,
    ObjectiveEdit,
    Initiative,
    InitiativeNew,
    InitiativeEdit,
    Radar,
    RadarEntry,
    RadarEntryNew,
    RadarEntryEdit,
    RadarEdition,
    Feedback,
    FeedbackNew,
    FeedbackItem,
    Surveys,
    SurveyDetail,
    SurveyAnswer,
    Posture,
    Vulnerabilities,
    Controls,
    Control,
    Privacy,
    PrivacyRecord,
    Reports,
    ReportDetail,
    ReportVersion,
    DepartmentReport,
    SharedReport,
    Alerts,
    AlertRules,
    AlertChannels,
    Admin,
    AdminAudit,
    Account,
}

impl Page {
    pub const ALL: [Page; 59] = [
        Page::Login,
        Page::Overview,
        Page::Kpis,
        Page::KpiDora,
        Page::KpiNew,
        Page::KpiDetail,
        Page::KpiEdit,
        Page::Budgets,
        Page::BudgetExpenses,
        Page::BudgetPlan,
        Page::BudgetVendors,
        Page::BudgetSettings,
        Page::Infrastructure,
        Page::InfraSystem,
        Page::InfraSystemNew,
        Page::InfraSystemEdit,
        Page::InfraIncidents,
        Page::InfraIncident,
        Page::InfraSla,
        Page::Strategy,
        Page::Allocation,
        Page::Teams,
        Page::Team,
        Page::Capitalization,
        Page::CloudCost,
        Page::UnitEconomics,
        Page::ObjectiveNew,
        Page::ObjectiveEdit,
        Page::Initiative,
        Page::InitiativeNew,
        Page::InitiativeEdit,
        Page::Radar,
        Page::RadarEntry,
        Page::RadarEntryNew,
        Page::RadarEntryEdit,
        Page::RadarEdition,
        Page::Feedback,
        Page::FeedbackNew,
        Page::FeedbackItem,
        Page::Surveys,
        Page::SurveyDetail,
        Page::SurveyAnswer,
        Page::Posture,
        Page::Vulnerabilities,
        Page::Controls,
        Page::Control,
        Page::Privacy,
        Page::PrivacyRecord,
        Page::Reports,
        Page::ReportDetail,
        Page::ReportVersion,
        Page::DepartmentReport,
        Page::SharedReport,
        Page::Alerts,
        Page::AlertRules,
        Page::AlertChannels,
        Page::Admin,
        Page::AdminAudit,
        Page::Account,
    ];

    /// Pages listed in the main navigation.
    pub const NAV: [Page; 10] = [Page::Overview, Page::Kpis, Page::Budgets, Page::Infrastructure, Page::Strategy, Page::Radar, Page::Posture, Page::Reports, Page::Feedback, Page::Admin];

    /// The address of a page with parameters, e.g. `Page::KpiDetail.href(&[&key])`.
    pub fn href(self, params: &[&dyn std::fmt::Display]) -> String {
        super::fill(self.pattern(), params)
    }

    /// The URL pattern; `:name` matches one path segment.
    pub fn pattern(self) -> &'static str {
        match self {
            Page::Login => "/login",
            Page::Overview => "/",
            Page::Kpis => "/kpis",
            Page::KpiDora => "/kpis/dora",
            Page::KpiNew => "/kpis/new",
            Page::KpiDetail => "/kpis/:key",
            Page::KpiEdit => "/kpis/:key/edit",
            Page::Budgets => "/budgets",
            Page::BudgetExpenses => "/budgets/expenses",
            Page::BudgetPlan => "/budgets/plan",
            Page::BudgetVendors => "/budgets/vendors",
            Page::BudgetSettings => "/budgets/settings",
            Page::Infrastructure => "/infrastructure",
            Page::InfraSystem => "/infrastructure/systems/:id",
            Page::InfraSystemNew => "/infrastructure/systems/new",
            Page::InfraSystemEdit => "/infrastructure/systems/:id/edit",
            Page::InfraIncidents => "/infrastructure/incidents",
            Page::InfraIncident => "/infrastructure/incidents/:id",
            Page::InfraSla => "/infrastructure/sla",
            Page::Strategy => "/strategy",
            Page::Allocation => "/strategy/allocation",
            Page::Teams => "/strategy/teams",
            Page::Team => "/strategy/teams/:id",
            Page::Capitalization => "/strategy/capitalization",
            Page::CloudCost => "/strategy/cloud",
            Page::UnitEconomics => "/strategy/unit-economics",
            Page::ObjectiveNew => "/strategy/objectives/new",
            Page::ObjectiveEdit => "/strategy/objectives/:id/edit",
            Page::Initiative => "/strategy/initiatives/:id",
            Page::InitiativeNew => "/strategy/initiatives/new",
            Page::InitiativeEdit => "/strategy/initiatives/:id/edit",
            Page::Radar => "/radar",
            Page::RadarEntry => "/radar/entries/:id",
            Page::RadarEntryNew => "/radar/entries/new",
            Page::RadarEntryEdit => "/radar/entries/:id/edit",
            Page::RadarEdition => "/radar/editions/:id",
            Page::Feedback => "/feedback",
            Page::FeedbackNew => "/feedback/new",
            Page::FeedbackItem => "/feedback/:id",
            Page::Surveys => "/surveys",
            Page::SurveyDetail => "/surveys/:id",
            Page::SurveyAnswer => "/surveys/answer",
            Page::Posture => "/security",
            Page::Vulnerabilities => "/security/vulnerabilities",
            Page::Controls => "/security/controls",
            Page::Control => "/security/controls/:id",
            Page::Privacy => "/security/privacy",
            Page::PrivacyRecord => "/security/privacy/:id",
            Page::Reports => "/reports",
            Page::ReportDetail => "/reports/:id",
            Page::ReportVersion => "/reports/:id/versions/:version",
            Page::DepartmentReport => "/reports/department",
            Page::SharedReport => "/share/:token",
            Page::Alerts => "/alerts",
            Page::AlertRules => "/alerts/rules",
            Page::AlertChannels => "/alerts/channels",
            Page::Admin => "/admin",
            Page::AdminAudit => "/admin/audit",
            Page::Account => "/account",
        }
    }

    /// The link for pages without parameters (the navigation's pages).
    pub fn path(self) -> &'static str {
        self.pattern()
    }

    pub fn label(self) -> &'static str {
        match self {
            Page::Login => "Sign in",
            Page::Overview => "Overview",
            Page::Kpis | Page::KpiDetail => "KPIs",
            Page::KpiDora => "DORA metrics",
            Page::KpiNew => "New KPI",
            Page::KpiEdit => "Edit KPI",
            Page::Budgets => "Budgets",
            Page::BudgetExpenses => "Expenses",
            Page::BudgetPlan => "Budget plan",
            Page::BudgetVendors => "Vendors and contracts",
            Page::BudgetSettings => "Budget settings",
            Page::Infrastructure | Page::InfraSystem => "Infrastructure",
            Page::InfraSystemNew => "New system",
            Page::InfraSystemEdit => "Edit system",
            Page::InfraIncidents | Page::InfraIncident => "Incidents",
            Page::InfraSla => "SLA report",
            Page::Strategy | Page::Initiative => "Strategy",
            Page::Allocation => "Investment allocation",
            Page::Teams | Page::Team => "Teams and time",
            Page::Capitalization => "Capitalization",
            Page::CloudCost => "Cloud cost",
            Page::UnitEconomics => "Unit economics",
            Page::ObjectiveNew => "New objective",
            Page::ObjectiveEdit => "Edit objective",
            Page::InitiativeNew => "New initiative",
            Page::InitiativeEdit => "Edit initiative",
            Page::Radar | Page::RadarEntry | Page::RadarEdition => "Radar",
            Page::RadarEntryNew => "New radar entry",
            Page::RadarEntryEdit => "Edit radar entry",
            Page::Feedback | Page::FeedbackItem => "Feedback",
            Page::FeedbackNew => "Give feedback",
            Page::Surveys | Page::SurveyDetail => "Surveys",
            Page::SurveyAnswer => "Answer a survey",
            Page::Posture => "Security",
            Page::Vulnerabilities => "Vulnerabilities",
            Page::Controls | Page::Control => "Controls",
            Page::Privacy | Page::PrivacyRecord => "Personal data",
            Page::Reports | Page::ReportDetail | Page::ReportVersion => "Reports",
            Page::DepartmentReport => "Department report",
            Page::SharedReport => "Shared report",
            Page::Alerts => "Alerts",
            Page::AlertRules => "Alert rules",
            Page::AlertChannels => "Notifications",
            Page::Admin => "Admin",
            Page::AdminAudit => "Audit trail",
            Page::Account => "Account",
        }
    }

    /// The navigation entry a page sits under, for highlighting.
    pub fn section(self) -> Page {
        match self {
            Page::KpiDora | Page::KpiNew | Page::KpiDetail | Page::KpiEdit => Page::Kpis,
            Page::BudgetExpenses | Page::BudgetPlan | Page::BudgetVendors | Page::BudgetSettings => Page::Budgets,
            Page::InfraSystem | Page::InfraSystemNew | Page::InfraSystemEdit | Page::InfraIncidents | Page::InfraIncident | Page::InfraSla => Page::Infrastructure,
            Page::ReportDetail | Page::ReportVersion | Page::DepartmentReport => Page::Reports,
            Page::Allocation | Page::Teams | Page::Team | Page::Capitalization | Page::CloudCost | Page::UnitEconomics | Page::ObjectiveNew | Page::ObjectiveEdit | Page::Initiative | Page::InitiativeNew | Page::InitiativeEdit => Page::Strategy,
            Page::RadarEntry | Page::RadarEntryNew | Page::RadarEntryEdit | Page::RadarEdition => Page::Radar,
            Page::FeedbackNew | Page::FeedbackItem | Page::Surveys | Page::SurveyDetail | Page::SurveyAnswer => Page::Feedback,
            Page::Vulnerabilities | Page::Controls | Page::Control | Page::Privacy | Page::PrivacyRecord => Page::Posture,
            Page::AdminAudit => Page::Admin,
            Page::AlertRules | Page::AlertChannels => Page::Alerts,
            other => other,
        }
    }

    pub fn audience(self) -> Audience {
        match self {
            Page::Login => Audience::Anyone,
            Page::Overview | Page::Kpis | Page::KpiDora | Page::KpiDetail => STAFF,
            Page::Budgets | Page::BudgetExpenses | Page::BudgetPlan | Page::BudgetVendors | Page::Infrastructure => STAFF,
            Page::InfraSystem | Page::InfraIncidents | Page::InfraIncident | Page::InfraSla => STAFF,
            Page::BudgetSettings | Page::InfraSystemNew | Page::InfraSystemEdit => CTO,
            Page::KpiNew | Page::KpiEdit => CTO,
            Page::Strategy | Page::Allocation | Page::Initiative | Page::InitiativeNew | Page::InitiativeEdit => STAFF,
            Page::Teams | Page::Team => STAFF,
            Page::Radar | Page::RadarEntry | Page::RadarEntryNew | Page::RadarEntryEdit | Page::RadarEdition => STAFF,
            Page::Posture | Page::Vulnerabilities | Page::Controls | Page::Control | Page::Privacy | Page::PrivacyRecord => STAFF,
            Page::Feedback | Page::FeedbackNew | Page::FeedbackItem | Page::SurveyAnswer => EVERY_ROLE,
            Page::Surveys | Page::SurveyDetail => CTO,
            Page::ObjectiveNew | Page::ObjectiveEdit | Page::Capitalization | Page::CloudCost | Page::UnitEconomics => CTO,
            Page::Reports => EVERY_ROLE,
            Page::ReportDetail | Page::ReportVersion => READERS,
            Page::DepartmentReport => STAFF,
            // The token in the address is the credential.
            Page::SharedReport => Audience::Anyone,
            Page::Alerts => STAFF,
            Page::AlertRules => CTO,
            Page::AlertChannels => STAFF,
            Page::Admin | Page::AdminAudit => CTO,
            Page::Account => Audience::SignedIn,
        }
    }

    /// The page a request path shows, if any. Static segments win over parameters, so
    /// `/kpis/new` is the editor and not a KPI called "new".
    pub fn for_path(path: &str) -> Option<Page> {
        let path = path.split('?').next().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        Page::ALL
            .into_iter()
            .filter_map(|page| {
                let pattern: Vec<&str> = page.pattern().split('/').filter(|s| !s.is_empty()).collect();
                if pattern.len() != segments.len() {
                    return None;
                }
                let mut fixed = 0;
                for (p, s) in pattern.iter().zip(&segments) {
                    if p.starts_with(':') {
                        continue;
                    }
                    if p != s {
                        return None;
                    }
                    fixed += 1;
                }
                Some((fixed, page))
            })
            .max_by_key(|(fixed, _)| *fixed)
            .map(|(_, page)| page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    #[test]
    fn pages_resolve_from_their_paths() {
        let cases = [
            ("/", Some(Page::Overview)),
            ("", Some(Page::Overview)),
            ("/kpis", Some(Page::Kpis)),
            ("/kpis/", Some(Page::Kpis)),
            ("/kpis/lead-time", Some(Page::KpiDetail)),
            ("/kpis/new", Some(Page::KpiNew)),
            ("/kpis/dora", Some(Page::KpiDora)),
            ("/kpis/lead-time/edit", Some(Page::KpiEdit)),
            ("/infrastructure/systems/new", Some(Page::InfraSystemNew)),
            ("/infrastructure/systems/12", Some(Page::InfraSystem)),
            ("/infrastructure/systems/12/edit", Some(Page::InfraSystemEdit)),
            ("/infrastructure/incidents/3", Some(Page::InfraIncident)),
            ("/strategy/initiatives/new", Some(Page::InitiativeNew)),
            ("/strategy/allocation", Some(Page::Allocation)),
            ("/strategy/teams/3", Some(Page::Team)),
            ("/strategy/capitalization", Some(Page::Capitalization)),
            ("/strategy/cloud", Some(Page::CloudCost)),
            ("/strategy/unit-economics", Some(Page::UnitEconomics)),
            ("/strategy/initiatives/4", Some(Page::Initiative)),
            ("/strategy/objectives/4/edit", Some(Page::ObjectiveEdit)),
            ("/radar/entries/new", Some(Page::RadarEntryNew)),
            ("/radar/entries/4", Some(Page::RadarEntry)),
            ("/radar/editions/2", Some(Page::RadarEdition)),
            ("/feedback/new", Some(Page::FeedbackNew)),
            ("/feedback/7", Some(Page::FeedbackItem)),
            ("/surveys/answer", Some(Page::SurveyAnswer)),
            ("/surveys/3", Some(Page::SurveyDetail)),
            ("/security", Some(Page::Posture)),
            ("/security/vulnerabilities", Some(Page::Vulnerabilities)),
            ("/security/controls", Some(Page::Controls)),
            ("/security/controls/7", Some(Page::Control)),
            ("/security/privacy", Some(Page::Privacy)),
            ("/security/privacy/3", Some(Page::PrivacyRecord)),
            ("/kpis/lead-time/edit/more", None),
            ("/kpisx", None),
            ("/admin?x=1", Some(Page::Admin)),
            ("/login", Some(Page::Login)),
            ("/nowhere", None),
        ];
        for (path, want) in cases {
            assert_eq!(Page::for_path(path), want, "path {path:?}");
        }
    }

    #[test]
    fn navigation_per_role() {
        let nav = |role| Page::NAV.into_iter().filter(|p| p.audience().admits(Some(role))).map(Page::label).collect::<Vec<_>>();
        assert_eq!(nav(Role::Cto), ["Overview", "KPIs", "Budgets", "Infrastructure", "Strategy", "Radar", "Security", "Reports", "Feedback", "Admin"]);
        assert_eq!(nav(Role::DepartmentHead), ["Overview", "KPIs", "Budgets", "Infrastructure", "Strategy", "Radar", "Security", "Reports", "Feedback"]);
        assert_eq!(nav(Role::Investor), ["Reports", "Feedback"]);
    }

    #[test]
    fn every_page_sits_in_a_navigation_section_or_is_its_own() {
        for page in Page::ALL {
            let section = page.section();
            // Alerts are reached from the bell beside the navigation.
            assert!(section == page || Page::NAV.contains(&section) || section == Page::Alerts, "{page:?}");
        }
    }
}
