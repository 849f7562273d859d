//! All browser I/O to external services, one choke point per service (RIPE Atlas, DoH resolvers,
//! RIPEstat). Requests return text or bytes plus timing; parsing happens in the core. Every request
//! takes an `AbortSignal` so the author can cancel, and reports progress through a callback. The DNS
//! fan-out is paced here (a few requests in flight, spaced per resolver) because pacing is about how
//! we treat the services, not about what the answers mean. The new measurements of the "Measure now"
//! cell (Globalping, and RIPE Atlas with the user's key) are in `measure`; the key is added there and
//! only to the requests of the service it belongs to.

pub mod measure;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::AbortSignal;

use crate::atlas::api::{
    latest_url, parse_measurement_ref, parse_time, probe_id_batches, probes_url, read_failure,
    results_url,
};
use crate::atlas::parse_results;
use crate::atlas::probes::{Probe, parse_probes_page};
use crate::dns::doh::DohRequest;
use crate::dns::fanout::{PlannedQuery, Transport};
use crate::model::ApiProblem;
use crate::notebook::dns::{
    DohExchange, LookupOutcome, MAX_ORIGIN_ADDRESSES, RipestatCall, RipestatLookup, lookups_needed,
    progress_text,
};
use crate::notebook::routing;
use crate::notebook::{
    AtlasRequest, AtlasSnapshot, DnsRequest, DnsSnapshot, RoutingRequest, RoutingSnapshot,
    SnapshotSource,
};
use crate::settings::Settings;

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

/// Where the app's keys and service addresses are typed. The core's messages never name a place of
/// the app (the command line has none); this shell adds its own.
pub const SETTINGS_PLACE: &str = "Settings";

/// An API problem in words, for this app (naming its Settings).
pub fn problem_text(problem: &ApiProblem) -> String {
    crate::problem_words::problem_message(problem, Some(SETTINGS_PLACE))
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

/// A response as received, as bytes (DoH wire replies are binary).
#[derive(Debug, Clone, PartialEq)]
pub struct BytesResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub elapsed_ms: f64,
}

/// The one place that performs a GET. `accept` is a CORS-safelisted header, so no preflight is sent.
/// The body is kept as bytes (DoH wire replies are binary).
async fn get_bytes(
    url: &str,
    accept: &str,
    signal: Option<&AbortSignal>,
) -> Result<BytesResponse, NetError> {
    send(
        &Outgoing {
            method: "GET",
            url,
            headers: &[("Accept", accept)],
            body: None,
        },
        signal,
    )
    .await
    .map(|(response, _)| response)
}

/// One request as the core planned it: the exact URL, the only headers it needs, and a JSON body for
/// a POST. Secrets (an API key) travel only in `headers`, and only for their own service.
pub(crate) struct Outgoing<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<&'a str>,
}

/// The one place that performs a request; the response headers come back for the callers that read
/// rate limits, ETags or `Retry-After`.
pub(crate) async fn send(
    outgoing: &Outgoing<'_>,
    signal: Option<&AbortSignal>,
) -> Result<(BytesResponse, gloo_net::http::Headers), NetError> {
    let url = outgoing.url;
    let started = now_ms();
    let unreachable = |detail: String| NetError::Unreachable {
        url: url.to_string(),
        detail,
    };
    // The request is built here rather than with gloo's builder, which re-serialises the URL and
    // appends a stray "&" to any query it already has: the URL sent must be the one the core planned
    // and the snapshot records.
    let init = web_sys::RequestInit::new();
    init.set_method(outgoing.method);
    let headers = web_sys::Headers::new().map_err(|_| unreachable("no Headers".to_string()))?;
    for (name, value) in outgoing.headers {
        headers
            .set(name, value)
            .map_err(|_| unreachable(format!("the {name} header was refused")))?;
    }
    init.set_headers(&headers);
    if let Some(body) = outgoing.body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    init.set_signal(signal);
    let request = web_sys::Request::new_with_str_and_init(url, &init)
        .map_err(|_| unreachable("the browser refused this address".to_string()))?;
    let response = gloo_net::http::Request::from(request)
        .send()
        .await
        .map_err(|error| match error {
            gloo_net::Error::JsError(js) if js.name == "AbortError" => NetError::Aborted,
            gloo_net::Error::JsError(js) => unreachable(js.message),
            other => unreachable(other.to_string()),
        })?;
    let status = response.status();
    let response_headers = response.headers();
    let body = response.binary().await.map_err(|error| match error {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => NetError::Aborted,
        other => unreachable(format!("the response was cut off: {other}")),
    })?;
    Ok((
        BytesResponse {
            status,
            body,
            elapsed_ms: now_ms() - started,
        },
        response_headers,
    ))
}

