//! HTTP checks from many places: one row per probe (where it is, the status it got, timings, TLS,
//! headers) and a verdict in plain words, such as "HTTP 500 from all 48 locations on 6 continents" or
//! "Fails only from Europe: 12 of 12 locations there (HTTP 503); the 36 elsewhere answered HTTP 200".
//!
//! A location *fails* when the target gave it no status at all (a timeout, a refused connection, a
//! TLS error) or a 5xx: the server or something in front of it could not serve the page. A 4xx is an
//! answer (the server decided, e.g. 404 or 403), so it counts as working; `by_status` still lists it
//! apart, and a mix of statuses is called "Mixed", so a 403 from one region stays visible.
//!
//! Only findings about the target are counted. A probe that failed for reasons of its own (its
//! resolver, its network, offline, the probe or Globalping: see `http_failure`) observed itself, not
//! the target: it stays out of the statuses, the per-continent counts and the headline's figures,
//! and the headline says what failed ("9 of 10 locations got HTTP 500 from the target; 1 probe could
//! not reach it for reasons of its own (its resolver failed: queryA ETIMEOUT example.com)"), as the
//! DNS cell says which resolver this browser could not reach. Timeouts while every probe that got
//! through got an answer are not counted either way, and said so. Rows whose probe has not reported
//! are left out of the verdict, and the headline says how many.
//!
//! Pure: reads a parsed `Measurement`; continents are named by `geo::continents`.

use std::collections::BTreeMap;

use super::http_failure::{Attribution, FailureKind, Reported, attribute};
use super::measurement::{HttpTimings, Measurement, Outcome, Probe, TlsSummary, gist};
use super::request::TestType;
use crate::format::counted;
use crate::geo::{Continent, continent_of};

/// The class of an HTTP status code (RFC 9110 §15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    Informational,
    Success,
    Redirection,
    ClientError,
    ServerError,
    /// Outside 100–599.
    Nonstandard,
}

impl StatusClass {
    pub fn of(code: u16) -> StatusClass {
        match code {
            100..=199 => StatusClass::Informational,
            200..=299 => StatusClass::Success,
            300..=399 => StatusClass::Redirection,
            400..=499 => StatusClass::ClientError,
            500..=599 => StatusClass::ServerError,
            _ => StatusClass::Nonstandard,
        }
    }

