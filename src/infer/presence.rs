//! Regional presence: per continent, the lowest RTT any probe there saw, against what a site within a
//! stated distance would give, and the resulting finding (local presence likely, none seen, or not
//! measured).
//!
//! The baseline is a distance model kept in [`Assumptions`] so a reader can see and change it. A high
//! RTT does not prove that no site is near (routing can take a long way round), so the negative finding
//! is worded as "no local presence seen". Pure core, no I/O, no panics.

use serde::Serialize;

use super::Assumptions;
use super::Observation;
use super::disc::Disc;
use crate::format;
use crate::geo::{Continent, continent_of, haversine_km, nearest_city};

/// How far the nearest gazetteer city may be for its country to stand in for a probe's missing one.
/// Only the continent is derived from it, and 200 km is well inside every continent's edge except at a
/// few borders (the Bosphorus, Suez, Panama), where the wrong side costs one row of this table.
const CONTINENT_FROM_CITY_MAX_KM: f64 = 200.0;

/// What the latencies of one continent's probes say about a site there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresenceFinding {
    /// Some probe saw an RTT no higher than a site within the presence radius would give.
    LocalPresenceLikely,
    /// Every probe saw more than that: no site near them answered them (one may exist and be reached
    /// only by other networks).
    NoLocalPresenceSeen,
    /// No usable probe on this continent.
    NotMeasured,
}

/// The probe with the lowest RTT on a continent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestProbe {
    pub id: String,
    pub country_code: Option<String>,
    pub rtt_min_ms: f64,
    pub lat: f64,
    pub lon: f64,
}

/// One continent's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContinentPresence {
    pub continent: Continent,
    pub continent_name: &'static str,
    pub probes: usize,
    pub best: Option<BestProbe>,
    /// The RTT a site within `presence_radius_km` of a probe would give, by the assumptions' model.
    pub local_baseline_ms: f64,
    pub finding: PresenceFinding,
    /// For a one-site verdict: how far this continent's best probe is from the site.
    pub best_probe_to_site_km: Option<f64>,
    /// The finding in plain words.
    pub sentence: String,
}

/// The continent of an observation: as given, else from its country code, else from the country of
/// the nearest large city within [`CONTINENT_FROM_CITY_MAX_KM`] (files of bare coordinates have no
/// country).
fn continent_of_observation(observation: &Observation) -> Option<Continent> {
    observation
        .continent
        .or_else(|| observation.country_code.as_deref().and_then(continent_of))
        .or_else(|| {
            let (city, distance_km) = nearest_city(observation.latitude, observation.longitude)?;
            (distance_km <= CONTINENT_FROM_CITY_MAX_KM)
                .then(|| continent_of(city.country_code))
                .flatten()
        })
}

/// The continent of each disc's observation (see [`continent_of_observation`]), in disc order; worked
/// out once per inference, since the gazetteer fallback is the costly part of the presence table.
pub(crate) fn continents_of(
    observations: &[Observation],
    discs: &[Disc],
) -> Vec<Option<Continent>> {
    discs
        .iter()
        .map(|disc| {
            observations
                .get(disc.index)
                .and_then(continent_of_observation)
        })
        .collect()
}

/// One row per continent (Antarctica only when a probe is there), in `Continent::ALL` order.
pub fn presence(
    observations: &[Observation],
    discs: &[Disc],
    assumptions: &Assumptions,
    site: Option<(f64, f64)>,
) -> Vec<ContinentPresence> {
    presence_with(
        observations,
        discs,
        &continents_of(observations, discs),
        assumptions,
        site,
    )
}

