//! Plain HTTP routes (not server functions): file transfers and the REST API.

use super::{Audience, CTO, READERS, STAFF};

macro_rules! route_table {
    ($($(#[$doc:meta])* $name:ident => $method:literal $path:literal, $audience:expr;)+) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Route { $($(#[$doc])* $name),+ }

        impl Route {
            pub const ALL: &'static [Route] = &[$(Route::$name),+];

            pub fn method(self) -> &'static str {
                match self { $(Route::$name => $method),+ }
            }

            /// The axum path, `{name}` standing for one segment.
            pub fn path(self) -> &'static str {
                match self { $(Route::$name => $path),+ }
            }

            /// The address with its parameters, e.g. `Route::KpiExport.href(&[&key])`.
            pub fn href(self, params: &[&dyn std::fmt::Display]) -> String {
                super::fill(self.path(), params)
            }

            pub fn audience(self) -> Audience {
                match self { $(Route::$name => $audience),+ }
            }

            /// The route whose path pattern `path` matches, `{name}` matching one segment.
            pub fn for_path(path: &str) -> Option<Route> {
                Route::ALL.iter().copied().find(|r| matches_pattern(r.path(), path))
            }
        }
    };
}

route_table! {
    Health => "GET" "/healthz", Audience::Anyone;
    /// Prometheus metrics: by address or token, never by session.
    Metrics => "GET" "/metrics", Audience::Monitoring;
    OpenApi => "GET" "/api/v1/openapi.json", Audience::Anyone;
    /// Department heads only for their own department's KPIs.
    KpiImportUpload => "POST" "/api/kpis/{key}/import", STAFF;
    KpiExport => "GET" "/api/kpis/{key}/export.csv", STAFF;
    /// Department heads only for their own department.
    ExpenseImport => "POST" "/api/budgets/expenses/import", STAFF;
    ExpenseExport => "GET" "/api/budgets/expenses/export.csv", STAFF;
    /// Every line of a fiscal year's capitalization report.
    CapitalizationExport => "GET" "/api/strategy/capitalization/export.csv", CTO;
    /// A FOCUS cost export: checked, and stored when `commit=1`.
    CloudImport => "POST" "/api/strategy/cloud/import", CTO;
    /// Teams' time allocation: checked, and stored when `commit=1`. Department heads only for
    /// their own department's teams.
    TimeImport => "POST" "/api/strategy/teams/time/import", STAFF;
    /// The audit trail with the page's filters.
    AuditExport => "GET" "/api/admin/audit.csv", CTO;
    SlaExport => "GET" "/api/infra/sla.csv", STAFF;
    ReportPdf => "GET" "/api/reports/{id}/versions/{version}/pdf", READERS;
    /// The share token is the credential.
    SharedReportPdf => "GET" "/api/share/{token}/pdf", Audience::Anyone;
    IngestMeasurements => "POST" "/api/v1/kpis/{key}/measurements", Audience::ApiToken;
    IngestDeployments => "POST" "/api/v1/events/deployments", Audience::ApiToken;
    IngestIncidents => "POST" "/api/v1/events/incidents", Audience::ApiToken;
    /// A system's findings, SARIF or CSV: checked, and imported when `commit=1`. Department
    /// heads only for their own department's systems.
    FindingsImport => "POST" "/api/security/systems/{id}/findings/import", STAFF;
    /// A scanner's SARIF or CSV for a system, imported at once.
    IngestFindings => "POST" "/api/v1/systems/{id}/findings", Audience::ApiToken;
    /// A system's backup and restore jobs report their runs.
    IngestBackups => "POST" "/api/v1/systems/{id}/backups", Audience::ApiToken;
    IngestRestoreTests => "POST" "/api/v1/systems/{id}/restore-tests", Audience::ApiToken;
    /// A system's CI pipeline reports its tests, coverage and escaped defects.
    IngestQuality => "POST" "/api/v1/systems/{id}/quality", Audience::ApiToken;
    /// A control's evidence, a form with an optional file. The CTO any control; a department
    /// head only their own department's.
    RecordEvidence => "POST" "/api/security/controls/{id}/evidence", STAFF;
    /// An evidence file, as a download, to whoever may see its control.
    EvidenceFile => "GET" "/api/security/evidence/{id}/file", STAFF;
}

fn matches_pattern(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(want), Some(got)) if want.starts_with('{') && !got.is_empty() => {}
            (Some(want), Some(got)) if want == got => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_find_their_route() {
        assert_eq!(Route::for_path("/api/kpis/p95-latency/import"), Some(Route::KpiImportUpload));
        assert_eq!(Route::for_path("/api/reports/3/versions/2/pdf"), Some(Route::ReportPdf));
        assert_eq!(Route::for_path("/api/v1/events/incidents"), Some(Route::IngestIncidents));
        assert_eq!(Route::for_path("/api/kpis//import"), None);
        assert_eq!(Route::for_path("/api/kpis/overview"), None);
        assert_eq!(Route::for_path("/healthz/x"), None);
    }
}
