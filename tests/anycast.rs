//! The inference scored on real anycast ground truth (iGreedy's PlanetLab and RIPE Atlas data sets): it must never
//! invent a site, never call a single site anycast, and stay within loose sanity bounds. The figures
//! themselves are printed by `cargo run --release --example anycast_eval`.
// Test code: a failed expectation should stop the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/ground_truth.rs"]
mod ground_truth;

use ground_truth::{DATASETS, evaluate, load, median, single_site_subsets};
use vantage::infer::{Assumptions, MAX_FIBER_FACTOR, MIN_FIBER_FACTOR, Verdict};

#[test]
fn no_data_set_gets_an_invented_site() {
    for name in DATASETS {
        let dataset = load(name);
        let evaluation = evaluate(&dataset, &Assumptions::default());
        eprintln!("{evaluation:?}");
        assert_eq!(
            evaluation.invented, 0,
            "{name}: {:?}",
            evaluation.labels_found
        );
        // On the dense sets every reported site is also placed within 500 km of a true one.
        if name.ends_with("-ripe") {
            assert_eq!(
                evaluation.misplaced, 0,
                "{name}: {:?}",
                evaluation.labels_found
            );
        }
        assert!(
            matches!(evaluation.verdict, Verdict::Anycast { .. }),
            "{name}"
        );
        assert!(
            evaluation.found >= 2 && evaluation.found <= evaluation.true_sites,
            "{name}"
        );
        // Loose sanity: a site placed in the right part of the world, not a regression target.
        let median_km = median(&evaluation.errors_km).unwrap();
        assert!(median_km < 1_000.0, "{name}: median error {median_km} km");
    }
}

#[test]
fn the_vantages_of_one_site_are_never_called_anycast() {
    for name in DATASETS {
        let dataset = load(name);
        for subset in single_site_subsets(&dataset, &Assumptions::default()) {
            eprintln!("{name} {subset:?}");
            assert!(
                !matches!(subset.verdict, Verdict::Anycast { .. }),
                "{name} {}: {subset:?}",
                subset.label
            );
        }
    }
}

#[test]
fn no_allowed_fibre_factor_invents_a_site() {
    // Faster assumed signals make larger discs and so fewer contradictions: the count may drop but must
    // never invent. Slower ones shrink discs below what physics allows, which is why the factor has a
    // floor (0.6): every allowed factor, from the floor to light in vacuum, must invent nothing and
    // never call one site's vantages anycast.
    for fiber_factor in [MIN_FIBER_FACTOR, 2.0 / 3.0, 0.8, MAX_FIBER_FACTOR] {
        let assumptions = Assumptions {
            fiber_factor,
            ..Assumptions::default()
        };
        for name in DATASETS {
            let dataset = load(name);
            let evaluation = evaluate(&dataset, &assumptions);
            assert_eq!(
                evaluation.invented, 0,
                "{name} at {fiber_factor}: {:?}",
                evaluation.labels_found
            );
            assert!(
                matches!(evaluation.verdict, Verdict::Anycast { .. }),
                "{name} at {fiber_factor}"
            );
            for subset in single_site_subsets(&dataset, &assumptions) {
                assert!(
                    !matches!(subset.verdict, Verdict::Anycast { .. }),
                    "{name} {} at {fiber_factor}: {subset:?}",
                    subset.label
                );
            }
        }
    }
    // Below the floor the factor is clamped, never trusted.
    let too_slow = Assumptions {
        fiber_factor: 0.3,
        ..Assumptions::default()
    };
    assert_eq!(too_slow.sanitised().fiber_factor, MIN_FIBER_FACTOR);
}
