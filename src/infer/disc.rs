//! Latency discs: each observation's minimum RTT as the disc of places the responder could be, the pairs
//! of discs that cannot share a responder (speed-of-light violations), and the largest set of mutually
//! disjoint discs this module can find (the proven lower bound on the number of sites).
//!
//! It owns the physics constant, the validation of observations and the disc geometry tests. It does
//! no I/O and never panics; observations it cannot use become diagnostics.

use serde::Serialize;

use super::{Assumptions, Observation, ObservationDiagnostic};
use crate::geo::sphere::{UnitVector, distance_km, dot, unit_vector};
use crate::geo::{EARTH_MEAN_RADIUS_KM, haversine_km};

/// The speed of light in vacuum in km per millisecond: exactly 299,792,458 m/s, the value that defines
/// the metre in the SI (BIPM, "The International System of Units", 9th edition, 2019).
pub const SPEED_OF_LIGHT_KM_PER_MS: f64 = 299.792_458;

/// Half the circumference of the mean Earth: a disc at least this large covers the whole planet.
pub const HALF_CIRCUMFERENCE_KM: f64 = std::f64::consts::PI * EARTH_MEAN_RADIUS_KM;

/// One usable observation as a disc on the sphere.
#[derive(Debug, Clone, PartialEq)]
pub struct Disc {
    pub id: String,
    /// Position of the observation in the caller's slice, so results can point back at it.
    pub index: usize,
    pub lat: f64,
    pub lon: f64,
    pub rtt_min_ms: f64,
    /// The physical bound: `rtt_min_ms / 2 × c × fiber_factor`, capped at half the circumference.
    pub radius_km: f64,
    /// The radius widened by the location tolerance (and capped): what every geometric test uses.
    pub reach_km: f64,
    pub(crate) centre: UnitVector,
    cos_reach: f64,
    sin_reach: f64,
}

impl Disc {
    /// Whether a point lies within the disc's reach.
    pub(crate) fn contains(&self, point: UnitVector) -> bool {
        dot(point, self.centre) >= self.cos_reach
    }

    /// The cosine of the disc's angular reach widened by `margin_km` (capped at the whole sphere), for
    /// repeated [`Disc::contains_with`] tests at one margin.
    pub(crate) fn cos_reach_plus(&self, margin_km: f64) -> f64 {
        ((self.reach_km + margin_km).min(HALF_CIRCUMFERENCE_KM) / EARTH_MEAN_RADIUS_KM).cos()
    }

    /// Whether a point lies within a reach given by its cosine (see [`Disc::cos_reach_plus`]).
    pub(crate) fn contains_with(&self, point: UnitVector, cos_reach: f64) -> bool {
        dot(point, self.centre) >= cos_reach
    }

    /// Whether the two discs cannot share a point: the central angle between the centres exceeds the
    /// sum of the two angular reaches. Comparing cosines (cos(a + b) = cos a cos b − sin a sin b) costs
    /// a few multiplications per pair, which is what makes all-pairs checks of thousands of
    /// observations cheap.
    pub(crate) fn is_disjoint_from(&self, other: &Disc) -> bool {
        if self.reach_km + other.reach_km >= HALF_CIRCUMFERENCE_KM {
            return false;
        }
        let cos_sum = self.cos_reach * other.cos_reach - self.sin_reach * other.sin_reach;
        dot(self.centre, other.centre) < cos_sum
    }

    /// How far inside the disc a point is, in km (negative outside).
    pub(crate) fn depth_km(&self, point: UnitVector) -> f64 {
        self.reach_km - distance_km(self.centre, point)
    }
}

/// Turns observations into discs, sorted by radius (smallest first, then by input order), and explains
/// every observation it cannot use.
pub fn discs(
    observations: &[Observation],
    assumptions: &Assumptions,
) -> (Vec<Disc>, Vec<ObservationDiagnostic>) {
    let assumptions = assumptions.sanitised();
    let mut discs = Vec::with_capacity(observations.len());
    let mut diagnostics = Vec::new();
    for (index, observation) in observations.iter().enumerate() {
        match validate(observation) {
            Err(reason) => diagnostics.push(ObservationDiagnostic {
                line: None,
                id: Some(observation.id.clone()),
                reason,
            }),
            Ok(()) => {
                let radius_km = assumptions
                    .radius_km(observation.rtt_min_ms)
                    .min(HALF_CIRCUMFERENCE_KM);
                let reach_km =
                    (radius_km + assumptions.location_tolerance_km).min(HALF_CIRCUMFERENCE_KM);
                let (sin_reach, cos_reach) = (reach_km / EARTH_MEAN_RADIUS_KM).sin_cos();
                discs.push(Disc {
                    id: observation.id.clone(),
                    index,
                    lat: observation.latitude,
                    lon: observation.longitude,
                    rtt_min_ms: observation.rtt_min_ms,
                    radius_km,
                    reach_km,
                    centre: unit_vector(observation.latitude, observation.longitude),
                    cos_reach,
                    sin_reach,
                });
            }
        }
    }
    discs.sort_by(|a, b| {
        a.radius_km
            .total_cmp(&b.radius_km)
            .then(a.index.cmp(&b.index))
    });
    (discs, diagnostics)
}