/// Text as the Fetch standard's `text()` decodes it: UTF-8, a leading byte-order mark dropped,
/// invalid bytes replaced.
pub(crate) fn decode_text(body: &[u8]) -> String {
    let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
    String::from_utf8_lossy(body).into_owned()
}

/// A GET whose body is text (the Atlas API and RIPEstat), decoded as the Fetch standard's `text()`
/// does: UTF-8 with a leading byte-order mark dropped and invalid bytes replaced.
pub async fn get_text(
    url: &str,
    accept: &str,
    signal: Option<&AbortSignal>,
) -> Result<TextResponse, NetError> {
    let response = get_bytes(url, accept, signal).await?;
    Ok(TextResponse {
        status: response.status,
        text: decode_text(&response.body),
        elapsed_ms: response.elapsed_ms,
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

pub use crate::atlas::probe_ids;

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
                    problem_text(&read_failure(response.status, &response.text))
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
        return Err(problem_text(&read_failure(response.status, &response.text)));
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
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    })
}

/// Requests of the DNS fan-out in flight at once: enough to finish a per-continent run in about a
/// second, few enough that no public resolver sees a burst from one page.
pub const DOH_CONCURRENCY: usize = 4;
/// Least time between the starts of two requests to the same resolver (or to RIPEstat).
pub const PACE_MS: f64 = 150.0;
/// After a 429 the spacing for that resolver doubles, up to this.
pub const MAX_PACE_MS: f64 = 2_400.0;
/// A DoH reply slower than this counts as a timeout: resolvers answer in tens of milliseconds, and
/// the time limit Atlas probes use for DNS is 5 s.
pub const DOH_TIMEOUT_MS: i32 = 10_000;

/// Spaces out the requests of each lane (a resolver, or RIPEstat): the start of the next request in
/// a lane is at least its spacing after the previous one. Pure arithmetic over a clock the caller
/// reads, so it is tested natively.
#[derive(Debug, Default)]
pub struct Pacer {
    lanes: BTreeMap<String, (f64, f64)>,
}

impl Pacer {
    /// Books the next start in `lane` and returns how long to wait for it from `now_ms`.
    pub fn reserve(&mut self, lane: &str, now_ms: f64) -> f64 {
        let (next_start, spacing) = self
            .lanes
            .entry(lane.to_string())
            .or_insert((now_ms, PACE_MS));
        let start = next_start.max(now_ms);
        *next_start = start + *spacing;
        start - now_ms
    }

    /// The lane answered 429 (too many requests): slow it down for the rest of the run, starting
    /// with the start already booked.
    pub fn back_off(&mut self, lane: &str) {
        if let Some((next_start, spacing)) = self.lanes.get_mut(lane) {
            let slower = (*spacing * 2.0).min(MAX_PACE_MS);
            *next_start += slower - *spacing;
            *spacing = slower;
        }
    }
}

