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
use crate::model::per_continent::per_continent_count;
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

/// Reads "N per continent" (the preset, in the grammar the Atlas selection uses too: any case) or a
/// list of places.
fn places(text: &str) -> Result<Locations, String> {
    let trimmed = text.trim();
    if let Some(Ok(count)) = per_continent_count(trimmed)
        && let Ok(count) = count.parse::<u32>()
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
        /// The results as last fetched: partial while the measurement runs, then the final ones.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<Rc<AtlasSnapshot>>,
        /// Whether the measurement is over (its results are final). Missing in runs stored before
        /// partial results existed, which only ever held final results: true.
        #[serde(default = "over_by_default")]
        over: bool,
    },
}

fn over_by_default() -> bool {
    true
}

impl MeasureRun {
    /// "globalping/nzGzfAGL7sZfUs3c", "atlas/12345678": the run's identity across notebooks, by which
    /// the browser remembers the runs it started itself (only those resume on their own after a reload).
    pub fn source_key(&self) -> String {
        match &self.data {
            RunData::Globalping { id, .. } => format!("globalping/{id}"),
            RunData::Atlas { msm_id, .. } => format!("atlas/{msm_id}"),
        }
    }

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
            RunData::Atlas { snapshot, over, .. } => snapshot.is_none() || !over,
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

/// What a results body measured, for repeating it: the test, its target (the host name if the
/// measurement had one), and for DNS the question type.
fn measured(snapshot: &AtlasSnapshot) -> Option<(TestType, String, Option<String>)> {
    use crate::atlas::AtlasResult;
    let parsed = crate::atlas::parse_results(&snapshot.results_text);
    parsed.results.iter().find_map(|result| match result {
        AtlasResult::Ping(ping) => Some((
            TestType::Ping,
            ping.dst_name.clone().or_else(|| ping.dst_addr.clone())?,
            None,
        )),
        AtlasResult::Traceroute(trace) => Some((
            TestType::Traceroute,
            trace.dst_name.clone().or_else(|| trace.dst_addr.clone())?,
            None,
        )),
        AtlasResult::Dns(dns) => {
            let question = dns.primary()?.question()?;
            Some((
                TestType::Dns,
                question.name.trim_end_matches('.').to_string(),
                Some(question.rtype.to_string()),
            ))
        }
    })
}

impl MeasureCell {
    /// A "Measure now" cell that repeats an imported Atlas measurement on the same probes: the form
    /// filled from the results (test, target, the measurement's probes as the selection), and the
    /// imported data as its first run, so the next run is compared with it.
    pub fn again_from_atlas(snapshot: &Rc<AtlasSnapshot>) -> Result<MeasureCell, String> {
        let (test, target, query_type) = measured(snapshot).ok_or_else(|| {
            "These results hold no ping, traceroute or DNS result to repeat.".to_string()
        })?;
        let parsed = crate::atlas::parse_results(&snapshot.results_text);
        let msm_id = match &snapshot.source {
            SnapshotSource::Api { msm_id, .. } => Some(*msm_id),
            _ => parsed
                .results
                .first()
                .map(|r| r.msm_id())
                .filter(|id| *id > 0),
        };
        let probes = reuse_probes(&snapshot.results_text, 1000)
            .ok_or_else(|| "These results name no probe to measure from again.".to_string())?;
        // An explicit list of the probes that answered: an `msm` selection would let Atlas pick any
        // of the earlier measurement's probes, and the comparison needs the same ones.
        let locations = crate::atlas::create::format_probe_requests(&[probes]);
        let form = MeasureForm {
            platform: Platform::Atlas,
            test,
            target,
            locations,
            query_type: query_type.unwrap_or_else(|| "A".to_string()),
            ..MeasureForm::default()
        };
        let first = MeasureRun {
            started_at_unix_ms: snapshot.fetched_at_unix_ms,
            request_body: String::new(),
            data: RunData::Atlas {
                msm_id: msm_id.unwrap_or(0),
                status_name: "imported".to_string(),
                snapshot: Some(snapshot.clone()),
                over: true,
            },
        };
        Ok(MeasureCell {
            form,
            runs: vec![Rc::new(first)],
            inference: super::InferenceChoices::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::{Action, AppState, Cell, CellBody, CellId, FetchState, Notebook, apply};

    const GP_PING: &str =
        include_str!("../../tests/fixtures/globalping/get-ping-measurement-response.json");
    const GP_HTTP: &str =
        include_str!("../../tests/fixtures/globalping/get-http-measurement-response.json");
    const ATLAS_PING: &str = include_str!("../../tests/fixtures/atlas/ping_latest_msm3359986.json");

    fn form(target: &str) -> MeasureForm {
        MeasureForm {
            target: target.to_string(),
            ..MeasureForm::default()
        }
    }

    fn globalping_run(text: &str) -> MeasureRun {
        let measurement = parse_measurement(text).expect("a measurement");
        MeasureRun {
            started_at_unix_ms: 1_689_359_152_414,
            request_body: "{}".to_string(),
            data: RunData::Globalping {
                id: measurement.id,
                measurement_text: Some(text.to_string()),
                fetched_at_unix_ms: 1_689_359_153_207,
                url: "https://api.globalping.io/v1/measurements/".to_string(),
            },
        }
    }

    /// The recording as the API shows it while its probes still run (derived here: the fixtures
    /// hold no captured in-progress response).
    fn in_progress(text: &str) -> String {
        let mut value: serde_json::Value = serde_json::from_str(text).expect("json");
        value["status"] = "in-progress".into();
        for result in value["results"].as_array_mut().expect("results") {
            result["result"] = serde_json::json!({"status": "in-progress", "rawOutput": ""});
        }
        value.to_string()
    }

    #[test]
    fn the_default_form_asks_for_five_probes_on_each_continent() {
        let request = form("telegram.org")
            .globalping_request(false)
            .expect("valid");
        assert_eq!(request.probes_requested(), 30);
        let body = request.to_body();
        assert_eq!(body["type"], "ping");
        assert_eq!(body["target"], "telegram.org");
        assert_eq!(body["locations"].as_array().map(Vec::len), Some(6));
        assert!(
            body["locations"]
                .as_array()
                .unwrap()
                .iter()
                .all(|l| l["limit"] == 5)
        );
        assert_eq!(body["measurementOptions"]["packets"], 3);
    }

    /// Regression: the Atlas selection read "5 Per Continent" in any case, but this form only in lower
    /// case, so Globalping took "5 Per Continent" for one place of that name. Both now share one
    /// grammar.
    #[test]
    fn per_continent_is_read_in_any_case_as_the_atlas_selection_reads_it() {
        let mut shouted = form("telegram.org");
        shouted.locations = " 5 Per Continent ".to_string();
        let lower = form("telegram.org");
        assert_eq!(
            shouted.globalping_request(false).unwrap().to_body(),
            lower.globalping_request(false).unwrap().to_body()
        );
        assert_eq!(
            parse_probe_requests("5 PER CONTINENT").unwrap(),
            parse_probe_requests("5 per continent").unwrap()
        );
    }

    #[test]
    fn bad_forms_say_what_to_fix_and_send_nothing() {
        assert!(form("").globalping_request(false).is_err());
        let mut zero = form("telegram.org");
        zero.locations = "0 per continent".to_string();
        assert_eq!(
            zero.globalping_request(false),
            Err("Ask for at least 1 probe per continent.".to_string())
        );
        let mut many = form("telegram.org");
        many.locations = "9 per continent".to_string();
        let anonymous = many.globalping_request(false).expect_err("54 probes > 50");
        assert!(anonymous.contains("50"), "{anonymous}");
        assert!(many.globalping_request(true).is_ok(), "a token allows 500");
        let mut packets = form("telegram.org");
        packets.packets = "40".to_string();
        assert!(
            packets
                .globalping_request(false)
                .unwrap_err()
                .contains("1 to 16")
        );
        let mut http_on_atlas = form("telegram.org");
        http_on_atlas.platform = Platform::Atlas;
        http_on_atlas.test = TestType::Http;
        http_on_atlas.locations = ATLAS_DEFAULT_PROBES.to_string();
        assert!(
            http_on_atlas
                .atlas_request()
                .unwrap_err()
                .contains("Globalping")
        );
    }

    #[test]
    fn an_http_form_splits_path_and_query() {
        let mut http = form("web.telegram.org");
        http.test = TestType::Http;
        http.http_path = "/k/?lang=en".to_string();
        let body = http.globalping_request(false).expect("valid").to_body();
        assert_eq!(body["measurementOptions"]["request"]["path"], "/k/");
        assert_eq!(body["measurementOptions"]["request"]["query"], "lang=en");
        assert_eq!(body["measurementOptions"]["request"]["method"], "GET");
    }

    #[test]
    fn an_atlas_form_becomes_a_one_off_definition() {
        let mut ping = form("ripe.net");
        ping.platform = Platform::Atlas;
        ping.locations = "WW:50, NL:10".to_string();
        let body = ping.atlas_request().expect("valid").to_body();
        assert_eq!(body["is_oneoff"], true);
        assert_eq!(body["definitions"][0]["type"], "ping");
        assert_eq!(body["definitions"][0]["target"], "ripe.net");
        assert_eq!(body["probes"][0]["type"], "area");
        assert_eq!(body["probes"][0]["requested"], 50);
        assert_eq!(body["probes"][1]["value"], "NL");
        // DNS: the name is the question; no resolver means each probe's own.
        let mut dns = form("telegram.org");
        dns.platform = Platform::Atlas;
        dns.test = TestType::Dns;
        dns.locations = "WW:5".to_string();
        let body = dns.atlas_request().expect("valid").to_body();
        assert_eq!(body["definitions"][0]["query_argument"], "telegram.org");
        assert_eq!(body["definitions"][0]["use_probe_resolver"], true);
    }

    #[test]
    fn a_globalping_run_is_pending_until_finished_and_feeds_the_latency_views() {
        let running = globalping_run(&in_progress(GP_PING));
        assert!(running.is_pending());
        assert!(running.atlas_view().is_none(), "nothing has reported yet");
        let done = globalping_run(GP_PING);
        assert!(!done.is_pending());
        let view = done.atlas_view().expect("a ping adapts");
        assert_eq!(
            view.source,
            SnapshotSource::Globalping {
                id: "nzGzfAGL7sZfUs3c".to_string(),
                url: "https://api.globalping.io/v1/measurements/".to_string()
            }
        );
        let analysis = crate::latency::analyse(&view.results_text, &view.probes);
        assert_eq!(analysis.probes.len(), 1);
        let probe = &analysis.probes[0];
        assert_eq!(probe.rtt_min_ms, Some(24.174));
        assert_eq!(probe.latitude, Some(-36.87));
        // An HTTP check has its own view, not the latency one.
        assert!(globalping_run(GP_HTTP).atlas_view().is_none());
        assert!(globalping_run(GP_HTTP).globalping().is_some());
    }

    fn state_with_measure_cell() -> AppState {
        AppState::new(Notebook {
            title: "t".to_string(),
            cells: vec![Cell {
                id: CellId(1),
                body: CellBody::Measure(MeasureCell::default()),
            }],
        })
    }

    fn cell(state: &AppState) -> &MeasureCell {
        match &state.notebook.cells[0].body {
            CellBody::Measure(measure) => measure,
            other => panic!("not a measure cell: {other:?}"),
        }
    }

    #[test]
    fn a_run_is_stored_at_once_and_only_its_own_updates_replace_it() {
        let id = CellId(1);
        let started = globalping_run(&in_progress(GP_PING));
        let state = apply(
            state_with_measure_cell(),
            Action::FetchProgress {
                id,
                step: "Following…".to_string(),
            },
        );
        let state = apply(
            state,
            Action::MeasureRunStarted {
                id,
                run: started.clone(),
            },
        );
        assert_eq!(cell(&state).runs.len(), 1);
        assert!(cell(&state).current().unwrap().is_pending());
        // An update of another measurement (a late answer of an earlier run) changes nothing.
        let mut other = globalping_run(GP_PING);
        if let RunData::Globalping { id, .. } = &mut other.data {
            *id = "someOtherId".to_string();
        }
        let state = apply(
            state,
            Action::MeasureRunUpdated {
                id,
                run: other,
                done: false,
            },
        );
        assert!(cell(&state).current().unwrap().is_pending());
        let state = apply(
            state,
            Action::MeasureRunUpdated {
                id,
                run: globalping_run(GP_PING),
                done: true,
            },
        );
        assert!(!cell(&state).current().unwrap().is_pending());
        assert_eq!(state.fetch_state(id), &FetchState::Idle);
        // The run, its ID and what it received survive the notebook file.
        let text = crate::notebook::file::to_compact_text(&state.notebook);
        let back = crate::notebook::file::from_file_text(&text).expect("reads back");
        assert_eq!(back, state.notebook);
        assert!(text.contains("nzGzfAGL7sZfUs3c"));
    }

    #[test]
    fn a_rerun_reuses_the_probes_of_the_current_run() {
        let mut measure = MeasureCell {
            form: form("cdn.jsdelivr.net"),
            ..MeasureCell::default()
        };
        measure.runs.push(Rc::new(globalping_run(GP_PING)));
        let request = measure.rerun_globalping(false).expect("valid");
        assert_eq!(
            request.locations,
            Locations::SameProbesAs("nzGzfAGL7sZfUs3c".to_string())
        );
        assert_eq!(request.to_body()["locations"], "nzGzfAGL7sZfUs3c");
        assert!(
            measure.comparison().is_none(),
            "one run: nothing to compare"
        );
    }

    #[test]
    fn an_imported_atlas_measurement_is_repeated_on_its_own_probes_and_compared() {
        let snapshot = Rc::new(AtlasSnapshot {
            source: SnapshotSource::Api {
                msm_id: 3359986,
                results_url: "https://atlas.ripe.net/api/v2/measurements/3359986/latest/"
                    .to_string(),
            },
            fetched_at_unix_ms: 0,
            results_text: ATLAS_PING.to_string(),
            probes: Vec::new(),
            fetch_notes: Vec::new(),
            hop_lookups: Vec::new(),
            hop_names: Vec::new(),
        });
        let mut again = MeasureCell::again_from_atlas(&snapshot).expect("a ping to repeat");
        assert_eq!(again.form.platform, Platform::Atlas);
        assert_eq!(again.form.test, TestType::Ping);
        let first: serde_json::Value = serde_json::from_str(ATLAS_PING).expect("json");
        assert_eq!(
            Some(again.form.target.as_str()),
            first[0]["dst_name"].as_str(),
            "the measurement's own target name"
        );
        let ids = crate::atlas::probe_ids(ATLAS_PING);
        let request = again.form.atlas_request().expect("valid");
        assert_eq!(request.probes.len(), 1);
        assert_eq!(request.probes[0].requested as usize, ids.len());
        assert_eq!(
            request.to_body()["probes"][0]["value"],
            ids.iter().map(u64::to_string).collect::<Vec<_>>().join(",")
        );
        assert_eq!(again.runs.len(), 1);
        assert!(!again.runs[0].is_pending());
        // The same results again: every probe is in both runs and nothing changed.
        again.runs.push(again.runs[0].clone());
        let comparison = again.comparison().expect("two runs with data");
        assert_eq!(comparison.changes.len(), ids.len());
        assert!(comparison.changes.iter().all(|c| c.what_changed.is_empty()));
    }
}

/// The router names Globalping probes resolved, through the same path pipeline as the views.
#[cfg(test)]
mod path_tests {
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
