//! Observation tables: CSV, TSV or semicolon-separated text whose header names an id, a latitude, a
//! longitude and a minimum RTT in ms (in any order, among any other columns), as research data sets and
//! spreadsheets export them.
//!
//! It owns delimiter detection, header recognition and row validation. Every row it cannot use becomes
//! a diagnostic with its line number; it never panics and never guesses a column it does not recognise.

use super::{Observation, ObservationDiagnostic};
use crate::geo::continent_of;

/// Header names recognised for each column, compared after lower-casing, trimming, and removing a
/// leading `#` and surrounding quotes. `min(rtt)[ms]` is the iGreedy data sets' name.
const ID_NAMES: [&str; 9] = [
    "id", "hostname", "host", "probe", "prb_id", "probe_id", "name", "vantage", "vp",
];
const LAT_NAMES: [&str; 2] = ["lat", "latitude"];
const LON_NAMES: [&str; 4] = ["lon", "lng", "long", "longitude"];
const RTT_NAMES: [&str; 9] = [
    "min(rtt)[ms]",
    "rtt",
    "min_rtt",
    "rtt_min_ms",
    "rtt_min",
    "min_rtt_ms",
    "rtt_ms",
    "minrtt",
    "min(rtt)",
];
const COUNTRY_NAMES: [&str; 4] = ["country", "country_code", "cc", "countrycode"];

/// Parses a table into observations; rows it cannot use (and a header it cannot read) are diagnostics.
pub fn parse_observation_table(text: &str) -> (Vec<Observation>, Vec<ObservationDiagnostic>) {
    let mut observations = Vec::new();
    let mut diagnostics = Vec::new();
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        diagnostics.push(problem(None, None, "the table is empty".to_string()));
        return (observations, diagnostics);
    };
    let delimiter = detect_delimiter(header);
    let names: Vec<String> = split(header, delimiter)
        .iter()
        .map(|name| normalise(name))
        .collect();
    let find = |wanted: &[&str]| {
        names
            .iter()
            .position(|name| wanted.contains(&name.as_str()))
    };
    let (Some(lat_at), Some(lon_at), Some(rtt_at)) =
        (find(&LAT_NAMES), find(&LON_NAMES), find(&RTT_NAMES))
    else {
        diagnostics.push(problem(
            Some(header_line),
            None,
            format!(
                "the header must name a latitude (lat), a longitude (lon) and a minimum RTT in ms \
                 (rtt, min_rtt, min(rtt)[ms]); it has: {}",
                names.join(", ")
            ),
        ));
        return (observations, diagnostics);
    };
    let id_at = find(&ID_NAMES);
    let country_at = find(&COUNTRY_NAMES);
    for (line, row) in lines {
        if row.trim_start().starts_with('#') {
            continue;
        }
        let fields = split(row, delimiter);
        let field = |at: usize| fields.get(at).map(|field| field.trim()).unwrap_or_default();
        let id = id_at
            .map(|at| field(at).to_string())
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| format!("line {line}"));
        let number = |at: usize, what: &str| -> Result<f64, String> {
            let text = field(at);
            // A semicolon-separated file is usually a spreadsheet with decimal commas.
            let text = if delimiter == ';' {
                text.replace(',', ".")
            } else {
                text.to_string()
            };
            text.parse::<f64>()
                .ok()
                .filter(|value| value.is_finite())
                .ok_or_else(|| format!("{what} \"{}\" is not a number", field(at)))
        };
        match (
            number(lat_at, "latitude"),
            number(lon_at, "longitude"),
            number(rtt_at, "RTT"),
        ) {
            (Ok(latitude), Ok(longitude), Ok(rtt_min_ms)) => {
                let country_code = country_at
                    .map(|at| field(at).to_ascii_uppercase())
                    .filter(|code| continent_of(code).is_some());
                observations.push(Observation {
                    id,
                    latitude,
                    longitude,
                    rtt_min_ms,
                    continent: country_code.as_deref().and_then(continent_of),
                    country_code,
                });
            }
            (lat, lon, rtt) => {
                let reasons: Vec<String> = [lat, lon, rtt]
                    .into_iter()
                    .filter_map(Result::err)
                    .collect();
                diagnostics.push(problem(Some(line), Some(id), reasons.join("; ")));
            }
        }
    }
    (observations, diagnostics)
}

