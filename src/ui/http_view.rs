//! The view of an HTTP check from many places (Globalping): the verdict ("HTTP 500 from all 48
//! locations on 6 continents"), counts per status and per continent, a map of the probes coloured by
//! status, and per probe the status, the timings (DNS, TCP, TLS, first byte, total), the TLS
//! certificate summary and the headers. Probes that failed for reasons of their own are shown with
//! what failed and kept out of the counts ("not counted"), as the DNS view does with resolvers it
//! did not reach. Everything is derived from the measurement as received by `globalping::http`;
//! this file only renders.

use std::rc::Rc;

use yew::prelude::*;

use crate::format::visible_controls;

use super::map_canvas::MapCanvas;
use crate::chart::map::{CategoryMarker, MapContent};
use crate::globalping::http::{http_rows, http_verdict};
use crate::globalping::measurement::Measurement;

#[derive(Properties)]
pub struct HttpViewProps {
    pub measurement: Rc<Measurement>,
}

/// Derived once per measurement upstream: identity says whether it changed.
impl PartialEq for HttpViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.measurement, &other.measurement)
    }
}

#[derive(Clone)]
struct Key(Rc<Measurement>);

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn ms(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.0}"))
}

#[component]
pub fn HttpView(props: &HttpViewProps) -> Html {
    let key = Key(props.measurement.clone());
    let rows = use_memo(key.clone(), |key| http_rows(&key.0));
    let verdict = use_memo(key.clone(), {
        let rows = rows.clone();
        move |_| http_verdict(&rows)
    });
    // One colour per status, the most common first (the answer-set palette of the DNS map).
    let map = use_memo(key, {
        let rows = rows.clone();
        move |_| {
            let mut statuses: Vec<(String, usize)> = Vec::new();
            for row in rows.iter() {
                let label = row.legend_label();
                match statuses.iter_mut().find(|(known, _)| *known == label) {
                    Some((_, count)) => *count += 1,
                    None => statuses.push((label, 1)),
                }
            }
            statuses.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let mut markers = Vec::new();
            let mut labels = Vec::new();
            for row in rows.iter() {
                let (Some(longitude), Some(latitude)) = (row.probe.longitude, row.probe.latitude)
                else {
                    continue;
                };
                let label = row.legend_label();
                markers.push(CategoryMarker {
                    longitude,
                    latitude,
                    category: statuses.iter().position(|(known, _)| *known == label),
                });
                labels.push(format!("{}: {label}", row.probe.label()));
            }
            let legend = statuses
                .iter()
                .map(|(label, count)| format!("{label} ({count})"))
                .collect();
            (
                Rc::new(MapContent::Answers {
                    markers,
                    legend,
                    title: "HTTP status:".to_string(),
                }),
                Rc::new(labels),
            )
        }
    });
    let Some(verdict) = (*verdict).clone() else {
        return html! { <p class="hint">{ "No HTTP results yet." }</p> };
    };
    html! {
        <section class="http-view">
            <p class="http-verdict verdict">{ visible_controls(&verdict.headline).into_owned() }</p>
            <p class="hint">{ verdict.by_status.iter().map(|(label, count)| format!("{label}: {count}")).collect::<Vec<_>>().join(" · ") }</p>
            if !verdict.not_counted.is_empty() {
                <p class="hint http-not-counted">{ format!("Not counted: {}", verdict.not_counted.iter().map(|(label, count)| format!("{label}: {count}")).collect::<Vec<_>>().join(" · ")) }</p>
            }
            <MapCanvas content={map.0.clone()} labels={map.1.clone()}
                summary={format!("Map of {} HTTP checks coloured by status. {}", map.1.len(), verdict.headline)} />
            <table class="http-continents">
                <thead><tr><th>{ "Continent" }</th><th>{ "Answered" }</th><th>{ "Failing" }</th><th>{ "Not counted" }</th></tr></thead>
                <tbody>
                    { for verdict.by_continent.iter().map(|count| html! {
                        <tr><td>{ count.continent.clone() }</td><td>{ count.working }</td><td>{ count.failing }</td><td>{ count.not_counted }</td></tr>
                    }) }
                </tbody>
            </table>
            <table class="http-rows">
                <thead><tr>
                    <th>{ "Probe" }</th><th>{ "Status" }</th><th>{ "DNS ms" }</th><th>{ "TCP ms" }</th>
                    <th>{ "TLS ms" }</th><th>{ "First byte ms" }</th><th>{ "Total ms" }</th><th>{ "TLS certificate" }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|row| {
                        let tls = row.tls.as_ref().map(|tls| {
                            let mut parts = Vec::new();
                            if let Some(protocol) = &tls.protocol { parts.push(protocol.clone()); }
                            if let Some(subject) = &tls.subject { parts.push(format!("for {}", visible_controls(subject))); }
                            if let Some(issuer) = &tls.issuer { parts.push(format!("by {}", visible_controls(issuer))); }
                            if let Some(expires) = &tls.expires_at { parts.push(format!("until {expires}")); }
                            match tls.authorized {
                                Some(true) => parts.push("trusted".to_string()),
                                Some(false) => parts.push(format!("NOT trusted{}", tls.error.as_ref().map(|e| format!(" ({e})")).unwrap_or_default())),
                                None => {}
                            }
                            parts.join(", ")
                        }).unwrap_or_else(|| "—".to_string());
                        html! {
                            <tr>
                                <td>{ row.probe.label() }</td>
                                <td>{ visible_controls(&row.outcome_text()).into_owned() }</td>
                                <td>{ ms(row.timings.dns_ms) }</td>
                                <td>{ ms(row.timings.tcp_ms) }</td>
                                <td>{ ms(row.timings.tls_ms) }</td>
                                <td>{ ms(row.timings.first_byte_ms) }</td>
                                <td>{ ms(row.timings.total_ms) }</td>
                                <td>{ tls }
                                    if !row.headers.is_empty() {
                                        <details><summary>{ format!("{} headers", row.headers.len()) }</summary>
                                            <pre>{ row.headers.iter().map(|(name, value)| format!("{}: {}", visible_controls(name), visible_controls(value))).collect::<Vec<_>>().join("\n") }</pre>
                                        </details>
                                    }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </section>
    }
}
