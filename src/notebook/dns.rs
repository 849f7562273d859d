//! The DNS cell's part of the notebook: what the author asked (a name, record types, resolvers and
//! the client subnets to emulate) and the snapshot the fan-out produced: every DoH exchange as
//! received (URL, subnet, HTTP status, body as text or base64, response time, when) and the RIPEstat
//! responses used for the origins of the answered addresses.
//!
//! Everything the cell shows (observations, answer matrices, verdicts, origins, the comparison of
//! two runs) is derived here from the snapshot through the DNS core (`dns::fanout`, `dns::matrix`,
//! `ripestat`, `rerun`), so a shared link shows the same answers without contacting anyone. So are
//! the answer matrices of an Atlas snapshot's DNS results (`atlas_matrices`). No I/O: `net` sends
//! what `DnsRequest::plan` and `origin_lookups_needed` ask for, and hands back what came.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::AtlasSnapshot;
use crate::dns::doh::{DohProtocol, DohRequest, Resolver};
use crate::dns::fanout::{self, PlannedQuery, Transport};
use crate::dns::matrix::{self, AnswerMatrix, Observation};
use crate::dns::subnets::{self, EcsSubnet};
use crate::dns::wire::QueryError;
use crate::dns::{ClientSubnet, RecordType};
use crate::rerun::{self, ProbeOutcome};
use crate::ripestat::{
    Origin, announced_prefixes, as_overview, asn_neighbours, looking_glass, network_info,
    prefix_overview, reverse_dns_ip, routing_status, whois,
};
use crate::settings::Settings;

/// More queries than this in one run are refused: the resolvers are public services, and a matrix of
/// hundreds of rows is unreadable anyway (all 61 countries × 13 types × Google alone is 793).
pub const MAX_QUERIES: usize = 400;
/// Addresses looked up at RIPEstat per run, at most (two calls each): RIPEstat asks for fair use and
/// a name with more distinct addresses than this is a rotation the first ones already show.
pub const MAX_ORIGIN_ADDRESSES: usize = 40;

/// A DNS cell: the author's request and the snapshot it produced.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DnsCell {
    #[serde(default)]
    pub request: DnsRequest,
    /// Behind an `Rc` for the same reason as Atlas snapshots: the reducer clones the notebook often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<std::rc::Rc<DnsSnapshot>>,
    /// The snapshot of the run before the last one, kept when the author runs again, so the cell
    /// can show what changed (answers, RCODEs, response times) per vantage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<std::rc::Rc<DnsSnapshot>>,
}

impl DnsCell {
    /// The last two runs compared per vantage, when there are two with exchanges for the same name.
    pub fn comparison(&self) -> Option<crate::rerun::Comparison> {
        compare_runs(self.previous.as_ref()?, self.snapshot.as_ref()?)
    }
}

/// Two runs of a DNS cell compared per vantage; `None` when they asked about different names or
/// one has no exchanges.
pub fn compare_runs(before: &DnsSnapshot, after: &DnsSnapshot) -> Option<crate::rerun::Comparison> {
    if before.name != after.name {
        return None;
    }
    let (before, after) = (outcomes_from_doh(before), outcomes_from_doh(after));
    (!before.is_empty() && !after.is_empty()).then(|| crate::rerun::compare(&before, &after))
}

/// One outcome per vantage of a DoH fan-out (a resolver asked for one emulated client, per record
/// type), keyed "TYPE vantage": the answer set, the response time, and the RCODE or the failure as
/// status. A DoH run has no probes; its vantages are what "the same probes" means for it.
pub fn outcomes_from_doh(snapshot: &DnsSnapshot) -> Vec<ProbeOutcome> {
    snapshot
        .observations_by_type()
        .into_iter()
        .flat_map(|(rtype, observations)| {
            observations.into_iter().map(move |(_, observation)| {
                let label = format!("{rtype} · {}", observation.vantage.label());
                let status = match (&observation.rcode, &observation.failure, &observation.error) {
                    (Some(rcode), _, _) => Some(rcode.to_string()),
                    (None, _, Some(error)) => Some(format!("failed: {error}")),
                    (None, Some(failure), None) => Some(format!("failed: {failure:?}")),
                    (None, None, None) => Some("no answer".to_string()),
                };
                ProbeOutcome {
                    key: label.clone(),
                    label,
                    rtt_ms: observation.rt_ms,
                    path: Vec::new(),
                    answers: rerun::atlas_answers(&observation.answers),
                    status,
                }
            })
        })
        .collect()
}

/// What the author asked, as chosen in the form (an invalid name is kept for correction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnsRequest {
    #[serde(default)]
    pub name: String,
    #[serde(default = "default_types")]
    pub types: Vec<RecordType>,
    #[serde(default)]
    pub resolvers: ResolverChoice,
    #[serde(default)]
    pub vantages: VantageChoice,
}

fn default_types() -> Vec<RecordType> {
    vec![RecordType::A]
}

impl Default for DnsRequest {
    fn default() -> DnsRequest {
        DnsRequest {
            name: String::new(),
            types: default_types(),
            resolvers: ResolverChoice::default(),
            vantages: VantageChoice::default(),
        }
    }
}

/// Which resolvers to ask. The user's own RFC 8484 resolvers are named by their label in the
/// settings: the addresses stay in this browser, only the label travels with the notebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResolverChoice {
    pub google: bool,
    pub cloudflare: bool,
    pub custom: Vec<String>,
}

impl Default for ResolverChoice {
    fn default() -> ResolverChoice {
        ResolverChoice {
            google: true,
            cloudflare: true,
            custom: Vec::new(),
        }
    }
}

/// Which clients to emulate with EDNS Client Subnet (resolvers that take no subnet are asked once).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VantageChoice {
    /// No subnet: each resolver answers as it would for this browser.
    NoSubnet,
    /// The best-sampled country of each continent (`subnets::one_per_continent`).
    #[default]
    OnePerContinent,
    /// The best-sampled few countries of each continent (`subnets::several_per_continent`).
    SeveralPerContinent,
    /// Every country of the shipped table.
    AllCountries,
    /// Countries by ISO code, as typed ("DE, JP, US").
    Countries { list: String },
}

/// Why a request cannot be sent; each message says what to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsRequestError {
    Name(QueryError),
    NoTypes,
    NoResolvers,
    /// A resolver the cell names is not (or no longer) in this browser's settings.
    UnknownResolver(String),
    NoCountries,
    UnknownCountries(Vec<String>),
    TooMany {
        queries: usize,
    },
}

