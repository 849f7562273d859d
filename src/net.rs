//! All browser I/O to external services, one choke point per service. Requests return text plus timing;
//! parsing happens in the core. Every request takes an `AbortSignal` so the author can cancel, and
//! reports progress through a callback. No API key exists yet; when one does, it is added here and only
//! to the requests of the service it belongs to.

use web_sys::AbortSignal;

use crate::atlas::api::{
    classify_http_failure, latest_url, parse_measurement_ref, parse_time, probe_id_batches,
    probes_url, results_url,
};
use crate::atlas::parse_results;
use crate::atlas::probes::{Probe, parse_probes_page};
use crate::notebook::{AtlasRequest, AtlasSnapshot, SnapshotSource};

/// A response as received.
#[derive(Debug, Clone, PartialEq)]
pub struct TextResponse {
    pub status: u16,
    pub text: String,
    pub elapsed_ms: f64,
}

/// Why a request produced no response.
#[derive(Debug, Clone, PartialEq)]
pub enum NetError {
    /// The author pressed Cancel.
    Aborted,
    /// No HTTP response at all: offline, DNS failure, refused connection or a CORS refusal (the browser
    /// does not tell these apart).
    Unreachable { url: String, detail: String },
}

impl NetError {
    pub fn user_message(&self) -> String {
        match self {
            NetError::Aborted => "Cancelled.".to_string(),
            NetError::Unreachable { url, detail } => format!(
                "Could not reach {} ({detail}). Check the network connection and the service address in \
                 Settings, then try again.",
                origin_of(url)
            ),
        }
    }
}

fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |index| index + 3);
    url[after_scheme..]
        .find('/')
        .map_or(url, |slash| &url[..after_scheme + slash])
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// The one place that performs a GET. `accept` is a CORS-safelisted header, so no preflight is sent.
pub async fn get_text(
    url: &str,
    accept: &str,
    signal: Option<&AbortSignal>,
) -> Result<TextResponse, NetError> {
    let started = now_ms();
    let unreachable = |detail: String| NetError::Unreachable {
        url: url.to_string(),
        detail,
    };
    let response = gloo_net::http::Request::get(url)
        .header("Accept", accept)
        .abort_signal(signal)
        .send()
        .await
        .map_err(|error| match error {
            gloo_net::Error::JsError(js) if js.name == "AbortError" => NetError::Aborted,
            gloo_net::Error::JsError(js) => unreachable(js.message),
            other => unreachable(other.to_string()),
        })?;
    let status = response.status();
    let text = response.text().await.map_err(|error| match error {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => NetError::Aborted,
        other => unreachable(format!("the response was cut off: {other}")),
    })?;
    Ok(TextResponse {
        status,
        text,
        elapsed_ms: now_ms() - started,
    })
}

/// A probes page's `next` link names the real Atlas host; rebase it on the configured base so a
/// replay server (or a mirror) also serves the following pages.
fn rebase(next: &str, base: &str) -> String {
    match next.find("/api/v2/") {
        Some(index) => format!("{}{}", base.trim_end_matches('/'), &next[index..]),
        None => next.to_string(),
    }
}

