//! What the DNS views show, derived from an answer matrix (`dns::matrix`): one row per vantage in a
//! stable order, the answer sets with their labels and origins, ECS per resolver, and where each
//! vantage goes on the map. ECS vantages have no location of their own (the resolver was asked on
//! behalf of a client subnet), so they are drawn at the largest city of the subnet's country and
//! their tooltip says so.
//!
//! Pure: the UI renders these rows; nothing here touches the DOM or the network.

use std::cmp::Ordering;

use crate::dns::EcsOutcome;
use crate::dns::matrix::{AnswerMatrix, Observation, VantageSource};
use crate::geo::cities::largest_city;
use crate::geo::{Continent, country_name};

/// How far apart (degrees of latitude) markers at the same city are spread on the map.
const SPREAD_DEG: f64 = 1.5;

/// The label of an answer set: "#1" is the largest.
pub fn set_label(index: usize) -> String {
    format!("#{}", index + 1)
}

/// One vantage of the matrix, as a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct VantageRow {
    /// Index into `AnswerMatrix::observations`.
    pub observation: usize,
    /// Who asked: "Google", "probe 184 via 193.0.14.129".
    pub who: String,
    pub country: Option<String>,
    /// "Germany (DE)".
    pub country_text: String,
    pub continent: Option<Continent>,
    pub subnet: Option<String>,
    /// The answer set, or None when the vantage got no answer.
    pub set: Option<usize>,
    /// "#1", or why there is no answer ("HTTP 429 …", "SERVFAIL").
    pub outcome: String,
    pub rcode: Option<String>,
    /// What the reply said about the client subnet: "scope /24", "ignored (scope 0)", "not echoed".
    pub ecs: String,
    pub rt_ms: Option<f64>,
}

fn who(observation: &Observation) -> String {
    match &observation.vantage.source {
        VantageSource::Resolver { resolver, .. } => resolver.clone(),
        VantageSource::AtlasProbe { .. } => observation.vantage.label(),
    }
}

fn country_text(code: Option<&str>) -> String {
    match code {
        Some(code) => format!("{} ({code})", country_name(code).unwrap_or(code)),
        None => "—".to_string(),
    }
}

fn ecs_text(outcome: &EcsOutcome) -> String {
    match outcome {
        EcsOutcome::NotSent => "—".to_string(),
        EcsOutcome::NotEchoed { .. } => "not echoed".to_string(),
        EcsOutcome::Ignored { .. } => "ignored (scope 0)".to_string(),
        EcsOutcome::Honoured { scope_prefix, .. } => format!("scope /{scope_prefix}"),
    }
}

/// Why a vantage has no answer, in a few words.
fn failure_text(observation: &Observation) -> String {
    match (&observation.error, observation.rcode) {
        (Some(error), _) => error.clone(),
        (None, Some(rcode)) => rcode.to_string(),
        (None, None) => "no answer".to_string(),
    }
}

/// Every vantage of the matrix: by continent, country, then who asked, so rows of one region stand
/// together; vantages with no country come last.
pub fn vantage_rows(matrix: &AnswerMatrix) -> Vec<VantageRow> {
    let mut rows: Vec<VantageRow> = matrix
        .observations
        .iter()
        .enumerate()
        .map(|(index, observation)| {
            let set = matrix.group_of.get(index).copied().flatten();
            VantageRow {
                observation: index,
                who: who(observation),
                country: observation.vantage.country.clone(),
                country_text: country_text(observation.vantage.country.as_deref()),
                continent: observation.vantage.continent,
                subnet: observation.vantage.subnet().map(|s| s.to_string()),
                set,
                outcome: set.map_or_else(|| failure_text(observation), set_label),
                rcode: observation.rcode.map(|rcode| rcode.to_string()),
                ecs: ecs_text(&observation.ecs),
                rt_ms: observation.rt_ms,
            }
        })
        .collect();
    // Queries that never reached their resolver: in the table, with what went wrong on the way,
    // numbered after the matrix's own observations.
    rows.extend(
        matrix
            .unreached
            .iter()
            .enumerate()
            .map(|(index, observation)| VantageRow {
                observation: matrix.observations.len() + index,
                who: who(observation),
                country: observation.vantage.country.clone(),
                country_text: country_text(observation.vantage.country.as_deref()),
                continent: observation.vantage.continent,
                subnet: observation.vantage.subnet().map(|s| s.to_string()),
                set: None,
                outcome: format!("resolver not reached: {}", failure_text(observation)),
                rcode: None,
                ecs: "—".to_string(),
                rt_ms: observation.rt_ms,
            }),
    );
    rows.sort_by(|a, b| {
        let continent = |row: &VantageRow| row.continent.map_or(usize::MAX, |c| c as usize);
        continent(a)
            .cmp(&continent(b))
            .then_with(|| match (&a.country, &b.country) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.who.cmp(&b.who))
            .then(a.observation.cmp(&b.observation))
    });
    rows
}

