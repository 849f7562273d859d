//! The answer matrix: many vantages asked the same question; which answers did they get, and what
//! does that say? Vantages are DoH resolvers (possibly asked on behalf of a client subnet, RFC 7871)
//! and RIPE Atlas probes (through the resolvers they use). Each vantage's observation is grouped by
//! its answer set, the sorted set of A/AAAA addresses (or of the records, for other types), with the
//! CNAME chain kept as context; failures (timeouts, SERVFAIL, unreadable replies) are counted apart.
//! Addresses can be enriched with their origin AS and prefix (RIPEstat, see `ripestat`).
//!
//! The verdict puts the matrix in plain words with its evidence: the same answer everywhere, answers
//! that differ by region (geo-DNS), answers that vary without a pattern, and outliers, a small
//! minority of vantages whose answer points to a special-purpose address, says the name does not
//! exist, or comes from an origin AS nobody else saw: the signs of blocking, censorship or hijack.
//!
//! Pure and total: any list of observations gives a matrix; no outside data is trusted to be
//! consistent.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use serde::Serialize;

use super::bogon::special_purpose_text;
use super::doh::{DohError, DohResponse};
use super::record::{Answer, ClientSubnet, EcsEcho, EcsOutcome, Question, Rcode, RecordType};
use super::subnets::EcsSubnet;
use super::wire::Message;
use crate::format::counted;
use crate::geo::{Continent, continent_of};
use crate::model::{Asn, Origin, Probe};
use crate::stats;

/// Who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VantageSource {
    /// A DoH resolver, asked on behalf of `subnet` when one was sent.
    Resolver {
        resolver: String,
        subnet: Option<ClientSubnet>,
    },
    /// A RIPE Atlas probe, through the resolver it queried.
    AtlasProbe {
        prb_id: u64,
        resolver: Option<String>,
    },
}

/// A vantage: who asked and where that is (the emulated client's country for an ECS query, the
/// probe's country and position for an Atlas probe).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vantage {
    pub source: VantageSource,
    pub country: Option<String>,
    pub continent: Option<Continent>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl Vantage {
    /// A DoH resolver asked for clients in `subnet`'s country (or for nobody in particular).
    pub fn resolver(resolver: &str, subnet: Option<&EcsSubnet>) -> Vantage {
        Vantage::resolver_for(
            resolver,
            subnet.map(|s| s.subnet),
            subnet.map(|s| s.country.as_str()),
        )
    }

    /// A DoH resolver asked with any subnet, placed in `country` when known.
    pub fn resolver_for(
        resolver: &str,
        subnet: Option<ClientSubnet>,
        country: Option<&str>,
    ) -> Vantage {
        let country = country
            .map(|code| code.trim().to_ascii_uppercase())
            .filter(|code| continent_of(code).is_some());
        Vantage {
            source: VantageSource::Resolver {
                resolver: resolver.to_string(),
                subnet,
            },
            continent: country.as_deref().and_then(continent_of),
            country,
            latitude: None,
            longitude: None,
        }
    }

    /// An Atlas probe, placed by its metadata when given.
    pub fn atlas_probe(prb_id: u64, resolver: Option<String>, probe: Option<&Probe>) -> Vantage {
        let country = probe
            .and_then(|probe| probe.country_code.clone())
            .filter(|code| continent_of(code).is_some());
        Vantage {
            source: VantageSource::AtlasProbe { prb_id, resolver },
            continent: country.as_deref().and_then(continent_of),
            country,
            latitude: probe.and_then(|probe| probe.latitude),
            longitude: probe.and_then(|probe| probe.longitude),
        }
    }

    /// The subnet the query carried, if any.
    pub fn subnet(&self) -> Option<ClientSubnet> {
        match &self.source {
            VantageSource::Resolver { subnet, .. } => *subnet,
            VantageSource::AtlasProbe { .. } => None,
        }
    }

    pub fn is_atlas_probe(&self) -> bool {
        matches!(self.source, VantageSource::AtlasProbe { .. })
    }

    /// "Google for DE (178.202.0.0/24)", "Cloudflare", "probe 184 via 193.0.14.129".
    pub fn label(&self) -> String {
        match &self.source {
            VantageSource::Resolver { resolver, subnet } => match (subnet, &self.country) {
                (Some(subnet), Some(country)) => format!("{resolver} for {country} ({subnet})"),
                (Some(subnet), None) => format!("{resolver} for {subnet}"),
                (None, _) => resolver.clone(),
            },
            VantageSource::AtlasProbe { prb_id, resolver } => match resolver {
                Some(resolver) => format!("probe {prb_id} via {resolver}"),
                None => format!("probe {prb_id}"),
            },
        }
    }
}

/// Why a vantage has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// No reply in time.
    Timeout,
    /// A reply that is not a readable DNS answer.
    Unreadable,
    /// Anything else: a network or HTTP error, a socket error on the probe.
    Error,
}

/// What one vantage saw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub vantage: Vantage,
    pub rcode: Option<Rcode>,
    pub answers: Vec<Answer>,
    pub rt_ms: Option<f64>,
    pub failure: Option<FailureKind>,
    pub error: Option<String>,
    pub ecs: EcsOutcome,
    pub nsid: Option<String>,
}

impl Observation {
    fn answered(
        vantage: Vantage,
        rcode: Rcode,
        answers: Vec<Answer>,
        echo: Option<EcsEcho>,
        nsid: Option<String>,
        rt_ms: Option<f64>,
    ) -> Observation {
        Observation {
            ecs: EcsOutcome::from_echo(vantage.subnet(), echo.map(|echo| echo.scope_prefix)),
            vantage,
            rcode: Some(rcode),
            answers,
            rt_ms,
            failure: None,
            error: None,
            nsid,
        }
    }

