//! The world maps: Natural Earth land in the Equal Earth projection with, on top, either one marker
//! per probe coloured by its minimum RTT and an optional overlay of what an inference concluded (the
//! area where a site can be, the sites found), or one marker per DNS vantage coloured by the answer
//! set it got; each with its legend. Generic over the plotters backend; returns a `MapLayout` that
//! converts between pixels and coordinates for hover hit-testing.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::scale::{NO_REPLY_RGB, RTT_BANDS, category_rgb, rtt_rgb};
use crate::geo::EARTH_MEAN_RADIUS_KM;
use crate::geo::land::land_rings_planar;
use crate::geo::projection::{equal_earth, equal_earth_inverse};
use crate::geo::sphere::{TangentFrame, lat_lon};
use crate::infer::{Inference, Verdict};

/// Height of the legend strip under the map, in pixels.
const LEGEND_HEIGHT_PX: u32 = 30;
const MARGIN_PX: f64 = 6.0;
/// Marker radius in pixels; the hover target is a little larger so small dots are easy to hit.
pub const MARKER_RADIUS_PX: i32 = 4;
pub const HOVER_RADIUS_PX: f64 = 9.0;

const OCEAN_RGB: RGBColor = RGBColor(0xee, 0xf3, 0xf8);
const LAND_RGB: RGBColor = RGBColor(0xd9, 0xd6, 0xcc);
const COAST_RGB: RGBColor = RGBColor(0xb5, 0xb0, 0xa3);
const OUTLINE_RGB: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Overlay colours: a warm red that none of the viridis RTT bands uses, so a site or its area is never
/// mistaken for a probe.
const SITE_RGB: RGBColor = RGBColor(0xd6, 0x27, 0x28);
const AREA_FILL_ALPHA: f64 = 0.18;
/// Paths in a dark slate that reads over land and sea without competing with the RTT colours.
const PATH_RGB: RGBColor = RGBColor(0x2b, 0x3a, 0x55);
/// Half the size of a site's diamond, in pixels.
const SITE_RADIUS_PX: i32 = 7;

/// One thing to draw on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapMarker {
    pub longitude: f64,
    pub latitude: f64,
    /// Minimum RTT, or None when the probe got no reply.
    pub rtt_ms: Option<f64>,
}

/// What an inference adds to the map. Areas are closed rings of (longitude, latitude) points, as the
/// inference computed them (the feasible region of a single site, or the disc that proves a site);
/// sites are points (longitude, latitude).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapOverlay {
    pub areas: Vec<Vec<(f64, f64)>>,
    pub sites: Vec<(f64, f64)>,
    /// Paths as polylines of (longitude, latitude): probe → located hops → target.
    pub paths: Vec<Vec<(f64, f64)>>,
    /// Probes the inference set aside (their position contradicts the others), ringed so a reader
    /// does not take their dot at face value.
    pub set_aside: Vec<(f64, f64)>,
}

impl MapOverlay {
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
            && self.sites.is_empty()
            && self.paths.is_empty()
            && self.set_aside.is_empty()
    }

    /// What an inference shows on the map: for one site, the feasible region and the site; for
    /// anycast, each site with the disc that proves it (the site is somewhere in that disc); for an
    /// inconclusive verdict, the (too large) region when there is one, so the reader sees why.
    pub fn of_inference(inference: &Inference) -> MapOverlay {
        let mut overlay = MapOverlay::default();
        if let Some(region) = &inference.evidence.region {
            overlay
                .areas
                .push(region.outline.iter().map(|p| (p.lon, p.lat)).collect());
        }
        if let Verdict::Anycast { .. } = inference.verdict {
            for disc in &inference.evidence.constraining {
                overlay
                    .areas
                    .push(disc_ring(disc.lat, disc.lon, disc.radius_km, DISC_SEGMENTS));
            }
        }
        overlay
            .sites
            .extend(inference.sites.iter().map(|site| (site.lon, site.lat)));
        overlay.set_aside = inference
            .evidence
            .set_aside
            .iter()
            .map(|probe| (probe.lon, probe.lat))
            .collect();
        overlay
    }
}

/// Enough segments that a disc looks round at the map's size.
const DISC_SEGMENTS: usize = 72;

