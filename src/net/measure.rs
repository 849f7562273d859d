//! Shell: the requests of the "Measure now" cell. Globalping (create, then follow the measurement
//! until every probe has reported) and RIPE Atlas with the user's key (create, follow the status,
//! then fetch the results through the same path as an imported measurement). Every request is
//! cancellable, retried with backoff on 429 and 5xx where a retry is safe, and paced: Globalping
//! allows 2 GETs a second per measurement, so a poll waits at least `GLOBALPING_POLL_MS` after each
//! response. Secrets: the Atlas key goes only in the `Authorization` header of the Atlas create
//! request, the Globalping token only in Globalping's; neither is ever in a URL, a log line or a
//! message. Parsing is the core's (`globalping`, `atlas::create`).

use web_sys::AbortSignal;

use super::{NetError, Outgoing, decode_text, now_ms, problem_text, send, sleep_ms};
use crate::atlas::create::{self, ApiKey, MeasurementProgress};
use crate::globalping::measurement::{self, Created, Measurement, RateLimit, parse_measurement};
use crate::model::ApiProblem;
use crate::notebook::{AtlasRequest, AtlasSnapshot};

/// Least wait after a Globalping response before the next GET of the same measurement: its limit is
/// two requests a second per measurement (API-NOTES §6); 700 ms stays clear of it with jitter.
pub const GLOBALPING_POLL_MS: f64 = 700.0;
/// Globalping tests time out after at most 30 s at the probe (its `timeout` option is 5–30 s), so a
/// measurement still unfinished after this long is reported rather than followed for ever.
pub const GLOBALPING_FOLLOW_LIMIT_MS: f64 = 180_000.0;
/// Retries of one request that failed with 429 or 5xx before the error is shown.
const RETRIES: u32 = 3;
/// The first backoff; it doubles per retry unless the server says when (`Retry-After`).
const FIRST_BACKOFF_MS: f64 = 1_000.0;

/// Atlas one-off measurements take minutes (probes are scheduled, then report); the status is read
/// at growing intervals from 2 s to 15 s so a long wait costs few requests.
const ATLAS_FIRST_POLL_MS: f64 = 2_000.0;
const ATLAS_MAX_POLL_MS: f64 = 15_000.0;
/// Give up following after this long; the ID stays with the cell and can be followed again.
const ATLAS_FOLLOW_LIMIT_MS: f64 = 30.0 * 60_000.0;
/// Least time between two fetches of the partial results of a running Atlas measurement: each
/// downloads every result so far and the probes' metadata again.
const ATLAS_PARTIAL_EVERY_MS: f64 = 20_000.0;

fn backoff_ms(attempt: u32, retry_after_s: Option<u64>) -> f64 {
    match retry_after_s {
        // At most 120 s, so the conversion to f64 is exact.
        Some(seconds) => f64::from(u32::try_from(seconds.min(120)).unwrap_or(120)) * 1000.0,
        None => FIRST_BACKOFF_MS * f64::from(1u32 << attempt.min(6)),
    }
}

/// What a Globalping create came back with.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalpingStarted {
    pub created: Created,
    pub rate_limit: RateLimit,
    pub url: String,
}

/// A follow's GET got no response: while retries are left, say so, wait the backoff and go on
/// (`Ok`); then the error's message. Polls are safe to repeat, unlike a create.
async fn retry_unreachable(
    error: NetError,
    failures: &mut u32,
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(String),
) -> Result<(), String> {
    if *failures >= RETRIES {
        return Err(error.user_message());
    }
    *failures += 1;
    progress(format!("{} Trying again…", error.user_message()));
    sleep_ms(backoff_ms(*failures, None), signal).await;
    Ok(())
}

fn cancelled() -> String {
    "Cancelled: what had arrived is kept with the cell.".to_string()
}

