//! Creating RIPE Atlas one-off measurements with the user's own API key, as pure data: the request the
//! author builds (test, target, probe selection), its checks, the exact `POST /api/v2/measurements/`
//! body, a credit estimate, the equivalent `ripe-atlas measure …` command lines, and the replies read
//! back (created IDs, progress from the measurement's metadata, error bodies turned into messages that
//! say what to do). The key itself is an [`ApiKey`] that never prints or serialises its secret.
//!
//! This module must not do I/O: the `net` shell sends the body and hands the status and text back here.
//!
//! Sources: the RIPE Atlas REST API manual (atlas.ripe.net/docs/apis/rest-api-manual/…: creating
//! measurements, the probes array, error messages, API keys), the Atlas "Credits" page for the cost
//! model, and RIPE's own command-line client ripe-atlas-tools (`ripe/atlas/tools/commands/measure/*.py`)
//! for the command equivalents. Each figure below names where it came from.

use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::geo::country_name;

/// The most probes one measurement may ask for, over all its probe selections: the quota "≤1000 probes
/// per measurement" in the Atlas docs' list of limits (API-NOTES §1.2; the notes treat the quotas as
/// approximate, so the server's answer still wins).
pub const MAX_PROBES_PER_MEASUREMENT: u32 = 1000;

/// Ping packets per probe: the Atlas API's own field description allows 1 to 16, default 3 (as
/// carried into DNS-OARC/ripeatlas `measurement.go`).
pub const PING_PACKETS: std::ops::RangeInclusive<u8> = 1..=16;

/// Paris traceroute variations: 0 to 64 (same source; ripe-atlas-tools' `--paris` validator uses the
/// same range). Zero is a classic traceroute.
pub const PARIS_VARIATIONS: std::ops::RangeInclusive<u8> = 0..=64;

/// The six areas of the `area` probe selector, spelled as the API wants them ("The probes Array in
/// Detail", atlas.ripe.net/docs/apis/rest-api-manual/measurements/types/in-detail; the same six are the
/// choices of ripe-atlas-tools' `--from-area`).
pub const AREAS: [&str; 6] = [
    "WW",
    "West",
    "North-Central",
    "South-Central",
    "North-East",
    "South-East",
];

/// The values of the `region` probe selector ("Probe Selection", atlas.ripe.net/docs/apis/
/// rest-api-manual/measurements/creating-measurements/probe-selection/): continents and their UN
/// M49 sub-regions, the EU and the five RIR service regions.
pub const REGIONS: [&str; 36] = [
    "africa",
    "northern_africa",
    "sub_saharan_africa",
    "eastern_africa",
    "middle_africa",
    "southern_africa",
    "western_africa",
    "americas",
    "latin_america_and_caribbean",
    "caribbean",
    "central_america",
    "south_america",
    "northern_america",
    "antarctica",
    "asia",
    "central_asia",
    "eastern_asia",
    "south_eastern_asia",
    "southern_asia",
    "western_asia",
    "europe",
    "eastern_europe",
    "northern_europe",
    "southern_europe",
    "western_europe",
    "oceania",
    "australia_and_new_zealand",
    "melanesia",
    "micronesia",
    "polynesia",
    "eu27",
    "afrinic",
    "apnic",
    "arin",
    "lacnic",
    "ripencc",
];

/// The regions that "N per continent" asks on Atlas: the six inhabited continents, with the Americas
/// split as M49 splits them (Northern America is the US, Canada, Bermuda, Greenland and Saint Pierre;
/// Latin America and the Caribbean is the rest), so no country is asked twice and none is left out.
pub const CONTINENT_REGIONS: [&str; 6] = [
    "africa",
    "asia",
    "europe",
    "northern_america",
    "latin_america_and_caribbean",
    "oceania",
];

/// Traceroute protocols the API and ripe-atlas-tools' `--protocol` accept.
pub const TRACEROUTE_PROTOCOLS: [&str; 3] = ["ICMP", "UDP", "TCP"];

/// DNS query types offered: exactly the choices of ripe-atlas-tools' `measure dns --query-type` (the
/// record types ripe-atlas-sagan can parse, plus ANY), so the body and the command line agree and the
/// results can be read back. The API may accept a few more; HTTPS/SVCB were still missing from its list
/// in 2026 (a ripe-atlas mailing-list request of 2026-05-06, as recorded in a public research note).
pub const DNS_QUERY_TYPES: [&str; 19] = [
    "A",
    "AAAA",
    "ANY",
    "CNAME",
    "DNSKEY",
    "DS",
    "HINFO",
    "MX",
    "NS",
    "NSEC",
    "NSEC3",
    "NSEC3PARAM",
    "PTR",
    "RRSIG",
    "SOA",
    "SRV",
    "SSHFP",
    "TLSA",
    "TXT",
];

/// Where users create keys (the brief's address; the Atlas docs send users to the "API Keys" management
/// page of their RIPE NCC Access account).
pub const KEYS_PAGE: &str = "https://atlas.ripe.net/keys/";

/// The permission a key needs, as ripe-atlas-tools' quickstart names it.
pub const CREATE_PERMISSION: &str = "Create a new user defined measurement";

// ---------------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------------

/// What each probe does. Only the options an investigation needs are exposed; Atlas fills every other
/// field with its defaults (packet size, timeouts, hop limits, DNS protocol UDP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AtlasTest {
    Ping {
        packets: u8,
    },
    /// `protocol` is ICMP, UDP or TCP; `paris` the number of Paris traceroute variations (0 = classic).
    Traceroute {
        protocol: String,
        paris: u8,
    },
    /// With `use_probe_resolver` each probe asks its own resolvers (the end user's view) and the request
    /// has no target; otherwise the request's target is the resolver or name server to ask.
    Dns {
        query_type: String,
        query_argument: String,
        use_probe_resolver: bool,
    },
}

impl AtlasTest {
    /// The Atlas `type`: "ping", "traceroute" or "dns".
    pub fn type_name(&self) -> &'static str {
        match self {
            AtlasTest::Ping { .. } => "ping",
            AtlasTest::Traceroute { .. } => "traceroute",
            AtlasTest::Dns { .. } => "dns",
        }
    }

    /// A sensible starting point for a measurement type named as Atlas names it (any case).
    ///
    /// Ping sends Atlas's default 3 packets. Traceroute uses ICMP, which firewalls pass more often than
    /// the API's UDP default, with Paris 16 (the value Atlas's own measurement 1033154 used, per its
    /// metadata fixture) so load-balanced paths stay stable per probe. DNS asks for A records through
    /// each probe's own resolver, the question "what do users there see?".
    pub fn default_for(kind: &str) -> Option<AtlasTest> {
        match kind.trim().to_ascii_lowercase().as_str() {
            "ping" => Some(AtlasTest::Ping { packets: 3 }),
            "traceroute" => Some(AtlasTest::Traceroute {
                protocol: "ICMP".to_string(),
                paris: 16,
            }),
            "dns" => Some(AtlasTest::Dns {
                query_type: "A".to_string(),
                query_argument: String::new(),
                use_probe_resolver: true,
            }),
            _ => None,
        }
    }
}

/// Which probes to ask for: the `type` and `value` of one entry of the API's `probes` array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProbeSelector {
    /// One of [`AREAS`].
    Area(String),
    /// One of [`REGIONS`].
    Region(String),
    /// ISO 3166-1 alpha-2.
    Country(String),
    Asn(u32),
    /// An IPv4 or IPv6 prefix, `address/length`.
    Prefix(String),
    /// Explicit probe IDs.
    Probes(Vec<u64>),
    /// The probes of an earlier measurement.
    Msm(u64),
}

impl ProbeSelector {
    /// The API's selector `type`.
    pub fn api_type(&self) -> &'static str {
        match self {
            ProbeSelector::Area(_) => "area",
            ProbeSelector::Region(_) => "region",
            ProbeSelector::Country(_) => "country",
            ProbeSelector::Asn(_) => "asn",
            ProbeSelector::Prefix(_) => "prefix",
            ProbeSelector::Probes(_) => "probes",
            ProbeSelector::Msm(_) => "msm",
        }
    }

    /// The API's selector `value`, always a string: the docs' examples write it as a string
    /// ("6001,6002" must be one), and a string is accepted for the numeric selectors too.
    pub fn api_value(&self) -> String {
        match self {
            ProbeSelector::Area(area) => canonical_area(area).unwrap_or(area.trim()).to_string(),
            ProbeSelector::Region(region) => canonical_region(region)
                .unwrap_or(region.trim())
                .to_string(),
            ProbeSelector::Country(code) => code.trim().to_ascii_uppercase(),
            ProbeSelector::Asn(asn) => asn.to_string(),
            ProbeSelector::Prefix(prefix) => prefix.trim().to_string(),
            ProbeSelector::Probes(ids) => join_ids(ids),
            ProbeSelector::Msm(id) => id.to_string(),
        }
    }

    /// Plain words for the UI: "worldwide", "the Netherlands (NL)", "AS3333", "probes 6001, 6002".
    pub fn describe(&self) -> String {
        match self {
            ProbeSelector::Area(area) => match canonical_area(area) {
                Some("WW") => "worldwide".to_string(),
                Some(area) => format!("area {area}"),
                None => format!("area {}", area.trim()),
            },
            ProbeSelector::Region(region) => region_name(region),
            ProbeSelector::Country(code) => {
                let code = code.trim().to_ascii_uppercase();
                match country_name(&code) {
                    Some(name) => format!("{name} ({code})"),
                    None => format!("country {code}"),
                }
            }
            ProbeSelector::Asn(asn) => format!("AS{asn}"),
            ProbeSelector::Prefix(prefix) => format!("prefix {}", prefix.trim()),
            ProbeSelector::Probes(ids) if ids.len() == 1 => format!("probe {}", ids[0]),
            ProbeSelector::Probes(ids) => format!(
                "probes {}",
                ids.iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ProbeSelector::Msm(id) => format!("the probes of measurement {id}"),
        }
    }
}

/// One probe selection and how many probes it should yield.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRequest {
    pub selector: ProbeSelector,
    pub requested: u32,
}

/// A one-off measurement as the author asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateRequest {
    pub test: AtlasTest,
    /// A host name or IP address. For DNS: the resolver or name server to ask, or empty when the probes
    /// use their own resolvers.
    pub target: String,
    /// 4 or 6.
    pub af: u8,
    pub description: String,
    pub probes: Vec<ProbeRequest>,
    /// Resolve the target on each probe rather than once on the Atlas servers: with a CDN or an anycast
    /// name, each probe then measures the address it would really use.
    pub resolve_on_probe: bool,
}

// ---------------------------------------------------------------------------------------------------
// The probe-selection syntax
// ---------------------------------------------------------------------------------------------------

/// Reads the probe selection the author typed, e.g.
/// `WW:50, country NL:10, AS3333:5, 193.0.0.0/21:3, probes 6001,6002, msm 1033154:20`.
///
/// Items are separated by commas, semicolons or new lines; each is a selector and, after a colon, how
/// many probes it should yield. Keywords are case-insensitive and spaces around them are free.
///
/// | item | selects | API `type` |
/// |---|---|---|
/// | `WW:50`, `area West:10` | an area: `WW` (worldwide), `West`, `North-Central`, `South-Central`, `North-East`, `South-East` (spaces or `_` may replace the hyphen) | `area` |
/// | `NL:10`, `country nl:10` | a country by its ISO 3166-1 two-letter code | `country` |
/// | `AS3333:5`, `asn 3333:5` | an autonomous system | `asn` |
/// | `193.0.0.0/21:3`, `prefix 2001:db8::/32:2` | probes inside an IPv4 or IPv6 prefix (the count follows the prefix length) | `prefix` |
/// | `probes 6001,6002`, `probe 6001` | these probes; the count is how many were listed, unless a `:N` after the last ID asks for fewer | `probes` |
/// | `msm 1033154:20` | the probes of an earlier measurement | `msm` |
/// | `europe:10`, `region western_europe:5` | a continent or region of [`REGIONS`] (spaces or `-` may replace `_`) | `region` |
/// | `5 per continent` | that many in each of [`CONTINENT_REGIONS`] (six selections) | `region` |
///
/// The count is required for every selector except `probes`, because it decides what the measurement
/// costs. Each count must be 1–1000. Mistakes come back as one message naming the item and saying what
/// to write instead.
pub fn parse_probe_requests(text: &str) -> Result<Vec<ProbeRequest>, String> {
    let mut requests: Vec<ProbeRequest> = Vec::new();
    // Whether the last item is a `probes` list that a following bare ID (after a comma) extends.
    let mut open_list = false;
    let mut position = 0;
    for chunk in text.split([';', '\n', '\r']) {
        for segment in chunk.split(',') {
            let item = segment.trim();
            if item.is_empty() {
                continue;
            }
            if open_list
                && let Some((id, count)) = list_continuation(item)
                && let Some(request) = requests.last_mut()
                && let ProbeSelector::Probes(ids) = &mut request.selector
            {
                ids.push(id.map_err(|problem| item_error(position, item, &problem))?);
                match count {
                    Some(count) => {
                        request.requested =
                            count.map_err(|problem| item_error(position, item, &problem))?;
                        open_list = false;
                    }
                    None => request.requested = count_of(ids),
                }
                continue;
            }
            position += 1;
            if let Some(each) = per_continent(item) {
                let each = each.map_err(|problem| item_error(position, item, &problem))?;
                requests.extend(
                    CONTINENT_REGIONS
                        .iter()
                        .map(|region| request(ProbeSelector::Region((*region).to_string()), each)),
                );
                open_list = false;
                continue;
            }
            let (request, list) =
                parse_item(item).map_err(|problem| item_error(position, item, &problem))?;
            open_list = list;
            requests.push(request);
        }
    }
    if requests.is_empty() {
        return Err(
            "Say which probes to use, e.g. \"WW:50\" for 50 probes worldwide, \"NL:10\" for \
                    10 in the Netherlands, or \"AS3333:5\" for 5 in an AS."
                .to_string(),
        );
    }
    for request in &requests {
        if let ProbeSelector::Probes(ids) = &request.selector
            && request.requested as usize > ids.len()
        {
            return Err(format!(
                "{}: {} probes were asked for but only {} are listed. Drop the \":{}\" or list more IDs.",
                request.selector.describe(),
                request.requested,
                ids.len(),
                request.requested
            ));
        }
    }
    Ok(requests)
}

