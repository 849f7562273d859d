//! The built-in example notebook a first visit opens: two real RIPE Atlas measurements recorded in
//! `tests/fixtures/atlas/` (origins in `tests/fixtures/SOURCES.md`), with narrative on how to read them.
//! It needs no network. It owns only the text and the choice of recordings; all figures the reader sees
//! are derived from the data like any other cell.

use std::rc::Rc;

use super::{
    AtlasCell, AtlasRequest, AtlasSnapshot, Cell, CellBody, CellId, InferenceChoices, Notebook,
    ObservationsCell, SnapshotSource, TableSnapshot,
};
use crate::atlas::probes::parse_probes_page;

// The recordings, minified by build.rs (same data; probe fields the app never reads are dropped).
const TRACEROUTE_RESULTS: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/traceroute_latest_msm1033154.json"
));
const TRACEROUTE_PROBES: &str =
    include_str!(concat!(env!("OUT_DIR"), "/probes_page_msm1033154.json"));
const PING_RESULTS: &str = include_str!(concat!(env!("OUT_DIR"), "/ping_latest_msm3359986.json"));
const PING_PROBES: &str = include_str!(concat!(env!("OUT_DIR"), "/probes_page_msm3359986.json"));
/// iGreedy's K-root data set: minimum RTTs from 338 PlanetLab nodes, with the site each node reached
/// (the `gt` column, which the table reader ignores); origin in `tests/fixtures/anycast/README.md`.
const K_ROOT_TABLE: &str = include_str!("../../tests/fixtures/anycast/k-planetlab.tsv");

/// 2013-10-15T08:16:41Z, the creation time of measurement 1033154 in its metadata.
const TRACEROUTE_RECORDED_UNIX_MS: i64 = 1_381_825_001_000;
/// 2025-08-07, the commit that published the K-root data set in the MiGreedy repository (the
/// measurements themselves are from the iGreedy campaigns of 2015).
const K_ROOT_PUBLISHED_UNIX_MS: i64 = 1_754_524_800_000;
/// 2016-01-20T02:22:25Z, the creation time of measurement 3359986.
const PING_RECORDED_UNIX_MS: i64 = 1_453_256_545_000;

const INTRO: &str = "\
# Where is Wikipedia's Amsterdam site? A worked example

This notebook is built from **real RIPE Atlas measurements** recorded in the app, so it works offline. \
Read it top to bottom, then make your own: every cell can be edited, moved or deleted, and *Share* turns \
the whole notebook, data included, into one link. *Investigate…* lays out a new investigation of any \
host, every step filled in and waiting for *Run*.

