//! The Equal Earth map projection, forward and inverse, on a sphere of radius 1.
//!
//! It owns only the formula: x grows east and y grows north, in units of the sphere's radius. Scaling
//! to pixels, flipping y for screens and clipping belong to the chart code; this file must not know
//! about either.
//!
//! Source: Bojan Šavrič, Tom Patterson and Bernhard Jenny, "The Equal Earth map projection",
//! International Journal of Geographical Information Science 33(3), 2019 (online 2018), 454–465,
//! doi:10.1080/13658816.2018.1504949, which gives the polynomial coefficients, the parametric latitude
//! θ and the Newton iteration for the inverse. The same formulas are transcribed as method 1078 in
//! IOGP's EPSG Guidance Note 7-2, which starts the inverse iteration from θ₀ = y as done here. On a
//! sphere the authalic latitude equals the geodetic latitude, so that step of the ellipsoidal form is
//! skipped. Equal Earth is equal-area, which is why the notebook uses it: probe density per area reads
//! honestly off the map.

use std::f64::consts::{FRAC_PI_2, PI};

/// Polynomial coefficients A1–A4 of the Equal Earth projection (Šavrič, Patterson & Jenny 2018).
const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// √3 / 2, the factor M in sin θ = M · sin φ (Šavrič, Patterson & Jenny 2018).
const M: f64 = 0.866_025_403_784_438_6;

/// Largest |x| of the map, reached on the equator at ±180°: 2√3·π / (3·A1).
///
/// Written out as a number because `f64::sqrt` is not `const`; the tests recompute it from the
/// formula.
pub const EQUAL_EARTH_MAX_X: f64 = 2.706_629_983_696_074_3;

/// Largest |y| of the map, reached at the poles, where θ = π/3: A1·θ + A2·θ³ + A3·θ⁷ + A4·θ⁹.
///
/// The poles are straight lines in Equal Earth, so every longitude reaches this y at ±90°.
pub const EQUAL_EARTH_MAX_Y: f64 = 1.317_362_759_157_413_3;

/// How many Newton steps the inverse may take. The iteration converges in a handful of steps over the
/// whole map (the round-trip test exercises it), so this only bounds the loop.
const MAX_NEWTON_STEPS: usize = 20;

/// Newton's iteration stops once a step changes θ by less than this many radians, a few micrometres on
/// the Earth: far finer than any map needs.
const NEWTON_TOLERANCE_RAD: f64 = 1e-12;

/// How far outside the map (in projected units) an inverse query may fall and still be accepted, so
/// that points exactly on the outline do not flicker to `None` through rounding.
const EDGE_TOLERANCE: f64 = 1e-9;

/// y(θ) = A1·θ + A2·θ³ + A3·θ⁷ + A4·θ⁹, the northing polynomial of Šavrič, Patterson & Jenny 2018.
fn polynomial_y(theta_rad: f64) -> f64 {
    let theta2 = theta_rad * theta_rad;
    let theta6 = theta2 * theta2 * theta2;
    theta_rad * (A1 + A2 * theta2 + theta6 * (A3 + A4 * theta2))
}

/// dy/dθ, which is also the denominator of the easting formula (Šavrič, Patterson & Jenny 2018).
fn polynomial_y_derivative(theta_rad: f64) -> f64 {
    let theta2 = theta_rad * theta_rad;
    let theta6 = theta2 * theta2 * theta2;
    A1 + 3.0 * A2 * theta2 + theta6 * (7.0 * A3 + 9.0 * A4 * theta2)
}

