//! The `northstar` command as a script or an operator uses it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn northstar(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_northstar"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run northstar");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/data/northstar.db", dir.path().display());
    (dir, url)
}

#[test]
fn every_command_has_help() {
    let (_dir, db) = temp_db();
    for cmd in [vec!["--help"], vec!["serve", "--help"], vec!["migrate", "--help"], vec!["seed-demo", "--help"], vec!["create-user", "--help"], vec!["backup", "--help"]] {
        let out = northstar(&db, &cmd, None);
        assert!(out.status.success(), "{cmd:?}");
        assert!(text(&out.stdout).contains("Usage: northstar"), "{cmd:?}");
    }
    let out = northstar(&db, &["create-user", "--help"], None);
    assert!(text(&out.stdout).contains("cto, department_head, investor"));
}

#[test]
fn migrate_creates_the_data_folder_and_seeding_is_idempotent() {
    let (dir, db) = temp_db();
    let out = northstar(&db, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(dir.path().join("data/northstar.db").exists());
    for _ in 0..2 {
        let out = northstar(&db, &["seed-demo"], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.contains("cto@northstar.demo") && stdout.contains("northstar-demo"), "{stdout}");
    }
}

#[test]
fn create_user_reads_the_password_from_stdin() {
    let (_dir, db) = temp_db();
    assert!(northstar(&db, &["seed-demo"], None).status.success());
    let args = ["create-user", "--email", "ana@example.com", "--name", "Ana Silva", "--role", "department_head", "--department", "operations"];
    let out = northstar(&db, &args, Some("a long enough password\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Created Ana Silva <ana@example.com> as Department head"));

    let again = northstar(&db, &args, Some("a long enough password\n"));
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("email: An account with this email already exists."), "{}", text(&again.stderr));
}

#[test]
fn create_user_refuses_bad_input_with_a_message() {
    let (_dir, db) = temp_db();
    assert!(northstar(&db, &["seed-demo"], None).status.success());
    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (&["--email", "x@example.com", "--name", "X", "--role", "cto"], Some("short\n"), "password: Use at least 12 characters."),
        (&["--email", "x@example.com", "--name", "X", "--role", "cto"], None, "no password on standard input"),
        (&["--email", "nope", "--name", "X", "--role", "investor"], Some("a long enough password\n"), "email: "),
        (&["--email", "x@example.com", "--name", "X", "--role", "department_head"], Some("a long enough password\n"), "--department is required"),
        (&["--email", "x@example.com", "--name", "X", "--role", "department_head", "--department", "Marketing"], Some("a long enough password\n"), "no department named \"Marketing\"; existing departments: Engineering, Operations"),
        (&["--email", "x@example.com", "--name", "X", "--role", "investor", "--department", "Engineering"], Some("a long enough password\n"), "--department applies only"),
    ];
    for (args, stdin, message) in cases {
        let mut all = vec!["create-user"];
        all.extend_from_slice(args);
        let out = northstar(&db, &all, *stdin);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let bad_role = northstar(&db, &["create-user", "--email", "x@example.com", "--name", "X", "--role", "admin"], None);
    assert_eq!(bad_role.status.code(), Some(2), "clap refuses unknown roles");
}

#[test]
fn bad_configuration_is_a_clear_error() {
    let out = northstar("postgres://localhost/northstar", &["migrate"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("DATABASE_URL: \"postgres://localhost/northstar\" is not a SQLite URL"), "{}", text(&out.stderr));

    let out = northstar("sqlite:///proc/northstar/db.sqlite", &["migrate"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot create the data folder /proc/northstar"), "{}", text(&out.stderr));

    let (_dir, db) = temp_db();
    let out = northstar(&db, &["serve", "--addr", "nowhere"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--addr: \"nowhere\" is not a listen address"), "{}", text(&out.stderr));
}

#[test]
fn a_port_in_use_is_reported() {
    let (_dir, db) = temp_db();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = northstar(&db, &["serve", "--addr", &addr], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("cannot listen on {addr}")) && stderr.contains("another program uses this port"), "{stderr}");
}

#[test]
fn backup_writes_a_usable_copy_and_never_overwrites() {
    let (dir, db) = temp_db();
    assert!(northstar(&db, &["seed-demo"], None).status.success());
    let copy = dir.path().join("copy.db");
    let copy_str = copy.to_str().unwrap();
    let out = northstar(&db, &["backup", copy_str], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let from_copy = northstar(&format!("sqlite://{copy_str}"), &["seed-demo"], None);
    assert!(from_copy.status.success());
    let again = northstar(&db, &["backup", copy_str], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
}