/// The text form of a selection, in the syntax [`parse_probe_requests`] reads (so "re-run on the same
/// probes" can fill the field).
pub fn format_probe_requests(requests: &[ProbeRequest]) -> String {
    requests
        .iter()
        .map(|request| {
            let count = request.requested;
            match &request.selector {
                ProbeSelector::Area(area) => {
                    format!("{}:{count}", canonical_area(area).unwrap_or(area.trim()))
                }
                ProbeSelector::Region(region) => format!(
                    "region {}:{count}",
                    canonical_region(region).unwrap_or(region.trim())
                ),
                ProbeSelector::Country(code) => {
                    format!("country {}:{count}", code.trim().to_ascii_uppercase())
                }
                ProbeSelector::Asn(asn) => format!("AS{asn}:{count}"),
                ProbeSelector::Prefix(prefix) => format!("prefix {}:{count}", prefix.trim()),
                ProbeSelector::Probes(ids) if count as usize == ids.len() => {
                    format!("probes {}", join_ids(ids))
                }
                ProbeSelector::Probes(ids) => format!("probes {}:{count}", join_ids(ids)),
                ProbeSelector::Msm(id) => format!("msm {id}:{count}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn item_error(position: usize, item: &str, problem: &str) -> String {
    let end = if problem.ends_with('.') { "" } else { "." };
    format!(
        "Probe selection {position} ({}): {problem}{end}",
        quoted(item)
    )
}

/// `5 per continent`: the count asked in each of [`CONTINENT_REGIONS`], or `None` for another item.
fn per_continent(item: &str) -> Option<Result<u32, String>> {
    let lower = item.to_ascii_lowercase();
    let count = lower.strip_suffix("per continent")?.trim();
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Err(format!(
            "write a whole number of probes before \"per continent\", e.g. 5 per continent, not {}",
            quoted(count)
        )));
    }
    Some(parse_count(count))
}

/// A segment that continues a `probes` list: `6002` or, closing it, `6003:2`.
#[allow(clippy::type_complexity)]
fn list_continuation(item: &str) -> Option<(Result<u64, String>, Option<Result<u32, String>>)> {
    let (id, count) = match item.split_once(':') {
        Some((id, count)) => (id.trim(), Some(count.trim())),
        None => (item, None),
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((parse_probe_id(id), count.map(parse_count)))
}

/// One item: the request and whether it is an open `probes` list.
fn parse_item(item: &str) -> Result<(ProbeRequest, bool), String> {
    let (keyword, rest) = split_keyword(item);
    match keyword.as_deref() {
        Some("area") => {
            let (name, count) = split_count(rest, false)?;
            let area = canonical_area(name).ok_or_else(|| unknown_area(name))?;
            Ok((
                request(ProbeSelector::Area(area.to_string()), need_count(count)?),
                false,
            ))
        }
        Some("region") => {
            let (name, count) = split_count(rest, false)?;
            let region = canonical_region(name).ok_or_else(|| unknown_region(name))?;
            Ok((
                request(
                    ProbeSelector::Region(region.to_string()),
                    need_count(count)?,
                ),
                false,
            ))
        }
        Some("country") => {
            let (code, count) = split_count(rest, false)?;
            let code = checked_country(code)?;
            Ok((
                request(ProbeSelector::Country(code), need_count(count)?),
                false,
            ))
        }
        Some("asn") => {
            let (number, count) = split_count(rest, false)?;
            let asn = parse_asn(number)?;
            Ok((request(ProbeSelector::Asn(asn), need_count(count)?), false))
        }
        Some("prefix") => {
            let (prefix, count) = split_count(rest, true)?;
            prefix_problem(prefix).map_or(Ok(()), Err)?;
            Ok((
                request(
                    ProbeSelector::Prefix(prefix.to_string()),
                    need_count(count)?,
                ),
                false,
            ))
        }
        Some("probes") => {
            let (ids_text, count) = split_count(rest, false)?;
            let ids = ids_text
                .split_whitespace()
                .map(parse_probe_id)
                .collect::<Result<Vec<u64>, String>>()?;
            if ids.is_empty() {
                return Err(
                    "list the probe IDs after \"probes\", e.g. probes 6001,6002".to_string()
                );
            }
            let open = count.is_none();
            let requested = match count {
                Some(count) => count?,
                None => count_of(&ids),
            };
            Ok((request(ProbeSelector::Probes(ids), requested), open))
        }
        Some("msm") => {
            let (id, count) = split_count(rest, false)?;
            let id = parse_id(id, "measurement")?;
            Ok((request(ProbeSelector::Msm(id), need_count(count)?), false))
        }
        _ => parse_bare_item(item),
    }
}

/// An item without a keyword: `WW:50`, `NL:10`, `AS3333:5`, `193.0.0.0/21:3`.
fn parse_bare_item(item: &str) -> Result<(ProbeRequest, bool), String> {
    let is_prefix = item.contains('/');
    let (selector_text, count) = split_count(item, is_prefix)?;
    if is_prefix {
        prefix_problem(selector_text).map_or(Ok(()), Err)?;
        return Ok((
            request(
                ProbeSelector::Prefix(selector_text.to_string()),
                need_count(count)?,
            ),
            false,
        ));
    }
    if let Some(area) = canonical_area(selector_text) {
        return Ok((
            request(ProbeSelector::Area(area.to_string()), need_count(count)?),
            false,
        ));
    }
    if let Some(region) = canonical_region(selector_text) {
        return Ok((
            request(
                ProbeSelector::Region(region.to_string()),
                need_count(count)?,
            ),
            false,
        ));
    }
    let lower = selector_text.to_ascii_lowercase();
    if let Some(number) = lower.strip_prefix("as")
        && !number.is_empty()
        && number.trim().bytes().all(|b| b.is_ascii_digit())
    {
        let asn = parse_asn(number.trim())?;
        return Ok((request(ProbeSelector::Asn(asn), need_count(count)?), false));
    }
    if selector_text.len() == 2 && selector_text.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = checked_country(selector_text)?;
        return Ok((
            request(ProbeSelector::Country(code), need_count(count)?),
            false,
        ));
    }
    if selector_text.bytes().all(|b| b.is_ascii_digit()) && !selector_text.is_empty() {
        return Err(format!(
            "a bare number is ambiguous: write AS{selector_text} for an AS, probes {selector_text} \
             for a probe, or msm {selector_text} for the probes of a measurement"
        ));
    }
    if item.parse::<IpAddr>().is_ok() || selector_text.parse::<IpAddr>().is_ok() {
        return Err(
            "an address alone selects nothing: give a prefix with its length, e.g. 193.0.0.0/21"
                .to_string(),
        );
    }
    Err(format!(
        "not a selector this app knows. Use an area ({}), a region such as europe or \
         south_eastern_asia, \"5 per continent\", a country code such as NL, an AS such as AS3333, \
         a prefix such as 193.0.0.0/21, \"probes 6001,6002\" or \"msm 1033154\"",
        AREAS.join(", ")
    ))
}

/// How many IDs a list holds, as a probe count (a list too long for `u32` saturates, and validation
/// then refuses it as more than a measurement may use).
fn count_of(ids: &[u64]) -> u32 {
    u32::try_from(ids.len()).unwrap_or(u32::MAX)
}

fn request(selector: ProbeSelector, requested: u32) -> ProbeRequest {
    ProbeRequest {
        selector,
        requested,
    }
}

/// Splits a leading keyword (`area`, `country`, `asn`/`as`, `prefix`, `probes`/`probe`, `msm`) from
/// the rest of an item.
fn split_keyword(item: &str) -> (Option<String>, &str) {
    let trimmed = item.trim();
    let end = trimmed
        .find(|c: char| c.is_whitespace() || c == ':')
        .unwrap_or(trimmed.len());
    let word = trimmed[..end].to_ascii_lowercase();
    let rest = trimmed[end..].trim_start();
    // A keyword must be followed by something other than the count ("msm:5" names no measurement).
    let keyword = match word.as_str() {
        // "AS" on its own is American Samoa's code (and "AS:5" asks for probes there), so it is a
        // keyword only when a number follows.
        "as" if rest.is_empty() || rest.starts_with(':') => return (None, trimmed),
        "area" => "area",
        "region" => "region",
        "country" => "country",
        "asn" | "as" => "asn",
        "prefix" => "prefix",
        "probes" | "probe" | "prb" => "probes",
        "msm" | "measurement" => "msm",
        _ => return (None, trimmed),
    };
    if rest.is_empty() || rest.starts_with(':') {
        return (Some(keyword.to_string()), "");
    }
    (Some(keyword.to_string()), rest)
}

/// Splits `selector:count`. For a prefix the count may only follow the `/length`, because an IPv6
/// prefix is full of colons.
#[allow(clippy::type_complexity)]
fn split_count(text: &str, is_prefix: bool) -> Result<(&str, Option<Result<u32, String>>), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("the selector is missing its value, e.g. \"country NL:10\"".to_string());
    }
    let split_at = if is_prefix {
        text.rfind(':')
            .filter(|colon| text.find('/').is_some_and(|slash| slash < *colon))
    } else {
        text.rfind(':')
    };
    match split_at {
        Some(colon) => {
            let selector = text[..colon].trim();
            if selector.is_empty() {
                return Err("the selector is missing its value, e.g. \"country NL:10\"".to_string());
            }
            Ok((selector, Some(parse_count(text[colon + 1..].trim()))))
        }
        None => Ok((text, None)),
    }
}

fn need_count(count: Option<Result<u32, String>>) -> Result<u32, String> {
    match count {
        Some(count) => count,
        None => Err(
            "say how many probes, after a colon, e.g. \":10\": the count decides the cost"
                .to_string(),
        ),
    }
}

fn parse_count(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the count after the colon must be a whole number of probes, not {}",
            quoted(text)
        ));
    }
    match text.parse::<u32>() {
        Ok(0) => Err("ask for at least 1 probe".to_string()),
        Ok(count) if count <= MAX_PROBES_PER_MEASUREMENT => Ok(count),
        _ => Err(format!(
            "at most {MAX_PROBES_PER_MEASUREMENT} probes can take part in one measurement"
        )),
    }
}

fn parse_id(text: &str, what: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(format!(
            "{} is not a {what} ID (a positive whole number)",
            quoted(text.trim())
        )),
    }
}

fn parse_probe_id(text: &str) -> Result<u64, String> {
    parse_id(text, "probe")
}

/// An AS number as ripe-atlas-tools' `--from-asn` accepts it: 1 to 2³²−2 (it cites the IANA AS number
/// registry, where 0 and 4294967295 are reserved).
fn parse_asn(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let digits = text
        .strip_prefix("AS")
        .or_else(|| text.strip_prefix("as"))
        .unwrap_or(text)
        .trim();
    match digits.parse::<u64>() {
        Ok(asn) if (1..=4_294_967_294).contains(&asn) => Ok(asn as u32),
        Ok(_) => Err("AS numbers run from 1 to 4294967294".to_string()),
        Err(_) => Err(format!(
            "{} is not an AS number; write it as AS3333 or asn 3333",
            quoted(text)
        )),
    }
}

fn checked_country(code: &str) -> Result<String, String> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "{} is not a country code: use the two-letter ISO 3166 code, e.g. NL or BR",
            quoted(&code)
        ));
    }
    if country_name(&code).is_none() {
        return Err(format!(
            "{code} is not an assigned ISO 3166 country code (e.g. GB, not UK)"
        ));
    }
    Ok(code)
}

/// `name` in lower case with spaces and the other of `-`/`_` written as `separator`, so "north
/// central" finds the area North-Central and "South Eastern Asia" the region south_eastern_asia.
fn normalised(name: &str, separator: char) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' | '-' => separator,
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

fn canonical_area(name: &str) -> Option<&'static str> {
    let normal = normalised(name, '-');
    if normal == "worldwide" {
        return Some("WW");
    }
    AREAS
        .iter()
        .copied()
        .find(|area| area.to_ascii_lowercase() == normal)
}

fn unknown_area(name: &str) -> String {
    format!(
        "{} is not an Atlas area; the areas are {}",
        quoted(name.trim()),
        AREAS.join(", ")
    )
}

fn canonical_region(name: &str) -> Option<&'static str> {
    let normal = normalised(name, '_');
    let normal = match normal.as_str() {
        "ripe_ncc" => "ripencc".to_string(),
        _ => normal,
    };
    REGIONS.iter().copied().find(|region| *region == normal)
}

fn unknown_region(name: &str) -> String {
    format!(
        "{} is not an Atlas region; regions are continents (africa, americas, asia, europe, \
         oceania), their parts (e.g. western_europe, south_eastern_asia), eu27 or an RIR (afrinic, \
         apnic, arin, lacnic, ripencc)",
        quoted(name.trim())
    )
}

