//! One probe: an HTTP(S) request or a TCP connect, bounded by the check's timeout. Every fault
//! of the target (a hang, a reset, garbage, a failed DNS lookup) comes back as a failed
//! outcome with its reason; nothing here panics or waits past the timeout.

use super::model::{split_host_port, CheckKind, CheckSpec};
use std::time::{Duration, Instant};

/// The most of a body read when looking for a keyword.
const BODY_LIMIT: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub ok: bool,
    pub latency_ms: i64,
    pub error: Option<String>,
}

/// Shared HTTP clients: connections to the same host are reused between runs.
pub struct Prober {
    follow: reqwest::Client,
    stay: reqwest::Client,
}

impl Default for Prober {
    fn default() -> Self {
        Self::new()
    }
}

impl Prober {
    pub fn new() -> Prober {
        let build = |policy: reqwest::redirect::Policy| {
            reqwest::Client::builder()
                .user_agent(concat!("Northstar-monitor/", env!("CARGO_PKG_VERSION")))
                .redirect(policy)
                // Checks go where the CTO pointed them, never through a proxy from the environment.
                .no_proxy()
                .pool_idle_timeout(Duration::from_secs(90))
                .build()
                .expect("the HTTP client's settings are static")
        };
        Prober { follow: build(reqwest::redirect::Policy::limited(5)), stay: build(reqwest::redirect::Policy::none()) }
    }

    pub async fn run(&self, spec: &CheckSpec) -> Outcome {
        let started = Instant::now();
        let limit = Duration::from_millis(spec.timeout_ms.max(1) as u64);
        let result = match tokio::time::timeout(limit, self.attempt(spec)).await {
            Ok(r) => r,
            Err(_) => Err(format!("timed out after {} ms", spec.timeout_ms)),
        };
        let latency_ms = started.elapsed().as_millis().min(i64::MAX as u128) as i64;
        match result {
            Ok(()) => Outcome { ok: true, latency_ms, error: None },
            Err(e) => Outcome { ok: false, latency_ms, error: Some(e) },
        }
    }

    async fn attempt(&self, spec: &CheckSpec) -> Result<(), String> {
        match spec.kind {
            CheckKind::Http => self.http(spec).await,
            CheckKind::Tcp => tcp(&spec.target).await,
        }
    }

    async fn http(&self, spec: &CheckSpec) -> Result<(), String> {
        let client = if spec.follow_redirects { &self.follow } else { &self.stay };
        let method = if spec.method == "HEAD" { reqwest::Method::HEAD } else { reqwest::Method::GET };
        let mut response = client.request(method, &spec.target).send().await.map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        if status < spec.expect_min || status > spec.expect_max {
            let expected = if spec.expect_min == spec.expect_max { spec.expect_min.to_string() } else { format!("{}-{}", spec.expect_min, spec.expect_max) };
            let hint = if response.status().is_redirection() && !spec.follow_redirects { " (redirects are not followed)" } else { "" };
            return Err(format!("HTTP {status}, expected {expected}{hint}"));
        }
        if spec.keyword.is_empty() {
            return Ok(());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
            body.extend_from_slice(&chunk);
            if body.len() >= BODY_LIMIT {
                break;
            }
        }
        if String::from_utf8_lossy(&body).contains(&spec.keyword) {
            Ok(())
        } else {
            Err(format!("HTTP {status}, but {:?} is not in the response", spec.keyword))
        }
    }
}

async fn tcp(target: &str) -> Result<(), String> {
    let (host, port) = split_host_port(target)?;
    let addrs: Vec<_> = tokio::net::lookup_host((host.as_str(), port)).await.map_err(|e| format!("DNS lookup of {host} failed: {e}"))?.collect();
    if addrs.is_empty() {
        return Err(format!("DNS lookup of {host} found no address"));
    }
    let mut last = String::new();
    for addr in addrs {
        match tokio::net::TcpStream::connect(addr).await {
            Ok(_) => return Ok(()),
            Err(e) => last = io_reason(&e),
        }
    }
    Err(last)
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset => "connection reset by the target".into(),
        ConnectionAborted => "connection aborted".into(),
        TimedOut => "timed out".into(),
        _ => e.to_string(),
    }
}

