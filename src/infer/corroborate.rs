//! Corroboration of anycast sites: which of the sites proven by mutually disjoint discs would still be
//! proven if any one probe location were wrong.
//!
//! Probe positions are entered by hand, and one probe registered far from where it really is makes a
//! disc that is disjoint from everyone else's: on its own it looks exactly like a second site. So a
//! site is only counted when a probe at another location backs it, and a contradiction that rests on a
//! single location is kept apart as such. It owns the "same location" rule, the backing test and the
//! order in which unbacked sites are dropped. It does no I/O and never panics.

use super::disc::Disc;
use crate::geo::sphere::distance_km;

/// Probes closer than this (or than the location tolerance, if larger) count as one vantage location:
/// PlanetLab nodes of one institution share coordinates, and the probes of one host sit at one
/// registered position, so a wrong position for one of them is wrong for all. A few km is the size of a
/// campus or a neighbourhood, and far below what latency resolves (1 ms of RTT is about 100 km).
pub const SAME_LOCATION_KM: f64 = 5.0;

/// Whether two discs' probes are at different vantage locations.
pub(crate) fn elsewhere(a: &Disc, b: &Disc, same_location_km: f64) -> bool {
    distance_km(a.centre, b.centre) > same_location_km
}

/// How many discs at other locations are disjoint from `discs[position]`: the probes its RTT
/// contradicts.
pub(crate) fn contradictions(discs: &[Disc], position: usize, same_location_km: f64) -> usize {
    let Some(disc) = discs.get(position) else {
        return 0;
    };
    discs
        .iter()
        .filter(|other| elsewhere(disc, other, same_location_km) && disc.is_disjoint_from(other))
        .count()
}

/// The outcome of [`corroborate`], as positions in the discs slice.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Corroboration {
    /// The members that a probe at another location backs, sorted: the sites that are counted.
    pub counted: Vec<usize>,
    /// The members that no other location backs, in the order they were dropped.
    pub unbacked: Vec<usize>,
    /// The members that were backed before any member was dropped (those with independent support
    /// from the start, rather than only once a rival was gone).
    pub backed_at_first: Vec<usize>,
    /// The independent set the check started from.
    pub initial: Vec<usize>,
}

/// Which members of an independent set (`set`, positions in `discs`) are backed, dropping unbacked
/// members one at a time.
///
/// A member is backed when a disc at another location (see [`elsewhere`]) that overlaps it can take
/// its place: the disc is disjoint from every other member, or from all but one, which can in turn
/// give way to a disc of its own site (see [`backing`]). The set after the swap is as large and still
/// mutually disjoint, so the count does not rest on the member's location; and since the new disc
/// overlaps the member, it can have reached the same site, which is thus seen from two places. The
/// disc of any probe that reached the member's site contains that site, so requiring the overlap costs
/// no real site. It is what makes this stricter than the count alone needs: a disc that overlaps no
/// member (such as a dropped member) is evidence of yet another site, not of this one, so two misplaced
/// probes in different places, or two sites seen from one place each, never back each other.
///
/// A member's backing depends on the other members (the new disc must be disjoint from them), so
/// dropping one can only make the rest easier to back: unbacked members are dropped one at a time,
/// each time the one that contradicts the most probes (then the larger disc, then the later input),
/// and the rest re-checked. A dropped member never backs another (it is disjoint from it), so the
/// order matters only between members that block each other.
pub(crate) fn corroborate(discs: &[Disc], set: &[usize], same_location_km: f64) -> Corroboration {
    let mut members: Vec<usize> = set.to_vec();
    let mut unbacked = Vec::new();
    let mut backed_at_first: Option<Vec<usize>> = None;
    // Each pass drops one member, so there are at most `set.len()` passes.
    for _ in 0..=set.len() {
        let backed = backing(discs, &members, same_location_km);
        if backed_at_first.is_none() {
            backed_at_first = Some(
                members
                    .iter()
                    .zip(&backed)
                    .filter(|(_, backed)| **backed)
                    .map(|(&member, _)| member)
                    .collect(),
            );
        }
        let worst = members
            .iter()
            .zip(&backed)
            .filter(|(_, backed)| !**backed)
            .map(|(&member, _)| member)
            .max_by(|&a, &b| {
                let key = |position: usize| {
                    let disc = discs.get(position);
                    (
                        contradictions(discs, position, same_location_km),
                        disc.map_or(0.0, |disc| disc.radius_km),
                        disc.map_or(0, |disc| disc.index),
                    )
                };
                let (ka, kb) = (key(a), key(b));
                ka.0.cmp(&kb.0)
                    .then(ka.1.total_cmp(&kb.1))
                    .then(ka.2.cmp(&kb.2))
            });
        match worst {
            Some(worst) => {
                members.retain(|&member| member != worst);
                unbacked.push(worst);
            }
            None => break,
        }
    }
    members.sort_unstable();
    let mut backed_at_first = backed_at_first.unwrap_or_default();
    backed_at_first.sort_unstable();
    Corroboration {
        counted: members,
        unbacked,
        backed_at_first,
        initial: set.to_vec(),
    }
}

