//! BGP community values: standard (RFC 1997, `asn:value`) and large (RFC 8092,
//! `global:local1:local2`) communities, read from text as RIPEstat writes them and written back the
//! same way (also their serialised form). What a community means is `paths::communities`'s job.
//!
//! Pure: never panics; text that is not a community is `None`.

use std::fmt;

use serde::Serialize;

/// A standard community: 32 bits written as two 16-bit halves, by convention the AS that defines it
/// and a value (RFC 1997 §"Community Attribute").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Community {
    pub asn: u16,
    pub value: u16,
}

impl Community {
    /// Reads `"65535:65281"`; `None` for anything else (halves over 65535, signs, spaces, words).
    pub fn parse(text: &str) -> Option<Community> {
        let (high, low) = text.trim().split_once(':')?;
        Some(Community {
            asn: digits(high)?.try_into().ok()?,
            value: digits(low)?.try_into().ok()?,
        })
    }
}

impl fmt::Display for Community {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.asn, self.value)
    }
}

impl Serialize for Community {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A large community: three 32-bit numbers, the first the global administrator's AS (RFC 8092 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LargeCommunity {
    pub global: u32,
    pub local1: u32,
    pub local2: u32,
}

impl LargeCommunity {
    /// Reads `"26162:0:6939"`; `None` for anything else.
    pub fn parse(text: &str) -> Option<LargeCommunity> {
        let mut parts = text.trim().split(':');
        let community = LargeCommunity {
            global: digits(parts.next()?)?,
            local1: digits(parts.next()?)?,
            local2: digits(parts.next()?)?,
        };
        parts.next().is_none().then_some(community)
    }
}

impl fmt::Display for LargeCommunity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.global, self.local1, self.local2)
    }
}

impl Serialize for LargeCommunity {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A decimal number of at most 10 digits that fits 32 bits; no signs, no spaces.
fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 10 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The communities of a space-separated list as RIPEstat's looking-glass writes it
/// (`"1120:1 1853:1853"`); items that are not communities are skipped.
pub fn parse_list(text: &str) -> Vec<Community> {
    text.split_whitespace()
        .filter_map(Community::parse)
        .collect()
}

/// The large communities of a space-separated list.
pub fn parse_large_list(text: &str) -> Vec<LargeCommunity> {
    text.split_whitespace()
        .filter_map(LargeCommunity::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_communities_are_none() {
        for text in [
            "",
            ":",
            "1:",
            ":1",
            "65536:1",
            "1:65536",
            "-1:5",
            "1 :2",
            "a:b",
            "1:2:3",
            "١:٢",
            "99999999999:1",
        ] {
            assert_eq!(Community::parse(text), None, "{text}");
        }
        for text in ["1:2", "1:2:3:4", "4294967296:0:0", "1::2"] {
            assert_eq!(LargeCommunity::parse(text), None, "{text}");
        }
        assert_eq!(
            LargeCommunity::parse("4294967295:0:1").map(|c| c.to_string()),
            Some("4294967295:0:1".to_string())
        );
        assert_eq!(
            parse_list("1:2 junk 3:4"),
            vec![
                Community { asn: 1, value: 2 },
                Community { asn: 3, value: 4 }
            ]
        );
    }
}
