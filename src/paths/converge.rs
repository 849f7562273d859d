//! Where the paths of many probes converge before the target: the addresses (and /24 or /48
//! prefixes) that many probes' last hops before the target share, with their names, owners, accepted
//! hint cities and the networks that hand traffic over to them; each probe's last responding hop; and
//! a summary in plain words ("36 of 70 probes pass 195.69.145.176 in their last 3 hops before the
//! target; …").
//!
//! Pure core over `trace::ProbePath`s; never panics (no probes, no hops and no names all give a
//! summary that says so).

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use serde::Serialize;

use super::trace::{HopOrigin, HopRow, LastHop, ProbePath};

/// How many answering hops before the target are compared by default: enough to reach back past the
/// target's own edge router to the exchange or transit link, few enough that paths from other
/// continents do not meet in the middle.
pub const DEFAULT_WINDOW: usize = 3;

/// What a convergence point groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    Address,
    /// The /24 of an IPv4 address or the /48 of an IPv6 one: interfaces of one exchange LAN or one
    /// router usually share it even when probes enter through different ports.
    Prefix,
}

/// An AS and how many probes' paths show it at a given place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsCount {
    pub asn: u32,
    pub holder: Option<String>,
    pub probes: usize,
}

/// A hop (or a prefix of hops) that several probes' paths share near the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvergencePoint {
    pub kind: PointKind,
    /// The address, or the prefix in CIDR notation.
    pub value: String,
    /// The probes whose last hops before the target include it, ascending.
    pub probes: Vec<u64>,
    pub addresses: Vec<String>,
    pub names: Vec<String>,
    pub owners: Vec<HopOrigin>,
    /// Accepted hint cities of its hops.
    pub cities: Vec<String>,
    /// The origin ASes of the hop just before it, per probe: the networks handing traffic over.
    pub handed_over_by: Vec<AsCount>,
}

/// Each probe's ends of path, for the table under the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeEnd {
    pub prb_id: u64,
    pub last_responding: Option<LastHop>,
    pub last_before_target: Option<LastHop>,
    pub destination_reached: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Convergence {
    pub window: usize,
    /// Probes with at least one answering hop before the target.
    pub probes_compared: usize,
    pub probes_reaching_target: usize,
    pub probes_total: usize,
    /// Most probes first; only points shared by at least two probes.
    pub points: Vec<ConvergencePoint>,
    /// Accepted cities of each probe's last hop before the target, with how many probes.
    pub last_hop_cities: Vec<(String, usize)>,
    pub ends: Vec<ProbeEnd>,
    pub summary: String,
}

/// The /24 or /48 of an address.
fn prefix_of(address: &str) -> Option<String> {
    match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            Some(format!("{a}.{b}.{c}.0/24"))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            Some(format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2]))
        }
    }
}

/// The answering hops of a path before the target with a public address, last first, at most
/// `window` of them, each with the address that stands for it.
fn tail(path: &ProbePath, window: usize) -> Vec<(usize, &HopRow, String)> {
    let destination = path.dst_addr.as_deref();
    path.hops
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, row)| row.rtt_min_ms.is_some() && row.special_purpose.is_none())
        .filter_map(|(index, row)| {
            let address = row
                .addresses
                .iter()
                .find(|a| Some(a.as_str()) != destination)?;
            Some((index, row, address.clone()))
        })
        .take(window)
        .collect()
}

/// The origin of the answering hop before `index` in a path (skipping silent and private hops).
fn origin_before(path: &ProbePath, index: usize) -> Option<&HopOrigin> {
    path.hops[..index.min(path.hops.len())]
        .iter()
        .rev()
        .filter(|row| row.rtt_min_ms.is_some() && row.special_purpose.is_none())
        .find_map(|row| row.origin.as_ref())
}

#[derive(Default)]
struct Tally<'a> {
    probes: BTreeSet<u64>,
    addresses: BTreeSet<String>,
    names: BTreeSet<String>,
    owners: BTreeMap<u32, &'a HopOrigin>,
    cities: BTreeSet<String>,
    handed_over: BTreeMap<u32, (Option<String>, BTreeSet<u64>)>,
}

impl<'a> Tally<'a> {
    fn add(&mut self, path: &'a ProbePath, index: usize, row: &'a HopRow, address: &str) {
        self.probes.insert(path.prb_id);
        self.addresses.insert(address.to_string());
        if let Some(name) = &row.name {
            self.names.insert(name.clone());
        }
        if let Some(origin) = &row.origin {
            self.owners.entry(origin.asn).or_insert(origin);
        }
        if let Some(city) = &row.accepted_city {
            self.cities.insert(city.clone());
        }
        if let Some(before) = origin_before(path, index)
            && row.origin.as_ref().is_none_or(|own| own.asn != before.asn)
        {
            let entry = self
                .handed_over
                .entry(before.asn)
                .or_insert_with(|| (before.holder.clone(), BTreeSet::new()));
            entry.1.insert(path.prb_id);
        }
    }

