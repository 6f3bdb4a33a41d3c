//! Strategy fixtures: objectives and initiatives written through the strategy's own repo.

use super::TestApp;
use northstar::strategy::model::InitiativeStatus;
use northstar::strategy::repo::{self, NewInitiative, NewObjective};

impl TestApp {
    /// An objective for the year 2026 measured by the KPIs `(key, target)`.
    pub async fn add_objective(&self, title: &str, kpis: &[(&str, f64)]) -> i64 {
        let mut db = self.pool.acquire().await.unwrap();
        let o = NewObjective { title, description: "", owner: None, starts: "2026-01-01".into(), ends: "2026-12-31".into(), investor_visible: false };
        let id = repo::save_objective(&mut db, None, &o, 0).await.unwrap();
        let mut linked = Vec::new();
        for (key, target) in kpis {
            let kpi: i64 = sqlx::query_scalar("SELECT id FROM kpis WHERE key = ?1").bind(key).fetch_one(&mut *db).await.unwrap();
            linked.push((kpi, *target));
        }
        repo::set_objective_kpis(&mut db, id, &linked).await.unwrap();
        id
    }

    /// An initiative in progress in `department` (by name) from `starts` to `target`, with a
    /// budget in minor units and milestones `(title, due, reached)`.
    pub async fn add_initiative(&self, title: &str, department: &str, objective: Option<i64>, (starts, target): (&str, &str), budget_minor: i64, milestones: &[(&str, &str, Option<&str>)]) -> i64 {
        let department = self.department_id(department).await;
        let category: i64 = sqlx::query_scalar("SELECT id FROM investment_categories ORDER BY position LIMIT 1").fetch_one(&self.pool).await.unwrap();
        let mut db = self.pool.acquire().await.unwrap();
        let new = NewInitiative {
            objective,
            title,
            description: "",
            owner: None,
            department,
            starts: starts.into(),
            target: target.into(),
            status: InitiativeStatus::InProgress,
            category,
            budget_minor,
            stage: None,
        };
        let id = repo::save_initiative(&mut db, None, &new, 0).await.unwrap();
        for (m, due, done) in milestones {
            repo::save_milestone(&mut db, id, None, m, due, *done).await.unwrap();
        }
        id
    }
}