/// Projects a longitude and latitude in degrees to Equal Earth (x, y) on the unit sphere.
///
/// Latitudes beyond ±90° are clamped to the poles (they are rounding noise or bad data, and the pole
/// line is the least surprising place for them). Longitudes are used as given, so a longitude beyond
/// ±180° lands beyond the map's edge rather than wrapping. Non-finite input gives non-finite output.
pub fn equal_earth(lon_deg: f64, lat_deg: f64) -> (f64, f64) {
    let lambda_rad = lon_deg.to_radians();
    let phi_rad = lat_deg.clamp(-90.0, 90.0).to_radians();
    let theta_rad = (M * phi_rad.sin()).asin();
    let x = 2.0 * 3f64.sqrt() * lambda_rad * theta_rad.cos()
        / (3.0 * polynomial_y_derivative(theta_rad));
    let y = polynomial_y(theta_rad);
    (x, y)
}

/// Inverts [`equal_earth`]: from (x, y) on the unit sphere back to (longitude, latitude) in degrees.
///
/// θ is found from y by Newton's method, as the paper does, starting from θ = y (the polynomial's
/// leading term is close to the identity). Returns `None` for points outside the map's outline
/// (beyond the pole lines or the curved side meridians) and for non-finite input.
pub fn equal_earth_inverse(x: f64, y: f64) -> Option<(f64, f64)> {
    if !x.is_finite() || !y.is_finite() || y.abs() > EQUAL_EARTH_MAX_Y + EDGE_TOLERANCE {
        return None;
    }
    let y = y.clamp(-EQUAL_EARTH_MAX_Y, EQUAL_EARTH_MAX_Y);
    // θ spans [-π/3, π/3]; the clamp keeps a Newton step from leaving that range, where the
    // polynomial is no longer monotonic.
    let theta_max_rad = PI / 3.0;
    let mut theta_rad = y;
    for _ in 0..MAX_NEWTON_STEPS {
        let step_rad = (polynomial_y(theta_rad) - y) / polynomial_y_derivative(theta_rad);
        theta_rad = (theta_rad - step_rad).clamp(-theta_max_rad, theta_max_rad);
        if step_rad.abs() < NEWTON_TOLERANCE_RAD {
            break;
        }
    }
    let lambda_rad =
        3.0 * x * polynomial_y_derivative(theta_rad) / (2.0 * 3f64.sqrt() * theta_rad.cos());
    if lambda_rad.abs() > PI + EDGE_TOLERANCE {
        return None;
    }
    let sin_phi = (theta_rad.sin() / M).clamp(-1.0, 1.0);
    let phi_rad = sin_phi.asin().clamp(-FRAC_PI_2, FRAC_PI_2);
    let lon_deg = lambda_rad.clamp(-PI, PI).to_degrees();
    Some((lon_deg, phi_rad.to_degrees()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "expected {expected} ± {tolerance}, got {actual}"
        );
    }

    #[test]
    fn origin_maps_to_origin() {
        let (x, y) = equal_earth(0.0, 0.0);
        assert_close(x, 0.0, 1e-15);
        assert_close(y, 0.0, 1e-15);
    }

    #[test]
    fn extents_match_the_formula() {
        assert_close(
            EQUAL_EARTH_MAX_X,
            2.0 * 3f64.sqrt() * PI / (3.0 * A1),
            1e-15,
        );
        assert_close(EQUAL_EARTH_MAX_Y, polynomial_y(PI / 3.0), 1e-15);
        let (east_x, equator_y) = equal_earth(180.0, 0.0);
        assert_close(east_x, EQUAL_EARTH_MAX_X, 1e-12);
        assert_close(equator_y, 0.0, 1e-15);
        let (_, north_y) = equal_earth(37.0, 90.0);
        assert_close(north_y, EQUAL_EARTH_MAX_Y, 1e-12);
    }

    #[test]
    fn no_point_falls_outside_the_extents() {
        for lat_step in -18..=18 {
            for lon_step in -36..=36 {
                let (x, y) = equal_earth(f64::from(lon_step) * 5.0, f64::from(lat_step) * 5.0);
                assert!(
                    x.abs() <= EQUAL_EARTH_MAX_X + 1e-12,
                    "{lon_step} {lat_step}"
                );
                assert!(
                    y.abs() <= EQUAL_EARTH_MAX_Y + 1e-12,
                    "{lon_step} {lat_step}"
                );
            }
        }
    }

    #[test]
    fn projection_is_symmetric_about_both_axes() {
        for (lon_deg, lat_deg) in [(12.5, 47.0), (-73.9, 40.7), (151.2, -33.9), (179.0, 89.0)] {
            let (x, y) = equal_earth(lon_deg, lat_deg);
            let (mirror_x, mirror_y) = equal_earth(-lon_deg, -lat_deg);
            assert_close(mirror_x, -x, 1e-15);
            assert_close(mirror_y, -y, 1e-15);
            let (west_x, same_y) = equal_earth(-lon_deg, lat_deg);
            assert_close(west_x, -x, 1e-15);
            assert_close(same_y, y, 1e-15);
        }
    }

    #[test]
    fn parallels_are_straight_and_meridians_evenly_spaced() {
        // Equal Earth is a pseudocylindrical projection: y depends on latitude only, and along a
        // parallel x is proportional to longitude.
        let (x_60, y_60) = equal_earth(60.0, 45.0);
        let (x_120, y_120) = equal_earth(120.0, 45.0);
        assert_close(y_60, y_120, 1e-15);
        assert_close(x_120, 2.0 * x_60, 1e-12);
    }

    #[test]
    fn round_trip_on_a_grid() {
        for lat_step in -18..=18 {
            for lon_step in -36..=36 {
                let lon_deg = f64::from(lon_step) * 5.0;
                let lat_deg = f64::from(lat_step) * 5.0;
                let (x, y) = equal_earth(lon_deg, lat_deg);
                let Some((back_lon_deg, back_lat_deg)) = equal_earth_inverse(x, y) else {
                    panic!("inverse failed for ({lon_deg}, {lat_deg})");
                };
                assert_close(back_lat_deg, lat_deg, 1e-9);
                // At the poles every longitude maps to the same point, so only latitude survives.
                if lat_deg.abs() < 90.0 {
                    assert_close(back_lon_deg, lon_deg, 1e-9);
                }
            }
        }
    }

    #[test]
    fn latitude_beyond_the_pole_is_clamped() {
        assert_eq!(equal_earth(10.0, 95.0), equal_earth(10.0, 90.0));
        assert_eq!(equal_earth(10.0, -91.0), equal_earth(10.0, -90.0));
    }

    #[test]
    fn inverse_rejects_points_outside_the_map() {
        assert_eq!(equal_earth_inverse(0.0, EQUAL_EARTH_MAX_Y + 0.01), None);
        assert_eq!(equal_earth_inverse(0.0, -EQUAL_EARTH_MAX_Y - 0.01), None);
        assert_eq!(equal_earth_inverse(EQUAL_EARTH_MAX_X + 0.01, 0.0), None);
        // The side meridians curve inwards towards the poles, so a point inside the bounding box
        // but outside the outline is rejected too.
        assert_eq!(equal_earth_inverse(EQUAL_EARTH_MAX_X - 0.01, 1.2), None);
        assert_eq!(equal_earth_inverse(f64::NAN, 0.0), None);
        assert_eq!(equal_earth_inverse(0.0, f64::INFINITY), None);
    }

    #[test]
    fn inverse_accepts_the_outline_itself() {
        let Some((lon_deg, lat_deg)) = equal_earth_inverse(EQUAL_EARTH_MAX_X, 0.0) else {
            panic!("the east end of the equator is on the map");
        };
        assert_close(lon_deg, 180.0, 1e-9);
        assert_close(lat_deg, 0.0, 1e-9);
        let Some((_, pole_lat_deg)) = equal_earth_inverse(0.0, -EQUAL_EARTH_MAX_Y) else {
            panic!("the south pole line is on the map");
        };
        assert_close(pole_lat_deg, -90.0, 1e-6);
    }
}