impl fmt::Display for DnsRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsRequestError::Name(error) => {
                let text = error.to_string();
                let mut chars = text.chars();
                let capitalised: String = chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
                write!(f, "{capitalised}. Nothing was sent.")
            }
            DnsRequestError::NoTypes => write!(f, "Tick at least one record type."),
            DnsRequestError::NoResolvers => write!(f, "Tick at least one resolver."),
            DnsRequestError::UnknownResolver(label) => write!(
                f,
                "The resolver \"{label}\" is not in this browser's settings: add it under Settings \
                 (one \"label URL\" per line) or untick it."
            ),
            DnsRequestError::NoCountries => write!(
                f,
                "List at least one country code (e.g. DE, JP, US), or choose another set of vantages."
            ),
            DnsRequestError::UnknownCountries(codes) => write!(
                f,
                "No client subnet is known for {}. Countries with one: {}.",
                codes.join(", "),
                subnets::ecs_subnets()
                    .iter()
                    .map(|s| s.country.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DnsRequestError::TooMany { queries } => write!(
                f,
                "This would send {queries} queries (at most {MAX_QUERIES} per run): choose fewer \
                 record types, resolvers or vantages."
            ),
        }
    }
}

impl DnsRequest {
    /// The client subnets the request emulates.
    pub fn subnets(&self) -> Result<Vec<EcsSubnet>, DnsRequestError> {
        let table = subnets::ecs_subnets();
        match &self.vantages {
            VantageChoice::NoSubnet => Ok(Vec::new()),
            VantageChoice::OnePerContinent => Ok(subnets::one_per_continent(&table)),
            VantageChoice::SeveralPerContinent => Ok(subnets::several_per_continent(&table)),
            VantageChoice::AllCountries => Ok(table),
            VantageChoice::Countries { list } => {
                let mut chosen: Vec<EcsSubnet> = Vec::new();
                let mut unknown = Vec::new();
                for code in list
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .map(|code| code.trim().to_ascii_uppercase())
                    .filter(|code| !code.is_empty())
                {
                    match table.iter().find(|subnet| subnet.country == code) {
                        Some(subnet) if !chosen.contains(subnet) => chosen.push(subnet.clone()),
                        Some(_) => {}
                        None if !unknown.contains(&code) => unknown.push(code),
                        None => {}
                    }
                }
                if !unknown.is_empty() {
                    Err(DnsRequestError::UnknownCountries(unknown))
                } else if chosen.is_empty() {
                    Err(DnsRequestError::NoCountries)
                } else {
                    Ok(chosen)
                }
            }
        }
    }

    /// The resolvers the request names, at the addresses of this browser's settings.
    pub fn resolvers(&self, settings: &Settings) -> Result<Vec<Resolver>, DnsRequestError> {
        let mut resolvers = Vec::new();
        if self.resolvers.google {
            resolvers.push(settings.google_resolver());
        }
        if self.resolvers.cloudflare {
            resolvers.push(settings.cloudflare_resolver());
        }
        for label in &self.resolvers.custom {
            resolvers.push(
                settings
                    .custom_resolver(label)
                    .ok_or_else(|| DnsRequestError::UnknownResolver(label.clone()))?,
            );
        }
        if resolvers.is_empty() {
            return Err(DnsRequestError::NoResolvers);
        }
        Ok(resolvers)
    }

    /// Every query to send, or why none can be: the checks run before anything goes out.
    pub fn plan(&self, settings: &Settings) -> Result<Vec<PlannedQuery>, DnsRequestError> {
        // The name first: it is what the author most likely mistyped.
        crate::dns::wire::validate_name(&self.name).map_err(DnsRequestError::Name)?;
        let mut types: Vec<RecordType> = Vec::new();
        for rtype in &self.types {
            if !types.contains(rtype) {
                types.push(*rtype);
            }
        }
        if types.is_empty() {
            return Err(DnsRequestError::NoTypes);
        }
        let resolvers = self.resolvers(settings)?;
        let subnets = self.subnets()?;
        let planned = fanout::plan(&self.name, &types, &resolvers, &subnets)
            .map_err(DnsRequestError::Name)?;
        if planned.len() > MAX_QUERIES {
            return Err(DnsRequestError::TooMany {
                queries: planned.len(),
            });
        }
        Ok(planned)
    }
}

/// The client subnet a query carried and the real network it was drawn from (`dns::subnets`), kept so
/// the snapshot explains itself even if the shipped table changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubnetUsed {
    pub country: String,
    pub subnet: ClientSubnet,
    pub prb_id: u64,
    pub prefix_v4: String,
    #[serde(default)]
    pub asn_v4: Option<u32>,
}

impl SubnetUsed {
    pub fn of(subnet: &EcsSubnet) -> SubnetUsed {
        SubnetUsed {
            country: subnet.country.clone(),
            subnet: subnet.subnet,
            prb_id: subnet.prb_id,
            prefix_v4: subnet.prefix_v4.clone(),
            asn_v4: subnet.asn_v4,
        }
    }

    fn ecs_subnet(&self) -> EcsSubnet {
        EcsSubnet {
            country: self.country.clone(),
            subnet: self.subnet,
            prb_id: self.prb_id,
            prefix_v4: self.prefix_v4.clone(),
            asn_v4: self.asn_v4,
            // How well the source sampled the country only matters when choosing subnets.
            probes: 0,
        }
    }
}

/// A response body as received: text for the JSON APIs, base64 for wire replies (and for any body
/// that is not UTF-8), so the snapshot is JSON yet byte-exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "encoding", rename_all = "snake_case")]
pub enum StoredBody {
    Text { text: String },
    Base64 { base64: String },
}

impl StoredBody {
    pub fn of(protocol: DohProtocol, bytes: Vec<u8>) -> StoredBody {
        if protocol != DohProtocol::Wire {
            match String::from_utf8(bytes) {
                Ok(text) => return StoredBody::Text { text },
                Err(error) => {
                    return StoredBody::Base64 {
                        base64: STANDARD.encode(error.into_bytes()),
                    };
                }
            }
        }
        StoredBody::Base64 {
            base64: STANDARD.encode(bytes),
        }
    }

