//! Replies about a created measurement: the IDs in the reply to the creation request, and from the
//! measurement's metadata its progress (status, probes scheduled, whether results may be waiting,
//! whether more can come) and the credits Atlas charges per result.
//!
//! This module must not do I/O: the `net` shell polls and hands the text back here. Error replies are
//! read by `error`.
//!
//! Sources: the RIPE Atlas REST API manual ("Creating Measurements") and the API's own list of
//! measurement statuses, as carried by other Atlas clients.

use serde_json::Value;

use super::error::{clean, parse_error};
use super::plural;
use crate::model::lenient;
use crate::model::{ApiProblem, During, ProblemKind, Service};

/// Reads the reply to the creation request: `{"measurements": [id, …]}` (one ID per definition) on a
/// 2xx status (the docs show 201; 202 is accepted too), or the error it carries otherwise.
pub fn parse_created(status: u16, text: &str) -> Result<Vec<u64>, ApiProblem> {
    if !(200..300).contains(&status) {
        return Err(parse_error(status, text));
    }
    let ids: Vec<u64> = serde_json::from_str::<Value>(text.trim())
        .ok()
        .and_then(|value| value.get("measurements").cloned())
        .and_then(|list| match list {
            Value::Array(items) => Some(items.iter().filter_map(positive_id).collect()),
            _ => None,
        })
        .unwrap_or_default();
    if ids.is_empty() {
        let mut problem = ApiProblem::new(
            Service::Atlas,
            During::Creating,
            Some(status),
            ProblemKind::Unreadable,
        );
        problem.title = Some("Unexpected reply".to_string());
        problem.detail = Some(
            "Atlas accepted the request but its reply names no measurement ID. Look in your \
                 Atlas measurement list before creating it again."
                .to_string(),
        );
        return Err(problem);
    }
    Ok(ids)
}

fn positive_id(value: &Value) -> Option<u64> {
    lenient::unsigned(value).filter(|id| *id > 0)
}

/// How far a measurement has got, from `GET /api/v2/measurements/{id}/`.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurementProgress {
    pub id: u64,
    /// As Atlas names it: "Specified", "Scheduled", "Ongoing", "Stopped", "No suitable probes"…
    pub status_name: String,
    pub status_id: Option<i64>,
    pub probes_requested: Option<u64>,
    pub probes_scheduled: Option<u64>,
    /// No more results will come: stopped, forced to stop, no suitable probes, failed, denied, archived.
    pub is_done: bool,
    /// Results may be waiting: the measurement is running or stopped normally, with probes.
    pub has_results: bool,
}

/// Measurement status IDs, as the API's own field description lists them (swagger dump in
/// keltia/ripe-atlas `testdata/measurements.json`; DNS-OARC/ripeatlas carries the same list):
/// 0 Specified, 1 Scheduled, 2 Ongoing, 4 Stopped, 5 Forced to stop, 6 No suitable probes, 7 Failed,
/// 8 Archived.
fn status_name_of(id: i64) -> Option<&'static str> {
    Some(match id {
        0 => "Specified",
        1 => "Scheduled",
        2 => "Ongoing",
        4 => "Stopped",
        5 => "Forced to stop",
        6 => "No suitable probes",
        7 => "Failed",
        8 => "Archived",
        _ => return None,
    })
}

/// Final statuses by name: the ones of the list above from "Stopped" on, plus "Denied", which other
/// Atlas clients also treat as final.
const FINAL_STATUSES: [&str; 8] = [
    "stopped",
    "forced to stop",
    "no suitable probes",
    "failed",
    "denied",
    "archived",
    "canceled",
    "cancelled",
];

/// Reads the progress of a measurement from its metadata. Accepts the v2 shape (`id`, `status`
/// object, `probes_requested`, `probes_scheduled`) and the retired v1 one of the fixtures (`msm_id`,
/// `participant_count`); fails only when no measurement ID can be found.
pub fn parse_progress(meta_text: &str) -> Result<MeasurementProgress, String> {
    let value: Value = serde_json::from_str(meta_text.trim_start_matches('\u{feff}').trim())
        .map_err(|error| {
            format!("The measurement status from Atlas is not valid JSON ({error}).")
        })?;
    let Value::Object(meta) = value else {
        return Err("The measurement status from Atlas is not a JSON object.".to_string());
    };
    let id = meta
        .get("id")
        .and_then(positive_id)
        .or_else(|| meta.get("msm_id").and_then(positive_id))
        .ok_or_else(|| "The measurement status from Atlas names no measurement ID.".to_string())?;
    let (status_id, name) = match meta.get("status") {
        Some(Value::Object(status)) => (
            status.get("id").and_then(Value::as_i64),
            status.get("name").and_then(Value::as_str).map(clean),
        ),
        Some(Value::String(name)) => (None, Some(clean(name))),
        Some(Value::Number(number)) => (number.as_i64(), None),
        _ => (None, None),
    };
    let status_name = name
        .filter(|name| !name.is_empty())
        .or_else(|| status_id.and_then(status_name_of).map(str::to_string))
        .unwrap_or_else(|| "Unknown".to_string());
    let count = |key: &str| meta.get(key).and_then(Value::as_u64);
    let probes_requested = count("probes_requested");
    // v1 metadata has no probes_scheduled; participant_count (the probes taking part) stands in.
    let probes_scheduled = count("probes_scheduled").or_else(|| count("participant_count"));
    let lower = status_name.to_ascii_lowercase();
    let is_done = if status_name == "Unknown" {
        status_id.is_some_and(|id| (4..=8).contains(&id))
    } else {
        FINAL_STATUSES.contains(&lower.as_str())
    };
    let producing = matches!(lower.as_str(), "ongoing" | "stopped" | "forced to stop")
        || (status_name == "Unknown" && matches!(status_id, Some(2 | 4 | 5)));
    let has_results = producing && probes_scheduled != Some(0);
    Ok(MeasurementProgress {
        id,
        status_name,
        status_id,
        probes_requested,
        probes_scheduled,
        is_done,
        has_results,
    })
}

