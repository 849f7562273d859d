//! The feasible region of a single responder: the places that lie within every observation's disc at
//! once, found by sampling, with its size, outline, centroid and the cities inside.
//!
//! The region has no closed form (it is an intersection of spherical caps), so it is sampled: a grid in
//! the azimuthal equidistant plane of the smallest disc (which holds the whole region), each point
//! tested against every disc, smallest first so that most misses exit after one or two tests. When the
//! region is small next to that disc, the grid zooms onto it; when no grid point is inside every disc, a
//! coarse-to-fine search minimises the worst overshoot, which decides whether the discs share a point
//! at all. This module does no I/O and never panics; an empty or degenerate input gives `None`.

use serde::Serialize;

use super::disc::Disc;
use crate::geo::sphere::{TangentFrame, UnitVector, dot, lat_lon, unit_vector};
use crate::geo::{City, cities, haversine_km};

/// Grid points per side of each sampling pass (GRID² points, about 79 % of them inside the first
/// pass's disc). 48 gives a cell of 1/47 of the window, so a region is resolved to about 2 % of the
/// smallest disc's diameter after the first pass and finer after each zoom, at about 2,300 point tests
/// per pass.
const GRID: usize = 48;
/// Zoom while fewer than this many grid points fall inside the region.
const ENOUGH_POINTS: usize = 400;
/// At most this many sampling passes. Each zoom magnifies by at least 1.5, so 60 passes reach far
/// below a metre from a disc the size of the Earth.
const MAX_PASSES: usize = 60;
/// Passes of the search for the closest miss when there is no common point.
const MISS_SEARCH_PASSES: usize = 40;
/// Branch and bound for regions thinner than a grid cell: at most this many halvings (a 20,000 km cell
/// reaches a metre in 25) and this many live cells (the band along a thin region's edge).
const SUBDIVISIONS: usize = 30;
const MAX_CELLS: usize = 20_000;
/// How many sampled points, besides the outline, are used to measure the region's width.
const ACROSS_SAMPLE: usize = 150;
/// How many of the largest cities inside the region are listed.
const CITIES_LISTED: usize = 5;

/// A point as latitude and longitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// The set of places consistent with every observation (one responder), as sampled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeasibleRegion {
    /// The mean position of the sampled points (averaged as 3-D vectors, so it is right across the ±180°
    /// meridian and near the poles).
    pub centroid: LatLon,
    /// The largest great-circle distance between two points of the outline: "≈ X km across".
    pub across_km: f64,
    /// The sampling cell diagonal: the outline may lie up to this far outside the true boundary, never
    /// inside it (up to half of it, where the region has a sharp corner between grid points).
    pub resolution_km: f64,
    /// The convex hull of the sampled points (those within `resolution_km` of every disc), counter-clockwise in the plane of the smallest disc, for
    /// drawing. Longitudes are in (-180°, 180°], so an outline that straddles the antimeridian jumps
    /// there and a renderer must split it.
    pub outline: Vec<LatLon>,
    /// The largest cities inside the region, largest first (at most five).
    pub cities_inside: Vec<City>,
    /// The probe whose disc (the smallest) the sampling plane is centred on.
    pub frame_centre: LatLon,
}

impl FeasibleRegion {
    /// Whether a point is inside the outline or within `resolution_km` of it (the outline is sampled,
    /// so a true point near the edge may fall just outside it). Measured in the sampling plane.
    pub fn covers(&self, lat: f64, lon: f64) -> bool {
        let frame = TangentFrame::new(self.frame_centre.lat, self.frame_centre.lon);
        let point = frame.project(unit_vector(lat, lon));
        let hull: Vec<(f64, f64)> = self
            .outline
            .iter()
            .map(|corner| frame.project(unit_vector(corner.lat, corner.lon)))
            .collect();
        distance_to_hull(point, &hull) <= self.resolution_km
    }
}

/// Why there is no feasible region although no two discs are disjoint: the best point found and how far
/// outside the worst disc it still is (discs can overlap pairwise without all sharing a point).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoCommonPoint {
    pub closest: LatLon,
    /// How far outside the farthest disc the best point is.
    pub overshoot_km: f64,
    /// The observation whose disc it misses most.
    pub missed_id: String,
}