/// Waits `ms`, or less if the author cancels meanwhile, so a Cancel is felt at once even while a
/// throttled lane waits seconds for its next start.
pub(crate) async fn sleep_ms(ms: f64, signal: Option<&AbortSignal>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let delay = ms.clamp(0.0, f64::from(i32::MAX)) as i32;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, delay);
        // `resolve` is a JS function: the signal holds it, no Rust closure is kept alive.
        if let Some(signal) = signal {
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// An abort controller for one request that also aborts when the author cancels (the parent
/// signal) or when a time limit passes, and remembers which of the two it was.
struct RequestAbort {
    controller: Option<web_sys::AbortController>,
    timed_out: Rc<Cell<bool>>,
    timer: Option<i32>,
    parent: Option<(AbortSignal, Closure<dyn FnMut()>)>,
    /// The timer's callback, kept alive until the timer is cleared on drop.
    timeout_callback: Option<Closure<dyn FnMut()>>,
}

impl RequestAbort {
    fn new(parent: Option<&AbortSignal>, timeout_ms: i32) -> RequestAbort {
        let controller = web_sys::AbortController::new().ok();
        let timed_out = Rc::new(Cell::new(false));
        let mut this = RequestAbort {
            controller: controller.clone(),
            timed_out: timed_out.clone(),
            timer: None,
            parent: None,
            timeout_callback: None,
        };
        let Some(controller) = controller else {
            return this;
        };
        if let Some(parent) = parent {
            let child = controller.clone();
            let listener = Closure::<dyn FnMut()>::new(move || child.abort());
            let _ =
                parent.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
            if parent.aborted() {
                controller.abort();
            }
            this.parent = Some((parent.clone(), listener));
        }
        let on_timeout = Closure::<dyn FnMut()>::new(move || {
            timed_out.set(true);
            controller.abort();
        });
        this.timer = web_sys::window().and_then(|window| {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    on_timeout.as_ref().unchecked_ref(),
                    timeout_ms,
                )
                .ok()
        });
        this.timeout_callback = Some(on_timeout);
        this
    }

    fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(|c| c.signal())
    }
}

impl Drop for RequestAbort {
    fn drop(&mut self) {
        if let (Some(window), Some(timer)) = (web_sys::window(), self.timer) {
            window.clear_timeout_with_handle(timer);
        }
        if let Some((parent, listener)) = &self.parent {
            let _ = parent
                .remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        }
    }
}

/// One DoH GET (Google or Cloudflare JSON, or RFC 8484 wire): only the `Accept` header the core
/// chose, so no CORS preflight; the body kept as bytes; the time to the whole body measured with
/// `performance.now()`. `None` when the author cancelled (nothing arrived worth keeping).
pub async fn doh_get(
    request: &DohRequest,
    signal: Option<&AbortSignal>,
) -> Option<(Transport, Option<f64>)> {
    let started = now_ms();
    let abort = RequestAbort::new(signal, DOH_TIMEOUT_MS);
    let outcome = get_bytes(&request.url, request.accept, abort.signal().as_ref()).await;
    let elapsed = Some(now_ms() - started);
    match outcome {
        Ok(response) => Some((
            Transport::Response {
                status: response.status,
                body: response.body,
            },
            Some(response.elapsed_ms),
        )),
        Err(NetError::Aborted) if abort.timed_out.get() => Some((Transport::TimedOut, elapsed)),
        Err(NetError::Aborted) => None,
        Err(NetError::Unreachable { detail, .. }) => Some((
            Transport::Failed {
                reason: format!("no response ({detail})"),
            },
            elapsed,
        )),
    }
}

/// One RIPEstat Data API GET. `None` when the author cancelled.
pub async fn ripestat_get(url: &str, signal: Option<&AbortSignal>) -> Option<LookupOutcome> {
    match get_text(url, "application/json", signal).await {
        Ok(response) => Some(LookupOutcome::Response {
            status: response.status,
            text: response.text,
        }),
        Err(NetError::Aborted) => None,
        Err(error) => Some(LookupOutcome::Failed {
            reason: error.user_message(),
        }),
    }
}

fn is_cancelled(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(AbortSignal::aborted)
}

