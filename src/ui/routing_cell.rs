//! The routing-context cell: the resource field (AS number, address or prefix), Run and Cancel,
//! progress ("3 / 5 lookups") and errors in the cell, and the view of its snapshot. The RIPEstat
//! lookups go through `net` (paced, cancellable); the form only edits the request through the
//! reducer, and everything below it is derived from the snapshot by `routing_view`.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::fetch_status;
use super::routing_view::RoutingSnapshotView;
use crate::net;
use crate::notebook::routing::{MAX_REMARK_ASES, addresses_found};
use crate::notebook::{Action, CellBody, CellId, RoutingCell, RoutingRequest};

/// How many of the addresses the DNS cells found are offered as one-click lookups.
const OFFERED_ADDRESSES: usize = 6;

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
    // One lookup, for the form's request or for an address offered below it.
    let run = {
        let store = store.clone();
        let abort = abort.clone();
        Callback::from(move |request: RoutingRequest| {
            // Checked here too, so an invalid resource shows its message at once and sends nothing.
            if let Err(error) = request.resource() {
                store.dispatch(Action::FetchFailed {
                    id,
                    message: error.to_string(),
                });
                return;
            }
            let base = settings.ripestat_base_url.clone();
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
    let on_run = {
        let run = run.clone();
        let request = request.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            run.emit(request.clone());
        })
    };
    // A fresh cell offers what the notebook's DNS cells found (worked out only while the field is
    // empty, so typing here costs nothing).
    let fresh = request.resource.trim().is_empty() && props.cell.snapshot.is_none() && !busy;
    // Keyed on which DNS snapshots the notebook holds (each is replaced, never edited in place), so
    // the answers are read again only when a DNS cell has run, not on every keystroke elsewhere.
    let dns_snapshots: Vec<usize> = store
        .0
        .notebook
        .cells
        .iter()
        .filter_map(|cell| match &cell.body {
            CellBody::Dns(dns) => dns.snapshot.as_ref().map(|s| Rc::as_ptr(s) as usize),
            _ => None,
        })
        .collect();
    let found = {
        let store = store.clone();
        use_memo(dns_snapshots, move |_| {
            addresses_found(&store.0.notebook, OFFERED_ADDRESSES)
        })
    };
    let offered: Vec<String> = if fresh { (*found).clone() } else { Vec::new() };
    let offer = |address: String| {
        let store = store.clone();
        let run = run.clone();
        Callback::from(move |_: MouseEvent| {
            let request = RoutingRequest {
                resource: address.clone(),
            };
            store.dispatch(Action::EditRoutingRequest {
                id,
                request: request.clone(),
            });
            run.emit(request);
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
            if !offered.is_empty() {
                <div class="row found-addresses">
                    <span class="hint">{ "Found by the DNS cells:" }</span>
                    { for offered.into_iter().map(|address| html! {
                        <button type="button" onclick={offer(address.clone())}>{ format!("Look up {address}") }</button>
                    }) }
                </div>
            }
            <p class="hint">{ format!("Asks RIPEstat (the address in Settings) from this browser: for an AS its holder, \
                announced prefixes, visibility and neighbours; for an address or prefix its origin, visibility \
                and the routes RIS collectors hold, then the origin AS's holder and neighbours, and (whois) the aut-num \
                remarks of up to {MAX_REMARK_ASES} ASes whose communities the shipped dictionary does not explain.") }</p>
            { fetch_status::status_line(&fetch_state) }
            if let Some(snapshot) = props.cell.snapshot.clone() {
                <RoutingSnapshotView snapshot={snapshot} />
            }
        </div>
    }
}