/// [`presence`] with the continents already worked out (`continents[i]` is that of `discs[i]`).
pub(crate) fn presence_with(
    observations: &[Observation],
    discs: &[Disc],
    continents: &[Option<Continent>],
    assumptions: &Assumptions,
    site: Option<(f64, f64)>,
) -> Vec<ContinentPresence> {
    let assumptions = assumptions.sanitised();
    let baseline_ms = assumptions.local_baseline_ms();
    let placed: Vec<(Continent, &Disc, &Observation)> = discs
        .iter()
        .zip(continents)
        .filter_map(|(disc, continent)| {
            let observation = observations.get(disc.index)?;
            Some(((*continent)?, disc, observation))
        })
        .collect();
    Continent::ALL
        .into_iter()
        .filter_map(|continent| {
            let members: Vec<&(Continent, &Disc, &Observation)> = placed
                .iter()
                .filter(|(of, _, _)| *of == continent)
                .collect();
            if members.is_empty() && continent == Continent::Antarctica {
                return None;
            }
            let best = members
                .iter()
                .min_by(|a, b| {
                    a.1.rtt_min_ms
                        .total_cmp(&b.1.rtt_min_ms)
                        .then(a.1.index.cmp(&b.1.index))
                })
                .map(|(_, disc, observation)| BestProbe {
                    id: disc.id.clone(),
                    country_code: observation.country_code.clone(),
                    rtt_min_ms: disc.rtt_min_ms,
                    lat: disc.lat,
                    lon: disc.lon,
                });
            let finding = match &best {
                None => PresenceFinding::NotMeasured,
                Some(best) if best.rtt_min_ms <= baseline_ms => {
                    PresenceFinding::LocalPresenceLikely
                }
                Some(_) => PresenceFinding::NoLocalPresenceSeen,
            };
            let best_probe_to_site_km = site
                .zip(best.as_ref())
                .map(|((lat, lon), best)| haversine_km(best.lat, best.lon, lat, lon));
            let sentence = sentence(
                continent,
                members.len(),
                best.as_ref(),
                finding,
                baseline_ms,
                assumptions.presence_radius_km,
                best_probe_to_site_km,
            );
            Some(ContinentPresence {
                continent,
                continent_name: continent.name(),
                probes: members.len(),
                best,
                local_baseline_ms: baseline_ms,
                finding,
                best_probe_to_site_km,
                sentence,
            })
        })
        .collect()
}

fn sentence(
    continent: Continent,
    probes: usize,
    best: Option<&BestProbe>,
    finding: PresenceFinding,
    baseline_ms: f64,
    radius_km: f64,
    to_site_km: Option<f64>,
) -> String {
    let name = continent.name();
    let Some(best) = best else {
        return format!("{name}: not measured (no probe there).");
    };
    let from = best
        .country_code
        .as_deref()
        .map(|code| format!(" (probe {}, {code})", best.id))
        .unwrap_or_else(|| format!(" (probe {})", best.id));
    let probes_text = if probes == 1 {
        "1 probe".to_string()
    } else {
        format!("{probes} probes")
    };
    let mut text = match finding {
        PresenceFinding::LocalPresenceLikely => format!(
            "{name}: local presence likely: the best of {probes_text} saw {} ms{from}, within the \
             {} ms a site within {} would give.",
            format::ms(Some(best.rtt_min_ms)),
            format::ms(Some(baseline_ms)),
            format::km(radius_km),
        ),
        _ => format!(
            "{name}: no local presence seen: no probe in {name} ({probes_text}) saw less than {} ms{from}; \
             a site within {} would answer in about {} ms.",
            format::ms(Some(best.rtt_min_ms)),
            format::km(radius_km),
            format::ms(Some(baseline_ms)),
        ),
    };
    if let Some(km) = to_site_km {
        text.push_str(&format!(
            " Its best probe is {} from the site.",
            format::km(km)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::disc::discs;

    #[test]
    fn the_default_baseline_is_about_thirty_ms() {
        // 2 × 1,000 km / (299.79 km/ms × 2/3) = 10.0 ms, × 2 path stretch + 10 ms access = 30.0 ms.
        let baseline = Assumptions::default().local_baseline_ms();
        assert!((baseline - 30.02).abs() < 0.01, "{baseline}");
    }

    #[test]
    fn findings_per_continent() {
        let mut tokyo = Observation::new("tokyo", 35.68, 139.69, 240.0);
        tokyo.country_code = Some("JP".to_string());
        let observations = vec![
            Observation::new("ams", 52.35, 4.90, 1.4),
            tokyo,
            // No country, but 10 km from Atlanta: North America through the gazetteer.
            Observation::new("atl", 33.70, -84.35, 95.0),
            // In the middle of the Pacific: no continent at all.
            Observation::new("ocean", -30.0, -140.0, 150.0),
        ];
        let (d, _) = discs(&observations, &Assumptions::default());
        let rows = presence(
            &observations,
            &d,
            &Assumptions::default(),
            Some((52.37, 4.90)),
        );
        let row = |continent| rows.iter().find(|r| r.continent == continent).unwrap();
        assert_eq!(
            row(Continent::Europe).finding,
            PresenceFinding::LocalPresenceLikely
        );
        let asia = row(Continent::Asia);
        assert_eq!(asia.finding, PresenceFinding::NoLocalPresenceSeen);
        assert!(
            asia.sentence
                .contains("no probe in Asia (1 probe) saw less than 240.0 ms"),
            "{}",
            asia.sentence
        );
        assert!(asia.best_probe_to_site_km.unwrap() > 9_000.0);
        assert_eq!(row(Continent::NorthAmerica).probes, 1);
        assert_eq!(row(Continent::Africa).finding, PresenceFinding::NotMeasured);
        assert!(rows.iter().all(|r| r.continent != Continent::Antarctica));
        assert_eq!(rows.iter().map(|r| r.probes).sum::<usize>(), 3);
    }
}