/// Runs `job` over `items` with `DOH_CONCURRENCY` workers, spacing the starts of each item's lane
/// with one shared `Pacer`. A job returns `None` when cancelled; then no further item starts. The
/// results come back in item order, with their index; `on_done` sees each as it arrives.
async fn run_paced<T, R, Job, Fut>(
    items: Vec<T>,
    lane: impl Fn(&T) -> String + 'static,
    signal: Option<AbortSignal>,
    job: Job,
    on_done: impl Fn(&R) + 'static,
) -> Vec<(usize, R)>
where
    T: 'static,
    R: 'static,
    Job: Fn(T, Option<AbortSignal>) -> Fut + 'static,
    Fut: Future<Output = Option<(R, bool)>> + 'static,
{
    let queue: Rc<RefCell<VecDeque<(usize, T)>>> =
        Rc::new(RefCell::new(items.into_iter().enumerate().collect()));
    let pacer = Rc::new(RefCell::new(Pacer::default()));
    let results: Rc<RefCell<Vec<(usize, R)>>> = Rc::new(RefCell::new(Vec::new()));
    let lane = Rc::new(lane);
    let job = Rc::new(job);
    let on_done = Rc::new(on_done);
    let workers = js_sys::Array::new();
    for _ in 0..DOH_CONCURRENCY {
        let (queue, pacer, results) = (queue.clone(), pacer.clone(), results.clone());
        let (lane, job, on_done, signal) =
            (lane.clone(), job.clone(), on_done.clone(), signal.clone());
        let worker = async move {
            loop {
                if is_cancelled(signal.as_ref()) {
                    break;
                }
                let Some((index, item)) = queue.borrow_mut().pop_front() else {
                    break;
                };
                let item_lane = lane(&item);
                let wait = pacer.borrow_mut().reserve(&item_lane, now_ms());
                if wait > 0.0 {
                    sleep_ms(wait, signal.as_ref()).await;
                }
                if is_cancelled(signal.as_ref()) {
                    break;
                }
                let Some((result, throttled)) = job(item, signal.clone()).await else {
                    break;
                };
                if throttled {
                    pacer.borrow_mut().back_off(&item_lane);
                }
                on_done(&result);
                results.borrow_mut().push((index, result));
            }
            Ok(wasm_bindgen::JsValue::UNDEFINED)
        };
        workers.push(&wasm_bindgen_futures::future_to_promise(worker));
    }
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::all(&workers)).await;
    let mut results = results.take();
    results.sort_by_key(|(index, _)| *index);
    results
}

/// Sends every planned DoH query, paced, and returns the exchanges that completed, in plan order,
/// and whether the author cancelled. A failure (HTTP error, 429, timeout, no response) is an
/// exchange like any other: it shows in its row and the run goes on.
pub async fn run_doh_fanout(
    planned: Vec<PlannedQuery>,
    signal: Option<AbortSignal>,
    progress: Rc<dyn Fn(String)>,
) -> (Vec<DohExchange>, bool) {
    let total = planned.len();
    let done = Rc::new(Cell::new(0usize));
    let failed = Rc::new(Cell::new(0usize));
    progress(progress_text(0, total, 0));
    let exchanges = run_paced(
        planned,
        |query: &PlannedQuery| query.resolver.label.clone(),
        signal.clone(),
        |query: PlannedQuery, signal: Option<AbortSignal>| async move {
            let sent_at = js_sys::Date::now() as i64;
            let (transport, rt_ms) = doh_get(&query.request, signal.as_ref()).await?;
            let throttled = matches!(transport, Transport::Response { status: 429, .. });
            Some((
                DohExchange::of(&query, sent_at, rt_ms, transport),
                throttled,
            ))
        },
        move |exchange: &DohExchange| {
            done.set(done.get() + 1);
            if exchange.failed() {
                failed.set(failed.get() + 1);
            }
            progress(progress_text(done.get(), total, failed.get()));
        },
    )
    .await;
    let cancelled = is_cancelled(signal.as_ref());
    (
        exchanges
            .into_iter()
            .map(|(_, exchange)| exchange)
            .collect(),
        cancelled,
    )
}

