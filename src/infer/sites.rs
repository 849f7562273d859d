//! Sites of an anycast address and the city that names a place: each disc of the independent set is one
//! site, placed at the most likely city inside it, and every observation is assigned to the site that
//! best explains it.
//!
//! It owns the city-choice rule and the vantage assignment. It never invents a site (the sites are
//! exactly the mutually disjoint discs that `disc::independent_set` proves), does no I/O and never
//! panics.

use serde::Serialize;

use super::Assumptions;
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
    /// The site rests on probes at one location only (a further site, see `extend`): a wrong
    /// registered position for them could make it.
    pub seen_from_one_place: bool,
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

/// Gives every disc to a site (`sites[k]` proven by `discs[evidence[k]]`): its own when it is the
/// evidence, else the nearest site whose position it contains; a disc that contains none stays out.
pub(crate) fn assign_vantages(discs: &[Disc], evidence: &[usize], sites: &mut [Site]) {
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
}

pub(crate) fn site_in_disc(disc: &Disc, assumptions: &Assumptions) -> Site {
    site_in_discs(disc, &[], assumptions)
}

/// Below this radius (km) every city in a range is a candidate; above it, cities farther from the probe
/// than the radius divided by the assumed path stretch are candidates only when no nearer one is.
pub const LIKELY_FLOOR_KM: f64 = 500.0;

/// How far from its probe a range's site most likely is: the radius over the path stretch (a real
/// path is longer than the great circle), but never less than the radius or [`LIKELY_FLOOR_KM`],
/// whichever is smaller.
fn likely_km(disc: &Disc, assumptions: &Assumptions) -> f64 {
    (disc.radius_km / assumptions.path_stretch.max(1.0)).max(disc.radius_km.min(LIKELY_FLOOR_KM))
}

/// The site of `disc` placed with the help of other ranges that reached it (`supporting`): among the
/// cities inside `disc`, those inside the most supporting ranges (the place all of them share, while
/// one range that reached another site cannot pull the choice away), then iGreedy's score with depth
/// measured to the nearest edge of those ranges. Cities within [`likely_km`] of the probe go first: a
/// probe 15 ms from its site is rarely 1,500 km from it, and the most populous city at the edge of a
/// large range is a poor guess.
pub(crate) fn site_in_discs(disc: &Disc, supporting: &[&Disc], assumptions: &Assumptions) -> Site {
    let mut candidates = candidates_in(disc);
    let likely = likely_km(disc, assumptions);
    let near = |candidate: &Candidate| {
        distance_km(
            disc.centre,
            unit_vector(candidate.city.lat, candidate.city.lon),
        ) <= likely
    };
    if candidates.iter().any(near) {
        candidates.retain(near);
    }
    if !supporting.is_empty() {
        let within: Vec<Vec<&Disc>> = candidates
            .iter()
            .map(|candidate| {
                let point = unit_vector(candidate.city.lat, candidate.city.lon);
                supporting
                    .iter()
                    .copied()
                    .filter(|other| other.contains(point))
                    .collect()
            })
            .collect();
        let most = within.iter().map(Vec::len).max().unwrap_or(0);
        candidates = candidates
            .into_iter()
            .zip(within)
            .filter(|(_, within)| within.len() == most)
            .map(|(candidate, within)| {
                let point = unit_vector(candidate.city.lat, candidate.city.lon);
                let depth_km = within
                    .iter()
                    .map(|other| other.depth_km(point))
                    .fold(candidate.depth_km, f64::min);
                Candidate {
                    city: candidate.city,
                    depth_km,
                }
            })
            .collect();
    }
    let (lat, lon, city, inside) = match likely_city(&candidates, assumptions.population_weight) {
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
        seen_from_one_place: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::disc::{discs, independent_set};
    use crate::infer::{Assumptions, Observation};

    fn anycast_sites(d: &[Disc], evidence: &[usize], population_weight: f64) -> Vec<Site> {
        let assumptions = Assumptions {
            population_weight,
            ..Assumptions::default()
        };
        let mut sites: Vec<Site> = evidence
            .iter()
            .map(|&position| site_in_disc(&d[position], &assumptions))
            .collect();
        assign_vantages(d, evidence, &mut sites);
        sites
    }

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
