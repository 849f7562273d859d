//! The paths for the map: per probe, one polyline from the probe through the accepted hint locations
//! of its hops, in hop order, to the target when the target's location is known (or hinted by the
//! destination's own name) and the traceroute reached it. Data only (latitudes and longitudes with
//! labels); drawing belongs to `chart` and the UI.
//!
//! Only accepted hints are used: a rejected hint would draw a line the speed of light forbids.

use serde::Serialize;

use super::hints::best_accepted;
use super::trace::ProbePath;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PointRole {
    Probe,
    Hop,
    Target,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    pub role: PointRole,
    /// "probe 3161", the hop's city, or the target's label.
    pub label: String,
    /// The hop number, for hop points.
    pub ttl: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapPath {
    pub prb_id: u64,
    pub points: Vec<MapPoint>,
    pub reaches_target: bool,
}

/// Where the target is, when known from elsewhere (e.g. the inference's one-site verdict).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetLocation {
    pub lat: f64,
    pub lon: f64,
    pub label: String,
}

/// One polyline per probe with a known position. Consecutive hops hinted to the same city collapse
/// into one point; a path with no accepted hint and no known target is just its probe.
pub fn map_paths(paths: &[ProbePath], target: Option<&TargetLocation>) -> Vec<MapPath> {
    paths
        .iter()
        .filter_map(|path| {
            let (lat, lon) = (path.probe_lat?, path.probe_lon?);
            let mut points = vec![MapPoint {
                lat,
                lon,
                role: PointRole::Probe,
                label: format!("probe {}", path.prb_id),
                ttl: None,
            }];
            let mut destination_hint = None;
            for row in &path.hops {
                let Some(hint) = best_accepted(&row.hints) else {
                    continue;
                };
                if row.is_destination {
                    destination_hint = Some(hint);
                    continue;
                }
                let same = points
                    .last()
                    .is_some_and(|p| p.role == PointRole::Hop && p.label == hint.city);
                if !same {
                    points.push(MapPoint {
                        lat: hint.lat,
                        lon: hint.lon,
                        role: PointRole::Hop,
                        label: hint.city.clone(),
                        ttl: Some(row.ttl),
                    });
                }
            }
            let end = target
                .map(|t| (t.lat, t.lon, t.label.clone()))
                .or_else(|| destination_hint.map(|h| (h.lat, h.lon, h.city.clone())));
            if path.destination_reached
                && let Some((lat, lon, label)) = end
            {
                points.push(MapPoint {
                    lat,
                    lon,
                    role: PointRole::Target,
                    label,
                    ttl: None,
                });
            }
            Some(MapPath {
                prb_id: path.prb_id,
                reaches_target: path.destination_reached,
                points,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::probes::parse_probes_page;
    use crate::paths::trace::probe_paths;
    use crate::paths::trace::tests::{MSM_1033154, PROBES_1033154, names_context, traces};

    #[test]
    fn polylines_run_probe_hints_target() {
        let probes = parse_probes_page(PROBES_1033154).probes;
        let paths = probe_paths(&traces(MSM_1033154), &probes, &names_context());
        let amsterdam = TargetLocation {
            lat: 52.37,
            lon: 4.89,
            label: "91.198.174.225".to_string(),
        };
        let lines = map_paths(&paths, Some(&amsterdam));
        // Every probe of the page has a position.
        assert_eq!(lines.len(), 87);
        // Probe 2748 (Frankfurt) passes Init7's Frankfurt router; its trace did not reach the target.
        let frankfurt = lines.iter().find(|l| l.prb_id == 2748).unwrap();
        let roles: Vec<PointRole> = frankfurt.points.iter().map(|p| p.role).collect();
        assert_eq!(roles[..2], [PointRole::Probe, PointRole::Hop]);
        assert_eq!(frankfurt.points[1].label, "Frankfurt am Main");
        assert_eq!(frankfurt.points[1].ttl, Some(4));
        // Probe 3161 reached the target and has no hinted hop: probe → target.
        let direct = lines.iter().find(|l| l.prb_id == 3161).unwrap();
        assert!(direct.reaches_target);
        let roles: Vec<PointRole> = direct.points.iter().map(|p| p.role).collect();
        assert_eq!(roles, [PointRole::Probe, PointRole::Target]);
        // Without a target location, reaching paths stop at their last hinted hop.
        let open = map_paths(&paths, None);
        assert!(
            open.iter()
                .all(|l| l.points.iter().all(|p| p.role != PointRole::Target))
        );
    }
}
