//! Geography for the notebook: great-circle distance, the country → continent table, the city gazetteer,
//! the Equal Earth map projection and the Natural Earth land outline that the map draws.
//!
//! This is pure core: it must not import yew, web-sys, gloo, js-sys or wasm-bindgen, must do no I/O (the
//! land outline is compiled in), and must never panic on input data. Drawing belongs to `chart`; this
//! module only supplies coordinates.

pub mod cities;
pub mod continents;
pub mod land;
pub mod projection;
pub mod sphere;

pub use cities::{City, cities, cities_within, nearest_city};
pub use continents::{Continent, continent_of, country_codes, country_name};
pub use land::{decode_topojson_rings, land_rings, land_rings_planar, split_at_antimeridian};
pub use projection::{EQUAL_EARTH_MAX_X, EQUAL_EARTH_MAX_Y, equal_earth, equal_earth_inverse};

/// Mean Earth radius R1 = (2a + b) / 3 of the GRS 80 ellipsoid, as adopted by the IUGG, in kilometres.
///
/// Source: H. Moritz, "Geodetic Reference System 1980", Journal of Geodesy 74 (2000), 128–133, which
/// gives R1 = 6 371 008.7714 m. A sphere of this radius keeps the error of a great-circle distance
/// within about 0.5 % of the ellipsoidal (geodesic) distance, far below what latency inference needs.
pub const EARTH_MEAN_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres between two points given in degrees, on a sphere of the IUGG
/// mean Earth radius ([`EARTH_MEAN_RADIUS_KM`]).
///
/// The haversine form is used because, unlike the spherical law of cosines, it stays accurate for
/// points that are close together (R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68(2),
/// 1984, p. 159). Non-finite input gives a non-finite result rather than a panic, so callers that read
/// coordinates from outside data should check `is_finite()` on what they get back.
pub fn haversine_km(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    let lat1_rad = lat1_deg.to_radians();
    let lat2_rad = lat2_deg.to_radians();
    let delta_lat_rad = (lat2_deg - lat1_deg).to_radians();
    let delta_lon_rad = (lon2_deg - lon1_deg).to_radians();
    let half_chord_squared = (delta_lat_rad / 2.0).sin().powi(2)
        + lat1_rad.cos() * lat2_rad.cos() * (delta_lon_rad / 2.0).sin().powi(2);
    // Rounding can push the haversine a hair above 1 for antipodal points, and asin of that is NaN;
    // clamping keeps the answer at half the circumference instead. `clamp`, unlike `min`, lets a NaN
    // from non-finite input through instead of turning it into a plausible distance.
    let central_angle_rad = 2.0 * half_chord_squared.sqrt().clamp(0.0, 1.0).asin();
    EARTH_MEAN_RADIUS_KM * central_angle_rad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual_km: f64, expected_km: f64, tolerance_km: f64) {
        assert!(
            (actual_km - expected_km).abs() <= tolerance_km,
            "expected {expected_km} ± {tolerance_km} km, got {actual_km} km"
        );
    }

    #[test]
    fn haversine_same_point_is_zero() {
        assert_close(haversine_km(52.37, 4.90, 52.37, 4.90), 0.0, 1e-9);
    }

    #[test]
    fn haversine_one_degree_of_longitude_at_the_equator() {
        // One degree of arc on the sphere is 2πR / 360.
        let expected_km = 2.0 * std::f64::consts::PI * EARTH_MEAN_RADIUS_KM / 360.0;
        assert_close(haversine_km(0.0, 0.0, 0.0, 1.0), expected_km, 1e-9);
    }

    #[test]
    fn haversine_antipodes_are_half_the_circumference() {
        let half_circumference_km = std::f64::consts::PI * EARTH_MEAN_RADIUS_KM;
        assert_close(
            haversine_km(0.0, 0.0, 0.0, 180.0),
            half_circumference_km,
            1e-6,
        );
        assert_close(
            haversine_km(90.0, 0.0, -90.0, 0.0),
            half_circumference_km,
            1e-6,
        );
        assert_close(
            haversine_km(30.0, 40.0, -30.0, -140.0),
            half_circumference_km,
            1e-6,
        );
    }

    #[test]
    fn haversine_amsterdam_to_new_york() {
        // Amsterdam (52.3676 N, 4.9041 E) to New York (40.7128 N, 74.0060 W). The expected value was
        // computed independently with Python's math module from the same formula and radius, so this
        // pins both the formula and the constant.
        let distance_km = haversine_km(52.3676, 4.9041, 40.7128, -74.0060);
        assert_close(distance_km, 5_863.224, 0.1);
    }

    #[test]
    fn haversine_is_symmetric_and_handles_the_antimeridian() {
        let there_km = haversine_km(-16.5, 179.5, -16.5, -179.5);
        let back_km = haversine_km(-16.5, -179.5, -16.5, 179.5);
        assert_close(there_km, back_km, 1e-9);
        // One degree of longitude at 16.5° S, not 359 degrees the long way round.
        assert!(there_km < 110.0, "{there_km}");
    }

    #[test]
    fn haversine_non_finite_input_does_not_panic() {
        assert!(haversine_km(f64::NAN, 0.0, 0.0, 0.0).is_nan());
        assert!(!haversine_km(f64::INFINITY, 0.0, 0.0, 0.0).is_finite());
    }
}
