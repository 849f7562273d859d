//! The paths of a traceroute snapshot: where the probes' paths converge before the target, and one
//! probe's hop table at a time (TTL, addresses, RTTs, router name, owner, location hints accepted or
//! struck out with the physics that rejects them). It only renders: the path analysis is
//! `crate::paths`, derived from the snapshot by `notebook::hops::snapshot_paths_data`.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::visible_controls;

use super::browser;
use crate::format;
pub use crate::notebook::hops::PathsData;
use crate::paths::hints::{HintStatus, LocationHint};
use crate::paths::trace::{HopOrigin, ProbePath};

#[derive(Properties)]
pub struct PathsViewProps {
    pub data: Rc<PathsData>,
    /// Asks for router names and owners (RIPEstat); None hides the button.
    #[prop_or_default]
    pub on_lookup: Option<Callback<()>>,
    /// How many lookups the snapshot already holds.
    #[prop_or_default]
    pub lookups_made: usize,
}

/// Memoised upstream: identity says whether it changed.
impl PartialEq for PathsViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.data, &other.data)
            && self.on_lookup == other.on_lookup
            && self.lookups_made == other.lookups_made
    }
}

fn hint_view(hint: &LocationHint) -> Html {
    let place = format!("{} ({})", hint.city, hint.country);
    match &hint.status {
        HintStatus::Accepted => html! {
            <span class="hint-badge accepted" title={format!("read from \"{}\"; the RTT allows it", hint.token)}>{ place }</span>
        },
        HintStatus::Rejected { reason } => html! {
            <span class="hint-badge rejected" title={reason.clone()}><s>{ place }</s>{ format!(" — {reason}") }</span>
        },
        HintStatus::Unchecked { reason } => html! {
            <span class="hint-badge unchecked" title={reason.clone()}>{ format!("{place}?") }</span>
        },
    }
}

/// The probe a reader most likely wants first: the first that reached the target, else the first.
fn default_probe(paths: &[ProbePath]) -> Option<u64> {
    paths
        .iter()
        .find(|path| path.destination_reached)
        .or_else(|| paths.first())
        .map(|path| path.prb_id)
}

#[component]
pub fn PathsView(props: &PathsViewProps) -> Html {
    let data = &props.data;
    let chosen = use_state(|| default_probe(&data.paths));
    let on_choose = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            chosen.set(browser::selected_value(&event).and_then(|value| value.parse().ok()))
        })
    };
    let path = chosen
        .and_then(|id| data.paths.iter().find(|path| path.prb_id == id))
        .or_else(|| data.paths.first());
    let convergence = &data.convergence;
    html! {
        <section class="paths-view" aria-label="Paths">
            <h4>{ "Paths to the target" }</h4>
            <p class="paths-summary">{ convergence.summary.clone() }</p>
            if let Some(on_lookup) = props.on_lookup.clone() {
                <p class="row">
                    <button type="button" class="lookup-hops" onclick={Callback::from(move |_: MouseEvent| on_lookup.emit(()))}>
                        { if props.lookups_made == 0 { "Look up router names and owners" } else { "Retry the missing lookups" } }
                    </button>
                    <span class="hint">{ format!("Asks RIPEstat (reverse DNS, network-info, prefix-overview) about up to {} hop addresses, the ends of the paths first; the answers are kept with the notebook.", crate::notebook::hops::MAX_HOP_ADDRESSES) }</span>
                </p>
            }
            if props.lookups_made > 0 {
                <p class="hint">{ format!("{} RIPEstat lookups are stored with this snapshot.", props.lookups_made) }</p>
            }
            if !data.crossings.is_empty() {
                <ul class="crossings">
                    { for data.crossing_notes().into_iter().map(|(note, probes)| html! {
                        <li>{ format!("{note} ({probes} probe{})", if probes == 1 { "" } else { "s" }) }</li>
                    }) }
                </ul>
            }
            if !convergence.points.is_empty() {
                <table class="convergence-table">
                    <caption>{ format!("Where the paths meet: hops shared in the last {} hops before the target", convergence.window) }</caption>
                    <thead><tr>
                        <th scope="col">{ "Hop" }</th><th scope="col" class="num">{ "Probes" }</th>
                        <th scope="col">{ "Names" }</th><th scope="col">{ "Owner" }</th><th scope="col">{ "Where" }</th>
                    </tr></thead>
                    <tbody>
                    { for convergence.points.iter().take(8).map(|point| html! {
                        <tr>
                            <td>{ point.value.clone() }</td>
                            <td class="num">{ point.probes.len() }</td>
                            <td>{ point.names.join(", ") }</td>
                            <td>{ point.owners.iter().map(HopOrigin::label).collect::<Vec<_>>().join(", ") }</td>
                            <td>{ point.cities.join(", ") }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
            if let Some(path) = path {
                <label class="probe-choice">{ "Hops of probe " }
                    <select name="path-probe" onchange={on_choose}>
                        { for data.paths.iter().map(|p| html! {
                            <option value={p.prb_id.to_string()} selected={p.prb_id == path.prb_id}>
                                { format!("{}{}", p.prb_id, if p.destination_reached { "" } else { " (did not reach the target)" }) }
                            </option>
                        }) }
                    </select>
                </label>
                if let Some(error) = &path.error {
                    <p class="hint">{ format!("The probe reported: {error}") }</p>
                }
                <table class="hop-table" data-probe={path.prb_id.to_string()}>
                    <thead><tr>
                        <th scope="col" class="num">{ "TTL" }</th><th scope="col">{ "Address" }</th>
                        <th scope="col" class="num">{ "Min ms" }</th><th scope="col" class="num">{ "Median ms" }</th>
                        <th scope="col">{ "Name" }</th><th scope="col">{ "Owner" }</th><th scope="col">{ "Location hint" }</th>
                    </tr></thead>
                    <tbody>
                    { for path.hops.iter().map(|hop| html! {
                        <tr class={if hop.is_destination { "destination" } else { "" }}>
                            <td class="num">{ hop.ttl }</td>
                            <td>
                                { if hop.addresses.is_empty() { "*".to_string() } else { hop.addresses.join(", ") } }
                                if let Some(note) = &hop.special_purpose { <span class="hint">{ format!(" ({note})") }</span> }
                                if let Some(error) = &hop.error { <span class="hint">{ format!(" {error}") }</span> }
                            </td>
                            <td class="num">{ format::ms(hop.rtt_min_ms) }</td>
                            <td class="num">{ format::ms(hop.rtt_median_ms) }</td>
                            <td>{ visible_controls(hop.name.as_deref().unwrap_or_default()).into_owned() }</td>
                            <td>{ hop.origin.as_ref().map(HopOrigin::label).unwrap_or_default() }</td>
                            <td>{ for hop.hints.iter().map(hint_view) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                if path.hops.iter().all(|hop| hop.name.is_none()) {
                    <p class="hint">{ "No router names are known for this probe's hops, so no location can be read from them." }</p>
                }
            }
        </section>
    }
}
