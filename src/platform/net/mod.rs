//! Connections the server opens on its own initiative, through two seams.
//!
//! Every outbound connection is resolved by a [`Resolver`], judged by the [`AddressPolicy`]
//! and only then opened by a [`Connector`]. The policy therefore decides on the address that
//! would really be dialled, for a name as for a literal, at every redirect hop. Tests hand in a
//! stub resolver and a connector that records and refuses, so no test can send a packet beyond
//! the loopback range even when the policy under test is wrong.
//!
//! HTTP is spoken with hyper directly rather than through reqwest, because reqwest resolves
//! and connects inside itself: a per-request address check would be out of reach.

pub mod http;
mod policy;

pub use policy::{canonical, parse_networks, AddressPolicy};

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use tokio::net::TcpStream;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Turns a host name into addresses.
pub trait Resolver: Send + Sync {
    fn lookup<'a>(&'a self, host: &'a str, port: u16) -> BoxFuture<'a, io::Result<Vec<SocketAddr>>>;
}

/// Opens a TCP connection to an address the policy has allowed.
pub trait Connector: Send + Sync {
    fn connect(&self, addr: SocketAddr) -> BoxFuture<'_, io::Result<TcpStream>>;
}

/// The operating system's resolver.
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn lookup<'a>(&'a self, host: &'a str, port: u16) -> BoxFuture<'a, io::Result<Vec<SocketAddr>>> {
        Box::pin(async move { Ok(tokio::net::lookup_host((host, port)).await?.collect()) })
    }
}

/// Plain TCP.
pub struct TcpConnector;

impl Connector for TcpConnector {
    fn connect(&self, addr: SocketAddr) -> BoxFuture<'_, io::Result<TcpStream>> {
        Box::pin(TcpStream::connect(addr))
    }
}

/// The server's way out: resolver, policy, connector and TLS settings together.
#[derive(Clone)]
pub struct Outbound {
    policy: Arc<AddressPolicy>,
    resolver: Arc<dyn Resolver>,
    connector: Arc<dyn Connector>,
    tls: Arc<rustls::ClientConfig>,
    pool: Arc<http::Pool>,
}

impl Outbound {
    pub fn new(policy: AddressPolicy, resolver: Arc<dyn Resolver>, connector: Arc<dyn Connector>) -> Outbound {
        Outbound { policy: Arc::new(policy), resolver, connector, tls: http::tls_config(), pool: Arc::default() }
    }

    /// The system resolver and plain TCP, under `policy`.
    pub fn system(policy: AddressPolicy) -> Outbound {
        Outbound::new(policy, Arc::new(SystemResolver), Arc::new(TcpConnector))
    }

    pub fn policy(&self) -> &AddressPolicy {
        &self.policy
    }

    /// The same way out, trusting `tls`'s roots: for tests, whose HTTPS servers have
    /// certificates of their own making.
    pub fn with_tls(mut self, tls: Arc<rustls::ClientConfig>) -> Outbound {
        self.tls = tls;
        self
    }

    /// Connects to `host:port` (a name or an address literal) at the first allowed address
    /// that answers. Every failure is a reason a person can act on.
    pub async fn connect(&self, host: &str, port: u16) -> Result<TcpStream, String> {
        let literal = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
        let addrs = match literal {
            Some(ip) => vec![SocketAddr::new(ip, port)],
            None => self.resolver.lookup(host, port).await.map_err(|e| format!("DNS lookup of {host} failed: {e}"))?,
        };
        if addrs.is_empty() {
            return Err(format!("DNS lookup of {host} found no address"));
        }
        let mut refused = None;
        let mut last = None;
        for addr in addrs {
            if let Err(why) = self.policy.check(addr.ip()) {
                refused.get_or_insert(why);
                continue;
            }
            match self.connector.connect(addr).await {
                Ok(stream) => return Ok(stream),
                Err(e) => last = Some(io_reason(&e)),
            }
        }
        match (last, refused) {
            (Some(reason), _) => Err(reason),
            (None, Some(why)) if literal.is_some() => Err(format!("refused by the outbound address policy: {why}")),
            (None, Some(why)) => Err(format!("refused by the outbound address policy: {host} resolves to {why}")),
            (None, None) => Err(format!("DNS lookup of {host} found no address")),
        }
    }
}

