//! Demo radar: thirty-odd entries in all four quadrants with a year of decisions, two of them
//! waiting as department heads' proposals, one declined and one taken off; two editions, the
//! second marking what moved since the first, and moves since then that the live radar marks.
//! Investor reports include the radar, with five entries marked for investors. Dates are
//! relative to today.

use super::model::{EntryState, Ring};
use super::repo::{self, Decision, EntryRecord, NewEntry};
use crate::platform::db::begin_write;
use crate::platform::error::AppError;
use chrono::{Duration, NaiveDate};
use sqlx::{SqliteConnection, SqlitePool};
use Ring::*;

struct Demo {
    name: &'static str,
    quadrant: i64,
    description: &'static str,
    /// (days ago, ring it went to, why); the first places it.
    moves: &'static [(i64, Option<Ring>, &'static str)],
    investors: bool,
    systems: &'static [&'static str],
    vendors: &'static [&'static str],
    initiative: Option<&'static str>,
}

const fn e(name: &'static str, quadrant: i64, description: &'static str, moves: &'static [(i64, Option<Ring>, &'static str)]) -> Demo {
    Demo { name, quadrant, description, moves, investors: false, systems: &[], vendors: &[], initiative: None }
}

const ENTRIES: [Demo; 30] = [
    Demo { investors: true, systems: &["Public API", "Payments service"], ..e("Rust", 0, "Services where latency and memory matter.", &[(340, Some(Trial), "The search rewrite needs predictable latency."), (150, Some(Adopt), "Search p95 fell from 410 to 180 ms in the trial; two teams are productive in it.")]) },
    Demo { systems: &["Customer web app"], ..e("TypeScript", 0, "The web app and its tooling.", &[(360, Some(Adopt), "All front-end code is typed; fewer production errors.")]) },
    e("Kotlin", 0, "Android app.", &[(350, Some(Adopt), "The Android team's default since 2024.")]),
    e("Go", 0, "Command-line tools and small services.", &[(330, Some(Trial), "Small tools ship as one binary."), (120, Some(Assess), "Rust covers the services we meant it for; kept for tools only.")]),
    e("htmx", 0, "Server-rendered internal tools.", &[(90, Some(Assess), "Internal tools without a front-end build.")]),
    Demo { systems: &["Customer web app"], ..e("AngularJS", 0, "The old admin screens.", &[(365, Some(Hold), "Out of support; nothing new in it."), (20, None, "The last screen moved to the web app.")]) },
    e("Python 2", 0, "Old data scripts.", &[(300, Some(Hold), "End of life; scripts are being ported.")]),
    Demo { investors: true, systems: &["Public API"], initiative: Some("Multi-region active-active for the API"), ..e("Kubernetes", 1, "Runs every customer-facing service.", &[(360, Some(Adopt), "The platform all services deploy to.")]) },
    Demo { investors: true, systems: &["Primary database"], ..e("PostgreSQL 16", 1, "The primary database.", &[(250, Some(Trial), "Logical replication for the multi-region work."), (100, Some(Adopt), "Upgraded in production with no incident.")]) },
    Demo { systems: &["Data pipeline"], ..e("Apache Kafka", 1, "Event streaming between services.", &[(320, Some(Trial), "Replay of events for the data pipeline."), (60, Some(Hold), "The managed queue does what we need at a fifth of the cost; trial ended.")]) },
    Demo { systems: &["Object storage"], ..e("Cloudflare R2", 1, "Object storage without egress fees.", &[(200, Some(Assess), "Egress is 14 % of the storage bill."), (30, Some(Trial), "Exports moved in a trial; egress cost down 60 % on that traffic.")]) },
    e("WebAssembly at the edge", 1, "Code run at the CDN's edge.", &[(150, Some(Assess), "Personalisation without a round trip to the region.")]),
    Demo { vendors: &["Okta"], systems: &["Okta (single sign-on)"], ..e("Okta Workforce Identity", 1, "Staff sign-in.", &[(360, Some(Adopt), "Single sign-on for every staff tool.")]) },
    e("Serverless functions", 1, "Event handlers.", &[(280, Some(Trial), "Webhooks without servers to run."), (40, Some(Adopt), "Three handlers in production for six months, no incident.")]),
    e("Self-hosted GitLab", 1, "The former code host.", &[(360, Some(Hold), "Moved to GitHub; no new projects here.")]),
    Demo { vendors: &["Datadog"], initiative: Some("Observability platform consolidation"), ..e("OpenTelemetry", 2, "Traces, metrics and logs in one open format.", &[(270, Some(Assess), "Two agents per host today."), (130, Some(Trial), "The API sends traces through the collector."), (25, Some(Adopt), "Every tier-1 service instrumented; one agent per host.")]) },
    Demo { vendors: &["GitHub"], ..e("GitHub Actions", 2, "Continuous integration.", &[(360, Some(Adopt), "Our CI since the move to GitHub.")]) },
    Demo { investors: true, ..e("GitHub Copilot", 2, "AI pair programming.", &[(230, Some(Assess), "Developers ask for it."), (110, Some(Trial), "A 20-person trial: 18 % more pull requests merged, no rise in defects."), (10, Some(Adopt), "Rolled out to all engineers.")]) },
    e("Terraform", 2, "Infrastructure as code.", &[(360, Some(Adopt), "Every cloud resource is in code.")]),
    e("OpenTofu", 2, "The open fork of Terraform.", &[(160, Some(Assess), "Licence risk of Terraform.")]),
    e("Renovate", 2, "Dependency updates.", &[(210, Some(Trial), "Weekly dependency updates without manual work."), (70, Some(Adopt), "On every repository.")]),
    Demo { vendors: &["Atlassian"], ..e("Jira Service Management", 2, "The internal help desk.", &[(180, Some(Hold), "Zendesk serves support; no second help desk.")]) },
    e("Backstage", 2, "A developer portal.", &[(120, Some(Assess), "Service ownership is hard to find.")]),
    Demo { initiative: Some("Trunk-based delivery and feature flags"), ..e("Trunk-based development", 3, "Short-lived branches merged daily.", &[(300, Some(Trial), "Long branches slow delivery."), (140, Some(Adopt), "Lead time fell from 4 days to 26 hours.")]) },
    e("Feature flags", 3, "Turning features on without a deploy.", &[(300, Some(Trial), "Releases apart from deploys."), (140, Some(Adopt), "Every team ships behind flags.")]),
    Demo { investors: true, ..e("FinOps practice", 3, "Cloud cost owned by the teams that spend it.", &[(260, Some(Assess), "Cloud cost grew faster than revenue."), (90, Some(Trial), "Two teams see their own cost weekly; their spend fell 9 %.")]) },
    e("Architecture decision records", 3, "Decisions written where the code is.", &[(200, Some(Adopt), "New joiners ask why things are as they are.")]),
    e("Chaos engineering", 3, "Failures injected on purpose.", &[(240, Some(Assess), "Multi-region needs proven failover."), (35, Some(Trial), "A monthly game day in staging.")]),
    e("Microservices by default", 3, "A new service for every new feature.", &[(330, Some(Hold), "Most of our services are too small to stand alone.")]),
    e("Large language models in support", 3, "Drafting answers to support tickets.", &[(80, Some(Assess), "Ticket volume grows faster than the team.")]),
];