fn validate(observation: &Observation) -> Result<(), String> {
    let Observation {
        latitude,
        longitude,
        rtt_min_ms,
        ..
    } = *observation;
    if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
        return Err(format!("latitude {latitude} is not between -90 and 90"));
    }
    if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
        return Err(format!("longitude {longitude} is not between -180 and 180"));
    }
    if !rtt_min_ms.is_finite() || rtt_min_ms < 0.0 {
        return Err(format!(
            "minimum RTT {rtt_min_ms} ms is not a non-negative number"
        ));
    }
    Ok(())
}

/// Two observations that no single responder could satisfy: their discs are disjoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    pub a: String,
    pub b: String,
    /// Great-circle distance between the two probes.
    pub distance_km: f64,
    /// The sum of the two discs' radii: the farthest apart the probes could be if one place answered both.
    pub radius_sum_km: f64,
    /// `distance_km − radius_sum_km`: how much a probe position would have to be wrong (or the fibre
    /// faster) for the pair to stop being a contradiction.
    pub margin_km: f64,
}

/// Every speed-of-light violation among a set of discs: how many, and the most decisive ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violations {
    pub total: usize,
    /// At most the requested number of pairs, largest margin first.
    pub pairs: Vec<Violation>,
    /// The observations that are part of every violated pair (none, one, or both of a lone pair). When
    /// one probe is in every contradiction, a wrong position for that probe would explain them all.
    pub in_every_pair: Vec<String>,
}

/// Finds all disjoint pairs (all n(n−1)/2 pairs are tested: a few multiplications each) and keeps the
/// `limit` with the largest margin. Memory stays proportional to `limit`, not to the number of pairs.
pub fn violations(discs: &[Disc], limit: usize) -> Violations {
    let mut total = 0;
    let mut kept: Vec<(f64, usize, usize)> = Vec::new();
    // Positions that have been in every violated pair so far (at most the two of the first pair).
    let mut in_every: Vec<usize> = Vec::new();
    let flush_at = limit.saturating_mul(2).max(64);
    let mut floor = f64::NEG_INFINITY;
    for (i, a) in discs.iter().enumerate() {
        for (j, b) in discs.iter().enumerate().skip(i + 1) {
            if a.is_disjoint_from(b) {
                if total == 0 {
                    in_every = vec![i, j];
                } else {
                    in_every.retain(|&k| k == i || k == j);
                }
                total += 1;
                if limit > 0 {
                    let margin = distance_km(a.centre, b.centre) - a.radius_km - b.radius_km;
                    // Once `limit` pairs are kept, a pair below the weakest of them cannot enter.
                    if margin >= floor {
                        kept.push((margin, i, j));
                        if kept.len() >= flush_at {
                            keep_best(&mut kept, discs, limit);
                            if kept.len() >= limit {
                                floor = kept.last().map_or(floor, |weakest| weakest.0);
                            }
                        }
                    }
                }
            }
        }
    }
    keep_best(&mut kept, discs, limit);
    let pairs = kept
        .into_iter()
        .filter_map(|(_, i, j)| Some(violation(discs.get(i)?, discs.get(j)?)))
        .collect();
    let mut in_every_pair: Vec<&Disc> = in_every.iter().filter_map(|&k| discs.get(k)).collect();
    in_every_pair.sort_by_key(|disc| disc.index);
    Violations {
        total,
        pairs,
        in_every_pair: in_every_pair
            .into_iter()
            .map(|disc| disc.id.clone())
            .collect(),
    }
}

fn keep_best(kept: &mut Vec<(f64, usize, usize)>, discs: &[Disc], limit: usize) {
    let ids = |i: usize| discs.get(i).map(|disc| disc.index);
    kept.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then_with(|| ids(x.1).cmp(&ids(y.1)))
            .then_with(|| ids(x.2).cmp(&ids(y.2)))
    });
    kept.truncate(limit);
}

