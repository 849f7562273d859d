//! The "Measure now" cell's part of the notebook: the form as the author typed it (kept even when
//! invalid, so it can be corrected), and every run it made, each with what was sent and what came
//! back as received. A run is saved the moment its measurement ID is known, so a reload (or a crash)
//! mid-measurement resumes following the same ID instead of losing it. Everything shown (the map, the
//! continent table, hop tables, answer matrices, the HTTP verdict, the before/after comparison) is
//! derived from the stored responses. No I/O and never an API key: keys live in the browser's storage
//! only and are handed to `net` at send time.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{AtlasSnapshot, SnapshotSource};
use crate::atlas::create::{AtlasTest, CreateRequest, parse_probe_requests, reuse_probes};
use crate::globalping::adapt::atlas_form;
use crate::globalping::measurement::{Measurement, parse_measurement};
use crate::globalping::request::{
    Locations, MeasurementRequest, TestOptions, TestType, parse_places, per_continent,
};
use crate::rerun::{self, Comparison};

/// Which platform measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Globalping: anonymous (an optional token raises the limits), CORS open to every page.
    #[default]
    Globalping,
    /// RIPE Atlas with the author's own API key (costs credits).
    Atlas,
}

/// The form as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureForm {
    #[serde(default)]
    pub platform: Platform,
    #[serde(default)]
    pub test: TestType,
    #[serde(default)]
    pub target: String,
    /// Where from: Globalping places ("Europe:5, AS13335:2") or Atlas probe selectors ("WW:50").
    #[serde(default)]
    pub locations: String,
    /// Ping/MTR packets, as typed.
    #[serde(default)]
    pub packets: String,
    /// DNS: the record type.
    #[serde(default)]
    pub query_type: String,
    /// DNS: the resolver to ask (empty: each probe's own).
    #[serde(default)]
    pub resolver: String,
    /// HTTP: the path and query to request.
    #[serde(default)]
    pub http_path: String,
    /// HTTP: GET or HEAD.
    #[serde(default)]
    pub http_method: String,
}

impl Default for MeasureForm {
    fn default() -> MeasureForm {
        MeasureForm {
            platform: Platform::Globalping,
            test: TestType::Ping,
            target: String::new(),
            locations: PER_CONTINENT_TEXT.to_string(),
            packets: "3".to_string(),
            query_type: "A".to_string(),
            resolver: String::new(),
            http_path: "/".to_string(),
            http_method: "GET".to_string(),
        }
    }
}

/// The one-click default: five probes on each of the six inhabited continents (30 probes, within the
/// anonymous Globalping limit of 50 per measurement).
pub const PER_CONTINENT_TEXT: &str = "5 per continent";
/// The Atlas default: 50 probes worldwide.
pub const ATLAS_DEFAULT_PROBES: &str = "WW:50";

/// Reads "N per continent" (the preset) or a list of places.
fn places(text: &str) -> Result<Locations, String> {
    let trimmed = text.trim();
    if let Some(count) = trimmed
        .strip_suffix("per continent")
        .map(str::trim)
        .and_then(|n| n.parse::<u32>().ok())
    {
        if count == 0 {
            return Err("Ask for at least 1 probe per continent.".to_string());
        }
        return Ok(Locations::Places(per_continent(count)));
    }
    Ok(Locations::Places(parse_places(trimmed)?))
}

fn packets(text: &str) -> Result<Option<u8>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u8>()
        .ok()
        .filter(|n| (1..=16).contains(n))
        .map(Some)
        .ok_or_else(|| format!("Packets must be a whole number from 1 to 16, not \"{text}\"."))
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

impl MeasureForm {
    /// The Globalping request the form describes, validated for an anonymous or a token user.
    pub fn globalping_request(&self, authenticated: bool) -> Result<MeasurementRequest, String> {
        let mut options = TestOptions::default();
        match self.test {
            TestType::Ping | TestType::Mtr => options.packets = packets(&self.packets)?,
            TestType::Traceroute => {}
            TestType::Dns => {
                options.query_type = non_empty(&self.query_type);
                options.resolver = non_empty(&self.resolver);
            }
            TestType::Http => {
                let (path, query) = match self.http_path.trim().split_once('?') {
                    Some((path, query)) => (path.to_string(), non_empty(query)),
                    None => (self.http_path.trim().to_string(), None),
                };
                options.http_path = non_empty(&path).or(Some("/".to_string()));
                options.http_query = query;
                options.http_method = non_empty(&self.http_method);
            }
        }
        let request = MeasurementRequest {
            test: self.test,
            target: self.target.trim().to_string(),
            locations: places(&self.locations)?,
            options,
        };
        request.validate(authenticated)?;
        Ok(request)
    }

