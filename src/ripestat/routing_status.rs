//! RIPEstat `routing-status` (version 3.4): for an AS or a prefix, when it was first and last seen in
//! BGP and with which origin, how many RIS peers see it (visibility), how much space it announces, and
//! for a prefix its origin ASes. The origin is a string in `first_seen`/`last_seen` and a number in
//! `origins[]`; both are read.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{RipestatError, asn_number, call_url, data, text_field};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    pub prefix: Option<String>,
    pub origin: Option<u32>,
    pub time: Option<String>,
}

/// How many of the RIS full-feed peers see the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Visibility {
    pub peers_seeing: u64,
    pub total_peers: u64,
}

impl Visibility {
    pub fn fraction(&self) -> Option<f64> {
        (self.total_peers > 0).then(|| self.peers_seeing as f64 / self.total_peers as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoutingStatus {
    pub resource: Option<String>,
    pub first_seen: Option<Seen>,
    pub last_seen: Option<Seen>,
    pub visibility_v4: Option<Visibility>,
    pub visibility_v6: Option<Visibility>,
    pub announced_v4_prefixes: Option<u64>,
    pub announced_v6_prefixes: Option<u64>,
    pub observed_neighbours: Option<u64>,
    /// The origin ASes of a prefix (empty for an AS query).
    pub origins: Vec<u32>,
    pub query_time: Option<String>,
}

/// The URL of the call for an AS number (`AS3333`), a prefix or an address.
pub fn url(base: &str, resource: &str) -> String {
    call_url(base, "routing-status", resource)
}

fn seen(data: &Map<String, Value>, key: &str) -> Option<Seen> {
    let object = data.get(key)?.as_object()?;
    Some(Seen {
        prefix: text_field(object, "prefix"),
        origin: object.get("origin").and_then(asn_number),
        time: text_field(object, "time"),
    })
}

fn visibility(data: &Map<String, Value>, family: &str) -> Option<Visibility> {
    let object = data.get("visibility")?.get(family)?;
    Some(Visibility {
        peers_seeing: object.get("ris_peers_seeing")?.as_u64()?,
        total_peers: object.get("total_ris_peers")?.as_u64()?,
    })
}

pub fn parse(text: &str) -> Result<RoutingStatus, RipestatError> {
    let data = data(text, "routing-status")?;
    let space = |family: &str| {
        data.get("announced_space")
            .and_then(|space| space.get(family))
            .and_then(|space| space.get("prefixes"))
            .and_then(Value::as_u64)
    };
    Ok(RoutingStatus {
        resource: data.get("resource").and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }),
        first_seen: seen(&data, "first_seen"),
        last_seen: seen(&data, "last_seen"),
        visibility_v4: visibility(&data, "v4"),
        visibility_v6: visibility(&data, "v6"),
        announced_v4_prefixes: space("v4"),
        announced_v6_prefixes: space("v6"),
        observed_neighbours: data.get("observed_neighbours").and_then(Value::as_u64),
        origins: data
            .get("origins")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|origin| asn_number(origin.get("origin")?))
            .collect(),
        query_time: text_field(&data, "query_time"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_status_of_as3333() {
        let status = parse(include_str!(
            "../../tests/fixtures/ripestat/routing-status.json"
        ))
        .unwrap();
        assert_eq!(status.resource.as_deref(), Some("3333"));
        assert_eq!(
            status.first_seen,
            Some(Seen {
                prefix: Some("193.0.0.0/22".to_string()),
                origin: Some(3333),
                time: Some("2000-08-18T08:00:00".to_string())
            })
        );
        assert_eq!(status.last_seen.as_ref().unwrap().origin, Some(3333));
        let v4 = status.visibility_v4.unwrap();
        assert_eq!((v4.peers_seeing, v4.total_peers), (343, 344));
        assert!((v4.fraction().unwrap() - 343.0 / 344.0).abs() < 1e-12);
        assert_eq!(status.visibility_v6.unwrap().peers_seeing, 340);
        assert_eq!(
            (status.announced_v4_prefixes, status.announced_v6_prefixes),
            (Some(6), Some(1))
        );
        assert_eq!(status.observed_neighbours, Some(872));
        assert!(status.origins.is_empty());
    }

    #[test]
    fn prefix_origins_are_numbers() {
        let text = r#"{"status":"ok","data":{"resource":"193.0.0.0/21","origins":[{"origin":3333,"route_objects":["RIPE"]},{"origin":"x"}],
            "visibility":{"v4":{"ris_peers_seeing":1,"total_ris_peers":0}}}}"#;
        let status = parse(text).unwrap();
        assert_eq!(status.origins, [3333]);
        assert_eq!(status.visibility_v4.unwrap().fraction(), None);
        assert_eq!(status.first_seen, None);
    }
}