/// One round of RIPEstat lookups, paced on one lane (RIPEstat asks for fair use), each response
/// recorded as received; `on_done` sees each lookup as it lands. Fewer lookups than asked come back
/// only when the author cancelled.
async fn ripestat_round(
    base: &str,
    needed: Vec<(RipestatCall, String)>,
    signal: Option<AbortSignal>,
    on_done: impl Fn(&RipestatLookup) + 'static,
) -> Vec<RipestatLookup> {
    let base = base.to_string();
    run_paced(
        needed,
        |_: &(RipestatCall, String)| "RIPEstat".to_string(),
        signal,
        move |(call, resource): (RipestatCall, String), signal: Option<AbortSignal>| {
            let base = base.clone();
            async move {
                let fetched_at_unix_ms = js_sys::Date::now() as i64;
                let url = call.url(&base, &resource);
                let outcome = ripestat_get(&url, signal.as_ref()).await?;
                let throttled = matches!(outcome, LookupOutcome::Response { status: 429, .. });
                let lookup =
                    RipestatLookup::of(call, &base, &resource, fetched_at_unix_ms, outcome);
                Some((lookup, throttled))
            }
        },
        on_done,
    )
    .await
    .into_iter()
    .map(|(_, lookup)| lookup)
    .collect()
}

/// Looks up the origin of the answered addresses at RIPEstat (`network-info`, then
/// `prefix-overview` for the prefixes it names) and stores each response in the snapshot. Returns
/// false if the author cancelled.
pub async fn fetch_origins(
    base: &str,
    snapshot: &mut DnsSnapshot,
    signal: Option<AbortSignal>,
    progress: Rc<dyn Fn(String)>,
) -> bool {
    let addresses = snapshot.addresses_to_enrich();
    if addresses.len() > MAX_ORIGIN_ADDRESSES {
        snapshot.notes.push(format!(
            "Origins were looked up for the first {MAX_ORIGIN_ADDRESSES} of {} addresses only.",
            addresses.len()
        ));
    }
    ripestat_rounds(
        base,
        |made| lookups_needed(&addresses, made),
        &mut snapshot.origin_lookups,
        signal,
        progress,
        "origins",
    )
    .await
}

/// Makes RIPEstat lookups in rounds until `needed` (given what is already `made`) asks for no more:
/// each round is paced on one shared RIPEstat lane and its responses join `made` as received, so the
/// next round can follow up on them (a prefix found by `network-info` → its `prefix-overview`).
/// Returns false when cancelled; what arrived is kept.
async fn ripestat_rounds(
    base: &str,
    needed: impl Fn(&[RipestatLookup]) -> Vec<(RipestatCall, String)>,
    made: &mut Vec<RipestatLookup>,
    signal: Option<AbortSignal>,
    progress: Rc<dyn Fn(String)>,
    what: &'static str,
) -> bool {
    loop {
        let needed = needed(made);
        if needed.is_empty() {
            return true;
        }
        let total = needed.len();
        let call = needed[0].0;
        let done = Rc::new(Cell::new(0usize));
        let progress = progress.clone();
        progress(format!(
            "Looking up {what} at RIPEstat ({}): 0 / {total}",
            call.name()
        ));
        let lookups = ripestat_round(base, needed, signal.clone(), move |_| {
            done.set(done.get() + 1);
            progress(format!(
                "Looking up {what} at RIPEstat ({}): {} / {total}",
                call.name(),
                done.get()
            ));
        })
        .await;
        let round = lookups.len();
        made.extend(lookups);
        if is_cancelled(signal.as_ref()) {
            return false;
        }
        if round < total {
            // Cannot happen without a cancel; stop rather than loop on lookups that never land.
            return true;
        }
    }
}

