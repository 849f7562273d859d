//! Sites of an anycast address and the city that names a place: each disc of the independent set is one
//! site, placed at the most likely city inside it, and every observation is assigned to the site that
//! best explains it.
//!
//! It owns the city-choice rule and the vantage assignment. It never invents a site (the sites are
//! exactly the mutually disjoint discs that `disc::independent_set` proves), does no I/O and never
//! panics.

use serde::Serialize;

use super::disc::Disc;
use crate::geo::sphere::{distance_km, unit_vector};
use crate::geo::{City, cities, nearest_city};

/// One place the target answers from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Where the site is placed: its city's coordinates, or the evidence probe's position when no
    /// city of the gazetteer lies inside the evidence disc.
    pub lat: f64,
    pub lon: f64,
    /// The most likely city, or, when `city_inside` is false, merely the nearest city to the evidence
    /// probe (the site may be in a smaller place).
    pub city: Option<String>,
    /// ISO 3166-1 alpha-2 code of the city's country.
    pub country: Option<String>,
    pub city_inside: bool,
    /// The radius of the evidence disc: the site is within this distance of the evidence probe.
    pub radius_km: f64,
    /// The observation whose disc proves (for anycast) or best bounds (for one site) this site.
    pub evidence_id: String,
    pub evidence_rtt_ms: f64,
    /// The observations assigned to this site: those whose disc contains the site's position, each
    /// given to the nearest such site (a probe is normally routed to a nearby site), and the evidence
    /// observation always to its own site.
    pub vantages: Vec<String>,
}

/// A city scored against the others inside the same disc or region.
pub(crate) struct Candidate {
    pub city: &'static City,
    /// How far inside the disc or region the city is, in km (distance to the nearest edge).
    pub depth_km: f64,
}

/// The most likely city among candidates, after iGreedy's classifier (Cicalese et al., IEEE JSAC
/// 34(6), 2016), which weighs a city's population against how deep inside the disc it lies: score =
/// w × population / Σ population + (1 − w) × depth / Σ depth, with w = `population_weight`. Population
/// stands for where data centres and exchange points are; depth stands for "the probe that gave this
/// small disc is probably in the same metro area as the site". Ties go to the larger city (the
/// candidates arrive largest first).
pub(crate) fn likely_city(
    candidates: &[Candidate],
    population_weight: f64,
) -> Option<&'static City> {
    let total_population: f64 = candidates.iter().map(|c| c.city.population as f64).sum();
    let total_depth: f64 = candidates.iter().map(|c| c.depth_km.max(0.0)).sum();
    let share = |part: f64, total: f64| if total > 0.0 { part / total } else { 0.0 };
    let mut best: Option<(&'static City, f64)> = None;
    for candidate in candidates {
        let score = population_weight * share(candidate.city.population as f64, total_population)
            + (1.0 - population_weight) * share(candidate.depth_km.max(0.0), total_depth);
        if best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((candidate.city, score));
        }
    }
    best.map(|(city, _)| city)
}

/// The gazetteer's cities inside one disc, largest first, with their depth.
fn candidates_in(disc: &Disc) -> Vec<Candidate> {
    cities()
        .iter()
        .filter_map(|city| {
            let depth_km = disc.depth_km(unit_vector(city.lat, city.lon));
            (depth_km >= 0.0).then_some(Candidate { city, depth_km })
        })
        .collect()
}

/// Places one site per evidence disc and assigns every disc to a site.
pub(crate) fn anycast_sites(
    discs: &[Disc],
    evidence: &[usize],
    population_weight: f64,
) -> Vec<Site> {
    let mut sites: Vec<Site> = evidence
        .iter()
        .filter_map(|&position| discs.get(position))
        .map(|disc| site_in_disc(disc, population_weight))
        .collect();
    let points: Vec<_> = sites
        .iter()
        .map(|site| unit_vector(site.lat, site.lon))
        .collect();
    for (position, disc) in discs.iter().enumerate() {
        let own = evidence.iter().position(|&e| e == position);
        let assigned = own.or_else(|| {
            points
                .iter()
                .enumerate()
                .filter(|(_, point)| disc.contains(**point))
                .min_by(|a, b| {
                    distance_km(disc.centre, *a.1).total_cmp(&distance_km(disc.centre, *b.1))
                })
                .map(|(slot, _)| slot)
        });
        if let Some(site) = assigned.and_then(|slot| sites.get_mut(slot)) {
            site.vantages.push(disc.id.clone());
        }
    }
    sites
}

