//! What a latency snapshot's map (and a pasted latency table's) shows, derived in the core so the cell, the exports and the tests
//! draw the same map: a marker per placed probe (coloured by its minimum RTT), where the target can be
//! (the region or the sites the inference found) when the results measure one target, and the paths
//! of traceroutes that have a located hop. Pure: no drawing, no browser.

use crate::chart::map::{MapContent, MapMarker, MapOverlay};
use crate::infer::{Inference, Observation, TargetInference, Verdict};
use crate::latency::LatencyAnalysis;
use crate::paths::map::{PointRole, TargetLocation, map_paths};
use crate::paths::trace::ProbePath;

/// The markers of the probes that have a position, in the order of `analysis.probes` (the order
/// their tooltips are made in).
pub fn probe_markers(analysis: &LatencyAnalysis) -> Vec<MapMarker> {
    analysis
        .probes
        .iter()
        .filter_map(|probe| {
            Some(MapMarker {
                longitude: probe.longitude?,
                latitude: probe.latitude?,
                rtt_ms: probe.rtt_min_ms,
            })
        })
        .collect()
}

/// The map of a latency snapshot: `inferences` as `infer::infer_per_target` gives them (a region or
/// sites only when there is exactly one target: two targets' regions on one map would read as one),
/// and `paths` of its traceroutes, if any.
pub fn latency_map(
    analysis: &LatencyAnalysis,
    inferences: &[TargetInference],
    paths: Option<&[ProbePath]>,
) -> MapContent {
    let single = match inferences {
        [only] => Some(only.inference.as_ref()),
        _ => None,
    };
    let mut overlay = single.map_or_else(MapOverlay::default, MapOverlay::of_inference);
    if let Some(paths) = paths {
        // The target's place is the inference's one site, when it found one.
        let target = match single.map(|inference| (inference.verdict, inference.sites.first())) {
            Some((Verdict::OneSite, Some(site))) => Some(TargetLocation {
                lat: site.lat,
                lon: site.lon,
                label: site
                    .city
                    .clone()
                    .unwrap_or_else(|| "the target".to_string()),
            }),
            _ => None,
        };
        // Only paths with a located hop: a bare probe-to-target line says nothing the markers do not.
        overlay.paths = map_paths(paths, target.as_ref())
            .into_iter()
            .filter(|path| path.points.iter().any(|point| point.role == PointRole::Hop))
            .map(|path| {
                path.points
                    .iter()
                    .map(|point| (point.lon, point.lat))
                    .collect()
            })
            .collect();
    }
    MapContent::Latency {
        markers: probe_markers(analysis),
        overlay,
    }
}

/// The map of a pasted latency table: a marker per observation (coloured by its RTT) and where the
/// inference puts the target. The table cell draws it and the exports use it.
pub fn table_map(observations: &[Observation], inference: &Inference) -> MapContent {
    MapContent::Latency {
        markers: observations
            .iter()
            .map(|observation| MapMarker {
                longitude: observation.longitude,
                latitude: observation.latitude,
                rtt_ms: Some(observation.rtt_min_ms),
            })
            .collect(),
        overlay: MapOverlay::of_inference(inference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;
    use crate::infer::{Assumptions, infer_per_target};
    use crate::latency::analyse;

    const TRACE: &str =
        include_str!("../../tests/fixtures/atlas/traceroute_latest_msm1033154.json");
    const TRACE_PROBES: &str =
        include_str!("../../tests/fixtures/atlas/probes_page_msm1033154.json");

    #[test]
    fn one_target_shows_its_region_and_several_show_none() {
        let probes = parse_probes_page(TRACE_PROBES).probes;
        let analysis = analyse(TRACE, &probes);
        let inferences = infer_per_target(&analysis, TRACE, &probes, &Assumptions::default());
        let MapContent::Latency { markers, overlay } = latency_map(&analysis, &inferences, None)
        else {
            panic!("a latency map");
        };
        assert_eq!(markers.len(), probe_markers(&analysis).len());
        assert_eq!(
            markers.len(),
            analysis.probes.len() - analysis.unplaced_probes.len()
        );
        assert_eq!(overlay, MapOverlay::of_inference(&inferences[0].inference));
        let two = [inferences[0].clone(), inferences[0].clone()];
        let MapContent::Latency { overlay, .. } = latency_map(&analysis, &two, None) else {
            panic!("a latency map");
        };
        assert_eq!(overlay, MapOverlay::default());
    }

    #[test]
    fn a_table_shows_every_observation_and_where_the_inference_puts_the_target() {
        let table = include_str!("../../tests/fixtures/anycast/k-planetlab.tsv");
        let (observations, _) = crate::infer::parse_observation_table(table);
        let inference = crate::infer::infer(&observations, &Assumptions::default());
        let MapContent::Latency { markers, overlay } = table_map(&observations, &inference) else {
            panic!("a latency map");
        };
        assert_eq!(markers.len(), 338);
        let first = &observations[0];
        assert_eq!(
            (markers[0].longitude, markers[0].latitude, markers[0].rtt_ms),
            (first.longitude, first.latitude, Some(first.rtt_min_ms))
        );
        assert_eq!(overlay, MapOverlay::of_inference(&inference));
    }
}
