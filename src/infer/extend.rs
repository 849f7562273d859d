//! Sites beyond the disjoint ranges: the iterative step of iGreedy (Cicalese et al., IEEE JSAC 34(6),
//! 2016), with the corroboration this engine asks of every site. As read in iGreedy's code
//! (`code/igreedy.py`, `analyze`, in rhendriks/MiGreedy @ 6c044d8): each geolocated disc is replaced
//! by a 0.1 km disc at its city and the enumeration runs again. Here a placed site keeps a zone of at
//! least 25 km ([`PLACED_ZONE_KM`], [`PLACED_ZONE_FRACTION`]) rather than a point, and a further site
//! needs a backing probe elsewhere or a fast RTT, where iGreedy counts every new disjoint disc.
//!
//! On dense probe sets the ranges of neighbouring sites overlap (a probe 3 ms from Frankfurt has a
//! range that reaches Amsterdam's), so mutually disjoint ranges find only a fraction of the sites. Once
//! the proven sites are placed, a range that holds none of them must have been answered from somewhere
//! else: a further site. Such a site is counted only when a probe at another location backs it (its
//! range overlaps this one and holds none of the placed sites either), so one misplaced probe cannot
//! make it; and it rests on the placed sites being where they were placed, which the verdict says.
//!
//! It owns the "placed zone" of a site and the order in which further sites are taken. It does no I/O
//! and never panics.

use super::Assumptions;
use super::corroborate::elsewhere;
use super::disc::Disc;
use super::sites::{Site, site_in_disc, site_in_discs};
use crate::geo::sphere::{UnitVector, distance_km, unit_vector};

/// A placed site is taken to lie within this distance of its city, or within a quarter of its evidence
/// range ([`PLACED_ZONE_FRACTION`]) when that is more, or within its evidence range when that is
/// smaller: the area a further range must stay clear of. Cities of the gazetteer stand for metropolitan
/// areas, and an exchange point or data centre can be tens of km from the city centre.
pub const PLACED_ZONE_KM: f64 = 25.0;

/// The share of its evidence range that a placed site's zone covers at least: a site placed from a
/// wide range may be in the next city, and a zone too small for that would let a range near the true
/// site count it a second time.
pub const PLACED_ZONE_FRACTION: f64 = 0.25;

/// A further site seen from one probe location only is counted when that probe's RTT is at most this
/// (ms): such a probe is within about 1,000 km of the site, and its range holds no placed site. A wrong
/// registered position could still make one, which the verdict says; above this, a range is too wide
/// to place a site usefully and the site stays a possibility.
pub const ONE_PLACE_MAX_RTT_MS: f64 = 10.0;

/// Where a placed site can be, for the test "this range holds none of the placed sites".
#[derive(Debug, Clone, Copy)]
struct Zone {
    centre: UnitVector,
    reach_km: f64,
}

impl Zone {
    fn of(site: &Site, evidence: &Disc) -> Zone {
        let zone_km = PLACED_ZONE_KM.max(evidence.radius_km * PLACED_ZONE_FRACTION);
        if evidence.reach_km <= zone_km {
            Zone {
                centre: evidence.centre,
                reach_km: evidence.reach_km,
            }
        } else {
            Zone {
                centre: unit_vector(site.lat, site.lon),
                reach_km: zone_km,
            }
        }
    }

    fn clear_of(&self, disc: &Disc) -> bool {
        distance_km(self.centre, disc.centre) > self.reach_km + disc.reach_km
    }
}

/// Further sites, after `placed` (positions in `discs` with their placed sites): each is the smallest
/// range that holds no placed site and is backed by a range at another location that overlaps it and
/// holds none either, or, with no such backing, whose RTT is at most [`ONE_PLACE_MAX_RTT_MS`] (then the
/// site is marked as seen from one place). Returned in the order found, as positions with their sites.
pub(crate) fn further_sites(
    discs: &[Disc],
    placed: &[(usize, Site)],
    same_location_km: f64,
    assumptions: &Assumptions,
) -> Vec<(usize, Site)> {
    let mut zones: Vec<Zone> = placed
        .iter()
        .filter_map(|(position, site)| Some(Zone::of(site, discs.get(*position)?)))
        .collect();
    let mut taken: Vec<usize> = placed.iter().map(|(position, _)| *position).collect();
    let mut found = Vec::new();
    // Discs arrive smallest first, so each further site is placed by the best range available for it.
    for (position, disc) in discs.iter().enumerate() {
        if taken.contains(&position) || !zones.iter().all(|zone| zone.clear_of(disc)) {
            continue;
        }
        let backed = discs.iter().enumerate().any(|(other_position, other)| {
            other_position != position
                && elsewhere(disc, other, same_location_km)
                && !disc.is_disjoint_from(other)
                && zones.iter().all(|zone| zone.clear_of(other))
        });
        if !backed && disc.rtt_min_ms > ONE_PLACE_MAX_RTT_MS {
            continue;
        }
        let mut site = site_in_disc(disc, assumptions);
        site.seen_from_one_place = !backed;
        zones.push(Zone::of(&site, disc));
        taken.push(position);
        found.push((position, site));
    }
    found
}

/// Places every site again with the ranges that can only have reached it: those that overlap its
/// evidence range and hold no other site's zone (see [`site_in_discs`]). A large evidence range alone
/// would put the site in the most populous city inside it, which may be a thousand km from where the
/// probes that saw it say it is.
pub(crate) fn refine_placements(
    discs: &[Disc],
    placed: &mut [(usize, Site)],
    assumptions: &Assumptions,
) {
    let zones: Vec<Zone> = placed
        .iter()
        .filter_map(|(position, site)| Some(Zone::of(site, discs.get(*position)?)))
        .collect();
    // Per disc, the one zone it reaches (`Some(Some(k))`), none (`Some(None)`), or several (`None`).
    let reaches: Vec<Option<Option<usize>>> = discs
        .iter()
        .map(|disc| {
            let mut touched = zones
                .iter()
                .enumerate()
                .filter(|(_, zone)| !zone.clear_of(disc))
                .map(|(k, _)| k);
            match (touched.next(), touched.next()) {
                (None, _) => Some(None),
                (Some(k), None) => Some(Some(k)),
                _ => None,
            }
        })
        .collect();
    for (k, (position, site)) in placed.iter_mut().enumerate() {
        let Some(evidence) = discs.get(*position) else {
            continue;
        };
        let supporting: Vec<&Disc> = discs
            .iter()
            .zip(&reaches)
            .filter(|(other, reach)| {
                matches!(reach, Some(None)) && !evidence.is_disjoint_from(other)
                    || **reach == Some(Some(k))
            })
            .map(|(other, _)| other)
            .collect();
        let mut refined = site_in_discs(evidence, &supporting, assumptions);
        refined.vantages = std::mem::take(&mut site.vantages);
        refined.seen_from_one_place = site.seen_from_one_place;
        *site = refined;
    }
}