impl MeasurementProgress {
    /// "Measurement 1033154: Ongoing, 48 of 50 probes scheduled".
    pub fn summary(&self) -> String {
        let probes = match (self.probes_scheduled, self.probes_requested) {
            (Some(scheduled), Some(requested)) => {
                format!(", {scheduled} of {requested} probes scheduled")
            }
            (Some(scheduled), None) => format!(", {scheduled} probe{}", plural(scheduled)),
            (None, Some(requested)) => format!(", {requested} probes requested"),
            (None, None) => String::new(),
        };
        format!("Measurement {}: {}{probes}", self.id, self.status_name)
    }
}

/// The credits Atlas charges per result of a created measurement, from its metadata's
/// `credits_per_result` (seen in recorded v2 measurement lists), to replace the estimate once known.
pub fn parse_credits_per_result(meta_text: &str) -> Option<u32> {
    serde_json::from_str::<Value>(meta_text.trim_start_matches('\u{feff}').trim())
        .ok()?
        .get("credits_per_result")?
        .as_u64()
        .and_then(|credits| u32::try_from(credits).ok())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::ERROR_FIXTURES;
    use super::*;

    const META_FIXTURES: [(&str, u64); 6] = [
        (
            include_str!("../../../tests/fixtures/atlas/measurement_meta_v1_msm1033154.json"),
            1_033_154,
        ),
        (
            include_str!("../../../tests/fixtures/atlas/measurement_meta_v1_msm1071935.json"),
            1_071_935,
        ),
        (
            include_str!("../../../tests/fixtures/atlas/measurement_meta_v1_msm1421267.json"),
            1_421_267,
        ),
        (
            include_str!("../../../tests/fixtures/atlas/measurement_meta_v1_msm1443162.json"),
            1_443_162,
        ),
        (
            include_str!("../../../tests/fixtures/atlas/measurement_meta_v1_msm3082698.json"),
            3_082_698,
        ),
        (
            include_str!("../../../tests/fixtures/atlas/measurement_meta_v1_msm3359986.json"),
            3_359_986,
        ),
    ];

    #[test]
    fn created_replies() {
        assert_eq!(
            parse_created(201, r#"{"measurements": [12345678]}"#),
            Ok(vec![12_345_678])
        );
        assert_eq!(
            parse_created(202, r#"{"measurements": [1, "2", -3, null, 0]}"#),
            Ok(vec![1, 2])
        );
        let empty = parse_created(201, r#"{"measurements": []}"#).unwrap_err();
        assert_eq!(empty.kind, ProblemKind::Unreadable);
        assert!(empty.detail.unwrap().contains("measurement list"));
        assert!(parse_created(201, "<html>").is_err());
        let refused = parse_created(400, ERROR_FIXTURES[0]).unwrap_err();
        assert_eq!(refused.fields.len(), 1);
    }

    #[test]
    fn progress_from_the_metadata_fixtures() {
        for (text, id) in META_FIXTURES {
            let progress = parse_progress(text).unwrap();
            assert_eq!(progress.id, id);
            assert_eq!(progress.status_name, "Stopped");
            assert_eq!(progress.status_id, Some(4));
            assert!(progress.is_done && progress.has_results, "{progress:?}");
            assert!(progress.probes_scheduled.is_some_and(|n| n > 0));
            assert_eq!(progress.probes_requested, None);
            // Truncated metadata never panics.
            for end in 0..text.len() {
                let _ = parse_progress(&text[..end]);
            }
        }
        let ongoing = parse_progress(
            r#"{"id": 61000000, "type": "ping", "status": {"id": 2, "name": "Ongoing", "when": 1700000000},
               "probes_requested": 50, "probes_scheduled": 48}"#,
        )
        .unwrap();
        assert!(!ongoing.is_done && ongoing.has_results);
        assert_eq!(
            ongoing.summary(),
            "Measurement 61000000: Ongoing, 48 of 50 probes scheduled"
        );
        let waiting =
            parse_progress(r#"{"id": 7, "status": {"id": 1, "name": "Scheduled"}}"#).unwrap();
        assert!(!waiting.is_done && !waiting.has_results);
        let none = parse_progress(
            r#"{"id": 7, "status": {"id": 6, "name": "No suitable probes"}, "probes_requested": 5, "probes_scheduled": 0}"#,
        )
        .unwrap();
        assert!(none.is_done && !none.has_results);
        let by_id =
            parse_progress(r#"{"id": 7, "status": {"id": 5}, "probes_requested": -1}"#).unwrap();
        assert_eq!(by_id.status_name, "Forced to stop");
        assert!(by_id.is_done && by_id.has_results);
        assert_eq!(by_id.probes_requested, None);
        assert_eq!(
            parse_credits_per_result(r#"{"id": 1026291, "credits_per_result": 17}"#),
            Some(17)
        );
        assert_eq!(parse_credits_per_result(META_FIXTURES[0].0), None);
        assert_eq!(
            parse_credits_per_result(r#"{"credits_per_result": -1}"#),
            None
        );
        let denied = parse_progress(r#"{"id": 7, "status": {"name": "Denied"}}"#).unwrap();
        assert!(denied.is_done && !denied.has_results);
        for bad in ["", "[]", "{}", r#"{"id": 0}"#, r#"{"id": "x"}"#, "not json"] {
            assert!(parse_progress(bad).is_err(), "{bad}");
        }
    }
}
