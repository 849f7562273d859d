//! Router names and owners for the hops of a traceroute snapshot: which RIPEstat lookups to make
//! (`reverse-dns-ip` for names, `network-info` then `prefix-overview` for owners), and the path
//! context (address → name, address → origin) derived from the lookups stored with the snapshot and
//! the names its probes resolved themselves.
//! Pure: `net` makes the requests, the snapshot stores them as received, and this module only reads
//! them, so a shared report shows the same names without asking anyone.

use std::collections::HashMap;

use super::AtlasSnapshot;
use super::dns::{LookupOutcome, RipestatCall, RipestatLookup, lookups_needed, origins_from};
use crate::atlas::traceroute::TracerouteResult;
use crate::atlas::traceroutes;
use crate::globalping::raw::reported_name;
use crate::paths::converge::{Convergence, DEFAULT_WINDOW, converge};
use crate::paths::crossing::{Crossing, crossings};
use crate::paths::trace::{HopOrigin, PathContext, ProbePath, addresses_to_look_up, probe_paths};
use crate::ripestat::asn_neighbours::{self, AsnNeighbours};
use crate::ripestat::reverse_dns_ip;

/// The most addresses looked up for one snapshot. RIPEstat asks heavy users to identify themselves
/// and to stay reasonable; the hops near the end of each path (where paths converge and carriers
/// hand over) are the ones a reader needs, so those come first and the rest wait for another press.
pub const MAX_HOP_ADDRESSES: usize = 100;

/// How many hops before each probe's last answering hop are looked up first.
const HOPS_FROM_THE_END: usize = 5;

