//! Pure helpers for talking to the RIPE Atlas REST API (v2): what the author typed → a measurement ID
//! and a time window, the request URLs, and the API's error bodies → an `ApiProblem` (read by
//! `create::read_error`, worded by `problem_words`). The requests themselves are made by the `net`
//! shell.

use crate::model::{ApiProblem, During};

#[derive(Debug, Clone, PartialEq)]
pub enum MeasurementRefError {
    Empty,
    NotRecognised(String),
}

impl MeasurementRefError {
    pub fn user_message(&self) -> String {
        match self {
            MeasurementRefError::Empty => {
                "Enter a measurement ID (a number such as 1033154) or an Atlas \
                measurement URL."
                    .to_string()
            }
            MeasurementRefError::NotRecognised(input) => format!(
                "\"{input}\" is not a measurement ID or an Atlas measurement URL. Use the number from the \
                 measurement's page, e.g. 1033154 or https://atlas.ripe.net/measurements/1033154/."
            ),
        }
    }
}

/// Accepts "1033154", an Atlas page or API URL that names `/measurements/<id>`, with or without
/// scheme, query or fragment.
pub fn parse_measurement_ref(input: &str) -> Result<u64, MeasurementRefError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(MeasurementRefError::Empty);
    }
    let not_recognised = || MeasurementRefError::NotRecognised(trimmed.chars().take(80).collect());
    let id_text = if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        trimmed
    } else {
        let path = trimmed.split(['?', '#']).next().unwrap_or_default();
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        segments
            .by_ref()
            .find(|segment| *segment == "measurements" || *segment == "measurement")
            .ok_or_else(not_recognised)?;
        segments.next().ok_or_else(not_recognised)?
    };
    match id_text.parse::<u64>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(not_recognised()),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimeError(pub String);