    /// The bytes, or None when stored base64 is damaged (a hand-edited file).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            StoredBody::Text { text } => Some(text.as_bytes().to_vec()),
            StoredBody::Base64 { base64 } => STANDARD.decode(base64).ok(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            StoredBody::Text { text } => text.len(),
            StoredBody::Base64 { base64 } => base64.len() / 4 * 3,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What one DoH request got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExchangeOutcome {
    /// An HTTP response of any status.
    Response { status: u16, body: StoredBody },
    /// No response within the time limit.
    TimedOut,
    /// No response at all (network down, refused, CORS).
    Failed { reason: String },
}

/// One DoH query and what came back, as the snapshot keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DohExchange {
    pub resolver: String,
    pub protocol: DohProtocol,
    pub rtype: RecordType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnet: Option<SubnetUsed>,
    /// The URL requested, exactly (it holds the query).
    pub url: String,
    pub sent_at_unix_ms: i64,
    /// Time from sending to the whole body, measured with `performance.now()`.
    #[serde(default)]
    pub rt_ms: Option<f64>,
    pub outcome: ExchangeOutcome,
}

impl DohExchange {
    /// The record of a planned query's outcome.
    pub fn of(
        query: &PlannedQuery,
        sent_at_unix_ms: i64,
        rt_ms: Option<f64>,
        transport: Transport,
    ) -> DohExchange {
        let outcome = match transport {
            Transport::Response { status, body } => ExchangeOutcome::Response {
                status,
                body: StoredBody::of(query.resolver.protocol, body),
            },
            Transport::TimedOut => ExchangeOutcome::TimedOut,
            Transport::Failed { reason } => ExchangeOutcome::Failed { reason },
        };
        DohExchange {
            resolver: query.resolver.label.clone(),
            protocol: query.resolver.protocol,
            rtype: query.rtype,
            subnet: query.subnet.as_ref().map(SubnetUsed::of),
            url: query.request.url.clone(),
            sent_at_unix_ms,
            rt_ms,
            outcome,
        }
    }

    fn planned_query(&self, name: &str) -> PlannedQuery {
        let subnet = self.subnet.as_ref().map(SubnetUsed::ecs_subnet);
        PlannedQuery {
            resolver: Resolver {
                label: self.resolver.clone(),
                endpoint: self.url.clone(),
                protocol: self.protocol,
            },
            name: name.to_string(),
            rtype: self.rtype,
            request: DohRequest {
                url: self.url.clone(),
                accept: self.protocol.accept(),
                subnet: subnet.as_ref().map(|s| s.subnet),
            },
            subnet,
        }
    }

    fn transport(&self) -> Transport {
        match &self.outcome {
            ExchangeOutcome::Response { status, body } => match body.bytes() {
                Some(body) => Transport::Response {
                    status: *status,
                    body,
                },
                None => Transport::Failed {
                    reason: "the stored reply is damaged (its base64 does not decode)".to_string(),
                },
            },
            ExchangeOutcome::TimedOut => Transport::TimedOut,
            ExchangeOutcome::Failed { reason } => Transport::Failed {
                reason: reason.clone(),
            },
        }
    }

    /// What this exchange says, through the DNS core.
    pub fn observation(&self, name: &str) -> Observation {
        self.planned_query(name)
            .observe(&self.transport(), self.rt_ms)
    }

    /// Whether the resolver gave no usable HTTP answer (an HTTP error, a timeout, no response).
    pub fn failed(&self) -> bool {
        !matches!(&self.outcome, ExchangeOutcome::Response { status, .. } if (200..300).contains(status))
    }
}

/// The RIPEstat calls the notebook makes: the two behind an origin (DNS cell, traceroute hops), the
/// PTR names of traceroute hops, and those of the routing-context cell. Stored by name in snapshots,
/// so names never change once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RipestatCall {
    /// Address → prefix and origin AS numbers.
    NetworkInfo,
    /// Prefix → origin ASes with holder names.
    PrefixOverview,
    /// Address → its reverse-DNS (PTR) names.
    ReverseDnsIp,
    /// AS → holder name, announced, registry block.
    AsOverview,
    /// AS → upstreams and downstreams with their power.
    AsnNeighbours,
    /// AS → the prefixes it originates.
    AnnouncedPrefixes,
    /// AS or prefix → visibility among RIS peers, first/last seen, origins.
    RoutingStatus,
    /// Prefix or address → the routes RIS collectors hold (AS paths, communities).
    LookingGlass,
    /// AS → its registry objects, whose aut-num remarks may say what its communities mean.
    Whois,
}

impl RipestatCall {
    pub fn name(self) -> &'static str {
        match self {
            RipestatCall::NetworkInfo => "network-info",
            RipestatCall::PrefixOverview => "prefix-overview",
            RipestatCall::ReverseDnsIp => "reverse-dns-ip",
            RipestatCall::AsOverview => "as-overview",
            RipestatCall::AsnNeighbours => "asn-neighbours",
            RipestatCall::AnnouncedPrefixes => "announced-prefixes",
            RipestatCall::RoutingStatus => "routing-status",
            RipestatCall::LookingGlass => "looking-glass",
            RipestatCall::Whois => "whois",
        }
    }

    /// The URL of the call about `resource` (an address, a prefix, or `AS3333` for the AS calls).
    pub fn url(self, base: &str, resource: &str) -> String {
        let asn = || {
            resource
                .trim()
                .trim_start_matches(['A', 'S', 'a', 's'])
                .parse::<u32>()
        };
        match self {
            RipestatCall::NetworkInfo => network_info::url(base, resource),
            RipestatCall::PrefixOverview => prefix_overview::url(base, resource),
            RipestatCall::ReverseDnsIp => reverse_dns_ip::url(base, resource),
            RipestatCall::RoutingStatus => routing_status::url(base, resource),
            RipestatCall::LookingGlass => looking_glass::url(base, resource),
            RipestatCall::AsOverview
            | RipestatCall::AsnNeighbours
            | RipestatCall::AnnouncedPrefixes
            | RipestatCall::Whois => {
                match asn() {
                    Ok(asn) if self == RipestatCall::AsOverview => as_overview::url(base, asn),
                    Ok(asn) if self == RipestatCall::AsnNeighbours => {
                        asn_neighbours::url(base, asn)
                    }
                    Ok(asn) if self == RipestatCall::Whois => whois::url(base, asn),
                    Ok(asn) => announced_prefixes::url(base, asn),
                    // Not an AS number (a hand-edited snapshot): the resource goes as written.
                    Err(_) => crate::ripestat::call_url(base, self.name(), resource),
                }
            }
        }
    }

    /// Whether a response body is a usable answer to this call (the parse error says why not).
    pub fn check(self, text: &str) -> Result<(), crate::ripestat::RipestatError> {
        match self {
            RipestatCall::NetworkInfo => network_info::parse(text).map(|_| ()),
            RipestatCall::PrefixOverview => prefix_overview::parse(text).map(|_| ()),
            RipestatCall::ReverseDnsIp => reverse_dns_ip::parse(text).map(|_| ()),
            RipestatCall::AsOverview => as_overview::parse(text).map(|_| ()),
            RipestatCall::AsnNeighbours => asn_neighbours::parse(text).map(|_| ()),
            RipestatCall::AnnouncedPrefixes => announced_prefixes::parse(text).map(|_| ()),
            RipestatCall::RoutingStatus => routing_status::parse(text).map(|_| ()),
            RipestatCall::LookingGlass => looking_glass::parse(text).map(|_| ()),
            RipestatCall::Whois => whois::parse(text).map(|_| ()),
        }
    }
}

