//! Client subnets for "client emulation" with EDNS Client Subnet (RFC 7871): asking a resolver on
//! behalf of a client in another country, to see the answer a user there gets. One /24 per country,
//! drawn from real networks: the first /24 of the announced IPv4 prefix (`prefix_v4`) of a RIPE
//! Atlas probe in that country.
//!
//! The table ships as data, `ecs_subnets.tsv` beside this file, derived by `derive_table` from the
//! recorded probe pages in `tests/fixtures/atlas/probes_page_*.json` (2016 and 2025) and the recorded
//! probe list `tests/fixtures/atlas/probes_tab_*.txt` (2015; a test in `atlas::probes` checks that
//! the committed table equals what the fixtures give). The pages cover 30 countries, with a single
//! one in Africa and none in South America; the list adds 31 countries of Africa, South America,
//! North America and Oceania, so every inhabited continent has at least five. Antarctica has none.
//! `derive_table` builds the same from any probe list, so a larger table is one probes download away.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::Serialize;

use super::bogon::special_purpose;
use super::record::ClientSubnet;
use crate::geo::{Continent, continent_of};
use crate::model::Probe;

/// The shipped table (see the module documentation for where it comes from).
pub const TABLE: &str = include_str!("ecs_subnets.tsv");

/// Where the subnets come from, in words, for the notebook's provenance line.
pub const SOURCE: &str = "first /24 of a RIPE Atlas probe's announced IPv4 prefix (prefix_v4), one probe per country, from recorded RIPE Atlas probe lists of 2015, 2016 and 2025 (RIPE NCC)";

/// A subnet to emulate a client in one country, with the probe it was drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcsSubnet {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub subnet: ClientSubnet,
    /// The probe whose network the subnet lies in.
    pub prb_id: u64,
    /// The probe's `prefix_v4` the subnet was cut from.
    pub prefix_v4: String,
    pub asn_v4: Option<u32>,
    /// How many usable probes the source had in this country (the table's per-continent choice
    /// prefers the best-sampled country). For the countries of the 2015 list it is a tenth of the
    /// original list's count, rounded up, as the fixture was trimmed (tests/fixtures/SOURCES.md).
    pub probes: usize,
}

impl EcsSubnet {
    pub fn continent(&self) -> Option<Continent> {
        continent_of(&self.country)
    }
}

const HEADER: &str = "\
# ECS client-emulation subnets: one /24 per country, the first /24 of a real RIPE Atlas probe's
# announced IPv4 prefix (prefix_v4). Sources: the recorded probe pages tests/fixtures/atlas/probes_page_*.json
# (2016 and 2025) and the recorded probe list tests/fixtures/atlas/probes_tab_*.txt (2015, one probe per line);
# RIPE Atlas, operated by the RIPE NCC; origins in tests/fixtures/SOURCES.md.
# Per country: the lowest probe id whose prefix is public (not special-purpose) and /24 or shorter.
# Made by dns::subnets::derive_table; `cargo test --lib dns::subnets` checks this file against the fixtures.
# country\tsubnet\tprb_id\tprefix_v4\tasn_v4\tprobes
";

/// The /24 a probe offers, if its `prefix_v4` is a public IPv4 prefix of length 24 or shorter.
fn probe_subnet(probe: &Probe) -> Option<ClientSubnet> {
    let prefix: ClientSubnet = probe.prefix_v4.as_deref()?.parse().ok()?;
    if !prefix.address().is_ipv4() || prefix.prefix() > 24 {
        return None;
    }
    if special_purpose(prefix.address()).is_some() {
        return None;
    }
    ClientSubnet::new(prefix.address(), 24)
}

/// The table (header included) that a list of probes gives: per country with a known continent, the
/// probe with the lowest id that offers a subnet. Probes listed twice count once.
pub fn derive_table(probes: &[Probe]) -> String {
    let mut unique: BTreeMap<u64, &Probe> = BTreeMap::new();
    for probe in probes {
        unique.entry(probe.id).or_insert(probe);
    }
    let mut by_country: BTreeMap<String, Vec<(&Probe, ClientSubnet)>> = BTreeMap::new();
    for probe in unique.values() {
        let Some(country) = probe.country_code.as_deref() else {
            continue;
        };
        if continent_of(country).is_none() {
            continue;
        }
        if let Some(subnet) = probe_subnet(probe) {
            by_country
                .entry(country.to_ascii_uppercase())
                .or_default()
                .push((probe, subnet));
        }
    }
    let mut table = HEADER.to_string();
    for (country, candidates) in by_country {
        // BTreeMap order: the first candidate has the lowest probe id.
        let Some((probe, subnet)) = candidates.first() else {
            continue;
        };
        table.push_str(&format!(
            "{country}\t{subnet}\t{}\t{}\t{}\t{}\n",
            probe.id,
            probe.prefix_v4.as_deref().unwrap_or_default(),
            probe.asn_v4.map(|asn| asn.to_string()).unwrap_or_default(),
            candidates.len()
        ));
    }
    table
}