    fn point(self, kind: PointKind, value: String) -> ConvergencePoint {
        let mut handed_over_by: Vec<AsCount> = self
            .handed_over
            .into_iter()
            .map(|(asn, (holder, probes))| AsCount {
                asn,
                holder,
                probes: probes.len(),
            })
            .collect();
        handed_over_by.sort_by(|a, b| b.probes.cmp(&a.probes).then(a.asn.cmp(&b.asn)));
        ConvergencePoint {
            kind,
            value,
            probes: self.probes.into_iter().collect(),
            addresses: self.addresses.into_iter().collect(),
            names: self.names.into_iter().collect(),
            owners: self.owners.into_values().cloned().collect(),
            cities: self.cities.into_iter().collect(),
            handed_over_by,
        }
    }
}

fn describe_owner(owners: &[HopOrigin]) -> Option<String> {
    let first = owners.first()?;
    Some(match &first.holder {
        Some(holder) => format!("AS{} {holder}", first.asn),
        None => format!("AS{}", first.asn),
    })
}

fn list(items: &[String], at_most: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(at_most).cloned().collect();
    if items.len() > at_most {
        shown.push("…".to_string());
    }
    shown.join(", ")
}

/// Where the paths converge, over their last `window` answering hops before the target.
pub fn converge(paths: &[ProbePath], window: usize) -> Convergence {
    let window = window.clamp(1, 64);
    let mut by_address: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_prefix: BTreeMap<String, Tally> = BTreeMap::new();
    let mut compared = 0;
    for path in paths {
        let tail = tail(path, window);
        if tail.is_empty() {
            continue;
        }
        compared += 1;
        for (index, row, address) in tail {
            by_address
                .entry(address.clone())
                .or_default()
                .add(path, index, row, &address);
            if let Some(prefix) = prefix_of(&address) {
                by_prefix
                    .entry(prefix)
                    .or_default()
                    .add(path, index, row, &address);
            }
        }
    }
    let mut points: Vec<ConvergencePoint> = by_address
        .into_iter()
        .filter(|(_, tally)| tally.probes.len() >= 2)
        .map(|(address, tally)| tally.point(PointKind::Address, address))
        .collect();
    // A prefix is worth its own row only when it gathers more probes than any one of its addresses.
    let prefixes: Vec<ConvergencePoint> = by_prefix
        .into_iter()
        .filter(|(_, tally)| tally.probes.len() >= 2 && tally.addresses.len() >= 2)
        .map(|(prefix, tally)| tally.point(PointKind::Prefix, prefix))
        .filter(|prefix| {
            points
                .iter()
                .filter(|p| prefix.addresses.contains(&p.value))
                .all(|p| p.probes.len() < prefix.probes.len())
        })
        .collect();
    points.extend(prefixes);
    points.sort_by(|a, b| {
        b.probes
            .len()
            .cmp(&a.probes.len())
            .then(a.kind.cmp(&b.kind))
            .then(a.value.cmp(&b.value))
    });
    let mut cities: BTreeMap<String, usize> = BTreeMap::new();
    for path in paths {
        if let Some(city) = path
            .last_before_target
            .as_ref()
            .and_then(|hop| hop.accepted_city.clone())
        {
            *cities.entry(city).or_default() += 1;
        }
    }
    let mut last_hop_cities: Vec<(String, usize)> = cities.into_iter().collect();
    last_hop_cities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let reaching = paths.iter().filter(|p| p.destination_reached).count();
    let summary = summary(
        paths.len(),
        compared,
        reaching,
        window,
        &points,
        &last_hop_cities,
    );
    Convergence {
        window,
        probes_compared: compared,
        probes_reaching_target: reaching,
        probes_total: paths.len(),
        points,
        last_hop_cities,
        ends: paths
            .iter()
            .map(|path| ProbeEnd {
                prb_id: path.prb_id,
                last_responding: path.last_responding.clone(),
                last_before_target: path.last_before_target.clone(),
                destination_reached: path.destination_reached,
            })
            .collect(),
        summary,
    }
}