/// The violation record of two disjoint discs, with the distance from the haversine formula (the one
/// people can check by hand), and the pair in input order.
pub(crate) fn violation(a: &Disc, b: &Disc) -> Violation {
    let (first, second) = if a.index <= b.index { (a, b) } else { (b, a) };
    let distance_km = haversine_km(first.lat, first.lon, second.lat, second.lon);
    let radius_sum_km = first.radius_km + second.radius_km;
    Violation {
        a: first.id.clone(),
        b: second.id.clone(),
        distance_km,
        radius_sum_km,
        margin_km: distance_km - radius_sum_km,
    }
}

/// A large set of mutually disjoint discs, as positions in `discs` (which must be sorted by radius, as
/// [`discs`] returns them), smallest radius first.
///
/// Each disc holds the site that answered its probe, so k mutually disjoint discs prove at least k
/// distinct sites. Finding the largest such set is NP-hard; this follows iGreedy (Cicalese et al., "A
/// Fistful of Pings", INFOCOM 2015, and "Latency-Based Anycast Geolocation", IEEE JSAC 34(6), 2016): take
/// discs by increasing radius, keeping each that is disjoint from all kept so far (small discs first,
/// because they conflict with fewest others and locate their site best). Then a local search that only
/// ever adds provable sites: when two discs are disjoint from each other and conflict with just one
/// kept disc, that disc is swapped for the two (a "1-for-2 swap", the classic improvement step for
/// greedy independent sets), and any disc left free is added. Greedy alone can miss this, e.g. a small
/// disc sitting between two large disjoint ones.
pub fn independent_set(discs: &[Disc]) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::new();
    add_free_discs(discs, &mut chosen);
    // Every swap adds one disc, so there can be at most `discs.len()` of them.
    for _ in 0..discs.len() {
        if !swap_one_for_two(discs, &mut chosen) {
            break;
        }
        add_free_discs(discs, &mut chosen);
    }
    chosen.sort_unstable();
    chosen
}

fn add_free_discs(discs: &[Disc], chosen: &mut Vec<usize>) {
    for (position, disc) in discs.iter().enumerate() {
        if chosen.contains(&position) {
            continue;
        }
        let free = chosen
            .iter()
            .filter_map(|&kept| discs.get(kept))
            .all(|kept| disc.is_disjoint_from(kept));
        if free {
            chosen.push(position);
        }
    }
}