/// What one RIPEstat request got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LookupOutcome {
    Response { status: u16, text: String },
    Failed { reason: String },
}

/// One RIPEstat request and its response as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RipestatLookup {
    pub call: RipestatCall,
    /// The address or prefix asked about.
    pub resource: String,
    pub url: String,
    pub fetched_at_unix_ms: i64,
    pub outcome: LookupOutcome,
}

impl RipestatLookup {
    /// The record of one `call` about `resource` at the RIPEstat address `base`, as it came back.
    pub fn of(
        call: RipestatCall,
        base: &str,
        resource: &str,
        fetched_at_unix_ms: i64,
        outcome: LookupOutcome,
    ) -> RipestatLookup {
        RipestatLookup {
            call,
            resource: resource.to_string(),
            url: call.url(base, resource),
            fetched_at_unix_ms,
            outcome,
        }
    }
}

/// The name of the control query: `example.com`, reserved for documentation (RFC 2606, RFC 6761 §6.5)
/// and served by IANA, so every public resolver answers it from anywhere it can be reached.
pub const CONTROL_NAME: &str = "example.com";

/// The evidence behind a DNS cell: every exchange as received, and when. What a share link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DnsSnapshot {
    /// The name asked, as sent.
    pub name: String,
    pub started_at_unix_ms: i64,
    #[serde(default)]
    pub finished_at_unix_ms: i64,
    /// How many queries the run planned; fewer exchanges than this means it was cancelled.
    #[serde(default)]
    pub planned_queries: usize,
    #[serde(default)]
    pub cancelled: bool,
    #[serde(default)]
    pub exchanges: Vec<DohExchange>,
    /// One query for `CONTROL_NAME` through each resolver none of whose queries got through: it tells
    /// "the resolver is unreachable from here" (the control fails too) from "the failures concern
    /// this name" (the control is answered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<DohExchange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origin_lookups: Vec<RipestatLookup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origins_fetched_at_unix_ms: Option<i64>,
    /// Problems met along the way (origins skipped, lookups capped), shown with the cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The answer matrix of one record type, with the exchanges behind it (same order as its
/// observations).
#[derive(Debug, Clone, PartialEq)]
pub struct TypeMatrix {
    pub rtype: RecordType,
    pub matrix: AnswerMatrix,
    /// Index into `DnsSnapshot::exchanges` of each observation of the matrix.
    pub exchanges: Vec<usize>,
}

impl DnsSnapshot {
    /// The control queries this snapshot needs: one `A` query for `CONTROL_NAME` through each resolver
    /// of `planned` none of whose exchanges got a DNS reply (see `controls`).
    pub fn control_queries(&self, planned: &[PlannedQuery]) -> Vec<PlannedQuery> {
        let mut resolvers: Vec<Resolver> = Vec::new();
        for query in planned {
            let label = &query.resolver.label;
            let mine = || self.exchanges.iter().filter(|e| &e.resolver == label);
            let unreached = mine().count() > 0 && mine().all(DohExchange::failed);
            if unreached && !resolvers.iter().any(|r| &r.label == label) {
                resolvers.push(query.resolver.clone());
            }
        }
        fanout::plan(CONTROL_NAME, &[RecordType::A], &resolvers, &[]).unwrap_or_default()
    }

    /// Observations per record type, in the order the types were first asked.
    pub fn observations_by_type(&self) -> Vec<(RecordType, Vec<(usize, Observation)>)> {
        let mut by_type: Vec<(RecordType, Vec<(usize, Observation)>)> = Vec::new();
        for (index, exchange) in self.exchanges.iter().enumerate() {
            let observation = exchange.observation(&self.name);
            match by_type
                .iter_mut()
                .find(|(rtype, _)| *rtype == exchange.rtype)
            {
                Some((_, members)) => members.push((index, observation)),
                None => by_type.push((exchange.rtype, vec![(index, observation)])),
            }
        }
        by_type
    }

    /// One answer matrix per record type: a matrix compares answers to one question.
    ///
    /// A query that got no DNS reply from its resolver (no response at all, a timeout, an HTTP
    /// error such as 429) observed the way from this browser to the resolver, not the name: the
    /// reader's own network being down, or a service refusing, is never a finding about the target.
    /// Such queries stay out of the matrix (its answer sets, map and verdict) and are said apart:
    /// "this browser could not reach Google (6 of 6 queries: network error)".
    pub fn matrices(&self) -> Vec<TypeMatrix> {
        let origins = self.origins();
        self.observations_by_type()
            .into_iter()
            .map(|(rtype, members)| {
                let (reached, unreached): (Vec<_>, Vec<_>) = members
                    .into_iter()
                    .partition(|(index, _)| !self.exchanges[*index].failed());
                let (exchanges, observations): (Vec<usize>, Vec<Observation>) =
                    reached.into_iter().unzip();
                let mut matrix = matrix::build(observations, &origins);
                let (unreached_indices, unreached_observations): (Vec<usize>, Vec<Observation>) =
                    unreached.into_iter().unzip();
                matrix.unreached = unreached_observations;
                let unreached: Vec<&DohExchange> = unreached_indices
                    .iter()
                    .map(|index| &self.exchanges[*index])
                    .collect();
                let asked: Vec<&DohExchange> =
                    self.exchanges.iter().filter(|e| e.rtype == rtype).collect();
                if let Some(text) = unreached_resolvers(&unreached, &asked, &self.controls) {
                    if matrix.observations.is_empty() {
                        matrix.verdict = matrix::Verdict {
                            kind: matrix::VerdictKind::Unreachable,
                            headline: format!("Nothing learnt about {}: {text}.", self.name.trim()),
                            evidence: vec![
                                "A failure on the way to the resolver says nothing about the name: \
                                 check this browser's connection and the resolver's address, then \
                                 run the cell again."
                                    .to_string(),
                            ],
                            outliers: Vec::new(),
                            failures: None,
                        };
                    } else {
                        let left_out =
                            format!("left out, as they say nothing about the name: {text}");
                        matrix.verdict.failures = Some(match matrix.verdict.failures.take() {
                            Some(failures) => format!("{failures}; {left_out}"),
                            None => left_out,
                        });
                    }
                }
                TypeMatrix {
                    rtype,
                    matrix,
                    exchanges,
                }
            })
            .collect()
    }

