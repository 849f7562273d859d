//! The "Measure now" cell: the form (platform, test, target, where from), the limits and, for RIPE
//! Atlas, the cost in credits with a confirmation before anything is sent; then the runs as they
//! arrive (per-probe progress), the same views as imported measurements (map, continent table, hop
//! tables, answer matrices, inference), the HTTP view, and the before/after comparison of the last two
//! runs. Requests go through `net::measure`; each run is stored the moment its ID is known, and a run
//! left pending (the tab was reloaded) is followed again when the cell mounts, unless the notebook is
//! a shared report (a reader's page contacts nobody on its own). When Atlas refuses the request from
//! this page, the cell shows the measurement definition and the ripe-atlas-tools command to create it
//! at the source, and follows the ID the author pastes back.

use std::rc::Rc;

use yew::prelude::*;

use super::StoreHandle;
use super::browser;
use super::comparison_view::ComparisonView;
use super::dns_view::AtlasDnsView;
use super::fetch_status::{self, AbortSlot};
use super::http_view::HttpView;
use super::latency_view::LatencyView;
use crate::atlas::create::{ApiKey, CreateRequest, definition_json_pretty};
use crate::globalping::request::{
    ANONYMOUS_PROBES_PER_MEASUREMENT, ANONYMOUS_TESTS_PER_HOUR,
    AUTHENTICATED_PROBES_PER_MEASUREMENT, AUTHENTICATED_TESTS_PER_HOUR, TestType,
};
use crate::net::measure::{self as net, AtlasCreateFailure};
use crate::notebook::measure::{
    ATLAS_DEFAULT_PROBES, MeasureCell, MeasureForm, MeasureRun, PER_CONTINENT_TEXT, Platform,
    RunData,
};
use crate::notebook::{Action, AtlasSnapshot, CellId, InferenceChoices};
use crate::settings::{Credentials, Settings};

#[derive(Properties, PartialEq)]
pub struct MeasureCellProps {
    pub id: CellId,
    pub cell: MeasureCell,
}

/// What the cell shows between Run and the request, for Atlas: the cost to confirm, or, after a
/// refused request, how to create the measurement at the source.
#[derive(Clone, PartialEq)]
enum AtlasStep {
    Form,
    Confirm(Rc<CreateRequest>),
    Fallback {
        request: Rc<CreateRequest>,
        detail: String,
    },
}

/// Starts following `run` (a new one, or one a reload left pending) in the background.
fn spawn_follow(
    store: &StoreHandle,
    abort: &AbortSlot,
    settings: &Settings,
    id: CellId,
    run: MeasureRun,
) {
    let signal = fetch_status::start(abort);
    let progress = fetch_status::progress_to(store, id);
    let store = store.clone();
    match run.data.clone() {
        RunData::Globalping { id: gp_id, url, .. } => {
            progress(format!("Following Globalping measurement {gp_id}…"));
            let base = settings.globalping_base_url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let on_poll = |text: String, measurement: &crate::globalping::Measurement| {
                    let mut next = run.clone();
                    next.data = RunData::Globalping {
                        id: gp_id.clone(),
                        measurement_text: Some(text),
                        fetched_at_unix_ms: browser::now_unix_ms(),
                        url: url.clone(),
                    };
                    store.dispatch(Action::MeasureRunUpdated {
                        id,
                        run: next,
                        done: measurement.is_finished(),
                    });
                };
                let outcome =
                    net::globalping_follow(&base, &gp_id, signal.as_ref(), &progress, &on_poll)
                        .await;
                if let Err(message) = outcome {
                    store.dispatch(Action::FetchFailed { id, message });
                }
            });
        }
        RunData::Atlas { msm_id, .. } => {
            progress(format!("Following Atlas measurement {msm_id}…"));
            let base = settings.atlas_base_url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // The latest status and partial results, so each update keeps the other.
                let latest = std::cell::RefCell::new(match &run.data {
                    RunData::Atlas {
                        status_name,
                        snapshot,
                        ..
                    } => (status_name.clone(), snapshot.clone()),
                    RunData::Globalping { .. } => (String::new(), None),
                });
                let update = |status_name: String, snapshot: Option<Rc<AtlasSnapshot>>| {
                    *latest.borrow_mut() = (status_name.clone(), snapshot.clone());
                    let mut next = run.clone();
                    next.data = RunData::Atlas {
                        msm_id,
                        status_name,
                        snapshot,
                        over: false,
                    };
                    store.dispatch(Action::MeasureRunUpdated {
                        id,
                        run: next,
                        done: false,
                    });
                };
                let on_status = |status: &crate::atlas::create::MeasurementProgress| {
                    let snapshot = latest.borrow().1.clone();
                    update(status.status_name.clone(), snapshot);
                };
                let on_partial = |snapshot: AtlasSnapshot| {
                    let status_name = latest.borrow().0.clone();
                    update(status_name, Some(Rc::new(snapshot)));
                };
                match net::atlas_follow(
                    &base,
                    msm_id,
                    signal.as_ref(),
                    &progress,
                    &on_status,
                    &on_partial,
                )
                .await
                {
                    Ok(snapshot) => {
                        let mut next = run.clone();
                        next.data = RunData::Atlas {
                            msm_id,
                            status_name: latest.borrow().0.clone(),
                            snapshot: Some(Rc::new(snapshot)),
                            over: true,
                        };
                        store.dispatch(Action::MeasureRunUpdated {
                            id,
                            run: next,
                            done: true,
                        });
                    }
                    Err(message) => store.dispatch(Action::FetchFailed { id, message }),
                }
            });
        }
    }
}

