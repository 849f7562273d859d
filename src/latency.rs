//! Latency per probe and per continent, derived from parsed Atlas results and probe metadata.
//!
//! This is where a measurement becomes the figures a reader sees: one row per probe (where it is, what it
//! sent and received, its RTTs) and a summary per continent of the per-probe *minimum* RTTs. It never
//! fetches, stores or draws anything.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::atlas::{AtlasResult, Diagnostic, LatencySample, parse_results};
use crate::geo::{Continent, continent_of};
use crate::model::Probe;
use crate::stats;

/// One probe's latency to the target, over all of its results in the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbeLatency {
    pub prb_id: u64,
    pub country_code: Option<String>,
    pub continent: Option<Continent>,
    pub asn: Option<u64>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// How many results (measurement rounds) this probe contributed.
    pub results: usize,
    pub sent: u64,
    pub received: u64,
    pub rtt_min_ms: Option<f64>,
    /// For one result, that result's median; for several, the median of their medians (each round is
    /// one observation, so a probe with many rounds does not outweigh itself).
    pub rtt_median_ms: Option<f64>,
    pub rtt_max_ms: Option<f64>,
}

impl ProbeLatency {
    /// Fraction of packets that got no reply, or None when nothing was sent.
    pub fn loss(&self) -> Option<f64> {
        (self.sent > 0).then(|| 1.0 - (self.received.min(self.sent) as f64 / self.sent as f64))
    }

    pub fn responded(&self) -> bool {
        self.rtt_min_ms.is_some()
    }

    pub fn has_location(&self) -> bool {
        self.latitude.is_some() && self.longitude.is_some()
    }
}

/// Which probes a summary row covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Continent(Continent),
    /// Probes whose country is missing or not an ISO 3166 code.
    UnknownContinent,
    All,
}

impl Group {
    pub fn label(&self) -> &'static str {
        match self {
            Group::Continent(continent) => continent.name(),
            Group::UnknownContinent => "Unknown location",
            Group::All => "All probes",
        }
    }
}

/// The distribution of per-probe minimum RTTs for a group of probes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub group: Group,
    pub probes: usize,
    pub responding: usize,
    pub rtt_min_ms: Option<f64>,
    pub rtt_p10_ms: Option<f64>,
    pub rtt_median_ms: Option<f64>,
    pub rtt_p90_ms: Option<f64>,
    /// Packets lost over packets sent, pooled over the group's probes.
    pub loss: Option<f64>,
}

/// Joins latency samples with probe metadata: one row per probe, sorted by probe ID.
pub fn per_probe(samples: &[LatencySample], probes: &[Probe]) -> Vec<ProbeLatency> {
    let metadata: BTreeMap<u64, &Probe> = probes.iter().map(|probe| (probe.id, probe)).collect();
    let mut by_probe: BTreeMap<u64, Vec<&LatencySample>> = BTreeMap::new();
    for sample in samples {
        by_probe.entry(sample.prb_id).or_default().push(sample);
    }
    by_probe
        .into_iter()
        .map(|(prb_id, samples)| {
            let probe = metadata.get(&prb_id);
            let country_code = probe
                .and_then(|probe| probe.country_code.clone())
                .filter(|code| !code.trim().is_empty());
            let mins: Vec<f64> = samples.iter().filter_map(|s| s.rtt_min_ms).collect();
            let medians: Vec<f64> = samples.iter().filter_map(|s| s.rtt_median_ms).collect();
            let maxes: Vec<f64> = samples.iter().filter_map(|s| s.rtt_max_ms).collect();
            ProbeLatency {
                prb_id,
                continent: country_code.as_deref().and_then(continent_of),
                country_code,
                asn: probe
                    .and_then(|probe| probe.asn_v4.or(probe.asn_v6))
                    .map(u64::from),
                latitude: probe.and_then(|probe| probe.latitude),
                longitude: probe.and_then(|probe| probe.longitude),
                results: samples.len(),
                sent: samples.iter().map(|s| u64::from(s.sent)).sum(),
                received: samples.iter().map(|s| u64::from(s.received)).sum(),
                rtt_min_ms: stats::min(&mins),
                rtt_median_ms: stats::median(&medians),
                rtt_max_ms: stats::max(&maxes),
            }
        })
        .collect()
}