/// Performs one 1-for-2 swap if there is one; the pair chosen is the one whose larger disc is
/// smallest, so the new sites are as well located as possible.
fn swap_one_for_two(discs: &[Disc], chosen: &mut Vec<usize>) -> bool {
    // For each unchosen disc that conflicts with exactly one chosen disc, that disc's slot in `chosen`.
    let mut tight: Vec<(usize, usize)> = Vec::new();
    for (position, disc) in discs.iter().enumerate() {
        if chosen.contains(&position) {
            continue;
        }
        let mut conflicts = chosen.iter().enumerate().filter(|(_, kept)| {
            discs
                .get(**kept)
                .is_some_and(|kept| !disc.is_disjoint_from(kept))
        });
        if let (Some((slot, _)), None) = (conflicts.next(), conflicts.next()) {
            tight.push((slot, position));
        }
    }
    // Group by slot, keeping radius order, so that only discs competing for the same slot are paired.
    let mut by_slot: Vec<Vec<usize>> = vec![Vec::new(); chosen.len()];
    for &(slot, position) in &tight {
        if let Some(group) = by_slot.get_mut(slot) {
            group.push(position);
        }
    }
    let mut best: Option<(usize, usize, usize)> = None;
    for (slot, group) in by_slot.iter().enumerate() {
        for (index_b, &b) in group.iter().enumerate() {
            if best.is_some_and(|(_, _, best_b)| best_b <= b) {
                break;
            }
            let partner = group.iter().take(index_b).find(|&&a| {
                matches!((discs.get(a), discs.get(b)), (Some(a), Some(b)) if a.is_disjoint_from(b))
            });
            if let Some(&a) = partner {
                best = Some((slot, a, b));
                break;
            }
        }
    }
    let Some((slot, a, b)) = best else {
        return false;
    };
    if let Some(replaced) = chosen.get_mut(slot) {
        *replaced = a;
    }
    chosen.push(b);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(id: &str, lat: f64, lon: f64, rtt_ms: f64) -> Observation {
        Observation::new(id, lat, lon, rtt_ms)
    }

    fn discs_of(observations: &[Observation]) -> Vec<Disc> {
        discs(observations, &Assumptions::default()).0
    }

    #[test]
    fn one_millisecond_of_rtt_is_about_a_hundred_km() {
        let d = discs_of(&[observation("a", 0.0, 0.0, 1.0)]);
        // 1 ms / 2 × 299.792458 km/ms × 2/3 = 99.93 km.
        assert!((d[0].radius_km - 99.930_819).abs() < 1e-5);
        assert!((d[0].reach_km - d[0].radius_km - 1.0).abs() < 1e-9);
    }

    #[test]
    fn unusable_observations_are_diagnostics() {
        let (d, diagnostics) = discs(
            &[
                observation("nan", f64::NAN, 0.0, 1.0),
                observation("lat", 91.0, 0.0, 1.0),
                observation("lon", 0.0, 180.5, 1.0),
                observation("neg", 0.0, 0.0, -1.0),
                observation("inf", 0.0, 0.0, f64::INFINITY),
                observation("zero", 0.0, 0.0, 0.0),
                observation("huge", 0.0, 0.0, 1e9),
            ],
            &Assumptions::default(),
        );
        assert_eq!(diagnostics.len(), 5);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].id, "zero");
        assert_eq!(d[1].radius_km, HALF_CIRCUMFERENCE_KM);
    }

    #[test]
    fn amsterdam_and_new_york_at_one_ms_each_cannot_be_one_place() {
        let d = discs_of(&[
            observation("ams", 52.37, 4.90, 1.0),
            observation("nyc", 40.71, -74.01, 1.0),
            observation("far", 0.0, 0.0, 200.0),
        ]);
        let found = violations(&d, 10);
        assert_eq!(found.total, 1);
        let pair = &found.pairs[0];
        assert_eq!((pair.a.as_str(), pair.b.as_str()), ("ams", "nyc"));
        assert!((pair.distance_km - 5_863.2).abs() < 1.0);
        assert!(pair.margin_km > 5_600.0);
        assert_eq!(found.in_every_pair, vec!["ams", "nyc"]);
    }

    #[test]
    fn one_misplaced_probe_is_in_every_contradiction() {
        // Three probes around Amsterdam, and one that claims to be in Addis Ababa at 25 ms.
        let d = discs_of(&[
            observation("ams", 52.35, 4.96, 2.4),
            observation("utrecht", 52.09, 5.12, 3.0),
            observation("addis", 9.02, 38.76, 24.7),
            observation("brussels", 50.85, 4.35, 5.0),
        ]);
        let found = violations(&d, 10);
        assert_eq!(found.total, 3);
        assert_eq!(found.in_every_pair, vec!["addis"]);
        assert!(violations(&d[..2], 10).in_every_pair.is_empty());
    }

    #[test]
    fn touching_discs_are_not_a_violation() {
        // Two probes 200 km apart along the equator, each 100 km (plus rounding) from the midpoint.
        let half_km = 100.0;
        let rtt_ms = 2.0 * half_km / (SPEED_OF_LIGHT_KM_PER_MS * 2.0 / 3.0);
        let degrees = half_km / EARTH_MEAN_RADIUS_KM * 180.0 / std::f64::consts::PI;
        let d = discs_of(&[
            observation("w", 0.0, -degrees, rtt_ms),
            observation("e", 0.0, degrees, rtt_ms),
        ]);
        assert_eq!(violations(&d, 10).total, 0);
    }

    #[test]
    fn the_swap_finds_two_sites_that_greedy_misses() {
        // A small disc (1,000 km) in the middle overlaps two larger ones (2,000 km, centres 2,500 km
        // either side) that are disjoint from each other.
        let d = discs_of(&[
            observation("middle", 0.0, 0.0, 10.0),
            observation("west", 0.0, -22.5, 20.0),
            observation("east", 0.0, 22.5, 20.0),
        ]);
        let set = independent_set(&d);
        let ids: Vec<&str> = set.iter().map(|&i| d[i].id.as_str()).collect();
        assert_eq!(ids, vec!["west", "east"]);
    }

    #[test]
    fn the_limit_bounds_the_pairs_kept_not_the_count() {
        let observations: Vec<Observation> = (0..40)
            .map(|i| observation(&format!("p{i}"), 0.0, f64::from(i) * 9.0 - 179.0, 1.0))
            .collect();
        let d = discs_of(&observations);
        let all = violations(&d, usize::MAX);
        assert_eq!(all.total, 40 * 39 / 2);
        assert_eq!(all.pairs.len(), all.total);
        let few = violations(&d, 5);
        assert_eq!(few.total, all.total);
        assert_eq!(few.pairs, all.pairs[..5].to_vec());
        assert_eq!(independent_set(&d).len(), 40);
    }
}
