//! The DNS cell: the request form (name, record types, resolvers, client-subnet vantages), Run and
//! Cancel, progress ("12 / 40 queries") and errors in the cell, and the view of its snapshot. The
//! fan-out goes through `net` (paced, cancellable); the form only edits the request through the
//! reducer, and everything shown below it is derived from the snapshot by `dns_view`.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::comparison_view::ComparisonView;
use super::dns_view::DnsSnapshotView;
use super::fetch_status;
use crate::dns::RecordType;
use crate::dns::subnets;
use crate::net;
use crate::notebook::dns::VantageChoice;
use crate::notebook::{Action, CellId, DnsCell, DnsRequest};

#[derive(Properties, PartialEq)]
pub struct DnsCellProps {
    pub id: CellId,
    pub cell: DnsCell,
}

/// The `<select>` values of the vantage choice.
fn vantage_value(choice: &VantageChoice) -> &'static str {
    match choice {
        VantageChoice::NoSubnet => "none",
        VantageChoice::OnePerContinent => "continents",
        VantageChoice::SeveralPerContinent => "several",
        VantageChoice::AllCountries => "all",
        VantageChoice::Countries { .. } => "countries",
    }
}

#[component]
pub fn DnsCellView(props: &DnsCellProps) -> Html {
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

    // Every edit is a new request through the reducer, so the form is the stored request.
    let edit = {
        let store = store.clone();
        let request = request.clone();
        move |change: Rc<dyn Fn(&mut DnsRequest)>| {
            let mut request = request.clone();
            change(&mut request);
            store.dispatch(Action::EditDnsRequest { id, request });
        }
    };
    let on_name = {
        let edit = edit.clone();
        Callback::from(move |event: InputEvent| {
            let name = browser::input_value(&event);
            edit(Rc::new(move |r: &mut DnsRequest| r.name = name.clone()));
        })
    };
    let toggle_type = |rtype: RecordType| {
        let edit = edit.clone();
        Callback::from(move |event: Event| {
            let on = browser::event_checked(&event);
            edit(Rc::new(move |r: &mut DnsRequest| {
                r.types.retain(|t| *t != rtype);
                if on {
                    r.types.push(rtype);
                    // Keep the form's order, so the matrices come in the order of the checkboxes.
                    r.types.sort_by_key(|t| {
                        RecordType::QUERYABLE
                            .iter()
                            .position(|q| q == t)
                            .unwrap_or(usize::MAX)
                    });
                }
            }));
        })
    };
    let toggle_resolver = |which: ResolverBox| {
        let edit = edit.clone();
        Callback::from(move |event: Event| {
            let on = browser::event_checked(&event);
            let which = which.clone();
            edit(Rc::new(move |r: &mut DnsRequest| match &which {
                ResolverBox::Google => r.resolvers.google = on,
                ResolverBox::Cloudflare => r.resolvers.cloudflare = on,
                ResolverBox::Custom(label) => {
                    r.resolvers.custom.retain(|known| known != label);
                    if on {
                        r.resolvers.custom.push(label.clone());
                    }
                }
            }));
        })
    };
    let on_vantages = {
        let edit = edit.clone();
        Callback::from(move |event: Event| {
            let value = browser::select_value(&event);
            edit(Rc::new(move |r: &mut DnsRequest| {
                let list = match &r.vantages {
                    VantageChoice::Countries { list } => list.clone(),
                    _ => String::new(),
                };
                r.vantages = match value.as_str() {
                    "none" => VantageChoice::NoSubnet,
                    "several" => VantageChoice::SeveralPerContinent,
                    "all" => VantageChoice::AllCountries,
                    "countries" => VantageChoice::Countries { list },
                    _ => VantageChoice::OnePerContinent,
                };
            }));
        })
    };
    let on_countries = {
        let edit = edit.clone();
        Callback::from(move |event: InputEvent| {
            let list = browser::input_value(&event);
            edit(Rc::new(move |r: &mut DnsRequest| {
                r.vantages = VantageChoice::Countries { list: list.clone() }
            }));
        })
    };

    let on_run = {
        let store = store.clone();
        let request = request.clone();
        let settings = settings.clone();
        let abort = abort.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // Checked here too, so an invalid request shows its message at once and sends nothing.
            if let Err(error) = request.plan(&settings) {
                store.dispatch(Action::FetchFailed {
                    id,
                    message: error.to_string(),
                });
                return;
            }
            let (request, settings) = (request.clone(), settings.clone());
            fetch_status::spawn_run(
                &store,
                &abort,
                id,
                move |signal, progress| async move {
                    net::run_dns_request(&settings, &request, signal, progress).await
                },
                |id, snapshot| Action::DnsSnapshotLoaded { id, snapshot },
            );
        })
    };
    let on_cancel = fetch_status::cancel_callback(&abort);

    let table = subnets::ecs_subnets();
    let continents = subnets::one_per_continent(&table).len();
    let several = subnets::several_per_continent(&table).len();
    // Resolvers the cell names that this browser's settings lack stay listed, so they can be unticked.
    let mut custom: Vec<(String, bool)> = settings
        .doh_endpoints
        .iter()
        .map(|endpoint| (endpoint.label.clone(), true))
        .collect();
    for label in &request.resolvers.custom {
        if !custom.iter().any(|(known, _)| known == label) {
            custom.push((label.clone(), false));
        }
    }
    let has_data = props.cell.snapshot.is_some();
    let countries_list = match &request.vantages {
        VantageChoice::Countries { list } => Some(list.clone()),
        _ => None,
    };
    html! {
        <div class="dns-cell">
            <form class="dns-request" onsubmit={on_run}>
                <div class="row">
                    <label class="grow">{ "Name" }
                        <input name="dns-name" placeholder="e.g. example.com" autocomplete="off" spellcheck="false"
                            value={request.name.clone()} oninput={on_name} />
                    </label>
                    if busy {
                        <button type="button" class="danger" onclick={on_cancel}>{ "Cancel" }</button>
                    } else {
                        <button type="submit" class="primary">{ if has_data { "Run again" } else { "Run" } }</button>
                    }
                </div>
                <fieldset class="rtypes">
                    <legend>{ "Record types" }</legend>
                    { for RecordType::QUERYABLE.iter().map(|rtype| html! {
                        <label class="check">
                            <input type="checkbox" name="rtype" value={rtype.to_string()}
                                checked={request.types.contains(rtype)} onchange={toggle_type(*rtype)} />
                            { rtype.to_string() }
                        </label>
                    }) }
                </fieldset>
                <fieldset class="resolvers">
                    <legend>{ "Resolvers" }</legend>
                    <label class="check">
                        <input type="checkbox" name="resolver" value="Google" checked={request.resolvers.google}
                            onchange={toggle_resolver(ResolverBox::Google)} />
                        { "Google (JSON API, with client subnet)" }
                    </label>
                    <label class="check">
                        <input type="checkbox" name="resolver" value="Cloudflare" checked={request.resolvers.cloudflare}
                            onchange={toggle_resolver(ResolverBox::Cloudflare)} />
                        { "Cloudflare (JSON API; does not forward client subnets)" }
                    </label>
                    { for custom.iter().map(|(label, known)| html! {
                        <label class="check">
                            <input type="checkbox" name="resolver" value={label.clone()}
                                checked={request.resolvers.custom.contains(label)}
                                onchange={toggle_resolver(ResolverBox::Custom(label.clone()))} />
                            { format!("{label} (RFC 8484){}", if *known { "" } else { " — not in this browser's settings" }) }
                        </label>
                    }) }
                    if custom.is_empty() {
                        <span class="hint">{ "Add your own RFC 8484 resolvers under Settings." }</span>
                    }
                </fieldset>
                <div class="row vantages">
                    <label>{ "Emulated clients (EDNS Client Subnet)" }
                        <select name="vantages" onchange={on_vantages}>
                            <option value="continents" selected={vantage_value(&request.vantages) == "continents"}>
                                { format!("One country per continent ({continents})") }</option>
                            <option value="several" selected={vantage_value(&request.vantages) == "several"}>
                                { format!("{} countries per continent ({several})", subnets::SEVERAL) }</option>
                            <option value="all" selected={vantage_value(&request.vantages) == "all"}>
                                { format!("All countries with a subnet ({})", table.len()) }</option>
                            <option value="countries" selected={vantage_value(&request.vantages) == "countries"}>
                                { "These countries…" }</option>
                            <option value="none" selected={vantage_value(&request.vantages) == "none"}>
                                { "No client subnet" }</option>
                        </select>
                    </label>
                    if let Some(list) = countries_list {
                        <label class="grow">{ "Country codes" }
                            <input name="countries" placeholder="e.g. DE, JP, US" value={list} oninput={on_countries} />
                        </label>
                    }
                </div>
            </form>
            <p class="hint">{ format!("Countries with a client subnet ({}): {}.", subnets::SOURCE,
                table.iter().map(|s| s.country.as_str()).collect::<Vec<_>>().join(", ")) }</p>
            { fetch_status::status_line(&fetch_state) }
            if let (Some(previous), Some(current)) = (props.cell.previous.clone(), props.cell.snapshot.clone()) {
                <DnsComparison previous={previous} current={current} />
            }
            if let Some(snapshot) = props.cell.snapshot.clone() {
                <DnsSnapshotView snapshot={snapshot} />
            }
        </div>
    }
}

