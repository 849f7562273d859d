//! RIPEstat `looking-glass` (version 2.1): the routes RIS collectors (RRCs) hold right now for a prefix
//! or address, per collector and per peer: AS path, BGP communities, next hop, origin attribute. Two
//! type traps: `as_path` is one space-separated string (`"34854 6939 1853 1853 1205"`), not a list, and
//! the communities are space-separated `x:y` strings (`largeCommunity` `a:b:c`, `extendedCommunity` as
//! RIPEstat writes it, kept as text).

use serde::Serialize;
use serde_json::{Map, Value};

use super::{RipestatError, asn_number, call_url, data, text_field};
use crate::model::community::{self, Community, LargeCommunity};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookingGlassRoute {
    /// The RIS peer's address.
    pub peer: Option<String>,
    pub prefix: Option<String>,
    /// AS numbers of the path, collector side first; AS sets (`{…}`) and junk are left out.
    pub as_path: Vec<u32>,
    /// The path as RIPEstat wrote it.
    pub as_path_text: String,
    pub origin_asn: Option<u32>,
    pub communities: Vec<Community>,
    pub large_communities: Vec<LargeCommunity>,
    pub extended_communities: Vec<String>,
    pub next_hop: Option<String>,
    /// The BGP ORIGIN attribute ("IGP", "EGP", "INCOMPLETE").
    pub origin_attribute: Option<String>,
    pub last_updated: Option<String>,
}

impl LookingGlassRoute {
    /// The AS path without prepending (each AS once, in order).
    pub fn distinct_path(&self) -> Vec<u32> {
        let mut path: Vec<u32> = Vec::new();
        for asn in &self.as_path {
            if path.last() != Some(asn) {
                path.push(*asn);
            }
        }
        path
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Collector {
    /// "RRC00".
    pub rrc: String,
    /// "Amsterdam, Netherlands".
    pub location: Option<String>,
    pub routes: Vec<LookingGlassRoute>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookingGlass {
    pub resource: Option<String>,
    pub collectors: Vec<Collector>,
    pub query_time: Option<String>,
}

impl LookingGlass {
    pub fn routes(&self) -> impl Iterator<Item = &LookingGlassRoute> {
        self.collectors.iter().flat_map(|c| c.routes.iter())
    }
}

/// The URL of the call for a prefix or an address.
pub fn url(base: &str, resource: &str) -> String {
    call_url(base, "looking-glass", resource)
}

/// The AS numbers of a space-separated path; tokens that are not plain AS numbers are skipped.
pub fn parse_as_path(text: &str) -> Vec<u32> {
    text.split_whitespace()
        .filter_map(|token| token.parse::<u32>().ok())
        .collect()
}

fn route(peer: &Map<String, Value>) -> LookingGlassRoute {
    // A string in version 2.1; a list (as `bgp-updates` writes paths) or a lone number is read too.
    let as_path_text = match peer.get("as_path") {
        Some(Value::String(text)) => text.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    };
    let list = |key: &str| text_field(peer, key).unwrap_or_default();
    LookingGlassRoute {
        peer: text_field(peer, "peer"),
        prefix: text_field(peer, "prefix"),
        as_path: parse_as_path(&as_path_text),
        origin_asn: peer
            .get("asn_origin")
            .and_then(asn_number)
            .or_else(|| parse_as_path(&as_path_text).last().copied()),
        as_path_text,
        communities: community::parse_list(&list("community")),
        large_communities: community::parse_large_list(&list("largeCommunity")),
        extended_communities: list("extendedCommunity")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        next_hop: text_field(peer, "next_hop"),
        origin_attribute: text_field(peer, "origin"),
        last_updated: text_field(peer, "last_updated"),
    }
}

pub fn parse(text: &str) -> Result<LookingGlass, RipestatError> {
    let data = data(text, "looking-glass")?;
    let Some(Value::Array(rrcs)) = data.get("rrcs") else {
        return Err(RipestatError::MissingData {
            detail: "a list of collectors (\"rrcs\")".to_string(),
        });
    };
    let collectors = rrcs
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|rrc| {
            Some(Collector {
                rrc: text_field(rrc, "rrc")?,
                location: text_field(rrc, "location"),
                routes: rrc
                    .get("peers")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .map(route)
                    .collect(),
            })
        })
        .collect();
    Ok(LookingGlass {
        resource: data
            .get("parameters")
            .and_then(Value::as_object)
            .and_then(|p| text_field(p, "resource")),
        collectors,
        query_time: text_field(&data, "query_time"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_routes_to_140_78_0_0_16() {
        let glass = parse(include_str!(
            "../../tests/fixtures/ripestat/looking-glass.TRIMMED.json"
        ))
        .unwrap();
        assert_eq!(glass.resource.as_deref(), Some("140.78.0.0/16"));
        assert_eq!(glass.collectors.len(), 3);
        assert_eq!(glass.collectors[0].rrc, "RRC00");
        assert_eq!(
            glass.collectors[0].location.as_deref(),
            Some("Amsterdam, Netherlands")
        );
        assert_eq!(glass.routes().count(), 9);
        let first = &glass.collectors[0].routes[0];
        assert_eq!(first.as_path, [34854, 6939, 1853, 1853, 1205]);
        assert_eq!(first.distinct_path(), [34854, 6939, 1853, 1205]);
        assert_eq!(first.origin_asn, Some(1205));
        assert_eq!(
            first.communities,
            [Community {
                asn: 34854,
                value: 1000
            }]
        );
        assert_eq!(first.next_hop.as_deref(), Some("2.56.11.1"));
        assert_eq!(first.origin_attribute.as_deref(), Some("IGP"));
        let last = glass.collectors[2].routes.last().unwrap();
        assert_eq!(last.communities.len(), 9);
        assert_eq!(last.large_communities[0].to_string(), "26162:0:6939");
        assert_eq!(last.extended_communities, ["26162:6939"]);
        let empty = &glass.collectors[2].routes[1];
        assert!(empty.communities.is_empty() && empty.large_communities.is_empty());
    }

    #[test]
    fn as_sets_and_bad_shapes() {
        assert_eq!(parse_as_path("1 2 {3,4} x 5"), [1, 2, 5]);
        assert!(parse(r#"{"status":"ok","data":{"rrcs":{}}}"#).is_err());
        let odd = r#"{"status":"ok","data":{"rrcs":[{"rrc":"RRC99","peers":[{"as_path":7,"community":"1:2 x"}]},{"peers":[]}, 3]}}"#;
        let glass = parse(odd).unwrap();
        assert_eq!(glass.collectors.len(), 1);
        let route = &glass.collectors[0].routes[0];
        assert_eq!(route.as_path, [7]);
        assert_eq!(route.origin_asn, Some(7));
        assert_eq!(route.communities.len(), 1);
    }
}
