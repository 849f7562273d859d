//! The land outline behind the map: a small TopoJSON decoder and the Natural Earth 110m land rings
//! compiled into the binary.
//!
//! It owns turning `www/geo/land-110m.json` (npm world-atlas 2.0.2, object "land": Natural Earth
//! 4.1.0 Admin 0 at 1:110m with the countries merged; origin and licence in `www/geo/NOTICE.md`) into
//! rings of (longitude, latitude) in degrees, and cutting those rings at the antimeridian for planar
//! drawing. It must not project or draw (that is `projection` and the chart code), must do no I/O at
//! run time, and must never panic on a malformed file: decoding returns `Err` with a sentence saying
//! what is wrong.
//!
//! What the file looks like, measured on world-atlas 2.0.2 (the tests pin these facts):
//! - Coordinates are spherical and not clipped: a ring that crosses the antimeridian simply jumps from
//!   about +180° to -180° between two consecutive points. Four rings do so: Antarctica once (it
//!   encircles the South Pole), and Eurasia at Chukotka, an island of Fiji and Wrangel Island twice
//!   each. Some points lie exactly on -180° or +180°.
//! - Antarctica does not run down to -90°: its ring is the coastline alone (lowest latitude about
//!   -85.6°), and it closes across the antimeridian at about -84.7°. Whoever fills it as a planar
//!   polygon after projection must close it along the map's bottom edge through the pole, or the
//!   polar cap stays empty and a chord cuts across the map.
//! - Holes are rings too (the Caspian Sea is a hole in Eurasia), so [`land_rings`] must be filled
//!   with the even-odd rule, not non-zero, and not ring by ring.
//!
//! [`land_rings_planar`] does that cutting and closing, so a chart can project and fill its rings
//! directly.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The land outline, compiled in so the map needs no request and works offline.
const LAND_TOPOJSON: &str = include_str!("../../www/geo/land-110m.json");

/// The name of the land object inside world-atlas's `land-110m.json`.
const LAND_OBJECT: &str = "land";

/// A point as (longitude, latitude) in degrees.
type LonLatDeg = (f64, f64);

/// The top level of a TopoJSON file, as far as this decoder needs it.
///
/// Wire type: fields are optional so that a missing piece becomes a specific error message rather
/// than serde's generic one, and unknown fields (bbox, foreign members) are ignored. The format is
/// the TopoJSON Format Specification 1.0 (Mike Bostock and Calvin Metcalf,
/// <https://github.com/topojson/topojson-specification>).
#[derive(Deserialize)]
struct TopologyWire {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    transform: Option<TransformWire>,
    #[serde(default)]
    arcs: Option<Vec<Vec<Vec<f64>>>>,
    #[serde(default)]
    objects: Option<BTreeMap<String, GeometryWire>>,
}

/// The quantization transform (specification §2.1.2): position = quantized · scale + translate.
#[derive(Deserialize)]
struct TransformWire {
    scale: [f64; 2],
    translate: [f64; 2],
}

/// One geometry object. `arcs` is kept as raw JSON because its nesting depends on `type`
/// (specification §2.2).
#[derive(Deserialize)]
struct GeometryWire {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    arcs: Option<serde_json::Value>,
    #[serde(default)]
    geometries: Option<Vec<GeometryWire>>,
}

