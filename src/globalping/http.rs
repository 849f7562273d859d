//! HTTP checks from many places: one row per probe (where it is, the status it got, timings, TLS,
//! headers) and a verdict in plain words, such as "HTTP 500 from all 48 locations on 6 continents" or
//! "Fails only from Europe: 12 of 12 locations there (HTTP 503); the 36 elsewhere answered HTTP 200".
//!
//! A location *fails* when it got no status at all (a timeout, a refused connection, a TLS error) or
//! a 5xx: the server or something in front of it could not serve the page. A 4xx is an answer (the
//! server decided, e.g. 404 or 403), so it counts as working; `by_status` still lists it apart, and a
//! mix of statuses is called "Mixed", so a 403 from one region stays visible. Rows whose probe has not
//! reported are left out of the verdict, and the headline says how many.
//!
//! Pure: reads a parsed `Measurement`; continents are named by `geo::continents`.

use std::collections::BTreeMap;

use super::measurement::{HttpTimings, Measurement, Outcome, Probe, TlsSummary};
use super::request::TestType;
use crate::format::counted;
use crate::geo::{Continent, continent_of};

#[derive(Debug, Clone, PartialEq)]
pub struct HttpRow {
    pub probe: Probe,
    pub continent_name: String,
    pub status_code: Option<u16>,
    /// Why there is no answer: the failure Globalping reported, or that the reply had no status.
    pub failure: Option<String>,
    pub timings: HttpTimings,
    pub tls: Option<TlsSummary>,
    pub headers: Vec<(String, String)>,
}

impl HttpRow {
    /// A row whose probe has not reported: neither a status nor a failure yet.
    pub fn is_in_progress(&self) -> bool {
        self.status_code.is_none() && self.failure.is_none()
    }

    /// No status, or a 5xx (see the module doc).
    pub fn is_failing(&self) -> bool {
        match self.status_code {
            Some(code) => code >= 500,
            None => self.failure.is_some(),
        }
    }

    /// "HTTP 503", or "no answer".
    pub fn status_label(&self) -> String {
        match self.status_code {
            Some(code) => format!("HTTP {code}"),
            None => "no answer".to_string(),
        }
    }
}

/// The English name of a probe's continent: its code as Globalping gives it, else the continent of
/// its country; "Unknown continent" when neither says.
pub fn continent_name(probe: &Probe) -> String {
    let code = probe.continent.trim().to_ascii_uppercase();
    Continent::ALL
        .into_iter()
        .find(|continent| continent.code() == code)
        .or_else(|| continent_of(&probe.country))
        .map_or_else(|| "Unknown continent".to_string(), |c| c.name().to_string())
}

