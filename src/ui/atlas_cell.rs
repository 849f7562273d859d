//! The Atlas measurement cell: the request form (ID or URL, optional window), file import and paste,
//! request progress and cancel, and the view of its snapshot. Fetching goes through `net`; everything
//! shown is derived from the snapshot by `latency_view` (and, for DNS results, the answer matrices of
//! `dns_view`).

use std::rc::Rc;

use yew::prelude::*;

use super::StoreHandle;
use super::browser;
use super::dns_view::AtlasDnsView;
use super::fetch_status;
use super::import::ImportControls;
use super::latency_view::LatencyView;
use crate::atlas::{parse_results, traceroutes};
use crate::net;
use crate::notebook::hops::hop_addresses;
use crate::notebook::{Action, AtlasCell, AtlasRequest, AtlasSnapshot, CellId, SnapshotSource};
use crate::settings::Settings;

#[derive(Properties, PartialEq)]
pub struct AtlasCellProps {
    pub id: CellId,
    pub cell: AtlasCell,
}

/// Turns imported text into a snapshot, or explains why it is not Atlas results.
fn imported_snapshot(text: String, source: SnapshotSource) -> Result<AtlasSnapshot, String> {
    let parsed = parse_results(&text);
    if parsed.results.is_empty() {
        let reason = parsed.diagnostics.first().map_or_else(
            || "it contains no results".to_string(),
            |d| d.reason.clone(),
        );
        if parsed.diagnostics.len() <= 1 {
            return Err(format!(
                "This is not RIPE Atlas results data ({reason}). Expected the JSON array from \
                 /api/v2/measurements/ID/results/ or one result per line."
            ));
        }
    }
    Ok(AtlasSnapshot {
        source,
        fetched_at_unix_ms: browser::now_unix_ms(),
        results_text: text,
        probes: Vec::new(),
        fetch_notes: Vec::new(),
        hop_lookups: Vec::new(),
        hop_names: Vec::new(),
    })
}

/// After an import, fetch the probes' public metadata so they can be placed on the map; if that fails
/// the results are still shown, with a note.
async fn complete_import(
    store: StoreHandle,
    settings: Rc<Settings>,
    id: CellId,
    mut snapshot: AtlasSnapshot,
) {
    let ids = net::probe_ids(&snapshot.results_text);
    if !ids.is_empty() {
        let progress = fetch_status::progress_to(&store, id);
        match net::fetch_probes(&settings.atlas_base_url, &ids, None, &progress).await {
            Ok((probes, notes)) => {
                snapshot.probes = probes;
                snapshot.fetch_notes = notes;
            }
            Err(error) => snapshot.fetch_notes.push(format!(
                "Probe locations could not be fetched, so the map is empty: {}",
                error.user_message()
            )),
        }
    }
    store.dispatch(Action::SnapshotLoaded { id, snapshot });
}

