//! The real binary under attack: oversized bodies, what its logs hold, what it says at start.

use crate::common;

use common::process::{seed, Server};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HUGE: u64 = 300 * 1024 * 1024;

/// Sends a 300 MB body to `path` while reading the answer; returns the status line and how
/// long it took to arrive. The writer stops as soon as the answer is in.
async fn send_huge(port: u16, path: &str, chunked: bool) -> (String, Duration) {
    let sock = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (mut rd, mut wr) = sock.into_split();
    let length = if chunked { "Transfer-Encoding: chunked".to_string() } else { format!("Content-Length: {HUGE}") };
    let head = format!("POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n{length}\r\n\r\n");
    let started = Instant::now();
    wr.write_all(head.as_bytes()).await.unwrap();
    let writer = tokio::spawn(async move {
        let block = vec![b'a'; 64 * 1024];
        let mut sent = 0u64;
        while sent < HUGE {
            let ok = if chunked {
                wr.write_all(format!("{:x}\r\n", block.len()).as_bytes()).await.is_ok() && wr.write_all(&block).await.is_ok() && wr.write_all(b"\r\n").await.is_ok()
            } else {
                wr.write_all(&block).await.is_ok()
            };
            if !ok {
                return;
            }
            sent += block.len() as u64;
        }
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match tokio::time::timeout(Duration::from_secs(30), rd.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => answer.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    let took = started.elapsed();
    writer.abort();
    let text = String::from_utf8_lossy(&answer).into_owned();
    (text.lines().next().unwrap_or_default().to_string(), took)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_mb_body_is_refused_at_once_without_memory_growth() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), false);
    let server = Server::start(dir.path(), &[]);
    // Each route's first request builds what every later one reuses (worker threads, buffers,
    // the router's caches); pay that with a small body, so the figure is what the big ones cost.
    let small = reqwest::Client::new();
    for path in ["/api/kpis/overview", "/api/auth/login", "/api/v1/events/deployments", "/api/kpis/p95/import", "/api/budgets/expenses/import"] {
        let _ = small.post(server.url(path)).body("x").send().await.unwrap();
    }
    let before = server.rss_kib();
    for path in ["/api/kpis/overview", "/api/auth/login"] {
        for chunked in [false, true] {
            let (status, took) = send_huge(server.port, path, chunked).await;
            eprintln!("POST {path} with 300 MB, chunked={chunked}: {status} after {took:?}");
            assert!(status.starts_with("HTTP/1.1 413"), "{path} chunked={chunked}: {status:?}");
            assert!(took < Duration::from_secs(1), "{path} chunked={chunked}: answered after {took:?}");
        }
    }
    // The ingest API and the uploads keep their own, documented limits.
    for path in ["/api/v1/events/deployments", "/api/kpis/p95/import", "/api/budgets/expenses/import"] {
        let (status, took) = send_huge(server.port, path, false).await;
        assert!(status.starts_with("HTTP/1.1 413"), "{path}: {status:?}");
        assert!(took < Duration::from_secs(1), "{path}: {took:?}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let grown = server.rss_kib().saturating_sub(before);
    eprintln!("server RSS {before} KiB before, grew by {grown} KiB");
    assert!(grown < 10 * 1024, "the server grew by {grown} KiB");
    // Still serving.
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let log = server.log();
    assert!(!log.contains("ERROR"), "a refused body is no error of the server's:\n{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_tokens_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), false);
    // The most talkative logging there is, as JSON for a collector.
    let server = Server::start(dir.path(), &[("RUST_LOG", "debug"), ("NORTHSTAR_LOG_FORMAT", "json")]);
    let token = "SecretShareToken-abcdefghijklmnopqrstuvwxyz";
    assert_eq!(token.len(), 43);
    let client = reqwest::Client::new();
    for path in [format!("/share/{token}"), format!("/api/share/{token}/pdf"), format!("/share/{token}/x")] {
        let _ = client.get(server.url(&path)).send().await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.log();
    assert!(log.contains("/share/…"), "requests are logged, redacted:\n{}", &log[..log.len().min(2000)]);
    assert!(!log.contains(token), "the token was written to the log");
    let first = log.lines().find(|l| l.starts_with('{')).expect("JSON lines");
    let parsed: serde_json::Value = serde_json::from_str(first).unwrap();
    assert!(parsed["level"].is_string() && parsed["timestamp"].is_string(), "{first}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_site_gets_secure_cookies_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), true);
    let port = common::process::free_port();
    let site = format!("https://127.0.0.1:{port}");
    let server = Server::start_on(dir.path(), port, &[("NORTHSTAR_SITE_URL", &site)]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(server.stdout().contains("Session cookies are marked Secure"), "{}", server.stdout());
    let res = reqwest::Client::new()
        .post(server.url("/api/auth/login"))
        .header("origin", &site)
        .form(&[("email", "cto@northstar.demo"), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("; Secure"));
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_northstar"))
        .args(["migrate"])
        .env("DATABASE_URL", common::process::database_url(dir.path()))
        .env("NORTHSTAR_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NORTHSTAR_LOG_FORMAT"));
}
