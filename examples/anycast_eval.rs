//! Prints how the inference scores on the anycast ground truth (iGreedy's PlanetLab data sets in
//! `tests/fixtures/anycast/`): per data set, the sites found against the true sites, invented sites and
//! the median placement error, then every single-site subset. `cargo run --release --example
//! anycast_eval [POPULATION_WEIGHT [FIBER_FACTOR]]` (defaults 0.5 and 2/3) also lets the city-choice
//! weight and the assumed signal speed be compared (the factor is clamped to its allowed range).
// An example over committed fixtures: a broken fixture should stop it with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/support/ground_truth.rs"]
mod ground_truth;

use ground_truth::{DATASETS, evaluate, load, median, single_site_subsets};
use vantage::infer::{Assumptions, Verdict};

fn main() {
    let argument = |n: usize| std::env::args().nth(n).and_then(|arg| arg.parse().ok());
    let population_weight = argument(1).unwrap_or(0.5);
    let assumptions = Assumptions {
        population_weight,
        fiber_factor: argument(2).unwrap_or(2.0 / 3.0),
        ..Assumptions::default()
    }
    .sanitised();
    println!(
        "population weight {population_weight}, fibre factor {:.3}",
        assumptions.fiber_factor
    );
    println!();
    println!(
        "| data set | probes | true sites | sites found | invented | median error km | found within 100 km | possible further (real) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut all_errors = Vec::new();
    for name in DATASETS {
        let evaluation = evaluate(&load(name), &assumptions);
        all_errors.extend(evaluation.errors_km.iter().copied());
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {} | {} ({}) |",
            evaluation.name,
            evaluation.observations,
            evaluation.true_sites,
            evaluation.found,
            evaluation.invented,
            median(&evaluation.errors_km).unwrap_or(f64::NAN),
            evaluation.within_100_km,
            evaluation.possible,
            evaluation.possible_real,
        );
    }
    println!(
        "\nall found sites: {}, median error {:.0} km, mean {:.0} km\n",
        all_errors.len(),
        median(&all_errors).unwrap_or(f64::NAN),
        vantage::stats::mean(&all_errors).unwrap_or(f64::NAN)
    );
    println!(
        "| data set | label | true city | vantages | verdict | across km | named city | error km | region covers truth |"
    );
    println!("|---|---|---|---:|---|---:|---|---:|:-:|");
    let mut one_site_errors = Vec::new();
    let (mut one_site, mut inconclusive, mut anycast) = (0, 0, 0);
    for name in DATASETS {
        for subset in single_site_subsets(&load(name), &assumptions) {
            match subset.verdict {
                Verdict::OneSite => {
                    one_site += 1;
                    one_site_errors.extend(subset.error_km);
                }
                Verdict::Inconclusive => inconclusive += 1,
                Verdict::Anycast { .. } => anycast += 1,
            }
            println!(
                "| {name} | {} | {} | {} | {} | {:.0} | {} | {:.0} | {} |",
                subset.label,
                subset.true_city,
                subset.vantages,
                subset.verdict.code(),
                subset.across_km.unwrap_or(f64::NAN),
                subset.city.as_deref().unwrap_or("—"),
                subset.error_km.unwrap_or(f64::NAN),
                if subset.covers_truth { "yes" } else { "no" },
            );
        }
    }
    println!(
        "\nsubsets: {one_site} one-site (median error {:.0} km), {inconclusive} inconclusive, {anycast} anycast",
        median(&one_site_errors).unwrap_or(f64::NAN)
    );
}
