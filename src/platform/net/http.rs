//! HTTP/1.1 requests over [`Outbound`] connections, following redirects hop by hop so each hop
//! is resolved and judged by the address policy like the first: the health checks' GET and
//! HEAD, and the alert webhooks' POST.

use super::Outbound;
use bytes::Bytes;
use http::header::{ACCEPT, CONNECTION, HOST, LOCATION, USER_AGENT};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
}

pub struct Request<'a> {
    pub method: Method,
    pub url: &'a str,
    pub follow_redirects: bool,
    /// How much of the body to read; 0 reads none.
    pub body_limit: usize,
    /// Headers beyond the host, user agent and accept ones.
    pub headers: &'a [(&'static str, String)],
    /// What a POST sends.
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    pub fn get(url: &'a str) -> Request<'a> {
        Request { method: Method::Get, url, follow_redirects: true, body_limit: 0, headers: &[], body: &[] }
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// At most `body_limit` bytes of the body.
    pub body: Vec<u8>,
    /// The URL that answered, after any redirects.
    pub url: String,
    /// When the TLS certificate of the server that answered expires (unix seconds).
    pub tls_expires: Option<i64>,
}

impl Response {
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }
}

/// TLS with the Mozilla root store (webpki-roots), HTTP/1.1 only.
pub fn tls_config() -> Arc<rustls::ClientConfig> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

/// One request, redirects included. The caller bounds the time it may take.
pub async fn fetch(out: &Outbound, req: Request<'_>) -> Result<Response, String> {
    let mut url = url::Url::parse(req.url).map_err(|e| format!("{:?} is not a URL: {e}", req.url))?;
    let mut hops = 0;
    loop {
        let answer = once(out, &req, &url).await?;
        let response = Response { status: answer.status, body: answer.body, url: url.to_string(), tls_expires: answer.tls_expires };
        let next = match answer.location {
            Some(location) if req.follow_redirects && response.is_redirect() => location,
            _ => return Ok(response),
        };
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err("too many redirects".into());
        }
        url = url.join(&next).map_err(|e| format!("the redirect to {next:?} is not a URL: {e}"))?;
    }
}

async fn once(out: &Outbound, req: &Request<'_>, url: &url::Url) -> Result<Exchange, String> {
    let method = req.method;
    let https = match url.scheme() {
        "http" => false,
        "https" => true,
        other => return Err(format!("{other}: URLs are not fetched; use http or https")),
    };
    let host = url.host_str().ok_or_else(|| format!("{url} names no host"))?;
    let port = url.port_or_known_default().unwrap_or(if https { 443 } else { 80 });
    let authority = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let request = || {
        let mut builder = http::Request::builder()
            .method(match method {
                Method::Get => http::Method::GET,
                Method::Head => http::Method::HEAD,
                Method::Post => http::Method::POST,
            })
            .uri(path.as_str())
            .header(HOST, authority.as_str())
            .header(USER_AGENT, concat!("Northstar/", env!("CARGO_PKG_VERSION")))
            .header(ACCEPT, "*/*");
        for (name, value) in req.headers {
            builder = builder.header(*name, value.as_str());
        }
        builder.body(Full::new(Bytes::copy_from_slice(req.body))).map_err(|e| format!("the request could not be built: {e}"))
    };
    let limit = if method == Method::Head { 0 } else { req.body_limit };
    let key = (https, host.to_ascii_lowercase(), port);
    // A kept connection first; one the server has closed meanwhile fails before any answer,
    // and the request goes again on a fresh connection. GET and HEAD may be repeated; a POST
    // may not, since it could have arrived, so it always takes a fresh connection.
    let kept = if method == Method::Post { None } else { out.pool.take(&key) };
    if let Some((mut sender, tls_expires)) = kept {
        if let Ok((mut exchange, reusable)) = send(&mut sender, request()?, limit).await {
            if reusable {
                out.pool.put(key, sender, tls_expires);
            }
            exchange.tls_expires = tls_expires;
            return Ok(exchange);
        }
    }
    let stream = out.connect(host, port).await?;
    let (mut sender, tls_expires) = if https {
        let name = rustls::pki_types::ServerName::try_from(host.trim_start_matches('[').trim_end_matches(']').to_string())
            .map_err(|e| format!("TLS error: {host} is not a valid server name: {e}"))?;
        let tls = tokio_rustls::TlsConnector::from(out.tls.clone())
            .connect(name, stream)
            .await
            .map_err(|e| format!("TLS error: {e}"))?;
        let expires = tls.get_ref().1.peer_certificates().and_then(|chain| chain.first()).and_then(|leaf| not_after(leaf));
        (handshake(tls).await?, expires)
    } else {
        (handshake(stream).await?, None)
    };
    let (mut exchange, reusable) = send(&mut sender, request()?, limit).await?;
    if reusable {
        out.pool.put(key, sender, tls_expires);
    }
    exchange.tls_expires = tls_expires;
    Ok(exchange)
}