/// Every probe ID in a results body, sorted: those of the parsed results plus any `prb_id` of an
/// array entry the parsers rejected, so a result shown as a diagnostic still has its probe described.
pub fn probe_ids(results_text: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = parse_results(results_text)
        .results
        .iter()
        .map(|result| result.prb_id())
        .collect();
    if let Ok(rows) = serde_json::from_str::<Vec<serde_json::Value>>(results_text) {
        ids.extend(rows.iter().filter_map(|row| row.get("prb_id")?.as_u64()));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A safety cap on probe pages followed per batch: a `next` chain longer than this is a server bug,
/// not data (500 probes per page already covers a 1000-probe measurement in two pages).
const MAX_PROBE_PAGES_PER_BATCH: usize = 20;

/// Fetches the probe metadata for the given IDs; failures become notes, not errors, because the
/// results are still worth showing without a map position.
pub async fn fetch_probes(
    base: &str,
    ids: &[u64],
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(String),
) -> Result<(Vec<Probe>, Vec<String>), NetError> {
    let mut probes = Vec::new();
    let mut notes = Vec::new();
    let batches = probe_id_batches(ids, 100);
    for (number, batch) in batches.iter().enumerate() {
        progress(format!(
            "Fetching probe metadata ({} of {})…",
            number + 1,
            batches.len()
        ));
        let mut url = Some(probes_url(base, batch));
        let mut pages = 0;
        while let Some(current) = url.take() {
            pages += 1;
            if pages > MAX_PROBE_PAGES_PER_BATCH {
                notes.push("Stopped following probe pages after 20 pages.".to_string());
                break;
            }
            let response = get_text(&current, "application/json", signal).await?;
            if response.status != 200 {
                notes.push(format!(
                    "Probe metadata could not be fetched ({}); some probes are not on the map.",
                    classify_http_failure(response.status, &response.text).user_message()
                ));
                break;
            }
            let page = parse_probes_page(&response.text);
            notes.extend(
                page.diagnostics
                    .iter()
                    .map(|d| format!("Probe metadata: {}", d.reason)),
            );
            probes.extend(page.probes);
            url = page.next.map(|next| rebase(&next, base));
        }
    }
    Ok((probes, notes))
}

/// Fetches a measurement's results and its probes' metadata into a snapshot. The error is a message
/// for the cell, saying what to do next.
pub async fn fetch_atlas_measurement(
    base: &str,
    request: &AtlasRequest,
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(String),
) -> Result<AtlasSnapshot, String> {
    let msm_id =
        parse_measurement_ref(&request.measurement).map_err(|error| error.user_message())?;
    let time = |text: &str| -> Result<Option<i64>, String> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            parse_time(text)
                .map(Some)
                .map_err(|error| error.user_message())
        }
    };
    let (start, stop) = (time(&request.start)?, time(&request.stop)?);
    if let (Some(start), Some(stop)) = (start, stop)
        && stop <= start
    {
        return Err("The stop time is before the start time: swap them or clear one.".to_string());
    }
    // Without a window the results endpoint streams a periodic measurement's whole history (it is not
    // paginated and can be hundreds of megabytes), so the latest result of each probe is fetched instead.
    let url = if start.is_none() && stop.is_none() {
        latest_url(base, msm_id)
    } else {
        results_url(base, msm_id, start, stop)
    };
    progress(format!("Fetching results of measurement {msm_id}…"));
    let response = get_text(&url, "application/json", signal)
        .await
        .map_err(|error| error.user_message())?;
    if response.status != 200 {
        return Err(classify_http_failure(response.status, &response.text).user_message());
    }
    let parsed = parse_results(&response.text);
    if parsed.results.is_empty() && parsed.diagnostics.is_empty() {
        return Err(format!(
            "Measurement {msm_id} has no results{}. Check the time window, or whether the measurement has started.",
            if start.is_some() || stop.is_some() {
                " in this time window"
            } else {
                ""
            }
        ));
    }
    let ids = probe_ids(&response.text);
    progress(format!(
        "Received {} results ({:.0} kB in {:.1} s); fetching metadata of {} probes…",
        parsed.results.len(),
        response.text.len() as f64 / 1000.0,
        response.elapsed_ms / 1000.0,
        ids.len()
    ));
    let (probes, fetch_notes) = fetch_probes(base, &ids, signal, progress)
        .await
        .map_err(|error| error.user_message())?;
    Ok(AtlasSnapshot {
        source: SnapshotSource::Api {
            msm_id,
            results_url: url,
        },
        fetched_at_unix_ms: js_sys::Date::now() as i64,
        results_text: response.text,
        probes,
        fetch_notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_rebased_on_the_configured_host() {
        assert_eq!(
            rebase(
                "https://atlas.ripe.net/api/v2/probes/?page=2&id__in=1,2",
                "http://127.0.0.1:9000/"
            ),
            "http://127.0.0.1:9000/api/v2/probes/?page=2&id__in=1,2"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:9000/api/v2/x"),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn probe_ids_are_read_even_from_results_the_parsers_reject() {
        assert_eq!(
            probe_ids(r#"[{"prb_id": 9, "type": "unknown"}, {"prb_id": 3}]"#),
            vec![3, 9]
        );
    }
}