/// Creates a Globalping measurement. `token` (optional, from this browser's storage) goes only in
/// this request's `Authorization: Bearer` header.
pub async fn globalping_create(
    base: &str,
    token: Option<&str>,
    body: &str,
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(String),
) -> Result<GlobalpingStarted, String> {
    let url = crate::globalping::request::create_url(base);
    let bearer = token.map(|token| format!("Bearer {token}"));
    let mut headers = vec![
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
    ];
    if let Some(bearer) = &bearer {
        headers.push(("Authorization", bearer.as_str()));
    }
    let mut attempt = 0;
    loop {
        let outgoing = Outgoing {
            method: "POST",
            url: &url,
            headers: &headers,
            body: Some(body),
        };
        let (response, response_headers) = match send(&outgoing, signal).await {
            Ok(sent) => sent,
            Err(NetError::Aborted) => return Err(cancelled()),
            Err(error) => return Err(error.user_message()),
        };
        let text = decode_text(&response.body);
        let rate_limit = measurement::rate_limit_from_headers(|name| response_headers.get(name));
        match measurement::parse_created(response.status, &text) {
            Ok(created) => {
                return Ok(GlobalpingStarted {
                    created,
                    rate_limit,
                    url: format!("{url}/"),
                });
            }
            Err(error) if error.is_retryable() && attempt < RETRIES => {
                let error = with_retry_after(error, &response_headers);
                let wait = backoff_ms(attempt, error.retry_after);
                progress(format!(
                    "Globalping answered {} ({}); trying again in {:.0} s…",
                    error.status.unwrap_or_default(),
                    error.code.as_deref().unwrap_or("http_error"),
                    wait / 1000.0
                ));
                sleep_ms(wait, signal).await;
                if signal.is_some_and(AbortSignal::aborted) {
                    return Err(cancelled());
                }
                attempt += 1;
            }
            Err(error) => return Err(problem_text(&with_retry_after(error, &response_headers))),
        }
    }
}

fn with_retry_after(mut error: ApiProblem, headers: &gloo_net::http::Headers) -> ApiProblem {
    if error.retry_after.is_none() {
        error.retry_after = headers
            .get("Retry-After")
            .and_then(|v| v.trim().parse().ok());
    }
    error
}

/// Follows a Globalping measurement until it finishes: every response that changed is handed to
/// `on_poll` as received (so the cell shows probes as they report, and a reload resumes from the
/// stored ID). An ETag makes unchanged polls cost nothing. The error says what happened; whatever
/// arrived before it has already been handed over.
pub async fn globalping_follow(
    base: &str,
    id: &str,
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(String),
    on_poll: &dyn Fn(String, &Measurement),
) -> Result<(), String> {
    let url = crate::globalping::request::measurement_url(base, id);
    let started = now_ms();
    let mut etag: Option<String> = None;
    let mut failures = 0;
    loop {
        let mut headers = vec![("Accept", "application/json")];
        if let Some(etag) = &etag {
            headers.push(("If-None-Match", etag.as_str()));
        }
        let outgoing = Outgoing {
            method: "GET",
            url: &url,
            headers: &headers,
            body: None,
        };
        let (response, response_headers) = match send(&outgoing, signal).await {
            Ok(sent) => sent,
            Err(NetError::Aborted) => return Err(cancelled()),
            Err(error) => {
                retry_unreachable(error, &mut failures, signal, progress).await?;
                continue;
            }
        };
        let text = decode_text(&response.body);
        match response.status {
            200 => {
                failures = 0;
                etag = response_headers.get("ETag");
                match parse_measurement(&text) {
                    Ok(measurement) => {
                        on_poll(text, &measurement);
                        if measurement.is_finished() {
                            return Ok(());
                        }
                        progress(format!(
                            "Globalping measurement {id}: {}…",
                            measurement.progress_line()
                        ));
                    }
                    Err(reason) => {
                        return Err(format!(
                            "Globalping sent something that is not a measurement ({reason})."
                        ));
                    }
                }
            }
            // Nothing new since the last poll.
            304 => failures = 0,
            404 => {
                return Err(format!(
                    "Globalping no longer holds measurement {id} (it keeps results for about a week). \
                     What arrived before is kept with the cell; run it again for new results."
                ));
            }
            status => {
                let error = with_retry_after(
                    measurement::parse_error(status, &text, None),
                    &response_headers,
                );
                if error.is_retryable() && failures < RETRIES {
                    failures += 1;
                    let wait = backoff_ms(failures, error.retry_after);
                    progress(format!(
                        "Globalping answered {status}; asking again in {:.0} s…",
                        wait / 1000.0
                    ));
                    sleep_ms(wait, signal).await;
                    continue;
                }
                return Err(problem_text(&error));
            }
        }
        if now_ms() - started > GLOBALPING_FOLLOW_LIMIT_MS {
            return Err(format!(
                "Measurement {id} is still not finished after {} minutes; what arrived is kept. \
                 Press Follow to keep waiting.",
                GLOBALPING_FOLLOW_LIMIT_MS / 60_000.0
            ));
        }
        sleep_ms(GLOBALPING_POLL_MS, signal).await;
        if signal.is_some_and(AbortSignal::aborted) {
            return Err(cancelled());
        }
    }
}

/// Why an Atlas measurement was not created.
#[derive(Debug, Clone, PartialEq)]
pub enum AtlasCreateFailure {
    /// The author pressed Cancel.
    Cancelled,
    /// No response at all: the browser refused the cross-origin request (CORS preflight), or the
    /// network is down. The browser does not say which.
    Refused { detail: String },
    /// Atlas answered with an error (wrong key, invalid definition, no credits…).
    Api(ApiProblem),
}