    /// A decoded wire reply (an Atlas `abuf`, an RFC 8484 body).
    pub fn from_message(vantage: Vantage, message: &Message, rt_ms: Option<f64>) -> Observation {
        let edns = message.edns.as_ref();
        Observation::answered(
            vantage,
            message.rcode,
            message.answers.clone(),
            edns.and_then(|edns| edns.client_subnet),
            edns.and_then(|edns| edns.nsid.clone()),
            rt_ms,
        )
    }

    /// A DoH reply of either format.
    pub fn from_doh(vantage: Vantage, response: &DohResponse, rt_ms: Option<f64>) -> Observation {
        Observation::answered(
            vantage,
            response.rcode,
            response.answers.clone(),
            response.client_subnet,
            response.nsid.clone(),
            rt_ms,
        )
    }

    /// What `doh::parse_reply` (or `doh::http_failure`) gave, whichever it was.
    pub fn from_doh_result(
        vantage: Vantage,
        result: &Result<DohResponse, DohError>,
        rt_ms: Option<f64>,
    ) -> Observation {
        match result {
            Ok(response) => Observation::from_doh(vantage, response, rt_ms),
            Err(error) => {
                let kind = match error {
                    DohError::Http { .. } => FailureKind::Error,
                    _ => FailureKind::Unreadable,
                };
                Observation::failed(vantage, kind, error.to_string(), rt_ms)
            }
        }
    }

    /// No answer: `error` says why in words.
    pub fn failed(
        vantage: Vantage,
        kind: FailureKind,
        error: impl Into<String>,
        rt_ms: Option<f64>,
    ) -> Observation {
        Observation {
            ecs: EcsOutcome::from_echo(vantage.subnet(), None),
            vantage,
            rcode: None,
            answers: Vec::new(),
            rt_ms,
            failure: Some(kind),
            error: Some(error.into()),
            nsid: None,
        }
    }
}

/// One address of an answer set with who originates it, when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddressOrigin {
    pub address: String,
    /// The special-purpose range it lies in (RFC 6890), if any.
    pub special_purpose: Option<&'static str>,
    pub origin: Option<Origin>,
}

/// Vantages that got the same answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerGroup {
    pub rcode: Rcode,
    /// The answer set: sorted addresses, or "TYPE data" of each record for other types. Empty for
    /// NXDOMAIN and for NOERROR without records.
    pub records: Vec<String>,
    /// Whether `records` are A/AAAA addresses.
    pub addresses: bool,
    /// The distinct CNAME chains seen, each as "owner → target" steps.
    pub cname_chains: Vec<Vec<String>>,
    /// Indices into `AnswerMatrix::observations`.
    pub observations: Vec<usize>,
    pub countries: Vec<String>,
    pub continents: Vec<Continent>,
    /// Per address (empty for non-address answer sets).
    pub origins: Vec<AddressOrigin>,
    /// The distinct origin ASes of the addresses whose origin is known.
    pub origin_asns: Vec<Asn>,
    /// The name server identifiers (RFC 5001) of the replies, with how many carried each: which
    /// instances of an anycast service answered.
    pub nsids: Vec<(String, usize)>,
    pub rt_median_ms: Option<f64>,
}

impl AnswerGroup {
    fn size(&self) -> usize {
        self.observations.len()
    }

    /// Whether every address has a known origin.
    fn origins_known(&self) -> bool {
        self.addresses && self.origins.iter().all(|origin| origin.origin.is_some())
    }

    fn special_addresses(&self) -> Vec<&AddressOrigin> {
        self.origins
            .iter()
            .filter(|origin| origin.special_purpose.is_some())
            .collect()
    }

    /// The answer in a few words: "2 addresses (a, b)", "NXDOMAIN", "no records".
    fn describe(&self) -> String {
        if self.rcode == Rcode::NXDOMAIN {
            return "NXDOMAIN (the name does not exist)".to_string();
        }
        if self.records.is_empty() {
            return "no records".to_string();
        }
        let noun = if self.addresses { "address" } else { "record" };
        // Keys and signatures run to hundreds of characters; the group itself keeps them whole.
        let short: Vec<String> = self
            .records
            .iter()
            .map(|record| match record.char_indices().nth(60) {
                Some((cut, _)) => format!("{}…", &record[..cut]),
                None => record.clone(),
            })
            .collect();
        format!(
            "{} ({})",
            counted(self.records.len(), noun),
            listed(&short, 4)
        )
    }
}

/// Vantages that failed the same way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureGroup {
    /// "timeout", "unreadable reply", "error", or the RCODE ("SERVFAIL", "REFUSED").
    pub reason: String,
    pub observations: Vec<usize>,
    /// The first error message, as an example.
    pub example: Option<String>,
}

/// How one resolver treated the client subnets it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcsSummary {
    pub resolver: String,
    pub sent: usize,
    pub honoured: usize,
    /// Echoed with scope 0: the answer is not specific to the subnet.
    pub ignored: usize,
    /// No ECS option in the reply: the resolver does not support ECS (RFC 7871 §7.2.2).
    pub not_echoed: usize,
    /// The distinct non-zero scope prefix lengths of the honoured replies.
    pub scopes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// Nothing to judge yet.
    NoObservations,
    /// Every query failed on the way from the one asking to the resolver (no response, a timeout,
    /// an HTTP error): nothing was learnt about the name, so nothing is said about it.
    Unreachable,
    /// Every vantage failed.
    NoAnswers,
    /// One answer set (outliers aside).
    Consistent,
    /// One answer set for a large majority; the rest differ without a regional pattern.
    MostlyConsistent,
    /// Different answer sets in different continents: geo-DNS.
    ByRegion,
    /// Several answer sets with no regional pattern (load balancing, rotation, short TTLs).
    Varied,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierReason {
    /// The answer holds a special-purpose address (loopback, private, …).
    SpecialPurposeAddress,
    /// NXDOMAIN or no records, where the others got records.
    MissingAnswer,
    /// Addresses from an origin AS that no other answer set has.
    DifferentOrigin,
}

