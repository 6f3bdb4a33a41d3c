//! Demo data: a small company to explore, added only when asked for and never twice.

use crate::access::Role;
use crate::admin::{model::NewAccount, service};
use crate::auth::repo;
use crate::platform::error::AppError;
use sqlx::SqlitePool;

pub const DEMO_PASSWORD: &str = "northstar-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub department: Option<&'static str>,
}

pub const DEMO_DEPARTMENTS: [&str; 2] = ["Engineering", "Operations"];

pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "cto@northstar.demo", name: "Alex Morgan", role: Role::Cto, department: None },
    DemoAccount {
        email: "eng.head@northstar.demo",
        name: "Priya Raman",
        role: Role::DepartmentHead,
        department: Some("Engineering"),
    },
    DemoAccount {
        email: "ops.head@northstar.demo",
        name: "Daniel Okafor",
        role: Role::DepartmentHead,
        department: Some("Operations"),
    },
    DemoAccount { email: "investor@northstar.demo", name: "Sam Whitfield", role: Role::Investor, department: None },
];

/// Adds whatever part of the demo data is missing; existing rows are left as they are.
pub async fn seed_demo(pool: &SqlitePool, currency: crate::platform::money::Currency) -> Result<(), AppError> {
    seed_accounts(pool).await?;
    crate::kpi::demo::seed(pool, crate::platform::db::now_unix()).await?;
    crate::budget::demo::seed(pool, chrono::Utc::now().date_naive()).await?;
    crate::infra::demo::seed(pool, crate::platform::db::now_unix()).await?;
    crate::report::demo::seed(pool, crate::platform::db::now_unix(), currency).await
}

/// The demo departments and accounts only.
pub async fn seed_accounts(pool: &SqlitePool) -> Result<(), AppError> {
    for name in DEMO_DEPARTMENTS {
        if repo::department_id_by_name(pool, name).await?.is_none() {
            service::create_department(pool, None, name).await?;
        }
    }
    for account in &DEMO_ACCOUNTS {
        if repo::user_by_email(pool, account.email).await?.is_some() {
            continue;
        }
        let department_id = match account.department {
            Some(name) => repo::department_id_by_name(pool, name).await?,
            None => None,
        };
        let new = NewAccount {
            email: account.email.into(),
            name: account.name.into(),
            role: account.role,
            department_id,
            password: DEMO_PASSWORD.into(),
        };
        service::create_account(pool, None, new).await?;
    }
    Ok(())
}

pub fn demo_logins_text() -> String {
    let mut out = format!("Demo accounts (password for each: {DEMO_PASSWORD}):\n");
    for a in &DEMO_ACCOUNTS {
        let scope = a.department.map(|d| format!(" ({d})")).unwrap_or_default();
        out.push_str(&format!("  {:<16} {}{}\n", a.role.label(), a.email, scope));
    }
    out
}