#[component]
pub fn AtlasCellView(props: &AtlasCellProps) -> Html {
    let Some(fetch_status::CellRun {
        store,
        settings,
        abort,
        fetch_state,
        busy,
    }) = fetch_status::use_cell_run(props.id)
    else {
        return html! {};
    };
    let id = props.id;
    let request = props.cell.request.clone();

    let edit = |field: fn(&mut AtlasRequest, String)| {
        let store = store.clone();
        let request = request.clone();
        Callback::from(move |event: InputEvent| {
            let mut request = request.clone();
            field(&mut request, browser::input_value(&event));
            store.dispatch(Action::EditAtlasRequest { id, request });
        })
    };

    let on_fetch = {
        let store = store.clone();
        let request = request.clone();
        let settings = settings.clone();
        let abort = abort.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let signal = fetch_status::start(&abort);
            let progress = fetch_status::progress_to(&store, id);
            progress("Starting…".to_string());
            let store = store.clone();
            let request = request.clone();
            let settings = settings.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = net::fetch_atlas_measurement(
                    &settings.atlas_base_url,
                    &request,
                    signal.as_ref(),
                    &progress,
                )
                .await;
                match outcome {
                    Ok(snapshot) => store.dispatch(Action::SnapshotLoaded { id, snapshot }),
                    Err(message) => store.dispatch(Action::FetchFailed { id, message }),
                }
            });
        })
    };
    // Router names and owners of the hops, looked up at RIPEstat and stored with the snapshot.
    let on_lookup_hops = props.cell.snapshot.clone().map(|snapshot| {
        let store = store.clone();
        let settings = settings.clone();
        let abort = abort.clone();
        Callback::from(move |()| {
            let traces = traceroutes(&snapshot.results_text);
            let addresses = hop_addresses(&traces);
            let mut targets: Vec<String> = traces
                .iter()
                .filter_map(|trace| trace.dst_addr.clone())
                .collect();
            targets.sort();
            targets.dedup();
            let signal = fetch_status::start(&abort);
            let progress = fetch_status::progress_to(&store, id);
            progress("Looking up router names and owners…".to_string());
            let progress: Rc<dyn Fn(String)> = Rc::new(progress);
            let store = store.clone();
            let settings = settings.clone();
            let already = snapshot.hop_lookups.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (lookups, complete) = net::fetch_hop_lookups(
                    &settings.ripestat_base_url,
                    addresses,
                    targets,
                    &already,
                    signal,
                    progress,
                )
                .await;
                store.dispatch(Action::HopLookupsLoaded { id, lookups });
                if !complete {
                    store.dispatch(Action::FetchFailed {
                        id,
                        message:
                            "Cancelled: the names and owners that arrived are kept; press the \
                                  button again to look up the rest."
                                .to_string(),
                    });
                }
            });
        })
    });
    let on_cancel = fetch_status::cancel_callback(&abort);
    let on_import = {
        let store = store.clone();
        let settings = settings.clone();
        Callback::from(move |(text, source): (String, SnapshotSource)| {
            match imported_snapshot(text, source) {
                Ok(snapshot) => {
                    store.dispatch(Action::FetchProgress {
                        id,
                        step: "Reading results…".to_string(),
                    });
                    wasm_bindgen_futures::spawn_local(complete_import(
                        store.clone(),
                        settings.clone(),
                        id,
                        snapshot,
                    ));
                }
                Err(message) => store.dispatch(Action::FetchFailed { id, message }),
            }
        })
    };
    let on_import_error = {
        let store = store.clone();
        Callback::from(move |message| store.dispatch(Action::FetchFailed { id, message }))
    };
    let on_choices = {
        let store = store.clone();
        Callback::from(move |choices| store.dispatch(Action::SetInference { id, choices }))
    };
    // Repeat this measurement now, on the same probes: a new "Measure now" cell below, with these
    // results as its first run.
    let on_again = props.cell.snapshot.clone().map(|snapshot| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            match crate::notebook::measure::MeasureCell::again_from_atlas(&snapshot) {
                Ok(cell) => store.dispatch(Action::InsertMeasureCell { after: id, cell }),
                Err(message) => store.dispatch(Action::FetchFailed { id, message }),
            }
        })
    });
    let has_data = props.cell.snapshot.is_some();
    html! {
        <div class="atlas-cell">
            <form class="atlas-request" onsubmit={on_fetch}>
                <label class="grow">{ "Measurement ID or URL" }
                    <input name="measurement" placeholder="e.g. 1033154 or https://atlas.ripe.net/measurements/1033154/"
                        value={request.measurement.clone()} oninput={edit(|r, v| r.measurement = v)} />
                </label>
                <label>{ "Start (optional)" }
                    <input name="start" placeholder="2024-01-31 12:00 or unix time"
                        value={request.start.clone()} oninput={edit(|r, v| r.start = v)} />
                </label>
                <label>{ "Stop (optional)" }
                    <input name="stop" placeholder="UTC"
                        value={request.stop.clone()} oninput={edit(|r, v| r.stop = v)} />
                </label>
                if busy {
                    <button type="button" class="danger" onclick={on_cancel}>{ "Cancel" }</button>
                } else {
                    <button type="submit" class="primary">{ if has_data { "Fetch again" } else { "Fetch" } }</button>
                }
            </form>
            <p class="hint">{ "Without a time window the latest result of each probe is fetched. Public measurements need no API key." }</p>
            <ImportControls noun="results"
                accept=".json,.txt,.ndjson,.jsonl,application/json,text/plain"
                paste_label="Paste Atlas results"
                paste_placeholder="Paste the JSON array of results, or one JSON result per line"
                too_large_advice="Download a narrower time window or fewer probes."
                on_text={on_import} on_error={on_import_error} />
            { fetch_status::status_line(&fetch_state) }
            if let (Some(on_again), false) = (on_again, busy) {
                <p class="row"><button type="button" class="measure-again" onclick={on_again}>
                    { "Measure again now on the same probes…" }</button>
                    <span class="hint">{ " (RIPE Atlas with your key; before and after side by side)" }</span></p>
            }
            if let Some(snapshot) = props.cell.snapshot.clone() {
                <AtlasDnsView snapshot={snapshot.clone()} />
                <LatencyView snapshot={snapshot} choices={props.cell.inference} on_choices={on_choices}
                    on_lookup_hops={if busy { None } else { on_lookup_hops }} />
            }
        </div>
    }
}
