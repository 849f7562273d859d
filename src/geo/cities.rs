//! The city gazetteer: about 2,100 cities (population ≥ 300,000, plus each country's largest) from
//! GeoNames, compiled in from `www/geo/cities.tsv` and parsed once, lazily, on first use. It is kept
//! small for the web bundle: coordinates to 2 decimals (about 1 km, far finer than latency can place a
//! server) and populations rounded to the nearest thousand (they only rank cities).
//!
//! It owns the city table and the lookups over it (cities within a radius, the nearest city). It must do
//! no I/O and never panic: a malformed line of the table is skipped, never unwrapped. The table, its
//! licence (CC BY 4.0, GeoNames) and how it was generated are described in `www/geo/CITIES-NOTICE.md`.

use std::sync::OnceLock;

use serde::Serialize;

use super::haversine_km;
use super::sphere::{UnitVector, dot, unit_vector};

/// The baked table: a header line, then `name, country, lat, lon, population`, tab-separated, sorted by
/// population (in people, rounded to the nearest thousand), largest first.
const CITIES_TSV: &str = include_str!("../../www/geo/cities.tsv");

/// One city of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct City {
    /// The name as GeoNames spells it (UTF-8, e.g. "São Paulo").
    pub name: &'static str,
    /// ISO 3166-1 alpha-2, upper-case.
    pub country_code: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames' figure in people, rounded to the nearest thousand (exact below 1,000).
    pub population: u64,
}

/// Every city of the table, largest population first. Built on the first call and kept for the life of
/// the program: the table is immutable data compiled into the binary, so this is a cache, not state.
pub fn cities() -> &'static [City] {
    static CITIES: OnceLock<Vec<City>> = OnceLock::new();
    CITIES.get_or_init(|| parse_cities(CITIES_TSV))
}

/// Parses the table's text. Lines that do not have five fields, a valid coordinate pair and a
/// population are skipped, so a damaged table gives fewer cities rather than a panic.
fn parse_cities(text: &'static str) -> Vec<City> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(parse_city)
        .collect()
}

fn parse_city(line: &'static str) -> Option<City> {
    let mut fields = line.split('\t');
    let name = fields.next()?.trim();
    let country_code = fields.next()?.trim();
    let lat: f64 = fields.next()?.trim().parse().ok()?;
    let lon: f64 = fields.next()?.trim().parse().ok()?;
    let population: u64 = fields.next()?.trim().parse().ok()?;
    let valid = !name.is_empty()
        && country_code.len() == 2
        && lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon);
    valid.then_some(City {
        name,
        country_code,
        lat,
        lon,
        population,
    })
}

/// The cities whose centre lies within `radius_km` of a point, largest population first (the table's
/// order). Non-finite input or a negative radius gives no cities.
pub fn cities_within(lat: f64, lon: f64, radius_km: f64) -> Vec<&'static City> {
    if !lat.is_finite() || !lon.is_finite() || radius_km.is_nan() || radius_km < 0.0 {
        return Vec::new();
    }
    cities()
        .iter()
        .filter(|city| haversine_km(lat, lon, city.lat, city.lon) <= radius_km)
        .collect()
}

/// The most populous city of a country (ISO 3166-1 alpha-2, any case): a representative point for
/// something known only by its country. Every country in the table has one, since the table keeps
/// each country's largest city whatever its size.
pub fn largest_city(country_code: &str) -> Option<&'static City> {
    let code = country_code.trim();
    // The table is sorted largest first, so the first match is the largest.
    cities()
        .iter()
        .find(|city| city.country_code.eq_ignore_ascii_case(code))
}

/// The unit vectors of [`cities`], in the same order, built once: nearest-city look-ups for thousands
/// of probes then cost one dot product per city instead of a haversine.
fn city_vectors() -> &'static [UnitVector] {
    static VECTORS: OnceLock<Vec<UnitVector>> = OnceLock::new();
    VECTORS.get_or_init(|| {
        cities()
            .iter()
            .map(|city| unit_vector(city.lat, city.lon))
            .collect()
    })
}

