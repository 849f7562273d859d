//! Special-purpose addresses: the ranges of the IANA IPv4 and IPv6 Special-Purpose Address
//! Registries (RFC 6890 and its updates) that no public name should resolve to. A DNS answer that
//! points there (127.0.0.1, 10.10.34.35, ::) is the classic sign of a resolver that blocks or
//! redirects a name, so the answer matrix flags it; and ECS subnets must never be drawn from them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// (network, prefix length, what it is) for IPv4, from the IANA registry.
const V4: [(Ipv4Addr, u8, &str); 15] = [
    (Ipv4Addr::new(0, 0, 0, 0), 8, "\"this network\" (RFC 791)"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private (RFC 1918)"),
    (
        Ipv4Addr::new(100, 64, 0, 0),
        10,
        "shared carrier-grade NAT (RFC 6598)",
    ),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback (RFC 1122)"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local (RFC 3927)"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "private (RFC 1918)"),
    (
        Ipv4Addr::new(192, 0, 0, 0),
        24,
        "IETF protocol assignments (RFC 6890)",
    ),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation (RFC 5737)"),
    (
        Ipv4Addr::new(192, 88, 99, 0),
        24,
        "deprecated 6to4 relay anycast (RFC 7526)",
    ),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "private (RFC 1918)"),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking (RFC 2544)"),
    (
        Ipv4Addr::new(198, 51, 100, 0),
        24,
        "documentation (RFC 5737)",
    ),
    (
        Ipv4Addr::new(203, 0, 113, 0),
        24,
        "documentation (RFC 5737)",
    ),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast (RFC 5771)"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved (RFC 1112)"),
];

/// The same for IPv6. IPv4-mapped addresses are judged by the IPv4 address inside.
const V6: [(Ipv6Addr, u8, &str); 9] = [
    (
        Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 0),
        128,
        "unspecified (RFC 4291)",
    ),
    (
        Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 1),
        128,
        "loopback (RFC 4291)",
    ),
    (
        Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0),
        48,
        "local-use IPv4/IPv6 translation (RFC 8215)",
    ),
    (
        Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0),
        64,
        "discard-only (RFC 6666)",
    ),
    (
        Ipv6Addr::new(0x2001, 0x2, 0, 0, 0, 0, 0, 0),
        48,
        "benchmarking (RFC 5180)",
    ),
    (
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        32,
        "documentation (RFC 3849)",
    ),
    (
        Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),
        7,
        "unique local (RFC 4193)",
    ),
    (
        Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0),
        10,
        "link-local (RFC 4291)",
    ),
    (
        Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0),
        8,
        "multicast (RFC 4291)",
    ),
];

fn in_v4(address: Ipv4Addr, network: Ipv4Addr, prefix: u8) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
    u32::from(address) & mask == u32::from(network) & mask
}

fn in_v6(address: Ipv6Addr, network: Ipv6Addr, prefix: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
    u128::from(address) & mask == u128::from(network) & mask
}

/// What kind of special-purpose address this is, or `None` for an ordinary public address.
pub fn special_purpose(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(v4) => V4
            .iter()
            .find(|(network, prefix, _)| in_v4(v4, *network, *prefix))
            .map(|(_, _, kind)| *kind),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return special_purpose(IpAddr::V4(v4)).or(Some("IPv4-mapped (RFC 4291)"));
            }
            V6.iter()
                .find(|(network, prefix, _)| in_v6(v6, *network, *prefix))
                .map(|(_, _, kind)| *kind)
        }
    }
}

/// The same for address text; text that is not an address is not special-purpose.
pub fn special_purpose_text(address: &str) -> Option<&'static str> {
    address.trim().parse().ok().and_then(special_purpose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classic_blocking_answers_are_special() {
        for (address, kind) in [
            ("127.0.0.1", "loopback (RFC 1122)"),
            ("0.0.0.0", "\"this network\" (RFC 791)"),
            ("10.10.34.35", "private (RFC 1918)"),
            ("172.31.255.255", "private (RFC 1918)"),
            ("100.127.0.1", "shared carrier-grade NAT (RFC 6598)"),
            ("::", "unspecified (RFC 4291)"),
            ("::1", "loopback (RFC 4291)"),
            ("::ffff:127.0.0.1", "loopback (RFC 1122)"),
            ("::ffff:8.8.8.8", "IPv4-mapped (RFC 4291)"),
            ("fd00::1", "unique local (RFC 4193)"),
            ("2001:db8::1", "documentation (RFC 3849)"),
            ("255.255.255.255", "reserved (RFC 1112)"),
        ] {
            assert_eq!(special_purpose_text(address), Some(kind), "{address}");
        }
    }

    #[test]
    fn public_addresses_are_not() {
        for address in [
            "193.0.6.139",
            "172.32.0.1",
            "100.128.0.1",
            "2001:67c:2e8:22::c100:68b",
            "2606:4700::6810:7b60",
            "not an address",
        ] {
            assert_eq!(special_purpose_text(address), None, "{address}");
        }
    }
}
