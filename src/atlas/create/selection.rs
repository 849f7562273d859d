//! The probe-selection language of Atlas measurement creation: the selectors of the API's `probes`
//! array (area, region, country, AS, prefix, probe IDs, the probes of an earlier measurement), the text
//! the author types for them (`WW:50, NL:10, AS3333:5`, `5 per continent`), read with messages that
//! say what to write instead and written back in the same syntax, and the selection that re-runs a
//! measurement on the probes of earlier results.
//!
//! This module must not do I/O, and it does not judge a whole request: `request` checks the selections
//! together (their total, against the test), reusing the item checks here.
//!
//! Sources: the RIPE Atlas REST API manual ("Probe Selection", "The probes Array in Detail") and
//! ripe-atlas-tools' `--from-*` options; each list below names where it came from.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use super::quoted;
use crate::geo::country_name;
use crate::model::per_continent::per_continent_count;

/// The most probes one measurement may ask for, over all its probe selections: the quota "≤1000 probes
/// per measurement" in the Atlas docs' list of limits (API-NOTES §1.2; the notes treat the quotas as
/// approximate, so the server's answer still wins).
pub const MAX_PROBES_PER_MEASUREMENT: u32 = 1000;

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

/// `5 per continent` (the grammar of [`per_continent_count`], any case): the count asked in each of
/// [`CONTINENT_REGIONS`], or `None` for another item.
fn per_continent(item: &str) -> Option<Result<u32, String>> {
    match per_continent_count(item)? {
        Ok(count) => Some(parse_count(count)),
        Err(count) => Some(Err(format!(
            "write a whole number of probes before \"per continent\", e.g. 5 per continent, not {}",
            quoted(&count.to_ascii_lowercase())
        ))),
    }
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

pub(super) fn request(selector: ProbeSelector, requested: u32) -> ProbeRequest {
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

pub(super) fn checked_country(code: &str) -> Result<String, String> {
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

pub(super) fn canonical_area(name: &str) -> Option<&'static str> {
    let normal = normalised(name, '-');
    if normal == "worldwide" {
        return Some("WW");
    }
    AREAS
        .iter()
        .copied()
        .find(|area| area.to_ascii_lowercase() == normal)
}

pub(super) fn unknown_area(name: &str) -> String {
    format!(
        "{} is not an Atlas area; the areas are {}",
        quoted(name.trim()),
        AREAS.join(", ")
    )
}

pub(super) fn canonical_region(name: &str) -> Option<&'static str> {
    let normal = normalised(name, '_');
    let normal = match normal.as_str() {
        "ripe_ncc" => "ripencc".to_string(),
        _ => normal,
    };
    REGIONS.iter().copied().find(|region| *region == normal)
}

pub(super) fn unknown_region(name: &str) -> String {
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
pub(super) fn prefix_problem(text: &str) -> Option<String> {
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

fn join_ids(ids: &[u64]) -> String {
    ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::ping;
    use super::*;

    const PING_RESULTS: &str =
        include_str!("../../../tests/fixtures/atlas/ping_latest_msm3359986.json");

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
