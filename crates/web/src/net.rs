//! The client's address: the peer of the connection, or — when that peer is a
//! reverse proxy the administrator named in `trusted_proxies` — the address the
//! proxies recorded in `X-Forwarded-For`. Sign-in throttling and the audit trail
//! read it; a header from anyone else is ignored, so a client cannot choose the
//! address it is counted under.

use std::net::IpAddr;

/// An address block, `10.0.0.0/8` or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: IpAddr,
    bits: u8,
}

impl Cidr {
    /// `a.b.c.d`, `a.b.c.d/n`, or the IPv6 forms; `None` if it is neither.
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, bits) = match text.trim().split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let base: IpAddr = addr.parse().ok()?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        (bits <= max).then_some(Self { base, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(i)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(b) & mask == u32::from(i) & mask
            }
            (IpAddr::V6(b), IpAddr::V6(i)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.bits))
                    .unwrap_or(0);
                u128::from(b) & mask == u128::from(i) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address reached over IPv6 (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The client behind `peer`: walking `X-Forwarded-For` from its right end (the
/// entry the nearest proxy added), the first address that is not a trusted proxy.
/// Entries a client wrote itself sit to the left of its own address and are never
/// reached. Without trusted proxies, or from an untrusted peer, the peer.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl Iterator<Item = &'a str>,
    trusted: &[Cidr],
) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.iter().any(|c| c.contains(peer)) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for.flat_map(|h| h.split(',')).collect();
    let mut client = peer;
    for hop in hops.iter().rev().take(32) {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            // A garbled entry ends the trustworthy part of the chain.
            return client;
        };
        client = canonical(ip);
        if !trusted.iter().any(|c| c.contains(client)) {
            return client;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn blocks_contain_their_addresses() {
        let c = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(c.contains(ip("10.200.1.2")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.1.1.1")));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
        assert!(!Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.2")));
        assert!(Cidr::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("proxy.local"), None);
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap()];
        let proxy = ip("10.0.0.5");
        // Straight from a client: the header is the client's own words.
        assert_eq!(
            client_address(ip("203.0.113.9"), ["1.2.3.4"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
        // Through the proxy.
        assert_eq!(
            client_address(proxy, ["203.0.113.9"].into_iter(), &trusted),
            ip("203.0.113.9")
        );
        // A forged entry to the left of the real client is not reached.
        assert_eq!(
            client_address(
                proxy,
                ["1.2.3.4, 203.0.113.9, 10.0.0.7"].into_iter(),
                &trusted
            ),
            ip("203.0.113.9")
        );
        // No header: the proxy itself.
        assert_eq!(client_address(proxy, [].into_iter(), &trusted), proxy);
        // Garbage stops the walk at the last trustworthy address.
        assert_eq!(
            client_address(proxy, ["203.0.113.9, evil"].into_iter(), &trusted),
            proxy
        );
        // Nobody trusted: the peer, whatever the header says.
        assert_eq!(
            client_address(proxy, ["203.0.113.9"].into_iter(), &[]),
            proxy
        );
    }
}