/// The outcome of the region search.
#[derive(Debug, Clone, PartialEq)]
pub enum RegionSearch {
    Found(FeasibleRegion),
    Empty(NoCommonPoint),
}

/// A rectangle of the sampling plane, in km.
#[derive(Debug, Clone, Copy)]
struct Window {
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

impl Window {
    fn cells(&self) -> (f64, f64) {
        let steps = (GRID - 1) as f64;
        (
            (self.max_x - self.min_x) / steps,
            (self.max_y - self.min_y) / steps,
        )
    }

    fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let (cell_x, cell_y) = self.cells();
        (0..GRID).flat_map(move |row| {
            (0..GRID).map(move |column| {
                (
                    self.min_x + column as f64 * cell_x,
                    self.min_y + row as f64 * cell_y,
                )
            })
        })
    }

    /// The bounding box of some plane points, widened by `margin` cells of this window on each side and
    /// kept within `limit` (the first window, which holds the whole smallest disc).
    fn around(&self, points: &[(f64, f64)], margin: f64, limit: &Window) -> Window {
        let (cell_x, cell_y) = self.cells();
        let mut out = Window {
            min_x: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            min_y: f64::INFINITY,
            max_y: f64::NEG_INFINITY,
        };
        for &(x, y) in points {
            out.min_x = out.min_x.min(x);
            out.max_x = out.max_x.max(x);
            out.min_y = out.min_y.min(y);
            out.max_y = out.max_y.max(y);
        }
        Window {
            min_x: (out.min_x - margin * cell_x).max(limit.min_x),
            max_x: (out.max_x + margin * cell_x).min(limit.max_x),
            min_y: (out.min_y - margin * cell_y).max(limit.min_y),
            max_y: (out.max_y + margin * cell_y).min(limit.max_y),
        }
    }

    fn extent_km(&self) -> f64 {
        (self.max_x - self.min_x).max(self.max_y - self.min_y)
    }
}

/// Samples the intersection of `discs`, which must be non-empty and sorted by radius.
///
/// Each pass sorts the grid points of the window into those inside every disc and those within one
/// cell diagonal of every disc ("near"). Every point of the true region has a near grid point within
/// half a diagonal (the nearest grid point is that close in the plane, and the projection never
/// shrinks distances to the sphere's disadvantage: its scale across the radial direction is at most
/// 1). So the bounding box of the near points, widened by a cell, holds the whole region (zooming never
/// cuts off a thin or detached part of it), an empty near set proves the region empty, and the near
/// points themselves are the region's sample: it over-covers the true region by at most one
/// resolution, and never misses a part of it. A grid point inside every disc is the proof that the
/// region is not empty.
pub fn feasible_region(discs: &[Disc]) -> Option<RegionSearch> {
    let smallest = discs.first()?;
    let frame = TangentFrame::new(smallest.lat, smallest.lon);
    let reach = smallest.reach_km;
    let first = Window {
        min_x: -reach,
        max_x: reach,
        min_y: -reach,
        max_y: reach,
    };
    let mut window = first;
    let mut last: Option<(Window, Pass)> = None;
    for _ in 0..MAX_PASSES {
        let pass = sample(&frame, &window, discs, reach);
        if pass.near.is_empty() {
            // Proven: no point is within reach of every disc.
            return Some(RegionSearch::Empty(closest_miss(
                &frame, &first, discs, reach,
            )));
        }
        let next = window.around(&pass.near, 1.0, &first);
        // Zoom only when it actually magnifies: a window that would shrink by less than a third is
        // already about the region's size.
        let magnifies = next.extent_km() < window.extent_km() * 0.67;
        let done = pass.inside >= ENOUGH_POINTS || !magnifies;
        last = Some((window, pass));
        if done {
            break;
        }
        window = next;
    }
    let (window, pass) = last?;
    let (cell_x, cell_y) = window.cells();
    let (plane, points, resolution_km) = if pass.inside > 0 {
        (pass.near, pass.points, cell_x.hypot(cell_y))
    } else {
        // No grid point is inside every disc: the region is thinner than a cell, or split, or empty.
        match subdivide(&frame, &pass.near, cell_x / 2.0, cell_y / 2.0, discs, reach) {
            Some(cells) => cells,
            None => {
                return Some(RegionSearch::Empty(closest_miss(
                    &frame, &first, discs, reach,
                )));
            }
        }
    };
    Some(RegionSearch::Found(describe(
        &frame,
        resolution_km,
        &plane,
        &points,
        discs,
        smallest,
    )))
}

