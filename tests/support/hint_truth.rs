//! Scoring the router-name location hints (`paths::hints`) against the ground truth in
//! `tests/fixtures/hints/`: shared by the `hints_ground_truth` integration test (which holds the
//! figures to a floor) and the `hint_eval` example (which prints them). It reads only committed
//! fixtures.
//!
//! Two independent sets, where the place is known without reading the name: router names of
//! addresses on IXP peering LANs, the truth being the exchange's city in PeeringDB (set A: IPv6
//! names from CAIDA's 2016 DNS names; set B: IPv4 names read in public traceroutes). A third, tiny
//! set is every named hop of the recorded traceroutes (`tests/fixtures/atlas`, `paths`, `globalping`),
//! which have probe positions and RTTs: the only one where the physics veto can act, and where a hop
//! answering within [`PROXIMATE_RTT_MS`] is known to be near its probe.
// Test support: a broken fixture should stop the run with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, dead_code)]

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use vantage::geo::haversine_km;
use vantage::infer::Assumptions;
use vantage::paths::hints::{LocationHint, best_accepted, candidates};
use vantage::paths::trace::{PathContext, probe_paths};

/// A hint counts as right when its city is within this distance of the true place: a city code names
/// a metropolitan area, and an exchange's city is where its main sites are.
pub const CORRECT_KM: f64 = 100.0;
/// A looser radius, reported beside the strict one (a neighbouring city, the same region).
pub const NEAR_KM: f64 = 500.0;
/// A hop whose minimum RTT is at most this is within `radius_km(rtt)` (200 km at 2/3 c) of its probe.
pub const PROXIMATE_RTT_MS: f64 = 2.0;

/// One ground-truth set of router names with known places.
pub struct TruthSet {
    pub key: &'static str,
    pub title: &'static str,
    pub file: &'static str,
    /// How the set is used: rule fixes were read on the tuning set; the held-out set only scores them.
    pub role: &'static str,
}

pub const SETS: [TruthSet; 2] = [
    TruthSet {
        key: "A",
        title: "IXP LAN IPv6 (CAIDA dns-names 2016-04-12 x PeeringDB 2016-10-19)",
        file: "ixp_lan_v6_caida2016.tsv",
        role: "held out",
    },
    TruthSet {
        key: "B",
        title: "IXP LAN IPv4 (names in public traceroutes x PeeringDB 2016-10-19)",
        file: "ixp_lan_v4_traceroutes.tsv",
        role: "tuning",
    },
];

/// A router name and where it is.
#[derive(Debug, Clone)]
pub struct Truth {
    pub address: String,
    pub hostname: String,
    pub exchange: String,
    pub city: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The rows of a set file (`#` lines are comments; columns as written by `derive_ixp_sets.py`).
pub fn load(set: &TruthSet) -> Vec<Truth> {
    let path = fixtures().join("hints").join(set.file);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert!(f.len() >= 9, "{}: short line {line:?}", set.file);
            Truth {
                address: f[0].to_string(),
                hostname: f[1].to_string(),
                exchange: f[3].to_string(),
                city: f[6].to_string(),
                country: f[5].to_string(),
                lat: f[7].parse().expect("lat"),
                lon: f[8].parse().expect("lon"),
            }
        })
        .collect()
}

/// What the engine said about one name.
#[derive(Debug, Clone)]
pub struct Judged {
    pub truth: Truth,
    /// The hint the hop table would show without an RTT check: the best candidate (highest score,
    /// the first of equals), as `best_accepted` picks among accepted hints.
    pub hint: Option<LocationHint>,
    /// Its distance to the true place.
    pub km: Option<f64>,
    /// Some candidate, not necessarily the best, is within [`CORRECT_KM`].
    pub any_candidate_correct: bool,
}

pub fn judge(names: &[Truth]) -> Vec<Judged> {
    names
        .iter()
        .map(|truth| {
            let all = candidates(&truth.hostname);
            let distance = |h: &LocationHint| haversine_km(h.lat, h.lon, truth.lat, truth.lon);
            let hint = all.first().cloned();
            Judged {
                km: hint.as_ref().map(distance),
                any_candidate_correct: all.iter().any(|h| distance(h) <= CORRECT_KM),
                hint,
                truth: truth.clone(),
            }
        })
        .collect()
}

/// Counts over a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    pub names: usize,
    pub hinted: usize,
    pub within_correct: usize,
    pub within_near: usize,
    pub any_candidate_correct: usize,
}

impl Score {
    /// Right hints over hints given (1 when none was given).
    pub fn precision(&self) -> f64 {
        if self.hinted == 0 {
            1.0
        } else {
            self.within_correct as f64 / self.hinted as f64
        }
    }

