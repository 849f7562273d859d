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
use super::record::{Answer, ClientSubnet, EcsEcho, EcsOutcome, Rcode, RecordType};
use super::subnets::EcsSubnet;
use super::wire::Message;
use crate::atlas::probes::Probe;
use crate::geo::{Continent, continent_of};
use crate::ripestat::{Asn, Origin};
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
        format!(
            "{} ({})",
            counted(self.records.len(), noun),
            listed(&self.records, 4)
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
}

/// "1 vantage", "3 vantages", "2 addresses", "2 unreadable replies".
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else if noun.ends_with('s') {
        format!("{count} {noun}es")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{count} {stem}ies")
    } else {
        format!("{count} {noun}s")
    }
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
        let rts: Vec<f64> = members.iter().filter_map(|o| o.rt_ms).collect();
        group.countries = countries.into_iter().collect();
        group.continents = continents.into_iter().collect();
        group.origin_asns = asns.into_iter().collect();
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
            let what = if group.rcode == Rcode::NXDOMAIN {
                "were told the name does not exist (NXDOMAIN)"
            } else {
                "got no records"
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
    let from = if group.size() == answered {
        if answered == 1 {
            "from the only vantage that answered".to_string()
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
        let distinct: BTreeSet<usize> = dominant.iter().map(|row| row.1).collect();
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
