//! Plain HTTP routes (not server functions): file transfers and the REST API.

use super::{Audience, READERS, STAFF};

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

            pub fn audience(self) -> Audience {
                match self { $(Route::$name => $audience),+ }
            }
        }
    };
}

route_table! {
    Health => "GET" "/healthz", Audience::Anyone;
    OpenApi => "GET" "/api/v1/openapi.json", Audience::Anyone;
    /// Department heads only for their own department's KPIs.
    KpiImportUpload => "POST" "/api/kpis/{key}/import", STAFF;
    KpiExport => "GET" "/api/kpis/{key}/export.csv", STAFF;
    /// Department heads only for their own department.
    ExpenseImport => "POST" "/api/budgets/expenses/import", STAFF;
    ExpenseExport => "GET" "/api/budgets/expenses/export.csv", STAFF;
    SlaExport => "GET" "/api/infra/sla.csv", STAFF;
    ReportPdf => "GET" "/api/reports/{id}/versions/{version}/pdf", READERS;
    /// The share token is the credential.
    SharedReportPdf => "GET" "/api/share/{token}/pdf", Audience::Anyone;
    IngestMeasurements => "POST" "/api/v1/kpis/{key}/measurements", Audience::ApiToken;
    IngestDeployments => "POST" "/api/v1/events/deployments", Audience::ApiToken;
    IngestIncidents => "POST" "/api/v1/events/incidents", Audience::ApiToken;
}
