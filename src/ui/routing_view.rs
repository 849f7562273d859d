//! A routing-context snapshot's view: the plain-words summary, provenance, one row per RIPEstat
//! lookup (used, or what went wrong), the AS(es) with holder and neighbours (upstreams and
//! downstreams by power), announced prefixes, visibility, and the looking-glass routes per RIS
//! collector with every community decoded (by the dictionary, or by the community AS's aut-num
//! remarks, shown with the remark line as its evidence, as text). Derived from the snapshot by
//! `notebook::routing::RoutingSnapshot::context` (memoised per snapshot); nothing is stored.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::visible_controls;

use crate::format;
use crate::notebook::RoutingSnapshot;
use crate::notebook::routing::{AsContext, CollectorRoutes, NeighbourRow, PREFIXES_SHOWN};
use crate::paths::communities::Decoded;

#[derive(Properties)]
pub struct RoutingSnapshotViewProps {
    pub snapshot: Rc<RoutingSnapshot>,
}

/// Snapshots are replaced, never edited, so identity says whether one changed.
impl PartialEq for RoutingSnapshotViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot)
    }
}

#[derive(Clone)]
struct SnapshotKey(Rc<RoutingSnapshot>);

impl PartialEq for SnapshotKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn neighbour_rows(side: &'static str, rows: &[NeighbourRow]) -> Html {
    html! {
        { for rows.iter().map(|row| html! {
            <tr class={classes!("neighbour", side)} data-asn={row.asn.to_string()}>
                <td>{ side }</td>
                <td>{ format!("AS{}", row.asn) }</td>
                <td class="num">{ row.power.map_or_else(|| "—".to_string(), |p| p.to_string()) }</td>
            </tr>
        }) }
    }
}

fn as_view(asn: &AsContext) -> Html {
    html! {
        <section class="as-context" data-asn={asn.asn.to_string()}>
            <h4>
                <span class="asn">{ format!("AS{}", asn.asn) }</span>{ " " }
                <span class="holder">{ asn.holder.as_deref().map_or_else(|| "holder not known from the answers".to_string(), |holder| visible_controls(holder).into_owned()) }</span>
            </h4>
            if let Some(overview) = &asn.overview {
                <p class="as-overview">{ format!("{}{}",
                    if overview.announced { "Announced in BGP" } else { "Not announced in BGP" },
                    overview.block.as_ref().map_or_else(String::new, |b| format!(" · {b}"))) }</p>
            }
            if let Some(table) = &asn.neighbours {
                <table class="neighbours">
                    <caption>{ format!("Neighbours of AS{}: {} upstream, {} downstream{} (power: RIS peers seeing the adjacency)",
                        table.asn, table.upstreams.len(), table.downstreams.len(),
                        if table.uncertain.is_empty() { String::new() } else { format!(", {} uncertain", table.uncertain.len()) }) }</caption>
                    <thead><tr>
                        <th scope="col">{ "Side" }</th><th scope="col">{ "AS" }</th><th scope="col" class="num">{ "Power" }</th>
                    </tr></thead>
                    <tbody>
                        { neighbour_rows("upstream", &table.upstreams) }
                        { neighbour_rows("downstream", &table.downstreams) }
                        { neighbour_rows("uncertain", &table.uncertain) }
                    </tbody>
                </table>
            }
        </section>
    }
}

fn community_view(decoded: &Decoded) -> Html {
    let meaning =
        visible_controls(decoded.meaning.as_deref().unwrap_or(&decoded.note)).into_owned();
    html! {
        <li class={classes!("community", decoded.meaning.is_some().then_some("known"))}>
            <code>{ decoded.community.clone() }</code>{ " " }
            <span class="meaning">{ meaning }</span>
            if let Some(evidence) = &decoded.remark {
                // The operator's own line is the evidence. Shared reports carry it, so it is shown as
                // text only (yew escapes it), with hidden controls made visible.
                <span class="source remark-origin">{ format!(" ({}: ", evidence.origin()) }</span>
                <code class="remark" title={evidence.key.clone()}>{ visible_controls(&evidence.line).into_owned() }</code>
                <span class="source">{ ")" }</span>
            } else if let Some(source) = &decoded.source {
                // Shown as text, never a live link: the dictionary's source is for the reader to check.
                <span class="source">{ format!(" (source: {source})") }</span>
            }
        </li>
    }
}

