//! The browser bundle: precompressed files served as written at build time, kept for a year
//! only under a hashed name, and no bundle at all for a share link's page.

use crate::common;

use common::*;
use northstar::access::Role;
use std::path::Path;

const WASM: &str = "northstar.0123456789abcdef.wasm";

fn write_bundle(site: &Path) {
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    // Distinct contents, so the test sees which file was sent, not only which header.
    std::fs::write(pkg.join(WASM), b"\0asm raw").unwrap();
    std::fs::write(pkg.join(format!("{WASM}.br")), b"brotli bytes").unwrap();
    std::fs::write(pkg.join(format!("{WASM}.gz")), b"gzip bytes").unwrap();
    std::fs::write(pkg.join("northstar.css"), b"body{}").unwrap();
}

async fn get(app: &TestApp, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let mut req = app.client().get(app.url(path));
    if let Some(e) = encoding {
        req = req.header("accept-encoding", e);
    }
    req.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_bundle_files_are_sent_precompressed_and_kept_for_a_year() {
    let site = tempfile::tempdir().unwrap();
    write_bundle(site.path());
    let root = site.path().display().to_string();
    let app = spawn_app_with(|c| c.site_root = root).await;
    let path = format!("/pkg/{WASM}");
    for (accept, encoding, body) in [
        (Some("br, gzip"), Some("br"), &b"brotli bytes"[..]),
        (Some("gzip"), Some("gzip"), &b"gzip bytes"[..]),
        (None, None, &b"\0asm raw"[..]),
    ] {
        let res = get(&app, &path, accept).await;
        assert_eq!(res.status(), 200, "{accept:?}");
        let h = res.headers().clone();
        assert_eq!(h.get("content-encoding").map(|v| v.to_str().unwrap()), encoding, "{accept:?}");
        assert_eq!(h["content-type"], "application/wasm");
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(h["vary"], "accept-encoding");
        assert_eq!(&res.bytes().await.unwrap()[..], body, "{accept:?}: the file written at build time");
    }
    // A name without a hash may change under the same address: the browser asks again.
    let css = get(&app, "/pkg/northstar.css", Some("br")).await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["cache-control"], "no-cache");
    let missing = get(&app, "/pkg/northstar.fedcba9876543210.wasm", None).await;
    assert_eq!(missing.status(), 404);
    assert_ne!(missing.headers().get("cache-control").map(|v| v.to_str().unwrap()), Some("public, max-age=31536000, immutable"), "a miss is never kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_link_page_loads_no_bundle_and_the_sign_in_page_does() {
    let app = spawn_app().await;
    let report = app.add_published_report("Q3 update").await;
    let token = "S".repeat(43);
    app.add_share_link(report, &token, i64::MAX).await;
    let shared = get(&app, &format!("/share/{token}"), None).await;
    assert_eq!(shared.status(), 200);
    assert_eq!(shared.headers()["cache-control"], "no-store");
    let html = shared.text().await.unwrap();
    assert!(html.contains("Q3 update"), "the report is on the page");
    assert!(!html.contains(".wasm") && !html.contains("modulepreload"), "no bundle: {html}");
    assert!(html.contains("data-print") && html.contains("closest(\"[data-print],[data-copy]\")"), "its print buttons still print: {html}");
    let login = get(&app, "/login", None).await.text().await.unwrap();
    assert!(login.contains("/pkg/northstar") && login.contains(".wasm"), "the sign-in page hydrates");
}

/// The `data-component` names of a page's islands, in document order.
fn islands(html: &str) -> Vec<String> {
    html.split("<leptos-island data-component=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_what_a_person_acts_on_is_an_island() {
    let app = spawn_app().await;
    app.add_kpi("uptime", None, "percent", "higher", "mean", Some((99.9, 99.5, 99.0))).await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let page = |path: &'static str| {
        let cto = cto.clone();
        let url = app.url(path);
        async move {
            let res = cto.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res.text().await.unwrap()
        }
    };
    // A page that only shows data: the header's controls and the hydration marker, last.
    let overview = islands(&page("/").await);
    assert_eq!(overview.len(), 4, "{overview:?}");
    assert!(overview[0].starts_with("MainNav_") && overview[1].starts_with("ThemeToggle_") && overview[2].starts_with("SignOut_"), "{overview:?}");
    assert!(overview[3].starts_with("Hydrated_"), "the marker comes last: {overview:?}");
    for path in [
        "/kpis", "/kpis/dora", "/kpis/new", "/kpis/uptime/edit", "/budgets", "/budgets/plan", "/budgets/vendors", "/budgets/settings", "/infrastructure/sla",
        "/reports", "/admin", "/admin/audit", "/account", "/alerts",
    ] {
        assert_eq!(islands(&page(path).await).len(), 4, "{path} has no island of its own");
    }
    // The status board reloads itself: one small island, no area module.
    let board = islands(&page("/infrastructure").await);
    assert!(board.iter().any(|i| i.starts_with("AutoRefresh_")) && !board.iter().any(|i| i.starts_with("_island_")), "{board:?}");
    // A KPI's page: the server draws it and its forms are plain; only the CSV import (upload
    // and storing progress) is an island of the KPI area, which gets the KPI's key as its props.
    let html = page("/kpis/uptime").await;
    let kpi = islands(&html);
    assert_eq!(&kpi[3..kpi.len() - 1], ["_island_csv_import"], "{kpi:?}");
    assert!(html.contains(r#"data-props="[&quot;uptime&quot;]""#), "the key travels as the import's props");
    // The expense list and its forms are the server's; only the file import (upload, progress,
    // preview) is an island.
    let expenses = islands(&page("/budgets/expenses").await);
    assert_eq!(&expenses[3..expenses.len() - 1], ["_island_expense_import"], "{expenses:?}");
    // The signed-in user the islands read, and no secret with it.
    assert!(html.contains("data-user=") && html.contains("cto@") && !html.contains("password"), "the user for islands");
}