#[derive(Properties)]
struct DnsComparisonProps {
    previous: std::rc::Rc<crate::notebook::DnsSnapshot>,
    current: std::rc::Rc<crate::notebook::DnsSnapshot>,
}

/// Snapshots are immutable once made: identity says whether they changed.
impl PartialEq for DnsComparisonProps {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.previous, &other.previous)
            && std::rc::Rc::ptr_eq(&self.current, &other.current)
    }
}

#[derive(Clone)]
struct PairKey(
    std::rc::Rc<crate::notebook::DnsSnapshot>,
    std::rc::Rc<crate::notebook::DnsSnapshot>,
);

impl PartialEq for PairKey {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0) && std::rc::Rc::ptr_eq(&self.1, &other.1)
    }
}

/// The run before the last one against the last, per vantage (derived once per pair of runs).
#[component]
fn DnsComparison(props: &DnsComparisonProps) -> Html {
    let comparison = use_memo(
        PairKey(props.previous.clone(), props.current.clone()),
        |pair| crate::notebook::dns::compare_runs(&pair.0, &pair.1).map(std::rc::Rc::new),
    );
    match (*comparison).clone() {
        Some(comparison) => html! { <ComparisonView comparison={comparison} /> },
        None => html! {},
    }
}

/// Which resolver checkbox changed.
#[derive(Clone)]
enum ResolverBox {
    Google,
    Cloudflare,
    Custom(String),
}