/// How one resolver treated client subnets, as a row of the ECS table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcsRow {
    pub resolver: String,
    pub sent: usize,
    pub honoured: usize,
    /// "/24", "/16, /24", or "—".
    pub scopes: String,
    pub ignored: usize,
    pub not_echoed: usize,
    /// "honoured", "ignored", "no subnet sent", …
    pub finding: String,
}

/// The ECS table: each resolver that was sent subnets (from `AnswerMatrix::ecs`), then the resolvers
/// that were asked without one (Cloudflare's JSON API takes none).
pub fn ecs_rows(matrix: &AnswerMatrix) -> Vec<EcsRow> {
    let mut rows: Vec<EcsRow> = matrix
        .ecs
        .iter()
        .map(|summary| {
            let finding = if summary.honoured > 0 && summary.honoured == summary.sent {
                "honoured ECS: answers chosen for each client subnet"
            } else if summary.honoured > 0 {
                "honoured ECS for some subnets"
            } else if summary.ignored > 0 {
                "ignored ECS (scope 0: the same answer for everyone)"
            } else {
                "did not echo ECS: it does not pass it on"
            };
            EcsRow {
                resolver: summary.resolver.clone(),
                sent: summary.sent,
                honoured: summary.honoured,
                scopes: if summary.scopes.is_empty() {
                    "—".to_string()
                } else {
                    summary
                        .scopes
                        .iter()
                        .map(|scope| format!("/{scope}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                ignored: summary.ignored,
                not_echoed: summary.not_echoed,
                finding: finding.to_string(),
            }
        })
        .collect();
    let mut without: Vec<String> = Vec::new();
    for observation in &matrix.observations {
        if let VantageSource::Resolver {
            resolver,
            subnet: None,
        } = &observation.vantage.source
            && !rows.iter().any(|row| &row.resolver == resolver)
            && !without.contains(resolver)
        {
            without.push(resolver.clone());
        }
    }
    rows.extend(without.into_iter().map(|resolver| EcsRow {
        resolver,
        sent: 0,
        honoured: 0,
        scopes: "—".to_string(),
        ignored: 0,
        not_echoed: 0,
        finding:
            "no client subnet sent: its answers are those for this browser's network".to_string(),
    }));
    rows
}

/// A vantage on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPlace {
    pub observation: usize,
    pub longitude: f64,
    pub latitude: f64,
    pub set: Option<usize>,
    /// Tooltip: who, where (and why there), what it got.
    pub label: String,
}

/// Where each vantage is drawn, and how many have no place (a resolver asked without a subnet, a
/// probe without coordinates). Probes are at their own coordinates; ECS vantages at the largest city
/// of the subnet's country. Vantages at the same point are spread on a small ring.
pub fn map_places(matrix: &AnswerMatrix) -> (Vec<MapPlace>, usize) {
    let mut places = Vec::new();
    let mut unplaced = 0;
    for (index, observation) in matrix.observations.iter().enumerate() {
        let vantage = &observation.vantage;
        let set = matrix.group_of.get(index).copied().flatten();
        let got = match set {
            Some(set) => {
                let records = matrix
                    .groups
                    .get(set)
                    .map(|group| group.records.join(", "))
                    .unwrap_or_default();
                if records.is_empty() {
                    set_label(set)
                } else {
                    format!("{}: {records}", set_label(set))
                }
            }
            None => format!("no answer: {}", failure_text(observation)),
        };
        let position = match (vantage.longitude, vantage.latitude) {
            (Some(longitude), Some(latitude)) if longitude.is_finite() && latitude.is_finite() => {
                Some((longitude, latitude, format!("{} · {got}", vantage.label())))
            }
            _ => vantage.country.as_deref().and_then(largest_city).map(|city| {
                let country = country_name(city.country_code).unwrap_or(city.country_code);
                (
                    city.lon,
                    city.lat,
                    format!(
                        "{} · shown at {}, the largest city of {country}: the resolver was asked for a client in that country's subnet, which has no location of its own · {got}",
                        vantage.label(),
                        city.name
                    ),
                )
            }),
        };
        match position {
            Some((longitude, latitude, label)) => places.push(MapPlace {
                observation: index,
                longitude,
                latitude,
                set,
                label,
            }),
            None => unplaced += 1,
        }
    }
    let spread = crate::chart::map::spread_coincident(
        &places
            .iter()
            .map(|place| (place.longitude, place.latitude))
            .collect::<Vec<_>>(),
        SPREAD_DEG,
    );
    for (place, (longitude, latitude)) in places.iter_mut().zip(spread) {
        place.longitude = longitude;
        place.latitude = latitude;
    }
    (places, unplaced)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::dns::matrix::{self, FailureKind, Vantage};
    use crate::dns::subnets::for_country;
    use crate::dns::{Answer, RecordType};

    fn answered(resolver: &str, country: Option<&str>, address: &str) -> Observation {
        let subnet = country.and_then(for_country);
        let mut observation = Observation::failed(
            Vantage::resolver(resolver, subnet.as_ref()),
            FailureKind::Error,
            "",
            Some(12.0),
        );
        observation.failure = None;
        observation.error = None;
        observation.rcode = Some(crate::dns::Rcode::NOERROR);
        observation.answers = vec![Answer {
            name: "x.example.".into(),
            rtype: RecordType::A,
            ttl: 60,
            data: address.into(),
        }];
        observation.ecs = EcsOutcome::from_echo(subnet.map(|s| s.subnet), Some(24));
        observation
    }

    fn sample() -> AnswerMatrix {
        let mut cloudflare = answered("Cloudflare", None, "192.0.2.1");
        cloudflare.ecs = EcsOutcome::NotSent;
        let throttled = Observation::failed(
            Vantage::resolver("Quad9", for_country("DE").as_ref()),
            FailureKind::Error,
            "the resolver answered HTTP 429 (too many requests: wait a minute and retry)",
            Some(30.0),
        );
        matrix::build(
            vec![
                answered("Google", Some("JP"), "192.0.2.2"),
                answered("Google", Some("DE"), "192.0.2.1"),
                cloudflare,
                throttled,
                answered("Google", Some("US"), "192.0.2.1"),
            ],
            &BTreeMap::new(),
        )
    }

    #[test]
    fn rows_go_by_region_and_failures_say_why() {
        let matrix = sample();
        let rows = vantage_rows(&matrix);
        let order: Vec<(&str, Option<&str>)> = rows
            .iter()
            .map(|row| (row.who.as_str(), row.country.as_deref()))
            .collect();
        assert_eq!(
            order,
            [
                ("Google", Some("JP")),
                ("Google", Some("DE")),
                ("Quad9", Some("DE")),
                ("Google", Some("US")),
                ("Cloudflare", None)
            ]
        );
        let germany = &rows[1];
        assert_eq!(germany.country_text, "Germany (DE)");
        assert_eq!(germany.subnet.as_deref(), Some("178.202.0.0/24"));
        assert_eq!(germany.outcome, "#1");
        assert_eq!(germany.ecs, "scope /24");
        let quad9 = &rows[2];
        assert_eq!(quad9.set, None);
        assert!(quad9.outcome.contains("HTTP 429"), "{}", quad9.outcome);
        assert_eq!(rows[0].outcome, "#2");
        assert_eq!(rows[4].ecs, "—");
    }

    #[test]
    fn ecs_rows_name_who_honoured_and_who_got_no_subnet() {
        let rows = ecs_rows(&sample());
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].resolver, "Google");
        assert_eq!((rows[0].sent, rows[0].honoured), (3, 3));
        assert_eq!(rows[0].scopes, "/24");
        assert!(rows[0].finding.starts_with("honoured"));
        assert_eq!(rows[1].resolver, "Cloudflare");
        assert!(rows[1].finding.starts_with("no client subnet sent"));
    }

    #[test]
    fn ecs_vantages_are_placed_at_their_countrys_largest_city_and_say_so() {
        let matrix = sample();
        let (places, unplaced) = map_places(&matrix);
        assert_eq!(
            unplaced, 1,
            "Cloudflare, asked without a subnet, has no place"
        );
        assert_eq!(places.len(), 4);
        let tokyo = places.iter().find(|p| p.observation == 0).unwrap();
        assert!(
            tokyo
                .label
                .contains("shown at Tokyo, the largest city of Japan"),
            "{}",
            tokyo.label
        );
        assert!(tokyo.label.ends_with("#2: 192.0.2.2"), "{}", tokyo.label);
        // Google and Quad9 for DE share Berlin: spread apart so both can be hovered.
        let berlin: Vec<&MapPlace> = places
            .iter()
            .filter(|p| p.label.contains("Berlin"))
            .collect();
        assert_eq!(berlin.len(), 2);
        assert_ne!(
            (berlin[0].longitude, berlin[0].latitude),
            (berlin[1].longitude, berlin[1].latitude)
        );
        assert!(
            berlin
                .iter()
                .any(|p| p.set.is_none() && p.label.contains("no answer: "))
        );
    }
}