/// The city nearest to a point, with its distance in km; `None` for non-finite input (or an empty
/// table). Ties go to the larger city, because the table is scanned largest first and only a strictly
/// nearer city replaces the current one. The nearest city is the one whose unit vector has the
/// largest dot product with the point's.
pub fn nearest_city(lat: f64, lon: f64) -> Option<(&'static City, f64)> {
    if !lat.is_finite() || !lon.is_finite() {
        return None;
    }
    let point = unit_vector(lat, lon);
    let mut best: Option<(usize, f64)> = None;
    for (index, vector) in city_vectors().iter().enumerate() {
        let closeness = dot(point, *vector);
        if best.is_none_or(|(_, best_closeness)| closeness > best_closeness) {
            best = Some((index, closeness));
        }
    }
    let city = cities().get(best?.0)?;
    Some((city, haversine_km(lat, lon, city.lat, city.lon)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str, country_code: &str) -> &'static City {
        cities()
            .iter()
            .find(|city| city.name == name && city.country_code == country_code)
            .unwrap_or_else(|| panic!("{name} ({country_code}) is in the table"))
    }

    #[test]
    fn well_known_cities_are_where_they_should_be() {
        // Reference coordinates are the usual city-centre figures; GeoNames' points lie within a few km.
        for (name, country, lat, lon) in [
            ("Amsterdam", "NL", 52.37, 4.90),
            ("Tokyo", "JP", 35.68, 139.69),
            ("São Paulo", "BR", -23.55, -46.63),
            ("Atlanta", "US", 33.75, -84.39),
        ] {
            let city = find(name, country);
            let off_km = haversine_km(city.lat, city.lon, lat, lon);
            assert!(off_km < 15.0, "{name} is {off_km} km off");
            assert!(city.population >= 300_000, "{name}");
        }
    }

    #[test]
    fn every_row_of_the_table_parses() {
        let data_lines = CITIES_TSV
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .count();
        assert_eq!(cities().len(), data_lines);
        // About 2,100 rows: enough to name every large metro, small enough for the web bundle.
        assert!(
            (2_000..2_500).contains(&cities().len()),
            "{}",
            cities().len()
        );
        // Largest first, as the lookups rely on.
        assert!(
            cities()
                .windows(2)
                .all(|pair| pair[0].population >= pair[1].population)
        );
    }

    #[test]
    fn bad_lines_are_skipped_not_unwrapped() {
        let text = "#name\tcountry\tlat\tlon\tpopulation\n\
                    Good\tNL\t52.0\t4.0\t1000\n\
                    NoPopulation\tNL\t52.0\t4.0\n\
                    BadLat\tNL\tnorth\t4.0\t10\n\
                    OffTheGlobe\tNL\t95.0\t4.0\t10\n\
                    NaN\tNL\tNaN\t4.0\t10\n\
                    \tNL\t1.0\t1.0\t10\n\
                    \n";
        let parsed = parse_cities(text);
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].name, "Good");
    }

    #[test]
    fn lookups_near_amsterdam() {
        let (city, distance_km) = nearest_city(52.35, 4.91).unwrap();
        assert_eq!(city.name, "Amsterdam");
        assert!(distance_km < 5.0);
        // GeoNames counts Rotterdam (57 km away) as larger than Amsterdam, so it leads a wider circle;
        // Utrecht (35 km) and The Hague (50 km) are the other cities of 300,000 or more nearby.
        let near = cities_within(52.37, 4.90, 30.0);
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].name, "Amsterdam");
        let wider: Vec<&str> = cities_within(52.37, 4.90, 60.0)
            .iter()
            .map(|city| city.name)
            .collect();
        assert_eq!(
            wider,
            vec!["Rotterdam", "Amsterdam", "The Hague", "Utrecht"]
        );
    }

    #[test]
    fn a_countrys_largest_city_represents_it() {
        assert_eq!(largest_city("jp").map(|c| c.name), Some("Tokyo"));
        assert_eq!(largest_city("DE").map(|c| c.name), Some("Berlin"));
        assert_eq!(largest_city("ET").map(|c| c.name), Some("Addis Ababa"));
        assert!(largest_city("ZZ").is_none());
        assert!(largest_city("").is_none());
        // That every country of the shipped ECS table has one is tested in `dns::subnets`.
    }

    #[test]
    fn lookups_survive_odd_input() {
        assert!(nearest_city(f64::NAN, 0.0).is_none());
        assert!(cities_within(0.0, f64::INFINITY, 100.0).is_empty());
        assert!(cities_within(0.0, 0.0, -1.0).is_empty());
        assert!(cities_within(0.0, 0.0, f64::NAN).is_empty());
        // A radius of half the circumference covers the whole table.
        assert_eq!(cities_within(90.0, 180.0, 20_100.0).len(), cities().len());
        // Poles and the antimeridian have a nearest city too.
        assert!(nearest_city(-90.0, 0.0).is_some());
        let (fiji, _) = nearest_city(-18.1, 179.99).unwrap();
        assert_eq!(fiji.country_code, "FJ");
    }
}