/// A reason a person can act on, from reqwest's nested errors.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if matches!(io.kind(), std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted) {
                return io_reason(io);
            }
        }
        chain.push(s.to_string());
        source = s.source();
    }
    let all = chain.join(": ").to_ascii_lowercase();
    let innermost = chain.last().cloned().unwrap_or_default();
    if all.contains("dns error") || all.contains("failed to lookup") || all.contains("name or service not known") {
        format!("DNS lookup failed: {innermost}")
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        format!("TLS error: {innermost}")
    } else if e.is_redirect() {
        "too many redirects".into()
    } else if all.contains("connection closed before message completed") || all.contains("incomplete message") {
        "connection closed before a complete response".into()
    } else if all.contains("invalid") || all.contains("parse") || e.is_decode() {
        format!("not a valid HTTP response: {innermost}")
    } else if e.is_connect() {
        format!("could not connect: {innermost}")
    } else {
        format!("request failed: {innermost}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::model::CheckForm;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn spec(kind: &str, target: &str, timeout_ms: &str) -> CheckSpec {
        CheckForm { kind: kind.into(), target: target.into(), timeout_ms: timeout_ms.into(), follow_redirects: true, enabled: true, ..Default::default() }.parse().unwrap()
    }

    /// A server that answers every connection with `reply` (or nothing, holding it open).
    async fn serve(reply: Option<&'static [u8]>) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else { return };
                tokio::spawn(async move {
                    let mut buf = [0u8; 2048];
                    let _ = sock.read(&mut buf).await;
                    match reply {
                        Some(r) => {
                            let _ = sock.write_all(r).await;
                        }
                        None => tokio::time::sleep(Duration::from_secs(30)).await,
                    }
                });
            }
        });
        port
    }

    #[tokio::test]
    async fn faults_are_failed_outcomes_with_reasons() {
        let p = Prober::new();
        let ok = serve(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nall ok\n")).await;
        let r = p.run(&spec("http", &format!("http://127.0.0.1:{ok}/"), "2000")).await;
        assert!(r.ok, "{r:?}");

        let mut with_keyword = spec("http", &format!("http://127.0.0.1:{ok}/"), "2000");
        with_keyword.keyword = "healthy".into();
        assert!(p.run(&with_keyword).await.error.unwrap().contains("\"healthy\" is not in the response"));

        let garbage = serve(Some(b"\x00\x01 not http at all\r\n\r\n")).await;
        let r = p.run(&spec("http", &format!("http://127.0.0.1:{garbage}/"), "2000")).await;
        assert!(!r.ok && r.error.as_deref().unwrap().contains("valid HTTP"), "{r:?}");

        let hang = serve(None).await;
        let r = p.run(&spec("http", &format!("http://127.0.0.1:{hang}/"), "300")).await;
        assert_eq!(r.error.as_deref(), Some("timed out after 300 ms"));
        assert!(r.latency_ms >= 300 && r.latency_ms < 2000);

        let server_error = serve(Some(b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n")).await;
        let r = p.run(&spec("http", &format!("http://127.0.0.1:{server_error}/"), "2000")).await;
        assert_eq!(r.error.as_deref(), Some("HTTP 503, expected 200-299"));

        // A port that was just free: nothing listens there.
        let closed = { let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap(); l.local_addr().unwrap().port() };
        assert_eq!(p.run(&spec("tcp", &format!("127.0.0.1:{closed}"), "2000")).await.error.as_deref(), Some("connection refused"));
        assert_eq!(p.run(&spec("http", &format!("http://127.0.0.1:{closed}/"), "2000")).await.error.as_deref(), Some("connection refused"));
        assert!(p.run(&spec("tcp", &format!("127.0.0.1:{ok}"), "2000")).await.ok);

        let r = p.run(&spec("tcp", "no-such-host.invalid:80", "3000")).await;
        assert!(r.error.as_deref().unwrap().contains("DNS lookup"), "{r:?}");
        let r = p.run(&spec("http", "http://no-such-host.invalid/", "3000")).await;
        assert!(r.error.as_deref().unwrap().contains("DNS lookup"), "{r:?}");
    }

    #[tokio::test]
    async fn redirects_follow_the_checks_policy() {
        let p = Prober::new();
        let target = serve(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")).await;
        let reply: &'static [u8] = Box::leak(format!("HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:{target}/\r\ncontent-length: 0\r\n\r\n").into_bytes().into_boxed_slice());
        let redirect = serve(Some(reply)).await;
        let mut s = spec("http", &format!("http://127.0.0.1:{redirect}/"), "2000");
        assert!(p.run(&s).await.ok);
        s.follow_redirects = false;
        assert_eq!(p.run(&s).await.error.as_deref(), Some("HTTP 302, expected 200-299 (redirects are not followed)"));
    }
}
