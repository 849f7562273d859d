//! Points on the sphere as unit vectors, and the azimuthal equidistant projection around a point.
//!
//! Latency inference tests millions of "is this point within r km of that one" questions; with unit
//! vectors each is one dot product against a precomputed cosine, with no trigonometry and no special cases
//! at the poles or the ±180° meridian. It owns only that vector arithmetic: distances shown to people still
//! come from [`super::haversine_km`]. Pure core, no I/O, no panics (non-finite input gives non-finite
//! output, which callers filter).

use super::EARTH_MEAN_RADIUS_KM;

/// A point on the unit sphere: x towards (0° N, 0° E), y towards (0° N, 90° E), z towards the North Pole.
pub type UnitVector = [f64; 3];

/// The unit vector of a latitude/longitude in degrees.
pub fn unit_vector(lat_deg: f64, lon_deg: f64) -> UnitVector {
    let (sin_lat, cos_lat) = lat_deg.to_radians().sin_cos();
    let (sin_lon, cos_lon) = lon_deg.to_radians().sin_cos();
    [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat]
}

/// The latitude and longitude in degrees of a (not necessarily normalised) vector; longitude in
/// (-180°, 180°]. The zero vector gives (0, 0) rather than NaN, because `atan2(0, 0)` is 0.
pub fn lat_lon(vector: UnitVector) -> (f64, f64) {
    let [x, y, z] = vector;
    (z.atan2(x.hypot(y)).to_degrees(), y.atan2(x).to_degrees())
}

pub fn dot(a: UnitVector, b: UnitVector) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: UnitVector, b: UnitVector) -> UnitVector {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn norm(a: UnitVector) -> f64 {
    dot(a, a).sqrt()
}

/// The central angle between two unit vectors in radians, in [0, π]. The `atan2` of the cross and dot
/// products stays accurate for both tiny and near-antipodal angles, where `acos` of the dot product
/// alone loses most of its digits.
pub fn central_angle_rad(a: UnitVector, b: UnitVector) -> f64 {
    norm(cross(a, b)).atan2(dot(a, b))
}

/// Great-circle distance in km between two unit vectors, on the sphere of the IUGG mean radius.
pub fn distance_km(a: UnitVector, b: UnitVector) -> f64 {
    central_angle_rad(a, b) * EARTH_MEAN_RADIUS_KM
}

/// A local frame for the azimuthal equidistant projection centred on one point: plane coordinates are
/// kilometres east (x) and north (y), and the distance from the origin equals the great-circle distance
/// from the centre exactly (Snyder, "Map Projections: A Working Manual", USGS Professional Paper 1395,
/// 1987, ch. 25). That property is why the feasible-region search samples in it: the square
/// [-r, r]² holds the whole disc of radius r around the centre, whatever the latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TangentFrame {
    pub centre: UnitVector,
    east: UnitVector,
    north: UnitVector,
}

impl TangentFrame {
    pub fn new(lat_deg: f64, lon_deg: f64) -> TangentFrame {
        let (sin_lat, cos_lat) = lat_deg.to_radians().sin_cos();
        let (sin_lon, cos_lon) = lon_deg.to_radians().sin_cos();
        // The derivatives of the position by longitude and latitude, normalised. At a pole "east" still
        // follows the given longitude's meridian, so the frame stays orthonormal there.
        TangentFrame {
            centre: [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat],
            east: [-sin_lon, cos_lon, 0.0],
            north: [-sin_lat * cos_lon, -sin_lat * sin_lon, cos_lat],
        }
    }

    /// The point at plane coordinates (x km east, y km north): the point at distance √(x² + y²) along
    /// the great circle leaving the centre in that direction.
    pub fn unproject(&self, x_km: f64, y_km: f64) -> UnitVector {
        let distance_km = x_km.hypot(y_km);
        let angle_rad = distance_km / EARTH_MEAN_RADIUS_KM;
        let (sin_angle, cos_angle) = angle_rad.sin_cos();
        let (east_share, north_share) = if distance_km > 0.0 {
            (x_km / distance_km, y_km / distance_km)
        } else {
            (0.0, 0.0)
        };
        let mut point = [0.0; 3];
        for (axis, value) in point.iter_mut().enumerate() {
            *value = cos_angle * self.centre[axis]
                + sin_angle * (east_share * self.east[axis] + north_share * self.north[axis]);
        }
        point
    }

    /// The plane coordinates (km east, km north) of a point. The antipode of the centre has no
    /// direction; it maps to (0, -πR) by convention (any direction would be as right).
    pub fn project(&self, point: UnitVector) -> (f64, f64) {
        let distance_km = distance_km(self.centre, point);
        let x = dot(point, self.east);
        let y = dot(point, self.north);
        let length = x.hypot(y);
        if length > 0.0 {
            (distance_km * x / length, distance_km * y / length)
        } else if dot(point, self.centre) < 0.0 {
            (0.0, -distance_km)
        } else {
            (0.0, 0.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::haversine_km;

    #[test]
    fn vectors_round_trip_through_latitude_and_longitude() {
        for (lat, lon) in [(52.37, 4.9), (-33.9, 151.2), (0.0, 180.0), (89.9, -179.9)] {
            let (back_lat, back_lon) = lat_lon(unit_vector(lat, lon));
            assert!((back_lat - lat).abs() < 1e-9);
            let wrapped = ((back_lon - lon + 540.0) % 360.0) - 180.0;
            assert!(wrapped.abs() < 1e-9, "{lon} → {back_lon}");
        }
    }

    #[test]
    fn vector_distance_matches_haversine() {
        let pairs = [
            ((52.37, 4.9), (40.71, -74.01)),
            ((0.0, 0.0), (0.0, 180.0)),
            ((-16.5, 179.5), (-16.5, -179.5)),
            ((10.0, 10.0), (10.0, 10.00001)),
        ];
        for ((lat1, lon1), (lat2, lon2)) in pairs {
            let by_vector = distance_km(unit_vector(lat1, lon1), unit_vector(lat2, lon2));
            let by_haversine = haversine_km(lat1, lon1, lat2, lon2);
            assert!(
                (by_vector - by_haversine).abs() < 1e-6,
                "{by_vector} vs {by_haversine}"
            );
        }
    }

    #[test]
    fn the_projection_keeps_distances_from_its_centre() {
        for (lat, lon) in [(52.0, 5.0), (90.0, 0.0), (-90.0, 40.0), (0.0, 179.9)] {
            let frame = TangentFrame::new(lat, lon);
            for (x, y) in [(100.0, 0.0), (0.0, -2500.0), (-7000.0, 3000.0), (0.0, 0.0)] {
                let point = frame.unproject(x, y);
                assert!((norm(point) - 1.0).abs() < 1e-12);
                let distance = distance_km(frame.centre, point);
                assert!((distance - f64::hypot(x, y)).abs() < 1e-6, "{distance}");
                let (back_x, back_y) = frame.project(point);
                assert!((back_x - x).abs() < 1e-6 && (back_y - y).abs() < 1e-6);
            }
        }
    }

    #[test]
    fn north_is_north() {
        let frame = TangentFrame::new(10.0, 20.0);
        let (lat, lon) = lat_lon(frame.unproject(0.0, 111.2));
        assert!((lat - 11.0).abs() < 0.01 && (lon - 20.0).abs() < 1e-9);
        let (_, east_lon) = lat_lon(frame.unproject(100.0, 0.0));
        assert!(east_lon > 20.0);
    }
}