/// Sampled region points in the plane and as vectors, with the distance within which they cover it.
type Sample = (Vec<(f64, f64)>, Vec<UnitVector>, f64);

/// Branch and bound over the cells of the near grid points: each cell is split in four, and a quarter
/// survives only if its centre is within its own half-diagonal of every disc (otherwise no point of
/// it can be in the region). Stops when a surviving centre is inside every disc, or the cells become
/// many or tiny; `None` when no cell survives, which proves the region empty. Returns the surviving
/// centres (plane and vectors) and their half-diagonal, the distance within which they cover the region.
fn subdivide(
    frame: &TangentFrame,
    centres: &[(f64, f64)],
    half_x: f64,
    half_y: f64,
    discs: &[Disc],
    reach: f64,
) -> Option<Sample> {
    let mut cells: Vec<(f64, f64)> = centres.to_vec();
    let (mut half_x, mut half_y) = (half_x, half_y);
    for _ in 0..SUBDIVISIONS {
        let (quarter_x, quarter_y) = (half_x / 2.0, half_y / 2.0);
        let margin_km = quarter_x.hypot(quarter_y);
        let widened: Vec<f64> = discs
            .iter()
            .map(|disc| disc.cos_reach_plus(margin_km))
            .collect();
        let mut next = Vec::new();
        let mut vectors = Vec::new();
        let mut inside = false;
        for &(x, y) in &cells {
            for (dx, dy) in [(-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0), (1.0, 1.0)] {
                let centre = (x + dx * quarter_x, y + dy * quarter_y);
                if centre.0.hypot(centre.1) > reach + margin_km {
                    continue;
                }
                let point = frame.unproject(centre.0, centre.1);
                let near = discs
                    .iter()
                    .zip(&widened)
                    .all(|(disc, &cos_widened)| disc.contains_with(point, cos_widened));
                if near {
                    inside = inside || discs.iter().all(|disc| disc.contains(point));
                    next.push(centre);
                    vectors.push(point);
                }
            }
        }
        if next.is_empty() {
            return None;
        }
        (half_x, half_y) = (quarter_x, quarter_y);
        let small = margin_km < 0.001;
        if inside || small || next.len() > MAX_CELLS {
            return Some((next, vectors, margin_km));
        }
        cells = next;
    }
    let vectors = cells.iter().map(|&(x, y)| frame.unproject(x, y)).collect();
    Some((cells, vectors, half_x.hypot(half_y)))
}

/// One sampling pass: how many grid points are inside every disc, and the grid points within one
/// cell diagonal of every disc (in the plane and as vectors).
struct Pass {
    inside: usize,
    near: Vec<(f64, f64)>,
    points: Vec<UnitVector>,
}

fn sample(frame: &TangentFrame, window: &Window, discs: &[Disc], reach: f64) -> Pass {
    let (cell_x, cell_y) = window.cells();
    let margin_km = cell_x.hypot(cell_y);
    let widened: Vec<f64> = discs
        .iter()
        .map(|disc| disc.cos_reach_plus(margin_km))
        .collect();
    let mut pass = Pass {
        inside: 0,
        near: Vec::new(),
        points: Vec::new(),
    };
    for (x, y) in window.points() {
        if x.hypot(y) > reach + margin_km {
            continue;
        }
        let point = frame.unproject(x, y);
        let near = discs
            .iter()
            .zip(&widened)
            .all(|(disc, &cos_widened)| disc.contains_with(point, cos_widened));
        if !near {
            continue;
        }
        pass.near.push((x, y));
        pass.points.push(point);
        if discs.iter().all(|disc| disc.contains(point)) {
            pass.inside += 1;
        }
    }
    pass
}

enum SearchStep {
    Narrowed(Window),
    Exhausted,
}

