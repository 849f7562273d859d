//! Scoring the inference against the anycast ground truth in `tests/fixtures/anycast/`: shared by the
//! `anycast` integration test (which asserts the invariants) and the `anycast_eval` example (which
//! prints the figures). It reads only the committed fixtures.
// Test support: a broken fixture should stop the run with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use vantage::geo::haversine_km;
use vantage::infer::{Assumptions, Observation, Verdict, infer, parse_observation_table};

/// The data sets, by the stem of their file names: iGreedy's PlanetLab sets (a few hundred nodes each)
/// and its RIPE Atlas sets of four root letters (about 6,000 probes each, the dense case).
pub const DATASETS: [&str; 10] = [
    "k-planetlab",
    "f-planetlab",
    "i-planetlab",
    "l-planetlab",
    "cloudflare-planetlab",
    "edgecast-planetlab",
    "f-ripe",
    "i-ripe",
    "k-ripe",
    "l-ripe",
];

/// A reported site counts as a true site when one not yet claimed lies within this distance (the one
/// its evidence probe reached first, else the nearest); a reported site with none that near is invented.
/// Placement errors of a few hundred km (a site put in the next large city) are errors, not inventions.
pub const MATCH_KM: f64 = 500.0;

/// A subset of one label is scored when it has at least this many vantages.
pub const SUBSET_MIN_VANTAGES: usize = 5;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/anycast/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Where a ground-truth label really is.
#[derive(Debug, Clone)]
pub struct TrueSite {
    pub city: String,
    pub lat: f64,
    pub lon: f64,
}

/// One data set: its observations, the ground-truth label of each, and where each label is.
pub struct Dataset {
    pub name: &'static str,
    pub observations: Vec<Observation>,
    /// Observation id → label (the id is the PlanetLab host name or the Atlas probe id).
    pub labels: BTreeMap<String, String>,
    pub sites: BTreeMap<String, TrueSite>,
}

pub fn load(name: &'static str) -> Dataset {
    let text = fixture(&format!("{name}.tsv"));
    let (observations, diagnostics) = parse_observation_table(&text);
    assert!(diagnostics.is_empty(), "{name}: {diagnostics:?}");
    let mut labels = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        labels
            .entry(fields[0].to_string())
            .or_insert_with(|| fields[3].to_string());
    }
    let mut sites = BTreeMap::new();
    for line in fixture("sites.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('\t').collect();
        // The PlanetLab sets' rows name them by their prefix alone ("k" for "k-planetlab").
        if fields[0] == name || format!("{}-planetlab", fields[0]) == name {
            sites.insert(
                fields[1].to_string(),
                TrueSite {
                    city: fields[2].to_string(),
                    lat: fields[3].parse().unwrap(),
                    lon: fields[4].parse().unwrap(),
                },
            );
        }
    }
    Dataset {
        name,
        observations,
        labels,
        sites,
    }
}

/// The figures for one whole data set.
#[derive(Debug)]
pub struct Evaluation {
    pub name: &'static str,
    pub observations: usize,
    pub true_sites: usize,
    pub verdict: Verdict,
    /// Sites the engine reports.
    pub reported: usize,
    /// Reported sites matched to a true site (see [`MATCH_KM`]): the recall's numerator.
    pub found: usize,
    /// Reported sites with no unclaimed true site within [`MATCH_KM`] whose evidence probe reached a
    /// site already claimed: a site counted twice, or one that is not there.
    pub invented: usize,
    /// Reported sites with no unclaimed true site within [`MATCH_KM`] whose evidence probe reached a
    /// site not otherwise claimed: a real site placed in the wrong city, more than [`MATCH_KM`] away
    /// (it counts in neither `found` nor `invented`).
    pub misplaced: usize,
    /// Per matched site: distance from its placed city to the true site it was matched to.
    pub errors_km: Vec<f64>,
    pub within_100_km: usize,
    /// The labels matched, in the engine's order (invented sites as `invented near <city>`).
    pub labels_found: Vec<String>,
    /// Possible further sites (each resting on one probe location, not counted).
    pub possible: usize,
    /// How many of those are real sites that the counted ones do not already cover (distinct labels).
    pub possible_real: usize,
}

impl Evaluation {
    pub fn recall(&self) -> f64 {
        self.found as f64 / self.true_sites.max(1) as f64
    }
}

pub fn median(values: &[f64]) -> Option<f64> {
    vantage::stats::median(values)
}