/// Reads a table in the format above; lines that do not parse are skipped (the shipped table is
/// checked to have none).
pub fn parse_table(text: &str) -> Vec<EcsSubnet> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [country, subnet, prb_id, prefix_v4, asn_v4, probes] = fields.as_slice() else {
                return None;
            };
            Some(EcsSubnet {
                country: country.to_string(),
                subnet: subnet.parse().ok()?,
                prb_id: prb_id.parse().ok()?,
                prefix_v4: prefix_v4.to_string(),
                asn_v4: asn_v4.parse().ok(),
                probes: probes.parse().ok()?,
            })
        })
        .collect()
}

/// Every shipped subnet, by country code.
pub fn ecs_subnets() -> Vec<EcsSubnet> {
    parse_table(TABLE)
}

pub fn for_country(country: &str) -> Option<EcsSubnet> {
    let wanted = country.trim().to_ascii_uppercase();
    ecs_subnets()
        .into_iter()
        .find(|subnet| subnet.country == wanted)
}

/// "One vantage per continent": of each continent's countries, the one with the most usable probes
/// (ties to the first code), in `Continent::ALL` order. Continents without a subnet are absent.
pub fn one_per_continent(subnets: &[EcsSubnet]) -> Vec<EcsSubnet> {
    per_continent(subnets, 1)
}

/// How many countries of each continent [`several_per_continent`] takes: enough to tell a
/// continent-wide answer from one country's, few enough that six continents stay one screen of rows.
pub const SEVERAL: usize = 3;

/// "Several vantages per continent": of each continent's countries, the [`SEVERAL`] with the most
/// usable probes, continent by continent in `Continent::ALL` order.
pub fn several_per_continent(subnets: &[EcsSubnet]) -> Vec<EcsSubnet> {
    per_continent(subnets, SEVERAL)
}

/// Of each continent's countries, the `each` with the most usable probes (ties to the first code),
/// continent by continent in `Continent::ALL` order; a continent with fewer gives what it has.
fn per_continent(subnets: &[EcsSubnet], each: usize) -> Vec<EcsSubnet> {
    Continent::ALL
        .iter()
        .flat_map(|continent| {
            let mut countries: Vec<&EcsSubnet> = subnets
                .iter()
                .filter(|subnet| subnet.continent() == Some(*continent))
                .collect();
            countries.sort_by(|a, b| b.probes.cmp(&a.probes).then(a.country.cmp(&b.country)));
            countries.into_iter().take(each).cloned()
        })
        .collect()
}