fn summarise(group: Group, rows: &[&ProbeLatency]) -> GroupSummary {
    let minimums: Vec<f64> = rows.iter().filter_map(|row| row.rtt_min_ms).collect();
    let sent: u64 = rows.iter().map(|row| row.sent).sum();
    let received: u64 = rows.iter().map(|row| row.received.min(row.sent)).sum();
    GroupSummary {
        group,
        probes: rows.len(),
        responding: minimums.len(),
        rtt_min_ms: stats::min(&minimums),
        rtt_p10_ms: stats::quantile(&minimums, 0.1),
        rtt_median_ms: stats::median(&minimums),
        rtt_p90_ms: stats::quantile(&minimums, 0.9),
        loss: (sent > 0).then(|| 1.0 - received as f64 / sent as f64),
    }
}

/// One summary per continent that has probes (in `Continent::ALL` order), then probes of unknown
/// location, then all probes together.
pub fn by_continent(rows: &[ProbeLatency]) -> Vec<GroupSummary> {
    let mut summaries = Vec::new();
    for continent in Continent::ALL {
        let members: Vec<&ProbeLatency> = rows
            .iter()
            .filter(|row| row.continent == Some(continent))
            .collect();
        if !members.is_empty() {
            summaries.push(summarise(Group::Continent(continent), &members));
        }
    }
    let unknown: Vec<&ProbeLatency> = rows.iter().filter(|row| row.continent.is_none()).collect();
    if !unknown.is_empty() {
        summaries.push(summarise(Group::UnknownContinent, &unknown));
    }
    let all: Vec<&ProbeLatency> = rows.iter().collect();
    summaries.push(summarise(Group::All, &all));
    summaries
}

/// Everything a latency cell shows, derived from its snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyAnalysis {
    /// The measurement types present ("ping", "traceroute").
    pub kinds: Vec<&'static str>,
    pub msm_ids: Vec<u64>,
    /// Target names or addresses as the results state them.
    pub targets: Vec<String>,
    pub first_timestamp: Option<i64>,
    pub last_timestamp: Option<i64>,
    pub result_count: usize,
    pub probes: Vec<ProbeLatency>,
    pub groups: Vec<GroupSummary>,
    pub diagnostics: Vec<Diagnostic>,
    /// Probes in the results that the metadata does not place on the map.
    pub unplaced_probes: Vec<u64>,
}

/// Parses a results body and derives the latency view from it (all targets together).
pub fn analyse(results_text: &str, probes: &[Probe]) -> LatencyAnalysis {
    let parsed = parse_results(results_text);
    let results: Vec<&AtlasResult> = parsed.results.iter().collect();
    analysis_of(&results, parsed.diagnostics, probes)
}

/// One analysis per target the results measure ("telegram.org", "149.154.167.99"), in the order of
/// their names: RTTs to two different targets say nothing about either together, so anything
/// inferred from latencies is inferred per target. Results naming no target form one group named
/// "(no target)". The input's diagnostics go with the first target.
pub fn analyse_per_target(results_text: &str, probes: &[Probe]) -> Vec<(String, LatencyAnalysis)> {
    let parsed = parse_results(results_text);
    let mut by_target: BTreeMap<String, Vec<&AtlasResult>> = BTreeMap::new();
    for result in &parsed.results {
        let target = result.target().unwrap_or_else(|| "(no target)".to_string());
        by_target.entry(target).or_default().push(result);
    }
    let mut diagnostics = Some(parsed.diagnostics);
    by_target
        .into_iter()
        .map(|(target, results)| {
            let analysis = analysis_of(&results, diagnostics.take().unwrap_or_default(), probes);
            (target, analysis)
        })
        .collect()
}

fn analysis_of(
    results: &[&AtlasResult],
    diagnostics: Vec<Diagnostic>,
    probes: &[Probe],
) -> LatencyAnalysis {
    let samples: Vec<LatencySample> = results.iter().map(|r| r.latency()).collect();
    let rows = per_probe(&samples, probes);
    let mut kinds: Vec<&'static str> = results.iter().map(|r| r.kind()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut msm_ids: Vec<u64> = results.iter().map(|r| r.msm_id()).collect();
    msm_ids.sort_unstable();
    msm_ids.dedup();
    let mut targets: Vec<String> = results.iter().filter_map(|r| r.target()).collect();
    targets.sort();
    targets.dedup();
    let timestamps: Vec<i64> = results.iter().map(|r| r.timestamp()).collect();
    let unplaced_probes = rows
        .iter()
        .filter(|row| !row.has_location())
        .map(|row| row.prb_id)
        .collect();
    LatencyAnalysis {
        kinds,
        msm_ids,
        targets,
        first_timestamp: timestamps.iter().min().copied(),
        last_timestamp: timestamps.iter().max().copied(),
        result_count: results.len(),
        groups: by_continent(&rows),
        probes: rows,
        diagnostics,
        unplaced_probes,
    }
}