/// The outline of the disc of places within `radius_km` of a point, as (longitude, latitude): points at
/// that great-circle distance in evenly spaced directions (the azimuthal equidistant frame of
/// `geo::sphere` gives exactly that). A radius past half the circumference is capped there.
pub fn disc_ring(lat: f64, lon: f64, radius_km: f64, segments: usize) -> Vec<(f64, f64)> {
    if ![lat, lon, radius_km].iter().all(|value| value.is_finite()) {
        return Vec::new();
    }
    let radius_km = radius_km.clamp(0.0, std::f64::consts::PI * EARTH_MEAN_RADIUS_KM);
    let frame = TangentFrame::new(lat, lon);
    (0..segments.max(3))
        .map(|step| {
            let angle = std::f64::consts::TAU * step as f64 / segments.max(3) as f64;
            let (lat, lon) =
                lat_lon(frame.unproject(radius_km * angle.cos(), radius_km * angle.sin()));
            (lon, lat)
        })
        .collect()
}

/// Makes a ring's longitudes continuous (no jump of more than 180° between neighbours), so an area
/// across the antimeridian is one polygon rather than a band across the whole map. The result may
/// reach past ±180°; the caller draws it a second time shifted by 360° to show the other side.
pub fn unwrap_longitudes(ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(ring.len());
    for &(lon, lat) in ring {
        let lon = match out.last() {
            Some(&(previous, _)) => previous + (lon - previous + 540.0).rem_euclid(360.0) - 180.0,
            None => lon,
        };
        out.push((lon, lat));
    }
    out
}

/// The longitude shifts to draw an unwrapped ring or line with: itself, and once more from the other
/// edge of the map for each edge it pokes past.
fn edge_shifts(points: &[(f64, f64)]) -> Vec<f64> {
    let mut shifts = vec![0.0];
    if points.iter().any(|(lon, _)| *lon > 180.0) {
        shifts.push(-360.0);
    }
    if points.iter().any(|(lon, _)| *lon < -180.0) {
        shifts.push(360.0);
    }
    shifts
}

/// The pixel↔coordinate mapping of a drawn map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapLayout {
    pub width_px: u32,
    pub height_px: u32,
    /// Pixels per projection unit (Equal Earth on a unit sphere).
    scale: f64,
    center_x_px: f64,
    center_y_px: f64,
}

impl MapLayout {
    /// Fits the whole Equal Earth world into a canvas, leaving the legend strip at the bottom.
    pub fn fit(width_px: u32, height_px: u32) -> MapLayout {
        // The projection's extents: widest at the equator at ±180°, tallest at the poles.
        let (x_max, _) = equal_earth(180.0, 0.0);
        let (_, y_max) = equal_earth(0.0, 90.0);
        let map_height = f64::from(height_px.saturating_sub(LEGEND_HEIGHT_PX)).max(1.0);
        let width = f64::from(width_px).max(1.0);
        let scale = ((width - 2.0 * MARGIN_PX) / (2.0 * x_max))
            .min((map_height - 2.0 * MARGIN_PX) / (2.0 * y_max))
            .max(0.01);
        MapLayout {
            width_px,
            height_px,
            scale,
            center_x_px: width / 2.0,
            center_y_px: map_height / 2.0,
        }
    }

    /// Pixel position of a coordinate (y grows downwards on screen).
    pub fn to_pixel(&self, longitude: f64, latitude: f64) -> (f64, f64) {
        let (x, y) = equal_earth(longitude, latitude);
        (
            self.center_x_px + x * self.scale,
            self.center_y_px - y * self.scale,
        )
    }

    /// The coordinate under a pixel, or None off the globe.
    pub fn to_coordinate(&self, x_px: f64, y_px: f64) -> Option<(f64, f64)> {
        equal_earth_inverse(
            (x_px - self.center_x_px) / self.scale,
            (self.center_y_px - y_px) / self.scale,
        )
    }

    /// The marker nearest to a pixel within the hover radius: the one the pointer is on.
    pub fn marker_at(&self, markers: &[MapMarker], x_px: f64, y_px: f64) -> Option<usize> {
        let positions: Vec<(f64, f64)> = markers
            .iter()
            .map(|marker| (marker.longitude, marker.latitude))
            .collect();
        self.position_at(&positions, x_px, y_px)
    }

    /// Of (longitude, latitude) positions, the one nearest to a pixel within the hover radius.
    pub fn position_at(&self, positions: &[(f64, f64)], x_px: f64, y_px: f64) -> Option<usize> {
        positions
            .iter()
            .enumerate()
            .map(|(index, &(longitude, latitude))| {
                let (mx, my) = self.to_pixel(longitude, latitude);
                (index, (mx - x_px).hypot(my - y_px))
            })
            .filter(|(_, distance)| *distance <= HOVER_RADIUS_PX)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(index, _)| index)
    }
}

/// Twice the signed area of a polygon (shoelace formula); the sign gives the winding direction.
fn signed_area(ring: &[(f64, f64)]) -> f64 {
    ring.iter()
        .zip(ring.iter().cycle().skip(1))
        .map(|(a, b)| a.0 * b.1 - b.0 * a.1)
        .sum()
}

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