pub(crate) fn site_in_disc(disc: &Disc, population_weight: f64) -> Site {
    let candidates = candidates_in(disc);
    let (lat, lon, city, inside) = match likely_city(&candidates, population_weight) {
        Some(city) => (city.lat, city.lon, Some(city), true),
        None => (
            disc.lat,
            disc.lon,
            nearest_city(disc.lat, disc.lon).map(|(city, _)| city),
            false,
        ),
    };
    Site {
        lat,
        lon,
        city: city.map(|city| city.name.to_string()),
        country: city.map(|city| city.country_code.to_string()),
        city_inside: inside,
        radius_km: disc.radius_km,
        evidence_id: disc.id.clone(),
        evidence_rtt_ms: disc.rtt_min_ms,
        vantages: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::disc::{discs, independent_set};
    use crate::infer::{Assumptions, Observation};

    #[test]
    fn population_alone_and_depth_alone_pick_differently() {
        // A probe in Amsterdam at 1.2 ms: its disc (about 120 km) holds Rotterdam, which GeoNames counts
        // as larger, and Amsterdam, which is at its centre.
        let (d, _) = discs(
            &[Observation::new("ams", 52.37, 4.89, 1.2)],
            &Assumptions::default(),
        );
        let candidates = candidates_in(&d[0]);
        assert_eq!(likely_city(&candidates, 1.0).unwrap().name, "Rotterdam");
        assert_eq!(likely_city(&candidates, 0.0).unwrap().name, "Amsterdam");
        assert_eq!(likely_city(&candidates, 0.5).unwrap().name, "Amsterdam");
        assert!(likely_city(&[], 0.5).is_none());
    }

    #[test]
    fn two_far_apart_probes_give_two_sites_with_their_own_vantages() {
        let observations = [
            Observation::new("ams", 52.35, 4.90, 1.4),
            Observation::new("atl", 33.78, -84.40, 1.0),
            Observation::new("utrecht", 52.09, 5.12, 3.0),
            Observation::new("lost", -33.9, 18.4, 2.0),
        ];
        let (d, _) = discs(&observations, &Assumptions::default());
        let set = independent_set(&d);
        let sites = anycast_sites(&d, &set, 0.5);
        assert_eq!(sites.len(), 3);
        let atlanta = sites.iter().find(|s| s.evidence_id == "atl").unwrap();
        assert_eq!(atlanta.city.as_deref(), Some("Atlanta"));
        assert_eq!(atlanta.vantages, vec!["atl"]);
        let amsterdam = sites.iter().find(|s| s.evidence_id == "ams").unwrap();
        assert_eq!(amsterdam.city.as_deref(), Some("Amsterdam"));
        assert_eq!(amsterdam.vantages, vec!["ams", "utrecht"]);
        // Cape Town at 2 ms reaches no other site, so it is a site of its own.
        assert!(sites.iter().any(|s| s.evidence_id == "lost"));
    }

    #[test]
    fn a_disc_with_no_city_is_placed_at_its_probe_and_says_so() {
        let (d, _) = discs(
            &[Observation::new("sea", -40.0, -120.0, 0.5)],
            &Assumptions::default(),
        );
        let sites = anycast_sites(&d, &[0], 0.5);
        assert!(!sites[0].city_inside);
        assert_eq!((sites[0].lat, sites[0].lon), (-40.0, -120.0));
        assert!(sites[0].city.is_some());
    }
}
