//! The latency world map: Natural Earth land in the Equal Earth projection, one marker per probe
//! coloured by its minimum RTT, and a legend. Generic over the plotters backend; returns a `MapLayout`
//! that converts between pixels and coordinates for hover hit-testing.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::scale::{NO_REPLY_RGB, RTT_BANDS, rtt_rgb};
use crate::geo::land::land_rings_planar;
use crate::geo::projection::{equal_earth, equal_earth_inverse};

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

/// One thing to draw on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapMarker {
    pub longitude: f64,
    pub latitude: f64,
    /// Minimum RTT, or None when the probe got no reply.
    pub rtt_ms: Option<f64>,
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
        markers
            .iter()
            .enumerate()
            .map(|(index, marker)| {
                let (mx, my) = self.to_pixel(marker.longitude, marker.latitude);
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
            None => {
                let (x, y) = center;
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
            }
            Some(rtt) => {
                area.draw(&Circle::new(
                    center,
                    MARKER_RADIUS_PX,
                    rgb(rtt_rgb(Some(rtt))).filled(),
                ))?;
                area.draw(&Circle::new(
                    center,
                    MARKER_RADIUS_PX,
                    OUTLINE_RGB.stroke_width(1),
                ))?;
            }
        }
    }

    draw_legend(area, &layout)?;
    Ok(layout)
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MapLayout,
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
        x += 16 + 8 * i32::try_from(band.label.chars().count()).unwrap_or(8) + 10;
    }
    let r = MARKER_RADIUS_PX;
    let (cx, cy) = (x + r, top + 6);
    let style = rgb(NO_REPLY_RGB).stroke_width(2);
    area.draw(&PathElement::new(
        vec![(cx - r, cy - r), (cx + r, cy + r)],
        style,
    ))?;
    area.draw(&PathElement::new(
        vec![(cx - r, cy + r), (cx + r, cy - r)],
        style,
    ))?;
    area.draw(&Text::new("no reply", (x + 2 * r + 6, top), text))?;
    Ok(())
}

/// The map as a standalone SVG document (for export and for native tests).
pub fn latency_map_svg(markers: &[MapMarker], width_px: u32, height_px: u32) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width_px, height_px)).into_drawing_area();
        // Drawing into a string cannot fail for I/O reasons; an error would only come from a plotters
        // bug, and then an incomplete SVG is a better outcome than a crash.
        let _ = draw_latency_map(&area, markers);
        let _ = area.present();
    }
    svg
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
        let svg = latency_map_svg(&markers, 960, 520);
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
    }
}