fn pixel(point: (f64, f64)) -> (i32, i32) {
    // Coordinates are bounded by the canvas size, so the float-to-int conversion cannot overflow;
    // `as` saturates anyway.
    (point.0.round() as i32, point.1.round() as i32)
}

/// Draws the map into `area` and returns its layout.
pub fn draw_latency_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markers: &[MapMarker],
    overlay: &MapOverlay,
) -> Result<MapLayout, DrawingAreaErrorKind<DB::ErrorType>> {
    let layout = draw_world(area)?;
    draw_overlay_areas(area, &layout, overlay)?;
    draw_paths(area, &layout, &overlay.paths)?;

    // Unanswered probes first, then answered ones from slowest to fastest, so the fast ones (the
    // evidence of a nearby site) are never hidden under slow neighbours.
    let mut order: Vec<&MapMarker> = markers.iter().collect();
    order.sort_by(|a, b| match (a.rtt_ms, b.rtt_ms) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => y.total_cmp(&x),
    });
    for marker in order {
        let center = pixel(layout.to_pixel(marker.longitude, marker.latitude));
        match marker.rtt_ms {
            None => draw_cross(area, center)?,
            Some(rtt) => draw_dot(area, center, rgb(rtt_rgb(Some(rtt))))?,
        }
    }

    for &(longitude, latitude) in &overlay.set_aside {
        if longitude.is_finite() && latitude.is_finite() {
            draw_set_aside(area, pixel(layout.to_pixel(longitude, latitude)))?;
        }
    }

    // Sites go over the probes: they are the conclusion the reader looks for.
    for &(longitude, latitude) in &overlay.sites {
        if longitude.is_finite() && latitude.is_finite() {
            draw_site(area, pixel(layout.to_pixel(longitude, latitude)))?;
        }
    }

    draw_legend(area, &layout, overlay)?;
    Ok(layout)
}

/// A marker for something that got no answer: a grey cross, never a scale colour.
fn draw_cross<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let r = MARKER_RADIUS_PX;
    let style = rgb(NO_REPLY_RGB).stroke_width(2);
    area.draw(&PathElement::new(
        vec![(x - r, y - r), (x + r, y + r)],
        style,
    ))?;
    area.draw(&PathElement::new(
        vec![(x - r, y + r), (x + r, y - r)],
        style,
    ))?;
    Ok(())
}

/// A filled, outlined dot.
fn draw_dot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    center: (i32, i32),
    fill: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.draw(&Circle::new(center, MARKER_RADIUS_PX, fill.filled()))?;
    area.draw(&Circle::new(
        center,
        MARKER_RADIUS_PX,
        OUTLINE_RGB.stroke_width(1),
    ))?;
    Ok(())
}

/// The globe and its land, shared by every map; returns the layout the markers are placed with.
fn draw_world<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
) -> Result<MapLayout, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width_px, height_px) = area.dim_in_pixel();
    let layout = MapLayout::fit(width_px, height_px);
    area.fill(&WHITE)?;

    // The globe's outline: the meridians at ±180° and the pole lines bound the Equal Earth shape.
    let mut outline: Vec<(i32, i32)> = (-90..=90)
        .map(|lat| pixel(layout.to_pixel(180.0, f64::from(lat))))
        .collect();
    outline.extend(
        (-90..=90)
            .rev()
            .map(|lat| pixel(layout.to_pixel(-180.0, f64::from(lat)))),
    );
    area.draw(&Polygon::new(outline, OCEAN_RGB.filled()))?;

    // The land rings are cut at the antimeridian (see `geo::land`), so each projects to a planar
    // polygon. Holes (the Caspian Sea) are separate rings wound the other way; plotters fills each
    // polygon on its own, so exteriors are painted as land first and holes as water over them.
    let projected: Vec<Vec<(f64, f64)>> = land_rings_planar()
        .iter()
        .map(|ring| {
            ring.iter()
                .map(|&(lon, lat)| layout.to_pixel(lon, lat))
                .collect()
        })
        .filter(|ring: &Vec<(f64, f64)>| ring.len() >= 3)
        .collect();
    let ring_areas: Vec<f64> = projected.iter().map(|ring| signed_area(ring)).collect();
    let exterior_sign = ring_areas
        .iter()
        .copied()
        .max_by(|a, b| a.abs().total_cmp(&b.abs()))
        .map_or(1.0, f64::signum);
    for holes_pass in [false, true] {
        for (ring, ring_area) in projected.iter().zip(&ring_areas) {
            let is_hole = ring_area.signum() != exterior_sign;
            if is_hole != holes_pass {
                continue;
            }
            let points: Vec<(i32, i32)> = ring.iter().map(|&point| pixel(point)).collect();
            let fill = if is_hole { OCEAN_RGB } else { LAND_RGB };
            area.draw(&Polygon::new(points.clone(), fill.filled()))?;
            area.draw(&PathElement::new(points, COAST_RGB.stroke_width(1)))?;
        }
    }

    Ok(layout)
}