impl LatencyAnalysis {
    /// Whether the RTTs are the way to the target, which only ping and traceroute results measure (a
    /// DNS response time is the way to the probe's resolver): the condition for inferring anything
    /// about where the target is.
    pub fn measures_the_way_to_the_target(&self) -> bool {
        !self.kinds.is_empty()
            && self
                .kinds
                .iter()
                .all(|kind| matches!(*kind, "ping" | "traceroute"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;

    const PING: &str = include_str!("../tests/fixtures/atlas/ping_latest_msm3359986.json");
    const PING_PROBES: &str = include_str!("../tests/fixtures/atlas/probes_page_msm3359986.json");
    const TRACE: &str = include_str!("../tests/fixtures/atlas/traceroute_latest_msm1033154.json");
    const TRACE_PROBES: &str = include_str!("../tests/fixtures/atlas/probes_page_msm1033154.json");

    /// Expected figures computed independently from the fixture with a few lines of Python
    /// (min over each probe's `result[].rtt`): the five probes of msm 3359986 and their countries.
    #[test]
    fn ping_3359986_joins_all_five_probes_in_europe() {
        let analysis = analyse(PING, &parse_probes_page(PING_PROBES).probes);
        assert_eq!(analysis.kinds, vec!["ping"]);
        assert_eq!(analysis.msm_ids, vec![3_359_986]);
        assert_eq!(analysis.probes.len(), 5);
        assert!(analysis.unplaced_probes.is_empty());
        let europe = &analysis.groups[0];
        assert_eq!(europe.group, Group::Continent(Continent::Europe));
        assert_eq!(europe.probes, 5);
        let probe_3183 = analysis.probes.iter().find(|p| p.prb_id == 3183).unwrap();
        assert_eq!(probe_3183.country_code.as_deref(), Some("DE"));
        assert_eq!(probe_3183.rtt_min_ms, Some(34.22132));
        assert_eq!(probe_3183.sent, 3);
        assert_eq!(probe_3183.received, 3);
        assert_eq!(analysis.groups.last().unwrap().group, Group::All);
    }

    #[test]
    fn traceroute_1033154_places_87_probes_on_three_continents() {
        let analysis = analyse(TRACE, &parse_probes_page(TRACE_PROBES).probes);
        assert_eq!(analysis.kinds, vec!["traceroute"]);
        assert_eq!(analysis.probes.len(), 87);
        let groups: Vec<Group> = analysis.groups.iter().map(|g| g.group).collect();
        assert_eq!(
            groups,
            vec![
                Group::Continent(Continent::Africa),
                Group::Continent(Continent::Asia),
                Group::Continent(Continent::Europe),
                Group::Continent(Continent::NorthAmerica),
                Group::All
            ]
        );
        let all = analysis.groups.last().unwrap();
        assert_eq!(all.probes, 87);
        assert!(
            all.responding < 87,
            "some probes never reached the destination"
        );
        // Every summary quantile lies within the group's range.
        for group in &analysis.groups {
            if let (Some(min), Some(p10), Some(median), Some(p90)) = (
                group.rtt_min_ms,
                group.rtt_p10_ms,
                group.rtt_median_ms,
                group.rtt_p90_ms,
            ) {
                assert!(min <= p10 && p10 <= median && median <= p90);
            }
        }
    }

    #[test]
    fn several_rounds_of_one_probe_become_one_row() {
        let sample = |min: f64, received: u32| LatencySample {
            prb_id: 7,
            sent: 3,
            received,
            rtt_min_ms: (received > 0).then_some(min),
            rtt_median_ms: (received > 0).then_some(min + 1.0),
            rtt_avg_ms: (received > 0).then_some(min + 1.0),
            rtt_max_ms: (received > 0).then_some(min + 2.0),
        };
        let rows = per_probe(&[sample(10.0, 3), sample(8.0, 1), sample(0.0, 0)], &[]);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.results, row.sent, row.received), (3, 9, 4));
        assert_eq!(row.rtt_min_ms, Some(8.0));
        assert_eq!(row.rtt_median_ms, Some(10.0));
        assert_eq!(row.rtt_max_ms, Some(12.0));
        assert!((row.loss().unwrap() - 5.0 / 9.0).abs() < 1e-12);
        assert!(!row.has_location());
        assert_eq!(by_continent(&rows)[0].group, Group::UnknownContinent);
    }

    #[test]
    fn empty_input_gives_an_all_row_with_no_figures() {
        let analysis = analyse("[]", &[]);
        assert_eq!(analysis.groups.len(), 1);
        assert_eq!(analysis.groups[0].probes, 0);
        assert_eq!(analysis.groups[0].rtt_median_ms, None);
        assert_eq!(analysis.groups[0].loss, None);
    }
}
