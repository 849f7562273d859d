//! Prints how the inference scores on the anycast ground truth (iGreedy's PlanetLab and RIPE Atlas data sets in
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

/// The figures of one family of data sets added up.
#[derive(Default)]
struct Family {
    name: &'static str,
    true_sites: usize,
    found: usize,
    invented: usize,
    misplaced: usize,
    errors_km: Vec<f64>,
}

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
        "| data set | probes | true sites | sites reported | found (recall) | invented | misplaced > 500 km | median error km | found within 100 km | possible further (real) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut all_errors = Vec::new();
    // Per family of data sets (PlanetLab, RIPE Atlas).
    let mut families: Vec<Family> = Vec::new();
    for name in DATASETS {
        let evaluation = evaluate(&load(name), &assumptions);
        all_errors.extend(evaluation.errors_km.iter().copied());
        println!(
            "| {} | {} | {} | {} | {} ({:.2}) | {} | {} | {:.0} | {} | {} ({}) |",
            evaluation.name,
            evaluation.observations,
            evaluation.true_sites,
            evaluation.reported,
            evaluation.found,
            evaluation.recall(),
            evaluation.invented,
            evaluation.misplaced,
            median(&evaluation.errors_km).unwrap_or(f64::NAN),
            evaluation.within_100_km,
            evaluation.possible,
            evaluation.possible_real,
        );
        for label in evaluation
            .labels_found
            .iter()
            .filter(|l| l.starts_with("invented") || l.starts_with("misplaced"))
        {
            println!("|  | {label} | | | | | | | | |");
        }
        let family = name.rsplit('-').next().unwrap_or(name);
        if !families.iter().any(|f| f.name == family) {
            families.push(Family {
                name: family,
                ..Family::default()
            });
        }
        if let Some(f) = families.iter_mut().find(|f| f.name == family) {
            f.true_sites += evaluation.true_sites;
            f.found += evaluation.found;
            f.invented += evaluation.invented;
            f.misplaced += evaluation.misplaced;
            f.errors_km.extend(evaluation.errors_km.iter().copied());
        }
    }
    for f in &families {
        println!(
            "\n{} sets together: {} of {} true sites found (recall {:.2}), {} invented, {} misplaced by \
             more than 500 km, median error {:.0} km",
            f.name,
            f.found,
            f.true_sites,
            f.found as f64 / f.true_sites.max(1) as f64,
            f.invented,
            f.misplaced,
            median(&f.errors_km).unwrap_or(f64::NAN)
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