/// A measurement exists at its source: store the run at once (its ID survives a reload), then
/// follow it.
fn begin_run(
    store: &StoreHandle,
    abort: &AbortSlot,
    settings: &Settings,
    id: CellId,
    run: MeasureRun,
) {
    store.dispatch(Action::MeasureRunStarted {
        id,
        run: run.clone(),
    });
    crate::storage::remember_own_run(&run.source_key());
    spawn_follow(store, abort, settings, id, run);
}

fn atlas_run(msm_id: u64, request_body: String) -> MeasureRun {
    MeasureRun {
        started_at_unix_ms: browser::now_unix_ms(),
        request_body,
        data: RunData::Atlas {
            msm_id,
            status_name: "Specified".to_string(),
            snapshot: None,
            over: false,
        },
    }
}

/// Runs the Globalping request: create, store the run with its ID, then follow it.
fn start_globalping(
    store: &StoreHandle,
    abort: &AbortSlot,
    settings: Rc<Settings>,
    credentials: Rc<Credentials>,
    id: CellId,
    body: String,
    on_limits: Callback<crate::globalping::measurement::RateLimit>,
) {
    let signal = fetch_status::start(abort);
    let progress = fetch_status::progress_to(store, id);
    progress("Creating the Globalping measurement…".to_string());
    let (store, abort) = (store.clone(), abort.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let created = net::globalping_create(
            &settings.globalping_base_url,
            credentials.globalping_token.as_deref(),
            &body,
            signal.as_ref(),
            &progress,
        )
        .await;
        match created {
            Ok(started) => {
                on_limits.emit(started.rate_limit.clone());
                let run = MeasureRun {
                    started_at_unix_ms: browser::now_unix_ms(),
                    request_body: body,
                    data: RunData::Globalping {
                        id: started.created.id.clone(),
                        measurement_text: None,
                        fetched_at_unix_ms: browser::now_unix_ms(),
                        url: started.url,
                    },
                };
                begin_run(&store, &abort, &settings, id, run);
            }
            Err(message) => store.dispatch(Action::FetchFailed { id, message }),
        }
    });
}

