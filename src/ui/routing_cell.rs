//! The routing-context cell: the resource field (AS number, address or prefix), Run and Cancel,
//! progress ("3 / 5 lookups") and errors in the cell, and the view of its snapshot. The RIPEstat
//! lookups go through `net` (paced, cancellable); the form only edits the request through the
//! reducer, and everything below it is derived from the snapshot by `routing_view`.

use yew::prelude::*;

use super::browser;
use super::fetch_status;
use super::routing_view::RoutingSnapshotView;
use crate::net;
use crate::notebook::{Action, CellId, RoutingCell, RoutingRequest};

#[derive(Properties, PartialEq)]
pub struct RoutingCellProps {
    pub id: CellId,
    pub cell: RoutingCell,
}

#[component]
pub fn RoutingCellView(props: &RoutingCellProps) -> Html {
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

    let on_resource = {
        let store = store.clone();
        Callback::from(move |event: InputEvent| {
            let request = RoutingRequest {
                resource: browser::input_value(&event),
            };
            store.dispatch(Action::EditRoutingRequest { id, request });
        })
    };
    let on_run = {
        let store = store.clone();
        let request = request.clone();
        let abort = abort.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // Checked here too, so an invalid resource shows its message at once and sends nothing.
            if let Err(error) = request.resource() {
                store.dispatch(Action::FetchFailed {
                    id,
                    message: error.to_string(),
                });
                return;
            }
            let (request, base) = (request.clone(), settings.ripestat_base_url.clone());
            fetch_status::spawn_run(
                &store,
                &abort,
                id,
                move |signal, progress| async move {
                    net::run_routing_request(&base, &request, signal, progress).await
                },
                |id, snapshot| Action::RoutingSnapshotLoaded { id, snapshot },
            );
        })
    };
    let on_cancel = fetch_status::cancel_callback(&abort);
    let has_data = props.cell.snapshot.is_some();
    html! {
        <div class="routing-cell">
            <form class="routing-request" onsubmit={on_run}>
                <div class="row">
                    <label class="grow">{ "AS number, IP address or prefix" }
                        <input name="routing-resource" placeholder="e.g. AS3333, 193.0.6.139, 193.0.0.0/21"
                            autocomplete="off" spellcheck="false"
                            value={request.resource.clone()} oninput={on_resource} />
                    </label>
                    if busy {
                        <button type="button" class="danger" onclick={on_cancel}>{ "Cancel" }</button>
                    } else {
                        <button type="submit" class="primary">{ if has_data { "Look up again" } else { "Look up" } }</button>
                    }
                </div>
            </form>
            <p class="hint">{ "Asks RIPEstat (the address in Settings) from this browser: for an AS its holder, \
                announced prefixes, visibility and neighbours; for an address or prefix its origin, visibility \
                and the routes RIS collectors hold, then the origin AS's holder and neighbours." }</p>
            { fetch_status::status_line(&fetch_state) }
            if let Some(snapshot) = props.cell.snapshot.clone() {
                <RoutingSnapshotView snapshot={snapshot} />
            }
        </div>
    }
}
