//! The real `northstar` binary as a child process on a database folder of the test's own, for
//! the tests that kill it, fill its disk or read its logs.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub dir: PathBuf,
    /// Everything the server wrote to standard error so far.
    pub log: Arc<Mutex<String>>,
    /// And to standard output.
    pub out: Arc<Mutex<String>>,
}

/// The database URL of a data folder.
pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}/northstar.db", dir.display())
}

/// A port free on 127.0.0.1 at the moment of asking.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Server {
    /// Starts `northstar serve` on `dir` (health checks off unless `env` turns them on) and
    /// waits until it answers.
    pub fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
        Self::start_on(dir, free_port(), env)
    }

    /// As [`Server::start`], with the demo data, as `./scripts/run.sh` shows it.
    pub fn start_demo(dir: &Path) -> Server {
        Self::launch(dir, free_port(), &["--demo"], &[])
    }

    pub fn start_on(dir: &Path, port: u16, env: &[(&str, &str)]) -> Server {
        Self::launch(dir, port, &[], env)
    }

    fn launch(dir: &Path, port: u16, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_northstar"));
        cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(extra)
            .env("DATABASE_URL", database_url(dir))
            .env("RUST_LOG", "warn")
            .env("NORTHSTAR_RUN_CHECKS", "false")
            .env("NORTHSTAR_CHROMIUM", "off")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start northstar");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let out = Arc::new(Mutex::new(String::new()));
        let printed = out.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let running = line.contains("Northstar is running at");
                printed.lock().unwrap().push_str(&format!("{line}\n"));
                if running {
                    let _ = tx.send(());
                }
            }
        });
        let server = Server { child, port, dir: dir.to_path_buf(), log, out };
        if rx.recv_timeout(Duration::from_secs(60)).is_err() {
            panic!("the server did not start:\n{}", server.log());
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn stdout(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown, no flush, as a power cut looks to the process.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The resident memory of the server process, in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// A client signed in as a demo account through the login form.
    pub async fn sign_in(&self, email: &str) -> reqwest::Client {
        let client = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(600)).build().unwrap();
        let res = client
            .post(self.url("/api/auth/login"))
            .header("accept", "application/json")
            .form(&[("email", email), ("password", super::PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sign-in as {email}");
        client
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Seeds the demo accounts (and, with `demo`, the demo data) into a fresh data folder.
pub fn seed(dir: &Path, demo: bool) {
    let args: &[&str] = if demo { &["seed-demo"] } else { &["migrate"] };
    let out = Command::new(env!("CARGO_BIN_EXE_northstar")).args(args).env("DATABASE_URL", database_url(dir)).env("RUST_LOG", "error").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Waits until `f` is true or `limit` passes.
pub async fn eventually(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    f()
}