/// A small minority of vantages with a suspicious answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outlier {
    /// Index into `AnswerMatrix::groups`.
    pub group: usize,
    pub reason: OutlierReason,
    pub text: String,
}

/// The matrix in plain words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub kind: VerdictKind,
    pub headline: String,
    pub evidence: Vec<String>,
    pub outliers: Vec<Outlier>,
    /// "3 vantages failed: 2 timeouts, 1 SERVFAIL", when any did.
    pub failures: Option<String>,
}

/// Everything the DNS cell shows, derived from its observations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerMatrix {
    pub observations: Vec<Observation>,
    /// Largest first.
    pub groups: Vec<AnswerGroup>,
    pub failures: Vec<FailureGroup>,
    /// For each observation, the index of its group, or `None` when it failed: what a map colours
    /// each vantage by.
    pub group_of: Vec<Option<usize>>,
    pub ecs: Vec<EcsSummary>,
    pub verdict: Verdict,
    /// Queries that never reached their resolver from the one asking (no response, a timeout, an
    /// HTTP error): listed with every vantage's row, but no part of the groups, failures, map or
    /// verdict, since they observed the asker's own network, not the name. Empty for Atlas probes,
    /// whose failures are their own observations.
    pub unreached: Vec<Observation>,
}

/// "a, b, c" or "a, b, c and 4 more".
fn listed(items: &[String], most: usize) -> String {
    if items.len() <= most {
        items.join(", ")
    } else {
        format!(
            "{} and {} more",
            items[..most].join(", "),
            items.len() - most
        )
    }
}

fn in_countries(countries: &[String]) -> String {
    if countries.is_empty() {
        "of unknown location".to_string()
    } else {
        format!("in {}", listed(countries, 5))
    }
}

fn origin_phrase(asns: &[Asn]) -> Option<String> {
    match asns {
        [] => None,
        [one] => Some(format!("one origin AS: {one}")),
        many => Some(format!(
            "origin ASes: {}",
            listed(&many.iter().map(Asn::to_string).collect::<Vec<_>>(), 4)
        )),
    }
}

/// The answer set of one observation: (records, whether they are addresses).
fn answer_set(answers: &[Answer]) -> (Vec<String>, bool) {
    let addresses: BTreeSet<String> = answers
        .iter()
        .filter(|answer| answer.rtype.is_address())
        .map(|answer| {
            // Canonical text, so "2001:0db8::1" from one source equals "2001:db8::1" from another.
            answer
                .data
                .parse::<IpAddr>()
                .map(|address| address.to_string())
                .unwrap_or_else(|_| answer.data.clone())
        })
        .collect();
    if !addresses.is_empty() {
        return (addresses.into_iter().collect(), true);
    }
    // Other types: every record but the signatures, which differ between signing runs and would
    // split identical answers (RFC 4034 §3).
    let records: BTreeSet<String> = answers
        .iter()
        .filter(|answer| answer.rtype != RecordType::RRSIG)
        .map(|answer| format!("{} {}", answer.rtype, answer.data))
        .collect();
    (records.into_iter().collect(), false)
}

fn cname_chain(answers: &[Answer]) -> Vec<String> {
    answers
        .iter()
        .filter(|answer| answer.rtype == RecordType::CNAME)
        .map(|answer| format!("{} → {}", answer.name, answer.data))
        .collect()
}

/// The addresses in the observations that are worth asking RIPEstat about: every distinct A/AAAA
/// address that is not special-purpose, sorted.
pub fn addresses_to_enrich(observations: &[Observation]) -> Vec<String> {
    let mut addresses = BTreeSet::new();
    for observation in observations.iter().filter(|o| o.failure.is_none()) {
        let (records, is_address) = answer_set(&observation.answers);
        if is_address {
            addresses.extend(
                records
                    .into_iter()
                    .filter(|address| special_purpose_text(address).is_none()),
            );
        }
    }
    addresses.into_iter().collect()
}

fn failure_reason(observation: &Observation) -> Option<String> {
    if let Some(kind) = observation.failure {
        return Some(
            match kind {
                FailureKind::Timeout => "timeout",
                FailureKind::Unreadable => "unreadable reply",
                FailureKind::Error => "error",
            }
            .to_string(),
        );
    }
    match observation.rcode {
        Some(rcode) if rcode.is_answer() => None,
        Some(rcode) => Some(rcode.to_string()),
        None => Some("error".to_string()),
    }
}

fn ecs_summaries(observations: &[Observation]) -> Vec<EcsSummary> {
    let mut by_resolver: BTreeMap<String, EcsSummary> = BTreeMap::new();
    for observation in observations {
        let VantageSource::Resolver {
            resolver,
            subnet: Some(_),
        } = &observation.vantage.source
        else {
            continue;
        };
        if observation.failure.is_some() {
            continue;
        }
        let summary = by_resolver
            .entry(resolver.clone())
            .or_insert_with(|| EcsSummary {
                resolver: resolver.clone(),
                sent: 0,
                honoured: 0,
                ignored: 0,
                not_echoed: 0,
                scopes: Vec::new(),
            });
        summary.sent += 1;
        match observation.ecs {
            EcsOutcome::Honoured { scope_prefix, .. } => {
                summary.honoured += 1;
                if !summary.scopes.contains(&scope_prefix) {
                    summary.scopes.push(scope_prefix);
                    summary.scopes.sort_unstable();
                }
            }
            EcsOutcome::Ignored { .. } => summary.ignored += 1,
            EcsOutcome::NotEchoed { .. } | EcsOutcome::NotSent => summary.not_echoed += 1,
        }
    }
    by_resolver.into_values().collect()
}