/// The router names and owners of a traceroute snapshot's hops (ends of paths first, capped): the
/// lookups made, as received; `already` are those the snapshot has, which are not repeated.
pub async fn fetch_hop_lookups(
    base: &str,
    addresses: Vec<String>,
    targets: Vec<String>,
    already: &[RipestatLookup],
    signal: Option<AbortSignal>,
    progress: Rc<dyn Fn(String)>,
) -> (Vec<RipestatLookup>, bool) {
    let mut made = already.to_vec();
    let complete = ripestat_rounds(
        base,
        |made| crate::notebook::hops::hop_lookups_needed(&addresses, &targets, made),
        &mut made,
        signal,
        progress,
        "router names and owners",
    )
    .await;
    (made.split_off(already.len()), complete)
}

/// The whole run of a routing-context cell: validate the resource (an error means nothing was
/// sent), then the RIPEstat rounds the core asks for (`routing::lookups_needed`), paced and
/// cancellable, every response stored as received. A failed call is a lookup like any other: it
/// shows in its row and the rest goes on. A cancelled run keeps what arrived.
pub async fn run_routing_request(
    base: &str,
    request: &RoutingRequest,
    signal: Option<AbortSignal>,
    progress: Rc<dyn Fn(String)>,
) -> Result<RoutingSnapshot, String> {
    let resource = request.resource().map_err(|error| error.to_string())?;
    let mut snapshot = RoutingSnapshot {
        resource: resource.query(),
        started_at_unix_ms: js_sys::Date::now() as i64,
        finished_at_unix_ms: 0,
        cancelled: false,
        lookups: Vec::new(),
        notes: Vec::new(),
        community_remarks: None,
    };
    let failed = Rc::new(Cell::new(0usize));
    loop {
        let needed = routing::lookups_needed(&resource, &snapshot.lookups);
        if needed.is_empty() {
            break;
        }
        let asked = needed.len();
        let before = snapshot.lookups.len();
        // The plan grows once the origins are known; until then the usual count is shown.
        let total = resource.expected_lookups().max(before + asked);
        progress(routing::progress_text(before, total, failed.get()));
        let done = Rc::new(Cell::new(before));
        let (progress, failed) = (progress.clone(), failed.clone());
        let lookups = ripestat_round(base, needed, signal.clone(), move |lookup| {
            done.set(done.get() + 1);
            if routing::lookup_failed(lookup) {
                failed.set(failed.get() + 1);
            }
            progress(routing::progress_text(done.get(), total, failed.get()));
        })
        .await;
        let round = lookups.len();
        snapshot.lookups.extend(lookups);
        if is_cancelled(signal.as_ref()) {
            snapshot.cancelled = true;
            snapshot
                .notes
                .push("Cancelled: some lookups were not made.".to_string());
            break;
        }
        if round < asked {
            break;
        }
    }
    // The communities the dictionary leaves unexplained: what their ASes' aut-num remarks say, in
    // one batch of whois calls (failures go to one line of the cell, never to the lookups' table).
    let (asked, not_asked) = if snapshot.cancelled {
        (Vec::new(), Vec::new())
    } else {
        routing::remark_ases(&snapshot)
    };
    if !asked.is_empty() {
        let total = asked.len();
        progress(routing::remarks_progress_text(0, total));
        let done = Rc::new(Cell::new(0usize));
        let report = progress.clone();
        let needed = asked
            .iter()
            .map(|asn| (RipestatCall::Whois, format!("AS{asn}")))
            .collect();
        let fetched_at_unix_ms = js_sys::Date::now() as i64;
        let lookups = ripestat_round(base, needed, signal.clone(), move |_| {
            done.set(done.get() + 1);
            report(routing::remarks_progress_text(done.get(), total));
        })
        .await;
        snapshot.community_remarks = Some(routing::community_remarks(
            &lookups,
            not_asked,
            fetched_at_unix_ms,
        ));
        if is_cancelled(signal.as_ref()) {
            snapshot.cancelled = true;
            snapshot
                .notes
                .push("Cancelled: some aut-num remarks were not read.".to_string());
        }
    }
    if snapshot.lookups.is_empty() && snapshot.cancelled {
        return Err("Cancelled before any reply arrived; nothing was kept.".to_string());
    }
    snapshot.finished_at_unix_ms = js_sys::Date::now() as i64;
    Ok(snapshot)
}