/// Decodes every polygon ring of the named object of a quantized TopoJSON topology into rings of
/// (longitude, latitude) in degrees.
///
/// Arcs are delta-encoded quantized positions (specification §2.1.3 and §2.1.4) and are decoded with
/// the topology's `transform`. A negative arc index `i` means arc `!i` (that is, `-i - 1`) traversed
/// backwards (§2.2.2). Polygon, MultiPolygon and GeometryCollection are read; other geometry types
/// (points, lines, null geometries) carry no rings and are skipped. Exterior rings and holes are
/// returned alike, in file order.
///
/// Only quantized topologies are accepted: a missing `transform` is an error, because that is what
/// the shipped file uses and a file without one is far more likely to be the wrong file than an
/// unquantized topology. Any index that points outside the arc list is an error, never a panic.
pub fn decode_topojson_rings(text: &str, object: &str) -> Result<Vec<Vec<LonLatDeg>>, String> {
    let topology: TopologyWire = serde_json::from_str(text)
        .map_err(|error| format!("The file is not valid TopoJSON: {error}."))?;
    if let Some(kind) = &topology.kind
        && kind != "Topology"
    {
        return Err(format!(
            "The file's type is {kind:?}, not \"Topology\"; is it GeoJSON rather than TopoJSON?"
        ));
    }
    let transform = topology.transform.ok_or_else(|| {
        "The topology has no \"transform\"; only quantized TopoJSON (as world-atlas ships) is \
         supported."
            .to_string()
    })?;
    let arcs = decode_arcs(topology.arcs.unwrap_or_default(), &transform)?;
    let objects = topology.objects.unwrap_or_default();
    let geometry = objects.get(object).ok_or_else(|| {
        let names: Vec<&str> = objects.keys().map(String::as_str).collect();
        format!(
            "The topology has no object named {object:?}; it has: {}.",
            names.join(", ")
        )
    })?;
    let mut rings = Vec::new();
    collect_rings(geometry, &arcs, &mut rings)?;
    Ok(rings)
}

/// Undoes the delta encoding and the quantization of every arc (specification §2.1.4): each
/// position after the first is an offset from the previous one, in quantized units.
fn decode_arcs(
    arcs: Vec<Vec<Vec<f64>>>,
    transform: &TransformWire,
) -> Result<Vec<Vec<LonLatDeg>>, String> {
    let [scale_x, scale_y] = transform.scale;
    let [translate_x, translate_y] = transform.translate;
    arcs.into_iter()
        .enumerate()
        .map(|(arc_index, positions)| {
            let mut quantized_x = 0.0;
            let mut quantized_y = 0.0;
            positions
                .into_iter()
                .map(|position| match position.as_slice() {
                    [delta_x, delta_y, ..] => {
                        quantized_x += delta_x;
                        quantized_y += delta_y;
                        Ok((
                            quantized_x * scale_x + translate_x,
                            quantized_y * scale_y + translate_y,
                        ))
                    }
                    _ => Err(format!(
                        "Arc {arc_index} has a position with fewer than two coordinates."
                    )),
                })
                .collect()
        })
        .collect()
}

/// Walks one geometry (recursing into collections) and appends its rings.
///
/// Recursion depth is bounded by serde_json's nesting limit, which has already accepted the text.
fn collect_rings(
    geometry: &GeometryWire,
    arcs: &[Vec<LonLatDeg>],
    rings: &mut Vec<Vec<LonLatDeg>>,
) -> Result<(), String> {
    match geometry.kind.as_deref() {
        Some("Polygon") => {
            let polygon: Vec<Vec<i64>> = arc_indices(geometry, "Polygon")?;
            for ring in &polygon {
                rings.push(stitch_ring(ring, arcs)?);
            }
        }
        Some("MultiPolygon") => {
            let polygons: Vec<Vec<Vec<i64>>> = arc_indices(geometry, "MultiPolygon")?;
            for ring in polygons.iter().flatten() {
                rings.push(stitch_ring(ring, arcs)?);
            }
        }
        Some("GeometryCollection") => {
            for member in geometry.geometries.iter().flatten() {
                collect_rings(member, arcs, rings)?;
            }
        }
        // Points, lines and null geometries have no rings; skipping them keeps a mixed collection
        // usable.
        _ => {}
    }
    Ok(())
}

/// Reads a geometry's `arcs` member with the nesting its type requires.
fn arc_indices<T: serde::de::DeserializeOwned>(
    geometry: &GeometryWire,
    kind: &str,
) -> Result<T, String> {
    let raw = geometry
        .arcs
        .clone()
        .ok_or_else(|| format!("A {kind} has no \"arcs\"."))?;
    serde_json::from_value(raw)
        .map_err(|error| format!("A {kind} has malformed \"arcs\": {error}."))
}