pub fn evaluate(dataset: &Dataset, assumptions: &Assumptions) -> Evaluation {
    let inference = infer(&dataset.observations, assumptions);
    let true_sites: BTreeSet<&String> = dataset.labels.values().collect();
    let distance = |label: &str, lat: f64, lon: f64| {
        let truth = dataset
            .sites
            .get(label)
            .unwrap_or_else(|| panic!("{}: no site for label {label}", dataset.name));
        haversine_km(lat, lon, truth.lat, truth.lon)
    };
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    let mut invented = 0;
    let mut misplaced = 0;
    let mut errors_km = Vec::new();
    let mut labels_found = Vec::new();
    for site in &inference.sites {
        let own = &dataset.labels[&site.evidence_id];
        let matched = if !claimed.contains(own) && distance(own, site.lat, site.lon) <= MATCH_KM {
            Some((own.clone(), distance(own, site.lat, site.lon)))
        } else {
            true_sites
                .iter()
                .filter(|label| !claimed.contains(label.as_str()))
                .map(|label| (label.to_string(), distance(label, site.lat, site.lon)))
                .filter(|(_, km)| *km <= MATCH_KM)
                .min_by(|a, b| a.1.total_cmp(&b.1))
        };
        match matched {
            Some((label, km)) => {
                claimed.insert(label.clone());
                labels_found.push(label);
                errors_km.push(km);
            }
            None if !claimed.contains(own) => {
                claimed.insert(own.clone());
                misplaced += 1;
                labels_found.push(format!(
                    "misplaced in {} (evidence {} of {own}, {:.0} km away)",
                    site.city.as_deref().unwrap_or("?"),
                    site.evidence_id,
                    distance(own, site.lat, site.lon)
                ));
            }
            None => {
                invented += 1;
                labels_found.push(format!(
                    "invented near {} (evidence {} of {own})",
                    site.city.as_deref().unwrap_or("?"),
                    site.evidence_id
                ));
            }
        }
    }
    let mut possible_real = 0;
    for site in &inference.evidence.uncorroborated_sites {
        if claimed.insert(dataset.labels[&site.evidence_id].clone()) {
            possible_real += 1;
        }
    }
    Evaluation {
        name: dataset.name,
        observations: dataset.observations.len(),
        true_sites: true_sites.len(),
        verdict: inference.verdict,
        reported: inference.sites.len(),
        found: errors_km.len(),
        invented,
        misplaced,
        within_100_km: errors_km.iter().filter(|&&km| km <= 100.0).count(),
        errors_km,
        labels_found,
        possible: inference.evidence.uncorroborated_sites.len(),
        possible_real,
    }
}

/// The engine run on the vantages of one label only: a real single-site case.
#[derive(Debug)]
pub struct SubsetResult {
    pub label: String,
    pub true_city: String,
    pub vantages: usize,
    pub verdict: Verdict,
    /// Distance from the reported site (one-site) or the region's centroid (inconclusive) to the truth.
    pub error_km: Option<f64>,
    pub across_km: Option<f64>,
    pub city: Option<String>,
    pub covers_truth: bool,
}

pub fn single_site_subsets(dataset: &Dataset, assumptions: &Assumptions) -> Vec<SubsetResult> {
    let mut by_label: BTreeMap<&str, Vec<Observation>> = BTreeMap::new();
    for observation in &dataset.observations {
        let label = dataset.labels[&observation.id].as_str();
        by_label.entry(label).or_default().push(observation.clone());
    }
    by_label
        .into_iter()
        .filter(|(_, members)| members.len() >= SUBSET_MIN_VANTAGES)
        .map(|(label, members)| {
            let truth = &dataset.sites[label];
            let inference = infer(&members, assumptions);
            let region = inference.evidence.region.as_ref();
            let place = inference
                .sites
                .first()
                .map(|site| (site.lat, site.lon))
                .or_else(|| region.map(|r| (r.centroid.lat, r.centroid.lon)));
            SubsetResult {
                label: label.to_string(),
                true_city: truth.city.clone(),
                vantages: members.len(),
                verdict: inference.verdict,
                error_km: place.map(|(lat, lon)| haversine_km(lat, lon, truth.lat, truth.lon)),
                across_km: region.map(|r| r.across_km),
                city: inference
                    .evidence
                    .likely_city
                    .as_ref()
                    .map(|l| l.city.name.to_string()),
                covers_truth: region.is_some_and(|r| r.covers(truth.lat, truth.lon)),
            }
        })
        .collect()
}
