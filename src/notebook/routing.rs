//! The routing-context cell's part of the notebook: the resource the author typed (an AS number, an
//! address or a prefix), validated here before anything is sent, and the snapshot of every RIPEstat
//! response as received. Which calls a resource needs (`lookups_needed`, in two rounds for a prefix:
//! its origin AS is only known from the first) and everything the cell shows (origin and holder,
//! announced prefixes, visibility, neighbours, looking-glass routes with decoded communities, the
//! summary line) are derived from the stored responses, so a shared link shows the same offline.
//! No I/O: `net` sends what is asked and hands back what came.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::dns::{LookupOutcome, RipestatCall, RipestatLookup, response_text};
use crate::paths::communities::{self, Decoded};
use crate::ripestat::announced_prefixes::{self, AnnouncedPrefixes};
use crate::ripestat::as_overview::{self, AsOverview};
use crate::ripestat::asn_neighbours::{self, AsnNeighbours, Neighbour, Side};
use crate::ripestat::looking_glass::{self, LookingGlass};
use crate::ripestat::prefix_overview::{self, PrefixOverview};
use crate::ripestat::routing_status::{self, RoutingStatus, Visibility};
use crate::ripestat::{Asn, RipestatError};

/// Origin ASes of one prefix looked up further, at most: more than this is a multi-origin mess the
/// first ones already show, and each costs two more calls to a shared public service.
pub const MAX_ORIGINS: usize = 3;
/// Announced prefixes listed by name; the rest are counted.
pub const PREFIXES_SHOWN: usize = 10;
/// Neighbours named in the summary line, per side.
const SUMMARY_NEIGHBOURS: usize = 5;

/// A routing-context cell: the request and the snapshot it produced.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RoutingCell {
    #[serde(default)]
    pub request: RoutingRequest,
    /// Behind an `Rc` like every snapshot: the reducer clones the notebook often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<std::rc::Rc<RoutingSnapshot>>,
}

/// The resource as typed (an invalid one is kept for correction).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoutingRequest {
    #[serde(default)]
    pub resource: String,
}

/// A validated resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Asn(u32),
    Address(IpAddr),
    Prefix { network: IpAddr, length: u8 },
}

/// Why a typed resource cannot be looked up; each message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceError {
    Empty,
    /// Neither an AS number, an address nor a prefix.
    Unreadable(String),
    /// AS 0 and numbers over 32 bits are no AS.
    BadAsn(String),
    PrefixLength {
        text: String,
        max: u8,
    },
    /// Bits set after the prefix length: the network it names is another one.
    HostBits {
        text: String,
        network: String,
    },
}

impl fmt::Display for ResourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResourceError::Empty => write!(
                f,
                "Enter an AS number (AS3333), an IP address (193.0.6.139) or a prefix \
                 (193.0.0.0/21). Nothing was sent."
            ),
            ResourceError::Unreadable(text) => write!(
                f,
                "\"{text}\" is not an AS number, an IP address or a prefix: type e.g. AS3333, \
                 193.0.6.139, 2001:67c:2e8::/48. Nothing was sent."
            ),
            ResourceError::BadAsn(text) => write!(
                f,
                "\"{text}\" is not a usable AS number: AS numbers run from 1 to 4294967295 (AS 0 \
                 is reserved). Nothing was sent."
            ),
            ResourceError::PrefixLength { text, max } => write!(
                f,
                "\"{text}\" has a prefix length over /{max}. Nothing was sent."
            ),
            ResourceError::HostBits { text, network } => write!(
                f,
                "\"{text}\" has bits set after its prefix length: did you mean {network}? \
                 Nothing was sent."
            ),
        }
    }
}

fn masked(address: IpAddr, length: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(length)).unwrap_or(0);
            IpAddr::V4((u32::from(v4) & mask).into())
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(length)).unwrap_or(0);
            IpAddr::V6((u128::from(v6) & mask).into())
        }
    }
}

