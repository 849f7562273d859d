//! The view of an Atlas snapshot: what it is and where it came from, the latency map, the per-continent
//! summary, the sortable per-probe table and the diagnostics. Everything is derived from the snapshot
//! (memoised per snapshot), never stored.

use std::cmp::Ordering;
use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use super::inference_view::InferenceView;
use super::map_canvas::MapCanvas;
use super::paths_view::PathsView;
use crate::atlas::DiagnosticKind;
use crate::chart::scale::{css_rgb, rtt_rgb};
use crate::format;
use crate::format::visible_controls;
use crate::geo::country_name;
use crate::infer::infer_per_target;
use crate::latency::{LatencyAnalysis, ProbeLatency, analyse};
use crate::notebook::hops::snapshot_paths_data;
use crate::notebook::latency_map::latency_map;
use crate::notebook::report::{atlas_provenance, latency_headline};
use crate::notebook::{AtlasSnapshot, InferenceChoices};

#[derive(Properties, Clone)]
pub struct LatencyViewProps {
    pub snapshot: Rc<AtlasSnapshot>,
    /// The author's inference choices stored with the cell.
    #[prop_or_default]
    pub choices: InferenceChoices,
    /// Where changed choices go; None makes the inference read-only.
    #[prop_or_default]
    pub on_choices: Option<Callback<InferenceChoices>>,
    /// Asks for the router names and owners of traceroute hops; None hides the button (busy, or no
    /// network action possible here).
    #[prop_or_default]
    pub on_lookup_hops: Option<Callback<()>>,
}

/// Snapshots are immutable once made, so identity is enough to know nothing changed, and comparing
/// hundreds of kilobytes on every render is avoided.
impl PartialEq for LatencyViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot)
            && self.choices == other.choices
            && self.on_choices == other.on_choices
    }
}

/// How many hops before the target count as "the end of the path" when comparing probes: enough to
/// include the hand-over between carriers, few enough to stay near the target.
/// What the inference depends on: the snapshot (by identity) and the choices.
#[derive(Clone)]
struct InferenceKey(Rc<AtlasSnapshot>, InferenceChoices);

impl PartialEq for InferenceKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) && self.1 == other.1
    }
}

#[derive(Clone, PartialEq)]
struct SnapshotKey(Rc<AtlasSnapshot>);

#[component]
pub fn LatencyView(props: &LatencyViewProps) -> Html {
    let analysis = use_memo(SnapshotKey(props.snapshot.clone()), |key| {
        analyse(&key.0.results_text, &key.0.probes)
    });
    // The placed probes' tooltips, in the order of the map's markers (`latency_map::probe_markers`).
    let labels = use_memo(SnapshotKey(props.snapshot.clone()), {
        let analysis = analysis.clone();
        move |_| {
            analysis
                .probes
                .iter()
                .filter(|probe| probe.longitude.is_some() && probe.latitude.is_some())
                .map(probe_label)
                .collect::<Vec<_>>()
        }
    });
    // One inference per target: the results may measure several.
    let inferences = use_memo(InferenceKey(props.snapshot.clone(), props.choices), {
        let analysis = analysis.clone();
        move |key| {
            infer_per_target(
                &analysis,
                &key.0.results_text,
                &key.0.probes,
                &key.1.assumptions(),
            )
        }
    });
    // The paths of traceroute results: hop tables, where they converge and cross the origin's neighbours.
    let paths = use_memo(InferenceKey(props.snapshot.clone(), props.choices), |key| {
        snapshot_paths_data(&key.0, key.1.assumptions().fiber_factor).map(Rc::new)
    });
    let content = use_memo(InferenceKey(props.snapshot.clone(), props.choices), {
        let (analysis, inferences, paths) = (analysis.clone(), inferences.clone(), paths.clone());
        move |_| {
            latency_map(
                &analysis,
                &inferences,
                paths.as_ref().as_ref().map(|data| data.paths.as_slice()),
            )
        }
    });
    let on_svg = {
        let content = content.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = browser::download("latency-map.svg", "image/svg+xml", &content.svg(960, 520));
        })
    };
    let snapshot = &props.snapshot;
    let responding = analysis.probes.iter().filter(|p| p.responded()).count();
    html! {
        <section class="latency-view">
            <h3 class="headline">{ latency_headline(&analysis, &snapshot.source) }</h3>
            <p class="provenance">{ atlas_provenance(snapshot) }</p>
            { for snapshot.fetch_notes.iter().map(|note| html! { <p class="warning">{ note.clone() }</p> }) }
            <MapCanvas content={content.clone()} labels={labels.clone()}
                summary={format!("Map of {} probes; {} got replies from the target. {}", labels.len(), responding,
                    match inferences.as_slice() { [only] => only.inference.summary.as_str(), _ => "" })} />
            <div class="map-actions">
                <button onclick={on_svg}>{ "Download map (SVG)" }</button>
                if !analysis.unplaced_probes.is_empty() {
                    <span class="hint">{ format!("{} probes have no known location and are not on the map.", analysis.unplaced_probes.len()) }</span>
                }
            </div>
            <ContinentTable analysis={analysis.clone()} />
            if let [only] = inferences.as_slice() {
                <InferenceView inference={only.inference.clone()} choices={props.choices} on_choices={props.on_choices.clone()} />
            } else if inferences.len() > 1 {
                <p class="hint per-target">{ format!("These results measure {} targets: what the latencies prove is worked out for each on its own, never across them.", inferences.len()) }</p>
                { for inferences.iter().map(|each| html! {
                    <div class="target-inference" data-target={each.target.clone()}>
                        <h4>{ format!("Target {} ({})", visible_controls(&each.target), format::counted(each.observations, "placed probe")) }</h4>
                        <InferenceView inference={each.inference.clone()} choices={props.choices} on_choices={props.on_choices.clone()} />
                    </div>
                }) }
            } else if !analysis.kinds.is_empty() {
                <p class="hint">{ "No location inference for these results: only ping and traceroute RTTs measure the way to the target (a DNS response time is the way to the probe's resolver)." }</p>
            }
            <details class="probe-table-box" open={analysis.probes.len() <= 20}>
                <summary>{ format!("All {} probes", analysis.probes.len()) }</summary>
                <ProbeTable analysis={analysis.clone()} />
            </details>
            if let Some(data) = paths.as_ref() {
                <PathsView data={data.clone()} on_lookup={props.on_lookup_hops.clone()}
                    lookups_made={props.snapshot.hop_lookups.len()} />
            }
            <Diagnostics analysis={analysis.clone()} />
        </section>
    }
}