/// The worst overshoot of a point (km outside the disc it misses most), computed only as far as
/// needed: once it exceeds `give_up_km` the point cannot matter and the rest of the discs are skipped.
fn overshoot_km(point: UnitVector, discs: &[Disc], give_up_km: f64) -> (f64, usize) {
    let mut worst = f64::NEG_INFINITY;
    let mut worst_at = 0;
    for (position, disc) in discs.iter().enumerate() {
        let outside = -disc.depth_km(point);
        if outside > worst {
            worst = outside;
            worst_at = position;
            if worst > give_up_km {
                break;
            }
        }
    }
    (worst, worst_at)
}

/// One pass of the search for a common point. The worst overshoot is a maximum of distance functions,
/// convex for discs smaller than a hemisphere, so the points within one cell's overshoot of the best
/// form a convex patch that holds the minimum; the next window is that patch's bounding box.
fn search_step(frame: &TangentFrame, window: &Window, discs: &[Disc], reach: f64) -> SearchStep {
    let (cell_x, cell_y) = window.cells();
    let slack = cell_x.hypot(cell_y);
    if window.extent_km() < 0.01 {
        return SearchStep::Exhausted;
    }
    let mut best = f64::INFINITY;
    let mut scored: Vec<((f64, f64), f64)> = Vec::new();
    for (x, y) in window.points() {
        if x.hypot(y) > reach {
            continue;
        }
        let (overshoot, _) = overshoot_km(frame.unproject(x, y), discs, best + slack);
        if overshoot <= best + slack {
            best = best.min(overshoot);
            scored.push(((x, y), overshoot));
        }
    }
    let near: Vec<(f64, f64)> = scored
        .into_iter()
        .filter(|(_, overshoot)| *overshoot <= best + slack)
        .map(|(point, _)| point)
        .collect();
    if near.is_empty() {
        return SearchStep::Exhausted;
    }
    let limit = Window {
        min_x: -reach,
        max_x: reach,
        min_y: -reach,
        max_y: reach,
    };
    SearchStep::Narrowed(window.around(&near, 1.0, &limit))
}

/// The point of the smallest disc that misses the others least, narrowed by the convex search, for the
/// explanation of an empty region.
fn closest_miss(frame: &TangentFrame, first: &Window, discs: &[Disc], reach: f64) -> NoCommonPoint {
    let mut window = *first;
    for _ in 0..MISS_SEARCH_PASSES {
        match search_step(frame, &window, discs, reach) {
            SearchStep::Narrowed(narrower) => window = narrower,
            SearchStep::Exhausted => break,
        }
    }
    let mut best = (f64::INFINITY, 0, frame.centre);
    for (x, y) in window.points() {
        if x.hypot(y) > reach {
            continue;
        }
        let point = frame.unproject(x, y);
        let (overshoot, at) = overshoot_km(point, discs, f64::INFINITY);
        if overshoot < best.0 {
            best = (overshoot, at, point);
        }
    }
    let (lat, lon) = lat_lon(best.2);
    NoCommonPoint {
        closest: LatLon { lat, lon },
        overshoot_km: best.0.max(0.0),
        missed_id: discs
            .get(best.1)
            .map(|disc| disc.id.clone())
            .unwrap_or_default(),
    }
}

fn describe(
    frame: &TangentFrame,
    resolution_km: f64,
    plane: &[(f64, f64)],
    points: &[UnitVector],
    discs: &[Disc],
    smallest: &Disc,
) -> FeasibleRegion {
    let hull = convex_hull(plane);
    let outline: Vec<LatLon> = hull
        .iter()
        .map(|&(x, y)| {
            let (lat, lon) = lat_lon(frame.unproject(x, y));
            LatLon { lat, lon }
        })
        .collect();
    // The outline's corners give the width of any region smaller than a hemisphere. A larger one
    // wraps round the far side of the sphere, where the plane's rim folds onto one point, so a spread
    // of the sampled points themselves is measured too.
    let step = (points.len() / ACROSS_SAMPLE).max(1);
    let corners: Vec<LatLon> = outline
        .iter()
        .copied()
        .chain(points.iter().step_by(step).map(|&point| {
            let (lat, lon) = lat_lon(point);
            LatLon { lat, lon }
        }))
        .collect();
    let mut across_km: f64 = 0.0;
    for (i, a) in corners.iter().enumerate() {
        for b in corners.iter().skip(i + 1) {
            across_km = across_km.max(haversine_km(a.lat, a.lon, b.lat, b.lon));
        }
    }
    let centroid = mean_position(points).unwrap_or(LatLon {
        lat: smallest.lat,
        lon: smallest.lon,
    });
    FeasibleRegion {
        centroid,
        across_km,
        resolution_km,
        outline,
        cities_inside: cities_in(discs)
            .into_iter()
            .take(CITIES_LISTED)
            .cloned()
            .collect(),
        frame_centre: LatLon {
            lat: smallest.lat,
            lon: smallest.lon,
        },
    }
}

