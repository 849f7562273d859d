//! The routing-context cell's part of the notebook: the resource the author typed (an AS number, an
//! address or a prefix), validated here before anything is sent, and the snapshot of every RIPEstat
//! response as received. Which calls a resource needs (`lookups_needed`, in two rounds for a prefix:
//! its origin AS is only known from the first) and everything the cell shows (origin and holder,
//! announced prefixes, visibility, neighbours, looking-glass routes with decoded communities, the
//! summary line) are derived from the stored responses, so a shared link shows the same offline.
//! Communities the dictionary does not explain send one more batch of `whois` calls, one per
//! community AS (`remark_ases`); of those replies only the meanings read in the aut-num remarks are
//! kept (`CommunityRemarks`), each with its remark line.
//! No I/O: `net` sends what is asked and hands back what came.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::dns::{LookupOutcome, RipestatCall, RipestatLookup, response_text};
use crate::paths::communities::{self, Decoded};
use crate::paths::remarks::{self, AutNumMeanings};
use crate::ripestat::announced_prefixes::{self, AnnouncedPrefixes};
use crate::ripestat::as_overview::{self, AsOverview};
use crate::ripestat::asn_neighbours::{self, AsnNeighbours, Neighbour, Side};
use crate::ripestat::looking_glass::{self, LookingGlass};
use crate::ripestat::prefix_overview::{self, PrefixOverview};
use crate::ripestat::routing_status::{self, RoutingStatus, Visibility};
use crate::ripestat::whois;
use crate::ripestat::{Asn, RipestatError};

/// Origin ASes of one prefix looked up further, at most: more than this is a multi-origin mess the
/// first ones already show, and each costs two more calls to a shared public service.
pub const MAX_ORIGINS: usize = 3;
/// Announced prefixes listed by name; the rest are counted.
pub const PREFIXES_SHOWN: usize = 10;
/// Neighbours named in the summary line, per side.
const SUMMARY_NEIGHBOURS: usize = 5;
/// Community ASes whose aut-num remarks one look-up reads, at most: a collector's routes carry the
/// communities of a dozen networks, each `whois` reply can run to megabytes for a large carrier, and
/// RIPEstat is a shared public service.
pub const MAX_REMARK_ASES: usize = 10;

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
    /// What the aut-num remarks of the communities' ASes say (added after the first file format;
    /// absent in older notebooks, which read unchanged and show the dictionary's meanings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_remarks: Option<CommunityRemarks>,
}

/// The community meanings read in aut-num remarks (RIPEstat `whois`), per community AS asked.
///
/// Unlike the other calls, the replies are not kept as received: a carrier's aut-num lists its
/// whole import and export policy (megabytes for some), far too much for a share link. What the
/// remark reader took from them is kept instead, each meaning with the exact line it was read in,
/// so the evidence travels and a reader can check it against the registry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CommunityRemarks {
    #[serde(default)]
    pub fetched_at_unix_ms: i64,
    #[serde(default)]
    pub ases: Vec<AsRemarks>,
    /// Community ASes beyond `MAX_REMARK_ASES`, not asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_asked: Vec<u32>,
}

/// One community AS asked: the call made and what it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsRemarks {
    pub asn: u32,
    pub url: String,
    pub outcome: RemarksOutcome,
}

/// What the `whois` call about one AS gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RemarksOutcome {
    /// The reply was read: the meanings of each aut-num object of the AS (none when it has no
    /// aut-num in RIPEstat's answer).
    Read { aut_nums: Vec<AutNumMeanings> },
    /// The call failed or its reply could not be used; why, for the one line that lists failures.
    Failed { reason: String },
}

impl CommunityRemarks {
    /// Every aut-num read, for the decoder.
    pub fn books(&self) -> Vec<AutNumMeanings> {
        self.ases
            .iter()
            .flat_map(|asked| match &asked.outcome {
                RemarksOutcome::Read { aut_nums } => aut_nums.clone(),
                RemarksOutcome::Failed { .. } => Vec::new(),
            })
            .collect()
    }
}

/// The remarks of one AS from its `whois` lookup: the meanings of each of its aut-num objects, or
/// why there are none.
pub fn remarks_of(asn: u32, lookup: &RipestatLookup) -> AsRemarks {
    let outcome = match (problem_of(lookup), response_text(lookup)) {
        (None, Some(text)) => match whois::parse(text) {
            Ok(reply) => RemarksOutcome::Read {
                aut_nums: reply.aut_nums(asn).iter().map(remarks::read).collect(),
            },
            Err(error) => RemarksOutcome::Failed {
                reason: error.to_string(),
            },
        },
        (Some(reason), _) => RemarksOutcome::Failed { reason },
        (None, None) => RemarksOutcome::Failed {
            reason: "no reply".to_string(),
        },
    };
    AsRemarks {
        asn,
        url: lookup.url.clone(),
        outcome,
    }
}