    /// Who originates each looked-up address, from the stored RIPEstat responses.
    pub fn origins(&self) -> BTreeMap<String, Origin> {
        origins_from(&self.origin_lookups)
    }

    /// The stored RIPEstat responses that could not be used, in words.
    pub fn origin_problems(&self) -> Vec<String> {
        lookup_problems(&self.origin_lookups)
    }

    /// Every address of the answers worth asking RIPEstat about, across all types (capped).
    pub fn addresses_to_enrich(&self) -> Vec<String> {
        let observations: Vec<Observation> = self
            .exchanges
            .iter()
            .map(|exchange| exchange.observation(&self.name))
            .collect();
        matrix::addresses_to_enrich(&observations)
    }

    /// Whether any exchange was answered at all (otherwise there is nothing to enrich).
    pub fn answered(&self) -> usize {
        self.exchanges.iter().filter(|e| !e.failed()).count()
    }

    pub fn failed(&self) -> usize {
        self.exchanges.iter().filter(|e| e.failed()).count()
    }

    /// The lookups still needed: a `network-info` per address without one, then a
    /// `prefix-overview` per prefix those named. Call again after each round until it is empty.
    pub fn origin_lookups_needed(&self) -> Vec<(RipestatCall, String)> {
        lookups_needed(&self.addresses_to_enrich(), &self.origin_lookups)
    }
}

/// "this browser could not reach Google (6 of 6 queries: network error) or Cloudflare (…)", one per resolver of
/// `unreached` (exchanges that got no DNS reply), counted against all its exchanges; None when empty.
fn unreached_resolvers(
    unreached: &[&DohExchange],
    all: &[&DohExchange],
    controls: &[DohExchange],
) -> Option<String> {
    let mut resolvers: Vec<&str> = unreached.iter().map(|e| e.resolver.as_str()).collect();
    resolvers.sort_unstable();
    resolvers.dedup();
    let clauses: Vec<String> = resolvers
        .iter()
        .map(|resolver| {
            let failed: Vec<&&DohExchange> = unreached
                .iter()
                .filter(|e| e.resolver == *resolver)
                .collect();
            let asked = all.iter().filter(|e| e.resolver == *resolver).count();
            let mut reasons: Vec<String> = failed
                .iter()
                .map(|exchange| match &exchange.outcome {
                    ExchangeOutcome::Response { status, .. } => format!("HTTP {status}"),
                    ExchangeOutcome::TimedOut => "no reply in time".to_string(),
                    ExchangeOutcome::Failed { reason } => reason.clone(),
                })
                .collect();
            reasons.sort();
            reasons.dedup();
            let control = controls
                .iter()
                .find(|control| control.resolver == *resolver)
                .map_or("", |control| {
                    if control.failed() {
                        "; a control query for example.com failed too: the resolver is unreachable from here"
                    } else {
                        "; yet it answered a control query for example.com: the failures concern these queries"
                    }
                });
            format!(
                "{resolver} ({} of {} {}: {}{control})",
                failed.len(),
                asked,
                if asked == 1 { "query" } else { "queries" },
                reasons.join("; ")
            )
        })
        .collect();
    (!clauses.is_empty()).then(|| format!("this browser could not reach {}", clauses.join(" or ")))
}

/// The lookups still needed for `addresses`, given those already made (see
/// `DnsSnapshot::origin_lookups_needed`); the addresses are capped at `MAX_ORIGIN_ADDRESSES`.
pub fn lookups_needed(
    addresses: &[String],
    made: &[RipestatLookup],
) -> Vec<(RipestatCall, String)> {
    let has = |call: RipestatCall, resource: &str| {
        made.iter()
            .any(|lookup| lookup.call == call && lookup.resource == resource)
    };
    let addresses = &addresses[..addresses.len().min(MAX_ORIGIN_ADDRESSES)];
    let missing: Vec<(RipestatCall, String)> = addresses
        .iter()
        .filter(|address| !has(RipestatCall::NetworkInfo, address))
        .map(|address| (RipestatCall::NetworkInfo, address.clone()))
        .collect();
    if !missing.is_empty() {
        return missing;
    }
    let mut prefixes: Vec<String> = Vec::new();
    for address in addresses {
        let prefix = made
            .iter()
            .find(|l| l.call == RipestatCall::NetworkInfo && &l.resource == address)
            .and_then(parsed_network_info)
            .and_then(|info| info.prefix);
        if let Some(prefix) = prefix
            && !has(RipestatCall::PrefixOverview, &prefix)
            && !prefixes.contains(&prefix)
        {
            prefixes.push(prefix);
        }
    }
    prefixes
        .into_iter()
        .map(|prefix| (RipestatCall::PrefixOverview, prefix))
        .collect()
}

pub(crate) fn response_text(lookup: &RipestatLookup) -> Option<&str> {
    match &lookup.outcome {
        LookupOutcome::Response { text, .. } => Some(text),
        LookupOutcome::Failed { .. } => None,
    }
}

fn parsed_network_info(lookup: &RipestatLookup) -> Option<network_info::NetworkInfo> {
    network_info::parse(response_text(lookup)?).ok()
}

/// Origins of the addresses that have a `network-info` lookup, joined with the `prefix-overview` of
/// their prefix when one was made.
pub fn origins_from(lookups: &[RipestatLookup]) -> BTreeMap<String, Origin> {
    let find = |call: RipestatCall, resource: &str| {
        lookups
            .iter()
            .find(|lookup| lookup.call == call && lookup.resource == resource)
    };
    let mut origins = BTreeMap::new();
    for lookup in lookups
        .iter()
        .filter(|l| l.call == RipestatCall::NetworkInfo)
    {
        let network = parsed_network_info(lookup);
        let overview_resource = network
            .as_ref()
            .and_then(|info| info.prefix.clone())
            .unwrap_or_else(|| lookup.resource.clone());
        let overview = find(RipestatCall::PrefixOverview, &overview_resource)
            .and_then(response_text)
            .and_then(|text| prefix_overview::parse(text).ok());
        if network.is_some() || overview.is_some() {
            origins.insert(
                lookup.resource.clone(),
                Origin::from_calls(network.as_ref(), overview.as_ref()),
            );
        }
    }
    origins
}

/// The lookups whose responses could not be used, in words.
pub fn lookup_problems(lookups: &[RipestatLookup]) -> Vec<String> {
    lookups
        .iter()
        .filter_map(|lookup| {
            let what = format!("RIPEstat {} for {}", lookup.call.name(), lookup.resource);
            match &lookup.outcome {
                LookupOutcome::Failed { reason } => Some(format!("{what}: {reason}")),
                LookupOutcome::Response { text, .. } => lookup
                    .call
                    .check(text)
                    .err()
                    .map(|error| format!("{what}: {error}")),
            }
        })
        .collect()
}