fn draw_overlay_areas<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MapLayout,
    overlay: &MapOverlay,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let fill = SITE_RGB.mix(AREA_FILL_ALPHA).filled();
    let edge = SITE_RGB.stroke_width(2);
    for ring in &overlay.areas {
        if ring.len() < 3
            || ring
                .iter()
                .any(|(lon, lat)| !lon.is_finite() || !lat.is_finite())
        {
            continue;
        }
        let ring = unwrap_longitudes(ring);
        for shift in edge_shifts(&ring) {
            let mut points: Vec<(i32, i32)> = ring
                .iter()
                .map(|&(lon, lat)| pixel(layout.to_pixel(lon + shift, lat.clamp(-90.0, 90.0))))
                .collect();
            area.draw(&Polygon::new(points.clone(), fill))?;
            if let Some(first) = points.first().copied() {
                points.push(first);
            }
            area.draw(&PathElement::new(points, edge))?;
        }
    }
    Ok(())
}

/// Paths: thin dark lines under the markers, each segment split where it crosses the antimeridian's
/// unwrapped edge, so a path from Tokyo to Los Angeles does not cross the whole map.
fn draw_paths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MapLayout,
    paths: &[Vec<(f64, f64)>],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = PATH_RGB.mix(0.7).stroke_width(2);
    for path in paths {
        if path.len() < 2
            || path
                .iter()
                .any(|(lon, lat)| !lon.is_finite() || !lat.is_finite())
        {
            continue;
        }
        let line = unwrap_longitudes(path);
        for shift in edge_shifts(&line) {
            let points: Vec<(i32, i32)> = line
                .iter()
                .map(|&(lon, lat)| pixel(layout.to_pixel(lon + shift, lat.clamp(-90.0, 90.0))))
                .collect();
            area.draw(&PathElement::new(points, style))?;
        }
    }
    Ok(())
}

/// A probe set aside: a red ring around its marker.
fn draw_set_aside<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    center: (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.draw(&Circle::new(
        center,
        MARKER_RADIUS_PX + 4,
        SITE_RGB.stroke_width(2),
    ))?;
    Ok(())
}

/// A site: a red diamond with a white rim, readable over land, sea and probe markers alike.
fn draw_site<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let diamond = |r: i32| vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
    area.draw(&Polygon::new(diamond(SITE_RADIUS_PX + 2), WHITE.filled()))?;
    area.draw(&Polygon::new(diamond(SITE_RADIUS_PX), SITE_RGB.filled()))?;
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MapLayout,
    overlay: &MapOverlay,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let top = i32::try_from(layout.height_px.saturating_sub(LEGEND_HEIGHT_PX)).unwrap_or(0) + 8;
    let text = ("sans-serif", 12).into_font().color(&BLACK);
    let mut x = 8;
    area.draw(&Text::new("min RTT:", (x, top), text.clone()))?;
    x += 58;
    for band in RTT_BANDS {
        area.draw(&Rectangle::new(
            [(x, top), (x + 12, top + 12)],
            rgb(band.rgb).filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(x, top), (x + 12, top + 12)],
            OUTLINE_RGB.stroke_width(1),
        ))?;
        area.draw(&Text::new(band.label, (x + 16, top), text.clone()))?;
        x += 16 + 7 * i32::try_from(band.label.chars().count()).unwrap_or(8) + 10;
    }
    let r = MARKER_RADIUS_PX;
    draw_cross(area, (x + r, top + 6))?;
    area.draw(&Text::new("no reply", (x + 2 * r + 6, top), text.clone()))?;
    x += 2 * r + 6 + 70;
    if !overlay.sites.is_empty() {
        draw_site(area, (x + SITE_RADIUS_PX, top + 6))?;
        area.draw(&Text::new(
            "site",
            (x + 2 * SITE_RADIUS_PX + 6, top),
            text.clone(),
        ))?;
        x += 2 * SITE_RADIUS_PX + 6 + 36;
    }
    if !overlay.areas.is_empty() {
        area.draw(&Rectangle::new(
            [(x, top), (x + 12, top + 12)],
            SITE_RGB.mix(AREA_FILL_ALPHA).filled(),
        ))?;
        area.draw(&Rectangle::new(
            [(x, top), (x + 12, top + 12)],
            SITE_RGB.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            "where the site can be",
            (x + 16, top),
            text.clone(),
        ))?;
        x += 16 + 124;
    }
    if !overlay.set_aside.is_empty() {
        draw_set_aside(area, (x + MARKER_RADIUS_PX + 4, top + 6))?;
        area.draw(&Text::new(
            "set aside",
            (x + 2 * MARKER_RADIUS_PX + 14, top),
            text,
        ))?;
    }
    Ok(())
}