/// Every city inside all discs, largest first.
pub(crate) fn cities_in(discs: &[Disc]) -> Vec<&'static City> {
    cities()
        .iter()
        .filter(|city| {
            let point = unit_vector(city.lat, city.lon);
            discs.iter().all(|disc| disc.contains(point))
        })
        .collect()
}

/// The mean of unit vectors, as a position; `None` when they cancel out (points spread all over the
/// sphere have no meaningful centre).
fn mean_position(points: &[UnitVector]) -> Option<LatLon> {
    let mut sum = [0.0; 3];
    for point in points {
        for axis in 0..3 {
            sum[axis] += point[axis];
        }
    }
    let length = dot(sum, sum).sqrt();
    if points.is_empty() || length < 1e-9 * points.len() as f64 {
        return None;
    }
    let (lat, lon) = lat_lon(sum);
    Some(LatLon { lat, lon })
}

/// Andrew's monotone chain (A. M. Andrew, "Another efficient algorithm for convex hulls in two
/// dimensions", Information Processing Letters 9(5), 1979): counter-clockwise, no collinear points.
pub(crate) fn convex_hull(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<(f64, f64)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    sorted.dedup();
    if sorted.len() < 3 {
        return sorted;
    }
    let turn = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f64, f64)> = Vec::with_capacity(sorted.len() + 1);
    for pass in [false, true] {
        let start = hull.len();
        let ordered: Box<dyn Iterator<Item = &(f64, f64)>> = if pass {
            Box::new(sorted.iter().rev())
        } else {
            Box::new(sorted.iter())
        };
        for &point in ordered {
            while hull.len() >= start + 2
                && turn(hull[hull.len() - 2], hull[hull.len() - 1], point) <= 0.0
            {
                hull.pop();
            }
            hull.push(point);
        }
        // The last point of each chain is the first of the other.
        hull.pop();
    }
    hull
}