/// Joins the arcs of one ring into a list of points.
///
/// Consecutive arcs share their junction point (specification §2.2.2), so the first point of every
/// arc after the first is dropped to avoid doubled vertices.
fn stitch_ring(arc_refs: &[i64], arcs: &[Vec<LonLatDeg>]) -> Result<Vec<LonLatDeg>, String> {
    let mut ring: Vec<LonLatDeg> = Vec::new();
    for &arc_ref in arc_refs {
        // `!arc_ref` is the specification's ones' complement: -1 is arc 0 reversed, -2 arc 1, …
        let (arc_index, reversed) = if arc_ref < 0 {
            (!arc_ref, true)
        } else {
            (arc_ref, false)
        };
        let arc = usize::try_from(arc_index)
            .ok()
            .and_then(|index| arcs.get(index))
            .ok_or_else(|| {
                format!(
                    "A ring refers to arc {arc_ref}, but the topology has only {} arcs.",
                    arcs.len()
                )
            })?;
        let skip = usize::from(!ring.is_empty());
        if reversed {
            ring.extend(arc.iter().rev().skip(skip));
        } else {
            ring.extend(arc.iter().skip(skip));
        }
    }
    Ok(ring)
}

/// The Natural Earth 110m land rings, (longitude, latitude) in degrees, decoded once on first use.
///
/// This is the file as shipped: rings cross the antimeridian and Antarctica is not closed through the
/// pole (see the module documentation). Use [`land_rings_planar`] to fill them on a flat map. If the
/// compiled-in file ever failed to decode, this would be empty rather than a panic, and the tests
/// would fail.
pub fn land_rings() -> &'static [Vec<LonLatDeg>] {
    static LAND: OnceLock<Vec<Vec<LonLatDeg>>> = OnceLock::new();
    LAND.get_or_init(|| decode_topojson_rings(LAND_TOPOJSON, LAND_OBJECT).unwrap_or_default())
}

/// [`land_rings`] cut at the antimeridian by [`split_at_antimeridian`], decoded and cut once: every
/// ring lies within [-180°, 180°] without jumps, so its projection can be filled as a planar polygon
/// (with the even-odd rule, because holes are separate rings).
pub fn land_rings_planar() -> &'static [Vec<LonLatDeg>] {
    static PLANAR: OnceLock<Vec<Vec<LonLatDeg>>> = OnceLock::new();
    PLANAR.get_or_init(|| {
        land_rings()
            .iter()
            .flat_map(|ring| split_at_antimeridian(ring))
            .collect()
    })
}

/// Where a ring's edge crosses the antimeridian: the point where it leaves one side of the map and
/// the matching point where it comes back in on the other.
struct Crossing {
    leave: LonLatDeg,
    enter: LonLatDeg,
}

/// Returns the crossing on the edge from `from` to `to`, if that edge crosses the antimeridian.
///
/// An edge is taken to cross when its longitudes differ by more than 180°, since the shorter way
/// round is always meant: consecutive vertices of the 110m outline are a few degrees apart at most.
/// The crossing latitude is interpolated linearly in longitude and latitude rather than along the
/// great circle: at 110m the crossing edges span a few degrees at most, where the two differ by far
/// less than a pixel.
fn antimeridian_crossing(from: LonLatDeg, to: LonLatDeg) -> Option<Crossing> {
    if (to.0 - from.0).abs() <= 180.0 {
        return None;
    }
    // Going east means leaving at +180° and coming back at -180°; going west is the reverse.
    let eastward = from.0 > to.0;
    let (leave_lon_deg, enter_lon_deg, to_unwrapped_lon_deg) = if eastward {
        (180.0, -180.0, to.0 + 360.0)
    } else {
        (-180.0, 180.0, to.0 - 360.0)
    };
    let span_deg = to_unwrapped_lon_deg - from.0;
    // A zero span happens for an edge from exactly -180° to exactly +180° (one point seen from both
    // sides); the crossing is then at `from` itself.
    let fraction = if span_deg.abs() < f64::EPSILON {
        0.0
    } else {
        ((leave_lon_deg - from.0) / span_deg).clamp(0.0, 1.0)
    };
    let lat_deg = from.1 + fraction * (to.1 - from.1);
    Some(Crossing {
        leave: (leave_lon_deg, lat_deg),
        enter: (enter_lon_deg, lat_deg),
    })
}

