//! Stand-ins for what alerts are sent to, on loopback ports: a webhook receiver that records
//! each request and answers with the status it is told to, and an SMTP listener that accepts
//! every message and keeps it.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct WebhookReceiver {
    pub port: u16,
    status: Arc<AtomicU16>,
    got: Arc<Mutex<Vec<Received>>>,
}

impl WebhookReceiver {
    pub async fn start() -> WebhookReceiver {
        use axum::extract::State;
        let status = Arc::new(AtomicU16::new(200));
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let state = (status.clone(), got.clone());
        let app = axum::Router::new().fallback(
            |State((status, got)): State<(Arc<AtomicU16>, Arc<Mutex<Vec<Received>>>)>, req: axum::extract::Request| async move {
                let path = req.uri().path().to_string();
                let headers = req.headers().iter().map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string())).collect();
                let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
                got.lock().unwrap().push(Received { path, headers, body: String::from_utf8_lossy(&body).into_owned() });
                axum::http::StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap()
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app.with_state(state)).await });
        WebhookReceiver { port, status, got }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The status every later request is answered with.
    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits until `n` requests have arrived (they are sent just after the change); then a
    /// moment longer, so that an extra one would be seen too.
    pub async fn until(&self, n: usize) -> Vec<Received> {
        for _ in 0..400 {
            if self.got.lock().unwrap().len() >= n {
                tokio::time::sleep(Duration::from_millis(150)).await;
                return self.received();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{n} webhook requests expected, {} arrived: {:?}", self.received().len(), self.received());
    }
}

/// One message as the SMTP listener took it.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Mail {
    /// A header's value, as sent.
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        // Long headers are folded onto lines that start with white space.
        let head = self.data.split("\n\n").next().unwrap_or_default().replace("\n ", " ").replace("\n\t", " ");
        head.lines().find(|l| l.to_ascii_lowercase().starts_with(&prefix)).map(|l| l[prefix.len()..].trim().to_string())
    }

    /// The body, decoded from whichever transfer encoding the client chose.
    pub fn text(&self) -> String {
        let body = self.data.split_once("\n\n").map(|(_, b)| b).unwrap_or_default();
        match self.header("Content-Transfer-Encoding").as_deref() {
            Some("base64") => {
                use base64::Engine;
                let joined: String = body.split_whitespace().collect();
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(joined).unwrap()).unwrap()
            }
            Some("quoted-printable") => {
                let mut bytes = Vec::new();
                let soft = body.replace("=\n", "");
                let raw = soft.as_bytes();
                let mut i = 0;
                while i < raw.len() {
                    if raw[i] == b'=' && i + 2 < raw.len() {
                        bytes.push(u8::from_str_radix(std::str::from_utf8(&raw[i + 1..i + 3]).unwrap(), 16).unwrap());
                        i += 3;
                    } else {
                        bytes.push(raw[i]);
                        i += 1;
                    }
                }
                String::from_utf8(bytes).unwrap()
            }
            _ => body.to_string(),
        }
    }
}

pub struct SmtpListener {
    pub port: u16,
    got: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpListener {
    /// Speaks just enough SMTP (RFC 5321) for a client without TLS or authentication.
    pub async fn start() -> SmtpListener {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let got: Arc<Mutex<Vec<Mail>>> = Arc::default();
        let store = got.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = sock.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
                    let mut mail = Mail { from: String::new(), to: Vec::new(), data: String::new() };
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                            b"250 test.local\r\n"
                        } else if upper.starts_with("MAIL FROM:") {
                            mail.from = line[10..].trim().to_string();
                            b"250 OK\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            mail.to.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        } else if upper == "DATA" {
                            let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                mail.data.push_str(&l);
                                mail.data.push('\n');
                            }
                            store.lock().unwrap().push(std::mem::replace(&mut mail, Mail { from: String::new(), to: Vec::new(), data: String::new() }));
                            b"250 Queued\r\n"
                        } else if upper == "QUIT" {
                            let _ = write.write_all(b"221 Bye\r\n").await;
                            return;
                        } else {
                            b"250 OK\r\n"
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SmtpListener { port, got }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub async fn until(&self, n: usize) -> Vec<Mail> {
        for _ in 0..400 {
            if self.got.lock().unwrap().len() >= n {
                tokio::time::sleep(Duration::from_millis(150)).await;
                return self.got.lock().unwrap().clone();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{n} e-mails expected, {} arrived", self.got.lock().unwrap().len());
    }
}