/// A DNS vantage on the map: where it is and which answer set it got (`None`: it got no answer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CategoryMarker {
    pub longitude: f64,
    pub latitude: f64,
    /// Index of the answer set, 0 for the largest.
    pub category: Option<usize>,
}

/// The legend title of the DNS answer-set maps.
pub const ANSWER_SET_TITLE: &str = "answer set:";

/// Draws vantages coloured by category (an answer set, an HTTP status), with a legend titled `title`
/// naming each (`legend[i]` for category `i`; categories past the palette share "other").
pub fn draw_answer_map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markers: &[CategoryMarker],
    legend: &[String],
    title: &str,
) -> Result<MapLayout, DrawingAreaErrorKind<DB::ErrorType>> {
    let layout = draw_world(area)?;
    // Failures first, then the largest answer set first: the minorities (where outliers are) end up
    // on top instead of under the crowd.
    let mut order: Vec<&CategoryMarker> = markers
        .iter()
        .filter(|m| m.longitude.is_finite() && m.latitude.is_finite())
        .collect();
    order.sort_by_key(|marker| marker.category.map_or(0, |category| category + 1));
    for marker in order {
        let center = pixel(layout.to_pixel(marker.longitude, marker.latitude));
        match marker.category {
            None => draw_cross(area, center)?,
            Some(category) => draw_dot(area, center, rgb(category_rgb(category)))?,
        }
    }
    draw_category_legend(
        area,
        &layout,
        legend,
        title,
        markers.iter().any(|m| m.category.is_none()),
    )?;
    Ok(layout)
}

fn draw_category_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MapLayout,
    legend: &[String],
    title: &str,
    any_failed: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let top = i32::try_from(layout.height_px.saturating_sub(LEGEND_HEIGHT_PX)).unwrap_or(0) + 8;
    let text = ("sans-serif", 12).into_font().color(&BLACK);
    let mut x = 8;
    area.draw(&Text::new(title.to_string(), (x, top), text.clone()))?;
    // About 6.5 px per character of the 12 px sans-serif, as for the entries below.
    x += i32::try_from(title.chars().count() * 13 / 2).unwrap_or(74) + 8;
    let shown = legend.len().min(super::scale::CATEGORY_COLOURS.len());
    let mut entries: Vec<(RGBColor, String)> = legend[..shown]
        .iter()
        .enumerate()
        .map(|(index, label)| (rgb(category_rgb(index)), label.clone()))
        .collect();
    if legend.len() > shown {
        entries.push((
            rgb(super::scale::OTHER_CATEGORY_RGB),
            format!("{} other sets", legend.len() - shown),
        ));
    }
    for (colour, label) in entries {
        let center = (x + MARKER_RADIUS_PX, top + 6);
        draw_dot(area, center, colour)?;
        area.draw(&Text::new(
            label.clone(),
            (x + 2 * MARKER_RADIUS_PX + 5, top),
            text.clone(),
        ))?;
        x += 2 * MARKER_RADIUS_PX + 5 + 7 * i32::try_from(label.chars().count()).unwrap_or(8) + 12;
    }
    if any_failed {
        draw_cross(area, (x + MARKER_RADIUS_PX, top + 6))?;
        area.draw(&Text::new(
            "no answer",
            (x + 2 * MARKER_RADIUS_PX + 6, top),
            text,
        ))?;
    }
    Ok(())
}

/// The answer-set map as a standalone SVG document (for export and for native tests).
pub fn answer_map_svg(
    markers: &[CategoryMarker],
    legend: &[String],
    title: &str,
    width_px: u32,
    height_px: u32,
) -> String {
    svg_document(width_px, height_px, |area| {
        draw_answer_map(area, markers, legend, title).map(|_| ())
    })
}

/// Draws into a standalone SVG document. Drawing into a string cannot fail for I/O reasons; an
/// error would only come from a plotters bug, and then an incomplete SVG is a better outcome than a
/// crash.
fn svg_document(
    width_px: u32,
    height_px: u32,
    draw: impl FnOnce(
        &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<std::io::Error>>,
) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width_px, height_px)).into_drawing_area();
        let _ = draw(&area);
        let _ = area.present();
    }
    svg
}