    /// The Atlas one-off measurement the form describes, validated.
    pub fn atlas_request(&self) -> Result<CreateRequest, String> {
        let test = match self.test {
            TestType::Ping => AtlasTest::Ping {
                packets: packets(&self.packets)?.unwrap_or(3),
            },
            TestType::Traceroute => AtlasTest::Traceroute {
                protocol: "ICMP".to_string(),
                paris: 16,
            },
            TestType::Dns => AtlasTest::Dns {
                query_type: non_empty(&self.query_type).unwrap_or_else(|| "A".to_string()),
                query_argument: self.target.trim().to_string(),
                use_probe_resolver: self.resolver.trim().is_empty(),
            },
            TestType::Mtr | TestType::Http => {
                return Err(format!(
                    "RIPE Atlas runs no {} checks for everyone (HTTP only towards anchors, no MTR): \
                     choose Globalping for this one.",
                    self.test.label()
                ));
            }
        };
        let target = match &test {
            AtlasTest::Dns { .. } => self.resolver.trim().to_string(),
            AtlasTest::Ping { .. } | AtlasTest::Traceroute { .. } => self.target.trim().to_string(),
        };
        let request = CreateRequest {
            test,
            description: format!("Vantage {} {}", self.test.as_str(), self.target.trim()),
            target,
            af: 4,
            probes: parse_probe_requests(&self.locations)?,
            resolve_on_probe: true,
        };
        request.validate()?;
        Ok(request)
    }
}

/// A "Measure now" cell: the form, every run in order (the last is the current one), and the
/// inference choices for its latencies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MeasureCell {
    #[serde(default)]
    pub form: MeasureForm,
    /// Behind `Rc`s like every snapshot: the reducer clones the notebook on every keystroke.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<Rc<MeasureRun>>,
    #[serde(default)]
    pub inference: super::InferenceChoices,
}

/// One run: when, what was sent, and what came back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureRun {
    pub started_at_unix_ms: i64,
    /// The request body sent (JSON), for the record. It never holds a key: keys travel in headers.
    pub request_body: String,
    pub data: RunData,
}

/// What a run has received so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "platform")]
pub enum RunData {
    Globalping {
        id: String,
        /// The latest `GET /v1/measurements/{id}` body as received (each poll replaces the last:
        /// the API returns the whole measurement every time).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        measurement_text: Option<String>,
        #[serde(default)]
        fetched_at_unix_ms: i64,
        /// Where it was fetched from (the base address in Settings when it ran).
        #[serde(default)]
        url: String,
    },
    Atlas {
        msm_id: u64,
        /// The measurement's status as last seen ("Ongoing", "Stopped").
        #[serde(default)]
        status_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Rc<AtlasSnapshot>>,
    },
}

impl MeasureRun {
    /// The measurement ID at the source ("nzGzfAGL7sZfUs3c", "12345678").
    pub fn source_id(&self) -> String {
        match &self.data {
            RunData::Globalping { id, .. } => id.clone(),
            RunData::Atlas { msm_id, .. } => msm_id.to_string(),
        }
    }

    /// The Globalping measurement as last received, parsed.
    pub fn globalping(&self) -> Option<Measurement> {
        match &self.data {
            RunData::Globalping {
                measurement_text: Some(text),
                ..
            } => parse_measurement(text).ok(),
            RunData::Globalping { .. } | RunData::Atlas { .. } => None,
        }
    }

    /// Whether the run still waits for results (a reload resumes following it).
    pub fn is_pending(&self) -> bool {
        match &self.data {
            RunData::Globalping { .. } => !self.globalping().is_some_and(|m| m.is_finished()),
            RunData::Atlas { snapshot, .. } => snapshot.is_none(),
        }
    }

    /// The run in the form the imported-measurement views read (map, continent table, hop tables,
    /// DNS matrices, inference): an Atlas run's own snapshot, or a Globalping measurement adapted.
    /// None for HTTP checks (they have their own view) and runs with nothing yet.
    pub fn atlas_view(&self) -> Option<Rc<AtlasSnapshot>> {
        match &self.data {
            RunData::Atlas { snapshot, .. } => snapshot.clone(),
            RunData::Globalping {
                id,
                fetched_at_unix_ms,
                url,
                ..
            } => {
                let measurement = self.globalping()?;
                if measurement.test == Some(TestType::Http) {
                    return None;
                }
                let form = atlas_form(&measurement);
                if form.results_text.trim() == "[]" || form.results_text.trim().is_empty() {
                    return None;
                }
                Some(Rc::new(AtlasSnapshot {
                    source: SnapshotSource::Globalping {
                        id: id.clone(),
                        url: url.clone(),
                    },
                    fetched_at_unix_ms: *fetched_at_unix_ms,
                    results_text: form.results_text,
                    probes: form.probes,
                    fetch_notes: measurement.diagnostics.clone(),
                    hop_lookups: Vec::new(),
                    hop_names: form.hop_names,
                }))
            }
        }
    }

