//! The DNS views: an answer matrix (verdict, evidence, outliers and failures; the map of vantages
//! coloured by answer set; the answer sets with the origin of each address; every vantage's row; ECS
//! per resolver), used by the DNS cell per record type and by the Atlas cell per question; and the
//! DNS cell's snapshot view (provenance, cancellation, the raw exchanges). Everything is derived from
//! the snapshot (memoised per snapshot) by `crate::answers` and `crate::dns::matrix`; nothing is stored.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::visible_controls;

use super::browser;
use super::map_canvas::MapCanvas;
use crate::answers::{ecs_rows, map_places, set_label, vantage_rows};
use crate::chart::map::{CategoryMarker, MapContent};
use crate::chart::scale::{category_rgb, css_rgb};
use crate::dns::matrix::{AddressOrigin, AnswerMatrix, VerdictKind};
use crate::dns::subnets;
use crate::format;
use crate::notebook::DnsSnapshot;
use crate::notebook::dns::{ExchangeOutcome, StoredBody};
use crate::notebook::report::dns_headline;
use crate::ripestat::Asn;

#[derive(Properties)]
pub struct AnswerMatrixViewProps {
    /// What was asked: "img.alicdn.com A".
    pub question: AttrValue,
    pub matrix: Rc<AnswerMatrix>,
}

/// Matrices are derived once per snapshot upstream, so identity says whether one changed.
impl PartialEq for AnswerMatrixViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.matrix, &other.matrix) && self.question == other.question
    }
}

#[derive(Clone)]
struct MatrixKey(Rc<AnswerMatrix>);

impl PartialEq for MatrixKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn verdict_code(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::NoObservations => "no-observations",
        VerdictKind::Unreachable => "unreachable",
        VerdictKind::NoAnswers => "no-answers",
        VerdictKind::Consistent => "consistent",
        VerdictKind::MostlyConsistent => "mostly-consistent",
        VerdictKind::ByRegion => "by-region",
        VerdictKind::Varied => "varied",
    }
}