/// One row per result of an HTTP measurement; none for a measurement of another type.
pub fn http_rows(m: &Measurement) -> Vec<HttpRow> {
    if m.test.is_some_and(|test| test != TestType::Http) {
        return Vec::new();
    }
    m.results
        .iter()
        .filter_map(|result| {
            let base = HttpRow {
                continent_name: continent_name(&result.probe),
                probe: result.probe.clone(),
                status_code: None,
                failure: None,
                timings: HttpTimings::default(),
                tls: None,
                headers: Vec::new(),
            };
            match &result.outcome {
                Outcome::Pending => Some(base),
                Outcome::Failed { reason } => Some(HttpRow {
                    failure: Some(reason.clone()),
                    ..base
                }),
                Outcome::Http {
                    status_code,
                    timings,
                    tls,
                    headers,
                    ..
                } => Some(HttpRow {
                    status_code: *status_code,
                    failure: status_code
                        .is_none()
                        .then(|| "the reply had no status code".to_string()),
                    timings: timings.clone(),
                    tls: tls.clone(),
                    headers: headers.clone(),
                    ..base
                }),
                _ => None,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpVerdict {
    pub headline: String,
    /// ("HTTP 500" | "no answer", locations), most frequent first.
    pub by_status: Vec<(String, usize)>,
    /// (continent, working locations, failing locations), by continent name.
    pub by_continent: Vec<(String, usize, usize)>,
}

fn locations(count: usize) -> String {
    counted(count, "location")
}

fn continents(count: usize) -> String {
    counted(count, "continent")
}

/// "HTTP 200", or "HTTP 200 ×30, HTTP 404 ×6" for several.
fn statuses(counts: &[(String, usize)]) -> String {
    match counts {
        [(label, _)] => label.clone(),
        many => many
            .iter()
            .map(|(label, count)| format!("{label} ×{count}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn count_by_status<'a>(rows: impl Iterator<Item = &'a HttpRow>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        *counts.entry(row.status_label()).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The verdict over the rows that have reported; `None` when there are no rows at all.
pub fn http_verdict(rows: &[HttpRow]) -> Option<HttpVerdict> {
    if rows.is_empty() {
        return None;
    }
    let running = rows.iter().filter(|row| row.is_in_progress()).count();
    let done: Vec<&HttpRow> = rows.iter().filter(|row| !row.is_in_progress()).collect();
    let by_status = count_by_status(done.iter().copied());
    let mut per_continent: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for row in &done {
        let entry = per_continent
            .entry(row.continent_name.as_str())
            .or_default();
        if row.is_failing() {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    let by_continent: Vec<(String, usize, usize)> = per_continent
        .iter()
        .map(|(name, (ok, failing))| ((*name).to_string(), *ok, *failing))
        .collect();
    let running_note = match running {
        0 => String::new(),
        1 => " (1 location still running, not counted)".to_string(),
        n => format!(" ({n} locations still running, not counted)"),
    };
    if done.is_empty() {
        return Some(HttpVerdict {
            headline: format!("No location has answered yet{running_note}"),
            by_status,
            by_continent,
        });
    }
    let failing: Vec<&HttpRow> = done.iter().copied().filter(|r| r.is_failing()).collect();
    let working: Vec<&HttpRow> = done.iter().copied().filter(|r| !r.is_failing()).collect();
    let failing_continents: Vec<&str> = by_continent
        .iter()
        .filter(|(_, _, failing)| *failing > 0)
        .map(|(name, _, _)| name.as_str())
        .collect();
    let headline = if let [(label, count)] = by_status.as_slice() {
        let everywhere = if *count == 1 {
            format!("from the one location ({})", done[0].continent_name)
        } else {
            format!(
                "from all {} on {}",
                locations(*count),
                continents(by_continent.len())
            )
        };
        if label == "no answer" {
            format!("No answer {everywhere}")
        } else {
            format!("{label} {everywhere}")
        }
    } else if !failing.is_empty() && working.is_empty() {
        let listed: Vec<String> = by_status
            .iter()
            .map(|(label, count)| format!("{count} {label}"))
            .collect();
        format!(
            "Fails from all {}: {}",
            locations(done.len()),
            listed.join(", ")
        )
    } else if !failing.is_empty() && failing_continents.len() < by_continent.len() {
        // Failures confined to some continents, with every other continent working.
        let inside: Vec<&&HttpRow> = done
            .iter()
            .filter(|row| failing_continents.contains(&row.continent_name.as_str()))
            .collect();
        let clean_split = inside.iter().all(|row| row.is_failing());
        let elsewhere = done.len() - inside.len();
        let failure_statuses = statuses(&count_by_status(failing.iter().copied()));
        let elsewhere_statuses =
            statuses(&count_by_status(done.iter().copied().filter(|row| {
                !failing_continents.contains(&row.continent_name.as_str())
            })));
        match failing_continents.as_slice() {
            [one] => format!(
                "Fails only from {one}: {} of {} there ({failure_statuses}); the {elsewhere} elsewhere answered {elsewhere_statuses}",
                failing.len(),
                locations(inside.len()),
            ),
            many if clean_split => format!(
                "Fails only from {}: all {} there ({failure_statuses}); the {elsewhere} elsewhere answered {elsewhere_statuses}",
                and_list(many),
                locations(inside.len()),
            ),
            _ => mixed(&by_status),
        }
    } else {
        mixed(&by_status)
    };
    Some(HttpVerdict {
        headline: format!("{headline}{running_note}"),
        by_status,
        by_continent,
    })
}

/// "Mixed: 30 HTTP 200, 10 HTTP 500, 8 no answer".
fn mixed(by_status: &[(String, usize)]) -> String {
    let listed: Vec<String> = by_status
        .iter()
        .map(|(label, count)| format!("{count} {label}"))
        .collect();
    format!("Mixed: {}", listed.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::globalping::measurement::parse_measurement;
    use crate::globalping::measurement::tests::{HTTP, PING};

    fn row(continent: &str, status: Option<u16>) -> HttpRow {
        let probe = Probe {
            continent: continent.to_string(),
            ..Probe::default()
        };
        HttpRow {
            continent_name: continent_name(&probe),
            probe,
            status_code: status,
            failure: status.is_none().then(|| "connect ETIMEDOUT".to_string()),
            timings: HttpTimings::default(),
            tls: None,
            headers: Vec::new(),
        }
    }

    fn rows(spec: &[(&str, Option<u16>, usize)]) -> Vec<HttpRow> {
        spec.iter()
            .flat_map(|(continent, status, count)| {
                std::iter::repeat_n(row(continent, *status), *count)
            })
            .collect()
    }

    #[test]
    fn the_http_example_is_one_row() {
        let measurement = parse_measurement(HTTP).unwrap();
        let rows = http_rows(&measurement);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].continent_name, "Asia");
        assert_eq!(rows[0].status_code, Some(200));
        assert_eq!(rows[0].timings.total_ms, Some(325.0));
        assert_eq!(
            rows[0].tls.as_ref().and_then(|t| t.protocol.as_deref()),
            Some("TLSv1.3")
        );
        assert_eq!(rows[0].headers.len(), 24);
        let verdict = http_verdict(&rows).unwrap();
        assert_eq!(verdict.headline, "HTTP 200 from the one location (Asia)");
        assert_eq!(verdict.by_status, [("HTTP 200".to_string(), 1)]);
        assert_eq!(verdict.by_continent, [("Asia".to_string(), 1, 0)]);
        // Other types give no rows.
        assert!(http_rows(&parse_measurement(PING).unwrap()).is_empty());
        assert_eq!(http_verdict(&[]), None);
    }

    #[test]
    fn headlines() {
        let everywhere = rows(&[
            ("AF", Some(500), 3),
            ("AS", Some(500), 10),
            ("EU", Some(500), 15),
            ("NA", Some(500), 10),
            ("OC", Some(500), 5),
            ("SA", Some(500), 5),
        ]);
        assert_eq!(
            http_verdict(&everywhere).unwrap().headline,
            "HTTP 500 from all 48 locations on 6 continents"
        );
        let fine = rows(&[
            ("EU", Some(200), 4),
            ("NA", Some(200), 4),
            ("AS", Some(200), 4),
        ]);
        assert_eq!(
            http_verdict(&fine).unwrap().headline,
            "HTTP 200 from all 12 locations on 3 continents"
        );
        let europe = rows(&[
            ("EU", Some(503), 12),
            ("NA", Some(200), 20),
            ("AS", Some(200), 16),
        ]);
        let verdict = http_verdict(&europe).unwrap();
        assert_eq!(
            verdict.headline,
            "Fails only from Europe: 12 of 12 locations there (HTTP 503); the 36 elsewhere answered HTTP 200"
        );
        assert_eq!(
            verdict.by_continent,
            [
                ("Asia".to_string(), 16, 0),
                ("Europe".to_string(), 0, 12),
                ("North America".to_string(), 20, 0)
            ]
        );
        let partly = rows(&[
            ("EU", Some(503), 5),
            ("EU", None, 2),
            ("EU", Some(200), 5),
            ("NA", Some(200), 20),
            ("AS", Some(404), 4),
        ]);
        assert_eq!(
            http_verdict(&partly).unwrap().headline,
            "Fails only from Europe: 7 of 12 locations there (HTTP 503 ×5, no answer ×2); the 24 elsewhere answered HTTP 200 ×20, HTTP 404 ×4"
        );
        let two = rows(&[("EU", Some(502), 6), ("AS", None, 4), ("NA", Some(200), 10)]);
        assert_eq!(
            http_verdict(&two).unwrap().headline,
            "Fails only from Asia and Europe: all 10 locations there (HTTP 502 ×6, no answer ×4); the 10 elsewhere answered HTTP 200"
        );
        let mixed = rows(&[
            ("EU", Some(200), 15),
            ("EU", Some(500), 5),
            ("NA", Some(200), 15),
            ("NA", Some(500), 5),
            ("AS", None, 8),
        ]);
        assert_eq!(
            http_verdict(&mixed).unwrap().headline,
            "Mixed: 30 HTTP 200, 10 HTTP 500, 8 no answer"
        );
        let all_bad = rows(&[("EU", Some(500), 4), ("AS", None, 2)]);
        assert_eq!(
            http_verdict(&all_bad).unwrap().headline,
            "Fails from all 6 locations: 4 HTTP 500, 2 no answer"
        );
        // 4xx are answers: a region-specific 403 is "Mixed", not a failure.
        let blocked = rows(&[("EU", Some(200), 9), ("AS", Some(403), 3)]);
        let verdict = http_verdict(&blocked).unwrap();
        assert_eq!(verdict.headline, "Mixed: 9 HTTP 200, 3 HTTP 403");
        assert_eq!(verdict.by_continent[0], ("Asia".to_string(), 3, 0));
        let silent = rows(&[("EU", None, 3)]);
        assert_eq!(
            http_verdict(&silent).unwrap().headline,
            "No answer from all 3 locations on 1 continent"
        );
    }

    #[test]
    fn running_rows_are_left_out_and_said() {
        let mut some = rows(&[("EU", Some(200), 3)]);
        let mut running = row("EU", None);
        running.failure = None;
        assert!(running.is_in_progress());
        some.push(running.clone());
        assert_eq!(
            http_verdict(&some).unwrap().headline,
            "HTTP 200 from all 3 locations on 1 continent (1 location still running, not counted)"
        );
        let verdict = http_verdict(&[running.clone(), running]).unwrap();
        assert_eq!(
            verdict.headline,
            "No location has answered yet (2 locations still running, not counted)"
        );
        assert!(verdict.by_status.is_empty());
    }

    #[test]
    fn continents_by_code_or_country() {
        let by_country = Probe {
            country: "de".into(),
            ..Probe::default()
        };
        assert_eq!(continent_name(&by_country), "Europe");
        let antarctica = Probe {
            continent: "AN".into(),
            ..Probe::default()
        };
        assert_eq!(continent_name(&antarctica), "Antarctica");
        assert_eq!(continent_name(&Probe::default()), "Unknown continent");
    }

    #[test]
    fn failed_and_running_results_become_rows() {
        let text = r#"{"id":"x","type":"http","status":"in-progress","results":[
            {"probe":{"continent":"EU","country":"DE"},"result":{"status":"failed","rawOutput":"connect ETIMEDOUT 192.0.2.1:443"}},
            {"probe":{"continent":"EU","country":"FR"},"result":{"status":"in-progress","rawOutput":""}},
            {"probe":{"continent":"NA","country":"US"},"result":{"status":"finished","rawOutput":"","statusCode":null}}]}"#;
        let rows = http_rows(&parse_measurement(text).unwrap());
        assert_eq!(rows.len(), 3);
        // The same results of a ping measurement are no HTTP rows.
        let ping = text.replace("\"type\":\"http\"", "\"type\":\"ping\"");
        assert!(http_rows(&parse_measurement(&ping).unwrap()).is_empty());
        assert_eq!(
            rows[0].failure.as_deref(),
            Some("connect ETIMEDOUT 192.0.2.1:443")
        );
        assert!(rows[1].is_in_progress());
        assert!(rows[2].is_failing());
        assert_eq!(
            http_verdict(&rows).unwrap().headline,
            "No answer from all 2 locations on 2 continents (1 location still running, not counted)"
        );
    }
}