/// What a map shows: the latency markers with an inference overlay, or DNS vantages by answer set.
/// The canvas component draws either through this one type.
#[derive(Debug, Clone, PartialEq)]
pub enum MapContent {
    Latency {
        markers: Vec<MapMarker>,
        overlay: MapOverlay,
    },
    Answers {
        markers: Vec<CategoryMarker>,
        legend: Vec<String>,
        /// What the categories are ("answer set:", "HTTP status:").
        title: String,
    },
}

impl MapContent {
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<MapLayout, DrawingAreaErrorKind<DB::ErrorType>> {
        match self {
            MapContent::Latency { markers, overlay } => draw_latency_map(area, markers, overlay),
            MapContent::Answers {
                markers,
                legend,
                title,
            } => draw_answer_map(area, markers, legend, title),
        }
    }

    /// Each marker's (longitude, latitude), in order, for hit-testing.
    pub fn positions(&self) -> Vec<(f64, f64)> {
        match self {
            MapContent::Latency { markers, .. } => {
                markers.iter().map(|m| (m.longitude, m.latitude)).collect()
            }
            MapContent::Answers { markers, .. } => {
                markers.iter().map(|m| (m.longitude, m.latitude)).collect()
            }
        }
    }

    pub fn svg(&self, width_px: u32, height_px: u32) -> String {
        match self {
            MapContent::Latency { markers, overlay } => {
                latency_map_svg(markers, overlay, width_px, height_px)
            }
            MapContent::Answers {
                markers,
                legend,
                title,
            } => answer_map_svg(markers, legend, title, width_px, height_px),
        }
    }
}

/// Spreads markers that share a position onto a small ring around it, so each stays visible and
/// can be hovered (several resolvers asked for the same country are placed at the same city).
/// `radius_deg` is the ring's radius in degrees of latitude; longitudes are widened by 1/cos(lat) so
/// the ring looks round, and positions that are not finite are left alone.
pub fn spread_coincident(positions: &[(f64, f64)], radius_deg: f64) -> Vec<(f64, f64)> {
    let key = |(lon, lat): (f64, f64)| ((lon * 100.0).round() as i64, (lat * 100.0).round() as i64);
    let mut out = positions.to_vec();
    let mut seen: Vec<((i64, i64), Vec<usize>)> = Vec::new();
    for (index, &position) in positions.iter().enumerate() {
        if !position.0.is_finite() || !position.1.is_finite() {
            continue;
        }
        match seen.iter_mut().find(|(k, _)| *k == key(position)) {
            Some((_, members)) => members.push(index),
            None => seen.push((key(position), vec![index])),
        }
    }
    for (_, members) in seen.iter().filter(|(_, members)| members.len() > 1) {
        for (step, &index) in members.iter().enumerate() {
            let (lon, lat) = positions[index];
            let angle = std::f64::consts::TAU * step as f64 / members.len() as f64;
            let widen = lat.to_radians().cos().abs().max(0.2);
            out[index] = (
                lon + radius_deg * angle.cos() / widen,
                (lat + radius_deg * angle.sin()).clamp(-90.0, 90.0),
            );
        }
    }
    out
}

