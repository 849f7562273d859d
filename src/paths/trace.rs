//! The per-probe path view of a traceroute: one row per hop with its addresses, RTT minimum and
//! median, reverse-DNS name, origin AS and holder, and location hints checked against the probe's RTT
//! to that hop; plus the last responding hop and whether the destination was reached. Also the DoH
//! query names for the hops' PTR look-ups.
//!
//! Built from `atlas::traceroute` (which owns parsing and sagan's semantics) and plain maps passed in
//! as data: address → PTR name and address → origin. Pure core; fetches nothing, never panics.

use std::collections::HashMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::hints::{self, LocationHint};
use crate::atlas::TracerouteResult;
use crate::atlas::traceroute::Hop;
use crate::dns::bogon::special_purpose_text;
use crate::model::Probe;
use crate::stats;

/// Who originates the prefix of a hop's address (RIPEstat `network-info` + `prefix-overview`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HopOrigin {
    pub asn: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

impl HopOrigin {
    /// "AS1299 TWELVE99 Arelion", or "AS1299" when the holder is not known.
    pub fn label(&self) -> String {
        match &self.holder {
            Some(holder) => format!("AS{} {holder}", self.asn),
            None => format!("AS{}", self.asn),
        }
    }
}

/// What the path view is built with besides the traceroute: plain data, so the UI can fill it from
/// its caches and the CLI from files.
#[derive(Debug, Clone, PartialEq)]
pub struct PathContext {
    /// Address → reverse-DNS name (no trailing dot needed).
    pub names: HashMap<String, String>,
    /// Address → origin.
    pub origins: HashMap<String, HopOrigin>,
    /// The assumed signal speed in fibre as a fraction of c (`infer::Assumptions::fiber_factor`).
    pub fiber_factor: f64,
}

impl Default for PathContext {
    fn default() -> PathContext {
        PathContext {
            names: HashMap::new(),
            origins: HashMap::new(),
            fiber_factor: crate::infer::Assumptions::default().fiber_factor,
        }
    }
}

/// One hop of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopRow {
    pub ttl: u32,
    /// The distinct addresses that answered, in order of first reply.
    pub addresses: Vec<String>,
    pub rtt_min_ms: Option<f64>,
    pub rtt_median_ms: Option<f64>,
    /// Packets that got no answer (`*`).
    pub timeouts: usize,
    /// The reverse-DNS name of the first named address.
    pub name: Option<String>,
    /// The origin of the first address with a known origin.
    pub origin: Option<HopOrigin>,
    /// Hints from every named address of the hop, each checked with that address's minimum RTT.
    pub hints: Vec<LocationHint>,
    /// The best accepted hint's city, for the hop's badge.
    pub accepted_city: Option<String>,
    /// A special-purpose first address (private, shared, loopback…), which says nothing about place.
    pub special_purpose: Option<String>,
    /// The destination answered in this hop.
    pub is_destination: bool,
    /// A hop-level error the probe reported.
    pub error: Option<String>,
}

/// The last hop that answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastHop {
    pub ttl: u32,
    pub address: String,
    pub name: Option<String>,
    pub origin: Option<HopOrigin>,
    pub rtt_median_ms: Option<f64>,
    pub accepted_city: Option<String>,
}

/// One probe's traceroute as a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbePath {
    pub prb_id: u64,
    pub msm_id: u64,
    pub timestamp: i64,
    pub dst_addr: Option<String>,
    pub dst_name: Option<String>,
    pub probe_lat: Option<f64>,
    pub probe_lon: Option<f64>,
    pub hops: Vec<HopRow>,
    /// The last hop that answered (the destination itself when it did).
    pub last_responding: Option<LastHop>,
    /// The last hop that answered before the destination: where the path hands over to the target.
    pub last_before_target: Option<LastHop>,
    pub destination_reached: bool,
    /// The traceroute failed as a whole (e.g. name resolution).
    pub error: Option<String>,
}

/// The minimum on-time RTT of the replies from one address in a hop.
fn address_rtt_min(hop: &Hop, address: &str) -> Option<f64> {
    let rtts: Vec<f64> = hop
        .replies()
        .filter(|reply| !reply.late && !reply.duplicate && reply.from.as_deref() == Some(address))
        .filter_map(|reply| reply.rtt_ms)
        .collect();
    stats::min(&rtts)
}

fn clean_name(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.');
    (!name.is_empty()).then(|| name.to_string())
}

