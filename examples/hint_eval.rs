//! Prints how the router-name location hints (`paths::hints`) score on the ground truth in
//! `tests/fixtures/hints/` (router names on IXP peering LANs, the truth being the exchange's city in
//! PeeringDB), then what the physics veto does on the named hops of the recorded traceroutes, the one
//! place with probe positions and RTTs. `cargo run --release --example hint_eval [-- --summary | --misses]`:
//! `--summary` prints one line per set (for `.ci/budgets`), `--misses` also lists the names without a
//! hint.
//!
//! Per set: names, names with a hint, hints within 100 km of the truth (and within 500 km),
//! precision (right hints / hints given), recall (right hints / names), and every wrong hint. The hint
//! of a name is its best candidate, as the hop table shows it when the RTT allows it.
// An example over committed fixtures: a broken fixture should stop it with its message.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/support/hint_truth.rs"]
mod hint_truth;

use hint_truth::{
    CORRECT_KM, Judged, NEAR_KM, PROXIMATE_RTT_MS, SETS, judge, load, recorded_hops, score,
};
use vantage::paths::hints::LocationHint;

fn hint_text(hint: Option<&LocationHint>) -> String {
    hint.map_or_else(
        || "-".to_string(),
        |h| {
            format!(
                "{} ({}, {:?}, score {})",
                h.city, h.token, h.source, h.score
            )
        },
    )
}

fn main() {
    let summary_only = std::env::args().any(|arg| arg == "--summary");
    let misses = std::env::args().any(|arg| arg == "--misses");
    let mut summaries = Vec::new();
    for set in &SETS {
        let judged = judge(&load(set));
        let s = score(&judged);
        summaries.push(format!(
            "hints: set {} ({}, {}): precision {:.2} ({}/{}), recall {:.2} ({}/{}); within {NEAR_KM:.0} km {}",
            set.key,
            set.title,
            set.role,
            s.precision(),
            s.within_correct,
            s.hinted,
            s.recall(),
            s.within_correct,
            s.names,
            s.within_near,
        ));
        if summary_only {
            continue;
        }
        println!("## Set {}: {} ({})\n", set.key, set.title, set.role);
        println!(
            "names {}, with a hint {}, hint within {CORRECT_KM:.0} km {} (within {NEAR_KM:.0} km {}), a right city among all candidates {}",
            s.names, s.hinted, s.within_correct, s.within_near, s.any_candidate_correct
        );
        println!(
            "precision {:.2} ({}/{}), recall {:.2} ({}/{})\n",
            s.precision(),
            s.within_correct,
            s.hinted,
            s.recall(),
            s.within_correct,
            s.names
        );
        let wrong: Vec<&Judged> = judged
            .iter()
            .filter(|j| j.km.is_some_and(|km| km > CORRECT_KM))
            .collect();
        println!("wrong hints ({}):\n", wrong.len());
        println!("| name | hinted city | true city (exchange) | km |");
        println!("|---|---|---|---:|");
        for j in wrong {
            println!(
                "| {} | {} | {} ({}) | {:.0} |",
                j.truth.hostname,
                hint_text(j.hint.as_ref()),
                j.truth.city,
                j.truth.exchange,
                j.km.unwrap_or(f64::NAN)
            );
        }
        println!();
        if misses {
            println!("names without a hint:\n");
            for j in judged.iter().filter(|j| j.hint.is_none()) {
                println!("- {} ({})", j.truth.hostname, j.truth.city);
            }
            println!();
        }
    }

    let hops = recorded_hops();
    let proximate: Vec<_> = hops.iter().filter(|h| h.proximate()).collect();
    let off_given = hops.iter().filter(|h| h.veto_off().is_some()).count();
    let on_given = hops.iter().filter(|h| h.veto_on().is_some()).count();
    let proximate_right = |veto: bool| {
        proximate
            .iter()
            .filter(|h| {
                let hint = if veto { h.veto_on() } else { h.veto_off() };
                hint.is_some_and(|hint| h.correct(hint) == Some(true))
            })
            .count()
    };
    summaries.push(format!(
        "hints: set C (named hops of the recorded traceroutes, veto demonstration): {} hops, hints veto off {} / on {}; {} hops within {PROXIMATE_RTT_MS} ms of their probe, right veto off {} / on {}",
        hops.len(),
        off_given,
        on_given,
        proximate.len(),
        proximate_right(false),
        proximate_right(true),
    ));
    if !summary_only {
        println!(
            "## Set C: named hops of the recorded traceroutes, with the physics veto off and on\n"
        );
        println!(
            "hops {}; with a hint: veto off {}, veto on {}; within {PROXIMATE_RTT_MS} ms of the probe (truth: the probe's position) {}, right veto off {}, veto on {}\n",
            hops.len(),
            off_given,
            on_given,
            proximate.len(),
            proximate_right(false),
            proximate_right(true)
        );
        println!("| source | probe | name | RTT min ms | hint, veto off | veto on |");
        println!("|---|---:|---|---:|---|---|");
        for h in &hops {
            let status = match h.veto_off() {
                None => "-".to_string(),
                Some(best) if best.is_accepted() => "accepted".to_string(),
                Some(_) => format!("rejected; shown: {}", hint_text(h.veto_on())),
            };
            println!(
                "| {} | {} | {} | {:.1} | {} | {} |",
                h.source,
                h.prb_id,
                h.hostname,
                h.rtt_min_ms,
                hint_text(h.veto_off()),
                status
            );
        }
        println!();
    }
    for line in summaries {
        println!("{line}");
    }
}