impl Resource {
    /// Reads what the author typed: `AS3333`, `as3333` or `3333`; an IPv4 or IPv6 address; a prefix.
    pub fn parse(text: &str) -> Result<Resource, ResourceError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ResourceError::Empty);
        }
        let digits = text
            .strip_prefix("AS")
            .or_else(|| text.strip_prefix("as"))
            .or_else(|| text.strip_prefix("As"))
            .unwrap_or(text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return match digits.parse::<u32>() {
                Ok(asn) if asn > 0 => Ok(Resource::Asn(asn)),
                _ => Err(ResourceError::BadAsn(text.to_string())),
            };
        }
        if let Ok(address) = text.parse::<IpAddr>() {
            return Ok(Resource::Address(address));
        }
        let unreadable = || ResourceError::Unreadable(text.to_string());
        let (address, length) = text.split_once('/').ok_or_else(unreadable)?;
        let address: IpAddr = address.parse().map_err(|_| unreadable())?;
        if length.is_empty() || !length.bytes().all(|b| b.is_ascii_digit()) || length.len() > 3 {
            return Err(unreadable());
        }
        let max = if address.is_ipv4() { 32 } else { 128 };
        let length: u8 = length.parse().map_err(|_| unreadable())?;
        if length > max {
            return Err(ResourceError::PrefixLength {
                text: text.to_string(),
                max,
            });
        }
        let network = masked(address, length);
        if network != address {
            return Err(ResourceError::HostBits {
                text: text.to_string(),
                network: format!("{network}/{length}"),
            });
        }
        Ok(Resource::Prefix { network, length })
    }

    /// The resource as sent to RIPEstat and stored: `AS3333`, `193.0.6.139`, `193.0.0.0/21`.
    pub fn query(&self) -> String {
        match self {
            Resource::Asn(asn) => format!("AS{asn}"),
            Resource::Address(address) => address.to_string(),
            Resource::Prefix { network, length } => format!("{network}/{length}"),
        }
    }

    fn is_v6(&self) -> bool {
        matches!(
            self,
            Resource::Address(IpAddr::V6(_))
                | Resource::Prefix {
                    network: IpAddr::V6(_),
                    ..
                }
        )
    }

    /// The calls of the first round (the only one for an AS).
    fn first_round(&self) -> Vec<RipestatCall> {
        match self {
            Resource::Asn(_) => vec![
                RipestatCall::AsOverview,
                RipestatCall::AnnouncedPrefixes,
                RipestatCall::RoutingStatus,
                RipestatCall::AsnNeighbours,
            ],
            Resource::Address(_) | Resource::Prefix { .. } => vec![
                RipestatCall::PrefixOverview,
                RipestatCall::RoutingStatus,
                RipestatCall::LookingGlass,
            ],
        }
    }

    /// How many lookups a run will likely make, for the progress line before the origin is known
    /// (one origin AS, two calls, for a prefix).
    pub fn expected_lookups(&self) -> usize {
        match self {
            Resource::Asn(_) => 4,
            Resource::Address(_) | Resource::Prefix { .. } => 5,
        }
    }
}

impl RoutingRequest {
    /// The validated resource, or why nothing can be sent.
    pub fn resource(&self) -> Result<Resource, ResourceError> {
        Resource::parse(&self.resource)
    }
}

/// The evidence behind a routing cell: every RIPEstat response as received. What a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingSnapshot {
    /// The resource as sent (`Resource::query`).
    pub resource: String,
    pub started_at_unix_ms: i64,
    #[serde(default)]
    pub finished_at_unix_ms: i64,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub lookups: Vec<RipestatLookup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn find<'a>(
    lookups: &'a [RipestatLookup],
    call: RipestatCall,
    resource: &str,
) -> Option<&'a RipestatLookup> {
    lookups
        .iter()
        .find(|lookup| lookup.call == call && lookup.resource == resource)
}

fn parsed<T>(
    lookups: &[RipestatLookup],
    call: RipestatCall,
    resource: &str,
    parse: fn(&str) -> Result<T, RipestatError>,
) -> Option<T> {
    parse(response_text(find(lookups, call, resource)?)?).ok()
}