fn problem(line: Option<usize>, id: Option<String>, reason: String) -> ObservationDiagnostic {
    ObservationDiagnostic { line, id, reason }
}

/// Tab if the header has one (tab-separated files rarely contain stray tabs), else whichever of
/// semicolon and comma is more frequent, comma on a tie.
fn detect_delimiter(header: &str) -> char {
    if header.contains('\t') {
        return '\t';
    }
    let count = |c: char| header.matches(c).count();
    if count(';') > count(',') { ';' } else { ',' }
}

fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches('"')
        .trim()
        .to_ascii_lowercase()
}

/// Splits one line at the delimiter, honouring double-quoted fields (RFC 4180: a quote inside a quoted
/// field is doubled). An unterminated quote runs to the end of the line rather than failing.
fn split(line: &str, delimiter: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    fields.push(current);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_igreedy_tsv_header_is_recognised() {
        let text = "#hostname\tlatitude\tlongitude\tgt\tmin(rtt)[ms]\n\
                    aguila1.lsi.upc.edu\t41.389700\t2.112730\tbcn\t7.101\n";
        let (observations, diagnostics) = parse_observation_table(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(observations.len(), 1);
        let o = &observations[0];
        assert_eq!(o.id, "aguila1.lsi.upc.edu");
        assert_eq!(
            (o.latitude, o.longitude, o.rtt_min_ms),
            (41.3897, 2.11273, 7.101)
        );
    }

    #[test]
    fn csv_with_quotes_other_columns_and_a_country() {
        let text = "Probe,Country,\"Lng\",Lat,RTT,note\r\n\
                    1001,nl,4.9,52.37,1.5,\"a, b\"\r\n\
                    1002,ZZ,5.0,52.0,2.0,\r\n";
        let (observations, diagnostics) = parse_observation_table(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(observations[0].id, "1001");
        assert_eq!(observations[0].country_code.as_deref(), Some("NL"));
        assert_eq!(observations[0].longitude, 4.9);
        // An unknown country code is dropped, not kept as a guess.
        assert_eq!(observations[1].country_code, None);
    }

    #[test]
    fn semicolons_and_decimal_commas() {
        let text = "id;latitude;longitude;min_rtt\nx;52,37;4,9;1,25\n";
        let (observations, _) = parse_observation_table(text);
        assert_eq!(observations[0].rtt_min_ms, 1.25);
        assert_eq!(observations[0].latitude, 52.37);
    }

    #[test]
    fn bad_rows_are_diagnostics_with_their_line() {
        let text = "lat,lon,rtt\n52,4,1\n\nnorth,4,x\n52,4\n# a comment\n1,2,NaN\n";
        let (observations, diagnostics) = parse_observation_table(text);
        assert_eq!(observations.len(), 1);
        assert_eq!(observations[0].id, "line 2");
        let lines: Vec<Option<usize>> = diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![Some(4), Some(5), Some(7)]);
        assert!(diagnostics[0].reason.contains("latitude \"north\""));
        assert!(diagnostics[0].reason.contains("RTT \"x\""));
    }

    #[test]
    fn a_header_without_the_needed_columns_is_one_diagnostic() {
        let (observations, diagnostics) = parse_observation_table("a,b,c\n1,2,3\n");
        assert!(observations.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].reason.contains("a, b, c"));
        let (_, diagnostics) = parse_observation_table("");
        assert_eq!(diagnostics[0].reason, "the table is empty");
    }
}