fn ecs_evidence(summary: &EcsSummary) -> String {
    let subnets = counted(summary.sent, "subnet");
    if summary.honoured == 0 && summary.ignored == 0 {
        return format!(
            "{} never echoed the client subnet ({subnets} sent): it does not pass ECS on, so its answers are not those of clients elsewhere",
            summary.resolver
        );
    }
    let scopes: Vec<String> = summary.scopes.iter().map(|s| format!("/{s}")).collect();
    let mut text = format!(
        "{} honoured ECS for {} of {subnets}",
        summary.resolver, summary.honoured
    );
    if !scopes.is_empty() {
        text.push_str(&format!(" (scope {})", scopes.join(", ")));
    }
    if summary.ignored > 0 {
        text.push_str(&format!(
            "; {} came back with scope 0 (the answer is the same for everyone)",
            summary.ignored
        ));
    }
    if summary.not_echoed > 0 {
        text.push_str(&format!("; {} not echoed", summary.not_echoed));
    }
    text
}

/// Builds the matrix; `origins` maps address text to what RIPEstat says about it (may be empty).
pub fn build(observations: Vec<Observation>, origins: &BTreeMap<String, Origin>) -> AnswerMatrix {
    let mut groups: BTreeMap<(Rcode, Vec<String>), AnswerGroup> = BTreeMap::new();
    let mut failures: BTreeMap<String, FailureGroup> = BTreeMap::new();
    for (index, observation) in observations.iter().enumerate() {
        if let Some(reason) = failure_reason(observation) {
            let group = failures
                .entry(reason.clone())
                .or_insert_with(|| FailureGroup {
                    reason,
                    observations: Vec::new(),
                    example: observation.error.clone(),
                });
            group.observations.push(index);
            continue;
        }
        let rcode = observation.rcode.unwrap_or(Rcode::NOERROR);
        let (records, addresses) = answer_set(&observation.answers);
        let group = groups
            .entry((rcode, records.clone()))
            .or_insert_with(|| AnswerGroup {
                rcode,
                origins: if addresses {
                    records
                        .iter()
                        .map(|address| AddressOrigin {
                            address: address.clone(),
                            special_purpose: special_purpose_text(address),
                            origin: origins.get(address).cloned(),
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                records,
                addresses,
                cname_chains: Vec::new(),
                observations: Vec::new(),
                countries: Vec::new(),
                continents: Vec::new(),
                origin_asns: Vec::new(),
                nsids: Vec::new(),
                rt_median_ms: None,
            });
        group.observations.push(index);
        let chain = cname_chain(&observation.answers);
        if !chain.is_empty() && !group.cname_chains.contains(&chain) {
            group.cname_chains.push(chain);
        }
    }
    let mut groups: Vec<AnswerGroup> = groups.into_values().collect();
    for group in &mut groups {
        let members: Vec<&Observation> = group
            .observations
            .iter()
            .map(|&index| &observations[index])
            .collect();
        let countries: BTreeSet<String> = members
            .iter()
            .filter_map(|o| o.vantage.country.clone())
            .collect();
        let continents: BTreeSet<Continent> =
            members.iter().filter_map(|o| o.vantage.continent).collect();
        let asns: BTreeSet<Asn> = group
            .origins
            .iter()
            .filter_map(|origin| origin.origin.as_ref())
            .flat_map(|origin| origin.asns.iter().cloned())
            .collect();
        let mut nsids: BTreeMap<String, usize> = BTreeMap::new();
        for nsid in members.iter().filter_map(|o| o.nsid.clone()) {
            *nsids.entry(nsid).or_default() += 1;
        }
        let rts: Vec<f64> = members.iter().filter_map(|o| o.rt_ms).collect();
        group.countries = countries.into_iter().collect();
        group.continents = continents.into_iter().collect();
        group.origin_asns = asns.into_iter().collect();
        group.nsids = nsids.into_iter().collect();
        group
            .nsids
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        group.rt_median_ms = stats::median(&rts);
    }
    // Largest first; equal sizes in answer-set order, so the result does not depend on input order.
    groups.sort_by_key(|group| std::cmp::Reverse(group.size()));
    let mut group_of = vec![None; observations.len()];
    for (number, group) in groups.iter().enumerate() {
        for &index in &group.observations {
            group_of[index] = Some(number);
        }
    }
    let mut failures: Vec<FailureGroup> = failures.into_values().collect();
    failures.sort_by_key(|failure| std::cmp::Reverse(failure.observations.len()));
    let ecs = ecs_summaries(&observations);
    let verdict = verdict(&observations, &groups, &failures, &ecs);
    AnswerMatrix {
        observations,
        groups,
        failures,
        group_of,
        ecs,
        verdict,
        unreached: Vec::new(),
    }
}

/// Whether a group is a small minority of the answered vantages: at most a fifth of them.
fn minority(group: &AnswerGroup, answered: usize) -> bool {
    answered >= 5 && group.size() * 5 <= answered
}

fn outliers(groups: &[AnswerGroup], observations: &[Observation], answered: usize) -> Vec<Outlier> {
    let majority_asns: BTreeSet<u32> = groups
        .iter()
        .filter(|group| !minority(group, answered))
        .flat_map(|group| group.origin_asns.iter().map(|asn| asn.number))
        .collect();
    let others_have_records = groups
        .iter()
        .filter(|group| !minority(group, answered))
        .any(|group| !group.records.is_empty());
    let mut found = Vec::new();
    for (number, group) in groups.iter().enumerate() {
        if !minority(group, answered) {
            continue;
        }
        let all_probes = group
            .observations
            .iter()
            .all(|&index| observations[index].vantage.is_atlas_probe());
        // ECS vantages are the resolver's idea of a client there, not a network in that country, so
        // tampering on the path is not what their odd answers suggest first.
        let suspicion = if all_probes {
            "possible censorship or hijack"
        } else {
            "possibly an answer meant only for that region, or tampering"
        };
        let who = format!(
            "{} {}",
            counted(group.size(), "vantage"),
            in_countries(&group.countries)
        );
        let special = group.special_addresses();
        let (reason, text) = if !special.is_empty() {
            let kinds: Vec<String> = special
                .iter()
                .map(|origin| {
                    format!(
                        "{}, {}",
                        origin.address,
                        origin.special_purpose.unwrap_or_default()
                    )
                })
                .collect();
            (
                OutlierReason::SpecialPurposeAddress,
                format!(
                    "{who} got a special-purpose address ({}): {suspicion}",
                    kinds.join("; ")
                ),
            )
        } else if group.records.is_empty() && others_have_records {
            let what = match (group.rcode == Rcode::NXDOMAIN, group.size()) {
                (true, 1) => "was told the name does not exist (NXDOMAIN)",
                (true, _) => "were told the name does not exist (NXDOMAIN)",
                (false, _) => "got no records",
            };
            (
                OutlierReason::MissingAnswer,
                format!("{who} {what} while the others got answers: {suspicion}"),
            )
        } else if group.origins_known()
            && !majority_asns.is_empty()
            && group
                .origin_asns
                .iter()
                .all(|asn| !majority_asns.contains(&asn.number))
        {
            let asns: Vec<String> = group.origin_asns.iter().map(Asn::to_string).collect();
            (
                OutlierReason::DifferentOrigin,
                format!(
                    "{who} got {} from {}, an origin no other vantage saw: {suspicion}",
                    listed(&group.records, 3),
                    listed(&asns, 3)
                ),
            )
        } else {
            continue;
        };
        found.push(Outlier {
            group: number,
            reason,
            text,
        });
    }
    found
}

fn failure_summary(failures: &[FailureGroup]) -> Option<String> {
    let total: usize = failures.iter().map(|f| f.observations.len()).sum();
    if total == 0 {
        return None;
    }
    let parts: Vec<String> = failures
        .iter()
        .map(|failure| {
            let count = failure.observations.len();
            match failure.reason.as_str() {
                "timeout" => counted(count, "timeout"),
                "error" => counted(count, "error"),
                "unreadable reply" => counted(count, "unreadable reply"),
                rcode => format!("{count} {rcode}"),
            }
        })
        .collect();
    Some(format!(
        "{} failed and {} counted apart: {}",
        counted(total, "vantage"),
        if total == 1 { "is" } else { "are" },
        parts.join(", ")
    ))
}

/// "in 3 continents" over the given groups' vantages, when any is placed.
fn in_continents(groups: &[&AnswerGroup]) -> String {
    let continents: BTreeSet<Continent> = groups
        .iter()
        .flat_map(|group| group.continents.iter().copied())
        .collect();
    match continents.len() {
        0 => String::new(),
        n => format!(" in {}", counted(n, "continent")),
    }
}

/// The same answer from most vantages: "The same 2 addresses from all 187 vantages in 6 continents
/// (one origin AS: AS62041 Telegram)".
fn same_answer_headline(group: &AnswerGroup, answered: usize) -> String {
    let what = if group.rcode == Rcode::NXDOMAIN {
        "NXDOMAIN (the name does not exist)".to_string()
    } else if group.records.is_empty() {
        "No records".to_string()
    } else if group.addresses && group.records.len() == 1 {
        "The same address".to_string()
    } else if group.addresses {
        format!("The same {} addresses", group.records.len())
    } else {
        format!(
            "The same answer ({})",
            counted(group.records.len(), "record")
        )
    };
    if answered == 1 {
        let mut headline = format!("Only 1 vantage answered: {}", group.describe());
        if let Some(origin) = origin_phrase(&group.origin_asns).filter(|_| group.origins_known()) {
            headline.push_str(&format!(" ({origin})"));
        }
        return headline;
    }
    let from = if group.size() == answered {
        if answered == 2 {
            "from both vantages".to_string()
        } else {
            format!("from all {answered} vantages")
        }
    } else {
        format!("from {} of {answered} vantages", group.size())
    };
    let mut headline = format!("{what} {from}{}", in_continents(&[group]));
    if let Some(origin) = origin_phrase(&group.origin_asns).filter(|_| group.origins_known()) {
        headline.push_str(&format!(" ({origin})"));
    }
    headline
}

fn group_evidence(group: &AnswerGroup) -> Vec<String> {
    let mut lines = vec![format!(
        "{} {}: {}",
        counted(group.size(), "vantage"),
        in_countries(&group.countries),
        group.describe()
    )];
    for chain in &group.cname_chains {
        lines.push(format!("CNAME chain: {}", chain.join(", ")));
    }
    if !group.nsids.is_empty() {
        let nsids: Vec<String> = group
            .nsids
            .iter()
            .map(|(nsid, count)| format!("{nsid} ({count})"))
            .collect();
        lines.push(format!("Answered by (NSID): {}", listed(&nsids, 6)));
    }
    for origin in &group.origins {
        if let Some(found) = &origin.origin {
            let asns: Vec<String> = found.asns.iter().map(Asn::to_string).collect();
            lines.push(format!(
                "{} is announced in {} by {}",
                origin.address,
                found.prefix.as_deref().unwrap_or("an unknown prefix"),
                if asns.is_empty() {
                    "no AS (not announced)".to_string()
                } else {
                    asns.join(", ")
                }
            ));
        }
    }
    lines
}

/// Which group dominates each continent, over the given groups: (continent, group index, its
/// vantages there, all vantages there).
fn dominant_by_continent(
    groups: &[AnswerGroup],
    main: &[usize],
    observations: &[Observation],
) -> Vec<(Continent, usize, usize, usize)> {
    let mut rows = Vec::new();
    for continent in Continent::ALL {
        let mut counts: Vec<(usize, usize)> = main
            .iter()
            .map(|&number| {
                let here = groups[number]
                    .observations
                    .iter()
                    .filter(|&&index| observations[index].vantage.continent == Some(continent))
                    .count();
                (number, here)
            })
            .filter(|(_, here)| *here > 0)
            .collect();
        let total: usize = counts.iter().map(|(_, here)| here).sum();
        // Most vantages first; ties to the larger group overall (the lower index).
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if let Some(&(number, here)) = counts.first() {
            rows.push((continent, number, here, total));
        }
    }
    rows
}

fn verdict(
    observations: &[Observation],
    groups: &[AnswerGroup],
    failures: &[FailureGroup],
    ecs: &[EcsSummary],
) -> Verdict {
    let answered: usize = groups.iter().map(AnswerGroup::size).sum();
    let failures_text = failure_summary(failures);
    let ecs_lines: Vec<String> = ecs.iter().map(ecs_evidence).collect();
    if observations.is_empty() {
        return Verdict {
            kind: VerdictKind::NoObservations,
            headline: "No vantage has been asked yet.".to_string(),
            evidence: Vec::new(),
            outliers: Vec::new(),
            failures: None,
        };
    }
    if answered == 0 {
        return Verdict {
            kind: VerdictKind::NoAnswers,
            headline: format!(
                "No vantage got an answer ({} asked).",
                counted(observations.len(), "vantage")
            ),
            evidence: failures
                .iter()
                .filter_map(|failure| {
                    failure
                        .example
                        .as_ref()
                        .map(|example| format!("{}: e.g. {example}", failure.reason))
                })
                .collect(),
            outliers: Vec::new(),
            failures: failures_text,
        };
    }
    let mut outliers = outliers(groups, observations, answered);
    // When every answer set looks odd there is no majority to be odd against.
    if outliers.len() == groups.len() {
        outliers.clear();
    }
    let outlier_groups: BTreeSet<usize> = outliers.iter().map(|o| o.group).collect();
    let main: Vec<usize> = (0..groups.len())
        .filter(|number| !outlier_groups.contains(number))
        .collect();
    let mut evidence = Vec::new();
    let (kind, headline) = if main.len() <= 1 {
        let group = main.first().map_or(&groups[0], |&number| &groups[number]);
        evidence.extend(group_evidence(group));
        (
            VerdictKind::Consistent,
            same_answer_headline(group, answered),
        )
    } else {
        let dominant = dominant_by_continent(groups, &main, observations);
        let placed: usize = dominant.iter().map(|row| row.3).sum();
        let agreeing: usize = dominant.iter().map(|row| row.2).sum();
        // A continent seen from a single vantage cannot show a regional pattern by itself.
        let distinct: BTreeSet<usize> = dominant
            .iter()
            .filter(|row| row.3 >= 2)
            .map(|row| row.1)
            .collect();
        let largest = &groups[main[0]];
        let main_groups: Vec<&AnswerGroup> = main.iter().map(|&n| &groups[n]).collect();
        let all_asns: BTreeSet<&Asn> = main_groups
            .iter()
            .flat_map(|group| group.origin_asns.iter())
            .collect();
        let one_operator =
            main_groups.iter().all(|group| group.origins_known()) && all_asns.len() == 1;
        // By region when each continent mostly agrees within itself (80 % of the placed vantages
        // get their continent's dominant answer) and the continents do not all agree.
        if distinct.len() >= 2 && placed > 0 && agreeing * 5 >= placed * 4 {
            let parts: Vec<String> = dominant
                .iter()
                .map(|(continent, number, _, _)| {
                    format!(
                        "{} → {}",
                        continent.name(),
                        listed(&groups[*number].records, 2)
                    )
                })
                .collect();
            for (continent, number, here, total) in &dominant {
                evidence.push(format!(
                    "{}: {here} of {total} vantages got {}",
                    continent.name(),
                    groups[*number].describe()
                ));
            }
            if one_operator && let Some(asn) = all_asns.first() {
                evidence.push(format!(
                    "Every answer comes from one origin AS, {asn}: one operator steering clients by region"
                ));
            }
            (
                VerdictKind::ByRegion,
                format!("Answers differ by region (geo-DNS): {}", parts.join("; ")),
            )
        } else if largest.size() * 5 >= answered * 4 {
            evidence.extend(group_evidence(largest));
            for &number in &main[1..] {
                evidence.extend(group_evidence(&groups[number]));
            }
            let others = answered - largest.size();
            (
                VerdictKind::MostlyConsistent,
                format!(
                    "{}; {} got other answers",
                    same_answer_headline(largest, answered),
                    counted(others, "vantage")
                ),
            )
        } else {
            for &number in main.iter().take(6) {
                evidence.extend(group_evidence(&groups[number]));
            }
            if one_operator && let Some(asn) = all_asns.first() {
                evidence.push(format!(
                    "Every answer comes from one origin AS, {asn}: one operator rotating or balancing its addresses"
                ));
            }
            (
                VerdictKind::Varied,
                format!(
                    "Answers differ between vantages without a regional pattern: {} among {}",
                    counted(main.len(), "answer set"),
                    counted(answered, "vantage")
                ),
            )
        }
    };
    for &number in &main {
        let group = &groups[number];
        let special = group.special_addresses();
        if !special.is_empty() && !minority(group, answered) {
            let addresses: Vec<String> = special.iter().map(|s| s.address.clone()).collect();
            evidence.push(format!(
                "{} got special-purpose addresses ({}): the name may be internal, or blocked by the resolvers used",
                counted(group.size(), "vantage"),
                listed(&addresses, 3)
            ));
        }
    }
    evidence.extend(ecs_lines);
    Verdict {
        kind,
        headline,
        evidence,
        outliers,
        failures: failures_text,
    }
}

/// "img.alicdn.com. A", or "unknown question" for responses that carried none.
pub fn question_text(question: Option<&Question>) -> String {
    match question {
        Some(question) => format!("{} {}", question.name, question.rtype),
        None => "responses without a question (timeouts, errors)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::doh::parse_json;
    use crate::dns::subnets::{ecs_subnets, for_country};

    fn address(name: &str, data: &str) -> Answer {
        Answer {
            name: name.to_string(),
            rtype: if data.contains(':') {
                RecordType::AAAA
            } else {
                RecordType::A
            },
            ttl: 60,
            data: data.to_string(),
        }
    }

    /// A vantage in `country` that got `addresses` (a synthetic reply, to exercise the verdict).
    fn seen(country: &str, rcode: Rcode, addresses: &[&str]) -> Observation {
        let vantage = Vantage::resolver_for("Test resolver", None, Some(country));
        let answers = addresses.iter().map(|a| address("t.example.", a)).collect();
        Observation::answered(vantage, rcode, answers, None, None, Some(20.0))
    }

    /// Google's recorded reply for img.alicdn.com with the subnet 223.72.90.0/24 echoed at scope
    /// /24: ECS honoured, and the CNAME chain kept as context.
    #[test]
    fn ecs_is_reported_per_resolver() {
        let reply = parse_json(include_str!(
            "../../tests/fixtures/doh/google-json_A_with-edns_client_subnet_img.alicdn.com.json"
        ))
        .unwrap();
        let subnet: ClientSubnet = "223.72.90.0/24".parse().unwrap();
        let vantage = Vantage::resolver_for("Google", Some(subnet), Some("CN"));
        assert_eq!(vantage.label(), "Google for CN (223.72.90.0/24)");
        let honoured = Observation::from_doh(vantage, &reply, Some(31.0));
        assert_eq!(
            honoured.ecs,
            EcsOutcome::Honoured {
                sent: subnet,
                scope_prefix: 24
            }
        );
        let cloudflare = parse_json(include_str!(
            "../../tests/fixtures/doh/cloudflare-json_AAAA_example.com.json"
        ))
        .unwrap();
        let de = for_country("DE").unwrap();
        let not_echoed =
            Observation::from_doh(Vantage::resolver("Other", Some(&de)), &cloudflare, None);
        assert!(matches!(not_echoed.ecs, EcsOutcome::NotEchoed { .. }));
        let matrix = build(vec![honoured, not_echoed], &BTreeMap::new());
        assert_eq!(matrix.ecs.len(), 2);
        assert_eq!(
            matrix.ecs[0],
            EcsSummary {
                resolver: "Google".to_string(),
                sent: 1,
                honoured: 1,
                ignored: 0,
                not_echoed: 0,
                scopes: vec![24]
            }
        );
        let alicdn = matrix.groups.iter().find(|g| g.records.len() == 2).unwrap();
        assert_eq!(
            alicdn.cname_chains,
            [["img.alicdn.com. → img.alicdn.com.danuoyi.alicdn.com.".to_string()]]
        );
        let evidence = matrix.verdict.evidence.join("\n");
        assert!(
            evidence.contains("Google honoured ECS for 1 of 1 subnet (scope /24)"),
            "{evidence}"
        );
        assert!(
            evidence.contains("Other never echoed the client subnet"),
            "{evidence}"
        );
    }

    /// One /24 per country from the shipped table, asked of one resolver; the synthetic answers give
    /// each continent its own address, as a CDN steering by ECS would.
    #[test]
    fn answers_by_continent_are_geo_dns() {
        let observations: Vec<Observation> = ecs_subnets()
            .iter()
            .map(|subnet| {
                let answer = match subnet.continent() {
                    Some(Continent::Europe) => "151.101.1.69",
                    Some(Continent::Asia) => "151.101.193.69",
                    Some(Continent::NorthAmerica) => "151.101.65.69",
                    _ => "151.101.129.69",
                };
                let vantage = Vantage::resolver("Google", Some(subnet));
                let answers = vec![address("t.example.", answer)];
                Observation::answered(vantage, Rcode::NOERROR, answers, None, None, None)
            })
            .collect();
        let count = observations.len();
        let matrix = build(observations, &BTreeMap::new());
        assert_eq!(matrix.groups.len(), 4);
        let verdict = &matrix.verdict;
        assert_eq!(verdict.kind, VerdictKind::ByRegion, "{verdict:?}");
        assert_eq!(
            verdict.headline,
            "Answers differ by region (geo-DNS): Africa → 151.101.129.69; Asia → 151.101.193.69; Europe → 151.101.1.69; North America → 151.101.65.69; Oceania → 151.101.129.69; South America → 151.101.129.69"
        );
        assert!(verdict.outliers.is_empty(), "{:?}", verdict.outliers);
        assert_eq!(matrix.group_of.len(), count);
        assert!(
            verdict
                .evidence
                .iter()
                .any(|l| l.starts_with("Europe: 20 of 20 vantages got")),
            "{:?}",
            verdict.evidence
        );
    }

    #[test]
    fn a_private_address_from_one_vantage_is_an_outlier() {
        let mut observations: Vec<Observation> = (0..20)
            .map(|i| {
                seen(
                    ["NL", "DE", "US", "JP", "BR"][i % 5],
                    Rcode::NOERROR,
                    &["149.154.167.99", "149.154.175.50"],
                )
            })
            .collect();
        observations.push(seen("IR", Rcode::NOERROR, &["10.10.34.35"]));
        let matrix = build(observations, &BTreeMap::new());
        let verdict = &matrix.verdict;
        assert_eq!(verdict.kind, VerdictKind::Consistent);
        assert_eq!(
            verdict.headline,
            "The same 2 addresses from 20 of 21 vantages in 4 continents"
        );
        assert_eq!(verdict.outliers.len(), 1);
        assert_eq!(
            verdict.outliers[0].reason,
            OutlierReason::SpecialPurposeAddress
        );
        assert_eq!(
            verdict.outliers[0].text,
            "1 vantage in IR got a special-purpose address (10.10.34.35, private (RFC 1918)): possibly an answer meant only for that region, or tampering"
        );
    }

    #[test]
    fn nxdomain_and_foreign_origins_from_a_few_probes_are_outliers() {
        let probe = |id: u64, country: &str| {
            Vantage::atlas_probe(
                id,
                None,
                Some(&crate::model::Probe {
                    id,
                    country_code: Some(country.to_string()),
                    asn_v4: None,
                    asn_v6: None,
                    latitude: Some(1.0),
                    longitude: Some(2.0),
                    is_anchor: false,
                    description: None,
                    status_name: None,
                    prefix_v4: None,
                    prefix_v6: None,
                }),
            )
        };
        let telegram = || Origin {
            prefix: Some("149.154.160.0/20".to_string()),
            asns: vec![Asn {
                number: 62041,
                holder: Some("TELEGRAM".to_string()),
            }],
        };
        let mut origins = BTreeMap::from([
            ("149.154.167.99".to_string(), telegram()),
            (
                "203.0.114.7".to_string(),
                Origin {
                    prefix: Some("203.0.114.0/24".to_string()),
                    asns: vec![Asn {
                        number: 64511,
                        holder: Some("ELSEWHERE".to_string()),
                    }],
                },
            ),
        ]);
        let mut observations = Vec::new();
        for id in 0..18 {
            let answers = vec![address("t.me.", "149.154.167.99")];
            observations.push(Observation::answered(
                probe(id, "DE"),
                Rcode::NOERROR,
                answers,
                None,
                None,
                None,
            ));
        }
        observations.push(Observation::answered(
            probe(100, "RU"),
            Rcode::NXDOMAIN,
            Vec::new(),
            None,
            None,
            None,
        ));
        let answers = vec![address("t.me.", "203.0.114.7")];
        observations.push(Observation::answered(
            probe(101, "CN"),
            Rcode::NOERROR,
            answers,
            None,
            None,
            None,
        ));
        let matrix = build(observations.clone(), &origins);
        let reasons: Vec<OutlierReason> =
            matrix.verdict.outliers.iter().map(|o| o.reason).collect();
        // Groups of equal size come in answer-set order: NOERROR before NXDOMAIN.
        assert_eq!(
            reasons,
            [OutlierReason::DifferentOrigin, OutlierReason::MissingAnswer]
        );
        assert_eq!(
            matrix.verdict.outliers[0].text,
            "1 vantage in CN got 203.0.114.7 from AS64511 ELSEWHERE, an origin no other vantage saw: possible censorship or hijack"
        );
        assert_eq!(
            matrix.verdict.outliers[1].text,
            "1 vantage in RU was told the name does not exist (NXDOMAIN) while the others got answers: possible censorship or hijack"
        );
        assert_eq!(
            matrix.verdict.headline,
            "The same address from 18 of 20 vantages in 1 continent (one origin AS: AS62041 TELEGRAM)"
        );
        // Without knowing the origins, a different address alone proves nothing: no outlier.
        origins.clear();
        let unknown = build(observations, &origins);
        assert_eq!(unknown.verdict.outliers.len(), 1);
        assert_eq!(unknown.verdict.kind, VerdictKind::MostlyConsistent);
    }

    #[test]
    fn rotation_without_a_regional_pattern_is_varied() {
        let sets: [&[&str]; 3] = [&["192.0.2.1"], &["192.0.2.2"], &["192.0.2.3"]];
        let observations: Vec<Observation> = (0..12)
            .map(|i| seen(["NL", "JP", "US", "DE"][i % 4], Rcode::NOERROR, sets[i % 3]))
            .collect();
        let matrix = build(observations, &BTreeMap::new());
        assert_eq!(matrix.verdict.kind, VerdictKind::Varied);
        assert_eq!(
            matrix.verdict.headline,
            "Answers differ between vantages without a regional pattern: 3 answer sets among 12 vantages"
        );
        // Documentation addresses are special-purpose: said as evidence, not as outliers.
        assert!(
            matrix
                .verdict
                .evidence
                .iter()
                .any(|l| l.contains("special-purpose addresses"))
        );
    }

    #[test]
    fn nothing_or_only_failures() {
        let empty = build(Vec::new(), &BTreeMap::new());
        assert_eq!(empty.verdict.kind, VerdictKind::NoObservations);
        let vantage = Vantage::resolver_for("Google", None, None);
        let failed = vec![
            Observation::failed(
                vantage.clone(),
                FailureKind::Timeout,
                "no reply within 5 s",
                None,
            ),
            Observation::failed(vantage.clone(), FailureKind::Unreadable, "not JSON", None),
            seen("NL", Rcode::SERVFAIL, &[]),
        ];
        let matrix = build(failed, &BTreeMap::new());
        assert_eq!(matrix.verdict.kind, VerdictKind::NoAnswers);
        assert_eq!(
            matrix.verdict.headline,
            "No vantage got an answer (3 vantages asked)."
        );
        assert_eq!(
            matrix.verdict.failures.as_deref(),
            Some(
                "3 vantages failed and are counted apart: 1 SERVFAIL, 1 timeout, 1 unreadable reply"
            )
        );
        let one = build(vec![seen("NL", Rcode::NXDOMAIN, &[])], &BTreeMap::new());
        assert_eq!(
            one.verdict.headline,
            "Only 1 vantage answered: NXDOMAIN (the name does not exist)"
        );
        let http = Observation::from_doh_result(
            vantage,
            &Err(crate::dns::doh::http_failure(429, "")),
            None,
        );
        assert_eq!(http.failure, Some(FailureKind::Error));
    }

    #[test]
    fn matrices_serialise_for_the_notebook() {
        let matrix = build(
            vec![seen("NL", Rcode::NOERROR, &["2001:0db8::1"])],
            &BTreeMap::new(),
        );
        assert_eq!(matrix.groups[0].records, ["2001:db8::1"]);
        let json = serde_json::to_value(&matrix).unwrap();
        assert_eq!(json["verdict"]["kind"], "consistent");
        assert_eq!(json["observations"][0]["rcode"], "NOERROR");
        assert_eq!(
            json["observations"][0]["vantage"]["source"]["kind"],
            "resolver"
        );
        assert_eq!(json["groups"][0]["continents"][0], "Europe");
    }
}
