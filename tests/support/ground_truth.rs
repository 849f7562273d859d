//! Scoring the inference against the anycast ground truth in `tests/fixtures/anycast/`: shared by the
//! `anycast` integration test (which asserts the invariants) and the `anycast_eval` example (which
//! prints the figures). It reads only the committed fixtures.
// Test support: a broken fixture should stop the run with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use vantage::geo::haversine_km;
use vantage::infer::{Assumptions, Observation, Verdict, infer, parse_observation_table};

/// The six data sets, by the prefix of their file names.
pub const DATASETS: [&str; 6] = ["k", "f", "i", "l", "cloudflare", "edgecast"];

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
    /// Observation id → label (the id is the PlanetLab host name).
    pub labels: BTreeMap<String, String>,
    pub sites: BTreeMap<String, TrueSite>,
}

pub fn load(name: &'static str) -> Dataset {
    let text = fixture(&format!("{name}-planetlab.tsv"));
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
        if fields[0] == name {
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
    pub found: usize,
    /// Found sites whose evidence probe reached a label that an earlier found site already claimed.
    pub invented: usize,
    /// Per found site: distance from its placed city to the true site of its evidence probe's label.
    pub errors_km: Vec<f64>,
    pub within_100_km: usize,
    pub labels_found: Vec<String>,
    /// Possible further sites (each resting on one probe location, not counted).
    pub possible: usize,
    /// How many of those are real sites that the counted ones do not already cover (distinct labels).
    pub possible_real: usize,
}

pub fn median(values: &[f64]) -> Option<f64> {
    vantage::stats::median(values)
}

pub fn evaluate(dataset: &Dataset, assumptions: &Assumptions) -> Evaluation {
    let inference = infer(&dataset.observations, assumptions);
    let mut claimed = BTreeSet::new();
    let mut invented = 0;
    let mut errors_km = Vec::new();
    let mut labels_found = Vec::new();
    for site in &inference.sites {
        let label = &dataset.labels[&site.evidence_id];
        if !claimed.insert(label.clone()) {
            invented += 1;
        }
        labels_found.push(label.clone());
        let truth = &dataset.sites[label];
        errors_km.push(haversine_km(site.lat, site.lon, truth.lat, truth.lon));
    }
    let mut possible_real = 0;
    for site in &inference.evidence.uncorroborated_sites {
        if claimed.insert(dataset.labels[&site.evidence_id].clone()) {
            possible_real += 1;
        }
    }
    let true_sites: BTreeSet<&String> = dataset.labels.values().collect();
    Evaluation {
        name: dataset.name,
        observations: dataset.observations.len(),
        true_sites: true_sites.len(),
        verdict: inference.verdict,
        found: inference.sites.len(),
        invented,
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