fn row(
    hop: &Hop,
    destination: Option<&str>,
    probe: Option<(f64, f64)>,
    context: &PathContext,
) -> HopRow {
    let addresses = hop.addresses();
    let mut hints_found: Vec<LocationHint> = Vec::new();
    for address in &addresses {
        let Some(name) = context.names.get(address).and_then(|n| clean_name(n)) else {
            continue;
        };
        let rtt = address_rtt_min(hop, address);
        for hint in hints::hints(&name, probe, rtt, context.fiber_factor) {
            if !hints_found
                .iter()
                .any(|h| h.token == hint.token && h.city == hint.city)
            {
                hints_found.push(hint);
            }
        }
    }
    let accepted_city = hints::best_accepted(&hints_found).map(|h| h.city.clone());
    HopRow {
        ttl: hop.ttl,
        rtt_min_ms: stats::min(&hop.rtts_ms()),
        rtt_median_ms: hop.rtt_median_ms(),
        timeouts: hop
            .entries
            .iter()
            .filter(|e| matches!(e, crate::atlas::traceroute::HopEntry::Timeout))
            .count(),
        name: addresses
            .iter()
            .find_map(|a| context.names.get(a).and_then(|n| clean_name(n))),
        origin: addresses
            .iter()
            .find_map(|a| context.origins.get(a).cloned()),
        hints: hints_found,
        accepted_city,
        special_purpose: addresses
            .first()
            .and_then(|a| special_purpose_text(a))
            .map(str::to_string),
        is_destination: destination.is_some_and(|d| addresses.iter().any(|a| a == d)),
        error: hop.error.clone(),
        addresses,
    }
}

fn last_hop(row: &HopRow, address: &str, context: &PathContext) -> LastHop {
    LastHop {
        ttl: row.ttl,
        address: address.to_string(),
        name: context.names.get(address).and_then(|n| clean_name(n)),
        origin: context.origins.get(address).cloned(),
        rtt_median_ms: row.rtt_median_ms,
        accepted_city: row.accepted_city.clone(),
    }
}

/// The path view of one traceroute. `probe` gives the probe's position (from its metadata); without
/// it every hint stays unchecked.
pub fn probe_path(
    trace: &TracerouteResult,
    probe: Option<&Probe>,
    context: &PathContext,
) -> ProbePath {
    let position = probe.and_then(|p| Some((p.latitude?, p.longitude?)));
    let destination = trace.dst_addr.as_deref();
    let hops: Vec<HopRow> = trace
        .hops
        .iter()
        .map(|hop| row(hop, destination, position, context))
        .collect();
    let answered = |row: &&HopRow| row.rtt_min_ms.is_some() && !row.addresses.is_empty();
    let last_responding = hops.iter().rev().find(answered).and_then(|row| {
        let address = if row.is_destination {
            destination?
        } else {
            row.addresses.first()?
        };
        Some(last_hop(row, address, context))
    });
    // Before the target: the last answering hop with an address other than the destination's (a hop
    // where the destination answered alongside a router still names that router).
    let last_before_target = hops.iter().rev().filter(answered).find_map(|row| {
        let address = row
            .addresses
            .iter()
            .find(|a| Some(a.as_str()) != destination)?;
        Some(last_hop(row, address, context))
    });
    ProbePath {
        prb_id: trace.prb_id,
        msm_id: trace.msm_id,
        timestamp: trace.timestamp,
        dst_addr: trace.dst_addr.clone(),
        dst_name: trace.dst_name.clone(),
        probe_lat: position.map(|p| p.0),
        probe_lon: position.map(|p| p.1),
        hops,
        last_responding,
        last_before_target,
        destination_reached: trace.destination_responded(),
        error: trace.error.clone(),
    }
}

/// The path views of many traceroutes, joined with their probes' metadata by probe ID.
pub fn probe_paths(
    traces: &[TracerouteResult],
    probes: &[Probe],
    context: &PathContext,
) -> Vec<ProbePath> {
    let by_id: HashMap<u64, &Probe> = probes.iter().map(|p| (p.id, p)).collect();
    traces
        .iter()
        .map(|trace| probe_path(trace, by_id.get(&trace.prb_id).copied(), context))
        .collect()
}

/// The DNS name to ask for an address's PTR record: `22.152.220.200.in-addr.arpa.` for IPv4, the
/// nibble form under `ip6.arpa.` for IPv6 (RFC 1035 §3.5, RFC 3596 §2.5); `None` for text that is not
/// an address.
pub fn ptr_query_name(address: &str) -> Option<String> {
    match address.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            Some(format!("{d}.{c}.{b}.{a}.in-addr.arpa."))
        }
        IpAddr::V6(v6) => {
            let mut name = String::with_capacity(73);
            for byte in v6.octets().iter().rev() {
                name.push_str(&format!("{:x}.{:x}.", byte & 0x0f, byte >> 4));
            }
            name.push_str("ip6.arpa.");
            Some(name)
        }
    }
}