/// A short reason for a failed connection.
pub fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset => "connection reset by the target".into(),
        ConnectionAborted => "connection aborted".into(),
        TimedOut => "timed out".into(),
        _ => e.to_string(),
    }
}

pub mod testing {
    //! Seams for tests and benchmarks: names answer from a table, and only loopback addresses
    //! are dialled, so a test that goes wrong still cannot reach beyond this machine.

    use super::*;
    use std::collections::HashMap;
    use std::sync::Mutex;

    /// Answers from a fixed table; any other name fails as an unknown host would.
    pub struct StubResolver(pub HashMap<String, Vec<IpAddr>>);

    impl StubResolver {
        /// `localhost` always answers 127.0.0.1; other names as `entries` say.
        pub fn new(entries: &[(&str, &str)]) -> StubResolver {
            let mut map: HashMap<String, Vec<IpAddr>> = HashMap::new();
            map.insert("localhost".into(), vec![IpAddr::from([127, 0, 0, 1])]);
            for (name, ip) in entries {
                map.entry(name.to_string()).or_default().push(ip.parse().expect("a stub address"));
            }
            StubResolver(map)
        }
    }

    impl Resolver for StubResolver {
        fn lookup<'a>(&'a self, host: &'a str, port: u16) -> BoxFuture<'a, io::Result<Vec<SocketAddr>>> {
            let found = self.0.get(host).map(|ips| ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect());
            Box::pin(async move { found.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such host (stub resolver)")) })
        }
    }

    /// Records every address it is asked to dial and refuses all but loopback ones.
    #[derive(Default)]
    pub struct LoopbackOnly {
        pub dialled: Mutex<Vec<SocketAddr>>,
    }

    impl Connector for LoopbackOnly {
        fn connect(&self, addr: SocketAddr) -> BoxFuture<'_, io::Result<TcpStream>> {
            self.dialled.lock().unwrap_or_else(|p| p.into_inner()).push(addr);
            Box::pin(async move {
                if canonical(addr.ip()).is_loopback() {
                    TcpStream::connect(addr).await
                } else {
                    Err(io::Error::new(io::ErrorKind::PermissionDenied, format!("test connector refuses {addr}")))
                }
            })
        }
    }

    /// An outbound path that cannot leave the machine, and its record of what it dialled.
    pub fn loopback_outbound(policy: AddressPolicy, names: &[(&str, &str)]) -> (Outbound, Arc<LoopbackOnly>) {
        let connector = Arc::new(LoopbackOnly::default());
        (Outbound::new(policy, Arc::new(StubResolver::new(names)), connector.clone()), connector)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::loopback_outbound;
    use super::*;

    #[tokio::test]
    async fn a_name_resolving_to_metadata_is_refused_before_any_connect() {
        let (out, dialled) = loopback_outbound(AddressPolicy::default(), &[("metadata.test", "169.254.169.254"), ("mapped.test", "::ffff:169.254.169.254")]);
        for host in ["metadata.test", "mapped.test", "169.254.169.254", "[fe80::1]"] {
            let err = out.connect(host, 80).await.unwrap_err();
            assert!(err.contains("outbound address policy"), "{host}: {err}");
        }
        assert!(dialled.dialled.lock().unwrap().is_empty(), "the policy decides before the connector is asked");
    }

    #[tokio::test]
    async fn allowed_addresses_are_dialled_in_order() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        // The refused address is skipped; the loopback one is dialled.
        let (out, dialled) = loopback_outbound(AddressPolicy::default(), &[("mixed.test", "169.254.1.1"), ("mixed.test", "127.0.0.1")]);
        assert!(out.connect("mixed.test", port).await.is_ok());
        assert_eq!(*dialled.dialled.lock().unwrap(), vec![SocketAddr::from(([127, 0, 0, 1], port))]);
        let err = out.connect("unknown.test", port).await.unwrap_err();
        assert!(err.starts_with("DNS lookup of unknown.test failed"), "{err}");
    }
}
