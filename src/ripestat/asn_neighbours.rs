//! RIPEstat `asn-neighbours` (version 3.2): the ASes seen next to an AS in the AS paths of RIS peers.
//! `left` neighbours are on the collector side of the path (upstreams, towards the rest of the
//! Internet), `right` ones on the origin side (downstreams); `uncertain` ones were seen on both sides
//! or could not be placed. `power` is how many RIS peers see the adjacency. One AS can be listed on
//! both sides (the recorded answer has AS25259 left and right of AS12386).

use serde::Serialize;
use serde_json::Value;

use super::{RipestatError, asn_number, call_url, data, resource_asn};

/// Which side of the AS a neighbour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// `left`: towards the collectors, i.e. an upstream.
    Upstream,
    /// `right`: towards the origin, i.e. a downstream.
    Downstream,
    Uncertain,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Neighbour {
    pub asn: u32,
    pub side: Side,
    /// How many RIS peers see this adjacency.
    pub power: Option<u64>,
    pub v4_peers: Option<u64>,
    pub v6_peers: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsnNeighbours {
    pub asn: u32,
    pub neighbours: Vec<Neighbour>,
}

impl AsnNeighbours {
    /// The neighbours on one side, strongest first.
    pub fn on_side(&self, side: Side) -> Vec<&Neighbour> {
        let mut list: Vec<&Neighbour> = self.neighbours.iter().filter(|n| n.side == side).collect();
        list.sort_by(|a, b| b.power.cmp(&a.power).then(a.asn.cmp(&b.asn)));
        list
    }

    /// The sides an AS is listed on.
    pub fn sides_of(&self, asn: u32) -> Vec<Side> {
        self.neighbours
            .iter()
            .filter(|n| n.asn == asn)
            .map(|n| n.side)
            .collect()
    }
}

/// The URL of the call for one AS number.
pub fn url(base: &str, asn: u32) -> String {
    call_url(base, "asn-neighbours", &format!("AS{asn}"))
}

pub fn parse(text: &str) -> Result<AsnNeighbours, RipestatError> {
    let data = data(text, "asn-neighbours")?;
    let asn = resource_asn(&data)?;
    let neighbours = data
        .get("neighbours")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let side = match item.get("type")?.as_str()? {
                "left" => Side::Upstream,
                "right" => Side::Downstream,
                "uncertain" => Side::Uncertain,
                _ => return None,
            };
            Some(Neighbour {
                asn: asn_number(item.get("asn")?)?,
                side,
                power: item.get("power").and_then(Value::as_u64),
                v4_peers: item.get("v4_peers").and_then(Value::as_u64),
                v6_peers: item.get("v6_peers").and_then(Value::as_u64),
            })
        })
        .collect();
    Ok(AsnNeighbours { asn, neighbours })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_neighbours_of_as12386() {
        let neighbours = parse(include_str!(
            "../../tests/fixtures/ripestat/asn-neighbours.json"
        ))
        .unwrap();
        assert_eq!(neighbours.asn, 12386);
        assert_eq!(neighbours.neighbours.len(), 6);
        let upstreams: Vec<(u32, Option<u64>)> = neighbours
            .on_side(Side::Upstream)
            .iter()
            .map(|n| (n.asn, n.power))
            .collect();
        assert_eq!(
            upstreams,
            [(12479, Some(941)), (8220, Some(14)), (25259, Some(5))]
        );
        assert_eq!(neighbours.on_side(Side::Downstream)[0].asn, 25259);
        assert_eq!(
            neighbours.sides_of(25259),
            [Side::Upstream, Side::Downstream]
        );
        assert_eq!(neighbours.neighbours[0].v4_peers, Some(8032));
        assert_eq!(
            url("https://stat.ripe.net", 12386),
            "https://stat.ripe.net/data/asn-neighbours/data.json?resource=AS12386&sourceapp=vantage"
        );
    }

    #[test]
    fn asns_as_strings_and_junk() {
        let text = r#"{"status":"ok","data":{"resource":"AS1","neighbours":[
            {"asn":"2","type":"left","power":"x"},{"asn":3,"type":"sideways"},{"type":"right"},
            {"asn":4,"type":"uncertain","power":1}, 7]}}"#;
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.neighbours.len(), 2);
        assert_eq!(parsed.neighbours[0].power, None);
        assert_eq!(parsed.neighbours[1].side, Side::Uncertain);
    }
}
