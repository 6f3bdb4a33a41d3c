//! The technology radar: a head's proposal and who sees it, the CTO's decisions kept as history,
//! every refusal with nothing written, frozen editions compared with the one before, and the
//! part of the radar an investor report shows.

use crate::common::{self, json, spawn_app, TestApp};
use chrono::{Duration, Utc};
use northstar::access::Role;
use reqwest::Client;

fn day(offset: i64) -> String {
    (Utc::now().date_naive() + Duration::days(offset)).to_string()
}

fn entry_form(name: &str, quadrant: &str, ring: &str, proposal: &str) -> Vec<(&'static str, String)> {
    vec![
        ("id", String::new()),
        ("name", name.into()),
        ("quadrant", quadrant.into()),
        ("ring", ring.into()),
        ("description", String::new()),
        ("proposal", proposal.into()),
        ("owner", String::new()),
        ("initiative", String::new()),
    ]
}

async fn save(app: &TestApp, client: &Client, form: &[(&str, String)]) -> i64 {
    let res = app.call(client, "/api/radar/entries/save", form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await.as_i64().unwrap()
}

async fn decide(app: &TestApp, cto: &Client, entry: i64, ring: &str, on: &str, reason: &str, extra: &[(&'static str, &str)]) -> reqwest::Response {
    let mut form = vec![("entry", entry.to_string()), ("ring", ring.to_string()), ("decided_on", on.to_string()), ("reason", reason.to_string())];
    form.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    app.call(cto, "/api/radar/entries/decide", &form).await
}

/// The fields an answer says are wrong.
async fn fields(res: reqwest::Response) -> Vec<(String, String)> {
    assert_eq!(res.status(), 422);
    let body = json(res).await;
    body["fields"].as_array().cloned().unwrap_or_default().iter().map(|f| (f["field"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string())).collect()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(&app.pool).await.unwrap()
}

async fn ops_head(app: &TestApp) -> Client {
    let client = app.client();
    assert_eq!(app.login(&client, "ops.head@northstar.demo", common::PASSWORD).await.status(), 200);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heads_proposal_goes_to_the_cto_who_decides_and_the_history_keeps_why() {
    let app = spawn_app().await;
    let (cto, head) = (app.client_as(Some(Role::Cto)).await, app.client_as(Some(Role::DepartmentHead)).await);
    let system = app.add_system("web", Some("Engineering")).await;
    let mut form = entry_form("OpenTelemetry", "2", "trial", "Two agents per host today; one would do.");
    form.push(("systems[0]", system.to_string()));
    // A head cannot mark anything for investors, whatever the form says.
    form.push(("investor_visible", "on".into()));
    let id = save(&app, &head, &form).await;

    let page = json(app.call(&head, "/api/radar/entry", &[("id", id.to_string())]).await).await;
    assert_eq!((page["state"].as_str(), page["proposed_ring"].as_str(), page["ring"].as_str()), (Some("Proposed"), Some("Trial"), None));
    assert_eq!(page["systems"][0][1], "System web");
    let sys = json(app.call(&cto, "/api/infra/system", &[("id", system.to_string()), ("range", String::new())]).await).await;
    assert_eq!(sys["radar"], serde_json::json!([]), "a proposal is not yet on the radar: {sys}");
    assert_eq!(page["investor_visible"], false);
    assert_eq!(page["can_edit"], true, "its proposer may change it until it is decided");
    // The Operations head neither opens it nor sees it among the proposals; the CTO does.
    let ops = ops_head(&app).await;
    assert_eq!(app.call(&ops, "/api/radar/entry", &[("id", id.to_string())]).await.status(), 403);
    let theirs = json(app.call(&ops, "/api/radar", &[]).await).await;
    assert!(theirs["proposals"].as_array().unwrap().is_empty(), "{theirs}");
    let radar = json(app.call(&cto, "/api/radar", &[]).await).await;
    assert_eq!(radar["proposals"][0]["name"], "OpenTelemetry");
    assert!(radar["picture"]["blips"].as_array().unwrap().is_empty(), "a proposal is not on the radar yet");
    // Only the CTO decides.
    assert_eq!(decide(&app, &head, id, "trial", &day(0), "Mine", &[]).await.status(), 403);

    // Refusals, each at its field, with nothing written.
    let moves = count(&app, "radar_moves").await;
    let got = fields(decide(&app, &cto, id, "sideways", &day(1), " ", &[("cost", "-5")]).await).await;
    let at: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(at, ["ring", "decided_on", "reason", "cost"], "{got:?}");
    assert!(got[1].1.contains("today or a day before"), "{got:?}");
    assert_eq!(count(&app, "radar_moves").await, moves);

    let res = decide(&app, &cto, id, "trial", &day(-2), "The API team will try it on tier-1 services.", &[("evidence", "[Trial plan](https://example.com/plan) <script>x</script>"), ("cost", "12,000")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // Decided: the head reads it but may no longer change it.
    let page = json(app.call(&head, "/api/radar/entry", &[("id", id.to_string())]).await).await;
    assert_eq!((page["state"].as_str(), page["ring"].as_str(), page["can_edit"].as_bool()), (Some("Placed"), Some("Trial"), Some(false)));
    let mut edit = entry_form("OpenTelemetry", "2", "adopt", "now");
    edit[0].1 = id.to_string();
    assert_eq!(app.call(&head, "/api/radar/entries/save", &edit).await.status(), 403);
    let ops_sees = json(app.call(&ops, "/api/radar/entry", &[("id", id.to_string())]).await).await;
    assert_eq!(ops_sees["ring"], "Trial", "on the radar, it is the whole company's");
    // The system it concerns links back to it, now that it is on the radar.
    let sys = json(app.call(&cto, "/api/infra/system", &[("id", system.to_string()), ("range", String::new())]).await).await;
    assert_eq!((sys["radar"][0]["name"].as_str(), sys["radar"][0]["standing"].as_str()), (Some("OpenTelemetry"), Some("Tools · Trial")));

    assert_eq!(fields(decide(&app, &cto, id, "trial", &day(0), "Again", &[]).await).await[0], ("ring".into(), "OpenTelemetry is already in Trial.".into()));
    let res = decide(&app, &cto, id, "adopt", &day(0), "Every tier-1 service instrumented.", &[]).await;
    assert_eq!(res.status(), 200);
    let page = json(app.call(&cto, "/api/radar/entry", &[("id", id.to_string())]).await).await;
    let history = page["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["words"], "Moved from Trial to Adopt");
    assert_eq!(history[1]["words"], "Placed in Trial");
    assert_eq!(history[1]["decided_on"], day(-2).as_str());
    assert_eq!(history[1]["cost"], "$12,000.00");
    let evidence = history[1]["evidence_html"].as_str().unwrap();
    assert!(evidence.contains(r#"<a href="https://example.com/plan">Trial plan</a>"#) && evidence.contains("&lt;script&gt;"), "{evidence}");
    // Taken off, then its record says so; the audit trail has each decision.
    assert_eq!(decide(&app, &cto, id, "", &day(0), "Replaced by the vendor's agent.", &[]).await.status(), 200);
    let page = json(app.call(&cto, "/api/radar/entry", &[("id", id.to_string())]).await).await;
    assert_eq!((page["state"].as_str(), page["history"][0]["words"].as_str()), (Some("Retired"), Some("Taken off the radar from Adopt")));
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE action = 'decide_entry'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ctos_entries_are_placed_at_once_and_bad_forms_write_nothing() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let id = save(&app, &cto, &entry_form("Rust", "0", "adopt", "The search rewrite proved it.")).await;
    let page = json(app.call(&cto, "/api/radar/entry", &[("id", id.to_string())]).await).await;
    assert_eq!((page["state"].as_str(), page["ring"].as_str()), (Some("Placed"), Some("Adopt")));
    assert_eq!(page["history"][0]["reason"], "The search rewrite proved it.");

    let entries = count(&app, "radar_entries").await;
    let mut bad = entry_form("rust", "7", "", "");
    bad.push(("systems[0]", "999".into()));
    bad.retain(|(k, _)| *k != "initiative");
    bad.push(("initiative", "abc".into()));
    let got = fields(app.call(&cto, "/api/radar/entries/save", &bad).await).await;
    let mut at: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    at.sort();
    assert_eq!(at, ["initiative", "name", "proposal", "quadrant", "ring", "systems"], "{got:?}");
    assert!(got.iter().any(|(f, m)| f == "name" && m.contains("already has an entry")), "{got:?}");
    assert_eq!(count(&app, "radar_entries").await, entries);
    // A decision on an entry that does not exist, and investors, are refused.
    assert_eq!(decide(&app, &cto, 9999, "trial", &day(0), "x", &[]).await.status(), 404);
    let investor = app.client_as(Some(Role::Investor)).await;
    for endpoint in ["/api/radar", "/api/radar/entry"] {
        assert_eq!(app.call(&investor, endpoint, &[("id", id.to_string())]).await.status(), 403, "{endpoint}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editions_are_frozen_and_each_says_what_moved_since_the_one_before() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let publish = |title: &str, on: String| {
        let form = vec![("title", title.to_string()), ("published_on", on)];
        let (app, cto) = (&app, &cto);
        async move { app.call(cto, "/api/radar/editions/publish", &form).await }
    };
    assert_eq!(fields(publish("Empty", day(0)).await).await[0].0, "title", "nothing on the radar to publish");
    let rust = save(&app, &cto, &entry_form("Rust", "0", "trial", "Latency.")).await;
    let perl = save(&app, &cto, &entry_form("Perl", "0", "hold", "Nobody left who writes it.")).await;
    let first = json(publish("2026 H1", day(-30)).await).await.as_i64().unwrap();

    assert_eq!(decide(&app, &cto, rust, "adopt", &day(0), "Proved in production.", &[]).await.status(), 200);
    assert_eq!(decide(&app, &cto, perl, "", &day(0), "Gone.", &[]).await.status(), 200);
    save(&app, &cto, &entry_form("WebAssembly", "1", "assess", "Edge compute.")).await;
    // The live radar marks what moved since the latest edition.
    let live = json(app.call(&cto, "/api/radar", &[]).await).await;
    let blips = live["picture"]["blips"].as_array().unwrap();
    let rust_blip = blips.iter().find(|b| b["name"] == "Rust").unwrap();
    assert_eq!(rust_blip["change"], serde_json::json!({ "Moved": "Trial" }));
    assert_eq!(blips.iter().find(|b| b["name"] == "WebAssembly").unwrap()["change"], "New");
    assert_eq!(live["picture"]["compared_with"], "2026 H1");
    let svg = live["picture"]["svg"].as_str().unwrap();
    assert!(svg.contains("<title>1. Rust — Adopt, moved from trial</title><circle class=\"halo\""), "a moved entry wears a ring: {svg}");

    let res = publish("2026 h1", day(-40)).await;
    let got = fields(res).await;
    assert_eq!(got.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["title", "published_on"], "{got:?}");
    assert!(got[1].1.contains("cannot come before it"), "{got:?}");
    assert!(fields(publish("Next year", day(3)).await).await[0].1.contains("today or a day before"));
    let second = json(publish("2026 H2", day(0)).await).await.as_i64().unwrap();
    let page = json(app.call(&cto, "/api/radar/edition", &[("id", second.to_string())]).await).await;
    let changes: Vec<(String, String)> = serde_json::from_value(page["changes"].clone()).unwrap();
    assert_eq!(
        changes,
        [
            ("Rust".to_string(), "Moved from Trial to Adopt".to_string()),
            ("WebAssembly".to_string(), "New in Assess".to_string()),
            ("Perl".to_string(), "Left the radar from Hold".to_string()),
        ]
    );
    assert_eq!(page["previous"][1], "2026 H1");
    let listed = json(app.call(&cto, "/api/radar", &[]).await).await;
    let editions: Vec<(&str, u64)> = listed["editions"].as_array().unwrap().iter().map(|e| (e["title"].as_str().unwrap(), e["entries"].as_u64().unwrap())).collect();
    assert_eq!(editions, [("2026 H2", 2), ("2026 H1", 2)], "newest first, each with the entries it froze");
    // Later moves leave both editions as they were; the database refuses to change one.
    assert_eq!(decide(&app, &cto, rust, "hold", &day(0), "Changed our minds.", &[]).await.status(), 200);
    let old = json(app.call(&cto, "/api/radar/edition", &[("id", first.to_string())]).await).await;
    assert_eq!(old["picture"]["blips"].as_array().unwrap().iter().map(|b| (b["name"].as_str().unwrap(), b["ring"].as_str().unwrap())).collect::<Vec<_>>(), [("Rust", "Trial"), ("Perl", "Hold")]);
    assert!(sqlx::query("UPDATE radar_editions SET snapshot = '{}' WHERE id = ?1").bind(first).execute(&app.pool).await.is_err());
    // A head reads editions; the audit trail has each publication.
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&head, "/api/radar/edition", &[("id", first.to_string())]).await.status(), 200);
    assert_eq!(app.call(&head, "/api/radar/editions/publish", &[("title", "Mine".to_string()), ("published_on", day(0))]).await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_investor_report_shows_the_radar_only_when_the_cto_includes_it_and_only_marked_entries() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let mut shown = entry_form("Kubernetes", "1", "adopt", "The platform.");
    shown.push(("investor_visible", "on".into()));
    save(&app, &cto, &shown).await;
    save(&app, &cto, &entry_form("Internal codename tool", "2", "trial", "Secret.")).await;
    let read = || async {
        let mut db = app.pool.acquire().await.unwrap();
        let today = Utc::now().date_naive();
        let period = northstar::report::build::Period::parse(&today.format("%Y-%m").to_string(), today).unwrap();
        northstar::report::build::snapshot(&mut db, "Update", &period, &Default::default(), northstar::platform::money::Currency::usd(), Utc::now().timestamp()).await.unwrap().radar
    };
    assert!(read().await.is_none(), "kept out until the CTO includes it");

    let settings = |names: [&str; 4], investors: bool| {
        let mut form: Vec<(&str, String)> = ["name[0]", "name[1]", "name[2]", "name[3]"].into_iter().zip(names).map(|(k, v)| (k, v.to_string())).collect();
        if investors {
            form.push(("investors_see_radar", "on".into()));
        }
        form
    };
    let got = fields(app.call(&cto, "/api/radar/settings/save", &settings(["Languages", "Tools", "tools", ""], true)).await).await;
    assert_eq!(got.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["name[2]", "name[3]"], "{got:?}");
    assert!(read().await.is_none(), "a refused form changes nothing");
    // Swapping two names is allowed.
    let res = app.call(&cto, "/api/radar/settings/save", &settings(["Languages and frameworks", "Tools", "Platforms", "Techniques"], true)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let radar = read().await.expect("included");
    assert_eq!(radar.blips.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), ["Kubernetes"]);
    assert_eq!(radar.quadrants[1], "Tools");
    assert!(!radar.svg.contains("codename"), "an unmarked entry is not drawn either");
}