/// Proposals from department heads: (name, quadrant, asked-for ring, why, proposer, declined
/// this many days ago with this reason).
const PROPOSALS: [(&str, i64, Ring, &str, &str, Option<(i64, &str)>); 3] = [
    ("Deno", 0, Assess, "Scripts in TypeScript without a build step; our tooling is in three languages.", "eng.head@northstar.demo", None),
    ("eBPF network monitoring", 2, Trial, "We cannot see traffic between services today; eBPF would show it without changes to the services.", "ops.head@northstar.demo", None),
    ("Blockchain audit log", 3, Assess, "A tamper-proof audit trail for the SOC 2 auditors.", "eng.head@northstar.demo", Some((50, "The audit trail is already append-only and the auditors accept it; nothing a blockchain adds."))),
];

async fn id_of(db: &mut SqliteConnection, sql: &str, name: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(sql).bind(name).fetch_optional(db).await?)
}

/// Adds the demo radar once.
pub async fn seed(pool: &SqlitePool, today: NaiveDate) -> Result<(), AppError> {
    let seeded: i64 = sqlx::query_scalar("SELECT count(*) FROM radar_entries").fetch_one(pool).await?;
    if seeded > 0 {
        return Ok(());
    }
    let mut tx = begin_write(pool).await?;
    let cto = id_of(&mut tx, "SELECT id FROM users WHERE email = ?1", "cto@northstar.demo").await?.ok_or(AppError::Internal)?;
    let cto_name: String = sqlx::query_scalar("SELECT name FROM users WHERE id = ?1").bind(cto).fetch_one(&mut *tx).await?;
    let day = |ago: i64| (today - Duration::days(ago)).to_string();
    let now = crate::platform::db::now_unix();
    for d in &ENTRIES {
        let initiative = match d.initiative {
            Some(t) => id_of(&mut tx, "SELECT id FROM initiatives WHERE title = ?1", t).await?,
            None => None,
        };
        let new = NewEntry { name: d.name, quadrant: d.quadrant, description: d.description, owner: Some(cto), initiative, investor_visible: d.investors };
        let first = d.moves.first().and_then(|m| m.1).unwrap_or(Assess);
        let id = repo::insert_entry(&mut tx, &new, true, first, "", (cto, None), now).await?;
        let mut from = None;
        for (ago, to, why) in d.moves {
            let on = day(*ago);
            let state = if to.is_some() { EntryState::Placed } else { EntryState::Retired };
            let decision = Decision { entry: id, from, to: *to, on: &on, reason: why, evidence: "", cost_minor: None };
            repo::decide(&mut tx, &decision, (cto, &cto_name), state, now).await?;
            from = *to;
        }
        let mut systems = Vec::new();
        for s in d.systems {
            systems.extend(id_of(&mut tx, "SELECT id FROM systems WHERE name = ?1", s).await?);
        }
        let mut vendors = Vec::new();
        for v in d.vendors {
            vendors.extend(id_of(&mut tx, "SELECT id FROM vendors WHERE name = ?1", v).await?);
        }
        repo::set_links(&mut tx, id, &systems, &vendors).await?;
    }
    for (name, quadrant, ring, why, by, declined) in PROPOSALS {
        let Some(head) = id_of(&mut tx, "SELECT id FROM users WHERE email = ?1", by).await? else { continue };
        let department: Option<i64> = sqlx::query_scalar("SELECT department_id FROM users WHERE id = ?1").bind(head).fetch_one(&mut *tx).await?;
        let new = NewEntry { name, quadrant, description: "", owner: Some(head), initiative: None, investor_visible: false };
        let id = repo::insert_entry(&mut tx, &new, false, ring, why, (head, department), now).await?;
        if let Some((ago, reason)) = declined {
            let on = day(ago);
            let decision = Decision { entry: id, from: None, to: None, on: &on, reason, evidence: "", cost_minor: None };
            repo::decide(&mut tx, &decision, (cto, &cto_name), EntryState::Declined, now).await?;
        }
    }
    for ago in [200, 45] {
        let on = today - Duration::days(ago);
        edition_as_of(&mut tx, on, cto, now).await?;
    }
    // The demo's investor report, published after this, shows the entries marked for investors.
    crate::platform::db::set_flag(&mut tx, super::service::INVESTORS_SEE_RADAR, true).await?;
    tx.commit().await?;
    Ok(())
}