    /// Right hints over names.
    pub fn recall(&self) -> f64 {
        if self.names == 0 {
            0.0
        } else {
            self.within_correct as f64 / self.names as f64
        }
    }
}

pub fn score(judged: &[Judged]) -> Score {
    let within = |limit: f64| {
        judged
            .iter()
            .filter(|j| j.km.is_some_and(|km| km <= limit))
            .count()
    };
    Score {
        names: judged.len(),
        hinted: judged.iter().filter(|j| j.hint.is_some()).count(),
        within_correct: within(CORRECT_KM),
        within_near: within(NEAR_KM),
        any_candidate_correct: judged.iter().filter(|j| j.any_candidate_correct).count(),
    }
}

/// One named hop of a recorded traceroute, with its probe and RTT.
#[derive(Debug, Clone)]
pub struct RecordedHop {
    pub source: &'static str,
    pub prb_id: u64,
    pub probe: (f64, f64),
    pub address: String,
    pub hostname: String,
    pub rtt_min_ms: f64,
    /// Every candidate, each checked against the probe's position and this RTT.
    pub hints: Vec<LocationHint>,
}

impl RecordedHop {
    /// Without the veto: the best candidate, accepted or not.
    pub fn veto_off(&self) -> Option<&LocationHint> {
        self.hints.first()
    }

    /// With the veto: the best hint the speed of light allows.
    pub fn veto_on(&self) -> Option<&LocationHint> {
        best_accepted(&self.hints)
    }

    /// The hop answered fast enough to be placed by its probe alone.
    pub fn proximate(&self) -> bool {
        self.rtt_min_ms <= PROXIMATE_RTT_MS
    }

    /// For a proximate hop, whether a hint is within [`CORRECT_KM`] of the disc the RTT allows around
    /// the probe; `None` for a hop that is not proximate (no truth).
    pub fn correct(&self, hint: &LocationHint) -> Option<bool> {
        let radius = Assumptions::default().radius_km(self.rtt_min_ms);
        self.proximate().then(|| {
            haversine_km(hint.lat, hint.lon, self.probe.0, self.probe.1) <= radius + CORRECT_KM
        })
    }
}

fn read(relative: &str) -> String {
    let path = fixtures().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn named_hops(
    source: &'static str,
    traces_text: &str,
    probes: &[vantage::atlas::probes::Probe],
    names: HashMap<String, String>,
    out: &mut Vec<RecordedHop>,
) {
    let context = PathContext {
        names,
        ..PathContext::default()
    };
    let traces = vantage::atlas::traceroutes(traces_text);
    for path in probe_paths(&traces, probes, &context) {
        let (Some(lat), Some(lon)) = (path.probe_lat, path.probe_lon) else {
            continue;
        };
        for hop in &path.hops {
            let (Some(address), Some(hostname), Some(rtt)) =
                (hop.addresses.first(), hop.name.as_ref(), hop.rtt_min_ms)
            else {
                continue;
            };
            if hop.is_destination {
                continue;
            }
            out.push(RecordedHop {
                source,
                prb_id: path.prb_id,
                probe: (lat, lon),
                address: address.clone(),
                hostname: hostname.clone(),
                rtt_min_ms: rtt,
                hints: hop.hints.clone(),
            });
        }
    }
}

/// Every named hop (not the destination) of the recorded traceroutes that have probe positions: RIPE
/// Atlas msm 1033154 with the names of `paths/names_msm1033154.json`, and the Globalping traceroute
/// and MTR examples with the names their probes resolved.
pub fn recorded_hops() -> Vec<RecordedHop> {
    let mut out = Vec::new();
    let names_json: serde_json::Value =
        serde_json::from_str(&read("paths/names_msm1033154.json")).expect("names JSON");
    let names = names_json["names"]
        .as_object()
        .expect("names object")
        .iter()
        .filter_map(|(a, n)| Some((a.clone(), n.as_str()?.to_string())))
        .collect();
    let probes =
        vantage::atlas::probes::parse_probes_page(&read("atlas/probes_page_msm1033154.json"));
    named_hops(
        "atlas msm1033154",
        &read("atlas/traceroute_latest_msm1033154.json"),
        &probes.probes,
        names,
        &mut out,
    );
    for (source, file) in [
        (
            "globalping traceroute",
            "globalping/get-traceroute-measurement-response.json",
        ),
        (
            "globalping mtr",
            "globalping/get-mtr-measurement-response.json",
        ),
    ] {
        let measurement =
            vantage::globalping::measurement::parse_measurement(&read(file)).expect(file);
        let form = vantage::globalping::adapt::atlas_form(&measurement);
        let names = form.hop_names.iter().cloned().collect();
        named_hops(source, &form.results_text, &form.probes, names, &mut out);
    }
    out
}