/// The public addresses worth looking up, ends of paths first: the last `HOPS_FROM_THE_END` answering
/// hops of every probe, then the rest in path order; special-purpose and duplicate addresses dropped,
/// at most [`MAX_HOP_ADDRESSES`].
pub fn hop_addresses(traces: &[TracerouteResult]) -> Vec<String> {
    let ends: Vec<TracerouteResult> = traces
        .iter()
        .map(|trace| {
            let mut end = trace.clone();
            let answering: Vec<usize> = end
                .hops
                .iter()
                .enumerate()
                .filter(|(_, hop)| !hop.addresses().is_empty())
                .map(|(index, _)| index)
                .collect();
            let keep_from = answering
                .len()
                .checked_sub(HOPS_FROM_THE_END)
                .and_then(|skip| answering.get(skip).copied())
                .unwrap_or(0);
            end.hops.drain(..keep_from);
            end
        })
        .collect();
    let mut addresses = addresses_to_look_up(&ends);
    for address in addresses_to_look_up(traces) {
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    addresses.truncate(MAX_HOP_ADDRESSES);
    addresses
}

/// The lookups still to make for `addresses`, given those already `made`: names first (one
/// `reverse-dns-ip` per address), then the origin rounds the DNS cell uses (`network-info` per
/// address, then `prefix-overview` per prefix found), then the BGP neighbours (`asn-neighbours`) of
/// the AS that originates each target in `targets`, so the view can say where a path enters the
/// target's network through one of its upstreams.
pub fn hop_lookups_needed(
    addresses: &[String],
    targets: &[String],
    made: &[RipestatLookup],
) -> Vec<(RipestatCall, String)> {
    // The targets' own origins are needed too, whether or not they answered within the hops kept.
    let mut all: Vec<String> = addresses.to_vec();
    for target in targets {
        if !all.contains(target) {
            all.push(target.clone());
        }
    }
    let mut needed = names_and_origins_needed(&all, made);
    if needed.is_empty() {
        let origins = origins_from(made);
        for target in targets {
            if let Some(asn) = origins.get(target).and_then(|origin| origin.asns.first()) {
                let resource = format!("AS{}", asn.number);
                let asked = made
                    .iter()
                    .any(|l| l.call == RipestatCall::AsnNeighbours && l.resource == resource);
                if !asked && !needed.iter().any(|(_, r)| *r == resource) {
                    needed.push((RipestatCall::AsnNeighbours, resource));
                }
            }
        }
    }
    needed
}

fn names_and_origins_needed(
    addresses: &[String],
    made: &[RipestatLookup],
) -> Vec<(RipestatCall, String)> {
    let names: Vec<(RipestatCall, String)> = addresses
        .iter()
        .filter(|address| {
            !made
                .iter()
                .any(|l| l.call == RipestatCall::ReverseDnsIp && &l.resource == *address)
        })
        .map(|address| (RipestatCall::ReverseDnsIp, address.clone()))
        .collect();
    if !names.is_empty() {
        return names;
    }
    lookups_needed(addresses, made)
}

/// The BGP neighbours of each AS whose `asn-neighbours` the stored lookups hold, by AS number.
pub fn neighbours_of_origins(lookups: &[RipestatLookup]) -> Vec<AsnNeighbours> {
    lookups
        .iter()
        .filter(|l| l.call == RipestatCall::AsnNeighbours)
        .filter_map(|lookup| match &lookup.outcome {
            LookupOutcome::Response { text, .. } => asn_neighbours::parse(text).ok(),
            LookupOutcome::Failed { .. } => None,
        })
        .collect()
}

/// What a snapshot's traceroutes show, derived once for every renderer (the cell, the report, the
/// CLI's `paths`): the probe paths, where they converge, and where they cross a BGP neighbour of their
/// own target's origin AS.
#[derive(Debug, Clone, PartialEq)]
pub struct PathsData {
    pub paths: Vec<ProbePath>,
    pub convergence: Convergence,
    /// Where paths enter their target's origin AS through one of its BGP neighbours.
    pub crossings: Vec<Crossing>,
}

impl PathsData {
    /// The crossing notes with how many probes' paths each describes, most common first.
    pub fn crossing_notes(&self) -> Vec<(String, usize)> {
        let mut notes: Vec<(String, usize)> = Vec::new();
        for crossing in &self.crossings {
            match notes.iter_mut().find(|(note, _)| *note == crossing.note) {
                Some((_, count)) => *count += 1,
                None => notes.push((crossing.note.clone(), 1)),
            }
        }
        notes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        notes
    }

    /// Paths with their convergence (over the default window) and their crossings of `neighbours`.
    pub fn of(
        paths: Vec<ProbePath>,
        origins: &HashMap<String, HopOrigin>,
        neighbours: &[AsnNeighbours],
    ) -> PathsData {
        PathsData {
            convergence: converge(&paths, DEFAULT_WINDOW),
            crossings: crossings_at_own_origin(&paths, origins, neighbours),
            paths,
        }
    }
}

/// Where each path crosses a BGP neighbour of its own target's origin AS (`origins` gives the
/// target address's origin; `neighbours` may hold several origins' neighbour lists): another target's
/// neighbours say nothing about a path. A path whose target has no known origin is read against the
/// neighbours only when there is a single list, which the caller looked up as the target's (the CLI's
/// `--neighbours`, a cell whose origin lookup failed).
pub fn crossings_at_own_origin(
    paths: &[ProbePath],
    origins: &HashMap<String, HopOrigin>,
    neighbours: &[AsnNeighbours],
) -> Vec<Crossing> {
    paths
        .iter()
        .flat_map(|path| {
            let target_asn = path
                .dst_addr
                .as_ref()
                .and_then(|dst| origins.get(dst))
                .map(|origin| origin.asn);
            let single = neighbours.len() == 1;
            neighbours
                .iter()
                .filter(move |n| target_asn.map_or(single, |asn| asn == n.asn))
                .flat_map(move |n| crossings(path, n))
        })
        .collect()
}

/// A snapshot's paths as the views show them (see [`PathsData`]): `None` when it holds no traceroute.
pub fn snapshot_paths_data(snapshot: &AtlasSnapshot, fiber_factor: f64) -> Option<PathsData> {
    let (context, paths) = snapshot_paths(snapshot, fiber_factor)?;
    let neighbours = neighbours_of_origins(&snapshot.hop_lookups);
    Some(PathsData::of(paths, &context.origins, &neighbours))
}

/// A snapshot's traceroutes as probe paths, with the context (names, owners, hints) they were read
/// with: the one reading the traceroute view and the report share. `None` when the snapshot holds
/// no traceroute.
pub fn snapshot_paths(
    snapshot: &AtlasSnapshot,
    fiber_factor: f64,
) -> Option<(PathContext, Vec<ProbePath>)> {
    let traces = traceroutes(&snapshot.results_text);
    if traces.is_empty() {
        return None;
    }
    let context = path_context(&snapshot.hop_lookups, &snapshot.hop_names, fiber_factor);
    let paths = probe_paths(&traces, &snapshot.probes, &context);
    Some((context, paths))
}

/// The path context the stored lookups give: the first PTR name of each address, and its origin
/// (prefix, first origin AS and holder). Failed or unreadable lookups are simply absent. The names
/// the measuring probes resolved themselves (`AtlasSnapshot::hop_names`) name the addresses
/// RIPEstat did not; where both have a name, RIPEstat's wins: it is the PTR record the address's
/// owner publishes, read the same way for every probe, while a probe's resolver may answer
/// differently (a local override, a split-horizon view, a stale cache). A stored name is checked
/// again (`raw::reported_name`), since a notebook file or link can hold anything.
pub fn path_context(
    lookups: &[RipestatLookup],
    probe_names: &[(String, String)],
    fiber_factor: f64,
) -> PathContext {
    let mut names = HashMap::new();
    for (address, name) in probe_names {
        if let Some(name) = reported_name(address, name) {
            names.entry(address.clone()).or_insert(name);
        }
    }
    for lookup in lookups
        .iter()
        .filter(|l| l.call == RipestatCall::ReverseDnsIp)
    {
        if let LookupOutcome::Response { text, .. } = &lookup.outcome
            && let Ok(reverse) = reverse_dns_ip::parse(text)
            && let Some(name) = reverse.names.first()
        {
            names.insert(lookup.resource.clone(), name.clone());
        }
    }
    let origins = origins_from(lookups)
        .into_iter()
        .filter_map(|(address, origin)| {
            let first = origin.asns.first()?;
            Some((
                address,
                HopOrigin {
                    asn: first.number,
                    holder: first.holder.clone(),
                    prefix: origin.prefix.clone(),
                },
            ))
        })
        .collect();
    PathContext {
        names,
        origins,
        fiber_factor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACES: &str =
        include_str!("../../tests/fixtures/atlas/traceroute_latest_msm1033154.json");
    const REVERSE: &str = include_str!("../../tests/fixtures/ripestat/reverse-dns-ip.json");
    const NETWORK: &str = include_str!("../../tests/fixtures/ripestat/network-info.json");
    const OVERVIEW: &str = include_str!("../../tests/fixtures/ripestat/prefix-overview.json");
    const NEIGHBOURS: &str = include_str!("../../tests/fixtures/ripestat/asn-neighbours.json");

    fn traces() -> Vec<TracerouteResult> {
        crate::atlas::traceroutes(TRACES)
    }

    fn lookup(call: RipestatCall, resource: &str, text: &str) -> RipestatLookup {
        RipestatLookup {
            call,
            resource: resource.to_string(),
            url: String::new(),
            fetched_at_unix_ms: 0,
            outcome: LookupOutcome::Response {
                status: 200,
                text: text.to_string(),
            },
        }
    }

    #[test]
    fn paths_cross_only_the_neighbours_of_their_own_targets_origin() {
        // The recorded traceroutes to 91.198.174.225 with made-up hop origins (as the CLI test uses)
        // and the recorded neighbours of AS12386: probe 3161 enters AS12386 from AS12479.
        let origin = |asn: u32| HopOrigin {
            asn,
            holder: None,
            prefix: None,
        };
        let mut origins: HashMap<String, HopOrigin> = HashMap::new();
        origins.insert("145.145.19.49".to_string(), origin(12479));
        origins.insert("195.69.145.176".to_string(), origin(12386));
        let context = PathContext {
            origins: origins.clone(),
            ..PathContext::default()
        };
        let paths = probe_paths(&traces(), &[], &context);
        let of_12386 = asn_neighbours::parse(NEIGHBOURS).unwrap();
        let mut of_another = of_12386.clone();
        of_another.asn = 64_500;
        let entering = |found: &[Crossing]| found.iter().filter(|c| c.prb_id == 3161).count();
        // The target's origin unknown: one list is read as the target's; two say nothing about it.
        let one = crossings_at_own_origin(&paths, &origins, std::slice::from_ref(&of_12386));
        assert_eq!(entering(&one), 1);
        let two =
            crossings_at_own_origin(&paths, &origins, &[of_another.clone(), of_12386.clone()]);
        assert!(two.is_empty());
        // The target's origin known: only its own neighbours count, whatever else was looked up.
        origins.insert("91.198.174.225".to_string(), origin(12386));
        let own =
            crossings_at_own_origin(&paths, &origins, &[of_another.clone(), of_12386.clone()]);
        assert_eq!(own, one);
        origins.insert("91.198.174.225".to_string(), origin(64_500));
        assert!(crossings_at_own_origin(&paths, &origins, &[of_12386]).is_empty());
        let data = PathsData::of(paths, &origins, &[]);
        assert!(data.crossings.is_empty() && data.crossing_notes().is_empty());
    }

    #[test]
    fn the_ends_of_paths_come_first_and_the_list_is_capped() {
        let traces = traces();
        let addresses = hop_addresses(&traces);
        assert_eq!(addresses.len(), MAX_HOP_ADDRESSES);
        // 195.69.145.176 is the hop most probes pass just before Wikipedia's address (the
        // convergence summary of this snapshot): it must be among the first looked up.
        let position = addresses.iter().position(|a| a == "195.69.145.176");
        assert!(position.is_some_and(|p| p < 60), "{position:?}");
        assert!(addresses.iter().all(|a| !a.starts_with("192.168.")));
        let unique: std::collections::HashSet<&String> = addresses.iter().collect();
        assert_eq!(unique.len(), addresses.len());
    }

    #[test]
    fn names_come_first_then_origins_then_the_targets_neighbours() {
        let hop = "193.0.6.139".to_string();
        let target = "140.78.1.1".to_string();
        let (addresses, targets) = (vec![hop.clone()], vec![target.clone()]);
        let needed = |made: &[RipestatLookup]| hop_lookups_needed(&addresses, &targets, made);
        assert_eq!(
            needed(&[]),
            vec![
                (RipestatCall::ReverseDnsIp, hop.clone()),
                (RipestatCall::ReverseDnsIp, target.clone())
            ]
        );
        let mut made = vec![
            lookup(RipestatCall::ReverseDnsIp, &hop, REVERSE),
            lookup(RipestatCall::ReverseDnsIp, &target, REVERSE),
        ];
        assert_eq!(
            needed(&made),
            vec![
                (RipestatCall::NetworkInfo, hop.clone()),
                (RipestatCall::NetworkInfo, target.clone())
            ]
        );
        made.push(lookup(RipestatCall::NetworkInfo, &hop, NETWORK));
        made.push(lookup(RipestatCall::NetworkInfo, &target, NETWORK));
        assert_eq!(
            needed(&made),
            vec![(RipestatCall::PrefixOverview, "140.78.0.0/16".to_string())]
        );
        made.push(lookup(
            RipestatCall::PrefixOverview,
            "140.78.0.0/16",
            OVERVIEW,
        ));
        // The target's origin is known (AS1205 in the network-info recording): its BGP neighbours
        // are asked for, once.
        assert_eq!(
            needed(&made),
            vec![(RipestatCall::AsnNeighbours, "AS1205".to_string())]
        );
        made.push(lookup(RipestatCall::AsnNeighbours, "AS1205", NEIGHBOURS));
        assert!(needed(&made).is_empty());
        // What RIPEstat answered is what is stored and read: the recording is of AS12386.
        let neighbours = neighbours_of_origins(&made);
        assert_eq!(neighbours.len(), 1);
        assert_eq!(neighbours[0].asn, 12386);
    }

    /// The recorded RIPEstat responses: the PTR name of 193.0.6.139 (www.ripe.net), and the origin
    /// of the address network-info was recorded for (140.78.0.0/16, AS1205), whose prefix-overview
    /// recording is for another prefix, so the holder stays unknown there.
    #[test]
    fn the_context_reads_names_and_origins_from_the_recordings() {
        let lookups = vec![
            lookup(RipestatCall::ReverseDnsIp, "193.0.6.139", REVERSE),
            lookup(RipestatCall::NetworkInfo, "140.78.1.1", NETWORK),
            lookup(RipestatCall::PrefixOverview, "193.0.0.0/21", OVERVIEW),
            RipestatLookup {
                outcome: LookupOutcome::Failed {
                    reason: "down".to_string(),
                },
                ..lookup(RipestatCall::ReverseDnsIp, "10.9.9.9", "")
            },
        ];
        let context = path_context(&lookups, &[], 2.0 / 3.0);
        assert_eq!(
            context.names.get("193.0.6.139").map(String::as_str),
            Some("www.ripe.net")
        );
        assert!(!context.names.contains_key("10.9.9.9"));
        let origin = context.origins.get("140.78.1.1").unwrap();
        assert_eq!(origin.asn, 1205);
        assert_eq!(origin.prefix.as_deref(), Some("140.78.0.0/16"));
        assert_eq!(origin.holder, None);
    }

    /// RIPEstat's PTR name wins over the name a probe resolved; the probe's names fill in the rest,
    /// and stored pairs that are no name (the address itself, MTR's `_gateway`) are dropped.
    #[test]
    fn probe_names_fill_in_where_ripestat_has_none() {
        let lookups = vec![lookup(RipestatCall::ReverseDnsIp, "193.0.6.139", REVERSE)];
        let probe_names = [
            ("193.0.6.139", "probe-view.example.net"),
            ("103.5.14.220", "syd-sy2-bb1-a9.au.asia"),
            ("172.68.208.3", "172.68.208.3"),
            ("94.156.93.1", "_gateway"),
        ]
        .map(|(address, name)| (address.to_string(), name.to_string()));
        let context = path_context(&lookups, &probe_names, 2.0 / 3.0);
        let name = |address: &str| context.names.get(address).map(String::as_str);
        assert_eq!(name("193.0.6.139"), Some("www.ripe.net"));
        assert_eq!(name("103.5.14.220"), Some("syd-sy2-bb1-a9.au.asia"));
        assert_eq!(name("172.68.208.3"), None);
        assert_eq!(name("94.156.93.1"), None);
    }
}