#[component]
pub fn MeasureCellView(props: &MeasureCellProps) -> Html {
    let credentials = use_context::<Rc<Credentials>>().unwrap_or_default();
    let step = use_state(|| AtlasStep::Form);
    // What Globalping's last answer said of this address's hourly allowance (rate-limit headers).
    let rate_limit = use_state(|| None::<crate::globalping::measurement::RateLimit>);
    let pasted_id = use_state(String::new);
    let run = fetch_status::use_cell_run(props.id);
    // Derived from the runs, once per change of them rather than on every keystroke in the form:
    // both parse the stored measurements.
    let current = props.cell.current().cloned().map(RunKey);
    let pending = use_memo(current.clone(), |current| {
        current.as_ref().is_some_and(|run| run.0.is_pending())
    });
    // Whether this browser started the current run (or chose to follow it): read from storage once
    // per run, not on every render.
    let started_here = use_memo(current.clone(), |current| {
        current
            .as_ref()
            .is_some_and(|run| crate::storage::is_own_run(&run.0.source_key()))
    });
    let comparison = use_memo(
        (
            props.cell.runs.iter().rev().nth(1).cloned().map(RunKey),
            current.clone(),
        ),
        {
            let cell = props.cell.clone();
            move |_| cell.comparison().map(Rc::new)
        },
    );
    // A run a reload left pending is followed again when the cell mounts (an effect with no
    // dependencies runs once), but only a run this browser started: one that arrived in a shared
    // report or a file waits for the reader's click, even after a reload or an edit.
    {
        let context = run.as_ref().map(|run| {
            (
                run.store.clone(),
                run.abort.clone(),
                run.settings.clone(),
                run.busy,
            )
        });
        let (id, pending, started_here) = (props.id, *pending, *started_here);
        use_effect_with((), move |_| {
            if let (Some(current), Some((store, abort, settings, busy))) = (current, context)
                && pending
                && !busy
                && started_here
            {
                spawn_follow(&store, &abort, &settings, id, MeasureRun::clone(&current.0));
            }
        });
    }
    let Some(fetch_status::CellRun {
        store,
        settings,
        abort,
        fetch_state,
        busy,
    }) = run
    else {
        return html! {};
    };
    let id = props.id;
    let form = props.cell.form.clone();
    let authenticated = credentials.globalping_token.is_some();

    let edit = |change: fn(&mut MeasureForm, String)| {
        let store = store.clone();
        let form = form.clone();
        let step = step.clone();
        Callback::from(move |value: String| {
            let mut next = form.clone();
            change(&mut next, value);
            step.set(AtlasStep::Form);
            store.dispatch(Action::EditMeasureForm { id, form: next });
        })
    };
    let on_input = |change: fn(&mut MeasureForm, String)| {
        let edit = edit(change);
        Callback::from(move |event: InputEvent| edit.emit(browser::input_value(&event)))
    };
    let on_select = |change: fn(&mut MeasureForm, String)| {
        let edit = edit(change);
        Callback::from(move |event: Event| edit.emit(browser::select_value(&event)))
    };
    let preset = |text: &'static str| {
        let edit = edit(|form, value| form.locations = value);
        Callback::from(move |_: MouseEvent| edit.emit(text.to_string()))
    };
    let on_limits = {
        let rate_limit = rate_limit.clone();
        Callback::from(move |limit: crate::globalping::measurement::RateLimit| {
            rate_limit.set(Some(limit))
        })
    };
    let remaining_tests = rate_limit.as_ref().and_then(|limit| limit.remaining);

    // Run (and Run again on the same probes, which only changes the locations).
    let run_with = |same_probes: bool| {
        let store = store.clone();
        let abort = abort.clone();
        let settings = settings.clone();
        let credentials = credentials.clone();
        let cell = props.cell.clone();
        let step = step.clone();
        let on_limits = on_limits.clone();
        move || match cell.form.platform {
            Platform::Globalping => {
                let request = if same_probes {
                    cell.rerun_globalping(authenticated)
                } else {
                    cell.form.globalping_request(authenticated)
                };
                match request {
                    // Each probe is one test; a request over what is left this hour would be refused
                    // by Globalping anyway (and count against the allowance), so it is not sent.
                    Ok(request)
                        if remaining_tests
                            .is_some_and(|left| request.probes_requested() > left) =>
                    {
                        store.dispatch(Action::FetchFailed {
                            id,
                            message: format!(
                                "Globalping allows {} more tests this hour from this address and \
                                 this asks for {}: ask for fewer probes, wait, or add a Globalping \
                                 token in Settings. Nothing was sent.",
                                remaining_tests.unwrap_or(0),
                                request.probes_requested()
                            ),
                        });
                    }
                    Ok(request) => start_globalping(
                        &store,
                        &abort,
                        settings.clone(),
                        credentials.clone(),
                        id,
                        request.to_body().to_string(),
                        on_limits.clone(),
                    ),
                    Err(message) => store.dispatch(Action::FetchFailed { id, message }),
                }
            }
            Platform::Atlas => {
                let request = if same_probes {
                    cell.rerun_atlas()
                } else {
                    cell.form.atlas_request()
                };
                match request {
                    Ok(request) => step.set(AtlasStep::Confirm(Rc::new(request))),
                    Err(message) => store.dispatch(Action::FetchFailed { id, message }),
                }
            }
        }
    };
    let on_run = {
        let run = run_with(false);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            run();
        })
    };
    let on_rerun = {
        let run = run_with(true);
        Callback::from(move |_: MouseEvent| run())
    };
    let on_follow = props.cell.current().cloned().map(|run| {
        let (store, abort, settings) = (store.clone(), abort.clone(), settings.clone());
        Callback::from(move |_: MouseEvent| {
            crate::storage::remember_own_run(&run.source_key());
            spawn_follow(&store, &abort, &settings, id, MeasureRun::clone(&run))
        })
    });
    // A pending run this browser did not start: recorded by the notebook's author, still running
    // when they shared or saved it.
    let pending_elsewhere = *pending && !busy && !*started_here;
    let on_confirm = {
        let (store, abort, settings) = (store.clone(), abort.clone(), settings.clone());
        let credentials = credentials.clone();
        let step = step.clone();
        Callback::from(move |_: MouseEvent| {
            let AtlasStep::Confirm(request) = (*step).clone() else {
                return;
            };
            let key = match credentials.atlas_key.as_deref().map(ApiKey::parse) {
                Some(Ok(key)) => key,
                Some(Err(message)) => {
                    store.dispatch(Action::FetchFailed {
                        id,
                        message: format!("{message} Correct the key in Settings."),
                    });
                    return;
                }
                None => {
                    store.dispatch(Action::FetchFailed {
                        id,
                        message:
                            "No RIPE Atlas API key is set: add yours in Settings (it stays in \
                                  this browser), or create the measurement at the source below."
                                .to_string(),
                    });
                    step.set(AtlasStep::Fallback {
                        request: request.clone(),
                        detail: "no API key".to_string(),
                    });
                    return;
                }
            };
            let body = request.to_body().to_string();
            let signal = fetch_status::start(&abort);
            let progress = fetch_status::progress_to(&store, id);
            progress("Creating the RIPE Atlas measurement…".to_string());
            let (store, abort, settings, step) =
                (store.clone(), abort.clone(), settings.clone(), step.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match net::atlas_create(&settings.atlas_base_url, &key, &body, signal.as_ref())
                    .await
                {
                    Ok(ids) => {
                        step.set(AtlasStep::Form);
                        let Some(msm_id) = ids.first().copied() else {
                            store.dispatch(Action::FetchFailed {
                                id,
                                message: "Atlas accepted the request but named no measurement."
                                    .to_string(),
                            });
                            return;
                        };
                        let run = atlas_run(msm_id, body);
                        begin_run(&store, &abort, &settings, id, run);
                    }
                    Err(AtlasCreateFailure::Cancelled) => store.dispatch(Action::FetchFailed {
                        id,
                        message: "Cancelled before Atlas answered: check your measurements at \
                                  atlas.ripe.net in case it was created."
                            .to_string(),
                    }),
                    Err(AtlasCreateFailure::Refused { detail }) => {
                        store.dispatch(Action::FetchFailed {
                            id,
                            message: "RIPE Atlas did not accept a request from this page (the \
                                      browser refused it: a cross-origin refusal or no network). \
                                      Nothing was created. Create it at the source with the \
                                      definition below, then paste its ID here."
                                .to_string(),
                        });
                        step.set(AtlasStep::Fallback {
                            request: request.clone(),
                            detail,
                        });
                    }
                    Err(AtlasCreateFailure::Api(error)) => {
                        step.set(AtlasStep::Form);
                        store.dispatch(Action::FetchFailed {
                            id,
                            message: crate::net::problem_text(&error),
                        });
                    }
                }
            });
        })
    };
    let on_back = {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(AtlasStep::Form))
    };
    let on_pasted_id = {
        let pasted_id = pasted_id.clone();
        Callback::from(move |event: InputEvent| pasted_id.set(browser::input_value(&event)))
    };
    let on_follow_pasted = {
        let (store, abort, settings) = (store.clone(), abort.clone(), settings.clone());
        let pasted_id = pasted_id.clone();
        let step = step.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match crate::atlas::api::parse_measurement_ref(&pasted_id) {
                Ok(msm_id) => {
                    let body = match &*step {
                        AtlasStep::Fallback { request, .. } | AtlasStep::Confirm(request) => {
                            request.to_body().to_string()
                        }
                        AtlasStep::Form => String::new(),
                    };
                    step.set(AtlasStep::Form);
                    let run = atlas_run(msm_id, body);
                    begin_run(&store, &abort, &settings, id, run);
                }
                Err(error) => store.dispatch(Action::FetchFailed {
                    id,
                    message: error.user_message(),
                }),
            }
        })
    };
    let on_cancel = fetch_status::cancel_callback(&abort);
    let on_choices = {
        let store = store.clone();
        Callback::from(move |choices| store.dispatch(Action::SetInference { id, choices }))
    };

    let test_options = TestType::ALL.iter().map(|test| {
        html! { <option value={test.as_str()} selected={*test == form.test}>{ test.label() }</option> }
    });
    let limits = match (form.platform, authenticated) {
        (Platform::Globalping, false) => format!(
            "Globalping without an account: up to {ANONYMOUS_PROBES_PER_MEASUREMENT} probes per \
             measurement and {ANONYMOUS_TESTS_PER_HOUR} tests an hour from this address (one test per \
             probe). A token in Settings raises that to {AUTHENTICATED_PROBES_PER_MEASUREMENT} and \
             {AUTHENTICATED_TESTS_PER_HOUR}. Results stay at Globalping about a week; the notebook keeps them."
        ),
        (Platform::Globalping, true) => format!(
            "Globalping with your token: up to {AUTHENTICATED_PROBES_PER_MEASUREMENT} probes per \
             measurement and {AUTHENTICATED_TESTS_PER_HOUR} tests an hour. The token is sent only to Globalping."
        ),
        (Platform::Atlas, _) => match credentials.atlas_key.as_deref().map(ApiKey::parse) {
            Some(Ok(key)) => format!(
                "Creates a one-off RIPE Atlas measurement with your key ({}), which is sent only to \
                 the Atlas API. You see the cost in credits and confirm before anything is sent.",
                key.masked()
            ),
            Some(Err(_)) => {
                "The RIPE Atlas key in Settings is not a valid key: correct it there.".to_string()
            }
            None => {
                "RIPE Atlas needs your API key (Settings; it stays in this browser). Without one, \
                     Run shows the measurement definition to create at the source."
                    .to_string()
            }
        },
    };
    let cost = (form.platform == Platform::Atlas)
        .then(|| form.atlas_request().ok().map(|request| request.cost()))
        .flatten();
    let locations_label = match form.platform {
        Platform::Globalping => "From (places with a probe count, or N per continent)",
        Platform::Atlas => "Probes (area, country, AS, prefix, probe IDs or msm, with counts)",
    };
    let locations_placeholder = match form.platform {
        Platform::Globalping => "e.g. 5 per continent, or Europe:10, AS13335:3, Tokyo:2",
        Platform::Atlas => "e.g. WW:50, NL:10, AS3333:5, msm 1033154:20",
    };
    let has_runs = !props.cell.runs.is_empty();
    html! {
        <div class="measure-cell">
            <form class="measure-request" onsubmit={on_run}>
                <div class="row">
                    <label>{ "Platform" }
                        <select name="measure-platform" onchange={on_select(|f, v| {
                            f.platform = if v == "atlas" { Platform::Atlas } else { Platform::Globalping };
                            // The two platforms read the locations field differently.
                            f.locations = match f.platform {
                                Platform::Atlas => ATLAS_DEFAULT_PROBES.to_string(),
                                Platform::Globalping => PER_CONTINENT_TEXT.to_string(),
                            };
                        })}>
                            <option value="globalping" selected={form.platform == Platform::Globalping}>{ "Globalping (no account)" }</option>
                            <option value="atlas" selected={form.platform == Platform::Atlas}>{ "RIPE Atlas (your API key)" }</option>
                        </select>
                    </label>
                    <label>{ "Test" }
                        <select name="measure-test" onchange={on_select(|f, v| {
                            if let Some(test) = TestType::ALL.iter().find(|t| t.as_str() == v) {
                                f.test = *test;
                            }
                        })}>
                            { for test_options }
                        </select>
                    </label>
                    <label class="grow">{ if form.test == TestType::Dns { "Name to resolve" } else { "Target (host name or address)" } }
                        <input name="measure-target" placeholder={if form.test == TestType::Http { "e.g. web.telegram.org" } else { "e.g. telegram.org or 149.154.167.99" }}
                            autocomplete="off" spellcheck="false"
                            value={form.target.clone()} oninput={on_input(|f, v| f.target = v)} />
                    </label>
                </div>
                <div class="row">
                    <label class="grow">{ locations_label }
                        <input name="measure-locations" placeholder={locations_placeholder}
                            autocomplete="off" spellcheck="false"
                            value={form.locations.clone()} oninput={on_input(|f, v| f.locations = v)} />
                    </label>
                    if form.platform == Platform::Globalping {
                        <button type="button" onclick={preset("3 per continent")}>{ "3 per continent" }</button>
                        <button type="button" onclick={preset(PER_CONTINENT_TEXT)}>{ "5 per continent" }</button>
                        <button type="button" onclick={preset("8 per continent")}>{ "8 per continent" }</button>
                    } else {
                        <button type="button" onclick={preset(PER_CONTINENT_TEXT)}
                            title="The regions africa, asia, europe, northern_america, latin_america_and_caribbean and oceania: 30 probes">
                            { "5 per continent" }</button>
                        <button type="button" onclick={preset("WW:10")}>{ "10 worldwide" }</button>
                        <button type="button" onclick={preset(ATLAS_DEFAULT_PROBES)}>{ "50 worldwide" }</button>
                    }
                </div>
                <div class="row">
                    if matches!(form.test, TestType::Ping | TestType::Mtr) {
                        <label>{ "Packets" }
                            <input name="measure-packets" inputmode="numeric" size="4"
                                value={form.packets.clone()} oninput={on_input(|f, v| f.packets = v)} />
                        </label>
                    }
                    if form.test == TestType::Dns {
                        <label>{ "Record type" }
                            <input name="measure-query-type" size="6"
                                value={form.query_type.clone()} oninput={on_input(|f, v| f.query_type = v)} />
                        </label>
                        <label class="grow">{ "Resolver (empty: each probe's own)" }
                            <input name="measure-resolver" placeholder="e.g. 8.8.8.8"
                                value={form.resolver.clone()} oninput={on_input(|f, v| f.resolver = v)} />
                        </label>
                    }
                    if form.test == TestType::Http {
                        <label class="grow">{ "Path and query" }
                            <input name="measure-http-path" placeholder="/"
                                value={form.http_path.clone()} oninput={on_input(|f, v| f.http_path = v)} />
                        </label>
                        <label>{ "Method" }
                            <select name="measure-http-method" onchange={on_select(|f, v| f.http_method = v)}>
                                <option value="GET" selected={form.http_method != "HEAD"}>{ "GET" }</option>
                                <option value="HEAD" selected={form.http_method == "HEAD"}>{ "HEAD" }</option>
                            </select>
                        </label>
                    }
                    if busy {
                        <button type="button" class="danger" onclick={on_cancel}>{ "Cancel" }</button>
                    } else {
                        <button type="submit" class="primary">{ if has_runs { "Run new" } else { "Run" } }</button>
                        if has_runs {
                            <button type="button" class="rerun" onclick={on_rerun}>{ "Run again on the same probes" }</button>
                        }
                        if let (Some(on_follow), true) = (on_follow, *pending) {
                            <button type="button" class="follow" onclick={on_follow}>{ "Follow" }</button>
                        }
                    }
                </div>
            </form>
            if pending_elsewhere {
                <p class="hint pending-elsewhere">{ "Pending at the author's side: this run had not finished when the notebook was \
                    saved, and what had arrived is shown. Nothing is asked until you press Follow." }</p>
            }
            <p class="hint measure-limits">{ limits }</p>
            if let Some(remaining) = remaining_tests {
                <p class="hint rate-limit">{ format!("Globalping: {remaining}{} tests left this hour from this address.",
                    rate_limit.as_ref().and_then(|l| l.limit).map(|limit| format!(" of {limit}")).unwrap_or_default()) }</p>
            }
            if let Some(cost) = &cost {
                <p class="hint atlas-cost">{ format!("Cost: {} ({})", cost.explanation, cost.source) }</p>
            }
            { match &*step {
                AtlasStep::Form => html! {},
                AtlasStep::Confirm(request) => {
                    let cost = request.cost();
                    html! {
                        <div class="panel atlas-confirm" role="group" aria-label="Confirm the Atlas measurement">
                            <p>{ format!("Create this one-off RIPE Atlas measurement? It costs about {} credits: {}.",
                                cost.total_credits, cost.explanation) }</p>
                            <details><summary>{ "Definition to send" }</summary>
                                <pre class="atlas-definition">{ definition_json_pretty(request) }</pre>
                            </details>
                            <div class="row">
                                <button type="button" class="primary" onclick={on_confirm}>{ "Confirm and create" }</button>
                                <button type="button" onclick={on_back.clone()}>{ "Back" }</button>
                            </div>
                        </div>
                    }
                }
                AtlasStep::Fallback { request, detail } => html! {
                    <div class="panel atlas-fallback" aria-label="Create the measurement at the source">
                        <p>{ format!("Create it at the source ({detail}): paste this definition into the RIPE Atlas \
                            API (POST /api/v2/measurements/ with your key), or run the ripe-atlas-tools command; \
                            then paste the new measurement's ID below.") }</p>
                        <pre class="atlas-definition">{ definition_json_pretty(request) }</pre>
                        <pre class="atlas-command">{ request.ripe_atlas_tools_command() }</pre>
                        <form class="row" onsubmit={on_follow_pasted}>
                            <label class="grow">{ "ID of the measurement you created" }
                                <input name="measure-pasted-id" placeholder="e.g. 12345678"
                                    value={(*pasted_id).clone()} oninput={on_pasted_id} />
                            </label>
                            <button type="submit" class="primary">{ "Follow it" }</button>
                            <button type="button" onclick={on_back}>{ "Back" }</button>
                        </form>
                    </div>
                },
            } }
            { fetch_status::status_line(&fetch_state) }
            if let Some(comparison) = (*comparison).clone() {
                <ComparisonView comparison={comparison} />
            }
            { for props.cell.runs.iter().enumerate().rev().map(|(index, run)| {
                let latest = index + 1 == props.cell.runs.len();
                html! {
                    <RunView key={format!("{index}-{}", run.source_id())} run={run.clone()} number={index + 1}
                        open={latest} choices={props.cell.inference}
                        on_choices={latest.then(|| on_choices.clone())} />
                }
            }) }
        </div>
    }
}

