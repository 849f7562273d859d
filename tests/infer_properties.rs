//! Property tests of the inference on seeded random cases (a tiny xorshift generator, no dependency):
//! adding a vantage never removes a speed-of-light violation; a unicast target measured with
//! physically possible RTTs is never called anycast and lies in its feasible region; and one misplaced
//! probe location (one probe, or two of one host) never makes a unicast target anycast.
// Test code: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeSet;

#[path = "support/xorshift.rs"]
mod xorshift;

use vantage::geo::haversine_km;
use vantage::infer::{
    Assumptions, Observation, SPEED_OF_LIGHT_KM_PER_MS, Verdict, infer, speed_of_light_violations,
};
use xorshift::XorShift;

/// Vantages measuring one target with physically possible RTTs: the minimum allowed by fibre, plus
/// non-negative noise (none, a little, or a lot). Half the cases have vantages all over the world, half
/// have them clustered near the target (small discs and thin intersections).
fn unicast_case(rng: &mut XorShift, target: (f64, f64), n: usize) -> Vec<Observation> {
    let km_per_rtt_ms = SPEED_OF_LIGHT_KM_PER_MS * Assumptions::default().fiber_factor / 2.0;
    let clustered = rng.below(2) == 0;
    (0..n)
        .map(|id| {
            let (lat, lon) = if clustered {
                let spread_deg = rng.range(0.1, 15.0);
                rng.near(target, spread_deg)
            } else {
                rng.point()
            };
            let distance_km = haversine_km(lat, lon, target.0, target.1);
            let noise_ms = match rng.below(3) {
                0 => 0.0,
                1 => rng.range(0.0, 2.0),
                _ => rng.range(0.0, 80.0),
            };
            Observation::new(
                &format!("v{id}"),
                lat,
                lon,
                distance_km / km_per_rtt_ms + noise_ms,
            )
        })
        .collect()
}

fn random_observation(rng: &mut XorShift, id: usize) -> Observation {
    let (lat, lon) = rng.point();
    // RTTs from 0 to 150 ms, with a share of very small ones so that violations are common.
    let rtt_ms = if rng.below(3) == 0 {
        rng.range(0.0, 5.0)
    } else {
        rng.range(0.0, 150.0)
    };
    Observation::new(&format!("p{id}"), lat, lon, rtt_ms)
}

fn violated_pairs(observations: &[Observation]) -> BTreeSet<(String, String)> {
    speed_of_light_violations(observations, &Assumptions::default(), usize::MAX)
        .pairs
        .into_iter()
        .map(|pair| (pair.a, pair.b))
        .collect()
}

#[test]
fn adding_a_vantage_never_removes_a_violation() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut cases_with_violations = 0;
    for case in 0..400 {
        let n = 2 + rng.below(25);
        let mut observations: Vec<Observation> =
            (0..n).map(|id| random_observation(&mut rng, id)).collect();
        let before = violated_pairs(&observations);
        let extra = 1 + rng.below(5);
        for id in n..n + extra {
            let observation = random_observation(&mut rng, id);
            // Insert anywhere, so input order cannot matter either.
            let at = rng.below(observations.len() + 1);
            observations.insert(at, observation);
        }
        let after = violated_pairs(&observations);
        assert!(
            before.is_subset(&after),
            "case {case}: lost {:?}",
            before.difference(&after).collect::<Vec<_>>()
        );
        cases_with_violations += usize::from(!before.is_empty());
    }
    // The generator must actually exercise the property.
    assert!(cases_with_violations > 100, "{cases_with_violations}");
}

#[test]
fn a_unicast_target_is_never_called_anycast_and_lies_in_its_region() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let assumptions = Assumptions::default();
    let mut one_site = 0;
    for case in 0..300 {
        let target = rng.point();
        let n = 1 + rng.below(40);
        let observations = unicast_case(&mut rng, target, n);
        let inference = infer(&observations, &assumptions);
        assert!(
            !matches!(inference.verdict, Verdict::Anycast { .. }),
            "case {case}: {}",
            inference.summary
        );
        assert_eq!(inference.evidence.violation_count, 0, "case {case}");
        assert!(
            inference.evidence.no_common_point.is_none(),
            "case {case}: {}",
            inference.summary
        );
        let region = inference.evidence.region.as_ref().expect("a region");
        assert!(
            region.covers(target.0, target.1),
            "case {case}: target {target:?} outside the region {:?} ({} km across, resolution {} km)",
            region.centroid,
            region.across_km,
            region.resolution_km
        );
        one_site += usize::from(inference.verdict == Verdict::OneSite);
    }
    assert!(one_site > 50, "{one_site}");
}

#[test]
fn one_misplaced_probe_location_never_makes_a_unicast_target_anycast() {
    // A unicast case, then one vantage registered somewhere else entirely (a host that typed the wrong
    // place, or moved the probe), sometimes with a second probe of the same host at the same wrong
    // position. Whatever its RTT now contradicts, the verdict must not be anycast, and only probes at
    // the wrong position may be set aside.
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    let assumptions = Assumptions::default();
    let (mut contradicted, mut set_aside) = (0, 0);
    for case in 0..300 {
        let target = rng.point();
        let n = 2 + rng.below(30);
        let mut observations = unicast_case(&mut rng, target, n);
        let moved = rng.below(n);
        let wrong = rng.point();
        observations[moved].latitude = wrong.0;
        observations[moved].longitude = wrong.1;
        if rng.below(3) == 0 {
            let mut twin = observations[moved].clone();
            twin.id = format!("{}-twin", twin.id);
            twin.rtt_min_ms += rng.range(0.0, 3.0);
            let at = rng.below(observations.len() + 1);
            observations.insert(at, twin);
        }
        let inference = infer(&observations, &assumptions);
        assert!(
            !matches!(inference.verdict, Verdict::Anycast { .. }),
            "case {case}: {}",
            inference.summary
        );
        for record in &inference.evidence.set_aside {
            let off_km = haversine_km(record.lat, record.lon, wrong.0, wrong.1);
            assert!(
                off_km <= assumptions.same_location_km(),
                "case {case}: {} set aside, {off_km} km from the wrong position",
                record.id
            );
        }
        contradicted += usize::from(inference.evidence.violation_count > 0);
        set_aside += usize::from(!inference.evidence.set_aside.is_empty());
    }
    // The generator must actually exercise the property: many misplaced probes contradict the others.
    assert!(contradicted > 150, "{contradicted}");
    assert!(set_aside > 120, "{set_aside}");
}