/// For each member (in `members` order), whether it is backed: some disc at another location can
/// take its place, directly or with one other member also swapped for a disc of its own site.
///
/// With `over[d]` the members that disc `d` overlaps (kept only when there are at most two):
/// - one swap: a disc `t` elsewhere with `over[t] = {i}` replaces member `i`;
/// - two swaps: a disc `t` elsewhere with `over[t] = {i, j}` replaces `i` if member `j` can give way
///   to a disc `u` of its own site (`j ∈ over[u] ⊆ {i, j}`), also elsewhere than `i`, and disjoint
///   from `t`. Both new sets keep every site represented by a disc that overlaps its member.
///
/// A member at the same location as another member (only possible for discs a few km wide) is never
/// backed: one wrong position would remove both.
fn backing(discs: &[Disc], members: &[usize], same_location_km: f64) -> Vec<bool> {
    let member_disc = |slot: usize| members.get(slot).and_then(|&m| discs.get(m));
    // For each non-member disc, the member slots it overlaps, when there are one or two.
    let mut over: Vec<(usize, Vec<usize>)> = Vec::new();
    for (position, disc) in discs.iter().enumerate() {
        if members.contains(&position) {
            continue;
        }
        let mut slots = Vec::new();
        for (slot, &member) in members.iter().enumerate() {
            if discs
                .get(member)
                .is_some_and(|member| !disc.is_disjoint_from(member))
            {
                slots.push(slot);
                if slots.len() > 2 {
                    break;
                }
            }
        }
        if !slots.is_empty() && slots.len() <= 2 {
            over.push((position, slots));
        }
    }
    (0..members.len())
        .map(|i| {
            let Some(member) = member_disc(i) else {
                return false;
            };
            let crowded = (0..members.len()).any(|other| {
                other != i
                    && member_disc(other)
                        .is_some_and(|other| !elsewhere(member, other, same_location_km))
            });
            if crowded {
                return false;
            }
            let away = |position: usize| {
                discs
                    .get(position)
                    .is_some_and(|disc| elsewhere(member, disc, same_location_km))
            };
            let one_swap = over
                .iter()
                .any(|(t, slots)| slots.as_slice() == [i] && away(*t));
            one_swap
                || over.iter().any(|(t, slots)| {
                    let j = match slots.as_slice() {
                        [a, b] if *a == i => *b,
                        [a, b] if *b == i => *a,
                        _ => return false,
                    };
                    away(*t)
                        && over.iter().any(|(u, u_slots)| {
                            u != t
                                && u_slots.contains(&j)
                                && u_slots.iter().all(|&s| s == i || s == j)
                                && away(*u)
                                && matches!(
                                    (discs.get(*t), discs.get(*u)),
                                    (Some(t), Some(u)) if t.is_disjoint_from(u)
                                )
                        })
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::disc::{discs, independent_set};
    use crate::infer::{Assumptions, Observation};

    fn corroboration_of(observations: &[Observation]) -> (Vec<Disc>, Corroboration) {
        let (d, _) = discs(observations, &Assumptions::default());
        let set = independent_set(&d);
        let found = corroborate(&d, &set, SAME_LOCATION_KM);
        (d, found)
    }

    fn ids(d: &[Disc], positions: &[usize]) -> Vec<String> {
        positions.iter().map(|&p| d[p].id.clone()).collect()
    }

    #[test]
    fn a_lone_probe_far_away_is_not_backed_but_the_cluster_is() {
        let (d, found) = corroboration_of(&[
            Observation::new("ams", 52.35, 4.96, 2.4),
            Observation::new("utrecht", 52.09, 5.12, 3.0),
            Observation::new("addis", 9.02, 38.76, 24.7),
            Observation::new("brussels", 50.85, 4.35, 5.0),
        ]);
        assert_eq!(ids(&d, &found.counted), vec!["ams"]);
        assert_eq!(ids(&d, &found.unbacked), vec!["addis"]);
        assert_eq!(ids(&d, &found.backed_at_first), vec!["ams"]);
        let addis = d.iter().position(|disc| disc.id == "addis").unwrap();
        assert_eq!(contradictions(&d, addis, SAME_LOCATION_KM), 3);
    }

    #[test]
    fn two_probes_at_one_position_count_as_one_location() {
        // Two probes of one host, registered at the same wrong place: they back nothing.
        let (d, found) = corroboration_of(&[
            Observation::new("ams", 52.35, 4.96, 2.4),
            Observation::new("utrecht", 52.09, 5.12, 3.0),
            Observation::new("addis", 9.02, 38.76, 24.7),
            Observation::new("addis-twin", 9.02, 38.76, 25.1),
        ]);
        assert_eq!(ids(&d, &found.counted), vec!["ams"]);
        assert_eq!(ids(&d, &found.unbacked), vec!["addis"]);
    }

    #[test]
    fn two_sites_seen_from_two_places_each_are_both_backed() {
        let (d, found) = corroboration_of(&[
            Observation::new("ams", 52.35, 4.96, 2.4),
            Observation::new("utrecht", 52.09, 5.12, 3.0),
            Observation::new("sydney", -33.87, 151.21, 1.5),
            Observation::new("canberra", -35.28, 149.13, 5.0),
            Observation::new("lone-tokyo", 35.68, 139.69, 1.0),
        ]);
        assert_eq!(found.counted.len(), 2);
        assert_eq!(ids(&d, &found.unbacked), vec!["lone-tokyo"]);
    }
}