/// "12 / 40 queries" (and how many failed so far), for the cell's progress line.
pub fn progress_text(done: usize, planned: usize, failed: usize) -> String {
    let mut text = format!("{done} / {planned} queries");
    if failed > 0 {
        text.push_str(&format!(" ({failed} failed)"));
    }
    text
}

/// The answer matrices of an Atlas snapshot's DNS results, one per question, with the probes'
/// metadata placing them. Empty when the snapshot holds no DNS results. Origins are not looked up for
/// Atlas results (the snapshot holds none), so the matrices group by addresses alone.
pub fn atlas_matrices(snapshot: &AtlasSnapshot) -> Vec<(String, AnswerMatrix)> {
    let results: Vec<crate::atlas::DnsResult> = crate::atlas::parse_results(&snapshot.results_text)
        .results
        .into_iter()
        .filter_map(|result| match result {
            crate::atlas::AtlasResult::Dns(dns) => Some(dns),
            _ => None,
        })
        .collect();
    if results.is_empty() {
        return Vec::new();
    }
    crate::atlas::dns::observations_by_question(&results, &snapshot.probes)
        .into_iter()
        .map(|(question, observations)| {
            (
                matrix::question_text(question.as_ref()),
                matrix::build(observations, &BTreeMap::new()),
            )
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dns::matrix::VerdictKind;

    const ALICDN: &str = include_str!(
        "../../tests/fixtures/doh/google-json_A_with-edns_client_subnet_img.alicdn.com.json"
    );
    const NETWORK_INFO: &str = include_str!("../../tests/fixtures/ripestat/network-info.json");
    const PREFIX_OVERVIEW: &str =
        include_str!("../../tests/fixtures/ripestat/prefix-overview.json");

    fn request(name: &str) -> DnsRequest {
        DnsRequest {
            name: name.to_string(),
            ..DnsRequest::default()
        }
    }

    #[test]
    fn the_default_request_asks_google_per_continent_and_cloudflare_once() {
        let planned = request("img.alicdn.com")
            .plan(&Settings::default())
            .unwrap();
        // Google for each of the 6 continents with a subnet, Cloudflare once (it takes no subnet).
        assert_eq!(planned.len(), 7);
        assert_eq!(
            planned
                .iter()
                .filter(|q| q.resolver.label == "Google")
                .count(),
            6
        );
        assert!(planned[0].request.url.starts_with(
            "https://dns.google/resolve?name=img.alicdn.com&type=A&edns_client_subnet="
        ));
    }

    #[test]
    fn bad_requests_are_refused_before_anything_is_sent() {
        let settings = Settings::default();
        let error = request("a..b").plan(&settings).unwrap_err();
        assert!(matches!(error, DnsRequestError::Name(_)));
        assert!(
            error
                .to_string()
                .starts_with("\"a..b\" is not a valid domain name")
        );
        assert!(error.to_string().ends_with("Nothing was sent."));
        assert_eq!(
            request("").plan(&settings).unwrap_err().to_string(),
            "Enter a domain name to look up. Nothing was sent."
        );
        let mut no_types = request("example.com");
        no_types.types.clear();
        assert_eq!(no_types.plan(&settings), Err(DnsRequestError::NoTypes));
        let mut nobody = request("example.com");
        nobody.resolvers = ResolverChoice {
            google: false,
            cloudflare: false,
            custom: Vec::new(),
        };
        assert_eq!(nobody.plan(&settings), Err(DnsRequestError::NoResolvers));
        let mut gone = request("example.com");
        gone.resolvers.custom = vec!["Quad9".into()];
        assert_eq!(
            gone.plan(&settings),
            Err(DnsRequestError::UnknownResolver("Quad9".into()))
        );
        let mut countries = request("example.com");
        countries.vantages = VantageChoice::Countries {
            list: "de, aq ZZ,de".into(),
        };
        let error = countries.plan(&settings).unwrap_err();
        assert_eq!(
            error,
            DnsRequestError::UnknownCountries(vec!["AQ".into(), "ZZ".into()])
        );
        assert!(
            error.to_string().contains("DE"),
            "it lists the known countries"
        );
        countries.vantages = VantageChoice::Countries { list: " , ".into() };
        assert_eq!(countries.plan(&settings), Err(DnsRequestError::NoCountries));
        let mut huge = request("example.com");
        huge.types = RecordType::QUERYABLE.to_vec();
        huge.vantages = VantageChoice::AllCountries;
        huge.resolvers.custom = vec!["Mine".into()];
        let with_mine = Settings {
            doh_endpoints: vec![crate::settings::DohEndpoint {
                label: "Mine".into(),
                url: "https://doh.example/dns-query".into(),
            }],
            ..Settings::default()
        };
        assert!(matches!(
            huge.plan(&with_mine),
            Err(DnsRequestError::TooMany { queries })
                if queries == 13 * subnets::ecs_subnets().len() * 2 + 13
        ));
    }

    #[test]
    fn countries_are_read_as_typed_and_deduplicated() {
        let mut chosen = request("example.com");
        chosen.vantages = VantageChoice::Countries {
            list: "jp; de\nJP".into(),
        };
        let subnets = chosen.subnets().unwrap();
        assert_eq!(
            subnets
                .iter()
                .map(|s| s.country.as_str())
                .collect::<Vec<_>>(),
            ["JP", "DE"]
        );
        chosen.vantages = VantageChoice::NoSubnet;
        assert!(chosen.subnets().unwrap().is_empty());
    }

    /// A snapshot as the shell would make it: every Google query answered with the recorded reply,
    /// Cloudflare throttled.
    pub(crate) fn snapshot_with(origins: Vec<RipestatLookup>) -> DnsSnapshot {
        let planned = request("img.alicdn.com")
            .plan(&Settings::default())
            .unwrap();
        let exchanges = planned
            .iter()
            .enumerate()
            .map(|(index, query)| {
                let transport = if query.resolver.label == "Google" {
                    Transport::Response {
                        status: 200,
                        body: ALICDN.as_bytes().to_vec(),
                    }
                } else {
                    Transport::Response {
                        status: 429,
                        body: b"Too Many Requests".to_vec(),
                    }
                };
                DohExchange::of(query, 1_000 + index as i64, Some(20.0), transport)
            })
            .collect();
        DnsSnapshot {
            name: "img.alicdn.com".into(),
            started_at_unix_ms: 1_000,
            finished_at_unix_ms: 2_000,
            planned_queries: planned.len(),
            cancelled: false,
            exchanges,
            controls: Vec::new(),
            origin_lookups: origins,
            origins_fetched_at_unix_ms: None,
            notes: Vec::new(),
        }
    }

    /// Running again keeps the run before; the comparison is per vantage (type, resolver, client).
    #[test]
    fn a_run_again_is_compared_with_the_run_before_per_vantage() {
        let first = snapshot_with(Vec::new());
        // The second run: Cloudflare answers this time (the same recorded reply), Google's first
        // vantage is throttled.
        let mut second = first.clone();
        let cloudflare = second
            .exchanges
            .iter()
            .position(|e| e.resolver == "Cloudflare")
            .unwrap();
        let google = second
            .exchanges
            .iter()
            .position(|e| e.resolver == "Google")
            .unwrap();
        second.exchanges[cloudflare].outcome = second.exchanges[google].outcome.clone();
        second.exchanges[google].outcome = first.exchanges[cloudflare].outcome.clone();
        let cell = DnsCell {
            request: request("img.alicdn.com"),
            snapshot: Some(std::rc::Rc::new(second)),
            previous: Some(std::rc::Rc::new(first.clone())),
        };
        let comparison = cell.comparison().unwrap();
        assert_eq!(comparison.changes.len(), first.exchanges.len());
        let changed: Vec<_> = comparison
            .changes
            .iter()
            .filter(|c| !c.what_changed.is_empty())
            .collect();
        assert_eq!(changed.len(), 2, "{:?}", comparison.changes);
        assert!(changed.iter().any(|c| c.label.contains("Cloudflare")));
        // The same run twice: nothing changed.
        let same = DnsCell {
            request: request("img.alicdn.com"),
            snapshot: Some(std::rc::Rc::new(first.clone())),
            previous: Some(std::rc::Rc::new(first)),
        };
        assert!(
            same.comparison()
                .unwrap()
                .changes
                .iter()
                .all(|c| c.what_changed.is_empty())
        );
    }

    #[test]
    fn a_snapshot_derives_its_matrix_with_the_failed_resolver_apart() {
        let snapshot = snapshot_with(Vec::new());
        assert_eq!((snapshot.answered(), snapshot.failed()), (6, 1));
        let matrices = snapshot.matrices();
        assert_eq!(matrices.len(), 1);
        let TypeMatrix {
            rtype,
            matrix,
            exchanges,
        } = &matrices[0];
        assert_eq!(*rtype, RecordType::A);
        // The throttled query (HTTP 429) observed the way to Cloudflare, not the name: it is left
        // out of the answer sets, failures and map, and said apart.
        let failed = snapshot
            .exchanges
            .iter()
            .position(DohExchange::failed)
            .unwrap();
        let answered: Vec<usize> = (0..snapshot.exchanges.len())
            .filter(|index| *index != failed)
            .collect();
        assert_eq!(exchanges, &answered);
        assert_eq!(matrix.groups.len(), 1);
        assert_eq!(
            matrix.groups[0].records,
            ["111.32.130.108", "111.32.130.109"]
        );
        assert_eq!(matrix.verdict.kind, VerdictKind::Consistent);
        assert!(matrix.failures.is_empty());
        assert!(matrix.group_of.iter().all(Option::is_some));
        let apart = matrix.verdict.failures.as_deref().unwrap_or_default();
        assert!(
            apart.contains("this browser could not reach")
                && apart.contains("(1 of 1 query: HTTP 429)"),
            "{apart}"
        );
        assert_eq!(matrix.ecs.len(), 1);
        assert_eq!((matrix.ecs[0].sent, matrix.ecs[0].honoured), (6, 6));
        assert_eq!(matrix.ecs[0].scopes, [24]);
    }

    /// Regression (issue 12): with the browser offline, a DNS cell reported "No vantage got an answer
    /// (6 vantages asked)" with a world map of failures: a false story about the target.
    #[test]
    fn an_offline_browser_learns_nothing_about_the_name_and_says_so() {
        let mut snapshot = snapshot_with(Vec::new());
        for exchange in &mut snapshot.exchanges {
            exchange.outcome = ExchangeOutcome::Failed {
                reason: "network error".to_string(),
            };
        }
        let matrices = snapshot.matrices();
        let matrix = &matrices[0].matrix;
        assert!(matrix.observations.is_empty());
        assert!(matrix.group_of.is_empty(), "no vantage on the map");
        assert_eq!(matrix.verdict.kind, VerdictKind::Unreachable);
        assert!(
            matrix
                .verdict
                .headline
                .starts_with("Nothing learnt about img.alicdn.com: this browser could not reach "),
            "{}",
            matrix.verdict.headline
        );
        assert!(matrix.verdict.headline.contains("network error"));
        assert!(!matrix.verdict.headline.contains("No vantage got an answer"));
        // One control query per unreached resolver tells an unreachable resolver from failures of
        // this name's queries: here Google answers example.com, Cloudflare does not.
        let answered = snapshot_with(Vec::new());
        let planned: Vec<PlannedQuery> = answered
            .exchanges
            .iter()
            .map(|exchange| exchange.planned_query(&answered.name))
            .collect();
        let controls = snapshot.control_queries(&planned);
        assert_eq!(
            controls
                .iter()
                .map(|query| (query.resolver.label.as_str(), query.name.as_str()))
                .collect::<Vec<_>>(),
            [("Google", CONTROL_NAME), ("Cloudflare", CONTROL_NAME)]
        );
        assert_eq!(
            answered.control_queries(&planned).len(),
            1,
            "only the throttled Cloudflare"
        );
        let google_answer = answered.exchanges.iter().find(|e| !e.failed()).unwrap();
        let cloudflare_failure = answered.exchanges.iter().find(|e| e.failed()).unwrap();
        snapshot.controls = vec![google_answer.clone(), cloudflare_failure.clone()];
        let headline = snapshot.matrices()[0].matrix.verdict.headline.clone();
        assert!(
            headline.contains(
                "Cloudflare (1 of 1 query: network error; a control query for example.com failed \
                 too: the resolver is unreachable from here)"
            ),
            "{headline}"
        );
        assert!(
            headline.contains("yet it answered a control query for example.com"),
            "{headline}"
        );
    }

    fn lookup(call: RipestatCall, resource: &str, text: &str) -> RipestatLookup {
        let outcome = LookupOutcome::Response {
            status: 200,
            text: text.into(),
        };
        RipestatLookup::of(call, "https://stat.ripe.net", resource, 5, outcome)
    }

    #[test]
    fn origins_come_from_the_stored_ripestat_responses_in_two_rounds() {
        let snapshot = snapshot_with(Vec::new());
        assert_eq!(
            snapshot.addresses_to_enrich(),
            ["111.32.130.108", "111.32.130.109"]
        );
        assert_eq!(
            snapshot.origin_lookups_needed(),
            [
                (RipestatCall::NetworkInfo, "111.32.130.108".to_string()),
                (RipestatCall::NetworkInfo, "111.32.130.109".to_string())
            ]
        );
        // The recorded network-info names 140.78.0.0/16 (it was recorded for another address): the
        // second round asks prefix-overview about that prefix, once for both addresses.
        let first_round = vec![
            lookup(RipestatCall::NetworkInfo, "111.32.130.108", NETWORK_INFO),
            lookup(RipestatCall::NetworkInfo, "111.32.130.109", NETWORK_INFO),
        ];
        let snapshot = snapshot_with(first_round.clone());
        assert_eq!(
            snapshot.origin_lookups_needed(),
            [(RipestatCall::PrefixOverview, "140.78.0.0/16".to_string())]
        );
        let mut both = first_round;
        both.push(lookup(
            RipestatCall::PrefixOverview,
            "140.78.0.0/16",
            PREFIX_OVERVIEW,
        ));
        let snapshot = snapshot_with(both);
        assert!(snapshot.origin_lookups_needed().is_empty());
        let origins = snapshot.origins();
        let origin = &origins["111.32.130.108"];
        assert_eq!(origin.prefix.as_deref(), Some("140.78.0.0/16"));
        let numbers: Vec<u32> = origin.asns.iter().map(|asn| asn.number).collect();
        assert_eq!(numbers, [1205, 3333]);
        let matrix = &snapshot.matrices()[0].matrix;
        assert!(matrix.groups[0].origins.iter().all(|o| o.origin.is_some()));
        assert!(snapshot.origin_problems().is_empty());
    }

    #[test]
    fn unusable_lookups_are_problems_not_origins() {
        let failed = RipestatLookup {
            outcome: LookupOutcome::Failed {
                reason: "could not reach stat.ripe.net".into(),
            },
            ..lookup(RipestatCall::NetworkInfo, "111.32.130.108", "")
        };
        let refused = lookup(
            RipestatCall::NetworkInfo,
            "111.32.130.109",
            r#"{"status":"error","status_code":429,"messages":[["error","Rate limited"]],"data":{}}"#,
        );
        let snapshot = snapshot_with(vec![failed, refused]);
        assert!(snapshot.origins().is_empty());
        let problems = snapshot.origin_problems();
        assert_eq!(problems.len(), 2);
        assert!(problems[1].contains("Rate limited"), "{problems:?}");
        // Nothing more to ask: a failed lookup is not retried within the same run.
        assert!(snapshot.origin_lookups_needed().is_empty());
    }

    #[test]
    fn too_many_addresses_are_capped() {
        let addresses: Vec<String> = (0..100).map(|n| format!("192.0.{n}.1")).collect();
        assert_eq!(lookups_needed(&addresses, &[]).len(), MAX_ORIGIN_ADDRESSES);
    }

    #[test]
    fn snapshots_round_trip_and_wire_bodies_stay_byte_exact() {
        let snapshot = snapshot_with(vec![lookup(
            RipestatCall::NetworkInfo,
            "111.32.130.108",
            NETWORK_INFO,
        )]);
        let text = serde_json::to_string(&snapshot).unwrap();
        assert!(text.contains(r#""call":"network-info""#));
        let back: DnsSnapshot = serde_json::from_str(&text).unwrap();
        assert_eq!(back, snapshot);
        let wire = StoredBody::of(DohProtocol::Wire, vec![0, 255, 1, 2]);
        assert!(matches!(wire, StoredBody::Base64 { .. }));
        assert_eq!(wire.bytes(), Some(vec![0, 255, 1, 2]));
        let not_utf8 = StoredBody::of(DohProtocol::GoogleJson, vec![0xff, 0xfe]);
        assert_eq!(not_utf8.bytes(), Some(vec![0xff, 0xfe]));
        let damaged = StoredBody::Base64 {
            base64: "***".into(),
        };
        assert_eq!(damaged.bytes(), None);
        let mut exchange = snapshot.exchanges[0].clone();
        exchange.outcome = ExchangeOutcome::Response {
            status: 200,
            body: damaged,
        };
        let observation = exchange.observation("img.alicdn.com");
        assert!(observation.error.unwrap_or_default().contains("damaged"));
    }

    #[test]
    fn a_minimal_dns_cell_reads_with_defaults() {
        let cell: DnsCell = serde_json::from_str("{}").unwrap();
        assert_eq!(cell, DnsCell::default());
        let cell: DnsCell = serde_json::from_str(
            r#"{"request":{"name":"x.example","types":["AAAA","HTTPS"],"vantages":{"kind":"countries","list":"DE"}}}"#,
        )
        .unwrap();
        assert_eq!(cell.request.types, [RecordType::AAAA, RecordType::HTTPS]);
        assert!(cell.request.resolvers.google && cell.request.resolvers.cloudflare);
    }

    #[test]
    fn progress_reads_as_a_count() {
        assert_eq!(progress_text(12, 40, 0), "12 / 40 queries");
        assert_eq!(progress_text(12, 40, 2), "12 / 40 queries (2 failed)");
    }

    #[test]
    fn atlas_dns_results_give_one_matrix_per_question_placed_by_probe() {
        let snapshot = AtlasSnapshot {
            source: crate::notebook::SnapshotSource::Pasted,
            fetched_at_unix_ms: 0,
            results_text: include_str!("../../tests/fixtures/atlas/dns_latest_msm1421267.json")
                .to_string(),
            probes: crate::atlas::probes::parse_probes_page(include_str!(
                "../../tests/fixtures/atlas/probes_page_msm1421267.json"
            ))
            .probes,
            fetch_notes: Vec::new(),
            hop_lookups: Vec::new(),
            hop_names: Vec::new(),
        };
        let matrices = atlas_matrices(&snapshot);
        assert!(!matrices.is_empty());
        let (question, matrix) = &matrices[0];
        assert!(!question.is_empty());
        let (places, _) = crate::answers::map_places(matrix);
        assert!(!places.is_empty(), "probes with coordinates are on the map");
        assert!(places.iter().all(|p| !p.label.contains("largest city")));
        let ping = AtlasSnapshot {
            results_text: include_str!("../../tests/fixtures/atlas/ping_latest_msm3359986.json")
                .to_string(),
            ..snapshot
        };
        assert!(atlas_matrices(&ping).is_empty());
        assert_eq!(crate::answers::set_label(0), "#1");
    }
}