/// The distance from a point to a convex polygon in the plane: 0 inside, else to the nearest edge.
fn distance_to_hull(point: (f64, f64), hull: &[(f64, f64)]) -> f64 {
    match hull {
        [] => f64::INFINITY,
        [only] => (point.0 - only.0).hypot(point.1 - only.1),
        _ => {
            let mut inside = hull.len() >= 3;
            let mut nearest = f64::INFINITY;
            for (i, &a) in hull.iter().enumerate() {
                let b = hull.get(i + 1).copied().unwrap_or(hull[0]);
                let edge = (b.0 - a.0, b.1 - a.1);
                let to_point = (point.0 - a.0, point.1 - a.1);
                if edge.0 * to_point.1 - edge.1 * to_point.0 < 0.0 {
                    inside = false;
                }
                let length_squared = edge.0 * edge.0 + edge.1 * edge.1;
                let along = if length_squared > 0.0 {
                    ((to_point.0 * edge.0 + to_point.1 * edge.1) / length_squared).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let foot = (a.0 + along * edge.0, a.1 + along * edge.1);
                nearest = nearest.min((point.0 - foot.0).hypot(point.1 - foot.1));
            }
            if inside { 0.0 } else { nearest }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infer::{Assumptions, Observation, disc::discs};

    fn region_of(observations: &[Observation]) -> RegionSearch {
        let (d, _) = discs(observations, &Assumptions::default());
        feasible_region(&d).unwrap()
    }

    #[test]
    fn the_hull_of_a_square_with_inner_points_is_the_square() {
        let points = [
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.5, 0.5),
            (0.5, 0.0),
        ];
        let hull = convex_hull(&points);
        assert_eq!(hull, vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]);
        assert_eq!(distance_to_hull((0.5, 0.5), &hull), 0.0);
        assert!((distance_to_hull((2.0, 0.5), &hull) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn one_disc_is_its_own_region() {
        let RegionSearch::Found(region) = region_of(&[Observation::new("a", 52.35, 4.90, 1.0)])
        else {
            panic!("a single disc has a region");
        };
        // 1 ms gives 99.9 km, widened by the 1 km tolerance: 202 km across, and the sample may
        // over-cover by up to one resolution on each side.
        let slack = 2.0 * region.resolution_km;
        assert!(
            region.across_km > 200.0 && region.across_km < 202.0 + slack,
            "{region:?}"
        );
        assert!(haversine_km(region.centroid.lat, region.centroid.lon, 52.35, 4.90) < 5.0);
        assert!(region.covers(52.35, 4.90));
        assert!(!region.covers(48.86, 2.35));
        assert!(
            region
                .cities_inside
                .iter()
                .any(|city| city.name == "Amsterdam")
        );
    }

    #[test]
    fn a_thin_lens_is_found_by_zooming() {
        // Two discs that overlap by a few km only: the first grid (cells of about 40 km) misses the lens.
        let rtt_ms = 10.0; // about 1,000 km each
        let degrees = 2_000.0 / 111.195;
        let region = region_of(&[
            Observation::new("w", 0.0, 0.0, rtt_ms),
            Observation::new("e", 0.0, degrees, rtt_ms * 1.0005),
        ]);
        let RegionSearch::Found(region) = region else {
            panic!("the lens exists");
        };
        assert!(region.covers(0.0, degrees / 2.0));
        // The zoom stalls at a few km for a lens this thin (the "near" band around a 1 km wide lens is
        // as long as the band is wide), which is still far finer than its 66 km length.
        assert!(region.resolution_km < 10.0, "{}", region.resolution_km);
    }

    #[test]
    fn three_discs_that_overlap_pairwise_may_share_no_point() {
        // Three discs of 1,799 km on a triangle with sides of 3,308–3,336 km: each pair overlaps, but
        // the point nearest to all three corners is 1,924 km from each, so no point is in all three.
        // The search looks inside the smallest disc (where any common point must be); there the best
        // point still misses another disc by about 190 km (a brute-force search in Python on a 0.05°
        // grid gives 191 km at 8.15° N, 14.0° E).
        let region = region_of(&[
            Observation::new("a", 0.0, 0.0, 18.0),
            Observation::new("b", 0.0, 30.0, 18.0),
            Observation::new("c", 26.0, 15.0, 18.0),
        ]);
        let RegionSearch::Empty(miss) = region else {
            panic!("no point is in all three");
        };
        assert!((miss.overshoot_km - 190.0).abs() < 10.0, "{miss:?}");
    }

    #[test]
    fn the_region_wraps_the_antimeridian_and_the_pole() {
        let RegionSearch::Found(fiji) = region_of(&[
            Observation::new("w", -17.0, 179.5, 3.0),
            Observation::new("e", -17.0, -179.5, 3.0),
        ]) else {
            panic!("overlapping discs across the antimeridian");
        };
        assert!(fiji.covers(-17.0, 180.0));
        assert!(fiji.centroid.lon.abs() > 179.0, "{:?}", fiji.centroid);
        let RegionSearch::Found(pole) = region_of(&[
            Observation::new("n1", 89.0, 0.0, 5.0),
            Observation::new("n2", 89.0, 180.0, 5.0),
        ]) else {
            panic!("overlapping discs across the pole");
        };
        assert!(pole.covers(90.0, 0.0));
    }

    #[test]
    fn a_disc_that_covers_the_earth_gives_a_region_that_covers_it_too() {
        let RegionSearch::Found(region) = region_of(&[Observation::new("x", 10.0, 10.0, 1e6)])
        else {
            panic!("the whole Earth is a region");
        };
        assert!(region.across_km > 19_000.0);
        assert_eq!(region.cities_inside.len(), 5);
    }
}