/// The map as a standalone SVG document (for export and for native tests).
pub fn latency_map_svg(
    markers: &[MapMarker],
    overlay: &MapOverlay,
    width_px: u32,
    height_px: u32,
) -> String {
    svg_document(width_px, height_px, |area| {
        draw_latency_map(area, markers, overlay).map(|_| ())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const AMSTERDAM: (f64, f64) = (4.90, 52.37);

    #[test]
    fn pixels_and_coordinates_round_trip() {
        let layout = MapLayout::fit(960, 520);
        let (x, y) = layout.to_pixel(AMSTERDAM.0, AMSTERDAM.1);
        assert!(
            x > 480.0 && y < 260.0,
            "Amsterdam is east of Greenwich and north of the equator"
        );
        let (lon, lat) = layout.to_coordinate(x, y).unwrap();
        assert!((lon - AMSTERDAM.0).abs() < 1e-6 && (lat - AMSTERDAM.1).abs() < 1e-6);
        assert_eq!(
            layout.to_coordinate(1.0, 1.0),
            None,
            "the top-left corner is off the globe"
        );
    }

    #[test]
    fn hover_finds_the_nearest_marker_within_reach() {
        let layout = MapLayout::fit(960, 520);
        let markers = [
            MapMarker {
                longitude: AMSTERDAM.0,
                latitude: AMSTERDAM.1,
                rtt_ms: Some(3.0),
            },
            MapMarker {
                longitude: 139.69,
                latitude: 35.68,
                rtt_ms: None,
            },
        ];
        let (x, y) = layout.to_pixel(139.69, 35.68);
        assert_eq!(layout.marker_at(&markers, x + 3.0, y - 2.0), Some(1));
        assert_eq!(layout.marker_at(&markers, x + 40.0, y), None);
    }

    #[test]
    fn the_svg_has_land_markers_and_legend() {
        let markers = [
            MapMarker {
                longitude: AMSTERDAM.0,
                latitude: AMSTERDAM.1,
                rtt_ms: Some(3.0),
            },
            MapMarker {
                longitude: -74.0,
                latitude: 40.7,
                rtt_ms: Some(80.0),
            },
            MapMarker {
                longitude: 151.2,
                latitude: -33.9,
                rtt_ms: None,
            },
        ];
        let svg = latency_map_svg(&markers, &MapOverlay::default(), 960, 520);
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.matches("<polygon").count() > 100,
            "land polygons are drawn"
        );
        assert_eq!(
            svg.matches("<circle").count(),
            4,
            "two answered markers, each filled and outlined"
        );
        assert!(
            svg.contains("fill=\"#FDE725\"") || svg.contains("fill=\"#fde725\""),
            "the < 10 ms colour is used"
        );
        assert!(svg.contains("no reply") && svg.contains("min RTT"));
        assert!(
            !svg.contains("where the site can be"),
            "no overlay legend without an overlay"
        );
    }

    #[test]
    fn an_overlay_draws_its_area_and_sites_with_a_legend() {
        let markers = [MapMarker {
            longitude: AMSTERDAM.0,
            latitude: AMSTERDAM.1,
            rtt_ms: Some(3.0),
        }];
        let plain = latency_map_svg(&markers, &MapOverlay::default(), 960, 520);
        let square = vec![(3.0, 51.0), (7.0, 51.0), (7.0, 54.0), (3.0, 54.0)];
        let overlay = MapOverlay {
            areas: vec![square],
            sites: vec![AMSTERDAM, (139.69, 35.68)],
            ..MapOverlay::default()
        };
        let svg = latency_map_svg(&markers, &overlay, 960, 520);
        assert!(svg.contains("where the site can be"));
        assert!(
            svg.lines().any(|line| line.trim() == "site"),
            "the legend names the site symbol"
        );
        // The area adds one polygon; each site (and the legend's) a rim and a body.
        assert_eq!(
            svg.matches("<polygon").count(),
            plain.matches("<polygon").count() + 1 + 2 * 3
        );
        assert!(svg.contains("fill-opacity=\"0.18\"") || svg.contains("opacity=\"0.18\""));
    }

    #[test]
    fn the_answer_map_colours_each_set_and_crosses_failures() {
        let markers = [
            CategoryMarker {
                longitude: AMSTERDAM.0,
                latitude: AMSTERDAM.1,
                category: Some(0),
            },
            CategoryMarker {
                longitude: 139.69,
                latitude: 35.68,
                category: Some(1),
            },
            CategoryMarker {
                longitude: -74.0,
                latitude: 40.7,
                category: None,
            },
            CategoryMarker {
                longitude: f64::NAN,
                latitude: 0.0,
                category: Some(0),
            },
        ];
        let legend = vec!["A (1)".to_string(), "B (1)".to_string()];
        let svg = answer_map_svg(&markers, &legend, ANSWER_SET_TITLE, 960, 520);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("answer set:") && svg.contains("A (1)") && svg.contains("no answer"));
        // Two placed dots and two legend dots, each filled and outlined; the NaN marker is skipped.
        assert_eq!(svg.matches("<circle").count(), 8);
        let first = crate::chart::scale::css_rgb(category_rgb(0)).to_uppercase();
        assert!(
            svg.to_uppercase().contains(&format!("FILL=\"{first}\"")),
            "{first}"
        );
        assert!(!svg.contains("min RTT"), "no RTT legend on an answer map");
        let content = MapContent::Answers {
            markers: markers.to_vec(),
            legend,
            title: ANSWER_SET_TITLE.to_string(),
        };
        assert_eq!(content.svg(960, 520), svg);
        assert_eq!(content.positions()[1], (139.69, 35.68));
        // Many sets: the palette runs out and the rest are "other".
        let many: Vec<String> = (0..10).map(|n| format!("S{n}")).collect();
        assert!(answer_map_svg(&[], &many, ANSWER_SET_TITLE, 960, 520).contains("3 other sets"));
    }

    #[test]
    fn coincident_markers_are_spread_on_a_ring_and_others_stay() {
        let positions = [
            (13.4, 52.5),
            (13.4, 52.5),
            (13.4, 52.5),
            (2.35, 48.86),
            (f64::NAN, 1.0),
        ];
        let spread = spread_coincident(&positions, 1.0);
        assert_eq!(spread[3], positions[3]);
        assert!(spread[4].0.is_nan());
        for point in &spread[..3] {
            let lat_off = point.1 - 52.5;
            let lon_off = (point.0 - 13.4) * 52.5f64.to_radians().cos();
            assert!((lat_off.hypot(lon_off) - 1.0).abs() < 1e-9, "{point:?}");
        }
        assert_ne!(spread[0], spread[1]);
        let layout = MapLayout::fit(960, 520);
        let (x, y) = layout.to_pixel(spread[1].0, spread[1].1);
        assert_eq!(layout.position_at(&spread, x, y), Some(1));
    }

    #[test]
    fn paths_are_drawn_as_lines_and_garbage_is_skipped() {
        let plain = latency_map_svg(&[], &MapOverlay::default(), 960, 520);
        let overlay = MapOverlay {
            paths: vec![
                vec![(-122.4, 37.8), (-74.0, 40.7), AMSTERDAM],
                vec![(139.7, 35.7), (-118.2, 34.1)],
                vec![(f64::NAN, 1.0), (2.0, 2.0)],
                vec![AMSTERDAM],
            ],
            ..MapOverlay::default()
        };
        let svg = latency_map_svg(&[], &overlay, 960, 520);
        let lines = svg.matches("stroke=\"#2B3A55\"").count();
        assert_eq!(
            plain.matches("stroke=\"#2B3A55\"").count(),
            0,
            "no path colour without paths"
        );
        // One line for the transatlantic path; the Pacific one is drawn from both edges.
        assert_eq!(lines, 3, "{lines}");
    }

    #[test]
    fn set_aside_probes_are_ringed_and_named_in_the_legend() {
        let overlay = MapOverlay {
            sites: vec![AMSTERDAM],
            areas: vec![vec![(3.0, 51.0), (7.0, 51.0), (7.0, 54.0)]],
            set_aside: vec![(38.76, 9.02)],
            ..MapOverlay::default()
        };
        let svg = latency_map_svg(&[], &overlay, 960, 520);
        assert!(svg.lines().any(|line| line.trim() == "set aside"));
        // The ring on the map and the one in the legend; the legend stays inside the canvas.
        let rings = svg
            .lines()
            .filter(|line| line.starts_with("<circle") && line.contains("stroke=\"#D62728\""))
            .count();
        assert_eq!(rings, 2);
        let last_text_x = svg
            .lines()
            .filter(|line| line.starts_with("<text"))
            .filter_map(|line| {
                line.split("x=\"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .parse::<f64>()
                    .ok()
            })
            .fold(0.0_f64, f64::max);
        assert!(last_text_x + 60.0 < 960.0, "{last_text_x}");
    }

    #[test]
    fn a_disc_ring_lies_at_its_radius() {
        let ring = disc_ring(AMSTERDAM.1, AMSTERDAM.0, 500.0, 36);
        assert_eq!(ring.len(), 36);
        for (lon, lat) in ring {
            let distance = crate::geo::haversine_km(AMSTERDAM.1, AMSTERDAM.0, lat, lon);
            assert!((distance - 500.0).abs() < 0.5, "{distance}");
        }
        assert!(disc_ring(0.0, 0.0, f64::NAN, 8).is_empty());
    }

    #[test]
    fn an_area_across_the_antimeridian_is_drawn_on_both_edges() {
        let fiji = vec![
            (175.0, -15.0),
            (-175.0, -15.0),
            (-175.0, -20.0),
            (175.0, -20.0),
        ];
        let unwrapped = unwrap_longitudes(&fiji);
        assert_eq!(unwrapped[1].0, 185.0);
        assert_eq!(unwrapped[2].0, 185.0);
        let overlay = MapOverlay {
            areas: vec![fiji],
            ..MapOverlay::default()
        };
        let plain = latency_map_svg(&[], &MapOverlay::default(), 960, 520);
        let svg = latency_map_svg(&[], &overlay, 960, 520);
        assert_eq!(
            svg.matches("<polygon").count(),
            plain.matches("<polygon").count() + 2
        );
        // Garbage coordinates are skipped rather than drawn or panicking.
        let broken = MapOverlay {
            areas: vec![vec![(f64::NAN, 0.0), (1.0, 1.0), (2.0, 0.0)]],
            sites: vec![(f64::INFINITY, 0.0)],
            ..MapOverlay::default()
        };
        let drawn = latency_map_svg(&[], &broken, 960, 520);
        assert!(
            !drawn.contains("opacity=\"0.18\" fill=\"#D62728\" points"),
            "no area is drawn"
        );
        assert_eq!(
            drawn.matches("<polygon").count(),
            plain.matches("<polygon").count() + 2,
            "only the legend's site symbol (rim and body) is added"
        );
    }
}
