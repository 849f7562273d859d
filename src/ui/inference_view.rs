//! "What the latencies prove": the verdict of the inference engine under a latency view, with its
//! evidence (constraining probes, violated pairs, sites), the regional-presence findings, the
//! assumptions and what would falsify the verdict, and the one tunable assumption (the fiber factor).
//! It only renders and dispatches: the inference itself is computed by `crate::infer` from the
//! snapshot, and the choice of fiber factor is stored in the cell through the reducer.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use crate::format;
use crate::geo::country_name;
use crate::infer::{Inference, PresenceFinding, Verdict};
use crate::notebook::InferenceChoices;

#[derive(Properties)]
pub struct InferenceViewProps {
    pub inference: Rc<Inference>,
    pub choices: InferenceChoices,
    /// Where a changed choice goes; None shows the verdict read-only.
    #[prop_or_default]
    pub on_choices: Option<Callback<InferenceChoices>>,
}

/// The inference is memoised upstream, so identity says whether it changed.
impl PartialEq for InferenceViewProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inference, &other.inference)
            && self.choices == other.choices
            && self.on_choices == other.on_choices
    }
}

fn place(city: Option<&str>, country: Option<&str>) -> String {
    match (city, country) {
        (Some(city), Some(code)) => format!("{city} ({})", country_name(code).unwrap_or(code)),
        (Some(city), None) => city.to_string(),
        (None, Some(code)) => country_name(code).unwrap_or(code).to_string(),
        (None, None) => "unnamed place".to_string(),
    }
}

fn finding_label(finding: PresenceFinding) -> &'static str {
    match finding {
        PresenceFinding::LocalPresenceLikely => "local presence likely",
        PresenceFinding::NoLocalPresenceSeen => "no local presence seen",
        PresenceFinding::NotMeasured => "not measured",
    }
}