/// The origin ASes of a prefix, from what the first round brought: `prefix-overview` (with holder
/// names), else `routing-status`'s origins, else the origins of the looking-glass routes.
fn origins_of(lookups: &[RipestatLookup], resource: &str) -> Vec<Asn> {
    let overview = parsed(
        lookups,
        RipestatCall::PrefixOverview,
        resource,
        prefix_overview::parse,
    );
    if let Some(overview) = overview.filter(|o| !o.asns.is_empty()) {
        return overview.asns;
    }
    let bare = |numbers: Vec<u32>| -> Vec<Asn> {
        let mut asns: Vec<Asn> = Vec::new();
        for number in numbers {
            if !asns.iter().any(|asn| asn.number == number) {
                asns.push(Asn {
                    number,
                    holder: None,
                });
            }
        }
        asns
    };
    let status = parsed(
        lookups,
        RipestatCall::RoutingStatus,
        resource,
        routing_status::parse,
    );
    if let Some(status) = status.filter(|s| !s.origins.is_empty()) {
        return bare(status.origins);
    }
    let glass = parsed(
        lookups,
        RipestatCall::LookingGlass,
        resource,
        looking_glass::parse,
    );
    bare(
        glass
            .map(|glass| glass.routes().filter_map(|r| r.origin_asn).collect())
            .unwrap_or_default(),
    )
}

/// The lookups still needed for `resource` given those made: the first round, then for a prefix
/// or address the `as-overview` and `asn-neighbours` of each origin AS (capped at `MAX_ORIGINS`).
/// A failed lookup counts as made: it is not retried within the run. Empty when all is done.
pub fn lookups_needed(resource: &Resource, made: &[RipestatLookup]) -> Vec<(RipestatCall, String)> {
    let query = resource.query();
    let missing: Vec<(RipestatCall, String)> = resource
        .first_round()
        .into_iter()
        .filter(|call| find(made, *call, &query).is_none())
        .map(|call| (call, query.clone()))
        .collect();
    if !missing.is_empty() || matches!(resource, Resource::Asn(_)) {
        return missing;
    }
    origins_of(made, &query)
        .into_iter()
        .take(MAX_ORIGINS)
        .flat_map(|asn| {
            let asn = format!("AS{}", asn.number);
            [RipestatCall::AsOverview, RipestatCall::AsnNeighbours]
                .into_iter()
                .map(move |call| (call, asn.clone()))
        })
        .filter(|(call, asn)| find(made, *call, asn).is_none())
        .collect()
}

/// One lookup's line in the cell: which call about what, and whether it could be used.
#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    pub call: RipestatCall,
    pub resource: String,
    pub url: String,
    /// None when the response was used; otherwise what went wrong and what to do.
    pub problem: Option<String>,
}

fn problem_of(lookup: &RipestatLookup) -> Option<String> {
    match &lookup.outcome {
        LookupOutcome::Failed { reason } => Some(reason.clone()),
        LookupOutcome::Response { status, text } => match lookup.call.check(text) {
            Ok(()) if (200..300).contains(status) => None,
            // A refusal in RIPEstat's own envelope says more than the status.
            Err(error @ RipestatError::Refused { .. }) => Some(format!("{error}; try again later")),
            Ok(()) | Err(_) if !(200..300).contains(status) => Some(format!(
                "HTTP {status} from RIPEstat: the call failed; try again later"
            )),
            Ok(()) => None,
            Err(error) => Some(error.to_string()),
        },
    }
}

/// A neighbour row: an AS beside the looked-up one and how many RIS peers see the adjacency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighbourRow {
    pub asn: u32,
    pub power: Option<u64>,
}

/// The neighbours of one AS: upstreams (left) and downstreams (right), strongest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighbourTable {
    pub asn: u32,
    pub upstreams: Vec<NeighbourRow>,
    pub downstreams: Vec<NeighbourRow>,
    pub uncertain: Vec<NeighbourRow>,
}

impl NeighbourTable {
    fn of(neighbours: &AsnNeighbours) -> NeighbourTable {
        let rows = |side: Side| -> Vec<NeighbourRow> {
            neighbours
                .on_side(side)
                .into_iter()
                .map(|n: &Neighbour| NeighbourRow {
                    asn: n.asn,
                    power: n.power,
                })
                .collect()
        };
        NeighbourTable {
            asn: neighbours.asn,
            upstreams: rows(Side::Upstream),
            downstreams: rows(Side::Downstream),
            uncertain: rows(Side::Uncertain),
        }
    }
}

/// An AS the cell describes: holder (as-overview) and neighbours (asn-neighbours).
#[derive(Debug, Clone, PartialEq)]
pub struct AsContext {
    pub asn: u32,
    pub holder: Option<String>,
    pub overview: Option<AsOverview>,
    pub neighbours: Option<NeighbourTable>,
}

/// One route a RIS peer holds, with its communities decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteRow {
    pub peer: Option<String>,
    pub prefix: Option<String>,
    pub as_path: String,
    pub communities: Vec<Decoded>,
}