/// Creates an Atlas one-off measurement with the user's key, sent only as this request's
/// `Authorization: Key …` header to the Atlas address in Settings.
pub async fn atlas_create(
    base: &str,
    key: &ApiKey,
    body: &str,
    signal: Option<&AbortSignal>,
) -> Result<Vec<u64>, AtlasCreateFailure> {
    let url = crate::atlas::api::create_url(base);
    let authorization = key.header_value();
    let headers = [
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
        ("Authorization", authorization.as_str()),
    ];
    let outgoing = Outgoing {
        method: "POST",
        url: &url,
        headers: &headers,
        body: Some(body),
    };
    // No retry: a create that timed out may still have been made, and a second one costs credits
    // twice.
    let (response, _) = match send(&outgoing, signal).await {
        Ok(sent) => sent,
        Err(NetError::Aborted) => return Err(AtlasCreateFailure::Cancelled),
        Err(NetError::Unreachable { detail, .. }) => {
            return Err(AtlasCreateFailure::Refused { detail });
        }
    };
    create::parse_created(response.status, &decode_text(&response.body))
        .map_err(AtlasCreateFailure::Api)
}

/// Follows an Atlas measurement until it is over, reporting its status, then fetches its results and
/// probes exactly as an imported measurement is fetched. While it runs and has results, the results
/// so far are fetched every `ATLAS_PARTIAL_EVERY_MS` and handed to `on_partial`, so the cell shows
/// the first probes' answers minutes before the measurement stops.
pub async fn atlas_follow(
    base: &str,
    msm_id: u64,
    signal: Option<&AbortSignal>,
    progress: &dyn Fn(String),
    on_status: &dyn Fn(&MeasurementProgress),
    on_partial: &dyn Fn(AtlasSnapshot),
) -> Result<AtlasSnapshot, String> {
    let url = crate::atlas::api::measurement_url(base, msm_id);
    let started = now_ms();
    let mut wait = ATLAS_FIRST_POLL_MS;
    let mut failures = 0;
    let mut last_partial: Option<f64> = None;
    loop {
        let response = match super::get_text(&url, "application/json", signal).await {
            Ok(response) => response,
            Err(NetError::Aborted) => return Err(cancelled()),
            Err(error) => {
                retry_unreachable(error, &mut failures, signal, progress).await?;
                continue;
            }
        };
        if response.status == 429 || response.status >= 500 {
            if failures >= RETRIES {
                return Err(problem_text(&create::parse_error(
                    response.status,
                    &response.text,
                )));
            }
            failures += 1;
            sleep_ms(backoff_ms(failures, None), signal).await;
            continue;
        }
        if response.status != 200 {
            return Err(problem_text(&create::parse_error(
                response.status,
                &response.text,
            )));
        }
        failures = 0;
        let status = create::parse_progress(&response.text).map_err(|reason| {
            format!("Atlas sent an unreadable status for {msm_id} ({reason}).")
        })?;
        on_status(&status);
        if status.is_done {
            break;
        }
        if status.has_results
            && last_partial.is_none_or(|at| now_ms() - at >= ATLAS_PARTIAL_EVERY_MS)
        {
            last_partial = Some(now_ms());
            let request = AtlasRequest {
                measurement: msm_id.to_string(),
                ..AtlasRequest::default()
            };
            // Partial results are a convenience: a failure here (no results yet, a hiccup) is
            // said in the progress line and the follow goes on.
            match super::fetch_atlas_measurement(base, &request, signal, progress).await {
                Ok(snapshot) => on_partial(snapshot),
                Err(message) => progress(format!("Results so far not fetched: {message}")),
            }
            if signal.is_some_and(AbortSignal::aborted) {
                return Err(cancelled());
            }
        }
        progress(format!(
            "Atlas measurement {msm_id}: {}{}; checking again in {:.0} s…",
            status.status_name,
            status
                .probes_scheduled
                .map(|n| format!(", {n} probes scheduled"))
                .unwrap_or_default(),
            wait / 1000.0
        ));
        if now_ms() - started > ATLAS_FOLLOW_LIMIT_MS {
            return Err(format!(
                "Measurement {msm_id} is still {} after 30 minutes; its ID is kept. Press Follow to \
                 keep waiting, or fetch its results in an Atlas cell later.",
                status.status_name
            ));
        }
        sleep_ms(wait, signal).await;
        if signal.is_some_and(AbortSignal::aborted) {
            return Err(cancelled());
        }
        wait = (wait * 1.5).min(ATLAS_MAX_POLL_MS);
    }
    let request = AtlasRequest {
        measurement: msm_id.to_string(),
        ..AtlasRequest::default()
    };
    super::fetch_atlas_measurement(base, &request, signal, progress).await
}