    /// Per-probe outcomes, for comparing runs.
    pub fn outcomes(&self) -> Vec<rerun::ProbeOutcome> {
        match &self.data {
            RunData::Globalping { .. } => self
                .globalping()
                .map(|m| rerun::outcomes_from_globalping(&m))
                .unwrap_or_default(),
            RunData::Atlas { snapshot, .. } => snapshot
                .as_ref()
                .map(|s| rerun::outcomes_from_atlas(&s.results_text, &s.probes))
                .unwrap_or_default(),
        }
    }
}

impl MeasureCell {
    pub fn current(&self) -> Option<&Rc<MeasureRun>> {
        self.runs.last()
    }

    /// The last two runs compared, once the later one has data.
    pub fn comparison(&self) -> Option<Comparison> {
        let [.., before, after] = self.runs.as_slice() else {
            return None;
        };
        let (before, after) = (before.outcomes(), after.outcomes());
        (!before.is_empty() && !after.is_empty()).then(|| rerun::compare(&before, &after))
    }

    /// The request for running again on the same probes as the current run: Globalping reuses the
    /// probes of a measurement it still holds (it keeps them for about a week), Atlas reuses the
    /// probes of the earlier measurement's results.
    pub fn rerun_globalping(&self, authenticated: bool) -> Result<MeasurementRequest, String> {
        let mut request = self.form.globalping_request(authenticated)?;
        if let Some(RunData::Globalping { id, .. }) = self.current().map(|run| &run.data) {
            request.locations = Locations::SameProbesAs(id.clone());
        }
        Ok(request)
    }

