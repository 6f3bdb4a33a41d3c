//! Who the client is, as far as the server can tell: the TCP peer, unless that peer is a
//! reverse proxy the operator named, in which case the proxies' forwarded-for header is read
//! from the right and the first address no trusted proxy added is the client's.
//!
//! The left-most entry of `X-Forwarded-For` is whatever the client wrote, so taking it would
//! let anyone choose the address the sign-in throttle counts against.

use http::HeaderMap;
use ipnet::IpNet;
use std::net::IpAddr;

/// The client's address (or, for an entry that is not one, its text) as a key for throttling.
pub fn client_key(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet], header: &str) -> String {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(&crate::platform::net::canonical(ip)));
    let Some(peer) = peer else { return "unknown".into() };
    if !is_trusted(peer) {
        return canonical_text(peer);
    }
    let entries: Vec<&str> = headers
        .get_all(header)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let mut last_trusted = peer;
    for entry in entries.iter().rev() {
        match parse_entry(entry) {
            Some(ip) if is_trusted(ip) => last_trusted = ip,
            Some(ip) => return canonical_text(ip),
            // Garbage where an address should be: the client wrote it, so it names the client.
            None => return entry.chars().take(64).collect(),
        }
    }
    canonical_text(last_trusted)
}

fn canonical_text(ip: IpAddr) -> String {
    crate::platform::net::canonical(ip).to_string()
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(sock) = entry.parse::<std::net::SocketAddr>() {
        return Some(sock.ip());
    }
    entry.strip_prefix('[').and_then(|e| e.split(']').next()).and_then(|e| e.parse().ok())
}

/// Whether `key` (from [`client_key`]) is an address inside one of `nets`.
pub fn is_in(key: &str, nets: &[IpNet]) -> bool {
    key.parse::<IpAddr>().is_ok_and(|ip| nets.iter().any(|n| n.contains(&ip)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn nets(s: &str) -> Vec<IpNet> {
        crate::platform::net::parse_networks(s).unwrap()
    }

    fn key(peer: &str, xff: &[&str], trusted: &str) -> String {
        client_key(Some(peer.parse().unwrap()), &headers(xff), &nets(trusted), "x-forwarded-for")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        assert_eq!(key("198.51.100.9", &["203.0.113.1"], ""), "198.51.100.9");
        assert_eq!(key("198.51.100.9", &["203.0.113.1"], "10.0.0.0/8"), "198.51.100.9");
        assert_eq!(key("::ffff:198.51.100.9", &[], ""), "198.51.100.9");
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_entry_is_the_client() {
        // The client wrote "1.2.3.4" itself; the proxy appended the real address.
        assert_eq!(key("10.0.0.2", &["1.2.3.4, 203.0.113.7"], "10.0.0.0/8"), "203.0.113.7");
        // Two proxies in a row, and the header split over two lines.
        assert_eq!(key("10.0.0.2", &["1.2.3.4", "203.0.113.7, 10.0.0.5"], "10.0.0.0/8"), "203.0.113.7");
        assert_eq!(key("10.0.0.2", &["[2001:db8::7]:443"], "10.0.0.0/8"), "2001:db8::7");
        assert_eq!(key("10.0.0.2", &["203.0.113.7:5555"], "10.0.0.0/8"), "203.0.113.7");
        // Only proxies in the chain: the first of them.
        assert_eq!(key("10.0.0.2", &["10.0.0.9"], "10.0.0.0/8"), "10.0.0.9");
        // No header at all: the proxy itself.
        assert_eq!(key("10.0.0.2", &[], "10.0.0.0/8"), "10.0.0.2");
        assert_eq!(key("10.0.0.2", &["1.2.3.4, not-an-ip"], "10.0.0.0/8"), "not-an-ip");
    }

    #[test]
    fn metrics_networks() {
        assert!(is_in("127.0.0.1", &nets("127.0.0.0/8")));
        assert!(!is_in("10.0.0.1", &nets("127.0.0.0/8")));
        assert!(!is_in("unknown", &nets("0.0.0.0/0")));
    }
}