/// Cuts a spherical ring where it crosses the antimeridian, so that each resulting ring can be drawn
/// as a planar polygon in longitude/latitude or in any projection that keeps ±180° at the map's edges.
///
/// - A ring that never crosses comes back unchanged.
/// - A ring that crosses an even number of times is cut into one piece per stretch between crossings,
///   each closed along the antimeridian. This is exact for two crossings (every crossing ring of the
///   110m land). For four or more, stretches on the same side are closed separately rather than
///   joined, which can misplace parts of the fill; no ring in the shipped data does that.
/// - A ring that crosses an odd number of times encircles a pole (Antarctica). It is closed by
///   running along the antimeridian to the nearer pole, along the pole line to the other side, and
///   back, which fills the polar cap. With three or more crossings the extra ones are joined straight
///   across, an approximation that again does not occur in the shipped data.
///
/// Rings are treated as closed whether or not the last point repeats the first; every returned ring
/// repeats its first point at the end.
pub fn split_at_antimeridian(ring: &[LonLatDeg]) -> Vec<Vec<LonLatDeg>> {
    let is_explicitly_closed = match (ring.first(), ring.last()) {
        (Some(first), Some(last)) => {
            ring.len() > 1
                && first.0.total_cmp(&last.0).is_eq()
                && first.1.total_cmp(&last.1).is_eq()
        }
        _ => false,
    };
    let open = if is_explicitly_closed {
        ring.get(..ring.len() - 1).unwrap_or(ring)
    } else {
        ring
    };
    let point_count = open.len();
    let crossings: Vec<(usize, Crossing)> = (0..point_count)
        .filter_map(|index| {
            let from = *open.get(index)?;
            let to = *open.get((index + 1) % point_count)?;
            antimeridian_crossing(from, to).map(|crossing| (index, crossing))
        })
        .collect();
    if crossings.is_empty() {
        return if ring.is_empty() {
            Vec::new()
        } else {
            vec![ring.to_vec()]
        };
    }

    // One piece per stretch between consecutive crossings: it starts where the ring re-enters the
    // map after crossing j and ends where it leaves at crossing j + 1.
    let crossing_count = crossings.len();
    let mut pieces: Vec<Vec<LonLatDeg>> = Vec::with_capacity(crossing_count);
    for (position, (start_index, start)) in crossings.iter().enumerate() {
        let (end_index, end) = match crossings.get((position + 1) % crossing_count) {
            Some((index, crossing)) => (*index, crossing),
            None => continue,
        };
        // With a single crossing the stretch runs all the way round the ring back to it.
        let stretch_len = match (end_index + point_count - start_index) % point_count {
            0 => point_count,
            len => len,
        };
        let mut piece = Vec::with_capacity(stretch_len + 3);
        piece.push(start.enter);
        piece.extend(
            (1..=stretch_len).filter_map(|step| open.get((start_index + step) % point_count)),
        );
        piece.push(end.leave);
        pieces.push(piece);
    }

    if crossing_count.is_multiple_of(2) {
        for piece in &mut pieces {
            if let Some(&first) = piece.first() {
                piece.push(first);
            }
        }
        return pieces;
    }

    // Odd: the ring goes round a pole. Join the stretches and close through that pole, choosing the
    // pole on the side where the ring crosses (Antarctica crosses at about -84.7°).
    let mut joined: Vec<LonLatDeg> = pieces.into_iter().flatten().collect();
    if let (Some(&first), Some(&last)) = (joined.first(), joined.last()) {
        let pole_lat_deg = if last.1 < 0.0 { -90.0 } else { 90.0 };
        joined.push((last.0, pole_lat_deg));
        joined.push((first.0, pole_lat_deg));
        joined.push(first);
    }
    vec![joined]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::haversine_km;

    /// Counts how many rings contain the point, by the planar crossing-number test in
    /// longitude/latitude (W. Randolph Franklin, "PNPOLY – Point Inclusion in Polygon Test"). Under
    /// the even-odd rule the point is on land when the count is odd.
    fn containing_ring_count(rings: &[Vec<LonLatDeg>], lon_deg: f64, lat_deg: f64) -> usize {
        rings
            .iter()
            .filter(|ring| {
                let mut inside = false;
                for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
                    if (a.1 > lat_deg) != (b.1 > lat_deg)
                        && lon_deg < a.0 + (lat_deg - a.1) * (b.0 - a.0) / (b.1 - a.1)
                    {
                        inside = !inside;
                    }
                }
                inside
            })
            .count()
    }

    fn is_land(lon_deg: f64, lat_deg: f64) -> bool {
        containing_ring_count(land_rings_planar(), lon_deg, lat_deg) % 2 == 1
    }

    /// Counts edges that jump across the map. An edge along a pole line (from ±180° to ∓180° at
    /// latitude ±90°) is not a jump: every point of it is the pole, and Equal Earth draws it as the
    /// map's flat top or bottom edge.
    fn crossing_count(ring: &[LonLatDeg]) -> usize {
        ring.windows(2)
            .filter(|pair| {
                let along_pole = pair[0].1.abs() >= 90.0 && pair[1].1.abs() >= 90.0;
                (pair[1].0 - pair[0].0).abs() > 180.0 && !along_pole
            })
            .count()
    }

    /// A quantized topology small enough to check by hand: scale 0.5 and translate (10, 20), so a
    /// quantized (q_x, q_y) is (10 + q_x / 2, 20 + q_y / 2).
    const SMALL_TOPOLOGY: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [
            [[0, 0], [4, 0], [0, 4]],
            [[4, 4], [-4, 0], [0, -4]],
            [[0, 0], [2, 0], [0, 2], [-2, 0], [0, -2]]
        ],
        "objects": {
            "shapes": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]]},
                    {"type": "Point", "coordinates": [1, 2]},
                    {"type": null},
                    {"type": "MultiPolygon", "arcs": [[[-3]]]}
                ]
            }
        }
    }"#;

    #[test]
    fn small_topology_decodes_deltas_transform_and_reversed_arcs() {
        let rings = decode_topojson_rings(SMALL_TOPOLOGY, "shapes").unwrap_or_default();
        assert_eq!(rings.len(), 2);
        // Arcs 0 and 1 make a 2°×2° square; the shared corner (12, 22) appears once.
        assert_eq!(
            rings[0],
            vec![
                (10.0, 20.0),
                (12.0, 20.0),
                (12.0, 22.0),
                (10.0, 22.0),
                (10.0, 20.0)
            ]
        );
        // Arc 2 traversed backwards (index -3 = !2).
        assert_eq!(
            rings[1],
            vec![
                (10.0, 20.0),
                (10.0, 21.0),
                (11.0, 21.0),
                (11.0, 20.0),
                (10.0, 20.0)
            ]
        );
    }

    #[test]
    fn malformed_topologies_give_errors_not_panics() {
        let cases = [
            ("", "empty text"),
            ("not json at all", "garbage"),
            ("[1, 2, 3]", "wrong top-level shape"),
            (
                r#"{"type": "FeatureCollection", "features": []}"#,
                "GeoJSON",
            ),
            (
                r#"{"type": "Topology", "arcs": [[[0, 0], [1, 1]]],
                   "objects": {"land": {"type": "Polygon", "arcs": [[0]]}}}"#,
                "missing transform",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [[[0, 0], [1, 1]]],
                   "objects": {"land": {"type": "Polygon", "arcs": [[1]]}}}"#,
                "arc index past the end",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [[[0, 0], [1, 1]]],
                   "objects": {"land": {"type": "Polygon", "arcs": [[-2]]}}}"#,
                "reversed arc index past the end",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [[[0, 0], [1, 1]]],
                   "objects": {"land": {"type": "Polygon", "arcs": [[-9223372036854775808]]}}}"#,
                "most negative index",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [[[0, 0], [1, 1]]],
                   "objects": {"land": {"type": "Polygon", "arcs": [[0.5]]}}}"#,
                "fractional index",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [[[0, 0], [1]]],
                   "objects": {"land": {"type": "Polygon", "arcs": [[0]]}}}"#,
                "position with one coordinate",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [], "objects": {"land": {"type": "Polygon"}}}"#,
                "polygon without arcs",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
                   "arcs": [], "objects": {"sea": {"type": "Polygon", "arcs": []}}}"#,
                "object missing",
            ),
            (
                r#"{"type": "Topology", "transform": {"scale": [1], "translate": [0, 0]},
                   "arcs": [], "objects": {"land": {"type": "Polygon", "arcs": []}}}"#,
                "short scale",
            ),
        ];
        for (text, what) in cases {
            assert!(
                decode_topojson_rings(text, "land").is_err(),
                "{what} was accepted"
            );
        }
    }

    #[test]
    fn land_file_decodes_to_plausible_rings() {
        let rings = land_rings();
        assert!(rings.len() > 100, "only {} rings", rings.len());
        assert!(rings.iter().all(|ring| ring.len() >= 4));
        for ring in rings {
            for &(lon_deg, lat_deg) in ring {
                assert!((-180.0..=180.0).contains(&lon_deg), "longitude {lon_deg}");
                assert!((-90.0..=90.0).contains(&lat_deg), "latitude {lat_deg}");
            }
            // Every ring comes back to where it started, as a polygon ring must.
            assert_eq!(ring.first(), ring.last());
        }
    }

    #[test]
    fn land_file_has_antarctica_and_amsterdam() {
        let rings = land_rings();
        assert!(rings.iter().flatten().any(|&(_, lat_deg)| lat_deg < -80.0));
        // Amsterdam is about 25 km from the North Sea coast, but the 110m outline keeps few vertices
        // there: the nearest lies about 82 km away, so 100 km is the bound.
        let (amsterdam_lat_deg, amsterdam_lon_deg) = (52.3676, 4.9041);
        let nearest_km = rings
            .iter()
            .flatten()
            .map(|&(lon_deg, lat_deg)| {
                haversine_km(amsterdam_lat_deg, amsterdam_lon_deg, lat_deg, lon_deg)
            })
            .min_by(f64::total_cmp)
            .unwrap_or(f64::INFINITY);
        assert!(
            nearest_km < 100.0,
            "nearest land vertex {nearest_km} km away"
        );
    }

    #[test]
    fn land_file_crossings_match_what_the_module_documents() {
        // The module documentation and `split_at_antimeridian` rely on these facts about the file:
        // one ring crosses the antimeridian once (Antarctica) and three cross it twice.
        let mut counts: Vec<usize> = land_rings()
            .iter()
            .map(|ring| crossing_count(ring))
            .filter(|&count| count > 0)
            .collect();
        counts.sort_unstable();
        assert_eq!(counts, vec![1, 2, 2, 2]);
        let lowest_lat_deg = land_rings()
            .iter()
            .flatten()
            .map(|&(_, lat_deg)| lat_deg)
            .min_by(f64::total_cmp)
            .unwrap_or(0.0);
        assert!((-86.0..-85.0).contains(&lowest_lat_deg), "{lowest_lat_deg}");
    }

    #[test]
    fn planar_rings_never_jump_across_the_map() {
        let planar = land_rings_planar();
        assert!(planar.len() > land_rings().len());
        for ring in planar {
            assert_eq!(crossing_count(ring), 0);
            assert_eq!(ring.first(), ring.last());
            for &(lon_deg, lat_deg) in ring {
                assert!((-180.0..=180.0).contains(&lon_deg), "longitude {lon_deg}");
                assert!((-90.0..=90.0).contains(&lat_deg), "latitude {lat_deg}");
            }
        }
    }

    #[test]
    fn planar_rings_fill_land_and_leave_sea_and_lakes_empty() {
        assert!(is_land(4.9041, 52.3676), "Amsterdam");
        assert!(is_land(37.6, 55.75), "Moscow");
        assert!(is_land(-99.1, 19.4), "Mexico City");
        assert!(is_land(133.0, -25.0), "central Australia");
        // The polar cap, which only exists once Antarctica is closed through the pole.
        assert!(is_land(0.0, -89.9), "South Pole");
        assert!(is_land(45.0, -88.0), "near the South Pole");
        // Chukotka on both sides of the antimeridian.
        assert!(is_land(175.0, 67.0), "Chukotka west of 180°");
        assert!(is_land(-175.0, 66.5), "Chukotka east of 180°");
        assert!(!is_land(-40.0, 30.0), "mid-Atlantic");
        assert!(!is_land(-150.0, 0.0), "central Pacific");
        assert!(!is_land(50.5, 42.0), "Caspian Sea, a hole in Eurasia");
        assert!(!is_land(0.0, 89.9), "North Pole, which is sea");
    }

    #[test]
    fn ring_without_crossing_comes_back_unchanged() {
        let square = vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)];
        assert_eq!(split_at_antimeridian(&square), vec![square.clone()]);
        assert!(split_at_antimeridian(&[]).is_empty());
        assert_eq!(split_at_antimeridian(&[(5.0, 5.0)]), vec![vec![(5.0, 5.0)]]);
    }

    #[test]
    fn ring_crossing_twice_becomes_two_closed_pieces() {
        // A 2°×2° island centred on the antimeridian at the equator.
        let island = vec![
            (179.0, -1.0),
            (-179.0, -1.0),
            (-179.0, 1.0),
            (179.0, 1.0),
            (179.0, -1.0),
        ];
        let pieces = split_at_antimeridian(&island);
        assert_eq!(
            pieces,
            vec![
                vec![
                    (-180.0, -1.0),
                    (-179.0, -1.0),
                    (-179.0, 1.0),
                    (-180.0, 1.0),
                    (-180.0, -1.0)
                ],
                vec![
                    (180.0, 1.0),
                    (179.0, 1.0),
                    (179.0, -1.0),
                    (180.0, -1.0),
                    (180.0, 1.0)
                ],
            ]
        );
    }

    #[test]
    fn ring_round_a_pole_is_closed_through_it() {
        // A cap around the South Pole at 80° S, running east, with the ring left open.
        let cap = vec![
            (-90.0, -80.0),
            (0.0, -80.0),
            (90.0, -80.0),
            (170.0, -80.0),
            (-170.0, -82.0),
        ];
        let pieces = split_at_antimeridian(&cap);
        assert_eq!(pieces.len(), 1);
        let piece = &pieces[0];
        assert_eq!(piece.first(), Some(&(-180.0, -81.0)));
        assert_eq!(piece.last(), piece.first());
        assert!(piece.contains(&(180.0, -81.0)));
        assert!(piece.contains(&(180.0, -90.0)));
        assert!(piece.contains(&(-180.0, -90.0)));
        assert_eq!(crossing_count(piece), 0);
    }

    #[test]
    fn edge_from_minus_180_to_plus_180_does_not_divide_by_zero() {
        // Wrangel Island in the 110m file has an edge from exactly -180° to exactly +180°.
        let sliver = vec![(-180.0, 71.5), (180.0, 70.8), (179.0, 71.0), (-180.0, 71.5)];
        for piece in split_at_antimeridian(&sliver) {
            assert!(
                piece
                    .iter()
                    .all(|&(lon, lat)| lon.is_finite() && lat.is_finite())
            );
            assert_eq!(crossing_count(&piece), 0);
        }
    }
}