    /// "2xx", …, or "nonstandard".
    pub fn label(self) -> &'static str {
        match self {
            StatusClass::Informational => "1xx",
            StatusClass::Success => "2xx",
            StatusClass::Redirection => "3xx",
            StatusClass::ClientError => "4xx",
            StatusClass::ServerError => "5xx",
            StatusClass::Nonstandard => "nonstandard",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpRow {
    pub probe: Probe,
    pub continent_name: String,
    pub status_code: Option<u16>,
    /// Why there is no answer: the last line of the probe's output, or what the parser said.
    pub failure: Option<String>,
    /// What the failure was (`None` when answered or still running).
    pub failure_kind: Option<FailureKind>,
    /// Whose outcome this row is, weighed against the other rows (see [`attribute_rows`]).
    pub attribution: Attribution,
    pub timings: HttpTimings,
    pub tls: Option<TlsSummary>,
    pub headers: Vec<(String, String)>,
}

impl HttpRow {
    /// A row whose probe has not reported: neither a status nor a failure yet.
    pub fn is_in_progress(&self) -> bool {
        self.attribution == Attribution::Running
    }

    /// Whether the row is a finding about the target, and so counted in the verdict.
    pub fn counts(&self) -> bool {
        self.attribution == Attribution::Target
    }

    /// A counted row with no status, or a 5xx (see the module doc).
    pub fn is_failing(&self) -> bool {
        self.counts()
            && self
                .status_code
                .is_none_or(|code| StatusClass::of(code) == StatusClass::ServerError)
    }

    /// "HTTP 503", "no answer (timed out)", or "no answer".
    pub fn status_label(&self) -> String {
        match (self.status_code, self.failure_kind) {
            (Some(code), _) => format!("HTTP {code}"),
            (None, Some(kind)) => format!("no answer ({})", kind.label()),
            (None, None) => "no answer".to_string(),
        }
    }

    /// The row's category on a map legend: its status when counted, else why it is not.
    pub fn legend_label(&self) -> String {
        match self.attribution {
            Attribution::Running => "still running".to_string(),
            Attribution::Target => self.status_label(),
            Attribution::ProbeOwn => "probe's own failure (not counted)".to_string(),
            Attribution::Unsettled => format!("{} (not counted)", self.status_label()),
        }
    }

    /// The row's outcome in words: "HTTP 200", "no answer: connection refused (connect
    /// ECONNREFUSED …)", "not counted, the probe's own failure: its resolver failed (…)".
    pub fn outcome_text(&self) -> String {
        let said = self
            .failure
            .as_deref()
            .map_or_else(String::new, |failure| format!(" ({failure})"));
        let kind = self.failure_kind.unwrap_or(FailureKind::Unexplained);
        match (self.attribution, self.status_code) {
            (Attribution::Running, _) => "still running".to_string(),
            (_, Some(code)) => format!("HTTP {code}"),
            (Attribution::Target, None) => format!("no answer: {}{said}", kind.label()),
            (Attribution::ProbeOwn, None) => format!(
                "not counted, the probe's own failure: {}{said}",
                kind.own_reason(true)
            ),
            (Attribution::Unsettled, None) => format!(
                "not counted: {} though every probe that got through was answered{said}",
                kind.label()
            ),
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

/// One row per result of an HTTP measurement, each attributed; none for a measurement of another
/// type.
pub fn http_rows(m: &Measurement) -> Vec<HttpRow> {
    if m.test.is_some_and(|test| test != TestType::Http) {
        return Vec::new();
    }
    let mut rows: Vec<HttpRow> = m
        .results
        .iter()
        .filter_map(|result| {
            let base = HttpRow {
                continent_name: continent_name(&result.probe),
                probe: result.probe.clone(),
                status_code: None,
                failure: None,
                failure_kind: None,
                attribution: Attribution::Running,
                timings: HttpTimings::default(),
                tls: None,
                headers: Vec::new(),
            };
            let failed = |message: &str| {
                FailureKind::read(&result.status, result.failure_source.as_ref(), message)
            };
            match &result.outcome {
                Outcome::Pending => Some(base),
                Outcome::Failed { reason } => {
                    // The probe's words first: `reason` adds Globalping's guess of whose failure
                    // it was, which `http_failure` weighs for itself.
                    let message = if result.raw_output.trim().is_empty() {
                        reason.as_str()
                    } else {
                        result.raw_output.as_str()
                    };
                    Some(HttpRow {
                        failure: Some(gist(message).unwrap_or_else(|| reason.clone())),
                        failure_kind: Some(failed(message)),
                        ..base
                    })
                }
                Outcome::Http {
                    status_code,
                    timings,
                    tls,
                    headers,
                    ..
                } => {
                    let no_status = "the reply had no status code";
                    Some(HttpRow {
                        status_code: *status_code,
                        failure: status_code.is_none().then(|| no_status.to_string()),
                        failure_kind: status_code.is_none().then(|| failed(no_status)),
                        timings: timings.clone(),
                        tls: tls.clone(),
                        headers: headers.clone(),
                        ..base
                    })
                }
                _ => None,
            }
        })
        .collect();
    attribute_rows(&mut rows);
    rows
}

/// Sets every row's attribution from its own outcome and all the others' (`http_failure`).
pub fn attribute_rows(rows: &mut [HttpRow]) {
    let reported: Vec<Reported> = rows
        .iter()
        .map(|row| match (row.status_code, row.failure_kind) {
            (Some(_), _) => Reported::Answered,
            (None, Some(kind)) => Reported::Failed(kind),
            (None, None) => Reported::Running,
        })
        .collect();
    for (row, attribution) in rows.iter_mut().zip(attribute(&reported)) {
        row.attribution = attribution;
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct HttpVerdict {
    pub headline: String,
    /// The findings about the target: ("HTTP 500" | "no answer (timed out)", locations), most
    /// frequent first.
    pub by_status: Vec<(String, usize)>,
    /// Per continent, by name.
    pub by_continent: Vec<ContinentCount>,
    /// What was not counted, and why: ("resolver failed (the probe's own failure)", locations),
    /// most frequent first.
    pub not_counted: Vec<(String, usize)>,
}

/// One continent's locations: the findings about the target, and those not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContinentCount {
    pub continent: String,
    pub working: usize,
    pub failing: usize,
    /// The probe's own failures and unsettled timeouts: no part of the share above.
    pub not_counted: usize,
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

/// (label, count) most frequent first, then by label.
fn tally(labels: impl Iterator<Item = String>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for label in labels {
        *counts.entry(label).or_default() += 1;
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

fn count_by_status<'a>(rows: impl Iterator<Item = &'a HttpRow>) -> Vec<(String, usize)> {
    tally(rows.map(HttpRow::status_label))
}

fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "a; b" or "a; b and 3 more": the distinct messages of some rows, in order.
fn messages(rows: &[&HttpRow]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for row in rows {
        if let Some(failure) = row.failure.as_deref()
            && !seen.contains(&failure)
        {
            seen.push(failure);
        }
    }
    const SHOWN: usize = 2;
    if seen.len() <= SHOWN {
        seen.join("; ")
    } else {
        format!(
            "{} and {} more",
            seen[..SHOWN].join("; "),
            seen.len() - SHOWN
        )
    }
}

/// The probe's-own failures by kind, most frequent first.
fn own_groups<'a>(own: &[&'a HttpRow]) -> Vec<(FailureKind, Vec<&'a HttpRow>)> {
    let mut groups: Vec<(FailureKind, Vec<&HttpRow>)> = Vec::new();
    for row in own {
        let kind = row.failure_kind.unwrap_or(FailureKind::Unexplained);
        match groups.iter_mut().find(|(known, _)| *known == kind) {
            Some((_, members)) => members.push(row),
            None => groups.push((kind, vec![row])),
        }
    }
    groups.sort_by(|a, b| {
        b.1.len()
            .cmp(&a.1.len())
            .then_with(|| a.0.label().cmp(b.0.label()))
    });
    groups
}

/// "1 probe could not reach it for reasons of its own (its resolver failed: queryA ETIMEOUT
/// example.com)"; "3 probes could not reach it for reasons of their own (resolver failed ×2: …;
/// offline ×1)". An offline probe's words are Globalping's generic ones, so they are not repeated.
fn own_clause(own: &[&HttpRow]) -> String {
    let reason = |kind: FailureKind, rows: &[&HttpRow], one_probe: bool| {
        let said = messages(rows);
        let what = kind.own_reason(one_probe);
        let what = if one_probe {
            what.to_string()
        } else {
            format!("{what} ×{}", rows.len())
        };
        if said.is_empty() || kind == FailureKind::Offline {
            what
        } else {
            format!("{what}: {said}")
        }
    };
    match own_groups(own).as_slice() {
        [(kind, rows)] if rows.len() == 1 => format!(
            "1 probe could not reach it for reasons of its own ({})",
            reason(*kind, rows, true)
        ),
        groups => format!(
            "{} probes could not reach it for reasons of their own ({})",
            own.len(),
            groups
                .iter()
                .map(|(kind, rows)| reason(*kind, rows, false))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// "2 more locations got no answer (timed out; all 2 in Asia) though every probe that got through
/// was answered: …".
fn unsettled_clause(unsettled: &[&HttpRow], done: &[&HttpRow]) -> String {
    let kinds = statuses(&tally(unsettled.iter().map(|row| {
        row.failure_kind
            .unwrap_or(FailureKind::Unexplained)
            .label()
            .to_string()
    })));
    let mut per_continent: BTreeMap<&str, usize> = BTreeMap::new();
    for row in unsettled {
        *per_continent
            .entry(row.continent_name.as_str())
            .or_default() += 1;
    }
    let places: Vec<String> = per_continent
        .iter()
        .map(|(continent, count)| {
            let there = done
                .iter()
                .filter(|row| row.continent_name == *continent)
                .count();
            match (*count, there) {
                (1, 1) => format!("the one in {continent}"),
                (count, there) if count == there => format!("all {count} in {continent}"),
                (count, there) => format!("{count} of {there} in {continent}"),
            }
        })
        .collect();
    format!(
        "{} more {} got no answer ({kinds}; {}) though every probe that got through was \
         answered: their own paths, or the target's site that serves them, may be at fault",
        unsettled.len(),
        if unsettled.len() == 1 {
            "location"
        } else {
            "locations"
        },
        places.join(", ")
    )
}

/// The verdict over the rows that have reported; `None` when there are no rows at all.
pub fn http_verdict(rows: &[HttpRow]) -> Option<HttpVerdict> {
    if rows.is_empty() {
        return None;
    }
    let running = rows.iter().filter(|row| row.is_in_progress()).count();
    let done: Vec<&HttpRow> = rows.iter().filter(|row| !row.is_in_progress()).collect();
    let counted: Vec<&HttpRow> = done.iter().copied().filter(|row| row.counts()).collect();
    let own: Vec<&HttpRow> = done
        .iter()
        .copied()
        .filter(|row| row.attribution == Attribution::ProbeOwn)
        .collect();
    let unsettled: Vec<&HttpRow> = done
        .iter()
        .copied()
        .filter(|row| row.attribution == Attribution::Unsettled)
        .collect();
    let by_status = count_by_status(counted.iter().copied());
    let mut per_continent: BTreeMap<&str, ContinentCount> = BTreeMap::new();
    for row in &done {
        let entry = per_continent
            .entry(row.continent_name.as_str())
            .or_insert_with(|| ContinentCount {
                continent: row.continent_name.clone(),
                working: 0,
                failing: 0,
                not_counted: 0,
            });
        if !row.counts() {
            entry.not_counted += 1;
        } else if row.is_failing() {
            entry.failing += 1;
        } else {
            entry.working += 1;
        }
    }
    let by_continent: Vec<ContinentCount> = per_continent.into_values().collect();
    let not_counted = tally(
        own.iter()
            .map(|row| {
                let kind = row.failure_kind.unwrap_or(FailureKind::Unexplained);
                format!("{} (the probe's own failure)", kind.own_reason(false))
            })
            .chain(unsettled.iter().map(|row| {
                let kind = row.failure_kind.unwrap_or(FailureKind::Unexplained);
                format!(
                    "{} (unsettled: every probe that got through was answered)",
                    kind.label()
                )
            })),
    );
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
            not_counted,
        });
    }
    if counted.is_empty() {
        // Unsettled rows need an answer, which would be counted: every row here is the probe's own.
        return Some(HttpVerdict {
            headline: format!(
                "Nothing learnt about the target: {}{running_note}",
                own_clause(&own)
            ),
            by_status,
            by_continent,
            not_counted,
        });
    }
    let mut clauses = vec![target_headline(&counted, &by_status, done.len())];
    if !own.is_empty() {
        clauses.push(own_clause(&own));
    }
    if !unsettled.is_empty() {
        clauses.push(unsettled_clause(&unsettled, &done));
    }
    Some(HttpVerdict {
        headline: format!("{}{running_note}", clauses.join("; ")),
        by_status,
        by_continent,
        not_counted,
    })
}

/// What the counted rows say of the target: "HTTP 500 from all 48 locations on 6 continents",
/// "Fails only from Europe: …", "Mixed: …"; with `done` rows of which some were not counted, the
/// figures say so ("9 of 10 locations got HTTP 500 from the target").
fn target_headline(counted: &[&HttpRow], by_status: &[(String, usize)], done: usize) -> String {
    let all_counted = counted.len() == done;
    let mut per_continent: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for row in counted {
        let entry = per_continent
            .entry(row.continent_name.as_str())
            .or_default();
        if row.is_failing() {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    let failing: Vec<&HttpRow> = counted.iter().copied().filter(|r| r.is_failing()).collect();
    let working = counted.len() - failing.len();
    let failing_continents: Vec<&str> = per_continent
        .iter()
        .filter(|(_, (_, failing))| *failing > 0)
        .map(|(name, _)| *name)
        .collect();
    if let [(label, count)] = by_status {
        let (answer, detail) = match label.strip_prefix("no answer") {
            Some(detail) => ("no answer", detail.to_string()),
            None => (label.as_str(), String::new()),
        };
        if !all_counted {
            return format!(
                "{count} of {} got {answer} from the target{detail}",
                locations(done)
            );
        }
        let everywhere = if *count == 1 {
            format!("from the one location ({})", counted[0].continent_name)
        } else {
            format!(
                "from all {} on {}",
                locations(*count),
                continents(per_continent.len())
            )
        };
        return if answer == "no answer" {
            format!("No answer {everywhere}{detail}")
        } else {
            format!("{label} {everywhere}")
        };
    }
    if !failing.is_empty() && working == 0 {
        let listed: Vec<String> = by_status
            .iter()
            .map(|(label, count)| format!("{count} {label}"))
            .collect();
        let which = if all_counted {
            ""
        } else {
            " that could test it"
        };
        return format!(
            "Fails from all {}{which}: {}",
            locations(counted.len()),
            listed.join(", ")
        );
    }
    if !failing.is_empty() && failing_continents.len() < per_continent.len() {
        // Failures confined to some continents, with every other continent working.
        let inside: Vec<&&HttpRow> = counted
            .iter()
            .filter(|row| failing_continents.contains(&row.continent_name.as_str()))
            .collect();
        let clean_split = inside.iter().all(|row| row.is_failing());
        let elsewhere = counted.len() - inside.len();
        let failure_statuses = statuses(&count_by_status(failing.iter().copied()));
        let elsewhere_statuses =
            statuses(&count_by_status(counted.iter().copied().filter(|row| {
                !failing_continents.contains(&row.continent_name.as_str())
            })));
        return match failing_continents.as_slice() {
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
            _ => mixed(by_status),
        };
    }
    mixed(by_status)
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
    use crate::globalping::measurement::tests::{HTTP, PING};
    use crate::globalping::measurement::{Status, parse_measurement};

    /// A synthetic row: a status code from the target, or a failure in the probe's words (read
    /// as `http_rows` reads them, with no `failureSource`); not attributed yet.
    fn row(continent: &str, outcome: Result<u16, &str>) -> HttpRow {
        let probe = Probe {
            continent: continent.to_string(),
            ..Probe::default()
        };
        HttpRow {
            continent_name: continent_name(&probe),
            probe,
            status_code: outcome.ok(),
            failure: outcome.err().map(str::to_string),
            failure_kind: outcome
                .err()
                .map(|message| FailureKind::read(&Status::Failed, None, message)),
            attribution: Attribution::Running,
            timings: HttpTimings::default(),
            tls: None,
            headers: Vec::new(),
        }
    }

    const TIMEOUT: &str = "connect ETIMEDOUT 192.0.2.1:443";
    const REFUSED: &str = "connect ECONNREFUSED 192.0.2.1:443";

    fn continent(name: &str, working: usize, failing: usize, not_counted: usize) -> ContinentCount {
        ContinentCount {
            continent: name.to_string(),
            working,
            failing,
            not_counted,
        }
    }

    /// Synthetic rows: per continent, an outcome (see `row`) and how many; attributed.
    fn rows(spec: &[(&str, Result<u16, &str>, usize)]) -> Vec<HttpRow> {
        let mut rows: Vec<HttpRow> = spec
            .iter()
            .flat_map(|(continent, outcome, count)| {
                std::iter::repeat_n(row(continent, *outcome), *count)
            })
            .collect();
        attribute_rows(&mut rows);
        rows
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
        assert_eq!(verdict.by_continent, [continent("Asia", 1, 0, 0)]);
        // Other types give no rows.
        assert!(http_rows(&parse_measurement(PING).unwrap()).is_empty());
        assert_eq!(http_verdict(&[]), None);
    }

    // Synthetic mixes of outcomes, one per shape of headline.
    #[test]
    fn headlines() {
        let everywhere = rows(&[
            ("AF", Ok(500), 3),
            ("AS", Ok(500), 10),
            ("EU", Ok(500), 15),
            ("NA", Ok(500), 10),
            ("OC", Ok(500), 5),
            ("SA", Ok(500), 5),
        ]);
        assert_eq!(
            http_verdict(&everywhere).unwrap().headline,
            "HTTP 500 from all 48 locations on 6 continents"
        );
        let fine = rows(&[("EU", Ok(200), 4), ("NA", Ok(200), 4), ("AS", Ok(200), 4)]);
        assert_eq!(
            http_verdict(&fine).unwrap().headline,
            "HTTP 200 from all 12 locations on 3 continents"
        );
        let europe = rows(&[
            ("EU", Ok(503), 12),
            ("NA", Ok(200), 20),
            ("AS", Ok(200), 16),
        ]);
        let verdict = http_verdict(&europe).unwrap();
        assert_eq!(
            verdict.headline,
            "Fails only from Europe: 12 of 12 locations there (HTTP 503); the 36 elsewhere answered HTTP 200"
        );
        assert_eq!(
            verdict.by_continent,
            [
                continent("Asia", 16, 0, 0),
                continent("Europe", 0, 12, 0),
                continent("North America", 20, 0, 0)
            ]
        );
        assert!(verdict.not_counted.is_empty());
        let partly = rows(&[
            ("EU", Ok(503), 5),
            ("EU", Err(REFUSED), 2),
            ("EU", Ok(200), 5),
            ("NA", Ok(200), 20),
            ("AS", Ok(404), 4),
        ]);
        assert_eq!(
            http_verdict(&partly).unwrap().headline,
            "Fails only from Europe: 7 of 12 locations there (HTTP 503 ×5, no answer (connection refused) ×2); the 24 elsewhere answered HTTP 200 ×20, HTTP 404 ×4"
        );
        let two = rows(&[
            ("EU", Ok(502), 6),
            ("AS", Err(REFUSED), 4),
            ("NA", Ok(200), 10),
        ]);
        assert_eq!(
            http_verdict(&two).unwrap().headline,
            "Fails only from Asia and Europe: all 10 locations there (HTTP 502 ×6, no answer (connection refused) ×4); the 10 elsewhere answered HTTP 200"
        );
        let mixed = rows(&[
            ("EU", Ok(200), 15),
            ("EU", Ok(500), 5),
            ("NA", Ok(200), 15),
            ("NA", Ok(500), 5),
            ("AS", Err(REFUSED), 8),
        ]);
        assert_eq!(
            http_verdict(&mixed).unwrap().headline,
            "Mixed: 30 HTTP 200, 10 HTTP 500, 8 no answer (connection refused)"
        );
        let all_bad = rows(&[("EU", Ok(500), 4), ("AS", Err(REFUSED), 2)]);
        assert_eq!(
            http_verdict(&all_bad).unwrap().headline,
            "Fails from all 6 locations: 4 HTTP 500, 2 no answer (connection refused)"
        );
        // 4xx are answers: a region-specific 403 is "Mixed", not a failure.
        let blocked = rows(&[("EU", Ok(200), 9), ("AS", Ok(403), 3)]);
        let verdict = http_verdict(&blocked).unwrap();
        assert_eq!(verdict.headline, "Mixed: 9 HTTP 200, 3 HTTP 403");
        assert_eq!(verdict.by_continent[0], continent("Asia", 3, 0, 0));
        // Nobody got an answer: the timeouts are about the target.
        let silent = rows(&[("EU", Err(TIMEOUT), 3)]);
        assert_eq!(
            http_verdict(&silent).unwrap().headline,
            "No answer from all 3 locations on 1 continent (timed out)"
        );
    }

    // Synthetic: the same shapes with timeouts while every probe that got through was answered.
    #[test]
    fn timeouts_among_answers_are_said_apart_not_counted() {
        let partly = rows(&[
            ("EU", Ok(503), 5),
            ("EU", Err(TIMEOUT), 2),
            ("EU", Ok(200), 5),
            ("NA", Ok(200), 20),
            ("AS", Ok(404), 4),
        ]);
        let verdict = http_verdict(&partly).unwrap();
        assert_eq!(
            verdict.headline,
            "Fails only from Europe: 5 of 10 locations there (HTTP 503); the 24 elsewhere answered HTTP 200 ×20, HTTP 404 ×4; \
             2 more locations got no answer (timed out; 2 of 12 in Europe) though every probe that got through was answered: \
             their own paths, or the target's site that serves them, may be at fault"
        );
        assert_eq!(verdict.by_continent[1], continent("Europe", 5, 5, 2));
        assert_eq!(
            verdict.not_counted,
            [(
                "timed out (unsettled: every probe that got through was answered)".to_string(),
                2
            )]
        );
        assert!(
            !verdict
                .by_status
                .iter()
                .any(|(label, _)| label.contains("timed out"))
        );
        let all_bad = rows(&[("EU", Ok(500), 4), ("AS", Err(TIMEOUT), 1)]);
        let verdict = http_verdict(&all_bad).unwrap();
        assert_eq!(
            verdict.headline,
            "4 of 5 locations got HTTP 500 from the target; 1 more location got no answer (timed out; the one in Asia) \
             though every probe that got through was answered: their own paths, or the target's site that serves them, may be at fault"
        );
        assert_eq!(
            all_bad[4].outcome_text(),
            "not counted: timed out though every probe that got through was answered (connect ETIMEDOUT 192.0.2.1:443)"
        );
        assert_eq!(
            all_bad[4].legend_label(),
            "no answer (timed out) (not counted)"
        );
        // Another probe refused: the target is in trouble, and the timeouts count with it.
        let refusing = rows(&[
            ("EU", Ok(200), 4),
            ("AS", Err(TIMEOUT), 2),
            ("AS", Err(REFUSED), 1),
        ]);
        assert_eq!(
            http_verdict(&refusing).unwrap().headline,
            "Fails only from Asia: 3 of 3 locations there (no answer (timed out) ×2, no answer (connection refused) ×1); the 4 elsewhere answered HTTP 200"
        );
    }

    #[test]
    fn running_rows_are_left_out_and_said() {
        let mut some = rows(&[("EU", Ok(200), 3)]);
        let mut running = row("EU", Err(TIMEOUT));
        running.failure = None;
        running.failure_kind = None;
        some.push(running.clone());
        attribute_rows(&mut some);
        assert!(some[3].is_in_progress());
        assert_eq!(
            http_verdict(&some).unwrap().headline,
            "HTTP 200 from all 3 locations on 1 continent (1 location still running, not counted)"
        );
        let mut both = [running.clone(), running];
        attribute_rows(&mut both);
        let verdict = http_verdict(&both).unwrap();
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
        // A reply without a status code is Globalping's or the probe's failure, not the target's.
        assert_eq!(rows[2].attribution, Attribution::ProbeOwn);
        assert!(!rows[2].is_failing());
        assert_eq!(
            http_verdict(&rows).unwrap().headline,
            "1 of 2 locations got no answer from the target (timed out); 1 probe could not reach it for reasons of its own \
             (the probe or Globalping failed: the reply had no status code) (1 location still running, not counted)"
        );
    }

    const FROM_TESTS: &str =
        include_str!("../../tests/fixtures/globalping/http-results-from-probe-and-api-tests.json");

    /// The result named `name` of the fixture, as the probe and API tests expect it.
    fn recorded(name: &str) -> serde_json::Value {
        let fixture: serde_json::Value = serde_json::from_str(FROM_TESTS).unwrap();
        fixture["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["name"] == name)
            .unwrap_or_else(|| panic!("no entry {name}"))["result"]
            .clone()
    }

    /// A measurement of example.com whose results are recorded ones, each from a synthetic probe
    /// on a continent: `(continent code, entry name, how many)`.
    fn measurement_of(spec: &[(&str, &str, usize)]) -> Measurement {
        let results: Vec<serde_json::Value> = spec
            .iter()
            .flat_map(|(continent, name, count)| {
                std::iter::repeat_n(
                    serde_json::json!({
                        "probe": {"continent": continent, "country": "", "city": ""},
                        "result": recorded(name),
                    }),
                    *count,
                )
            })
            .collect();
        let text = serde_json::json!({
            "id": "synthetic", "type": "http", "status": "finished", "target": "example.com",
            "results": results,
        })
        .to_string();
        let measurement = parse_measurement(&text).unwrap();
        assert!(
            measurement.diagnostics.is_empty(),
            "{:?}",
            measurement.diagnostics
        );
        measurement
    }

    #[test]
    fn results_from_the_probe_and_api_tests_read_as_their_kind() {
        use FailureKind as K;
        let fixture: serde_json::Value = serde_json::from_str(FROM_TESTS).unwrap();
        let entries = fixture["entries"].as_array().unwrap();
        let expected: [(&str, Result<u16, FailureKind>, Attribution); 14] = [
            ("server-error", Ok(500), Attribution::Target),
            ("not-found", Ok(404), Attribution::Target),
            ("no-http2", Err(K::Protocol), Attribution::Target),
            (
                "private-address",
                Err(K::PrivateAddress),
                Attribution::Target,
            ),
            ("name-not-found", Err(K::NameNotFound), Attribution::Target),
            // Alone, a resolver's failure is all there is: every probe failed alike.
            (
                "resolver-timeout",
                Err(K::ResolverFailed),
                Attribution::Target,
            ),
            (
                "timeout-while-resolving",
                Err(K::ResolverFailed),
                Attribution::Target,
            ),
            ("timeout-at-address", Err(K::TimedOut), Attribution::Target),
            ("timeout-connected", Err(K::TimedOut), Attribution::Target),
            (
                "probe-resource-error",
                Err(K::Internal),
                Attribution::ProbeOwn,
            ),
            ("unknown-error-code", Err(K::Other), Attribution::Target),
            (
                "probe-never-reported",
                Err(K::Internal),
                Attribution::ProbeOwn,
            ),
            ("invalid-result", Err(K::Internal), Attribution::ProbeOwn),
            ("offline", Err(K::Offline), Attribution::ProbeOwn),
        ];
        assert_eq!(entries.len(), expected.len());
        for (name, outcome, attribution) in expected {
            let rows = http_rows(&measurement_of(&[("EU", name, 1)]));
            let [row] = rows.as_slice() else {
                panic!("{name}: {rows:?}")
            };
            assert_eq!(row.status_code.ok_or(()), outcome.map_err(|_| ()), "{name}");
            assert_eq!(row.failure_kind, outcome.err(), "{name}");
            assert_eq!(row.attribution, attribution, "{name}");
        }
        assert_eq!(StatusClass::of(500), StatusClass::ServerError);
        assert_eq!(StatusClass::of(404).label(), "4xx");
    }

    // The issue's case, with recorded results on synthetic probe locations.
    #[test]
    fn a_probes_own_resolver_failure_is_said_and_not_counted() {
        let measurement = measurement_of(&[
            ("EU", "server-error", 4),
            ("NA", "server-error", 3),
            ("AS", "server-error", 2),
            ("AS", "resolver-timeout", 1),
        ]);
        let rows = http_rows(&measurement);
        let verdict = http_verdict(&rows).unwrap();
        assert_eq!(
            verdict.headline,
            "9 of 10 locations got HTTP 500 from the target; 1 probe could not reach it for reasons of its own \
             (its resolver failed: queryA ETIMEOUT example.com)"
        );
        assert_eq!(verdict.by_status, [("HTTP 500".to_string(), 9)]);
        assert_eq!(verdict.by_continent[0], continent("Asia", 0, 2, 1));
        assert_eq!(
            verdict.not_counted,
            [("resolver failed (the probe's own failure)".to_string(), 1)]
        );
        assert_eq!(
            rows[9].outcome_text(),
            "not counted, the probe's own failure: its resolver failed (queryA ETIMEOUT example.com)"
        );
        assert_eq!(rows[9].legend_label(), "probe's own failure (not counted)");
    }

    #[test]
    fn no_such_name_is_the_probes_resolver_where_others_resolved_it_and_the_names_where_none_did() {
        let one = http_rows(&measurement_of(&[
            ("EU", "not-found", 3),
            ("SA", "name-not-found", 1),
        ]));
        assert_eq!(
            http_verdict(&one).unwrap().headline,
            "3 of 4 locations got HTTP 404 from the target; 1 probe could not reach it for reasons of its own \
             (its resolver found no such name, which other probes resolved: queryA ENOTFOUND missing.example)"
        );
        let all = http_rows(&measurement_of(&[
            ("EU", "name-not-found", 2),
            ("SA", "timeout-while-resolving", 1),
        ]));
        let verdict = http_verdict(&all).unwrap();
        assert_eq!(
            verdict.headline,
            "Fails from all 3 locations: 2 no answer (name not found), 1 no answer (name not resolved)"
        );
        assert!(verdict.not_counted.is_empty());
    }

    #[test]
    fn nothing_is_learnt_when_every_probe_failed_for_reasons_of_its_own() {
        let rows = http_rows(&measurement_of(&[
            ("EU", "probe-never-reported", 1),
            ("NA", "invalid-result", 1),
            ("OC", "offline", 1),
        ]));
        let verdict = http_verdict(&rows).unwrap();
        assert_eq!(
            verdict.headline,
            "Nothing learnt about the target: 3 probes could not reach it for reasons of their own \
             (probe or Globalping failure ×2: The measurement timed out.; The probe reported an invalid result.; offline ×1)"
        );
        assert!(verdict.by_status.is_empty());
        assert!(
            verdict
                .by_continent
                .iter()
                .all(|count| count.working == 0 && count.failing == 0 && count.not_counted == 1)
        );
        let alone = http_rows(&measurement_of(&[("EU", "offline", 1)]));
        assert_eq!(
            http_verdict(&alone).unwrap().headline,
            "Nothing learnt about the target: 1 probe could not reach it for reasons of its own (it was offline)"
        );
    }

    #[test]
    fn failures_everywhere_that_could_test_it_leave_the_probes_own_aside() {
        let rows = http_rows(&measurement_of(&[
            ("EU", "no-http2", 2),
            ("AS", "server-error", 1),
            ("NA", "probe-resource-error", 1),
        ]));
        assert_eq!(
            http_verdict(&rows).unwrap().headline,
            "Fails from all 3 locations that could test it: 2 no answer (protocol error), 1 HTTP 500; \
             1 probe could not reach it for reasons of its own (the probe or Globalping failed: EMFILE)"
        );
    }
}