/// The whole DNS run of a cell: plan (errors mean nothing was sent), the paced fan-out, then the
/// origins of the answers. A cancelled run keeps what arrived; the error is for the cell.
pub async fn run_dns_request(
    settings: &Settings,
    request: &DnsRequest,
    signal: Option<AbortSignal>,
    progress: Rc<dyn Fn(String)>,
) -> Result<DnsSnapshot, String> {
    let planned = request.plan(settings).map_err(|error| error.to_string())?;
    let name = planned
        .first()
        .map(|query| query.name.clone())
        .unwrap_or_else(|| request.name.trim().to_string());
    let planned_queries = planned.len();
    let started_at_unix_ms = js_sys::Date::now() as i64;
    let (exchanges, cancelled) =
        run_doh_fanout(planned.clone(), signal.clone(), progress.clone()).await;
    if exchanges.is_empty() && cancelled {
        return Err("Cancelled before any reply arrived; nothing was kept.".to_string());
    }
    let mut snapshot = DnsSnapshot {
        name,
        started_at_unix_ms,
        finished_at_unix_ms: js_sys::Date::now() as i64,
        planned_queries,
        cancelled,
        exchanges,
        controls: Vec::new(),
        origin_lookups: Vec::new(),
        origins_fetched_at_unix_ms: None,
        notes: Vec::new(),
    };
    if cancelled {
        snapshot
            .notes
            .push("Cancelled: origins were not looked up.".to_string());
        return Ok(snapshot);
    }
    // A resolver none of whose queries got through gets one control query, so the cell can tell an
    // unreachable resolver from failures that concern this name.
    let controls = snapshot.control_queries(&planned);
    if !controls.is_empty() {
        progress(format!(
            "Asking {} a control query…",
            controls
                .iter()
                .map(|query| query.resolver.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        let (exchanges, cancelled) =
            run_doh_fanout(controls, signal.clone(), progress.clone()).await;
        snapshot.controls = exchanges;
        if cancelled {
            snapshot.cancelled = true;
            return Ok(snapshot);
        }
    }
    let finished = fetch_origins(
        &settings.ripestat_base_url,
        &mut snapshot,
        signal.clone(),
        progress,
    )
    .await;
    if !snapshot.origin_lookups.is_empty() {
        snapshot.origins_fetched_at_unix_ms = Some(js_sys::Date::now() as i64);
    }
    if !finished {
        snapshot.cancelled = true;
        snapshot
            .notes
            .push("Cancelled while looking up origins: some addresses have none.".to_string());
    }
    Ok(snapshot)
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
    fn the_pacer_spaces_each_lane_and_backs_off_after_a_429() {
        let mut pacer = Pacer::default();
        assert_eq!(pacer.reserve("Google", 1_000.0), 0.0);
        assert_eq!(pacer.reserve("Google", 1_000.0), PACE_MS);
        assert_eq!(pacer.reserve("Google", 1_010.0), 2.0 * PACE_MS - 10.0);
        // Another lane is not held up by the first.
        assert_eq!(pacer.reserve("Cloudflare", 1_010.0), 0.0);
        // Long after the last start, a lane starts at once.
        assert_eq!(pacer.reserve("Google", 9_000.0), 0.0);
        pacer.back_off("Google");
        assert_eq!(pacer.reserve("Google", 9_000.0), 2.0 * PACE_MS);
        for _ in 0..10 {
            pacer.back_off("Google");
        }
        let now = 100_000.0;
        pacer.reserve("Google", now);
        assert_eq!(pacer.reserve("Google", now), MAX_PACE_MS);
        pacer.back_off("unknown lane");
    }

    #[test]
    fn probe_ids_are_read_even_from_results_the_parsers_reject() {
        assert_eq!(
            probe_ids(r#"[{"prb_id": 9, "type": "unknown"}, {"prb_id": 3}]"#),
            vec![3, 9]
        );
    }
}
