//! The latency-observations cell: a table of vantage positions and minimum RTTs imported from a file
//! or pasted (a research data set, another platform's export, a spreadsheet), drawn on the map and
//! run through the same inference as Atlas measurements. It renders and dispatches; the table is parsed
//! by `infer::parse_observation_table` and everything shown is derived from the stored text.

use std::rc::Rc;

use yew::prelude::*;

use super::StoreHandle;
use super::browser;
use super::import::ImportControls;
use super::inference_view::InferenceView;
use super::map_canvas::MapCanvas;
use crate::chart::map::MapContent;
use crate::format;
use crate::infer::{Inference, ObservationDiagnostic, infer, parse_observation_table};
use crate::notebook::latency_map::table_map;
use crate::notebook::report::table_provenance;
use crate::notebook::{
    Action, CellId, FetchState, InferenceChoices, ObservationsCell, SnapshotSource, TableSnapshot,
};

#[derive(Properties, PartialEq)]
pub struct ObservationsCellProps {
    pub id: CellId,
    pub cell: ObservationsCell,
}

/// Checks that imported text is a table the inference can use before it replaces the cell's data.
fn imported_table(text: String, source: SnapshotSource) -> Result<TableSnapshot, String> {
    let (observations, diagnostics) = parse_observation_table(&text);
    if observations.is_empty() {
        let reason = diagnostics.first().map_or_else(
            || "it has no rows".to_string(),
            |diagnostic| diagnostic.reason.clone(),
        );
        return Err(format!(
            "No usable observation in this table ({reason}). Expected a header naming an id, a \
             latitude, a longitude and a minimum RTT in ms (e.g. \"id,lat,lon,rtt\"), then one row per \
             vantage point."
        ));
    }
    Ok(TableSnapshot {
        source,
        fetched_at_unix_ms: browser::now_unix_ms(),
        text,
    })
}

/// Everything the view shows, derived from the table and the choices.
struct TableView {
    content: Rc<MapContent>,
    labels: Rc<Vec<String>>,
    inference: Rc<Inference>,
    diagnostics: Vec<ObservationDiagnostic>,
}

#[derive(Clone)]
struct TableKey(Rc<TableSnapshot>, InferenceChoices);

impl PartialEq for TableKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) && self.1 == other.1
    }
}

fn table_view(snapshot: &TableSnapshot, choices: InferenceChoices) -> TableView {
    let (observations, mut diagnostics) = parse_observation_table(&snapshot.text);
    let labels = observations
        .iter()
        .map(|observation| {
            format!(
                "{} · min RTT {} ms",
                observation.id,
                format::ms(Some(observation.rtt_min_ms))
            )
        })
        .collect();
    let inference = infer(&observations, &choices.assumptions());
    diagnostics.extend(inference.diagnostics.iter().cloned());
    TableView {
        content: Rc::new(table_map(&observations, &inference)),
        labels: Rc::new(labels),
        inference: Rc::new(inference),
        diagnostics,
    }
}

#[component]
pub fn ObservationsCellView(props: &ObservationsCellProps) -> Html {
    let store = use_context::<StoreHandle>();
    // One memo whatever the state, so the hook order never changes when data arrives.
    let key = props
        .cell
        .snapshot
        .clone()
        .map(|snapshot| TableKey(snapshot, props.cell.inference));
    let view = use_memo(key, |key| key.as_ref().map(|key| table_view(&key.0, key.1)));
    let Some(store) = store else {
        return html! {};
    };
    let id = props.id;
    let on_text = {
        let store = store.clone();
        Callback::from(move |(text, source): (String, SnapshotSource)| {
            match imported_table(text, source) {
                Ok(snapshot) => store.dispatch(Action::TableLoaded { id, snapshot }),
                Err(message) => store.dispatch(Action::FetchFailed { id, message }),
            }
        })
    };
    let on_error = {
        let store = store.clone();
        Callback::from(move |message| store.dispatch(Action::FetchFailed { id, message }))
    };
    let on_choices = {
        let store = store.clone();
        Callback::from(move |choices| store.dispatch(Action::SetInference { id, choices }))
    };
    let failure = match store.0.fetch_state(id) {
        FetchState::Failed { message } => Some(message.clone()),
        FetchState::Idle | FetchState::InProgress { .. } => None,
    };
    html! {
        <div class="observations-cell">
            <p class="hint">{ "A table of latency observations: one row per vantage point with its position and minimum RTT (CSV, TSV or semicolon-separated; the header names the id, lat, lon and rtt columns; other columns are ignored)." }</p>
            <ImportControls noun="table"
                accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
                paste_label="Paste a table of observations"
                paste_placeholder={"id,lat,lon,rtt\nprobe-1,52.35,4.90,1.2\nprobe-2,35.68,139.69,240.5"}
                too_large_advice="Split the table or keep the minimum RTT per vantage point only."
                on_text={on_text} on_error={on_error} />
            if let Some(message) = failure {
                <p class="error" role="alert">{ message }</p>
            }
            if let (Some(snapshot), Some(view)) = (props.cell.snapshot.as_ref(), view.as_ref()) {
                <section class="latency-view">
                    <h3 class="headline">{ format!("{} vantage points", view.labels.len()) }</h3>
                    <p class="provenance">{ table_provenance(snapshot) }</p>
                    <MapCanvas content={view.content.clone()} labels={view.labels.clone()}
                        summary={format!("Map of {} vantage points. {}", view.labels.len(), view.inference.summary)} />
                    <InferenceView inference={view.inference.clone()} choices={props.cell.inference} on_choices={on_choices} />
                    if !view.diagnostics.is_empty() {
                        <details class="diagnostics">
                            <summary>{ format!("{} rows not used", view.diagnostics.len()) }</summary>
                            <ul>
                            { for view.diagnostics.iter().map(|d| html! {
                                <li>{ format!("{}{}: {}",
                                    d.line.map(|line| format!("line {line}")).unwrap_or_default(),
                                    d.id.as_deref().map(|id| format!(" ({id})")).unwrap_or_default(),
                                    d.reason) }</li>
                            }) }
                            </ul>
                        </details>
                    }
                </section>
            }
        </div>
    }
}
