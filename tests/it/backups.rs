//! Northstar's own backups, restore tests and access reviews, and the control evidence they
//! become.

use crate::common::{json, spawn_app, TestApp};
use northstar::access::Role;
use sha2::{Digest, Sha256};

/// The latest automatic evidence of the control `code`: (day, result, note).
async fn latest(app: &TestApp, code: &str) -> Option<(String, String, String)> {
    sqlx::query_as(
        "SELECT e.performed_on, e.result, e.note FROM control_evidence e JOIN controls c ON c.id = e.control_id WHERE c.code = ?1 ORDER BY e.performed_on DESC, e.id DESC LIMIT 1",
    )
    .bind(code)
    .fetch_optional(&app.pool)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_and_restore_tests_are_recorded_and_evidence_the_backup_controls() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&cto, "/api/security/controls/adopt", &[]).await.status(), 200);
    let today = crate::common::today();
    // Nothing backed up yet: the backup control fails, and a restore test has nothing to test.
    northstar::assurance::service::automatic::collect(&app.pool, crate::common::now()).await.unwrap();
    let (day, result, note) = latest(&app, "BCK-01").await.unwrap();
    assert_eq!((day.as_str(), result.as_str()), (today.as_str(), "failed"));
    assert!(note.contains("Northstar (never)"), "{note}");
    let res = app.call(&cto, "/api/security/restore-test", &[]).await;
    assert_eq!(res.status(), 400);
    assert!(json(res).await["message"].as_str().unwrap_or_default().contains("No backup of Northstar is recorded yet"));

    // The CTO backs up now (a head may not): a file beside the database, and the control passes.
    assert_eq!(app.call(&head, "/api/security/backups/now", &[]).await.status(), 403);
    assert_eq!(app.call(&cto, "/api/security/backups/now", &[]).await.status(), 200);
    let (location, size): (String, i64) = sqlx::query_as("SELECT location, size_bytes FROM backup_runs WHERE ok = 1").fetch_one(&app.pool).await.unwrap();
    assert!(location.starts_with(&app.dir.path().join("backups").display().to_string()), "{location}");
    assert_eq!(std::fs::metadata(&location).unwrap().len() as i64, size);
    let (_, result, note) = latest(&app, "BCK-01").await.unwrap();
    assert_eq!(result, "passed", "{note}");

    // The restore test restores it into a scratch file and checks it; the control passes.
    assert_eq!(app.call(&head, "/api/security/restore-test", &[]).await.status(), 403);
    assert_eq!(app.call(&cto, "/api/security/restore-test", &[]).await.status(), 200);
    let (ok, detail): (bool, String) = sqlx::query_as("SELECT ok, detail FROM restore_tests").fetch_one(&app.pool).await.unwrap();
    assert!(ok, "{detail}");
    assert!(detail.contains("integrity check ok") && detail.contains("4 accounts"), "{detail}");
    assert_eq!(latest(&app, "BCK-02").await.unwrap().1, "passed");
    // No scratch copy is left behind.
    let left: Vec<String> = std::fs::read_dir(app.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".restore-test-")).collect();
    assert!(left.is_empty(), "{left:?}");

    // The backup gone: the next test fails, says why, and the control fails that day.
    std::fs::remove_file(&location).unwrap();
    assert_eq!(app.call(&cto, "/api/security/restore-test", &[]).await.status(), 200);
    let (day, result, note) = latest(&app, "BCK-02").await.unwrap();
    assert_eq!((day.as_str(), result.as_str()), (today.as_str(), "failed"));
    assert!(note.contains("is not there any more"), "{note}");
    // A backup onto a file that exists is refused, and recorded as a failed run.
    let bogus = app.dir.path().join("bogus.db");
    std::fs::write(&bogus, b"not a database at all").unwrap();
    northstar::assurance::service::backups::back_up(&app.pool, &bogus, &northstar::platform::audit::Actor::command_line()).await.unwrap_err();
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_events WHERE area = 'assurance' AND action IN ('back_up', 'test_restore') ORDER BY id").fetch_all(&app.pool).await.unwrap();
    assert_eq!(actions, ["back_up", "test_restore", "test_restore", "back_up"]);
    // The failed run (the file already existed) is recorded as failed.
    let failed: i64 = sqlx::query_scalar("SELECT count(*) FROM backup_runs WHERE ok = 0").fetch_one(&app.pool).await.unwrap();
    assert_eq!(failed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_review_keeps_the_accounts_as_reviewed_on_its_control() {
    let app = spawn_app().await;
    let cto = app.client_as(Some(Role::Cto)).await;
    let head = app.client_as(Some(Role::DepartmentHead)).await;
    assert_eq!(app.call(&cto, "/api/security/controls/adopt", &[]).await.status(), 200);
    assert_eq!(app.call(&head, "/api/security/access-review", &[]).await.status(), 403);
    let res = app.call(&cto, "/api/security/access-review", &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await, 4);
    let (id, note, sha): (i64, String, String) =
        sqlx::query_as("SELECT e.id, e.note, e.file_sha256 FROM control_evidence e JOIN controls c ON c.id = e.control_id WHERE c.code = 'IAM-01'").fetch_one(&app.pool).await.unwrap();
    assert!(note.starts_with("Reviewed 4 accounts (4 active)"), "{note}");
    let file = cto.get(app.url(&format!("/api/security/evidence/{id}/file"))).send().await.unwrap().bytes().await.unwrap();
    let text = String::from_utf8(file.to_vec()).unwrap();
    assert!(text.starts_with("account,name,role,department,active\n") && text.contains("eng.head@northstar.demo,Priya Raman,department_head,Engineering,yes"), "{text}");
    let digest: String = Sha256::digest(&file).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(digest, sha);
    // The register says the control passes; Admin says when it was reviewed.
    let admin = json(app.call(&cto, "/api/security/admin", &[]).await).await;
    assert_eq!(admin["last_review"], format!("{} by Alex Morgan", crate::common::today()));
    // Twice the same day: one piece of evidence, the latest review.
    app.call(&cto, "/api/security/access-review", &[]).await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM control_evidence").fetch_one(&app.pool).await.unwrap();
    assert_eq!(rows, 1);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM audit_events WHERE action = 'access_review'").fetch_one(&app.pool).await.unwrap(), 2);
}