fn probe_label(probe: &ProbeLatency) -> String {
    let country = probe
        .country_code
        .as_deref()
        .map(|code| format!("{} ({code})", country_name(code).unwrap_or(code)))
        .unwrap_or_else(|| "unknown country".to_string());
    let asn = probe
        .asn
        .map_or_else(|| "AS unknown".to_string(), |asn| format!("AS{asn}"));
    let rtt = probe.rtt_min_ms.map_or_else(
        || "no reply".to_string(),
        |rtt| format!("min RTT {rtt:.1} ms"),
    );
    format!("Probe {} · {country} · {asn} · {rtt}", probe.prb_id)
}

#[derive(Properties)]
struct AnalysisProps {
    analysis: Rc<LatencyAnalysis>,
}

impl PartialEq for AnalysisProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
    }
}

fn rtt_cell(value: Option<f64>) -> Html {
    let style = value.map(|v| format!("--rtt-color: {}", css_rgb(rtt_rgb(Some(v)))));
    html! { <td class="num rtt" style={style}>{ format::ms(value) }</td> }
}

#[component]
fn ContinentTable(props: &AnalysisProps) -> Html {
    html! {
        <table class="continent-table">
            <caption>{ "Minimum RTT per probe, summarised by continent (ms)" }</caption>
            <thead><tr>
                <th scope="col">{ "Continent" }</th><th scope="col" class="num">{ "Probes" }</th>
                <th scope="col" class="num">{ "Responding" }</th><th scope="col" class="num">{ "Min" }</th>
                <th scope="col" class="num">{ "p10" }</th><th scope="col" class="num">{ "Median" }</th>
                <th scope="col" class="num">{ "p90" }</th><th scope="col" class="num">{ "Loss" }</th>
            </tr></thead>
            <tbody>
            { for props.analysis.groups.iter().map(|group| html! {
                <tr class={if matches!(group.group, crate::latency::Group::All) { "total" } else { "" }}>
                    <th scope="row">{ group.group.label() }</th>
                    <td class="num">{ group.probes }</td>
                    <td class="num">{ group.responding }</td>
                    { rtt_cell(group.rtt_min_ms) }
                    { rtt_cell(group.rtt_p10_ms) }
                    { rtt_cell(group.rtt_median_ms) }
                    { rtt_cell(group.rtt_p90_ms) }
                    <td class="num">{ format::percent(group.loss) }</td>
                </tr>
            }) }
            </tbody>
        </table>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Probe,
    Country,
    Asn,
    Sent,
    Received,
    Loss,
    Min,
    Median,
    Max,
}

const COLUMNS: [(Column, &str); 9] = [
    (Column::Probe, "Probe"),
    (Column::Country, "Country"),
    (Column::Asn, "ASN"),
    (Column::Sent, "Sent"),
    (Column::Received, "Received"),
    (Column::Loss, "Loss"),
    (Column::Min, "Min ms"),
    (Column::Median, "Median ms"),
    (Column::Max, "Max ms"),
];

/// Missing values sort after present ones in either direction, so "no reply" rows stay at the bottom.
fn compare_options<T: PartialOrd>(a: Option<T>, b: Option<T>, ascending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            let ordering = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
            if ascending {
                ordering
            } else {
                ordering.reverse()
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn compare(column: Column, a: &ProbeLatency, b: &ProbeLatency, ascending: bool) -> Ordering {
    let ordering = match column {
        Column::Probe => compare_options(Some(a.prb_id), Some(b.prb_id), ascending),
        Column::Country => {
            compare_options(a.country_code.as_ref(), b.country_code.as_ref(), ascending)
        }
        Column::Asn => compare_options(a.asn, b.asn, ascending),
        Column::Sent => compare_options(Some(a.sent), Some(b.sent), ascending),
        Column::Received => compare_options(Some(a.received), Some(b.received), ascending),
        Column::Loss => compare_options(a.loss(), b.loss(), ascending),
        Column::Min => compare_options(a.rtt_min_ms, b.rtt_min_ms, ascending),
        Column::Median => compare_options(a.rtt_median_ms, b.rtt_median_ms, ascending),
        Column::Max => compare_options(a.rtt_max_ms, b.rtt_max_ms, ascending),
    };
    // Ties keep probe order so the table is stable.
    ordering.then(a.prb_id.cmp(&b.prb_id))
}

#[component]
fn ProbeTable(props: &AnalysisProps) -> Html {
    let sort = use_state(|| (Column::Min, true));
    let mut rows: Vec<&ProbeLatency> = props.analysis.probes.iter().collect();
    let (column, ascending) = *sort;
    rows.sort_by(|a, b| compare(column, a, b, ascending));
    let header = |(this, label): (Column, &str)| {
        let sort = sort.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let (current, ascending) = *sort;
            sort.set((this, if current == this { !ascending } else { true }));
        });
        let aria_sort = if this == column {
            if ascending { "ascending" } else { "descending" }
        } else {
            "none"
        };
        html! {
            <th scope="col" aria-sort={aria_sort}>
                <button class="sort" {onclick}>{ label }{ if this == column { if ascending { " ▲" } else { " ▼" } } else { "" } }</button>
            </th>
        }
    };
    html! {
        <table class="probe-table">
            <thead><tr>{ for COLUMNS.iter().copied().map(header) }</tr></thead>
            <tbody>
            { for rows.iter().map(|probe| html! {
                <tr data-probe={probe.prb_id.to_string()}>
                    <td class="num">{ probe.prb_id }</td>
                    <td>{ probe.country_code.clone().unwrap_or_default() }</td>
                    <td class="num">{ probe.asn.map(|asn| asn.to_string()).unwrap_or_default() }</td>
                    <td class="num">{ probe.sent }</td>
                    <td class="num">{ probe.received }</td>
                    <td class="num">{ format::percent(probe.loss()) }</td>
                    { rtt_cell(probe.rtt_min_ms) }
                    { rtt_cell(probe.rtt_median_ms) }
                    { rtt_cell(probe.rtt_max_ms) }
                </tr>
            }) }
            </tbody>
        </table>
    }
}

#[component]
fn Diagnostics(props: &AnalysisProps) -> Html {
    let diagnostics = &props.analysis.diagnostics;
    if diagnostics.is_empty() {
        return html! {};
    }
    let malformed = diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::Malformed)
        .count();
    html! {
        <details class="diagnostics">
            <summary>{ format!(
                "{} diagnostics ({} malformed, {} reported by probes or not analysed)",
                diagnostics.len(), malformed, diagnostics.len() - malformed) }</summary>
            <table>
                <thead><tr><th scope="col">{ "Where" }</th><th scope="col">{ "Probe" }</th><th scope="col">{ "Kind" }</th><th scope="col">{ "Reason" }</th></tr></thead>
                <tbody>
                { for diagnostics.iter().map(|d| html! {
                    <tr class={format!("diagnostic {:?}", d.kind).to_lowercase()}>
                        <td>{ d.location.to_string() }</td>
                        <td class="num">{ d.prb_id.map(|id| id.to_string()).unwrap_or_default() }</td>
                        <td>{ format!("{:?}", d.kind) }</td>
                        <td>{ d.reason.clone() }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </details>
    }
}