/// The `whois` lookups of one batch (`call` Whois, `resource` "AS<n>") as the snapshot keeps them.
pub fn community_remarks(
    lookups: &[RipestatLookup],
    not_asked: Vec<u32>,
    fetched_at_unix_ms: i64,
) -> CommunityRemarks {
    CommunityRemarks {
        fetched_at_unix_ms,
        ases: lookups
            .iter()
            .filter(|lookup| lookup.call == RipestatCall::Whois)
            .filter_map(|lookup| {
                let asn = Resource::parse(&lookup.resource)
                    .ok()
                    .and_then(|r| match r {
                        Resource::Asn(asn) => Some(asn),
                        _ => None,
                    })?;
                Some(remarks_of(asn, lookup))
            })
            .collect(),
        not_asked,
    }
}

/// The community ASes whose aut-num remarks a look-up should read: those of the routes' communities
/// the dictionary does not explain, that have registry entries at all (not private or documentation
/// numbers), each once in the order the routes show them, and not read already. The first
/// `MAX_REMARK_ASES` are to be asked; the rest are returned apart, to be named as not asked.
pub fn remark_ases(snapshot: &RoutingSnapshot) -> (Vec<u32>, Vec<u32>) {
    let glass = parsed(
        &snapshot.lookups,
        RipestatCall::LookingGlass,
        &snapshot.resource,
        looking_glass::parse,
    );
    let done: Vec<u32> = snapshot
        .community_remarks
        .iter()
        .flat_map(|remarks| remarks.ases.iter().map(|asked| asked.asn))
        .collect();
    let mut wanted: Vec<u32> = Vec::new();
    for route in glass.iter().flat_map(|glass| glass.routes()) {
        let unexplained = route
            .communities
            .iter()
            .map(|c| communities::decode(*c))
            .chain(
                route
                    .large_communities
                    .iter()
                    .map(|c| communities::decode_large(*c)),
            )
            .filter(|decoded| decoded.meaning.is_none())
            .filter_map(|decoded| decoded.asn);
        for asn in unexplained {
            if communities::has_registry_entry(asn)
                && !done.contains(&asn)
                && !wanted.contains(&asn)
            {
                wanted.push(asn);
            }
        }
    }
    let rest = wanted.split_off(wanted.len().min(MAX_REMARK_ASES));
    (wanted, rest)
}