/// "AS1205, AS3333 RIPE-NCC-AS … · 140.78.0.0/16", a special-purpose range, or that none is known.
fn origin_text(origin: &AddressOrigin) -> String {
    if let Some(range) = origin.special_purpose {
        return format!("special-purpose address: {range}");
    }
    match &origin.origin {
        None => "origin not looked up".to_string(),
        Some(found) => {
            let asns = if found.asns.is_empty() {
                "not announced".to_string()
            } else {
                found
                    .asns
                    .iter()
                    .map(Asn::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match &found.prefix {
                Some(prefix) => format!("{asns} · {prefix}"),
                None => asns,
            }
        }
    }
}

fn swatch(set: usize) -> Html {
    html! { <span class="swatch" style={format!("--swatch: {}", css_rgb(category_rgb(set)))} aria-hidden="true" /> }
}

#[component]
pub fn AnswerMatrixView(props: &AnswerMatrixViewProps) -> Html {
    let key = MatrixKey(props.matrix.clone());
    let rows = use_memo(key.clone(), |key| vantage_rows(&key.0));
    let ecs = use_memo(key.clone(), |key| ecs_rows(&key.0));
    let places = use_memo(key.clone(), |key| map_places(&key.0));
    let content = use_memo(key.clone(), {
        let places = places.clone();
        move |key| MapContent::Answers {
            markers: places
                .0
                .iter()
                .map(|place| CategoryMarker {
                    longitude: place.longitude,
                    latitude: place.latitude,
                    category: place.set,
                })
                .collect(),
            legend: key
                .0
                .groups
                .iter()
                .enumerate()
                .map(|(index, group)| {
                    format!("{} ({})", set_label(index), group.observations.len())
                })
                .collect(),
            title: crate::chart::map::ANSWER_SET_TITLE.to_string(),
        }
    });
    let labels = use_memo(key, {
        let places = places.clone();
        move |_| {
            places
                .0
                .iter()
                .map(|place| place.label.clone())
                .collect::<Vec<_>>()
        }
    });
    let on_svg = {
        let content = content.clone();
        Callback::from(move |_: MouseEvent| {
            let _ = browser::download("answer-map.svg", "image/svg+xml", &content.svg(960, 520));
        })
    };
    let matrix = &props.matrix;
    let verdict = &matrix.verdict;
    let unplaced = places.1;
    // Atlas probes ask their own resolvers: no client subnet, so those columns would be empty.
    let with_subnets = rows.iter().any(|row| row.subnet.is_some());
    html! {
        <section class="answer-matrix" data-verdict={verdict_code(verdict.kind)}>
            <h4 class="question">{ props.question.clone() }</h4>
            <p class="verdict">{ verdict.headline.clone() }</p>
            if let Some(failures) = &verdict.failures {
                <p class="failures">{ failures.clone() }</p>
            }
            if !verdict.evidence.is_empty() {
                <ul class="evidence">
                    { for verdict.evidence.iter().map(|line| html! { <li>{ line.clone() }</li> }) }
                </ul>
            }
            if !verdict.outliers.is_empty() {
                <div class="outliers">
                    <h5>{ "Outliers" }</h5>
                    <ul>
                        { for verdict.outliers.iter().map(|outlier| html! {
                            <li data-set={set_label(outlier.group)}>{ swatch(outlier.group) }{ outlier.text.clone() }</li>
                        }) }
                    </ul>
                </div>
            }
            <MapCanvas content={content.clone()} labels={labels.clone()}
                summary={format!("Map of {} vantages coloured by answer set. {}", labels.len(), verdict.headline)} />
            <div class="map-actions">
                <button onclick={on_svg}>{ "Download map (SVG)" }</button>
                if unplaced > 0 {
                    <span class="hint">{ format!("{} no place on the map (asked without a client subnet, or a probe without coordinates).",
                        match unplaced { 1 => "1 vantage has".to_string(), n => format!("{n} vantages have") }) }</span>
                }
                <span class="hint">{ "Client-subnet vantages are drawn at the largest city of their country." }</span>
            </div>
            if !matrix.groups.is_empty() {
                <table class="answer-sets">
                    <caption>{ "Answer sets: the addresses (or records) each group of vantages got, with who originates each address" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Set" }</th><th scope="col">{ "Answer" }</th>
                        <th scope="col">{ "Origin AS · prefix" }</th><th scope="col" class="num">{ "Vantages" }</th>
                        <th scope="col">{ "Countries" }</th><th scope="col" class="num">{ "Median ms" }</th>
                    </tr></thead>
                    <tbody>
                    { for matrix.groups.iter().enumerate().map(|(index, group)| {
                        let answer: Vec<String> = if group.records.is_empty() {
                            vec![if group.rcode == crate::dns::Rcode::NXDOMAIN { "NXDOMAIN".to_string() } else { format!("{} (no records)", group.rcode) }]
                        } else {
                            group.records.clone()
                        };
                        html! {
                            <tr data-set={set_label(index)}>
                                <th scope="row">{ swatch(index) }{ set_label(index) }</th>
                                <td class="records">
                                    { for answer.iter().map(|record| html! { <div class="record">{ visible_controls(record).into_owned() }</div> }) }
                                    { for group.cname_chains.iter().map(|chain| html! { <div class="hint">{ format!("via {}", visible_controls(&chain.join(", "))) }</div> }) }
                                </td>
                                <td class="origins">
                                    { for group.origins.iter().map(|origin| html! { <div class="origin">{ origin_text(origin) }</div> }) }
                                </td>
                                <td class="num">{ group.observations.len() }</td>
                                <td>{ if group.countries.is_empty() { "—".to_string() } else { group.countries.join(", ") } }</td>
                                <td class="num">{ format::ms(group.rt_median_ms) }</td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
            }
            <details class="vantage-box" open={rows.len() <= 20}>
            <summary>{ format!("All {} vantages: who asked, for which client, and what came back", rows.len()) }</summary>
            <table class="vantage-table">
                <thead><tr>
                    <th scope="col">{ "Vantage" }</th><th scope="col">{ "Country" }</th>
                    <th scope="col">{ "Continent" }</th>
                    if with_subnets { <th scope="col">{ "Client subnet" }</th> }
                    <th scope="col">{ "RCODE" }</th><th scope="col">{ "Answer" }</th>
                    if with_subnets { <th scope="col">{ "ECS" }</th> }
                    <th scope="col" class="num">{ "Time ms" }</th>
                </tr></thead>
                <tbody>
                { for rows.iter().map(|row| html! {
                    <tr class={if row.set.is_none() { "vantage failed" } else { "vantage" }}
                        data-resolver={row.who.clone()} data-country={row.country.clone().unwrap_or_default()}>
                        <td>{ row.who.clone() }</td>
                        <td>{ row.country_text.clone() }</td>
                        <td>{ row.continent.map_or("—", |c| c.name()) }</td>
                        if with_subnets { <td>{ row.subnet.clone().unwrap_or_else(|| "—".to_string()) }</td> }
                        <td>{ row.rcode.clone().unwrap_or_else(|| "—".to_string()) }</td>
                        <td class="outcome">{ for row.set.map(swatch) }{ row.outcome.clone() }</td>
                        if with_subnets { <td>{ row.ecs.clone() }</td> }
                        <td class="num">{ format::ms(row.rt_ms) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </details>
            if !ecs.is_empty() {
                <table class="ecs-table">
                    <caption>{ "EDNS Client Subnet per resolver: did it answer for the emulated clients?" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Resolver" }</th><th scope="col" class="num">{ "Subnets sent" }</th>
                        <th scope="col" class="num">{ "Honoured" }</th><th scope="col">{ "Scope" }</th>
                        <th scope="col" class="num">{ "Ignored" }</th><th scope="col" class="num">{ "Not echoed" }</th>
                        <th scope="col">{ "Finding" }</th>
                    </tr></thead>
                    <tbody>
                    { for ecs.iter().map(|row| html! {
                        <tr data-resolver={row.resolver.clone()}>
                            <th scope="row">{ row.resolver.clone() }</th>
                            <td class="num">{ row.sent }</td>
                            <td class="num">{ row.honoured }</td>
                            <td>{ row.scopes.clone() }</td>
                            <td class="num">{ row.ignored }</td>
                            <td class="num">{ row.not_echoed }</td>
                            <td>{ row.finding.clone() }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

#[derive(Properties)]
pub struct DnsSnapshotViewProps {
    pub snapshot: Rc<DnsSnapshot>,
}

/// Snapshots are immutable once made: identity is enough.
impl PartialEq for DnsSnapshotViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot)
    }
}

#[derive(Clone)]
struct SnapshotKey(Rc<DnsSnapshot>);

impl PartialEq for SnapshotKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn when(unix_ms: i64) -> String {
    format::utc_minutes(unix_ms.div_euclid(1000))
}

fn outcome_text(outcome: &ExchangeOutcome) -> String {
    match outcome {
        ExchangeOutcome::Response { status, body } => {
            let kind = match body {
                StoredBody::Text { .. } => "text",
                StoredBody::Base64 { .. } => "binary",
            };
            format!("HTTP {status}, {} B {kind}", body.len())
        }
        ExchangeOutcome::TimedOut => "timed out".to_string(),
        ExchangeOutcome::Failed { reason } => reason.clone(),
    }
}

#[component]
pub fn DnsSnapshotView(props: &DnsSnapshotViewProps) -> Html {
    let matrices = use_memo(SnapshotKey(props.snapshot.clone()), |key| {
        key.0
            .matrices()
            .into_iter()
            .map(|typed| (typed.rtype, Rc::new(typed.matrix)))
            .collect::<Vec<_>>()
    });
    let problems = use_memo(SnapshotKey(props.snapshot.clone()), |key| {
        key.0.origin_problems()
    });
    let snapshot = &props.snapshot;
    let mut provenance = format!(
        "Asked {} from this browser over DNS-over-HTTPS",
        when(snapshot.started_at_unix_ms)
    );
    if let Some(at) = snapshot.origins_fetched_at_unix_ms {
        provenance.push_str(&format!(
            "; origins from RIPEstat (network-info, prefix-overview), {}",
            when(at)
        ));
    }
    provenance.push_str(&format!(". Client subnets: {}.", subnets::SOURCE));
    html! {
        <section class="dns-view">
            <h3 class="headline">{ dns_headline(snapshot) }</h3>
            <p class="provenance">{ provenance }</p>
            // A run cancelled while looking up origins has every query; its note says what is missing.
            if snapshot.cancelled && snapshot.exchanges.len() < snapshot.planned_queries {
                <p class="warning cancelled">{ format!(
                    "Cancelled after {} of {} queries: what arrived is kept and shown.",
                    snapshot.exchanges.len(), snapshot.planned_queries) }</p>
            }
            { for snapshot.notes.iter().map(|note| html! { <p class="warning">{ note.clone() }</p> }) }
            if !problems.is_empty() {
                <details class="origin-problems">
                    <summary>{ format!("{} RIPEstat lookups could not be used", problems.len()) }</summary>
                    <ul>{ for problems.iter().map(|problem| html! { <li>{ problem.clone() }</li> }) }</ul>
                </details>
            }
            { for matrices.iter().map(|(rtype, matrix)| html! {
                <AnswerMatrixView question={format!("{} {rtype}", visible_controls(&snapshot.name))} matrix={matrix.clone()} />
            }) }
            <details class="exchanges">
                <summary>{ format!("All {} DoH exchanges as received", snapshot.exchanges.len()) }</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{ "Resolver" }</th><th scope="col">{ "Type" }</th>
                        <th scope="col">{ "Client subnet" }</th><th scope="col">{ "Outcome" }</th>
                        <th scope="col" class="num">{ "Time ms" }</th><th scope="col">{ "URL" }</th>
                    </tr></thead>
                    <tbody>
                    { for snapshot.exchanges.iter().map(|exchange| html! {
                        <tr>
                            <td>{ exchange.resolver.clone() }</td>
                            <td>{ exchange.rtype.to_string() }</td>
                            <td>{ exchange.subnet.as_ref().map_or_else(|| "—".to_string(), |s| format!("{} ({}, probe {})", s.subnet, s.country, s.prb_id)) }</td>
                            <td>{ outcome_text(&exchange.outcome) }</td>
                            <td class="num">{ format::ms(exchange.rt_ms) }</td>
                            <td class="url">{ exchange.url.clone() }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            </details>
        </section>
    }
}

#[derive(Properties)]
pub struct AtlasDnsViewProps {
    pub snapshot: Rc<crate::notebook::AtlasSnapshot>,
}

impl PartialEq for AtlasDnsViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snapshot, &other.snapshot)
    }
}

#[derive(Clone)]
struct AtlasKey(Rc<crate::notebook::AtlasSnapshot>);

impl PartialEq for AtlasKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The answer matrices of an Atlas snapshot's DNS results, one per question; nothing for other
/// measurement types.
#[component]
pub fn AtlasDnsView(props: &AtlasDnsViewProps) -> Html {
    let matrices = use_memo(AtlasKey(props.snapshot.clone()), |key| {
        crate::notebook::dns::atlas_matrices(&key.0)
            .into_iter()
            .map(|(question, matrix)| (question, Rc::new(matrix)))
            .collect::<Vec<_>>()
    });
    if matrices.is_empty() {
        return html! {};
    }
    html! {
        <section class="dns-view atlas-dns">
            <h3 class="headline">{ format!(
                "What the probes' resolvers answered: {} question{}",
                matrices.len(), if matrices.len() == 1 { "" } else { "s" }) }</h3>
            <p class="hint">{ "Each probe's responses (rcode, answers, response time, timeouts and errors) grouped by answer set. \
                Origins are not looked up for Atlas results." }</p>
            { for matrices.iter().map(|(question, matrix)| html! {
                <AnswerMatrixView question={question.clone()} matrix={matrix.clone()} />
            }) }
        </section>
    }
}