fn summary(
    total: usize,
    compared: usize,
    reaching: usize,
    window: usize,
    points: &[ConvergencePoint],
    cities: &[(String, usize)],
) -> String {
    if compared == 0 {
        return format!(
            "None of the {total} traceroutes has an answering public hop before the target, so \
             there is nothing to compare."
        );
    }
    let mut sentences = Vec::new();
    if let Some((city, count)) = cities.first() {
        sentences.push(format!(
            "{count} of {compared} probes' last hops before the target are in {city}, by the \
             accepted hints of their names"
        ));
    }
    let hops = if window == 1 {
        "last hop".to_string()
    } else {
        format!("last {window} hops")
    };
    // The sentence is about one address (a prefix mixes routers of several networks); the prefix that
    // holds it is added when it gathers more probes.
    let top = points.iter().find(|p| p.kind == PointKind::Address);
    match top {
        Some(point) => {
            let mut text = format!(
                "{} of {compared} probes pass {} in their {hops} before the target",
                point.probes.len(),
                point.value
            );
            let mut about = Vec::new();
            if !point.names.is_empty() {
                about.push(format!("names {}", list(&point.names, 3)));
            }
            if let Some(owner) = describe_owner(&point.owners) {
                about.push(format!("announced by {owner}"));
            }
            if about.is_empty() && point.kind == PointKind::Address {
                about.push("no name or owner known".to_string());
            }
            if !about.is_empty() {
                text.push_str(&format!(" ({})", about.join("; ")));
            }
            if let Some(prefix) = points.iter().find(|p| {
                p.kind == PointKind::Prefix
                    && p.addresses.contains(&point.value)
                    && p.probes.len() > point.probes.len()
            }) {
                text.push_str(&format!(
                    "; {} pass its {} ({} addresses)",
                    prefix.probes.len(),
                    prefix.value,
                    prefix.addresses.len()
                ));
            }
            if !point.handed_over_by.is_empty() {
                let carriers: Vec<String> = point
                    .handed_over_by
                    .iter()
                    .take(4)
                    .map(|c| format!("AS{}", c.asn))
                    .collect();
                text.push_str(&format!(
                    "; the networks handing over to it are {}",
                    carriers.join(", ")
                ));
            }
            sentences.push(text);
        }
        None => sentences.push(format!(
            "No hop is shared by two probes in their {hops} before the target: the paths arrive \
             separately"
        )),
    }
    sentences.push(format!("{reaching} of {total} probes reached the target"));
    sentences.join(". ") + "."
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;
    use crate::paths::trace::tests::{MSM_1033154, PROBES_1033154, names_context, traces};
    use crate::paths::trace::{PathContext, probe_paths};

    #[test]
    fn msm_1033154_converges_at_ams_ix() {
        let probes = parse_probes_page(PROBES_1033154).probes;
        let paths = probe_paths(&traces(MSM_1033154), &probes, &names_context());
        let convergence = converge(&paths, DEFAULT_WINDOW);
        assert_eq!(convergence.probes_total, 87);
        assert_eq!(convergence.probes_reaching_target, 39);
        let top = convergence
            .points
            .iter()
            .find(|p| p.kind == PointKind::Address)
            .unwrap();
        assert_eq!(top.value, "195.69.145.176");
        assert_eq!(top.probes.len(), 36);
        // Counted independently with Python: 70 probes have an answering public hop other than the
        // target, 36 of them pass .176 and 38 its /24 in their last three.
        assert_eq!(convergence.probes_compared, 70);
        assert_eq!(
            convergence.summary,
            "36 of 70 probes pass 195.69.145.176 in their last 3 hops before the target (no name \
             or owner known); 38 pass its 195.69.145.0/24 (2 addresses). 39 of 87 probes reached \
             the target."
        );
        // The exchange LAN gathers the two AS6908 and Wikimedia addresses' probes.
        let lan = convergence
            .points
            .iter()
            .find(|p| p.kind == PointKind::Prefix && p.value == "195.69.145.0/24")
            .unwrap();
        assert!(lan.probes.len() > 36);
        assert!(
            lan.names
                .contains(&"ge2-24-0-cr0.nik.nl.as6908.net".to_string())
        );
        assert_eq!(convergence.ends.len(), 87);
    }

    #[test]
    fn owners_and_carriers_appear_when_known() {
        let probes = parse_probes_page(PROBES_1033154).probes;
        let mut context = PathContext::default();
        // Made-up origins for two addresses, to show how they surface (not a claim about them).
        context.origins.insert(
            "195.69.145.176".to_string(),
            HopOrigin {
                asn: 64500,
                holder: Some("EXAMPLE-EXCHANGE".to_string()),
                prefix: Some("195.69.144.0/22".to_string()),
            },
        );
        context.origins.insert(
            "145.145.19.49".to_string(),
            HopOrigin {
                asn: 64501,
                holder: None,
                prefix: None,
            },
        );
        let paths = probe_paths(&traces(MSM_1033154), &probes, &context);
        let convergence = converge(&paths, DEFAULT_WINDOW);
        let top = convergence
            .points
            .iter()
            .find(|p| p.value == "195.69.145.176")
            .unwrap();
        assert_eq!(top.owners[0].asn, 64500);
        assert_eq!(top.handed_over_by[0].asn, 64501);
        assert!(
            convergence
                .summary
                .contains("announced by AS64500 EXAMPLE-EXCHANGE")
        );
        assert!(
            convergence
                .summary
                .contains("the networks handing over to it are AS64501")
        );
    }

    #[test]
    fn nothing_to_compare_is_said_plainly() {
        let empty = converge(&[], 3);
        assert_eq!(empty.points, Vec::new());
        assert!(empty.summary.starts_with("None of the 0 traceroutes"));
        let probes = parse_probes_page(PROBES_1033154).probes;
        let paths = probe_paths(&traces(MSM_1033154), &probes, &PathContext::default());
        let one = converge(&paths[..1], 0);
        assert_eq!(one.window, 1);
        assert_eq!(
            prefix_of("2001:db8:1:2::1").as_deref(),
            Some("2001:db8:1::/48")
        );
        assert_eq!(prefix_of("junk"), None);
    }
}
