//! Prints how long the inference takes on synthetic inputs of growing size: a unicast target seen from
//! N random vantages (the feasible-region path) and an anycast target with ten sites (the
//! violation and independent-set path). `cargo run --release --example locate_bench`. Figures, not a
//! test: the machine and its load decide them.

use std::time::Instant;

#[path = "../tests/support/xorshift.rs"]
mod xorshift;

use vantage::geo::haversine_km;
use vantage::infer::{Assumptions, Observation, SPEED_OF_LIGHT_KM_PER_MS, infer};
use xorshift::XorShift;

/// N vantages anywhere; each answered by the nearest of `sites`, with a realistic 1.5× path stretch
/// and up to 20 ms of noise.
fn observations(rng: &mut XorShift, n: usize, sites: &[(f64, f64)]) -> Vec<Observation> {
    let km_per_ms = SPEED_OF_LIGHT_KM_PER_MS * 2.0 / 3.0 / 2.0;
    (0..n)
        .map(|id| {
            let (lat, lon) = rng.point();
            let distance_km = sites
                .iter()
                .map(|&(site_lat, site_lon)| haversine_km(lat, lon, site_lat, site_lon))
                .fold(f64::INFINITY, f64::min);
            let rtt_ms = distance_km * 1.5 / km_per_ms + 20.0 * rng.unit();
            Observation::new(&format!("v{id}"), lat, lon, rtt_ms)
        })
        .collect()
}

fn main() {
    let mut rng = XorShift(0x1234_5678_9ABC_DEF1);
    let unicast = [(52.37, 4.90)];
    let anycast: Vec<(f64, f64)> = (0..10).map(|_| rng.point()).collect();
    println!("| observations | kind | verdict | ms |");
    println!("|---:|---|---|---:|");
    for n in [100, 1_000, 3_000, 5_000] {
        for (kind, sites) in [
            ("unicast", &unicast[..]),
            ("anycast, 10 sites", &anycast[..]),
        ] {
            let input = observations(&mut rng, n, sites);
            let start = Instant::now();
            let inference = infer(&input, &Assumptions::default());
            let elapsed_ms = start.elapsed().as_secs_f64() * 1e3;
            println!(
                "| {n} | {kind} | {} ({} sites) | {elapsed_ms:.0} |",
                inference.verdict.code(),
                inference.sites.len()
            );
        }
    }
}