/// The end of a certificate's validity, in unix seconds.
fn not_after(der: &[u8]) -> Option<i64> {
    use x509_cert::der::Decode;
    let cert = x509_cert::Certificate::from_der(der).ok()?;
    i64::try_from(cert.tbs_certificate.validity.not_after.to_unix_duration().as_secs()).ok()
}

/// What one hop answered.
struct Exchange {
    status: u16,
    body: Vec<u8>,
    location: Option<String>,
    tls_expires: Option<i64>,
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// HTTP/1.1 over a connection; the connection is driven by a task of its own that ends when
/// the sender is dropped and the last answer read.
async fn handshake<T>(io: T) -> Result<Sender, String>
where
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io)).await.map_err(|e| describe(&e))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// Sends one request and reads up to `body_limit` bytes of the answer; says whether the
/// connection may carry another request (the whole body was read, and the server keeps it).
async fn send(sender: &mut Sender, request: http::Request<Full<Bytes>>, body_limit: usize) -> Result<(Exchange, bool), String> {
    sender.ready().await.map_err(|e| describe(&e))?;
    let response = sender.send_request(request).await.map_err(|e| describe(&e))?;
    let status = response.status().as_u16();
    let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let closing = response.headers().get(CONNECTION).is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"));
    let mut body = Vec::new();
    let mut incoming = response.into_body();
    // Past what the caller wants, a little more is read and dropped so that the connection can
    // be kept; a longer body is left unread and its connection closed.
    let reads = body_limit.max(DRAIN);
    let mut ended = false;
    while body.len() <= reads {
        match incoming.frame().await {
            None => {
                ended = true;
                break;
            }
            Some(Err(e)) => return Err(describe(&e)),
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    body.extend_from_slice(data);
                }
            }
        }
    }
    body.truncate(body_limit);
    Ok((Exchange { status, body, location, tls_expires: None }, ended && !closing))
}

/// How much of an unwanted body is read to keep its connection.
const DRAIN: usize = 64 << 10;
/// Kept connections per host, and how long one may stay idle (as browsers and reqwest do).
const IDLE_PER_HOST: usize = 4;
const IDLE_FOR: Duration = Duration::from_secs(90);

type PoolKey = (bool, String, u16);

/// Connections kept open between checks of the same host. Each was dialled through the
/// address policy; a check then measures an answer rather than TCP and TLS set-up, and a
/// thousand checks a minute cost no thousand handshakes.
#[derive(Default)]
pub(super) struct Pool {
    /// Each kept connection with when it went idle and its certificate's expiry.
    idle: Mutex<HashMap<PoolKey, Vec<(Sender, Instant, Option<i64>)>>>,
}

impl Pool {
    fn take(&self, key: &PoolKey) -> Option<(Sender, Option<i64>)> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.get_mut(key)?;
        while let Some((sender, since, expires)) = list.pop() {
            if since.elapsed() < IDLE_FOR && !sender.is_closed() {
                return Some((sender, expires));
            }
        }
        None
    }

    fn put(&self, key: PoolKey, sender: Sender, tls_expires: Option<i64>) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        idle.retain(|_, list| {
            list.retain(|(s, since, _)| since.elapsed() < IDLE_FOR && !s.is_closed());
            !list.is_empty()
        });
        let list = idle.entry(key).or_default();
        if list.len() < IDLE_PER_HOST {
            list.push((sender, Instant::now(), tls_expires));
        }
    }
}