#[component]
pub fn InferenceView(props: &InferenceViewProps) -> Html {
    let inference = &props.inference;
    let evidence = &inference.evidence;
    let on_factor = props.on_choices.clone().map(|on_choices| {
        Callback::from(move |event: InputEvent| {
            if let Ok(fiber_factor) = browser::input_value(&event).trim().parse::<f64>() {
                on_choices.emit(InferenceChoices { fiber_factor }.sanitized());
            }
        })
    });
    let on_reset = props.on_choices.clone().map(|on_choices| {
        Callback::from(move |_: MouseEvent| on_choices.emit(InferenceChoices::default()))
    });
    let factor = inference.assumptions.fiber_factor;
    let is_default = (factor - InferenceChoices::default().fiber_factor).abs() < 1e-9;

    let sites = (!inference.sites.is_empty()).then(|| {
        html! {
            <table class="sites-table">
                <caption>{ if inference.sites.len() == 1 { "The site" } else { "Sites, one per disjoint range, then those whose range holds none of the sites before" } }</caption>
                <thead><tr>
                    <th scope="col">{ "Most likely place" }</th><th scope="col" class="num">{ "Within km of the probe" }</th>
                    <th scope="col">{ "Evidence probe" }</th><th scope="col" class="num">{ "Its RTT (ms)" }</th>
                    <th scope="col" class="num">{ "Probes assigned" }</th>
                </tr></thead>
                <tbody>
                { for inference.sites.iter().map(|site| html! {
                    <tr>
                        <td>{ place(site.city.as_deref(), site.country.as_deref()) }
                            if !site.city_inside { <span class="hint">{ " (nearest large city; none lies inside the range)" }</span> }
                            if site.seen_from_one_place { <span class="hint one-place">{ " (seen from one place only)" }</span> }
                        </td>
                        <td class="num">{ format::km(site.radius_km) }</td>
                        <td class="num">{ site.evidence_id.clone() }</td>
                        <td class="num">{ format::ms(Some(site.evidence_rtt_ms)) }</td>
                        <td class="num">{ site.vantages.len() }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        }
    });

    let region = evidence.region.as_ref().map(|region| {
        let cities: Vec<String> = region
            .cities_inside
            .iter()
            .map(|city| place(Some(city.name), Some(city.country_code)))
            .collect();
        html! {
            <p class="region">
                { format!("The region where one site can be is about {} across (sampled every {}).",
                    format::km(region.across_km), format::km(region.resolution_km)) }
                if !cities.is_empty() { { format!(" Large cities inside it: {}.", cities.join(", ")) } }
            </p>
        }
    });

    let constraining = (!evidence.constraining.is_empty()).then(|| {
        html! {
            <table class="constraining-table">
                <caption>{ match inference.verdict {
                    Verdict::Anycast { .. } => "Probes whose ranges cannot overlap (one per site)",
                    _ => "The probes that constrain the location most",
                } }</caption>
                <thead><tr><th scope="col">{ "Probe" }</th><th scope="col" class="num">{ "Min RTT (ms)" }</th><th scope="col" class="num">{ "Range (km)" }</th></tr></thead>
                <tbody>
                { for evidence.constraining.iter().map(|disc| html! {
                    <tr><td class="num">{ disc.id.clone() }</td><td class="num">{ format::ms(Some(disc.rtt_min_ms)) }</td><td class="num">{ format::km(disc.radius_km) }</td></tr>
                }) }
                </tbody>
            </table>
        }
    });

    let violations = (!evidence.violated_pairs.is_empty()).then(|| {
        html! {
            <table class="violations-table">
                <caption>{ format!("Speed-of-light violations: {} probe pairs cannot have reached one place (the most decisive {} shown)",
                    evidence.violation_count, evidence.violated_pairs.len()) }</caption>
                <thead><tr>
                    <th scope="col">{ "Probe" }</th><th scope="col">{ "Probe" }</th>
                    <th scope="col" class="num">{ "Apart (km)" }</th><th scope="col" class="num">{ "Reach together (km)" }</th>
                    <th scope="col" class="num">{ "Margin (km)" }</th>
                </tr></thead>
                <tbody>
                { for evidence.violated_pairs.iter().map(|pair| html! {
                    <tr>
                        <td class="num">{ pair.a.clone() }</td><td class="num">{ pair.b.clone() }</td>
                        <td class="num">{ format::km(pair.distance_km) }</td><td class="num">{ format::km(pair.radius_sum_km) }</td>
                        <td class="num">{ format::km(pair.margin_km) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        }
    });

    let measured: Vec<_> = inference
        .presence
        .iter()
        .filter(|row| row.finding != PresenceFinding::NotMeasured)
        .collect();
    let not_measured: Vec<&str> = inference
        .presence
        .iter()
        .filter(|row| row.finding == PresenceFinding::NotMeasured)
        .map(|row| row.continent_name)
        .collect();
    let presence = (!measured.is_empty()).then(|| {
        html! {
            <table class="presence-table">
                <caption>{ "Regional presence: the lowest RTT on each continent against what a local site would give" }</caption>
                <thead><tr>
                    <th scope="col">{ "Continent" }</th><th scope="col" class="num">{ "Probes" }</th>
                    <th scope="col" class="num">{ "Lowest RTT (ms)" }</th><th scope="col">{ "From" }</th>
                    <th scope="col" class="num">{ "Local site ≤ (ms)" }</th><th scope="col">{ "Finding" }</th>
                </tr></thead>
                <tbody>
                { for measured.iter().map(|row| html! {
                    <tr class={format!("presence {}", finding_label(row.finding).replace(' ', "-"))} title={row.sentence.clone()}>
                        <th scope="row">{ row.continent_name }</th>
                        <td class="num">{ row.probes }</td>
                        <td class="num">{ format::ms(row.best.as_ref().map(|best| best.rtt_min_ms)) }</td>
                        <td>{ row.best.as_ref().map(|best| format!("probe {}{}", best.id,
                            best.country_code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())).unwrap_or_default() }</td>
                        <td class="num">{ format::ms(Some(row.local_baseline_ms)) }</td>
                        <td>{ finding_label(row.finding) }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        }
    });
    // The findings a reader quotes: the continents where no local site answered.
    let absent: Vec<&String> = measured
        .iter()
        .filter(|row| row.finding == PresenceFinding::NoLocalPresenceSeen)
        .map(|row| &row.sentence)
        .collect();

    html! {
        <section class="inference" data-verdict={inference.verdict.code()} aria-label="What the latencies prove">
            <h4>{ "What the latencies prove: " }<span class="verdict-label">{ inference.verdict.label() }</span></h4>
            <p class="verdict">{ inference.summary.clone() }</p>
            if let Some(suggestion) = &inference.suggestion {
                <p class="suggestion">{ suggestion.clone() }</p>
            }
            { for evidence.set_aside.iter().map(|probe| html! {
                <p class="set-aside">
                    <strong>{ format!("Set aside: probe {}{}, {} ms. ", probe.id,
                        probe.country_code.as_deref().map(|code| format!(" ({})", country_name(code).unwrap_or(code))).unwrap_or_default(),
                        format::ms(Some(probe.rtt_min_ms))) }</strong>
                    { probe.reason.clone() }
                </p>
            }) }
            { for region }
            { for sites }
            if !evidence.uncorroborated_sites.is_empty() {
                <p class="hint possible-sites">
                    { format!("Possible further sites, each resting on one probe location (a misplaced probe would look the same): {}.",
                        evidence.uncorroborated_sites.iter().map(|site| format!("{} (probe {}, {} ms)",
                            place(site.city.as_deref(), site.country.as_deref()), site.evidence_id,
                            format::ms(Some(site.evidence_rtt_ms)))).collect::<Vec<_>>().join("; ")) }
                </p>
            }
            { for presence }
            if !absent.is_empty() {
                <ul class="presence-findings">
                    { for absent.iter().map(|sentence| html! { <li>{ (*sentence).clone() }</li> }) }
                </ul>
            }
            if !not_measured.is_empty() {
                <p class="hint">{ format!("No usable probe in: {}.", not_measured.join(", ")) }</p>
            }
            <details class="evidence">
                <summary>{ format!("Evidence: {} probes used", evidence.observations_used) }</summary>
                { for constraining }
                { for violations }
                if !evidence.unassigned.is_empty() {
                    <p class="hint">{ format!("{} probes reached a site the disjoint ranges do not reveal: {}.",
                        evidence.unassigned.len(), evidence.unassigned.join(", ")) }</p>
                }
                if let Some(gap) = &evidence.no_common_point {
                    <p class="hint">{ format!("No two ranges contradict each other, yet no place lies in all of them: the best point misses probe {}'s range by {}.",
                        gap.missed_id, format::km(gap.overshoot_km)) }</p>
                }
                if !inference.diagnostics.is_empty() {
                    <p class="hint">{ format!("{} probes could not be used (no reply or no position).", inference.diagnostics.len()) }</p>
                }
            </details>
            <details class="assumptions">
                <summary>{ "Assumptions, and what would prove this wrong" }</summary>
                <div class="fiber-factor">
                    <label>{ "Speed in fiber (fraction of c) " }
                        <input type="range" name="fiber-factor" min="0.3" max="1" step="0.01"
                            value={format!("{factor:.2}")} disabled={on_factor.is_none()} oninput={on_factor} />
                        <output>{ format!("{factor:.2}") }</output>
                    </label>
                    if !is_default {
                        <button type="button" onclick={on_reset} disabled={props.on_choices.is_none()}>{ "Back to 2/3" }</button>
                    }
                </div>
                <ul>{ for inference.assumption_notes.iter().map(|note| html! { <li>{ note.clone() }</li> }) }</ul>
                <p>{ "This verdict would be wrong if:" }</p>
                <ul class="falsifiers">{ for inference.falsifiable_by.iter().map(|item| html! { <li>{ item.clone() }</li> }) }</ul>
            </details>
        </section>
    }
}