/// "Europe", "Latin America and Caribbean", "EU27", "RIPE NCC's service region".
fn region_name(region: &str) -> String {
    let Some(region) = canonical_region(region) else {
        return format!("region {}", region.trim());
    };
    match region {
        "eu27" => "the EU (27)".to_string(),
        "ripencc" => "RIPE NCC's service region".to_string(),
        "afrinic" | "apnic" | "arin" | "lacnic" => {
            format!("{}'s service region", region.to_ascii_uppercase())
        }
        _ => region
            .split('_')
            .map(|word| match word {
                "and" => word.to_string(),
                _ => {
                    let mut chars = word.chars();
                    chars.next().map_or(String::new(), |first| {
                        first.to_ascii_uppercase().to_string() + chars.as_str()
                    })
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
            .replace("South Eastern", "South-Eastern")
            .replace("Sub Saharan", "Sub-Saharan"),
    }
}

/// Why `text` is not an `address/length` prefix, or `None` when it is one. Host bits may be set: the
/// docs' own example is 193.3.6.0/8.
fn prefix_problem(text: &str) -> Option<String> {
    let text = text.trim();
    let Some((address, length)) = text.split_once('/') else {
        return Some(format!(
            "{} is not a prefix: write it as address/length, e.g. 193.0.0.0/21",
            quoted(text)
        ));
    };
    let Ok(address) = address.trim().parse::<IpAddr>() else {
        return Some(format!(
            "{} is not a prefix: {} is not an IP address",
            quoted(text),
            quoted(address.trim())
        ));
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    match length.trim().parse::<u8>() {
        Ok(length) if length <= max => None,
        _ => Some(format!(
            "{} is not a prefix: the length after the slash must be 0–{max}",
            quoted(text)
        )),
    }
}

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

impl CreateRequest {
    /// Every reason Atlas would refuse this request (or run it uselessly), each a sentence that says
    /// what to change. Empty when the request is good to send.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.af != 4 && self.af != 6 {
            problems.push(format!(
                "The address family must be 4 (IPv4) or 6 (IPv6), not {}.",
                self.af
            ));
        }
        if self.description.trim().is_empty() {
            problems.push(
                "Give the measurement a description: it is how you will find it in your Atlas list."
                    .to_string(),
            );
        }
        let target = self.target.trim();
        match &self.test {
            AtlasTest::Ping { packets } => {
                if !PING_PACKETS.contains(packets) {
                    problems.push(format!(
                        "A ping sends 1 to 16 packets per probe, not {packets}."
                    ));
                }
                self.check_target(target, "target", &mut problems);
            }
            AtlasTest::Traceroute { protocol, paris } => {
                let upper = protocol.trim().to_ascii_uppercase();
                if !TRACEROUTE_PROTOCOLS.contains(&upper.as_str()) {
                    problems.push(format!(
                        "A traceroute uses ICMP, UDP or TCP, not {}.",
                        quoted(protocol)
                    ));
                }
                if !PARIS_VARIATIONS.contains(paris) {
                    problems.push(format!(
                        "Paris traceroute takes 0 (off) to 64 variations, not {paris}."
                    ));
                }
                self.check_target(target, "target", &mut problems);
            }
            AtlasTest::Dns {
                query_type,
                query_argument,
                use_probe_resolver,
            } => {
                let upper = query_type.trim().to_ascii_uppercase();
                if !DNS_QUERY_TYPES.contains(&upper.as_str()) {
                    problems.push(format!(
                        "Atlas cannot ask for {} records here; choose one of {}.",
                        quoted(query_type),
                        DNS_QUERY_TYPES.join(", ")
                    ));
                }
                let argument = query_argument.trim();
                if argument.is_empty() {
                    problems.push(
                        "Say which name to look up (the query argument), e.g. example.com."
                            .to_string(),
                    );
                } else if upper == "PTR" && argument.parse::<IpAddr>().is_ok() {
                    problems.push(format!(
                        "For a PTR lookup give the reverse name, not the address {}: e.g. \
                         4.4.8.8.in-addr.arpa for 8.8.4.4.",
                        quoted(argument)
                    ));
                } else if let Some(problem) = host_name_problem(argument, true) {
                    problems.push(format!(
                        "The name to look up {} {problem}.",
                        quoted(argument)
                    ));
                }
                if *use_probe_resolver {
                    if !target.is_empty() {
                        problems.push(
                            "With the probes' own resolvers there is no target: clear the target, \
                             or untick \"use the probes' resolvers\" to ask that server instead."
                                .to_string(),
                        );
                    }
                } else if target.is_empty() {
                    problems.push(
                        "Say which resolver or name server the probes should ask (e.g. 8.8.8.8), \
                         or let them use their own resolvers."
                            .to_string(),
                    );
                } else {
                    self.check_target(target, "resolver", &mut problems);
                }
            }
        }
        self.check_probes(&mut problems);
        problems
    }

    /// `Ok` when [`problems`](Self::problems) finds none; otherwise all of them, one per line.
    pub fn validate(&self) -> Result<(), String> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    fn check_target(&self, target: &str, role: &str, problems: &mut Vec<String>) {
        if target.is_empty() {
            problems.push(format!(
                "Say what to measure: the {role} is a host name or an IP address."
            ));
            return;
        }
        match target.parse::<IpAddr>() {
            Ok(IpAddr::V4(_)) if self.af == 6 => problems.push(format!(
                "The {role} {} is an IPv4 address but the measurement is IPv6: choose IPv4 or give \
                 an IPv6 address.",
                quoted(target)
            )),
            Ok(IpAddr::V6(_)) if self.af == 4 => problems.push(format!(
                "The {role} {} is an IPv6 address but the measurement is IPv4: choose IPv6 or give \
                 an IPv4 address.",
                quoted(target)
            )),
            Ok(_) => {}
            Err(_) => {
                if let Some(problem) = host_name_problem(target, false) {
                    problems.push(format!("The {role} {} {problem}.", quoted(target)));
                }
            }
        }
    }

    fn check_probes(&self, problems: &mut Vec<String>) {
        if self.probes.is_empty() {
            problems
                .push("Say which probes to use, e.g. WW:50 for 50 probes worldwide.".to_string());
            return;
        }
        let mut total: u64 = 0;
        for (index, probe) in self.probes.iter().enumerate() {
            let which = format!(
                "Probe selection {} ({})",
                index + 1,
                probe.selector.describe()
            );
            total += u64::from(probe.requested);
            if probe.requested == 0 || probe.requested > MAX_PROBES_PER_MEASUREMENT {
                problems.push(format!(
                    "{which}: ask for 1 to {MAX_PROBES_PER_MEASUREMENT} probes, not {}.",
                    probe.requested
                ));
            }
            let problem = match &probe.selector {
                ProbeSelector::Area(area) => {
                    canonical_area(area).is_none().then(|| unknown_area(area))
                }
                ProbeSelector::Region(region) => canonical_region(region)
                    .is_none()
                    .then(|| unknown_region(region)),
                ProbeSelector::Country(code) => checked_country(code).err(),
                ProbeSelector::Asn(asn) => (*asn == 0 || *asn == u32::MAX)
                    .then(|| "AS numbers run from 1 to 4294967294".to_string()),
                ProbeSelector::Prefix(prefix) => prefix_problem(prefix),
                ProbeSelector::Probes(ids) => {
                    if ids.is_empty() {
                        Some("list at least one probe ID".to_string())
                    } else if ids.contains(&0) {
                        Some("probe IDs start at 1".to_string())
                    } else if probe.requested as usize > ids.len() {
                        Some(format!(
                            "{} probes asked for but only {} listed",
                            probe.requested,
                            ids.len()
                        ))
                    } else {
                        None
                    }
                }
                ProbeSelector::Msm(id) => {
                    (*id == 0).then(|| "measurement IDs start at 1".to_string())
                }
            };
            if let Some(problem) = problem {
                problems.push(format!("{which}: {problem}."));
            }
        }
        if total > u64::from(MAX_PROBES_PER_MEASUREMENT) {
            problems.push(format!(
                "The selections ask for {} probes in all; one measurement may use at most {}. Ask for \
                 fewer, or split the work into several measurements.",
                thousands(total),
                thousands(u64::from(MAX_PROBES_PER_MEASUREMENT))
            ));
        }
    }
}

/// Why `name` is not a DNS name usable as a target or query, or `None` when it is. `allow_root` lets
/// the root (".") through, which a query may ask about (`. SOA`) but a target may not be.
pub(crate) fn host_name_problem(name: &str, allow_root: bool) -> Option<String> {
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("contains spaces or control characters".to_string());
    }
    if !name.is_ascii() {
        return Some(
            "contains non-ASCII characters: write an internationalised name in its xn-- form"
                .to_string(),
        );
    }
    if name.contains("://") || name.contains('/') {
        return Some("looks like a URL: give the host name only, e.g. example.com".to_string());
    }
    if name.contains(':') {
        return Some(
            "is neither a valid IPv6 address nor a host name (a port cannot be given here)"
                .to_string(),
        );
    }
    if name == "." {
        return (!allow_root).then(|| "is the DNS root, not a host".to_string());
    }
    let bare = name.strip_suffix('.').unwrap_or(name);
    // RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters in text without the final dot.
    if bare.len() > 253 {
        return Some("is longer than the 253 characters a DNS name may have".to_string());
    }
    let labels: Vec<&str> = bare.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Some("has an empty label (two dots in a row, or a leading dot)".to_string());
        }
        if label.len() > 63 {
            return Some("has a label longer than 63 characters".to_string());
        }
        // Letters, digits and hyphens (RFC 1123 §2.1), plus the underscore that service names such as
        // _sip._tcp use.
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Some(
                "contains characters a host name cannot have (only letters, digits, - and _)"
                    .to_string(),
            );
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("has a label that starts or ends with a hyphen".to_string());
        }
    }
    // An all-numeric last label is a mistyped address (RFC 3696 §2: a top-level domain is not numeric).
    if labels
        .last()
        .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("is neither a valid IPv4 address nor a host name".to_string());
    }
    None
}

// ---------------------------------------------------------------------------------------------------
// The body
// ---------------------------------------------------------------------------------------------------

impl CreateRequest {
    /// The exact body of `POST /api/v2/measurements/` (API-NOTES §1.7; the docs' "Creating
    /// Measurements" example): one definition, the probe selections and `"is_oneoff": true`.
    ///
    /// This encodes the request as it is; call [`validate`](Self::validate) first. A DNS definition
    /// sends `set_rd_bit: true`: its target is a resolver, which only recurses when asked to, and with
    /// the probes' resolvers Atlas forces the bit on anyway ("Type Specific Attributes", Atlas docs).
    pub fn to_body(&self) -> Value {
        let mut definition = Map::new();
        definition.insert("type".into(), json!(self.test.type_name()));
        definition.insert("af".into(), json!(self.af));
        let target = self.target.trim();
        let has_target = match &self.test {
            AtlasTest::Dns {
                use_probe_resolver, ..
            } => !use_probe_resolver && !target.is_empty(),
            _ => true,
        };
        if has_target {
            definition.insert("target".into(), json!(target));
        }
        definition.insert("description".into(), json!(self.description.trim()));
        definition.insert("resolve_on_probe".into(), json!(self.resolve_on_probe));
        match &self.test {
            AtlasTest::Ping { packets } => {
                definition.insert("packets".into(), json!(packets));
            }
            AtlasTest::Traceroute { protocol, paris } => {
                definition.insert(
                    "protocol".into(),
                    json!(protocol.trim().to_ascii_uppercase()),
                );
                definition.insert("paris".into(), json!(paris));
            }
            AtlasTest::Dns {
                query_type,
                query_argument,
                use_probe_resolver,
            } => {
                definition.insert("query_class".into(), json!("IN"));
                definition.insert(
                    "query_type".into(),
                    json!(query_type.trim().to_ascii_uppercase()),
                );
                definition.insert("query_argument".into(), json!(query_argument.trim()));
                definition.insert("use_probe_resolver".into(), json!(use_probe_resolver));
                definition.insert("set_rd_bit".into(), json!(true));
            }
        }
        let probes: Vec<Value> = self
            .probes
            .iter()
            .map(|probe| {
                json!({
                    "type": probe.selector.api_type(),
                    "value": probe.selector.api_value(),
                    "requested": probe.requested,
                })
            })
            .collect();
        json!({
            "definitions": [Value::Object(definition)],
            "probes": probes,
            "is_oneoff": true,
        })
    }
}

