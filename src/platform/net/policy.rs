//! Which addresses the server may reach on its own initiative (health checks, later webhooks).
//!
//! Internal systems are the point of a self-hosted monitor, so private ranges and loopback stay
//! reachable. What is refused by default is what an attacker who can enter a URL wants: the
//! cloud metadata services (169.254.169.254 and its relatives, which hand out credentials) and
//! the rest of link-local space. Addresses are judged after resolution and after unwrapping
//! IPv4-mapped and NAT64 forms, so neither a DNS name nor `::ffff:169.254.169.254` slips past.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AddressPolicy {
    /// Lifts the default refusal of link-local and metadata addresses
    /// (`NORTHSTAR_OUTBOUND_ALLOW_LINK_LOCAL`).
    pub allow_link_local: bool,
    /// Further networks never to reach (`NORTHSTAR_OUTBOUND_DENY`).
    pub deny: Vec<IpNet>,
}

/// Metadata services outside 169.254.0.0/16: Alibaba Cloud, Oracle Cloud, AWS over IPv6.
const METADATA: [IpAddr; 3] = [
    IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
    IpAddr::V4(Ipv4Addr::new(192, 0, 0, 192)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)),
];

impl AddressPolicy {
    /// Why `ip` may not be reached, if it may not: "169.254.169.254 is a link-local address".
    pub fn check(&self, ip: IpAddr) -> Result<(), String> {
        let ip = canonical(ip);
        if ip.is_unspecified() {
            return Err(format!("{ip} is the unspecified address"));
        }
        if ip.is_multicast() || ip == IpAddr::V4(Ipv4Addr::BROADCAST) {
            return Err(format!("{ip} is a multicast or broadcast address"));
        }
        if !self.allow_link_local {
            if METADATA.contains(&ip) {
                return Err(format!("{ip} is a cloud metadata address"));
            }
            if is_link_local(ip) {
                return Err(format!("{ip} is a link-local address, where cloud metadata services live"));
            }
        }
        if let Some(net) = self.deny.iter().find(|n| n.contains(&ip)) {
            return Err(format!("{ip} is in the denied network {net}"));
        }
        Ok(())
    }
}

fn is_link_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The IPv4 address behind an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`)
/// IPv6 address; any other address unchanged.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let o = v6.octets();
                return IpAddr::V4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
            }
            IpAddr::V6(v6)
        }
        v4 => v4,
    }
}

/// `NORTHSTAR_OUTBOUND_DENY`: networks or single addresses, separated by commas or spaces.
pub fn parse_networks(text: &str) -> Result<Vec<IpNet>, String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is not an address or a network such as 10.0.0.0/8"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn metadata_and_link_local_are_refused_by_default() {
        let p = AddressPolicy::default();
        for bad in [
            "169.254.169.254",
            "169.254.0.1",
            "fe80::1",
            "febf::1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "100.100.100.200",
            "192.0.0.192",
            "fd00:ec2::254",
            "0.0.0.0",
            "::",
            "224.0.0.1",
            "255.255.255.255",
        ] {
            assert!(p.check(ip(bad)).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn internal_systems_stay_reachable() {
        let p = AddressPolicy::default();
        for good in ["127.0.0.1", "::1", "10.1.2.3", "172.16.0.9", "192.168.1.10", "fd12:3456::1", "100.64.0.1", "8.8.8.8", "2001:db8::1"] {
            assert_eq!(p.check(ip(good)), Ok(()), "{good}");
        }
    }

    #[test]
    fn the_settings_widen_or_narrow_the_policy() {
        let open = AddressPolicy { allow_link_local: true, deny: vec![] };
        assert_eq!(open.check(ip("169.254.169.254")), Ok(()));
        assert!(open.check(ip("0.0.0.0")).is_err(), "the unspecified address is never a target");
        let strict = AddressPolicy { allow_link_local: false, deny: parse_networks("10.0.0.0/8, 192.168.1.7").unwrap() };
        assert!(strict.check(ip("10.9.9.9")).unwrap_err().contains("10.0.0.0/8"));
        assert!(strict.check(ip("::ffff:10.9.9.9")).is_err());
        assert!(strict.check(ip("192.168.1.7")).is_err());
        assert_eq!(strict.check(ip("192.168.1.8")), Ok(()));
        assert!(parse_networks("10.0.0.0/33").is_err());
        assert!(parse_networks("intranet").unwrap_err().contains("intranet"));
    }
}