impl TimeError {
    pub fn user_message(&self) -> String {
        format!(
            "\"{}\" is not a time this app understands. Use UTC as 2024-01-31, 2024-01-31 12:00, \
             2024-01-31T12:00:00Z, or unix seconds.",
            self.0
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, after Howard Hinnant's `days_from_civil`
/// (<https://howardhinnant.github.io/date_algorithms.html>).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Unix seconds, or an ISO-8601 date with optional time, taken as UTC (a trailing `Z` is allowed;
/// other offsets are refused rather than guessed).
pub fn parse_time(input: &str) -> Result<i64, TimeError> {
    let text = input.trim();
    let error = || TimeError(text.chars().take(40).collect());
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| error());
    }
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix(" UTC"))
        .unwrap_or(text);
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text, None),
    };
    let numbers = |part: &str, separator: char| -> Option<Vec<i64>> {
        part.split(separator)
            .map(|n| {
                if n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty() {
                    n.parse().ok()
                } else {
                    None
                }
            })
            .collect()
    };
    let date = numbers(date, '-')
        .filter(|d| d.len() == 3)
        .ok_or_else(error)?;
    let (year, month, day) = (date[0], date[1], date[2]);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return Err(error()),
    };
    if !(1970..=9999).contains(&year) || day < 1 || day > days_in_month {
        return Err(error());
    }
    let (hour, minute, second) = match time {
        None | Some("") => (0, 0, 0),
        Some(time) => {
            let parts = numbers(time, ':')
                .filter(|t| (2..=3).contains(&t.len()))
                .ok_or_else(error)?;
            (parts[0], parts[1], parts.get(2).copied().unwrap_or(0))
        }
    };
    if hour > 23 || minute > 59 || second > 60 {
        return Err(error());
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn base(base: &str) -> &str {
    base.trim().trim_end_matches('/')
}

/// `/measurements/{id}/results/` for a window (the endpoint streams everything in the window).
pub fn results_url(api_base: &str, msm_id: u64, start: Option<i64>, stop: Option<i64>) -> String {
    let mut url = format!(
        "{}/api/v2/measurements/{msm_id}/results/?format=json",
        base(api_base)
    );
    if let Some(start) = start {
        url.push_str(&format!("&start={start}"));
    }
    if let Some(stop) = stop {
        url.push_str(&format!("&stop={stop}"));
    }
    url
}

/// `/measurements/{id}/latest/`: the most recent result of each probe.
pub fn latest_url(api_base: &str, msm_id: u64) -> String {
    format!(
        "{}/api/v2/measurements/{msm_id}/latest/?format=json",
        base(api_base)
    )
}

/// `/measurements/`: where a measurement is created (POST, with the user's key).
pub fn create_url(api_base: &str) -> String {
    format!("{}/api/v2/measurements/", base(api_base))
}

/// `/measurements/{id}/`: a measurement's metadata, whose `status` says whether it is over.
pub fn measurement_url(api_base: &str, msm_id: u64) -> String {
    format!("{}/api/v2/measurements/{msm_id}/", base(api_base))
}

/// `/probes/?id__in=…` for one batch of probe IDs.
pub fn probes_url(api_base: &str, probe_ids: &[u64]) -> String {
    let ids: Vec<String> = probe_ids.iter().map(u64::to_string).collect();
    format!(
        "{}/api/v2/probes/?id__in={}&page_size=500",
        base(api_base),
        ids.join(",")
    )
}

/// Sorted, deduplicated IDs in batches small enough that each URL stays well under the ~2,000
/// characters some proxies accept (100 IDs of up to 7 digits is about 800 characters).
pub fn probe_id_batches(ids: &[u64], max_per_request: usize) -> Vec<Vec<u64>> {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
        .chunks(max_per_request.max(1))
        .map(<[u64]>::to_vec)
        .collect()
}

/// Reads the error reply to a read of public data (results, probes, metadata) into an
/// [`ApiProblem`]: the same reader as every Atlas error body, classified by the status first, since a
/// 403 here is a private measurement whatever the body says about keys.
pub fn read_failure(status: u16, body: &str) -> ApiProblem {
    super::create::read_error(status, body, During::Reading)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ProblemKind;

    #[test]
    fn measurement_references() {
        for (input, id) in [
            ("1033154", 1_033_154),
            (" 1033154 ", 1_033_154),
            ("https://atlas.ripe.net/measurements/1033154/", 1_033_154),
            (
                "https://atlas.ripe.net/measurements/1033154/#probes",
                1_033_154,
            ),
            (
                "https://atlas.ripe.net/api/v2/measurements/1033154/results/?start=1",
                1_033_154,
            ),
            ("atlas.ripe.net/frames/measurements/1033154", 1_033_154),
            (
                "https://atlas.ripe.net/api/v1/measurement/3359986/",
                3_359_986,
            ),
        ] {
            assert_eq!(parse_measurement_ref(input), Ok(id), "{input}");
        }
        assert_eq!(parse_measurement_ref("  "), Err(MeasurementRefError::Empty));
        for bad in [
            "0",
            "abc",
            "https://atlas.ripe.net/probes/1/",
            "https://atlas.ripe.net/measurements/",
            "99999999999999999999999",
        ] {
            assert!(parse_measurement_ref(bad).is_err(), "{bad}");
        }
        assert!(
            parse_measurement_ref("x")
                .unwrap_err()
                .user_message()
                .contains("measurement ID")
        );
    }

    #[test]
    fn times() {
        // Measurement 1033154's metadata: start_time 1381825001 = 2013-10-15T08:16:41Z.
        assert_eq!(parse_time("2013-10-15T08:16:41Z"), Ok(1_381_825_001));
        assert_eq!(parse_time("2013-10-15 08:16:41"), Ok(1_381_825_001));
        assert_eq!(parse_time("2013-10-15 08:16"), Ok(1_381_824_960));
        assert_eq!(parse_time("2013-10-15"), Ok(1_381_795_200));
        assert_eq!(parse_time("1381825001"), Ok(1_381_825_001));
        assert_eq!(parse_time("2000-02-29"), Ok(951_782_400));
        for bad in [
            "",
            "yesterday",
            "2013-02-29",
            "2013-13-01",
            "2013-10-15T25:00",
            "2013-10-15T08:00+02:00",
            "-5",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_and_batches() {
        assert_eq!(
            results_url("https://atlas.ripe.net/", 5, Some(1), Some(2)),
            "https://atlas.ripe.net/api/v2/measurements/5/results/?format=json&start=1&stop=2"
        );
        assert_eq!(
            latest_url("http://127.0.0.1:9", 5),
            "http://127.0.0.1:9/api/v2/measurements/5/latest/?format=json"
        );
        assert_eq!(
            create_url("https://atlas.ripe.net/"),
            "https://atlas.ripe.net/api/v2/measurements/"
        );
        assert_eq!(
            measurement_url(" http://127.0.0.1:9 ", 5),
            "http://127.0.0.1:9/api/v2/measurements/5/"
        );
        assert_eq!(
            probes_url("https://atlas.ripe.net", &[3, 1]),
            "https://atlas.ripe.net/api/v2/probes/?id__in=3,1&page_size=500"
        );
        assert_eq!(
            probe_id_batches(&[5, 1, 5, 3, 2], 2),
            vec![vec![1, 2], vec![3, 5]]
        );
        assert_eq!(probe_id_batches(&[], 100), Vec::<Vec<u64>>::new());
        assert_eq!(probe_id_batches(&[1], 0), vec![vec![1]]);
    }

    #[test]
    fn error_bodies_from_the_docs() {
        let body = include_str!("../../tests/fixtures/atlas/error_400_docs_error-messages.json");
        let problem = read_failure(400, body);
        assert_eq!(problem.kind, ProblemKind::BadRequest);
        assert_eq!(problem.during, During::Reading);
        assert_eq!(problem.title.as_deref(), Some("Bad Request"));
        let body = include_str!("../../tests/fixtures/atlas/error_400_docs_error-handling.json");
        assert_eq!(read_failure(400, body).kind, ProblemKind::BadRequest);
        assert_eq!(
            read_failure(404, "{\"detail\": \"Not found.\"}").kind,
            ProblemKind::NotFound
        );
        assert_eq!(read_failure(503, "<html>").kind, ProblemKind::Server);
        assert_eq!(
            read_failure(429, "").kind,
            ProblemKind::RateLimited {
                hourly_quota: false
            }
        );
        let teapot = read_failure(418, "teapot");
        assert_eq!(teapot.kind, ProblemKind::Other);
        assert_eq!(teapot.detail.as_deref(), Some("teapot"));
    }
}