#[derive(Properties)]
struct RunViewProps {
    run: Rc<MeasureRun>,
    number: usize,
    open: bool,
    choices: InferenceChoices,
    on_choices: Option<Callback<InferenceChoices>>,
}

/// Runs are immutable once made: identity says whether one changed.
impl PartialEq for RunViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run)
            && self.number == other.number
            && self.open == other.open
            && self.choices == other.choices
            && self.on_choices == other.on_choices
    }
}

#[derive(Clone)]
struct RunKey(Rc<MeasureRun>);

impl PartialEq for RunKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn run_headline(run: &MeasureRun, number: usize) -> String {
    let when = crate::format::utc_minutes(run.started_at_unix_ms.div_euclid(1000));
    match &run.data {
        RunData::Globalping { id, .. } => {
            let progress = run
                .globalping()
                .map(|m| {
                    format!(
                        "{} {} to {}: {}{}",
                        m.test.map_or("?", |t| t.label()),
                        if m.is_finished() {
                            "finished"
                        } else {
                            "in progress"
                        },
                        crate::format::visible_controls(&m.target),
                        m.progress_line(),
                        if m.is_finished() { "" } else { "…" }
                    )
                })
                .unwrap_or_else(|| "waiting for the first results…".to_string());
            format!("Run {number} · Globalping measurement {id} · started {when} · {progress}")
        }
        RunData::Atlas {
            msm_id,
            status_name,
            snapshot,
            over,
        } => format!(
            "Run {number} · RIPE Atlas measurement {msm_id} · started {when} · {}",
            match (snapshot, over) {
                (Some(_), true) => format!("{status_name}: results received"),
                (Some(snapshot), false) => format!(
                    "{status_name}: {} results so far…",
                    crate::atlas::probe_ids(&snapshot.results_text).len()
                ),
                (None, _) => format!("{status_name}, waiting for results…"),
            }
        ),
    }
}