/// The addresses of many paths that are worth a PTR and an origin look-up: public, distinct, in
/// order of first appearance.
pub fn addresses_to_look_up(traces: &[TracerouteResult]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for address in traces
        .iter()
        .flat_map(|t| t.hops.iter())
        .flat_map(Hop::addresses)
    {
        if special_purpose_text(&address).is_none()
            && address.parse::<IpAddr>().is_ok()
            && seen.insert(address.clone())
        {
            out.push(address);
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;

    pub(crate) const MSM_1033154: &str =
        include_str!("../../tests/fixtures/atlas/traceroute_latest_msm1033154.json");
    pub(crate) const PROBES_1033154: &str =
        include_str!("../../tests/fixtures/atlas/probes_page_msm1033154.json");
    pub(crate) const NAMES_1033154: &str =
        include_str!("../../tests/fixtures/paths/names_msm1033154.json");

    pub(crate) fn traces(text: &str) -> Vec<TracerouteResult> {
        crate::atlas::traceroutes(text)
    }

    pub(crate) fn names_context() -> PathContext {
        let names: HashMap<String, String> =
            serde_json::from_str::<serde_json::Value>(NAMES_1033154).unwrap()["names"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
        PathContext {
            names,
            ..PathContext::default()
        }
    }

    #[test]
    fn the_hop_table_of_probe_3161() {
        let all = traces(MSM_1033154);
        let probes = parse_probes_page(PROBES_1033154).probes;
        let paths = probe_paths(&all, &probes, &PathContext::default());
        assert_eq!(paths.len(), 87);
        let path = paths.iter().find(|p| p.prb_id == 3161).unwrap();
        assert!(path.destination_reached);
        assert!(path.probe_lat.is_some());
        let last = path.hops.last().unwrap();
        assert_eq!(last.addresses, ["91.198.174.225"]);
        assert!(last.is_destination);
        assert_eq!(last.rtt_min_ms, Some(2.399));
        let responding = path.last_responding.as_ref().unwrap();
        assert_eq!(responding.address, "91.198.174.225");
        let before = path.last_before_target.as_ref().unwrap();
        assert_eq!((before.ttl, before.address.as_str()), (4, "195.69.145.176"));
        // Every row's median lies within its RTTs and the minimum is at most the median.
        for row in paths.iter().flat_map(|p| &p.hops) {
            if let (Some(min), Some(median)) = (row.rtt_min_ms, row.rtt_median_ms) {
                assert!(min <= median);
            }
        }
        // Private first hops are marked.
        assert!(
            paths
                .iter()
                .flat_map(|p| &p.hops)
                .any(|row| row.special_purpose.is_some())
        );
        // Results whose name did not resolve have no hops and say why.
        let failed: Vec<_> = paths.iter().filter(|p| p.error.is_some()).collect();
        assert!(
            !failed.is_empty()
                && failed
                    .iter()
                    .all(|p| p.hops.is_empty() && p.last_responding.is_none())
        );
    }

    /// Names for a few of the recorded addresses, as public traceroutes of later years show them
    /// (`tests/fixtures/paths/names_msm1033154.json`), checked against each probe's own RTT.
    #[test]
    fn hints_from_names_are_checked_per_probe() {
        let all = traces(MSM_1033154);
        let probes = parse_probes_page(PROBES_1033154).probes;
        let paths = probe_paths(&all, &probes, &names_context());
        let hinted: Vec<&HopRow> = paths
            .iter()
            .flat_map(|p| &p.hops)
            .filter(|row| !row.hints.is_empty())
            .collect();
        assert!(!hinted.is_empty());
        let init7: Vec<&HopRow> = hinted
            .iter()
            .copied()
            .filter(|row| row.addresses.iter().any(|a| a == "80.81.192.67"))
            .collect();
        // Probes 2748 (Frankfurt, 2.5 ms), 2864 (Sofia, 31 ms) and 10904 (St Petersburg, 35.5 ms) pass
        // Init7's DE-CIX address; from each, Frankfurt is within what the RTT allows.
        assert_eq!(init7.len(), 3);
        assert!(
            init7
                .iter()
                .all(|row| row.name.as_deref() == Some("r1fra3.core.init7.net"))
        );
        assert!(
            init7
                .iter()
                .all(|row| row.hints[0].city == "Frankfurt am Main"
                    && row.hints[0].is_accepted()
                    && row.accepted_city.as_deref() == Some("Frankfurt am Main"))
        );
        let frankfurt_probe = paths.iter().find(|p| p.prb_id == 2748).unwrap();
        let hint = &frankfurt_probe
            .hops
            .iter()
            .find(|r| r.ttl == 4)
            .unwrap()
            .hints[0];
        assert!(hint.distance_km.unwrap() < 10.0);
        for row in hinted {
            for hint in &row.hints {
                assert!(!matches!(hint.status, hints::HintStatus::Unchecked { .. }));
            }
        }
    }

    /// An ICAO-coded router name goes through the whole path engine like an IATA one: Init7's DE-CIX
    /// address renamed with Frankfurt's ICAO code is accepted from the three probes that pass it (their
    /// recorded RTTs and positions), and renamed with New York JFK's it is rejected, with the reason,
    /// from all three: Frankfurt at 2.5 ms, Sofia at 31 ms and St Petersburg at 35.5 ms are each far
    /// closer to the exchange than to New York.
    #[test]
    fn icao_hints_are_checked_per_probe() {
        let all = traces(MSM_1033154);
        let probes = parse_probes_page(PROBES_1033154).probes;
        let hop_of = |name: &str| {
            let mut context = names_context();
            context
                .names
                .insert("80.81.192.67".to_string(), name.to_string());
            probe_paths(&all, &probes, &context)
                .into_iter()
                .flat_map(|path| path.hops)
                .filter(|row| row.addresses.iter().any(|a| a == "80.81.192.67"))
                .collect::<Vec<HopRow>>()
        };
        let eddf = hop_of("r1eddf3.core.example.net");
        assert_eq!(eddf.len(), 3);
        for row in &eddf {
            assert_eq!(row.hints[0].source, hints::HintSource::Icao);
            assert!(row.hints[0].is_accepted(), "{:?}", row.hints[0]);
            assert_eq!(row.accepted_city.as_deref(), Some("Frankfurt am Main"));
        }
        let kjfk = hop_of("xe-0-0-0.kjfk1.example.net");
        let mut reasons: Vec<String> = Vec::new();
        for row in &kjfk {
            let hint = &row.hints[0];
            assert_eq!(
                (hint.source, hint.city.as_str()),
                (hints::HintSource::Icao, "New York City")
            );
            if let hints::HintStatus::Rejected { reason } = &hint.status {
                reasons.push(reason.clone());
            }
            assert_eq!(row.accepted_city, None);
        }
        reasons.sort();
        assert_eq!(
            reasons,
            [
                "New York City is 6,200 km from the probe; 2.5 ms allows at most 350 km",
                "New York City is 6,900 km from the probe; 35.5 ms allows at most 3,700 km",
                "New York City is 7,600 km from the probe; 31.0 ms allows at most 3,200 km",
            ]
        );
    }

    /// Every recorded traceroute variant (late and duplicate replies, hop errors, MPLS, IPv6, the 255
    /// sentinel, unresolved targets) goes through the whole path engine without a panic, and late or
    /// duplicate replies never set a hop's minimum.
    #[test]
    fn every_recorded_variant_goes_through() {
        for text in [
            MSM_1033154,
            include_str!("../../tests/fixtures/atlas/traceroute_latest_msm3082698.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_results_sagan.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_results_reticle.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_results_ripe-atlas-tools.json"),
            include_str!("../../tests/fixtures/atlas/traceroute_icmpext_mpls_tracemon.json"),
        ] {
            let all = traces(text);
            // Every address named after an airport far away, to exercise the checks everywhere.
            let mut context = PathContext::default();
            for address in addresses_to_look_up(&all) {
                context
                    .names
                    .insert(address, "xe-0.tyo1.example.net".to_string());
            }
            let paths = probe_paths(&all, &[], &context);
            let _ = crate::paths::converge::converge(&paths, 3);
            let _ = crate::paths::map::map_paths(&paths, None);
            for (trace, path) in all.iter().zip(&paths) {
                assert_eq!(trace.hops.len(), path.hops.len());
                for (hop, row) in trace.hops.iter().zip(&path.hops) {
                    let on_time: Vec<f64> = hop.rtts_ms();
                    assert_eq!(row.rtt_min_ms, stats::min(&on_time));
                    assert!(
                        row.hints
                            .iter()
                            .all(|h| matches!(h.status, hints::HintStatus::Unchecked { .. }))
                    );
                }
            }
        }
    }

    #[test]
    fn ptr_names_and_look_up_lists() {
        assert_eq!(
            ptr_query_name("200.220.152.22").as_deref(),
            Some("22.152.220.200.in-addr.arpa.")
        );
        assert_eq!(
            ptr_query_name("2001:db8::1").as_deref(),
            Some("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
        );
        assert_eq!(ptr_query_name("not an address"), None);
        let addresses = addresses_to_look_up(&traces(MSM_1033154));
        assert!(addresses.contains(&"195.69.145.176".to_string()));
        assert!(
            !addresses
                .iter()
                .any(|a| a.starts_with("192.168.") || a.starts_with("10."))
        );
        let unique: std::collections::HashSet<_> = addresses.iter().collect();
        assert_eq!(unique.len(), addresses.len());
    }
}