fn collector_view(collector: &CollectorRoutes) -> Html {
    html! {
        <table class="looking-glass" data-rrc={collector.rrc.clone()}>
            <caption>{ format!("{}{} · {} route{}", collector.rrc,
                collector.location.as_ref().map_or_else(String::new, |l| format!(" ({l})")),
                collector.routes.len(), if collector.routes.len() == 1 { "" } else { "s" }) }</caption>
            <thead><tr>
                <th scope="col">{ "Peer" }</th><th scope="col">{ "Prefix" }</th>
                <th scope="col">{ "AS path" }</th><th scope="col">{ "Communities" }</th>
            </tr></thead>
            <tbody>
            { for collector.routes.iter().map(|route| html! {
                <tr class="route">
                    <td class="peer">{ route.peer.clone().unwrap_or_default() }</td>
                    <td>{ route.prefix.clone().unwrap_or_default() }</td>
                    <td class="as-path">{ route.as_path.clone() }</td>
                    <td>
                        if route.communities.is_empty() {
                            <span class="hint">{ "none" }</span>
                        } else {
                            <ul class="communities">{ for route.communities.iter().map(community_view) }</ul>
                        }
                    </td>
                </tr>
            }) }
            </tbody>
        </table>
    }
}

#[component]
pub fn RoutingSnapshotView(props: &RoutingSnapshotViewProps) -> Html {
    let context = use_memo(SnapshotKey(props.snapshot.clone()), |key| key.0.context());
    let snapshot = &props.snapshot;
    let failed = context.rows.iter().filter(|r| r.problem.is_some()).count();
    html! {
        <section class="routing-view">
            <h3 class="headline summary">{ visible_controls(&context.summary).into_owned() }</h3>
            <p class="provenance">{ format!("Asked RIPEstat about {} from this browser, {}; {} lookups, {} failed.",
                visible_controls(&snapshot.resource), format::utc_minutes(snapshot.started_at_unix_ms.div_euclid(1000)),
                context.rows.len(), failed) }</p>
            { for snapshot.notes.iter().map(|note| html! { <p class="warning">{ note.clone() }</p> }) }
            <table class="lookups">
                <thead><tr>
                    <th scope="col">{ "RIPEstat call" }</th><th scope="col">{ "About" }</th><th scope="col">{ "Outcome" }</th>
                </tr></thead>
                <tbody>
                { for context.rows.iter().map(|row| html! {
                    <tr class={classes!("lookup", row.problem.is_some().then_some("failed"))}
                        data-call={row.call.name()} title={row.url.clone()}>
                        <td>{ row.call.name() }</td>
                        <td>{ row.resource.clone() }</td>
                        <td class="outcome">{ row.problem.clone().unwrap_or_else(|| "used".to_string()) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            if let Some(prefix) = &context.prefix {
                <p class="prefix-overview">{ format!("{}{}{}", prefix.resource,
                    if prefix.is_less_specific { " (the less specific prefix RIPEstat answered about)" } else { "" },
                    prefix.block.as_ref().map_or_else(String::new, |b| format!(" · {b}"))) }</p>
            }
            { for context.visibility().iter().map(|(family, v)| html! {
                <p class="visibility" data-family={*family}>{ format!("{family}: seen by {} of {} RIS peers ({})",
                    v.peers_seeing, v.total_peers, format::percent(v.fraction())) }</p>
            }) }
            if let Some(announced) = &context.announced {
                <div class="announced">
                    <p>{ format!("{} announced prefixes ({} IPv4, {} IPv6){}", announced.prefixes.len(),
                        announced.counts().0, announced.counts().1,
                        if announced.prefixes.len() > PREFIXES_SHOWN { format!("; the first {PREFIXES_SHOWN}:") } else { ":".to_string() }) }</p>
                    <ul class="prefixes">
                        { for announced.prefixes.iter().take(PREFIXES_SHOWN).map(|p| html! { <li>{ p.prefix.clone() }</li> }) }
                    </ul>
                </div>
            }
            { for context.ases.iter().map(as_view) }
            if !context.collectors.is_empty() {
                <section class="routes">
                    <h4>{ format!("Routes held by RIS collectors: {} at {} collectors", context.route_count(), context.collectors.len()) }</h4>
                    { for context.collectors.iter().map(collector_view) }
                    if let Some(note) = &context.remarks_note {
                        <p class="hint remarks-note">{ visible_controls(note).into_owned() }</p>
                    }
                </section>
            }
        </section>
    }
}
