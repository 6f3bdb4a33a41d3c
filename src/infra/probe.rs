//! One probe: an HTTP(S) request or a TCP connect, bounded by the check's timeout. Every fault
//! of the target (a hang, a reset, garbage, a failed DNS lookup) comes back as a failed
//! outcome with its reason; nothing here panics or waits past the timeout.

use super::model::{split_host_port, CheckKind, CheckSpec};
use crate::platform::net::http::{fetch, Method, Request};
use crate::platform::metrics::Metrics;
use crate::platform::net::Outbound;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most of a body read when looking for a keyword.
const BODY_LIMIT: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub ok: bool,
    pub latency_ms: i64,
    pub error: Option<String>,
    /// When the HTTPS target's certificate expires (unix seconds), when it answered over TLS.
    pub tls_expires_at: Option<i64>,
}

/// Runs probes through the server's outbound path, so every target (and every redirect hop)
/// is resolved and judged by the address policy before anything is dialled.
pub struct Prober {
    out: Outbound,
    metrics: Arc<Metrics>,
}

impl Prober {
    pub fn new(out: Outbound, metrics: Arc<Metrics>) -> Prober {
        Prober { out, metrics }
    }

    pub fn outbound(&self) -> &Outbound {
        &self.out
    }

    pub async fn run(&self, spec: &CheckSpec) -> Outcome {
        let started = Instant::now();
        let limit = Duration::from_millis(spec.timeout_ms.max(1) as u64);
        let mut tls_expires_at = None;
        let result = match tokio::time::timeout(limit, self.attempt(spec, &mut tls_expires_at)).await {
            Ok(r) => r,
            Err(_) => Err(format!("timed out after {} ms", spec.timeout_ms)),
        };
        let latency_ms = started.elapsed().as_millis().min(i64::MAX as u128) as i64;
        self.metrics.check_run(spec.kind.as_str(), result.is_ok());
        match result {
            Ok(()) => Outcome { ok: true, latency_ms, error: None, tls_expires_at },
            Err(e) => Outcome { ok: false, latency_ms, error: Some(e), tls_expires_at },
        }
    }

    async fn attempt(&self, spec: &CheckSpec, tls_expires: &mut Option<i64>) -> Result<(), String> {
        match spec.kind {
            CheckKind::Http => self.http(spec, tls_expires).await,
            CheckKind::Tcp => {
                let (host, port) = split_host_port(&spec.target)?;
                self.out.connect(&host, port).await.map(drop)
            }
        }
    }

    async fn http(&self, spec: &CheckSpec, tls_expires: &mut Option<i64>) -> Result<(), String> {
        let method = if spec.method == "HEAD" { Method::Head } else { Method::Get };
        let body_limit = if spec.keyword.is_empty() { 0 } else { BODY_LIMIT };
        let response = fetch(&self.out, Request { method, follow_redirects: spec.follow_redirects, body_limit, ..Request::get(&spec.target) }).await?;
        let status = response.status;
        // Known from the handshake, whatever the answer says.
        *tls_expires = response.tls_expires;
        if status < spec.expect_min || status > spec.expect_max {
            let expected = if spec.expect_min == spec.expect_max { spec.expect_min.to_string() } else { format!("{}-{}", spec.expect_min, spec.expect_max) };
            let hint = if response.is_redirect() && !spec.follow_redirects { " (redirects are not followed)" } else { "" };
            return Err(format!("HTTP {status}, expected {expected}{hint}"));
        }
        if spec.keyword.is_empty() || String::from_utf8_lossy(&response.body).contains(&spec.keyword) {
            Ok(())
        } else {
            Err(format!("HTTP {status}, but “{}” is not in the response", spec.keyword))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::model::CheckForm;
    use crate::platform::net::{testing::loopback_outbound, AddressPolicy};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Names other than `.test` ones fail as unknown hosts, and nothing beyond loopback is dialled.
    fn prober() -> Prober {
        Prober::new(loopback_outbound(AddressPolicy::default(), &[]).0, Arc::default())
    }

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
        let p = prober();
        let ok = serve(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\n\r\nall ok\n")).await;
        let r = p.run(&spec("http", &format!("http://127.0.0.1:{ok}/"), "2000")).await;
        assert!(r.ok, "{r:?}");

        let mut with_keyword = spec("http", &format!("http://127.0.0.1:{ok}/"), "2000");
        with_keyword.keyword = "healthy".into();
        assert!(p.run(&with_keyword).await.error.unwrap().contains("“healthy” is not in the response"));

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

    /// An HTTPS server on loopback for `tls.test`, whose certificate ends on `not_after`, and
    /// a prober that trusts that certificate.
    async fn tls_server(not_after: chrono::NaiveDate) -> (u16, Prober) {
        use chrono::Datelike;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let mut params = rcgen::CertificateParams::new(vec!["tls.test".to_string()]).unwrap();
        params.not_after = rcgen::date_time_ymd(not_after.year(), not_after.month() as u8, not_after.day() as u8);
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let der = CertificateDer::from(cert.der().to_vec());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![der.clone()], PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())))
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(sock).await else { return };
                    let mut buf = [0u8; 2048];
                    let _ = tls.read(&mut buf).await;
                    let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        let mut roots = rustls::RootCertStore::empty();
        roots.add(der).unwrap();
        let mut client = rustls::ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions().unwrap().with_root_certificates(roots).with_no_client_auth();
        client.alpn_protocols = vec![b"http/1.1".to_vec()];
        let out = loopback_outbound(AddressPolicy::default(), &[("tls.test", "127.0.0.1")]).0.with_tls(Arc::new(client));
        (port, Prober::new(out, Arc::default()))
    }

    #[tokio::test]
    async fn an_https_check_records_when_the_certificate_expires() {
        let ends = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
        let (port, p) = tls_server(ends).await;
        let r = p.run(&spec("http", &format!("https://tls.test:{port}/"), "3000")).await;
        assert!(r.ok, "{r:?}");
        let expected = ends.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
        assert_eq!(r.tls_expires_at, Some(expected));
        // Plain HTTP has no certificate.
        let plain = serve(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")).await;
        assert_eq!(p.run(&spec("http", &format!("http://127.0.0.1:{plain}/"), "2000")).await.tls_expires_at, None);
    }

    #[tokio::test]
    async fn redirects_follow_the_checks_policy() {
        let p = prober();
        let target = serve(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")).await;
        let reply: &'static [u8] = Box::leak(format!("HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:{target}/\r\ncontent-length: 0\r\n\r\n").into_bytes().into_boxed_slice());
        let redirect = serve(Some(reply)).await;
        let mut s = spec("http", &format!("http://127.0.0.1:{redirect}/"), "2000");
        assert!(p.run(&s).await.ok);
        s.follow_redirects = false;
        assert_eq!(p.run(&s).await.error.as_deref(), Some("HTTP 302, expected 200-299 (redirects are not followed)"));
    }
}