/// The body pretty-printed, for the panel that offers to create the measurement at the source (on the
/// Atlas website or with curl) when the browser may not send it (API-NOTES §1.8).
pub fn definition_json_pretty(request: &CreateRequest) -> String {
    serde_json::to_string_pretty(&request.to_body()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------------------------------

/// What a measurement should cost, with the arithmetic spelled out.
#[derive(Debug, Clone, PartialEq)]
pub struct CostEstimate {
    pub credits_per_result: u32,
    /// One result per probe: a one-off runs once on each.
    pub results: u32,
    pub total_credits: u32,
    /// "50 probes × 6 credits (ping, 3 packets, one-off) = 300 credits (estimate)".
    pub explanation: String,
    /// Where the figures come from.
    pub source: &'static str,
}

/// The cost model of the Atlas "Credits" page. The page itself is a client-rendered app that could not
/// be read here; its text was read in copies: Communication-Systems-Group/chkroute `Ripe_readme.md`
/// (the page transcribed) and projects that quote it with the address
/// <https://atlas.ripe.net/docs/getting-started/credits>. The old API manual's "Base Attributes" table
/// (atlas.ripe.net/docs/api/v2/manual/measurements/types/base_attributes.html) gives `is_oneoff` a
/// "Price Modifier" of 2, confirming the doubling. Atlas also reports `credits_per_result` in each
/// measurement's metadata ([`parse_credits_per_result`]); recorded list pages of 2013 measurements show
/// values that do not fit this formula (17 for a periodic 5-packet, 100-byte IPv6 ping, msm 1026291,
/// where the formula gives 5; 5 for a periodic default ping, msm 1025696, where it gives 3), so the
/// live charge may be higher or lower and the UI calls the figure an estimate.
pub const COST_SOURCE: &str = "RIPE Atlas \"Credits\" page, measurement cost model \
(atlas.ripe.net/docs/getting-started/credits): ping N×(⌊S/1500⌋+1) per result, traceroute \
10×N×(⌊S/1500⌋+1), DNS 10 per result over UDP; a one-off result costs twice as much. N is packets, \
S the packet size (Atlas defaults: 3 packets, 48 bytes for ping and 40 for traceroute).";

/// Packet size Atlas uses unless told otherwise: 48 octets for ping, 40 for traceroute (Credits page).
const PING_DEFAULT_SIZE: u32 = 48;
const TRACEROUTE_DEFAULT_SIZE: u32 = 40;
/// Traceroute packets per hop when not set: 3 (Credits page; the API field description agrees).
const TRACEROUTE_DEFAULT_PACKETS: u32 = 3;
/// A DNS result over UDP, the protocol Atlas uses unless told otherwise: 10 credits (Credits page;
/// over TCP it would be 20).
const DNS_UDP_CREDITS: u32 = 10;
/// A one-off result costs double a periodic one (Credits page).
const ONE_OFF_FACTOR: u32 = 2;

/// `N × (⌊S/1500⌋ + 1)`: packets times the number of 1500-byte frames each takes (Credits page).
fn per_packet_train(packets: u32, size: u32) -> u32 {
    packets.saturating_mul(size / 1500 + 1)
}

impl CreateRequest {
    /// The credits this one-off should cost by the documented model if every requested probe delivers
    /// its result. It is an estimate: Atlas bills per delivered result (fewer probes allocated or
    /// answering cost less), and its own per-result figures have not always matched the model (see
    /// [`COST_SOURCE`]); after creation, [`parse_credits_per_result`] reads the figure Atlas applies.
    pub fn cost(&self) -> CostEstimate {
        let (periodic, detail) = match &self.test {
            AtlasTest::Ping { packets } => (
                per_packet_train(u32::from(*packets), PING_DEFAULT_SIZE),
                format!("ping, {packets} packet{}", plural(u64::from(*packets))),
            ),
            AtlasTest::Traceroute { .. } => (
                10 * per_packet_train(TRACEROUTE_DEFAULT_PACKETS, TRACEROUTE_DEFAULT_SIZE),
                "traceroute, 3 packets per hop".to_string(),
            ),
            AtlasTest::Dns { .. } => (DNS_UDP_CREDITS, "DNS over UDP".to_string()),
        };
        let credits_per_result = periodic.saturating_mul(ONE_OFF_FACTOR);
        let results = self
            .probes
            .iter()
            .fold(0u32, |sum, probe| sum.saturating_add(probe.requested));
        let total_credits = credits_per_result.saturating_mul(results);
        let explanation = format!(
            "{} probe{} × {} credit{} ({detail}, one-off) = {} credit{} (estimate)",
            thousands(u64::from(results)),
            plural(u64::from(results)),
            thousands(u64::from(credits_per_result)),
            plural(u64::from(credits_per_result)),
            thousands(u64::from(total_credits)),
            plural(u64::from(total_credits)),
        );
        CostEstimate {
            credits_per_result,
            results,
            total_credits,
            explanation,
            source: COST_SOURCE,
        }
    }
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// 1500 → "1,500".
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

// ---------------------------------------------------------------------------------------------------
// The ripe-atlas-tools equivalent
// ---------------------------------------------------------------------------------------------------

impl CreateRequest {
    /// The same measurement as `ripe-atlas measure …` commands (RIPE's ripe-atlas-tools), for people
    /// who create measurements from a terminal or when the browser may not.
    ///
    /// ripe-atlas-tools takes one origin (`--from-area`, `--from-country`, `--from-asn`,
    /// `--from-prefix`, `--from-probes`, `--from-measurement`) per command, so a request with several
    /// probe selections becomes one command per selection, joined by new lines; each creates its own
    /// measurement, for the same total cost. `--from-probes` takes no `--probes` (the tool refuses the
    /// pair and uses every listed probe). With the probes' own resolvers a DNS command has no
    /// `--target`, which is how the tool asks for them. The API key is never included: the tool reads
    /// it from its configuration (`ripe-atlas configure --set authorisation.create=…`).
    ///
    /// Every argument is quoted for a POSIX shell: anything beyond letters, digits and `@%+=:,./_-` is
    /// put in single quotes (a quote inside becomes `'\''`), and a value that starts with `-` is
    /// attached as `--option=value` so the tool's parser cannot take it for an option. A value holding
    /// a new line keeps it inside its quotes, so such a command spans lines but stays one command.
    pub fn ripe_atlas_tools_command(&self) -> String {
        let mut common: Vec<String> = vec![
            "ripe-atlas".to_string(),
            "measure".to_string(),
            self.test.type_name().to_string(),
        ];
        let target = self.target.trim();
        let with_target = match &self.test {
            AtlasTest::Dns {
                use_probe_resolver, ..
            } => !use_probe_resolver && !target.is_empty(),
            _ => true,
        };
        if with_target {
            common.push(option("--target", target));
        }
        common.push(option("--af", &self.af.to_string()));
        common.push(option("--description", self.description.trim()));
        if self.resolve_on_probe {
            common.push("--resolve-on-probe".to_string());
        }
        match &self.test {
            AtlasTest::Ping { packets } => common.push(option("--packets", &packets.to_string())),
            AtlasTest::Traceroute { protocol, paris } => {
                common.push(option("--protocol", &protocol.trim().to_ascii_uppercase()));
                common.push(option("--paris", &paris.to_string()));
            }
            AtlasTest::Dns {
                query_type,
                query_argument,
                ..
            } => {
                common.push(option(
                    "--query-type",
                    &query_type.trim().to_ascii_uppercase(),
                ));
                common.push(option("--query-argument", query_argument.trim()));
                // The body sets RD; the tool leaves it off unless asked.
                common.push("--set-rd-bit".to_string());
            }
        }
        if self.probes.is_empty() {
            return common.join(" ");
        }
        self.probes
            .iter()
            .map(|probe| {
                let mut words = common.clone();
                let value = probe.selector.api_value();
                match &probe.selector {
                    ProbeSelector::Probes(_) => {
                        words.push(option("--from-probes", &value));
                    }
                    // The tool has no option for the region selector: a comment line says so
                    // rather than a command that would measure from somewhere else.
                    ProbeSelector::Region(_) => {
                        return format!(
                            "# {} probes in {}: ripe-atlas-tools has no region option; create this \
                             selection from the JSON definition",
                            probe.requested,
                            probe.selector.describe()
                        );
                    }
                    selector => {
                        words.push(option("--probes", &probe.requested.to_string()));
                        let flag = match selector {
                            ProbeSelector::Area(_) => "--from-area",
                            ProbeSelector::Country(_) => "--from-country",
                            ProbeSelector::Asn(_) => "--from-asn",
                            ProbeSelector::Prefix(_) => "--from-prefix",
                            _ => "--from-measurement",
                        };
                        words.push(option(flag, &value));
                    }
                }
                words.join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `--name value`, or `--name=value` when the value would look like an option.
fn option(name: &str, value: &str) -> String {
    if value.starts_with('-') {
        format!("{name}={}", shell_word(value))
    } else {
        format!("{name} {}", shell_word(value))
    }
}

/// One word for a POSIX shell (XCU §2.2.2: nothing inside single quotes is special, and a single quote
/// cannot appear there, so it is closed, escaped and reopened).
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

// ---------------------------------------------------------------------------------------------------
// Replies: errors
// ---------------------------------------------------------------------------------------------------

/// An error reply of the Atlas API, read from the documented body
/// `{"error": {"status", "title", "detail", "errors": [{"source": {"pointer"|"parameter"}, "detail"}]}}`
/// (Atlas docs "Error Messages"; API-NOTES §1.3) or from whatever else came back.
#[derive(Debug, Clone, PartialEq)]
pub struct AtlasApiError {
    /// The HTTP status (the body's own `status` is not trusted over it).
    pub status: u16,
    pub title: String,
    pub detail: String,
    /// Field problems: the JSON pointer (RFC 6901, into the request body) or query parameter, and what
    /// is wrong there.
    pub errors: Vec<(String, String)>,
}

/// Texts taken from a reply are cut to this many characters, so a hostile body cannot flood the page.
const MAX_TEXT_CHARS: usize = 300;
/// And at most this many field problems are kept.
const MAX_FIELD_ERRORS: usize = 30;

/// Reads an error reply. Never fails: a body that is not the documented JSON becomes a message built
/// from the status and a short, cleaned excerpt.
pub fn parse_error(status: u16, text: &str) -> AtlasApiError {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let parsed = serde_json::from_str::<Value>(trimmed).ok();
    let Some(Value::Object(root)) = parsed else {
        // An HTML page (a proxy, a login or an outage page) is not shown: its markup says nothing to
        // the user, and the title notes what it was. Other text is what the server said, cleaned.
        let (title, detail) = if trimmed.starts_with('<') {
            (
                format!(
                    "{}, answered with a web page instead of the API's JSON",
                    reason_phrase(status)
                ),
                String::new(),
            )
        } else {
            (reason_phrase(status).to_string(), clean(trimmed))
        };
        return AtlasApiError {
            status,
            title,
            detail,
            errors: Vec::new(),
        };
    };
    let error = match root.get("error") {
        Some(Value::Object(error)) => error,
        _ => &root,
    };
    let title = error
        .get("title")
        .and_then(text_of)
        .unwrap_or_else(|| reason_phrase(status).to_string());
    let mut detail = error.get("detail").and_then(text_of).unwrap_or_default();
    if detail.is_empty()
        && let Some(Value::String(message)) = root.get("error")
    {
        detail = clean(message);
    }
    let mut errors = Vec::new();
    if let Some(Value::Array(items)) = error.get("errors") {
        for item in items.iter().take(MAX_FIELD_ERRORS) {
            match item {
                Value::Object(item) => {
                    let place = item
                        .get("source")
                        .and_then(Value::as_object)
                        .and_then(|source| {
                            source
                                .get("pointer")
                                .and_then(text_of)
                                .or_else(|| source.get("parameter").and_then(text_of))
                        })
                        .or_else(|| item.get("pointer").and_then(text_of))
                        .unwrap_or_default();
                    let what = item
                        .get("detail")
                        .and_then(text_of)
                        .unwrap_or_else(|| "is invalid".to_string());
                    errors.push((place, what));
                }
                other => {
                    if let Some(what) = text_of(other) {
                        errors.push((String::new(), what));
                    }
                }
            }
        }
    } else if !root.contains_key("error") && detail.is_empty() {
        // Django REST framework's own shape, {"field": ["message", …], …}, in case a proxy or an older
        // endpoint answers with it.
        flatten_field_errors(&root, String::new(), 0, &mut errors);
    }
    AtlasApiError {
        status,
        title,
        detail,
        errors,
    }
}

fn flatten_field_errors(
    object: &Map<String, Value>,
    prefix: String,
    depth: usize,
    out: &mut Vec<(String, String)>,
) {
    if depth > 4 {
        return;
    }
    for (key, value) in object {
        if out.len() >= MAX_FIELD_ERRORS {
            return;
        }
        let pointer = format!("{prefix}/{}", key.replace('~', "~0").replace('/', "~1"));
        match value {
            Value::Object(inner) => flatten_field_errors(inner, pointer, depth + 1, out),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(inner) => flatten_field_errors(
                            inner,
                            format!("{pointer}/{index}"),
                            depth + 1,
                            out,
                        ),
                        other => {
                            if let Some(text) = text_of(other)
                                && out.len() < MAX_FIELD_ERRORS
                            {
                                out.push((clean(&pointer), text));
                            }
                        }
                    }
                }
            }
            other => {
                if let Some(text) = text_of(other) {
                    out.push((clean(&pointer), text));
                }
            }
        }
    }
}

/// A displayable text from a JSON value: strings as they are, lists of strings joined (warnings carry
/// `detail` as a list), numbers and booleans written out; objects and null give nothing.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => clean(text),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Array(items) => clean(
            &items
                .iter()
                .filter_map(|item| match item {
                    Value::String(text) => Some(text.clone()),
                    Value::Number(number) => Some(number.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Control characters become spaces, runs of space collapse, and the text is cut to a readable size.
fn clean(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = true;
    for c in text.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        if count == MAX_TEXT_CHARS {
            out.push('…');
            break;
        }
        out.push(c);
        count += 1;
    }
    out.trim_end().to_string()
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

/// What went wrong, as far as the reply lets us tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// No credentials arrived (401 since 2023-10-02, per API-NOTES §1.2).
    NoKey,
    /// The key is unknown to Atlas.
    UnknownKey,
    /// The key exists but may not do this: missing permission, disabled, or outside its validity
    /// dates (the three 403 causes of the Atlas "API Keys" docs, besides a key that does not exist).
    KeyRefused,
    Credits,
    Invalid,
    RateLimited,
    Server,
    /// A success status whose reply could not be read (this module's own finding, not Atlas's words).
    UnreadableSuccess,
    Other,
}

impl AtlasApiError {
    fn failure(&self) -> Failure {
        let mut text = format!("{} {}", self.title, self.detail);
        for (_, detail) in &self.errors {
            text.push(' ');
            text.push_str(detail);
        }
        let text = text.to_ascii_lowercase();
        let about_key = text.contains("key");
        let unknown =
            text.contains("not exist") || text.contains("invalid") || text.contains("unknown");
        let not_provided = text.contains("not provided") || text.contains("no credentials");
        match self.status {
            401 if about_key && unknown => Failure::UnknownKey,
            401 => Failure::NoKey,
            403 if about_key && unknown => Failure::UnknownKey,
            403 if not_provided => Failure::NoKey,
            // No recorded "not enough credits" reply was found; Atlas's wording is unknown, so any
            // mention of credits (or 402) is taken as one.
            _ if self.status == 402 || text.contains("credit") => Failure::Credits,
            403 => Failure::KeyRefused,
            400 | 422 => Failure::Invalid,
            429 => Failure::RateLimited,
            500..=599 => Failure::Server,
            200..=299 => Failure::UnreadableSuccess,
            _ => Failure::Other,
        }
    }

    /// The message to show: what happened and what to do next.
    pub fn user_message(&self) -> String {
        let said = if self.detail.is_empty() {
            String::new()
        } else {
            format!(" Atlas said: \"{}\"", self.detail)
        };
        let make_key = format!(
            "Create a key with the \"{CREATE_PERMISSION}\" permission at {KEYS_PAGE} and paste it in \
             Settings."
        );
        match self.failure() {
            Failure::UnknownKey => format!(
                "RIPE Atlas does not recognise this API key (HTTP {}): it may be mistyped, deleted or \
                 regenerated.{said} {make_key}",
                self.status
            ),
            Failure::NoKey => format!(
                "RIPE Atlas received no API key (HTTP {}).{said} {make_key}",
                self.status
            ),
            Failure::KeyRefused => format!(
                "RIPE Atlas refused this API key (HTTP 403).{said} The key may lack the \
                 \"{CREATE_PERMISSION}\" permission, be disabled, or be outside its valid-from/valid-to \
                 dates: check it at {KEYS_PAGE}, or create a new one there and paste it in Settings."
            ),
            Failure::Credits => format!(
                "RIPE Atlas says your account cannot pay for this measurement (HTTP {}).{said} Ask for \
                 fewer probes, prefer ping (the cheapest test), or check your balance on the \
                 \"My Credits\" card of your Atlas dashboard.",
                self.status
            ),
            Failure::Invalid => {
                let mut message = format!(
                    "RIPE Atlas rejected the measurement (HTTP {}: {}).",
                    self.status,
                    if self.detail.is_empty() {
                        &self.title
                    } else {
                        &self.detail
                    }
                );
                if self.errors.is_empty() {
                    message.push_str(" Check the form and try again.");
                } else {
                    message.push_str(" Fix these fields and create it again:");
                    for line in self.field_lines() {
                        message.push('\n');
                        message.push_str(&line);
                    }
                }
                message
            }
            Failure::RateLimited => format!(
                "RIPE Atlas is limiting requests (HTTP 429): wait a minute or two, then create the \
                 measurement again. Creating measurements is limited more strictly than reading them.{said}"
            ),
            Failure::Server => format!(
                "RIPE Atlas had a server error (HTTP {}: {}).{said} This is on their side: try again in \
                 a few minutes, but first look at your Atlas measurement list, since the measurement \
                 may have been created anyway.",
                self.status, self.title
            ),
            Failure::UnreadableSuccess => format!(
                "RIPE Atlas answered HTTP {} but the reply could not be read: {}",
                self.status,
                if self.detail.is_empty() {
                    &self.title
                } else {
                    &self.detail
                }
            ),
            Failure::Other => {
                let mut message =
                    format!("RIPE Atlas answered HTTP {} ({}).", self.status, self.title);
                message.push_str(&said);
                for line in self.field_lines() {
                    message.push('\n');
                    message.push_str(&line);
                }
                message
            }
        }
    }

    /// "definitions/0/target (the target of measurement definition 1): This field is required."
    fn field_lines(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|(place, detail)| {
                if place.is_empty() {
                    detail.clone()
                } else {
                    let words = pointer_in_words(place);
                    let shown = place.trim_start_matches('/');
                    if words.is_empty() {
                        format!("{shown}: {detail}")
                    } else {
                        format!("{shown} ({words}): {detail}")
                    }
                }
            })
            .collect()
    }
}

impl fmt::Display for AtlasApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())
    }
}

/// A JSON pointer into the creation body (RFC 6901: `~1` is `/`, `~0` is `~`) in words, e.g.
/// `/probes/0/requested` → "the number of probes of probe selection 1". A query parameter name (no
/// leading slash) becomes "the query parameter …".
fn pointer_in_words(pointer: &str) -> String {
    if !pointer.starts_with('/') {
        return format!("the query parameter {}", quoted(pointer));
    }
    let segments: Vec<String> = pointer[1..]
        .split('/')
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"))
        .collect();
    let index = |segment: Option<&String>| {
        segment
            .and_then(|text| text.parse::<u64>().ok())
            .map(|number| number.saturating_add(1))
    };
    let (owner, field) = match segments.first().map(String::as_str) {
        Some("definitions") => match index(segments.get(1)) {
            Some(number) => (
                format!("measurement definition {number}"),
                segments.get(2).cloned(),
            ),
            None => ("the measurement definitions".to_string(), None),
        },
        Some("probes") => match index(segments.get(1)) {
            Some(number) => (
                format!("probe selection {number}"),
                segments.get(2).cloned(),
            ),
            None => ("the probe selections".to_string(), None),
        },
        Some("") | None => return "the request".to_string(),
        Some(_) => (String::new(), segments.first().cloned()),
    };
    let field = field.map(|name| match name.as_str() {
        "af" => "the address family".to_string(),
        "target" => "the target".to_string(),
        "description" => "the description".to_string(),
        "type" => "the type".to_string(),
        "packets" => "the number of packets".to_string(),
        "requested" => "the number of probes".to_string(),
        "value" => "the value".to_string(),
        "query_argument" => "the name to look up".to_string(),
        "query_type" => "the record type".to_string(),
        "query_class" => "the query class".to_string(),
        "protocol" => "the protocol".to_string(),
        "paris" => "the Paris setting".to_string(),
        other => format!("the field {}", quoted(other)),
    });
    match (field, owner.is_empty()) {
        (Some(field), false) => format!("{field} of {owner}"),
        (Some(field), true) => field,
        (None, _) => owner,
    }
}

// ---------------------------------------------------------------------------------------------------
// Replies: success and progress
// ---------------------------------------------------------------------------------------------------

/// Reads the reply to the creation request: `{"measurements": [id, …]}` (one ID per definition) on a
/// 2xx status (the docs show 201; 202 is accepted too), or the error it carries otherwise.
pub fn parse_created(status: u16, text: &str) -> Result<Vec<u64>, AtlasApiError> {
    if !(200..300).contains(&status) {
        return Err(parse_error(status, text));
    }
    let ids: Vec<u64> = serde_json::from_str::<Value>(text.trim())
        .ok()
        .and_then(|value| value.get("measurements").cloned())
        .and_then(|list| match list {
            Value::Array(items) => Some(items.iter().filter_map(positive_id).collect()),
            _ => None,
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(AtlasApiError {
            status,
            title: "Unexpected reply".to_string(),
            detail:
                "Atlas accepted the request but its reply names no measurement ID. Look in your \
                     Atlas measurement list before creating it again."
                    .to_string(),
            errors: Vec::new(),
        });
    }
    Ok(ids)
}

fn positive_id(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
    .filter(|id| *id > 0)
}

/// How far a measurement has got, from `GET /api/v2/measurements/{id}/`.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementProgress {
    pub id: u64,
    /// As Atlas names it: "Specified", "Scheduled", "Ongoing", "Stopped", "No suitable probes"…
    pub status_name: String,
    pub status_id: Option<i64>,
    pub probes_requested: Option<u64>,
    pub probes_scheduled: Option<u64>,
    /// No more results will come: stopped, forced to stop, no suitable probes, failed, denied, archived.
    pub is_done: bool,
    /// Results may be waiting: the measurement is running or stopped normally, with probes.
    pub has_results: bool,
}

/// Measurement status IDs, as the API's own field description lists them (swagger dump in
/// keltia/ripe-atlas `testdata/measurements.json`; DNS-OARC/ripeatlas carries the same list):
/// 0 Specified, 1 Scheduled, 2 Ongoing, 4 Stopped, 5 Forced to stop, 6 No suitable probes, 7 Failed,
/// 8 Archived.
fn status_name_of(id: i64) -> Option<&'static str> {
    Some(match id {
        0 => "Specified",
        1 => "Scheduled",
        2 => "Ongoing",
        4 => "Stopped",
        5 => "Forced to stop",
        6 => "No suitable probes",
        7 => "Failed",
        8 => "Archived",
        _ => return None,
    })
}

/// Final statuses by name: the ones of the list above from "Stopped" on, plus "Denied", which other
/// Atlas clients also treat as final.
const FINAL_STATUSES: [&str; 8] = [
    "stopped",
    "forced to stop",
    "no suitable probes",
    "failed",
    "denied",
    "archived",
    "canceled",
    "cancelled",
];

/// Reads the progress of a measurement from its metadata. Accepts the v2 shape (`id`, `status`
/// object, `probes_requested`, `probes_scheduled`) and the retired v1 one of the fixtures (`msm_id`,
/// `participant_count`); fails only when no measurement ID can be found.
pub fn parse_progress(meta_text: &str) -> Result<MeasurementProgress, String> {
    let value: Value = serde_json::from_str(meta_text.trim_start_matches('\u{feff}').trim())
        .map_err(|error| {
            format!("The measurement status from Atlas is not valid JSON ({error}).")
        })?;
    let Value::Object(meta) = value else {
        return Err("The measurement status from Atlas is not a JSON object.".to_string());
    };
    let id = meta
        .get("id")
        .and_then(positive_id)
        .or_else(|| meta.get("msm_id").and_then(positive_id))
        .ok_or_else(|| "The measurement status from Atlas names no measurement ID.".to_string())?;
    let (status_id, name) = match meta.get("status") {
        Some(Value::Object(status)) => (
            status.get("id").and_then(Value::as_i64),
            status.get("name").and_then(Value::as_str).map(clean),
        ),
        Some(Value::String(name)) => (None, Some(clean(name))),
        Some(Value::Number(number)) => (number.as_i64(), None),
        _ => (None, None),
    };
    let status_name = name
        .filter(|name| !name.is_empty())
        .or_else(|| status_id.and_then(status_name_of).map(str::to_string))
        .unwrap_or_else(|| "Unknown".to_string());
    let count = |key: &str| meta.get(key).and_then(Value::as_u64);
    let probes_requested = count("probes_requested");
    // v1 metadata has no probes_scheduled; participant_count (the probes taking part) stands in.
    let probes_scheduled = count("probes_scheduled").or_else(|| count("participant_count"));
    let lower = status_name.to_ascii_lowercase();
    let is_done = if status_name == "Unknown" {
        status_id.is_some_and(|id| (4..=8).contains(&id))
    } else {
        FINAL_STATUSES.contains(&lower.as_str())
    };
    let producing = matches!(lower.as_str(), "ongoing" | "stopped" | "forced to stop")
        || (status_name == "Unknown" && matches!(status_id, Some(2 | 4 | 5)));
    let has_results = producing && probes_scheduled != Some(0);
    Ok(MeasurementProgress {
        id,
        status_name,
        status_id,
        probes_requested,
        probes_scheduled,
        is_done,
        has_results,
    })
}

impl MeasurementProgress {
    /// "Measurement 1033154: Ongoing, 48 of 50 probes scheduled".
    pub fn summary(&self) -> String {
        let probes = match (self.probes_scheduled, self.probes_requested) {
            (Some(scheduled), Some(requested)) => {
                format!(", {scheduled} of {requested} probes scheduled")
            }
            (Some(scheduled), None) => format!(", {scheduled} probe{}", plural(scheduled)),
            (None, Some(requested)) => format!(", {requested} probes requested"),
            (None, None) => String::new(),
        };
        format!("Measurement {}: {}{probes}", self.id, self.status_name)
    }
}

/// The credits Atlas charges per result of a created measurement, from its metadata's
/// `credits_per_result` (seen in recorded v2 measurement lists), to replace the estimate once known.
pub fn parse_credits_per_result(meta_text: &str) -> Option<u32> {
    serde_json::from_str::<Value>(meta_text.trim_start_matches('\u{feff}').trim())
        .ok()?
        .get("credits_per_result")?
        .as_u64()
        .and_then(|credits| u32::try_from(credits).ok())
}

// ---------------------------------------------------------------------------------------------------
// The key
// ---------------------------------------------------------------------------------------------------

/// The user's Atlas API key. It has no `Serialize`/`Deserialize`, and `Debug` and `Display` print only
/// "Key ••••" and its last four characters, so it cannot leak into logs, notebooks or share links.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts the key as Atlas shows it, a UUID (8-4-4-4-12 hexadecimal digits), with surrounding
    /// spaces or quotes and an optional "Key " or "Authorization: Key " in front, as people paste it.
    /// The error never repeats what was pasted, which may be a secret with a typo.
    pub fn parse(text: &str) -> Result<ApiKey, String> {
        let mut key = text.trim().trim_matches(['"', '\'']).trim();
        for prefix in ["authorization:", "key "] {
            if key.len() >= prefix.len()
                && key.is_char_boundary(prefix.len())
                && key[..prefix.len()].eq_ignore_ascii_case(prefix)
            {
                key = key[prefix.len()..].trim();
            }
        }
        if key.is_empty() {
            return Err(format!(
                "Paste your RIPE Atlas API key, a code like 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d. \
                 Create one at {KEYS_PAGE} with the \"{CREATE_PERMISSION}\" permission."
            ));
        }
        let groups: Vec<&str> = key.split('-').collect();
        let shape_ok = groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(group, length)| group.len() == length);
        let hex_ok = key.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
        if shape_ok && hex_ok {
            return Ok(ApiKey(key.to_string()));
        }
        let length = key.chars().count();
        let hint = if !hex_ok {
            "it contains characters other than 0–9, a–f and hyphens".to_string()
        } else if length != 36 {
            format!("it has {length} characters, not 36")
        } else {
            "its hyphens are not where a key has them".to_string()
        };
        Err(format!(
            "That is not an Atlas API key: {hint}. A key is 8-4-4-4-12 hexadecimal digits with \
             hyphens, like 1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d. Copy it again from {KEYS_PAGE}."
        ))
    }

    /// The `Authorization` header value: "Key <uuid>" (Atlas docs "API Keys").
    pub fn header_value(&self) -> String {
        format!("Key {}", self.0)
    }

    /// "Key ••••5c6d": enough to tell keys apart, nothing to reuse.
    pub fn masked(&self) -> String {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("Key ••••{tail}")
    }

    /// The key itself, for the one place that must store it (the settings in the browser's storage).
    /// Never show, log or share it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