/// Whether an address lies in one of the subnets, and which: lets a reader see that an answer was
/// chosen for the emulated client's own network.
pub fn containing(subnets: &[EcsSubnet], address: IpAddr) -> Option<&EcsSubnet> {
    subnets
        .iter()
        .find(|subnet| subnet.subnet.contains(address))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::cities::largest_city;

    #[test]
    fn every_row_parses_and_lies_inside_its_probe_prefix() {
        let rows = TABLE.lines().filter(|line| !line.starts_with('#')).count();
        let subnets = ecs_subnets();
        assert_eq!(subnets.len(), rows);
        assert_eq!(
            subnets.len(),
            61,
            "the probe pages cover 30 countries, the 2015 probe list 31 more"
        );
        for subnet in &subnets {
            let prefix: ClientSubnet = subnet.prefix_v4.parse().unwrap();
            assert!(prefix.contains(subnet.subnet.address()), "{subnet:?}");
            assert_eq!(subnet.subnet.prefix(), 24);
            assert!(subnet.continent().is_some());
            assert_eq!(special_purpose(subnet.subnet.address()), None);
        }
        assert_eq!(for_country("de").unwrap().country, "DE");
        assert_eq!(for_country("br").unwrap().prb_id, 132);
        // No probe of the fixtures is in Antarctica (or China): the table says so by omission.
        assert_eq!(for_country("AQ"), None);
        assert_eq!(for_country("CN"), None);
    }

    /// Every country of the shipped table has a point to be drawn at (the DNS map places an ECS
    /// vantage at its country's largest city).
    #[test]
    fn every_country_of_the_table_has_a_largest_city() {
        for subnet in ecs_subnets() {
            assert!(
                largest_city(&subnet.country).is_some(),
                "{}",
                subnet.country
            );
        }
    }

    /// Issue 12: the table had no South American country and one African, so "one country per
    /// continent" was five countries.
    #[test]
    fn every_inhabited_continent_has_several_countries() {
        let subnets = ecs_subnets();
        for continent in Continent::ALL {
            let countries = subnets
                .iter()
                .filter(|s| s.continent() == Some(continent))
                .count();
            if continent == Continent::Antarctica {
                assert_eq!(countries, 0);
            } else {
                assert!(countries >= 5, "{} has {countries}", continent.name());
            }
        }
    }

    #[test]
    fn one_vantage_per_continent() {
        let chosen = one_per_continent(&ecs_subnets());
        let picked: Vec<(Option<Continent>, &str)> = chosen
            .iter()
            .map(|s| (s.continent(), s.country.as_str()))
            .collect();
        // The best-sampled country of each continent: ZA has 9 probes in the trimmed 2015 list, ID 3
        // in the pages, DE 19, US 6, BR 6; Oceania's countries have one each, so the first code wins.
        assert_eq!(
            picked,
            [
                (Some(Continent::Africa), "ZA"),
                (Some(Continent::Asia), "ID"),
                (Some(Continent::Europe), "DE"),
                (Some(Continent::NorthAmerica), "US"),
                (Some(Continent::Oceania), "AU"),
                (Some(Continent::SouthAmerica), "BR"),
            ]
        );
    }

    #[test]
    fn several_vantages_per_continent() {
        let chosen = several_per_continent(&ecs_subnets());
        assert_eq!(chosen.len(), 6 * SEVERAL);
        let countries: Vec<&str> = chosen.iter().map(|s| s.country.as_str()).collect();
        assert_eq!(
            countries,
            [
                "ZA", "KE", "EG", // Africa: 9 and 2 probes, then the first of the ones
                "ID", "AE", "JP", // Asia
                "DE", "GB", "NL", // Europe
                "US", "CA", "CR", // North America
                "AU", "FJ", "NC", // Oceania
                "BR", "AR", "CL", // South America
            ]
        );
        // One per continent is the first of each continent's several.
        let firsts: Vec<&EcsSubnet> = chosen.iter().step_by(SEVERAL).collect();
        assert_eq!(
            firsts,
            one_per_continent(&ecs_subnets()).iter().collect::<Vec<_>>()
        );
        // A continent with fewer countries than asked gives what it has.
        let two = [for_country("DE").unwrap(), for_country("BR").unwrap()];
        assert_eq!(several_per_continent(&two), two);
    }

    #[test]
    fn only_public_prefixes_of_24_or_shorter_qualify() {
        let probe = |id: u64, country: &str, prefix: &str| Probe {
            id,
            country_code: Some(country.to_string()),
            asn_v4: Some(64500),
            asn_v6: None,
            latitude: None,
            longitude: None,
            is_anchor: false,
            description: None,
            status_name: None,
            prefix_v4: Some(prefix.to_string()),
            prefix_v6: None,
        };
        let table = derive_table(&[
            probe(9, "NL", "193.0.0.0/21"),
            probe(3, "NL", "192.168.0.0/16"),
            probe(4, "NL", "193.0.10.0/25"),
            probe(5, "NL", "2001:db8::/32"),
            probe(2, "XX", "1.1.1.0/24"),
            probe(9, "BE", "8.8.8.0/24"),
        ]);
        let rows = parse_table(&table);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].subnet.to_string(), "193.0.0.0/24");
        assert_eq!((rows[0].prb_id, rows[0].probes), (9, 1));
        assert!(parse_table("NL\tx\t1\t\t\t1\nshort line").is_empty());
        assert_eq!(
            containing(&rows, "193.0.0.77".parse().unwrap()).map(|s| s.prb_id),
            Some(9)
        );
    }
}