/// One RIS collector's routes.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectorRoutes {
    pub rrc: String,
    pub location: Option<String>,
    pub routes: Vec<RouteRow>,
}

fn collectors(glass: &LookingGlass) -> Vec<CollectorRoutes> {
    glass
        .collectors
        .iter()
        .map(|collector| CollectorRoutes {
            rrc: collector.rrc.clone(),
            location: collector.location.clone(),
            routes: collector
                .routes
                .iter()
                .map(|route| RouteRow {
                    peer: route.peer.clone(),
                    prefix: route.prefix.clone(),
                    as_path: route.as_path_text.clone(),
                    communities: route
                        .communities
                        .iter()
                        .map(|c| communities::decode(*c))
                        .chain(
                            route
                                .large_communities
                                .iter()
                                .map(|c| communities::decode_large(*c)),
                        )
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Everything the cell shows, derived from a snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingContext {
    pub resource: String,
    /// Whether the resource is an AS (otherwise an address or a prefix).
    pub is_asn: bool,
    pub rows: Vec<CallRow>,
    /// For a prefix or address: the prefix RIPEstat answered about (maybe less specific).
    pub prefix: Option<PrefixOverview>,
    /// The AS looked up (for an AS) or the origin ASes (for a prefix), in that order.
    pub ases: Vec<AsContext>,
    pub announced: Option<AnnouncedPrefixes>,
    pub status: Option<RoutingStatus>,
    pub collectors: Vec<CollectorRoutes>,
    pub summary: String,
}

impl RoutingContext {
    /// The visibility of the resource's address family (both for an AS: IPv4 first).
    pub fn visibility(&self) -> Vec<(&'static str, Visibility)> {
        let Some(status) = &self.status else {
            return Vec::new();
        };
        let v6 = Resource::parse(&self.resource).is_ok_and(|r| r.is_v6());
        let mut out = Vec::new();
        if let Some(v4) = status.visibility_v4.filter(|_| self.is_asn || !v6) {
            out.push(("IPv4", v4));
        }
        if let Some(v6v) = status.visibility_v6.filter(|_| self.is_asn || v6) {
            out.push(("IPv6", v6v));
        }
        out
    }

    /// Routes in the looking glass, over all collectors.
    pub fn route_count(&self) -> usize {
        self.collectors.iter().map(|c| c.routes.len()).sum()
    }
}

fn as_label(asn: &AsContext) -> String {
    match &asn.holder {
        Some(holder) => format!("AS{} ({holder})", asn.asn),
        None => format!("AS{}", asn.asn),
    }
}

fn names(rows: &[NeighbourRow]) -> String {
    let mut text = rows
        .iter()
        .take(SUMMARY_NEIGHBOURS)
        .map(|row| format!("AS{}", row.asn))
        .collect::<Vec<_>>()
        .join(", ");
    if rows.len() > SUMMARY_NEIGHBOURS {
        text.push_str(", …");
    }
    text
}

fn summary(context: &RoutingContext) -> String {
    let mut parts: Vec<String> = Vec::new();
    let first = context.ases.first();
    if context.is_asn {
        let label = first.map_or_else(|| context.resource.clone(), as_label);
        match &context.announced {
            Some(announced) => parts.push(format!(
                "{label} announces {} prefix{}",
                announced.prefixes.len(),
                if announced.prefixes.len() == 1 {
                    ""
                } else {
                    "es"
                }
            )),
            None => parts.push(label),
        }
    } else {
        let prefix = context
            .prefix
            .as_ref()
            .map_or(context.resource.as_str(), |p| p.resource.as_str());
        let origins: Vec<String> = context.ases.iter().map(as_label).collect();
        if origins.is_empty() {
            parts.push(format!("{prefix}: origin AS not known from the answers"));
        } else {
            parts.push(format!(
                "{prefix} is originated by {}",
                origins.join(" and ")
            ));
        }
    }
    let seen: Vec<String> = context
        .visibility()
        .iter()
        .map(|(family, v)| {
            format!(
                "{} of {} RIS peers{}",
                v.peers_seeing,
                v.total_peers,
                if context.is_asn {
                    format!(" ({family})")
                } else {
                    String::new()
                }
            )
        })
        .collect();
    if !seen.is_empty() {
        parts.push(format!("seen by {}", seen.join(", ")));
    }
    if !context.is_asn && !context.collectors.is_empty() {
        parts.push(format!(
            "{} routes at {} RIS collectors",
            context.route_count(),
            context.collectors.len()
        ));
    }
    if let Some(table) = first.and_then(|a| a.neighbours.as_ref()) {
        if !table.upstreams.is_empty() {
            let whose = if context.is_asn {
                String::new()
            } else {
                format!(" of AS{}", table.asn)
            };
            parts.push(format!("upstreams{whose}: {}", names(&table.upstreams)));
        }
        if !table.downstreams.is_empty() {
            parts.push(format!("downstreams: {}", names(&table.downstreams)));
        }
    }
    let failed = context.rows.iter().filter(|r| r.problem.is_some()).count();
    let mut text = parts.join("; ");
    if failed > 0 {
        text.push_str(&format!(
            " ({failed} of {} lookups failed)",
            context.rows.len()
        ));
    }
    text
}

impl RoutingSnapshot {
    /// What the cell shows, from the stored responses alone.
    pub fn context(&self) -> RoutingContext {
        let resource = Resource::parse(&self.resource).ok();
        let is_asn = matches!(resource, Some(Resource::Asn(_)));
        let query = &self.resource;
        let rows = self
            .lookups
            .iter()
            .map(|lookup| CallRow {
                call: lookup.call,
                resource: lookup.resource.clone(),
                url: lookup.url.clone(),
                problem: problem_of(lookup),
            })
            .collect();
        let numbers: Vec<Asn> = match resource {
            Some(Resource::Asn(asn)) => vec![Asn {
                number: asn,
                holder: None,
            }],
            _ => origins_of(&self.lookups, query)
                .into_iter()
                .take(MAX_ORIGINS)
                .collect(),
        };
        let ases = numbers
            .into_iter()
            .map(|asn| {
                let name = format!("AS{}", asn.number);
                let overview = parsed(
                    &self.lookups,
                    RipestatCall::AsOverview,
                    &name,
                    as_overview::parse,
                );
                let neighbours = parsed(
                    &self.lookups,
                    RipestatCall::AsnNeighbours,
                    &name,
                    asn_neighbours::parse,
                );
                AsContext {
                    asn: asn.number,
                    holder: overview
                        .as_ref()
                        .and_then(|o| o.holder.clone())
                        .or(asn.holder),
                    overview,
                    neighbours: neighbours.as_ref().map(NeighbourTable::of),
                }
            })
            .collect();
        let mut context = RoutingContext {
            resource: self.resource.clone(),
            is_asn,
            rows,
            prefix: parsed(
                &self.lookups,
                RipestatCall::PrefixOverview,
                query,
                prefix_overview::parse,
            ),
            ases,
            announced: parsed(
                &self.lookups,
                RipestatCall::AnnouncedPrefixes,
                query,
                announced_prefixes::parse,
            ),
            status: parsed(
                &self.lookups,
                RipestatCall::RoutingStatus,
                query,
                routing_status::parse,
            ),
            collectors: parsed(
                &self.lookups,
                RipestatCall::LookingGlass,
                query,
                looking_glass::parse,
            )
            .map(|glass| collectors(&glass))
            .unwrap_or_default(),
            summary: String::new(),
        };
        context.summary = summary(&context);
        context
    }
}

/// "3 / 5 lookups" (and how many failed so far), for the cell's progress line.
/// The public addresses the notebook's DNS cells received, cell by cell, each once, at most `limit`:
/// the routing cell offers them, so the routing context of a name under investigation is one click
/// away. Special-purpose addresses (private, documentation, …) are left out, as for the origin
/// lookups, because RIPEstat knows nothing of them.
pub fn addresses_found(notebook: &super::Notebook, limit: usize) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for cell in &notebook.cells {
        let super::CellBody::Dns(dns) = &cell.body else {
            continue;
        };
        let Some(snapshot) = &dns.snapshot else {
            continue;
        };
        for address in snapshot.addresses_to_enrich() {
            if found.len() == limit {
                return found;
            }
            if !found.contains(&address) {
                found.push(address);
            }
        }
    }
    found
}

pub fn progress_text(done: usize, planned: usize, failed: usize) -> String {
    let mut text = format!("{done} / {planned} lookups");
    if failed > 0 {
        text.push_str(&format!(" ({failed} failed)"));
    }
    text
}

/// Whether a lookup counts as failed for the progress line.
pub fn lookup_failed(lookup: &RipestatLookup) -> bool {
    problem_of(lookup).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AS_OVERVIEW: &str = include_str!("../../tests/fixtures/ripestat/as-overview.json");
    const ANNOUNCED: &str = include_str!("../../tests/fixtures/ripestat/announced-prefixes.json");
    const STATUS: &str = include_str!("../../tests/fixtures/ripestat/routing-status.json");
    const NEIGHBOURS: &str = include_str!("../../tests/fixtures/ripestat/asn-neighbours.json");
    const GLASS: &str = include_str!("../../tests/fixtures/ripestat/looking-glass.TRIMMED.json");

    fn lookup(call: RipestatCall, resource: &str, status: u16, text: &str) -> RipestatLookup {
        RipestatLookup::of(
            call,
            "https://stat.ripe.net",
            resource,
            7,
            LookupOutcome::Response {
                status,
                text: text.to_string(),
            },
        )
    }

    #[test]
    fn the_addresses_dns_cells_found_are_offered_once_each() {
        use crate::notebook::dns::DnsCell;
        use crate::notebook::{Cell, CellBody, CellId, Notebook};
        let snapshot = std::rc::Rc::new(crate::notebook::dns::tests::snapshot_with(Vec::new()));
        let dns = |id| Cell {
            id: CellId(id),
            body: CellBody::Dns(DnsCell {
                snapshot: Some(snapshot.clone()),
                ..DnsCell::default()
            }),
        };
        let mut notebook = Notebook::blank();
        assert!(addresses_found(&notebook, 8).is_empty());
        notebook.cells.push(dns(2));
        notebook.cells.push(dns(3));
        // The recorded Google answer for img.alicdn.com: two addresses, however often it was asked.
        assert_eq!(
            addresses_found(&notebook, 8),
            ["111.32.130.108", "111.32.130.109"]
        );
        assert_eq!(addresses_found(&notebook, 1), ["111.32.130.108"]);
    }

    #[test]
    fn resources_are_validated_before_anything_is_sent() {
        assert_eq!(Resource::parse(" AS3333 "), Ok(Resource::Asn(3333)));
        assert_eq!(Resource::parse("as3333"), Ok(Resource::Asn(3333)));
        assert_eq!(
            Resource::parse("3333").map(|r| r.query()),
            Ok("AS3333".into())
        );
        assert_eq!(Resource::parse("4294967295"), Ok(Resource::Asn(u32::MAX)));
        assert!(matches!(
            Resource::parse("AS0"),
            Err(ResourceError::BadAsn(_))
        ));
        assert!(matches!(
            Resource::parse("AS4294967296"),
            Err(ResourceError::BadAsn(_))
        ));
        assert_eq!(
            Resource::parse("193.0.6.139").map(|r| r.query()),
            Ok("193.0.6.139".into())
        );
        assert_eq!(
            Resource::parse("2001:67c:2e8::/48").map(|r| r.query()),
            Ok("2001:67c:2e8::/48".into())
        );
        assert_eq!(
            Resource::parse("0.0.0.0/0").map(|r| r.query()),
            Ok("0.0.0.0/0".into())
        );
        assert_eq!(
            Resource::parse("140.78.2.62/16"),
            Err(ResourceError::HostBits {
                text: "140.78.2.62/16".into(),
                network: "140.78.0.0/16".into()
            })
        );
        assert!(matches!(
            Resource::parse("10.0.0.0/33"),
            Err(ResourceError::PrefixLength { max: 32, .. })
        ));
        for junk in [
            "example.com",
            "AS",
            "10.0.0.0/",
            "10.0.0.0/x",
            "1.2.3",
            "AS-3",
            "::1/+5",
        ] {
            assert!(
                matches!(Resource::parse(junk), Err(ResourceError::Unreadable(_))),
                "{junk}"
            );
        }
        assert_eq!(Resource::parse("  "), Err(ResourceError::Empty));
        let message = Resource::parse("example.com").unwrap_err().to_string();
        assert!(message.contains("AS3333") && message.ends_with("Nothing was sent."));
        assert!(
            Resource::parse("140.78.2.62/16")
                .unwrap_err()
                .to_string()
                .contains("did you mean 140.78.0.0/16?")
        );
    }

    #[test]
    fn an_asn_needs_four_calls_in_one_round() {
        let resource = Resource::Asn(3333);
        let needed = lookups_needed(&resource, &[]);
        assert_eq!(
            needed.iter().map(|(c, _)| c.name()).collect::<Vec<_>>(),
            [
                "as-overview",
                "announced-prefixes",
                "routing-status",
                "asn-neighbours"
            ]
        );
        assert!(needed.iter().all(|(_, r)| r == "AS3333"));
        let made: Vec<RipestatLookup> = needed
            .iter()
            .map(|(call, r)| lookup(*call, r, 500, "Internal Server Error"))
            .collect();
        assert!(
            lookups_needed(&resource, &made).is_empty(),
            "failures are not retried"
        );
        assert_eq!(resource.expected_lookups(), needed.len());
    }

    #[test]
    fn a_prefix_asks_its_origin_in_a_second_round() {
        let resource = Resource::parse("140.78.0.0/16").unwrap();
        let first = lookups_needed(&resource, &[]);
        assert_eq!(
            first.iter().map(|(c, _)| c.name()).collect::<Vec<_>>(),
            ["prefix-overview", "routing-status", "looking-glass"]
        );
        // prefix-overview and routing-status failed: the origin comes from the looking-glass routes.
        let made = vec![
            lookup(
                RipestatCall::PrefixOverview,
                "140.78.0.0/16",
                404,
                "not recorded",
            ),
            lookup(RipestatCall::RoutingStatus, "140.78.0.0/16", 500, "oops"),
            lookup(RipestatCall::LookingGlass, "140.78.0.0/16", 200, GLASS),
        ];
        assert_eq!(
            lookups_needed(&resource, &made),
            [
                (RipestatCall::AsOverview, "AS1205".to_string()),
                (RipestatCall::AsnNeighbours, "AS1205".to_string())
            ]
        );
        assert_eq!(
            made[2].url,
            "https://stat.ripe.net/data/looking-glass/data.json?resource=140.78.0.0%2F16&sourceapp=vantage"
        );
    }

    fn as3333_snapshot(neighbours: RipestatLookup) -> RoutingSnapshot {
        RoutingSnapshot {
            resource: "AS3333".into(),
            started_at_unix_ms: 1,
            finished_at_unix_ms: 2,
            cancelled: false,
            lookups: vec![
                lookup(RipestatCall::AsOverview, "AS3333", 200, AS_OVERVIEW),
                lookup(RipestatCall::AnnouncedPrefixes, "AS3333", 200, ANNOUNCED),
                lookup(RipestatCall::RoutingStatus, "AS3333", 200, STATUS),
                neighbours,
            ],
            notes: Vec::new(),
        }
    }

    #[test]
    fn an_asn_context_names_holder_prefixes_visibility_and_the_failed_call() {
        let failed = lookup(
            RipestatCall::AsnNeighbours,
            "AS3333",
            500,
            "Internal Server Error",
        );
        let context = as3333_snapshot(failed).context();
        assert!(context.is_asn);
        assert_eq!(
            context.ases[0].holder.as_deref(),
            Some("RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC)")
        );
        assert_eq!(
            context.announced.as_ref().map(|a| a.prefixes.len()),
            Some(7)
        );
        let visibility = context.visibility();
        assert_eq!(visibility.len(), 2);
        assert_eq!(
            (visibility[0].1.peers_seeing, visibility[0].1.total_peers),
            (343, 344)
        );
        let problems: Vec<&CallRow> = context
            .rows
            .iter()
            .filter(|r| r.problem.is_some())
            .collect();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].call, RipestatCall::AsnNeighbours);
        assert!(
            problems[0]
                .problem
                .as_deref()
                .unwrap_or_default()
                .starts_with("HTTP 500"),
            "{problems:?}"
        );
        assert!(
            context.summary.starts_with(
                "AS3333 (RIPE-NCC-AS - Reseaux IP Europeens Network Coordination Centre (RIPE NCC)) announces 7 prefixes; seen by 343 of 344 RIS peers (IPv4), 340 of "
            ),
            "{}",
            context.summary
        );
        assert!(
            context.summary.ends_with("(1 of 4 lookups failed)"),
            "{}",
            context.summary
        );
    }

    #[test]
    fn neighbours_are_sorted_by_power_per_side() {
        let context = RoutingSnapshot {
            resource: "AS12386".into(),
            lookups: vec![lookup(
                RipestatCall::AsnNeighbours,
                "AS12386",
                200,
                NEIGHBOURS,
            )],
            ..as3333_snapshot(lookup(RipestatCall::AsOverview, "x", 200, ""))
        }
        .context();
        let table = context.ases[0].neighbours.as_ref().unwrap();
        let up: Vec<(u32, Option<u64>)> =
            table.upstreams.iter().map(|r| (r.asn, r.power)).collect();
        assert_eq!(up, [(12479, Some(941)), (8220, Some(14)), (25259, Some(5))]);
        let down: Vec<u32> = table.downstreams.iter().map(|r| r.asn).collect();
        assert_eq!(down, [25259, 13041, 8220]);
        assert!(
            context.summary.contains(
                "upstreams: AS12479, AS8220, AS25259; downstreams: AS25259, AS13041, AS8220"
            ),
            "{}",
            context.summary
        );
    }

    #[test]
    fn a_prefix_context_decodes_every_community_of_every_route() {
        let snapshot = RoutingSnapshot {
            resource: "140.78.0.0/16".into(),
            started_at_unix_ms: 1,
            finished_at_unix_ms: 2,
            cancelled: false,
            lookups: vec![lookup(
                RipestatCall::LookingGlass,
                "140.78.0.0/16",
                200,
                GLASS,
            )],
            notes: Vec::new(),
        };
        let context = snapshot.context();
        assert!(!context.is_asn);
        assert_eq!(context.collectors.len(), 3);
        assert_eq!(context.route_count(), 9);
        assert_eq!(context.ases[0].asn, 1205);
        let first = &context.collectors[0].routes[0];
        assert_eq!(first.as_path, "34854 6939 1853 1853 1205");
        assert_eq!(first.communities[0].community, "34854:1000");
        assert!(
            first.communities[0]
                .note
                .contains("meaning not in the dictionary")
        );
        let last = context.collectors[2].routes.last().unwrap();
        assert_eq!(last.communities.len(), 10, "9 standard and 1 large");
        assert_eq!(last.communities[9].community, "26162:0:6939");
        assert!(
            context
                .summary
                .starts_with("140.78.0.0/16 is originated by AS1205; 9 routes at 3 RIS collectors"),
            "{}",
            context.summary
        );
        // A well-known community gets its meaning and source from the dictionary.
        let known = communities::decode(communities::Community {
            asn: 65535,
            value: 65281,
        });
        assert!(known.meaning.is_some() && known.source.is_some());
    }

    #[test]
    fn snapshots_and_cells_round_trip_and_minimal_ones_read() {
        let snapshot = as3333_snapshot(lookup(
            RipestatCall::AsnNeighbours,
            "AS3333",
            200,
            NEIGHBOURS,
        ));
        let text = serde_json::to_string(&snapshot).unwrap();
        assert!(text.contains(r#""call":"asn-neighbours""#), "{text}");
        let back: RoutingSnapshot = serde_json::from_str(&text).unwrap();
        assert_eq!(back, snapshot);
        let cell: RoutingCell = serde_json::from_str("{}").unwrap();
        assert_eq!(cell, RoutingCell::default());
        // A hand-edited snapshot with an unknown resource shows its rows and says no origin.
        let odd = RoutingSnapshot {
            resource: "nonsense".into(),
            lookups: vec![lookup(RipestatCall::PrefixOverview, "nonsense", 200, "{}")],
            ..snapshot
        };
        let context = odd.context();
        assert_eq!(context.rows.len(), 1);
        assert!(context.rows[0].problem.is_some());
        assert!(context.summary.contains("origin AS not known"));
    }

    #[test]
    fn refusals_and_failures_say_what_happened() {
        let refused = lookup(
            RipestatCall::AsOverview,
            "AS3333",
            429,
            r#"{"status":"error","status_code":429,"messages":[["error","Rate limited"]],"data":{}}"#,
        );
        assert_eq!(
            problem_of(&refused).as_deref(),
            Some("RIPEstat refused the query (status 429): Rate limited; try again later")
        );
        let unreachable = RipestatLookup {
            outcome: LookupOutcome::Failed {
                reason: "Could not reach x".into(),
            },
            ..refused
        };
        assert!(lookup_failed(&unreachable));
        assert_eq!(progress_text(3, 5, 1), "3 / 5 lookups (1 failed)");
    }
}