// ---------------------------------------------------------------------------------------------------
// Re-running on the same probes
// ---------------------------------------------------------------------------------------------------

/// The probes of an earlier result set as an explicit selection, for "re-run on the same probes":
/// every `prb_id` the parsers read, plus any in array entries they rejected (as `net::probe_ids` does),
/// sorted, at most `requested_cap` of them (and never more than one measurement may use). `None` when
/// the results name no probe or the cap is 0.
pub fn reuse_probes(results_text: &str, requested_cap: u32) -> Option<ProbeRequest> {
    let mut ids = crate::atlas::probe_ids(results_text);
    ids.retain(|id| *id > 0);
    let cap = requested_cap.min(MAX_PROBES_PER_MEASUREMENT) as usize;
    if cap == 0 || ids.is_empty() {
        return None;
    }
    ids.truncate(cap);
    let requested = count_of(&ids);
    Some(ProbeRequest {
        selector: ProbeSelector::Probes(ids),
        requested,
    })
}

// ---------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------

fn join_ids(ids: &[u64]) -> String {
    ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

/// User text in quotes for a message, escaped (control characters shown as `\n`, `\u{…}`) and cut to
/// 60 characters, so a message never breaks its layout or carries a whole pasted document.
fn quoted(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    format!("{short:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS_REQUEST: &str =
        include_str!("../../tests/fixtures/atlas/create_measurement_request_docs_simple.json");
    const ERROR_FIXTURES: [&str; 2] = [
        include_str!("../../tests/fixtures/atlas/error_400_docs_error-handling.json"),
        include_str!("../../tests/fixtures/atlas/error_400_docs_error-messages.json"),
    ];
    const META_FIXTURES: [(&str, u64); 6] = [
        (
            include_str!("../../tests/fixtures/atlas/measurement_meta_v1_msm1033154.json"),
            1_033_154,
        ),
        (
            include_str!("../../tests/fixtures/atlas/measurement_meta_v1_msm1071935.json"),
            1_071_935,
        ),
        (
            include_str!("../../tests/fixtures/atlas/measurement_meta_v1_msm1421267.json"),
            1_421_267,
        ),
        (
            include_str!("../../tests/fixtures/atlas/measurement_meta_v1_msm1443162.json"),
            1_443_162,
        ),
        (
            include_str!("../../tests/fixtures/atlas/measurement_meta_v1_msm3082698.json"),
            3_082_698,
        ),
        (
            include_str!("../../tests/fixtures/atlas/measurement_meta_v1_msm3359986.json"),
            3_359_986,
        ),
    ];
    const PING_RESULTS: &str =
        include_str!("../../tests/fixtures/atlas/ping_latest_msm3359986.json");

    /// A made-up key in the documented shape.
    const KEY: &str = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";

    fn with(test: AtlasTest, target: &str, probes: &str) -> CreateRequest {
        CreateRequest {
            test,
            target: target.to_string(),
            af: 4,
            description: "Vantage check".to_string(),
            probes: parse_probe_requests(probes).unwrap(),
            resolve_on_probe: false,
        }
    }

    fn ping(target: &str, probes: &str) -> CreateRequest {
        with(AtlasTest::Ping { packets: 3 }, target, probes)
    }

    fn dns(argument: &str, target: &str, use_probe_resolver: bool) -> CreateRequest {
        with(
            AtlasTest::Dns {
                query_type: "aaaa".to_string(),
                query_argument: argument.to_string(),
                use_probe_resolver,
            },
            target,
            "NL:20",
        )
    }

    #[test]
    fn the_body_matches_the_docs_example_where_comparable() {
        let docs: Value = serde_json::from_str(DOCS_REQUEST).unwrap();
        let mut request = ping("ripe.net", "WW:5");
        request.description = "My First Measurement".to_string();
        let body = request.to_body();
        // Every field of the docs' definition is in ours with the same value.
        let ours = body["definitions"][0].as_object().unwrap();
        for (key, value) in docs["definitions"][0].as_object().unwrap() {
            assert_eq!(ours.get(key), Some(value), "definition field {key}");
        }
        // The docs select by region (a selector this app does not offer); the entry has the same keys
        // and the same requested count.
        let docs_probe = docs["probes"][0].as_object().unwrap();
        let our_probe = body["probes"][0].as_object().unwrap();
        let keys = |map: &Map<String, Value>| {
            let mut keys: Vec<String> = map.keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(keys(docs_probe), keys(our_probe));
        assert_eq!(our_probe["requested"], docs_probe["requested"]);
        assert_eq!(body["probes"][0]["type"], "area");
        assert_eq!(body["probes"][0]["value"], "WW");
        assert_eq!(body["is_oneoff"], true);
        assert_eq!(body["definitions"][0]["packets"], 3);
        assert!(definition_json_pretty(&request).contains("\n  \"definitions\": ["));
    }

    #[test]
    fn every_selector_value_is_a_string_as_in_the_api_notes_example() {
        let request = ping(
            "ripe.net",
            "WW:50, country NL:10, AS3333:5, 193.0.0.0/21:3, probes 6001,6002, msm 1033154:20",
        );
        let probes = request.to_body()["probes"].clone();
        assert_eq!(
            probes,
            json!([
                {"type": "area", "value": "WW", "requested": 50},
                {"type": "country", "value": "NL", "requested": 10},
                {"type": "asn", "value": "3333", "requested": 5},
                {"type": "prefix", "value": "193.0.0.0/21", "requested": 3},
                {"type": "probes", "value": "6001,6002", "requested": 2},
                {"type": "msm", "value": "1033154", "requested": 20},
            ])
        );
    }

    #[test]
    fn traceroute_and_dns_bodies() {
        let mut trace = with(
            AtlasTest::default_for("Traceroute").unwrap(),
            " example.com ",
            "WW:10",
        );
        trace.resolve_on_probe = true;
        let definition = trace.to_body()["definitions"][0].clone();
        assert_eq!(definition["type"], "traceroute");
        assert_eq!(definition["protocol"], "ICMP");
        assert_eq!(definition["paris"], 16);
        assert_eq!(definition["target"], "example.com");
        assert_eq!(definition["resolve_on_probe"], true);
        assert!(definition.get("packets").is_none());

        let own = dns("example.com", "", true).to_body()["definitions"][0].clone();
        assert!(own.get("target").is_none(), "{own}");
        assert_eq!(own["query_class"], "IN");
        assert_eq!(own["query_type"], "AAAA");
        assert_eq!(own["query_argument"], "example.com");
        assert_eq!(own["use_probe_resolver"], true);
        assert_eq!(own["set_rd_bit"], true);

        let asked = dns("example.com", "8.8.8.8", false).to_body()["definitions"][0].clone();
        assert_eq!(asked["target"], "8.8.8.8");
        assert_eq!(asked["use_probe_resolver"], false);
    }

    #[test]
    fn default_tests_and_type_names() {
        for kind in ["ping", "traceroute", "dns"] {
            let test = AtlasTest::default_for(kind).unwrap();
            assert_eq!(test.type_name(), kind);
        }
        assert_eq!(
            AtlasTest::default_for(" PING "),
            Some(AtlasTest::Ping { packets: 3 })
        );
        assert_eq!(AtlasTest::default_for("http"), None);
    }

    #[test]
    fn the_probe_syntax_reads_every_selector() {
        let parsed = parse_probe_requests(
            "WW:50, country NL:10, AS3333:5, 193.0.0.0/21:3, probes 6001,6002, msm 1033154:20",
        )
        .unwrap();
        assert_eq!(
            parsed,
            vec![
                request(ProbeSelector::Area("WW".into()), 50),
                request(ProbeSelector::Country("NL".into()), 10),
                request(ProbeSelector::Asn(3333), 5),
                request(ProbeSelector::Prefix("193.0.0.0/21".into()), 3),
                request(ProbeSelector::Probes(vec![6001, 6002]), 2),
                request(ProbeSelector::Msm(1_033_154), 20),
            ]
        );
        let relaxed = parse_probe_requests(
            "north central : 5; area south_east:2\nbr:3\nasn 15169:1, AS 13335:2, \
             prefix 2001:67c:2e8::/48:4, 2a00::/12:1, probe 7, probes 1 2 3:2, worldwide:9, AS:1",
        )
        .unwrap();
        assert_eq!(
            relaxed,
            vec![
                request(ProbeSelector::Area("North-Central".into()), 5),
                request(ProbeSelector::Area("South-East".into()), 2),
                request(ProbeSelector::Country("BR".into()), 3),
                request(ProbeSelector::Asn(15169), 1),
                request(ProbeSelector::Asn(13335), 2),
                request(ProbeSelector::Prefix("2001:67c:2e8::/48".into()), 4),
                request(ProbeSelector::Prefix("2a00::/12".into()), 1),
                request(ProbeSelector::Probes(vec![7]), 1),
                request(ProbeSelector::Probes(vec![1, 2, 3]), 2),
                request(ProbeSelector::Area("WW".into()), 9),
                // "AS" alone is American Samoa.
                request(ProbeSelector::Country("AS".into()), 1),
            ]
        );
        // A list closed by a count does not swallow a later bare number.
        assert!(parse_probe_requests("probes 1,2:1, 3").is_err());
    }

    #[test]
    fn regions_and_the_continent_preset_select_by_region() {
        let parsed =
            parse_probe_requests("europe:10, region South Eastern Asia:3, RIPE NCC:2").unwrap();
        assert_eq!(
            parsed,
            vec![
                request(ProbeSelector::Region("europe".into()), 10),
                request(ProbeSelector::Region("south_eastern_asia".into()), 3),
                request(ProbeSelector::Region("ripencc".into()), 2),
            ]
        );
        assert_eq!(parsed[1].selector.describe(), "South-Eastern Asia");
        assert_eq!(parsed[2].selector.describe(), "RIPE NCC's service region");
        assert_eq!(parsed[0].selector.api_type(), "region");
        // Six regions, five probes each, covering the continents once; a further item still reads.
        let preset = parse_probe_requests("5 per continent, NL:2").unwrap();
        assert_eq!(preset.len(), 7);
        let regions: Vec<String> = preset[..6]
            .iter()
            .map(|probe| probe.selector.api_value())
            .collect();
        assert_eq!(regions, CONTINENT_REGIONS.map(str::to_string));
        assert!(preset[..6].iter().all(|probe| probe.requested == 5));
        assert_eq!(preset[6], request(ProbeSelector::Country("NL".into()), 2));
        // Every documented region is accepted, and the text form reads back the same.
        for region in REGIONS {
            let one = parse_probe_requests(&format!("region {region}:1")).unwrap();
            assert_eq!(
                parse_probe_requests(&format_probe_requests(&one)).unwrap(),
                one
            );
        }
        for (text, hint) in [
            ("region mars:5", "not an Atlas region"),
            ("many per continent", "e.g. 5 per continent"),
            ("0 per continent", "at least 1"),
            ("2000 per continent", "at most 1000"),
        ] {
            let problem = parse_probe_requests(text).unwrap_err();
            assert!(problem.contains(hint), "{text}: {problem}");
        }
    }

    #[test]
    fn a_region_selection_has_no_ripe_atlas_tools_command_and_says_so() {
        let create = ping("ripe.net", "europe:10, NL:2");
        let commands = create.ripe_atlas_tools_command();
        let lines: Vec<&str> = commands.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("# 10 probes in Europe: ripe-atlas-tools has no region option")
        );
        assert!(
            lines[1].ends_with("--probes 2 --from-country NL"),
            "{}",
            lines[1]
        );
    }

    #[test]
    fn probe_syntax_mistakes_say_what_to_write() {
        for (text, hint) in [
            ("", "WW:50"),
            (" , ;\n", "WW:50"),
            ("WW", "how many probes"),
            ("WW:0", "at least 1"),
            ("WW:1001", "at most 1000"),
            ("WW:lots", "whole number"),
            ("WW:99999999999", "at most 1000"),
            ("Middle:5", "not a selector"),
            ("area Middle:5", "West"),
            ("XX:5", "ISO 3166"),
            ("UK:5", "GB, not UK"),
            ("country Netherlands:5", "two-letter"),
            ("AS0:3", "1 to 4294967294"),
            ("asn x:3", "AS number"),
            ("6002:1", "AS6002"),
            ("193.0.0.0:5", "prefix with its length"),
            ("193.0.0.0/33:1", "0–32"),
            ("2001:db8::/129:1", "0–128"),
            ("prefix 300.0.0.0/8:1", "not an IP address"),
            ("prefix 10.0.0.0:1", "address/length"),
            ("probes", "missing its value"),
            ("probes x", "probe ID"),
            ("probes 0", "probe ID"),
            ("probes 1,2:3", "only 2 are listed"),
            ("msm:5", "missing its value"),
            ("msm 0:5", "measurement ID"),
            ("msm 1033154", "how many probes"),
        ] {
            let message = parse_probe_requests(text).unwrap_err();
            assert!(message.contains(hint), "{text:?} → {message}");
        }
        // The message names the item by its position.
        let message = parse_probe_requests("WW:5, NL:5, banana:3").unwrap_err();
        assert!(
            message.starts_with("Probe selection 3 (\"banana:3\")"),
            "{message}"
        );
    }

    #[test]
    fn formatted_selections_read_back_the_same() {
        let text = "WW:50, country NL:10, AS3333:5, prefix 2001:db8::/32:3, probes 6001,6002, \
                    probes 1,2,3:2, msm 1033154:20, area North-East:4";
        let parsed = parse_probe_requests(text).unwrap();
        let formatted = format_probe_requests(&parsed);
        assert_eq!(parse_probe_requests(&formatted).unwrap(), parsed);
        assert_eq!(format_probe_requests(&parsed[..2]), "WW:50, country NL:10");
    }

    #[test]
    fn good_requests_validate() {
        for request in [
            ping("ripe.net", "WW:50, NL:10"),
            ping("193.0.0.1", "AS3333:5"),
            with(
                AtlasTest::default_for("traceroute").unwrap(),
                "k.root-servers.net.",
                "WW:1000",
            ),
            dns("example.com", "", true),
            dns(".", "", true),
            dns("_sip._tcp.example.com", "2001:4860:4860::8888", false),
        ] {
            let mut request = request;
            if request.target.contains(':') {
                request.af = 6;
            }
            assert_eq!(request.validate(), Ok(()), "{request:?}");
        }
    }

    #[test]
    fn bad_requests_say_what_to_change() {
        let cases: Vec<(CreateRequest, &str)> = vec![
            (
                {
                    let mut r = ping("ripe.net", "WW:5");
                    r.af = 5;
                    r
                },
                "4 (IPv4) or 6",
            ),
            (
                {
                    let mut r = ping("ripe.net", "WW:5");
                    r.description = "  ".into();
                    r
                },
                "description",
            ),
            (ping("", "WW:5"), "host name or an IP address"),
            (ping("https://ripe.net/", "WW:5"), "host name only"),
            (ping("ripe.net:443", "WW:5"), "port"),
            (ping("ripe .net", "WW:5"), "spaces"),
            (ping("ripe..net", "WW:5"), "empty label"),
            (ping("-ripe.net", "WW:5"), "hyphen"),
            (ping("1.2.3.999", "WW:5"), "neither a valid IPv4"),
            (ping("bücher.de", "WW:5"), "xn--"),
            (
                ping("2001:db8::1", "WW:5"),
                "IPv6 address but the measurement is IPv4",
            ),
            (
                {
                    let mut r = ping("193.0.0.1", "WW:5");
                    r.af = 6;
                    r
                },
                "IPv4 address but the measurement is IPv6",
            ),
            (
                with(AtlasTest::Ping { packets: 0 }, "ripe.net", "WW:5"),
                "1 to 16 packets",
            ),
            (
                with(AtlasTest::Ping { packets: 17 }, "ripe.net", "WW:5"),
                "1 to 16 packets",
            ),
            (
                with(
                    AtlasTest::Traceroute {
                        protocol: "SCTP".into(),
                        paris: 16,
                    },
                    "ripe.net",
                    "WW:5",
                ),
                "ICMP, UDP or TCP",
            ),
            (
                with(
                    AtlasTest::Traceroute {
                        protocol: "udp".into(),
                        paris: 65,
                    },
                    "ripe.net",
                    "WW:5",
                ),
                "0 (off) to 64",
            ),
            (ping("ripe.net", "WW:600, NL:401"), "1,001 probes in all"),
            (
                CreateRequest {
                    probes: vec![],
                    ..ping("ripe.net", "WW:5")
                },
                "which probes",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Area("Middle".into()), 5)],
                    ..ping("ripe.net", "WW:5")
                },
                "not an Atlas area",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Country("ZZ".into()), 5)],
                    ..ping("ripe.net", "WW:5")
                },
                "ISO 3166",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Prefix("10.0.0.0/40".into()), 5)],
                    ..ping("ripe.net", "WW:5")
                },
                "0–32",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Probes(vec![1, 2]), 3)],
                    ..ping("ripe.net", "WW:5")
                },
                "only 2 listed",
            ),
            (
                CreateRequest {
                    probes: vec![request(ProbeSelector::Asn(0), 0)],
                    ..ping("ripe.net", "WW:5")
                },
                "ask for 1 to 1000 probes",
            ),
            (
                {
                    let mut r = dns("example.com", "", true);
                    r.test = AtlasTest::Dns {
                        query_type: "HTTPS".into(),
                        query_argument: "example.com".into(),
                        use_probe_resolver: true,
                    };
                    r
                },
                "cannot ask for \"HTTPS\" records",
            ),
            (dns("", "", true), "which name to look up"),
            (dns("exa mple.com", "", true), "spaces"),
            (dns("example.com", "8.8.8.8", true), "clear the target"),
            (dns("example.com", "", false), "which resolver"),
            (
                {
                    let mut r = dns("8.8.4.4", "", true);
                    r.test = AtlasTest::Dns {
                        query_type: "PTR".into(),
                        query_argument: "8.8.4.4".into(),
                        use_probe_resolver: true,
                    };
                    r
                },
                "in-addr.arpa",
            ),
        ];
        for (request, hint) in cases {
            let message = request.validate().unwrap_err();
            assert!(message.contains(hint), "{hint:?} not in: {message}");
        }
        // Several problems are all reported, one per line.
        let mut several = with(AtlasTest::Ping { packets: 0 }, "", "WW:5");
        several.af = 0;
        assert_eq!(several.validate().unwrap_err().lines().count(), 3);
    }

    #[test]
    fn credit_costs_follow_the_documented_model() {
        // Ping: N × (⌊48/1500⌋ + 1) = 3 per result, doubled for a one-off.
        let cost = ping("ripe.net", "WW:50").cost();
        assert_eq!(
            (cost.credits_per_result, cost.results, cost.total_credits),
            (6, 50, 300)
        );
        assert_eq!(
            cost.explanation,
            "50 probes × 6 credits (ping, 3 packets, one-off) = 300 credits (estimate)"
        );
        assert!(
            cost.source
                .contains("atlas.ripe.net/docs/getting-started/credits")
        );
        let one = with(AtlasTest::Ping { packets: 1 }, "ripe.net", "probes 6001").cost();
        assert_eq!(
            one.explanation,
            "1 probe × 2 credits (ping, 1 packet, one-off) = 2 credits (estimate)"
        );
        let sixteen = with(AtlasTest::Ping { packets: 16 }, "ripe.net", "WW:1000").cost();
        assert_eq!(sixteen.total_credits, 32_000);
        assert!(sixteen.explanation.ends_with("= 32,000 credits (estimate)"));

        // Traceroute: 10 × 3 × (⌊40/1500⌋ + 1) = 30, doubled: 60.
        let trace = with(
            AtlasTest::default_for("traceroute").unwrap(),
            "ripe.net",
            "WW:25, NL:25",
        )
        .cost();
        assert_eq!(
            (trace.credits_per_result, trace.results, trace.total_credits),
            (60, 50, 3_000)
        );
        assert_eq!(
            trace.explanation,
            "50 probes × 60 credits (traceroute, 3 packets per hop, one-off) = 3,000 credits (estimate)"
        );

        // DNS over UDP: 10 per result, doubled: 20.
        let lookup = dns("example.com", "", true).cost();
        assert_eq!(
            (
                lookup.credits_per_result,
                lookup.results,
                lookup.total_credits
            ),
            (20, 20, 400)
        );

        // Absurd counts saturate instead of overflowing.
        let mut huge = ping("ripe.net", "WW:5");
        huge.probes = vec![request(ProbeSelector::Area("WW".into()), u32::MAX); 3];
        assert_eq!(huge.cost().total_credits, u32::MAX);
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    /// Splits a POSIX shell line into words for the quoting subset `shell_word` produces (bare words,
    /// single quotes, backslash escapes), and fails on any unquoted character the shell would treat
    /// specially.
    fn shell_words(line: &str) -> Result<Vec<String>, String> {
        let mut words = Vec::new();
        let mut word: Option<String> = None;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                ' ' => {
                    if let Some(done) = word.take() {
                        words.push(done);
                    }
                }
                '\'' => {
                    let current = word.get_or_insert_with(String::new);
                    loop {
                        match chars.next() {
                            Some('\'') => break,
                            Some(inner) => current.push(inner),
                            None => return Err("unterminated quote".into()),
                        }
                    }
                }
                '\\' => match chars.next() {
                    Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                    None => return Err("trailing backslash".into()),
                },
                c if "\n;&|<>()$`\"*?[]#~{}!\t".contains(c) => {
                    return Err(format!("unquoted {c:?}"));
                }
                c => word.get_or_insert_with(String::new).push(c),
            }
        }
        words.extend(word);
        Ok(words)
    }

    #[test]
    fn the_ripe_atlas_tools_command_matches_the_request() {
        let request = ping("ripe.net", "WW:50");
        assert_eq!(
            request.ripe_atlas_tools_command(),
            "ripe-atlas measure ping --target ripe.net --af 4 --description 'Vantage check' \
             --packets 3 --probes 50 --from-area WW"
        );
        let several = ping(
            "ripe.net",
            "WW:50, country NL:10, AS3333:5, 193.0.0.0/21:3, probes 6001,6002, msm 1033154:20",
        );
        let command = several.ripe_atlas_tools_command();
        let lines: Vec<&str> = command.lines().collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[1].ends_with("--probes 10 --from-country NL"));
        assert!(lines[2].ends_with("--probes 5 --from-asn 3333"));
        assert!(lines[3].ends_with("--probes 3 --from-prefix 193.0.0.0/21"));
        // The tool refuses --probes together with --from-probes.
        assert!(
            lines[4].ends_with("--packets 3 --from-probes 6001,6002"),
            "{}",
            lines[4]
        );
        assert!(lines[5].ends_with("--probes 20 --from-measurement 1033154"));

        let trace = with(
            AtlasTest::default_for("traceroute").unwrap(),
            "example.com",
            "WW:5",
        );
        assert!(
            trace
                .ripe_atlas_tools_command()
                .contains("measure traceroute --target example.com --af 4")
        );
        assert!(
            trace
                .ripe_atlas_tools_command()
                .contains("--protocol ICMP --paris 16")
        );
        let own = dns("example.com", "", true).ripe_atlas_tools_command();
        assert!(!own.contains("--target"), "{own}");
        assert!(own.contains("--query-type AAAA --query-argument example.com --set-rd-bit"));
        let asked = dns("example.com", "9.9.9.9", false).ripe_atlas_tools_command();
        assert!(asked.contains("measure dns --target 9.9.9.9"), "{asked}");
    }

    #[test]
    fn hostile_targets_are_quoted_safely_for_a_posix_shell() {
        for hostile in [
            "; rm -rf /",
            "ripe.net; rm -rf /",
            "$(reboot)",
            "`id`",
            "it's",
            "'; echo pwned; '",
            "\"quoted\"",
            "a\nrm -rf /",
            "-rf",
            "--auth=stolen",
            "a b\tc",
            "*",
            "~root",
            "x\\y",
            "",
        ] {
            let mut request = ping(hostile, "WW:5, NL:1");
            request.description = hostile.to_string();
            let command = request.ripe_atlas_tools_command();
            // One command per line: split on the new lines outside quotes.
            let mut commands: Vec<String> = vec![String::new()];
            let (mut quoted_part, mut escaped) = (false, false);
            for c in command.chars() {
                match c {
                    '\n' if !quoted_part && !escaped => commands.push(String::new()),
                    c => {
                        if let Some(current) = commands.last_mut() {
                            current.push(c);
                        }
                    }
                }
                if escaped {
                    escaped = false;
                } else if c == '\\' && !quoted_part {
                    escaped = true;
                } else if c == '\'' {
                    quoted_part = !quoted_part;
                }
            }
            assert!(!quoted_part, "{command}");
            assert_eq!(commands.len(), 2, "{command}");
            for line in commands {
                // The quoted value may hold a new line; the splitter treats it as an ordinary character
                // inside quotes, so only unquoted ones fail.
                let words = shell_words(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
                // `--option=value` is the same as `--option value` to the tool's parser.
                let words: Vec<String> = words
                    .into_iter()
                    .flat_map(|word| match word.split_once('=') {
                        Some((flag, value)) if flag.starts_with("--") => {
                            vec![flag.to_string(), value.to_string()]
                        }
                        _ => vec![word],
                    })
                    .collect();
                let value = hostile.trim().to_string();
                let origin = if line.ends_with("WW") {
                    ["--probes", "5", "--from-area", "WW"]
                } else {
                    ["--probes", "1", "--from-country", "NL"]
                };
                let expected: Vec<String> = [
                    "ripe-atlas",
                    "measure",
                    "ping",
                    "--target",
                    &value,
                    "--af",
                    "4",
                    "--description",
                    &value,
                    "--packets",
                    "3",
                ]
                .into_iter()
                .chain(origin)
                .map(str::to_string)
                .collect();
                assert_eq!(words, expected, "{line}");
            }
        }
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(option("--target", "-rf"), "--target=-rf");
    }

    fn key_error(status: u16, detail: &str) -> String {
        format!(
            "{{\"error\": {{\"detail\": \"{detail}\", \"status\": {status}, \"title\": \"x\", \"code\": 104}}}}"
        )
    }

    #[test]
    fn the_docs_error_fixtures_name_their_fields() {
        let first = parse_error(400, ERROR_FIXTURES[0]);
        assert_eq!(first.status, 400);
        assert_eq!(first.title, "Bad Request");
        assert_eq!(first.detail, "The following fields are invalid: target");
        assert_eq!(
            first.errors,
            vec![(
                "/definitions/0/target".to_string(),
                "This field is required.".to_string()
            )]
        );
        let message = first.user_message();
        assert!(message.contains("rejected the measurement"), "{message}");
        assert!(
            message.contains(
                "definitions/0/target (the target of measurement definition 1): This field is required."
            ),
            "{message}"
        );
        let second = parse_error(400, ERROR_FIXTURES[1]).user_message();
        assert!(
            second.contains(
                "definitions/0/af (the address family of measurement definition 1): This field is \
                 required."
            ),
            "{second}"
        );
        assert_eq!(second, parse_error(400, ERROR_FIXTURES[1]).to_string());
    }

    #[test]
    fn key_credit_and_rate_problems_say_what_to_do() {
        let unknown = parse_error(403, &key_error(403, "The provided API key does not exist"));
        let message = unknown.user_message();
        assert!(
            message.contains("does not recognise this API key"),
            "{message}"
        );
        assert!(
            message.contains(KEYS_PAGE) && message.contains("Settings"),
            "{message}"
        );
        assert!(message.contains(CREATE_PERMISSION), "{message}");
        assert!(
            parse_error(401, &key_error(401, "The provided API key does not exist"))
                .user_message()
                .contains("does not recognise")
        );
        let missing = parse_error(401, "").user_message();
        assert!(missing.contains("received no API key") && missing.contains(KEYS_PAGE));
        // The docs' example of a request without a key (from before 401 was introduced).
        let old = parse_error(
            403,
            r#"{"error":{"status":403,"code":104,"detail":"Authentication credentials were not provided.","title":"Forbidden"}}"#,
        );
        assert!(old.user_message().contains("received no API key"));
        let refused = parse_error(
            403,
            &key_error(403, "You do not have permission to perform this action."),
        )
        .user_message();
        assert!(
            refused.contains("lack the") && refused.contains("valid-from"),
            "{refused}"
        );
        for (status, body) in [
            (402, String::new()),
            (
                400,
                key_error(
                    400,
                    "You do not have enough credits to schedule this measurement",
                ),
            ),
            (403, key_error(403, "Daily credit spending limit exceeded")),
        ] {
            let message = parse_error(status, &body).user_message();
            assert!(
                message.contains("cannot pay") && message.contains("fewer probes"),
                "{message}"
            );
        }
        let limited = parse_error(429, "Too many requests").user_message();
        assert!(limited.contains("wait a minute"), "{limited}");
        let server = parse_error(503, "<html><body>Down</body></html>");
        assert!(
            server.title.starts_with("Service Unavailable") && server.title.contains("web page")
        );
        assert!(server.detail.is_empty());
        assert!(server.user_message().contains("measurement list"));
        let odd = parse_error(418, "I'm a teapot").user_message();
        assert!(odd.contains("HTTP 418") && odd.contains("teapot"), "{odd}");
    }

    #[test]
    fn other_error_shapes_are_read_too() {
        // Warnings carry detail as a list; a query parameter names the place.
        let warned = parse_error(
            400,
            r#"{"error":{"errors":[{"source":{"parameter":"tls"},"detail":["Filtering by this field is not implemented."]}]}}"#,
        );
        assert_eq!(warned.title, "Bad Request");
        assert_eq!(
            warned.errors,
            vec![(
                "tls".to_string(),
                "Filtering by this field is not implemented.".to_string()
            )]
        );
        assert!(
            warned
                .user_message()
                .contains("tls (the query parameter \"tls\")")
        );
        // Django REST framework's field map.
        let fields = parse_error(
            400,
            r#"{"definitions": [{"target": ["This field is required."]}], "probes": ["Bad."]}"#,
        );
        assert!(fields.errors.contains(&(
            "/definitions/0/target".to_string(),
            "This field is required.".to_string()
        )));
        assert!(
            fields
                .errors
                .contains(&("/probes".to_string(), "Bad.".to_string()))
        );
        // A plain {"detail"} and a string error.
        assert_eq!(
            parse_error(404, r#"{"detail": "Not found."}"#).detail,
            "Not found."
        );
        assert_eq!(parse_error(500, r#"{"error": "boom"}"#).detail, "boom");
        // RFC 6901 escapes and probe pointers.
        assert_eq!(
            pointer_in_words("/probes/2/requested"),
            "the number of probes of probe selection 3"
        );
        assert_eq!(pointer_in_words("/a~1b"), "the field \"a/b\"");
        assert_eq!(pointer_in_words("/"), "the request");
        assert_eq!(
            pointer_in_words("/definitions"),
            "the measurement definitions"
        );
        assert_eq!(
            pointer_in_words("/definitions/99999999999999999999/target"),
            "the measurement definitions"
        );
    }

    #[test]
    fn hostile_error_bodies_never_panic() {
        let mut bodies: Vec<String> = Vec::new();
        for fixture in ERROR_FIXTURES {
            for end in 0..=fixture.len() {
                if fixture.is_char_boundary(end) {
                    bodies.push(fixture[..end].to_string());
                }
            }
        }
        bodies.extend(
            [
                "null",
                "[]",
                "42",
                "\"x\"",
                "{}",
                r#"{"error": null}"#,
                r#"{"error": []}"#,
                r#"{"error": {"status": "four hundred", "title": 5, "detail": {"a": 1}}}"#,
                r#"{"error": {"errors": "x"}}"#,
                r#"{"error": {"errors": [1, null, "text", [], {"source": 5}, {"source": {"pointer": 7}, "detail": ["a", "b"]}, {"source": {"pointer": null}}]}}"#,
                r#"{"error": {"errors": [{"source": {"pointer": "/definitions/x/y/z"}, "detail": true}]}}"#,
                "\u{feff}{\"error\":{\"detail\":\"bom\"}}",
                "\u{0}\u{1}\u{7f}",
                "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":[\"deep\"]}}}}}}",
            ]
            .map(str::to_string),
        );
        bodies.push("[".repeat(100_000));
        bodies.push(format!(
            "{{\"error\":{{\"detail\":\"{}\"}}}}",
            "x".repeat(1_000_000)
        ));
        let many: Vec<String> = (0..10_000)
            .map(|i| {
                format!(
                    "{{\"source\":{{\"pointer\":\"/definitions/{i}/target\"}},\"detail\":\"bad\"}}"
                )
            })
            .collect();
        bodies.push(format!("{{\"error\":{{\"errors\":[{}]}}}}", many.join(",")));
        for body in &bodies {
            for status in [0, 200, 400, 401, 402, 403, 429, 500, 599, 65_535] {
                let error = parse_error(status, body);
                let message = error.user_message();
                assert!(!message.is_empty());
                assert!(error.detail.chars().count() <= MAX_TEXT_CHARS + 1);
                assert!(error.errors.len() <= MAX_FIELD_ERRORS);
                assert!(!error.detail.contains('\u{0}'));
                let _ = parse_created(status, body);
                let _ = parse_progress(body);
            }
        }
    }

    #[test]
    fn created_replies() {
        assert_eq!(
            parse_created(201, r#"{"measurements": [12345678]}"#),
            Ok(vec![12_345_678])
        );
        assert_eq!(
            parse_created(202, r#"{"measurements": [1, "2", -3, null, 0]}"#),
            Ok(vec![1, 2])
        );
        let empty = parse_created(201, r#"{"measurements": []}"#).unwrap_err();
        assert!(empty.user_message().contains("measurement list"));
        assert!(parse_created(201, "<html>").is_err());
        let refused = parse_created(400, ERROR_FIXTURES[0]).unwrap_err();
        assert_eq!(refused.errors.len(), 1);
    }

    #[test]
    fn progress_from_the_metadata_fixtures() {
        for (text, id) in META_FIXTURES {
            let progress = parse_progress(text).unwrap();
            assert_eq!(progress.id, id);
            assert_eq!(progress.status_name, "Stopped");
            assert_eq!(progress.status_id, Some(4));
            assert!(progress.is_done && progress.has_results, "{progress:?}");
            assert!(progress.probes_scheduled.is_some_and(|n| n > 0));
            assert_eq!(progress.probes_requested, None);
            // Truncated metadata never panics.
            for end in 0..text.len() {
                let _ = parse_progress(&text[..end]);
            }
        }
        let ongoing = parse_progress(
            r#"{"id": 61000000, "type": "ping", "status": {"id": 2, "name": "Ongoing", "when": 1700000000},
               "probes_requested": 50, "probes_scheduled": 48}"#,
        )
        .unwrap();
        assert!(!ongoing.is_done && ongoing.has_results);
        assert_eq!(
            ongoing.summary(),
            "Measurement 61000000: Ongoing, 48 of 50 probes scheduled"
        );
        let waiting =
            parse_progress(r#"{"id": 7, "status": {"id": 1, "name": "Scheduled"}}"#).unwrap();
        assert!(!waiting.is_done && !waiting.has_results);
        let none = parse_progress(
            r#"{"id": 7, "status": {"id": 6, "name": "No suitable probes"}, "probes_requested": 5, "probes_scheduled": 0}"#,
        )
        .unwrap();
        assert!(none.is_done && !none.has_results);
        let by_id =
            parse_progress(r#"{"id": 7, "status": {"id": 5}, "probes_requested": -1}"#).unwrap();
        assert_eq!(by_id.status_name, "Forced to stop");
        assert!(by_id.is_done && by_id.has_results);
        assert_eq!(by_id.probes_requested, None);
        assert_eq!(
            parse_credits_per_result(r#"{"id": 1026291, "credits_per_result": 17}"#),
            Some(17)
        );
        assert_eq!(parse_credits_per_result(META_FIXTURES[0].0), None);
        assert_eq!(
            parse_credits_per_result(r#"{"credits_per_result": -1}"#),
            None
        );
        let denied = parse_progress(r#"{"id": 7, "status": {"name": "Denied"}}"#).unwrap();
        assert!(denied.is_done && !denied.has_results);
        for bad in ["", "[]", "{}", r#"{"id": 0}"#, r#"{"id": "x"}"#, "not json"] {
            assert!(parse_progress(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_api_key_never_shows_itself() {
        for pasted in [
            KEY.to_string(),
            format!("  {KEY}\n"),
            format!("Key {KEY}"),
            format!("Authorization: Key {KEY}"),
            format!("\"{KEY}\""),
            KEY.to_uppercase(),
        ] {
            let key = ApiKey::parse(&pasted).unwrap();
            let secret = key.expose_secret().to_ascii_lowercase();
            assert_eq!(secret, KEY);
            for shown in [format!("{key:?}"), format!("{key}"), key.masked()] {
                assert!(!shown.to_ascii_lowercase().contains(KEY), "{shown}");
                assert!(!shown.to_ascii_lowercase().contains(&KEY[..8]), "{shown}");
                assert_eq!(shown.to_ascii_lowercase(), "key ••••5c6d");
            }
            assert_eq!(
                key.header_value().to_ascii_lowercase(),
                format!("key {KEY}")
            );
        }
        // Errors say what a key looks like and never echo what was pasted.
        for bad in [
            "",
            "   ",
            "secret-password-123",
            "1a2b3c4d5e6f4a8b9c0d1e2f3a4b5c6d",
            "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6z",
            "1a2b3c4d-5e6f-4a8b-9c0d1-e2f3a4b5c6d",
            "ключ-ключ",
        ] {
            let message = ApiKey::parse(bad).unwrap_err();
            assert!(message.contains(KEYS_PAGE), "{message}");
            if bad.trim().len() > 4 {
                assert!(!message.contains(bad.trim()), "{message}");
            }
        }
    }

    #[test]
    fn reusing_the_probes_of_earlier_results() {
        let all = reuse_probes(PING_RESULTS, 1000).unwrap();
        let ProbeSelector::Probes(ids) = &all.selector else {
            panic!("{all:?}");
        };
        assert_eq!(ids.len(), 5);
        assert_eq!(all.requested, 5);
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
        let capped = reuse_probes(PING_RESULTS, 2).unwrap();
        assert_eq!(capped.requested, 2);
        assert_eq!(capped.selector, ProbeSelector::Probes(ids[..2].to_vec()));
        // Entries the parsers reject still lend their probe.
        assert_eq!(
            reuse_probes(
                r#"[{"prb_id": 9, "type": "unknown"}, {"prb_id": 3}, {"prb_id": 0}]"#,
                10
            ),
            Some(request(ProbeSelector::Probes(vec![3, 9]), 2))
        );
        assert_eq!(reuse_probes(PING_RESULTS, 0), None);
        assert_eq!(reuse_probes("garbage", 10), None);
        assert_eq!(reuse_probes("[]", 10), None);
        // The selection round-trips through the text syntax and makes a valid request.
        let text = format_probe_requests(std::slice::from_ref(&all));
        assert_eq!(parse_probe_requests(&text).unwrap(), vec![all.clone()]);
        let mut rerun = ping("at-vie-as1853.anchors.atlas.ripe.net", "WW:1");
        rerun.probes = vec![all];
        assert_eq!(rerun.validate(), Ok(()));
    }

    #[test]
    fn selectors_in_words() {
        assert_eq!(ProbeSelector::Area("ww".into()).describe(), "worldwide");
        assert_eq!(ProbeSelector::Area("west".into()).api_value(), "West");
        assert_eq!(
            ProbeSelector::Country("nl".into()).describe(),
            "Netherlands (NL)"
        );
        assert_eq!(ProbeSelector::Country("nl".into()).api_value(), "NL");
        assert_eq!(ProbeSelector::Probes(vec![1]).describe(), "probe 1");
        assert_eq!(ProbeSelector::Probes(vec![1, 2]).describe(), "probes 1, 2");
        assert_eq!(
            ProbeSelector::Msm(5).describe(),
            "the probes of measurement 5"
        );
    }
}