**The question.** On 15 October 2013 RIPE Atlas measurement [1033154](https://atlas.ripe.net/measurements/1033154/) \
traced the path from 87 probes to `wikipedia-lb.esams.wikimedia.org` (91.198.174.225). The name says \
*esams*: Wikimedia's data centre in Amsterdam. If the address is really served from one place, the \
round-trip time (RTT) should grow with each probe's distance from Amsterdam.";

const READING_THE_MAP: &str = "\
## How to read the cell above

- **The map** places each probe at its registered location, coloured by the *lowest* RTT it saw to the \
target: the lowest sample is the one least inflated by queues, so it is the best witness of distance. \
Hover or tap a dot for the probe's ID, country, network (ASN) and RTT. Grey crosses are probes whose \
traceroute never got an answer from the destination.
- **The continent table** summarises the per-probe minimum RTTs: how many probes, how many got answers, \
and the spread (10th percentile, median, 90th percentile).
- **The probe table** lists every probe; click a column heading to sort.
- **What the latencies prove** turns the RTTs into a verdict. Each probe's minimum RTT draws a disc \
around it: the farthest away the server can be. The app intersects the discs and says *one site* (with \
the region where it can be, shaded on the map), *several sites* (when some discs cannot overlap), or \
that the data cannot decide. Here: one site, in a region a few hundred km across around Amsterdam, with \
probe 4484 set aside (see below). *Evidence* lists the probes that shape the region; *Assumptions* \
says what the verdict takes for granted and what would prove it wrong.
- **Diagnostics** list results that are not latency data, such as probes that could not resolve the \
name, instead of silently dropping them.

Light travels through optical fibre at about 200 km per millisecond, so an RTT of *r* ms bounds the \
distance to the server at roughly *r* × 100 km. Probes in the Netherlands seeing a few milliseconds while \
probes further away see tens is the signature of a single site in Amsterdam.

**Check the evidence, not just the dots.** Only 39 of the 87 probes got an answer from the destination \
itself: the others' traceroutes stopped at a router or firewall on the way, which says nothing about \
latency. And one dot is impossible: probe 4484 is registered in Addis Ababa, yet its fastest reply took \
24.7 ms. Addis Ababa is about 5,700 km from Amsterdam, so light in fibre needs at least 57 ms for the \
round trip. Its network, AS6830, is a European cable operator: the probe's registered location is wrong. \
Probe locations are entered by their hosts; when a dot breaks the speed of light, trust the physics.";

const PING_NOTE: &str = "\
## A second, smaller example: a ping measurement

Measurement [3359986](https://atlas.ripe.net/measurements/3359986/) is an Atlas self-test from January \
2016: five probes pinged the RIPE Atlas anchor in Vienna (`at-vie-as1853`), three packets each. \
Four probes are in Germany and one in the United Kingdom; their RTTs are what tens of milliseconds \
across Europe look like.";

const K_ROOT_NOTE: &str = "\
## A third example: is K-root anycast?

K-root, one of the thirteen DNS root name servers, is operated by the RIPE NCC. The table below is a \
public research data set published with the iGreedy anycast studies (Cicalese et al., INFOCOM 2015 and \
IEEE JSAC 2016): the minimum RTT from 338 PlanetLab nodes to K-root's address. Two nodes that both \
answer within a millisecond, one in Tokyo and one in Athens, cannot have reached the same machine: \
their discs do not overlap. The app counts such mutually exclusive discs and proves **at least 7 \
sites**. With those placed in their cities, **two more** appear: nodes that answer within a few ms \
and whose discs hold none of the seven, each seen from one place only. One more node suggests a site \
that rests on its location alone; it is shown as possible, not counted.

Each site is drawn at the most likely large city inside its proving disc. The disc is the evidence; \
the city is a guess. In this data set every node is also labelled with the site that really answered \
it (the `gt` column, which the app ignores), naming 11 sites: the app finds 9 and invents none, \
though the Miami site, whose nearest node is in Atlanta at 29 ms, is drawn at a wrong large city.";

const YOUR_TURN: &str = "\
## Your turn

Add a cell below (**+ Atlas measurement**) and paste a measurement ID or URL from \
[atlas.ripe.net](https://atlas.ripe.net/measurements/), or import a results file you downloaded. \
Write what you see in a note, then press **Share**.";

fn recording(
    results: &str,
    probes: &str,
    msm_id: u64,
    citation: &str,
    recorded_unix_ms: i64,
) -> Rc<AtlasSnapshot> {
    let results_text = results.to_string();
    Rc::new(AtlasSnapshot {
        source: SnapshotSource::Recording {
            citation: format!("RIPE Atlas measurement {msm_id}: {citation}"),
        },
        fetched_at_unix_ms: recorded_unix_ms,
        results_text,
        probes: parse_probes_page(probes).probes,
        fetch_notes: Vec::new(),
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    })
}

fn markdown(id: u64, source: &str) -> Cell {
    Cell {
        id: CellId(id),
        body: CellBody::Markdown {
            source: source.to_string(),
        },
    }
}

fn atlas(id: u64, msm_id: u64, snapshot: Rc<AtlasSnapshot>) -> Cell {
    Cell {
        id: CellId(id),
        body: CellBody::Atlas(AtlasCell {
            request: AtlasRequest {
                measurement: msm_id.to_string(),
                start: String::new(),
                stop: String::new(),
            },
            snapshot: Some(snapshot),
            inference: InferenceChoices::default(),
        }),
    }
}

/// The example notebook. Built on demand (it parses the recorded probe pages) rather than stored.
pub fn demo_notebook() -> Notebook {
    Notebook {
        title: "Worked example: Wikipedia's Amsterdam site seen from 87 RIPE Atlas probes"
            .to_string(),
        cells: vec![
            markdown(1, INTRO),
            atlas(
                2,
                1_033_154,
                recording(
                    TRACEROUTE_RESULTS,
                    TRACEROUTE_PROBES,
                    1_033_154,
                    "latest results and probe metadata as downloaded in 2016 and published in the test data \
                     of pierky/ripe-atlas-monitor (commit 51c117c)",
                    TRACEROUTE_RECORDED_UNIX_MS,
                ),
            ),
            markdown(3, READING_THE_MAP),
            markdown(4, PING_NOTE),
            atlas(
                5,
                3_359_986,
                recording(
                    PING_RESULTS,
                    PING_PROBES,
                    3_359_986,
                    "latest results and probe metadata as published in the test data of \
                     pierky/ripe-atlas-monitor (commit 51c117c)",
                    PING_RECORDED_UNIX_MS,
                ),
            ),
            markdown(6, K_ROOT_NOTE),
            Cell {
                id: CellId(7),
                body: CellBody::Observations(ObservationsCell {
                    snapshot: Some(Rc::new(TableSnapshot {
                        source: SnapshotSource::Recording {
                            citation:
                                "iGreedy's K-root PlanetLab data set (rhendriks/MiGreedy, commit \
                                       6c044d8, datasets/measurement+gt/k-planetlab)"
                                    .to_string(),
                        },
                        fetched_at_unix_ms: K_ROOT_PUBLISHED_UNIX_MS,
                        text: K_ROOT_TABLE.to_string(),
                    })),
                    inference: InferenceChoices::default(),
                }),
            },
            markdown(8, YOUR_TURN),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recordings_carry_every_probe_they_mention() {
        let demo = demo_notebook();
        let snapshots: Vec<_> = demo
            .cells
            .iter()
            .filter_map(|cell| match &cell.body {
                CellBody::Atlas(atlas) => atlas.snapshot.clone(),
                CellBody::Markdown { .. }
                | CellBody::Observations(_)
                | CellBody::Dns(_)
                | CellBody::Routing(_)
                | CellBody::Measure(_) => None,
            })
            .collect();
        assert_eq!(snapshots.len(), 2);
        assert_eq!(snapshots[0].probes.len(), 87);
        assert_eq!(snapshots[1].probes.len(), 5);
    }

    /// The K-root narrative states the verdict and the data set's own count of sites.
    #[test]
    fn the_k_root_narrative_matches_its_data() {
        let demo = demo_notebook();
        let CellBody::Markdown { source: narrative } = &demo.cells[5].body else {
            panic!("cell 6 is the K-root note");
        };
        let CellBody::Observations(table) = &demo.cells[6].body else {
            panic!("cell 7 is the K-root table");
        };
        let text = &table.snapshot.as_ref().unwrap().text;
        let (observations, diagnostics) = crate::infer::parse_observation_table(text);
        assert_eq!((observations.len(), diagnostics.len()), (338, 0));
        let inference = crate::infer::infer(&observations, &table.inference.assumptions());
        assert_eq!(
            inference.verdict,
            crate::infer::Verdict::Anycast { sites: 9 }
        );
        let one_place = inference
            .sites
            .iter()
            .filter(|site| site.seen_from_one_place)
            .count();
        assert_eq!(one_place, 2);
        assert_eq!(inference.evidence.uncorroborated_sites.len(), 1);
        let labels: std::collections::BTreeSet<&str> = text
            .lines()
            .skip(1)
            .filter_map(|line| line.split('\t').nth(3))
            .collect();
        assert_eq!(labels.len(), 11);
        assert!(narrative.contains("338 PlanetLab nodes"));
        assert!(narrative.contains("proves **at least 7 sites**"));
        assert!(narrative.contains("**two more** appear"));
        assert!(narrative.contains("naming 11 sites: the app finds 9"));
    }

    /// The narrative states figures; they must stay true of the data it ships with.
    #[test]
    fn the_narrative_figures_match_the_data() {
        let demo = demo_notebook();
        let CellBody::Atlas(atlas) = &demo.cells[1].body else {
            panic!("cell 2 is the traceroute");
        };
        let snapshot = atlas.snapshot.as_ref().unwrap();
        let analysis = crate::latency::analyse(&snapshot.results_text, &snapshot.probes);
        assert_eq!(analysis.probes.len(), 87);
        assert_eq!(analysis.probes.iter().filter(|p| p.responded()).count(), 39);
        let ethiopia = analysis.probes.iter().find(|p| p.prb_id == 4484).unwrap();
        assert_eq!(ethiopia.country_code.as_deref(), Some("ET"));
        assert_eq!(ethiopia.asn, Some(6830));
        assert_eq!(crate::format::ms(ethiopia.rtt_min_ms), "24.7");
        // Amsterdam 52.37 N 4.90 E; light in fibre covers about 200 km per ms (2/3 of c).
        let distance_km = crate::geo::haversine_km(
            ethiopia.latitude.unwrap(),
            ethiopia.longitude.unwrap(),
            52.37,
            4.90,
        );
        assert!((5_600.0..5_800.0).contains(&distance_km), "{distance_km}");
        assert!(2.0 * distance_km / 200.0 > 57.0);
        let narrative = match &demo.cells[2].body {
            CellBody::Markdown { source } => source.clone(),
            CellBody::Atlas(_)
            | CellBody::Observations(_)
            | CellBody::Dns(_)
            | CellBody::Routing(_)
            | CellBody::Measure(_) => String::new(),
        };
        // The narrative's reading of the inference: one site near Amsterdam, probe 4484 set aside.
        let (observations, _) = crate::infer::observations_from_latency(&analysis.probes);
        let inference = crate::infer::infer(&observations, &atlas.inference.assumptions());
        assert_eq!(inference.verdict, crate::infer::Verdict::OneSite);
        assert_eq!(inference.sites[0].city.as_deref(), Some("Amsterdam"));
        assert_eq!(inference.evidence.set_aside[0].id, "4484");
        let across_km = inference.evidence.region.as_ref().unwrap().across_km;
        assert!((100.0..1_000.0).contains(&across_km), "{across_km}");
        assert!(narrative.contains("a few hundred km across around Amsterdam"));
        assert!(
            narrative.contains("39 of the 87")
                && narrative.contains("24.7 ms")
                && narrative.contains("57 ms")
        );
    }
}