/// An edition dated `on`, of the radar as the decisions up to that day left it.
async fn edition_as_of(db: &mut SqliteConnection, on: NaiveDate, cto: i64, now: i64) -> Result<(), AppError> {
    let on_text = on.to_string();
    let mut entries: Vec<EntryRecord> = Vec::new();
    for mut e in repo::entries(&mut *db).await? {
        let moves = repo::moves(&mut *db, e.id).await?;
        // Newest first: the first decision on or before the day says where it stood.
        let Some(last) = moves.iter().find(|m| m.decided_on <= on_text) else { continue };
        e.ring = last.to_ring;
        e.state = if last.to_ring.is_some() { EntryState::Placed } else { EntryState::Retired };
        entries.push(e);
    }
    let before = super::service::last_edition(&repo::editions(&mut *db).await?)?;
    let title = on.format("%B %Y").to_string();
    let quadrants = repo::quadrants(&mut *db).await?;
    let picture = super::service::draw_picture(quadrants, &entries, before.as_ref().map(|(t, p)| (t.as_str(), p)), "radar-edition", &format!("Technology radar, {title}"))?;
    let snapshot = serde_json::to_string(&picture).map_err(|_| AppError::Internal)?;
    repo::insert_edition(db, &title, &on_text, &snapshot, cto, now).await?;
    Ok(())
}