#[component]
fn RunView(props: &RunViewProps) -> Html {
    let key = RunKey(props.run.clone());
    let measurement = use_memo(key.clone(), |key| key.0.globalping().map(Rc::new));
    let view = use_memo(key, |key| key.0.atlas_view());
    let probes = measurement.as_ref().as_ref().map(|m| {
        let finished = m.finished_results();
        let failed = m
            .results
            .iter()
            .filter(|r| {
                matches!(
                    r.status,
                    crate::globalping::measurement::Status::Failed
                        | crate::globalping::measurement::Status::Offline
                )
            })
            .count();
        html! {
            <details class="probe-progress">
                <summary>{ format!("Probes: {} of {} reported ({} failed)", finished, m.results.len().max(m.probes_count as usize), failed) }</summary>
                <table>
                    <thead><tr><th>{ "Probe" }</th><th>{ "Status" }</th></tr></thead>
                    <tbody>
                        { for m.results.iter().map(|r| html! {
                            <tr><td>{ r.probe.label() }</td><td>{ status_text(&r.status) }</td></tr>
                        }) }
                    </tbody>
                </table>
            </details>
        }
    });
    let body = html! {
        <>
            { probes.unwrap_or_default() }
            if let Some(measurement) = measurement.as_ref().clone().filter(|m| m.test == Some(TestType::Http)) {
                <HttpView measurement={measurement} />
            }
            if let Some(snapshot) = (*view).clone() {
                <AtlasDnsView snapshot={snapshot.clone()} />
                <LatencyView snapshot={snapshot} choices={props.choices} on_choices={props.on_choices.clone()} />
            }
            <details class="run-request">
                <summary>{ "Request sent" }</summary>
                <pre>{ props.run.request_body.clone() }</pre>
            </details>
        </>
    };
    let headline = run_headline(&props.run, props.number);
    html! {
        <section class="measure-run" data-run={props.number.to_string()}>
            if props.open {
                <h3 class="run-headline">{ headline }</h3>
                { body }
            } else {
                <details>
                    <summary class="run-headline">{ headline }</summary>
                    { body }
                </details>
            }
        </section>
    }
}

fn status_text(status: &crate::globalping::measurement::Status) -> String {
    use crate::globalping::measurement::Status;
    match status {
        Status::InProgress => "in progress".to_string(),
        Status::Finished => "finished".to_string(),
        Status::Failed => "failed".to_string(),
        Status::Offline => "offline".to_string(),
        Status::Other(other) => other.clone(),
    }
}