/// A reason a person can act on, from hyper's nested errors.
fn describe(e: &hyper::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return super::io_reason(io);
        }
        source = s.source();
    }
    if e.is_parse() || e.is_parse_status() || e.is_parse_too_large() {
        format!("not a valid HTTP response: {e}")
    } else if e.is_incomplete_message() {
        "connection closed before a complete response".into()
    } else {
        format!("request failed: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::loopback_outbound;
    use super::super::AddressPolicy;
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A loopback server answering every request with `reply`.
    async fn serve(reply: String) -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let reply = reply.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 2048];
                    let _ = sock.read(&mut buf).await;
                    let _ = sock.write_all(reply.as_bytes()).await;
                });
            }
        });
        port
    }

    fn redirect_to(location: &str) -> String {
        format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n")
    }

    fn get(url: &str) -> Request<'_> {
        Request { body_limit: 1024, ..Request::get(url) }
    }

    #[tokio::test]
    async fn a_redirect_to_link_local_is_refused_at_that_hop() {
        let names = [("metadata.test", "169.254.169.254"), ("v6.test", "fe80::1")];
        let (out, connector) = loopback_outbound(AddressPolicy::default(), &names);
        for target in ["http://169.254.169.254/latest/meta-data/", "http://metadata.test/", "http://[::ffff:a9fe:a9fe]/", "http://v6.test:8080/"] {
            let port = serve(redirect_to(target)).await;
            let err = fetch(&out, get(&format!("http://127.0.0.1:{port}/"))).await.unwrap_err();
            assert!(err.contains("outbound address policy"), "{target}: {err}");
        }
        let dialled = connector.dialled.lock().unwrap();
        assert!(dialled.iter().all(|a| a.ip().is_loopback()), "only the loopback server was dialled: {dialled:?}");
    }

    #[tokio::test]
    async fn redirects_are_followed_to_allowed_targets_and_counted() {
        let (out, _) = loopback_outbound(AddressPolicy::default(), &[("app.test", "127.0.0.1")]);
        let end = serve("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello".into()).await;
        let hop = serve(redirect_to(&format!("http://app.test:{end}/done"))).await;
        let r = fetch(&out, get(&format!("http://127.0.0.1:{hop}/"))).await.unwrap();
        assert_eq!((r.status, r.body.as_slice(), r.url.as_str()), (200, &b"hello"[..], format!("http://app.test:{end}/done").as_str()));

        let first = format!("http://127.0.0.1:{hop}/");
        let stay = Request { follow_redirects: false, ..get(&first) };
        assert_eq!(fetch(&out, stay).await.unwrap().status, 302);

        // A redirect to itself is followed five times, then given up.
        let looping = serve(redirect_to("/again")).await;
        assert_eq!(fetch(&out, get(&format!("http://127.0.0.1:{looping}/"))).await.unwrap_err(), "too many redirects");
    }

    /// A loopback server that answers every request on a connection, counting connections.
    async fn serve_keep_alive(reply: &'static str) -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = [0u8; 2048];
                    while matches!(sock.read(&mut buf).await, Ok(n) if n > 0) {
                        if sock.write_all(reply.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (port, accepted)
    }

    #[tokio::test]
    async fn connections_are_kept_for_the_next_check_of_the_same_host() {
        let (out, _) = loopback_outbound(AddressPolicy::default(), &[]);
        let (port, accepted) = serve_keep_alive("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await;
        let url = format!("http://127.0.0.1:{port}/");
        for _ in 0..5 {
            assert_eq!(fetch(&out, get(&url)).await.unwrap().status, 200);
        }
        assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1, "one connection served five checks");
        // A server that closes after each answer gets a fresh connection each time.
        let (port, accepted) = serve_keep_alive("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok").await;
        let url = format!("http://127.0.0.1:{port}/");
        for _ in 0..3 {
            assert_eq!(fetch(&out, get(&url)).await.unwrap().status, 200);
        }
        assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn other_schemes_and_bodies_beyond_the_limit() {
        let (out, _) = loopback_outbound(AddressPolicy::default(), &[]);
        assert!(fetch(&out, get("file:///etc/passwd")).await.unwrap_err().contains("use http or https"));
        let big = serve(format!("HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n{}", "x".repeat(5000))).await;
        let r = fetch(&out, get(&format!("http://127.0.0.1:{big}/"))).await.unwrap();
        assert_eq!(r.body.len(), 1024);
    }
}