/// The one line about the remarks that could not be read or were not asked ("Aut-num remarks not
/// read for AS1120, AS15692 (HTTP 404 from RIPEstat: …); not asked for AS6908 (at most 10 ASes per
/// look-up)"). Never a finding: it says what the meanings shown could not draw on.
pub fn remarks_note(remarks: &CommunityRemarks) -> Option<String> {
    // Failures grouped by reason, in the order they first occur.
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for asked in &remarks.ases {
        if let RemarksOutcome::Failed { reason } = &asked.outcome {
            let name = format!("AS{}", asked.asn);
            match groups.iter_mut().find(|(r, _)| *r == reason.as_str()) {
                Some((_, names)) => names.push(name),
                None => groups.push((reason.as_str(), vec![name])),
            }
        }
    }
    let mut parts: Vec<String> = Vec::new();
    if !groups.is_empty() {
        let failed: Vec<String> = groups
            .iter()
            .map(|(reason, names)| format!("{} ({reason})", names.join(", ")))
            .collect();
        parts.push(format!("not read for {}", failed.join("; ")));
    }
    if !remarks.not_asked.is_empty() {
        let names: Vec<String> = remarks
            .not_asked
            .iter()
            .map(|asn| format!("AS{asn}"))
            .collect();
        parts.push(format!(
            "not asked for {} (at most {MAX_REMARK_ASES} ASes per look-up)",
            names.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| format!("Aut-num remarks {}.", parts.join("; ")))
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

fn collectors(glass: &LookingGlass, remarks: &[AutNumMeanings]) -> Vec<CollectorRoutes> {
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
                        .map(|c| communities::decode_with(*c, remarks))
                        .chain(
                            route
                                .large_communities
                                .iter()
                                .map(|c| communities::decode_large_with(*c, remarks)),
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
    /// The one line on aut-num remarks not read or not asked, when there are such.
    pub remarks_note: Option<String>,
}

impl RoutingContext {
    /// Every community of the routes whose meaning was read in aut-num remarks, each once, in the
    /// order the routes show them.
    pub fn remark_meanings(&self) -> Vec<&Decoded> {
        let mut seen: Vec<&Decoded> = Vec::new();
        for decoded in self
            .collectors
            .iter()
            .flat_map(|c| &c.routes)
            .flat_map(|r| &r.communities)
            .filter(|d| d.remark.is_some())
        {
            if !seen.iter().any(|s| s.community == decoded.community) {
                seen.push(decoded);
            }
        }
        seen
    }

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
            .map(|glass| {
                let books = self
                    .community_remarks
                    .as_ref()
                    .map(CommunityRemarks::books)
                    .unwrap_or_default();
                collectors(&glass, &books)
            })
            .unwrap_or_default(),
            summary: String::new(),
            remarks_note: self.community_remarks.as_ref().and_then(remarks_note),
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

/// "Reading aut-num remarks for community meanings (RIPEstat whois): 3 / 10", for the progress line.
pub fn remarks_progress_text(done: usize, planned: usize) -> String {
    format!("Reading aut-num remarks for community meanings (RIPEstat whois): {done} / {planned}")
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
    const PREFIX_WHOIS: &str = include_str!("../../tests/fixtures/ripestat/whois.json");

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
            community_remarks: None,
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
            community_remarks: None,
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

    const WHOIS_60614: &str =
        include_str!("../../tests/fixtures/ripestat/whois-AS60614.GENERATED-FROM-REAL.json");
    const WHOIS_8283: &str =
        include_str!("../../tests/fixtures/ripestat/whois-AS8283.GENERATED-FROM-REAL.json");

    fn glass_snapshot(glass: &str) -> RoutingSnapshot {
        RoutingSnapshot {
            resource: "140.78.0.0/16".into(),
            lookups: vec![lookup(
                RipestatCall::LookingGlass,
                "140.78.0.0/16",
                200,
                glass,
            )],
            ..as3333_snapshot(lookup(RipestatCall::AsOverview, "x", 200, ""))
        }
    }

    #[test]
    fn the_communities_the_dictionary_leaves_unexplained_name_at_most_ten_ases_in_route_order() {
        let mut snapshot = glass_snapshot(GLASS);
        let (asked, not_asked) = remark_ases(&snapshot);
        // Listed independently with Python: the public ASes of the recorded routes' communities in
        // the order the routes show them (the private 65100–65105 are left out).
        assert_eq!(
            asked,
            [
                34854, 59919, 1120, 1853, 33891, 50673, 15692, 8218, 6908, 38008
            ]
        );
        assert_eq!(not_asked, [53427, 26162]);
        // An AS already read is not asked again; the next ones move up.
        snapshot.community_remarks = Some(community_remarks(
            &[lookup(RipestatCall::Whois, "AS34854", 404, "not recorded")],
            Vec::new(),
            3,
        ));
        let (asked, not_asked) = remark_ases(&snapshot);
        assert_eq!(asked[0], 59919);
        assert_eq!(asked.len(), MAX_REMARK_ASES);
        assert_eq!(not_asked, [26162]);
        // An AS resource has no routes, so nothing to read.
        assert_eq!(
            remark_ases(&as3333_snapshot(lookup(
                RipestatCall::AsnNeighbours,
                "AS3333",
                200,
                NEIGHBOURS
            ))),
            (Vec::new(), Vec::new())
        );
    }

    #[test]
    fn remark_meanings_decode_the_routes_and_failures_make_one_line_not_a_finding() {
        // SYNTHETIC edit of the recorded routes: 34854:1000 becomes 60614:200 and 59919:65002
        // becomes 8283:150, so communities of the two recorded aut-nums appear on them.
        let glass = GLASS
            .replace("34854:1000", "60614:200")
            .replace("59919:65002", "8283:150");
        let mut snapshot = glass_snapshot(&glass);
        let before = snapshot.context().summary;
        let (asked, not_asked) = remark_ases(&snapshot);
        assert_eq!(&asked[..2], [60614, 8283]);
        let lookups: Vec<RipestatLookup> = asked
            .iter()
            .map(|asn| {
                let resource = format!("AS{asn}");
                match asn {
                    60614 => lookup(RipestatCall::Whois, &resource, 200, WHOIS_60614),
                    8283 => lookup(RipestatCall::Whois, &resource, 200, WHOIS_8283),
                    // The prefix reply names no aut-num: read, with nothing in it.
                    1120 => lookup(RipestatCall::Whois, &resource, 200, PREFIX_WHOIS),
                    _ => lookup(RipestatCall::Whois, &resource, 404, "not recorded"),
                }
            })
            .collect();
        snapshot.community_remarks = Some(community_remarks(&lookups, not_asked, 5));
        let remarks = snapshot.community_remarks.as_ref().unwrap();
        assert_eq!(remarks.ases.len(), 10);
        assert_eq!(
            remarks.ases[0].url,
            "https://stat.ripe.net/data/whois/data.json?resource=AS60614&sourceapp=vantage"
        );
        assert!(
            matches!(&remarks.ases[2].outcome, RemarksOutcome::Read { aut_nums } if aut_nums.is_empty())
        );

        let context = snapshot.context();
        let first = &context.collectors[0].routes[0].communities[0];
        assert_eq!(first.community, "60614:200");
        assert_eq!(first.meaning.as_deref(), Some("Learned from Upstream"));
        let evidence = first.remark.as_ref().unwrap();
        assert_eq!(evidence.line, "60614:200 Learned from Upstream");
        assert_eq!(
            evidence.origin(),
            "from the aut-num remarks of AS60614 (source: RIPE via RIPEstat whois)"
        );
        assert_eq!(
            first.source.as_deref(),
            Some("from the aut-num remarks of AS60614 (source: RIPE via RIPEstat whois)")
        );
        let meanings: Vec<(&str, &str)> = context
            .remark_meanings()
            .iter()
            .map(|d| {
                (
                    d.community.as_str(),
                    d.remark.as_ref().unwrap().line.as_str(),
                )
            })
            .collect();
        assert_eq!(
            meanings,
            [
                ("60614:200", "60614:200 Learned from Upstream"),
                (
                    "8283:150",
                    "8283:150  | 8283:1:150 | Set LOCAL_PREF to 150 (default is 100)"
                )
            ]
        );
        // Everything else reads as before, and the summary (the finding) is unchanged.
        assert_eq!(context.summary, before);
        assert!(
            context
                .rows
                .iter()
                .all(|row| row.call != RipestatCall::Whois)
        );
        assert_eq!(
            context.remarks_note.as_deref(),
            Some(
                "Aut-num remarks not read for AS1853, AS33891, AS50673, AS15692, AS8218, AS6908, \
                 AS38008 (HTTP 404 from RIPEstat: the call failed; try again later); not asked for \
                 AS53427, AS26162 (at most 10 ASes per look-up)."
            )
        );

        // The snapshot travels with its meanings and reads back the same; one without them (an
        // older notebook) reads too and shows the dictionary's meanings only.
        let text = serde_json::to_string(&snapshot).unwrap();
        assert!(text.contains(r#""community_remarks""#));
        assert!(
            !text.contains("as-block"),
            "only the meanings are kept, not the replies"
        );
        let back: RoutingSnapshot = serde_json::from_str(&text).unwrap();
        assert_eq!(back, snapshot);
        assert_eq!(back.context(), context);
        let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
        old.as_object_mut().unwrap().remove("community_remarks");
        let old: RoutingSnapshot = serde_json::from_value(old).unwrap();
        assert_eq!(old.community_remarks, None);
        let plain = &old.context().collectors[0].routes[0].communities[0];
        assert_eq!(plain.meaning, None);
        assert_eq!(
            plain.note,
            "AS60614 community 60614:200, meaning not in the dictionary"
        );
    }

    #[test]
    fn a_reply_that_does_not_read_is_a_failure_with_its_reason() {
        let failed = remarks_of(
            64500,
            &lookup(
                RipestatCall::Whois,
                "AS64500",
                200,
                r#"{"status":"ok","data":{}}"#,
            ),
        );
        assert_eq!(
            failed.outcome,
            RemarksOutcome::Failed {
                reason: "RIPEstat's reply lacks its \"records\" and \"irr_records\" lists"
                    .to_string()
            }
        );
        let unreachable = RipestatLookup {
            outcome: LookupOutcome::Failed {
                reason: "Could not reach RIPEstat".into(),
            },
            ..lookup(RipestatCall::Whois, "AS1", 200, "")
        };
        assert_eq!(
            remarks_of(1, &unreachable).outcome,
            RemarksOutcome::Failed {
                reason: "Could not reach RIPEstat".into()
            }
        );
        // A lookup of another call, or about something that is not an AS, is not a remark.
        let others = community_remarks(
            &[
                lookup(RipestatCall::AsOverview, "AS1", 200, AS_OVERVIEW),
                lookup(RipestatCall::Whois, "192.0.2.0/24", 200, PREFIX_WHOIS),
            ],
            vec![7],
            1,
        );
        assert!(others.ases.is_empty());
        assert_eq!(
            remarks_note(&others).as_deref(),
            Some("Aut-num remarks not asked for AS7 (at most 10 ASes per look-up).")
        );
        assert_eq!(remarks_note(&CommunityRemarks::default()), None);
        assert_eq!(
            remarks_progress_text(3, 10),
            "Reading aut-num remarks for community meanings (RIPEstat whois): 3 / 10"
        );
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