    /// The Atlas request for running again on the probes that answered last time.
    pub fn rerun_atlas(&self) -> Result<CreateRequest, String> {
        let mut request = self.form.atlas_request()?;
        if let Some(RunData::Atlas {
            snapshot: Some(snapshot),
            ..
        }) = self.current().map(|run| &run.data)
            && let Some(probes) = reuse_probes(&snapshot.results_text, 1000)
        {
            request.probes = vec![probes];
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::traceroutes;
    use crate::geo::haversine_km;
    use crate::infer::SPEED_OF_LIGHT_KM_PER_MS;
    use crate::notebook::hops::path_context;
    use crate::paths::hints::{self, HINT_TOLERANCE_KM, HintStatus};
    use crate::paths::trace::{HopRow, ProbePath, probe_paths};

    const TRACEROUTE: &str =
        include_str!("../../tests/fixtures/globalping/get-traceroute-measurement-response.json");
    const MTR: &str =
        include_str!("../../tests/fixtures/globalping/get-mtr-measurement-response.json");

    /// The fibre factor of the default assumptions: signals at 2/3 of c.
    const FIBER_FACTOR: f64 = 2.0 / 3.0;

    fn run(measurement_text: &str) -> MeasureRun {
        MeasureRun {
            started_at_unix_ms: 0,
            request_body: "{}".to_string(),
            data: RunData::Globalping {
                id: "x".to_string(),
                measurement_text: Some(measurement_text.to_string()),
                fetched_at_unix_ms: 0,
                url: String::new(),
            },
        }
    }

    /// What the latency view does with a run (`ui::latency_view`): the adapted snapshot's
    /// traceroutes, the path context from its lookups (none here) and the names the probes
    /// resolved, one path per probe.
    fn paths(measurement_text: &str) -> (Rc<AtlasSnapshot>, Vec<ProbePath>) {
        let snapshot = run(measurement_text).atlas_view().unwrap();
        let measurement = parse_measurement(measurement_text).unwrap();
        assert_eq!(snapshot.hop_names, atlas_form(&measurement).hop_names);
        let traces = traceroutes(&snapshot.results_text);
        let context = path_context(&[], &snapshot.hop_names, FIBER_FACTOR);
        let paths = probe_paths(&traces, &snapshot.probes, &context);
        (snapshot, paths)
    }

    fn hop(path: &ProbePath, ttl: u32) -> &HopRow {
        path.hops.iter().find(|hop| hop.ttl == ttl).unwrap()
    }

    /// The most a round trip of `rtt_ms` allows, as the hint check computes it: half the RTT at the
    /// fibre speed, plus the tolerance for a metropolitan area.
    fn reach_km(rtt_ms: f64) -> f64 {
        rtt_ms / 2.0 * SPEED_OF_LIGHT_KM_PER_MS * FIBER_FACTOR + HINT_TOLERANCE_KM
    }

    /// The Sydney probe (−33.87, 151.21 in the fixture) reaches hop 8, `syd-sy2-bb1-a9.au.asia`, in
    /// 1.105 ms at best: at most 1.105 / 2 × 199.86 km/ms ≈ 110 km, plus 100 km of tolerance.
    /// Sydney (SYD in the airport table, −33.87, 151.21) is 0 km away, so the physics accepts it.
    #[test]
    fn the_sydney_probe_names_hop_8_and_places_it_in_sydney() {
        let (snapshot, paths) = paths(TRACEROUTE);
        let [path] = paths.as_slice() else {
            panic!("{paths:?}")
        };
        assert_eq!(path.hops.len(), 11);
        assert!(path.destination_reached);
        let probe = &snapshot.probes[0];
        let (lat, lon) = (probe.latitude.unwrap(), probe.longitude.unwrap());
        assert_eq!((lat, lon), (-33.87, 151.21));
        let hop = hop(path, 8);
        assert_eq!(hop.addresses, ["103.5.14.220"]);
        assert_eq!(hop.name.as_deref(), Some("syd-sy2-bb1-a9.au.asia"));
        assert_eq!(hop.rtt_min_ms, Some(1.105));
        let sydney = hop.hints.iter().find(|h| h.city == "Sydney").unwrap();
        assert_eq!(sydney.token, "syd");
        let distance_km = haversine_km(lat, lon, sydney.lat, sydney.lon);
        assert!(distance_km < 1.0, "{distance_km}");
        assert!((reach_km(1.105) - 210.4).abs() < 0.1, "{}", reach_km(1.105));
        assert!(distance_km <= reach_km(1.105));
        assert_eq!(sydney.status, HintStatus::Accepted);
        assert_eq!(hop.accepted_city.as_deref(), Some("Sydney"));
        // Hop 9's name is read too, and the unnamed hops stay unnamed.
        assert_eq!(
            self::hop(path, 9).name.as_deref(),
            Some("as13335.nsw.ix.asn.au")
        );
        assert_eq!(self::hop(path, 10).name, None);
    }

    /// The Johannesburg probe (−26.20, 28.04) reaches hop 5, `be2385.ccr21.lon01.atlas.cogentco.com`,
    /// in 177.0 ms (the report's average, its one sample): at most 177.0 / 2 × 199.86 ≈ 17,688 km,
    /// plus 100. London (LON, 51.51, −0.13) is about 9,069 km away, so the physics accepts it: the
    /// path does cross to London (the hop before answered in 1.1 ms, the ones after in ~177 ms).
    /// Had hop 5 answered in hop 4's 1.1 ms, London (then at most 210 km away) would be rejected.
    #[test]
    fn the_johannesburg_probe_names_hop_5_and_the_physics_allows_london() {
        let (snapshot, paths) = paths(MTR);
        let [path] = paths.as_slice() else {
            panic!("{paths:?}")
        };
        assert_eq!(path.hops.len(), 7);
        assert!(path.destination_reached);
        let probe = &snapshot.probes[0];
        let (lat, lon) = (probe.latitude.unwrap(), probe.longitude.unwrap());
        assert_eq!((lat, lon), (-26.2, 28.04));
        let hop = hop(path, 5);
        assert_eq!(hop.addresses, ["154.54.40.93"]);
        assert_eq!(
            hop.name.as_deref(),
            Some("be2385.ccr21.lon01.atlas.cogentco.com")
        );
        assert_eq!(hop.rtt_min_ms, Some(177.0));
        let london = hop.hints.iter().find(|h| h.city == "London").unwrap();
        assert_eq!(london.token, "lon");
        let distance_km = haversine_km(lat, lon, london.lat, london.lon);
        assert!((distance_km - 9069.0).abs() < 5.0, "{distance_km}");
        assert!(
            (reach_km(177.0) - 17_788.0).abs() < 1.0,
            "{}",
            reach_km(177.0)
        );
        assert!(distance_km <= reach_km(177.0));
        assert_eq!(london.status, HintStatus::Accepted);
        assert_eq!(hop.accepted_city.as_deref(), Some("London"));
        // The same name a millisecond from Johannesburg is impossible.
        let too_fast = hints::hints(
            "be2385.ccr21.lon01.atlas.cogentco.com",
            Some((lat, lon)),
            Some(1.1),
            FIBER_FACTOR,
        );
        let london = too_fast.iter().find(|h| h.city == "London").unwrap();
        assert!(distance_km > reach_km(1.1));
        assert!(matches!(london.status, HintStatus::Rejected { .. }));
        // The first hop's `_gateway` label is not a router name.
        assert_eq!(self::hop(path, 1).name, None);
    }
}
